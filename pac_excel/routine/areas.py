"""areas: what each responsible area is asked for at the cut, and where its mail goes.

The areas are Por responsable's (check.owners: one cell "Planeación / TIC" names two areas,
spellings merged by ``area_key``), and an ``[areas]`` name in pac-excel.toml finds its area
with the same tolerance: accents, case, punctuation and short words ("de", "la") do not
matter, so "Secretaria de Planeacion" reaches the activities of "SECRETARÍA DE PLANEACIÓN".
What an area owes comes from check.pending, the alerts from check; nothing is decided here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from pac_excel.check.contradictions import CODES as CONTRADICTIONS
from pac_excel.check.owners import NO_OWNER, area_key, owner_areas
from pac_excel.check.pending import NONE_DUE, PERMANENT, activity_pending
from pac_excel.result import Consolidation

MAX_ACTIVITY_CHARS = 160  # an activity's text in a list line; the workbook has it whole
# The alerts whose evidence the area must send (Sin soporte first, then contradictions).
EVIDENCE_ALERTS: tuple[str, ...] = ("sin-soporte", *CONTRADICTIONS)


@dataclass(frozen=True)
class AreaItem:
    """One activity of the area, as the memo lists it."""

    label: str  # "[1.2] Publicar el mapa… (fila 12, hoja PAAC, archivo.xlsx)"
    delivered: str | None  # deliveries due up to the cut with their state, "; "-joined
    missing: tuple[str, ...]  # what is still to send or report (check.pending)
    evidence_asked: tuple[str, ...]  # "Sin soporte: …", "Cumplida sin evidencia: …"
    links: tuple[str, ...]  # evidence addresses already on record
    next_date: dt.date | None  # first delivery after the cut


@dataclass(frozen=True)
class AreaBrief:
    """One area's memo: who it is, where it goes, and its activities."""

    entity: str | None
    area: str
    key: str
    addresses: tuple[str, ...]
    items: tuple[AreaItem, ...] = field(default_factory=tuple)

    @property
    def unsupported(self) -> int:
        """Activities whose evidence is asked for."""
        return sum(1 for item in self.items if item.evidence_asked)


def addresses_for(area: str, configured: Mapping[str, tuple[str, ...]]) -> tuple[str, ...]:
    """The addresses ``[areas]`` gives ``area`` (every matching name, in file order)."""
    key = area_key(area)
    found: list[str] = []
    for name, addresses in configured.items():
        if area_key(name) == key:
            found += addresses
    return tuple(dict.fromkeys(found))


def area_briefs(
    result: Consolidation, configured: Mapping[str, tuple[str, ...]]
) -> list[AreaBrief]:
    """One brief per (entity, area) named in Responsable, in Por responsable's order (by
    entity, then area name); activities without a responsable have no area to write to."""
    acts = result.activities
    if acts.empty:
        return []
    areas = owner_areas(acts)
    pending = activity_pending(acts, result.deliveries)
    items = _items(acts, pending, result.alerts)
    briefs: list[AreaBrief] = []
    areas = areas[areas["area"] != NO_OWNER]
    grouped = areas.groupby(["entity", "area_key"], dropna=False, sort=False)
    for (entity, key), part in grouped:
        name = str(part["area"].iloc[0])
        found = tuple(items[i] for i in dict.fromkeys(part["activity_id"].tolist()))
        briefs.append(
            AreaBrief(
                None if pd.isna(entity) else str(entity),
                name,
                str(key),
                addresses_for(name, configured),
                found,
            )
        )
    return sorted(briefs, key=lambda b: (b.entity or "", b.key))


def _items(acts: pd.DataFrame, pending: pd.DataFrame, alerts: pd.DataFrame) -> dict[int, AreaItem]:
    asked: dict[int, list[str]] = {}
    for code in EVIDENCE_ALERTS:
        part = alerts[alerts["code"] == code]
        for activity_id, label, detail in zip(
            part["activity_id"], part["alert"], part["detail"], strict=True
        ):
            asked.setdefault(int(activity_id), []).append(f"{label}: {detail}")
    found: dict[int, AreaItem] = {}
    labels = [
        _label(r) for r in acts[["activity", "code", "row", "sheet", "file"]].to_dict("records")
    ]
    ids = [int(i) for i in acts["activity_id"]]
    owed = pending.reindex(ids)
    evidence = acts["evidence"].astype("string").fillna("").tolist()
    next_dates = [None if pd.isna(d) else pd.Timestamp(d).date() for d in acts["next_date"]]
    for activity_id, label, delivered, missing, links, next_date in zip(
        ids,
        labels,
        owed["delivered"].astype("string").fillna(NONE_DUE).tolist(),
        owed["missing"].astype("string").fillna("").tolist(),
        evidence,
        next_dates,
        strict=True,
    ):
        found[activity_id] = AreaItem(
            label=label,
            delivered=None if delivered in (NONE_DUE, PERMANENT) else delivered.replace("\n", "; "),
            missing=tuple(missing.split("\n")) if missing else (),
            evidence_asked=tuple(asked.get(activity_id, ())),
            links=tuple(links.split("\n")) if links else (),
            next_date=next_date,
        )
    return found


def _label(row: Mapping[Any, object]) -> str:
    text = " ".join(str(row.get("activity") or "").split())
    if len(text) > MAX_ACTIVITY_CHARS:
        text = text[: MAX_ACTIVITY_CHARS - 1].rstrip() + "…"
    code = row.get("code")
    prefix = f"[{code}] " if isinstance(code, str) and code else ""
    return f"{prefix}{text} (fila {row['row']}, hoja {row['sheet']}, {row['file']})"
