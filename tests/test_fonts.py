"""attn_lib.fonts: Hangul in matplotlib figures with the bundled NanumGothic, also after seaborn."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import pytest
from matplotlib import font_manager

from attn_lib import fonts

HANGUL_TITLE = "어텐션 가중치 (%)"


@pytest.fixture(autouse=True)
def _fresh_rc() -> Iterator[None]:
    with mpl.rc_context():
        mpl.rcdefaults()
        yield
    plt.close("all")


def _glyph_warnings() -> list[str]:
    """Draw a Hangul title and labels to Agg; return matplotlib's missing-glyph warnings."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig, ax = plt.subplots()
        ax.set_title(HANGUL_TITLE)
        ax.set_xlabel("입력 토큰")
        ax.plot([-1, 0, 1])  # negative tick labels: U+2212, which NanumGothic lacks, unless
        # axes.unicode_minus is off
        fig.canvas.draw()
        plt.close(fig)
    return [str(w.message) for w in caught if "missing from font" in str(w.message)]


def test_bundled_font_and_licence_ship_with_the_package() -> None:
    path = fonts.font_path()
    assert path.is_file() and path.stat().st_size > 1_000_000
    assert path.read_bytes()[:4] == b"\x00\x01\x00\x00"  # TrueType
    licence = path.with_name("OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE" in licence and "NAVER" in licence


def test_module_is_not_shadowed_by_the_font_folder() -> None:
    assert Path(fonts.__file__).name == "fonts.py"


def test_default_font_lacks_hangul() -> None:
    # Guards the tests below: without the bundled font, Hangul glyphs really are missing.
    assert _glyph_warnings(), "expected DejaVu Sans to miss Hangul glyphs"


def test_use_korean_font_renders_hangul_without_missing_glyphs() -> None:
    family = fonts.use_korean_font()
    assert family == fonts.FONT_FAMILY == "NanumGothic"
    assert mpl.rcParams["font.family"] == [family, "DejaVu Sans"]
    assert mpl.rcParams["font.sans-serif"][0] == family
    assert mpl.rcParams["axes.unicode_minus"] is False
    assert _glyph_warnings() == []
    registered = {Path(entry.fname).resolve() for entry in font_manager.fontManager.ttflist}
    assert fonts.font_path() in registered
    # A system copy of NanumGothic (Debian's fonts-nanum) may win the lookup; it is the same font.
    props = font_manager.FontProperties(family=family)
    found = font_manager.findfont(props, fallback_to_default=False)
    assert font_manager.FontProperties(fname=found).get_name() == family


def test_use_korean_font_is_idempotent() -> None:
    fonts.use_korean_font()
    count = len(font_manager.fontManager.ttflist)
    fonts.use_korean_font()
    assert len(font_manager.fontManager.ttflist) == count
    assert mpl.rcParams["font.sans-serif"].count(fonts.FONT_FAMILY) == 1


def test_seaborn_set_theme_undoes_the_font_and_use_korean_font_restores_it() -> None:
    sns = pytest.importorskip("seaborn")
    fonts.use_korean_font()
    sns.set_theme()
    assert _glyph_warnings(), "seaborn.set_theme is expected to reset the font"
    fonts.use_korean_font()
    assert _glyph_warnings() == []


def test_set_theme_helper_applies_seaborn_then_the_font() -> None:
    sns = pytest.importorskip("seaborn")
    family = fonts.set_theme(style="whitegrid", context="notebook")
    assert family == fonts.FONT_FAMILY
    assert mpl.rcParams["axes.grid"] is True  # the seaborn style is in place
    assert _glyph_warnings() == []
    sns.reset_defaults()
