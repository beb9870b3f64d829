"""Evidence links, the evidence folder and the contradiction alerts, read back from the workbook.

The fixture (tests/evidence_fixtures.py) is a real follow-up written by openpyxl with cell
hyperlinks, an address in a text, an ``entrada/evidencias/`` folder per area and per code,
and each contradiction; the workbook is read back with openpyxl as a user would see it.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from evidence_fixtures import CUT, DRIVE, LINKED_ROW, PUBLISHED, SHAREPOINT, build_folder
from layout_fixtures import build

from pac_excel import consolidate
from pac_excel.check.labels import ALERTS, DONE_UNVERIFIED
from pac_excel.problems import Problem
from pac_excel.read.formats.xlsx_links import sheet_links
from pac_excel.read.inputs import collect_inputs
from pac_excel.read.sheets import InputFile, read_file
from pac_excel.result import Consolidation
from pac_excel.routine.config import load_config

WORKBOOK = "seguimiento_paac_2020-04-30.xlsx"


def consolidated(root: Path) -> Consolidation:
    config = load_config(root / "pac-excel.toml")
    return consolidate(
        [root / "entrada"], output_dir=root / "salida", config=config, history_store=False
    )


def table(path: Path, sheet: str) -> list[dict[str, Any]]:
    """A sheet with its header in row 1 as one dict per data row."""
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    rows = list(wb[sheet].iter_rows(values_only=True))
    wb.close()
    header = [str(h) for h in rows[0]]
    return [dict(zip(header, r, strict=False)) for r in rows[1:]]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = build_folder(tmp_path_factory.mktemp("evidencias"))
    consolidated(root)
    return root


@pytest.fixture(scope="module")
def activities(folder: Path) -> dict[str, dict[str, Any]]:
    """Actividades by the activity's text."""
    return {str(r["Actividad"]): r for r in table(folder / "salida" / WORKBOOK, "Actividades")}


# Reading the links ---------------------------------------------------------------------------


def test_cell_hyperlinks_come_from_the_sheet_xml(folder: Path) -> None:
    path = folder / "entrada" / "seguimiento_alcaldia_2020.xlsx"
    problems: list[Problem] = []
    (sheet,) = read_file(InputFile(path, path.name), problems)
    assert sheet.links == {(LINKED_ROW, 9): DRIVE, (LINKED_ROW + 3, 7): SHAREPOINT}
    assert sheet.rows[LINKED_ROW - 1][8] == "Ver soporte"  # the text is still the cell's


def test_only_web_addresses_are_kept_and_a_broken_list_loses_no_data(tmp_path: Path) -> None:
    sheet = (
        b'<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData>'
        b'<hyperlinks><hyperlink ref="A1" r:id="rId1"/><hyperlink ref="B1:C2" r:id="rId2"/>'
        b'<hyperlink ref="D1" r:id="rId3"/><hyperlink ref="E1" location="Hoja2!A1"/>'
        b"</hyperlinks></worksheet>"
    )
    rels = (
        b'<Relationships><Relationship Id="rId1" Type="x/hyperlink" Target="file:///etc/passwd"'
        b' TargetMode="External"/><Relationship Id="rId2" Type="x/hyperlink" '
        b'Target="https://a.gov.co/x?a=1&amp;b=2" TargetMode="External"/>'
        b'<Relationship Id="rId3" Type="x/hyperlink" Target="javascript:alert(1)"/>'
        b"</Relationships>"
    )
    links = sheet_links(sheet, rels, "sheet1.xml")
    assert links == {
        cell: "https://a.gov.co/x?a=1&b=2" for cell in [(1, 2), (1, 3), (2, 2), (2, 3)]
    }
    broken = sheet.replace(b"</hyperlinks>", b"<hyperlink ref='A1'</hyperlinks>")
    assert sheet_links(broken, rels, "sheet1.xml") == {}


def test_a_dtd_in_the_links_part_refuses_the_file(tmp_path: Path) -> None:
    path = build(tmp_path / "f.xlsx", {"S": [["Actividad", "% avance"], ["Publicar", "50%"]]})
    rebuilt = tmp_path / "dtd.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(rebuilt, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.writestr(
            "xl/worksheets/_rels/sheet1.xml.rels",
            '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x "y">]><Relationships/>',
        )
    problems: list[Problem] = []
    assert read_file(InputFile(rebuilt, rebuilt.name), problems) == []
    assert [p.code for p in problems] == ["archivo-sospechoso"]


def test_the_evidence_folder_is_not_read_as_follow_ups(folder: Path) -> None:
    problems: list[Problem] = []
    items = collect_inputs([folder / "entrada"], problems)
    assert [i.name for i in items] == ["seguimiento_alcaldia_2020.xlsx"]
    assert problems == []


# What the workbook shows ---------------------------------------------------------------------


def test_evidencias_column_shows_links_and_addresses_as_text(
    folder: Path, activities: dict[str, dict[str, Any]]
) -> None:
    assert activities["Socializar la política de riesgos"]["Evidencias"] == DRIVE
    assert activities["Publicar el mapa de riesgos de corrupción"]["Evidencias"] == PUBLISHED
    assert activities["Habilitar el pago en línea"]["Evidencias"] == SHAREPOINT
    assert activities["Divulgar los canales de atención"]["Evidencias"] is None
    # Inert: Actividades (sheet2) has no link, and no part links outside the workbook.
    with zipfile.ZipFile(folder / "salida" / WORKBOOK) as book:
        assert b"<hyperlink" not in book.read("xl/worksheets/sheet2.xml")
        rels = [book.read(n) for n in book.namelist() if n.endswith(".rels")]
        assert rels and not any(b"External" in r or b"drive.google" in r for r in rels)


EXPECTED_ALERTS = {
    "Socializar la política de riesgos": set(),
    "Publicar el mapa de riesgos de corrupción": {"fecha-posterior-al-corte"},
    "Racionalizar el trámite de paz y salvo": {"sin-soporte", "avance-sin-evidencia"},
    "Habilitar el pago en línea": {"proxima-a-vencer"},  # supported by evidencias/Actividad 2.2
    "Realizar la audiencia de rendición": {"vencida", "sin-avance", "cero-con-ejecucion"},
    "Publicar los informes de gestión": {"avance-mayor-al-programado"},
    "Publicar el informe de PQRSD": {"fecha-posterior-al-corte"},
    "Divulgar los canales de atención": {"proxima-a-vencer", "sin-soporte"},
}


def test_actividades_carries_each_alert_and_marks_the_doubtful_cumplidas(
    activities: dict[str, dict[str, Any]],
) -> None:
    for activity, codes in EXPECTED_ALERTS.items():
        shown = activities[activity]["Alertas"]
        labels = set(str(shown).split("; ")) if shown else set()
        assert labels == {ALERTS[c] for c in codes}, activity
    estados = {a: r["Estado"] for a, r in activities.items()}
    assert estados["Socializar la política de riesgos"] == "Cumplida"
    for doubtful in (
        "Publicar el mapa de riesgos de corrupción",
        "Racionalizar el trámite de paz y salvo",
        "Publicar los informes de gestión",
        "Publicar el informe de PQRSD",
    ):
        assert estados[doubtful] == DONE_UNVERIFIED, doubtful
    assert estados["Realizar la audiencia de rendición"] == "Vencida"


ALERT_DETAILS = (
    ("Racionalizar el trámite de paz y salvo", "avance-sin-evidencia", "«no se evidencia»"),
    ("Realizar la audiencia de rendición", "cero-con-ejecucion", "«se realizo»"),
    ("Publicar los informes de gestión", "avance-mayor-al-programado", "solo hay 2 entregas"),
    ("Publicar el informe de PQRSD", "fecha-posterior-al-corte", "12/05/2020, después del"),
    ("Publicar el mapa de riesgos de corrupción", "fecha-posterior-al-corte", "(15/05/2020)"),
)  # fmt: skip


def test_alertas_lists_each_new_alert_with_its_detail(folder: Path) -> None:
    rows = table(folder / "salida" / WORKBOOK, "Alertas")
    by_alert = {(r["Actividad"], r["Alerta"]): str(r["Detalle"]) for r in rows}
    for activity, code, said in ALERT_DETAILS:
        assert said in by_alert[(activity, ALERTS[code])], (activity, code)
    unsupported = sorted(a for a, alert in by_alert if alert == ALERTS["sin-soporte"])
    assert unsupported == [
        "Divulgar los canales de atención",
        "Racionalizar el trámite de paz y salvo",
    ]


def test_seguimiento_oci_form_shows_the_alert(folder: Path) -> None:
    wb = openpyxl.load_workbook(folder / "salida" / WORKBOOK, read_only=True, data_only=True)
    text = "\n".join(
        str(v) for row in wb["Seguimiento OCI"].iter_rows(values_only=True) for v in row if v
    )
    wb.close()
    assert "Racionalizar el trámite de paz y salvo" in text  # the activity is on the form
    assert ALERTS["avance-sin-evidencia"] in text


def test_without_an_evidence_folder_nothing_is_sin_soporte(tmp_path: Path) -> None:
    root = build_folder(tmp_path, with_evidence=False)
    result = consolidated(root)
    acts = result.activities
    assert not acts["alert_sin_soporte"].any()
    assert acts["alert_avance_sin_evidencia"].sum() == 1  # contradictions do not need it
    assert result.cutoff == CUT
    assert ALERTS["sin-soporte"] not in set(
        table(root / "salida" / WORKBOOK, "Alertas")[0].values()
    )


def test_negations_and_plans_are_not_contradictions(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["FECHA CORTE: 30/04/2020"],
        ["Actividad", "Responsable", "Fecha programada", "% avance", "Observaciones"],
        ["Audiencia", "OCI", "31/03/2020", "0%", "No se realizó la audiencia."],
        ["Informe", "OCI", "30/06/2020", "0%", "Programado para el 30/06/2020."],
        ["Mapa", "OCI", "31/01/2020", "100%", "Publicado el 30/01/2020."],
        ["Acta", "OCI", "31/03/2020", "100%", "Se verificó el acta: cumple."],
    ]
    (tmp_path / "entrada").mkdir()
    build(tmp_path / "entrada" / "f.xlsx", {"S": rows})
    result = consolidate([tmp_path / "entrada"], output_dir=None, history_store=False)
    contradictions = [
        "alert_avance_sin_evidencia",
        "alert_cero_con_ejecucion",
        "alert_avance_mayor_al_programado",
        "alert_fecha_posterior_al_corte",
    ]
    assert not result.activities[contradictions].any().any()
    assert not result.activities["alert_sin_soporte"].any()  # no evidencias/ folder
