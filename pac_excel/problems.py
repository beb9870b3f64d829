"""problems: the one record of everything wrong with the input, shown on the terminal and in the workbook."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd


class Severity(enum.Enum):
    """How bad a problem is; the value is what a user reads."""

    ERROR = "Error"  # a file, sheet or value could not be used
    WARNING = "Advertencia"  # used, but a person should look at it
    INFO = "Información"  # something was skipped or fixed up on the way in


def column_letter(index: int) -> str:
    """0-based column index to Excel's letters: 0 -> A, 27 -> AB."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one place in one input file.

    ``row`` is the 1-based row as Excel numbers it and ``column`` Excel's letter, so a user
    can type ``E12`` into the Name Box and land on the cell.
    """

    file: str
    sheet: str | None
    row: int | None
    column: str | None
    severity: Severity
    code: str  # stable kebab-case slug: tests and users filter on it
    message: str  # Spanish, says what was found and what to do

    @property
    def where(self) -> str:
        """Excel's external-reference style: ``[libro.xlsx]Hoja!E12``."""
        ref = f"[{self.file}]"
        if self.sheet:
            ref += self.sheet
            if self.row is not None:
                ref += f"!{self.column}{self.row}" if self.column else f"!{self.row}:{self.row}"
        return ref

    def line(self) -> str:
        """The terminal form: ``where: severidad: mensaje [código]``."""
        return f"{self.where}: {self.severity.value}: {self.message} [{self.code}]"


def sort_key(p: Problem) -> tuple[str, str, int, int, str, str]:
    """File, sheet, reading order; file- and sheet-level problems first."""
    col = p.column or ""
    return (p.file, p.sheet or "", p.row or 0, len(col), col, p.code)


PROBLEM_COLUMNS = {
    "file": "string",
    "sheet": "string",
    "row": "Int64",
    "column": "string",
    "severity": "string",
    "code": "string",
    "message": "string",
}


def problems_frame(problems: Iterable[Problem]) -> pd.DataFrame:
    """Problems as a frame with declared dtypes, in reading order."""
    ordered = sorted(problems, key=sort_key)
    records = [
        (p.file, p.sheet, p.row, p.column, p.severity.value, p.code, p.message) for p in ordered
    ]
    return pd.DataFrame.from_records(records, columns=list(PROBLEM_COLUMNS)).astype(PROBLEM_COLUMNS)
