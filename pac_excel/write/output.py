"""output: where the workbook goes, decided before anything is written.

One workbook per cut, ``seguimiento_paac_AAAA-MM-DD.xlsx`` (``seguimiento_ptep_…`` for a PTEP cut). When Excel holds that file open
(Windows refuses to replace it) the workbook goes beside it as ``… (2).xlsx``, ``… (3).xlsx``
…; the choice is made first, so the one Advertencia that says so is written into the
workbook it describes.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from pac_excel.problems import Problem, Severity
from pac_excel.result import Consolidation
from pac_excel.write.faults import clean_leftovers, disk_reason
from pac_excel.write.workbook import RETRIES, OutputError, write_workbook

# How many "… (2).xlsx" names to try when Excel holds the workbook (and its copies) open.
LOCKED_ALTERNATIVES = 9
LOCKED = "libro-abierto"
# Every program's workbooks: an earlier report is never read back, the mail finds the newest.
WORKBOOK_GLOB = "seguimiento_p[at][ae][cp]_*.xlsx"


def output_name(cutoff: dt.date, program: str = "PAAC") -> str:
    """seguimiento_paac_AAAA-MM-DD.xlsx (or _ptep_): one workbook per cut, rerun-safe."""
    return f"seguimiento_{program.lower()}_{cutoff:%Y-%m-%d}.xlsx"


def write_output(
    result: Consolidation,
    output_dir: Path,
    all_forms: bool = False,
    history_wait: Callable[[], None] | None = None,
    reports_wait: Callable[[], None] | None = None,
) -> Path:
    """Write the workbook into ``output_dir`` and set ``result.output``.

    When the workbook is open in Excel, write ``… (2).xlsx`` beside it instead and record an
    Advertencia saying so; the open copy is left as it is. The workbook's dates come from
    ``result.run_at``. ``all_forms``, ``history_wait`` and ``reports_wait``: as
    ``write_workbook``'s.
    """
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"No se pudo crear la carpeta de salida {output_dir}: "
            f"{disk_reason(exc, _existing_parent(output_dir))}."
        ) from exc
    clean_leftovers(output_dir)
    path, locked = pick_output(output_dir / output_name(result.cutoff, result.program))
    notices = [_locked_notice(locked, path)] if locked else []
    result.output = write_workbook(result, path, notices=notices, all_forms=all_forms,
                                   history_wait=history_wait, reports_wait=reports_wait)  # fmt: skip
    return path


def pick_output(target: Path) -> tuple[Path, list[str]]:
    """The first of ``target``, ``… (2).xlsx`` … that is not held open, and the names that
    are. Raises OutputError when all of them are."""
    locked: list[str] = []
    for number in range(1, LOCKED_ALTERNATIVES + 2):
        path = target if number == 1 else target.with_name(f"{target.stem} ({number}).xlsx")
        if not is_locked(path):
            return path, locked
        locked.append(path.name)
    raise OutputError(
        f"No se pudo escribir {target} ni otro nombre al lado: {', '.join(locked)} están "
        "abiertos en Excel (u otro programa los bloquea). Cierre los libros y vuelva a ejecutar."
    )


def is_locked(path: Path) -> bool:
    """Whether Windows would refuse to replace ``path`` now: Excel has it open.

    Renaming the file onto itself needs the same access as replacing it and changes nothing;
    a refusal that outlasts the writer's brief retries (antivirus, indexers) is a lock.
    Anything else (no such file, a folder) is left for the write to report.
    """
    if not path.is_file():
        return False
    for attempt in range(RETRIES):
        try:
            os.replace(path, path)
            return False
        except PermissionError:
            if attempt < RETRIES - 1:
                time.sleep(0.2 * (attempt + 1))
        except OSError:
            return False
    return True


def _locked_notice(locked: Sequence[str], written: Path) -> Problem:
    names = ", ".join(locked)
    verb = "está abierto" if len(locked) == 1 else "están abiertos"
    return Problem(
        file=locked[0],
        sheet=None,
        row=None,
        column=None,
        severity=Severity.WARNING,
        code=LOCKED,
        message=f"{names} {verb} en Excel (u otro programa lo bloquea) y no se pudo reemplazar; se "
        f"escribió {written.name} al lado. Cierre el libro y vuelva a ejecutar para "
        "actualizarlo.",
    )


def _existing_parent(folder: Path) -> Path:
    """The nearest folder above ``folder`` that exists: where the permission was refused."""
    for parent in folder.absolute().parents:
        if parent.is_dir():
            return parent
    return folder
