"""Small follow-up workbooks built at test time, one per layout variant seen in real follow-ups.

Each fixture is written with openpyxl the way an office's spreadsheet writes it (merged
cells really merged, number formats set), read back with the real reader and normalized.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pandas as pd

from pac_excel.normalize.catalog import Catalog
from pac_excel.normalize.run import Normalized, normalize
from pac_excel.problems import Problem
from pac_excel.read.sheets import InputFile, RawSheet, read_file
from pac_excel.text import is_blank


@dataclass
class Sheet:
    """Rows as written (row 1 first), merged ranges ("A1:H1") and number formats by cell."""

    rows: Sequence[Sequence[object]]
    merges: Sequence[str] = ()
    formats: Mapping[str, str] = field(default_factory=dict)


@dataclass
class Run:
    result: Normalized
    problems: list[Problem]
    sheets: list[RawSheet]

    @property
    def acts(self) -> list[dict[str, object]]:
        return [
            {str(k): v for k, v in r.items()} for r in self.result.activities.to_dict("records")
        ]

    def codes(self, code: str) -> list[Problem]:
        return [p for p in self.problems if p.code == code]

    def reasons(self, sheet: str | None = None) -> dict[int, str]:
        rows = self.result.rows
        if sheet is not None:
            rows = rows[rows["sheet"] == sheet]
        omitted = rows[rows["role"] == "omitida"]
        return dict(zip(omitted["row"], omitted["reason"], strict=True))

    def roles(self, sheet: str | None = None) -> dict[int, str]:
        rows = self.result.rows
        if sheet is not None:
            rows = rows[rows["sheet"] == sheet]
        return dict(zip(rows["row"], rows["role"], strict=True))


def build(path: Path, sheets: Mapping[str, Sheet | Sequence[Sequence[object]]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.worksheets[0])
    for title, spec in sheets.items():
        sheet = spec if isinstance(spec, Sheet) else Sheet(spec)
        ws = wb.create_sheet(title)
        for row in sheet.rows:
            ws.append(list(row))
        for ref in sheet.merges:
            ws.merge_cells(ref)
        for ref, number_format in sheet.formats.items():
            ws[ref].number_format = number_format
    wb.save(path)
    return path


def run(path: Path, *, cutoff: dt.date | None = None, catalog: Catalog | None = None) -> Run:
    problems: list[Problem] = []
    sheets = read_file(InputFile(path, path.name), problems)
    assert sheets, problems
    result = normalize(sheets, problems, catalog, cutoff=cutoff)
    assert_accounted(result, sheets)
    return Run(result, problems, sheets)


def assert_accounted(result: Normalized, sheets: Sequence[RawSheet]) -> None:
    """Every non-blank source row appears exactly once, with a role; activities line up."""
    rows = result.rows
    for sheet in sheets:
        mine = rows[(rows["file"] == sheet.file) & (rows["sheet"] == sheet.sheet)]
        nonblank = [i + 1 for i, r in enumerate(sheet.rows) if not all(is_blank(v) for v in r)]
        assert sorted(mine["row"]) == nonblank, (sheet.sheet, sorted(mine["row"]), nonblank)
        assert mine["role"].notna().all()
        omitted = mine[mine["role"] == "omitida"]
        assert omitted["reason"].notna().all(), omitted
    activity_rows = rows[rows["role"] == "actividad"]
    assert sorted(activity_rows["activity_id"]) == list(result.activities["activity_id"])


def table(run: Run, *fields: str) -> list[tuple[object, ...]]:
    """The activities as tuples of the given fields, <NA> as None."""
    out = []
    for act in run.acts:
        out.append(tuple(None if _na(act[f]) else act[f] for f in fields))
    return out


def _na(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA
