"""summary: the figures the director reads first, computed from the checked activities frame.

Everything here is vectorised and pure: the same frame always gives the same numbers. Averages
skip <NA> (blank or N/A progress), so an activity that does not apply is never counted as 0 %.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from pac_excel.deadline import business_days_between, publication_deadline

# Status labels written by check, in the order the workbook shows them.
STATUSES: tuple[str, ...] = (
    "Cumplida",
    "En curso",
    "Vencida",
    "Sin iniciar",
    "No aplica",
    "Sin dato",
)
# Alert labels written by check (the `alerts` column joins them with ALERT_SEPARATOR).
ALERT_LABELS: tuple[str, ...] = (
    "Vencida",
    "Sin avance",
    "Sin seguimiento",
    "N/A con fecha pasada",
    "Próxima a vencer",
)
ALERT_SEPARATOR = "; "
NO_COMPONENT = "Sin componente"

# DAFP colour scale on compliance ("Estrategias para la construcción del PAAC"): 0-59 % red,
# 60-79 % yellow, 80-100 % green; fractional values use < 60 and < 80. Will become configurable.
RED_BELOW = 0.60
YELLOW_BELOW = 0.80
# Float noise such as 0.48 / 0.6 = 0.7999999999999999 must not turn a displayed 80 % yellow.
# The workbook's conditional formats use the same tolerance, so cells and labels agree.
FLOAT_TOLERANCE = 1e-9
RED, YELLOW, GREEN = "Rojo", "Amarillo", "Verde"

# Status -> component_summary column.
_STATUS_COLUMNS: dict[str, str] = {
    "Cumplida": "cumplidas",
    "En curso": "en_curso",
    "Vencida": "vencidas",
    "Sin iniciar": "sin_iniciar",
    "No aplica": "no_aplica",
    "Sin dato": "sin_dato",
}

COMPONENT_SUMMARY_DTYPES: dict[str, str] = {
    "component": "Int64",
    "component_label": "string",
    "activities": "int64",
    **{column: "int64" for column in _STATUS_COLUMNS.values()},
    "sin_avance": "int64",
    "avg_progress": "Float64",
    "avg_compliance": "Float64",
    "traffic_light": "string",
}


@dataclass(frozen=True)
class Thresholds:
    """The semáforo limits on cumplimiento; an office may set its own in its config."""

    red_below: float = RED_BELOW
    yellow_below: float = YELLOW_BELOW


DAFP_THRESHOLDS = Thresholds()


def traffic_light(value: float | None, thresholds: Thresholds = DAFP_THRESHOLDS) -> str | None:
    """The DAFP colour of one compliance value; None for no value."""
    if value is None or value is pd.NA or not math.isfinite(value):
        return None
    if value < thresholds.red_below - FLOAT_TOLERANCE:
        return RED
    if value < thresholds.yellow_below - FLOAT_TOLERANCE:
        return YELLOW
    return GREEN


def traffic_lights(values: pd.Series, thresholds: Thresholds = DAFP_THRESHOLDS) -> pd.Series:
    """The DAFP colour of each compliance value, <NA> where there is none."""
    numbers = pd.to_numeric(values, errors="coerce").astype("Float64")
    filled = numbers.fillna(np.inf).to_numpy(dtype="float64")
    red, yellow = thresholds.red_below, thresholds.yellow_below
    colours = np.select(
        [filled < red - FLOAT_TOLERANCE, filled < yellow - FLOAT_TOLERANCE],
        [RED, YELLOW],
        default=GREEN,
    )
    result = pd.Series(colours, index=values.index, dtype="string")
    return result.mask(numbers.isna() | ~np.isfinite(filled))


def has_alert(alerts: pd.Series, label: str) -> pd.Series:
    """True where the "; "-joined `alerts` text contains exactly `label`."""
    padded = ALERT_SEPARATOR + alerts.fillna("").astype("string") + ALERT_SEPARATOR
    return padded.str.contains(ALERT_SEPARATOR + label + ALERT_SEPARATOR, regex=False).astype(bool)


def valid_progress(activities: pd.DataFrame) -> pd.Series:
    """Reported progress within 0–100 %: values written out of range (150 %, −10 %) are kept in
    the frame and flagged by normalize, but never averaged."""
    progress = activities["progress"].astype("Float64")
    return progress.where(progress.between(0, 1))


def component_summary(
    activities: pd.DataFrame, thresholds: Thresholds = DAFP_THRESHOLDS
) -> pd.DataFrame:
    """One row per component present, by component number; unknown components last."""
    status = activities["status"].astype("string")
    parts: dict[str, pd.Series] = {
        "component": activities["component"].astype("Int64"),
        "component_label": activities["component_label"].astype("string"),
        "activities": pd.Series(1, index=activities.index, dtype="int64"),
    }
    for label, column in _STATUS_COLUMNS.items():
        parts[column] = status.eq(label).fillna(False).astype("int64")
    parts["sin_avance"] = has_alert(activities["alerts"], "Sin avance").astype("int64")
    parts["avg_progress"] = valid_progress(activities)
    parts["avg_compliance"] = activities["compliance"].astype("Float64")
    frame = pd.DataFrame(parts)

    grouped = frame.groupby("component", dropna=False, sort=True)
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
    return table[list(COMPONENT_SUMMARY_DTYPES)].astype(COMPONENT_SUMMARY_DTYPES)


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


def alert_counts(alerts: pd.Series) -> dict[str, int]:
    """Activities per alert label: the known labels first (zeros kept), then any others."""
    labels = alerts.dropna().astype("string").str.split(ALERT_SEPARATOR).explode().str.strip()
    counts = labels[labels.fillna("") != ""].value_counts()
    result = {label: int(counts.get(label, 0)) for label in ALERT_LABELS}
    result.update({str(k): int(v) for k, v in sorted(counts.items()) if k not in result})
    return result


def overall_summary(activities: pd.DataFrame) -> Overall:
    """Counts and averages for the whole run."""
    status_counts = activities["status"].astype("string").value_counts()
    by_status = {label: int(status_counts.get(label, 0)) for label in STATUSES}
    by_status.update(
        {str(k): int(v) for k, v in sorted(status_counts.items()) if k not in by_status}
    )
    components = component_summary(activities)
    applicable = len(activities) - by_status["No aplica"]
    return Overall(
        activities=len(activities),
        by_status=by_status,
        by_alert=alert_counts(activities["alerts"]),
        avg_progress_by_activity=_mean(valid_progress(activities)),
        avg_progress_by_component=_mean(components["avg_progress"]),
        avg_compliance_by_activity=_mean(activities["compliance"]),
        avg_compliance_by_component=_mean(components["avg_compliance"]),
        pct_cumplidas=by_status["Cumplida"] / applicable if applicable > 0 else None,
        n_not_applicable=int(activities["not_applicable"].fillna(False).astype(bool).sum()),
    )


# Deliveries --------------------------------------------------------------------------------

# Delivery states at the cut, in the order the Cronograma's legend lists them.
DELIVERY_DONE, DELIVERY_OVERDUE, DELIVERY_PENDING, DELIVERY_NA = (
    "Cumplida",
    "Vencida",
    "Pendiente",
    "No aplica",
)
# One point of slack, as check's OVERDUE_MARGIN (check imports this module, so it is repeated
# here; a test keeps the two equal).
DELIVERY_MARGIN = 0.01

DELIVERY_STATE_DTYPES: dict[str, str] = {
    "activity_id": "int64",
    "sequence": "int64",
    "n": "int64",  # deliveries of the activity
    "date": "datetime64[s]",
    "due": "boolean",
    "state": "string",
}


def delivery_states(activities: pd.DataFrame, deliveries: pd.DataFrame) -> pd.DataFrame:
    """Each scheduled delivery's state at the cut (see DELIVERY_STATE_DTYPES).

    Deliveries count as equal shares of the activity, in date order: delivery k of n is
    **Cumplida** when the reported progress is at least k/n less one point (33 % covers the
    first of three), **Vencida** when it is not and its date is on or before the cut,
    **Pendiente** otherwise. An activity marked N/A has its deliveries **No aplica**; a blank
    progress counts as 0 %, as check does. So an activity is Vencida exactly when one of its
    deliveries is.
    """
    if deliveries.empty:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in DELIVERY_STATE_DTYPES.items()})
    acts = activities.set_index("activity_id")
    ids = deliveries["activity_id"]
    counted = deliveries.groupby("activity_id")["sequence"].transform("count")
    declared = ids.map(acts["n_dates"]).astype("Float64")
    n = declared.where(declared > 0, counted).fillna(counted).astype("int64")
    progress = ids.map(acts["progress"]).astype("Float64").fillna(0.0)
    not_applicable = ids.map(acts["not_applicable"]).astype("boolean").fillna(False)
    share = deliveries["sequence"] / n
    done = (progress >= share - DELIVERY_MARGIN).astype(bool)
    due = deliveries["due"].astype("boolean").fillna(False).astype(bool)
    state = np.select(
        [not_applicable.astype(bool).to_numpy(), done.to_numpy(), due.to_numpy()],
        [DELIVERY_NA, DELIVERY_DONE, DELIVERY_OVERDUE],
        default=DELIVERY_PENDING,
    )
    frame = pd.DataFrame(
        {
            "activity_id": ids,
            "sequence": deliveries["sequence"],
            "n": n,
            "date": deliveries["date"],
            "due": deliveries["due"],
            "state": state,
        }
    )
    return frame.reset_index(drop=True).astype(DELIVERY_STATE_DTYPES)


# Owner areas -------------------------------------------------------------------------------

AREA_SUMMARY_DTYPES: dict[str, str] = {
    "entity": "string",
    "area": "string",
    "area_key": "string",
    "activities": "int64",
    "cumplidas": "int64",
    "vencidas": "int64",
    "sin_avance": "int64",
    "sin_seguimiento": "int64",
    "due_deliveries": "int64",  # deliveries dated on or before the cut
    "overdue_deliveries": "int64",  # of those, not covered by the reported progress
    "avg_progress": "Float64",
    "avg_compliance": "Float64",
    "traffic_light": "string",
}


def area_summary(
    activities: pd.DataFrame,
    areas: pd.DataFrame,
    states: pd.DataFrame,
    thresholds: Thresholds = DAFP_THRESHOLDS,
) -> pd.DataFrame:
    """One row per (entity, owner area): counts, deliveries due and missing, averages.

    ``areas`` is owners.owner_areas(activities) and ``states`` delivery_states(...). An
    activity with two areas counts in both. Rows run from the area with most activities down.
    """
    if areas.empty:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in AREA_SUMMARY_DTYPES.items()})
    acts = activities.set_index("activity_id")
    ids = areas["activity_id"]
    status = ids.map(acts["status"]).astype("string")
    alerts = ids.map(acts["alerts"]).astype("string")
    per_activity = (
        pd.DataFrame(
            {
                "activity_id": states["activity_id"],
                "due": states["due"].fillna(False).astype("int64"),
                "overdue": states["state"].eq(DELIVERY_OVERDUE).fillna(False).astype("int64"),
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
            "cumplidas": status.eq("Cumplida").fillna(False).astype("int64"),
            "vencidas": status.eq("Vencida").fillna(False).astype("int64"),
            "sin_avance": has_alert(alerts, "Sin avance").astype("int64"),
            "sin_seguimiento": has_alert(alerts, "Sin seguimiento").astype("int64"),
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
    return table[list(AREA_SUMMARY_DTYPES)].reset_index(drop=True).astype(AREA_SUMMARY_DTYPES)


# Publication -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Publication:
    """The publication deadline of a cut seen from the run date."""

    deadline: dt.date
    business_days_left: int  # after today up to the deadline; negative: business days late
    overdue: bool  # today is after the deadline
    text: str  # Spanish, for the Resumen


def publication_status(cutoff: dt.date, today: dt.date) -> Publication:
    """Deadline = tenth business day after the cut, seen from ``today`` (the run's date)."""
    last = publication_deadline(cutoff)
    left = business_days_between(today, last)
    if today > last:
        late = -left
        ago = "" if late == 0 else f" (hace {late} {'día hábil' if late == 1 else 'días hábiles'})"
        text = f"Venció el {last:%d/%m/%Y}{ago}; hoy es {today:%d/%m/%Y}."
    elif today == last:
        text = "Vence hoy."
    else:
        days = "día hábil" if left == 1 else "días hábiles"
        text = f"{'Falta' if left == 1 else 'Faltan'} {left} {days} (hoy es {today:%d/%m/%Y})."
    return Publication(last, left, today > last, text)


def followup_number(cutoff: dt.date) -> int:
    """Which of the year's three follow-ups a cut closes: 1 (to April), 2 (August), 3."""
    return 1 if cutoff.month <= 4 else 2 if cutoff.month <= 8 else 3
