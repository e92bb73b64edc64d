"""Copy the book's browser assets from node_modules (and the bundled font) into book/_assets/vendor.

The built book must work offline: no script, style sheet or font may come from a CDN. ``npm ci``
installs the exact versions from package-lock.json; this script copies the few files the pages
load into ``book/_assets/vendor/`` (gitignored), which Sphinx then copies to ``_static/vendor/``:

* ``require.js`` - the AMD loader the ipywidgets bundle needs;
* ``html-manager/`` - ``embed-amd.js`` of @jupyter-widgets/html-manager (renders saved widget
  state, ipywidgets 8) and the icon fonts it refers to;
* ``mathjax/`` - MathJax 3 (``tex-mml-chtml.js``, its lazily loaded parts and CHTML fonts);
* ``fonts/NanumGothic.woff`` - attn_lib's bundled TTF, compressed to WOFF for the web.

Usage: ``python tools/vendor_assets.py`` (``make assets`` runs it after ``npm ci``).
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
VENDOR = ROOT / "book" / "_assets" / "vendor"
FONT_TTF = ROOT / "attn_lib" / "fonts" / "NanumGothic.ttf"
FONT_LICENSE = ROOT / "attn_lib" / "fonts" / "OFL.txt"

# Files next to embed-amd.js that the bundle may request (Font Awesome icon fonts).
_WIDGET_FONT_SUFFIXES = {".woff2", ".woff", ".ttf", ".eot", ".svg"}
# MathJax loads these folders lazily, relative to its own script.
_MATHJAX_DIRS = ["a11y", "adaptors", "input", "output", "sre", "ui"]


def _package(name: str) -> tuple[Path, dict]:
    folder = NODE_MODULES / name
    manifest = folder / "package.json"
    if not manifest.is_file():
        raise SystemExit(f"{name} is missing from node_modules: run `npm ci` (or `make assets`)")
    return folder, json.loads(manifest.read_text(encoding="utf-8"))


def _notice(target: Path, meta: dict) -> None:
    target.joinpath("NOTICE.txt").write_text(
        f"{meta['name']} {meta['version']} ({meta.get('license', 'see package')}), "
        "copied from the npm registry package by tools/vendor_assets.py\n",
        encoding="utf-8",
    )


def vendor_requirejs() -> str:
    """Copy require.js; return its version."""
    folder, meta = _package("requirejs")
    shutil.copy2(folder / "require.js", VENDOR / "require.js")
    return meta["version"]


def vendor_html_manager() -> str:
    """Copy embed-amd.js and its icon fonts; return the package version."""
    folder, meta = _package("@jupyter-widgets/html-manager")
    target = VENDOR / "html-manager"
    target.mkdir(parents=True)
    dist = folder / "dist"
    shutil.copy2(dist / "embed-amd.js", target / "embed-amd.js")
    for path in dist.iterdir():
        if path.suffix in _WIDGET_FONT_SUFFIXES:
            shutil.copy2(path, target / path.name)
    _notice(target, meta)
    return meta["version"]


def vendor_mathjax() -> str:
    """Copy MathJax's tex-mml-chtml component and the folders it loads from; return its version."""
    folder, meta = _package("mathjax")
    es5 = folder / "es5"
    target = VENDOR / "mathjax"
    target.mkdir(parents=True)
    shutil.copy2(es5 / "tex-mml-chtml.js", target / "tex-mml-chtml.js")
    for name in _MATHJAX_DIRS:
        shutil.copytree(es5 / name, target / name)
    shutil.copy2(folder / "LICENSE", target / "LICENSE")
    _notice(target, meta)
    return meta["version"]


def vendor_font() -> str:
    """Write NanumGothic.woff (about half the TTF's size) and its licence; return the format.

    The TTF carries Visual TrueType source tables (TSI0-TSI5), one of them empty. Browsers'
    font sanitiser (OTS) rejects the whole font for that, so they are dropped: they hold hinting
    sources for font editors and change nothing on screen.
    """
    from fontTools.ttLib import TTFont  # matplotlib's dependency, always in the venv

    target = VENDOR / "fonts"
    target.mkdir(parents=True)
    font = TTFont(FONT_TTF)
    for tag in [tag for tag in font.keys() if tag.startswith("TSI")]:  # noqa: SIM118 (no __iter__)
        del font[tag]
    font.flavor = "woff"
    font.save(target / "NanumGothic.woff")
    shutil.copy2(FONT_LICENSE, target / "OFL.txt")
    return "woff"


def main() -> int:
    """Recreate book/_assets/vendor from scratch; return 0."""
    if VENDOR.exists():
        shutil.rmtree(VENDOR)
    VENDOR.mkdir(parents=True)
    versions = {
        "requirejs": vendor_requirejs(),
        "@jupyter-widgets/html-manager": vendor_html_manager(),
        "mathjax": vendor_mathjax(),
        "NanumGothic": vendor_font(),
    }
    VENDOR.joinpath("versions.json").write_text(
        json.dumps(versions, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    print("vendored into book/_assets/vendor:", ", ".join(f"{k} {v}" for k, v in versions.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
