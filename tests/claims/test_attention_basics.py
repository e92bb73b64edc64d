"""Claims of chapters 5 and 9, re-run at a small seeded budget.

Chapter 5 says: before training the attention of a reversal model is spread almost evenly over
the real inputs; after training each row concentrates on one position, that position is the
reversed one (the anti-diagonal), and padding gets no weight. Chapter 9 says: without the
1/sqrt(d_k) scaling the softmax of random dot products gets peakier as d_k grows; with it the
peak stays about the same.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from attn_lib.cache import ResultCache
from attn_lib.experiments.attention_basics import (
    attention_rows_stats,
    reversal_alignment,
    reversal_targets,
    scaled_softmax_peak,
)


def test_row_stats_of_perfect_and_uniform_attention() -> None:
    lengths = [3, 2]
    targets = reversal_targets(lengths)
    perfect = np.zeros((2, 4, 3))
    uniform = np.zeros((2, 4, 3))
    for i, (n, expected) in enumerate(zip(lengths, targets, strict=True)):
        perfect[i, np.arange(n), expected] = 1.0
        uniform[i, :, :n] = 1.0 / n
    best = attention_rows_stats(perfect, lengths, targets)
    assert best["mean_max_weight"] == best["alignment"] == best["target_weight"] == 1.0
    assert best["padding_weight"] == 0.0
    flat = attention_rows_stats(uniform, lengths, targets)
    assert flat["mean_max_weight"] == pytest.approx(flat["uniform_max_weight"])
    assert flat["uniform_max_weight"] == pytest.approx((3 * (1 / 3) + 2 * (1 / 2)) / 5)


@pytest.mark.slow
def test_trained_attention_concentrates_on_the_reversed_position(tmp_path: Path) -> None:
    report = reversal_alignment(
        length=6,
        min_length=3,
        n_samples=3000,
        epochs=8,
        units=32,
        embedding_dim=16,
        batch_size=32,
        n_probe=100,
        seed=0,
        cache=ResultCache(tmp_path),  # an empty cache: really train
    )
    before = report.stats.loc["학습 전"]
    after = report.stats.loc["학습 후"]
    # Before training: almost uniform over the real inputs.
    assert before["mean_max_weight"] < before["uniform_max_weight"] + 0.05, report.stats
    # After training: concentrated, on the anti-diagonal, and nothing on padding.
    assert after["mean_max_weight"] > before["mean_max_weight"] + 0.4, report.stats
    assert after["alignment"] >= 0.9, report.stats
    assert after["target_weight"] > 0.6, report.stats
    assert max(before["padding_weight"], after["padding_weight"]) < 1e-6, report.stats


@pytest.mark.slow
def test_scaling_keeps_the_softmax_peak_constant() -> None:
    peaks = scaled_softmax_peak([4, 16, 64, 256, 1024], n_keys=10, n_trials=300, seed=0)
    raw = peaks["max_weight_raw"].to_numpy()
    scaled = peaks["max_weight_scaled"].to_numpy()
    assert np.all(np.diff(raw) > 0), peaks  # unscaled: peakier as d_k grows
    assert raw[-1] > 0.9, peaks  # ... close to one-hot at d_k = 1024
    assert scaled.max() - scaled.min() < 0.05, peaks  # scaled: about constant
    assert np.all(raw > scaled), peaks
