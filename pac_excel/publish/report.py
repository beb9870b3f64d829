"""report: the follow-up report as an editable Word document the OCI finishes and signs.

python-docx writes a plain .docx with Word's built-in styles (Title, Heading 1, Table Grid),
so an OCI that only edits a paragraph or two can publish it as it is. Sections follow the
structure of an OCI report: objetivo, alcance, metodología, resultados por componente,
alertas, conclusiones, recomendaciones and firmas.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Cm, Pt
from docx.table import Table

from pac_excel.check.semaforo import Thresholds
from pac_excel.deadline import business_days_words, publication_deadline
from pac_excel.publish.advice import number
from pac_excel.publish.consolidated import ConsolidatedReport, forms_note
from pac_excel.publish.content import EntityReport, Signer, compliance_cells, pct

SHADES = {"Rojo": "F4B6B6", "Amarillo": "FFE699", "Verde": "B7DEB0"}
RESULT_HEADERS = ("Componente", "Actividades", "Cumplidas", "Vencidas", "Avance",
                  "Cumplimiento", "Semáforo")  # fmt: skip


# python-docx finds a style by name with an XPath search over styles.xml each time: measured
# as a second with 100 entities, so each document looks its styles up once.
_STYLES: dict[tuple[int, str], Any] = {}


def _style(doc: DocxDocument, name: str) -> Any:
    key = (id(doc), name)
    if key not in _STYLES:
        _STYLES[key] = doc.styles[name]
    return _STYLES[key]


def _styled(doc: DocxDocument, text: str, name: str) -> None:
    """``doc.add_paragraph(text, style=name)`` without python-docx comparing the style with
    the default one, another search of styles.xml per paragraph (1.4 s with 100 entities)."""
    paragraph = doc.add_paragraph(text)
    paragraph._p.style = _style(doc, name).style_id


def _heading(doc: DocxDocument, text: str, level: int) -> None:
    _styled(doc, text, f"Heading {level}")


def _run(text: str, bold: bool) -> str:
    weight = "<w:b/>" if bold else ""
    return (
        f'<w:p><w:r><w:rPr>{weight}<w:sz w:val="18"/></w:rPr>'
        f'<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'
    )


def _table(
    doc: DocxDocument,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    shades: Sequence[str | None] = (),
    bold_last: bool = False,
) -> Table:
    """A grid table at 9 pt with a shaded heading row Word repeats on every page; ``widths``
    in cm per column, ``shades`` the fill of each data row's last cell.

    Written as one piece of WordprocessingML and parsed once: python-docx's cell by cell
    API (``add_row``, ``cell.text``, run sizes) measured 3–4 s for 200 small tables.
    """
    twips = [int(Cm(w).twips) for w in widths]
    grid = "".join(f'<w:gridCol w:w="{t}"/>' for t in twips)

    def row(texts: Sequence[str], head: bool, bold: bool, shade: str | None) -> str:
        cells = []
        for i, text in enumerate(texts):
            fill = "D9E1F2" if head else (shade if shade and i == len(texts) - 1 else None)
            shd = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
            cells.append(
                f'<w:tc><w:tcPr><w:tcW w:w="{twips[i]}" w:type="dxa"/>{shd}</w:tcPr>'
                f"{_run(text, head or (bold and i == 0))}</w:tc>"
            )
        props = '<w:trPr><w:tblHeader w:val="true"/></w:trPr>' if head else ""
        return f"<w:tr>{props}{''.join(cells)}</w:tr>"

    body = [row(headers, True, False, None)]
    for i, values in enumerate(rows):
        shade = shades[i] if i < len(shades) else None
        body.append(row(values, False, bold_last and i == len(rows) - 1, shade))
    style = _style(doc, "Table Grid").style_id
    xml = (
        f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblStyle w:val="{style}"/>'
        '<w:tblW w:w="0" w:type="auto"/><w:tblLayout w:type="fixed"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>{''.join(body)}</w:tbl>"
    )
    element = parse_xml(xml)
    doc.element.body.sectPr.addprevious(element)
    return Table(element, doc._body)


def _results(doc: DocxDocument, r: EntityReport) -> None:
    rows = [
        [b.label, number(b.activities), number(b.done), number(b.overdue), pct(b.average),
         *compliance_cells(b.compliance, b.light, b.why)]
        for b in r.components
    ]  # fmt: skip
    rows.append(
        ["Total del plan", number(r.activities), number(r.by_status.get("Cumplida", 0)),
         number(r.by_status.get("Vencida", 0)), pct(r.progress),
         *compliance_cells(r.compliance, r.light, "")]
    )  # fmt: skip
    shades = [SHADES.get(row[-1]) for row in rows]
    # Each heading fits its column at 9 pt bold (17.19 cm of text width on letter).
    widths = (4.25, 2.3, 2.1, 1.9, 1.7, 2.5, 2.4)
    _table(doc, RESULT_HEADERS, rows, widths, shades, bold_last=True)


def _alerts(doc: DocxDocument, r: EntityReport) -> None:
    if not r.alert_counts:
        doc.add_paragraph("No se generaron alertas a la fecha de corte.")
        return
    doc.add_paragraph("Actividades por tipo de alerta:")
    _table(doc, ("Alerta", "Actividades"), [[k, str(v)] for k, v in r.alert_counts.items()], (8, 3))
    if r.areas:
        doc.add_paragraph()
        doc.add_paragraph("Áreas responsables con actividades vencidas o sin avance:")
        _table(
            doc,
            ("Área responsable", "Vencidas", "Sin avance"),
            [[a.owner, str(a.overdue), str(a.without_progress)] for a in r.areas],
            (10, 2.5, 2.5),
        )


def _intro(
    doc: DocxDocument,
    first: EntityReport,
    names: str,
    thresholds: Thresholds,
    method: Sequence[str] = (),
) -> None:
    """Objetivo, alcance and metodología; ``names``: the entities as the objective names them."""
    _heading(doc, "1. Objetivo", 1)
    doc.add_paragraph(
        f"Verificar el avance y el cumplimiento de las actividades del {first.program.name} "
        f"({first.program.short}) de {names} con corte al {first.cutoff:%d/%m/%Y}, en "
        "cumplimiento del rol de evaluación y seguimiento de la Oficina de Control Interno."
    )
    _heading(doc, "2. Alcance", 1)
    doc.add_paragraph(
        f"Seguimiento {first.number} de la vigencia {first.vigencia}: todas las actividades "
        f"programadas en el {first.program.short}, con la información reportada por las áreas "
        f"responsables al {first.cutoff:%d/%m/%Y}. El informe se publica en la sección de "
        "transparencia de la página web de la entidad a más tardar el "
        f"{publication_deadline(first.cutoff, first.publication_days):%d/%m/%Y} "
        f"({business_days_words(first.publication_days)} días hábiles después del corte)."
    )
    _heading(doc, "3. Metodología", 1)
    red, yellow = round(thresholds.red_below * 100), round(thresholds.yellow_below * 100)
    for text in (
        (
            "Se consolidaron los seguimientos reportados por las áreas y se verificó cada "
            "actividad frente a su cronograma."
        ),
        (
            "Avance esperado: la proporción de entregas programadas hasta la fecha de corte. "
            "Cumplimiento: el avance reportado dividido por el esperado, con máximo 100 %."
        ),
        (
            f"Semáforo sobre el cumplimiento: rojo por debajo de {red} %, amarillo de {red} % "
            f"a menos de {yellow} % y verde desde {yellow} %."
        ),
        (
            "Una actividad está vencida cuando su avance reportado es menor que el esperado "
            "con alguna entrega ya vencida; las actividades que no aplican no cuentan como 0 %."
        ),
        *method,
    ):
        _styled(doc, text, "List Bullet")


def _signatures(doc: DocxDocument, signers: Sequence[Signer]) -> None:
    _heading(doc, "Firmas", 1)
    table = doc.add_table(rows=1, cols=len(signers))
    for cell, s in zip(table.rows[0].cells, signers, strict=True):
        cell.text = ""
        par = cell.paragraphs[0]
        par.add_run(f"{s.role}:").bold = True
        cell.add_paragraph("\n\n______________________________")
        cell.add_paragraph(s.name or "Nombre:")
        cell.add_paragraph(s.position or "Cargo:")


def _document(first: EntityReport, names: str, created: dt.datetime | None) -> DocxDocument:
    """A letter-size document with its properties, header, footer and title."""
    doc = Document()
    _STYLES.clear()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.59), Cm(27.94)
    section.orientation = WD_ORIENT.PORTRAIT
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.2))
    normal = doc.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)
    core = doc.core_properties
    core.title = f"Informe de seguimiento al {first.program.short} – corte {first.cutoff:%d/%m/%Y}"
    core.author = "Oficina de Control Interno"
    core.subject = f"Seguimiento {first.number} al {first.program.name}"
    if created is not None:
        core.created = created.replace(tzinfo=None)
    section.header.paragraphs[0].text = f"{names} · Oficina de Control Interno"
    section.footer.paragraphs[
        0
    ].text = f"Seguimiento {first.number} al {first.program.short} · corte {first.cutoff:%d/%m/%Y}"
    title = doc.add_paragraph(style="Title")
    title.add_run(f"Informe de seguimiento al {first.program.name}")
    sub = doc.add_paragraph(f"{names} · Seguimiento {first.number} · corte {first.cutoff:%d/%m/%Y}")
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return doc


def write_report(
    reports: Sequence[EntityReport],
    path: Path,
    signers: Sequence[Signer] | None,
    thresholds: Thresholds,
    *,
    created: dt.datetime | None = None,
) -> Path:
    """Write the editable report to ``path`` (the caller makes the write atomic)."""
    first = reports[0]
    names = ", ".join(r.entity for r in reports)
    doc = _document(first, names, created)
    _intro(doc, first, names, thresholds)
    _heading(doc, "4. Resultados por componente", 1)
    for r in reports:
        if len(reports) > 1:
            _heading(doc, r.entity, 2)
        doc.add_paragraph(r.conclusions[0])
        _results(doc, r)
    _heading(doc, "5. Alertas", 1)
    for r in reports:
        if len(reports) > 1:
            _heading(doc, r.entity, 2)
        _alerts(doc, r)
    _heading(doc, "6. Conclusiones", 1)
    for r in reports:
        if len(reports) > 1:
            _heading(doc, r.entity, 2)
        for text in r.conclusions:
            _styled(doc, text, "List Bullet")
    _heading(doc, "7. Recomendaciones", 1)
    for r in reports:
        if len(reports) > 1:
            _heading(doc, r.entity, 2)
        for n, text in enumerate(r.recommendations, 1):
            doc.add_paragraph(f"{n}. {text}")
    _signatures(doc, signers or first.signers)
    doc.save(str(path))
    return path


ENTITY_HEADERS = ("Entidad", *RESULT_HEADERS[1:])
CONSOLIDATED_METHOD = (
    "Las cifras consolidadas se calculan sobre todas las actividades de {label} con las mismas "
    "reglas que las de cada entidad: el avance y el cumplimiento de un componente son el "
    "promedio de sus actividades, y los del plan, el promedio de los componentes."
)


def _entity_results(doc: DocxDocument, c: ConsolidatedReport) -> None:
    """One line per entity with its own totals, in the run's order."""
    rows = [
        [r.entity, number(r.activities), number(r.by_status.get("Cumplida", 0)),
         number(r.by_status.get("Vencida", 0)), pct(r.progress),
         *compliance_cells(r.compliance, r.light, "")]
        for r in c.entities
    ]  # fmt: skip
    widths = (4.25, 2.3, 2.1, 1.9, 1.7, 2.5, 2.4)
    _table(doc, ENTITY_HEADERS, rows, widths, [SHADES.get(row[-1]) for row in rows])


def _consolidated_alerts(doc: DocxDocument, c: ConsolidatedReport) -> None:
    counts = c.total.alert_counts
    if not counts:
        doc.add_paragraph("No se generaron alertas a la fecha de corte.")
        return
    doc.add_paragraph(f"Actividades por tipo de alerta en {c.label}:")
    _table(doc, ("Alerta", "Actividades"), [[k, number(v)] for k, v in counts.items()], (8, 3))
    if c.areas:
        doc.add_paragraph()
        doc.add_paragraph("Áreas responsables con más actividades vencidas, con su entidad:")
        _table(
            doc,
            ("Área responsable", "Entidad", "Vencidas"),
            [[o, e, str(n)] for o, e, n in c.areas],
            (7, 7.5, 2.5),
        )


def write_consolidated_report(
    c: ConsolidatedReport,
    path: Path,
    signers: Sequence[Signer] | None,
    thresholds: Thresholds,
    *,
    created: dt.datetime | None = None,
) -> Path:
    """Write the consolidated editable report to ``path`` (the caller makes it atomic):
    figures for the N entities and one line per entity, no entity's form."""
    t = c.total
    doc = _document(t, f"Consolidado de {c.label}", created)
    _intro(doc, t, c.label, thresholds, [CONSOLIDATED_METHOD.format(label=c.label)])
    _heading(doc, "4. Resultados por componente", 1)
    _heading(doc, f"Consolidado de {c.label}", 2)
    doc.add_paragraph(t.conclusions[0])
    _results(doc, t)
    _heading(doc, "Por entidad (promedio de sus componentes)", 2)
    _entity_results(doc, c)
    _heading(doc, "5. Alertas", 1)
    _consolidated_alerts(doc, c)
    _heading(doc, "6. Conclusiones", 1)
    for text in t.conclusions:
        _styled(doc, text, "List Bullet")
    _heading(doc, "7. Recomendaciones", 1)
    for n, text in enumerate(t.recommendations, 1):
        doc.add_paragraph(f"{n}. {text}")
    _heading(doc, "8. Formatos de cada entidad", 1)
    doc.add_paragraph(forms_note(c.count))
    _signatures(doc, signers or t.signers)
    doc.save(str(path))
    return path
