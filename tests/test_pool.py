"""Files read and normalized over a process pool give the run one process gives.

Each test reads the frames, the problems and the written workbook back and compares the
pooled run with the one-process run cell by cell: same activities and ids, same order, same
problems in the same order, same rows accounted for, a progress bar that counts files done.
"""

from __future__ import annotations

import datetime as dt
import runpy
import shutil
import sys
from pathlib import Path

import pandas as pd
import pytest
from celldump import RUN_AT, dump_workbook

from pac_excel import consolidate, write_workbook
from pac_excel.fanout import POOL_MIN_FILES, ProgressCallback, processes_for, read_and_normalize
from pac_excel.normalize.run import Settings
from pac_excel.read.inputs import collect_inputs
from pac_excel.result import Consolidation

sys.path.insert(0, str(Path(__file__).resolve().parent / "bench"))
from make_office_files import generate  # the benchmark's generator: tests/bench is no package

TODAY = dt.date(2020, 5, 5)


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Ten offices of both layouts, a damaged file, a sheet with no table, and the same
    name in two input folders (normalized together, as one file, in both modes)."""
    root = tmp_path_factory.mktemp("pool")
    first, second = root / "uno", root / "dos"
    generate(first, 10, 6, seed=3)
    (first / "roto.xlsx").write_bytes(b"PK\x03\x04 esto no es un libro")
    (first / "notas.csv").write_text("Nota;sin tabla\nsolo;texto\n", encoding="utf-8")
    second.mkdir()
    shutil.copy(next(first.glob("000_*.xlsx")), second / "roto.xlsx")
    return [first, second]


def _run(
    folders: list[Path], processes: int, progress: ProgressCallback | None = None
) -> Consolidation:
    return consolidate(
        folders,
        output_dir=None,
        today=TODAY,
        history_store=False,
        processes=processes,
        progress=progress,
    )


def _cells(result: Consolidation, target: Path) -> dict[str, list[list[object]]]:
    result.run_at = RUN_AT
    write_workbook(result, target)
    return dump_workbook(target)


def test_pool_gives_the_same_frames_problems_and_workbook(
    folders: list[Path], tmp_path: Path
) -> None:
    alone = _run(folders, 1)
    pooled = _run(folders, 2)
    assert len(alone.activities) == 66  # eleven offices of six activities
    pd.testing.assert_frame_equal(alone.activities, pooled.activities)
    pd.testing.assert_frame_equal(alone.deliveries, pooled.deliveries)
    pd.testing.assert_frame_equal(alone.alerts, pooled.alerts)
    assert alone.history is not None and pooled.history is not None
    pd.testing.assert_frame_equal(alone.history, pooled.history)
    assert alone.problems == pooled.problems
    found = [(p.file, p.code) for p in alone.problems]
    assert ("roto.xlsx", "archivo-incompleto") in found
    assert ("notas.csv", "sin-tabla-de-seguimiento") in found
    # Reading problems of every file come before any file's normalizing problems.
    assert found.index(("roto.xlsx", "archivo-incompleto")) < found.index(
        ("notas.csv", "sin-tabla-de-seguimiento")
    )
    assert alone.files_read == pooled.files_read
    assert [f.file for f in alone.file_programs] == [f.file for f in pooled.file_programs]
    assert list(alone.activities["activity_id"]) == list(range(66))
    one = _cells(alone, tmp_path / "uno.xlsx")
    many = _cells(pooled, tmp_path / "varios.xlsx")
    assert one == many
    assert len(one["Actividades"]) > 66


def test_same_name_in_two_folders_is_one_file_in_both_modes(folders: list[Path]) -> None:
    """Both «roto.xlsx» are one shown name: the second's activities join the first's."""
    for processes in (1, 2):
        result = _run(folders, processes)
        files = result.activities["file"].tolist()
        assert files.count("roto.xlsx") == 6, processes
        assert result.files_read.count("roto.xlsx") == 1


def test_progress_counts_every_file_done_in_the_parent(folders: list[Path]) -> None:
    calls: list[tuple[int, int, str]] = []
    _run(folders, 2, progress=lambda done, total, name: calls.append((done, total, name)))
    listed = collect_inputs(folders, [])
    assert [c[0] for c in calls] == list(range(1, len(listed) + 1))
    assert {c[1] for c in calls} == {len(listed)}
    assert sorted(c[2] for c in calls) == sorted(item.name for item in listed)


def test_spawned_workers_give_the_same_parts(folders: list[Path]) -> None:
    """Windows starts workers with spawn: a fresh interpreter must find and run the worker."""
    items = collect_inputs(folders, [])
    settings = Settings.of(None, None, None, None)
    spawned, used = read_and_normalize(items, settings, processes=2, start_method="spawn")
    alone, one = read_and_normalize(items, settings, processes=1)
    assert (used, one) == (2, 1)
    assert [job.part for job in spawned] == [job.part for job in alone]
    assert [job.files for job in spawned] == [job.files for job in alone]


def test_pool_only_with_enough_files() -> None:
    assert processes_for(POOL_MIN_FILES - 1) == 1
    assert processes_for(1000) >= 1
    assert processes_for(3, asked=8) == 3
    assert processes_for(100, asked=1) == 1


def test_python_m_does_not_rerun_the_command_in_a_spawned_worker() -> None:
    """spawn imports the main module as __mp_main__: ``python -m pac_excel`` must not run."""
    namespace = runpy.run_module("pac_excel", run_name="__mp_main__")
    assert callable(namespace["run"])
