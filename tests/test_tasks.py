"""Tests for attn_lib.tasks: shapes, the data contract, disjoint splits, transforms and errors."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable
from datetime import date, timedelta

import numpy as np
import pytest

from attn_lib.tasks import (
    DATE_FORMATS,
    DATE_FORMATS_WITH_WEEKDAY,
    ArrayData,
    Seq2SeqData,
    Split,
    addition_task,
    arithmetic,
    attention_column_task,
    attention_dense_task,
    date_source_vocab,
    date_task,
    memorization_task,
)
from attn_lib.vocab import Vocab

PAD, START, END = Vocab.PAD_ID, Vocab.START_ID, Vocab.END_ID


# ---------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def addition() -> Seq2SeqData:
    return addition_task(3, 2000, seed=0)


@pytest.fixture(scope="module")
def dates() -> Seq2SeqData:
    return date_task(3000, seed=0)


def all_splits(data: Seq2SeqData) -> list[Split]:
    return [data.train, data.val, data.test]


def assert_contract(data: Seq2SeqData) -> None:
    """Shapes, dtypes, PAD padding, END placement and teacher forcing for every split."""
    for split in all_splits(data):
        n = len(split)
        assert split.x.shape == (n, data.input_length) and split.x.dtype == np.int32
        assert split.y.shape == (n, data.output_length) and split.y.dtype == np.int32
        assert len(split.inputs) == len(split.targets) == len(split.queries) == n
        for row in range(n):
            x_row, y_row = split.x[row], split.y[row]
            n_in, n_out = len(split.inputs[row]), len(split.targets[row])
            assert (x_row[:n_in] >= 3).all() and (x_row[n_in:] == PAD).all()
            assert (y_row[:n_out] >= 3).all()
            assert y_row[n_out] == END and (y_row[n_out + 1 :] == PAD).all()
        assert data.source_vocab.decode_batch(split.x) == split.inputs
        assert data.target_vocab.decode_batch(split.y) == split.targets
        decoder_input = split.decoder_input
        assert decoder_input.shape == split.y.shape and decoder_input.dtype == np.int32
        assert (decoder_input[:, 0] == START).all()
        np.testing.assert_array_equal(decoder_input[:, 1:], split.y[:, :-1])


def operand_pair(query: str) -> tuple[int, int]:
    a, b = (int(part) for part in query.split("+"))
    return (a, b) if a <= b else (b, a)


# ---------------------------------------------------------------------- addition
def test_addition_contract_and_sizes(addition: Seq2SeqData) -> None:
    assert_contract(addition)
    assert (len(addition.train), len(addition.val), len(addition.test)) == (1600, 200, 200)
    assert addition.input_length == 7 and addition.output_length == 5
    assert addition.source_vocab == Vocab("0123456789+")
    assert addition.target_vocab == Vocab("0123456789")
    assert addition.config["seed"] == 0 and addition.config["task"] == "addition"
    json.dumps(addition.config)


def test_addition_targets_are_sums_and_inputs_untransformed(addition: Seq2SeqData) -> None:
    for split in all_splits(addition):
        assert split.inputs == split.queries
        for query, target in zip(split.queries, split.targets, strict=True):
            a, b = (int(part) for part in query.split("+"))
            assert target == str(a + b)
            assert query == f"{a}+{b}"  # no leading zeros without fixed_width


def test_addition_dedups_commutative_pairs_and_splits_are_disjoint(addition: Seq2SeqData) -> None:
    queries = [q for split in all_splits(addition) for q in split.queries]
    pairs = [operand_pair(q) for q in queries]
    assert len(set(pairs)) == len(pairs)
    query_set = set(queries)
    for query in queries:
        a, b = query.split("+")
        assert a == b or f"{b}+{a}" not in query_set
    split_pairs = [{operand_pair(q) for q in split.queries} for split in all_splits(addition)]
    assert not split_pairs[0] & split_pairs[1]
    assert not split_pairs[0] & split_pairs[2]
    assert not split_pairs[1] & split_pairs[2]


def test_addition_follows_keras_io_operand_distribution(monkeypatch: pytest.MonkeyPatch) -> None:
    """Length uniform in 1..digits, so short operands are common (uniform values would give
    ~90% three-digit operands); the exact pair sampler agrees with keras-io's rejection loop."""

    def digit_shares(data: Seq2SeqData) -> np.ndarray:
        operands = [p for s in all_splits(data) for q in s.queries for p in q.split("+")]
        lengths = np.array([len(p) for p in operands])
        return np.array([(lengths == k).mean() for k in (1, 2, 3)])

    exact = digit_shares(addition_task(3, 4000, seed=1))
    monkeypatch.setattr(arithmetic, "_ENUMERATE_PAIRS_UP_TO", 0)  # force the rejection loop
    loop = digit_shares(addition_task(3, 4000, seed=1))
    assert exact[2] < 0.6 and exact[0] > 0.1
    np.testing.assert_allclose(exact, loop, atol=0.03)


def test_addition_rejection_path_dedups_large_digits() -> None:
    data = addition_task(5, 3000, seed=2)
    assert_contract(data)
    pairs = [operand_pair(q) for s in all_splits(data) for q in s.queries]
    assert len(set(pairs)) == len(pairs)
    assert max(len(t) for s in all_splits(data) for t in s.targets) <= 6


def test_addition_n_samples_cap() -> None:
    with pytest.raises(ValueError, match=r"n_samples=56 is more than the 55 distinct.*<= 55"):
        addition_task(1, 56)
    data = addition_task(1, 55, val_fraction=0.2, test_fraction=0.2)
    pairs = {operand_pair(q) for s in all_splits(data) for q in s.queries}
    assert pairs == {(a, b) for a in range(10) for b in range(a, 10)}


def test_addition_fixed_width() -> None:
    data = addition_task(3, 500, fixed_width=True, seed=3)
    assert_contract(data)
    for split in all_splits(data):
        for query, target in zip(split.queries, split.targets, strict=True):
            assert re.fullmatch(r"\d{3}\+\d{3}", query)
            assert re.fullmatch(r"\d{4}", target)
            a, b = (int(part) for part in query.split("+"))
            assert int(target) == a + b
    assert data.encode_inputs("007+123").shape == (1, 7)


@pytest.mark.parametrize(
    ("reverse", "double", "transform", "input_length"),
    [
        (True, False, lambda q: q[::-1], 7),
        (False, True, lambda q: q + q, 14),
        (True, True, lambda q: q[::-1] + q[::-1], 14),
    ],
)
def test_addition_reverse_and_double(
    reverse: bool, double: bool, transform: Callable[[str], str], input_length: int
) -> None:
    data = addition_task(3, 300, reverse=reverse, double=double, seed=4)
    assert_contract(data)
    assert data.input_length == input_length
    for split in all_splits(data):
        assert split.inputs == [transform(q) for q in split.queries]
        for query, target in zip(split.queries, split.targets, strict=True):
            assert target == str(sum(int(p) for p in query.split("+")))  # answer is not reversed
    np.testing.assert_array_equal(data.encode_inputs(data.train.queries), data.train.x)
    assert data.transform_query("12+345") == transform("12+345")


def test_encode_inputs_validates_queries() -> None:
    data = addition_task(2, 200, reverse=True, seed=0)
    fresh = data.encode_inputs("12+34")
    assert fresh.shape == (1, 5) and fresh.dtype == np.int32
    assert data.source_vocab.decode(fresh[0]) == "43+21"
    with pytest.raises(
        ValueError, match=r"unknown character 'x' at position 3 \(index 2\) in '12x4'"
    ):
        data.encode_inputs(["12+3", "12x4"])
    with pytest.raises(
        ValueError, match=r"'123\+45' is 6 characters long after reverse.*input_length is 5"
    ):
        data.encode_inputs("123+45")
    with pytest.raises(ValueError, match="texts is empty"):
        data.encode_inputs([])


# ---------------------------------------------------------------------- memorization
@pytest.mark.parametrize("mode", ["copy", "reverse"])
def test_memorization_modes(mode: str) -> None:
    data = memorization_task(8, 400, mode=mode, seed=0)
    assert_contract(data)
    assert data.input_length == 8 and data.output_length == 9
    for split in all_splits(data):
        assert all(len(q) == 8 for q in split.queries)
        expected = split.queries if mode == "copy" else [q[::-1] for q in split.queries]
        assert split.targets == expected
        assert split.inputs == split.queries


def test_memorization_variable_length_unique_and_disjoint() -> None:
    data = memorization_task(12, 1000, min_length=5, alphabet="abc", seed=1)
    assert_contract(data)
    queries = [q for split in all_splits(data) for q in split.queries]
    assert {len(q) for q in queries} == set(range(5, 13))
    assert set("".join(queries)) == set("abc")
    assert len(set(queries)) == len(queries)
    train, val, test = ({*s.queries} for s in all_splits(data))
    assert not train & val and not train & test and not val & test


def test_memorization_input_transforms() -> None:
    data = memorization_task(6, 200, mode="reverse", reverse_input=True, double_input=True, seed=2)
    assert_contract(data)
    assert data.input_length == 12 and data.input_transforms == ("reverse", "double")
    for query, encoder_input in zip(data.train.queries, data.train.inputs, strict=True):
        assert encoder_input == query[::-1] * 2


def test_memorization_cap_and_full_enumeration() -> None:
    with pytest.raises(ValueError, match=r"n_samples=9 is more than the 8 distinct strings"):
        memorization_task(3, 9, alphabet="01")
    data = memorization_task(3, 8, alphabet="01", val_fraction=0.25, test_fraction=0.25)
    queries = {q for split in all_splits(data) for q in split.queries}
    assert queries == {f"{i:03b}" for i in range(8)}


# ---------------------------------------------------------------------- dates
def test_date_format_examples() -> None:
    monday = date(2026, 11, 23)
    assert monday.weekday() == 0
    expected = {
        "korean_long_weekday": "2026년 11월 23일 월요일",
        "korean_long": "2026년 11월 23일",
        "korean_short_dots": "26. 11. 23.",
        "dots": "2026.11.23",
        "korean_month_day_year": "11월 23일, 2026",
        "day_month_abbr_year": "23 Nov 2026",
        "month_name_day_year": "November 23, 2026",
        "rfc_weekday": "Mon, 23 Nov 2026",
        "slashes": "2026/11/23",
        "us_slashes": "11/23/2026",
        "iso_korean_weekday": "2026-11-23 (월)",
        "compact": "20261123",
    }
    assert {name: fmt(monday) for name, fmt in DATE_FORMATS.items()} == expected
    assert DATE_FORMATS["korean_short_dots"](date(2026, 1, 5)) == "26. 1. 5."
    assert DATE_FORMATS["rfc_weekday"](date(2026, 1, 5)) == "Mon, 05 Jan 2026"


_WEEKDAY_PATTERNS = {
    "korean_long_weekday": (r"(\d{4})년 (\d+)월 (\d+)일 (.)요일", "ymdw", tuple("월화수목금토일")),
    "iso_korean_weekday": (r"(\d{4})-(\d\d)-(\d\d) \((.)\)", "ymdw", tuple("월화수목금토일")),
    "rfc_weekday": (
        r"(\w{3}), (\d\d) (\w{3}) (\d{4})",
        "wdby",
        ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    ),
}
_MONTH_ABBREVIATIONS = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)


def parse_weekday_form(format_name: str, text: str) -> tuple[date, int]:
    """Independent parser: the date and the weekday index that `text` claims."""
    pattern, order, weekday_names = _WEEKDAY_PATTERNS[format_name]
    match = re.fullmatch(pattern, text)
    assert match, (format_name, text)
    fields = dict(zip(order, match.groups(), strict=True))
    month = int(fields["m"]) if "m" in fields else _MONTH_ABBREVIATIONS.index(fields["b"]) + 1
    return date(int(fields["y"]), month, int(fields["d"])), weekday_names.index(fields["w"])


def test_weekday_forms_are_correct_for_every_day() -> None:
    assert set(_WEEKDAY_PATTERNS) == set(DATE_FORMATS_WITH_WEEKDAY)
    day, last = date(1950, 1, 1), date(2049, 12, 31)
    while day <= last:
        for format_name in DATE_FORMATS_WITH_WEEKDAY:
            parsed, weekday = parse_weekday_form(format_name, DATE_FORMATS[format_name](day))
            assert parsed == day and weekday == day.weekday()
        day += timedelta(days=13)  # 13 is coprime with 7, so every weekday/month mix appears


def test_date_examples_match_their_target_and_weekday(dates: Seq2SeqData) -> None:
    assert_contract(dates)
    weekday_examples = 0
    for split in all_splits(dates):
        assert split.kinds is not None and split.inputs == split.queries
        for query, target, kind in zip(split.queries, split.targets, split.kinds, strict=True):
            day = date.fromisoformat(target)
            assert date(1950, 1, 1) <= day <= date(2049, 12, 31)
            assert query == DATE_FORMATS[kind](day)
            if kind in DATE_FORMATS_WITH_WEEKDAY:
                parsed, weekday = parse_weekday_form(kind, query)
                assert parsed == day and weekday == day.weekday()
                weekday_examples += 1
    assert weekday_examples > 0
    assert {kind for split in all_splits(dates) for kind in split.kinds or []} == set(DATE_FORMATS)


def test_date_splits_are_disjoint_by_date(dates: Seq2SeqData) -> None:
    train, val, test = ({*split.targets} for split in all_splits(dates))
    assert not train & val and not train & test and not val & test
    sources = [q for split in all_splits(dates) for q in split.queries]
    assert len(set(sources)) == len(sources)
    assert (len(dates.train), len(dates.val), len(dates.test)) == (2400, 300, 300)
    assert dates.output_length == 11 and dates.target_vocab == Vocab("0123456789-")


def test_two_digit_years_resolve_within_range() -> None:
    data = date_task(2000, formats=["korean_short_dots"], seed=5)
    for split in all_splits(data):
        for query, target in zip(split.queries, split.targets, strict=True):
            year = int(target[:4])
            assert 1950 <= year <= 2049 and int(query[:2]) == year % 100
    with pytest.raises(ValueError, match=r"two-digit years.*1900\.\.2049"):
        date_task(100, start="1900-01-01", formats=["korean_short_dots", "dots"])
    date_task(100, start="1900-01-01", formats=["dots"])  # fine without two-digit years


def test_every_date_format_encodes_with_the_source_vocab(dates: Seq2SeqData) -> None:
    assert dates.source_vocab == date_source_vocab()
    day, last = date(1900, 1, 1), date(2100, 12, 31)
    sweep = [date(2000, 1, 1) + timedelta(days=i) for i in range(366)]
    while day <= last:
        sweep.append(day)
        day += timedelta(days=29)
    for format_name, formatter in DATE_FORMATS.items():
        texts = [formatter(d) for d in sweep]
        encoded = dates.encode_inputs(texts)
        assert encoded.shape == (len(texts), dates.input_length), format_name
        assert dates.source_vocab.decode_batch(encoded) == texts


def test_date_format_subset_and_capacity() -> None:
    data = date_task(200, start="2020-01-01", end="2020-12-31", formats=["dots", "rfc_weekday"])
    assert {k for s in all_splits(data) for k in s.kinds or []} == {"dots", "rfc_weekday"}
    assert data.input_length == len("Mon, 01 Jan 2020")
    assert data.config["formats"] == ["dots", "rfc_weekday"]
    with pytest.raises(ValueError, match=r"asks for \d+ training examples.*give only"):
        date_task(100, start="2020-01-01", end="2020-01-31", formats=["dots"])


# ---------------------------------------------------------------------- attention-LSTM demo data
def test_attention_column_task() -> None:
    data = attention_column_task(500, time_steps=10, features=3, informative_step=7, seed=0)
    assert isinstance(data, ArrayData) and data.informative_index == 7
    assert data.x_train.shape == (400, 10, 3) and data.y_train.shape == (400, 1)
    assert data.x_val.shape == (50, 10, 3) and data.x_test.shape == (50, 10, 3)
    for x, y in (
        (data.x_train, data.y_train),
        (data.x_val, data.y_val),
        (data.x_test, data.y_test),
    ):
        assert x.dtype == np.float32 and y.dtype == np.float32
        assert set(np.unique(y)) <= {0.0, 1.0}
        np.testing.assert_array_equal(x[:, 7, :], np.repeat(y, 3, axis=1))
    assert 0.3 < data.y_train.mean() < 0.7
    assert abs(float(np.delete(data.x_train, 7, axis=1).std()) - 1.0) < 0.1


def test_attention_dense_task() -> None:
    data = attention_dense_task(300, features=8, informative_feature=5, seed=0)
    assert data.x_train.shape == (240, 8) and data.y_test.shape == (30, 1)
    np.testing.assert_array_equal(data.x_train[:, 5], data.y_train[:, 0])
    assert data.config["informative_feature"] == 5 and data.informative_index == 5


# ---------------------------------------------------------------------- determinism and caching
TASK_BUILDERS: dict[str, Callable[[int], object]] = {
    "addition": lambda seed: addition_task(2, 300, reverse=True, seed=seed),
    "addition_rejection": lambda seed: addition_task(4, 300, seed=seed),
    "memorization": lambda seed: memorization_task(10, 300, min_length=3, seed=seed),
    "date": lambda seed: date_task(300, seed=seed),
    "column": lambda seed: attention_column_task(100, seed=seed),
    "dense": lambda seed: attention_dense_task(100, seed=seed),
}


def arrays_of(data: object) -> list[np.ndarray]:
    if isinstance(data, Seq2SeqData):
        return [a for split in all_splits(data) for a in (split.x, split.y)]
    assert isinstance(data, ArrayData)
    return [data.x_train, data.y_train, data.x_val, data.y_val, data.x_test, data.y_test]


@pytest.mark.parametrize("task_name", list(TASK_BUILDERS))
def test_same_seed_same_data_different_seed_different_data(task_name: str) -> None:
    build = TASK_BUILDERS[task_name]
    first, again, other = build(0), build(0), build(1)
    for a, b in zip(arrays_of(first), arrays_of(again), strict=True):
        np.testing.assert_array_equal(a, b)
    assert any(
        not np.array_equal(a, b) for a, b in zip(arrays_of(first), arrays_of(other), strict=True)
    )
    if isinstance(first, Seq2SeqData):
        assert isinstance(again, Seq2SeqData) and isinstance(other, Seq2SeqData)
        assert first.fingerprint() == again.fingerprint() != other.fingerprint()
        assert first.train.queries == again.train.queries


def test_fingerprint_tracks_config(addition: Seq2SeqData) -> None:
    fingerprint = addition.fingerprint()
    assert re.fullmatch(r"[0-9a-f]{64}", fingerprint)
    assert addition_task(3, 2000, seed=0).fingerprint() == fingerprint
    assert addition_task(3, 2000, reverse=True, seed=0).fingerprint() != fingerprint
    assert addition_task(3, 2001, seed=0).fingerprint() != fingerprint


def test_data_is_immutable(addition: Seq2SeqData) -> None:
    with pytest.raises(ValueError, match="read-only"):
        addition.train.x[0, 0] = 5
    with pytest.raises(dataclasses.FrozenInstanceError):
        addition.train = addition.val  # type: ignore[misc]
    column = attention_column_task(20, seed=0)
    with pytest.raises(ValueError, match="read-only"):
        column.x_train[0, 0, 0] = 1.0
    decoder_input = addition.train.decoder_input
    decoder_input[0, 0] = 7  # a fresh array each call, safe to modify
    assert addition.train.decoder_input[0, 0] == START


def test_containers_validate_their_fields(addition: Seq2SeqData) -> None:
    train = addition.train
    with pytest.raises(ValueError, match="disagree on the number of examples"):
        Split(train.inputs[:-1], train.targets, train.x, train.y, train.queries)
    with pytest.raises(ValueError, match="integer ids"):
        Split(train.inputs, train.targets, train.x.astype(float), train.y, train.queries)
    kwargs = {f.name: getattr(addition, f.name) for f in dataclasses.fields(addition)}
    with pytest.raises(ValueError, match="unknown input transform"):
        Seq2SeqData(**{**kwargs, "input_transforms": ("shuffle",)})
    with pytest.raises(ValueError, match="JSON-serialisable"):
        Seq2SeqData(**{**kwargs, "config": {"rng": object()}})
    with pytest.raises(ValueError, match=r"train split has x \(1600, 7\).*expected \(1600, 9\)"):
        Seq2SeqData(**{**kwargs, "input_length": 9})
    assert "train=1600" in repr(addition) and "Split(n=1600" in repr(addition.train)


# ---------------------------------------------------------------------- error paths
BAD_CONFIGS: list[tuple[str, Callable[[], object], type[Exception], str]] = [
    ("digits 0", lambda: addition_task(0, 10), ValueError, "digits must be positive, got 0"),
    ("digits big", lambda: addition_task(19, 10), ValueError, "digits must be at most 18"),
    ("n_samples 0", lambda: addition_task(2, 0), ValueError, "n_samples must be positive"),
    ("n_samples -5", lambda: memorization_task(5, -5), ValueError, "n_samples must be positive"),
    ("n_samples float", lambda: addition_task(2, 5e2), ValueError, "n_samples must be an int"),
    ("flag not bool", lambda: addition_task(2, 10, reverse=1), ValueError, "reverse must be True"),
    ("seed negative", lambda: addition_task(2, 10, seed=-1), ValueError, "seed must be >= 0"),
    (
        "val 0",
        lambda: addition_task(2, 100, val_fraction=0),
        ValueError,
        r"val_fraction must be in \(0, 1\)",
    ),
    (
        "test 1",
        lambda: addition_task(2, 100, test_fraction=1.0),
        ValueError,
        "test_fraction must be in",
    ),
    (
        "val nan",
        lambda: addition_task(2, 100, val_fraction=float("nan")),
        ValueError,
        "val_fraction",
    ),
    (
        "val str",
        lambda: addition_task(2, 100, val_fraction="0.1"),
        ValueError,
        "val_fraction must be a number",
    ),
    (
        "sum >= 1",
        lambda: addition_task(2, 100, val_fraction=0.5, test_fraction=0.5),
        ValueError,
        r"val_fraction \+ test_fraction must be < 1",
    ),
    (
        "empty split",
        lambda: addition_task(2, 4),
        ValueError,
        "n_samples=4 .* leaves the validation split empty",
    ),
    ("length 0", lambda: memorization_task(0, 10), ValueError, "length must be positive"),
    (
        "bad mode",
        lambda: memorization_task(5, 10, mode="sort"),
        ValueError,
        r"unknown mode 'sort'; valid modes: \['copy', 'reverse'\]",
    ),
    (
        "empty alphabet",
        lambda: memorization_task(5, 10, alphabet=""),
        ValueError,
        "alphabet is empty",
    ),
    (
        "alphabet list",
        lambda: memorization_task(5, 10, alphabet=["a", "b"]),
        ValueError,
        "alphabet must be a str",
    ),
    (
        "repeated alphabet",
        lambda: memorization_task(5, 10, alphabet="abca"),
        ValueError,
        r"repeats \['a'\]",
    ),
    (
        "min > length",
        lambda: memorization_task(5, 10, min_length=6),
        ValueError,
        "min_length=6 must not exceed length=5",
    ),
    (
        "min 0",
        lambda: memorization_task(5, 10, min_length=0),
        ValueError,
        "min_length must be positive",
    ),
    (
        "start > end",
        lambda: date_task(10, start="2020-01-02", end="2020-01-01"),
        ValueError,
        "start=2020-01-02 is after end=2020-01-01",
    ),
    (
        "bad month",
        lambda: date_task(10, start="2020-13-01"),
        ValueError,
        "start='2020-13-01' is not a valid date",
    ),
    (
        "bad shape",
        lambda: date_task(10, end="2020/01/01"),
        ValueError,
        "end='2020/01/01' is not a 'YYYY-MM-DD' date",
    ),
    (
        "date int",
        lambda: date_task(10, start=20200101),
        ValueError,
        "start must be a 'YYYY-MM-DD' str",
    ),
    (
        "unknown format",
        lambda: date_task(10, formats=["dots", "julian"]),
        ValueError,
        r"unknown date format\(s\) \['julian'\]; valid formats: \['korean_long_weekday'",
    ),
    ("no formats", lambda: date_task(10, formats=[]), ValueError, "formats is empty"),
    (
        "repeated format",
        lambda: date_task(10, formats=["dots", "dots"]),
        ValueError,
        "more than once",
    ),
    (
        "one-day range",
        lambda: date_task(10, start="2020-01-01", end="2020-01-01"),
        ValueError,
        r"the 1-day range 2020-01-01\.\.2020-01-01 .* leaves the validation split empty",
    ),
    (
        "step out of range",
        lambda: attention_column_task(100, time_steps=10),
        ValueError,
        r"informative_step=15 is out of range for time_steps=10 \(valid: 0\.\.9\)",
    ),
    (
        "step negative",
        lambda: attention_column_task(100, informative_step=-1),
        ValueError,
        "out of range",
    ),
    (
        "time_steps 0",
        lambda: attention_column_task(100, time_steps=0),
        ValueError,
        "time_steps must be positive",
    ),
    (
        "features 0",
        lambda: attention_column_task(100, features=0),
        ValueError,
        "features must be positive",
    ),
    (
        "feature out of range",
        lambda: attention_dense_task(100, features=4, informative_feature=4),
        ValueError,
        r"informative_feature=4 is out of range for features=4",
    ),
    ("dense n_samples", lambda: attention_dense_task(0), ValueError, "n_samples must be positive"),
]


@pytest.mark.parametrize(
    ("build", "error", "match"),
    [case[1:] for case in BAD_CONFIGS],
    ids=[case[0] for case in BAD_CONFIGS],
)
def test_bad_configs_raise_clear_errors(
    build: Callable[[], object], error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        build()
