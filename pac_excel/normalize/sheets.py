"""sheets: which sheets of a file, and which side-by-side block of a sheet, are the plan.

A workbook also holds instructions, summaries and charts (skipped with one Información line
each), may keep one sheet per cut, or several cuts side by side in one table: one is
consolidated and the others become history. Merged context cells are filled down here, so
every later step reads plain rows.
"""

from __future__ import annotations

from collections.abc import Sequence

from pac_excel.normalize.cutoff import (
    CUTOFF_BLOCK,
    CUTOFF_CELL,
    CUTOFF_SHEET,
    CutOption,
    choose_cut,
    is_stated,
)
from pac_excel.normalize.header import Header, find_header
from pac_excel.normalize.layout import (
    SUMMARY,
    content_skip_reason,
    sheet_skip_reason,
    summary_table,
)
from pac_excel.normalize.metadata import sheet_metadata, unread_cutoff
from pac_excel.normalize.model import (
    NO_TABLE,
    Meta,
    Prepared,
    Run,
    SheetContext,
    has_followup,
    is_nonblank,
    match_key,
)
from pac_excel.parse.periods import sheet_cut_tag
from pac_excel.problems import Problem, Severity, column_letter
from pac_excel.read.sheets import RawSheet
from pac_excel.text import cell_text, is_blank


def prepare(run: Run, sheet: RawSheet) -> Prepared:
    """Header search and sheet kind; metadata and the cut block for plan tables."""
    rows = sheet.rows
    item = Prepared(sheet)
    header = find_header(rows, merged=sheet.merged)
    last = header.row if header is not None else min(len(rows), 40) - 1
    reason = sheet_skip_reason(sheet.sheet) or content_skip_reason(rows, last)
    if reason is None and header is not None and summary_table(rows, header):
        reason = SUMMARY
    if reason is not None or header is None:
        item.skip = reason
        return item
    item.rows = _fill_merged(sheet, header)
    item.meta = sheet_metadata(sheet, item.rows, header)
    if item.meta.rank != CUTOFF_CELL:
        unread = unread_cutoff(sheet, item.rows, header)
        if unread is not None:
            run.problems.append(unread)
    if len(header.blocks) >= 2:
        header = _choose_block(run, sheet, item.rows, header, item.meta)
    item.header = header
    item.has_data = has_followup(item.rows, header)
    return item


def skip_sheet(run: Run, item: Prepared) -> None:
    """One Información line for a sheet that is not a plan table; its rows are accounted."""
    sheet = item.sheet
    nonblank = [i + 1 for i, r in enumerate(sheet.rows) if is_nonblank(r)]
    if not nonblank and item.skip is None:
        return  # an empty "Hoja2": nothing to say
    if item.skip is not None:
        code = "hoja-omitida"
        message = f"Hoja omitida: {item.skip}; no se leyeron actividades de ella."
        reason = f"hoja omitida: {item.skip}"
    else:
        code = "hoja-sin-tabla"
        message = (
            "La hoja no tiene una tabla de seguimiento (no se encontró la fila de encabezado); "
            "no se leyeron actividades de ella."
        )
        reason = NO_TABLE
    run.problems.append(
        Problem.in_file(sheet.file, code, message, severity=Severity.INFO, sheet=sheet.sheet)
    )
    run.fates.extend((sheet.file, sheet.sheet, r, "omitida", None, reason) for r in nonblank)


def choose_cut_sheet(run: Run, prepared: list[Prepared]) -> dict[Prepared, str]:
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
            p.meta.cutoff if is_stated(p.meta) else tag.date(p.meta.year, count),
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


# Share of the smaller sheet's activities two sheets must share to be cuts of one plan.
SAME_PLAN_SHARE = 0.6
MIN_SAME_PLAN_ACTIVITIES = 2


def choose_history_sheets(run: Run, prepared: list[Prepared]) -> dict[Prepared, str]:
    """The sheets of a file that are other cuts of the one consolidated, with their labels."""
    return choose_cut_sheet(run, prepared) or choose_same_plan_sheet(run, prepared)


def choose_same_plan_sheet(run: Run, prepared: list[Prepared]) -> dict[Prepared, str]:
    """Plan sheets with no cut word in their names ("PAAC", "PAAC (2)", "Hoja3") that list the
    same activities are cuts of one plan: one is consolidated, never all of them.

    The one whose stated cut is asked for, else the last in the workbook with data; the others
    become history under their sheet names. Returns them as choose_cut_sheet does.
    """
    plans = [p for p in prepared if p.header is not None and sheet_cut_tag(p.sheet.sheet) is None]
    if len(plans) < 2:
        return {}  # one plan sheet: no activity keys to compare
    keys = {p: _activity_keys(p) for p in plans}
    last = plans[-1]
    group = [p for p in plans if _same_plan(keys[p], keys[last])]
    # Copies of one sheet are not cuts: cuts differ in their follow-up.
    if len({tuple(map(tuple, p.sheet.rows)) for p in group}) < 2:
        return {}
    options = [
        CutOption(p.sheet.sheet, p.meta.cutoff if is_stated(p.meta) else None, (0, i), p.has_data)
        for i, p in enumerate(group)
    ]
    index, why = choose_cut(options, run.cutoff, None)
    chosen = group[index]
    listing = ", ".join(f"«{o.label}»" for o in options)
    run.problems.append(
        Problem(
            file=chosen.sheet.file,
            severity=Severity.INFO,
            code="varios-cortes",
            message=f"Las hojas {listing} tienen las mismas actividades: son cortes de un mismo "
            f"plan. Se consolidó la hoja «{chosen.sheet.sheet}» ({why}); las demás se guardan "
            "como historial.",
        )
    )
    return {p: p.sheet.sheet for p in group if p is not chosen}


def _activity_keys(item: Prepared) -> set[str]:
    assert item.header is not None
    column = item.header.columns["activity"]
    texts = (row[column] for row in item.rows[item.header.row + 1 :] if column < len(row))
    return {match_key(text) for text in texts if isinstance(text, str)} - {""}


def _same_plan(first: set[str], second: set[str]) -> bool:
    smaller = min(len(first), len(second))
    if smaller < MIN_SAME_PLAN_ACTIVITIES:
        return False
    return len(first & second) >= SAME_PLAN_SHARE * smaller


def _choose_block(
    run: Run, sheet: RawSheet, rows: Sequence[Sequence[object]], header: Header, meta: Meta
) -> Header:
    """Pick the side-by-side follow-up to consolidate; the others stay as history."""
    count = len(header.blocks)
    options = [
        CutOption(
            block.label,
            block.tag.date(meta.year, count),
            (block.tag.key[0], i),
            has_followup(rows, header.with_block(i)),
        )
        for i, block in enumerate(header.blocks)
    ]
    stated = meta.cutoff if is_stated(meta) else None
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


def report_unused_columns(context: SheetContext) -> None:
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
            row=header.row + 1,
            severity=Severity.INFO,
            code="columna-no-usada",
            message=f"Estas columnas tienen datos pero no forman parte del consolidado: {listing}.",
        )


def _header_texts(rows: Sequence[Sequence[object]], header: Header) -> dict[int, str]:
    """Each column's header text, from the lowest header row that has one."""
    texts: dict[int, str] = {}
    for index in range(header.row, header.first_row - 1, -1):
        for column, value in enumerate(rows[index]):
            if column not in texts and isinstance(value, str) and value.strip():
                texts[column] = cell_text(value)
    return dict(sorted(texts.items()))


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
