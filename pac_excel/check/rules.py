"""check: the rules at the cut-off, applied to whole columns.

Each activity gets its avance esperado (share of its scheduled dates on or before the cut; for
"Permanente" the share of the year elapsed), its cumplimiento (reported / expected, capped at
100 %), a semáforo on the DAFP scale, an estado, and one boolean column per alert. Each
delivery gets its state at the cut. One row per alert also goes to the ``alerts`` frame.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pac_excel.check import labels
from pac_excel.check.contradictions import contradiction_flags
from pac_excel.check.labels import ALERTS, alert_column
from pac_excel.check.semaforo import DAFP_THRESHOLDS, Thresholds, traffic_lights
from pac_excel.check.support import unsupported
from pac_excel.deadline import PUBLICATION_BUSINESS_DAYS, next_official_cut
from pac_excel.frames import (
    ALERT_DTYPES,
    CHECKED_ACTIVITY_DTYPES,
    CHECKED_DELIVERY_DTYPES,
    empty,
    map_distinct,
)
from pac_excel.read.evidence_folder import EvidenceFolder
from pac_excel.text import Shared

# "Vencida" needs the reported progress below the expected by more than one point.
OVERDUE_MARGIN = 0.01


@dataclass
class Checked:
    """check's output: activities with the rule and alert columns, deliveries with ``due``
    and ``state`` (frames.CHECKED_DELIVERY_DTYPES), the alerts."""

    activities: pd.DataFrame
    deliveries: pd.DataFrame
    alerts: pd.DataFrame


def year_elapsed(cutoff: dt.date, year: int | None) -> float:
    """Share of ``year`` elapsed at the cut-off, in months: 4/12 at 30 April."""
    year = year or cutoff.year
    if cutoff.year < year:
        return 0.0
    if cutoff.year > year:
        return 1.0
    days = calendar.monthrange(cutoff.year, cutoff.month)[1]
    return ((cutoff.month - 1) + cutoff.day / days) / 12


def check(
    activities: pd.DataFrame,
    deliveries: pd.DataFrame,
    cutoff: dt.date,
    thresholds: Thresholds = DAFP_THRESHOLDS,
    *,
    evidence: EvidenceFolder | None = None,
    publication_days: int = PUBLICATION_BUSINESS_DAYS,
) -> Checked:
    """Apply every rule at ``cutoff``; inputs are not modified. ``evidence``: the listed
    ``entrada/evidencias/`` folder, if any (the alert Sin soporte needs it)."""
    # Shallow: copy-on-write keeps the inputs as they are, and a deep copy of every column
    # was a second copy of the run's activities held for the whole check.
    acts = activities.copy(deep=False)
    deliv = deliveries.copy(deep=False)
    cut = pd.Timestamp(cutoff)
    deliv["due"] = (deliv["date"] <= cut).astype("boolean")

    n_due = deliv.groupby("activity_id")["due"].sum()
    later = deliv.loc[~deliv["due"].astype(bool)].groupby("activity_id")["date"].min()
    ids = acts["activity_id"]
    due_count = ids.map(n_due).fillna(0).astype("int64")
    # Mapping through an empty Series would give floats, not dates.
    next_date = pd.Series(ids.map(later) if len(later) else pd.NaT, index=acts.index)
    next_date = next_date.astype("datetime64[s]")

    # Per distinct vigencia, not per activity (a run has one or two years, and 40,000 rows).
    years = acts["year"]
    by_year = {int(y): year_elapsed(cutoff, int(y)) for y in years.dropna().unique()}
    elapsed = years.map(by_year).astype("Float64").fillna(year_elapsed(cutoff, None))
    permanent = acts["permanent"].fillna(False).astype(bool)
    dated = acts["n_dates"] > 0
    expected = pd.Series(pd.NA, index=acts.index, dtype="Float64")
    expected = expected.mask(dated, due_count / acts["n_dates"].where(dated, 1))
    expected = expected.mask(permanent & ~dated, elapsed)
    last = deliv.groupby("activity_id")["date"].max()
    end = pd.Series(ids.map(last) if len(last) else pd.NaT, index=acts.index)
    ranged = acts["range_start"].notna() & dated
    expected = expected.mask(ranged, range_elapsed(acts["range_start"], end, cut))

    not_applicable = acts["not_applicable"].fillna(False).astype(bool)
    unknown = acts["progress_unknown"].fillna(False).astype(bool)
    progress = acts["progress"].astype("Float64")
    valid_progress = progress.where(progress.between(0, 1))
    compliance = (valid_progress / expected.where(expected > 0)).clip(upper=1.0)
    compliance = compliance.astype("Float64")

    has_due = (due_count > 0) & ~permanent
    reported = progress.fillna(0.0)
    blank = progress.isna() & ~not_applicable
    followup_blank = map_distinct(acts["followup"].fillna(""), _says_nothing).astype(bool)

    flags = {
        "vencida": has_due & ~not_applicable & ~unknown & short_of(reported, expected.fillna(0)),
        "sin-avance": progress.eq(0).fillna(False),
        "sin-seguimiento": blank & followup_blank,
        "na-con-fecha-pasada": not_applicable & (due_count > 0),
        "proxima-a-vencer": next_date.le(pd.Timestamp(next_official_cut(cutoff))).fillna(False)
        & ~not_applicable
        & progress.lt(1).fillna(True)
        & ~permanent,
    }
    contradictions, details = contradiction_flags(acts, cutoff, publication_days)
    flags.update(contradictions, **{"sin-soporte": unsupported(acts, evidence)})
    flags = {code: mask.fillna(False).astype(bool) for code, mask in flags.items()}

    status = labels.pick(
        [
            not_applicable,
            unknown,
            progress.ge(1).fillna(False),
            flags["vencida"],
            # A negative progress is flagged by normalize and says nothing usable.
            blank | progress.lt(0).fillna(False),
            progress.eq(0).fillna(False),
        ],
        [
            labels.NOT_APPLICABLE,
            labels.NO_DATA,
            labels.DONE,
            labels.OVERDUE,
            labels.NO_DATA,
            labels.NOT_STARTED,
        ],
        default=labels.IN_PROGRESS,
    )

    acts["expected"] = expected
    acts["compliance"] = compliance
    acts["traffic_light"] = traffic_lights(compliance, thresholds)
    acts["status"] = pd.Series(status, index=acts.index, dtype="string")
    acts["next_date"] = next_date.astype("datetime64[s]")
    for code, mask in flags.items():
        acts[alert_column(code)] = mask
    acts = acts.astype(CHECKED_ACTIVITY_DTYPES)
    deliv = delivery_states(acts, deliv)
    alerts = _alerts_frame(acts, flags, cutoff, due_count, details)
    return Checked(acts, deliv, alerts)


def range_elapsed(start: pd.Series, end: pd.Series, cut: pd.Timestamp) -> pd.Series:
    """Share of each activity's range ("Marzo a diciembre") elapsed at the cut, in days: what
    is expected of an activity that runs through the range rather than delivering at its end.
    The range ends at the activity's one scheduled date; <NA> where there is no range."""
    start = pd.to_datetime(start)
    end = pd.to_datetime(end)
    days = (end - start).dt.days + 1
    done = (cut - start).dt.days + 1
    share: pd.Series = (done / days.where(days > 0)).clip(lower=0.0, upper=1.0)
    return share.astype("Float64")


def short_of(progress: pd.Series, share: pd.Series) -> pd.Series:
    """The one overdue rule: ``progress`` below ``share`` by more than OVERDUE_MARGIN.

    An activity is Vencida when it falls short of its avance esperado; a delivery k of n
    when it falls short of k/n. So an activity is Vencida exactly when one of its deliveries is.
    """
    return progress < share - OVERDUE_MARGIN


def delivery_states(activities: pd.DataFrame, deliveries: pd.DataFrame) -> pd.DataFrame:
    """``deliveries`` (with ``due``) plus ``n`` and each delivery's ``state`` at the cut.

    Deliveries count as equal shares of the activity, in date order: delivery k of n is
    **Cumplida** when the reported progress is not short of k/n (33 % covers the first of
    three), **Vencida** when it is and its date is on or before the cut, **Pendiente**
    otherwise. An activity marked N/A has its deliveries **No aplica**, one whose progress
    could not be read **Sin dato**; a blank progress counts as 0 %, as the activity rule does.
    """
    if deliveries.empty:
        return empty(CHECKED_DELIVERY_DTYPES)
    acts = activities.set_index("activity_id")
    ids = deliveries["activity_id"]
    counted = deliveries.groupby("activity_id")["sequence"].transform("count")
    declared = ids.map(acts["n_dates"]).astype("Float64")
    n = declared.where(declared > 0, counted).fillna(counted).astype("int64")
    progress = ids.map(acts["progress"]).astype("Float64").fillna(0.0)
    not_applicable = ids.map(acts["not_applicable"]).astype("boolean").fillna(False)
    unknown = ids.map(acts["progress_unknown"]).astype("boolean").fillna(False).astype(bool)
    done = ~short_of(progress, deliveries["sequence"] / n).astype(bool)
    due = deliveries["due"].astype("boolean").fillna(False).astype(bool)
    state = labels.pick(
        [
            not_applicable.astype(bool).to_numpy(),
            unknown.to_numpy(),
            done.to_numpy(),
            due.to_numpy(),
        ],
        [
            labels.DELIVERY_NA,
            labels.DELIVERY_NO_DATA,
            labels.DELIVERY_DONE,
            labels.DELIVERY_OVERDUE,
        ],
        default=labels.DELIVERY_PENDING,
    )
    frame: pd.DataFrame = deliveries.assign(n=n, state=state)
    frame = frame[list(CHECKED_DELIVERY_DTYPES)].astype(CHECKED_DELIVERY_DTYPES)
    return frame


def _says_nothing(text: str) -> bool:
    """A follow-up text that is blank, "N/A" or "NA" (one value: no column-wide copies)."""
    return text.strip().lower() in ("", "n/a", "na")


def _percent(series: pd.Series) -> pd.Series:
    return (series.astype("Float64") * 100).round().astype("Int64").astype("string") + " %"


def _alerts_frame(
    acts: pd.DataFrame,
    flags: dict[str, pd.Series],
    cutoff: dt.date,
    due_count: pd.Series,
    more: dict[str, pd.Series],
) -> pd.DataFrame:
    """One row per (activity, alert), with a detail a person can act on; ``more`` holds the
    details the evidence and contradiction rules wrote. Details are written for the flagged
    rows only: a text per row and code would be most of what check holds."""
    cut = cutoff.strftime("%d/%m/%Y")

    def overdue(mask: pd.Series) -> pd.Series:
        rows = acts.loc[mask]
        reported = _percent(rows["progress"]).fillna("sin dato")
        expected = _percent(rows["expected"]).fillna("—")
        due = due_count.loc[mask].astype("string")
        text: pd.Series = (
            "Avance reportado " + reported + ", esperado " + expected + " al " + cut + " ("
            + due + " de " + rows["n_dates"].astype("string") + " entregas vencidas)."
        )  # fmt: skip
        return text

    def past_dates(mask: pd.Series) -> pd.Series:
        due = due_count.loc[mask].astype("string")
        text: pd.Series = "Marcada N/A aunque tenía " + due + " fecha(s) programada(s) hasta el "
        return text + cut + "."

    def next_delivery(mask: pd.Series) -> pd.Series:
        next_date = acts.loc[mask, "next_date"].dt.strftime("%d/%m/%Y")
        text: pd.Series = "Próxima entrega el " + next_date
        return text + ", antes del siguiente corte."

    details: dict[str, str | pd.Series | Callable[[pd.Series], pd.Series]] = {
        "vencida": overdue,
        "sin-avance": "El avance reportado es 0 %.",
        "sin-seguimiento": "No hay % de avance ni texto de seguimiento.",
        "na-con-fecha-pasada": past_dates,
        "proxima-a-vencer": next_delivery,
        "sin-soporte": "Reporta avance sin enlace de evidencia ni archivo en evidencias.",
        **more,
    }
    # Rows are gathered as positions and each column taken once, in its final order: the
    # frames per code, their concatenation and its sorted copy were check's peak.
    positions, orders, texts = [], [], []
    for order, code in enumerate(ALERTS):
        mask = flags[code]
        if not mask.any():
            continue
        rows = np.flatnonzero(mask.to_numpy())
        detail = details[code]
        if callable(detail):
            text: object = detail(mask).loc[mask.index[rows]]
        elif isinstance(detail, pd.Series):  # indexed by the rows it flags
            text = detail.loc[mask.index[rows]]
        else:
            text = detail
        positions.append(rows)
        orders.append(np.full(len(rows), order))
        texts.append(text)
    if not positions:
        return empty(ALERT_DTYPES)
    taken, order_of = np.concatenate(positions), np.concatenate(orders)
    # By activity, then in ALERTS order (lexsort is stable; the last key is the first one).
    sort = np.lexsort((order_of, acts["activity_id"].to_numpy()[taken]))
    shared = Shared()
    detail_texts = np.empty(len(taken), dtype=object)
    at = 0
    for text, rows in zip(texts, positions, strict=True):
        if isinstance(text, pd.Series):
            values = [shared(t) for t in text.array]
        else:
            values = [text] * len(rows)
        detail_texts[at : at + len(rows)] = values
        at += len(rows)
    labels_of = np.array(list(ALERTS.values()), dtype=object)
    codes_of = np.array(list(ALERTS), dtype=object)
    columns = ["activity_id", "file", "sheet", "row", "component_label", "activity", "owner"]
    data: dict[str, object] = {name: acts[name].array.take(taken[sort]) for name in columns}
    data["alert"] = labels_of[order_of[sort]]
    data["code"] = codes_of[order_of[sort]]
    data["detail"] = detail_texts[sort]
    frame: pd.DataFrame = pd.DataFrame(data).astype(ALERT_DTYPES)
    return frame
