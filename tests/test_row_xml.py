"""The row writer's per-row shortcuts (StreamedSheet._cells_xml) write what xlsxwriter writes.

One look at all of a row's texts decides whether any of them needs escaping, and each column's
letters and each format's index are kept from their first use. These tests put, in one row,
texts that need an escape beside texts that do not, pieces that would only look like an escape
when joined, several formats and the column's and row's own, and compare the sheet XML byte
for byte with xlsxwriter's per-cell path (tests/test_streaming.py does so one text a row).
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from xlsxwriter import Workbook
from xlsxwriter.worksheet import Worksheet

from pac_excel.write import stream
from pac_excel.write.stream import StreamedSheet

ROWS = [
    ["plano", "ctrl\x07x", "también plano"],  # one text to escape among plain ones
    ["_x00", "41_", "a_x0041_b"],  # joined, the first two would not form an escape
    ["línea\nnueva", "tab\tfin", "\u00a0nbsp", "sin nada"],  # not printable, nothing to escape
    ["a & b", "plano", "<r>x</r>", "c > d"],  # markup in some cells only
    ["\ufffe", "normal", "\x1f"],
    [" espacio", "fin ", "\u3000", ""],
    ["uno", "dos", "tres", "cuatro", "cinco", "seis"],
]


def _write(path: Path) -> dict[str, bytes]:
    workbook = Workbook(str(path))
    ws = workbook.add_worksheet("S", worksheet_class=StreamedSheet)
    bold, wrap = workbook.add_format({"bold": True}), workbook.add_format({"text_wrap": True})
    pct = workbook.add_format({"num_format": "0%"})
    ws.set_column(2, 2, 14, pct)  # a column's format for its cells without their own
    for row, texts in enumerate(ROWS):
        if row == 3:  # a column's format set midway: its later cells without one fall back to it
            ws.set_column(1, 1, 12, bold)
        for col, text in enumerate(texts):
            ws.write_string(row, col, text, (bold, wrap, None)[(row + col) % 3])
        ws.write_number(row, len(texts), row / 7, pct)
        ws.write_datetime(row, len(texts) + 1, dt.datetime(2020, 1, 1 + row), bold)
    ws.set_row(len(ROWS), 20, wrap)  # a row's format for its cells without their own
    ws.write_string(len(ROWS), 0, "con el formato de la fila")
    ws.write_string(len(ROWS), 3, "y otro", bold)
    workbook.close()
    stream.release_streams(workbook)
    with zipfile.ZipFile(path) as archive:
        return {n: archive.read(n) for n in archive.namelist() if n.startswith("xl/")}


def _xlsxwriter_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(StreamedSheet, "_emit_row", Worksheet._write_single_row)


def test_a_row_of_mixed_texts_is_written_as_xlsxwriter_writes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ours = _write(tmp_path / "propio.xlsx")
    with monkeypatch.context() as patch:
        _xlsxwriter_rows(patch)
        theirs = _write(tmp_path / "xlsxwriter.xlsx")
    assert ours == theirs  # the sheet and styles.xml: the formats got the same indices
    sheet = ours["xl/worksheets/sheet1.xml"].decode()
    assert "ctrl_x0007_x" in sheet and "_x005F_x0041_" in sheet
    assert ">_x00<" in sheet and ">41_<" in sheet  # no escape made of two cells
    assert "&lt;r&gt;x&lt;/r&gt;" in sheet


TEXT = st.text(
    alphabet=st.sampled_from(list("ab_x0F41 \n\t&<>\x07\x1f\u00a0\ufffe\uffffé")), max_size=12
)


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.lists(TEXT, min_size=1, max_size=5), min_size=1, max_size=4))
def test_any_row_of_texts_is_written_as_xlsxwriter_writes_it(
    tmp_path_factory: pytest.TempPathFactory, rows: list[list[str]]
) -> None:
    folder = tmp_path_factory.mktemp("filas")
    books = []
    for name, theirs in (("propio", False), ("xlsxwriter", True)):
        with pytest.MonkeyPatch.context() as patch:
            if theirs:
                _xlsxwriter_rows(patch)
            workbook = Workbook(str(folder / f"{name}.xlsx"))
            ws = workbook.add_worksheet("S", worksheet_class=StreamedSheet)
            for row, texts in enumerate(rows):
                for col, text in enumerate(texts):
                    ws.write_string(row, col, text)
            workbook.close()
            stream.release_streams(workbook)
        with zipfile.ZipFile(folder / f"{name}.xlsx") as archive:
            books.append(archive.read("xl/worksheets/sheet1.xml"))
    assert books[0] == books[1]
