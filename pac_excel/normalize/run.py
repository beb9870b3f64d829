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

import datetime as dt
import numbers
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import PurePath

import pandas as pd

from pac_excel.frames import ACTIVITY_DTYPES, DELIVERY_DTYPES, empty
from pac_excel.normalize.catalog import (
    Catalog,
    component_from_sheet_name,
    component_label,
    infer_component,
    load_catalog,
    parse_component_heading,
)
from pac_excel.normalize.header import (
    Header,
    PeriodColumn,
    exact_field,
    find_header,
    is_repeated_header,
)
from pac_excel.normalize.layout import (
    LEGEND,
    OTHER_PLAN,
    OTHER_POLICY,
    SUMMARY,
    TOTAL,
    CutOption,
    choose_cut,
    content_skip_reason,
    is_legend_row,
    is_paac_plan,
    is_total_row,
    paac_policy,
    sheet_skip_reason,
    subcomponent_heading,
    summary_table,
)
from pac_excel.parse.periods import cut_from_name, cut_from_text, month_end, norm, sheet_cut_tag
from pac_excel.parse.progress import Progress, column_uses_whole_numbers, parse_progress
from pac_excel.parse.schedule import parse_schedule
from pac_excel.problems import Problem, Severity, column_letter
from pac_excel.read.sheets import RawSheet
from pac_excel.text import MAX_CELL_CHARS, cell_text, fold, is_blank, join_text

TEXT_FIELDS = ("component", "subcomponent", "activity", "done", "goal", "owner", "followup")
# Sub-items "1. …", "2) …" but not activity numbers like "1.1 …".
SUBITEM = re.compile(r"^(\d{1,2})[.)]\s+(?!\d)\S")
ACTIVITY_NUMBER = re.compile(r"^\d{1,2}(?:\.\d{1,2})+\.?\s+")
DATA_TEXT = re.compile(r"^\s*[-+]?[\d.,/%\s-]*\d[\d.,/%\s-]*$")
NUMBER_LABEL = re.compile(r"^\d{1,3}(?:\.\d{1,3})*\.?$")
ENDS_SENTENCE = re.compile(r"[.;:!?)\]»”\"]$")
ENTITY_WORDS = re.compile(
    r"^(gobernacion|alcaldia|municipio|departamento|contraloria|personeria|concejo|asamblea|"
    r"e s e|ese|hospital|instituto|universidad|corporacion|empresa|superintendencia|ministerio|"
    r"agencia|unidad|fondo|caja|lot[ae]ria|terminal|institucion|colegio|policia|fiscalia)\b"
)
CUTOFF_LABEL = re.compile(r"\b(fecha (de )?corte|corte|fecha (de )?seguimiento|periodo)\b")
ENTITY_LABEL = re.compile(r"^entidad\b")
YEAR_LABEL = re.compile(r"^(vigencia|ano|año)\b")
YEAR = re.compile(r"(?<!\d)(20\d{2})(?!\d)")
TITLE_WORDS = re.compile(r"\b(plan|paac|ptep|seguimiento|anticorrupcion|estrategia|vigencia)\b")
SIGNATURE = re.compile(
    r"^(elaboro|preparo|reviso|aprobo|proyecto|firma|firmado|original firmado|jefe|asesor|"
    r"profesional|vo bo|visto bueno)\b"
)
COMPONENT_HEADING = re.compile(r"^componente\b")
COMPONENT_IN_TITLE = re.compile(r"(?<!sub)(?<!sub )\bcomponente\b")
# An observation that contradicts a 100 % ("no se evidenció", "sin soportes").
NO_EVIDENCE = re.compile(
    r"\b(no se evidenci\w*|no se encontr\w* (los )?(soportes?|evidencias?)|"
    r"sin (evidencias?|soportes?)|no (hay|existe|existen|presenta|presento|aporto|aporta|allego|"
    r"remitio|se aporto|se aportaron|se allego|se remitio|se presento|se presentaron) "
    r"(la |las |los )?(evidencias?|soportes?)|no se (ha |han )?(realizado|ejecutado|cumplido)|"
    r"no se realizo|no se cumplio)"
)
NOT_MARKED = frozenset({"", "-", "0", "0%", "no", "n a", "na", "no aplica", "n/a", "x0"})

# Why a row is not an activity; users read these in Problemas.
TITLE_BLOCK = "encabezado del documento (título, entidad, corte)"
LETTERHEAD = "membrete de página (se repite en la hoja)"
REPEATED_HEADER = "encabezado de tabla repetido (salto de página)"
OUTSIDE_TABLE = "membrete, firma o texto fuera de la tabla"
FOOTER = "firmas y pie del documento"
NO_ACTIVITY = "fila sin actividad"
ORPHAN_DATA = "datos sin actividad (no hay actividad arriba)"
NO_TABLE = "hoja sin tabla de seguimiento"

# Where a file's cut-off came from, strongest first.
CUTOFF_CELL, CUTOFF_TEXT, CUTOFF_BLOCK, CUTOFF_SHEET, CUTOFF_FILE = 4, 3, 2, 1, 0
CUTOFF_ORIGINS = {
    CUTOFF_CELL: "celda",
    CUTOFF_TEXT: "texto",
    CUTOFF_BLOCK: "seguimiento",
    CUTOFF_SHEET: "hoja",
    CUTOFF_FILE: "archivo",
}


@dataclass(frozen=True)
class SourceInfo:
    """What one file says about itself: entity, vigencia and cut-off, with where it said it.

    ``cutoff_origin`` says how strong the cut-off is: "celda" (a "Fecha de corte:" cell),
    "texto" (a title such as "II Cuatrimestre 2020"), "seguimiento" (the side-by-side block
    used), "hoja" or "archivo" (the sheet or file name).
    """

    file: str
    entity: str | None
    year: int | None
    cutoff: dt.date | None
    cutoff_where: str | None  # "[libro.xlsx]Hoja!C7"
    cutoff_origin: str | None = None


# One row per non-blank source row of every sheet: what became of it.
ROW_DTYPES: dict[str, str] = {
    "file": "string",
    "sheet": "string",
    "row": "int64",
    "role": "string",  # actividad / continuación / subítem / encabezado / omitida / historial
    "activity_id": "Int64",
    "reason": "string",  # why an omitted row was omitted; which cut a history row is
}

# The follow-ups of other cuts a file keeps (side-by-side blocks or a sheet per cut).
HISTORY_DTYPES: dict[str, str] = {
    "activity_id": "Int64",  # the consolidated activity; <NA> when it could not be matched
    "file": "string",
    "sheet": "string",
    "row": "int64",
    "cut": "string",  # "Seguimiento 1", the sheet name, …
    "cut_date": "datetime64[s]",
    "progress": "Float64",
    "progress_text": "string",
    "not_applicable": "boolean",
    "followup": "string",
}


@dataclass
class Normalized:
    """normalize's output: the two frames plus what each file said about itself."""

    activities: pd.DataFrame
    deliveries: pd.DataFrame
    sources: list[SourceInfo]
    rows: pd.DataFrame  # ROW_DTYPES: the fate of every non-blank source row
    history: pd.DataFrame = field(default_factory=lambda: empty(HISTORY_DTYPES))


@dataclass
class _Cell:
    row: int  # 1-based
    column: int  # 0-based
    value: object


@dataclass
class _Activity:
    """An activity being assembled from its first row and the rows that continue it."""

    row: int
    component: int | None
    subcomponent: str
    texts: dict[str, str]
    schedule_cells: list[_Cell] = field(default_factory=list)
    progress_cells: list[_Cell] = field(default_factory=list)
    start_cells: list[_Cell] = field(default_factory=list)
    period_marks: list[tuple[PeriodColumn, _Cell]] = field(default_factory=list)
    subitems: int = 0
    parts: list[tuple[int, str]] = field(default_factory=list)  # (row, role) it was built from
    columns: dict[str, int] = field(default_factory=dict)  # of the table it was read from


@dataclass
class _Meta:
    entity: str | None = None
    year: int | None = None
    cutoff: dt.date | None = None
    where: str | None = None
    rank: int = -1


@dataclass(eq=False)
class _Prepared:
    """One sheet after the header search: a plan table, or why it is not one."""

    sheet: RawSheet
    header: Header | None = None
    rows: list[list[object]] = field(default_factory=list)
    meta: _Meta = field(default_factory=_Meta)
    skip: str | None = None
    has_data: bool = False


@dataclass
class _SheetContext:
    sheet: RawSheet
    header: Header
    problems: list[Problem]
    year: int | None
    rows: Sequence[Sequence[object]] = ()
    skipped: list[tuple[int, str]] = field(default_factory=list)
    headings: list[tuple[int, str]] = field(default_factory=list)
    whole_numbers: dict[int, bool] = field(default_factory=dict)  # per progress column
    # The workbook has one sheet per component ("Riesgos", "Trámites", …): the sheet name
    # then decides the component before the subcomponent does.
    per_component_sheets: bool = False

    def problem(
        self, row: int | None, column: int | None, severity: Severity, code: str, message: str
    ) -> None:
        letter = column_letter(column) if column is not None else None
        self.problems.append(
            Problem(
                file=self.sheet.file,
                sheet=self.sheet.sheet,
                row=row,
                column=letter,
                severity=severity,
                code=code,
                message=message,
            )
        )


Fate = tuple[int, str, int | None, str | None]  # (row, role, index of activity, reason)
History = tuple[int | None, str, str, int, str, dt.date | None, Progress, str]


@dataclass
class _Run:
    """Everything normalize collects across files."""

    catalog: Catalog
    problems: list[Problem]
    cutoff: dt.date | None
    activities: list[dict[str, object]] = field(default_factory=list)
    deliveries: list[tuple[int, int, dt.date]] = field(default_factory=list)
    fates: list[tuple[str, str, int, str, int | None, str | None]] = field(default_factory=list)
    history: list[History] = field(default_factory=list)
    per_component_sheets: bool = False  # of the file being read


def normalize(
    sheets: Sequence[RawSheet],
    problems: list[Problem],
    catalog: Catalog | None = None,
    *,
    cutoff: dt.date | None = None,
) -> Normalized:
    """Rebuild one record per activity from every sheet, and one per scheduled date.

    ``cutoff`` is the cut asked for (--corte): when a file keeps several cuts, it picks the
    one consolidated; without it the file's own cut, else its latest cut with data, is used.
    """
    run = _Run(catalog or load_catalog(), problems, cutoff)
    sources: dict[str, SourceInfo] = {}
    files: dict[str, list[RawSheet]] = {}
    for sheet in sheets:
        files.setdefault(sheet.file, []).append(sheet)
    for name, file_sheets in files.items():
        info = _normalize_file(run, file_sheets)
        if info is not None:
            sources[name] = info
        else:
            problems.append(
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
    frame = pd.DataFrame.from_records(run.activities, columns=list(ACTIVITY_DTYPES))
    frame = frame.astype(ACTIVITY_DTYPES)
    delivery_frame = pd.DataFrame.from_records(run.deliveries, columns=list(DELIVERY_DTYPES))
    delivery_frame["date"] = pd.to_datetime(delivery_frame["date"]).astype("datetime64[s]")
    delivery_frame = delivery_frame.astype(DELIVERY_DTYPES)
    row_frame = pd.DataFrame.from_records(run.fates, columns=list(ROW_DTYPES)).astype(ROW_DTYPES)
    return Normalized(
        frame, delivery_frame, list(sources.values()), row_frame, _history_frame(run.history)
    )


def _history_frame(history: list[History]) -> pd.DataFrame:
    if not history:
        return empty(HISTORY_DTYPES)
    records = [
        (
            activity_id,
            file,
            sheet,
            row,
            cut,
            cut_date,
            p.value if not p.not_applicable else None,
            p.text or None,
            p.not_applicable,
            followup or None,
        )
        for activity_id, file, sheet, row, cut, cut_date, p, followup in history
    ]
    frame = pd.DataFrame.from_records(records, columns=list(HISTORY_DTYPES))
    frame["cut_date"] = pd.to_datetime(frame["cut_date"]).astype("datetime64[s]")
    return frame.astype(HISTORY_DTYPES)


# File level --------------------------------------------------------------------------------


def _normalize_file(run: _Run, sheets: list[RawSheet]) -> SourceInfo | None:
    """All sheets of one file; a file that keeps one sheet per cut uses one, the rest history."""
    prepared = [_prepare(run, sheet) for sheet in sheets]
    history_sheets = _choose_cut_sheet(run, prepared)
    named = [
        p
        for p in prepared
        if p.header is not None and component_from_sheet_name(p.sheet.sheet, run.catalog)
    ]
    run.per_component_sheets = len(named) >= 2
    best: tuple[int, _Meta] | None = None
    entity: str | None = None
    year: int | None = None
    tables = 0
    chosen_records: dict[str, list[int]] = {}
    for item in prepared:
        if item.header is None or item in history_sheets:
            if item.header is None:
                _skip_sheet(run, item)
            continue
        tables += 1
        first_id = len(run.activities)
        _build_sheet(run, item)
        for activity_id in range(first_id, len(run.activities)):
            key = _match_key(str(run.activities[activity_id]["activity"]))
            chosen_records.setdefault(key, []).append(activity_id)
        entity = entity or item.meta.entity
        year = year or item.meta.year
        if item.meta.cutoff is not None and (best is None or item.meta.rank > best[0]):
            best = (item.meta.rank, item.meta)
    for item, label in history_sheets.items():
        tables += 1
        _build_history_sheet(run, item, label, chosen_records)
    if not tables:
        return None
    file = sheets[0].file
    if best is None:
        # The file name, else the folders it was found in ("Corte abril 2020/…").
        path = PurePath(file)
        for part, what in [
            (path.name, "del archivo"),
            *((p, "de la carpeta") for p in reversed(path.parent.parts)),
        ]:
            found = cut_from_name(part, year)
            if found is not None:
                best = (CUTOFF_FILE, _Meta(cutoff=found, where=f"nombre {what} «{part}»"))
                break
    if best is None:
        return SourceInfo(file, entity, year, None, None)
    meta = best[1]
    year = year or (meta.cutoff.year if meta.cutoff else None)
    return SourceInfo(file, entity, year, meta.cutoff, meta.where, CUTOFF_ORIGINS[best[0]])


def _prepare(run: _Run, sheet: RawSheet) -> _Prepared:
    """Header search and sheet kind; metadata and the cut block for plan tables."""
    rows = sheet.rows
    item = _Prepared(sheet)
    header = find_header(rows, merged=sheet.merged)
    last = header.row if header is not None else min(len(rows), 40) - 1
    reason = sheet_skip_reason(sheet.sheet) or content_skip_reason(rows, last)
    if reason is None and header is not None and summary_table(rows, header):
        reason = SUMMARY
    if reason is not None or header is None:
        item.skip = reason
        return item
    item.rows = _fill_merged(sheet, header)
    item.meta = _metadata(sheet, item.rows, header)
    if len(header.blocks) >= 2:
        header = _choose_block(run, sheet, item.rows, header, item.meta)
    item.header = header
    item.has_data = _has_followup(item.rows, header)
    return item


def _skip_sheet(run: _Run, item: _Prepared) -> None:
    """One Información line for a sheet that is not a plan table; its rows are accounted."""
    sheet = item.sheet
    nonblank = [i + 1 for i, r in enumerate(sheet.rows) if any(not is_blank(v) for v in r)]
    if not nonblank and item.skip is None:
        return  # an empty "Hoja2": nothing to say
    if item.skip is not None:
        run.problems.append(
            Problem(
                file=sheet.file,
                sheet=sheet.sheet,
                row=None,
                column=None,
                severity=Severity.INFO,
                code="hoja-omitida",
                message=f"Hoja omitida: {item.skip}; no se leyeron actividades de ella.",
            )
        )
        reason = f"hoja omitida: {item.skip}"
    else:
        run.problems.append(
            Problem(
                file=sheet.file,
                sheet=sheet.sheet,
                row=None,
                column=None,
                severity=Severity.INFO,
                code="hoja-sin-tabla",
                message="La hoja no tiene una tabla de seguimiento (no se encontró la fila de "
                "encabezado); no se leyeron actividades de ella.",
            )
        )
        reason = NO_TABLE
    run.fates.extend((sheet.file, sheet.sheet, r, "omitida", None, reason) for r in nonblank)


def _choose_cut_sheet(run: _Run, prepared: list[_Prepared]) -> dict[_Prepared, str]:
    """When plan sheets are named after cuts ("Seguimiento 1", "II Cuatrimestre"), keep one.

    Returns the other cut sheets with their cut label; they become history.
    """
    tagged = [(p, sheet_cut_tag(p.sheet.sheet)) for p in prepared if p.header is not None]
    cuts = [(p, tag) for p, tag in tagged if tag is not None]
    if len(cuts) < 2:
        return {}
    count = len(cuts)
    options = [
        CutOption(
            p.sheet.sheet,
            tag.date(p.meta.year, count) if p.meta.rank < CUTOFF_TEXT else p.meta.cutoff,
            (tag.key[0], i),
            p.has_data,
        )
        for i, (p, tag) in enumerate(cuts)
    ]
    stated = None  # each sheet states its own cut: no file-wide statement to follow
    index, why = choose_cut(options, run.cutoff, stated)
    chosen = cuts[index][0]
    listing = ", ".join(f"«{o.label}»" for o in options)
    run.problems.append(
        Problem(
            file=chosen.sheet.file,
            sheet=None,
            row=None,
            column=None,
            severity=Severity.INFO,
            code="varios-cortes",
            message=f"El archivo tiene un seguimiento por hoja ({listing}); se consolidó la hoja "
            f"«{chosen.sheet.sheet}» ({why}). Las demás se guardan como historial.",
        )
    )
    chosen_date = options[index].date
    if chosen_date is not None and chosen.meta.rank < CUTOFF_BLOCK:
        chosen.meta.cutoff = chosen_date
        chosen.meta.where = f"[{chosen.sheet.file}]{chosen.sheet.sheet} (nombre de la hoja)"
        chosen.meta.rank = CUTOFF_SHEET
    return {p: o.label for (p, _), o in zip(cuts, options, strict=True) if p is not chosen}


def _choose_block(
    run: _Run, sheet: RawSheet, rows: Sequence[Sequence[object]], header: Header, meta: _Meta
) -> Header:
    """Pick the side-by-side follow-up to consolidate; the others stay as history."""
    count = len(header.blocks)
    options = [
        CutOption(
            block.label,
            block.tag.date(meta.year, count),
            (block.tag.key[0], i),
            _has_followup(rows, header.with_block(i)),
        )
        for i, block in enumerate(header.blocks)
    ]
    stated = meta.cutoff if meta.rank >= CUTOFF_TEXT else None
    index, why = choose_cut(options, run.cutoff, stated)
    listing = ", ".join(f"«{o.label}»" for o in options)
    run.problems.append(
        Problem(
            file=sheet.file,
            sheet=sheet.sheet,
            row=header.row + 1,
            column=None,
            severity=Severity.INFO,
            code="varios-cortes",
            message=f"La hoja tiene {count} seguimientos lado a lado ({listing}); se consolidó "
            f"«{options[index].label}» ({why}). Los demás se guardan como historial.",
        )
    )
    chosen = options[index]
    if chosen.date is not None and meta.rank < CUTOFF_BLOCK:
        meta.cutoff = chosen.date
        meta.where = (
            f"[{sheet.file}]{sheet.sheet}!{header.row + 1}:{header.row + 1} («{chosen.label}»)"
        )
        meta.rank = CUTOFF_BLOCK
    return header.with_block(index)


def _has_followup(rows: Sequence[Sequence[object]], header: Header) -> bool:
    """Whether any data row has a progress or follow-up value in the header's columns."""
    columns = [header.columns[f] for f in ("progress", "followup", "done") if f in header.columns]
    return any(
        c < len(row) and not is_blank(row[c]) for row in rows[header.row + 1 :] for c in columns
    )


def _report_unused_columns(context: _SheetContext) -> None:
    """Say which headed columns with data pac-excel does not use ("Estado", "Evidencias 2"…):
    their cells are not in the consolidated workbook, and a user should know that."""
    header = context.header
    used = set(header.columns.values())
    used.update(c for columns in header.more.values() for c in columns)
    used.update(p.column for p in header.periods)
    used.update(c for block in header.blocks for c in block.columns.values())
    rows = context.rows[header.row + 1 :]
    unused = [
        (column, label)
        for column, label in _header_texts(context.rows, header).items()
        if column not in used
        and any(column < len(row) and not is_blank(row[column]) for row in rows)
    ]
    if unused:
        listing = ", ".join(f"{column_letter(c)} «{label}»" for c, label in unused)
        context.problem(
            header.row + 1,
            None,
            Severity.INFO,
            "columna-no-usada",
            f"Estas columnas tienen datos pero no forman parte del consolidado: {listing}.",
        )


def _header_texts(rows: Sequence[Sequence[object]], header: Header) -> dict[int, str]:
    """Each column's header text, from the lowest header row that has one."""
    texts: dict[int, str] = {}
    for index in range(header.row, header.first_row - 1, -1):
        for column, value in enumerate(rows[index]):
            if column not in texts and isinstance(value, str) and value.strip():
                texts[column] = cell_text(value)
    return dict(sorted(texts.items()))


def _match_key(text: str) -> str:
    """Activity text for matching across cuts: folded, without a leading number."""
    return ACTIVITY_NUMBER.sub("", fold(text)).strip()[:120]


# Sheet level -------------------------------------------------------------------------------


def _build_sheet(run: _Run, item: _Prepared) -> None:
    """Activities of one plan sheet into the run, with its rows' fates and block history."""
    assert item.header is not None
    context, finished, records = _sheet_records(
        item, run.problems, run.catalog, run.per_component_sheets
    )
    sheet = item.sheet
    _report_unused_columns(context)
    first_id = len(run.activities)
    for record in records:
        activity_id = len(run.activities)
        dates = record.pop("_dates")
        assert isinstance(dates, tuple)
        record["activity_id"] = activity_id
        run.activities.append(record)
        run.deliveries.extend((activity_id, n, d) for n, d in enumerate(dates, start=1))
    for fate in _fates(context, finished):
        row, role, index, why = fate
        run.fates.append(
            (sheet.file, sheet.sheet, row, role, None if index is None else first_id + index, why)
        )
    header = item.header
    if len(header.blocks) >= 2:
        count = len(header.blocks)
        for i, block in enumerate(header.blocks):
            if i == header.block:
                continue
            other = header.with_block(i)
            when = block.tag.date(context.year, count)
            for index, activity in enumerate(finished):
                progress, followup = _block_values(context, other, activity)
                if progress.blank and not followup:
                    continue
                run.history.append(
                    (
                        first_id + index,
                        sheet.file,
                        sheet.sheet,
                        activity.row,
                        block.label,
                        when,
                        progress,
                        followup,
                    )
                )


def _build_history_sheet(
    run: _Run, item: _Prepared, label: str, chosen: dict[str, list[int]]
) -> None:
    """A sheet of another cut: its activities become history rows of the consolidated ones."""
    assert item.header is not None
    scratch: list[Problem] = []  # its cells were reported in the cut they belong to
    context, finished, records = _sheet_records(
        item, scratch, run.catalog, run.per_component_sheets
    )
    sheet = item.sheet
    when = item.meta.cutoff
    tag = sheet_cut_tag(sheet.sheet)
    if tag is not None and item.meta.rank < CUTOFF_TEXT:
        when = tag.date(item.meta.year) or when
    used: Counter[str] = Counter()
    ids: list[int | None] = []
    for activity, record in zip(finished, records, strict=True):
        key = _match_key(str(record["activity"]))
        candidates = chosen.get(key, [])
        activity_id = candidates[used[key]] if used[key] < len(candidates) else None
        used[key] += 1
        ids.append(activity_id)
        progress = _progress(context, activity, report=False)
        run.history.append(
            (
                activity_id,
                sheet.file,
                sheet.sheet,
                activity.row,
                label,
                when,
                progress,
                str(record["followup"] or ""),
            )
        )
    why = f"seguimiento de otro corte (hoja «{sheet.sheet}»)"
    for row, role, index, reason in _fates(context, finished):
        if index is None:
            run.fates.append((sheet.file, sheet.sheet, row, role, None, reason))
        else:
            run.fates.append((sheet.file, sheet.sheet, row, "historial", ids[index], why))


def _sheet_records(
    item: _Prepared, problems: list[Problem], catalog: Catalog, per_component_sheets: bool
) -> tuple[_SheetContext, list[_Activity], list[dict[str, object]]]:
    assert item.header is not None
    header = item.header
    meta = item.meta
    context = _SheetContext(item.sheet, header, problems, meta.year, item.rows)
    context.per_component_sheets = per_component_sheets
    above = [
        i + 1
        for i, r in enumerate(item.rows[: header.first_row])
        if any(not is_blank(v) for v in r) and _heading_above(r, catalog) is None
    ]
    # The title block is one run of rows, whatever blank rows sit between its lines.
    context.skipped.extend((r, TITLE_BLOCK) for r in above)
    context.headings.extend(
        (i + 1, "encabezado") for i in range(header.row + 1) if i + 1 not in above
    )
    finished = _activities(context, item.rows, catalog)
    records = [_record(context, a, catalog) for a in finished]
    _report_skipped(context)
    for record in records:
        record.update(entity=meta.entity, year=meta.year)
    return context, finished, records


def _fates(context: _SheetContext, finished: list[_Activity]) -> list[Fate]:
    fates: list[Fate] = [(r, role, i, None) for i, a in enumerate(finished) for r, role in a.parts]
    fates += [(r, "encabezado", None, None) for r, _ in context.headings]
    fates += [(r, "omitida", None, why) for r, why in context.skipped]
    rows = context.sheet.rows
    nonblank = {i + 1 for i, r in enumerate(rows) if any(not is_blank(v) for v in r)}
    return sorted((f for f in fates if f[0] in nonblank), key=lambda f: f[0])


def _fill_columns(header: Header) -> set[int]:
    names = ("component", "subcomponent", "owner", "dates", "start", "end", "plan", "policy")
    return {header.columns[f] for f in names if f in header.columns}


def _fill_merged(sheet: RawSheet, header: Header) -> list[list[object]]:
    """Copy a merged cell's value into the cells it spans, for context columns only.

    A subcomponent, owner or date merged over several activity rows applies to each of them,
    and a mark merged over several period columns marks each period; an activity or progress
    cell is never duplicated.
    """
    rows = [list(r) for r in sheet.rows]
    fill_columns = _fill_columns(header)
    period_columns = {p.column for p in header.periods}
    for (top, left), (bottom, right) in sheet.merged:
        if top <= header.row or top >= len(rows) or left >= len(rows[top]):
            continue
        value = rows[top][left]
        if is_blank(value):
            continue
        last = min(bottom, len(rows) - 1)
        if left in period_columns:
            cells = [
                (r, c)
                for r in range(top, last + 1)
                for c in range(left, right + 1)
                if c in period_columns
            ]
        elif left in fill_columns:
            cells = [(r, left) for r in range(top + 1, last + 1)]
        else:
            continue
        for r, c in cells:
            if c < len(rows[r]) and is_blank(rows[r][c]):
                rows[r][c] = value
    return rows


def _metadata(sheet: RawSheet, rows: Sequence[Sequence[object]], header: Header) -> _Meta:
    """Entity, vigencia and cut-off from the rows that are not table data.

    A cut-off in a labelled cell ("Fecha de corte: 30/04/2020") beats one in words in a title
    or heading ("II Cuatrimestre"), which beats the sheet name.
    """
    meta = _Meta()
    text_cut: tuple[dt.date, str] | None = None
    title_year: int | None = None
    entity_guess: str | None = None  # a letterhead line; an "Entidad:" cell wins over it
    table_columns = set(header.columns.values())
    activity_col = header.columns["activity"]
    band = range(header.first_row, header.row + 1)
    for r, row in enumerate(rows):
        cells = [(c, v) for c, v in enumerate(row) if not is_blank(v)]
        if not cells:
            continue
        in_band = r in band
        if r > header.row and activity_col < len(row) and not is_blank(row[activity_col]):
            # Inside the table only rows with no activity text can carry metadata.
            continue
        # Titles above the table, and heading rows inside it ("COMPONENTE 1: … SEGUIMIENTO
        # POR LA OCI A DICIEMBRE 2019"), may state the cut in words; observations may not.
        heading_like = r <= header.row or (
            len({cell_text(v) for _, v in cells}) == 1
            and isinstance(cells[0][1], str)
            and (COMPONENT_IN_TITLE.search(fold(cells[0][1])) is not None or cells[0][1].isupper())
        )
        for position, (c, value) in enumerate(cells):
            if not isinstance(value, str):
                continue
            text = cell_text(value)
            key = fold(text)
            label, _, rest = text.partition(":")
            label_key = fold(label)
            following = cells[position + 1][1] if position + 1 < len(cells) else None
            if (
                meta.rank < CUTOFF_CELL
                and not in_band
                and CUTOFF_LABEL.search(label_key)
                and "publicacion" not in key
            ):
                candidate = rest.strip() or following
                found = parse_schedule(candidate, meta.year or title_year)
                if found.dates:
                    where_col = c if rest.strip() else cells[position + 1][0]
                    meta.cutoff = max(found.dates)
                    meta.where = f"[{sheet.file}]{sheet.sheet}!{column_letter(where_col)}{r + 1}"
                    meta.rank = CUTOFF_CELL
            if (
                text_cut is None
                and heading_like
                and not (in_band and header.blocks)
                and len(text) <= 200
            ):
                found_cut = cut_from_text(text, meta.year or title_year)
                if found_cut is not None:
                    text_cut = (found_cut, f"[{sheet.file}]{sheet.sheet}!{column_letter(c)}{r + 1}")
            if meta.entity is None and ENTITY_LABEL.match(label_key):
                value_text = rest.strip() or (cell_text(following) if following else "")
                meta.entity = value_text or None
            if meta.year is None and YEAR_LABEL.match(label_key):
                m = YEAR.search(rest) or YEAR.search(cell_text(following) if following else "")
                if m:
                    meta.year = int(m.group(1))
            in_table_data = c in table_columns and r > header.row and len(cells) > 1
            if (
                entity_guess is None
                and not in_band
                and ENTITY_WORDS.match(key)
                and len(text) < 90
                and not in_table_data
            ):
                entity_guess = text
            if title_year is None and r < header.first_row and TITLE_WORDS.search(key):
                m = YEAR.search(text)
                if m:
                    title_year = int(m.group(1))
    meta.entity = meta.entity or entity_guess
    if meta.rank < CUTOFF_TEXT and text_cut is not None:
        meta.cutoff, meta.where = text_cut
        meta.rank = CUTOFF_TEXT
    name_year = YEAR.search(sheet.sheet) or YEAR.search(PurePath(sheet.file).name)
    meta.year = (
        meta.year
        or title_year
        or (meta.cutoff.year if meta.cutoff else None)
        or (int(name_year.group(1)) if name_year else None)
    )
    if meta.cutoff is None:
        found_name = cut_from_name(sheet.sheet, meta.year)
        if found_name is not None:
            meta.cutoff = found_name
            meta.where = f"[{sheet.file}]{sheet.sheet} (nombre de la hoja)"
            meta.rank = CUTOFF_SHEET
    return meta


# Row level ---------------------------------------------------------------------------------


def _activities(
    context: _SheetContext, rows: Sequence[Sequence[object]], catalog: Catalog
) -> list[_Activity]:
    header = context.header
    columns = header.columns
    first_data = header.row + 1
    activity_col = columns["activity"]
    repeated = _repeated_texts(context.sheet.rows, first_data, activity_col, header.first_row)
    context.whole_numbers = _whole_number_columns(rows, header)
    # The official form puts "Componente: 1. …" just above the first header row; a sheet per
    # component names it in the sheet name.
    above = (_heading_above(r, catalog) for r in rows[: header.first_row])
    heading_component: int | None = next((c for c in reversed(list(above)) if c), None)
    sheet_component = component_from_sheet_name(context.sheet.sheet, catalog)
    if heading_component is None and context.per_component_sheets:
        heading_component = sheet_component
    bind = _bind(header, rows, catalog)
    plan_value = ""
    policy_value = ""
    policy_component: int | None = None
    subcomponent = ""
    current: _Activity | None = None
    skipping: str | None = None  # continuation rows of a skipped row share its fate
    finished: list[_Activity] = []
    foreign: str | None = None  # inside a table of another format, until the next plan table
    next_row = first_data
    for index in range(first_data, len(rows)):
        if index < next_row:
            continue  # rows of a header band already accounted for
        row = rows[index]
        excel_row = index + 1
        if all(is_blank(v) for v in row):
            continue
        if is_repeated_header(context.sheet.rows[index], header):  # as written, not filled
            context.skipped.append((excel_row, REPEATED_HEADER))
            continue
        if _maybe_header(row):
            other = content_skip_reason([row], 0)
            found = None if other else find_header(rows, index, 1, context.sheet.merged)
            if other is not None or found is not None:
                current, skipping = _close(current, finished), None
                if found is not None:
                    # One sheet, several tables: each component block with its own columns.
                    header, bind, foreign = found, _bind(found, rows, catalog), None
                    context.whole_numbers.update(_whole_number_columns(rows, found))
                    context.headings.extend(
                        (r + 1, "encabezado") for r in range(index, found.row + 1)
                    )
                    next_row = found.row + 1
                else:
                    foreign = f"tabla en otro formato: {other}"
                    context.skipped.append((excel_row, foreign))
                continue
        if foreign is not None:
            line = " ".join(cell_text(v) for v in row if not is_blank(v))
            if COMPONENT_HEADING.match(fold(line)):
                foreign = None
            else:
                context.skipped.append((excel_row, foreign))
                continue
        columns = bind.columns
        number_col, plan_col, policy_col = bind.number_col, bind.plan_col, bind.policy_col
        texts = {
            name: cell_text(row[col]) if col < len(row) else ""
            for name, col in bind.text_columns.items()
        }
        for name, extra in header.more.items():
            for col in extra:
                if col < len(row) and not is_blank(row[col]):
                    texts[name] = join_text(texts.get(name, ""), cell_text(row[col]), "\n")
        schedule_cells = [
            cell
            for cell in (
                _cell(row, excel_row, columns.get("dates")),
                _cell(row, excel_row, columns.get("end")),
            )
            if cell is not None
        ]
        start_cell = _cell(row, excel_row, columns.get("start"))
        marks = [
            (period, _Cell(excel_row, period.column, row[period.column]))
            for period in header.periods
            if period.column < len(row) and _marked(row[period.column])
        ]
        progress_cell = _cell(row, excel_row, columns.get("progress"))
        activity_text = texts.get("activity", "")
        table_data = (
            any(texts.get(f) for f in ("goal", "owner", "followup", "done"))
            or bool(schedule_cells or marks)
            or start_cell is not None
            or progress_cell is not None
        )
        plain_row = not texts.get("owner") and not schedule_cells
        if table_data and activity_text and schedule_cells:
            line_cells: list[str] = []  # an ordinary activity row: nothing else to look at
        else:
            line_cells = [
                cell_text(v)
                for c, v in enumerate(row)
                if not is_blank(v) and not (c == number_col and _is_number(v))
            ]
        line = " ".join(line_cells)
        if activity_text and repeated[index]:
            # The letterhead's title repeated after a page break, over the activity column;
            # the activity above may go on below it.
            context.skipped.append((excel_row, LETTERHEAD))
            continue
        if plain_row and any(is_total_row(t) for t in line_cells[:3] if len(t) <= 60):
            context.skipped.append((excel_row, TOTAL))
            current, skipping = _close(current, finished), TOTAL
            continue
        if not schedule_cells and len(line) <= 150 and line_cells and is_legend_row(line_cells):
            context.skipped.append((excel_row, LEGEND))
            current, skipping = _close(current, finished), LEGEND
            continue
        if not table_data and COMPONENT_HEADING.match(fold(line)):
            # "Componente: 2. Racionalización de Trámites" over a block of the official form.
            heading_component = parse_component_heading(line, catalog)
            if heading_component is None:
                context.skipped.append((excel_row, "encabezado de componente no reconocido"))
            else:
                context.headings.append((excel_row, "componente"))
            current, skipping = _close(current, finished), None
            continue
        if not table_data and subcomponent_heading(line_cells):
            subcomponent = _strip_heading_word(line_cells[0])
            context.headings.append((excel_row, "subcomponente"))
            current, skipping = _close(current, finished), None
            continue
        if (
            not table_data
            and activity_text
            and len(set(line_cells)) == 1
            and _looks_like_heading(line)
        ):
            component = parse_component_heading(line, catalog)
            if component is not None:
                heading_component = component
                context.headings.append((excel_row, "componente"))
                current, skipping = _close(current, finished), None
                continue
        if plan_col is not None or policy_col is not None:
            if plan_col is not None and plan_col < len(row) and not is_blank(row[plan_col]):
                plan_value = cell_text(row[plan_col])
            if policy_col is not None and policy_col < len(row) and not is_blank(row[policy_col]):
                policy_value = cell_text(row[policy_col])
            if activity_text:
                reason = None
                if plan_col is not None and plan_value and not is_paac_plan(plan_value):
                    reason = f"{OTHER_PLAN}: «{plan_value}»"
                elif policy_col is not None and policy_value:
                    paac, policy_component = paac_policy(policy_value, catalog)
                    if not paac:
                        reason = f"{OTHER_POLICY}: «{policy_value}»"
                if reason is not None:
                    context.skipped.append((excel_row, reason))
                    current, skipping = _close(current, finished), reason
                    continue
        if not activity_text:
            if skipping is not None and table_data:
                context.skipped.append((excel_row, skipping))
                continue
            if table_data and current is not None:
                _continue(current, texts, schedule_cells, progress_cell, start_cell, marks, " ")
                current.parts.append((excel_row, "continuación"))
                continue
            key = fold(line)
            if repeated[index]:
                context.skipped.append((excel_row, LETTERHEAD))
                continue
            component = parse_component_heading(line, catalog)
            if component is not None and not table_data and _looks_like_heading(line):
                heading_component = component
                context.headings.append((excel_row, "componente"))
                continue
            if table_data:
                context.skipped.append((excel_row, ORPHAN_DATA))
                continue
            if ENTITY_WORDS.match(key) or SIGNATURE.match(key) or line.isupper():
                context.skipped.append((excel_row, OUTSIDE_TABLE))
                continue
            if texts.get("subcomponent") and line == texts["subcomponent"]:
                subcomponent = _strip_heading_word(texts["subcomponent"])
                context.headings.append((excel_row, "subcomponente"))
                continue
            context.skipped.append((excel_row, NO_ACTIVITY))
            continue
        skipping = None
        if texts.get("component"):
            named = parse_component_heading(texts["component"], catalog) or infer_component(
                texts["component"], catalog
            )
            if named is not None:
                heading_component = named
        if current is not None and _is_subitem(current, activity_text):
            current.subitems += 1
            _continue(current, texts, schedule_cells, progress_cell, start_cell, marks, "\n")
            current.parts.append((excel_row, "subítem"))
            continue
        if current is not None and _is_fragment(current, texts, progress_cell):
            _continue(current, texts, schedule_cells, progress_cell, start_cell, marks, " ")
            current.parts.append((excel_row, "continuación"))
            continue
        if texts.get("subcomponent"):
            subcomponent = _strip_heading_word(texts["subcomponent"])
        component = heading_component
        if component is None and subcomponent:
            component = infer_component(subcomponent, catalog)
        if component is None:
            component = sheet_component or policy_component
        current = _close(current, finished)
        current = _Activity(
            parts=[(excel_row, "actividad")],
            row=excel_row,
            component=component,
            subcomponent=subcomponent,
            texts={k: v for k, v in texts.items() if k not in ("subcomponent", "component")},
            columns=columns,
        )
        current.schedule_cells.extend(schedule_cells)
        current.period_marks.extend(marks)
        if start_cell is not None:
            current.start_cells.append(start_cell)
        if progress_cell is not None:
            current.progress_cells.append(progress_cell)
    _close(current, finished)
    return _drop_footer(context, finished)


@dataclass
class _Binding:
    """The columns a table's rows are read with."""

    columns: dict[str, int]
    text_columns: dict[str, int]
    number_col: int | None
    plan_col: int | None  # None also when the column never names the PAAC
    policy_col: int | None


def _bind(header: Header, rows: Sequence[Sequence[object]], catalog: Catalog) -> _Binding:
    columns = header.columns
    data = rows[header.row + 1 :]
    plan_col = columns.get("plan")
    policy_col = columns.get("policy")
    # A Plan or Política column only filters rows when it names the PAAC somewhere: a column
    # that never does says something else, and no activity is dropped for it.
    if plan_col is not None and not any(
        isinstance(v, str) and is_paac_plan(v) for v in (_at(r, plan_col) for r in data)
    ):
        plan_col = None
    if policy_col is not None and not any(
        isinstance(v, str) and paac_policy(v, catalog)[0]
        for v in (_at(r, policy_col) for r in data)
    ):
        policy_col = None
    return _Binding(
        columns,
        {name: col for name, col in columns.items() if name in TEXT_FIELDS},
        columns.get("number"),
        plan_col,
        policy_col,
    )


def _maybe_header(row: Sequence[object]) -> bool:
    """Cheap test before the header search inside a table: three or more short words, two of
    them column names as written ("Actividad", "Responsable"), or a risk-map / trámites label.

    A date, number or percentage written as text ("30/06/2020", "0%") means a data row.
    """
    count = named = 0
    for value in row:
        if value is None or value == "":
            continue
        if not isinstance(value, str) or len(value) > 60 or DATA_TEXT.match(value):
            return False
        count += 1
        named += exact_field(value) is not None
    return count >= 3 and (named >= 2 or content_skip_reason([row], 0) is not None)


def _close(current: _Activity | None, finished: list[_Activity]) -> _Activity | None:
    """End the activity being assembled (a heading, total or skipped row closes it): None."""
    if current is not None:
        finished.append(current)
    return None


def _whole_number_columns(rows: Sequence[Sequence[object]], header: Header) -> dict[int, bool]:
    """Per progress column (one per cut block): does it write 33 for 33 %?"""
    columns = {header.columns["progress"]} if "progress" in header.columns else set()
    columns |= {b.columns["progress"] for b in header.blocks if "progress" in b.columns}
    start = header.row + 1
    return {
        col: column_uses_whole_numbers([r[col] for r in rows[start:] if col < len(r)])
        for col in columns
    }


def _marked(value: object) -> bool:
    """A period cell that schedules a delivery: a mark, a target, a date; not blank, 0 or N/A."""
    if is_blank(value):
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, numbers.Real):
        return float(value) > 0
    if isinstance(value, str):
        return norm(value).strip(" .") not in NOT_MARKED
    return True


def _at(row: Sequence[object], column: int) -> object:
    return row[column] if column < len(row) else None


def _is_number(value: object) -> bool:
    """An index cell: 3, 1.1, "2.3", "4."."""
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return True
    return isinstance(value, str) and bool(NUMBER_LABEL.match(value.strip()))


def _cell(row: Sequence[object], excel_row: int, column: int | None) -> _Cell | None:
    if column is None or column >= len(row) or is_blank(row[column]):
        return None
    return _Cell(excel_row, column, row[column])


def _repeated_texts(
    rows: Sequence[Sequence[object]], start: int, activity_col: int, title_end: int
) -> list[bool]:
    """Page letterheads: rows with no activity whose text appears more than once, and rows
    that repeat a line of the document header above the table (``rows[:title_end]``), whose
    title often sits in a merged cell over the activity column. ``rows`` as written, not
    filled from merged cells, so a repeat looks like the original.
    """
    title = {_row_key(r) for r in rows[:title_end]} - {""}
    keys: list[str] = [""] * len(rows)
    above: list[bool] = [False] * len(rows)
    for i in range(start, len(rows)):
        key = _row_key(rows[i])
        above[i] = key in title
        row = rows[i]
        if activity_col < len(row) and not is_blank(row[activity_col]):
            continue
        keys[i] = key
    counts = Counter(k for k in keys if k)
    return [a or (bool(k) and counts[k] > 1) for k, a in zip(keys, above, strict=True)]


def _row_key(row: Sequence[object]) -> str:
    return fold(" ".join(cell_text(v) for v in row if not is_blank(v)))


def _heading_above(row: Sequence[object], catalog: Catalog) -> int | None:
    """The component a "Componente: …" line above the table names, or None for other lines.

    The word may come after a title ("PLAN ANTICORRUPCIÓN 2020 – COMPONENTE 3: RENDICIÓN…"),
    and a sheet per component may be titled with the bare name ("RENDICIÓN DE CUENTAS").
    """
    cells = [cell_text(v) for v in row if not is_blank(v)]
    line = " ".join(cells)
    key = fold(line)
    m = COMPONENT_IN_TITLE.search(key)
    if m is not None:
        return parse_component_heading(key[m.start() :], catalog)
    if len(set(cells)) == 1 and len(line) <= 90:
        return parse_component_heading(line, catalog)
    return None


def _looks_like_heading(line: str) -> bool:
    key = fold(line)
    return key.startswith("componente") or bool(re.match(r"^\d\s", key)) or line.isupper()


def _strip_heading_word(text: str) -> str:
    """'Subcomponente 1 Política de …' -> 'Política de …'; plain names are kept."""
    m = re.match(
        r"^\s*sub\s*-?\s*componente\s*(?:/\s*proceso)?\s*\d*[.:\-–]*\s*", text, re.IGNORECASE
    )
    return text[m.end() :].strip() if m and m.end() < len(text) else text


def _is_subitem(current: _Activity, text: str) -> bool:
    """'1. El número de …' right under an activity that announces a list (ends with ':')."""
    m = SUBITEM.match(text)
    if not m or ACTIVITY_NUMBER.match(text):
        return False
    announces = current.texts.get("activity", "").rstrip().endswith(":") or current.subitems > 0
    return announces and int(m.group(1)) == current.subitems + 1


def _is_fragment(current: _Activity, texts: dict[str, str], progress: _Cell | None) -> bool:
    """The rest of a sentence a page break cut: lowercase start, no progress of its own."""
    text = texts.get("activity", "")
    if texts.get("subcomponent") or progress is not None or not text[:1].islower():
        return False
    return not ENDS_SENTENCE.search(current.texts.get("activity", "").rstrip())


def _continue(
    current: _Activity,
    texts: dict[str, str],
    schedule: list[_Cell],
    progress: _Cell | None,
    start: _Cell | None,
    marks: list[tuple[PeriodColumn, _Cell]],
    sep: str,
) -> None:
    for name, value in texts.items():
        if name in ("subcomponent", "component") or not value:
            continue
        joiner = sep if name == "activity" else " "
        before = current.texts.get(name, "")
        if name != "activity" and before.endswith(value):
            continue  # a merged cell filled down repeats itself
        current.texts[name] = join_text(before, value, joiner)
    current.schedule_cells.extend(schedule)
    current.period_marks.extend(marks)
    if start is not None:
        current.start_cells.append(start)
    if progress is not None:
        current.progress_cells.append(progress)


def _has_data(activity: _Activity) -> bool:
    """More than a bare line of text: a goal, owner, date, progress or follow-up."""
    return bool(
        activity.schedule_cells
        or activity.progress_cells
        or activity.period_marks
        or activity.start_cells
    ) or any(activity.texts.get(f) for f in ("goal", "owner", "followup", "done"))


def _drop_footer(context: _SheetContext, finished: list[_Activity]) -> list[_Activity]:
    """Text-only lines after the last real activity, or that read like a signature, are the
    signature block ("Original firmado", "Jefe Oficina…"), not activities; the other skipped
    rows after the last activity are relabelled the same way."""
    with_data = [a.row for a in finished if _has_data(a)]
    last = with_data[-1] if with_data else 0
    kept: list[_Activity] = []
    for activity in finished:
        text = fold(activity.texts.get("activity", ""))
        if not _has_data(activity) and (activity.row > last or SIGNATURE.match(text)):
            context.skipped.extend((row, FOOTER) for row, _ in activity.parts)
        else:
            kept.append(activity)
    if not kept:
        return kept
    context.skipped = [
        (row, FOOTER if row > last and why in (OUTSIDE_TABLE, NO_ACTIVITY) else why)
        for row, why in context.skipped
    ]
    return kept


def _report_skipped(context: _SheetContext) -> None:
    """One Información line per run of rows skipped for the same reason."""
    skipped = sorted(context.skipped)
    i = 0
    while i < len(skipped):
        start, reason = skipped[i]
        end = start
        j = i + 1
        while (
            j < len(skipped)
            and skipped[j][1] == reason
            and (
                reason == TITLE_BLOCK or _only_blank_between(context.sheet.rows, end, skipped[j][0])
            )
        ):
            end = skipped[j][0]
            j += 1
        where = f"Fila {start}" if start == end else f"Filas {start}–{end}"
        severity = Severity.WARNING if reason == ORPHAN_DATA else Severity.INFO
        context.problem(
            start,
            None,
            severity,
            "fila-omitida",
            f"{where}: {reason}; no se tomaron como actividades.",
        )
        i = j


def _only_blank_between(rows: Sequence[Sequence[object]], first: int, second: int) -> bool:
    return all(all(is_blank(v) for v in rows[r - 1]) for r in range(first + 1, second))


# Record level ------------------------------------------------------------------------------


def _record(context: _SheetContext, activity: _Activity, catalog: Catalog) -> dict[str, object]:
    dates: set[dt.date] = set()
    permanent = False
    for cell in activity.schedule_cells:
        parsed = parse_schedule(cell.value, context.year)
        dates.update(parsed.dates)
        permanent = permanent or parsed.permanent
        _report_dates(context, cell, parsed.problems, "Fecha programada")
    for cell in activity.start_cells:
        # The start date decides nothing, but a wrong one is still worth fixing.
        _report_dates(
            context, cell, parse_schedule(cell.value, context.year).problems, "Fecha de inicio"
        )
    dates.update(_period_dates(context, activity))
    ordered = tuple(sorted(dates))
    progress = _progress(context, activity)
    if not activity.schedule_cells and not activity.period_marks:
        context.problem(
            activity.row,
            activity.columns.get("dates", activity.columns.get("end")),
            Severity.WARNING,
            "sin-fecha-programada",
            "La actividad no tiene fecha programada: no se puede saber si está vencida.",
        )
    if activity.component is None:
        context.problem(
            activity.row,
            activity.columns.get("subcomponent"),
            Severity.WARNING,
            "componente-desconocido",
            (
                "No se pudo deducir el componente del PAAC a partir del subcomponente "
                f"«{activity.subcomponent}»; revíselo."
                if activity.subcomponent
                else "La actividad no tiene componente ni subcomponente: no se pudo saber a qué "
                "componente del PAAC pertenece; agregue la columna Componente o Subcomponente."
            ),
        )
    schedule_text = "; ".join(d.strftime("%d/%m/%Y") for d in ordered)
    if permanent:
        schedule_text = "Permanente" + (f"; {schedule_text}" if schedule_text else "")
    texts = {
        name: _fit_cell(context, activity, name, text) for name, text in activity.texts.items()
    }
    followup = _fit_cell(
        context,
        activity,
        "followup",
        join_text(texts.get("done", ""), texts.get("followup", ""), "\n"),
    )
    _check_consistency(context, activity, progress, followup)
    return {
        "file": context.sheet.file,
        "sheet": context.sheet.sheet,
        "row": activity.row,
        "component": activity.component,
        "component_label": (
            component_label(activity.component, catalog) if activity.component else None
        ),
        "subcomponent": activity.subcomponent or None,
        "activity": texts.get("activity", ""),
        "goal": texts.get("goal") or None,
        "owner": texts.get("owner") or None,
        "schedule": schedule_text,
        "permanent": permanent,
        "n_dates": len(ordered),
        "progress": progress.value if not progress.not_applicable else None,
        "progress_text": progress.text or None,
        "not_applicable": progress.not_applicable,
        "followup": followup or None,
        "_dates": ordered,
    }


def _report_dates(context: _SheetContext, cell: _Cell, problems: Sequence[str], what: str) -> None:
    for message in problems:
        context.problem(
            cell.row,
            cell.column,
            Severity.WARNING,
            "fecha-no-valida",
            f"{what}: {message}. La actividad se conserva.",
        )


def _period_dates(context: _SheetContext, activity: _Activity) -> set[dt.date]:
    """Each marked period column is one delivery, due on the period's last day."""
    if not activity.period_marks:
        return set()
    if context.year is None:
        period, cell = activity.period_marks[0]
        context.problem(
            cell.row,
            cell.column,
            Severity.WARNING,
            "fecha-no-valida",
            f"Periodo «{period.label}»: falta el año (no se encontró la vigencia en el "
            "archivo). La actividad se conserva.",
        )
        return set()
    return {month_end(context.year, period.months[1]) for period, _ in activity.period_marks}


def _check_consistency(
    context: _SheetContext, activity: _Activity, progress: Progress, followup: str
) -> None:
    """A 100 % whose observation says the evidence is missing is flagged, not changed."""
    if progress.value is None or progress.value < 1 or not followup:
        return
    m = NO_EVIDENCE.search(fold(followup))
    if m is None:
        return
    context.problem(
        activity.row,
        activity.columns.get("progress"),
        Severity.WARNING,
        "avance-inconsistente",
        f"El avance reportado es {progress.text or '100 %'} pero el seguimiento dice "
        f"«{m.group(0)}»: revise el avance o la observación.",
    )


def _fit_cell(context: _SheetContext, activity: _Activity, name: str, text: str) -> str:
    """Cut text to Excel's 32,767 characters per cell, and say so: never silently."""
    if len(text) <= MAX_CELL_CHARS:
        return text
    context.problem(
        activity.row,
        activity.columns.get(name),
        Severity.WARNING,
        "texto-demasiado-largo",
        f"El texto tiene {len(text):,} caracteres y Excel admite {MAX_CELL_CHARS:,} por "
        "celda; se recortó en el libro consolidado.".replace(",", "."),
    )
    return text[:MAX_CELL_CHARS]


def _progress(context: _SheetContext, activity: _Activity, *, report: bool = True) -> Progress:
    cells = activity.progress_cells
    if not cells:
        return parse_progress(None)
    whole = context.whole_numbers.get(cells[0].column, False)
    parsed = [(cell, parse_progress(cell.value, whole)) for cell in cells]
    cell, first = parsed[0]
    if not report:
        return first
    if first.problem:
        context.problem(
            cell.row,
            cell.column,
            Severity.WARNING,
            "avance-no-valido",
            f"% de avance: {first.problem}.",
        )
    for other_cell, other in parsed[1:]:
        context.problem(
            other_cell.row,
            other_cell.column,
            Severity.WARNING,
            "avance-repetido",
            f"La actividad de la fila {activity.row} tiene otro % de avance "
            f"(«{other.text}») en esta fila; se usó el primero («{first.text}»).",
        )
    return first


def _block_values(
    context: _SheetContext, header: Header, activity: _Activity
) -> tuple[Progress, str]:
    """Progress and follow-up text of another cut's block, over the activity's rows."""
    rows = context.rows
    progress_col = header.columns.get("progress")
    progress = parse_progress(None)
    texts: list[str] = []
    for row_number, _ in activity.parts:
        row = rows[row_number - 1]
        if progress.blank and progress_col is not None and progress_col < len(row):
            value = row[progress_col]
            if not is_blank(value):
                progress = parse_progress(value, context.whole_numbers.get(progress_col, False))
        for name in ("done", "followup"):
            col = header.columns.get(name)
            if col is not None and col < len(row) and not is_blank(row[col]):
                texts.append(cell_text(row[col]))
    return progress, "\n".join(texts)
