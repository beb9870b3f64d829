"""Time and peak memory of write_workbook on a large synthetic run. Not a test: run it by hand.

    python tests/bench/bench_write.py [--activities 20000] [--repeat 3] [--keep FILE]

The frames are built in-process (no reading, no checking), so the figures are the writer's
own: wall-clock seconds of ``write_workbook`` (best of ``--repeat``) and the peak resident
memory it added on top of the frames (Linux: VmHWM reset through /proc/self/clear_refs; elsewhere
the process peak, which includes the frames). The workbook size and its row counts per sheet
are printed too, so a change that drops rows does not pass as a speed-up.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from pac_excel.check.labels import ALERTS, alert_column
from pac_excel.check.rules import delivery_states
from pac_excel.frames import (
    ALERT_DTYPES,
    CHECKED_ACTIVITY_DTYPES,
    DELIVERY_DTYPES,
)
from pac_excel.result import Consolidation
from pac_excel.write.workbook import write_workbook

CUTOFF = dt.date(2020, 4, 30)
COMPONENTS = [
    "1. Gestión del Riesgo de Corrupción – Mapa de Riesgos de Corrupción",
    "2. Racionalización de Trámites",
    "3. Rendición de Cuentas",
    "4. Mecanismos para Mejorar la Atención al Ciudadano",
    "5. Mecanismos para la Transparencia y Acceso a la Información",
    "6. Iniciativas Adicionales",
]
OWNERS = [
    "Secretaría de Planeación",
    "Secretaría de Planeación / TIC",
    "Secretaría General - Archivo",
    "Secretaría de Servicios Administrativos – Gestión Atención al Usuario.",
    "Oficina de Control Interno",
    "Secretaría de Hacienda - Oficina de Sistemas",
    "Despacho del Alcalde\nSecretaría de Gobierno",
    *(f"Secretaría de Área {i}" for i in range(40)),
]
STATUSES = ["Cumplida", "En curso", "Vencida", "Sin iniciar", "No aplica", "Sin dato"]
WORDS = [
    "realizar",
    "actualizar",
    "publicar",
    "socializar",
    "el",
    "la",
    "los",
    "mapa",
    "de",
    "riesgos",
    "informe",
    "página",
    "web",
    "ciudadanía",
    "trámites",
    "audiencia",
    "pública",
    "rendición",
    "cuentas",
    "seguimiento",
    "evidencias",
    "acta",
]


def _texts(rng: np.random.Generator, n: int, words: int) -> list[str]:
    picks = rng.choice(WORDS, size=(n, words))
    return [" ".join(row).capitalize() for row in picks]


def synthetic(n: int, seed: int = 0) -> Consolidation:
    """n activities over two entities, 1-4 dated deliveries each (a tenth permanent)."""
    rng = np.random.default_rng(seed)
    component = rng.integers(1, 7, n)
    n_dates = rng.integers(1, 5, n)
    permanent = rng.random(n) < 0.1
    n_dates[permanent] = 0
    progress = rng.choice([0.0, 0.25, 0.33, 0.5, 1.0], n)
    status = rng.choice(STATUSES, n)
    na = status == "No aplica"
    expected = np.round(rng.random(n), 2)
    compliance = np.minimum(1.0, progress / np.maximum(expected, 0.01))
    light = np.select([compliance < 0.6, compliance < 0.8], ["Rojo", "Amarillo"], "Verde")
    alerts = rng.choice(["", "vencida", "vencida sin-avance", "proxima-a-vencer"], n)
    acts = pd.DataFrame(
        {
            "activity_id": np.arange(n),
            "file": [f"seguimiento_{i % 50:02d}.xlsx" for i in range(n)],
            "sheet": "PAAC",
            "row": 10 + np.arange(n) % 400,
            "entity": np.where(np.arange(n) % 2 == 0, "Alcaldía de Prueba", "Gobernación X"),
            "year": 2020,
            "component": component,
            "component_label": [COMPONENTS[c - 1] for c in component],
            "subcomponent": _texts(rng, n, 4),
            "activity": _texts(rng, n, 25),
            "goal": _texts(rng, n, 10),
            "owner": rng.choice(OWNERS, n),
            "schedule": np.where(permanent, "Permanente", "31/03/2020; 30/06/2020"),
            "permanent": permanent,
            "n_dates": n_dates,
            "progress": np.where(na, np.nan, progress),
            "progress_text": None,
            "not_applicable": na,
            "followup": _texts(rng, n, 60),
            "expected": expected,
            "compliance": np.where(na, np.nan, compliance),
            "traffic_light": pd.Series(light).where(~na, None).to_numpy(dtype=object),
            "status": status,
            "next_date": pd.Timestamp("2020-06-30"),
            **{alert_column(code): np.char.find(alerts.astype(str), code) >= 0 for code in ALERTS},
        }
    ).astype(CHECKED_ACTIVITY_DTYPES)
    ids = np.repeat(acts["activity_id"].to_numpy(), n_dates)
    seq = np.concatenate([np.arange(1, k + 1) for k in n_dates]) if n else np.array([], int)
    months = np.minimum(12, seq * 3)
    dates = pd.to_datetime(
        {"year": np.full(len(seq), 2020), "month": months, "day": np.full(len(seq), 28)}
    )
    deliveries = pd.DataFrame(
        {"activity_id": ids, "sequence": seq, "date": dates, "due": dates <= pd.Timestamp(CUTOFF)}
    ).astype({**DELIVERY_DTYPES, "due": "boolean"})
    deliveries = delivery_states(acts, deliveries)
    flagged = acts.loc[acts["alert_vencida"]]
    alert_frame = pd.DataFrame(
        {
            "activity_id": flagged["activity_id"],
            "file": flagged["file"],
            "sheet": flagged["sheet"],
            "row": flagged["row"],
            "component_label": flagged["component_label"],
            "activity": flagged["activity"],
            "owner": flagged["owner"],
            "alert": "Vencida",
            "code": "vencida",
            "detail": "Avance reportado 0 %, esperado 25 % al 30/04/2020.",
        }
    ).astype(ALERT_DTYPES)
    return Consolidation(
        activities=acts,
        deliveries=deliveries,
        alerts=alert_frame,
        problems=[],
        cutoff=CUTOFF,
        cutoff_source="--corte",
        files_read=sorted(set(acts["file"])),
        entities=["Alcaldía de Prueba", "Gobernación X"],
        years=[2020],
    )


def _rss_kib(field: str) -> int | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def _reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="also copy the last workbook here")
    args = parser.parse_args()

    result = synthetic(args.activities)
    print(
        f"{len(result.activities):,} activities, {len(result.deliveries):,} deliveries, "
        f"{len(result.alerts):,} alerts"
    )
    times, peaks = [], []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "grande.xlsx"
        for _ in range(args.repeat):
            exact = _reset_peak()
            before = _rss_kib("VmRSS") or 0
            start = time.perf_counter()
            write_workbook(result, out)
            times.append(time.perf_counter() - start)
            peak = _rss_kib("VmHWM")
            if peak is not None:
                peaks.append((peak - before if exact else peak) / 1024)
        size = out.stat().st_size / 2**20
        with zipfile.ZipFile(out) as zf:
            parts = len(zf.namelist())
        if args.keep:
            args.keep.write_bytes(out.read_bytes())
    print(f"write_workbook: best {min(times):.2f} s, runs {', '.join(f'{t:.2f}' for t in times)}")
    if peaks:
        label = "added" if _reset_peak() else "process peak"
        print(f"peak RSS ({label}): {max(peaks):.0f} MiB")
    print(f"workbook: {size:.1f} MiB, {parts} zip parts")


if __name__ == "__main__":
    main()
