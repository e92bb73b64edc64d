"""Shared helpers of the benchmark scripts: machine info, result files and Markdown tables.

Every script writes ``<output_dir>/<name>.json`` (machine-readable, English keys) and
``<output_dir>/<name>.md`` (a Korean Markdown fragment without headings, included by
``book/benchmarks.md``).
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = REPO_ROOT / "benchmarks" / "results"
SCHEMA_VERSION = 1
#: Environment variables that change CPU speed; recorded with every result.
ENV_RECORDED = ("TF_ENABLE_ONEDNN_OPTS", "TF_NUM_INTRAOP_THREADS", "OMP_NUM_THREADS")

# TensorFlow's C++ start-up chatter is noise in benchmark logs (same setting as the Makefile).
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
# attn_lib's own default (the book's setting), set here because a script may import keras
# before attn_lib: TensorFlow reads it once, when it loads. TF_ENABLE_ONEDNN_OPTS=1 in the
# caller's environment still wins (the README's oneDNN race).
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")


def cpu_model() -> str:
    """The CPU model name from /proc/cpuinfo (falls back to `platform.processor()`)."""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def usable_cores() -> int:
    """CPU cores this process may run on (the affinity mask when the OS has one)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def load_average() -> list[float] | None:
    """1, 5 and 15 minute load averages, or None where the OS has none."""
    try:
        return [round(value, 2) for value in os.getloadavg()]
    except OSError:
        return None


def machine_info(*, quick: bool) -> dict[str, Any]:
    """What the numbers were measured on: CPU, cores, accelerators, library versions, date, mode."""
    import tensorflow as tf  # after TF_CPP_MIN_LOG_LEVEL is set above

    from attn_lib.cache import library_versions

    info: dict[str, Any] = {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "mode": "quick" if quick else "full",
        "cpu_model": cpu_model(),
        "logical_cores": os.cpu_count(),
        "usable_cores": usable_cores(),
        "load_average_at_start": load_average(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "environment": {name: os.environ.get(name) for name in ENV_RECORDED},
    }
    versions = library_versions()
    info.update(
        tensorflow=versions["tensorflow"],
        keras=versions["keras"],
        numpy=versions["numpy"],
        keras_backend=versions["keras_backend"],
        gpus=[device.name for device in tf.config.list_physical_devices("GPU")],
    )
    return info


def finish_machine_info(info: dict[str, Any]) -> None:
    """Record the load average after the run: a value near the core count means contention."""
    info["load_average_at_end"] = load_average()


def median(values: Sequence[float]) -> float | None:
    """Median of the values, or None for an empty sequence."""
    return statistics.median(values) if values else None


def fmt(value: float | None, digits: int = 1, missing: str = "—") -> str:
    """A number for a Markdown cell; None becomes a dash."""
    if value is None:
        return missing
    return f"{value:,.{digits}f}"


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A GitHub-flavoured Markdown table (MyST renders it without extensions)."""
    if any(len(row) != len(headers) for row in rows):
        raise ValueError("every row must have one cell per header")
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def machine_line(info: dict[str, Any]) -> str:
    """One Korean sentence that says where, when and in which mode the numbers were measured."""
    mode = "빠른 모드(실행 확인용, 성능 수치가 아님)" if info["mode"] == "quick" else "전체 모드"
    parts = [
        f"측정: {info['date'][:10]}",
        f"{info['cpu_model']} ({info['usable_cores']}코어)",
    ]
    versions = f"TensorFlow {info['tensorflow']}, Keras {info['keras']}"
    if "gpus" in info:
        versions += ", " + (f"GPU {len(info['gpus'])}개" if info["gpus"] else "CPU만")
    parts.append(versions)
    onednn = (info.get("environment") or {}).get("TF_ENABLE_ONEDNN_OPTS", "unrecorded")
    if onednn != "unrecorded":  # results written before the environment was recorded
        parts.append(
            "oneDNN 꺼짐"
            if str(onednn).lower() in ("0", "false")
            else "oneDNN 켜짐" + ("(TensorFlow 기본값)" if onednn is None else "")
        )
    load = info.get("load_average_at_start")
    if load is not None:
        parts.append(f"시작 시 부하 평균 {load[0]:.2f}")
    return ", ".join(parts) + f". {mode}."


def write_results(
    name: str, payload: dict[str, Any], markdown: str, output_dir: Path
) -> tuple[Path, Path]:
    """Write ``<name>.json`` and ``<name>.md`` into ``output_dir``; return both paths."""
    output_dir.mkdir(parents=True, exist_ok=True)
    json_path = output_dir / f"{name}.json"
    md_path = output_dir / f"{name}.md"
    document = {"benchmark": name, "schema_version": SCHEMA_VERSION, **payload}
    json_path.write_text(
        json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n",
        encoding="utf-8",
    )
    md_path.write_text(markdown.rstrip() + "\n", encoding="utf-8")
    return json_path, md_path


def log(message: str) -> None:
    """Progress line on stderr (stdout stays free for the final summary)."""
    print(message, file=sys.stderr, flush=True)
