"""Chapters 5 and 9: how sharp a trained attention is, and why dot products are scaled.

- :func:`attention_rows_stats` measures how concentrated attention rows are and whether they
  point at the input position each output character comes from (for string reversal,
  :func:`reversal_targets`: the anti-diagonal). Chapter 5 trains the model in the notebook and
  calls it; its claim test does the same at a smaller budget.
- :func:`scaled_softmax_peak` is the numpy experiment behind the 1/sqrt(d_k) scaling of the
  Transformer's scaled dot-product attention.

"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = ["attention_rows_stats", "reversal_targets", "scaled_softmax_peak"]


def reversal_targets(lengths: Sequence[int]) -> list[np.ndarray]:
    """The input position each output character of a reversed string comes from.

    Args:
        lengths: Real (unpadded) length of every input string.

    Returns:
        One int array per string: output step ``t`` copies input position ``n - 1 - t``.
    """
    return [np.arange(n - 1, -1, -1) for n in lengths]


def attention_rows_stats(
    attention: np.ndarray, lengths: Sequence[int], targets: Sequence[np.ndarray]
) -> dict[str, float]:
    """How concentrated attention rows are, and whether they point at the expected input.

    Only the rows of real output characters count (``len(targets[i])`` rows of example ``i``);
    the END row and padding rows are left out.

    Args:
        attention: Weights `(n, output_steps, input_steps)`.
        lengths: Real input length of every example (columns past it are padding).
        targets: For every example, the expected input position of each counted row.

    Returns:
        ``mean_max_weight`` (average of each row's largest weight), ``uniform_max_weight``
        (the same for weights spread evenly over the real inputs, ``1/n``), ``alignment``
        (share of rows whose largest weight sits on the expected position), ``target_weight``
        (average weight on the expected position) and ``padding_weight`` (largest total weight
        any row puts on padding).
    """
    attention = np.asarray(attention, dtype=float)
    if attention.ndim != 3:
        raise ValueError(f"attention must be (n, output_steps, input_steps), got {attention.shape}")
    if not len(attention) == len(lengths) == len(targets):
        raise ValueError(
            f"attention has {len(attention)} examples, lengths {len(lengths)}, "
            f"targets {len(targets)}"
        )
    max_weights, uniform, hits, on_target, padding = [], [], [], [], [0.0]
    for weights, n, expected in zip(attention, lengths, targets, strict=True):
        rows = weights[: len(expected)]
        max_weights.extend(rows.max(axis=1))
        uniform.extend([1.0 / n] * len(expected))
        hits.extend(rows.argmax(axis=1) == expected)
        on_target.extend(rows[np.arange(len(expected)), expected])
        padding.append(float(rows[:, n:].sum(axis=1).max(initial=0.0)))
    return {
        "mean_max_weight": float(np.mean(max_weights)),
        "uniform_max_weight": float(np.mean(uniform)),
        "alignment": float(np.mean(hits)),
        "target_weight": float(np.mean(on_target)),
        "padding_weight": float(max(padding)),
    }


def scaled_softmax_peak(
    dims: Sequence[int], *, n_keys: int = 10, n_trials: int = 2000, seed: int = 0
) -> pd.DataFrame:
    """Largest softmax weight of random dot-product scores, with and without 1/sqrt(d_k).

    Queries and keys have independent standard-normal components, so a dot product has variance
    ``d_k``. Without scaling, the scores spread out as ``d_k`` grows and the softmax tends to a
    one-hot vector; dividing by ``sqrt(d_k)`` keeps the variance at 1.

    Args:
        dims: Key sizes ``d_k`` to try.
        n_keys: Keys per query (positions attended over).
        n_trials: Random queries per size.
        seed: Seed of ``np.random.default_rng``.

    Returns:
        A DataFrame indexed by ``d_k`` with columns ``score_std`` (standard deviation of the raw
        scores), ``max_weight_raw`` and ``max_weight_scaled`` (average largest weight).
    """
    rng = np.random.default_rng(seed)
    rows = []
    for d_k in dims:
        queries = rng.standard_normal((n_trials, 1, d_k))
        keys = rng.standard_normal((n_trials, n_keys, d_k))
        scores = (queries * keys).sum(axis=-1)  # (n_trials, n_keys)
        peaks = {}
        for name, z in (("raw", scores), ("scaled", scores / np.sqrt(d_k))):
            z = z - z.max(axis=1, keepdims=True)
            weights = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
            peaks[name] = float(weights.max(axis=1).mean())
        rows.append(
            {
                "d_k": int(d_k),
                "score_std": float(scores.std()),
                "max_weight_raw": peaks["raw"],
                "max_weight_scaled": peaks["scaled"],
            }
        )
    return pd.DataFrame(rows).set_index("d_k")
