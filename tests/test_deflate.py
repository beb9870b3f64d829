"""Sheets deflated in the background (write.deflate): the same workbook, written sooner.

A streamed sheet's rows are deflated by a worker thread once its writer is done, and its zip
member is put together from three deflate streams at close. The tests prove that every member
unzips to the very bytes xlsxwriter's own packaging stores, that openpyxl and LibreOffice read
the same cells, that the CRC arithmetic is zlib's, and that a failure anywhere (a sheet writer,
the worker, the disk) still leaves the earlier report and no temp file behind.
"""

from __future__ import annotations

import datetime as dt
import errno
import random
import shutil
import threading
import zipfile
import zlib
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from readback import activities, consolidation, libreoffice_convert

from pac_excel.result import Consolidation
from pac_excel.write import deflate
from pac_excel.write import workbook as write_module
from pac_excel.write.deflate import DeflatingWorkbook, crc32_combine, deflate_part
from pac_excel.write.stream import StreamedSheet, StreamOrderError
from pac_excel.write.workbook import OutputError, write_workbook

CREATED = dt.datetime(2020, 5, 4, 9, 30, tzinfo=dt.timezone.utc)
STREAMED = ("Actividades", "Seguimiento OCI", "Por responsable", "Cronograma", "Alertas")


def _result(n: int = 1_500) -> Consolidation:
    rows = [
        {"activity": f"Actividad {i} " + "texto largo " * (i % 7), "status": "En curso",
         "progress": (i % 5) / 4, "expected": 0.5, "compliance": 1.0, "traffic_light": "Verde",
         "component": 1 + i % 6, "owner": ("Planeación", "Secretaría General", "TIC")[i % 3],
         "schedule": "31/03/2020; 30/06/2020", "n_dates": 2,
         "followup": "Seguimiento con <marcas> & \"comillas\"\nen dos líneas" if i % 4 else None}
        for i in range(n)
    ]  # fmt: skip
    return consolidation(activities(*rows))


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        assert zf.testzip() is None  # every member's CRC checks
        return {name: zf.read(name) for name in zf.namelist()}


def _plain(monkeypatch: pytest.MonkeyPatch) -> None:
    """xlsxwriter's own packaging: no sheet finished early, nothing deflated ahead."""
    monkeypatch.setattr(DeflatingWorkbook, "finish", lambda self, sheet: None)


def _values(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    book = openpyxl.load_workbook(path)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The same run written with background deflating and with xlsxwriter's own zip."""
    folder = tmp_path_factory.mktemp("deflate")
    result = _result()
    fast = write_workbook(result, folder / "rapido.xlsx", created=CREATED)
    with pytest.MonkeyPatch.context() as patch:
        _plain(patch)
        plain = write_workbook(_result(), folder / "normal.xlsx", created=CREATED)
    return fast, plain


def test_every_member_unzips_to_xlsxwriters_bytes(written: tuple[Path, Path]) -> None:
    fast, plain = written
    assert _members(fast) == _members(plain)
    with zipfile.ZipFile(fast) as zf, zipfile.ZipFile(plain) as zp:
        assert [i.filename for i in zf.infolist()] == [i.filename for i in zp.infolist()]
        assert [i.date_time for i in zf.infolist()] == [i.date_time for i in zp.infolist()]
    # No larger: only a few bytes at each of the two joins per sheet.
    assert fast.stat().st_size <= plain.stat().st_size + 64 * len(STREAMED)


def test_openpyxl_reads_the_same_cells(written: tuple[Path, Path]) -> None:
    fast, plain = written
    values = _values(fast)
    assert values == _values(plain)
    assert len(values["Actividades"]) == 1 + 1_500
    assert values["Actividades"][1][6].startswith("Actividad 0")


def test_the_streamed_sheets_were_deflated_ahead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The path under test is taken: each streamed sheet's member is joined from its parts,
    the rows read in small chunks (several per sheet) by the worker thread."""
    monkeypatch.setattr(deflate, "CHUNK", 4096)
    joined: list[str] = []
    threads: set[str] = set()
    real_write, real_file = deflate._SheetZip._write_parts, deflate.deflate_file

    def spy_write(self: Any, zinfo: zipfile.ZipInfo, parts: Any) -> None:
        joined.append(zinfo.filename)
        real_write(self, zinfo, parts)

    def spy_file(path: str, cancel: threading.Event) -> deflate.Deflated:
        threads.add(threading.current_thread().name)
        return real_file(path, cancel)

    monkeypatch.setattr(deflate._SheetZip, "_write_parts", spy_write)
    monkeypatch.setattr(deflate, "deflate_file", spy_file)
    out = write_workbook(_result(300), tmp_path / "libro.xlsx", created=CREATED)
    assert len(joined) == len(STREAMED) + 1  # and Problemas
    assert all(t.startswith("pac-excel-deflate") for t in threads)
    assert threading.current_thread().name not in threads
    assert _values(out)["Alertas"][0][0] == "Archivo"
    assert not [t for t in threading.enumerate() if t.name.startswith("pac-excel-deflate")]


def test_a_cell_written_after_finish_raises(tmp_path: Path) -> None:
    workbook = DeflatingWorkbook(str(tmp_path / "x.xlsx"), {"tmpdir": str(tmp_path)})
    ws = workbook.add_worksheet("Hoja", worksheet_class=StreamedSheet)
    ws.write_string(0, 0, "uno")
    workbook.finish(ws)
    with pytest.raises(StreamOrderError, match="finished"):
        ws.write_string(5, 0, "perdida")
    with pytest.raises(StreamOrderError, match="finished"):
        ws.write_cells(6, [(0, "perdida", None)])
    workbook.close()
    workbook.release()
    assert openpyxl.load_workbook(tmp_path / "x.xlsx")["Hoja"]["A1"].value == "uno"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.xlsx"]


def test_a_writer_failing_after_a_finished_sheet_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "informe.xlsx"
    write_workbook(_result(50), target)
    before = target.read_bytes()
    started: list[str] = []
    real_finish = DeflatingWorkbook.finish

    def finish(self: DeflatingWorkbook, sheet: Any) -> None:
        started.append(sheet.name)
        real_finish(self, sheet)

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("falla después de Actividades y Cronograma")

    monkeypatch.setattr(DeflatingWorkbook, "finish", finish)
    monkeypatch.setattr(write_module, "write_summary", boom)
    with pytest.raises(RuntimeError, match="falla después"):
        write_workbook(_result(), target)
    assert {"Actividades", "Cronograma", "Alertas"} <= set(started)
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["informe.xlsx"]
    assert not [t for t in threading.enumerate() if t.name.startswith("pac-excel-deflate")]


def test_a_full_disk_in_the_worker_is_an_output_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "informe.xlsx"
    target.write_bytes(b"earlier report")

    def full(path: str, cancel: threading.Event) -> deflate.Deflated:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(deflate, "deflate_file", full)
    with pytest.raises(OutputError, match="está lleno: libere espacio"):
        write_workbook(_result(50), target)
    assert target.read_bytes() == b"earlier report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["informe.xlsx"]


def test_an_abandoned_deflate_stops_at_the_next_chunk(tmp_path: Path) -> None:
    rows = tmp_path / "filas"
    rows.write_bytes(b"<row/>" * 10_000)
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(deflate.Cancelled):
        deflate.deflate_file(str(rows), cancel)


def test_crc32_combine_is_zlibs() -> None:
    rng = random.Random(16)
    for length in (0, 1, 2, 3, 7, 64, 1_000, 65_537, 300_000):
        data = rng.randbytes(length)
        for cut in {0, length // 3, length // 2, length}:
            a, b = data[:cut], data[cut:]
            assert crc32_combine(zlib.crc32(a), zlib.crc32(b), len(b)) == zlib.crc32(data)
    # Lengths past 4 GiB (a zip64 member) without the bytes: zeros appended, chunk by chunk.
    zeros = bytes(1 << 20)
    crc = start = zlib.crc32(b"pac-excel")
    for _ in range(4 * 1024 + 3):
        crc = zlib.crc32(zeros, crc)
    assert crc32_combine(start, _zeros_crc(4 * 1024 + 3, zeros), (4 * 1024 + 3) << 20) == crc


def _zeros_crc(chunks: int, zeros: bytes) -> int:
    crc = 0
    for _ in range(chunks):
        crc = zlib.crc32(zeros, crc)
    return crc


def test_sync_flushed_parts_inflate_as_one_stream() -> None:
    parts = [b'<?xml version="1.0"?><sheetData>', b"<row/>" * 5_000 + "é ✔".encode(), b"</x>"]
    pieces = [deflate_part(p, final=i == len(parts) - 1) for i, p in enumerate(parts)]
    joined = b"".join(p.data for p in pieces)
    inflater = zlib.decompressobj(-15)
    assert inflater.decompress(joined) == b"".join(parts)
    assert inflater.eof  # one final block, at the end


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice no está instalado")
def test_libreoffice_reads_the_deflated_sheets(written: tuple[Path, Path], tmp_path: Path) -> None:
    fast, _ = written
    again = openpyxl.load_workbook(libreoffice_convert(fast, "xlsx", tmp_path), read_only=True)
    original = _values(fast)
    for name in ("Actividades", "Alertas"):
        rows = [row for row in again[name].iter_rows(values_only=True)]
        assert len(rows) == len(original[name])
        assert [r[6] for r in rows] == [r[6] for r in original[name]]
