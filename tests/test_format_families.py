"""Issue 3 acceptance: one fixture per layout family, written by the program an office uses.

``test_layouts`` covers every variant with openpyxl workbooks; here each family is written
the way it reaches the consolidator: by Excel (xlsxwriter), old Excel as BIFF ``.xls``
(xlwt), LibreOffice ``.ods`` (odfpy) or an information system's HTML table saved as ``.xls``.
Each test reads it with the real reader and normalizer, checks the expected table of
activities and (through ``layout_fixtures.run``) that every non-blank row is accounted once.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from format_writers import Pct, Sheet, write_html, write_ods, write_xlsxwriter, write_xlwt
from layout_fixtures import run, table

from pac_excel import consolidate
from pac_excel.normalize.layout import LEGEND, TOTAL

D = dt.date
LETTERHEAD = "membrete de página (se repite en la hoja)"
TITLE = "encabezado del documento (título, entidad, corte)"


def statuses(path: Path, cutoff: dt.date | None = None) -> list[tuple[object, ...]]:
    """Activity and status as the consolidated workbook would show them."""
    result = consolidate([path], cutoff=cutoff, output_dir=None)
    acts = result.activities
    return list(zip(acts["activity"], acts["status"], strict=True))


# 1. Header after title, code/version and metadata rows (Excel) ------------------------------


def test_title_and_metadata_rows_before_the_header_xlsxwriter(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["ALCALDÍA MUNICIPAL DE CHÍA", None, None, None, None, "Código: F-PE-07"],
        [
            "SEGUIMIENTO PLAN ANTICORRUPCIÓN Y DE ATENCIÓN AL CIUDADANO",
            None,
            None,
            None,
            None,
            "Versión: 03",
        ],
        ["Entidad:", "Alcaldía Municipal de Chía"],
        ["Vigencia:", 2021],
        ["Fecha de corte:", D(2021, 4, 30)],
        [],
        [
            "Subcomponente",
            "Actividades",
            "Meta o producto",
            "Responsable",
            "Fecha programada",
            "% de avance",
            "Observaciones",
        ],
        [
            "Política de administración de riesgos",
            "Actualizar la política de riesgos",
            "Política adoptada",
            "Planeación",
            D(2021, 3, 31),
            Pct(1),
            "Adoptada por resolución",
        ],
        [
            "Construcción del mapa",
            "Publicar el mapa de riesgos",
            "Mapa publicado",
            "Planeación",
            D(2021, 1, 31),
            Pct(1),
            "Publicado en la web",
        ],
        [
            "Seguimiento",
            "Evaluar el mapa de riesgos",
            "Informe",
            "Control Interno",
            D(2021, 5, 14),
            Pct(0.25),
            "En elaboración",
        ],
    ]
    got = run(write_xlsxwriter(tmp_path / "chia.xlsx", {"PAAC": Sheet(rows, ["A2:E2"])}))
    assert table(got, "activity", "component", "goal", "schedule", "progress") == [
        ("Actualizar la política de riesgos", 1, "Política adoptada", "31/03/2021", 1.0),
        ("Publicar el mapa de riesgos", 1, "Mapa publicado", "31/01/2021", 1.0),
        ("Evaluar el mapa de riesgos", 1, "Informe", "14/05/2021", 0.25),
    ]
    (info,) = got.result.sources
    assert (info.entity, info.year, info.cutoff) == (
        "Alcaldía Municipal de Chía",
        2021,
        D(2021, 4, 30),
    )
    assert sorted(got.reasons()) == [1, 2, 3, 4, 5]


# 2. Stacked header rows with merged group cells (BIFF .xls) ---------------------------------


def test_stacked_header_with_seguimiento_oci_group_xlwt(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["SEGUIMIENTO AL PLAN ANTICORRUPCIÓN 2020 - E.S.E. HOSPITAL SAN RAFAEL"],
        ["Subcomponente", "Actividades", "Responsable", "Fecha programada", "SEGUIMIENTO OCI"],
        [None, None, None, None, "% de avance", "Observaciones"],
        [
            "Rendición de cuentas",
            "Publicar el informe de gestión",
            "Gerencia",
            D(2020, 3, 31),
            Pct(1),
            "Publicado el 30/03/2020",
        ],
        [
            "Rendición de cuentas",
            "Audiencia pública",
            "Gerencia",
            D(2020, 11, 30),
            Pct(0),
            "Programada",
        ],
        [
            "Incentivos para motivar la cultura de la rendición de cuentas",
            "Encuesta de evaluación de la audiencia",
            "Planeación",
            D(2020, 12, 15),
            Pct(0.5),
            "Formulario diseñado",
        ],
    ]
    merges = ["A1:F1", "A2:A3", "B2:B3", "C2:C3", "D2:D3", "E2:F2"]
    got = run(write_xlwt(tmp_path / "sanrafael.xls", {"Seguimiento": Sheet(rows, merges)}))
    assert table(got, "activity", "component", "schedule", "progress", "followup") == [
        ("Publicar el informe de gestión", 3, "31/03/2020", 1.0, "Publicado el 30/03/2020"),
        ("Audiencia pública", 3, "30/11/2020", 0.0, "Programada"),
        ("Encuesta de evaluación de la audiencia", 3, "15/12/2020", 0.5, "Formulario diseñado"),
    ]
    roles = got.roles()
    assert (roles[2], roles[3]) == ("encabezado", "encabezado")


def test_three_stacked_header_rows_ods(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["PLAN ANTICORRUPCIÓN Y DE ATENCIÓN AL CIUDADANO", None, None, None, None, None],
        ["Actividades", "Responsable", "PROGRAMACIÓN", None, "SEGUIMIENTO OCI", None],
        [None, None, "Fecha", None, "Avance", None],
        [None, None, "Inicio", "Fin", "% de avance", "Observaciones"],
        [
            "Caracterizar a los usuarios",
            "Atención al Ciudadano",
            D(2021, 2, 1),
            D(2021, 6, 30),
            Pct(0.4),
            "Encuesta aplicada",
        ],
        [
            "Medir la satisfacción del ciudadano",
            "Atención al Ciudadano",
            D(2021, 3, 1),
            D(2021, 12, 31),
            Pct(0.1),
            "Instrumento listo",
        ],
        [
            "Actualizar el protocolo de servicio",
            "Atención al Ciudadano",
            D(2021, 1, 15),
            D(2021, 4, 30),
            Pct(1),
            "Adoptado",
        ],
    ]
    merges = ["A1:F1", "A2:A4", "B2:B4", "C2:D2", "E2:F2", "C3:D3", "E3:F3"]
    got = run(write_ods(tmp_path / "plan.ods", {"Atención al ciudadano": Sheet(rows, merges)}))
    assert table(got, "activity", "component", "schedule", "progress", "followup") == [
        ("Caracterizar a los usuarios", 4, "30/06/2021", 0.4, "Encuesta aplicada"),
        ("Medir la satisfacción del ciudadano", 4, "31/12/2021", 0.1, "Instrumento listo"),
        ("Actualizar el protocolo de servicio", 4, "30/04/2021", 1.0, "Adoptado"),
    ]


# 3. Merged subcomponent, owner and date cells over activity rows (LibreOffice .ods) --------


def test_merged_subcomponent_owner_and_date_over_rows_ods(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        [
            "Subcomponente",
            "Actividades",
            "Meta o producto",
            "Responsable",
            "Fecha programada",
            "% de avance",
            "Observaciones",
        ],
        [
            "Lineamientos de transparencia activa",
            "Publicar la contratación en el SECOP",
            "Contratos publicados",
            "Jurídica",
            D(2020, 12, 31),
            Pct(0.33),
            "Al día",
        ],
        [None, "Publicar el directorio de servidores", "Directorio", None, None, Pct(0.5), None],
        [None, "Publicar el presupuesto", "Presupuesto", None, None, Pct(1), "Publicado"],
        [
            "Lineamientos de transparencia pasiva",
            "Responder las solicitudes de información",
            "Respuestas",
            "Atención al Usuario",
            "Permanente",
            Pct(0.33),
            None,
        ],
    ]
    merges = ["A2:A4", "D2:D4", "E2:E4"]
    got = run(write_ods(tmp_path / "transparencia.ods", {"Componente 5": Sheet(rows, merges)}))
    assert table(got, "activity", "subcomponent", "owner", "schedule", "progress", "component") == [
        (
            "Publicar la contratación en el SECOP",
            "Lineamientos de transparencia activa",
            "Jurídica",
            "31/12/2020",
            0.33,
            5,
        ),
        (
            "Publicar el directorio de servidores",
            "Lineamientos de transparencia activa",
            "Jurídica",
            "31/12/2020",
            0.5,
            5,
        ),
        (
            "Publicar el presupuesto",
            "Lineamientos de transparencia activa",
            "Jurídica",
            "31/12/2020",
            1.0,
            5,
        ),
        (
            "Responder las solicitudes de información",
            "Lineamientos de transparencia pasiva",
            "Atención al Usuario",
            "Permanente",
            0.33,
            5,
        ),
    ]


# 4. Component and subcomponent heading rows -------------------------------------------------


def test_component_heading_rows_html(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["No", "Actividades", "Responsable", "Fecha programada", "% avance", "Observaciones"],
        ["COMPONENTE 1: GESTIÓN DEL RIESGO DE CORRUPCIÓN – MAPA DE RIESGOS DE CORRUPCIÓN"],
        ["1.1", "Actualizar el mapa de riesgos", "Planeación", "31/01/2021", "100%", "Hecho"],
        ["1.2", "Monitorear los riesgos", "Líderes de proceso", "30/04/2021", "50%", ""],
        ["COMPONENTE 2: RACIONALIZACIÓN DE TRÁMITES"],
        ["2.1", "Implementar el pago en línea del predial", "Hacienda", "30/06/2021", "0%", ""],
        ["COMPONENTE 4: MECANISMOS PARA MEJORAR LA ATENCIÓN AL CIUDADANO"],
        ["4.1", "Medir la satisfacción", "Atención al Ciudadano", "31/12/2021", "10%", ""],
    ]
    sheet = Sheet(rows, ["A2:F2", "A5:F5", "A7:F7"], header_rows=(1,))
    got = run(write_html(tmp_path / "reporte.xls", {"Reporte": sheet}))
    assert table(got, "activity", "component", "owner", "schedule", "progress") == [
        ("Actualizar el mapa de riesgos", 1, "Planeación", "31/01/2021", 1.0),
        ("Monitorear los riesgos", 1, "Líderes de proceso", "30/04/2021", 0.5),
        ("Implementar el pago en línea del predial", 2, "Hacienda", "30/06/2021", 0.0),
        ("Medir la satisfacción", 4, "Atención al Ciudadano", "31/12/2021", 0.1),
    ]
    roles = got.roles()
    assert [roles[r] for r in (1, 2, 5, 7)] == ["encabezado"] * 4
    assert got.codes("html-como-xls")


def test_subcomponent_heading_rows_xlsxwriter(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["COMPONENTE 3: RENDICIÓN DE CUENTAS"],
        ["Actividades", "Meta o producto", "Responsable", "Fecha programada", "% de avance"],
        ["Subcomponente 1 Información de calidad y en lenguaje comprensible"],
        ["Publicar el informe de gestión", "Informe", "Planeación", D(2021, 3, 31), Pct(1)],
        ["Publicar los estados financieros", "Estados", "Financiera", D(2021, 2, 28), Pct(1)],
        ["Subcomponente 2 Diálogo de doble vía con la ciudadanía y sus organizaciones"],
        [
            "Audiencia pública de rendición de cuentas",
            "Audiencia",
            "Despacho",
            D(2021, 11, 30),
            Pct(0),
        ],
    ]
    merges = ["A1:E1", "A3:E3", "A6:E6"]
    got = run(write_xlsxwriter(tmp_path / "rdc.xlsx", {"RdC": Sheet(rows, merges)}))
    assert table(got, "activity", "component", "subcomponent", "schedule", "progress") == [
        (
            "Publicar el informe de gestión",
            3,
            "Información de calidad y en lenguaje comprensible",
            "31/03/2021",
            1.0,
        ),
        (
            "Publicar los estados financieros",
            3,
            "Información de calidad y en lenguaje comprensible",
            "28/02/2021",
            1.0,
        ),
        (
            "Audiencia pública de rendición de cuentas",
            3,
            "Diálogo de doble vía con la ciudadanía y sus organizaciones",
            "30/11/2021",
            0.0,
        ),
    ]
    roles = got.roles()
    assert [roles[r] for r in (3, 6)] == ["encabezado"] * 2


# 5. One sheet per component, plus sheets that are not the plan (BIFF .xls) ----------------


def _component_sheet(activity: str, when: object, progress: float) -> Sheet:
    return Sheet(
        [
            ["Actividad", "Responsable", "Fecha programada", "% avance"],
            [activity, "Planeación", when, Pct(progress)],
        ]
    )


def test_sheet_per_component_and_instructions_xlwt(tmp_path: Path) -> None:
    book = {
        "Instrucciones": Sheet(
            [["INSTRUCCIONES DE DILIGENCIAMIENTO"], ["Diligencie una hoja por componente."]]
        ),
        "Riesgos de corrupción": _component_sheet("Actualizar el mapa", D(2020, 6, 30), 0.5),
        "Racionalización de trámites": _component_sheet("Pago en línea", D(2020, 9, 30), 0),
        "Rendición de cuentas": _component_sheet("Audiencia pública", D(2020, 11, 30), 0),
        "Transparencia": _component_sheet("Publicar el directorio", D(2020, 3, 31), 1),
    }
    got = run(write_xlwt(tmp_path / "paac.xls", book))
    assert table(got, "sheet", "activity", "component", "schedule", "progress") == [
        ("Riesgos de corrupción", "Actualizar el mapa", 1, "30/06/2020", 0.5),
        ("Racionalización de trámites", "Pago en línea", 2, "30/09/2020", 0.0),
        ("Rendición de cuentas", "Audiencia pública", 3, "30/11/2020", 0.0),
        ("Transparencia", "Publicar el directorio", 5, "31/03/2020", 1.0),
    ]
    skipped = {p.sheet: p.message for p in got.codes("hoja-omitida")}
    assert list(skipped) == ["Instrucciones"] and "instrucciones" in skipped["Instrucciones"]


# 6. Header synonyms ----------------------------------------------------------------------------


def test_actividades_programadas_and_cumplidas_ods(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["Entidad:", "Instituto Municipal de Deportes"],
        [
            "Subcomponente / proceso",
            "Actividades programadas",
            "Actividades cumplidas",
            "% de avance",
            "Observaciones",
            "Fecha programada",
        ],
        [
            "Priorización de trámites",
            "Inscribir los trámites en el SUIT",
            "Se inscribieron 4 trámites",
            Pct(1),
            "Verificado en el SUIT",
            D(2021, 4, 30),
        ],
        [
            None,
            "Racionalizar el trámite de préstamo de escenarios",
            "Formulario en línea en pruebas",
            Pct(0.6),
            None,
            D(2021, 8, 31),
        ],
        [None, "Socializar los trámites racionalizados", None, Pct(0), None, D(2021, 12, 31)],
    ]
    got = run(write_ods(tmp_path / "deportes.ods", {"PAAC": Sheet(rows, ["A3:A5"])}))
    assert table(got, "activity", "component", "followup", "schedule", "progress") == [
        (
            "Inscribir los trámites en el SUIT",
            2,
            "Se inscribieron 4 trámites\nVerificado en el SUIT",
            "30/04/2021",
            1.0,
        ),
        (
            "Racionalizar el trámite de préstamo de escenarios",
            2,
            "Formulario en línea en pruebas",
            "31/08/2021",
            0.6,
        ),
        ("Socializar los trámites racionalizados", 2, None, "31/12/2021", 0.0),
    ]
    assert got.result.sources[0].entity == "Instituto Municipal de Deportes"


def test_metas_o_productos_as_activity_and_indicadores_as_goal_html(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["PLAN ANTICORRUPCIÓN Y DE ATENCIÓN AL CIUDADANO VIGENCIA 2016"],
        ["No", "METAS O PRODUCTOS", "INDICADORES", "RESPONSABLE", "FECHA PROGRAMADA", "% AVANCE"],
        ["COMPONENTE 1: GESTIÓN DEL RIESGO DE CORRUPCIÓN"],
        [
            1,
            "Mapa de riesgos publicado",
            "Mapa publicado / mapa programado",
            "Calidad",
            "31/01/2016",
            "100%",
        ],
        [
            2,
            "Informe de monitoreo del mapa",
            "Informes presentados",
            "Calidad",
            "30/04/2016",
            "33%",
        ],
        ["COMPONENTE 4: MECANISMOS PARA MEJORAR LA ATENCIÓN AL CIUDADANO"],
        [3, "Buzón de sugerencias revisado", "Aperturas del buzón", "SIAU", "Mensual", "25%"],
    ]
    sheet = Sheet(rows, ["A1:F1", "A3:F3", "A6:F6"], header_rows=(2,))
    got = run(write_html(tmp_path / "sarare.xls", {"Hoja1": sheet}, charset="windows-1252"))
    assert table(got, "activity", "goal", "component", "progress") == [
        ("Mapa de riesgos publicado", "Mapa publicado / mapa programado", 1, 1.0),
        ("Informe de monitoreo del mapa", "Informes presentados", 1, 0.33),
        ("Buzón de sugerencias revisado", "Aperturas del buzón", 4, 0.25),
    ]
    assert table(got, "n_dates")[2] == (12,)  # Mensual: the months of the title's year


def test_activity_numbers_in_their_own_column_xlwt(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["Nº", "Subcomponente", "Actividad", "Líder del proceso", "Fecha", "Avance"],
        [
            1.1,
            "Seguimiento",
            "Hacer seguimiento al mapa de riesgos",
            "OCI",
            D(2022, 4, 30),
            Pct(0.33),
        ],
        ["1.2", "Seguimiento", "Publicar el seguimiento", "OCI", D(2022, 5, 31), Pct(0)],
        [
            3.1,
            "Rendición de cuentas",
            "Publicar el informe de gestión",
            "Planeación",
            D(2022, 1, 31),
            Pct(1),
        ],
    ]
    got = run(write_xlwt(tmp_path / "numeros.xls", {"Plan": Sheet(rows)}))
    assert table(got, "activity", "owner", "component", "schedule", "progress") == [
        ("Hacer seguimiento al mapa de riesgos", "OCI", 1, "30/04/2022", 0.33),
        ("Publicar el seguimiento", "OCI", 1, "31/05/2022", 0.0),
        ("Publicar el informe de gestión", "Planeación", 3, "31/01/2022", 1.0),
    ]


# 7. Schedules: start and end columns, period columns ----------------------------------------


def test_start_and_end_date_columns_ods(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["Actividad", "Responsable", "Fecha inicio", "Fecha final", "% avance", "Observaciones"],
        [
            "Auditoría al mapa de riesgos",
            "OCI",
            D(2021, 2, 1),
            D(2021, 12, 31),
            Pct(0.333),
            "Primer informe",
        ],
        [
            "Informe de PQRSD",
            "Atención al Ciudadano",
            D(2021, 1, 1),
            D(2021, 6, 30),
            Pct(0.5),
            None,
        ],
        [
            "Actualizar la caracterización",
            "Planeación",
            D(2021, 3, 1),
            D(2021, 3, 31),
            Pct(1),
            "Publicada",
        ],
    ]
    got = run(write_ods(tmp_path / "fechas.ods", {"Seguimiento": Sheet(rows)}))
    assert table(got, "activity", "schedule", "n_dates", "progress") == [
        ("Auditoría al mapa de riesgos", "31/12/2021", 1, 0.333),
        ("Informe de PQRSD", "30/06/2021", 1, 0.5),
        ("Actualizar la caracterización", "31/03/2021", 1, 1.0),
    ]


def test_quarter_period_columns_with_marks_xlsxwriter(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["Vigencia 2022"],
        ["Actividad", "Responsable", "Meta", "Cronograma", None, None, None, "% avance"],
        [None, None, None, "T1", "T2", "T3", "T4", None],
        ["Informe de PQRSD", "Atención", "4 informes", "X", "X", "X", "X", Pct(0.25)],
        ["Encuesta de satisfacción", "Atención", "2 encuestas", None, "✓", None, "✓", Pct(0)],
        ["Auditoría interna", "OCI", "1 auditoría", "N/A", None, "X", "N/A", Pct(0)],
    ]
    merges = ["A1:H1", "A2:A3", "B2:B3", "C2:C3", "D2:G2", "H2:H3"]
    got = run(write_xlsxwriter(tmp_path / "trimestres.xlsx", {"PAAC": Sheet(rows, merges)}))
    assert table(got, "activity", "goal", "schedule", "n_dates", "progress") == [
        (
            "Informe de PQRSD",
            "4 informes",
            "31/03/2022; 30/06/2022; 30/09/2022; 31/12/2022",
            4,
            0.25,
        ),
        ("Encuesta de satisfacción", "2 encuestas", "30/06/2022; 31/12/2022", 2, 0.0),
        ("Auditoría interna", "1 auditoría", "30/09/2022", 1, 0.0),
    ]


def test_month_period_columns_ods(tmp_path: Path) -> None:
    months = ["Ene", "Feb", "Mar", "Abr", "May", "Jun", "Jul", "Ago", "Sep", "Oct", "Nov", "Dic"]
    rows: list[list[object]] = [
        ["Vigencia:", 2023],
        ["Actividad", "Responsable", *months, "% avance"],
        ["Boletín interno", "Comunicaciones", *([1] * 12), Pct(0.33)],
        ["Feria de servicio", "Atención", *([None] * 5), 1, *([None] * 5), 1, Pct(0)],
    ]
    got = run(write_ods(tmp_path / "meses.ods", {"Cronograma": Sheet(rows)}))
    assert table(got, "activity", "n_dates", "schedule", "progress") == [
        (
            "Boletín interno",
            12,
            "; ".join(
                d.strftime("%d/%m/%Y")
                for d in [D(2023, m + 1, 1) - dt.timedelta(days=1) for m in range(1, 12)]
                + [D(2023, 12, 31)]
            ),
            0.33,
        ),
        ("Feria de servicio", 2, "30/06/2023; 31/12/2023", 0.0),
    ]


# 8. Subtotal and TOTAL rows, colour legend, signatures (BIFF .xls) -------------------------


def test_totals_and_colour_legend_xlwt(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["Subcomponente", "Actividades", "Responsable", "Fecha programada", "% avance"],
        ["Seguimiento", "Evaluar el mapa de riesgos", "OCI", D(2020, 4, 30), Pct(1)],
        [None, "Publicar la evaluación", "OCI", D(2020, 5, 31), Pct(0)],
        ["SUBTOTAL COMPONENTE 1", None, None, None, Pct(0.5)],
        ["Transparencia activa", "Publicar la contratación", "Jurídica", D(2020, 12, 31), Pct(0.3)],
        ["TOTAL", None, None, None, Pct(0.43)],
        [],
        ["CONVENCIONES"],
        ["0 - 59 %", "Rojo", "Zona baja"],
        ["60 - 79 %", "Amarillo", "Zona media"],
        ["80 - 100 %", "Verde", "Zona alta"],
        [],
        ["Elaboró: Oficina de Control Interno"],
    ]
    got = run(write_xlwt(tmp_path / "totales.xls", {"Seguimiento": Sheet(rows, ["A2:A3"])}))
    assert table(got, "activity", "component", "progress") == [
        ("Evaluar el mapa de riesgos", 1, 1.0),
        ("Publicar la evaluación", 1, 0.0),
        ("Publicar la contratación", 5, 0.3),
    ]
    why = got.reasons()
    assert [why[r] for r in (4, 6)] == [TOTAL, TOTAL]
    assert [why[r] for r in (8, 9, 10, 11)] == [LEGEND] * 4
    assert why[13] == "firmas y pie del documento"


# 9. Several cuts side by side (LibreOffice .ods) -------------------------------------------


def test_side_by_side_followup_blocks_ods(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["Vigencia:", 2020],
        [
            "Actividad",
            "Responsable",
            "Fecha programada",
            "Seguimiento 1",
            None,
            "Seguimiento 2",
            None,
        ],
        [None, None, None, "% avance", "Observaciones", "% avance", "Observaciones"],
        [
            "Publicar el mapa",
            "Planeación",
            D(2020, 1, 31),
            Pct(1),
            "Publicado",
            Pct(1),
            "Sin cambios",
        ],
        [
            "Audiencia pública",
            "Despacho",
            D(2020, 11, 30),
            Pct(0),
            "Programada",
            Pct(0.5),
            "Convocada",
        ],
        [
            "Encuesta de satisfacción",
            "Atención",
            D(2020, 6, 30),
            Pct(0.2),
            "Diseño",
            Pct(1),
            "Aplicada",
        ],
    ]
    merges = ["A2:A3", "B2:B3", "C2:C3", "D2:E2", "F2:G2"]
    path = write_ods(tmp_path / "cortes.ods", {"PAAC": Sheet(rows, merges)})
    got = run(path)
    assert table(got, "activity", "progress", "followup") == [
        ("Publicar el mapa", 1.0, "Sin cambios"),
        ("Audiencia pública", 0.5, "Convocada"),
        ("Encuesta de satisfacción", 1.0, "Aplicada"),
    ]
    history = got.result.history
    assert list(zip(history["cut"], history["progress"], strict=True)) == [
        ("Seguimiento 1", 1.0),
        ("Seguimiento 1", 0.0),
        ("Seguimiento 1", 0.2),
    ]
    first = run(path, cutoff=D(2020, 4, 30))
    assert table(first, "progress", "followup") == [
        (1.0, "Publicado"),
        (0.0, "Programada"),
        (0.2, "Diseño"),
    ]


# 10. Progress as whole numbers, N/A versus 0 % ----------------------------------------------


def test_whole_number_progress_column_html(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["Actividad", "Responsable", "Fecha programada", "Avance (%)", "Observaciones"],
        ["Publicar el plan", "Planeación", "31/01/2021", "100", "Publicado"],
        ["Capacitar a los servidores", "Talento Humano", "30/06/2021", "50", "Primera jornada"],
        ["Actualizar el portafolio", "Atención", "30/09/2021", "0", ""],
        ["Rediseñar la web", "Sistemas", "31/12/2021", "1", "Contrato firmado"],
    ]
    got = run(write_html(tmp_path / "avance.xls", {"Avance": Sheet(rows, header_rows=(1,))}))
    # One column of whole numbers: "1" is 1 %, not 100 %.
    assert table(got, "activity", "progress") == [
        ("Publicar el plan", 1.0),
        ("Capacitar a los servidores", 0.5),
        ("Actualizar el portafolio", 0.0),
        ("Rediseñar la web", 0.01),
    ]


def test_not_applicable_versus_zero_xlsxwriter(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["Fecha de corte:", D(2021, 8, 31)],
        ["Actividad", "Responsable", "Fecha programada", "% avance", "Observaciones"],
        [
            "Auditoría al proceso de contratación",
            "OCI",
            D(2021, 6, 30),
            "N/A",
            "No aplica esta vigencia",
        ],
        ["Publicar el informe de PQRSD", "Atención", D(2021, 7, 31), Pct(0), "No se publicó"],
        ["Feria de servicio al ciudadano", "Atención", D(2021, 7, 31), "No aplica", None],
        ["Rendir cuentas a la ciudadanía", "Despacho", D(2021, 11, 30), Pct(0), None],
        ["Publicar el plan", "Planeación", D(2021, 1, 31), Pct(1), "Publicado"],
    ]
    path = write_xlsxwriter(tmp_path / "na.xlsx", {"PAAC": Sheet(rows)})
    got = run(path)
    assert table(got, "progress", "not_applicable") == [
        (None, True),
        (0.0, False),
        (None, True),
        (0.0, False),
        (1.0, False),
    ]
    assert statuses(path) == [
        ("Auditoría al proceso de contratación", "No aplica"),
        ("Publicar el informe de PQRSD", "Vencida"),
        ("Feria de servicio al ciudadano", "No aplica"),
        ("Rendir cuentas a la ciudadanía", "Sin iniciar"),
        ("Publicar el plan", "Cumplida"),
    ]


def test_status_words_as_progress_ods(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["Vigencia:", 2021],
        ["Actividad", "Responsable", "Fecha programada", "Nivel de cumplimiento %"],
        ["Publicar el plan", "Planeación", D(2021, 1, 31), "Cumplida"],
        ["Capacitar en integridad", "Talento Humano", D(2021, 10, 31), "Sin iniciar"],
        ["Actualizar el código de integridad", "Talento Humano", D(2021, 6, 30), "100%"],
    ]
    got = run(write_ods(tmp_path / "estado.ods", {"Seguimiento": Sheet(rows)}))
    assert table(got, "activity", "progress") == [
        ("Publicar el plan", 1.0),
        ("Capacitar en integridad", 0.0),
        ("Actualizar el código de integridad", 1.0),
    ]


# 11. Dates as Spanish text and recurring words ----------------------------------------------


def test_spanish_text_dates_xlwt(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["Vigencia:", 2021],
        ["Actividad", "Responsable", "Fecha programada", "% avance"],
        ["Publicar el informe", "Planeación", "30 de abril de 2021", Pct(1)],
        ["Socializar el informe", "Planeación", "Mayo 14 de 2021", Pct(0)],
        ["Capacitar a los enlaces", "Talento Humano", "Junio de 2021", Pct(0)],
        ["Evaluar la estrategia", "OCI", "dic", Pct(0)],
        ["Semana de la transparencia", "Comunicaciones", "22 al 28 de abril", Pct(1)],
    ]
    got = run(write_xlwt(tmp_path / "textos.xls", {"PAAC": Sheet(rows)}))
    assert table(got, "activity", "schedule") == [
        ("Publicar el informe", "30/04/2021"),
        ("Socializar el informe", "14/05/2021"),
        ("Capacitar a los enlaces", "30/06/2021"),
        ("Evaluar la estrategia", "31/12/2021"),
        ("Semana de la transparencia", "28/04/2021"),
    ]
    assert not got.codes("fecha-no-valida")


def test_recurring_schedule_words_ods(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["Vigencia:", 2020],
        ["Actividad", "Responsable", "Fecha programada", "% avance"],
        ["Informe de PQRSD", "Atención", "Trimestral", Pct(0.25)],
        ["Seguimiento al mapa", "OCI", "Cuatrimestral", Pct(0.33)],
        ["Actualizar la web", "Sistemas", "Permanente", Pct(0.5)],
        ["Informe de austeridad", "OCI", "Semestral", Pct(0)],
    ]
    got = run(write_ods(tmp_path / "frecuencias.ods", {"PAAC": Sheet(rows)}))
    assert table(got, "activity", "schedule", "n_dates", "permanent") == [
        ("Informe de PQRSD", "31/03/2020; 30/06/2020; 30/09/2020; 31/12/2020", 4, False),
        ("Seguimiento al mapa", "30/04/2020; 31/08/2020; 31/12/2020", 3, False),
        ("Actualizar la web", "Permanente", 0, True),
        ("Informe de austeridad", "30/06/2020; 31/12/2020", 2, False),
    ]


# 12. Cut-off written in a text --------------------------------------------------------------


def test_cutoff_in_a_title_text_html(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["Seguimiento O.C.I I Cuatrimestre 2021"],
        ["Actividad", "Responsable", "Fecha programada", "% avance"],
        ["Publicar el plan", "Planeación", "31/01/2021", "100%"],
        ["Publicar el informe de PQRSD", "Atención", "31/03/2021", "0%"],
        ["Audiencia pública", "Despacho", "30/11/2021", "0%"],
    ]
    path = write_html(tmp_path / "seguimiento.xls", {"S": Sheet(rows, ["A1:D1"], header_rows=(2,))})
    got = run(path)
    (info,) = got.result.sources
    assert (info.cutoff, info.cutoff_origin) == (D(2021, 4, 30), "texto")
    assert statuses(path) == [
        ("Publicar el plan", "Cumplida"),
        ("Publicar el informe de PQRSD", "Vencida"),
        ("Audiencia pública", "Sin iniciar"),
    ]


# 13. Letterhead repeated at each page break, activity split across it ---------------------

SPLIT = (
    "Elaborar el informe de seguimiento de las PQRSD del primer trimestre con la "
    "información estadística de las PQRSD."
)


def test_letterhead_repeated_across_a_page_break_xlsxwriter(tmp_path: Path) -> None:
    letterhead: list[list[object]] = [
        ["GOBERNACIÓN DEL META", None, None, None, "Código: FO-CI-05"],
        ["SEGUIMIENTO PLAN ANTICORRUPCIÓN", None, None, None, "Versión: 2"],
    ]
    header: list[object] = [
        "Actividades",
        "Responsable",
        "Fecha programada",
        "% avance",
        "Observaciones",
    ]
    rows: list[list[object]] = [
        *letterhead,
        ["Fecha de corte:", D(2020, 4, 30)],
        header,
        ["Publicar el mapa de riesgos", "Planeación", D(2020, 1, 31), Pct(1), "Publicado"],
        [
            "Elaborar el informe de seguimiento de las PQRSD del primer trimestre con la",
            "Atención al Ciudadano",
            D(2020, 4, 15),
            Pct(1),
            "Publicado el",
        ],
        *letterhead,
        header,
        ["información estadística de las PQRSD.", None, None, None, "14/04/2020 en la web"],
        ["Audiencia pública de rendición de cuentas", "Despacho", D(2020, 11, 30), Pct(0), None],
    ]
    merges = ["A1:D1", "A2:D2", "A7:D7", "A8:D8"]
    got = run(write_xlsxwriter(tmp_path / "meta.xlsx", {"Seguimiento": Sheet(rows, merges)}))
    assert table(got, "activity", "schedule", "progress", "followup") == [
        ("Publicar el mapa de riesgos", "31/01/2020", 1.0, "Publicado"),
        (SPLIT, "15/04/2020", 1.0, "Publicado el 14/04/2020 en la web"),
        ("Audiencia pública de rendición de cuentas", "30/11/2020", 0.0, None),
    ]
    roles = got.roles()
    assert roles[10] == "continuación"
    why = got.reasons()
    assert (why[7], why[8]) == (LETTERHEAD, LETTERHEAD)
    assert why[9] == "encabezado de tabla repetido (salto de página)"


# 14. An information system's export with a Windows charset and a caption row ---------------


def test_system_export_windows_charset_and_rowspan_html(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["Reporte generado por el sistema - Plan Anticorrupción 2022"],
        [
            "Componente",
            "Subcomponente",
            "Actividad",
            "Responsable",
            "Fecha inicio",
            "Fecha fin",
            "Avance",
        ],
        [
            "Rendición de cuentas",
            "Información de calidad",
            "Publicar el informe de gestión",
            "Planeación",
            "01/01/2022",
            "31/03/2022",
            "100%",
        ],
        [
            None,
            None,
            "Publicar la ejecución presupuestal",
            "Financiera",
            "01/01/2022",
            "31/12/2022",
            "25%",
        ],
        [
            "Atención al ciudadano",
            "Talento humano",
            "Capacitar en lenguaje claro",
            "Talento Humano",
            "01/03/2022",
            "30/06/2022",
            "0%",
        ],
    ]
    sheet = Sheet(rows, ["A1:G1", "A3:A4", "B3:B4"], header_rows=(2,))
    got = run(write_html(tmp_path / "export.xls", {"Reporte": sheet}, charset="windows-1252"))
    assert table(got, "activity", "component", "subcomponent", "schedule", "progress") == [
        ("Publicar el informe de gestión", 3, "Información de calidad", "31/03/2022", 1.0),
        ("Publicar la ejecución presupuestal", 3, "Información de calidad", "31/12/2022", 0.25),
        ("Capacitar en lenguaje claro", 4, "Talento humano", "30/06/2022", 0.0),
    ]
    assert got.result.sources[0].year == 2022
