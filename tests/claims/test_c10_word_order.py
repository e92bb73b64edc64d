"""Claims of chapter 10: attention lands on the Korean word each English word translates.

Chapter 10 trains `AttentionSeq2Seq` on `word_order_task` (Korean SOV -> English SVO) with three
seeds and measures, under teacher forcing on the test split, the attention weight on the gold
aligned Korean word against the uniform baseline 1/S: over all English words, and over the words
that come from the Korean verb (the crossing: sentence-final in Korean, second in English). Its
verdicts come from `attn_lib.compare` with ``min_gap=0.05``. This test re-runs the chapter's
set-up cells (settings, data, model constructors and its ``alignment_table``), trains every seed
into an empty result cache and applies the same rule to both statements.
"""

from __future__ import annotations

import pytest

from attn_lib import compare, train
from tests.claims.chapter_code import chapter_namespace

pytestmark = pytest.mark.slow

CHAPTER = "10_word_order"


def test_attention_weight_is_on_the_aligned_word_across_the_crossing(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("ATTN_LIB_CACHE_DIR", str(tmp_path))  # train for real, nothing cached
    chapter = chapter_namespace(CHAPTER, ("SEEDS", "CONFIG", "data", "MAKERS", "alignment_table"))
    seeds = chapter["SEEDS"]
    assert len(seeds) >= 3, "the chapter must run at least three seeds"
    data = chapter["data"]
    gold, uniform, verb_gold, verb_uniform = [], [], [], []
    for seed in seeds:
        model, _ = train(
            chapter["MAKERS"]["어텐션"], data, chapter["CONFIG"].replace(seed=seed), verbose=0
        )
        table = chapter["alignment_table"](model, data.test)
        verbs = table[table["역할"] == "동사"]
        gold.append(float(table["정답 위치의 가중치"].mean()))
        uniform.append(float(table["균등 기준"].mean()))
        verb_gold.append(float(verbs["정답 위치의 가중치"].mean()))
        verb_uniform.append(float(verbs["균등 기준"].mean()))
    report = {"gold": gold, "uniform": uniform, "verb_gold": verb_gold}
    assert compare(gold, uniform, min_gap=0.05).outcome == "ahead", report
    assert compare(verb_gold, verb_uniform, min_gap=0.05).outcome == "ahead", report
