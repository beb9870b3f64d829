"""Time recording a cut in the history store against the run it belongs to. Not a test.

    python tests/bench/bench_history.py [--files 1000] [--activities 20]

Generates the follow-ups (``make_office_files.py``) in a temp dir, consolidates them without a
store (read, normalize, check), then times ``attach_history`` alone: the first cut into an
empty store, and a second cut (same activities, another date) that also chains the two cuts
into the Evolución frame. The writer is not timed: it is the same with or without the store.
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

from pac_excel import consolidate
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
    print(f"{args.files} files, {len(result.activities)} activities")
    print(f"consolidate without store (read, normalize, check): {run:.2f} s")
    print(f"record the first cut:                 {first:.2f} s ({first / run:.1%} of the run)")
    print(f"record a second cut + Evolución frame: {second:.2f} s ({second / run:.1%})")
    print(f"store size after two cuts: {size:.1f} MB")


if __name__ == "__main__":
    main()
