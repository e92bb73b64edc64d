"""Terms, tone and particles a reader meets, in the chapters' sources (fast, no build needed).

Scans every chapter's Markdown (without code blocks and maths) and its code cells' comments and
string literals (what a reader sees in the code and in printed output) for

* :data:`VARIANTS` — the spellings the book settled (docs/CHAPTERS.md, "Terms and tone"),
* :data:`BUILD_REMARKS` — notes about the build machine addressed to the reader,
* particles that disagree with how the word before them is read (attn_lib.korean), and fixed
  particles after a glued number or a figure reference (whose reading changes with the value).

Each failure names the notebook, the cell, the variant and what to write instead. The book's own
Markdown pages (book/*.md) are checked for the variants too.
"""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from attn_lib.korean import PARTICLES, particle_for
from tests.test_chapters import CHAPTERS, glossary_terms

BOOK_PAGES = sorted((Path(__file__).resolve().parent.parent / "book").glob("*.md"))


@dataclass(frozen=True)
class Variant:
    """A spelling to replace: ``pattern`` (regex) -> ``write`` (what to write), and why."""

    name: str
    pattern: str
    write: str
    glossary: str | None = None  # the glossary term the rule points at, if any


VARIANTS: tuple[Variant, ...] = (
    Variant(
        "숫자와 에폭 띄어 씀",
        r"(?:\d|`)[ \t]+에폭",
        "숫자와 단위는 붙여 씁니다: 10에폭, {glue:text}`n`에폭 (맞춤법 제43항 다만)",
        "에폭",
    ),
    Variant("예시", r"예시", "예제 (데이터 한 건도, 코드 예제도); '예를 들면'은 그대로", "예제"),
    Variant("문자 단위 정확도", r"문자\s*단위\s*정확도", "문자 정확도", "문자 정확도"),
    Variant("글자 정확도", r"글자\s*(?:단위\s*)?정확도", "문자 정확도", "문자 정확도"),
    Variant("LSTM 크기", r"LSTM\s*크기", "유닛 수 (LSTM 유닛 64개)", "유닛"),
    Variant("셀 수", r"셀\s*(?:수|개수)|메모리\s*셀을\s*많이", "유닛 수", "유닛"),
    Variant("…칸 (LSTM 너비)", r"LSTM\s*\S*칸|UNITS[^\n가-힣]{0,12}칸", "유닛 N개", "유닛"),
    Variant("케라스", r"케라스", "Keras"),
    Variant(
        "조 등", r"(?<![가-힣])조\s+등|\bCho\s+등", "조경현 등 (처음에는 조경현(Kyunghyun Cho) 등)"
    ),
    Variant("et al.", r"\bet\s+al\b", "등"),
    Variant("매개변수", r"매개\s*변수", "파라미터", "파라미터"),
)

#: Remarks about how the book is built, addressed to the reader (say what the reader should
#: know instead: the budget of the experiment, how long a run takes on Colab).
BUILD_REMARKS: tuple[Variant, ...] = (
    Variant(
        "빌드 기계의 코어 수",
        r"(?:CPU\s*)?두\s*코어",
        "실험 예산으로 설명: '에폭을 N으로 줄였습니다'",
    ),
    Variant("빌드 시간 제약", r"돌아야\s*(?:하므로|해서|합니다)", "실험 예산으로 설명"),
    Variant("시행착오 이야기", r"처음에는[^.\n]{0,80}시도했", "결과로 말하기: 무엇을 왜 골랐는지"),
    Variant("빌드한 CPU", r"이\s*CPU에서", "측정한 기계를 표/부록으로"),
    Variant("잰 적 없는 실행 시간", r"몇\s*분에서\s*수십\s*분", "부록에서 잰 시간 (Colab GPU·CPU)"),
)

_FORMS = sorted({form for pair in PARTICLES for form in pair}, key=len, reverse=True)
_PARTICLE = "(?P<particle>" + "|".join(_FORMS) + ")(?![가-힣])"
_PAIR_OF = {form: pair for pair in PARTICLES for form in pair}
# A number or Latin word (or a simple `identifier`) with an optional (gloss), then a particle.
_LATIN_THEN_PARTICLE = re.compile(
    r"(?<![\w`$}])(?P<word>`[A-Za-z0-9_.%]+`|[A-Za-z0-9][A-Za-z0-9_.%]*)"
    r"(?:\([^()\n]*\))?" + _PARTICLE
)
_HANGUL_GLOSS_THEN_PARTICLE = re.compile(r"(?P<word>[가-힣]+)\([^()\n]+\)" + _PARTICLE)
_CITE_THEN_PARTICLE = re.compile(
    r"(?P<word>[가-힣A-Za-z]+)\s*\{cite(?::[pt])?\}`[^`]+`" + _PARTICLE
)
_ROLE_THEN_PARTICLE = re.compile(
    r"\{(?P<role>glue:text|glue|numref)\}`(?P<target>[^`]+)`" + _PARTICLE
)
# glue("name", with_particle(...)) or an entry "name": with_particle(...) of glue_all({...}).
_GLUED_WITH_PARTICLE = re.compile(
    r"(?:glue\(\s*['\"](\w+)['\"]\s*,|['\"](\w+)['\"]\s*:)\s*(?:with_particle|josa)\("
)


def _strip_markdown(markdown: str) -> str:
    """Markdown without fenced code and maths (where spellings and particles do not apply)."""
    text = re.sub(r"```.*?```", " ", markdown, flags=re.DOTALL)
    text = re.sub(r"\$\$.*?\$\$", " ", text, flags=re.DOTALL)
    return re.sub(r"\$[^$\n]+\$", " ", text)


def _code_text(source: str) -> str:
    """The comments and string literals of a code cell (IPython magics are skipped)."""
    lines = [
        line if not line.lstrip().startswith(("%", "!")) else "" for line in source.split("\n")
    ]
    pieces = []
    try:
        for token in tokenize.generate_tokens(io.StringIO("\n".join(lines)).readline):
            if token.type in (tokenize.COMMENT, tokenize.STRING) or (
                token.type == getattr(tokenize, "FSTRING_MIDDLE", -1)
            ):
                pieces.append(token.string)
    except (tokenize.TokenError, IndentationError):  # pragma: no cover - a broken cell
        return source
    return "\n".join(pieces)


def reader_texts(path: Path) -> list[tuple[int, str, str]]:
    """(cell index, "markdown"|"code", reader-facing text) for every cell of a notebook."""
    notebook = nbformat.read(path, as_version=4)
    texts = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "markdown":
            texts.append((index, "markdown", _strip_markdown(cell.source)))
        elif cell.cell_type == "code":
            texts.append((index, "code", _code_text(cell.source)))
    return texts


def find_variants(texts: list[tuple[int, str, str]], rules: tuple[Variant, ...]) -> list[str]:
    """Every match of ``rules`` as 'cell N (kind): «context» — variant → write'."""
    found = []
    for index, kind, text in texts:
        for rule in rules:
            for match in re.finditer(rule.pattern, text):
                context = text[max(0, match.start() - 15) : match.end() + 10].replace("\n", " ")
                found.append(f"cell {index} ({kind}): «{context}» — {rule.name} → {rule.write}")
    return found


def _agrees(word: str, particle: str) -> bool | None:
    """Whether ``particle`` fits ``word`` as read aloud (None if the word cannot be read)."""
    pair = _PAIR_OF[particle]
    try:
        right = particle_for(word, "/".join(pair))
    except ValueError:
        return None
    # After a vowel the copula's 이 may stay (5이든, 64이면); after a consonant it must.
    return particle == right or (_is_copula(pair) and particle == pair[0] and right == pair[1])


def _is_copula(pair: tuple[str, str]) -> bool:
    """이다-family pairs (이고/고, 이며/며 …): the 이 form fits after any word."""
    return pair[0].startswith("이") and pair != ("이", "가")


def particle_problems(markdown: str, code: str) -> list[str]:
    """Particles that disagree with the reading of the word before them, in one cell."""
    problems = []
    checks = (_LATIN_THEN_PARTICLE, _HANGUL_GLOSS_THEN_PARTICLE, _CITE_THEN_PARTICLE)
    for pattern in checks:
        for match in pattern.finditer(markdown):
            word, particle = match["word"].strip("`"), match["particle"]
            if _agrees(word, particle) is False:
                pair = "/".join(_PAIR_OF[particle])
                problems.append(f"«{match.group(0)}»: {word} takes {particle_for(word, pair)}")
    safe = {a or b for a, b in _GLUED_WITH_PARTICLE.findall(code)}
    for match in _ROLE_THEN_PARTICLE.finditer(markdown):
        name, _, spec = match["target"].partition(":")
        pair = _PAIR_OF[match["particle"]]
        if _is_copula(pair) and match["particle"] == pair[0]:
            continue  # {glue:text}`x`이고 reads right whatever the number
        if match["role"] == "numref":
            problems.append(
                f"«{match.group(0)}»: the figure number decides the particle; use an invariant "
                "one (에서, 의, 처럼) or '(그림 참조)' style: …({numref}`name`)"
            )
        elif spec or name not in safe:
            problems.append(
                f"«{match.group(0)}»: a glued value's reading changes with the number; glue it "
                f'with its particle: glue("{name}", with_particle(value, "{match["particle"]}", '
                "fmt=...))"
            )
    return problems


# ------------------------------------------------------------------------------ the rules


def test_variant_rules_point_at_glossary_terms() -> None:
    terms = glossary_terms()
    missing = {v.name: v.glossary for v in VARIANTS if v.glossary and v.glossary not in terms}
    assert missing == {}, f"terms missing from book/glossary.md: {missing}"


def test_rules_catch_what_they_should() -> None:
    sample = [
        (0, "markdown", "10 에폭 동안 예시 3개, LSTM 크기 64, 케라스, 조 등, 문자 단위 정확도")
    ]
    names = {line.split(" — ")[1].split(" → ")[0] for line in find_variants(sample, VARIANTS)}
    assert names == {
        "숫자와 에폭 띄어 씀",
        "예시",
        "LSTM 크기",
        "케라스",
        "조 등",
        "문자 단위 정확도",
    }
    clean = [(0, "markdown", "10에폭 동안 예제 3개, 유닛 64개, Keras, 조경현 등, 문자 정확도")]
    assert find_variants(clean, VARIANTS) == []
    code = _code_text('x = 1  # 10 에폭\nprint(f"예시 {n}개")\n%pip install x\n')
    assert "10 에폭" in code and "예시" in code and "pip" not in code


def test_particle_rules() -> None:
    wrong = "0.908를 얻었고 LSTM를 씁니다. 교사 강요(teacher forcing)을 끕니다."
    assert len(particle_problems(wrong, "")) == 3
    right = (
        "0.908을 얻었고 LSTM을 씁니다. 교사 강요(teacher forcing)를 끕니다. 길이가 5이든 30이든."
    )
    assert particle_problems(right, "") == []
    glued = (
        "정확도는 {glue:text}`acc:.3f`를, 정답 {glue:text}`hits`을 {numref}`fig-x`은 보여 줍니다."
    )
    assert len(particle_problems(glued, "")) == 3
    safe = 'glue("hits", with_particle(n, "을"))'
    assert len(particle_problems("정답 {glue:text}`hits` 보기", safe)) == 0
    assert len(particle_problems("정답 {glue:text}`hits`을 보기", safe)) == 0
    safe_all = 'glue_all({"n_wrong": 3, "hits": with_particle(n, "을/를")})'
    assert particle_problems("정답 {glue:text}`hits`을 보기", safe_all) == []
    assert len(particle_problems("틀린 {glue:text}`n_wrong`을 보기", safe_all)) == 1
    assert particle_problems("{numref}`fig-x`에서 봅니다({numref}`fig-y`).", "") == []
    assert particle_problems("루옹 등 {cite}`luong2015effective`은", "") == []
    assert len(particle_problems("루옹 등 {cite}`luong2015effective`는", "")) == 1


# ------------------------------------------------------------------------------ per chapter


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_no_variant_spellings(path: Path) -> None:
    found = find_variants(reader_texts(path), VARIANTS)
    assert not found, f"{path.name}: {len(found)} variant spellings:\n" + "\n".join(found)


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_no_build_remarks_addressed_to_the_reader(path: Path) -> None:
    found = find_variants(reader_texts(path), BUILD_REMARKS)
    assert not found, f"{path.name}: remarks about the build:\n" + "\n".join(found)


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_particles_fit_how_the_word_is_read(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    code = "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
    found = [
        f"cell {index}: {problem}"
        for index, cell in enumerate(notebook.cells)
        if cell.cell_type == "markdown"
        for problem in particle_problems(_strip_markdown(cell.source), code)
    ]
    assert not found, f"{path.name}: {len(found)} particles:\n" + "\n".join(found)


@pytest.mark.parametrize("page", BOOK_PAGES, ids=[p.name for p in BOOK_PAGES])
def test_book_pages_use_the_settled_spellings(page: Path) -> None:
    text = _strip_markdown(page.read_text(encoding="utf-8"))
    found = find_variants([(0, "markdown", text)], VARIANTS) + particle_problems(text, "")
    assert not found, f"{page.name}:\n" + "\n".join(found)
