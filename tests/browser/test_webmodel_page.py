"""The playground box in headless Chromium, on a generated page (outside requests blocked).

The page is laid out like a book chapter (``notebooks/page.html`` with ``data-content_root``,
files under ``webmodels/``) and holds a chapter-8-sized model (additive attention, bidirectional
encoder, 64 units, the date vocabulary) with random weights: what is checked here is that the page
gives Keras' answers for typed text, shows the attention and the error messages, answers a
keystroke within the latency budget, and works inline in a sandboxed iframe as Colab shows
outputs. The chapter's trained model is checked over the built book once the chapter uses it.
"""

from __future__ import annotations

import html
import json
import statistics
from typing import Any

import pytest

from attn_lib import date_task, greedy_decode
from attn_lib.export import load_export
from attn_lib.playground import playground
from tests.conftest import TEST_OUTPUT, open_probe, serve_directory
from tests.webmodel_helpers import keystroke_latency, random_model

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LATENCY_BUDGET_MS = 50.0
FRESH_LOADS = 3  # the OS can stall one keystroke on a loaded 2-core machine; not three
TYPED = ["2026년 11월 30일 월요일", "30 Nov 2026", "26. 11. 30.", "11/30/2026"]
BOX = ".attn-playground"
FIELD = f"{BOX} input[type=text]"  # the text box (the attention view has a slider input too)


def _page(body: str, content_root: str | None) -> str:
    root = "" if content_root is None else f' data-content_root="{content_root}"'
    return (
        f'<!doctype html><html lang="ko"{root}><head><meta charset="utf-8">'
        f"<title>playground</title></head><body>{body}</body></html>"
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    data = date_task(2000, seed=0)
    model = random_model(data, score="additive", bidirectional=True, units=64)
    root = tmp_path_factory.mktemp("site")
    box = playground(
        model, data, name="dates", mode="files", directory=root / "webmodels", examples=TYPED
    )
    (root / "notebooks").mkdir()
    (root / "notebooks" / "page.html").write_text(_page(box.html, "../"), encoding="utf-8")
    inline = playground(model, data, name="dates", mode="inline", examples=TYPED)
    frame = f'<iframe sandbox="allow-scripts" srcdoc="{html.escape(_page(inline.html, None))}"'
    frame += ' style="width:100%;height:600px"></iframe>'
    (root / "colab.html").write_text(_page(frame, None), encoding="utf-8")
    keras_model = load_export(root / "webmodels" / box.exported.filename).to_keras()
    expected = greedy_decode(keras_model, data.encode_inputs(TYPED), vocab=data.target_vocab)
    with serve_directory(root) as url:
        yield {
            "url": url,
            "root": root,
            "expected": dict(zip(TYPED, expected.texts, strict=True)),
            "data": data,
        }


@pytest.fixture
def probe(browser: Any, site: dict[str, Any]):
    with open_probe(browser, site["url"]) as page_probe:
        yield page_probe


def _ready(target: Any) -> None:
    target.wait_for_selector(f"{BOX}[data-state]", timeout=15_000)


def test_typed_dates_get_keras_answers_and_attention(probe: Any, site: dict[str, Any]) -> None:
    probe.goto("notebooks/page.html")
    page = probe.page
    _ready(page)
    for text in TYPED:
        page.fill(FIELD, text)
        assert page.get_attribute(BOX, "data-state") == "ok"
        assert page.text_content(".attn-playground-output") == site["expected"][text]
        # The attention is an attention view: a row header per output step up to END, a
        # column header per input character, and every row's weights sum to 1.
        view = page.locator(f"{BOX} [data-role=attention] .attn-view.attn-ready")
        assert view.count() == 1
        rows = view.locator(".av-grid .av-rowh").count()
        columns = view.locator(".av-grid .av-col").count()
        assert columns == len(text)
        assert 1 <= rows <= 11
        sums = view.evaluate(
            "(root) => [...root.querySelectorAll('.av-grid .av-row')].slice(1).map((row) =>"
            " [...row.querySelectorAll('.av-cell')].reduce((s, c) => s + Number(c.ariaLabel), 0))"
        )
        assert len(sums) == rows and all(abs(s - 1) < 0.01 for s in sums), sums
        assert view.locator("input.av-range[data-axis=step]").count() == 1
    for text in TYPED:  # the answers Python put on the example buttons are Keras' answers
        button = f"{BOX} button[data-example='{text}']"
        assert page.get_attribute(button, "data-answer") == site["expected"][text]
    page.click(f"{BOX} button[data-example='30 Nov 2026']")
    assert page.input_value(FIELD) == "30 Nov 2026"
    assert page.text_content(".attn-playground-output") == site["expected"]["30 Nov 2026"]
    probe.screenshot("webmodel_playground", BOX)
    assert not probe.problems(), probe.problems()


def test_input_the_model_cannot_take_shows_a_korean_message(probe: Any, site: dict) -> None:
    probe.goto("notebooks/page.html")
    page = probe.page
    _ready(page)
    page.fill(FIELD, "30 Nov 2026!")
    assert page.get_attribute(BOX, "data-state") == "error"
    assert page.get_attribute(BOX, "data-error-code") == "unknown_char"
    message = page.text_content(f"{BOX} [data-role=answer]")
    assert "12번째 글자 '!': 이 모델이 배우지 않은 글자입니다" in message
    assert page.locator(f"{BOX} [data-role=attention]").is_hidden()  # no stale attention
    longest = site["data"].input_length
    page.fill(FIELD, "1" * (longest + 3))
    assert page.get_attribute(BOX, "data-error-code") == "too_long"
    assert f"최대 {longest}글자까지" in page.text_content(f"{BOX} [data-role=answer]")
    page.fill(FIELD, "")
    assert page.get_attribute(BOX, "data-error-code") == "empty"
    page.fill(FIELD, "30 Nov 2026")
    assert page.get_attribute(BOX, "data-state") == "ok"
    assert page.locator(f"{BOX} [data-role=attention] .av-grid").is_visible()
    assert not probe.problems(), probe.problems()


def test_first_answer_after_a_keystroke_is_fast(probe: Any, site: dict[str, Any]) -> None:
    """The first keystroke after a fresh load, over three loads (the median is asserted)."""
    page = probe.page
    loads = []
    for _ in range(FRESH_LOADS):
        probe.goto("notebooks/page.html")
        _ready(page)
        ready_ms = page.evaluate("performance.now()")
        page.fill(FIELD, "30 Nov 202")  # fill() does not type: no keystroke measured
        report = keystroke_latency(page, FIELD, "6", "5")  # "30 Nov 2026", 2025, ...
        report["page_ready_ms"] = ready_ms
        report["runtime_ms"] = float(page.get_attribute(BOX, "data-milliseconds"))
        loads.append(report)
    first = statistics.median(report["first_answered_ms"] for report in loads)
    later = statistics.median(report["later_answered_median_ms"] for report in loads)
    TEST_OUTPUT.mkdir(exist_ok=True)
    (TEST_OUTPUT / "webmodel_latency.json").write_text(json.dumps(loads, indent=2))
    # "answered": keydown -> answer and attention in the DOM (all of the page's work). The next
    # frame is recorded too, but not asserted: under CI load the compositor alone can delay a
    # frame by hundreds of milliseconds on any page.
    assert first <= LATENCY_BUDGET_MS, loads
    assert later <= LATENCY_BUDGET_MS, loads
    assert not probe.problems(), probe.problems()


def test_inline_output_works_in_a_sandboxed_iframe(probe: Any, site: dict[str, Any]) -> None:
    """How Colab shows an output: a sandboxed frame without the book around it."""
    probe.goto("colab.html")
    frame = probe.page.frame_locator("iframe")
    frame.locator(f"{BOX}[data-state=ok]").wait_for(timeout=15_000)
    frame.locator(FIELD).fill("26. 11. 30.")
    assert (
        frame.locator(".attn-playground-output").text_content() == site["expected"]["26. 11. 30."]
    )
    assert not probe.problems(), probe.problems()


def test_works_from_a_book_opened_from_disk(browser: Any, site: dict[str, Any]) -> None:
    """A downloaded book opened as file://: <script> tags load where fetch() would be blocked."""
    context = browser.new_context(locale="ko-KR")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto((site["root"] / "notebooks" / "page.html").as_uri())
        page.wait_for_selector(f"{BOX}[data-state]", timeout=15_000)
        assert page.get_attribute(BOX, "data-state") == "ok"
        page.fill(FIELD, "11/30/2026")
        assert page.text_content(".attn-playground-output") == site["expected"]["11/30/2026"]
    finally:
        context.close()
    assert errors == []
