"""The verdict rule, the Korean sentences it produces, and claim checks that fail a full build."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest
import yaml

from attn_lib.korean import josa
from attn_lib.notebook import glue_all
from attn_lib.verdicts import ClaimError, check_claim, compare, seed_summary
from tests.conftest import REPO_ROOT


@pytest.mark.parametrize(
    ("a", "b", "outcome"),
    [
        ([0.90, 0.92, 0.91], [0.80, 0.83, 0.81], "ahead"),  # gap 0.097 > band 0.03
        ([0.80, 0.83, 0.81], [0.90, 0.92, 0.91], "behind"),
        ([0.831, 0.652, 0.922], [0.888, 0.852, 0.915], "tie"),  # gap -0.05, band 0.27
        ([0.50, 0.60], [0.40, 0.45], "ahead"),  # gap 0.125 > band max(0.10, 0.05)
        ([0.50, 0.60], [0.47, 0.50], "tie"),  # gap 0.065 < band 0.10
    ],
)
def test_outcome_on_each_side_of_the_band(a, b, outcome) -> None:
    assert compare(a, b).outcome == outcome


def test_band_is_the_larger_spread_and_min_gap_floors_it() -> None:
    result = compare([0.5, 0.7], [0.55, 0.56])
    assert result.band == pytest.approx(0.2) and result.outcome == "tie"
    just_inside = compare([0.52], [0.50], min_gap=0.03)
    just_outside = compare([0.54], [0.50], min_gap=0.03)
    assert (just_inside.outcome, just_outside.outcome) == ("tie", "ahead")
    assert compare([1.0], [1.0]).outcome == "tie"  # no gap at all: never a lead


def test_lower_is_better_flips_the_sign() -> None:
    lower = compare([1.2, 1.25], [2.0, 2.1], higher_is_better=False)
    assert lower.outcome == "ahead" and lower.gap > 0


@pytest.mark.parametrize(
    ("a", "b", "kwargs", "message"),
    [
        ([], [0.5], {}, "a is empty"),
        ([0.5], [float("nan")], {}, "b holds a value that is not finite"),
        ([0.5], [0.4], {"min_gap": -0.1}, "min_gap must be zero or positive"),
    ],
)
def test_bad_input(a, b, kwargs, message) -> None:
    with pytest.raises(ValueError, match=message):
        compare(a, b, **kwargs)


def test_sentences_have_the_right_particles() -> None:
    ahead = compare([0.9, 0.91], [0.5, 0.52])
    assert ahead.sentence("2층 모델", "1층 모델") == "2층 모델이 1층 모델보다 앞섰습니다"
    assert ahead.sentence("어텐션", "단순 모델") == "어텐션이 단순 모델보다 앞섰습니다"
    behind = compare([0.5, 0.52], [0.9, 0.91])
    assert behind.sentence("뒤집기", "그대로 넣기") == "뒤집기가 그대로 넣기보다 뒤졌습니다"
    tie = compare([0.5, 0.7], [0.6, 0.62])
    assert tie.sentence("두 번 넣기", "그대로 넣기") == (
        "두 번 넣기와 그대로 넣기의 차이는 시드 간 차이보다 작아 구별되지 않습니다"
    )
    assert josa("모델", "으로/로") == "모델로" and josa("층", "으로/로") == "층으로"
    with pytest.raises(ValueError, match="both sides need a name"):
        tie.sentence("", "B")


def test_seed_summary() -> None:
    assert seed_summary([0.652, 0.922, 0.919]) == "평균 0.831 (0.652~0.922, 시드 3개)"
    assert seed_summary([0.5]) == "0.500 (시드 1개)"


def test_check_claim_fails_full_builds_only(monkeypatch) -> None:
    monkeypatch.setenv("ATTN_BOOK_QUICK", "0")
    check_claim(True, "holds")
    with pytest.raises(ClaimError, match=r"'A beats B'.*gap=-0.1"):
        check_claim(False, "A beats B", gap=-0.1)
    with pytest.raises(ValueError, match="claim must be the sentence"):
        check_claim(True, " ")
    monkeypatch.setenv("ATTN_BOOK_QUICK", "1")
    check_claim(False, "A beats B")  # quick budgets prove nothing: not checked


def test_glue_all_rejects_empty_input() -> None:
    with pytest.raises(ValueError, match="non-empty dict"):
        glue_all({})


@pytest.mark.slow
def test_a_contradicted_claim_fails_the_strict_build(tmp_path: Path) -> None:
    """A notebook whose check contradicts its printed number breaks the book build.

    The fixture book uses the repository's own execution settings (``execute:`` of _config.yml)
    and the Makefile's strict flags; the log must name the notebook and the failing cell.
    """
    config = yaml.safe_load((REPO_ROOT / "_config.yml").read_text(encoding="utf-8"))
    book = {
        "title": "fixture",
        "execute": {**config["execute"], "execute_notebooks": "force"},
        "only_build_toc_files": True,
    }
    (tmp_path / "_config.yml").write_text(yaml.safe_dump(book), encoding="utf-8")
    (tmp_path / "_toc.yml").write_text("format: jb-book\nroot: claims\n", encoding="utf-8")
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    notebook.cells = [
        nbformat.v4.new_markdown_cell("# 픽스처\n\n정확도는 0.9를 넘습니다."),
        nbformat.v4.new_code_cell("accuracy = 0.42\nprint(f'정확도 {accuracy}')"),
        nbformat.v4.new_code_cell(
            "from attn_lib.verdicts import check_claim\n\n"
            "check_claim(accuracy > 0.9, '정확도는 0.9를 넘습니다', accuracy=accuracy)"
        ),
    ]
    nbformat.write(notebook, tmp_path / "claims.ipynb")
    env = {
        **os.environ,
        "ATTN_BOOK_QUICK": "0",
        "TF_CPP_MIN_LOG_LEVEL": "3",
        "TF_ENABLE_ONEDNN_OPTS": "0",
        "NO_COLOR": "1",
    }
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    result = subprocess.run(
        [str(jupyter_book), "build", str(tmp_path), "--warningiserror", "--keep-going"],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    log = result.stdout + result.stderr
    assert result.returncode != 0, textwrap.shorten(log, 2000)
    assert "claims.ipynb" in log, log[-3000:]
    assert "ClaimError" in log and "accuracy=0.42" in log, log[-3000:]
    assert "check_claim(accuracy > 0.9" in log, "the log should show the failing cell's code"
