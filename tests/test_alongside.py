"""The PDF and the report are written by a forked child while the workbook is written.

What is written must not depend on it: the same files as when this process writes them, the
parent doing the job itself when the child fails or dies, and no new PDF or report (nor any
temporary file) when the workbook cannot be written.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import threading
import time
from pathlib import Path
from typing import Any

import docx
import pypdf
import pytest
from child_faults import watch

from pac_excel import alongside, pipeline
from pac_excel.fanout import read_and_normalize
from pac_excel.history import STORE_NAME
from pac_excel.pipeline import consolidate
from pac_excel.result import Consolidation
from pac_excel.write.workbook import OutputError

ROOT = Path(__file__).resolve().parent.parent
PDF = "seguimiento_oci_paac_2020-04-30.pdf"
DOCX = "informe_seguimiento_paac_2020-04-30.docx"
BOOK = "seguimiento_paac_2020-04-30.xlsx"
TIME = re.compile(r"\b\d{1,2}:\d{2}\b")  # when the run was made, to the minute

needs_fork = pytest.mark.skipif(not alongside.can_fork(), reason="no fork or one core here")


def _watched(monkeypatch: pytest.MonkeyPatch, log: Path, child: str = "") -> None:
    """Record which process stages the publication, and at what priority; ``child`` makes
    the child fail."""
    watch(monkeypatch, pipeline, "stage_publications", log, child,
          line=lambda: f"{os.getpid()} {os.nice(0)}")  # fmt: skip


def _pids(log: Path) -> list[int]:
    return [int(line.split()[0]) for line in log.read_text().splitlines()]


def _niceness(log: Path) -> list[int]:
    return [int(line.split()[1]) for line in log.read_text().splitlines()]


def _pdf_text(path: Path) -> list[str]:
    return [TIME.sub("HH:MM", page.extract_text()) for page in pypdf.PdfReader(path).pages]


def _docx_text(path: Path) -> list[str]:
    document = docx.Document(str(path))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return [TIME.sub("HH:MM", p.text) for p in document.paragraphs] + cells


def _run(out: Path, processes: int | None = None) -> Consolidation:
    return consolidate([ROOT / "samples"], output_dir=out, history_store=False,
                       processes=processes)  # fmt: skip


def _hidden(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.name.startswith("."))


@needs_fork
@pytest.mark.parametrize("waiting", [True, False], ids=["waiting-child", "forked-at-write"])
def test_a_child_writes_the_publication_and_it_is_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, waiting: bool
) -> None:
    if not waiting:  # as a run with a pool: forked when the workbook is written
        monkeypatch.setattr(pipeline, "ASIDE_MIN_FILES", 1)
    log = tmp_path / "pids"
    _watched(monkeypatch, log)
    aside = _run(tmp_path / "aside")
    here = _run(tmp_path / "here", processes=1)
    assert here.publications == [tmp_path / "here" / PDF, tmp_path / "here" / DOCX]
    child, parent = _pids(log)
    assert child != os.getpid() and parent == os.getpid()
    low, normal = _niceness(log)
    assert low == normal + alongside.NICER or low == 19  # below the workbook's deflating
    assert [p.name for p in aside.publications] == [PDF, DOCX]
    assert _pdf_text(tmp_path / "aside" / PDF) == _pdf_text(tmp_path / "here" / PDF)
    assert _docx_text(tmp_path / "aside" / DOCX) == _docx_text(tmp_path / "here" / DOCX)
    assert "Vencidas" in " ".join(_pdf_text(tmp_path / "aside" / PDF))
    assert _hidden(tmp_path / "aside") == []


@needs_fork
@pytest.mark.parametrize("how", ["raises", "dies"])
def test_when_the_child_fails_this_process_writes_the_publication(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    log = tmp_path / "pids"
    _watched(monkeypatch, log, child=how)
    out = tmp_path / "out"
    result = _run(out)
    child, parent = _pids(log)
    assert child != os.getpid() and parent == os.getpid()
    assert [p.name for p in result.publications] == [PDF, DOCX]
    assert len(pypdf.PdfReader(out / PDF).pages) >= 2
    assert docx.Document(str(out / DOCX)).paragraphs
    assert _hidden(out) == []


@needs_fork
def test_a_workbook_that_fails_leaves_the_last_publication_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    _run(out)
    before = {name: (out / name).read_bytes() for name in (PDF, DOCX, BOOK)}
    log = tmp_path / "pids"
    _watched(monkeypatch, log)

    def full_disk(*_args: object, **_kwargs: object) -> None:
        raise OutputError("No se pudo escribir el libro: el disco está lleno.")

    monkeypatch.setattr(pipeline, "write_output", full_disk)
    with pytest.raises(OutputError, match="disco está lleno"):
        _run(out)
    assert [pid != os.getpid() for pid in _pids(log)] == [True]  # the child did stage them
    assert {name: (out / name).read_bytes() for name in before} == before
    assert _hidden(out) == []


def test_one_process_or_another_thread_writes_it_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert not alongside.can_fork(processes=1)
    release = threading.Event()
    waiting = threading.Thread(target=release.wait)
    waiting.start()
    try:
        assert not alongside.can_fork()  # fork would copy this thread's locks, not the thread
        log = tmp_path / "pids"
        _watched(monkeypatch, log)
        result = _run(tmp_path / "out")
    finally:
        release.set()
        waiting.join()
    assert _pids(log) == [os.getpid()]
    assert [p.name for p in result.publications] == [PDF, DOCX]


@pytest.mark.parametrize("history", [False, True])
def test_sin_publicacion_starts_no_child_for_a_few_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, history: bool
) -> None:
    """Nor for their history: it is quick, and the workbook would wait for a child's."""
    started: list[object] = []
    monkeypatch.setattr(pipeline, "Aside", lambda *a, **k: started.append(a))
    result = consolidate([ROOT / "samples"], output_dir=tmp_path, history_store=history,
                         publish=False)  # fmt: skip
    assert started == [] and result.publications == []
    store = [STORE_NAME] if history else []
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([BOOK, *store])


@needs_fork
def test_a_few_files_are_published_by_the_child_forked_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """It imports ReportLab and python-docx while the files are read, then gets the job."""
    log = tmp_path / "pids"
    _watched(monkeypatch, log)
    prepared = tmp_path / "prepared"
    real_import = pipeline._import_publication

    def imports() -> None:
        prepared.write_text(str(os.getpid()))
        real_import()

    alive: list[list[int | None]] = []
    real_read = read_and_normalize

    def reading(*args: Any, **kwargs: Any) -> Any:
        alive.append([p.pid for p in multiprocessing.active_children()])
        return real_read(*args, **kwargs)

    monkeypatch.setattr(pipeline, "_import_publication", imports)
    monkeypatch.setattr(pipeline, "read_and_normalize", reading)
    result = _run(tmp_path / "out")
    (child,) = _pids(log)
    assert child == int(prepared.read_text()) and child != os.getpid()
    assert alive == [[child]]  # already there when reading began
    assert [p.name for p in result.publications] == [PDF, DOCX]
    assert multiprocessing.active_children() == []


@needs_fork
def test_a_run_that_stops_before_writing_lets_the_waiting_child_go(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alive: list[int] = []
    real_read = read_and_normalize

    def reading(*args: Any, **kwargs: Any) -> Any:
        alive.append(len(multiprocessing.active_children()))
        return real_read(*args, **kwargs)

    monkeypatch.setattr(pipeline, "read_and_normalize", reading)
    folder = tmp_path / "entrada"
    folder.mkdir()
    (folder / "notas.csv").write_text("nada que ver\nni una actividad\n", encoding="utf-8")
    with pytest.raises(pipeline.NothingReadError):
        consolidate([folder], output_dir=tmp_path / "out", history_store=False)
    assert alive == [1]  # there was one while reading,
    assert multiprocessing.active_children() == []  # and it is gone


@needs_fork
def test_a_waiting_child_takes_a_job_or_is_let_go() -> None:
    given = alongside.Aside(None, prepare=lambda: None)
    assert given.give(divmod, 17, 5)
    assert given.outcome() == (3, 2)
    given.close()
    refused = alongside.Aside(None)
    assert not refused.give(lambda: 1)  # a lambda does not pickle: nothing is sent
    assert refused.outcome() is alongside.FAILED
    never = alongside.Aside(None)
    never.close()  # told there is no job: it ends
    assert never.outcome() is alongside.FAILED
    large = alongside.Aside(None, prepare=lambda: __import__("time").sleep(0.2))
    assert large.give(len, b"x" * (4 << 20))  # more than the pipe holds: sent meanwhile
    assert large.outcome() == 4 << 20
    large.close()
    assert multiprocessing.active_children() == []


def _large_then_marked(marker: Path) -> Any:
    """A job whose first answer is larger than a pipe holds, then a file to say it went on."""
    yield b"x" * (4 << 20)
    marker.write_text("siguió", encoding="utf-8")
    yield "hecho"


@needs_fork
def test_a_child_goes_on_before_its_large_answer_is_asked_for(tmp_path: Path) -> None:
    # The parent reads answers as they come: the child is not kept waiting on a full pipe,
    # its next step not begun, until the parent asks (the entity reports, a second cut's
    # evolution). Bounded by a deadline, not timed: the old pipe never let the marker appear.
    marker = tmp_path / "siguio.txt"
    aside = alongside.Aside(_large_then_marked, marker)
    deadline = time.monotonic() + 120
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert marker.exists(), "the child waited for the parent to read its first answer"
    assert aside.outcome() == b"x" * (4 << 20)
    assert aside.outcome() == "hecho"
    aside.close()
    assert aside.outcome() is alongside.FAILED
    assert multiprocessing.active_children() == []
