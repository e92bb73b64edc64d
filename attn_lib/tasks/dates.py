"""Date normalisation: Korean and English surface forms of real calendar dates -> ISO dates.

`DATE_FORMATS` holds the surface forms by name; `date_task` splits the calendar dates themselves
into train / validation / test, so a test date never appears in training in any format.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from functools import cache

import numpy as np

from attn_lib.tasks.containers import Seq2SeqData, make_split, split_sizes
from attn_lib.validation import check_int, check_seed
from attn_lib.vocab import Vocab

__all__ = [
    "DATE_FORMATS",
    "DATE_FORMATS_WITH_WEEKDAY",
    "TWO_DIGIT_YEAR_FORMATS",
    "date_source_vocab",
    "date_task",
]


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
    n_samples = check_int("n_samples", n_samples)
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
    seed = check_seed(seed)
    counts = split_sizes(n_samples, val_fraction, test_fraction)
    n_days = (end_date - start_date).days + 1
    day_counts = split_sizes(
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
        make_split(
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
