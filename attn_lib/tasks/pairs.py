"""A seq2seq task from the reader's own (input, output) string pairs."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from attn_lib.tasks.containers import Seq2SeqData, assemble_splits, split_sizes, transform_names
from attn_lib.validation import check_bool, check_seed
from attn_lib.vocab import Vocab

__all__ = ["text_pairs_task"]

_TOKEN_NAMES = {Vocab.PAD: "PAD", Vocab.START: "START", Vocab.END: "END"}


def text_pairs_task(
    pairs: Iterable[Sequence[str]] | Mapping[str, str],
    *,
    seed: int = 0,
    val_fraction: float = 0.1,
    test_fraction: float = 0.1,
    name: str = "pairs",
    reverse_input: bool = False,
    double_input: bool = False,
) -> Seq2SeqData:
    """Build a seq2seq task from your own ``(input, output)`` strings.

    Every character of the inputs becomes the source vocabulary and every character of the
    outputs the target vocabulary (START and END are added by the library; do not write them).
    The distinct pairs are shuffled with `seed` and cut into train / validation / test, so no
    input appears in two splits. A pair listed more than once is kept once.

    Args:
        pairs: A list of ``(input, output)`` pairs of non-empty strs, or a dict input -> output.
        seed: Seed of `np.random.default_rng` for the shuffle before the split.
        val_fraction, test_fraction: Fractions of the distinct pairs held out for validation and
            test; each split must receive at least one pair.
        name: The task's name (`Seq2SeqData.name`).
        reverse_input: Feed each input reversed to the encoder (the output is not reversed).
        double_input: Feed each input twice, concatenated (after `reverse_input`).

    Returns:
        `Seq2SeqData` that `attn_lib.train` accepts. `config` records the settings, the number of
        pairs given and kept, and a SHA-256 digest of the kept pairs (so the fingerprint changes
        whenever the data does).

    Raises:
        ValueError: for an empty list, a pair that is not two non-empty strs, text containing a
            reserved token's label (``<pad>``, ``<s>``, ``</s>``), one input with two different
            outputs, or fractions that leave a split empty.

    Example:
        >>> words = ["cat", "dog", "bird", "fish", "cow", "horse", "lion", "wolf", "owl"]
        >>> data = text_pairs_task([(w, w[::-1]) for w in words], val_fraction=0.2)
        >>> len(data.train), len(data.val), len(data.test)
        (6, 2, 1)
        >>> data.train.queries[0], data.train.targets[0]
        ('cow', 'woc')
    """
    given = _pair_list(pairs)
    kept = _distinct_pairs(given)
    seed = check_seed(seed)
    if not isinstance(name, str) or not name:
        raise ValueError(f"name must be a non-empty str, got {name!r}")
    check_bool("reverse_input", reverse_input)
    check_bool("double_input", double_input)
    counts = split_sizes(
        len(kept), val_fraction, test_fraction, what=f"{len(kept)} distinct pair(s)"
    )

    order = np.random.default_rng(seed).permutation(len(kept)).tolist()
    queries = [kept[index][0] for index in order]
    targets = [kept[index][1] for index in order]
    digest = hashlib.sha256(
        json.dumps(kept, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    ).hexdigest()
    config = {
        "task": "pairs",
        "n_pairs": len(given),
        "n_distinct": len(kept),
        "pairs_sha256": digest,
        "reverse_input": reverse_input,
        "double_input": double_input,
        "val_fraction": float(val_fraction),
        "test_fraction": float(test_fraction),
        "seed": seed,
    }
    longest_input = max(len(query) for query in queries)
    return assemble_splits(
        name=name,
        config=config,
        queries=queries,
        targets=targets,
        counts=counts,
        transforms=transform_names(reverse=reverse_input, double=double_input),
        source_vocab=Vocab({char for query in queries for char in query}),
        target_vocab=Vocab({char for target in targets for char in target}),
        input_length=longest_input * (2 if double_input else 1),
        output_length=max(len(target) for target in targets) + 1,  # + END
    )


def _pair_list(pairs: object) -> list[tuple[str, str]]:
    """The pairs as a list of (input, output) strs; rejects anything else with its position."""
    if isinstance(pairs, Mapping):
        items = list(pairs.items())
    elif isinstance(pairs, str | bytes) or not isinstance(pairs, Iterable):
        raise ValueError(
            f"pairs must be a list of (input, output) string pairs or a dict, got "
            f"{type(pairs).__name__} {pairs!r:.60}"
        )
    else:
        items = list(pairs)
    if not items:
        raise ValueError("pairs is empty; give a list of (input, output) string pairs")
    checked = []
    for index, item in enumerate(items):
        if isinstance(item, str | bytes) or not isinstance(item, Sequence) or len(item) != 2:
            raise ValueError(
                f"pair {index} is {item!r:.60}; each pair must be two strings (input, output)"
            )
        for role, text in zip(("input", "output"), item, strict=True):
            _check_text(index, role, text)
        checked.append((item[0], item[1]))
    return checked


def _check_text(index: int, role: str, text: object) -> None:
    if not isinstance(text, str):
        raise ValueError(
            f"pair {index} has a {type(text).__name__} {role} {text!r:.60}; "
            f"inputs and outputs must be str"
        )
    if not text:
        raise ValueError(f"pair {index} has an empty {role}; every {role} needs a character")
    for token in Vocab.SPECIAL_TOKENS:
        if token in text:
            raise ValueError(
                f"pair {index}'s {role} {text!r:.60} contains {token!r}, the label of the "
                f"reserved {_TOKEN_NAMES[token]} token; the library adds START and END itself, "
                f"so remove it (or write it differently)"
            )


def _distinct_pairs(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Drop repeated pairs (first one kept); one input with two outputs is an error."""
    first_seen: dict[str, tuple[int, str]] = {}
    kept = []
    for index, (source, target) in enumerate(pairs):
        if source not in first_seen:
            first_seen[source] = (index, target)
            kept.append((source, target))
            continue
        first_index, first_target = first_seen[source]
        if first_target != target:
            raise ValueError(
                f"input {source!r:.60} has two outputs: {first_target!r:.60} (pair "
                f"{first_index}) and {target!r:.60} (pair {index}); each input needs exactly "
                f"one output"
            )
    return kept
