"""Chapter 4: a deep-and-narrow against a shallow-and-wide LSTM seq2seq at equal parameters.

`seq2seq_params` counts the weights of a `Seq2Seq` without building it, `matched_units` finds the
LSTM size that gives a model with ``num_layers`` layers (about) a given number of weights, and
`compare_depths` trains every shape with several seeds on the same task and budget.
`summary_table` and `spread_table` turn the runs into the chapter's tables.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import keras
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from attn_lib.decoding import greedy_decode
from attn_lib.metrics import exact_match
from attn_lib.models import Seq2Seq
from attn_lib.tasks import Seq2SeqData
from attn_lib.training import TrainingHistory, train

train_cached = train  # replaced when the chapter is rewritten

__all__ = [
    "DepthRun",
    "Shape",
    "compare_depths",
    "make_factory",
    "matched_shapes",
    "matched_units",
    "plot_depth_curves",
    "seq2seq_params",
    "shape_label",
    "spread_table",
    "state_size",
    "summary_table",
]

#: ``(num_layers, units)`` of one model.
Shape = tuple[int, int]


def _lstm_params(input_dim: int, units: int) -> int:
    # four gates, each with an input kernel, a recurrent kernel and a bias
    return 4 * (input_dim * units + units * units + units)


def seq2seq_params(
    source_vocab_size: int,
    target_vocab_size: int,
    units: int,
    num_layers: int,
    embedding_dim: int = 32,
) -> int:
    """Number of weights of ``Seq2Seq(..., units, embedding_dim, num_layers)`` (peek off).

    The encoder and the decoder each stack ``num_layers`` LSTMs; the first reads the embeddings,
    every other layer reads the sequence of the layer below it.
    """
    stack = _lstm_params(embedding_dim, units) + (num_layers - 1) * _lstm_params(units, units)
    embeddings = (source_vocab_size + target_vocab_size) * embedding_dim
    output = (units + 1) * target_vocab_size
    return embeddings + 2 * stack + output


def matched_units(
    data: Seq2SeqData, num_layers: int, target_params: int, embedding_dim: int = 32
) -> int:
    """LSTM size whose ``num_layers``-layer `Seq2Seq` has the parameter count closest to target."""
    sizes = (len(data.source_vocab), len(data.target_vocab))

    def gap(units: int) -> int:
        return abs(seq2seq_params(*sizes, units, num_layers, embedding_dim) - target_params)

    return min(range(1, 2049), key=gap)


def matched_shapes(
    data: Seq2SeqData, reference: Shape, depths: Sequence[int], embedding_dim: int = 32
) -> list[Shape]:
    """For every depth, the shape with (about) the weights of the ``reference`` shape."""
    layers, units = reference
    sizes = (len(data.source_vocab), len(data.target_vocab))
    target = seq2seq_params(*sizes, units, layers, embedding_dim)
    return [
        (depth, units if depth == layers else matched_units(data, depth, target, embedding_dim))
        for depth in depths
    ]


def shape_label(shape: Shape) -> str:
    """Short label such as ``"2층 × 64"``."""
    layers, units = shape
    return f"{layers}층 × {units}"


def state_size(shape: Shape) -> int:
    """Numbers the encoder hands to the decoder: one ``h`` and one ``c`` per layer."""
    layers, units = shape
    return 2 * layers * units


def make_factory(
    data: Seq2SeqData, shape: Shape, embedding_dim: int = 32
) -> Callable[[], keras.Model]:
    """A zero-argument function that builds a `Seq2Seq` of the given shape for ``data``."""
    layers, units = shape
    sizes = (len(data.source_vocab), len(data.target_vocab), data.input_length, data.output_length)

    def make() -> keras.Model:
        return Seq2Seq(*sizes, units=units, embedding_dim=embedding_dim, num_layers=layers)

    return make


@dataclass
class DepthRun:
    """One trained shape and seed: the history and the test exact match."""

    shape: Shape
    seed: int
    params: int
    history: TrainingHistory
    test_exact_match: float


def compare_depths(
    data: Seq2SeqData,
    shapes: Sequence[Shape],
    *,
    seeds: Sequence[int],
    epochs: int,
    batch_size: int = 128,
    learning_rate: float = 3e-3,
    cached: bool = True,
    verbose: int = 0,
) -> list[DepthRun]:
    """Train every shape with every seed on ``data`` with one shared budget.

    Args:
        data: a seq2seq task.
        shapes: ``(num_layers, units)`` pairs, e.g. from `matched_shapes`.
        seeds: one run per seed and shape.
        epochs, batch_size, learning_rate: shared by every run.
        cached: use `train_cached` (the notebook) instead of `train` (the claim test).
        verbose: 1 prints a header per run and one line per epoch.

    Returns:
        The runs, shape by shape, seed by seed.
    """
    fit = train_cached if cached else train
    runs = []
    for shape in shapes:
        for seed in seeds:
            if verbose:
                print(f"--- {shape_label(shape)}, 시드 {seed}")
            model, history = fit(
                make_factory(data, shape),
                data,
                epochs=epochs,
                batch_size=batch_size,
                learning_rate=learning_rate,
                seed=seed,
                verbose=verbose,
            )
            ids = greedy_decode(model, data.test.x).token_ids
            runs.append(
                DepthRun(
                    shape=shape,
                    seed=seed,
                    params=model.count_params(),
                    history=history,
                    test_exact_match=exact_match(ids, data.test.y),
                )
            )
    return runs


def summary_table(runs: Sequence[DepthRun]) -> pd.DataFrame:
    """One row per run: shape, seed, parameters, final validation and test exact match."""
    rows = [
        {
            "모델": shape_label(run.shape),
            "층 수": run.shape[0],
            "LSTM 크기": run.shape[1],
            "시드": run.seed,
            "파라미터 수": run.params,
            "검증 정확 일치": run.history.final(),
            "테스트 정확 일치": run.test_exact_match,
            "학습 시간(초)": run.history.history["train_seconds"][-1],
        }
        for run in runs
    ]
    return pd.DataFrame(rows)


def spread_table(runs: Sequence[DepthRun]) -> pd.DataFrame:
    """Per shape: mean, min and max test exact match over the seeds, and the mean time."""
    table = summary_table(runs)
    grouped = table.groupby(["모델", "층 수", "LSTM 크기", "파라미터 수"], sort=False)
    spread = grouped.agg(
        평균=("테스트 정확 일치", "mean"),
        최저=("테스트 정확 일치", "min"),
        최고=("테스트 정확 일치", "max"),
        평균_학습_시간=("학습 시간(초)", "mean"),
    ).reset_index()
    return spread.rename(columns={"평균_학습_시간": "평균 학습 시간(초)"})


def plot_depth_curves(
    runs: Sequence[DepthRun], metric: str = "val_exact_match", ax: Axes | None = None
) -> Axes:
    """Per shape, the seed-averaged learning curve with a band from the worst to the best seed."""
    if ax is None:
        _, ax = plt.subplots(figsize=(6.4, 3.8), layout="constrained")
    shapes = list(dict.fromkeys(run.shape for run in runs))
    for shape in shapes:
        curves = [run.history.history[metric] for run in runs if run.shape == shape]
        length = min(len(curve) for curve in curves)
        values = np.array([curve[:length] for curve in curves])
        epochs = np.arange(1, length + 1)
        label = f"{shape_label(shape)} (시드 {len(curves)}개)"
        (line,) = ax.plot(epochs, values.mean(axis=0), marker="o", markersize=3, label=label)
        if len(curves) > 1:
            ax.fill_between(
                epochs, values.min(axis=0), values.max(axis=0), color=line.get_color(), alpha=0.2
            )
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlim(0.5, max(len(run.history.history[metric]) for run in runs) + 0.5)
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel("에폭")
    ax.set_ylabel("검증 정확 일치 정확도")
    ax.grid(alpha=0.3)
    ax.legend(title="모델 (선: 평균, 띠: 최저~최고)", loc="upper left")
    return ax
