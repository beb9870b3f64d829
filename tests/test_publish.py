"""The publication files, read back as a reader would: the PDF's text, the .docx's paragraphs."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import docx
import pandas as pd
import pypdf
import pytest
from conftest import SAMPLES

from pac_excel import consolidate
from pac_excel.publish import Signer, publication_paths, publish
from pac_excel.result import Consolidation

SIGNERS = [
    Signer.parse("Elaboró", "Ana Pérez – Profesional OCI"),
    Signer("Revisó"),
    Signer.parse("Aprobó", "Luis Gómez - Jefe de Control Interno"),
]


@pytest.fixture(scope="module")
def samples_result() -> Consolidation:
    return consolidate([SAMPLES], output_dir=None, today=dt.date(2020, 5, 5))


@pytest.fixture(scope="module")
def published(samples_result: Consolidation, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pub")
    publish(samples_result, out, signers=SIGNERS)
    return out


def pdf_pages(folder: Path) -> list[str]:
    reader = pypdf.PdfReader(folder / "seguimiento_oci_paac_2020-04-30.pdf")
    return [" ".join((page.extract_text() or "").split()) for page in reader.pages]


def test_files_are_named_like_the_workbook(published: Path) -> None:
    names = sorted(p.name for p in published.iterdir())
    assert names == [
        "informe_seguimiento_paac_2020-04-30.docx",
        "seguimiento_oci_paac_2020-04-30.pdf",
    ]


def test_pdf_first_page_is_the_comite_summary(published: Path) -> None:
    first = pdf_pages(published)[0]
    assert "Resumen para el Comité Institucional de Coordinación de Control Interno" in first
    assert "Alcaldía Municipal de Sibundoy: total del plan" in first
    assert "GOBERNACIÓN DEL PUTUMAYO: total del plan" in first
    assert "Áreas con más actividades vencidas" in first
    assert "Acciones acordadas por el Comité" in first


def test_every_pdf_page_names_entity_cut_and_page(published: Path) -> None:
    pages = pdf_pages(published)
    assert len(pages) > 3
    for number, text in enumerate(pages, 1):
        assert f"Página {number} de {len(pages)}" in text
        assert "corte 30/04/2020" in text
    assert all(
        "Alcaldía Municipal de Sibundoy" in t or "GOBERNACIÓN DEL PUTUMAYO" in t for t in pages[1:]
    )


def test_pdf_form_keeps_plan_total_observations_and_signatures(published: Path) -> None:
    text = " ".join(pdf_pages(published))
    assert "Formato Seguimiento al Plan Anticorrupción y de Atención al Ciudadano (PAAC)" in text
    # Sibundoy: the component means 62.5, 12.5, 41.5, 50 and 52.7 % average to 43.8 %.
    assert "Total del plan: el PAAC presenta un avance del 43,8 %" in text
    assert "El 27/03/2020 se socializó la política" in text  # the area's own report
    assert "Vencida Vencida; Sin avance" in text  # estado al corte and its alerts
    assert "Ana Pérez" in text and "Profesional OCI" in text
    assert "Jefe de Control Interno" in text
    assert text.count("______________________________") >= 6  # three lines per entity


def test_pdf_conclusions_name_the_components_that_fall_short(published: Path) -> None:
    text = " ".join(pdf_pages(published))
    assert (
        "No alcanzan el cumplimiento esperado (semáforo rojo, menos del 60 %): 4. Mecanismos "
        "para Mejorar la Atención al Ciudadano" in text
    )
    assert "Se recomienda a la Secretaría de Planeación culminar las 2 actividades vencidas" in text


def test_pdf_metadata_and_embedded_fonts(published: Path) -> None:
    reader = pypdf.PdfReader(published / "seguimiento_oci_paac_2020-04-30.pdf")
    meta = reader.metadata
    assert meta is not None
    assert meta.title == "Seguimiento OCI al PAAC – corte 30/04/2020"
    assert meta.author is not None and meta.author.startswith("Oficina de Control Interno")
    fonts: dict[str, Any] = {}
    for page in reader.pages:
        resources: Any = page["/Resources"]
        for font in resources["/Font"].values():
            obj = font.get_object()
            fonts[obj["/BaseFont"]] = obj
    assert fonts
    for name, font in fonts.items():
        descriptor = font["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, f"{name} is not embedded"


def test_report_docx_sections_results_and_signatures(published: Path) -> None:
    document = docx.Document(str(published / "informe_seguimiento_paac_2020-04-30.docx"))
    paragraphs = [p.text for p in document.paragraphs]
    headings = [
        p.text
        for p in document.paragraphs
        if p.style is not None and str(p.style.name).startswith("Heading 1")
    ]
    assert headings == [
        "1. Objetivo",
        "2. Alcance",
        "3. Metodología",
        "4. Resultados por componente",
        "5. Alertas",
        "6. Conclusiones",
        "7. Recomendaciones",
        "Firmas",
    ]
    results = document.tables[0]
    rows = [[c.text for c in row.cells] for row in results.rows]
    assert rows[0][0] == "Componente" and rows[0][-1] == "Semáforo"
    assert rows[-1][:5] == ["Total del plan", "14", "4", "3", "43,8 %"]
    assert any(r[0].startswith("4. Mecanismos") and r[-1] == "Rojo" for r in rows)
    assert any("Se recomienda a la Secretaría de Planeación" in p for p in paragraphs)
    assert any("semáforo rojo" in p and "4. Mecanismos" in p for p in paragraphs)
    signatures = document.tables[-1]
    cells = [c.text for c in signatures.rows[0].cells]
    assert "Ana Pérez" in cells[0] and "Nombre:" in cells[1] and "Luis Gómez" in cells[2]
    assert document.core_properties.title == "Informe de seguimiento al PAAC – corte 30/04/2020"


def test_without_signers_there_are_lines_to_sign(
    samples_result: Consolidation, tmp_path: Path
) -> None:
    publish(samples_result, tmp_path)
    text = " ".join(pdf_pages(tmp_path))
    assert "Elaboró:" in text and "Revisó:" in text and "Aprobó:" in text
    assert "Nombre:" in text and "Cargo:" in text


def test_rewrite_replaces_and_leaves_no_temporary_file(
    samples_result: Consolidation, tmp_path: Path
) -> None:
    pdf, report = publication_paths(tmp_path, samples_result.cutoff)
    pdf.write_bytes(b"old")
    publish(samples_result, tmp_path)
    assert pdf.read_bytes().startswith(b"%PDF")
    assert report.stat().st_size > 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([pdf.name, report.name])


def test_nothing_to_publish_writes_nothing(samples_result: Consolidation, tmp_path: Path) -> None:
    empty = Consolidation(
        activities=samples_result.activities.iloc[0:0],
        deliveries=samples_result.deliveries.iloc[0:0],
        alerts=samples_result.alerts.iloc[0:0],
        problems=[],
        cutoff=samples_result.cutoff,
        cutoff_source="--corte",
    )
    assert publish(empty, tmp_path) == []
    assert list(tmp_path.iterdir()) == []


def test_signer_parse() -> None:
    assert Signer.parse("Revisó", "María Ruiz – Jefe OCI") == Signer(
        "Revisó", "María Ruiz", "Jefe OCI"
    )
    assert Signer.parse("Revisó", "María Ruiz") == Signer("Revisó", "María Ruiz", "")


# Through consolidar: the files beside the workbook, signed from pac-excel.toml -------------


def test_consolidar_writes_pdf_and_report_beside_the_workbook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from pac_excel.cli import cli

    shutil.copytree(SAMPLES, tmp_path / "entrada")
    (tmp_path / "salida").mkdir()
    (tmp_path / "pac-excel.toml").write_text(
        '[firmas]\nelaboro = "Ana Pérez – Profesional OCI"\n'
        'aprobo = "Luis Gómez – Jefe de Control Interno"\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["consolidar", "--hoy", "2020-05-05"])
    assert result.exit_code == 0, result.output
    assert "PDF para publicar: salida/seguimiento_oci_paac_2020-04-30.pdf" in result.stdout
    assert "Informe para editar y firmar: salida/informe_seguimiento_paac_2020-04-30.docx" in (
        result.stdout
    )
    text = " ".join(pdf_pages(tmp_path / "salida"))
    assert "Ana Pérez" in text and "Jefe de Control Interno" in text
    assert "Revisó:" in text  # the role the config left out stays, blank, to sign by hand
    document = docx.Document(str(tmp_path / "salida" / "informe_seguimiento_paac_2020-04-30.docx"))
    cells = [c.text for c in document.tables[-1].rows[0].cells]
    assert cells[0].startswith("Elaboró:") and "Ana Pérez" in cells[0]
    assert cells[1].startswith("Revisó:") and "Nombre:" in cells[1]
    assert cells[2].startswith("Aprobó:") and "Luis Gómez" in cells[2]


def test_firmas_in_the_config(tmp_path: Path) -> None:
    from pac_excel.routine.config import ConfigError, load_config

    path = tmp_path / "pac-excel.toml"
    path.write_text('[firmas]\nreviso = "María Ruiz – Jefe OCI"\n', encoding="utf-8")
    assert load_config(path).signatures == {"Revisó": "María Ruiz – Jefe OCI"}
    path.write_text('[firmas]\nrevisar = "María"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="línea 2.*«revisar».*¿Quiso decir «reviso»?"):
        load_config(path)


def test_activities_without_a_component_are_published_under_sin_componente(
    samples_result: Consolidation, tmp_path: Path
) -> None:
    """An activity whose component could not be told is still on the form (it was dropped
    from the PDF and the report, though the Comité page counted it)."""
    import dataclasses

    acts = samples_result.activities.copy()
    putumayo = acts["entity"].astype("string").str.contains("PUTUMAYO", na=False)
    target = acts.index[putumayo][0]
    activity = str(acts.at[target, "activity"])
    acts.loc[target, "component"] = pd.NA
    acts.loc[target, "component_label"] = pd.NA
    publish(dataclasses.replace(samples_result, activities=acts), tmp_path)
    pages = pdf_pages(tmp_path)
    form = " ".join(pages[1:])
    assert "Sin componente" in form
    assert " ".join(activity.split())[:40] in form
    report = docx.Document(str(next(tmp_path.glob("*.docx"))))
    cells = " ".join(c.text for t in report.tables for row in t.rows for c in row.cells)
    assert "Sin componente" in cells


def test_no_cumplimiento_is_a_dash_beside_the_reason(published: Path) -> None:
    """A component with nothing due shows "—" and "Sin programación", never "Sin dato" beside
    "Sin programación" (the figure and its semáforo cell must not contradict each other)."""
    text = " ".join(pdf_pages(published))
    assert "Sin dato Sin programación" not in text
    assert "— Sin programación" in text
    report = docx.Document(str(next(published.glob("*.docx"))))
    rows = [[c.text for c in row.cells] for t in report.tables for row in t.rows]
    results = [r for r in rows if len(r) == 7 and r[0] != "Componente"]
    nothing_due = [r for r in results if r[6] == "Sin programación"]
    assert nothing_due, "the samples have components with nothing due"
    assert all(r[5] == "—" for r in nothing_due)
    assert all(r[5] != "Sin dato" for r in results if r[6] in ("Rojo", "Amarillo", "Verde"))
