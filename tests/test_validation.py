"""Tests for attn_lib.validation: accepted values come back as plain Python values, and every
rejection is a ValueError that names the argument."""

from __future__ import annotations

import math

import numpy as np
import pytest

from attn_lib.validation import (
    check_bool,
    check_fraction,
    check_index,
    check_int,
    check_positive_int,
    check_seed,
    check_seq2seq_sizes,
)


@pytest.mark.parametrize("value", [0, -3, True, 2.0, "4", None, np.int64(3)])
def test_check_positive_int_names_the_argument_and_the_value(value: object) -> None:
    with pytest.raises(ValueError) as error:
        check_positive_int("units", value)
    assert str(error.value) == f"units must be a positive integer, got {value!r}"


def test_layers_and_models_use_the_shared_check() -> None:
    from attn_lib import layers, models

    with pytest.raises(ValueError, match="units must be a positive integer, got 0"):
        layers.LuongAttention(0)
    with pytest.raises(ValueError, match="units must be a positive integer, got -1"):
        models.Seq2Seq(5, 5, 3, 3, units=-1)


@pytest.mark.parametrize(
    ("sizes", "name"),
    [
        ((0, 5, 3, 3), "source_vocab_size"),
        ((5, 2.0, 3, 3), "target_vocab_size"),
        ((5, 5, -1, 3), "input_length"),
        ((5, 5, 3, True), "output_length"),
    ],
)
def test_seq2seq_sizes_are_checked_once_for_every_model(sizes: tuple, name: str) -> None:
    from attn_lib import AttentionSeq2Seq, Seq2Seq, TransformerSeq2Seq

    with pytest.raises(ValueError, match=f"^{name} must be a positive integer"):
        check_seq2seq_sizes(*sizes)
    for model_class in (Seq2Seq, AttentionSeq2Seq, TransformerSeq2Seq):
        with pytest.raises(ValueError, match=f"^{name} must be a positive integer"):
            model_class(*sizes)
    assert check_seq2seq_sizes(5, 6, 3, 4) == (5, 6, 3, 4)


def test_check_positive_int_accepts_positive_ints() -> None:
    assert check_positive_int("units", 7) == 7


def test_check_int_accepts_numpy_integers_and_returns_int() -> None:
    value = check_int("n_samples", np.int32(12))
    assert value == 12 and type(value) is int
    assert check_int("n", 0, minimum=0) == 0


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: check_int("n_samples", 0), "n_samples must be positive, got 0"),
        (lambda: check_int("n_samples", 5e2), "n_samples must be an int, got float 500.0"),
        (lambda: check_int("n_samples", False), "n_samples must be an int, got bool False"),
        (lambda: check_int("k", 1, minimum=2), "k must be >= 2, got 1"),
        (lambda: check_seed(-1), "seed must be >= 0, got -1"),
        (lambda: check_seed("0"), "seed must be an int, got str '0'"),
        (lambda: check_bool("reverse", 1), "reverse must be True or False, got 1"),
        (
            lambda: check_index("step", 5, 5, "time_steps"),
            r"step=5 is out of range for "
            r"time_steps=5 \(valid: 0\.\.4\)",
        ),
        (lambda: check_index("step", -1, 5, "time_steps"), "step=-1 is out of range"),
        (lambda: check_index("step", 1.0, 5, "time_steps"), "step must be an int, got float"),
        (lambda: check_fraction("val_fraction", 0), r"val_fraction must be in \(0, 1\), got 0"),
        (lambda: check_fraction("val_fraction", 1.0), r"must be in \(0, 1\), got 1.0"),
        (lambda: check_fraction("val_fraction", math.nan), r"must be in \(0, 1\), got nan"),
        (lambda: check_fraction("val_fraction", "0.1"), r"must be a number in \(0, 1\)"),
        (lambda: check_fraction("val_fraction", True), r"must be a number in \(0, 1\)"),
    ],
)
def test_rejections_name_the_argument(call: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()  # type: ignore[operator]


def test_accepted_values_come_back_plain() -> None:
    assert check_bool("flag", True) is True
    assert check_index("step", np.int64(2), 5, "time_steps") == 2
    fraction = check_fraction("val_fraction", np.float32(0.25))
    assert fraction == 0.25 and type(fraction) is float
