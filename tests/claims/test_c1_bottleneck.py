"""Claim C1 (chapter 2): without attention, copy accuracy collapses as the input grows.

Bahdanau et al. (2015, Fig. 2): the encoder-decoder without attention loses BLEU on long
sentences, the attention model does not. Chapter 2 states that, at one shared budget, the plain
``Seq2Seq`` copies short digit strings well but fails on long ones, while ``AttentionSeq2Seq``
still copies the long ones. This re-runs the chapter's experiment
(`attn_lib.experiments.bottleneck.run_length_sweep`) at a small seeded budget.
"""

from __future__ import annotations

import pytest

from attn_lib.experiments.bottleneck import break_length, run_length_sweep

pytestmark = pytest.mark.slow

# Measured with these settings (test exact match): plain 0.90 at length 5 and 0.00 at 15,
# attention 1.00 at 15; about 30 s of CPU time.
SHORT, LONG = 5, 15
MARGIN = 0.5


def test_plain_model_collapses_with_length_and_attention_holds() -> None:
    result = run_length_sweep(
        (SHORT, LONG),
        n_samples=2000,
        epochs=10,
        units=64,
        batch_size=64,
        learning_rate=5e-3,
        target_accuracy=0.99,
        score="dot",
        seed=0,
        cached=False,
    )
    plain = result.exact_match("plain")
    attention = result.exact_match("attention")
    report = f"plain {plain.to_dict()}, attention {attention.to_dict()}"
    # Same budget: the same number of parameters whatever the length, at most the same epochs.
    assert result.summary.groupby("kind")["params"].nunique().eq(1).all()
    assert (result.summary["epochs"] <= 10).all()
    # The plain model degrades with length ...
    assert plain[SHORT] - plain[LONG] >= MARGIN, report
    assert break_length(result.summary, "plain", 0.5) == LONG, report
    # ... and at the longest length the attention model is far ahead.
    assert attention[LONG] - plain[LONG] >= MARGIN, report
