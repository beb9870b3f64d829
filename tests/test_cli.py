"""The command a person runs, end to end through click's CliRunner."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import ROOT, SAMPLES, SEED_SAMPLE, make_workbook, workspace

from pac_excel import NothingReadError, PacExcelError, consolidate
from pac_excel.cli import ProgressBar, cli
from pac_excel.history import STORE_NAME
from pac_excel.read.xml_guard import UnsafeXmlSetup
from pac_excel.routine.config import ConfigError
from pac_excel.routine.workspace import WorkspaceError

HEADER = ["SUBCOMPONENTE", "ACTIVIDADES", "RESPONSABLES", "FECHA PROGRAMADA", "% AVANCE"]
OUT_NAME = "seguimiento_paac_2020-04-30.xlsx"
# click's own English, which must never reach a user.
ENGLISH = ("Usage:", "Options:", "Commands:", "Show this message", "Show the version", "No such")


def invoke(*args: str, env: dict[str, str | None] | None = None) -> Any:
    return CliRunner().invoke(cli, list(args), env=env)


def no_english(text: str) -> None:
    for word in ENGLISH:
        assert word not in text, text


def small_file(path: Path, *, cut: str | None = "30/04/2020", entity: bool = False) -> Path:
    """One activity, not overdue: due 30/06/2020, 50 % reported."""
    rows: list[list[object]] = []
    if entity:
        rows.append(["Entidad:", "Alcaldía de Prueba"])
    if cut:
        rows.append(["FECHA CORTE:", cut])
    header: list[object] = list(HEADER)
    rows += [header, ["Seguimiento", "Revisar el mapa", "OCI", "30/06/2020", "50%"]]
    return make_workbook(path, {"S": rows})


# consolidar outside a working folder ---------------------------------------------------------


def test_default_run_reads_samples_and_writes_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(SAMPLES, tmp_path / "samples")
    monkeypatch.chdir(tmp_path)
    result = invoke("consolidar", "--hoy", "2020-05-05")
    assert result.exit_code == 0, result.output
    out = Path("output") / OUT_NAME
    assert out.exists()
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Corte: 30/04/2020 (leído de ")
    assert lines[1] == "Fecha límite de publicación: 15/05/2020"
    assert lines[2] == "Archivos leídos: 2"
    # Which program each file was read as, and why: said even for a plain PAAC folder.
    assert lines[3] == "Programa: Plan Anticorrupción y de Atención al Ciudadano (PAAC)"
    assert lines[4].startswith("  seguimiento_paac_alcaldia_sibundoy_2020.xlsx: PAAC (")
    assert lines[4].endswith("porque vigencia 2020, anterior al PTEP (Decreto 1122)")
    assert lines[6] == "Actividades: 33 · Vencidas: 6 · Sin avance: 11"
    assert lines[7].startswith("Problemas: 0 errores, 0 advertencias, ")
    assert lines[8] == "PDF para publicar: output/seguimiento_oci_paac_2020-04-30.pdf"
    assert (
        lines[9] == "Informe para editar y firmar: output/informe_seguimiento_paac_2020-04-30.docx"
    )
    assert lines[10] == f"Libro escrito: {out}"
    assert result.stderr == ""  # 5 May: eight business days left, no warning
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
    # The cut of 31/08/2020 was due 14/09/2020: long past today.
    assert "Atención: el plazo para publicar el seguimiento del corte 31/08/2020 venció el " in (
        result.stderr
    )


def test_bad_corte_is_a_usage_error() -> None:
    result = invoke("consolidar", str(SEED_SAMPLE), "--corte", "20200430")
    assert result.exit_code == 2
    assert "no es una fecha AAAA-MM-DD ni dd/mm/aaaa" in result.stderr
    assert "Uso: pac-excel consolidar [OPCIONES] [ENTRADAS]..." in result.stderr
    no_english(result.stderr)


def test_no_cutoff_anywhere_takes_todays_cut(tmp_path: Path) -> None:
    path = small_file(tmp_path / "sin_corte.xlsx", cut=None)
    out = tmp_path / "out"
    result = invoke(
        "consolidar", str(path), "--salida", str(out), env={"PAC_EXCEL_HOY": "2020-05-13"}
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "Corte: 30/04/2020 (ningún archivo indica la fecha de corte; hoy (13/05/2020) está dentro "
        "del plazo de publicación del corte 30/04/2020, que vence el 15/05/2020)"
    )
    assert lines[1] == "  Si no es el corte que quiere, indíquelo con --corte AAAA-MM-DD."
    assert (out / OUT_NAME).exists()
    assert result.stderr.splitlines()[-1] == (
        "Atención: quedan 2 días hábiles para publicar el seguimiento del corte 30/04/2020 "
        "(fecha límite: 15/05/2020)."
    )


def test_after_the_window_the_next_cut_is_taken(tmp_path: Path) -> None:
    path = small_file(tmp_path / "sin_corte.xlsx", cut=None)
    result = invoke("consolidar", str(path), "--salida", str(tmp_path), "--hoy", "2020-06-01")
    assert result.exit_code == 0, result.output
    assert "se toma el siguiente corte oficial, 31/08/2020)" in result.stdout.splitlines()[0]
    assert (tmp_path / "seguimiento_paac_2020-08-31.xlsx").exists()


def test_files_that_disagree_exit_2(tmp_path: Path) -> None:
    small_file(tmp_path / "a.xlsx", cut="30/04/2020")
    small_file(tmp_path / "b.xlsx", cut="31/08/2020")
    result = invoke("consolidar", str(tmp_path), "--salida", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert "fechas de corte distintas (a.xlsx: 30/04/2020; b.xlsx: 31/08/2020)" in result.stderr
    assert not (tmp_path / "out").exists()


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
    ws = openpyxl.load_workbook(tmp_path / "out" / OUT_NAME)["Problemas"]
    rows = list(ws.iter_rows(values_only=True))
    assert ("roto.xlsx", None, None, None, "Error", "archivo-incompleto") in [r[:6] for r in rows]


def test_nothing_readable_exits_2_without_workbook(tmp_path: Path) -> None:
    (tmp_path / "roto.xlsx").write_bytes(b"nada")
    out = tmp_path / "out"
    result = invoke("consolidar", str(tmp_path), "--corte", "2020-04-30", "--salida", str(out))
    assert result.exit_code == 2
    assert "[roto.xlsx]: Error: No es un libro de Excel" in result.stderr
    assert result.stderr.endswith("Error: no se pudo leer ninguna actividad de las entradas.\n")
    assert not out.exists()


def test_nothing_readable_is_refused_by_the_library_before_writing(tmp_path: Path) -> None:
    (tmp_path / "roto.xlsx").write_bytes(b"nada")
    out = tmp_path / "out"
    with pytest.raises(NothingReadError) as caught:
        consolidate([tmp_path], output_dir=out)
    assert caught.value.exit_code == 2
    assert str(caught.value) == "no se pudo leer ninguna actividad de las entradas."
    assert [(p.file, p.code) for p in caught.value.problems] == [
        ("roto.xlsx", "no-es-hoja-de-calculo")
    ]
    assert not out.exists()
    # Without a workbook to write there is nothing to refuse: the empty frames come back.
    assert consolidate([tmp_path], output_dir=None).activities.empty


@pytest.mark.parametrize(
    ("error", "code"),
    [(ConfigError, 2), (WorkspaceError, 2), (UnsafeXmlSetup, 2), (NothingReadError, 2)],
)
def test_run_level_errors_share_one_base_with_their_exit_code(
    error: type[PacExcelError], code: int
) -> None:
    assert issubclass(error, PacExcelError)
    assert error.exit_code == code


def test_output_folder_that_is_a_file_exits_2(tmp_path: Path) -> None:
    blocker = tmp_path / "salida"
    blocker.write_text("soy un archivo, no una carpeta")
    result = invoke("consolidar", str(SEED_SAMPLE), "--salida", str(blocker))
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: No se pudo crear la carpeta de salida")


def test_failed_write_keeps_earlier_workbook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert invoke("consolidar", str(SEED_SAMPLE), "--salida", str(tmp_path)).exit_code == 0
    out = tmp_path / OUT_NAME
    before = out.read_bytes()

    def boom(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("xlsxwriter.workbook.Workbook.close", boom)
    result = invoke("consolidar", str(SEED_SAMPLE), "--salida", str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: No se pudo escribir")
    assert out.read_bytes() == before
    # Only what the first run wrote: the workbook, its two publication files and the history
    # store (README «Historial del año»).
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [
            "informe_seguimiento_paac_2020-04-30.docx",
            out.name,
            "seguimiento_oci_paac_2020-04-30.pdf",
            STORE_NAME,
        ]
    )


def test_workbook_open_in_excel_is_written_beside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows refuses to replace a workbook Excel holds open: write «… (2).xlsx» instead."""
    locked = tmp_path / OUT_NAME
    locked.write_bytes(b"abierto en Excel")
    real_replace = os.replace

    def excel_lock(src: Any, dst: Any) -> None:
        if Path(dst) == locked:
            raise PermissionError(13, "Permission denied", str(dst))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", excel_lock)
    result = invoke("consolidar", str(SEED_SAMPLE), "--salida", str(tmp_path))
    assert result.exit_code == 0, result.output
    beside = tmp_path / "seguimiento_paac_2020-04-30 (2).xlsx"
    assert result.stdout.splitlines()[-1] == f"Libro escrito: {beside}"
    assert (
        f"[{OUT_NAME}]: Advertencia: {OUT_NAME} está abierto en Excel (u otro programa lo "
        f"bloquea) y no se pudo reemplazar; se escribió {beside.name} al lado." in result.stderr
    )
    assert locked.read_bytes() == b"abierto en Excel"
    rows = openpyxl.load_workbook(beside)["Problemas"].iter_rows(values_only=True)
    assert "libro-abierto" in [r[5] for r in rows]


def test_estricto(tmp_path: Path) -> None:
    clean = small_file(tmp_path / "limpio.xlsx", entity=True)
    out = str(tmp_path / "out")
    assert invoke("consolidar", str(clean), "--salida", out, "--estricto").exit_code == 0
    result = invoke("consolidar", str(SEED_SAMPLE), "--salida", out, "--estricto")
    assert result.exit_code == 1
    assert "--estricto: 3 actividades vencidas y 0 errores en los archivos" in result.stderr
    assert (tmp_path / "out" / OUT_NAME).exists()  # the workbook is still written
    (tmp_path / "roto.xlsx").write_bytes(b"PK\x03\x04 cortado")
    result = invoke(
        "consolidar", str(clean), str(tmp_path / "roto.xlsx"), "--salida", out, "--estricto"
    )
    assert result.exit_code == 1
    assert "0 actividades vencidas y 1 errores" in result.stderr


def test_quiet_and_verbose(tmp_path: Path) -> None:
    out = str(tmp_path / "out")
    quiet = invoke("consolidar", str(SEED_SAMPLE), "--salida", out, "-q")
    assert quiet.exit_code == 0
    assert quiet.stdout == f"Libro escrito: {Path(out) / OUT_NAME}\n"
    assert quiet.stderr == ""
    verbose = invoke("consolidar", str(SEED_SAMPLE), "--salida", out, "-v", "--hoy", "2020-05-04")
    assert ": Información: " in verbose.stderr
    assert "véalos con -v" not in verbose.stdout
    both = invoke("consolidar", "-v", "-q")
    assert both.exit_code == 2
    assert "Use -v o -q, no los dos a la vez." in both.stderr


def test_unexpected_error_is_spanish_and_traceback_only_with_v(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("algo raro")

    monkeypatch.setattr("pac_excel.cli.consolidate", broken)
    result = invoke("consolidar", str(SEED_SAMPLE))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error interno de pac-excel (ValueError: algo raro).")
    assert "con -v para ver el detalle" in result.stderr
    assert "Traceback" not in result.stderr
    verbose = invoke("consolidar", str(SEED_SAMPLE), "-v")
    assert verbose.exit_code == 1
    assert verbose.stderr.startswith("Traceback (most recent call last):")


# iniciar and the working folder ---------------------------------------------------------------


def test_iniciar_then_consolidar_inside(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "PAAC"
    result = invoke("iniciar", str(root), "--entidad", "Alcaldía de Prueba")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"Carpeta de trabajo: {root.resolve()}",
        f"  entrada{os.sep}        creada: copie aquí los seguimientos",
        f"  salida{os.sep}         creada: aquí quedan el libro y el correo",
        "  pac-excel.toml  creado: revise la entidad y el correo (ábralo con el Bloc de notas)",
        f'Siguiente paso: cd "{root.resolve()}" y luego pac-excel consolidar',
    ]
    again = invoke("iniciar", str(root), "--entidad", "Otra")
    assert again.exit_code == 0
    assert "  pac-excel.toml  ya existía: no se modificó" in again.stdout
    assert 'entidad = "Alcaldía de Prueba"' in (root / "pac-excel.toml").read_text("utf-8")

    (root / "entrada" / "Planeación").mkdir()
    shutil.copy(SEED_SAMPLE, root / "entrada" / "Planeación")
    monkeypatch.chdir(root)
    result = invoke("consolidar", "--hoy", "2020-05-05")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"Carpeta de trabajo: {root.resolve()}"
    assert lines[3] == "Archivos leídos: 1"
    assert lines[-1] == f"Libro escrito: {Path('salida') / OUT_NAME}"
    assert (root / "salida" / OUT_NAME).exists()


def test_iniciar_on_a_file_exits_2(tmp_path: Path) -> None:
    (tmp_path / "x").write_text("")
    result = invoke("iniciar", str(tmp_path / "x"))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: No se pudo crear {tmp_path / 'x'}: ya existe")


def test_config_entity_thresholds_and_components_are_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = (
        'entidad = "Gobernación de Prueba"\n'
        "[semaforo]\nrojo_bajo = 0.0\namarillo_bajo = 0.0\n"
        '[componentes]\n"Revisión de tableros" = 6\n'
    )
    root = workspace(tmp_path, config)
    rows: list[list[object]] = [
        ["FECHA CORTE:", "30/04/2020"],
        list(HEADER),
        ["Seguimiento", "Revisar el mapa", "OCI", "31/03/2020", "0%"],
        ["Revisión de tableros", "Publicar tablero", "TIC", "31/03/2020", "0%"],
    ]
    make_workbook(root / "entrada" / "sin_entidad.xlsx", {"S": rows})
    monkeypatch.chdir(root)
    result = invoke("consolidar", "-v")
    assert result.exit_code == 0, result.output
    assert (
        "[sin_entidad.xlsx]: Información: No se encontró el nombre de la entidad en el archivo "
        "(una celda «Entidad:» o el membrete). Se usó «Gobernación de Prueba», la entidad de "
        "pac-excel.toml. [entidad-no-encontrada]"
    ) in result.stderr
    ws = openpyxl.load_workbook(root / "salida" / OUT_NAME)["Actividades"]
    table = list(ws.iter_rows(values_only=True))
    head = list(table[0])
    data = [dict(zip(head, row, strict=True)) for row in table[1:]]
    assert {r["Entidad"] for r in data} == {"Gobernación de Prueba"}
    assert {r["Semáforo"] for r in data} == {"Verde"}  # 0 % compliance, red/yellow below 0
    assert str(data[1]["Componente"]).startswith("6")


def test_output_folder_is_never_read_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = workspace(tmp_path)
    small_file(root / "entrada" / "a.xlsx", entity=True)
    monkeypatch.chdir(root)
    assert invoke("consolidar").exit_code == 0
    result = invoke("consolidar", ".", "-v")
    assert result.exit_code == 0, result.output
    assert "Archivos leídos: 1" in result.stdout
    assert f"salida/{OUT_NAME}" in result.stderr  # one Información line for the old report


def test_reports_in_a_folder_that_is_also_read_are_skipped(tmp_path: Path) -> None:
    small_file(tmp_path / "a.xlsx", entity=True)
    assert invoke("consolidar", str(tmp_path), "--salida", str(tmp_path)).exit_code == 0
    result = invoke("consolidar", str(tmp_path), "--salida", str(tmp_path), "-v")
    assert result.exit_code == 0, result.output
    assert "Archivos leídos: 1" in result.stdout
    assert "Actividades: 1 ·" in result.stdout


def test_empty_inbox_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(workspace(tmp_path))
    result = invoke("consolidar")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: la carpeta entrada está vacía: copie allí los seguimientos y vuelva a ejecutar.\n"
    )
    assert list((tmp_path / "salida").iterdir()) == []


def test_bad_config_exits_2_naming_key_and_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(workspace(tmp_path, '[correo]\nservidor = "smtp"\nservdor = "x"\n'))
    result = invoke("consolidar")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: pac-excel.toml, línea 3: la clave «servdor» en [correo] no existe. ¿Quiso decir "
        "«servidor»? Claves válidas: para, cc, remitente, servidor, puerto, seguridad, usuario, "
        "variable_clave.\n"
    )


def test_carpeta_option(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = workspace(tmp_path / "PAAC")
    small_file(root / "entrada" / "a.xlsx", entity=True)
    elsewhere = tmp_path / "otro"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = invoke("consolidar", "--carpeta", str(root), "-q")
    assert result.exit_code == 0, result.output
    assert (root / "salida" / OUT_NAME).exists()
    missing = invoke("consolidar", "--carpeta", str(elsewhere))
    assert missing.exit_code == 2
    assert "no es una carpeta de trabajo de pac-excel (no tiene pac-excel.toml)" in missing.stderr


def test_running_inside_entrada_gives_a_hint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = workspace(tmp_path)
    monkeypatch.chdir(root / "entrada")
    result = invoke("consolidar")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"Nota: esta carpeta está dentro de la carpeta de trabajo {root.resolve()}"
    )


# Help, version, progress --------------------------------------------------------------------


def test_main_help_is_spanish() -> None:
    result = invoke("--help")
    assert result.exit_code == 0
    assert result.stdout.startswith("Uso: pac-excel [OPCIONES] COMANDO [ARGUMENTOS]...")
    for word in ("Opciones:", "Comandos:", "Muestra esta ayuda y termina.", "pac-excel iniciar"):
        assert word in result.stdout
    listing = result.stdout.split("Comandos:")[1].splitlines()
    assert [line.split()[0] for line in listing if line.strip()] == [
        "iniciar",
        "consolidar",
        "historial",
        "correo",
    ]
    no_english(result.stdout)


@pytest.mark.parametrize("command", ["iniciar", "consolidar", "historial", "correo"])
def test_command_help_is_spanish_with_examples(command: str) -> None:
    result = invoke(command, "--help")
    assert result.exit_code == 0
    assert result.stdout.startswith(f"Uso: pac-excel {command} [OPCIONES]")
    assert "Ejemplo" in result.stdout and f"pac-excel {command}" in result.stdout
    assert "-v, --detallado" in result.stdout and "-q, --silencioso" in result.stdout
    assert "--hoy" not in result.stdout
    no_english(result.stdout)


def test_usage_errors_are_spanish() -> None:
    result = invoke("consolidar", "--nada")
    assert result.exit_code == 2
    assert "Error: No existe la opción" in result.stderr
    assert "Use «pac-excel consolidar --help» para ver la ayuda." in result.stderr
    unknown = invoke("consolidarr")
    assert unknown.exit_code == 2
    assert "No existe el comando 'consolidarr'." in unknown.stderr
    assert "¿Quiso decir 'consolidar'?" in unknown.stderr
    no_english(result.stderr + unknown.stderr)


def test_version() -> None:
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.stdout.startswith("pac-excel ")


def test_progress_bar_only_on_a_terminal() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    bar = ProgressBar(screen, enabled=True)
    for done in range(1, 6):
        bar(done, 5, f"dependencia_{done}.xlsx")
    bar.close()
    assert "Leyendo archivos" in screen.getvalue() and "5/5" in screen.getvalue()

    for stream, enabled, total in (
        (io.StringIO(), True, 5),
        (Terminal(), False, 5),
        (Terminal(), True, 2),
    ):
        quiet = ProgressBar(stream, enabled=enabled)
        for done in range(1, total + 1):
            quiet(done, total, "x.xlsx")
        quiet.close()
        assert stream.getvalue() == ""


@pytest.mark.parametrize("args", [["--help"], ["consolidar", str(SEED_SAMPLE)]])
def test_python_dash_m(tmp_path: Path, args: list[str]) -> None:
    extra = ["--salida", str(tmp_path)] if args[0] == "consolidar" else []
    done = subprocess.run(
        [sys.executable, "-m", "pac_excel", *args, *extra],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    if args == ["--help"]:
        assert done.stdout.startswith("Uso: pac-excel [OPCIONES] COMANDO")
        no_english(done.stdout)
    else:
        assert (tmp_path / OUT_NAME).exists()
        assert "Leyendo archivos" not in done.stderr  # not a terminal: no bar


def test_the_command_ends_with_its_code_and_everything_it_printed(tmp_path: Path) -> None:
    """``cli.run`` ends the process without tearing the interpreter down (``os._exit``):
    piped output, block-buffered, must still arrive whole, and the exit code be the command's."""
    script = Path(sys.executable).parent / ("pac-excel.exe" if os.name == "nt" else "pac-excel")
    for command in ([str(script)], [sys.executable, "-m", "pac_excel"]):
        out = tmp_path / command[-1].replace(".", "_").replace("/", "_")
        done = subprocess.run(
            [*command, "consolidar", str(ROOT / "samples"), "--salida", str(out)],
            capture_output=True, text=True, encoding="utf-8", cwd=ROOT, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        lines = done.stdout.rstrip().splitlines()
        assert lines[0].startswith("Corte: 30/04/2020") and lines[-1].startswith("Libro escrito: ")
        assert (out / OUT_NAME).exists()
        bad = subprocess.run(
            [*command, "consolidar", "--corte", "30/02/2020"],
            capture_output=True, text=True, encoding="utf-8", cwd=ROOT, check=False,
        )  # fmt: skip
        assert bad.returncode == 2 and "30/02/2020" in bad.stderr and bad.stdout == ""


def test_a_reader_that_goes_away_stops_the_output_quietly(tmp_path: Path) -> None:
    # `pac-excel consolidar | head`: the pipe's reader is gone before anything is printed.
    out = tmp_path / "salida"
    proc = subprocess.Popen(
        [sys.executable, "-m", "pac_excel", "consolidar", str(SAMPLES), "--salida", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path,
    )  # fmt: skip
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    with proc.stderr:
        said = proc.stderr.read().decode("utf-8", "replace")
    assert proc.wait(timeout=300) == 141
    assert "Error interno" not in said and "Traceback" not in said
    assert (out / "seguimiento_paac_2020-04-30.xlsx").exists()  # written before any summary
