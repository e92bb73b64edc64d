"""Helpers for the browser-model tests: run exported models under node, compare with Keras.

``random_model`` gives a model whose weights are drawn wide enough that its answers and attention
vary from input to input, without training: the exactness of the JavaScript forward pass does not
depend on the model being good, only on it being far from constant.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from attn_lib import AttentionSeq2Seq, greedy_decode
from attn_lib.export import RUNTIME_PATH, load_export
from attn_lib.tasks import Seq2SeqData

NODE_WRAPPER = RUNTIME_PATH.with_name("seq2seq_node.js")


def node_binary() -> str:
    """``node`` (``ATTN_BOOK_NODE`` wins); fails the test when it is missing."""
    node = os.environ.get("ATTN_BOOK_NODE") or shutil.which("node") or "/usr/bin/node"
    if not Path(node).is_file():
        pytest.fail(f"node not found at {node}: the browser-model tests need it", pytrace=False)
    return node


def run_node(model_file: Path, queries: list[Any]) -> list[dict[str, Any]]:
    """``translate`` every query with the JavaScript runtime under node."""
    result = subprocess.run(
        [node_binary(), str(NODE_WRAPPER), str(model_file)],
        input=json.dumps(queries),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, f"node failed:\n{result.stderr}"
    return json.loads(result.stdout)


def node_script(script: str) -> str:
    """Run a JavaScript snippet under node (``runtime`` and ``loadModelFile`` are in scope)."""
    prelude = f"const {{ loadModelFile, runtime }} = require({json.dumps(str(NODE_WRAPPER))});\n"
    result = subprocess.run(
        [node_binary(), "-e", prelude + script],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, f"node failed:\n{result.stderr}"
    return result.stdout


def random_model(data: Seq2SeqData, seed: int = 0, **config: Any) -> AttentionSeq2Seq:
    """An untrained AttentionSeq2Seq with wide random weights (varied answers and attention)."""
    model = AttentionSeq2Seq(
        len(data.source_vocab),
        len(data.target_vocab),
        data.input_length,
        data.output_length,
        **config,
    )
    rng = np.random.default_rng(seed)
    for variable in model.weights:
        shape = tuple(variable.shape)
        if "embeddings" in variable.path:
            scale = 1.0
        elif len(shape) == 2:
            scale = 2.0 / np.sqrt(shape[0])
        else:
            scale = 0.5
        variable.assign(rng.normal(0.0, scale, shape).astype("float32"))
    return model


@dataclass
class Comparison:
    """JavaScript answers next to Keras' greedy_decode on the same float16 weights."""

    queries: list[str]
    keras_ids: np.ndarray
    keras_texts: list[str]
    keras_attention: np.ndarray
    js: list[dict[str, Any]]

    @property
    def js_ids(self) -> np.ndarray:
        return np.array([r["outputIds"] for r in self.js])

    @property
    def js_attention(self) -> np.ndarray:
        return np.array([r["attention"] for r in self.js])

    def mismatched_tokens(self) -> list[str]:
        """The queries whose token ids differ (with both answers), for assertion messages."""
        rows = np.flatnonzero(np.any(self.js_ids != self.keras_ids, axis=1))
        return [
            f"{self.queries[i]!r}: keras {self.keras_ids[i].tolist()} js {self.js_ids[i].tolist()}"
            for i in rows
        ]


def compare(model_file: Path, data: Seq2SeqData, queries: list[str]) -> Comparison:
    """Decode ``queries`` with the exported file's Keras model and with the JS runtime."""
    keras_model = load_export(model_file).to_keras()
    decoded = greedy_decode(
        keras_model, data.encode_inputs(queries), vocab=data.target_vocab, batch_size=1024
    )
    assert decoded.attention is not None and decoded.texts is not None
    js = run_node(model_file, queries)
    failed = [r for r in js if not r["ok"]]
    assert not failed, f"the runtime refused inputs Keras took: {failed[:3]}"
    return Comparison(queries, decoded.token_ids, decoded.texts, decoded.attention, js)


def random_queries(data: Seq2SeqData, count: int, seed: int = 0) -> list[str]:
    """Strings of vocabulary characters of every length from 1 to the longest query."""
    rng = np.random.default_rng(seed)
    chars = np.array(data.source_vocab.chars)
    longest = data.input_length // 2 ** data.input_transforms.count("double")
    lengths = rng.integers(1, longest + 1, size=count)
    return ["".join(rng.choice(chars, size=n)) for n in lengths]


_MEASURE = """(selector) => {
  const input = document.querySelector(selector);
  window.__latencies = [];
  window.__keydown = null;
  input.addEventListener('keydown', (event) => { window.__keydown = event.timeStamp; }, true);
  // Registered after the box's own listener, so it runs once the answer is in the page.
  input.addEventListener('input', () => {
    const keydown = window.__keydown;
    window.__keydown = null;  // every keystroke is measured from its own keydown
    if (keydown === null) { window.__latencies.push(null); return; }
    const answered = performance.now() - keydown;
    requestAnimationFrame(() => window.__latencies.push(
      {answered: answered, frame: performance.now() - keydown}));
  });
  input.focus();
  input.setSelectionRange(input.value.length, input.value.length);
}"""


def keystroke_latency(page: Any, selector: str, first: str, key: str, repeats: int = 15) -> dict:
    """Milliseconds from a keydown in the box to its answer (and to the next frame).

    Presses ``first`` at the end of the text (the first answer after a keystroke), then
    Backspace + ``key`` ``repeats`` times. Keys must be ASCII or key names: Playwright types
    other characters without a keydown event.
    """
    page.evaluate(_MEASURE, selector)
    page.keyboard.press(first)
    for _ in range(repeats):
        page.keyboard.press("Backspace")
        page.keyboard.press(key)
    page.wait_for_function(f"window.__latencies.length === {1 + 2 * repeats}")
    latencies = page.evaluate("window.__latencies")
    assert None not in latencies, "an input event without its keydown"
    later = [entry["answered"] for entry in latencies[1:]]
    return {
        "first_answered_ms": latencies[0]["answered"],
        "first_frame_ms": latencies[0]["frame"],
        "later_answered_median_ms": statistics.median(later),
        "later_answered_max_ms": max(later),
    }
