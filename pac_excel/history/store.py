"""store: the year's memory, one SQLite file in the output folder (stdlib ``sqlite3``).

Each cut of each entity and program is stored once: recording a cut again replaces it inside
one transaction, so a run killed at any moment leaves the file as it was before the run (SQLite's
rollback journal undoes an unfinished transaction when the file is next opened). The schema
carries its version in ``meta``; ``MIGRATIONS`` brings an older file forward, and a file that is
not a pac-excel history (damaged, foreign, or from a newer pac-excel) is refused untouched.
"""

from __future__ import annotations

import collections
import datetime as dt
import itertools
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from pac_excel.errors import PacExcelError
from pac_excel.frames import STORED_ACTIVITY_DTYPES, empty, plain_values
from pac_excel.text import Shared

STORE_NAME = "historial_pac_excel.sqlite"
# Columns read back once per distinct text (Shared; SQLite gives each row its own object):
# each repeats over the rows, or, as an activity's text and dates, over the year's cuts.
_REPEATED = ("entity", "program", "cut_date", "file", "sheet", "component_label", "subcomponent",
             "progress_text", "status", "alerts", "activity", "dates")  # fmt: skip
APP = "pac-excel"
ORIGIN_RUN = "consolidado"  # the cut a run consolidated
ORIGIN_FILE = "otro corte del archivo"
LOCK_WAIT = 10.0  # seconds to wait for another run holding the file before giving up  # a cut a file carried beside the one consolidated

# Step i brings a file at version i to version i + 1; the last step gives SCHEMA_VERSION.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        (
            "CREATE TABLE cuts (id INTEGER PRIMARY KEY, entity TEXT NOT NULL,"
            " program TEXT NOT NULL, cut_date TEXT NOT NULL, year INTEGER, files TEXT NOT NULL,"
            " run_at TEXT NOT NULL, UNIQUE (entity, program, cut_date))"
        ),
        (
            "CREATE TABLE activities (cut_id INTEGER NOT NULL REFERENCES cuts(id)"
            " ON DELETE CASCADE, position INTEGER NOT NULL, file TEXT, sheet TEXT, row INTEGER,"
            " component INTEGER, component_label TEXT, subcomponent TEXT, activity TEXT,"
            " progress REAL, progress_text TEXT, not_applicable INTEGER, status TEXT,"
            " alerts TEXT, dates TEXT, followup TEXT, compliance REAL,"
            " PRIMARY KEY (cut_id, position))"
        ),
    ),
    # Version 2: where a cut came from, so a cut a file merely carried never replaces one that
    # was consolidated on its own.
    (f"ALTER TABLE cuts ADD COLUMN origin TEXT NOT NULL DEFAULT '{ORIGIN_RUN}'",),
)
SCHEMA_VERSION = len(MIGRATIONS)
_COLUMNS = (
    "file", "sheet", "row", "component", "component_label", "subcomponent", "activity",
    "progress", "progress_text", "not_applicable", "status", "alerts", "dates", "followup",
    "compliance",
)  # fmt: skip


class HistoryError(PacExcelError):
    """The history file cannot be used; ``str()`` is the Spanish message."""


@dataclass(frozen=True)
class StoredCut:
    """One cut as ``historial`` lists it."""

    id: int
    entity: str
    program: str
    cut_date: dt.date
    year: int | None
    files: tuple[str, ...]
    activities: int
    run_at: str
    origin: str


@dataclass(frozen=True)
class NewCut:
    """What identifies a cut being recorded; its activities come as a frame."""

    entity: str
    program: str
    cut_date: dt.date
    year: int | None
    files: tuple[str, ...]
    run_at: dt.datetime
    origin: str = ORIGIN_RUN


class Store:
    """One history file; every method opens, uses and closes its own connection."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    @contextmanager
    def _connect(self, *, create: bool) -> Iterator[sqlite3.Connection]:
        if not self.path.exists() and not create:
            raise HistoryError(f"No existe el historial {self.path}.")
        if create:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise HistoryError(f"No se pudo crear la carpeta del historial: {exc}.") from exc
        try:
            connection = sqlite3.connect(self.path, isolation_level=None, timeout=LOCK_WAIT)
        except sqlite3.Error as exc:
            raise HistoryError(f"No se pudo abrir el historial {self.path}: {exc}.") from exc
        with closing(connection):
            try:
                connection.execute("PRAGMA foreign_keys = ON")
                self._upgrade(connection)
                yield connection
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc):
                    raise HistoryError(self._refusal(str(exc))) from exc
                raise HistoryError(
                    f"El historial {self.path} lo está usando otra ejecución de pac-excel; no se "
                    "registró este corte. Vuelva a ejecutar cuando termine."
                ) from exc
            except sqlite3.DatabaseError as exc:
                raise HistoryError(self._refusal(str(exc))) from exc

    def _refusal(self, reason: str) -> str:
        return (
            f"El archivo {self.path} no es un historial de pac-excel que se pueda usar (está "
            f"dañado o es de otro programa: {reason}). No se modificó ni se registró este corte; "
            "muévalo a otra carpeta para empezar un historial nuevo."
        )

    def _upgrade(self, connection: sqlite3.Connection) -> None:
        """Check the file is ours and bring its schema to SCHEMA_VERSION, in one transaction."""
        tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
        version = 0
        if tables:
            if "meta" not in tables:
                raise HistoryError(self._refusal("no tiene la tabla de control de pac-excel"))
            meta = dict(connection.execute("SELECT key, value FROM meta").fetchall())
            if meta.get("app") != APP or not str(meta.get("schema_version", "")).isdigit():
                raise HistoryError(self._refusal("no lo creó pac-excel"))
            version = int(meta["schema_version"])
        if version > SCHEMA_VERSION:
            raise HistoryError(
                f"El historial {self.path} lo creó una versión más reciente de pac-excel "
                f"(esquema {version}; esta versión conoce hasta el {SCHEMA_VERSION}). "
                "Actualice pac-excel; el archivo no se modificó."
            )
        if version == SCHEMA_VERSION:
            return
        connection.execute("BEGIN IMMEDIATE")
        try:
            for step in MIGRATIONS[version:]:
                for statement in step:
                    connection.execute(statement)
            connection.execute("INSERT OR REPLACE INTO meta VALUES ('app', ?)", (APP,))
            connection.execute(
                "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
            )
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise

    def record(
        self,
        cuts: Sequence[tuple[NewCut, pd.DataFrame]],
        *,
        replace_origins: Sequence[str] = (ORIGIN_RUN, ORIGIN_FILE),
        on_row: Callable[[int], None] | None = None,
    ) -> int:
        """Store each cut with its activities (STORED_ACTIVITY_DTYPES columns), replacing the
        same cut when its origin is in ``replace_origins``; returns how many were stored.

        One transaction for all: nothing of this call is visible unless all of it is.
        ``on_row`` is called after each activity row is inserted (with how many are in).
        """
        stored = 0
        if not cuts:  # never create the file for nothing
            return stored
        rows = _rows([activities for _, activities in cuts])
        with self._connect(create=True) as connection:
            connection.execute("BEGIN IMMEDIATE")
            try:
                for cut, activities in cuts:
                    mine = itertools.islice(rows, len(activities))
                    if _replace(connection, cut, replace_origins):
                        _insert(connection, cut, mine, on_row)
                        stored += 1
                    else:
                        collections.deque(mine, maxlen=0)  # skipped: on to the next cut's rows
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise
        return stored

    def cuts(self) -> list[StoredCut]:
        """Every stored cut, by entity, program and date."""
        if not self.path.exists():
            return []
        with self._connect(create=False) as connection:
            found = connection.execute(
                "SELECT c.id, c.entity, c.program, c.cut_date, c.year, c.files, c.run_at,"
                " c.origin, COUNT(a.position) FROM cuts c LEFT JOIN activities a ON a.cut_id = c.id"
                " GROUP BY c.id ORDER BY c.entity, c.program, c.cut_date"
            ).fetchall()
        return [
            StoredCut(
                id=row[0],
                entity=row[1],
                program=row[2],
                cut_date=dt.date.fromisoformat(row[3]),
                year=row[4],
                files=tuple(json.loads(row[5])),
                activities=row[8],
                run_at=row[6],
                origin=row[7],
            )
            for row in found
        ]

    def has_cut_before(self, program: str, years: Sequence[int], before: dt.date) -> bool:
        """Whether any cut of ``program`` in ``years`` is dated before ``before``."""
        if not self.path.exists() or not years:
            return False
        marks = ", ".join("?" * len(years))
        query = (
            f"SELECT 1 FROM cuts WHERE program = ? AND year IN ({marks}) AND cut_date < ? LIMIT 1"
        )
        with self._connect(create=False) as connection:
            found = connection.execute(query, [program, *years, before.isoformat()]).fetchone()
        return found is not None

    def activities(
        self, program: str, years: Sequence[int], columns: Sequence[str] | None = None
    ) -> pd.DataFrame:
        """Every stored activity of ``program`` in ``years``, in entity, cut and source order,
        as STORED_ACTIVITY_DTYPES; ``columns``: only those (a year's story reads neither the
        follow-up texts nor the alerts: most of its memory at a second cut of 3,000 files)."""
        wanted = [c for c in STORED_ACTIVITY_DTYPES if columns is None or c in columns]
        picked = ", ".join(["c.entity", "c.program", "c.cut_date", "c.year",
                            *(f"a.{c}" for c in wanted if c in _COLUMNS)])  # fmt: skip
        marks = ", ".join("?" * len(years))
        query = (
            f"SELECT {picked} FROM activities a"
            f" JOIN cuts c ON c.id = a.cut_id WHERE c.program = ? AND c.year IN ({marks})"
        )
        params: list[str | int] = [program, *years]
        dtypes = {c: STORED_ACTIVITY_DTYPES[c] for c in wanted}
        if not self.path.exists():
            return empty(dtypes)
        with self._connect(create=False) as connection:
            cursor = connection.execute(query + " ORDER BY c.entity, c.cut_date, a.position",
                                        params)  # fmt: skip
            frame = _shared_frame(cursor)
        frame["cut_date"] = pd.to_datetime(frame["cut_date"]).astype("datetime64[s]")
        if "not_applicable" in dtypes:
            frame["not_applicable"] = frame["not_applicable"].astype("boolean")
        typed: pd.DataFrame = frame[wanted].astype(dtypes)
        return typed

    def remove(self, entity: str, program: str | None, cut_date: dt.date) -> int:
        """Delete one cut (every entity when ``entity`` is empty, every program when ``program``
        is None); returns how many went."""
        with self._connect(create=False) as connection:
            connection.execute("BEGIN IMMEDIATE")
            try:
                where = "cut_date = ?"
                params: list[object] = [cut_date.isoformat()]
                if program:
                    where += " AND program = ?"
                    params.append(program)
                if entity:
                    where += " AND entity = ?"
                    params.append(entity)
                gone = connection.execute(f"DELETE FROM cuts WHERE {where}", params).rowcount
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise
        return int(gone)


def _shared_frame(cursor: sqlite3.Cursor) -> pd.DataFrame:
    """A query's rows as a frame of plain columns, read a batch at a time with each repeated text
    one object (an entity, a file, a component, an activity across cuts). Read whole first
    (``read_sql_query``), a second cut of 3,000 files held its 240,000 rows raw and as columns
    at once: 311 MiB, against 125 read this way."""
    names = [d[0] for d in cursor.description]
    columns: list[list[Any]] = [[] for _ in names]
    repeated = [name in _REPEATED for name in names]
    shared = Shared()
    while batch := cursor.fetchmany(_BATCH_ROWS):
        for column, values, texts in zip(columns, zip(*batch, strict=True), repeated, strict=True):
            column.extend(shared.each(values) if texts else values)
    plain = {
        name: pd.Series(column, dtype=object) for name, column in zip(names, columns, strict=True)
    }
    frame: pd.DataFrame = pd.DataFrame(plain)
    return frame


def _replace(connection: sqlite3.Connection, cut: NewCut, origins: Sequence[str]) -> bool:
    """Make room for ``cut``: False when a stored cut of an origin not replaced stands."""
    found = connection.execute(
        "SELECT id, origin FROM cuts WHERE entity = ? AND program = ? AND cut_date = ?",
        (cut.entity, cut.program, cut.cut_date.isoformat()),
    ).fetchone()
    if found is not None and found[1] not in origins:
        return False
    if found is not None:
        connection.execute("DELETE FROM cuts WHERE id = ?", (found[0],))
    return True


def _insert(
    connection: sqlite3.Connection,
    cut: NewCut,
    rows: Iterable[tuple[object, ...]],
    on_row: Callable[[int], None] | None,
) -> None:
    cursor = connection.execute(
        "INSERT INTO cuts (entity, program, cut_date, year, files, run_at, origin)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            cut.entity,
            cut.program,
            cut.cut_date.isoformat(),
            cut.year,
            json.dumps(list(cut.files), ensure_ascii=False),
            cut.run_at.isoformat(timespec="seconds"),
            cut.origin,
        ),
    )
    cut_id = cursor.lastrowid
    insert = f"INSERT INTO activities VALUES ({', '.join('?' * (len(_COLUMNS) + 2))})"
    if on_row is None:
        connection.executemany(insert, ((cut_id, i, *row) for i, row in enumerate(rows)))
        return
    for i, row in enumerate(rows):
        connection.execute(insert, (cut_id, i, *row))
        on_row(i + 1)


def _rows(frames: Sequence[pd.DataFrame]) -> Iterator[tuple[object, ...]]:
    """Every frame's rows in order, as the stored columns' plain Python values.

    Converted ``_BATCH_ROWS`` rows at a time, several cuts together: per-cut pandas work
    dominated with 1,000 entities, and converting the whole run at once held every value of
    every row as a Python object (the largest thing recording held at thousands of files).
    """
    batch: list[pd.DataFrame] = []
    size = 0
    for frame in frames:
        batch.append(frame)
        size += len(frame)
        if size >= _BATCH_ROWS:
            yield from _batch_rows(batch)
            batch, size = [], 0
    if batch:
        yield from _batch_rows(batch)


_BATCH_ROWS = 10_000


def _batch_rows(frames: list[pd.DataFrame]) -> Iterator[tuple[object, ...]]:
    joined = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    for start in range(0, len(joined), _BATCH_ROWS):
        yield from _values(joined.iloc[start : start + _BATCH_ROWS])


def _values(activities: pd.DataFrame) -> Iterator[tuple[object, ...]]:
    """The frame's stored columns as plain Python values (None for <NA>), row by row."""
    columns: list[Iterable[object]] = []
    for name in _COLUMNS:
        series = activities[name]
        if name == "not_applicable":
            series = series.astype("boolean").astype("Int64")
        values = plain_values(series)
        columns.append(map(_bound_copy, values) if name in _LONG_TEXTS else values)
    return zip(*columns, strict=True)


# sqlite3 binds a text through its UTF-8 form, which CPython then keeps inside the str for
# as long as the str lives; the run's texts live until the workbook is written, so the long
# distinct ones are bound as throwaway copies (their UTF-8 was 10 MiB at 3,000 files).
_LONG_TEXTS = frozenset({"activity", "followup"})


def _bound_copy(value: object) -> object:
    """A new str equal to ``value`` when it is a non-ASCII text (ASCII has no UTF-8 copy)."""
    if isinstance(value, str) and not value.isascii():
        return value[:1] + value[1:]
    return value
