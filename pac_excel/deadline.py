"""deadline: official cuts, the ten-business-day publication window, and Colombian holidays.

The OCI publishes each follow-up within the first ten business days after the cut (May,
September, January). Business days skip weekends and Colombian holidays, which Ley Emiliani
moves to Mondays; the maintained ``holidays`` package knows them. Its dates for 2015-2045 are
kept in ``holiday_table`` (tested against the package), so a run does not import it.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

from pac_excel.holiday_table import table_holidays

OFFICIAL_CUTS = ((4, 30), (8, 31), (12, 31))
PUBLICATION_BUSINESS_DAYS = 10


@lru_cache(maxsize=1)
def _calendar() -> Any:
    """One Colombian calendar for every year, dates only.

    Only the dates count (no holiday is ever named), so no translation is asked for:
    ``language="es"`` loads the gettext catalogs, measured 94 ms of a one-office run.
    """
    import holidays  # 70 ms: only when a date is counted, not at start-up

    return holidays.country_holidays("CO")


@lru_cache(maxsize=32)
def _holidays(year: int) -> frozenset[dt.date]:
    """The year's holidays: from the table (``holiday_table``), else from the package."""
    found = table_holidays(year)
    if found is not None:
        return found
    calendar = _calendar()
    _ = dt.date(year, 1, 1) in calendar  # the calendar fills in a year when first asked
    return frozenset(day for day in calendar if day.year == year)


def is_business_day(day: dt.date) -> bool:
    """Monday to Friday and not a Colombian holiday."""
    return day.weekday() < 5 and day not in _holidays(day.year)


def add_business_days(start: dt.date, count: int) -> dt.date:
    """The ``count``-th business day after ``start`` (``start`` itself not counted)."""
    day = start
    remaining = count
    while remaining:
        day += dt.timedelta(days=1)
        if is_business_day(day):
            remaining -= 1
    return day


def business_days_between(start: dt.date, end: dt.date) -> int:
    """Business days after ``start`` up to and including ``end`` (negative when end < start)."""
    if end < start:
        return -business_days_between(end, start)
    return sum(
        is_business_day(start + dt.timedelta(days=n)) for n in range(1, (end - start).days + 1)
    )


Cuts = tuple[tuple[int, int], ...]  # (month, day) of each cut: [cortes] in pac-excel.toml


def publication_deadline(cutoff: dt.date, days: int = PUBLICATION_BUSINESS_DAYS) -> dt.date:
    """Last day to publish the follow-up of ``cutoff``: its tenth business day after (or the
    ``days``-th, when [cortes] sets another window)."""
    return add_business_days(cutoff, days)


def official_cuts(year: int, cuts: Cuts = OFFICIAL_CUTS) -> list[dt.date]:
    """30 April, 31 August and 31 December of ``year`` (or the configured cuts)."""
    return [dt.date(year, month, day) for month, day in cuts]


def previous_official_cut(day: dt.date, cuts: Cuts = OFFICIAL_CUTS) -> dt.date:
    """The latest official cut on or before ``day``."""
    found = official_cuts(day.year - 1, cuts) + official_cuts(day.year, cuts)
    return max(c for c in found if c <= day)


def next_official_cut(day: dt.date, cuts: Cuts = OFFICIAL_CUTS) -> dt.date:
    """The first official cut strictly after ``day``."""
    found = official_cuts(day.year, cuts) + official_cuts(day.year + 1, cuts)
    return min(c for c in found if c > day)


def cutoff_for_today(
    today: dt.date, cuts: Cuts = OFFICIAL_CUTS, days: int = PUBLICATION_BUSINESS_DAYS
) -> tuple[dt.date, str]:
    """The cut an OCI is working on today, and in Spanish the rule that chose it.

    Inside a publication window (the ten business days after a cut) it is that cut; otherwise
    the next cut, the one the offices are preparing for.
    """
    last = previous_official_cut(today, cuts)
    deadline = publication_deadline(last, days)
    if today <= deadline:
        return last, (
            f"hoy ({today:%d/%m/%Y}) está dentro del plazo de publicación del corte "
            f"{last:%d/%m/%Y}, que vence el {deadline:%d/%m/%Y}"
        )
    upcoming = next_official_cut(today, cuts)
    return upcoming, (
        f"hoy ({today:%d/%m/%Y}) ya pasó el plazo del corte {last:%d/%m/%Y}; se toma el "
        f"siguiente corte oficial, {upcoming:%d/%m/%Y}"
    )


WARN_BUSINESS_DAYS = 3


def deadline_warning(
    cutoff: dt.date, today: dt.date, days: int = PUBLICATION_BUSINESS_DAYS
) -> str | None:
    """A Spanish warning when the publication deadline of ``cutoff`` is near or past, else None.

    Near means three business days or fewer: enough time to notice, not so early that the
    warning shows on every run of the period.
    """
    if today <= cutoff:
        return None
    deadline = publication_deadline(cutoff, days)
    if today > deadline:
        return (
            f"Atención: el plazo para publicar el seguimiento del corte {cutoff:%d/%m/%Y} "
            f"venció el {deadline:%d/%m/%Y}."
        )
    left = business_days_between(today, deadline)
    if left == 0:
        return (
            f"Atención: hoy ({today:%d/%m/%Y}) es el último día para publicar el seguimiento del "
            f"corte {cutoff:%d/%m/%Y}."
        )
    if left <= WARN_BUSINESS_DAYS:
        remaining = "queda 1 día hábil" if left == 1 else f"quedan {left} días hábiles"
        return (
            f"Atención: {remaining} para publicar el seguimiento del corte {cutoff:%d/%m/%Y} (fecha "
            f"límite: {deadline:%d/%m/%Y})."
        )
    return None


_NUMBER_WORDS = {5: "cinco", 8: "ocho", 10: "diez", 15: "quince", 20: "veinte"}


def business_days_words(days: int) -> str:
    """«diez» for the usual window, the figure otherwise: how the documents say the rule."""
    return _NUMBER_WORDS.get(days, str(days))
