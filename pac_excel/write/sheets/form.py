"""form: Seguimiento OCI, the DAFP follow-up form as entities publish it.

Header block (Entidad, Vigencia, Fecha publicación), then one block per component: the
"Componente:" line and the columns Actividades programadas · Actividades cumplidas · % de
avance · Observaciones under "Seguimiento N OCI · Fecha seguimiento", with a Subcomponente
column first as entities' copies of the form carry (UES Valle). Each entity of a multi-entity
run starts on a new printed page. "Actividades cumplidas" is the office's own text and
"Observaciones" the OCI's, each from its source column; pac-excel's verdict at the cut goes to
its own last column, "Estado al corte", never into the OCI's words.

The form is a paper sheet: a component stays on one printed page when it fits; otherwise the
page breaks between activities and the next page repeats the component line and the column
headers (written here at each manual break: ``repeat_rows`` cannot vary per component).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any

import numpy as np
import pandas as pd

from pac_excel.check import labels
from pac_excel.check.contradictions import shown_status
from pac_excel.check.figures import followup_number, has_alert, valid_progress
from pac_excel.publish.content import EntityReport, entity_reports, plan_total
from pac_excel.write.book import NO_ENTITY, SHEET_FORM, Book
from pac_excel.write.cells import (
    DEFAULT_ROW_POINTS,
    MAX_PAGE_BREAKS,
    MAX_ROWS,
    Pages,
    RowCells,
    SheetTooLarge,
    print_setup,
    row_heights,
    text_cell,
    text_height,
    values,
    write_cells,
    write_text,
)
from pac_excel.write.sheets.evolution import EARLIER_WIDTH, EarlierCuts, earlier_cuts

FORM_TITLE = "FORMATO SEGUIMIENTO AL PLAN ANTICORRUPCIÓN Y DE ATENCIÓN AL CIUDADANO"


def form_title(programs: Sequence[str]) -> str:
    """The form's title names the programs followed up (two in a mixed folder)."""
    return "FORMATO SEGUIMIENTO AL " + " Y AL ".join(p.upper() for p in programs)


HEADERS: tuple[str, ...] = (
    "Subcomponente",
    "Actividades programadas",
    "Actividades cumplidas",
    "% de avance",
    "Observaciones",
    "Estado al corte",
)
WIDTHS: tuple[float, ...] = (16, 34, 34, 9, 32, 24)
LAST_COL = len(HEADERS) - 1
NO_FOLLOWUP = "Sin reporte del área."
CONTINUED = " (continúa)"
TOTAL_LABEL = "Total del componente"
TITLE_POINTS = 30.0
BLOCK_HEAD_POINTS = 18.0 + DEFAULT_ROW_POINTS + 18.0  # Componente, Seguimiento N, columns


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def states_at_cut(book: Book, details: pd.DataFrame) -> pd.Series:
    """pac-excel's verdict per activity at the cut (indexed by activity_id), from estado and
    alerts: "Cumplida.", "Vencida: falta la entrega del …". It has its own column so the OCI's
    Observaciones keep the OCI's own words."""
    acts = book.activities.set_index("activity_id", drop=False)
    status = acts["status"].astype("string").fillna(labels.NO_DATA)
    expected = acts["expected"].astype("Float64")
    exp_text = (expected * 100).round().astype("Int64").astype("string") + " %"
    late = details["late"].reindex(acts.index).astype("string")
    base = pd.Series(
        np.select(
            [
                status.eq(labels.DONE).to_numpy(dtype=bool),
                status.eq(labels.OVERDUE).to_numpy(dtype=bool),
                status.eq(labels.NOT_APPLICABLE).to_numpy(dtype=bool),
                status.eq(labels.NO_DATA).to_numpy(dtype=bool),
                status.eq(labels.NOT_STARTED).to_numpy(dtype=bool),
            ],
            [
                "Cumplida.",
                "Vencida.",
                "No aplica para el periodo.",
                "Sin % de avance reportado.",
                "Sin iniciar; ninguna entrega vencía al corte.",
            ],
            default="En curso.",
        ),
        index=acts.index,
        dtype="string",
    )
    overdue = status.eq(labels.OVERDUE) & late.notna()
    base = base.mask(overdue, "Vencida: falta la entrega del " + late + ".")
    running = status.eq(labels.IN_PROGRESS) & expected.gt(0).fillna(False)
    base = base.mask(running, "En curso: avance esperado al corte " + exp_text + ".")
    extra = pd.Series("", index=acts.index, dtype="string")
    extra = extra.mask(
        has_alert(acts, "na-con-fecha-pasada"),
        " Tenía entregas hasta el corte: justificar el N/A.",
    )
    extra = extra.mask(has_alert(acts, "sin-seguimiento"), extra + " No hay seguimiento.")
    next_date = acts["next_date"].dt.strftime("%d/%m/%Y").astype("string")
    soon = has_alert(acts, "proxima-a-vencer") & next_date.notna()
    extra = extra.mask(soon, extra + " Próxima entrega: " + next_date + ".")
    # A Cumplida an evidence alert doubts, and every evidence or contradiction alert, by name.
    base = base.mask(shown_status(acts).eq(labels.DONE_UNVERIFIED).fillna(False),
                     labels.DONE_UNVERIFIED + ".")  # fmt: skip
    for code in labels.EVIDENCE_ALERTS:
        extra = extra.mask(has_alert(acts, code), extra + f" {labels.ALERTS[code]}.")
    remarks: pd.Series = (base + extra.fillna("")).str.strip()
    return remarks


def write_form(book: Book) -> None:
    ws = book.sheets[SHEET_FORM]
    f = book.formats
    acts = book.activities
    details = book.pending
    remarks = states_at_cut(book, details)
    entity = acts["entity"].astype("string").fillna(NO_ENTITY)
    blocks = pd.DataFrame({"e": entity, "c": acts["component"]}).drop_duplicates()
    reports = {r.entity: r for r in entity_reports(book.result)}
    closing = sum(8 + len(r.conclusions) + len(r.recommendations) for r in reports.values())
    rows_needed = 2 + 4 * blocks["e"].nunique() + 5 * len(blocks) + len(acts) + closing
    if rows_needed > MAX_ROWS:
        raise SheetTooLarge(SHEET_FORM, rows_needed)

    for col, width in enumerate(WIDTHS):
        ws.set_column(col, col, width)
    # Seguimiento 1 / 2 / 3 side by side, right of Estado al corte: the store's earlier cuts,
    # else the earlier cut blocks the inputs carry beside the one consolidated.
    earlier = earlier_cuts(book, LAST_COL + 1)
    if not earlier.width:
        earlier = input_cuts(book, LAST_COL + 1)
    if earlier.width:
        ws.set_column(LAST_COL + 1, LAST_COL + earlier.width, EARLIER_WIDTH)
    ws.merge_range(0, 0, 0, LAST_COL, form_title(book.result.program_names), f.form_title)
    ws.set_row(0, TITLE_POINTS)

    # Every column the blocks need, as plain lists once: per-block pandas work measured as
    # most of this sheet's time with 50 entities.
    acts = acts.reset_index(drop=True)
    entity = entity.reset_index(drop=True)
    columns = _Columns.of(acts, remarks)
    # Each entity's rows by position, grouped once: a comparison and a frame slice per
    # entity grow with entities x activities (seconds at 1,000 files).
    at = entity.groupby(entity, sort=False).indices
    order = [e for e in book.entity_names if e in at]
    order += [e for e in entity.unique().tolist() if e not in order]
    number = followup_number(book.result.cutoff)
    row = 2
    breaks: list[int] = []
    pages = Pages(WIDTHS, TITLE_POINTS)
    pages.add(DEFAULT_ROW_POINTS)  # the blank row under the title
    for name in order:
        if row > 2 and len(breaks) < MAX_PAGE_BREAKS:
            breaks.append(row)
            pages.new_page()
        component = acts["component"].iloc[at[name]]
        years = acts["year"].iloc[at[name]]
        row = _entity_header(book, ws, row, str(name), years, reports.get(str(name)))
        pages.add(4 * DEFAULT_ROW_POINTS)
        for _, part in component.groupby(component, dropna=False, sort=True):
            block = columns.take(part.index)
            row = _component(book, ws, row, block, number, pages, breaks, earlier)
        if str(name) in reports:
            row = _closing(book, ws, row, reports[str(name)], pages, breaks)
    if not order:
        ws.merge_range(2, 0, 2, LAST_COL, "No se encontraron actividades", f.note)
        row = 3
    ws.set_h_pagebreaks(breaks)
    ws.hide_gridlines(2)
    ws.freeze_panes(1, 0)
    area = (0, 0, row, LAST_COL + earlier.width)
    print_setup(ws, book.page_header, book.page_footer, repeat=(0, 0), area=area)


def input_cuts(book: Book, first_col: int) -> EarlierCuts:
    """The % de avance of the cuts before this one that the input files carry side by side
    ("Seguimiento 1" beside "Seguimiento 2"), as normalize read them into ``history``."""
    history = book.result.history
    if history is None or history.empty:
        return EarlierCuts()
    known = history[history["activity_id"].notna() & history["cut_date"].notna()]
    known = known[known["cut_date"].dt.date < book.result.cutoff]
    if known.empty:
        return EarlierCuts()
    cuts = sorted(set(known["cut_date"].dt.date))
    by_activity: dict[Any, list[Any]] = {}
    for rec in known.to_dict("records"):
        cells = by_activity.setdefault(rec["activity_id"], [None] * len(cuts))
        na = rec["not_applicable"] is True
        value = rec["progress"]
        cells[cuts.index(rec["cut_date"].date())] = (
            "N/A" if na else (float(value) if value is not None and value is not pd.NA else None)
        )
    return EarlierCuts(cuts, by_activity, first_col)


def _entity_header(
    book: Book, ws: Any, row: int, name: str, year: pd.Series, report: EntityReport | None
) -> int:
    f = book.formats
    years = sorted({int(y) for y in year.dropna()})
    vigencia = ", ".join(str(y) for y in years) or book.vigencia
    ws.write_string(row, 0, "Entidad:", f.form_label)
    ws.merge_range(row, 1, row, LAST_COL, "", f.form_value)
    write_text(ws, row, 1, name, f.form_value, f.form_value_quoted)
    ws.write_string(row + 1, 0, "Vigencia:", f.form_label)
    ws.merge_range(row + 1, 1, row + 1, LAST_COL, vigencia, f.form_value)
    # The date the input states, else left for the OCI to fill: never the day pac-excel ran.
    ws.write_string(row + 2, 0, "Fecha publicación:", f.form_label)
    ws.merge_range(row + 2, 1, row + 2, LAST_COL, "", f.form_date)
    published = report.publication_date if report is not None else None
    if published is not None:
        ws.write_datetime(row + 2, 1, dt.datetime.combine(published, dt.time()), f.form_date)
    return row + 4


def _closing(
    book: Book, ws: Any, row: int, report: EntityReport, pages: Pages, breaks: list[int]
) -> int:
    """The plan total, conclusions, recommendations and signatures: what the OCI signs."""
    f = book.formats
    lines = [
        ("Total del plan", [plan_total(report)]),
        ("Conclusiones", report.conclusions),
        ("Recomendaciones", [f"{i}. {t}" for i, t in enumerate(report.recommendations, 1)]),
    ]
    width = sum(WIDTHS[1:])
    for label, texts in lines:
        heights = [text_height(t, width) for t in texts]
        if not pages.fits(heights[0] if heights else DEFAULT_ROW_POINTS) and pages.used:
            if len(breaks) < MAX_PAGE_BREAKS:
                breaks.append(row)
            pages.new_page()
        for i, (text, height) in enumerate(zip(texts, heights, strict=True)):
            ws.write_string(row, 0, label if i == 0 else "", f.form_label)
            ws.merge_range(row, 1, row, LAST_COL, "", f.form_value)
            write_text(ws, row, 1, text, f.form_value, f.form_value_quoted)
            ws.set_row(row, height)
            pages.add(height)
            row += 1
    row += 1
    sign_points = 5 * DEFAULT_ROW_POINTS
    if not pages.fits(sign_points) and len(breaks) < MAX_PAGE_BREAKS:
        breaks.append(row)
        pages.new_page()
    # Row by row (the sheet is streamed): role, a taller blank row to sign in, the line,
    # name and position, one signer per column.
    signers = list(zip((1, 2, 4), report.signers, strict=True))
    for col, signer in signers:
        ws.write_string(row, col, f"{signer.role}:", f.form_total)
    ws.set_row(row + 1, 24)
    for offset, texts in (
        (2, ["______________________________"] * len(signers)),
        (3, [signer.name or "Nombre:" for _, signer in signers]),
        (4, [signer.position or "Cargo:" for _, signer in signers]),
    ):
        for (col, _), text in zip(signers, texts, strict=True):
            ws.write_string(row + offset, col, text, f.form_sign)
    pages.add(sign_points)
    return row + 6


@dataclass(frozen=True)
class _Columns:
    """The activity columns the form shows, as plain lists (one entry per activity)."""

    label: list[Any]
    ids: list[Any]
    na: list[bool]
    sub: list[Any]
    activity: list[Any]
    done: list[Any]  # the office's Actividades cumplidas
    observations: list[Any]  # the OCI's Observaciones, as the input states them
    progress: list[Any]
    light: list[Any]
    valid: list[Any]  # progress within 0..1, for the component average
    status: list[Any]
    remark: list[Any]  # the state at the cut

    @classmethod
    def of(cls, acts: pd.DataFrame, remarks: pd.Series) -> _Columns:
        return cls(
            label=values(acts["component_label"]),
            ids=acts["activity_id"].tolist(),
            na=acts["not_applicable"].fillna(False).astype(bool).tolist(),
            sub=values(acts["subcomponent"]),
            activity=values(acts["activity"]),
            done=values(acts["done"]),
            # A frame built without the two texts apart (not by normalize) shows its
            # follow-up text as the observation.
            observations=values(
                acts["observations"].fillna(acts["followup"].where(acts["done"].isna()))
            ),
            progress=values(acts["progress"]),
            light=values(acts["traffic_light"]),
            valid=values(valid_progress(acts)),
            status=values(acts["status"]),
            remark=values(remarks.reindex(acts["activity_id"])),
        )

    def take(self, positions: Sequence[int]) -> _Columns:
        """The entries at ``positions``, in that order."""
        lists = [getattr(self, f.name) for f in fields(self)]
        return _Columns(*([column[i] for i in positions] for column in lists))


def _component(
    book: Book,
    ws: Any,
    row: int,
    rows: _Columns,
    number: int,
    pages: Pages,
    breaks: list[int],
    earlier: EarlierCuts,
) -> int:
    """One component's block. It starts on a new page when it would fit whole there but not
    here, or when its head and first row would not fit here (a printed page never ends with a
    lone column header); a block longer than a page breaks between activities and the next
    page repeats the component line and the column headers."""
    label = [v for v in rows.label if v is not None]
    name = str(label[0]) if label else labels.NO_COMPONENT
    heights = row_heights(
        [WIDTHS[0], WIDTHS[1], WIDTHS[2], WIDTHS[4], WIDTHS[5]],
        [rows.sub, rows.activity, [v or NO_FOLLOWUP for v in rows.done], rows.observations,
         rows.remark],
    )  # fmt: skip
    points = [float(h) or DEFAULT_ROW_POINTS for h in heights]
    whole = BLOCK_HEAD_POINTS + sum(points) + 2 * DEFAULT_ROW_POINTS
    first = BLOCK_HEAD_POINTS + (points[0] if points else 0.0)
    fits_fresh = whole <= pages.capacity
    if pages.used and (not pages.fits(first) or (fits_fresh and not pages.fits(whole))):
        _break(row, pages, breaks)
    pages.add(BLOCK_HEAD_POINTS)
    row = _block_head(book, ws, row, name, number, earlier)
    for i in range(len(rows.ids)):
        if i and not pages.fits(points[i]) and len(breaks) < MAX_PAGE_BREAKS:
            _break(row, pages, breaks)
            pages.add(BLOCK_HEAD_POINTS)
            row = _block_head(book, ws, row, name + CONTINUED, number, earlier)
        # The earlier cuts' cells first, as they were written before the form's own.
        cells = earlier.row_cells(book, rows.ids[i]) + _activity_row(book, row, rows, i)
        write_cells(ws, row, cells)
        if heights[i]:
            ws.set_row(row, float(heights[i]))
        pages.add(points[i])
        row += 1
    return _total_row(book, ws, row, rows, pages)


def _break(row: int, pages: Pages, breaks: list[int]) -> None:
    """A manual page break above ``row`` (Excel keeps at most 1,023 per sheet)."""
    if len(breaks) < MAX_PAGE_BREAKS:
        breaks.append(row)
    pages.new_page()


def _block_head(book: Book, ws: Any, row: int, name: str, number: int, earlier: EarlierCuts) -> int:
    """The "Componente:" line and the two header rows under it; returns the first data row."""
    f = book.formats
    ws.write_string(row, 0, "Componente:", f.form_label)
    ws.merge_range(row, 1, row, LAST_COL, "", f.form_component)
    write_text(ws, row, 1, name, f.form_component, f.form_component)
    ws.set_row(row, 18)
    row += 1
    cut = book.result.cutoff
    ws.merge_range(row, 0, row + 1, 0, HEADERS[0], f.form_head)
    ws.merge_range(row, 1, row + 1, 1, HEADERS[1], f.form_head)
    ws.merge_range(
        row, 2, row, LAST_COL - 1,
        f"Seguimiento {number} OCI · Fecha seguimiento: {cut:%d/%m/%Y}", f.form_head,
    )  # fmt: skip
    ws.merge_range(row, LAST_COL, row + 1, LAST_COL, HEADERS[LAST_COL], f.form_head)
    earlier.write_head(book, ws, row)  # its two rows, before the form's second (streamed)
    for col in range(2, LAST_COL):
        ws.write_string(row + 1, col, HEADERS[col], f.form_head)
    ws.set_row(row + 1, 18)
    return row + 2


def _activity_row(book: Book, row: int, rows: _Columns, i: int) -> RowCells:
    """Activity ``i`` of the block, as cells for ``write_cells``; input texts cut at Excel's
    limit are reported against the activity, under their Actividades name."""
    f = book.formats
    activity_id = rows.ids[i]
    cells: RowCells = []
    for col, value, field_name in (
        (0, rows.sub[i], "Subcomponente"),
        (1, rows.activity[i], "Actividad"),
        (4, rows.observations[i], "Seguimiento"),
    ):
        if value is None:
            cells.append((col, None, f.form_cell))
            continue
        cell, too_long = text_cell(col, str(value), f.form_cell, f.form_cell_quoted)
        cells.append(cell)
        if too_long:
            book.report_source_cut(field_name, len(str(value)), activity_id)
    remark = rows.remark[i]
    if remark is None:
        cells.append((LAST_COL, None, f.form_cell))
    else:
        cell, too_long = text_cell(LAST_COL, str(remark), f.form_cell, f.form_cell_quoted)
        cells.append(cell)
        if too_long:
            book.report_cell_cut(SHEET_FORM, row, LAST_COL, HEADERS[LAST_COL], len(str(remark)))
    done = rows.done[i]
    if done:
        cell, too_long = text_cell(2, str(done), f.form_cell, f.form_cell_quoted)
        cells.append(cell)
        if too_long:
            book.report_source_cut("Seguimiento", len(str(done)), activity_id)
    else:
        cells.append((2, NO_FOLLOWUP, f.form_pending))
    if rows.na[i]:
        cells.append((3, "N/A", f.form_center))
    elif rows.progress[i] is None:
        cells.append((3, "Sin dato", f.form_center))
    else:
        # Coloured by the activity's semáforo (its cumplimiento), as the PDF shows it.
        fmt = f.form_pct_lights.get(str(rows.light[i]), f.form_pct)
        cells.append((3, rows.progress[i], fmt))
    return cells


def _total_row(book: Book, ws: Any, row: int, rows: _Columns, pages: Pages) -> int:
    """The block's total: activities, cumplidas and the simple mean of the progress given."""
    f = book.formats
    done = sum(s == labels.DONE for s in rows.status)
    not_applicable = int(sum(rows.na))
    valid = [float(v) for v in rows.valid if v is not None]
    ws.write_string(row, 0, TOTAL_LABEL, f.form_total)
    ws.write_string(
        row,
        1,
        _plural(len(rows.ids), "actividad programada", "actividades programadas"),
        f.form_total,
    )
    ws.write_string(row, 2, _plural(done, "cumplida", "cumplidas"), f.form_total)
    if not valid:
        ws.write_string(row, 3, "Sin dato", f.form_total)
    else:
        ws.write_number(row, 3, sum(valid) / len(valid), f.form_total_pct)
    note = "Avance: promedio simple de las actividades con dato"
    if not_applicable:
        note += "; " + _plural(not_applicable, "no aplica y no cuenta.", "no aplican y no cuentan.")
    else:
        note += "."
    ws.merge_range(row, 4, row, LAST_COL, "", f.form_total)
    ws.write_string(row, 4, note, f.form_total)
    height = max(text_height(note, WIDTHS[4] + WIDTHS[5]), text_height(TOTAL_LABEL, WIDTHS[0]))
    ws.set_row(row, height)
    pages.add(height + DEFAULT_ROW_POINTS)
    return row + 2
