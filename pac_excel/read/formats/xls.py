"""biff_scan: count what an .xls ``Workbook`` stream will cost python-calamine, before it is parsed.

An .xls keeps its text once, in the shared string table (SST), and every text cell points
into it; calamine copies the text into each cell, so one 65,535-character string used by a
hundred thousand cells asks for gigabytes. This walk over the BIFF records adds up the copies,
the grid and the hidden rows, and notices a workbook password (``FILEPASS``) and links to
other workbooks (``SUPBOOK``).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from pac_excel.read.facts import BookFacts, Limits, SheetFacts

BOF = 0x0809
EOF = 0x000A
BOUNDSHEET = 0x0085
FILEPASS = 0x002F
SST = 0x00FC
CONTINUE = 0x003C
LABELSST = 0x00FD
LABEL = 0x0204
RSTRING = 0x00D6
STRING = 0x0207
NUMBER = 0x0203
RK = 0x027E
BOOLERR = 0x0205
MULRK = 0x00BD
FORMULA = 0x0006
ROW = 0x0208
MERGEDCELLS = 0x00E5
SUPBOOK = 0x01AE
SELF_REFERENCE = (0x0401, 0x3A01)  # SUPBOOK cch for this workbook and for add-ins
MAX_STRING = 0xFFFF


class BiffError(Exception):
    """The record stream is inconsistent."""


@dataclass
class BiffFacts:
    """What the walk found: per-sheet facts (by name) and workbook-level flags."""

    book: BookFacts
    encrypted: bool = False


def scan_workbook_stream(stream: bytes, limits: Limits) -> BiffFacts:
    """Walk every record once; raise BiffError on a record that runs past the stream."""
    walk = _Walk(limits)
    pos, size = 0, len(stream)
    while pos + 4 <= size:
        rtype, rlen = struct.unpack_from("<HH", stream, pos)
        start = pos
        data = stream[pos + 4 : pos + 4 + rlen]
        pos += 4 + rlen
        if len(data) < rlen:
            raise BiffError("registro incompleto")
        if not walk.record(rtype, data, start):
            break
    return walk.result


CELLS = (LABELSST, NUMBER, RK, BOOLERR, FORMULA, LABEL, RSTRING)


@dataclass
class _Walk:
    """What the walk carries between records: sheet names by offset, the SST, the open sheet."""

    limits: Limits
    result: BiffFacts = field(default_factory=lambda: BiffFacts(BookFacts()))
    by_offset: dict[int, str] = field(default_factory=dict)
    shared: list[int] | None = None  # characters of each shared string, once the SST is read
    sst_bytes: int = 0
    sst_parts: list[bytes] = field(default_factory=list)
    in_sst: bool = False
    current: SheetFacts | None = None  # None: the workbook globals (or a chart) are being read
    total_chars: int = 0

    def record(self, rtype: int, data: bytes, start: int) -> bool:
        """Take one record; False when the walk can stop (a password, or text enough to refuse)."""
        if self.in_sst and rtype == CONTINUE:
            self.sst_parts.append(data)
            return True
        if self.in_sst:
            self.in_sst = False
            self.shared = _sst_lengths(self.sst_parts)
            self.sst_bytes = sum(map(len, self.sst_parts))
        if rtype == BOF:
            self._begin(data, start)
            return True
        if rtype == FILEPASS:
            self.result.encrypted = True
            return False
        if self.current is None:
            self._workbook_record(rtype, data)
            return True
        facts = self.current
        chars = self._sheet_record(facts, rtype, data)
        if facts.too_large(self.limits):
            return True  # refused on its own: its text does not count for the file
        facts.chars += chars
        self.total_chars += chars
        return self.total_chars <= self.limits.file_chars

    def _begin(self, data: bytes, start: int) -> None:
        """A BOF opens the globals, a sheet (named by its BOUNDSHEET offset) or a chart."""
        book = self.result.book
        kind = struct.unpack_from("<H", data, 2)[0] if len(data) >= 4 else 0
        if kind == 0x0005:
            self.current = None
        else:
            name = self.by_offset.get(start, f"Hoja{len(book.sheets) + 1}")
            self.current = book.sheets.setdefault(name, SheetFacts())

    def _workbook_record(self, rtype: int, data: bytes) -> None:
        book = self.result.book
        rlen = len(data)
        if rtype == BOUNDSHEET and rlen >= 8:
            offset, state, _kind = struct.unpack_from("<IBB", data, 0)
            name = _short_string(data, 6)
            self.by_offset[offset] = name
            if state:
                book.hidden_sheets.add(name)
        elif rtype == SST:
            self.sst_parts = [data[8:]]
            self.in_sst = True
        elif rtype == SUPBOOK and rlen >= 4:
            cch = struct.unpack_from("<H", data, 2)[0]
            if cch not in SELF_REFERENCE:
                book.external_links.append(_long_string(data, 2) or "otro libro")

    def _sheet_record(self, facts: SheetFacts, rtype: int, data: bytes) -> int:
        """Count one sheet record into ``facts``; the characters of text it makes calamine copy."""
        rlen = len(data)
        if rtype in CELLS and rlen >= 4:
            return self._cell_record(facts, rtype, data)
        if rtype == STRING:
            return rlen  # a formula's text result
        if rtype == MULRK and rlen >= 6:
            row, first = struct.unpack_from("<HH", data, 0)
            last = struct.unpack_from("<H", data, rlen - 2)[0]
            if last >= first:
                _cell(facts, row, last, last - first + 1)
        elif rtype == ROW and rlen >= 16:
            row = struct.unpack_from("<H", data, 0)[0]
            flags = struct.unpack_from("<H", data, 12)[0]
            if flags & 0x20:
                facts.hidden_rows.append(row + 1)
        elif rtype == MERGEDCELLS and rlen >= 2:
            facts.merged += struct.unpack_from("<H", data, 0)[0]
        return 0

    def _cell_record(self, facts: SheetFacts, rtype: int, data: bytes) -> int:
        rlen = len(data)
        row, col = struct.unpack_from("<HH", data, 0)
        _cell(facts, row, col, 1)
        if rtype == LABELSST and rlen >= 10:
            index = struct.unpack_from("<I", data, 6)[0]
            if self.shared is not None:
                return self.shared[index] if index < len(self.shared) else 0
            return min(MAX_STRING, self.sst_bytes)
        if rtype in (LABEL, RSTRING):
            return rlen
        if rtype == FORMULA:
            facts.formulas += 1
        return 0


def _cell(facts: SheetFacts, row: int, col: int, count: int) -> None:
    facts.cells += count
    facts.rows = max(facts.rows, row + 1)
    facts.columns = max(facts.columns, col + 1)


def _short_string(data: bytes, offset: int) -> str:
    """ShortXLUnicodeString: 1-byte length, flags, characters."""
    if len(data) < offset + 2:
        return ""
    cch, flags = data[offset], data[offset + 1]
    raw = data[offset + 2 :]
    if flags & 0x01:
        return raw[: 2 * cch].decode("utf-16-le", "replace")
    return raw[:cch].decode("latin-1")


def _long_string(data: bytes, offset: int) -> str:
    """XLUnicodeString: 2-byte length, flags, characters (control bytes dropped)."""
    if len(data) < offset + 3:
        return ""
    cch = struct.unpack_from("<H", data, offset)[0]
    flags = data[offset + 2]
    raw = data[offset + 3 :]
    text = (
        raw[: 2 * cch].decode("utf-16-le", "replace")
        if flags & 0x01
        else raw[:cch].decode("latin-1")
    )
    return "".join(ch if ch >= " " else "/" for ch in text).strip("/")


def _sst_lengths(parts: list[bytes]) -> list[int] | None:
    """Characters of each shared string; None when the table cannot be walked.

    A string may continue in the next CONTINUE record, which then starts with a new flags
    byte; rich-text runs and phonetic data may be split anywhere.
    """
    if not parts or len(parts[0]) < 0:
        return None
    try:
        return _walk_sst(parts)
    except (IndexError, struct.error, BiffError):
        return None


def _walk_sst(parts: list[bytes]) -> list[int]:
    lengths: list[int] = []
    seg, pos = 0, 0
    data = parts[0]
    while True:
        if pos >= len(data):
            seg += 1
            if seg >= len(parts):
                return lengths
            data, pos = parts[seg], 0
            continue
        if pos + 3 > len(data):
            raise BiffError("cabecera de texto partida")
        cch = struct.unpack_from("<H", data, pos)[0]
        flags = data[pos + 2]
        pos += 3
        runs = ext = 0
        if flags & 0x08:
            runs = struct.unpack_from("<H", data, pos)[0]
            pos += 2
        if flags & 0x04:
            ext = struct.unpack_from("<I", data, pos)[0]
            pos += 4
        got = 0
        wide = flags & 0x01
        while got < cch:
            width = 2 if wide else 1
            avail = min((len(data) - pos) // width, cch - got)
            pos += avail * width
            got += avail
            if got < cch:
                seg += 1
                if seg >= len(parts):
                    raise BiffError("texto cortado")
                data = parts[seg]
                wide = data[0] & 0x01
                pos = 1
        lengths.append(cch)
        skip = 4 * runs + ext
        while skip:
            step = min(skip, len(data) - pos)
            pos += step
            skip -= step
            if skip:
                seg += 1
                if seg >= len(parts):
                    raise BiffError("datos de formato cortados")
                data, pos = parts[seg], 0
