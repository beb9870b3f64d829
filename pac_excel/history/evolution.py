"""evolution: the stored cuts of one entity's year chained into one story per activity.

Each cut is matched to the one before it (``match``), so a text that drifts a little at every
cut is still followed; a split activity continues as two, a dropped one ends with a
``Retirada`` row at the cut it went missing from. **Sin movimiento**: the progress did not change
between two cuts although a delivery of the activity fell due in between (after the earlier
cut, on or before the later one), and the activity is not finished.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import pandas as pd

from pac_excel.frames import EVOLUTION_DTYPES, plain_values
from pac_excel.history.match import SPLIT, Doubt, Pins, match_rows

# The alert label; moves to check/labels.py with the other alert labels once that exists.
NO_MOVEMENT = "Sin movimiento"
NEW = "Nueva"
DROPPED = "Retirada"
FIRST = "Primer corte"  # the event of an activity at the first stored cut


class StoryRow(NamedTuple):
    """One stored activity as a story reads it (``STORY_COLUMNS``), as plain values (None for
    <NA>). A named tuple: its fields are read in C, where a tuple read by column name through a
    Python ``__getitem__`` was 1.5 million calls at a second cut of 1,000 files, and dicts were
    90 MiB."""

    entity: Any
    program: Any
    cut_date: dt.date
    year: Any
    file: Any
    sheet: Any
    row: Any
    component: Any
    component_label: Any
    activity: Any
    progress: Any
    not_applicable: Any
    compliance: Any
    dates: Any


# What a story reads of the stored activities (``story``; "year" picks each entity's).
STORY_COLUMNS: tuple[str, ...] = StoryRow._fields
Record = tuple[Any, ...]  # one row of the story, in EVOLUTION_DTYPES order


@dataclass(frozen=True)
class CutDoubt:
    """A doubtful resemblance between two cuts, with both rows for the message."""

    earlier: StoryRow
    later: StoryRow
    score: float
    tie: StoryRow | None


@dataclass
class Story:
    """The year of one or more entities: the EVOLUTION_DTYPES frame and the doubts met."""

    frame: pd.DataFrame
    doubts: list[CutDoubt] = field(default_factory=list)


_Entry = tuple[int, int | None, str]  # (cut index, position in that cut or None, event)


def story(stored: pd.DataFrame, upto: dt.date, pins: Pins | None = None) -> Story:
    """Chain, per entity and program, the cuts in ``stored`` (STORED_ACTIVITY_DTYPES, at least
    ``STORY_COLUMNS``) that are on or before ``upto``."""
    early = stored["cut_date"].dt.date <= upto
    if not early.all():
        stored = stored[early]
    # Plain rows once: per-entity pandas work was most of the time with 1,000 entities.
    columns = [
        stored[name].dt.date.tolist() if name == "cut_date" else plain_values(stored[name])
        for name in STORY_COLUMNS
    ]
    del stored, early  # the caller's frame goes with it when the story is its only holder
    rows = list(map(StoryRow._make, zip(*columns, strict=True)))
    del columns
    groups: dict[tuple[object, object], dict[dt.date, list[StoryRow]]] = {}
    for row in rows:
        by_cut = groups.setdefault((row.entity, row.program), {})
        by_cut.setdefault(row.cut_date, []).append(row)
    records: list[Record] = []
    doubts: list[CutDoubt] = []
    for key in sorted(groups, key=str):
        doubts += _chain(groups[key], pins, records)
    frame = pd.DataFrame.from_records(records, columns=list(EVOLUTION_DTYPES))
    frame["cut_date"] = pd.to_datetime(frame["cut_date"]).astype("datetime64[s]")
    typed: pd.DataFrame = frame.astype(EVOLUTION_DTYPES)
    return Story(typed, doubts)


def _chain(
    by_cut: dict[dt.date, list[StoryRow]], pins: Pins | None, records: list[Record]
) -> list[CutDoubt]:
    """One entity's cuts matched each to the one before; its rows appended to ``records``."""
    dates = sorted(by_cut)
    rows = [by_cut[d] for d in dates]
    pairs = [[(r.component, r.activity) for r in cut] for cut in rows]
    tracks: list[list[_Entry]] = [[(0, i, FIRST)] for i in range(len(rows[0]))]
    doubts: list[CutDoubt] = []
    for k in range(1, len(rows)):
        found = match_rows(pairs[k - 1], pairs[k], pins)
        doubts += [_doubt(rows[k - 1], rows[k], d) for d in found.doubts]
        by_old: dict[int, list[tuple[int, str]]] = {}
        for link in found.links:
            by_old.setdefault(link.old, []).append((link.new, link.kind))
        linked = {link.new for link in found.links}
        grown: list[list[_Entry]] = []
        for track in tracks:
            last_k, last_pos, _ = track[-1]
            if last_k != k - 1 or last_pos is None:
                grown.append(track)
                continue
            targets = by_old.get(last_pos)
            if not targets:
                grown.append([*track, (k, None, DROPPED)])
                continue
            grown += [[*track, (k, new, kind)] for new, kind in targets]
        grown += [[(k, j, NEW)] for j in range(len(rows[k])) if j not in linked]
        tracks = grown
    _frame(rows, dates, tracks, records)
    return doubts


def _doubt(earlier: list[StoryRow], later: list[StoryRow], doubt: Doubt) -> CutDoubt:
    if doubt.tie is not None:
        tie: StoryRow | None = later[doubt.tie]
    elif doubt.rival is not None:
        tie = earlier[doubt.rival]
    else:
        tie = None
    return CutDoubt(earlier[doubt.old], later[doubt.new], doubt.score, tie)


def _place(track: list[_Entry]) -> tuple[int, int]:
    """The last cut the activity appears in, and its position there."""
    k, pos, _ = next(e for e in reversed(track) if e[1] is not None)
    assert pos is not None
    return k, pos


def _order(rows: Sequence[list[StoryRow]], track: list[_Entry]) -> tuple[int, int, int]:
    """Component, then the place the activity held in the last cut it appears in."""
    k, pos = _place(track)
    component = rows[k][pos].component
    return (99 if _blank(component) else int(component), -k, pos)


def _frame(
    rows: Sequence[list[StoryRow]],
    dates: Sequence[dt.date],
    tracks: list[list[_Entry]],
    records: list[Record],
) -> None:
    first = 1 + max((int(str(r[0])) for r in records[-1:]), default=-1)  # r[0]: its track
    for number, track in enumerate(sorted(tracks, key=lambda t: _order(rows, t)), first):
        previous: StoryRow | None = None
        for k, pos, event in track:
            if pos is None:
                assert previous is not None
                gone = previous._replace(progress=None, compliance=None, not_applicable=None)
                records.append(_record(number, dates[k], gone, event, None, None))
                continue
            row = rows[k][pos]
            change = None
            alert = detail = None
            if previous is not None:
                # A split part is compared with the whole it came from: no alert on that.
                change = _difference(row.progress, previous.progress)
                detail = _no_movement(track, rows, dates, k) if event != SPLIT else None
                alert = NO_MOVEMENT if detail else None
            records.append(_record(number, dates[k], row, event, change, (alert, detail)))
            previous = row


def _record(
    track: int,
    cut: dt.date,
    row: StoryRow,
    event: str,
    change: float | None,
    alert: tuple[str | None, str | None] | None,
) -> Record:
    """One row of the story, in EVOLUTION_DTYPES order (a tuple: 80,000 of them at 1,000
    files, where dicts were a third of what the story held). ``row`` holds plain values
    (``plain_values``: None for <NA>)."""
    alert_label, detail = alert or (None, None)
    return (
        track, row.entity, row.program, cut, row.component, row.component_label, row.activity,
        row.file, row.sheet, row.row, row.progress, row.not_applicable, row.compliance, change,
        event, alert_label, detail,
    )  # fmt: skip


def _blank(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _difference(now: object, before: object) -> float | None:
    if _blank(now) or _blank(before):
        return None
    return round(float(now) - float(before), 6)  # type: ignore[arg-type]


def _no_movement(
    track: list[_Entry], rows: Sequence[list[StoryRow]], dates: Sequence[dt.date], k: int
) -> str | None:
    """The Sin movimiento detail at cut ``k`` of ``track``, or None when it moved."""
    here = [(kk, pos) for kk, pos, _ in track if kk <= k and pos is not None]
    now = rows[k][here[-1][1]]
    progress = now.progress
    if _blank(progress) or float(progress) >= 1 or len(here) < 2 or here[-2][0] != k - 1:
        return None
    since = k
    for kk, pos in reversed(here[:-1]):
        earlier = rows[kk][pos]
        if kk != since - 1 or _blank(earlier.progress):
            break
        if abs(float(earlier.progress) - float(progress)) > 1e-9:
            break
        since = kk
    if since == k:
        return None
    due = [d for d in _dates(now.dates) if dates[since] < d <= dates[k]]
    if not due:
        return None
    return (
        f"El avance sigue en {float(progress):.0%} desde el corte del {dates[since]:%d/%m/%Y}"
        f" aunque vencía una entrega el {due[0]:%d/%m/%Y}."
    ).replace("%", " %")


def _dates(text: object) -> list[dt.date]:
    if not isinstance(text, str) or not text:
        return []
    return [dt.date.fromisoformat(part) for part in text.split(";") if part]


def component_compliance(frame: pd.DataFrame) -> pd.DataFrame:
    """Average cumplimiento per component (rows) and cut (columns), from an EVOLUTION frame.

    Each source row counts once per cut, even when a split made two stories share it.
    """
    rows = frame[frame["event"].ne(DROPPED)].drop_duplicates(
        ["entity", "cut_date", "file", "sheet", "row"]
    )
    if rows.empty:
        nothing: pd.DataFrame = pd.DataFrame()
        return nothing
    labels = rows["component_label"].fillna("Sin componente")
    table = rows.assign(label=labels).pivot_table(
        index="label", columns="cut_date", values="compliance", aggfunc="mean"
    )
    order = rows.assign(label=labels).groupby("label")["component"].min().sort_values()
    ordered: pd.DataFrame = table.reindex(order.index)
    return ordered
