"""fanout: read and normalize each file on its own, over the machine's cores when it pays.

Reading a file and normalizing it depend on no other file (``normalize.run.FilePart``), so
the files of a run are spread over a process pool; the parent puts the parts back in the
order of the listing, which gives the same frames, ids and problems as one process. Each
worker sends back the file's frames, not its cells, so no process ever holds every file's
cells. A pool is used only with enough files to repay starting it and more than one core.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing.context import BaseContext

from pac_excel.normalize.run import FilePart, Settings, normalize_file
from pac_excel.problems import Problem
from pac_excel.read.inputs import InputFile
from pac_excel.read.sheets import RawSheet, read_file

POOL_MIN_FILES = 8  # fewer files are read and normalized before a pool has started
FILES_PER_TASK = 4  # enough work per task to cover sending it; small enough to balance

ProgressCallback = Callable[[int, int, str], None]
Job = tuple[tuple[int, InputFile], ...]  # (position in the listing, file) of one shown name


@dataclass
class FileDone:
    """One listed file, read (``found`` says whether any sheet came out) with its problems."""

    index: int  # position in the listing
    found: bool
    problems: list[Problem]


@dataclass
class JobDone:
    """A group of listed files that share a name, read and normalized together."""

    files: list[FileDone]
    part: FilePart | None  # None when no sheet could be read


def available_cores() -> int:
    """The cores this process may run on (the affinity mask where the system has one)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def processes_for(files: int, asked: int | None = None) -> int:
    """How many processes a run of ``files`` files uses: 1 means no pool."""
    if asked is not None:
        return max(1, min(asked, files))
    if files < POOL_MIN_FILES:
        return 1
    return min(available_cores(), files)


def run_job(job: Job, settings: Settings) -> JobDone:
    """Read the files of one job and normalize their sheets as one file (a pool's task).

    Files listed under the same shown name are normalized together, as one file, so the
    result does not depend on how the listing is cut into jobs.
    """
    done: list[FileDone] = []
    sheets: list[RawSheet] = []
    for index, item in job:
        problems: list[Problem] = []
        found = read_file(item, problems)
        sheets.extend(found)
        done.append(FileDone(index, bool(found), problems))
    return JobDone(done, normalize_file(sheets, settings) if sheets else None)


def run_tasks(tasks: list[Job], settings: Settings) -> list[JobDone]:
    """A pool's unit of work: several jobs, so one round trip carries more than one file."""
    return [run_job(job, settings) for job in tasks]


def read_and_normalize(
    items: Sequence[InputFile],
    settings: Settings,
    *,
    progress: ProgressCallback | None = None,
    processes: int | None = None,
    start_method: str | None = None,
    consume: Callable[[FilePart], None] | None = None,
) -> tuple[list[JobDone], int]:
    """Every listed file read and normalized, jobs in listing order; and the processes used.

    ``progress`` is called in this process once per file as its job completes, so the bar
    counts files done whatever order the workers finish in. ``start_method`` is the
    platform's (``spawn`` on Windows) unless given. ``consume`` is given each job's part in
    listing order as soon as it and every job before it are done, and the part is not kept
    (``JobDone.part`` is then None): the parent never holds every file's part at once.
    """
    jobs = _jobs(items)
    workers = processes_for(len(items), processes)
    results = _InOrder(consume)
    counter = _Counter(len(items), progress)
    if workers > 1 and len(jobs) > 1:
        context = multiprocessing.get_context(start_method)
        _pooled(jobs, settings, (workers, context), results, counter)
    for number, job in enumerate(jobs):
        if number not in results.done:  # no pool, or a worker died: finish here
            results.put(number, run_job(job, settings))
            counter.tick(job)
    return [results.done[n] for n in range(len(jobs))], workers


def _jobs(items: Sequence[InputFile]) -> list[Job]:
    """The listing cut into jobs, one per shown name, in order of first appearance."""
    by_name: dict[str, list[tuple[int, InputFile]]] = {}
    for index, item in enumerate(items):
        by_name.setdefault(item.name, []).append((index, item))
    return [tuple(group) for group in by_name.values()]


class _InOrder:
    """Finished jobs by number; each part goes to ``consume`` in listing order, then is dropped."""

    def __init__(self, consume: Callable[[FilePart], None] | None) -> None:
        self.done: dict[int, JobDone] = {}
        self.consume = consume
        self.next = 0  # the first job whose part has not been consumed

    def put(self, number: int, job: JobDone) -> None:
        self.done[number] = job
        if self.consume is None:
            return
        while self.next in self.done:
            ready = self.done[self.next]
            if ready.part is not None:
                self.consume(ready.part)
                self.done[self.next] = JobDone(ready.files, None)
            self.next += 1


class _Counter:
    def __init__(self, total: int, progress: ProgressCallback | None) -> None:
        self.total = total
        self.done = 0
        self.progress = progress

    def tick(self, job: Job) -> None:
        for _, item in job:
            self.done += 1
            if self.progress is not None:
                self.progress(self.done, self.total, item.name)


def _pooled(
    jobs: list[Job],
    settings: Settings,
    pool: tuple[int, BaseContext],
    results: _InOrder,
    counter: _Counter,
) -> None:
    """Run the jobs over the pool's processes; jobs a dead worker took are left undone."""
    numbered = list(enumerate(jobs))
    workers, context = pool
    size = max(1, min(FILES_PER_TASK, len(jobs) // (workers * 4)))
    chunks = [numbered[i : i + size] for i in range(0, len(numbered), size)]
    try:
        with ProcessPoolExecutor(workers, mp_context=context) as executor:
            pending: dict[Future[list[JobDone]], list[tuple[int, Job]]]
            pending = {
                executor.submit(run_tasks, [job for _, job in chunk], settings): chunk
                for chunk in chunks
            }
            for future in as_completed(pending):
                chunk = pending.pop(future)  # a future holds its result until it is dropped
                for (number, job), done in zip(chunk, future.result(), strict=True):
                    results.put(number, done)
                    counter.tick(job)
    except (BrokenProcessPool, OSError):  # a worker was killed or none could start
        return
