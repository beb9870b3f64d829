"""inputs: the files and folders a user names -> the spreadsheets to read, in a stable order.

Folders are walked (subfolders too); Office lock files, hidden and system files and folders,
non-spreadsheets and the output folder are skipped, each with one Información line, so a
user can see why a file in the inbox was not consolidated.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from pac_excel.problems import Problem

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".xlsb", ".csv", ".tsv"}
IGNORED_NAMES = {"thumbs.db", "desktop.ini", ".ds_store", "ehthumbs.db"}
IGNORED_FOLDERS = {"__macosx", "$recycle.bin", "system volume information"}
# The support files the OCI keeps beside the follow-ups (entrada/evidencias/): never read as
# follow-ups, only listed by read.evidence_folder.
EVIDENCE_FOLDER = "evidencias"
HIDDEN_OR_SYSTEM = 0x2 | 0x4  # Windows FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_SYSTEM


@dataclass(frozen=True)
class InputFile:
    """A file picked up for reading, with the name users will see.

    ``size`` and ``mtime_ns`` are what the listing saw; a file that differs when it is read is
    still being copied and is left for the next run.
    """

    path: Path
    name: str
    size: int | None = None
    mtime_ns: int | None = None


def collect_inputs(
    inputs: Iterable[Path], problems: list[Problem], *, exclude: Sequence[Path] = ()
) -> list[InputFile]:
    """Expand folders into their spreadsheets, sorted by name so reruns read in the same order.

    Subfolders are read. Office lock files (``~$…``), hidden and system files and folders,
    non-spreadsheets and anything under ``exclude`` (the output folder) are skipped with one
    Información line each.
    """
    excluded = [_resolved(p) for p in exclude]
    found: list[InputFile] = []
    seen: set[Path] = set()
    for given in inputs:
        if given.is_dir():
            base = given
            candidates = _walk(given, problems)
        elif given.is_file() or _entry_exists(given):
            candidates, base = [given], given.parent
        else:
            problems.append(
                Problem.in_file(
                    str(given), "entrada-no-existe", f"No existe el archivo o carpeta «{given}»."
                )
            )
            continue
        for path in candidates:
            resolved = _resolved(path)
            if resolved in seen:
                continue
            seen.add(resolved)
            name, renamed = display_name(path.relative_to(base).as_posix())
            reason = _ignore_reason(path, explicit=not given.is_dir())
            if reason is None and _is_excluded(resolved, excluded):
                reason = "está en la carpeta de salida"
            if reason:
                problems.append(ignored(name, f"Se ignoró «{name}»: {reason}."))
                continue
            odd = _not_regular(path)
            if odd:
                problems.append(
                    Problem.in_file(name, "entrada-no-leida", f"No se leyó «{name}»: {odd}.")
                )
                continue
            if renamed:
                problems.append(
                    Problem.in_file(
                        name,
                        "nombre-no-valido",
                        f"El nombre de «{name}» no es texto válido (pasa al descomprimir en "
                        "Windows un archivo hecho en otro equipo); se leyó y se muestra con �. "
                        "Renómbrelo si quiere verlo bien.",
                    )
                )
            found.append(_listed(path, name))
    return found


def display_name(name: str) -> tuple[str, bool]:
    """``name`` as text that can be shown and written (True if it had to change).

    A name that is not valid UTF-8 reaches Python with surrogate escapes, which no workbook,
    terminal or e-mail can hold; each bad byte becomes �.
    """
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace"), True
    return name, False


def _entry_exists(path: Path) -> bool:
    """Something is there (a FIFO, a broken or looping link), even if it is not a file."""
    try:
        path.lstat()
    except OSError:
        return False
    return True


def _not_regular(path: Path) -> str | None:
    """Why ``path`` must not be opened (None: a regular file). Opening a FIFO blocks forever."""
    try:
        mode = path.stat().st_mode
    except (OSError, RuntimeError) as exc:
        number = getattr(exc, "errno", None)
        if number == errno.ELOOP or isinstance(exc, RuntimeError):
            return "es un enlace (acceso directo) que apunta a sí mismo, en bucle"
        if number in (errno.EACCES, errno.EPERM):
            return "no hay permiso para consultarlo"
        if path.is_symlink():
            return "es un enlace (acceso directo) a un archivo que ya no existe"
        return "el sistema no dejó consultarlo"
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "es una tubería (FIFO), no un archivo; abrirla detendría la ejecución"
    if stat.S_ISDIR(mode):
        return "es un enlace a una carpeta; indique la carpeta misma para leerla"
    return "no es un archivo normal (dispositivo o socket)"


def ignored(name: str, message: str) -> Problem:
    """The Información line for a file that was picked up but not read."""
    return Problem.in_file(name, "archivo-ignorado", message)


def _listed(path: Path, name: str) -> InputFile:
    """The file with the size and time the listing saw, to notice a copy still in progress."""
    try:
        info = path.stat()
    except OSError:
        return InputFile(path, name)
    return InputFile(path, name, info.st_size, info.st_mtime_ns)


def _walk(folder: Path, problems: list[Problem]) -> list[Path]:
    """Every file under ``folder``, pruning hidden and system folders (one line each)."""
    files: list[Path] = []

    def unreadable(error: OSError) -> None:
        where = Path(error.filename or folder)
        rel, _ = display_name(
            where.relative_to(folder).as_posix() if where != folder else folder.name
        )
        problems.append(
            Problem.in_file(
                rel + "/",
                "entrada-no-leida",
                f"No se pudo abrir la carpeta «{rel}» (sin permiso de lectura): sus archivos no "
                "se leyeron. Revise los permisos de la carpeta.",
            )
        )

    for root, dirs, names in os.walk(folder, onerror=unreadable):
        here = Path(root)
        keep = []
        for d in sorted(dirs):
            sub = here / d
            if here == folder and d.casefold() == EVIDENCE_FOLDER:
                continue  # support files, not follow-ups
            if d.startswith(".") or d.lower() in IGNORED_FOLDERS or _hidden_attribute(sub):
                if any(True for _ in _first_file(sub)):
                    rel = sub.relative_to(folder).as_posix()
                    problems.append(
                        ignored(
                            rel + "/",
                            f"Se ignoró la carpeta «{rel}»: es una carpeta oculta o del sistema.",
                        )
                    )
            else:
                keep.append(d)
        dirs[:] = keep
        files.extend(here / n for n in names)
    return sorted(files, key=lambda p: p.relative_to(folder).parts)


def _first_file(folder: Path) -> Iterator[Path]:
    for _root, _dirs, names in os.walk(folder):
        if names:
            yield Path(_root) / names[0]
            return


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop, before Python 3.13
        return path.absolute()


def _is_excluded(path: Path, excluded: list[Path]) -> bool:
    return any(path == e or e in path.parents for e in excluded)


def _hidden_attribute(path: Path) -> bool:
    try:
        attributes = getattr(path.stat(), "st_file_attributes", 0)
    except OSError:
        return False
    return bool(attributes & HIDDEN_OR_SYSTEM)


def _ignore_reason(path: Path, *, explicit: bool) -> str | None:
    name = path.name
    if name.startswith("~$"):
        return "es un archivo temporal de Excel (el libro está abierto en otro equipo)"
    if name.lower() in IGNORED_NAMES or name.startswith(".") or _hidden_attribute(path):
        return "es un archivo oculto o del sistema"
    if not explicit and path.suffix.lower() not in SPREADSHEET_SUFFIXES:
        return "no es una hoja de cálculo (.xlsx, .xlsm, .xls, .ods, .csv)"
    return None
