"""sheets: one input file in, raw sheets out (cell values exactly as found, plus where they came from).

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
import time
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pac_excel.problems import Problem, Severity, column_letter
from pac_excel.read import preflight
from pac_excel.read.facts import LIMITS, BookFacts, Limits, Refused, SheetFacts, num
from pac_excel.read.formats import text as text_formats
from pac_excel.read.formats.cfb import MAGIC as OLE_MAGIC
from pac_excel.read.formats.xlsx import column_number
from pac_excel.read.inputs import InputFile, collect_inputs, ignored
from pac_excel.read.xml_guard import UnsafeXmlSetup, ensure_safe_xml
from pac_excel.text import has_controls, strip_controls

__all__ = [
    "OLE_MAGIC",
    "ZIP_MAGIC",
    "InputFile",
    "RawSheet",
    "Settle",
    "UnsafeXmlSetup",
    "collect_inputs",
    "ensure_safe_xml",
    "read_file",
    "sniff",
]

ZIP_MAGIC = preflight.ZIP_MAGIC
TEXT_KINDS = {"html", "delimited", "xml2003"}
MAX_LISTED_ROWS = 12  # hidden rows named in one message

Span = tuple[
    tuple[int, int], tuple[int, int]
]  # a merged range, 0-based (top, left), (bottom, right)


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
    merged: Sequence[Span] = field(default_factory=tuple)
    hidden: bool = False
    hidden_rows: frozenset[int] = frozenset()
    # Hyperlinked cells of an .xlsx, (row, column) 1-based -> web address (evidence links).
    links: Mapping[tuple[int, int], str] = field(default_factory=dict)


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


# Reading one file ------------------------------------------------------------------------


def sniff(path: Path) -> str:
    """What the file really is: 'xlsx', 'ods', 'xls', 'encrypted', a text kind, or Refused."""
    try:
        return preflight.inspect(path).kind
    except Refused as exc:
        if exc.code == "protegido-con-contrasena":
            return "encrypted"
        raise


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
    error: Refused | None = None
    kind = ""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # library chatter; what matters becomes a Problem
            kind, sheets = _read(item, notes, limits)
    except Refused as exc:
        error = exc
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # noqa: BLE001 - a reader bug must not stop the other files
        error = Refused(
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
            Problem.in_file(item.name, error.code, error.message, severity=Severity.ERROR)
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
    return ignored(
        item.name,
        f"Se ignoró «{item.name}»: cambió mientras se leía (¿se está copiando todavía?). "
        "Espere a que termine de copiarse y vuelva a ejecutar.",
    )


def _read(item: InputFile, notes: list[Problem], limits: Limits) -> tuple[str, list[RawSheet]]:
    found = preflight.inspect(item.path, limits)
    if found.kind in TEXT_KINDS:
        return found.kind, _read_text(item, found, notes, limits)
    expected = {"xlsx": {".xlsx", ".xlsm"}, "ods": {".ods"}, "xls": {".xls"}}[found.kind]
    if item.path.suffix.lower() not in expected:
        notes.append(
            Problem.in_file(
                item.name,
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
    for meta in _read_once(workbook.sheets_metadata, book):
        if meta.typ == SheetTypeEnum.MacroSheet:
            book.macros = True
        if meta.typ != SheetTypeEnum.WorkSheet:
            continue  # chart and dialog sheets hold no cells
        facts = book.sheets.get(meta.name, unmatched)
        reason = preflight.oversized(facts, limits)
        if reason:
            notes.append(
                Problem.in_file(item.name, "hoja-demasiado-grande", reason, sheet=meta.name)
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
            controls=book.controls_possible, links=facts.links,
        )  # fmt: skip
        sheets.append(raw)
        _sheet_notes(
            item, raw, facts, book, notes, very_hidden=meta.visible == SheetVisibleEnum.VeryHidden
        )
    if failed and not sheets and len(failed) == len(workbook.sheets_metadata):
        raise _calamine_error(failed[0][1])
    if not sheets and not failed and not any(n.severity is Severity.ERROR for n in notes):
        raise Refused(
            "sin-tabla-de-seguimiento",
            "El libro no tiene hojas con celdas (solo gráficos, o ninguna hoja): revise que sea "
            "el archivo del seguimiento.",
        )
    notes.extend(_repeated_notes(item, book))
    for name, cause in failed:
        error = _calamine_error(cause)
        notes.append(
            Problem.in_file(
                item.name, error.code, error.message, severity=Severity.ERROR, sheet=name
            )
        )
    return sheets


def _read_once(metas: Sequence[Any], book: BookFacts) -> list[Any]:
    """The sheets calamine lists, without the entries that repeat one (see _repeated_notes)."""
    repeats = {n for names in book.repeated_sheets.values() for n in names}
    repeats -= set(book.repeated_sheets)
    seen: set[str] = set()
    kept = []
    for meta in metas:
        if meta.name not in seen and meta.name not in repeats:
            seen.add(meta.name)
            kept.append(meta)
    return kept


def _repeated_notes(item: InputFile, book: BookFacts) -> list[Problem]:
    """One line per sheet the workbook lists more than once, which was read once."""
    return [
        Problem.in_file(
            item.name,
            "hoja-repetida",
            f"El libro declara la hoja «{first}» {len(names) + 1} veces (xl/workbook.xml "
            "dañado o manipulado); se leyó una sola vez, para no contar dos veces sus "
            "actividades.",
            sheet=first,
        )
        for first, names in book.repeated_sheets.items()
    ]


def _calamine_error(exc: BaseException) -> Refused:
    message = str(exc).lower()
    if "password" in message or "encrypt" in message:
        return Refused(*preflight.PASSWORD)
    return Refused(
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
    merged: Sequence[Span],
    hidden_rows: Iterable[int],
    hidden: bool,
    notes: list[Problem],
    *,
    controls: bool = True,
    links: Mapping[tuple[int, int], str] | None = None,
) -> RawSheet:
    """Trim trailing empty rows and columns, remove control characters (counted), clip merges.

    calamine's grid is rectangular and usually ends at the data, so trimming checks the last
    row and column first and is over at once; only a stray far cell costs a scan.
    """
    height, width = _data_extent(rows)
    if controls:
        _strip_control_characters(item, name, rows, notes)
    rows = _rectangular(rows[:height], width)
    return RawSheet(
        item.name,
        item.path,
        name,
        rows,
        _clipped(merged, height, width),
        hidden=hidden,
        hidden_rows=frozenset(r for r in hidden_rows if r <= height),
        links=links or {},
    )


def _blank(value: object) -> bool:
    return value == "" or value is None


def _data_extent(rows: list[list[Any]]) -> tuple[int, int]:
    """Rows and columns up to the last one holding a value (an empty text is no value)."""
    height = len(rows)
    while height and all(_blank(v) for v in rows[height - 1]):
        height -= 1
    width = max((len(r) for r in rows[:height]), default=0)
    while width and all(len(r) < width or _blank(r[width - 1]) for r in rows[:height]):
        width -= 1
    return height, width


def _strip_control_characters(
    item: InputFile, name: str, rows: list[list[Any]], notes: list[Problem]
) -> None:
    """Remove what Excel cannot hold in a cell, in place, and say how many and where first."""
    # One search over all the text; the cell-by-cell pass only when something is there.
    if not has_controls("\n".join([v for row in rows for v in row if type(v) is str])):
        return
    removed = 0
    first: tuple[int, int] | None = None
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if type(value) is str and has_controls(value):
                row[c], count = strip_controls(value)
                removed += count
                first = first or (r, c)
    if removed and first is not None:
        letter = column_letter(first[1])
        notes.append(
            Problem.in_file(
                item.name,
                "caracteres-de-control",
                f"Se quitaron {num(removed)} caracteres de control invisibles (el primero en "
                f"{letter}{first[0] + 1}), que Excel no permite en una celda.",
                sheet=name,
                row=first[0] + 1,
                column=letter,
            )
        )


def _rectangular(rows: list[list[Any]], width: int) -> list[list[Any]]:
    """Every row exactly ``width`` cells: cut past the data, padded with None where short."""
    for i, row in enumerate(rows):
        if len(row) > width:
            rows[i] = row[:width]
        elif len(row) < width:
            rows[i] = row + [None] * (width - len(row))
    return rows


def _clipped(merged: Sequence[Span], height: int, width: int) -> tuple[Span, ...]:
    """Merged ranges inside the trimmed grid, each once, cut at its edge."""
    return tuple(
        ((top, left), (min(bottom, height - 1), min(right, width - 1)))
        for (top, left), (bottom, right) in dict.fromkeys(tuple(merged))
        if top < height and left < width and bottom >= top and right >= left
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
            Problem.in_file(
                item.name,
                "hoja-oculta",
                f"La hoja está {how} en el libro y se leyó igual: revise si sus actividades "
                "deben consolidarse.",
                sheet=sheet.sheet,
            )
        )
    shown = sorted(r for r in sheet.hidden_rows if _nonblank(sheet.rows[r - 1]))
    if shown:
        notes.append(
            Problem.in_file(
                item.name,
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
            Problem.in_file(
                item.name,
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
            Problem.in_file(
                item.name,
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
            Problem.in_file(
                item.name,
                "vinculo-externo",
                f"El libro toma valores de otros archivos ({names}): se usó el valor guardado la "
                "última vez, que puede estar desactualizado. Si importa, ábralo en Excel, "
                "actualice los vínculos, guárdelo y vuelva a ejecutar.",
            )
        )
    if book.macros:
        notes.append(
            Problem.in_file(
                item.name,
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
    if found.kind == "html":
        tables, decoded = text_formats.read_html(found.data, limits)
        if not tables:
            raise Refused(
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
    if suffix not in _TEXT_SUFFIXES[found.kind]:
        notes.append(
            Problem.in_file(
                item.name,
                code,
                f"El archivo «{item.path.name}» es en realidad {what}; se leyó su contenido. "
                "Para evitar este aviso, ábralo en Excel y guárdelo como .xlsx.",
            )
        )
    if decoded is not None and decoded.fallback:
        notes.append(
            Problem.in_file(
                item.name,
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
