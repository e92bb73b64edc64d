"""Static checks of every chapter notebook against docs/CHAPTERS.md (no execution, fast).

The chapters are the notebooks listed in _toc.yml. Set ``ATTN_CHAPTERS_ALL=1`` to check every
``notebooks/*.ipynb`` instead, including drafts that are not in the table of contents yet.
Every test is parametrised per notebook, so a failure names the chapter.
"""

from __future__ import annotations

import json
import os
import re
from functools import cache
from pathlib import Path

import nbformat
import pytest

from tests.conftest import REPO_ROOT, toc_files

INTRO = REPO_ROOT / "notebooks" / "01_intro.ipynb"
REFERENCES = REPO_ROOT / "book" / "references.bib"
GLOSSARY = REPO_ROOT / "book" / "glossary.md"

REQUIRED_HEADINGS = ("## 학습 목표", "## 요약", "## 연습문제")
MIN_EXERCISES = 3
MIN_HANGUL_SHARE = 0.5

#: Words that name a paper or its result; a notebook that uses one must cite something.
PAPER_MARKERS = re.compile(
    r"BLEU|Bahdanau|Sutskever|Zaremba|Graves|Luong|\bCho\b|Vaswani|Hochreiter"
    r"|바다나우|수츠케버|자렘바|그레이브스|루옹|바스와니|호흐라이터"
)

#: Forbidden synonym -> the glossary term to write instead (book/glossary.md).
FORBIDDEN_SYNONYMS: dict[str, str] = {
    "주의 메커니즘": "어텐션",
    "주의 기법": "어텐션",
    "주의집중": "어텐션",
    "주의 집중": "어텐션",
    "주의 가중치": "어텐션 가중치",
    "컨텍스트 벡터": "문맥 벡터",
    "맥락 벡터": "문맥 벡터",
    "티처 포싱": "교사 강요",
    "교사 강제": "교사 강요",
    "에포크": "에폭",
    "히든 스테이트": "은닉 상태",
    "은닉상태": "은닉 상태",
    "보틀넥": "병목",
    "얼라인먼트": "정렬",
    "그리디 디코딩": "탐욕 디코딩",
    "점곱 어텐션": "내적 어텐션",
    "덧셈 어텐션": "가산 어텐션",
    "스코어 함수": "점수 함수",
    "열지도": "히트맵",
    "장기 의존성": "장거리 의존성",
    "스택 LSTM": "적층 LSTM",
    "스택형 LSTM": "적층 LSTM",
    "입력 반전": "입력 뒤집기",
    "기울기 클리핑": "기울기 자르기",
}

CITE_ROLE = re.compile(r"\{cite(?::[a-z]+)?\}`([^`]*)`")
GLUE_ROLE = re.compile(r"\{glue(?::[a-z]+)?\}`([^`]*)`")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$", re.MULTILINE)
NUMBERED_ITEM = re.compile(r"^(\d+)\.\s+\S", re.MULTILINE)


def chapter_paths() -> list[Path]:
    """The notebooks under test: the toc's chapters, or all notebooks with ATTN_CHAPTERS_ALL=1."""
    if os.environ.get("ATTN_CHAPTERS_ALL", "").strip() in ("1", "true", "yes"):
        return sorted((REPO_ROOT / "notebooks").glob("*.ipynb"))
    return [REPO_ROOT / f"{entry}.ipynb" for entry in toc_files() if entry.startswith("notebooks/")]


CHAPTERS = chapter_paths()
chapters = pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])


@cache
def _read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def _markdown(path: Path) -> str:
    return "\n\n".join(c.source for c in _read(path).cells if c.cell_type == "markdown")


def _code(path: Path) -> str:
    return "\n\n".join(c.source for c in _read(path).cells if c.cell_type == "code")


def _section(markdown: str, heading: str) -> str:
    """The text under ``heading`` up to the next heading of the same or a higher level."""
    level = len(heading) - len(heading.lstrip("#"))
    lines = markdown.splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip() == heading), None)
    if start is None:
        return ""
    body = []
    for line in lines[start + 1 :]:
        match = HEADING.match(line)
        if match and len(match.group(1)) <= level:
            break
        body.append(line)
    return "\n".join(body)


def prose(markdown: str) -> str:
    """Markdown without code, maths, MyST roles and directives, links and HTML: the prose."""
    text = re.sub(r"```.*?```", " ", markdown, flags=re.DOTALL)
    text = re.sub(r"\$\$.*?\$\$", " ", text, flags=re.DOTALL)
    text = re.sub(r"\$[^$\n]+\$", " ", text)
    text = re.sub(r"\{[a-z:-]+\}`[^`]*`", " ", text)  # {cite}`...`, {glue:text}`...`
    text = re.sub(r"`[^`]*`", " ", text)
    text = re.sub(r"^:::.*$|^:[a-z-]+:.*$", " ", text, flags=re.MULTILINE)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    text = re.sub(r"https?://\S+", " ", text)
    return re.sub(r"<[^>]+>", " ", text)


def hangul_share(text: str) -> float:
    """Share of Hangul among the letters of ``text`` (1.0 when there are no letters)."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return 1.0
    hangul = sum(
        "\uac00" <= ch <= "\ud7a3" or "\u1100" <= ch <= "\u11ff" or "\u3130" <= ch <= "\u318f"
        for ch in letters
    )
    return hangul / len(letters)


def bib_keys() -> set[str]:
    """Citation keys defined in book/references.bib."""
    text = REFERENCES.read_text(encoding="utf-8")
    return set(re.findall(r"^@\w+\s*\{\s*([^,\s]+)\s*,", text, flags=re.MULTILINE))


def glossary_terms() -> set[str]:
    """The Korean terms of book/glossary.md's table (first column)."""
    terms = set()
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        is_row = line.lstrip().startswith("|") and cells[0] not in ("", "한국어")
        if is_row and not set(cells[0]) <= set("-: "):
            terms.add(cells[0])
    return terms


# ---------------------------------------------------------------------------- the helpers


def test_there_are_chapters() -> None:
    assert CHAPTERS, "no chapter notebook found in _toc.yml"
    missing = [p.name for p in CHAPTERS if not p.is_file()]
    assert missing == [], f"_toc.yml lists notebooks that do not exist: {missing}"


def test_prose_filter_and_hangul_share() -> None:
    text = (
        "## 요약\n어텐션(attention)은 $\\alpha$ {cite}`vaswani2017attention` `code`\n"
        "```\nx = 1\n```"
    )
    assert (
        "alpha" not in prose(text) and "vaswani" not in prose(text) and "x = 1" not in prose(text)
    )
    assert hangul_share("가나 ab") == 0.5
    assert hangul_share("") == 1.0


def test_section_stops_at_the_next_heading() -> None:
    text = "## 연습문제\n1. 가\n2. 나\n### 힌트\n3. 다\n## 다음\n4. 라"
    assert NUMBERED_ITEM.findall(_section(text, "## 연습문제")) == ["1", "2", "3"]


def test_forbidden_synonyms_point_at_glossary_terms() -> None:
    terms = glossary_terms()
    assert "어텐션" in terms, "could not read the glossary table"
    unknown = {bad: good for bad, good in FORBIDDEN_SYNONYMS.items() if good not in terms}
    assert unknown == {}, f"preferred terms missing from book/glossary.md: {unknown}"


# ---------------------------------------------------------------------------- per chapter


@chapters
def test_title_and_required_headings(path: Path) -> None:
    markdown = _markdown(path)
    first = _read(path).cells[0]
    assert first.cell_type == "markdown" and first.source.startswith("# "), (
        f"{path.name}: the first cell must be the '# 제목' markdown cell"
    )
    headings = {m.group(0).strip() for m in HEADING.finditer(markdown)}
    missing = [h for h in REQUIRED_HEADINGS if h not in headings]
    assert missing == [], f"{path.name}: missing headings {missing}"


@chapters
def test_at_least_three_exercises(path: Path) -> None:
    numbers = NUMBERED_ITEM.findall(_section(_markdown(path), "## 연습문제"))
    assert len(set(numbers)) >= MIN_EXERCISES, (
        f"{path.name}: the 연습문제 list has {len(set(numbers))} numbered items "
        f"(need {MIN_EXERCISES})"
    )


@chapters
def test_first_code_cell_is_the_colab_cell(path: Path) -> None:
    def first_code(p: Path) -> str:
        return next(c.source for c in _read(p).cells if c.cell_type == "code")

    assert first_code(path) == first_code(INTRO), (
        f"{path.name}: the first code cell must be a verbatim copy of 01_intro's Colab cell"
    )


@chapters
def test_prose_is_korean(path: Path) -> None:
    share = hangul_share(prose(_markdown(path)))
    assert share >= MIN_HANGUL_SHARE, (
        f"{path.name}: only {share:.0%} of the prose letters are Hangul"
    )


@chapters
def test_stored_without_outputs(path: Path) -> None:
    dirty = [
        i
        for i, cell in enumerate(_read(path).cells)
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None)
    ]
    assert dirty == [], f"{path.name}: code cells {dirty} carry outputs or execution counts"
    kernel = _read(path).metadata.get("kernelspec", {}).get("name")
    assert kernel == "python3", f"{path.name}: kernelspec is {kernel!r}, expected 'python3'"


@chapters
def test_citations_exist(path: Path) -> None:
    keys = bib_keys()
    cited = {k.strip() for group in CITE_ROLE.findall(_markdown(path)) for k in group.split(",")}
    unknown = sorted(cited - keys)
    assert unknown == [], f"{path.name}: {{cite}} keys not in book/references.bib: {unknown}"


@chapters
def test_papers_mentioned_are_cited(path: Path) -> None:
    markdown = _markdown(path)
    mention = PAPER_MARKERS.search(prose(markdown))
    if mention is None:
        return
    assert CITE_ROLE.search(markdown), (
        f"{path.name}: mentions {mention.group(0)!r} but cites nothing; add a {{cite}}`key`"
    )


@chapters
def test_glued_names_are_defined(path: Path, executed_build_dir: Path) -> None:
    """Every name the prose quotes was glued when the notebook ran (quick and full build)."""
    notebooks = executed_build_dir.parent / "jupyter_execute" / "notebooks"
    executed = notebooks / f"{path.stem}.glue.json"
    used = {role.rsplit(":", 1)[0].strip() for role in GLUE_ROLE.findall(_markdown(path))}
    if not used:
        return
    assert executed.is_file(), f"{executed} is missing: build the book first"
    glued = set(json.loads(executed.read_text(encoding="utf-8")))
    undefined = sorted(used - glued)
    assert undefined == [], f"{path.name}: quoted in prose but never glued: {undefined}"


@chapters
def test_no_forbidden_synonyms(path: Path) -> None:
    text = prose(_markdown(path))
    found = {bad: good for bad, good in FORBIDDEN_SYNONYMS.items() if bad in text}
    assert found == {}, f"{path.name}: use the glossary terms instead: {found}"


@chapters
def test_plumbing_cells_are_hidden_and_glue_stays_out_of_sight(path: Path) -> None:
    """glue and claim checks live in cells tagged remove-cell; shown code never calls them."""
    shown = [
        (i, c.source)
        for i, c in enumerate(_read(path).cells)
        if c.cell_type == "code" and "remove-cell" not in c.metadata.get("tags", [])
    ]
    leaks = [i for i, source in shown if re.search(r"\b(glue|glue_all|check_claim)\(", source)]
    assert leaks == [], f"{path.name}: cells {leaks} call glue/check_claim and are shown"


#: Log lines that mean nothing to a reader of the book (TensorFlow/absl loggers, Python warnings).
LOG_NOISE = re.compile(r"^(?:WARNING|ERROR|INFO):(?:tensorflow|absl)|^\S+Warning: ", re.MULTILINE)


@chapters
def test_executed_outputs_have_no_log_noise(path: Path, executed_build_dir: Path) -> None:
    """What the builds printed contains no library log lines (they land in stdout too)."""
    executed = executed_build_dir.parent / "jupyter_execute" / "notebooks" / f"{path.stem}.ipynb"
    assert executed.is_file(), f"{executed} is missing: build the book first"
    notebook = nbformat.read(executed, as_version=4)
    noisy = [
        f"cell {index}: {match.group(0)}…"
        for index, cell in enumerate(notebook.cells)
        for output in cell.get("outputs", [])
        if output.get("output_type") == "stream"
        for match in [LOG_NOISE.search("".join(output.get("text", "")))]
        if match
    ]
    assert noisy == [], f"{path.name}: log lines in the executed outputs: {noisy}"
