"""Korean for every word of the theme a reader sees (테마가 보여 주는 글자를 모두 한국어로).

Three pieces, each where Sphinx expects it:

* **Message catalogues** in ``locale_dirs`` (``book/_locales/ko/LC_MESSAGES/``). ``sphinx.po``
  (the "sphinx" domain: Sphinx's own words and pydata-sphinx-theme's) is compiled and put in front
  of Sphinx's and the theme's Korean by Sphinx itself. Every *other* ``<domain>.po`` there (today
  ``booktheme.po`` for sphinx-book-theme) is compiled by this extension into the build's doctree
  folder (nothing binary is committed) and registered with :meth:`Sphinx.add_message_catalog`.
  Sphinx uses the first catalogue registered for a domain and falls back to later ones, so this
  extension must be set up **before** ``sphinx_book_theme`` (it says so if it is not).
* **Template overrides** in ``book/_templates`` (``templates_path``) for strings the themes
  hard-code in English or in English word order (``By {author}``, ``aria-label="Main"``).
* An ``html-page-context`` hook that gives the launch buttons Korean word order
  ("Colab에서 열기"; the theme builds ``"Launch on" + " Colab"``) and gives the bibliography's
  entries a role their list allows (docutils writes the deprecated ``doc-biblioentry``, which axe
  reports as a critical ``aria-required-children`` violation).

Register in ``_config.yml`` (the name must come before ``sphinx_book_theme``)::

    sphinx:
      local_extensions:
        ko_theme: book/_ext
      config:
        extensions: [ko_theme, ..., sphinx_book_theme, ...]
        locale_dirs: [book/_locales]
        templates_path: [book/_templates]
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

logger = logging.getLogger(__name__)

#: Launch buttons of sphinx-book-theme, by their (untranslated) text.
LAUNCH_TOOLTIP = "{}에서 열기"
_BIBLIO_ROLE = 'role="doc-biblioentry"'


def compile_catalogues(locale_dirs: list[Path], language: str, out_dir: Path) -> list[str]:
    """Compile every non-"sphinx" ``<domain>.po`` of ``language`` into ``out_dir``.

    Returns the compiled domains. Raises :class:`ExtensionError` for an entry without a
    translation or a fuzzy one (an English string would reach the reader silently).
    """
    domains = []
    target = out_dir / language / "LC_MESSAGES"
    for base in locale_dirs:
        for po_path in sorted((base / language / "LC_MESSAGES").glob("*.po")):
            domain = po_path.stem
            if domain == "sphinx":
                continue  # Sphinx compiles and loads its own domain from locale_dirs
            with po_path.open("rb") as handle:
                catalog = read_po(handle, locale=language, domain=domain)
            missing = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
            if missing:
                raise ExtensionError(f"{po_path}: untranslated or fuzzy entries: {missing}")
            target.mkdir(parents=True, exist_ok=True)
            with (target / f"{domain}.mo").open("wb") as handle:
                write_mo(handle, catalog)
            domains.append(domain)
    return domains


def korean_launch_buttons(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Rewrite the launch buttons' tooltips in Korean word order ("Colab에서 열기")."""
    for group in context.get("header_buttons", []):
        if group.get("label") != "launch-buttons":
            continue
        for button in group.get("buttons", []):
            if button.get("text"):
                button["tooltip"] = LAUNCH_TOOLTIP.format(button["text"])


def fix_bibliography_roles(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Give citations in a ``role="list"`` the ``listitem`` role, not ``doc-biblioentry``."""
    body = context.get("body")
    if isinstance(body, str) and _BIBLIO_ROLE in body:
        context["body"] = body.replace(_BIBLIO_ROLE, 'role="listitem"')


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the Korean catalogues (before the book theme) and the page hooks."""
    if "sphinx_book_theme" in app.extensions:
        raise ExtensionError(
            "ko_theme must come before sphinx_book_theme in `extensions`: Sphinx keeps the first "
            "catalogue registered for a domain, so the theme's would win"
        )
    language = app.config.language or "en"
    locale_dirs = [Path(app.srcdir, d) for d in app.config.locale_dirs]
    out_dir = Path(app.doctreedir) / "ko_theme_locale"
    for domain in compile_catalogues(locale_dirs, language, out_dir):
        app.add_message_catalog(domain, str(out_dir))
        logger.info("ko_theme: %s catalogue for %s from %s", language, domain, locale_dirs)
    app.connect("html-page-context", korean_launch_buttons, priority=900)
    app.connect("html-page-context", fix_bibliography_roles, priority=900)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
