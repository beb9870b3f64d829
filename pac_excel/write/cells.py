"""cells: writing cells safely and sizing them, shared by every sheet writer.

Input text is always written as text, so a cell such as "=HYPERLINK(…)" or "0012" reaches the
reader as typed: ``write_string`` with a quote-prefixed
format when it starts like a formula, never ``write``; anything longer than Excel's cell limit
is cut explicitly and handed to a callback so the cut can be reported, where xlsxwriter would
cut silently.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from pac_excel.check.semaforo import FLOAT_TOLERANCE, GREEN, RED, YELLOW, Thresholds
from pac_excel.frames import plain_values
from pac_excel.problems import column_letter
from pac_excel.text import MAX_CELL_CHARS
from pac_excel.write.blocks import BLANK, BlockColumn
from pac_excel.write.styles import Formats

# Excel's own limits; xlsxwriter would otherwise truncate or drop silently.
MAX_ROWS = 1_048_576
MAX_HEADER_CHARS = 255
MAX_PAGE_BREAKS = 1_023  # xlsxwriter's (and Excel's) limit of manual breaks per sheet

# OWASP / CWE-1236: text starting with these can become live content when a user edits the cell.
RISKY_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")

# Row heights: Excel fits wrapped rows itself on opening, LibreOffice (and its PDF export) does
# not, so rows get an explicit, slightly generous estimate that reads well in both.
CHARS_PER_WIDTH = 1.28  # 10 pt Calibri per unit of column width (the width of "0" at 11 pt)
WRAP_LOSS = 3.0  # characters per line lost to word wrap
LINE_POINTS = 13.0
MAX_ROW_POINTS = 409.0  # Excel's limit
DEFAULT_ROW_POINTS = 15.0

# Every sheet prints on letter paper, landscape, with these margins (inches).
LETTER_LANDSCAPE_IN = (11.0, 8.5)
MARGINS_IN = (0.35, 0.35, 0.65, 0.6)  # left, right, top, bottom

# Called with (data index, column index, original length) for each text cut at the limit.
OnCut = Callable[[int, int, int], None]


class SheetTooLarge(Exception):
    """A sheet would pass Excel's row limit; write_workbook turns it into an OutputError."""

    def __init__(self, sheet: str, rows: int) -> None:
        super().__init__(sheet, rows)
        self.sheet = sheet
        self.rows = rows


@dataclass(frozen=True)
class Column:
    """One column of a data sheet: its header, how its cells look, how wide it may grow.

    The width is fitted to the content between ``width`` (the minimum) and ``max_width``;
    numbers and short codes use ``width`` as is.
    """

    header: str
    width: float
    kind: str  # key of Formats.cells
    max_width: float | None = None


def is_risky(value: str) -> bool:
    return value.startswith(RISKY_STARTS)


def cut(value: str) -> str:
    return value if len(value) <= MAX_CELL_CHARS else value[:MAX_CELL_CHARS]


def write_text(ws: Any, row: int, col: int, value: str, plain: Any, quoted: Any) -> bool:
    """One text cell, quote-prefixed when risky; True when it had to be cut."""
    too_long = len(value) > MAX_CELL_CHARS
    value = cut(value)
    ws.write_string(row, col, value, quoted if is_risky(value) else plain)
    return too_long


# A column's cells as xlsxwriter takes them; every sheet writer imports it from here.
values = plain_values


# Extra cells of one data row beyond its columns: (column, a value as ``write_cells`` takes it,
# None for a blank, format).
ExtraCells = Sequence[tuple[int, Any, Any]]
# One row's cells for ``write_cells``: (column, str | number | datetime | date | None, format).
RowCells = list[tuple[int, Any, Any]]


def write_cells(ws: Any, row: int, cells: RowCells) -> None:
    """One row's cells at once where the sheet is streamed (``StreamedSheet.write_cells``,
    the same cells in one call), else cell by cell with the matching ``write_*``."""
    at_once = getattr(ws, "write_cells", None)
    if at_once is not None:
        at_once(row, cells)
        return
    for col, value, cell_format in cells:
        if value is None:
            ws.write_blank(row, col, None, cell_format)
        elif isinstance(value, str):
            ws.write_string(row, col, value, cell_format)
        elif isinstance(value, (dt.date, dt.datetime)):
            ws.write_datetime(row, col, value, cell_format)
        else:
            ws.write_number(row, col, value, cell_format)


def text_cell(col: int, value: str, plain: Any, quoted: Any) -> tuple[tuple[int, str, Any], bool]:
    """``write_text`` as a cell for ``write_cells``: (the cell, whether it had to be cut)."""
    too_long = len(value) > MAX_CELL_CHARS
    value = cut(value)
    return (col, value, quoted if is_risky(value) else plain), too_long


def write_rows(
    ws: Any,
    formats: Formats,
    columns: Sequence[Column],
    data: Sequence[list[Any]],
    first: int,
    on_cut: OnCut | None = None,
    heights: np.ndarray | None = None,
    extra: Callable[[int], ExtraCells] | None = None,
    made: Callable[[int, int], Sequence[BlockColumn]] | None = None,
) -> None:
    """Write column-wise data row by row, top to bottom, as a streamed sheet needs
    (write.stream): each row's cells and its ``extra(index)`` cells in one ``write_cells``,
    then its height from ``heights`` (0 = default). Formats are looked up once per column;
    the type of each value decides how it is written (text stays text, see the module
    docstring). ``made(first, last)`` gives columns past ``columns`` for data rows ``first``
    to ``last`` whose cells are already decided (a value as write.blocks takes it, ``BLANK``
    included, and a format per value: the Gantt grid), none in a column an extra cell uses."""
    specs = [(col, *formats.cells[spec.kind]) for col, spec in enumerate(columns)]
    if getattr(ws, "write_columns", None) is not None:
        _write_blocks(ws, specs, data, first, on_cut, heights, extra, made)
        return
    set_row = ws.set_row
    for index, row_values in enumerate(zip(*data, strict=True)):
        row = first + index
        cuts: list[tuple[int, int, int]] = []
        cells: RowCells = []
        append = cells.append
        for (col, plain, quoted), value in zip(specs, row_values, strict=True):
            if (cell := _any_cell(col, value, plain, quoted, index, cuts)) is not None:
                append(cell)
        if on_cut is not None:
            for cut_at in cuts:
                on_cut(*cut_at)
        if extra is not None:
            cells.extend(extra(index))
        for col, values_of, formats_of in made(index, index + 1) if made is not None else ():
            if (value := values_of[0]) is not None:
                append((col, None if value is BLANK else value, formats_of[0]))
        write_cells(ws, row, cells)
        if heights is not None and heights[index]:
            set_row(row, float(heights[index]))


# Rows a streamed sheet is given at once (write.blocks): bounds the XML held in memory.
BLOCK_ROWS = 2048
_TEXT_KINDS = frozenset({str, type(None)})
# A risky start (RISKY_STARTS) in texts joined with NUL, looked for as a NUL first.
_RISKY_AFTER_NUL = re.compile("\x00[" + re.escape("".join(RISKY_STARTS)) + "]")
_NUMBER_KINDS = frozenset({int, float, type(None)})


def _write_blocks(
    ws: Any,
    specs: Sequence[tuple[int, Any, Any]],
    data: Sequence[list[Any]],
    first: int,
    on_cut: OnCut | None,
    heights: np.ndarray | None,
    extra: Callable[[int], ExtraCells] | None,
    made: Callable[[int, int], Sequence[BlockColumn]] | None = None,
) -> None:
    """``write_rows`` for a streamed sheet: each block's cells decided a column at a time by
    the same rules (text stays text and is cut at the limit, risky text quoted, empty text
    and numbers that are not finite left out), the cuts reported in row order."""
    n = len(data[0]) if data else 0
    for start in range(0, n, BLOCK_ROWS):
        stop = min(n, start + BLOCK_ROWS)
        cuts: list[tuple[int, int, int]] = []
        block: list[BlockColumn] = [
            _block_column(col, plain, quoted, column[start:stop], start, cuts)
            for (col, plain, quoted), column in zip(specs, data, strict=True)
        ]
        if made is not None:
            block += made(start, stop)
        if on_cut is not None:
            for index, col, length in sorted(cuts):
                on_cut(index, col, length)
        rows = heights[start:stop] if heights is not None else None
        ws.write_columns(first + start, block, rows, _shifted(extra, start))


def _shifted(
    extra: Callable[[int], ExtraCells] | None, start: int
) -> Callable[[int], ExtraCells] | None:
    if extra is None:
        return None
    return lambda i: extra(start + i)


def _block_column(
    col: int,
    plain: Any,
    quoted: Any,
    column: list[Any],
    offset: int,
    cuts: list[tuple[int, int, int]],
) -> tuple[int, list[Any], Any]:
    """One column of a block: its values as written (None: no cell) and its format, one for
    the column or one per value; texts cut at Excel's limit are added to ``cuts``."""
    kinds = set(map(type, column))
    if kinds <= _TEXT_KINDS:
        values, formats = _text_column(col, plain, quoted, column, offset, cuts)
        return col, values, formats
    if kinds <= _NUMBER_KINDS:
        isfinite = math.isfinite
        return col, [v if v is None or isfinite(v) else None for v in column], plain
    values, formats = [], []
    for i, value in enumerate(column):
        cell = _any_cell(col, value, plain, quoted, offset + i, cuts)
        values.append(None if cell is None else cell[1])
        formats.append(plain if cell is None else cell[2])
    return col, values, formats


def _text_column(
    col: int,
    plain: Any,
    quoted: Any,
    column: list[Any],
    offset: int,
    cuts: list[tuple[int, int, int]],
) -> tuple[list[Any], Any]:
    """A column of texts (and None): empty ones left out, long ones cut, risky ones quoted,
    each looked at one by one only when the column has one (a search of the whole column)."""
    values = [v or None for v in column] if "" in column else column
    texts = [v for v in values if v is not None]
    if max(map(len, texts), default=0) > MAX_CELL_CHARS:
        values = list(values)
        for i, value in enumerate(values):
            if value is not None and len(value) > MAX_CELL_CHARS:
                cuts.append((offset + i, col, len(value)))
                values[i] = value[:MAX_CELL_CHARS]
        texts = [v for v in values if v is not None]
    if _RISKY_AFTER_NUL.search("\x00" + "\x00".join(texts)) is None:
        return values, plain
    return values, [
        quoted if v is not None and v.startswith(RISKY_STARTS) else plain for v in values
    ]


def _any_cell(
    col: int, value: Any, plain: Any, quoted: Any, index: int, cuts: list[tuple[int, int, int]]
) -> tuple[int, Any, Any] | None:
    """``write_rows``'s rule for one cell of a column of mixed kinds."""
    kind = type(value)
    if kind is str:
        if not value:
            return None
        if len(value) > MAX_CELL_CHARS:
            cuts.append((index, col, len(value)))
            value = value[:MAX_CELL_CHARS]
        return (col, value, quoted if value.startswith(RISKY_STARTS) else plain)
    if value is None:
        return None
    if kind is float or kind is int:
        return (col, value, plain) if math.isfinite(value) else None
    return _value_cell(col, value, plain, quoted, index, lambda *cut: cuts.append(cut))


def _value_cell(
    col: int,
    value: Any,
    plain: Any,
    quoted: Any,
    index: int,
    on_cut: OnCut | None,
) -> tuple[int, Any, Any] | None:
    """One cell that is not a plain ``str``: numbers as numbers, dates as dates; None when
    nothing is written (an empty text, a number that is not finite)."""
    if isinstance(value, str):  # a str subclass
        if not value:
            return None
        if len(value) > MAX_CELL_CHARS and on_cut is not None:
            on_cut(index, col, len(value))
        return text_cell(col, str(value), plain, quoted)[0]
    if isinstance(value, bool):
        return (col, "Sí" if value else "No", plain)
    if isinstance(value, (int, float)):
        return (col, value, plain) if math.isfinite(value) else None
    if isinstance(value, pd.Timestamp):
        return (col, value.to_pydatetime(), plain)
    if isinstance(value, (dt.date, dt.datetime)):
        return (col, value, plain)
    return (col, cut(str(value)), plain)


def fitted_widths(columns: Sequence[Column], data: Sequence[list[Any]]) -> list[float]:
    """Each column's width from its content: the 95th percentile length, within its limits.

    A percentile, not the maximum, so one essay-long observation does not widen the column
    for everyone; long texts wrap instead.
    """
    widths = []
    for spec, column in zip(columns, data, strict=True):
        if spec.max_width is None or not column:
            widths.append(spec.width)
            continue
        if set(map(type, column)) <= _TEXT_KINDS:  # _longest_line inlined: most columns
            known = [
                len(v) if "\n" not in v else max(map(len, v.split("\n")))
                for v in column
                if v is not None
            ]
        else:
            known = [n for n in map(_longest_line, column) if n is not None]
        measure = float(np.percentile(known, 95)) if known else 0.0
        widths.append(min(spec.max_width, max(spec.width, measure * 1.05 + 2)))
    return widths


def _longest_line(value: Any) -> int | None:
    """Characters of a cell's longest line as text (None for an empty cell): the longest
    line, not the whole text, sets a column's width. Plain Python: the pandas string calls it
    replaces cost more than the work on a one-office run's short columns."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    text = value if isinstance(value, str) else str(value)
    return max(map(len, text.split("\n"))) if "\n" in text else len(text)


def _wrapped_lines(value: Any, per_line: float) -> int:
    """Lines a cell wraps to: each of its own lines wraps on its own."""
    if value is None:
        return 1
    text = value if isinstance(value, str) else str(value)
    if "\n" not in text:
        return max(1, math.ceil(len(text) / per_line))
    return sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))


def _column_lines(column: Sequence[Any], per_line: float) -> np.ndarray:
    """``_wrapped_lines`` of every cell, single-line texts by array arithmetic (most cells)."""
    texts = [v if isinstance(v, str) else "" if v is None else str(v) for v in column]
    lengths = np.fromiter(map(len, texts), "float64", len(texts))
    lines = np.maximum(1.0, np.ceil(lengths / per_line))
    for i in [i for i, text in enumerate(texts) if "\n" in text]:
        lines[i] = _wrapped_lines(texts[i], per_line)
    return lines


def row_heights(widths: Sequence[float], data: Sequence[list[Any]]) -> np.ndarray:
    """Estimated points per row for wrapped text of the given column widths; 0 = default.

    Plain Python on purpose: the form and owner sheets call this for hundreds of small
    blocks, where building pandas Series measured as half the writer's time.
    """
    n = len(data[0]) if data else 0
    lines = np.ones(n)
    for width, column in zip(widths, data, strict=True):
        # Word wrap leaves part of each line empty: about half a long word.
        per_line = max(4.0, width * CHARS_PER_WIDTH - WRAP_LOSS)
        lines = np.maximum(lines, _column_lines(column, per_line))
    heights = np.minimum(lines * LINE_POINTS + 2.0, MAX_ROW_POINTS)
    return np.where(lines > 1, heights, 0.0)


def text_height(text: str, width: float, minimum: float = 15.0) -> float:
    """Points for one wrapped text in a cell (or merged range) ``width`` units wide."""
    heights = row_heights([width], [[text]])
    return max(minimum, float(heights[0]) if len(heights) else minimum)


# Paper the sheets may print on, landscape (inches), in the order tried.
PAPERS: tuple[tuple[int, float], ...] = ((1, 11.0), (5, 14.0))  # letter, legal
MIN_PRINT_POINTS = 8.0  # nothing printed smaller: the floor for legible paper
DEFAULT_COLUMN_PX = 64  # Excel's width of a column never sized


def print_scale(widths_px: Sequence[int], paper_inches: float) -> float:
    """The scale fit-to-width prints at: printable width over the columns' width (≤ 1)."""
    left, right, _, _ = MARGINS_IN
    sheet_points = max(sum(widths_px), 1) * 0.75
    return min(1.0, (paper_inches - left - right) * 72 / sheet_points)


def _column_px(ws: Any, col: int) -> int:
    """A column's width in pixels as the sheet's writer set it (xlsxwriter keeps it in
    ``col_info``: pixels since 3.3, a character width before)."""
    info = ws.col_info.get(col)
    if info is None:
        return DEFAULT_COLUMN_PX
    width = getattr(info, "width", None)
    if width is None:  # xlsxwriter 3.2: [width in characters, format, hidden, …]
        return int(float(info[0]) * 7 + 5)
    return int(width)


def print_setup(
    ws: Any,
    header: str,
    footer: str,
    repeat: tuple[int, int] | None = (0, 0),
    area: tuple[int, int, int, int] | None = None,
    smallest_font: float = 10.0,
) -> None:
    """Landscape, entity and cut-off on every page, rows repeated, never under 8 pt.

    Fit to one page wide on letter when the scale that takes keeps ``smallest_font`` (the
    smallest font in the print area) at 8 pt or more; else on legal; else legal at the smallest
    legible scale, the columns continuing on the next page across (only screen sheets are that
    wide). The widths are the ones the sheet's writer already set.
    """
    ws.set_landscape()
    paper, scale, fit = _paper(ws, area, smallest_font)
    ws.set_paper(paper)
    if fit:
        ws.fit_to_pages(1, 0)
    else:
        ws.set_print_scale(round(scale * 100))
    if repeat is not None:
        ws.repeat_rows(*repeat)
    if area is not None:
        ws.print_area(*area)
    left, right, top, bottom = MARGINS_IN
    ws.set_margins(left=left, right=right, top=top, bottom=bottom)
    ws.set_header(header, {"margin": 0.25})
    ws.set_footer(footer, {"margin": 0.25})


def _paper(
    ws: Any, area: tuple[int, int, int, int] | None, smallest_font: float
) -> tuple[int, float, bool]:
    """The paper, the scale and whether it is fit-to-width: print_setup's one decision."""
    first, last = (area[1], area[3]) if area is not None else (0, max(ws.col_info, default=0))
    widths = [_column_px(ws, c) for c in range(first, last + 1)]
    for paper, inches in PAPERS:
        scale = print_scale(widths, inches)
        if scale * smallest_font >= MIN_PRINT_POINTS:
            return paper, scale, True
    return PAPERS[-1][0], math.ceil(100 * MIN_PRINT_POINTS / smallest_font) / 100, False


def page_points(
    ws: Any, area: tuple[int, int, int, int], smallest_font: float, repeated: float
) -> float:
    """How many points of rows one printed page of ``ws`` holds under ``repeated`` points of
    repeated rows, as print_setup will set it up (call it with the same area and font, once
    the column widths are set). A small margin keeps our breaks before the renderer's own."""
    _, scale, _ = _paper(ws, area, smallest_font)
    _, _, top, bottom = MARGINS_IN
    page_h = (LETTER_LANDSCAPE_IN[1] - top - bottom) * 72  # landscape: letter and legal alike
    return (page_h / scale - repeated) * Pages.SAFETY


def row_points(ws: Any, row: int) -> float:
    """A row's height as the sheet's writer set it (xlsxwriter's ``row_info``; ``set_rows``
    before 3.3), or the default."""
    info = getattr(ws, "row_info", None)
    if info is None:
        info = getattr(ws, "set_rows", {})
    found = info.get(row)
    if found is None:
        return DEFAULT_ROW_POINTS
    height = getattr(found, "height", None)
    if height is None:
        height = found[0]
    return float(height) if height is not None else DEFAULT_ROW_POINTS


class PageRows:
    """Rows of a long printed table: says where a row no longer fits its page, so the writer
    breaks there and writes the table's header again (Resumen's repeated rows are its title)."""

    def __init__(self, capacity: float, used: float) -> None:
        self.capacity = capacity
        self.used = used
        self.breaks: list[int] = []

    def starts_page(self, row: int, points: float, header_points: float) -> bool:
        """Account ``points`` for ``row``; True when the page breaks before it (the caller
        writes the header at ``row`` and moves the data one row down)."""
        if self.used + points <= self.capacity or self.used <= header_points:
            self.used += points
            return False
        self.breaks.append(row)
        self.used = header_points + points
        return True


def light_formats(ws: Any, formats: Formats, first: int, last: int, col: int) -> None:
    """Colour a Semáforo column by its text (Rojo / Amarillo / Verde)."""
    for name, fmt in formats.lights.items():
        ws.conditional_format(
            first,
            col,
            last,
            col,
            {"type": "cell", "criteria": "==", "value": f'"{name}"', "format": fmt},
        )


def threshold_formats(
    ws: Any, formats: Formats, thresholds: Thresholds, first: int, last: int, col: int
) -> None:
    """Colour numbers on the semáforo thresholds; blanks and notes stay white."""
    cell = f"{column_letter(col)}{first + 1}"
    red = thresholds.red_below - FLOAT_TOLERANCE
    yellow = thresholds.yellow_below - FLOAT_TOLERANCE
    rules = (
        (RED, f"AND(ISNUMBER({cell}),{cell}<{red!r})"),
        (YELLOW, f"AND(ISNUMBER({cell}),{cell}>={red!r},{cell}<{yellow!r})"),
        (GREEN, f"AND(ISNUMBER({cell}),{cell}>={yellow!r})"),
    )
    for name, formula in rules:
        ws.conditional_format(
            first,
            col,
            last,
            col,
            {"type": "formula", "criteria": f"={formula}", "format": formats.lights[name]},
        )


def alarm_format(ws: Any, formats: Formats, first: int, last: int, col: int, value: str) -> None:
    """Bold red where a cell equals ``value`` (Vencida, Error)."""
    ws.conditional_format(
        first,
        col,
        last,
        col,
        {"type": "cell", "criteria": "==", "value": f'"{value}"', "format": formats.alarm},
    )


# Printing --------------------------------------------------------------------------------


def column_pixels(widths: Sequence[float]) -> int:
    """Excel's pixel width of columns of the given character widths (default font)."""
    return sum(int(w * 7 + 5) for w in widths)


class Pages:
    """Where the printed pages of a fit-to-width sheet will break, estimated while writing.

    Used to keep a block's header with its first rows: before a block, ``fits(points)`` says
    whether it still fits on the current page; if not, the caller adds a manual break there
    and calls ``new_page``. The estimate leaves a margin so that Excel's and LibreOffice's own
    breaks (which fall a little later) do not land just before ours.
    """

    SAFETY = 0.97

    def __init__(self, widths: Sequence[float], repeated_points: float) -> None:
        page_w, page_h = LETTER_LANDSCAPE_IN
        left, right, top, bottom = MARGINS_IN
        sheet_points = column_pixels(widths) * 0.75
        scale = min(1.0, (page_w - left - right) * 72 / sheet_points)
        self.capacity = ((page_h - top - bottom) * 72 / scale - repeated_points) * self.SAFETY
        self.used = 0.0

    def add(self, points: float) -> None:
        self.used += points
        if self.used > self.capacity:  # the renderer breaks by itself here
            self.used = points

    def fits(self, points: float) -> bool:
        return self.used + points <= self.capacity

    def new_page(self) -> None:
        self.used = 0.0
