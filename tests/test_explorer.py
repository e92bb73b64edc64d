"""Tests for attn_lib.explorer: widget tree, page weight, padding, modes and validation."""

from __future__ import annotations

import struct
import warnings
from collections.abc import Iterator
from typing import Any

import ipywidgets as widgets
import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pytest
from ipywidgets.embed import embed_data

from attn_lib import explorer as explorer_module
from attn_lib.explorer import AttentionExplorer, attention_explorer

mpl.use("Agg")

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
HAS_STACK = hasattr(widgets, "Stack")


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    yield
    plt.close("all")


def _attention(*shape: int, seed: int = 0) -> np.ndarray:
    """Random attention whose last axis sums to 1."""
    rng = np.random.default_rng(seed)
    return rng.dirichlet(np.full(shape[-1], 0.3), size=shape[:-1])


def _tokens(n: int, length: int, pad_to: int = 0, end: bool = False) -> list[list[str]]:
    tail = ["</s>"] if end else []
    tokens = [[str((i + j) % 10) for j in range(length)] + tail for i in range(n)]
    return [t + ["<pad>"] * (pad_to - len(t)) for t in tokens]


def _walk(widget: widgets.Widget) -> Iterator[widgets.Widget]:
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


def _slider(explorer: AttentionExplorer) -> widgets.IntSlider:
    (slider,) = [w for w in _walk(explorer) if isinstance(w, widgets.IntSlider)]
    return slider


def _png_size(png: bytes) -> tuple[int, int]:
    return struct.unpack(">II", png[16:24])


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Record every heatmap the explorer draws (tokens, highlight, mask), still drawing it."""
    recorded: list[dict[str, Any]] = []
    real = explorer_module.plot_attention

    def spy(weights: Any, input_tokens: Any, output_tokens: Any, ax: Any, **kwargs: Any) -> Any:
        recorded.append(
            {
                "weights": np.asarray(weights),
                "inputs": list(input_tokens),
                "outputs": list(output_tokens),
                "ax": ax,
                **kwargs,
            }
        )
        return real(weights, input_tokens, output_tokens, ax, **kwargs)

    monkeypatch.setattr(explorer_module, "plot_attention", spy)
    return recorded


# ----------------------------------------------------------------------------- widget tree
def test_realistic_examples_explorer_tree_and_page_weight() -> None:
    """20 examples of 10 x 12 attention: one slider position per example, small PNGs."""
    n = 20
    explorer = attention_explorer(
        _attention(n, 10, 12), _tokens(n, 12), _tokens(n, 9, end=True), title="덧셈 <모델>"
    )
    assert isinstance(explorer, widgets.VBox)
    slider = _slider(explorer)
    assert (slider.min, slider.max, slider.value) == (0, n - 1, 0)
    assert slider.description == explorer.description == "예시"
    assert len(explorer.images) == n
    assert all(image.startswith(PNG_SIGNATURE) for image in explorer.images)
    assert len({_png_size(image) for image in explorer.images}) == 1  # no jumping while sliding
    assert explorer.labels[0] == "예시 1/20"
    images = [w for w in _walk(explorer) if isinstance(w, widgets.Image)]
    if HAS_STACK:
        (stack,) = [
            w
            for w in _walk(explorer)
            if isinstance(w, widgets.Stack)
            and all(isinstance(c, widgets.Image) for c in w.children)
        ]
        assert len(stack.children) == n
        assert [bytes(c.value) for c in stack.children] == list(explorer.images)
    else:
        assert len(images) == 1
    title = explorer.children[0]
    assert isinstance(title, widgets.HTML)
    assert "&lt;모델&gt;" in title.value
    # Several explorers must fit a 1.5 MB page; base64 makes the PNGs 4/3 larger.
    assert explorer.total_bytes == sum(len(image) for image in explorer.images)
    assert explorer.embedded_bytes < 500_000, explorer.embedded_bytes


def test_padding_is_trimmed_before_plotting(calls: list[dict[str, Any]]) -> None:
    inputs = _tokens(2, 4, pad_to=7)  # 4 tokens + 3 <pad>
    outputs = [["5", "</s>", "3", "<pad>"], ["6", "7", "</s>"]]  # garbage after </s>; short list
    explorer = attention_explorer(_attention(2, 5, 7), inputs, outputs)
    assert len(explorer.images) == 2
    assert [c["inputs"] for c in calls] == [inputs[0][:4], inputs[1][:4]]
    assert [c["outputs"] for c in calls] == [["5", "</s>"], ["6", "7", "</s>"]]
    assert calls[1]["weights"].shape == (3, 4)


def test_steps_explorer_reveals_rows_one_by_one(calls: list[dict[str, Any]]) -> None:
    outputs = [["1", "<script>", "</s>", "<pad>"], ["9", "</s>"]]
    explorer = attention_explorer(
        _attention(2, 4, 5), _tokens(2, 5), outputs, over="steps", example=0
    )
    assert _slider(explorer).max == 2
    assert _slider(explorer).description == "디코더 단계"
    assert explorer.labels == (
        "디코더 단계 1/3 · 출력 토큰 1",
        "디코더 단계 2/3 · 출력 토큰 <script>",
        "디코더 단계 3/3 · 출력 토큰 </s>",
    )
    assert [c["highlight_row"] for c in calls] == [0, 1, 2]
    assert calls[0]["mask"][:, 0].tolist() == [False, True, True]
    assert not calls[2]["mask"].any()
    if HAS_STACK:  # labels are shown as text, never as markup
        html = [w.value for w in _walk(explorer) if isinstance(w, widgets.HTML)]
        assert any("&lt;script&gt;" in value for value in html)
        assert not any("<script>" in value for value in html)


def test_epochs_explorer_with_per_epoch_predictions(calls: list[dict[str, Any]]) -> None:
    snapshots = _attention(3, 2, 4, 5)  # (n_epochs, n_examples, T_out, T_in)
    per_epoch = [
        [["1", "1", "1", "1"], ["2", "</s>"]],
        [["1", "2", "</s>"], ["2", "</s>"]],
        [["1", "2", "3", "</s>"], ["2", "</s>"]],
    ]
    explorer = attention_explorer(
        snapshots, _tokens(2, 5), per_epoch, over="epochs", epochs=[1, 5, 10]
    )
    assert explorer.labels == ("에폭 1", "에폭 5", "에폭 10")
    assert _slider(explorer).description == "에폭"
    assert [c["outputs"] for c in calls] == [per_epoch[e][0] for e in range(3)]
    np.testing.assert_array_equal(calls[2]["weights"], snapshots[2, 0])


def test_models_side_by_side_and_one_per_position(calls: list[dict[str, Any]]) -> None:
    attention = {"바다나우": _attention(3, 4, 5, seed=1), "루옹": _attention(3, 4, 5, seed=2)}
    outputs = {"바다나우": _tokens(3, 3, end=True), "루옹": _tokens(3, 2, end=True)}
    explorer = attention_explorer(attention, _tokens(3, 5), outputs)
    assert len(explorer.images) == 3
    assert [c["title"] for c in calls[:2]] == ["바다나우", "루옹"]
    assert calls[0]["ax"].figure is calls[1]["ax"].figure
    assert len(calls[1]["outputs"]) == 3  # "루옹" decoded 2 tokens + </s>

    calls.clear()
    by_model = attention_explorer(attention, _tokens(3, 5), outputs, over="models", example=2)
    assert by_model.labels == ("모델 바다나우", "모델 루옹")
    assert _slider(by_model).description == "모델"
    assert len({_png_size(image) for image in by_model.images}) == 1


# ----------------------------------------------------------------------------- validation
@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"attention": np.ones((2, 4))}, r"3-D .*\(n_examples, output_steps, input_steps\)"),
        ({"attention": np.full((2, 3, 4), np.nan)}, "NaN"),
        ({"input_tokens": [list("abcd")]}, "input_tokens has 1 sequences but attention has 2"),
        ({"output_tokens": [list("ab")] * 3}, "output_tokens has 3 sequences"),
        ({"input_tokens": [list("abcde")] * 2}, "example 0: 5 input tokens but .* has 4"),
        ({"output_tokens": [list("abcd")] * 2}, "example 0: 4 output tokens but .* has 3"),
        ({"input_tokens": [["<pad>"] * 4] * 2}, "example 0: no token left"),
        ({"over": "layers"}, "over must be one of"),
        ({"over": "steps", "example": 2}, r"example=2 is outside 0\.\.1"),
        ({"over": "epochs"}, "4-D"),
        ({"over": "models"}, "needs attention as a mapping"),
        ({"max_positions": 1}, "2 examples would make 2 slider images, more than max_positions=1"),
        ({"input_tokens": "abcd"}, "sequence of token sequences"),
    ],
)
def test_validation_errors(kwargs: dict[str, Any], message: str) -> None:
    arguments: dict[str, Any] = {
        "attention": _attention(2, 3, 4),
        "input_tokens": [list("abcd")] * 2,
        "output_tokens": [list("xy")] * 2,
    }
    arguments.update(kwargs)
    with pytest.raises(ValueError, match=message):
        attention_explorer(**arguments)


def test_model_mapping_errors() -> None:
    inputs, outputs = [list("abcd")] * 2, [list("xy")] * 2
    with pytest.raises(ValueError, match="disagree"):
        attention_explorer({"a": _attention(2, 3, 4), "b": _attention(3, 3, 4)}, inputs, outputs)
    with pytest.raises(ValueError, match=r"no tokens for models \['b'\]"):
        attention_explorer(
            {"a": _attention(2, 3, 4), "b": _attention(2, 3, 4)}, inputs, {"a": outputs}
        )
    with pytest.raises(ValueError, match="too many"):
        attention_explorer({str(i): _attention(2, 3, 4) for i in range(5)}, inputs, outputs)
    with pytest.raises(ValueError, match="empty mapping"):
        attention_explorer({}, inputs, outputs)


def test_byte_budget_warns() -> None:
    with pytest.warns(UserWarning, match="budget"):
        attention_explorer(_attention(1, 2, 2), ["ab"], ["xy"], byte_budget=10)


def test_rendering_leaves_global_style_alone() -> None:
    before = dict(mpl.rcParams)
    attention_explorer(_attention(1, 2, 2), ["ab"], ["xy"])
    assert dict(mpl.rcParams) == before


def test_hangul_has_a_font_and_the_widget_embeds() -> None:
    """The PNGs are drawn with the bundled Korean font; the widget state serialises."""
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*missing from font")
        explorer = attention_explorer(_attention(2, 3, 3), ["가나다", "라마바"], ["사아", "자차"])
    data = embed_data(views=[explorer])
    models = {state["model_name"] for state in data["manager_state"]["state"].values()}
    assert {"VBoxModel", "IntSliderModel", "ImageModel"} <= models
