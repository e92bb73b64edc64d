"""Claims of chapter 12: a small Transformer next to the RNN attention model on addition.

Chapter 12 trains ``AttentionSeq2Seq(score="dot")`` and ``TransformerSeq2Seq`` of similar size on
chapter 6's addition data for a short budget. Which model is ahead is a sentence computed from the
numbers; the fixed statements are that the two parameter counts are similar and that neither
model has learned the task within the budget (best test exact match under 0.9; the build machine
measured 0.240 for the RNN and 0.021 for the Transformer). This test executes the chapter's own
set-up cells (settings, data, model constructors), trains both models with seed 0 into an empty
result cache and checks both statements.
"""

from __future__ import annotations

import pytest

from attn_lib import exact_match, greedy_decode, train
from tests.claims.chapter_code import chapter_namespace

pytestmark = pytest.mark.slow

CHAPTER = "12_transformer"


def test_similar_sizes_and_neither_model_finishes_within_the_budget(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("ATTN_LIB_CACHE_DIR", str(tmp_path))  # train for real, nothing cached
    chapter = chapter_namespace(CHAPTER, ("CONFIG", "MODELS", "data", "make_model", "params"))
    params = chapter["params"]
    assert set(params) == {"rnn", "transformer"}
    assert abs(params["rnn"] - params["transformer"]) / params["rnn"] < 0.25, params
    data, scores = chapter["data"], {}
    for kind in chapter["MODELS"]:
        model, _ = train(
            lambda kind=kind: chapter["make_model"](kind, data), data, chapter["CONFIG"],
            verbose=0,
        )  # fmt: skip
        scores[kind] = exact_match(greedy_decode(model, data.test.x).token_ids, data.test.y)
    assert max(scores.values()) < 0.9, scores
    # ... and the budget is not so short that nothing was learned at all.
    assert max(scores.values()) > 0.05, scores
