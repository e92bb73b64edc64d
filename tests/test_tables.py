"""attn_lib.tables.show_table: no index column, Korean labels, a sentence for an empty table."""

from __future__ import annotations

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from IPython.display import Markdown

from attn_lib.tables import show_table


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
