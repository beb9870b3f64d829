"""Write ``seguimiento_paac_alcaldia_sibundoy_2020.xlsx``: a follow-up in the official DAFP layout.

Run it from anywhere with ``python tests/sample_builders/make_dafp_sample.py``; the workbook is written
to samples/. The output is deterministic: workbook properties and zip timestamps are pinned,
so a rerun gives the same bytes.

The entity is real (Alcaldía Municipal de Sibundoy, Putumayo) but the activities, results and
observations are invented. The layout copies the DAFP "Formato seguimiento" as offices copy it
(the DAFP form as published by entities such as Corporinoquia 2020 and UES Valle 2021): a title, an ``Entidad:`` /
``Vigencia:`` / ``Fecha publicación:`` / ``Seguimiento 1 OCI`` / ``Fecha seguimiento:`` block in
columns A-B, then one block per component (a ``Componente:`` row, the column header row, the
activities and a blank row), and the OCI signature below the last block.

Sheet ``Seguimiento PAAC``, columns A-H::

    Subcomponente / Proceso | Actividades programadas | Meta o producto | Responsable |
    Fecha programada | Actividades cumplidas | % de avance | Observaciones

Header block: row 1 title (merged A1:H1), row 3 ``Entidad:``, row 4 ``Vigencia:`` 2020, row 5
``Fecha publicación:`` 12/05/2020 (date cell), row 6 ``Seguimiento 1 OCI``, row 7
``Fecha seguimiento:`` 30/04/2020 (date cell). Component rows are 9, 16, 21, 27 and 32.

Intended result at the cut-off 30/04/2020 (``Fila`` is the Excel row of the activity)::

    Fila Comp Fecha programada         Celda      % avance  Estado       Why
    ---- ---- ------------------------ ---------- --------- ------------ ---------------------------
     11   1   31/03/2020               date       100 %     Cumplida     due before the cut, done
     12   1   31/01/2020               date       100 %     Cumplida     due before the cut, done
     13   1   31/03/2020               date       0 %       Vencida      due before the cut, 0 %
     14   1   30/04/2020\n31/08/2020   text (2)   50 %      En curso     1 of 2 due (on the cut), 50 %
     18   2   30/06/2020               date       25 %      En curso     not due yet, started
     19   2   31/08/2020               date       0 %       Sin iniciar  not due yet, 0 %
     23   3   28/02/2020               date       50 %      Vencida      due before the cut, 50 % < 100 %
     24   3   15/12/2020               date       N/A       No aplica    N/A, date after the cut
     25   3   Permanente               text       33 %      En curso     continuous; 33 % = 4 of 12 months
     29   4   30/06/2020               date       100 %     Cumplida     finished early
     30   4   30/04/2020               date       0 %       Vencida      due on the cut itself, 0 %
     34   5   31/12/2020               text       33 %      En curso     not due yet, started
     35   5   31/01/2020               date       100 %     Cumplida     due before the cut, done
     36   5   30/09/2020               date       25 %      En curso     not due yet, started

Totals: 14 activities; 4 Cumplida, 3 Vencida, 5 En curso, 1 Sin iniciar, 1 No aplica.
Simple average of % avance over the 13 numeric activities (N/A left out): 6.16 / 13 = 47.4 %.

Traps on purpose:

- Row 25 is "Permanente" at 33 %, as the Putumayo seed writes it. Elapsed time at 30/04/2020
  is 4/12 = 0.333 (or 121/366 = 0.331 by days), a hair above 0.33: the overdue rule needs a
  tolerance of about one percentage point, or this row becomes a false Vencida.
- Row 30 is due exactly on the cut-off: "due" means date <= cut-off.
- Row 14 holds two dates as text, one per line, and the first one is the cut-off itself.
- Row 34's date is the text "31/12/2020", not a date cell.
- Subcomponents "Consulta y divulgación" (rows 12-13), "Diálogo de doble vía ..." (rows
  24-25) and "Lineamientos de Transparencia Activa" (rows 34-35) are merged cells: the value is
  only in the top cell.
- Component names are written the way offices type them: without accents
  ("Racionalizacion de Tramites") and with a plain hyphen instead of the official en dash.
- Below the last block, rows 39-40: the OCI head's signature, which is not an activity.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

OUTPUT = (
    Path(__file__).resolve().parents[2] / "samples" / "seguimiento_paac_alcaldia_sibundoy_2020.xlsx"
)

ENTITY = "Alcaldía Municipal de Sibundoy"
YEAR = 2020
PUBLISHED = dt.date(2020, 5, 12)  # 8th business day of May 2020 (1 May is a holiday)
CUTOFF = dt.date(2020, 4, 30)
# Pinned so that a rerun writes the same bytes.
FIXED_TIME = dt.datetime(2020, 5, 12)

TITLE = "FORMATO SEGUIMIENTO AL PLAN ANTICORRUPCIÓN Y DE ATENCIÓN AL CIUDADANO"
HEADERS = (
    "Subcomponente / Proceso",
    "Actividades programadas",
    "Meta o producto",
    "Responsable",
    "Fecha programada",
    "Actividades cumplidas",
    "% de avance",
    "Observaciones",
)
WIDTHS = (26, 46, 30, 26, 14, 48, 11, 46)
DATE_FORMAT = "dd/mm/yyyy"

Schedule = dt.date | str  # a date cell, or text exactly as the office typed it
Progress = float | str  # a number shown as "0%", or text such as "N/A"
CellValue = str | int | float | dt.date | None


@dataclass(frozen=True)
class Activity:
    subcomponent: str  # "" = continues the merged subcomponent cell above
    activity: str
    goal: str
    owner: str
    scheduled: Schedule
    done: str
    progress: Progress
    remarks: str
    expected_status: str  # at CUTOFF; documented in the module docstring, not written


@dataclass(frozen=True)
class Component:
    label: str
    activities: tuple[Activity, ...]


COMPONENTS: tuple[Component, ...] = (
    Component(
        "1. Gestion del Riesgo de Corrupcion - Mapa de Riesgos de Corrupcion",
        (
            Activity(
                "Política de Administración de Riesgos",
                "Socializar la Política de Administración del Riesgo, aprobada por el Comité "
                "Institucional de Coordinación de Control Interno, con los líderes de proceso.",
                "Una (1) socialización con acta y listado de asistencia.",
                "Secretaría de Planeación",
                dt.date(2020, 3, 31),
                "El 27/03/2020 se socializó la política por videoconferencia con 18 líderes "
                "de proceso. Acta No. 004 de 2020.",
                1.0,
                "Se verificó el acta y el listado de asistencia. Actividad cumplida.",
                "Cumplida",
            ),
            Activity(
                "Consulta y divulgación",
                "Publicar el Mapa de Riesgos de Corrupción 2020 en la página web de la "
                "Alcaldía para consulta de la ciudadanía.",
                "Mapa de Riesgos de Corrupción 2020 publicado.",
                "Secretaría de Planeación - Oficina de Sistemas",
                dt.date(2020, 1, 31),
                "Mapa publicado el 30/01/2020 en www.sibundoy-putumayo.gov.co, sección "
                "Transparencia > Planeación.",
                1.0,
                "Se verificó la publicación en la página web. Actividad cumplida.",
                "Cumplida",
            ),
            Activity(
                "",
                "Divulgar el Mapa de Riesgos de Corrupción entre los servidores públicos por "
                "correo institucional y cartelera.",
                "Una (1) divulgación interna.",
                "Secretaría de Planeación",
                dt.date(2020, 3, 31),
                "",
                0.0,
                "No se aportó evidencia de la divulgación interna. Se recomienda realizarla "
                "y remitir los soportes a la Oficina de Control Interno.",
                "Vencida",
            ),
            Activity(
                "Seguimiento",
                "Realizar seguimiento al Mapa de Riesgos de Corrupción y publicar el informe "
                "(el seguimiento con corte a diciembre se publica en enero de 2021).",
                "Dos (2) informes de seguimiento publicados en la vigencia.",
                "Oficina de Control Interno",
                "30/04/2020\n31/08/2020",
                "Seguimiento con corte a 30/04/2020 realizado; se publica junto con el "
                "presente informe.",
                0.5,
                "Primer seguimiento realizado dentro del término.",
                "En curso",
            ),
        ),
    ),
    Component(
        "2. Racionalizacion de Tramites",
        (
            Activity(
                "Racionalización tecnológica",
                "Implementar el pago del Impuesto Predial Unificado en línea (botón PSE) en "
                "la página web de la Alcaldía.",
                "Impuesto predial en línea disponible para los contribuyentes.",
                "Secretaría de Hacienda - Oficina de Sistemas",
                dt.date(2020, 6, 30),
                "Se firmó el convenio de recaudo con la entidad financiera; el botón de pago "
                "está en pruebas.",
                0.25,
                "Avance acorde con el cronograma. Verificar en el segundo seguimiento la "
                "puesta en producción.",
                "En curso",
            ),
            Activity(
                "Racionalización administrativa",
                "Reducir el tiempo de expedición del certificado de uso del suelo de 15 a 8 "
                "días hábiles.",
                "Trámite actualizado en el SUIT con el nuevo tiempo de respuesta.",
                "Secretaría de Planeación",
                dt.date(2020, 8, 31),
                "",
                0.0,
                "Actividad programada para el segundo cuatrimestre.",
                "Sin iniciar",
            ),
        ),
    ),
    Component(
        "3. Rendición de Cuentas",
        (
            Activity(
                "Información de calidad y en lenguaje comprensible",
                "Publicar en la página web el informe de empalme 2016-2019 y el diagnóstico "
                "del Plan de Desarrollo Municipal en lenguaje claro.",
                "Dos (2) documentos publicados.",
                "Secretaría de Planeación",
                dt.date(2020, 2, 28),
                "Se publicó el informe de empalme el 14/02/2020. El diagnóstico del Plan de "
                "Desarrollo no se ha publicado.",
                0.5,
                "Actividad vencida. Falta publicar el diagnóstico del Plan de Desarrollo.",
                "Vencida",
            ),
            Activity(
                "Diálogo de doble vía con la ciudadanía y sus organizaciones",
                "Realizar la audiencia pública de rendición de cuentas de la vigencia 2020.",
                "Una (1) audiencia pública realizada.",
                "Despacho del Alcalde - Secretaría de Planeación",
                dt.date(2020, 12, 15),
                "",
                "N/A",
                "No aplica para el periodo evaluado: la audiencia está programada para "
                "diciembre de 2020.",
                "No aplica",
            ),
            Activity(
                "",
                "Informar a la ciudadanía sobre la gestión de la Administración por la emisora "
                "comunitaria y las redes sociales institucionales.",
                "Publicaciones semanales.",
                "Oficina de Prensa y Comunicaciones",
                "Permanente",
                'Programa radial semanal "Sibundoy Informa" y publicaciones en Facebook sobre '
                "las medidas ante el COVID-19.",
                0.33,
                "Se verificaron las publicaciones de enero a abril de 2020.",
                "En curso",
            ),
        ),
    ),
    Component(
        "4. Mecanismos para Mejorar la Atencion al Ciudadano",
        (
            Activity(
                "Fortalecimiento de los canales de atención",
                "Habilitar el formulario electrónico de PQRSD en la página web y un canal de "
                "WhatsApp institucional.",
                "Formulario y canal habilitados.",
                "Secretaría General - Oficina de Sistemas",
                dt.date(2020, 6, 30),
                "Formulario y canal de WhatsApp habilitados el 20/04/2020 por la emergencia "
                "sanitaria.",
                1.0,
                "Actividad cumplida antes de la fecha programada.",
                "Cumplida",
            ),
            Activity(
                "Normativo y procedimental",
                "Elaborar y publicar el informe de PQRSD del primer trimestre de 2020.",
                "Un (1) informe trimestral publicado.",
                "Secretaría General - Ventanilla Única",
                dt.date(2020, 4, 30),
                "",
                0.0,
                "No se evidencia el informe de PQRSD del primer trimestre en la página web.",
                "Vencida",
            ),
        ),
    ),
    Component(
        "5. Mecanismos para la Transparencia y Acceso a la Informacion",
        (
            Activity(
                "Lineamientos de Transparencia Activa",
                'Actualizar la sección "Transparencia y acceso a la información pública" de '
                "la página web según la Ley 1712 de 2014 y la Resolución 3564 de 2015 de "
                "MinTIC.",
                "Sección de transparencia actualizada.",
                "Secretaría General - Oficina de Sistemas",
                "31/12/2020",
                "Se actualizaron los numerales 1 a 4 del esquema de publicación.",
                0.33,
                "Avance parcial. Faltan los numerales de contratación y de trámites.",
                "En curso",
            ),
            Activity(
                "",
                "Publicar el Plan Anual de Adquisiciones 2020 en el SECOP II y en la página web.",
                "Plan Anual de Adquisiciones publicado.",
                "Secretaría de Gobierno - Contratación",
                dt.date(2020, 1, 31),
                "Publicado en el SECOP II y en la página web el 29/01/2020.",
                1.0,
                "Se verificó la publicación. Actividad cumplida.",
                "Cumplida",
            ),
            Activity(
                "Instrumentos de gestión de la información",
                "Actualizar el Registro de Activos de Información y el Índice de Información "
                "Clasificada y Reservada.",
                "Instrumentos adoptados por acto administrativo y publicados.",
                "Secretaría General - Archivo",
                dt.date(2020, 9, 30),
                "Se levantó el inventario de activos de información de dos dependencias.",
                0.25,
                "Avance acorde con el cronograma.",
                "En curso",
            ),
        ),
    ),
)

# Styles
BOLD = Font(bold=True)
TITLE_FONT = Font(bold=True, size=12)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
COMPONENT_FILL = PatternFill("solid", fgColor="FCE4D6")
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def build_workbook() -> Workbook:
    """The follow-up workbook, in memory."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Seguimiento PAAC"
    last_col = get_column_letter(len(HEADERS))

    ws["A1"] = TITLE
    ws["A1"].font = TITLE_FONT
    ws["A1"].alignment = CENTER
    ws.merge_cells(f"A1:{last_col}1")
    ws.row_dimensions[1].height = 30

    _label(ws, 3, "Entidad:", ENTITY)
    _label(ws, 4, "Vigencia:", YEAR)
    _label(ws, 5, "Fecha publicación:", PUBLISHED)
    ws["A6"] = "Seguimiento 1 OCI"
    ws["A6"].font = BOLD
    _label(ws, 7, "Fecha seguimiento:", CUTOFF)

    row = 9
    for component in COMPONENTS:
        row = _write_component(ws, row, component) + 1  # one blank row between blocks

    row += 1
    ws.cell(row, 2, "Original firmado").font = Font(italic=True)
    ws.cell(row + 1, 2, "Jefe Oficina de Control Interno").font = BOLD

    for col, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A9"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True  # type: ignore[union-attr]

    wb.properties.creator = "Oficina de Control Interno"
    wb.properties.title = "Seguimiento PAAC 2020 - Corte 30/04/2020"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.properties.lastModifiedBy = "Oficina de Control Interno"
    return wb


def _label(ws: Worksheet, row: int, label: str, value: CellValue) -> None:
    ws.cell(row, 1, label).font = BOLD
    cell = ws.cell(row, 2, value)
    cell.alignment = Alignment(horizontal="left")
    if isinstance(value, dt.date):
        cell.number_format = DATE_FORMAT


def _write_component(ws: Worksheet, row: int, component: Component) -> int:
    """Write one component block starting at ``row``; return the row after its last activity."""
    last_col = get_column_letter(len(HEADERS))
    ws.cell(row, 1, "Componente:").font = BOLD
    ws.cell(row, 2, component.label).font = BOLD
    ws.merge_cells(f"B{row}:{last_col}{row}")
    for col in range(1, len(HEADERS) + 1):
        ws.cell(row, col).fill = COMPONENT_FILL

    row += 1
    for col, header in enumerate(HEADERS, start=1):
        cell = ws.cell(row, col, header)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = CENTER
        cell.border = BOX
    ws.row_dimensions[row].height = 30

    first = row + 1
    for offset, activity in enumerate(component.activities):
        _write_activity(ws, first + offset, activity)

    # A blank subcomponent continues the one above: merge the run, as offices do.
    top = first
    for offset, activity in enumerate(component.activities[1:], start=1):
        if activity.subcomponent:
            _merge_down(ws, top, first + offset - 1)
            top = first + offset
    _merge_down(ws, top, first + len(component.activities) - 1)
    return first + len(component.activities)


def _write_activity(ws: Worksheet, row: int, a: Activity) -> None:
    values: tuple[CellValue, ...] = (
        a.subcomponent or None,
        a.activity,
        a.goal,
        a.owner,
        a.scheduled,
        a.done or None,
        a.progress,
        a.remarks,
    )
    for col, value in enumerate(values, start=1):
        cell = ws.cell(row, col, value)
        cell.border = BOX
        cell.alignment = WRAP_TOP
    date_cell = ws.cell(row, 5)
    date_cell.alignment = Alignment(horizontal="center", vertical="top", wrap_text=True)
    if isinstance(a.scheduled, dt.date):
        date_cell.number_format = DATE_FORMAT
    progress_cell = ws.cell(row, 7)
    progress_cell.alignment = Alignment(horizontal="center", vertical="top")
    if isinstance(a.progress, float):
        progress_cell.number_format = "0%"
    # Excel does not grow rows for wrapped text written by openpyxl: size them as a person would.
    ws.row_dimensions[row].height = 15 * max(
        _lines(v, w) for v, w in zip(values, WIDTHS, strict=True)
    )


def _lines(value: CellValue, width: int) -> int:
    if not isinstance(value, str):
        return 1
    per_line = max(1, int(width * 1.1))
    return sum(-(-max(len(part), 1) // per_line) for part in value.split("\n"))


def _merge_down(ws: Worksheet, top: int, bottom: int) -> None:
    if bottom > top:
        ws.merge_cells(start_row=top, start_column=1, end_row=bottom, end_column=1)


def save_deterministic(wb: Workbook, path: Path) -> None:
    """Save ``wb`` so that reruns give identical bytes.

    openpyxl stamps ``modified`` with the current time on save, and ``zipfile`` stamps each
    member with the current time; both are rewritten to ``FIXED_TIME``.
    """
    buffer = io.BytesIO()
    wb.save(buffer)
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    date_time = FIXED_TIME.timetuple()[:6]
    with (
        zipfile.ZipFile(buffer) as src,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = _pin_modified(data, stamp)
            info = zipfile.ZipInfo(item.filename, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            dst.writestr(info, data)


def _pin_modified(core_xml: bytes, stamp: str) -> bytes:
    start_tag = b"<dcterms:modified"
    start = core_xml.find(start_tag)
    if start < 0:
        return core_xml
    value_start = core_xml.index(b">", start) + 1
    value_end = core_xml.index(b"</dcterms:modified>", value_start)
    return core_xml[:value_start] + stamp.encode() + core_xml[value_end:]


def main() -> None:
    save_deterministic(build_workbook(), OUTPUT)
    n = sum(len(c.activities) for c in COMPONENTS)
    print(f"Escrito {OUTPUT} ({n} actividades, corte {CUTOFF:%d/%m/%Y})")


if __name__ == "__main__":
    main()
