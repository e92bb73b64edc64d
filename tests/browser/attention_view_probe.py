"""Drive an attention view (attn_lib.attention_view) in a page or frame; check it against its data.

Used by the built-book tests (test_explorers.py) and the Colab-style sandboxed iframe test
(test_attention_view_frames.py). Every check takes a Playwright ``Page`` or ``Frame`` (both have
``locator``, ``evaluate`` and ``wait_for_function``) and the view's index in document order, and
compares what the reader sees with the numbers in the view's own payload.
"""

from __future__ import annotations

import json
import re
import statistics
from dataclasses import dataclass
from typing import Any

from attn_lib.attention_view import unpack

VIEW_RE = re.compile(
    r'<div class="attn-view[^"]*" id="([\w-]+)".*?<script type="application/gzip\+base64" '
    r'class="attn-view-data">([A-Za-z0-9+/=]+)</script>',
    re.S,
)
BOOT_TIMEOUT_MS = 20_000


@dataclass(frozen=True)
class ViewSpec:
    """One view found in an HTML text: its container id and its payload."""

    index: int
    id: str
    data: dict[str, Any]

    def panel(self, state: dict[str, int]) -> dict[str, Any]:
        return self.data["panels"][state["model"]][state["epoch"]][state["example"]]

    def weights(self, state: dict[str, int]) -> list[list[int]]:
        """The panel's integer weights as rows (weight * scale)."""
        panel = self.panel(state)
        n = len(self.data["inputs"][state["example"]])
        flat = panel["w"]
        return [flat[i : i + n] for i in range(0, len(flat), n)]

    def sizes(self) -> dict[str, int]:
        d = self.data
        return {"example": len(d["inputs"]), "epoch": len(d["epochs"]), "model": len(d["models"])}

    @property
    def title(self) -> str:
        return self.data["title"] or ""


def views_in(text: str) -> list[ViewSpec]:
    """Every attention view of an HTML text, in document order, with its unpacked payload."""
    return [
        ViewSpec(index, view_id, json.loads(unpack(packed)))
        for index, (view_id, packed) in enumerate(VIEW_RE.findall(text))
    ]


def fmt(value: int, scale: int) -> str:
    """A weight as the view prints it (three decimals)."""
    return f"{value / scale:.3f}"


STATE_JS = """(id) => {
    const root = document.getElementById(id);
    const grid = root && root.querySelector(".av-grid");
    if (!grid) return null;
    const rows = grid.querySelectorAll(".av-row");
    const values = {};
    root.querySelectorAll(".av-range").forEach((r) => {
        values[r.dataset.axis] = { value: Number(r.value), max: Number(r.max),
            text: r.nextElementSibling.textContent };
    });
    return {
        booted: root.dataset.booted || "",
        frame: Number(root.dataset.frame || 0),
        rows: rows.length - 1,
        cols: rows[0].querySelectorAll(".av-col").length,
        cells: grid.querySelectorAll(".av-cell").length,
        rowTokens: [...grid.querySelectorAll(".av-rowh")].map((h) => h.textContent),
        colTokens: [...grid.querySelectorAll(".av-col")].map((h) => h.textContent),
        current: [...grid.querySelectorAll(".av-rowh")].findIndex((h) =>
            h.classList.contains("av-cur")),
        sliders: values,
        info: root.querySelector(".av-info").textContent,
        readout: root.querySelector(".av-readout").textContent,
        staticShown: root.querySelector(".attn-view-static").offsetParent !== null,
    };
}"""


def state(scope: Any, spec: ViewSpec) -> dict[str, Any]:
    return scope.evaluate(STATE_JS, spec.id)


def wait_booted(scope: Any, specs: list[ViewSpec]) -> None:
    ids = [s.id for s in specs]
    scope.wait_for_function(
        """(ids) => ids.every((id) => {
            const root = document.getElementById(id);
            return root && root.dataset.booted === "1" && root.querySelector(".av-cell");
        })""",
        arg=ids,
        timeout=BOOT_TIMEOUT_MS,
    )


def _root(scope: Any, spec: ViewSpec) -> Any:
    return scope.locator(f"#{spec.id}")


def _shown(token: str) -> str:
    return "␣" if token == " " else token


def check_render(scope: Any, spec: ViewSpec) -> None:
    """The start panel is drawn: its tokens as headers, one cell per weight, fallback hidden."""
    start = spec.data["start"]
    s = state(scope, spec)
    panel = spec.panel(start)
    inputs = spec.data["inputs"][start["example"]]
    assert s["booted"] == "1", f"view {spec.index} did not boot: {s}"
    assert s["rowTokens"] == [_shown(t) for t in panel["o"]], s
    assert s["colTokens"] == [_shown(t) for t in inputs], s
    assert s["cells"] == len(panel["w"]) == len(panel["o"]) * len(inputs), s
    assert not s["staticShown"], "the static fallback image is still visible"
    assert s["current"] == start["step"] - 1, s
    for axis, size in spec.sizes().items():
        assert (axis in s["sliders"]) == (size > 1), f"{axis}: {size} positions, {s['sliders']}"
    assert "step" in s["sliders"], s


def check_hover(scope: Any, spec: ViewSpec) -> tuple[int, int]:
    """Hovering the strongest cell and a weak one shows their exact weights and tokens."""
    start = spec.data["start"]
    rows = spec.weights(start)
    scale = spec.data["scale"]
    panel = spec.panel(start)
    inputs = spec.data["inputs"][start["example"]]
    r, c = max(
        ((i, j) for i in range(len(rows)) for j in range(len(rows[0]))),
        key=lambda rc: rows[rc[0]][rc[1]],
    )
    weak = min(
        ((i, j) for i in range(len(rows)) for j in range(len(rows[0]))),
        key=lambda rc: rows[rc[0]][rc[1]],
    )
    for i, j in ((r, c), weak):
        cell = _root(scope, spec).locator(f'.av-cell[data-r="{i}"][data-c="{j}"]')
        cell.scroll_into_view_if_needed()
        cell.hover()
        value = _root(scope, spec).locator(".av-readout .av-val")
        assert value.text_content() == fmt(rows[i][j], scale), (i, j, value.text_content())
        readout = _root(scope, spec).locator(".av-readout").text_content()
        assert f"‘{_shown(panel['o'][i])}’" in readout and f"‘{_shown(inputs[j])}’" in readout
    return r, c


def check_click(scope: Any, spec: ViewSpec) -> None:
    """An output token shades the inputs by its row; an input token shades the outputs."""
    start = spec.data["start"]
    rows = spec.weights(start)
    scale = spec.data["scale"]
    root = _root(scope, spec)
    r = max(range(len(rows)), key=lambda i: max(rows[i]))
    if start["step"] == r + 1:  # clicking the current step would clear it
        root.locator(".av-rowh").nth(r).click()
    root.locator(".av-rowh").nth(r).click()
    strip = root.locator(".av-strip-in .av-tok")
    shaded = strip.evaluate_all("(ts) => ts.map((t) => [t.dataset.w, t.style.backgroundColor])")
    assert [w for w, _ in shaded] == [fmt(v, scale) for v in rows[r]], shaded
    strongest = max(range(len(rows[r])), key=lambda j: rows[r][j])
    weakest = min(range(len(rows[r])), key=lambda j: rows[r][j])
    if rows[r][strongest] != rows[r][weakest]:
        assert shaded[strongest][1] != shaded[weakest][1], "strip tokens are not shaded by weight"
    assert state(scope, spec)["current"] == r
    c = strongest
    root.locator(".av-col").nth(c).click()
    outs = root.locator(".av-strip-out .av-tok").evaluate_all("(ts) => ts.map((t) => t.dataset.w)")
    assert outs == [fmt(row[c], scale) for row in rows], outs
    assert root.locator(".av-col.av-pick").count() == 1
    root.locator(".av-col").nth(c).click()  # again: cleared
    assert root.locator(".av-col.av-pick").count() == 0
    assert root.locator(".av-strip-out .av-tok[data-w]").count() == 0


# Time from a key press to the first animation frame after the view redrew (data-frame bumped).
ARM_JS = """(id) => {
    const root = document.getElementById(id);
    const m = { start: null, dom: null, frame: null };
    window.__attnViewLatency = m;
    const before = root.dataset.frame;
    const onKey = (event) => {
        const now = performance.now();
        m.start = Math.abs(now - event.timeStamp) < 1000 ? Math.min(now, event.timeStamp) : now;
        window.removeEventListener("keydown", onKey, true);
    };
    window.addEventListener("keydown", onKey, true);
    const observer = new MutationObserver(() => {
        if (root.dataset.frame === before || m.dom !== null) return;
        m.dom = performance.now();
        observer.disconnect();
        requestAnimationFrame(() => { m.frame = performance.now(); });
    });
    observer.observe(root, { attributes: true, attributeFilter: ["data-frame"] });
}"""


def press_axis(scope: Any, page: Any, spec: ViewSpec, axis: str) -> dict[str, float]:
    """Press an arrow key on one slider; check the view moved; return the timings (ms)."""
    before = state(scope, spec)
    slider = before["sliders"][axis]
    key, delta = ("ArrowRight", 1) if slider["value"] < slider["max"] else ("ArrowLeft", -1)
    handle = _root(scope, spec).locator(f'.av-range[data-axis="{axis}"]')
    handle.focus()
    scope.evaluate(ARM_JS, spec.id)
    page.keyboard.press(key)
    scope.wait_for_function("() => window.__attnViewLatency.frame !== null", timeout=5_000)
    timing = scope.evaluate("window.__attnViewLatency")
    after = state(scope, spec)
    moved = after["sliders"][axis]
    assert moved["value"] == slider["value"] + delta, f"{axis}: {slider} -> {moved}"
    assert moved["text"] != slider["text"], f"{axis}: the readout did not change: {moved}"
    if axis == "step":
        assert after["current"] == moved["value"] - 1, after
    else:
        position = {a: after["sliders"][a]["value"] for a in after["sliders"] if a != "step"}
        now = {**spec.data["start"], **position}
        panel = spec.panel(now)
        assert after["rowTokens"] == [_shown(t) for t in panel["o"]], (axis, after)
        assert after["colTokens"] == [_shown(t) for t in spec.data["inputs"][now["example"]]]
    return {"dom": timing["dom"] - timing["start"], "frame": timing["frame"] - timing["start"]}


def check_axes(scope: Any, page: Any, spec: ViewSpec, samples: int = 1) -> dict[str, Any]:
    """Arrow keys move every slider; the median key-to-frame time per axis."""
    result = {}
    for axis in state(scope, spec)["sliders"]:
        times = [press_axis(scope, page, spec, axis) for _ in range(samples)]
        result[axis] = {
            "median_frame_ms": round(statistics.median(t["frame"] for t in times), 1),
            "max_frame_ms": round(max(t["frame"] for t in times), 1),
            "median_dom_ms": round(statistics.median(t["dom"] for t in times), 1),
        }
    return result


def check_grid_keys(scope: Any, page: Any, spec: ViewSpec) -> None:
    """Tab into the grid, arrows walk the cells (the readout follows), Enter picks a row."""
    root = _root(scope, spec)
    entry = root.locator('.av-grid [tabindex="0"]')
    assert entry.count() == 1, "the grid needs exactly one tab stop"
    entry.focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowRight")
    focused = scope.evaluate(
        """(id) => { const a = document.activeElement;
            return a && a.closest("#" + id) ? [a.getAttribute("role"), a.dataset.r, a.dataset.c]
                : null; }""",
        spec.id,
    )
    assert focused is not None and focused[0] == "gridcell", focused
    r, c = int(focused[1]), int(focused[2])
    now = {
        **spec.data["start"],
        **{a: v["value"] for a, v in state(scope, spec)["sliders"].items()},
    }
    value = root.locator(".av-readout .av-val").text_content()
    assert value == fmt(spec.weights(now)[r][c], spec.data["scale"])
    before = state(scope, spec)["current"]
    page.keyboard.press("Enter")
    if before == r:  # Enter on the current step clears it, as a click does (see check_click)
        assert state(scope, spec)["current"] == -1
        page.keyboard.press("Enter")
    assert state(scope, spec)["current"] == r
    page.keyboard.press("Escape")
    assert state(scope, spec)["current"] == -1
