"""deflate: each streamed sheet's rows compressed in the background while later sheets are written.

At 1,000 files the workbook's sheet XML is about 135 MB and deflating it (level 6, the zip's
default: the workbook is mailed, so a faster, larger level is no option) was most of
``Workbook.close``. The rows of a streamed sheet (write.stream) are final once its writer is
done, long before ``close``: ``DeflatingWorkbook.finish`` hands them to one worker thread
(zlib releases the GIL, so it runs on the second core) and the next sheet is written meanwhile.

At ``close`` xlsxwriter assembles each sheet's XML as usual, except that a finished sheet leaves
its rows out (``StreamedSheet._write_optimized_sheet_data``). Its zip member is then written
from three deflate streams one after the other: the XML before the rows, the rows already
deflated, the XML after them. The first two end on a sync flush (byte-aligned, not final), so
the three read as one stream; the member's CRC is combined from the three (``crc32_combine``).
Every member unzips to the very bytes xlsxwriter would have stored (tests/test_deflate.py);
the file is a few bytes larger per sheet (two flush points).

This relies on xlsxwriter 3.3's ``Workbook._store_workbook`` creating the zip with the module's
``ZipFile`` and adding each part with ``ZipFile.write(path, name)``, and on the zipfile module's
member bookkeeping (``fp``, ``start_dir``, ``filelist``, ``NameToInfo``, ``_writecheck``) that
``ZipFile.write`` itself does.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import os
import shutil
import threading
import types
import zlib
from dataclasses import dataclass
from typing import Any
from zipfile import ZIP64_LIMIT, ZIP_DEFLATED, LargeZipFile, ZipFile, ZipInfo

import xlsxwriter.workbook
from xlsxwriter import Workbook

from pac_excel.write.stream import StreamedSheet, release_streams

__all__ = ["Deflated", "DeflatingWorkbook", "crc32_combine"]

# Bytes read and deflated at a time. zlib lets go of the GIL while it deflates, but each read,
# each write and each growth of its output buffer takes it back from the thread writing the
# sheets, waiting up to sys.getswitchinterval() (5 ms) every time: with 1 MiB the rows were
# deflated at 28 MB/s instead of 75 while the sheets were written, and close waited
# 0.5-0.7 s for them at 1,000 files (0.1 s with 8 MiB).
CHUNK = 1 << 23
# What zipfile uses for ZIP_DEFLATED without a level: zlib's default (6), raw deflate.
LEVEL = zlib.Z_DEFAULT_COMPRESSION
WBITS = -15


@dataclass(frozen=True)
class Deflated:
    """A stretch of a zip member deflated on its own: its raw deflate bytes (ending on a sync
    flush), and the CRC-32 and length of what they inflate to.

    A sheet's rows are deflated into a file beside its rows file (``path``; ``data`` empty):
    held in memory until ``close``, the sheets' deflated rows were 40 MiB at 3,000 files.
    """

    data: bytes
    crc: int
    size: int
    path: str | None = None

    @property
    def compressed(self) -> int:
        """How many deflated bytes there are."""
        return len(self.data) if self.path is None else os.path.getsize(self.path)

    def copy_to(self, target: Any) -> None:
        """Write the deflated bytes to the open file ``target``, then drop the file, if any."""
        if self.path is None:
            target.write(self.data)
            return
        with open(self.path, "rb") as handle:
            shutil.copyfileobj(handle, target, CHUNK)
        self.discard()

    def discard(self) -> None:
        if self.path is not None:
            with contextlib.suppress(OSError):
                os.unlink(self.path)


class Cancelled(Exception):
    """The workbook was abandoned while a sheet was being deflated."""


def crc32_combine(crc1: int, crc2: int, len2: int) -> int:
    """CRC-32 of A + B from the CRC of A, the CRC of B and the length of B (zlib's own
    ``crc32_combine``, which Python's zlib does not expose): appending ``len2`` zero bytes
    multiplies the CRC by x^(8·len2) modulo the CRC polynomial, made of the powers x^(2^k)
    worked out once (zlib 1.2.12's way; squaring a 32×32 bit matrix at every call, as older
    zlib does, took 1.8-3.8 ms a call, 12 calls a workbook)."""
    if len2 <= 0:
        return crc1
    return _times_mod_p(_x_to_the(len2, 3), crc1) ^ crc2


_POLY = 0xEDB88320  # the CRC-32 polynomial, bit-reflected: the top bit is x^0


def _times_mod_p(a: int, b: int) -> int:
    """a × b modulo the polynomial (zlib's ``multmodp``); ``a`` is never 0 here."""
    m, product = 1 << 31, 0
    while True:
        if a & m:
            product ^= b
            if not a & (m - 1):
                return product
        m >>= 1
        b = (b >> 1) ^ _POLY if b & 1 else b >> 1


def _powers() -> list[int]:
    """x^(2^k) modulo the polynomial for k = 0 … 31 (``x2n_table``)."""
    power = 1 << 30  # x^1
    found = [power]
    for _ in range(31):
        power = _times_mod_p(power, power)
        found.append(power)
    return found


_X_POWERS = _powers()


def _x_to_the(n: int, k: int) -> int:
    """x^(n·2^k) modulo the polynomial (zlib's ``x2nmodp``)."""
    power = 1 << 31  # x^0
    while n:
        if n & 1:
            power = _times_mod_p(_X_POWERS[k & 31], power)
        n >>= 1
        k += 1
    return power


def deflate_part(data: bytes, final: bool) -> Deflated:
    """``data`` as a raw deflate stream of its own: finished when ``final``, else ending on a
    sync flush so another stream can follow it."""
    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, WBITS)
    body = compressor.compress(data) + compressor.flush(
        zlib.Z_FINISH if final else zlib.Z_SYNC_FLUSH
    )
    return Deflated(body, zlib.crc32(data), len(data))


def deflate_file(path: str, cancel: threading.Event) -> Deflated:
    """A streamed sheet's rows file, deflated into a file beside it (in the worker thread)."""
    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, WBITS)
    crc = size = 0
    target = path + DEFLATED_SUFFIX
    try:
        with open(path, "rb") as handle, open(target, "wb") as out:
            while chunk := handle.read(CHUNK):
                if cancel.is_set():
                    raise Cancelled(path)
                crc = zlib.crc32(chunk, crc)
                size += len(chunk)
                out.write(compressor.compress(chunk))
            out.write(compressor.flush(zlib.Z_SYNC_FLUSH))
    except BaseException:
        Deflated(b"", 0, 0, target).discard()
        raise
    return Deflated(b"", crc, size, target)


DEFLATED_SUFFIX = ".deflated"


class DeflatingWorkbook(Workbook):  # type: ignore[misc]  # xlsxwriter ships no type hints
    """A workbook whose finished streamed sheets are deflated while the others are written."""

    def __init__(self, filename: str, options: dict[str, Any] | None = None) -> None:
        super().__init__(filename, options)
        self._cancel = threading.Event()
        self._pool: concurrent.futures.ThreadPoolExecutor | None = None

    def finish(self, sheet: Any) -> None:
        """Declare a streamed sheet's rows complete and start deflating them. Any cell written
        to it afterwards raises ``StreamOrderError``. Other sheets are left as they are."""
        if not isinstance(sheet, StreamedSheet) or sheet.finished:
            return
        sheet.finish()
        if self.in_memory or sheet.dim_rowmin is None:
            return  # nothing on disk to deflate: xlsxwriter's own path
        if self._pool is None:
            self._pool = concurrent.futures.ThreadPoolExecutor(1, "pac-excel-deflate")
        sheet.deflated = self._pool.submit(deflate_file, sheet.row_data_filename, self._cancel)

    def release(self) -> None:
        """Stop the worker (abandoning what it has not done) and release every row file:
        after ``close``, or when the workbook is abandoned. Windows cannot remove a file the
        worker still reads, so it is waited for first."""
        self._cancel.set()
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        for sheet in self.worksheets():  # deflated rows a close never took (abandoned)
            done = getattr(sheet, "deflated", None)
            if done is not None and done.done() and not done.cancelled() and not done.exception():
                done.result().discard()
        release_streams(self)

    def _store_workbook(self) -> None:
        """xlsxwriter's own packaging, with the zip made by ``_SheetZip`` for this workbook."""
        members = {}
        index = 0
        for sheet in self.worksheets():
            if sheet.is_chartsheet:
                continue
            index += 1  # numbered as xlsxwriter's packager numbers them
            if isinstance(sheet, StreamedSheet) and sheet.deflated is not None:
                members[f"xl/worksheets/sheet{index}.xml"] = sheet

        def zip_file(*args: Any, **kwargs: Any) -> ZipFile:
            return _SheetZip(members, *args, **kwargs)

        store = types.FunctionType(
            Workbook._store_workbook.__code__,
            {**vars(xlsxwriter.workbook), "ZipFile": zip_file},
            "_store_workbook",
        )
        store(self)


class _SheetZip(ZipFile):
    """The workbook's zip: a finished sheet's member from its parts, the others as usual."""

    def __init__(self, members: dict[str, StreamedSheet], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._sheets = members

    def write(self, filename: Any, arcname: Any = None, *args: Any, **kwargs: Any) -> None:
        sheet = self._sheets.get(arcname) if isinstance(arcname, str) else None
        if sheet is None or sheet.deflated is None or sheet.rows_at is None:
            super().write(filename, arcname, *args, **kwargs)
            return
        rows: Deflated = sheet.deflated.result()  # the worker's error, if any, is raised here
        with open(filename, "rb") as handle:
            xml = handle.read()  # the sheet's XML without its rows
        before = deflate_part(xml[: sheet.rows_at], final=False)
        after = deflate_part(xml[sheet.rows_at :], final=True)
        self._write_parts(ZipInfo.from_file(filename, arcname), (before, rows, after))

    def _write_parts(self, zinfo: ZipInfo, parts: tuple[Deflated, ...]) -> None:
        """One deflated member from consecutive deflate streams, as ``ZipFile.write`` stores a
        member on a seekable file (no data descriptor)."""
        crc, size = 0, 0
        for part in parts:
            crc = crc32_combine(crc, part.crc, part.size) if size else part.crc
            size += part.size
        zinfo.compress_type = ZIP_DEFLATED
        zinfo.flag_bits = 0
        zinfo.file_size = size
        zinfo.CRC = crc
        zinfo.compress_size = sum(part.compressed for part in parts)
        zip64 = size * 1.05 > ZIP64_LIMIT  # ZipFile.write's own test
        private: Any = self  # zipfile's own bookkeeping, undeclared in its stubs
        if zip64 and not private._allowZip64:
            raise LargeZipFile("Filesize would require ZIP64 extensions")
        fp: Any = self.fp
        fp.seek(self.start_dir)
        zinfo.header_offset = fp.tell()
        private._writecheck(zinfo)
        self._didModify = True
        fp.write(zinfo.FileHeader(zip64))
        for part in parts:
            part.copy_to(fp)
        self.start_dir = fp.tell()
        self.filelist.append(zinfo)
        self.NameToInfo[zinfo.filename] = zinfo
