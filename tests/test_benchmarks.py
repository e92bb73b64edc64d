"""The benchmark scripts (benchmarks/) run in quick mode and write complete, well-formed results.

Only the shape of the output is checked, never the speed: quick-mode numbers are not
performance numbers. The three scripts run concurrently in subprocesses, each into its own
temporary folder, so the repository's benchmarks/results/ is never touched.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO_ROOT, toc_files

BENCHMARKS = REPO_ROOT / "benchmarks"
SCRIPTS: dict[str, list[str]] = {
    "convergence": ["--seeds", "1"],
    "throughput": [],
    "book_timing": ["--notebooks", "notebooks/01_intro"],
}
TIMEOUT_SECONDS = 600  # generous for a busy machine; a quiet 2-core machine needs about 25 s
MACHINE_KEYS = {
    "date",
    "mode",
    "cpu_model",
    "logical_cores",
    "usable_cores",
    "tensorflow",
    "keras",
    "python",
    "load_average_at_start",
    "load_average_at_end",
}
FAMILIES = {
    "SimpleSeq2Seq",
    "Seq2Seq(peek)",
    "AttentionSeq2Seq(additive)",
    "AttentionSeq2Seq(dot)",
    "AttentionSeq2Seq(general)",
}


#: A made-up machine for the tests that render results without running anything.
SYNTHETIC_MACHINE = {
    "date": "2026-01-01T00:00:00+00:00",
    "mode": "full",
    "cpu_model": "test CPU",
    "usable_cores": 2,
    "tensorflow": "x",
    "keras": "y",
    "gpus": [],
}


@pytest.fixture(scope="module")
def quick_results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Run every script with --quick at the same time; return each one's output folder."""
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    processes: dict[str, tuple[subprocess.Popen[str], Path]] = {}
    for name, extra in SCRIPTS.items():
        output = tmp_path_factory.mktemp(name)
        command = [
            sys.executable,
            str(BENCHMARKS / f"{name}.py"),
            "--quick",
            "--output-dir",
            str(output),
            *extra,
        ]
        script_env = dict(env)
        if name == "book_timing":  # its notebooks must get the Makefile's oneDNN setting anyway
            script_env.pop("TF_ENABLE_ONEDNN_OPTS", None)
        process = subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            env=script_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        processes[name] = (process, output)
    failures = {}
    for name, (process, _) in processes.items():
        try:
            _, stderr = process.communicate(timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            _, stderr = process.communicate()
            failures[name] = f"timed out after {TIMEOUT_SECONDS} s\n{stderr[-2000:]}"
            continue
        if process.returncode != 0:
            failures[name] = f"exit code {process.returncode}\n{stderr[-3000:]}"
    assert not failures, "\n\n".join(f"{name}: {text}" for name, text in failures.items())
    return {name: output for name, (_, output) in processes.items()}


def _notebook_count() -> int:
    return sum(1 for entry in toc_files() if entry.startswith("notebooks/"))


def _load(output: Path, name: str) -> tuple[dict[str, Any], str]:
    data = json.loads((output / f"{name}.json").read_text(encoding="utf-8"))
    markdown = (output / f"{name}.md").read_text(encoding="utf-8")
    return data, markdown


def _check_common(data: dict[str, Any], markdown: str, name: str) -> None:
    assert data["benchmark"] == name
    assert data["schema_version"] == 1
    machine = data["machine"]
    assert set(machine) >= MACHINE_KEYS, MACHINE_KEYS - set(machine)
    assert machine["mode"] == "quick"
    assert machine["usable_cores"] >= 1
    assert machine["cpu_model"]
    assert "빠른 모드" in markdown.splitlines()[0], "the machine line must flag quick mode"
    _check_markdown_tables(markdown)


def _check_markdown_tables(markdown: str) -> None:
    """Every table has a header, a separator and rows with the header's number of cells."""
    assert not re.search(r"^#", markdown, re.MULTILINE), "included fragments must not add headings"
    tables: list[list[str]] = []
    current: list[str] = []
    for line in [*markdown.splitlines(), ""]:
        if line.startswith("|"):
            current.append(line)
        elif current:
            tables.append(current)
            current = []
    assert tables, "no Markdown table"
    for table in tables:
        assert len(table) >= 3, f"table without rows: {table}"
        assert re.fullmatch(r"\|(---\|)+", table[1]), f"bad separator: {table[1]}"
        widths = {len(re.split(r"(?<!\\)\|", row)) for row in table}
        assert len(widths) == 1, f"rows with different numbers of cells: {table}"
    for value in ("nan", "None", "inf"):
        assert not re.search(rf"\b{value}\b", markdown), f"{value!r} in the Markdown"


@pytest.mark.slow
def test_convergence_quick(quick_results: dict[str, Path]) -> None:
    data, markdown = _load(quick_results["convergence"], "convergence")
    _check_common(data, markdown, "convergence")
    settings = data["settings"]
    assert settings["seeds"] == [0]
    assert settings["train_pairs"] > 0 and settings["val_pairs"] > 0
    runs = data["runs"]
    assert [r["contestant"] for r in runs] == ["reference", "ours"]
    for run in runs:
        assert 1 <= run["epochs_run"] <= settings["max_epochs"]
        for key in ("train_seconds", "train_cpu_seconds", "eval_seconds", "val_exact_match"):
            assert len(run[key]) == run["epochs_run"], key
        assert run["train_seconds"] == sorted(run["train_seconds"]), "cumulative seconds"
        assert all(0.0 <= v <= 1.0 for v in run["val_exact_match"])
        assert run["stopped_by"] in {"target", "max_epochs", "max_seconds"}
        assert run["reached"] == (run["stopped_by"] == "target")
    summary = data["summary"]
    for name in ("reference", "ours"):
        assert summary[name]["runs"] == 1
        assert name in data["contestants"] and data["contestants"][name]["parameters"] > 0
    assert summary["goal_ratio"] == 10.0
    ours = data["contestants"]["ours"]
    assert ours["config"]["loop"] == "attn_lib.train", "the race must go through attn_lib.train"
    assert ours["config"]["batch_size"] == 512 and ours["config"]["schedule"] == "cosine"
    assert "기준(keras-io)" in markdown and "attn_lib 어텐션" in markdown
    convergence = _load_module("convergence")
    assert convergence.recipe_line(ours["config"]) in markdown
    rendered = convergence.render(quick_results["convergence"] / "convergence.json")
    assert rendered.rstrip() == markdown.rstrip(), "--render must rewrite the same Markdown"


@pytest.mark.slow
def test_throughput_quick(quick_results: dict[str, Path]) -> None:
    data, markdown = _load(quick_results["throughput"], "throughput")
    _check_common(data, markdown, "throughput")
    assert "gpus" in data["machine"] and data["settings"]["device"] in {"CPU", "GPU"}
    families = data["families"]
    assert set(families) == FAMILIES
    for name, record in families.items():
        assert record["train_samples_per_second"] > 0, name
        assert record["decode_samples_per_second"] > 0, name
        assert len(record["epoch_seconds"]) == data["settings"]["repeats"]
        assert f"`{name}`" in markdown


@pytest.mark.slow
def test_book_timing_quick(quick_results: dict[str, Path]) -> None:
    data, markdown = _load(quick_results["book_timing"], "book_timing")
    _check_common(data, markdown, "book_timing")
    assert data["settings"]["modes"] == ["quick"]
    # The machine line reports the notebooks' environment (the Makefile's), not the script's.
    assert data["machine"]["environment"]["TF_ENABLE_ONEDNN_OPTS"] == "0"
    assert "oneDNN 꺼짐" in markdown.splitlines()[0]
    records = data["notebooks"]
    assert {(r["notebook"], r["mode"], r["cache"]) for r in records} == {
        ("notebooks/01_intro", "quick", "cold"),
        ("notebooks/01_intro", "quick", "cached"),
    }
    assert all(r["status"] == "ok" and r["seconds"] > 0 for r in records)
    assert data["book_build"] is None
    assert data["quick_book_build"] is None
    assert set(data["goals"]) == {
        "full",
        "full_build",
        "chapter_max",
        "quick",
        "quick_build",
        "cached_rebuild",
    }
    goals = data["goals"]
    assert goals["full"]["measured_seconds"] is None  # --quick runs no full-mode notebook
    assert goals["full_build"]["measured_seconds"] is None
    assert goals["chapter_max"]["measured_seconds"] is None
    assert goals["cached_rebuild"]["measured_seconds"] is None  # nor the book build
    assert goals["quick_build"]["measured_seconds"] is None
    # The quick-mode goal is about the whole book: measured only if 01_intro is all of it.
    whole_book = data["settings"]["whole_book"]
    assert whole_book == (_notebook_count() == 1)
    assert (goals["quick"]["measured_seconds"] is not None) == whole_book


def _load_module(name: str) -> Any:
    import importlib.util

    sys.path.insert(0, str(BENCHMARKS))
    try:
        spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look their module up while the class is made
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(BENCHMARKS))
    return module


def _book_timing_module() -> Any:
    return _load_module("book_timing")


def test_book_timing_reports_the_build_goal_and_per_notebook_build_seconds(tmp_path: Path) -> None:
    """The jupyter-book build's own goal and column, from a synthetic (not measured) result."""
    book_timing = _book_timing_module()
    assert book_timing.executed_seconds(tmp_path) == {}  # no jupyter-cache there
    notebooks = ["notebooks/01_intro", "notebooks/02_bottleneck"]
    records = [
        {"notebook": n, "mode": "full", "cache": c, "seconds": s, "status": "ok"}
        for n, s in zip(notebooks, (5.0, 300.0), strict=True)
        for c in ("cold", "cached")
    ]
    summary = book_timing.totals(records, ["full"])
    build = {
        "mode": "full",
        "builds": [
            {
                "cache": "cold",
                "seconds": 640.0,
                "status": "ok",
                "notebook_seconds": {"notebooks/01_intro": 6.0, "notebooks/02_bottleneck": 320.0},
            },
            {"cache": "cached", "seconds": 9.0, "status": "ok", "notebook_seconds": {}},
        ],
    }
    quick_build = {
        "mode": "quick",
        "builds": [
            {"cache": "cold", "seconds": 110.0, "status": "ok", "notebook_seconds": {}},
            {"cache": "cached", "seconds": 8.0, "status": "ok", "notebook_seconds": {}},
        ],
    }
    assert book_timing.goals(summary, build, whole_book=True)["quick_build"]["met"] is None
    goals = book_timing.goals(summary, build, whole_book=True, quick_build=quick_build)
    assert goals["quick_build"] == {"limit_seconds": 120.0, "measured_seconds": 110.0, "met": True}
    assert goals["full"] == {"limit_seconds": 600.0, "measured_seconds": 305.0, "met": True}
    assert goals["full_build"] == {"limit_seconds": 600.0, "measured_seconds": 640.0, "met": False}
    assert goals["chapter_max"] == {"limit_seconds": 90.0, "measured_seconds": 320.0, "met": False}
    assert goals["cached_rebuild"]["met"] is True
    info = {**SYNTHETIC_MACHINE, "load_average_at_start": [0, 0, 0]}
    markdown = book_timing.to_markdown(
        info, records, summary, build, goals, notebooks, ["full"], quick_build=quick_build
    )
    assert "Jupyter Book 빌드 안에서" in markdown
    assert "빠른 모드 책 빌드(`make quick`과 같은 방식): 처음 110.0초" in markdown
    quick_goal = "빠른 모드 책 빌드(`make quick`과 같은 방식, 빈 캐시) | 2분 이하 | 110.0 | 달성 |"
    assert quick_goal in markdown
    assert "| **합계** | **305.0** | **305.0** | **326.0** |" in markdown
    assert "책 빌드(`make book`과 같은 방식, 빈 캐시) | 10분 이하 | 640.0 | 미달 |" in markdown
    assert "가장 느린 장(전체 모드 책 빌드 안에서) | 90초 이하 | 320.0 | 미달 |" in markdown


def test_appendix_includes_existing_result_fragments() -> None:
    page = REPO_ROOT / "book" / "benchmarks.md"
    text = page.read_text(encoding="utf-8")
    included = re.findall(r"```\{include\}\s+(\S+)", text)
    results = BENCHMARKS / "results"
    fragments = [(page.parent / relative).resolve() for relative in included]
    # The three scripts' results, and the race again with TensorFlow's oneDNN default.
    assert sorted(f.relative_to(results).as_posix() for f in fragments) == [
        "book_timing.md",
        "convergence.md",
        "onednn/convergence.md",
        "throughput.md",
    ]
    onednn = json.loads((results / "onednn" / "convergence.json").read_text(encoding="utf-8"))
    assert onednn["machine"]["environment"]["TF_ENABLE_ONEDNN_OPTS"] == "1"
    assert onednn["machine"]["mode"] == "full"
    for relative, fragment in zip(included, fragments, strict=True):
        assert fragment.is_file(), f"{relative} is missing: run the benchmarks (see README)"
        _check_markdown_tables(fragment.read_text(encoding="utf-8"))


def test_recipe_line_is_written_from_the_contestants_config() -> None:
    convergence = _load_module("convergence")
    config = convergence.describe_ours(convergence.OursConfig())["config"]
    line = convergence.recipe_line(config)
    assert "내적 어텐션" in line and f"LSTM 유닛 {config['units']}," in line
    assert f"임베딩 {config['embedding_dim']}차원" in line
    assert f"최고 학습률 {config['learning_rate']:g}(" in line and "코사인" in line
    changed = {**config, "schedule": "constant", "clipnorm": None, "score": "general"}
    other = convergence.recipe_line(changed)
    assert "고정" in other and "자르기" not in other and "일반 점수" in other


def test_render_rejects_a_missing_json(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    convergence = _load_module("convergence")
    with pytest.raises(SystemExit):
        convergence.parse_args(["--render", str(tmp_path / "missing.json")])
    assert "--render needs an earlier race's JSON file" in capsys.readouterr().err


def test_published_races_ran_the_current_recipe() -> None:
    """A recipe change in convergence.py must come with re-run races, or the appendix is stale."""
    convergence = _load_module("convergence")
    expected = convergence.describe_ours(convergence.OursConfig())
    for relative in ("convergence.json", "onednn/convergence.json"):
        data = json.loads((BENCHMARKS / "results" / relative).read_text(encoding="utf-8"))
        published = data["contestants"]["ours"]["config"]
        stale = {
            key: (published.get(key), value)
            for key, value in expected["config"].items()
            if key not in ("epochs", "seed", "target_accuracy") and published.get(key) != value
        }
        assert not stale, f"{relative} ran another recipe (published, current): {stale}"
        markdown = (BENCHMARKS / "results" / relative.replace(".json", ".md")).read_text("utf-8")
        assert convergence.recipe_line(expected["config"]) in markdown, relative


def test_machine_line_says_whether_onednn_was_on() -> None:
    """oneDNN changes the reference's speed by about 1.6x, so every table names its state."""
    common = _load_module("_common")
    info = SYNTHETIC_MACHINE
    lines = {
        value: common.machine_line({**info, "environment": {"TF_ENABLE_ONEDNN_OPTS": value}})
        for value in ("0", "1", None)
    }
    assert "oneDNN 꺼짐" in lines["0"]
    assert "oneDNN 켜짐" in lines["1"] and "기본값" not in lines["1"]
    assert "oneDNN 켜짐(TensorFlow 기본값)" in lines[None]
    assert "oneDNN" not in common.machine_line(info)  # older results did not record it


@pytest.mark.parametrize("name", ["convergence", "throughput"])
def test_scripts_run_with_the_books_onednn_setting_unless_told_otherwise(name: str) -> None:
    """Without TF_ENABLE_ONEDNN_OPTS in the environment a script runs as the book does (oneDNN
    off), even when it imports keras before attn_lib: TensorFlow decides when it loads, and
    announces oneDNN on stderr whatever TF_CPP_MIN_LOG_LEVEL says."""
    notice = "oneDNN custom operations are on"
    env = {k: v for k, v in os.environ.items() if k != "TF_ENABLE_ONEDNN_OPTS"}
    command = [sys.executable, str(BENCHMARKS / f"{name}.py"), "--help"]
    default = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True)
    assert default.returncode == 0, default.stderr[-2000:]
    assert notice not in default.stderr
    told = subprocess.run(
        command,
        cwd=REPO_ROOT,
        env={**env, "TF_ENABLE_ONEDNN_OPTS": "1"},
        capture_output=True,
        text=True,
    )
    assert told.returncode == 0, told.stderr[-2000:]
    assert notice in told.stderr, "the check cannot see TensorFlow's notice"
