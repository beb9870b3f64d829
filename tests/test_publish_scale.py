"""The publication of a run over many entities: the consolidated report, read back as a reader
would (the PDF's text with pypdf, the .docx with python-docx, the terminal with CliRunner)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
import sys
from pathlib import Path
from typing import Any

import docx
import pandas as pd
import pypdf
import pytest
from click.testing import CliRunner, Result
from conftest import ROOT, SAMPLES

from pac_excel import consolidate
from pac_excel.check.figures import component_summary
from pac_excel.cli import cli
from pac_excel.publish import FORMS_MAX, is_consolidated, publish
from pac_excel.publish import content as content_module
from pac_excel.publish import pdf as pdf_module
from pac_excel.publish.content import EntityReport, entity_reports, pct
from pac_excel.result import Consolidation

sys.path.insert(0, str(Path(__file__).resolve().parent / "bench"))
from make_office_files import generate  # the benchmark's generator: tests/bench is no package

PDF = "seguimiento_oci_paac_2020-04-30.pdf"
DOCX = "informe_seguimiento_paac_2020-04-30.docx"
ENTITY_TITLE = "Avance y cumplimiento por entidad (promedio de sus componentes)"
REPORT_TITLE = "Informe consolidado de seguimiento al PAAC"
NOTE = "el PDF y el .docx son el informe consolidado"


def _consolidar(inputs: Path, out: Path, *extra: str) -> Result:
    args = ["consolidar", str(inputs), "--salida", str(out), "--hoy", "2020-05-05", *extra]
    return CliRunner().invoke(cli, args)


@pytest.fixture(scope="module")
def offices(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """24 one-entity office files of both layouts (a few entity names repeat, as in a real
    department: the run counts entities, not files)."""
    folder = tmp_path_factory.mktemp("scale") / "entrada"
    generate(folder, 24, 8, seed=7)
    return folder


@pytest.fixture(scope="module")
def run(offices: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Result, Path]:
    out = tmp_path_factory.mktemp("scale_out")
    return _consolidar(offices, out), out


@pytest.fixture(scope="module")
def result(offices: Path) -> Consolidation:
    return consolidate([offices], output_dir=None, today=dt.date(2020, 5, 5), history_store=False)


@pytest.fixture(scope="module")
def reports(result: Consolidation) -> list[EntityReport]:
    return entity_reports(result)


def _pages(path: Path) -> list[str]:
    reader = pypdf.PdfReader(path)
    return [" ".join((page.extract_text() or "").split()) for page in reader.pages]


def _activity_texts(result: Consolidation) -> list[str]:
    """Every activity's own texts (activity, what the area did, the OCI's observation), long
    enough that finding one in a document can only mean it was printed there."""
    texts: list[str] = []
    for column in ("activity", "done", "observations"):
        values = result.activities[column].dropna().astype(str)
        texts += [" ".join(v.split()) for v in values if len(v) > 30]
    assert len(texts) > 100
    return texts


def test_the_run_has_more_entities_than_forms_max(
    result: Consolidation, reports: list[EntityReport]
) -> None:
    assert len(reports) > FORMS_MAX
    assert is_consolidated(result)
    assert not is_consolidated(result, all_forms=True)


def test_forms_max_is_the_limit(result: Consolidation) -> None:
    """Exactly FORMS_MAX entities still publish every form; one more is the consolidated."""
    acts = result.activities
    for n, expected in ((FORMS_MAX, False), (FORMS_MAX + 1, True)):
        names = pd.Series([f"Entidad {i % n}" for i in range(len(acts))], index=acts.index)
        renamed = acts.assign(entity=names.astype("string"))
        assert is_consolidated(dataclasses.replace(result, activities=renamed)) is expected


def test_pdf_page_one_is_the_consolidated_comite_page(
    run: tuple[Result, Path], reports: list[EntityReport]
) -> None:
    cli_result, out = run
    assert cli_result.exit_code == 0, cli_result.output
    first = _pages(out / PDF)[0]
    n = len(reports)
    assert "Resumen para el Comité Institucional de Coordinación de Control Interno" in first
    assert f"consolidado de las {n} entidades" in first
    assert "Áreas con más actividades vencidas" in first
    assert "Acciones acordadas por el Comité" in first


def test_component_table_is_computed_over_every_activity(
    run: tuple[Result, Path], result: Consolidation
) -> None:
    """Each component's line: check.figures' summary of all the run's activities at once."""
    first = _pages(run[1] / PDF)[0]
    summary = component_summary(result.activities, result.thresholds)
    assert len(summary) >= 5
    for comp in summary.to_dict("records"):
        line = (
            f"{comp['component_label']} {comp['activities']} {comp['cumplidas']} "
            f"{comp['vencidas']} {pct(float(comp['avg_progress']))}"
        )
        assert line in first
    assert f"Total del plan {len(result.activities)} " in first


def test_one_line_per_entity_in_the_runs_order_with_its_own_figures(
    run: tuple[Result, Path], reports: list[EntityReport]
) -> None:
    text = " ".join(_pages(run[1] / PDF))
    table = text[text.index(ENTITY_TITLE) : text.index(REPORT_TITLE)]
    names = [r.entity for r in reports]
    positions = []
    for r in reports:
        inside = sum(r.entity in other for other in names)  # a name inside a longer one
        assert table.count(r.entity) == inside, r.entity
        positions.append(table.index(r.entity))
        done, overdue = r.by_status.get("Cumplida", 0), r.by_status.get("Vencida", 0)
        assert f"{r.entity} {r.activities} {done} {overdue} {pct(r.progress)}" in table
    assert positions == sorted(positions)
    # No entity has its components listed: the component labels stay in the first table.
    assert "Racionalización de Trámites" not in table


def test_entity_table_repeats_its_header_on_every_page(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """With some 50 entities the table runs on past page 1: every page it continues to starts
    with the column names again."""
    folder = tmp_path_factory.mktemp("sixty") / "entrada"
    generate(folder, 60, 1, seed=11)
    out = tmp_path_factory.mktemp("sixty_out")
    assert _consolidar(folder, out).exit_code == 0
    pages = _pages(out / PDF)
    found = re.search(r"consolidado de las (\d+) entidades", pages[0])
    assert found
    n = int(found.group(1))
    report = next(i for i, p in enumerate(pages) if REPORT_TITLE in p)
    assert report >= 2  # the table did continue past page 1
    for page in pages[1:report]:
        assert "Entidad Actividades Cumplidas Vencidas Avance Cumplimiento Semáforo" in page
    assert len(pages) <= 2 + math.ceil(n / 20)


def test_no_activity_text_is_published_and_pages_are_bounded(
    run: tuple[Result, Path], result: Consolidation, reports: list[EntityReport]
) -> None:
    pages = _pages(run[1] / PDF)
    text = " ".join(pages)
    for activity in _activity_texts(result):
        assert activity not in text
    assert "Formato Seguimiento al" not in text
    assert len(pages) <= 2 + math.ceil(len(reports) / 20)


def test_consolidated_report_conclusions_and_signatures(
    run: tuple[Result, Path], reports: list[EntityReport]
) -> None:
    pages = _pages(run[1] / PDF)
    report = " ".join(p for p in pages if REPORT_TITLE in p or "Firmas" in p)
    n = len(reports)
    assert f"Total del plan: el PAAC de las {n} entidades presenta un avance del" in report
    assert f"el PAAC de las {n} entidades presenta un avance del" in report
    assert "Por entidad, según el cumplimiento de su propio plan:" in report
    assert "lo publica la Oficina de Control Interno de cada entidad" in report
    assert "está en la hoja «Actividades» del libro consolidado" in report
    assert "Vencida (" in report and "): se recomienda a es" in report
    for role in ("Elaboró:", "Revisó:", "Aprobó:"):
        assert role in report
    assert "Nombre:" in report and "Cargo:" in report
    for number, page in enumerate(pages, 1):
        assert f"Página {number} de {len(pages)}" in page
        assert f"Consolidado de las {n} entidades" in page


def test_docx_is_consolidated_with_one_row_per_entity(
    run: tuple[Result, Path], result: Consolidation, reports: list[EntityReport]
) -> None:
    document = docx.Document(str(run[1] / DOCX))
    paragraphs = [p.text for p in document.paragraphs]
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    n = len(reports)
    assert any(f"de las {n} entidades con corte al 30/04/2020" in p for p in paragraphs)
    assert f"Consolidado de las {n} entidades" in paragraphs
    assert "8. Formatos de cada entidad" in paragraphs
    entity_tables = [t for t in document.tables if t.rows[0].cells[0].text == "Entidad"]
    assert len(entity_tables) == 1
    rows = entity_tables[0].rows
    assert len(rows) == n + 1
    assert [row.cells[0].text for row in rows[1:]] == [r.entity for r in reports]
    # Objetivo names the count, not a list of every entity.
    objective = next(p for p in paragraphs if p.startswith("Verificar el avance"))
    assert reports[0].entity not in objective
    text = " ".join(" ".join(t.split()) for t in paragraphs + cells)
    for activity in _activity_texts(result):
        assert activity not in text
    assert any(c.startswith("Elaboró:") for c in cells)


def test_terminal_says_the_publication_is_consolidated(run: tuple[Result, Path]) -> None:
    output = run[0].output
    assert output.count(NOTE) == 1
    assert "pac-excel consolidar --todos-los-formularios" in output
    lines = output.splitlines()
    pdf_line = next(i for i, line in enumerate(lines) if line.startswith("PDF para publicar"))
    assert NOTE in lines[pdf_line + 2]  # right after the two publication paths


def test_todos_los_formularios_publishes_every_form(
    offices: Path, result: Consolidation, reports: list[EntityReport],
    tmp_path_factory: pytest.TempPathFactory,
) -> None:  # fmt: skip
    out = tmp_path_factory.mktemp("all_forms")
    ran = _consolidar(offices, out, "--todos-los-formularios")
    assert ran.exit_code == 0, ran.output
    assert NOTE not in ran.output
    pages = _pages(out / PDF)
    text = " ".join(pages)
    assert text.count("Formato Seguimiento al Plan Anticorrupción") == len(reports)
    assert f"consolidado de las {len(reports)} entidades" not in pages[0]
    assert f"{reports[0].entity}: total del plan" in pages[0]
    activities = [" ".join(str(a).split()) for a in result.activities["activity"].dropna()]
    assert activities and all(a in text for a in activities)
    document = docx.Document(str(out / DOCX))
    headings = [p.text for p in document.paragraphs if p.style and p.style.name == "Heading 2"]
    assert reports[0].entity in headings


def test_no_note_with_few_entities(tmp_path_factory: pytest.TempPathFactory) -> None:
    out = tmp_path_factory.mktemp("samples_out")
    ran = _consolidar(SAMPLES, out)
    assert ran.exit_code == 0, ran.output
    assert "PDF para publicar" in ran.output
    assert NOTE not in ran.output


def test_consolidated_mode_builds_nothing_per_activity(
    result: Consolidation, tmp_path_factory: pytest.TempPathFactory, monkeypatch: Any
) -> None:
    """The form rows and the form's component tables are the per-activity work: the
    consolidated publication must be written with both made to fail, and every form cannot."""
    fresh = dataclasses.replace(result, activities=result.activities.copy())  # no cached reports

    def boom(*_args: object, **_kwargs: object) -> Any:
        raise AssertionError("per-activity content built")

    monkeypatch.setattr(content_module, "_rows", boom)
    monkeypatch.setattr(pdf_module, "_component", boom)
    out = tmp_path_factory.mktemp("no_rows")
    assert [p.name for p in publish(fresh, out)] == [PDF, DOCX]
    assert len(_pages(out / PDF)) <= 2 + math.ceil(len(result.entities) / 20)
    with pytest.raises(AssertionError, match="per-activity"):
        publish(dataclasses.replace(result, activities=result.activities.copy()), out,
                all_forms=True)  # fmt: skip


def test_help_names_the_limit() -> None:
    ran = CliRunner().invoke(cli, ["consolidar", "--help"])
    assert "--todos-los-formularios" in ran.output
    assert f"más de {FORMS_MAX} entidades" in " ".join(ran.output.split())


def test_readme_states_the_rule() -> None:
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert f"más de {FORMS_MAX} entidades" in readme
    assert "--todos-los-formularios" in readme


def test_blank_entity_counts_as_one(result: Consolidation) -> None:
    acts = result.activities.assign(entity=pd.Series(pd.NA, index=result.activities.index))
    blank = dataclasses.replace(result, activities=acts.astype({"entity": "string"}))
    assert not is_consolidated(blank)


def test_a_huge_entity_name_is_cut_in_its_line_not_fatal(
    result: Consolidation, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A table row cannot continue on the next page: a name longer than a page is cut in
    the entity table, with the note saying where the whole text is."""
    acts = result.activities
    first = str(acts["entity"].dropna().iloc[0])
    huge = "Entidad " + "con un nombre larguísimo " * 300
    renamed = acts.assign(entity=acts["entity"].astype("string").replace(first, huge))
    out = tmp_path_factory.mktemp("huge_name")
    publish(dataclasses.replace(result, activities=renamed, entities=[]), out)
    text = " ".join(_pages(out / PDF))
    table = text[text.index(ENTITY_TITLE) : text.index(REPORT_TITLE)]
    assert "Entidad con un nombre larguísimo" in table
    assert "(texto recortado; completo en el libro de Excel)" in table
