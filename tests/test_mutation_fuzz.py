"""A bounded, seeded mutation fuzzer over real fixture files, run with a good companion file.

Each case mutates the Putumayo sample (truncation, byte flips, or a change inside one XML part:
a duplicated element, an out-of-range index, a wrong cell type) and consolidates it together
with the untouched Sibundoy sample. Whatever the mutant holds, the run must end in a result or
a Spanish usage error, never an internal error; the companion's activities must all be there;
no activity may be counted twice (no file yields more activities than it has); and neither
input may change. The work is bounded by the number of cases (``PAC_EXCEL_MUTANTS``), never by
a clock. A few cases also run through the command line a user types.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import random
import re
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLES

from pac_excel import consolidate
from pac_excel.cli import cli
from pac_excel.errors import PacExcelError

SEED = 15
CASES = int(os.environ.get("PAC_EXCEL_MUTANTS", "200"))
CLI_CASES = 4
CUTOFF = dt.date(2020, 4, 30)
MUTATED = SAMPLES / "seguimiento_paac_gobernacion_putumayo_2020.xlsx"
COMPANION = SAMPLES / "seguimiento_paac_alcaldia_sibundoy_2020.xlsx"

Mutation = Callable[[random.Random, bytes], bytes]


def _members(data: bytes) -> list[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(info, archive.read(info.filename)) for info in archive.infolist()]


def _repack(members: list[tuple[zipfile.ZipInfo, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in members:
            archive.writestr(info.filename, data)
    return out.getvalue()


def _xml_mutation(change: Callable[[random.Random, str], str]) -> Mutation:
    """Apply ``change`` to one XML part chosen at random, then zip the package again."""

    def mutate(rng: random.Random, data: bytes) -> bytes:
        try:
            members = _members(data)
        except (zipfile.BadZipFile, EOFError, ValueError, OSError, zlib.error):  # broken
            return data
        xml = [i for i, (info, _) in enumerate(members) if info.filename.endswith(".xml")]
        if not xml:
            return data
        at = rng.choice(xml)
        info, part = members[at]
        text = part.decode("utf-8", "replace")
        members[at] = (info, change(rng, text).encode("utf-8"))
        return _repack(members)

    return mutate


def _pick(rng: random.Random, pattern: str, text: str) -> re.Match[str] | None:
    found = list(re.finditer(pattern, text, flags=re.DOTALL))
    return rng.choice(found) if found else None


def duplicate_element(rng: random.Random, text: str) -> str:
    """A <row>, <c>, <sheet>, <si>, <mergeCell> or <Relationship> written twice."""
    tag = rng.choice(["row", "c", "sheet", "si", "mergeCell", "Relationship", "xf"])
    match = _pick(rng, rf"<{tag}\b[^>]*?(?:/>|>.*?</{tag}>)", text)
    if match is None:
        return text
    copies = rng.choice([1, 1, 2, 50])
    return text[: match.end()] + match.group(0) * copies + text[match.end() :]


def out_of_range_index(rng: random.Random, text: str) -> str:
    """A shared-string, style, row or relationship index that points nowhere."""
    choice = rng.randrange(4)
    huge = str(rng.choice([99_999, 2**31, 2**40, -1]))
    if choice == 0:
        match = _pick(rng, r'<c [^>]*t="s"[^>]*><v>(\d+)</v>', text)
    elif choice == 1:
        match = _pick(rng, r'<c [^>]* s="(\d+)"', text)
    elif choice == 2:
        match = _pick(rng, r'<row [^>]*r="(\d+)"', text)
    else:
        match = _pick(rng, r'r:id="(rId\d+)"', text)
        huge = "rId" + huge.lstrip("-")
    if match is None:
        return text
    return text[: match.start(1)] + huge + text[match.end(1) :]


def wrong_cell_type(rng: random.Random, text: str) -> str:
    """A cell that says it is a number, a boolean, a date or an error but holds something else."""
    match = _pick(rng, r'<c ([^>]*?)(?: t="\w+")?([^>]*)>', text)
    if match is None:
        return text
    kind = rng.choice(["n", "b", "d", "e", "s", "str", "inlineStr", "zz"])
    cell = f'<c {match.group(1)} t="{kind}"{match.group(2)}>'
    value = rng.choice(["", "<v>abc</v>", "<v>1e400</v>", "<v>-</v>", "<v>2020-13-45</v>"])
    return text[: match.start()] + cell + value + text[match.end() :]


def truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(len(data))]


def flip_bytes(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.choice([1, 2, 8, 64])):
        out[rng.randrange(len(out))] ^= rng.randrange(1, 256)
    return bytes(out)


MUTATIONS: list[Mutation] = [
    truncate,
    flip_bytes,
    _xml_mutation(duplicate_element),
    _xml_mutation(duplicate_element),
    _xml_mutation(out_of_range_index),
    _xml_mutation(wrong_cell_type),
]


def mutants(count: int) -> list[bytes]:
    """``count`` mutants of the fixture, the same ones on every run (seeded)."""
    rng = random.Random(SEED)
    original = MUTATED.read_bytes()
    cases = []
    for _ in range(count):
        data = original
        for _ in range(rng.choice([1, 1, 1, 2, 3])):
            data = rng.choice(MUTATIONS)(rng, data)
        cases.append(data)
    return cases


def _digest(path: Path) -> tuple[str, int]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


@pytest.fixture(scope="module")
def baseline() -> dict[str, int]:
    """Activities per file when nothing is mutated."""
    result = consolidate([MUTATED, COMPANION], cutoff=CUTOFF, output_dir=None)
    counts = result.activities["file"].value_counts()
    return {str(name): int(n) for name, n in counts.items()}


def _check(result_files: list[str], baseline: dict[str, int]) -> None:
    per_file = {name: result_files.count(name) for name in set(result_files)}
    assert per_file.get(COMPANION.name) == baseline[COMPANION.name]
    assert per_file.get("mutante.xlsx", 0) <= baseline[MUTATED.name], per_file


def test_mutants_never_stop_the_run(tmp_path: Path, baseline: dict[str, int]) -> None:
    companion = tmp_path / COMPANION.name
    companion.write_bytes(COMPANION.read_bytes())
    before = _digest(companion)
    failures: list[str] = []
    for number, data in enumerate(mutants(CASES)):
        mutant = tmp_path / "mutante.xlsx"
        mutant.write_bytes(data)
        mutant_before = _digest(mutant)
        try:
            result = consolidate([mutant, companion], cutoff=CUTOFF, output_dir=None)
        except PacExcelError as exc:  # a Spanish usage error is an answer, not a crash
            failures.append(f"caso {number}: {exc}")
            continue
        except Exception as exc:  # noqa: BLE001 - the failure this test exists to find
            pytest.fail(f"case {number}: internal error {type(exc).__name__}: {exc}")
        _check([str(f) for f in result.activities["file"]], baseline)
        assert _digest(mutant) == mutant_before
        assert _digest(companion) == before
    assert not failures, failures  # the companion alone always gives activities


def test_some_mutants_through_the_command_line(tmp_path: Path, baseline: dict[str, int]) -> None:
    inbox = tmp_path / "entrada"
    inbox.mkdir()
    (inbox / COMPANION.name).write_bytes(COMPANION.read_bytes())
    for number, data in enumerate(mutants(CLI_CASES)):
        (inbox / "mutante.xlsx").write_bytes(data)
        out = tmp_path / f"salida{number}"
        result = CliRunner().invoke(
            cli, ["consolidar", str(inbox), "--corte", "2020-04-30", "--salida", str(out)]
        )
        assert "Error interno" not in result.output, result.output
        assert result.exit_code == 0, result.output
        assert (out / "seguimiento_paac_2020-04-30.xlsx").is_file()
