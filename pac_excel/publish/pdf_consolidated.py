"""pdf_consolidated: the publication PDF of a run over more than ``FORMS_MAX`` entities.

Page 1 is the Comité's: the component table consolidated over every activity, the areas with
most overdue activities (with their entity) and the box of agreed actions, then one line per
entity with its own totals (its heading row repeated on every page). The consolidated report
follows: the plan total, conclusions and recommendations worded for the N entities, where each
entity's form is, and the signatures. Nothing is drawn per activity.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reportlab.lib.units import cm
from reportlab.platypus import CondPageBreak, Flowable, PageBreak, Spacer, Table, TableStyle

from pac_excel.publish.advice import number
from pac_excel.publish.consolidated import ConsolidatedReport, forms_note
from pac_excel.publish.content import Signer, pct
from pac_excel.publish.pdf import (
    BOLD,
    FONT,
    MARGIN,
    PAGE,
    FigureTable,
    areas_table,
    build,
    closing,
    comite_box,
    comite_heading,
    document,
    figures,
    para,
    styles,
)

COMPONENT_HEAD = ("Componente", "Actividades", "Cumplidas", "Vencidas", "Avance",
                  "Cumplimiento", "Semáforo")  # fmt: skip
ENTITY_HEAD = ("Entidad", "Actividades", "Cumplidas", "Vencidas", "Avance", "Cumplimiento",
               "Semáforo")  # fmt: skip
WIDTHS = (8.1, 2.8, 2.8, 2.8, 2.8, 2.8, 2.8)  # cm, as the Comité page of a few entities


def _components(c: ConsolidatedReport, st: dict[str, Any]) -> list[Flowable]:
    """The component table over every activity of the run, with the plan's total."""
    table = FigureTable(COMPONENT_HEAD, WIDTHS)
    for b in c.total.components:
        table.add(
            b.label,
            figures(b.activities, b.done, b.overdue, b.average, b.compliance, b.light, b.why),
            b.light,
        )
    t, s = c.total, c.total.by_status
    table.add(
        "Total del plan",
        figures(t.activities, s.get("Cumplida", 0), s.get("Vencida", 0), t.progress,
                t.compliance, t.light, ""),
        t.light,
        band=True,
    )  # fmt: skip
    title = f"Avance y cumplimiento por componente (consolidado de {c.label})"
    return [para(title, st["band"]), table.table(), Spacer(0, 0.4 * cm)]


def _entities(c: ConsolidatedReport, st: dict[str, Any]) -> list[Flowable]:
    """One line per entity, in the run's order: its own totals, as its form states them."""
    table = FigureTable(ENTITY_HEAD, WIDTHS)
    for r in c.entities:
        s = r.by_status
        table.add(
            r.entity,
            figures(r.activities, s.get("Cumplida", 0), s.get("Vencida", 0), r.progress,
                    r.compliance, r.light, ""),
            r.light,
        )  # fmt: skip
    title = "Avance y cumplimiento por entidad (promedio de sus componentes)"
    # The title never ends a page alone: it starts the next one with the table's first lines.
    return [CondPageBreak(3 * cm), para(title, st["band"]), table.table()]


def _report(c: ConsolidatedReport, signers: Sequence[Signer], st: dict[str, Any]) -> list[Flowable]:
    """The consolidated report after the Comité page, closed by the signatures."""
    t = c.total
    published = f"{t.publication_date:%d/%m/%Y}" if t.publication_date else "____/____/________"
    head = Table(
        [
            ["Entidades:", f"{number(c.count)} entidades (consolidado)"],
            ["Vigencia:", t.vigencia],
            ["Fecha de publicación:", published],
        ],
        colWidths=[4.5 * cm, PAGE[0] - 2 * MARGIN - 4.5 * cm],
    )
    head.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("FONTNAME", (0, 0), (0, -1), BOLD),
                ("FONTSIZE", (0, 0), (-1, -1), 9.5),
            ]
        )
    )
    light = f" (semáforo {t.light.lower()})." if t.light else "."
    story: list[Flowable] = [
        para(f"Informe consolidado de seguimiento al {t.program.short}", st["title"]),
        para(
            f"Seguimiento {t.number} al {t.program.name} · corte {t.cutoff:%d/%m/%Y}", st["center"]
        ),
        Spacer(0, 0.25 * cm),
        head,
        Spacer(0, 0.2 * cm),
        para(
            f"Total del plan: el {t.program.short} de {c.label} presenta un avance del "
            f"{pct(t.progress)} y un cumplimiento del {pct(t.compliance)} a la fecha de corte"
            + light,
            st["h2"],
        ),
        Spacer(0, 0.3 * cm),
    ]
    story += [para(forms_note(c.count), st["base"]), Spacer(0, 0.3 * cm)]
    return story + closing(t, signers, st)


def write_consolidated_pdf(
    c: ConsolidatedReport,
    path: Path,
    signers: Sequence[Signer] | None = None,
    *,
    created: dt.datetime | None = None,
) -> Path:
    """Write the consolidated publication PDF to ``path`` (the caller makes it atomic)."""
    st = styles()
    label = f"Consolidado de {c.label}"
    doc = document(path, c.total, label.lower(), label, created)
    story = comite_heading(c.total, st)
    story += _components(c, st)
    story += areas_table(c.areas, st)
    story.append(comite_box(st))
    story.append(Spacer(0, 0.4 * cm))
    story += _entities(c, st)
    story += [PageBreak(), *_report(c, signers or c.total.signers, st)]
    build(doc, story)
    return path
