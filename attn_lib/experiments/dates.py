"""Chapter 8: Korean / English dates -> ISO ``YYYY-MM-DD`` with additive attention.

What the chapter and its claim test share: `format_accuracy` breaks test accuracy down by
surface form; `field_spans` finds the year, month and day in a source string, and
`alignment_table` measures how much attention each output group puts on the matching span.
`FORMAT_LABELS` names the formats in Korean for the chapter's tables.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import keras
import numpy as np
import pandas as pd

from attn_lib.decoding import greedy_decode
from attn_lib.tasks import DATE_FORMATS, Seq2SeqData, Split

__all__ = [
    "COPY_GROUPS",
    "FIELDS",
    "FORMAT_LABELS",
    "FORMAT_PATTERNS",
    "OUTPUT_GROUPS",
    "alignment_table",
    "failures",
    "field_spans",
    "format_accuracy",
]

#: The three fields of a date, in ISO order.
FIELDS = ("year", "month", "day")
#: Output groups of ``YYYY-MM-DD``: name -> (source field, decoder steps). The dashes and END
#: belong to no group. The century ("19"/"20") is split from the last two year digits because a
#: two-digit year ("26. 11. 23.") does not show it at all.
OUTPUT_GROUPS: dict[str, tuple[str, list[int]]] = {
    "연도 앞 두 자리": ("year", [0, 1]),
    "연도 뒤 두 자리": ("year", [2, 3]),
    "월": ("month", [5, 6]),
    "일": ("day", [8, 9]),
}
#: The groups whose digits are copied (or looked up) from one span of the source.
COPY_GROUPS = ("연도 뒤 두 자리", "월", "일")

#: Korean name of every entry of `attn_lib.tasks.DATE_FORMATS`, for reader-facing tables.
FORMAT_LABELS: dict[str, str] = {
    "korean_long_weekday": "한국어 (요일 포함)",
    "korean_long": "한국어",
    "korean_short_dots": "두 자리 연도와 점",
    "dots": "점 구분",
    "korean_month_day_year": "한국어 월·일, 연도",
    "day_month_abbr_year": "영어 일 월 연도",
    "month_name_day_year": "영어 월 일, 연도",
    "rfc_weekday": "RFC 2822 (요일 포함)",
    "slashes": "빗금 (연/월/일)",
    "us_slashes": "미국식 빗금 (월/일/연)",
    "iso_korean_weekday": "ISO와 한국어 요일",
    "compact": "숫자 여덟 자리",
}

_D4, _D2, _D12 = r"\d{4}", r"\d{2}", r"\d{1,2}"
_WORD = r"[A-Za-z]+"


#: A regular expression per entry of `attn_lib.tasks.DATE_FORMATS` with groups year, month, day.
FORMAT_PATTERNS: dict[str, re.Pattern[str]] = {
    "korean_long_weekday": re.compile(
        rf"(?P<year>{_D4})년 (?P<month>{_D12})월 (?P<day>{_D12})일 .요일"
    ),
    "korean_long": re.compile(rf"(?P<year>{_D4})년 (?P<month>{_D12})월 (?P<day>{_D12})일"),
    "korean_short_dots": re.compile(rf"(?P<year>{_D2})\. (?P<month>{_D12})\. (?P<day>{_D12})\."),
    "dots": re.compile(rf"(?P<year>{_D4})\.(?P<month>{_D2})\.(?P<day>{_D2})"),
    "korean_month_day_year": re.compile(rf"(?P<month>{_D12})월 (?P<day>{_D12})일, (?P<year>{_D4})"),
    "day_month_abbr_year": re.compile(rf"(?P<day>{_D12}) (?P<month>{_WORD}) (?P<year>{_D4})"),
    "month_name_day_year": re.compile(rf"(?P<month>{_WORD}) (?P<day>{_D12}), (?P<year>{_D4})"),
    "rfc_weekday": re.compile(rf"{_WORD}, (?P<day>{_D2}) (?P<month>{_WORD}) (?P<year>{_D4})"),
    "slashes": re.compile(rf"(?P<year>{_D4})/(?P<month>{_D2})/(?P<day>{_D2})"),
    "us_slashes": re.compile(rf"(?P<month>{_D12})/(?P<day>{_D12})/(?P<year>{_D4})"),
    "iso_korean_weekday": re.compile(rf"(?P<year>{_D4})-(?P<month>{_D2})-(?P<day>{_D2}) \(.\)"),
    "compact": re.compile(rf"(?P<year>{_D4})(?P<month>{_D2})(?P<day>{_D2})"),
}


def field_spans(query: str, kind: str) -> dict[str, tuple[int, int]]:
    """Character spans ``[start, end)`` of the year, month and day in ``query`` of format ``kind``.

    >>> field_spans("23 Nov 2026", "day_month_abbr_year")
    {'year': (7, 11), 'month': (3, 6), 'day': (0, 2)}
    """
    if kind not in FORMAT_PATTERNS:
        raise ValueError(f"unknown date format {kind!r}; valid: {sorted(FORMAT_PATTERNS)}")
    match = FORMAT_PATTERNS[kind].fullmatch(query)
    if match is None:
        raise ValueError(f"{query!r} does not look like format {kind!r}")
    return {field: match.span(field) for field in FIELDS}


def format_accuracy(model: keras.Model, data: Seq2SeqData, split: Split) -> pd.DataFrame:
    """Exact match per surface form on ``split`` (one row per format, in `DATE_FORMATS` order).

    Columns: 예제 (one query of that format), 개수, 정확 일치. The row "전체" is the whole split.
    """
    if split.kinds is None:
        raise ValueError("the split has no kinds: use a split of attn_lib.date_task")
    texts = greedy_decode(model, split.x, vocab=data.target_vocab).texts
    correct = np.array([p == t for p, t in zip(texts, split.targets, strict=True)])
    kinds = np.array(split.kinds)
    rows = []
    for kind in DATE_FORMATS:
        chosen = kinds == kind
        if not chosen.any():
            continue
        first = int(np.flatnonzero(chosen)[0])
        rows.append(
            {
                "형식": kind,
                "예제": split.queries[first],
                "개수": int(chosen.sum()),
                "정확 일치": float(correct[chosen].mean()),
            }
        )
    rows.append({"형식": "전체", "예제": "", "개수": len(split), "정확 일치": correct.mean()})
    return pd.DataFrame(rows).set_index("형식")


def alignment_table(
    attention: np.ndarray, queries: Sequence[str], kinds: Sequence[str]
) -> pd.DataFrame:
    """Share of each output group's attention that falls on the matching source span, per format.

    For every example the rows of each `OUTPUT_GROUPS` entry are summed over the columns of its
    field's span (`field_spans`) and averaged over the group's steps.

    Args:
        attention: `(n, output_steps, input_steps)`, e.g. `greedy_decode(...).attention`.
        queries, kinds: the ``n`` source strings and their format names (`Split.kinds`).

    Returns:
        One row per format (in `DATE_FORMATS` order, then "전체") with one column per output
        group, "복사 평균" (the mean over `COPY_GROUPS`) and "균등 기준" (what attention spread
        evenly over the query's characters would give for that mean: span length / length).
    """
    attention = np.asarray(attention, dtype=float)
    if not len(attention) == len(queries) == len(kinds):
        raise ValueError(
            f"attention, queries and kinds disagree: {len(attention)}, {len(queries)}, "
            f"{len(kinds)} examples"
        )
    records = []
    for weights, query, kind in zip(attention, queries, kinds, strict=True):
        spans = field_spans(query, kind)
        record: dict[str, object] = {"형식": kind}
        chance = []
        for group, (field, steps) in OUTPUT_GROUPS.items():
            start, end = spans[field]
            record[group] = float(weights[steps, start:end].sum(axis=1).mean())
            if group in COPY_GROUPS:
                chance.append((end - start) / len(query))
        record["복사 평균"] = float(np.mean([record[g] for g in COPY_GROUPS]))
        record["균등 기준"] = float(np.mean(chance))
        records.append(record)
    frame = pd.DataFrame(records)
    columns = [*OUTPUT_GROUPS, "복사 평균", "균등 기준"]
    present = set(kinds)
    order = [k for k in DATE_FORMATS if k in present]
    table = frame.groupby("형식")[columns].mean().loc[order]
    table.loc["전체"] = frame[columns].mean()
    return table


def failures(model: keras.Model, data: Seq2SeqData, split: Split) -> pd.DataFrame:
    """Every wrong greedy prediction on ``split``: 입력, 형식, 정답, 예측."""
    texts = greedy_decode(model, split.x, vocab=data.target_vocab).texts
    kinds = split.kinds or [""] * len(split)
    rows = [
        {"입력": query, "형식": kind, "정답": target, "예측": predicted}
        for query, kind, target, predicted in zip(
            split.queries, kinds, split.targets, texts, strict=True
        )
        if predicted != target
    ]
    return pd.DataFrame(rows, columns=["입력", "형식", "정답", "예측"])
