"""Reader-facing tables: no index column, Korean headers, a sentence instead of an empty table.

pandas shows a DataFrame with its index as an unlabelled first column. In the built book that
column is an empty header cell for screen readers (axe: ``empty-table-header``) and a column of
0, 1, 2 … for everyone else. :func:`show_table` hides the index, keeps pandas' ``dataframe``
class (so the book theme and Colab style it like any DataFrame), formats floats, and returns a
one-line Markdown sentence when there are no rows::

    from attn_lib import show_table

    show_table(results, precision=3)  # last line of the cell
    show_table(failures, empty="틀린 예제가 없습니다.")
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["show_table"]

_SNAKE_CASE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)+$")


def show_table(table: Any, *, precision: int = 3, empty: str | None = None) -> Any:
    """Display a DataFrame for the reader / 독자에게 보여 줄 표.

    Args:
        table: a ``pandas.DataFrame`` whose columns are already Korean labels. Make the row
            labels an ordinary column first (``df.reset_index()``) if the reader needs them.
        precision: digits after the decimal point for float columns.
        empty: the sentence shown instead of a table with no rows (required when the table can
            be empty, e.g. "틀린 예제가 없습니다.").

    Returns:
        A pandas ``Styler`` (index hidden, class ``dataframe``), or an ``IPython.display.Markdown``
        with ``empty`` when the table has no rows.

    Raises:
        ValueError: ``table`` is not a DataFrame; it has no rows and no ``empty`` sentence; a
            column label is an English identifier such as ``korean_long_weekday`` (reader-facing
            tables use Korean labels); or ``precision`` is negative.
    """
    import pandas as pd

    if not isinstance(table, pd.DataFrame):
        raise ValueError(f"show_table needs a pandas DataFrame, got {type(table).__name__}")
    if not isinstance(precision, int) or isinstance(precision, bool) or precision < 0:
        raise ValueError(f"precision must be a non-negative integer, got {precision!r}")
    if empty is not None and (not isinstance(empty, str) or not empty.strip()):
        raise ValueError("empty must be a sentence for the reader, e.g. '틀린 예제가 없습니다.'")
    identifiers = [str(c) for c in table.columns if _SNAKE_CASE.match(str(c))]
    if identifiers:
        raise ValueError(f"column labels are shown to the reader: use Korean for {identifiers}")
    if table.empty:
        if empty is None:
            raise ValueError("the table has no rows: pass empty='…' with a sentence to show")
        from IPython.display import Markdown

        return Markdown(empty)
    return (
        table.style.hide(axis="index")
        .format(precision=precision)
        .set_table_attributes('class="dataframe"')
    )
