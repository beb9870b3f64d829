"""parse_schedule: every way a FECHA PROGRAMADA cell is written in real files."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pac_excel.parse.schedule import Schedule, parse_schedule

D = dt.date


def month_ends(year: int, months: Iterable[int]) -> tuple[dt.date, ...]:
    return tuple(D(year, m, calendar.monthrange(year, m)[1]) for m in months)


QUARTERS_2020 = (D(2020, 3, 31), D(2020, 6, 30), D(2020, 9, 30), D(2020, 12, 31))

# (cell, year, dates, permanent, recurring, problem fragment or None for "no problems")
TEXT_CASES: list[tuple[str, int | None, tuple[dt.date, ...], bool, str | None, str | None]] = [
    # numeric forms, day first
    ("31/03/2020", None, (D(2020, 3, 31),), False, None, None),
    ("  31/03/2020  ", None, (D(2020, 3, 31),), False, None, None),
    ("1/2/2021", None, (D(2021, 2, 1),), False, None, None),
    ("3/01/22", None, (D(2022, 1, 3),), False, None, None),
    ("31-03-2020", None, (D(2020, 3, 31),), False, None, None),
    ("31.03.2020", None, (D(2020, 3, 31),), False, None, None),
    ("31 / 03 / 2020", None, (D(2020, 3, 31),), False, None, None),
    ("2019 / 01 /22", None, (D(2019, 1, 22),), False, None, None),
    ("2020-03-31", None, (D(2020, 3, 31),), False, None, None),
    ("2020-03-31 00:00:00", None, (D(2020, 3, 31),), False, None, None),
    ("31/03/2020 00:00:00", None, (D(2020, 3, 31),), False, None, None),
    ("43921", None, (D(2020, 3, 31),), False, None, None),
    ("31/12", 2020, (D(2020, 12, 31),), False, None, None),
    ("31/12", None, (), False, None, "falta el año en '31/12'"),
    # impossible and US-style dates are reported, the rest of the cell is kept
    ("31/02/2021", None, (), False, None, "'31/02/2021' no es una fecha válida"),
    ("13/13/2020", None, (), False, None, "'13/13/2020' no es una fecha válida"),
    ("15/13/2020", None, (), False, None, "no es una fecha válida"),
    ("31/12/202", None, (), False, None, "'31/12/202' no es una fecha válida"),
    ("31/02/2021\n30/06/2021", None, (D(2021, 6, 30),), False, None, "'31/02/2021'"),
    ("03/31/2020", None, (), False, None, "'03/31/2020' parece una fecha en formato mes/día"),
    ("30/06/2020; 12/31/2020", None, (D(2020, 6, 30),), False, None, "formato mes/día"),
    ("2020-02-30", None, (), False, None, "'2020-02-30' no es una fecha válida"),
    ("30 de febrero de 2020", None, (), False, None, "'30 de febrero de 2020' no es una"),
    # Spanish text dates, any case, with or without accents
    ("30 de abril de 2020", None, (D(2020, 4, 30),), False, None, None),
    ("30 DE ABRIL DE 2020", None, (D(2020, 4, 30),), False, None, None),
    ("15 abril de 2017", None, (D(2017, 4, 15),), False, None, None),
    ("Mayo 14 de 2021", None, (D(2021, 5, 14),), False, None, None),
    ("Mayo 14, 2021", None, (D(2021, 5, 14),), False, None, None),
    ("Diciembre 31", 2020, (D(2020, 12, 31),), False, None, None),
    ("Junio de 2021", None, (D(2021, 6, 30),), False, None, None),
    ("Enero 2021", None, (D(2021, 1, 31),), False, None, None),
    ("febrero 2020", None, (D(2020, 2, 29),), False, None, None),
    ("Diciembre del año 2020", None, (D(2020, 12, 31),), False, None, None),
    ("Junio", 2020, (D(2020, 6, 30),), False, None, None),
    ("Junio", None, (), False, None, "falta el año en 'Junio'"),
    ("15 de setiembre de 2020", None, (D(2020, 9, 15),), False, None, None),
    ("Dic-2020", None, (D(2020, 12, 31),), False, None, None),
    ("15-mar-2020", None, (D(2020, 3, 15),), False, None, None),
    ("15/mar/2020", None, (D(2020, 3, 15),), False, None, None),
    # abbreviations
    ("ene 2020", None, (D(2020, 1, 31),), False, None, None),
    ("FEB. 2020", None, (D(2020, 2, 29),), False, None, None),
    ("mar 2020", None, (D(2020, 3, 31),), False, None, None),
    ("abr 2020", None, (D(2020, 4, 30),), False, None, None),
    ("may 2020", None, (D(2020, 5, 31),), False, None, None),
    ("jun 2020", None, (D(2020, 6, 30),), False, None, None),
    ("jul 2020", None, (D(2020, 7, 31),), False, None, None),
    ("ago 2020", None, (D(2020, 8, 31),), False, None, None),
    ("sep 2020", None, (D(2020, 9, 30),), False, None, None),
    ("sep. 2020", None, (D(2020, 9, 30),), False, None, None),
    ("Sept. 15 de 2020", None, (D(2020, 9, 15),), False, None, None),
    ("set 2020", None, (D(2020, 9, 30),), False, None, None),
    ("oct 2020", None, (D(2020, 10, 31),), False, None, None),
    ("nov 2020", None, (D(2020, 11, 30),), False, None, None),
    ("dic 2020", None, (D(2020, 12, 31),), False, None, None),
    # several dates in one cell
    ("31/03/2020\n30/06/2020\n30/09/2020\n31/12/2020", None, QUARTERS_2020, False, None, None),
    ("31/03/2020; 30/06/2020; 30/09/2020; 31/12/2020", None, QUARTERS_2020, False, None, None),
    ("31/03/2020, 30/06/2020, 30/09/2020 y 31/12/2020", None, QUARTERS_2020, False, None, None),
    ("31/03/2020 30/06/2020 30/09/2020 31/12/2020", None, QUARTERS_2020, False, None, None),
    ("31/03/2020 - 30/06/2020 - 30/09/2020 - 31/12/2020", None, QUARTERS_2020, False, None, None),
    (
        "31/12/2020\n31/03/2020\n31/03/2020",
        None,
        (D(2020, 3, 31), D(2020, 12, 31)),
        False,
        None,
        None,
    ),
    ("19 y 20 de abril de 2017", None, (D(2017, 4, 19), D(2017, 4, 20)), False, None, None),
    (
        "30 de abril, 31 de agosto y 31 de diciembre de 2020",
        None,
        (D(2020, 4, 30), D(2020, 8, 31), D(2020, 12, 31)),
        False,
        None,
        None,
    ),
    ("31/03, 30/06, 30/09 y 31/12 de 2020", None, QUARTERS_2020, False, None, None),
    (
        "Abril, agosto y diciembre",
        2021,
        (D(2021, 4, 30), D(2021, 8, 31), D(2021, 12, 31)),
        False,
        None,
        None,
    ),
    # ranges: the end is the due date
    ("22 al 28 de abril de 2017", None, (D(2017, 4, 28),), False, None, None),
    ("del 1 de mayo al 31 de agosto de 2020", None, (D(2020, 8, 31),), False, None, None),
    ("Marzo a dic 2019", None, (D(2019, 12, 31),), False, None, None),
    ("Marzo a dic", 2019, (D(2019, 12, 31),), False, None, None),
    ("Febrero – Noviembre", 2021, (D(2021, 11, 30),), False, None, None),
    ("Febrero – Noviembre", None, (), False, None, "falta el año en 'Febrero – Noviembre'"),
    ("ENERO-MARZO", 2020, (D(2020, 3, 31),), False, None, None),
    ("sept-dic2019", None, (D(2019, 12, 31),), False, None, None),
    ("01/02/2021 - 31/12/2021", None, (D(2021, 12, 31),), False, None, None),
    ("01/02/2021 – 31/12/2021", None, (D(2021, 12, 31),), False, None, None),
    # a range over the whole year is open-ended, even without a year
    ("Enero a diciembre", None, (), True, None, None),
    ("De enero a diciembre de 2020", None, (), True, None, None),
    ("ENERO - DICIEMBRE", 2020, (), True, None, None),
    ("Enero-2020 - Diciembre-2020", None, (), True, None, None),
    ("1 de enero al 31 de diciembre de 2020", None, (), True, None, None),
    ("01/01/2021 - 31/12/2021", None, (), True, None, None),
    # frequency words
    (
        "Mensual",
        2021,
        month_ends(2021, range(1, 13)),
        False,
        "Mensual",
        None,
    ),
    (
        "Bimestral",
        2020,
        (
            D(2020, 2, 29),
            D(2020, 4, 30),
            D(2020, 6, 30),
            D(2020, 8, 31),
            D(2020, 10, 31),
            D(2020, 12, 31),
        ),
        False,
        "Bimestral",
        None,
    ),
    ("Trimestral", 2020, QUARTERS_2020, False, "Trimestral", None),
    ("TRIMESTRAL", 2020, QUARTERS_2020, False, "Trimestral", None),
    ("Trimestral 2020", None, QUARTERS_2020, False, "Trimestral", None),
    (
        "Cuatrimestral",
        2020,
        (D(2020, 4, 30), D(2020, 8, 31), D(2020, 12, 31)),
        False,
        "Cuatrimestral",
        None,
    ),
    ("Semestral", 2020, (D(2020, 6, 30), D(2020, 12, 31)), False, "Semestral", None),
    ("Anual", 2020, (D(2020, 12, 31),), False, "Anual", None),
    ("Informe trimestral", 2020, QUARTERS_2020, False, "Trimestral", None),
    ("Trimestral", None, (), False, "Trimestral", "falta el año"),
    (
        "Trimestral: 30/06/2020 y 31/12/2020",
        None,
        (D(2020, 6, 30), D(2020, 12, 31)),
        False,
        "Trimestral",
        None,
    ),
    (
        "Mensual de enero a diciembre",
        2020,
        month_ends(2020, range(1, 13)),
        True,
        "Mensual",
        None,
    ),
    # open-ended
    ("Permanente", None, (), True, None, None),
    ("PERMANENTE", None, (), True, None, None),
    ("Permanentemente", None, (), True, None, None),
    ("Continuo", None, (), True, None, None),
    ("Continua", None, (), True, None, None),
    ("Cada vez que se requiera", None, (), True, None, None),
    ("Cada vez que se presente", None, (), True, None, None),
    ("Cada vez que se presente una solicitud", None, (), True, None, None),
    ("A demanda", None, (), True, None, None),
    ("Según demanda", None, (), True, None, None),
    ("SEGUN DEMANDA", None, (), True, None, None),
    ("Durante la vigencia", None, (), True, None, None),
    ("Durante la vigencia 2020", None, (), True, None, None),
    ("Todo el año", None, (), True, None, None),
    ("Permanente\n31/12/2020", None, (D(2020, 12, 31),), True, None, None),
    # dates inside prose
    ("Se realizará el 30/06/2020", None, (D(2020, 6, 30),), False, None, None),
    ("Informe a 30 de junio de 2020", None, (D(2020, 6, 30),), False, None, None),
    ("Primer cuatrimestre: 30/04/2020", None, (D(2020, 4, 30),), False, None, None),
    ("Entrega de 2 informes: 30/06/2020", None, (D(2020, 6, 30),), False, None, None),
    # unreadable
    ("pronto", None, (), False, None, "no se reconoce 'pronto' como fecha"),
    ("Por definir", 2020, (), False, None, "no se reconoce 'Por definir' como fecha"),
    ("2020", None, (), False, None, "no se reconoce '2020' como fecha"),
    ("31-12", 2020, (), False, None, "no se reconoce '31-12' como fecha"),
    ("30/06/2020\n31-12", None, (D(2020, 6, 30),), False, None, "no se reconoce '31-12'"),
]


@pytest.mark.parametrize(("cell", "year", "dates", "permanent", "recurring", "problem"), TEXT_CASES)
def test_text_cells(
    cell: str,
    year: int | None,
    dates: tuple[dt.date, ...],
    permanent: bool,
    recurring: str | None,
    problem: str | None,
) -> None:
    got = parse_schedule(cell, year)
    assert got.dates == dates
    assert got.permanent is permanent
    assert got.recurring == recurring
    if problem is None:
        assert got.problems == ()
    else:
        assert any(problem in p for p in got.problems), got.problems
    assert not got.blank


def test_us_style_is_reported_not_swapped() -> None:
    got = parse_schedule("03/31/2020")
    assert got.dates == ()
    assert "31/03/2020" in got.problems[0]  # the message shows the likely intended date


def test_problem_quotes_the_cell_as_written() -> None:
    assert parse_schedule("Febrero – Noviembre").problems == (
        "falta el año en 'Febrero – Noviembre'",
    )
    assert parse_schedule("ALGÚN DÍA").problems == ("no se reconoce 'ALGÚN DÍA' como fecha",)


def test_long_cells_are_quoted_short() -> None:
    got = parse_schedule("texto " * 100)
    assert len(got.problems[0]) < 120
    assert "…" in got.problems[0]


@pytest.mark.parametrize(
    "cell", [None, "", "   ", "\n", "N/A", "n/a", "NA", "N.A.", "No aplica", "-", "—"]
)
def test_blank_and_blank_like(cell: object) -> None:
    got = parse_schedule(cell, 2020)
    assert got.blank
    assert got.dates == () and not got.permanent and got.recurring is None and got.problems == ()


def test_not_applicable_is_told_apart_from_empty() -> None:
    assert parse_schedule("N/A").not_applicable
    assert not parse_schedule("").not_applicable
    assert not parse_schedule(None).not_applicable


# (cell, dates, problem fragment or None)
VALUE_CASES: list[tuple[object, tuple[dt.date, ...], str | None]] = [
    (D(2020, 3, 31), (D(2020, 3, 31),), None),
    (dt.datetime(2020, 3, 31, 15, 30), (D(2020, 3, 31),), None),
    (pd.Timestamp("2020-03-31 10:00"), (D(2020, 3, 31),), None),
    (np.datetime64("2020-03-31"), (D(2020, 3, 31),), None),
    (43921, (D(2020, 3, 31),), None),
    (43921.0, (D(2020, 3, 31),), None),
    (43921.75, (D(2020, 3, 31),), None),
    (np.int64(43921), (D(2020, 3, 31),), None),
    (np.float64(43921.0), (D(2020, 3, 31),), None),
    (32874, (D(1990, 1, 1),), None),
    (2020, (), "el número 2020 no parece una fecha de Excel"),
    (5, (), "no parece una fecha de Excel"),
    (-43921, (), "no parece una fecha de Excel"),
    (10**30, (), "no parece una fecha de Excel"),
    (10**400, (), "como fecha"),
    (float("nan"), (), "no se reconoce 'nan' como fecha"),
    (float("inf"), (), "no se reconoce 'inf' como fecha"),
    (True, (), "no se reconoce 'VERDADERO' como fecha"),
]


@pytest.mark.parametrize(("cell", "dates", "problem"), VALUE_CASES)
def test_non_text_cells(cell: object, dates: tuple[dt.date, ...], problem: str | None) -> None:
    got = parse_schedule(cell)
    assert got.dates == dates
    if problem is None:
        assert got.problems == ()
    else:
        assert any(problem in p for p in got.problems), got.problems


@pytest.mark.parametrize("cell", [pd.NaT, pd.NA, np.datetime64("NaT", "s")])
def test_pandas_missing_values_are_blank(cell: object) -> None:
    assert parse_schedule(cell).blank


def test_month_end_knows_leap_years() -> None:
    assert parse_schedule("Mensual", 2020).dates[1] == D(2020, 2, 29)
    assert parse_schedule("Febrero", 2021).dates == (D(2021, 2, 28),)


def test_dates_are_sorted_and_unique() -> None:
    got = parse_schedule("31/12/2020; 30/06/2020; 31/12/2020")
    assert got.dates == (D(2020, 6, 30), D(2020, 12, 31))


def test_year_in_the_cell_wins_over_the_argument() -> None:
    assert parse_schedule("Junio de 2021", 2020).dates == (D(2021, 6, 30),)
    assert parse_schedule("Trimestral 2021", 2020).dates[0] == D(2021, 3, 31)


@pytest.mark.parametrize("year", [0, -5, 10_000, True])
def test_unusable_year_argument_is_ignored(year: int) -> None:
    assert parse_schedule("Junio", year).problems == ("falta el año en 'Junio'",)


def test_result_is_immutable() -> None:
    got = parse_schedule("31/03/2020")
    assert isinstance(got, Schedule)
    with pytest.raises(AttributeError):
        got.dates = ()  # type: ignore[misc]


CELLS = st.one_of(
    st.none(),
    st.text(),
    st.text(alphabet="0123456789/-.,; yaldeiciembrjunoAMN\n–"),
    st.floats(),
    st.integers(),
    st.datetimes(),
    st.dates(),
    st.booleans(),
)


@settings(max_examples=400, deadline=None)
@given(cell=CELLS, year=st.one_of(st.none(), st.integers(min_value=-10, max_value=12_000)))
def test_never_raises(cell: object, year: int | None) -> None:
    got = parse_schedule(cell, year)
    assert isinstance(got, Schedule)
    assert list(got.dates) == sorted(set(got.dates))
    assert all(isinstance(p, str) and p for p in got.problems)
    assert not any(p.startswith("no se pudo leer") for p in got.problems)  # no fallback used
