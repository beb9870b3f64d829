"""labels: the one copy of the Spanish words check decides with and the workbook shows.

Rules, figures and the writer all name a status, an alert or a delivery state through these
constants, so a label changed here changes everywhere at once. Alerts travel as data (one
boolean column per code, ``frames.ALERT_FLAG_DTYPES``); their labels are only used when
something is written for a person.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

# Activity statuses, in the order the workbook lists them.
DONE = "Cumplida"
IN_PROGRESS = "En curso"
OVERDUE = "Vencida"
NOT_STARTED = "Sin iniciar"
NOT_APPLICABLE = "No aplica"
NO_DATA = "Sin dato"
STATUSES: tuple[str, ...] = (DONE, IN_PROGRESS, OVERDUE, NOT_STARTED, NOT_APPLICABLE, NO_DATA)

# Alert code -> label users read; the order is the order they are listed in.
ALERTS: dict[str, str] = {
    "vencida": "Vencida",
    "sin-avance": "Sin avance",
    "sin-seguimiento": "Sin seguimiento",
    "na-con-fecha-pasada": "N/A con fecha pasada",
    "proxima-a-vencer": "Próxima a vencer",
    # Evidence and contradictions (check.support, check.contradictions).
    "sin-soporte": "Sin soporte",
    "avance-sin-evidencia": "Cumplida sin evidencia",
    "cero-con-ejecucion": "0 % con ejecución",
    "avance-mayor-al-programado": "Avance excedido",
    "fecha-posterior-al-corte": "Fecha posterior al corte",
}
# The evidence and contradiction alerts: the Seguimiento OCI form names them after its verdict.
EVIDENCE_ALERTS: tuple[str, ...] = (
    "sin-soporte",
    "avance-sin-evidencia",
    "cero-con-ejecucion",
    "avance-mayor-al-programado",
    "fecha-posterior-al-corte",
)
# A Cumplida whose claim an alert puts in doubt is shown with this estado in Actividades
# (the data keeps Cumplida, so the figures count what the areas reported).
DONE_UNVERIFIED = "Cumplida (por verificar)"
UNVERIFIED_ALERTS: tuple[str, ...] = (
    "sin-soporte",
    "avance-sin-evidencia",
    "avance-mayor-al-programado",
    "fecha-posterior-al-corte",
)
# How the Actividades sheet joins the labels of one activity's alerts.
ALERT_SEPARATOR = "; "

# Delivery states at the cut, in the order the Cronograma's legend lists them.
DELIVERY_DONE = "Cumplida"
DELIVERY_OVERDUE = "Vencida"
DELIVERY_PENDING = "Pendiente"
DELIVERY_NA = "No aplica"
DELIVERY_NO_DATA = "Sin dato"  # the activity's progress could not be read: never Vencida
DELIVERY_STATES: tuple[str, ...] = (
    DELIVERY_DONE,
    DELIVERY_OVERDUE,
    DELIVERY_PENDING,
    DELIVERY_NA,
    DELIVERY_NO_DATA,
)

# Cumplimiento of an activity with nothing due yet, written instead of a blank.
NO_SCHEDULE_YET = "Sin programación a la fecha"
NOTHING_DUE = "Sin programación"  # a semáforo cell: nothing was due at the cut
# The component of activities whose component could not be inferred.
NO_COMPONENT = "Sin componente"


def alert_column(code: str) -> str:
    """The boolean column of ``code`` on the checked activities: ``alert_sin_avance``."""
    return "alert_" + code.replace("-", "_")


def pick(conditions: Sequence[ArrayLike], choices: Sequence[str], default: str) -> np.ndarray:
    """``np.select`` of labels that keeps one object per label, not one copy per row.

    A text column stores what it is given: the plain ``np.select`` of strings gives a fixed-
    width array, which becomes a new text object per row (40,000 rows: 40,000 copies of
    "Vencida" instead of one).
    """
    return np.select(
        [np.asarray(c, dtype=bool) for c in conditions],
        [np.array(c, dtype=object) for c in choices],
        default=np.array(default, dtype=object),
    )
