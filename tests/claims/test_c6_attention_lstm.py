"""Claim C6 (chapter 7): where attention before or after an LSTM puts its weight over time.

The label is copied into time step 15 of a noise sequence (T = 20, D = 2). The chapter states:

- attention BEFORE the LSTM puts its largest weight on step 15, far above every other step;
- attention AFTER the LSTM looks at hidden states, so its weight sits on step 15 and the steps
  after it (which ones varies by seed); the steps before 15 get less than an even share;
- sharing one attention vector over the LSTM units (``single_attention_vector=True``) makes the
  after-LSTM distribution sharper: a larger top weight and a lower entropy;
- feature attention on flat vectors (``AttentionDense``) picks the informative feature.

The slow test re-runs the chapter's experiment for one seed at the chapter's budget and checks
each statement. (The chapter's other observations, such as how many seeds put more weight on
step 16 than on step 15, are reported as counts, not claimed as a direction.)
"""

from __future__ import annotations

import numpy as np
import pytest

from attn_lib.experiments.attention_lstm import (
    compare_variants,
    dense_feature_run,
    profile_stats,
)
from attn_lib.tasks import attention_column_task, attention_dense_task

N_SAMPLES = 10_000
EPOCHS = 3
LEARNING_RATE = 3e-3
SEED = 0
STEP = 15
T = 20
CLEAR_PEAK = 3.0  # "far above": the peak is at least this many times any other step


def test_profile_stats_on_known_distributions() -> None:
    uniform = profile_stats(np.full(T, 1 / T), STEP)
    assert uniform["entropy_bits"] == pytest.approx(np.log2(T))
    assert uniform["later_steps"] == pytest.approx((T - STEP - 1) / T)
    peak = np.zeros(T)
    peak[STEP + 1] = 1.0
    stats = profile_stats(peak, STEP)
    assert stats["argmax"] == STEP + 1
    assert stats["next_step"] == stats["max_weight"] == stats["later_steps"] == 1.0
    assert stats["on_step"] == stats["entropy_bits"] == 0.0


@pytest.mark.slow
def test_before_is_clean_after_spreads_late_and_a_shared_vector_is_sharper() -> None:
    data = attention_column_task(N_SAMPLES, time_steps=T, informative_step=STEP, seed=SEED)
    table, profiles, _ = compare_variants(
        data, seeds=[SEED], epochs=EPOCHS, learning_rate=LEARNING_RATE
    )
    rows = {row["variant"]: row for row in table.to_dict("records")}
    assert min(row["테스트 정확도"] for row in rows.values()) > 0.95, table

    before = profiles["before", SEED]
    assert rows["before"]["argmax"] == STEP, before
    assert before[STEP] > CLEAR_PEAK * np.delete(before, STEP).max(), before

    after = profiles["after", SEED]
    assert rows["after"]["on_step"] + rows["after"]["later_steps"] > 0.75, after
    assert after[:STEP].max() < 1 / T, after

    single = rows["after_single"]
    assert single["max_weight"] > rows["after"]["max_weight"], table
    assert single["entropy_bits"] < rows["after"]["entropy_bits"], table


@pytest.mark.slow
def test_feature_attention_picks_the_informative_feature() -> None:
    data = attention_dense_task(N_SAMPLES, features=32, informative_feature=1, seed=SEED)
    run, profile = dense_feature_run(data, epochs=EPOCHS, learning_rate=LEARNING_RATE, seed=SEED)
    assert run.test_accuracy > 0.95
    assert profile.argmax() == 1, profile
    assert profile[1] > CLEAR_PEAK * np.delete(profile, 1).max(), profile
