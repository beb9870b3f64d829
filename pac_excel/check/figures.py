"""figures: the figures the director reads first, computed from the checked activities frame.

Everything here is vectorised and pure: the same frame always gives the same numbers. Averages
skip <NA> (blank or N/A progress), so an activity that does not apply is never counted as 0 %.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Mapping
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from pac_excel.check import labels
from pac_excel.check.labels import ALERT_SEPARATOR, ALERTS, NO_COMPONENT, STATUSES, alert_column
from pac_excel.check.semaforo import DAFP_THRESHOLDS, Thresholds, traffic_lights
from pac_excel.deadline import business_days_between, publication_deadline
from pac_excel.frames import AREA_SUMMARY_DTYPES, COMPONENT_SUMMARY_DTYPES, empty

# routine/config.py and older callers import the semáforo limits from here.
__all__ = [
    "AREA_SUMMARY_DTYPES",
    "COMPONENT_SUMMARY_DTYPES",
    "DAFP_THRESHOLDS",
    "NO_COMPONENT",
    "Overall",
    "Publication",
    "Thresholds",
    "alert_counts",
    "area_summary",
    "component_summaries",
    "component_summary",
    "followup_number",
    "has_alert",
    "overall_summary",
    "publication_status",
    "valid_progress",
]

# Status -> component_summary column.
_STATUS_COLUMNS: dict[str, str] = {
    labels.DONE: "cumplidas",
    labels.IN_PROGRESS: "en_curso",
    labels.OVERDUE: "vencidas",
    labels.NOT_STARTED: "sin_iniciar",
    labels.NOT_APPLICABLE: "no_aplica",
    labels.NO_DATA: "sin_dato",
}


def no_compliance_label(component: Mapping[Hashable, object] | pd.Series) -> str:
    """Why a component (a row of the component summaries) has no cumplimiento: every activity
    it could count has no readable progress ("Sin dato"), or nothing was due ("Sin programación").
    """
    countable = _int(component["activities"]) - _int(component["no_aplica"])
    if countable > 0 and _int(component["sin_dato"]) >= countable:
        return labels.NO_DATA
    return labels.NOTHING_DUE


def _int(value: object) -> int:
    return int(value) if isinstance(value, (int, float, np.integer)) else 0


def has_alert(activities: pd.DataFrame, code: str) -> pd.Series:
    """True where the activity carries the alert ``code`` (a key of labels.ALERTS)."""
    return activities[alert_column(code)].astype(bool)


def valid_progress(activities: pd.DataFrame) -> pd.Series:
    """Reported progress within 0–100 %: values written out of range (150 %, −10 %) are kept in
    the frame and flagged by normalize, but never averaged."""
    progress = activities["progress"].astype("Float64")
    valid: pd.Series = progress.where(progress.between(0, 1))
    return valid


def component_summary(
    activities: pd.DataFrame, thresholds: Thresholds = DAFP_THRESHOLDS
) -> pd.DataFrame:
    """One row per component present, by component number; unknown components last."""
    return _summaries(activities, thresholds, None)[None]


def component_summaries(
    activities: pd.DataFrame, by: pd.Series, thresholds: Thresholds = DAFP_THRESHOLDS
) -> dict[object, pd.DataFrame]:
    """``component_summary`` of each group of ``by`` (an entity per activity), computed in one
    grouping: one call per entity measured as a second per 60 entities."""
    return _summaries(activities, thresholds, by)


def _summaries(
    activities: pd.DataFrame, thresholds: Thresholds, by: pd.Series | None
) -> dict[object, pd.DataFrame]:
    status = activities["status"].astype("string")
    parts: dict[str, pd.Series] = {
        "component": activities["component"].astype("Int64"),
        "component_label": activities["component_label"].astype("string"),
        "activities": pd.Series(1, index=activities.index, dtype="int64"),
    }
    for label, column in _STATUS_COLUMNS.items():
        parts[column] = status.eq(label).fillna(False).astype("int64")
    parts["sin_avance"] = has_alert(activities, "sin-avance").astype("int64")
    parts["avg_progress"] = valid_progress(activities)
    parts["avg_compliance"] = activities["compliance"].astype("Float64")
    frame = pd.DataFrame(parts)
    keys = ["component"]
    if by is not None:
        frame["_by"] = by.to_numpy()
        keys = ["_by", "component"]

    grouped = frame.groupby(keys, dropna=False, sort=True)
    counts = grouped[["activities", *_STATUS_COLUMNS.values(), "sin_avance"]].sum()
    # first() skips <NA>: a component keeps a label even if one file left it blank.
    labels = grouped["component_label"].first()
    means = grouped[["avg_progress", "avg_compliance"]].mean()
    table = pd.concat([labels, counts, means], axis=1).reset_index()

    # groupby(sort=True, dropna=False) puts <NA> last; name it for the reader.
    missing = table["component"].isna()
    table["component_label"] = table["component_label"].mask(missing, NO_COMPONENT)
    fallback = "Componente " + table["component"].astype("string")
    table["component_label"] = table["component_label"].fillna(fallback)
    table["traffic_light"] = traffic_lights(table["avg_compliance"], thresholds)
    if by is None:
        return {None: table[list(COMPONENT_SUMMARY_DTYPES)].astype(COMPONENT_SUMMARY_DTYPES)}
    # Typed once, then cut: a cast per entity measured as a second per 1,000 entities.
    typed = table[list(COMPONENT_SUMMARY_DTYPES)].astype(COMPONENT_SUMMARY_DTYPES)
    groups = table.groupby("_by", sort=False).indices
    return {key: typed.take(rows).reset_index(drop=True) for key, rows in groups.items()}


@dataclass(frozen=True)
class Overall:
    """Whole-run figures, with both weightings spelled out because they disagree.

    ``*_by_activity`` is the plain mean over activities with a value; ``*_by_component`` the
    mean of the component means. ``pct_cumplidas`` leaves "No aplica" out of the denominator.
    """

    activities: int
    by_status: dict[str, int] = field(default_factory=dict)
    by_alert: dict[str, int] = field(default_factory=dict)
    avg_progress_by_activity: float | None = None
    avg_progress_by_component: float | None = None
    avg_compliance_by_activity: float | None = None
    avg_compliance_by_component: float | None = None
    pct_cumplidas: float | None = None
    n_not_applicable: int = 0

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _mean(values: pd.Series) -> float | None:
    """Mean that skips <NA>; None when nothing is left."""
    clean = pd.to_numeric(values, errors="coerce").astype("Float64").dropna()
    return None if clean.empty else float(clean.mean())


def alert_counts(activities: pd.DataFrame) -> dict[str, int]:
    """Activities per alert label, every alert in labels.ALERTS order (zeros kept)."""
    return {label: int(has_alert(activities, code).sum()) for code, label in ALERTS.items()}


def overall_summary(activities: pd.DataFrame) -> Overall:
    """Counts and averages for the whole run."""
    status_counts = activities["status"].astype("string").value_counts()
    by_status = {label: int(status_counts.get(label, 0)) for label in STATUSES}
    by_status.update(
        {str(k): int(v) for k, v in sorted(status_counts.items()) if k not in by_status}
    )
    components = component_summary(activities)
    applicable = len(activities) - by_status[labels.NOT_APPLICABLE]
    return Overall(
        activities=len(activities),
        by_status=by_status,
        by_alert=alert_counts(activities),
        avg_progress_by_activity=_mean(valid_progress(activities)),
        avg_progress_by_component=_mean(components["avg_progress"]),
        avg_compliance_by_activity=_mean(activities["compliance"]),
        avg_compliance_by_component=_mean(components["avg_compliance"]),
        pct_cumplidas=by_status[labels.DONE] / applicable if applicable > 0 else None,
        n_not_applicable=int(activities["not_applicable"].fillna(False).astype(bool).sum()),
    )


# Owner areas -------------------------------------------------------------------------------


def area_summary(
    activities: pd.DataFrame,
    areas: pd.DataFrame,
    deliveries: pd.DataFrame,
    thresholds: Thresholds = DAFP_THRESHOLDS,
) -> pd.DataFrame:
    """One row per (entity, owner area): counts, deliveries due and missing, averages.

    ``areas`` is owners.owner_areas(activities) and ``deliveries`` the checked deliveries,
    with their ``state``. An activity with two areas counts in both. Rows run from the area with most activities down.
    """
    if areas.empty:
        return empty(AREA_SUMMARY_DTYPES)
    acts = activities.set_index("activity_id")
    ids = areas["activity_id"]
    status = ids.map(acts["status"]).astype("string")
    per_activity = (
        pd.DataFrame(
            {
                "activity_id": deliveries["activity_id"],
                "due": deliveries["due"].fillna(False).astype("int64"),
                "overdue": deliveries["state"]
                .eq(labels.DELIVERY_OVERDUE)
                .fillna(False)
                .astype("int64"),
            }
        )
        .groupby("activity_id")
        .sum()
    )
    frame = pd.DataFrame(
        {
            "entity": areas["entity"].fillna(""),
            "area": areas["area"],
            "area_key": areas["area_key"],
            "activities": 1,
            "cumplidas": status.eq(labels.DONE).fillna(False).astype("int64"),
            "vencidas": status.eq(labels.OVERDUE).fillna(False).astype("int64"),
            "sin_avance": ids.map(has_alert(acts, "sin-avance")).astype("int64"),
            "sin_seguimiento": ids.map(has_alert(acts, "sin-seguimiento")).astype("int64"),
            "due_deliveries": ids.map(per_activity["due"]).fillna(0).astype("int64"),
            "overdue_deliveries": ids.map(per_activity["overdue"]).fillna(0).astype("int64"),
            "avg_progress": ids.map(valid_progress(acts)).astype("Float64"),
            "avg_compliance": ids.map(acts["compliance"]).astype("Float64"),
        }
    )
    keys = ["entity", "area_key"]
    grouped = frame.groupby(keys, sort=False)
    counts = grouped[
        ["activities", "cumplidas", "vencidas", "sin_avance", "sin_seguimiento",
         "due_deliveries", "overdue_deliveries"]
    ].sum()  # fmt: skip
    means = grouped[["avg_progress", "avg_compliance"]].mean()
    names = grouped["area"].first()
    table = pd.concat([names, counts, means], axis=1).reset_index()
    table["traffic_light"] = traffic_lights(table["avg_compliance"], thresholds)
    table["entity"] = table["entity"].replace("", pd.NA)
    table["_name"] = table["area_key"]
    table = table.sort_values(
        ["activities", "entity", "_name"], ascending=[False, True, True], kind="stable"
    )
    summary: pd.DataFrame = table[list(AREA_SUMMARY_DTYPES)].reset_index(drop=True)
    summary = summary.astype(AREA_SUMMARY_DTYPES)
    return summary


# Publication -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Publication:
    """The publication deadline of a cut seen from the run date."""

    deadline: dt.date
    business_days_left: int  # after today up to the deadline; negative: business days late
    overdue: bool  # today is after the deadline
    text: str  # Spanish, for the Resumen


def publication_status(cutoff: dt.date, today: dt.date, days: int = 10) -> Publication:
    """Deadline = tenth (or ``days``-th) business day after the cut, seen from ``today``."""
    last = publication_deadline(cutoff, days)
    left = business_days_between(today, last)
    if today > last:
        late = -left
        ago = "" if late == 0 else f" (hace {late} {'día hábil' if late == 1 else 'días hábiles'})"
        text = f"Venció el {last:%d/%m/%Y}{ago}; hoy es {today:%d/%m/%Y}."
    elif today == last:
        text = "Vence hoy."
    else:
        unit = "día hábil" if left == 1 else "días hábiles"
        text = f"{'Falta' if left == 1 else 'Faltan'} {left} {unit} (hoy es {today:%d/%m/%Y})."
    return Publication(last, left, today > last, text)


def followup_number(cutoff: dt.date) -> int:
    """Which of the year's three follow-ups a cut closes: 1 (to April), 2 (August), 3."""
    return 1 if cutoff.month <= 4 else 2 if cutoff.month <= 8 else 3


def alert_text(activities: pd.DataFrame) -> pd.Series:
    """Each activity's alert labels in labels.ALERTS order, joined: "Vencida; Sin avance".

    Each row's flags as the bits of one number, then each number seen once joined: a handful
    of combinations for any number of rows (a mask per label over texts was 0.17 s at 1,000
    files, and the workbook and the history both ask).
    """
    labels = list(ALERTS.items())
    bits = np.zeros(len(activities), dtype=np.int64)
    for bit, (code, _) in enumerate(labels):
        bits |= activities[alert_column(code)].astype(bool).to_numpy().astype(np.int64) << bit
    seen, where = np.unique(bits, return_inverse=True)
    joined = [
        ALERT_SEPARATOR.join(label for bit, (_, label) in enumerate(labels) if int(n) >> bit & 1)
        for n in seen
    ]
    text: pd.Series = pd.Series(
        np.array(joined, dtype=object)[where], index=activities.index, dtype="string"
    )
    return text
