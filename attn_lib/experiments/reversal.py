"""Chapter 3: feed the input reversed (Sutskever et al. 2014) or twice (Zaremba & Sutskever 2014).

`make_task` builds the copy or addition task with the input as is, reversed or doubled;
`dependency_distances` measures, from the task itself, how many time steps separate each target
character from the source character it depends on; `run_variants` trains the same model without
attention on each variant with one shared budget, and `summary_table` compares them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import keras
import pandas as pd

from attn_lib.decoding import greedy_decode
from attn_lib.metrics import char_accuracy, exact_match, position_accuracy, teacher_forced_ids
from attn_lib.models import Seq2Seq
from attn_lib.tasks import Seq2SeqData, addition_task, memorization_task
from attn_lib.training import TrainingHistory, train

train_cached = train  # replaced when the chapter is rewritten

__all__ = [
    "TASK_LABELS",
    "VARIANTS",
    "VARIANT_LABELS",
    "Run",
    "dependencies",
    "dependency_distances",
    "distance_summary",
    "encoder_positions",
    "make_factory",
    "make_task",
    "position_table",
    "run_variants",
    "summary_table",
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
    digits per operand), with the input fed as ``variant`` (a key of `VARIANTS`)."""
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
    return pd.DataFrame(rows)


def distance_summary(distances: pd.DataFrame) -> dict[str, float]:
    """Mean distance, and the mean over examples of the shortest and longest distance."""
    per_example = distances.groupby("example")["distance"]
    return {
        "mean": float(distances["distance"].mean()),
        "shortest": float(per_example.min().mean()),
        "longest": float(per_example.max().mean()),
    }


# ------------------------------------------------------------------------------ training
@dataclass
class Run:
    """One trained model, its per-epoch history and the data it was trained on."""

    model: keras.Model
    history: TrainingHistory
    data: Seq2SeqData


def make_factory(data: Seq2SeqData, *, units: int = 64) -> Callable[[], keras.Model]:
    """A zero-argument function that builds the plain ``Seq2Seq`` (no attention) for ``data``."""
    sizes = (len(data.source_vocab), len(data.target_vocab), data.input_length, data.output_length)

    def make() -> keras.Model:
        return Seq2Seq(*sizes, units=units)

    return make


def run_variants(
    task: str,
    *,
    n_samples: int,
    epochs: int,
    variants: Sequence[str] = ("normal", "reversed", "doubled"),
    length: int = 10,
    digits: int = 3,
    units: int = 64,
    batch_size: int = 64,
    learning_rate: float = 5e-3,
    target_accuracy: float | None = 0.99,
    seed: int = 0,
    cached: bool = True,
    verbose: int = 0,
) -> dict[str, Run]:
    """Train the plain ``Seq2Seq`` on each input variant of ``task`` with one shared budget.

    Args:
        task: ``"copy"`` or ``"addition"``.
        n_samples: examples per variant (train + validation + test); the same questions in
            every variant, only the way they are fed differs.
        epochs: maximum epochs per run.
        variants: keys of `VARIANTS`.
        length: copy-task string length.
        digits: addition operand digits.
        units, batch_size, learning_rate, seed: shared by all runs.
        target_accuracy: stop a run once validation exact match reaches this (same rule for all).
        cached: use `train_cached` (the notebook) instead of `train` (the claim test).
        verbose: 1 prints one line per epoch.

    Returns:
        ``{variant: Run}`` in the order of ``variants``.
    """
    fit = train_cached if cached else train
    runs = {}
    for variant in variants:
        data = make_task(
            task, variant, n_samples=n_samples, length=length, digits=digits, seed=seed
        )
        if verbose:
            print(f"--- {TASK_LABELS[task]}, {VARIANT_LABELS[variant]}")
        model, history = fit(
            make_factory(data, units=units),
            data,
            epochs=epochs,
            batch_size=batch_size,
            learning_rate=learning_rate,
            seed=seed,
            target_accuracy=target_accuracy,
            verbose=verbose,
        )
        runs[variant] = Run(model, history, data)
    return runs


def summary_table(runs: dict[str, Run]) -> pd.DataFrame:
    """Per variant: encoder length, epochs run, training seconds and test accuracy (greedy)."""
    rows = []
    for variant, run in runs.items():
        test = run.data.test
        ids = greedy_decode(run.model, test.x).token_ids
        rows.append(
            {
                "variant": variant,
                "입력 방식": VARIANT_LABELS[variant],
                "인코더 길이": run.data.input_length,
                "학습한 에폭": run.history.epochs,
                "학습 시간(초)": round(run.history.history["train_seconds"][-1], 1),
                "최고 검증 정확 일치": round(run.history.best(), 4),
                "테스트 정확 일치": round(exact_match(ids, test.y), 4),
                "테스트 문자 정확도": round(char_accuracy(ids, test.y), 4),
            }
        )
    return pd.DataFrame(rows).set_index("variant")


def position_table(runs: dict[str, Run]) -> pd.DataFrame:
    """Test accuracy at each output position, per variant, greedy and teacher-forced.

    Returns:
        One row per (variant, position): ``variant``, ``position`` (1-based), ``greedy`` (the
        model's own previous characters fed back) and ``teacher`` (the correct ones fed back).
    """
    rows = []
    for variant, run in runs.items():
        test = run.data.test
        greedy = position_accuracy(greedy_decode(run.model, test.x).token_ids, test.y)
        forced = teacher_forced_ids(run.model, test.x, test.decoder_input)
        teacher = position_accuracy(forced, test.y)
        for position, (g, t) in enumerate(zip(greedy, teacher, strict=True), start=1):
            rows.append(
                {"variant": variant, "position": position, "greedy": float(g), "teacher": float(t)}
            )
    return pd.DataFrame(rows)
