"""faults: what the disk did, said in Spanish, and what a killed run left behind, cleaned.

The workbook is written to ``.<name>.<pid>.tmp.xlsx`` with its sheet parts in
``.<name>.<pid>.parts/`` beside the target, the PDF and the report to
``.<name>.<pid>.tmp.pdf`` and ``.tmp.docx``; a run killed meanwhile (power cut, closed window)
leaves them forever, and on Windows dot-files are not hidden. The next run removes those whose
process is gone. A failed write names its real cause (disk full, read-only folder, no
permission, the workbook open in Excel) without the system's English text, which ``-v`` shows.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import sys
import time
from pathlib import Path

# What a run leaves while it writes: .seguimiento_paac_2020-04-30.xlsx.4242.tmp.xlsx / .parts,
# and the publication's .seguimiento_oci_paac_2020-04-30.4242.tmp.pdf (and .tmp.docx).
_LEFTOVER = re.compile(
    r"^\.(?P<name>.+\.xlsx)\.(?P<pid>\d+)\.(?:tmp\.xlsx|parts)$"
    r"|^\.(?:seguimiento_oci|informe_seguimiento)_.+\.(?P<ppid>\d+)\.tmp\.(?:pdf|docx)$"
)
# Without a way to ask whether a process lives (Windows), a leftover this old is stale.
STALE_AFTER = 6 * 3600.0  # seconds

_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG}
_DENIED = {errno.EACCES, errno.EPERM}


def leftovers(folder: Path) -> list[Path]:
    """The temp files and part folders of runs that are no longer running."""
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    found = []
    for entry in entries:
        match = _LEFTOVER.match(entry.name)
        if match and _stale(entry, int(match.group("pid") or match.group("ppid"))):
            found.append(entry)
    return found


def clean_leftovers(folder: Path) -> None:
    """Remove what killed runs left in ``folder``; whatever cannot be removed stays."""
    for entry in leftovers(folder):
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                entry.unlink()


def _stale(entry: Path, pid: int) -> bool:
    if pid == os.getpid():
        return False
    try:
        age = time.time() - entry.lstat().st_mtime
    except OSError:
        return False
    if age > STALE_AFTER or sys.platform == "win32":
        return age > STALE_AFTER  # os.kill(pid, 0) would end the process on Windows
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):  # no such process (or no such number)
        return True
    except OSError:  # alive, but another user's
        return False
    return False


def system_error(exc: BaseException) -> OSError | None:
    """The OSError behind ``exc`` (xlsxwriter wraps it in FileCreateError)."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, OSError):
            return seen
        inner = next((a for a in getattr(seen, "args", ()) if isinstance(a, OSError)), None)
        seen = inner or seen.__cause__ or seen.__context__
    return None


def disk_reason(exc: BaseException, folder: Path, *, target_exists: bool = False) -> str:
    """Why writing into ``folder`` failed, as a user can act on it (no English, no class)."""
    error = system_error(exc)
    number = error.errno if error is not None else None
    if number in _FULL:
        return f"el disco donde está {folder} está lleno: libere espacio y vuelva a ejecutar"
    if number == errno.EROFS:
        return (
            f"la carpeta {folder} es de solo lectura (memoria protegida, CD o unidad de red de "
            "solo lectura): indique otra carpeta con --salida"
        )
    if number in _DENIED or isinstance(error, PermissionError):
        if not os.access(folder, os.W_OK):
            return (
                f"no tiene permiso para escribir en la carpeta {folder}: pida el permiso o "
                "indique otra carpeta con --salida"
            )
        if target_exists:
            return "¿está abierto en Excel? Ciérrelo y vuelva a ejecutar"
        return "el sistema no dejó escribir el archivo (¿un antivirus lo bloquea?)"
    if number == errno.EISDIR:
        return "ya hay una carpeta con ese nombre: quítela o cámbiele el nombre"
    if number == errno.ENOENT:
        return f"la carpeta {folder} no existe o se quitó mientras se escribía"
    code = f" (código {number})" if number is not None else ""
    return f"el sistema no dejó escribir el archivo{code}"
