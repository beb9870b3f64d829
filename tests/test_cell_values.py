"""cells.values: a column's values as xlsxwriter takes them, for every dtype the frames declare
(``pac_excel.frames``): Python scalars, None where pandas has <NA>, NaN or NaT."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from pac_excel import frames
from pac_excel.write.cells import values

DECLARED = sorted(
    {
        dtype
        for name in dir(frames)
        if name.endswith("_DTYPES")
        for dtype in getattr(frames, name).values()
    }
)
SAMPLES: dict[str, list[object]] = {
    "Float64": [0.5, None, 1.0],
    "Int64": [3, None, 0],
    "bool": [True, False, True],
    "boolean": [True, None, False],
    "datetime64[s]": [dt.datetime(2020, 4, 30), None, dt.datetime(2020, 12, 31)],
    "int64": [1, 2, 3],
    "string": ["texto", None, ""],
}


def test_every_declared_dtype_has_a_sample() -> None:
    assert set(DECLARED) == set(SAMPLES)


@pytest.mark.parametrize("dtype", DECLARED)
def test_missing_values_become_none_and_the_rest_python_scalars(dtype: str) -> None:
    raw = SAMPLES[dtype]
    got = values(pd.Series(raw, dtype=dtype))
    assert len(got) == len(raw)
    for value, expected in zip(got, raw, strict=True):
        if expected is None:
            assert value is None
        else:
            assert value == expected
            assert not isinstance(value, np.generic)  # xlsxwriter's write_number takes it
            assert type(value).__module__ in ("builtins", "datetime") or isinstance(
                value, dt.datetime
            )


def test_object_columns_keep_their_values_and_lose_nan_and_nat() -> None:
    date = dt.date(2020, 6, 30)
    got = values(pd.Series([date, None, math.nan, "x", 7, pd.NaT], dtype=object))
    assert got == [date, None, None, "x", 7, None]
    assert got[0] is date


def test_a_column_without_gaps_and_an_empty_one() -> None:
    assert values(pd.Series([0.25, 1.5])) == [0.25, 1.5]
    assert values(pd.Series([], dtype="string")) == []
