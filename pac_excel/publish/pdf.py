"""pdf: the follow-up as the OCI publishes it on the transparency page (Ley 1712 de 2014).

Written with ReportLab's Platypus, a library made for generated reports: its tables repeat
their heading rows on every page they continue to, ``KeepTogether`` keeps a component on one
page when it fits, and TrueType fonts are embedded (ReportLab ships Bitstream Vera), so the PDF
has searchable text and looks the same on any Windows machine with no office suite installed.

Page 1 is the summary for the Comité Institucional de Coordinación de Control Interno; then
each entity's Seguimiento OCI form with its plan total, conclusions and signatures. Every page
carries the entity, the cut and "Página X de Y". Past ``FORMS_MAX`` entities the publication
is the consolidated report instead (``pdf_consolidated``, built from this module's pieces).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import landscape, letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from pac_excel.publish.advice import number
from pac_excel.publish.content import (
    ComponentBlock,
    EntityReport,
    Signer,
    compliance_cells,
    pct,
)
from pac_excel.publish.ttf import FastTTFont
from pac_excel.publish.wrap import Wrapper

FONT, BOLD = "PacSans", "PacSans-Bold"
SEMAFORO = {"Rojo": "#F4B6B6", "Amarillo": "#FFE699", "Verde": "#B7DEB0"}
HEAD_BG = colors.HexColor("#1F3864")
BAND_BG = colors.HexColor("#D9E1F2")
PAGE = landscape(letter)
MARGIN = 1.5 * cm
FORM_HEADERS = (
    "Subcomponente",
    "Actividades programadas",
    "Actividades cumplidas",
    "% de avance",
    "Observaciones",
    "Estado al corte",
)
# Column widths in cm on landscape letter (24.9 cm usable).
FORM_WIDTHS = (3.4, 5.5, 5.8, 1.9, 5.5, 2.8)
CELL_POINTS, CELL_LEADING, PADDING = 8.5, 10.5, 4.0


def _fonts() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(FastTTFont(FONT, "Vera.ttf"))
        pdfmetrics.registerFont(FastTTFont(BOLD, "VeraBd.ttf"))
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD)


@functools.cache
def styles() -> dict[str, ParagraphStyle]:
    """The paragraph styles, built once per process (they are never changed after)."""
    base = ParagraphStyle("base", fontName=FONT, fontSize=9, leading=11.5)
    return {
        "base": base,
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=10.5),
        "head": ParagraphStyle(
            "head", parent=base, fontName=BOLD, fontSize=8.5, textColor=colors.white
        ),
        "title": ParagraphStyle(
            "title", parent=base, fontName=BOLD, fontSize=14, leading=18, alignment=TA_CENTER
        ),
        "h2": ParagraphStyle("h2", parent=base, fontName=BOLD, fontSize=11, leading=14),
        "band": ParagraphStyle("band", parent=base, fontName=BOLD, fontSize=9.5),
        "center": ParagraphStyle("center", parent=base, fontSize=8.5, alignment=TA_CENTER),
    }


class _Mark(Flowable):
    """A zero-size flowable that tells the page callbacks which entity the page is about."""

    def __init__(self, entity: str) -> None:
        super().__init__()
        self.entity = entity
        self.width = self.height = 0

    def wrap(self, *_args: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv._pac_entity = self.entity  # type: ignore[attr-defined]


class _NumberedCanvas(Canvas):
    """Draws "Página X de Y" once the page count is known (two passes over saved pages)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["initialFontName"] = kwargs.get("initialFontName") or FONT  # embedded fonts only
        super().__init__(*args, **kwargs)
        self._saved: list[dict[str, Any]] = []

    def showPage(self) -> None:  # ReportLab's name
        self._saved.append(dict(self.__dict__))
        self._startPage()  # type: ignore[attr-defined]

    def save(self) -> None:
        total = len(self._saved)
        for state in self._saved:
            self.__dict__.update(state)
            self.setFont(FONT, 8)
            self.setFillColor(colors.HexColor("#555555"))
            self.drawRightString(
                PAGE[0] - MARGIN,
                0.8 * cm,
                f"Página {self._pageNumber} de {total}",  # type: ignore[attr-defined]
            )
            super().showPage()
        super().save()


def _page(canvas: Canvas, doc: BaseDocTemplate) -> None:
    info: dict[str, str] = doc._pac_info  # type: ignore[attr-defined]
    entity = getattr(canvas, "_pac_entity", info["entities"])
    canvas.saveState()
    canvas.setFont(BOLD, 8.5)
    canvas.drawString(MARGIN, PAGE[1] - 1.0 * cm, entity)
    canvas.setFont(FONT, 8.5)
    canvas.drawRightString(PAGE[0] - MARGIN, PAGE[1] - 1.0 * cm, info["header"])
    canvas.setStrokeColor(HEAD_BG)
    canvas.line(MARGIN, PAGE[1] - 1.15 * cm, PAGE[0] - MARGIN, PAGE[1] - 1.15 * cm)
    canvas.setFont(FONT, 8)
    canvas.setFillColor(colors.HexColor("#555555"))
    canvas.drawString(MARGIN, 0.8 * cm, info["footer"])
    canvas.restoreState()


# A table row cannot continue on the next page: a cell longer than this is cut in the PDF
# (the workbook keeps the whole text) so the row always fits on one page.
MAX_CELL_CHARS = 1500
CUT_NOTE = " … (texto recortado; completo en el libro de Excel)"
MAX_CELL_LINES = 36  # 36 lines of 10.5 pt: a row always fits a page under the table's header


def para(text: str, style: ParagraphStyle) -> Paragraph:
    if len(text) > MAX_CELL_CHARS:
        text = text[:MAX_CELL_CHARS] + CUT_NOTE
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return Paragraph(escaped.replace("\n", "<br/>"), style)


def fitted(wrap: Wrapper, text: str, width: float) -> str:
    """``text`` broken into lines of ``width`` points, cut (with a note) where it would not
    fit a page: a table row cannot continue on the next page."""
    lines = wrap.lines(text[: MAX_CELL_CHARS + 1], width)
    if len(text) > MAX_CELL_CHARS or len(lines) > MAX_CELL_LINES:
        note = wrap.lines(CUT_NOTE.strip(), width)
        lines = lines[: MAX_CELL_LINES - len(note)] + note
    return "\n".join(lines)


@functools.cache
def wrapper(font: str, size: float) -> Wrapper:
    """One ``Wrapper`` per font and size for the process: each word is measured once for
    every entity and every run, not once per entity or per component."""
    return Wrapper(font, size)


def _light_cell(light: str | None) -> colors.Color | None:
    return colors.HexColor(SEMAFORO[light]) if light in SEMAFORO else None


COMITE_HEAD = ("Entidad / componente", "Actividades", "Cumplidas", "Vencidas", "Avance",
               "Cumplimiento", "Semáforo")  # fmt: skip
COMITE_WIDTHS = (8.1, 2.8, 2.8, 2.8, 2.8, 2.8, 2.8)  # cm
# ReportLab's default cell padding: the width a plain text cell is broken to is narrower.
CELL_PAD = 6.0
# Paragraph lets a line's spaces shrink a little (5 % each) before it breaks: a point more
# keeps the Comité labels broken where they were when they were Paragraphs.
SPACE_SHRINK = 1.0
BAND_POINTS, BAND_LEADING = 9.5, 11.5  # the heading and band rows'; others CELL_LEADING


def comite_heading(first: EntityReport, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    """The Comité page's title and the line naming the follow-up and the cut."""
    return [
        para(
            "Resumen para el Comité Institucional de Coordinación de Control Interno", st["title"]
        ),
        para(
            f"Seguimiento {first.number} al {first.program.name} ({first.program.short}) · "
            f"corte {first.cutoff:%d/%m/%Y}",
            st["center"],
        ),
        Spacer(0, 0.4 * cm),
    ]


class FigureTable:
    """A Comité table (name, activities, cumplidas, vencidas, avance, cumplimiento,
    semáforo) built from plain text cells broken here once: a Paragraph cell is re-broken at
    every measure, split and draw (Paragraph work measured about a fifth of ``write_pdf``
    with 9 entities, and these cells were a quarter of its Paragraphs)."""

    def __init__(self, head: Sequence[str], widths: Sequence[float]) -> None:
        self.widths = [w * cm for w in widths]
        self.inner = [w - 2 * CELL_PAD + SPACE_SHRINK for w in self.widths]
        bold = wrapper(BOLD, CELL_POINTS)
        self.rows: list[list[Any]] = [[bold.text(h, self.inner[i]) for i, h in enumerate(head)]]
        self.style: list[tuple[Any, ...]] = [
            ("FONTNAME", (0, 0), (-1, 0), BOLD),
            ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
            ("LEADING", (0, 0), (-1, -1), CELL_LEADING),
            ("LEADING", (0, 0), (-1, 0), BAND_LEADING),
        ]

    def add(
        self,
        name: str,
        figures: Sequence[str],
        light: str | None,
        *,
        band: bool = False,
    ) -> None:
        """One line: ``figures`` are the six cells after the name, the semáforo's last."""
        i = len(self.rows)
        font = wrapper(BOLD, BAND_POINTS) if band else wrapper(FONT, CELL_POINTS)
        cells = [fitted(font, name, self.inner[0])]
        cells += [
            wrapper(FONT, CELL_POINTS).text(t, self.inner[c + 1]) for c, t in enumerate(figures)
        ]
        self.rows.append(cells)
        if band:
            self.style += [
                ("BACKGROUND", (0, i), (-1, i), BAND_BG),
                ("FONTNAME", (0, i), (0, i), BOLD),
                ("FONTSIZE", (0, i), (0, i), BAND_POINTS),
                ("LEADING", (0, i), (-1, i), BAND_LEADING),
            ]
        if _light_cell(light):
            self.style.append(("BACKGROUND", (6, i), (6, i), _light_cell(light)))

    def table(self) -> Table:
        """The table, its heading row repeated on every page it continues to."""
        table = Table(self.rows, colWidths=self.widths, repeatRows=1)
        table.setStyle(
            TableStyle(_grid() + COMPACT + self.style + [("ALIGN", (1, 1), (-1, -1), "CENTER")])
        )
        return table


COMPACT = [("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5)]


def figures(activities: int, done: int, overdue: int, progress: float | None,
            compliance: float | None, light: str | None, why: str) -> list[str]:  # fmt: skip
    """A line's six figure cells, as both Comité tables print them."""
    return [number(activities), number(done), number(overdue), pct(progress),
            *compliance_cells(compliance, light, why)]  # fmt: skip


def _comite(reports: Sequence[EntityReport], st: dict[str, ParagraphStyle]) -> list[Flowable]:
    """Page 1: semáforo per component, the areas with most overdue items, agreed actions."""
    story = comite_heading(reports[0], st)
    table = FigureTable(COMITE_HEAD, COMITE_WIDTHS)
    for r in reports:
        s = r.by_status
        table.add(
            f"{r.entity}: total del plan",
            figures(r.activities, s.get("Cumplida", 0), s.get("Vencida", 0), r.progress,
                    r.compliance, r.light, ""),
            r.light,
            band=True,
        )  # fmt: skip
        for b in r.components:
            table.add(
                b.label,
                figures(b.activities, b.done, b.overdue, b.average, b.compliance, b.light, b.why),
                b.light,
            )
    story += [table.table(), Spacer(0, 0.4 * cm)]
    areas = sorted(
        ((a.owner, r.entity, a.overdue) for r in reports for a in r.areas if a.overdue),
        key=lambda t: (-t[2], t[0]),
    )[:3]
    return story + areas_table(areas, st) + [comite_box(st)]


def areas_table(
    areas: Sequence[tuple[str, str, int]], st: dict[str, ParagraphStyle]
) -> list[Flowable]:
    """«Áreas con más actividades vencidas»: area, its entity and its overdue activities."""
    if not areas:
        return []
    lines: list[list[Any]] = [[para(h, st["head"]) for h in ("Área", "Entidad", "Vencidas")]]
    lines += [[para(o, st["cell"]), para(e, st["cell"]), str(n)] for o, e, n in areas]
    t = Table(lines, colWidths=[10 * cm, 10 * cm, 2.4 * cm], repeatRows=1)
    t.setStyle(TableStyle(_grid() + COMPACT + [("ALIGN", (2, 1), (2, -1), "CENTER")]))
    return [para("Áreas con más actividades vencidas", st["band"]), t, Spacer(0, 0.3 * cm)]


def comite_box(st: dict[str, ParagraphStyle]) -> Flowable:
    """The box where the Comité writes the actions it agrees, kept on one page."""
    box = Table(
        [[para("Acciones acordadas por el Comité (responsable y fecha):", st["band"])]]
        + [[""] for _ in range(3)],
        colWidths=[PAGE[0] - 2 * MARGIN],
        rowHeights=[0.6 * cm] + [0.7 * cm] * 3,
    )
    box.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.8, HEAD_BG),
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("LINEBELOW", (0, 1), (-1, -2), 0.3, colors.grey),
            ]
        )
    )
    return KeepTogether([box])


def _grid() -> list[tuple[Any, ...]]:
    return [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#8EA9DB")),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTSIZE", (0, 0), (-1, -1), 8.5),
    ]


def _component(
    block: ComponentBlock, r: EntityReport, st: dict[str, ParagraphStyle], wrap: Wrapper
) -> list[Flowable]:
    """One component: its line and the column headers repeat on every page it spans.

    Activity cells are plain text broken by ``wrap`` (see publish.wrap: Paragraph cells were
    measured as most of the publication time); the OCI's observation stays in its own column,
    the state at the cut in the last one.
    """
    line = f"Componente: {block.label}"
    head = f"Seguimiento {r.number} OCI · Fecha de seguimiento: {r.cutoff:%d/%m/%Y}"
    widths = [w * cm for w in FORM_WIDTHS]
    inner = [w - 2 * PADDING for w in widths]

    def cell(text: str, col: int) -> str:
        return fitted(wrap, text, inner[col])

    bold = wrapper(BOLD, CELL_POINTS)
    band = sum(widths[:4]) - 2 * PADDING
    rows: list[list[Any]] = [
        [bold.text(line, band), "", "", "", wrap.text(head, widths[4] + widths[5] - 2 * PADDING),
         ""],
        [bold.text(h, inner[i]) for i, h in enumerate(FORM_HEADERS)],
    ]  # fmt: skip
    style: list[tuple[Any, ...]] = [
        ("SPAN", (0, 0), (3, 0)),
        ("SPAN", (4, 0), (5, 0)),
        ("BACKGROUND", (0, 0), (-1, 0), BAND_BG),
        ("BACKGROUND", (0, 1), (-1, 1), HEAD_BG),
        ("FONTNAME", (0, 0), (3, 0), BOLD),
        ("FONTNAME", (0, 1), (-1, 1), BOLD),
        ("TEXTCOLOR", (0, 1), (-1, 1), colors.white),
        ("LEADING", (0, 0), (-1, 1), CELL_LEADING),
        ("FONTSIZE", (0, 0), (-1, 1), CELL_POINTS),
        ("LEADING", (0, 2), (-1, -1), CELL_LEADING),
        ("FONTSIZE", (0, 2), (-1, -1), CELL_POINTS),
        ("ALIGN", (3, 2), (3, -1), "CENTER"),
        ("LEFTPADDING", (0, 0), (-1, -1), PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), PADDING),
    ]
    for row in block.rows:
        i = len(rows)
        state = row.state + (f"\n{row.alerts}" if row.alerts else "")
        rows.append(
            [cell(row.subcomponent, 0), cell(row.activity, 1),
             cell(row.done or "Sin reporte del área.", 2), row.progress_text,
             cell(row.observations, 4), cell(state, 5)]
        )  # fmt: skip
        if _light_cell(row.light):
            style.append(("BACKGROUND", (3, i), (3, i), _light_cell(row.light)))
    total = len(rows)
    rows.append(
        [cell("Total del componente", 0),
         cell(f"{block.activities} actividades programadas · {block.done} cumplidas", 1),
         cell("Avance: promedio simple de las actividades con dato.", 2),
         pct(block.average), "",
         cell("Cumplimiento " + " · ".join(compliance_cells(block.compliance, block.light,
                                                             block.why)), 5)]
    )  # fmt: skip
    style.append(("BACKGROUND", (0, total), (-1, total), BAND_BG))
    style.append(("FONTNAME", (0, total), (-1, total), BOLD))
    if _light_cell(block.light):
        style.append(("BACKGROUND", (3, total), (3, total), _light_cell(block.light)))
    table = Table(rows, colWidths=widths, repeatRows=2)
    table.setStyle(TableStyle(_grid()[:1] + _grid()[2:] + style))
    return [KeepTogether([table]), Spacer(0, 0.35 * cm)]


def _signatures(signers: Sequence[Signer], st: dict[str, ParagraphStyle]) -> Table:
    cells = []
    for s in signers:
        text = f"<b>{s.role}:</b><br/><br/><br/>______________________________<br/>"
        text += (s.name or "Nombre:") + "<br/>" + (s.position or "Cargo:")
        cells.append(Paragraph(text, st["base"]))
    table = Table([cells], colWidths=[(PAGE[0] - 2 * MARGIN) / max(len(cells), 1)] * len(cells))
    table.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), FONT)])
    )
    return table


def _entity(
    r: EntityReport, signers: Sequence[Signer], st: dict[str, ParagraphStyle]
) -> list[Flowable]:
    published = f"{r.publication_date:%d/%m/%Y}" if r.publication_date else "____/____/________"
    head: list[list[Any]] = [
        ["Entidad:", para(r.entity, st["band"])],
        ["Vigencia:", r.vigencia],
        ["Fecha de publicación:", published],
    ]
    table = Table(head, colWidths=[4.5 * cm, PAGE[0] - 2 * MARGIN - 4.5 * cm])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("FONTNAME", (0, 0), (0, -1), BOLD),
                ("FONTSIZE", (0, 0), (-1, -1), 9.5),
            ]
        )
    )
    story: list[Flowable] = [
        _Mark(r.entity),
        para(f"Formato Seguimiento al {r.program.name} ({r.program.short})", st["title"]),
        Spacer(0, 0.25 * cm),
        table,
        Spacer(0, 0.2 * cm),
        para(
            f"Total del plan: el {r.program.short} presenta un avance del {pct(r.progress)} y un "
            f"cumplimiento del {pct(r.compliance)} a la fecha de corte"
            + (f" (semáforo {r.light.lower()})." if r.light else "."),
            st["h2"],
        ),
        Spacer(0, 0.3 * cm),
    ]
    wrap = wrapper(FONT, CELL_POINTS)
    for block in r.components:
        story += _component(block, r, st, wrap)
    return story + closing(r, signers, st)


def closing(
    r: EntityReport,
    signers: Sequence[Signer],
    st: dict[str, ParagraphStyle],
    before_signatures: Sequence[Flowable] = (),
) -> list[Flowable]:
    """Conclusions, numbered recommendations and the signatures, as a report closes."""
    story: list[Flowable] = [
        KeepTogether(
            [para("Conclusiones", st["h2"]), *(para(c, st["base"]) for c in r.conclusions)]
        ),
        Spacer(0, 0.3 * cm),
    ]
    advice = [para(f"{i}. {t}", st["base"]) for i, t in enumerate(r.recommendations, 1)]
    story.append(KeepTogether([para("Recomendaciones", st["h2"]), *advice[:2]]))
    story += advice[2:]
    story += before_signatures
    story.append(Spacer(0, 0.6 * cm))
    story.append(KeepTogether([para("Firmas", st["h2"]), _signatures(signers, st)]))
    return story


def document(
    path: Path, first: EntityReport, author: str, header_entity: str, created: dt.datetime | None
) -> BaseDocTemplate:
    """The PDF's pages: landscape letter, the entity (or the consolidation) and the cut on
    top of each, the OCI, the run date and "Página X de Y" at the foot."""
    _fonts()
    doc = BaseDocTemplate(
        str(path),
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=1.6 * cm,
        bottomMargin=1.4 * cm,
        title=f"Seguimiento OCI al {first.program.short} – corte {first.cutoff:%d/%m/%Y}",
        author=f"Oficina de Control Interno – {author}",
        subject=f"Seguimiento {first.number} al {first.program.name}",
        creator="pac-excel",
        keywords=[first.program.short, "seguimiento", "control interno"],
        invariant=True,
    )
    doc._pac_info = {  # type: ignore[attr-defined]
        "entities": header_entity,
        "header": f"Seguimiento {first.number} OCI al {first.program.short} · "
        f"corte {first.cutoff:%d/%m/%Y}",
        "footer": "Oficina de Control Interno"
        + (f" · generado el {created:%d/%m/%Y}" if created else ""),
    }
    frame = Frame(MARGIN, 1.4 * cm, PAGE[0] - 2 * MARGIN, PAGE[1] - 3.0 * cm, id="body")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPageEnd=_page)])
    return doc


def build(doc: BaseDocTemplate, story: list[Flowable]) -> None:
    doc.build(story, canvasmaker=_NumberedCanvas)


def write_pdf(
    reports: Sequence[EntityReport],
    path: Path,
    signers: Sequence[Signer] | None = None,
    *,
    created: dt.datetime | None = None,
) -> Path:
    """Write the publication PDF to ``path`` (the caller makes the write atomic)."""
    st = styles()
    entities = "; ".join(r.entity for r in reports)
    header = entities if len(reports) == 1 else "Consolidado de entidades"
    doc = document(path, reports[0], entities, header, created)
    story: list[Flowable] = _comite(reports, st)
    for r in reports:
        story += [PageBreak(), *_entity(r, signers or r.signers, st)]
    build(doc, story)
    return path
