"""cutoff: decide the fecha de corte of a run, from --corte or from what the files say."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from .normalize import SourceInfo
from .problems import Problem, Severity


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
    files must agree on one date.
    """
    stated = [s for s in sources if s.cutoff is not None]
    if given is not None:
        for source in stated:
            if source.cutoff != given:
                assert source.cutoff is not None
                problems.append(
                    Problem(
                        source.file,
                        None,
                        None,
                        None,
                        Severity.WARNING,
                        "corte-distinto",
                        f"El archivo indica corte {source.cutoff:%d/%m/%Y} "
                        f"({source.cutoff_where}); se usó el corte pedido {given:%d/%m/%Y}.",
                    )
                )
        return given, "indicado con --corte"
    dates = sorted({s.cutoff for s in stated if s.cutoff is not None})
    if not dates:
        raise NoCutoffError(
            "No se encontró la fecha de corte en los archivos (una celda como «FECHA CORTE: "
            "30/04/2020»). Indíquela con --corte AAAA-MM-DD, por ejemplo --corte 2020-04-30."
        )
    if len(dates) > 1:
        listing = "; ".join(f"{s.file}: {s.cutoff:%d/%m/%Y}" for s in stated)
        raise ConflictingCutoffError(
            f"Los archivos indican fechas de corte distintas ({listing}). Indique cuál usar con "
            "--corte AAAA-MM-DD."
        )
    where = ", ".join(s.cutoff_where or s.file for s in stated)
    return dates[0], f"leído de {where}"
