"""alongside: one job done in a forked process while this one goes on.

Once the activities are checked, the PDF and the report depend on nothing the workbook's
writing does, and writing the workbook keeps one core busy (a thread deflates its rows on the
other, part of the time). Where the system forks (Linux), a child that shares this process's
memory (nothing is copied or sent but the answer) writes them meanwhile. Windows has no fork:
a child there would import pandas and the rest again, and be sent the whole result, which
costs more than the PDF for a cut's usual files; there, with one core, with another thread
alive (fork copies only the calling one) or with ``processes=1`` the job runs after the
workbook, as before.

Whatever goes wrong in the child (an error, a crash, a kill) only costs time: ``Aside.outcome``
says so and the caller does the job itself, so what is written never depends on the child.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
import threading
import warnings
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from pac_excel.fanout import available_cores

__all__ = ["Aside", "can_fork"]

FAILED = object()  # what ``Aside.outcome`` returns when the child did not do the job
NICER = 10  # the child's priority below the parent's (Unix nice)


def can_fork(processes: int | None = None) -> bool:
    """Whether a job can go to a forked child now: Linux, more than one core, no other thread
    and more than one process allowed (``processes``, as ``pipeline.consolidate``'s)."""
    if processes is not None and processes < 2:
        return False
    if not sys.platform.startswith("linux") or available_cores() < 2:
        return False
    return threading.active_count() == 1


class Aside:
    """``job(*args)`` running in a forked child; ``outcome`` waits for its value."""

    def __init__(self, job: Callable[..., Any], *args: Any) -> None:
        context = multiprocessing.get_context("fork")
        self._answer, sending = context.Pipe(duplex=False)
        # daemon: a parent that dies takes the child with it.
        self._child = context.Process(
            target=_run, args=(sending, job, args), name="pac-excel-aside", daemon=True
        )
        with warnings.catch_warnings():
            # Python 3.12+ warns on any fork with other OS threads: numpy's OpenBLAS keeps
            # idle ones. The child runs no BLAS (PDF and .docx only) and no Python thread
            # is alive (``can_fork``), which is what the warning is about for us.
            warnings.simplefilter("ignore", DeprecationWarning)
            self._child.start()
        sending.close()  # the child's end: once the child is gone, recv sees the end
        self._done = False

    def outcome(self) -> Any:
        """The job's value, or ``FAILED`` when the child raised, crashed or was killed."""
        if self._done:
            return FAILED
        self._done = True
        try:
            ok, value = self._answer.recv()
        except (EOFError, OSError):  # the child died without answering
            ok, value = False, None
        finally:
            self._answer.close()
            self._child.join()
        return value if ok else FAILED

    def abandon(self, wait: bool = True) -> Any:
        """Stop caring for the job: its value if ``wait`` and the child gives one, else
        ``FAILED`` once the child has been stopped (a job that writes files must clean up
        after itself when killed: the caller removes what it finds)."""
        if not wait and self._child.is_alive():
            self._child.terminate()
        return self.outcome()


def _run(sending: Connection, job: Callable[..., Any], args: tuple[Any, ...]) -> None:
    """The child: the job's value, or that it failed (the parent does it again and reports
    the error as its own, so no exception needs to travel)."""
    with contextlib.suppress(OSError):
        os.nice(NICER)  # the parent's own threads (the workbook's deflating) go first
    try:
        answer = (True, job(*args))
    except BaseException:  # noqa: BLE001 - any failure means: do it yourself
        answer = (False, None)
    try:
        sending.send(answer)
    finally:
        sending.close()
