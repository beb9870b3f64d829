"""ooxml_scan: count what an .xlsx sheet will cost python-calamine, before it is parsed.

Two paths give the same answers. The fast one uses byte searches and only applies when every
row and cell carries its ``r`` reference and no element is prefixed, which is how Excel,
LibreOffice, openpyxl and xlsxwriter write; it measured about as long as calamine's own read,
where a Python XML parser took three times as long. Anything else, and any fast result over a
limit (its counts are upper bounds), goes through expat, which is exact and stops at the first
limit passed.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Sequence

from pac_excel.read.facts import EXCEL_COLUMNS, EXCEL_ROWS, Limits, Refused, SheetFacts
from pac_excel.read.xml_guard import local, make_parser

_PREFIXED = re.compile(rb"<[A-Za-z_][\w.-]*:(?:c|row|v|is|f|t|si|r|mergeCell)[\s/>]")
_CELL = re.compile(rb"<c[\s/>]")
_CELL_REF_FIRST = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"')  # how every writer puts it
_CELL_REF = re.compile(rb'<c\s[^>]*?\sr="([A-Z]{1,3})([0-9]{1,7})"')
_AMP_IN_TAG = re.compile(rb"<[^>]*&")
_SHARED_INDEX = re.compile(rb'<c\s[^>]*?\st="s"[^>]*>\s*<v>([0-9]{1,10})</v>')
_FORMULA = re.compile(rb"<f[\s/>]")
_NO_VALUE = re.compile(rb"(?:</f>|<f\s[^>]*/>)\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>")
_HIDDEN_ROW = re.compile(rb'<row\s[^>]*?\bhidden="(?:1|true)"[^>]*>')
_ROW_NUMBER = re.compile(rb'\br="([0-9]{1,7})"')
_LAST_CELL = re.compile(rb'<c\s[^>]*?\br="([A-Z]{1,3}[0-9]{1,7})"')
_REF = re.compile(r"^([A-Z]{1,3})([0-9]{1,7})$")
_INLINE_TYPES = (b't="inlineStr"', b't="str"', b't="e"', b't="d"')
_TEXT_TYPES = {"inlineStr", "str", "e", "d"}


class _Stop(Exception):
    """A limit was passed: no need to read further."""


def column_number(letters: str) -> int:
    """'A' -> 1, 'XFD' -> 16384."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def shared_string_lengths(data: bytes, where: str) -> list[int]:
    """Per shared string, an upper bound of its characters (bytes of its ``<si>`` element)."""
    if not _PREFIXED.search(data):
        chunks = data.split(b"<si>")
        if data.count(b"<si") == len(chunks) - 1:
            return list(map(len, chunks[1:]))
    lengths: list[int] = []
    state = {"depth": 0, "n": 0}
    parser = make_parser(where)

    def start(name: str, _attrs: object) -> None:
        if local(name) == "si":
            state["depth"] += 1
            state["n"] = 0

    def end(name: str) -> None:
        if local(name) == "si" and state["depth"]:
            state["depth"] -= 1
            lengths.append(state["n"])

    def text(chunk: str) -> None:
        if state["depth"]:
            state["n"] += len(chunk)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.Parse(data, True)
    return lengths


def scan_worksheet(
    data: bytes, shared: Sequence[int], where: str, limits: Limits, chars_left: int
) -> SheetFacts:
    """Grid size, cells, characters, hidden rows and formulas of one worksheet part."""
    fast = _fast_scan(data, shared)
    if fast is not None and not _over(fast, limits, chars_left):
        return fast
    exact = _exact_scan(data, shared, where, limits, chars_left)
    if exact.stopped and fast is not None:
        # Already over a limit; the fast counts say by how much (for the message).
        exact.rows = max(exact.rows, fast.rows)
        exact.columns = max(exact.columns, fast.columns)
    return exact


def _over(facts: SheetFacts, limits: Limits, chars_left: int) -> bool:
    return (
        facts.rows > limits.sheet_rows
        or facts.grid > limits.sheet_cells
        or facts.chars > chars_left
        or facts.merged > limits.merged_ranges
    )


def _fast_scan(data: bytes, shared: Sequence[int]) -> SheetFacts | None:
    """Byte searches for the regular case; None when the exact scan must decide.

    Single-quoted attributes, entities inside tags and prefixed elements are legal XML that
    these searches could misread, so they go to expat; spaces around ``=`` are taken out
    before counting.
    """
    # Without whitespace, ``t = "s"`` and ``t="s"`` read the same: counts on it are sound.
    compact = data.translate(None, b" \t\r\n")
    if b"='" in compact or _PREFIXED.search(data) or (b"&" in data and _AMP_IN_TAG.search(data)):
        return None
    refs = _cell_refs(data)
    if refs is None:
        return None  # a cell without its reference: positions need the exact scan
    facts = SheetFacts(exact=False, cells=len(refs))
    if refs:
        facts.rows = max(map(int, {r for _, r in refs}))  # each row's number once
        letters = {c for c, _ in refs}
        facts.columns = column_number(max(letters, key=lambda c: (len(c), c)).decode())
    chars = _shared_chars(data, compact, shared)
    hidden_rows = _hidden_rows(data, compact)
    if chars is None or hidden_rows is None:
        return None
    facts.chars = chars
    if any(t in data for t in _INLINE_TYPES):
        facts.chars += len(data)  # inline text can be no longer than the part itself
    facts.merged = data.count(b"<mergeCell ")
    facts.hidden_rows.extend(hidden_rows)
    if b"<f" in data:
        _count_formulas(data, facts)
    return facts


def _cell_refs(data: bytes) -> list[tuple[bytes, bytes]] | None:
    """(column letters, row digits) of every cell, or None when a cell has no ``r``."""
    n_cells = len(_CELL.findall(data))
    refs: list[tuple[bytes, bytes]] = _CELL_REF_FIRST.findall(data)
    if len(refs) != n_cells:
        refs = _CELL_REF.findall(data)
        if len(refs) != n_cells:
            return None
    return refs


def _shared_chars(data: bytes, compact: bytes, shared: Sequence[int]) -> int | None:
    """Characters calamine copies for shared-string cells: a bound, exact when it is large."""
    n_shared = compact.count(b't="s"')
    if not n_shared:
        return 0
    chars = n_shared * max(shared, default=0)
    if chars > 1_000_000:
        indexes = _SHARED_INDEX.findall(data)
        if len(indexes) != n_shared:
            return None
        size = len(shared)
        chars = sum(shared[i] for i in map(int, indexes) if i < size)
    return chars


def _hidden_rows(data: bytes, compact: bytes) -> list[int] | None:
    """1-based hidden rows; None when one is written in a way the searches cannot place."""
    hidden = compact.count(b'hidden="1"') + compact.count(b'hidden="true"')
    if not hidden:
        return []
    matches = list(_HIDDEN_ROW.finditer(data))
    if len(matches) != hidden:
        return None  # spaced or unusual: let the exact scan find them
    rows: list[int] = []
    for match in matches:
        number = _ROW_NUMBER.search(match.group())
        if number is None:
            return None
        rows.append(int(number.group(1)))
    return rows


def _count_formulas(data: bytes, facts: SheetFacts) -> None:
    """Formulas, and those saved without a result (which calamine reads as empty)."""
    facts.formulas = len(_FORMULA.findall(data))
    for match in _NO_VALUE.finditer(data):
        start = data.rfind(b"<c ", 0, match.start())
        tag = data[start : data.find(b">", start) + 1] if start >= 0 else b""
        if b't="str"' in tag and b"<v" in match.group():
            continue  # a formula whose result is the empty text: a real value
        facts.formulas_without_value += 1
        if facts.first_without_value is None:
            ref = _LAST_CELL.match(data, start) if start >= 0 else None
            facts.first_without_value = ref.group(1).decode() if ref else None


def _exact_scan(
    data: bytes, shared: Sequence[int], where: str, limits: Limits, chars_left: int
) -> SheetFacts:
    scan = _ExactScan(shared, where, limits, chars_left)
    parser = make_parser(where)
    parser.StartElementHandler = scan.start
    parser.EndElementHandler = scan.end
    parser.CharacterDataHandler = scan.text
    facts = scan.facts
    try:
        parser.Parse(data, True)
    except _Stop:
        facts.stopped = True  # facts hold a count past the limit; the caller says which
    if facts.rows > EXCEL_ROWS or facts.columns > EXCEL_COLUMNS:
        facts.rows = max(facts.rows, EXCEL_ROWS + 1)  # reported as too many rows
    return facts


class _ExactScan:
    """expat handlers counting one sheet's cells, text and merges, with the cell being read."""

    def __init__(self, shared: Sequence[int], where: str, limits: Limits, chars_left: int):
        self.facts = SheetFacts()
        self.shared, self.size = shared, len(shared)
        self.where, self.limits, self.chars_left = where, limits, chars_left
        self.row = self.col = self.cell_row = 0
        self.kind = "n"
        self.has_v = self.formula = self.in_v = self.in_text = False
        self.vtext: list[str] = []

    def start(self, name: str, attrs: dict[str, str]) -> None:
        tag = local(name)
        if tag == "c":
            self._cell(attrs)
        elif tag == "row":
            ref = attrs.get("r")
            self.row = int(ref) if ref and ref.isdigit() else self.row + 1
            self.col = 0
            if attrs.get("hidden") in ("1", "true"):
                self.facts.hidden_rows.append(self.row)
        elif tag == "v":
            self.has_v = self.in_v = True
            self.vtext.clear()
        elif tag == "is":
            self.has_v = self.in_text = True
        elif tag == "f":
            self.formula = True
        elif tag == "mergeCell":
            self.facts.merged += 1
            if self.facts.merged > self.limits.merged_ranges:
                raise _Stop

    def _cell(self, attrs: dict[str, str]) -> None:
        ref = attrs.get("r")
        if ref:
            match = _REF.match(ref)
            if match is None:
                raise Refused(
                    "archivo-danado",
                    f"La celda «{ref[:20]}» de «{self.where}» no tiene una referencia válida: "
                    "ábralo en Excel, guárdelo de nuevo como .xlsx y vuelva a ejecutar.",
                )
            self.col = column_number(match.group(1))
            self.cell_row = int(match.group(2))
        else:
            self.col += 1
            self.cell_row = self.row
        self.kind = attrs.get("t", "n")
        self.has_v = self.formula = False

    def end(self, name: str) -> None:
        tag = local(name)
        if tag == "v":
            self.in_v = False
        elif tag == "is":
            self.in_text = False
        elif tag == "c":
            self._cell_end()
            self.vtext.clear()

    def _cell_end(self) -> None:
        facts, text = self.facts, "".join(self.vtext).strip()
        has_value = self.has_v and (bool(text) or self.kind == "str")
        if self.formula:
            facts.formulas += 1
            if not has_value:
                facts.formulas_without_value += 1
                if facts.first_without_value is None:
                    facts.first_without_value = _ref(self.col, self.cell_row)
        if not self.has_v:
            return
        facts.cells += 1
        facts.rows = max(facts.rows, self.cell_row)
        facts.columns = max(facts.columns, self.col)
        if self.kind == "s":
            index = int(text) if text.isdigit() else self.size
            facts.chars += self.shared[index] if index < self.size else 0
        limits = self.limits
        if (
            facts.rows > limits.sheet_rows
            or facts.grid > limits.sheet_cells
            or facts.chars > self.chars_left
        ):
            raise _Stop

    def text(self, chunk: str) -> None:
        if self.in_v:
            self.vtext.append(chunk)
            if self.kind in _TEXT_TYPES:
                self.facts.chars += len(chunk)
        elif self.in_text:
            self.facts.chars += len(chunk)


def _ref(col: int, row: int) -> str:
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row}"


def workbook_sheet_parts(workbook: bytes, rels: bytes, where: str) -> dict[str, str]:
    """Sheet name -> zip member (lower-cased path), as calamine resolves them."""
    return dict(workbook_sheet_entries(workbook, rels, where))


def workbook_sheet_entries(workbook: bytes, rels: bytes, where: str) -> list[tuple[str, str]]:
    """Every ``<sheet>`` entry as (name, zip member), in order, repeats included.

    calamine reads each entry, so an entry listed twice (same name or same part) would be
    read twice; the pre-flight needs the repeats to read each part once.
    """
    sheets: list[tuple[str, str]] = []
    targets: dict[str, str] = {}

    def on_sheet(name: str, attrs: dict[str, str]) -> None:
        if local(name) == "sheet":
            rid = next((v for k, v in attrs.items() if local(k) == "id"), "")
            sheets.append((attrs.get("name", ""), rid))

    def on_rel(name: str, attrs: dict[str, str]) -> None:
        if local(name) == "Relationship":
            targets[attrs.get("Id", "")] = attrs.get("Target", "")

    for data, handler in ((workbook, on_sheet), (rels, on_rel)):
        if not data:
            continue
        parser = make_parser(where)
        parser.StartElementHandler = handler
        parser.Parse(data, True)
    entries: list[tuple[str, str]] = []
    for name, rid in sheets:
        target = targets.get(rid, "")
        if not target:
            continue
        path = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        entries.append((name, posixpath.normpath(path).lower()))
    return entries
