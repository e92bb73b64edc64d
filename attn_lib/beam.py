"""Beam search for the book's seq2seq models, batched, with length normalisation.

Greedy decoding (:mod:`attn_lib.decoding`) keeps one hypothesis per example. Beam search keeps the
``beam_width`` most likely prefixes: at each step every kept prefix is extended by every token,
and the ``beam_width`` extensions with the largest summed log-probability survive. The decoder is
the model's own ``start_decoding``/``decode_step``; the beams of a batch are rows of one
`(batch * beam_width, ...)` decoder state, reordered with a gather after each step.

Hypotheses end at END. The models always run ``output_length`` steps, so a finished hypothesis
keeps its score and is extended by the decoder's most likely token at no cost (greedy decoding does
the same after END, and the metrics ignore positions after the target's END). With
``beam_width=1`` the result is exactly :func:`~attn_lib.decoding.greedy_decode`.

Length normalisation (Wu et al. 2016, GNMT): the final ranking divides the summed log-probability
``log P(y)`` by ``lp(y) = ((5 + |y|) / 6) ** alpha``, where ``|y|`` counts the tokens up to and
including END. ``alpha=0`` ranks by ``log P(y)`` alone; larger ``alpha`` favours longer outputs
(a sum of log-probabilities only falls as a hypothesis grows). The search itself prunes by the
summed log-probability, so ``alpha`` only reorders the ``beam_width`` survivors.

On the TensorFlow backend the loop is traced once per model and beam width (a ``None`` batch
dimension), like the greedy loop.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import keras
import numpy as np
from keras import ops

from attn_lib.decoding import _at_step, padded_encoder_tokens, quiet_retracing_warning
from attn_lib.validation import check_positive_int
from attn_lib.vocab import Vocab

if TYPE_CHECKING:
    from attn_lib.models import Seq2SeqModel

__all__ = ["BeamResult", "beam_search", "length_penalty"]

#: Score of an impossible candidate: finite, so sums never give NaN.
_IMPOSSIBLE = -1e9


@dataclass(frozen=True)
class BeamResult:
    """What :func:`beam_search` produced; beams are sorted best first (by ``scores``).

    Attributes:
        token_ids: ids of every beam, `(batch, beam_width, output_length)`.
        log_probs: summed log-probability of each beam up to and including its END,
            `(batch, beam_width)`.
        lengths: tokens up to and including END (``output_length`` without END),
            `(batch, beam_width)`.
        scores: ``log_probs / length_penalty(lengths, alpha)``, the ranking, `(batch, beam_width)`.
        texts: the best beam of each example as a string (up to END), or ``None`` without a
            vocabulary.
        attention: the best beam's attention `(batch, output_length, input_length)`, or ``None``
            for models without attention.
        alpha: the length-normalisation exponent used.
    """

    token_ids: np.ndarray
    log_probs: np.ndarray
    lengths: np.ndarray
    scores: np.ndarray
    texts: list[str] | None
    attention: np.ndarray | None
    alpha: float

    @property
    def best_ids(self) -> np.ndarray:
        """The best beam of each example, `(batch, output_length)` (compare with greedy ids)."""
        return self.token_ids[:, 0, :]


def length_penalty(lengths: Any, alpha: float) -> np.ndarray:
    """GNMT's length penalty ``((5 + length) / 6) ** alpha`` (1 for ``alpha=0``)."""
    alpha = _check_alpha(alpha)
    lengths = np.asarray(lengths, dtype="float64")
    if lengths.size and lengths.min() < 1:
        raise ValueError(f"lengths must be at least 1, got minimum {lengths.min()}")
    return ((5.0 + lengths) / 6.0) ** alpha


def _check_alpha(alpha: Any) -> float:
    if isinstance(alpha, bool) or not isinstance(alpha, (int, float)):
        raise ValueError(f"alpha must be a number, got {alpha!r}")
    if not math.isfinite(alpha) or alpha < 0:
        raise ValueError(f"alpha must be finite and zero or positive, got {alpha!r}")
    return float(alpha)


def _beam_loop(model: Seq2SeqModel, encoder_tokens: Any, width: int) -> tuple[Any, ...]:
    """Run the search: ids `(B, K, Ty)`, log-probs, lengths and attention `(B, K, Ty, Tx)`.

    As in greedy decoding, the first step runs as plain code and the others in
    ``keras.ops.fori_loop``, so tracing sees two step bodies instead of ``output_length``.
    """
    batch = ops.shape(encoder_tokens)[0]
    steps = model.output_length
    # Every example's decoder state repeated K times: row b * K + k is beam k of example b.
    state = model.start_decoding(encoder_tokens)
    # Scalar leaves (the Transformer's step counter) are shared by every beam and stay as they are.
    state = keras.tree.map_structure(
        lambda x: x if ops.ndim(x) == 0 else ops.repeat(x, width, axis=0), state
    )
    # Only beam 0 is alive at the start, so the first step does not pick K copies of one token.
    first = ops.concatenate([ops.zeros((1,)), ops.full((width - 1,), _IMPOSSIBLE)])
    scores = ops.tile(ops.expand_dims(first, 0), [batch, 1])  # (B, K)
    finished = ops.zeros((batch, width), dtype="bool")
    lengths = ops.zeros((batch, width), dtype="int32")
    tokens = ops.full((batch * width,), Vocab.START_ID, dtype="int32")
    ids = ops.zeros((batch, width, steps), dtype="int32")
    carry = (tokens, state, scores, finished, lengths, ids, None)
    carry = _beam_step(model, width, 0, carry)
    if steps > 1:

        def body(step: Any, carry: tuple[Any, ...]) -> tuple[Any, ...]:
            return _beam_step(model, width, step, carry)

        carry = ops.fori_loop(1, steps, body, carry)
    _, _, scores, finished, lengths, ids, rows = carry
    lengths = ops.where(finished, lengths, steps)
    return ids, scores, lengths, rows


def _beam_step(model: Seq2SeqModel, width: int, step: Any, carry: tuple[Any, ...]) -> tuple:
    """One step of the search: extend every beam by every token and keep the best ``width``.

    ``carry`` is ``(tokens, state, scores, finished, lengths, ids, rows)``; ``rows`` (the
    attention `(B, K, Ty, Tx)`) is ``None`` before the first step, and an empty placeholder for a
    model without attention, so the while loop carries a tensor either way.
    """
    tokens, state, scores, finished, lengths, ids, rows = carry
    batch, steps = ops.shape(scores)[0], model.output_length
    vocab_size = model.target_vocab_size
    # Leaves that decode_step hands back unchanged (encoder outputs, mask) are the same for the K
    # beams of an example, so only the leaves it recomputes (the LSTM states) are reordered.
    offsets = ops.expand_dims(ops.arange(batch, dtype="int32") * width, 1)  # (B, 1)
    previous = state
    logits, attention, state = model.decode_step(tokens, state)
    log_probs = ops.reshape(ops.log_softmax(logits, axis=-1), (batch, width, vocab_size))
    # A finished beam continues with the decoder's argmax at no cost, and nothing else.
    best = ops.argmax(log_probs, axis=-1)
    only_best = ops.where(ops.one_hot(best, vocab_size) > 0, 0.0, _IMPOSSIBLE)
    log_probs = ops.where(ops.expand_dims(finished, -1), only_best, log_probs)
    candidates = ops.reshape(ops.expand_dims(scores, -1) + log_probs, (batch, -1))
    scores, index = ops.top_k(candidates, k=width)  # sorted, lower index first on ties
    index = ops.cast(index, "int32")
    parent, token = index // vocab_size, index % vocab_size  # (B, K) each
    rows_index = ops.reshape(parent + offsets, (-1,))  # (B*K,)
    # Scalar leaves (a step counter) are the same for every beam and stay as they are.
    state = keras.tree.map_structure(
        lambda new, old: new if new is old or ops.ndim(new) == 0 else ops.take(new, rows_index, 0),
        state,
        previous,
    )
    was_finished = _take_beams(finished, rows_index)
    lengths = ops.where(was_finished, _take_beams(lengths, rows_index), step + 1)
    finished = ops.logical_or(was_finished, ops.equal(token, Vocab.END_ID))
    ids = _take_beams(ids, rows_index) + _at_step(token, step, steps, axis=2)
    if attention is not None:
        # The row was computed by the parent beam: reorder it with the state.
        row = ops.reshape(ops.take(attention, rows_index, axis=0), (batch, width, -1))
        row = _at_step(row, step, steps, axis=2)  # (B, K, Ty, Tx)
        rows = row if rows is None else _take_beams(rows, rows_index) + row
    elif rows is None:
        rows = ops.zeros((0,))
    return ops.reshape(token, (-1,)), state, scores, finished, lengths, ids, rows


def _take_beams(history: Any, rows_index: Any) -> Any:
    """Reorder `(B, K, ...)` along the beam axis; ``rows_index`` indexes the flat `B * K` rows."""
    shape = ops.shape(history)
    flat = ops.reshape(history, (-1, *shape[2:]))
    return ops.reshape(ops.take(flat, rows_index, axis=0), shape)


def _compiled_search(model: Seq2SeqModel, width: int) -> Any:
    """The search traced once per model and beam width (TensorFlow); eager elsewhere."""
    cache = getattr(model, "_attn_lib_beam", None)
    if cache is None:
        cache = {}
        object.__setattr__(model, "_attn_lib_beam", cache)
    if width in cache:
        return cache[width]

    def search(encoder_tokens: Any) -> tuple[Any, ...]:
        return _beam_loop(model, encoder_tokens, width)

    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        spec = tf.TensorSpec((None, model.input_length), tf.int32)
        # Plain Python control flow only: autograph would only add seconds of source rewriting.
        search = tf.function(search, input_signature=[spec], autograph=False)
    cache[width] = search
    return search


def beam_search(
    model: Seq2SeqModel,
    encoder_tokens: np.ndarray,
    *,
    beam_width: int = 4,
    alpha: float = 0.6,
    vocab: Vocab | None = None,
    batch_size: int = 256,
) -> BeamResult:
    """Decode a batch with beam search and rank the beams with length normalisation.

    Args:
        model: a seq2seq model from :mod:`attn_lib.models`.
        encoder_tokens: int array `(batch, length)`, right-padded with 0, ``length`` at most the
            model's ``input_length``.
        beam_width: hypotheses kept per example (1 is greedy decoding); at most the target
            vocabulary size.
        alpha: length-normalisation exponent of :func:`length_penalty` (0: rank by the summed
            log-probability; 0.6 is GNMT's choice).
        vocab: target vocabulary used to turn the best beams into strings.
        batch_size: examples decoded per call (each takes ``beam_width`` decoder rows).

    Returns:
        A :class:`BeamResult` with the beams sorted best first.
    """
    tokens, width = padded_encoder_tokens(model, encoder_tokens)
    check_positive_int("beam_width", beam_width)
    if beam_width > model.target_vocab_size:
        raise ValueError(
            f"beam_width {beam_width} exceeds the target vocabulary size {model.target_vocab_size}"
        )
    alpha = _check_alpha(alpha)
    check_positive_int("batch_size", batch_size)
    search = _compiled_search(model, beam_width)
    parts: list[list[np.ndarray]] = [[], [], [], []]
    for start in range(0, len(tokens), batch_size):
        with quiet_retracing_warning():
            outputs = search(tokens[start : start + batch_size])
        for part, output in zip(parts, outputs, strict=True):
            part.append(ops.convert_to_numpy(output))
    ids, log_probs, lengths, attention = (np.concatenate(part) for part in parts)
    log_probs = log_probs.astype("float64")
    scores = log_probs / length_penalty(lengths, alpha)
    order = np.argsort(-scores, axis=1, kind="stable")  # top_k already sorted them for alpha=0
    ids = np.take_along_axis(ids, order[:, :, None], axis=1)
    log_probs, lengths, scores = (
        np.take_along_axis(values, order, axis=1) for values in (log_probs, lengths, scores)
    )
    best_attention = None
    if attention.ndim == 4:
        best = order[:, 0]
        best_attention = attention[np.arange(len(best)), best, :, :width]
    texts = vocab.decode_batch(ids[:, 0, :]) if vocab is not None else None
    return BeamResult(ids, log_probs, lengths, scores, texts, best_attention, alpha)
