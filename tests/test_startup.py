"""Start-up stays light: --help, a subcommand's help and a usage error import no heavy library.

A bounded-work check, not a timing test: it asserts which modules a fresh interpreter has
loaded after the command ran, so it cannot flicker on a busy machine.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = (
    "pandas",
    "numpy",
    "xlsxwriter",
    "openpyxl",
    "python_calamine",
    "rapidfuzz",
    "reportlab",
    "docx",
    "holidays",
)

SCRIPT = """
import json, sys
import pac_excel.cli
heavy = json.loads(sys.argv[2])
sys.argv = ["pac-excel", *json.loads(sys.argv[1])]
code = 0
try:
    pac_excel.cli.main()
except SystemExit as exc:
    code = exc.code
print(json.dumps({"code": code, "loaded": [m for m in heavy if m in sys.modules]}))
"""


def _run(*args: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, json.dumps(list(args)), json.dumps(HEAVY)],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("--help",), 0),
        (("--version",), 0),
        (("consolidar", "--help"), 0),
        (("iniciar", "--help"), 0),
        (("correo", "--help"), 0),
        (("historial", "--help"), 0),
        (("consolidar", "--corte", "30/02/2020"), 2),  # a usage error
        (("consolidar", "-v", "-q"), 2),
        (("no-existe",), 2),
    ],
)
def test_no_heavy_import_before_a_run(args: tuple[str, ...], code: int) -> None:
    result = _run(*args)
    assert result["code"] == code
    assert result["loaded"] == []


def test_iniciar_creates_a_working_folder_without_heavy_imports(tmp_path: Path) -> None:
    """`pac-excel iniciar` writes pac-excel.toml from the template: no pandas for that."""
    folder = tmp_path / "PAAC"
    result = _run("iniciar", str(folder), "--entidad", "Gobernación del Putumayo")
    assert result["code"] == 0
    assert result["loaded"] == []
    assert (folder / "entrada").is_dir() and (folder / "salida").is_dir()
    assert 'entidad = "Gobernación del Putumayo"' in (folder / "pac-excel.toml").read_text(
        encoding="utf-8"
    )


def test_iniciar_again_in_a_working_folder_keeps_it_light(tmp_path: Path) -> None:
    """A second `iniciar` reads nothing heavy either and replaces nothing."""
    folder = tmp_path / "PAAC"
    assert _run("iniciar", str(folder))["code"] == 0
    (folder / "pac-excel.toml").write_text('entidad = "Mía"\n', encoding="utf-8")
    result = _run("iniciar", str(folder))
    assert result["code"] == 0
    assert result["loaded"] == []
    assert (folder / "pac-excel.toml").read_text(encoding="utf-8") == 'entidad = "Mía"\n'


def test_the_default_config_still_carries_the_dafp_limits() -> None:
    """Built on first use, the default configuration is the same object each time."""
    from pac_excel.check.semaforo import DAFP_THRESHOLDS
    from pac_excel.routine import config

    assert config.DEFAULT_CONFIG is config.DEFAULT_CONFIG
    assert config.DEFAULT_CONFIG.thresholds == DAFP_THRESHOLDS
    assert config.Config().thresholds == DAFP_THRESHOLDS
    with pytest.raises(AttributeError):
        _ = config.NO_SUCH_NAME  # type: ignore[attr-defined]


def test_public_api_still_importable_and_check_is_the_function() -> None:
    """The lazy exports resolve to the same objects as their modules, subpackages or not."""
    import importlib

    import pac_excel
    from pac_excel import Problem, check, consolidate, normalize, read_file, write_workbook

    assert check is importlib.import_module("pac_excel.check.rules").check
    assert normalize is importlib.import_module("pac_excel.normalize.run").normalize
    assert pac_excel.check is check and pac_excel.normalize is normalize
    assert Problem.__module__ == "pac_excel.problems"
    assert callable(consolidate) and callable(read_file) and callable(write_workbook)
    assert set(pac_excel.__all__) <= set(dir(pac_excel))
    with pytest.raises(AttributeError):
        _ = pac_excel.no_such_name  # type: ignore[attr-defined]


def test_a_run_still_refuses_xml_without_defusedxml_protection() -> None:
    """The guard runs before every command, now without importing openpyxl for it."""
    done = subprocess.run(
        [sys.executable, "-m", "pac_excel", "consolidar", "--help"],
        capture_output=True,
        text=True,
        check=False,
        env={"OPENPYXL_DEFUSEDXML": "False", "PATH": ""},
    )
    assert done.returncode == 2
    assert "OPENPYXL_DEFUSEDXML" in done.stderr
