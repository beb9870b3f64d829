"""write: one Consolidation in, one formatted workbook out, saved atomically.

The workbook is what the OCI e-mails to its director and publishes: Resumen (opens first),
Actividades, Seguimiento OCI, Por responsable, Cronograma, Alertas and Problemas (the two
per-entity sheets only up to the publication's ``FORMS_MAX`` entities: ``Book.entity_sheets``).
Everything a user sees is Spanish and every input text is written as text: never a formula, a
number or a link, whatever a follow-up cell holds. The file is built next to the target and
moved onto it only once complete, so an earlier report survives any failure.

Each sheet has its own module under ``sheets/``; ``book`` holds what they share, including
``Book.report``, the hook through which a sheet writer reports something it had to cut. Those
problems are listed in Problemas (written last for that reason) and recorded in
``result.problems`` (see ``write_workbook``). Where the file goes is ``output``'s decision.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from xlsxwriter.exceptions import FileCreateError

from pac_excel.errors import PacExcelError
from pac_excel.problems import Problem
from pac_excel.result import Consolidation
from pac_excel.text import MAX_CELL_CHARS
from pac_excel.write.book import (
    SHEET_ACTIVITIES,
    SHEET_ALERTS,
    SHEET_FORM,
    SHEET_OWNERS,
    SHEET_PROBLEMS,
    SHEET_SCHEDULE,
    SHEET_SUMMARY,
    SHEETS,
    Book,
    program_title,
    thousands,
)
from pac_excel.write.cells import MAX_ROWS, SheetTooLarge
from pac_excel.write.deflate import DeflatingWorkbook
from pac_excel.write.faults import disk_reason
from pac_excel.write.sheets.by_owner import write_owners
from pac_excel.write.sheets.evolution import write_evolution, write_plan
from pac_excel.write.sheets.form import write_form
from pac_excel.write.sheets.schedule import write_schedule
from pac_excel.write.sheets.summary import write_summary
from pac_excel.write.sheets.tables import (
    write_activities,
    write_alerts,
    write_history,
    write_problems,
)
from pac_excel.write.stream import StreamedSheet

__all__ = [
    "MAX_CELL_CHARS",
    "MAX_ROWS",
    "SHEETS",
    "SHEET_ACTIVITIES",
    "SHEET_ALERTS",
    "SHEET_FORM",
    "SHEET_OWNERS",
    "SHEET_PROBLEMS",
    "SHEET_SCHEDULE",
    "SHEET_SUMMARY",
    "OutputError",
    "write_workbook",
]

WORKBOOK_OPTIONS: dict[str, Any] = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "nan_inf_to_errors": True,
    # Sheet parts go to temp files (in a private folder next to the target, removed after),
    # not to memory: it halves the peak memory of a 20,000-activity run.
    "in_memory": False,
}

RETRIES = 3  # Windows: antivirus or indexers hold a fresh file for a moment

KEYWORDS = {
    "PAAC": "PAAC, plan anticorrupción, seguimiento, control interno",
    "PTEP": "PTEP, programa de transparencia y ética pública, seguimiento, control interno",
}


class OutputError(PacExcelError):
    """The consolidated workbook could not be written."""

    exit_code = 2  # as a usage error: the user can fix it (close the book, fix the folder)


def write_workbook(
    result: Consolidation,
    path: Path,
    *,
    created: dt.datetime | None = None,
    notices: Sequence[Problem] = (),
    all_forms: bool = False,
    history_wait: Callable[[], None] | None = None,
    reports_wait: Callable[[], None] | None = None,
) -> Path:
    """Write the report to ``path`` atomically and return ``path``.

    ``created`` is the run time: stored in the document properties and used for the days
    left to publish (now when not given; a ``run_at`` on the result is used when present).
    ``notices`` are problems about the output itself that its caller found (the
    ``libro-abierto`` Advertencia); Problemas lists them with the run's and the writer's own.
    Those two are recorded in ``result.problems`` at one point, once every sheet is filled
    and before the file is saved, so the terminal and Problemas show the same list. Raises
    OutputError when the file cannot be written (typically: open in Excel). ``all_forms``
    (--todos-los-formularios) keeps Seguimiento OCI and Por responsable past the
    publication's ``FORMS_MAX`` entities (``Book.entity_sheets``). ``history_wait``: called
    once before the first sheet that shows the run's history, when the caller attaches it to
    ``result`` meanwhile (``Book.history_attached``); ``reports_wait``, likewise, before the
    first sheet that shows the entity reports (``Book.reports_given``).
    """
    path = Path(path)
    created = created or _run_at(result)
    _check_limits(result, path)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp.xlsx")
    parts = path.with_name(f".{path.name}.{os.getpid()}.parts")
    workbook: DeflatingWorkbook | None = None
    try:
        parts.mkdir(exist_ok=True)
        workbook = DeflatingWorkbook(str(temp), {**WORKBOOK_OPTIONS, "tmpdir": str(parts)})
        book = Book(workbook, result, created, path.name, list(notices), all_forms,
                    history_wait, reports_wait)  # fmt: skip
        _build(book)
        _record(result, book)
        try:
            workbook.close()
        finally:
            workbook.release()  # the deflating worker stopped, the row files removed
        _replace(temp, path)
    except SheetTooLarge as exc:
        _discard(temp, parts, workbook)
        raise OutputError(
            f"No se pudo escribir {path}: la hoja {exc.sheet} tendría {thousands(exc.rows)} "
            f"filas y Excel admite {thousands(MAX_ROWS - 1)}. Divida los archivos en varias "
            "ejecuciones."
        ) from exc
    except (OSError, FileCreateError) as exc:
        _discard(temp, parts, workbook)
        raise OutputError(_output_message(path, exc)) from exc
    except BaseException:
        _discard(temp, parts, workbook)
        raise
    _discard(None, parts)
    return path


def _record(result: Consolidation, book: Book) -> None:
    """Add the notices and the writer's own problems to the run's, each once."""
    for problem in [*book.notices, *book.problems]:
        if problem not in result.problems:
            result.problems.append(problem)


def _run_at(result: Consolidation) -> dt.datetime:
    """The run's time: ``result.run_at`` when the pipeline records one, else now."""
    run_at = getattr(result, "run_at", None)
    if isinstance(run_at, dt.datetime):
        return run_at
    if isinstance(run_at, dt.date):
        return dt.datetime.combine(run_at, dt.time())
    return dt.datetime.now(dt.timezone.utc)


def _output_message(path: Path, exc: BaseException) -> str:
    if not path.parent.is_dir():
        return f"No se pudo escribir {path}: la carpeta {path.parent} no existe."
    return (
        f"No se pudo escribir {path}: {disk_reason(exc, path.parent, target_exists=path.exists())}."
    )


def _check_limits(result: Consolidation, path: Path) -> None:
    """Fail loudly before writing anything Excel could not open whole."""
    for name, frame in ((SHEET_ACTIVITIES, result.activities), (SHEET_ALERTS, result.alerts)):
        if len(frame) + 1 > MAX_ROWS:
            raise OutputError(
                f"No se pudo escribir {path}: la hoja {name} tendría {thousands(len(frame))} "
                f"filas y Excel admite {thousands(MAX_ROWS - 1)}. Divida los archivos en "
                "varias ejecuciones."
            )


def _replace(temp: Path, path: Path) -> None:
    """Move the finished file onto the target, retrying briefly on Windows sharing locks."""
    for attempt in range(RETRIES):
        try:
            os.replace(temp, path)
            return
        except PermissionError:
            if attempt == RETRIES - 1:
                raise
            time.sleep(0.2 * (attempt + 1))


def _discard(temp: Path | None, parts: Path, workbook: DeflatingWorkbook | None = None) -> None:
    # Nothing more to do if this fails too; the original error matters more.
    if workbook is not None:  # open row files would keep Windows from removing ``parts``
        workbook.release()
    if temp is not None:
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)
    shutil.rmtree(parts, ignore_errors=True)


def _build(book: Book) -> None:
    """Add the sheets in display order, then fill them: Problemas last, to hold the cuts."""
    result, entity = book.result, book.entity_text
    book.workbook.set_properties(
        {
            "title": f"Seguimiento {result.program} – {entity} – corte {result.cutoff:%d/%m/%Y}",
            "subject": program_title(result),
            "author": "Oficina de Control Interno",
            "company": ", ".join(book.entity_names),
            "category": f"Seguimiento {result.program}",
            "keywords": KEYWORDS.get(result.program, KEYWORDS["PAAC"]),
            "comments": "Generado con pac-excel",
            "created": book.created,
        }
    )
    for name in SHEETS:
        if name in (SHEET_FORM, SHEET_OWNERS) and not book.entity_sheets:
            continue  # the consolidated report's workbook (Book.entity_sheets)
        # Resumen stays in memory: its charts cache their data from its cells.
        kind = None if name == SHEET_SUMMARY else StreamedSheet
        book.sheets[name] = book.workbook.add_worksheet(name, worksheet_class=kind)
    finish = book.workbook.finish  # a streamed sheet done: deflated while the next is written
    write_activities(book)
    finish(book.sheets[SHEET_ACTIVITIES])
    area_rows: dict[tuple[str, str], int] = {}
    if book.entity_sheets:
        book.reports_given()  # the form's rows
        book.history_attached()  # the form shows the year's earlier cuts
        write_form(book)
        finish(book.sheets[SHEET_FORM])
        area_rows = write_owners(book)
        finish(book.sheets[SHEET_OWNERS])
    write_schedule(book)
    finish(book.sheets[SHEET_SCHEDULE])
    write_alerts(book)
    finish(book.sheets[SHEET_ALERTS])
    book.reports_given()  # Resumen's table of entities
    write_summary(book, area_rows)
    book.history_attached()  # its problems, then Evolución and Plan
    write_problems(book)
    finish(book.sheets[SHEET_PROBLEMS])
    write_history(book)
    # The history store's sheets (pac_excel.history): only when there is something to show.
    finish(write_evolution(book))
    write_plan(book)
