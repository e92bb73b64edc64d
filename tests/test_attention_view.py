"""Tests for attn_lib.attention_view: payload shape and content, escaping, validation, budget.

The browser side (rendering, hover, click, keys, themes, latency, sandboxed iframe) is in
tests/browser/test_attention_view.py and tests/browser/test_explorers.py.
"""

from __future__ import annotations

import base64
import fnmatch
import html
import json
import re
import subprocess
import sys
import warnings
from typing import Any

import matplotlib as mpl
import numpy as np
import pytest
import tomllib

from attn_lib.attention_view import (
    CMAP_STOPS,
    MINIFIED_BUNDLE,
    SCALE,
    AttentionView,
    attention_view,
    compact_bundle,
    minified_header,
    script_bundle,
    unpack,
)
from tests.conftest import REPO_ROOT
from tests.png_explorer_baseline import embedded_bytes, png_frames

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
DATA_RE = re.compile(
    r'<script type="application/gzip\+base64" class="attn-view-data">([A-Za-z0-9+/=]+)</script>'
)
BUNDLE_RE = re.compile(r'inflate\("([A-Za-z0-9+/=]+)"\)')


def attention(*shape: int, seed: int = 0, alpha: float = 0.3) -> np.ndarray:
    """Random attention whose last axis sums to 1."""
    rng = np.random.default_rng(seed)
    return rng.dirichlet(np.full(shape[-1], alpha), size=shape[:-1])


def masked(weights: np.ndarray, real: list[int]) -> np.ndarray:
    """Zero the padded input columns of each example and renormalise (as a masked softmax)."""
    out = np.array(weights, dtype=float)
    for i, n in enumerate(real):
        out[..., i, :, n:] = 0
    return out / out.sum(axis=-1, keepdims=True)


def page_data(view: AttentionView) -> dict[str, Any]:
    """The JSON the browser reads, parsed back out of the HTML output."""
    (packed,) = DATA_RE.findall(view.html)
    return json.loads(unpack(packed))


def _inputs() -> list[list[str]]:
    return [[*"12+345", "<pad>", "<pad>"], [*"9+87", "<pad>", "<pad>", "<pad>", "<pad>"]]


def _outputs() -> list[list[str]]:
    return [[*"357", "</s>", "<pad>"], [*"96", "</s>", "9", "9"]]


def _weights() -> np.ndarray:
    return masked(attention(2, 5, 8), [6, 4])


# ------------------------------------------------------------------------------------ payload
def test_payload_shape_and_content() -> None:
    weights = _weights()
    view = attention_view(weights, _inputs(), _outputs(), targets=["357", "97"], title="덧셈")
    data = view.data
    assert page_data(view) == data  # what the browser reads is exactly the payload
    assert data["models"] == [""]
    assert data["epochs"] == [""]
    assert data["inputs"] == [list("12+345"), list("9+87")]  # padding removed
    assert data["answers"] == ["357", "97"]
    assert data["order"] == ["example", "step", "epoch", "model"]
    assert data["start"] == {"model": 0, "epoch": 0, "example": 0, "step": 0}
    assert data["scale"] == SCALE == 1000
    assert data["title"] == "덧셈"
    assert len(data["cmap"]) == CMAP_STOPS
    assert all(re.fullmatch(r"#[0-9a-f]{6}", c) for c in data["cmap"])
    assert data["cmap"][0] == "#440154"  # viridis starts dark purple
    (by_epoch,) = data["panels"]
    (panels,) = by_epoch
    assert [p["o"] for p in panels] == [[*"357", "</s>"], [*"96", "</s>"]]  # cut after </s>
    first = np.array(panels[0]["w"]).reshape(4, 6)
    np.testing.assert_array_equal(first, np.rint(weights[0, :4, :6] * SCALE))
    second = np.array(panels[1]["w"]).reshape(3, 4)
    np.testing.assert_array_equal(second, np.rint(weights[1, :3, :4] * SCALE))
    assert abs(first.sum(axis=1) - SCALE).max() <= 3  # rows still sum to 1 after rounding


def test_word_tokens_join_with_spaces_and_match_their_answers() -> None:
    """A word view (chapter 10) joins words with a space, so the answer check can match."""
    inputs = [["의사가", "영화를", "봤다"], ["나는", "책을", "읽었다"]]
    outputs = [["The", "doctor", "watched", "a", "movie", "</s>"], ["I", "read", "it", "</s>"]]
    weights = np.stack([masked(attention(1, 6, 3), [3])[0], masked(attention(1, 6, 3), [3])[0]])
    view = attention_view(
        weights, inputs, outputs, targets=["The doctor watched a movie", ["I", "read", "a", "book"]]
    )
    data = view.data
    assert (data["sepIn"], data["sepOut"]) == (" ", " ")
    assert data["answers"] == ["The doctor watched a movie", "I read a book"]
    assert "입력 의사가 영화를 봤다 → 출력 The doctor watched a movie" in view.html
    assert "열은 입력 단어" in view.html
    # Characters keep joining without a space; special tokens do not make a side "words".
    chars = attention_view(_weights(), _inputs(), _outputs(), targets=["357", "97"])
    assert (chars.data["sepIn"], chars.data["sepOut"]) == ("", "")
    assert "열은 입력 글자" in chars.html


def test_epochs_models_and_emphasis() -> None:
    snapshots = np.stack([_weights(), masked(attention(2, 5, 8, seed=1), [6, 4])])
    per_epoch = [_outputs(), [[*"35", "</s>"], [*"97", "</s>"]]]
    view = attention_view(
        {"바다나우": snapshots, "루옹": snapshots[::-1]},
        _inputs(),
        {"바다나우": per_epoch, "루옹": _outputs()},
        over="epochs",
        epochs=[1, 5],
        example=1,
    )
    data = view.data
    assert data["models"] == ["바다나우", "루옹"]
    assert data["epochs"] == ["1", "5"]
    assert data["order"] == ["epoch", "example", "step", "model"]
    assert data["start"] == {"model": 0, "epoch": 0, "example": 1, "step": 0}
    assert data["panels"][0][1][1]["o"] == [*"97", "</s>"]  # per-epoch predictions
    assert data["panels"][1][1][1]["o"] == [*"96", "</s>"]  # one list for every epoch
    np.testing.assert_array_equal(
        np.array(data["panels"][1][0][0]["w"]).reshape(4, 6),
        np.rint(snapshots[1, 0, :4, :6] * SCALE),
    )
    steps = attention_view(_weights(), _inputs(), _outputs(), over="steps")
    assert steps.data["order"][0] == "step" and steps.data["start"]["step"] == 1
    models = attention_view(
        {"a": _weights(), "b": _weights()}, _inputs(), _outputs(), over="models"
    )
    assert models.data["order"][0] == "model"


def test_mimebundle_and_sizes() -> None:
    view = attention_view(_weights(), _inputs(), _outputs())
    bundle = view._repr_mimebundle_()
    assert bundle["text/html"] == view._repr_html_() == view.html
    assert base64.b64decode(bundle["image/png"]).startswith(PNG_SIGNATURE)
    assert "AttentionView" in bundle["text/plain"]
    assert view.payload_bytes == view.embedded_bytes == view.total_bytes
    assert view.payload_bytes == len(view.html.encode("utf-8"))
    assert view.data_bytes < view.payload_bytes


def test_output_is_self_contained() -> None:
    """One container; the data, a static fallback image and the loader; nothing from outside."""
    first = attention_view(_weights(), _inputs(), _outputs())
    second = attention_view(_weights(), _inputs(), _outputs())
    ids = [
        re.search(r'<div class="attn-view[^"]*" id="([\w-]+)"', v.html).group(1)
        for v in (first, second)
    ]
    assert ids[0] != ids[1]  # several views on one page
    text = first.html
    assert text.count("<script") == 2 and text.count("</script>") == 2
    assert not re.search(r"(src|href)=\"(?!data:)", text)  # no file, no URL: nothing to fetch
    assert "require(" not in text and "http" not in text.replace("http-equiv", "")
    img = re.search(r'<img src="data:image/png;base64,([^"]+)" width="(\d+)" height="(\d+)"', text)
    assert img and base64.b64decode(img.group(1)).startswith(PNG_SIGNATURE)
    assert (int(img.group(2)), int(img.group(3))) == (6 * 12, 4 * 12)  # first panel's cells
    assert re.search(r'alt="어텐션 히트맵[^"]+"', text)


def test_static_files_are_package_data() -> None:
    """Colab installs attn_lib from git: the script and style sheet must be in the wheel."""
    patterns = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
        "setuptools"
    ]["package-data"]["attn_lib"]
    static = sorted((REPO_ROOT / "attn_lib" / "static").iterdir())
    assert {p.name for p in static} >= {"attention_view.js", "attention_view.css"}
    for path in static:
        relative = path.relative_to(REPO_ROOT / "attn_lib").as_posix()
        assert any(fnmatch.fnmatch(relative, pattern) for pattern in patterns), relative


def test_minified_bundle_is_current() -> None:
    """attention_view.min.js was made from today's sources (else the bigger bundle is used)."""
    header = MINIFIED_BUNDLE.read_text(encoding="utf-8").partition("\n")[0]
    assert header == minified_header(), (
        "attn_lib/static/attention_view.js or .css changed: run tools/build_view_bundle.py"
    )
    assert script_bundle() != compact_bundle()
    assert len(script_bundle()) < 0.9 * len(compact_bundle())


@pytest.mark.slow
def test_minified_bundle_rebuilds_identically() -> None:
    """terser (pinned in package.json) turns the sources into exactly the committed file."""
    run = subprocess.run(
        [sys.executable, str(REPO_ROOT / "tools" / "build_view_bundle.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr or run.stdout


def test_script_bundle_round_trip() -> None:
    """The gzipped bundle in the loader is the script with the style sheet inside."""
    view = attention_view(_weights(), _inputs(), _outputs())
    (packed,) = BUNDLE_RE.findall(view.html)
    code = unpack(packed)
    assert code == script_bundle()
    assert "__CSS_TEXT__" not in code and ".attn-view .av-grid" in code
    assert "window.attnLibView" in code and "textContent" in code
    assert ".innerHTML" not in code and ".innerHTML" not in compact_bundle()


# ----------------------------------------------------------------------------------- escaping
def test_tokens_and_title_are_escaped() -> None:
    inputs = [["<script>", "</script>", "&amp;", '"', "'"]]
    outputs = [["<b>", "</s>"]]
    view = attention_view(
        attention(1, 2, 5),
        inputs,
        outputs,
        targets=["<b>"],
        title="</script><script>alert(1)</script>",
    )
    text = view.html
    assert text.count("<script") == 2 and text.count("</script>") == 2
    assert "<b>" not in text
    data = page_data(view)  # packed: no token can reach the HTML parser
    assert data["inputs"] == inputs
    assert data["panels"][0][0][0]["o"] == outputs[0]
    assert data["title"] == "</script><script>alert(1)</script>"
    caption = re.search(r"<figcaption>(.*?)</figcaption>", text).group(1)
    assert "<" not in caption and "&lt;script&gt;" in caption
    assert "<script>" in html.unescape(caption)


# --------------------------------------------------------------------------------- validation
@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"attention": np.ones((2, 4))}, r"3-D or 4-D .*got shape \(2, 4\)"),
        ({"attention": np.zeros((0, 3, 4))}, "empty"),
        ({"attention": np.zeros((2, 3, 0))}, "empty"),
        ({"attention": "abc"}, "numeric array"),
        ({"attention": {}}, "empty mapping"),
        ({"input_tokens": [], "attention": np.zeros((0, 3, 4))}, "empty"),
        ({"input_tokens": [list("abcd")]}, "input_tokens has 1 sequences but attention has 2"),
        ({"output_tokens": [list("ab")] * 3}, "output_tokens has 3 sequences"),
        ({"input_tokens": [list("abcde")] * 2}, "example 0: 5 input tokens but .* 4 input steps"),
        ({"output_tokens": [list("abcd")] * 2}, "example 0: 4 output tokens but .* 3 output"),
        ({"input_tokens": [["<pad>"] * 4] * 2}, "example 0: no input token left"),
        ({"output_tokens": [["<pad>"]] * 2}, "example 0: no output token left"),
        ({"input_tokens": "abcd"}, "sequence of token sequences"),
        ({"input_tokens": [[1, 2], [3, 4]]}, r"input_tokens\[0\] must be a sequence of string"),
        ({"over": "layers"}, "over must be one of"),
        ({"over": "steps", "example": 2}, r"example=2 is outside 0\.\.1"),
        ({"over": "epochs"}, "over='epochs' needs 4-D"),
        ({"over": "models"}, "over='models' needs two or more models"),
        ({"epochs": [1, 2]}, "epochs was given but attention is 3-D"),
        ({"max_positions": 1}, "2 examples would make a slider of 2 positions"),
        ({"targets": ["ab"]}, "targets has 1 answers but attention has 2"),
        ({"cmap": "no-such-map"}, "cmap 'no-such-map'"),
        ({"tolerance": 0.7}, "tolerance"),
    ],
)
def test_validation_errors(kwargs: dict[str, Any], message: str) -> None:
    arguments: dict[str, Any] = {
        "attention": attention(2, 3, 4),
        "input_tokens": [list("abcd")] * 2,
        "output_tokens": [list("xy")] * 2,
    }
    arguments.update(kwargs)
    with pytest.raises(ValueError, match=message):
        attention_view(**arguments)


def test_nan_and_inf_are_located() -> None:
    weights = attention(2, 3, 4)
    weights[1, 2, 3] = np.nan
    with pytest.raises(ValueError, match=r"contains NaN \(first at index \[1, 2, 3\]\)"):
        attention_view(weights, [list("abcd")] * 2, [list("xyz")] * 2)
    weights[1, 2, 3] = np.inf
    with pytest.raises(ValueError, match=r"contains inf"):
        attention_view(weights, [list("abcd")] * 2, [list("xyz")] * 2)
    with pytest.raises(ValueError, match=r"attention\['b'\] contains NaN"):
        attention_view(
            {"a": attention(2, 3, 4), "b": weights * np.nan}, [list("abcd")] * 2, [["x"]] * 2
        )


def test_rows_must_sum_to_one_over_real_tokens() -> None:
    """Weight left on padding (an unmasked softmax) is named: model, example, row, sum."""
    inputs = [[*"abc", "<pad>"], list("abcd")]
    unmasked = attention(2, 3, 4, alpha=5.0)  # rows sum to 1 over all 4 steps, padding included
    with pytest.raises(ValueError, match=r"example 0: output row 0 \('x'\) .* 3 real input tokens"):
        attention_view(unmasked, inputs, [list("xy")] * 2)
    off = masked(attention(2, 3, 4), [3, 4])
    off[1, 1] *= 0.9
    with pytest.raises(ValueError, match=r"model 'b', example 1: output row 1 .* sum to 0\.9000"):
        attention_view(
            {"a": masked(attention(2, 3, 4), [3, 4]), "b": off}, inputs, [list("xy")] * 2
        )
    off[1, 1] /= 0.9
    off[1, 1] *= 0.995  # within the tolerance
    attention_view(off, inputs, [list("xy")] * 2)
    with pytest.raises(ValueError, match=r"sum to 0\.9950"):
        attention_view(off, inputs, [list("xy")] * 2, tolerance=0.001)
    negative = attention(1, 1, 2)
    negative[0, 0] = [1.5, -0.5]
    with pytest.raises(ValueError, match=r"must lie in \[0, 1\], got -0\.5 \.\. 1\.5"):
        attention_view(negative, ["ab"], ["x"])


def test_model_mapping_errors() -> None:
    inputs, outputs = [list("abcd")] * 2, [list("xy")] * 2
    with pytest.raises(ValueError, match="disagree"):
        attention_view({"a": attention(2, 3, 4), "b": attention(3, 3, 4)}, inputs, outputs)
    with pytest.raises(ValueError, match="mix 3-D and 4-D"):
        attention_view({"a": attention(2, 3, 4), "b": attention(1, 2, 3, 4)}, inputs, outputs)
    with pytest.raises(ValueError, match=r"no tokens for models \['b'\]"):
        attention_view({"a": attention(2, 3, 4), "b": attention(2, 3, 4)}, inputs, {"a": outputs})
    with pytest.raises(ValueError, match=r"per epoch must be 2 epochs x 2 examples, got 1 x \[2\]"):
        attention_view(attention(2, 2, 3, 4), inputs, [[["x"], ["y"]]], over="epochs")


def test_byte_budget_warns_and_style_is_left_alone() -> None:
    before = dict(mpl.rcParams)
    with pytest.warns(UserWarning, match="budget"):
        attention_view(attention(1, 2, 2), ["ab"], ["xy"], byte_budget=10)
    assert dict(mpl.rcParams) == before


def test_hangul_export_image_has_a_font() -> None:
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*missing from font")
        view = attention_view(attention(1, 2, 3), ["가나다"], ["사아"], title="한글")
    assert view.print_png.startswith(PNG_SIGNATURE)


# ------------------------------------------------------------------------------------- budget
#: The book's explorers as (name, shape, call arguments). Shapes follow the chapters' full
#: builds: chapter 5 reverses up to 8 digits, chapter 6 adds 3-digit numbers (7-character
#: question, answers up to 4 digits + </s>), chapter 8 reads dates of up to ~30 characters.
BOOK_EXPLORERS = [
    ("ch5 examples", (8, 9, 8), {"over": "examples"}),
    ("ch5 steps", (8, 9, 8), {"over": "steps"}),
    ("ch6 examples", (8, 5, 7), {"over": "examples", "annotate": True}),
    ("ch6 steps", (1, 5, 7), {"over": "steps", "annotate": True}),
    ("ch8 examples", (10, 11, 30), {"over": "examples", "dpi": 70}),
    ("ch8 epochs", (6, 6, 11, 30), {"over": "epochs", "example": 1, "dpi": 70}),
]


@pytest.mark.slow
@pytest.mark.parametrize(("name", "shape", "kwargs"), BOOK_EXPLORERS, ids=lambda v: str(v))
def test_payload_is_at_most_a_fifth_of_the_png_explorer(
    name: str, shape: tuple[int, ...], kwargs: dict[str, Any]
) -> None:
    """Same data through the old PNG flip-book and the new view: the view weighs <= 20 %."""
    weights = attention(*shape, alpha=0.2)
    n_examples, t_in = shape[-3], shape[-1]
    digits = "0123456789-/. 년월일"
    inputs = [[digits[(i + j) % len(digits)] for j in range(t_in)] for i in range(n_examples)]
    outputs = [
        [digits[(i * 3 + j) % 10] for j in range(shape[-2] - 1)] + ["</s>"]
        for i in range(n_examples)
    ]
    old = embedded_bytes(png_frames(weights, inputs, outputs, **kwargs))
    new = attention_view(weights, inputs, outputs, **kwargs).payload_bytes
    print(f"{name}: PNG explorer {old / 1024:.1f} kB, view {new / 1024:.1f} kB ({new / old:.0%})")
    assert new <= 0.2 * old, f"{name}: view {new:,} B > 20 % of the PNG explorer's {old:,} B"
