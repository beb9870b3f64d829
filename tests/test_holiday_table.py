"""The holiday table is the ``holidays`` package's Colombian calendar, year by year.

The table spares every run the package's import (about 0.1 s); this test is what keeps it
true: a change in the law that reaches the package fails here, with the command that
regenerates the table.
"""

from __future__ import annotations

import datetime as dt
import sys

import holidays
import pytest

from pac_excel import deadline
from pac_excel.holiday_table import FIRST_YEAR, LAST_YEAR, table_holidays


@pytest.mark.parametrize("year", range(FIRST_YEAR, LAST_YEAR + 1))
def test_the_table_is_the_package(year: int) -> None:
    package = frozenset(holidays.country_holidays("CO", years=year))
    assert table_holidays(year) == package, (
        f"El calendario de {year} cambió: regenere pac_excel/holiday_table.py con "
        "«python -m pac_excel.holiday_table»."
    )


def test_known_days() -> None:
    days = table_holidays(2020)
    assert days is not None
    assert dt.date(2020, 7, 20) in days  # Independencia, never moved
    assert dt.date(2020, 1, 6) in days  # Reyes Magos, a Monday that year
    assert dt.date(2020, 3, 23) in days  # San José (19 March), moved to Monday
    assert dt.date(2020, 3, 19) not in days


def test_a_year_outside_the_table_asks_the_package() -> None:
    assert table_holidays(LAST_YEAR + 1) is None
    assert table_holidays(FIRST_YEAR - 1) is None
    deadline._holidays.cache_clear()
    days = deadline._holidays(LAST_YEAR + 1)
    assert days == frozenset(holidays.country_holidays("CO", years=LAST_YEAR + 1))


def test_a_run_inside_the_table_does_not_import_the_package() -> None:
    deadline._holidays.cache_clear()
    deadline._calendar.cache_clear()
    saved = {name: sys.modules.pop(name) for name in list(sys.modules) if name == "holidays"
             or name.startswith("holidays.")}  # fmt: skip
    try:
        # 30 April 2020: the tenth business day after, skipping 1 May (Día del Trabajo).
        assert deadline.publication_deadline(dt.date(2020, 4, 30)) == dt.date(2020, 5, 15)
        assert "holidays" not in sys.modules
    finally:
        sys.modules.update(saved)
