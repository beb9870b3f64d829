"""The run's history is attached by the child forked as the workbook is written, while its first
sheets are (``pipeline._write``): the store, the workbook and the problems are the same as when
one process does it all, and a child that fails, or a workbook that cannot be written, changes
nothing of what is recorded. A run of a few files forks its child before reading
(``_waiting_child``) and attaches the history itself: the tests of the other kind of run turn
that child off (``forked_at_write``)."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from celldump import dump_workbook
from child_faults import watch
from conftest import SAMPLES
from history_cuts import CUTS, build_cuts

from pac_excel import alongside, pipeline
from pac_excel.history import STORE_NAME, Store
from pac_excel.pipeline import consolidate
from pac_excel.publish import content
from pac_excel.result import Consolidation
from pac_excel.write.workbook import OutputError

needs_fork = pytest.mark.skipif(not alongside.can_fork(), reason="no fork or one core here")
# When each run was made (the workbook's dates, Historial de cortes): not what is compared.
WHEN = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2})?|\b\d{1,2}:\d{2}\b")


@pytest.fixture
def forked_at_write(monkeypatch: pytest.MonkeyPatch) -> None:
    """Runs as those of many files: the child forked as the workbook is written."""
    monkeypatch.setattr(pipeline, "ASIDE_MIN_FILES", 1)


def _watched(monkeypatch: pytest.MonkeyPatch, log: Path, child: str = "") -> None:
    """Record which process attaches the history; ``child`` makes the child fail there."""
    watch(monkeypatch, pipeline, "attach_history", log, child)


def _in_child(log: Path) -> list[bool]:
    return [int(line) != os.getpid() for line in log.read_text().splitlines()]


def _year(folder: Path, processes: int | None = None) -> Consolidation:
    """The three cuts of one entity into ``folder / 'salida'``; the December run."""
    result = None
    for path, cut in zip(build_cuts(folder), CUTS, strict=True):
        result = consolidate([path], cutoff=cut, output_dir=folder / "salida",
                             processes=processes)  # fmt: skip
    assert result is not None and result.output is not None
    return result


def _shown(result: Consolidation) -> dict[str, Any]:
    """Every sheet's cells, with the times of day and of the runs masked."""
    assert result.output is not None
    sheets = dump_workbook(result.output)
    return {
        name: [[WHEN.sub("…", v) if isinstance(v, str) else v for v in row] for row in rows]
        for name, rows in sheets.items()
    }


def _said(result: Consolidation) -> list[tuple[object, ...]]:
    return [(p.file, p.sheet, p.row, p.code, p.message) for p in result.problems]


def _stored(folder: Path) -> list[tuple[object, ...]]:
    cuts = Store(folder / "salida" / STORE_NAME).cuts()
    return [(c.entity, c.program, c.cut_date, c.origin, c.activities) for c in cuts]


@needs_fork
@pytest.mark.parametrize("waiting", [False, True], ids=["forked-at-write", "waiting-child"])
def test_the_child_attaches_the_history_and_the_workbook_is_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, waiting: bool
) -> None:
    if not waiting:
        monkeypatch.setattr(pipeline, "ASIDE_MIN_FILES", 1)
    log = tmp_path / "pids"
    _watched(monkeypatch, log)
    forked = _year(tmp_path / "a")
    assert _in_child(log) == [not waiting] * 3  # the waiting child: attached here
    log.unlink()
    alone = _year(tmp_path / "b", processes=1)
    assert _in_child(log) == [False, False, False]

    assert {"Evolución", "Seguimiento OCI"} <= set(_shown(forked))
    assert _shown(forked) == _shown(alone)
    assert _said(forked) == _said(alone)
    assert len(_stored(tmp_path / "a")) == 3
    assert _stored(tmp_path / "a") == _stored(tmp_path / "b")
    assert forked.history_store == tmp_path / "a" / "salida" / STORE_NAME
    assert forked.evolution is not None and alone.evolution is not None
    assert len(forked.evolution) == len(alone.evolution) > 0


def test_an_unusable_store_is_a_problem_in_problemas_as_in_one_process(
    tmp_path: Path, forked_at_write: None
) -> None:
    found = {}
    out = tmp_path / "salida"  # the same for both: the message names it
    for label, processes in (("forked", None), ("alone", 1)):
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir()
        (out / STORE_NAME).write_text("esto no es un historial", encoding="utf-8")
        result = consolidate([SAMPLES], output_dir=out, processes=processes)
        assert (out / STORE_NAME).read_text(encoding="utf-8") == "esto no es un historial"
        assert "historial-no-disponible" in [p.code for p in result.problems]
        found[label] = (_shown(result)["Problemas"], _said(result))
    assert found["forked"] == found["alone"]


@needs_fork
def test_a_workbook_that_fails_still_records_the_cut(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forked_at_write: None
) -> None:
    log = tmp_path / "pids"
    _watched(monkeypatch, log)

    def full_disk(*_args: object, **_kwargs: object) -> None:
        raise OutputError("No se pudo escribir el libro: el disco está lleno.")

    monkeypatch.setattr(pipeline, "write_output", full_disk)
    out = tmp_path / "salida"
    with pytest.raises(OutputError, match="disco está lleno"):
        consolidate([SAMPLES], output_dir=out)
    assert _in_child(log) == [True]
    cuts = Store(out / STORE_NAME).cuts()
    assert [c.cut_date.isoformat() for c in cuts] == ["2020-04-30"] * len(cuts) and cuts
    assert sorted(p.name for p in out.iterdir()) == [STORE_NAME]  # no PDF, report, temp


def _reports_made(monkeypatch: pytest.MonkeyPatch, log: Path, child: str = "") -> None:
    """Record which process makes the entity reports (a cache hit makes nothing)."""
    watch(monkeypatch, content, "component_summaries", log, child)


def _child_is(monkeypatch: pytest.MonkeyPatch, quick: bool) -> None:
    """Whether the child's answers are there when the workbook first shows the reports: the
    parent then waits for them (quick), or never finds them (slow), whatever the timing."""
    monkeypatch.setattr(alongside.Aside, "ready", lambda self: quick)


@needs_fork
@pytest.mark.parametrize("quick", [True, False], ids=["there-already", "not-yet"])
def test_the_workbook_shows_the_childs_reports_when_they_are_there_already(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, quick: bool, forked_at_write: None
) -> None:
    log = tmp_path / "pids"
    _reports_made(monkeypatch, log)
    _child_is(monkeypatch, quick=quick)
    forked = _year(tmp_path / "a")
    # Each run: made once in the child, for the workbook's form and Resumen and for the PDF;
    # when they are not there yet, made here as well (the child's are dropped).
    assert sorted(_in_child(log)) == [False] * (0 if quick else 3) + [True] * 3
    log.unlink()
    alone = _year(tmp_path / "b", processes=1)
    assert _in_child(log) == [False] * 3
    assert _shown(forked) == _shown(alone)
    assert _said(forked) == _said(alone)
    assert _stored(tmp_path / "a") == _stored(tmp_path / "b")


@needs_fork
@pytest.mark.parametrize("child", ["raises", "dies"])
@pytest.mark.parametrize("stage", ["history", "reports"])
def test_a_child_that_fails_leaves_the_rest_to_this_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stage: str, child: str,
    forked_at_write: None,
) -> None:  # fmt: skip
    alone = _year(tmp_path / "b", processes=1)
    attached, made = tmp_path / "attached", tmp_path / "reports"
    _watched(monkeypatch, attached, child if stage == "history" else "")
    _reports_made(monkeypatch, made, child if stage == "reports" else "")
    _child_is(monkeypatch, quick=True)
    result = _year(tmp_path / "a")
    # Each run: the child tried, then this process did it; what came before stays the child's.
    tried, here = [True, False] * 3, [False] * 3
    assert _in_child(attached) == (tried if stage == "history" else [True] * 3)
    assert _in_child(made) == (here if stage == "history" else tried)
    assert _shown(result) == _shown(alone)
    assert _stored(tmp_path / "a") == _stored(tmp_path / "b")
    assert [p.name for p in result.publications] == [p.name for p in alone.publications]
