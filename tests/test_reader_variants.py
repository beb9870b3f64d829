"""Issue 14: the follow-up variants other entities write, and "Sin dato" for what is unknown.

Each family is written as an office writes it (openpyxl for Excel, the format writers for
old Excel and LibreOffice), consolidated, and the Actividades sheet read back; every fixture
also goes through ``layout_fixtures.run``, which asserts that every non-blank row is
accounted for exactly once.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from format_writers import Pct, write_ods, write_xlwt
from format_writers import Sheet as FSheet
from layout_fixtures import build, run, table
from readback import sheet_rows

from pac_excel import consolidate, write_workbook
from pac_excel.check.labels import IN_PROGRESS, NO_DATA, NOT_STARTED, OVERDUE

D = dt.date


def consolidated(path: Path, tmp_path: Path, cutoff: dt.date | None) -> list[dict[str, Any]]:
    """Consolidate one file, write the workbook and read Actividades back, one dict a row."""
    result = consolidate([path], cutoff=cutoff, output_dir=None, history_store=False)
    out = write_workbook(result, tmp_path / "consolidado.xlsx")
    rows = sheet_rows(out, "Actividades")
    header = [str(h) for h in rows[0]]
    return [dict(zip(header, r, strict=True)) for r in rows[1:]]


def problems_of(path: Path, cutoff: dt.date | None = None, code: str = "") -> list[str]:
    result = consolidate([path], cutoff=cutoff, output_dir=None, history_store=False)
    return [p.message for p in result.problems if p.code == code]


# 1. Progress and observation headers with a qualifier --------------------------------------

QUALIFIED_HEADERS = [
    # (progress headers, followup header): what entities write above the table
    (["% avance verificado OCI"], "Observaciones OCI"),
    (["% cumplimiento OCI"], "Análisis de la OCI"),
    (["% de avance reportado por el área", "% avance verificado OCI"], "Observaciones OCI"),
    (["Avance (%) dependencia", "% cumplimiento OCI"], "Descripción del avance y evidencias (OCI)"),
]


@pytest.mark.parametrize(("progress_headers", "followup"), QUALIFIED_HEADERS)
def test_qualified_headers_read_the_oci_progress(
    tmp_path: Path, progress_headers: list[str], followup: str
) -> None:
    both = len(progress_headers) == 2
    header = ["Subcomponente", "Actividades", "Responsable", "Fecha programada"]
    header += progress_headers + [followup]

    def row(activity: str, area: float, oci: float, text: str) -> list[object]:
        cells: list[object] = ["Consulta y divulgación", activity, "Planeación", "30/04/2025"]
        return cells + ([area, oci] if both else [oci]) + [text]

    path = build(
        tmp_path / "seguimiento.xlsx",
        {
            "PAAC 2025": [
                ["Entidad: Alcaldía de Sopó"],
                ["Vigencia: 2025"],
                header,
                row("Publicar el mapa de riesgos", 1, 0.5, "Publicado sin soportes de consulta"),
                row("Socializar el mapa", 1, 1, "Se evidenció el acta"),
            ]
        },
    )
    got = run(path, cutoff=D(2025, 4, 30))
    assert table(got, "activity", "progress", "followup") == [
        ("Publicar el mapa de riesgos", 0.5, "Publicado sin soportes de consulta"),
        ("Socializar el mapa", 1.0, "Se evidenció el acta"),
    ]
    assert not got.codes("columna-no-usada")
    acts = consolidated(path, tmp_path, D(2025, 4, 30))
    assert [a["Avance reportado"] for a in acts] == [0.5, 1]
    if both:
        assert [a["Avance reportado por el área"] for a in acts] == [1, 1]
    else:
        assert "Avance reportado por el área" not in acts[0]


def test_area_progress_alone_is_the_progress(tmp_path: Path) -> None:
    """Without an OCI column the area's report is the only progress there is."""
    path = build(
        tmp_path / "f.xlsx",
        {
            "Hoja1": [
                ["Vigencia 2025"],
                [
                    "Actividad",
                    "Responsable",
                    "Fecha programada",
                    "% de avance reportado por el área",
                ],
                ["Publicar el plan", "Planeación", "31/01/2025", 1],
            ]
        },
    )
    got = run(path, cutoff=D(2025, 4, 30))
    assert table(got, "activity", "progress", "area_progress") == [("Publicar el plan", 1.0, None)]


# 5. The office's own state ----------------------------------------------------------------


@pytest.mark.parametrize("label", ["Estado", "Estado de la actividad", "ESTADO ACTUAL"])
def test_office_state_is_kept_as_estado_reportado(tmp_path: Path, label: str) -> None:
    path = build(
        tmp_path / "f.xlsx",
        {
            "PAAC": [
                ["Entidad: Instituto Distrital de Turismo"],
                ["Vigencia: 2025"],
                ["Actividades", "Responsable", "Fecha programada", "% de avance", label],
                ["Publicar el mapa", "OCI", "31/03/2025", 0.5, "En ejecución"],
                ["Socializar el código", "Talento humano", "31/12/2025", 0, "Sin iniciar"],
                ["Rendir cuentas", "Planeación", "30/11/2025", 0.2, None],
            ]
        },
    )
    got = run(path, cutoff=D(2025, 4, 30))
    assert table(got, "activity", "reported_status") == [
        ("Publicar el mapa", "En ejecución"),
        ("Socializar el código", "Sin iniciar"),
        ("Rendir cuentas", None),
    ]
    assert not got.codes("columna-no-usada")
    acts = consolidated(path, tmp_path, D(2025, 4, 30))
    assert [(a["Estado"], a["Estado reportado"]) for a in acts] == [
        (OVERDUE, "En ejecución"),
        (NOT_STARTED, "Sin iniciar"),
        (IN_PROGRESS, None),
    ]


def test_no_optional_columns_when_no_file_reports_them(tmp_path: Path) -> None:
    path = build(
        tmp_path / "f.xlsx",
        {
            "PAAC": [
                ["Vigencia: 2025"],
                ["Actividades", "Responsable", "Fecha programada", "% de avance"],
                ["Publicar el mapa", "OCI", "31/03/2025", 1],
            ]
        },
    )
    acts = consolidated(path, tmp_path, D(2025, 4, 30))
    assert "Estado reportado" not in acts[0]
    assert "Avance reportado por el área" not in acts[0]


# What is unknown is said, never guessed ---------------------------------------------------


def _no_progress_book(path: Path, writer: str) -> Path:
    rows: list[list[Any]] = [
        ["Entidad: Alcaldía de Chía"],
        ["Vigencia: 2025"],
        ["Subcomponente", "Actividades", "Responsable", "Fecha programada", "Avance y evidencias"],
    ]
    rows += [
        ["Consulta y divulgación", f"Actividad {n}", "OCI", f"{n:02d}/03/2025", "Ver carpeta"]
        for n in range(1, 11)
    ]
    if writer == "xlsx":
        return build(path.with_suffix(".xlsx"), {"Seguimiento": rows})
    sheet = FSheet(rows)
    if writer == "xls":
        return write_xlwt(path.with_suffix(".xls"), {"Seguimiento": sheet})
    return write_ods(path.with_suffix(".ods"), {"Seguimiento": sheet})


@pytest.mark.parametrize("writer", ["xlsx", "xls", "ods"])
def test_table_without_progress_column_is_sin_dato_never_vencida(
    tmp_path: Path, writer: str
) -> None:
    path = _no_progress_book(tmp_path / "seguimiento", writer)
    got = run(path, cutoff=D(2025, 4, 30))
    assert len(got.acts) == 10
    assert all(a["progress_unknown"] for a in got.acts)
    (warning,) = problems_of(path, D(2025, 4, 30), "sin-columna-de-avance")
    assert "«Actividades»" in warning and "«Responsable»" in warning
    acts = consolidated(path, tmp_path, D(2025, 4, 30))
    assert {a["Estado"] for a in acts} == {NO_DATA}
    assert not any(a["Alertas"] and "Vencida" in a["Alertas"] for a in acts)


def test_unreadable_progress_cell_is_sin_dato_not_zero(tmp_path: Path) -> None:
    path = build(
        tmp_path / "f.xlsx",
        {
            "PAAC": [
                ["Vigencia: 2025"],
                ["Actividades", "Responsable", "Fecha programada", "% de avance", "Observaciones"],
                ["Publicar el mapa", "OCI", "31/03/2025", "ver soporte", "Se revisó"],
                ["Socializar el mapa", "OCI", "31/03/2025", Pct(0).value, "Nada"],
                ["Rendir cuentas", "OCI", "31/03/2025", None, None],
            ]
        },
    )
    got = run(path, cutoff=D(2025, 4, 30))
    assert table(got, "activity", "progress", "progress_unknown") == [
        ("Publicar el mapa", None, True),
        ("Socializar el mapa", 0.0, False),
        ("Rendir cuentas", None, False),
    ]
    assert got.codes("avance-no-valido")
    acts = consolidated(path, tmp_path, D(2025, 4, 30))
    assert [a["Estado"] for a in acts] == [NO_DATA, OVERDUE, OVERDUE]
    assert acts[0]["Alertas"] is None or "Vencida" not in acts[0]["Alertas"]


# 2. Progress written as a count -----------------------------------------------------------


def test_progress_as_a_count_is_the_fraction_kept_with_its_text(tmp_path: Path) -> None:
    path = build(
        tmp_path / "f.xlsx",
        {
            "Seguimiento": [
                ["Entidad: Alcaldía de Cota"],
                ["Vigencia: 2025"],
                ["Actividad", "Responsable", "Fecha programada", "Avance", "Observaciones"],
                ["Monitorear el mapa", "OCI", "30/04/2025; 31/08/2025; 31/12/2025",
                 "2 de 3 monitoreos", "Van dos"],
                ["Publicar informes", "OCI", "31/03/2025", "3/4 informes", "Falta uno"],
                ["Rendir cuentas", "Planeación", "30/06/2025; 31/12/2025", "1 de 2", ""],
            ]
        },
    )  # fmt: skip
    got = run(path, cutoff=D(2025, 4, 30))
    assert table(got, "activity", "progress", "progress_text") == [
        ("Monitorear el mapa", pytest.approx(2 / 3), "2 de 3 monitoreos"),
        ("Publicar informes", 0.75, "3/4 informes"),
        ("Rendir cuentas", 0.5, "1 de 2"),
    ]
    assert not got.codes("avance-no-valido")
    acts = consolidated(path, tmp_path, D(2025, 4, 30))
    assert [a["Avance reportado"] for a in acts] == [pytest.approx(2 / 3), 0.75, 0.5]


# 3. Periods as dates, ranges with their start ----------------------------------------------

PERIODS = [
    ("Primer semestre", D(2025, 6, 30)),
    ("I semestre 2025", D(2025, 6, 30)),
    ("Segundo semestre", D(2025, 12, 31)),
    ("II trimestre", D(2025, 6, 30)),
    ("Q2", D(2025, 6, 30)),
    ("Segundo cuatrimestre", D(2025, 8, 31)),
    ("Bimestre 3", D(2025, 6, 30)),
    ("I Cuatrimestre", D(2025, 4, 30)),
]


@pytest.mark.parametrize("writer", ["xlsx", "ods"])
def test_periods_are_the_last_day_of_the_period_of_the_plan_year(
    tmp_path: Path, writer: str
) -> None:
    rows: list[list[Any]] = [
        ["ALCALDÍA MUNICIPAL DE TENJO – SEGUIMIENTO PLAN ANTICORRUPCIÓN 2025"],
        ["Actividades", "Responsable", "Fecha programada", "% de avance"],
    ]
    rows += [[f"Actividad {label}", "OCI", label, 0.5] for label, _ in PERIODS]
    if writer == "xlsx":
        path = build(tmp_path / "f.xlsx", {"PAAC": rows})
    else:
        path = write_ods(tmp_path / "f.ods", {"PAAC": FSheet(rows)})
    got = run(path, cutoff=D(2025, 4, 30))
    assert table(got, "activity", "schedule") == [
        (f"Actividad {label}", f"{due:%d/%m/%Y}") for label, due in PERIODS
    ]
    assert not got.codes("fecha-no-valida")
    acts = consolidated(path, tmp_path, D(2025, 4, 30))
    assert acts[-1]["Estado"] == OVERDUE  # I Cuatrimestre at 50 % on 30 April
    assert {a["Estado"] for a in acts[:-1]} == {IN_PROGRESS}


def test_a_range_keeps_its_start_and_expects_the_share_elapsed(tmp_path: Path) -> None:
    path = build(
        tmp_path / "f.xlsx",
        {
            "PAAC": [
                ["Vigencia: 2025"],
                ["Actividades", "Responsable", "Fecha programada", "% de avance"],
                ["Actualizar la página web", "TIC", "Marzo a diciembre", 0.1],
                ["Capacitar a los servidores", "Talento humano", "Enero a junio de 2025", 0.5],
                ["Publicar el plan", "Planeación", "31/01/2025", 1],
            ]
        },
    )
    got = run(path, cutoff=D(2025, 4, 30))
    assert table(got, "activity", "schedule", "n_dates") == [  # the range ends on its due date
        ("Actualizar la página web", "31/12/2025", 1),
        ("Capacitar a los servidores", "30/06/2025", 1),
        ("Publicar el plan", "31/01/2025", 1),
    ]
    starts = [a["range_start"] for a in got.acts]
    assert starts[:2] == [dt.datetime(2025, 3, 1), dt.datetime(2025, 1, 1)]
    assert starts[2] is pd.NaT
    acts = consolidated(path, tmp_path, D(2025, 4, 30))
    # 1 March–30 April is 61 of the range's 306 days; 1 January–30 April 120 of 181.
    assert [a["Avance esperado"] for a in acts] == [
        pytest.approx(61 / 306),
        pytest.approx(120 / 181),
        1,
    ]
    assert [a["Estado"] for a in acts] == [IN_PROGRESS, IN_PROGRESS, "Cumplida"]
    assert acts[0]["Cumplimiento"] == pytest.approx(0.1 / (61 / 306))


# 4. The entity from a title line ----------------------------------------------------------

SOPO_TITLE = (
    "ALCALDÍA MUNICIPAL DE SOPÓ – SEGUIMIENTO PLAN ANTICORRUPCIÓN Y DE ATENCIÓN AL CIUDADANO "
    "VIGENCIA 2025 – PRIMER CUATRIMESTRE"
)
TITLES = [
    (SOPO_TITLE, "ALCALDÍA MUNICIPAL DE SOPÓ"),
    ("INSTITUTO DISTRITAL DE LAS ARTES – PLAN ANTICORRUPCIÓN 2025", "INSTITUTO DISTRITAL DE LAS ARTES"),
    ("Gobernación de Boyacá - Programa de Transparencia y Ética Pública 2025",
     "Gobernación de Boyacá"),
    ("E.S.E. HOSPITAL SAN RAFAEL SEGUIMIENTO PAAC 2025", "E.S.E. HOSPITAL SAN RAFAEL"),
]  # fmt: skip


@pytest.mark.parametrize(("title", "entity"), TITLES)
def test_entity_from_a_title_line(tmp_path: Path, title: str, entity: str) -> None:
    path = build(
        tmp_path / "f.xlsx",
        {
            "PAAC": [
                [title],
                ["Actividades", "Responsable", "Fecha programada", "% de avance"],
                ["Publicar el mapa", "OCI", "31/03/2025", 1],
            ]
        },
    )
    got = run(path, cutoff=D(2025, 4, 30))
    assert table(got, "entity") == [(entity,)]
    assert not problems_of(path, D(2025, 4, 30), "entidad-no-encontrada")
    assert consolidated(path, tmp_path, D(2025, 4, 30))[0]["Entidad"] == entity


def test_an_entidad_cell_still_wins_over_the_title(tmp_path: Path) -> None:
    path = build(
        tmp_path / "f.xlsx",
        {
            "PAAC": [
                ["ALCALDÍA DE CHÍA – SEGUIMIENTO PLAN ANTICORRUPCIÓN 2025"],
                ["Entidad: Municipio de Chía"],
                ["Actividades", "Responsable", "Fecha programada", "% de avance"],
                ["Publicar el mapa", "OCI", "31/03/2025", 1],
            ]
        },
    )
    assert table(run(path), "entity") == [("Municipio de Chía",)]


# A cut inferred from today whose year is not the plan's vigencia ---------------------------


def _plan_2023(path: Path) -> Path:
    return build(
        path,
        {
            "PAAC 2023": [
                ["Entidad: Alcaldía de Tabio"],
                ["Vigencia: 2023"],
                ["Actividades", "Responsable", "Fecha programada", "% de avance"],
                ["Publicar el mapa", "OCI", "31/03/2023", 1],
                ["Rendir cuentas", "Planeación", "30/11/2023", 0.5],
            ]
        },
    )


def test_a_past_vigencia_is_judged_at_its_own_closing_cut(tmp_path: Path) -> None:
    path = _plan_2023(tmp_path / "f.xlsx")
    result = consolidate([path], output_dir=None, history_store=False, today=D(2025, 5, 6))
    assert result.cutoff == D(2023, 12, 31)
    (warning,) = [p for p in result.problems if p.code == "corte-fuera-de-vigencia"]
    assert "2023" in warning.message and "--corte 2023-12-31" in warning.message
    assert "30/04/2025" in warning.message
    assert "31/12/2023" in result.cutoff_source


def test_today_in_the_vigencia_is_used_without_a_warning(tmp_path: Path) -> None:
    path = _plan_2023(tmp_path / "f.xlsx")
    result = consolidate([path], output_dir=None, history_store=False, today=D(2023, 5, 6))
    assert result.cutoff == D(2023, 4, 30)
    assert not [p for p in result.problems if p.code == "corte-fuera-de-vigencia"]


def test_corte_given_is_never_second_guessed(tmp_path: Path) -> None:
    path = _plan_2023(tmp_path / "f.xlsx")
    result = consolidate(
        [path], cutoff=D(2023, 8, 31), output_dir=None, history_store=False, today=D(2025, 5, 6)
    )
    assert result.cutoff == D(2023, 8, 31)
    assert not [p for p in result.problems if p.code == "corte-fuera-de-vigencia"]


# 6. One sheet per cut, no cut word in the sheet names -------------------------------------

ACTIVITIES = ["Publicar el mapa de riesgos", "Socializar el código de integridad", "Rendir cuentas"]


def _cut_sheet(progress: list[object], cut: str | None) -> list[list[object]]:
    rows: list[list[object]] = [["Entidad: Alcaldía de Cajicá"], ["Vigencia: 2025"]]
    if cut:
        rows.append([f"Fecha de corte: {cut}"])
    rows.append(["Actividades", "Responsable", "Fecha programada", "% de avance"])
    rows += [
        [activity, "OCI", "30/04/2025; 31/08/2025", value]
        for activity, value in zip(ACTIVITIES, progress, strict=True)
    ]
    return rows


@pytest.mark.parametrize("names", [("PAAC", "PAAC (2)"), ("Hoja1", "Hoja2"), ("OCI", "OCI 2")])
def test_sheets_of_one_plan_are_consolidated_once(tmp_path: Path, names: tuple[str, str]) -> None:
    path = build(
        tmp_path / "f.xlsx",
        {
            names[0]: _cut_sheet([0.5, 0.5, 0], None),
            names[1]: _cut_sheet([1, 0.5, 0.5], None),
        },
    )
    got = run(path)
    assert table(got, "sheet", "activity", "progress") == [
        (names[1], ACTIVITIES[0], 1.0),
        (names[1], ACTIVITIES[1], 0.5),
        (names[1], ACTIVITIES[2], 0.5),
    ]
    assert set(got.roles(names[0]).values()) >= {"historial"}
    history = got.result.history
    assert list(history["cut"]) == [names[0]] * 3
    assert list(history["progress"]) == [0.5, 0.5, 0]
    (notice,) = got.codes("varios-cortes")
    assert f"«{names[1]}»" in notice.message


def test_the_sheet_of_the_cut_asked_for_is_consolidated(tmp_path: Path) -> None:
    path = build(
        tmp_path / "f.xlsx",
        {
            "Seg": _cut_sheet([0.5, 0.5, 0], "30/04/2025"),
            "Seg (2)": _cut_sheet([1, 0.5, 0.5], "31/08/2025"),
        },
    )
    got = run(path, cutoff=D(2025, 4, 30))
    assert {a["sheet"] for a in got.acts} == {"Seg"}
    assert table(got, "progress") == [(0.5,), (0.5,), (0.0,)]


def test_sheets_with_different_activities_are_all_consolidated(tmp_path: Path) -> None:
    other = _cut_sheet([1, 1, 1], None)
    for row in other[-3:]:
        row[0] = f"Otra {row[0]}"
    path = build(tmp_path / "f.xlsx", {"Hoja1": _cut_sheet([0.5, 0.5, 0], None), "Hoja2": other})
    got = run(path)
    assert len(got.acts) == 6
    assert not got.codes("varios-cortes")


def test_copies_of_one_sheet_are_not_cuts(tmp_path: Path) -> None:
    """Cuts differ in their follow-up; identical sheets are read as before, each one."""
    path = build(
        tmp_path / "f.xlsx",
        {"Hoja1": _cut_sheet([0.5, 0.5, 0], None), "Hoja2": _cut_sheet([0.5, 0.5, 0], None)},
    )
    got = run(path)
    assert len(got.acts) == 6
    assert not got.codes("varios-cortes")


def test_cronograma_never_shows_vencida_for_an_unreadable_progress(tmp_path: Path) -> None:
    path = _no_progress_book(tmp_path / "seguimiento", "xlsx")
    result = consolidate([path], cutoff=D(2025, 4, 30), output_dir=None, history_store=False)
    out = write_workbook(result, tmp_path / "consolidado.xlsx")
    text = [str(v) for row in sheet_rows(out, "Cronograma") for v in row if v is not None]
    assert any("? Sin dato" in t for t in text)  # the legend names the mark
    assert not any(t.startswith("✖") for t in text)
    assert set(result.deliveries["state"]) == {"Sin dato"}


def test_area_progress_in_whole_numbers(tmp_path: Path) -> None:
    path = build(
        tmp_path / "f.xlsx",
        {
            "PAAC": [
                ["Vigencia: 2025"],
                ["Actividades", "Responsable", "Fecha programada", "Avance (%) dependencia",
                 "% avance verificado OCI", "Observaciones OCI"],
                ["Publicar el mapa", "OCI", "31/03/2025", 100, 50, "Falta la consulta"],
                ["Socializar el mapa", "OCI", "31/03/2025", 40, 40, "Va en curso"],
            ]
        },
    )  # fmt: skip
    got = run(path, cutoff=D(2025, 4, 30))
    assert table(got, "progress", "area_progress") == [(0.5, 1.0), (0.4, 0.4)]
