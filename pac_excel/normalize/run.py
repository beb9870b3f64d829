"""normalize: raw sheets in, the ``activities`` and ``deliveries`` frames out.

Real follow-ups are printed documents saved as spreadsheets: page letterheads between rows,
activities broken across page breaks, numbered sub-items on rows of their own, blank cells
that mean "same as above", component and subcomponent headings, totals and colour legends,
one sheet per component or per cut, several cuts side by side. This stage rebuilds one record
per activity from them and accounts for every non-blank row: it is an activity, part of one,
context (a heading), history (another cut), or reported as skipped with its reason.

The activity text is kept as written, including a leading number ("1.1 Actualizar …"): it is
how the office and the OCI refer to the activity, and the frame has no column for it. A number
in a column of its own ("No", "Nº", "#") is not added to the text; Archivo, Hoja and Fila
locate the row.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from pac_excel.frames import ACTIVITY_DTYPES, DELIVERY_DTYPES, HISTORY_DTYPES, ROW_DTYPES, empty
from pac_excel.normalize.catalog import Catalog, component_from_sheet_name, load_catalog
from pac_excel.normalize.choice import (
    ProgramChoice,
    choose_program,
    file_catalog,
    plan_sections_notice,
    with_names,
)
from pac_excel.normalize.cutoff import file_cutoff, origin
from pac_excel.normalize.history import add_block_history, add_history_sheet, history_frame
from pac_excel.normalize.model import History, Prepared, Run, SourceInfo, match_key
from pac_excel.normalize.programs import Program, load_program
from pac_excel.normalize.records import fates, sheet_records
from pac_excel.normalize.sheets import (
    choose_history_sheets,
    prepare,
    report_unused_columns,
    skip_sheet,
)
from pac_excel.problems import Problem, Severity
from pac_excel.read.sheets import RawSheet
from pac_excel.text import Shared

__all__ = [
    "Assembly",
    "FilePart",
    "Normalized",
    "Settings",
    "SourceInfo",
    "assemble",
    "normalize",
    "normalize_file",
]


@dataclass
class Normalized:
    """normalize's output: the two frames plus what each file said about itself."""

    activities: pd.DataFrame
    deliveries: pd.DataFrame
    sources: list[SourceInfo]
    rows: pd.DataFrame  # frames.ROW_DTYPES: the fate of every non-blank source row
    history: pd.DataFrame = field(default_factory=lambda: empty(HISTORY_DTYPES))


@dataclass(frozen=True)
class Settings:
    """What every file is normalized with: the same for all files of a run (picklable)."""

    catalog: Catalog | None = None  # given by the caller, else each file's program's
    cutoff: dt.date | None = None
    program: Program | None = None
    names: tuple[tuple[str, int | str], ...] = ()
    # Whether parts carry every source row's fate (``Normalized.rows``): a consolidation
    # never shows them, and at thousands of files they were its largest list.
    rows: bool = True

    @classmethod
    def of(
        cls,
        catalog: Catalog | None,
        cutoff: dt.date | None,
        program: Program | None,
        names: Mapping[str, int | str] | None,
        *,
        rows: bool = True,
    ) -> Settings:
        return cls(catalog, cutoff, program, tuple(sorted((names or {}).items())), rows)


@dataclass
class FilePart:
    """One file normalized on its own, activity ids counted from 0 within the file.

    No file depends on another: ``assemble`` numbers the parts' ids one after the other, so
    files can be normalized in any process and in any order and still give one run's frames.
    """

    file: str
    # column -> one value per activity (frames.ACTIVITY_DTYPES order): columns, not one dict
    # per activity, are what a worker sends back and what the parent holds until ``assemble``.
    activities: dict[str, list[object]]
    deliveries: list[tuple[int, int, dt.date]]
    fates: list[tuple[str, str, int, str, int | None, str | None]]
    history: list[History]
    source: SourceInfo | None
    problems: list[Problem]


def normalize(
    sheets: Sequence[RawSheet],
    problems: list[Problem],
    catalog: Catalog | None = None,
    *,
    cutoff: dt.date | None = None,
    program: Program | None = None,
    names: Mapping[str, int | str] | None = None,
) -> Normalized:
    """Rebuild one record per activity from every sheet, and one per scheduled date.

    ``cutoff`` is the cut asked for (--corte): when a file keeps several cuts, it picks the
    one consolidated; without it the file's own cut, else its latest cut with data, is used.
    ``program`` (--programa) is the program every file is read as; without it each file's
    program is decided from its titles, sections and vigencia (normalize.choice). A
    ``catalog`` given is used for every file; ``names`` are the user's extra component names.
    """
    settings = Settings.of(catalog, cutoff, program, names)
    files: dict[str, list[RawSheet]] = {}
    for sheet in sheets:
        files.setdefault(sheet.file, []).append(sheet)
    return assemble([normalize_file(found, settings) for found in files.values()], problems)


def normalize_file(sheets: Sequence[RawSheet], settings: Settings) -> FilePart:
    """The sheets of one file (all with the same ``file``) as a part of the run."""
    run = Run(settings.catalog or load_catalog(), [], settings.cutoff, program=settings.program)
    run.given = settings.catalog
    run.names = settings.names
    name = sheets[0].file
    info = _normalize_file(run, list(sheets))
    if info is None:
        run.problems.append(
            Problem(
                file=name,
                sheet=None,
                row=None,
                column=None,
                severity=Severity.ERROR,
                code="sin-tabla-de-seguimiento",
                message="No se encontró una tabla de seguimiento (una fila de encabezado con "
                "columnas como ACTIVIDADES, RESPONSABLE, FECHA PROGRAMADA, % AVANCE).",
            )
        )
    columns = {name: [record.get(name) for record in run.activities] for name in ACTIVITY_DTYPES}
    fates = run.fates if settings.rows else []
    return FilePart(name, columns, run.deliveries, fates, run.history, info, run.problems)


# The activity columns whose values are texts (or <NA>): the ones ``Shared`` can dedupe.
_TEXT_COLUMNS = frozenset(name for name, dtype in ACTIVITY_DTYPES.items() if dtype == "string")


def assemble(parts: Iterable[FilePart], problems: list[Problem]) -> Normalized:
    """The run's frames from its files' parts, in order, each file's ids after the last's."""
    assembly = Assembly()
    for part in parts:
        assembly.add(part)
    return assembly.finish(problems)


class Assembly:
    """The run's frames built part by part, so a part can be dropped as soon as it is added.

    Parts are added in listing order; each file's ids follow the last file's. Equal texts are
    kept once (``Shared``): a component's label, an area's name or a state repeats on
    thousands of rows, and each part brings its own copy of it.
    """

    def __init__(self) -> None:
        self.columns: dict[str, list[object]] = {name: [] for name in ACTIVITY_DTYPES}
        self.deliveries: list[tuple[int, int, dt.date]] = []
        self.fates: list[tuple[str, str, int, str, int | None, str | None]] = []
        self.history: list[History] = []
        self.sources: list[SourceInfo] = []
        self.problems: list[Problem] = []
        self.shared = Shared()

    def add(self, part: FilePart) -> None:
        shared, base = self.shared, len(self.columns["activity_id"])
        for name, values in part.activities.items():
            if name == "activity_id":
                self.columns[name].extend(base + int(local) for local in values)  # type: ignore[call-overload]
            elif name in _TEXT_COLUMNS:
                self.columns[name].extend(shared.each(values))
            else:  # numbers, dates, flags: nothing to share
                self.columns[name].extend(values)
        self.deliveries.extend((base + a, n, d) for a, n, d in part.deliveries)
        self.fates.extend(
            (shared(f), shared(s), r, role, None if i is None else base + i, shared(why))
            for f, s, r, role, i, why in part.fates
        )
        self.history.extend((None if h[0] is None else base + h[0], *h[1:]) for h in part.history)
        if part.source is not None:
            self.sources.append(part.source)
        self.problems.extend(part.problems)

    def finish(self, problems: list[Problem]) -> Normalized:
        """The frames; the parts' normalizing problems are added to ``problems`` in order."""
        problems.extend(self.problems)
        frame = pd.DataFrame(self.columns, columns=list(ACTIVITY_DTYPES)).astype(ACTIVITY_DTYPES)
        self.columns = {}
        delivery_frame = pd.DataFrame.from_records(self.deliveries, columns=list(DELIVERY_DTYPES))
        delivery_frame["date"] = pd.to_datetime(delivery_frame["date"]).astype("datetime64[s]")
        delivery_frame = delivery_frame.astype(DELIVERY_DTYPES)
        row_frame = pd.DataFrame.from_records(self.fates, columns=list(ROW_DTYPES))
        row_frame = row_frame.astype(ROW_DTYPES)
        history = history_frame(self.history)
        return Normalized(frame, delivery_frame, self.sources, row_frame, history)


def _normalize_file(run: Run, sheets: list[RawSheet]) -> SourceInfo | None:
    """All sheets of one file; a file that keeps one sheet per cut uses one, the rest history."""
    prepared = [prepare(run, sheet) for sheet in sheets]
    choice = _use_program(run, prepared)
    history_sheets = choose_history_sheets(run, prepared)
    named = [
        p
        for p in prepared
        if p.header is not None and component_from_sheet_name(p.sheet.sheet, run.catalog)
    ]
    run.per_component_sheets = len(named) >= 2
    consolidated: list[Prepared] = []
    chosen_records: dict[str, list[int]] = {}
    first_of_file = len(run.activities)
    for item in prepared:
        if item.header is None:
            skip_sheet(run, item)
        elif item not in history_sheets:
            consolidated.append(item)
            first_id = len(run.activities)
            _build_sheet(run, item)
            if history_sheets:  # the keys only serve to match the other cuts' activities
                _add_keys(run, first_id, chosen_records)
    for item, label in history_sheets.items():
        add_history_sheet(run, item, label, chosen_records)
    if not consolidated and not history_sheets:
        return None
    file = sheets[0].file
    _plan_sections(run, file, first_of_file, choice.program)
    entity = next((p.meta.entity for p in consolidated if p.meta.entity), None)
    year = next((p.meta.year for p in consolidated if p.meta.year), None)
    meta = file_cutoff(file, [p.meta for p in consolidated], year)
    program, reason = choice.program, choice.reason
    if meta is None:
        found = SourceInfo(file, entity, year, None, None, None, program, reason)
    else:
        year = year or (meta.cutoff.year if meta.cutoff else None)
        found = SourceInfo(
            file, entity, year, meta.cutoff, meta.where, origin(meta), program, reason
        )
    return _with_stated(found, consolidated)


def _add_keys(run: Run, first_id: int, chosen: dict[str, list[int]]) -> None:
    """The match keys of the activities from ``first_id`` on, for the history sheets."""
    for activity_id in range(first_id, len(run.activities)):
        key = match_key(str(run.activities[activity_id]["activity"]))
        chosen.setdefault(key, []).append(activity_id)


def _with_stated(found: SourceInfo, consolidated: Sequence[Prepared]) -> SourceInfo:
    """For the publication: the date and the signature lines the file states, if any."""
    published = next((p.meta.published for p in consolidated if p.meta.published), None)
    signed = next((p.meta.signatures for p in consolidated if p.meta.signatures), {})
    return dataclasses.replace(found, published=published, signatures=signed)


def _use_program(run: Run, prepared: Sequence[Prepared]) -> ProgramChoice:
    """Decide the file's program and set ``run.catalog`` to its catalog for this file."""
    if run.given is not None:
        choice = choose_program(prepared, run.program or load_program())
        if run.program is None:
            choice = ProgramChoice(choice.program, "catálogo de componentes indicado")
        base = run.given
    else:
        choice = choose_program(prepared, run.program)
        base = with_names(choice.program.catalog, choice.program, run.names)
    run.catalog = file_catalog(prepared, choice.program, base, run.problems)
    return choice


def _plan_sections(run: Run, file: str, first: int, program: Program) -> None:
    """Say once per file which of its sections belong to the Plan de Acción."""
    used = {run.activities[i]["component"] for i in range(first, len(run.activities))}
    labels = [c.label for c in run.catalog.components if c.plan and c.number in used]
    notice = plan_sections_notice(file, labels, program)
    if notice is not None:
        run.problems.append(notice)


def _build_sheet(run: Run, item: Prepared) -> None:
    """Activities of one plan sheet into the run, with its rows' fates and block history."""
    assert item.header is not None
    context, finished, records = sheet_records(
        item, run.problems, run.catalog, run.per_component_sheets
    )
    sheet = item.sheet
    report_unused_columns(context)
    first_id = len(run.activities)
    for record in records:
        activity_id = len(run.activities)
        dates = record.pop("_dates")
        assert isinstance(dates, tuple)
        record["activity_id"] = activity_id
        run.activities.append(record)
        run.deliveries.extend((activity_id, n, d) for n, d in enumerate(dates, start=1))
    for row, role, index, why in fates(context, finished):
        run.fates.append(
            (sheet.file, sheet.sheet, row, role, None if index is None else first_id + index, why)
        )
    add_block_history(run, context, finished, first_id)
