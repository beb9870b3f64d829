"""Official cuts and the ten-business-day publication window with Colombian holidays."""

from __future__ import annotations

import datetime as dt

import pytest

from pac_excel.deadline import (
    add_business_days,
    business_days_between,
    cutoff_for_today,
    deadline_warning,
    is_business_day,
    next_official_cut,
    publication_deadline,
)

D = dt.date


@pytest.mark.parametrize(
    ("cutoff", "deadline"),
    [
        (D(2020, 4, 30), D(2020, 5, 15)),  # 1 May holiday
        (D(2021, 4, 30), D(2021, 5, 14)),  # UES Valle published "Mayo 14 de 2021", 10th day
        (D(2017, 12, 31), D(2018, 1, 16)),  # 1 Jan and 8 Jan (Reyes, moved to Monday)
        (D(2019, 8, 31), D(2019, 9, 13)),
    ],
)
def test_publication_deadline(cutoff: dt.date, deadline: dt.date) -> None:
    assert publication_deadline(cutoff) == deadline


def test_business_days() -> None:
    assert not is_business_day(D(2020, 5, 1))  # Día del Trabajo
    assert not is_business_day(D(2020, 5, 25))  # Ascensión, moved to Monday
    assert not is_business_day(D(2020, 5, 2))  # Saturday
    assert is_business_day(D(2020, 5, 4))
    assert add_business_days(D(2020, 4, 30), 1) == D(2020, 5, 4)
    assert business_days_between(D(2020, 4, 30), D(2020, 5, 15)) == 10
    assert business_days_between(D(2020, 5, 15), D(2020, 4, 30)) == -10


@pytest.mark.parametrize(
    ("today", "cut"),
    [
        (D(2020, 5, 8), D(2020, 4, 30)),
        (D(2020, 5, 15), D(2020, 4, 30)),
        (D(2020, 5, 18), D(2020, 8, 31)),
        (D(2020, 4, 29), D(2020, 4, 30)),
        (D(2021, 1, 12), D(2020, 12, 31)),
        (D(2020, 12, 31), D(2020, 12, 31)),
    ],
)
def test_cutoff_for_today(today: dt.date, cut: dt.date) -> None:
    assert cutoff_for_today(today)[0] == cut


def test_next_official_cut() -> None:
    assert next_official_cut(D(2020, 12, 31)) == D(2021, 4, 30)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2020, 4, 30), None),  # the cut itself: ten business days ahead
        (D(2020, 5, 8), None),  # five business days left
        (
            D(2020, 5, 12),
            (
                "Atención: quedan 3 días hábiles para publicar el seguimiento del corte "
                "30/04/2020 (fecha límite: 15/05/2020)."
            ),
        ),
        (D(2020, 5, 14), "Atención: queda 1 día hábil para publicar"),
        (D(2020, 5, 15), "Atención: hoy (15/05/2020) es el último día para publicar"),
        (
            D(2020, 5, 16),
            (
                "Atención: el plazo para publicar el seguimiento del corte 30/04/2020 "
                "venció el 15/05/2020."
            ),
        ),
        (D(2021, 1, 1), "venció el 15/05/2020"),
    ],
)
def test_deadline_warning(today: dt.date, expected: str | None) -> None:
    warning = deadline_warning(D(2020, 4, 30), today)
    if expected is None:
        assert warning is None
    else:
        assert warning is not None and expected in warning


def test_deadline_warning_counts_holidays() -> None:
    # Counted after today: on Sunday 10 May five business days remain (11-15 May), on Monday
    # 11 May four, on Tuesday 12 May three. (Fri 1 May was a holiday: the deadline is the 15th.)
    assert deadline_warning(D(2020, 4, 30), D(2020, 5, 10)) is None
    assert deadline_warning(D(2020, 4, 30), D(2020, 5, 11)) is None
    assert "quedan 3" in (deadline_warning(D(2020, 4, 30), D(2020, 5, 12)) or "")


def test_cutoff_for_today_says_its_rule() -> None:
    cut, rule = cutoff_for_today(D(2020, 5, 8))
    assert rule == (
        "hoy (08/05/2020) está dentro del plazo de publicación del corte 30/04/2020, que vence "
        "el 15/05/2020"
    )
    cut, rule = cutoff_for_today(D(2020, 6, 1))
    assert cut == D(2020, 8, 31)
    assert "se toma el siguiente corte oficial, 31/08/2020" in rule
