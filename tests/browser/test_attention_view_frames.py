"""Attention views as Colab and JupyterLab show them: notebook outputs executed with nbclient.

A small notebook made here calls ``attention_view`` twice; nbclient runs it in a real kernel.
Its ``text/html`` outputs are then shown the way notebook front ends do:

* Colab: every output in its own ``<iframe sandbox="allow-scripts" srcdoc=...>`` (an opaque
  origin: no access to the parent, no storage), plus one frame holding both outputs;
* JupyterLab / VS Code: the output HTML is put into a detached element, its scripts re-created
  (as ``innerHTML`` does not run them) and the element attached afterwards.

In each, the views must boot from their own output alone and show the numbers of the arrays the
notebook was given; keys, hover and clicks work; no console error, no request leaves the page.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterator
from typing import Any

import nbformat
import numpy as np
import pytest
from nbclient import NotebookClient

from tests.browser import attention_view_probe as probe
from tests.conftest import TEST_OUTPUT, open_probe, serve_directory

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SETUP = """
import numpy as np
from attn_lib import attention_view

rng = np.random.default_rng(7)
def attention(*shape):
    return rng.dirichlet(np.full(shape[-1], 0.3), size=shape[:-1])

weights = attention(3, 5, 6)
weights[2, :, 4:] = 0  # example 2 has two padded input steps (masked: weight 0)
weights[2] /= weights[2].sum(axis=-1, keepdims=True)
inputs = [list("12+345"), ["<script>", *"9+87", "&"], [*"7+8", "1", "<pad>", "<pad>"]]
outputs = [[*"357", "</s>", "<pad>"], [*"96", "</s>", "<pad>", "<pad>"], [*"15", "</s>", "9", "9"]]
snapshots = np.stack([attention(3, 5, 6) for _ in range(4)])
snapshots[:, 2, :, 4:] = 0
snapshots[:, 2] /= snapshots[:, 2].sum(axis=-1, keepdims=True)
np.save("arrays.npy", np.stack([weights, snapshots[0]]))
np.save("snapshots.npy", snapshots)
"""
FIRST = """attention_view(
    weights, inputs, outputs, targets=["357", "97", "15"], title="덧셈 <b>예시</b>", annotate=True
)"""
SECOND = """attention_view(
    {"바다나우": snapshots, "루옹": snapshots[::-1]}, inputs, outputs,
    over="epochs", epochs=[1, 2, 5, 10], example=1,
)"""


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Run the notebook with nbclient; return its two HTML outputs and the arrays it used."""
    folder = tmp_path_factory.mktemp("view_notebook")
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(code) for code in (SETUP, FIRST, SECOND)]
    NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(folder)}}
    ).execute()
    outputs = []
    for cell in notebook.cells[1:]:
        (output,) = [o for o in cell.outputs if "text/html" in o.get("data", {})]
        outputs.append(output["data"]["text/html"])
        assert "image/png" in output["data"], "the export image is missing from the bundle"
    arrays = np.load(folder / "arrays.npy")
    return {
        "outputs": outputs,
        "weights": arrays[0],
        "snapshots": np.load(folder / "snapshots.npy"),
    }


def _frame_doc(body: str) -> str:
    head = '<!doctype html><html lang="ko"><head><meta charset="utf-8"></head>'
    return f"{head}<body>{body}</body></html>"


LAB_JS = """
// What JupyterLab's and VS Code's HTML renderers do: innerHTML into a detached host, scripts
// re-created one by one (innerHTML does not run them), then the host is attached.
const outputs = JSON.parse(document.getElementById("outputs").textContent);
for (const source of outputs) {
  const host = document.createElement("div");
  host.className = "lab-output";
  host.innerHTML = source;
  for (const old of host.querySelectorAll("script")) {
    const fresh = document.createElement("script");
    for (const a of old.attributes) fresh.setAttribute(a.name, a.value);
    fresh.textContent = old.textContent;
    old.replaceWith(fresh);
  }
  setTimeout(() => document.getElementById("lab").appendChild(host), 50);
}
"""


@pytest.fixture(scope="module")
def host_url(executed: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("view_host")
    first, second = executed["outputs"]
    frames = [_frame_doc(first), _frame_doc(second), _frame_doc(first + second)]
    outputs_json = json.dumps([first, second]).replace("</", "<\\/")
    iframes = "".join(
        f'<iframe sandbox="allow-scripts" title="출력 {i}" style="width:100%;height:900px;'
        f'border:0" srcdoc="{html.escape(doc, quote=True)}"></iframe>'
        for i, doc in enumerate(frames)
    )
    page = (
        '<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>frames</title>'
        f'</head><body>{iframes}<div id="lab"></div>'
        f'<script type="application/json" id="outputs">'
        f"{outputs_json}</script>"
        f"<script>{LAB_JS}</script></body></html>"
    )
    (folder / "index.html").write_text(page, encoding="utf-8")
    with serve_directory(folder) as url:
        yield url


def _frames(page: Any) -> list[Any]:
    iframes = page.locator("iframe")
    return [iframes.nth(i).element_handle().content_frame() for i in range(iframes.count())]


def test_views_boot_alone_in_sandboxed_frames(
    browser: Any, host_url: str, executed: dict[str, Any]
) -> None:
    first, second = (probe.views_in(o)[0] for o in executed["outputs"])
    dialogs: list[str] = []
    with open_probe(browser, host_url) as found:
        page = found.page
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        found.goto("index.html")
        frames = _frames(page)
        assert len(frames) == 3
        for frame, specs in zip(frames, ([first], [second], [first, second]), strict=True):
            probe.wait_booted(frame, specs)
            sandboxed = frame.evaluate(
                "() => { try { return !!parent.document; } catch (e) { return false; } }"
            )
            assert not sandboxed, "the frame should not reach its parent (Colab's sandbox)"
            for spec in specs:
                probe.check_render(frame, spec)
        # Two views in one frame: each drives its own grid only.
        both = frames[2]
        probe.check_axes(both, page, first)
        assert probe.state(both, second)["sliders"]["epoch"]["value"] == 0
        found.screenshot("attention_view_frames")
    assert dialogs == []
    assert found.problems() == {}, found.problems()


def test_numbers_tokens_and_controls_in_a_frame(
    browser: Any, host_url: str, executed: dict[str, Any]
) -> None:
    """Hover, click and keys in the sandboxed frame, checked against the notebook's arrays."""
    first = probe.views_in(executed["outputs"][0])[0]
    second = probe.views_in(executed["outputs"][1])[0]
    weights, snapshots = executed["weights"], executed["snapshots"]
    with open_probe(browser, host_url) as found:
        page = found.page
        found.goto("index.html")
        frame, frame2 = _frames(page)[:2]
        probe.wait_booted(frame, [first])
        # Annotated cells: the accessible name contains the visible number (axe's
        # label-content-name-mismatch flagged "0.015" against ".02").
        pairs = frame.eval_on_selector_all(
            f"#{first.id} .av-cell",
            "cells => cells.map(c => [c.getAttribute('aria-label'), c.textContent])",
        )
        assert pairs and all(text and text in label for label, text in pairs), pairs[:5]
        r, c = probe.check_hover(frame, first)
        shown = frame.locator(f"#{first.id} .av-readout .av-val").text_content()
        # The strongest cell again, now hovered last: the number is the array's own.
        frame.locator(f'#{first.id} .av-cell[data-r="{r}"][data-c="{c}"]').hover()
        shown = frame.locator(f"#{first.id} .av-readout .av-val").text_content()
        assert shown == f"{weights[0, r, c]:.3f}"
        probe.check_click(frame, first)
        probe.check_grid_keys(frame, page, first)
        # Escaped tokens: "<script>" is a column header's text, the title's <b> is text too.
        frame.locator(f"#{first.id} .av-range[data-axis=example]").focus()
        page.keyboard.press("ArrowRight")
        headers = frame.locator(f"#{first.id} .av-col").all_text_contents()
        assert headers == ["<script>", "9", "+", "8", "7", "&"]
        # A long token ("<script>" here, a word such as "도서관에서" in chapter 10) widens its
        # column to fit; one-character columns keep the default cell width.
        fits = frame.eval_on_selector_all(
            f"#{first.id} .av-col", "cols => cols.map(c => c.scrollWidth <= c.clientWidth + 1)"
        )
        assert all(fits), (headers, fits)
        assert frame.locator(f"#{first.id} .av-title").text_content() == "덧셈 <b>예시</b>"
        info = frame.locator(f"#{first.id} .av-info").text_content()
        assert "예측 96" in info and "정답 97" in info and "✗" in info
        page.keyboard.press("ArrowLeft")
        assert "✓" in frame.locator(f"#{first.id} .av-info").text_content()

        probe.wait_booted(frame2, [second])
        timings = probe.check_axes(frame2, page, second)
        assert set(timings) == {"epoch", "example", "step", "model"}
        state = probe.state(frame2, second)
        epoch = state["sliders"]["epoch"]["value"]
        example = state["sliders"]["example"]["value"]
        model = state["sliders"]["model"]["value"]
        array = snapshots if model == 0 else snapshots[::-1]
        frame2.locator(f'#{second.id} .av-cell[data-r="0"][data-c="1"]').hover()
        shown = frame2.locator(f"#{second.id} .av-readout .av-val").text_content()
        assert shown == f"{array[epoch, example, 0, 1]:.3f}"
    assert found.problems() == {}, found.problems()


def test_detached_render_like_jupyterlab(
    browser: Any, host_url: str, executed: dict[str, Any]
) -> None:
    specs = [probe.views_in(o)[0] for o in executed["outputs"]]
    with open_probe(browser, host_url) as found:
        found.goto("index.html")
        page = found.page
        page.wait_for_function("document.querySelectorAll('#lab .attn-view').length === 2")
        probe.wait_booted(page, specs)
        for spec in specs:
            probe.check_render(page, spec)
        probe.check_hover(page, specs[0])
    assert found.problems() == {}, found.problems()


def test_dark_system_and_phone_width(browser: Any, host_url: str, executed: dict[str, Any]) -> None:
    """A bare output frame follows the system's dark mode and fits a 360 px phone."""
    first = probe.views_in(executed["outputs"][0])[0]
    context = browser.new_context(
        viewport={"width": 360, "height": 800}, color_scheme="dark", locale="ko-KR"
    )
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.route(
            "**/*",
            lambda route: (
                route.continue_() if route.request.url.startswith(host_url) else route.abort()
            ),
        )
        page.goto(host_url + "index.html", wait_until="networkidle")
        frame = _frames(page)[0]
        probe.wait_booted(frame, [first])
        colours = frame.evaluate(
            """(id) => {
                const box = document.querySelector("#" + id + " .av-box");
                const lum = (c) => { const [r, g, b] = c.match(/\\d+/g).map(Number);
                    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255; };
                const root = document.getElementById(id);
                return { text: lum(getComputedStyle(box).color),
                         back: lum(getComputedStyle(root).backgroundColor),
                         scheme: getComputedStyle(root).colorScheme,
                         width: document.documentElement.scrollWidth,
                         client: document.documentElement.clientWidth,
                         right: root.getBoundingClientRect().right };
            }""",
            first.id,
        )
        assert colours["scheme"] == "dark" and colours["text"] > 0.7 and colours["back"] < 0.2
        assert colours["width"] <= colours["client"] and colours["right"] <= colours["client"]
        TEST_OUTPUT.mkdir(exist_ok=True)
        frame.locator(f"#{first.id}").screenshot(
            path=str(TEST_OUTPUT / "attention_view_dark_360.png")
        )
        assert errors == []
    finally:
        context.close()
