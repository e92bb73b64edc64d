"""Chapter 4: a deep-and-narrow against a shallow-and-wide LSTM seq2seq at equal parameters.

What the chapter and its claim test (``tests/claims/test_c4_depth.py``) both use:
`seq2seq_params` counts the weights of a `Seq2Seq` without building it, `matched_units` finds the
LSTM size that gives a model with ``num_layers`` layers (about) a given number of weights,
`state_size` counts what the encoder hands to the decoder, and `depth_verdict` is the chapter's
rule for "is the deeper model better?" over several seeds. The training loop is written out in
the chapter.
"""

from __future__ import annotations

from collections.abc import Sequence

from attn_lib.verdicts import Comparison, compare

__all__ = [
    "MIN_GAP",
    "Shape",
    "depth_verdict",
    "matched_units",
    "seq2seq_params",
    "shape_label",
    "state_size",
]

#: ``(num_layers, units)`` of one model.
Shape = tuple[int, int]
#: The smallest gap between two models' seed means that counts as a difference (exact match).
MIN_GAP = 0.02


def _positive_int(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return value


def _lstm_params(input_dim: int, units: int) -> int:
    # four gates, each with an input kernel, a recurrent kernel and a bias
    return 4 * (input_dim * units + units * units + units)


def seq2seq_params(
    source_vocab_size: int,
    target_vocab_size: int,
    units: int,
    num_layers: int,
    embedding_dim: int = 32,
) -> int:
    """Number of weights of ``Seq2Seq(..., units=units, embedding_dim=embedding_dim,
    num_layers=num_layers)``.

    The encoder and the decoder each stack ``num_layers`` LSTMs; the first reads the embeddings,
    every other layer reads the sequence of the layer below it. Both vocabularies are embedded and
    a dense layer maps the top decoder state to the target vocabulary.
    """
    for name, value in (
        ("source_vocab_size", source_vocab_size),
        ("target_vocab_size", target_vocab_size),
        ("units", units),
        ("num_layers", num_layers),
        ("embedding_dim", embedding_dim),
    ):
        _positive_int(name, value)
    stack = _lstm_params(embedding_dim, units) + (num_layers - 1) * _lstm_params(units, units)
    embeddings = (source_vocab_size + target_vocab_size) * embedding_dim
    output = (units + 1) * target_vocab_size
    return embeddings + 2 * stack + output


def matched_units(
    source_vocab_size: int,
    target_vocab_size: int,
    num_layers: int,
    target_params: int,
    embedding_dim: int = 32,
) -> int:
    """LSTM size whose ``num_layers``-layer `Seq2Seq` has the parameter count closest to
    ``target_params`` (the smaller size on a tie)."""
    _positive_int("target_params", target_params)
    sizes = (source_vocab_size, target_vocab_size)

    def gap(units: int) -> int:
        return abs(seq2seq_params(*sizes, units, num_layers, embedding_dim) - target_params)

    return min(range(1, 4097), key=gap)


def shape_label(shape: Shape) -> str:
    """Short label such as ``"2층 × 48"``."""
    layers, units = shape
    return f"{layers}층 × {units}"


def state_size(shape: Shape) -> int:
    """Numbers the encoder hands to the decoder: one ``h`` and one ``c`` per layer."""
    layers, units = shape
    return 2 * _positive_int("num_layers", layers) * _positive_int("units", units)


def depth_verdict(deep: Sequence[float], wide: Sequence[float]) -> Comparison:
    """The chapter's rule: is the deep model ahead of, behind or tied with the wide one?

    Args:
        deep, wide: test exact match of each model, one value per seed (the same seeds).

    Returns:
        `attn_lib.verdicts.compare` with `MIN_GAP`: the gap between the seed means counts only
        when it is larger than both models' min-max spreads.
    """
    if len(deep) != len(wide):
        raise ValueError(
            f"the deep model has {len(deep)} seeds and the wide one {len(wide)}: "
            f"compare the same seeds"
        )
    return compare(deep, wide, min_gap=MIN_GAP)
