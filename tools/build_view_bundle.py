"""Minify the attention view's script bundle into attn_lib/static/attention_view.min.js.

The view inlines its script (attention_view.js with attention_view.css inside) into every notebook
output, so its size is paid once per view. terser (pinned in package.json; ``npm ci``) saves about
0.9 kB per view after gzip and base64. The minified file is committed: Colab installs attn_lib
from git and has no node. Its first line records the SHA-256 of the two sources; when they change
and the file was not rebuilt, attn_lib falls back to the unminified bundle and
tests/test_attention_view.py fails until this script is run again.

Usage: ``.venv/bin/python tools/build_view_bundle.py`` (``--check``: fail if the committed file
differs from a fresh build).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from attn_lib.attention_view import (  # noqa: E402
    MINIFIED_BUNDLE,
    compact_bundle,
    minified_header,
)

TERSER = ROOT / "node_modules" / ".bin" / "terser"
TERSER_ARGS = ["--compress", "passes=2", "--mangle", "--ecma", "2017", "--comments", "false"]


def build() -> str:
    """The minified bundle, header line included."""
    if not TERSER.is_file():
        raise SystemExit(f"{TERSER} is missing: run `npm ci` (or `make setup`)")
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "bundle.js"
        source.write_text(compact_bundle(), encoding="utf-8")
        minified = subprocess.run(
            [str(TERSER), str(source), *TERSER_ARGS],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    return f"{minified_header()}\n{minified}\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args()
    fresh = build()
    if args.check:
        current = MINIFIED_BUNDLE.read_text(encoding="utf-8") if MINIFIED_BUNDLE.is_file() else ""
        if current != fresh:
            raise SystemExit(f"{MINIFIED_BUNDLE} is stale: run tools/build_view_bundle.py")
        print(f"{MINIFIED_BUNDLE.name} is current")
        return
    MINIFIED_BUNDLE.write_text(fresh, encoding="utf-8")
    print(f"wrote {MINIFIED_BUNDLE} ({len(fresh.encode()):,} bytes)")


if __name__ == "__main__":
    main()
