"""xlsx_links: the hyperlinks of one .xlsx worksheet ("Ver soporte" -> a Drive URL), by cell.

python-calamine returns a cell's text, never its link, so the link is read from the sheet's
own XML: the ``<hyperlinks>`` element after ``<sheetData>`` names each linked cell and a
relationship id, and the sheet's ``.rels`` part gives the address. Both parts were already
inflated and checked (no DTD, sizes within the limits) by the pre-flight; only the slice
from ``<hyperlinks`` to its end is parsed, with the same guarded expat as everything else,
and at most MAX_LINKS links of at most MAX_URL characters are kept.
"""

from __future__ import annotations

import posixpath
import re
from xml.parsers import expat

from pac_excel.read.formats.xlsx import column_number
from pac_excel.read.xml_guard import local, make_parser

MAX_LINKS = 20_000  # per sheet: a plan has one per activity at most
MAX_URL = 2_048  # characters: longer is not an address anyone can open
MAX_CELLS_PER_LINK = 1_000  # a link over a range counts for each of its cells, up to this

_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?hyperlinks[\s>/]")
_REF = re.compile(r"^\$?([A-Z]{1,3})\$?([0-9]{1,7})$")
_SCHEMES = ("http://", "https://")

Links = dict[tuple[int, int], str]  # (row, column), 1-based as Excel shows them -> URL


def rels_part(sheet_part: str) -> str:
    """``xl/worksheets/sheet1.xml`` -> ``xl/worksheets/_rels/sheet1.xml.rels``."""
    folder, name = posixpath.split(sheet_part)
    return posixpath.join(folder, "_rels", name + ".rels")


def sheet_links(sheet: bytes, rels: bytes, where: str) -> Links:
    """Each linked cell of the sheet and its web address; internal links (to another sheet)
    and anything that is not http(s) (``file:``, ``mailto:``, scripts) are left out."""
    start = _START.search(sheet, max(sheet.rfind(b"sheetData"), 0))
    if start is None:
        return {}
    end = sheet.find(b"hyperlinks>", start.end())
    if end < 0:
        return {}
    entries: list[tuple[str, str]] = []

    def on_link(name: str, attrs: dict[str, str]) -> None:
        if local(name) == "hyperlink" and len(entries) < MAX_LINKS:
            rid = next((v for k, v in attrs.items() if local(k) == "id"), "")
            entries.append((attrs.get("ref", ""), rid))

    parser = make_parser(where)
    parser.StartElementHandler = on_link
    try:
        # Without its namespace declarations the slice still parses: expat here is not
        # namespace-aware, so ``r:id`` is only an attribute name.
        parser.Parse(b"<w>" + sheet[start.start() : end + len(b"hyperlinks>")] + b"</w>", True)
        targets = _targets(rels, where) if entries else {}
    except expat.ExpatError:
        return {}  # a damaged link list loses the links, never the sheet's data
    links: Links = {}
    for ref, rid in entries:
        url = targets.get(rid, "")
        if not url:
            continue
        for cell in _cells(ref):
            links.setdefault(cell, url)
    return links


def _targets(rels: bytes, where: str) -> dict[str, str]:
    """Relationship id -> web address, for the external hyperlink relationships."""
    found: dict[str, str] = {}
    if not rels:
        return found

    def on_rel(name: str, attrs: dict[str, str]) -> None:
        if local(name) != "Relationship" or not attrs.get("Type", "").endswith("/hyperlink"):
            return
        target = attrs.get("Target", "").strip()
        if len(target) <= MAX_URL and target.lower().startswith(_SCHEMES):
            found[attrs.get("Id", "")] = target

    parser = make_parser(where)
    parser.StartElementHandler = on_rel
    parser.Parse(rels, True)
    return found


def _cells(ref: str) -> list[tuple[int, int]]:
    """The cells of ``A1`` or ``A1:B2``, 1-based (row, column), at most MAX_CELLS_PER_LINK."""
    corners = [_REF.match(part.strip().upper()) for part in ref.split(":")[:2]]
    if not corners or any(m is None for m in corners):
        return []
    points = [(int(m.group(2)), column_number(m.group(1))) for m in corners if m]
    (top, left), (bottom, right) = points[0], points[-1]
    cells: list[tuple[int, int]] = []
    for row in range(min(top, bottom), max(top, bottom) + 1):
        for col in range(min(left, right), max(left, right) + 1):
            cells.append((row, col))
            if len(cells) >= MAX_CELLS_PER_LINK:
                return cells
    return cells
