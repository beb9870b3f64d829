"""Issue 15: nothing the inbox, the disk or the config holds may stop a run, hang it, or double
a figure. One test per class of hostile input, each through the command line a user runs."""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import SAMPLES, make_workbook, workspace

from pac_excel.cli import cli

HEADER = ["SUBCOMPONENTE", "ACTIVIDADES", "RESPONSABLES", "FECHA PROGRAMADA", "% AVANCE"]
OUT_NAME = "seguimiento_paac_2020-04-30.xlsx"
SIBUNDOY = SAMPLES / "seguimiento_paac_alcaldia_sibundoy_2020.xlsx"
SIBUNDOY_ACTIVITIES = 14


def invoke(*args: str, env: dict[str, str | None] | None = None) -> Any:
    return CliRunner().invoke(cli, list(args), env=env)


def no_internal_error(result: Any) -> None:
    assert "Error interno" not in result.output, result.output
    assert "Traceback" not in result.output, result.output
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), result.exception


def small_file(path: Path, *, cut: object = "30/04/2020", entity: str | None = None) -> Path:
    """One activity, not overdue: due 30/06/2020, 50 % reported."""
    rows: list[list[object]] = []
    if entity:
        rows.append(["Entidad:", entity])
    if cut:
        rows.append(["FECHA CORTE:", cut])
    rows += [list(HEADER), ["Seguimiento", "Revisar el mapa", "OCI", "30/06/2020", "50%"]]
    return make_workbook(path, {"S": rows})


def activity_rows(workbook: Path) -> list[tuple[object, ...]]:
    """The Actividades rows of a consolidated workbook, as a user sees them."""
    book = openpyxl.load_workbook(workbook, read_only=True, data_only=True)
    try:
        rows = list(book["Actividades"].iter_rows(min_row=2, values_only=True))
    finally:
        book.close()
    return [r for r in rows if any(v is not None for v in r)]


def problem_codes(workbook: Path) -> list[str]:
    book = openpyxl.load_workbook(workbook, read_only=True, data_only=True)
    try:
        text = [" ".join(str(v) for v in r if v is not None) for r in book["Problemas"].values]
    finally:
        book.close()
    return [code for line in text for code in re.findall(r"\b[a-z]+(?:-[a-z0-9]+)+\b", line)]


def rewrite_member(source: Path, target: Path, member: str, change: Any) -> Path:
    """A copy of ``source`` with one zip member passed through ``change``."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info.filename)
            if info.filename == member:
                data = change(data)
            new.writestr(info.filename, data)
    return target


# Ordinary input that breaks the mail step ---------------------------------------------------


def test_line_break_in_entity_cell_still_writes_the_draft(tmp_path: Path) -> None:
    root = workspace(tmp_path / "t", '[correo]\npara = ["director@entidad.gov.co"]\n')
    small_file(root / "entrada" / "a.xlsx", entity="Alcaldía de\nSibundoy\r\n\t(Putumayo)")
    run = invoke("consolidar", "--carpeta", str(root), "--hoy", "2020-05-05")
    assert run.exit_code == 0, run.output
    result = invoke("correo", "--carpeta", str(root))
    no_internal_error(result)
    assert result.exit_code == 0, result.output
    draft = root / "salida" / OUT_NAME.replace(".xlsx", ".eml")
    raw = draft.read_bytes()
    subject = next(line for line in raw.split(b"\r\n") if line.startswith(b"Subject:"))
    assert b"Sibundoy (Putumayo)" in subject or b"=?utf-8?" in subject
    from email import message_from_bytes
    from email.policy import default

    message = message_from_bytes(raw, policy=default)
    assert message["Subject"] == (
        "Seguimiento PAAC – Alcaldía de Sibundoy (Putumayo) – corte 30/04/2020"
    )


# Figures multiplied without a word ----------------------------------------------------------


def _duplicate_sheet_entries(copies: int, *, same_name: bool) -> Any:
    def change(data: bytes) -> bytes:
        text = data.decode()
        entry = re.search(r"<sheet [^>]*/>", text)
        assert entry is not None
        first = entry.group(0)
        extra = "".join(
            first if same_name else first.replace('name="', f'name="copia{i} ')
            for i in range(copies - 1)
        )
        return text.replace(first, first + extra).encode()

    return change


@pytest.mark.parametrize(("copies", "same_name"), [(2, True), (2, False), (1000, False)])
def test_sheet_listed_twice_is_read_once(tmp_path: Path, copies: int, same_name: bool) -> None:
    source = rewrite_member(
        SIBUNDOY,
        tmp_path / "doble.xlsx",
        "xl/workbook.xml",
        _duplicate_sheet_entries(copies, same_name=same_name),
    )
    result = invoke("consolidar", str(source), "--salida", str(tmp_path / "out"))
    no_internal_error(result)
    assert result.exit_code == 0, result.output
    out = tmp_path / "out" / OUT_NAME
    assert len(activity_rows(out)) == SIBUNDOY_ACTIVITIES
    assert "hoja-repetida" in problem_codes(out)


def test_absurd_sheet_count_is_refused_not_read(tmp_path: Path) -> None:
    bad = rewrite_member(
        SIBUNDOY,
        tmp_path / "mil.xlsx",
        "xl/workbook.xml",
        _duplicate_sheet_entries(1001, same_name=False),
    )
    good = small_file(tmp_path / "bueno.xlsx")
    result = invoke("consolidar", str(bad), str(good), "--salida", str(tmp_path / "out"))
    no_internal_error(result)
    out = tmp_path / "out" / OUT_NAME
    assert len(activity_rows(out)) == 1
    assert "archivo-sospechoso" in problem_codes(out)


# The input folder ---------------------------------------------------------------------------

posix_only = pytest.mark.skipif(os.name != "posix", reason="FIFOs and byte file names: POSIX")


@posix_only
def test_odd_entries_in_the_inbox_are_named_and_never_stop_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox = tmp_path / "entrada"
    (inbox / "cerrada").mkdir(parents=True)
    small_file(inbox / "bueno.xlsx")
    small_file(inbox / "cerrada" / "oculto.xlsx")
    os.mkfifo(inbox / "x.xlsx")  # opening it would block forever
    (inbox / "bucle.xlsx").symlink_to("bucle.xlsx")
    (inbox / "roto.xlsx").symlink_to("no_existe.xlsx")
    bad_name = os.fsencode(inbox) + b"/a\xf1o.xlsx"  # cp1252 "año": not UTF-8
    small_file(Path(os.fsdecode(bad_name)))
    real_scandir = os.scandir

    def scandir(path: Any = ".") -> Any:  # a subfolder this user may not open
        if isinstance(path, (str, os.PathLike)) and Path(path).name == "cerrada":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = invoke("consolidar", str(inbox), "--salida", str(tmp_path / "out"), "-v")
    no_internal_error(result)
    assert result.exit_code == 0, result.output
    out = tmp_path / "out" / OUT_NAME
    assert len(activity_rows(out)) == 2  # bueno.xlsx and the badly named file
    codes = problem_codes(out)
    assert codes.count("entrada-no-leida") == 4  # FIFO, loop, broken link, closed folder
    assert "nombre-no-valido" in codes
    for name in ("x.xlsx", "bucle.xlsx", "roto.xlsx", "cerrada", "a\ufffdo.xlsx"):
        assert name in result.stderr
    for odd in ("x.xlsx", "bucle.xlsx", "roto.xlsx"):  # leave tmp_path to ordinary tools
        (inbox / odd).unlink()
    os.unlink(bad_name)


# Config and command line --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("config", "line", "key"),
    [
        ('[correo]\npara = ["a@entidad.gov.co\\nBcc: x@otro.com"]\n', 2, "para"),
        ('[correo]\n\ncc = ["a@entidad.gov.co\\u2028"]\n', 3, "cc"),
        ('entidad = "X"\n[correo]\nremitente = "a@entidad.gov.co\\r\\n"\n', 3, "remitente"),
        ('[correo]\npara = ["Director <jefe@otro.com>"]\n', 2, "para"),
        ('[correo]\npara = ["a@entidad.gov.co, b@entidad.gov.co"]\n', 2, "para"),
    ],
)
def test_header_breaking_config_is_exit_2_naming_line_and_key(
    tmp_path: Path, config: str, line: int, key: str
) -> None:
    root = workspace(tmp_path / "t", config)
    small_file(root / "entrada" / "a.xlsx")
    for command in ("consolidar", "correo"):
        result = invoke(command, "--carpeta", str(root))
        no_internal_error(result)
        assert result.exit_code == 2, result.output
        assert f"pac-excel.toml, línea {line}:" in result.stderr
        assert f"«{key}»" in result.stderr


@pytest.mark.parametrize("option", ["--para", "--cc"])
@pytest.mark.parametrize(
    "value", ["a@entidad.gov.co\r\nBcc: x@otro.com", "a@entidad.gov.co\u2028", "Jefe <a@b.co>"]
)
def test_header_breaking_address_options_are_exit_2(
    tmp_path: Path, option: str, value: str
) -> None:
    root = workspace(tmp_path / "t")
    small_file(root / "entrada" / "a.xlsx")
    assert invoke("consolidar", "--carpeta", str(root), "--hoy", "2020-05-05").exit_code == 0
    result = invoke("correo", "--carpeta", str(root), option, value)
    no_internal_error(result)
    assert result.exit_code == 2, result.output
    assert option in result.stderr


def test_deeply_nested_toml_is_exit_2(tmp_path: Path) -> None:
    root = workspace(tmp_path / "t", "entidad = 'X'\na = " + "[" * 5000 + "]" * 5000 + "\n")
    result = invoke("consolidar", "--carpeta", str(root))
    no_internal_error(result)
    assert result.exit_code == 2, result.output
    assert "pac-excel.toml, línea 2:" in result.stderr


def test_large_componentes_table_loads(tmp_path: Path) -> None:
    names = "".join(f'"Componente propio {i}" = {i % 6 + 1}\n' for i in range(10_000))
    root = workspace(tmp_path / "t", "[componentes]\n" + names + '"Rendición" = 12\n')
    result = invoke("consolidar", "--carpeta", str(root))
    no_internal_error(result)
    assert result.exit_code == 2, result.output
    assert "pac-excel.toml, línea 10002:" in result.stderr  # found without a rescan per key


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("9999-12-31", "el año 9999"),
        ("1900-01-01", "el año 1900"),
        ("20200430", "no es una fecha AAAA-MM-DD ni dd/mm/aaaa"),
        ("30/02/2020", "ese día no existe (febrero de 2020 tiene 29 días)"),
        ("2021-02-29", "ese día no existe (febrero de 2021 tiene 28 días)"),
        ("2020-13-01", "el mes 13 no existe"),
    ],
)
def test_bad_corte_is_exit_2_on_every_python(value: str, said: str) -> None:
    result = invoke("consolidar", str(SIBUNDOY), "--corte", value)
    no_internal_error(result)
    assert result.exit_code == 2, result.output
    assert said in result.stderr


def test_corte_in_colombian_form_and_unofficial_cut_note(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = invoke("consolidar", str(SIBUNDOY), "--corte", "30/04/2020", "--salida", str(out))
    assert result.exit_code == 0, result.output
    assert "Corte: 30/04/2020 (indicado con --corte)" in result.stdout
    assert "no es un corte oficial" not in result.stderr
    result = invoke("consolidar", str(SIBUNDOY), "--corte", "29/04/2020", "--salida", str(out))
    assert result.exit_code == 0, result.output
    assert "Nota: el 29/04/2020 no es un corte oficial" in result.stderr


def test_run_outside_a_working_folder_says_how_to_make_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke("consolidar")
    no_internal_error(result)
    assert result.exit_code == 2, result.output
    assert "no es una carpeta de trabajo de pac-excel" in result.stderr
    assert "pac-excel iniciar" in result.stderr
    assert "samples" not in result.output


# Faults -------------------------------------------------------------------------------------


def test_leftovers_of_a_killed_run_are_cleaned(tmp_path: Path) -> None:
    out = tmp_path / "out"
    parts = out / f".{OUT_NAME}.999999999.parts"
    parts.mkdir(parents=True)
    (parts / "sheet1.xml").write_text("<medio escrito")
    (out / f".{OUT_NAME}.999999999.tmp.xlsx").write_bytes(b"PK\x03\x04 a medias")
    # The publication's, written by a child process that was killed with the run.
    (out / ".seguimiento_oci_paac_2020-04-30.999999999.tmp.pdf").write_bytes(b"%PDF-1.4")
    (out / ".informe_seguimiento_paac_2020-04-30.999999999.tmp.docx").write_bytes(b"PK")
    other = out / "notas.txt"
    other.write_text("del usuario")
    result = invoke("consolidar", str(SIBUNDOY), "--salida", str(out))
    assert result.exit_code == 0, result.output
    left = sorted(p.name for p in out.iterdir() if p.name.startswith("."))
    assert left == []
    assert other.read_text() == "del usuario"


@pytest.mark.parametrize(
    ("error", "said"),
    [
        (OSError(28, "No space left on device"), "está lleno"),
        (OSError(30, "Read-only file system"), "es de solo lectura"),
        (PermissionError(13, "Permission denied"), "no tiene permiso para escribir"),
    ],
)
def test_disk_faults_are_named_in_spanish(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: OSError, said: str
) -> None:
    out = tmp_path / "out"
    out.mkdir()

    def failing(*_args: object) -> None:
        raise error

    monkeypatch.setattr("pac_excel.write.workbook.os.replace", failing)
    if isinstance(error, PermissionError):
        real_access = os.access

        def no_write(path: Any, mode: int, **kwargs: Any) -> bool:
            return mode != os.W_OK and real_access(path, mode, **kwargs)

        monkeypatch.setattr(os, "access", no_write)
    result = invoke("consolidar", str(SIBUNDOY), "--salida", str(out))
    no_internal_error(result)
    assert result.exit_code != 0
    assert said in result.stderr
    assert "¿está abierto en Excel?" not in result.stderr
    assert error.strerror is not None and error.strerror not in result.stderr
    assert "OSError" not in result.stderr and "Errno" not in result.stderr
    verbose = invoke("consolidar", str(SIBUNDOY), "--salida", str(out), "-v")
    assert error.strerror in verbose.stderr  # -v shows the system's words
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_month_day_cut_cell_is_said(tmp_path: Path) -> None:
    path = small_file(tmp_path / "md.xlsx", cut="04/30/2020")
    out = tmp_path / "out"
    result = invoke("consolidar", str(path), "--salida", str(out), "--hoy", "2020-05-05")
    assert result.exit_code == 0, result.output
    assert "fecha-no-valida" in problem_codes(out / OUT_NAME)
    book = openpyxl.load_workbook(out / OUT_NAME, read_only=True)
    text = " ".join(str(v) for r in book["Problemas"].values for v in r if v is not None)
    book.close()
    assert "La fecha de corte no se tomó: '04/30/2020' parece una fecha en formato mes/día" in text
