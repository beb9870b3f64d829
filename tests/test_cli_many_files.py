"""The terminal with many files: the cut's origin and the programs summarised, -v for each file."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pac_excel.cli import cli

sys.path.insert(0, str(Path(__file__).resolve().parent / "bench"))
from make_office_files import generate  # the benchmark's generator: tests/bench is no package

PROGRAM = "PAAC (DAFP, Estrategias para la construcción del PAAC, versión 2 (2015))"


@pytest.fixture(scope="module")
def offices(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("many") / "entrada"
    return generate(folder, 5, 3, seed=2)


def _run(offices: list[Path], out: Path, *extra: str) -> Result:
    args = ["consolidar", str(offices[0].parent), "--salida", str(out), "--sin-publicacion"]
    result = CliRunner().invoke(cli, [*args, "--hoy", "2020-05-05", *extra])
    assert result.exit_code in (0, 1), result.output
    return result


def test_many_files_are_counted_not_listed(offices: list[Path], tmp_path: Path) -> None:
    lines = _run(offices, tmp_path).stdout.splitlines()
    assert (
        "Corte: 30/04/2020 (leído de 5 archivos, todos con corte al 30/04/2020; con -v, la "
        "celda de cada uno)"
    ) in lines
    programs = [line for line in lines if line.startswith("  ")]
    assert programs == [
        f"  5 archivos: {PROGRAM}, porque vigencia 2020, anterior al PTEP (Decreto 1122)",
        "  (con -v, archivo por archivo)",
    ]
    assert not any(p.name in line for p in offices for line in lines)
    assert "Actividades: 15 · " in "\n".join(lines)


def test_verbose_names_every_file_and_cell(offices: list[Path], tmp_path: Path) -> None:
    out = _run(offices, tmp_path, "-v").stdout
    corte = next(line for line in out.splitlines() if line.startswith("Corte: "))
    assert all(f"[{p.name}]" in corte for p in offices)
    assert all(f"  {p.name}: {PROGRAM}, porque" in out for p in offices)
