"""Claim C5 (chapter 6), in two halves, checked the way the chapter checks them.

1. "The attention seq2seq reaches 0.98 before epoch 30": the chapter trains the attention model
   with three seeds (data and initial weights vary together) and judges validation
   per-character accuracy with `half_one_verdict`. The slow test re-runs exactly that with the
   settings read from the notebook's 준비 cell. The chapter trains 12 epochs, fewer than the
   claim's 30, so a seed that ends just under 0.98 is undecided, and the verdict says so: the
   seeds reached 0.98 at epochs 9, 8, 9 until `train` stopped resetting TensorFlow's global
   seed (2026-11-30), and at 9, 9 and not within 12 since (other batch orders). The test
   asserts what the chapter can defend either way: no seed refutes the claim and at least two
   of the three confirm it within the budget. It also checks the chapter's two guarded
   sentences about where the attention looks (same-place digits, and the place below for the
   carry digit).
2. "The simple seq2seq is still below 0.98 after 50 epochs": judged on the keras-io recipe's
   runs in ``benchmarks/results/convergence.json`` with `half_two_verdict`; the chapter prints
   "반박되었습니다".

The fast tests pin each verdict rule on numbers on both sides of its thresholds.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from attn_lib import AttentionSeq2Seq, TrainConfig, addition_task, greedy_decode, train
from attn_lib.experiments.addition import (
    PLACE_GROUPS,
    RaceResults,
    RaceRun,
    find_race_file,
    first_epoch_at,
    half_one_verdict,
    half_two_verdict,
    load_race,
    place_value_attention,
    place_value_columns,
)
from tests.claims.chapter_settings import chapter_settings

REPO_ROOT = Path(__file__).resolve().parents[2]

# The chapter's own settings, read from its 준비 cell at the full-book budget.
SETTINGS = chapter_settings(
    "06_addition.ipynb",
    [
        "SEED",
        "DIGITS",
        "REVERSE",
        "N_SAMPLES",
        "UNITS",
        "EMBEDDING_DIM",
        "ATTENTION_SCORE",
        "CONFIG",
        "SEEDS",
        "THRESHOLD",
        "CLAIM_EPOCH",
        "CLAIM_SIMPLE_EPOCHS",
    ],
)
CONFIG: TrainConfig = SETTINGS.CONFIG
THRESHOLD: float = SETTINGS.THRESHOLD


# ------------------------------------------------------------------------- the verdict rules
def test_half_one_verdict_on_each_side() -> None:
    assert half_one_verdict([5, 7, 29], max_epochs=40) == "재현되었습니다"
    assert half_one_verdict([5, None, 30], max_epochs=40) == "시드 3개 중 1개에서만 확인되었습니다"
    assert half_one_verdict([None, None, None], max_epochs=40) == "반박되었습니다"
    assert "확인되지 않았습니다" in half_one_verdict([None, None], max_epochs=10)
    # Runs shorter than the claim's limit leave an unreached seed undecided, not failed.
    assert half_one_verdict([9, 9, None], max_epochs=12) == (
        "시드 3개 중 2개에서 확인되었고, 나머지 1개는 이 장의 예산(12에폭) 안에서 닿지 않아 "
        "판정하지 못했습니다"
    )
    assert half_one_verdict([9, 9, None], max_epochs=30) == "시드 3개 중 2개에서만 확인되었습니다"
    with pytest.raises(ValueError, match="empty"):
        half_one_verdict([], max_epochs=10)
    with pytest.raises(ValueError, match="max_epochs"):
        half_one_verdict([3], max_epochs=0)


def _race(curves: list[list[float]], *, mode: str = "full", max_epochs: int = 60) -> RaceResults:
    runs = tuple(
        RaceRun(seed=i, epochs_run=len(c), val_exact_match=tuple(c)) for i, c in enumerate(curves)
    )
    return RaceResults(
        Path("race.json"), "2026-01-01", "CPU", mode, "keras-io", max_epochs, None, runs
    )


def test_half_two_verdict_on_each_side() -> None:
    reaches = [0.5, 0.97, 0.981]
    never = [0.9] * 60
    assert half_two_verdict(_race([reaches, reaches])) == "반박되었습니다"
    assert half_two_verdict(_race([never, never])) == "재현되었습니다"
    assert half_two_verdict(_race([reaches, never])).startswith("엇갈렸습니다")
    late = [0.9] * 50 + [0.99]  # reaches 0.98 only at epoch 51
    assert half_two_verdict(_race([late])) == "재현되었습니다"
    assert "판정하지 않습니다" in half_two_verdict(_race([never[:10]], max_epochs=10))
    assert "빠른 모드" in half_two_verdict(_race([reaches], mode="quick"))


def test_the_race_file_in_the_repository_loads(tmp_path: Path) -> None:
    path = find_race_file([REPO_ROOT])
    assert path == REPO_ROOT / "benchmarks" / "results" / "convergence.json"
    race = load_race(path)
    assert race.runs and race.date[:4].isdigit() and race.machine
    assert all(len(r.val_exact_match) == r.epochs_run for r in race.runs)
    assert find_race_file([tmp_path]) is None


def test_a_race_file_without_a_required_field_names_it(tmp_path: Path) -> None:
    data = json.loads((REPO_ROOT / "benchmarks" / "results" / "convergence.json").read_text())
    del data["machine"]["date"]
    broken = tmp_path / "convergence.json"
    broken.write_text(json.dumps(data))
    with pytest.raises(ValueError, match=r"machine\.date"):
        load_race(broken)
    data = json.loads((REPO_ROOT / "benchmarks" / "results" / "convergence.json").read_text())
    data["runs"] = [r for r in data["runs"] if r["contestant"] != "reference"]
    broken.write_text(json.dumps(data))
    with pytest.raises(ValueError, match="reference"):
        load_race(broken)
    broken.write_text("{not json")
    with pytest.raises(ValueError, match="cannot read"):
        load_race(broken)


def test_half_two_is_refuted_by_the_race_the_chapter_loads() -> None:
    race = load_race(REPO_ROOT / "benchmarks" / "results" / "convergence.json")
    limit = SETTINGS.CLAIM_SIMPLE_EPOCHS
    assert half_two_verdict(race, THRESHOLD, limit=limit) == "반박되었습니다", [
        r.first_epoch_at(THRESHOLD) for r in race.runs
    ]


def test_place_value_columns_of_a_reversed_query() -> None:
    # "12+345" reversed is "543+21": 5 4 3 + 2 1 at columns 0..5
    steps = place_value_columns("12+345", "357", reversed_input=True)
    assert [s["place"] for s in steps] == [2, 1, 0]
    assert steps[2]["same"] == [4, 0]  # units: "2" of 12 and "5" of 345
    assert steps[0]["same"] == [2] and steps[0]["lower"] == [5, 1]  # hundreds: only 345 has one
    assert all(s["plus"] == 3 for s in steps)
    with pytest.raises(ValueError, match=r"\+"):
        place_value_columns("12345", "1", reversed_input=False)


def test_place_value_attention_sums_each_row() -> None:
    attention = np.full((1, 3, 6), 1 / 6)
    table = place_value_attention(attention, ["12+345"], ["357"], reversed_input=True)
    assert np.allclose(table[list(PLACE_GROUPS)].sum(axis=1), 1.0)
    assert table["출력 자리"].tolist() == ["백의 자리", "십의 자리", "일의 자리"]
    with pytest.raises(ValueError, match="disagree"):
        place_value_attention(attention, ["12+345", "1+1"], ["357"], reversed_input=True)


# ---------------------------------------------------------------- the chapter's own runs
def _attention_run(seed: int) -> tuple[object, object, object]:
    # the chapter's `run("attention", seed)`: the seed picks the data and the initial weights
    data = addition_task(SETTINGS.DIGITS, SETTINGS.N_SAMPLES, reverse=SETTINGS.REVERSE, seed=seed)
    sizes = (len(data.source_vocab), len(data.target_vocab), data.input_length, data.output_length)
    model, history = train(
        lambda: AttentionSeq2Seq(
            *sizes,
            units=SETTINGS.UNITS,
            embedding_dim=SETTINGS.EMBEDDING_DIM,
            score=SETTINGS.ATTENTION_SCORE,
        ),
        data,
        CONFIG.replace(seed=seed),
        cache=False,
        verbose=0,
    )
    return model, data, history


@pytest.fixture(scope="module")
def attention_runs() -> dict[int, tuple[object, object, object]]:
    return {seed: _attention_run(seed) for seed in SETTINGS.SEEDS["attention"]}


@pytest.mark.slow
def test_half_one_the_attention_model_reaches_098_before_epoch_30(attention_runs) -> None:
    histories = [history for _, _, history in attention_runs.values()]
    epochs = [first_epoch_at(h, THRESHOLD, "val_char_accuracy") for h in histories]
    verdict = half_one_verdict(epochs, CONFIG.epochs, limit=SETTINGS.CLAIM_EPOCH)
    reached = [epoch for epoch in epochs if epoch is not None]
    assert verdict != "반박되었습니다", (verdict, epochs)
    assert all(epoch < SETTINGS.CLAIM_EPOCH for epoch in reached), epochs
    assert 3 * len(reached) >= 2 * len(epochs), (verdict, epochs)


@pytest.mark.slow
def test_attention_follows_place_values_in_every_seed(attention_runs) -> None:
    for seed, (model, data, _) in attention_runs.items():
        result = greedy_decode(model, data.test.x, vocab=data.target_vocab)
        correct = np.array([p == t for p, t in zip(result.texts, data.test.targets, strict=True)])
        table = place_value_attention(
            result.attention[correct],
            [q for q, keep in zip(data.test.queries, correct, strict=True) if keep],
            [t for t, keep in zip(data.test.targets, correct, strict=True) if keep],
            reversed_input=SETTINGS.REVERSE,
        ).set_index("출력 자리")
        digits = table.loc[["백의 자리", "십의 자리", "일의 자리"], list(PLACE_GROUPS)].mean()
        assert digits.idxmax() == "같은 자리 숫자", (seed, digits)
        carry = table.loc["천의 자리", list(PLACE_GROUPS)]
        assert carry.idxmax() == "한 자리 아래 숫자", (seed, carry)
