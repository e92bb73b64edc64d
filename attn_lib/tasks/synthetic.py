"""Float-array tasks for the attention-LSTM demo: the label hides in one time step or feature."""

from __future__ import annotations

from typing import Any

import numpy as np

from attn_lib.tasks.containers import ArrayData, split_sizes
from attn_lib.validation import check_index, check_int, check_seed

__all__ = ["attention_column_task", "attention_dense_task"]


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
    n_samples = check_int("n_samples", n_samples)
    time_steps = check_int("time_steps", time_steps)
    features = check_int("features", features)
    informative_step = check_index("informative_step", informative_step, time_steps, "time_steps")
    seed = check_seed(seed)
    counts = split_sizes(n_samples, val_fraction, test_fraction)
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
    n_samples = check_int("n_samples", n_samples)
    features = check_int("features", features)
    informative_feature = check_index(
        "informative_feature", informative_feature, features, "features"
    )
    seed = check_seed(seed)
    counts = split_sizes(n_samples, val_fraction, test_fraction)
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
