"""StreamedSheet.write_cells stores a row's cells at once: the sheet XML must be the one
xlsxwriter writes when each cell goes through its own ``write_*`` (cells.write_cells without
the shortcut), for every kind of value the sheet writers pass."""

from __future__ import annotations

import datetime as dt
import math
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pytest
from xlsxwriter import Workbook

from pac_excel.write import stream
from pac_excel.write.cells import write_cells
from pac_excel.write.stream import StreamedSheet, StreamOrderError


def _rows(bold: Any, date: Any) -> list[list[tuple[int, Any, Any]]]:
    emoji = "\U0001f600" * 20_000  # 40,000 UTF-16 units: over Excel's 32,767
    return [
        [(0, "texto", None), (1, 3, bold), (2, 0.25, None), (3, dt.datetime(2020, 4, 30), date)],
        [(3, dt.date(2020, 6, 30), None), (0, None, bold), (1, None, None), (2, np.float64(0.5), bold)],
        [(0, math.nan, None), (1, math.inf, bold), (2, -math.inf, None), (4, emoji, None)],
        [(5, "primero", None), (5, "gana el último", bold), (0, "", None), (1, -1e-20, None)],
    ]  # fmt: skip


def _book(path: Path, at_once: bool) -> dict[str, bytes]:
    workbook = Workbook(str(path), {"nan_inf_to_errors": True})
    ws = workbook.add_worksheet("S", worksheet_class=StreamedSheet)
    bold = workbook.add_format({"bold": True})
    date = workbook.add_format({"num_format": "dd/mm/yyyy"})
    ws.write_string(0, 0, "antes")
    for offset, cells in enumerate(_rows(bold, date), start=1):
        if at_once:
            ws.write_cells(offset, cells)
        else:
            write_cells(_PerCell(ws), offset, cells)
    with pytest.raises(StreamOrderError):
        ws.write_cells(1, [(6, "tarde", None)])
    workbook.close()
    stream.release_streams(workbook)
    with zipfile.ZipFile(path) as archive:
        return {n: archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/")}


class _PerCell:
    """The sheet without ``write_cells``: cells.write_cells writes each cell on its own."""

    def __init__(self, ws: StreamedSheet) -> None:
        self.write_blank = ws.write_blank
        self.write_string = ws.write_string
        self.write_datetime = ws.write_datetime
        self.write_number = ws.write_number


def test_a_row_at_once_is_the_per_cell_xml(tmp_path: Path) -> None:
    at_once = _book(tmp_path / "fila.xlsx", at_once=True)
    per_cell = _book(tmp_path / "celdas.xlsx", at_once=False)
    assert at_once == per_cell


def test_what_a_user_reads_back(tmp_path: Path) -> None:
    _book(tmp_path / "fila.xlsx", at_once=True)
    ws = openpyxl.load_workbook(tmp_path / "fila.xlsx")["S"]
    assert ws["A2"].value == "texto" and ws["B2"].value == 3 and ws["C2"].value == 0.25
    assert ws["D2"].value == dt.datetime(2020, 4, 30) and ws["D2"].number_format == "dd/mm/yyyy"
    assert ws["D3"].value == 44012  # a date without a format: its serial, as xlsxwriter writes it
    assert ws["A3"].font.b and ws["A3"].value is None  # a formatted blank
    assert ws["A4"].value == "=#NUM!" and ws["B4"].value == "=1/0"  # nan_inf_to_errors
    assert len(ws["E4"].value) < 20_000  # cut at Excel's limit, as write_string cuts
    assert ws["F5"].value == "gana el último" and ws["F5"].font.b
