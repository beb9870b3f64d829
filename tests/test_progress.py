"""parse_progress: every way a % AVANCE cell is written in real files."""

from __future__ import annotations

import decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pac_excel.parse.progress import Progress, column_uses_whole_numbers, parse_progress

# (cell, whole_numbers, value, text or None to skip the check, problem fragment or None)
CASES: list[tuple[object, bool, float | None, str | None, str | None]] = [
    # numbers: fractions by default, as Excel stores %-formatted cells
    (0.33, False, 0.33, "33%", None),
    (0, False, 0.0, "0%", None),
    (1, False, 1.0, "100%", None),
    (0.625, False, 0.625, "62,5%", None),
    (1 / 3, False, 1 / 3, "33,33%", None),
    (np.float64(0.5), False, 0.5, "50%", None),
    (np.int64(1), False, 1.0, "100%", None),
    (1.0000000000000002, False, 1.0, "100%", None),  # formula noise
    (-1e-12, False, 0.0, "0%", None),
    # whole numbers 0-100 when the column says so
    (33, True, 0.33, "33%", None),
    (100, True, 1.0, "100%", None),
    (0, True, 0.0, "0%", None),
    (62.5, True, 0.625, "62,5%", None),
    # out of range: kept as written, flagged
    (1.5, False, 1.5, "150%", "150 % está fuera del rango 0–100 %"),
    (-0.1, False, -0.1, "-10%", "-10 % está fuera del rango 0–100 %"),
    (150, True, 1.5, "150%", "150 % está fuera del rango 0–100 %"),
    (33, False, 33.0, "3300%", "fuera del rango"),
    # text percentages
    ("33%", False, 0.33, "33%", None),
    ("33 %", False, 0.33, "33 %", None),
    ("33,3 %", False, 0.333, "33,3 %", None),
    ("33.3%", False, 0.333, "33.3%", None),
    ("62,5%", False, 0.625, "62,5%", None),
    ("  100%  ", False, 1.0, "100%", None),
    ("0%", False, 0.0, "0%", None),
    ("150%", False, 1.5, "150%", "150 % está fuera del rango 0–100 %"),
    ("-10%", False, -0.1, "-10%", "fuera del rango"),
    ("33%", True, 0.33, "33%", None),  # an explicit % ignores the column's convention
    # bare text numbers: <= 1 a fraction, > 1 a whole-number percent
    ("0.33", False, 0.33, "0.33", None),
    ("0,5", False, 0.5, "0,5", None),
    ("1", False, 1.0, "1", None),
    ("33", False, 0.33, "33", None),
    ("100", False, 1.0, "100", None),
    ("1", True, 0.01, "1", None),
    # expressions
    ("1/3", False, 1 / 3, "1/3", None),
    ("2 / 3", False, 2 / 3, "2 / 3", None),
    ("Avance= 1/3= 33.3%", False, 0.333, "Avance= 1/3= 33.3%", None),
    ("Avance= 1/3= 33.3% EN AVANCE", False, 0.333, "Avance= 1/3= 33.3% EN AVANCE", None),
    ("100 % cumplida", False, 1.0, "100 % cumplida", None),
    ("Se cumplió el 50% de la meta", False, 0.5, "Se cumplió el 50% de la meta", None),
    ("4/3", False, 4 / 3, "4/3", "fuera del rango"),
    ("1/0", False, None, "1/0", "divide por cero"),
    # status words
    ("Cumplida", False, 1.0, "Cumplida", None),
    ("CUMPLIDO", False, 1.0, "CUMPLIDO", None),
    ("Ejecutada", False, 1.0, "Ejecutada", None),
    ("Terminada", False, 1.0, "Terminada", None),
    ("Finalizada", False, 1.0, "Finalizada", None),
    ("Actividad cumplida en el primer semestre", False, 1.0, None, None),
    ("Sin iniciar", False, 0.0, "Sin iniciar", None),
    ("No iniciada", False, 0.0, "No iniciada", None),
    ("NO INICIADA", False, 0.0, "NO INICIADA", None),
    ("En avance", False, None, "En avance", "'En avance' no indica un porcentaje"),
    ("EN AVANCE", False, None, "EN AVANCE", "'EN AVANCE' no indica un porcentaje"),
    ("En proceso", False, None, "En proceso", "'En proceso' no indica un porcentaje"),
    ("En ejecución", False, None, "En ejecución", "'En ejecución' no indica un porcentaje"),
    ("Parcialmente cumplida", False, None, "Parcialmente cumplida", "no indica un porcentaje"),
    ("No cumplida", False, None, "No cumplida", "'No cumplida' no indica un porcentaje"),
    ("Pendiente", False, None, "Pendiente", "no se reconoce 'Pendiente' como porcentaje"),
    ("pendiente", False, None, "pendiente", "no se reconoce 'pendiente' como porcentaje"),
    # a status word deep in an observation says nothing about the progress
    ("La meta será cumplida en diciembre", False, None, None, "no se reconoce"),
    # unreadable
    ("nan", False, None, "nan", "no se reconoce 'nan' como porcentaje"),
    (float("nan"), False, None, "nan", "no se reconoce 'nan' como porcentaje"),
    (float("inf"), False, None, "inf", "no se reconoce 'inf' como porcentaje"),
    (float("-inf"), True, None, "-inf", "no se reconoce"),
    (10**400, False, None, None, "no se reconoce"),
    ("9" * 400 + "%", False, None, None, "no se reconoce"),
    (True, False, None, "VERDADERO", "no se reconoce 'VERDADERO' como porcentaje"),
    (decimal.Decimal("0.25"), False, 0.25, "0.25", None),
]


@pytest.mark.parametrize(("cell", "whole", "value", "text", "problem"), CASES)
def test_cells(
    cell: object, whole: bool, value: float | None, text: str | None, problem: str | None
) -> None:
    got = parse_progress(cell, whole)
    if value is None:
        assert got.value is None
    else:
        assert got.value == pytest.approx(value)
    if text is not None:
        assert got.text == text
    if problem is None:
        assert got.problem is None
    else:
        assert problem in (got.problem or ""), got.problem
    assert not got.not_applicable
    assert not got.blank


@pytest.mark.parametrize(
    "cell",
    [
        "N/A",
        "n/a",
        "NA",
        "N. A",
        "N.A.",
        "N.A",
        "No aplica",
        "NO APLICA",
        "No aplica para el periodo",
        "N/A - programada para el segundo cuatrimestre",
    ],
)
def test_not_applicable_is_never_zero(cell: str) -> None:
    got = parse_progress(cell)
    assert got.not_applicable
    assert got.value is None
    assert got.problem is None
    assert got.text == cell
    assert not got.blank


@pytest.mark.parametrize("word", ["Nada", "Nacional"])
def test_words_starting_with_na_are_not_na(word: str) -> None:
    assert not parse_progress(word).not_applicable


@pytest.mark.parametrize("cell", [None, "", "   ", "\n\t", pd.NA, pd.NaT])
def test_blank(cell: object) -> None:
    got = parse_progress(cell)
    assert got.blank
    assert got == Progress(value=None, not_applicable=False, text="", problem=None)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([0, 0.5, 1], False),
        ([0.33, 0.5, 1.0], False),
        ([0, 50, 100], True),
        ([33, "N/A", None, "50%"], True),
        ([0, 1], False),  # nothing above 1: fractions
        ([0.5, 150], False),  # 150 is neither 0-1 nor 0-100: keep fractions and flag it
        ([0, 50, 100, 150], True),  # one 150 % in a whole-number column stays 150 %
        ([0.5, 0.25, 150, 200], False),
        ([-5, 50], False),
        ([True, False, 0.5], False),  # booleans are not numbers here
        (["50", "100", "1"], True),  # an export writes every number as text
        (["0,5", "1"], False),
        ([0.5, 0.3, "50"], False),  # a typed "50" does not outvote the real numbers
        (["50%", "Cumplida"], False),  # only bare numbers vote
        ([float("nan"), 50], True),
        ([np.int64(75), np.float64(0)], True),
        ([10**400, 50], False),
        ([], False),
    ],
)
def test_column_uses_whole_numbers(values: list[object], expected: bool) -> None:
    assert column_uses_whole_numbers(values) is expected


def test_column_decision_drives_the_cell() -> None:
    column = [0, 50, 100, "N/A"]
    whole = column_uses_whole_numbers(column)
    assert [parse_progress(v, whole).value for v in column] == [0.0, 0.5, 1.0, None]


def test_column_accepts_a_pandas_series() -> None:
    assert column_uses_whole_numbers(pd.Series([0, 25, 100], dtype=object)) is True


def test_long_text_is_quoted_short() -> None:
    got = parse_progress("observación " * 50)
    assert got.problem is not None and len(got.problem) < 120
    assert got.text == ("observación " * 50).strip()  # the cell itself is kept whole


CELLS = st.one_of(
    st.none(),
    st.text(),
    st.text(alphabet="0123456789%/.,- naNAcumplidesvo"),
    st.floats(),
    st.integers(),
    st.datetimes(),
    st.dates(),
    st.booleans(),
)


@settings(max_examples=400, deadline=None)
@given(cell=CELLS, whole=st.booleans())
def test_never_raises(cell: object, whole: bool) -> None:
    got = parse_progress(cell, whole)
    assert isinstance(got, Progress)
    assert not (got.not_applicable and got.value is not None)
    if got.value is not None and not 0 <= got.value <= 1:
        assert got.problem is not None


@settings(max_examples=200, deadline=None)
@given(values=st.lists(st.one_of(st.none(), st.text(), st.floats(), st.integers(), st.booleans())))
def test_column_check_never_raises(values: list[object]) -> None:
    assert isinstance(column_uses_whole_numbers(values), bool)
