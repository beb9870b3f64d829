"""pending: what each activity owed at the cut and what is still missing, in the OCI's words.

Shared by Por responsable (the list sent to each area) and the Seguimiento OCI form. Pure:
the same checked activities and deliveries always give the same texts.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from pac_excel.check.figures import has_alert
from pac_excel.check.labels import DELIVERY_OVERDUE
from pac_excel.frames import PENDING_DTYPES

PERMANENT = "Permanente (sin entregas con fecha)"
NONE_DUE = "Ninguna"


def _join_by(ids: Iterable[int], texts: Iterable[str], sep: str) -> dict[int, str]:
    """Texts joined per id, in order; a plain loop beats groupby.agg(join) by far here."""
    joined: dict[int, list[str]] = {}
    for key, text in zip(ids, texts, strict=True):
        joined.setdefault(key, []).append(text)
    return {key: sep.join(parts) for key, parts in joined.items()}


def _labelled(mask: pd.Series | np.ndarray, text: str, index: pd.Index) -> pd.Series:
    labelled: pd.Series = pd.Series(
        np.where(np.asarray(mask, dtype=bool), text, ""), index=index, dtype="string"
    )
    return labelled


def activity_pending(activities: pd.DataFrame, deliveries: pd.DataFrame) -> pd.DataFrame:
    """Per activity (indexed by activity_id), see PENDING_DTYPES.

    Missing, in the order an OCI asks for it: evidence of each overdue delivery, a reason for
    an N/A that had deliveries due, the progress and follow-up not reported, a 0 % while
    something was expected (when no delivery is overdue already).
    """
    acts = activities.set_index("activity_id", drop=False)
    index = acts.index
    due = deliveries[deliveries["due"].fillna(False).astype(bool)]
    dates = due["date"].dt.strftime("%d/%m/%Y").tolist()
    due_ids = due["activity_id"].tolist()
    lines = _join_by(
        due_ids, (f"{d} {s.lower()}" for d, s in zip(dates, due["state"], strict=True)), "\n"
    )
    overdue = [s == DELIVERY_OVERDUE for s in due["state"]]
    late_map = _join_by(
        (i for i, o in zip(due_ids, overdue, strict=True) if o),
        (d for d, o in zip(dates, overdue, strict=True) if o),
        ", ",
    )
    ids = acts["activity_id"]
    permanent = acts["permanent"].fillna(False).astype(bool)
    delivered = pd.Series(ids.map(lines), index=index, dtype="string")
    fallback = pd.Series(np.where(permanent, PERMANENT, NONE_DUE), index=index, dtype="string")
    delivered = delivered.fillna(fallback)
    late = pd.Series(ids.map(late_map), index=index, dtype="string")

    na = acts["not_applicable"].fillna(False).astype(bool).to_numpy()
    progress = acts["progress"].astype("Float64")
    expected = acts["expected"].astype("Float64").fillna(0).to_numpy(dtype="float64")
    several = late.str.contains(",", regex=False).fillna(False)
    evidence = ("Enviar evidencia de la entrega del " + late).mask(
        several, "Enviar evidencia de las entregas del " + late
    )
    no_progress = progress.isna().to_numpy() & ~na
    no_followup = has_alert(acts, "sin-seguimiento")
    parts = [
        evidence.fillna(""),
        _labelled(
            has_alert(acts, "na-con-fecha-pasada"),
            "Justificar el N/A: tenía entregas hasta el corte",
            index,
        ),
        _labelled(
            no_followup,
            "Reportar el % de avance y el seguimiento",
            index,
        ).mask(~no_followup & no_progress, "Reportar el % de avance"),
        _labelled(
            progress.eq(0).fillna(False).to_numpy() & (expected > 0) & late.isna().to_numpy(),
            "Avance reportado en 0 %",
            index,
        ),
    ]
    missing = pd.Series("", index=index, dtype="string")
    for part in parts:
        missing = missing.where(part == "", missing.where(missing == "", missing + "\n") + part)
    origin = (
        "Fila "
        + acts["row"].astype("string")
        + " de la hoja "
        + acts["sheet"].astype("string").fillna("")
        + " en "
        + acts["file"].astype("string").fillna("")
    )
    frame = pd.DataFrame(
        {
            "delivered": delivered,
            "missing": missing.mask(missing == ""),
            "late": late,
            "origin": origin,
        },
        index=index,
    )
    typed: pd.DataFrame = frame.astype(PENDING_DTYPES)
    return typed
