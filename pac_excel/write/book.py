"""book: what every sheet writer receives: the workbook, its formats, the run and its figures.

Figures shared by several sheets (component and area tables, what each activity still owes,
the publication deadline) are computed once here; delivery states come with the checked
deliveries. ``Book.report`` is the writer's one hook into the problem
list: a sheet writer that has to cut something (a text over Excel's cell limit, rows over the
sheet limit) reports it there; write_workbook then lists it in the Problemas sheet and records
it in ``result.problems`` so the terminal shows it too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import pandas as pd
from xlsxwriter import Workbook

from pac_excel.check import figures as summary
from pac_excel.check.owners import owner_areas
from pac_excel.check.pending import activity_pending
from pac_excel.check.semaforo import DAFP_THRESHOLDS, Thresholds
from pac_excel.problems import Problem, Severity, column_letter
from pac_excel.publish.content import is_consolidated  # content only, no ReportLab
from pac_excel.result import Consolidation
from pac_excel.text import MAX_CELL_CHARS
from pac_excel.write.cells import MAX_HEADER_CHARS
from pac_excel.write.styles import Formats

SHEET_SUMMARY = "Resumen"
SHEET_ACTIVITIES = "Actividades"
SHEET_FORM = "Seguimiento OCI"
SHEET_OWNERS = "Por responsable"
SHEET_SCHEDULE = "Cronograma"
SHEET_ALERTS = "Alertas"
SHEET_PROBLEMS = "Problemas"
SHEET_HISTORY = "Historial"  # only when a file carried other cuts
# Display order; Resumen opens first.
SHEETS: tuple[str, ...] = (
    SHEET_SUMMARY,
    SHEET_ACTIVITIES,
    SHEET_FORM,
    SHEET_OWNERS,
    SHEET_SCHEDULE,
    SHEET_ALERTS,
    SHEET_PROBLEMS,
)

TITLE = "Seguimiento al Plan Anticorrupción y de Atención al Ciudadano"


def program_title(result: Consolidation, lead: str = "Seguimiento al") -> str:
    """Resumen's title: the programs the files follow, "y" between two (a mixed folder)."""
    return f"{lead} " + " y al ".join(result.program_names)


NO_ENTITY = "Entidad sin identificar"
CUT_TEXT = "texto-demasiado-largo"


def thousands(n: int) -> str:
    """12.345: the Colombian thousands separator."""
    return f"{n:,}".replace(",", ".")


@dataclass
class Book:
    """One workbook being written for one Consolidation."""

    workbook: Workbook
    result: Consolidation
    created: dt.datetime  # the run's time, stored in the document properties
    output_name: str  # the target's file name, for problems about the workbook itself
    notices: list[Problem] = field(default_factory=list)  # the caller's, about the output
    all_forms: bool = False  # consolidar --todos-los-formularios: the entity sheets at any size
    # Where the history is recorded alongside the workbook (pipeline): waits until the run's
    # evolution, plan comparison and history problems are in ``result`` (``history_attached``).
    history_wait: Callable[[], None] | None = None
    # Likewise, until the entity reports made alongside are ready (``reports_given``).
    reports_wait: Callable[[], None] | None = None
    formats: Formats = field(init=False)
    sheets: dict[str, Any] = field(init=False, default_factory=dict)
    problems: list[Problem] = field(init=False, default_factory=list)

    def __post_init__(self) -> None:
        self.formats = Formats(self.workbook)

    def history_attached(self) -> None:
        """Called before the first sheet that shows what the history store gives (the form's
        earlier cuts, Problemas, Evolución, Plan): the sheets before it do not wait for it."""
        self._once("history_wait")

    def reports_given(self) -> None:
        """Called before the first sheet that shows the entity reports (the form, Resumen's
        table of entities: ``publish.content.entity_reports``)."""
        self._once("reports_wait")

    def _once(self, name: str) -> None:
        """Call the hook in field ``name``, if any, and forget it."""
        wait = getattr(self, name)
        if wait is not None:
            setattr(self, name, None)
            wait()

    # The hook --------------------------------------------------------------------------

    def report(self, problem: Problem) -> None:
        """Record a problem the writer itself found; it ends up in Problemas."""
        known = (self.problems, self.notices, self.result.problems)
        if not any(problem in found for found in known):
            self.problems.append(problem)

    @cached_property
    def sources(self) -> dict[Any, tuple[str | None, str | None, int | None]]:
        """activity_id -> (file, sheet, row) where the activity starts in its input."""
        acts = self.activities
        files = acts["file"].astype(object).where(acts["file"].notna(), None)
        sheets = acts["sheet"].astype(object).where(acts["sheet"].notna(), None)
        rows = [int(r) for r in acts["row"]]
        return {
            a: (f, s, r)
            for a, f, s, r in zip(acts["activity_id"], files, sheets, rows, strict=True)
        }

    def report_source_cut(self, field_name: str, length: int, activity_id: Any) -> None:
        """An input text over Excel's cell limit was cut; the problem names its activity.

        One problem per activity and field, however many sheets show the text.
        """
        file, sheet, row = self.sources.get(activity_id, (None, None, None))
        message = (
            f"El texto de «{field_name}» tiene {thousands(length)} caracteres y Excel admite "
            f"{thousands(MAX_CELL_CHARS)} por celda: se recortó en el consolidado; el original "
            "queda intacto."
        )
        self.report(
            Problem(
                file=file or self.output_name,
                sheet=sheet,
                row=row,
                column=None,
                severity=Severity.WARNING,
                code=CUT_TEXT,
                message=message,
            )
        )

    def report_cell_cut(self, sheet: str, row: int, col: int, field_name: str, length: int) -> None:
        """A text the writer composed was cut; the problem points at its cell (0-based)."""
        message = (
            f"El texto de «{field_name}» tiene {thousands(length)} caracteres y Excel admite "
            f"{thousands(MAX_CELL_CHARS)} por celda: se recortó en la hoja {sheet} del "
            "consolidado."
        )
        self.report(
            Problem(
                file=self.output_name,
                sheet=sheet,
                row=row + 1,
                column=column_letter(col),
                severity=Severity.WARNING,
                code=CUT_TEXT,
                message=message,
            )
        )

    # The run ----------------------------------------------------------------------------

    @property
    def activities(self) -> pd.DataFrame:
        return self.result.activities

    @property
    def thresholds(self) -> Thresholds:
        return getattr(self.result, "thresholds", DAFP_THRESHOLDS)

    @property
    def run_date(self) -> dt.date:
        local = self.created.astimezone() if self.created.tzinfo else self.created
        return local.date()

    @cached_property
    def entity_names(self) -> list[str]:
        """The entities of the run: those the files named, else those on the activities."""
        named = [e for e in self.result.entities if e]
        if named:
            return named
        found = self.activities["entity"].dropna().astype(str).unique().tolist()
        return found or []

    @cached_property
    def entity_text(self) -> str:
        return ", ".join(self.entity_names) or NO_ENTITY

    @cached_property
    def entity_sheets(self) -> bool:
        """Whether the workbook has the per-entity sheets, Seguimiento OCI and Por
        responsable: not for the consolidated report.

        Seguimiento OCI is each entity's official form and Por responsable the list an OCI
        sends its own areas. Past ``FORMS_MAX`` entities (the publication's rule, stated once
        there) the consolidator follows entities, each of which publishes its form and chases
        its areas from its own run; at 1,000 files the two were 0.9 of the workbook's 2.4 M
        cells and 18 s of its 29 s, for 104 forms nobody publishes from here (every activity
        is still in Actividades). --todos-los-formularios keeps them.
        """
        return not is_consolidated(self.result, self.all_forms)

    @cached_property
    def several_entities(self) -> bool:
        return self.activities["entity"].dropna().nunique() > 1

    @cached_property
    def vigencia(self) -> str:
        years = [str(y) for y in self.result.years]
        return ", ".join(years) or str(self.result.cutoff.year)

    @cached_property
    def grid_year(self) -> int:
        """The year the Cronograma's month grid shows: the vigencia when it is one year."""
        years = self.result.years
        return years[0] if len(years) == 1 else self.result.cutoff.year

    @cached_property
    def page_header(self) -> str:
        """Entity left, sheet centre, cut-off right; '&' escaped, within Excel's 255 characters."""
        entity = self.entity_text
        if len(entity) > 90:
            entity = entity[:89] + "…"
        entity = entity.replace("&", "&&")
        text = f"&L&9{entity}&C&9Seguimiento {self.result.program} · &A&R&9Corte: {self.result.cutoff:%d/%m/%Y}"
        return text[:MAX_HEADER_CHARS]

    @cached_property
    def page_footer(self) -> str:
        return f"&L&8Generado el {self.run_date:%d/%m/%Y} con pac-excel&CPágina &P de &N"

    # Figures ----------------------------------------------------------------------------

    @cached_property
    def components(self) -> pd.DataFrame:
        return summary.component_summary(self.activities, self.thresholds)

    @cached_property
    def overall(self) -> summary.Overall:
        return summary.overall_summary(self.activities)

    @cached_property
    def deliveries(self) -> pd.DataFrame:
        """The checked deliveries with their state at the cut, numbered from 0 in order."""
        deliveries: pd.DataFrame = self.result.deliveries.reset_index(drop=True)
        return deliveries

    @cached_property
    def areas(self) -> pd.DataFrame:
        return owner_areas(self.activities)

    @cached_property
    def area_table(self) -> pd.DataFrame:
        return summary.area_summary(self.activities, self.areas, self.deliveries, self.thresholds)

    @cached_property
    def pending(self) -> pd.DataFrame:
        """What each activity owed at the cut and still misses (pending.activity_pending)."""
        return activity_pending(self.activities, self.deliveries)

    @cached_property
    def publication(self) -> summary.Publication:
        result = self.result
        return summary.publication_status(result.cutoff, self.run_date, result.publication_days)

    def area_label(self, entity: Any, area: str) -> str:
        """An area as users read it; the entity is added when the run has several."""
        if self.several_entities and isinstance(entity, str) and entity:
            return f"{area} ({entity})"
        return area
