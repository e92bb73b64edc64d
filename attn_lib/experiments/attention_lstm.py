"""Chapter 7: where an attention block before or after an LSTM puts its weight over time.

The task (`attn_lib.tasks.attention_column_task`) hides a binary label in one time step of a
noise sequence. `train_classifier` trains an `AttentionLSTM` or `AttentionDense` on it (seeded,
optionally cached); `time_profile` averages the attention weights to one distribution over time;
`profile_stats` measures how much of it sits on the informative step and its neighbours and how
sharp it is; `compare_variants` does all of that for several variants and seeds.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import keras
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from attn_lib.cache import ResultCache
from attn_lib.models import AttentionDense, AttentionLSTM
from attn_lib.tasks import ArrayData
from attn_lib.training import source_digest
from attn_lib.viz import plot_attention_bars

__all__ = [
    "VARIANTS",
    "VARIANT_LABELS",
    "ClassifierRun",
    "compare_variants",
    "dense_feature_run",
    "make_factory",
    "plot_profile_grid",
    "profile_stats",
    "spread_table",
    "time_profile",
    "train_classifier",
    "unit_profiles",
]

#: variant name -> (position, single_attention_vector)
VARIANTS: dict[str, tuple[str, bool]] = {
    "before": ("before", False),
    "after": ("after", False),
    "after_single": ("after", True),
}
#: Table and legend label of each variant.
VARIANT_LABELS = {
    "before": "LSTM 앞 어텐션",
    "after": "LSTM 뒤 어텐션",
    "after_single": "LSTM 뒤 어텐션 (공유 벡터)",
}


def make_factory(variant: str, data: ArrayData, units: int = 32) -> Callable[[], keras.Model]:
    """A zero-argument function that builds the `AttentionLSTM` of ``variant`` for ``data``."""
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r}; choose from {list(VARIANTS)}")
    position, single = VARIANTS[variant]
    _, time_steps, features = data.x_train.shape

    def make() -> keras.Model:
        return AttentionLSTM(
            time_steps, features, units=units, position=position, single_attention_vector=single
        )

    return make


@dataclass
class ClassifierRun:
    """One trained classifier: the model, its per-epoch history and its test accuracy."""

    model: keras.Model
    history: dict[str, list[float]]
    test_accuracy: float
    seed: int
    config: dict[str, Any] = field(default_factory=dict)


def _fit(
    make_model: Callable[[], keras.Model],
    data: ArrayData,
    *,
    epochs: int,
    batch_size: int,
    learning_rate: float,
    seed: int,
) -> tuple[keras.Model, dict[str, Any]]:
    keras.utils.set_random_seed(seed)
    model = make_model()
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss="binary_crossentropy",
        metrics=["accuracy"],
    )
    fitted = model.fit(
        data.x_train,
        data.y_train,
        validation_data=(data.x_val, data.y_val),
        epochs=epochs,
        batch_size=batch_size,
        shuffle=True,
        verbose=0,
    )
    _, test_accuracy = model.evaluate(data.x_test, data.y_test, batch_size=1024, verbose=0)
    history = {name: [float(v) for v in values] for name, values in fitted.history.items()}
    return model, {"history": history, "test_accuracy": float(test_accuracy)}


def train_classifier(
    make_model: Callable[[], keras.Model],
    data: ArrayData,
    *,
    epochs: int,
    batch_size: int = 64,
    learning_rate: float = 1e-3,
    seed: int = 0,
    cache: ResultCache | None = None,
) -> ClassifierRun:
    """Train a binary classifier (Adam, binary cross-entropy) and measure its test accuracy.

    Args:
        make_model: zero-argument function that builds the model (called after seeding).
        data: an `ArrayData` task.
        epochs, batch_size, learning_rate: the budget.
        seed: seed for Python, NumPy and the backend.
        cache: reuse a stored result from this cache; None trains every time.

    Returns:
        A `ClassifierRun`; ``history`` has ``loss``, ``accuracy``, ``val_loss``, ``val_accuracy``.
    """
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs <= 0:
        raise ValueError(f"epochs must be a positive integer, got {epochs!r}")
    budget = {"epochs": epochs, "batch_size": batch_size, "learning_rate": learning_rate}

    def compute() -> tuple[keras.Model, dict[str, Any]]:
        return _fit(make_model, data, seed=seed, **budget)

    if cache is None:
        model, payload = compute()
        config = {**budget, "seed": seed}
    else:
        keras.utils.set_random_seed(seed)
        probe = make_model()
        config = {
            **budget,
            "seed": seed,
            "model": type(probe).__name__,
            "model_config": {k: v for k, v in probe.get_config().items() if k != "name"},
        }
        # the library's digest covers models and layers; this file's covers the training loop
        here = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()
        key = cache.make_key(
            task_config=data.config, code=source_digest(), experiment=here, **config
        )
        entry = cache.get_or_compute(key, compute)
        model, payload = entry.model, entry.payload
    return ClassifierRun(
        model=model,
        history=payload["history"],
        test_accuracy=payload["test_accuracy"],
        seed=seed,
        config=config,
    )


def time_profile(model: keras.Model, x: np.ndarray) -> np.ndarray:
    """Attention over time averaged over examples and over the last axis: `(T,)`, sums to 1.

    Args:
        model: a trained `AttentionLSTM`.
        x: inputs `(n, T, D)`.
    """
    weights = model.attention_weights(x)  # (n, T, D) before or (n, T, units) after the LSTM
    return weights.mean(axis=(0, 2))


def unit_profiles(model: keras.Model, x: np.ndarray) -> np.ndarray:
    """Attention over time of every feature (before) or LSTM unit (after), averaged over examples.

    Returns:
        `(T, D)` before or `(T, units)` after the LSTM; every column sums to 1.
    """
    return model.attention_weights(x).mean(axis=0)


def profile_stats(profile: np.ndarray, informative: int) -> dict[str, float]:
    """How much weight sits on and next to the informative index, and how sharp the profile is.

    Args:
        profile: one distribution `(T,)` (non-negative, sums to 1).
        informative: the index that carries the label.

    Returns:
        ``on_step`` (weight on ``informative``), ``next_step`` (on ``informative + 1``),
        ``prev_step`` (on ``informative - 1``), ``later_steps`` (on every index after it),
        ``max_weight``, ``argmax`` and ``entropy_bits`` (0 = all weight on one step,
        ``log2(T)`` = uniform).
    """
    p = np.asarray(profile, dtype=float)
    if p.ndim != 1 or not 0 <= informative < len(p):
        raise ValueError(f"need a 1-D profile and an index inside it, got {p.shape}, {informative}")
    nonzero = p[p > 0]
    return {
        "on_step": float(p[informative]),
        "next_step": float(p[informative + 1]) if informative + 1 < len(p) else 0.0,
        "prev_step": float(p[informative - 1]) if informative > 0 else 0.0,
        "later_steps": float(p[informative + 1 :].sum()),
        "max_weight": float(p.max()),
        "argmax": int(p.argmax()),
        "entropy_bits": float(-(nonzero * np.log2(nonzero)).sum()),
    }


def compare_variants(
    data: ArrayData,
    *,
    variants: Sequence[str] = tuple(VARIANTS),
    seeds: Sequence[int] = (0,),
    epochs: int,
    units: int = 32,
    batch_size: int = 64,
    learning_rate: float = 1e-3,
    cache: ResultCache | None = None,
) -> tuple[pd.DataFrame, dict[tuple[str, int], np.ndarray], dict[tuple[str, int], ClassifierRun]]:
    """Train every variant with every seed and measure its attention over time on the test split.

    Returns:
        ``(table, profiles, runs)``: one table row per variant and seed (test accuracy and the
        `profile_stats` numbers), and the time profile `(T,)` and the run of every
        ``(variant, seed)``.
    """
    rows, profiles, runs = [], {}, {}
    step = data.informative_index
    for variant in variants:
        for seed in seeds:
            run = train_classifier(
                make_factory(variant, data, units),
                data,
                epochs=epochs,
                batch_size=batch_size,
                learning_rate=learning_rate,
                seed=seed,
                cache=cache,
            )
            profile = time_profile(run.model, data.x_test)
            profiles[variant, seed] = profile
            runs[variant, seed] = run
            rows.append(
                {
                    "variant": variant,
                    "모델": VARIANT_LABELS[variant],
                    "시드": seed,
                    "테스트 정확도": run.test_accuracy,
                    **profile_stats(profile, step),
                }
            )
    return pd.DataFrame(rows), profiles, runs


def spread_table(table: pd.DataFrame) -> pd.DataFrame:
    """Per variant and key number of `compare_variants`: ``"mean (min~max)"`` over the seeds."""
    columns = {
        "테스트 정확도": "테스트 정확도",
        "on_step": "15번 가중치",
        "next_step": "16번 가중치",
        "later_steps": "16~19번 합",
        "entropy_bits": "엔트로피(비트)",
    }
    grouped = table.groupby("모델", sort=False)
    cells, index = {}, None
    for column, label in columns.items():
        digits = 2 if column == "entropy_bits" else 3
        stats = grouped[column].agg(["mean", "min", "max"])
        index = stats.index
        cells[label] = [
            f"{mean:.{digits}f} ({low:.{digits}f}~{high:.{digits}f})"
            for mean, low, high in stats.itertuples(index=False)
        ]
    return pd.DataFrame(cells, index=index)


def dense_feature_run(
    data: ArrayData,
    *,
    epochs: int,
    hidden_units: int = 64,
    batch_size: int = 64,
    learning_rate: float = 1e-3,
    seed: int = 0,
    cache: ResultCache | None = None,
) -> tuple[ClassifierRun, np.ndarray]:
    """Train `AttentionDense` on ``data`` and average its feature attention over the test split.

    Returns:
        ``(run, profile)`` with ``profile`` of shape `(features,)`, summing to 1.
    """
    features = data.x_train.shape[1]
    run = train_classifier(
        lambda: AttentionDense(features, hidden_units=hidden_units),
        data,
        epochs=epochs,
        batch_size=batch_size,
        learning_rate=learning_rate,
        seed=seed,
        cache=cache,
    )
    return run, run.model.attention_weights(data.x_test).mean(axis=0)


def plot_profile_grid(
    profiles: dict[tuple[str, int], np.ndarray],
    informative: int,
    *,
    variants: Sequence[str],
    seeds: Sequence[int],
) -> Figure:
    """Bar charts of the time profiles: one row per variant, one column per seed."""
    fig, axes = plt.subplots(
        len(variants),
        len(seeds),
        figsize=(4.2 * len(seeds) + 0.6, 2.3 * len(variants) + 0.4),
        sharey=True,
        squeeze=False,
        layout="constrained",
    )
    for row, variant in enumerate(variants):
        for col, seed in enumerate(seeds):
            ax = axes[row, col]
            profile = profiles[variant, seed]
            # label every fifth step and the informative one, so the ticks stay readable
            labels = [str(t) if t % 5 == 0 or t == informative else "" for t in range(len(profile))]
            plot_attention_bars(
                profile,
                ax=ax,
                highlight=informative,
                labels=labels,
                title=f"{VARIANT_LABELS[variant]}, 시드 {seed}",
            )
            legend = ax.get_legend()
            if legend is not None and (row, col) != (0, 0):
                legend.remove()
            if col:
                ax.set_ylabel("")
            if row < len(variants) - 1:
                ax.set_xlabel("")
    top = max(float(p.max()) for p in profiles.values())
    axes[0, 0].set_ylim(0, min(1.0, top * 1.15))
    return fig
