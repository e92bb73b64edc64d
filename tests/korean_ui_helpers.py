"""What counts as English UI text on a built page (shared by the static and the browser tests).

A page's words come from two places: the chapters (Korean prose that may quote code, paper titles
and names) and the themes (buttons, tooltips, aria-labels, footers). Only the second must be
Korean. Two checks, both over reader-visible text *and* the attributes a reader meets (tooltips,
screen-reader names, placeholders, alt text):

* :data:`ENGLISH_UI` — strings the themes and extensions print when their catalogues are not in
  effect (found by grepping a build). None may appear anywhere on a page, chapter text included.
  :data:`ENGLISH_UI_ATTRIBUTES` are short words checked only as whole attribute values.
* :func:`chrome_problems` — anything in the page *chrome* (outside the article and outside the
  navigation lists that repeat page titles) that has Latin words and no Hangul, except
  :data:`CHROME_ALLOWED` (file suffixes, key names, product names). This catches strings a future
  theme version adds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

#: English strings of sphinx-book-theme 1.3.0, pydata-sphinx-theme 0.17.1, Sphinx 7.4,
#: sphinx-copybutton, sphinx-togglebutton and myst-nb that a reader could see.
ENGLISH_UI: tuple[str, ...] = (
    "Skip to main content",
    "Back to top",
    "Search this book",
    "Repository",
    "Open issue",
    "Open an issue",
    "© Copyright",
    "Copyright 2",
    "Link to this heading",
    "Link to this image",
    "Link to this table",
    "Link to this code",
    "Link to this equation",
    "Toggle primary sidebar",
    "Toggle secondary sidebar",
    "Toggle navigation",
    "Version warning",
    "Site navigation",
    "Section Navigation",
    "Color mode",
    "System Settings",
    "Source repositories",
    "Source repository",
    "Launch interactive content",
    "Launch on",
    "Colab logo",
    "previous page",
    "next page",
    "On this page",
    "Please activate JavaScript",
    "Download this page",
    "Download source file",
    "Download notebook file",
    "Fullscreen mode",
    "Print to PDF",
    "Show code cell",
    "Hide code cell",
    "Copy to clipboard",
    "Copied!",
    "Failed to copy",
    "Click to show",
    "Click to hide",
    "Click to expand",
    "Click to collapse",
    "By attn-book",
    "Search Results",
    "Searching",
)
#: Short theme words, flagged only when they are a whole attribute value (aria-label="Main").
ENGLISH_UI_ATTRIBUTES: frozenset[str] = frozenset(
    {"Main", "Page", "Light", "Dark", "Home", "Edit", "Search", "previous", "next", "Contents"}
)
#: Latin-only chrome text that is fine in a Korean book.
CHROME_ALLOWED: frozenset[str] = frozenset({"Ctrl", "K", "Colab", ".ipynb", ".pdf", ".md", "+"})
#: Attributes whose values a reader sees (tooltips) or hears (screen readers).
READER_ATTRIBUTES: tuple[str, ...] = (
    "aria-label",
    "title",
    "placeholder",
    "alt",
    "data-bs-title",
    "data-bs-original-title",
    "data-tooltip",
    "data-toggle-hint",
    "aria-description",
    "aria-roledescription",
)
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
_HANGUL = re.compile(r"[가-힣]")


@dataclass(frozen=True)
class Snippet:
    """One piece of reader-facing text: ``kind`` is "text" or an attribute name."""

    kind: str
    text: str
    in_chrome: bool  # outside the article and the page-title navigation lists


def english_ui_problems(snippets: Iterable[Snippet]) -> list[str]:
    """Every snippet that contains a known English UI string (or is a short one, as attribute)."""
    problems = []
    for snippet in snippets:
        hits = [s for s in ENGLISH_UI if s in snippet.text]
        if snippet.kind != "text" and snippet.text.strip() in ENGLISH_UI_ATTRIBUTES:
            hits.append(snippet.text.strip())
        if hits:
            problems.append(f"{snippet.kind}={snippet.text[:80]!r} ({', '.join(hits)})")
    return problems


def chrome_problems(snippets: Iterable[Snippet]) -> list[str]:
    """Chrome text with Latin words, no Hangul, not in :data:`CHROME_ALLOWED`."""
    problems = []
    for snippet in snippets:
        text = " ".join(snippet.text.split())
        if not snippet.in_chrome or text in CHROME_ALLOWED:
            continue
        if _LATIN_WORD.search(text) and not _HANGUL.search(text):
            problems.append(f"{snippet.kind}={text[:80]!r}")
    return problems


#: The JavaScript side of :func:`snippets_from_soup`, for a live page (``page.evaluate``).
#: Call with ``[READER_ATTRIBUTES, ", ".join(CONTENT_SELECTORS)]``; returns [kind, text, in_chrome].
COLLECT_JS = """([attributes, content]) => {
    const skip = "script, style, template, noscript";
    const out = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const parent = node.parentElement;
        const text = node.textContent.trim();
        if (!text || !parent || parent.closest(skip)) continue;
        out.push(["text", text, !parent.closest(content)]);
    }
    for (const element of document.querySelectorAll("*")) {
        if (element.closest(skip)) continue;
        for (const name of attributes) {
            const value = element.getAttribute(name);
            if (value && value.trim()) out.push([name, value, !element.closest(content)]);
        }
    }
    return out;
}"""

#: CSS selectors of the page parts whose words come from the chapters, not the theme.
CONTENT_SELECTORS = (
    "article.bd-article",
    "#jb-print-toc",
    ".section-nav",
    "nav.bd-docs-nav",
    ".bd-toc-nav",
    ".prev-next-area",
    ".page-toc",
    "#bd-toc-nav",
    ".bd-sidenav",
    "#search-results",
)


def snippets_from_soup(soup: object) -> list[Snippet]:
    """Reader-facing text and attributes of a parsed page (BeautifulSoup)."""
    from bs4 import BeautifulSoup, Comment, Doctype, Tag

    assert isinstance(soup, BeautifulSoup)
    for element in soup(["script", "style", "template", "noscript"]):
        element.decompose()
    content_nodes: set[int] = set()
    for selector in CONTENT_SELECTORS:
        for element in soup.select(selector):
            content_nodes.add(id(element))
            content_nodes.update(id(child) for child in element.descendants)
    snippets = []
    for node in soup.descendants:
        if isinstance(node, Tag):
            for name in READER_ATTRIBUTES:
                value = node.get(name)
                if isinstance(value, list):
                    value = " ".join(value)
                if value and value.strip():
                    snippets.append(Snippet(name, value, id(node) not in content_nodes))
        elif not isinstance(node, (Comment, Doctype)) and str(node).strip():
            snippets.append(Snippet("text", str(node).strip(), id(node) not in content_nodes))
    return snippets
