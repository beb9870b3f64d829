"""normalize: raw sheets in, the ``activities`` and ``deliveries`` frames out.

Real follow-ups are printed documents saved as spreadsheets: page letterheads between rows,
activities broken across page breaks, numbered sub-items on rows of their own, blank cells
that mean "same as above". This stage rebuilds one record per activity from them and accounts
for every non-blank row: it is an activity, part of one, context (a heading), or reported as
skipped with its reason.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from .catalog import (
    Catalog,
    component_label,
    infer_component,
    load_catalog,
    parse_component_heading,
)
from .frames import ACTIVITY_DTYPES, DELIVERY_DTYPES
from .header import Header, find_header, is_repeated_header
from .problems import Problem, Severity, column_letter
from .progress import Progress, column_uses_whole_numbers, parse_progress
from .read import RawSheet
from .schedule import parse_schedule
from .text import cell_text, fold, is_blank, join_text

TEXT_FIELDS = ("component", "subcomponent", "activity", "done", "goal", "owner", "followup")
# Sub-items "1. …", "2) …" but not activity numbers like "1.1 …".
SUBITEM = re.compile(r"^(\d{1,2})[.)]\s+(?!\d)\S")
ACTIVITY_NUMBER = re.compile(r"^\d{1,2}(?:\.\d{1,2})+\.?\s+")
ENDS_SENTENCE = re.compile(r"[.;:!?)\]»”\"]$")
ENTITY_WORDS = re.compile(
    r"^(gobernacion|alcaldia|municipio|departamento|contraloria|personeria|concejo|asamblea|"
    r"e s e|ese|hospital|instituto|universidad|corporacion|empresa|superintendencia|ministerio|"
    r"agencia|unidad|fondo|caja|lot[ae]ria|terminal|institucion|colegio|policia|fiscalia)\b"
)
CUTOFF_LABEL = re.compile(r"\b(fecha (de )?corte|corte|fecha (de )?seguimiento|periodo)\b")
ENTITY_LABEL = re.compile(r"^entidad\b")
YEAR_LABEL = re.compile(r"^(vigencia|ano|año)\b")
YEAR = re.compile(r"\b(20\d{2})\b")
SIGNATURE = re.compile(
    r"^(elaboro|preparo|reviso|aprobo|proyecto|firma|firmado|original firmado|jefe|asesor|"
    r"profesional|vo bo|visto bueno)\b"
)
COMPONENT_HEADING = re.compile(r"^componente\b")
MAX_CELL_CHARS = 32_767  # Excel's limit per cell

# Why a row is not an activity; users read these in Problemas.
TITLE_BLOCK = "encabezado del documento (título, entidad, corte)"
LETTERHEAD = "membrete de página (se repite en la hoja)"
REPEATED_HEADER = "encabezado de tabla repetido (salto de página)"
OUTSIDE_TABLE = "membrete, firma o texto fuera de la tabla"
FOOTER = "firmas y pie del documento"
NO_ACTIVITY = "fila sin actividad"
ORPHAN_DATA = "datos sin actividad (no hay actividad arriba)"


@dataclass(frozen=True)
class SourceInfo:
    """What one file says about itself: entity, vigencia and cut-off, with where it said it."""

    file: str
    entity: str | None
    year: int | None
    cutoff: dt.date | None
    cutoff_where: str | None  # "[libro.xlsx]Hoja!C7"


@dataclass
class Normalized:
    """normalize's output: the two frames plus what each file said about itself."""

    activities: pd.DataFrame
    deliveries: pd.DataFrame
    sources: list[SourceInfo]
    rows: pd.DataFrame  # ROW_DTYPES: the fate of every non-blank source row


# One row per non-blank source row inside a table's sheet: what became of it.
ROW_DTYPES: dict[str, str] = {
    "file": "string",
    "sheet": "string",
    "row": "int64",
    "role": "string",  # actividad / continuación / subítem / encabezado / omitida
    "activity_id": "Int64",
    "reason": "string",  # why an omitted row was omitted
}


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
    subitems: int = 0
    parts: list[tuple[int, str]] = field(default_factory=list)  # (row, role) it was built from


@dataclass
class _SheetContext:
    sheet: RawSheet
    header: Header
    problems: list[Problem]
    year: int | None
    skipped: list[tuple[int, str]] = field(default_factory=list)
    headings: list[tuple[int, str]] = field(default_factory=list)
    whole_numbers: bool = False  # the progress column holds 0-100, not fractions

    def problem(
        self, row: int | None, column: int | None, severity: Severity, code: str, message: str
    ) -> None:
        letter = column_letter(column) if column is not None else None
        self.problems.append(
            Problem(self.sheet.file, self.sheet.sheet, row, letter, severity, code, message)
        )


def normalize(
    sheets: Sequence[RawSheet], problems: list[Problem], catalog: Catalog | None = None
) -> Normalized:
    """Rebuild one record per activity from every sheet, and one per scheduled date."""
    catalog = catalog or load_catalog()
    activities: list[dict[str, object]] = []
    deliveries: list[tuple[int, int, dt.date]] = []
    fates: list[tuple[str, str, int, str, int | None, str | None]] = []
    sources: dict[str, SourceInfo] = {}
    tables_per_file: Counter[str] = Counter()
    for sheet in sheets:
        info, records, sheet_fates = _normalize_sheet(sheet, problems, catalog)
        if info is not None:
            tables_per_file[sheet.file] += 1
            previous = sources.get(sheet.file)
            sources[sheet.file] = _merge_info(previous, info) if previous else info
        first_id = len(activities)
        for record in records:
            activity_id = len(activities)
            dates = record.pop("_dates")
            assert isinstance(dates, tuple)
            record["activity_id"] = activity_id
            activities.append(record)
            deliveries.extend((activity_id, n, d) for n, d in enumerate(dates, start=1))
        fates.extend(
            (sheet.file, sheet.sheet, row, role, None if index is None else first_id + index, why)
            for row, role, index, why in sheet_fates
        )
    for name in dict.fromkeys(s.file for s in sheets):
        if not tables_per_file[name]:
            problems.append(
                Problem(
                    name,
                    None,
                    None,
                    None,
                    Severity.ERROR,
                    "sin-tabla-de-seguimiento",
                    "No se encontró una tabla de seguimiento (una fila de encabezado con "
                    "columnas como ACTIVIDADES, RESPONSABLE, FECHA PROGRAMADA, % AVANCE).",
                )
            )
    frame = pd.DataFrame.from_records(activities, columns=list(ACTIVITY_DTYPES))
    frame = frame.astype(ACTIVITY_DTYPES)
    delivery_frame = pd.DataFrame.from_records(deliveries, columns=list(DELIVERY_DTYPES))
    delivery_frame["date"] = pd.to_datetime(delivery_frame["date"]).astype("datetime64[s]")
    delivery_frame = delivery_frame.astype(DELIVERY_DTYPES)
    row_frame = pd.DataFrame.from_records(fates, columns=list(ROW_DTYPES)).astype(ROW_DTYPES)
    return Normalized(frame, delivery_frame, list(sources.values()), row_frame)


def _merge_info(first: SourceInfo, second: SourceInfo) -> SourceInfo:
    return SourceInfo(
        first.file,
        first.entity or second.entity,
        first.year or second.year,
        first.cutoff or second.cutoff,
        first.cutoff_where or second.cutoff_where,
    )


# Sheet level -------------------------------------------------------------------------------


Fate = tuple[int, str, int | None, str | None]  # (row, role, index of activity, reason)


def _normalize_sheet(
    sheet: RawSheet, problems: list[Problem], catalog: Catalog
) -> tuple[SourceInfo | None, list[dict[str, object]], list[Fate]]:
    rows = sheet.rows
    header = find_header(rows)
    if header is None:
        if any(not is_blank(v) for row in rows for v in row):
            problems.append(
                Problem(
                    sheet.file,
                    sheet.sheet,
                    None,
                    None,
                    Severity.INFO,
                    "hoja-sin-tabla",
                    "La hoja no tiene una tabla de seguimiento (no se encontró la fila de "
                    "encabezado); no se leyeron actividades de ella.",
                )
            )
        return None, [], []
    rows = _fill_merged(sheet, header)
    entity, year, cutoff, cutoff_where = _metadata(sheet, rows, header)
    context = _SheetContext(sheet, header, problems, year)
    above = [
        i + 1
        for i, r in enumerate(rows[: header.row])
        if any(not is_blank(v) for v in r) and _heading_above(r, catalog) is None
    ]
    # The title block is one run of rows, whatever blank rows sit between its lines.
    context.skipped.extend((r, TITLE_BLOCK) for r in above)
    context.headings.extend(
        (i + 1, "encabezado") for i in range(header.row + 1) if i + 1 not in above
    )
    finished = _activities(context, rows, catalog)
    records = [_record(context, a, catalog) for a in finished]
    _report_skipped(context)
    for record in records:
        record.update(entity=entity, year=year)
    fates: list[Fate] = [(r, role, i, None) for i, a in enumerate(finished) for r, role in a.parts]
    fates += [(r, "encabezado", None, None) for r, _ in context.headings]
    fates += [(r, "omitida", None, why) for r, why in context.skipped]
    nonblank = {i + 1 for i, r in enumerate(sheet.rows) if any(not is_blank(v) for v in r)}
    fates = sorted((f for f in fates if f[0] in nonblank), key=lambda f: f[0])
    info = SourceInfo(sheet.file, entity, year, cutoff, cutoff_where)
    return info, records, fates


def _fill_merged(sheet: RawSheet, header: Header) -> list[list[object]]:
    """Copy a merged cell's value into the rows it spans, for context columns only.

    A subcomponent, owner or date merged over several activity rows applies to each of them;
    an activity or progress cell is never duplicated.
    """
    rows = [list(r) for r in sheet.rows]
    fill_columns = {
        header.columns[f]
        for f in ("component", "subcomponent", "owner", "dates")
        if f in header.columns
    }
    for (top, left), (bottom, right) in sheet.merged:
        if left not in fill_columns or top <= header.row:
            continue
        value = rows[top][left] if top < len(rows) and left < len(rows[top]) else None
        for r in range(top + 1, min(bottom, len(rows) - 1) + 1):
            for c in range(left, right + 1):
                if c < len(rows[r]) and is_blank(rows[r][c]):
                    rows[r][c] = value
    return rows


def _metadata(
    sheet: RawSheet, rows: Sequence[Sequence[object]], header: Header
) -> tuple[str | None, int | None, dt.date | None, str | None]:
    """Entity, vigencia and cut-off from the rows that are not table data."""
    entity: str | None = None
    year: int | None = None
    cutoff: dt.date | None = None
    cutoff_where: str | None = None
    title_year: int | None = None
    table_columns = set(header.columns.values())
    for r, row in enumerate(rows):
        cells = [(c, v) for c, v in enumerate(row) if not is_blank(v)]
        if not cells:
            continue
        if r > header.row:
            # Inside the table only rows with no activity text can carry metadata.
            activity_col = header.columns["activity"]
            if activity_col < len(row) and not is_blank(row[activity_col]):
                continue
            if r == header.row:
                continue
        for position, (c, value) in enumerate(cells):
            if not isinstance(value, str):
                continue
            text = cell_text(value)
            key = fold(text)
            label, _, rest = text.partition(":")
            label_key = fold(label)
            following = cells[position + 1][1] if position + 1 < len(cells) else None
            if cutoff is None and CUTOFF_LABEL.search(label_key) and "publicacion" not in key:
                candidate = rest.strip() or following
                found = parse_schedule(candidate, year or title_year)
                if found.dates:
                    cutoff = max(found.dates)
                    where_col = c if rest.strip() else cells[position + 1][0]
                    cutoff_where = f"[{sheet.file}]{sheet.sheet}!{column_letter(where_col)}{r + 1}"
            if entity is None and ENTITY_LABEL.match(label_key):
                value_text = rest.strip() or (cell_text(following) if following else "")
                entity = value_text or None
            if year is None and YEAR_LABEL.match(label_key):
                m = YEAR.search(rest) or YEAR.search(cell_text(following) if following else "")
                if m:
                    year = int(m.group(1))
            in_table_data = c in table_columns and r > header.row and len(cells) > 1
            if entity is None and ENTITY_WORDS.match(key) and len(text) < 90 and not in_table_data:
                entity = text
            if title_year is None and r < header.row and "plan" in key:
                m = YEAR.search(text)
                if m:
                    title_year = int(m.group(1))
    year = year or title_year or (cutoff.year if cutoff else None)
    return entity, year, cutoff, cutoff_where


# Row level ---------------------------------------------------------------------------------


def _activities(
    context: _SheetContext, rows: Sequence[Sequence[object]], catalog: Catalog
) -> list[_Activity]:
    header = context.header
    columns = header.columns
    first_data = header.row + 1
    repeated = _repeated_texts(rows, first_data, columns["activity"])
    progress_col = columns.get("progress")
    whole_numbers = progress_col is not None and column_uses_whole_numbers(
        [r[progress_col] for r in rows[first_data:] if progress_col < len(r)]
    )
    sheet_component = parse_component_heading(context.sheet.sheet, catalog)
    # The official form puts "Componente: 1. …" just above the first header row.
    above = (_heading_above(r, catalog) for r in rows[: header.row])
    heading_component: int | None = next((c for c in reversed(list(above)) if c), None)
    subcomponent = ""
    current: _Activity | None = None
    finished: list[_Activity] = []
    for index in range(first_data, len(rows)):
        row = rows[index]
        excel_row = index + 1
        if all(is_blank(v) for v in row):
            continue
        if is_repeated_header(row, header):
            context.skipped.append((excel_row, REPEATED_HEADER))
            continue
        texts = {
            name: cell_text(row[col]) if col < len(row) else ""
            for name, col in columns.items()
            if name in TEXT_FIELDS
        }
        schedule_cell = _cell(row, excel_row, columns.get("dates"))
        progress_cell = _cell(row, excel_row, progress_col)
        activity_text = texts.get("activity", "")
        table_data = any(texts.get(f) for f in ("goal", "owner", "followup", "done")) or (
            schedule_cell is not None or progress_cell is not None
        )
        line = " ".join(cell_text(v) for v in row if not is_blank(v))
        if not table_data and COMPONENT_HEADING.match(fold(line)):
            # "Componente: 2. Racionalización de Trámites" over a block of the official form.
            heading_component = parse_component_heading(line, catalog)
            if heading_component is None:
                context.skipped.append((excel_row, "encabezado de componente no reconocido"))
            else:
                context.headings.append((excel_row, "componente"))
            continue
        if not activity_text:
            if table_data and current is not None:
                _continue(current, texts, schedule_cell, progress_cell, sep=" ")
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
        if texts.get("component"):
            found = parse_component_heading(texts["component"], catalog) or infer_component(
                texts["component"], catalog
            )
            if found is not None:
                heading_component = found
        if current is not None and _is_subitem(current, activity_text):
            current.subitems += 1
            _continue(current, texts, schedule_cell, progress_cell, sep="\n")
            current.parts.append((excel_row, "subítem"))
            continue
        if current is not None and _is_fragment(current, texts, progress_cell):
            _continue(current, texts, schedule_cell, progress_cell, sep=" ")
            current.parts.append((excel_row, "continuación"))
            continue
        if texts.get("subcomponent"):
            subcomponent = _strip_heading_word(texts["subcomponent"])
        component = (
            (infer_component(subcomponent, catalog) if subcomponent else None)
            if heading_component is None
            else heading_component
        )
        if component is None and heading_component is None and subcomponent:
            component = None
        component = component if component is not None else sheet_component
        if current is not None:
            finished.append(current)
        current = _Activity(
            parts=[(excel_row, "actividad")],
            row=excel_row,
            component=component,
            subcomponent=subcomponent,
            texts={k: v for k, v in texts.items() if k not in ("subcomponent", "component")},
        )
        if schedule_cell is not None:
            current.schedule_cells.append(schedule_cell)
        if progress_cell is not None:
            current.progress_cells.append(progress_cell)
    if current is not None:
        finished.append(current)
    finished = _drop_footer(context, finished)
    context.whole_numbers = whole_numbers
    return finished


def _cell(row: Sequence[object], excel_row: int, column: int | None) -> _Cell | None:
    if column is None or column >= len(row) or is_blank(row[column]):
        return None
    return _Cell(excel_row, column, row[column])


def _repeated_texts(rows: Sequence[Sequence[object]], start: int, activity_col: int) -> list[bool]:
    """Rows with no activity whose text appears more than once: page letterheads."""
    keys: list[str] = [""] * len(rows)
    for i in range(start, len(rows)):
        row = rows[i]
        if activity_col < len(row) and not is_blank(row[activity_col]):
            continue
        key = fold(" ".join(cell_text(v) for v in row if not is_blank(v)))
        keys[i] = key
    counts = Counter(k for k in keys if k)
    return [bool(k) and counts[k] > 1 for k in keys]


def _heading_above(row: Sequence[object], catalog: Catalog) -> int | None:
    """The component a "Componente: …" line names, or None for any other line."""
    line = " ".join(cell_text(v) for v in row if not is_blank(v))
    if not COMPONENT_HEADING.match(fold(line)):
        return None
    return parse_component_heading(line, catalog)


def _looks_like_heading(line: str) -> bool:
    key = fold(line)
    return key.startswith("componente") or bool(re.match(r"^\d\s", key))


def _strip_heading_word(text: str) -> str:
    """'Subcomponente 1 Política de …' -> 'Política de …'; plain names are kept."""
    m = re.match(r"^\s*sub\s*componente\s*(?:/\s*proceso)?\s*\d*[.:\-–]*\s*", text, re.IGNORECASE)
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
    schedule: _Cell | None,
    progress: _Cell | None,
    sep: str,
) -> None:
    for name, value in texts.items():
        if name in ("subcomponent", "component") or not value:
            continue
        joiner = sep if name == "activity" else " "
        current.texts[name] = join_text(current.texts.get(name, ""), value, joiner)
    if schedule is not None:
        current.schedule_cells.append(schedule)
    if progress is not None:
        current.progress_cells.append(progress)


def _has_data(activity: _Activity) -> bool:
    """More than a bare line of text: a goal, owner, date, progress or follow-up."""
    return bool(activity.schedule_cells or activity.progress_cells) or any(
        activity.texts.get(f) for f in ("goal", "owner", "followup", "done")
    )


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
            and _only_blank_between(context.sheet.rows, end, skipped[j][0])
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
        for message in parsed.problems:
            context.problem(
                cell.row,
                cell.column,
                Severity.WARNING,
                "fecha-no-valida",
                f"Fecha programada: {message}. La actividad se conserva.",
            )
    ordered = tuple(sorted(dates))
    progress = _progress(context, activity, context.whole_numbers)
    if not activity.schedule_cells:
        context.problem(
            activity.row,
            context.header.columns.get("dates"),
            Severity.WARNING,
            "sin-fecha-programada",
            "La actividad no tiene fecha programada: no se puede saber si está vencida.",
        )
    if activity.component is None:
        context.problem(
            activity.row,
            context.header.columns.get("subcomponent"),
            Severity.WARNING,
            "componente-desconocido",
            "No se pudo deducir el componente del PAAC a partir del subcomponente "
            f"«{activity.subcomponent}»; revíselo.",
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


def _fit_cell(context: _SheetContext, activity: _Activity, name: str, text: str) -> str:
    """Cut text to Excel's 32,767 characters per cell, and say so: never silently."""
    if len(text) <= MAX_CELL_CHARS:
        return text
    context.problem(
        activity.row,
        context.header.columns.get(name),
        Severity.WARNING,
        "texto-demasiado-largo",
        f"El texto tiene {len(text):,} caracteres y Excel admite {MAX_CELL_CHARS:,} por "
        "celda; se recortó en el libro consolidado.".replace(",", "."),
    )
    return text[:MAX_CELL_CHARS]


def _progress(context: _SheetContext, activity: _Activity, whole_numbers: bool) -> Progress:
    cells = activity.progress_cells
    if not cells:
        return parse_progress(None)
    parsed = [(cell, parse_progress(cell.value, whole_numbers)) for cell in cells]
    cell, first = parsed[0]
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
