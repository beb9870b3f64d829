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


GC_SCRIPT = """
import gc, json, sys
import pac_excel.cli as cli
collections = [0]
gc.callbacks.append(lambda phase, info: phase == "stop" and collections.__setitem__(0, collections[0] + 1))
seen = {}
main, imports_done, _exit = cli.main, cli.imports_done, cli.os._exit
def counted_main():
    seen["at_start"] = collections[0]
    main()
def counted_imports_done():
    seen.update(during_imports=collections[0] - seen["at_start"], pandas="pandas" in sys.modules)
    imports_done()
    seen.update(enabled=gc.isenabled(), frozen=gc.get_freeze_count(), at_done=collections[0])
def report(code):
    seen.update(code=code, after_imports=collections[0] - seen["at_done"])
    print(json.dumps(seen), flush=True)
    _exit(code)
cli.main, cli.imports_done, cli.os._exit = counted_main, counted_imports_done, report
sys.argv = ["pac-excel", "consolidar", sys.argv[1], "--salida", sys.argv[2], "-q"]
cli.run()
"""


def test_the_console_entry_collects_garbage_again_once_the_stack_is_imported(
    tmp_path: Path,
) -> None:
    """``run`` turns the collector off while pandas and the rest are imported (no collection
    then); the run itself has it on again, the imported objects frozen out of its collections
    (``imports_done``), and writes the workbook as ever."""
    samples = Path(__file__).resolve().parents[1] / "samples"
    done = subprocess.run(
        [sys.executable, "-c", GC_SCRIPT, str(samples), str(tmp_path / "salida")],
        capture_output=True,
        text=True,
        check=False,
    )
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["code"] == 0, done.stderr
    assert seen["pandas"] and seen["during_imports"] == 0
    assert seen["enabled"] and seen["frozen"] > 100_000  # the stack's objects, never walked again
    assert seen["after_imports"] > 0  # the run's own garbage is collected
    assert list((tmp_path / "salida").glob("seguimiento_paac_*.xlsx"))


def test_a_library_caller_keeps_its_collector_as_it_was() -> None:
    """Called in-process (``main``, a notebook, the tests) nothing is frozen or turned on."""
    import gc

    from pac_excel.cli import imports_done

    before = gc.get_freeze_count()
    imports_done()
    assert gc.isenabled() and gc.get_freeze_count() == before
    gc.disable()
    try:
        imports_done()  # the console entry's case: frozen, then on again
        assert gc.isenabled() and gc.get_freeze_count() >= before
    finally:
        gc.enable()
        gc.unfreeze()
