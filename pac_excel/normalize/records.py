"""records: one assembled activity into its record, its scheduled dates and cell problems.

Dates come from the Fecha programada cells or the marked period columns, progress from the
first progress cell (a second one is reported, never added), and text is cut to what an
Excel cell holds; every doubtful cell becomes a Problem at its address, and the activity is
always kept.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from pac_excel.normalize.catalog import Catalog, component_label
from pac_excel.normalize.evidence import evidence_columns
from pac_excel.normalize.metadata import signature_lines
from pac_excel.normalize.model import (
    FOOTER,
    ORPHAN_DATA,
    TITLE_BLOCK,
    Activity,
    Cell,
    Fate,
    Prepared,
    SheetContext,
    is_nonblank,
)
from pac_excel.normalize.rows import activities, heading_above
from pac_excel.parse.periods import month_end, schedule_period
from pac_excel.parse.progress import Progress, parse_progress
from pac_excel.parse.schedule import parse_schedule
from pac_excel.problems import Problem, Severity
from pac_excel.text import MAX_CELL_CHARS, cell_text, is_blank, is_blank_row, join_text


def sheet_records(
    item: Prepared, problems: list[Problem], catalog: Catalog, per_component_sheets: bool
) -> tuple[SheetContext, list[Activity], list[dict[str, object]]]:
    """One plan sheet read: its context (skipped rows, headings), activities and records.

    The rows above the table are its title block, except a "Componente: …" line there.
    """
    assert item.header is not None
    header = item.header
    meta = item.meta
    context = SheetContext(item.sheet, header, problems, meta.year, item.rows)
    context.per_component_sheets = per_component_sheets
    above = [
        i + 1
        for i, r in enumerate(item.rows[: header.first_row])
        if is_nonblank(r) and heading_above(r, catalog) is None
    ]
    # The title block is one run of rows, whatever blank rows sit between its lines.
    context.skipped.extend((r, TITLE_BLOCK) for r in above)
    context.headings.extend(
        (i + 1, "encabezado") for i in range(header.row + 1) if i + 1 not in above
    )
    finished = activities(context, item.rows, catalog)
    if finished and "progress" not in header.columns:
        _report_no_progress(context)
    records = [_record(context, a, catalog) for a in finished]
    _report_skipped(context)
    footer = [row for row, why in context.skipped if why == FOOTER]
    meta.signatures = signature_lines(item.rows, footer) or meta.signatures
    for record in records:
        record.update(entity=meta.entity, year=meta.year)
    return context, finished, records


def fates(context: SheetContext, finished: list[Activity]) -> list[Fate]:
    """What became of every non-blank row of the sheet, in row order."""
    fates: list[Fate] = [(r, role, i, None) for i, a in enumerate(finished) for r, role in a.parts]
    fates += [(r, "encabezado", None, None) for r, _ in context.headings]
    fates += [(r, "omitida", None, why) for r, why in context.skipped]
    rows = context.sheet.rows
    nonblank = {i + 1 for i, r in enumerate(rows) if is_nonblank(r)}
    return sorted((f for f in fates if f[0] in nonblank), key=lambda f: f[0])


def _report_skipped(context: SheetContext) -> None:
    """One Información line per run of rows skipped for the same reason."""
    skipped = sorted(context.skipped)
    i = 0
    while i < len(skipped):
        start, reason = skipped[i]
        end = start
        j = i + 1
        while (
            j < len(skipped)
            and skipped[j][1] == reason
            and (
                reason == TITLE_BLOCK or _only_blank_between(context.sheet.rows, end, skipped[j][0])
            )
        ):
            end = skipped[j][0]
            j += 1
        where = f"Fila {start}" if start == end else f"Filas {start}–{end}"
        severity = Severity.WARNING if reason == ORPHAN_DATA else Severity.INFO
        context.problem(
            row=start,
            severity=severity,
            code="fila-omitida",
            message=f"{where}: {reason}; no se tomaron como actividades.",
        )
        i = j


def _only_blank_between(rows: Sequence[Sequence[object]], first: int, second: int) -> bool:
    return all(is_blank_row(rows[r - 1]) for r in range(first + 1, second))


def _record(context: SheetContext, activity: Activity, catalog: Catalog) -> dict[str, object]:
    ordered, permanent, range_start = _schedule(context, activity)
    progress = progress_of(context, activity)
    if not activity.schedule_cells and not activity.period_marks:
        context.problem(
            row=activity.row,
            column=activity.columns.get("dates", activity.columns.get("end")),
            severity=Severity.WARNING,
            code="sin-fecha-programada",
            message="La actividad no tiene fecha programada: no se puede saber si está vencida.",
        )
    if activity.component is None:
        context.problem(
            row=activity.row,
            column=activity.columns.get("subcomponent"),
            severity=Severity.WARNING,
            code="componente-desconocido",
            message=(
                "No se pudo deducir el componente del PAAC a partir del subcomponente "
                f"«{activity.subcomponent}»; revíselo."
                if activity.subcomponent
                else "La actividad no tiene componente ni subcomponente: no se pudo saber a qué "
                "componente del PAAC pertenece; agregue la columna Componente o Subcomponente."
            ),
        )
    schedule_text = "; ".join(d.strftime("%d/%m/%Y") for d in ordered)
    if permanent:
        schedule_text = "Permanente" + (f"; {schedule_text}" if schedule_text else "")
    texts = {
        name: _fit_cell(context, activity, name, text) for name, text in activity.texts.items()
    }
    followup = _fit_cell(
        context,
        activity,
        "followup",
        join_text(texts.get("done", ""), texts.get("followup", ""), "\n"),
    )
    return {
        "file": context.sheet.file,
        "sheet": context.sheet.sheet,
        "row": activity.row,
        "component": activity.component,
        "component_label": (
            component_label(activity.component, catalog) if activity.component else None
        ),
        "subcomponent": activity.subcomponent or None,
        "activity": texts.get("activity", ""),
        "goal": texts.get("goal") or None,
        "owner": texts.get("owner") or None,
        "schedule": schedule_text,
        "permanent": permanent,
        "n_dates": len(ordered),
        "progress": progress.value if not progress.not_applicable else None,
        "progress_text": progress.text or None,
        "not_applicable": progress.not_applicable,
        "followup": followup or None,
        "done": texts.get("done") or None,
        "observations": texts.get("followup") or None,
        "range_start": range_start,
        "progress_unknown": "progress" not in context.header.columns
        or (progress.value is None and progress.problem is not None),
        **_side_columns(context, activity),
        **evidence_columns(context, activity),
        "_dates": ordered,
    }


def _schedule(
    context: SheetContext, activity: Activity
) -> tuple[tuple[dt.date, ...], bool, dt.date | None]:
    """The activity's due dates, whether it is permanent, and the start of its range when its
    one scheduled cell is a range of months ("Marzo a diciembre")."""
    dates: set[dt.date] = set()
    starts: list[dt.date | None] = []
    permanent = False
    for cell in activity.schedule_cells:
        parsed = parse_schedule(cell.value, context.year)
        permanent = permanent or parsed.permanent
        period = (
            schedule_period(cell.value, context.year)
            if isinstance(cell.value, str) and not parsed.permanent
            else None
        )
        if period is not None and set(parsed.dates) <= {period.end}:
            dates.add(period.end)  # "Primer semestre": due on the period's last day
            starts.append(period.start)
            continue
        dates.update(parsed.dates)
        starts.append(None)
        _report_dates(context, cell, parsed.problems, "Fecha programada")
    for cell in activity.start_cells:
        # The start date decides nothing, but a wrong one is still worth fixing.
        _report_dates(
            context, cell, parse_schedule(cell.value, context.year).problems, "Fecha de inicio"
        )
    dates.update(_period_dates(context, activity))
    ordered = tuple(sorted(dates))
    start = starts[0] if len(starts) == 1 and len(ordered) == 1 else None
    return ordered, permanent, start


def _report_no_progress(context: SheetContext) -> None:
    """A table without a progress column says nothing of progress: its activities are "Sin
    dato", and the user is told which headers the sheet has so the column can be named."""
    header = context.header
    listing = ", ".join(f"«{label}»" for _, label in sorted(header.labels.items()))
    context.problem(
        row=header.row + 1,
        severity=Severity.WARNING,
        code="sin-columna-de-avance",
        message="No se encontró la columna de % de avance (encabezados de la tabla: "
        f"{listing}); sus actividades quedan «Sin dato», no se juzgan como vencidas.",
    )


def _side_columns(context: SheetContext, activity: Activity) -> dict[str, object]:
    """The area's own progress and the office's own estado, read from the activity's row."""
    row = context.rows[activity.row - 1]
    out: dict[str, object] = {"area_progress": None, "reported_status": None}
    column = context.header.columns.get("area_progress")
    if column is not None and column < len(row):
        area = parse_progress(row[column], context.whole_numbers.get(column, False))
        out["area_progress"] = area.value if area.problem is None else None
    column = context.header.columns.get("reported_status")
    if column is not None and column < len(row) and not is_blank(row[column]):
        out["reported_status"] = cell_text(row[column])
    return out


def _report_dates(context: SheetContext, cell: Cell, problems: Sequence[str], what: str) -> None:
    for message in problems:
        context.problem(
            row=cell.row,
            column=cell.column,
            severity=Severity.WARNING,
            code="fecha-no-valida",
            message=f"{what}: {message}. La actividad se conserva.",
        )


def _period_dates(context: SheetContext, activity: Activity) -> set[dt.date]:
    """Each marked period column is one delivery, due on the period's last day."""
    if not activity.period_marks:
        return set()
    if context.year is None:
        period, cell = activity.period_marks[0]
        context.problem(
            row=cell.row,
            column=cell.column,
            severity=Severity.WARNING,
            code="fecha-no-valida",
            message=f"Periodo «{period.label}»: falta el año (no se encontró la vigencia en el "
            "archivo). La actividad se conserva.",
        )
        return set()
    return {month_end(context.year, period.months[1]) for period, _ in activity.period_marks}


def _fit_cell(context: SheetContext, activity: Activity, name: str, text: str) -> str:
    """Cut text to Excel's 32,767 characters per cell, and say so: never silently."""
    if len(text) <= MAX_CELL_CHARS:
        return text
    context.problem(
        row=activity.row,
        column=activity.columns.get(name),
        severity=Severity.WARNING,
        code="texto-demasiado-largo",
        message=f"El texto tiene {len(text):,} caracteres y Excel admite {MAX_CELL_CHARS:,} por "
        "celda; se recortó en el libro consolidado.".replace(",", "."),
    )
    return text[:MAX_CELL_CHARS]


def progress_of(context: SheetContext, activity: Activity, *, report: bool = True) -> Progress:
    cells = activity.progress_cells
    if not cells:
        return parse_progress(None)
    whole = context.whole_numbers.get(cells[0].column, False)
    parsed = [(cell, parse_progress(cell.value, whole)) for cell in cells]
    cell, first = parsed[0]
    if not report:
        return first
    if first.problem:
        context.problem(
            row=cell.row,
            column=cell.column,
            severity=Severity.WARNING,
            code="avance-no-valido",
            message=f"% de avance: {first.problem}.",
        )
    for other_cell, other in parsed[1:]:
        context.problem(
            row=other_cell.row,
            column=other_cell.column,
            severity=Severity.WARNING,
            code="avance-repetido",
            message=f"La actividad de la fila {activity.row} tiene otro % de avance "
            f"(«{other.text}») en esta fila; se usó el primero («{first.text}»).",
        )
    return first
