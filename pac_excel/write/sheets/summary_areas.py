"""summary_areas: Resumen's table by responsible area (its page 3), which the area chart reads.

Each area links to its block of the Por responsable sheet ("Ver área").
"""

from __future__ import annotations

import math
from typing import Any

from pac_excel.write.book import SHEET_OWNERS, SHEET_SUMMARY, Book
from pac_excel.write.cells import (
    PageRows,
    light_formats,
    row_points,
    text_height,
    threshold_formats,
    values,
    write_text,
)

AREA_HEADERS: tuple[str, ...] = (
    "Área responsable",
    "Actividades",
    "Cumplidas",
    "Vencidas",
    "Sin avance",
    "Sin seguimiento",
    "Entregas hasta el corte",
    "Entregas vencidas",
    "Avance promedio",
    "Cumplimiento promedio",
    "Semáforo",
    "Detalle",
)
_AREA_FIELDS: tuple[str, ...] = (
    "area", "activities", "cumplidas", "vencidas", "sin_avance", "sin_seguimiento",
    "due_deliveries", "overdue_deliveries", "avg_progress", "avg_compliance", "traffic_light",
)  # fmt: skip
# "Ver área" links are for the screen: their column sits right of Resumen's print area (A:N).
LINK_COL = 14
LINK_WIDTH = 10.0
MAX_LINKS = 5_000  # well under Excel's 65,530 links per sheet


def section(ws: Any, fmt: Any, row: int, first: int, last: int, text: str) -> None:
    ws.write_string(row, first, text, fmt)
    for col in range(first + 1, last + 1):
        ws.write_blank(row, col, None, fmt)


def grid_cell(
    ws: Any, row: int, col: int, value: Any, kind: str, cells: dict[str, Any], f: Any
) -> None:
    if kind == "text":
        write_text(ws, row, col, str(value), f.grid_text, f.grid_text_quoted)
    elif value is None or (isinstance(value, float) and not math.isfinite(value)):
        ws.write_blank(row, col, None, cells[kind])
    elif isinstance(value, str):
        ws.write_string(row, col, value, cells[kind])
    else:
        ws.write_number(row, col, value, cells[kind])


HEADER_POINTS = 40.0


def _area_header(ws: Any, f: Any, row: int, links: bool) -> None:
    ws.set_row(row, HEADER_POINTS)
    for col, text in enumerate(AREA_HEADERS if links else AREA_HEADERS[:-1]):
        ws.write_string(row, LINK_COL if col == len(AREA_HEADERS) - 1 else col, text, f.grid_header)


def area_table(
    book: Book,
    ws: Any,
    row: int,
    area_rows: dict[tuple[str, str], int],
    label_width: float,
    page: PageRows,
    keep: int,
) -> dict[str, int]:
    """Resumen's page 3: one line per responsible area, with a link to its block.

    The table starts a printed page. Where a line no longer fits, the page breaks before it
    and the column headers are written again (``page.breaks``), except among the first
    ``keep`` lines: the area chart reads them as one range."""
    f, areas = book.formats, book.area_table
    section(ws, f.section, row, 0, len(AREA_HEADERS) - 2, "Avance por área responsable")
    row += 1
    links = book.entity_sheets  # no Por responsable: no block to link to
    ws.merge_range(
        row,
        0,
        row,
        len(AREA_HEADERS) - 2,
        "Una actividad con varias áreas cuenta en cada una."
        + (" «Ver área», a la derecha de la tabla (no se imprime), lleva a sus actividades, lo "
           "que vencía al corte y lo que falta (hoja Por responsable)." if links else ""),
        f.note,
    )  # fmt: skip
    row += 1
    header = row
    link_col = LINK_COL
    if links:
        ws.set_column(link_col, link_col, LINK_WIDTH)
    _area_header(ws, f, row, links)
    page.used = sum(row_points(ws, r) for r in range(header - 2, header + 1))
    first = row + 1
    cells = {"count": f.grid_count, "pct": f.grid_pct, "center": f.grid_center}
    kinds = ["text"] + ["count"] * 7 + ["pct", "pct", "center"]
    data_cols = len(AREA_HEADERS) - 1  # every column but the link
    if areas.empty:
        ws.write_string(first, 0, "Sin actividades", f.grid_text)
        for col in range(1, data_cols):
            ws.write_blank(first, col, None, f.grid_center)
        last = first
    else:
        columns = [values(areas[name]) for name in _AREA_FIELDS]
        entities = values(areas["entity"])
        keys = values(areas["area_key"])
        r = first - 1
        for i in range(len(areas)):
            r += 1
            label = book.area_label(entities[i], str(columns[0][i]))
            height = text_height(label, label_width)
            if i < keep:
                page.used += height
            elif page.starts_page(r, height, HEADER_POINTS):
                _area_header(ws, f, r, links)
                r += 1
            if write_text(ws, r, 0, label, f.grid_text, f.grid_text_quoted):
                book.report_cell_cut(SHEET_SUMMARY, r, 0, AREA_HEADERS[0], len(label))
            for col in range(1, data_cols):
                grid_cell(ws, r, col, columns[col][i], kinds[col], cells, f)
            # The link sits in its own cell: a linked name does not wrap in LibreOffice.
            target = area_rows.get((entities[i] or "", keys[i]))
            if target is not None and i < MAX_LINKS:
                ws.write_url(
                    r,
                    link_col,
                    f"internal:'{SHEET_OWNERS}'!A{target + 1}",
                    f.grid_link,
                    string="Ver área",
                    tip="Actividades del área, lo que vencía al corte y lo que falta",
                )
            elif links:
                ws.write_blank(r, link_col, None, f.grid_text)
            ws.set_row(r, height)
        last = r
    light_formats(ws, f, first, last, data_cols - 1)
    threshold_formats(ws, f, book.thresholds, first, last, data_cols - 2)
    return {"header": header, "first": first, "last": last, "end": last + 1}
