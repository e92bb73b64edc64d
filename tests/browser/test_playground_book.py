"""Every "try it yourself" box of the built book, in headless Chromium (outside requests blocked).

The pages are found from the chapters' sources: a notebook that calls ``playground(`` must build
into a page whose boxes load their model from ``webmodels/`` (published by
``book/_ext/webmodels.py``), answer every example exactly as Keras did when the chapter ran
(``data-answer``, written by ``attn_lib.playground``), show the Korean message for an unknown
character and for a too long input, answer a keystroke within the budget, and log nothing to the
console. While no chapter calls it, the parametrised test is reported as skipped.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import REPO_ROOT, TEST_OUTPUT, PageProbe
from tests.webmodel_helpers import keystroke_latency

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LATENCY_BUDGET_MS = 50.0
MODEL_BUDGET_BYTES = 600_000
BOX = ".attn-playground"


def playground_pages() -> list[str]:
    """Built pages of the chapters whose code cells call ``playground(``."""
    pages = []
    for notebook in sorted((REPO_ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        sources = ("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        if any("playground(" in source for source in sources):
            pages.append(f"notebooks/{notebook.stem}.html")
    return pages


@pytest.mark.parametrize("page_name", playground_pages())
def test_playground_boxes_of_the_book(book_page: PageProbe, page_name: str) -> None:
    book_page.goto(page_name)
    page = book_page.page
    boxes = page.locator(BOX)
    assert boxes.count() >= 1, f"{page_name}: the chapter calls playground() but shows no box"
    page.wait_for_function(
        f"[...document.querySelectorAll('{BOX}')].every((box) => box.dataset.state)",
        timeout=30_000,
    )
    timings = {}
    for index in range(boxes.count()):
        box = boxes.nth(index)
        assert box.get_attribute("data-state") == "ok", box.text_content()
        for name in box.get_attribute("data-attn-files").split():
            url = f"{book_page.base_url}webmodels/{name}"
            assert url in book_page.local_requests, f"{name} was not loaded from webmodels/"
            if not name.startswith("attn_playground-"):
                size = len(page.request.get(url).body())
                assert size <= MODEL_BUDGET_BYTES, f"{name}: {size} bytes"
        buttons = box.locator("button[data-example]")
        assert buttons.count() >= 1, "every box offers examples"
        for b in range(buttons.count()):
            buttons.nth(b).click()
            assert box.get_attribute("data-state") == "ok"
            shown = box.locator(".attn-playground-output").text_content()
            assert shown == buttons.nth(b).get_attribute("data-answer")
            view = box.locator("[data-role=attention] .attn-view.attn-ready")
            assert view.locator(".av-grid .av-rowh").count() >= 1  # the attention view
            assert view.locator(".av-grid .av-col").count() >= 1
        field = box.locator("input[type=text]")
        example = buttons.nth(0).get_attribute("data-example")
        field.fill(example + "§")
        assert box.get_attribute("data-error-code") == "unknown_char"
        assert "이 모델이 배우지 않은 글자입니다" in box.text_content()
        field.fill(example * 50)  # known characters only, far too many
        assert box.get_attribute("data-error-code") == "too_long"
        assert "글자까지 넣을 수 있습니다" in box.text_content()
        field.fill(example)
        box_id = box.get_attribute("id")
        key = example[-1] if example[-1].isascii() and example[-1].isalnum() else "1"
        timings[box_id] = keystroke_latency(page, f"#{box_id}-input", "Backspace", key)
        # Like the explorers' test: the median keystroke (the first one is recorded).
        assert timings[box_id]["later_answered_median_ms"] <= LATENCY_BUDGET_MS, timings
    book_page.screenshot(f"playground_{page_name}", BOX)
    TEST_OUTPUT.mkdir(exist_ok=True)
    out = TEST_OUTPUT / "playground_timings.json"
    recorded: dict[str, Any] = json.loads(out.read_text()) if out.is_file() else {}
    recorded[page_name] = timings
    out.write_text(json.dumps(recorded, indent=2))
    assert not book_page.problems(), book_page.problems()
