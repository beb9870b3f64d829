"""write: one Consolidation in, one formatted workbook out (Resumen, Actividades, Alertas, Problemas).

The workbook is what the OCI e-mails to its director, so everything a user sees is Spanish and
every input text is written as text: never a formula, a number or a link (see bad-inputs §2).
The file is built next to the target and moved onto it only once complete, so an earlier report
survives any failure.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from xlsxwriter import Workbook
from xlsxwriter.exceptions import FileCreateError

from . import summary
from .check import NO_SCHEDULE_YET
from .problems import column_letter, problems_frame
from .result import Consolidation

# Excel's own limits; xlsxwriter would otherwise truncate or drop silently.
MAX_CELL_CHARS = 32_767
MAX_ROWS = 1_048_576
MAX_HEADER_CHARS = 255

# OWASP / CWE-1236: text starting with these can become live content when a user edits the cell.
RISKY_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")

WORKBOOK_OPTIONS: dict[str, Any] = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "nan_inf_to_errors": True,
    "in_memory": True,  # no parts in the system temp folder; one file to clean up
}

SHEET_SUMMARY = "Resumen"
SHEET_ACTIVITIES = "Actividades"
SHEET_ALERTS = "Alertas"
SHEET_PROBLEMS = "Problemas"

TITLE = "Seguimiento al Plan Anticorrupción y de Atención al Ciudadano"
TABLE_STYLE = "Table Style Light 9"
DATE_FORMAT = "dd/mm/yyyy"
PERCENT_FORMAT = "0%"

# DAFP colours: Excel's own "bad / neutral / good" cell styles.
LIGHT_COLOURS: dict[str, tuple[str, str]] = {
    summary.RED: ("#FFC7CE", "#9C0006"),
    summary.YELLOW: ("#FFEB9C", "#9C5700"),
    summary.GREEN: ("#C6EFCE", "#006100"),
}
STATUS_COLOURS: dict[str, str] = {
    "Cumplida": "#63BE7B",
    "En curso": "#5B9BD5",
    "Vencida": "#E15759",
    "Sin iniciar": "#F4B183",
    "No aplica": "#A5A5A5",
    "Sin dato": "#D9D9D9",
}
SERIES_COLOURS = ("#2F5597", "#ED7D31")

# Row heights: Excel fits wrapped rows itself on opening, LibreOffice (and its PDF export) does
# not, so rows get an explicit, slightly generous estimate that reads well in both.
CHARS_PER_WIDTH = 1.2  # 10 pt text per unit of column width (the width of "0" at 11 pt)
WRAP_LOSS = 5.0  # characters per line lost to word wrap
LINE_POINTS = 13.0
MAX_ROW_POINTS = 409.0  # Excel's limit

RETRIES = 3  # Windows: antivirus or indexers hold a fresh file for a moment


class OutputError(Exception):
    """The consolidated workbook could not be written."""


@dataclass(frozen=True)
class Column:
    """One column of a data sheet: what the user reads and how it is shown."""

    header: str
    width: float
    kind: str  # key of _Formats.cells: text, wrap, int, pct, center


ACTIVITY_COLUMNS: tuple[Column, ...] = (
    Column("Archivo", 18, "wrap"),
    Column("Hoja", 12, "wrap"),
    Column("Fila", 6, "int"),
    Column("Entidad", 18, "wrap"),
    Column("Componente", 28, "wrap"),
    Column("Subcomponente", 24, "wrap"),
    Column("Actividad", 50, "wrap"),
    Column("Meta o producto", 45, "wrap"),
    Column("Responsable", 20, "wrap"),
    Column("Fechas programadas", 14, "wrap"),
    Column("Avance reportado", 10, "pct"),
    Column("Avance esperado", 10, "pct"),
    Column("Cumplimiento", 13, "pct_note"),
    Column("Semáforo", 11, "center"),
    Column("Estado", 11, "center"),
    Column("Alertas", 22, "wrap"),
    Column("Seguimiento", 55, "wrap"),
)
ALERT_COLUMNS: tuple[Column, ...] = (
    Column("Archivo", 18, "wrap"),
    Column("Hoja", 12, "wrap"),
    Column("Fila", 6, "int"),
    Column("Componente", 30, "wrap"),
    Column("Actividad", 50, "wrap"),
    Column("Responsable", 22, "wrap"),
    Column("Alerta", 20, "wrap"),
    Column("Detalle", 60, "wrap"),
)
PROBLEM_COLUMNS: tuple[Column, ...] = (
    Column("Archivo", 22, "wrap"),
    Column("Hoja", 14, "wrap"),
    Column("Fila", 6, "int"),
    Column("Columna", 9, "center"),
    Column("Severidad", 13, "center"),
    Column("Código", 24, "text"),
    Column("Problema", 80, "wrap"),
)

COMPONENT_HEADERS: tuple[str, ...] = (
    "Componente",
    "Actividades",
    "Cumplidas",
    "En curso",
    "Vencidas",
    "Sin iniciar",
    "No aplica",
    "Sin dato",
    "Avance promedio",
    "Cumplimiento promedio",
    "Semáforo",
)
_COMPONENT_FIELDS: tuple[str, ...] = (
    "component_label",
    "activities",
    "cumplidas",
    "en_curso",
    "vencidas",
    "sin_iniciar",
    "no_aplica",
    "sin_dato",
    "avg_progress",
    "avg_compliance",
    "traffic_light",
)


def write_workbook(
    result: Consolidation, path: Path, *, created: dt.datetime | None = None
) -> Path:
    """Write the report to ``path`` atomically and return ``path``.

    ``created`` is the run time stored in the document properties (now when not given).
    Raises OutputError when the file cannot be written (typically: open in Excel).
    """
    path = Path(path)
    created = created or dt.datetime.now(dt.timezone.utc)
    _check_limits(result, path)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp.xlsx")
    try:
        workbook = Workbook(str(temp), WORKBOOK_OPTIONS)
        _build(workbook, result, created)
        workbook.close()
        _replace(temp, path)
    except (OSError, FileCreateError) as exc:
        _discard(temp)
        raise OutputError(_output_message(path, exc)) from exc
    except BaseException:
        _discard(temp)
        raise
    return path


def _output_message(path: Path, exc: BaseException) -> str:
    if not path.parent.is_dir():
        return f"No se pudo escribir {path}: la carpeta {path.parent} no existe. ({exc})"
    return f"No se pudo escribir {path}: ¿está abierto en Excel? ({exc})"


def _check_limits(result: Consolidation, path: Path) -> None:
    """Fail loudly before writing anything Excel could not open whole."""
    for name, frame in ((SHEET_ACTIVITIES, result.activities), (SHEET_ALERTS, result.alerts)):
        if len(frame) + 1 > MAX_ROWS:
            raise OutputError(
                f"No se pudo escribir {path}: la hoja {name} tendría {len(frame):,} filas y "
                f"Excel admite {MAX_ROWS - 1:,}. Divida los archivos en varias ejecuciones."
            )


def _replace(temp: Path, path: Path) -> None:
    """Move the finished file onto the target, retrying briefly on Windows sharing locks."""
    for attempt in range(RETRIES):
        try:
            os.replace(temp, path)
            return
        except PermissionError:
            if attempt == RETRIES - 1:
                raise
            time.sleep(0.2 * (attempt + 1))


def _discard(temp: Path) -> None:
    # Nothing more to do if this fails too; the original error matters more.
    with contextlib.suppress(OSError):
        temp.unlink(missing_ok=True)


# Formats ----------------------------------------------------------------------------------


class _Formats:
    """Every format the workbook uses, created once: per-cell add_format is slow and bloats."""

    def __init__(self, workbook: Workbook) -> None:
        add = workbook.add_format
        base = {"valign": "top", "font_size": 10}
        kinds: dict[str, dict[str, Any]] = {
            "text": {},
            "wrap": {"text_wrap": True},
            "int": {"num_format": "0", "align": "center"},
            "pct": {"num_format": PERCENT_FORMAT, "align": "right"},
            # Percentages that may hold a short note ("Sin programación a la fecha").
            "pct_note": {"num_format": PERCENT_FORMAT, "align": "right", "text_wrap": True},
            "center": {"align": "center"},
        }
        # (plain, quoted): quote_prefix keeps a leading "=" as text even after F2 + Enter.
        self.cells = {
            kind: (add({**base, **extra}), add({**base, **extra, "quote_prefix": True}))
            for kind, extra in kinds.items()
        }
        self.table_header = add(
            {"bold": True, "text_wrap": True, "valign": "vcenter", "font_size": 10}
        )
        self.title = add({"bold": True, "font_size": 16, "font_color": "#1F3864"})
        self.subtitle = add({"italic": True, "font_size": 9, "font_color": "#595959"})
        self.section = add(
            {
                "bold": True,
                "font_size": 12,
                "font_color": "#1F3864",
                "bottom": 2,
                "bottom_color": "#1F3864",
            }
        )
        self.label = add({"bold": True, "valign": "top"})
        self.value = add({"valign": "top", "align": "left"})
        self.value_quoted = add({"valign": "top", "align": "left", "quote_prefix": True})
        self.value_date = add({"num_format": DATE_FORMAT, "align": "left", "valign": "top"})
        self.kpi_label = add({"bottom": 1, "bottom_color": "#D9D9D9"})
        self.kpi_count = add(
            {"num_format": "#,##0", "bold": True, "bottom": 1, "bottom_color": "#D9D9D9"}
        )
        self.kpi_pct = add(
            {"num_format": PERCENT_FORMAT, "bold": True, "bottom": 1, "bottom_color": "#D9D9D9"}
        )
        self.kpi_none = add(
            {
                "bold": True,
                "align": "right",
                "font_color": "#808080",
                "bottom": 1,
                "bottom_color": "#D9D9D9",
            }
        )
        grid = {"border": 1, "border_color": "#BFBFBF", "valign": "top", "font_size": 10}
        self.grid_header = add(
            {
                **grid,
                "bold": True,
                "text_wrap": True,
                "valign": "vcenter",
                "align": "center",
                "bg_color": "#1F3864",
                "font_color": "#FFFFFF",
            }
        )
        self.grid_text = add({**grid, "text_wrap": True})
        self.grid_text_quoted = add({**grid, "text_wrap": True, "quote_prefix": True})
        self.grid_count = add({**grid, "num_format": "#,##0"})
        self.grid_pct = add({**grid, "num_format": PERCENT_FORMAT})
        self.grid_center = add({**grid, "align": "center"})
        self.note = add({"italic": True, "font_size": 9, "font_color": "#595959"})
        self.lights = {
            name: add({"bg_color": fill, "font_color": font})
            for name, (fill, font) in LIGHT_COLOURS.items()
        }
        self.alarm = add({"bold": True, "font_color": "#C00000"})


# Cells ------------------------------------------------------------------------------------


def _text(value: str) -> str:
    """Cut explicitly at Excel's cell limit (the caller reports it); xlsxwriter would do so silently."""
    return value if len(value) <= MAX_CELL_CHARS else value[:MAX_CELL_CHARS]


def _is_risky(value: str) -> bool:
    return value.startswith(RISKY_STARTS)


def _write_text(ws: Any, row: int, col: int, value: str, plain: Any, quoted: Any) -> None:
    value = _text(value)
    ws.write_string(row, col, value, quoted if _is_risky(value) else plain)


def _values(series: pd.Series) -> list[Any]:
    """Plain Python values, None for <NA>: xlsxwriter knows nothing of pandas scalars."""
    return series.astype(object).where(series.notna(), None).tolist()


def _write_columns(
    ws: Any, formats: _Formats, columns: Sequence[Column], data: Sequence[list[Any]], first: int
) -> None:
    """Write column-wise: one pre-built format pair per column, type decided per cell."""
    for col, (spec, values) in enumerate(zip(columns, data, strict=True)):
        plain, quoted = formats.cells[spec.kind]
        write_string, write_number = ws.write_string, ws.write_number
        for row, value in enumerate(values, start=first):
            if value is None:
                continue
            if isinstance(value, str):
                if value:
                    if len(value) > MAX_CELL_CHARS:
                        value = value[:MAX_CELL_CHARS]
                    write_string(
                        row, col, value, quoted if value.startswith(RISKY_STARTS) else plain
                    )
            elif isinstance(value, bool):
                write_string(row, col, "Sí" if value else "No", plain)
            elif isinstance(value, (int, float)):
                if math.isfinite(value):
                    write_number(row, col, value, plain)
            else:
                write_string(row, col, _text(str(value)), plain)


def _row_heights(widths: Sequence[float], data: Sequence[list[Any]]) -> np.ndarray:
    """Estimated points per row for wrapped text of the given column widths; 0 = default."""
    n = len(data[0]) if data else 0
    lines = np.ones(n)
    for width, values in zip(widths, data, strict=True):
        text = pd.Series(values, dtype="string")
        length = text.str.len().fillna(0).to_numpy(dtype="float64")
        breaks = text.str.count("\n").fillna(0).to_numpy(dtype="float64")
        # Word wrap leaves part of each line empty: about half a long word.
        per_line = max(4.0, width * CHARS_PER_WIDTH - WRAP_LOSS)
        lines = np.maximum(lines, np.ceil(length / per_line) + breaks)
    heights = np.minimum(lines * LINE_POINTS + 2.0, MAX_ROW_POINTS)
    return np.where(lines > 1, heights, 0.0)


def _set_heights(ws: Any, first: int, heights: np.ndarray) -> None:
    for offset in np.flatnonzero(heights):
        ws.set_row(first + int(offset), float(heights[offset]))


def _data_sheet(
    workbook: Workbook,
    formats: _Formats,
    name: str,
    columns: Sequence[Column],
    data: Sequence[list[Any]],
    placeholder: tuple[int, str],
    print_header: str,
    freeze_cols: int = 0,
) -> tuple[Any, int]:
    """A sheet holding one Excel table; returns the sheet and its last data row (0-based).

    A table with no data rows makes Excel offer to repair the file, so an empty frame gets one
    row whose ``placeholder`` column says so.
    """
    ws = workbook.add_worksheet(name)
    n = len(data[0]) if data else 0
    if n == 0:
        col, message = placeholder
        data = [[message] if i == col else [None] for i in range(len(columns))]
        n = 1
    for col, spec in enumerate(columns):
        ws.set_column(col, col, spec.width, formats.cells[spec.kind][0])
    _write_columns(ws, formats, columns, data, first=1)
    wrapped = [
        (c.width, d) for c, d in zip(columns, data, strict=True) if c.kind in ("wrap", "pct_note")
    ]
    _set_heights(ws, 1, _row_heights([w for w, _ in wrapped], [d for _, d in wrapped]))
    ws.add_table(
        0,
        0,
        n,
        len(columns) - 1,
        {
            "name": f"Tabla{name}",
            "style": TABLE_STYLE,
            "autofilter": True,
            "banded_rows": True,
            "columns": [
                {"header": c.header, "header_format": formats.table_header} for c in columns
            ],
        },
    )
    ws.set_row(0, 30)
    ws.freeze_panes(1, freeze_cols)
    _print_setup(ws, print_header)
    return ws, n


def _print_setup(ws: Any, header: str, repeat_header_row: bool = True) -> None:
    """Landscape letter, one page wide, entity and cut-off on every page."""
    ws.set_landscape()
    ws.set_paper(1)  # letter, the Colombian office default
    ws.fit_to_pages(1, 0)
    if repeat_header_row:
        ws.repeat_rows(0)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.set_header(header, {"margin": 0.25})
    ws.set_footer("&CPágina &P de &N", {"margin": 0.25})


def _header_text(result: Consolidation) -> str:
    """Page header: entity left, cut-off right; '&' escaped, within Excel's 255 characters."""
    entity = ", ".join(result.entities) or "Entidad sin identificar"
    if len(entity) > 90:
        entity = entity[:89] + "…"
    entity = entity.replace("&", "&&")
    header = f"&L{entity}&CSeguimiento PAAC&RCorte: {result.cutoff:%d/%m/%Y}"
    return header[:MAX_HEADER_CHARS]


def _light_formats(ws: Any, formats: _Formats, first: int, last: int, col: int) -> None:
    for name, fmt in formats.lights.items():
        ws.conditional_format(
            first,
            col,
            last,
            col,
            {"type": "cell", "criteria": "==", "value": f'"{name}"', "format": fmt},
        )


def _threshold_formats(ws: Any, formats: _Formats, first: int, last: int, col: int) -> None:
    """Colour numbers on the DAFP thresholds; blanks stay white (Excel reads them as 0)."""
    cell = f"{column_letter(col)}{first + 1}"
    red = summary.RED_BELOW - summary.FLOAT_TOLERANCE
    yellow = summary.YELLOW_BELOW - summary.FLOAT_TOLERANCE
    rules = (
        (summary.RED, f"AND(ISNUMBER({cell}),{cell}<{red!r})"),
        (summary.YELLOW, f"AND(ISNUMBER({cell}),{cell}>={red!r},{cell}<{yellow!r})"),
        (summary.GREEN, f"AND(ISNUMBER({cell}),{cell}>={yellow!r})"),
    )
    for name, formula in rules:
        ws.conditional_format(
            first,
            col,
            last,
            col,
            {"type": "formula", "criteria": f"={formula}", "format": formats.lights[name]},
        )


def _alarm_format(ws: Any, formats: _Formats, first: int, last: int, col: int, value: str) -> None:
    ws.conditional_format(
        first,
        col,
        last,
        col,
        {"type": "cell", "criteria": "==", "value": f'"{value}"', "format": formats.alarm},
    )


# Sheets -----------------------------------------------------------------------------------


def _build(workbook: Workbook, result: Consolidation, created: dt.datetime) -> None:
    formats = _Formats(workbook)
    entity = ", ".join(result.entities)
    workbook.set_properties(
        {
            "title": f"Seguimiento PAAC – {entity or 'consolidado'} – corte {result.cutoff:%d/%m/%Y}",
            "subject": TITLE,
            "company": entity,
            "keywords": "PAAC, plan anticorrupción, seguimiento, control interno",
            "comments": "Generado con pac-excel",
            "created": created,
        }
    )
    header = _header_text(result)
    resumen = _write_summary(workbook, formats, result, created, header)
    _write_activities(workbook, formats, result.activities, header)
    _write_alerts(workbook, formats, result.alerts, header)
    _write_problems(workbook, formats, result, header)
    resumen.activate()
    resumen.set_first_sheet()


def _write_activities(
    workbook: Workbook, formats: _Formats, acts: pd.DataFrame, header: str
) -> None:
    na = acts["not_applicable"].fillna(False).astype(bool)
    progress = pd.Series(_values(acts["progress"]), index=acts.index, dtype=object)
    reported = progress.where(~na, "N/A").tolist()
    # Nothing was due yet: say so rather than leave a blank that reads like missing data.
    nothing_due = acts["expected"].eq(0).fillna(False).astype(bool) & ~na
    compliance = pd.Series(_values(acts["compliance"]), index=acts.index, dtype=object)
    compliance = compliance.where(~nothing_due, NO_SCHEDULE_YET).tolist()
    sources: list[list[Any] | str] = [
        "file", "sheet", "row", "entity", "component_label", "subcomponent", "activity", "goal",
        "owner", "schedule", reported, "expected", compliance, "traffic_light", "status",
        "alerts", "followup",
    ]  # fmt: skip
    data = [_values(acts[s]) if isinstance(s, str) else s for s in sources]
    ws, last = _data_sheet(
        workbook,
        formats,
        SHEET_ACTIVITIES,
        ACTIVITY_COLUMNS,
        data,
        placeholder=(6, "No se encontraron actividades"),
        print_header=header,
        freeze_cols=3,
    )
    headers = [c.header for c in ACTIVITY_COLUMNS]
    _threshold_formats(ws, formats, 1, last, headers.index("Cumplimiento"))
    _light_formats(ws, formats, 1, last, headers.index("Semáforo"))
    _alarm_format(ws, formats, 1, last, headers.index("Estado"), "Vencida")


def _write_alerts(workbook: Workbook, formats: _Formats, alerts: pd.DataFrame, header: str) -> None:
    fields = ("file", "sheet", "row", "component_label", "activity", "owner", "alert", "detail")
    data = [_values(alerts[f]) for f in fields]
    ws, last = _data_sheet(
        workbook,
        formats,
        SHEET_ALERTS,
        ALERT_COLUMNS,
        data,
        placeholder=(6, "No se encontraron alertas"),
        print_header=header,
    )
    _alarm_format(ws, formats, 1, last, 6, "Vencida")


def _write_problems(
    workbook: Workbook, formats: _Formats, result: Consolidation, header: str
) -> None:
    frame = problems_frame(result.problems)
    fields = ("file", "sheet", "row", "column", "severity", "code", "message")
    data = [_values(frame[f]) for f in fields]
    ws, last = _data_sheet(
        workbook,
        formats,
        SHEET_PROBLEMS,
        PROBLEM_COLUMNS,
        data,
        placeholder=(6, "No se encontraron problemas"),
        print_header=header,
    )
    _alarm_format(ws, formats, 1, last, 4, "Error")


# Resumen ----------------------------------------------------------------------------------

# Column widths of Resumen: A holds labels and component names, B..K the component table.
_SUMMARY_WIDTHS = (46, 12, 11, 11, 11, 11, 11, 11, 12, 14, 11)
_CHART_COL = 3  # charts sit right of the KPI/estado/alerta blocks, which use A:B only
_ROW_PX = 20


def _kpi(
    ws: Any, formats: _Formats, row: int, label: str, value: float | None, pct: bool = False
) -> None:
    ws.write_string(row, 0, label, formats.kpi_label)
    if value is None:
        ws.write_string(row, 1, "Sin dato", formats.kpi_none)
    else:
        ws.write_number(row, 1, value, formats.kpi_pct if pct else formats.kpi_count)


def _write_summary(
    workbook: Workbook,
    formats: _Formats,
    result: Consolidation,
    created: dt.datetime,
    header: str,
) -> Any:
    ws = workbook.add_worksheet(SHEET_SUMMARY)
    ws.hide_gridlines(2)
    for col, width in enumerate(_SUMMARY_WIDTHS):
        ws.set_column(col, col, width)
    acts = result.activities
    overall = summary.overall_summary(acts)
    components = summary.component_summary(acts)

    ws.set_row(0, 24)
    ws.write_string(0, 0, TITLE, formats.title)
    local = created.astimezone() if created.tzinfo else created
    ws.write_string(1, 0, f"Generado el {local:%d/%m/%Y %H:%M} con pac-excel", formats.subtitle)

    # Who, when, from what.
    labels = ("Entidad(es)", "Vigencia", "Fecha de corte", "Origen del corte", "Archivos leídos")
    for offset, label in enumerate(labels):
        ws.write_string(3 + offset, 0, label, formats.label)
    plain, quoted = formats.value, formats.value_quoted
    _write_text(ws, 3, 1, ", ".join(result.entities) or "Sin identificar", plain, quoted)
    years = ", ".join(str(y) for y in result.years) or "Sin identificar"
    ws.write_string(4, 1, years, plain)
    ws.write_datetime(5, 1, dt.datetime.combine(result.cutoff, dt.time()), formats.value_date)
    _write_text(ws, 6, 1, result.cutoff_source or "Sin dato", plain, quoted)
    ws.write_number(7, 1, len(result.files_read), plain)
    if result.files_read:
        _write_text(ws, 7, 2, ", ".join(result.files_read), plain, quoted)
    row = 3 + len(labels)

    # KPIs, with both weightings labelled: they disagree when components differ in size.
    row += 1
    kpi_top = row
    ws.write_string(row, 0, "Indicadores generales", formats.section)
    ws.write_blank(row, 1, None, formats.section)
    row += 1
    by_status, by_alert = overall.by_status, overall.by_alert
    kpis: list[tuple[str, float | None, bool]] = [
        ("Actividades", overall.activities, False),
        ("Cumplidas", by_status.get("Cumplida", 0), False),
        ("Porcentaje de cumplidas (sin contar No aplica)", overall.pct_cumplidas, True),
        ("Vencidas", by_status.get("Vencida", 0), False),
        ("Sin avance", by_alert.get("Sin avance", 0), False),
        ("No aplica para el corte (fuera de los promedios)", overall.n_not_applicable, False),
        ("Avance promedio por actividad", overall.avg_progress_by_activity, True),
        ("Avance promedio por componente", overall.avg_progress_by_component, True),
        ("Cumplimiento promedio por actividad", overall.avg_compliance_by_activity, True),
        ("Cumplimiento promedio por componente", overall.avg_compliance_by_component, True),
    ]
    for label, value, pct in kpis:
        _kpi(ws, formats, row, label, value, pct)
        row += 1

    # Counts by Estado and by Alerta (an activity can carry several alerts).
    row += 1
    status_first = row + 1
    row = _count_table(ws, formats, row, "Estado", by_status)
    row += 1
    row = _count_table(ws, formats, row, "Alerta", by_alert)
    left_bottom = row

    # Component table below both the blocks and the charts.
    charts_top = kpi_top
    progress_height, status_height = 300, 260
    chart_rows = math.ceil((progress_height + status_height + _ROW_PX) / _ROW_PX)
    row = max(left_bottom, charts_top + chart_rows) + 1
    ws.write_string(row, 0, "Avance y cumplimiento por componente", formats.section)
    for col in range(1, len(COMPONENT_HEADERS)):
        ws.write_blank(row, col, None, formats.section)
    row += 1
    table_header = row
    ws.set_row(row, 30)
    for col, text in enumerate(COMPONENT_HEADERS):
        ws.write_string(row, col, text, formats.grid_header)
    first = row + 1
    last = _component_rows(ws, formats, first, components)
    names = components["component_label"].astype(object).tolist()
    _set_heights(ws, first, _row_heights([_SUMMARY_WIDTHS[0]], [names]))

    light_col = len(COMPONENT_HEADERS) - 1
    _light_formats(ws, formats, first, last, light_col)
    _threshold_formats(ws, formats, first, last, COMPONENT_HEADERS.index("Cumplimiento promedio"))

    row = last + 2
    red, yellow = f"{summary.RED_BELOW:.0%}", f"{summary.YELLOW_BELOW:.0%}"
    notes = (
        "Notas:",
        (
            "• Avance: el porcentaje reportado en el seguimiento. Cumplimiento: avance reportado "
            "frente al avance esperado a la fecha de corte (máximo 100 %)."
        ),
        (
            "• Por actividad: promedio simple de las actividades con dato. Por componente: "
            "promedio de los promedios de cada componente; difieren cuando los componentes "
            "tienen distinto número de actividades."
        ),
        (
            "• Las actividades marcadas N/A o sin avance reportado no cuentan como 0 %: quedan "
            "fuera de los promedios."
        ),
        (
            f"• Semáforo (escala DAFP sobre el cumplimiento): Rojo por debajo de {red}, "
            f"Amarillo de {red} a menos de {yellow}, Verde desde {yellow}."
        ),
    )
    for text in notes:
        ws.write_string(row, 0, text, formats.note)
        row += 1

    _progress_chart(workbook, ws, table_header, first, last, charts_top, progress_height)
    _status_chart(
        workbook, ws, by_status, status_first, charts_top,
        progress_height + _ROW_PX, status_height,
    )  # fmt: skip

    _print_setup(ws, header, repeat_header_row=False)
    return ws


def _count_table(ws: Any, formats: _Formats, row: int, title: str, counts: dict[str, int]) -> int:
    """Two-column label/count table; returns the next free row."""
    ws.write_string(row, 0, title, formats.grid_header)
    ws.write_string(row, 1, "Actividades", formats.grid_header)
    row += 1
    for label, count in counts.items():
        _write_text(ws, row, 0, label, formats.grid_text, formats.grid_text_quoted)
        ws.write_number(row, 1, count, formats.grid_count)
        row += 1
    return row


def _component_rows(ws: Any, formats: _Formats, first: int, components: pd.DataFrame) -> int:
    """The component table body; returns its last row (one placeholder row when empty)."""
    if components.empty:
        ws.write_string(first, 0, "Sin actividades", formats.grid_text)
        for col in range(1, len(COMPONENT_HEADERS)):
            ws.write_blank(first, col, None, formats.grid_center)
        return first
    kinds = ["text"] + ["count"] * 7 + ["pct", "pct", "center"]
    cell_formats = {
        "count": formats.grid_count,
        "pct": formats.grid_pct,
        "center": formats.grid_center,
    }
    columns = [_values(components[f]) for f in _COMPONENT_FIELDS]
    for i in range(len(components)):
        row = first + i
        for col, (kind, values) in enumerate(zip(kinds, columns, strict=True)):
            value = values[i]
            if kind == "text":
                _write_text(ws, row, col, str(value), formats.grid_text, formats.grid_text_quoted)
            elif value is None or (isinstance(value, float) and not math.isfinite(value)):
                ws.write_blank(row, col, None, cell_formats[kind])
            elif isinstance(value, str):
                ws.write_string(row, col, value, cell_formats[kind])
            else:
                ws.write_number(row, col, value, cell_formats[kind])
    return first + len(components) - 1


def _progress_chart(
    workbook: Workbook, ws: Any, header: int, first: int, last: int, top: int, height: int
) -> None:
    """Clustered bars of Avance and Cumplimiento promedio per component, 0-100 %."""
    chart = workbook.add_chart({"type": "bar"})
    for colour, col in zip(SERIES_COLOURS, (8, 9), strict=True):
        chart.add_series(
            {
                "name": [SHEET_SUMMARY, header, col],
                "categories": [SHEET_SUMMARY, first, 0, last, 0],
                "values": [SHEET_SUMMARY, first, col, last, col],
                "fill": {"color": colour},
                "data_labels": {"value": True, "num_format": PERCENT_FORMAT, "font": {"size": 8}},
                "gap": 60,
            }
        )
    chart.set_title(
        {"name": "Avance y cumplimiento promedio por componente", "name_font": {"size": 12}}
    )
    # xlsxwriter's x axis is the horizontal (value) axis of a bar chart. Categories run top
    # to bottom like the table; crossing "max" then keeps the value axis at the bottom.
    chart.set_x_axis(
        {"min": 0, "max": 1, "major_unit": 0.2, "num_format": PERCENT_FORMAT,
         "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}},
         "num_font": {"size": 8}}
    )  # fmt: skip
    chart.set_y_axis({"reverse": True, "crossing": "max", "num_font": {"size": 8}})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": _chart_width(), "height": height})
    ws.insert_chart(top, _CHART_COL, chart, {"object_position": 3})


def _status_chart(
    workbook: Workbook,
    ws: Any,
    counts: dict[str, int],
    first: int,
    top: int,
    y_offset: int,
    height: int,
) -> None:
    """Columns of activities per Estado, each in its usual colour."""
    chart = workbook.add_chart({"type": "column"})
    labels = list(counts)
    last = first + len(labels) - 1
    chart.add_series(
        {
            "name": "Actividades",
            "categories": [SHEET_SUMMARY, first, 0, last, 0],
            "values": [SHEET_SUMMARY, first, 1, last, 1],
            "points": [{"fill": {"color": STATUS_COLOURS.get(s, "#7F7F7F")}} for s in labels],
            "data_labels": {"value": True, "font": {"size": 8}},
            "gap": 50,
        }
    )
    chart.set_title({"name": "Actividades por estado", "name_font": {"size": 12}})
    axis: dict[str, Any] = {
        "min": 0,
        "num_format": "0",
        "num_font": {"size": 8},
        "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}},
    }
    if max(counts.values(), default=0) <= 10:
        # Excel would otherwise step by 0.2 and the "0" format shows 0, 0, 0, 1, 1, 1.
        axis.update({"major_unit": 1, "max": max(1, *counts.values())})
    chart.set_y_axis(axis)
    chart.set_x_axis({"num_font": {"size": 9}})
    chart.set_legend({"none": True})
    chart.set_size({"width": _chart_width(), "height": height})
    ws.insert_chart(top, _CHART_COL, chart, {"y_offset": y_offset, "object_position": 3})


def _chart_width() -> int:
    # Excel column width w (characters) is about 7w + 5 pixels at the default font.
    return sum(int(w * 7 + 5) for w in _SUMMARY_WIDTHS[_CHART_COL:])
