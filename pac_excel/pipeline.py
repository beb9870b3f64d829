"""pipeline: read -> normalize -> check -> write, the one call the CLI makes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path

from .catalog import Catalog
from .check import check
from .cutoff import resolve_cutoff
from .normalize import normalize
from .problems import Problem, Severity
from .read import RawSheet, collect_inputs, read_file
from .result import Consolidation
from .write import OutputError, write_workbook

DEFAULT_OUTPUT = Path("output")


def output_name(cutoff: dt.date) -> str:
    """seguimiento_paac_AAAA-MM-DD.xlsx: one workbook per cut, rerun-safe."""
    return f"seguimiento_paac_{cutoff:%Y-%m-%d}.xlsx"


def read_inputs(
    inputs: Iterable[Path], problems: list[Problem]
) -> tuple[list[RawSheet], list[str]]:
    """Every sheet of every spreadsheet found in ``inputs`` (files or folders)."""
    sheets: list[RawSheet] = []
    names: list[str] = []
    for item in collect_inputs(inputs, problems):
        found = read_file(item, problems)
        if found:
            names.append(item.name)
        sheets.extend(found)
    return sheets, names


def consolidate(
    inputs: Sequence[Path],
    *,
    cutoff: dt.date | None = None,
    output_dir: Path | None = DEFAULT_OUTPUT,
    catalog: Catalog | None = None,
) -> Consolidation:
    """Consolidate the follow-ups in ``inputs`` at ``cutoff`` and write the workbook.

    Bad data never raises: it ends up in ``problems``. Raises ``CutoffError`` when no cut-off
    can be decided and ``OutputError`` when the workbook cannot be written. With
    ``output_dir=None`` nothing is written (the frames are still returned).
    """
    problems: list[Problem] = []
    sheets, files_read = read_inputs(inputs, problems)
    normalized = normalize(sheets, problems, catalog)
    chosen, source = resolve_cutoff(cutoff, normalized.sources, problems)
    checked = check(normalized.activities, normalized.deliveries, chosen)
    entities = list(dict.fromkeys(s.entity for s in normalized.sources if s.entity))
    years = sorted({s.year for s in normalized.sources if s.year})
    for info in normalized.sources:
        if not info.entity:
            problems.append(
                Problem(
                    info.file,
                    None,
                    None,
                    None,
                    Severity.INFO,
                    "entidad-no-encontrada",
                    "No se encontró el nombre de la entidad en el archivo (una celda "
                    "«Entidad:» o el membrete).",
                )
            )
    result = Consolidation(
        activities=checked.activities,
        deliveries=checked.deliveries,
        alerts=checked.alerts,
        problems=problems,
        cutoff=chosen,
        cutoff_source=source,
        files_read=files_read,
        entities=entities,
        years=years,
    )
    if output_dir is not None:
        try:
            output_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(
                f"No se pudo crear la carpeta de salida {output_dir}: {exc.strerror}."
            ) from exc
        result.output = write_workbook(result, output_dir / output_name(chosen))
    return result
