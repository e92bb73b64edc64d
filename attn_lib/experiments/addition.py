"""Chapter 6: three seq2seq models on the same addition task, and where the attention looks.

`train_models` trains ``SimpleSeq2Seq`` (keras-io), ``Seq2Seq(peek=True)`` (Cho et al. 2014) and
``AttentionSeq2Seq`` with one shared budget; `summary_table` turns the runs into the chapter's
table; `place_value_attention` measures how much attention each output digit puts on the input
digits of the same place value and of the place below it (where a carry comes from).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import keras
import numpy as np
import pandas as pd

from attn_lib.decoding import greedy_decode
from attn_lib.metrics import char_accuracy, exact_match
from attn_lib.models import AttentionSeq2Seq, Seq2Seq, SimpleSeq2Seq
from attn_lib.tasks import Seq2SeqData, Split
from attn_lib.training import TrainingHistory, train

train_cached = train  # replaced when the chapter is rewritten

__all__ = [
    "MODEL_KINDS",
    "MODEL_LABELS",
    "PLACE_NAMES",
    "Run",
    "evaluate",
    "make_factory",
    "place_value_attention",
    "place_value_columns",
    "summary_table",
    "train_models",
]

#: The three models of the chapter, in the order they are introduced.
MODEL_KINDS = ("simple", "peek", "attention")
#: Legend / table label of each model.
MODEL_LABELS = {
    "simple": "SimpleSeq2Seq",
    "peek": "Seq2Seq(peek)",
    "attention": "AttentionSeq2Seq",
}
#: Korean name of a place value (0 = units).
PLACE_NAMES = ("일의 자리", "십의 자리", "백의 자리", "천의 자리", "만의 자리")


@dataclass
class Run:
    """One trained model and its per-epoch history."""

    model: keras.Model
    history: TrainingHistory


def make_factory(
    kind: str,
    data: Seq2SeqData,
    *,
    units: int = 128,
    embedding_dim: int = 32,
    score: str = "dot",
) -> Callable[[], keras.Model]:
    """A zero-argument function that builds the model ``kind`` (see `MODEL_KINDS`) for ``data``.

    ``score`` is the attention score of the ``"attention"`` model (``"dot"``: Luong et al. 2015,
    whose decoder runs as one vectorised pass; ``"additive"``: Bahdanau et al. 2015).
    """
    if kind not in MODEL_KINDS:
        raise ValueError(f"unknown model kind {kind!r}; choose from {MODEL_KINDS}")
    sizes = (len(data.source_vocab), len(data.target_vocab), data.input_length, data.output_length)
    options = {"units": units, "embedding_dim": embedding_dim}

    def make() -> keras.Model:
        if kind == "simple":
            return SimpleSeq2Seq(*sizes, **options)
        if kind == "peek":
            return Seq2Seq(*sizes, peek=True, **options)
        return AttentionSeq2Seq(*sizes, score=score, **options)

    return make


def train_models(
    data: Seq2SeqData,
    *,
    epochs: int,
    kinds: Sequence[str] = MODEL_KINDS,
    units: int = 128,
    batch_size: int = 128,
    learning_rate: float = 2e-3,
    schedule: str = "constant",
    warmup_epochs: float = 0.0,
    decay_epochs: float | None = None,
    clipnorm: float | None = None,
    seed: int = 0,
    score: str = "dot",
    target_accuracy: float | None = None,
    cached: bool = True,
    verbose: int = 0,
) -> dict[str, Run]:
    """Train every model in ``kinds`` with the same data, budget and seed.

    Args:
        data: an addition task (`attn_lib.addition_task`).
        epochs: maximum number of epochs, the same for every model.
        kinds: which models, from `MODEL_KINDS`.
        units, batch_size, learning_rate, seed: shared by all models.
        schedule, warmup_epochs, decay_epochs, clipnorm: the optimisation recipe shared by all
            models (see `attn_lib.training.train`).
        score: attention score of the attention model.
        target_accuracy: stop a model once its validation exact match reaches this value.
        cached: use `train_cached` (the notebook) instead of `train` (the claim test).
        verbose: 1 prints one line per epoch.

    Returns:
        ``{kind: Run}`` in the order of ``kinds``.
    """
    runs = {}
    for kind in kinds:
        factory = make_factory(kind, data, units=units, score=score)
        fit = train_cached if cached else train
        if verbose:
            print(f"--- {MODEL_LABELS[kind]}")
        model, history = fit(
            factory,
            data,
            epochs=epochs,
            batch_size=batch_size,
            learning_rate=learning_rate,
            schedule=schedule,
            warmup_epochs=warmup_epochs,
            decay_epochs=decay_epochs,
            clipnorm=clipnorm,
            seed=seed,
            target_accuracy=target_accuracy,
            verbose=verbose,
        )
        runs[kind] = Run(model, history)
    return runs


def evaluate(model: keras.Model, split: Split) -> dict[str, float]:
    """Exact-match and per-character accuracy of greedy decoding on ``split``."""
    ids = greedy_decode(model, split.x).token_ids
    return {"exact_match": exact_match(ids, split.y), "char_accuracy": char_accuracy(ids, split.y)}


def summary_table(
    runs: dict[str, Run],
    data: Seq2SeqData,
    thresholds: Sequence[float] = (0.98, 0.99),
    char_threshold: float = 0.98,
) -> pd.DataFrame:
    """The chapter's table: epochs and training seconds to each threshold, then final accuracy.

    ``thresholds`` are on validation exact match, ``char_threshold`` on validation per-character
    accuracy; "미도달" marks a threshold never reached. The last two columns are measured on the
    test split with greedy decoding.
    """
    rows = []
    for kind, run in runs.items():
        history = run.history
        row: dict[str, object] = {"모델": MODEL_LABELS[kind]}
        for threshold in thresholds:
            epoch = history.epochs_to(threshold)
            seconds = history.seconds_to(threshold)
            row[f"정확 일치 {threshold:g} 도달 에폭"] = "미도달" if epoch is None else epoch
            row[f"정확 일치 {threshold:g} 도달 시간(초)"] = (
                "미도달" if seconds is None else round(seconds, 1)
            )
        epoch = history.epochs_to(char_threshold, "val_char_accuracy")
        row[f"문자 정확도 {char_threshold:g} 도달 에폭"] = "미도달" if epoch is None else epoch
        row["학습한 에폭"] = history.epochs
        row["학습 시간(초)"] = round(history.history["train_seconds"][-1], 1)
        test = evaluate(run.model, data.test)
        row["테스트 정확 일치"] = round(test["exact_match"], 4)
        row["테스트 문자 정확도"] = round(test["char_accuracy"], 4)
        rows.append(row)
    return pd.DataFrame(rows).set_index("모델")


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
        One row per place value present (index: Korean place name, highest place first) with the
        mean weight on "같은 자리 숫자", "한 자리 아래 숫자", "+" and "나머지", plus "예시 수".
    """
    attention = np.asarray(attention, dtype=float)
    if len(attention) != len(queries) or len(queries) != len(targets):
        raise ValueError(
            f"attention, queries and targets disagree: {len(attention)}, {len(queries)}, "
            f"{len(targets)} examples"
        )
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
        rows.append(
            {
                "출력 자리": PLACE_NAMES[place] if place < len(PLACE_NAMES) else f"10^{place}",
                "같은 자리 숫자": mean[0],
                "한 자리 아래 숫자": mean[1],
                "+": mean[2],
                "나머지": mean[3],
                "예시 수": counts[place],
            }
        )
    return pd.DataFrame(rows).set_index("출력 자리")
