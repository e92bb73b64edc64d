"""The built book speaks Korean in its own words too: buttons, tooltips, labels, footer.

Reads the quick build (`make quick`). The catalogues live in book/_locales, the template overrides
in book/_templates, the glue in book/_ext/ko_theme.py; tests/korean_ui_helpers.py says what
counts as English UI text. The browser twin (tests/browser/test_korean_ui_live.py) checks the
words that scripts add after the page loads.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup

from tests.conftest import REPO_ROOT
from tests.korean_ui_helpers import chrome_problems, english_ui_problems, snippets_from_soup

pytestmark = pytest.mark.slow

LOCALE_DIR = REPO_ROOT / "book" / "_locales" / "ko" / "LC_MESSAGES"


def _pages(html_dir: Path) -> list[Path]:
    return sorted(
        p
        for p in html_dir.rglob("*.html")
        if "_static" not in p.parts and 'http-equiv="Refresh"' not in p.read_text()[:500]
    )


def _snippets(page: Path) -> list:
    return snippets_from_soup(BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser"))


def _problems_by_page(html_dir: Path, check: Callable[[list], list[str]]) -> dict[str, list]:
    found = {}
    for page in _pages(html_dir):
        problems = check(_snippets(page))
        if problems:
            found[str(page.relative_to(html_dir))] = sorted(set(problems))
    return found


def test_no_english_theme_strings(built_book_dir: Path) -> None:
    found = _problems_by_page(built_book_dir, english_ui_problems)
    assert not found, f"English UI strings on built pages: {found}"


def test_page_chrome_is_korean(built_book_dir: Path) -> None:
    found = _problems_by_page(built_book_dir, chrome_problems)
    assert not found, f"Latin-only text in the page chrome (theme words?): {found}"


def test_korean_footer_and_launch_button(built_book_dir: Path) -> None:
    page = built_book_dir / "notebooks" / "01_intro.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    author = soup.select_one(".component-author")
    assert author is not None and author.get_text(" ", strip=True) == "지은이: attn-book 기여자"
    copyright_line = soup.select_one(".copyright")
    assert copyright_line is not None and copyright_line.get_text(strip=True) == "© 2026"
    colab = [a for a in soup.select("a.btn") if a.get_text(strip=True) == "Colab"]
    assert colab and colab[0].get("title") == "Colab에서 열기"
    search = soup.select_one("input[name=q]")
    assert search is not None and search.get("placeholder") == "이 책에서 검색…"


@pytest.mark.parametrize("po_path", sorted(LOCALE_DIR.glob("*.po")), ids=lambda p: p.name)
def test_catalogues_translate_every_entry(po_path: Path) -> None:
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale="ko")
    entries = [m for m in catalog if m.id]
    assert entries, f"{po_path.name} is empty"
    untranslated = [m.id for m in entries if not m.string or m.fuzzy]
    assert not untranslated, f"{po_path.name}: no Korean for {untranslated}"
    english_left = [m.id for m in entries if m.string == m.id]
    assert not english_left, f"{po_path.name}: 'translated' to itself: {english_left}"
