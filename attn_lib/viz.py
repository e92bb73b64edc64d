"""Attention heatmaps, attention bar charts and learning curves, labelled in Korean.

Nothing here changes matplotlib's global state: every function draws on the axes it is given
(or on a new figure) and returns those axes. Call :func:`attn_lib.fonts.use_korean_font` once per
notebook so the Korean labels have a font.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import MaxNLocator

__all__ = [
    "METRIC_LABELS",
    "escape_text",
    "heatmap_figsize",
    "plot_attention",
    "plot_attention_bars",
    "plot_history",
    "trim_attention",
]

#: Korean axis labels for the metrics recorded by :class:`attn_lib.training.TrainingHistory`.
METRIC_LABELS: dict[str, str] = {
    "loss": "학습 손실",
    "val_loss": "검증 손실",
    "exact_match": "정확 일치 정확도",
    "val_exact_match": "정확 일치 정확도 (검증)",
    "char_accuracy": "문자 정확도",
    "val_char_accuracy": "문자 정확도 (검증)",
    "train_seconds": "누적 학습 시간 (초)",
    "epoch": "에폭",
}

_FRACTION_METRICS = {"exact_match", "val_exact_match", "char_accuracy", "val_char_accuracy"}
HIGHLIGHT_COLOR = "#e4572e"
PAD_TOKEN = "<pad>"
END_TOKEN = "</s>"


def escape_text(text: object) -> str:
    """Make ``text`` display literally in matplotlib: ``$`` no longer starts mathtext.

    Args:
        text: Any value; it is converted with ``str``.

    Returns:
        The string with every ``$`` escaped as ``\\$`` (matplotlib shows it as ``$``).
    """
    return str(text).replace("$", r"\$")


def heatmap_figsize(
    output_steps: int, input_steps: int, *, cell: float = 0.38
) -> tuple[float, float]:
    """A figure size in inches that gives every heatmap cell about ``cell`` inches.

    Args:
        output_steps: Number of heatmap rows.
        input_steps: Number of heatmap columns.
        cell: Side of one cell in inches.

    Returns:
        ``(width, height)``, with room for labels and the colour bar.
    """
    return (1.8 + cell * input_steps, 1.3 + cell * output_steps)


def _as_tokens(tokens: Sequence[Any] | str, name: str) -> list[str]:
    if isinstance(tokens, np.ndarray) and tokens.ndim != 1:
        raise ValueError(f"{name} must be a 1-D sequence of tokens, got shape {tokens.shape}")
    return [str(token) for token in tokens]


def _as_weights(weights: Any, ndim: int, shape_doc: str) -> np.ndarray:
    try:
        array = np.asarray(weights, dtype=float)
    except (TypeError, ValueError) as error:
        raise ValueError(f"weights must be a numeric array {shape_doc}: {error}") from error
    if array.ndim != ndim:
        raise ValueError(f"weights must be {ndim}-D {shape_doc}, got shape {array.shape}")
    if np.isnan(array).any():
        raise ValueError(f"weights contain NaN at {np.argwhere(np.isnan(array))[0].tolist()}")
    if np.isinf(array).any():
        raise ValueError(f"weights contain inf at {np.argwhere(np.isinf(array))[0].tolist()}")
    return array


def trim_attention(
    weights: Any,
    input_tokens: Sequence[Any] | str,
    output_tokens: Sequence[Any] | str,
    *,
    pad_token: str | None = PAD_TOKEN,
    end_token: str | None = END_TOKEN,
) -> tuple[np.ndarray, list[str], list[str]]:
    """Cut one example's attention down to its real tokens, ready for :func:`plot_attention`.

    The token lists may be shorter than the padded array: trailing steps without a token are
    dropped. Then the columns and rows whose token is ``pad_token`` are dropped, and so are the
    rows after the first ``end_token`` (what a greedy decoder emits after END is noise).

    Args:
        weights: Attention `(output_steps, input_steps)`, possibly padded.
        input_tokens: At most ``input_steps`` tokens (the columns).
        output_tokens: At most ``output_steps`` tokens (the rows).
        pad_token: Padding token; None keeps every token.
        end_token: Last output token to keep; None keeps every row.

    Returns:
        ``(weights, input_tokens, output_tokens)`` with weights `(kept_outputs, kept_inputs)`.

    Raises:
        ValueError: ``weights`` is not 2-D or not finite, there are more tokens than steps, or
            no token is left.
    """
    matrix = _as_weights(weights, 2, "(output_steps, input_steps)")
    columns = _as_tokens(input_tokens, "input_tokens")
    rows = _as_tokens(output_tokens, "output_tokens")
    t_out, t_in = matrix.shape
    if len(columns) > t_in:
        raise ValueError(f"{len(columns)} input tokens but the attention has {t_in} input steps")
    if len(rows) > t_out:
        raise ValueError(f"{len(rows)} output tokens but the attention has {t_out} output steps")
    if end_token is not None and end_token in rows:
        rows = rows[: rows.index(end_token) + 1]
    keep_rows = [i for i, token in enumerate(rows) if token != pad_token]
    keep_columns = [j for j, token in enumerate(columns) if token != pad_token]
    if not keep_rows or not keep_columns:
        raise ValueError(
            f"no token left after removing padding ({len(keep_rows)} output, "
            f"{len(keep_columns)} input tokens)"
        )
    return (
        matrix[np.ix_(keep_rows, keep_columns)],
        [columns[j] for j in keep_columns],
        [rows[i] for i in keep_rows],
    )


def plot_attention(
    weights: Any,
    input_tokens: Sequence[Any] | str,
    output_tokens: Sequence[Any] | str,
    ax: Axes | None = None,
    *,
    annotate: bool = False,
    highlight_row: int | None = None,
    mask: Any = None,
    title: str | None = None,
    cmap: str = "viridis",
    colorbar: bool = True,
    square: bool = False,
) -> Axes:
    """Draw one attention matrix as a heatmap: which input tokens each output step looked at.

    Args:
        weights: Attention `(output_steps, input_steps)`; row ``t`` is what the decoder looked at
            while producing ``output_tokens[t]``. Any array-like (numpy, a tensor).
        input_tokens: Column labels, ``input_steps`` tokens (a string counts as its characters).
        output_tokens: Row labels, ``output_steps`` tokens.
        ax: Axes to draw on; None makes a new figure sized to the matrix.
        annotate: Write each weight (two decimals) into its cell.
        highlight_row: Frame this row: the decoder step being produced.
        mask: Optional boolean `(output_steps, input_steps)`; True cells are left blank.
        title: Axes title.
        cmap: Colour map name; the scale is fixed to 0..1 so figures are comparable.
        colorbar: Draw the colour bar (label 어텐션 가중치).
        square: Make every cell square.

    Returns:
        The axes with the heatmap. The colour bar is ``ax.collections[0].colorbar``.

    Raises:
        ValueError: ``weights`` is not 2-D, contains NaN/inf, or its shape is not
            ``(len(output_tokens), len(input_tokens))``.
    """
    matrix = _as_weights(weights, 2, "(output_steps, input_steps)")
    columns = _as_tokens(input_tokens, "input_tokens")
    rows = _as_tokens(output_tokens, "output_tokens")
    if matrix.shape != (len(rows), len(columns)):
        raise ValueError(
            f"weights have shape {matrix.shape} but the tokens give "
            f"(len(output_tokens), len(input_tokens)) = ({len(rows)}, {len(columns)})"
        )
    if matrix.size == 0:
        raise ValueError(f"weights are empty, shape {matrix.shape}: need at least one token each")
    if highlight_row is not None and not 0 <= highlight_row < len(rows):
        raise ValueError(f"highlight_row={highlight_row} is outside 0..{len(rows) - 1}")
    if mask is not None:
        mask = np.asarray(mask, dtype=bool)
        if mask.shape != matrix.shape:
            raise ValueError(f"mask has shape {mask.shape}, weights have shape {matrix.shape}")
    if ax is None:
        _, ax = plt.subplots(figsize=heatmap_figsize(*matrix.shape), layout="constrained")

    sns.heatmap(
        matrix,
        ax=ax,
        vmin=0.0,
        vmax=1.0,
        cmap=cmap,
        mask=mask,
        annot=annotate,
        fmt=".2f",
        annot_kws={"fontsize": "x-small"},
        cbar=colorbar,
        cbar_kws={"label": "어텐션 가중치"},
        square=square,
        xticklabels=False,
        yticklabels=False,
        linewidths=0.5,
        linecolor="white",
    )
    # Tick labels are set here: seaborn would turn the row labels vertical. Column labels stay
    # upright unless they overlap (long tokens such as "<pad>"), then they are turned.
    ax.set_xticks(np.arange(len(columns)) + 0.5, [escape_text(t) for t in columns], rotation=0)
    ax.set_yticks(np.arange(len(rows)) + 0.5, [escape_text(t) for t in rows], rotation=0)
    if max(map(len, columns)) > 1:  # one-character labels always fit; skip the extra draw
        ax.figure.figure.draw_without_rendering()  # root figure; places the labels to measure
        if sns.utils.axis_ticklabels_overlap(ax.get_xticklabels()):
            for label in ax.get_xticklabels():
                label.set_rotation(90)
    ax.set_xlabel("입력 토큰")
    ax.set_ylabel("출력 토큰")
    if title is not None:
        ax.set_title(title)
    if highlight_row is not None:
        ax.add_patch(
            Rectangle(
                (0, highlight_row),
                len(columns),
                1,
                fill=False,
                edgecolor=HIGHLIGHT_COLOR,
                linewidth=2.5,
                clip_on=False,
                zorder=3,
            )
        )
        ax.get_yticklabels()[highlight_row].set_color(HIGHLIGHT_COLOR)
    return ax


def _history_dict(history: Any, label: str) -> Mapping[str, Sequence[float]]:
    """Metric name → per-epoch values, from a dict, a Keras ``History`` or a ``TrainingHistory``."""
    if isinstance(history, Mapping):
        return history
    inner = getattr(history, "history", None)
    if isinstance(inner, Mapping):
        return inner
    raise ValueError(
        f"history {label!r} is a {type(history).__name__}: expected a dict of per-epoch lists "
        "or an object with such a dict in `.history` (keras History, TrainingHistory)"
    )


def plot_history(
    histories: Mapping[str, Any],
    metric: str = "val_exact_match",
    ax: Axes | None = None,
    *,
    x: str = "epoch",
    target: float | None = None,
    title: str | None = None,
) -> Axes:
    """Learning curves of several models on one axes, one line per model.

    Args:
        histories: Model label → history: a dict ``{"loss": [...], "val_exact_match": [...]}``
            with one value per epoch, or an object whose ``.history`` is such a dict
            (a Keras ``History``, :class:`attn_lib.training.TrainingHistory`).
        metric: The metric on the y axis.
        ax: Axes to draw on; None makes a new figure.
        x: ``"epoch"`` (1, 2, …) or another recorded metric such as ``"train_seconds"``, to
            compare models by wall-clock time instead of epochs.
        target: Draw a dashed horizontal line at this value (e.g. the target accuracy).
        title: Axes title.

    Returns:
        The axes with the curves.

    Raises:
        ValueError: ``histories`` is empty, or a history lacks ``metric`` (or ``x``); the message
            lists the metrics that history has.
    """
    if not histories:
        raise ValueError("histories is empty: pass {model label: history}")
    curves = []
    for label, history in histories.items():
        record = _history_dict(history, label)
        needed = [metric] if x == "epoch" else [x, metric]
        for name in needed:
            if name not in record:
                raise ValueError(
                    f"history {label!r} has no metric {name!r}; available: {sorted(record)}"
                )
        y_values = np.asarray(record[metric], dtype=float)
        if x == "epoch":
            x_values = np.arange(1, len(y_values) + 1)
        else:
            x_values = np.asarray(record[x], dtype=float)
            if len(x_values) != len(y_values):
                raise ValueError(
                    f"history {label!r}: {x!r} has {len(x_values)} values, "
                    f"{metric!r} has {len(y_values)}"
                )
        curves.append((label, x_values, y_values))

    if ax is None:
        _, ax = plt.subplots(figsize=(6.0, 3.8), layout="constrained")
    for label, x_values, y_values in curves:
        ax.plot(x_values, y_values, marker="o", markersize=3, label=escape_text(label))
    if target is not None:
        ax.axhline(target, color="gray", linestyle="--", linewidth=1, label=f"목표 {target:g}")
    if x == "epoch":
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if metric in _FRACTION_METRICS:
        ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel(METRIC_LABELS.get(x, x))
    ax.set_ylabel(METRIC_LABELS.get(metric, metric))
    ax.grid(alpha=0.3)
    ax.legend(title="모델" if len(curves) > 1 else None)
    if title is not None:
        ax.set_title(title)
    return ax


def plot_attention_bars(
    weights: Any,
    ax: Axes | None = None,
    *,
    highlight: int | Sequence[int] | None = None,
    labels: Sequence[Any] | None = None,
    xlabel: str = "시간 단계",
    title: str | None = None,
    color: str = "#8fa6bf",
    highlight_color: str = HIGHLIGHT_COLOR,
) -> Axes:
    """Bar chart of one attention distribution over time steps (or features).

    Args:
        weights: Attention `(steps,)`. For per-sample weights such as `(n, steps, features)`,
            average first, e.g. ``weights.mean(axis=(0, 2))``.
        ax: Axes to draw on; None makes a new figure.
        highlight: Index (or indices) of the informative step, drawn in ``highlight_color``
            and named in the legend.
        labels: Tick labels, one per step; default ``0 .. steps-1``.
        xlabel: X-axis label, e.g. ``"특성"`` for feature attention.
        title: Axes title.
        color: Colour of the ordinary bars.
        highlight_color: Colour of the highlighted bars.

    Returns:
        The axes with the bars (``ax.patches`` holds one bar per step).

    Raises:
        ValueError: ``weights`` is not 1-D or contains NaN/inf; ``labels`` has the wrong length;
            a highlight index is out of range.
    """
    values = _as_weights(weights, 1, "(steps,)")
    if values.size == 0:
        raise ValueError("weights are empty")
    steps = len(values)
    if highlight is None:
        marked = []
    else:
        marked = [highlight] if isinstance(highlight, int) else list(highlight)
    for index in marked:
        if not 0 <= index < steps:
            raise ValueError(f"highlight index {index} is outside 0..{steps - 1}")
    tick_labels = [str(i) for i in range(steps)] if labels is None else _as_tokens(labels, "labels")
    if len(tick_labels) != steps:
        raise ValueError(f"labels has {len(tick_labels)} entries, weights have {steps} steps")

    if ax is None:
        _, ax = plt.subplots(figsize=(max(4.0, 0.28 * steps + 1.5), 3.2), layout="constrained")
    colors = [highlight_color if i in marked else color for i in range(steps)]
    positions = np.arange(steps)
    ax.bar(positions, values, color=colors, edgecolor="none")
    if marked:
        ax.legend(
            handles=[Patch(color=highlight_color, label="정보가 있는 위치")],
            loc="upper left",
            frameon=False,
        )
    # Label every bar when asked to or when they fit; otherwise matplotlib picks a subset.
    if labels is not None or steps <= 40:
        ax.set_xticks(positions, [escape_text(label) for label in tick_labels])
    ax.set_xlim(-0.6, steps - 0.4)
    ax.set_ylim(0, max(1e-9, float(values.max())) * 1.15)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("어텐션 가중치")
    ax.grid(axis="y", alpha=0.3)
    if title is not None:
        ax.set_title(title)
    return ax
