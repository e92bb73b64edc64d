"""Chapter 6 (claim C5): what the chapter and its claim test both need.

- `first_epoch_at`, `half_one_verdict`: the rule for the claim's first half ("the attention
  model reaches 0.98 before epoch 30"), applied to the chapter's own runs;
- `load_race`, `find_race_file`, `half_two_verdict`: the keras-io recipe's race results
  (``benchmarks/results/convergence.json``, written by ``benchmarks/convergence.py``) and the rule
  for the claim's second half ("the simple seq2seq is still below 0.98 after 50 epochs");
- `place_value_attention`: how much attention each output digit puts on the input digits of the
  same place value and of the place below (where a carry comes from).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from attn_lib.training import TrainingHistory

__all__ = [
    "PLACE_GROUPS",
    "PLACE_NAMES",
    "RACE_FILE",
    "RaceResults",
    "RaceRun",
    "find_race_file",
    "first_epoch_at",
    "half_one_verdict",
    "half_two_verdict",
    "load_race",
    "place_value_attention",
    "place_value_columns",
]

#: Korean name of a place value (0 = units).
PLACE_NAMES = ("일의 자리", "십의 자리", "백의 자리", "천의 자리", "만의 자리")
#: Column names of `place_value_attention`, in order.
PLACE_GROUPS = ("같은 자리 숫자", "한 자리 아래 숫자", "+", "나머지")
#: Where the convergence race writes its results, relative to the repository root.
RACE_FILE = Path("benchmarks") / "results" / "convergence.json"
#: The race contestant that runs keras-io's recipe (the simple seq2seq).
REFERENCE = "reference"

REPRODUCED = "재현되었습니다"
REFUTED = "반박되었습니다"


# ------------------------------------------------------------------ first half: our own runs
def first_epoch_at(
    history: TrainingHistory, threshold: float, metric: str = "val_char_accuracy"
) -> int | None:
    """First epoch (1-based) at which ``metric`` reached ``threshold``; None if it never did."""
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold must be in (0, 1], got {threshold!r}")
    return history.epochs_to(threshold, metric)


def half_one_verdict(epochs: Sequence[int | None], max_epochs: int, limit: int = 30) -> str:
    """Verdict on "the attention model reaches the threshold before epoch ``limit``".

    Args:
        epochs: per seed, the first epoch at the threshold (None: not reached in the run).
        max_epochs: how many epochs each run was allowed.
        limit: the claim's epoch (reaching it at epoch ``limit`` or later does not count).

    Returns:
        "재현되었습니다" when every seed reached it before ``limit``; "반박되었습니다" when no
        seed did although the runs were allowed ``limit`` epochs; otherwise a sentence that says
        how many seeds reached it and, when the runs were shorter than ``limit``, that the
        others are undecided rather than failed (they might still reach it before ``limit``).
    """
    if not epochs:
        raise ValueError("epochs is empty: give one value per seed")
    for name, value in (("max_epochs", max_epochs), ("limit", limit)):
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    before = [e for e in epochs if e is not None and e < limit]
    if len(before) == len(epochs):
        return REPRODUCED
    if before and max_epochs < limit:
        return (
            f"시드 {len(epochs)}개 중 {len(before)}개에서 확인되었고, 나머지 "
            f"{len(epochs) - len(before)}개는 이 장의 예산({max_epochs}에폭) 안에서 닿지 않아 "
            "판정하지 못했습니다"
        )
    if before:
        return f"시드 {len(epochs)}개 중 {len(before)}개에서만 확인되었습니다"
    if max_epochs >= limit:
        return REFUTED
    return f"이 장의 예산({max_epochs}에폭) 안에서는 확인되지 않았습니다"


# ----------------------------------------------------------- second half: the race results
@dataclass(frozen=True)
class RaceRun:
    """One run of the keras-io recipe in the race.

    Attributes:
        seed: the run's seed.
        epochs_run: epochs trained before the run stopped.
        val_exact_match: validation exact match after every epoch.
    """

    seed: int
    epochs_run: int
    val_exact_match: tuple[float, ...]

    def first_epoch_at(self, threshold: float) -> int | None:
        """First epoch whose validation exact match reached ``threshold``; None if none did."""
        for epoch, value in enumerate(self.val_exact_match, start=1):
            if value >= threshold:
                return epoch
        return None


@dataclass(frozen=True)
class RaceResults:
    """The keras-io recipe's runs in the convergence race, with where and when they ran.

    Attributes:
        path: the file read.
        date: day of the measurement (``YYYY-MM-DD``).
        machine: CPU model and core count, e.g. ``"AMD EPYC, 2코어"``.
        mode: ``"full"`` or ``"quick"`` (a quick race is too short to judge anything).
        description: what the reference contestant is.
        max_epochs: the race's epoch cap.
        n_train: training pairs per epoch (None when the file does not say).
        runs: the reference contestant's runs, in the file's order.
    """

    path: Path
    date: str
    machine: str
    mode: str
    description: str
    max_epochs: int
    n_train: int | None
    runs: tuple[RaceRun, ...]


def _field(data: Any, dotted: str, path: Path) -> Any:
    value = data
    for key in dotted.split("."):
        if not isinstance(value, dict) or key not in value:
            raise ValueError(
                f"{path} has no field {dotted!r}: the race file's format changed; "
                f"update attn_lib.experiments.addition.load_race"
            )
        value = value[key]
    return value


def find_race_file(roots: Sequence[Path | str] | None = None) -> Path | None:
    """The race results of this checkout, or None where there is none (e.g. on Colab).

    Args:
        roots: folders that may hold ``benchmarks/results/convergence.json``; default the working
            directory, its parent and the folder above the installed package (an editable
            install sits in the repository).
    """
    if roots is None:
        here = Path.cwd()
        roots = (here, here.parent, Path(__file__).resolve().parents[2])
    for root in roots:
        candidate = Path(root) / RACE_FILE
        if candidate.is_file():
            return candidate
    return None


def load_race(path: Path | str) -> RaceResults:
    """Read the keras-io recipe's runs from a race file written by ``benchmarks/convergence.py``.

    Only the fields used here are required; new fields are ignored. A missing required field is
    a ``ValueError`` that names it.
    """
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise ValueError(f"cannot read the race results {path}: {error}") from error
    date = str(_field(data, "machine.date", path))[:10]
    cpu = str(_field(data, "machine.cpu_model", path))
    cores = data["machine"].get("logical_cores")
    runs = []
    for index, run in enumerate(_field(data, "runs", path)):
        if not isinstance(run, dict):
            raise ValueError(f"{path}: runs[{index}] is not an object")
        if _field(run, "contestant", path) != REFERENCE:
            continue
        curve = _field(run, "val_exact_match", path)
        if not isinstance(curve, list) or not all(isinstance(v, (int, float)) for v in curve):
            raise ValueError(f"{path}: runs[{index}].val_exact_match is not a list of numbers")
        runs.append(
            RaceRun(
                seed=int(_field(run, "seed", path)),
                epochs_run=int(_field(run, "epochs_run", path)),
                val_exact_match=tuple(float(v) for v in curve),
            )
        )
    if not runs:
        raise ValueError(f"{path} holds no run of the {REFERENCE!r} contestant (keras-io recipe)")
    n_train = data.get("settings", {}).get("train_pairs")
    return RaceResults(
        path=path,
        date=date,
        machine=f"{cpu}, {cores}코어" if cores else cpu,
        mode=str(_field(data, "machine.mode", path)),
        description=str(_field(data, f"contestants.{REFERENCE}.description", path)),
        max_epochs=int(_field(data, "settings.max_epochs", path)),
        n_train=int(n_train) if n_train is not None else None,
        runs=tuple(runs),
    )


def half_two_verdict(race: RaceResults, threshold: float = 0.98, limit: int = 50) -> str:
    """Verdict on "the simple seq2seq is still below ``threshold`` after ``limit`` epochs".

    The race measures exact match; a run that reaches ``threshold`` in exact match has reached
    it in Keras' per-character accuracy too (every character of a fully right answer is right,
    and Keras counts the same number of characters for every answer).

    Returns:
        "반박되었습니다" when every run reached ``threshold`` within ``limit`` epochs,
        "재현되었습니다" when no run did and every run was allowed ``limit`` epochs, a sentence
        with the count when the runs disagree, and a sentence saying why nothing is judged for
        a quick-mode race or one capped below ``limit`` epochs.
    """
    if race.mode != "full":
        return "빠른 모드로 잰 결과라 판정하지 않습니다"
    reached = [r.first_epoch_at(threshold) for r in race.runs]
    within = [e for e in reached if e is not None and e <= limit]
    if len(within) == len(reached):
        return REFUTED
    if within:
        return f"엇갈렸습니다 (시드 {len(reached)}개 중 {len(within)}개만 {limit} 에폭 안에 닿음)"
    if race.max_epochs < limit or any(r.epochs_run < limit for r in race.runs):
        return f"경쟁이 {limit} 에폭을 다 돌지 않아 판정하지 않습니다"
    return REPRODUCED


# ------------------------------------------------------------------ where attention looks
def place_value_columns(query: str, target: str, *, reversed_input: bool) -> list[dict]:
    """Encoder columns of the digits that matter for each output digit of ``query = target``.

    For the output digit of place value ``p`` (0 = units) the "same" columns hold the operands'
    digits of place ``p``, the "lower" columns those of place ``p - 1`` (the carry comes from
    there) and "plus" is the ``+`` sign.

    Args:
        query: the question as typed, e.g. ``"12+345"``.
        target: the answer, e.g. ``"357"`` (one output step per character).
        reversed_input: the encoder saw the query reversed.

    Returns:
        One dict per output digit: ``place``, ``same``, ``lower`` (lists of column indices) and
        ``plus`` (an index).
    """
    if query.count("+") != 1:
        raise ValueError(f"expected one '+' in the query, got {query!r}")
    left, right = query.split("+")
    length = len(query)

    def column(operand_start: int, operand: str, place: int) -> int | None:
        if not 0 <= place < len(operand):
            return None
        index = operand_start + len(operand) - 1 - place  # position in the query as typed
        return length - 1 - index if reversed_input else index

    plus = len(left)
    plus = length - 1 - plus if reversed_input else plus
    steps = []
    for t in range(len(target)):
        place = len(target) - 1 - t
        same = [column(0, left, place), column(len(left) + 1, right, place)]
        lower = [column(0, left, place - 1), column(len(left) + 1, right, place - 1)]
        steps.append(
            {
                "place": place,
                "same": [c for c in same if c is not None],
                "lower": [c for c in lower if c is not None],
                "plus": plus,
            }
        )
    return steps


def place_value_attention(
    attention: np.ndarray,
    queries: Sequence[str],
    targets: Sequence[str],
    *,
    reversed_input: bool,
) -> pd.DataFrame:
    """Mean attention of each output place on the same-place digits, the place below, ``+``.

    Args:
        attention: `(n, output_steps, input_steps)` from `greedy_decode` (use examples the model
            answered correctly, so output step ``t`` really is the target's digit ``t``).
        queries, targets: the ``n`` questions (as typed) and answers.
        reversed_input: the encoder saw the queries reversed.

    Returns:
        One row per place value present, highest place first: "출력 자리" (Korean place name),
        the mean weight on each of `PLACE_GROUPS` and "예제 수".
    """
    attention = np.asarray(attention, dtype=float)
    if attention.ndim != 3:
        raise ValueError(f"attention must be (n, output_steps, input_steps), got {attention.shape}")
    if len(attention) != len(queries) or len(queries) != len(targets):
        raise ValueError(
            f"attention, queries and targets disagree: {len(attention)}, {len(queries)}, "
            f"{len(targets)} examples"
        )
    if len(attention) == 0:
        raise ValueError("need at least one example")
    sums: dict[int, np.ndarray] = {}
    counts: dict[int, int] = {}
    for weights, query, target in zip(attention, queries, targets, strict=True):
        for t, step in enumerate(place_value_columns(query, target, reversed_input=reversed_input)):
            row = weights[t]
            same = row[step["same"]].sum()
            lower = row[step["lower"]].sum()
            plus = row[step["plus"]]
            rest = row.sum() - same - lower - plus
            place = step["place"]
            sums[place] = sums.get(place, np.zeros(4)) + np.array([same, lower, plus, rest])
            counts[place] = counts.get(place, 0) + 1
    rows = []
    for place in sorted(sums, reverse=True):
        mean = sums[place] / counts[place]
        name = PLACE_NAMES[place] if place < len(PLACE_NAMES) else f"10^{place}의 자리"
        groups = dict(zip(PLACE_GROUPS, mean, strict=True))
        rows.append({"출력 자리": name, **groups, "예제 수": counts[place]})
    return pd.DataFrame(rows)
