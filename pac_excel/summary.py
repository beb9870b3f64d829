"""summary: the figures the director reads first, computed from the checked activities frame.

Everything here is vectorised and pure: the same frame always gives the same numbers. Averages
skip <NA> (blank or N/A progress), so an activity that does not apply is never counted as 0 %.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

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
    parts["avg_progress"] = activities["progress"].astype("Float64")
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
        avg_progress_by_activity=_mean(activities["progress"]),
        avg_progress_by_component=_mean(components["avg_progress"]),
        avg_compliance_by_activity=_mean(activities["compliance"]),
        avg_compliance_by_component=_mean(components["avg_compliance"]),
        pct_cumplidas=by_status["Cumplida"] / applicable if applicable > 0 else None,
        n_not_applicable=int(activities["not_applicable"].fillna(False).astype(bool).sum()),
    )
