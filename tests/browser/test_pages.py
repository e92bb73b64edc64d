"""Every page of the quick-built book in headless Chromium: offline, error-free, in NanumGothic.

Needs the quick build (`make quick`) and Debian's chromium; `make test` provides both.
Screenshots land in test-output/.
"""

from __future__ import annotations

import pytest

from tests.conftest import PageProbe, book_pages

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FONT_FAMILY = "NanumGothic"
INTRO_PAGE = "notebooks/01_intro.html"


@pytest.mark.parametrize("relative", book_pages())
def test_page_is_offline_and_error_free(book_page: PageProbe, relative: str) -> None:
    response = book_page.goto(relative)
    assert response is not None and response.ok, f"{relative}: HTTP {response and response.status}"
    book_page.screenshot(relative)
    assert book_page.problems() == {}, f"{relative}: {book_page.problems()}"
    assert book_page.page.evaluate("document.documentElement.lang") == "ko"


@pytest.mark.parametrize("relative", book_pages())
def test_hangul_uses_bundled_font(book_page: PageProbe, relative: str) -> None:
    book_page.goto(relative)
    state = book_page.page.evaluate(
        """(family) => {
            const faces = [...document.fonts].filter((f) => f.family.replace(/"/g, "") === family);
            const heading = document.querySelector("main h1, article h1, h1");
            return {
                faces: faces.map((f) => f.status),
                check: document.fonts.check(`16px ${family}`, "한글"),
                body: getComputedStyle(document.body).fontFamily,
                heading: heading ? getComputedStyle(heading).fontFamily : "",
            };
        }""",
        FONT_FAMILY,
    )
    assert state["faces"] == ["loaded"], f"{relative}: @font-face {FONT_FAMILY} not loaded: {state}"
    assert state["check"], f"{relative}: Hangul cannot render with {FONT_FAMILY}: {state}"
    for element in ("body", "heading"):
        first = state[element].split(",")[0].strip().strip("\"'")
        assert first == FONT_FAMILY, f"{relative}: {element} font is {state[element]}"
    woff = [url for url in book_page.local_requests if url.endswith("NanumGothic.woff")]
    assert woff, f"{relative}: the font was not fetched from the book itself"


def _visible_image_src(probe: PageProbe) -> str:
    return probe.page.evaluate(
        """() => {
            const box = document.querySelector(".attn-image-slider");
            const imgs = box ? [...box.querySelectorAll("img")] : [];
            const shown = imgs.filter((img) => img.offsetParent !== null && img.naturalWidth > 0);
            return shown.length === 1 ? shown[0].src : `visible images: ${shown.length}`;
        }"""
    )


def _visible_label(probe: PageProbe) -> str:
    return probe.page.evaluate(
        """() => {
            const all = document.querySelectorAll(".attn-image-slider .attn-slider-label");
            const shown = [...all].filter((l) => l.offsetParent !== null);
            return shown.map((l) => l.textContent).join("|");
        }"""
    )


def test_intro_slider_changes_image_without_kernel(book_page: PageProbe) -> None:
    book_page.goto(INTRO_PAGE)
    page = book_page.page
    handle = page.locator(".attn-image-slider .widget-slider .noUi-handle")
    handle.wait_for(state="visible", timeout=20_000)
    # A Stack renders only the selected child: exactly one image is on screen at a time.
    page.locator(".attn-image-slider img").first.wait_for(state="visible", timeout=20_000)
    before_src, before_label = _visible_image_src(book_page), _visible_label(book_page)
    assert before_src.startswith(("blob:", "data:")), before_src
    assert before_label == "T = 1", before_label
    book_page.screenshot("intro_slider_before", ".attn-image-slider")

    handle.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        """(before) => {
            const box = document.querySelector(".attn-image-slider");
            const shown = [...box.querySelectorAll("img")].filter((i) => i.offsetParent !== null);
            return shown.length === 1 && shown[0].src !== before;
        }""",
        arg=before_src,
        timeout=10_000,
    )
    after_src, after_label = _visible_image_src(book_page), _visible_label(book_page)
    book_page.screenshot("intro_slider_after", ".attn-image-slider")
    assert after_src != before_src
    assert after_label == "T = 2", after_label
    assert book_page.problems() == {}, book_page.problems()


def test_widget_bundles_fetch_icon_fonts_from_the_book(book_page: PageProbe) -> None:
    """embed-amd.js holds two bundles; the one defined as "@jupyter-widgets/html-manager" runs only
    when something requires that name. Its Font Awesome faces must come from the vendored folder
    too (before widgets-compat.js mapped that name they were requested from the page's folder:
    one 404 per font, seen in CI)."""
    book_page.goto(INTRO_PAGE)
    book_page.page.evaluate(
        """() => new Promise((resolve, reject) => {
            window.require(["@jupyter-widgets/html-manager"], () => {
                const icon = document.createElement("i");
                icon.className = "fa fa-play";  // a glyph of the bundle's icon font
                document.body.prepend(icon);
                document.fonts.ready.then(() => resolve(true));
            }, reject);
        })"""
    )
    book_page.page.wait_for_timeout(500)
    assert book_page.problems() == {}, book_page.problems()
    icon_fonts = [u for u in book_page.local_requests if "/vendor/html-manager/" in u]
    assert any(u.endswith((".woff2", ".woff")) for u in icon_fonts), book_page.local_requests
