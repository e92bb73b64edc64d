"""Chapter 3: feed the input reversed (Sutskever et al. 2014) or twice (Zaremba & Sutskever 2014).

What the chapter and its claim test (``tests/claims/test_c2_c3_reversal.py``) both use:
`make_task` builds the copy or addition task with the input as is, reversed or doubled;
`dependency_distances` measures, from the task itself, how many time steps separate each target
character from the source character it depends on; `variant_verdict` is the chapter's rule for
"is this input variant better than feeding the input as is?" over several seeds. The training
loop itself is written out in the chapter.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from attn_lib.tasks import Seq2SeqData, addition_task, memorization_task
from attn_lib.verdicts import Comparison, compare

__all__ = [
    "MIN_GAP",
    "TASK_LABELS",
    "VARIANTS",
    "VARIANT_LABELS",
    "dependencies",
    "dependency_distances",
    "distance_summary",
    "encoder_positions",
    "make_task",
    "variant_verdict",
]

#: Input variant → (reverse, double), in the order the chapter introduces them.
VARIANTS: dict[str, tuple[bool, bool]] = {
    "normal": (False, False),
    "reversed": (True, False),
    "doubled": (False, True),
    "reversed_doubled": (True, True),
}
#: Table / legend label of each variant.
VARIANT_LABELS = {
    "normal": "그대로",
    "reversed": "뒤집기",
    "doubled": "두 번 넣기",
    "reversed_doubled": "뒤집고 두 번",
}
#: Table label of each task.
TASK_LABELS = {"copy": "복사", "addition": "덧셈"}
#: The smallest gap between two variants' seed means that counts as a difference (an accuracy).
MIN_GAP = 0.02

_MARKER_BASE = 0xE000  # private-use characters: one distinct marker per query position


def make_task(
    task: str,
    variant: str,
    *,
    n_samples: int,
    length: int = 10,
    digits: int = 3,
    seed: int = 0,
    val_fraction: float = 0.05,
    test_fraction: float = 0.1,
) -> Seq2SeqData:
    """The ``"copy"`` task (strings of ``length`` digits) or ``"addition"`` (up to ``digits``
    digits per operand), with the input fed as ``variant`` (a key of `VARIANTS`).

    The same ``seed`` gives the same questions and splits in every variant; only the string the
    encoder reads differs.
    """
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r}; choose from {list(VARIANTS)}")
    reverse, double = VARIANTS[variant]
    splits = {"seed": seed, "val_fraction": val_fraction, "test_fraction": test_fraction}
    if task == "copy":
        return memorization_task(
            length, n_samples, mode="copy", reverse_input=reverse, double_input=double, **splits
        )
    if task == "addition":
        return addition_task(digits, n_samples, reverse=reverse, double=double, **splits)
    raise ValueError(f"unknown task {task!r}; choose from {list(TASK_LABELS)}")


# ------------------------------------------------------------------------------ distances
def dependencies(task: str, query: str, target: str) -> list[list[int]]:
    """For each target character, the positions in ``query`` (as typed) that it depends on.

    Copy: target character ``i`` depends on query character ``i``. Addition: the answer digit of
    place value ``k`` (0 = units) depends on the operands' digits of place ``k``; a leading digit
    that only a carry produces depends on the digits of place ``k - 1``. (Carries from further
    down are ignored: this is the direct dependency, not the whole computation.)
    """
    if task == "copy":
        if len(query) != len(target):
            raise ValueError(f"a copy target has the query's length: {query!r} -> {target!r}")
        return [[i] for i in range(len(query))]
    if task != "addition":
        raise ValueError(f"unknown task {task!r}; choose from {list(TASK_LABELS)}")
    if query.count("+") != 1:
        raise ValueError(f"an addition query looks like '12+345', got {query!r}")
    left, right = query.split("+")
    starts = (0, len(left) + 1)

    def digits_at(place: int) -> list[int]:
        found = []
        for start, operand in zip(starts, (left, right), strict=True):
            if 0 <= place < len(operand):
                found.append(start + len(operand) - 1 - place)
        return found

    result = []
    for index in range(len(target)):
        place = len(target) - 1 - index
        result.append(digits_at(place) or digits_at(place - 1))
    return result


def encoder_positions(data: Seq2SeqData, query: str) -> list[int]:
    """Which query position the encoder reads at each step, after the task's reverse / double.

    Computed by pushing distinct marker characters through `Seq2SeqData.transform_query`, so it
    follows whatever transforms the task applies.
    """
    markers = "".join(chr(_MARKER_BASE + i) for i in range(len(query)))
    return [ord(char) - _MARKER_BASE for char in data.transform_query(markers)]


def dependency_distances(
    task: str, data: Seq2SeqData, *, split: str = "test", limit: int | None = None
) -> pd.DataFrame:
    """Time steps between every target character and the source character it depends on.

    The encoder reads steps ``1..S`` (``S`` = the encoder input's length without padding) and the
    decoder emits target character ``i`` (1-based) at step ``S + i``. A target character that
    depends on the source character read at step ``p`` is ``S + i - p`` steps away from it. When
    the character is read more than once (doubled input), the nearest reading counts.

    Args:
        task: ``"copy"`` or ``"addition"`` (how dependencies are defined, see `dependencies`).
        data: the task with its input variant.
        split: which split's examples to measure.
        limit: measure only the first ``limit`` examples.

    Returns:
        One row per (example, target character): ``example``, ``position`` (1-based) and
        ``distance`` (to the nearest reading of a source character it depends on).
    """
    if split not in data.splits:
        raise ValueError(f"unknown split {split!r}; choose from {list(data.splits)}")
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit <= 0):
        raise ValueError(f"limit must be a positive integer or None, got {limit!r}")
    examples = data.splits[split]
    count = len(examples) if limit is None else min(limit, len(examples))
    rows = []
    for example in range(count):
        query, target = examples.queries[example], examples.targets[example]
        steps = encoder_positions(data, query)
        total = len(steps)
        for index, sources in enumerate(dependencies(task, query, target)):
            readings = [p for p, q in enumerate(steps, start=1) if q in sources]
            if not readings:
                continue
            rows.append(
                {
                    "example": example,
                    "position": index + 1,
                    "distance": min(total + index + 1 - p for p in readings),
                }
            )
    return pd.DataFrame(rows, columns=["example", "position", "distance"])


def distance_summary(distances: pd.DataFrame) -> dict[str, float]:
    """Mean distance, and the mean over examples of the shortest and longest distance."""
    if distances.empty:
        raise ValueError("no distances to summarise")
    per_example = distances.groupby("example")["distance"]
    return {
        "mean": float(distances["distance"].mean()),
        "shortest": float(per_example.min().mean()),
        "longest": float(per_example.max().mean()),
    }


# ------------------------------------------------------------------------------ verdict
def variant_verdict(
    scores: Mapping[str, Sequence[float]], variant: str, baseline: str = "normal"
) -> Comparison:
    """The chapter's rule: is ``variant`` ahead of, behind or tied with ``baseline``?

    Args:
        scores: variant → one value of the same accuracy per seed (the same seeds for every
            variant).
        variant, baseline: keys of ``scores``.

    Returns:
        `attn_lib.verdicts.compare` of the two, with `MIN_GAP`: the gap between the seed means
        counts only when it is larger than both variants' min-max spreads.
    """
    for name in (variant, baseline):
        if name not in scores:
            raise ValueError(f"no scores for variant {name!r}; have {list(scores)}")
    if len(scores[variant]) != len(scores[baseline]):
        raise ValueError(
            f"{variant!r} has {len(scores[variant])} seeds but {baseline!r} has "
            f"{len(scores[baseline])}: compare the same seeds"
        )
    return compare(scores[variant], scores[baseline], min_gap=MIN_GAP)
