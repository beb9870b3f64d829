"""summary_entities: the parts of Resumen that keep entities and provenance apart.

A run over several entities must not blend them into one set of figures without saying so:
Resumen labels its component table as the consolidated view and adds one line per entity with
that entity's own figures (the same ones its Seguimiento OCI form and the PDF print). With
many files the provenance (the cell each cut was read from, the file names) would fill page 1;
the heading then says it in a line and the detail goes to the end of the sheet.
"""

from __future__ import annotations

import math
from typing import Any

from pac_excel.check import labels, semaforo
from pac_excel.check.figures import no_compliance_label
from pac_excel.publish.content import entity_count, entity_reports
from pac_excel.result import Consolidation
from pac_excel.write.book import Book
from pac_excel.write.cells import PageRows, light_formats, row_points, text_height, write_text

ENTITY_HEADERS: tuple[str, ...] = (
    "Entidad",
    "Actividades",
    "Cumplidas",
    "Vencidas",
    "Avance promedio",
    "Cumplim. promedio",  # "Cumplimiento" alone is wider than the column
    "Semáforo",
)
ENTITY_TITLE = "Avance y cumplimiento por entidad (promedio de sus componentes)"
# The compliance chart's category labels, right of the print area (A:N): a component with
# no cumplimiento is labelled "(sin programación)" or "(sin dato)", since no chart labels a
# blank bar in LibreOffice.
CATEGORY_COL = 15
# More files than this and the heading summarises the provenance in one line.
LISTED_FILES = 3


def shown_pct(value: float | None, thresholds: semaforo.Thresholds, plain: Any, tenth: Any) -> Any:
    """The whole-percent format, or the one with a tenth when rounding to a whole percent
    would move the figure across a semáforo threshold: what a reader sees agrees with its
    colour (the colour is always decided on the unrounded value)."""
    if value is None or not math.isfinite(value):
        return plain
    whole = round(value * 100) / 100
    crosses = semaforo.traffic_light(whole, thresholds) != semaforo.traffic_light(value, thresholds)
    return tenth if crosses else plain


def consolidated_label(book: Book) -> str:
    """The component table's title: named as the consolidated view when entities are many."""
    n = entity_count(book.result)
    base = "Avance y cumplimiento por componente"
    return f"{base} (consolidado de las {n} entidades)" if n > 1 else base


HEADER_POINTS = 30.0


def _entity_header(ws: Any, f: Any, row: int) -> None:
    ws.set_row(row, HEADER_POINTS)
    for col, text in enumerate(ENTITY_HEADERS):
        ws.write_string(row, col, text, f.grid_header)


def entity_table(book: Book, ws: Any, row: int, width: float, page: PageRows) -> int:
    """One line per entity with its own figures, when the run has more than one; next row.

    ``page`` knows how full the printed page is: where a line no longer fits, the page breaks
    before it and the column headers are written again (``page.breaks``)."""
    # Totals only when there is no form sheet: its rows are built once per activity.
    reports = entity_reports(book.result, forms=book.entity_sheets)
    if len(reports) < 2:
        return row
    f, t = book.formats, book.thresholds
    ws.write_string(row, 0, ENTITY_TITLE, f.section)
    for col in range(1, len(ENTITY_HEADERS)):
        ws.write_blank(row, col, None, f.section)
    page.used += row_points(ws, row)
    row += 1
    _entity_header(ws, f, row)
    page.used += HEADER_POINTS
    first = row + 1
    for r in reports:
        row += 1
        height = text_height(r.entity, width)
        if page.starts_page(row, height, HEADER_POINTS):
            _entity_header(ws, f, row)
            row += 1
        write_text(ws, row, 0, r.entity, f.grid_text, f.grid_text_quoted)
        ws.write_number(row, 1, r.activities, f.grid_count)
        ws.write_number(row, 2, r.by_status.get("Cumplida", 0), f.grid_count)
        ws.write_number(row, 3, r.by_status.get("Vencida", 0), f.grid_count)
        for col, value in ((4, r.progress), (5, r.compliance)):
            if value is None:
                ws.write_string(row, col, "Sin dato", f.grid_center)
            else:
                fmt = f.grid_pct if col == 4 else shown_pct(value, t, f.grid_pct, f.grid_pct_tenth)
                ws.write_number(row, col, value, fmt)
        ws.write_string(row, 6, r.light or labels.NOTHING_DUE, f.grid_center)
        ws.set_row(row, height)
    light_formats(ws, f, first, row, 6)
    return row + 2


def many_files(book: Book) -> bool:
    return len(book.result.files_read) > LISTED_FILES


def counted_provenance(result: Consolidation) -> str:
    """ "leído de 100 archivos, todos con corte al 30/04/2020": the cut's origin counted, as
    Resumen and the terminal give it past ``LISTED_FILES`` files."""
    return (
        f"leído de {len(result.files_read)} archivos, todos con corte al {result.cutoff:%d/%m/%Y}"
    )


def provenance_line(book: Book) -> str:
    """The cut's origin as Resumen's indicator, its detail at the end of the sheet."""
    return f"{counted_provenance(book.result)} (el detalle, al final de esta hoja)"


def provenance_table(book: Book, ws: Any, row: int, last_col: int, width: float) -> int:
    """The cells each cut was read from and every file read, at the end of the sheet; returns
    the last row written."""
    f, result = book.formats, book.result
    ws.write_string(row, 0, "Procedencia del corte y archivos leídos", f.section)
    for col in range(1, last_col + 1):
        ws.write_blank(row, col, None, f.section)
    row += 1
    lines = [("Origen del corte", result.cutoff_source or "Sin dato")]
    listed = [i.text for i in result.file_programs] if result.mentions_programs else []
    lines += [("Archivo leído", text) for text in (listed or result.files_read)]
    for label, text in lines:
        ws.write_string(row, 0, label, f.label)
        ws.merge_range(row, 1, row, last_col, "", f.value)
        write_text(ws, row, 1, text[:32_000], f.value, f.value_quoted)
        ws.set_row(row, min(409.0, text_height(text, width)))
        row += 1
    return row - 1


def chart_categories(book: Book, ws: Any, header: int, first: int) -> None:
    """The component names the compliance chart shows, one per component table row."""
    f = book.formats
    components = book.components
    if components.empty:
        return
    ws.write_string(header, CATEGORY_COL, "Rótulo del gráfico", f.helper_header)
    ws.set_column(CATEGORY_COL, CATEGORY_COL, 24)
    names = components["component_label"].astype("string").fillna("").tolist()
    due = components["avg_compliance"].notna().tolist()
    for i, (name, has_due) in enumerate(zip(names, due, strict=True)):
        why = "" if has_due else f" ({no_compliance_label(components.iloc[i]).lower()})"
        ws.write_string(first + i, CATEGORY_COL, name + why, f.note)
