"""Greedy decoding, one step at a time, with the attention of every step.

The encoder runs once; then the decoder is advanced token by token with the model's
``decode_step``, carrying its LSTM state and feeding back its own most likely token. On the
TensorFlow backend the whole loop is traced once per model into one graph (its steps after the
first as a ``tf.while_loop``), so decoding a validation split costs one call per batch.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import keras
import numpy as np
from keras import ops

from attn_lib.validation import check_positive_int
from attn_lib.vocab import Vocab

if TYPE_CHECKING:
    from attn_lib.models import Seq2SeqModel

__all__ = ["DecodeResult", "greedy_decode"]


@dataclass(frozen=True)
class DecodeResult:
    """What :func:`greedy_decode` produced.

    Attributes:
        token_ids: predicted ids, `(batch, output_length)`.
        texts: the ids decoded with the target vocabulary (up to END), or ``None`` without one.
        attention: weights `(batch, output_length, input_length)`, or ``None`` for models
            without attention. Row ``t`` is what the decoder looked at while producing token ``t``.
    """

    token_ids: np.ndarray
    texts: list[str] | None
    attention: np.ndarray | None


def _greedy_loop(model: Seq2SeqModel, encoder_tokens: Any) -> tuple[Any, Any]:
    """``output_length`` decoder steps, each fed the argmax of the step before (START first).

    The first step runs as plain code, which fixes the structure of the decoder state and
    whether the model returns attention; the other steps run in ``keras.ops.fori_loop`` (a
    ``tf.while_loop`` on TensorFlow), so tracing sees one step body instead of ``output_length``
    copies of it. Step ``t`` adds its token (and attention row) at position ``t`` of buffers
    that are zero there (:func:`_at_step`), so the result is exactly that of an unrolled loop.
    """
    steps = model.output_length
    state = model.start_decoding(encoder_tokens)
    tokens = ops.full((ops.shape(encoder_tokens)[0],), Vocab.START_ID, dtype="int32")
    logits, attention, state = model.decode_step(tokens, state)
    tokens = ops.cast(ops.argmax(logits, axis=-1), "int32")
    ids = _at_step(tokens, 0, steps, axis=1)  # (B, Ty)
    # (B, Ty, Tx); a model without attention carries an empty placeholder through the loop
    rows = ops.zeros((0,)) if attention is None else _at_step(attention, 0, steps, axis=1)

    def body(step: Any, carry: tuple[Any, ...]) -> tuple[Any, ...]:
        tokens, state, ids, rows = carry
        logits, attention, state = model.decode_step(tokens, state)
        tokens = ops.cast(ops.argmax(logits, axis=-1), "int32")
        ids = ids + _at_step(tokens, step, steps, axis=1)
        if attention is not None:
            rows = rows + _at_step(attention, step, steps, axis=1)
        return tokens, state, ids, rows

    if steps > 1:
        _, _, ids, rows = ops.fori_loop(1, steps, body, (tokens, state, ids, rows))
    return ids, rows


def _at_step(values: Any, step: Any, steps: int, axis: int) -> Any:
    """``values`` placed at position ``step`` of a new time axis ``axis`` of length ``steps``.

    Zeros everywhere else, so adding it to a buffer that is zero at ``step`` writes that
    position exactly; ``step`` may be a tensor (the counter of a while loop). The decoding loops
    use it for the token ids and the attention rows of each step.
    """
    column = ops.cast(ops.one_hot(step, steps), values.dtype)  # (Ty,)
    shape = [1] * (len(values.shape) + 1)
    shape[axis] = steps
    return ops.expand_dims(values, axis) * ops.reshape(column, shape)


@contextlib.contextmanager
def quiet_retracing_warning() -> Iterator[None]:
    """Hide TensorFlow's "triggered tf.function retracing" warning (training and decoding).

    TensorFlow counts traces per code object, so the train functions and greedy loops of every model
    built in one process add up to one counter and trip the warning although each model is traced
    only once.
    """
    logger = logging.getLogger("tensorflow")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _compiled_loop(model: Seq2SeqModel) -> Any:
    """The greedy loop traced once per model (TensorFlow); plain eager calls elsewhere."""
    cached = getattr(model, "_attn_lib_greedy", None)
    if cached is not None:
        return cached

    def loop(encoder_tokens: Any) -> tuple[Any, Any]:
        return _greedy_loop(model, encoder_tokens)

    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        # A None batch dimension: one trace serves every batch size. The loop is plain Python
        # control flow over a fixed number of steps, so autograph has nothing to convert; left on,
        # it re-reads the source of the loop and of every layer it calls, which made the first
        # greedy decoding in a process cost about 1 s more (`tests/test_decoding.py`).
        spec = tf.TensorSpec((None, model.input_length), tf.int32)
        loop = tf.function(loop, input_signature=[spec], autograph=False)
    object.__setattr__(model, "_attn_lib_greedy", loop)
    return loop


def check_encoder_tokens(model: Any, encoder_tokens: Any) -> np.ndarray:
    """Validate a batch of encoder ids for ``model`` and return it as int32."""
    for attribute in ("decode_step", "output_length", "input_length"):
        if not hasattr(model, attribute):
            raise ValueError(f"expected an attn_lib seq2seq model, got {type(model)!r}")
    tokens = np.asarray(encoder_tokens)
    if tokens.ndim != 2 or tokens.shape[0] == 0:
        raise ValueError(
            f"encoder_tokens must be a non-empty (batch, length) array, got {tokens.shape}"
        )
    if not np.issubdtype(tokens.dtype, np.integer):
        raise ValueError(f"encoder_tokens must hold integer token ids, got dtype {tokens.dtype}")
    if tokens.shape[1] > model.input_length:
        raise ValueError(
            f"inputs of length {tokens.shape[1]} exceed the model's maximum input length "
            f"{model.input_length}"
        )
    return tokens.astype("int32")


def padded_encoder_tokens(model: Any, encoder_tokens: Any) -> tuple[np.ndarray, int]:
    """`check_encoder_tokens`, then right-padded with PAD to the model's ``input_length``.

    Returns:
        The padded int32 batch and the given width (the attention columns worth returning;
        padding is masked, so its columns are zero).
    """
    tokens = check_encoder_tokens(model, encoder_tokens)
    width = tokens.shape[1]
    if width < model.input_length:
        tokens = np.pad(tokens, ((0, 0), (0, model.input_length - width)))
    return tokens, width


def greedy_decode(
    model: Seq2SeqModel,
    encoder_tokens: np.ndarray,
    *,
    vocab: Vocab | None = None,
    batch_size: int = 1024,
) -> DecodeResult:
    """Decode a batch greedily: at each step feed back the most likely token.

    Args:
        model: a seq2seq model from :mod:`attn_lib.models`.
        encoder_tokens: int array `(batch, length)`, right-padded with 0, ``length`` at most the
            model's ``input_length``.
        vocab: target vocabulary used to turn ids into strings.
        batch_size: examples decoded per call.

    Returns:
        A :class:`DecodeResult`; its attention has one column per given input position.
    """
    tokens, width = padded_encoder_tokens(model, encoder_tokens)
    check_positive_int("batch_size", batch_size)
    loop = _compiled_loop(model)
    ids_parts, attention_parts = [], []
    for start in range(0, len(tokens), batch_size):
        with quiet_retracing_warning():
            ids, attention = loop(tokens[start : start + batch_size])
        ids_parts.append(ops.convert_to_numpy(ids))
        attention = ops.convert_to_numpy(attention)
        if attention.ndim == 3:
            attention_parts.append(attention[:, :, :width])
    token_ids = np.concatenate(ids_parts)
    attention = np.concatenate(attention_parts) if attention_parts else None
    texts = vocab.decode_batch(token_ids) if vocab is not None else None
    return DecodeResult(token_ids=token_ids, texts=texts, attention=attention)
