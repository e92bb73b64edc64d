"""Korean UI after scripts have run: tooltips, copy buttons, toggles and the search results page.

The static twin (tests/test_korean_ui.py) reads the HTML files; this one reads the live DOM in
headless Chromium, where sphinx-copybutton, sphinx-togglebutton, Bootstrap tooltips and Sphinx's
search add their own words. Same rules (tests/korean_ui_helpers.py).
"""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.conftest import PageProbe, book_pages
from tests.korean_ui_helpers import (
    COLLECT_JS,
    CONTENT_SELECTORS,
    READER_ATTRIBUTES,
    Snippet,
    chrome_problems,
    english_ui_problems,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _live_snippets(probe: PageProbe) -> list[Snippet]:
    rows = probe.page.evaluate(COLLECT_JS, [list(READER_ATTRIBUTES), ", ".join(CONTENT_SELECTORS)])
    return [Snippet(kind, text, in_chrome) for kind, text, in_chrome in rows]


@pytest.mark.parametrize("relative", book_pages())
def test_live_page_has_no_english_ui(book_page: PageProbe, relative: str) -> None:
    book_page.goto(relative)
    snippets = _live_snippets(book_page)
    problems = english_ui_problems(snippets) + chrome_problems(snippets)
    assert not problems, f"{relative}: {sorted(set(problems))}"


def test_copy_button_speaks_korean(book_page: PageProbe) -> None:
    book_page.goto("notebooks/01_intro.html")
    button = book_page.page.locator("button.copybtn").first
    button.wait_for(state="attached", timeout=10_000)
    assert button.get_attribute("data-tooltip") == "복사"
    assert "클립보드에 복사" in button.inner_html()


def test_search_results_page_is_korean(book_page: PageProbe) -> None:
    book_page.goto(f"search.html?q={quote('어텐션')}")
    book_page.page.wait_for_function(
        """() => {
            const summary = document.querySelector("#search-results .search-summary");
            return summary !== null && summary.textContent.trim() !== "";
        }""",
        timeout=30_000,
    )
    snippets = _live_snippets(book_page)
    problems = english_ui_problems(snippets) + chrome_problems(snippets)
    assert not problems, sorted(set(problems))
    summary = book_page.page.locator("#search-results .search-summary").inner_text()
    assert "검색" in summary or "페이지" in summary, summary
