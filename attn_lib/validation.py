"""Argument checks shared by attn_lib's public functions.

Each check returns the value in its plain Python type, or raises a `ValueError` whose message
names the argument and what was wrong with it, e.g. ``"n_samples must be positive, got 0"``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = [
    "check_bool",
    "check_fraction",
    "check_index",
    "check_int",
    "check_positive_int",
    "check_seed",
    "check_seq2seq_sizes",
]


def check_positive_int(name: str, value: Any) -> int:
    """Return `value` if it is a positive Python int (not a bool); sizes of layers and models.

    Raises:
        ValueError: ``"<name> must be a positive integer, got <value>"``.
    """
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return value


def check_seq2seq_sizes(
    source_vocab_size: Any, target_vocab_size: Any, input_length: Any, output_length: Any
) -> tuple[int, int, int, int]:
    """The four sizes every seq2seq model takes, each checked by `check_positive_int`."""
    return (
        check_positive_int("source_vocab_size", source_vocab_size),
        check_positive_int("target_vocab_size", target_vocab_size),
        check_positive_int("input_length", input_length),
        check_positive_int("output_length", output_length),
    )


def check_int(name: str, value: object, *, minimum: int = 1) -> int:
    """Return `value` as an int if it is an integer (Python or NumPy, not a bool) >= `minimum`.

    Raises:
        ValueError: ``"<name> must be an int, ..."`` for another type, ``"<name> must be
            positive, ..."`` (or ``">= <minimum>"``) for a value that is too small.
    """
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise ValueError(f"{name} must be an int, got {type(value).__name__} {value!r}")
    if value < minimum:
        requirement = "positive" if minimum == 1 else f">= {minimum}"
        raise ValueError(f"{name} must be {requirement}, got {value}")
    return int(value)


def check_seed(seed: object) -> int:
    """Return `seed` as an int if it is a non-negative integer (a `np.random.default_rng` seed)."""
    return check_int("seed", seed, minimum=0)


def check_bool(name: str, value: object) -> bool:
    """Return `value` if it is True or False (not 0, 1 or a string).

    Raises:
        ValueError: ``"<name> must be True or False, got <value>"``.
    """
    if not isinstance(value, bool):
        raise ValueError(f"{name} must be True or False, got {value!r}")
    return value


def check_index(name: str, value: object, size: int, size_name: str) -> int:
    """Return `value` as an int if it is a valid index into `size` items (0..size - 1).

    Raises:
        ValueError: for a non-integer, or an index outside the range (the range is reported).
    """
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise ValueError(f"{name} must be an int, got {type(value).__name__} {value!r}")
    if not 0 <= value < size:
        raise ValueError(
            f"{name}={value} is out of range for {size_name}={size} (valid: 0..{size - 1})"
        )
    return int(value)


def check_fraction(name: str, value: object) -> float:
    """Return `value` as a float if it is a number strictly between 0 and 1 (NaN is rejected).

    Raises:
        ValueError: ``"<name> must be in (0, 1), got <value>"``.
    """
    if isinstance(value, bool) or not isinstance(value, int | float | np.floating):
        raise ValueError(f"{name} must be a number in (0, 1), got {value!r}")
    if not 0 < value < 1:  # also rejects NaN
        raise ValueError(f"{name} must be in (0, 1), got {value}")
    return float(value)
