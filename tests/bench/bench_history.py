"""Time recording a cut in the history store against the run it belongs to. Not a test.

    python tests/bench/bench_history.py [--files 1000] [--activities 20]

Generates the follow-ups (``make_office_files.py``) in a temp dir, consolidates them without a
store (read, normalize, check), then times ``attach_history`` alone: the first cut into an
empty store, and a second cut (same activities, another date) that also chains the two cuts
into the Evolución frame; then the workbook of that second cut is written with and without
its history (the Evolución sheet and the earlier cuts' columns of Seguimiento OCI).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_office_files import generate

from pac_excel import consolidate, write_workbook
from pac_excel.history import STORE_NAME, attach_history


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--activities", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "entrada"
        folder.mkdir()
        generate(folder, args.files, args.activities)
        start = time.perf_counter()
        result = consolidate([folder], cutoff=dt.date(2020, 4, 30), output_dir=None)
        run = time.perf_counter() - start
        store = Path(tmp) / STORE_NAME
        start = time.perf_counter()
        attach_history(result, store)
        first = time.perf_counter() - start
        later = dataclasses.replace(result, cutoff=dt.date(2020, 8, 31), problems=[])
        start = time.perf_counter()
        attach_history(later, store)
        second = time.perf_counter() - start
        size = store.stat().st_size / 1e6
        plain = dataclasses.replace(later, evolution=None, problems=[])
        start = time.perf_counter()
        write_workbook(plain, Path(tmp) / "sin_historial.xlsx")
        write_plain = time.perf_counter() - start
        start = time.perf_counter()
        write_workbook(later, Path(tmp) / "con_historial.xlsx")
        write_history = time.perf_counter() - start
    print(f"{args.files} files, {len(result.activities)} activities")
    print(f"consolidate without store (read, normalize, check): {run:.2f} s")
    print(f"record the first cut:                 {first:.2f} s ({first / run:.1%} of the run)")
    print(f"record a second cut + Evolución frame: {second:.2f} s ({second / run:.1%})")
    print(f"store size after two cuts: {size:.1f} MB")
    print(f"write the workbook without history: {write_plain:.2f} s")
    print(f"write it with Evolución and Seguimiento 1 beside 2: {write_history:.2f} s")


if __name__ == "__main__":
    main()
