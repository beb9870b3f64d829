"""Seguimiento OCI, Por responsable and Cronograma: the sheets an OCI publishes and sends."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from readback import activities, consolidation, deliveries_for, find_row, load, row_breaks
from test_write import C1, C3, CREATED, PROBLEMS, sample_acts

from pac_excel.check.pending import activity_pending
from pac_excel.frames import PENDING_DTYPES
from pac_excel.write.workbook import write_workbook

CUT = dt.date(2020, 4, 30)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("hojas") / "informe.xlsx"
    return write_workbook(consolidation(sample_acts(), PROBLEMS), out, created=CREATED)


def cells(path: Path, sheet: str) -> dict[str, object]:
    ws = load(path)[sheet]
    return {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value is not None}


# Seguimiento OCI --------------------------------------------------------------------------


def test_form_header_block(report: Path) -> None:
    ws = load(report)["Seguimiento OCI"]
    assert ws["A1"].value == "FORMATO SEGUIMIENTO AL PLAN ANTICORRUPCIÓN Y DE ATENCIÓN AL CIUDADANO"
    labels = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(3, 6)}
    assert labels == {
        "Entidad:": "Alcaldía de Prueba",
        "Vigencia:": "2020",
        "Fecha publicación:": None,  # left for the OCI to fill, not the run date
    }
    assert ws["B5"].number_format == "dd/mm/yyyy"


def test_form_blocks_per_component(report: Path) -> None:
    ws = load(report)["Seguimiento OCI"]
    first = find_row(ws, "Componente:")
    assert ws.cell(first, 2).value == C1
    head, sub = first + 1, first + 2
    assert [ws.cell(head, c).value for c in (1, 2, 3)] == [
        "Subcomponente",
        "Actividades programadas",
        "Seguimiento 1 OCI · Fecha seguimiento: 30/04/2020",
    ]
    assert [ws.cell(sub, c).value for c in (3, 4, 5)] == [
        "Actividades cumplidas",
        "% de avance",
        "Observaciones",
    ]
    assert ws.cell(head, 6).value == "Estado al corte"
    merged = {str(m) for m in ws.merged_cells.ranges}
    assert {f"A{head}:A{sub}", f"B{head}:B{sub}", f"C{head}:E{head}", f"F{head}:F{sub}"} <= merged
    # A frame with only the joined follow-up text (no office text apart) shows it as the
    # observation; the verdict at the cut has its own column.
    rows = [[ws.cell(sub + i, c).value for c in range(2, 7)] for i in (1, 2)]
    assert rows[0] == ["Revisar la política", "Sin reporte del área.", 1, "Política revisada",
                       "Cumplida."]  # fmt: skip
    assert rows[1] == [
        "Publicar el mapa",
        "Sin reporte del área.",
        0,
        None,
        "Vencida: falta la entrega del 31/03/2020.",
    ]
    assert ws.cell(sub + 1, 4).number_format == "0%"
    total = [ws.cell(sub + 3, c).value for c in range(1, 5)]
    assert total == ["Total del componente", "2 actividades programadas", "1 cumplida", 0.5]

    second = find_row(ws, "Componente:", column=1) + 7
    assert ws.cell(second, 2).value == C3
    na_row = find_row(ws, "Audiencia pública", column=2)
    assert ws.cell(na_row, 4).value == "N/A"
    assert ws.cell(na_row, 6).value == "No aplica para el periodo."
    assert str(ws.cell(na_row + 2, 5).value).endswith("1 no aplica y no cuenta.")


def test_form_starts_each_entity_on_a_new_page(tmp_path: Path) -> None:
    acts = activities(
        {"entity": "Alcaldía A", "activity": "Uno"}, {"entity": "Alcaldía B", "activity": "Dos"}
    )
    out = write_workbook(consolidation(acts), tmp_path / "dos.xlsx")
    ws = load(out)["Seguimiento OCI"]
    entities = [r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Entidad:"]
    assert [ws.cell(r, 2).value for r in entities] == ["Alcaldía A", "Alcaldía B"]
    assert entities[1] in row_breaks(out, "Seguimiento OCI")
    assert ws.print_title_rows == "$1:$1"


def test_form_follow_up_numbers_follow_the_cut(tmp_path: Path) -> None:
    result = consolidation(sample_acts(), cutoff=dt.date(2020, 8, 31))
    out = write_workbook(result, tmp_path / "agosto.xlsx")
    values = set(cells(out, "Seguimiento OCI").values())
    assert "Seguimiento 2 OCI · Fecha seguimiento: 31/08/2020" in values


# Por responsable --------------------------------------------------------------------------


def test_owner_blocks_split_areas_and_list_what_is_missing(report: Path) -> None:
    ws = load(report)["Por responsable"]
    assert [ws.cell(3, c).value for c in range(1, 12)] == [
        "Actividad", "Meta o producto", "Componente", "Responsable (como figura en el plan)",
        "Entregas hasta el corte", "Avance reportado", "Avance esperado", "Estado", "Qué falta",
        "Próxima entrega", "Origen",
    ]  # fmt: skip
    headings = [r for r in range(4, ws.max_row + 1) if ws.cell(r, 1).font.color is not None
                and ws.cell(r, 1).fill.fgColor.rgb == "FF2F5597"]  # fmt: skip
    assert [ws.cell(r, 1).value for r in headings] == ["Planeación", "Secretaría General", "TIC"]
    # "Planeación / TIC": the activity is listed under both areas.
    planning, general, tic = headings
    assert ws.cell(planning + 2, 1).value == "Publicar el mapa"  # something missing: first
    assert ws.cell(tic + 2, 1).value == "Publicar el mapa"
    assert ws.cell(planning + 2, 5).value == "31/03/2020 vencida"
    assert ws.cell(planning + 2, 9).value == "Enviar evidencia de la entrega del 31/03/2020"
    assert ws.cell(planning + 3, 9).value == "Nada pendiente al corte"
    assert ws.cell(planning + 2, 11).value == "Fila 11 de la hoja PAAC en seguimiento.xlsx"
    summary = str(ws.cell(general + 1, 1).value)
    assert summary.startswith("1 actividad · entregas hasta el corte: 1, sin cumplir: 1")
    assert summary.endswith("sub-unidades: Archivo")
    # Each area prints on its own pages, under the repeated column header.
    assert row_breaks(report, "Por responsable") == [general, tic]
    assert ws.print_title_rows == "$1:$3"


def test_next_delivery_is_a_real_date(tmp_path: Path) -> None:
    acts = activities({"schedule": "31/03/2020; 30/06/2020", "n_dates": 2, "progress": 0.5,
                       "status": "En curso", "next_date": pd.Timestamp("2020-06-30")})  # fmt: skip
    out = write_workbook(consolidation(acts), tmp_path / "proxima.xlsx")
    ws = load(out)["Por responsable"]
    row = find_row(ws, "Actividad", column=1) + 3
    assert ws.cell(row, 10).value == dt.datetime(2020, 6, 30)
    assert ws.cell(row, 10).number_format == "dd/mm/yyyy"


def test_pending_texts() -> None:
    acts = activities(
        {"status": "Vencida", "progress": 0.0, "expected": 0.5, "n_dates": 2,
         "schedule": "31/01/2020; 31/03/2020", "alerts": "Vencida; Sin avance"},
        {"status": "No aplica", "not_applicable": True, "alerts": "N/A con fecha pasada"},
        {"status": "Sin dato", "alerts": "Sin seguimiento"},
        {"status": "Sin iniciar", "progress": 0.0, "expected": 0.0, "schedule": "31/12/2020"},
        {"status": "En curso", "progress": 0.33, "expected": 0.33, "permanent": True,
         "n_dates": 0, "schedule": "Permanente"},
    )  # fmt: skip
    pending = activity_pending(acts, deliveries_for(acts, CUT))
    assert pending.dtypes.astype(str).to_dict() == PENDING_DTYPES
    assert pending["missing"].tolist()[:3] == [
        "Enviar evidencia de las entregas del 31/01/2020, 31/03/2020",
        "Justificar el N/A: tenía entregas hasta el corte",  # no evidence asked of an N/A
        # Blank progress counts as 0 %: its due delivery is overdue too.
        "Enviar evidencia de la entrega del 31/03/2020\nReportar el % de avance y el seguimiento",
    ]
    assert pending["missing"].isna().tolist()[3:] == [True, True]  # nothing due, nothing owed
    assert pending["delivered"].tolist() == [
        "31/01/2020 vencida\n31/03/2020 vencida",
        "31/03/2020 no aplica",
        "31/03/2020 vencida",
        "Ninguna",
        "Permanente (sin entregas con fecha)",
    ]


# Cronograma -------------------------------------------------------------------------------


def test_schedule_one_row_per_delivery(report: Path) -> None:
    ws = load(report)["Cronograma"]
    header = [ws.cell(3, c).value for c in range(1, 20)]
    assert header[:7] == [
        "Componente", "Actividad", "Responsable", "Entrega", "Fecha programada",
        "Estado de la entrega", "Avance reportado",
    ]  # fmt: skip
    assert header[7:] == ["Ene", "Feb", "Mar", "Abr", "May", "Jun", "Jul", "Ago", "Sep", "Oct",
                          "Nov", "Dic"]  # fmt: skip
    rows = [[ws.cell(r, c).value for c in range(2, 8)] for r in range(4, 9)]
    assert rows == [
        ["Revisar la política", "Planeación", "1 de 2", dt.datetime(2020, 3, 31), "Cumplida", 1],
        ["Revisar la política", "Planeación", "2 de 2", dt.datetime(2020, 6, 30), "Cumplida",
         None],  # the activity's progress: on its first delivery's row only
        ["Publicar el mapa", "Planeación / TIC", "1 de 1", dt.datetime(2020, 3, 31), "Vencida", 0],
        ["Informe de gestión", "Secretaría General - Archivo", "1 de 2",
         dt.datetime(2020, 3, 31), "Vencida", 0.33],
        ["Informe de gestión", "Secretaría General - Archivo", "2 de 2",
         dt.datetime(2020, 8, 31), "Pendiente", None],
    ]  # fmt: skip
    assert ws["E4"].number_format == "dd/mm/yyyy"
    assert ws.auto_filter.ref == "A3:S8"
    assert "La actividad permanente no tiene entregas con fecha" in str(ws["A2"].value)


def test_schedule_month_grid_reads_like_a_gantt(report: Path) -> None:
    ws = load(report)["Cronograma"]
    # Mark on the delivery's month (March = J, June = M), a pale bar from the previous one.
    assert ws["J4"].value == "✔" and ws["M5"].value == "✔" and ws["J6"].value == "✖"
    assert ws["O8"].value == "●"
    assert ws["J4"].fill.fgColor.rgb == "FF59A14F"
    assert ws["J6"].fill.fgColor.rgb == "FFE15759"
    # The bars (Jan-Feb on row 4, Apr-May on row 5) are conditional formats now: their cells
    # are evaluated in test_schedule_grid.py.
    assert ws["J5"].value is None and ws["J5"].fill.fgColor.rgb in (None, "00000000")
    # The cut's month: red header, ruled down the grid.
    assert ws["K3"].fill.fgColor.rgb == "FFC00000"
    ranges = {str(cf.sqref): cf.rules for cf in ws.conditional_formatting}
    assert ranges["K4:K8"][0].type == "expression"
    assert ranges["F4:F8"][0].formula == ['"Vencida"']


def test_schedule_outside_the_year_and_without_deliveries(tmp_path: Path) -> None:
    acts = activities({"schedule": "15/01/2021", "n_dates": 1})
    out = write_workbook(consolidation(acts), tmp_path / "otro.xlsx")
    ws = load(out)["Cronograma"]
    assert ws["E4"].value == dt.datetime(2021, 1, 15)
    assert [ws.cell(4, c).value for c in range(8, 20)] == [None] * 12  # not in 2020's grid


def test_form_closes_each_entity_with_plan_total_conclusions_and_signatures(
    report: Path,
) -> None:
    ws = load(report)["Seguimiento OCI"]
    by_label: dict[str, list[str]] = {}
    last = ""
    for r in range(1, ws.max_row + 1):
        label, text = ws.cell(r, 1).value, ws.cell(r, 2).value
        if label:
            last = str(label)
        if last in ("Total del plan", "Conclusiones", "Recomendaciones") and text:
            by_label.setdefault(last, []).append(str(text))
    assert by_label["Total del plan"][0].startswith("El PAAC presenta un avance del ")
    assert by_label["Conclusiones"][0].startswith("Con corte al 30/04/2020, el PAAC de ")
    assert by_label["Recomendaciones"][0].startswith("1. Se recomienda ")
    texts = [str(c.value) for row in ws.iter_rows() for c in row if c.value]
    assert {"Elaboró:", "Revisó:", "Aprobó:"} <= set(texts)
    assert texts.count("______________________________") == 3
