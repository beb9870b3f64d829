"""The report as a user opens it: sheets, headers, values, formats, tables, charts, safety."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import pandas as pd
import pytest
from readback import (
    activities,
    all_sheet_xml,
    app_property,
    chart_anchors,
    charts,
    consolidation,
    find_row,
    labelled,
    load,
    quote_prefixed,
    ref_values,
    sheet_rows,
)

from pac_excel import write as write_module
from pac_excel.problems import Problem, Severity
from pac_excel.write import MAX_CELL_CHARS, OutputError, write_workbook

ACTIVITY_HEADER = [
    "Archivo", "Hoja", "Fila", "Entidad", "Componente", "Subcomponente", "Actividad",
    "Meta o producto", "Responsable", "Fechas programadas", "Avance reportado",
    "Avance esperado", "Cumplimiento", "Semáforo", "Estado", "Alertas", "Seguimiento",
]  # fmt: skip
C1 = "1. Gestión del Riesgo de Corrupción – Mapa de Riesgos de Corrupción"
C3 = "3. Rendición de Cuentas"
CREATED = dt.datetime(2020, 5, 8, 14, 30, tzinfo=dt.timezone.utc)

PAYLOADS = ['=HYPERLINK("http://x","y")', "+1+1", "-2 pendientes", "@SUM(1,1)", "http://x.co"]


def sample_acts() -> pd.DataFrame:
    return activities(
        {"component": 1, "activity": "Revisar la política", "status": "Cumplida",
         "progress": 1.0, "expected": 1.0, "compliance": 1.0, "traffic_light": "Verde",
         "schedule": "31/03/2020; 30/06/2020", "followup": "Política revisada"},
        {"component": 1, "activity": "Publicar el mapa", "status": "Vencida",
         "progress": 0.0, "expected": 1.0, "compliance": 0.0, "traffic_light": "Rojo",
         "alerts": "Vencida; Sin avance"},
        {"component": 3, "component_label": C3, "activity": "Audiencia pública",
         "status": "No aplica", "not_applicable": True, "progress_text": "N/A",
         "schedule": "Permanente", "permanent": True},
        {"component": 3, "component_label": C3, "activity": "Informe de gestión",
         "status": "En curso", "progress": 0.33, "expected": 0.5, "compliance": 0.66,
         "traffic_light": "Amarillo"},
    )  # fmt: skip


PROBLEMS = [
    Problem("seguimiento.xlsx", "PAAC", 12, "F", Severity.ERROR, "fecha-ilegible",
            "No se pudo leer 'pronto' como fecha."),
    Problem("seguimiento.xlsx", None, None, None, Severity.WARNING, "sin-entidad",
            "No se encontró la entidad."),
]  # fmt: skip


@pytest.fixture
def report(tmp_path: Path) -> Path:
    return write_workbook(consolidation(sample_acts(), PROBLEMS), tmp_path / "informe.xlsx")


# Structure --------------------------------------------------------------------------------


def test_sheet_order_and_active_sheet(report: Path) -> None:
    wb = load(report)
    assert wb.sheetnames == ["Resumen", "Actividades", "Alertas", "Problemas"]
    assert wb.active is not None and wb.active.title == "Resumen"


def test_activities_header_values_and_formats(report: Path) -> None:
    rows = sheet_rows(report, "Actividades")
    assert rows[0] == ACTIVITY_HEADER
    assert len(rows) == 5
    first = dict(zip(ACTIVITY_HEADER, rows[1], strict=True))
    assert first["Archivo"] == "seguimiento.xlsx"
    assert first["Fila"] == 10 and isinstance(first["Fila"], int)
    assert first["Componente"] == C1
    assert first["Fechas programadas"] == "31/03/2020; 30/06/2020"
    assert (first["Avance reportado"], first["Avance esperado"], first["Cumplimiento"]) == (1, 1, 1)
    assert first["Semáforo"] == "Verde" and first["Estado"] == "Cumplida"
    assert first["Seguimiento"] == "Política revisada"
    na = dict(zip(ACTIVITY_HEADER, rows[3], strict=True))
    assert na["Avance reportado"] == "N/A"
    assert na["Avance esperado"] is None and na["Cumplimiento"] is None
    assert na["Fechas programadas"] == "Permanente"
    assert rows[2][ACTIVITY_HEADER.index("Alertas")] == "Vencida; Sin avance"
    assert rows[4][ACTIVITY_HEADER.index("Cumplimiento")] == pytest.approx(0.66)

    ws = load(report)["Actividades"]
    for col in ("K", "L", "M"):
        assert ws[f"{col}2"].number_format == "0%"
    assert ws["M5"].number_format == "0%"


def test_tables_panes_and_print_setup(report: Path) -> None:
    wb = load(report)
    expected = {
        "Actividades": ("TablaActividades", "A1:Q5", "D2"),
        "Alertas": ("TablaAlertas", "A1:H3", "A2"),
        "Problemas": ("TablaProblemas", "A1:G3", "A2"),
    }
    for sheet, (name, ref, pane) in expected.items():
        ws = wb[sheet]
        table = ws.tables[name]
        assert table.ref == ref
        assert table.autoFilter is not None
        assert table.tableStyleInfo is not None
        assert table.tableStyleInfo.name == "TableStyleLight9"
        assert table.tableStyleInfo.showRowStripes
        assert ws.freeze_panes == pane
        assert ws.page_setup.orientation == "landscape"
        assert int(ws.page_setup.paperSize or 0) == 1
        assert ws.sheet_properties.pageSetUpPr is not None
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.page_setup.fitToWidth in (None, 1)  # 1 is the default, left out of the XML
        assert ws.page_setup.fitToHeight == 0  # as many pages tall as needed
        assert ws.print_title_rows == "$1:$1"
        footer, header = ws.oddFooter, ws.oddHeader
        assert footer is not None and header is not None
        assert footer.center.text == "Página &P de &N"
        assert header.left.text == "Alcaldía de Prueba"
        assert header.right.text == "Corte: 30/04/2020"
    columns = [c.name for c in wb["Actividades"].tables["TablaActividades"].tableColumns]
    assert columns == ACTIVITY_HEADER


def test_conditional_formats_cover_the_data(report: Path) -> None:
    ws = load(report)["Actividades"]
    ranges = {str(cf.sqref): [r.type for r in cf.rules] for cf in ws.conditional_formatting}
    assert ranges["M2:M5"] == ["expression"] * 3  # Cumplimiento on 60 / 80 %
    assert ranges["N2:N5"] == ["cellIs"] * 3  # Semáforo by value
    assert ranges["O2:O5"] == ["cellIs"]  # Estado "Vencida"
    formulas = [r.formula[0] for cf in ws.conditional_formatting for r in cf.rules
                if str(cf.sqref) == "M2:M5"]  # fmt: skip
    assert any("<0.599999999" in f for f in formulas)


def test_alerts_and_problems_sheets(report: Path) -> None:
    alerts = sheet_rows(report, "Alertas")
    assert alerts[0] == [
        "Archivo", "Hoja", "Fila", "Componente", "Actividad", "Responsable", "Alerta", "Detalle",
    ]  # fmt: skip
    assert [r[6] for r in alerts[1:]] == ["Vencida", "Sin avance"]
    assert alerts[1][:5] == ["seguimiento.xlsx", "PAAC", 11, C1, "Publicar el mapa"]

    problems = sheet_rows(report, "Problemas")
    assert problems[0] == ["Archivo", "Hoja", "Fila", "Columna", "Severidad", "Código", "Problema"]
    # Reading order: the file-level problem first.
    assert problems[1] == [
        "seguimiento.xlsx", None, None, None, "Advertencia", "sin-entidad",
        "No se encontró la entidad.",
    ]  # fmt: skip
    assert problems[2][:6] == ["seguimiento.xlsx", "PAAC", 12, "F", "Error", "fecha-ilegible"]


# Resumen ----------------------------------------------------------------------------------


def test_summary_header_and_kpis(report: Path) -> None:
    ws = load(report)["Resumen"]
    assert ws["A1"].value == "Seguimiento al Plan Anticorrupción y de Atención al Ciudadano"
    assert labelled(ws, "Entidad(es)") == "Alcaldía de Prueba"
    assert labelled(ws, "Vigencia") == "2020"
    assert labelled(ws, "Fecha de corte") == dt.datetime(2020, 4, 30)
    assert ws.cell(find_row(ws, "Fecha de corte"), 2).number_format == "dd/mm/yyyy"
    assert labelled(ws, "Origen del corte") == "FECHA CORTE en seguimiento.xlsx"
    assert labelled(ws, "Archivos leídos") == 1
    assert labelled(ws, "Actividades") == 4
    assert labelled(ws, "Cumplidas") == 1
    assert labelled(ws, "Vencidas") == 1
    assert labelled(ws, "Sin avance") == 1
    # By activity: (1 + 0 + 0.33) / 3; by component: mean of 0.5 and 0.33.
    assert labelled(ws, "Avance promedio por actividad") == pytest.approx(1.33 / 3)
    assert labelled(ws, "Avance promedio por componente") == pytest.approx(0.83 / 2)
    assert labelled(ws, "Cumplimiento promedio por actividad") == pytest.approx(1.66 / 3)
    assert labelled(ws, "Cumplimiento promedio por componente") == pytest.approx(1.16 / 2)
    for label in ("Avance promedio por actividad", "Cumplimiento promedio por componente"):
        assert ws.cell(find_row(ws, label), 2).number_format == "0%"


def test_summary_count_tables(report: Path) -> None:
    ws = load(report)["Resumen"]
    top = find_row(ws, "Estado")
    statuses = [(ws.cell(top + i, 1).value, ws.cell(top + i, 2).value) for i in range(1, 7)]
    assert statuses == [
        ("Cumplida", 1), ("En curso", 1), ("Vencida", 1), ("Sin iniciar", 0),
        ("No aplica", 1), ("Sin dato", 0),
    ]  # fmt: skip
    top = find_row(ws, "Alerta")
    alerts = [(ws.cell(top + i, 1).value, ws.cell(top + i, 2).value) for i in range(1, 6)]
    assert alerts == [
        ("Vencida", 1), ("Sin avance", 1), ("Sin seguimiento", 0),
        ("N/A con fecha pasada", 0), ("Próxima a vencer", 0),
    ]  # fmt: skip


def test_summary_component_table(report: Path) -> None:
    ws = load(report)["Resumen"]
    top = find_row(ws, "Componente")
    header = [c.value for c in ws[top]][:11]
    assert header == [
        "Componente", "Actividades", "Cumplidas", "En curso", "Vencidas", "Sin iniciar",
        "No aplica", "Sin dato", "Avance promedio", "Cumplimiento promedio", "Semáforo",
    ]  # fmt: skip
    body = [[c.value for c in ws[top + i]][:11] for i in (1, 2)]
    assert body[0][:8] == [C1, 2, 1, 0, 1, 0, 0, 0]
    assert body[0][8:] == [0.5, 0.5, "Rojo"]
    assert body[1][:8] == [C3, 2, 0, 1, 0, 0, 1, 0]
    assert body[1][8:] == [0.33, 0.66, "Amarillo"]
    assert ws.cell(top + 1, 9).number_format == "0%"
    assert ws.cell(top + 1, 10).number_format == "0%"
    light = f"K{top + 1}:K{top + 2}"
    rules = {str(cf.sqref): cf.rules for cf in ws.conditional_formatting}
    assert [r.formula[0] for r in rules[light]] == ['"Rojo"', '"Amarillo"', '"Verde"']


def test_charts_are_native_and_point_at_resumen(report: Path) -> None:
    found = charts(report)
    assert len(found) == 2
    progress, status = found
    assert progress["kinds"] == ["barChart:bar"]
    assert progress["title"] == "Avance y cumplimiento promedio por componente"
    assert status["kinds"] == ["barChart:col"]
    assert status["title"] == "Actividades por estado"
    for chart in found:
        assert chart["refs"] and all(ref.startswith("Resumen!") for ref in chart["refs"])
    # Series name, categories, values: the component table's cells.
    name, categories, values = progress["refs"][:3]
    assert ref_values(report, name) == ["Avance promedio"]
    assert ref_values(report, categories) == [C1, C3]
    assert ref_values(report, values) == [0.5, 0.33]
    assert ref_values(report, progress["refs"][3]) == ["Cumplimiento promedio"]
    categories, values = status["refs"]
    assert ref_values(report, categories) == [
        "Cumplida", "En curso", "Vencida", "Sin iniciar", "No aplica", "Sin dato",
    ]  # fmt: skip
    assert ref_values(report, values) == [1, 1, 1, 0, 1, 0]


def test_percent_axis_is_0_to_100(report: Path) -> None:
    import zipfile

    with zipfile.ZipFile(report) as zf:
        xml = zf.read(charts(report)[0]["part"]).decode()
    assert '<c:max val="1"/>' in xml and '<c:min val="0"/>' in xml
    assert 'formatCode="0%"' in xml


def test_charts_do_not_cover_tables(report: Path) -> None:
    ws = load(report)["Resumen"]
    component_top = find_row(ws, "Componente") - 1  # 0-based
    for first_col, _first_row, _last_col, last_row in chart_anchors(report, "Resumen"):
        assert first_col >= 3  # the KPI, Estado and Alerta blocks use columns A:B
        assert last_row < component_top - 1  # above the component section title
    assert len(chart_anchors(report, "Resumen")) == 2


def test_document_properties(report: Path) -> None:
    props = load(report).properties
    assert props.title is not None and props.title.startswith("Seguimiento PAAC")
    assert "Alcaldía de Prueba" in props.title and "30/04/2020" in props.title
    assert props.subject == "Seguimiento al Plan Anticorrupción y de Atención al Ciudadano"
    assert app_property(report, "Company") == "Alcaldía de Prueba"


def test_created_is_the_run_time(tmp_path: Path) -> None:
    out = write_workbook(consolidation(sample_acts()), tmp_path / "a.xlsx", created=CREATED)
    assert load(out).properties.created == dt.datetime(2020, 5, 8, 14, 30)


# Safety -----------------------------------------------------------------------------------


def test_injection_payloads_stay_text(tmp_path: Path) -> None:
    acts = activities(
        *({"activity": p, "followup": p, "goal": p, "owner": p, "alerts": None} for p in PAYLOADS)
    )
    result = consolidation(acts)
    result.entities = ["=1+1"]
    out = write_workbook(result, tmp_path / "payload.xlsx")
    rows = sheet_rows(out, "Actividades")[1:]
    col = ACTIVITY_HEADER.index
    for row, payload in zip(rows, PAYLOADS, strict=True):
        for header in ("Actividad", "Meta o producto", "Responsable", "Seguimiento"):
            assert row[col(header)] == payload
    xml = all_sheet_xml(out)
    assert "<f>" not in xml and "<f " not in xml
    assert "<hyperlink" not in xml
    flags = quote_prefixed(out, "Actividades")
    quoted = [flags[f"G{r}"] for r in range(2, 7)]  # G: Actividad
    assert quoted == [
        True,
        True,
        True,
        True,
        False,
    ]  # the URL is text already, and cannot become a formula
    resumen = load(out)["Resumen"]
    assert labelled(resumen, "Entidad(es)") == "=1+1"


def test_text_over_excel_limit_is_cut(tmp_path: Path) -> None:
    long = "x" * (MAX_CELL_CHARS + 10)
    out = write_workbook(consolidation(activities({"followup": long})), tmp_path / "l.xlsx")
    value = sheet_rows(out, "Actividades")[1][ACTIVITY_HEADER.index("Seguimiento")]
    assert value == "x" * MAX_CELL_CHARS


def test_failure_mid_write_keeps_the_earlier_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "informe.xlsx"
    write_workbook(consolidation(sample_acts()), target)
    before = target.read_bytes()

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("falla a mitad de la escritura")

    monkeypatch.setattr(write_module, "_write_alerts", boom)
    with pytest.raises(RuntimeError, match="mitad"):
        write_workbook(consolidation(activities()), target)
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["informe.xlsx"]


def test_locked_target_is_an_output_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "informe.xlsx"
    target.write_bytes(b"earlier report")

    def locked(src: object, dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(write_module.os, "replace", locked)
    monkeypatch.setattr(write_module.time, "sleep", lambda seconds: None)
    with pytest.raises(OutputError, match=r"^No se pudo escribir .*¿está abierto en Excel\?"):
        write_workbook(consolidation(sample_acts()), target)
    assert target.read_bytes() == b"earlier report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["informe.xlsx"]


def test_missing_folder_is_an_output_error(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="No se pudo escribir .*no existe"):
        write_workbook(consolidation(sample_acts()), tmp_path / "falta" / "informe.xlsx")


def test_temp_file_is_hidden_next_to_the_target(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    moves: list[tuple[str, str]] = []
    real_replace = os.replace

    def spy(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        moves.append((str(src), str(dst)))
        real_replace(src, dst)

    monkeypatch.setattr(write_module.os, "replace", spy)
    write_workbook(consolidation(sample_acts()), tmp_path / "informe.xlsx")
    assert moves == [
        (str(tmp_path / f".informe.xlsx.{os.getpid()}.tmp.xlsx"), str(tmp_path / "informe.xlsx"))
    ]


# Empty and large --------------------------------------------------------------------------


def test_empty_run_still_opens(tmp_path: Path) -> None:
    out = write_workbook(consolidation(activities()), tmp_path / "vacio.xlsx")
    wb = load(out)
    assert wb.sheetnames == ["Resumen", "Actividades", "Alertas", "Problemas"]
    placeholders = {
        "Actividades": ("TablaActividades", "A1:Q2", 6, "No se encontraron actividades"),
        "Alertas": ("TablaAlertas", "A1:H2", 6, "No se encontraron alertas"),
        "Problemas": ("TablaProblemas", "A1:G2", 6, "No se encontraron problemas"),
    }
    for sheet, (table, ref, col, message) in placeholders.items():
        assert wb[sheet].tables[table].ref == ref  # never a table without data rows
        row = sheet_rows(out, sheet)[1]
        assert row[col] == message
        assert [v for i, v in enumerate(row) if i != col] == [None] * (len(row) - 1)
    ws = wb["Resumen"]
    assert labelled(ws, "Actividades") == 0
    assert labelled(ws, "Avance promedio por actividad") == "Sin dato"
    assert ws.cell(find_row(ws, "Componente") + 1, 1).value == "Sin actividades"
    assert len(charts(out)) == 2


def test_twenty_thousand_activities_write_quickly(tmp_path: Path) -> None:
    rows = [
        {"activity": f"Actividad {i} " * 8, "followup": "Seguimiento detallado " * 10,
         "status": "En curso", "progress": 0.5, "expected": 0.5, "compliance": 1.0,
         "traffic_light": "Verde", "alerts": "Sin seguimiento" if i % 3 else None,
         "component": 1 + i % 6}
        for i in range(20_000)
    ]  # fmt: skip
    result = consolidation(activities(*rows))
    start = time.perf_counter()
    write_workbook(result, tmp_path / "grande.xlsx")
    elapsed = time.perf_counter() - start
    assert elapsed < 15, f"{elapsed:.1f} s"


def test_page_header_escapes_ampersand_and_stays_short(tmp_path: Path) -> None:
    result = consolidation(sample_acts())
    result.entities = ["Empresa de Acueducto & Alcantarillado " + "de Prueba " * 30]
    out = write_workbook(result, tmp_path / "amp.xlsx")
    header = load(out)["Actividades"].oddHeader
    assert header is not None
    # "&&" is Excel's escape for one "&"; a lone "&A" would print the sheet name instead.
    assert header.left.text is not None
    assert header.left.text.startswith("Empresa de Acueducto && Alcantarillado de Prueba")
    assert header.left.text.endswith("…")
    assert len(header.left.text) <= 91
