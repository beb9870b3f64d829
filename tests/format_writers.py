"""Follow-up workbooks written by the programs offices really use, one writer per format.

``test_layouts`` writes every fixture with openpyxl; real follow-ups also come from Excel
(xlsxwriter writes the same kind of file), from old Excel as BIFF ``.xls`` (xlwt), from
LibreOffice as ``.ods`` (odfpy) and from information systems that save an HTML table as
``.xls``. Each writer gets the same description of a sheet, so a layout family is written
once and read through the reader path of its format. No writer calls LibreOffice: CI may not
have it.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import xlsxwriter

with warnings.catch_warnings():  # both packages are old; their imports may warn on new Pythons
    warnings.simplefilter("ignore")
    import xlwt
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import CoveredTableCell, Table, TableCell, TableRow
    from odf.text import P


@dataclass(frozen=True)
class Pct:
    """A fraction shown with a percentage format (0.5 displays as 50 %)."""

    value: float


Value = str | int | float | dt.date | Pct | None


@dataclass
class Sheet:
    """Rows as written (row 1 first) and merged ranges ("A1:H1"), value at the top-left cell.

    ``header_rows`` (1-based) are the rows an HTML export writes with ``<th>``.
    """

    rows: Sequence[Sequence[object]]  # each a Value; object so list literals type-check
    merges: Sequence[str] = ()
    header_rows: Sequence[int] = field(default_factory=tuple)


Book = Mapping[str, Sheet]
REF = re.compile(r"^([A-Z]+)(\d+):([A-Z]+)(\d+)$")


def _col(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def spans(sheet: Sheet) -> dict[tuple[int, int], tuple[int, int]]:
    """0-based (row, col) of each merge's anchor -> (last row, last col)."""
    out = {}
    for ref in sheet.merges:
        m = REF.match(ref)
        assert m, ref
        top, left = int(m[2]) - 1, _col(m[1])
        out[(top, left)] = (int(m[4]) - 1, _col(m[3]))
    return out


def covered(sheet: Sheet) -> set[tuple[int, int]]:
    """Cells hidden under a merge (not its anchor)."""
    out = set()
    for (top, left), (bottom, right) in spans(sheet).items():
        for r in range(top, bottom + 1):
            for c in range(left, right + 1):
                if (r, c) != (top, left):
                    out.add((r, c))
    return out


def _cell(sheet: Sheet, r: int, c: int) -> Value:
    row = sheet.rows[r] if r < len(sheet.rows) else ()
    value = row[c] if c < len(row) else None
    assert value is None or isinstance(value, str | int | float | dt.date | Pct), value
    return value


# xlsxwriter (.xlsx) -------------------------------------------------------------------------


def write_xlsxwriter(path: Path, book: Book) -> Path:
    """As Excel saves it: shared strings, % and date number formats, real merged ranges."""
    wb = xlsxwriter.Workbook(str(path))
    pct = wb.add_format({"num_format": "0%"})
    date = wb.add_format({"num_format": "dd/mm/yyyy"})
    plain = wb.add_format({"text_wrap": True})

    def put(value: Value) -> tuple[object, object]:
        if isinstance(value, Pct):
            return value.value, pct
        if isinstance(value, dt.date):
            return dt.datetime.combine(value, dt.time()), date
        return ("" if value is None else value), plain

    for name, sheet in book.items():
        ws = wb.add_worksheet(name)
        hidden = covered(sheet)
        for (top, left), (bottom, right) in spans(sheet).items():
            value, fmt = put(_cell(sheet, top, left))
            ws.merge_range(top, left, bottom, right, value, fmt)  # type: ignore[arg-type]
        anchors = spans(sheet)
        for r, row in enumerate(sheet.rows):
            for c, v in enumerate(row):
                if v is None or v == "" or (r, c) in hidden or (r, c) in anchors:
                    continue
                value, fmt = put(_cell(sheet, r, c))
                ws.write(r, c, value, fmt)
    wb.close()
    return path


# xlwt (.xls BIFF8) --------------------------------------------------------------------------


def write_xlwt(path: Path, book: Book) -> Path:
    """As old Excel saves it: BIFF8 in an OLE container, dates as serials with a date format."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = xlwt.Workbook(encoding="utf-8")
        pct = xlwt.easyxf(num_format_str="0%")
        date = xlwt.easyxf(num_format_str="DD/MM/YYYY")
        plain = xlwt.easyxf("align: wrap on")

        def put(value: Value) -> tuple[object, object]:
            if isinstance(value, Pct):
                return value.value, pct
            if isinstance(value, dt.date):
                return dt.datetime.combine(value, dt.time()), date
            return ("" if value is None else value), plain

        for name, sheet in book.items():
            ws = wb.add_sheet(name)
            hidden = covered(sheet)
            anchors = spans(sheet)
            for (top, left), (bottom, right) in anchors.items():
                value, style = put(_cell(sheet, top, left))
                ws.write_merge(top, bottom, left, right, value, style)
            for r, row in enumerate(sheet.rows):
                for c, v in enumerate(row):
                    if v is None or v == "" or (r, c) in hidden or (r, c) in anchors:
                        continue
                    value, style = put(_cell(sheet, r, c))
                    ws.write(r, c, value, style)
        wb.save(str(path))
    return path


# odfpy (.ods) -------------------------------------------------------------------------------


def write_ods(path: Path, book: Book) -> Path:
    """As LibreOffice saves it: typed cells (float, percentage, date), spans, covered cells."""
    doc = OpenDocumentSpreadsheet()
    for name, sheet in book.items():
        table = Table(name=name)
        anchors = spans(sheet)
        hidden = covered(sheet)
        width = max((len(r) for r in sheet.rows), default=0)
        for _, right in anchors.values():
            width = max(width, right + 1)
        for r in range(len(sheet.rows)):
            tr = TableRow()
            for c in range(width):
                if (r, c) in hidden:
                    tr.addElement(CoveredTableCell())
                    continue
                attrs: dict[str, object] = {}
                if (r, c) in anchors:
                    bottom, right = anchors[(r, c)]
                    attrs["numberrowsspanned"] = bottom - r + 1
                    attrs["numbercolumnsspanned"] = right - c + 1
                tr.addElement(_ods_cell(_cell(sheet, r, c), attrs))
            table.addElement(tr)
        doc.spreadsheet.addElement(table)
    doc.save(str(path))
    return path


def _ods_cell(value: Value, attrs: dict[str, object]) -> TableCell:
    if value is None or value == "":
        return TableCell(**attrs)
    if isinstance(value, Pct):
        cell = TableCell(valuetype="percentage", value=value.value, **attrs)
        text = f"{value.value * 100:g}%"
    elif isinstance(value, dt.date):
        cell = TableCell(valuetype="date", datevalue=value.isoformat(), **attrs)
        text = value.strftime("%d/%m/%Y")
    elif isinstance(value, int | float):
        cell = TableCell(valuetype="float", value=value, **attrs)
        text = f"{value:g}"
    else:
        cell = TableCell(valuetype="string", **attrs)
        text = value
    for line in text.split("\n"):
        cell.addElement(P(text=line))
    return cell


# HTML table saved as .xls -------------------------------------------------------------------


def write_html(path: Path, book: Book, *, charset: str = "utf-8", title: str = "") -> Path:
    """As an information system exports "Excel": one ``<table>`` per sheet, text only.

    Values become the text the page shows (dates dd/mm/yyyy, fractions "50%"), header rows
    use ``<th>``, merges become rowspan/colspan and the page declares its ``charset``.
    """
    parts = [
        "<html><head>",
        f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">',
        f"<title>{html.escape(title)}</title></head><body>",
    ]
    for name, sheet in book.items():
        parts.append(f'<table border=1 summary="{html.escape(name)}">')
        anchors = spans(sheet)
        hidden = covered(sheet)
        for r, row in enumerate(sheet.rows):
            tag = "th" if r + 1 in sheet.header_rows else "td"
            cells = []
            for c in range(len(row)):
                if (r, c) in hidden:
                    continue
                span = ""
                if (r, c) in anchors:
                    bottom, right = anchors[(r, c)]
                    if bottom > r:
                        span += f' rowspan="{bottom - r + 1}"'
                    if right > c:
                        span += f' colspan="{right - c + 1}"'
                text = html.escape(_shown(_cell(sheet, r, c))).replace("\n", "<br>")
                cells.append(f"<{tag}{span}>{text}</{tag}>")
            parts.append("<tr>" + "".join(cells) + "</tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    path.write_bytes("\n".join(parts).encode(charset))
    return path


def _shown(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, Pct):
        return f"{value.value * 100:g}%"
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


Writer = Callable[[Path, Book], Path]
