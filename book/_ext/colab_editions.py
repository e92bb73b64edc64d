"""Write a Colab edition of every chapter into the built site and point the Colab buttons at it.

At ``build-finished`` (so ``make book`` and ``make quick`` both do it), every notebook of the book
is converted by ``tools/colab_edition.py`` into ``<html>/colab/<name>.ipynb`` with the glue values
that myst-nb stored for THIS build (``<build>/jupyter_execute/<docname>.glue.json``, the same data
the HTML prose was rendered from). A conversion error (unknown MyST construct, missing glue key or
citation) is logged as a warning, which the strict build (``--warningiserror``) turns into a
failed build naming the notebook.

``<html>/colab/manifest.json`` lists the editions, the commit they pin attn_lib to, and the branch
the CI workflow pushes them to (``colab_edition_branch``); see docs/COLAB.md.

Everything derives from ``_config.yml``: ``repository.url`` and ``repository.branch`` (via the
theme options Jupyter Book sets), ``launch_buttons.colab_url``, ``html.baseurl`` (optional; by
default the GitHub Pages address of the repository). Settings of this extension
(``sphinx.config`` in ``_config.yml``)::

    colab_edition_branch: colab   # the branch that holds the editions (Colab opens them there)
    colab_edition_commit: ""      # pin attn_lib to this commit; default: git rev-parse HEAD
                                  # (or the ATTN_BOOK_COMMIT environment variable)
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.util import docname_join, logging
from sphinx.util.osutil import SEP

_TOOLS = Path(__file__).resolve().parents[2] / "tools"
if str(_TOOLS) not in sys.path:
    sys.path.insert(0, str(_TOOLS))

import colab_edition as ce  # noqa: E402

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

__version__ = "1.0"
logger = logging.getLogger(__name__)

EDITION_DIR = "colab"
MANIFEST = "manifest.json"


# --------------------------------------------------------------------------- settings


def repository_parts(app: Sphinx) -> tuple[str, str, str, str]:
    """Return (repository URL, owner, name, branch) from the ``repository:`` settings."""
    options = app.config.html_theme_options or {}
    url = str(options.get("repository_url", "")).rstrip("/")
    match = re.match(r"^https://github\.com/([^/]+)/([^/]+?)(?:\.git)?$", url)
    if match is None:
        raise ValueError(
            f"repository.url in _config.yml must be https://github.com/<owner>/<repo>, got {url!r}"
            " (Colab opens notebooks from GitHub only)"
        )
    return url, match.group(1), match.group(2), str(options.get("repository_branch", "main"))


def book_base_url(app: Sphinx) -> str:
    """The published book's address, ending with ``/``: ``html.baseurl`` or GitHub Pages."""
    base = (app.config.html_baseurl or "").strip()
    if not base:
        _, owner, repo, _ = repository_parts(app)
        base = f"https://{owner.lower()}.github.io/{repo}/"
    return base if base.endswith("/") else base + "/"


def colab_base(app: Sphinx) -> str:
    options = app.config.html_theme_options or {}
    launch = options.get("launch_buttons") or {}
    return str(launch.get("colab_url") or "https://colab.research.google.com").rstrip("/")


def edition_name(docname: str) -> str:
    """``notebooks/02_bottleneck`` -> ``02_bottleneck.ipynb``."""
    return docname.rsplit(SEP, 1)[-1] + ".ipynb"


def edition_colab_url(app: Sphinx, docname: str) -> str:
    """Where Colab opens the edition: the edition branch of the repository on GitHub."""
    _, owner, repo, _ = repository_parts(app)
    branch = app.config.colab_edition_branch
    return f"{colab_base(app)}/github/{owner}/{repo}/blob/{branch}/{edition_name(docname)}"


def build_commit(app: Sphinx) -> str:
    """The commit the editions pin attn_lib to (config, ATTN_BOOK_COMMIT, or git HEAD)."""
    commit = app.config.colab_edition_commit or os.environ.get("ATTN_BOOK_COMMIT", "")
    if commit:
        return commit
    try:
        result = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=app.srcdir,
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError) as exc:
        raise ValueError(
            "cannot pin the Colab editions to a commit: `git rev-parse HEAD` failed in "
            f"{app.srcdir} ({exc}); build from a git clone or set ATTN_BOOK_COMMIT"
        ) from None
    return result.stdout.strip()


def book_title(app: Sphinx) -> str:
    """The book's title (Jupyter Book sets ``html_title`` from ``title:``, not ``project``)."""
    for title in (app.config.html_title, app.config.project):
        if title and title != "Project name not set" and " documentation" not in str(title):
            return str(title)
    return ""


def _is_notebook(env: BuildEnvironment, docname: str) -> bool:
    return str(env.doc2path(docname)).endswith(".ipynb")


# --------------------------------------------------------------------------- resolving


class SphinxResolver:
    """Resolves ``{doc}``, ``{ref}``, ``{term}``, ``{numref}``, ``{eq}`` and Python roles."""

    def __init__(self, app: Sphinx) -> None:
        self.app = app
        self.env = app.env
        self.base = book_base_url(app)

    def page(self, docname: str, anchor: str = "") -> str:
        uri = self.app.builder.get_target_uri(docname)
        return f"{self.base}{uri}" + (f"#{anchor}" if anchor else "")

    def __call__(self, role: str, target: str, docname: str) -> ce.Link:
        std = self.env.get_domain("std")
        if role == "doc":
            name = docname_join(docname, target.removesuffix(".md").removesuffix(".ipynb"))
            if name not in self.env.all_docs:
                raise KeyError(f"no document {name!r}")
            return ce.Link(self.page(name), self.env.titles[name].astext())
        if role in ("ref", "numref"):
            label = target.lower()
            if label not in std.anonlabels:  # type: ignore[attr-defined]
                raise KeyError(f"no label {label!r}")
            doc, anchor = std.anonlabels[label]  # type: ignore[attr-defined]
            title = std.labels.get(label, (doc, anchor, ""))[2]  # type: ignore[attr-defined]
            if role == "numref":
                title = self._number(doc, anchor) or title
            return ce.Link(self.page(doc, anchor), title or label)
        if role == "term":
            terms = getattr(std, "_terms", {})
            entry = terms.get(target.lower()) or std.objects.get(("term", target))  # type: ignore[attr-defined]
            if entry is None:
                raise KeyError(f"no glossary term {target!r}")
            return ce.Link(self.page(entry[0], entry[1]), target)
        if role == "eq":
            math = self.env.get_domain("math")
            equations = math.data["objects"]
            if target not in equations:
                raise KeyError(f"no equation {target!r}")
            doc, number = equations[target]
            return ce.Link(self.page(doc, f"equation-{target}"), f"({number})")
        if role.startswith("py:"):
            objects = self.env.get_domain("py").objects  # type: ignore[attr-defined]
            if target not in objects:
                raise KeyError(f"no Python object {target!r}")
            entry = objects[target]
            return ce.Link(self.page(entry.docname, entry.node_id), target)
        raise KeyError(f"unknown role {role}")

    def _number(self, docname: str, anchor: str) -> str:
        numbers = self.env.toc_fignumbers.get(docname, {})
        for figtype, by_id in numbers.items():
            if anchor in by_id:
                number = ".".join(map(str, by_id[anchor]))
                fmt = self.app.config.numfig_format.get(figtype, "%s")
                return fmt % number
        return ""


def citations(app: Sphinx) -> dict[str, ce.Citation]:
    """Every entry of the bibliography files, linked to where the references page lists it."""
    env = app.env
    resolver = SphinxResolver(app)
    anchors: dict[str, str] = {}
    try:
        domain = env.get_domain("cite")
    except Exception:  # sphinxcontrib-bibtex not loaded: no links, still author/year text
        domain = None
    for citation in getattr(domain, "citations", []):
        anchors.setdefault(
            citation.key,
            resolver.page(citation.bibliography_key.docname, citation.citation_id),
        )
    found: dict[str, ce.Citation] = {}
    for bibfile in app.config.bibtex_bibfiles if "bibtex_bibfiles" in app.config else []:
        path = Path(app.srcdir) / bibfile
        found.update(ce.load_bibliography(path, lambda key: anchors.get(key, "")))
    return found


# --------------------------------------------------------------------------- events


def point_launch_button(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Make the page's Colab launch button open the Colab edition (after the theme adds it)."""
    if pagename not in app.env.all_docs or not _is_notebook(app.env, pagename):
        return
    for group in context.get("header_buttons", []):
        if group.get("label") != "launch-buttons":
            continue
        for button in group.get("buttons", []):
            if button.get("text") == "Colab":
                button["url"] = edition_colab_url(app, pagename)
                button["tooltip"] = "Colab에서 실행하기 (Colab판)"


def _glue_data(app: Sphinx, docname: str) -> Mapping[str, Any]:
    from myst_nb.sphinx_ import NbMetadataCollector

    keys = NbMetadataCollector.get_doc_data(app.env).get(docname, {}).get("glue", [])
    if not keys:
        return {}
    folder = Path(app.env.mystnb_config.output_folder)  # type: ignore[attr-defined]
    path = folder.joinpath(*docname.split(SEP)[:-1], docname.split(SEP)[-1] + ".glue.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    # Only keys this build recorded for the document (a stale file may hold more).
    return {key: data[key] for key in keys if key in data}


def write_editions(app: Sphinx, exception: Exception | None) -> None:
    """Convert every notebook of the book into ``<outdir>/colab/``; warn (= fail) on errors."""
    if exception is not None or app.builder.format != "html":
        return
    env = app.env
    notebooks = sorted(d for d in env.all_docs if _is_notebook(env, d))
    if not notebooks:
        return
    try:
        url = repository_parts(app)[0]
        commit = build_commit(app)
        refs = citations(app)
    except ValueError as exc:
        logger.warning(f"Colab editions: {exc}", type="colab", subtype="config")
        return
    resolver = SphinxResolver(app)
    install = f"attn-lib @ git+{url}@{commit}"
    setup = ce.setup_cell_source(install, book_title=book_title(app))
    quick = os.environ.get("ATTN_BOOK_QUICK", "0") not in ("", "0")
    substitutions = getattr(app.config, "myst_substitutions", {}) or {}
    outdir = Path(app.outdir) / EDITION_DIR
    outdir.mkdir(parents=True, exist_ok=True)
    names = [edition_name(d) for d in notebooks]
    if len(set(names)) != len(names):
        logger.warning("Colab editions: two notebooks share a file name", type="colab")
        return

    editions = []
    for docname in notebooks:
        source = Path(env.doc2path(docname))
        name = edition_name(docname)
        context = ce.EditionContext(
            name=str(source.relative_to(app.srcdir)),
            docname=docname,
            source_dir=source.parent,
            glue=_glue_data(app, docname),
            citations=refs,
            resolve=resolver,
            setup_source=setup,
            colab_url=edition_colab_url(app, docname),
            book_page_url=resolver.page(docname),
            substitutions=substitutions,
            glue_of=lambda other, _doc=docname: _glue_data(app, _docname_join(_doc, other)),
            quick=quick,
        )
        raw = source.read_bytes()
        try:
            edition = ce.convert_notebook(json.loads(raw), context)
        except ce.ConversionError as exc:
            logger.warning(f"Colab edition: {exc}", location=docname, type="colab")
            (outdir / name).unlink(missing_ok=True)  # no stale edition from an earlier build
            continue
        edition["metadata"]["attn_book"] = {
            "source": context.name,
            "source_sha256": hashlib.sha256(raw).hexdigest(),
            "commit": commit,
            "quick": quick,
        }
        text = json.dumps(edition, ensure_ascii=False, indent=1) + "\n"
        (outdir / name).write_text(text, encoding="utf-8")
        editions.append(
            {
                "docname": docname,
                "file": f"{EDITION_DIR}/{name}",
                "source": context.name,
                "source_sha256": hashlib.sha256(raw).hexdigest(),
                "colab_url": context.colab_url,
            }
        )
    manifest = {
        "branch": app.config.colab_edition_branch,
        "commit": commit,
        "install": install,
        "quick": quick,
        "editions": editions,
    }
    (outdir / MANIFEST).write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    logger.info(f"Colab editions: {len(editions)} notebooks in {outdir} (attn_lib @ {commit[:12]})")


def _docname_join(base: str, target: str) -> str:
    return docname_join(base, target.removesuffix(".ipynb"))


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("colab_edition_branch", "colab", "html", types=[str])
    app.add_config_value("colab_edition_commit", "", "html", types=[str])
    # After sphinx-book-theme adds its launch buttons (priority 501).
    app.connect("html-page-context", point_launch_button, priority=502)
    app.connect("build-finished", write_editions)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
