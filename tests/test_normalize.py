"""normalize: activities rebuilt from printed-document rows, and every row accounted for."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from conftest import SAMPLES, SEED_SAMPLE, make_workbook
from hypothesis import given, settings
from hypothesis import strategies as st

from pac_excel.frames import ACTIVITY_DTYPES, DELIVERY_DTYPES, HISTORY_DTYPES
from pac_excel.normalize.run import Normalized, normalize
from pac_excel.problems import Problem
from pac_excel.read.sheets import InputFile, RawSheet, read_file
from pac_excel.text import is_blank

HEADER = [
    "SUBCOMPONENTE",
    "ACTIVIDADES",
    "META O PRODUCTO",
    "RESPONSABLES",
    "FECHA PROGRAMADA",
    "% AVANCE",
    "SEGUIMIENTO",
]


def run(path: Path) -> tuple[Normalized, list[Problem]]:
    problems: list[Problem] = []
    sheets = read_file(InputFile(path, path.name), problems)
    return normalize(sheets, problems), problems


def nonblank_rows(sheet: RawSheet) -> list[int]:
    return [i + 1 for i, r in enumerate(sheet.rows) if not all(is_blank(v) for v in r)]


def test_seed_frames_have_declared_dtypes() -> None:
    result, _ = run(SEED_SAMPLE)
    assert result.activities.dtypes.astype(str).to_dict() == ACTIVITY_DTYPES
    assert result.deliveries.dtypes.astype(str).to_dict() == DELIVERY_DTYPES
    assert len(result.activities) == 19
    assert len(result.deliveries) == 23  # 11 single dates + 3 activities x 4 dates; 5 Permanente


def test_seed_every_nonblank_row_accounted_once() -> None:
    problems: list[Problem] = []
    (sheet,) = read_file(InputFile(SEED_SAMPLE, SEED_SAMPLE.name), problems)
    result = normalize([sheet], problems)
    assert list(result.rows["row"]) == nonblank_rows(sheet)
    roles = dict(zip(result.rows["row"], result.rows["role"], strict=True))
    assert roles[40] == "continuación"  # "información estadística de las PQRSD." after a page break
    assert roles[54] == "continuación"  # owner and follow-up fragments after a page break
    assert [roles[r] for r in range(69, 75)] == ["actividad"] + ["subítem"] * 4 + ["continuación"]
    assert roles[8] == "encabezado"
    omitted = result.rows[result.rows["role"] == "omitida"]
    assert set(omitted["reason"]) == {
        "encabezado del documento (título, entidad, corte)",
        "membrete de página (se repite en la hoja)",
        "firmas y pie del documento",
    }


def test_seed_metadata() -> None:
    result, _ = run(SEED_SAMPLE)
    (info,) = result.sources
    assert info.entity == "GOBERNACIÓN DEL PUTUMAYO"
    assert info.year == 2020
    assert info.cutoff == dt.date(2020, 4, 30)
    assert info.cutoff_where == f"[{SEED_SAMPLE.name}]Seguimiento!C7"


def test_dafp_sample_merged_cells_and_component_rows() -> None:
    path = SAMPLES / "seguimiento_paac_alcaldia_sibundoy_2020.xlsx"
    result, problems = run(path)
    acts = result.activities
    assert len(acts) == 14
    by_row = acts.set_index("row")
    assert by_row.loc[13, "subcomponent"] == "Consulta y divulgación"  # merged over rows 12-13
    assert list(acts["component"]) == [1, 1, 1, 1, 2, 2, 3, 3, 3, 4, 4, 5, 5, 5]
    assert "Actividades cumplidas" not in by_row.loc[11, "followup"]
    assert by_row.loc[11, "followup"].startswith("El 27/03/2020 se socializ")  # done + OCI text
    (info,) = result.sources
    assert (info.entity, info.year, info.cutoff) == (
        "Alcaldía Municipal de Sibundoy",
        2020,
        dt.date(2020, 4, 30),
    )
    assert not [p for p in problems if p.severity.value != "Información"]


def test_component_heading_rows_and_whole_number_progress(tmp_path: Path) -> None:
    path = make_workbook(
        tmp_path / "plan.xlsx",
        {
            "PAAC": [
                ["Entidad:", "Hospital San Juan E.S.E."],
                ["Fecha de corte:", "31/08/2021"],
                [
                    "Subcomponente",
                    "Actividad",
                    "Responsable",
                    "Fecha programada",
                    "Avance",
                    "Observaciones",
                ],
                ["COMPONENTE 3: RENDICIÓN DE CUENTAS"],
                ["Diálogo", "Audiencia pública", "Gerencia", "30/06/2021", 100, "Realizada"],
                ["", "Informe de gestión", "Gerencia", "31/12/2021", 50, "En curso"],
                ["COMPONENTE 4: ATENCIÓN AL CIUDADANO"],
                ["Talento humano", "Capacitar", "Talento Humano", "30/11/2021", 0, ""],
            ]
        },
    )
    result, _ = run(path)
    acts = result.activities
    assert list(acts["component"]) == [3, 3, 4]
    assert list(acts["progress"]) == [1.0, 0.5, 0.0]
    assert list(acts["subcomponent"]) == ["Diálogo", "Diálogo", "Talento humano"]
    (info,) = result.sources
    assert info.entity == "Hospital San Juan E.S.E."
    assert info.cutoff == dt.date(2021, 8, 31)
    assert info.year == 2021


def test_row_with_empty_activity_continues_the_one_above(tmp_path: Path) -> None:
    path = make_workbook(
        tmp_path / "f.xlsx",
        {
            "S": [
                HEADER,
                ["Seguimiento", "Revisar el mapa", "Mapa", "OCI", "30/04/2020", "0%", "Sin"],
                ["", "", "revisado", "y Planeación", "31/08/2020", "", "evidencia"],
            ]
        },
    )
    result, _ = run(path)
    (act,) = result.activities.to_dict("records")
    assert (act["goal"], act["owner"], act["followup"]) == (
        "Mapa revisado",
        "OCI y Planeación",
        "Sin evidencia",
    )
    assert act["schedule"] == "30/04/2020; 31/08/2020"
    assert list(result.deliveries["activity_id"]) == [0, 0]


def test_numbered_activities_are_not_subitems(tmp_path: Path) -> None:
    path = make_workbook(
        tmp_path / "f.xlsx",
        {
            "S": [
                HEADER,
                ["Seguimiento", "1. Revisar el mapa", "Mapa", "OCI", "30/04/2020", "0%", ""],
                ["", "2. Publicar el mapa", "Mapa", "OCI", "30/04/2020", "0%", ""],
            ]
        },
    )
    result, _ = run(path)
    assert len(result.activities) == 2


def test_orphan_data_and_bad_values_are_reported(tmp_path: Path) -> None:
    path = make_workbook(
        tmp_path / "f.xlsx",
        {
            "S": [
                HEADER,
                ["", "", "Meta suelta", "OCI", "", "", ""],
                ["Seguimiento", "Revisar", "Mapa", "OCI", "31/02/2020", "pendiente", ""],
            ]
        },
    )
    result, problems = run(path)
    assert len(result.activities) == 1
    codes = {(p.code, p.row, p.column) for p in problems}
    assert ("fila-omitida", 2, None) in codes
    assert ("fecha-no-valida", 3, "E") in codes
    assert ("avance-no-valido", 3, "F") in codes


def test_sheet_without_table_and_file_without_table(tmp_path: Path) -> None:
    path = make_workbook(tmp_path / "f.xlsx", {"Hoja1": [["Diligencie la hoja PAAC"]]})
    result, problems = run(path)
    assert result.activities.empty
    assert [p.code for p in problems] == ["hoja-sin-tabla", "sin-tabla-de-seguimiento"]
    # its rows are accounted for too
    assert list(result.rows["reason"]) == ["hoja sin tabla de seguimiento"]


def test_instructions_sheet_is_skipped_by_name(tmp_path: Path) -> None:
    path = make_workbook(
        tmp_path / "f.xlsx",
        {"Instrucciones": [["Diligencie la hoja PAAC"], ["Actividad", "Responsable", "Fecha"]]},
    )
    result, problems = run(path)
    assert [p.code for p in problems] == ["hoja-omitida", "sin-tabla-de-seguimiento"]
    assert "instrucciones" in problems[0].message
    assert list(result.rows["role"]) == ["omitida", "omitida"]


CELLS = st.one_of(
    st.just(""),
    st.just("Revisar el mapa"),
    st.just("revisado."),
    st.just("1. Uno"),
    st.just("2. Dos"),
    st.just("REPUBLICA DE COLOMBIA"),
    st.just("Permanente"),
    st.just("30/06/2020"),
    st.just("0%"),
    st.just("N/A"),
    st.just("Componente 2"),
    st.just("Elaboró: Ana"),
    st.floats(0, 1),
    st.dates(dt.date(2019, 1, 1), dt.date(2021, 12, 31)),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(CELLS, min_size=7, max_size=7), max_size=25))
def test_every_nonblank_row_is_accounted_for(rows: list[list[object]]) -> None:
    sheet = RawSheet("f.xlsx", Path("f.xlsx"), "S", [HEADER, *rows])
    problems: list[Problem] = []
    result = normalize([sheet], problems)
    assert list(result.rows["row"]) == nonblank_rows(sheet)
    assert result.activities.dtypes.astype(str).to_dict() == ACTIVITY_DTYPES
    activity_rows = result.rows[result.rows["role"] == "actividad"]
    assert list(activity_rows["activity_id"]) == list(result.activities["activity_id"])


def test_over_long_text_is_cut_and_reported() -> None:
    # openpyxl and xlsxwriter both cut at 32,767 on save, so the sheet is built in memory.
    rows = [HEADER, ["Seguimiento", "Revisar", "Mapa", "OCI", "30/06/2020", "0%", "x" * 40_000]]
    problems: list[Problem] = []
    result = normalize([RawSheet("f.xlsx", Path("f.xlsx"), "S", rows)], problems)
    assert len(result.activities["followup"][0]) == 32_767
    (long,) = [p for p in problems if p.code == "texto-demasiado-largo"]
    assert (long.row, long.column) == (2, "G")
    assert "40.000 caracteres" in long.message


LAYOUT_CELLS = st.one_of(
    CELLS,
    st.just("TOTAL COMPONENTE 1"),
    st.just("Promedio"),
    st.just("0 - 59 %"),
    st.just("Rojo"),
    st.just("Subcomponente 2 Construcción del mapa"),
    st.just("COMPONENTE 3: RENDICIÓN DE CUENTAS"),
    st.just("X"),
    st.just("Plan Institucional de Archivos"),
    st.just("Plan Anticorrupción"),
    st.just("1.1 Actualizar la política"),
    st.just("Fecha de corte: 30/04/2020"),
    st.just("II Cuatrimestre 2020"),
)
HEADERS = st.sampled_from(
    [
        [HEADER],
        [
            ["Plan", "Actividad", "Responsable", "Fecha", "", "SEGUIMIENTO 1", ""],
            ["", "", "", "Inicio", "Fin", "% avance", "Observaciones"],
        ],
        [
            ["No", "Actividad", "Responsable", "T1", "T2", "Seguimiento 1", "Seguimiento 2"],
        ],
        [["Causa", "Riesgo", "Probabilidad", "Impacto", "Controles", "Acciones", "Fecha"]],
        [
            [
                "Componente",
                "Actividades programadas",
                "Actividades cumplidas",
                "% avance",
                "",
                "",
                "",
            ]
        ],
    ]
)
SHEET_NAMES = st.sampled_from(
    ["S", "Riesgos", "Trámites", "Seguimiento 1", "Seguimiento 2", "Instrucciones", "Resumen"]
)


@st.composite
def layout_sheets(draw: st.DrawFn) -> list[RawSheet]:
    sheets = []
    for name in draw(st.lists(SHEET_NAMES, min_size=1, max_size=3, unique=True)):
        header = draw(HEADERS)
        body = draw(st.lists(st.lists(LAYOUT_CELLS, min_size=7, max_size=7), max_size=15))
        rows = [list(r) for r in header] + body
        merged = []
        if len(header) == 2:
            merged = [((0, 3), (0, 4)), ((0, 5), (0, 6)), ((0, 0), (1, 0))]
        for top in draw(st.lists(st.integers(len(header), len(rows)), max_size=3)):
            column = draw(st.integers(0, 6))
            merged.append(((top, column), (min(top + 2, len(rows)), column)))
        sheets.append(RawSheet("f.xlsx", Path("f.xlsx"), name, rows, tuple(merged)))
    return sheets


@settings(max_examples=150, deadline=None)
@given(layout_sheets(), st.sampled_from([None, dt.date(2020, 4, 30), dt.date(2020, 8, 31)]))
def test_every_nonblank_row_is_accounted_for_in_any_layout(
    sheets: list[RawSheet], cutoff: dt.date | None
) -> None:
    problems: list[Problem] = []
    result = normalize(sheets, problems, cutoff=cutoff)
    for sheet in sheets:
        mine = result.rows[result.rows["sheet"] == sheet.sheet]
        assert sorted(mine["row"]) == nonblank_rows(sheet), sheet.sheet
    activity_rows = result.rows[result.rows["role"] == "actividad"]
    assert sorted(activity_rows["activity_id"]) == list(result.activities["activity_id"])
    assert result.activities.dtypes.astype(str).to_dict() == ACTIVITY_DTYPES
    assert result.history.dtypes.astype(str).to_dict() == HISTORY_DTYPES
    assert set(result.rows["role"]) <= {
        "actividad",
        "continuación",
        "subítem",
        "encabezado",
        "omitida",
        "historial",
    }


def test_unused_columns_with_data_are_named(tmp_path: Path) -> None:
    path = make_workbook(
        tmp_path / "f.xlsx",
        {
            "S": [
                [*HEADER, "Nota interna", "Vacía"],
                [
                    "Seguimiento",
                    "Revisar",
                    "Mapa",
                    "OCI",
                    "30/06/2020",
                    "0%",
                    "",
                    "En ejecución",
                    "",
                ],
            ]
        },
    )
    _, problems = run(path)
    (unused,) = [p for p in problems if p.code == "columna-no-usada"]
    assert (unused.row, unused.severity.value) == (1, "Información")  # the header row
    assert unused.message.endswith(": H «Nota interna».")
