"""Past FORMS_MAX entities the workbook has no Seguimiento OCI (the consolidated report's
workbook, as it has no Por responsable); --todos-los-formularios keeps it. Read back as a
user opens it (openpyxl) and as Excel resolves it (the names and links in the zip)."""

from __future__ import annotations

import datetime as dt
import shutil
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from pac_excel import consolidate
from pac_excel.publish.content import FORMS_MAX, entity_count
from pac_excel.write.workbook import SHEET_FORM, SHEET_OWNERS, SHEET_SUMMARY

sys.path.insert(0, str(Path(__file__).resolve().parent / "bench"))
from make_office_files import generate  # the benchmark's generator: tests/bench is no package

TODAY = dt.date(2020, 5, 5)
NOTE = "este libro es el del informe consolidado"


@pytest.fixture(scope="module")
def offices(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    """FORMS_MAX and FORMS_MAX + 1 offices of as many entities: the first file of each
    entity (the generator repeats some), in the DAFP layout (it names its entity in an
    «Entidad:» cell; the other layout only in a letterhead every few rows)."""
    base = tmp_path_factory.mktemp("form_scale")
    by_entity: dict[str, Path] = {}
    for path in generate(base / "todos", 6 * FORMS_MAX, 5, seed=3)[1::2]:
        entity = path.stem.split("_seguimiento_paac_")[1].rsplit("_", 1)[0]
        by_entity.setdefault(entity, path)
    files = list(by_entity.values())[: FORMS_MAX + 1]
    assert len(files) == FORMS_MAX + 1
    folders = {}
    for n in (FORMS_MAX, FORMS_MAX + 1):
        folders[n] = base / f"entidades_{n}"
        folders[n].mkdir()
        for path in files[:n]:
            shutil.copy(path, folders[n] / path.name)
    return folders


def _run(folder: Path, out: Path, all_forms: bool = False) -> Path:
    result = consolidate(
        [folder], output_dir=out, today=TODAY, history_store=False, publish=False,
        all_forms=all_forms,
    )  # fmt: skip
    assert result.output is not None
    assert entity_count(result) == len(list(folder.glob("*.xlsx")))
    return result.output


def _texts(ws: Worksheet) -> list[str]:
    return [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]


def _names_and_links(path: Path) -> str:
    """Everything that names a sheet for Excel: defined names (print areas and titles), the
    sheet list of the document properties, every sheet's hyperlinks."""
    book = openpyxl.load_workbook(path)
    links = [
        c.hyperlink.location or ""
        for ws in book.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.hyperlink
    ]
    with zipfile.ZipFile(path) as archive:
        parts = [archive.read(n).decode() for n in ("xl/workbook.xml", "docProps/app.xml")]
    return " ".join([*parts, *links])


def test_forms_max_entities_keep_the_form(offices: dict[int, Path], tmp_path: Path) -> None:
    path = _run(offices[FORMS_MAX], tmp_path)
    book = openpyxl.load_workbook(path)
    assert SHEET_FORM in book.sheetnames and SHEET_OWNERS in book.sheetnames
    assert sum(t == "Entidad:" for t in _texts(book[SHEET_FORM])) == FORMS_MAX
    assert f"'{SHEET_FORM}'!" in _names_and_links(path)  # its print area and titles
    assert not any(NOTE in t for t in _texts(book[SHEET_SUMMARY]))


def test_one_more_entity_drops_the_form_and_says_why(
    offices: dict[int, Path], tmp_path: Path
) -> None:
    path = _run(offices[FORMS_MAX + 1], tmp_path)
    book = openpyxl.load_workbook(path)
    assert SHEET_FORM not in book.sheetnames and SHEET_OWNERS not in book.sheetnames
    assert book.sheetnames == [
        "Resumen", "Actividades", "Cronograma", "Alertas", "Problemas",
    ]  # fmt: skip
    assert SHEET_FORM not in _names_and_links(path)
    notes = [t for t in _texts(book[SHEET_SUMMARY]) if NOTE in t]
    assert len(notes) == 1
    note = notes[0]
    assert f"Con {FORMS_MAX + 1} entidades (más de {FORMS_MAX})" in note
    assert f"«{SHEET_FORM}»" in note and f"«{SHEET_OWNERS}»" in note
    assert "hoja «Actividades»" in note
    assert "pac-excel consolidar --todos-los-formularios" in note
    # Every activity is still in Actividades.
    activities = book["Actividades"]
    assert activities.max_row - 1 == 5 * (FORMS_MAX + 1)


def test_every_form_keeps_the_sheet(offices: dict[int, Path], tmp_path: Path) -> None:
    path = _run(offices[FORMS_MAX + 1], tmp_path, all_forms=True)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames.index(SHEET_FORM) == 2
    assert sum(t == "Entidad:" for t in _texts(book[SHEET_FORM])) == FORMS_MAX + 1
    assert f"'{SHEET_FORM}'!" in _names_and_links(path)
    assert not any(NOTE in t for t in _texts(book[SHEET_SUMMARY]))
