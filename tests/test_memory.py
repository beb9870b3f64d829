"""What the parent process holds at many files: bounded by structure, never by seconds.

A run of thousands of files holds every activity once. These tests pin the three things
that keep it at that: each file's part joins the run's columns as soon as it and every file
before it are done (and is then dropped), equal texts from different files are one object,
and the labels check writes are one object per label, not one per row.
"""

from __future__ import annotations

import datetime as dt
import gc
import sys
import weakref
from pathlib import Path

import pandas as pd
import pytest

from pac_excel import consolidate
from pac_excel.check.labels import STATUSES, pick
from pac_excel.fanout import read_and_normalize
from pac_excel.normalize.run import Assembly, FilePart, Settings, assemble
from pac_excel.problems import Problem
from pac_excel.read.inputs import collect_inputs
from pac_excel.text import Shared

sys.path.insert(0, str(Path(__file__).resolve().parent / "bench"))
from make_office_files import generate  # the benchmark's generator: tests/bench is no package

TODAY = dt.date(2020, 5, 5)


@pytest.fixture(scope="module")
def offices(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("memory")
    generate(folder, 12, 8, seed=5)
    return folder


def _object_ids(series: pd.Series) -> set[int]:
    return {id(value) for value in series.array if isinstance(value, str)}


@pytest.mark.parametrize("processes", [1, 2])
def test_each_part_is_consumed_in_order_and_not_kept(offices: Path, processes: int) -> None:
    problems: list[Problem] = []
    items = collect_inputs([offices], problems, exclude=[])
    seen: list[str] = []
    alive: list[weakref.ref[FilePart]] = []
    most_alive = 0

    def consume(part: FilePart) -> None:
        nonlocal most_alive
        seen.append(part.file)
        alive.append(weakref.ref(part))
        gc.collect()
        most_alive = max(most_alive, sum(ref() is not None for ref in alive))

    jobs, _ = read_and_normalize(items, Settings(), processes=processes, consume=consume)
    assert seen == [item.name for item in items]  # listing order, every file once
    assert all(job.part is None for job in jobs)  # nothing kept once consumed
    gc.collect()
    assert all(ref() is None for ref in alive)
    assert most_alive <= 2  # the one being consumed (and at most the one before, in flight)


def test_the_assembly_gives_the_frames_assemble_gives(offices: Path) -> None:
    problems: list[Problem] = []
    items = collect_inputs([offices], problems, exclude=[])
    jobs, _ = read_and_normalize(items, Settings(), processes=1)
    parts = [job.part for job in jobs if job.part is not None]
    streamed = Assembly()  # a second read, each part consumed as it is done
    read_and_normalize(items, Settings(), processes=1, consume=streamed.add)
    one_problems: list[Problem] = []
    two_problems: list[Problem] = []
    whole = assemble(parts, one_problems)
    built = streamed.finish(two_problems)
    pd.testing.assert_frame_equal(whole.activities, built.activities)
    pd.testing.assert_frame_equal(whole.deliveries, built.deliveries)
    pd.testing.assert_frame_equal(whole.rows, built.rows)
    assert [p.message for p in one_problems] == [p.message for p in two_problems]
    assert built.activities["activity_id"].tolist() == list(range(len(built.activities)))


def test_equal_texts_from_different_files_are_one_object(offices: Path) -> None:
    result = consolidate([offices], output_dir=None, today=TODAY, history_store=False, processes=2)
    acts = result.activities
    assert acts["file"].nunique() == 12
    for column in ("component_label", "owner", "sheet", "status"):
        texts = acts[column].dropna()
        # As many objects as distinct texts: each file did not bring its own copy.
        assert len(_object_ids(texts)) == texts.nunique(), column
    # The alerts point at the activities' texts, they do not copy them.
    alerts = result.alerts
    assert _object_ids(alerts["activity"]) <= _object_ids(acts["activity"])


def test_pick_keeps_one_object_per_label() -> None:
    rows = 10_000
    first = pd.Series([i % 3 == 0 for i in range(rows)])
    second = pd.Series([i % 3 == 1 for i in range(rows)])
    chosen = pick([first, second], [STATUSES[0], STATUSES[1]], STATUSES[2])
    as_text = pd.Series(chosen, dtype="string")
    assert as_text.value_counts().to_dict() == {
        STATUSES[0]: 3334,
        STATUSES[1]: 3333,
        STATUSES[2]: 3333,
    }
    assert len(_object_ids(as_text)) == 3


def test_check_leaves_its_inputs_as_they_were(offices: Path) -> None:
    """check works on shallow copies (copy-on-write): the frames it is given do not change."""
    from pac_excel.check import check
    from pac_excel.normalize import normalize
    from pac_excel.read import read_file

    problems: list[Problem] = []
    sheets = [s for item in collect_inputs([offices], problems, exclude=[])
              for s in read_file(item, problems)]  # fmt: skip
    normalized = normalize(sheets, problems)
    activities, deliveries = normalized.activities, normalized.deliveries
    before = (activities.copy(deep=True), deliveries.copy(deep=True))
    checked = check(activities, deliveries, dt.date(2020, 4, 30))
    assert "status" in checked.activities and "status" not in activities
    assert "due" in checked.deliveries and "due" not in deliveries
    pd.testing.assert_frame_equal(activities, before[0])
    pd.testing.assert_frame_equal(deliveries, before[1])


def _copy(text: str) -> str:
    """An equal text in another object, as each worker's part brings it."""
    return (text + "!")[:-1]


def test_sharing_a_column_at_once_is_sharing_each_value() -> None:
    shared, one_by_one = Shared(), Shared()
    first = [_copy("Secretaría de Salud"), None, _copy("Vencida"), _copy("Vencida")]
    again = [_copy("Secretaría de Salud"), _copy("Vencida"), None]
    assert shared.each(first) == [one_by_one(v) for v in first] == first
    column = shared.each(again)
    assert column == again
    assert column[0] is first[0] and column[1] is first[2]  # the first spelling seen, one object
    odd: list[object] = [_copy("Vencida"), ["no", "hashable"], 3.5]  # never from a worker
    assert shared.each(odd) == odd and shared.each(odd)[0] is first[2]
