"""listing: what ``pac-excel historial`` prints about the stored cuts, in Spanish."""

from __future__ import annotations

from collections.abc import Sequence

from pac_excel.history.store import ORIGIN_FILE, StoredCut

NO_ENTITY = "Entidad sin identificar"


def cut_lines(cuts: Sequence[StoredCut]) -> list[str]:
    """One line per stored cut: entity, program, cut, files, activities, run date."""
    if not cuts:
        return ["El historial no tiene cortes todavía: se llena con cada pac-excel consolidar."]
    lines = []
    for cut in cuts:
        files = ", ".join(cut.files) or "sin archivos"
        origin = " (tomado de otro corte del archivo)" if cut.origin == ORIGIN_FILE else ""
        lines.append(
            f"{cut.entity or NO_ENTITY} · {cut.program} · corte {cut.cut_date:%d/%m/%Y} · "
            f"{cut.activities} actividades · {files} · registrado el {cut.run_at[:10]}{origin}"
        )
    return lines
