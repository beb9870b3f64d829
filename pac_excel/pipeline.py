"""pipeline: read -> normalize -> check -> write, the one call the CLI makes."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import importlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pac_excel.alongside import FAILED, Aside, can_fork
from pac_excel.check.rules import check
from pac_excel.errors import PacExcelError, UsageError
from pac_excel.fanout import POOL_MIN_FILES, JobDone, read_and_normalize
from pac_excel.history import STORE_NAME, attach_history
from pac_excel.history.match import PINS_NAME
from pac_excel.normalize import cutoff as cutoffs
from pac_excel.normalize.catalog import Catalog
from pac_excel.normalize.cutoff import decide_cutoff
from pac_excel.normalize.model import SourceInfo
from pac_excel.normalize.programs import Program, load_program, program_from_text
from pac_excel.normalize.run import Assembly, Normalized, Settings
from pac_excel.problems import Problem
from pac_excel.publish.content import entity_reports, is_consolidated, remember_reports
from pac_excel.read.evidence_folder import find_evidence
from pac_excel.read.inputs import InputFile, collect_inputs
from pac_excel.read.sheets import RawSheet, read_file
from pac_excel.result import Consolidation, FileProgram
from pac_excel.routine.config import DEFAULT_CONFIG, Config, Cuts
from pac_excel.write import output
from pac_excel.write.faults import clean_leftovers
from pac_excel.write.workbook import OutputError

# Where the workbook goes is write.output's decision; kept here for the CLI and older callers.
LOCKED_ALTERNATIVES = output.LOCKED_ALTERNATIVES
is_locked = output.is_locked
output_name = output.output_name
write_output = output.write_output

DEFAULT_OUTPUT = Path("output")
# cli.py reads the start of a cutoff_source chosen by today's date here; cutoff.py owns it.
TODAY_RULE = cutoffs.TODAY_RULE
# From this many files a run attaches its history in a child, forked as the workbook is written
# (``_write``); a run of fewer attaches it here (it is quick) and forks its publication child
# before reading (``_waiting_child``).
ASIDE_MIN_FILES = POOL_MIN_FILES

ProgressCallback = Callable[[int, int, str], None]
"""Called after each file is read with (files done, files in total, name of the file)."""


class NothingReadError(PacExcelError):
    """No activity could be read from the inputs, so no workbook is written (exit 2).

    ``problems`` says why, file by file.
    """

    exit_code = 2

    def __init__(
        self,
        problems: Sequence[Problem],
        message: str = "no se pudo leer ninguna actividad de las entradas.",
    ) -> None:
        super().__init__(message)
        self.problems = tuple(problems)


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
    reports = [p for p in output_dir.glob(output.WORKBOOK_GLOB) if p.is_file()]
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
    program: str | Program | None = None,
    publish: bool = True,
    processes: int | None = None,
    all_forms: bool = False,
) -> Consolidation:
    """Consolidate the follow-ups in ``inputs`` at ``cutoff`` and write the workbook.

    The cut-off is ``cutoff`` if given, else the one the files state, else the official cut
    ``today`` is working on (see ``deadline.cutoff_for_today``; ``today`` defaults to the
    real date). ``config`` brings the working folder's entity, semáforo limits and extra
    component names. Files inside ``exclude`` (default: ``never_read``) are not read.
    ``progress`` is called after each file. Bad data never raises: it ends up in ``problems``.
    Raises ``CutoffError`` when the files disagree on the cut-off, ``NothingReadError`` (before
    writing anything) when no activity could be read, and ``OutputError`` when the workbook
    cannot be written; the last two carry the problems found so far. With ``output_dir=None``
    nothing is written and nothing is refused (the frames, perhaps empty, are returned).

    ``history_store``: True records the cut in the output folder's history
    (``historial_pac_excel.sqlite``; none when ``output_dir`` is None), a path records it
    there, False records nothing. ``plan``: the plan as published, compared with the follow-up.
    ``program`` ("PTEP", "PAAC", "PAAC2012"; else ``config.program``) is the program every
    file is read as; without either, each file's own is decided (normalize.choice).
    ``publish=False`` writes the workbook only, without the PDF and the report (--sin-publicacion).
    ``all_forms``: every entity's form in the PDF even past ``publish.FORMS_MAX`` entities
    (--todos-los-formularios; else the PDF and the report are the consolidated report).
    ``processes``: how many processes read and normalize the files (default: one per core
    from ``fanout.POOL_MIN_FILES`` files on; 1 reads them all in this process).
    """
    config = config or DEFAULT_CONFIG
    run_at = dt.datetime.now().astimezone()
    if today is not None and today != run_at.date():
        run_at = dt.datetime.combine(today, run_at.timetz())
    forced = _forced_program(program, config)
    catalog_names = dict(config.components) if catalog is None else {}
    problems: list[Problem] = []
    if exclude is None:
        exclude = never_read(inputs, output_dir) if output_dir is not None else []
    items = collect_inputs(inputs, problems, exclude=exclude)
    few = len(items) < ASIDE_MIN_FILES
    wanted = few and bool(items) and publish and output_dir is not None
    with _waiting_child(wanted, processes) as waiting:
        settings = Settings.of(catalog, cutoff, forced, catalog_names, rows=False)
        assembly = Assembly()  # each file's part joins the run's columns as soon as it is read
        jobs, _ = read_and_normalize(
            items, settings, progress=progress, processes=processes, consume=assembly.add
        )
        files_read, normalized = _gathered(items, jobs, assembly, problems)
        del jobs, assembly
        cuts = config.cuts or Cuts()
        chosen, source = decide_cutoff(
            cutoff,
            normalized.sources,
            problems,
            today or dt.date.today(),
            cuts.dates,
            cuts.business_days,
        )
        # The checked frame replaces the normalized one: holding both would keep two of each column.
        activities, normalized.activities = normalized.activities, normalized.activities.iloc[:0]
        if config.entity:
            activities = activities.assign(entity=activities["entity"].fillna(config.entity))
        checked = check(
            activities,
            normalized.deliveries,
            chosen,
            config.thresholds,
            evidence=find_evidence(inputs),
            publication_days=cuts.business_days,
        )
        del activities
        entities = list(dict.fromkeys(s.entity for s in normalized.sources if s.entity))
        years = sorted({s.year for s in normalized.sources if s.year})
        for info in normalized.sources:
            if not info.entity:
                problems.append(_no_entity(info.file, config.entity))
                if config.entity and config.entity not in entities:
                    entities.append(config.entity)
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
            signatures=dict(config.signatures),
            publication_days=cuts.business_days,
        )
        _say_programs(result, normalized.sources, forced)
        _say_stated(result, normalized.sources, config.entity)
        store = history_path(history_store, output_dir)
        history = functools.partial(attach_history, result, store, plan=plan, catalog=catalog)
        if output_dir is None:
            history()
        else:
            _write(result, output_dir, publish, all_forms, processes, history,
                   history_aside=not few and (store is not None or bool(plan)),
                   waiting=waiting)  # fmt: skip
        return result


def _say_stated(result: Consolidation, sources: Sequence[SourceInfo], fallback: str | None) -> None:
    """Each entity's publication date and signature lines, as its input states them."""
    for info in sources:
        name = info.entity or fallback or ""
        if info.published is not None:
            result.stated_publication.setdefault(name, info.published)
        if info.signatures:
            result.stated_signatures.setdefault(name, dict(info.signatures))


def _gathered(
    items: Sequence[InputFile], jobs: Sequence[JobDone], assembly: Assembly, problems: list[Problem]
) -> tuple[list[str], Normalized]:
    """The files read and the run's frames, problems in the order one process gives them.

    Every file's reading problems come first, in listing order, then each file's
    normalizing problems (``Assembly``), as when all files are read before any is normalized.
    """
    done = sorted((f for job in jobs for f in job.files), key=lambda f: f.index)
    for file in done:
        problems.extend(file.problems)
    files_read = [items[f.index].name for f in done if f.found]
    return files_read, assembly.finish(problems)


def _forced_program(program: str | Program | None, config: Config) -> Program | None:
    """The program asked for: the argument (--programa), else pac-excel.toml's ``programa``."""
    if isinstance(program, Program):
        return program
    text = program or config.program
    try:
        return program_from_text(text) if text else None
    except ValueError as exc:
        raise UsageError(str(exc)) from exc


def _say_programs(
    result: Consolidation, sources: Sequence[SourceInfo], forced: Program | None
) -> None:
    """Each file's program, and the cut's: the PTEP as soon as one file follows it."""
    for info in sources:
        chosen = info.program or load_program()
        result.file_programs.append(
            FileProgram(info.file, chosen.short, chosen.name, chosen.version, info.program_reason)
        )
    programs = [info.program for info in sources if info.program is not None]
    ptep = next((p for p in programs if p.key == "ptep"), None)
    main = forced or ptep or (programs[0] if programs else load_program())
    result.program, result.program_name = main.short, main.name
    result.program_forced = forced is not None


def history_path(history_store: Path | bool, output_dir: Path | None) -> Path | None:
    """The history store a run records into, if any (see ``consolidate``)."""
    if history_store is True:
        return output_dir / STORE_NAME if output_dir is not None else None
    if history_store is False:
        return None
    return Path(history_store)


def _write(
    result: Consolidation,
    output_dir: Path,
    publish: bool = True,
    all_forms: bool = False,
    processes: int | None = None,
    history: Callable[[], None] = lambda: None,
    history_aside: bool = False,
    waiting: Aside | None = None,
) -> None:
    """Attach the run's history (``history``), write the workbook unless it would be empty,
    and the publication beside it; a failure carries the problems found.

    Where the system allows (``alongside``), a child attaches the history and makes the
    entity reports (``history_aside``: a run of ``ASIDE_MIN_FILES`` or more with a store to
    record into or a plan to compare) while the workbook's first sheets are written, then
    writes the PDF and the report while the rest is. The sheets that show the history wait
    for it (``Book.history_attached``); those that show the reports take the child's when
    they are there already, else make them (``Book.reports_given``): the workbook is the same
    either way. The PDF and the report take their names only once the workbook is written:
    when it cannot be, no new PDF or report replaces the last ones either. ``waiting``: a
    child forked before the few files were read (``_waiting_child``), sent only the
    publication: the history is attached here first.
    """
    if not result.files_read or result.activities.empty:
        history()  # a plan's problems are told even so
        raise NothingReadError(result.problems)
    aside = attached = None
    fork = can_fork(processes)
    if history_aside and fork:
        aside = Aside(_alongside, result, output_dir, all_forms, history, publish)
        attached = _Attached(result, history, aside)
    else:
        history()  # here: a few files' is quick (a waiting child may still be importing)
        if publish and fork:
            job = (_alongside, result, output_dir, all_forms, None, True)
            aside = waiting if waiting is not None and waiting.give(*job) else Aside(*job)
    try:
        try:
            write_output(result, output_dir, all_forms,
                         history_wait=attached.wait if attached else None,
                         reports_wait=attached.reports if attached else None)  # fmt: skip
        except BaseException as exc:
            if aside is not None:
                _abandon(aside, attached, output_dir, stop=isinstance(exc, KeyboardInterrupt))
            raise
        if attached is not None:
            attached.settle()  # a workbook whose sheets never asked for them
        if publish:
            staged: Any = FAILED if aside is None else aside.outcome()
            if staged is FAILED:  # no child, or it failed: written here, errors said here
                staged = stage_publications(result, output_dir, all_forms)
            result.publications = commit_publications(staged, output_dir)
        if aside is not None:
            aside.close()
    except PacExcelError as exc:
        exc.problems = tuple(result.problems)
        raise


@contextlib.contextmanager
def _waiting_child(wanted: bool, processes: int | None) -> Iterator[Aside | None]:
    """A child forked before a run of a few files is read, which imports ReportLab and
    python-docx meanwhile (0.15-0.2 s, longer than such a run takes to read and check) and is
    then sent the job (``_write``). A run of ``ASIDE_MIN_FILES`` or more forks its child when
    it writes: its result is large to send, and its reading long enough to hide the imports."""
    waiting = None
    if wanted and can_fork(processes):
        waiting = Aside(None, prepare=_import_publication)
    try:
        yield waiting
    finally:
        if waiting is not None:
            waiting.close()  # no-op once its job is done


def _import_publication() -> None:
    importlib.import_module("pac_excel.publish.pdf")
    importlib.import_module("pac_excel.publish.report")


@dataclass(frozen=True)
class _Reports:
    """The entity reports the workbook shows and the publication is made from
    (``publish.content.entity_reports``), made by the child for the parent's ``result``."""

    forms: bool
    reports: list[Any]


@dataclass(frozen=True)
class _History:
    """What attaching the history added to the child's ``result``, for the parent's."""

    store: Path | None
    evolution: Any
    plan_check: Any
    problems: list[Problem]


def _alongside(
    result: Consolidation,
    output_dir: Path,
    all_forms: bool,
    history: Callable[[], None] | None,
    publish: bool,
) -> Iterator[Any]:
    """The child's job: the history attached and the entity reports (first answers; history
    None: both are made in the parent), then the staged publication. The history first: the
    parent waits for it, not for the reports (``_Attached``)."""
    if history is not None:
        before = len(result.problems)
        history()
        yield _History(result.history_store, result.evolution, result.plan_check,
                       result.problems[before:])  # fmt: skip
        forms = not is_consolidated(result, all_forms)  # as Book.entity_sheets
        yield _Reports(forms, entity_reports(result, forms=forms))
    if publish:
        yield stage_publications(result, output_dir, all_forms)


class _Attached:
    """The child's first two answers in this process's ``result``, in their order: the run's
    history (``wait``: waited for, or attached here when the child could not give it), then the
    entity reports (``reports``: taken only when they are there already, else made here at
    their first use, as in one process: a second cut's history takes the child seconds, and
    the sheet that shows the reports comes before the first that shows the history)."""

    def __init__(self, result: Consolidation, history: Callable[[], None], aside: Aside):
        self.result, self.history, self.aside = result, history, aside
        self.done = False  # the history is in ``result``
        self.decided = False  # whose reports the workbook shows
        self.read = False  # the child's reports answer is off the pipe

    def wait(self) -> None:
        if not self.done:
            self.take(self.aside.outcome())

    def reports(self) -> None:
        """Before the first sheet that shows the reports: the child's if they are there
        (the history, before them, taken on the way), else none: they are made here."""
        if self.decided:
            return
        self.decided = True
        if not self.done and self.aside.ready():
            self.take(self.aside.outcome())
        if self.done and self.aside.ready():
            self.give(self.aside.outcome())

    def settle(self) -> None:
        """Both answers off the pipe (the reports dropped when made here): the next is the
        publication's."""
        self.wait()
        if not self.read:
            self.read = True
            self.aside.outcome()

    def give(self, got: Any) -> None:
        self.read = True
        if got is not FAILED:
            remember_reports(self.result, got.reports, forms=got.forms)

    def take(self, got: Any) -> None:
        self.done = True
        if got is FAILED:
            self.history()
            return
        result = self.result
        result.history_store, result.evolution = got.store, got.evolution
        result.plan_check = got.plan_check
        result.problems.extend(got.problems)


def _abandon(aside: Aside, attached: _Attached | None, output_dir: Path, stop: bool) -> None:
    """The workbook failed: no new PDF or report. The child is waited for (``stop``: killed)
    and whatever it wrote is removed. Unless stopped, the history is attached all the same,
    as when it is attached before the workbook."""
    answers = aside.abandon(wait=not stop)
    if attached is not None and not attached.done:
        got = answers.pop(0) if answers else FAILED
        if not stop:
            attached.take(got)
    if attached is not None and not attached.read and answers:
        answers.pop(0)  # the entity reports: no workbook shows them
    if answers:  # the staged PDF and report
        from pac_excel.publish import discard

        discard(answers[0])
    clean_leftovers(output_dir)  # what a stopped child was writing


def stage_publications(
    result: Consolidation, output_dir: Path, all_forms: bool = False
) -> list[tuple[Path, Path]]:
    """The PDF for the website and the editable report, named like the workbook, under
    temporary names (``publish.stage``)."""
    from pac_excel.publish import Program as PublishedProgram  # ReportLab, python-docx: lazily
    from pac_excel.publish import stage

    try:
        output_dir.mkdir(parents=True, exist_ok=True)  # the workbook may not have made it yet
        program = PublishedProgram(name=result.program_name, short=result.program)
        return stage(result, output_dir, program=program, all_forms=all_forms)
    except OSError as exc:
        raise _publication_error(output_dir, exc) from exc


def commit_publications(staged: Sequence[tuple[Path, Path]], output_dir: Path) -> list[Path]:
    """The staged PDF and report given their own names (``publish.commit``)."""
    from pac_excel.publish import commit

    try:
        return commit(staged)
    except OSError as exc:
        raise _publication_error(output_dir, exc) from exc


def _publication_error(output_dir: Path, exc: OSError) -> OutputError:
    return OutputError(
        f"No se pudieron escribir el PDF y el informe en {output_dir}: "
        f"{exc.strerror or 'error del sistema'}."
    )


def _no_entity(file: str, fallback: str | None) -> Problem:
    message = (
        "No se encontró el nombre de la entidad en el archivo (una celda «Entidad:» o el membrete)."
    )
    if fallback:
        message += f" Se usó «{fallback}», la entidad de pac-excel.toml."
    return Problem.in_file(file, "entidad-no-encontrada", message)
