"""Cronograma's month grid: the bars are conditional formats, and they fall where they fell.

The bars used to be formatted blank cells; now each state's bars are one formula rule over
the grid. These tests read the rules back from the written file and evaluate each rule's
formula text on every grid cell with the file's own values (a small translation of the
Excel functions the rules use), then compare the bars seen with the bars expected from the
deliveries: months after the previous delivery of the activity and before this one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet.worksheet import Worksheet
from readback import activities, consolidation, load
from test_write import CREATED, PROBLEMS, sample_acts

from pac_excel.write.workbook import write_workbook

BAR_GREEN = "FFD9EAD3"  # the pale bar of Cumplida


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cronograma") / "informe.xlsx"
    return write_workbook(consolidation(sample_acts(), PROBLEMS), out, created=CREATED)


def _year(value: Any) -> int | None:
    return value.year if isinstance(value, dt.datetime) else None


def _month(value: Any) -> int | None:
    return value.month if isinstance(value, dt.datetime) else None


def _evaluate(formula: str, ws: Worksheet, top: int, row: int, col: int) -> bool:
    """Excel's value of a rule's formula at (row, col), 1-based; rows relative to ``top``."""

    def cell(letter: str, number: int) -> Any:
        return ws[f"{letter}{number + row - top}"].value

    functions: dict[str, Callable[..., Any]] = {
        "AND": lambda *args: all(args),
        "IF": lambda test, yes, no: yes if test else no,
        "VALUE": lambda text: int(text),
        "LEFT": lambda text, count: str(text)[: int(count)],
        "FIND": lambda needle, text: str(text).index(needle) + 1,
        "YEAR": _year,
        "MONTH": _month,
        "COLUMN": lambda: col,
        "cell": cell,
    }
    text = formula.removeprefix("=")
    text = re.sub(r"\$([A-Z]+)(\d+)", r'cell("\1", \2)', text)
    text = re.sub(r"(?<![<>!=])=(?!=)", "==", text).replace("<>", "!=")
    result = eval(text, {"__builtins__": {}}, functions)  # the rules of a file we wrote
    return bool(result)


def _bars(ws: Worksheet) -> dict[tuple[int, int], str]:
    """Every grid cell a bar rule colours: (row, column) -> the rule's fill colour."""
    seen: dict[tuple[int, int], str] = {}
    for cf in ws.conditional_formatting:
        ranges = str(cf.sqref).split()
        for rule in cf.rules:
            fill = rule.dxf.fill if rule.dxf is not None else None
            if rule.type != "expression" or fill is None or not rule.formula:
                continue
            if rule.formula[0] == "TRUE":
                continue  # the cut's month
            for area in ranges:
                min_col, min_row, max_col, max_row = range_boundaries(area)
                assert min_col and min_row and max_col and max_row
                for r in range(min_row, max_row + 1):
                    for c in range(min_col, max_col + 1):
                        if _evaluate(rule.formula[0], ws, min_row, r, c):
                            assert (r, c) not in seen, "two bar rules on one cell"
                            colour = fill.bgColor.rgb or fill.fgColor.rgb
                            seen[(r, c)] = str(colour)
    return seen


def test_bars_fall_between_deliveries_with_the_state_colour(report: Path) -> None:
    ws = load(report)["Cronograma"]
    bars = _bars(ws)
    # Grid starts at H (Jan). Row 4: 1 de 2 in March -> Jan, Feb; row 5: 2 de 2 in June
    # -> Apr, May; row 6: 1 de 1 in March (Vencida) -> Jan, Feb; row 8: 2 de 2 in August
    # after March -> Apr .. Jul.
    col = {m: 7 + m for m in range(1, 13)}
    assert {k for k in bars if k[0] == 4} == {(4, col[1]), (4, col[2])}
    assert {k for k in bars if k[0] == 5} == {(5, col[4]), (5, col[5])}
    assert {k for k in bars if k[0] == 6} == {(6, col[1]), (6, col[2])}
    assert {k for k in bars if k[0] == 8} == {(8, col[m]) for m in range(4, 8)}
    assert bars[(4, col[1])] == BAR_GREEN and bars[(5, col[4])] == BAR_GREEN
    assert bars[(6, col[1])] != BAR_GREEN  # Vencida has its own pale colour
    # No bar on a mark, and the marks are still cells with their values.
    assert ws["J4"].value == "✔" and (4, col[3]) not in bars
    assert ws["O8"].value == "●" and (8, col[8]) not in bars
    # No cell is written for a bar any more.
    assert all(ws.cell(r, c).value is None for r, c in bars)


def test_bars_match_the_deliveries_on_a_larger_plan(tmp_path: Path) -> None:
    """Many activities, several deliveries each, some outside the year: every bar expected."""
    rows = []
    for i in range(12):
        dates = [dt.date(2020, 1 + (i + 3 * k) % 12, 28) for k in range(1 + i % 3)]
        dates.sort()
        if i % 5 == 4:
            dates.insert(0, dt.date(2019, 11, 30))  # a delivery in the year before
        rows.append(
            {
                "activity": f"Actividad {i}",
                "schedule": " ".join(f"{d:%d/%m/%Y}" for d in dates),
                "n_dates": len(dates),
                "progress": (i % 4) / 4,
            }
        )
    out = write_workbook(consolidation(activities(*rows)), tmp_path / "plan.xlsx")
    ws = load(out)["Cronograma"]
    bars = _bars(ws)
    expected: set[tuple[int, int]] = set()
    previous: dict[str, int] = {}
    for r in range(4, ws.max_row + 1):
        name, when = ws.cell(r, 2).value, ws.cell(r, 5).value
        if not isinstance(when, dt.datetime):
            continue
        k = int(str(ws.cell(r, 4).value).split()[0])
        before = previous.get(str(name), 0) if k > 1 else 0
        if when.year == 2020:
            expected |= {(r, 7 + m) for m in range(before + 1, when.month)}
        previous[str(name)] = when.month if when.year == 2020 else 0
    assert len(expected) > 20
    assert set(bars) == expected
