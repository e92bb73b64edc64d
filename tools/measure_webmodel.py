"""Measure the browser models of chapters 8 and 6: size and fidelity of float16 vs int8, speed.

    .venv/bin/python tools/measure_webmodel.py [--quick] [--out FILE]

Trains (through the result cache, so a second run is fast) the chapter-8 date model and the
chapter-6 attention model at the chapters' full budgets, then for each:

* exact match on the test split with float32 weights, float16 weights (what the book ships) and
  int8 weights (symmetric, one scale per output column; vectors stay float16), how many test
  answers each rounding changes, and the largest attention change;
* file sizes: the shipped script (base64 float16), gzip of it, and the raw binary alternatives;
* the JavaScript runtime under node: model load time and time per answer.

The numbers behind ``docs/browser-model.md``. Prints JSON (and writes it with ``--out``).
"""

from __future__ import annotations

import argparse
import base64
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from attn_lib import addition_task, date_task, greedy_decode  # noqa: E402
from attn_lib.decoding import exact_match  # noqa: E402
from attn_lib.experiments.addition import train_models  # noqa: E402
from attn_lib.experiments.dates import train_date_model  # noqa: E402
from attn_lib.export import RUNTIME_PATH, export_model  # noqa: E402
from attn_lib.playground import runtime_script  # noqa: E402

NODE_TIMING = """
const { loadModelFile, runtime } = require(process.argv[1]);
const fs = require("fs");
const queries = JSON.parse(fs.readFileSync(0, "utf8"));
let t = performance.now();
const model = loadModelFile(process.argv[2]);
const loadMs = performance.now() - t;
const first = model.translate(queries[0]).milliseconds;
const times = queries.map((q) => model.translate(q).milliseconds).sort((a, b) => a - b);
console.log(JSON.stringify({ load_ms: loadMs, first_answer_ms: first,
  median_answer_ms: times[Math.floor(times.length / 2)], max_answer_ms: times[times.length - 1] }));
"""


def _gzip(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def _int8_weights(model: Any) -> tuple[list[np.ndarray], int]:
    """Dequantised int8 weights (per output column) and the raw bytes they take."""
    values, size = [], 0
    for variable in model.weights:
        w = np.asarray(variable, dtype="float32")
        if w.ndim < 2:
            values.append(w.astype("float16").astype("float32"))
            size += 2 * w.size
            continue
        scale = np.max(np.abs(w), axis=0) / 127.0
        scale = np.where(scale == 0, 1.0, scale).astype("float32")
        q = np.clip(np.round(w / scale), -127, 127).astype("int8")
        values.append(q.astype("float32") * scale)
        size += q.size + 4 * scale.size
    return values, size


def _decode(model: Any, data: Any) -> Any:
    return greedy_decode(model, data.test.x, vocab=data.target_vocab, batch_size=1024)


def measure(name: str, model: Any, data: Any, folder: Path) -> dict[str, Any]:
    exported = export_model(model, data, name=name)
    path = exported.write(folder)
    reference = _decode(model, data)
    result: dict[str, Any] = {
        "config": exported.manifest["model"],
        "parameters": int(model.count_params()),
        "test_examples": len(data.test),
        "float32_exact": exact_match(reference.token_ids, data.test.y),
        "file_bytes": exported.size,
        "file_gzip_bytes": _gzip(path.read_bytes()),
        "raw_float16_bytes": len(exported.weights),
        "raw_float16_gzip_bytes": _gzip(exported.weights),
    }
    int8_values, int8_bytes = _int8_weights(model)
    result["raw_int8_bytes"] = int8_bytes
    result["int8_file_bytes_estimate"] = (
        exported.size - len(base64.b64encode(exported.weights)) + (int8_bytes + 2) // 3 * 4
    )
    variants = {"float16": exported.to_keras()}
    int8_model = exported.to_keras()
    for variable, value in zip(int8_model.weights, int8_values, strict=True):
        variable.assign(value)
    variants["int8"] = int8_model
    for label, variant in variants.items():
        decoded = _decode(variant, data)
        changed = np.any(decoded.token_ids != reference.token_ids, axis=1)
        result[f"{label}_exact"] = exact_match(decoded.token_ids, data.test.y)
        result[f"{label}_changed_answers"] = int(changed.sum())
        result[f"{label}_max_attention_change"] = float(
            np.abs(decoded.attention - reference.attention).max()
        )
    timing = subprocess.run(
        ["node", "-e", NODE_TIMING, str(RUNTIME_PATH.with_name("seq2seq_node.js")), str(path)],
        input=json.dumps(data.test.queries[:300]),
        capture_output=True,
        text=True,
        check=True,
    )
    result["node"] = json.loads(timing.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny budgets (a smoke run)")
    parser.add_argument("--out", type=Path, help="also write the JSON here")
    args = parser.parse_args()
    quick = args.quick
    started = time.time()
    dates = date_task(1500 if quick else 20_000, seed=0)
    date_model, _ = train_date_model(
        dates,
        epochs=1 if quick else 6,
        units=64,
        bidirectional=True,
        batch_size=64,
        learning_rate=2e-3,
        seed=0,
        cached=True,
    )
    addition = addition_task(3, 1000 if quick else 40_000, reverse=True, seed=0)
    runs = train_models(
        addition,
        epochs=1 if quick else 10,
        kinds=["attention"],
        units=128,
        batch_size=128,
        learning_rate=2e-3,
        seed=0,
        score="dot",
        target_accuracy=0.99,
        cached=True,
    )
    script = runtime_script().encode()
    report: dict[str, Any] = {
        "quick": quick,
        "load_average": os.getloadavg(),
        "cpus": os.cpu_count(),
        "runtime_bytes": {
            "seq2seq_runtime.js": RUNTIME_PATH.stat().st_size,
            "attn_playground (runtime + box)": len(script),
            "attn_playground gzip": _gzip(script),
        },
    }
    with tempfile.TemporaryDirectory() as folder:
        report["chapter 8 dates"] = measure("dates", date_model, dates, Path(folder))
        report["chapter 6 addition"] = measure(
            "addition", runs["attention"].model, addition, Path(folder)
        )
    report["seconds"] = round(time.time() - started, 1)
    text = json.dumps(report, indent=2, ensure_ascii=False)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
