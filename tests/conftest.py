"""Shared fixtures: inputs are built inside the tests, so the rows *are* the fixture."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SEED_SAMPLE = SAMPLES / "seguimiento_paac_gobernacion_putumayo_2020.xlsx"


def make_workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    """Write a small input workbook with openpyxl: one list of rows per sheet."""
    wb = openpyxl.Workbook()
    wb.remove(wb.worksheets[0])
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


@pytest.fixture
def seed_sample() -> Path:
    return SEED_SAMPLE
