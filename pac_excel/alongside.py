"""alongside: one job done in a forked process while this one goes on.

Once the activities are checked, the history store, the PDF and the report depend on nothing
the workbook's writing does, and writing the workbook keeps one core busy (a thread deflates
its rows on the other, part of the time). Where the system forks (Linux), a child that shares
this process's memory (nothing is copied or sent but the answers) does them meanwhile
(``pipeline._write``). Windows has no fork: a child there would import pandas and the rest
again, and be sent the whole result, which costs more than the PDF for a cut's usual files;
there, with one core, with another thread alive (fork copies only the calling one) or with
``processes=1`` the jobs run in this process, as before.

A job may give several answers in turn (a generator: each ``yield`` is sent as soon as it is
made), so the parent can use the first (the history) while the child works on the next. A
child may also be forked before its job exists, to import what the job needs while this
process reads the files, and be sent the job (pickled) once it does (``Aside(None, prepare=…)``,
``give``): worth it only for a small result.

The answers are taken off the pipe by a thread of this process as soon as the child sends
them (``_receive``): a pipe holds 64 KiB, and a child whose answer is larger (the run's entity
reports, a second cut's evolution) would otherwise wait, its next job not begun, until this
process asks for it.

Whatever goes wrong in the child (an error, a crash, a kill) only costs time: ``Aside.outcome``
says so and the caller does the job itself, so what is written never depends on the child.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import queue
import sys
import threading
import types
import warnings
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.reduction import ForkingPickler
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
    """``job(*args)`` running in a forked child; ``outcome`` waits for its next answer (its
    value, or what it yields next when it is a generator)."""

    def __init__(
        self,
        job: Callable[..., Any] | None,
        *args: Any,
        prepare: Callable[[], Any] | None = None,
    ) -> None:
        """Fork the child now. With ``job`` None it runs ``prepare`` (imports, say) and then
        waits for the job ``give`` sends it: for a job whose arguments do not exist yet and
        are small enough to send (pickled; a job given here shares this process's memory)."""
        context = multiprocessing.get_context("fork")
        self._answer, sending = context.Pipe(duplex=False)
        orders: Connection | None = None
        self._orders: Connection | None = None
        if job is None:
            orders, self._orders = context.Pipe(duplex=False)
        # daemon: a parent that dies takes the child with it.
        self._child = context.Process(
            target=_run,
            args=(sending, (orders, self._orders), job, args, prepare),
            name="pac-excel-aside",
            daemon=True,
        )
        with warnings.catch_warnings():
            # Python 3.12+ warns on any fork with other OS threads: numpy's OpenBLAS keeps
            # idle ones. The child runs no BLAS (the history store, the PDF and the .docx:
            # no linear algebra) and no Python thread is alive (``can_fork``), which is what
            # the warning is about for us.
            warnings.simplefilter("ignore", DeprecationWarning)
            self._child.start()
        sending.close()  # the child's end: once the child is gone, recv sees the end
        if orders is not None:
            orders.close()
        self._sender: threading.Thread | None = None
        self._answers: queue.SimpleQueue[tuple[bool, Any]] = queue.SimpleQueue()
        self._receiver: threading.Thread | None = None
        self._done = False
        if job is not None:
            self._listen()

    def give(self, job: Callable[..., Any], *args: Any) -> bool:
        """Send a waiting child its job; False when it cannot be sent (it does not pickle, or
        it was given one already): the child is then stopped, and the caller does without it.

        The bytes are written by a thread: the child takes them only once ``prepare`` is
        done, and a job larger than the pipe holds would otherwise keep this process
        waiting for it."""
        orders, self._orders = self._orders, None
        if orders is None:
            return False
        try:
            data = ForkingPickler.dumps((job, args))
        except Exception:  # noqa: BLE001 - whatever does not pickle, the job stays here
            self._orders = orders
            self.close()  # never given: stopped
            return False
        self._sender = threading.Thread(
            target=_send, args=(orders, bytes(data)), name="pac-excel-aside-job", daemon=True
        )
        self._sender.start()
        self._listen()
        return True

    def _listen(self) -> None:
        """Start taking the answers as they come (not before the job is given: a waiting
        child is forked early, and a thread alive here would keep the run from forking)."""
        if self._receiver is None:
            self._receiver = threading.Thread(
                target=_receive, args=(self._answer, self._answers),
                name="pac-excel-aside-answers", daemon=True,
            )  # fmt: skip
            self._receiver.start()

    def outcome(self) -> Any:
        """The job's next answer, or ``FAILED`` when the child raised, crashed or was killed
        before giving it (and on every later call). The child is waited for once it has no
        more to say."""
        if self._done:
            return FAILED
        self._listen()  # a waiting child never given its job: its end
        ok, value = self._answers.get()
        if not ok:
            self._end()
            return FAILED
        return value

    def ready(self) -> bool:
        """Whether ``outcome`` would answer now, without waiting for the child."""
        return self._done or not self._answers.empty()

    def abandon(self, wait: bool = True) -> list[Any]:
        """Stop caring for the job: the answers not taken yet if ``wait`` and the child gives
        them, else none once the child has been stopped (a job that writes files must clean
        up after itself when killed: the caller removes what it finds)."""
        if not wait and self._child.is_alive():
            self._child.terminate()
        answers = []
        while (answer := self.outcome()) is not FAILED:
            answers.append(answer)
        return answers

    def close(self) -> None:
        """Wait for the child to end, once every answer wanted has been taken; a waiting
        child never given its job is stopped (it has only prepared)."""
        never_given = self._orders is not None
        if self._orders is not None:
            self._orders.close()
            self._orders = None
        self.abandon(wait=not never_given)

    def _end(self) -> None:
        self._done = True
        if self._receiver is not None:  # it has put the last answer and returned
            self._receiver.join()
        self._answer.close()
        self._child.join()
        if self._sender is not None:  # done: the child read the job or is gone
            self._sender.join()


def _receive(answers: Connection, into: queue.SimpleQueue[tuple[bool, Any]]) -> None:
    """Every answer of the child, in order, until the one that says it is done (also when it
    died without one: the pipe's end)."""
    while True:
        try:
            ok, value = answers.recv()
        except Exception:  # noqa: BLE001 - the child died without answering, or an answer
            ok, value = False, None  # that does not unpickle here: the rest is done here
        into.put((ok, value))
        if not ok:
            return


def _send(orders: Connection, data: bytes) -> None:
    try:
        orders.send_bytes(data)
    except OSError:  # the child is gone: its answer says so
        pass
    finally:
        orders.close()


def _run(
    sending: Connection,
    orders: tuple[Connection | None, Connection | None],
    job: Callable[..., Any] | None,
    args: tuple[Any, ...],
    prepare: Callable[[], Any] | None,
) -> None:
    """The child: each answer of the job as it comes, then that it is done (or that it
    failed: the parent does the rest again and reports the error as its own, so no exception
    needs to travel). A waiting child gets its job from ``orders`` first."""
    with contextlib.suppress(OSError):
        os.nice(NICER)  # the parent's own threads (the workbook's deflating) go first
    receiving, parents_end = orders
    if parents_end is not None:
        parents_end.close()  # else the parent closing its end would not end ``recv`` here
    try:
        if job is None:
            assert receiving is not None
            if prepare is not None:
                prepare()
            try:
                job, args = receiving.recv()
            except EOFError:  # let go without a job
                return
            finally:
                receiving.close()
        value = job(*args)
        for answer in value if isinstance(value, types.GeneratorType) else (value,):
            sending.send((True, answer))
        sending.send((False, None))  # no more answers
    except BaseException:  # noqa: BLE001 - any failure means: do it yourself
        with contextlib.suppress(OSError):
            sending.send((False, None))
    finally:
        sending.close()
