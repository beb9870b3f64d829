"""Streamed sheets: written row by row (memory flat in the number of files), nothing lost.

Every sheet but Resumen (and Evolución) is a write.stream.StreamedSheet. The tests prove the
bound on the work (at most one row in memory just before close), that a write above the
current row raises instead of vanishing, that the streamed book holds the very cells, formats,
heights and merges an in-memory book holds, and that the data lists keep their filter, frozen
header and banding without Excel tables.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import make_workbook
from readback import activities, consolidation, load, sheet_rows
from xlsxwriter import Workbook
from xlsxwriter.worksheet import Worksheet

import pac_excel
from pac_excel.result import Consolidation
from pac_excel.write import stream
from pac_excel.write import workbook as write_module
from pac_excel.write.sheets import evolution, tables
from pac_excel.write.stream import StreamedSheet, StreamOrderError
from pac_excel.write.workbook import write_workbook

ROOT = Path(__file__).resolve().parent.parent
BAND = ["MOD(ROW(),2)=0"]
LISTS = ("Actividades", "Alertas", "Problemas")


@pytest.fixture(scope="module")
def offices(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Consolidation, Path]]:
    """Generated office files (both layouts, a few hundred activities), consolidated once."""
    folder = tmp_path_factory.mktemp("offices")
    script = ROOT / "tests" / "bench" / "make_office_files.py"
    args = [str(folder / "entrada"), "--files", "12", "--activities", "30", "--seed", "3"]
    subprocess.run([sys.executable, str(script), *args], check=True, capture_output=True)
    # More than FORMS_MAX entities: all_forms keeps Por responsable, streamed like the rest.
    result = pac_excel.consolidate(
        [folder / "entrada"], output_dir=folder / "salida", history_store=False, publish=False,
        all_forms=True,
    )  # fmt: skip
    assert result.output is not None
    yield result, Path(result.output)


def test_streamed_sheets_hold_at_most_one_row_before_close(
    offices: tuple[Consolidation, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result, _ = offices
    assert len(result.activities) >= 300
    held: dict[str, tuple[bool, int]] = {}
    close = Workbook.close

    def watched(self: Workbook) -> None:
        for ws in self.worksheets():
            held[ws.name] = (isinstance(ws, StreamedSheet), len(ws.table))
        close(self)

    monkeypatch.setattr(Workbook, "close", watched)
    write_workbook(result, tmp_path / "libro.xlsx", all_forms=True)
    streamed = {name for name, (is_streamed, _) in held.items() if is_streamed}
    assert "Por responsable" in streamed
    assert streamed == set(held) - {"Resumen"}
    assert all(rows <= 1 for name, (_, rows) in held.items() if name in streamed)
    assert held["Resumen"][1] > 1  # in memory, for its charts' cached data


def _cells(path: Path) -> dict[str, dict[str, Any]]:
    """Per sheet: every cell's value and look, row heights, merges, filter, panes."""
    book = openpyxl.load_workbook(path)
    found: dict[str, dict[str, Any]] = {}
    for ws in book.worksheets:
        cells = {
            c.coordinate: (
                c.value,
                c.number_format,
                c.font.b,
                c.fill.fgColor.rgb,
                c.alignment.wrap_text,
            )
            for row in ws.iter_rows()
            for c in row
            if c.value is not None or c.has_style
        }
        heights = {r: d.height for r, d in ws.row_dimensions.items() if d.height}
        found[ws.title] = {
            "cells": cells,
            "heights": heights,
            "merged": sorted(str(r) for r in ws.merged_cells.ranges),
            "filter": ws.auto_filter.ref,
            "panes": ws.freeze_panes,
            "breaks": [b.id for b in ws.row_breaks.brk],
        }
    return found


def test_streamed_book_equals_the_in_memory_one(
    offices: tuple[Consolidation, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same run written with every sheet in memory (xlsxwriter's default mode) has the
    very same cells: streaming loses nothing, vertical merges and lone heights included."""
    result, streamed = offices
    for module in (write_module, tables, evolution):
        monkeypatch.setattr(module, "StreamedSheet", Worksheet)
    in_memory = write_workbook(result, tmp_path / "en_memoria.xlsx", all_forms=True)
    assert "Por responsable" in _cells(in_memory)
    assert _cells(streamed) == _cells(in_memory)
    merged = _cells(streamed)["Seguimiento OCI"]["merged"]
    assert any(r.startswith("A") and r.split(":")[0][1:] != r.split(":")[1][1:] for r in merged)


@pytest.mark.parametrize(
    "late",
    [
        lambda ws: ws.write_string(1, 0, "tarde"),
        lambda ws: ws.write_number(2, 3, 1.0),
        lambda ws: ws.write_blank(0, 0, None, ws.test_format),
        lambda ws: ws.set_row(2, 30),
        lambda ws: ws.merge_range(1, 0, 1, 3, "tarde", ws.test_format),
        lambda ws: ws.write_row(2, 0, ["a", "b"]),
    ],
)
def test_a_write_above_the_current_row_raises(tmp_path: Path, late: Any) -> None:
    workbook = Workbook(str(tmp_path / "orden.xlsx"), {"tmpdir": str(tmp_path)})
    ws = workbook.add_worksheet("Datos", worksheet_class=StreamedSheet)
    ws.test_format = workbook.add_format({"bold": True})
    ws.write_string(0, 0, "uno")
    ws.write_string(5, 0, "seis")
    with pytest.raises(StreamOrderError, match="Datos: row"):
        late(ws)
    ws.write_string(5, 1, "same row is fine")
    workbook.close()
    stream.release_streams(workbook)


def test_merges_down_and_heights_ahead_are_kept(tmp_path: Path) -> None:
    """What constant_memory alone drops: the lower rows of a vertical merge (their format)
    and the height of a row ahead that gets no cell."""
    path = tmp_path / "adelante.xlsx"
    workbook = Workbook(str(path), {"tmpdir": str(tmp_path)})
    ws = workbook.add_worksheet("Datos", worksheet_class=StreamedSheet)
    boxed = workbook.add_format({"border": 1, "bold": True})
    ws.merge_range(0, 0, 2, 0, "Subcomponente", boxed)
    ws.write_string(0, 1, "a")
    ws.write_string(1, 1, "b")
    ws.set_row(4, 30)
    ws.write_string(6, 0, "g")
    ws.merge_range(7, 0, 9, 1, "al final", boxed)
    workbook.close()
    stream.release_streams(workbook)
    sheet = load(path)["Datos"]
    assert sorted(str(r) for r in sheet.merged_cells.ranges) == ["A1:A3", "A8:B10"]
    assert sheet.row_dimensions[5].height == 30
    assert [sheet.cell(r, 1).border.left.style for r in (1, 2, 3)] == ["thin"] * 3
    assert sheet.cell(10, 2).border.bottom.style == "thin"
    assert [sheet.cell(1, 2).value, sheet.cell(2, 2).value, sheet.cell(7, 1).value] == [
        "a",
        "b",
        "g",
    ]
    assert not list(tmp_path.glob("tmp*"))  # the row files are removed


def test_lists_filter_freeze_and_band_every_row(offices: tuple[Consolidation, Path]) -> None:
    result, path = offices
    book = load(path)
    sizes = {
        "Actividades": len(result.activities),
        "Alertas": len(result.alerts),
        "Problemas": len(sheet_rows(path, "Problemas")) - 1,
    }
    for name in LISTS:
        ws = book[name]
        assert not ws.tables
        last = ws.max_row
        assert last == sizes[name] + 1
        ref = ws.auto_filter.ref
        assert ref is not None and ref.startswith("A1:") and ref.endswith(str(last))
        assert ws.freeze_panes in ("A2", "D2")
        bands = [
            (str(cf.sqref), rule.dxf.fill.fgColor.rgb if rule.dxf and rule.dxf.fill else None)
            for cf in ws.conditional_formatting
            for rule in cf.rules
            if rule.formula == BAND
        ]
        assert bands and bands[0][0] == "A2:" + ref.split(":")[1]
        header = ws["A1"]
        assert header.font.b and header.fill.fgColor.rgb.endswith("4472C4")
        # The band is the last rule: the semáforo and alarm colours win over it.
        rules = [rule for cf in ws.conditional_formatting for rule in cf.rules]
        others = [rule.priority for rule in rules if rule.formula != BAND]
        assert min(r.priority for r in rules if r.formula == BAND) > max(others, default=0)


def test_an_abandoned_book_closes_its_row_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A writer failing halfway leaves no row file open (Windows could not remove it) and
    nothing behind next to the target."""
    seen: list[Any] = []

    def failing(book: Any) -> None:
        seen.extend(book.sheets.values())
        raise RuntimeError("falla a mitad de camino")

    monkeypatch.setattr(write_module, "write_alerts", failing)
    result = consolidation(activities(*({"activity": f"Actividad {i}"} for i in range(40))))
    with pytest.raises(RuntimeError):
        write_workbook(result, tmp_path / "libro.xlsx")
    streamed = [ws for ws in seen if isinstance(ws, StreamedSheet)]
    assert len(streamed) == 6
    assert all(ws.row_data_fh.closed for ws in streamed)
    assert not any(Path(ws.row_data_filename).exists() for ws in streamed)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "text",
    ["plano", "a_x0041_b", "control\x01x", "tab\tsalto\n", "\ufffe\uffff", "_x00zz_", "", "\x1f"],
)
def test_the_escape_shortcut_escapes_as_xlsxwriter(text: str) -> None:
    assert StreamedSheet._escape_control_characters(text) == Worksheet._escape_control_characters(
        text
    )


def test_control_characters_and_escapes_read_back_as_written(tmp_path: Path) -> None:
    path = tmp_path / "escapes.xlsx"
    workbook = Workbook(str(path), {"tmpdir": str(tmp_path)})
    ws = workbook.add_worksheet("Datos", worksheet_class=StreamedSheet)
    texts = ["plano", " espacios ", "a < b & c > d", "línea\nsiguiente"]
    for row, text in enumerate(texts):
        ws.write_string(row, 0, text)
    workbook.close()
    stream.release_streams(workbook)
    assert [r[0] for r in sheet_rows(path, "Datos")] == texts


def test_a_streamed_sheet_refuses_objects_placed_by_heights_it_forgot(tmp_path: Path) -> None:
    workbook = Workbook(str(tmp_path / "grafico.xlsx"), {"tmpdir": str(tmp_path)})
    ws = workbook.add_worksheet("Datos", worksheet_class=StreamedSheet)
    with pytest.raises(StreamOrderError, match="no images or text boxes"):
        ws.insert_image(0, 0, "logo.png")
    with pytest.raises(StreamOrderError, match="no images or text boxes"):
        ws.insert_textbox(0, 0, "nota")
    ws.write_string(0, 0, "a")
    ws.write_string(1, 0, "b")  # row 1 written: row 0, above any chart, is gone
    with pytest.raises(StreamOrderError, match="before any row is written"):
        ws.insert_chart(3, 0, workbook.add_chart({"type": "line"}))
    workbook.close()
    stream.release_streams(workbook)


def _chart_book(path: Path, kind: Any, tmp: Path) -> None:
    """A list of rows of several heights with a line chart over them, and its data."""
    workbook = Workbook(str(path), {"tmpdir": str(tmp)})
    ws = workbook.add_worksheet("Datos", worksheet_class=kind)
    chart = workbook.add_chart({"type": "line"})
    chart.add_series({"values": ["Datos", 1, 1, 3, 1], "values_data": ["0.25", "0.5", "1"]})
    chart.set_size({"width": 400, "height": 300})
    ws.insert_chart(4, 3, chart, {"y_offset": 7})
    for row in range(60):
        ws.write_string(row, 0, f"fila {row}")
        if 1 <= row <= 3:
            ws.write_number(row, 1, row / 4 if row < 3 else 1.0)
        ws.set_row(row, 15 + (row % 4) * 10)
    workbook.close()
    stream.release_streams(workbook)


def test_a_chart_on_a_streamed_sheet_is_placed_as_in_memory(tmp_path: Path) -> None:
    streamed, in_memory = tmp_path / "flujo.xlsx", tmp_path / "memoria.xlsx"
    _chart_book(streamed, StreamedSheet, tmp_path)
    _chart_book(in_memory, None, tmp_path)
    with zipfile.ZipFile(streamed) as a, zipfile.ZipFile(in_memory) as b:
        for part in ("xl/drawings/drawing1.xml", "xl/charts/chart1.xml"):
            assert a.read(part) == b.read(part), part


def test_a_text_that_looks_like_rich_string_markup_stays_text(tmp_path: Path) -> None:
    """xlsxwriter's constant_memory writes "<r>…</r>" unescaped as its own markup: an input
    cell reading "<r>a & b</r>" made the whole workbook unreadable."""
    texts = ["<r>Revisar a & b</r>", "<r> Publicar <b>el</b> mapa </r>"]
    header: list[object] = [
        "SUBCOMPONENTE",
        "ACTIVIDADES",
        "RESPONSABLES",
        "FECHA PROGRAMADA",
        "% AVANCE",
    ]
    rows: list[list[object]] = [["FECHA CORTE:", "30/04/2020"], header]
    rows += [["Seguimiento", text, "OCI", "30/06/2020", "50%"] for text in texts]
    source = make_workbook(tmp_path / "raro.xlsx", {"S": rows})
    result = pac_excel.consolidate([source], output_dir=tmp_path / "salida", history_store=False,
                                   publish=False)  # fmt: skip
    assert result.output is not None
    book = openpyxl.load_workbook(result.output)
    shown = [c.value for row in book["Actividades"].iter_rows() for c in row]
    assert all(text in shown for text in texts)
    cronograma = [c.value for row in book["Cronograma"].iter_rows() for c in row]
    assert texts[0] in cronograma


def _sheet_xml(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {n: archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/")}


def _xlsxwriter_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    """Streamed sheets store and write their rows through xlsxwriter's own per-cell path."""
    monkeypatch.setattr(StreamedSheet, "_emit_row", Worksheet._write_single_row)
    monkeypatch.delattr(StreamedSheet, "write_cells")  # cells.write_cells: write_* per cell


def _every_kind_of_cell(path: Path) -> Path:
    workbook = Workbook(str(path))
    ws = workbook.add_worksheet("S", worksheet_class=StreamedSheet)
    bold, pct = workbook.add_format({"bold": True}), workbook.add_format({"num_format": "0%"})
    date = workbook.add_format({"num_format": "dd/mm/yyyy"})
    ws.set_column(3, 3, 12, pct)  # a column format for the cells without their own
    texts = ["plano", "a & b < c > d", " con espacios ", "línea\nnueva", "ctrl\x07x",
             "_x0041_", "<r>a & b</r>", "\u00a0nbsp", "x" * 300, "\"comillas\" y 'apóstrofo'",
             "\u2003em", "tab\t", "fin\n", "\u3000ideográfico", "", "a\u00a0"]  # fmt: skip
    for row, text in enumerate(texts):
        ws.write_string(row, 0, text, bold if row % 2 else None)
        ws.write_number(row, 1, [0, 1, 0.1, 1e-20, 123456789.123, -3.5][row % 6], pct)
        ws.write_datetime(row, 2, dt.datetime(2020, 4, 30, 12, 30) + dt.timedelta(days=row), date)
        ws.write_blank(row, 3, None)  # no format: the column's
        ws.write_blank(row, 4, None, bold)
        ws.set_row(row, 15 + row)
    ws.merge_range(20, 0, 22, 1, "combinada hacia abajo", bold)
    ws.write_formula(20, 4, "=1+1", None, 2)  # through xlsxwriter's _write_cell
    ws.write_boolean(21, 4, True)
    ws.write_url(22, 4, "internal:'S'!A1", string="Ver")
    ws.set_row(24, 30, bold)  # a row format and no cell
    ws.write_string(25, 2, "fila con formato", None)
    ws.set_row(25, None, pct)
    workbook.close()
    stream.release_streams(workbook)
    return path


def test_the_row_writer_writes_what_xlsxwriter_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """StreamedSheet._cells_xml, byte for byte against xlsxwriter's per-cell path, for every
    kind of cell, format source, escape and row attribute (so Excel reads what it always read)."""
    ours = _sheet_xml(_every_kind_of_cell(tmp_path / "propio.xlsx"))
    _xlsxwriter_rows(monkeypatch)
    theirs = _sheet_xml(_every_kind_of_cell(tmp_path / "xlsxwriter.xlsx"))
    assert ours == theirs
    assert b"&lt;r&gt;a &amp; b&lt;/r&gt;" in ours["xl/worksheets/sheet1.xml"]


def test_the_row_writer_writes_the_real_workbook_as_xlsxwriter(
    offices: tuple[Consolidation, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result, _ = offices
    created = dt.datetime(2020, 5, 5, 8, 0)
    ours = _sheet_xml(
        write_workbook(result, tmp_path / "propio.xlsx", created=created, all_forms=True)
    )
    _xlsxwriter_rows(monkeypatch)
    theirs = write_workbook(result, tmp_path / "xlsxwriter.xlsx", created=created, all_forms=True)
    assert ours == _sheet_xml(theirs)
    assert len(ours) >= 6


def test_a_row_of_texts_is_stored_as_write_string_stores_it(tmp_path: Path) -> None:
    """write_cells: the same cells as write_string, long texts cut the same way, and a row
    above the current one refused like any other write."""
    emoji = "\U0001f600" * 20_000  # 40,000 UTF-16 units: over Excel's 32,767
    cells = [(0, "uno", None), (2, "tres", None), (1, emoji, None)]
    books = []
    for name in ("filas", "celdas"):
        workbook = Workbook(str(tmp_path / f"{name}.xlsx"))
        ws = workbook.add_worksheet("S", worksheet_class=StreamedSheet)
        ws.write_string(0, 0, "antes")
        if name == "filas":
            ws.write_cells(1, cells)
        else:
            for col, text, cell_format in cells:
                ws.write_string(1, col, text, cell_format)
        with pytest.raises(StreamOrderError):
            ws.write_cells(0, [(5, "tarde", None)])
        workbook.close()
        stream.release_streams(workbook)
        books.append(_sheet_xml(tmp_path / f"{name}.xlsx"))
    assert books[0] == books[1]
