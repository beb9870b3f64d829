"""Resumen: header and deadline, indicators, the component and area tables, native charts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
import readback
from conftest import SAMPLES
from readback import (
    activities,
    chart_anchors,
    chart_plots,
    consolidation,
    find_row,
    hyperlinks,
    labelled,
    load,
    ref_values,
    row_breaks,
)
from test_write import C1, C3, CREATED, PROBLEMS, sample_acts

from pac_excel import consolidate
from pac_excel.result import Consolidation
from pac_excel.write.workbook import write_workbook

COMPONENT_HEADER = [
    "Componente", "Actividades", "Cumplidas", "En curso", "Vencidas", "Sin iniciar",
    "No aplica", "Sin dato", "Sin avance", "Avance promedio", "Cumplimiento promedio", "Semáforo",
]  # fmt: skip
AREA_HEADER = [
    "Área responsable", "Actividades", "Cumplidas", "Vencidas", "Sin avance", "Sin seguimiento",
    "Entregas hasta el corte", "Entregas vencidas", "Avance promedio", "Cumplimiento promedio",
    "Semáforo", "Detalle",
]  # fmt: skip


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("resumen") / "informe.xlsx"
    return write_workbook(consolidation(sample_acts(), PROBLEMS), out, created=CREATED)


def test_header_block(report: Path) -> None:
    ws = load(report)["Resumen"]
    assert ws["A1"].value == "Seguimiento al Plan Anticorrupción y de Atención al Ciudadano"
    assert labelled(ws, "Entidad(es)") == "Alcaldía de Prueba"
    assert labelled(ws, "Vigencia") == "2020"
    assert labelled(ws, "Fecha de corte") == dt.datetime(2020, 4, 30)
    assert ws.cell(find_row(ws, "Fecha de corte"), 2).number_format == "dd/mm/yyyy"
    assert labelled(ws, "Origen del corte") == "FECHA CORTE en seguimiento.xlsx"
    assert labelled(ws, "Archivos leídos") == 1
    assert ws.cell(find_row(ws, "Archivos leídos"), 3).value == "seguimiento.xlsx"


def test_publication_deadline_counts_business_days_from_the_run(report: Path) -> None:
    ws = load(report)["Resumen"]
    row = find_row(ws, "Fecha límite de publicación")
    # 1 May 2020 is a holiday: the tenth business day after 30 April is Friday 15 May.
    assert ws.cell(row, 2).value == dt.datetime(2020, 5, 15)
    assert ws.cell(row, 2).number_format == "dd/mm/yyyy"
    assert str(ws.cell(row, 3).value).startswith("Faltan 5 días hábiles (hoy es 08/05/2020)")


def test_a_late_run_says_the_deadline_passed(tmp_path: Path) -> None:
    late = dt.datetime(2020, 6, 1, 9, 0)
    out = write_workbook(consolidation(sample_acts()), tmp_path / "tarde.xlsx", created=late)
    ws = load(out)["Resumen"]
    text = str(ws.cell(find_row(ws, "Fecha límite de publicación"), 3).value)
    assert text.startswith("Venció el 15/05/2020 (hace 10 días hábiles)")
    assert ws.cell(find_row(ws, "Fecha límite de publicación"), 3).font.color.rgb.endswith("C00000")


def test_indicators_with_both_weightings(report: Path) -> None:
    ws = load(report)["Resumen"]
    assert labelled(ws, "Actividades") == 4
    assert labelled(ws, "Cumplidas") == 1
    assert labelled(ws, "Porcentaje de cumplidas (sin contar No aplica)") == pytest.approx(1 / 3)
    assert labelled(ws, "Vencidas") == 1
    assert labelled(ws, "Sin avance") == 1
    assert labelled(ws, "No aplica para el corte (fuera de los promedios)") == 1
    # By activity: (1 + 0 + 0.33) / 3; by component: mean of 0.5 and 0.33.
    assert labelled(ws, "Avance promedio por actividad") == pytest.approx(1.33 / 3)
    assert labelled(ws, "Avance promedio por componente") == pytest.approx(0.83 / 2)
    assert labelled(ws, "Cumplimiento promedio por actividad") == pytest.approx(1.66 / 3)
    assert labelled(ws, "Cumplimiento promedio por componente") == pytest.approx(1.16 / 2)
    for label in ("Avance promedio por actividad", "Cumplimiento promedio por componente"):
        assert ws.cell(find_row(ws, label), 2).number_format == "0%"
    assert ws.cell(find_row(ws, "Cumplimiento promedio por actividad"), 3).value == "Rojo"


def test_alert_counts(report: Path) -> None:
    ws = load(report)["Resumen"]
    top = find_row(ws, "Alerta", column=5)
    alerts = [(ws.cell(top + i, 5).value, ws.cell(top + i, 7).value) for i in range(1, 6)]
    assert alerts == [
        ("Vencida", 1), ("Sin avance", 1), ("Sin seguimiento", 0),
        ("N/A con fecha pasada", 0), ("Próxima a vencer", 0),
    ]  # fmt: skip


def test_component_table_and_totals(report: Path) -> None:
    ws = load(report)["Resumen"]
    top = find_row(ws, "Componente")
    assert [c.value for c in ws[top]][:12] == COMPONENT_HEADER
    body = [[c.value for c in ws[top + i]][:12] for i in (1, 2)]
    assert body[0] == [C1, 2, 1, 0, 1, 0, 0, 0, 1, 0.5, 0.5, "Rojo"]
    assert body[1] == [C3, 2, 0, 1, 0, 0, 1, 0, 0, 0.33, 0.66, "Amarillo"]
    by_activity = [c.value for c in ws[top + 3]][:12]
    by_component = [c.value for c in ws[top + 4]][:12]
    assert by_activity[:9] == ["Total · promedio por actividad", 4, 1, 1, 1, 0, 1, 0, 1]
    assert by_activity[9:11] == [pytest.approx(1.33 / 3), pytest.approx(1.66 / 3)]
    assert by_component[0] == "Total · promedio por componente"
    assert by_component[1:9] == [None] * 8  # the counts are not a weighting
    assert by_component[9:12] == [pytest.approx(0.415), pytest.approx(0.58), "Rojo"]
    assert ws.cell(top + 1, 10).number_format == "0%"
    assert ws.cell(top + 1, 11).number_format == "0%"
    # The threshold cells the compliance chart draws as lines.
    assert [ws.cell(top + 1, c).value for c in (13, 14)] == [0.6, 0.8]
    rules = {str(cf.sqref): cf.rules for cf in ws.conditional_formatting}
    lights = f"L{top + 1}:L{top + 4}"
    assert [r.formula[0] for r in rules[lights]] == ['"Rojo"', '"Amarillo"', '"Verde"']
    assert [r.type for r in rules[f"K{top + 1}:K{top + 4}"]] == ["expression"] * 3


def test_four_native_charts_read_the_tables(report: Path) -> None:
    found = chart_plots(report)
    assert [c["title"] for c in found] == [
        "Actividades por estado en cada componente",
        "Cumplimiento promedio por componente frente al semáforo",
        "Actividades con cada alerta",
        "Avance y cumplimiento por área responsable",
    ]
    status, compliance, alerts, areas = found

    (plot,) = status["plots"]
    assert (plot["kind"], plot["grouping"]) == ("barChart:bar", "stacked")
    assert [ref_values(report, s["name"])[0] for s in plot["series"]] == [
        "Cumplidas", "En curso", "Vencidas", "Sin iniciar", "No aplica", "Sin dato",
    ]  # fmt: skip
    assert ref_values(report, plot["series"][0]["categories"]) == [C1, C3]
    assert ref_values(report, plot["series"][0]["values"]) == [1, 0]

    columns, lines = compliance["plots"]
    assert columns["kind"] == "barChart:col" and lines["kind"] == "lineChart"
    assert ref_values(report, columns["series"][0]["values"]) == [0.5, 0.66]
    assert [ref_values(report, s["values"]) for s in lines["series"]] == [[0.6, 0.6], [0.8, 0.8]]
    assert [ref_values(report, s["name"])[0] for s in lines["series"]] == [
        "Umbral amarillo (60 %)",
        "Umbral verde (80 %)",
    ]

    (plot,) = alerts["plots"]
    assert plot["kind"] == "barChart:bar"
    assert ref_values(report, plot["series"][0]["categories"])[:2] == ["Vencida", "Sin avance"]
    assert ref_values(report, plot["series"][0]["values"]) == [1, 1, 0, 0, 0] + [0] * 5

    (plot,) = areas["plots"]
    assert plot["kind"] == "barChart:bar"
    assert ref_values(report, plot["series"][0]["categories"]) == [
        "Planeación",
        "Secretaría General",
        "TIC",
    ]
    assert [ref_values(report, s["name"])[0] for s in plot["series"]] == [
        "Avance promedio",
        "Cumplimiento promedio",
    ]
    for chart in found:
        for plot in chart["plots"]:
            for series in plot["series"]:
                refs = [series["categories"], series["values"]]
                assert all(ref.startswith("Resumen!") for ref in refs)


def test_charts_sit_on_their_own_page(report: Path) -> None:
    ws = load(report)["Resumen"]
    tables_end = find_row(ws, "Total · promedio por componente")
    areas_top = find_row(ws, "Avance por área responsable")
    # Page 2 starts at the component table, page 3 at the charts, page 4 at the areas.
    breaks = row_breaks(report, "Resumen")[1:]
    assert breaks[1] == areas_top
    anchors = chart_anchors(report, "Resumen")
    assert len(anchors) == 4
    for first_col, first_row, last_col, last_row in anchors:
        assert first_row + 1 >= breaks[0] > tables_end  # below the break after the tables
        assert last_row + 1 < areas_top  # above the area table
        assert 0 <= first_col <= last_col <= 13  # inside the printed columns A:N


def test_area_table_links_to_por_responsable(report: Path) -> None:
    wb = load(report)
    ws = wb["Resumen"]
    top = find_row(ws, "Área responsable")
    # "Detalle" (the links) sits in column O, right of the print area A:N: links do not print.
    assert [c.value for c in ws[top]][:11] + [ws.cell(top, 15).value] == AREA_HEADER
    assert str(ws.print_area).split(":")[-1].startswith("$N$")
    rows = [[c.value for c in ws[top + i]][:11] + [ws.cell(top + i, 15).value] for i in (1, 2, 3)]
    assert rows[0] == ["Planeación", 3, 1, 1, 1, 0, 2, 1, 0.5, 0.5, "Rojo", "Ver área"]
    assert [r[0] for r in rows] == ["Planeación", "Secretaría General", "TIC"]
    owners = wb["Por responsable"]
    for link in hyperlinks(report, "Resumen"):
        assert link["external"] is None
        sheet, cell = str(link["location"]).split("!")
        assert sheet == "'Por responsable'"
        row = int(str(link["ref"])[1:])
        assert owners[cell].value == ws.cell(row, 1).value  # lands on the area's heading


def test_several_entities_name_each_area_with_its_entity(tmp_path: Path) -> None:
    acts = activities(
        {"entity": "Alcaldía A", "owner": "Planeación"},
        {"entity": "Alcaldía B", "owner": "Planeación"},
    )
    out = write_workbook(consolidation(acts), tmp_path / "dos.xlsx")
    ws = load(out)["Resumen"]
    top = find_row(ws, "Área responsable")
    names = {ws.cell(top + 1, 1).value, ws.cell(top + 2, 1).value}
    assert names == {"Planeación (Alcaldía A)", "Planeación (Alcaldía B)"}
    assert labelled(ws, "Entidad(es)") == "Alcaldía A, Alcaldía B"


def test_empty_run_keeps_the_layout(tmp_path: Path) -> None:
    out = write_workbook(consolidation(activities()), tmp_path / "vacio.xlsx")
    ws = load(out)["Resumen"]
    assert labelled(ws, "Actividades") == 0
    assert ws.cell(find_row(ws, "Componente") + 1, 1).value == "Sin actividades"
    assert ws.cell(find_row(ws, "Área responsable") + 1, 1).value == "Sin actividades"
    assert len(chart_plots(out)) == 4


def test_compliance_bars_take_their_semaforo_colour_and_axes_are_titled(tmp_path: Path) -> None:
    from pac_excel.write.styles import LIGHT_SOLID, SERIES_COLOURS

    result = consolidate([SAMPLES], output_dir=tmp_path, today=dt.date(2020, 5, 5))
    assert result.output is not None
    (chart,) = [c for c in readback.charts(result.output) if "semáforo" in c["title"]]
    expected = [LIGHT_SOLID.get(str(x), SERIES_COLOURS[0]) for x in result_lights(result)]
    assert "Rojo" in result_lights(result) and None in result_lights(result)
    assert chart["points"] == [colour.lstrip("#").upper() for colour in expected]
    assert chart["axes"] == ["Componente", "Cumplimiento (avance / esperado)"]
    (status,) = [c for c in readback.charts(result.output) if "estado" in c["title"]]
    assert "Actividades" in status["axes"]


def result_lights(result: Consolidation) -> list[object]:
    from pac_excel.check.figures import component_summary

    table = component_summary(result.activities, result.thresholds)
    return [None if pd.isna(x) else x for x in table["traffic_light"]]
