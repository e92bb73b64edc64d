"""attn_lib.widgets: PNG frames, the kernel-free image slider (ipywidgets 8) and its 7.x path."""

from __future__ import annotations

import base64
import re

import ipywidgets
import matplotlib.pyplot as plt
import pytest
from bs4 import BeautifulSoup

from attn_lib import widgets as w

ALTS = ["첫째 막대그래프", "둘째 막대그래프", "셋째 막대그래프"]


def _png(index: int = 0) -> bytes:
    fig, ax = plt.subplots(figsize=(2, 1.5))
    ax.plot([0, index + 1])
    ax.set_title(f"frame {index}")
    return w.figure_to_png(fig, dpi=40)


def _all_widgets() -> list[ipywidgets.Widget]:
    """Every live widget (the registry moved in ipywidgets 8.1)."""
    registry = getattr(ipywidgets.widgets.widget, "_instances", None)
    if registry is None:  # ipywidgets < 8.1
        registry = ipywidgets.Widget.widgets
    return list(registry.values())


def _img(widget: ipywidgets.Widget) -> dict[str, str]:
    """The one <img> of a frame widget, parsed the way a browser reads it."""
    assert isinstance(widget, ipywidgets.HTML), type(widget)
    images = BeautifulSoup(widget.value, "html.parser").find_all("img")
    assert len(images) == 1, widget.value[:200]
    return dict(images[0].attrs)


def _png_of(widget: ipywidgets.Widget) -> bytes:
    src = _img(widget)["src"]
    assert src.startswith("data:image/png;base64,"), src[:40]
    return base64.b64decode(src.removeprefix("data:image/png;base64,"))


@pytest.fixture(scope="module")
def frames() -> list[bytes]:
    return [_png(i) for i in range(3)]


def test_figure_to_png_returns_png_and_closes_the_figure() -> None:
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.set_title("frame")
    number = fig.number
    data = w.figure_to_png(fig, dpi=50)
    assert data.startswith(w.PNG_SIGNATURE)
    assert not plt.fignum_exists(number)
    assert len(data) < 30_000  # small enough to embed many frames in a page


def test_figure_to_png_is_deterministic() -> None:
    assert _png(1) == _png(1)


@pytest.mark.skipif(not hasattr(ipywidgets, "Stack"), reason="needs ipywidgets >= 8")
def test_stack_slider_tree_and_links(frames: list[bytes]) -> None:
    box = w.image_slider(frames, description="단계", alts=ALTS, labels=["가", "나", "다"], value=1)
    assert isinstance(box, ipywidgets.VBox)
    assert w.SLIDER_CLASS in box._dom_classes
    slider, label_stack, image_stack = box.children
    assert isinstance(slider, ipywidgets.IntSlider)
    assert (slider.min, slider.max, slider.value, slider.description) == (0, 2, 1, "단계")
    assert slider.readout is False  # labels already say where the slider is
    for stack in (label_stack, image_stack):
        assert isinstance(stack, ipywidgets.Stack)
        assert len(stack.children) == len(frames)
        assert stack.selected_index == 1
    assert [_png_of(frame) for frame in image_stack.children] == frames
    assert [_img(frame)["alt"] for frame in image_stack.children] == ALTS
    assert all(_img(frame)["class"] == [w.FRAME_CLASS] for frame in image_stack.children)
    assert label_stack.children[0].value.endswith(">가</span>")

    links = [
        x
        for x in _all_widgets()
        if isinstance(x, ipywidgets.widgets.widget_link.Link) and x.source[0] is slider
    ]
    targets = {(link.target[0].model_id, link.target[1]) for link in links}
    assert targets == {
        (label_stack.model_id, "selected_index"),
        (image_stack.model_id, "selected_index"),
    }
    assert all(link.source[1] == "value" for link in links)


@pytest.mark.skipif(not hasattr(ipywidgets, "Stack"), reason="needs ipywidgets >= 8")
def test_stack_slider_without_labels(frames: list[bytes]) -> None:
    box = w.image_slider(frames, description="온도", alts=ALTS)
    slider, image_stack = box.children
    assert slider.readout is True
    assert len(image_stack.children) == 3 and image_stack.selected_index == 0


def test_labels_and_alt_texts_are_escaped(frames: list[bytes]) -> None:
    alts = ['"><script>alert(1)</script>', "a&b", "<b>굵게</b>"]
    box = w.image_slider(frames, description="토큰", alts=alts, labels=["<script>", "a&b", '"q"'])
    html_values = [child.value for child in box.children[1].children]
    assert "<script>" not in html_values[0]
    assert "&lt;script&gt;" in html_values[0]
    assert "a&amp;b" in html_values[1]
    pictures = box.children[2].children
    assert [_img(picture)["alt"] for picture in pictures] == alts  # read back as plain text
    assert not any("<script" in p.value or "<b>" in p.value for p in pictures)


def test_width_is_the_images_css_width(frames: list[bytes]) -> None:
    box = w.image_slider(frames, description="단계", alts=ALTS, width="320px")
    assert all(_img(p)["style"] == "width: 320px" for p in box.children[-1].children)
    plain = w.image_slider(frames, description="단계", alts=ALTS)
    assert all("style" not in _img(p) for p in plain.children[-1].children)


def test_fallback_without_stack_uses_a_callback(
    monkeypatch: pytest.MonkeyPatch, frames: list[bytes]
) -> None:
    monkeypatch.delattr(ipywidgets, "Stack", raising=False)
    box = w.image_slider(frames, description="단계", alts=ALTS, labels=["가", "<b>", "다"])
    slider, label, image = box.children
    assert isinstance(label, ipywidgets.HTML) and isinstance(image, ipywidgets.HTML)
    assert _png_of(image) == frames[0] and _img(image)["alt"] == ALTS[0]
    assert label.value.endswith(">가</span>")
    slider.value = 2
    assert _png_of(image) == frames[2] and _img(image)["alt"] == ALTS[2]
    assert label.value.endswith(">다</span>")
    slider.value = 1
    assert _png_of(image) == frames[1] and "&lt;b&gt;" in label.value


def test_fallback_without_labels(monkeypatch: pytest.MonkeyPatch, frames: list[bytes]) -> None:
    monkeypatch.delattr(ipywidgets, "Stack", raising=False)
    slider, image = w.image_slider(frames, description="단계", alts=ALTS, value=2).children
    assert _png_of(image) == frames[2]
    slider.value = 0
    assert _png_of(image) == frames[0] and _img(image)["alt"] == ALTS[0]


@pytest.mark.parametrize(
    ("images", "kwargs", "message"),
    [
        ([], {}, "empty"),
        (["frames"], {"labels": ["only one"]}, "labels has 1"),
        ([b"GIF89a not a png"], {}, "not a PNG"),
        (["frames"], {"value": 3}, "outside"),
        (["frames"], {"value": -1}, "outside"),
        (["frames"], {"alts": "한 문장"}, "one text per image"),
        (["frames"], {"alts": None}, "one text per image"),
        (["frames"], {"alts": ["하나", "둘"]}, "alts has 2"),
        (["frames"], {"alts": ["하나", " ", "셋"]}, re.escape("alts[1] is empty")),
        (["frames"], {"width": "320px; color: red"}, "CSS length"),
        (["frames"], {"description": "  "}, "description is empty"),
    ],
)
def test_invalid_arguments_raise_value_error(
    frames: list[bytes], images: list, kwargs: dict, message: str
) -> None:
    images = frames if images == ["frames"] else images
    arguments = {"description": "x", "alts": ALTS[: len(images)] or ["하나"], **kwargs}
    with pytest.raises(ValueError, match=message):
        w.image_slider(images, **arguments)


def test_single_bytes_object_is_rejected(frames: list[bytes]) -> None:
    with pytest.raises(ValueError, match="not one byte string"):
        w.image_slider(frames[0], description="x", alts=ALTS)
