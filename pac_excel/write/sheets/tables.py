"""tables: Actividades, Alertas and Problemas, each one filtered list with its header in row 1.

These are the working sheets: filters, banded rows, frozen header, widths fitted to the
content, numbers as numbers. They are streamed (write.stream), where Excel tables cannot be
written, so each is a plain range: a styled header, an autofilter over the data and every
other row tinted by a conditional format, which stays right after sorting or filtering. Actividades keeps the foundation's 17 columns in order; what a
director prints is its readable part (Componente onwards, see ``write_activities``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd

from pac_excel.check.contradictions import shown_status
from pac_excel.check.figures import alert_text
from pac_excel.check.labels import (
    ALERTS,
    NO_SCHEDULE_YET,
    OVERDUE,
)
from pac_excel.problems import problems_frame
from pac_excel.write.book import SHEET_ACTIVITIES, SHEET_ALERTS, SHEET_HISTORY, SHEET_PROBLEMS, Book
from pac_excel.write.cells import (
    MAX_ROWS,
    Column,
    ExtraCells,
    alarm_format,
    fitted_widths,
    light_formats,
    print_setup,
    row_heights,
    threshold_formats,
    values,
    write_rows,
)
from pac_excel.write.stream import StreamedSheet

ACTIVITY_COLUMNS: tuple[Column, ...] = (
    Column("Archivo", 12, "wrap", 24),
    Column("Hoja", 8, "wrap", 16),
    Column("Fila", 5, "int"),
    Column("Entidad", 12, "wrap", 20),
    Column("Componente", 16, "wrap", 20),
    Column("Subcomponente", 14, "wrap", 18),
    Column("Actividad", 24, "wrap", 38),
    Column("Meta o producto", 18, "wrap", 28),
    Column("Responsable", 14, "wrap", 18),
    Column("Fechas programadas", 11, "wrap", 12),
    Column("Avance reportado", 9, "pct_note"),
    Column("Avance esperado", 9, "pct"),
    Column("Cumplimiento", 13, "pct_note"),
    Column("Semáforo", 9, "center"),
    Column("Estado", 9.5, "center_wrap", 12),  # "Cumplida (por verificar)" wraps
    Column("Alertas", 11, "wrap", 14),
    Column("Seguimiento", 24, "wrap", 38),
)
# The fields behind ACTIVITY_COLUMNS: frame columns, or what write_activities computes.
_ACTIVITY_FIELDS: tuple[str, ...] = (
    "file", "sheet", "row", "entity", "component_label", "subcomponent", "activity", "goal",
    "owner", "schedule", "progress", "expected", "compliance", "traffic_light", "status",
    "alerts", "followup",
)  # fmt: skip
# Frame field -> its header in Actividades: what reads the sheet back (mail) looks it up here.
ACTIVITY_HEADERS: dict[str, str] = dict(
    zip(_ACTIVITY_FIELDS, (c.header for c in ACTIVITY_COLUMNS), strict=True)
)
# Columns Actividades carries only when some file reports them, each after the column named:
# the area's own progress beside the OCI's, the office's own estado beside pac-excel's.
OPTIONAL_ACTIVITY_COLUMNS: tuple[tuple[str, str, Column], ...] = (
    ("area_progress", "Avance reportado", Column("Avance reportado por el área", 10, "pct")),
    ("reported_status", "Estado", Column("Estado reportado", 11, "center_wrap", 16)),
    # Support addresses as plain text (never live links): normalize.evidence.
    ("evidence", "Seguimiento", Column("Evidencias", 24, "wrap", 40)),
)
ALERT_COLUMNS: tuple[Column, ...] = (
    Column("Archivo", 12, "wrap", 24),
    Column("Hoja", 8, "wrap", 16),
    Column("Fila", 5, "int"),
    Column("Componente", 18, "wrap", 26),
    Column("Actividad", 30, "wrap", 50),
    Column("Responsable", 16, "wrap", 24),
    Column("Alerta", 12, "wrap", 20),
    Column("Detalle", 30, "wrap", 55),
)
HISTORY_COLUMNS: tuple[Column, ...] = (
    Column("Archivo", 14, "wrap", 34),
    Column("Hoja", 8, "wrap", 16),
    Column("Fila", 5, "int"),
    Column("Actividad", 30, "wrap", 50),
    Column("Corte", 14, "wrap", 24),
    Column("Fecha del corte", 11, "date"),
    Column("Avance reportado", 9, "pct"),
    Column("Seguimiento", 40, "wrap", 60),
)
PROBLEM_COLUMNS: tuple[Column, ...] = (
    Column("Archivo", 14, "wrap", 34),
    Column("Hoja", 8, "wrap", 16),
    Column("Fila", 5, "int"),
    Column("Columna", 8, "center"),
    Column("Severidad", 11, "center"),
    Column("Código", 14, "text", 26),
    Column("Problema", 40, "wrap", 80),
)
# First printed column of Actividades: Archivo, Hoja and Fila trace a row back to its file
# but are noise on paper, where the page header names the entity and the cut.
PRINT_FROM = ACTIVITY_COLUMNS.index(next(c for c in ACTIVITY_COLUMNS if c.header == "Componente"))
ENTITY_COL = 3


def data_table(
    book: Book,
    ws: Any,
    name: str,
    columns: Sequence[Column],
    data: Sequence[list[Any]],
    placeholder: tuple[int, str],
    *,
    freeze_cols: int = 0,
    activity_ids: Sequence[Any] | None = None,
    print_from: int = 0,
    highlight: Callable[[int], None] | None = None,
    extra: Callable[[int], ExtraCells] | None = None,
) -> int:
    """Write one filtered list with its header in row 1; returns its last data row (0-based).

    Written top to bottom (the sheet may be streamed). An empty frame gets one row whose
    ``placeholder`` column says so, so the filter has a row to show. ``activity_ids`` (one per
    data row) lets a text cut at Excel's limit be reported against the activity it came from.
    ``highlight(last)`` adds the sheet's own conditional formats before the banding, so they
    take precedence over it. ``extra(index)``: cells right of the list on data row ``index``
    (``write_rows``).
    """
    formats = book.formats
    n = len(data[0]) if data else 0
    if n + 1 > MAX_ROWS:  # guarded earlier for activities and alerts; kept for any caller
        raise ValueError(f"{name}: {n} rows")
    if n == 0:
        col, message = placeholder
        data = [[message] if i == col else [None] for i in range(len(columns))]
        n = 1
    widths = fitted_widths(columns, data)
    for col, (spec, width) in enumerate(zip(columns, widths, strict=True)):
        ws.set_column(col, col, width, formats.cells[spec.kind][0])

    def on_cut(index: int, col: int, length: int) -> None:
        if activity_ids is not None and index < len(activity_ids):
            book.report_source_cut(columns[col].header, length, activity_ids[index])
        else:
            book.report_cell_cut(name, 1 + index, col, columns[col].header, length)

    wrapped = [
        (w, d)
        for c, w, d in zip(columns, widths, data, strict=True)
        if c.kind in ("wrap", "pct_note", "center_wrap")
    ]
    heights = row_heights([w for w, _ in wrapped], [d for _, d in wrapped])
    last_col = len(columns) - 1
    for col, spec in enumerate(columns):
        ws.write_string(0, col, spec.header, formats.list_header)
    ws.set_row(0, 30)
    write_rows(ws, formats, columns, data, first=1, on_cut=on_cut, heights=heights, extra=extra)
    ws.autofilter(0, 0, n, last_col)
    if highlight is not None:
        highlight(n)
    band_rows(ws, book, 1, n, last_col)
    ws.freeze_panes(1, freeze_cols)
    print_setup(
        ws,
        book.page_header,
        book.page_footer,
        repeat=(0, 0),
        area=(0, print_from, n, last_col),
    )
    return n


BAND_RULE = "=MOD(ROW(),2)=0"


def band_rows(ws: Any, book: Book, first: int, last: int, last_col: int) -> None:
    """Every other row tinted, by a formula on the row number: right after any sort."""
    ws.conditional_format(
        first, 0, last, last_col,
        {"type": "formula", "criteria": BAND_RULE, "format": book.formats.list_band},
    )  # fmt: skip


def write_activities(book: Book) -> None:
    """One row per activity; N/A and "nothing due yet" spelled out instead of blank cells."""
    acts = book.activities
    ws = book.sheets[SHEET_ACTIVITIES]
    na = acts["not_applicable"].fillna(False).astype(bool)
    progress = pd.Series(values(acts["progress"]), index=acts.index, dtype=object)
    reported = progress.where(~na, "N/A").tolist()
    # Nothing was due yet: say so rather than leave a blank that reads like missing data.
    nothing_due = acts["expected"].eq(0).fillna(False).astype(bool) & ~na
    compliance = pd.Series(values(acts["compliance"]), index=acts.index, dtype=object)
    compliance = compliance.where(~nothing_due, NO_SCHEDULE_YET).tolist()
    computed = {"progress": reported, "compliance": compliance, "alerts": values(alert_text(acts))}
    computed["status"] = values(shown_status(acts))
    columns, fields = _activity_columns(acts)
    data = [computed[f] if f in computed else values(acts[f]) for f in fields]
    # Printed from Componente on; with several entities Entidad is printed too.
    print_from = ENTITY_COL if book.several_entities else PRINT_FROM
    headers = [c.header for c in columns]

    def highlight(last: int) -> None:
        col = headers.index("Cumplimiento")
        threshold_formats(ws, book.formats, book.thresholds, 1, last, col)
        light_formats(ws, book.formats, 1, last, headers.index("Semáforo"))
        alarm_format(ws, book.formats, 1, last, headers.index("Estado"), OVERDUE)

    data_table(
        book,
        ws,
        SHEET_ACTIVITIES,
        columns,
        data,
        placeholder=(6, "No se encontraron actividades"),
        freeze_cols=3,
        activity_ids=acts["activity_id"].tolist(),
        print_from=print_from,
        highlight=highlight,
    )


def _activity_columns(acts: pd.DataFrame) -> tuple[list[Column], list[str]]:
    """ACTIVITY_COLUMNS plus each optional column some activity has a value for."""
    columns = list(ACTIVITY_COLUMNS)
    fields = list(_ACTIVITY_FIELDS)
    for field, after, column in OPTIONAL_ACTIVITY_COLUMNS:
        if field in acts and acts[field].notna().any():
            at = [c.header for c in columns].index(after) + 1
            columns.insert(at, column)
            fields.insert(at, field)
    return columns, fields


def write_alerts(book: Book) -> None:
    alerts = book.result.alerts
    fields = ("file", "sheet", "row", "component_label", "activity", "owner", "alert", "detail")
    ws = book.sheets[SHEET_ALERTS]
    data_table(
        book,
        ws,
        SHEET_ALERTS,
        ALERT_COLUMNS,
        [values(alerts[f]) for f in fields],
        placeholder=(6, "No se encontraron alertas"),
        activity_ids=alerts["activity_id"].tolist(),
        highlight=lambda last: alarm_format(ws, book.formats, 1, last, 6, ALERTS["vencida"]),
    )


def write_problems(book: Book) -> None:
    """The run's problems, the caller's notices and the writer's own (Book.report); written
    last for that."""
    frame = problems_frame([*book.result.problems, *book.notices, *book.problems])
    fields = ("file", "sheet", "row", "column", "severity", "code", "message")
    ws = book.sheets[SHEET_PROBLEMS]
    data_table(
        book,
        ws,
        SHEET_PROBLEMS,
        PROBLEM_COLUMNS,
        [values(frame[f]) for f in fields],
        placeholder=(6, "No se encontraron problemas"),
        highlight=lambda last: alarm_format(ws, book.formats, 1, last, 4, "Error"),
    )


def write_history(book: Book) -> None:
    """Earlier cuts found beside the one consolidated, for comparison between cuts."""
    history = book.result.history
    if history is None or history.empty:
        return
    acts = book.result.activities.set_index("activity_id")["activity"]
    names = history["activity_id"].map(acts)
    progress = values(history["progress"])
    reported = [
        "N/A" if na is True else p
        for p, na in zip(progress, values(history["not_applicable"]), strict=True)
    ]
    dates = [d.date() if d is not None else None for d in values(history["cut_date"])]
    ws = book.workbook.add_worksheet(SHEET_HISTORY, worksheet_class=StreamedSheet)
    data_table(
        book,
        ws,
        SHEET_HISTORY,
        HISTORY_COLUMNS,
        [
            values(history["file"]),
            values(history["sheet"]),
            values(history["row"]),
            values(names),
            values(history["cut"]),
            dates,
            reported,
            values(history["followup"]),
        ],
        placeholder=(3, "Sin otros cortes"),
    )
