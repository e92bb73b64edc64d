"""Addition questions in the style of keras-io's ``addition_rnn`` (``"12+345"`` -> ``"357"``)."""

from __future__ import annotations

import numpy as np

from attn_lib.tasks.containers import Seq2SeqData, assemble_splits, split_sizes, transform_names
from attn_lib.validation import check_bool, check_int, check_seed
from attn_lib.vocab import Vocab

__all__ = ["addition_task"]


_MAX_ADDITION_DIGITS = 18  # a + b must fit in int64
_ENUMERATE_PAIRS_UP_TO = 2_000_000  # up to digits=3: sample exactly from the list of all pairs


def addition_task(
    digits: int = 3,
    n_samples: int = 50_000,
    *,
    fixed_width: bool = False,
    reverse: bool = False,
    double: bool = False,
    val_fraction: float = 0.1,
    test_fraction: float = 0.1,
    seed: int = 0,
) -> Seq2SeqData:
    """keras-io ``addition_rnn`` data: ``"12+345"`` -> ``"357"``.

    Each operand has a length drawn uniformly from 1..`digits`, then uniformly random digits (so
    short numbers are common, as in keras-io). a+b and b+a count as one question, so every unordered
    pair appears at most once across all splits.

    Args:
        digits: Maximum number of digits per operand.
        n_samples: Total number of questions over the three splits.
        fixed_width: Zero-pad operands to `digits` and the answer to `digits + 1`
            (``"007+123"`` -> ``"0130"``), which makes carry patterns line up in attention heatmaps.
        reverse: Feed the query reversed (Sutskever et al., 2014); the answer is not reversed.
        double: Feed the query twice, concatenated (Zaremba & Sutskever, 2014); applied after
            `reverse`.
        val_fraction, test_fraction: Fractions of `n_samples` held out for validation and test.
        seed: Seed of `np.random.default_rng`.

    Returns:
        `Seq2SeqData` with source vocab ``"0123456789+"`` and target vocab ``"0123456789"``.

    Raises:
        ValueError: also for an argument of the wrong type.
        ValueError: for a bad value, or `n_samples` above the number of distinct pairs.
    """
    digits = check_int("digits", digits)
    if digits > _MAX_ADDITION_DIGITS:
        raise ValueError(f"digits must be at most {_MAX_ADDITION_DIGITS}, got {digits}")
    n_samples = check_int("n_samples", n_samples)
    for flag_name, flag in (("fixed_width", fixed_width), ("reverse", reverse), ("double", double)):
        check_bool(flag_name, flag)
    seed = check_seed(seed)
    counts = split_sizes(n_samples, val_fraction, test_fraction)
    n_values = 10**digits
    n_pairs = n_values * (n_values + 1) // 2
    if n_samples > n_pairs:
        raise ValueError(
            f"n_samples={n_samples} is more than the {n_pairs} distinct questions with up to "
            f"{digits} digit(s) (a+b and b+a count once); use n_samples <= {n_pairs}"
        )

    rng = np.random.default_rng(seed)
    first, second = _sample_addition_operands(rng, digits, n_samples)
    if fixed_width:
        queries = [f"{a:0{digits}d}+{b:0{digits}d}" for a, b in zip(first, second, strict=True)]
        targets = [f"{a + b:0{digits + 1}d}" for a, b in zip(first, second, strict=True)]
    else:
        queries = [f"{a}+{b}" for a, b in zip(first, second, strict=True)]
        targets = [str(a + b) for a, b in zip(first, second, strict=True)]

    transforms = transform_names(reverse=reverse, double=double)
    config = {
        "task": "addition",
        "digits": digits,
        "n_samples": n_samples,
        "fixed_width": fixed_width,
        "reverse": reverse,
        "double": double,
        "val_fraction": float(val_fraction),
        "test_fraction": float(test_fraction),
        "seed": seed,
    }
    query_length = 2 * digits + 1
    return assemble_splits(
        name="addition",
        config=config,
        queries=queries,
        targets=targets,
        counts=counts,
        transforms=transforms,
        source_vocab=Vocab("0123456789+"),
        target_vocab=Vocab("0123456789"),
        input_length=query_length * (2 if double else 1),
        output_length=digits + 2,  # the sum has at most digits + 1 digits, then END
    )


def _operand_probabilities(digits: int) -> np.ndarray:
    """P(operand == v) for v in 0..10**digits - 1 under keras-io's draw (length, then digits)."""
    probabilities = np.zeros(10**digits)
    for length in range(1, digits + 1):
        probabilities[: 10**length] += 10.0**-length / digits
    return probabilities


def _draw_operands(rng: np.random.Generator, digits: int, size: int) -> np.ndarray:
    lengths = rng.integers(1, digits + 1, size=size)
    return rng.integers(0, 10**lengths)


def _sample_addition_operands(
    rng: np.random.Generator, digits: int, n_samples: int
) -> tuple[list[int], list[int]]:
    """Draw `n_samples` distinct unordered operand pairs, in random order and orientation.

    This equals keras-io's loop (draw a, b; skip pairs already seen). For digits <= 3 it is done
    exactly over the list of all pairs (weighted sampling without replacement via an exponential
    race), which stays fast even when `n_samples` is close to the number of pairs.
    """
    n_values = 10**digits
    if n_values * (n_values + 1) // 2 <= _ENUMERATE_PAIRS_UP_TO:
        probabilities = _operand_probabilities(digits)
        low, high = np.triu_indices(n_values)
        weights = probabilities[low] * probabilities[high] * np.where(low == high, 1.0, 2.0)
        keys = rng.exponential(size=weights.size) / weights
        chosen = np.argpartition(keys, n_samples - 1)[:n_samples]
        chosen = chosen[np.argsort(keys[chosen], kind="stable")]
        swap = rng.random(n_samples) < 0.5
        first = np.where(swap, high[chosen], low[chosen])
        second = np.where(swap, low[chosen], high[chosen])
        return first.tolist(), second.tolist()

    seen: set[tuple[int, int]] = set()
    first_list: list[int] = []
    second_list: list[int] = []
    while len(first_list) < n_samples:
        batch = max(2 * (n_samples - len(first_list)), 1024)
        for a, b in _draw_operands(rng, digits, 2 * batch).reshape(batch, 2).tolist():
            key = (a, b) if a <= b else (b, a)
            if key in seen:
                continue
            seen.add(key)
            first_list.append(a)
            second_list.append(b)
            if len(first_list) == n_samples:
                break
    return first_list, second_list
