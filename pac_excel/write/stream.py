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
written, so a streamed sheet holds no images or charts (they are placed by row heights).

This relies on xlsxwriter's private row machinery (``_initialize`` opening the row file when
``init_data["constant_memory"]``, ``previous_row``, ``_write_single_row``, ``table``,
``row_info``, ``merged_cells``, the packager writing a sheet whose own ``constant_memory`` is
set, ``row_data_fh``) as xlsxwriter 3.3 has it (3.2 named ``row_info`` differently);
pyproject pins 3.3. tests/test_streaming.py compares a streamed book with an in-memory one.
"""

from __future__ import annotations

import contextlib
import os
import re
from typing import Any

from xlsxwriter import Workbook
from xlsxwriter.utility import _preserve_whitespace
from xlsxwriter.worksheet import CellBlankTuple, Worksheet

__all__ = ["StreamOrderError", "StreamedSheet", "release_streams"]

# What xlsxwriter's _escape_control_characters rewrites in an inline string: a literal
# "_xHHHH_", a control character, U+FFFE or U+FFFF. Most texts have none.
_NEEDS_ESCAPE = re.compile("_x[0-9a-fA-F]{4}_|[\x00-\x08\x0b-\x1f\ufffe\uffff]")


class StreamOrderError(AssertionError):
    """A streamed sheet was written above its current row: the cell would have been lost."""


class StreamedSheet(Worksheet):  # type: ignore[misc]  # xlsxwriter ships no type hints
    """A worksheet in xlsxwriter's constant_memory mode, whatever the workbook's mode."""

    def __init__(self) -> None:
        super().__init__()
        # Row -> blank formatted cells (lower rows of a vertical merge) not yet reached; a
        # row set ahead with only a height is here with an empty list.
        self._ahead: dict[int, list[tuple[int, Any]]] = {}
        self._merging = False
        self._merged_cols: dict[int, list[int]] = {}  # row -> its merged columns

    def _initialize(self, init_data: dict[str, Any]) -> None:
        super()._initialize({**init_data, "constant_memory": True})

    # Out-of-order writes raise ----------------------------------------------------------

    def _check_dimensions(
        self, row: int, col: int, ignore_row: bool = False, ignore_col: bool = False
    ) -> int:
        # xlsxwriter returns -2 here and the caller drops the cell; every cell, set_row and
        # merge passes through this check without the ignore flags.
        if not ignore_row and not ignore_col and 0 <= row < self.previous_row:
            raise StreamOrderError(
                f"{self.name}: row {row + 1} written after row {self.previous_row + 1}"
            )
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
        the last row: then everything still aside is written.
        """
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
        super()._write_single_row(next_row)
        self.row_info.pop(done, None)
        self.row_sizes.pop(done, None)
        for col in self._merged_cols.pop(done, ()):
            self.merged_cells.pop((done, col), None)

    def _objects_unsupported(self, *args: Any, **kwargs: Any) -> int:
        """Images, charts and text boxes are placed by row heights, forgotten once written."""
        raise StreamOrderError(f"{self.name}: a streamed sheet holds no images or charts")

    insert_image = insert_chart = insert_textbox = _objects_unsupported

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
