"""consolidated: the publication of a run over more than ``FORMS_MAX`` entities.

A department or a nation that consolidates its entities publishes and signs figures for all
of them: the component table over every activity, one line per entity with its own totals,
the areas with most overdue activities, conclusions and recommendations worded for N
entities. No entity's form is printed (nor kept in the workbook: write.Book.entity_sheets):
each OCI publishes its own from its own run, and every activity is in Actividades. Nothing
here is built per activity: the work grows with the entities and the components only.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from pac_excel.check.figures import component_summary
from pac_excel.check.semaforo import GREEN, RED, YELLOW
from pac_excel.publish.advice import consolidated_advice, number
from pac_excel.publish.content import (
    AreaCount,
    EntityReport,
    Program,
    RunColumns,
    component_blocks,
    conclusions,
    entity_reports,
    plan_report,
    run_tallies,
    signers_of,
)
from pac_excel.result import Consolidation

TOP_AREAS = 10  # areas named with their entity, the most overdue activities first
FORMS_SHEET = "Seguimiento OCI"
ACTIVITIES_SHEET = "Actividades"


@dataclass
class ConsolidatedReport:
    """The consolidated figures (``total``, named «las N entidades») and each entity's."""

    total: EntityReport
    entities: list[EntityReport]
    areas: list[tuple[str, str, int]]  # (area, entity, overdue activities)

    @property
    def count(self) -> int:
        return len(self.entities)

    @property
    def label(self) -> str:
        """«las 1.000 entidades», as the sentences name them."""
        return f"las {number(self.count)} entidades"


def consolidated_report(
    result: Consolidation, program: Program | None = None, publication: dt.date | None = None
) -> ConsolidatedReport:
    """The report over every entity of ``result``, without any per-activity content."""
    program = program or Program(name=result.program_name, short=result.program)
    entities = entity_reports(result, program, publication, forms=False)
    acts = result.activities
    blocks = component_blocks(component_summary(acts, result.thresholds), None)
    label = f"las {number(len(entities))} entidades"
    total = plan_report(result, label, RunColumns.of(acts), None, blocks, program, publication)
    areas = sorted(
        ((a.owner, r.entity, a.overdue) for r in entities for a in r.areas if a.overdue),
        key=lambda t: (-t[2], t[0], t[1]),
    )[:TOP_AREAS]
    # The conclusions name each area with its entity: the same area name recurs in many.
    total.areas = [AreaCount(f"{o} – {e}", n, 0) for o, e, n in areas]
    total.alert_counts = dict(
        Counter(str(a) for a in result.alerts["alert"].astype("string").dropna()).most_common()
    )
    total.signers = signers_of(result.signatures)
    total.conclusions = conclusions(total) + [_by_light(entities)]
    per_code: dict[str, tuple[int, int]] = {}
    for tally in run_tallies(result).values():
        for code in {c for c, _, _ in tally}:
            n = sum(k for c, _, k in tally if c == code)
            e, k = per_code.get(code, (0, 0))
            per_code[code] = (e + 1, k + n)
    lagging = sum(r.light in (RED, YELLOW) for r in entities)
    total.recommendations = consolidated_advice(per_code, lagging)
    return ConsolidatedReport(total, entities, areas)


def _by_light(entities: list[EntityReport]) -> str:
    """How many entities fall in each semáforo colour of their own plan."""
    lights = Counter(r.light for r in entities)
    parts = [f"{number(lights[c])} en {c.lower()}" for c in (RED, YELLOW, GREEN) if lights[c]]
    if parts:
        parts[0] = parts[0].replace(" en ", " en semáforo ", 1)
    if lights[None]:
        parts.append(f"{number(lights[None])} sin cumplimiento que medir al corte")
    listed = ", ".join(parts[:-1]) + " y " + parts[-1] if len(parts) > 1 else "".join(parts)
    return f"Por entidad, según el cumplimiento de su propio plan: {listed}."


def forms_note(count: int) -> str:
    """Where each entity's form is, since the consolidated report prints none."""
    return (
        f"El formato {FORMS_SHEET} de cada una de las {number(count)} entidades, actividad por "
        "actividad, lo publica la Oficina de Control Interno de cada entidad con su propia "
        "ejecución de pac-excel sobre su archivo; cada actividad de las "
        f"{number(count)} entidades está en la hoja «{ACTIVITIES_SHEET}» del libro consolidado."
    )
