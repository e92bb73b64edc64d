"""Publish the browser models of ``attn_lib.playground`` boxes into the built site.

An executed chapter that shows a playground writes its model file and the runtime, with content
hashes in their names, to ``$ATTN_BOOK_WEBMODELS`` (default ``<book>/_build/webmodels``) and
names them in its output (``data-attn-files="attn_playground-….js dates-….js"``). When the HTML
build finishes, this extension copies exactly the files the pages name into ``<site>/webmodels/``
and reports a missing one as a warning (an error under ``--warningiserror``): that happens when a
cached notebook output outlives the folder, and re-executing the chapter fixes it.

Why not ``html_static_path`` or ``html_extra_path``: a ``_static`` folder's scripts are loaded on
every page, and both would publish every file ever written (stale models of earlier builds
included) without noticing a missing one.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

ENV = "ATTN_BOOK_WEBMODELS"
SITE_FOLDER = "webmodels"
FILES_RE = re.compile(r'data-attn-files="([^"]*)"')
NAME_RE = re.compile(r"[A-Za-z0-9_.-]+\.js")


def source_folder(app: Sphinx) -> Path:
    """Where executed notebooks wrote the files (``$ATTN_BOOK_WEBMODELS`` or the default)."""
    configured = os.environ.get(ENV, "").strip()
    return Path(configured) if configured else Path(app.confdir) / "_build" / SITE_FOLDER


def referenced_files(html_dir: Path) -> dict[str, list[str]]:
    """File name -> the pages (relative paths) whose playgrounds load it."""
    wanted: dict[str, list[str]] = {}
    for page in sorted(html_dir.rglob("*.html")):
        text = page.read_text(encoding="utf-8", errors="replace")
        for match in FILES_RE.finditer(text):
            for name in match.group(1).split():
                wanted.setdefault(name, []).append(page.relative_to(html_dir).as_posix())
    return wanted


def publish(app: Sphinx, exception: Exception | None) -> None:
    """Copy every referenced file into ``<outdir>/webmodels/``; warn about missing ones."""
    if exception is not None or app.builder.format != "html":
        return
    html_dir = Path(app.outdir)
    source = source_folder(app)
    target = html_dir / SITE_FOLDER
    for name, pages in sorted(referenced_files(html_dir).items()):
        origin = source / name
        if not NAME_RE.fullmatch(name) or not origin.is_file():
            logger.warning(
                "browser model file %s (loaded by %s) is missing from %s: re-execute the "
                "chapter (clear the jupyter cache) so that it writes the file again",
                name,
                ", ".join(pages),
                source,
                type="attn",
                subtype="webmodels",
            )
            continue
        target.mkdir(exist_ok=True)
        shutil.copyfile(origin, target / name)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("build-finished", publish)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
