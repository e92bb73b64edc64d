"""The quick-built book (`make quick`): structure, language, offline resources, clean outputs.

These tests read `_build/quick/_build/html`; `make test` builds it first. They fail, not skip,
when the build is missing.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import nbformat
import pytest
from bs4 import BeautifulSoup

from tests.conftest import QUICK_BUILD_LOG, REPO_ROOT, toc_files

pytestmark = pytest.mark.slow

PAGE_BUDGET_BYTES = 1_500_000
REQUIRED_REFERENCES = [
    "Neural Machine Translation by Jointly Learning to Align and Translate",
    "Effective Approaches to Attention-based Neural Machine Translation",
    "Sequence to Sequence Learning with Neural Networks",
    "Learning Phrase Representations using RNN Encoder-Decoder",
    "Learning to Execute",
    "Speech Recognition with Deep Recurrent Neural Networks",
    "Attention Is All You Need",
    "Attention is not Explanation",
    "Attention is not not Explanation",
    "Sequence to sequence learning for performing number addition",
    "Keras Attention Mechanism",
]
# <link rel=...> values that make the browser fetch something.
FETCHING_RELS = {"stylesheet", "preload", "prefetch", "modulepreload", "icon", "manifest"}
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _pages(html_dir: Path) -> list[Path]:
    return sorted(p for p in html_dir.rglob("*.html") if "_static" not in p.parts)


def _is_redirect(page: Path) -> bool:
    return 'http-equiv="Refresh"' in page.read_text(encoding="utf-8")[:500]


def _soup(page: Path) -> BeautifulSoup:
    return BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")


def _is_outside(url: str) -> bool:
    """True for URLs that leave the book: another host, or protocol-relative."""
    url = url.strip()
    if url.startswith("//"):
        return True
    parts = urlsplit(url)
    return parts.scheme not in ("", "data", "blob") or bool(parts.netloc)


def test_every_notebook_is_in_the_toc_and_every_toc_entry_exists() -> None:
    entries = toc_files()
    notebooks = {f"notebooks/{p.stem}" for p in (REPO_ROOT / "notebooks").glob("*.ipynb")}
    in_toc = {e for e in entries if e.startswith("notebooks/")}
    assert notebooks == in_toc, (
        f"not in _toc.yml: {notebooks - in_toc}; missing: {in_toc - notebooks}"
    )
    for entry in entries:
        candidates = [REPO_ROOT / f"{entry}{ext}" for ext in (".md", ".ipynb")]
        assert any(c.is_file() for c in candidates), f"_toc.yml entry without a file: {entry}"
    assert len(entries) == len(set(entries)), "duplicate _toc.yml entries"


def test_one_html_page_per_toc_entry(built_book_dir: Path) -> None:
    expected = {f"{entry}.html" for entry in toc_files()}
    for name in expected:
        assert (built_book_dir / name).is_file(), f"{name} was not built"
    content_pages = {
        p.relative_to(built_book_dir).as_posix()
        for p in _pages(built_book_dir)
        if not _is_redirect(p)
    }
    assert content_pages - expected == {"genindex.html", "search.html"}


def test_root_index_points_at_the_toc_root(built_book_dir: Path) -> None:
    index = built_book_dir / "index.html"
    root = toc_files()[0]
    if _is_redirect(index):
        assert f"url={root}.html" in index.read_text(encoding="utf-8")
    else:
        assert root == "index"


def test_pages_are_korean(built_book_dir: Path) -> None:
    for page in _pages(built_book_dir):
        if _is_redirect(page):
            continue
        html = _soup(page).find("html")
        assert html is not None and html.get("lang") == "ko", f"{page.name}: lang={html}"


def test_no_error_or_stderr_outputs(built_book_dir: Path) -> None:
    bad = re.compile(r'class="[^"]*\boutput (stderr|traceback|error)\b')
    for page in _pages(built_book_dir):
        text = page.read_text(encoding="utf-8")
        match = bad.search(text)
        assert match is None, f"{page.relative_to(built_book_dir)}: {match and match.group(0)}"
        assert "Traceback (most recent call last)" not in text, page.name


def test_no_resource_outside_the_book_in_html(built_book_dir: Path) -> None:
    problems = []
    for page in _pages(built_book_dir):
        soup = _soup(page)
        for tag in soup.find_all(["script", "img", "iframe", "audio", "video", "source"]):
            src = tag.get("src")
            if src and _is_outside(src):
                problems.append(f"{page.name}: <{tag.name} src={src}>")
        for tag in soup.find_all("link", href=True):
            rels = set(tag.get("rel") or [])
            if rels & FETCHING_RELS and _is_outside(tag["href"]):
                problems.append(f"{page.name}: <link rel={rels} href={tag['href']}>")
        for tag in soup.find_all("style"):
            problems += [f"{page.name}: <style> {u}" for u in _css_urls(tag.get_text())]
    assert problems == []


def _css_urls(css: str) -> list[str]:
    urls = re.findall(r"url\(\s*['\"]?([^'\")]+)", css)
    urls += re.findall(r"@import\s+['\"]([^'\"]+)", css)
    return [u for u in urls if _is_outside(u)]


def test_no_resource_outside_the_book_in_css(built_book_dir: Path) -> None:
    problems = {}
    for sheet in built_book_dir.rglob("*.css"):
        outside = _css_urls(sheet.read_text(encoding="utf-8", errors="replace"))
        if outside:
            problems[sheet.relative_to(built_book_dir).as_posix()] = outside
    assert problems == {}


def test_widget_pages_load_the_vendored_widget_bundle(built_book_dir: Path) -> None:
    page = built_book_dir / "notebooks" / "01_intro.html"
    soup = _soup(page)
    state = soup.find("script", type="application/vnd.jupyter.widget-state+json")
    assert state is not None, "the intro's slider state was not saved into the page"
    models = json.loads(state.get_text())["state"]
    names = {model["model_name"] for model in models.values()}
    assert {"IntSliderModel", "StackModel", "HTMLModel", "LinkModel"} <= names
    # image_slider frames are HTML widgets holding one <img alt> each (attn_lib.widgets)
    frames = [
        model["state"]["value"]
        for model in models.values()
        if model["model_name"] == "HTMLModel" and "<img" in model["state"].get("value", "")
    ]
    assert frames and all(re.search(r'<img [^>]*alt="[^"]*[가-힣]', f) for f in frames), frames[:1]
    sources = [tag["src"] for tag in soup.find_all("script", src=True)]
    for needed in ("vendor/require.js", "js/widgets-compat.js", "vendor/html-manager/embed-amd.js"):
        assert any(needed in src for src in sources), f"{needed} not loaded by the intro page"
    for src in sources:
        local = (page.parent / src.split("?")[0]).resolve()
        assert local.is_file(), f"script missing from the build: {src}"
    assert (built_book_dir / "_static/vendor/fonts/NanumGothic.woff").is_file()


def test_math_uses_the_vendored_mathjax(built_book_dir: Path) -> None:
    soup = _soup(built_book_dir / "notebooks" / "01_intro.html")
    sources = [tag["src"] for tag in soup.find_all("script", src=True) if "mathjax" in tag["src"]]
    assert sources and all("_static/vendor/mathjax/" in src for src in sources), sources


def test_pages_fit_the_size_budget(built_book_dir: Path) -> None:
    for page in _pages(built_book_dir):
        size = page.stat().st_size
        assert size <= PAGE_BUDGET_BYTES, f"{page.name}: {size / 1e6:.2f} MB"


def test_references_page_lists_the_papers(built_book_dir: Path) -> None:
    text = _soup(built_book_dir / "book" / "references.html").get_text(" ")
    text = re.sub(r"\s+", " ", text).lower()  # the bibliography style sentence-cases titles
    for title in REQUIRED_REFERENCES:
        assert title.lower() in text, f"missing reference: {title}"


def test_intro_citations_link_to_the_references(built_book_dir: Path) -> None:
    soup = _soup(built_book_dir / "notebooks" / "01_intro.html")
    targets = {a["href"].split("#")[0] for a in soup.find_all("a", href=True) if "#id" in a["href"]}
    assert "../book/references.html" in targets


def test_built_notebook_has_figures_and_korean_prose(built_book_dir: Path) -> None:
    soup = _soup(built_book_dir / "notebooks" / "01_intro.html")
    assert soup.find("img", src=re.compile(r"\.png$")) is not None, "no matplotlib figure"
    text = soup.get_text(" ")
    for heading in ("학습 목표", "요약", "연습문제"):
        assert heading in text


def test_build_log_has_no_warnings() -> None:
    if not QUICK_BUILD_LOG.is_file():
        pytest.fail(f"no build log at {QUICK_BUILD_LOG}: build with `make quick`", pytrace=False)
    log = ANSI.sub("", QUICK_BUILD_LOG.read_text(encoding="utf-8", errors="replace"))
    warnings = [line for line in log.splitlines() if re.search(r"\b(WARNING|ERROR):", line)]
    assert warnings == []
    assert "build succeeded" in log


@pytest.mark.parametrize("path", sorted((REPO_ROOT / "notebooks").glob("*.ipynb")), ids=str)
def test_committed_notebooks_carry_no_outputs(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name} cell {index} has outputs"
            assert cell.execution_count is None, f"{path.name} cell {index} has a count"
    assert "widgets" not in notebook.metadata, f"{path.name} carries saved widget state"
