"""The helper that lets claim tests run a chapter's own set-up and helper cells."""

from __future__ import annotations

import os

import nbformat
import pytest

from tests.claims.chapter_code import chapter_namespace, defined_names


def test_defined_names_reads_top_level_bindings_only() -> None:
    source = (
        "import numpy as np\nfrom attn_lib import train as fit\nA, (B, C) = 1, (2, 3)\n"
        "D: int = 4\ndef run(x):\n    inner = x\n    return inner\nclass Model: pass\n"
        "for seed in range(3):\n    loop_variable = seed\n"
    )
    # Loop variables are not definitions: a loop cell is never picked for its loop variable.
    assert defined_names(source) == {"np", "fit", "A", "B", "C", "D", "run", "Model"}


def test_settings_come_from_the_full_budget_and_quick_mode_is_restored(monkeypatch) -> None:
    monkeypatch.setenv("ATTN_BOOK_QUICK", "1")
    chapter = chapter_namespace("03_reverse_double", ["CONFIG", "SEEDS"])
    assert len(chapter["SEEDS"]) >= 3 and chapter["CONFIG"].epochs > 1
    assert os.environ["ATTN_BOOK_QUICK"] == "1"


def test_helper_cells_do_not_train(tmp_path) -> None:
    # A cell that defines a requested name is executed whole; it must not start training.
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell("%pip install nothing"),  # the Colab cell is skipped
        nbformat.v4.new_code_cell("SEEDS = (0, 1, 2)"),
        nbformat.v4.new_code_cell("def run(seed):\n    return seed * 2"),
        nbformat.v4.new_code_cell("raise AssertionError('the loop cell ran')"),
        nbformat.v4.new_code_cell("SEEDS = ()", metadata={"tags": ["remove-cell"]}),
    ]
    path = tmp_path / "chapter.ipynb"
    nbformat.write(notebook, path)
    chapter = chapter_namespace(path, ["SEEDS", "run"])
    assert [chapter["run"](seed) for seed in chapter["SEEDS"]] == [0, 2, 4]


def test_bad_requests_name_the_problem(tmp_path) -> None:
    with pytest.raises(ValueError, match="no chapter notebook"):
        chapter_namespace(tmp_path / "missing.ipynb", ["CONFIG"])
    with pytest.raises(ValueError, match="name at least one"):
        chapter_namespace("03_reverse_double", [])
    with pytest.raises(ValueError, match="NOT_A_NAME"):
        chapter_namespace("03_reverse_double", ["CONFIG", "NOT_A_NAME"])
