"""sheet_evolution: Evolución (the year from the history store) and Plan (plan vs follow-up).

Evolución only exists when the store holds an earlier cut of the same entity and year: one row
per activity with its progress at each cut, the change since the previous cut, the alert
Sin movimiento, and what happened to its text (changed, split, new, dropped). To its right,
cumplimiento per component at each cut and a native line chart of it. Plan only exists when
a plan was given: what the plan has that the follow-up lacks, and the other way round.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from pac_excel.check.figures import followup_number
from pac_excel.history.evolution import DROPPED, FIRST, NO_MOVEMENT, component_compliance
from pac_excel.history.match import SAME
from pac_excel.write.book import NO_ENTITY, Book
from pac_excel.write.cells import Column, RowCells, alarm_format, values
from pac_excel.write.sheets.tables import data_table
from pac_excel.write.stream import StreamedSheet
from pac_excel.write.styles import SERIES_COLOURS

SHEET_EVOLUTION = "Evolución"
SHEET_PLAN = "Plan"
PLAN_COLUMNS: tuple[Column, ...] = (
    Column("Hallazgo", 16, "wrap", 22),
    Column("Componente", 18, "wrap", 26),
    Column("Actividad en el plan", 30, "wrap", 50),
    Column("Archivo del plan", 12, "wrap", 24),
    Column("Fila del plan", 6, "int"),
    Column("Actividad en el seguimiento", 30, "wrap", 50),
    Column("Archivo", 12, "wrap", 24),
    Column("Fila", 5, "int"),
    Column("Parecido", 9, "pct"),
)
LINE_COLOURS = (*SERIES_COLOURS, "#70AD47", "#FFC000", "#7030A0", "#C00000", "#264478")


def cut_header(cut: dt.date) -> str:
    return f"Seguimiento {followup_number(cut)} ({cut:%d/%m/%Y})"


def write_evolution(book: Book) -> Any:
    """The Evolución sheet, when the store has more than one cut to show (else None)."""
    frame = book.result.evolution
    if frame is None or frame.empty or frame["cut_date"].nunique() < 2:
        return None
    cuts = sorted(frame["cut_date"].dt.date.unique())
    columns = [
        Column("Entidad", 12, "wrap", 20),
        Column("Componente", 16, "wrap", 22),
        Column("Actividad", 30, "wrap", 50),
        *(Column(cut_header(c), 11, "pct_note") for c in cuts),
        Column("Cambio desde el corte anterior", 11, "pct"),
        Column("Alerta", 12, "wrap", 16),
        Column("Detalle", 26, "wrap", 40),
        Column("Cambios en el texto", 18, "wrap", 30),
        Column("Texto anterior", 24, "wrap", 40),
        Column("Archivo", 12, "wrap", 24),
        Column("Fila", 5, "int"),
    ]
    data = _rows(frame, cuts)
    # Streamed as the other lists (a year of 1,000 files is 20,000 rows): the trend table
    # right of the list is written with the list's first rows, and its chart goes in first.
    ws = book.workbook.add_worksheet(SHEET_EVOLUTION, worksheet_class=StreamedSheet)
    trend = _trend(book, ws, frame, cuts, len(columns) + 1)
    last = data_table(
        book, ws, SHEET_EVOLUTION, columns, data, placeholder=(2, "Sin actividades"),
        freeze_cols=3,
        highlight=lambda last: alarm_format(
            ws, book.formats, 1, last, 3 + len(cuts) + 1, NO_MOVEMENT
        ),
        extra=lambda index: trend.get(index + 1, ()),
    )  # fmt: skip
    for row in sorted(r for r in trend if r > last):  # a trend longer than the list
        ws.write_cells(row, trend[row])
    return ws


class _Tracks:
    """The frame's rows as plain column lists, and per track (in track order) the positions of
    its rows in cut order. No object per row: a second cut of 3,000 files is 240,000 rows, which
    as one dict each held 150 MiB while Evolución was written."""

    def __init__(self, frame: pd.DataFrame, names: tuple[str, ...]) -> None:
        self.columns = {name: values(frame[name]) for name in names if name != "cut_date"}
        self.columns["cut_date"] = frame["cut_date"].dt.date.tolist()
        track = frame["track"].to_numpy(dtype="int64")
        cut = frame["cut_date"].to_numpy(dtype="datetime64[s]").view("int64")
        order = np.lexsort((cut, track))  # stable: a track's rows of one cut keep their order
        bounds = np.flatnonzero(np.diff(track[order])) + 1
        parts = np.split(order, bounds) if len(order) else []
        self.groups: list[list[int]] = [part.tolist() for part in parts]


# What each reader of the tracks takes of the frame (``_progress_cell``: event, not_applicable
# and progress).
_ROW_COLUMNS = ("entity", "component_label", "activity", "event", "cut_date", "change", "alert",
                "detail", "file", "row", "not_applicable", "progress")  # fmt: skip
_EARLIER_COLUMNS = ("cut_date", "file", "sheet", "row", "event", "not_applicable", "progress")


def _rows(frame: pd.DataFrame, cuts: list[dt.date]) -> list[list[Any]]:
    """One row per story (track), column-wise as data_table wants them."""
    out: list[list[Any]] = [[] for _ in range(3 + len(cuts) + 7)]
    tracks = _Tracks(frame, _ROW_COLUMNS)
    c = tracks.columns
    event, cut_date, activity = c["event"], c["cut_date"], c["activity"]
    for track in tracks.groups:
        present = [i for i in track if event[i] != DROPPED]
        latest, final = present[-1], track[-1]
        by_cut = {cut_date[i]: i for i in track}
        cells: list[Any] = [
            _text(c["entity"][latest]) or NO_ENTITY,
            _text(c["component_label"][latest]),
            _text(activity[latest]),
        ]
        cells += [_progress_cell(c, by_cut.get(cut)) for cut in cuts]
        change = c["change"][final] if event[final] != DROPPED else None
        events = [
            f"{event[i]} el {cut_date[i]:%d/%m/%Y}" for i in track if event[i] not in (SAME, FIRST)
        ]
        first_text = _text(activity[present[0]])
        row = c["row"][latest]
        cells += [
            None if change is None else float(change),
            _text(c["alert"][final]),
            _text(c["detail"][final]),
            "; ".join(events) or SAME,
            first_text if first_text != cells[2] else None,
            _text(c["file"][latest]),
            None if row is None else int(row),
        ]
        for column, value in zip(out, cells, strict=True):
            column.append(value)
    return out


def _progress_cell(columns: dict[str, list[Any]], at: int | None) -> Any:
    """A track's progress at one cut (row ``at`` of ``columns``; None: not there): a number,
    N/A, Retirada, or blank."""
    if at is None:
        return None
    if columns["event"][at] == DROPPED:
        return DROPPED
    if columns["not_applicable"][at] is True:
        return "N/A"
    progress = columns["progress"][at]
    return None if progress is None else float(progress)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _trend(
    book: Book, ws: Any, frame: pd.DataFrame, cuts: list[dt.date], col: int
) -> dict[int, RowCells]:
    """Cumplimiento per component at each cut, and its line chart below the little table.

    Written before the list: its header row and the chart now, its rows returned (row ->
    cells) for the list to write with its own. The chart caches the table's values from its
    series, as xlsxwriter would from the cells of a sheet in memory."""
    f = book.formats
    table = component_compliance(frame)
    if table.empty:
        return {}
    ws.set_column(col, col, 30)
    ws.set_column(col + 1, col + len(cuts), 12)
    ws.write_string(0, col, "Cumplimiento promedio por componente", f.table_header)
    headers = [cut_header(cut) for cut in cuts]
    for offset, header in enumerate(headers, 1):
        ws.write_string(0, col + offset, header, f.table_header)
    cells: dict[int, RowCells] = {}
    chart = book.workbook.add_chart({"type": "line"})
    for r, (label, row) in enumerate(table.iterrows(), 1):
        shown: list[float | None] = []
        for cut in cuts:
            value = row.get(pd.Timestamp(cut))
            shown.append(None if value is None or pd.isna(value) else float(value))
        cells[r] = [(col, str(label), f.cells["wrap"][0])]
        cells[r] += [
            (col + offset, value, f.cells["pct"][0])
            for offset, value in enumerate(shown, 1)
            if value is not None
        ]
        colour = LINE_COLOURS[(r - 1) % len(LINE_COLOURS)]
        chart.add_series(
            {
                "name": [SHEET_EVOLUTION, r, col],
                "name_data": [str(label)],
                "categories": [SHEET_EVOLUTION, 0, col + 1, 0, col + len(cuts)],
                "categories_data": headers,
                "values": [SHEET_EVOLUTION, r, col + 1, r, col + len(cuts)],
                # as xlsxwriter caches a number cell (Workbook._add_chart_data)
                "values_data": [None if v is None else f"{v:.16g}" for v in shown],
                "line": {"color": colour, "width": 2.25},
                "marker": {"type": "circle", "size": 6, "fill": {"color": colour},
                           "border": {"color": colour}},
            }
        )  # fmt: skip
    chart.set_title({"name": "Cumplimiento por componente en cada corte",
                     "name_font": {"size": 11, "bold": True}})  # fmt: skip
    chart.set_y_axis({"min": 0, "max": 1, "major_unit": 0.2, "num_format": "0%",
                      "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})  # fmt: skip
    chart.set_legend({"position": "bottom", "font": {"size": 8}})
    chart.set_size({"width": 620, "height": 340})
    ws.insert_chart(len(table) + 2, col, chart)
    return cells


def write_plan(book: Book) -> None:
    """The Plan sheet, when a plan was given."""
    found = book.result.plan_check
    if found is None:
        return
    fields = ("finding", "component_label", "plan_activity", "plan_file", "plan_row", "activity",
              "file", "row", "similarity")  # fmt: skip
    ws = book.workbook.add_worksheet(SHEET_PLAN, worksheet_class=StreamedSheet)
    data_table(
        book, ws, SHEET_PLAN, PLAN_COLUMNS, [values(found[f]) for f in fields],
        placeholder=(0, "El seguimiento tiene las mismas actividades que el plan"),
    )  # fmt: skip


@dataclass
class EarlierCuts:
    """The % de avance of the year's earlier cuts, for columns right of the Seguimiento OCI
    form (Seguimiento 1 / 2 / 3 side by side). Empty, it writes nothing."""

    cuts: list[dt.date] = field(default_factory=list)
    by_activity: dict[Any, list[Any]] = field(default_factory=dict)
    first_col: int = 0

    @property
    def width(self) -> int:
        return len(self.cuts)

    def write_head(self, book: Book, ws: Any, row: int) -> None:
        """The two header rows of a component block, beside the form's own."""
        if not self.cuts:
            return
        f = book.formats
        last = self.first_col + self.width - 1
        if self.width > 1:
            ws.merge_range(row, self.first_col, row, last, EARLIER_HEAD, f.form_head)
        else:
            ws.write_string(row, self.first_col, EARLIER_HEAD, f.form_head)
        for offset, cut in enumerate(self.cuts):
            ws.write_string(row + 1, self.first_col + offset, cut_header(cut), f.form_head)

    def row_cells(self, book: Book, activity_id: Any) -> RowCells:
        """The activity's % de avance at each earlier cut, as cells for ``write_cells``."""
        f = book.formats
        found = self.by_activity.get(activity_id, [None] * self.width)
        return [
            (self.first_col + offset, value, f.form_pct)
            if isinstance(value, float)
            else (self.first_col + offset, value or "Sin dato", f.form_center)
            for offset, value in enumerate(found)
        ]


EARLIER_HEAD = "% de avance en los seguimientos anteriores"
EARLIER_WIDTH = 13.0
NOT_THERE = "No estaba"  # the activity did not exist at that cut


def earlier_cuts(book: Book, first_col: int) -> EarlierCuts:
    """What the history store holds for the run's activities at the year's earlier cuts."""
    frame = book.result.evolution
    cutoff = pd.Timestamp(book.result.cutoff)
    if frame is None or frame.empty or not frame["cut_date"].lt(cutoff).any():
        return EarlierCuts()
    cuts = sorted(d for d in frame["cut_date"].dt.date.unique() if d < book.result.cutoff)
    acts = book.activities
    ids = {
        (f, s, int(r)): a
        for a, f, s, r in zip(acts["activity_id"], acts["file"], acts["sheet"], acts["row"],
                              strict=True)
    }  # fmt: skip
    by_activity: dict[Any, list[Any]] = {}
    tracks = _Tracks(frame, _EARLIER_COLUMNS)
    c = tracks.columns
    event, cut_date = c["event"], c["cut_date"]
    for track in tracks.groups:
        now = next(
            (i for i in track if cut_date[i] == book.result.cutoff and event[i] != DROPPED),
            None,
        )
        if now is None or c["row"][now] is None:
            continue
        place = (c["file"][now], c["sheet"][now], int(c["row"][now]))
        if place in ids:
            at = {cut_date[i]: i for i in track}
            by_activity[ids[place]] = [
                _progress_cell(c, at[cut]) if cut in at else NOT_THERE for cut in cuts
            ]
    return EarlierCuts(cuts, by_activity, first_col)
