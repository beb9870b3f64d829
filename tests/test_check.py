"""The rules at the cut-off, each alone, on frames built from literal rows."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from pac_excel.check import figures, labels
from pac_excel.check.labels import ALERTS, alert_column
from pac_excel.check.rules import check, year_elapsed
from pac_excel.check.semaforo import traffic_lights
from pac_excel.deadline import next_official_cut
from pac_excel.frames import ACTIVITY_DTYPES, ALERT_FLAG_DTYPES, DELIVERY_DTYPES
from pac_excel.write import styles
from pac_excel.write.sheets import summary as sheet_summary

CUT = dt.date(2020, 4, 30)


def frames(*rows: dict[str, object]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Activities from short dicts (dates, progress, na, permanent, followup) plus deliveries."""
    acts, deliv = [], []
    for i, spec in enumerate(rows):
        dates = spec.get("dates", [])
        assert isinstance(dates, list)
        acts.append(
            {
                "activity_id": i,
                "file": "f.xlsx",
                "sheet": "S",
                "row": 10 + i,
                "entity": "E",
                "year": 2020,
                "component": 1,
                "component_label": "1. X",
                "subcomponent": "s",
                "activity": f"A{i}",
                "goal": None,
                "owner": "O",
                "schedule": "",
                "permanent": spec.get("permanent", False),
                "n_dates": len(dates),
                "progress": spec.get("progress"),
                "progress_text": None,
                "not_applicable": spec.get("na", False),
                "followup": spec.get("followup", "texto"),
            }
        )
        deliv += [(i, n, d) for n, d in enumerate(dates, start=1)]
    a = pd.DataFrame(acts, columns=list(ACTIVITY_DTYPES)).astype(ACTIVITY_DTYPES)
    d = pd.DataFrame(deliv, columns=list(DELIVERY_DTYPES))
    d["date"] = pd.to_datetime(d["date"])
    return a, d.astype(DELIVERY_DTYPES)


Q = [dt.date(2020, 3, 31), dt.date(2020, 6, 30), dt.date(2020, 9, 30), dt.date(2020, 12, 31)]


def run(*rows: dict[str, object]) -> pd.DataFrame:
    a, d = frames(*rows)
    return check(a, d, CUT).activities


def alerts(acts: pd.DataFrame, i: int) -> list[str]:
    """The alert codes raised on activity ``i``, in labels.ALERTS order."""
    return [code for code in ALERTS if acts[alert_column(code)][i]]


def test_expected_is_share_of_dates_due() -> None:
    acts = run({"dates": Q, "progress": 0.25}, {"dates": [dt.date(2020, 12, 31)], "progress": 0})
    assert list(acts["expected"]) == [0.25, 0.0]


def test_permanent_expected_is_months_elapsed() -> None:
    acts = run({"permanent": True, "progress": 0.33})
    assert acts["expected"][0] == pytest.approx(4 / 12)
    assert acts["compliance"][0] == pytest.approx(0.99)
    assert acts["status"][0] == "En curso"
    assert alerts(acts, 0) == []


def test_permanent_expected_follows_each_activitys_vigencia() -> None:
    # Worked out once per distinct year: an earlier year is over, a later one not begun, and
    # an activity without a year takes the cut's.
    permanent: dict[str, object] = {"permanent": True, "progress": 0.5}
    a, d = frames(*[permanent] * 5)
    a["year"] = pd.array([2019, 2020, 2021, None, 2019], dtype="Int64")
    expected = check(a, d, CUT).activities["expected"]
    assert expected.tolist() == pytest.approx([1.0, 4 / 12, 0.0, 4 / 12, 1.0])


def test_compliance_capped_and_blank_when_nothing_due() -> None:
    acts = run({"dates": Q, "progress": 0.5}, {"dates": [dt.date(2020, 12, 31)], "progress": 0.5})
    assert acts["compliance"][0] == 1.0
    assert pd.isna(acts["compliance"][1])
    assert pd.isna(acts["traffic_light"][1])


def test_vencida_needs_more_than_one_point_below() -> None:
    acts = run(
        {"dates": Q, "progress": 0.0},
        {"dates": Q, "progress": 0.245},
        {"dates": Q, "progress": 0.23},
        {"permanent": True, "progress": 0.0},
    )
    assert list(acts["status"]) == ["Vencida", "En curso", "Vencida", "Sin iniciar"]
    assert "vencida" not in alerts(acts, 3)


def test_vencida_when_due_and_blank() -> None:
    acts = run({"dates": [dt.date(2020, 2, 3)], "progress": None, "followup": None})
    assert acts["status"][0] == "Vencida"
    assert alerts(acts, 0) == ["vencida", "sin-seguimiento"]


def test_not_applicable_never_zero_and_flagged_when_past() -> None:
    acts = run(
        {"dates": [dt.date(2020, 3, 1)], "na": True},
        {"dates": [dt.date(2020, 12, 31)], "na": True},
    )
    assert list(acts["status"]) == ["No aplica", "No aplica"]
    assert alerts(acts, 0) == ["na-con-fecha-pasada"]
    assert alerts(acts, 1) == []
    assert acts["compliance"].isna().all()


def test_sin_avance_and_proxima() -> None:
    acts = run({"dates": [dt.date(2020, 6, 30)], "progress": 0.0})
    assert alerts(acts, 0) == ["sin-avance", "proxima-a-vencer"]
    assert acts["next_date"][0] == pd.Timestamp("2020-06-30")


def test_proxima_not_after_next_cut_nor_when_done() -> None:
    acts = run(
        {"dates": [dt.date(2020, 9, 1)], "progress": 0.0},
        {"dates": [dt.date(2020, 6, 30)], "progress": 1.0},
    )
    assert "proxima-a-vencer" not in alerts(acts, 0)
    assert alerts(acts, 1) == []
    assert acts["status"][1] == "Cumplida"


def test_alerts_frame_one_row_per_alert() -> None:
    a, d = frames({"dates": Q, "progress": 0.0}, {"dates": Q, "progress": 0.25})
    alerts = check(a, d, CUT).alerts
    assert list(zip(alerts["activity_id"], alerts["alert"], strict=True)) == [
        (0, "Vencida"),
        (0, "Sin avance"),
        (0, "Próxima a vencer"),
        (1, "Próxima a vencer"),
    ]
    assert alerts["detail"][0].startswith("Avance reportado 0 %, esperado 25 % al 30/04/2020")


def test_deliveries_due_column() -> None:
    a, d = frames({"dates": Q, "progress": 0.25})
    due = check(a, d, CUT).deliveries["due"]
    assert list(due) == [True, False, False, False]


def test_inputs_not_modified() -> None:
    a, d = frames({"dates": Q, "progress": 0.25})
    before = a.copy()
    check(a, d, CUT)
    pd.testing.assert_frame_equal(a, before)


@pytest.mark.parametrize(
    ("value", "label"),
    [
        (0.0, "Rojo"),
        (0.59, "Rojo"),
        (0.595, "Rojo"),
        (0.60, "Amarillo"),
        (0.799, "Amarillo"),
        (0.80, "Verde"),
        (1.0, "Verde"),
        (None, None),
    ],
)
def test_traffic_light_edges(value: float | None, label: str | None) -> None:
    result = traffic_lights(pd.Series([value], dtype="Float64"))[0]
    assert (pd.isna(result) and label is None) or result == label


@pytest.mark.parametrize(
    ("cut", "expected"),
    [
        (dt.date(2020, 4, 30), dt.date(2020, 8, 31)),
        (dt.date(2020, 8, 31), dt.date(2020, 12, 31)),
        (dt.date(2020, 12, 31), dt.date(2021, 4, 30)),
        (dt.date(2020, 5, 15), dt.date(2020, 8, 31)),
    ],
)
def test_next_official_cut(cut: dt.date, expected: dt.date) -> None:
    assert next_official_cut(cut) == expected


def test_year_elapsed() -> None:
    assert year_elapsed(dt.date(2020, 4, 30), 2020) == pytest.approx(4 / 12)
    assert year_elapsed(dt.date(2020, 12, 31), 2020) == 1.0
    assert year_elapsed(dt.date(2021, 4, 30), 2020) == 1.0
    assert year_elapsed(dt.date(2019, 12, 31), 2020) == 0.0


def test_out_of_range_progress_never_counts_as_compliance() -> None:
    acts = run({"dates": Q, "progress": 1.5}, {"dates": Q, "progress": -0.1})
    assert list(acts["status"]) == ["Cumplida", "Vencida"]
    assert acts["compliance"].isna().all()
    acts = run({"dates": [dt.date(2020, 12, 31)], "progress": -0.1})
    assert acts["status"][0] == "Sin dato"


# One copy of the labels ---------------------------------------------------------------------


def test_rules_produce_exactly_the_statuses_of_labels() -> None:
    acts = run(
        {"dates": [Q[0]], "na": True},
        {"dates": [Q[0]], "progress": 1.0},
        {"dates": [Q[0]], "progress": 0.0},
        {"dates": [Q[2]], "progress": None, "followup": None},
        {"dates": [Q[2]], "progress": 0.0},
        {"dates": [Q[0], Q[2]], "progress": 0.5},
    )
    assert list(acts["status"]) == [
        labels.NOT_APPLICABLE, labels.DONE, labels.OVERDUE, labels.NO_DATA, labels.NOT_STARTED,
        labels.IN_PROGRESS,
    ]  # fmt: skip
    assert set(acts["status"]) == set(labels.STATUSES)


def test_every_table_keyed_by_a_label_uses_labels() -> None:
    assert list(figures._STATUS_COLUMNS) == list(labels.STATUSES)
    assert list(styles.STATUS_COLOURS) == list(labels.STATUSES)
    assert list(styles.DELIVERY_COLOURS) == list(labels.DELIVERY_STATES)
    assert list(styles.DELIVERY_MARKS) == list(labels.DELIVERY_STATES)
    # The chart colours the first five alerts; the evidence and contradiction alerts (issue
    # 13) are drawn in the chart's fallback grey until write/sheets/summary.py names theirs.
    colours = list(sheet_summary.ALERT_COLOURS)
    assert colours == list(labels.ALERTS.values())[: len(colours)]
    assert list(ALERT_FLAG_DTYPES) == [alert_column(code) for code in labels.ALERTS]


def test_delivery_states_are_those_of_labels_and_match_the_activity() -> None:
    a, d = frames(
        {"dates": [Q[0]], "na": True},
        {"dates": [Q[0], Q[1]], "progress": 0.5},
        {"dates": [Q[0], Q[1]], "progress": 0.2},
    )
    checked = check(a, d, CUT)
    states = checked.deliveries["state"].tolist()
    assert states == [
        labels.DELIVERY_NA, labels.DELIVERY_DONE, labels.DELIVERY_PENDING,
        labels.DELIVERY_OVERDUE, labels.DELIVERY_PENDING,
    ]  # fmt: skip
    # Sin dato (progress unreadable) is covered in test_reader_variants.
    assert set(states) | {labels.DELIVERY_NO_DATA} == set(labels.DELIVERY_STATES)
    # One overdue rule: an activity is Vencida exactly when one of its deliveries is.
    late = checked.deliveries.groupby("activity_id")["state"].agg(
        lambda s: labels.DELIVERY_OVERDUE in set(s)
    )
    assert late.tolist() == checked.activities["alert_vencida"].tolist()
