"""A streamed sheet's rows written a block at a time (write.blocks) are the rows written one by one.

``cells.write_rows`` hands a streamed sheet its rows in blocks (``StreamedSheet.write_columns``);
without that method it writes each row with ``write_cells`` and ``set_row``, the path
tests/test_row_cells.py and tests/test_row_xml.py compare with xlsxwriter's own. Here both paths
write the same data and every part of the workbook must be the same bytes: the cells, the row
heights, the dimension, and the formats' indices (styles.xml). Data of every kind the sheets
write is tried, with extra cells that replace or follow a row's own, and what the shortcut
leaves to the row path (texts near Excel's limit, values of other kinds, rows kept aside).
"""

from __future__ import annotations

import datetime as dt
import math
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from xlsxwriter import Workbook

from pac_excel import consolidate
from pac_excel.text import MAX_CELL_CHARS
from pac_excel.write import cells, stream
from pac_excel.write.blocks import BLANK
from pac_excel.write.cells import BLOCK_ROWS, Column, write_rows
from pac_excel.write.stream import StreamedSheet
from pac_excel.write.styles import Formats
from pac_excel.write.workbook import WORKBOOK_OPTIONS, write_workbook

ROOT = Path(__file__).resolve().parent.parent
RUN_AT = dt.datetime(2026, 12, 1, 9, 0)
COLUMNS = [
    Column("Texto", 10, "wrap", 40),
    Column("Código", 8, "text"),
    Column("Avance", 8, "pct"),
    Column("Fecha", 10, "date"),
    Column("Mezcla", 10, "wrap", 30),
]


def _by_rows(patch: pytest.MonkeyPatch) -> None:
    """The row-by-row path: a streamed sheet without ``write_columns``."""
    patch.setattr(StreamedSheet, "write_columns", None)


def _book(
    path: Path,
    data: list[list[Any]],
    heights: list[float] | None = None,
    extra: Any = None,
    before: Any = None,
    made: Any = None,
) -> tuple[dict[str, bytes], list[tuple[int, int, int]]]:
    """Write ``data`` under a header row; the workbook's parts and the cuts reported."""
    workbook = Workbook(str(path), WORKBOOK_OPTIONS)
    ws = workbook.add_worksheet("S", worksheet_class=StreamedSheet)
    formats = Formats(workbook)
    for col, spec in enumerate(COLUMNS[: len(data)]):
        ws.write_string(0, col, spec.header, formats.list_header)
    if before is not None:
        before(ws, workbook)
    cuts: list[tuple[int, int, int]] = []
    rows = np.array(heights, dtype=float) if heights is not None else None
    write_rows(
        ws,
        formats,
        COLUMNS[: len(data)],
        data,
        1,
        lambda *cut: cuts.append(cut),
        rows,
        extra,
        made,
    )
    ws.write_string(len(data[0]) + 1, 0, "después")
    workbook.close()
    stream.release_streams(workbook)
    with zipfile.ZipFile(path) as archive:
        parts = {n: archive.read(n) for n in archive.namelist() if n.startswith("xl/")}
    return parts, cuts


def _both(
    folder: Path, data: list[list[Any]], **options: Any
) -> tuple[dict[str, bytes], list[tuple[int, int, int]]]:
    """Both paths on the same data: they must give the same bytes and the same cuts."""
    ours = _book(folder / "bloques.xlsx", [list(c) for c in data], **options)
    with pytest.MonkeyPatch.context() as patch:
        _by_rows(patch)
        theirs = _book(folder / "filas.xlsx", [list(c) for c in data], **options)
    assert ours[1] == theirs[1]  # the same cuts, reported in the same (row) order
    for name in sorted(set(ours[0]) | set(theirs[0])):
        assert ours[0].get(name) == theirs[0].get(name), name
    return ours


TEXTS = [
    "plano", "", " borde", "fin ", "a & b <c>", "ctrl\x07x", "_x0041_", "=SUMA(A1)", "+57 300",
    "-guion", "@arroba", "\tcon tab", "línea\nnueva", "\u00a0nbsp", "\ufffe", "\x0b", None,
]  # fmt: skip
NUMBERS = [0, 1, 0.25, -1e-20, 1e300, math.nan, math.inf, -math.inf, None, 7, np.float64(0.5)]
DATES = [dt.datetime(2020, 4, 30), dt.date(2020, 8, 31), pd.Timestamp("2020-12-31"), None]
OTHERS = [True, False, pd.NA, 3.5, "texto", None, dt.date(2021, 1, 1)]


def test_every_kind_of_value_is_written_as_row_by_row(tmp_path: Path) -> None:
    n = 60
    data = [
        [TEXTS[i % len(TEXTS)] for i in range(n)],
        [TEXTS[(i * 7) % len(TEXTS)] for i in range(n)],
        [NUMBERS[i % len(NUMBERS)] for i in range(n)],
        [DATES[i % len(DATES)] for i in range(n)],
        [OTHERS[i % len(OTHERS)] for i in range(n)],
    ]
    heights = [(0.0, 28.0, 41.0, 15.5)[i % 4] for i in range(n)]
    parts, _ = _both(tmp_path, data, heights=heights)
    sheet = openpyxl.load_workbook(tmp_path / "bloques.xlsx")["S"]
    assert sheet["A2"].value == "plano" and sheet["A3"].value is None  # an empty text: no cell
    assert sheet["A4"].value == " borde" and sheet["A9"].value == "=SUMA(A1)"  # text, not formula
    assert sheet["A9"].data_type == "s"
    assert b">ctrl_x0007_x<" in parts["xl/worksheets/sheet1.xml"]  # Excel's escape, as it reads
    assert sheet["C3"].value == 1 and sheet["C7"].value is None  # nan: no cell
    assert sheet["D2"].value == dt.datetime(2020, 4, 30)
    assert sheet["E2"].value == "Sí" and sheet["E3"].value == "No"
    assert sheet.row_dimensions[3].height == 27.75  # 28 points, as set_row keeps them in pixels
    assert sheet.max_row == n + 2 and sheet["A62"].value == "después"
    assert b'<dimension ref="A1:E62"/>' in parts["xl/worksheets/sheet1.xml"]


def test_texts_past_excel_limit_are_cut_and_reported_in_row_order(tmp_path: Path) -> None:
    long, longer = "x" * (MAX_CELL_CHARS + 5), "y" * (MAX_CELL_CHARS + 1)
    half = "z" * (MAX_CELL_CHARS // 2 + 3)  # left to xlsxwriter's own check of UTF-16 units
    emoji = "\U0001f600" * 20_000  # 40,000 UTF-16 units in 20,000 characters
    data: list[list[Any]] = [[long, "a", half, longer, emoji], ["b", longer, None, "c", long]]
    _, cuts = _both(tmp_path, data)
    assert cuts == [(0, 0, len(long)), (1, 1, len(longer)), (3, 0, len(longer)), (4, 1, len(long))]
    sheet = openpyxl.load_workbook(tmp_path / "bloques.xlsx")["S"]
    assert sheet["A2"].value == "x" * MAX_CELL_CHARS and sheet["A4"].value == half


def test_extra_cells_replace_or_follow_a_row_own(tmp_path: Path) -> None:
    n = 40
    made: dict[str, Any] = {}

    def before(ws: StreamedSheet, workbook: Any) -> None:
        made["grey"] = workbook.add_format({"font_color": "#808080"})
        made["mark"] = workbook.add_format({"bold": 1})

    def extra(i: int) -> list[tuple[int, Any, Any]]:
        grey, mark = made["grey"], made["mark"]
        cells: list[tuple[int, Any, Any]] = []
        if i % 3 == 1:  # a later delivery: the row's own text replaced, in grey
            cells.append((0, f"repetida {i}", grey))
        if i % 4 == 0:
            cells += [(6 + i % 5, "●", mark), (8, None, grey)]  # a mark, a formatted blank
        if i % 5 == 2:
            cells += [(1, None, None), (9, "último", None), (7, "antes", mark)]  # unsorted
        if i == 11:
            cells.append((2, True, None))  # a kind left to xlsxwriter: the row's own path
        if i == 13:
            cells.append((3, math.nan, mark))  # not finite: likewise
        return cells

    data = [[f"actividad {i}" for i in range(n)], [f"c{i}" for i in range(n)]]
    _both(tmp_path, data, extra=extra, before=before)
    sheet = openpyxl.load_workbook(tmp_path / "bloques.xlsx")["S"]
    assert sheet["A3"].value == "repetida 1" and sheet["A2"].value == "actividad 0"
    assert sheet["G2"].value == "●" and sheet["J4"].value == "último"
    assert sheet["C13"].value is True


def test_made_columns_marks_and_formatted_blanks_are_written_as_row_by_row(
    tmp_path: Path,
) -> None:
    n = BLOCK_ROWS + 10  # two blocks: each asks for its own rows of the made columns
    made_formats: dict[str, Any] = {}
    asked: list[tuple[int, int]] = []

    def before(ws: StreamedSheet, workbook: Any) -> None:
        made_formats["mark"] = workbook.add_format({"bold": 1, "align": "center"})
        made_formats["bar"] = workbook.add_format({"bg_color": "#DDEBF7"})

    def made(first: int, last: int) -> list[Any]:
        asked.append((first, last))
        mark, bar = made_formats["mark"], made_formats["bar"]
        columns = []
        for month in range(3):
            values = [
                "●" if i % 4 == month else BLANK if i % 4 > month else None
                for i in range(first, last)
            ]
            formats = [mark if v == "●" else bar if v is BLANK else None for v in values]
            columns.append((2 + month, values, formats))
        return columns

    data: list[list[Any]] = [[f"actividad {i}" for i in range(n)], [f"c{i}" for i in range(n)]]
    _both(tmp_path, data, before=before, made=made)
    assert (0, BLOCK_ROWS) in asked and (BLOCK_ROWS, n) in asked
    sheet = openpyxl.load_workbook(tmp_path / "bloques.xlsx")["S"]
    assert sheet["C2"].value == "●" and sheet["C2"].font.b
    assert sheet["D4"].value is None and sheet["D4"].fill.fgColor.rgb.endswith("DDEBF7")  # a bar
    assert sheet["D2"].value is None and sheet["D2"].fill.fgColor.rgb == "00000000"  # nothing


def test_rows_kept_aside_or_merged_go_row_by_row(tmp_path: Path) -> None:
    def before(ws: StreamedSheet, workbook: Any) -> None:
        ws.set_row(5, 40)  # a height set ahead, inside the block
        ws.merge_range(0, 3, 3, 3, "combinada", workbook.add_format({"bold": 1}))

    data: list[list[Any]] = [[f"t{i}" for i in range(12)], [i / 3 for i in range(12)]]
    _both(tmp_path, data, before=before, heights=[0.0] * 5 + [28.0] * 7)
    sheet = openpyxl.load_workbook(tmp_path / "bloques.xlsx")["S"]
    assert sheet["A7"].value == "t5"


def test_blocks_one_after_another_are_written_as_row_by_row(tmp_path: Path) -> None:
    n = BLOCK_ROWS + 3  # the second block starts where the first left the sheet
    data: list[list[Any]] = [[f"texto {i}" if i % 5 else None for i in range(n)]]
    data.append([i * 0.5 for i in range(n)])
    _both(tmp_path, data, heights=[float(i % 2) * 30 for i in range(n)])


def test_blocks_are_bounded_and_skip_the_per_cell_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocks: list[int] = []
    per_row: list[int] = []
    write_columns = StreamedSheet.write_columns

    def counted(self: StreamedSheet, first: int, columns: Any, *args: Any) -> None:
        blocks.append(len(columns[0][1]))
        write_columns(self, first, columns, *args)

    cells_xml = StreamedSheet._cells_xml

    def per_cell(self: StreamedSheet, row: int, cells: Any) -> None:
        per_row.append(row)
        cells_xml(self, row, cells)

    monkeypatch.setattr(StreamedSheet, "write_columns", counted)
    monkeypatch.setattr(StreamedSheet, "_cells_xml", per_cell)
    n = BLOCK_ROWS * 2 + 5
    data = [[f"texto {i}" for i in range(n)], [f"código {i % 9}" for i in range(n)]]
    _book(tmp_path / "grande.xlsx", data, heights=[float(i % 3) * 15 for i in range(n)])
    assert blocks == [BLOCK_ROWS, BLOCK_ROWS, 5]
    assert per_row == [0, n + 1]  # only the header and the row after, written cell by cell


CELL = st.one_of(
    st.sampled_from(TEXTS + NUMBERS + DATES + OTHERS),
    st.text(alphabet=st.sampled_from(list("ab_x0F4 \n&<>=\x07é")), max_size=8),
)
# What a sheet's extra cells hold: any value write_cells (xlsxwriter's write) takes.
EXTRA = CELL.filter(lambda value: value is not pd.NA)


@settings(max_examples=40, deadline=None)
@given(
    columns=st.lists(st.lists(CELL, min_size=6, max_size=6), min_size=1, max_size=5),
    heights=st.lists(st.sampled_from([0.0, 15.0, 30.5, 409.0]), min_size=6, max_size=6),
    extras=st.lists(
        st.lists(st.tuples(st.integers(0, 7), EXTRA, st.booleans()), max_size=3),
        min_size=6,
        max_size=6,
    ),
)
def test_any_block_is_written_as_row_by_row(
    tmp_path_factory: pytest.TempPathFactory,
    columns: list[list[Any]],
    heights: list[float],
    extras: list[list[tuple[int, Any, bool]]],
) -> None:
    folder = tmp_path_factory.mktemp("bloque")
    formats: dict[str, Any] = {}

    def extra(i: int) -> list[tuple[int, Any, Any]]:
        fmt = formats.get("extra")
        return [(col, value, fmt if formatted else None) for col, value, formatted in extras[i]]

    def before(ws: StreamedSheet, workbook: Any) -> None:
        formats["extra"] = workbook.add_format({"italic": True})

    _both(folder, columns, heights=heights, extra=extra, before=before)


def test_whole_workbooks_are_the_same_bytes(tmp_path: Path) -> None:
    result = consolidate([ROOT / "samples"], output_dir=None, history_store=False)
    write_workbook(result, tmp_path / "bloques.xlsx", created=RUN_AT)
    with pytest.MonkeyPatch.context() as patch:
        _by_rows(patch)
        write_workbook(result, tmp_path / "filas.xlsx", created=RUN_AT)
    with (
        zipfile.ZipFile(tmp_path / "bloques.xlsx") as ours,
        zipfile.ZipFile(tmp_path / "filas.xlsx") as theirs,
    ):
        assert ours.namelist() == theirs.namelist()
        for name in ours.namelist():
            assert ours.read(name) == theirs.read(name), name
    assert cells.write_rows is write_rows
