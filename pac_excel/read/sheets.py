"""read: input paths in, raw sheets out (cell values exactly as found, plus where they came from).

The file's content decides how it is read, never its extension alone (``preflight``).
python-calamine reads .xlsx/.xlsm/.xls/.ods: on the seed it measured about 14x faster than
openpyxl as a whole process; it copies text into every cell and can abort the process on a
crafted file, so it only ever gets a file the pre-flight scans have measured and accepted.
HTML, CSV/TSV and Excel 2003 XML saved as .xls are read by ``text_formats``. Anything that
goes wrong with one file becomes one Problem and the run goes on; what a user should know
about a file that was read (hidden sheets and rows, formulas without results, macros, links,
control characters) becomes a note.
"""

from __future__ import annotations

import io
import os
import time
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pac_excel.problems import Problem, Severity, column_letter
from pac_excel.read import preflight
from pac_excel.read.facts import LIMITS, BookFacts, Limits, Refused, SheetFacts, num
from pac_excel.read.formats import text as text_formats
from pac_excel.read.formats.xlsx import column_number
from pac_excel.read.xml_guard import UnsafeXmlSetup, ensure_safe_xml
from pac_excel.text import has_controls, strip_controls

__all__ = [
    "OLE_MAGIC",
    "ZIP_MAGIC",
    "InputFile",
    "RawSheet",
    "ReadError",
    "Settle",
    "UnsafeXmlSetup",
    "collect_inputs",
    "ensure_safe_xml",
    "read_file",
    "sniff",
]

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".xlsb", ".csv", ".tsv"}
IGNORED_NAMES = {"thumbs.db", "desktop.ini", ".ds_store", "ehthumbs.db"}
IGNORED_FOLDERS = {"__macosx", "$recycle.bin", "system volume information"}
HIDDEN_OR_SYSTEM = 0x2 | 0x4  # Windows FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_SYSTEM

OLE_MAGIC = preflight.OLE_MAGIC
ZIP_MAGIC = preflight.ZIP_MAGIC
TEXT_KINDS = {"html", "delimited", "xml2003"}
MAX_LISTED_ROWS = 12  # hidden rows named in one message


@dataclass(frozen=True)
class RawSheet:
    """One sheet's cells as found: ``rows[0]`` is Excel row 1, ``rows[r][c]`` column c (0-based).

    Trailing empty rows and columns are trimmed, so a sheet whose ``<dimension>`` claims
    A1:XFD1048576 is as wide as its data. ``hidden_rows`` are 1-based Excel rows.
    """

    file: str  # the name shown to users (relative to the folder given)
    path: Path
    sheet: str
    rows: Sequence[Sequence[object]]
    merged: Sequence[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=tuple)
    hidden: bool = False
    hidden_rows: frozenset[int] = frozenset()


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


class ReadError(Exception):
    """A file could not be read; the message is Spanish and says what to do."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Settle:
    """How long to wait before deciding that a just-modified file is still being copied.

    Only a file modified less than ``recent`` seconds ago that looks cut or empty (or is a
    text format, where a cut copy still parses) is looked at again after ``seconds``; a good
    workbook never waits. Tests inject ``sleep``.
    """

    seconds: float = 0.5
    recent: float = 2.0
    sleep: Callable[[float], None] = time.sleep


SETTLE = Settle()


# Picking files up ------------------------------------------------------------------------


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
        elif given.is_file():
            candidates, base = [given], given.parent
        else:
            problems.append(
                Problem(
                    file=str(given),
                    sheet=None,
                    row=None,
                    column=None,
                    severity=Severity.ERROR,
                    code="entrada-no-existe",
                    message=f"No existe el archivo o carpeta «{given}».",
                )
            )
            continue
        for path in candidates:
            resolved = _resolved(path)
            if resolved in seen:
                continue
            seen.add(resolved)
            name = path.relative_to(base).as_posix()
            reason = _ignore_reason(path, explicit=not given.is_dir())
            if reason is None and _is_excluded(resolved, excluded):
                reason = "está en la carpeta de salida"
            if reason:
                problems.append(_ignored(name, f"Se ignoró «{name}»: {reason}."))
                continue
            try:
                info = path.stat()
                found.append(InputFile(path, name, info.st_size, info.st_mtime_ns))
            except OSError:
                found.append(InputFile(path, name))
    return found


def _walk(folder: Path, problems: list[Problem]) -> list[Path]:
    """Every file under ``folder``, pruning hidden and system folders (one line each)."""
    files: list[Path] = []
    for root, dirs, names in os.walk(folder):
        here = Path(root)
        keep = []
        for d in sorted(dirs):
            sub = here / d
            if d.startswith(".") or d.lower() in IGNORED_FOLDERS or _hidden_attribute(sub):
                if any(True for _ in _first_file(sub)):
                    rel = sub.relative_to(folder).as_posix()
                    problems.append(
                        _ignored(
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
    except OSError:
        return path.absolute()


def _is_excluded(path: Path, excluded: list[Path]) -> bool:
    return any(path == e or e in path.parents for e in excluded)


def _hidden_attribute(path: Path) -> bool:
    try:
        attributes = getattr(path.stat(), "st_file_attributes", 0)
    except OSError:
        return False
    return bool(attributes & HIDDEN_OR_SYSTEM)


def _ignored(name: str, message: str) -> Problem:
    return Problem(
        file=name,
        sheet=None,
        row=None,
        column=None,
        severity=Severity.INFO,
        code="archivo-ignorado",
        message=message,
    )


def _ignore_reason(path: Path, *, explicit: bool) -> str | None:
    name = path.name
    if name.startswith("~$"):
        return "es un archivo temporal de Excel (el libro está abierto en otro equipo)"
    if name.lower() in IGNORED_NAMES or name.startswith(".") or _hidden_attribute(path):
        return "es un archivo oculto o del sistema"
    if not explicit and path.suffix.lower() not in SPREADSHEET_SUFFIXES:
        return "no es una hoja de cálculo (.xlsx, .xlsm, .xls, .ods, .csv)"
    return None


# Reading one file ------------------------------------------------------------------------


def sniff(path: Path) -> str:
    """What the file really is: 'xlsx', 'ods', 'xls', 'encrypted', a text kind, or ReadError."""
    try:
        return preflight.inspect(path).kind
    except Refused as exc:
        if exc.code == "protegido-con-contrasena":
            return "encrypted"
        raise ReadError(exc.code, exc.message) from exc


def read_file(
    item: InputFile,
    problems: list[Problem],
    *,
    limits: Limits = LIMITS,
    settle: Settle | None = None,
) -> list[RawSheet]:
    """Every sheet of one file; a file that cannot be read becomes one Error and no sheets.

    Never raises for bad data. The input is only ever opened for reading.
    """
    settle = settle or SETTLE
    before = _stamp(item.path)
    if item.size is not None and before is not None and before != (item.size, item.mtime_ns):
        problems.append(_still_copying(item))
        return []
    notes: list[Problem] = []
    sheets: list[RawSheet] = []
    error: ReadError | None = None
    kind = ""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # library chatter; what matters becomes a Problem
            kind, sheets = _read(item, notes, limits)
    except ReadError as exc:
        error = exc
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # noqa: BLE001 - a reader bug must not stop the other files
        error = ReadError(
            "archivo-danado",
            f"No se pudo leer el libro ({type(exc).__name__}): ábralo en Excel, guárdelo de "
            "nuevo como .xlsx y vuelva a ejecutar.",
        )
    cut = error is not None and error.code in ("archivo-incompleto", "archivo-vacio")
    if before is not None and (cut or kind in TEXT_KINDS) and _recent(before, settle):
        # A copy in progress looks cut (or, as text, parses short): look again in a moment.
        settle.sleep(settle.seconds)
    if before is not None and _stamp(item.path) != before:
        problems.append(_still_copying(item))
        return []
    if error is not None:
        problems.append(
            Problem(
                file=item.name,
                sheet=None,
                row=None,
                column=None,
                severity=Severity.ERROR,
                code=error.code,
                message=error.message,
            )
        )
        return []
    problems.extend(notes)
    return sheets


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns


def _recent(stamp: tuple[int, int], settle: Settle) -> bool:
    age = time.time() - stamp[1] / 1e9
    return age < settle.recent


def _still_copying(item: InputFile) -> Problem:
    return _ignored(
        item.name,
        f"Se ignoró «{item.name}»: cambió mientras se leía (¿se está copiando todavía?). "
        "Espere a que termine de copiarse y vuelva a ejecutar.",
    )


def _read(item: InputFile, notes: list[Problem], limits: Limits) -> tuple[str, list[RawSheet]]:
    try:
        found = preflight.inspect(item.path, limits)
    except Refused as exc:
        raise ReadError(exc.code, exc.message) from exc
    if found.kind in TEXT_KINDS:
        return found.kind, _read_text(item, found, notes, limits)
    expected = {"xlsx": {".xlsx", ".xlsm"}, "ods": {".ods"}, "xls": {".xls"}}[found.kind]
    if item.path.suffix.lower() not in expected:
        notes.append(
            _note(
                item,
                Severity.WARNING,
                "extension-no-coincide",
                f"El archivo es en realidad un libro .{found.kind} aunque su nombre termina en "
                f"«{item.path.suffix}»; se leyó como .{found.kind}. Renómbrelo para evitar este "
                "aviso.",
            )
        )
    sheets = _read_with_calamine(item, found, notes, limits)
    _book_notes(item, found.facts, notes)
    found.data = b""  # the sheets hold what is needed; let the bytes go
    return found.kind, sheets


def _note(
    item: InputFile,
    severity: Severity,
    code: str,
    message: str,
    sheet: str | None = None,
    row: int | None = None,
    column: str | None = None,
) -> Problem:
    return Problem(
        file=item.name,
        sheet=sheet,
        row=row,
        column=column,
        severity=severity,
        code=code,
        message=message,
    )


# Workbooks through calamine --------------------------------------------------------------


def _read_with_calamine(
    item: InputFile, found: preflight.Inspection, notes: list[Problem], limits: Limits
) -> list[RawSheet]:
    """calamine reads the very bytes the pre-flight checked (never the path again)."""
    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    book = found.facts
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(found.data))
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:
        raise _calamine_error(exc) from exc
    unmatched = _worst_unmatched(book, {m.name for m in workbook.sheets_metadata})
    sheets: list[RawSheet] = []
    failed: list[tuple[str, BaseException]] = []
    for meta in workbook.sheets_metadata:
        if meta.typ == SheetTypeEnum.MacroSheet:
            book.macros = True
        if meta.typ != SheetTypeEnum.WorkSheet:
            continue  # chart and dialog sheets hold no cells
        facts = book.sheets.get(meta.name, unmatched)
        reason = preflight.oversized(facts, limits)
        if reason:
            notes.append(
                _note(item, Severity.ERROR, "hoja-demasiado-grande", reason, sheet=meta.name)
            )
            continue
        try:
            sheet = workbook.get_sheet_by_name(meta.name)
            rows = sheet.to_python(skip_empty_area=False)
            merged = sheet.merged_cell_ranges or facts.spans
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # noqa: BLE001
            failed.append((meta.name, exc))
            continue
        hidden = meta.visible != SheetVisibleEnum.Visible or meta.name in book.hidden_sheets
        raw = _tidy(
            item, meta.name, rows, merged, facts.hidden_rows, hidden, notes,
            controls=book.controls_possible,
        )  # fmt: skip
        sheets.append(raw)
        _sheet_notes(
            item, raw, facts, book, notes, very_hidden=meta.visible == SheetVisibleEnum.VeryHidden
        )
    if failed and not sheets and len(failed) == len(workbook.sheets_metadata):
        raise _calamine_error(failed[0][1])
    if not sheets and not failed and not any(n.severity is Severity.ERROR for n in notes):
        raise ReadError(
            "sin-tabla-de-seguimiento",
            "El libro no tiene hojas con celdas (solo gráficos, o ninguna hoja): revise que sea "
            "el archivo del seguimiento.",
        )
    for name, cause in failed:
        error = _calamine_error(cause)
        notes.append(_note(item, Severity.ERROR, error.code, error.message, sheet=name))
    return sheets


def _calamine_error(exc: BaseException) -> ReadError:
    message = str(exc).lower()
    if "password" in message or "encrypt" in message:
        return ReadError(*preflight.PASSWORD)
    return ReadError(
        "archivo-danado",
        f"No se pudo leer el libro ({type(exc).__name__}): ábralo en Excel, guárdelo de nuevo "
        "como .xlsx y vuelva a ejecutar.",
    )


def _worst_unmatched(book: BookFacts, names: set[str]) -> SheetFacts:
    """For a sheet the scans could not name, assume the largest part they could not place."""
    worst = SheetFacts()
    for key, facts in book.sheets.items():
        if key not in names:
            worst.rows = max(worst.rows, facts.rows)
            worst.columns = max(worst.columns, facts.columns)
            worst.merged = max(worst.merged, facts.merged)
    return worst


def _tidy(
    item: InputFile,
    name: str,
    rows: list[list[Any]],
    merged: Sequence[tuple[tuple[int, int], tuple[int, int]]],
    hidden_rows: Iterable[int],
    hidden: bool,
    notes: list[Problem],
    *,
    controls: bool = True,
) -> RawSheet:
    """Trim trailing empty rows and columns, remove control characters (counted), clip merges.

    calamine's grid is rectangular and usually ends at the data, so trimming checks the last
    row and column first and is over at once; only a stray far cell costs a scan.
    """
    height = len(rows)
    while height and not any(v != "" and v is not None for v in rows[height - 1]):
        height -= 1
    width = max((len(r) for r in rows[:height]), default=0)
    while width and all(
        len(r) < width or r[width - 1] == "" or r[width - 1] is None for r in rows[:height]
    ):
        width -= 1
    removed = 0
    first: tuple[int, int] | None = None
    # One search over all the text; the cell-by-cell pass only when something is there.
    if controls and has_controls("\n".join([v for row in rows for v in row if type(v) is str])):
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if type(value) is str and has_controls(value):
                    row[c], count = strip_controls(value)
                    removed += count
                    if first is None:
                        first = (r, c)
    rows = rows[:height]
    for i, row in enumerate(rows):
        if len(row) != width:
            rows[i] = row[:width] + [None] * (width - len(row)) if len(row) < width else row[:width]
    clipped = tuple(
        ((top, left), (min(bottom, height - 1), min(right, width - 1)))
        for (top, left), (bottom, right) in dict.fromkeys(tuple(merged))
        if top < height and left < width and bottom >= top and right >= left
    )
    if removed and first is not None:
        notes.append(
            _note(
                item,
                Severity.INFO,
                "caracteres-de-control",
                f"Se quitaron {num(removed)} caracteres de control invisibles (el primero en "
                f"{column_letter(first[1])}{first[0] + 1}), que Excel no permite en una celda.",
                sheet=name,
                row=first[0] + 1,
                column=column_letter(first[1]),
            )
        )
    return RawSheet(
        item.name,
        item.path,
        name,
        rows,
        clipped,
        hidden=hidden,
        hidden_rows=frozenset(r for r in hidden_rows if r <= height),
    )


def _nonblank(row: Sequence[object]) -> bool:
    return any(v is not None and (not isinstance(v, str) or v.strip()) for v in row)


def _sheet_notes(
    item: InputFile,
    sheet: RawSheet,
    facts: SheetFacts,
    book: BookFacts,
    notes: list[Problem],
    *,
    very_hidden: bool,
) -> None:
    has_data = any(_nonblank(r) for r in sheet.rows)
    if sheet.hidden and has_data:
        how = "muy oculta (solo se ve con macros)" if very_hidden else "oculta"
        notes.append(
            _note(
                item,
                Severity.WARNING,
                "hoja-oculta",
                f"La hoja está {how} en el libro y se leyó igual: revise si sus actividades "
                "deben consolidarse.",
                sheet=sheet.sheet,
            )
        )
    shown = sorted(r for r in sheet.hidden_rows if _nonblank(sheet.rows[r - 1]))
    if shown:
        notes.append(
            _note(
                item,
                Severity.WARNING,
                "filas-ocultas",
                f"{_rows_phrase(shown)} en el libro y se "
                f"{'leyó' if len(shown) == 1 else 'leyeron'} igual: revise si "
                f"{'debe' if len(shown) == 1 else 'deben'} consolidarse.",
                sheet=sheet.sheet,
                row=shown[0],
            )
        )
    if facts.formulas_without_value:
        ref = facts.first_without_value or ""
        col, row = _split_ref(ref)
        notes.append(
            _note(
                item,
                Severity.WARNING,
                "formulas-sin-resultado",
                f"{num(facts.formulas_without_value)} celdas con fórmula no tienen el resultado "
                f"guardado (la primera, {ref}) y se leyeron vacías: el archivo lo guardó un "
                "programa que no calcula. Ábralo en Excel, guárdelo y vuelva a enviarlo.",
                sheet=sheet.sheet,
                row=row,
                column=col,
            )
        )
    elif facts.formulas and book.recalc_on_open:
        notes.append(
            _note(
                item,
                Severity.WARNING,
                "formulas-sin-resultado",
                f"La hoja tiene {num(facts.formulas)} celdas con fórmula y el archivo pide "
                "recalcularlas al abrirlo: lo guardó un programa que no calcula, así que sus "
                "resultados (a menudo 0) pueden no ser reales. Ábralo en Excel, guárdelo y vuelva "
                "a enviarlo.",
                sheet=sheet.sheet,
            )
        )


def _split_ref(ref: str) -> tuple[str | None, int | None]:
    letters = ref.rstrip("0123456789")
    digits = ref[len(letters) :]
    if not letters or not digits or column_number(letters) > 16_384:
        return None, None
    return letters, int(digits)


def _rows_phrase(rows: list[int]) -> str:
    """[3, 4, 5, 9] -> 'Las filas 3 a 5 y 9 están ocultas'."""
    ranges: list[tuple[int, int]] = []
    for r in rows:
        if ranges and r == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], r)
        else:
            ranges.append((r, r))
    parts = [f"{a}" if a == b else f"{a} a {b}" for a, b in ranges[:MAX_LISTED_ROWS]]
    if len(ranges) > MAX_LISTED_ROWS:
        parts.append(f"{len(ranges) - MAX_LISTED_ROWS} grupos más")
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " y " + parts[-1]
    if len(rows) == 1:
        return f"La fila {listed} está oculta"
    return f"Las filas {listed} están ocultas"


def _book_notes(item: InputFile, book: BookFacts, notes: list[Problem]) -> None:
    if book.external_links:
        names = ", ".join(f"«{n}»" for n in dict.fromkeys(book.external_links[:3]))
        notes.append(
            _note(
                item,
                Severity.WARNING,
                "vinculo-externo",
                f"El libro toma valores de otros archivos ({names}): se usó el valor guardado la "
                "última vez, que puede estar desactualizado. Si importa, ábralo en Excel, "
                "actualice los vínculos, guárdelo y vuelva a ejecutar.",
            )
        )
    if book.macros:
        notes.append(
            _note(
                item,
                Severity.INFO,
                "macros-ignoradas",
                "El libro trae macros: no se ejecutaron ni pasan al consolidado; solo se leyeron "
                "los valores de las celdas.",
            )
        )


# Text formats ----------------------------------------------------------------------------

_TEXT_SUFFIXES = {
    "html": {".htm", ".html"},
    "delimited": {".csv", ".tsv", ".txt"},
    "xml2003": {".xml"},
}


def _read_text(
    item: InputFile, found: preflight.Inspection, notes: list[Problem], limits: Limits
) -> list[RawSheet]:
    suffix = item.path.suffix.lower()
    decoded: text_formats.Decoded | None = None
    try:
        if found.kind == "html":
            tables, decoded = text_formats.read_html(found.data, limits)
            if not tables:
                raise ReadError(
                    "no-es-hoja-de-calculo",
                    "Es una página web (HTML) sin tablas con datos, no un libro de Excel: "
                    "guárdela como .xlsx y vuelva a ejecutar.",
                )
            code = "html-como-xls"
            what = "una página web (HTML), como las que exportan los sistemas de información"
        elif found.kind == "delimited":
            table, decoded = text_formats.read_delimited(
                found.data, limits, lenient=suffix in _TEXT_SUFFIXES["delimited"]
            )
            tables = [table]
            code = "csv-como-xls"
            what = "un archivo de texto separado por comas o tabulaciones (CSV)"
        else:
            tables = text_formats.read_spreadsheetml(found.data, limits)
            code = "excel-2003-xml"
            what = "un libro «XML de Excel 2003»"
    except Refused as exc:
        raise ReadError(exc.code, exc.message) from exc
    if suffix not in _TEXT_SUFFIXES[found.kind]:
        notes.append(
            _note(
                item,
                Severity.WARNING,
                code,
                f"El archivo «{item.path.name}» es en realidad {what}; se leyó su contenido. "
                "Para evitar este aviso, ábralo en Excel y guárdelo como .xlsx.",
            )
        )
    if decoded is not None and decoded.fallback:
        notes.append(
            _note(
                item,
                Severity.INFO,
                "codificacion-windows-1252",
                f"El texto no está en UTF-8; se leyó como {decoded.encoding} (ANSI), la "
                "codificación habitual de Excel en Windows. Revise que tildes y eñes se vean "
                "bien en el consolidado.",
            )
        )
    sheets = []
    for table in tables:
        raw = _tidy(
            item, table.name, table.rows, table.merged, table.hidden_rows, table.hidden, notes
        )
        sheets.append(raw)
        _sheet_notes(item, raw, SheetFacts(), BookFacts(), notes, very_hidden=False)
    return sheets
