"""The year's first cut records the history without reading it back (nothing to chain yet).

Reading every activity of the year back from the store cost a copy of the whole run (3 s
and 90 MiB at 1,000 files) to build a story of one cut that no sheet shows. The second cut
of the year reads it and tells the story.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from pac_excel import consolidate
from pac_excel.history.store import STORE_NAME, Store

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
TODAY = dt.date(2020, 9, 3)


def test_first_cut_is_recorded_and_not_read_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_: object) -> None:
        raise AssertionError("the store was read back with no earlier cut to chain")

    out = tmp_path / "salida"
    with monkeypatch.context() as patch:
        patch.setattr(Store, "activities", refuse)
        first = consolidate([SAMPLES], cutoff=dt.date(2020, 4, 30), output_dir=out, today=TODAY)
    assert first.evolution is not None and first.evolution.empty
    cuts = Store(out / STORE_NAME).cuts()
    assert {c.cut_date for c in cuts} == {dt.date(2020, 4, 30)}
    assert sum(c.activities for c in cuts) == len(first.activities)
    assert first.output is not None
    assert "Evolución" not in load_workbook(first.output, read_only=True).sheetnames

    second = consolidate([SAMPLES], cutoff=dt.date(2020, 8, 31), output_dir=out, today=TODAY)
    assert second.evolution is not None
    assert sorted(second.evolution["cut_date"].dt.date.unique()) == [
        dt.date(2020, 4, 30),
        dt.date(2020, 8, 31),
    ]
    assert second.output is not None
    assert "Evolución" in load_workbook(second.output, read_only=True).sheetnames


def test_a_later_cut_alone_is_not_an_earlier_one(tmp_path: Path) -> None:
    out = tmp_path / "salida"
    consolidate([SAMPLES], cutoff=dt.date(2020, 8, 31), output_dir=out, today=TODAY)
    # Going back to April: the store holds August only, which is not before April.
    back = consolidate([SAMPLES], cutoff=dt.date(2020, 4, 30), output_dir=out, today=TODAY)
    assert back.evolution is not None and back.evolution.empty
    assert Store(out / STORE_NAME).has_cut_before("PAAC", [2020], dt.date(2020, 8, 31))
    assert not Store(out / STORE_NAME).has_cut_before("PAAC", [2020], dt.date(2020, 4, 30))
    assert not Store(out / STORE_NAME).has_cut_before("PTEP", [2020], dt.date(2020, 12, 31))
