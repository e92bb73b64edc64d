"""Training and greedy-decoding throughput (samples/s) of every attn_lib seq2seq family.

On keras-io's addition data (3 digits, reversed query) each family is trained with the public
``attn_lib.train`` (Adam, masked sparse cross-entropy, batch 128) and decoded with
``greedy_decode``. The first epoch and the first decoding pass trace the graphs and are not
measured; the median of the next ``--repeats`` epochs (and decoding passes) is reported.
TensorFlow places the work on a GPU by itself when one is visible; there is no device-specific
code (the device list is recorded with the results).

Usage:
    python benchmarks/throughput.py            # full: whole training split, 3 repeats
    python benchmarks/throughput.py --quick    # seconds: only checks that it runs

Writes benchmarks/results/throughput.json and throughput.md (``--output-dir`` to change).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import _common
import numpy as np

from attn_lib.decoding import greedy_decode
from attn_lib.models import AttentionSeq2Seq, Seq2Seq, Seq2SeqModel, SimpleSeq2Seq
from attn_lib.tasks import Seq2SeqData, addition_task
from attn_lib.training import TrainConfig, forget_compiled_models, train

NAME = "throughput"


@dataclass(frozen=True)
class Budget:
    """How much data and how many measured repeats."""

    n_samples: int
    repeats: int


FULL = Budget(n_samples=50_000, repeats=3)
QUICK = Budget(n_samples=1_000, repeats=1)

FAMILIES: dict[str, tuple[type[Seq2SeqModel], dict[str, Any]]] = {
    "SimpleSeq2Seq": (SimpleSeq2Seq, {}),
    "Seq2Seq(peek)": (Seq2Seq, {"peek": True}),
    "AttentionSeq2Seq(additive)": (AttentionSeq2Seq, {"score": "additive"}),
    "AttentionSeq2Seq(dot)": (AttentionSeq2Seq, {"score": "dot"}),
    "AttentionSeq2Seq(general)": (AttentionSeq2Seq, {"score": "general"}),
}


def factory(family: str, data: Seq2SeqData, units: int) -> Callable[[], Seq2SeqModel]:
    """A zero-argument builder of ``family`` sized for ``data``."""
    cls, options = FAMILIES[family]

    def make() -> Seq2SeqModel:
        return cls(
            len(data.source_vocab),
            len(data.target_vocab),
            data.input_length,
            data.output_length,
            units=units,
            **options,
        )

    return make


def decode_pass(model: Seq2SeqModel, data: Seq2SeqData, batch_size: int) -> float:
    """Seconds to greedy-decode the validation split."""
    start = time.perf_counter()
    greedy_decode(model, data.val.x, batch_size=batch_size)
    return time.perf_counter() - start


def measure(
    families: list[str], data: Seq2SeqData, budget: Budget, args: argparse.Namespace
) -> dict[str, dict[str, Any]]:
    """Train every family with ``attn_lib.train`` and time its epochs; then time decoding.

    ``train`` records the training seconds of every epoch with evaluation excluded; the first
    epoch traces the graphs and is reported apart (warm-up). Every family is then decoded
    ``repeats`` times, round-robin, after one unmeasured (tracing) pass.
    """
    results: dict[str, dict[str, Any]] = {}
    models: dict[str, Seq2SeqModel] = {}
    config = TrainConfig(
        epochs=1 + budget.repeats,
        batch_size=args.batch_size,
        learning_rate=args.learning_rate,
        seed=args.seed,
        eval_examples=64,  # train() scores validation every epoch; kept small and off the clock
    )
    for family in families:
        forget_compiled_models()  # each family's warm-up epoch includes building its graph
        model, history = train(factory(family, data, args.units), data, config, verbose=0)
        cumulative = history.history["train_seconds"]
        epochs = list(np.diff(cumulative))
        warm_decode = decode_pass(model, data, args.decode_batch_size)
        _common.log(f"{family}: warm-up epoch {cumulative[0]:.1f} s, decode {warm_decode:.1f} s")
        models[family] = model
        results[family] = {
            "parameters": int(model.count_params()),
            "warmup_epoch_seconds": round(cumulative[0], 3),
            "warmup_decode_seconds": round(warm_decode, 3),
            "epoch_seconds": [round(e, 3) for e in epochs],
            "decode_seconds": [],
        }
    for repeat in range(budget.repeats):
        for family in families:
            decode = decode_pass(models[family], data, args.decode_batch_size)
            results[family]["decode_seconds"].append(round(decode, 3))
            _common.log(
                f"repeat {repeat + 1}/{budget.repeats} {family}: "
                f"decode {len(data.val) / decode:,.0f}/s"
            )
    for record in results.values():
        epoch = _common.median(record["epoch_seconds"])
        decode = _common.median(record["decode_seconds"])
        record["median_epoch_seconds"] = round(epoch, 3)
        record["train_samples_per_second"] = round(len(data.train) / epoch, 1)
        record["median_decode_seconds"] = round(decode, 3)
        record["decode_samples_per_second"] = round(len(data.val) / decode, 1)
    return results


def to_markdown(
    info: dict[str, Any], results: dict[str, dict[str, Any]], settings: dict[str, Any]
) -> str:
    """Korean Markdown fragment: one row per family."""
    device = "GPU" if info.get("gpus") else "CPU"
    lines = [
        _common.machine_line(info),
        "",
        f"덧셈 데이터(질문 뒤집기), "
        f"학습 {settings['train_pairs']:,}쌍·배치 {settings['batch_size']}, "
        f"탐욕 디코딩 {settings['val_pairs']:,}쌍·배치 {settings['decode_batch_size']}, "
        f"LSTM 유닛 {settings['units']}, 장치 {device}. "
        f"첫 에폭과 첫 디코딩(그래프 추적)은 빼고 {settings['repeats']}번 잰 중앙값입니다.",
        "",
    ]
    rows = [
        [
            f"`{family}`",
            f"{record['parameters']:,}",
            _common.fmt(record["train_samples_per_second"], 0),
            _common.fmt(record["median_epoch_seconds"], 2),
            _common.fmt(record["decode_samples_per_second"], 0),
        ]
        for family, record in results.items()
    ]
    lines.append(
        _common.markdown_table(
            ["모델", "파라미터", "학습(샘플/초)", "에폭(초)", "탐욕 디코딩(샘플/초)"], rows
        )
    )
    return "\n".join(lines)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny budget: only checks it runs")
    parser.add_argument("--output-dir", type=Path, default=_common.RESULTS_DIR)
    parser.add_argument("--families", default=",".join(FAMILIES), help="comma-separated subset")
    parser.add_argument("--units", type=int, default=128)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--decode-batch-size", type=int, default=512)
    parser.add_argument("--learning-rate", type=float, default=1e-3)
    parser.add_argument("--repeats", type=int, help="override the number of measured repeats")
    parser.add_argument("--n-samples", type=int, help="override the number of pairs")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    args.families = [f.strip() for f in args.families.split(",") if f.strip()]
    unknown = [f for f in args.families if f not in FAMILIES]
    if unknown or not args.families:
        parser.error(f"unknown families {unknown}; choose from {list(FAMILIES)}")
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    base = QUICK if args.quick else FULL
    budget = Budget(
        n_samples=args.n_samples or base.n_samples, repeats=args.repeats or base.repeats
    )
    info = _common.machine_info(quick=args.quick)
    data = addition_task(3, budget.n_samples, reverse=True, val_fraction=0.1, test_fraction=0.001)
    started = time.perf_counter()
    results = measure(args.families, data, budget, args)
    _common.finish_machine_info(info)
    settings = {
        "task": "addition_task(3, reverse=True)",
        "n_samples": budget.n_samples,
        "train_pairs": len(data.train),
        "val_pairs": len(data.val),
        "repeats": budget.repeats,
        "units": args.units,
        "batch_size": args.batch_size,
        "decode_batch_size": args.decode_batch_size,
        "learning_rate": args.learning_rate,
        "seed": args.seed,
        "device": "GPU" if info.get("gpus") else "CPU",
        "wall_seconds": round(time.perf_counter() - started, 1),
    }
    payload = {"machine": info, "settings": settings, "families": results}
    markdown = to_markdown(info, results, settings)
    json_path, md_path = _common.write_results(NAME, payload, markdown, args.output_dir)
    print(markdown)
    print(f"\nwrote {json_path} and {md_path}")


if __name__ == "__main__":
    main()
