"""Builders for the bad and hostile inputs of the hostile-input table (README «Problemas que se informan»), made at test time (nothing stored).

Each builder writes one file the way the tool or attack that makes it in the wild does: raw zip
members for bombs and lying headers, a minimal BIFF8 workbook inside a compound file for .xls,
hand-written ODS, HTML, CSV and SpreadsheetML for the "Excel" exports of information systems.
``Sandbox`` runs ``read_file`` in a child process with a memory limit, so a regression that
lets a bomb through fails a test instead of exhausting the machine.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import random
import struct
import subprocess
import sys
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import openpyxl
import xlsxwriter

ROOT = Path(__file__).resolve().parent.parent
SEED_SAMPLE = ROOT / "samples" / "seguimiento_paac_gobernacion_putumayo_2020.xlsx"
SEED_ACTIVITIES = 19

# Zip packages ----------------------------------------------------------------------------

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
REL_NS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
DTD_LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    + "]>"
)


def workbook_xml(
    sheets: Sequence[tuple[str, str]] = (("Hoja1", "visible"),), calc: str = ""
) -> str:
    entries = "".join(
        f'<sheet name="{escape(name)}" sheetId="{i}" state="{state}" r:id="rId{i}"/>'
        for i, (name, state) in enumerate(sheets, start=1)
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<workbook {NS} {REL_NS}><sheets>{entries}'
        f"</sheets>{calc}</workbook>"
    )


def workbook_rels(n_sheets: int = 1, extra: str = "") -> str:
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        f'relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, n_sheets + 1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<Relationships xmlns="http://schemas.'
        f'openxmlformats.org/package/2006/relationships">{rels}{extra}</Relationships>'
    )


def sheet_xml(rows: str, *, before: str = "", after: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<worksheet {NS} {REL_NS}>{before}'
        f"<sheetData>{rows}</sheetData>{after}</worksheet>"
    )


def sst_xml(strings: Sequence[str], prolog: str = "") -> str:
    items = "".join(f'<si><t xml:space="preserve">{escape(s)}</t></si>' for s in strings)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n{prolog}<sst {NS} count="{len(strings)}" '
        f'uniqueCount="{len(strings)}">{items}</sst>'
    )


def rows_xml(rows: Sequence[Sequence[object]]) -> str:
    """Rows as inline-string cells: nothing in between cuts or converts the text."""
    return "".join(
        f'<row r="{r}">'
        + "".join(
            inline(f"{_letters(c)}{r}", str(v)) for c, v in enumerate(row) if v not in ("", None)
        )
        + "</row>"
        for r, row in enumerate(rows, start=1)
    )


def _letters(col: int) -> str:
    out = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'


def package(
    path: Path,
    sheets: Sequence[str],
    *,
    names: Sequence[tuple[str, str]] | None = None,
    shared: str | None = None,
    calc: str = "",
    extra: dict[str, bytes | str] | None = None,
    rels_extra: str = "",
    content_types: bool = True,
) -> Path:
    """A minimal .xlsx (no styles): what generators that skip optional parts write."""
    names = names or [(f"Hoja{i}", "visible") for i in range(1, len(sheets) + 1)]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        if content_types:
            archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", workbook_xml(names, calc))
        archive.writestr("xl/_rels/workbook.xml.rels", workbook_rels(len(sheets), rels_extra))
        for i, sheet in enumerate(sheets, start=1):
            archive.writestr(f"xl/worksheets/sheet{i}.xml", sheet)
        if shared is not None:
            archive.writestr("xl/sharedStrings.xml", shared)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return path


@dataclass
class RawMember:
    """A zip member written byte for byte: lets a test lie about sizes or ship a bomb."""

    name: str
    data: bytes  # as stored (compressed when method is 8)
    crc: int
    size: int  # declared uncompressed size
    method: int = zipfile.ZIP_DEFLATED


def raw_zip(path: Path, members: Sequence[RawMember]) -> Path:
    """Write local headers, data and central directory by hand (no ZIP64: members < 4 GiB)."""
    out = io.BytesIO()
    central = io.BytesIO()
    for m in members:
        offset = out.tell()
        name = m.name.encode()
        sizes = (m.crc, len(m.data), m.size, len(name))
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, m.method, 0, 0x21, *sizes, 0))
        out.write(name + m.data)
        head = struct.pack("<IHHHHHH", 0x02014B50, 20, 20, 0, m.method, 0, 0x21)
        central.write(head + struct.pack("<IIIHHHHHII", *sizes, 0, 0, 0, 0, 0, offset) + name)
    cd = central.getvalue()
    start = out.tell()
    out.write(cd)
    n = len(members)
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, n, n, len(cd), start, 0))
    path.write_bytes(out.getvalue())
    return path


def deflated(data: bytes) -> RawMember:
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return RawMember("", c.compress(data) + c.flush(), zlib.crc32(data), len(data))


def repeated_deflate(
    prefix: bytes, chunk: bytes, copies: int, suffix: bytes
) -> tuple[bytes, int, int]:
    """Deflate ``prefix + chunk * copies + suffix`` without building it: bombs in milliseconds.

    After a sync flush the compressor's window is the chunk's tail, so every later copy of
    the chunk compresses to the same bytes; the CRC is still computed over every byte.
    """
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    parts = [c.compress(prefix + chunk) + c.flush(zlib.Z_SYNC_FLUSH)]
    again = c.compress(chunk) + c.flush(zlib.Z_SYNC_FLUSH)
    third = c.compress(chunk) + c.flush(zlib.Z_SYNC_FLUSH)
    assert again == third, "deflate output of a repeated chunk is not stable"
    parts.append(again * (copies - 2))
    parts.append(c.compress(suffix) + c.flush())
    crc = zlib.crc32(prefix)
    for _ in range(copies):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(suffix, crc)
    return b"".join(parts), crc, len(prefix) + len(chunk) * copies + len(suffix)


def bomb_package(
    path: Path,
    part: str,
    prefix: str,
    chunk: bytes,
    copies: int,
    suffix: str,
    *,
    declared: int | None = None,
) -> Path:
    """A valid-looking .xlsx whose ``part`` inflates to ``chunk * copies`` (plus markup)."""
    data, crc, size = repeated_deflate(prefix.encode(), chunk, copies, suffix.encode())
    members = [
        _raw("[Content_Types].xml", CONTENT_TYPES),
        _raw("_rels/.rels", ROOT_RELS),
        _raw("xl/workbook.xml", workbook_xml()),
        _raw("xl/_rels/workbook.xml.rels", workbook_rels()),
    ]
    if part != "xl/worksheets/sheet1.xml":
        members.append(
            _raw(
                "xl/worksheets/sheet1.xml",
                sheet_xml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'),
            )
        )
    members.append(RawMember(part, data, crc, declared if declared is not None else size))
    return raw_zip(path, members)


def _raw(name: str, text: str) -> RawMember:
    member = deflated(text.encode())
    member.name = name
    return member


# Compound files and BIFF8 ------------------------------------------------------------------

SECTOR = 512
END = 0xFFFFFFFE
FREE = 0xFFFFFFFF
FATSECT = 0xFFFFFFFD


def compound_file(streams: dict[str, bytes]) -> bytes:
    """A version-3 compound file holding ``streams`` at the root, none in the mini stream."""
    padded = {n: d if len(d) >= 4096 else d + b"\0" * (4096 - len(d)) for n, d in streams.items()}
    sizes = {n: len(d) for n, d in padded.items()}
    stream_sectors = {n: -(-len(d) // SECTOR) for n, d in padded.items()}
    n_entries = 1 + len(streams)
    dir_sectors = -(-n_entries * 128 // SECTOR)
    data_sectors = dir_sectors + sum(stream_sectors.values())
    n_fat = 1
    while n_fat * (SECTOR // 4) < n_fat + data_sectors:
        n_fat += 1
    fat = [FATSECT] * n_fat
    first_dir = len(fat)
    fat += [first_dir + i + 1 for i in range(dir_sectors - 1)] + [END]
    starts = {}
    for name, count in stream_sectors.items():
        start = len(fat)
        starts[name] = start
        fat += [start + i + 1 for i in range(count - 1)] + [END]
    fat += [FREE] * (n_fat * (SECTOR // 4) - len(fat))
    entries = [_dir_entry("Root Entry", 5, END, 0, child=1 if streams else FREE, right=FREE)]
    names = list(streams)
    for i, name in enumerate(names):
        right = i + 2 if i + 1 < len(names) else FREE
        entries.append(
            _dir_entry(
                name,
                2,
                starts[name],
                len(streams[name]) if len(streams[name]) >= 4096 else sizes[name],
                child=FREE,
                right=right,
            )
        )
    directory = b"".join(entries).ljust(dir_sectors * SECTOR, b"\0")
    difat = list(range(n_fat)) + [FREE] * (109 - n_fat)
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack("<IIIIIIIII", 0, n_fat, first_dir, 0, 4096, END, 0, END, 0)
        + struct.pack("<109I", *difat)
    )
    assert len(header) == SECTOR
    body = struct.pack(f"<{len(fat)}I", *fat) + directory
    body += b"".join(d.ljust(stream_sectors[n] * SECTOR, b"\0") for n, d in padded.items())
    return header.ljust(SECTOR, b"\0") + body


def _dir_entry(name: str, kind: int, start: int, size: int, *, child: int, right: int) -> bytes:
    encoded = name.encode("utf-16-le") + b"\0\0"
    return (
        encoded.ljust(64, b"\0")
        + struct.pack("<HBB", len(encoded), kind, 1)
        + struct.pack("<III", FREE, right, child)
        + b"\0" * 16
        + b"\0" * 4
        + b"\0" * 16
        + struct.pack("<IQ", start, size)
    )


def _record(rtype: int, data: bytes = b"") -> bytes:
    return struct.pack("<HH", rtype, len(data)) + data


def _unicode(text: str) -> bytes:
    """XLUnicodeString without the length: flags byte + UTF-16 characters."""
    return b"\x01" + text.encode("utf-16-le")


@dataclass
class BiffSheet:
    name: str
    rows: Sequence[Sequence[object]]
    hidden: bool = False
    hidden_rows: Sequence[int] = ()  # 1-based
    repeat_cells: int = 0  # extra LABELSST copies of string 0 (amplification)


def biff_workbook(sheets: Sequence[BiffSheet], *, encrypted: bool = False) -> bytes:
    """A minimal BIFF8 ``Workbook`` stream: globals (SST, BOUNDSHEETs) and one substream per sheet."""
    strings: list[str] = []
    index: dict[str, int] = {}
    for sheet in sheets:
        for row in sheet.rows:
            for v in row:
                if isinstance(v, str) and v not in index:
                    index[v] = len(strings)
                    strings.append(v)
    bof_globals = _record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 0x06))
    sst = _sst(strings)
    xf = _record(0x00E0, struct.pack("<HHHBBBBIIH", 0, 0, 0xFFF5, 0x20, 0, 0, 0, 0, 0, 0x20C0))
    xfs = xf * 16 + _record(
        0x00E0, struct.pack("<HHHBBBBIIH", 0, 0, 0x0001, 0x20, 0, 0, 0, 0, 0, 0x20C0)
    )
    font = _record(
        0x0031,
        struct.pack("<HHHHHBBBB", 200, 0, 0x7FFF, 400, 0, 0, 0, 0, 0)
        + b"\x05\x01"
        + "Arial".encode("utf-16-le"),
    )
    head = bof_globals + (_record(0x002F, b"\x01\x00" + b"\0" * 52) if encrypted else b"")
    head += _record(0x0042, struct.pack("<H", 1200)) + font * 5 + xfs
    pad = _record(0x005C, b"\x00\x00\x00" + b" " * 109) * 40  # keeps the stream past 4,096 bytes
    names = [
        _record(
            0x0085,
            struct.pack("<IBB", 0, 1 if s.hidden else 0, 0)
            + bytes([len(s.name)])
            + _unicode(s.name),
        )
        for s in sheets
    ]
    globals_len = len(head) + len(pad) + sum(map(len, names)) + len(sst) + 4
    bodies = [_sheet_stream(s, index) for s in sheets]
    offsets = []
    pos = globals_len
    for body in bodies:
        offsets.append(pos)
        pos += len(body)
    names = [
        _record(
            0x0085,
            struct.pack("<IBB", off, 1 if s.hidden else 0, 0)
            + bytes([len(s.name)])
            + _unicode(s.name),
        )
        for off, s in zip(offsets, sheets, strict=True)
    ]
    return head + pad + b"".join(names) + sst + _record(0x000A) + b"".join(bodies)


def _sst(strings: Sequence[str]) -> bytes:
    """SST with CONTINUE records when it passes 8,224 bytes (long strings split as Excel does)."""
    body = struct.pack("<II", len(strings), len(strings))
    records: list[bytes] = []
    limit = 8224
    current = bytearray(body)
    for text in strings:
        raw = text.encode("utf-16-le")
        header = struct.pack("<HB", len(text), 1)
        if len(current) + len(header) + 2 > limit:
            records.append(bytes(current))
            current = bytearray()
        current += header
        while raw:
            room = (limit - len(current)) // 2 * 2
            if room <= 0:
                records.append(bytes(current))
                current = bytearray(b"\x01")
                continue
            current += raw[:room]
            raw = raw[room:]
            if raw:
                records.append(bytes(current))
                current = bytearray(b"\x01")
    records.append(bytes(current))
    out = _record(0x00FC, records[0])
    for extra in records[1:]:
        out += _record(0x003C, extra)
    return out


def _sheet_stream(sheet: BiffSheet, index: dict[str, int]) -> bytes:
    out = [_record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0010, 0x0DBB, 0x07CC, 0, 0x06))]
    width = max((len(r) for r in sheet.rows), default=0)
    last_row = len(sheet.rows) + sheet.repeat_cells // 200
    out.append(_record(0x0200, struct.pack("<IIHHH", 0, last_row + 1, 0, max(width, 1), 0)))
    for r, row in enumerate(sheet.rows):
        flags = 0x0100 | (0x20 if r + 1 in sheet.hidden_rows else 0)
        out.append(
            _record(
                0x0208, struct.pack("<HHHHHHHH", r, 0, max(len(row), 1), 0xFF, 0, 0, flags, 0x0F)
            )
        )
    for r, row in enumerate(sheet.rows):
        for c, value in enumerate(row):
            if isinstance(value, str):
                out.append(_record(0x00FD, struct.pack("<HHHI", r, c, 16, index[value])))
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                out.append(_record(0x0203, struct.pack("<HHHd", r, c, 16, float(value))))
    base = len(sheet.rows)
    out.extend(
        _record(0x00FD, struct.pack("<HHHI", base + k // 200, k % 200, 16, 0))
        for k in range(sheet.repeat_cells)
    )
    out.append(_record(0x000A))
    return b"".join(out)


def xls_file(
    path: Path, sheets: Sequence[BiffSheet], *, encrypted: bool = False, vba: bool = False
) -> Path:
    streams = {"Workbook": biff_workbook(sheets, encrypted=encrypted)}
    if vba:
        streams["_VBA_PROJECT_CUR"] = b"\0" * 4096
    path.write_bytes(compound_file(streams))
    return path


def encrypted_ooxml(path: Path) -> Path:
    """What Excel writes for a password-protected workbook: a compound file, not a zip."""
    info = struct.pack("<HHI", 4, 4, 0x40) + b'<?xml version="1.0"?><encryption/>'
    path.write_bytes(compound_file({"EncryptionInfo": info, "EncryptedPackage": os.urandom(8192)}))
    return path


# The seed as other formats -----------------------------------------------------------------


def seed_rows() -> list[list[object]]:
    """The seed's cells as a person sees them: dates day-first, progress as '33%'."""
    from python_calamine import CalamineWorkbook

    rows = (
        CalamineWorkbook.from_path(str(SEED_SAMPLE))
        .get_sheet_by_index(0)
        .to_python(skip_empty_area=False)
    )
    progress_col = next(i for i, v in enumerate(rows[7]) if "AVANCE" in str(v))
    out: list[list[object]] = []
    for r, row in enumerate(rows):
        cells: list[object] = []
        for c, v in enumerate(row):
            if isinstance(v, (dt.date, dt.datetime)):
                cells.append(v.strftime("%d/%m/%Y"))
            elif isinstance(v, float) and c == progress_col and r > 7:
                cells.append(f"{v:.0%}")
            elif isinstance(v, float):
                cells.append(str(int(v)) if v.is_integer() else str(v))
            else:
                cells.append(v)
        out.append(cells)
    return out


def html_table(rows: Sequence[Sequence[object]], *, charset: str = "utf-8") -> str:
    body = "".join(
        "<tr>"
        + "".join(f"<td>{escape(str(v))}</td>" if v not in ("", None) else "<td></td>" for v in row)
        + "</tr>\n"
        for row in rows
    )
    return (
        f'<html xmlns:x="urn:schemas-microsoft-com:office:excel"><head><meta http-equiv="Content-Type" '
        f'content="text/html; charset={charset}"><title>Reporte</title></head><body>\n'
        f'<table border="1">\n{body}</table></body></html>'
    )


def delimited(rows: Sequence[Sequence[object]], delimiter: str) -> str:
    out = io.StringIO()
    import csv

    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return out.getvalue()


def spreadsheetml(rows: Sequence[Sequence[object]], *, hidden_rows: Sequence[int] = ()) -> str:
    body = []
    for r, row in enumerate(rows, start=1):
        hidden = ' ss:Hidden="1"' if r in hidden_rows else ""
        cells = "".join(
            f'<Cell ss:Index="{c}"><Data ss:Type="String">{escape(str(v))}</Data></Cell>'
            for c, v in enumerate(row, start=1)
            if v not in ("", None)
        )
        body.append(f'<Row ss:Index="{r}"{hidden}>{cells}</Row>')
    return (
        '<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
        '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
        'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">'
        f'<Worksheet ss:Name="Seguimiento"><Table>{"".join(body)}</Table></Worksheet></Workbook>'
    )


# ODS ---------------------------------------------------------------------------------------

ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)


def ods_file(path: Path, body: str, *, prolog: str = "") -> Path:
    """An .ods with ``body`` inside <office:spreadsheet>; LibreOffice-style repeats allowed."""
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n{prolog}<office:document-content {ODS_NS} '
        f'office:version="1.2"><office:body><office:spreadsheet>{body}</office:spreadsheet>'
        "</office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<manifest:manifest xmlns:manifest="urn:oasis:'
        'names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry '
        'manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.'
        'spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" '
        'manifest:media-type="text/xml"/></manifest:manifest>'
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED
        )
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return path


def ods_rows(
    rows: Sequence[Sequence[object]], *, name: str = "Hoja1", trailing: bool = True
) -> str:
    out = [f'<table:table table:name="{escape(name)}">']
    for row in rows:
        cells = []
        for v in row:
            if v in ("", None):
                cells.append("<table:table-cell/>")
            else:
                cells.append(
                    f'<table:table-cell office:value-type="string"><text:p>{escape(str(v))}</text:p></table:table-cell>'
                )
        if trailing:
            cells.append('<table:table-cell table:number-columns-repeated="16370"/>')
        out.append("<table:table-row>" + "".join(cells) + "</table:table-row>")
    if trailing:
        out.append(
            '<table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>'
        )
    out.append("</table:table>")
    return "".join(out)


# Other writers ---------------------------------------------------------------------------


def xlsxwriter_book(
    path: Path, rows: Sequence[Sequence[object]], *, formulas: dict[str, str] | None = None
) -> Path:
    workbook = xlsxwriter.Workbook(
        str(path), {"strings_to_formulas": False, "strings_to_urls": False}
    )
    ws = workbook.add_worksheet("Seguimiento")
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if v not in ("", None):
                ws.write(r, c, v)
    for ref, formula in (formulas or {}).items():
        ws.write_formula(ref, formula)
    workbook.close()
    return path


def openpyxl_book(path: Path, rows: Sequence[Sequence[object]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Seguimiento"
    for row in rows:
        ws.append(list(row))
    wb.save(path)
    return path


def low_ratio_text(n: int, seed: int = 1) -> str:
    """Text that compresses about as badly as real prose (about 1.6:1)."""
    rng = random.Random(seed)
    alphabet = "abcdefghijklmnopqrstuvwxyzáéíóúñ ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,;"
    return "".join(rng.choices(alphabet, k=n))


# Running the reader in a limited child ------------------------------------------------------

_WORKER = r"""
import json, os, resource, select, sys, time, warnings
warnings.simplefilter("ignore")
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from pac_excel.read.sheets import InputFile, Settle, read_file
NO_WAIT = Settle(seconds=0.0, sleep=lambda _s: None)

def vm_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")

def rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

for line in sys.stdin:
    job = json.loads(line)
    rfd, wfd = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(rfd)
        import zipfile
        import python_calamine

        # The work done, counted instead of timed: bytes inflated out of the zip package and
        # calls into the parser.
        work = {"inflated_bytes": 0, "calamine_calls": 0}
        real_read = zipfile.ZipExtFile.read
        real_open = python_calamine.CalamineWorkbook.from_filelike

        def counting_read(self, n=-1):
            data = real_read(self, n)
            work["inflated_bytes"] += len(data)
            return data

        def counting_open(*args, **kwargs):
            work["calamine_calls"] += 1
            if job.get("block_parser"):
                raise AssertionError("calamine was given a hostile file")
            return real_open(*args, **kwargs)

        zipfile.ZipExtFile.read = counting_read
        python_calamine.CalamineWorkbook.from_filelike = counting_open
        limit = vm_bytes() + job["mem_mib"] * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        base = rss_bytes()
        out = {"base_mib": base / 2**20}
        try:
            problems = []
            path = Path(job["path"])
            sheets = read_file(InputFile(path, path.name), problems, settle=NO_WAIT)
            out.update(
                codes=[p.code for p in problems],
                severities=[p.severity.value for p in problems],
                messages=[p.message for p in problems],
                sheets=[[s.sheet, len(s.rows), max((len(r) for r in s.rows), default=0)] for s in sheets],
            )
        except BaseException as exc:
            out["escaped"] = f"{type(exc).__name__}: {exc}"[:500]
        out.update(work)
        os.write(wfd, json.dumps(out).encode())
        os.close(wfd)
        os._exit(0)
    os.close(wfd)
    deadline = time.time() + job["timeout"]
    chunks = []
    while True:
        remaining = deadline - time.time()
        if remaining <= 0:
            os.kill(pid, 9)
            break
        ready, _, _ = select.select([rfd], [], [], remaining)
        if not ready:
            continue
        data = os.read(rfd, 1 << 16)
        if not data:
            break
        chunks.append(data)
    os.close(rfd)
    _, status, usage = os.wait4(pid, 0)
    result = json.loads(b"".join(chunks) or b"{}")
    result["peak_mib"] = usage.ru_maxrss / 1024
    if os.WIFSIGNALED(status):
        result["signal"] = os.WTERMSIG(status)
    elif os.WEXITSTATUS(status):
        result["exit"] = os.WEXITSTATUS(status)
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()
"""


@dataclass
class Outcome:
    """What ``read_file`` did with one file in the limited child."""

    codes: list[str]
    severities: list[str]
    messages: list[str]
    sheets: list[list[Any]]
    peak_mib: float
    base_mib: float
    inflated_bytes: int = 0  # taken out of the zip package, all members together
    calamine_calls: int = 0  # workbooks handed to the parser
    escaped: str | None = None
    signal: int | None = None  # 9 when the hang guard (``timeout``) killed the read
    exit: int | None = None

    @property
    def growth_mib(self) -> float:
        return self.peak_mib - self.base_mib

    @property
    def inflated_mib(self) -> float:
        return self.inflated_bytes / 2**20


class Sandbox:
    """One worker process with pac_excel imported; each file is read in a fresh fork of it with
    an address-space limit (``RLIMIT_AS``). Linux only."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _WORKER, str(ROOT)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONWARNINGS": "ignore"},
        )

    def read(
        self, path: Path, *, mem_mib: int = 1024, timeout: float = 300.0, block_parser: bool = False
    ) -> Outcome:
        """Read ``path`` in a fresh limited fork; ``block_parser`` makes any calamine call fail.

        ``timeout`` is a hang guard, not a speed bar: a read still running after it is killed
        (``signal`` 9), so a regression fails instead of stalling the suite. How much work a
        read did is in ``inflated_bytes``, ``calamine_calls`` and ``growth_mib``.
        """
        assert self.proc.stdin is not None and self.proc.stdout is not None
        job = {
            "path": str(path),
            "mem_mib": mem_mib,
            "timeout": timeout,
            "block_parser": block_parser,
        }
        self.proc.stdin.write(json.dumps(job) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("the sandbox worker died")
        data = json.loads(line)
        defaults = {
            "codes": [],
            "severities": [],
            "messages": [],
            "sheets": [],
            "base_mib": 0.0,
        }
        return Outcome(**{**defaults, **data})

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        if self.proc.stdout:
            self.proc.stdout.close()


def sandbox_available() -> bool:
    return sys.platform.startswith("linux") and Path("/proc/self/statm").exists()
