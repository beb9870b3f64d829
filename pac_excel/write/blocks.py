"""blocks: many rows of a streamed sheet written as XML at once, a column at a time.

``StreamedSheet.write_cells`` turns each cell into xlsxwriter's cell tuple and
``_cells_xml`` turns the tuple into XML: about 6 µs a cell, most of a 1,000-file run's
workbook (1.4 M cells). The big sheets (Actividades, Alertas, Cronograma) are column-wise
data, so here each column's cells become XML in one comprehension (its letters, its format's
``s`` attribute and the escaping decided once for the column), and each row is one join.

The XML is the one ``_cells_xml`` writes, byte for byte (tests/test_blocks.py): same cells,
same row elements and heights, same dimension, and formats given their index in the same
order (row by row, column by column, as xlsxwriter first asks for them). Whatever the
shortcut does not cover goes through ``write_cells`` — a row of the block (a value of another
kind, a text near Excel's limit), or the whole block (rows kept aside or merged, comments, a
sheet with no cell yet, rows past Excel's limits).
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import RowInfo


class _Blank:
    """The value of a blank cell that has a format (a Gantt bar): ``BLANK``."""

    def __repr__(self) -> str:
        return "BLANK"


BLANK = _Blank()

# One column of a block: (column, its values, one format for all or one per value). A value is a
# str, a finite int/float, a date/datetime, BLANK for a blank cell with its format, or None for
# no cell.
BlockColumn = tuple[int, Sequence[Any], Any]
# Extra cells of row ``i`` of the block: (column, value, format); later ones win, as in
# ``write_cells``.
BlockExtra = Callable[[int], Sequence[tuple[int, Any, Any]]]

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\ufffe\uffff]")
# A text with whitespace at an edge, in texts joined with NUL (which is not whitespace);
# written to start with the NUL, which the search then looks for as a plain character.
_EDGE = re.compile(r"\x00(?:(?=\s)|(?<=\s\x00))")
_TEXT = frozenset({str, type(None)})
_NUMBERS = frozenset({int, float, type(None)})
_DATES = frozenset({dt.datetime, dt.date, type(None)})


def write_block(
    sheet: Any,
    first: int,
    columns: Sequence[BlockColumn],
    heights: Sequence[float] | None = None,
    extra: BlockExtra | None = None,
) -> None:
    """Write rows ``first`` onwards, one per value of the columns (see the module docstring).

    ``heights`` are in points, 0 for the default height, as ``set_row`` takes them.
    """
    n = len(columns[0][1]) if columns else 0
    if n == 0:
        return
    if not _streamable(sheet, first, n, columns):
        _by_rows(sheet, first, n, columns, heights, extra)
        return
    if first > sheet.previous_row:
        sheet._write_single_row(first)  # the rows before it, and any kept aside
    pixels = [_pixels(h) for h in heights] if heights is not None else [0] * n
    extras = [extra(i) for i in range(n)] if extra is not None else None
    kinds = [set(map(type, vals)) for _, vals, _ in columns]
    slow = _slow_rows(sheet, columns, kinds, extras)
    _give_indices(sheet, columns, extras)
    numbers = [str(row + 1) for row in range(first, first + n)]
    fragments = [
        _column_xml(sheet, col, vals, fmt, kind, numbers)
        for (col, vals, fmt), kind in zip(columns, kinds, strict=True)
    ]
    cols: list[int] | None = [col for col, _, _ in columns]
    if cols == list(range(len(columns))):
        cols = None  # each cell's column is its place in the row (_with_extra)
    lines: list[str] = []
    opened = _RowHeads(sheet)
    # A chart on the sheet is placed by the heights of the rows it covers (StreamedSheet).
    keep = sheet.keep_size if getattr(sheet, "placed", None) else None
    used_rows: list[int] = []
    used_cols = {
        col for (col, _, _), kind in zip(columns, kinds, strict=True) if kind - {type(None)}
    }
    for i, parts in enumerate(zip(*fragments, strict=True)):
        row = first + i
        if i in slow:
            sheet.fh.write("".join(lines))
            lines.clear()
            _one_row(sheet, row, columns, i, extras, pixels[i])
            continue
        cells = "".join(parts)
        touched = bool(cells)
        if extras is not None and extras[i]:
            # write_cells widens the sheet to every cell it is given, written or not
            cells = _with_extra(sheet, numbers[i], cols, parts, extras[i], used_cols)
            touched = True
        if cells:
            lines.append(f"{opened(numbers[i], pixels[i])}{cells}</row>")
        elif pixels[i]:
            lines.append(opened(numbers[i], pixels[i], empty=True))
        if touched or pixels[i]:
            used_rows.append(row)
        if keep is not None:
            keep(row, pixels[i])
    sheet.fh.write("".join(lines))
    sheet.previous_row = first + n  # nothing written above it from now on
    _dimensions(sheet, used_rows, used_cols)


def _streamable(sheet: Any, first: int, n: int, columns: Sequence[BlockColumn]) -> bool:
    """Whether the block can skip xlsxwriter's row machinery: nothing else is pending on its
    rows, the sheet has cells already (its dimension starts there), and it fits Excel."""
    last = first + n - 1
    if sheet.finished or first < sheet.previous_row or sheet.dim_colmin is None:
        return False
    if first == sheet.previous_row and (sheet.table or first in sheet.row_info):
        return False
    if last >= sheet.xls_rowmax or max(col for col, _, _ in columns) >= sheet.xls_colmax:
        return False
    pending = [*sheet._ahead, *sheet._merged_cols, *sheet.comments, *sheet.row_info]
    return not any(first <= row <= last for row in pending)


def _by_rows(
    sheet: Any,
    first: int,
    n: int,
    columns: Sequence[BlockColumn],
    heights: Sequence[float] | None,
    extra: BlockExtra | None,
) -> None:
    """The block through ``write_cells`` and ``set_row``, row by row."""
    extras = [extra(i) for i in range(n)] if extra is not None else None
    for i in range(n):
        row = first + i
        sheet.write_cells(row, _row_cells(columns, i, extras))
        if heights is not None and heights[i]:
            sheet.set_row(row, float(heights[i]))


def _row_cells(
    columns: Sequence[BlockColumn], i: int, extras: list[Sequence[Any]] | None
) -> list[tuple[int, Any, Any]]:
    cells = [
        (col, None if vals[i] is BLANK else vals[i], fmt[i] if isinstance(fmt, list) else fmt)
        for col, vals, fmt in columns
        if vals[i] is not None
    ]
    if extras is not None:
        cells.extend(extras[i])
    return cells


def _one_row(
    sheet: Any,
    row: int,
    columns: Sequence[BlockColumn],
    i: int,
    extras: list[Sequence[Any]] | None,
    pixels: int,
) -> None:
    """A row the shortcut does not cover, through xlsxwriter's machinery, written at once."""
    sheet.previous_row = row
    sheet.write_cells(row, _row_cells(columns, i, extras))
    if pixels:
        sheet.set_row_pixels(row, pixels)
    sheet._write_single_row(row + 1)


def _pixels(points: float) -> int:
    """``set_row``'s conversion of a height in points (0: the default, no height)."""
    return int(float(points) * 4.0 / 3.0 + 0.5) if points else 0


def _slow_rows(
    sheet: Any,
    columns: Sequence[BlockColumn],
    kinds: Sequence[set[type]],
    extras: list[Sequence[Any]] | None,
) -> set[int]:
    """Rows with a value the column XML does not write: a text long enough that xlsxwriter
    may cut it, a value of another kind (or a number that is not finite), an extra cell past
    the sheet's last column."""
    half = sheet.xls_strmax // 2
    slow: set[int] = set()
    for (_, vals, _), kind in zip(columns, kinds, strict=True):
        if kind <= _TEXT:
            if max(map(len, filter(None, vals)), default=0) > half:
                slow.update(i for i, v in enumerate(vals) if v is not None and len(v) > half)
        elif kind <= _NUMBERS:  # a sum of numbers is finite unless one is not (or it is huge)
            if float in kind and not math.isfinite(sum(filter(None, vals))):
                slow.update(i for i, v in enumerate(vals) if not _plain_value(v, half))
        elif not kind <= _DATES:
            slow.update(i for i, v in enumerate(vals) if not _plain_value(v, half))
    if extras is not None:
        slow.update(_slow_extras(extras, half, sheet.xls_colmax))
    return slow


def _slow_extras(extras: list[Sequence[Any]], half: int, colmax: int) -> Iterator[int]:
    """The rows of ``_slow_rows`` for their extra cells."""
    for i, cells in enumerate(extras):
        for col, value, _ in cells:  # _plain_value inlined: a loop over every extra cell
            what = type(value)
            if what is str:
                plain = len(value) <= half
            elif what is float or what is int:
                plain = math.isfinite(value)
            else:
                plain = value is None or what is dt.datetime or what is dt.date
            if not plain or not 0 <= col < colmax:
                yield i
                break


def _plain_value(value: Any, half: int) -> bool:
    kind = type(value)
    if value is None or value is BLANK or kind is dt.datetime or kind is dt.date:
        return True
    if kind is str:
        return len(value) <= half
    return (kind is int or kind is float) and math.isfinite(value)


def _give_indices(
    sheet: Any, columns: Sequence[BlockColumn], extras: list[Sequence[Any]] | None
) -> None:
    """Ask each (column, format) of the block for its ``s`` attribute in the order
    ``_cells_xml`` would, row by row and column by column: a format's first use gives it its
    index in the workbook. A cell an extra one replaces is never written, so never used."""
    firsts: dict[tuple[int, Any], tuple[int, int]] = {}
    replaced: set[tuple[int, int]] = set()
    for i, cells in enumerate(extras or ()):
        for col, value, cell_format in reversed(cells):  # the last of a column wins
            if (value is None and cell_format is None) or (i, col) in replaced:
                continue
            replaced.add((i, col))
            key = (col, _cell_format(sheet, value, cell_format))
            first = firsts.get(key)
            if first is None or (i, col) < first:
                firsts[key] = (i, col)
    for col, vals, fmt in columns:
        formats = fmt if isinstance(fmt, list) else None
        # Once each (column, format) the column can have is given its first cell, the rest is
        # no news: a cell without a format has two (its date cells get the date format).
        kinds = {fmt} if formats is None else set(formats)
        left = len(kinds) + (None in kinds)
        for i, value in enumerate(vals):
            if value is None or (i, col) in replaced:
                continue
            key = (col, _cell_format(sheet, value, fmt if formats is None else formats[i]))
            if key not in firsts or (i, col) < firsts[key]:
                firsts[key] = (i, col)
                left -= 1
                if not left:
                    break
    heads = sheet._heads
    for key in sorted(firsts, key=firsts.__getitem__):
        if key not in heads:
            heads[key] = sheet._head(*key)


def _cell_format(sheet: Any, value: Any, cell_format: Any) -> Any:
    """The format a cell is stored with: a date without one gets the sheet's date format."""
    if cell_format is None and type(value) in (dt.datetime, dt.date):
        return sheet.default_date_format
    return cell_format


def _column_xml(
    sheet: Any, col: int, vals: Sequence[Any], fmt: Any, kinds: set[type], numbers: Sequence[str]
) -> list[str]:
    """Each value's ``<c>`` element ("" for no cell), as ``_cells_xml`` writes it: a column
    of texts, of numbers or of dates in one comprehension, any other mix cell by cell."""
    kinds = kinds - {type(None)}
    if not kinds:
        return [""] * len(vals)
    if kinds == {str}:
        return _texts_xml(sheet, col, vals, fmt, numbers)
    if isinstance(fmt, list) or not (kinds <= {int, float} or kinds <= {dt.datetime, dt.date}):
        formats = fmt if isinstance(fmt, list) else [fmt] * len(vals)
        return [
            "" if v is None else _cell_xml(sheet, col, number, v, f)
            for number, v, f in zip(numbers, vals, formats, strict=True)
        ]
    if dt.datetime in kinds or dt.date in kinds:
        fmt = _cell_format(sheet, next(v for v in vals if v is not None), fmt)
        serial = {v: sheet._convert_date_time(v) for v in set(vals) if v is not None}
        vals = [v if v is None else serial[v] for v in vals]  # a few dates, many rows
    head, attr = f'<c r="{xl_col_to_name(col)}', _attr(sheet, col, fmt)
    return [
        "" if v is None else f'{head}{number}"{attr}><v>{v:.16G}</v></c>'
        for number, v in zip(numbers, vals, strict=True)
    ]


def _attr(sheet: Any, col: int, fmt: Any) -> str:
    """A (column, format)'s ``s`` attribute; one with no index yet was only on cells that
    extra ones replace, never written."""
    head = sheet._heads.get((col, fmt))
    return "" if head is None else str(head[1])


def _texts_xml(
    sheet: Any, col: int, vals: Sequence[Any], fmt: Any, numbers: Sequence[str]
) -> list[str]:
    """A column of texts: escaped, and whitespace at an edge kept, only where it has any."""
    texts = [v for v in vals if v is not None]
    joined = " ".join(texts)  # a space is printable and ends no "_xHHHH_"
    control = "_x" in joined or (not joined.isprintable() and _CONTROL.search(joined) is not None)
    if control or "&" in joined or "<" in joined or ">" in joined:
        vals = [v if v is None else sheet._escaped(v, control) for v in vals]
    spaced = _EDGE.search("\x00" + "\x00".join(texts) + "\x00") is not None
    if isinstance(fmt, list):
        attr = {f: _attr(sheet, col, f) for f in set(fmt)}
        attrs: Sequence[str] = [attr[f] for f in fmt]
    else:
        attrs = [_attr(sheet, col, fmt)] * len(vals)
    head = f'<c r="{xl_col_to_name(col)}'
    if not spaced:
        return [
            "" if v is None else f'{head}{number}"{attr} t="inlineStr"><is><t>{v}</t></is></c>'
            for number, v, attr in zip(numbers, vals, attrs, strict=True)
        ]
    return [
        ""
        if v is None
        else f'{head}{number}"{attr} t="inlineStr"><is><t{_space(v)}>{v}</t></is></c>'
        for number, v, attr in zip(numbers, vals, attrs, strict=True)
    ]


def _space(text: str) -> str:
    """xlsxwriter's ``_preserve_whitespace``: an attribute for a text with space at an edge."""
    return ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""


def _cell_xml(sheet: Any, col: int, number: str, value: Any, cell_format: Any) -> str:
    """One cell's element, of any kind the block writes (``_cells_xml``'s three forms)."""
    kind = type(value)
    if cell_format is None and (kind is dt.datetime or kind is dt.date):
        cell_format = sheet.default_date_format  # _cell_format, inlined: a call per cell
    head = sheet._heads.get((col, cell_format))
    if head is None:  # given to every cell written (_give_indices): one an extra replaces
        return ""
    letter, attr = head
    if kind is str:
        text = value
        if not text.isprintable() or "_x" in text or "&" in text or "<" in text or ">" in text:
            control = "_x" in text or _CONTROL.search(text) is not None
            text = sheet._escaped(text, control)
        space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
        return f'<c r="{letter}{number}"{attr} t="inlineStr"><is><t{space}>{text}</t></is></c>'
    if value is None or value is BLANK:
        return f'<c r="{letter}{number}"{attr}/>'
    if kind is dt.datetime or kind is dt.date:
        value = sheet._convert_date_time(value)
    elif kind is not int and kind is not float:
        return ""  # its row goes through write_cells (_slow_rows)
    return f'<c r="{letter}{number}"{attr}><v>{value:.16G}</v></c>'


def _with_extra(
    sheet: Any,
    number: str,
    cols: Sequence[int] | None,
    parts: Sequence[str],
    extra: Sequence[tuple[int, Any, Any]],
    used_cols: set[int],
) -> str:
    """A row's cells with its extra ones: an extra cell replaces the column's (as a later write
    does), except a value-less one without a format, which ``write_cells`` skips.

    ``cols`` None: the block's columns are 0, 1, 2… (as ``write_rows`` numbers them), so a
    cell's column is its place in the row and only the cells past them need sorting.
    """
    cells = list(parts) if cols is None else []
    after = {} if cols is None else {c: part for c, part in zip(cols, parts, strict=True) if part}
    for col, value, cell_format in extra:
        used_cols.add(col)
        if value is None and cell_format is None:
            continue
        xml = _cell_xml(sheet, col, number, value, cell_format)
        if col < len(cells):
            cells[col] = xml
        else:
            after[col] = xml
    return "".join(cells) + "".join(after[col] for col in sorted(after))


class _RowHeads:
    """A row's start tag as xlsxwriter's ``_write_row`` writes it, kept per height."""

    def __init__(self, sheet: Any) -> None:
        self.sheet = sheet
        self.tails: dict[tuple[int, bool], str] = {}

    def __call__(self, number: str, pixels: int, empty: bool = False) -> str:
        tail = self.tails.get((pixels, empty))
        if tail is None:
            tail = self.tails[(pixels, empty)] = self._tail(pixels, empty)
        return f'<row r="{number}"{tail}'

    def _tail(self, pixels: int, empty: bool) -> str:
        sheet = self.sheet
        info = RowInfo(pixels, None, False, 0, False) if pixels else None
        handle, sheet.fh = sheet.fh, io.StringIO()
        try:
            sheet._write_row(0, None, info, empty_row=empty)
            written: str = sheet.fh.getvalue()
        finally:
            sheet.fh = handle
        return written[len('<row r="1"') :]


def _dimensions(sheet: Any, rows: list[int], cols: set[int]) -> None:
    """Widen the sheet's dimension as the cells' writes would have (a height's ``set_row``
    widens by its row only: the sheet has a first column already, see ``_streamable``)."""
    if not rows:
        return
    sheet.dim_rowmin = min(sheet.dim_rowmin, rows[0])
    sheet.dim_rowmax = max(sheet.dim_rowmax, rows[-1])
    if cols:
        sheet.dim_colmin = min(sheet.dim_colmin, min(cols))
        sheet.dim_colmax = max(sheet.dim_colmax, max(cols))
