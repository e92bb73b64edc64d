"""Attention view: one self-contained HTML output that draws attention heatmaps from the numbers.

The output holds a container, a static fallback image, the weights and tokens as JSON and a small
script and style sheet vendored in this package (``attn_lib/static/``), inlined; the JSON and the
script travel gzipped and base64-encoded, and a few lines of inline loader unpack them with the
browser's ``DecompressionStream``. It needs no CDN, no
require.js, no kernel and no ipywidgets, so the same output works in the static book, in Colab's
sandboxed output frame, in JupyterLab and in VS Code. Several views on one page do not interfere.

One view moves along every axis the data has (example, decoder step, epoch, model) with sliders;
hovering or focusing a cell shows its exact weight; clicking an output token shades the input
tokens by weight, clicking an input token shades the outputs that looked at it. See
``docs/attention-view.md`` for the design and the measurements behind it.

Example:
    >>> result = greedy_decode(model, data.test.x[:8], vocab=data.target_vocab)  # doctest: +SKIP
    >>> attention_view(                                                          # doctest: +SKIP
    ...     result.attention,
    ...     [data.source_vocab.tokens(x) for x in data.test.x[:8]],
    ...     [data.target_vocab.tokens(y) for y in result.token_ids],
    ...     targets=data.test.targets[:8],
    ... )
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import html
import io
import json
import math
import re
import secrets
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import numpy as np

from attn_lib.viz import END_TOKEN, PAD_TOKEN

__all__ = ["AXES", "AttentionView", "attention_view"]

Over = Literal["examples", "steps", "epochs", "models"]

#: ``over`` values and the axis each one puts first (Korean captions are in the script).
AXES: dict[str, str] = {
    "examples": "example",
    "steps": "step",
    "epochs": "epoch",
    "models": "model",
}
_AXIS_ORDER = ("example", "step", "epoch", "model")
#: Weights travel as integers: weight * SCALE, rounded (exact to the 3 decimals shown).
SCALE = 1000
#: Colour-map stops sent to the browser (linearly interpolated there).
CMAP_STOPS = 11
_SINGLE = ""  # label of the one model when `attention` is a plain array
FALLBACK_CELL_PX = 12


@cache
def _asset(name: str) -> str:
    """A file of attn_lib/static, compacted: comments and indentation removed."""
    text = resources.files("attn_lib").joinpath("static", name).read_text(encoding="utf-8")
    if name.endswith(".css"):
        text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    lines = (line.strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line and not line.startswith("//"))


_STATIC = Path(__file__).resolve().parent / "static"
#: The minified bundle (tools/build_view_bundle.py writes it; committed, as Colab has no node).
MINIFIED_BUNDLE = _STATIC / "attention_view.min.js"
_SOURCES = ("attention_view.js", "attention_view.css")


def compact_bundle() -> str:
    """The view's script with its style sheet inside, comments and indentation stripped."""
    script = _asset("attention_view.js")
    if script.count('"__CSS_TEXT__"') != 1:
        raise RuntimeError("attention_view.js must hold the CSS placeholder exactly once")
    return script.replace('"__CSS_TEXT__"', json.dumps(_asset("attention_view.css")))


def minified_header() -> str:
    """First line of attention_view.min.js: the SHA-256 of the sources it was made from."""
    digest = hashlib.sha256()
    for name in _SOURCES:
        digest.update((_STATIC / name).read_bytes())
    return f"/* attn_lib attention view, sources sha256 {digest.hexdigest()} */"


@cache
def script_bundle() -> str:
    """What the browser runs: the minified bundle, or the compact one if that is out of date."""
    if MINIFIED_BUNDLE.is_file():
        header, _, body = MINIFIED_BUNDLE.read_text(encoding="utf-8").partition("\n")
        if header == minified_header():
            return body.strip()
    return compact_bundle()


def pack(text: str) -> str:
    """gzip, then base64: how the data and the script travel in the HTML output."""
    packed = gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)
    return base64.b64encode(packed).decode("ascii")


def unpack(packed: str) -> str:
    """The inverse of :func:`pack` (tests and tools read the payload back with it)."""
    return gzip.decompress(base64.b64decode(packed)).decode("utf-8")


@cache
def _loader() -> str:
    """The inline loader with the packed script bundle in it."""
    return _asset("attention_view_loader.js").replace("__BUNDLE__", pack(script_bundle()))


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


# --------------------------------------------------------------------------------- validation
def _is_token_list(value: Any) -> bool:
    """True for one token sequence (a string, or a sequence of strings)."""
    if isinstance(value, str):
        return True
    if isinstance(value, np.ndarray):
        return value.ndim == 1
    return isinstance(value, Sequence) and all(isinstance(token, str) for token in value)


def _token_lists(value: Any, name: str) -> list[list[str]]:
    if isinstance(value, str) or not isinstance(value, Sequence | np.ndarray):
        raise ValueError(f"{name} must be a sequence of token sequences, one per example")
    lists = []
    for index, tokens in enumerate(value):
        if not _is_token_list(tokens):
            raise ValueError(f"{name}[{index}] must be a sequence of string tokens")
        lists.append([str(token) for token in tokens])
    return lists


def _as_attention(value: Any, label: str) -> np.ndarray:
    shape_doc = (
        "(n_examples, output_steps, input_steps) or "
        "(n_epochs, n_examples, output_steps, input_steps)"
    )
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as error:
        raise ValueError(f"attention{label} must be a numeric array {shape_doc}: {error}") from None
    if array.ndim not in (3, 4):
        raise ValueError(
            f"attention{label} must be 3-D or 4-D {shape_doc}, got shape {array.shape}"
        )
    if array.size == 0:
        raise ValueError(f"attention{label} is empty, shape {array.shape}: nothing to draw")
    bad = ~np.isfinite(array)
    if bad.any():
        kind = "NaN" if np.isnan(array).any() else "inf"
        where = np.argwhere(bad)[0].tolist()
        raise ValueError(f"attention{label} contains {kind} (first at index {where})")
    return array


def _where(model: str, epoch: int | None, example: int) -> str:
    parts = [f"model {model!r}"] if model != _SINGLE else []
    if epoch is not None:
        parts.append(f"epoch index {epoch}")
    parts.append(f"example {example}")
    return ", ".join(parts)


@dataclass
class _Data:
    """Validated, trimmed data: what the JSON payload is made of."""

    models: list[str]
    epochs: list[str]
    inputs: list[list[str]]  # per example, padding removed
    keep: list[list[int]]  # per example: the input positions kept
    # panels[model][epoch][example] = (output tokens, (T, S) weights)
    panels: list[list[list[tuple[list[str], np.ndarray]]]] = field(default_factory=list)


def _prepare(
    attention: Any,
    input_tokens: Any,
    output_tokens: Any,
    *,
    epochs: Sequence[Any] | None,
    pad_token: str | None,
    end_token: str | None,
    tolerance: float,
) -> _Data:
    if isinstance(attention, Mapping):
        if not attention:
            raise ValueError("attention is an empty mapping: pass {model label: array}")
        arrays = {str(k): _as_attention(v, f"[{k!r}]") for k, v in attention.items()}
    else:
        arrays = {_SINGLE: _as_attention(attention, "")}
    ranks = {k: v.ndim for k, v in arrays.items()}
    if len(set(ranks.values())) > 1:
        raise ValueError(f"the models' attention arrays mix 3-D and 4-D: {ranks}")
    has_epochs = next(iter(ranks.values())) == 4
    arrays = {k: v if has_epochs else v[None] for k, v in arrays.items()}
    leading = {k: v.shape[:2] for k, v in arrays.items()}
    if len(set(leading.values())) > 1:
        raise ValueError(
            f"the models' attention arrays disagree on (n_epochs, n_examples): {leading}"
        )
    n_epochs, n_examples = next(iter(leading.values()))

    if epochs is None:
        epoch_labels = [str(e + 1) for e in range(n_epochs)] if has_epochs else [""]
    else:
        if not has_epochs:
            raise ValueError("epochs was given but attention is 3-D: pass 4-D snapshots")
        epoch_labels = [str(e) for e in epochs]
        if len(epoch_labels) != n_epochs:
            raise ValueError(
                f"epochs has {len(epoch_labels)} numbers but attention has {n_epochs} epochs"
            )

    inputs = _token_lists(input_tokens, "input_tokens")
    if len(inputs) != n_examples:
        raise ValueError(
            f"input_tokens has {len(inputs)} sequences but attention has {n_examples} examples"
        )
    kept_inputs, keep = [], []
    for i, tokens in enumerate(inputs):
        width = next(iter(arrays.values())).shape[3]
        if len(tokens) > width:
            raise ValueError(
                f"example {i}: {len(tokens)} input tokens but the attention has {width} input steps"
            )
        positions = [j for j, token in enumerate(tokens) if token != pad_token]
        if not positions:
            raise ValueError(f"example {i}: no input token left after removing padding")
        keep.append(positions)
        kept_inputs.append([tokens[j] for j in positions])

    if isinstance(output_tokens, Mapping):
        missing = sorted(set(arrays) - {str(k) for k in output_tokens})
        if missing:
            raise ValueError(f"output_tokens has no tokens for models {missing}")
        per_model = {str(k): v for k, v in output_tokens.items()}
    else:
        per_model = dict.fromkeys(arrays, output_tokens)

    data = _Data(models=list(arrays), epochs=epoch_labels, inputs=kept_inputs, keep=keep)
    for label, array in arrays.items():
        raw = per_model[label]
        name = "output_tokens" if label == _SINGLE else f"output_tokens[{label!r}]"
        per_epoch = (
            has_epochs
            and isinstance(raw, Sequence | np.ndarray)
            and not isinstance(raw, str)
            and len(raw) > 0
            and not _is_token_list(raw[0])
        )
        if per_epoch:
            outputs = [_token_lists(tokens, f"{name}[{e}]") for e, tokens in enumerate(raw)]
            if len(outputs) != n_epochs or any(len(o) != n_examples for o in outputs):
                raise ValueError(
                    f"{name} per epoch must be {n_epochs} epochs x {n_examples} examples, got "
                    f"{len(outputs)} x {[len(o) for o in outputs]}"
                )
        else:
            one = _token_lists(raw, name)
            if len(one) != n_examples:
                raise ValueError(
                    f"{name} has {len(one)} sequences but attention has {n_examples} examples"
                )
            outputs = [one] * n_epochs
        model_panels = []
        for e in range(n_epochs):
            row = []
            for i in range(n_examples):
                where = _where(label, e if has_epochs else None, i)
                row.append(
                    _panel(
                        array[e, i], outputs[e][i], keep[i], where, pad_token, end_token, tolerance
                    )
                )
            model_panels.append(row)
        data.panels.append(model_panels)
    return data


def _panel(
    matrix: np.ndarray,
    tokens: list[str],
    keep: list[int],
    where: str,
    pad_token: str | None,
    end_token: str | None,
    tolerance: float,
) -> tuple[list[str], np.ndarray]:
    """Trim one example's matrix to its real tokens and check it is an attention matrix."""
    t_out = matrix.shape[0]
    if len(tokens) > t_out:
        raise ValueError(
            f"{where}: {len(tokens)} output tokens but the attention has {t_out} output steps"
        )
    if end_token is not None and end_token in tokens:
        tokens = tokens[: tokens.index(end_token) + 1]
    rows = [r for r, token in enumerate(tokens) if token != pad_token]
    if not rows:
        raise ValueError(f"{where}: no output token left after removing padding")
    weights = matrix[np.ix_(rows, keep)]
    if weights.min() < -tolerance or weights.max() > 1 + tolerance:
        raise ValueError(
            f"{where}: attention weights must lie in [0, 1], got {weights.min():.3g} .. "
            f"{weights.max():.3g}"
        )
    sums = weights.sum(axis=1)
    off = np.flatnonzero(np.abs(sums - 1) > tolerance)
    if off.size:
        r = int(off[0])
        raise ValueError(
            f"{where}: output row {r} ({tokens[rows[r]]!r}) has weights over the "
            f"{len(keep)} real input tokens that sum to {sums[r]:.4f}, not 1 (tolerance "
            f"{tolerance}); is the padding masked, and are the tokens aligned with the array?"
        )
    return [tokens[r] for r in rows], weights


# ------------------------------------------------------------------------------------ output
def _cmap_stops(cmap: str) -> list[str]:
    import matplotlib as mpl
    from matplotlib.colors import to_hex

    try:
        colormap = mpl.colormaps[cmap]
    except KeyError:
        raise ValueError(f"cmap {cmap!r} is not a matplotlib colour map name") from None
    return [to_hex(colormap(i / (CMAP_STOPS - 1))) for i in range(CMAP_STOPS)]


def _fallback_png(weights: np.ndarray, cmap: str) -> bytes:
    """The first panel as a PNG of flat colour blocks (no text): tiny, crisp when upscaled."""
    import matplotlib as mpl
    from PIL import Image

    rgb = (mpl.colormaps[cmap](np.clip(weights, 0, 1))[..., :3] * 255).round().astype(np.uint8)
    blocks = rgb.repeat(FALLBACK_CELL_PX, axis=0).repeat(FALLBACK_CELL_PX, axis=1)
    buffer = io.BytesIO()
    Image.fromarray(blocks).save(buffer, format="png", optimize=True)
    return buffer.getvalue()


def _shown(tokens: Sequence[str]) -> str:
    return " ".join("␣" if token == " " else token for token in tokens)


@dataclass(frozen=True)
class AttentionView:
    """One attention view: display it (last line of a cell) to get the interactive heatmap.

    ``data`` is the JSON payload the script draws from (weights as integers, see
    :data:`SCALE`); ``html`` is the whole HTML output (container, static fallback image, packed
    data, loader with the packed script); ``print_png`` is the first panel with its tokens drawn
    by matplotlib, offered as ``image/png`` next to the HTML for PDF and other exports that do
    not run scripts (a page shows the HTML).
    """

    data: dict[str, Any]
    html: str
    print_png: bytes = field(repr=False)

    def _repr_html_(self) -> str:
        return self.html

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return {
            "text/html": self.html,
            "image/png": base64.b64encode(self.print_png).decode("ascii"),
            "text/plain": repr(self),
        }

    def __repr__(self) -> str:
        d = self.data
        shape = (len(d["models"]), len(d["epochs"]), len(d["inputs"]))
        return (
            f"AttentionView(models, epochs, examples = {shape}, {self.payload_bytes / 1024:.1f} kB)"
        )

    @property
    def payload_bytes(self) -> int:
        """UTF-8 size of the HTML output: what one view adds to a page or notebook."""
        return len(self.html.encode("utf-8"))

    @property
    def embedded_bytes(self) -> int:
        """Same as :attr:`payload_bytes` (the name the PNG explorer used)."""
        return self.payload_bytes

    @property
    def total_bytes(self) -> int:
        """Same as :attr:`payload_bytes` (the name the PNG explorer used)."""
        return self.payload_bytes

    @property
    def data_bytes(self) -> int:
        """Size of the packed JSON payload alone (in the page it is gzipped and base64)."""
        return len(pack(_json(self.data)))


def attention_view(
    attention: Any,
    input_tokens: Sequence[Sequence[str]],
    output_tokens: Sequence[Any] | Mapping[str, Sequence[Any]],
    *,
    targets: Sequence[Any] | None = None,
    over: Over = "examples",
    example: int = 0,
    epochs: Sequence[Any] | None = None,
    title: str | None = None,
    pad_token: str | None = PAD_TOKEN,
    end_token: str | None = END_TOKEN,
    annotate: bool = False,
    cmap: str = "viridis",
    tolerance: float = 0.01,
    max_positions: int = 200,
    byte_budget: int = 300_000,
    dpi: int = 80,
    cell: float = 0.3,
) -> AttentionView:
    """Build an interactive attention heatmap that works without a kernel.

    Args:
        attention: `(n_examples, output_steps, input_steps)` weights, or
            `(n_epochs, n_examples, output_steps, input_steps)` snapshots (e.g.
            ``np.stack(history.snapshots)``), or a mapping model label → such array (all of one
            shape's leading dimensions). Each row over the real input tokens must sum to 1.
        input_tokens: One token sequence per example (the columns); ``pad_token`` entries are
            dropped. It may be shorter than ``input_steps``.
        output_tokens: One token sequence per example (the rows); with 4-D attention also one
            such list per epoch; a mapping model label → such lists when the models decoded
            different outputs. Rows after the first ``end_token`` and ``pad_token`` rows are
            dropped.
        targets: The right answer per example (a string or tokens; ``end_token``/``pad_token``
            ignored). The view then shows 예측, 정답 and ✓/✗.
        over: The axis put first and emphasised: ``"examples"`` (예시), ``"steps"`` (디코더
            단계: starts at the first step with later rows dimmed), ``"epochs"`` (에폭: starts
            at the first epoch) or ``"models"`` (모델). Every other axis the data has gets a
            slider too.
        example: The example shown first.
        epochs: Epoch labels for 4-D attention; default 1, 2, ….
        title: Bold text above the view.
        pad_token: Token that marks padding; None keeps every token.
        end_token: Output token after which rows are dropped (kept itself); None keeps all rows.
        annotate: Write the weights (two decimals) into the cells.
        cmap: A matplotlib colour map name; the scale is fixed to 0..1.
        tolerance: How far a row sum (and a weight below 0 or above 1) may be off.
        max_positions: Refuse a slider with more positions than this.
        byte_budget: Warn when the HTML output is larger than this many bytes.
        dpi: Resolution of the ``image/png`` export image (PDF, script-less viewers).
        cell: Side of one heatmap cell in inches in that export image.

    Returns:
        An :class:`AttentionView`; ``.payload_bytes`` is its size in the page.

    Raises:
        ValueError: a wrong rank, an empty array, NaN or inf, weights outside [0, 1], rows that
            do not sum to 1 over the real input tokens, token counts that disagree with the
            array, an unknown ``over``, an ``example`` out of range, too many positions.
    """
    if over not in AXES:
        raise ValueError(f"over must be one of {sorted(AXES)}, got {over!r}")
    if not 0 <= tolerance < 0.5:
        raise ValueError(f"tolerance must be in [0, 0.5), got {tolerance}")
    data = _prepare(
        attention,
        input_tokens,
        output_tokens,
        epochs=epochs,
        pad_token=pad_token,
        end_token=end_token,
        tolerance=tolerance,
    )
    n_models, n_epochs, n_examples = len(data.models), len(data.epochs), len(data.inputs)
    if over == "models" and n_models < 2:
        raise ValueError(
            "over='models' needs two or more models: attention as a mapping {model label: array}"
        )
    if over == "epochs" and data.epochs == [""]:
        raise ValueError(
            "over='epochs' needs 4-D attention (n_epochs, n_examples, output_steps, input_steps)"
        )
    if not 0 <= example < n_examples:
        raise ValueError(f"example={example} is outside 0..{n_examples - 1}")
    for count, what in ((n_examples, "examples"), (n_epochs, "epochs"), (n_models, "models")):
        if count > max_positions:
            raise ValueError(
                f"{count} {what} would make a slider of {count} positions, more than "
                f"max_positions={max_positions}; pass fewer, or raise max_positions"
            )

    specials = (end_token, pad_token)
    output_lists = [
        tokens for by_model in data.panels for by_epoch in by_model for tokens, _ in by_epoch
    ]
    sep_in, sep_out = _separator(data.inputs, specials), _separator(output_lists, specials)
    answers = None
    if targets is not None:
        answer_lists = _token_lists(targets, "targets")
        if len(answer_lists) != n_examples:
            raise ValueError(
                f"targets has {len(answer_lists)} answers but attention has {n_examples} examples"
            )
        answers = [
            answer
            if isinstance(answer, str)
            else sep_out.join(t for t in tokens if t not in specials)
            for answer, tokens in zip(targets, answer_lists, strict=True)
        ]

    axis = AXES[over]
    order = [axis, *(a for a in _AXIS_ORDER if a != axis)]
    payload: dict[str, Any] = {
        "title": title,
        "order": order,
        "models": data.models,
        "epochs": data.epochs,
        "inputs": data.inputs,
        "answers": answers,
        "end": end_token,
        "sepIn": sep_in,
        "sepOut": sep_out,
        "scale": SCALE,
        "cmap": _cmap_stops(cmap),
        "annotate": bool(annotate),
        "start": {
            "model": 0,
            "epoch": 0 if over == "epochs" else n_epochs - 1,
            "example": example,
            "step": 1 if over == "steps" else 0,
        },
        "panels": [
            [
                [
                    {"o": tokens, "w": np.rint(weights * SCALE).astype(int).ravel().tolist()}
                    for tokens, weights in by_epoch
                ]
                for by_epoch in by_model
            ]
            for by_model in data.panels
        ],
    }
    start = payload["start"]
    first_tokens, first_weights = data.panels[0][start["epoch"]][example]
    view_html = _render_html(payload, data.inputs[example], first_tokens, first_weights, cmap)
    view = AttentionView(
        data=payload,
        html=view_html,
        print_png=_print_png(
            first_weights, data.inputs[example], first_tokens, title, cmap, dpi, cell
        ),
    )
    if view.payload_bytes > byte_budget:
        warnings.warn(
            f"the attention view takes {view.payload_bytes / 1e3:.0f} kB (budget "
            f"{byte_budget / 1e3:.0f} kB); show fewer examples or epochs",
            stacklevel=2,
        )
    return view


def _separator(token_lists: Sequence[Sequence[str]], specials: tuple[str | None, ...]) -> str:
    """How one side's tokens join into a line: " " for words, "" for characters.

    A side is words when any of its tokens, other than the special tokens, is longer than one
    character (``"도서관에서"``, ``"read"``); single characters join without a space.
    """
    words = any(len(t) > 1 for tokens in token_lists for t in tokens if t not in specials)
    return " " if words else ""


def _render_html(
    payload: dict[str, Any],
    inputs: list[str],
    outputs: list[str],
    weights: np.ndarray,
    cmap: str,
) -> str:
    uid = "attn-view-" + secrets.token_hex(6)
    png = base64.b64encode(_fallback_png(weights, cmap)).decode("ascii")
    height, width = (n * FALLBACK_CELL_PX for n in weights.shape)
    alt = (
        f"어텐션 히트맵 (첫 화면): 행은 출력 {_shown(outputs)}, 열은 입력 {_shown(inputs)}. "
        "밝을수록 가중치가 큽니다."
    )
    title = payload["title"]
    caption = f"{title}: " if title else ""
    unit = "단어" if payload["sepIn"] else "글자"
    joined_in, joined_out = payload["sepIn"].join(inputs), payload["sepOut"].join(outputs)
    caption += f"입력 {joined_in} → 출력 {joined_out} (행은 출력, 열은 입력 {unit})"
    return (
        f'<div class="attn-view tex2jax_ignore mathjax_ignore" id="{uid}" lang="ko">'
        f'<figure class="attn-view-static" style="margin:0">'
        f'<img src="data:image/png;base64,{png}" width="{width}" height="{height}" '
        f'alt="{html.escape(alt)}" style="image-rendering:pixelated;max-width:100%;height:auto">'
        f"<figcaption>{html.escape(caption)}</figcaption></figure>"
        f'<script type="application/gzip+base64" class="attn-view-data">{pack(_json(payload))}'
        f"</script>"
        f"<script>{_loader()}</script>"
        f"</div>"
    )


def _print_png(
    weights: np.ndarray,
    inputs: list[str],
    outputs: list[str],
    title: str | None,
    cmap: str,
    dpi: int,
    cell: float,
) -> bytes:
    """The first panel drawn by :func:`~attn_lib.viz.plot_attention`, for exports without HTML."""
    import matplotlib as mpl
    from matplotlib.figure import Figure

    from attn_lib.fonts import use_korean_font
    from attn_lib.viz import escape_text, plot_attention
    from attn_lib.widgets import figure_to_png

    if dpi <= 0 or cell <= 0 or not math.isfinite(cell):
        raise ValueError(f"dpi and cell must be positive, got dpi={dpi}, cell={cell}")
    rows, columns = weights.shape
    with mpl.rc_context():
        use_korean_font()
        fig = Figure(figsize=(1.6 + cell * columns, 1.2 + cell * rows), layout="constrained")
        ax = fig.subplots()
        plot_attention(
            weights,
            inputs,
            outputs,
            ax,
            cmap=cmap,
            title=None if title is None else escape_text(title),
        )
        return figure_to_png(fig, dpi=dpi)
