"""Accuracy of predicted token ids against targets: whole sequences, characters, positions.

Targets follow the data contract (characters, END, then PAD): PAD positions never count, END
does (a model must also stop in the right place), and ``position_accuracy`` looks only at the
characters. ``teacher_forced_ids`` gives the predictions when the decoder is fed the correct
previous tokens, the metric Zaremba & Sutskever (2014) report.
"""

from __future__ import annotations

from typing import Any

import keras
import numpy as np

from attn_lib.validation import check_positive_int
from attn_lib.vocab import Vocab

__all__ = [
    "char_accuracy",
    "exact_match",
    "position_accuracy",
    "teacher_forced_accuracy",
    "teacher_forced_ids",
]


def _pair(predicted_ids: Any, target_ids: Any) -> tuple[np.ndarray, np.ndarray]:
    predicted, target = np.asarray(predicted_ids), np.asarray(target_ids)
    if predicted.shape != target.shape or predicted.ndim != 2:
        raise ValueError(
            f"predicted and target ids must have the same (batch, steps) shape, "
            f"got {predicted.shape} and {target.shape}"
        )
    if len(target) == 0:
        raise ValueError("need at least one sequence, got an empty batch")
    return predicted, target


def exact_match(predicted_ids: Any, target_ids: Any) -> float:
    """Share of sequences whose every token up to and including END is right.

    Positions after the target's END (padding) are ignored, so a model that writes anything
    after a correct END still counts as correct.
    """
    predicted, target = _pair(predicted_ids, target_ids)
    correct = (predicted == target) | (target == Vocab.PAD_ID)
    return float(np.mean(np.all(correct, axis=1)))


def char_accuracy(predicted_ids: Any, target_ids: Any) -> float:
    """Per-token accuracy over the non-padding target positions (characters and END)."""
    predicted, target = _pair(predicted_ids, target_ids)
    relevant = target != Vocab.PAD_ID
    if not relevant.any():
        raise ValueError("char_accuracy needs at least one non-padding target token")
    return float(np.mean(predicted[relevant] == target[relevant]))


def position_accuracy(predicted_ids: Any, target_ids: Any) -> np.ndarray:
    """Accuracy at each output position over the examples that have a character there.

    END and padding are excluded, so position ``i`` (0-based) is the ``i``-th character.

    Returns:
        `(max_characters,)` accuracies.
    """
    predicted, target = _pair(predicted_ids, target_ids)
    characters = target > Vocab.END_ID  # ids 0, 1, 2 are PAD, START, END
    if not characters.any():
        raise ValueError("position_accuracy needs at least one target character")
    width = int(characters.sum(axis=1).max())
    hits = (predicted == target) & characters
    return hits[:, :width].sum(axis=0) / np.maximum(characters[:, :width].sum(axis=0), 1)


def teacher_forced_ids(
    model: keras.Model, x: Any, decoder_input: Any, batch_size: int = 512
) -> np.ndarray:
    """Most likely token at every step when the decoder is fed the correct previous tokens.

    Args:
        model: an attn_lib seq2seq model.
        x: encoder ids `(n, input_length)`.
        decoder_input: START followed by the target ids, `(n, output_length)`
            (``Split.decoder_input``, or `attn_lib.decoder_input_ids` of any ids).
        batch_size: examples per call.
    """
    x, decoder_input = np.asarray(x, dtype="int32"), np.asarray(decoder_input, dtype="int32")
    if x.ndim != 2 or decoder_input.ndim != 2 or len(x) != len(decoder_input) or not len(x):
        raise ValueError(
            f"x and decoder_input must be non-empty (n, steps) arrays with the same n, "
            f"got {x.shape} and {decoder_input.shape}"
        )
    check_positive_int("batch_size", batch_size)
    parts = []
    for start in range(0, len(x), batch_size):
        batch = (x[start : start + batch_size], decoder_input[start : start + batch_size])
        logits = keras.ops.convert_to_numpy(model(batch, training=False))
        parts.append(np.argmax(logits, axis=-1))
    return np.concatenate(parts)


def teacher_forced_accuracy(model: keras.Model, split: Any) -> float:
    """Per-character accuracy of ``split`` (a ``Split``) with teacher forcing."""
    predicted = teacher_forced_ids(model, split.x, split.decoder_input)
    return char_accuracy(predicted, split.y)
