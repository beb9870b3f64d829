"""cli: the ``pac-excel`` command, a thin click layer over the library, all in Spanish.

The people who run it are OCI staff, not programmers: every line they read (help, errors,
click's own "Usage:" and "Options:") is Spanish, no Python traceback reaches them unless they
ask with -v, and the exit codes are stable so a scheduled task can act on them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NoReturn, TextIO, TypeVar

import click
import click.exceptions

from pac_excel import __version__
from pac_excel.cli_spanish import SpanishGroup
from pac_excel.cli_values import (
    address_option,
    date_option,
    not_a_working_folder,
    unofficial_cut_note,
)
from pac_excel.errors import PacExcelError, UsageError

# The rest of the package (pandas, the readers, xlsxwriter, rapidfuzz) is imported inside the
# command that needs it: --help, iniciar and a usage error must start in a blink.
if TYPE_CHECKING:
    from click._termui_impl import ProgressBar as ClickBar

    from pac_excel.problems import Problem
    from pac_excel.result import Consolidation
    from pac_excel.routine.config import Config
    from pac_excel.routine.workspace import Workspace

EXIT_OK = 0
EXIT_STRICT = 1  # --estricto found vencidas or Error problems
EXIT_INTERNAL = 1  # an unexpected error inside pac-excel
EXIT_USAGE = 2  # usage or config error, nothing readable, workbook not written
EXIT_SEND = 3  # the e-mail could not be sent (the draft is still written)
EXIT_PIPE = 141  # what a shell shows for a command whose reader went away (128 + SIGPIPE)
PLAN_FOLDER = "plan"  # in a working folder: the plan as published, read by consolidar

DEFAULT_INPUT = Path("samples")
PROGRESS_MIN_FILES = 5  # fewer files read in a blink: a bar would only flicker
VERBOSE_KEY = "pac_excel.verbose"
QUIET_KEY = "pac_excel.quiet"

F = TypeVar("F", bound=Callable[..., Any])


class PacExcelGroup(SpanishGroup):
    """The top command: each error a Spanish line and its exit code, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except PacExcelError as exc:  # the one place a command's failure becomes its exit code
            _stop(ctx, exc, exc.exit_code)
        except BrokenPipeError:  # `pac-excel … | head`: the reader has all it wanted
            _stdout_gone()
            ctx.exit(EXIT_PIPE)
        except Exception as exc:  # noqa: BLE001 - the last line of defence: Spanish, exit 1
            if ctx.meta.get(VERBOSE_KEY):
                click.echo(traceback.format_exc(), err=True, nl=False)
            click.echo(
                f"Error interno de pac-excel ({type(exc).__name__}: {exc}). Vuelva a ejecutar "
                "la misma orden con -v para ver el detalle técnico y envíelo a quien mantiene "
                "pac-excel.",
                err=True,
            )
            ctx.exit(EXIT_INTERNAL)


def _stdout_gone() -> None:
    """Point standard output at the null device, so that nothing written or flushed to it
    later fails again (Python's documented way to stop quietly on a closed pipe)."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

# Shared pieces -----------------------------------------------------------------------------


def _remember_verbose(ctx: click.Context, _param: click.Parameter, value: bool) -> bool:
    ctx.meta[VERBOSE_KEY] = value
    return value


def _remember_quiet(ctx: click.Context, _param: click.Parameter, value: bool) -> bool:
    ctx.meta[QUIET_KEY] = value
    return value


def _verbosity(command: F) -> F:
    """-v / -q, the same on every command."""
    command = click.option(
        "-q",
        "--silencioso",
        "quiet",
        is_flag=True,
        callback=_remember_quiet,
        help="Muestra solo los errores y el resultado final.",
    )(command)
    return click.option(
        "-v",
        "--detallado",
        "verbose",
        is_flag=True,
        callback=_remember_verbose,
        help="Muestra también los avisos informativos y, si algo falla, el detalle técnico.",
    )(command)


def _folder_option(command: F) -> F:
    return click.option(
        "--carpeta",
        type=click.Path(file_okay=False, path_type=Path),
        metavar="CARPETA",
        help="Carpeta de trabajo (la que tiene pac-excel.toml) si no es la actual; útil en "
        "una tarea programada.",
    )(command)


def _check_verbosity(verbose: bool, quiet: bool) -> None:
    if verbose and quiet:
        raise click.UsageError("Use -v o -q, no los dos a la vez.")


def _stop(ctx: click.Context, exc: Exception, code: int) -> NoReturn:
    """How every command fails: the problems found so far, ``Error: …``, the exit code."""
    problems: Sequence[Problem] = exc.problems if isinstance(exc, PacExcelError) else ()
    _show_problems(problems, bool(ctx.meta.get(VERBOSE_KEY)), bool(ctx.meta.get(QUIET_KEY)))
    click.echo(f"Error: {exc}", err=True)
    if ctx.meta.get(VERBOSE_KEY) and exc.__cause__ is not None:  # the system's own words
        click.echo(f"Detalle técnico: {type(exc.__cause__).__name__}: {exc.__cause__}", err=True)
    ctx.exit(code)


def _working_folder(folder: Path | None, quiet: bool) -> tuple[Workspace | None, Config]:
    """The working folder (given, or the current one if it has pac-excel.toml) and its config."""
    from pac_excel.routine.config import DEFAULT_CONFIG, load_config
    from pac_excel.routine.workspace import enclosing_workspace, find_workspace

    if folder is not None:
        workspace = find_workspace(folder)
        if workspace is None:
            raise UsageError(
                f"{folder} no es una carpeta de trabajo de pac-excel (no tiene pac-excel.toml). "
                f"Créela con: pac-excel iniciar {folder}"
            )
    else:
        workspace = find_workspace(Path("."))
        parent = None if workspace else enclosing_workspace(Path.cwd())
        if parent is not None and not quiet:
            click.echo(
                f"Nota: esta carpeta está dentro de la carpeta de trabajo {parent}; para usarla "
                f"ejecute pac-excel desde allí o con --carpeta {parent}.",
                err=True,
            )
    if workspace is None:
        return None, DEFAULT_CONFIG
    return workspace, load_config(workspace.config_path)


def _is_terminal(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class ProgressBar:
    """click's bar on stderr while files are read; silent off a terminal or for a few files."""

    def __init__(self, stream: TextIO, enabled: bool, minimum: int = PROGRESS_MIN_FILES) -> None:
        self.stream = stream
        self.enabled = enabled and _is_terminal(stream)
        self.minimum = minimum
        self.bar: ClickBar[str] | None = None

    def __call__(self, done: int, total: int, name: str) -> None:
        if not self.enabled or total < self.minimum:
            return
        if self.bar is None:
            self.bar = click.progressbar(
                length=total,
                label="Leyendo archivos",
                file=self.stream,
                show_pos=True,
                show_eta=False,
                item_show_func=_show_item,
            )
        shown = name if len(name) <= 40 else "…" + name[-39:]
        self.bar.update(1, shown)

    def close(self) -> None:
        """End the bar's line so the summary starts on a fresh one."""
        if self.bar is not None:
            self.bar.render_finish()
            self.bar = None


def _show_item(item: str | None) -> str | None:
    return item


def consolidate(*args: Any, **kwargs: Any) -> Consolidation:
    """``pipeline.consolidate``, imported only when a run needs it (start-up stays light)."""
    from pac_excel.pipeline import consolidate as run

    imports_done()
    return run(*args, **kwargs)


def imports_done() -> None:
    """Turn the garbage collector back on once a command's modules are imported.

    The console entry (``run``) turns it off first: importing pandas and the rest makes some
    600,000 objects, none of them garbage, and the collections it set off were 40-50 ms of a
    one-office run. Those objects are then frozen out of every later collection (a full one
    walked them all: 0.2-0.4 s of a 1,000-file run in the parent, again in each child) and
    stay untouched in the processes forked later, which share their pages. Called in-process
    (``main``, the tests), the collector was never turned off and nothing changes.
    """
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


# Commands ----------------------------------------------------------------------------------


@click.group("pac-excel", cls=PacExcelGroup, context_settings=CONTEXT)
@click.version_option(
    __version__,
    "--version",
    message="pac-excel %(version)s",
    help="Muestra la versión y termina.",
)
def cli() -> None:
    """Consolida los seguimientos del Plan Anticorrupción y de Atención al Ciudadano (PAAC).

    \b
    La rutina de cada corte:
        pac-excel iniciar C:\\PAAC       crea la carpeta de trabajo (una sola vez)
        pac-excel consolidar           lee entrada\\ y escribe el libro en salida\\
        pac-excel correo --enviar      envía el libro al director

    Ayuda de cada comando: pac-excel COMANDO --help
    """
    from pac_excel.read.xml_guard import ensure_safe_xml

    ensure_safe_xml()


@cli.command(
    context_settings=CONTEXT,
    short_help="Crea una carpeta de trabajo: entrada, salida y pac-excel.toml.",
)
@click.argument("carpeta", required=False, default=".", type=click.Path(path_type=Path))
@click.option(
    "--entidad",
    metavar="NOMBRE",
    help="Nombre de la entidad, para escribirlo en pac-excel.toml.",
)
@_verbosity
def iniciar(carpeta: Path, entidad: str | None, verbose: bool, quiet: bool) -> None:
    """Crea una carpeta de trabajo: entrada\\, salida\\ y pac-excel.toml (por defecto, en la
    carpeta actual). Nunca reemplaza un pac-excel.toml que ya exista.

    \b
    Ejemplos:
        pac-excel iniciar C:\\PAAC --entidad "Gobernación del Putumayo"
        pac-excel iniciar
    """
    _check_verbosity(verbose, quiet)
    from pac_excel.routine.workspace import init_workspace

    imports_done()

    report = init_workspace(carpeta, entidad)
    workspace = report.workspace
    root = workspace.root.resolve()
    if quiet:
        click.echo(f"Carpeta de trabajo: {root}")
        return
    items = (
        (workspace.inbox, f"entrada{os.sep}", "creada", "copie aquí los seguimientos"),
        (workspace.outbox, f"salida{os.sep}", "creada", "aquí quedan el libro y el correo"),
        (
            workspace.config_path,
            "pac-excel.toml",
            "creado",
            "revise la entidad y el correo (ábralo con el Bloc de notas)",
        ),
    )
    click.echo(f"Carpeta de trabajo: {root}")
    for path, name, created, note in items:
        state = f"{created}: {note}" if path in report.created else "ya existía: no se modificó"
        click.echo(f"  {name:<16}{state}")
    click.echo(f'Siguiente paso: cd "{root}" y luego pac-excel consolidar')


@cli.command(
    context_settings=CONTEXT, short_help="Lee los seguimientos y escribe el libro consolidado."
)
@click.argument("entradas", nargs=-1, type=click.Path(path_type=Path), metavar="[ENTRADAS]...")
@click.option(
    "--corte",
    callback=date_option,
    metavar="AAAA-MM-DD",
    help="Fecha de corte. Si no se indica, se toma de los archivos (FECHA CORTE) y, si "
    "ninguno la trae, de la fecha de hoy.",
)
@click.option(
    "--salida",
    type=click.Path(path_type=Path),
    metavar="CARPETA",
    help="Carpeta donde se escribe el libro (por defecto salida\\ en una carpeta de trabajo; "
    "fuera de ella, output\\).",
)
@_folder_option
@click.option(
    "--estricto",
    is_flag=True,
    help="Termina con código 1 si hay actividades vencidas o archivos con errores (para una "
    "tarea programada que deba notarlo).",
)
@click.option(
    "--plan",
    "planes",
    multiple=True,
    type=click.Path(path_type=Path),
    metavar="ARCHIVO",
    help="El plan como se publicó en enero, para compararlo con el seguimiento (por defecto, "
    "la carpeta plan\\ de la carpeta de trabajo si existe).",
)
@click.option(
    "--programa",
    metavar="PROGRAMA",
    help="PTEP, PAAC o PAAC2012: el programa de todos los archivos (por defecto se decide por "
    "archivo, por su título, sus secciones y su vigencia).",
)
@click.option(
    "--sin-publicacion",
    is_flag=True,
    help="Escribe solo el libro, sin el PDF ni el informe (más rápido con cientos de archivos).",
)
@click.option(
    "--todos-los-formularios",
    is_flag=True,
    help="Con más de 10 entidades, incluye en el PDF y el informe el formato Seguimiento OCI de "
    "cada una (por defecto son el informe consolidado) y en el libro las hojas Seguimiento OCI "
    "y Por responsable.",
)
@click.option("--hoy", callback=date_option, hidden=True, envvar="PAC_EXCEL_HOY")
@_verbosity
def consolidar(
    entradas: tuple[Path, ...],
    corte: dt.date | None,
    salida: Path | None,
    carpeta: Path | None,
    estricto: bool,
    planes: tuple[Path, ...],
    programa: str | None,
    sin_publicacion: bool,
    todos_los_formularios: bool,
    hoy: dt.date | None,
    verbose: bool,
    quiet: bool,
) -> None:
    """Lee los seguimientos de ENTRADAS (archivos o carpetas; por defecto entrada\\ en una
    carpeta de trabajo, si no samples\\) y escribe un libro consolidado con alertas, problemas y
    gráficos.

    \b
    Ejemplos:
        pac-excel consolidar
        pac-excel consolidar --corte 2020-04-30
        pac-excel consolidar C:\\Seguimientos\\2020-1 --salida C:\\Informes
    """
    _check_verbosity(verbose, quiet)
    from pac_excel.pipeline import DEFAULT_OUTPUT, NothingReadError

    workspace, config = _working_folder(carpeta, quiet)
    _before_run(corte, bool(entradas), workspace, quiet, config)
    inputs = list(entradas) or [workspace.inbox if workspace else DEFAULT_INPUT]
    output_dir = salida or (workspace.outbox if workspace else DEFAULT_OUTPUT)
    today = hoy or dt.date.today()
    inbox = workspace.inbox if workspace is not None and not entradas else None
    try:
        with contextlib.closing(ProgressBar(sys.stderr, enabled=not quiet)) as progress:
            result = consolidate(
                inputs,
                cutoff=corte,
                output_dir=output_dir,
                config=config,
                today=today,
                progress=progress,
                plan=_plan_inputs(planes, workspace),
                program=programa,
                publish=not sin_publicacion,
                all_forms=todos_los_formularios,
            )
    except NothingReadError as exc:
        if inbox is not None and not _has_files(inbox):
            raise NothingReadError(
                exc.problems,
                f"la carpeta {inbox} está vacía: copie allí los seguimientos y vuelva a ejecutar.",
            ) from exc
        raise
    _show_problems(result.problems, verbose, quiet)
    overdue = result.overdue_count
    if quiet:
        click.echo(f"Libro escrito: {result.output}")
    else:
        from pac_excel.cli_summary import show_summary  # once a run has finished

        show_summary(result, workspace, overdue, verbose, today, todos_los_formularios)
    if estricto and (overdue or result.errors):
        if not quiet:
            click.echo(
                f"--estricto: {overdue} actividades vencidas y {len(result.errors)} errores en "
                f"los archivos: código de salida {EXIT_STRICT}.",
                err=True,
            )
        sys.exit(EXIT_STRICT)


def _before_run(
    corte: dt.date | None, named: bool, workspace: Workspace | None, quiet: bool, config: Config
) -> None:
    from pac_excel.deadline import OFFICIAL_CUTS

    """A note for a cut that is not official; stop early where there is nothing to read."""
    note = unofficial_cut_note(corte, config.cuts.dates if config.cuts else OFFICIAL_CUTS)
    if note and not quiet:
        click.echo(note, err=True)
    if workspace is None and not named and not DEFAULT_INPUT.is_dir():
        raise UsageError(not_a_working_folder(Path.cwd()))


def _plan_inputs(given: Sequence[Path], workspace: Workspace | None) -> list[Path]:
    """--plan, else the working folder's plan/ when it exists."""
    if given:
        return list(given)
    folder = workspace.root / PLAN_FOLDER if workspace is not None else None
    return [folder] if folder is not None and folder.is_dir() else []


@cli.command(context_settings=CONTEXT, short_help="Lista los cortes guardados o quita uno.")
@click.option(
    "--salida",
    type=click.Path(path_type=Path),
    metavar="CARPETA",
    help="Carpeta del historial (la de los libros: salida\\ en una carpeta de trabajo; fuera "
    "de ella, output\\).",
)
@_folder_option
@click.option("--quitar", callback=date_option, metavar="AAAA-MM-DD", help="Quita ese corte.")
@click.option("--entidad", metavar="NOMBRE", help="Con --quitar: solo el de esa entidad.")
@click.option(
    "--programa", metavar="PROGRAMA", help="Con --quitar: solo el de ese programa (PTEP, PAAC)."
)
@_verbosity
def historial(
    salida: Path | None,
    carpeta: Path | None,
    quitar: dt.date | None,
    entidad: str | None,
    programa: str | None,
    verbose: bool,
    quiet: bool,
) -> None:
    """Lista los cortes guardados en el historial (entidad, programa, corte, archivos,
    actividades, fecha en que se registró) o, con --quitar, quita uno.

    \b
    Ejemplos:
        pac-excel historial
        pac-excel historial --quitar 2020-08-31
    """
    from pac_excel.history import STORE_NAME, HistoryError, Store
    from pac_excel.history.listing import cut_lines
    from pac_excel.pipeline import DEFAULT_OUTPUT

    imports_done()
    _check_verbosity(verbose, quiet)
    workspace, _ = _working_folder(carpeta, quiet)
    store = Store((salida or (workspace.outbox if workspace else DEFAULT_OUTPUT)) / STORE_NAME)
    try:
        if quitar is not None:
            gone = store.remove(entidad or "", programa.upper() if programa else None, quitar)
            if not gone:
                raise UsageError(f"el historial {store.path} no tiene el corte {quitar:%d/%m/%Y}.")
            click.echo(f"Se quitó el corte {quitar:%d/%m/%Y} ({gone} en total) de {store.path}.")
            return
        if not store.path.exists():
            click.echo(f"Todavía no hay historial en {store.path}.")
            return
        click.echo(f"Historial: {store.path}")
        for line in cut_lines(store.cuts()):
            click.echo(f"  {line}")
    except HistoryError as exc:  # damaged or foreign store: a usage error, exit 2
        raise UsageError(str(exc)) from exc


def _has_files(folder: Path) -> bool:
    return folder.is_dir() and any(p.is_file() for p in folder.rglob("*"))


def _show_problems(problems: Sequence[Problem], verbose: bool, quiet: bool) -> None:
    from pac_excel.problems import Severity, sort_key

    def shown(severity: Severity) -> bool:
        if quiet:
            return severity is Severity.ERROR
        return verbose or severity is not Severity.INFO

    for problem in sorted((p for p in problems if shown(p.severity)), key=sort_key):
        click.echo(problem.line(), err=True)


@cli.command(context_settings=CONTEXT, short_help="Prepara o envía el correo con el libro adjunto.")
@click.argument("libro", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--para",
    multiple=True,
    callback=address_option,
    metavar="CORREO",
    help="Destinatario; se puede repetir. Reemplaza «para» de pac-excel.toml.",
)
@click.option(
    "--cc",
    multiple=True,
    callback=address_option,
    metavar="CORREO",
    help="Con copia; se puede repetir. Reemplaza «cc» de pac-excel.toml.",
)
@click.option(
    "--enviar",
    is_flag=True,
    help="Envía el correo por el servidor de pac-excel.toml. Sin esta opción solo se escribe "
    "el borrador .eml.",
)
@click.option(
    "--por-area",
    is_flag=True,
    help="Un correo por área responsable (direcciones de [areas] en pac-excel.toml): lo que "
    "debía entregar, lo que falta y las evidencias que debe enviar.",
)
@_folder_option
@_verbosity
def correo(
    libro: Path | None,
    para: tuple[str, ...],
    cc: tuple[str, ...],
    enviar: bool,
    por_area: bool,
    carpeta: Path | None,
    verbose: bool,
    quiet: bool,
) -> None:
    """Prepara el correo con el libro consolidado LIBRO adjunto (por defecto, el más reciente
    de salida\\) y un resumen del corte. Escribe un borrador .eml al lado del libro: con doble
    clic se abre en Outlook o Thunderbird listo para enviar. Con --enviar lo envía; la clave
    del servidor se toma de la variable de entorno que indica pac-excel.toml.

    \b
    Ejemplos:
        pac-excel correo
        pac-excel correo --para director@entidad.gov.co --cc planeacion@entidad.gov.co
        pac-excel correo --enviar
        pac-excel correo --por-area --enviar
    """
    _check_verbosity(verbose, quiet)
    workspace, config = _working_folder(carpeta, quiet)
    from pac_excel.cli_mail import run_correo  # the mail modules: only when a draft is made

    imports_done()

    run_correo(
        libro, para, cc, workspace, config, send_now=enviar, by_area=por_area, quiet=quiet,
        echo=click.echo,
    )  # fmt: skip


def main() -> None:
    """The command line, ending in ``SystemExit`` as click does (tests call it in-process)."""
    cli(prog_name="pac-excel")


def run() -> None:
    """Console-script entry point (and ``python -m pac_excel``): ``main``, then the process
    ends as soon as its output is flushed. Tearing down the interpreter (every module of
    pandas and the run's frames) took 0.1 s of a one-office run, and nothing of pac-excel is
    left for it to do: every file is written and closed, every child process joined. The
    garbage collector is off until the command's modules are imported (``imports_done``)."""
    gc.disable()
    try:
        main()
        code = 0
    except SystemExit as done:
        if isinstance(done.code, int) or done.code is None:
            code = done.code or 0
        else:  # a message, as sys.exit("…") would print it
            print(done.code, file=sys.stderr)
            code = 1
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):  # a closed or broken pipe: nothing more to say
            stream.flush()
    os._exit(code)
