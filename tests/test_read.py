"""read: files are recognised by content, folders expanded, bad files become one Problem each."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import SEED_SAMPLE, make_workbook

from pac_excel.problems import Problem, Severity
from pac_excel.read import OLE_MAGIC, InputFile, collect_inputs, read_file, sniff


def read(path: Path) -> tuple[list[str], list[Problem]]:
    problems: list[Problem] = []
    sheets = read_file(InputFile(path, path.name), problems)
    return [s.sheet for s in sheets], problems


def test_reads_every_sheet(tmp_path: Path) -> None:
    path = make_workbook(tmp_path / "a.xlsx", {"Uno": [["x"]], "Dos": [["y"]]})
    assert read(path) == (["Uno", "Dos"], [])


def test_xlsx_named_xls_is_read_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "misnamed.xls"
    shutil.copy(SEED_SAMPLE, path)
    sheets, problems = read(path)
    assert sheets == ["Seguimiento"]
    assert [(p.code, p.severity) for p in problems] == [("extension-no-coincide", Severity.WARNING)]


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "archivo-vacio"),
        (b"<html><body><table></table></body></html>", "no-es-hoja-de-calculo"),
        (b"PK\x03\x04" + b"\x00" * 40, "archivo-incompleto"),
        (
            OLE_MAGIC + b"\x00" * 600 + "EncryptedPackage".encode("utf-16-le"),
            "protegido-con-contrasena",
        ),
    ],
)
def test_bad_files_are_one_error_each(tmp_path: Path, content: bytes, code: str) -> None:
    path = tmp_path / "malo.xlsx"
    path.write_bytes(content)
    sheets, problems = read(path)
    assert sheets == []
    assert [(p.file, p.code, p.severity) for p in problems] == [("malo.xlsx", code, Severity.ERROR)]
    assert "corrupto" not in problems[0].message.lower()


def test_truncated_xlsx(tmp_path: Path) -> None:
    data = SEED_SAMPLE.read_bytes()
    path = tmp_path / "cortado.xlsx"
    path.write_bytes(data[: len(data) // 2])
    _, problems = read(path)
    assert [p.code for p in problems] == ["archivo-incompleto"]


def test_collect_inputs_folder(tmp_path: Path) -> None:
    make_workbook(tmp_path / "b.xlsx", {"S": [["x"]]})
    (tmp_path / "oficina").mkdir()
    make_workbook(tmp_path / "oficina" / "a.xlsx", {"S": [["x"]]})
    (tmp_path / "~$b.xlsx").write_bytes(b"lock")
    (tmp_path / "notas.txt").write_text("hola")
    problems: list[Problem] = []
    found = collect_inputs([tmp_path, tmp_path / "nada.xlsx"], problems)
    assert [f.name for f in found] == ["b.xlsx", "oficina/a.xlsx"]
    assert sorted((p.file, p.code) for p in problems) == [
        (str(tmp_path / "nada.xlsx"), "entrada-no-existe"),
        ("notas.txt", "archivo-ignorado"),
        ("~$b.xlsx", "archivo-ignorado"),
    ]


def test_sniff_kinds() -> None:
    assert sniff(SEED_SAMPLE) == "xlsx"


def test_inputs_are_not_modified(tmp_path: Path) -> None:
    path = tmp_path / "s.xlsx"
    shutil.copy2(SEED_SAMPLE, path)
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    read(path)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
