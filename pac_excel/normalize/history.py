"""history: the other cuts a file keeps, as the Historial frame.

A file may keep several follow-ups side by side or one sheet per cut; one is consolidated
(sheets.py chooses it) and the others are kept here, each matched to the consolidated
activity it follows, so the workbook can show how an activity progressed.
"""

from __future__ import annotations

from collections import Counter

import pandas as pd

from pac_excel.frames import HISTORY_DTYPES, empty
from pac_excel.normalize.cutoff import is_stated
from pac_excel.normalize.header import Header
from pac_excel.normalize.model import (
    Activity,
    History,
    Prepared,
    Run,
    SheetContext,
    match_key,
)
from pac_excel.normalize.records import fates, progress_of, sheet_records
from pac_excel.parse.periods import sheet_cut_tag
from pac_excel.parse.progress import Progress, parse_progress
from pac_excel.problems import Problem
from pac_excel.text import cell_text, is_blank


def history_frame(history: list[History]) -> pd.DataFrame:
    """The Historial frame (``frames.HISTORY_DTYPES``); empty when no file keeps other cuts."""
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
    typed: pd.DataFrame = frame.astype(HISTORY_DTYPES)
    return typed


def add_block_history(
    run: Run, context: SheetContext, finished: list[Activity], first_id: int
) -> None:
    """The other side-by-side blocks of a consolidated sheet, over the same activities."""
    header = context.header
    sheet = context.sheet
    if len(header.blocks) < 2:
        return
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


def add_history_sheet(run: Run, item: Prepared, label: str, chosen: dict[str, list[int]]) -> None:
    """A sheet of another cut: its activities become history rows of the consolidated ones."""
    assert item.header is not None
    scratch: list[Problem] = []  # its cells were reported in the cut they belong to
    context, finished, records = sheet_records(item, scratch, run.catalog, run.per_component_sheets)
    sheet = item.sheet
    when = item.meta.cutoff
    tag = sheet_cut_tag(sheet.sheet)
    if tag is not None and not is_stated(item.meta):
        when = tag.date(item.meta.year) or when
    used: Counter[str] = Counter()
    ids: list[int | None] = []
    for activity, record in zip(finished, records, strict=True):
        key = match_key(str(record["activity"]))
        candidates = chosen.get(key, [])
        activity_id = candidates[used[key]] if used[key] < len(candidates) else None
        used[key] += 1
        ids.append(activity_id)
        progress = progress_of(context, activity, report=False)
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
    for row, role, index, reason in fates(context, finished):
        if index is None:
            run.fates.append((sheet.file, sheet.sheet, row, role, None, reason))
        else:
            run.fates.append((sheet.file, sheet.sheet, row, "historial", ids[index], why))


def _block_values(
    context: SheetContext, header: Header, activity: Activity
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
