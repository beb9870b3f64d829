"""The recommendations name every alert kind that has advice (keys are alert codes)."""

from __future__ import annotations

import datetime as dt

from pac_excel.check.labels import ALERTS
from pac_excel.publish.advice import _ADVICE, Tally, recommendations
from pac_excel.publish.content import PAAC, EntityReport


def _report() -> EntityReport:
    return EntityReport(
        entity="Alcaldía de Prueba", vigencia="2020", cutoff=dt.date(2020, 4, 30), number=1,
        program=PAAC, components=[], activities=3, by_status={"No aplica": 2}, progress=None,
        compliance=None, light=None, areas=[], alert_counts={},
    )  # fmt: skip


def test_every_advice_key_is_an_alert_code() -> None:
    # "na-con-fecha" (not a code) kept its advice from ever being given.
    assert set(_ADVICE) <= set(ALERTS)


def test_not_applicable_with_past_dates_gets_its_recommendation() -> None:
    tally: Tally = [("na-con-fecha-pasada", "Secretaría de Hacienda", 2)]
    advice = recommendations(_report(), tally)
    assert advice[0] == (
        "Se recomienda a la Secretaría de Hacienda justificar la no aplicación de las 2 "
        "actividades con entregas programadas o solicitar el ajuste del plan ante la instancia "
        "competente."
    )
