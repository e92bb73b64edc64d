"""Copy or reverse a random string: the task of the bottleneck-vs-length experiment."""

from __future__ import annotations

import numpy as np

from attn_lib.tasks.containers import Seq2SeqData, assemble_splits, split_sizes, transform_names
from attn_lib.validation import check_bool, check_int, check_seed
from attn_lib.vocab import Vocab

__all__ = ["MEMORIZATION_MODES", "memorization_task"]


MEMORIZATION_MODES = ("copy", "reverse")


def memorization_task(
    length: int,
    n_samples: int,
    *,
    mode: str = "copy",
    alphabet: str = "0123456789",
    min_length: int | None = None,
    reverse_input: bool = False,
    double_input: bool = False,
    val_fraction: float = 0.1,
    test_fraction: float = 0.1,
    seed: int = 0,
) -> Seq2SeqData:
    """Copy or reverse a random string: the bottleneck-vs-length experiment.

    Args:
        length: Maximum (or, without `min_length`, exact) string length.
        n_samples: Total number of distinct strings over the three splits.
        mode: ``"copy"`` (target = the string) or ``"reverse"`` (target = the string reversed).
        alphabet: The characters to draw from (a str without repeats).
        min_length: If given, each string's length is uniform in [`min_length`, `length`].
        reverse_input: Feed the string reversed to the encoder.
        double_input: Feed the string twice, concatenated (after `reverse_input`).
        val_fraction, test_fraction: Fractions of `n_samples` held out for validation and test.
        seed: Seed of `np.random.default_rng`.

    Returns:
        `Seq2SeqData`; both vocabularies are the alphabet.

    Raises:
        ValueError: also for an argument of the wrong type.
        ValueError: for a bad value, or `n_samples` above the number of distinct strings.
    """
    length = check_int("length", length)
    n_samples = check_int("n_samples", n_samples)
    if mode not in MEMORIZATION_MODES:
        raise ValueError(f"unknown mode {mode!r}; valid modes: {list(MEMORIZATION_MODES)}")
    if not isinstance(alphabet, str):
        raise ValueError(f"alphabet must be a str, got {type(alphabet).__name__} {alphabet!r}")
    if not alphabet:
        raise ValueError("alphabet is empty; give at least one character")
    repeated = sorted({char for char in alphabet if alphabet.count(char) > 1})
    if repeated:
        raise ValueError(
            f"alphabet {alphabet!r} repeats {repeated}; each character must appear once"
        )
    if min_length is None:
        min_length = length
    min_length = check_int("min_length", min_length)
    if min_length > length:
        raise ValueError(f"min_length={min_length} must not exceed length={length}")
    check_bool("reverse_input", reverse_input)
    check_bool("double_input", double_input)
    seed = check_seed(seed)
    counts = split_sizes(n_samples, val_fraction, test_fraction)
    n_distinct = sum(len(alphabet) ** size for size in range(min_length, length + 1))
    if n_samples > n_distinct:
        raise ValueError(
            f"n_samples={n_samples} is more than the {n_distinct} distinct strings of length "
            f"{min_length}..{length} over {alphabet!r}; use n_samples <= {n_distinct}"
        )

    rng = np.random.default_rng(seed)
    vocab = Vocab(alphabet)  # also rejects characters that cannot be vocabulary entries
    queries = _sample_unique_strings(rng, alphabet, min_length, length, n_samples)
    targets = queries if mode == "copy" else [query[::-1] for query in queries]
    config = {
        "task": "memorization",
        "length": length,
        "n_samples": n_samples,
        "mode": mode,
        "alphabet": alphabet,
        "min_length": min_length,
        "reverse_input": reverse_input,
        "double_input": double_input,
        "val_fraction": float(val_fraction),
        "test_fraction": float(test_fraction),
        "seed": seed,
    }
    return assemble_splits(
        name=f"memorization_{mode}",
        config=config,
        queries=queries,
        targets=targets,
        counts=counts,
        transforms=transform_names(reverse=reverse_input, double=double_input),
        source_vocab=vocab,
        target_vocab=vocab,
        input_length=length * (2 if double_input else 1),
        output_length=length + 1,
    )


def _sample_unique_strings(
    rng: np.random.Generator, alphabet: str, min_length: int, max_length: int, n_samples: int
) -> list[str]:
    """Distinct random strings (length uniform in range, then uniform characters), in draw order."""
    symbols = np.array(list(alphabet))
    unique: dict[str, None] = {}
    while len(unique) < n_samples:
        batch = max(2 * (n_samples - len(unique)), 1024)
        lengths = rng.integers(min_length, max_length + 1, size=batch).tolist()
        rows = symbols[rng.integers(0, len(alphabet), size=(batch, max_length))].tolist()
        for row, size in zip(rows, lengths, strict=True):
            unique.setdefault("".join(row[:size]))
            if len(unique) == n_samples:
                break
    return list(unique)
