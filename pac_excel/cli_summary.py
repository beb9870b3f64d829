"""cli_summary: what `pac-excel consolidar` prints once the run is done.

The cut and where it was read, the publication deadline, the files and their programs, the
counts, the publication files and the workbook. With more files than Resumen lists
(``LISTED_FILES``) the cut's origin and the programs are counted, not listed; -v lists them.
Kept apart from cli so the command module stays a thin click layer.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from pac_excel.result import Consolidation
    from pac_excel.routine.workspace import Workspace


def _listed(result: Consolidation, verbose: bool) -> bool:
    """Whether the terminal names every file: a few files, or -v (Resumen's rule)."""
    from pac_excel.write.sheets.summary_entities import LISTED_FILES

    return verbose or len(result.files_read) <= LISTED_FILES


def _cutoff_source(result: Consolidation, verbose: bool) -> str:
    """Where the cut was read; with many files their count, not a line of every cell."""
    source = result.cutoff_source
    if _listed(result, verbose) or not source.startswith("leído de "):
        return source
    from pac_excel.write.sheets.summary_entities import counted_provenance

    return f"{counted_provenance(result)}; con -v, la celda de cada uno"


def _program_lines(result: Consolidation, verbose: bool) -> list[str]:
    """Each file's program and why; with many files, the files that share both counted once."""
    items = result.file_programs
    if _listed(result, verbose):
        return [item.text for item in items]
    groups: dict[tuple[str, str, str], list[str]] = {}
    for item in items:
        groups.setdefault((item.short, item.version, item.reason), []).append(item.file)
    return [
        (files[0] if len(files) == 1 else f"{len(files)} archivos")
        + f": {short} ({version}), porque {reason}"
        for (short, version, reason), files in groups.items()
    ] + ["(con -v, archivo por archivo)"]


def show_summary(
    result: Consolidation,
    workspace: Workspace | None,
    overdue: int,
    verbose: bool,
    today: dt.date,
    all_forms: bool = False,
) -> None:
    from pac_excel.deadline import deadline_warning, publication_deadline
    from pac_excel.pipeline import TODAY_RULE
    from pac_excel.problems import Severity
    from pac_excel.write.book import thousands

    counts = {s: sum(p.severity is s for p in result.problems) for s in Severity}
    acts = result.activities
    if workspace is not None:
        click.echo(f"Carpeta de trabajo: {workspace.root.resolve()}")
    click.echo(f"Corte: {result.cutoff:%d/%m/%Y} ({_cutoff_source(result, verbose)})")
    if result.cutoff_source.startswith(TODAY_RULE):
        click.echo("  Si no es el corte que quiere, indíquelo con --corte AAAA-MM-DD.")
    click.echo(
        f"Fecha límite de publicación: {publication_deadline(result.cutoff, result.publication_days):%d/%m/%Y}"
    )
    click.echo(f"Archivos leídos: {len(result.files_read)}")
    if result.mentions_programs or verbose:  # a plain PAAC folder reads as it always has
        click.echo(f"Programa: {result.program_name} ({result.program})")
        for line in _program_lines(result, verbose):
            click.echo(f"  {line}")
    click.echo(
        f"Actividades: {thousands(len(acts))} · Vencidas: {thousands(overdue)} · "
        f"Sin avance: {thousands(result.no_progress_count)}"
    )
    info_hint = (
        "" if verbose or not counts[Severity.INFO] else " (véalos con -v o en la hoja Problemas)"
    )
    click.echo(
        f"Problemas: {counts[Severity.ERROR]} errores, {counts[Severity.WARNING]} advertencias, "
        f"{counts[Severity.INFO]} informativos{info_hint}"
    )
    for path in result.publications:
        kind = "PDF para publicar" if path.suffix == ".pdf" else "Informe para editar y firmar"
        click.echo(f"{kind}: {path}")
    from pac_excel.publish import consolidated_note  # pandas is loaded by now

    note = consolidated_note(result, all_forms, published=bool(result.publications))
    if note:
        click.echo(note)
    click.echo(f"Libro escrito: {result.output}")
    warning = deadline_warning(result.cutoff, today, result.publication_days)
    if warning:
        click.echo(warning, err=True)
