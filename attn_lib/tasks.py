"""Seeded, generated datasets for the book's experiments.

Every task returns data that is fully determined by its arguments (``np.random.default_rng(seed)``),
with disjoint train / validation / test splits:

- `addition_task`: keras-io ``addition_rnn`` ("12+345" -> "357"), input optionally reversed/doubled.
- `memorization_task`: copy or reverse a random string; the bottleneck-vs-length experiment.
- `date_task`: Korean / English date surface forms -> ISO ``YYYY-MM-DD``, split by calendar date.
- `attention_column_task`, `attention_dense_task`: the label hidden in one time step / feature,
  for the attention-LSTM demo.

Seq2seq tasks follow the data contract in ``docs/ARCHITECTURE.md``: ``x`` is right-padded with PAD,
``y`` is the target characters + END, right-padded with PAD, and the decoder input is
START + ``y[:, :-1]``.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

import numpy as np

from attn_lib.vocab import Vocab

__all__ = [
    "DATE_FORMATS",
    "ArrayData",
    "Seq2SeqData",
    "Split",
    "addition_task",
    "attention_column_task",
    "attention_dense_task",
    "date_source_vocab",
    "date_task",
    "memorization_task",
]

#: Bump when generation code changes in a way that changes the data for the same config,
#: so cached results keyed on `Seq2SeqData.fingerprint()` are invalidated.
TASKS_VERSION = 1

#: Transforms a seq2seq task can apply to a query before it reaches the encoder, in this order.
INPUT_TRANSFORMS = ("reverse", "double")

MEMORIZATION_MODES = ("copy", "reverse")

_MAX_ADDITION_DIGITS = 18  # a + b must fit in int64
_ENUMERATE_PAIRS_UP_TO = 2_000_000  # up to digits=3: sample exactly from the list of all pairs


# ====================================================================== containers
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
    """

    inputs: list[str]
    targets: list[str]
    x: np.ndarray
    y: np.ndarray
    queries: list[str]
    kinds: list[str] | None = None

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
        if len(set(sizes.values())) != 1:
            raise ValueError(f"Split fields disagree on the number of examples: {sizes}")

    def __len__(self) -> int:
        return len(self.x)

    @property
    def decoder_input(self) -> np.ndarray:
        """Teacher-forcing decoder input: START, then `y[:, :-1]`; shape `(N, output_length)`."""
        start = np.full((len(self.y), 1), Vocab.START_ID, dtype=np.int32)
        return np.concatenate([start, self.y[:, :-1]], axis=1)

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
        return _apply_transforms(query, self.input_transforms)

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
            if len(encoder_text) > self.input_length:
                steps = f" after {'+'.join(self.input_transforms)}" if self.input_transforms else ""
                raise ValueError(
                    f"query {query!r} is {len(encoder_text)} characters long{steps}, "
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


# ====================================================================== addition
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
    digits = _check_int("digits", digits)
    if digits > _MAX_ADDITION_DIGITS:
        raise ValueError(f"digits must be at most {_MAX_ADDITION_DIGITS}, got {digits}")
    n_samples = _check_int("n_samples", n_samples)
    for flag_name, flag in (("fixed_width", fixed_width), ("reverse", reverse), ("double", double)):
        _check_bool(flag_name, flag)
    seed = _check_seed(seed)
    counts = _split_sizes(n_samples, val_fraction, test_fraction)
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

    transforms = _transforms(reverse=reverse, double=double)
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
    return _assemble(
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


# ====================================================================== memorization
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
    length = _check_int("length", length)
    n_samples = _check_int("n_samples", n_samples)
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
    min_length = _check_int("min_length", min_length)
    if min_length > length:
        raise ValueError(f"min_length={min_length} must not exceed length={length}")
    _check_bool("reverse_input", reverse_input)
    _check_bool("double_input", double_input)
    seed = _check_seed(seed)
    counts = _split_sizes(n_samples, val_fraction, test_fraction)
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
    return _assemble(
        name=f"memorization_{mode}",
        config=config,
        queries=queries,
        targets=targets,
        counts=counts,
        transforms=_transforms(reverse=reverse_input, double=double_input),
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


# ====================================================================== dates
_KOREAN_WEEKDAYS = ("월", "화", "수", "목", "금", "토", "일")
_ENGLISH_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_ENGLISH_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_ENGLISH_MONTH_ABBREVIATIONS = tuple(month[:3] for month in _ENGLISH_MONTHS)

#: Date surface forms by name; the comment shows each for 2026-11-23 (a Monday) and 2026-01-05.
DATE_FORMATS: dict[str, Callable[[date], str]] = {
    # 2026년 11월 23일 월요일 | 2026년 1월 5일 월요일
    "korean_long_weekday": lambda d: (
        f"{d.year:04d}년 {d.month}월 {d.day}일 {_KOREAN_WEEKDAYS[d.weekday()]}요일"
    ),
    # 2026년 11월 23일 | 2026년 1월 5일
    "korean_long": lambda d: f"{d.year:04d}년 {d.month}월 {d.day}일",
    # 26. 11. 23. | 26. 1. 5.   (two-digit year, see date_task)
    "korean_short_dots": lambda d: f"{d.year % 100:02d}. {d.month}. {d.day}.",
    # 2026.11.23 | 2026.01.05
    "dots": lambda d: f"{d.year:04d}.{d.month:02d}.{d.day:02d}",
    # 11월 23일, 2026 | 1월 5일, 2026
    "korean_month_day_year": lambda d: f"{d.month}월 {d.day}일, {d.year:04d}",
    # 23 Nov 2026 | 5 Jan 2026
    "day_month_abbr_year": lambda d: (
        f"{d.day} {_ENGLISH_MONTH_ABBREVIATIONS[d.month - 1]} {d.year:04d}"
    ),
    # November 23, 2026 | January 5, 2026
    "month_name_day_year": lambda d: f"{_ENGLISH_MONTHS[d.month - 1]} {d.day}, {d.year:04d}",
    # Mon, 23 Nov 2026 | Mon, 05 Jan 2026   (RFC 2822 style)
    "rfc_weekday": lambda d: (
        f"{_ENGLISH_WEEKDAYS[d.weekday()]}, {d.day:02d} "
        f"{_ENGLISH_MONTH_ABBREVIATIONS[d.month - 1]} {d.year:04d}"
    ),
    # 2026/11/23 | 2026/01/05
    "slashes": lambda d: f"{d.year:04d}/{d.month:02d}/{d.day:02d}",
    # 11/23/2026 | 1/5/2026   (US order; no day-first slash format, so nothing is ambiguous)
    "us_slashes": lambda d: f"{d.month}/{d.day}/{d.year:04d}",
    # 2026-11-23 (월) | 2026-01-05 (월)
    "iso_korean_weekday": lambda d: (
        f"{d.year:04d}-{d.month:02d}-{d.day:02d} ({_KOREAN_WEEKDAYS[d.weekday()]})"
    ),
    # 20261123 | 20260105
    "compact": lambda d: f"{d.year:04d}{d.month:02d}{d.day:02d}",
}

#: Formats that show the weekday, and formats that show only the last two digits of the year.
DATE_FORMATS_WITH_WEEKDAY = ("korean_long_weekday", "rfc_weekday", "iso_korean_weekday")
TWO_DIGIT_YEAR_FORMATS = ("korean_short_dots",)

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# One leap year covers every month name, weekday, day number and digit a format can print.
_SWEEP_YEAR = 2000


@cache
def _format_sweep(format_name: str) -> tuple[str, ...]:
    first = date(_SWEEP_YEAR, 1, 1)
    formatter = DATE_FORMATS[format_name]
    return tuple(formatter(first + timedelta(days=offset)) for offset in range(366))


@cache
def date_source_vocab() -> Vocab:
    """Source vocabulary of `date_task`: every character any entry of `DATE_FORMATS` can print."""
    chars = set("0123456789")
    for format_name in DATE_FORMATS:
        for text in _format_sweep(format_name):
            chars.update(text)
    return Vocab(chars)


def date_task(
    n_samples: int,
    *,
    start: str | date = "1950-01-01",
    end: str | date = "2049-12-31",
    formats: Sequence[str] | None = None,
    val_fraction: float = 0.1,
    test_fraction: float = 0.1,
    seed: int = 0,
) -> Seq2SeqData:
    """Date normalisation: a Korean or English surface form -> ISO ``YYYY-MM-DD``.

    Dates come from the real calendar between `start` and `end` (inclusive), so weekdays are
    correct. The calendar dates themselves are split into train / validation / test first, so a
    test date never appears in training in any format. Each example is a distinct (date, format)
    pair; `Split.kinds` holds the format name of each example.

    Two-digit years (``korean_short_dots``, ``"26. 11. 23."``) mean the one year in
    [start.year, start.year + 99] that ends in those digits; with the default range 50-99 is
    19xx and 00-49 is 20xx. Such formats therefore need a range of at most 100 years.

    Args:
        n_samples: Total number of examples over the three splits.
        start, end: First and last date, ``"YYYY-MM-DD"`` strings or `datetime.date`.
        formats: Names from `DATE_FORMATS` to use; None means all.
        val_fraction, test_fraction: Fractions of both the dates and `n_samples` held out.
        seed: Seed of `np.random.default_rng`.

    Returns:
        `Seq2SeqData` with source vocab `date_source_vocab()` and target vocab ``"0123456789-"``.

    Raises:
        ValueError: also for an argument of the wrong type.
        ValueError: for a bad value, or more examples than (dates x formats) allow.
    """
    n_samples = _check_int("n_samples", n_samples)
    start_date = _parse_date("start", start)
    end_date = _parse_date("end", end)
    if start_date > end_date:
        raise ValueError(f"start={start_date.isoformat()} is after end={end_date.isoformat()}")
    format_names = _resolve_formats(formats)
    two_digit = [name for name in format_names if name in TWO_DIGIT_YEAR_FORMATS]
    if two_digit and end_date.year - start_date.year >= 100:
        raise ValueError(
            f"format(s) {two_digit} print two-digit years, which are ambiguous when the range "
            f"spans more than 100 years ({start_date.year}..{end_date.year}); narrow the range "
            f"or drop them"
        )
    seed = _check_seed(seed)
    counts = _split_sizes(n_samples, val_fraction, test_fraction)
    n_days = (end_date - start_date).days + 1
    day_counts = _split_sizes(
        n_days,
        val_fraction,
        test_fraction,
        what=f"the {n_days}-day range {start_date.isoformat()}..{end_date.isoformat()}",
    )

    rng = np.random.default_rng(seed)
    day_offsets = rng.permutation(n_days)
    n_formats = len(format_names)
    splits = []
    pool_start = 0
    for split_name, n_split, n_split_days in zip(
        ("training", "validation", "test"), counts, day_counts, strict=True
    ):
        pool = day_offsets[pool_start : pool_start + n_split_days]
        pool_start += n_split_days
        capacity = n_split_days * n_formats
        if n_split > capacity:
            raise ValueError(
                f"n_samples={n_samples} asks for {n_split} {split_name} examples, but its "
                f"{n_split_days} dates x {n_formats} format(s) give only {capacity} distinct ones; "
                f"use at most about {n_days * n_formats} samples, a wider date range or more "
                f"formats"
            )
        combos = rng.choice(capacity, size=n_split, replace=False)
        queries, targets, kinds = [], [], []
        for combo in combos.tolist():
            day = start_date + timedelta(days=int(pool[combo // n_formats]))
            format_name = format_names[combo % n_formats]
            queries.append(DATE_FORMATS[format_name](day))
            targets.append(day.isoformat())
            kinds.append(format_name)
        splits.append((queries, targets, kinds))

    source_vocab = date_source_vocab()
    target_vocab = Vocab("0123456789-")
    input_length = max(len(text) for name in format_names for text in _format_sweep(name))
    output_length = len("YYYY-MM-DD") + 1
    train, val, test = (
        _make_split(
            queries,
            targets,
            (),
            source_vocab,
            target_vocab,
            input_length,
            output_length,
            kinds=kinds,
        )
        for queries, targets, kinds in splits
    )
    config = {
        "task": "date",
        "n_samples": n_samples,
        "start": start_date.isoformat(),
        "end": end_date.isoformat(),
        "formats": list(format_names),
        "val_fraction": float(val_fraction),
        "test_fraction": float(test_fraction),
        "seed": seed,
    }
    return Seq2SeqData(
        name="date",
        config=config,
        source_vocab=source_vocab,
        target_vocab=target_vocab,
        input_length=input_length,
        output_length=output_length,
        train=train,
        val=val,
        test=test,
    )


def _parse_date(name: str, value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise ValueError(f"{name} must be a 'YYYY-MM-DD' str or a datetime.date, got {value!r}")
    if not _ISO_DATE.fullmatch(value):
        raise ValueError(f"{name}={value!r} is not a 'YYYY-MM-DD' date")
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise ValueError(f"{name}={value!r} is not a valid date: {error}") from None


def _resolve_formats(formats: Sequence[str] | None) -> tuple[str, ...]:
    if formats is None:
        return tuple(DATE_FORMATS)
    if isinstance(formats, str):
        formats = [formats]
    names = list(formats)
    if not names:
        raise ValueError(f"formats is empty; choose from {list(DATE_FORMATS)}")
    unknown = [name for name in names if name not in DATE_FORMATS]
    if unknown:
        raise ValueError(f"unknown date format(s) {unknown}; valid formats: {list(DATE_FORMATS)}")
    if len(set(names)) != len(names):
        raise ValueError(f"formats lists a name more than once: {names}")
    return tuple(names)


# ====================================================================== attention-LSTM demo
def attention_column_task(
    n_samples: int,
    *,
    time_steps: int = 20,
    features: int = 2,
    informative_step: int = 15,
    val_fraction: float = 0.1,
    test_fraction: float = 0.1,
    seed: int = 0,
) -> ArrayData:
    """Noise sequences whose label is copied into one time step; attention should find that step.

    Args:
        n_samples: Total number of sequences over the three splits.
        time_steps: Sequence length.
        features: Features per time step.
        informative_step: The time step whose features all equal the label.
        val_fraction, test_fraction: Fractions held out for validation and test.
        seed: Seed of `np.random.default_rng`.

    Returns:
        `ArrayData` with `x` of shape `(N, time_steps, features)` ~ N(0, 1) and `y` of shape
        `(N, 1)` in {0, 1}, both float32; `x[:, informative_step, :] == y`.
    """
    n_samples = _check_int("n_samples", n_samples)
    time_steps = _check_int("time_steps", time_steps)
    features = _check_int("features", features)
    informative_step = _check_index("informative_step", informative_step, time_steps, "time_steps")
    seed = _check_seed(seed)
    counts = _split_sizes(n_samples, val_fraction, test_fraction)
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, size=(n_samples, 1)).astype(np.float32)
    x = rng.standard_normal((n_samples, time_steps, features), dtype=np.float32)
    x[:, informative_step, :] = y
    config = {
        "task": "attention_column",
        "n_samples": n_samples,
        "time_steps": time_steps,
        "features": features,
        "informative_step": informative_step,
        "val_fraction": float(val_fraction),
        "test_fraction": float(test_fraction),
        "seed": seed,
    }
    return _array_data(x, y, counts, config, informative_step)


def attention_dense_task(
    n_samples: int,
    *,
    features: int = 32,
    informative_feature: int = 1,
    val_fraction: float = 0.1,
    test_fraction: float = 0.1,
    seed: int = 0,
) -> ArrayData:
    """Noise vectors whose label is copied into one feature; feature attention should find it.

    Args:
        n_samples: Total number of vectors over the three splits.
        features: Vector size.
        informative_feature: The feature that equals the label.
        val_fraction, test_fraction: Fractions held out for validation and test.
        seed: Seed of `np.random.default_rng`.

    Returns:
        `ArrayData` with `x` of shape `(N, features)` ~ N(0, 1) and `y` of shape `(N, 1)` in {0, 1},
        both float32; `x[:, informative_feature] == y[:, 0]`.
    """
    n_samples = _check_int("n_samples", n_samples)
    features = _check_int("features", features)
    informative_feature = _check_index(
        "informative_feature", informative_feature, features, "features"
    )
    seed = _check_seed(seed)
    counts = _split_sizes(n_samples, val_fraction, test_fraction)
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, size=(n_samples, 1)).astype(np.float32)
    x = rng.standard_normal((n_samples, features), dtype=np.float32)
    x[:, informative_feature] = y[:, 0]
    config = {
        "task": "attention_dense",
        "n_samples": n_samples,
        "features": features,
        "informative_feature": informative_feature,
        "val_fraction": float(val_fraction),
        "test_fraction": float(test_fraction),
        "seed": seed,
    }
    return _array_data(x, y, counts, config, informative_feature)


def _array_data(
    x: np.ndarray, y: np.ndarray, counts: tuple[int, int, int], config: dict[str, Any], index: int
) -> ArrayData:
    n_train, n_val, _ = counts
    bounds = (0, n_train, n_train + n_val, len(x))
    (x_train, x_val, x_test), (y_train, y_val, y_test) = (
        [array[bounds[i] : bounds[i + 1]] for i in range(3)] for array in (x, y)
    )
    return ArrayData(
        x_train=x_train,
        y_train=y_train,
        x_val=x_val,
        y_val=y_val,
        x_test=x_test,
        y_test=y_test,
        config=config,
        informative_index=index,
    )


# ====================================================================== shared helpers
def _assemble(
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
) -> Seq2SeqData:
    """Cut already shuffled, distinct examples into train / val / test and encode them."""
    n_train, n_val, _ = counts
    bounds = (0, n_train, n_train + n_val, len(queries))
    train, val, test = (
        _make_split(
            queries[lo:hi],
            targets[lo:hi],
            transforms,
            source_vocab,
            target_vocab,
            input_length,
            output_length,
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


def _make_split(
    queries: list[str],
    targets: list[str],
    transforms: tuple[str, ...],
    source_vocab: Vocab,
    target_vocab: Vocab,
    input_length: int,
    output_length: int,
    *,
    kinds: list[str] | None = None,
) -> Split:
    inputs = [_apply_transforms(query, transforms) for query in queries]
    return Split(
        inputs=inputs,
        targets=list(targets),
        x=source_vocab.encode_batch(inputs, input_length),
        y=target_vocab.encode_batch(targets, output_length, add_end=True),
        queries=list(queries),
        kinds=kinds,
    )


def _transforms(*, reverse: bool, double: bool) -> tuple[str, ...]:
    return tuple(name for name, on in (("reverse", reverse), ("double", double)) if on)


def _apply_transforms(text: str, transforms: Sequence[str]) -> str:
    for transform in transforms:
        text = text[::-1] if transform == "reverse" else text + text
    return text


def _check_int(name: str, value: object, *, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise ValueError(f"{name} must be an int, got {type(value).__name__} {value!r}")
    if value < minimum:
        requirement = "positive" if minimum == 1 else f">= {minimum}"
        raise ValueError(f"{name} must be {requirement}, got {value}")
    return int(value)


def _check_seed(seed: object) -> int:
    return _check_int("seed", seed, minimum=0)


def _check_bool(name: str, value: object) -> None:
    if not isinstance(value, bool):
        raise ValueError(f"{name} must be True or False, got {value!r}")


def _check_index(name: str, value: object, size: int, size_name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise ValueError(f"{name} must be an int, got {type(value).__name__} {value!r}")
    if not 0 <= value < size:
        raise ValueError(
            f"{name}={value} is out of range for {size_name}={size} (valid: 0..{size - 1})"
        )
    return int(value)


def _check_fraction(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.floating):
        raise ValueError(f"{name} must be a number in (0, 1), got {value!r}")
    if not 0 < value < 1:  # also rejects NaN
        raise ValueError(f"{name} must be in (0, 1), got {value}")
    return float(value)


def _split_sizes(
    n_total: int, val_fraction: object, test_fraction: object, *, what: str | None = None
) -> tuple[int, int, int]:
    """(train, val, test) sizes; every split must get at least one item."""
    val = _check_fraction("val_fraction", val_fraction)
    test = _check_fraction("test_fraction", test_fraction)
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
