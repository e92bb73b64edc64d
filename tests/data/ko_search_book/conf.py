"""A tiny Korean Sphinx project for tests/test_ko_search.py and tests/browser/test_search.py.

It uses the book's theme and the ko_search extension from book/_ext, but none of the book's
notebooks, so it builds in seconds.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "book" / "_ext"))

project = "한국어 검색 시험 책"
language = "ko"
extensions = ["myst_parser", "ko_search"]
html_theme = "sphinx_book_theme"
html_context = {"default_mode": "light"}
exclude_patterns = ["_build"]
