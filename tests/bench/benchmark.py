"""Time pac_excel against bare reads of the same workbooks. Not a test: run it by hand.

    python tests/bench/benchmark.py [--files 50] [--activities 40] [--repeat 3] [--seed 0]

For a synthetic folder (``make_office_files.py``, in a temp dir) and for the repo's
``samples/`` folder, each scenario runs as a whole child process (interpreter start-up and
imports included), ``--repeat`` times; the table shows the best wall-clock time, the ratio to
the bare python-calamine read of the same files, and the child's peak RSS. Then
``pac_excel.consolidate`` is timed in-process, split by the pipeline stage functions it calls.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import inspect
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
CUTOFF = dt.date(2020, 4, 30)
EXCEL_SUFFIXES = (".xlsx", ".xlsm")

BARE_CALAMINE = "bare read: python-calamine"
STARTUP = "import pandas, openpyxl, python_calamine"
CALAMINE = """
import sys
from python_calamine import CalamineWorkbook
cells = 0
for p in sys.argv[1:]:
    wb = CalamineWorkbook.from_path(p)
    for name in wb.sheet_names:
        cells += sum(len(r) for r in wb.get_sheet_by_name(name).to_python())
print(cells)
"""
PANDAS = """
import sys
import pandas as pd
cells = 0
for p in sys.argv[1:]:
    for df in pd.read_excel(p, engine="openpyxl", sheet_name=None, header=None).values():
        cells += df.size
print(cells)
"""


@dataclass
class Run:
    seconds: float
    peak_rss: int | None  # bytes; None where os.wait4 is missing (Windows)
    returncode: int
    stdout: str
    stderr: str


@dataclass
class Row:
    scenario: str
    folder: str
    files: int
    activities: str
    run: Run


def run_child(cmd: Sequence[str], cwd: Path, env: dict[str, str]) -> Run:
    """Run ``cmd`` to completion; wall-clock seconds and the child's own peak RSS."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=err)
        if hasattr(os, "wait4"):
            # wait4 gives this child's rusage; RUSAGE_CHILDREN deltas cannot, because its
            # ru_maxrss is the max over all children so far, not a sum.
            _, status, usage = os.wait4(proc.pid, 0)
            seconds = time.perf_counter() - start
            proc.returncode = os.waitstatus_to_exitcode(status)
            unit = 1 if sys.platform == "darwin" else 1024  # bytes on macOS, KiB on Linux
            peak: int | None = usage.ru_maxrss * unit
        else:
            proc.wait()
            seconds = time.perf_counter() - start
            peak = None
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    return Run(seconds, peak, proc.returncode, stdout, stderr)


def best_of(repeat: int, cmd: Sequence[str], cwd: Path, env: dict[str, str]) -> Run:
    runs = [run_child(cmd, cwd, env) for _ in range(repeat)]
    best = min(runs, key=lambda r: r.seconds)
    peaks = [r.peak_rss for r in runs if r.peak_rss is not None]
    best.peak_rss = max(peaks) if peaks else None
    return best


def excel_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in EXCEL_SUFFIXES)


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (str(ROOT), env.get("PYTHONPATH"))))
    env.setdefault("PYTHONHASHSEED", "0")
    return env


def bench_folder(label: str, folder: Path, activities: str, repeat: int, work: Path) -> list[Row]:
    files = excel_files(folder)
    paths = [str(p) for p in files]
    env = child_env()
    py = sys.executable
    out = work / f"salida_{label}"
    out.mkdir(parents=True, exist_ok=True)
    scenarios: list[tuple[str, list[str]]] = [
        ("start-up: import pandas, openpyxl, calamine", [py, "-c", STARTUP]),
        (BARE_CALAMINE, [py, "-c", CALAMINE, *paths]),
        ("bare read: pandas + openpyxl", [py, "-c", PANDAS, *paths]),
        (
            "pac_excel consolidar (CLI)",
            [py, "-m", "pac_excel", "consolidar", str(folder)]
            + ["--corte", CUTOFF.isoformat(), "--salida", str(out)],
        ),
    ]
    rows = []
    for scenario, cmd in scenarios:
        print(f"  {label}: {scenario} ...", file=sys.stderr, flush=True)
        # cwd is the scratch dir, so a default "output/" never lands in the repo.
        rows.append(Row(scenario, label, len(files), activities, best_of(repeat, cmd, work, env)))
    return rows


def print_table(rows: Sequence[Row]) -> None:
    header = (
        "scenario",
        "folder",
        "files",
        "activities",
        "seconds",
        "x calamine",
        "peak MiB",
        "note",
    )
    table: list[tuple[str, ...]] = [header]
    for row in rows:
        base = next(
            (r.run.seconds for r in rows if r.folder == row.folder and r.scenario == BARE_CALAMINE),
            None,
        )
        ratio = f"{row.run.seconds / base:.1f}" if base else "-"
        peak = f"{row.run.peak_rss / 2**20:.0f}" if row.run.peak_rss is not None else "n/a"
        note = ""
        if row.run.returncode != 0:
            lines = [ln for ln in row.run.stderr.strip().splitlines() if ln.strip()]
            note = f"FAILED rc={row.run.returncode}" + (f": {lines[-1][:70]}" if lines else "")
        elif found := re.search(r"^Actividades: (\d+)", row.run.stdout, re.MULTILINE):
            note = f"CLI found {found[1]} activities"
        table.append(
            (
                row.scenario,
                row.folder,
                str(row.files),
                row.activities,
                f"{row.run.seconds:.2f}",
                ratio,
                peak,
                note,
            )
        )
    widths = [max(len(r[i]) for r in table) for i in range(len(header))]
    right = {2, 3, 4, 5, 6}
    for n, r in enumerate(table):
        cells = [
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(r, widths, strict=True))
        ]
        print("  ".join(cells).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))


# In-process, per stage


class StageTimer:
    """Wraps the pac_excel functions that ``consolidate``'s module calls, and times them.

    Only the outermost wrapped call is timed, so a stage that calls another wrapped stage is
    not counted twice.
    """

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.calls: dict[str, int] = {}
        self._depth = 0
        self._patched: list[tuple[ModuleType, str, Any]] = []

    def wrap(self, owner: ModuleType, attr: str, label: str) -> None:
        func = getattr(owner, attr)

        @functools.wraps(func)
        def timed(*args: Any, **kwargs: Any) -> Any:
            if self._depth:
                return func(*args, **kwargs)
            self._depth += 1
            start = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                self.seconds[label] = self.seconds.get(label, 0.0) + time.perf_counter() - start
                self.calls[label] = self.calls.get(label, 0) + 1
                self._depth -= 1

        self._patched.append((owner, attr, func))
        setattr(owner, attr, timed)

    def patch_stages(self, module: ModuleType) -> None:
        """Wrap pac_excel functions named in ``module``'s globals, and those of its modules."""
        for name, value in list(vars(module).items()):
            if inspect.isfunction(value) and _is_stage(value, module):
                self.wrap(module, name, f"{value.__module__.split('.')[-1]}.{name}")
            elif isinstance(value, ModuleType) and value.__name__.startswith("pac_excel."):
                for fname, fvalue in list(vars(value).items()):
                    if (
                        inspect.isfunction(fvalue)
                        and not fname.startswith("_")
                        and fvalue.__module__ == value.__name__
                    ):
                        self.wrap(value, fname, f"{value.__name__.split('.')[-1]}.{fname}")

    def restore(self) -> None:
        for owner, attr, func in reversed(self._patched):
            setattr(owner, attr, func)
        self._patched.clear()

    def reset(self) -> None:
        self.seconds.clear()
        self.calls.clear()


def _is_stage(func: Callable[..., Any], module: ModuleType) -> bool:
    mod = getattr(func, "__module__", "") or ""
    return mod.startswith("pac_excel.") and mod != module.__name__


def bench_in_process(label: str, files: list[Path], repeat: int, work: Path) -> None:
    print(f"\nIn-process pac_excel.consolidate on {label} ({len(files)} files), best of {repeat}:")
    sys.path.insert(0, str(ROOT))
    first_import = "pac_excel" not in sys.modules
    start = time.perf_counter()
    try:
        import pac_excel

        consolidate = pac_excel.consolidate
    except (ImportError, AttributeError) as exc:
        print(f"  not available yet: {type(exc).__name__}: {exc}")
        return
    import_seconds = time.perf_counter() - start
    module = inspect.getmodule(consolidate)
    timer = StageTimer()
    if module is not None:
        timer.patch_stages(module)
    best: tuple[float, dict[str, float], dict[str, int], int | None] | None = None
    try:
        for _ in range(repeat):
            timer.reset()
            out = work / f"inproc_{label}"
            shutil.rmtree(out, ignore_errors=True)
            out.mkdir(parents=True)
            start = time.perf_counter()
            try:
                result = consolidate(files, cutoff=CUTOFF, output_dir=out)
            except Exception as exc:  # noqa: BLE001 - report any pipeline bug, keep timing
                print(f"  consolidate raised {type(exc).__name__}: {exc}")
                return
            total = time.perf_counter() - start
            activities = getattr(result, "activities", None)
            n_activities = len(activities) if activities is not None else None
            if best is None or total < best[0]:
                best = (total, dict(timer.seconds), dict(timer.calls), n_activities)
    finally:
        timer.restore()
    assert best is not None
    total, seconds, calls, n_activities = best
    if first_import:
        print(f"  import pac_excel: {import_seconds:.2f} s (not included below)")
    print(f"  activities found: {n_activities if n_activities is not None else '?'}")
    width = max([len(k) for k in seconds] + [len("consolidate total")])
    for name, secs in sorted(seconds.items(), key=lambda kv: -kv[1]):
        print(f"  {name:<{width}}  {secs:7.3f} s  {secs / total:5.1%}  ({calls[name]} calls)")
    other = total - sum(seconds.values())
    print(f"  {'(not in a stage)':<{width}}  {other:7.3f} s  {other / total:5.1%}")
    print(f"  {'consolidate total':<{width}}  {total:7.3f} s")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Benchmark pac_excel against bare reads.")
    parser.add_argument("--files", type=int, default=50, help="synthetic files (default 50)")
    parser.add_argument("--activities", type=int, default=40, help="per file (default 40)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per scenario; best is kept")
    parser.add_argument("--seed", type=int, default=0, help="generator seed (default 0)")
    args = parser.parse_args(argv)
    if args.files < 1 or args.activities < 1 or args.repeat < 1:
        parser.error("--files, --activities and --repeat must be >= 1")

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from make_office_files import generate

    print(
        f"Python {platform.python_version()} on {platform.platform()}, "
        f"{os.cpu_count()} CPUs; best of {args.repeat}\n"
    )
    with tempfile.TemporaryDirectory(prefix="pac_excel_bench_") as tmp:
        work = Path(tmp)
        synthetic = work / "synthetic"
        generate(synthetic, args.files, args.activities, args.seed)
        rows = bench_folder(
            "synthetic", synthetic, str(args.files * args.activities), args.repeat, work
        )
        if excel_files(SAMPLES):
            rows += bench_folder("samples", SAMPLES, "-", args.repeat, work)
        print_table(rows)

        bench_in_process("synthetic", excel_files(synthetic), args.repeat, work)
        if excel_files(SAMPLES):
            bench_in_process("samples", excel_files(SAMPLES), args.repeat, work)


if __name__ == "__main__":
    main()
