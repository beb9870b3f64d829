"""The command a person runs, end to end through click's CliRunner."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import ROOT, SAMPLES, SEED_SAMPLE, make_workbook

from pac_excel.cli import cli

HEADER = ["SUBCOMPONENTE", "ACTIVIDADES", "RESPONSABLES", "FECHA PROGRAMADA", "% AVANCE"]


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args))


def test_default_run_reads_samples_and_writes_output(tmp_path: Path, monkeypatch) -> None:
    shutil.copytree(SAMPLES, tmp_path / "samples")
    monkeypatch.chdir(tmp_path)
    result = invoke("consolidar")
    assert result.exit_code == 0, result.output
    out = Path("output/seguimiento_paac_2020-04-30.xlsx")
    assert out.exists()
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Corte: 30/04/2020 (leído de ")
    assert lines[1] == "Archivos leídos: 2"
    assert lines[2] == "Actividades: 33 · Vencidas: 6 · Sin avance: 11"
    assert lines[3].startswith("Problemas: 0 errores, 0 advertencias, ")
    assert lines[4] == f"Libro escrito: {Path('output') / out.name}"
    sheets = openpyxl.load_workbook(out).sheetnames
    assert sheets[:2] == ["Resumen", "Actividades"]
    assert {"Alertas", "Problemas"} <= set(sheets)


def test_corte_option_and_salida(tmp_path: Path) -> None:
    result = invoke(
        "consolidar",
        str(SEED_SAMPLE),
        "--corte",
        "2020-08-31",
        "--salida",
        str(tmp_path / "informes"),
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "informes" / "seguimiento_paac_2020-08-31.xlsx").exists()
    assert "Corte: 31/08/2020 (indicado con --corte)" in result.stdout
    assert "corte-distinto" in result.stderr


def test_bad_corte_is_a_usage_error(tmp_path: Path) -> None:
    result = invoke("consolidar", str(SEED_SAMPLE), "--corte", "30/04/2020")
    assert result.exit_code == 2
    assert "no es una fecha AAAA-MM-DD" in result.stderr


def test_no_cutoff_anywhere_exits_2_without_workbook(tmp_path: Path) -> None:
    path = make_workbook(
        tmp_path / "sin_corte.xlsx",
        {
            "S": [
                HEADER,
                ["Seguimiento", "Revisar", "OCI", "30/06/2020", "0%"],
            ]
        },
    )
    result = invoke("consolidar", str(path), "--salida", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: No se encontró la fecha de corte")
    assert not (tmp_path / "out").exists()


def test_files_that_disagree_exit_2(tmp_path: Path) -> None:
    for name, cut in (("a.xlsx", "30/04/2020"), ("b.xlsx", "31/08/2020")):
        make_workbook(
            tmp_path / name,
            {
                "S": [
                    ["FECHA CORTE:", cut],
                    HEADER,
                    ["Seguimiento", "Revisar", "OCI", "30/06/2020", "0%"],
                ]
            },
        )
    result = invoke("consolidar", str(tmp_path), "--salida", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert "fechas de corte distintas (a.xlsx: 30/04/2020; b.xlsx: 31/08/2020)" in result.stderr


def test_a_bad_file_does_not_stop_the_others(tmp_path: Path) -> None:
    inbox = tmp_path / "entrada"
    inbox.mkdir()
    shutil.copy(SEED_SAMPLE, inbox)
    (inbox / "roto.xlsx").write_bytes(b"PK\x03\x04 cortado")
    result = invoke("consolidar", str(inbox), "--salida", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert "[roto.xlsx]: Error: El archivo está incompleto o dañado" in result.stderr
    assert "Actividades: 19 ·" in result.stdout
    assert "Problemas: 1 errores," in result.stdout
    ws = openpyxl.load_workbook(tmp_path / "out" / "seguimiento_paac_2020-04-30.xlsx")["Problemas"]
    rows = list(ws.iter_rows(values_only=True))
    assert ("roto.xlsx", None, None, None, "Error", "archivo-incompleto") in [r[:6] for r in rows]


def test_nothing_readable_exits_2(tmp_path: Path) -> None:
    (tmp_path / "roto.xlsx").write_bytes(b"nada")
    result = invoke(
        "consolidar", str(tmp_path), "--corte", "2020-04-30", "--salida", str(tmp_path / "out")
    )
    assert result.exit_code == 2
    assert "no se pudo leer ninguna actividad" in result.stderr


def test_output_folder_that_is_a_file_exits_2(tmp_path: Path) -> None:
    blocker = tmp_path / "salida"
    blocker.write_text("soy un archivo, no una carpeta")
    result = invoke("consolidar", str(SEED_SAMPLE), "--salida", str(blocker))
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: No se pudo crear la carpeta de salida")


def test_failed_write_keeps_earlier_workbook(tmp_path: Path, monkeypatch) -> None:
    assert invoke("consolidar", str(SEED_SAMPLE), "--salida", str(tmp_path)).exit_code == 0
    out = tmp_path / "seguimiento_paac_2020-04-30.xlsx"
    before = out.read_bytes()

    def boom(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("xlsxwriter.workbook.Workbook.close", boom)
    result = invoke("consolidar", str(SEED_SAMPLE), "--salida", str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: No se pudo escribir")
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name]


def test_help_and_version_in_spanish() -> None:
    result = invoke("consolidar", "--help")
    assert result.exit_code == 0
    assert "Fecha de corte" in result.stdout
    assert "Ejemplos:" in result.stdout
    assert invoke("--version").stdout.startswith("pac-excel ")


@pytest.mark.parametrize("module", [["-m", "pac_excel"]])
def test_python_dash_m(tmp_path: Path, module: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, *module, "consolidar", str(SEED_SAMPLE), "--salida", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "seguimiento_paac_2020-04-30.xlsx").exists()
