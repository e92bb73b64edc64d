"""Attention explorer: the chapters' name for :func:`attn_lib.attention_view.attention_view`.

It used to be a flip-book of PNG heatmaps behind one ipywidgets slider; it now draws the
interactive view from the numbers (see :mod:`attn_lib.attention_view`): one view moves along
every axis the data has, and ``over`` only picks the axis shown first and emphasised.

Example:
    >>> result = greedy_decode(model, data.test.x[:20], vocab=data.target_vocab)  # doctest: +SKIP
    >>> attention_explorer(                                                       # doctest: +SKIP
    ...     result.attention,
    ...     [data.source_vocab.tokens(x) for x in data.test.x[:20]],
    ...     [data.target_vocab.tokens(y) for y in result.token_ids],
    ... )
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from attn_lib.attention_view import AttentionView, Over, attention_view
from attn_lib.viz import END_TOKEN, PAD_TOKEN

__all__ = ["DESCRIPTIONS", "AttentionExplorer", "attention_explorer"]

#: Slider captions per ``over`` value (the view shows the same words).
DESCRIPTIONS: dict[str, str] = {
    "examples": "예시",
    "steps": "디코더 단계",
    "epochs": "에폭",
    "models": "모델",
}

#: What :func:`attention_explorer` returns (the name chapters and tests used before).
AttentionExplorer = AttentionView


def attention_explorer(
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
    byte_budget: int = 1_000_000,
    targets: Sequence[Any] | None = None,
) -> AttentionView:
    """Build an interactive attention view (see :func:`~attn_lib.attention_view.attention_view`).

    Args:
        attention: `(n_examples, output_steps, input_steps)` weights, or for ``over="epochs"``
            `(n_epochs, n_examples, output_steps, input_steps)` (e.g.
            ``np.stack(history.snapshots)``); a mapping model label → such array adds a model
            slider.
        input_tokens: One token sequence per example (the heatmap columns); ``pad_token``
            entries are dropped.
        output_tokens: One token sequence per example (the rows); a mapping model label → such
            sequences when the models decoded different outputs; with 4-D attention also one
            such list per epoch.
        over: The axis shown first and emphasised: ``"examples"`` (예시), ``"steps"`` (디코더
            단계), ``"epochs"`` (에폭) or ``"models"`` (모델). The other axes the data has are
            in the same view.
        example: The example shown first.
        epochs: Epoch numbers for the epoch slider; default 1, 2, ….
        title: Bold text above the view.
        pad_token: Token that marks padding; None keeps every token.
        end_token: Output token after which rows are dropped (kept itself); None keeps all rows.
        annotate: Write the weights into the cells.
        cmap: Colour map of the heatmaps.
        dpi: Resolution of the static export image (``image/png``, for PDF).
        cell: Side of one heatmap cell in inches in that image.
        max_positions: Refuse a slider with more positions than this.
        byte_budget: Warn when the view's HTML is larger than this many bytes.
        targets: The right answers per example: the view then shows 정답 and ✓/✗.

    Returns:
        An :class:`~attn_lib.attention_view.AttentionView`; ``.embedded_bytes`` is its size in
        the page.

    Raises:
        ValueError: as :func:`~attn_lib.attention_view.attention_view` (``over="epochs"`` needs
            4-D attention, ``over="models"`` a mapping of two or more models).
    """
    return attention_view(
        attention,
        input_tokens,
        output_tokens,
        targets=targets,
        over=over,
        example=example,
        epochs=epochs,
        title=title,
        pad_token=pad_token,
        end_token=end_token,
        annotate=annotate,
        cmap=cmap,
        max_positions=max_positions,
        byte_budget=byte_budget,
        dpi=dpi,
        cell=cell,
    )
