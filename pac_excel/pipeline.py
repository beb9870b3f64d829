"""pipeline: read -> normalize -> check -> write, the one call the CLI makes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from pac_excel.check.rules import check
from pac_excel.deadline import cutoff_for_today
from pac_excel.history import STORE_NAME, attach_history
from pac_excel.history.match import PINS_NAME
from pac_excel.normalize.catalog import Catalog, load_catalog
from pac_excel.normalize.cutoff import NoCutoffError, resolve_cutoff
from pac_excel.normalize.run import normalize
from pac_excel.problems import Problem, Severity
from pac_excel.read.sheets import RawSheet, collect_inputs, read_file
from pac_excel.result import Consolidation
from pac_excel.routine.config import DEFAULT_CONFIG, Config
from pac_excel.write.workbook import OutputError, write_workbook

DEFAULT_OUTPUT = Path("output")
# How many "… (2).xlsx" names to try when Excel holds the workbook (and its copies) open.
LOCKED_ALTERNATIVES = 9
# Start of ``cutoff_source`` when no file stated the cut and today's date chose it.
TODAY_RULE = "ningún archivo indica la fecha de corte; "

ProgressCallback = Callable[[int, int, str], None]
"""Called after each file is read with (files done, files in total, name of the file)."""


def output_name(cutoff: dt.date) -> str:
    """seguimiento_paac_AAAA-MM-DD.xlsx: one workbook per cut, rerun-safe."""
    return f"seguimiento_paac_{cutoff:%Y-%m-%d}.xlsx"


def read_inputs(
    inputs: Iterable[Path],
    problems: list[Problem],
    *,
    exclude: Sequence[Path] = (),
    progress: ProgressCallback | None = None,
) -> tuple[list[RawSheet], list[str]]:
    """Every sheet of every spreadsheet found in ``inputs`` (files or folders).

    Files inside ``exclude`` (the output folder) are skipped, so a previous report is never
    read back as a follow-up.
    """
    sheets: list[RawSheet] = []
    names: list[str] = []
    items = collect_inputs(inputs, problems, exclude=exclude)
    for done, item in enumerate(items, 1):
        found = read_file(item, problems)
        if found:
            names.append(item.name)
        sheets.extend(found)
        if progress is not None:
            progress(done, len(items), item.name)
    return sheets, names


def never_read(inputs: Sequence[Path], output_dir: Path) -> list[Path]:
    """What reading must skip so earlier reports are not taken for follow-ups.

    The output folder as a whole, unless the user writes into a folder they also read (or a
    parent of one): then only the reports already there, by their names.
    """
    out = output_dir.resolve()
    if not any(_within(given.resolve(), out) for given in inputs):
        return [output_dir]
    if not output_dir.is_dir():
        return []
    # The history store and its mapping file (a .csv) live there too.
    kept = [output_dir / STORE_NAME, output_dir / PINS_NAME]
    reports = [p for p in output_dir.glob("seguimiento_paac_*.xlsx") if p.is_file()]
    return sorted(reports + [p for p in kept if p.is_file()])


def _within(path: Path, folder: Path) -> bool:
    return path == folder or path.is_relative_to(folder)


def consolidate(
    inputs: Sequence[Path],
    *,
    cutoff: dt.date | None = None,
    output_dir: Path | None = DEFAULT_OUTPUT,
    catalog: Catalog | None = None,
    config: Config | None = None,
    today: dt.date | None = None,
    progress: ProgressCallback | None = None,
    exclude: Sequence[Path] | None = None,
    history_store: Path | bool = True,
    plan: Sequence[Path] = (),
) -> Consolidation:
    """Consolidate the follow-ups in ``inputs`` at ``cutoff`` and write the workbook.

    The cut-off is ``cutoff`` if given, else the one the files state, else the official cut
    ``today`` is working on (see ``deadline.cutoff_for_today``; ``today`` defaults to the
    real date). ``config`` brings the working folder's entity, semáforo limits and extra
    component names. Files inside ``exclude`` (default: ``never_read``) are not read. ``progress``
    is called after each file. Bad data never raises: it ends up in ``problems``. Raises ``CutoffError``
    when the files disagree on the cut-off and ``OutputError`` when the workbook cannot be
    written. With ``output_dir=None`` nothing is written (the frames are still returned).

    ``history_store``: True records the cut in the output folder's history
    (``historial_pac_excel.sqlite``; none when ``output_dir`` is None), a path records it
    there, False records nothing. ``plan``: the plan as published, compared with the follow-up.
    """
    config = config or DEFAULT_CONFIG
    run_at = dt.datetime.now().astimezone()
    if today is not None and today != run_at.date():
        run_at = dt.datetime.combine(today, run_at.timetz())
    if catalog is None and config.components:
        catalog = load_catalog(config.components)
    problems: list[Problem] = []
    if exclude is None:
        exclude = never_read(inputs, output_dir) if output_dir is not None else []
    sheets, files_read = read_inputs(inputs, problems, exclude=exclude, progress=progress)
    normalized = normalize(sheets, problems, catalog, cutoff=cutoff)
    try:
        chosen, source = resolve_cutoff(cutoff, normalized.sources, problems)
    except NoCutoffError:
        chosen, rule = cutoff_for_today(today or dt.date.today())
        source = TODAY_RULE + rule
    activities = normalized.activities
    if config.entity:
        activities = activities.assign(entity=activities["entity"].fillna(config.entity))
    checked = check(activities, normalized.deliveries, chosen, config.thresholds)
    entities = list(dict.fromkeys(s.entity for s in normalized.sources if s.entity))
    years = sorted({s.year for s in normalized.sources if s.year})
    for info in normalized.sources:
        if not info.entity:
            message = (
                "No se encontró el nombre de la entidad en el archivo (una celda «Entidad:» o "
                "el membrete)."
            )
            if config.entity:
                message += f" Se usó «{config.entity}», la entidad de pac-excel.toml."
                if config.entity not in entities:
                    entities.append(config.entity)
            problems.append(
                Problem(
                    file=info.file,
                    sheet=None,
                    row=None,
                    column=None,
                    severity=Severity.INFO,
                    code="entidad-no-encontrada",
                    message=message,
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
        thresholds=config.thresholds,
        run_at=run_at,
        history=normalized.history,
    )
    attach_history(result, history_path(history_store, output_dir), plan=plan, catalog=catalog)
    if output_dir is not None:
        write_output(result, output_dir)
    return result


def history_path(history_store: Path | bool, output_dir: Path | None) -> Path | None:
    """The history store a run records into, if any (see ``consolidate``)."""
    if history_store is True:
        return output_dir / STORE_NAME if output_dir is not None else None
    if history_store is False:
        return None
    return Path(history_store)


def write_output(result: Consolidation, output_dir: Path) -> Path:
    """Write the workbook into ``output_dir`` and set ``result.output``.

    When the workbook is open in Excel (Windows refuses to replace it), write
    ``… (2).xlsx`` beside it instead and record an Advertencia saying so; the open copy is
    left as it is. The workbook's dates come from ``result.run_at``.
    """
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"No se pudo crear la carpeta de salida {output_dir}: {exc.strerror}."
        ) from exc
    target = output_dir / output_name(result.cutoff)
    locked: list[str] = []
    notice: Problem | None = None
    for number in range(1, LOCKED_ALTERNATIVES + 2):
        path = target if number == 1 else target.with_name(f"{target.stem} ({number}).xlsx")
        if notice is not None:
            result.problems.remove(notice)
            notice = None
        if locked:
            notice = _locked_notice(locked, path)
            result.problems.append(notice)
        try:
            result.output = write_workbook(result, path)
            return path
        except OutputError as exc:
            if not is_locked(exc, path) or number > LOCKED_ALTERNATIVES:
                if notice is not None:
                    result.problems.remove(notice)
                raise
            locked.append(path.name)
    raise AssertionError("unreachable")  # pragma: no cover


def is_locked(exc: OutputError, path: Path) -> bool:
    """Windows' answer when Excel has ``path`` open: permission denied on an existing file."""
    return isinstance(exc.__cause__, PermissionError) and path.exists()


def _locked_notice(locked: Sequence[str], written: Path) -> Problem:
    names = ", ".join(locked)
    verb = "está abierto" if len(locked) == 1 else "están abiertos"
    return Problem(
        file=locked[0],
        sheet=None,
        row=None,
        column=None,
        severity=Severity.WARNING,
        code="libro-abierto",
        message=f"{names} {verb} en Excel (u otro programa lo bloquea) y no se pudo reemplazar; se "
        f"escribió {written.name} al lado. Cierre el libro y vuelva a ejecutar para "
        "actualizarlo.",
    )
