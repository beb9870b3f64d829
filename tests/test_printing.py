"""Printing: the effective font size each sheet prints at, computed from the workbook's own
print setup (paper, fit to width or scale, the print area's column widths) and the smallest
font in its print area. Paper sheets must fit one page wide and none may print under 8 pt."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import SAMPLES
from openpyxl.utils import column_index_from_string

from pac_excel import consolidate

PAPER_SHEETS = ("Resumen", "Seguimiento OCI", "Por responsable")
PAPER_INCHES = {1: 11.0, 5: 14.0}  # letter, legal: landscape width


def _area_columns(ws: Any) -> tuple[int, int, int]:
    """First and last column and last row of the print area (1-based)."""
    area = str(ws.print_area).split("!")[-1].replace("$", "")
    m = re.fullmatch(r"([A-Z]+)(\d+):([A-Z]+)(\d+)", area)
    assert m, area
    return column_index_from_string(m[1]), column_index_from_string(m[3]), int(m[4])


def _column_px(ws: Any, first: int, last: int) -> list[int]:
    px = {c: 64 for c in range(first, last + 1)}  # a column never sized
    for dim in ws.column_dimensions.values():
        if dim.width and dim.min and dim.max:
            for c in range(dim.min, dim.max + 1):
                if c in px:
                    px[c] = int(dim.width * 7)
    return list(px.values())


def effective_points(ws: Any) -> tuple[float, float, bool]:
    """(smallest printed font in points, print scale, fits one page wide)."""
    first, last, last_row = _area_columns(ws)
    setup = ws.page_setup
    assert setup.orientation == "landscape"
    inches = PAPER_INCHES[int(setup.paperSize)]
    printable = (inches - ws.page_margins.left - ws.page_margins.right) * 72
    width = sum(_column_px(ws, first, last)) * 0.75
    props = ws.sheet_properties.pageSetUpPr
    fits = bool(props is not None and props.fitToPage and (setup.fitToWidth or 1) == 1)
    scale = min(1.0, printable / width) if fits else (setup.scale or 100) / 100
    sizes = {
        float(cell.font.sz)
        for row in ws.iter_rows(min_col=first, max_col=last, max_row=min(last_row, 3000))
        for cell in row
        if cell.value is not None and cell.font is not None and cell.font.sz
    }
    return min(sizes) * scale, scale, fits or printable >= width


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The samples, and a wide run: Seguimiento 1 and 2 side by side add form columns."""
    out = tmp_path_factory.mktemp("print")
    first = consolidate([SAMPLES], output_dir=out / "a", today=dt.date(2020, 5, 5))
    assert first.output is not None
    return [first.output]


@pytest.mark.parametrize("sheet", PAPER_SHEETS)
def test_paper_sheets_print_one_page_wide_at_8_points_or_more(
    books: list[Path], sheet: str
) -> None:
    for path in books:
        ws = openpyxl.load_workbook(path)[sheet]
        points, scale, fits = effective_points(ws)
        assert fits, f"{sheet} does not fit one page wide"
        assert points >= 8.0, f"{sheet} prints at {points:.1f} pt (scale {scale:.2f})"


def test_screen_sheets_never_print_under_8_points(books: list[Path]) -> None:
    for path in books:
        wb = openpyxl.load_workbook(path)
        for ws in wb.worksheets:
            if ws.title in PAPER_SHEETS or not ws.print_area:
                continue
            points, scale, _ = effective_points(ws)
            assert points >= 8.0, f"{ws.title} prints at {points:.1f} pt (scale {scale:.2f})"
