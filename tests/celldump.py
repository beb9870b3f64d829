"""Cell dumps: what every sheet of the workbook says, to prove a restructuring changed nothing.

``dump_workbook`` reads a written workbook back (openpyxl, values only) into plain lists.
With ``PAC_CELL_DUMP=<folder>`` set, the suite's conftest consolidates every input file each
test built (the fixture families) at a fixed run date and appends its dump to
``<folder>/dump.jsonl``; ``python tests/celldump.py samples OUT`` dumps ``samples/``, and
``python tests/celldump.py compare A B`` lists every cell that differs between two dumps.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import openpyxl

ROOT = Path(__file__).resolve().parent.parent
INPUT_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".html", ".htm", ".xml", ".txt"}
RUN_AT = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
MAX_INPUT_BYTES = 5 * 1024 * 1024
WRITTEN = re.compile(r"^seguimiento_[a-z]+_\d{4}-\d{2}-\d{2}( \(\d+\))?\.xlsx$")


def _value(value: object) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 9)
    return value


def dump_workbook(path: Path) -> dict[str, list[list[Any]]]:
    """Every sheet's cell values, row by row, trailing blanks trimmed."""
    book = openpyxl.load_workbook(path, data_only=False)
    sheets: dict[str, list[list[Any]]] = {}
    for ws in book.worksheets:
        rows = []
        for row in ws.iter_rows(values_only=True):
            values = [_value(v) for v in row]
            while values and values[-1] is None:
                values.pop()
            rows.append(values)
        while rows and not rows[-1]:
            rows.pop()
        sheets[ws.title] = rows
    book.close()
    return sheets


def consolidate_and_dump(inputs: Sequence[Path]) -> dict[str, Any]:
    """Consolidate ``inputs`` at the fixed run date and dump the workbook (or the refusal)."""
    from pac_excel import consolidate, write_workbook

    try:
        result = consolidate(list(inputs), output_dir=None, today=RUN_AT.date())
    except Exception as exc:  # noqa: BLE001 - the refusal itself is behaviour to keep
        return {"error": f"{type(exc).__name__}: {exc}"}
    result.run_at = RUN_AT
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "dump.xlsx"
        try:
            write_workbook(result, target)
        except Exception as exc:  # noqa: BLE001
            return {"error": f"{type(exc).__name__}: {exc}"}
        return {"sheets": dump_workbook(target)}


def input_files(folder: Path) -> Iterator[Path]:
    """Regular, reasonably small files a test left that look like follow-ups."""
    for path in sorted(folder.rglob("*")):
        try:
            if path.is_symlink() or not path.is_file():
                continue
            hidden = any(part.startswith(".") for part in path.relative_to(folder).parts)
            if path.suffix.lower() not in INPUT_SUFFIXES or hidden:  # e.g. a LibreOffice profile
                continue
            if WRITTEN.match(path.name):  # a workbook pac-excel wrote, not an input
                continue
            if path.stat().st_size > MAX_INPUT_BYTES:
                continue
        except OSError:
            continue
        yield path


def record(out: Path, key: str, dump: dict[str, Any]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with (out / "dump.jsonl").open("a", encoding="utf-8") as fh:
        fh.write(json.dumps({"key": key, **dump}, ensure_ascii=False, default=str) + "\n")


def load(path: Path) -> dict[str, dict[str, Any]]:
    entries: dict[str, dict[str, Any]] = {}
    if path.is_dir():
        path = path / "dump.jsonl"
    # split("\n"), not splitlines(): a cell may hold U+2028, which JSON leaves as it is.
    for line in path.read_text(encoding="utf-8").split("\n"):
        if not line:
            continue
        item = json.loads(line)
        entries[item.pop("key")] = item
    return entries


def compare(a: Path, b: Path, limit: int = 200) -> int:
    """Print the differences between two dump files; return how many entries differ."""
    left, right = load(a), load(b)
    differing = 0
    for key in sorted(set(left) | set(right)):
        x, y = left.get(key), right.get(key)
        if x == y:
            continue
        differing += 1
        if differing > limit:
            continue
        print(f"== {key}")
        if x is None or y is None:
            print("   only in", a if y is None else b)
            continue
        if "error" in x or "error" in y:
            print("   ", x.get("error"), "->", y.get("error"))
            continue
        for sheet in sorted(set(x["sheets"]) | set(y["sheets"])):
            rx, ry = x["sheets"].get(sheet, []), y["sheets"].get(sheet, [])
            for i in range(max(len(rx), len(ry))):
                cx = rx[i] if i < len(rx) else None
                cy = ry[i] if i < len(ry) else None
                if cx != cy:
                    print(f"   {sheet}!{i + 1}: {cx} -> {cy}")
    print(f"{len(left)} / {len(right)} entries, {differing} differ")
    return differing


def main(argv: Sequence[str]) -> int:
    if argv[:1] == ["compare"] and len(argv) == 3:
        return 1 if compare(Path(argv[1]), Path(argv[2])) else 0
    if argv[:1] == ["samples"] and len(argv) == 2:
        out = Path(argv[1])
        record(out, "samples/", consolidate_and_dump([ROOT / "samples"]))
        for path in input_files(ROOT / "samples"):
            record(out, f"samples/{path.name}", consolidate_and_dump([path]))
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main(sys.argv[1:]))
