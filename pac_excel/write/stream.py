"""stream: a worksheet written row by row to disk, so its cells never pile up in memory.

xlsxwriter keeps every cell of a sheet until ``Workbook.close``; at 1,000 files that is most
of the run's memory. Its ``constant_memory`` mode writes each row out as soon as the next one
starts, but it is workbook-wide and Resumen must stay in memory (its charts read their cached
data from its cells). ``StreamedSheet`` turns it on for one sheet:
``workbook.add_worksheet(name, worksheet_class=StreamedSheet)``.

Two things constant_memory does silently are made loud or safe here:

- a cell, row height or merge on a row above the one being written is dropped without a word:
  here it raises ``StreamOrderError`` (a programming error: the writers write top to bottom);
- the lower rows of a vertical merge, and heights set on rows ahead that get no cell, were
  lost as well: they are kept aside and written when the writer reaches them.

What xlsxwriter still keeps per row (heights, merged cells) is dropped once the row is
written. Images and charts are placed by the heights of the rows above and under them, at
close: a chart may be inserted only before any row is written, and the heights it needs are
then kept (``insert_chart``); its cached values come with its series (``values_data``), as a
streamed sheet's cells are gone by then. Images and text boxes are refused.

This relies on xlsxwriter's private row machinery (``_initialize`` opening the row file when
``init_data["constant_memory"]``, ``previous_row``, ``_write_single_row``, ``table``,
``row_info``, ``merged_cells``, the packager writing a sheet whose own ``constant_memory`` is
set, ``row_data_fh``) as xlsxwriter 3.3 has it (3.2 named ``row_info`` differently);
pyproject pins 3.3. tests/test_streaming.py compares a streamed book with an in-memory one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import os
import re
from collections.abc import Sequence
from concurrent.futures import Future
from typing import Any

from xlsxwriter import Workbook
from xlsxwriter.utility import _preserve_whitespace, xl_col_to_name
from xlsxwriter.worksheet import (
    CellBlankTuple,
    CellDatetimeTuple,
    CellNumberTuple,
    CellStringTuple,
    Worksheet,
)

from pac_excel.write import blocks

__all__ = ["StreamOrderError", "StreamedSheet", "release_streams"]

# What xlsxwriter's _escape_control_characters rewrites in an inline string: a literal
# "_xHHHH_", a control character, U+FFFE or U+FFFF. Most texts have none.
_NEEDS_ESCAPE = re.compile("_x[0-9a-fA-F]{4}_|[\x00-\x08\x0b-\x1f\ufffe\uffff]")
# Its characters alone. A row's texts are searched only when not all printable (every one of
# these is not), which is a fifth of the cost of the search.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\ufffe\uffff]")


# The cell kinds ``StreamedSheet._cells_xml`` writes itself; formulas, booleans, errors and
# rich strings go through xlsxwriter's own ``_write_cell``.
_FAST_KINDS = (CellStringTuple, CellNumberTuple, CellDatetimeTuple, CellBlankTuple)


class StreamOrderError(AssertionError):
    """A streamed sheet was written above its current row: the cell would have been lost."""


class StreamedSheet(Worksheet):  # type: ignore[misc]  # xlsxwriter ships no type hints
    """A worksheet in xlsxwriter's constant_memory mode, whatever the workbook's mode."""

    previous_row: int  # xlsxwriter's: the row being written

    def __init__(self) -> None:
        super().__init__()
        # Row -> blank formatted cells (lower rows of a vertical merge) not yet reached; a
        # row set ahead with only a height is here with an empty list.
        self._ahead: dict[int, list[tuple[int, Any]]] = {}
        self._merging = False
        self._merged_cols: dict[int, list[int]] = {}  # row -> its merged columns
        # Set by ``finish``: the rows are complete (write.deflate deflates them meanwhile).
        self.finished = False
        self.deflated: Future[Any] | None = None  # write.deflate's work on the rows file
        self.rows_at: int | None = None  # where the rows go in the sheet's XML, when left out
        # (column, format) -> the column's letters and the format's ' s="…"' (_cells_xml).
        self._heads: dict[tuple[int, Any], tuple[str, str]] = {}
        # Each chart's [row, pixels of its height not yet under a written row] (insert_chart).
        self.placed: list[list[int]] = []

    def _initialize(self, init_data: dict[str, Any]) -> None:
        super()._initialize({**init_data, "constant_memory": True})

    # Out-of-order writes raise ----------------------------------------------------------

    def _check_dimensions(
        self, row: int, col: int, ignore_row: bool = False, ignore_col: bool = False
    ) -> int:
        # xlsxwriter returns -2 here and the caller drops the cell; every cell, set_row and
        # merge passes through this check without the ignore flags.
        if not ignore_row and not ignore_col and (self.finished or 0 <= row < self.previous_row):
            where = "the sheet was finished" if self.finished else f"row {self.previous_row + 1}"
            raise StreamOrderError(f"{self.name}: row {row + 1} written after {where}")
        result: int = super()._check_dimensions(row, col, ignore_row, ignore_col)
        return result

    # What constant_memory would lose is kept aside ----------------------------------------

    def merge_range(self, *args: Any, **kwargs: Any) -> int:
        self._merging = True
        try:
            result: int = super().merge_range(*args, **kwargs)
        finally:
            self._merging = False
        if result == 0:
            first_row, first_col, last_row, last_col = self.merge[-1]
            for row in range(first_row, last_row + 1):
                self._merged_cols.setdefault(row, []).extend(range(first_col, last_col + 1))
        return result

    def _write_blank(self, row: int, col: int, blank: Any, cell_format: Any = None) -> int:
        if self._merging and cell_format is not None and row > self.previous_row:
            if self._check_dimensions(row, col):
                return -1
            self._ahead.setdefault(row, []).append((col, cell_format))
            return 0
        result: int = super()._write_blank(row, col, blank, cell_format)
        return result

    def set_row_pixels(self, row: int, *args: Any, **kwargs: Any) -> int:
        result: int = super().set_row_pixels(row, *args, **kwargs)
        if result == 0 and row > self.previous_row:
            self._ahead.setdefault(row, [])
        return result

    def _write_single_row(self, current_row_num: int = 0) -> None:
        """Write the current row, then every row kept aside before ``current_row_num``.

        xlsxwriter calls it with the row being started, and with 0 once, at close, to write
        the last row: then everything still aside is written (already done when the sheet
        was finished early, ``finish``).
        """
        if self.finished:
            return
        final = current_row_num <= self.previous_row
        # Rows aside are always below the current one: a row is taken out when reached.
        for row in sorted(r for r in self._ahead if final or r < current_row_num):
            self._flush(row)
            self._fill(row)
        self._flush(current_row_num)
        if not final and current_row_num in self._ahead:
            self._fill(current_row_num)

    def _flush(self, next_row: int) -> None:
        """Write the current row out and forget what xlsxwriter keeps of it per row (its
        height, twice, and its merged cells, there to catch overlaps): a third of the
        streamed sheets' memory otherwise, and of no use once the row is written."""
        done = self.previous_row
        self._emit_row(next_row)
        self.row_info.pop(done, None)
        if not self.placed or not self.size_kept(done, self._size_row(done)):
            self.row_sizes.pop(done, None)
        for col in self._merged_cols.pop(done, ()):
            self.merged_cells.pop((done, col), None)

    def write_cells(self, row: int, cells: Sequence[tuple[int, Any, Any]]) -> None:
        """The cells of one row at once, ``(column, value, format)``, each stored as its
        ``write_*`` stores it, with one order and dimension check for the row instead of two
        per cell: a ``str`` as ``write_string``, an ``int`` or ``float`` as ``write_number``,
        a ``datetime`` or ``date`` as ``write_datetime``, ``None`` as ``write_blank`` (no
        cell without a format). Later cells of a column win, as later writes do.

        What the shortcut does not cover goes through xlsxwriter's own method: a text that
        may pass Excel's 32,767 UTF-16 units (cut as it always was), a number that is not
        finite, any other kind of value.
        """
        if not cells:
            return
        columns = [col for col, _, _ in cells]
        if self._check_dimensions(row, min(columns)) or self._check_dimensions(row, max(columns)):
            for col, value, cell_format in cells:  # outside the sheet: xlsxwriter's refusal
                self.write(row, col, value, cell_format)
            return
        if row > self.previous_row:
            self._write_single_row(row)
        slot = self.table[row]
        half = self.xls_strmax // 2
        new = tuple.__new__  # the cell tuples' own __new__ without its Python frame
        for col, value, cell_format in cells:
            kind = type(value)
            if kind is str:
                if len(value) > half:
                    self.write_string(row, col, value, cell_format)
                else:
                    slot[col] = new(CellStringTuple, (value, cell_format))
            elif value is None:
                if cell_format is not None:
                    slot[col] = CellBlankTuple(cell_format)
            elif (kind is float or kind is int) and math.isfinite(value):
                slot[col] = new(CellNumberTuple, (value, cell_format))
            elif kind is dt.datetime or kind is dt.date:
                number = self._convert_date_time(value)
                slot[col] = CellDatetimeTuple(number, cell_format or self.default_date_format)
            elif kind is float or kind is int:
                self.write_number(row, col, value, cell_format)
            else:
                self.write(row, col, value, cell_format)

    def write_columns(
        self,
        first: int,
        columns: Sequence[blocks.BlockColumn],
        heights: Sequence[float] | None = None,
        extra: blocks.BlockExtra | None = None,
    ) -> None:
        """Rows ``first`` onwards from column-wise values, written at once (write.blocks): the
        same sheet as ``write_cells`` for each row, then ``set_row`` for its height."""
        blocks.write_block(self, first, columns, heights, extra)

    def _emit_row(self, current_row_num: int) -> None:
        """xlsxwriter's ``_write_single_row`` with the cells written by ``_cells_xml``.

        Same logic and order: the row element, its cells by column, the end tag; a row with
        only attributes is an empty element. Measured as most of a streamed sheet's time in
        xlsxwriter's per-cell path (attribute lists, three escapes and two whitespace searches
        per cell); tests/test_streaming.py compares the sheet XML byte for byte with it.
        """
        row_num = self.previous_row
        self.previous_row = current_row_num
        cells = self.table[row_num]
        if row_num in self.row_info or row_num in self.comments or cells:
            if cells:
                self._write_row(row_num, None, self.row_info.get(row_num))
                self._cells_xml(row_num, cells)
                self._xml_end_tag("row")
            else:
                self._write_empty_row(row_num, None, self.row_info[row_num])
        self.table.clear()

    def _cells_xml(self, row: int, cells: dict[int, Any]) -> None:
        """One row's cells as xlsxwriter's ``_write_cell`` writes them in constant_memory:
        inline strings, numbers and blanks here; any other kind through ``_write_cell``.

        Per row, not per cell: the row's number as text, and one look at all its texts
        together for anything to escape (most rows have nothing); each column's letters and
        each format's ``s`` attribute are kept from the first time (``_head``: a format's
        index never changes once given).
        """
        parts: list[str] = []
        append = parts.append
        row_format = self.row_info[row].row_format if row in self.row_info else None
        number = str(row + 1)
        heads = self._heads
        texts = [cell.string for cell in cells.values() if type(cell) is CellStringTuple]
        # A space ends no "_xHHHH_" and is printable: nothing is found across two texts.
        joined = " ".join(texts)
        control = "_x" in joined or (
            not joined.isprintable() and _CONTROL.search(joined) is not None
        )
        markup = "&" in joined or "<" in joined or ">" in joined
        for col in sorted(cells):
            cell = cells[col]
            kind = type(cell)
            if kind not in _FAST_KINDS:
                self.fh.write("".join(parts))
                parts.clear()
                self._write_cell(row, col, cell)
                continue
            key = (col, cell.format or row_format)
            head = heads.get(key)
            if head is None:
                head = heads[key] = self._head(*key)
            letter, attr = head
            if kind is CellStringTuple:
                text = cell.string
                if control or markup:  # the escapes cannot add or remove a space at an edge
                    text = self._escaped(text, control)
                # xlsxwriter's _preserve_whitespace (^\s or \s$) without its two searches.
                edge = text[:1].isspace() or text[-1:].isspace()
                space = ' xml:space="preserve"' if edge else ""
                append(
                    f'<c r="{letter}{number}"{attr} t="inlineStr"><is><t{space}>{text}</t></is></c>'
                )
            elif kind is CellBlankTuple:
                append(f'<c r="{letter}{number}"{attr}/>')
            else:  # Number, Datetime
                append(f'<c r="{letter}{number}"{attr}><v>{cell.number:.16G}</v></c>')
        self.fh.write("".join(parts))

    def _head(self, col: int, cell_format: Any) -> tuple[str, str]:
        """A column's letters and the ``s`` attribute of a cell of it with ``cell_format`` (the
        cell's or its row's; else the column's, as xlsxwriter falls back): kept by
        ``_cells_xml`` from the first such cell, when xlsxwriter would first ask the format
        for its index (so the indices come out in the same order)."""
        if cell_format is None and col in self.col_info:
            cell_format = self.col_info[col].column_format
        attr = f' s="{cell_format._get_xf_index()}"' if cell_format else ""
        return xl_col_to_name(col), attr

    def set_column_pixels(self, *args: Any, **kwargs: Any) -> int:
        self._heads.clear()  # a column's format may change what its cells fall back to
        result: int = super().set_column_pixels(*args, **kwargs)
        return result

    def _escaped(self, text: str, control: bool) -> str:
        """An inline string escaped as xlsxwriter escapes it: its control characters (when
        the row has some), then its markup."""
        if control:
            text = self._escape_control_characters(text)
        if "&" in text or "<" in text or ">" in text:
            text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return text

    def _objects_unsupported(self, *args: Any, **kwargs: Any) -> int:
        """Images and text boxes are placed by row heights, forgotten once written."""
        raise StreamOrderError(f"{self.name}: a streamed sheet holds no images or text boxes")

    insert_image = insert_textbox = _objects_unsupported

    def insert_chart(self, row: int, col: int, chart: Any, options: Any = None) -> int:
        """xlsxwriter's, before any row is written: the heights of the rows above the chart
        and of those under it are kept until close, which places it by them. Its series must
        bring their own cached values (``values_data``, ``categories_data``, ``name_data``):
        xlsxwriter reads them from the cells of a sheet in memory only."""
        if self.finished or self.previous_row > 0:
            raise StreamOrderError(f"{self.name}: a chart is inserted before any row is written")
        result: int = super().insert_chart(row, col, chart, options)
        if result == 0:
            scale = (options or {}).get("y_scale", 1) if chart.y_scale == 1 else chart.y_scale
            offset = chart.y_offset or (options or {}).get("y_offset", 0)
            self.placed.append([row, int(0.5 + chart.height * scale) + offset])
        return result

    def keep_size(self, row: int, pixels: int) -> None:
        """A row ``write.blocks`` wrote itself, ``pixels`` high (0: the default): its height
        kept, as ``set_row`` would have kept it, when a chart needs it (``size_kept``)."""
        if self.size_kept(row, pixels or self.default_row_height) and pixels:
            self.row_sizes[row] = [pixels, False]

    def size_kept(self, row: int, pixels: int) -> bool:
        """Whether a chart needs the height of ``row``, just written with ``pixels`` (rows
        come in order): every row above it, and those under it until its height is covered."""
        kept = False
        for placed in self.placed:
            if row < placed[0]:
                kept = True
            elif placed[1] > 0:
                placed[1] -= pixels
                kept = True
        return kept

    def _fill(self, row: int) -> None:
        """Put the row's kept blanks in the row being written (cells written later win)."""
        for col, cell_format in self._ahead.pop(row, []):
            self.table[row].setdefault(col, CellBlankTuple(cell_format))

    # Cheaper cells -------------------------------------------------------------------------

    @staticmethod
    def _escape_control_characters(data: Any) -> Any:
        """xlsxwriter's escape, skipped when there is nothing to escape: its two substitutions
        and two replaces on every inline string measured as a tenth of the streamed write."""
        if type(data) is str and _NEEDS_ESCAPE.search(data) is None:
            return data
        return Worksheet._escape_control_characters(data)

    def _xml_rich_inline_string(self, string: str, attributes: Any = ()) -> None:
        """A text that starts with ``<r>`` and ends with ``</r>`` is text here, never markup.

        In constant_memory xlsxwriter writes such a string unescaped, as its own rich-string
        XML: an input cell reading ``<r>a & b</r>`` made the whole workbook unreadable. No
        streamed sheet writes rich strings, so every such text is escaped as any other.
        """
        self._xml_inline_string(string, _preserve_whitespace(string), list(attributes))

    # Finished early --------------------------------------------------------------------------

    def finish(self) -> None:
        """Write the last rows out and close the rows file, as ``close`` would: nothing more
        is written to the sheet's cells (``_check_dimensions`` raises), so write.deflate may
        compress the file while later sheets are written."""
        if self.finished:
            return
        self._write_single_row()
        self._opt_close()
        self.finished = True

    def _write_optimized_sheet_data(self) -> None:
        """xlsxwriter's, except that rows deflated ahead (write.deflate) are left out: only
        where they go is kept (``rows_at``, in bytes), for the zip to put them there."""
        if self.deflated is None or self.dim_rowmin is None or not hasattr(self.fh, "buffer"):
            super()._write_optimized_sheet_data()
            return
        self._xml_start_tag("sheetData")
        self.fh.flush()
        self.rows_at = self.fh.buffer.tell()
        self._xml_end_tag("sheetData")
        self._opt_close()  # the packager reopened it; ``release`` removes it

    def release(self) -> None:
        """Close and remove the row file: after close (xlsxwriter leaves an empty sheet's
        open) or when the workbook is abandoned; Windows cannot remove an open file."""
        handle = self.row_data_fh
        if handle is not None:
            with contextlib.suppress(OSError):
                handle.close()
        self.row_data_fh_closed = True
        if self.row_data_filename:
            with contextlib.suppress(OSError):
                os.unlink(self.row_data_filename)


def release_streams(workbook: Workbook) -> None:
    """Release every streamed sheet's row file (``StreamedSheet.release``)."""
    for sheet in workbook.worksheets():
        if isinstance(sheet, StreamedSheet):
            sheet.release()
