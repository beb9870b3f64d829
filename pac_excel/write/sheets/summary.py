"""summary: the Resumen a director reads first, laid out as three printed pages.

Page 1: who, when and the publication deadline; the general indicators with both weightings
labelled; the alert counts; the table by component with its totals. Page 2: four native Excel
charts drawn from those cells (they follow if a user corrects a value). Page 3: progress by
owner area, each area linked to its block in Por responsable, and the notes.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from pac_excel.check import semaforo
from pac_excel.check.figures import no_compliance_label
from pac_excel.check.labels import ALERTS, DONE, NOTHING_DUE, OVERDUE, STATUSES
from pac_excel.deadline import business_days_words
from pac_excel.publish.content import FORMS_MAX, entity_count
from pac_excel.text import MAX_CELL_CHARS
from pac_excel.write.book import (
    SHEET_ACTIVITIES,
    SHEET_FORM,
    SHEET_OWNERS,
    SHEET_SUMMARY,
    Book,
    program_title,
    thousands,
)
from pac_excel.write.cells import (
    PageRows,
    is_risky,
    light_formats,
    page_points,
    print_setup,
    row_points,
    text_height,
    threshold_formats,
    values,
    write_text,
)
from pac_excel.write.sheets.summary_areas import (
    area_table,
    grid_cell,
    section,
)
from pac_excel.write.sheets.summary_entities import (
    CATEGORY_COL,
    chart_categories,
    consolidated_label,
    entity_table,
    many_files,
    provenance_line,
    provenance_table,
    shown_pct,
)
from pac_excel.write.styles import (
    LIGHT_SOLID,
    PERCENT_FORMAT,
    SERIES_COLOURS,
    STATUS_COLOURS,
)

# A: labels and names; B..L: the component table; M, N: the threshold cells the chart draws.
WIDTHS: tuple[float, ...] = (40, *([9.5] * 8), 12, 12, 10, 8.5, 8.5)
LAST_COL = len(WIDTHS) - 1
ROW_PX = 20

COMPONENT_HEADERS: tuple[str, ...] = (
    "Componente",
    "Actividades",
    "Cumplidas",
    "En curso",
    "Vencidas",
    "Sin iniciar",
    "No aplica",
    "Sin dato",
    "Sin avance",
    "Avance promedio",
    "Cumplimiento promedio",
    "Semáforo",
)
_COMPONENT_FIELDS: tuple[str, ...] = (
    "component_label", "activities", "cumplidas", "en_curso", "vencidas", "sin_iniciar",
    "no_aplica", "sin_dato", "sin_avance", "avg_progress", "avg_compliance", "traffic_light",
)  # fmt: skip
_STATUS_FIRST_COL = 2  # Cumplidas..Sin dato: the stacked chart's six series
AVG_PROGRESS_COL = COMPONENT_HEADERS.index("Avance promedio")
AVG_COMPLIANCE_COL = COMPONENT_HEADERS.index("Cumplimiento promedio")
LIGHT_COL = COMPONENT_HEADERS.index("Semáforo")
THRESHOLD_COLS = (12, 13)

CHART_AREAS = 12  # areas drawn in the area chart; the table lists them all
CUTOFF_LABEL = "Fecha de corte"  # in the header block; mail reads the date beside it
DEADLINE_LABEL = "Fecha límite de publicación"  # mail reads it too ([cortes] may move it)
# Alert label -> bar colour in the alerts chart.
ALERT_COLOURS: dict[str, str] = {
    ALERTS["vencida"]: "#E15759",
    ALERTS["sin-avance"]: "#F28E2B",
    ALERTS["sin-seguimiento"]: "#7F7F7F",
    ALERTS["na-con-fecha-pasada"]: "#B07AA1",
    ALERTS["proxima-a-vencer"]: "#EDC948",
}

# Two rows of charts fit one legal page at 100 % (the scale that keeps the text ≥ 8 pt).
CHART_W, CHART_H, CHART_GAP = 612, 290, 14
CHART_TOP_PX = 8  # below the page break, so no chart edge is drawn on the page before


PRINT_COLUMNS = (0, 0, 0, LAST_COL)  # the columns Resumen prints (rows do not matter here)
PRINT_FONT = 8.0  # the smallest font printed: the threshold helper cells beside the table


def write_summary(book: Book, area_rows: dict[tuple[str, str], int]) -> None:
    """Fill Resumen; ``area_rows`` maps (entity, area key) to its block row in Por responsable."""
    ws = book.sheets[SHEET_SUMMARY]
    ws.hide_gridlines(2)
    for col, width in enumerate(WIDTHS):
        ws.set_column(col, col, width)

    row = _heading(book, ws)
    row += 1
    kpi_end = _indicators(book, ws, row)
    alert_first, alert_last = _alerts(book, ws, row)
    _legend(book, ws, row)
    row = max(kpi_end, alert_last + 1) + 1

    # Page 2: the figures by component and by entity. Printed legibly (≥ 8 pt) they no longer
    # fit under the indicators.
    table_top = row
    table = _component_table(book, ws, row)
    row = table["end"] + 1
    row = _notes(book, ws, row)
    capacity = page_points(ws, PRINT_COLUMNS, PRINT_FONT, row_points(ws, 0) + row_points(ws, 1))
    on_page2 = PageRows(capacity, sum(row_points(ws, r) for r in range(table_top, row)))
    row = entity_table(book, ws, row, WIDTHS[0], on_page2)

    # Page 3: the charts, on a page of their own so none is cut by a page break; page 4: the
    # areas, whose cells the fourth chart reads.
    charts_top = row + 1
    areas_top = charts_top + math.ceil((CHART_TOP_PX + 2 * CHART_H + CHART_GAP) / ROW_PX) + 1
    on_areas = PageRows(capacity, 0.0)
    area = area_table(book, ws, areas_top, area_rows, WIDTHS[0], on_areas, CHART_AREAS)
    _charts(book, ws, charts_top, table, (alert_first, alert_last), area)

    breaks = [table_top, *on_page2.breaks, charts_top, areas_top, *on_areas.breaks]
    end = area["end"]
    if many_files(book):  # the provenance the heading summarised, on a page of its own
        breaks.append(end + 1)
        end = provenance_table(book, ws, end + 1, LAST_COL, sum(WIDTHS[1:]) * 0.95)
    ws.set_h_pagebreaks(breaks)
    print_setup(
        ws,
        book.page_header,
        book.page_footer,
        repeat=(0, 1),
        area=(0, 0, end, LAST_COL),
        smallest_font=PRINT_FONT,
    )
    ws.activate()
    ws.set_first_sheet()


# Page 1 ----------------------------------------------------------------------------------


def _merged_text(book: Book, ws: Any, row: int, first: int, value: str, plain: Any) -> None:
    """A long value across ``first``..LAST_COL, wrapped, with the row tall enough for it."""
    quoted = book.formats.value_quoted
    if len(value) > MAX_CELL_CHARS:
        book.report_cell_cut(SHEET_SUMMARY, row, first, "Resumen", len(value))
        value = value[:MAX_CELL_CHARS]
    fmt = quoted if is_risky(value) else plain
    if first < LAST_COL:
        ws.merge_range(row, first, row, LAST_COL, "", fmt)
    ws.write_string(row, first, value, fmt)
    width = sum(WIDTHS[first:]) * 0.95
    ws.set_row(row, min(409.0, text_height(value, width)))


def _heading(book: Book, ws: Any) -> int:
    f, result = book.formats, book.result
    ws.set_row(0, 28)
    ws.merge_range(0, 0, 0, LAST_COL, program_title(result), f.title)
    created = book.created.astimezone() if book.created.tzinfo else book.created
    ws.merge_range(
        1,
        0,
        1,
        LAST_COL,
        f"Corte al {result.cutoff:%d/%m/%Y} · generado el {created:%d/%m/%Y %H:%M} con "
        "pac-excel a partir de los seguimientos de las dependencias",
        f.subtitle,
    )
    labels = (
        "Entidad(es)",
        "Vigencia",
        CUTOFF_LABEL,
        "Origen del corte",
        DEADLINE_LABEL,
        "Archivos leídos",
    )
    for offset, label in enumerate(labels):
        ws.write_string(3 + offset, 0, label, f.label)
    _merged_text(book, ws, 3, 1, book.entity_text, f.value_strong)
    ws.write_string(4, 1, book.vigencia, f.value)
    ws.write_datetime(5, 1, pd.Timestamp(result.cutoff).to_pydatetime(), f.value_date)
    source = provenance_line(book) if many_files(book) else result.cutoff_source
    _merged_text(book, ws, 6, 1, source or "Sin dato", f.value)
    publication = book.publication
    ws.write_datetime(7, 1, pd.Timestamp(publication.deadline).to_pydatetime(), f.value_date)
    tone = (
        "late" if publication.overdue else "soon" if publication.business_days_left <= 2 else "ok"
    )
    _merged_text(
        book,
        ws,
        7,
        2,
        f"{publication.text} El seguimiento se publica en la página web de la entidad dentro "
        f"de los {business_days_words(result.publication_days)} días hábiles siguientes al corte.",
        f.deadline[tone],
    )
    ws.write_number(8, 1, len(result.files_read), f.value_strong)
    # With a PTEP (or a forced) program, each file's program and why; else just the names.
    listed = [i.text for i in result.file_programs] if result.mentions_programs else None
    if many_files(book):
        _merged_text(book, ws, 8, 2, "La lista, al final de esta hoja.", f.value)
    elif listed or result.files_read:
        _merged_text(book, ws, 8, 2, " · ".join(listed or result.files_read), f.value)
    return 3 + len(labels)


def _indicators(book: Book, ws: Any, row: int) -> int:
    """KPI label/value rows in A:B, the semáforo of each cumplimiento in C; next free row."""
    f, overall = book.formats, book.overall
    section(ws, f.section, row, 0, 2, "Indicadores generales")
    row += 1
    by_status, by_alert = overall.by_status, overall.by_alert
    kpis: list[tuple[str, float | None, bool]] = [
        ("Actividades", overall.activities, False),
        ("Cumplidas", by_status.get(DONE, 0), False),
        ("Porcentaje de cumplidas (sin contar No aplica)", overall.pct_cumplidas, True),
        ("Vencidas", by_status.get(OVERDUE, 0), False),
        ("Sin avance", by_alert.get(ALERTS["sin-avance"], 0), False),
        ("No aplica para el corte (fuera de los promedios)", overall.n_not_applicable, False),
        ("Avance promedio por actividad", overall.avg_progress_by_activity, True),
        ("Avance promedio por componente", overall.avg_progress_by_component, True),
        ("Cumplimiento promedio por actividad", overall.avg_compliance_by_activity, True),
        ("Cumplimiento promedio por componente", overall.avg_compliance_by_component, True),
    ]
    first = row
    for label, value, pct in kpis:
        ws.write_string(row, 0, label, f.kpi_label)
        if value is None:
            ws.write_string(row, 1, "Sin dato", f.kpi_none)
        else:
            fmt = f.kpi_pct if pct else f.kpi_count
            if label.startswith("Cumplimiento"):
                fmt = shown_pct(value, book.thresholds, f.kpi_pct, f.kpi_pct_tenth)
            ws.write_number(row, 1, value, fmt)
        if label.startswith("Cumplimiento") and value is not None:
            light = semaforo.traffic_light(value, book.thresholds)
            if light:
                ws.write_string(row, 2, light, f.grid_center)
        ws.set_row(row, 16)
        row += 1
    light_formats(ws, f, first, row - 1, 2)
    return row


def _alerts(book: Book, ws: Any, row: int) -> tuple[int, int]:
    """Alert counts in E:G (label merged E:F); returns the first and last data rows."""
    f = book.formats
    section(ws, f.section, row, 4, 6, "Alertas")
    row += 1
    ws.merge_range(row, 4, row, 5, "Alerta", f.grid_header)
    ws.write_string(row, 6, "Actividades", f.grid_header)
    first = row + 1
    for label, count in book.overall.by_alert.items():
        row += 1
        ws.merge_range(row, 4, row, 5, "", f.grid_text)
        write_text(ws, row, 4, label, f.grid_text, f.grid_text_quoted)
        ws.write_number(row, 6, count, f.grid_count)
    return first, row


def _legend(book: Book, ws: Any, row: int) -> None:
    """The DAFP scale in I:N, in the colours the sheets use."""
    f, t = book.formats, book.thresholds
    section(ws, f.section, row, 8, LAST_COL, "Semáforo (escala DAFP)")
    red, yellow = _pct(t.red_below), _pct(t.yellow_below)
    lines = (
        (semaforo.RED, f"Rojo: cumplimiento menor a {red}"),
        (semaforo.YELLOW, f"Amarillo: de {red} a menos de {yellow}"),
        (semaforo.GREEN, f"Verde: {yellow} o más"),
    )
    for offset, (name, text) in enumerate(lines, start=1):
        ws.merge_range(row + offset, 8, row + offset, LAST_COL, text, f.legend[name])
    ws.merge_range(
        row + 4,
        8,
        row + 7,
        LAST_COL,
        "Cumplimiento = avance reportado frente al avance esperado a la fecha de corte "
        "(máximo 100 %). Las actividades N/A no cuentan como 0 %.",
        f.note,
    )


def _pct(value: float) -> str:
    return f"{value * 100:.0f} %"


def _component_table(book: Book, ws: Any, row: int) -> dict[str, int]:
    """The table by component, two total rows (one per weighting) and the threshold cells."""
    f, components, overall = book.formats, book.components, book.overall
    section(ws, f.section, row, 0, LIGHT_COL, consolidated_label(book))
    row += 1
    header = row
    ws.set_row(row, 30)
    for col, text in enumerate(COMPONENT_HEADERS):
        ws.write_string(row, col, text, f.grid_header)
    t = book.thresholds
    ws.write_string(
        row, THRESHOLD_COLS[0], f"Umbral amarillo ({_pct(t.red_below)})", f.helper_header
    )
    ws.write_string(
        row, THRESHOLD_COLS[1], f"Umbral verde ({_pct(t.yellow_below)})", f.helper_header
    )
    first = row + 1
    cells = {"count": f.grid_count, "pct": f.grid_pct, "center": f.grid_center}
    kinds = ["text"] + ["count"] * 8 + ["pct", "pct", "center"]
    if components.empty:
        ws.write_string(first, 0, "Sin actividades", f.grid_text)
        for col in range(1, len(COMPONENT_HEADERS)):
            ws.write_blank(first, col, None, f.grid_center)
        last = first
    else:
        columns = [values(components[name]) for name in _COMPONENT_FIELDS]
        for i in range(len(components)):
            r = first + i
            for col, (kind, column) in enumerate(zip(kinds, columns, strict=True)):
                if col == AVG_COMPLIANCE_COL:
                    fmt = shown_pct(column[i], t, f.grid_pct, f.grid_pct_tenth)
                    grid_cell(ws, r, col, column[i], kind, {**cells, "pct": fmt}, f)
                elif col == LIGHT_COL and columns[AVG_COMPLIANCE_COL][i] is None:
                    # Said in words, while the figure the charts read stays blank.
                    why = no_compliance_label(components.iloc[i])
                    ws.write_string(r, col, why, f.grid_center_wrap)
                else:
                    grid_cell(ws, r, col, column[i], kind, cells, f)
            height = text_height(str(columns[0][i]), WIDTHS[0])
            if columns[AVG_COMPLIANCE_COL][i] is None:
                height = max(height, text_height(NOTHING_DUE, WIDTHS[LIGHT_COL]))
            ws.set_row(r, height)
        last = first + len(components) - 1
    for r in range(first, last + 1):
        ws.write_number(r, THRESHOLD_COLS[0], t.red_below, f.helper_pct)
        ws.write_number(r, THRESHOLD_COLS[1], t.yellow_below, f.helper_pct)
    chart_categories(book, ws, header, first)

    # Totals: the counts once, then each weighting on its own labelled row.
    by_activity, by_component = last + 1, last + 2
    ws.write_string(by_activity, 0, "Total · promedio por actividad", f.total_text)
    ws.write_string(by_component, 0, "Total · promedio por componente", f.total_text)
    sums = [int(components[name].sum()) for name in _COMPONENT_FIELDS[1:9]]
    for col, value in enumerate(sums, start=1):
        ws.write_number(by_activity, col, value, f.total_count)
        ws.write_blank(by_component, col, None, f.total_count)
    averages = (
        (by_activity, overall.avg_progress_by_activity, overall.avg_compliance_by_activity),
        (by_component, overall.avg_progress_by_component, overall.avg_compliance_by_component),
    )
    for r, progress, compliance in averages:
        for col, average in ((AVG_PROGRESS_COL, progress), (AVG_COMPLIANCE_COL, compliance)):
            if average is None:
                ws.write_blank(r, col, None, f.total_pct)
            else:
                fmt = f.total_pct
                if col == AVG_COMPLIANCE_COL:
                    fmt = shown_pct(average, t, f.total_pct, f.total_pct_tenth)
                ws.write_number(r, col, average, fmt)
        light = semaforo.traffic_light(compliance, t)
        ws.write_string(r, LIGHT_COL, light or "", f.total_center)
    light_formats(ws, f, first, by_component, LIGHT_COL)
    threshold_formats(ws, f, t, first, by_component, AVG_COMPLIANCE_COL)
    return {"header": header, "first": first, "last": last, "end": by_component + 1}


def _notes(book: Book, ws: Any, row: int) -> int:
    f = book.formats
    notes: tuple[str, ...] = (
        (
            "Por actividad: promedio simple de las actividades con dato. Por componente: "
            "promedio de los promedios de cada componente; difieren cuando los componentes "
            "tienen distinto número de actividades. Las actividades N/A o sin dato de avance "
            "quedan fuera de los promedios."
        ),
        (
            "Sin avance: actividades con 0 % reportado (pueden estar también Vencidas o Sin "
            "iniciar). Los gráficos de la página siguiente leen estas tablas: si corrige un "
            "valor, se actualizan."
        ),
    )
    if not book.entity_sheets:
        notes += (entity_sheets_note(book),)
    for text in notes:
        ws.merge_range(row, 0, row, LIGHT_COL, text, f.note)
        ws.set_row(row, text_height(text, sum(WIDTHS[: LIGHT_COL + 1]) * 0.9))
        row += 1
    return row


def entity_sheets_note(book: Book) -> str:
    """Why the consolidated report's workbook has no Seguimiento OCI nor Por responsable,
    and how to get them (``Book.entity_sheets``)."""
    count = entity_count(book.result)
    return (
        f"Con {thousands(count)} entidades (más de {FORMS_MAX}) este libro es el del informe "
        f"consolidado: no lleva las hojas «{SHEET_FORM}» (el formato de cada entidad) ni "
        f"«{SHEET_OWNERS}» (la lista de cada entidad para sus áreas). La Oficina de Control "
        "Interno de cada entidad los saca con su propia ejecución de pac-excel sobre su "
        f"archivo; cada actividad está en la hoja «{SHEET_ACTIVITIES}». Para tenerlas en este libro: "
        "pac-excel consolidar --todos-los-formularios."
    )


# Page 2: charts ------------------------------------------------------------------------------


def _charts(
    book: Book,
    ws: Any,
    top: int,
    table: dict[str, int],
    alert_rows: tuple[int, int],
    area: dict[str, int],
) -> None:
    """Two by two: estado and cumplimiento by component, alerts, areas."""
    wb = book.workbook
    header, first, last = table["header"], table["first"], table["last"]
    shown = min(CHART_AREAS, area["last"] - area["first"] + 1)
    right, below = CHART_W + CHART_GAP, CHART_TOP_PX + CHART_H + CHART_GAP
    area_chart = _area_chart(book, area["header"], area["first"], area["first"] + shown - 1, shown)
    grid = (
        (0, CHART_TOP_PX, _status_chart(wb, header, first, last)),
        (right, CHART_TOP_PX, _compliance_chart(book, header, first, last)),
        (0, below, _alert_chart(book, *alert_rows)),
        (right, below, area_chart),
    )
    for x, y, chart in grid:
        chart.set_size({"width": CHART_W, "height": CHART_H})
        ws.insert_chart(top, 0, chart, {"x_offset": x, "y_offset": y, "object_position": 3})


def _title(chart: Any, text: str) -> None:
    chart.set_title({"name": text, "name_font": {"size": 11, "bold": True}})


def _status_chart(wb: Any, header: int, first: int, last: int) -> Any:
    """Stacked bars: activities by estado in each component, in the estado colours."""
    chart = wb.add_chart({"type": "bar", "subtype": "stacked"})
    for offset, status in enumerate(STATUSES):
        col = _STATUS_FIRST_COL + offset
        chart.add_series(
            {
                "name": [SHEET_SUMMARY, header, col],
                "categories": [SHEET_SUMMARY, first, 0, last, 0],
                "values": [SHEET_SUMMARY, first, col, last, col],
                "fill": {"color": STATUS_COLOURS[status]},
                "border": {"color": "#FFFFFF"},
                "gap": 50,
            }
        )
    _title(chart, "Actividades por estado en cada componente")
    chart.set_x_axis(
        {"num_format": "0", "num_font": {"size": 8},
         "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}},
         "name": "Actividades", "name_font": {"size": 8, "bold": False}}
    )  # fmt: skip
    # Components run top to bottom like the table; "max" keeps the value axis at the bottom.
    chart.set_y_axis({"reverse": True, "crossing": "max", "num_font": {"size": 8}})
    chart.set_legend({"position": "bottom", "font": {"size": 8}})
    return chart


def _compliance_chart(book: Book, header: int, first: int, last: int) -> Any:
    """Columns of cumplimiento promedio per component, with the two thresholds as lines."""
    wb = book.workbook
    chart = wb.add_chart({"type": "column"})
    # Each bar in its semáforo colour, as the table's Semáforo column shows it.
    lights = values(book.components["traffic_light"]) if not book.components.empty else []
    points = [{"fill": {"color": LIGHT_SOLID.get(str(x), SERIES_COLOURS[0])}} for x in lights]
    chart.add_series(
        {
            "name": [SHEET_SUMMARY, header, AVG_COMPLIANCE_COL],
            # "2. Racionalización de Trámites (sin programación)": a blank bar says why.
            "categories": [SHEET_SUMMARY, first, CATEGORY_COL, last, CATEGORY_COL],
            "values": [SHEET_SUMMARY, first, AVG_COMPLIANCE_COL, last, AVG_COMPLIANCE_COL],
            "fill": {"color": SERIES_COLOURS[0]},
            "points": points or None,
            "data_labels": {
                "value": True,
                "num_format": PERCENT_FORMAT,
                "font": {"size": 8},
            },
            "gap": 80,
        }
    )
    lines = wb.add_chart({"type": "line"})
    single = last == first
    for col, light in zip(THRESHOLD_COLS, (semaforo.YELLOW, semaforo.GREEN), strict=True):
        lines.add_series(
            {
                "name": [SHEET_SUMMARY, header, col],
                "categories": [SHEET_SUMMARY, first, 0, last, 0],
                "values": [SHEET_SUMMARY, first, col, last, col],
                "line": {"color": LIGHT_SOLID[light], "width": 2, "dash_type": "dash"},
                # One component: a line needs two points, so show the level as a dash.
                "marker": {"type": "dash", "size": 14, "fill": {"color": LIGHT_SOLID[light]},
                           "border": {"color": LIGHT_SOLID[light]}}
                if single
                else {"type": "none"},
            }
        )  # fmt: skip
    chart.combine(lines)
    _title(chart, "Cumplimiento promedio por componente frente al semáforo")
    chart.set_y_axis(
        {"min": 0, "max": 1, "major_unit": 0.2, "num_format": PERCENT_FORMAT,
         "num_font": {"size": 8}, "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}},
         "name": "Cumplimiento (avance / esperado)", "name_font": {"size": 8, "bold": False}}
    )  # fmt: skip
    chart.set_x_axis(
        {"num_font": {"size": 7}, "name": "Componente", "name_font": {"size": 8, "bold": False}}
    )
    chart.set_legend({"position": "bottom", "font": {"size": 8}})
    return chart


def _alert_chart(book: Book, first: int, last: int) -> Any:
    chart = book.workbook.add_chart({"type": "bar"})
    labels = list(book.overall.by_alert)
    chart.add_series(
        {
            "name": "Actividades",
            "categories": [SHEET_SUMMARY, first, 4, last, 4],
            "values": [SHEET_SUMMARY, first, 6, last, 6],
            "points": [{"fill": {"color": ALERT_COLOURS.get(a, "#7F7F7F")}} for a in labels],
            "data_labels": {"value": True, "font": {"size": 8}},
            "gap": 50,
        }
    )
    _title(chart, "Actividades con cada alerta")
    axis: dict[str, Any] = {
        "min": 0,
        "num_format": "0",
        "num_font": {"size": 8},
        "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}},
    }
    top = max(book.overall.by_alert.values(), default=0)
    if top <= 10:
        # Excel would otherwise step by 0.2 and the "0" format shows 0, 0, 0, 1, 1, 1.
        axis.update({"major_unit": 1, "max": max(1, top)})
    chart.set_x_axis(axis)
    chart.set_y_axis({"reverse": True, "crossing": "max", "num_font": {"size": 8}})
    chart.set_legend({"none": True})
    return chart


def _area_chart(book: Book, header: int, first: int, last: int, shown: int) -> Any:
    """Clustered bars of avance and cumplimiento promedio for the largest areas."""
    chart = book.workbook.add_chart({"type": "bar"})
    for colour, col in zip(SERIES_COLOURS, (8, 9), strict=True):
        chart.add_series(
            {
                "name": [SHEET_SUMMARY, header, col],
                "categories": [SHEET_SUMMARY, first, 0, last, 0],
                "values": [SHEET_SUMMARY, first, col, last, col],
                "fill": {"color": colour},
                "data_labels": {"value": True, "num_format": PERCENT_FORMAT, "font": {"size": 7}},
                "gap": 60,
            }
        )
    total = len(book.area_table)
    title = "Avance y cumplimiento por área responsable"
    if total > shown:
        title += f" (las {shown} con más actividades)"
    _title(chart, title)
    chart.set_x_axis(
        {"min": 0, "max": 1, "major_unit": 0.2, "num_format": PERCENT_FORMAT,
         "num_font": {"size": 8}, "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}}
    )  # fmt: skip
    chart.set_y_axis({"reverse": True, "crossing": "max", "num_font": {"size": 7}})
    chart.set_legend({"position": "bottom", "font": {"size": 8}})
    return chart
