"""The API reference page (book/api.md): every public module of attn_lib, with a Korean line each,
rendered by autodoc as documentation rather than raw reST text.

The source checks run without a build. The built-page checks read the quick build
(`_build/quick/_build/html/book/api.html`, from `make quick`) like tests/test_book.py.
A new module needs a section in book/api.md: a heading, one Korean line and an ``eval-rst`` block
with ``.. automodule:: attn_lib.<name>`` (and ``:members:``).
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

import attn_lib
from tests.conftest import REPO_ROOT
from tools.gen_architecture import public_modules

API_SOURCE = REPO_ROOT / "book" / "api.md"
HANGUL = re.compile(r"[가-힣]")
EVAL_RST_BLOCK = re.compile(r"^```\{eval-rst\}\n(.*?)^```$", re.MULTILINE | re.DOTALL)
AUTOMODULE = re.compile(r"^\.\. automodule:: (\S+)$", re.MULTILINE)
# reST that would show up as text if autodoc output were parsed as Markdown again.
RAW_REST = (".. py:", ".. auto", ":param", ":type ", ":returns:", ":rtype:", ":members:")
CURLY_QUOTES = "“”‘’"


def documented_id(name: str) -> str:
    """The HTML id autodoc gives the object `attn_lib.<name>` where it is defined."""
    obj = getattr(attn_lib, name)
    if inspect.isclass(obj) or inspect.isfunction(obj):
        return f"{obj.__module__}.{obj.__qualname__}"
    return f"attn_lib.{name}"


def source_sections() -> dict[str, str]:
    """Module name -> the text of its section in book/api.md (heading to next heading)."""
    text = API_SOURCE.read_text(encoding="utf-8")
    sections: dict[str, str] = {}
    for chunk in re.split(r"^(?=#{2,4} )", text, flags=re.MULTILINE):
        heading = re.match(r"#{2,4} `(attn_lib[\w.]*)`\n", chunk)
        if heading:
            assert heading.group(1) not in sections, f"two sections for {heading.group(1)}"
            sections[heading.group(1)] = chunk
    return sections


# ---------------------------------------------------------------------- source (no build needed)
def test_every_public_module_has_a_section_with_a_korean_line() -> None:
    sections = source_sections()
    missing = [name for name in public_modules() if name not in sections]
    assert missing == [], f"book/api.md has no section for {missing}"
    for name, section in sections.items():
        prose = EVAL_RST_BLOCK.sub("", section).split("\n", 1)[1]
        assert HANGUL.search(prose), f"the section of {name} needs a Korean line"
        blocks = EVAL_RST_BLOCK.findall(section)
        assert [AUTOMODULE.findall(block) for block in blocks] == [[name]], (
            f"the section of {name} needs one eval-rst block with `.. automodule:: {name}`"
        )


def test_every_documented_module_exists() -> None:
    text = API_SOURCE.read_text(encoding="utf-8")
    documented = AUTOMODULE.findall("\n".join(EVAL_RST_BLOCK.findall(text)))
    assert sorted(documented) == sorted(set(documented)), "a module is documented twice"
    assert set(documented) <= set(public_modules())


def test_autodoc_is_not_parsed_as_markdown() -> None:
    """A MyST ``{automodule}`` fence hands autodoc's reST to the Markdown parser (issue 15)."""
    text = API_SOURCE.read_text(encoding="utf-8")
    assert "```{automodule}" not in text
    outside = EVAL_RST_BLOCK.sub("", text)
    assert not AUTOMODULE.search(outside), "`.. automodule::` outside an eval-rst block"


# ---------------------------------------------------------------------- the built page
@pytest.fixture(scope="module")
def api_main(built_book_dir: Path) -> Tag:
    page = built_book_dir / "book" / "api.html"
    assert page.is_file(), f"{page} was not built"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    main = soup.find("main") or soup.find(attrs={"role": "main"})
    assert isinstance(main, Tag), "no <main> element on the API page"
    return main


@pytest.mark.slow
def test_built_page_documents_every_public_module(api_main: Tag) -> None:
    ids = {element["id"] for element in api_main.find_all(id=True)}
    missing = [name for name in public_modules() if f"module-{name}" not in ids]
    assert missing == [], f"not documented on the built API page: {missing}"


@pytest.mark.slow
def test_built_page_documents_every_name_of_attn_lib_all(api_main: Tag) -> None:
    ids = {element["id"] for element in api_main.select("dt[id]")}
    missing = [name for name in attn_lib.__all__ if documented_id(name) not in ids]
    assert missing == [], f"attn_lib.__all__ names without an entry on the API page: {missing}"
    assert "attn_lib.tasks.pairs.text_pairs_task" in ids


@pytest.mark.slow
def test_built_page_shows_no_raw_rest(api_main: Tag) -> None:
    text = api_main.get_text()
    found = {marker: text.count(marker) for marker in RAW_REST if marker in text}
    assert found == {}, f"raw reST on the API page: {found}"
    assert len(api_main.select("dl.py.function")) > 20  # rendered as documentation


@pytest.mark.slow
def test_built_page_keeps_straight_quotes_in_code(api_main: Tag) -> None:
    bad = [
        element.get_text()[:80]
        for element in api_main.select("pre, code")
        if any(quote in element.get_text() for quote in CURLY_QUOTES)
    ]
    assert bad == [], f"curly quotes in examples or code: {bad}"
    examples = "\n".join(pre.get_text() for pre in api_main.select("pre"))
    assert '>>> vocab = Vocab("0123456789+")' in examples
