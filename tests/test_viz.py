"""Tests for attn_lib.viz: heatmap labels and validation, learning curves, attention bars."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from types import SimpleNamespace

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib import cbook
from matplotlib.axes import Axes
from matplotlib.colors import to_hex
from matplotlib.patches import Rectangle

from attn_lib.viz import (
    HIGHLIGHT_COLOR,
    plot_attention,
    plot_attention_bars,
    plot_history,
    trim_attention,
)

mpl.use("Agg")

INPUT = ["1", "2", "+", "3", "4"]
OUTPUT = ["4", "6", "</s>"]


@pytest.fixture(autouse=True)
def _korean_font_and_cleanup() -> Iterator[None]:
    with mpl.rc_context():
        try:
            from attn_lib.fonts import use_korean_font
        except ImportError:  # fonts.py not there yet: Hangul renders as boxes, tests still hold
            pass
        else:
            use_korean_font()
        yield
    plt.close("all")


def _weights(rows: int = 3, columns: int = 5, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).dirichlet(np.ones(columns), size=rows)


def _texts(labels: list) -> list[str]:
    return [label.get_text() for label in labels]


# ----------------------------------------------------------------------------- plot_attention
def test_plot_attention_labels_ticks_and_colorbar() -> None:
    ax = plot_attention(_weights(), INPUT, OUTPUT)
    assert isinstance(ax, Axes)
    assert _texts(ax.get_xticklabels()) == INPUT
    assert _texts(ax.get_yticklabels()) == OUTPUT
    assert ax.get_xlabel() == "입력 토큰"
    assert ax.get_ylabel() == "출력 토큰"
    colorbar = ax.collections[0].colorbar
    assert colorbar is not None
    assert colorbar.ax.get_ylabel() == "어텐션 가중치"
    assert colorbar.mappable.get_clim() == (0.0, 1.0)


def test_plot_attention_tick_label_rotation() -> None:
    ax = plot_attention(_weights(), INPUT, OUTPUT)
    assert {label.get_rotation() for label in ax.get_yticklabels()} == {0.0}  # seaborn: vertical
    assert {label.get_rotation() for label in ax.get_xticklabels()} == {0.0}
    _, ax = plt.subplots(figsize=(2, 2))
    long_tokens = ["<pad>", "<start>", "<unknown>", "</s>", "<pad>"]
    plot_attention(_weights(), long_tokens, OUTPUT, ax)
    assert {label.get_rotation() for label in ax.get_xticklabels()} == {90.0}


def test_plot_attention_on_given_axes_with_title_and_annotations() -> None:
    _, ax = plt.subplots()
    returned = plot_attention(
        _weights().tolist(), "12+34", OUTPUT, ax, annotate=True, title="예시", colorbar=False
    )
    assert returned is ax
    assert ax.get_title() == "예시"
    assert len(ax.texts) == 3 * 5
    assert ax.collections[0].colorbar is None


def test_plot_attention_highlight_row_draws_a_frame() -> None:
    ax = plot_attention(_weights(), INPUT, OUTPUT, highlight_row=1)
    frames = [p for p in ax.patches if isinstance(p, Rectangle) and not p.get_fill()]
    assert len(frames) == 1
    assert frames[0].get_xy() == (0, 1)
    assert (frames[0].get_width(), frames[0].get_height()) == (5, 1)
    assert to_hex(ax.get_yticklabels()[1].get_color()) == HIGHLIGHT_COLOR


@pytest.mark.parametrize("row", [-1, 3])
def test_plot_attention_highlight_row_out_of_range(row: int) -> None:
    with pytest.raises(ValueError, match="highlight_row"):
        plot_attention(_weights(), INPUT, OUTPUT, highlight_row=row)


def test_plot_attention_shape_mismatch_names_both_shapes() -> None:
    with pytest.raises(ValueError, match=r"\(3, 4\).*\(3, 5\)"):
        plot_attention(_weights(3, 4), INPUT, OUTPUT)


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        (np.ones(5), "2-D"),
        (np.ones((1, 3, 5)), "2-D"),
        (np.array([[0.5, np.nan, 0.5, 0, 0]] * 3), "NaN"),
        (np.array([[np.inf, 0, 0, 0, 0]] * 3), "inf"),
        ([["a"] * 5] * 3, "numeric"),
    ],
)
def test_plot_attention_rejects_bad_weights(weights: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        plot_attention(weights, INPUT, OUTPUT)


def test_plot_attention_shows_tokens_literally() -> None:
    tokens = ["<script>", "$x^$", "a$b", "&amp;"]
    ax = plot_attention(_weights(2, 4), tokens, ["<b>", "$"])
    ax.figure.canvas.draw()  # a token parsed as mathtext would fail or change here
    labels = [*ax.get_xticklabels(), *ax.get_yticklabels()]
    assert _texts(ax.get_xticklabels())[0] == "<script>"
    for label, token in zip(labels, [*tokens, "<b>", "$"], strict=True):
        text = label.get_text()
        assert not cbook.is_math_text(text)
        assert text.replace(r"\$", "$") == token  # what matplotlib draws for a non-math text


def test_plot_attention_with_mask_blanks_cells() -> None:
    mask = np.zeros((3, 5), dtype=bool)
    mask[2] = True
    ax = plot_attention(_weights(), INPUT, OUTPUT, mask=mask)
    assert np.ma.count_masked(ax.collections[0].get_array()) == 5
    with pytest.raises(ValueError, match="mask"):
        plot_attention(_weights(), INPUT, OUTPUT, mask=mask[:2])


def test_plotting_leaves_global_style_alone() -> None:
    before = dict(mpl.rcParams)
    plot_attention(_weights(), INPUT, OUTPUT, highlight_row=0)
    plot_history({"a": {"val_exact_match": [0.1, 0.5]}}, target=0.9)
    plot_attention_bars(np.full(4, 0.25), highlight=2)
    assert dict(mpl.rcParams) == before


# ----------------------------------------------------------------------------- trim_attention
def test_trim_attention_drops_padding_and_rows_after_end() -> None:
    weights = np.arange(5 * 6, dtype=float).reshape(5, 6) / 30
    inputs = ["1", "2", "<pad>", "3", "<pad>"]  # shorter than the 6 input steps
    outputs = ["4", "</s>", "9", "<pad>", "<pad>"]
    matrix, kept_in, kept_out = trim_attention(weights, inputs, outputs)
    assert kept_in == ["1", "2", "3"]
    assert kept_out == ["4", "</s>"]
    np.testing.assert_array_equal(matrix, weights[np.ix_([0, 1], [0, 1, 3])])


def test_trim_attention_without_end_token_and_errors() -> None:
    weights = np.ones((3, 2)) / 2
    rows = ["x", "</s>", "y"]
    assert trim_attention(weights, "ab", rows, end_token=None)[2] == rows
    with pytest.raises(ValueError, match="3 input tokens but the attention has 2"):
        trim_attention(weights, "abc", "x")
    with pytest.raises(ValueError, match="4 output tokens but the attention has 3"):
        trim_attention(weights, "ab", "wxyz")
    with pytest.raises(ValueError, match="no token left"):
        trim_attention(weights, ["<pad>", "<pad>"], "x")


# ----------------------------------------------------------------------------- plot_history
CURVES = {"loss": [1.0, 0.5, 0.2], "val_exact_match": [0.1, 0.6, 0.95], "train_seconds": [2, 4, 7]}


def _keras_history() -> object:
    keras = pytest.importorskip("keras")
    history = keras.callbacks.History()
    history.history = {k: list(v) for k, v in CURVES.items()}
    return history


def _training_history() -> object:
    training = pytest.importorskip("attn_lib.training")
    return training.TrainingHistory(history={k: list(v) for k, v in CURVES.items()})


@pytest.mark.parametrize(
    "make",
    [
        lambda: dict(CURVES),
        lambda: SimpleNamespace(history=dict(CURVES)),
        _keras_history,
        _training_history,
    ],
    ids=["dict", "object", "keras-History", "TrainingHistory"],
)
def test_plot_history_accepts_history_likes(make: Callable[[], object]) -> None:
    ax = plot_history({"seq2seq": make(), "attention": {"val_exact_match": [0.3, 0.9]}})
    lines = [line for line in ax.get_lines() if line.get_label() in ("seq2seq", "attention")]
    assert [line.get_label() for line in lines] == ["seq2seq", "attention"]
    np.testing.assert_array_equal(lines[0].get_xdata(), [1, 2, 3])
    np.testing.assert_allclose(lines[0].get_ydata(), CURVES["val_exact_match"])
    assert ax.get_xlabel() == "에폭"
    assert "정확 일치 정확도" in ax.get_ylabel()
    assert ax.get_legend() is not None


def test_plot_history_target_line_and_other_axes() -> None:
    ax = plot_history({"a": CURVES}, "loss", x="train_seconds", target=0.3, title="학습 곡선")
    labels = [line.get_label() for line in ax.get_lines()]
    assert "목표 0.3" in labels
    target = ax.get_lines()[labels.index("목표 0.3")]
    assert set(target.get_ydata()) == {0.3}
    np.testing.assert_array_equal(ax.get_lines()[0].get_xdata(), CURVES["train_seconds"])
    assert ax.get_xlabel() == "누적 학습 시간 (초)"
    assert ax.get_ylabel() == "학습 손실"
    assert ax.get_title() == "학습 곡선"


def test_plot_history_errors() -> None:
    with pytest.raises(ValueError, match="empty"):
        plot_history({})
    with pytest.raises(ValueError, match=r"'b' has no metric 'val_exact_match'.*\['loss'\]"):
        plot_history({"a": CURVES, "b": {"loss": [1.0]}})
    with pytest.raises(ValueError, match="expected a dict"):
        plot_history({"a": [0.1, 0.2]})


# ----------------------------------------------------------------------------- attention bars
def test_plot_attention_bars_highlights_the_informative_step() -> None:
    weights = np.full(20, 0.02)
    weights[15] = 0.62
    ax = plot_attention_bars(weights, highlight=15, title="시간 어텐션")
    bars = ax.patches
    assert len(bars) == 20
    assert [to_hex(bar.get_facecolor()) for bar in bars].count(HIGHLIGHT_COLOR) == 1
    assert to_hex(bars[15].get_facecolor()) == HIGHLIGHT_COLOR
    assert bars[15].get_height() == pytest.approx(0.62)
    assert ax.get_xlabel() == "시간 단계"
    assert ax.get_ylabel() == "어텐션 가중치"
    assert ax.get_legend() is not None


def test_plot_attention_bars_labels_and_errors() -> None:
    ax = plot_attention_bars(
        [0.2, 0.3, 0.5], labels=["a", "$b$", "c"], highlight=[0, 2], xlabel="특성"
    )
    assert _texts(ax.get_xticklabels()) == ["a", r"\$b\$", "c"]
    assert ax.get_xlabel() == "특성"
    with pytest.raises(ValueError, match="1-D"):
        plot_attention_bars(np.ones((2, 3)))
    with pytest.raises(ValueError, match="outside"):
        plot_attention_bars(np.ones(3) / 3, highlight=3)
    with pytest.raises(ValueError, match="labels has 2"):
        plot_attention_bars(np.ones(3) / 3, labels=["a", "b"])
