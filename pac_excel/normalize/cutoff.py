"""cutoff: the fecha de corte, from what each file states to the one the run uses.

Every rule about the cut-off lives here: how strong each way a file states its cut is, which
of a file's side-by-side or per-sheet follow-ups is consolidated, how the files' cuts and
--corte settle the run's cut, and the official cut of today when nothing states one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath

from pac_excel.deadline import (
    OFFICIAL_CUTS,
    PUBLICATION_BUSINESS_DAYS,
    Cuts,
    cutoff_for_today,
    official_cuts,
)
from pac_excel.errors import PacExcelError
from pac_excel.normalize.model import Meta, SourceInfo
from pac_excel.parse.periods import cut_from_name
from pac_excel.problems import Problem, Severity

# Where a file's cut-off came from, strongest first.
CUTOFF_CELL, CUTOFF_TEXT, CUTOFF_BLOCK, CUTOFF_SHEET, CUTOFF_FILE = 4, 3, 2, 1, 0
CUTOFF_ORIGINS = {
    CUTOFF_CELL: "celda",
    CUTOFF_TEXT: "texto",
    CUTOFF_BLOCK: "seguimiento",
    CUTOFF_SHEET: "hoja",
    CUTOFF_FILE: "archivo",
}
# What a file stated in a cell or in words outranks what only its sheet or file name, or the
# numbering of its follow-up blocks, suggests.
STRONG_ORIGINS = frozenset({None, CUTOFF_ORIGINS[CUTOFF_CELL], CUTOFF_ORIGINS[CUTOFF_TEXT]})
# Start of ``cutoff_source`` when no file stated the cut and today's date chose it.
TODAY_RULE = "ningún archivo indica la fecha de corte; "


class CutoffError(PacExcelError):
    """No usable cut-off: none given and none (or several) found in the files."""

    exit_code = 2  # the user must say which cut with --corte


class NoCutoffError(CutoffError):
    """No file states a cut-off and none was given."""


class ConflictingCutoffError(CutoffError):
    """Files state different cut-offs and none was given."""


# What one file states ------------------------------------------------------------------------


def is_stated(meta: Meta) -> bool:
    """A cut written in a cell or in words: it outranks a block, sheet or file name."""
    return meta.rank >= CUTOFF_TEXT


def strongest(metas: Sequence[Meta]) -> Meta | None:
    """The sheet whose cut-off is strongest (the first of equals), or None when none has one."""
    best: Meta | None = None
    for meta in metas:
        if meta.cutoff is not None and (best is None or meta.rank > best.rank):
            best = meta
    return best


def file_cutoff(file: str, metas: Sequence[Meta], year: int | None) -> Meta | None:
    """A file's cut-off: its strongest sheet's, else its name's, else its folders' names
    ("Corte abril 2020/…"), innermost first."""
    best = strongest(metas)
    if best is not None:
        return best
    path = PurePath(file)
    for part, what in [
        (path.name, "del archivo"),
        *((p, "de la carpeta") for p in reversed(path.parent.parts)),
    ]:
        found = cut_from_name(part, year)
        if found is not None:
            return Meta(cutoff=found, where=f"nombre {what} «{part}»", rank=CUTOFF_FILE)
    return None


def origin(meta: Meta) -> str:
    """The Spanish word SourceInfo.cutoff_origin uses for a rank."""
    return CUTOFF_ORIGINS[meta.rank]


# Which of a file's follow-ups ----------------------------------------------------------------


@dataclass(frozen=True)
class CutOption:
    """One follow-up a file offers: a side-by-side block or a sheet of its own."""

    label: str
    date: dt.date | None
    order: tuple[int, int]  # sorts cuts when their dates are unknown
    has_data: bool


def choose_cut(
    options: Sequence[CutOption], requested: dt.date | None, stated: dt.date | None
) -> tuple[int, str]:
    """Which follow-up to consolidate, and why (Spanish).

    The cut asked for with --corte; else the one the file states elsewhere (a "Fecha de
    corte" cell); else the latest with data. Without an exact match, the latest with data
    on or before the asked cut.
    """
    ordered = sorted(
        range(len(options)), key=lambda i: (options[i].date or dt.date.min, options[i].order)
    )
    for wanted, why in ((requested, "el corte pedido"), (stated, "el corte que indica el archivo")):
        if wanted is None:
            continue
        exact = [i for i in ordered if options[i].date == wanted]
        if exact:
            return exact[-1], why
        before = [i for i in ordered if (options[i].date or dt.date.max) <= wanted]
        with_data = [i for i in before if options[i].has_data]
        if with_data:
            return with_data[-1], f"el último con datos antes de {why}"
    with_data = [i for i in ordered if options[i].has_data]
    if with_data:
        return with_data[-1], "el último con datos"
    return ordered[-1], "el último"


# The run's cut-off --------------------------------------------------------------------------------


def decide_cutoff(
    requested: dt.date | None,
    sources: Sequence[SourceInfo],
    problems: list[Problem],
    today: dt.date,
    cuts: Cuts = OFFICIAL_CUTS,
    days: int = PUBLICATION_BUSINESS_DAYS,
) -> tuple[dt.date, str]:
    """The run's cut-off and, in Spanish, how it was chosen; never raises NoCutoffError.

    As ``resolve_cutoff``; when no file states a cut and none was given, the official cut
    ``today`` is working on (``deadline.cutoff_for_today``), its reason after ``TODAY_RULE``.
    Raises ``ConflictingCutoffError`` when the files disagree.
    """
    try:
        return resolve_cutoff(requested, sources, problems)
    except NoCutoffError:
        chosen, rule = cutoff_for_today(today, cuts, days)
        years = {s.year for s in sources if s.year}
        if len(years) == 1 and (year := years.pop()) != chosen.year:
            files = ", ".join(s.file for s in sources if s.year)
            return _vigencia_cut(year, files, chosen, rule, problems, cuts)
        return chosen, TODAY_RULE + rule


def _vigencia_cut(
    year: int,
    files: str,
    today_cut: dt.date,
    rule: str,
    problems: list[Problem],
    cuts: Cuts = OFFICIAL_CUTS,
) -> tuple[dt.date, str]:
    """Today's cut is of another year than the plan's vigencia: a 2023 plan is not judged at a
    2025 date. A past vigencia is judged at its closing cut (31/12); for a coming one today's
    cut stands (nothing is due yet). Either way the user is told and offered the vigencia's
    cuts."""
    year_cuts = official_cuts(year, cuts)
    closing = year_cuts[-1]
    chosen = closing if year < today_cut.year else today_cut
    used = "se usó el cierre de la vigencia" if chosen == closing else "se usó"
    offered = ", ".join(f"--corte {c:%Y-%m-%d}" for c in year_cuts)
    problems.append(
        Problem.in_file(
            files,
            "corte-fuera-de-vigencia",
            f"Ningún archivo indica la fecha de corte y el corte de hoy "
            f"({today_cut:%d/%m/%Y}) no es de la vigencia del plan ({year}); {used} "
            f"{chosen:%d/%m/%Y}. Indique el corte de la vigencia con uno de: {offered}.",
        )
    )
    reason = f"{rule}; el plan es de la vigencia {year}: {used} {chosen:%d/%m/%Y}"
    return chosen, TODAY_RULE + reason


def resolve_cutoff(
    given: dt.date | None, sources: Sequence[SourceInfo], problems: list[Problem]
) -> tuple[dt.date, str]:
    """The cut-off and, in Spanish, how it was chosen.

    ``--corte`` wins; a file that states another cut-off then gets a warning. Without it the
    files must agree on one date; a cut-off only suggested by a file or sheet name that
    disagrees with one stated in a cell or title gets a warning instead of stopping the run.
    """
    stated = [s for s in sources if s.cutoff is not None]
    if given is not None:
        for source in stated:
            if source.cutoff != given:
                assert source.cutoff is not None
                _warn(problems, source, given, "el corte pedido")
        return given, "indicado con --corte"
    strong = [s for s in stated if s.cutoff_origin in STRONG_ORIGINS]
    deciding = strong or stated
    dates = sorted({s.cutoff for s in deciding if s.cutoff is not None})
    if not dates:
        raise NoCutoffError(
            "No se encontró la fecha de corte en los archivos (una celda como «FECHA CORTE: "
            "30/04/2020»). Indíquela con --corte AAAA-MM-DD, por ejemplo --corte 2020-04-30."
        )
    if len(dates) > 1:
        listing = "; ".join(f"{s.file}: {s.cutoff:%d/%m/%Y}" for s in deciding)
        raise ConflictingCutoffError(
            f"Los archivos indican fechas de corte distintas ({listing}). Indique cuál usar con "
            "--corte AAAA-MM-DD."
        )
    chosen = dates[0]
    deciders = {id(s) for s in deciding}  # by identity: `in deciding` was quadratic in files
    for source in stated:
        if id(source) not in deciders and source.cutoff != chosen:
            _warn(problems, source, chosen, "el corte que indican los demás archivos")
    where = ", ".join(s.cutoff_where or s.file for s in deciding)
    return chosen, f"leído de {where}"


def _warn(problems: list[Problem], source: SourceInfo, used: dt.date, which: str) -> None:
    assert source.cutoff is not None
    problems.append(
        Problem(
            file=source.file,
            sheet=None,
            row=None,
            column=None,
            severity=Severity.WARNING,
            code="corte-distinto",
            message=f"El archivo indica corte {source.cutoff:%d/%m/%Y} ({source.cutoff_where}); se "
            f"usó {which}, {used:%d/%m/%Y}.",
        )
    )
