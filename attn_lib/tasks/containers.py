"""Containers of a task's data, and the helpers that cut examples into splits.

- `Split`: one split of a seq2seq task (strings and their padded id matrices).
- `Seq2SeqData`: vocabularies, sequence lengths and the train / val / test splits.
- `ArrayData`: float arrays of the attention-LSTM demo.

Seq2seq data follows the data contract in ``docs/ARCHITECTURE.md``: ``x`` is right-padded with
PAD, ``y`` is the target characters + END, right-padded with PAD, and the decoder input is
START + ``y[:, :-1]``.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from attn_lib.validation import check_fraction
from attn_lib.vocab import Vocab, decoder_input_ids

__all__ = ["INPUT_TRANSFORMS", "TASKS_VERSION", "ArrayData", "Seq2SeqData", "Split"]


#: Bump when generation code changes in a way that changes the data for the same config,
#: so cached results keyed on `Seq2SeqData.fingerprint()` are invalidated.
TASKS_VERSION = 1

#: Transforms a seq2seq task can apply to a query before it reaches the encoder, in this order.
INPUT_TRANSFORMS = ("reverse", "double")


@dataclass(frozen=True, eq=False, repr=False)
class Split:
    """One split (train, validation or test) of a seq2seq task.

    Attributes:
        inputs: The strings exactly as fed to the encoder (after reverse / double).
        targets: The answer strings (never reversed).
        x: `(N, input_length)` int32 encoder ids, right-padded with PAD. Read-only.
        y: `(N, output_length)` int32 target ids = target chars + END, right-padded with PAD.
            Read-only.
        queries: The original, untransformed questions (what a reader would type).
        kinds: Optional per-example category, e.g. the date format name; None if the task has none.
        alignment: Optional gold alignment, one tuple per example with one entry per target token:
            the index of the encoder input token it translates (after reverse), or -1 for a
            target token with no source counterpart; None if the task does not know it.
    """

    inputs: list[str]
    targets: list[str]
    x: np.ndarray
    y: np.ndarray
    queries: list[str]
    kinds: list[str] | None = None
    alignment: list[tuple[int, ...]] | None = None

    def __post_init__(self) -> None:
        x = _read_only_ids(self.x, "x")
        y = _read_only_ids(self.y, "y")
        object.__setattr__(self, "x", x)
        object.__setattr__(self, "y", y)
        sizes = {
            "x": len(x),
            "y": len(y),
            "inputs": len(self.inputs),
            "targets": len(self.targets),
            "queries": len(self.queries),
        }
        if self.kinds is not None:
            sizes["kinds"] = len(self.kinds)
        if self.alignment is not None:
            sizes["alignment"] = len(self.alignment)
        if len(set(sizes.values())) != 1:
            raise ValueError(f"Split fields disagree on the number of examples: {sizes}")

    def __len__(self) -> int:
        return len(self.x)

    @property
    def decoder_input(self) -> np.ndarray:
        """Teacher-forcing decoder input: START, then `y[:, :-1]`; shape `(N, output_length)`."""
        return decoder_input_ids(self.y)

    def __repr__(self) -> str:
        example = f", first={self.queries[0]!r}->{self.targets[0]!r}" if len(self) else ""
        return f"Split(n={len(self)}, x={self.x.shape}, y={self.y.shape}{example})"


@dataclass(frozen=True, eq=False, repr=False)
class Seq2SeqData:
    """A generated seq2seq task: vocabularies, sequence lengths and three disjoint splits.

    Attributes:
        name: Task name, e.g. ``"addition"``.
        config: Every generation parameter, seed included (JSON-able; part of cache keys).
        source_vocab: Vocabulary of the encoder input.
        target_vocab: Vocabulary of the decoder output.
        input_length: Encoder sequence length (`x.shape[1]`).
        output_length: Decoder sequence length (`y.shape[1]`, END included).
        train, val, test: The splits.
        input_transforms: Transforms applied to a query before encoding, from `INPUT_TRANSFORMS`.
    """

    name: str
    config: dict[str, Any]
    source_vocab: Vocab
    target_vocab: Vocab
    input_length: int
    output_length: int
    train: Split
    val: Split
    test: Split
    input_transforms: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        try:  # a JSON round trip both validates and detaches the config from the caller's dict
            config = json.loads(json.dumps(self.config, sort_keys=True))
        except (TypeError, ValueError) as error:
            raise ValueError(f"config must be JSON-serialisable: {error}") from None
        object.__setattr__(self, "config", config)
        transforms = tuple(self.input_transforms)
        unknown = [t for t in transforms if t not in INPUT_TRANSFORMS]
        if unknown:
            raise ValueError(
                f"unknown input transform(s) {unknown}; valid: {list(INPUT_TRANSFORMS)}"
            )
        object.__setattr__(self, "input_transforms", transforms)
        for split_name, split in self.splits.items():
            expected_x = (len(split), self.input_length)
            expected_y = (len(split), self.output_length)
            if split.x.shape != expected_x or split.y.shape != expected_y:
                raise ValueError(
                    f"{split_name} split has x {split.x.shape} and y {split.y.shape}; "
                    f"expected {expected_x} and {expected_y}"
                )

    @property
    def splits(self) -> dict[str, Split]:
        """The splits by name: ``{"train": ..., "val": ..., "test": ...}``."""
        return {"train": self.train, "val": self.val, "test": self.test}

    def fingerprint(self) -> str:
        """SHA-256 hex digest of the config, vocabularies and lengths (a stable cache key)."""
        payload = {
            "tasks_version": TASKS_VERSION,
            "name": self.name,
            "config": self.config,
            "source_vocab": self.source_vocab.get_config(),
            "target_vocab": self.target_vocab.get_config(),
            "input_length": self.input_length,
            "output_length": self.output_length,
            "input_transforms": list(self.input_transforms),
        }
        text = json.dumps(payload, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def transform_query(self, query: str) -> str:
        """The string the encoder sees for `query` (the task's reverse / double applied)."""
        return apply_transforms(query, self.input_transforms, self.source_vocab)

    def encode_inputs(self, texts: str | Sequence[str]) -> np.ndarray:
        """Encode fresh queries the way the training inputs were encoded.

        Args:
            texts: One query or a list of queries, in the form of `Split.queries`
                (e.g. ``"12+345"``; for ``fixed_width`` addition ``"012+345"``).

        Returns:
            int32 array of shape `(len(texts), input_length)`.

        Raises:
            ValueError: for an empty list, an unknown character (reported with its position in the
                query as typed) or a query longer than `input_length` after the transforms.
        """
        queries = [texts] if isinstance(texts, str) else list(texts)
        if not queries:
            raise ValueError("texts is empty; pass at least one query")
        rows = []
        for query in queries:
            self.source_vocab.encode(query)  # validates characters against the query as typed
            encoder_text = self.transform_query(query)
            n_tokens = len(self.source_vocab.split(encoder_text))
            if n_tokens > self.input_length:
                steps = f" after {'+'.join(self.input_transforms)}" if self.input_transforms else ""
                unit = "characters" if self.source_vocab.level == "char" else "words"
                raise ValueError(
                    f"query {query!r} is {n_tokens} {unit} long{steps}, "
                    f"but input_length is {self.input_length}"
                )
            rows.append(self.source_vocab.encode(encoder_text, length=self.input_length))
        return np.stack(rows)

    def __repr__(self) -> str:
        return (
            f"Seq2SeqData(name={self.name!r}, train={len(self.train)}, val={len(self.val)}, "
            f"test={len(self.test)}, input_length={self.input_length}, "
            f"output_length={self.output_length}, source_vocab={self.source_vocab.size}, "
            f"target_vocab={self.target_vocab.size}, input_transforms={self.input_transforms})"
        )


@dataclass(frozen=True, eq=False, repr=False)
class ArrayData:
    """Float arrays for the attention-LSTM demo (label hidden in one column). Arrays are read-only.

    Attributes:
        x_train, y_train, x_val, y_val, x_test, y_test: float32 arrays; `y_*` has shape `(N, 1)`.
        config: Every generation parameter, seed included (JSON-able).
        informative_index: The time step (or feature) that carries the label.
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    config: dict[str, Any]
    informative_index: int

    def __post_init__(self) -> None:
        for split_name in ("train", "val", "test"):
            x = _read_only_floats(getattr(self, f"x_{split_name}"))
            y = _read_only_floats(getattr(self, f"y_{split_name}"))
            if len(x) != len(y):
                raise ValueError(
                    f"x_{split_name} has {len(x)} rows but y_{split_name} has {len(y)}"
                )
            object.__setattr__(self, f"x_{split_name}", x)
            object.__setattr__(self, f"y_{split_name}", y)

    def __repr__(self) -> str:
        return (
            f"ArrayData(task={self.config.get('task')!r}, x_train={self.x_train.shape}, "
            f"x_val={self.x_val.shape}, x_test={self.x_test.shape}, "
            f"informative_index={self.informative_index})"
        )


# ------------------------------------------------------------- assembling splits (package-internal)
def assemble_splits(
    *,
    name: str,
    config: dict[str, Any],
    queries: list[str],
    targets: list[str],
    counts: tuple[int, int, int],
    transforms: tuple[str, ...],
    source_vocab: Vocab,
    target_vocab: Vocab,
    input_length: int,
    output_length: int,
    kinds: list[str] | None = None,
    alignment: list[tuple[int, ...]] | None = None,
) -> Seq2SeqData:
    """Cut already shuffled, distinct examples into train / val / test and encode them.

    `kinds` and `alignment`, when given, hold one entry per example and are cut the same way.
    """
    n_train, n_val, _ = counts
    bounds = (0, n_train, n_train + n_val, len(queries))
    train, val, test = (
        make_split(
            queries[lo:hi],
            targets[lo:hi],
            transforms,
            source_vocab,
            target_vocab,
            input_length,
            output_length,
            kinds=None if kinds is None else kinds[lo:hi],
            alignment=None if alignment is None else alignment[lo:hi],
        )
        for lo, hi in itertools.pairwise(bounds)
    )
    return Seq2SeqData(
        name=name,
        config=config,
        source_vocab=source_vocab,
        target_vocab=target_vocab,
        input_length=input_length,
        output_length=output_length,
        train=train,
        val=val,
        test=test,
        input_transforms=transforms,
    )


def make_split(
    queries: list[str],
    targets: list[str],
    transforms: tuple[str, ...],
    source_vocab: Vocab,
    target_vocab: Vocab,
    input_length: int,
    output_length: int,
    *,
    kinds: list[str] | None = None,
    alignment: list[tuple[int, ...]] | None = None,
) -> Split:
    """Encode one split; `queries` are transformed into the encoder's `inputs` first."""
    inputs = [apply_transforms(query, transforms, source_vocab) for query in queries]
    return Split(
        inputs=inputs,
        targets=list(targets),
        x=source_vocab.encode_batch(inputs, input_length),
        y=target_vocab.encode_batch(targets, output_length, add_end=True),
        queries=list(queries),
        kinds=kinds,
        alignment=alignment,
    )


def transform_names(*, reverse: bool, double: bool) -> tuple[str, ...]:
    """The names from `INPUT_TRANSFORMS` that are switched on, in their order."""
    return tuple(name for name, on in (("reverse", reverse), ("double", double)) if on)


def apply_transforms(text: str, transforms: Sequence[str], vocab: Vocab | None = None) -> str:
    """`text` as the encoder sees it after `transforms` (reverse, then double).

    With a word vocabulary the words are reversed (or repeated), not the characters.
    """
    tokens = vocab.split(text) if vocab is not None else list(text)
    for transform in transforms:
        tokens = tokens[::-1] if transform == "reverse" else tokens + tokens
    return vocab.join(tokens) if vocab is not None else "".join(tokens)


def split_sizes(
    n_total: int, val_fraction: object, test_fraction: object, *, what: str | None = None
) -> tuple[int, int, int]:
    """(train, val, test) sizes; every split must get at least one item."""
    val = check_fraction("val_fraction", val_fraction)
    test = check_fraction("test_fraction", test_fraction)
    if val + test >= 1:
        raise ValueError(
            f"val_fraction + test_fraction must be < 1 so that training data remains; "
            f"got {val} + {test} = {val + test}"
        )
    n_val = round(n_total * val)
    n_test = round(n_total * test)
    sizes = (n_total - n_val - n_test, n_val, n_test)
    for split_name, size in zip(("training", "validation", "test"), sizes, strict=True):
        if size < 1:
            source = what or f"n_samples={n_total}"
            raise ValueError(
                f"{source} with val_fraction={val} and test_fraction={test} leaves the "
                f"{split_name} split empty; use more samples or different fractions"
            )
    return sizes


def _read_only_ids(values: object, name: str) -> np.ndarray:
    source = np.asarray(values)
    if source.ndim != 2:
        raise ValueError(f"{name} must be a 2-D array of ids, got shape {source.shape}")
    if source.size and not np.issubdtype(source.dtype, np.integer):
        raise ValueError(f"{name} must hold integer ids, got dtype {source.dtype}")
    array = np.array(source, dtype=np.int32, copy=True)
    array.setflags(write=False)
    return array


def _read_only_floats(values: object) -> np.ndarray:
    array = np.array(values, dtype=np.float32, copy=True)
    array.setflags(write=False)
    return array
