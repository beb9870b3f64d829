"""frames: the written contract of the normalized data that every later stage relies on.

``activities`` has one row per activity, ``deliveries`` one row per scheduled date of an
activity. normalize fills the first block of columns; check adds the rule columns.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pandas is imported by ``empty``: the dtypes alone must not cost a start-up
    import numpy as np
    import pandas as pd

# What normalize produces.
ACTIVITY_DTYPES: dict[str, str] = {
    "activity_id": "int64",  # 0..n-1 within one run; deliveries point at it
    "file": "string",  # file name as the user sees it
    "sheet": "string",
    "row": "int64",  # first source row, 1-based as Excel shows it
    "entity": "string",
    "year": "Int64",
    # PAAC 1..6 (7..9: an entity's own), PTEP 11..17, Plan de Acción 21..24, then a file's
    # own sections (normalize.choice); <NA> when it could not be inferred.
    "component": "Int64",
    "component_label": "string",  # "1. Gestión del Riesgo de Corrupción – Mapa de Riesgos…"
    "subcomponent": "string",
    "activity": "string",
    "goal": "string",  # meta o producto
    "owner": "string",
    "schedule": "string",  # "31/03/2020; 30/06/2020" or "Permanente", as shown to users
    "permanent": "boolean",
    "n_dates": "int64",
    "progress": "Float64",  # reported progress, 0..1; <NA> when blank or N/A
    "progress_text": "string",  # the progress cell as written
    "not_applicable": "boolean",  # progress written as N/A: never counted as 0
    "followup": "string",  # seguimiento / observaciones of the OCI
    # The two texts followup joins, kept apart for the Seguimiento OCI form: the office's
    # "Actividades cumplidas" and the OCI's own "Observaciones" / "Seguimiento" column.
    "done": "string",
    "observations": "string",
    # No progress column, or a progress cell that could not be read: "Sin dato", never 0 %.
    "progress_unknown": "boolean",
    "area_progress": "Float64",  # the area's self-reported progress beside the OCI's
    "reported_status": "string",  # the office's own "Estado" column, as written
    "range_start": "datetime64[s]",  # first day of a scheduled range ("Marzo a diciembre")
    "code": "string",  # the activity's number ("1.2"): No./Ítem cell or a number opening it
    # Web addresses of the activity's support (cell hyperlinks, addresses in its texts), one
    # per line; <NA> when none (normalize.evidence).
    "evidence": "string",
    "followup_date": "datetime64[s]",  # the cut's "Fecha de seguimiento" on the row
}

# What check adds.
CHECK_DTYPES: dict[str, str] = {
    "expected": "Float64",  # avance esperado at the cut-off
    "compliance": "Float64",  # cumplimiento = progress / expected, capped at 1
    "traffic_light": "string",  # Rojo / Amarillo / Verde on compliance
    "status": "string",  # one of check.labels.STATUSES
    "next_date": "datetime64[s]",  # first scheduled date after the cut-off
}

# One boolean column per alert code of check.labels.ALERTS, in its order (the column is
# labels.alert_column(code)); the Spanish labels are only written, never stored.
ALERT_FLAG_DTYPES: dict[str, str] = {
    "alert_vencida": "bool",
    "alert_sin_avance": "bool",
    "alert_sin_seguimiento": "bool",
    "alert_na_con_fecha_pasada": "bool",
    "alert_proxima_a_vencer": "bool",
    "alert_sin_soporte": "bool",  # only with entrada/evidencias/ (check.support)
    "alert_avance_sin_evidencia": "bool",  # check.contradictions
    "alert_cero_con_ejecucion": "bool",
    "alert_avance_mayor_al_programado": "bool",
    "alert_fecha_posterior_al_corte": "bool",
}

CHECKED_ACTIVITY_DTYPES: dict[str, str] = {**ACTIVITY_DTYPES, **CHECK_DTYPES, **ALERT_FLAG_DTYPES}

DELIVERY_DTYPES: dict[str, str] = {
    "activity_id": "int64",
    "sequence": "int64",  # 1..n within the activity, in date order
    "date": "datetime64[s]",  # [ns] overflows after 2262: a typo like 3020 must not crash
}

# What check adds to each delivery.
CHECKED_DELIVERY_DTYPES: dict[str, str] = {
    **DELIVERY_DTYPES,
    "due": "boolean",  # dated on or before the cut-off
    "n": "int64",  # deliveries of the activity
    "state": "string",  # one of check.labels.DELIVERY_STATES
}

ALERT_DTYPES: dict[str, str] = {
    "activity_id": "int64",
    "file": "string",
    "sheet": "string",
    "row": "int64",
    "component_label": "string",
    "activity": "string",
    "owner": "string",
    "alert": "string",  # Spanish label, e.g. "Vencida"
    "code": "string",  # stable slug, e.g. "vencida"
    "detail": "string",  # Spanish explanation with the numbers
}

# What normalize says of every non-blank source row of every sheet: what became of it.
ROW_DTYPES: dict[str, str] = {
    "file": "string",
    "sheet": "string",
    "row": "int64",
    "role": "string",  # actividad / continuación / subítem / encabezado / omitida / historial
    "activity_id": "Int64",
    "reason": "string",  # why an omitted row was omitted; which cut a history row is
}

# The follow-ups of other cuts a file keeps (side-by-side blocks or a sheet per cut).
HISTORY_DTYPES: dict[str, str] = {
    "activity_id": "Int64",  # the consolidated activity; <NA> when it could not be matched
    "file": "string",
    "sheet": "string",
    "row": "int64",
    "cut": "string",  # "Seguimiento 1", the sheet name, …
    "cut_date": "datetime64[s]",
    "progress": "Float64",
    "progress_text": "string",
    "not_applicable": "boolean",
    "followup": "string",
}


# Figures check computes for the workbook (check.figures).
COMPONENT_SUMMARY_DTYPES: dict[str, str] = {
    "component": "Int64",
    "component_label": "string",
    "activities": "int64",
    "cumplidas": "int64",  # one count per estado (check.figures maps labels to these)
    "en_curso": "int64",
    "vencidas": "int64",
    "sin_iniciar": "int64",
    "no_aplica": "int64",
    "sin_dato": "int64",
    "sin_avance": "int64",
    "avg_progress": "Float64",
    "avg_compliance": "Float64",
    "traffic_light": "string",
}

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

# One row per activity and owner area it names (check.owners).
AREA_DTYPES: dict[str, str] = {
    "activity_id": "int64",
    "entity": "string",
    "area": "string",  # display name, the most frequent spelling of the area in the run
    "area_key": "string",  # accent-, case- and stop-word-free key used for grouping
    "subunits": "string",  # sub-units named for this activity, "; "-joined, <NA> when none
}

# What each activity still owes at the cut (check.pending), for Por responsable and mail.
PENDING_DTYPES: dict[str, str] = {
    "delivered": "string",  # deliveries dated up to the cut with their state, one per line
    "missing": "string",  # what the area must still send or report; <NA> when nothing
    "late": "string",  # dates of the overdue deliveries, ", "-joined
    "origin": "string",  # where the activity is in its file
}

# The problems as the Problemas sheet lists them (problems.problems_frame).
PROBLEM_COLUMNS: dict[str, str] = {
    "file": "string",
    "sheet": "string",
    "row": "Int64",
    "column": "string",
    "severity": "string",
    "code": "string",
    "message": "string",
}


def empty(dtypes: dict[str, str]) -> pd.DataFrame:
    """A frame with no rows and the declared columns and dtypes."""
    import pandas as pd

    frame: pd.DataFrame = pd.DataFrame(
        {name: pd.Series(dtype=dtype) for name, dtype in dtypes.items()}
    )
    return frame


# History (pac_excel.history) ---------------------------------------------------------------

# One activity of one stored cut, as the history store gives it back.
STORED_ACTIVITY_DTYPES: dict[str, str] = {
    "entity": "string",  # "" when the files did not name it
    "program": "string",  # "PAAC" (history.PROGRAM)
    "cut_date": "datetime64[s]",
    "year": "Int64",
    "file": "string",
    "sheet": "string",
    "row": "Int64",
    "component": "Int64",
    "component_label": "string",
    "subcomponent": "string",
    "activity": "string",
    "progress": "Float64",
    "progress_text": "string",
    "not_applicable": "boolean",
    "compliance": "Float64",  # <NA> for a cut a file carried beside the one consolidated
    "status": "string",
    "alerts": "string",
    "dates": "string",  # scheduled dates as "2020-03-31;2020-06-30"
    "followup": "string",
}

# The year as one story: one row per activity (track) and stored cut it appears in, plus a
# row at the cut where a dropped activity went missing (event "Retirada", no progress).
EVOLUTION_DTYPES: dict[str, str] = {
    "track": "int64",  # the same activity across cuts
    "entity": "string",
    "program": "string",
    "cut_date": "datetime64[s]",
    "component": "Int64",
    "component_label": "string",
    "activity": "string",  # the text at this cut
    "file": "string",
    "sheet": "string",
    "row": "Int64",
    "progress": "Float64",
    "not_applicable": "boolean",
    "compliance": "Float64",
    "change": "Float64",  # progress minus the track's progress at the previous cut
    "event": "string",  # Igual / Texto cambiado / Dividida / Fijada / Nueva / Retirada
    "alert": "string",  # "Sin movimiento" or <NA>
    "detail": "string",  # Spanish explanation of the alert
}

# The plan as published against the follow-up (history.plan).
PLAN_CHECK_DTYPES: dict[str, str] = {
    "finding": "string",  # Spanish: "No está en el seguimiento", "No estaba en el plan", …
    "component_label": "string",
    "plan_activity": "string",
    "plan_file": "string",
    "plan_sheet": "string",
    "plan_row": "Int64",
    "activity": "string",  # as the follow-up writes it
    "file": "string",
    "sheet": "string",
    "row": "Int64",
    "similarity": "Float64",  # 0..1, for reworded ones
}


def plain_values(series: pd.Series) -> list[Any]:
    """A column as plain Python values, None for <NA>, NaN and NaT: what xlsxwriter and sqlite3
    take, and what the history's story reads.

    ``tolist`` already gives Python scalars (Timestamps for dates); only the missing ones are
    replaced. A cast to object and a ``where`` cost five times as much on short columns (0.2 ms
    a column; a one-office workbook writes 85)."""
    plain: list[Any] = series.tolist()
    missing = series.isna().to_numpy()
    if missing.any():
        plain = [
            None if gone else value for value, gone in zip(plain, missing.tolist(), strict=True)
        ]
    return plain


def distinct_codes(texts: pd.Series) -> tuple[list[str], np.ndarray]:
    """The distinct texts in order of first appearance, and each row's position among them:
    the texts walked once as an object array and looked up in a dict (see ``map_distinct``)."""
    import numpy as np

    values = texts.to_numpy(dtype=object)
    where: dict[str, int] = {}
    codes = np.fromiter(
        (where.setdefault(v, len(where)) for v in values), dtype=np.intp, count=len(values)
    )
    return list(where), codes


def map_distinct(texts: pd.Series, func: Callable[[str], object]) -> pd.Series:
    """``texts.map`` of each distinct text's ``func`` (no <NA> allowed), typed as pandas types
    the map of a dict.

    A state, a progress text or an empty follow-up repeats on thousands of rows; each is
    worked out once and the rows take the answer by position. The texts are walked as one
    object array and looked up in a dict: neither pandas' string hash table (it leaves a
    UTF-8 copy inside every distinct text it sees, which doubled what the run's follow-ups
    held) nor a walk over the string array (a Python call per element) is used.
    """
    import pandas as pd

    distinct, codes = distinct_codes(texts)
    answers = pd.Series([func(v) for v in distinct])  # typed as ``Series.map`` types a dict's
    if answers.empty:
        return texts.map({})
    mapped: pd.Series = answers.take(codes).set_axis(texts.index)
    return mapped
