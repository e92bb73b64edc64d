"""The PNG flip-book explorer the attention view replaced (attn_lib/explorer.py before issue 13).

Kept only so tests can measure the new view's payload against the old one for the same data:
:func:`png_frames` renders exactly the frames the old ``attention_explorer`` stored in the page
(one matplotlib PNG per slider position). Not used by the book.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import matplotlib as mpl
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from attn_lib.attention_view import _is_token_list, _token_lists
from attn_lib.fonts import use_korean_font
from attn_lib.viz import END_TOKEN, PAD_TOKEN, escape_text, plot_attention, trim_attention
from attn_lib.widgets import figure_to_png

Over = Literal["examples", "steps", "epochs", "models"]
DESCRIPTIONS = {"examples": "예시", "steps": "디코더 단계", "epochs": "에폭", "models": "모델"}


def embedded_bytes(frames: Sequence[bytes]) -> int:
    """What the frames weighed in the page: base64 inside the saved widget state."""
    return sum(len(base64.b64encode(frame)) for frame in frames)


MAX_MODELS = 4
_SINGLE = "\0single"  # key of the one model when `attention` is a plain array


def _as_attention(value: Any, ndim: int, label: str) -> np.ndarray:
    shape_doc = (
        "(n_examples, output_steps, input_steps)"
        if ndim == 3
        else "(n_epochs, n_examples, output_steps, input_steps)"
    )
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as error:
        raise ValueError(
            f"attention{label} must be a numeric array {shape_doc}: {error}"
        ) from error
    if array.ndim != ndim:
        raise ValueError(f"attention{label} must be {ndim}-D {shape_doc}, got shape {array.shape}")
    if not np.isfinite(array).all():
        raise ValueError(f"attention{label} contains NaN or inf")
    return array


class _Panel:
    """One model's attention and tokens, with padding trimmed per (epoch, example)."""

    def __init__(
        self,
        label: str,
        attention: np.ndarray,
        input_tokens: list[list[str]],
        output_tokens: list[list[str]] | list[list[list[str]]],
        per_epoch_outputs: bool,
        pad_token: str | None,
        end_token: str | None,
    ) -> None:
        self.label = label
        self.attention = attention  # (n_epochs, n_examples, T_out, T_in)
        self.input_tokens = input_tokens
        self.output_tokens = output_tokens
        self.per_epoch_outputs = per_epoch_outputs
        self.pad_token = pad_token
        self.end_token = end_token

    def view(self, epoch: int, example: int) -> tuple[np.ndarray, list[str], list[str]]:
        """The trimmed `(output_steps, input_steps)` matrix and its row / column tokens."""
        where = f"{self.label}, " if self.label != _SINGLE else ""
        inputs = self.input_tokens[example]
        outputs = (
            self.output_tokens[epoch][example]  # type: ignore[index]
            if self.per_epoch_outputs
            else self.output_tokens[example]
        )
        try:
            matrix, columns, rows = trim_attention(
                self.attention[epoch, example],
                inputs,
                outputs,
                pad_token=self.pad_token,
                end_token=self.end_token,
            )
        except ValueError as error:
            raise ValueError(f"{where}example {example}: {error}") from None
        return matrix, rows, columns


def _panels(
    attention: Any,
    input_tokens: Any,
    output_tokens: Any,
    over: str,
    pad_token: str | None,
    end_token: str | None,
) -> list[_Panel]:
    ndim = 4 if over == "epochs" else 3
    if isinstance(attention, Mapping):
        if not attention:
            raise ValueError("attention is an empty mapping: pass {model label: array}")
        arrays = {str(k): _as_attention(v, ndim, f"[{k!r}]") for k, v in attention.items()}
    else:
        arrays = {_SINGLE: _as_attention(attention, ndim, "")}
    if len(arrays) > MAX_MODELS and over != "models":
        raise ValueError(
            f"{len(arrays)} models side by side is too many (max {MAX_MODELS}); "
            "use over='models' to flip through them"
        )
    if ndim == 3:
        arrays = {k: v[None] for k, v in arrays.items()}

    leading = {k: v.shape[:2] for k, v in arrays.items()}
    if len(set(leading.values())) > 1:
        raise ValueError(
            f"the models' attention arrays disagree on (n_epochs, n_examples): {leading}"
        )
    n_epochs, n_examples = next(iter(leading.values()))
    if n_examples == 0 or n_epochs == 0:
        raise ValueError("attention holds no example")

    inputs = _token_lists(input_tokens, "input_tokens")
    if len(inputs) != n_examples:
        raise ValueError(
            f"input_tokens has {len(inputs)} sequences but attention has {n_examples} examples"
        )

    if isinstance(output_tokens, Mapping):
        missing = set(arrays) - {str(k) for k in output_tokens}
        if missing:
            raise ValueError(f"output_tokens has no tokens for models {sorted(missing)}")
        per_model = {str(k): v for k, v in output_tokens.items()}
    else:
        per_model = dict.fromkeys(arrays, output_tokens)

    panels = []
    for label, array in arrays.items():
        raw = per_model[label]
        name = "output_tokens" if label == _SINGLE else f"output_tokens[{label!r}]"
        per_epoch = (
            over == "epochs"
            and isinstance(raw, Sequence | np.ndarray)
            and not isinstance(raw, str)
            and len(raw) > 0
            and not _is_token_list(raw[0])
        )
        if per_epoch:
            outputs: Any = [
                _token_lists(epoch_tokens, f"{name}[{e}]") for e, epoch_tokens in enumerate(raw)
            ]
            if len(outputs) != n_epochs or any(len(o) != n_examples for o in outputs):
                raise ValueError(
                    f"{name} per epoch must be {n_epochs} epochs x {n_examples} examples, got "
                    f"{len(outputs)} x {[len(o) for o in outputs]}"
                )
        else:
            outputs = _token_lists(raw, name)
            if len(outputs) != n_examples:
                raise ValueError(
                    f"{name} has {len(outputs)} sequences but attention has {n_examples} examples"
                )
        panels.append(_Panel(label, array, inputs, outputs, per_epoch, pad_token, end_token))
    return panels


def _frame_figure(n_panels: int, max_rows: int, max_columns: int, cell: float) -> Figure:
    """A fixed-size figure; an invisible full-size frame keeps every PNG the same pixel size."""
    width = n_panels * (0.7 + cell * max_columns) + 1.4
    height = 1.2 + cell * max_rows
    fig = Figure(figsize=(width, height), layout="constrained")
    # figure_to_png crops to the drawn content ("tight"); this frame makes that the whole figure.
    fig.add_artist(Rectangle((0, 0), 1, 1, transform=fig.transFigure, fill=False, edgecolor="none"))
    return fig


def png_frames(
    attention: Any,
    input_tokens: Sequence[Sequence[str]],
    output_tokens: Sequence[Any] | Mapping[str, Sequence[Any]],
    *,
    over: Over = "examples",
    example: int = 0,
    epochs: Sequence[int] | None = None,
    title: str | None = None,
    pad_token: str | None = PAD_TOKEN,
    end_token: str | None = END_TOKEN,
    annotate: bool = False,
    cmap: str = "viridis",
    dpi: int = 80,
    cell: float = 0.3,
    max_positions: int = 30,
) -> list[bytes]:
    """The old explorer's frames: one PNG heatmap per slider position.

    Args:
        attention: `(n_examples, output_steps, input_steps)` weights, or for ``over="epochs"``
            `(n_epochs, n_examples, output_steps, input_steps)` (e.g.
            ``np.stack(history.snapshots)``). A mapping model label → such array draws the
            models side by side (at most 4), or one per position with ``over="models"``.
        input_tokens: One token sequence per example (the heatmap columns). It may be shorter than
            ``input_steps``; tokens equal to ``pad_token`` are dropped.
        output_tokens: One token sequence per example (the rows); a mapping model label → such
            sequences when the models decoded different outputs. With ``over="epochs"`` also
            one such list per epoch. Rows after the first ``end_token`` and ``pad_token`` rows
            are dropped.
        over: What the slider walks through: ``"examples"`` (예시), ``"steps"`` (디코더 단계:
            the rows of one example appear one by one, the current row framed), ``"epochs"``
            (에폭) or ``"models"`` (모델), the last three for the example ``example``.
        example: Example shown for ``over`` in ``"steps"``, ``"epochs"``, ``"models"``.
        epochs: Epoch numbers for the labels with ``over="epochs"``; default 1, 2, ….
        title: Bold text above the slider.
        pad_token: Token that marks padding; None keeps every token.
        end_token: Output token after which rows are dropped (kept itself); None keeps all rows.
        annotate: Write the weights into the cells.
        cmap: Colour map of the heatmaps.
        dpi: Resolution of the PNGs; 70-90 keeps a page of explorers small.
        cell: Side of one heatmap cell in inches.
        max_positions: Refuse to render more slider positions than this (page size).

    Returns:
        The PNG files, one per slider position.

    Raises:
        ValueError: wrong array rank or non-finite weights, token counts that disagree with the
            array, an ``example`` out of range, or more than ``max_positions`` positions.
    """
    if over not in DESCRIPTIONS:
        raise ValueError(f"over must be one of {sorted(DESCRIPTIONS)}, got {over!r}")
    if over == "models" and not isinstance(attention, Mapping):
        raise ValueError("over='models' needs attention as a mapping {model label: array}")
    panels = _panels(attention, input_tokens, output_tokens, over, pad_token, end_token)
    n_epochs, n_examples = panels[0].attention.shape[:2]
    if over != "examples" and not 0 <= example < n_examples:
        raise ValueError(f"example={example} is outside 0..{n_examples - 1}")
    last = n_epochs - 1

    # Each frame: (caption, [(panel, epoch, example, step or None)]).
    frames: list[tuple[str, list[tuple[_Panel, int, int, int | None]]]] = []
    if over == "examples":
        _check_count(n_examples, max_positions, "examples", "attention[:n] and the tokens[:n]")
        for i in range(n_examples):
            frames.append((f"예시 {i + 1}/{n_examples}", [(p, last, i, None) for p in panels]))
    elif over == "steps":
        steps = max(len(p.view(last, example)[1]) for p in panels)
        _check_count(steps, max_positions, "decoder steps", "a shorter example")
        for t in range(steps):
            caption = f"디코더 단계 {t + 1}/{steps}"
            if len(panels) == 1:
                caption += f" · 출력 토큰 {panels[0].view(last, example)[1][t]}"
            frames.append((caption, [(p, last, example, t) for p in panels]))
    elif over == "epochs":
        numbers = list(range(1, n_epochs + 1)) if epochs is None else list(epochs)
        if len(numbers) != n_epochs:
            raise ValueError(
                f"epochs has {len(numbers)} numbers but attention has {n_epochs} epochs"
            )
        _check_count(n_epochs, max_positions, "epochs", "every k-th snapshot")
        for e, number in enumerate(numbers):
            frames.append((f"에폭 {number}", [(p, e, example, None) for p in panels]))
    else:
        _check_count(len(panels), max_positions, "models", "fewer models")
        for p in panels:
            frames.append((f"모델 {p.label}", [(p, last, example, None)]))

    views = [[(p.view(e, i), t) for p, e, i, t in panes] for _, panes in frames]
    max_rows = max(m.shape[0] for pane in views for (m, _, _), _ in pane)
    max_columns = max(m.shape[1] for pane in views for (m, _, _), _ in pane)
    n_panels = max(len(pane) for pane in views)

    images = []
    with mpl.rc_context():
        use_korean_font()  # restored on exit; the PNGs get Hangul whatever the notebook set
        for (_, panes), pane_views in zip(frames, views, strict=True):
            fig = _frame_figure(n_panels, max_rows, max_columns, cell)
            axes = fig.subplots(1, len(panes), squeeze=False)[0]
            for ax, ((panel, *_), ((matrix, rows, columns), step)) in zip(
                axes, zip(panes, pane_views, strict=True), strict=True
            ):
                mask = None
                highlight = None
                if step is not None and step < len(rows):
                    highlight = step
                    mask = np.zeros(matrix.shape, dtype=bool)
                    mask[step + 1 :] = True  # rows the decoder has not produced yet
                plot_attention(
                    matrix,
                    columns,
                    rows,
                    ax,
                    annotate=annotate,
                    highlight_row=highlight,
                    mask=mask,
                    cmap=cmap,
                    colorbar=False,
                    square=True,
                    title=None if panel.label == _SINGLE else escape_text(panel.label),
                )
                if ax is not axes[0]:
                    ax.set_ylabel("")
            fig.colorbar(axes[0].collections[0], ax=list(axes), label="어텐션 가중치", shrink=0.8)
            images.append(figure_to_png(fig, dpi=dpi))

    return images


def _check_count(count: int, max_positions: int, what: str, hint: str) -> None:
    if count > max_positions:
        raise ValueError(
            f"{count} {what} would make {count} slider images, more than max_positions="
            f"{max_positions}; pass {hint}, or raise max_positions"
        )
