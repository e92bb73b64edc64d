"""Claim C1 (chapter 2): without attention, copy accuracy collapses as the input grows.

Bahdanau et al. (2015, Fig. 2): the encoder-decoder without attention loses BLEU on long
sentences, the attention model does not. Chapter 2 trains ``Seq2Seq`` and
``AttentionSeq2Seq(score="dot")`` of the same size with one shared ``TrainConfig`` on the copy
task at several lengths, runs three seeds at its focus length, and calls the claim reproduced
when (1) the attention model is ahead at the focus length by the verdict rule
(`attn_lib.verdicts.compare`, min_gap 0.02), (2) the plain model falls below 0.5 exact match at
some length and (3) the attention model stays at or above 0.5 at every length. This re-runs that
computation with the chapter's code path at a smaller budget (fewer examples, two lengths).
"""

from __future__ import annotations

import pytest

from attn_lib import (
    AttentionSeq2Seq,
    Seq2Seq,
    TrainConfig,
    compare,
    exact_match,
    greedy_decode,
    memorization_task,
    train,
)

pytestmark = pytest.mark.slow

SHORT, FOCUS = 5, 15
SEEDS = (0, 1, 2)
CONFIG = TrainConfig(epochs=10, batch_size=64, learning_rate=5e-3, target_accuracy=0.99)
THRESHOLD = 0.5


def run(kind: str, length: int, seed: int) -> float:
    """One run as chapter 2's ``run``: train, then greedy exact match on the test split."""
    data = memorization_task(
        length, 2000, mode="copy", seed=seed, val_fraction=0.05, test_fraction=0.1
    )
    sizes = (len(data.source_vocab), len(data.target_vocab), data.input_length, data.output_length)

    def make():
        if kind == "plain":
            return Seq2Seq(*sizes, units=64, embedding_dim=32)
        return AttentionSeq2Seq(*sizes, units=64, embedding_dim=32, score="dot")

    model, _ = train(make, data, CONFIG.replace(seed=seed), verbose=0)
    return exact_match(greedy_decode(model, data.test.x).token_ids, data.test.y)


def test_plain_model_collapses_with_length_and_attention_holds() -> None:
    focus = {kind: [run(kind, FOCUS, seed) for seed in SEEDS] for kind in ("plain", "attention")}
    short = {kind: run(kind, SHORT, 0) for kind in ("plain", "attention")}
    report = f"focus {focus}, short {short}"
    verdict = compare(focus["attention"], focus["plain"], min_gap=0.02)
    assert verdict.outcome == "ahead", report
    assert min(focus["plain"]) < THRESHOLD <= min(focus["attention"]), report
    assert short["attention"] >= THRESHOLD, report
    # At the short length the plain model has not broken yet: the collapse comes with length.
    assert short["plain"] >= THRESHOLD, report
