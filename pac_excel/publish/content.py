"""content: what the OCI publishes, as plain data, before any PDF or Word formatting.

The PDF and the report show the same figures, conclusions and recommendations; building them
here once keeps the two documents in agreement. Figures come from the checked activities and
the alerts frame, never from the written workbook.
"""

from __future__ import annotations

import datetime as dt
import math
import weakref
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import cast

import pandas as pd

from pac_excel.check.contradictions import shown_status
from pac_excel.check.figures import component_summaries, followup_number, no_compliance_label
from pac_excel.check.labels import NO_COMPONENT, NO_DATA, NOTHING_DUE
from pac_excel.check.semaforo import traffic_light
from pac_excel.deadline import publication_deadline
from pac_excel.publish.advice import Tally, number, recommendations
from pac_excel.result import Consolidation

NO_ENTITY = "Entidad sin nombre"
ROLES: tuple[str, ...] = ("Elaboró", "Revisó", "Aprobó")

FORMS_MAX = 10
"""Most entities whose Seguimiento OCI forms the publication prints one after the other.

Up to this many (an office, or a department with a few entities) the PDF carries every
entity's form after the Comité page. With more it is the consolidated report instead: a
department consolidating its 100 municipalities, or a national consolidation of 1,000
entities, publishes and signs figures for all of them, while each entity's OCI publishes its
own form from its own run; 7,000 pages of forms help no reader and took most of the run
(README, «Publicación»; ``consolidar --todos-los-formularios`` prints them anyway).
"""


@dataclass(frozen=True)
class Program:
    """How the documents name the plan followed up (the programs issue makes this data)."""

    name: str = "Plan Anticorrupción y de Atención al Ciudadano"
    short: str = "PAAC"


PAAC = Program()


@dataclass(frozen=True)
class Signer:
    """One signature line: the role (Elaboró, Revisó, Aprobó), a name and a position."""

    role: str
    name: str = ""
    position: str = ""

    @classmethod
    def parse(cls, role: str, text: str) -> Signer:
        """``"Nombre – Cargo"`` (en dash, hyphen or comma) as written in pac-excel.toml."""
        for sep in (" – ", " — ", " - ", ", "):
            if sep in text:
                name, position = text.split(sep, 1)
                return cls(role, name.strip(), position.strip())
        return cls(role, text.strip())


def blank_signers() -> list[Signer]:
    """Lines to sign by hand when neither the config nor the input names anybody."""
    return [Signer(role) for role in ROLES]


def entity_signers(result: Consolidation, entity: str) -> list[Signer]:
    """Who signs one entity's form: [firmas] of pac-excel.toml, else the signature lines of
    the entity's input (Elaboró, Revisó, Aprobó), else blank lines to sign by hand."""
    if result.signatures:
        return signers_of(result.signatures)
    stated = result.stated_signatures.get(entity)
    if stated is None and entity == NO_ENTITY:
        stated = result.stated_signatures.get("")
    return signers_of(stated or {})


def signers_of(signatures: Mapping[str, str]) -> list[Signer]:
    """Elaboró, Revisó, Aprobó in that order: named where [firmas] names them, else blank."""
    return [
        Signer.parse(role, signatures[role]) if role in signatures else Signer(role)
        for role in ROLES
    ]


@dataclass(frozen=True)
class FormRow:
    """One activity as the Seguimiento OCI form shows it."""

    subcomponent: str
    activity: str
    done: str  # what the area reports done (Actividades cumplidas)
    observations: str  # the OCI's own text, as the input states it (Observaciones)
    progress: float | None  # 0..1; None: no figure (blank or N/A)
    progress_text: str  # as printed: "45 %", "N/A", "Sin dato"
    light: str | None  # semáforo of the activity's cumplimiento
    state: str  # estado al corte, pac-excel's verdict
    alerts: str  # alert labels, "; "-joined
    earlier: tuple[str, ...] = ()  # % de avance in the earlier cuts of the year, oldest first


@dataclass(frozen=True)
class ComponentBlock:
    label: str
    rows: list[FormRow]
    average: float | None  # simple mean of the valid progress
    compliance: float | None
    light: str | None
    done: int
    overdue: int
    due_nothing: bool  # no cumplimiento to judge (nothing due, or no readable progress)
    why: str = ""  # then why: "Sin programación" or "Sin dato" (check.figures)
    activities: int = 0  # the component's activities (also without form rows built)


@dataclass(frozen=True)
class AreaCount:
    owner: str
    overdue: int
    without_progress: int


@dataclass
class EntityReport:
    """Everything published for one entity at one cut."""

    entity: str
    vigencia: str
    cutoff: dt.date
    number: int  # Seguimiento 1, 2 or 3 of the year
    program: Program
    components: list[ComponentBlock]
    activities: int
    by_status: dict[str, int]
    progress: float | None  # plan total: mean of the component means
    compliance: float | None
    light: str | None
    areas: list[AreaCount]
    alert_counts: dict[str, int]
    conclusions: list[str] = field(default_factory=list)
    recommendations: list[str] = field(default_factory=list)
    publication_date: dt.date | None = None  # stated in the input; blank for the OCI to fill
    signers: list[Signer] = field(default_factory=blank_signers)
    publication_days: int = 10  # business days to publish after the cut ([cortes])


def compliance_cells(compliance: float | None, light: str | None, why: str) -> tuple[str, str]:
    """A table's Cumplimiento and Semáforo cells: without a cumplimiento the figure is a dash
    and the semáforo cell says why, so the two never contradict each other."""
    if compliance is None:
        return "—", why or NOTHING_DUE
    return pct(compliance), light or NO_DATA


def pct(value: float | None) -> str:
    """A share as the documents print it: whole percent unless the tenth matters.

    59.7 % is printed "59,7 %" so the figure a reader sees never contradicts its colour.
    """
    if value is None or not math.isfinite(value):
        return "Sin dato"
    shown = round(value * 100, 1)
    if shown == round(shown):
        return f"{round(shown)} %"
    return f"{shown:.1f} %".replace(".", ",")


def _float(value: object) -> float | None:
    if value is None or value is pd.NA:
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _light(value: object) -> str | None:
    text = _text(value)
    return text or None


def _text(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def _alert_labels(alerts: pd.DataFrame) -> dict[int, str]:
    if alerts.empty:
        return {}
    grouped = alerts.groupby("activity_id", sort=False)["alert"]
    return {int(str(k)): "; ".join(str(x) for x in v) for k, v in grouped}


def _texts(column: pd.Series) -> list[str]:
    return [_text(v) for v in column.tolist()]


def _rows(part: pd.DataFrame, labels: dict[int, str]) -> list[FormRow]:
    """The form's rows, from plain column lists (per-record dicts measured slow at 100 files)."""
    na = part["not_applicable"].astype("boolean").fillna(False).tolist()
    progress = [_float(v) for v in part["progress"].tolist()]
    status = _texts(shown_status(part))  # "Cumplida (por verificar)" when an alert doubts it
    lights = [_light(v) for v in part["traffic_light"].tolist()]
    done = _texts(part["done"])
    # A frame built without the two texts apart shows its follow-up text as the observation.
    remarks = _texts(part["observations"].fillna(part["followup"].where(part["done"].isna())))
    rows = []
    for i, (sub, activity, ident) in enumerate(
        zip(_texts(part["subcomponent"]), _texts(part["activity"]), part["activity_id"].tolist(),
            strict=True)
    ):  # fmt: skip
        value = progress[i]
        if na[i]:
            text, value = "N/A", None
        elif value is None:
            text = "Sin dato"
        else:
            text = pct(value)
        rows.append(
            FormRow(
                subcomponent=sub,
                activity=activity,
                done=done[i],
                observations=remarks[i],
                progress=value,
                progress_text=text,
                light=lights[i],
                state=status[i] or "Sin dato",
                alerts=labels.get(int(ident), ""),
            )
        )
    return rows


def _tallies(alerts: pd.DataFrame, entity: pd.Series) -> dict[object, Tally]:
    """Each entity's alerts counted by code and owner, in one grouping for the whole run."""
    if alerts.empty:
        return {}
    frame = pd.DataFrame(
        {
            "e": entity.to_numpy(),
            "code": alerts["code"].astype("string").to_numpy(),
            "owner": alerts["owner"].astype("string").fillna("\0").to_numpy(),
        }
    )
    out: dict[object, Tally] = {}
    for (e, code, owner), n in frame.groupby(["e", "code", "owner"], sort=True).size().items():
        out.setdefault(e, []).append((str(code), None if owner == "\0" else str(owner), int(n)))
    return out


def _areas(tally: Tally) -> list[AreaCount]:
    """Overdue and idle activities per responsible area, from one entity's alert tally."""
    counts: dict[str, list[int]] = {}
    for code, owner, n in tally:
        entry = counts.setdefault(owner or "Sin responsable", [0, 0])
        if code == "vencida":
            entry[0] += n
        elif code == "sin-avance":
            entry[1] += n
    out = [AreaCount(o, v, i) for o, (v, i) in counts.items() if v or i]
    return sorted(out, key=lambda a: (-a.overdue, -a.without_progress, a.owner))


# The form sheet and the publication files both need the reports of one run: computed once
# and kept for the last run only (measured ~7 s per computation with 100 files), while that
# run's result lives: the cache holds it weakly and is emptied when it goes, so a caller
# that runs several consolidations does not keep the previous one alive through here.
_LAST: list[tuple[weakref.ref[Consolidation], tuple[object, ...], bool, list[EntityReport]]] = []


def _forget(gone: weakref.ref[Consolidation]) -> None:
    """The cached run's result was collected: drop its reports (not a later run's)."""
    if _LAST and _LAST[0][0] is gone:
        _LAST.clear()


def entity_count(result: Consolidation) -> int:
    """How many entities the run publishes (one report each; a blank entity is one more)."""
    return int(result.activities["entity"].astype("string").fillna(NO_ENTITY).nunique())


def is_consolidated(result: Consolidation, all_forms: bool = False) -> bool:
    """True when the publication is the consolidated report (more than ``FORMS_MAX``
    entities and every form not asked for)."""
    return not all_forms and entity_count(result) > FORMS_MAX


def entity_reports(
    result: Consolidation,
    program: Program | None = None,
    publication: dt.date | None = None,
    *,
    forms: bool = True,
) -> list[EntityReport]:
    """One report per entity of the run, in the order the run lists them.

    ``program`` defaults to the one the run followed up (PTEP or PAAC, from the files).
    ``forms=False`` leaves the form rows out (every block's ``rows`` empty): the consolidated
    report needs each entity's totals only, and building a row per activity is work that
    grows with the activities.
    """
    program = program or Program(name=result.program_name, short=result.program)
    key = _key(result, program, publication)
    if _LAST and _LAST[0][0]() is result and _LAST[0][1] == key and (_LAST[0][2] or not forms):
        return list(_LAST[0][3])
    acts = result.activities
    entity = acts["entity"].astype("string").fillna(NO_ENTITY)
    # Group once: each entity's activities, components and alerts (alerts carry the
    # activity_id); per-entity filtering measured ~7 s with 100 files.
    positions = acts.groupby(entity, sort=False).indices
    order = [e for e in result.entities if e in positions]
    order += [e for e in entity.unique().tolist() if e not in order]
    # Every form row built once for the whole run, then picked by position (per component
    # frame slicing and conversion measured 2.7 s of 5.3 s with 100 files).
    form_rows = _rows(acts, _alert_labels(result.alerts)) if forms else None
    summaries = component_summaries(acts, entity, result.thresholds)
    alert_entity = alert_entities(result)
    tallies = _tallies(result.alerts, alert_entity)
    alert_names = _alert_names(result.alerts, alert_entity)
    columns = RunColumns.of(acts)
    reports = [
        _entity(result, str(name), columns, list(positions[name]),
                None if form_rows is None else [form_rows[i] for i in positions[name]],
                summaries[name], tallies.get(name, []), alert_names.get(name, {}), program,
                publication)
        for name in order
    ]  # fmt: skip
    remember_reports(result, reports, forms=forms, program=program, publication=publication)
    return list(reports)


def remember_reports(
    result: Consolidation,
    reports: Sequence[EntityReport],
    *,
    forms: bool,
    program: Program | None = None,
    publication: dt.date | None = None,
) -> None:
    """``entity_reports`` of ``result``, made elsewhere (the run's child, ``pipeline``): the
    next call for the same result and arguments returns them instead of making them again."""
    program = program or Program(name=result.program_name, short=result.program)
    key = _key(result, program, publication)
    _LAST[:] = [(weakref.ref(result, _forget), key, forms, list(reports))]


def _key(
    result: Consolidation, program: Program, publication: dt.date | None
) -> tuple[object, ...]:
    """What the reports depend on beyond ``result`` itself (kept by a weak reference)."""
    return (id(result.activities), id(result.alerts), program, publication, result.thresholds)


def alert_entities(result: Consolidation) -> pd.Series:
    """The entity of each alert (alerts carry their activity's id)."""
    acts = result.activities
    entity = acts["entity"].astype("string").fillna(NO_ENTITY)
    owner_of = pd.Series(entity.to_numpy(), index=acts["activity_id"].to_numpy())
    return result.alerts["activity_id"].map(owner_of).astype("string")


def run_tallies(result: Consolidation) -> dict[object, Tally]:
    """Each entity's alerts counted by code and owner (see ``_tallies``)."""
    return _tallies(result.alerts, alert_entities(result))


def _alert_names(alerts: pd.DataFrame, entity: pd.Series) -> dict[object, dict[str, int]]:
    """Activities per alert label of each entity, the most frequent first."""
    if alerts.empty:
        return {}
    frame = pd.DataFrame({"e": entity.to_numpy(), "a": alerts["alert"].astype("string")})
    out: dict[object, dict[str, int]] = {}
    sizes = frame.groupby(["e", "a"], sort=False).size()
    for (e, label), n in sorted(sizes.items(), key=lambda kv: -int(kv[1])):
        out.setdefault(e, {})[str(label)] = int(n)
    return out


@dataclass(frozen=True)
class RunColumns:
    """The activity columns a report counts, as plain lists taken once for the whole run:
    slicing the frame per entity measured ~2 s with 1,000 entities."""

    component: Sequence[object]
    year: Sequence[object]
    status: Sequence[object]

    @classmethod
    def of(cls, acts: pd.DataFrame) -> RunColumns:
        return cls(
            acts["component"].astype("Int64").tolist(),
            acts["year"].tolist(),
            acts["status"].astype("string").tolist(),
        )


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _entity(
    result: Consolidation,
    name: str,
    columns: RunColumns,
    positions: Sequence[int],
    part_rows: list[FormRow] | None,
    summary: pd.DataFrame,
    tally: Tally,
    alert_counts: dict[str, int],
    program: Program,
    publication: dt.date | None,
) -> EntityReport:
    groups = (
        None
        if part_rows is None
        else _by_component([columns.component[i] for i in positions], part_rows)
    )
    report = plan_report(
        result,
        name,
        columns,
        positions,
        component_blocks(summary, groups),
        program,
        publication or result.stated_publication.get(name),
    )
    report.areas = _areas(tally)
    report.alert_counts = alert_counts
    report.signers = entity_signers(result, name)
    report.conclusions = conclusions(report)
    report.recommendations = recommendations(report, tally)
    return report


def component_blocks(
    summary: pd.DataFrame, groups: Mapping[object, list[FormRow]] | None
) -> list[ComponentBlock]:
    """One block per row of a component summary; its form rows from ``groups`` (None: no
    rows, the figures only)."""
    blocks = []
    for comp in summary.to_dict("records"):
        key = comp["component"]
        # The blank component comes from to_dict as None (or <NA>, NaN): _by_component keys it
        # None, so its activities are listed under "Sin componente" like any other.
        blank = key is None or key is pd.NA or (isinstance(key, float) and math.isnan(key))
        rows = [] if groups is None else groups.get(None if blank else key, [])
        blocks.append(
            ComponentBlock(
                label=str(comp["component_label"] or NO_COMPONENT),
                rows=rows,
                average=_float(comp["avg_progress"]),
                compliance=_float(comp["avg_compliance"]),
                light=_light(comp["traffic_light"]),
                done=int(comp["cumplidas"]),
                overdue=int(comp["vencidas"]),
                due_nothing=_float(comp["avg_compliance"]) is None,
                why=no_compliance_label(comp),
                activities=int(comp["activities"]),
            )
        )
    return blocks


def plan_report(
    result: Consolidation,
    name: str,
    columns: RunColumns,
    positions: Sequence[int] | None,
    blocks: list[ComponentBlock],
    program: Program,
    publication: dt.date | None,
) -> EntityReport:
    """The plan's figures over the activities at ``positions`` (one entity's; None: every
    activity of the run): progress and cumplimiento are the mean of the component means,
    the form's rule."""
    averages = [b.average for b in blocks if b.average is not None]
    compliances = [b.compliance for b in blocks if b.compliance is not None]
    compliance = sum(compliances) / len(compliances) if compliances else None
    picked = range(len(columns.status)) if positions is None else positions
    year = (columns.year[i] for i in picked)
    years = sorted({int(cast("float", y)) for y in year if not _missing(y)})  # Int64 column
    status = Counter(str(v) for v in (columns.status[i] for i in picked) if not _missing(v))
    return EntityReport(
        entity=name,
        vigencia=", ".join(str(y) for y in years) or str(result.cutoff.year),
        cutoff=result.cutoff,
        number=followup_number(result.cutoff),
        program=program,
        components=blocks,
        activities=len(picked),
        by_status=dict(status.most_common()),
        progress=sum(averages) / len(averages) if averages else None,
        compliance=compliance,
        light=traffic_light(compliance, result.thresholds),
        areas=[],
        alert_counts={},
        publication_date=publication,
        publication_days=result.publication_days,
    )


def _by_component(components: Sequence[object], rows: list[FormRow]) -> dict[object, list[FormRow]]:
    """One entity's form rows per component, in the entity's order; ``None`` keys <NA>."""
    out: dict[object, list[FormRow]] = {}
    for comp, row in zip(components, rows, strict=True):
        key = None if comp is pd.NA or (isinstance(comp, float) and math.isnan(comp)) else comp
        out.setdefault(key, []).append(row)
    return out


def _count(n: int, one: str, many: str) -> str:
    return f"{number(n)} {one if n == 1 else many}"


def _names(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " y " + items[-1]


def plan_total(r: EntityReport) -> str:
    """ "El PAAC presenta un avance del 43,8 % …": the plan's total, as the form states it."""
    light = f" (semáforo {r.light.lower()})" if r.light else ""
    return (
        f"El {r.program.short} presenta un avance del {pct(r.progress)} y un cumplimiento del "
        f"{pct(r.compliance)} frente a lo programado al {r.cutoff:%d/%m/%Y}{light}."
    )


def conclusions(r: EntityReport) -> list[str]:
    """What the figures say, in the order an OCI report states it."""
    out = [
        f"Con corte al {r.cutoff:%d/%m/%Y}, el {r.program.short} de {r.entity} presenta un "
        f"avance del {pct(r.progress)} (promedio de los componentes) y un cumplimiento del "
        f"{pct(r.compliance)} frente a lo programado a la fecha"
        + (f", en nivel {r.light.lower()} del semáforo." if r.light else ".")
    ]
    s = r.by_status
    parts = [
        _count(s.get("Cumplida", 0), "cumplida", "cumplidas"),
        _count(s.get("En curso", 0), "en curso", "en curso"),
        _count(s.get("Vencida", 0), "vencida", "vencidas"),
        _count(s.get("Sin iniciar", 0), "sin iniciar", "sin iniciar"),
    ]
    if s.get("No aplica"):
        parts.append(_count(s["No aplica"], "no aplica", "no aplican"))
    if s.get("Sin dato"):
        parts.append(_count(s["Sin dato"], "sin dato de avance", "sin dato de avance"))
    out.append(
        f"De las {_count(r.activities, 'actividad programada', 'actividades programadas')}, "
        + _names(parts)
        + "."
    )
    red = [b.label for b in r.components if b.light == "Rojo"]
    yellow = [b.label for b in r.components if b.light == "Amarillo"]
    if red:
        out.append(
            "No alcanzan el cumplimiento esperado (semáforo rojo, menos del 60 %): "
            + _names(red)
            + "."
        )
    if yellow:
        out.append("Con cumplimiento medio (semáforo amarillo): " + _names(yellow) + ".")
    if not red and not yellow and r.compliance is not None:
        out.append("Todos los componentes con entregas al corte están en semáforo verde.")
    pending = [b.label for b in r.components if b.due_nothing]
    if pending:
        out.append("Sin programación vencida a la fecha de corte: " + _names(pending) + ".")
    if r.areas and r.areas[0].overdue:
        top = [a for a in r.areas if a.overdue][:3]
        out.append(
            "Las áreas con más actividades vencidas son "
            + _names([f"{a.owner} ({a.overdue})" for a in top])
            + "."
        )
    return out


def publication_file_stem(cutoff: dt.date, program: Program = PAAC) -> str:
    """``seguimiento_oci_paac_AAAA-MM-DD``: named like the workbook, one per cut."""
    return f"seguimiento_oci_{program.short.lower()}_{cutoff:%Y-%m-%d}"


def report_file_stem(cutoff: dt.date, program: Program = PAAC) -> str:
    return f"informe_seguimiento_{program.short.lower()}_{cutoff:%Y-%m-%d}"


def deadline_text(cutoff: dt.date) -> str:
    return f"{publication_deadline(cutoff):%d/%m/%Y}"
