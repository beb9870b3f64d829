"""Summary figures on literal frames: colour edges, counts, and the two weightings."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest
from readback import activities

from pac_excel.check.figures import (
    AREA_SUMMARY_DTYPES,
    COMPONENT_SUMMARY_DTYPES,
    NO_COMPONENT,
    alert_counts,
    area_summary,
    component_summary,
    followup_number,
    overall_summary,
    publication_status,
)
from pac_excel.check.owners import owner_areas
from pac_excel.check.rules import delivery_states
from pac_excel.check.semaforo import traffic_light, traffic_lights
from pac_excel.frames import CHECKED_DELIVERY_DTYPES, DELIVERY_DTYPES

EDGES = [
    (0.0, "Rojo"),
    (0.59, "Rojo"),
    (0.595, "Rojo"),  # shown as "60%" but still below 60 %
    (0.60, "Amarillo"),
    (0.799, "Amarillo"),
    (0.80, "Verde"),
    (0.48 / 0.6, "Verde"),  # 0.7999999999999999: float noise, not a yellow
    (1.0, "Verde"),
    (None, None),
    (math.nan, None),
]


@pytest.mark.parametrize(("value", "colour"), EDGES)
def test_traffic_light_edges(value: float | None, colour: str | None) -> None:
    assert traffic_light(value) == colour


def test_traffic_lights_matches_scalar_and_keeps_na() -> None:
    values = pd.Series([v for v, _ in EDGES], dtype="Float64")
    got = traffic_lights(values)
    assert str(got.dtype) == "string"
    assert [None if pd.isna(c) else c for c in got] == [c for _, c in EDGES]


def test_traffic_light_of_pandas_na() -> None:
    assert traffic_light(pd.NA) is None  # type: ignore[arg-type]


C1 = "1. Gestión del Riesgo de Corrupción – Mapa de Riesgos de Corrupción"
C3 = "3. Rendición de Cuentas"


def sample() -> pd.DataFrame:
    """Component 1 has three activities, component 3 one, and one has no component."""
    return activities(
        {"component": 3, "component_label": C3, "status": "Vencida", "progress": 0.0,
         "compliance": 0.0, "alerts": "Vencida; Sin avance"},
        {"component": 1, "status": "Cumplida", "progress": 1.0, "compliance": 1.0},
        {"component": 1, "status": "En curso", "progress": 0.5, "compliance": 1.0},
        {"component": 1, "status": "No aplica", "not_applicable": True, "progress_text": "N/A",
         "alerts": "N/A con fecha pasada"},
        {"component": None, "component_label": None, "status": "Sin iniciar", "progress": 0.0,
         "compliance": 0.5, "alerts": "Sin avance"},
        {"component": 1, "status": "Sin dato"},
    )  # fmt: skip


def test_component_summary_rows_and_counts() -> None:
    table = component_summary(sample())
    assert table.dtypes.astype(str).to_dict() == COMPONENT_SUMMARY_DTYPES
    assert table["component"].tolist() == [1, 3, pd.NA]
    assert table["component_label"].tolist() == [C1, C3, NO_COMPONENT]
    counts = table[
        ["activities", "cumplidas", "en_curso", "vencidas", "sin_iniciar", "no_aplica",
         "sin_dato", "sin_avance"]
    ].to_numpy().tolist()  # fmt: skip
    assert counts == [
        [4, 1, 1, 0, 0, 1, 1, 0],
        [1, 0, 0, 1, 0, 0, 0, 1],
        [1, 0, 0, 0, 1, 0, 0, 1],
    ]


def test_component_averages_skip_na_and_blank() -> None:
    table = component_summary(sample())
    # Component 1: 1.0 and 0.5; the N/A and the blank activity are not zeros.
    assert table["avg_progress"].tolist() == [0.75, 0.0, 0.0]
    assert table["avg_compliance"].tolist() == [1.0, 0.0, 0.5]
    assert table["traffic_light"].tolist() == ["Verde", "Rojo", "Rojo"]


def test_component_with_only_na_has_no_average_and_no_colour() -> None:
    table = component_summary(
        activities({"status": "No aplica", "not_applicable": True}, {"status": "Sin dato"})
    )
    assert table["avg_progress"].isna().all()
    assert table["traffic_light"].isna().all()


def test_sin_avance_counts_the_alert_flag() -> None:
    table = component_summary(activities({"alerts": "Vencida"}, {"alerts": "Vencida; Sin avance"}))
    assert table["sin_avance"].tolist() == [1]


def test_overall_weightings_differ() -> None:
    overall = overall_summary(sample())
    # By activity: (0 + 1 + 0.5 + 0) / 4; by component: mean of 0.75, 0 and 0.
    assert overall.avg_progress_by_activity == pytest.approx(0.375)
    assert overall.avg_progress_by_component == pytest.approx(0.25)
    assert overall.avg_compliance_by_activity == pytest.approx(2.5 / 4)
    assert overall.avg_compliance_by_component == pytest.approx(1.5 / 3)


def test_overall_counts() -> None:
    overall = overall_summary(sample())
    assert overall.activities == 6
    assert overall.by_status == {
        "Cumplida": 1, "En curso": 1, "Vencida": 1, "Sin iniciar": 1, "No aplica": 1,
        "Sin dato": 1,
    }  # fmt: skip
    assert overall.by_alert == {
        "Vencida": 1, "Sin avance": 2, "Sin seguimiento": 0, "N/A con fecha pasada": 1,
        "Próxima a vencer": 0,
        "Sin soporte": 0, "Cumplida sin evidencia": 0, "0 % con ejecución": 0,
        "Avance excedido": 0, "Fecha posterior al corte": 0,
    }  # fmt: skip
    assert overall.pct_cumplidas == pytest.approx(1 / 5)  # "No aplica" is not in the base
    assert overall.n_not_applicable == 1
    assert overall.as_dict()["activities"] == 6


def test_overall_of_nothing() -> None:
    overall = overall_summary(activities())
    assert overall.activities == 0
    assert set(overall.by_status.values()) == {0}
    assert overall.avg_progress_by_activity is None
    assert overall.avg_compliance_by_component is None
    assert overall.pct_cumplidas is None
    assert component_summary(activities()).empty


def test_alert_counts_keep_every_label_in_order() -> None:
    counts = alert_counts(activities({"alerts": "Próxima a vencer"}, {}))
    assert counts == {
        "Vencida": 0, "Sin avance": 0, "Sin seguimiento": 0, "N/A con fecha pasada": 0,
        "Próxima a vencer": 1,
        "Sin soporte": 0, "Cumplida sin evidencia": 0, "0 % con ejecución": 0,
        "Avance excedido": 0, "Fecha posterior al corte": 0,
    }  # fmt: skip


# Deliveries, areas, publication -----------------------------------------------------------


def _deliveries(*rows: tuple[int, int, str, bool]) -> pd.DataFrame:
    """Deliveries as check has them before their state: with ``due``."""
    dtypes = {**DELIVERY_DTYPES, "due": "boolean"}
    frame = pd.DataFrame(
        [(a, s, pd.Timestamp(d), due) for a, s, d, due in rows], columns=list(dtypes)
    )
    typed: pd.DataFrame = frame.astype(dtypes)
    return typed


def test_delivery_k_of_n_is_done_once_progress_reaches_k_over_n() -> None:
    acts = activities(
        {"progress": 0.33, "n_dates": 3},  # one of three, with 33 % for 1/3
        {"progress": 0.0, "n_dates": 1},
        {"progress": None, "n_dates": 1},  # blank counts as 0 %, as check does
        {"progress": None, "not_applicable": True, "n_dates": 1},
        {"progress": 1.0, "n_dates": 2},  # delivered early: future delivery done too
    )
    states = delivery_states(
        acts,
        _deliveries(
            (0, 1, "2020-01-31", True), (0, 2, "2020-04-30", True), (0, 3, "2020-08-31", False),
            (1, 1, "2020-06-30", False),
            (2, 1, "2020-03-31", True),
            (3, 1, "2020-03-31", True),
            (4, 1, "2020-03-31", True), (4, 2, "2020-12-31", False),
        ),
    )  # fmt: skip
    assert str(states["state"].dtype) == "string"
    assert states["state"].tolist() == [
        "Cumplida", "Vencida", "Pendiente", "Pendiente", "Vencida", "No aplica", "Cumplida",
        "Cumplida",
    ]  # fmt: skip
    assert states["n"].tolist() == [3, 3, 3, 1, 1, 1, 2, 2]


def test_delivery_states_of_nothing() -> None:
    states = delivery_states(activities(), _deliveries())
    assert states.empty
    assert states.dtypes.astype(str).to_dict() == CHECKED_DELIVERY_DTYPES


def test_area_summary_counts_an_activity_in_each_of_its_areas() -> None:
    acts = activities(
        {"owner": "Planeación / TIC", "status": "Vencida", "progress": 0.0, "compliance": 0.0,
         "alerts": "Vencida; Sin avance"},
        {"owner": "Planeación", "status": "Cumplida", "progress": 1.0, "compliance": 1.0},
        {"owner": None, "status": "Sin dato", "alerts": "Sin seguimiento"},
    )  # fmt: skip
    states = delivery_states(
        acts, _deliveries((0, 1, "2020-03-31", True), (1, 1, "2020-03-31", True))
    )
    table = area_summary(acts, owner_areas(acts), states)
    assert table.dtypes.astype(str).to_dict() == AREA_SUMMARY_DTYPES
    rows = {r.area: r for r in table.itertuples()}
    assert list(rows) == ["Planeación", "Sin responsable", "TIC"]  # most activities first
    planning = rows["Planeación"]
    assert (planning.activities, planning.cumplidas, planning.vencidas) == (2, 1, 1)
    assert (planning.due_deliveries, planning.overdue_deliveries) == (2, 1)
    assert planning.avg_compliance == pytest.approx(0.5)
    assert planning.traffic_light == "Rojo"
    assert (rows["TIC"].activities, rows["TIC"].sin_avance) == (1, 1)
    assert rows["Sin responsable"].sin_seguimiento == 1


def test_area_summary_keeps_entities_apart() -> None:
    acts = activities(
        {"entity": "A", "owner": "Planeación"}, {"entity": "B", "owner": "Planeación"}
    )
    table = area_summary(acts, owner_areas(acts), delivery_states(acts, _deliveries()))
    assert sorted(table["entity"]) == ["A", "B"]


@pytest.mark.parametrize(
    ("today", "left", "text"),
    [
        (dt.date(2020, 5, 8), 5, "Faltan 5 días hábiles"),
        (dt.date(2020, 5, 14), 1, "Falta 1 día hábil"),
        (dt.date(2020, 5, 15), 0, "Vence hoy."),
        (dt.date(2020, 5, 16), 0, "Venció el 15/05/2020; hoy"),  # the Saturday after
        (dt.date(2020, 5, 18), -1, "Venció el 15/05/2020 (hace 1 día hábil)"),
        (dt.date(2020, 6, 1), -10, "Venció el 15/05/2020 (hace 10 días hábiles)"),
    ],
)
def test_publication_status(today: dt.date, left: int, text: str) -> None:
    # 30/04/2020: 1 May is a holiday, so the tenth business day is Friday 15 May.
    status = publication_status(dt.date(2020, 4, 30), today)
    assert status.deadline == dt.date(2020, 5, 15)
    assert status.business_days_left == left
    assert status.text.startswith(text)
    assert status.overdue is (today > dt.date(2020, 5, 15))


@pytest.mark.parametrize(
    ("cut", "number"), [((2020, 4, 30), 1), ((2020, 8, 31), 2), ((2020, 12, 31), 3)]
)
def test_followup_number(cut: tuple[int, int, int], number: int) -> None:
    assert followup_number(dt.date(*cut)) == number


def test_every_status_has_its_count_column_in_the_component_frame() -> None:
    from pac_excel.check import figures, labels
    from pac_excel.frames import COMPONENT_SUMMARY_DTYPES

    assert set(figures._STATUS_COLUMNS) == set(labels.STATUSES)
    assert set(figures._STATUS_COLUMNS.values()) <= set(COMPONENT_SUMMARY_DTYPES)
