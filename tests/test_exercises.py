"""Exercises come with help: a hint for each, worked solutions for at least half, run times.

The convention (docs/CHAPTERS.md, "Exercises"): under ``## 연습문제`` a numbered list; after each
item, before the next one,

* a hint in a dropdown — ``:::{admonition} 힌트`` + ``:class: dropdown`` (or
  ``:::{dropdown} 힌트``) — for every exercise;
* a worked solution the same way with the title ``풀이`` for at least half of them;
* for an exercise that asks the reader to train or re-run something, the line
  ``(실행 시간: Colab GPU 약 N분, CPU 약 M분)`` (초/분/시간; a range such as 1~2 is fine).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from tests.test_chapters import CHAPTERS, _section

ITEM = re.compile(r"^(\d+)\.\s+\S", re.MULTILINE)
#: The closing fence must repeat the opening one: a ```python block inside a ::: dropdown does
#: not end the dropdown (text after the code stays part of the solution, not of the question).
DROPDOWN = re.compile(
    r"^(?P<fence>:{3,}|`{3,})\{(?:admonition|dropdown)\}\s*(?P<title>[^\n]*)\n(?P<body>.*?)^(?P=fence)\s*$",
    re.MULTILINE | re.DOTALL,
)
RUN_TIME = re.compile(
    r"\(실행 시간: Colab GPU 약 [\d.~]+\s*(?:초|분|시간), CPU 약 [\d.~]+\s*(?:초|분|시간)\)"
)
RUN_TIME_FORMAT = "(실행 시간: Colab GPU 약 N분, CPU 약 M분)"
#: Wording that asks the reader to train or re-run (then a run time is required).
NEEDS_A_RUN = re.compile(
    r"다시\s*(?:실행|학습)|학습해\s*(?:보|비교)|학습하고|학습한\s*뒤|학습시켜|돌려\s*보|"
    r"실행해\s*보|여러 번 학습|바꿔\s*(?:다시|보세요)|늘려\s*보세요|더해\s*보세요"
)


@dataclass(frozen=True)
class Exercise:
    number: int
    text: str  # the item and everything up to the next item (its dropdowns included)

    def dropdowns(self, title: str) -> list[str]:
        """Bodies of the dropdowns whose title starts with ``title``."""
        return [
            m["body"]
            for m in DROPDOWN.finditer(self.text)
            if m["title"].strip().startswith(title) and _is_dropdown(m)
        ]

    @property
    def question(self) -> str:
        return DROPDOWN.sub(" ", self.text)


def _is_dropdown(match: re.Match[str]) -> bool:
    head = match.group(0).split("\n", 1)[0]
    return "{dropdown}" in head or re.search(r"^:class:.*\bdropdown\b", match["body"], re.M)


def exercises(markdown: str) -> list[Exercise]:
    """The numbered exercises of a chapter's ``## 연습문제`` section."""
    section = _section(markdown, "## 연습문제")
    starts = list(ITEM.finditer(section))
    ends = [m.start() for m in starts[1:]] + [len(section)] if starts else []
    return [
        Exercise(int(m.group(1)), section[m.start() : end])
        for m, end in zip(starts, ends, strict=True)
    ]


def exercise_problems(markdown: str) -> list[str]:
    """What a chapter's exercises lack, one line per problem."""
    items = exercises(markdown)
    if not items:
        return ["no numbered exercises under ## 연습문제"]
    problems = [f"exercise {e.number}: no 힌트 dropdown" for e in items if not e.dropdowns("힌트")]
    solved = [e.number for e in items if e.dropdowns("풀이")]
    needed = math.ceil(len(items) / 2)
    if len(solved) < needed:
        unsolved = [e.number for e in items if e.number not in solved]
        problems.append(
            f"{len(solved)} of {len(items)} exercises have a 풀이 dropdown (need {needed}); "
            f"without: {unsolved}"
        )
    problems += [
        f"exercise {e.number}: asks for a run but gives no {RUN_TIME_FORMAT!r}"
        for e in items
        if NEEDS_A_RUN.search(e.question) and not RUN_TIME.search(e.text)
    ]
    return problems


def _markdown(path: Path) -> str:
    notebook = nbformat.read(path, as_version=4)
    return "\n\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")


GOOD = """## 연습문제

1. `UNITS`를 32로 바꿔 다시 학습해 보세요. (실행 시간: Colab GPU 약 1분, CPU 약 5~8분)

:::{admonition} 힌트
:class: dropdown
마지막 상태의 크기가 줄어듭니다.
:::

:::{admonition} 풀이
:class: dropdown
무너지는 길이가 짧아집니다.
:::

2. 곱셈 수를 어림해 보세요.

:::{dropdown} 힌트
$T_x T_y d$입니다.
:::

## 다음 절
"""


def test_the_convention_passes_and_each_rule_can_fail() -> None:
    assert [e.number for e in exercises(GOOD)] == [1, 2]
    assert exercise_problems(GOOD) == []
    no_time = GOOD.replace(" (실행 시간: Colab GPU 약 1분, CPU 약 5~8분)", "")
    assert exercise_problems(no_time) == [
        "exercise 1: asks for a run but gives no '(실행 시간: Colab GPU 약 N분, CPU 약 M분)'"
    ]
    no_hint = GOOD.replace(":::{dropdown} 힌트", ":::{note} 힌트")
    assert exercise_problems(no_hint) == ["exercise 2: no 힌트 dropdown"]
    not_folded = GOOD.replace(":::{admonition} 풀이\n:class: dropdown", ":::{admonition} 풀이")
    assert len(exercise_problems(not_folded)) == 1  # a solution must be folded away
    assert exercise_problems("## 연습문제\n\n없음\n") == ["no numbered exercises under ## 연습문제"]


def test_code_inside_a_dropdown_does_not_end_it() -> None:
    # Words after a code block in a solution belong to the solution, not to the question.
    old_solution = ":::{admonition} 풀이\n:class: dropdown\n무너지는 길이가 짧아집니다.\n:::"
    solution = (
        ":::{admonition} 풀이\n:class: dropdown\n```python\nprint(1)\n```\n"
        "두 모델을 모두 학습해 보면 알 수 있습니다.\n:::"
    )
    question = "`UNITS`를 32로 바꿔 다시 학습해 보세요. (실행 시간: Colab GPU 약 1분, CPU 약 5~8분)"
    text = GOOD.replace(old_solution, solution).replace(question, "식을 세어 보세요.")
    assert solution in text and question not in GOOD.replace(question, "")
    assert exercise_problems(text) == []
    assert "학습해 보면" in exercises(text)[0].dropdowns("풀이")[0]


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_exercises_have_hints_solutions_and_run_times(path: Path) -> None:
    problems = exercise_problems(_markdown(path))
    assert not problems, f"{path.name}:\n" + "\n".join(problems)
