"""Every image slider (attn_lib.widgets.image_slider) of the built book, in headless Chromium.

Attention explorers are no longer image sliders: they are attention views, tested in
tests/browser/test_explorers.py. Image sliders remain for figures that are not attention
heatmaps (chapter 1's temperature slider). The sliders are found in the built HTML itself (the
saved ipywidgets state), so a new one is tested without touching this file. For each page:

* every slider renders one visible image and its label; the image's alt text is the Korean
  description saved for that position (also after every move);
* the keyboard (ArrowRight / End / Home on the ``.noUi-handle``) and a mouse drag change the
  image and the label, without a kernel;
* the time from the key press to the new image on screen is measured inside the page and must
  stay within :data:`LATENCY_BUDGET_MS` (median per slider);
* the page (HTML with its base64 widget images, plus the PNGs it links) stays within
  :data:`PAGE_BUDGET_BYTES`; token labels are HTML-escaped.

Measurements go to ``test-output/image_slider_timings.json``, screenshots to ``test-output/``.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import statistics
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from tests.conftest import QUICK_HTML, TEST_OUTPUT, PageProbe

pytestmark = [pytest.mark.browser, pytest.mark.slow]

#: Pages that must hold at least one image slider.
SLIDER_PAGES = ("notebooks/01_intro.html",)

LATENCY_BUDGET_MS = 100.0  # the budget: the view changes <= 100 ms after a slider move
LATENCY_SAMPLES = 9  # key presses per slider (odd: the median is one real sample)
PAGE_BUDGET_BYTES = 1_500_000  # HTML (with base64 widget PNGs) + linked images, per page
RENDER_TIMEOUT_MS = 30_000
TIMINGS_JSON = TEST_OUTPUT / "image_slider_timings.json"

SLIDER_CLASS = "attn-image-slider"
STATE_RE = re.compile(
    r'<script type="application/vnd\.jupyter\.widget-state\+json">(.*?)</script>', re.S
)
VIEW_RE = re.compile(
    r'<script type="application/vnd\.jupyter\.widget-view\+json">(.*?)</script>', re.S
)
LABEL_RE = re.compile(r'^<span class="attn-slider-label">([^<>]*)</span>$')
FRAME_ALT_RE = re.compile(r'^<img class="attn-slider-frame" alt="([^"<>]*)"[^<>]*>$')
HANGUL_RE = re.compile(r"[가-힣]")
TITLE_RE = re.compile(r"^<b>([^<>]*)</b>$")
IMG_SRC_RE = re.compile(r"<img\b[^>]*?\bsrc=\"([^\"]+)\"", re.I)


# --- discovery: the sliders saved in a built page -------------------------------------------


@dataclass(frozen=True)
class SliderSpec:
    """One ``image_slider`` as saved in a page's widget state, in page order."""

    index: int  # position among the page's .attn-image-slider elements
    description: str
    value: int  # position shown first
    positions: int
    labels: tuple[str, ...]  # label text per position, as the reader sees it ('' = no labels)
    label_html: tuple[str, ...]  # raw HTML of every label widget
    title_html: str | None  # raw HTML of a bold title above the slider
    alts: tuple[str, ...] = ()  # alt text of every frame's <img>, as a screen reader reads it

    def label_at(self, position: int) -> str:
        return self.labels[position] if self.labels else ""

    def alt_at(self, position: int) -> str:
        return self.alts[position] if self.alts else ""


def _ref(value: str) -> str:
    return value.removeprefix("IPY_MODEL_")


def widget_state(text: str) -> tuple[str, dict[str, Any]]:
    """The raw JSON of a page's saved widget state and its models (both empty if none)."""
    match = STATE_RE.search(text)
    if match is None:
        return "", {}
    return match.group(1), json.loads(match.group(1))["state"]


def sliders_in(text: str) -> list[SliderSpec]:
    """Every image slider reachable from the page's widget views, in document order."""
    _, models = widget_state(text)
    found: list[SliderSpec] = []

    def state(model_id: str) -> dict[str, Any]:
        return models[model_id]["state"]

    def visit(model_id: str, parent: str | None) -> None:
        model = models[model_id]
        children = [_ref(c) for c in model["state"].get("children", [])]
        if SLIDER_CLASS in model["state"].get("_dom_classes", []):
            found.append(describe(children, parent))
            return
        for child in children:
            visit(child, model_id)

    def describe(children: list[str], parent: str | None) -> SliderSpec:
        slider = next(c for c in children if models[c]["model_name"] == "IntSliderModel")
        label_html: list[str] = []
        alts: list[str] = []
        for stack in children:
            kids = [_ref(c) for c in state(stack).get("children", [])]
            if not kids or not all(models[k]["model_name"] == "HTMLModel" for k in kids):
                continue
            values = [state(k)["value"] for k in kids]
            # Frames are HTML widgets too (<img alt>); labels are the stack of label spans.
            frames = [FRAME_ALT_RE.match(value) for value in values]
            if all(frames):
                alts = [html.unescape(match.group(1)) for match in frames if match]
            else:
                label_html = values
        title = None
        if parent is not None:
            titles = [
                state(_ref(c))["value"]
                for c in state(parent)["children"]
                if models[_ref(c)]["model_name"] == "HTMLModel"
            ]
            title = titles[0] if titles else None
        labels = []
        for raw in label_html:
            match = LABEL_RE.match(raw)
            labels.append(html.unescape(match.group(1)) if match else raw)
        description = state(slider)["description"]
        return SliderSpec(
            index=len(found),
            description=description,
            value=int(state(slider)["value"]),
            positions=int(state(slider)["max"]) - int(state(slider)["min"]) + 1,
            labels=tuple(labels),
            label_html=tuple(label_html),
            title_html=title,
            alts=tuple(alts),
        )

    for view in VIEW_RE.findall(text):
        model_id = json.loads(view)["model_id"]
        if model_id in models:
            visit(model_id, None)
    return found


def _html_dir() -> Path:
    return Path(os.environ.get("ATTN_BOOK_HTML", QUICK_HTML))


def slider_pages() -> list[str]:
    """Built pages with a slider, plus the pages that must have one (so a lost one fails)."""
    root = _html_dir()
    found = {
        path.relative_to(root).as_posix()
        for path in root.rglob("*.html")
        if "_static" not in path.parts and SLIDER_CLASS in path.read_text(encoding="utf-8")
    }
    return sorted(found | set(SLIDER_PAGES))


PAGES = slider_pages()


def _specs(built_book_dir: Path, relative: str) -> list[SliderSpec]:
    path = built_book_dir / relative
    assert path.is_file(), f"{relative} was not built"
    specs = sliders_in(path.read_text(encoding="utf-8"))
    assert specs or relative not in SLIDER_PAGES, f"{relative}: no image slider in the built page"
    return specs


def _name(relative: str, spec: SliderSpec) -> str:
    return f"{relative}#{spec.index}"


# --- in-page helpers ---------------------------------------------------------------------------

# The state of slider `index` as the reader sees it.
STATE_JS = """(index) => {
    const root = document.querySelectorAll(".attn-image-slider")[index];
    if (!root) return null;
    const shown = (sel) => [...root.querySelectorAll(sel)].filter((e) => e.offsetParent !== null);
    const imgs = shown("img");
    const labels = shown(".attn-slider-label");
    const handle = root.querySelector(".noUi-handle");
    const img = imgs.length === 1 ? imgs[0] : null;
    return {
        images: imgs.length,
        src: img ? img.src : "",
        alt: img ? img.alt : "",
        ready: img !== null && img.complete && img.naturalWidth > 0 && img.naturalHeight > 0,
        natural: img ? [img.naturalWidth, img.naturalHeight] : [0, 0],
        box: img ? [img.getBoundingClientRect().width, img.getBoundingClientRect().height] : [0, 0],
        label: labels.map((l) => l.textContent).join("|"),
        labelChildren: labels.reduce((n, l) => n + l.children.length, 0),
        scripts: root.querySelectorAll("script").length,
        value: handle ? Math.round(Number(handle.getAttribute("aria-valuenow"))) : null,
    };
}"""

# True once slider `index` shows position `value` (with `label`) in an image other than `src`.
SHOWS_JS = f"""([index, value, label, src, alt]) => {{
    const s = ({STATE_JS})(index);
    return s !== null && s.ready && s.value === value && s.label === label && s.src !== src
        && s.alt === alt;
}}"""

RENDERED_JS = f"""(count) => {{
    const roots = document.querySelectorAll(".attn-image-slider");
    if (roots.length !== count) return false;
    return [...roots.keys()].every((i) => {{ const s = ({STATE_JS})(i); return s && s.ready; }});
}}"""

# Arms one latency measurement on slider `index`: the next keydown starts the clock (its event
# timestamp, taken before any slider code runs); a MutationObserver (no polling) notes when the
# new image and label are in the DOM; then the image's decode, the next animation frame and, via
# the Element Timing API, the time the new image was actually painted.
ARM_JS = """(index) => {
    const root = document.querySelectorAll(".attn-image-slider")[index];
    const shown = (sel) => [...root.querySelectorAll(sel)].filter((e) => e.offsetParent !== null);
    const label = () => shown(".attn-slider-label").map((l) => l.textContent).join("|");
    const first = shown("img")[0];
    const before = { src: first ? first.src : "", label: label() };
    const m = { start: null, dom: null, decoded: null, frame: null, paint: null, label: null };
    window.__attnLatency = m;
    const onKey = (event) => {
        const now = performance.now();
        // event.timeStamp is on the performance.now() clock in Chromium; guard anyway.
        m.start = Math.abs(now - event.timeStamp) < 1000 ? Math.min(now, event.timeStamp) : now;
        window.removeEventListener("keydown", onKey, true);
    };
    window.addEventListener("keydown", onKey, true);
    const check = () => {
        const imgs = shown("img");
        if (m.dom !== null || imgs.length !== 1) return;
        if (imgs[0].src === before.src || label() === before.label) return;
        m.dom = performance.now();
        m.label = label();
        observer.disconnect();
        const img = imgs[0];
        img.setAttribute("elementtiming", "attn-latency");
        new PerformanceObserver((list, po) => {
            for (const entry of list.getEntries()) {
                if (entry.element === img) {
                    m.paint = entry.renderTime || null;
                    po.disconnect();
                }
            }
        }).observe({ type: "element", buffered: true });
        const decoded = () => {
            m.decoded = performance.now();
            requestAnimationFrame(() => { m.frame = performance.now(); });
        };
        img.decode().then(decoded, decoded);
    };
    const observer = new MutationObserver(check);
    observer.observe(root, { subtree: true, childList: true, attributes: true });
    return before;
}"""

# Done when the frame ran and the paint entry arrived (or 500 ms later: no paint entry).
LATENCY_DONE_JS = """() => {
    const m = window.__attnLatency;
    return m.frame !== null && (m.paint !== null || performance.now() - m.frame > 500);
}"""


def _root(probe: PageProbe, spec: SliderSpec) -> Any:
    return probe.page.locator(f".{SLIDER_CLASS}").nth(spec.index)


def _state(probe: PageProbe, spec: SliderSpec) -> dict[str, Any]:
    return probe.page.evaluate(STATE_JS, spec.index)


def _image_hash(probe: PageProbe, spec: SliderSpec) -> str:
    """SHA-256 of a screenshot of the visible image (what the reader sees, not the blob URL)."""
    shot = _root(probe, spec).locator("img:visible").first.screenshot(animations="disabled")
    return hashlib.sha256(shot).hexdigest()


def _open(probe: PageProbe, relative: str, specs: list[SliderSpec]) -> None:
    response = probe.goto(relative)
    assert response is not None and response.ok, f"{relative}: HTTP {response and response.status}"
    try:
        probe.page.wait_for_function(RENDERED_JS, arg=len(specs), timeout=RENDER_TIMEOUT_MS)
    except Exception as error:  # playwright's TimeoutError; report what did render
        count = probe.page.locator(f".{SLIDER_CLASS}").count()
        states = [probe.page.evaluate(STATE_JS, i) for i in range(count)]
        pytest.fail(
            f"{relative}: expected {len(specs)} rendered sliders with an image, found {count}: "
            f"{states}; {probe.problems()} ({type(error).__name__})"
        )


def _wait_shows(probe: PageProbe, spec: SliderSpec, position: int, before_src: str) -> None:
    try:
        probe.page.wait_for_function(
            SHOWS_JS,
            arg=[spec.index, position, spec.label_at(position), before_src, spec.alt_at(position)],
            timeout=10_000,
        )
    except Exception:
        pytest.fail(
            f"slider {spec.index} ({spec.description}) did not show position {position} "
            f"({spec.label_at(position)!r}, alt {spec.alt_at(position)!r}); "
            f"it shows {_state(probe, spec)}"
        )


def _screenshot(probe: PageProbe, relative: str, spec: SliderSpec, suffix: str) -> Path:
    stem = Path(relative).stem
    return probe.screenshot(
        f"image_slider_{stem}_{spec.index}_{suffix}", f".{SLIDER_CLASS} >> nth={spec.index}"
    )


def _fail_unmovable(relative: str, stuck: list[SliderSpec]) -> None:
    """A slider with one position teaches nothing; every slider in the book must move."""
    if stuck:
        names = ", ".join(f"#{s.index} {s.description} ({s.label_at(0)})" for s in stuck)
        pytest.fail(f"{relative}: slider(s) with a single position cannot be moved: {names}")


# --- measurements file ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def report() -> Iterator[dict[str, Any]]:
    """Collects latencies and page weights; written to test-output/image_slider_timings.json."""
    data: dict[str, Any] = {
        "budget_ms": LATENCY_BUDGET_MS,
        "page_budget_bytes": PAGE_BUDGET_BYTES,
        "book": str(_html_dir()),
        "sliders": {},
        "page_weights": {},
    }
    yield data
    TEST_OUTPUT.mkdir(exist_ok=True)
    TIMINGS_JSON.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", "utf-8")


# --- tests on the built HTML --------------------------------------------------------------------


@pytest.mark.parametrize("relative", SLIDER_PAGES)
def test_expected_pages_have_sliders(built_book_dir: Path, relative: str) -> None:
    specs = _specs(built_book_dir, relative)
    assert any(s.positions >= 2 for s in specs), (
        f"{relative}: no slider with two or more positions, nothing to flip through"
    )


@pytest.mark.parametrize("relative", PAGES)
def test_token_labels_are_escaped(built_book_dir: Path, relative: str) -> None:
    text = (built_book_dir / relative).read_text(encoding="utf-8")
    raw_state, _ = widget_state(text)
    # A raw "</script" in a label would end the state <script> early: the JSON would not parse.
    assert not re.search(r"<\s*/?\s*script", raw_state, re.I), f"{relative}: <script> in state"
    for spec in _specs(built_book_dir, relative):
        for raw in spec.label_html:
            assert LABEL_RE.match(raw), f"{relative}#{spec.index}: unescaped label {raw!r}"
        if spec.title_html is not None:
            assert TITLE_RE.match(spec.title_html), f"{relative}: title {spec.title_html!r}"
        assert len(spec.labels) in (0, spec.positions), f"{relative}#{spec.index}: label count"


@pytest.mark.parametrize("relative", PAGES)
def test_every_frame_has_korean_alt_text(built_book_dir: Path, relative: str) -> None:
    for spec in _specs(built_book_dir, relative):
        where = f"{relative}#{spec.index} ({spec.description})"
        assert len(spec.alts) == spec.positions, f"{where}: frames without <img alt>: {spec.alts}"
        bare = [alt for alt in spec.alts if not HANGUL_RE.search(alt)]
        assert not bare, f"{where}: alt texts that are not Korean descriptions: {bare}"


def _local_images(built_book_dir: Path, relative: str, text: str) -> dict[str, int]:
    """Sizes of the local image files the page links (once each)."""
    page_dir = (built_book_dir / relative).parent
    sizes: dict[str, int] = {}
    for src in IMG_SRC_RE.findall(text):
        parts = urlsplit(html.unescape(src))
        if parts.scheme or parts.netloc:
            continue  # data: URIs are inside the HTML already; outside URLs are not allowed
        path = (page_dir / unquote(parts.path)).resolve()
        if path.is_file():
            sizes[path.relative_to(built_book_dir.resolve()).as_posix()] = path.stat().st_size
    return sizes


@pytest.mark.parametrize("relative", PAGES)
def test_page_weight(built_book_dir: Path, relative: str, report: dict[str, Any]) -> None:
    path = built_book_dir / relative
    text = path.read_text(encoding="utf-8")
    images = _local_images(built_book_dir, relative, text)
    html_bytes = path.stat().st_size
    total = html_bytes + sum(images.values())
    report["page_weights"][relative] = {
        "html_bytes": html_bytes,
        "image_bytes": sum(images.values()),
        "images": len(images),
        "total_bytes": total,
    }
    print(f"{relative}: {total / 1e6:.3f} MB (HTML {html_bytes / 1e6:.3f} MB, {len(images)} PNGs)")
    assert total <= PAGE_BUDGET_BYTES, (
        f"{relative}: {total:,} bytes > {PAGE_BUDGET_BYTES:,} (HTML {html_bytes:,}, images "
        f"{sorted(images.items(), key=lambda item: -item[1])[:5]})"
    )


# --- tests in the browser -----------------------------------------------------------------------


@pytest.mark.parametrize("relative", PAGES)
def test_sliders_render(book_page: PageProbe, built_book_dir: Path, relative: str) -> None:
    specs = _specs(built_book_dir, relative)
    _open(book_page, relative, specs)
    for spec in specs:
        _root(book_page, spec).scroll_into_view_if_needed()
        state = _state(book_page, spec)
        where = f"{_name(relative, spec)} ({spec.description})"
        assert state["images"] == 1 and state["ready"], f"{where}: {state}"
        assert min(state["natural"]) > 0 and min(state["box"]) > 0, f"{where}: {state}"
        assert state["value"] == spec.value, f"{where}: {state}"
        assert state["label"] == spec.label_at(spec.value), f"{where}: {state}"
        assert state["alt"] == spec.alt_at(spec.value) and state["alt"], f"{where}: {state}"
        # Escaped labels render as text: no element (let alone a script) inside a label.
        assert state["labelChildren"] == 0 and state["scripts"] == 0, f"{where}: {state}"
        _screenshot(book_page, relative, spec, "initial")
    assert book_page.problems() == {}, f"{relative}: {book_page.problems()}"


@pytest.mark.parametrize("relative", PAGES)
def test_keyboard_moves_slider(book_page: PageProbe, built_book_dir: Path, relative: str) -> None:
    specs = _specs(built_book_dir, relative)
    _open(book_page, relative, specs)
    page = book_page.page
    stuck = []
    for spec in specs:
        handle = _root(book_page, spec).locator(".noUi-handle")
        handle.scroll_into_view_if_needed()
        handle.focus()
        before, before_hash = _state(book_page, spec), _image_hash(book_page, spec)
        if spec.positions < 2:
            stuck.append(spec)
            page.keyboard.press("ArrowRight")
            page.keyboard.press("End")
            page.wait_for_timeout(200)
            after = _state(book_page, spec)
            assert (after["value"], after["label"]) == (before["value"], before["label"])
            continue
        last = spec.positions - 1
        step = spec.value + 1 if spec.value < last else spec.value - 1
        page.keyboard.press("ArrowRight" if step > spec.value else "ArrowLeft")
        _wait_shows(book_page, spec, step, before["src"])
        moved_hash = _image_hash(book_page, spec)
        assert moved_hash != before_hash, f"{_name(relative, spec)}: image looks the same"
        _screenshot(book_page, relative, spec, "keyboard")

        for key, position in (("End", last), ("Home", 0)):
            current = _state(book_page, spec)
            if current["value"] == position:
                continue
            page.keyboard.press(key)
            _wait_shows(book_page, spec, position, current["src"])
        assert _image_hash(book_page, spec) != moved_hash or step == 0
    _fail_unmovable(relative, stuck)
    assert book_page.problems() == {}, f"{relative}: {book_page.problems()}"


def _drag(probe: PageProbe, spec: SliderSpec, to_right: bool) -> None:
    root = _root(probe, spec)
    handle = root.locator(".noUi-handle").bounding_box()
    track = root.locator(".noUi-target").bounding_box()
    assert handle and track, f"slider {spec.index}: no handle or track on screen"
    mouse = probe.page.mouse
    y = handle["y"] + handle["height"] / 2
    mouse.move(handle["x"] + handle["width"] / 2, y)
    mouse.down()
    target = track["x"] + track["width"] + 20 if to_right else track["x"] - 20
    mouse.move(target, y, steps=12)
    mouse.up()


@pytest.mark.parametrize("relative", PAGES)
def test_mouse_drag_moves_slider(book_page: PageProbe, built_book_dir: Path, relative: str) -> None:
    specs = _specs(built_book_dir, relative)
    _open(book_page, relative, specs)
    stuck = []
    for spec in specs:
        _root(book_page, spec).scroll_into_view_if_needed()
        if spec.positions < 2:
            stuck.append(spec)
            continue
        last = spec.positions - 1
        # Drag to the far end first (away from where it starts), then all the way back.
        plan = [(True, last), (False, 0)] if spec.value < last else [(False, 0), (True, last)]
        for to_right, position in plan:
            before, before_hash = _state(book_page, spec), _image_hash(book_page, spec)
            _drag(book_page, spec, to_right)
            _wait_shows(book_page, spec, position, before["src"])
            assert _image_hash(book_page, spec) != before_hash, (
                f"{_name(relative, spec)}: drag to {position}: image looks the same"
            )
        _screenshot(book_page, relative, spec, "mouse")
    _fail_unmovable(relative, stuck)
    assert book_page.problems() == {}, f"{relative}: {book_page.problems()}"


def _measure_once(probe: PageProbe, spec: SliderSpec, key: str) -> dict[str, float]:
    page = probe.page
    page.evaluate(ARM_JS, spec.index)
    page.keyboard.press(key)
    page.wait_for_function(LATENCY_DONE_JS, timeout=10_000)
    m = page.evaluate("window.__attnLatency")
    assert m["start"] is not None, "the key press never reached the page"
    sample = {
        name: round(m[name] - m["start"], 1)
        for name in ("dom", "decoded", "frame", "paint")
        if m[name] is not None
    }
    # On screen: the Element Timing paint time; without it, the frame after the decode.
    sample["visible"] = sample.get("paint", sample["frame"])
    return sample


@pytest.mark.parametrize("relative", PAGES)
def test_slider_latency(
    book_page: PageProbe, built_book_dir: Path, relative: str, report: dict[str, Any]
) -> None:
    specs = _specs(built_book_dir, relative)
    _open(book_page, relative, specs)
    page = book_page.page
    slow = []
    for spec in (s for s in specs if s.positions >= 2):
        handle = _root(book_page, spec).locator(".noUi-handle")
        handle.scroll_into_view_if_needed()
        handle.focus()
        page.wait_for_timeout(300)  # let the scroll settle
        samples = []
        position, direction = spec.value, 1 if spec.value < spec.positions - 1 else -1
        for _ in range(LATENCY_SAMPLES):
            if not 0 <= position + direction < spec.positions:
                direction = -direction
            before = _state(book_page, spec)
            samples.append(
                _measure_once(book_page, spec, "ArrowRight" if direction > 0 else "ArrowLeft")
            )
            position += direction
            _wait_shows(book_page, spec, position, before["src"])
            page.wait_for_timeout(100)
        visible = [s["visible"] for s in samples]
        entry = {
            "description": spec.description,
            "title": html.unescape(TITLE_RE.sub(r"\1", spec.title_html or "")),
            "positions": spec.positions,
            "median_visible_ms": statistics.median(visible),
            "max_visible_ms": max(visible),
            "median_dom_ms": statistics.median(s["dom"] for s in samples),
            "median_frame_ms": statistics.median(s["frame"] for s in samples),
            "paint_timing": all("paint" in s for s in samples),
            "samples": samples,
        }
        report["sliders"][_name(relative, spec)] = entry
        print(
            f"{_name(relative, spec)} {spec.description}: key press -> image visible "
            f"median {entry['median_visible_ms']:.1f} ms, max {entry['max_visible_ms']:.1f} ms "
            f"(in DOM: median {entry['median_dom_ms']:.1f} ms)"
        )
        if entry["median_visible_ms"] > LATENCY_BUDGET_MS:
            slow.append(f"{_name(relative, spec)}: median {entry['median_visible_ms']:.1f} ms")
    stuck = [s for s in specs if s.positions < 2]
    for spec in stuck:
        report["sliders"][_name(relative, spec)] = {
            "description": spec.description,
            "positions": spec.positions,
            "note": "single position: nothing to move, not measured",
        }
    _fail_unmovable(relative, stuck)
    assert book_page.problems() == {}, f"{relative}: {book_page.problems()}"
    assert not slow, f"over the {LATENCY_BUDGET_MS:.0f} ms budget: {slow}"
