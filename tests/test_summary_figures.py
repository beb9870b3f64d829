"""Resumen: the figure a reader sees agrees with its semáforo colour."""

from __future__ import annotations

import datetime as dt
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import SAMPLES

from pac_excel import consolidate
from pac_excel.check.semaforo import DAFP_THRESHOLDS
from pac_excel.publish.content import entity_reports
from pac_excel.result import Consolidation
from pac_excel.write.sheets.summary_entities import ENTITY_TITLE, shown_pct

PLAIN, TENTH = "0%", "0.0%"


def test_a_figure_that_would_round_across_a_threshold_keeps_its_tenth() -> None:
    # 59.7 % is Rojo: shown "60 %" it would read as Amarillo, so it is shown "59.7 %".
    assert shown_pct(0.597, DAFP_THRESHOLDS, PLAIN, TENTH) == TENTH
    assert shown_pct(0.796, DAFP_THRESHOLDS, PLAIN, TENTH) == TENTH
    # Figures whose whole percent keeps the colour stay whole.
    assert shown_pct(0.594, DAFP_THRESHOLDS, PLAIN, TENTH) == PLAIN
    assert shown_pct(0.63, DAFP_THRESHOLDS, PLAIN, TENTH) == PLAIN
    assert shown_pct(0.80, DAFP_THRESHOLDS, PLAIN, TENTH) == PLAIN
    assert shown_pct(None, DAFP_THRESHOLDS, PLAIN, TENTH) == PLAIN


def _summary_values(path: Path) -> dict[str, object]:
    ws = openpyxl.load_workbook(path)["Resumen"]
    return {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value is not None}


@pytest.fixture(scope="module")
def samples_run(tmp_path_factory: pytest.TempPathFactory) -> Consolidation:
    """The samples consolidated once for the tests that only read the workbook back."""
    out = tmp_path_factory.mktemp("samples")
    result = consolidate([SAMPLES], output_dir=out, today=dt.date(2020, 5, 5))
    assert result.output is not None
    return result


def test_two_entities_get_their_own_figures_and_a_labelled_consolidated_view(
    samples_run: Consolidation,
) -> None:
    result = samples_run
    assert result.output is not None
    ws = openpyxl.load_workbook(result.output)["Resumen"]
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "Avance y cumplimiento por componente (consolidado de las 2 entidades)" in texts
    title = next(c for row in ws.iter_rows() for c in row if c.value == ENTITY_TITLE)
    rows = {
        str(ws.cell(r, 1).value): [ws.cell(r, c).value for c in range(2, 8)]
        for r in range(title.row + 2, title.row + 4)
    }
    reports = {r.entity: r for r in entity_reports(result)}
    assert set(rows) == set(reports)
    for name, (acts, done, overdue, progress, compliance, light) in rows.items():
        report = reports[name]
        assert (acts, done, overdue) == (
            report.activities,
            report.by_status.get("Cumplida", 0),
            report.by_status.get("Vencida", 0),
        )
        assert progress == pytest.approx(report.progress)
        assert compliance == pytest.approx(report.compliance)
        assert light == (report.light or "Sin programación")


def test_many_files_put_the_provenance_after_the_indicators(tmp_path: Path) -> None:
    folder = tmp_path / "entrada"
    folder.mkdir()
    for i, sample in enumerate(sorted(SAMPLES.glob("*.xlsx")) * 2):
        shutil.copy(sample, folder / f"{i}_{sample.name}")
    result = consolidate([folder], output_dir=tmp_path / "salida", today=dt.date(2020, 5, 5))
    assert result.output is not None
    cells = _summary_values(result.output)
    assert cells["B7"] == (
        "leído de 4 archivos, todos con corte al 30/04/2020 (el detalle, al final de esta hoja)"
    )
    assert cells["C9"] == "La lista, al final de esta hoja."
    labels = [k for k, v in cells.items() if v == "Archivo leído"]
    assert len(labels) == 4
    origin = next(k for k, v in cells.items() if v == "Origen del corte" and k != "A7")
    assert "Seguimiento PAAC!B7" in str(cells["B" + origin[1:]])


def test_a_component_with_nothing_due_is_labelled_in_the_compliance_chart(
    samples_run: Consolidation,
) -> None:
    result = samples_run
    assert result.output is not None
    ws = openpyxl.load_workbook(result.output)["Resumen"]
    labels = [str(ws.cell(r, 16).value) for r in range(1, ws.max_row + 1) if ws.cell(r, 16).value]
    assert "2. Racionalización de Trámites (sin programación)" in labels
    assert "1. Gestión del Riesgo de Corrupción – Mapa de Riesgos de Corrupción" in labels
    with zipfile.ZipFile(result.output) as zf:
        charts = [zf.read(n).decode() for n in zf.namelist() if n.startswith("xl/charts/chart")]
    compliance = next(c for c in charts if "frente al sem" in c)
    assert "Resumen!$P$" in compliance  # the categories read the labelled column
