"""Helpers for the Korean search tests: the ko_search extension, the mini book, page terms.

The extension lives in ``book/_ext`` (not a package on ``sys.path``), so it is loaded from its file
here. The mini book in ``tests/data/ko_search_book`` is a few Korean pages built with the book's
theme and the extension; it builds in seconds and does not need ``make quick``.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType

from bs4 import BeautifulSoup

from tests.conftest import REPO_ROOT

EXT_FILE = REPO_ROOT / "book" / "_ext" / "ko_search.py"
MINI_BOOK_SRC = REPO_ROOT / "tests" / "data" / "ko_search_book"
#: Content pages of the mini book (its index only holds a hidden toctree).
MINI_BOOK_PAGES = [
    "vectors.html",
    "bottleneck.html",
    "alignment.html",
    "english.html",
    "other.html",
]


def load_ko_search() -> ModuleType:
    """Import book/_ext/ko_search.py as the module ``ko_search`` (once per process)."""
    if "ko_search" in sys.modules:
        return sys.modules["ko_search"]
    spec = importlib.util.spec_from_file_location("ko_search", EXT_FILE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["ko_search"] = module
    spec.loader.exec_module(module)
    return module


def build_mini_book(out_dir: Path) -> Path:
    """Build the mini book with sphinx-build (warnings are errors); return its HTML folder."""
    html_dir = out_dir / "html"
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-W", "--keep-going"]
    command += ["-d", str(out_dir / "doctrees"), str(MINI_BOOK_SRC), str(html_dir)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, f"mini book build failed:\n{result.stdout}\n{result.stderr}"
    return html_dir


def article_text(page: Path) -> str:
    """The text of a built page's article (what Sphinx indexes), one space between elements."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article.bd-article") or soup.select_one('[role="main"]')
    assert article is not None, f"{page}: no article element"
    for element in article.select("script, style, .headerlink"):
        element.decompose()
    # Sphinx splits each text node on its own, so an element boundary is a word boundary.
    return article.get_text(" ")


def page_terms(page: Path) -> set[str]:
    """Every search term (normalised word) of a built page's article."""
    ko_search = load_ko_search()
    return {ko_search.normalize(word) for word in ko_search.split(article_text(page))}


def pages_matching(html_dir: Path, pages: Iterable[str], query: str) -> set[str]:
    """The pages whose article contains every (non-stop) word of ``query`` in any inflection."""
    ko_search = load_ko_search()
    wanted = {
        ko_search.normalize(word)
        for word in ko_search.split(query)
        if not ko_search.is_stop_word(word)
    }
    assert wanted, f"query {query!r} has no searchable word"
    return {page for page in pages if wanted <= page_terms(html_dir / page)}
