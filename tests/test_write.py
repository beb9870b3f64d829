"""The workbook as a user opens it: sheets, the Actividades table, printing, safety, saving."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import time
from pathlib import Path

import pandas as pd
import pytest
from readback import (
    activities,
    all_sheet_xml,
    app_property,
    consolidation,
    defined_names,
    hyperlinks,
    labelled,
    libreoffice_convert,
    load,
    quote_prefixed,
    sheet_rows,
)

from pac_excel.check.semaforo import Thresholds
from pac_excel.errors import PacExcelError
from pac_excel.problems import Problem, Severity
from pac_excel.write import output as output_module
from pac_excel.write import workbook as write_module
from pac_excel.write.output import write_output
from pac_excel.write.sheets import schedule as sheet_schedule
from pac_excel.write.workbook import MAX_CELL_CHARS, OutputError, write_workbook

SHEETS = [
    "Resumen", "Actividades", "Seguimiento OCI", "Por responsable", "Cronograma", "Alertas",
    "Problemas",
]  # fmt: skip
ACTIVITY_HEADER = [
    "Archivo", "Hoja", "Fila", "Entidad", "Componente", "Subcomponente", "Actividad",
    "Meta o producto", "Responsable", "Fechas programadas", "Avance reportado",
    "Avance esperado", "Cumplimiento", "Semáforo", "Estado", "Alertas", "Seguimiento",
]  # fmt: skip
C1 = "1. Gestión del Riesgo de Corrupción – Mapa de Riesgos de Corrupción"
C3 = "3. Rendición de Cuentas"
CREATED = dt.datetime(2020, 5, 8, 14, 30)

PAYLOADS = ['=HYPERLINK("http://x","y")', "+1+1", "-2 pendientes", "@SUM(1,1)", "http://x.co"]


def sample_acts() -> pd.DataFrame:
    return activities(
        {"component": 1, "activity": "Revisar la política", "status": "Cumplida",
         "progress": 1.0, "expected": 1.0, "compliance": 1.0, "traffic_light": "Verde",
         "schedule": "31/03/2020; 30/06/2020", "n_dates": 2, "followup": "Política revisada"},
        {"component": 1, "activity": "Publicar el mapa", "status": "Vencida",
         "progress": 0.0, "expected": 1.0, "compliance": 0.0, "traffic_light": "Rojo",
         "alerts": "Vencida; Sin avance", "owner": "Planeación / TIC"},
        {"component": 3, "component_label": C3, "activity": "Audiencia pública",
         "status": "No aplica", "not_applicable": True, "progress_text": "N/A",
         "schedule": "Permanente", "permanent": True, "n_dates": 0},
        {"component": 3, "component_label": C3, "activity": "Informe de gestión",
         "status": "En curso", "progress": 0.33, "expected": 0.5, "compliance": 0.66,
         "traffic_light": "Amarillo", "schedule": "31/03/2020; 31/08/2020", "n_dates": 2,
         "owner": "Secretaría General - Archivo"},
    )  # fmt: skip


PROBLEMS = [
    Problem(file="seguimiento.xlsx", sheet="PAAC", row=12, column="F", severity=Severity.ERROR, code="fecha-no-valida", message="No se pudo leer 'pronto' como fecha."),
    Problem(file="seguimiento.xlsx", sheet=None, row=None, column=None, severity=Severity.WARNING, code="entidad-no-encontrada", message="No se encontró la entidad.")
]  # fmt: skip


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "informe.xlsx"
    return write_workbook(consolidation(sample_acts(), PROBLEMS), out, created=CREATED)


# Structure --------------------------------------------------------------------------------


def test_sheet_order_and_active_sheet(report: Path) -> None:
    wb = load(report)
    assert wb.sheetnames == SHEETS
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
    assert ws["G2"].alignment.wrap_text  # Actividad wraps


def test_widths_follow_the_content(tmp_path: Path) -> None:
    short = write_workbook(consolidation(activities({"activity": "Corta"})), tmp_path / "a.xlsx")
    long = write_workbook(
        consolidation(activities({"activity": "Una actividad bastante más larga " * 3})),
        tmp_path / "b.xlsx",
    )
    width = [load(p)["Actividades"].column_dimensions["G"].width for p in (short, long)]
    assert width[0] < width[1] <= 40  # grows with the text, up to its cap


def test_lists_and_panes(report: Path) -> None:
    """Actividades, Alertas and Problemas: filtered over all their rows, header frozen,
    banded by row number (streamed sheets hold no Excel table, see write.stream)."""
    wb = load(report)
    expected = {
        "Actividades": ("A1:Q5", "D2"),
        "Alertas": ("A1:H3", "A2"),
        "Problemas": ("A1:G3", "A2"),
    }
    for sheet, (ref, pane) in expected.items():
        ws = wb[sheet]
        assert not ws.tables
        assert ws.auto_filter.ref == ref
        assert ws.freeze_panes == pane
        bands = [
            (str(cf.sqref), rule.formula)
            for cf in ws.conditional_formatting
            for rule in cf.rules
            if rule.formula == ["MOD(ROW(),2)=0"]
        ]
        assert bands == [(f"A2:{ref.split(':')[1]}", ["MOD(ROW(),2)=0"])]
    assert sheet_rows(report, "Actividades")[0] == ACTIVITY_HEADER
    panes = {"Seguimiento OCI": "A2", "Por responsable": "A4", "Cronograma": "B4"}
    for sheet, pane in panes.items():
        assert wb[sheet].freeze_panes == pane


def test_every_sheet_prints_landscape_on_letter_or_legal(report: Path) -> None:
    wb = load(report)
    titles = {
        "Resumen": "$1:$2",
        "Actividades": "$1:$1",
        "Seguimiento OCI": "$1:$1",
        "Por responsable": "$1:$3",
        "Cronograma": "$1:$3",
        "Alertas": "$1:$1",
        "Problemas": "$1:$1",
    }
    for sheet in SHEETS:
        ws = wb[sheet]
        assert ws.page_setup.orientation == "landscape", sheet
        # Letter when fitting it keeps 8 pt, else legal (tests/test_printing.py computes it).
        assert int(ws.page_setup.paperSize or 0) in (1, 5)
        props = ws.sheet_properties.pageSetUpPr
        if props is not None and props.fitToPage:
            assert ws.page_setup.fitToWidth in (None, 1)  # 1 is the default, left out
            assert ws.page_setup.fitToHeight == 0  # as many pages tall as needed
        else:  # too wide to fit legibly: a fixed legible scale, columns across pages
            assert int(ws.page_setup.scale or 100) >= 80
        assert ws.print_title_rows == titles[sheet], sheet
        assert ws.print_area, sheet
        footer, header = ws.oddFooter, ws.oddHeader
        assert footer is not None and header is not None
        assert footer.center.text == "Página &P de &N"
        assert header.left.text == "Alcaldía de Prueba"
        assert header.center.text == "Seguimiento PAAC · &A"  # &A: the sheet's name
        assert header.right.text == "Corte: 30/04/2020"


def test_activities_print_the_readable_columns(report: Path, tmp_path: Path) -> None:
    # One entity: from Componente on (the page header names the entity).
    assert load(report)["Actividades"].print_area == "'Actividades'!$E$1:$Q$5"
    two = activities({"entity": "Alcaldía A"}, {"entity": "Alcaldía B"})
    out = write_workbook(consolidation(two), tmp_path / "dos.xlsx")
    assert load(out)["Actividades"].print_area == "'Actividades'!$D$1:$Q$3"


def test_conditional_formats_cover_the_data(report: Path) -> None:
    ws = load(report)["Actividades"]
    ranges = {str(cf.sqref): [r.type for r in cf.rules] for cf in ws.conditional_formatting}
    assert ranges["M2:M5"] == ["expression"] * 3  # Cumplimiento on 60 / 80 %
    assert ranges["N2:N5"] == ["cellIs"] * 3  # Semáforo by value
    assert ranges["O2:O5"] == ["cellIs"]  # Estado "Vencida"
    formulas = [r.formula[0] for cf in ws.conditional_formatting for r in cf.rules
                if str(cf.sqref) == "M2:M5"]  # fmt: skip
    assert any("<0.599999999" in f for f in formulas)
    styles = [r.dxf.font.b for cf in ws.conditional_formatting for r in cf.rules
              if str(cf.sqref) == "O2:O5"]  # fmt: skip
    assert styles == [True]  # bold red Vencida


def test_thresholds_come_from_the_run(tmp_path: Path) -> None:
    result = consolidation(sample_acts())
    result.thresholds = Thresholds(red_below=0.5, yellow_below=0.7)
    out = write_workbook(result, tmp_path / "umbral.xlsx")
    ws = load(out)["Actividades"]
    formulas = [r.formula[0] for cf in ws.conditional_formatting for r in cf.rules
                if str(cf.sqref) == "M2:M5"]  # fmt: skip
    assert any("<0.499999999" in f for f in formulas)
    assert any(">=0.699999999" in f for f in formulas)


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
        "seguimiento.xlsx", None, None, None, "Advertencia", "entidad-no-encontrada",
        "No se encontró la entidad.",
    ]  # fmt: skip
    assert problems[2][:6] == ["seguimiento.xlsx", "PAAC", 12, "F", "Error", "fecha-no-valida"]


def test_document_properties(report: Path) -> None:
    props = load(report).properties
    assert props.title is not None and props.title.startswith("Seguimiento PAAC")
    assert "Alcaldía de Prueba" in props.title and "30/04/2020" in props.title
    assert props.subject == "Seguimiento al Plan Anticorrupción y de Atención al Ciudadano"
    assert props.created == CREATED  # the run's date, not the file system's
    assert app_property(report, "Company") == "Alcaldía de Prueba"


def test_created_defaults_to_now(tmp_path: Path) -> None:
    before = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)
    out = write_workbook(consolidation(sample_acts()), tmp_path / "a.xlsx")
    created = load(out).properties.created
    assert created is not None and created >= before - dt.timedelta(seconds=1)


# Opening without a repair prompt -----------------------------------------------------------


def test_nothing_excel_would_repair(report: Path) -> None:
    wb = load(report)
    names = []
    for ws in wb.worksheets:
        merged = [r.bounds for r in ws.merged_cells.ranges]
        for table in ws.tables.values():
            name = table.name
            names.append(name)
            assert re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name)
            min_col, min_row, max_col, max_row = _bounds(table.ref)
            assert max_row > min_row  # a header and at least one data row
            headers = [ws.cell(min_row, c).value for c in range(min_col, max_col + 1)]
            assert headers == [c.name for c in table.tableColumns]
            assert len(set(headers)) == len(headers) and all(headers)
            for m_col, m_row, m_max_col, m_max_row in merged:
                assert (
                    m_max_row < min_row
                    or m_row > max_row
                    or m_max_col < min_col
                    or (m_col > max_col)
                ), f"merge overlaps {name}"
        assert _no_overlaps(merged), ws.title
    assert len(set(names)) == len(names)
    sheets = set(wb.sheetnames)
    for (name, _local), formula in defined_names(report).items():
        assert name.startswith("_xlnm.")
        for sheet in re.findall(r"'([^']+)'!", formula):
            assert sheet in sheets


def _bounds(ref: str) -> tuple[int, int, int, int]:
    from openpyxl.utils.cell import range_boundaries

    bounds = range_boundaries(ref)
    assert all(b is not None for b in bounds)
    return bounds  # type: ignore[return-value]


def _no_overlaps(ranges: list[tuple[int, int, int, int]]) -> bool:
    cells: set[tuple[int, int]] = set()
    for min_col, min_row, max_col, max_row in ranges:
        block = {(r, c) for r in range(min_row, max_row + 1) for c in range(min_col, max_col + 1)}
        if cells & block:
            return False
        cells |= block
    return True


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice no está instalado")
def test_libreoffice_converts_it_to_pdf(report: Path, tmp_path: Path) -> None:
    pdf = libreoffice_convert(report, "pdf", tmp_path, timeout=120)
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")


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
    for sheet in SHEETS:  # only the workbook's own "Ver área" links, never one to outside
        assert all(link["external"] is None and link["location"] for link in hyperlinks(out, sheet))
    flags = quote_prefixed(out, "Actividades")
    quoted = [flags[f"G{r}"] for r in range(2, 7)]  # G: Actividad
    assert quoted == [True, True, True, True, False]  # a URL is text already
    resumen = load(out)["Resumen"]
    assert labelled(resumen, "Entidad(es)") == "=1+1"
    form = quote_prefixed(out, "Seguimiento OCI")
    assert any(form.values())  # the form quotes them too


def test_text_over_excel_limit_is_cut_and_reported(tmp_path: Path) -> None:
    long = "x" * (MAX_CELL_CHARS + 10)
    result = consolidation(activities({"followup": long}))
    out = write_workbook(result, tmp_path / "l.xlsx")
    value = sheet_rows(out, "Actividades")[1][ACTIVITY_HEADER.index("Seguimiento")]
    assert value == "x" * MAX_CELL_CHARS
    cuts = [p for p in result.problems if p.code == "texto-demasiado-largo"]
    assert cuts, "the writer must say what it cut"
    first = cuts[0]
    assert (first.file, first.sheet, first.row) == ("seguimiento.xlsx", "PAAC", 10)
    assert "«Seguimiento»" in first.message and "32.767" in first.message
    listed = [r for r in sheet_rows(out, "Problemas")[1:] if r[5] == "texto-demasiado-largo"]
    assert len(listed) == len(cuts)
    # Writing the same run again does not report it twice.
    write_workbook(result, tmp_path / "l2.xlsx")
    assert len([p for p in result.problems if p.code == "texto-demasiado-largo"]) == len(cuts)


def test_too_many_rows_is_an_output_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(write_module, "MAX_ROWS", 3)
    with pytest.raises(OutputError, match=r"la hoja Actividades tendría 4 filas"):
        write_workbook(consolidation(sample_acts()), tmp_path / "x.xlsx")
    monkeypatch.setattr(write_module, "MAX_ROWS", 1_048_576)
    monkeypatch.setattr(sheet_schedule, "MAX_ROWS", 5)
    with pytest.raises(OutputError, match=r"la hoja Cronograma tendría"):
        write_workbook(consolidation(sample_acts()), tmp_path / "y.xlsx")
    assert sorted(p.name for p in tmp_path.iterdir()) == []


# Saving -----------------------------------------------------------------------------------


def test_failure_mid_write_keeps_the_earlier_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "informe.xlsx"
    write_workbook(consolidation(sample_acts()), target)
    before = target.read_bytes()

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("falla a mitad de la escritura")

    monkeypatch.setattr(write_module, "write_alerts", boom)
    with pytest.raises(RuntimeError, match="mitad"):
        write_workbook(consolidation(activities()), target)
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["informe.xlsx"]


def test_locked_target_is_an_output_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "informe.xlsx"
    target.write_bytes(b"earlier report")

    def locked(src: object, dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", locked)
    monkeypatch.setattr(time, "sleep", lambda seconds: None)
    with pytest.raises(OutputError, match=r"^No se pudo escribir .*¿está abierto en Excel\?"):
        write_workbook(consolidation(sample_acts()), target)
    assert target.read_bytes() == b"earlier report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["informe.xlsx"]


def test_missing_folder_is_an_output_error(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="No se pudo escribir .*no existe"):
        write_workbook(consolidation(sample_acts()), tmp_path / "falta" / "informe.xlsx")


def test_temp_files_are_hidden_next_to_the_target(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    moves: list[tuple[str, str]] = []
    real_replace = os.replace

    def spy(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        moves.append((str(src), str(dst)))
        assert (tmp_path / f".informe.xlsx.{os.getpid()}.parts").is_dir()
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    write_workbook(consolidation(sample_acts()), tmp_path / "informe.xlsx")
    assert moves == [
        (str(tmp_path / f".informe.xlsx.{os.getpid()}.tmp.xlsx"), str(tmp_path / "informe.xlsx"))
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["informe.xlsx"]


# Empty and large --------------------------------------------------------------------------


def test_empty_run_still_opens(tmp_path: Path) -> None:
    out = write_workbook(consolidation(activities()), tmp_path / "vacio.xlsx")
    wb = load(out)
    assert wb.sheetnames == SHEETS
    placeholders = {
        "Actividades": ("A1:Q2", 6, "No se encontraron actividades"),
        "Alertas": ("A1:H2", 6, "No se encontraron alertas"),
        "Problemas": ("A1:G2", 6, "No se encontraron problemas"),
    }
    for sheet, (ref, col, message) in placeholders.items():
        assert wb[sheet].auto_filter.ref == ref  # the filter always has a row to show
        row = sheet_rows(out, sheet)[1]
        assert row[col] == message
        assert [v for i, v in enumerate(row) if i != col] == [None] * (len(row) - 1)
    ws = wb["Resumen"]
    assert labelled(ws, "Actividades") == 0
    assert labelled(ws, "Avance promedio por actividad") == "Sin dato"
    assert sheet_rows(out, "Seguimiento OCI")[2][0] == "No se encontraron actividades"
    assert sheet_rows(out, "Por responsable")[3][0] == "No se encontraron actividades"
    assert sheet_rows(out, "Cronograma")[3][1] == "No hay entregas con fecha"


def test_a_few_thousand_activities_fill_every_sheet(tmp_path: Path) -> None:
    n = 2_000
    rows = [
        {"activity": f"Actividad {i}", "status": "En curso", "progress": 0.5, "expected": 0.5,
         "compliance": 1.0, "traffic_light": "Verde", "component": 1 + i % 6,
         "owner": ("Planeación / TIC", "Secretaría General", "Control Interno")[i % 3],
         "schedule": "31/03/2020; 30/06/2020", "n_dates": 2}
        for i in range(n)
    ]  # fmt: skip
    result = consolidation(activities(*rows))
    out = write_workbook(result, tmp_path / "grande.xlsx")
    wb = load(out)
    assert wb["Actividades"].auto_filter.ref == f"A1:Q{n + 1}"
    assert wb["Cronograma"].auto_filter.ref == f"A3:S{2 * n + 3}"
    owners = sheet_rows(out, "Por responsable")
    # 4 areas (Planeación, TIC, Secretaría General, Control Interno), each a heading, a
    # summary line and a blank line; Planeación / TIC activities appear under both.
    listed = sum(1 for r in owners[3:] if r[0] and str(r[0]).startswith("Actividad "))
    assert listed == n + n // 3 + (1 if n % 3 else 0)


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


# Where the workbook goes ------------------------------------------------------------------

OUT_NAME = "seguimiento_paac_2020-04-30.xlsx"


def _excel_holds(monkeypatch: pytest.MonkeyPatch, *held: Path) -> None:
    """Windows' answer for a workbook open in Excel: it cannot be replaced."""
    real_replace = os.replace

    def replace(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        if Path(dst) in held:
            raise PermissionError(13, "Permission denied", str(dst))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(time, "sleep", lambda seconds: None)


def test_open_workbook_is_noticed_once_in_the_one_written_beside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    held = [tmp_path / OUT_NAME, tmp_path / "seguimiento_paac_2020-04-30 (2).xlsx"]
    for path in held:
        path.write_bytes(b"abierto en Excel")
    _excel_holds(monkeypatch, *held)
    result = consolidation(sample_acts())
    written = write_output(result, tmp_path)
    assert written.name == "seguimiento_paac_2020-04-30 (3).xlsx"
    assert result.output == written
    notices = [p for p in result.problems if p.code == "libro-abierto"]
    assert len(notices) == 1
    assert notices[0].message.startswith(
        f"{OUT_NAME}, seguimiento_paac_2020-04-30 (2).xlsx están abiertos en Excel"
    )
    listed = [r for r in sheet_rows(written, "Problemas") if r[5] == "libro-abierto"]
    assert [r[6] for r in listed] == [notices[0].message]
    assert all(path.read_bytes() == b"abierto en Excel" for path in held)


def test_every_name_open_is_an_output_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / OUT_NAME
    held = [target] + [
        target.with_name(f"{target.stem} ({n}).xlsx")
        for n in range(2, output_module.LOCKED_ALTERNATIVES + 2)
    ]
    for path in held:
        path.write_bytes(b"abierto")
    _excel_holds(monkeypatch, *held)
    result = consolidation(sample_acts())
    with pytest.raises(OutputError, match="están abiertos en Excel") as caught:
        write_output(result, tmp_path)
    assert isinstance(caught.value, PacExcelError) and caught.value.exit_code == 2
    assert not [p for p in result.problems if p.code == "libro-abierto"]
    assert sorted(tmp_path.iterdir()) == sorted(held)


def test_counts_come_from_the_alert_columns() -> None:
    result = consolidation(
        activities({"alerts": "Vencida; Sin avance"}, {"alerts": "Sin avance"}, {})
    )
    assert (result.overdue_count, result.no_progress_count) == (1, 2)
    assert list(result.alert_counts()) == [
        "vencida", "sin-avance", "sin-seguimiento", "na-con-fecha-pasada", "proxima-a-vencer",
        "sin-soporte", "avance-sin-evidencia", "cero-con-ejecucion", "avance-mayor-al-programado",
        "fecha-posterior-al-corte",
    ]  # fmt: skip
