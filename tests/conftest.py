"""Shared fixtures: repository paths, the quick-built book, a local web server and a browser page.

The book fixtures read the QUICK build (``make quick``, which ``make test`` runs first) at
``_build/quick/_build/html``; set ``ATTN_BOOK_HTML`` to test another build. Browser fixtures drive
Debian's Chromium (``/usr/bin/chromium`` or ``ATTN_BOOK_CHROMIUM``) with Playwright, block every
request that does not go to the local server and count it.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import matplotlib
import pytest
import yaml

matplotlib.use("Agg")  # tests never open windows

REPO_ROOT = Path(__file__).resolve().parent.parent
QUICK_HTML = REPO_ROOT / "_build" / "quick" / "_build" / "html"
FULL_HTML = REPO_ROOT / "_build" / "html"
QUICK_BUILD_LOG = REPO_ROOT / "_build" / "quick" / "build.log"
TEST_OUTPUT = REPO_ROOT / "test-output"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def toc_files(toc_path: Path = REPO_ROOT / "_toc.yml") -> list[str]:
    """Return every document of _toc.yml (root first), as paths without extension."""
    toc = yaml.safe_load(toc_path.read_text(encoding="utf-8"))
    files = [toc["root"]]

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "file" in node:
                files.append(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(toc.get("parts", toc.get("chapters", [])))
    return [re.sub(r"\.(md|ipynb)$", "", f) for f in files]


def book_pages() -> list[str]:
    """Every HTML page a reader can reach: one per toc entry, plus Sphinx's index and search."""
    return [f"{name}.html" for name in toc_files()] + ["genindex.html", "search.html"]


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository's root folder."""
    return REPO_ROOT


@pytest.fixture(scope="session")
def built_book_dir() -> Path:
    """The quick build's HTML folder; fails (does not skip) when the book was not built."""
    html_dir = Path(os.environ.get("ATTN_BOOK_HTML", QUICK_HTML))
    if not (html_dir / "index.html").is_file():
        pytest.fail(
            f"no built book at {html_dir}: run `make quick` first (`make test` does it for you)",
            pytrace=False,
        )
    return html_dir


@pytest.fixture(scope="session", params=["quick", "full"])
def executed_build_dir(request: pytest.FixtureRequest) -> Path:
    """The HTML folder of the quick build, then of the full build (``make test`` builds both).

    Tests of what the executed notebooks printed run against both: the full build is where the
    book's numbers, verdicts and claim checks come from.
    """
    if request.param == "quick":
        html_dir = Path(os.environ.get("ATTN_BOOK_HTML", QUICK_HTML))
        command = "make quick"
    else:
        html_dir = Path(os.environ.get("ATTN_BOOK_FULL_HTML", FULL_HTML))
        command = "make book"
    if not (html_dir / "index.html").is_file():
        pytest.fail(f"no {request.param} build at {html_dir}: run `{command}` first", pytrace=False)
    return html_dir


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serve_directory(directory: Path) -> Iterator[str]:
    """Serve a folder on 127.0.0.1 (random free port); yield its base URL ending in '/'."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="book-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def served_book_url(built_book_dir: Path) -> Iterator[str]:
    """Serve the built book on 127.0.0.1 (random free port); yield its base URL ending in '/'."""
    with serve_directory(built_book_dir) as url:
        yield url


@pytest.fixture(scope="session")
def ko_search_book_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """HTML of the mini Korean book (tests/data/ko_search_book), built once per session."""
    from tests.ko_search_helpers import build_mini_book

    return build_mini_book(tmp_path_factory.mktemp("ko_search_book"))


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """A headless Debian Chromium driven by Playwright (no browser download needed)."""
    from playwright.sync_api import sync_playwright

    executable = os.environ.get("ATTN_BOOK_CHROMIUM", "/usr/bin/chromium")
    if not Path(executable).is_file():
        pytest.fail(
            f"Chromium not found at {executable}: `make test` installs Debian's chromium",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield instance
        finally:
            instance.close()


@dataclass
class PageProbe:
    """A browser page plus everything it did wrong: console errors, outside or failed requests."""

    page: Any
    base_url: str
    console_errors: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    local_requests: list[str] = field(default_factory=list)

    def goto(self, relative: str) -> Any:
        """Open a page of the book and wait until the network is idle."""
        response = self.page.goto(self.base_url + relative, wait_until="networkidle")
        self.page.evaluate("document.fonts.ready.then(() => true)")
        return response

    def problems(self) -> dict[str, list[str]]:
        """Non-empty lists of what went wrong so far, for assertion messages."""
        found = {
            "console errors": self.console_errors,
            "requests outside the book": self.outside_requests,
            "failed requests": self.failed_requests,
        }
        return {name: items for name, items in found.items() if items}

    def screenshot(self, name: str, selector: str | None = None) -> Path:
        """Save a screenshot (of one element, or the whole page) under test-output/."""
        TEST_OUTPUT.mkdir(exist_ok=True)
        path = TEST_OUTPUT / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', name)}.png"
        if selector is None:
            self.page.screenshot(path=str(path), full_page=True)
        else:
            self.page.locator(selector).first.screenshot(path=str(path))
        return path


@contextlib.contextmanager
def open_probe(browser: Any, base_url: str) -> Iterator[PageProbe]:
    """A fresh page that blocks (and counts) every request not aimed at ``base_url``'s server."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ko-KR")
    page = context.new_page()
    probe = PageProbe(page=page, base_url=base_url)
    origin = urlsplit(base_url).netloc

    def route(route: Any) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob") or parts.netloc == origin:
            probe.local_requests.append(url)
            route.continue_()
        else:
            probe.outside_requests.append(url)
            route.abort()

    page.route("**/*", route)
    page.on(
        "console",
        lambda msg: (
            probe.console_errors.append(f"{msg.text} @ {msg.location.get('url', '')}")
            if msg.type == "error"
            else None
        ),
    )
    page.on("pageerror", lambda error: probe.console_errors.append(f"page error: {error}"))

    def on_response(response: Any) -> None:
        if response.status >= 400:
            probe.failed_requests.append(f"{response.status} {response.url}")

    page.on("response", on_response)
    page.on(
        "requestfailed",
        lambda request: (
            None
            if request.url in probe.outside_requests
            else probe.failed_requests.append(f"{request.failure} {request.url}")
        ),
    )
    try:
        yield probe
    finally:
        context.close()


@pytest.fixture
def book_page(browser: Any, served_book_url: str) -> Iterator[PageProbe]:
    """A fresh page that blocks (and counts) every request not aimed at the local book server."""
    with open_probe(browser, served_book_url) as probe:
        yield probe
