"""cells: what one row of a plan table holds, read with the table's columns.

The cheap facts every row rule looks at (its texts, dates, marks, progress, whether it has
table data at all) are read once here; the rules themselves are in rows.py.
"""

from __future__ import annotations

import numbers
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from pac_excel.normalize.catalog import Catalog
from pac_excel.normalize.header import Header, PeriodColumn, exact_field
from pac_excel.normalize.layout import content_skip_reason, is_paac_plan, paac_policy
from pac_excel.normalize.model import Cell
from pac_excel.parse.periods import norm
from pac_excel.parse.progress import column_uses_whole_numbers
from pac_excel.text import cell_text, fold, is_blank, join_text, nonblank_cells

TEXT_FIELDS = ("component", "subcomponent", "activity", "done", "goal", "owner", "followup")
DATA_TEXT = re.compile(r"^\s*[-+]?[\d.,/%\s-]*\d[\d.,/%\s-]*$")
NUMBER_LABEL = re.compile(r"^\d{1,3}(?:\.\d{1,3})*\.?$")
NOT_MARKED = frozenset({"", "-", "0", "0%", "no", "n a", "na", "no aplica", "n/a", "x0"})


@dataclass
class Binding:
    """The columns a table's rows are read with."""

    columns: dict[str, int]
    text_columns: dict[str, int]
    number_col: int | None
    plan_col: int | None  # None also when the column never names the PAAC
    policy_col: int | None


def bind_columns(header: Header, rows: Sequence[Sequence[object]], catalog: Catalog) -> Binding:
    columns = header.columns
    data = rows[header.row + 1 :]
    plan_col = columns.get("plan")
    policy_col = columns.get("policy")
    # A Plan or Política column only filters rows when it names the PAAC somewhere: a column
    # that never does says something else, and no activity is dropped for it.
    if plan_col is not None and not any(
        isinstance(v, str) and is_paac_plan(v) for v in (_at(r, plan_col) for r in data)
    ):
        plan_col = None
    if policy_col is not None and not any(
        isinstance(v, str) and paac_policy(v, catalog)[0]
        for v in (_at(r, policy_col) for r in data)
    ):
        policy_col = None
    return Binding(
        columns,
        {name: col for name, col in columns.items() if name in TEXT_FIELDS},
        columns.get("number"),
        plan_col,
        policy_col,
    )


def maybe_header(row: Sequence[object]) -> bool:
    """Cheap test before the header search inside a table: three or more short words, two of
    them column names as written ("Actividad", "Responsable"), or a risk-map / trámites label.

    A date, number or percentage written as text ("30/06/2020", "0%") means a data row.
    """
    count = named = 0
    for value in row:
        if value is None or value == "":
            continue
        if not isinstance(value, str) or len(value) > 60 or DATA_TEXT.match(value):
            return False
        count += 1
        named += exact_field(value) is not None
    return count >= 3 and (named >= 2 or content_skip_reason([row], 0) is not None)


def whole_number_columns(rows: Sequence[Sequence[object]], header: Header) -> dict[int, bool]:
    """Per progress column (one per cut block, and the area's own): does it write 33 for 33 %?"""
    columns = {header.columns[f] for f in ("progress", "area_progress") if f in header.columns}
    columns |= {b.columns["progress"] for b in header.blocks if "progress" in b.columns}
    start = header.row + 1
    return {
        col: column_uses_whole_numbers([r[col] for r in rows[start:] if col < len(r)])
        for col in columns
    }


def marked(value: object) -> bool:
    """A period cell that schedules a delivery: a mark, a target, a date; not blank, 0 or N/A."""
    if is_blank(value):
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, numbers.Real):
        return float(value) > 0
    if isinstance(value, str):
        return norm(value).strip(" .") not in NOT_MARKED
    return True


def _at(row: Sequence[object], column: int) -> object:
    return row[column] if column < len(row) else None


def is_number(value: object) -> bool:
    """An index cell: 3, 1.1, "2.3", "4."."""
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return True
    return isinstance(value, str) and bool(NUMBER_LABEL.match(value.strip()))


def cell_at(row: Sequence[object], excel_row: int, column: int | None) -> Cell | None:
    if column is None or column >= len(row) or is_blank(row[column]):
        return None
    return Cell(excel_row, column, row[column])


def repeated_texts(
    rows: Sequence[Sequence[object]], start: int, activity_col: int, title_end: int
) -> list[bool]:
    """Page letterheads: rows with no activity whose text appears more than once, and rows
    that repeat a line of the document header above the table (``rows[:title_end]``), whose
    title often sits in a merged cell over the activity column. ``rows`` as written, not
    filled from merged cells, so a repeat looks like the original.
    """
    title = {_row_key(r) for r in rows[:title_end]} - {""}
    longest = max((_letters(key) for key in title), default=-1)
    keys: list[str] = [""] * len(rows)
    above: list[bool] = [False] * len(rows)
    for i in range(start, len(rows)):
        row = rows[i]
        activity = activity_col < len(row) and not is_blank(row[activity_col])
        if activity and not _may_fold_within(row, longest):
            continue  # an activity row longer than every title line cannot repeat one
        key = _row_key(row)
        above[i] = key in title
        if not activity:
            keys[i] = key
    counts = Counter(k for k in keys if k)
    return [a or (bool(k) and counts[k] > 1) for k, a in zip(keys, above, strict=True)]


def _row_key(row: Sequence[object]) -> str:
    cells = nonblank_cells(row)
    return fold(" ".join(cell_text(v) for _, v in cells)) if cells else ""


# fold keeps only [0-9a-z%#]; an ASCII letter, digit, % or # always stays one of them, so
# their count bounds the folded key's length from below without folding (the costly part).
_ASCII_WORD = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz%#"
_NOT_ASCII_WORD = bytes(b for b in range(128) if b not in _ASCII_WORD)


def _ascii_word_chars(text: str) -> int:
    """How many characters of ``text`` are ASCII letters, digits, % or #."""
    return len(text.encode("ascii", "ignore").translate(None, _NOT_ASCII_WORD))


def _letters(key: str) -> int:
    return len(key) - key.count(" ")


def _may_fold_within(row: Sequence[object], longest: int) -> bool:
    """Whether the row's folded key could have at most ``longest`` letters (cheap, exact)."""
    total = 0
    for value in row:  # cell by cell: an activity row is over after a cell or two
        if not is_blank(value):
            total += _ascii_word_chars(cell_text(value))
            if total > longest:
                return False
    return True


@dataclass(frozen=True)
class RowCells:
    """One row read with its table's columns: what the row rules decide on."""

    number: int  # 1-based, as Excel shows it
    texts: dict[str, str]
    schedule_cells: list[Cell]
    start_cell: Cell | None
    marks: list[tuple[PeriodColumn, Cell]]
    progress_cell: Cell | None
    table_data: bool  # a goal, owner, follow-up, date, mark or progress
    plain_row: bool  # no owner and no date: a total row may be one
    line_cells: list[str]  # its non-blank texts, without an index number
    line: str

    @property
    def activity_text(self) -> str:
        return self.texts.get("activity", "")


def read_cells(row: Sequence[object], number: int, header: Header, bind: Binding) -> RowCells:
    """The row's texts (extra columns of a field joined in), dates, marks and progress."""
    columns = bind.columns
    texts = _texts(row, header, bind)
    schedule_cells = [
        cell
        for cell in (
            cell_at(row, number, columns.get("dates")),
            cell_at(row, number, columns.get("end")),
        )
        if cell is not None
    ]
    start_cell = cell_at(row, number, columns.get("start"))
    marks = [
        (period, Cell(number, period.column, row[period.column]))
        for period in header.periods
        if period.column < len(row) and marked(row[period.column])
    ]
    progress_cell = cell_at(row, number, columns.get("progress"))
    table_data = (
        any(texts.get(f) for f in ("goal", "owner", "followup", "done"))
        or bool(schedule_cells or marks)
        or start_cell is not None
        or progress_cell is not None
    )
    if table_data and texts.get("activity", "") and schedule_cells:
        line_cells: list[str] = []  # an ordinary activity row: nothing else to look at
    else:
        line_cells = _line_cells(row, bind.number_col)
    return RowCells(
        number=number,
        texts=texts,
        schedule_cells=schedule_cells,
        start_cell=start_cell,
        marks=marks,
        progress_cell=progress_cell,
        table_data=table_data,
        plain_row=not texts.get("owner") and not schedule_cells,
        line_cells=line_cells,
        line=" ".join(line_cells),
    )


def _texts(row: Sequence[object], header: Header, bind: Binding) -> dict[str, str]:
    """The text of each text field; a field's further columns are joined in."""
    texts = {
        name: cell_text(row[col]) if col < len(row) else ""
        for name, col in bind.text_columns.items()
    }
    for name, extra in header.more.items():
        for col in extra:
            if col < len(row) and not is_blank(row[col]):
                texts[name] = join_text(texts.get(name, ""), cell_text(row[col]), "\n")
    return texts


def _line_cells(row: Sequence[object], number_col: int | None) -> list[str]:
    """The row's non-blank texts, without the index number of a "No" column."""
    return [cell_text(v) for c, v in nonblank_cells(row) if not (c == number_col and is_number(v))]
