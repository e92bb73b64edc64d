"""Batched greedy decoding that also returns the attention tensor."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import keras
import numpy as np

if TYPE_CHECKING:
    from attn_lib.models import Seq2SeqModel
    from attn_lib.vocab import Vocab

START_ID = 1
END_ID = 2
PAD_ID = 0


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


def _forward_function(model: keras.Model) -> Any:
    """A traced (``tf.function``) forward pass cached on the model; eager on other backends."""
    cached = getattr(model, "_attn_lib_forward", None)
    if cached is not None:
        return cached

    def forward(encoder_tokens: Any, decoder_tokens: Any) -> tuple[Any, Any]:
        return model.call_with_attention((encoder_tokens, decoder_tokens), training=False)

    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        forward = tf.function(forward, reduce_retracing=True)
    object.__setattr__(model, "_attn_lib_forward", forward)
    return forward


def greedy_decode(
    model: Seq2SeqModel,
    encoder_tokens: np.ndarray,
    *,
    vocab: Vocab | None = None,
    batch_size: int = 512,
) -> DecodeResult:
    """Decode a batch greedily: at each step feed back the most likely token.

    Teacher-forced models are run ``output_length`` times on the growing prefix (all examples at
    once); the decoders are causal, so the last pass reproduces every step's attention exactly.
    :class:`~attn_lib.models.SimpleSeq2Seq` needs a single pass.

    Args:
        model: a seq2seq model from :mod:`attn_lib.models`.
        encoder_tokens: int array `(batch, input_length)` (right-padded with 0).
        vocab: target vocabulary used to turn ids into strings.
        batch_size: examples decoded per forward pass.

    Returns:
        A :class:`DecodeResult`.
    """
    for attribute in ("call_with_attention", "output_length", "input_length"):
        if not hasattr(model, attribute):
            raise ValueError(f"greedy_decode needs an attn_lib seq2seq model, got {type(model)!r}")
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
    if batch_size <= 0:
        raise ValueError(f"batch_size must be positive, got {batch_size}")
    tokens = tokens.astype("int32")
    forward = _forward_function(model)
    ids_parts, attention_parts = [], []
    for start in range(0, len(tokens), batch_size):
        batch = tokens[start : start + batch_size]
        ids, attention = _decode_batch(model, forward, batch)
        ids_parts.append(ids)
        if attention is not None:
            attention_parts.append(attention)
    token_ids = np.concatenate(ids_parts)
    attention = np.concatenate(attention_parts) if attention_parts else None
    texts = vocab.decode_batch(token_ids) if vocab is not None else None
    return DecodeResult(token_ids=token_ids, texts=texts, attention=attention)


def _decode_batch(
    model: Seq2SeqModel, forward: Any, batch: np.ndarray
) -> tuple[np.ndarray, np.ndarray | None]:
    steps = model.output_length
    decoder_tokens = np.zeros((len(batch), steps), dtype="int32")
    decoder_tokens[:, 0] = START_ID
    passes = steps if getattr(model, "teacher_forcing", True) else 1
    for t in range(passes):
        logits, attention = forward(batch, decoder_tokens)
        predicted = np.argmax(keras.ops.convert_to_numpy(logits), axis=-1).astype("int32")
        if passes == 1:
            break
        if t + 1 < steps:
            decoder_tokens[:, t + 1] = predicted[:, t]
    if attention is not None:
        attention = keras.ops.convert_to_numpy(attention)
    return predicted, attention


def exact_match(predicted_ids: np.ndarray, target_ids: np.ndarray) -> float:
    """Share of sequences whose every token up to and including END is right.

    Positions after the target's END (padding) are ignored, so a model that writes anything
    after a correct END still counts as correct.
    """
    predicted_ids = np.asarray(predicted_ids)
    target_ids = np.asarray(target_ids)
    if predicted_ids.shape != target_ids.shape or predicted_ids.ndim != 2:
        raise ValueError(
            f"predicted and target ids must have the same (batch, steps) shape, "
            f"got {predicted_ids.shape} and {target_ids.shape}"
        )
    if len(target_ids) == 0:
        raise ValueError("exact_match needs at least one sequence")
    relevant = target_ids != PAD_ID
    correct = (predicted_ids == target_ids) | ~relevant
    return float(np.mean(np.all(correct, axis=1)))


def char_accuracy(predicted_ids: np.ndarray, target_ids: np.ndarray) -> float:
    """Per-token accuracy over the non-padding target positions."""
    predicted_ids = np.asarray(predicted_ids)
    target_ids = np.asarray(target_ids)
    if predicted_ids.shape != target_ids.shape:
        raise ValueError(
            f"predicted and target ids must have the same shape, "
            f"got {predicted_ids.shape} and {target_ids.shape}"
        )
    relevant = target_ids != PAD_ID
    if not relevant.any():
        raise ValueError("char_accuracy needs at least one non-padding target token")
    return float(np.mean(predicted_ids[relevant] == target_ids[relevant]))
