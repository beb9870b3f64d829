"""Official cuts and the ten-business-day publication window with Colombian holidays."""

from __future__ import annotations

import datetime as dt

import pytest

from pac_excel.deadline import (
    add_business_days,
    business_days_between,
    cutoff_for_today,
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
