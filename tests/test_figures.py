"""Figures are real figures: numbered per chapter, a Korean caption, Korean alt text, {numref}.

The convention (docs/CHAPTERS.md, "Figures") is pinned down by a two-chapter book in
tests/data/figure_book, built here with Jupyter Book in strict mode: code-cell metadata
``mystnb.figure`` (name, caption) + ``mystnb.image`` (alt), and a ``{glue:figure}`` with
``:name:`` and ``:alt:``. The other tests read the quick build and the chapter sources; they fail
until every chapter follows the convention.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.slow

FIGURE_BOOK = REPO_ROOT / "tests" / "data" / "figure_book"
CHAPTERS = sorted((REPO_ROOT / "notebooks").glob("*.ipynb"))
CAPTION_NUMBER = re.compile(r"^그림 \d+(\.\d+)?$")
HANGUL = re.compile(r"[가-힣]")
# An alt text that is really a file name or hash (myst-nb's default: the image path).
MACHINE_ALT = re.compile(r"(_images/|\.png|\.svg|[0-9a-f]{16})", re.IGNORECASE)
# A hand-typed figure number in prose or a bold caption line ("**그림 8.4** ...").
HAND_NUMBER = re.compile(r"그림\s*\d+(\.\d+)?")
# Widget frames and attention views are not figures (the interactive views have their own
# tests; an attention view's static first frame carries its own Korean alt text).
WIDGET_CLASSES = re.compile(r"jupyter-widgets|widget-subarea|attn-image-slider|attn-view")


def _figure_problems(img: Tag) -> list[str]:
    """What keeps one chapter image from being a numbered, captioned, described figure."""
    problems = []
    alt = (img.get("alt") or "").strip()
    if not alt or MACHINE_ALT.search(alt) or not HANGUL.search(alt):
        problems.append(f"alt text {alt[:60]!r} is not a Korean description")
    figure = img.find_parent("figure")
    if figure is None:
        return [*problems, "not inside a figure (no number, no caption)"]
    if not figure.get("id"):
        problems.append("figure has no name to reference")
    number = figure.select_one(".caption-number")
    if number is None or not CAPTION_NUMBER.match(number.get_text(strip=True)):
        problems.append(f"no 그림 number (got {number and number.get_text(strip=True)!r})")
    caption = figure.select_one(".caption-text")
    if caption is None or not HANGUL.search(caption.get_text()):
        problems.append("no Korean caption text")
    return problems


def built_figure_problems(page: Path) -> list[str]:
    """Every image in the article of a built page that breaks the figure convention."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article.bd-article")
    assert article is not None, f"{page}: no article"
    problems = []
    for img in article.find_all("img"):
        if img.find_parent(class_=WIDGET_CLASSES):
            continue
        src = str(img.get("src", ""))[:60]
        problems += [f"{src}: {problem}" for problem in _figure_problems(img)]
    return problems


def _markdown_cells(path: Path) -> list[tuple[int, str]]:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    return [
        (index, "".join(cell["source"]))
        for index, cell in enumerate(notebook["cells"])
        if cell["cell_type"] == "markdown"
    ]


def _prose(markdown: str) -> str:
    """Markdown without code spans, code blocks and roles' targets (where numbers are fine)."""
    markdown = re.sub(r"```.*?```", " ", markdown, flags=re.DOTALL)
    return re.sub(r"`[^`]*`", " ", markdown)


def test_figure_convention_builds_numbered_described_figures(tmp_path: Path) -> None:
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    command = [str(jupyter_book), "build", str(FIGURE_BOOK)]
    command += ["--path-output", str(tmp_path), "--warningiserror", "--keep-going"]
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=900, check=False, env=env
    )
    assert result.returncode == 0, f"strict build failed:\n{result.stdout[-3000:]}"
    html = tmp_path / "_build" / "html"
    numbers = {}
    for page in ("first.html", "second.html"):
        soup = BeautifulSoup((html / page).read_text(encoding="utf-8"), "html.parser")
        for figure in soup.select("figure"):
            numbers[figure["id"]] = figure.select_one(".caption-number").get_text(strip=True)
        assert built_figure_problems(html / page) == []
    assert numbers == {
        "fig-first-bars": "그림 1.1",
        "fig-first-curve": "그림 1.2",
        "fig-second-glued": "그림 2.1",
    }
    first = BeautifulSoup((html / "first.html").read_text(encoding="utf-8"), "html.parser")
    refs = [span.get_text() for span in first.select("span.std-numref")]
    assert refs == ["그림 1.1", "그림 1.2", "그림 2.1"]
    bars = first.select_one("#fig-first-bars")
    assert bars.select_one("img")["alt"].startswith("가, 나, 다 세 막대")
    assert bars.select_one(".caption-text strong").get_text() == "가운데 칸"  # MyST in captions
    second = BeautifulSoup((html / "second.html").read_text(encoding="utf-8"), "html.parser")
    caption = second.select_one("#fig-second-glued .caption-text").get_text()
    assert "가장 큰 가중치는 0.90입니다" in caption  # a glued number inside a glued figure


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_built_chapter_figures_are_numbered_captioned_and_described(
    built_book_dir: Path, path: Path
) -> None:
    page = built_book_dir / "notebooks" / f"{path.stem}.html"
    problems = built_figure_problems(page)
    assert not problems, f"{path.name}: {len(problems)} figures break the convention:\n" + (
        "\n".join(problems)
    )


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chapters_refer_to_figures_by_reference(path: Path) -> None:
    """No hand-typed figure numbers ("**그림 8.4** ...", "그림 2.2 가운데"): {numref} instead."""
    found = [
        f"cell {index}: {match.group(0)!r}"
        for index, markdown in _markdown_cells(path)
        for match in HAND_NUMBER.finditer(_prose(markdown))
    ]
    assert not found, f"{path.name}: hand-typed figure numbers: {found}"
