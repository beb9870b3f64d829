"""What a run of thousands of files keeps, bounded by structure: never by seconds or RSS.

At 3,000 files the process peaked at 400-450 MiB. What grew with the files, and is pinned
here so it cannot come back: a copy of the program's catalog sent back with every file, the
fate of every source row (which a consolidation never shows), UTF-8 copies that pandas' string
hash table and sqlite3 leave inside every text they see (CPython caches them in the str), one
copy of an alert's detail per row, a tuple per row while recording the cut, the sheets'
deflated rows held in memory until the workbook is closed, a ``__dict__`` per problem, and a
second cut's year read back from the store all at once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import pickle
import sqlite3
import sys
from pathlib import Path
from typing import Any, ClassVar

import openpyxl
import pandas as pd
import pytest

from pac_excel import consolidate
from pac_excel.check.owners import owner_areas
from pac_excel.fanout import read_and_normalize
from pac_excel.frames import map_distinct
from pac_excel.history import store as store_module
from pac_excel.history.store import NewCut, Store
from pac_excel.normalize.programs import load_program
from pac_excel.normalize.run import Assembly, Settings
from pac_excel.problems import Problem
from pac_excel.read.inputs import collect_inputs
from pac_excel.write import deflate

sys.path.insert(0, str(Path(__file__).resolve().parent / "bench"))
from make_office_files import generate  # the benchmark's generator: tests/bench is no package

TODAY = dt.date(2020, 5, 5)
CUT = dt.date(2020, 4, 30)


@pytest.fixture(scope="module")
def offices(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("memory_scale")
    generate(folder, 12, 8, seed=11)
    return folder


def _texts(count: int, tag: str) -> list[str]:
    """Distinct non-ASCII texts, long enough that a UTF-8 copy would show in their size."""
    return [f"Se publicó el informe número {i} de gestión ({tag}) " * 3 for i in range(count)]


def _sizes(texts: list[str]) -> int:
    return sum(map(sys.getsizeof, texts))  # includes a cached UTF-8 copy, when there is one


def _programs(folder: Path, processes: int) -> list[Any]:
    problems: list[Problem] = []
    items = collect_inputs([folder], problems, exclude=[])
    assembly = Assembly()
    read_and_normalize(items, Settings(), processes=processes, consume=assembly.add)
    return [info.program for info in assembly.finish(problems).sources]


def test_a_shipped_program_travels_by_its_key() -> None:
    for key in ("paac", "paac2012", "ptep"):
        program = load_program(key)
        sent = pickle.dumps(program)
        assert len(sent) < 200, key  # the name of the loader and the key, not the catalog
        assert pickle.loads(sent) is program
    own = dataclasses.replace(load_program("ptep"), name="Programa propio")
    back = pickle.loads(pickle.dumps(own))  # not a shipped one: sent whole
    assert back == own and back is not own and back.catalog == own.catalog


def test_the_files_read_by_a_pool_share_one_program_object(offices: Path) -> None:
    programs = _programs(offices, processes=2)
    assert len(programs) == 12
    assert len({id(p) for p in programs}) == len({p.key for p in programs})
    assert all(p is load_program(p.key) for p in programs)


def test_a_consolidation_sends_no_row_fates(offices: Path) -> None:
    problems: list[Problem] = []
    items = collect_inputs([offices], problems, exclude=[])
    with_rows, without = Assembly(), Assembly()
    read_and_normalize(items, Settings(), processes=1, consume=with_rows.add)
    read_and_normalize(items, Settings(rows=False), processes=1, consume=without.add)
    assert len(with_rows.fates) > len(with_rows.columns["activity_id"])  # a fate per row
    assert without.fates == []
    full, lean = with_rows.finish([]), without.finish([])
    assert lean.rows.empty and not full.rows.empty
    pd.testing.assert_frame_equal(full.activities, lean.activities)
    pd.testing.assert_frame_equal(full.deliveries, lean.deliveries)


def test_map_distinct_leaves_no_utf8_copy_in_the_texts() -> None:
    texts = _texts(300, "mapa")
    column = pd.Series(texts * 4, dtype="string")
    before = _sizes(texts)
    found = map_distinct(column, len)
    assert found.tolist() == [len(t) for t in texts * 4]
    assert _sizes(texts) == before
    column.unique()  # what map_distinct used: the probe does see the copy it leaves
    assert _sizes(texts) > before + 300 * 100


def _stored(texts: list[str], entity: str) -> pd.DataFrame:
    n = len(texts)
    frame: pd.DataFrame = pd.DataFrame(
        {
            "file": [f"{entity}.xlsx"] * n,
            "sheet": ["PAAC"] * n,
            "row": list(range(2, n + 2)),
            "component": [1] * n,
            "component_label": ["1. Gestión del Riesgo de Corrupción"] * n,
            "subcomponent": [pd.NA] * n,
            "activity": texts,
            "progress": [i / max(n, 1) for i in range(n)],
            "progress_text": ["50 %"] * n,
            "not_applicable": [False] * n,
            "compliance": [pd.NA] * n,
            "status": ["En curso"] * n,
            "alerts": [pd.NA] * n,
            "dates": ["2020-04-30"] * n,
            "followup": [t.upper() for t in texts],
        }
    )
    return frame


def test_the_store_records_in_batches_and_keeps_no_utf8_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_module, "_BATCH_ROWS", 4)  # batches across and within cuts
    run_at = dt.datetime(2020, 5, 5, 10, 0)
    frames = {name: _stored(_texts(n, name), name) for name, n in (("A", 3), ("B", 9), ("C", 2))}
    store = Store(tmp_path / "h.sqlite")
    kept = NewCut("B", "PAAC", CUT, 2020, ("B.xlsx",), run_at, origin="consolidado")
    assert store.record([(kept, frames["B"])]) == 1
    texts = [t for frame in frames.values() for t in frame["activity"]]
    followups = [t for frame in frames.values() for t in frame["followup"]]
    before = _sizes(texts) + _sizes(followups)
    cuts = [
        (NewCut(name, "PAAC", CUT, 2020, (f"{name}.xlsx",), run_at, origin="otro corte del archivo"),
         frame.assign(progress=0.5))
        for name, frame in frames.items()
    ]  # fmt: skip
    # B's consolidated cut stands: its rows are skipped, the next cut's are C's own.
    assert store.record(cuts, replace_origins=("otro corte del archivo",)) == 2
    assert _sizes(texts) + _sizes(followups) == before
    back = store.activities("PAAC", [2020])
    for name, frame in frames.items():
        mine = back[back["entity"] == name]
        assert mine["activity"].tolist() == frame["activity"].tolist(), name
        assert mine["followup"].tolist() == frame["followup"].tolist(), name
        assert mine["row"].tolist() == frame["row"].tolist(), name
        expected = frame["progress"].tolist() if name == "B" else [0.5] * len(frame)
        assert mine["progress"].tolist() == pytest.approx(expected), name


def test_equal_alert_details_and_subunits_are_one_object(offices: Path) -> None:
    result = consolidate([offices], output_dir=None, today=TODAY, cutoff=CUT,
                         history_store=False, processes=1)  # fmt: skip
    details = result.alerts["detail"].dropna()
    assert len(details) > details.nunique() > 1
    assert len({id(t) for t in details.array}) == details.nunique()
    acts = pd.DataFrame(
        {
            "activity_id": range(6),
            "entity": ["E"] * 6,
            "owner": ["Secretaría de Planeación - Grupo de Calidad"] * 3 + ["Oficina Jurídica"] * 3,
        }
    )
    areas = owner_areas(acts)
    subunits = areas["subunits"].dropna()
    assert len(subunits) == 3 and subunits.nunique() == 1
    assert len({id(t) for t in subunits.array}) == 1


def test_a_problem_has_no_dict() -> None:
    problem = Problem.in_file("a.xlsx", "archivo-vacio", "El archivo tiene 0 bytes.")
    assert not hasattr(problem, "__dict__")
    assert pickle.loads(pickle.dumps(problem)) == problem


def test_deflated_rows_wait_on_disk_not_in_memory(
    offices: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[deflate.Deflated] = []
    real = deflate.deflate_file

    def spy(path: str, cancel: Any) -> deflate.Deflated:
        found = real(path, cancel)
        made.append(found)
        return found

    monkeypatch.setattr(deflate, "deflate_file", spy)
    result = consolidate([offices], output_dir=tmp_path / "salida", today=TODAY, cutoff=CUT,
                         history_store=False, processes=1, publish=False)  # fmt: skip
    assert made and all(d.data == b"" and d.path is not None for d in made)
    assert all(not Path(str(d.path)).exists() for d in made)  # copied into the zip, removed
    assert result.output is not None
    assert sorted(p.name for p in result.output.parent.iterdir()) == [result.output.name]
    book = openpyxl.load_workbook(result.output, read_only=True)
    rows = list(book["Actividades"].iter_rows(values_only=True))
    assert len(rows) == len(result.activities) + 1
    assert rows[1][0] is not None


class _CountingCursor(sqlite3.Cursor):
    """Records how many rows each fetch of a query on the activities brings at once."""

    fetched: ClassVar[list[int]] = []

    def execute(self, sql: str, parameters: Any = (), /) -> _CountingCursor:
        self.counted = "FROM activities" in sql
        super().execute(sql, parameters)
        return self

    def fetchmany(self, size: int | None = None) -> list[Any]:
        rows = super().fetchmany(self.arraysize if size is None else size)
        if self.counted:
            self.fetched.append(len(rows))
        return rows

    def fetchall(self) -> list[Any]:
        rows = super().fetchall()
        if self.counted:
            self.fetched.append(-len(rows))  # marked: the whole query at once
        return rows


class _CountingConnection(sqlite3.Connection):
    def execute(self, sql: str, parameters: Any = (), /) -> sqlite3.Cursor:
        return self.cursor(_CountingCursor).execute(sql, parameters)


def test_the_year_is_read_back_a_batch_at_a_time_with_texts_shared(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A second cut reads the year back: read whole (pandas.read_sql_query) its 240,000 rows at
    # 3,000 files were held as raw rows and as columns at once, 300 MiB.
    run_at = dt.datetime(2020, 9, 5, 10, 0)
    store = Store(tmp_path / "h.sqlite")
    texts = _texts(7, "año")
    for cut in (CUT, dt.date(2020, 8, 31)):
        new = NewCut("A", "PAAC", cut, 2020, ("A.xlsx",), run_at, origin="consolidado")
        store.record([(new, _stored(texts, "A"))])
    monkeypatch.setattr(store_module, "_BATCH_ROWS", 4)  # 14 rows: four batches
    connect = sqlite3.connect
    monkeypatch.setattr(
        sqlite3,
        "connect",
        lambda *a, **k: connect(*a, **k, factory=_CountingConnection),
    )
    _CountingCursor.fetched = []
    back = store.activities("PAAC", [2020], ["activity", "file", "progress", "row"])
    assert _CountingCursor.fetched == [4, 4, 4, 2, 0]  # never the whole query at once
    assert back["activity"].tolist() == texts * 2
    assert back["row"].tolist() == list(range(2, 9)) * 2
    assert back["progress"].tolist() == pytest.approx([i / 7 for i in range(7)] * 2)
    assert {c: str(t) for c, t in back.dtypes.items()} == {
        "file": "string", "row": "Int64", "activity": "string", "progress": "Float64",
    }  # fmt: skip
    # The same activity at both cuts, and one file name for every row: one object each.
    first, second = back["activity"].iloc[0], back["activity"].iloc[7]
    assert first == second and first is second
    assert len({id(name) for name in back["file"]}) == 1
