"""attn_lib.tables.show_table: no index column, Korean labels, a sentence for an empty table."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from IPython.display import Markdown

from attn_lib.tables import show_table
from tests.conftest import REPO_ROOT


@pytest.fixture
def results() -> pd.DataFrame:
    return pd.DataFrame({"모델": ["어텐션 없음", "어텐션"], "정확 일치": [0.41234, 0.98]})


def test_table_has_no_index_and_no_empty_header(results: pd.DataFrame) -> None:
    html = show_table(results).to_html()
    soup = BeautifulSoup(html, "html.parser")
    table = soup.find("table")
    assert "dataframe" in table["class"]  # styled like any DataFrame by the theme and Colab
    headers = [th.get_text(strip=True) for th in table.find_all("th")]
    assert headers == ["모델", "정확 일치"]
    cells = [td.get_text(strip=True) for td in table.find_all("td")]
    assert cells == ["어텐션 없음", "0.412", "어텐션", "0.980"]


def test_precision(results: pd.DataFrame) -> None:
    cells = BeautifulSoup(show_table(results, precision=1).to_html(), "html.parser")
    assert "0.4" in [td.get_text(strip=True) for td in cells.find_all("td")]


def test_empty_table_becomes_a_sentence(results: pd.DataFrame) -> None:
    shown = show_table(results.iloc[0:0], empty="틀린 예제가 없습니다.")
    assert isinstance(shown, Markdown) and shown.data == "틀린 예제가 없습니다."


@pytest.mark.parametrize(
    ("table", "kwargs", "message"),
    [
        ([1, 2], {}, "needs a pandas DataFrame"),
        (pd.DataFrame({"a": []}), {}, "has no rows"),
        (pd.DataFrame({"a": []}), {"empty": "  "}, "empty must be a sentence"),
        (pd.DataFrame({"korean_long_weekday": [1]}), {}, "use Korean for"),
        (pd.DataFrame({"모델": [1]}), {"precision": -1}, "non-negative"),
        (pd.DataFrame({"모델": [1]}), {"precision": True}, "non-negative"),
    ],
)
def test_bad_input_names_the_problem(table: object, kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        show_table(table, **kwargs)


# ------------------------------------------------------------------ the built chapters' tables

#: Identifiers the code uses that a reader should see in Korean (score names, variants, kinds).
CODE_LABELS = frozenset(
    {
        *("additive", "dot", "general", "simple", "plain", "peek", "attention"),
        *("normal", "reversed", "doubled", "copy", "addition"),
        *("before", "after", "after_single", "train", "test", "val"),
    }
)
SNAKE_CASE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)+$")
CHAPTERS = sorted((REPO_ROOT / "notebooks").glob("*.ipynb"))


def table_problems(page: Path) -> list[str]:
    """Index columns, empty tables and code identifiers in a built page's output tables."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    problems = []
    for number, table in enumerate(soup.select(".cell_output table"), start=1):
        where = f"table {number}"
        empty_headers = [th for th in table.find_all("th") if not th.get_text(strip=True)]
        if empty_headers:
            problems.append(f"{where}: {len(empty_headers)} empty header cells (index column?)")
        body_rows = table.select("tbody tr")
        if not body_rows:
            problems.append(f"{where}: no rows (show a sentence instead: show_table(empty=...))")
        labels = {cell.get_text(strip=True) for cell in table.find_all(["th", "td"])}
        code = sorted(x for x in labels if SNAKE_CASE.match(x) or x in CODE_LABELS)
        if code:
            problems.append(f"{where}: code identifiers shown to the reader: {code}")
    return problems


@pytest.mark.slow
@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_built_chapter_tables_are_for_readers(built_book_dir: Path, path: Path) -> None:
    problems = table_problems(built_book_dir / "notebooks" / f"{path.stem}.html")
    assert not problems, f"{path.name}:\n" + "\n".join(problems)
