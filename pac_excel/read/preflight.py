"""preflight: decide what a file really is and whether it is safe to parse, before any parser runs.

The content decides, never the extension: zip packages (.xlsx/.xlsm/.ods), OLE compound files
(.xls, or an Office file with a password) and text that information systems save with an .xls
name (HTML, CSV/TSV, Excel 2003 XML). A zip package is checked from its directory first
(member count, declared sizes, compression ratio, duplicate names), then every member is read
once: that pass verifies each CRC, refuses any DTD and hands the sheets to the scans that count
what calamine would build. A hostile file is refused here in well
under a second, without calamine ever seeing it.
"""

from __future__ import annotations

import io
import itertools
import os
import posixpath
import re
import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from pac_excel.read.facts import EXCEL_ROWS, LIMITS, BookFacts, Limits, Refused, SheetFacts, num
from pac_excel.read.formats import ods as ods_scan
from pac_excel.read.formats import xls as biff_scan
from pac_excel.read.formats import xlsx as ooxml_scan
from pac_excel.read.formats.cfb import MAGIC as OLE_MAGIC
from pac_excel.read.formats.cfb import CfbError, CompoundFile
from pac_excel.read.formats.xlsx_links import rels_part, sheet_links
from pac_excel.read.xml_guard import check_prolog, decode_utf16

ZIP_MAGIC = b"PK\x03\x04"
ZIP_EMPTY = b"PK\x05\x06"
HEAD_BYTES = 64 * 1024
CHUNK = 1 << 20

INCOMPLETE = (
    "archivo-incompleto",
    (
        "El archivo está incompleto o dañado (¿se copió o descargó a medias?): vuelva a "
        "copiarlo o pida que lo envíen de nuevo."
    ),
)
PASSWORD = (
    "protegido-con-contrasena",
    "El archivo está protegido con contraseña: guárdelo sin contraseña y vuelva a ejecutar.",
)


@dataclass
class Inspection:
    """What the file is (``kind``), what the scans found, and the bytes that were checked."""

    kind: str  # xlsx | ods | xls | html | delimited | xml2003
    facts: BookFacts = field(default_factory=BookFacts)
    data: bytes = b""


def refuse(code: str, message: str) -> Refused:
    return Refused(code, message)


def mib(n: int) -> str:
    return f"{num(round(n / 2**20))} MiB"


def inspect(path: Path, limits: Limits = LIMITS) -> Inspection:
    """Classify ``path`` by content and scan it; raise Refused with a Spanish message.

    The file is read once: ``Inspection.data`` holds the very bytes that were checked, and
    the parser gets those, so a file replaced in between is never parsed unchecked.
    """
    data = b""
    try:
        # Non-blocking, so a FIFO swapped in after the listing cannot hang the run.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise refuse(
                    "entrada-no-leida",
                    "No es un archivo normal (tubería, dispositivo o socket): no se abrió.",
                )
            size = info.st_size
            head = handle.read(HEAD_BYTES)
            if 0 < size <= limits.file_bytes:
                handle.seek(0)
                data = handle.read(limits.file_bytes + 1)
    except OSError as exc:
        raise refuse(
            "archivo-ilegible",
            f"No se pudo abrir el archivo ({exc.strerror or exc}): ciérrelo si está abierto en "
            "otro programa o revise los permisos, y vuelva a ejecutar.",
        ) from exc
    if not head:
        raise refuse("archivo-vacio", "El archivo está vacío (0 bytes): vuelva a copiarlo.")
    if size > limits.file_bytes:
        raise refuse(
            "archivo-demasiado-grande",
            f"El archivo ocupa {mib(size)} y pac-excel lee archivos de hasta "
            f"{mib(limits.file_bytes)}: un seguimiento del PAAC ocupa mucho menos. Revise que "
            "sea el archivo correcto o quítele imágenes y hojas que no sean del plan.",
        )
    if len(data) > limits.file_bytes:  # grew while being read
        raise refuse(*INCOMPLETE)
    try:
        if head.startswith((ZIP_MAGIC, ZIP_EMPTY)):
            return _inspect_zip(data, limits)
        if head.startswith(OLE_MAGIC):
            return _inspect_ole(data, limits)
        return Inspection(_text_kind(head), data=data)
    except Refused:
        raise
    except Exception as exc:  # a container damaged in a way no check above names
        raise refuse(
            "archivo-danado",
            f"No se pudo leer el archivo ({type(exc).__name__}): está dañado. Pida que lo envíen "
            "de nuevo o ábralo en Excel y guárdelo como .xlsx.",
        ) from exc


# Text that pretends to be a workbook --------------------------------------------------------

_HTML = re.compile(rb"<(?:!doctype\s+html|html|table|body|head|meta)\b", re.IGNORECASE)
_SPREADSHEET_2003 = b"urn:schemas-microsoft-com:office:spreadsheet"
# A C0 control in OOXML text is escaped as _x0007_ (or, illegally, written as the byte).
_CONTROL_RAW = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
_CONTROL_ESCAPED = re.compile(rb"_x00(?:0[0-8BCEF]|1[0-9A-F]|7F)_", re.IGNORECASE)
_SST_ROOT = re.compile(rb"\s*(?:<\?xml[^>]*>)?\s*<(?:\w+:)?sst\b")


def _text_kind(head: bytes) -> str:
    text = decode_utf16(head)
    if text.startswith(b"\xef\xbb\xbf"):
        text = text[3:]
    stripped = text.lstrip()
    if stripped[:40].lower().startswith(b"mime-version:"):
        raise refuse(
            "no-es-hoja-de-calculo",
            "Es una página web de un solo archivo (.mht), no un libro: ábrala en Excel, "
            "guárdela como .xlsx y vuelva a ejecutar.",
        )
    if stripped.startswith(b"<"):
        if _SPREADSHEET_2003 in text and re.search(rb"<(?:\w+:)?Workbook\b", text):
            return "xml2003"
        if _HTML.search(text):
            return "html"
        raise refuse(
            "no-es-hoja-de-calculo",
            "Es un archivo XML que no es un libro de Excel ni de LibreOffice: guárdelo como "
            ".xlsx y vuelva a ejecutar.",
        )
    if _HTML.search(text[:4096]):
        return "html"
    sample = text[:8192]
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 13))
    if b"\0" in sample or controls > len(sample) // 100:
        raise refuse(
            "no-es-hoja-de-calculo",
            "No es un libro de Excel ni de LibreOffice: guárdelo como .xlsx y vuelva a ejecutar.",
        )
    return "delimited"


# OLE compound files ------------------------------------------------------------------------


def _inspect_ole(data: bytes, limits: Limits) -> Inspection:
    try:
        cfb = CompoundFile(data)
    except (CfbError, ValueError, IndexError, struct.error) as exc:
        if "EncryptedPackage".encode("utf-16-le") in data[: 1 << 20]:
            raise refuse(*PASSWORD) from exc  # a damaged container, but first of all locked
        raise refuse(*INCOMPLETE) from exc
    names = cfb.names()
    if "encryptedpackage" in names or "encryptioninfo" in names:
        raise refuse(*PASSWORD)
    entry = cfb.find("Workbook", "Book")
    if entry is None:
        what = "un documento de Word" if "worddocument" in names else "otro tipo de documento"
        if "powerpoint document" in names:
            what = "una presentación de PowerPoint"
        raise refuse(
            "no-es-hoja-de-calculo",
            f"Es {what}, no un libro de Excel: guárdelo como .xlsx y vuelva a ejecutar.",
        )
    try:
        stream = cfb.read(entry, limits.file_bytes)
        found = biff_scan.scan_workbook_stream(stream, limits)
    except (CfbError, biff_scan.BiffError, ValueError, IndexError, struct.error) as exc:
        raise refuse(*INCOMPLETE) from exc
    if found.encrypted:
        raise refuse(*PASSWORD)
    facts = found.book
    _check_sheets_budget(facts, limits)
    facts.macros = any(n.startswith("_vba_project") or n == "vba" for n in names)
    return Inspection("xls", facts, data)


# Zip packages ------------------------------------------------------------------------------


def _open_zip(data: bytes) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, EOFError, ValueError, OSError, NotImplementedError) as exc:
        raise refuse(*INCOMPLETE) from exc


def _inspect_zip(data: bytes, limits: Limits) -> Inspection:
    with _open_zip(data) as archive:
        infos = [i for i in archive.infolist() if not i.is_dir()]
        _check_directory(infos, limits)
        names = {i.filename.lower(): i for i in infos}
        kind = _package_kind(archive, names)
        parts = _read_members(archive, infos, limits)
    if kind == "ods":
        return Inspection("ods", _ods_facts(parts, names, limits), data)
    return Inspection("xlsx", _xlsx_facts(parts, names, limits), data)


def _check_directory(infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    """Refuse on the zip directory alone: it is read without inflating anything."""
    if len(infos) > limits.zip_members:
        raise refuse(
            "archivo-sospechoso",
            f"El archivo contiene {num(len(infos))} partes y un libro tiene unas decenas; no se "
            "leyó por seguridad. Pida que lo guarden de nuevo como .xlsx.",
        )
    seen: set[str] = set()
    total = 0
    for info in infos:
        key = info.filename.replace("\\", "/").lower()
        if key in seen:
            raise refuse(
                "archivo-sospechoso",
                f"El archivo contiene dos veces la parte «{info.filename}», algo que Excel "
                "nunca escribe y que puede engañar a un lector; no se leyó por seguridad. Pida "
                "que lo guarden de nuevo como .xlsx.",
            )
        seen.add(key)
        total += info.file_size
        if info.file_size > limits.zip_member_bytes or total > limits.zip_total_bytes:
            raise refuse(
                "archivo-sospechoso",
                f"Al descomprimirse, el archivo ocuparía más de {mib(limits.zip_total_bytes)} "
                f"(la parte «{info.filename}» declara {mib(info.file_size)}); es una «bomba» "
                "de compresión o un libro con demasiados datos, y no se leyó por seguridad.",
            )
        if info.file_size > limits.zip_ratio_from and info.file_size > limits.zip_ratio * max(
            info.compress_size, 1
        ):
            ratio = info.file_size // max(info.compress_size, 1)
            raise refuse(
                "archivo-sospechoso",
                f"La parte «{info.filename}» se comprime {num(ratio)} veces, mucho más que "
                "cualquier hoja real (una «bomba» de compresión); no se leyó por seguridad.",
            )


def _package_kind(archive: zipfile.ZipFile, names: dict[str, zipfile.ZipInfo]) -> str:
    if "mimetype" in names:
        try:
            mimetype = archive.read(names["mimetype"])[:100]
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, RuntimeError,
                NotImplementedError, struct.error):  # fmt: skip
            mimetype = b""  # damaged: the CRC pass below names the part
        if b"opendocument.spreadsheet" in mimetype:
            return "ods"
        if b"opendocument" in mimetype:
            raise refuse(
                "no-es-hoja-de-calculo",
                "Es un documento de LibreOffice que no es una hoja de cálculo: guárdelo como "
                ".ods o .xlsx y vuelva a ejecutar.",
            )
    if "content.xml" in names and "mimetype" in names:
        return "ods"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "xl/workbook.bin" in names:
        raise refuse(
            "formato-no-soportado",
            "Es un libro binario de Excel (.xlsb), que pac-excel no lee: ábralo en Excel, "
            "guárdelo como .xlsx y vuelva a ejecutar.",
        )
    if "word/document.xml" in names:
        raise refuse(
            "no-es-hoja-de-calculo",
            "Es un documento de Word, no un libro de Excel: copie la tabla a Excel, guárdela "
            "como .xlsx y vuelva a ejecutar.",
        )
    raise refuse(
        "no-es-hoja-de-calculo",
        "Es un archivo comprimido, no un libro de Excel: descomprímalo y consolide los libros "
        "que contiene.",
    )


def _read_members(
    archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], limits: Limits
) -> dict[str, bytes]:
    """Inflate every member once (zipfile checks each CRC); keep the XML ones, refusing DTDs."""
    kept: dict[str, bytes] = {}
    for info in infos:
        chunks: list[bytes] = []
        try:
            with archive.open(info) as member:
                head = member.read(limits.xml_prolog_bytes)
                xml = _looks_like_xml(head)
                if xml:
                    complete = len(head) < limits.xml_prolog_bytes
                    check_prolog(head, info.filename, complete, limits.xml_prolog_bytes)
                    chunks.append(head)
                while chunk := member.read(CHUNK):
                    if xml:
                        chunks.append(chunk)
        except zipfile.BadZipFile as exc:
            raise refuse(
                "archivo-danado",
                f"La parte «{info.filename}» del archivo está dañada (no coincide con su suma de "
                "verificación): pida que lo envíen de nuevo o ábralo en Excel y guárdelo como "
                ".xlsx.",
            ) from exc
        except (zlib.error, EOFError, OSError, ValueError, struct.error) as exc:
            raise refuse(
                "archivo-danado",
                f"La parte «{info.filename}» del archivo no se pudo descomprimir (dañada): pida "
                "que lo envíen de nuevo o ábralo en Excel y guárdelo como .xlsx.",
            ) from exc
        except (NotImplementedError, RuntimeError) as exc:
            raise refuse(
                "archivo-danado",
                f"La parte «{info.filename}» usa una compresión o un cifrado que Excel no usa: "
                "ábralo en Excel, guárdelo como .xlsx y vuelva a ejecutar.",
            ) from exc
        if xml:
            kept[info.filename.replace("\\", "/").lower()] = decode_utf16(b"".join(chunks))
    return kept


def _looks_like_xml(head: bytes) -> bool:
    text = decode_utf16(head[:512])
    if text.startswith(b"\xef\xbb\xbf"):
        text = text[3:]
    return text.lstrip()[:1] == b"<"


def _xlsx_facts(
    parts: dict[str, bytes], names: dict[str, zipfile.ZipInfo], limits: Limits
) -> BookFacts:
    facts = BookFacts()
    try:
        return _scan_xlsx(parts, names, limits, facts)
    except Refused:
        raise
    except Exception as exc:  # expat errors and friends: the XML is not well-formed
        raise refuse(
            "archivo-danado",
            "El libro tiene partes XML dañadas: ábralo en Excel, guárdelo de nuevo como .xlsx y "
            f"vuelva a ejecutar. ({type(exc).__name__})",
        ) from exc


def _scan_xlsx(
    parts: dict[str, bytes], names: dict[str, zipfile.ZipInfo], limits: Limits, facts: BookFacts
) -> BookFacts:
    shared = _shared_lengths(parts)
    workbook = parts.get("xl/workbook.xml", b"")
    entries = ooxml_scan.workbook_sheet_entries(
        workbook, parts.get("xl/_rels/workbook.xml.rels", b""), "xl/workbook.xml"
    )
    by_part = _read_once(entries, limits, facts)
    _scan_sheets(parts, by_part, shared, limits, facts)
    facts.controls_possible = any(
        (b"_x00" in data or b"_X00" in data)
        and _CONTROL_ESCAPED.search(data) is not None
        or len(data.translate(None, _CONTROL_RAW)) != len(data)  # faster than a regex class
        for name, data in parts.items()
        if b"sheetData" in data or name.endswith("sharedstrings.xml") or _SST_ROOT.match(data)
    )
    facts.recalc_on_open = bool(re.search(rb'fullCalcOnLoad="(?:1|true)"', workbook))
    facts.macros = any(
        n.endswith("vbaproject.bin") or n.startswith("xl/macrosheets/") for n in names
    )
    facts.external_links.extend(_external_links(parts, names))
    return facts


def _read_once(entries: list[tuple[str, str]], limits: Limits, facts: BookFacts) -> dict[str, str]:
    """Part -> sheet name, each part once; entries that repeat a name or a part are recorded in
    ``facts.repeated_sheets`` so the reader skips them and no activity is counted twice."""
    if len(entries) > limits.sheet_entries:
        raise refuse(
            "archivo-sospechoso",
            f"El libro declara {num(len(entries))} hojas (el máximo que se lee es "
            f"{num(limits.sheet_entries)}): xl/workbook.xml está dañado o fue manipulado. Ábralo "
            "en Excel, guárdelo de nuevo como .xlsx y vuelva a ejecutar.",
        )
    by_part: dict[str, str] = {}
    names: set[str] = set()
    for name, part in entries:
        if name in names or part in by_part:
            facts.repeated_sheets.setdefault(by_part.get(part, name), []).append(name)
            continue
        names.add(name)
        by_part[part] = name
    return by_part


def _shared_lengths(parts: dict[str, bytes]) -> list[int]:
    """Characters of each shared string (what calamine copies into every cell using it)."""
    tables = [
        ooxml_scan.shared_string_lengths(data, name)
        for name, data in parts.items()
        if name.endswith("sharedstrings.xml") or _SST_ROOT.match(data)
    ]
    # Several tables never happen in real files; then keep the longest string per index.
    if len(tables) == 1:
        return tables[0]
    return [max(lengths) for lengths in itertools.zip_longest(*tables, fillvalue=0)]


def _scan_sheets(
    parts: dict[str, bytes],
    by_part: dict[str, str],
    shared: list[int],
    limits: Limits,
    facts: BookFacts,
) -> None:
    """Every worksheet part into ``facts.sheets``; refuse the file once the sheets that will
    be read together pass the file's budget."""
    chars_left = limits.file_chars
    cells = 0
    for name, data in parts.items():
        if b"sheetData" not in data:
            continue
        sheet = by_part.get(name, name)
        found = ooxml_scan.scan_worksheet(data, shared, name, limits, chars_left)
        found.links = sheet_links(data, parts.get(rels_part(name), b""), name)
        facts.sheets[sheet] = found
        if not found.too_large(limits):
            chars_left -= found.chars
            cells += found.grid
            check_file_budget(limits, chars_left, cells)


def _external_links(parts: dict[str, bytes], names: dict[str, zipfile.ZipInfo]) -> list[str]:
    """The other workbooks this one takes values from, by file name."""
    links: list[str] = []
    for name, data in parts.items():
        if name.startswith("xl/externallinks/_rels/"):
            for target in re.findall(rb'Target="([^"]{1,300})"', data):
                links.append(_link_name(target.decode("utf-8", "replace")))
    if not links and any(n.startswith("xl/externallinks/") for n in names):
        links.append("otro libro")
    return links


def _link_name(target: str) -> str:
    cleaned = target.replace("\\", "/").rstrip("/")
    return posixpath.basename(cleaned) or cleaned


def check_file_budget(limits: Limits, chars_left: int, cells: int) -> None:
    """Refuse a whole file whose sheets together would cost too much to parse."""
    if chars_left < 0:
        raise refuse(
            "archivo-sospechoso",
            f"Leer este archivo exigiría copiar más de {num(limits.file_chars)} caracteres (un "
            "mismo texto largo repetido en muchas celdas, algo que se usa para bloquear "
            "programas); no se leyó por seguridad. Pida al remitente que revise el archivo y "
            "lo reenvíe.",
        )
    if cells > limits.file_cells:
        raise refuse(
            "hoja-demasiado-grande",
            f"Las hojas del archivo suman más de {num(limits.file_cells)} celdas y pac-excel lee "
            "hasta esa cantidad por archivo: deje en el libro solo las hojas del plan y vuelva a "
            "ejecutar.",
        )


def _check_sheets_budget(facts: BookFacts, limits: Limits) -> None:
    """For .xls and .ods, which calamine parses whole when it opens them: one sheet too large
    and the file cannot be read at all."""
    for name, sheet in facts.sheets.items():
        reason = oversized(sheet, limits)
        if reason:
            raise refuse(
                "hoja-demasiado-grande",
                f"{reason.replace('La hoja', f'La hoja «{name}»', 1)} Como este formato se lee "
                "completo, no se leyó ninguna hoja del archivo: guárdelo como .xlsx sin esa hoja "
                "y vuelva a ejecutar.",
            )
    chars = sum(s.chars for s in facts.sheets.values())
    check_file_budget(limits, limits.file_chars - chars, sum(s.grid for s in facts.sheets.values()))


def _ods_facts(
    parts: dict[str, bytes], names: dict[str, zipfile.ZipInfo], limits: Limits
) -> BookFacts:
    facts = BookFacts()
    content = parts.get("content.xml", b"")
    try:
        facts.sheets = ods_scan.scan_content(content, "content.xml", limits)
    except Refused:
        raise
    except Exception as exc:
        raise refuse(
            "archivo-danado",
            "El libro tiene partes XML dañadas: ábralo en LibreOffice o Excel, guárdelo de "
            f"nuevo y vuelva a ejecutar. ({type(exc).__name__})",
        ) from exc
    _check_sheets_budget(facts, limits)
    facts.macros = any(n.startswith(("basic/", "scripts/")) for n in names)
    return facts


def oversized(facts: SheetFacts, limits: Limits) -> str | None:
    """Spanish reason a sheet is too large to read, naming the limit; None when it fits."""
    if facts.rows > limits.sheet_rows:
        if facts.rows > EXCEL_ROWS:
            rows = f"tiene más de {num(EXCEL_ROWS)} filas (más de las que admite Excel)"
        elif facts.stopped:
            rows = f"llega por lo menos hasta la fila {num(facts.rows)}"
        else:
            rows = f"llega hasta la fila {num(facts.rows)}"
        return (
            f"La hoja {rows} y pac-excel lee hasta {num(limits.sheet_rows)} filas por hoja (un "
            "seguimiento del PAAC tiene unos cientos); no se leyó. Si la hoja es del plan, "
            "divídala en varias hojas; si no, bórrela del libro o borre las celdas sueltas del "
            "final."
        )
    if facts.grid > limits.sheet_cells:
        return (
            f"La hoja ocupa {num(facts.rows)} filas × {num(facts.columns)} columnas y pac-excel lee "
            f"hasta {num(limits.sheet_cells)} celdas por hoja; no se leyó. Borre las celdas con "
            "datos lejos de la tabla (por ejemplo, al final de la hoja) y vuelva a ejecutar."
        )
    if facts.merged > limits.merged_ranges:
        return (
            f"La hoja tiene más de {num(limits.merged_ranges)} rangos de celdas combinadas; no se "
            "leyó. Descombine las celdas y vuelva a ejecutar."
        )
    return None
