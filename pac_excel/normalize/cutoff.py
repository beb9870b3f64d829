"""cutoff: decide the fecha de corte of a run, from --corte or from what the files say."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from pac_excel.normalize.run import SourceInfo
from pac_excel.problems import Problem, Severity

# What a file stated in a cell or in words outranks what only its sheet or file name, or the
# numbering of its follow-up blocks, suggests.
STRONG_ORIGINS = frozenset({None, "celda", "texto"})


class CutoffError(Exception):
    """No usable cut-off: none given and none (or several) found in the files."""


class NoCutoffError(CutoffError):
    """No file states a cut-off and none was given."""


class ConflictingCutoffError(CutoffError):
    """Files state different cut-offs and none was given."""


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
    for source in stated:
        if source not in deciding and source.cutoff != chosen:
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
