"""Wall-clock time of every chapter notebook, full and quick, from an empty and a warm cache.

Each notebook listed in _toc.yml is executed with nbclient (a fresh kernel, working directory =
the notebook's folder, as Jupyter Book does). For each book mode (full, and quick with
``ATTN_BOOK_QUICK=1``) ``ATTN_LIB_CACHE_DIR`` points at a new temporary folder: the first pass
starts from an empty result cache ("cold"), the second reuses what the first stored ("cached").
Optionally the book build itself is timed twice into a temporary output folder, the way
``make book`` builds it: ``tools/execute_notebooks.py`` runs the notebooks two at a time into
jupyter-cache, then ``jupyter-book build`` renders them; the second build takes every notebook
from jupyter-cache (the "cached rebuild"). Full runs time the quick book's build the same way
(``make quick``).

Usage:
    python benchmarks/book_timing.py            # full and quick mode, plus the book build
    python benchmarks/book_timing.py --quick    # quick mode only, no book build

Writes benchmarks/results/book_timing.json and book_timing.md (``--output-dir`` to change).
Goals (issues #6, #11): whole book full <= 10 min, no chapter over 90 s in the full build,
quick <= 2 min (summed and as built), cached rebuild <= 1 min.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import _common
import nbformat
import yaml
from nbclient import NotebookClient

NAME = "book_timing"
# "full" sums the notebooks run one by one; "full_build" is what `make book` does: the same
# notebooks executed two at a time into jupyter-cache, then Sphinx, from an empty cache;
# "chapter_max" is the slowest notebook inside that build. "quick" and "quick_build" are the
# same two measures in quick mode (the latter is what `make quick` does).
GOALS_SECONDS = {
    "full": 600.0,
    "full_build": 600.0,
    "chapter_max": 90.0,
    "quick": 120.0,
    "quick_build": 120.0,
    "cached_rebuild": 60.0,
}
MODES = {"full": "0", "quick": "1"}
# The Makefile's build environment: quiet TensorFlow, no debugger file-validation notice.
BOOK_ENV = {
    "TF_CPP_MIN_LOG_LEVEL": "3",
    "TF_ENABLE_ONEDNN_OPTS": "0",
    "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    "NO_COLOR": "1",
}
JB_FLAGS = ["--all", "--warningiserror", "--keep-going"]  # as in the Makefile


def toc_notebooks(repo: Path) -> list[str]:
    """Notebook entries of _toc.yml (``notebooks/01_intro``), in reading order."""
    toc = yaml.safe_load((repo / "_toc.yml").read_text(encoding="utf-8"))
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            entry = node.get("file")
            if isinstance(entry, str):
                stem = entry.removesuffix(".ipynb")
                if (repo / f"{stem}.ipynb").is_file():
                    found.append(stem)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(toc)
    return found


@contextmanager
def environment(values: dict[str, str]) -> Iterator[None]:
    """Set environment variables (inherited by kernels and subprocesses), then restore them."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def execute_notebook(path: Path, timeout: int) -> dict[str, Any]:
    """Execute one notebook in a fresh kernel; return its seconds and status (never raises)."""
    notebook = nbformat.read(path, as_version=4)
    kernel = notebook.metadata.get("kernelspec", {}).get("name", "python3")
    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name=kernel,
        resources={"metadata": {"path": str(path.parent)}},
    )
    start = time.perf_counter()
    status, error = "ok", None
    try:
        client.execute()
    except Exception as exc:  # a failing chapter is a result to report, not a crash
        status, error = "error", f"{type(exc).__name__}: {str(exc).strip()[-500:]}"
    return {"seconds": round(time.perf_counter() - start, 2), "status": status, "error": error}


def time_notebooks(
    repo: Path, notebooks: list[str], modes: list[str], timeout: int
) -> list[dict[str, Any]]:
    """Every notebook, per mode, cold then cached (one fresh cache folder per mode)."""
    records = []
    for mode in modes:
        with tempfile.TemporaryDirectory(prefix=f"attn-cache-{mode}-") as cache:
            env = {**BOOK_ENV, "ATTN_BOOK_QUICK": MODES[mode], "ATTN_LIB_CACHE_DIR": cache}
            with environment(env):
                for cache_state in ("cold", "cached"):
                    for name in notebooks:
                        result = execute_notebook(repo / f"{name}.ipynb", timeout)
                        _common.log(
                            f"{mode:>5} {cache_state:>6} {name}: {result['seconds']:.1f} s "
                            f"{result['status']}"
                        )
                        records.append(
                            {"notebook": name, "mode": mode, "cache": cache_state, **result}
                        )
    return records


def time_book_build(repo: Path, mode: str) -> dict[str, Any]:
    """Build the book twice into a temporary folder: cold, then the cached rebuild."""
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    result: dict[str, Any] = {"mode": mode, "command": None, "builds": []}
    with (
        tempfile.TemporaryDirectory(prefix="attn-book-build-") as output,
        tempfile.TemporaryDirectory(prefix="attn-cache-build-") as cache,
    ):
        execute = [
            sys.executable,
            str(repo / "tools" / "execute_notebooks.py"),
            "--cache",
            str(Path(output) / "_build" / ".jupyter_cache"),
        ]
        command = [str(jupyter_book), "build", str(repo), "--path-output", output, *JB_FLAGS]
        result["command"] = "tools/execute_notebooks.py, then jupyter-book build . (as make book)"
        env = {**os.environ, **BOOK_ENV, "ATTN_BOOK_QUICK": MODES[mode]}
        env["ATTN_LIB_CACHE_DIR"] = cache
        for cache_state in ("cold", "cached"):
            start = time.perf_counter()
            executed = subprocess.run(
                execute, cwd=repo, env=env, capture_output=True, text=True, check=False
            )
            completed = subprocess.run(
                command, cwd=repo, env=env, capture_output=True, text=True, check=False
            )
            completed.stdout = executed.stdout + completed.stdout
            seconds = round(time.perf_counter() - start, 2)
            ok = completed.returncode == 0 and "build succeeded" in completed.stdout
            _common.log(f"jupyter-book {mode} {cache_state}: {seconds:.1f} s, ok={ok}")
            result["builds"].append(
                {
                    "cache": cache_state,
                    "seconds": seconds,
                    "returncode": completed.returncode,
                    "status": "ok" if ok else "error",
                    "log_tail": None if ok else (completed.stdout + completed.stderr)[-1500:],
                    "notebook_seconds": executed_seconds(Path(output)),
                }
            )
    return result


def executed_seconds(output: Path) -> dict[str, float]:
    """Execution seconds per notebook that jupyter-cache recorded in a build's output folder."""
    from jupyter_cache import get_cache

    cache_dir = output / "_build" / ".jupyter_cache"
    if not cache_dir.is_dir():
        return {}
    seconds = {}
    for record in get_cache(cache_dir).list_cache_records():
        name = "notebooks/" + Path(record.uri).stem
        if "execution_seconds" in record.data:
            seconds[name] = round(float(record.data["execution_seconds"]), 2)
    return seconds


def totals(records: list[dict[str, Any]], modes: list[str]) -> dict[str, dict[str, Any]]:
    """Whole-book seconds per mode and cache state, and whether every notebook ran."""
    summary: dict[str, dict[str, Any]] = {}
    for mode in modes:
        for cache_state in ("cold", "cached"):
            rows = [r for r in records if r["mode"] == mode and r["cache"] == cache_state]
            summary.setdefault(mode, {})[cache_state] = {
                "seconds": round(sum(r["seconds"] for r in rows), 2),
                "all_ok": all(r["status"] == "ok" for r in rows),
            }
    return summary


def goals(
    summary: dict[str, Any],
    build: dict[str, Any] | None,
    *,
    whole_book: bool,
    quick_build: dict[str, Any] | None = None,
) -> dict[str, dict[str, Any]]:
    """Each goal of issue #6 with the measured value (None when not measured).

    The notebook goals are about the whole book, so a run over a subset measures none of them.
    """
    measured: dict[str, float | None] = dict.fromkeys(GOALS_SECONDS)
    for mode in ("full", "quick"):
        cold = summary.get(mode, {}).get("cold", {})
        if whole_book and cold.get("all_ok"):
            measured[mode] = cold["seconds"]
    if build is not None and build["builds"][0]["status"] == "ok":
        measured["full_build"] = build["builds"][0]["seconds"]
        in_build = build["builds"][0].get("notebook_seconds") or {}
        if whole_book and in_build:
            measured["chapter_max"] = max(in_build.values())
    if build is not None and build["builds"][-1]["status"] == "ok":
        measured["cached_rebuild"] = build["builds"][-1]["seconds"]
    if quick_build is not None and whole_book and quick_build["builds"][0]["status"] == "ok":
        measured["quick_build"] = quick_build["builds"][0]["seconds"]
    return {
        name: {
            "limit_seconds": limit,
            "measured_seconds": measured[name],
            "met": None if measured[name] is None else measured[name] <= limit,
        }
        for name, limit in GOALS_SECONDS.items()
    }


def to_markdown(
    info: dict[str, Any],
    records: list[dict[str, Any]],
    summary: dict[str, Any],
    build: dict[str, Any] | None,
    goal_table: dict[str, dict[str, Any]],
    notebooks: list[str],
    modes: list[str],
    quick_build: dict[str, Any] | None = None,
) -> str:
    """Korean Markdown fragment: seconds per notebook and column, totals, goals."""
    labels = {"full": "전체", "quick": "빠른", "cold": "빈 캐시", "cached": "캐시"}
    columns = [(m, c) for m in modes for c in ("cold", "cached")]
    lines = [
        _common.machine_line(info),
        "",
        "노트북마다 nbclient로 새 커널에서 실행한 벽시계 시간(초)입니다. "
        "'빈 캐시'는 비어 있는 결과 캐시(`ATTN_LIB_CACHE_DIR`)에서, "
        "'캐시'는 같은 캐시로 한 번 더 실행한 시간입니다.",
        "",
    ]
    headers = ["노트북"] + [f"{labels[m]} 모드, {labels[c]}" for m, c in columns]
    in_build = build["builds"][0].get("notebook_seconds", {}) if build is not None else {}
    if in_build:
        headers.append(f"{labels[build['mode']]} 모드, Jupyter Book 빌드 안에서")
    rows = []
    for name in notebooks:
        row = [f"`{name}`"]
        for mode, cache_state in columns:
            match = [
                r
                for r in records
                if r["notebook"] == name and r["mode"] == mode and r["cache"] == cache_state
            ]
            cell = _common.fmt(match[0]["seconds"]) if match else "—"
            if match and match[0]["status"] != "ok":
                cell += " (오류)"
            row.append(cell)
        if in_build:
            row.append(_common.fmt(in_build[name]) if name in in_build else "—")
        rows.append(row)
    total_row = ["**합계**"] + [f"**{_common.fmt(summary[m][c]['seconds'])}**" for m, c in columns]
    if in_build:
        total_row.append(f"**{_common.fmt(sum(in_build.values()))}**")
    rows.append(total_row)
    lines.append(_common.markdown_table(headers, rows))
    lines.append("")
    if build is not None:
        cold, cached = build["builds"]
        failed = "" if cached["status"] == "ok" else " (빌드 실패)"
        lines.append(
            f"책 빌드({labels[build['mode']]} 모드, 노트북 두 개씩 나란히 실행한 뒤 Sphinx): "
            f"처음 {_common.fmt(cold['seconds'])}초, "
            f"캐시된 다시 빌드 {_common.fmt(cached['seconds'])}초{failed}. "
            "마지막 열은 처음 빌드에서 jupyter-cache가 잰 노트북별 실행 시간이고, "
            "빌드 시간과의 차이는 Sphinx가 페이지를 읽고 쓰는 시간입니다."
        )
        lines.append("")
    if quick_build is not None:
        cold, cached = quick_build["builds"]
        failed = "" if cold["status"] == cached["status"] == "ok" else " (빌드 실패)"
        lines.append(
            "빠른 모드 책 빌드(`make quick`과 같은 방식): "
            f"처음 {_common.fmt(cold['seconds'])}초, "
            f"캐시된 다시 빌드 {_common.fmt(cached['seconds'])}초{failed}."
        )
        lines.append("")
    goal_labels = {
        "full": "전체 모드 노트북 합계(빈 캐시)",
        "full_build": "전체 모드 책 빌드(`make book`과 같은 방식, 빈 캐시)",
        "chapter_max": "가장 느린 장(전체 모드 책 빌드 안에서)",
        "quick": "빠른 모드 노트북 합계(빈 캐시)",
        "quick_build": "빠른 모드 책 빌드(`make quick`과 같은 방식, 빈 캐시)",
        "cached_rebuild": "캐시된 Jupyter Book 다시 빌드",
    }
    goal_rows = [
        [
            goal_labels[name],
            _limit_label(goal["limit_seconds"]),
            _common.fmt(goal["measured_seconds"]),
            {True: "달성", False: "미달", None: "측정 안 함"}[goal["met"]],
        ]
        for name, goal in goal_table.items()
    ]
    lines.append(_common.markdown_table(["목표", "기준", "측정(초)", "결과"], goal_rows))
    return "\n".join(lines)


def _limit_label(seconds: float) -> str:
    """ "10분 이하" for whole minutes, "90초 이하" otherwise."""
    if seconds % 60 == 0:
        return f"{seconds / 60:.0f}분 이하"
    return f"{seconds:.0f}초 이하"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="quick book mode only, no build")
    parser.add_argument("--output-dir", type=Path, default=_common.RESULTS_DIR)
    parser.add_argument(
        "--notebooks",
        nargs="+",
        help="subset of _toc.yml entries, e.g. notebooks/01_intro (default: every notebook)",
    )
    parser.add_argument(
        "--book-build",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="also time `jupyter-book build` twice (default: on in full runs, off with --quick)",
    )
    parser.add_argument("--timeout", type=int, default=3600, help="seconds per cell")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    repo = _common.REPO_ROOT
    in_toc = toc_notebooks(repo)
    notebooks = in_toc
    if args.notebooks:
        wanted = [n.removesuffix(".ipynb") for n in args.notebooks]
        missing = [n for n in wanted if n not in in_toc]
        if missing:
            raise SystemExit(f"not notebooks of _toc.yml: {missing}; available: {in_toc}")
        notebooks = wanted
    modes = ["quick"] if args.quick else ["full", "quick"]
    book_build = (not args.quick) if args.book_build is None else args.book_build
    info = _common.machine_info(quick=args.quick)
    # The notebooks and builds run with the Makefile's environment, not this process's.
    info["environment"].update({k: v for k, v in BOOK_ENV.items() if k in info["environment"]})
    started = time.perf_counter()
    records = time_notebooks(repo, notebooks, modes, args.timeout)
    build = time_book_build(repo, modes[0]) if book_build else None
    quick_build = time_book_build(repo, "quick") if book_build and modes[0] != "quick" else None
    _common.finish_machine_info(info)
    summary = totals(records, modes)
    goal_table = goals(summary, build, whole_book=notebooks == in_toc, quick_build=quick_build)
    payload = {
        "machine": info,
        "settings": {
            "modes": modes,
            "notebooks": notebooks,
            "whole_book": notebooks == in_toc,
            "book_build": book_build,
            "executor": "nbclient",
            "environment": BOOK_ENV,
            "wall_seconds": round(time.perf_counter() - started, 1),
        },
        "notebooks": records,
        "totals": summary,
        "book_build": build,
        "quick_book_build": quick_build,
        "goals": goal_table,
    }
    markdown = to_markdown(
        info, records, summary, build, goal_table, notebooks, modes, quick_build=quick_build
    )
    json_path, md_path = _common.write_results(NAME, payload, markdown, args.output_dir)
    print(markdown)
    print(f"\nwrote {json_path} and {md_path}")
    failed = [r for r in records if r["status"] != "ok"]
    for timed_build in (build, quick_build):
        if timed_build is not None:
            failed += [b for b in timed_build["builds"] if b["status"] != "ok"]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
