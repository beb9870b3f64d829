"""Column widths come from the 95th percentile of each cell's longest line, within limits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd

from pac_excel.write.cells import Column, fitted_widths


def _width(values: Sequence[object], low: float = 5, high: float = 80) -> float:
    return fitted_widths([Column("X", low, "wrap", high)], [list(values)])[0]


def test_the_longest_line_not_the_whole_text_sets_the_width() -> None:
    one_line = _width(["x" * 30] * 20)
    lines = _width(["x" * 30 + "\n" + "y" * 10] * 20)
    assert one_line == lines == 30 * 1.05 + 2


def test_empty_cells_do_not_count_and_numbers_and_dates_count_as_written() -> None:
    blanks: list[object] = [None, float("nan"), pd.NA, pd.NaT] * 10
    assert _width(blanks + ["x" * 20]) == 20 * 1.05 + 2
    assert _width(blanks) == 5  # nothing to measure: the minimum
    assert _width([dt.date(2020, 1, 2)] * 3) == len("2020-01-02") * 1.05 + 2
    assert _width([12345678901234567890]) == 20 * 1.05 + 2


def test_one_essay_does_not_widen_the_column_and_the_limits_hold() -> None:
    assert _width(["x" * 10] * 99 + ["x" * 5000]) < 20
    assert _width(["x" * 500] * 10) == 80
    assert fitted_widths([Column("N", 7, "pct")], [["x" * 90]]) == [7]  # no max: as given
