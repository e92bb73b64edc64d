"""The JavaScript runtime gives the same answers as Keras: tokens identical, attention within 1e-3.

For each exported model family, small models are trained with ``attn_lib.train`` (fixed seeds,
a few epochs, so the answers and the attention are far from constant), exported as float16, and
at least 500 inputs go through both ``greedy_decode`` on the Keras model carrying the same float16
weights (``load_export(...).to_keras()``) and ``seq2seq_runtime.js`` under node. Families that
no chapter trains (Luong ``general``, stacked layers, a unidirectional additive model, the
"double" input transform) are checked on untrained models with wide random weights.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from attn_lib import AttentionSeq2Seq, addition_task, date_task, train
from attn_lib.export import export_model
from tests.conftest import TEST_OUTPUT
from tests.webmodel_helpers import Comparison, compare, random_model, random_queries

pytestmark = pytest.mark.slow

ATTENTION_TOLERANCE = 1e-3
MIN_INPUTS = 500
# Sizes chosen so every batch is full: Keras traces one train and one test function per model.
BATCH_SIZE = 128


def _check(comparison: Comparison, label: str) -> None:
    _record(label, comparison)
    assert len(comparison.queries) >= MIN_INPUTS
    mismatched = comparison.mismatched_tokens()
    assert not mismatched, f"{len(mismatched)} inputs decode differently: {mismatched[:5]}"
    texts = [r["text"] for r in comparison.js]
    assert texts == comparison.keras_texts
    gap = np.abs(comparison.js_attention - comparison.keras_attention).max()
    assert gap <= ATTENTION_TOLERANCE, f"attention differs by up to {gap:.2e}"
    # Non-trivial: answers and attention vary across inputs (a constant model would prove little).
    assert len(set(texts)) > 50
    assert comparison.keras_attention.max(axis=-1).mean() > 0.2


def _record(label: str, comparison: Comparison) -> None:
    """Keep the numbers (test-output/webmodel_exactness.json) for the docs and the report."""
    TEST_OUTPUT.mkdir(exist_ok=True)
    out = TEST_OUTPUT / "webmodel_exactness.json"
    recorded = json.loads(out.read_text()) if out.is_file() else {}
    recorded[label] = {
        "inputs": len(comparison.queries),
        "token_mismatches": len(comparison.mismatched_tokens()),
        "max_attention_difference": float(
            np.abs(comparison.js_attention - comparison.keras_attention).max()
        ),
        "distinct_answers": len({r["text"] for r in comparison.js}),
    }
    out.write_text(json.dumps(recorded, indent=2))


def _train(data, **config):
    def make() -> AttentionSeq2Seq:
        sizes = (len(data.source_vocab), len(data.target_vocab))
        return AttentionSeq2Seq(*sizes, data.input_length, data.output_length, **config)

    model, history = train(
        make, data, epochs=4, batch_size=BATCH_SIZE, learning_rate=1e-2, seed=0, verbose=0
    )
    return model, history


def test_dates_additive_bidirectional(tmp_path: Path) -> None:
    """Chapter 8's family: Bahdanau attention over a bidirectional encoder, on dates."""
    data = date_task(2560, seed=0)
    model, history = _train(data, score="additive", bidirectional=True, units=32)
    assert history.final("val_char_accuracy") > 0.5, history.history
    path = export_model(model, data, name="dates").write(tmp_path)
    queries = data.val.queries + data.test.queries + random_queries(data, 40)
    _check(compare(path, data, queries), "dates additive bidirectional (trained)")


def test_addition_dot(tmp_path: Path) -> None:
    """Chapter 6's family: Luong dot attention, reversed query."""
    data = addition_task(3, 6400, reverse=True, seed=0)
    model, history = _train(data, score="dot", units=32)
    assert history.final("val_char_accuracy") > 0.4, history.history
    path = export_model(model, data, name="addition").write(tmp_path)
    queries = data.test.queries + random_queries(data, 40)
    _check(compare(path, data, queries), "addition dot (trained)")


@pytest.mark.parametrize(
    ("task", "config"),
    [
        ("dates", {"score": "general", "bidirectional": True, "num_layers": 2, "units": 32}),
        ("addition_double", {"score": "additive", "num_layers": 2, "units": 16}),
    ],
)
def test_other_families_untrained(tmp_path: Path, task: str, config: dict) -> None:
    """general, stacked layers, unidirectional additive, reverse + double: random weights."""
    if task == "dates":
        data = date_task(600, seed=1)
    else:
        data = addition_task(3, 2000, reverse=True, double=True, seed=1)
    path = export_model(random_model(data, **config), data, name=task.replace("_", "-")).write(
        tmp_path
    )
    queries = random_queries(data, 450) + data.test.queries
    _check(compare(path, data, queries), f"{task} {config} (untrained)")
