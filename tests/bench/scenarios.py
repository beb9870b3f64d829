"""The speed scenarios of the README, each against its anchor. Not a test: run it by hand.

    python tests/bench/scenarios.py [--sizes 10,100,1000,3000] [--repeat 5] [--repeat-large 1]
                                    [--activities 40] [--only help,office,files,second]

Every scenario runs as a whole child process (interpreter start-up included), alternating with
its anchor (A, B, A, B, …) so that a busy machine slows both alike; the table shows each side's
median wall time, their ratio and the child's peak RSS (``os.wait4``). Scenarios:

- ``pac-excel --help`` against ``python -c pass``;
- one office (``samples/``) against importing the stack a run needs (``STACK``), and the same
  run with ``--sin-publicacion`` against the workbook's stack alone;
- N generated office files (``make_office_files.py``) against the floor: a bare python-calamine
  read of every sheet plus a plain ``constant_memory`` xlsxwriter write of N×activities rows ×
  17 columns; and against the peer an analyst would write instead (``pandas.read_excel`` of
  every file, ``concat``, ``to_excel``), which does none of the job. Each of those runs is the
  cut's first (the output folder is emptied before it, untimed);
- the same files as the year's second cut (``--only second``): a copy of a folder that holds
  the first cut's history store, so the run records the second, shows Evolución and the form's
  earlier cut; against the same floor.

Folders are generated once per size in a temp dir (``make_office_files.py``: its two layout
families, the Putumayo-like letterhead sheet and the DAFP form, alternate), reused by every
side and removed before the next size. Sizes of 1,000 files and more run ``--repeat-large``
times (a run there takes minutes) and their pac-excel runs serve for both anchors. Each row
is also printed on stderr as soon as it is measured.
"""

from __future__ import annotations

import argparse
import functools
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))

from make_office_files import generate

PY = sys.executable
# The third-party stack a run imports (read off sys.modules after `consolidar samples`): the
# workbook-only run needs the first line, the publication adds ReportLab and python-docx.
# openpyxl is not imported by a run (only the tests read workbooks back with it), nor is
# holidays (pac_excel.holiday_table holds its dates).
STACK_BOOK = "import pandas, xlsxwriter, python_calamine, click, rapidfuzz, sqlite3"
STACK = STACK_BOOK + ", docx, reportlab.platypus, reportlab.pdfbase.ttfonts"
FLOOR = """
import os, sys, xlsxwriter
from python_calamine import CalamineWorkbook
for p in sys.argv[2:]:
    wb = CalamineWorkbook.from_path(p)
    for name in wb.sheet_names:
        wb.get_sheet_by_name(name).to_python()
wb = xlsxwriter.Workbook(sys.argv[1], {"constant_memory": True})
ws = wb.add_worksheet("Actividades")
for r in range(len(sys.argv[2:]) * int(os.environ["ACTS"])):
    ws.write_row(r, 0, [f"texto {r} {c}" for c in range(17)])
wb.close()
"""
PEER = """
import sys, pandas as pd
frames = []
for p in sys.argv[2:]:
    for df in pd.read_excel(p, sheet_name=None, header=None, engine="calamine").values():
        frames.append(df)
pd.concat(frames, ignore_index=True).to_excel(sys.argv[1], index=False)
"""


@dataclass
class Side:
    label: str
    cmd: list[str]
    times: list[float]
    peak_mib: float = 0.0
    failed: str = ""
    setup: Callable[[], None] | None = None  # before each run, not timed


def run(side: Side, cwd: Path, env: dict[str, str]) -> None:
    if side.setup is not None:
        side.setup()
    start = time.perf_counter()
    proc = subprocess.Popen(
        side.cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(proc.pid, 0)
    side.times.append(time.perf_counter() - start)
    side.peak_mib = max(side.peak_mib, usage.ru_maxrss / 1024)
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):  # 1: --estricto is not used; consolidar exits 0 on success
        err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
        side.failed = f"exit {code}: {err.strip().splitlines()[-1:]}"


def paired(a: Side, b: Side, repeat: int, cwd: Path, env: dict[str, str]) -> None:
    for _ in range(repeat):
        run(a, cwd, env)
        run(b, cwd, env)


def second_cut(
    first: Side,
    floor: Side,
    first_cmd: list[str],
    out: Path,
    repeat: int,
    work: Path,
    env: dict[str, str],
) -> str:
    """The same files as the August cut of a folder that holds the April one (its history
    store: Evolución, the year's earlier cut on the form), against the same floor."""
    april = work / "april"
    shutil.rmtree(april, ignore_errors=True)
    run(Side("", [str(april) if a == str(out) else a for a in first_cmd], []), work, env)

    def fresh() -> None:
        shutil.rmtree(out, ignore_errors=True)
        shutil.copytree(april, out)

    cmd = [*first_cmd[:-1], "2020-08-31"]
    side = Side(f"{first.label}, second cut", cmd, [], setup=fresh)
    for _ in range(repeat):
        run(side, work, env)
    shutil.rmtree(april)
    return row(side, floor)


def row(a: Side, b: Side) -> str:
    ma, mb = statistics.median(a.times), statistics.median(b.times)
    note = a.failed or b.failed
    return (
        f"| {a.label} | {ma:.2f} s | {a.peak_mib:.0f} MiB | {b.label} | {mb:.2f} s | "
        f"{b.peak_mib:.0f} MiB | {ma / mb:.2f}× | {note} |"
    )


def compile_package() -> None:
    """Write the package's bytecode first, as ``pip install`` does for a user.

    The stack a run is compared with was installed by pip, bytecode included; an editable
    checkout run with PYTHONDONTWRITEBYTECODE=1 (as on CI machines) would otherwise compile
    every module of pac-excel from source on every run (about 0.15 s), which no user pays.
    """
    import compileall

    compileall.compile_dir(str(ROOT / "pac_excel"), quiet=1)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10,100,1000,3000")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--repeat-large", type=int, default=1, help="repeats for 1,000 files and more"
    )
    parser.add_argument("--activities", type=int, default=40)
    parser.add_argument(
        "--only",
        default="help,office,files,second",
        help="which scenarios: help, office, files, second (the files' second cut)",
    )
    args = parser.parse_args(argv)
    only = set(args.only.split(","))
    env = {**os.environ, "PYTHONHASHSEED": "0", "ACTS": str(args.activities)}
    compile_package()
    cli = [PY, "-m", "pac_excel"]
    lines = [
        "| scenario | median | peak | anchor | median | peak | ratio | note |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if "help" in only:
            a = Side("`pac-excel --help`", [*cli, "--help"], [])
            b = Side("`python -c pass`", [PY, "-c", "pass"], [])
            paired(a, b, args.repeat, work, env)
            lines.append(row(a, b))
            print(lines[-1], file=sys.stderr, flush=True)
        if "office" in only:
            out = work / "out1"
            a = Side(
                "one office (`samples/`)",
                [*cli, "consolidar", str(ROOT / "samples"), "--salida", str(out), "-q"],
                [],
            )
            b = Side("import the stack", [PY, "-c", STACK], [])
            paired(a, b, args.repeat, work, env)
            lines.append(row(a, b))
            print(lines[-1], file=sys.stderr, flush=True)
            a = Side("one office, `--sin-publicacion`", [*a.cmd, "--sin-publicacion"], [])
            b = Side("import the workbook's stack", [PY, "-c", STACK_BOOK], [])
            paired(a, b, args.repeat, work, env)
            lines.append(row(a, b))
            print(lines[-1], file=sys.stderr, flush=True)
        sizes = [int(s) for s in args.sizes.split(",")] if "files" in only else []
        for size in sizes:
            folder = work / f"in{size}"
            files = [str(p) for p in generate(folder, size, args.activities)]
            out = work / f"out{size}"
            run_cmd = [*cli, "consolidar", str(folder), "--salida", str(out), "-q"]
            run_cmd += ["--corte", "2020-04-30"]
            repeat = args.repeat if size < 1000 else args.repeat_large
            # Each run the cut's first: no history of it yet (a rerun replaces it in the store).
            a = Side(f"{size:,} files × {args.activities} activities", run_cmd, [],
                     setup=functools.partial(shutil.rmtree, out, ignore_errors=True))  # fmt: skip
            floor = Side("floor", [PY, "-c", FLOOR, str(work / "floor.xlsx"), *files], [])
            paired(a, floor, repeat, work, env)
            lines.append(row(a, floor))
            peer = Side("peer (read_excel+concat+to_excel)", [PY, "-c", PEER], [])
            peer.cmd += [str(work / "peer.xlsx"), *files]
            if size < 1000:  # a second set of pac-excel runs; at 1,000+ the first one serves
                a.times.clear()
                paired(a, peer, max(1, repeat // 2), work, env)
            else:
                for _ in range(repeat):
                    run(peer, work, env)
            lines.append(row(a, peer))
            print(lines[-2], lines[-1], sep="\n", file=sys.stderr, flush=True)
            if "second" in only:
                lines.append(second_cut(a, floor, run_cmd, out, repeat, work, env))
                print(lines[-1], file=sys.stderr, flush=True)
            shutil.rmtree(folder)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
