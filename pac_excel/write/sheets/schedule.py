"""schedule: Cronograma, one row per scheduled delivery with its state at the cut.

The state rule is check.rules.delivery_states (delivery k of n is Cumplida when the reported
progress reaches k/n less one point; otherwise Vencida if dated on or before the cut, else
Pendiente). The month grid reads like a Gantt view of the year: a pale bar from the previous
delivery to this one and a coloured mark (✔ ✖ ● –) on the delivery's month; the cut's month is
red in the header and ruled on its right.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from pac_excel.check.labels import (
    DELIVERY_DONE,
    DELIVERY_NA,
    DELIVERY_NO_DATA,
    DELIVERY_OVERDUE,
    DELIVERY_PENDING,
)
from pac_excel.write.blocks import BLANK, BlockColumn
from pac_excel.write.book import SHEET_SCHEDULE, Book
from pac_excel.write.cells import (
    MAX_ROWS,
    Column,
    ExtraCells,
    SheetTooLarge,
    fitted_widths,
    print_setup,
    row_heights,
    text_cell,
    text_height,
    values,
    write_rows,
)
from pac_excel.write.styles import DELIVERY_MARKS

MONTHS = ("Ene", "Feb", "Mar", "Abr", "May", "Jun", "Jul", "Ago", "Sep", "Oct", "Nov", "Dic")
MONTH_WIDTH = 4.3
ENTITY = Column("Entidad", 12, "wrap", 18)
COLUMNS: tuple[Column, ...] = (
    Column("Componente", 14, "wrap", 18),
    Column("Actividad", 26, "wrap", 36),
    Column("Responsable", 14, "wrap", 18),
    Column("Entrega", 7, "center"),
    Column("Fecha programada", 10.5, "date"),
    Column("Estado de la entrega", 10, "center_wrap"),
    Column("Avance reportado", 9, "pct_note"),
)
STATE_HEADER = "Estado de la entrega"
# The activity's texts as its file wrote them: one cut at Excel's limit is reported against
# the activity. On the rows of its later deliveries (``_continued``) they are repeated, in
# grey on one line, to filter by (``repeat``); its progress is not (it is the activity's, on
# its first delivery's row).
INPUT_TEXTS = (ENTITY.header, "Componente", "Actividad", "Responsable")
ONCE = ("Avance reportado",)
HEADER_ROW = 2


def write_schedule(book: Book) -> None:
    ws = book.sheets[SHEET_SCHEDULE]
    f = book.formats
    year = book.grid_year
    acts = book.activities.set_index("activity_id", drop=False)
    states = book.deliveries
    if HEADER_ROW + 1 + max(len(states), 1) > MAX_ROWS:
        raise SheetTooLarge(SHEET_SCHEDULE, HEADER_ROW + 1 + len(states))
    columns = ((ENTITY,) if book.several_entities else ()) + COLUMNS
    n_fixed = len(columns)
    last_col = n_fixed + len(MONTHS) - 1

    ids = states["activity_id"]
    data = _delivery_cells(book, acts, states)
    permanent = int(book.activities["permanent"].fillna(False).astype(bool).sum())

    ws.merge_range(
        0, 0, 0, last_col,
        f"Cronograma de entregas {year} · estado al corte {book.result.cutoff:%d/%m/%Y}",
        f.title,
    )  # fmt: skip
    ws.set_row(0, 26)
    legend = _legend(states, permanent)
    ws.merge_range(1, 0, 1, last_col, legend, f.note)

    n = len(states)
    if n == 0:
        data = [["No hay entregas con fecha"] if i == 1 else [None] for i in range(n_fixed)]
    widths = fitted_widths(columns, data)  # of every text shown, repeated ones too
    headers = [c.header for c in columns]
    repeated = _repeated(book, data, headers, _continued(states)) if n else {}
    for col, (spec, width) in enumerate(zip(columns, widths, strict=True)):
        ws.set_column(col, col, width, f.cells[spec.kind][0])
    ws.set_column(n_fixed, last_col, MONTH_WIDTH, f.cells["center"][0])
    # At least the two lines it always had; the note is 9 pt, a little narrower than 10.
    ws.set_row(1, max(28.0, text_height(legend, (sum(widths) + MONTH_WIDTH * 12) * 1.1)))

    id_list = ids.tolist()

    def on_cut(index: int, col: int, length: int) -> None:
        header = columns[col].header
        if header in INPUT_TEXTS:
            book.report_source_cut(header, length, id_list[index])
        else:
            book.report_cell_cut(SHEET_SCHEDULE, HEADER_ROW + 1 + index, col, header, length)

    first = HEADER_ROW + 1
    wrapped = [i for i, c in enumerate(columns) if c.kind in ("wrap", "center_wrap")]
    heights = row_heights([widths[i] for i in wrapped], [data[i] for i in wrapped])
    cut = book.result.cutoff
    cut_col = n_fixed + cut.month - 1 if cut.year == year else None
    last_row = first + max(n, 1) - 1
    _header_cells(book, ws, columns, cut_col)
    in_order = _in_order(states) if n else True
    grid = _grid_columns(book, states, n_fixed, year, bars=not in_order) if n else None

    def extra(i: int) -> ExtraCells:
        return repeated.get(i, ())

    # Every line shows (the heights): a long activity is never clipped.
    write_rows(
        ws, f, columns, data, first=first, on_cut=on_cut, heights=heights, extra=extra, made=grid
    )
    if cut_col is not None:  # first: over a bar, the cut's rule still shows
        ws.conditional_format(
            first, cut_col, last_row, cut_col,
            {"type": "formula", "criteria": "=TRUE", "format": f.cut_month},
        )  # fmt: skip
    if n and in_order:
        _bar_rules(book, ws, states, first, headers, year)
    ws.autofilter(HEADER_ROW, 0, last_row, last_col)
    state_col = headers.index(STATE_HEADER)
    ws.conditional_format(
        first, state_col, last_row, state_col,
        {"type": "cell", "criteria": "==", "value": f'"{DELIVERY_OVERDUE}"',
         "format": f.alarm},
    )  # fmt: skip
    ws.freeze_panes(first, 2 if book.several_entities else 1)
    print_setup(
        ws,
        book.page_header,
        book.page_footer,
        repeat=(0, HEADER_ROW),
        area=(0, 0, last_row, last_col),
        smallest_font=9.0,  # the month marks of the grid
    )


def _delivery_cells(book: Book, acts: pd.DataFrame, states: pd.DataFrame) -> list[list[Any]]:
    """The fixed columns' values, column-wise, one entry per delivery."""
    ids = states["activity_id"]
    na = ids.map(acts["not_applicable"]).astype("boolean").fillna(False).astype(bool)
    progress = pd.Series(values(ids.map(acts["progress"])), dtype=object)
    reported = progress.where(~na.to_numpy(), "N/A")
    reported = reported.where(reported.notna() | na.to_numpy(), "Sin dato")
    entrega = states["sequence"].astype("string") + " de " + states["n"].astype("string")
    return [
        *([values(ids.map(acts["entity"]))] if book.several_entities else []),
        values(ids.map(acts["component_label"])),
        values(ids.map(acts["activity"])),
        values(ids.map(acts["owner"])),
        values(entrega),
        states["date"].array.to_pydatetime().tolist(),  # every delivery has a date
        values(states["state"]),
        reported.tolist(),
    ]


def _header_cells(book: Book, ws: Any, columns: tuple[Column, ...], cut_col: int | None) -> None:
    """The header row, the cut's month in red; filtered, not an Excel table: a table
    registers every one of its cells, and this sheet has the most cells of the workbook."""
    f = book.formats
    n_fixed = len(columns)
    for col, spec in enumerate(columns):
        ws.write_string(HEADER_ROW, col, spec.header, f.grid_header)
    for i, month in enumerate(MONTHS):
        col = n_fixed + i
        ws.write_string(HEADER_ROW, col, month, f.cut_header if col == cut_col else f.month_header)
    ws.set_row(HEADER_ROW, 30)


def _legend(states: pd.DataFrame, permanent: int) -> str:
    """The marks' meanings; "Sin dato" and the permanent activities only when there are some."""
    legend = (
        f"{DELIVERY_MARKS[DELIVERY_DONE]} {DELIVERY_DONE} · "
        f"{DELIVERY_MARKS[DELIVERY_OVERDUE]} {DELIVERY_OVERDUE} · "
        f"{DELIVERY_MARKS[DELIVERY_PENDING]} {DELIVERY_PENDING} · "
        f"{DELIVERY_MARKS[DELIVERY_NA]} {DELIVERY_NA} (actividad N/A). La barra clara va desde "
        "la entrega anterior. La entrega k de n se da por cumplida cuando el avance reportado "
        "llega a k/n (con un punto de tolerancia). Cada actividad va completa, con su avance "
        "reportado, en la fila de su primera entrega; las filas de sus entregas siguientes, "
        "justo debajo, la repiten en gris en una sola línea, para filtrar."
    )
    if (states["state"] == DELIVERY_NO_DATA).any():
        legend += (
            f" {DELIVERY_MARKS[DELIVERY_NO_DATA]} {DELIVERY_NO_DATA}: el avance no se pudo leer."
        )
    if permanent == 1:
        legend += " La actividad permanente no tiene entregas con fecha: véala en Actividades."
    elif permanent:
        legend += (
            f" Las {permanent} actividades permanentes no tienen entregas con fecha: véalas en "
            "Actividades."
        )
    return legend


def _grid_columns(
    book: Book, states: pd.DataFrame, n_fixed: int, year: int, bars: bool
) -> Callable[[int, int], list[BlockColumn]]:
    """The month grid as twelve columns for ``write_rows(made=…)``, of deliveries ``first`` to
    ``last`` (built a block at a time, so no list of every row is kept): a mark on each
    delivery's month and, with ``bars``, the bar as formatted blank cells (deliveries not in
    activity order, see ``_bar_rules``); None where a month has neither."""
    f = book.formats
    dates = states["date"]
    in_year = (dates.dt.year == year).to_numpy()
    month = np.where(in_year, dates.dt.month.to_numpy(), 0).astype(int)
    states_list = states["state"].tolist()
    previous = np.zeros(len(states), dtype=int)
    if bars:
        before = states.groupby("activity_id")["date"].shift(1)
        previous = np.where(
            (before.dt.year == year).fillna(False).to_numpy(),
            before.dt.month.fillna(0).to_numpy(),
            0,
        ).astype(int)
    marks = [DELIVERY_MARKS[state] for state in states_list]
    mark_formats = [f.gantt_mark[state] for state in states_list]
    bar_formats = [f.gantt_bar[state] for state in states_list]
    months = month.tolist()
    starts = previous.tolist() if bars else months  # no bars: nothing lies before a month

    def columns(first: int, last: int) -> list[BlockColumn]:
        rows = list(
            zip(
                marks[first:last],
                mark_formats[first:last],
                bar_formats[first:last],
                months[first:last],
                starts[first:last],
                strict=True,
            )
        )
        grid: list[BlockColumn] = []
        for m in range(1, len(MONTHS) + 1):
            values = [
                mark if at == m else BLANK if start < m < at else None
                for mark, _, _, at, start in rows
            ]
            formats = [
                fm if at == m else fb if start < m < at else None for _, fm, fb, at, start in rows
            ]
            grid.append((n_fixed + m - 1, values, formats))
        return grid

    return columns


def _bar_rules(
    book: Book, ws: Any, states: pd.DataFrame, first: int, headers: list[str], year: int
) -> None:
    """The bars as conditional formats, one per state over the whole grid.

    A bar is the months after the previous delivery of the same activity (in the same year)
    and before this one. The rows of an activity's deliveries are consecutive and in order
    (normalize numbers them so; ``_in_order`` checks), so each state's bars are one formula
    that reads the row's date, Entrega ("k de n") and state, and the date of the row above:
    no cell for a bar (a fifth of this sheet's cells).
    """
    f = book.formats
    n_fixed = len(headers)
    state_list = states["state"].tolist()
    date, entrega, status = (
        _letter(headers.index(h)) for h in ("Fecha programada", "Entrega", STATE_HEADER)
    )
    row, above = first + 1, first  # 1-based, as formulas read them
    here = f"(COLUMN()-{n_fixed})"  # the cell's month, 1-12
    previous = (
        f'IF(VALUE(LEFT(${entrega}{row},FIND(" ",${entrega}{row})-1))>1,'
        f"IF(YEAR(${date}{above})={year},MONTH(${date}{above}),0),0)"
    )
    last_row = first + len(states) - 1
    for state in dict.fromkeys(state_list):
        rule = (
            f'=AND(${status}{row}="{state}",YEAR(${date}{row})={year},'
            f"{here}<MONTH(${date}{row}),{here}>{previous})"
        )
        ws.conditional_format(
            first, n_fixed, last_row, n_fixed + len(MONTHS) - 1,
            {"type": "formula", "criteria": rule, "format": f.gantt_bar[state]},
        )  # fmt: skip


def _repeated(
    book: Book, data: list[list[Any]], headers: list[str], continued: np.ndarray
) -> dict[int, ExtraCells]:
    """Take the activity's cells out of the rows of its later deliveries (``continued``), in
    place: its progress goes on its first delivery's row only; its entity, component, text and
    owner stay, in grey on one line (``repeat``), so a filter or a text search still finds
    every delivery, and the row is one line high instead of as tall as the activity's text
    (which its first row, just above, shows whole). Returns those cells by data index."""
    plain, quoted = book.formats.cells["repeat"]
    rows = np.flatnonzero(continued).tolist()
    for header in ONCE:
        column = data[headers.index(header)]
        for i in rows:
            column[i] = None
    repeated: dict[int, list[tuple[int, str | None, Any]]] = {i: [] for i in rows}
    for header in INPUT_TEXTS:
        if header not in headers:
            continue
        col = headers.index(header)
        column = data[col]
        for i in rows:
            value, column[i] = column[i], None
            if value:
                repeated[i].append(text_cell(col, str(value), plain, quoted)[0])
    return dict(repeated)


def _continued(states: pd.DataFrame) -> np.ndarray:
    """Whether each delivery sits right under the previous delivery of its activity."""
    ids, sequence = states["activity_id"], states["sequence"]
    follows = (ids == ids.shift(1)) & (sequence == sequence.shift(1) + 1)
    return follows.fillna(False).to_numpy(dtype=bool)


def _in_order(states: pd.DataFrame) -> bool:
    """Whether every delivery k > 1 sits right under delivery k - 1 of the same activity."""
    return bool((_continued(states) | (states["sequence"] == 1).to_numpy(dtype=bool)).all())


def _letter(col: int) -> str:
    """A 0-based column index as Excel's letters (the fixed columns are fewer than 26)."""
    return chr(ord("A") + col)
