"""Rebuild samples/seguimiento_paac_gobernacion_putumayo_2020.xlsx from the seed text.

The seed is the text extracted from the Gobernación del Putumayo's published follow-up. Each
line becomes one row and each tab-separated field one cell, letterheads, blank lines,
page-break fragments and the signature block included, so the sample is the spreadsheet the
office really has. Cells get the types an office's Excel gives them: a single date is a date
cell, "33%" a number with a % format, several dates one text cell with line breaks, and the
``**bold**`` markers of the extraction become bold cells.

Run: python tests/sample_builders/make_seed_sample.py
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font

HERE = Path(__file__).resolve().parent
SEED = HERE / "seed_putumayo_2020.txt"
TARGET = HERE.parent.parent / "samples" / "seguimiento_paac_gobernacion_putumayo_2020.xlsx"

DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
DATES = re.compile(r"^\d{1,2}/\d{1,2}/\d{4}(\s+\d{1,2}/\d{1,2}/\d{4})+$")
PERCENT = re.compile(r"^(\d{1,3})%$")
WIDTHS = {"A": 28, "B": 48, "C": 36, "D": 30, "E": 14, "F": 10, "G": 60}


def typed(text: str) -> tuple[float | int | str | dt.datetime, str | None]:
    """The value an office's Excel holds for this text, and its number format."""
    if m := DATE.match(text):
        day, month, year = (int(g) for g in m.groups())
        return dt.datetime(year, month, day), "dd/mm/yyyy"
    if DATES.match(text):
        return "\n".join(text.split()), None
    if m := PERCENT.match(text):
        return int(m.group(1)) / 100, "0%"
    return text, None


def build(seed: Path = SEED, target: Path = TARGET) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Seguimiento"
    bold = False
    for row_number, line in enumerate(seed.read_text(encoding="utf-8").splitlines(), start=1):
        for col_number, field in enumerate(line.split("\t"), start=1):
            text = field
            starts, ends = text.startswith("**"), text.endswith("**")
            text = text.strip("*")
            bold = bold or starts
            if not text.strip():
                bold = bold and not ends
                continue
            value, number_format = typed(text.strip())
            cell = ws.cell(row=row_number, column=col_number, value=value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if number_format:
                cell.number_format = number_format
            if bold or line.isupper():
                cell.font = Font(bold=True)
            if ends:
                bold = False
    for letter, width in WIDTHS.items():
        ws.column_dimensions[letter].width = width
    wb.properties.creator = "Oficina de Control Interno de Gestión"
    wb.properties.title = "Seguimiento Plan Anticorrupción 2020"
    wb.properties.created = dt.datetime(2020, 5, 12)
    wb.properties.modified = dt.datetime(2020, 5, 12)
    target.parent.mkdir(parents=True, exist_ok=True)
    wb.save(target)
    return target


if __name__ == "__main__":
    print(build())
