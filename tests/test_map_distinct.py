"""``frames.map_distinct`` is ``Series.map`` of each distinct text's answer, ``func`` called once
per distinct text.

The rules map whole text columns (a state, a progress written as "3 de 4", a follow-up) that
repeat on thousands of rows; the answer must be what pandas' own map of the answers gives,
dtype included.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pac_excel.frames import map_distinct

TEXTS = st.lists(
    st.sampled_from(["", "Cumplida", "3 de 4", "n/a", "Pendiente", "año"]), max_size=30
)
FUNCS: dict[str, Callable[[str], object]] = {
    "bool": lambda t: t.strip().lower() in ("", "n/a"),
    "float or None": lambda t: float(t[0]) if t[:1].isdigit() else None,
    "text or None": lambda t: t.upper() or None,
    "int": len,
}


@settings(max_examples=40, deadline=None)
@given(texts=TEXTS, dtype=st.sampled_from(["string", "object"]), name=st.sampled_from(list(FUNCS)))
def test_it_is_series_map_of_the_answers(texts: list[str], dtype: str, name: str) -> None:
    series = pd.Series(texts, index=pd.RangeIndex(len(texts)) * 2 + 5, dtype=dtype)
    func = FUNCS[name]
    expected = series.map({text: func(text) for text in set(texts)})
    got = map_distinct(series, func)
    if texts:
        pd.testing.assert_series_equal(got, expected)
    else:
        assert got.empty and list(got.index) == []


def test_func_is_called_once_per_distinct_text() -> None:
    calls: list[str] = []

    def doubled(text: str) -> str:
        calls.append(text)
        return text * 2

    series = pd.Series(["a", "b", "a", "a", "b"] * 1000, dtype="string")
    got = map_distinct(series, doubled)
    assert calls == ["a", "b"]
    assert got.tolist()[:3] == ["aa", "bb", "aa"] and len(got) == 5000


@pytest.mark.parametrize("index", [pd.Index(["x", "y", "z"]), pd.RangeIndex(3)])
def test_the_rows_keep_their_index(index: pd.Index) -> None:
    got = map_distinct(pd.Series(["p", "q", "p"], index=index, dtype="string"), str.upper)
    assert list(got.index) == list(index) and got.tolist() == ["P", "Q", "P"]
