"""Korean text in matplotlib figures with the bundled NanumGothic font.

Matplotlib's default font (DejaVu Sans) has no Hangul glyphs, so Korean titles turn into empty
boxes. This module ships NanumGothic (SIL Open Font License, see ``fonts/OFL.txt``) inside the
package, so the same figures render on Colab, on a laptop and in CI without any system font.

Two entry points:

* :func:`use_korean_font` registers the font and makes it matplotlib's default. Call it once at the
  top of a notebook, and call it **again after** ``seaborn.set_theme()`` (seaborn resets the font
  settings).
* :func:`set_theme` does both in one call: it runs ``seaborn.set_theme(**kwargs)`` and then
  :func:`use_korean_font`. Prefer it when a chapter uses a seaborn theme.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib as mpl
from matplotlib import font_manager

__all__ = ["FONT_FAMILY", "font_path", "set_theme", "use_korean_font"]

#: Family name of the bundled font, as matplotlib and the book's CSS know it.
FONT_FAMILY = "NanumGothic"

_FONT_FILE = "NanumGothic.ttf"


def font_path() -> Path:
    """Return the path of the bundled NanumGothic TTF file."""
    path = Path(__file__).resolve().parent / "fonts" / _FONT_FILE
    if not path.is_file():
        raise FileNotFoundError(
            f"bundled font missing: {path} (reinstall attn_lib; the font is package data)"
        )
    return path


def _register(path: Path) -> str:
    """Add the font file to matplotlib's font manager once and return its family name."""
    already = any(Path(entry.fname) == path for entry in font_manager.fontManager.ttflist)
    if not already:
        font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def use_korean_font() -> str:
    """Make the bundled NanumGothic matplotlib's default font and return its family name.

    Sets ``font.family`` to the font, puts it first in ``font.sans-serif`` (so seaborn styles
    that ask for "sans-serif" still find Hangul glyphs) and turns ``axes.unicode_minus`` off,
    because NanumGothic has no U+2212 minus sign. Safe to call repeatedly; call it again after
    ``seaborn.set_theme()``, or use :func:`set_theme` instead.
    """
    family = _register(font_path())
    sans = [name for name in mpl.rcParams["font.sans-serif"] if name != family]
    mpl.rcParams["font.sans-serif"] = [family, *sans]
    # DejaVu Sans (matplotlib's own font) fills in glyphs NanumGothic lacks, such as arrows.
    mpl.rcParams["font.family"] = [family, "DejaVu Sans"]
    mpl.rcParams["axes.unicode_minus"] = False
    return family


def set_theme(**kwargs: Any) -> str:
    """Apply ``seaborn.set_theme(**kwargs)`` and then :func:`use_korean_font`.

    Args:
        **kwargs: passed unchanged to ``seaborn.set_theme`` (``style``, ``context``, ``rc``, ...).

    Returns:
        The font family name, as :func:`use_korean_font` does.
    """
    import seaborn as sns  # imported lazily: seaborn pulls in pandas

    sns.set_theme(**kwargs)
    return use_korean_font()
