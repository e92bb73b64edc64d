"""Tests for attn_lib.explorer: the chapters' calls keep working and now give attention views."""

from __future__ import annotations

import ast
import inspect
import json
from pathlib import Path
from typing import Any

import pytest

from attn_lib.attention_view import AXES, AttentionView, attention_view
from attn_lib.explorer import DESCRIPTIONS, AttentionExplorer, attention_explorer
from tests.test_attention_view import attention, masked

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"

#: The keyword arguments attention_explorer took before it drew attention views.
OLD_KEYWORDS = {
    "over",
    "example",
    "epochs",
    "title",
    "pad_token",
    "end_token",
    "annotate",
    "cmap",
    "dpi",
    "cell",
    "max_positions",
    "byte_budget",
}


def _explorer_calls() -> list[tuple[str, ast.Call]]:
    """Every ``attention_explorer(...)`` and ``attention_view(...)`` call in the chapters."""
    calls = []
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        for cell in notebook["cells"]:
            if cell["cell_type"] != "code":
                continue
            source = "".join(cell["source"])
            try:
                tree = ast.parse(source)
            except SyntaxError:  # IPython magics
                continue
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name)
                    and node.func.id in ("attention_explorer", "attention_view")
                ):
                    calls.append((path.name, node))
    return calls


def test_signature_keeps_every_old_argument() -> None:
    parameters = inspect.signature(attention_explorer).parameters
    assert list(parameters)[:3] == ["attention", "input_tokens", "output_tokens"]
    assert set(parameters) >= OLD_KEYWORDS
    assert set(DESCRIPTIONS) == set(AXES)
    assert AttentionExplorer is AttentionView


def test_chapters_call_it_with_supported_arguments() -> None:
    """Every keyword the chapters pass is accepted by the function they call."""
    calls = _explorer_calls()
    assert len(calls) >= 6, f"expected the chapters' explorers, found {len(calls)} calls"
    functions = {"attention_explorer": attention_explorer, "attention_view": attention_view}
    for name, call in calls:
        parameters = set(inspect.signature(functions[call.func.id]).parameters)
        keywords = {k.arg for k in call.keywords}
        assert keywords <= parameters, f"{name}: unknown arguments {keywords - parameters}"
        assert len(call.args) == 3, f"{name}: attention, input and output tokens by position"
        over = next((k.value for k in call.keywords if k.arg == "over"), None)
        if over is not None:
            assert isinstance(over, ast.Constant) and over.value in DESCRIPTIONS, name


@pytest.mark.parametrize("over", ["examples", "steps"])
def test_over_picks_the_emphasised_axis(over: str) -> None:
    weights = masked(attention(3, 4, 5), [5, 4, 3])
    inputs = [list("abcde"), [*"abcd", "<pad>"], [*"abc", "<pad>", "<pad>"]]
    outputs = [[*"xy", "</s>", "<pad>"], list("xyzw"), ["x", "</s>"]]
    view = attention_explorer(weights, inputs, outputs, over=over, example=2, annotate=True)
    assert isinstance(view, AttentionView)
    assert view.data["order"][0] == AXES[over]
    assert view.data["start"]["example"] == 2
    assert view.data["annotate"] is True
    assert view.embedded_bytes == view.payload_bytes  # chapter 6 prints this
    same = attention_view(weights, inputs, outputs, over=over, example=2, annotate=True)
    assert same.data == view.data


def test_epochs_and_models_as_the_chapters_pass_them() -> None:
    snapshots = attention(3, 2, 4, 5)
    per_epoch: Any = [[list("ab"), list("cd")]] * 3
    view = attention_explorer(
        snapshots, [list("abcde")] * 2, per_epoch, over="epochs", example=1, dpi=70
    )
    assert view.data["epochs"] == ["1", "2", "3"]
    assert view.data["start"] == {"model": 0, "epoch": 0, "example": 1, "step": 0}
    models = {"바다나우": attention(2, 3, 4), "루옹": attention(2, 3, 4, seed=1)}
    by_model = attention_explorer(models, [list("abcd")] * 2, [list("xyz")] * 2, over="models")
    assert by_model.data["models"] == ["바다나우", "루옹"]
    with pytest.raises(ValueError, match="over='epochs' needs 4-D"):
        attention_explorer(attention(2, 3, 4), [list("abcd")] * 2, [list("xy")] * 2, over="epochs")
    with pytest.raises(ValueError, match="over='models' needs two or more models"):
        attention_explorer(attention(2, 3, 4), [list("abcd")] * 2, [list("xy")] * 2, over="models")
    with pytest.raises(ValueError, match="max_positions=30"):
        attention_explorer(attention(31, 1, 2), [list("ab")] * 31, [["x"]] * 31)


def test_targets_add_answers_and_marks() -> None:
    view = attention_explorer(
        attention(2, 3, 4), [list("abcd")] * 2, [[*"xy", "</s>"]] * 2, targets=["xy", "xz"]
    )
    assert view.data["answers"] == ["xy", "xz"]
