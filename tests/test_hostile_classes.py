"""Issue 15: nothing the inbox, the disk or the config holds may stop a run, hang it, or double
a figure. One test per class of hostile input, each through the command line a user runs."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import SAMPLES, make_workbook

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


def workspace(root: Path, config: str = "") -> Path:
    (root / "entrada").mkdir(parents=True)
    (root / "salida").mkdir()
    (root / "pac-excel.toml").write_text(config, encoding="utf-8")
    return root


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
    small_file(root / "entrada" / "a.xlsx", entity="Alcaldía de\nSibundoy\u2028(Putumayo)")
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
