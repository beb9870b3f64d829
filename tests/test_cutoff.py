"""Choosing the cut-off: --corte wins; otherwise the files must agree."""

from __future__ import annotations

import datetime as dt

import pytest

from pac_excel.cutoff import CutoffError, resolve_cutoff
from pac_excel.normalize import SourceInfo
from pac_excel.problems import Problem

A = SourceInfo("a.xlsx", "A", 2020, dt.date(2020, 4, 30), "[a.xlsx]S!C7")
B = SourceInfo("b.xlsx", "B", 2020, dt.date(2020, 8, 31), "[b.xlsx]S!B3")
NONE = SourceInfo("c.xlsx", "C", 2020, None, None)


def test_from_files() -> None:
    problems: list[Problem] = []
    assert resolve_cutoff(None, [A, NONE], problems) == (
        dt.date(2020, 4, 30),
        "leído de [a.xlsx]S!C7",
    )
    assert problems == []


def test_given_wins_and_warns_on_disagreement() -> None:
    problems: list[Problem] = []
    chosen, source = resolve_cutoff(dt.date(2020, 8, 31), [A, B], problems)
    assert (chosen, source) == (dt.date(2020, 8, 31), "indicado con --corte")
    assert [(p.file, p.code) for p in problems] == [("a.xlsx", "corte-distinto")]


def test_missing() -> None:
    with pytest.raises(CutoffError, match="--corte AAAA-MM-DD"):
        resolve_cutoff(None, [NONE], [])


def test_disagreeing_files() -> None:
    with pytest.raises(CutoffError, match="a.xlsx: 30/04/2020; b.xlsx: 31/08/2020"):
        resolve_cutoff(None, [A, B], [])
