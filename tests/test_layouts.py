"""One small fixture per layout variant seen in real follow-ups (file formats belong to read).

Each test builds its workbook with openpyxl, reads it with the real reader, normalizes it and
checks the activities (count, text, component, dates, progress) and that every non-blank row
is accounted for exactly once (``layout_fixtures.run`` asserts the latter on every fixture).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from layout_fixtures import Sheet, build, run, table

from pac_excel.check.figures import overall_summary
from pac_excel.check.owners import split_owner
from pac_excel.check.rules import check
from pac_excel.normalize.catalog import load_catalog
from pac_excel.normalize.cutoff import NoCutoffError, resolve_cutoff
from pac_excel.normalize.header import find_header
from pac_excel.normalize.layout import (
    LEGEND,
    RISK_MAP,
    SUMMARY,
    TOTAL,
    TRAMITES,
    is_legend_row,
    sheet_skip_reason,
)
from pac_excel.normalize.run import normalize
from pac_excel.read.sheets import InputFile, read_file

D = dt.date
HEADER: list[object] = [
    "Subcomponente",
    "Actividades",
    "Meta o producto",
    "Responsable",
    "Fecha programada",
    "% de avance",
    "Observaciones",
]


def plan_rows(*activities: tuple[object, ...]) -> list[list[object]]:
    return [HEADER, *[list(a) for a in activities]]


# 1. Header on row 1, or after title, code/version and metadata rows -------------------------


def test_01_header_on_row_one(tmp_path: Path) -> None:
    path = build(
        tmp_path / "f.xlsx",
        {
            "PAAC": plan_rows(
                ("Consulta y divulgación", "Publicar el mapa", "Mapa", "OCI", "31/01/2021", 1, ""),
                ("", "Socializar el mapa", "Acta", "OCI", "31/03/2021", 0.5, ""),
            )
        },
    )
    got = run(path)
    assert table(got, "activity", "component", "schedule", "progress") == [
        ("Publicar el mapa", 1, "31/01/2021", 1.0),
        ("Socializar el mapa", 1, "31/03/2021", 0.5),
    ]
    assert got.roles() == {1: "encabezado", 2: "actividad", 3: "actividad"}


def test_01_header_after_title_code_and_metadata_rows(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["ALCALDÍA MUNICIPAL DE SOPÓ", "", "", "", "", "Código: F-GI-53"],
        [
            "FORMATO SEGUIMIENTO AL PLAN ANTICORRUPCIÓN Y DE ATENCIÓN AL CIUDADANO",
            "",
            "",
            "",
            "",
            "Versión: 02",
        ],
        ["", "", "", "", "", "Fecha de aprobación: 2019 / 01 /22"],
        ["", "", "", "", "", "Página 1 de 2"],
        ["Entidad:", "Alcaldía Municipal de Sopó"],
        ["Vigencia:", 2021],
        ["Fecha publicación:", dt.datetime(2021, 5, 14)],
        ["Componente:", "3. Rendición de Cuentas"],
        [],
        ["Misión: servir a la comunidad con transparencia y eficiencia en todos sus trámites."],
        HEADER,
        [
            "Diálogo de doble vía",
            "Audiencia pública de rendición de cuentas",
            "Audiencia",
            "Despacho",
            "30/11/2021",
            "0%",
            "Programada para noviembre",
        ],
        [
            "",
            "Publicar el informe de gestión",
            "Informe",
            "Planeación",
            "31/03/2021",
            "100%",
            "Publicado el 30/03/2021",
        ],
    ]
    got = run(build(tmp_path / "f.xlsx", {"Seguimiento": Sheet(rows, merges=["A2:E2"])}))
    assert table(got, "activity", "component", "entity", "year", "schedule", "progress") == [
        (
            "Audiencia pública de rendición de cuentas",
            3,
            "Alcaldía Municipal de Sopó",
            2021,
            "30/11/2021",
            0.0,
        ),
        (
            "Publicar el informe de gestión",
            3,
            "Alcaldía Municipal de Sopó",
            2021,
            "31/03/2021",
            1.0,
        ),
    ]
    reasons = got.reasons()
    assert sorted(r for r, why in reasons.items() if why.startswith("encabezado del doc")) == [
        1,
        2,
        3,
        4,
        5,
        6,
        7,
        10,
    ]
    assert got.roles()[8] == "encabezado"  # "Componente:" names the component
    assert got.roles()[11] == "encabezado"
    (info,) = got.result.sources
    assert info.cutoff is None  # a publication date is not the cut-off
    assert len(got.codes("fila-omitida")) == 1  # one line for the whole title block


# 2. Stacked header rows with merged group cells ---------------------------------------------


def test_02_two_stacked_header_rows(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["SEGUIMIENTO PLAN ANTICORRUPCIÓN 2020"],
        ["Fecha de corte:", "30/04/2020"],
        ["No", "Actividades", "Responsable", "Fecha", "", "SEGUIMIENTO OCI", ""],
        ["", "", "", "Inicio", "Fin", "% de avance", "Observaciones"],
        [
            "1.1",
            "Actualizar la política de riesgos",
            "Planeación",
            "01/02/2020",
            "30/06/2020",
            0.25,
            "Borrador en revisión",
        ],
        [
            "1.2",
            "Publicar el mapa de riesgos",
            "Planeación",
            "02/01/2020",
            "31/01/2020",
            1,
            "Publicado",
        ],
        # a page break repeats the two header rows
        ["No", "Actividades", "Responsable", "Fecha", "", "SEGUIMIENTO OCI", ""],
        ["", "", "", "Inicio", "Fin", "% de avance", "Observaciones"],
        [
            "1.3",
            "Monitorear el mapa de riesgos",
            "Control Interno",
            "01/01/2020",
            "31/12/2020",
            0.33,
            "Primer monitoreo",
        ],
    ]
    merges = [
        "A3:A4",
        "B3:B4",
        "C3:C4",
        "D3:E3",
        "F3:G3",
        "A7:A8",
        "B7:B8",
        "C7:C8",
        "D7:E7",
        "F7:G7",
    ]
    got = run(build(tmp_path / "f.xlsx", {"Riesgos": Sheet(rows, merges=merges)}))
    assert table(got, "activity", "owner", "schedule", "progress", "followup", "component") == [
        (
            "Actualizar la política de riesgos",
            "Planeación",
            "30/06/2020",
            0.25,
            "Borrador en revisión",
            1,
        ),
        ("Publicar el mapa de riesgos", "Planeación", "31/01/2020", 1.0, "Publicado", 1),
        (
            "Monitorear el mapa de riesgos",
            "Control Interno",
            "31/12/2020",
            0.33,
            "Primer monitoreo",
            1,
        ),
    ]
    roles = got.roles()
    assert [roles[r] for r in (3, 4)] == ["encabezado", "encabezado"]
    assert got.reasons()[7] == got.reasons()[8] == "encabezado de tabla repetido (salto de página)"


def test_02_three_stacked_header_rows(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["PROGRAMACIÓN", "", "", "", "SEGUIMIENTO OCI", "", ""],
        ["Actividad", "Meta", "Responsable", "Fecha programada", "Avance", "", "Observaciones"],
        ["", "", "", "", "%", "Descripción del avance", ""],
        [
            "Capacitar en transparencia pasiva",
            "2 jornadas",
            "Talento Humano",
            "30/06/2020",
            "50%",
            "Una jornada realizada",
            "Soporte: acta 3",
        ],
    ]
    merges = ["A1:D1", "E1:G1", "A2:A3", "B2:B3", "C2:C3", "D2:D3", "E2:F2", "G2:G3"]
    path = build(tmp_path / "f.xlsx", {"Transparencia": Sheet(rows, merges=merges)})
    got = run(path)
    (sheet,) = got.sheets
    header = find_header(sheet.rows, merged=sheet.merged)
    assert header is not None and (header.top, header.row) == (0, 2)
    assert header.columns == {
        "activity": 0,
        "goal": 1,
        "owner": 2,
        "dates": 3,
        "progress": 4,
        "done": 5,
        "followup": 6,
    }
    assert table(got, "activity", "goal", "progress", "followup", "component") == [
        (
            "Capacitar en transparencia pasiva",
            "2 jornadas",
            0.5,
            "Una jornada realizada\nSoporte: acta 3",
            5,
        ),
    ]


# 3. One sheet per component, and non-plan sheets ---------------------------------------------


def _component_sheet(activity: str, when: str) -> list[list[object]]:
    return [
        ["Actividad", "Responsable", "Fecha programada", "% avance"],
        [activity, "Planeación", when, "0%"],
    ]


def test_03_sheet_per_component_and_non_plan_sheets(tmp_path: Path) -> None:
    path = build(
        tmp_path / "f.xlsx",
        {
            "Instrucciones": [["Diligencie una hoja por componente."], ["No cambie el formato."]],
            "Componente 1": _component_sheet("Actualizar el mapa", "30/06/2020"),
            "Trámites": _component_sheet("Implementar pago en línea", "30/09/2020"),
            "RdC": _component_sheet("Audiencia pública", "30/11/2020"),
            "Atención": _component_sheet("Medir la satisfacción", "31/12/2020"),
            "Resumen": [
                ["Componente", "Actividades programadas", "Actividades cumplidas", "% avance"],
                ["1. Riesgos", 4, 2, 0.5],
                ["2. Trámites", 2, 1, 0.5],
            ],
            "Gráficos": [],  # only charts: no cells at all
            "Hoja2": [],
        },
    )
    got = run(path)
    assert table(got, "sheet", "activity", "component") == [
        ("Componente 1", "Actualizar el mapa", 1),
        ("Trámites", "Implementar pago en línea", 2),
        ("RdC", "Audiencia pública", 3),
        ("Atención", "Medir la satisfacción", 4),
    ]
    skipped = {p.sheet: p.message for p in got.codes("hoja-omitida")}
    assert set(skipped) == {"Instrucciones", "Resumen", "Gráficos"}
    assert "instrucciones" in skipped["Instrucciones"]
    assert "gráficos" in skipped["Gráficos"]
    assert not got.codes("hoja-sin-tabla")
    assert not got.codes("componente-desconocido")


def test_03_summary_table_recognised_by_content(tmp_path: Path) -> None:
    path = build(
        tmp_path / "f.xlsx",
        {
            "PAAC": plan_rows(
                ("Seguimiento", "Revisar el mapa", "Mapa", "OCI", "31/12/2020", 0.5, "")
            ),
            "Hoja2": [
                ["Componente", "Actividades programadas", "Actividades cumplidas", "% avance"],
                ["Gestión del riesgo", 13, 6, 0.46],
                ["Racionalización de trámites", 3, 1, 0.33],
                ["Rendición de cuentas", 4, 4, 1],
            ],
        },
    )
    got = run(path)
    assert len(got.acts) == 1
    (skipped,) = got.codes("hoja-omitida")
    assert skipped.sheet == "Hoja2" and SUMMARY in skipped.message


# 4. Component and subcomponent as heading rows, subcomponent merged -------------------------


def test_04_component_and_subcomponent_heading_rows(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["No", "Actividades", "Indicadores", "Responsable", "Fecha programada", "% cumplimiento"],
        ["COMPONENTE 1: GESTIÓN DEL RIESGO DE CORRUPCIÓN – MAPA DE RIESGOS DE CORRUPCIÓN"],
        ["Subcomponente 1 Política de Administración de Riesgos"],
        ["1.1", "Revisar la política", "Política revisada", "Planeación", "30/06/2019", 1],
        ["1.2", "Socializar la política", "Listas de asistencia", "Planeación", "31/07/2019", 1],
        ["Subcomponente 2 Construcción del Mapa de Riesgos de Corrupción"],
        ["2.1", "Construir el mapa", "Mapa", "Líderes de proceso", "31/01/2019", 1],
        ["COMPONENTE 3: RENDICIÓN DE CUENTAS"],
        ["Subcomponente 1 Información de calidad y en lenguaje comprensible"],
        ["1.1", "Publicar informe de gestión", "Informe", "Planeación", "31/03/2019", 0.5],
    ]
    merges = ["A2:F2", "A3:F3", "A6:F6", "A8:F8", "A9:F9"]
    got = run(build(tmp_path / "f.xlsx", {"Seguimiento": Sheet(rows, merges=merges)}))
    assert table(got, "activity", "component", "subcomponent", "goal") == [
        ("Revisar la política", 1, "Política de Administración de Riesgos", "Política revisada"),
        (
            "Socializar la política",
            1,
            "Política de Administración de Riesgos",
            "Listas de asistencia",
        ),
        ("Construir el mapa", 1, "Construcción del Mapa de Riesgos de Corrupción", "Mapa"),
        (
            "Publicar informe de gestión",
            3,
            "Información de calidad y en lenguaje comprensible",
            "Informe",
        ),
    ]
    roles = got.roles()
    assert [roles[r] for r in (2, 3, 6, 8, 9)] == ["encabezado"] * 5


def test_04_subcomponent_merged_over_rows(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        HEADER,
        ["COMPONENTE 4: MECANISMOS PARA MEJORAR LA ATENCIÓN AL CIUDADANO"],
        [
            "Talento humano",
            "Capacitar en servicio",
            "Capacitación",
            "Talento Humano",
            "30/06/2020",
            "0%",
            "",
        ],
        ["", "Evaluar el desempeño", "Evaluación", "Talento Humano", "31/12/2020", "0%", ""],
        [
            "",
            "Incentivar al personal",
            "Plan de incentivos",
            "Talento Humano",
            "31/12/2020",
            "0%",
            "",
        ],
    ]
    got = run(build(tmp_path / "f.xlsx", {"S": Sheet(rows, merges=["A2:G2", "A3:A5"])}))
    assert table(got, "subcomponent", "component") == [("Talento humano", 4)] * 3


# 5. Merged Responsable, Fecha and Subcomponente over several activities ---------------------


def test_05_merged_owner_date_and_subcomponent(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        HEADER,
        [
            "Transparencia activa",
            "Publicar la contratación",
            "SECOP",
            "Jurídica",
            "31/12/2020",
            0.33,
            "",
        ],
        ["", "Publicar el directorio", "Directorio", "", "", 0.5, ""],
        ["", "Publicar el presupuesto", "Presupuesto", "", "", 1, ""],
        [
            "Transparencia pasiva",
            "Responder solicitudes",
            "Respuestas",
            "Atención al Usuario",
            "Permanente",
            0.33,
            "",
        ],
    ]
    got = run(build(tmp_path / "f.xlsx", {"S": Sheet(rows, merges=["A2:A4", "D2:D4", "E2:E4"])}))
    assert table(got, "activity", "subcomponent", "owner", "schedule", "progress") == [
        ("Publicar la contratación", "Transparencia activa", "Jurídica", "31/12/2020", 0.33),
        ("Publicar el directorio", "Transparencia activa", "Jurídica", "31/12/2020", 0.5),
        ("Publicar el presupuesto", "Transparencia activa", "Jurídica", "31/12/2020", 1.0),
        (
            "Responder solicitudes",
            "Transparencia pasiva",
            "Atención al Usuario",
            "Permanente",
            0.33,
        ),
    ]
    assert set(table(got, "component")) == {(5,)}


# 6. Activity numbers: own column, text prefix, absent -------------------------------------


def test_06_activity_numbers(tmp_path: Path) -> None:
    path = build(
        tmp_path / "f.xlsx",
        {
            "Columna": [
                ["Nº", "Subcomponente", "Actividad", "Responsable", "Fecha", "Avance"],
                [1.1, "Seguimiento", "Hacer seguimiento al mapa", "OCI", "30/04/2020", "33%"],
                ["1.2", "Seguimiento", "Publicar el seguimiento", "OCI", "31/05/2020", "0%"],
            ],
            "Prefijo": [
                ["Subcomponente", "Actividad", "Responsable", "Fecha", "Avance"],
                ["Seguimiento", "1.1 Hacer seguimiento al mapa", "OCI", "30/04/2020", "33%"],
                ["", "1.2 Publicar el seguimiento", "OCI", "31/05/2020", "0%"],
            ],
        },
    )
    got = run(path)
    # The text is kept as written; a number in its own column is not added to it.
    assert table(got, "sheet", "activity", "component") == [
        ("Columna", "Hacer seguimiento al mapa", 1),
        ("Columna", "Publicar el seguimiento", 1),
        ("Prefijo", "1.1 Hacer seguimiento al mapa", 1),
        ("Prefijo", "1.2 Publicar el seguimiento", 1),
    ]


# 7. Component names: v2, v1, variants, 6th component, PTEP, typos -------------------------


def test_07_component_names(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["Componente", "Actividad", "Responsable", "Fecha", "% avance"],
        [
            "Identificación de riesgos anticorrupción y acciones para su manejo",
            "A1",
            "P",
            "30/06/2017",
            0,
        ],
        ["Estrategia antitrámites", "A2", "P", "30/06/2017", 0],
        ["Rendicion de cuentas", "A3", "P", "30/06/2017", 0],
        ["4. Servicio y Atención al ciudadano", "A4", "P", "30/06/2017", 0],
        [
            "Mecanismos de Transparencia y el Acceso a la Información Pública",
            "A5",
            "P",
            "30/06/2017",
            0,
        ],
        ["6. Participación Ciudadana", "A6", "P", "30/06/2017", 0],
        ["Gestión de riesgos para la integridad pública", "A7", "P", "30/06/2017", 0],
        ["Estado Abierto", "A8", "P", "30/06/2017", 0],
        ["Iniciativas adicionales", "A9", "P", "30/06/2017", 0],
        ["MECANISMOS PARA LA TRASPARENCIA Y ACCESO A LA INFORMACION", "A10", "P", "30/06/2017", 0],
        ["Gobierno digital", "A11", "P", "30/06/2017", 0],
    ]
    path = build(tmp_path / "f.xlsx", {"PAAC": rows})
    got = run(path, catalog=load_catalog({"Gobierno digital": 5}))
    assert [c for (c,) in table(got, "component")] == [1, 2, 3, 4, 5, 6, 1, 5, 6, 5, 5]


# 8. Header synonyms ---------------------------------------------------------------------------


def test_08_header_synonyms(tmp_path: Path) -> None:
    path = build(
        tmp_path / "f.xlsx",
        {
            # ESE Hospital del Sarare: "Metas o productos" is the activity column.
            "Sarare": [
                [
                    "No",
                    "METAS O PRODUCTOS",
                    "RESPONSABLE",
                    "FECHA PROGRAMADA",
                    "ACTIVIDADES CUMPLIDAS",
                    "% AVANCE",
                ],
                ["COMPONENTE 1: GESTIÓN DEL RIESGO DE CORRUPCIÓN"],
                [1, "Mapa de riesgos publicado", "Calidad", "31/01/2016", "Publicado en web", 1],
            ],
            # UES Valle: programadas + realizadas, Meta Producto.
            "UES": [
                [
                    "Subcomponente / Proceso",
                    "Actividades Programadas",
                    "Actividades Realizadas",
                    "Meta Producto",
                    "Responsable",
                    "Fecha Programada",
                    "% de Avance",
                    "Observaciones",
                ],
                [
                    "Transparencia activa",
                    "Actualizar la web",
                    "Web actualizada",
                    "Web",
                    "Sistemas",
                    "Enero 2021",
                    "100%",
                    "Verificado",
                ],
            ],
            # ESE reporting to Supersalud: Indicadores as the goal.
            "ESE": [
                [
                    "Subcomponente / proceso",
                    "Actividades",
                    "Indicadores",
                    "Responsable",
                    "Fecha programada",
                    "Observaciones",
                    "% cumplimiento",
                ],
                [
                    "Talento humano",
                    "Capacitar al personal",
                    "Personas capacitadas",
                    "TH",
                    "Marzo a dic 2019",
                    "Se capacitaron 20",
                    0.75,
                ],
            ],
        },
    )
    got = run(path)
    assert table(got, "activity", "goal", "followup", "schedule", "progress", "component") == [
        ("Mapa de riesgos publicado", None, "Publicado en web", "31/01/2016", 1.0, 1),
        ("Actualizar la web", "Web", "Web actualizada\nVerificado", "31/01/2021", 1.0, 5),
        (
            "Capacitar al personal",
            "Personas capacitadas",
            "Se capacitaron 20",
            "31/12/2019",
            0.75,
            4,
        ),
    ]


# 9. Progress encodings ----------------------------------------------------------------------


def test_09_progress_encodings(tmp_path: Path) -> None:
    values: list[object] = [
        0.33,
        "33%",
        "33 %",
        "33,3%",
        "33.3 %",
        "1/3",
        "Avance= 1/3= 33.3%",
        "N/A",
        "NA",
        "N. A",
        "No aplica",
        None,
        "Cumplida",
        "EN AVANCE",
        "Sin iniciar",
        "Se cumplió el 50% de la meta",
    ]
    rows: list[list[object]] = [["Actividad", "Responsable", "Fecha", "% avance"]]
    rows += [[f"Actividad {i}", "OCI", "31/12/2020", v] for i, v in enumerate(values, 1)]
    got = run(build(tmp_path / "f.xlsx", {"S": Sheet(rows, formats={"D2": "0%"})}))
    got_values = [
        (None if p is None else round(float(p), 4), na)  # type: ignore[arg-type]
        for p, na in table(got, "progress", "not_applicable")
    ]
    assert got_values == [
        (0.33, False),
        (0.33, False),
        (0.33, False),
        (0.333, False),
        (0.333, False),
        (0.3333, False),
        (0.333, False),
        (None, True),
        (None, True),
        (None, True),
        (None, True),
        (None, False),
        (1.0, False),
        (None, False),
        (0.0, False),
        (0.5, False),
    ]
    (words,) = got.codes("avance-no-valido")
    assert words.row == 15 and "EN AVANCE" in words.message


def test_09_whole_numbers_decided_per_column(tmp_path: Path) -> None:
    rows: list[list[object]] = [["Actividad", "Responsable", "Fecha", "% avance"]]
    rows += [[f"A{i}", "OCI", "31/12/2020", v] for i, v in enumerate([0, 50, 100, 150], 1)]
    got = run(build(tmp_path / "f.xlsx", {"S": rows}))
    assert [p for (p,) in table(got, "progress")] == [0.0, 0.5, 1.0, 1.5]
    (flagged,) = got.codes("avance-no-valido")
    assert flagged.row == 5 and "150 %" in flagged.message


# 10. Out of range and 100 % without evidence -----------------------------------------------


def test_10_out_of_range_and_inconsistent_progress(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["Actividad", "Responsable", "Fecha", "% avance", "Observaciones"],
        ["Informe trimestral", "OCI", "31/03/2020", "150%", "Se hicieron más informes"],
        ["Informe semestral", "OCI", "31/03/2020", "-10%", ""],
        ["Publicar el plan", "OCI", "31/01/2020", "100%", "No se evidenció la publicación"],
        ["Publicar el mapa", "OCI", "31/01/2020", "100%", "Publicado el 30/01/2020"],
    ]
    got = run(build(tmp_path / "f.xlsx", {"S": rows}))
    assert table(got, "progress", "progress_text") == [
        (1.5, "150%"),
        (-0.1, "-10%"),
        (1.0, "100%"),
        (1.0, "100%"),
    ]
    assert [p.row for p in got.codes("avance-no-valido")] == [2, 3]
    # A 100 % the observation contradicts is an alert on the activity (check), no Problem.
    assert not got.codes("avance-inconsistente")
    checked = check(got.result.activities, got.result.deliveries, D(2020, 4, 30))
    flagged = checked.alerts[checked.alerts["code"] == "avance-sin-evidencia"]
    assert flagged["row"].tolist() == [4]
    assert "no se evidencio" in flagged["detail"].iloc[0]
    # out-of-range values are kept as written but never enter compliance
    assert checked.activities["compliance"].isna().tolist()[:2] == [True, True]


# 11. Dates: serials, date cells, d/m/y, y/m/d, US-style mistakes ---------------------------


def test_11_date_forms(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["Actividad", "Responsable", "Fecha programada", "% avance"],
        ["Serial", "OCI", 43951, 0],
        ["Celda de fecha", "OCI", dt.datetime(2020, 6, 30), 0],
        ["Texto d/m/a", "OCI", "31/03/2020", 0],
        ["Texto d/m/aa", "OCI", "3/01/22", 0],
        ["Año / mes / día", "OCI", "2019 / 01 /22", 0],
        ["ISO", "OCI", "2020-04-30", 0],
        ["Formato de EE. UU.", "OCI", "03/31/2020", 0],
        ["Imposible", "OCI", "31/02/2020", 0],
    ]
    got = run(build(tmp_path / "f.xlsx", {"S": Sheet(rows, formats={"C3": "dd/mm/yyyy"})}))
    assert table(got, "activity", "schedule") == [
        ("Serial", "30/04/2020"),
        ("Celda de fecha", "30/06/2020"),
        ("Texto d/m/a", "31/03/2020"),
        ("Texto d/m/aa", "03/01/2022"),
        ("Año / mes / día", "22/01/2019"),
        ("ISO", "30/04/2020"),
        ("Formato de EE. UU.", ""),  # kept, reported, never swapped
        ("Imposible", ""),
    ]
    bad = {(p.row, p.column): p.message for p in got.codes("fecha-no-valida")}
    assert set(bad) == {(8, "C"), (9, "C")}
    assert "mes/día" in bad[(8, "C")]


# 12. Spanish text dates; the year from the file ---------------------------------------------


def test_12_spanish_text_dates_take_the_year_from_the_file(tmp_path: Path) -> None:
    texts = [
        "Enero 2021",
        "Mayo 14 de 2021",
        "15 abril de 2021",
        "30 de abril de 2021",
        "dic",
        "sept.",
        "Sep. 30",
        "feb.",
        "DICIEMBRE",
        "Junio de 2021",
    ]
    rows: list[list[object]] = [["Vigencia:", 2021], ["Actividad", "Responsable", "Fecha"]]
    rows += [[f"A{i}", "OCI", t] for i, t in enumerate(texts, 1)]
    got = run(build(tmp_path / "f.xlsx", {"S": rows}))
    assert [s for (s,) in table(got, "schedule")] == [
        "31/01/2021",
        "14/05/2021",
        "15/04/2021",
        "30/04/2021",
        "31/12/2021",
        "30/09/2021",
        "30/09/2021",
        "28/02/2021",
        "31/12/2021",
        "30/06/2021",
    ]
    assert not got.codes("fecha-no-valida")


# 13. Several dates in one cell --------------------------------------------------------------


def test_13_several_dates_in_one_cell(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["Actividad", "Responsable", "Fecha programada"],
        ["Saltos de línea", "OCI", "31/03/2020\n30/06/2020\n30/09/2020\n31/12/2020"],
        ["Punto y coma", "OCI", "30/06/2020; 31/12/2020"],
        ["Comas", "OCI", "30/06/2020, 31/12/2020"],
        ["Con y", "OCI", "19 y 20 de abril de 2020"],
        ["Guiones", "OCI", "31/03/2020 - 30/06/2020 - 30/09/2020"],
    ]
    got = run(build(tmp_path / "f.xlsx", {"S": rows}))
    assert table(got, "n_dates", "schedule") == [
        (4, "31/03/2020; 30/06/2020; 30/09/2020; 31/12/2020"),
        (2, "30/06/2020; 31/12/2020"),
        (2, "30/06/2020; 31/12/2020"),
        (2, "19/04/2020; 20/04/2020"),
        (3, "31/03/2020; 30/06/2020; 30/09/2020"),
    ]
    assert len(got.result.deliveries) == 13


# 14. Ranges ----------------------------------------------------------------------------------


def test_14_ranges_are_due_at_their_end(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["Vigencia: 2020"],
        ["Actividad", "Responsable", "Fecha programada"],
        ["Días", "OCI", "22 al 28 de abril de 2020"],
        ["Meses abreviados", "OCI", "Marzo a dic 2020"],
        ["Todo el año", "OCI", "Enero a diciembre"],
        ["Fechas", "OCI", "01/02/2020 - 31/12/2020"],
        ["Raya", "OCI", "Febrero – Noviembre"],
    ]
    got = run(build(tmp_path / "f.xlsx", {"S": rows}))
    assert table(got, "schedule", "permanent") == [
        ("28/04/2020", False),
        ("31/12/2020", False),
        ("Permanente", True),
        ("31/12/2020", False),
        ("30/11/2020", False),
    ]


# 15. Recurring and open-ended schedules ------------------------------------------------------


def test_15_recurring_and_open_ended(tmp_path: Path) -> None:
    words = [
        "Permanente",
        "Mensual",
        "Trimestral",
        "Cuatrimestral",
        "Semestral",
        "Anual",
        "Cada vez que se requiera",
    ]
    rows: list[list[object]] = [["Vigencia:", "2020"], ["Actividad", "Responsable", "Fecha"]]
    rows += [[w, "OCI", w] for w in words]
    got = run(build(tmp_path / "f.xlsx", {"S": rows}))
    assert table(got, "n_dates", "permanent") == [
        (0, True),
        (12, False),
        (4, False),
        (3, False),
        (2, False),
        (1, False),
        (0, True),
    ]
    assert table(got, "schedule")[3] == ("30/04/2020; 31/08/2020; 31/12/2020",)


# 16. Start and end columns; period columns -----------------------------------------------


def test_16_start_and_end_columns(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["Actividad", "Responsable", "Fecha inicio", "Fecha final", "% avance"],
        ["Auditoría al mapa", "OCI", "01/02/2021", "31/12/2021", "Avance= 1/3= 33.3%"],
        ["Informe PQRSD", "Atención", "31/02/2021", "30/06/2021", "0%"],
        ["Sin fin", "Atención", "01/03/2021", "", "0%"],
    ]
    got = run(build(tmp_path / "f.xlsx", {"S": rows}))
    assert table(got, "schedule", "n_dates", "progress") == [
        ("31/12/2021", 1, 0.333),
        ("30/06/2021", 1, 0.0),
        ("", 0, 0.0),
    ]
    (bad,) = got.codes("fecha-no-valida")
    assert (bad.row, bad.column) == (3, "C") and bad.message.startswith("Fecha de inicio")
    (missing,) = got.codes("sin-fecha-programada")
    assert missing.row == 4


def test_16_period_columns(tmp_path: Path) -> None:
    path = build(
        tmp_path / "f.xlsx",
        {
            "Trimestres": Sheet(
                [
                    ["Vigencia 2022"],
                    [
                        "Actividad",
                        "Responsable",
                        "Meta",
                        "ENERO-MARZO",
                        "ABRIL-JUNIO",
                        "JULIO-SEPT.",
                        "OCT.-DIC.",
                        "% avance",
                    ],
                    [
                        "Informe de PQRSD",
                        "Atención",
                        "4 informes",
                        "25%",
                        "25%",
                        "25%",
                        "25%",
                        0.25,
                    ],
                    ["Encuesta", "Atención", "2 encuestas", "", "X", "", "✓", 0],
                    ["Auditoría", "OCI", "1", "N/A", 0, "", "N/A", 0],
                    ["Feria de servicio", "Atención", "1", "", "", "", "", 0],
                ]
            ),
            "Bimestres": [
                ["Vigencia:", 2022],
                [
                    "Actividad",
                    "Responsable",
                    "Bim 1",
                    "Bim 2",
                    "Bim 3",
                    "Bim 4",
                    "Bim 5",
                    "Bim 6",
                    "Total",
                    "% avance",
                ],
                ["Boletín", "Prensa", 1, 1, 1, 1, 1, 1, 6, 0.33],
            ],
            "T": Sheet(
                [
                    ["Vigencia:", 2022],
                    ["Actividad", "Responsable", "Cronograma", "", "", "", "% avance"],
                    ["", "", "T1", "T2", "T3", "T4", ""],
                    ["Comité", "Planeación", "", "X", "", "", 0],
                ],
                merges=["A2:A3", "B2:B3", "C2:F2", "G2:G3"],
            ),
        },
    )
    got = run(path)
    assert table(got, "activity", "schedule", "n_dates") == [
        ("Informe de PQRSD", "31/03/2022; 30/06/2022; 30/09/2022; 31/12/2022", 4),
        ("Encuesta", "30/06/2022; 31/12/2022", 2),
        ("Auditoría", "", 0),
        ("Feria de servicio", "", 0),
        ("Boletín", "28/02/2022; 30/04/2022; 30/06/2022; 31/08/2022; 31/10/2022; 31/12/2022", 6),
        ("Comité", "30/06/2022", 1),
    ]
    assert [p.row for p in got.codes("sin-fecha-programada")] == [5, 6]


# 17. Cut-off from a cell, text, sheet or file name, or missing -----------------------------


@pytest.mark.parametrize(
    ("name", "top", "expected", "origin"),
    [
        ("a.xlsx", [["Fecha seguimiento:", "30/04/2020"]], D(2020, 4, 30), "celda"),
        ("b.xlsx", [["CORTE: ENERO, FEBRERO, MARZO Y ABRIL DE 2020"]], D(2020, 4, 30), "celda"),
        ("c.xlsx", [["Seguimiento O.C.I I Cuatrimestre 2021"]], D(2021, 4, 30), "texto"),
        (
            "d.xlsx",
            [["SEGUNDO CUATRIMESTRE 1 de mayo al 31 de agosto de 2020"]],
            D(2020, 8, 31),
            "texto",
        ),
        ("e.xlsx", [["Vigencia: 2019"], ["Seguimiento a diciembre"]], D(2019, 12, 31), "texto"),
        ("3er Sgmto PAAC sept-dic2019 OCI 10enr20.xlsx", [], D(2019, 12, 31), "archivo"),
        ("Seguimiento PAAC abril 2020.xlsx", [], D(2020, 4, 30), "archivo"),
    ],
)
def test_17_cutoff_sources(
    tmp_path: Path, name: str, top: list[list[object]], expected: dt.date, origin: str
) -> None:
    rows: list[list[object]] = [
        *top,
        ["Actividad", "Responsable", "Fecha"],
        ["Revisar", "OCI", "31/12/2020"],
    ]
    got = run(build(tmp_path / name, {"S": rows}))
    (info,) = got.result.sources
    assert (info.cutoff, info.cutoff_origin) == (expected, origin)
    chosen, source = resolve_cutoff(None, got.result.sources, [])
    assert chosen == expected and source.startswith("leído de")


def test_17_cutoff_in_a_component_heading_and_the_sheet_name(tmp_path: Path) -> None:
    heading = (
        "COMPONENTE 1: GESTIÓN DEL RIESGO DE CORRUPCIÓN SEGUIMIENTO POR LA OCI A DICIEMBRE 2019"
    )
    path = build(
        tmp_path / "f.xlsx",
        {
            "PAAC": [
                ["Subcomponente / proceso", "Actividades", "Responsable", "Fecha programada"],
                [heading],
                ["Seguimiento", "Evaluar el mapa", "OCI", "Marzo a dic 2019"],
            ]
        },
    )
    got = run(path)
    assert got.result.sources[0].cutoff == D(2019, 12, 31)
    assert table(got, "component", "schedule") == [(1, "31/12/2019")]
    named = run(
        build(
            tmp_path / "g.xlsx",
            {
                "Corte 31-08-2020": [
                    ["Actividad", "Responsable", "Fecha"],
                    ["Revisar", "OCI", "31/12/2020"],
                ]
            },
        )
    )
    assert (named.result.sources[0].cutoff, named.result.sources[0].cutoff_origin) == (
        D(2020, 8, 31),
        "hoja",
    )


def test_17_missing_cutoff_needs_the_cli(tmp_path: Path) -> None:
    got = run(
        build(
            tmp_path / "f.xlsx",
            {"S": [["Actividad", "Responsable", "Fecha"], ["Revisar", "OCI", "31/12/2020"]]},
        )
    )
    assert got.result.sources[0].cutoff is None
    with pytest.raises(NoCutoffError):
        resolve_cutoff(None, got.result.sources, [])


# 18. Several cuts in one file ----------------------------------------------------------------


def _side_by_side() -> Sheet:
    rows: list[list[object]] = [
        ["Vigencia:", 2020],
        [
            "Actividad",
            "Responsable",
            "Fecha programada",
            "Seguimiento 1 OCI",
            "",
            "Seguimiento 2 OCI",
            "",
            "Seguimiento 3 OCI",
            "",
        ],
        [
            "",
            "",
            "",
            "% avance",
            "Observaciones",
            "% avance",
            "Observaciones",
            "% avance",
            "Observaciones",
        ],
        [
            "Publicar el mapa",
            "Planeación",
            "31/01/2020",
            1,
            "Publicado",
            1,
            "Sin cambios",
            None,
            None,
        ],
        [
            "Audiencia pública",
            "Despacho",
            "30/11/2020",
            0,
            "Programada",
            0.5,
            "Convocada",
            None,
            None,
        ],
    ]
    merges = ["A2:A3", "B2:B3", "C2:C3", "D2:E2", "F2:G2", "H2:I2"]
    return Sheet(rows, merges=merges)


def test_18_side_by_side_cuts_latest_with_data(tmp_path: Path) -> None:
    got = run(build(tmp_path / "f.xlsx", {"PAAC": _side_by_side()}))
    assert table(got, "activity", "progress", "followup") == [
        ("Publicar el mapa", 1.0, "Sin cambios"),
        ("Audiencia pública", 0.5, "Convocada"),
    ]
    (info,) = got.result.sources
    assert (info.cutoff, info.cutoff_origin) == (D(2020, 8, 31), "seguimiento")
    (chosen,) = got.codes("varios-cortes")
    assert "«Seguimiento 2 OCI» (el último con datos)" in chosen.message
    history = got.result.history
    assert list(zip(history["activity_id"], history["cut"], history["progress"], strict=True)) == [
        (0, "Seguimiento 1 OCI", 1.0),
        (1, "Seguimiento 1 OCI", 0.0),
    ]
    assert list(history["cut_date"].dt.date) == [D(2020, 4, 30)] * 2


def test_18_side_by_side_cuts_requested_cut(tmp_path: Path) -> None:
    got = run(build(tmp_path / "f.xlsx", {"PAAC": _side_by_side()}), cutoff=D(2020, 4, 30))
    assert table(got, "progress", "followup") == [(1.0, "Publicado"), (0.0, "Programada")]
    assert set(got.result.history["cut"]) == {"Seguimiento 2 OCI"}


def test_18_flat_second_followup_columns(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        [
            "Actividad",
            "Responsable",
            "Fecha programada",
            "FECHA DE SEGUIMIENTO",
            "OBSERVACIONES DEL AUDITOR",
            "FECHA SEGUNDO SEGUIMIENTO",
            "OBSERVACIONES DEL AUDITOR SEGUNDO SEGUIMIENTO",
        ],
        [
            "Actualizar el procedimiento",
            "Costos",
            "30/06/2019",
            "30/04/2019",
            "En revisión",
            "31/08/2019",
            "Aprobado por resolución",
        ],
    ]
    got = run(build(tmp_path / "f.xlsx", {"Plan": rows}))
    assert table(got, "schedule", "followup") == [("30/06/2019", "Aprobado por resolución")]
    assert list(got.result.history["followup"]) == ["En revisión"]


def test_18_sheet_per_cut(tmp_path: Path) -> None:
    def cut(progress: object, remark: str) -> list[list[object]]:
        return [
            ["Vigencia:", 2020],
            ["Actividad", "Responsable", "Fecha programada", "% avance", "Observaciones"],
            ["1.1 Publicar el mapa", "Planeación", "31/01/2020", progress, remark],
            ["1.2 Audiencia pública", "Despacho", "30/11/2020", progress, remark],
        ]

    path = build(
        tmp_path / "f.xlsx",
        {
            "I Cuatrimestre": cut(0.5, "Primer corte"),
            "II Cuatrimestre": cut(1, "Segundo corte"),
            "III Cuatrimestre": cut(None, ""),
        },
    )
    got = run(path)
    assert table(got, "sheet", "activity", "progress") == [
        ("II Cuatrimestre", "1.1 Publicar el mapa", 1.0),
        ("II Cuatrimestre", "1.2 Audiencia pública", 1.0),
    ]
    (info,) = got.result.sources
    assert info.cutoff == D(2020, 8, 31)
    history = got.result.history
    first = history[history["sheet"] == "I Cuatrimestre"]
    assert list(first["activity_id"]) == [0, 1] and list(first["progress"]) == [0.5, 0.5]
    roles = got.roles("I Cuatrimestre")
    assert [roles[r] for r in (3, 4)] == ["historial", "historial"]
    (note,) = got.codes("varios-cortes")
    assert "«II Cuatrimestre»" in note.message
    requested = run(path, cutoff=D(2020, 4, 30))
    assert set(table(requested, "sheet")) == {("I Cuatrimestre",)}


# 19. Long wrapped text, bullets, spaces, non-breaking spaces in headers ----------------------


def test_19_wrapped_text_bullets_and_spaces(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        [
            "\u00a0ACTIVIDADES\u00a0",
            " RESPONSABLE ",
            "FECHA\u00a0PROGRAMADA",
            "% AVANCE",
            "SEGUIMIENTO\n OCI",
        ],
        [
            "  Actualizar el portal:\n• Publicar el informe\n- Socializar   el plan\n1. Enviar  ",
            "  Sistemas  ",
            " 31/12/2020 ",
            "50%",
            "• Informe publicado\n• Plan pendiente",
        ],
    ]
    got = run(build(tmp_path / "f.xlsx", {"S": rows}))
    assert table(got, "activity", "owner", "schedule", "followup") == [
        (
            "Actualizar el portal:\n• Publicar el informe\n- Socializar el plan\n1. Enviar",
            "Sistemas",
            "31/12/2020",
            "• Informe publicado\n• Plan pendiente",
        )
    ]


# 20. Several owners in one cell -------------------------------------------------------------


def test_20_several_owners_in_one_cell(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["Actividad", "Responsable", "Fecha"],
        ["Portal", "Planeación / TIC", "31/12/2020"],
        ["Contratos", "Secretaría General y Jurídica", "31/12/2020"],
        ["PQRSD", "Atención al Usuario\nSecretaría de Servicios Administrativos", "31/12/2020"],
    ]
    got = run(build(tmp_path / "f.xlsx", {"S": rows}))
    # normalize keeps the cell as written (line breaks included); owners.py splits it
    owners = [o for (o,) in table(got, "owner")]
    assert owners[2] == "Atención al Usuario\nSecretaría de Servicios Administrativos"
    assert [[a.area for a in split_owner(o)] for o in owners] == [
        ["Planeación", "TIC"],
        ["Secretaría General y Jurídica"],
        ["Atención al Usuario", "Secretaría de Servicios Administrativos"],
    ]


# 21. Spacer rows, totals, legend ----------------------------------------------------------------


def test_21_spacers_totals_and_legend(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["Subcomponente", "Actividades", "Responsable", "Fecha programada", "% avance"],
        ["Seguimiento", "Evaluar el mapa", "OCI", "30/04/2020", 1],
        [],
        ["", "Publicar la evaluación", "OCI", "31/05/2020", 0],
        ["TOTAL COMPONENTE 1", "", "", "", 0.5],
        [],
        ["Promedio general", "", "", "", 0.5],
        [],
        ["CONVENCIONES"],
        ["0 - 59 %", "Rojo", "Zona baja"],
        ["60 - 79 %", "Amarillo", "Zona media"],
        ["80 - 100 %", "Verde", "Zona alta"],
        [],
        ["Elaboró: Oficina de Control Interno"],
    ]
    got = run(build(tmp_path / "f.xlsx", {"S": rows}))
    assert table(got, "activity", "progress") == [
        ("Evaluar el mapa", 1.0),
        ("Publicar la evaluación", 0.0),
    ]
    reasons = got.reasons()
    assert [reasons[r] for r in (5, 7)] == [TOTAL, TOTAL]
    assert [reasons[r] for r in (9, 10, 11, 12)] == [LEGEND] * 4
    assert reasons[14] == "firmas y pie del documento"
    assert not [p for p in got.problems if p.severity.value != "Información"]


# 25. PAAC rows inside a wider Plan de Acción ------------------------------------------------


def test_25_paac_rows_in_a_plan_de_accion(tmp_path: Path) -> None:
    plan = Sheet(
        [
            ["Plan", "Componente", "Actividad", "Responsable", "Fecha", "% avance"],
            [
                "Plan Anticorrupción y de Atención al Ciudadano",
                "Gestión del riesgo de corrupción",
                "Publicar el mapa de riesgos",
                "Planeación",
                "31/01/2021",
                1,
            ],
            [
                "",
                "Rendición de cuentas",
                "Audiencia de rendición de cuentas",
                "Despacho",
                "30/11/2021",
                0,
            ],
            [
                "Plan Institucional de Archivos - PINAR",
                "",
                "Actualizar las TRD",
                "Archivo",
                "30/06/2021",
                0.5,
            ],
            ["", "", "", "Gestión documental", "", ""],
            [
                "Plan Anual de Adquisiciones",
                "",
                "Publicar el plan",
                "Contratación",
                "31/01/2021",
                1,
            ],
            [
                "PAAC",
                "Atención al ciudadano",
                "Medir la satisfacción",
                "Atención",
                "30/06/2021",
                0.5,
            ],
        ],
        merges=["A2:A3"],
    )
    policy: list[list[object]] = [
        ["Política", "Actividad", "Responsable", "Fecha", "% avance"],
        [
            "Transparencia, acceso a la información pública y lucha contra la corrupción",
            "Actualizar el índice de información",
            "TIC",
            "30/06/2021",
            0.5,
        ],
        ["Gestión documental", "Digitalizar el archivo", "Archivo", "31/12/2021", 0.2],
        ["Servicio al ciudadano", "Caracterizar usuarios", "Atención", "30/09/2021", 0],
    ]
    got = run(build(tmp_path / "f.xlsx", {"Plan de acción": plan, "MIPG": policy}))
    assert table(got, "activity", "component") == [
        ("Publicar el mapa de riesgos", 1),
        ("Audiencia de rendición de cuentas", 3),
        ("Medir la satisfacción", 4),
        ("Actualizar el índice de información", 5),
        ("Caracterizar usuarios", 4),
    ]
    reasons = got.reasons("Plan de acción")
    assert reasons[4].startswith("fila de otro plan (no es del PAAC): «Plan Institucional")
    assert reasons[5] == reasons[4]  # its continuation row goes with it
    assert reasons[6].endswith("«Plan Anual de Adquisiciones»")
    assert got.reasons("MIPG")[3] == "fila de otra política (no es del PAAC): «Gestión documental»"


# 26-27. Trámites strategy and risk map sheets in their own formats -------------------------


def test_26_27_tramites_and_risk_map_sheets_are_skipped(tmp_path: Path) -> None:
    tramites = [
        ["ESTRATEGIA DE RACIONALIZACIÓN DE TRÁMITES"],
        [
            "Nombre del trámite",
            "Tipo de racionalización",
            "Acción específica de racionalización",
            "Situación actual",
            "Mejora a implementar",
            "Fecha inicio",
            "Fecha final",
            "Responsable",
        ],
        [
            "Impuesto predial",
            "Tecnológica",
            "Pago en línea",
            "Pago en banco",
            "Botón PSE",
            "01/02/2020",
            "30/06/2020",
            "Hacienda",
        ],
    ]
    risk_map: list[list[object]] = [
        ["MAPA DE RIESGOS DE CORRUPCIÓN 2020"],
        [
            "Proceso",
            "Causa",
            "Riesgo",
            "Probabilidad",
            "Impacto",
            "Zona de riesgo",
            "Controles",
            "Acciones",
            "Responsable",
            "Fecha",
            "Nivel de cumplimiento %",
        ],
        [
            "Contratación",
            "Presiones externas",
            "Direccionamiento de contratos",
            "Rara vez",
            "Mayor",
            "Alta",
            "Comité de contratación",
            "Capacitar",
            "Jurídica",
            "30/06/2020",
            0.5,
        ],
    ]
    plan = plan_rows(("Seguimiento", "Revisar el mapa", "Mapa", "OCI", "30/06/2020", 0, ""))
    got = run(
        build(tmp_path / "f.xlsx", {"Racionalización": tramites, "Mapa": risk_map, "PAAC": plan})
    )
    assert table(got, "sheet", "activity") == [("PAAC", "Revisar el mapa")]
    skipped = {p.sheet: p.message for p in got.codes("hoja-omitida")}
    assert TRAMITES in skipped["Racionalización"]
    assert RISK_MAP in skipped["Mapa"]
    assert set(got.reasons("Mapa").values()) == {f"hoja omitida: {RISK_MAP}"}


# 28. Accents, case, misspellings and index-column spellings ---------------------------------


@pytest.mark.parametrize(
    "header",
    [
        ["Nº", "ACTIVIDADES", "RESPONSABLE", "FECHA PROGRAMADA", "% AVANCE"],
        ["No.", "Actividades", "Responsable", "Fecha programada", "% de avance"],
        ["#", "actividádes", "RESPONSABLES", "fecha  programada", "%  avance"],
        ["N°", "ACTIVIDADES", "REPOSABLES", "FECHA PROGRAMDA", "PORCENTAJE DE AVANSE"],
    ],
)
def test_28_header_spellings(tmp_path: Path, header: list[object]) -> None:
    rows = [header, [1, "Revisar el mapa", "OCI", "30/06/2020", "50%"]]
    got = run(build(tmp_path / "f.xlsx", {"S": rows}))
    assert table(got, "activity", "owner", "schedule", "progress") == [
        ("Revisar el mapa", "OCI", "30/06/2020", 0.5)
    ]


# 29. N/A versus 0 % before and after the cut ------------------------------------------------


def test_29_not_applicable_versus_zero(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["Actividad", "Responsable", "Fecha programada", "% avance"],
        ["Después del corte, N/A", "OCI", "30/09/2020", "N/A"],
        ["Después del corte, 0 %", "OCI", "30/09/2020", "0%"],
        ["Antes del corte, N/A", "OCI", "31/03/2020", "No aplica"],
    ]
    got = run(build(tmp_path / "f.xlsx", {"S": rows}))
    assert table(got, "progress", "not_applicable") == [(None, True), (0.0, False), (None, True)]
    checked = check(got.result.activities, got.result.deliveries, D(2020, 4, 30)).activities
    assert list(checked["status"]) == ["No aplica", "Sin iniciar", "No aplica"]
    assert checked["alert_na_con_fecha_pasada"].tolist() == [False, False, True]


# 30. Colour thresholds at the edges and both averages --------------------------------------


def test_30_thresholds_and_averages(tmp_path: Path) -> None:
    values = ["59%", "59,5%", "60%", "79,9%", "80%", "100%"]
    rows: list[list[object]] = [["Subcomponente", "Actividad", "Responsable", "Fecha", "Avance"]]
    rows += [["Seguimiento", f"A{i}", "OCI", "31/03/2020", v] for i, v in enumerate(values)]
    rows += [["Talento humano", "B1", "TH", "31/03/2020", "0%"]]
    got = run(build(tmp_path / "f.xlsx", {"S": rows}))
    assert [p for (p,) in table(got, "progress")] == [0.59, 0.595, 0.6, 0.799, 0.8, 1.0, 0.0]
    checked = check(got.result.activities, got.result.deliveries, D(2020, 4, 30)).activities
    assert list(checked["traffic_light"]) == [
        "Rojo",
        "Rojo",
        "Amarillo",
        "Amarillo",
        "Verde",
        "Verde",
        "Rojo",
    ]
    overall = overall_summary(checked)
    by_activity = sum([0.59, 0.595, 0.6, 0.799, 0.8, 1.0, 0.0]) / 7
    by_component = (sum([0.59, 0.595, 0.6, 0.799, 0.8, 1.0]) / 6 + 0.0) / 2
    assert overall.avg_progress_by_activity == pytest.approx(by_activity)
    assert overall.avg_progress_by_component == pytest.approx(by_component)


# Unit checks of the layout rules ------------------------------------------------------------


def test_sheet_names_that_are_not_plans() -> None:
    assert sheet_skip_reason("Instrucciones de diligenciamiento") is not None
    assert sheet_skip_reason("GRÁFICOS") is not None
    assert sheet_skip_reason("Resumen") is not None
    assert sheet_skip_reason("Seguimiento PAAC") is None
    assert sheet_skip_reason("Riesgos") is None


def test_legend_rows() -> None:
    assert is_legend_row(["0 - 59 %", "Rojo", "Zona baja"])
    assert is_legend_row(["Verde", "80% - 100%"])
    assert is_legend_row(["CONVENCIONES"])
    assert not is_legend_row(["Implementar el semáforo verde en el 50% de las sedes", "OCI"])
    assert not is_legend_row(["Verde"])


def test_03_26_several_tables_in_one_sheet(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["Componente: 1. Gestión del riesgo de corrupción"],
        ["Subcomponente", "Actividades", "Responsable", "Fecha programada", "% avance"],
        ["Seguimiento", "Evaluar el mapa", "OCI", "30/04/2020", 1],
        [],
        ["Componente: 2. Racionalización de trámites"],
        [
            "Nombre del trámite",
            "Tipo de racionalización",
            "Acción específica",
            "Fecha final",
            "Responsable",
        ],
        ["Impuesto predial", "Tecnológica", "Pago en línea", "30/06/2020", "Hacienda"],
        [],
        ["Componente: 3. Rendición de cuentas"],
        ["Actividad", "Meta", "Responsable", "Fecha", "Avance", "Observaciones"],
        ["Audiencia pública", "1 audiencia", "Despacho", "30/11/2020", "0%", "Programada"],
    ]
    got = run(build(tmp_path / "f.xlsx", {"S": rows}))
    assert table(got, "activity", "component", "goal", "progress", "followup") == [
        ("Evaluar el mapa", 1, None, 1.0, None),
        ("Audiencia pública", 3, "1 audiencia", 0.0, "Programada"),
    ]
    reasons = got.reasons()
    assert reasons[6] == reasons[7] == f"tabla en otro formato: {TRAMITES}"
    assert got.roles()[10] == "encabezado"


def test_03_component_from_the_sheet_title(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["RENDICIÓN DE CUENTAS"],
        ["Subcomponente", "Actividad", "Responsable", "Fecha"],
        ["Seguimiento", "Evaluar la estrategia", "OCI", "31/12/2020"],
    ]
    got = run(build(tmp_path / "f.xlsx", {"Hoja1": rows}))
    # the title names the component; "Seguimiento" alone would have said component 1
    assert table(got, "component") == [(3,)]
    assert got.roles()[1] == "encabezado"


def test_17_cutoff_from_the_folder_name(tmp_path: Path) -> None:
    folder = tmp_path / "Seguimiento II cuatrimestre 2020"
    folder.mkdir()
    path = build(
        folder / "planeacion.xlsx",
        {"S": [["Actividad", "Responsable", "Fecha"], ["Revisar", "OCI", "31/12/2020"]]},
    )
    sheets = read_file(InputFile(path, f"{folder.name}/{path.name}"), [])
    (info,) = normalize(sheets, []).sources
    assert (info.cutoff, info.cutoff_origin) == (D(2020, 8, 31), "archivo")
    assert info.cutoff_where == "nombre de la carpeta «Seguimiento II cuatrimestre 2020»"


def test_18_history_is_shown_in_the_workbook(tmp_path: Path) -> None:
    """The cuts not consolidated appear in a Historial sheet, read back as a user sees it."""
    import openpyxl

    from pac_excel import consolidate

    path = build(tmp_path / "f.xlsx", {"PAAC": _side_by_side()})
    result = consolidate([path], output_dir=tmp_path / "out")
    assert result.output is not None
    wb = openpyxl.load_workbook(result.output)
    # The side-by-side cuts also fill the history store, hence Evolución after Historial.
    assert wb.sheetnames[-2:] == ["Historial", "Evolución"]
    rows = list(wb["Historial"].iter_rows(values_only=True))
    assert rows[0] == (
        "Archivo",
        "Hoja",
        "Fila",
        "Actividad",
        "Corte",
        "Fecha del corte",
        "Avance reportado",
        "Seguimiento",
    )
    assert [(r[3], r[4], r[6]) for r in rows[1:]] == [
        ("Publicar el mapa", "Seguimiento 1 OCI", 1.0),
        ("Audiencia pública", "Seguimiento 1 OCI", 0.0),
    ]
    assert wb["Historial"]["F2"].number_format == "dd/mm/yyyy"
