"""Claim C4 (chapter 4): at an equal parameter count, two narrow LSTM layers are not worse than one
wide layer on the copy task, and the edge is small.

The chapter compares ``Seq2Seq`` models of 1 x 77 and 2 x 48 LSTM units (parameter counts within
2%) on copying 7-digit strings, with three seeds. It states that the 2-layer model was as good or
better on every seed, by a margin of the order of the seed-to-seed spread, not by a wide one. The
slow test re-runs one of the chapter's seeds at the chapter's budget (the three seeds do not fit
in a minute) and checks both halves of that statement.
"""

from __future__ import annotations

import pytest

from attn_lib.experiments.depth import (
    compare_depths,
    make_factory,
    matched_shapes,
    seq2seq_params,
)
from attn_lib.tasks import memorization_task

LENGTH = 7
N_SAMPLES = 6_000
EPOCHS = 10
LEARNING_RATE = 5e-3
REFERENCE = (2, 48)
SEED = 1  # one of the chapter's seeds (0, 1, 2)
SMALL_EDGE = 0.1  # the chapter calls the edge small: well under this


def test_parameter_formula_matches_keras_and_widths_are_matched() -> None:
    data = memorization_task(LENGTH, 100, mode="copy", seed=0)
    vocab = (len(data.source_vocab), len(data.target_vocab))
    shapes = matched_shapes(data, REFERENCE, (1, 2, 3))
    assert shapes[1] == REFERENCE
    target = seq2seq_params(*vocab, REFERENCE[1], REFERENCE[0])
    for layers, units in shapes:
        counted = make_factory(data, (layers, units))().count_params()
        assert counted == seq2seq_params(*vocab, units, layers)
        assert abs(counted - target) / target < 0.02, (layers, units, counted, target)
    assert shapes[0][1] > REFERENCE[1] > shapes[2][1]  # fewer layers, wider layers


@pytest.mark.slow
def test_two_narrow_layers_are_not_worse_than_one_wide_layer() -> None:
    data = memorization_task(LENGTH, N_SAMPLES, mode="copy", seed=0)
    wide, deep = matched_shapes(data, REFERENCE, (1, 2))
    runs = compare_depths(
        data,
        [wide, deep],
        seeds=[SEED],
        epochs=EPOCHS,
        learning_rate=LEARNING_RATE,
        cached=False,
    )
    scores = {run.shape: run.test_exact_match for run in runs}
    assert min(scores.values()) > 0.5, f"the models did not learn the task: {scores}"
    gap = scores[deep] - scores[wide]
    assert gap >= 0, f"the 1-layer model won: {scores}"
    assert gap < SMALL_EDGE, f"depth won by far more than the chapter says: {scores}"
