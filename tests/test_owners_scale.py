"""Past FORMS_MAX entities the workbook has no Por responsable (the consolidated report's
workbook); --todos-los-formularios keeps it. Read back with openpyxl as a user opens it."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.worksheet.worksheet import Worksheet

from pac_excel import consolidate
from pac_excel.cli import cli
from pac_excel.publish.content import FORMS_MAX, entity_count
from pac_excel.write.workbook import SHEET_OWNERS, SHEET_SUMMARY

sys.path.insert(0, str(Path(__file__).resolve().parent / "bench"))
from make_office_files import generate  # the benchmark's generator: tests/bench is no package

TODAY = dt.date(2020, 5, 5)


@pytest.fixture(scope="module")
def offices(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("owners_scale") / "entrada"
    generate(folder, 24, 6, seed=7)
    return folder


def _book(offices: Path, out: Path, all_forms: bool) -> openpyxl.Workbook:
    result = consolidate(
        [offices], output_dir=out, today=TODAY, history_store=False, publish=False,
        all_forms=all_forms,
    )  # fmt: skip
    assert entity_count(result) > FORMS_MAX
    assert result.output is not None
    return openpyxl.load_workbook(result.output)


def _texts(ws: Worksheet) -> list[str]:
    return [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]


def test_many_entities_have_no_owner_sheet_nor_area_links(offices: Path, tmp_path: Path) -> None:
    book = _book(offices, tmp_path, all_forms=False)
    assert SHEET_OWNERS not in book.sheetnames
    summary = _texts(book[SHEET_SUMMARY])
    assert "Avance por área responsable" in summary  # the area table stays
    assert "Ver área" not in summary and "Detalle" not in summary
    assert "Una actividad con varias áreas cuenta en cada una." in summary
    links = [c.hyperlink for row in book[SHEET_SUMMARY].iter_rows() for c in row if c.hyperlink]
    assert not any(SHEET_OWNERS in (h.location or "") for h in links)


def test_every_form_keeps_the_owner_sheet_and_its_links(offices: Path, tmp_path: Path) -> None:
    book = _book(offices, tmp_path, all_forms=True)
    assert SHEET_OWNERS in book.sheetnames
    summary = book[SHEET_SUMMARY]
    links = [c for row in summary.iter_rows() for c in row if c.value == "Ver área"]
    assert links and all(
        c.hyperlink and SHEET_OWNERS in (c.hyperlink.location or "") for c in links
    )
    assert "Detalle" in _texts(summary)


def test_the_terminal_says_the_workbook_has_no_owner_sheet(offices: Path, tmp_path: Path) -> None:
    args = ["consolidar", str(offices), "--salida", str(tmp_path), "--hoy", "2020-05-05"]
    out = CliRunner().invoke(cli, [*args, "--sin-publicacion"])
    assert out.exit_code in (0, 1), out.output
    assert "el libro no lleva las hojas «Seguimiento OCI»" in out.output
    assert "ni «Por responsable»" in out.output
    assert "--todos-los-formularios" in out.output
    published = CliRunner().invoke(cli, args)
    assert "y el libro no lleva las hojas «Seguimiento OCI»" in published.output
    kept = CliRunner().invoke(cli, [*args, "--todos-los-formularios", "--sin-publicacion"])
    assert kept.exit_code in (0, 1), kept.output
    assert "Por responsable" not in kept.output
    book = openpyxl.load_workbook(next(tmp_path.glob("*.xlsx")))
    assert SHEET_OWNERS in book.sheetnames  # the second run, with every form
