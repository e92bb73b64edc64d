"""The models the chapters write out from Keras layers are the library's models.

Chapter 2 builds a seq2seq and a greedy-decoding loop by hand, chapter 5 a Bahdanau decoder;
each then copies its weights into the `attn_lib` class and asserts equal outputs. Here those very
notebook cells run (quick budgets, untrained weights, no ``fit``), so a change to the library
that breaks the equivalence fails a unit test, not only the book build.
"""

from __future__ import annotations

import matplotlib
import nbformat
import pytest

from tests.conftest import REPO_ROOT

matplotlib.use("Agg")

SKIP = ("google.colab", ".fit(", "train(", "glue_all(", "check_claim(", "%pip")


def run_until(notebook: str, marker: str, monkeypatch: pytest.MonkeyPatch) -> dict:
    """Execute the notebook's code cells in order up to the first cell containing ``marker``.

    Cells that install, train or glue are skipped; everything they would define is not needed
    by the cells that build the models and compare them.
    """
    monkeypatch.setenv("ATTN_BOOK_QUICK", "1")
    cells = nbformat.read(REPO_ROOT / "notebooks" / notebook, as_version=4).cells
    namespace: dict = {}
    for cell in cells:
        if cell.cell_type != "code" or any(skip in cell.source for skip in SKIP):
            continue
        exec(compile(cell.source, f"{notebook}:{cells.index(cell)}", "exec"), namespace)
        if marker in cell.source:
            return namespace
    raise AssertionError(f"{notebook} has no code cell containing {marker!r}")


def test_chapter2_hand_built_seq2seq_equals_attn_lib_seq2seq(monkeypatch) -> None:
    namespace = run_until("02_bottleneck.ipynb", "library_model = Seq2Seq(", monkeypatch)
    # The cell itself asserts; check that it really compared something.
    assert namespace["logit_gap"] < 1e-4
    assert (namespace["library_ids"] == namespace["predicted"]).all()
    assert namespace["model"].count_params() == namespace["library_model"].count_params()


def test_chapter5_hand_built_bahdanau_equals_attention_seq2seq(monkeypatch) -> None:
    namespace = run_until("05_attention.ipynb", "ours = HandmadeBahdanau(", monkeypatch)
    assert namespace["logit_gap"] < 1e-4 and namespace["weight_gap"] < 1e-5
    assert namespace["library"].score == "additive"
