"""facts: what the pre-flight scans learn about a workbook before any parser sees it.

The scans (``ooxml_scan``, ``ods_scan``, ``biff_scan``) count what python-calamine would
build for each sheet: the grid it allocates, the cells and the characters it copies. calamine
copies a shared string into every cell that uses it and pads the grid to the farthest cell, so
a small file can ask for gigabytes and abort the whole process; these counts
let the reader refuse such a sheet or file first. The same pass notes what a user should know
(hidden rows, formulas without stored results).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pac_excel.problems import CODES

# Excel's own grid: anything past it was not written by Excel.
EXCEL_ROWS = 1_048_576
EXCEL_COLUMNS = 16_384


@dataclass(frozen=True)
class Limits:
    """How much one file may ask the parser to build. A PAAC follow-up has a few hundred rows."""

    file_bytes: int = 256 * 2**20  # on disk
    zip_members: int = 5_000
    zip_member_bytes: int = 128 * 2**20  # declared, uncompressed
    zip_total_bytes: int = 256 * 2**20
    zip_ratio: int = 200  # for members over zip_ratio_from bytes
    zip_ratio_from: int = 2**20
    xml_prolog_bytes: int = 64 * 2**10
    sheet_rows: int = 100_000
    sheet_cells: int = 2_000_000  # rows x columns of the grid the parser allocates
    file_cells: int = 4_000_000
    file_chars: int = 50_000_000  # characters the parser copies, shared strings counted per use
    merged_ranges: int = 100_000
    sheet_entries: int = 1_000  # <sheet> entries in xl/workbook.xml; real plans have a few


LIMITS = Limits()


def num(n: int) -> str:
    """12345 -> '12.345', as Colombian users write numbers."""
    return f"{n:,}".replace(",", ".")


class Refused(Exception):
    """A file or sheet that must not or cannot be read: a problem ``code`` and Spanish ``message``.

    The scans raise it before any parser runs (unsafe, too large, not a spreadsheet) and the
    reader raises it when the parser fails; ``read_file`` turns it into one Error.
    """

    def __init__(self, code: str, message: str) -> None:
        if code not in CODES:
            raise ValueError(f"unknown problem code {code!r}: add it to problems.CODES")
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class SheetFacts:
    """One sheet as the parser would see it (upper bounds where noted)."""

    rows: int = 0  # last row holding a value, 1-based (upper bound)
    columns: int = 0  # last column holding a value, 1-based (upper bound)
    cells: int = 0  # cells holding a value
    chars: int = 0  # characters of text the parser will build (upper bound)
    merged: int = 0
    # Merged ranges ((top, left), (bottom, right)), 0-based, for formats whose parser does not
    # report them (calamine gives none for .ods); empty when the parser does.
    spans: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    hidden_rows: list[int] = field(default_factory=list)  # 1-based
    # Hyperlinked cells, (row, column) 1-based -> web address (formats.xlsx_links).
    links: dict[tuple[int, int], str] = field(default_factory=dict)
    formulas: int = 0
    formulas_without_value: int = 0
    first_without_value: str | None = None  # "F12"
    exact: bool = True  # False: counts are upper bounds from the fast scan
    stopped: bool = False  # the scan stopped at a limit: counts are "at least"

    @property
    def grid(self) -> int:
        return self.rows * self.columns

    def too_large(self, limits: Limits) -> bool:
        """The sheet will be refused on its own, so its text does not count for the file."""
        return (
            self.rows > limits.sheet_rows
            or self.grid > limits.sheet_cells
            or self.merged > limits.merged_ranges
        )


@dataclass
class BookFacts:
    """What the scans found in one workbook; sheets by the name calamine will report."""

    sheets: dict[str, SheetFacts] = field(default_factory=dict)
    macros: bool = False
    external_links: list[str] = field(default_factory=list)
    recalc_on_open: bool = False  # formulas' stored results were never computed by Excel
    hidden_sheets: set[str] = field(default_factory=set)
    # sheet read -> the names of the entries that repeat it (same name or same part), skipped
    repeated_sheets: dict[str, list[str]] = field(default_factory=dict)
    controls_possible: bool = True  # False: the scans saw no control character in any text
