"""In-process fuzz of the pre-flight and text readers (pure Python, no calamine).

They must answer every input with a result or ``Refused`` (a Spanish message with a code),
never another exception, and quickly. ``test_hostile.test_33_fuzz`` fuzzes the whole
``read_file`` (calamine included) in a memory-limited child. More examples:
``PAC_EXCEL_FUZZ_EXAMPLES=2000 pytest tests/test_fuzz.py``.
"""

from __future__ import annotations

import contextlib
import io
import os
import zipfile
import zlib
from pathlib import Path

import pytest
from hostile_files import (
    SEED_SAMPLE,
    BiffSheet,
    html_table,
    ods_file,
    ods_rows,
    seed_rows,
    spreadsheetml,
    xls_file,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pac_excel.read import preflight
from pac_excel.read.facts import LIMITS, Refused
from pac_excel.read.formats import text as text_formats

ZIP_ERRORS = (zipfile.BadZipFile, EOFError, ValueError, OSError, zlib.error, RuntimeError)
EXAMPLES = int(os.environ.get("PAC_EXCEL_FUZZ_EXAMPLES", "60"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[bytes]:
    tmp = tmp_path_factory.mktemp("corpus")
    rows = seed_rows()[:20]
    return [
        SEED_SAMPLE.read_bytes(),
        xls_file(tmp / "c.xls", [BiffSheet("S", rows)]).read_bytes(),
        ods_file(tmp / "c.ods", ods_rows(rows)).read_bytes(),
        html_table(rows).encode(),
        spreadsheetml(rows).encode(),
    ]


def mutate(data: bytes, how: str, where: float, noise: bytes) -> bytes:
    out = bytearray(data)
    at = int(where * (len(out) - 1))
    if how == "truncate":
        return bytes(out[:at])
    if how == "flip":
        for k, byte in enumerate(noise):
            out[(at + k * 131) % len(out)] ^= byte or 0xFF
        return bytes(out)
    if how == "insert":
        out[at:at] = noise
        return bytes(out)
    return _recompress(data, at)


def _recompress(data: bytes, seed: int) -> bytes:
    """Swap two members' contents of a zip package, keeping the zip valid."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as source:
            items = source.infolist()
            payloads = [source.read(i) for i in items]
    except ZIP_ERRORS:
        return data
    a, b = seed % len(items), (seed // 3) % len(items)
    payloads[a], payloads[b] = payloads[b], payloads[a]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item, payload in zip(items, payloads, strict=True):
            target.writestr(item.filename, payload)
    return buffer.getvalue()


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    which=st.integers(0, 4),
    how=st.sampled_from(["truncate", "flip", "insert", "swap"]),
    where=st.floats(0, 1),
    noise=st.binary(min_size=1, max_size=32),
)
def test_preflight_only_refuses(
    tmp_path: Path, corpus: list[bytes], which: int, how: str, where: float, noise: bytes
) -> None:
    path = tmp_path / "fuzz.bin"
    path.write_bytes(mutate(corpus[which], how, where, noise))
    tables: list[text_formats.TextSheet] = []
    try:
        found = preflight.inspect(path)
        assert len(found.data) <= path.stat().st_size  # the bytes on disk, read once
        if found.kind == "html":
            tables = text_formats.read_html(found.data, LIMITS)[0]
        elif found.kind == "delimited":
            tables = [text_formats.read_delimited(found.data, LIMITS, lenient=True)[0]]
        elif found.kind == "xml2003":
            tables = text_formats.read_spreadsheetml(found.data, LIMITS)
    except Refused as exc:
        assert exc.code and exc.message
    # Whatever was built stays inside the limits a workbook gets: the work is bounded.
    for table in tables:
        width = max((len(r) for r in table.rows), default=0)
        assert len(table.rows) <= LIMITS.sheet_rows
        assert len(table.rows) * width <= LIMITS.sheet_cells


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True)
@given(st.binary(max_size=2048))
def test_random_bytes_only_refuse(data: bytes) -> None:
    for reader in (
        lambda: text_formats.read_html(data, LIMITS),
        lambda: text_formats.read_delimited(data, LIMITS, lenient=False),
        lambda: text_formats.read_spreadsheetml(data, LIMITS),
    ):
        with contextlib.suppress(Refused):
            reader()
