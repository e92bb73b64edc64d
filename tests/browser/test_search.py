"""Korean search in headless Chromium: a two-syllable noun finds every page that uses it.

``search.html?q=벡터`` (or ``?q=벡터를``) must list every page whose text has 벡터 with any
particle (벡터를, 벡터는 …); the expected pages are computed from the built HTML with the same
normaliser as the index (book/_ext/ko_search.py). Runs over the quick-built book (needs
``make quick`` and the extension registered in _config.yml) and over the mini book of
tests/data/ko_search_book (built here, no ``make quick`` needed).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest

from tests.conftest import PageProbe, book_pages, open_probe, serve_directory
from tests.ko_search_helpers import MINI_BOOK_PAGES, pages_matching

pytestmark = pytest.mark.browser

# Bare nouns, the same nouns with a particle (the query is normalised too), an English word.
QUERIES = ["벡터", "병목", "정렬", "벡터를", "병목은", "정렬된", "attention"]
CHAPTER_PAGES = [page for page in book_pages() if page not in ("genindex.html", "search.html")]
MINI_BOOK_EXPECTED = {
    "벡터": {"vectors.html"},
    "벡터를": {"vectors.html"},
    "병목": {"bottleneck.html"},
    "병목은": {"bottleneck.html"},
    "정렬": {"alignment.html"},
    "정렬된": {"alignment.html"},
    "attention": {"english.html"},
}


def search(probe: PageProbe, query: str) -> set[str]:
    """Run a query on search.html; return the result pages (paths relative to the book root)."""
    probe.goto(f"search.html?q={quote(query)}")
    probe.page.wait_for_function(
        """() => {
            const summary = document.querySelector("#search-results .search-summary");
            return summary !== null && summary.textContent.trim() !== "";
        }""",
        timeout=30_000,
    )
    probe.page.wait_for_load_state("networkidle")  # result summaries are fetched afterwards
    hrefs = probe.page.evaluate(
        """() => [...document.querySelectorAll("#search-results ul.search li > a")]
            .map((a) => a.href)"""
    )
    base = urlsplit(probe.base_url).path
    return {urlsplit(href).path.removeprefix(base) for href in hrefs}


@pytest.fixture(scope="module")
def mini_book_url(ko_search_book_dir: Path) -> Iterator[str]:
    """The mini Korean book, served like the real one."""
    with serve_directory(ko_search_book_dir) as url:
        yield url


@pytest.fixture
def mini_book_page(browser: Any, mini_book_url: str) -> Iterator[PageProbe]:
    """A page on the mini book that blocks and counts outside requests."""
    with open_probe(browser, mini_book_url) as probe:
        yield probe


@pytest.mark.parametrize("query", QUERIES)
def test_mini_book_search_finds_every_inflected_form(
    mini_book_page: PageProbe, ko_search_book_dir: Path, query: str
) -> None:
    expected = pages_matching(ko_search_book_dir, MINI_BOOK_PAGES, query)
    assert expected == MINI_BOOK_EXPECTED[query]
    found = search(mini_book_page, query)
    assert found & set(MINI_BOOK_PAGES) == expected, f"{query}: found {sorted(found)}"
    assert mini_book_page.problems() == {}, mini_book_page.problems()


def test_book_ships_the_korean_search_language(built_book_dir: Path) -> None:
    language_data = (built_book_dir / "_static" / "language_data.js").read_text("utf-8")
    assert "KoSearch" in language_data, (
        "the built book does not use book/_ext/ko_search.py: register it in _config.yml "
        "(sphinx.local_extensions ko_search: book/_ext, and ko_search in sphinx.config.extensions)"
    )


@pytest.mark.slow
@pytest.mark.parametrize("query", QUERIES)
def test_book_search_finds_every_page_using_the_term(
    book_page: PageProbe, built_book_dir: Path, query: str
) -> None:
    expected = pages_matching(built_book_dir, CHAPTER_PAGES, query)
    assert expected, f"no page of the book uses {query!r}: pick another test term"
    found = search(book_page, query)
    missing = expected - found
    assert not missing, f"{query}: pages using it but not found: {sorted(missing)}"
    assert book_page.problems() == {}, book_page.problems()
