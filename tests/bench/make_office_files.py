"""Generate synthetic PAAC follow-up workbooks, as offices send them, for benchmarking.

    python tests/bench/make_office_files.py FOLDER --files 50 --activities 40 --seed 0

Files alternate between two layouts, both cut at 30/04/2020 (vigencia 2020):

- ``putumayo``: like the Gobernación del Putumayo seed. Blank rows and a title, then
  ``FECHA CORTE:`` | | 30/04/2020, the header ``SUBCOMPONENTE | ACTIVIDADES | META O PRODUCTO |
  RESPONSABLES | FECHA PROGRAMADA | % AVANCE | SEGUIMIENTO`` (sometimes with the seed's typo
  "REPOSABLES"), no component column, and the subcomponent only on the first row of its group.
  A letterhead block ("REPUBLICA DE COLOMBIA", the entity, a motto, a blessing) comes every
  7-10 rows, as a printed-then-retyped file has at each page break; an activity cut by a
  page break goes on in a row whose activity cell is empty. Dates are date cells, text
  ("31/03/2020 30/06/2020", one date per row, "Permanente"); progress is 0-1 with a "0%"
  format or the text "N/A". A signature closes the sheet.
- ``dafp``: the official DAFP "Formato seguimiento" as in ``tests/sample_builders/make_dafp_sample.py``:
  title, ``Entidad:`` ... ``Fecha seguimiento:`` block, then per component a ``Componente:`` row,
  the header ``Subcomponente / Proceso | Actividades programadas | Meta o producto |
  Responsable | Fecha programada | Actividades cumplidas | % de avance | Observaciones``, the
  activities (subcomponent merged down) and a blank row.

Every file has exactly ``--activities`` activities. The same arguments give the same cell
contents and the same bytes (workbook creation time is pinned).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

YEAR = 2020
CUTOFF = dt.date(2020, 4, 30)
CREATED = dt.datetime(2020, 5, 12)
LAYOUTS = ("putumayo", "dafp")

# (component number, official label as offices type it, subcomponents)
COMPONENTS: tuple[tuple[int, tuple[str, ...], tuple[str, ...]], ...] = (
    (
        1,
        (
            "1. Gestión del Riesgo de Corrupción - Mapa de Riesgos de Corrupción",
            "1. Gestion del Riesgo de Corrupcion – Mapa de Riesgos de Corrupcion",
            "COMPONENTE 1: GESTIÓN DEL RIESGO DE CORRUPCIÓN - MAPA DE RIESGOS DE CORRUPCIÓN",
        ),
        (
            "Política de Administración de Riesgos",
            "Construcción del Mapa de Riesgos de Corrupción",
            "Consulta y divulgación",
            "Monitoreo y revisión",
            "Seguimiento",
        ),
    ),
    (
        2,
        (
            "2. Racionalización de Trámites",
            "2. Racionalizacion de Tramites",
            "COMPONENTE 2: RACIONALIZACIÓN DE TRÁMITES",
        ),
        (
            "Priorización y Racionalización",
            "Racionalización tecnológica",
            "Racionalización administrativa",
            "Racionalización normativa",
        ),
    ),
    (
        3,
        (
            "3. Rendición de Cuentas",
            "3. Rendicion de Cuentas",
            "COMPONENTE 3: RENDICIÓN DE CUENTAS",
        ),
        (
            "Información de calidad y en lenguaje comprensible",
            "Diálogo de doble vía con la ciudadanía y sus organizaciones",
            "Incentivos para motivar la cultura de la rendición y petición de cuentas",
            "Evaluación y retroalimentación a la gestión institucional",
        ),
    ),
    (
        4,
        (
            "4. Mecanismos para Mejorar la Atención al Ciudadano",
            "4. Mecanismos para Mejorar la Atencion al Ciudadano",
            "COMPONENTE 4: MECANISMOS PARA MEJORAR LA ATENCIÓN AL CIUDADANO",
        ),
        (
            "Estructura administrativa y direccionamiento estratégico",
            "Fortalecimiento de los canales de atención",
            "Talento humano",
            "Normativo y procedimental",
            "Relacionamiento con el ciudadano",
        ),
    ),
    (
        5,
        (
            "5. Mecanismos para la Transparencia y Acceso a la Información",
            "5. Mecanismos para la Transparencia y Acceso a la Informacion",
            "COMPONENTE 5: MECANISMOS PARA LA TRANSPARENCIA Y ACCESO A LA INFORMACIÓN",
        ),
        (
            "Lineamientos de Transparencia Activa",
            "Lineamientos de Transparencia Pasiva",
            "Elaboración de los Instrumentos de Gestión de la Información",
            "Criterio diferencial de accesibilidad",
            "Monitoreo del Acceso a la Información Pública",
        ),
    ),
)
COMPONENT_SHARE = (0.2, 0.1, 0.25, 0.25, 0.2)

TOWNS = (
    "Mocoa",
    "Sibundoy",
    "Colón",
    "San Francisco",
    "Santiago",
    "Orito",
    "Puerto Asís",
    "Puerto Caicedo",
    "Puerto Guzmán",
    "Leguízamo",
    "San Miguel",
    "Valle del Guamuez",
    "Villagarzón",
)
ENTITY_KINDS = (
    "Alcaldía Municipal de {town}",
    "Concejo Municipal de {town}",
    "Personería Municipal de {town}",
    "E.S.E. Hospital Local de {town}",
)
MOTTOS = (
    '"UNIDOS POR EL PROGRESO"',
    '"GOBIERNO DE TODOS Y PARA TODOS"',
    '"TRABAJANDO CON EL CORAZÓN"',
    '"EL CAMBIO ES CON LA GENTE"',
    '"ORDEN, TRANSPARENCIA Y DESARROLLO"',
)
BLESSINGS = ("¡Gracias Dios mío por tantas bendiciones!", "¡Dios y Patria!")

# Text pools. Sentences are glued together until a cell reaches a realistic length.
VERBS = (
    "Actualizar",
    "Socializar",
    "Publicar en la página web",
    "Elaborar y publicar",
    "Revisar y ajustar",
    "Implementar",
    "Consolidar trimestralmente",
    "Capacitar a los funcionarios en",
    "Realizar seguimiento a",
    "Divulgar por los canales institucionales",
)
OBJECTS: dict[int, tuple[str, ...]] = {
    1: (
        "la Política de Administración de Riesgos",
        "el Mapa de Riesgos de Corrupción de la vigencia",
        "los controles de los riesgos de corrupción de cada proceso",
        "el informe de monitoreo de los riesgos de corrupción",
    ),
    2: (
        "el trámite de Impuesto predial unificado en línea",
        "el trámite de licencia de construcción",
        "el certificado de residencia",
        "la inscripción de trámites en el SUIT",
    ),
    3: (
        "la estrategia de rendición de cuentas",
        "la audiencia pública de rendición de cuentas",
        "el informe de gestión en lenguaje claro",
        "los espacios de diálogo con juntas de acción comunal",
    ),
    4: (
        "el informe estadístico de PQRSD",
        "la encuesta de satisfacción de los usuarios",
        "los canales de atención presencial, telefónico y virtual",
        "el protocolo de atención al ciudadano",
    ),
    5: (
        "la sección de Transparencia de la página web según la Ley 1712 de 2014",
        "el Registro de Activos de Información",
        "el Índice de Información Clasificada y Reservada",
        "el informe de solicitudes de acceso a la información",
        "la publicación de la contratación en el SECOP II",
    ),
}
PURPOSES = (
    "conforme a lo establecido en la ley",
    "para conocimiento de la ciudadanía",
    "con la participación de los líderes de proceso",
    "de acuerdo con los lineamientos del DAFP",
    "en cumplimiento del Decreto 1081 de 2015",
)
GOALS = (
    "Un (1) documento actualizado y publicado.",
    "Informes trimestrales publicados.",
    "Funcionarios capacitados.",
    "Trámite racionalizado e inscrito en el SUIT.",
    "Canales de atención operando.",
    "Publicaciones realizadas a demanda.",
    "Acta de socialización y listado de asistencia.",
)
OWNERS = (
    "Secretaría de Planeación",
    "Secretaría de Gobierno",
    "Secretaría de Hacienda",
    "Secretaría General – Gestión Atención al Usuario",
    "Oficina de Control Interno de Gestión",
    "Oficina de Sistemas – Gestión de Tecnología e Información",
    "Líderes o Responsables de los Procesos",
    "Alta Dirección",
    "Oficina de Prensa y Comunicaciones",
)
EVIDENCE = (
    "Se verificó el acta de reunión y el listado de asistencia.",
    "La información se encuentra publicada en la página web de la entidad.",
    "Se evidencian publicaciones en Facebook y en la emisora comunitaria.",
    "Se remitió el informe a la Oficina de Control Interno mediante memorando.",
    "La dependencia aportó los soportes por correo institucional.",
    "Se realizaron mesas de trabajo con los líderes de proceso.",
)
MISSING = (
    "No se evidencia el informe correspondiente al primer trimestre de 2020.",
    "No se aportaron soportes de la actividad.",
    "La dependencia informa que por la emergencia sanitaria la actividad se reprogramó.",
    "Se recomienda remitir las evidencias antes del próximo seguimiento.",
)
NOT_YET = (
    "Actividad programada para el segundo semestre de 2020.",
    "No aplica para el periodo evaluado.",
    "La actividad se encuentra en términos.",
)

QUARTERS = (dt.date(2020, 3, 31), dt.date(2020, 6, 30), dt.date(2020, 9, 30), dt.date(2020, 12, 31))
FOUR_MONTHS = (dt.date(2020, 4, 30), dt.date(2020, 8, 31), dt.date(2020, 12, 31))
SEMESTERS = (dt.date(2020, 6, 30), dt.date(2020, 12, 31))
PAST = (dt.date(2020, 1, 31), dt.date(2020, 2, 28), dt.date(2020, 3, 31), dt.date(2020, 4, 15))
FUTURE = (dt.date(2020, 6, 30), dt.date(2020, 8, 31), dt.date(2020, 9, 30), dt.date(2020, 12, 31))

Progress = float | str  # 0..1, or "N/A"


@dataclass(frozen=True)
class Activity:
    component: int
    subcomponent: str
    activity: str
    goal: str
    owner: str
    dates: tuple[dt.date, ...]  # empty when permanent
    progress: Progress
    done: str  # actividades cumplidas (DAFP layout only)
    remarks: str  # seguimiento / observaciones


# Content


def make_activities(rng: random.Random, count: int) -> list[Activity]:
    """``count`` activities in component order, each component's subcomponents grouped."""
    per_component = _split(count, COMPONENT_SHARE)
    activities: list[Activity] = []
    for (number, _labels, subcomponents), n in zip(COMPONENTS, per_component, strict=True):
        subs = sorted(rng.choices(range(len(subcomponents)), k=n))
        activities.extend(_activity(rng, number, subcomponents[s]) for s in subs)
    return activities


def _split(count: int, shares: Sequence[float]) -> list[int]:
    base = [int(count * s) for s in shares]
    for i in range(count - sum(base)):
        base[i % len(base)] += 1
    return base


def _activity(rng: random.Random, component: int, subcomponent: str) -> Activity:
    verb, obj = rng.choice(VERBS), rng.choice(OBJECTS[component])
    text = f"{verb} {obj} {rng.choice(PURPOSES)}."
    if rng.random() < 0.3:
        text += " " + rng.choice(PURPOSES).capitalize() + "."

    kind = rng.choices(("past", "future", "multi", "permanent"), weights=(3, 4, 2, 1))[0]
    dates: tuple[dt.date, ...]
    if kind == "past":
        dates = (rng.choice(PAST),)
        progress: Progress = rng.choices((1.0, 0.0, 0.5), weights=(6, 3, 1))[0]
    elif kind == "future":
        dates = (rng.choice(FUTURE),)
        progress = rng.choice((0.0, 0.0, "N/A", "N/A", 0.25, 0.5, 1.0))
    elif kind == "multi":
        dates = rng.choice((QUARTERS, FOUR_MONTHS, SEMESTERS))
        due = sum(d <= CUTOFF for d in dates)
        delivered = rng.choice((due, due, max(due - 1, 0)))
        progress = round(delivered / len(dates), 2)
    else:
        dates = ()
        progress = rng.choice((0.33, 0.33, 0.3, 0.0))

    if progress == "N/A" or (progress == 0.0 and dates and min(dates) > CUTOFF):
        done, remarks = "", _sentences(rng, NOT_YET, 1, 2)
    elif progress == 0.0:
        done, remarks = "", _sentences(rng, MISSING, 1, 3)
    else:
        done = _sentences(rng, EVIDENCE, 1, 3)
        remarks = _sentences(rng, EVIDENCE + MISSING, 1, 4)
    return Activity(
        component=component,
        subcomponent=subcomponent,
        activity=text,
        goal=rng.choice(GOALS),
        owner=" – ".join(rng.sample(OWNERS, rng.choice((1, 1, 2)))),
        dates=dates,
        progress=progress,
        done=done,
        remarks=remarks,
    )


def _sentences(rng: random.Random, pool: Sequence[str], low: int, high: int) -> str:
    return " ".join(rng.sample(list(pool), min(rng.randint(low, high), len(pool))))


def _fmt(d: dt.date) -> str:
    return d.strftime("%d/%m/%Y")


def entity_name(rng: random.Random) -> str:
    return rng.choice(ENTITY_KINDS).format(town=rng.choice(TOWNS))


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")


# Workbooks


@dataclass(frozen=True)
class Formats:
    bold: Format
    title: Format
    header: Format
    wrap: Format
    date: Format
    date_bold: Format
    percent: Format
    center: Format
    letterhead: Format


def _formats(wb: xlsxwriter.Workbook) -> Formats:
    border = {"border": 1, "valign": "top", "text_wrap": True}
    return Formats(
        bold=wb.add_format({"bold": True}),
        title=wb.add_format({"bold": True, "align": "center", "valign": "vcenter", "size": 12}),
        header=wb.add_format(
            {**border, "bold": True, "align": "center", "valign": "vcenter", "bg_color": "#D9E1F2"}
        ),
        wrap=wb.add_format(border),
        date=wb.add_format({**border, "num_format": "dd/mm/yyyy", "align": "center"}),
        date_bold=wb.add_format({"num_format": "dd/mm/yyyy", "bold": True, "align": "left"}),
        percent=wb.add_format({**border, "num_format": "0%", "align": "center"}),
        center=wb.add_format({**border, "align": "center"}),
        letterhead=wb.add_format({"bold": True, "align": "center"}),
    )


def _write_progress(ws: Worksheet, row: int, col: int, progress: Progress, f: Formats) -> None:
    if isinstance(progress, str):
        ws.write_string(row, col, progress, f.center)
    else:
        ws.write_number(row, col, progress, f.percent)


def write_putumayo(
    path: Path, entity: str, activities: Sequence[Activity], rng: random.Random
) -> None:
    """The Putumayo seed's layout: no component column, letterheads at page breaks."""
    wb = xlsxwriter.Workbook(str(path))
    wb.set_properties({"created": CREATED, "author": "Oficina de Control Interno"})
    f = _formats(wb)
    ws = wb.add_worksheet(rng.choice(("Hoja1", "SEGUIMIENTO", f"PAAC {YEAR}")))
    for col, width in enumerate((28, 45, 30, 28, 16, 10, 55)):
        ws.set_column(col, col, width)

    ws.merge_range(
        4, 0, 4, 6, f"SEGUIMIENTO A LAS ACTIVIDADES DEL PLAN ANTICORRUPCIÓN {YEAR}", f.title
    )
    ws.write_string(6, 0, "FECHA CORTE:", f.bold)
    if rng.random() < 0.5:
        ws.write_datetime(6, 2, CUTOFF, f.date_bold)
    else:
        ws.write_string(6, 2, _fmt(CUTOFF), f.bold)
    owners = rng.choice(("RESPONSABLES", "RESPONSABLES", "REPOSABLES"))
    headers = (
        "SUBCOMPONENTE",
        "ACTIVIDADES",
        "META O PRODUCTO",
        owners,
        "FECHA PROGRAMADA",
        "% AVANCE",
        "SEGUIMIENTO",
    )
    for col, header in enumerate(headers):
        ws.write_string(7, col, header, f.header)

    motto = rng.choice(MOTTOS)
    row = 8
    rows_on_page = 0
    page_size = rng.randint(7, 10)
    previous_sub = ""

    def letterhead() -> None:
        nonlocal row, rows_on_page, page_size
        row += 3
        for line in ("REPUBLICA DE COLOMBIA", entity.upper(), motto, rng.choice(BLESSINGS)):
            ws.merge_range(row, 0, row, 6, line, f.letterhead)
            row += 1
        row += 3
        rows_on_page = 0
        page_size = rng.randint(7, 10)

    for a in activities:
        if rows_on_page >= page_size:
            letterhead()
        sub = a.subcomponent if a.subcomponent != previous_sub else ""
        previous_sub = a.subcomponent
        split = rng.random() < 0.15 and len(a.remarks) > 60
        one_per_row = len(a.dates) > 1 and rng.random() < 0.25

        remarks_head, remarks_tail = (a.remarks, "")
        if split:
            cut = a.remarks.rfind(" ", 0, len(a.remarks) // 2)
            remarks_head, remarks_tail = a.remarks[:cut], a.remarks[cut + 1 :]
        if sub:
            ws.write_string(row, 0, sub, f.wrap)
        ws.write_string(row, 1, a.activity, f.wrap)
        ws.write_string(row, 2, a.goal, f.wrap)
        ws.write_string(row, 3, a.owner, f.wrap)
        if not a.dates:
            ws.write_string(row, 4, "Permanente", f.center)
        elif len(a.dates) == 1 and rng.random() < 0.6:
            ws.write_datetime(row, 4, a.dates[0], f.date)
        elif one_per_row:
            ws.write_string(row, 4, _fmt(a.dates[0]), f.center)
        else:
            ws.write_string(row, 4, " ".join(_fmt(d) for d in a.dates), f.center)
        _write_progress(ws, row, 5, a.progress, f)
        ws.write_string(row, 6, remarks_head, f.wrap)
        row += 1
        rows_on_page += 1

        if split:
            # A page break cut the activity: its tail goes on after the letterhead, with the
            # activity cell empty.
            letterhead()
            ws.write_string(row, 6, remarks_tail, f.wrap)
            row += 1
            rows_on_page += 1
        if one_per_row:
            for d in a.dates[1:]:
                ws.write_string(row, 4, _fmt(d), f.center)
                row += 1
                rows_on_page += 1

    row += 2
    ws.write_string(row, 0, "JEFE OFICINA CONTROL INTERNO DE GESTIÓN", f.bold)
    ws.write_string(row + 2, 0, "Preparó: Profesional Universitario OCI")
    wb.close()


def write_dafp(path: Path, entity: str, activities: Sequence[Activity], rng: random.Random) -> None:
    """The official DAFP follow-up form: header block, then one block per component."""
    wb = xlsxwriter.Workbook(str(path))
    wb.set_properties({"created": CREATED, "author": "Oficina de Control Interno"})
    f = _formats(wb)
    ws = wb.add_worksheet("Seguimiento PAAC")
    for col, width in enumerate((26, 46, 30, 26, 14, 48, 11, 46)):
        ws.set_column(col, col, width)

    ws.merge_range(
        0,
        0,
        0,
        7,
        "FORMATO SEGUIMIENTO AL PLAN ANTICORRUPCIÓN Y DE ATENCIÓN AL CIUDADANO",
        f.title,
    )
    ws.write_string(2, 0, "Entidad:", f.bold)
    ws.write_string(2, 1, entity)
    ws.write_string(3, 0, "Vigencia:", f.bold)
    ws.write_number(3, 1, YEAR)
    ws.write_string(4, 0, "Fecha publicación:", f.bold)
    ws.write_datetime(4, 1, dt.date(2020, 5, 12), f.date_bold)
    ws.write_string(5, 0, "Seguimiento 1 OCI", f.bold)
    ws.write_string(6, 0, "Fecha seguimiento:", f.bold)
    ws.write_datetime(6, 1, CUTOFF, f.date_bold)
    headers = (
        "Subcomponente / Proceso",
        "Actividades programadas",
        "Meta o producto",
        "Responsable",
        "Fecha programada",
        "Actividades cumplidas",
        "% de avance",
        "Observaciones",
    )

    row = 8
    for number, labels, _subs in COMPONENTS:
        block = [a for a in activities if a.component == number]
        if not block:
            continue
        ws.write_string(row, 0, "Componente:", f.bold)
        ws.merge_range(row, 1, row, 7, rng.choice(labels), f.bold)
        row += 1
        for col, header in enumerate(headers):
            ws.write_string(row, col, header, f.header)
        row += 1
        first = row
        for a in block:
            ws.write_string(row, 1, a.activity, f.wrap)
            ws.write_string(row, 2, a.goal, f.wrap)
            ws.write_string(row, 3, a.owner, f.wrap)
            if not a.dates:
                ws.write_string(row, 4, "Permanente", f.center)
            elif len(a.dates) == 1 and rng.random() < 0.8:
                ws.write_datetime(row, 4, a.dates[0], f.date)
            else:
                ws.write_string(row, 4, "\n".join(_fmt(d) for d in a.dates), f.center)
            if a.done:
                ws.write_string(row, 5, a.done, f.wrap)
            else:
                ws.write_blank(row, 5, None, f.wrap)
            _write_progress(ws, row, 6, a.progress, f)
            ws.write_string(row, 7, a.remarks, f.wrap)
            row += 1
        _write_subcomponents(ws, first, block, f)
        row += 1

    ws.write_string(row + 1, 1, "Original firmado")
    ws.write_string(row + 2, 1, "Jefe Oficina de Control Interno", f.bold)
    wb.close()


def _write_subcomponents(ws: Worksheet, first: int, block: Sequence[Activity], f: Formats) -> None:
    """Subcomponent cells, merged down over each run of equal values."""
    start = 0
    for i in range(1, len(block) + 1):
        if i == len(block) or block[i].subcomponent != block[start].subcomponent:
            if i - start > 1:
                ws.merge_range(
                    first + start, 0, first + i - 1, 0, block[start].subcomponent, f.wrap
                )
            else:
                ws.write_string(first + start, 0, block[start].subcomponent, f.wrap)
            start = i


def generate(folder: Path, files: int, activities: int, seed: int = 0) -> list[Path]:
    """Write ``files`` workbooks of ``activities`` activities each into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for i in range(files):
        # A string seed is hashed with SHA-512: stable across runs and Python versions.
        rng = random.Random(f"pac-excel-bench:{seed}:{i}")
        layout = LAYOUTS[i % len(LAYOUTS)]
        entity = entity_name(rng)
        path = folder / f"{i:03d}_seguimiento_paac_{_slug(entity)}_{layout}.xlsx"
        acts = make_activities(rng, activities)
        if layout == "putumayo":
            write_putumayo(path, entity, acts, rng)
        else:
            write_dafp(path, entity, acts, rng)
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Generate synthetic PAAC follow-up workbooks.")
    parser.add_argument("folder", type=Path, help="where to write the .xlsx files")
    parser.add_argument("--files", type=int, default=50, help="number of files (default 50)")
    parser.add_argument(
        "--activities", type=int, default=40, help="activities per file (default 40)"
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    args = parser.parse_args(argv)
    if args.files < 0 or args.activities < 1:
        parser.error("--files must be >= 0 and --activities >= 1")
    paths = generate(args.folder, args.files, args.activities, args.seed)
    print(f"{len(paths)} files x {args.activities} activities in {args.folder}")


if __name__ == "__main__":
    main()
