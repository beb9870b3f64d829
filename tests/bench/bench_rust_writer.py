"""rustpy-xlsxwriter (over rust_xlsxwriter) against xlsxwriter on the same big sheet. Not a test.

    pip install rustpy-xlsxwriter   # not a dependency of pac-excel
    python tests/bench/bench_rust_writer.py [--rows 40000]

Writes the same rows × 17 text/number/date columns (the shape of Actividades at 1,000 offices)
three ways, each in a child process so the peak memory is its own: xlsxwriter as pac-excel
uses it (every cell held until close), xlsxwriter ``constant_memory`` (row by row), and
rustpy-xlsxwriter's ``write_worksheet`` from a list of dicts. It also lists which features
the real workbook needs that the binding's API has, from its signature: the binding writes
one table of records per sheet, so the answer decides adoption more than the seconds do.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import os
import statistics
import subprocess
import sys
import time

CHILD = """
import datetime as dt, sys
kind, rows, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def record(r):
    return {f"c{c}": (f"texto de la actividad {r} columna {c} con algo de longitud" if c % 3 else
            (r * 0.01 if c % 2 else dt.datetime(2020, 1 + r % 12, 1 + r % 28))) for c in range(17)}
if kind == "rust":
    from rustpy_xlsxwriter import write_worksheet
    write_worksheet((record(r) for r in range(rows)), path, sheet_name="Actividades",
                    autofilter=True, freeze_row=1)
else:
    import xlsxwriter
    wb = xlsxwriter.Workbook(path, {"constant_memory": kind == "constant"})
    ws = wb.add_worksheet("Actividades")
    date = wb.add_format({"num_format": "dd/mm/yyyy"})
    ws.write_row(0, 0, [f"c{c}" for c in range(17)])
    for r in range(rows):
        for c, v in enumerate(record(r).values()):
            if isinstance(v, dt.datetime):
                ws.write_datetime(r + 1, c, v, date)
            else:
                ws.write(r + 1, c, v)
    ws.autofilter(0, 0, rows, 16)
    ws.freeze_panes(1, 0)
    wb.close()
"""

NEEDED = {  # what pac-excel's workbook uses -> the binding's parameter that could carry it
    "Excel tables (add_table)": None,
    "conditional formats by formula (Cronograma's cut month)": None,
    "per-cell formats and merged cells amid the data (Por responsable)": None,
    "native charts (Resumen)": "charts",
    "print setup (areas, repeated rows, page breaks)": "page_setup",
    "defined names": None,
    "autofilter": "autofilter",
}


def run(kind: str, rows: int, path: str) -> tuple[float, float]:
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", CHILD, kind, str(rows), path])
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"{kind} failed")
    return time.perf_counter() - start, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=40_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    kinds = ("xlsxwriter", "constant", "rust")
    times: dict[str, list[float]] = {k: [] for k in kinds}
    peaks: dict[str, float] = dict.fromkeys(kinds, 0.0)
    for _ in range(args.repeat):
        for kind in kinds:  # alternating, so a busy machine slows all alike
            seconds, peak = run(kind, args.rows, f"/tmp/bench_rust_{kind}.xlsx")
            times[kind].append(seconds)
            peaks[kind] = max(peaks[kind], peak)
    base = statistics.median(times["xlsxwriter"])
    print(f"{args.rows} rows x 17 columns, medians of {args.repeat} (whole processes)")
    for kind in kinds:
        med = statistics.median(times[kind])
        print(f"  {kind:10s} {med:6.2f} s  {base / med:4.1f}x  peak {peaks[kind]:4.0f} MiB")
    # Not a dependency (mypy and CI do not have it): looked up by name.
    binding = importlib.import_module("rustpy_xlsxwriter")
    params = inspect.signature(binding.write_worksheet).parameters
    for feature, param in NEEDED.items():
        has = param is not None and param in params
        print(f"  {'yes' if has else 'NO ':3s}  {feature}")


if __name__ == "__main__":
    main()
