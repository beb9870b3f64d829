"""cli: the ``pac-excel`` command, a thin click layer over ``pac_excel.consolidate``."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from . import __version__
from .cutoff import CutoffError
from .pipeline import DEFAULT_OUTPUT, consolidate
from .problems import Severity, sort_key
from .write import OutputError

EXIT_OK = 0
EXIT_STRICT = 1
EXIT_USAGE = 2

CONTEXT = {"help_option_names": ["-h", "--help"]}


def _parse_date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise click.BadParameter(
            f"«{value}» no es una fecha AAAA-MM-DD (por ejemplo 2020-04-30)."
        ) from None


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "--version", message="pac-excel %(version)s")
def cli() -> None:
    """Consolida los seguimientos del Plan Anticorrupción y de Atención al Ciudadano (PAAC).

    \b
    Ejemplo:
        pac-excel consolidar seguimientos/ --corte 2020-04-30
    """


@cli.command(context_settings=CONTEXT)
@click.argument("entradas", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--corte",
    callback=_parse_date,
    metavar="AAAA-MM-DD",
    help="Fecha de corte. Si no se indica, se toma de los archivos (FECHA CORTE).",
)
@click.option(
    "--salida",
    type=click.Path(path_type=Path),
    default=DEFAULT_OUTPUT,
    show_default=True,
    metavar="CARPETA",
    help="Carpeta donde se escribe el libro consolidado.",
)
@click.option(
    "-v", "--detallado", "verbose", is_flag=True, help="Muestra también los avisos informativos."
)
def consolidar(
    entradas: tuple[Path, ...], corte: dt.date | None, salida: Path, verbose: bool
) -> None:
    """Lee los seguimientos de ENTRADAS (archivos o carpetas; por defecto samples/) y escribe
    un libro consolidado con alertas, problemas y gráficos.

    \b
    Ejemplos:
        pac-excel consolidar
        pac-excel consolidar seguimientos/ --corte 2020-04-30 --salida informes/
    """
    inputs = list(entradas) or [Path("samples")]
    try:
        result = consolidate(inputs, cutoff=corte, output_dir=salida)
    except CutoffError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    except OutputError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(EXIT_USAGE)

    shown = [p for p in result.problems if verbose or p.severity is not Severity.INFO]
    for problem in sorted(shown, key=sort_key):
        click.echo(problem.line(), err=True)
    counts = {s: sum(p.severity is s for p in result.problems) for s in Severity}
    acts = result.activities
    alerts = acts["alerts"].fillna("")
    click.echo(f"Corte: {result.cutoff:%d/%m/%Y} ({result.cutoff_source})")
    click.echo(f"Archivos leídos: {len(result.files_read)}")
    click.echo(
        f"Actividades: {len(acts)} · Vencidas: {int(alerts.str.contains('Vencida').sum())}"
        f" · Sin avance: {int(alerts.str.contains('Sin avance').sum())}"
    )
    info_hint = (
        "" if verbose or not counts[Severity.INFO] else " (véalos con -v o en la hoja Problemas)"
    )
    click.echo(
        f"Problemas: {counts[Severity.ERROR]} errores, {counts[Severity.WARNING]} advertencias, "
        f"{counts[Severity.INFO]} informativos{info_hint}"
    )
    click.echo(f"Libro escrito: {result.output}")
    if not result.files_read or acts.empty:
        click.echo("Error: no se pudo leer ninguna actividad de las entradas.", err=True)
        sys.exit(EXIT_USAGE)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="pac-excel")
