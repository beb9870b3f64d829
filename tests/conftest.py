"""Shared fixtures: inputs are built inside the tests, so the rows *are* the fixture."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import openpyxl
import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SEED_SAMPLE = SAMPLES / "seguimiento_paac_gobernacion_putumayo_2020.xlsx"


def make_workbook(path: Path, sheets: Mapping[str, Sequence[Sequence[object]]]) -> Path:
    """Write a small input workbook with openpyxl: one list of rows per sheet."""
    wb = openpyxl.Workbook()
    wb.remove(wb.worksheets[0])
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def workspace(root: Path, config: str = "") -> Path:
    """A working folder as `pac-excel iniciar` leaves it: entrada, salida and pac-excel.toml."""
    (root / "entrada").mkdir(parents=True)
    (root / "salida").mkdir()
    (root / "pac-excel.toml").write_text(config, encoding="utf-8")
    return root


@pytest.fixture
def seed_sample() -> Path:
    return SEED_SAMPLE


@pytest.fixture(autouse=True)
def _cell_dump(request: pytest.FixtureRequest) -> Iterator[None]:
    """With PAC_CELL_DUMP set, dump what every input file this test built consolidates to."""
    out = os.environ.get("PAC_CELL_DUMP")
    if not out or "tmp_path" not in request.fixturenames:
        yield
        return
    folder: Path = request.getfixturevalue("tmp_path")
    yield
    import celldump

    for path in celldump.input_files(folder):
        key = f"{request.node.nodeid}::{path.relative_to(folder)}"
        celldump.record(Path(out), key, celldump.consolidate_and_dump([path]))
