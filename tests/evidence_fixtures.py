"""A working folder built at test time for the evidence routine (issue 13).

One follow-up (openpyxl, real cell hyperlinks) with a link in a cell, an address in the
text, an evidence folder per area and per activity code, and each contradiction; plus a
pac-excel.toml whose [areas] gives three of the four areas an address.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

CUT = dt.date(2020, 4, 30)
DRIVE = "https://drive.google.com/drive/folders/1AbCdEf"
PUBLISHED = "https://www.entidad.gov.co/transparencia/mapa_2020.pdf"
SHAREPOINT = "https://entidad.sharepoint.com/sites/oci/Documentos/acta_004.pdf"

HEADER = (
    "No.",
    "Subcomponente",
    "Actividades",
    "Responsable",
    "Fecha programada",
    "% de avance",
    "Seguimiento OCI",
    "Fecha de seguimiento",
    "Evidencia",
)
# (code, subcomponent, activity, owner, dates, progress, follow-up, follow-up date)
ACTIVITIES: tuple[tuple[object, ...], ...] = (
    ("1.1", "Política de Administración de Riesgos", "Socializar la política de riesgos",
     "Secretaría de Planeación", "31/03/2020", "100%",
     "Se socializó la política con los líderes de proceso.", "08/05/2020"),
    ("1.2", "Consulta y divulgación", "Publicar el mapa de riesgos de corrupción",
     "Secretaría de Planeación", "31/01/2020", "100%",
     f"Mapa publicado en {PUBLISHED}.", "30/06/2020"),
    ("2.1", "Racionalización administrativa", "Racionalizar el trámite de paz y salvo",
     "Oficina de Sistemas", "31/03/2020", "100%",
     "No se evidencia el soporte de la racionalización.", "08/05/2020"),
    ("2.2", "Racionalización tecnológica", "Habilitar el pago en línea",
     "Oficina de Sistemas", "30/06/2020", "50%", "Botón de pago en pruebas.", "08/05/2020"),
    ("3.1", "Diálogo de doble vía con la ciudadanía", "Realizar la audiencia de rendición",
     "Secretaría General", "31/03/2020", "0%",
     "Se realizó la audiencia pública el 20/03/2020.", "08/05/2020"),
    ("3.2", "Información de calidad y en lenguaje comprensible",
     "Publicar los informes de gestión", "Secretaría General", "31/01/2020\n31/03/2020",
     "4 de 4 informes", "Informes publicados.", "08/05/2020"),
    ("4.1", "Normativo y procedimental", "Publicar el informe de PQRSD",
     "Secretaría General", "31/03/2020", "100%", "Informe publicado el 12/05/2020.",
     "08/05/2020"),
    ("4.2", "Fortalecimiento de los canales de atención", "Divulgar los canales de atención",
     "Oficina de Prensa y Comunicaciones", "30/06/2020", "50%", "Piezas en diseño.",
     "08/05/2020"),
)  # fmt: skip
LINKED_ROW = 8  # Excel row of 1.1, whose Evidencia cell links to DRIVE
AREAS = {
    "Secretaria de Planeacion": "planeacion@entidad.gov.co",  # written without accents
    "OFICINA DE SISTEMAS": "sistemas@entidad.gov.co",
    "Secretaría General": "general@entidad.gov.co",
}
REFUSED = "sistemas@entidad.gov.co"


def build_followup(path: Path) -> Path:
    """The follow-up workbook: title block, cut, table, one hyperlink per linked cell."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Seguimiento PAAC"
    ws.append(["SEGUIMIENTO PLAN ANTICORRUPCIÓN Y DE ATENCIÓN AL CIUDADANO"])
    ws.append(["Entidad: Alcaldía de Prueba"])
    ws.append(["Vigencia: 2020"])
    ws.append(["FECHA CORTE: 30/04/2020"])
    ws.append([])
    ws.append([])
    ws.append(list(HEADER))
    for code, sub, activity, owner, dates, progress, followup, when in ACTIVITIES:
        ws.append([code, sub, activity, owner, dates, progress, followup, when, None])
    cell = ws.cell(row=LINKED_ROW, column=len(HEADER), value="Ver soporte")
    cell.hyperlink = DRIVE
    # A second link on the follow-up cell of 2.2 (SharePoint), and an internal one (ignored).
    ws.cell(row=LINKED_ROW + 3, column=7).hyperlink = SHAREPOINT
    ws.cell(row=LINKED_ROW + 4, column=len(HEADER), value="Ver hoja").hyperlink = "#'Hoja2'!A1"
    wb.save(path)
    return path


def build_folder(root: Path, *, port: int = 25, with_evidence: bool = True) -> Path:
    """A working folder: entrada/ with the follow-up (and evidencias/), salida/, the toml."""
    inbox = root / "entrada"
    inbox.mkdir(parents=True)
    (root / "salida").mkdir()
    build_followup(inbox / "seguimiento_alcaldia_2020.xlsx")
    if with_evidence:
        general = inbox / "evidencias" / "Secretaria General"
        general.mkdir(parents=True)
        (general / "actas_rendicion.pdf").write_bytes(b"%PDF-1.4 acta")
        code = inbox / "evidencias" / "Actividad 2.2"
        code.mkdir(parents=True)
        (code / "pruebas_boton.xlsx").write_bytes(b"not read: support, not a follow-up")
    areas = "\n".join(f'"{name}" = "{address}"' for name, address in AREAS.items())
    (root / "pac-excel.toml").write_text(
        'entidad = "Alcaldía de Prueba"\n\n'
        "[correo]\n"
        'para = ["director@entidad.gov.co"]\n'
        'remitente = "control.interno@entidad.gov.co"\n'
        'servidor = "127.0.0.1"\n'
        f"puerto = {port}\n"
        'seguridad = "ninguna"\n\n'
        f"[areas]\n{areas}\n",
        encoding="utf-8",
    )
    return root
