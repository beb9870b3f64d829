"""by_owner: Por responsable, the list the OCI sends each area when chasing evidence.

One block per owner area (owners.py splits "Planeación / TIC" and multi-line cells), each
starting on a new printed page so it can be printed or saved as PDF and sent on its own: a
heading with the area's counts, then its activities with what was due at the cut, what is
missing, and the next delivery. Activities with something missing come first.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from pac_excel.write.book import SHEET_OWNERS, Book
from pac_excel.write.cells import (
    MAX_PAGE_BREAKS,
    MAX_ROWS,
    Column,
    SheetTooLarge,
    fitted_widths,
    print_setup,
    row_heights,
    values,
    write_text,
)

COLUMNS: tuple[Column, ...] = (
    Column("Actividad", 26, "wrap", 36),
    Column("Meta o producto", 18, "wrap", 26),
    Column("Componente", 14, "wrap", 16),
    Column("Responsable (como figura en el plan)", 14, "wrap", 18),
    Column("Entregas hasta el corte", 16, "wrap"),
    Column("Avance reportado", 9, "pct_note"),
    Column("Avance esperado", 9, "pct"),
    Column("Estado", 9.5, "center"),
    Column("Qué falta", 24, "wrap", 30),
    Column("Próxima entrega", 10.5, "date"),
    Column("Origen", 16, "small_wrap", 18),
)
MISSING_COL = 8
# Columns that show an input text, by their name in Actividades (for the cut problem).
INPUT_FIELDS = {0: "Actividad", 1: "Meta o producto", 2: "Componente", 3: "Responsable"}
NOTHING_MISSING = "Nada pendiente al corte"
HEADER_ROWS = 3  # title, note, column header: repeated on every printed page


def write_owners(book: Book) -> dict[tuple[str, str], int]:
    """Fill Por responsable; returns each (entity, area key)'s heading row (0-based)."""
    ws = book.sheets[SHEET_OWNERS]
    f = book.formats
    areas = book.areas
    table = book.area_table
    total_rows = HEADER_ROWS + len(areas) + 3 * len(table)
    if total_rows > MAX_ROWS:
        raise SheetTooLarge(SHEET_OWNERS, total_rows)

    by_id, data = _activity_cells(book)
    widths = fitted_widths(COLUMNS, data)
    for col, (spec, width) in enumerate(zip(COLUMNS, widths, strict=True)):
        ws.set_column(col, col, width, f.cells[spec.kind][0])
    wrapped = [i for i, c in enumerate(COLUMNS) if c.kind in ("wrap", "pct_note", "small_wrap")]
    # 8 pt text fits about 10/8 as many characters per unit of width.
    scale = [1.25 if COLUMNS[i].kind == "small_wrap" else 1.0 for i in wrapped]
    heights = row_heights(
        [widths[i] * s for i, s in zip(wrapped, scale, strict=True)], [data[i] for i in wrapped]
    )
    position = {activity_id: i for i, activity_id in enumerate(by_id.index)}
    last_col = len(COLUMNS) - 1
    _sheet_head(book, ws, last_col)
    members = _members(book)

    rows: dict[tuple[str, str], int] = {}
    breaks: list[int] = []
    row = HEADER_ROWS
    cells = _CellWriter(book, ws)
    for area in table.itertuples(index=False):
        entity = area.entity if isinstance(area.entity, str) else ""
        group = members.get((entity, area.area_key))
        if group is None:
            continue
        if row > HEADER_ROWS and len(breaks) < MAX_PAGE_BREAKS:
            breaks.append(row)
        rows[(entity, str(area.area_key))] = row
        row = _area_heading(book, ws, row, area, entity, group, sum(widths))
        for activity_id in group["activity_id"]:
            i = position[activity_id]
            cells.row(row, [column[i] for column in data], activity_id)
            if heights[i]:
                ws.set_row(row, float(heights[i]))
            row += 1
        row += 1  # a blank line before the next area, for screens

    if not rows:
        ws.merge_range(HEADER_ROWS, 0, HEADER_ROWS, last_col, "No se encontraron actividades",
                       f.note)  # fmt: skip
        row = HEADER_ROWS + 1
    ws.set_h_pagebreaks(breaks)
    ws.freeze_panes(HEADER_ROWS, 0)
    print_setup(
        ws,
        book.page_header,
        book.page_footer,
        repeat=(0, HEADER_ROWS - 1),
        # A paper sheet: "Origen" (file and row, for the screen) stays out so it prints ≥ 8 pt.
        area=(0, 0, max(row - 1, HEADER_ROWS), last_col - 1),
        smallest_font=9.0,
    )
    return rows


def _activity_cells(book: Book) -> tuple[pd.DataFrame, list[list[Any]]]:
    """One row of cell values per activity (column-wise), reused for every area it is in."""
    by_id = book.activities.set_index("activity_id", drop=False)
    details = book.pending
    na = by_id["not_applicable"].fillna(False).astype(bool)
    progress = pd.Series(values(by_id["progress"]), index=by_id.index, dtype=object)
    reported = progress.where(~na, "N/A")
    reported = reported.where(reported.notna() | na, "Sin dato")
    next_date = by_id["next_date"]
    data = [
        values(by_id["activity"]),
        values(by_id["goal"]),
        values(by_id["component_label"]),
        values(by_id["owner"]),
        values(details["delivered"]),
        reported.tolist(),
        values(by_id["expected"]),
        values(by_id["status"]),
        values(details["missing"]),
        [None if pd.isna(d) else pd.Timestamp(d).to_pydatetime() for d in next_date],
        values(details["origin"]),
    ]
    return by_id, data


def _sheet_head(book: Book, ws: Any, last_col: int) -> None:
    """Title, how to use the sheet, and the column header: the rows every page repeats."""
    f = book.formats
    ws.merge_range(
        0, 0, 0, last_col,
        f"Pendientes por área responsable · corte {book.result.cutoff:%d/%m/%Y}", f.title,
    )  # fmt: skip
    ws.set_row(0, 26)
    ws.merge_range(
        1, 0, 1, last_col,
        "Una sección por área, cada una en su propia página: imprímala o guárdela como PDF y "
        "envíela al área. Primero las actividades con algo pendiente. Una actividad con varias "
        "áreas aparece en cada una.",
        f.note,
    )  # fmt: skip
    ws.set_row(1, 26)
    for col, spec in enumerate(COLUMNS):
        ws.write_string(2, col, spec.header, f.grid_header)
    ws.set_row(2, 30)


def _members(book: Book) -> dict[Any, pd.DataFrame]:
    """Each (entity, area key)'s activities, those with something missing first."""
    areas = book.areas
    pending = book.pending["missing"].notna()
    order = pd.DataFrame(
        {"activity_id": areas["activity_id"], "entity": areas["entity"].fillna(""),
         "key": areas["area_key"], "subunits": areas["subunits"],
         "pending": areas["activity_id"].map(pending).fillna(False).astype(bool)}
    )  # fmt: skip
    order = order.sort_values(["pending", "activity_id"], ascending=[False, True], kind="stable")
    return {key: group for key, group in order.groupby(["entity", "key"], sort=False)}


def _area_heading(
    book: Book, ws: Any, row: int, area: Any, entity: str, group: pd.DataFrame, width: float
) -> int:
    """The area's name and its counts line; returns the row of its first activity."""
    f = book.formats
    last_col = len(COLUMNS) - 1
    label = book.area_label(entity, str(area.area))
    ws.merge_range(row, 0, row, last_col, "", f.area_heading)
    write_text(ws, row, 0, label, f.area_heading, f.area_heading)
    ws.set_row(row, 20)
    row += 1
    subunits = sorted({s for v in group["subunits"].dropna() for s in str(v).split("; ")})
    line = _area_line(area, subunits)
    ws.merge_range(row, 0, row, last_col, "", f.area_summary)
    if write_text(ws, row, 0, line, f.area_summary, f.area_summary):
        book.report_cell_cut(SHEET_OWNERS, row, 0, "Sub-unidades", len(line))
    ws.set_row(row, max(16.0, 13.0 * (1 + len(line) // int(width * 1.1)) + 3))
    return row + 1


def _area_line(area: Any, subunits: list[str]) -> str:
    """The counts under an area's heading, in the words of a memo."""

    def pct(value: Any) -> str:
        return "sin dato" if pd.isna(value) else f"{float(value) * 100:.0f} %"

    parts = [
        f"{area.activities} actividad{'es' if area.activities != 1 else ''}",
        f"entregas hasta el corte: {area.due_deliveries}, sin cumplir: {area.overdue_deliveries}",
        f"vencidas: {area.vencidas}",
        f"sin avance: {area.sin_avance}",
        f"sin seguimiento: {area.sin_seguimiento}",
        f"avance promedio {pct(area.avg_progress)}",
        f"cumplimiento promedio {pct(area.avg_compliance)}",
    ]
    text = " · ".join(parts)
    if subunits:
        text += " · sub-unidades: " + "; ".join(subunits)
    return text[0].upper() + text[1:]


class _CellWriter:
    """One activity's cells, with each column's formats and names looked up once per sheet
    (per-cell lookups measured as a third of this sheet's time with 1,000 files)."""

    def __init__(self, book: Book, ws: Any) -> None:
        f = book.formats
        self.book, self.ws = book, ws
        self.columns = [(col, *f.cells[c.kind], c.header) for col, c in enumerate(COLUMNS)]
        self.missing = (f.missing, f.missing_quoted, f.quiet)

    def row(self, row: int, values: list[Any], activity_id: Any) -> None:
        ws, book = self.ws, self.book
        for (col, plain, quoted, header), value in zip(self.columns, values, strict=True):
            if col == MISSING_COL:
                missing, missing_quoted, quiet = self.missing
                if value is None:
                    ws.write_string(row, col, NOTHING_MISSING, quiet)
                elif write_text(ws, row, col, value, missing, missing_quoted):
                    book.report_cell_cut(SHEET_OWNERS, row, col, "Qué falta", len(value))
            elif value is None:
                continue
            elif isinstance(value, str):
                if value and write_text(ws, row, col, value, plain, quoted):
                    if col in INPUT_FIELDS:
                        book.report_source_cut(INPUT_FIELDS[col], len(value), activity_id)
                    else:
                        book.report_cell_cut(SHEET_OWNERS, row, col, header, len(value))
            elif isinstance(value, (int, float)):
                ws.write_number(row, col, value, plain)
            else:
                ws.write_datetime(row, col, value, plain)
