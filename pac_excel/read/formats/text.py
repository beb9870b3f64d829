"""text_formats: the "Excel" files that information systems export as HTML, CSV/TSV or Excel 2003 XML.

They usually carry an .xls name, which no Excel reader accepts. Their tables
are read here with the standard library only: an ``html.parser`` table reader (pandas'
``read_html`` would need lxml), the ``csv`` module with the delimiter decided from the text,
and a DTD-refusing expat parser for SpreadsheetML 2003. Text is decoded UTF-8 (with or without
BOM), UTF-16 by BOM, the charset an HTML page declares, and only then Windows-1252, which the
caller reports. Every table is bounded by the same limits as a workbook.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from pac_excel.read.facts import Limits, Refused, num
from pac_excel.read.xml_guard import local, make_parser

MAX_COLSPAN = 1_000  # the HTML standard's own limits
MAX_ROWSPAN = 65_534
DELIMITERS = ("\t", ";", ",", "|")
_CHARSET = re.compile(rb"""charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


@dataclass
class TextSheet:
    """One table read from a text format, shaped like a RawSheet."""

    name: str
    rows: list[list[object]]
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    hidden_rows: list[int] = field(default_factory=list)  # 1-based
    hidden: bool = False


@dataclass
class Decoded:
    text: str
    encoding: str
    fallback: bool  # True when Windows-1252 was assumed, not found


def decode(data: bytes, declared: str | None = None) -> Decoded:
    """Bytes to text: BOMs first, then UTF-8, the declared charset, then Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return Decoded(data[3:].decode("utf-8", "replace"), "UTF-8", False)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Decoded(data.decode("utf-16", "replace").lstrip("\ufeff"), "UTF-16", False)
    if len(data) > 3 and data[1:2] == b"\0" and data[3:4] == b"\0":
        return Decoded(data.decode("utf-16-le", "replace"), "UTF-16", False)
    try:
        return Decoded(data.decode("utf-8"), "UTF-8", False)
    except UnicodeDecodeError:
        pass
    if declared:
        try:
            return Decoded(data.decode(declared), declared, False)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return Decoded(data.decode("cp1252"), "Windows-1252", True)
    except UnicodeDecodeError:
        return Decoded(data.decode("latin-1"), "Latin-1", True)


def too_large(what: str, rows: int, cols: int, limits: Limits) -> Refused:
    return Refused(
        "hoja-demasiado-grande",
        f"La tabla «{what}» ocupa {num(rows)} filas × {num(cols)} columnas y pac-excel lee "
        f"hasta {num(limits.sheet_rows)} filas y {num(limits.sheet_cells)} celdas por hoja; no "
        "se leyó. Si es el seguimiento, divídalo en varias hojas.",
    )


# HTML --------------------------------------------------------------------------------------


class _Table:
    """Rows of one <table>; cells covered by a rowspan are kept as spans, not cell by cell."""

    def __init__(self, name: str, limits: Limits) -> None:
        self.name = name
        self.limits = limits
        self.rows: list[list[object]] = []
        self.merged: list[tuple[tuple[int, int], tuple[int, int]]] = []
        self.hidden_rows: list[int] = []
        self.spans: list[tuple[int, int, int]] = []  # (last row, first col, last col), 0-based
        self.cell: list[str] | None = None
        self.span = (1, 1)
        self.width = 0
        self.height = 0  # rows including those reached by rowspans

    def start_row(self, hidden: bool) -> None:
        self.finish_cell()
        self.rows.append([])
        r = len(self.rows) - 1
        self.spans = [s for s in self.spans if s[0] >= r]
        if hidden:
            self.hidden_rows.append(len(self.rows))
        self.height = max(self.height, len(self.rows))
        self._check()

    def start_cell(self, rowspan: int, colspan: int) -> None:
        if not self.rows:
            self.start_row(False)
        self.finish_cell()
        self.cell = []
        self.span = (rowspan, colspan)

    def finish_cell(self) -> None:
        if self.cell is None:
            return
        text = "".join(self.cell)
        text = "\n".join(line.strip() for line in text.split("\n")).strip()
        self.cell = None
        r = len(self.rows) - 1
        row = self.rows[r]
        while covered := [s for s in self.spans if s[1] <= len(row) <= s[2]]:
            row.extend([None] * (covered[0][2] + 1 - len(row)))
        c = len(row)
        rowspan, colspan = self.span
        self.width = max(self.width, c + colspan)
        self.height = max(self.height, r + rowspan)
        self._check()
        row.append(text)
        row.extend([None] * (colspan - 1))
        if rowspan > 1:
            self.spans.append((r + rowspan - 1, c, c + colspan - 1))
        if rowspan > 1 or colspan > 1:
            self.merged.append(((r, c), (r + rowspan - 1, c + colspan - 1)))

    def _check(self) -> None:
        if (
            self.height > self.limits.sheet_rows
            or self.height * self.width > self.limits.sheet_cells
        ):
            raise too_large(self.name, self.height, self.width, self.limits)


class _HtmlTables(HTMLParser):
    """Collects every <table> (nested ones too, each on its own) as rows of cell texts."""

    BLOCKS = frozenset({"p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"})

    def __init__(self, limits: Limits) -> None:
        super().__init__(convert_charrefs=True)
        self.limits = limits
        self.stack: list[_Table] = []
        self.done: list[_Table] = []
        self.skip = 0  # inside <script> or <style>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "") for k, v in attrs}
        if tag in ("script", "style"):
            self.skip += 1
        elif tag == "table":
            self.stack.append(_Table(f"Tabla {len(self.done) + len(self.stack) + 1}", self.limits))
        elif not self.stack:
            return
        elif tag == "tr":
            style = values.get("style", "").replace(" ", "").lower()
            self.stack[-1].start_row("display:none" in style or "hidden" in values)
        elif tag in ("td", "th"):
            self.stack[-1].start_cell(
                _span(values.get("rowspan"), MAX_ROWSPAN), _span(values.get("colspan"), MAX_COLSPAN)
            )
        elif tag == "br" or tag in self.BLOCKS:
            self._text("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self._text("\n")
        else:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        elif tag == "table" and self.stack:
            table = self.stack.pop()
            table.finish_cell()
            self.done.append(table)
        elif self.stack and tag in ("td", "th"):
            self.stack[-1].finish_cell()
        elif self.stack and tag in self.BLOCKS:
            self._text("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self._text(data)

    def _text(self, text: str) -> None:
        if self.stack and self.stack[-1].cell is not None:
            self.stack[-1].cell.append(text if text == "\n" else re.sub(r"[ \t\r\n]+", " ", text))


def _span(value: str | None, cap: int) -> int:
    try:
        return min(max(int(str(value).strip() or 1), 1), cap)
    except ValueError:
        return 1


def read_html(data: bytes, limits: Limits) -> tuple[list[TextSheet], Decoded]:
    """Every table with at least one non-empty cell, named "Tabla 1", "Tabla 2"…"""
    declared = _CHARSET.search(data[:4096])
    decoded = decode(data, declared.group(1).decode("ascii") if declared else None)
    parser = _HtmlTables(limits)
    parser.feed(decoded.text)
    parser.close()
    while parser.stack:  # unclosed tables at the end of a cut file
        table = parser.stack.pop()
        table.finish_cell()
        parser.done.append(table)
    sheets: list[TextSheet] = []
    for table in parser.done:
        if not any(v for row in table.rows for v in row):
            continue
        # Rows reached only by a rowspan exist too.
        table.rows.extend([] for _ in range(table.height - len(table.rows)))
        width = max((len(r) for r in table.rows), default=0)
        rows = [r + [None] * (width - len(r)) for r in table.rows]
        sheets.append(TextSheet(f"Tabla {len(sheets) + 1}", rows, table.merged, table.hidden_rows))
    return sheets, decoded


# CSV / TSV ---------------------------------------------------------------------------------


def read_delimited(data: bytes, limits: Limits, *, lenient: bool) -> tuple[TextSheet, Decoded]:
    """A CSV/TSV file as one sheet. Without a delimiter that splits most lines, only a
    ``lenient`` caller (a .csv/.tsv/.txt name) gets a one-column sheet; others get Refused.
    """
    decoded = decode(data)
    text = decoded.text
    delimiter = _delimiter(text)
    if delimiter is None and not lenient:
        raise Refused(
            "no-es-hoja-de-calculo",
            "No es un libro de Excel ni de LibreOffice (es un texto sin columnas): guárdelo como "
            ".xlsx y vuelva a ejecutar.",
        )
    rows: list[list[object]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter or "\x1f")
    try:
        for row in reader:
            rows.append(list(row))
            if len(rows) > limits.sheet_rows:
                raise too_large("Texto", len(rows), max(map(len, rows)), limits)
    except csv.Error as exc:
        raise Refused(
            "archivo-danado",
            f"El archivo de texto no se pudo leer como tabla ({exc}): ábralo en Excel, guárdelo "
            "como .xlsx y vuelva a ejecutar.",
        ) from exc
    width = max((len(r) for r in rows), default=0)
    if len(rows) * width > limits.sheet_cells:
        raise too_large("Texto", len(rows), width, limits)
    padded: list[list[object]] = [r + [None] * (width - len(r)) for r in rows]
    return TextSheet("Texto", padded), decoded


def _delimiter(text: str) -> str | None:
    """The delimiter that splits most of the first lines into the same number of fields."""
    lines = [ln for ln in text[:65536].splitlines()[:50] if ln.strip()]
    if not lines:
        return None
    best: tuple[int, int, str] | None = None
    for rank, delimiter in enumerate(DELIMITERS):
        try:
            counts = [len(r) for r in csv.reader(lines, delimiter=delimiter)]
        except csv.Error:
            continue
        split = [c for c in counts if c > 1]
        if len(split) * 2 < len(lines):
            continue
        common = max(set(split), key=split.count)
        score = (split.count(common), -rank)
        if best is None or score > best[:2]:
            best = (score[0], score[1], delimiter)
    return best[2] if best else None


# SpreadsheetML 2003 ------------------------------------------------------------------------

_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2}))?")


def read_spreadsheetml(data: bytes, limits: Limits) -> list[TextSheet]:
    """Excel 2003 XML (``<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">``)."""
    reader = _SpreadsheetML(limits)
    parser = make_parser("Excel 2003 XML")
    parser.StartElementHandler = reader.start
    parser.EndElementHandler = reader.end
    parser.CharacterDataHandler = reader.chardata
    try:
        parser.Parse(data, True)
    except Refused:
        raise
    except Exception as exc:
        raise Refused(
            "archivo-danado",
            "El archivo XML de Excel 2003 está dañado o incompleto: ábralo en Excel, guárdelo "
            f"como .xlsx y vuelva a ejecutar. ({type(exc).__name__})",
        ) from exc
    for sheet in reader.sheets:
        width = max((len(r) for r in sheet.rows), default=0)
        sheet.rows = [r + [None] * (width - len(r)) for r in sheet.rows]
    return reader.sheets


def _attr(attrs: dict[str, str], name: str) -> str | None:
    for key, value in attrs.items():
        if local(key) == name:
            return value
    return None


def _index(value: str | None, current: int) -> int:
    return int(value) if value and value.isdigit() else current + 1


class _SpreadsheetML:
    """expat handlers for Worksheet / Table / Row / Cell / Data, with ss:Index gaps and merges."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.sheets: list[TextSheet] = []
        self.row = 0
        self.col = 0
        self.kind = "String"
        self.in_data = False
        self.in_visible = False
        self.merge = (0, 0)
        self.text: list[str] = []
        self.chars = 0

    def start(self, name: str, attrs: dict[str, str]) -> None:
        tag = local(name)
        if tag == "Worksheet":
            self.sheets.append(TextSheet(_attr(attrs, "Name") or f"Hoja{len(self.sheets) + 1}", []))
            self.row = 0
        elif not self.sheets:
            return
        elif tag == "Row":
            self.row = _index(_attr(attrs, "Index"), self.row)
            self.col = 0
            if _attr(attrs, "Hidden") in ("1", "true"):
                self.sheets[-1].hidden_rows.append(self.row)
        elif tag == "Cell":
            self.col = _index(_attr(attrs, "Index"), self.col)
            across, down = _attr(attrs, "MergeAcross"), _attr(attrs, "MergeDown")
            self.merge = (
                _span(down, MAX_ROWSPAN) if down else 0,
                _span(across, MAX_COLSPAN) if across else 0,
            )
        elif tag == "Data":
            self.in_data = True
            self.kind = _attr(attrs, "Type") or "String"
            self.text.clear()
        elif tag == "Visible":
            self.in_visible = True
            self.text.clear()

    def end(self, name: str) -> None:
        tag = local(name)
        if not self.sheets:
            return
        sheet = self.sheets[-1]
        if tag == "Data":
            self.in_data = False
            self._put(sheet, _value(self.kind, self.text))
        elif tag == "Cell":
            down, across = self.merge
            if down or across:
                r, c = self.row - 1, self.col - 1
                sheet.merged.append(((r, c), (r + down, c + across)))
            self.col += across
            self.merge = (0, 0)
        elif tag == "Visible":
            self.in_visible = False
            if "hidden" in "".join(self.text).lower():
                sheet.hidden = True

    def chardata(self, chunk: str) -> None:
        if self.in_data or self.in_visible:
            self.text.append(chunk)
            self.chars += len(chunk)

    def _put(self, sheet: TextSheet, value: object) -> None:
        row, col = self.row, self.col
        if row > self.limits.sheet_rows or row * max(col, 1) > self.limits.sheet_cells:
            raise too_large(sheet.name, row, col, self.limits)
        if self.chars > self.limits.file_chars:
            raise Refused(
                "archivo-demasiado-grande",
                "El archivo tiene más texto del que pac-excel lee en un libro: deje solo las "
                "hojas del plan, guárdelo como .xlsx y vuelva a ejecutar.",
            )
        while len(sheet.rows) < row:
            sheet.rows.append([])
        cells = sheet.rows[row - 1]
        cells.extend([None] * (col - len(cells)))
        cells[col - 1] = value


def _value(kind: str, parts: list[str]) -> object:
    text = "".join(parts)
    if kind == "Number":
        try:
            return float(text)
        except ValueError:
            return text
    if kind == "DateTime":
        match = _DATE.match(text)
        if match:
            try:
                numbers = [int(g) for g in match.groups() if g is not None]
                return dt.datetime(*numbers)  # type: ignore[arg-type]
            except ValueError:
                return text
        return text
    if kind == "Boolean":
        return text.strip() in ("1", "true")
    return text
