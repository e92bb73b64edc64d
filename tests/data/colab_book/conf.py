"""A tiny book for tests/test_colab_site.py: one notebook with stored outputs (glue values),
a glossary, a bibliography and the colab_editions extension from book/_ext. No execution."""

import os
import sys
from pathlib import Path

# The repository (a test may build a copy of this folder elsewhere and set ATTN_BOOK_REPO).
REPO = Path(os.environ.get("ATTN_BOOK_REPO") or Path(__file__).resolve().parents[3])
sys.path.insert(0, str(REPO / "book" / "_ext"))

project = "Colab판 시험 책"
language = "ko"
extensions = ["myst_nb", "sphinxcontrib.bibtex", "sphinx_book_theme", "colab_editions"]
html_theme = "sphinx_book_theme"
html_context = {"default_mode": "light"}
html_theme_options = {
    "repository_url": "https://github.com/example-org/example-book",
    "repository_branch": "main",
    "path_to_docs": "",
    "launch_buttons": {"colab_url": "https://colab.research.google.com"},
}
exclude_patterns = ["_build"]
myst_enable_extensions = ["colon_fence", "dollarmath"]
nb_execution_mode = "off"
bibtex_bibfiles = ["refs.bib"]
bibtex_reference_style = "author_year"
colab_edition_branch = "editions"
colab_edition_commit = "0123456789abcdef0123456789abcdef01234567"
