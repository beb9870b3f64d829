"""cli_values: the dates and addresses typed on the command line, checked before anything runs.

A value that is not in the documented form is a usage error (exit 2) that says what was typed
and the form expected, never an internal error: ``--corte 9999-12-31`` once overflowed the
deadline arithmetic, and ``20200430`` was a date on Python 3.11 but not on 3.10.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path

import click

from pac_excel.deadline import OFFICIAL_CUTS

# A follow-up cut is within this century; anything else is a typo (and 9999-12-31 would
# overflow the ten-business-day deadline).
FIRST_YEAR = 2000
LAST_YEAR = 2099
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_COLOMBIAN = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_MONTHS = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
]


def parse_date(text: str) -> dt.date:
    """AAAA-MM-DD or dd/mm/aaaa (as every Colombian writes the cut) -> the date.

    Raises click.BadParameter in Spanish: wrong form, a day that does not exist (30/02/2020),
    or a year outside 2000-2099.
    """
    value = text.strip()
    iso = _ISO.fullmatch(value)
    local = _COLOMBIAN.fullmatch(value)
    if iso:
        year, month, day = (int(g) for g in iso.groups())
    elif local:
        day, month, year = (int(g) for g in local.groups())
    else:
        raise click.BadParameter(
            f"«{text}» no es una fecha AAAA-MM-DD ni dd/mm/aaaa (por ejemplo 2020-04-30 o "
            "30/04/2020)."
        )
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise click.BadParameter(
            f"«{text}»: el año {year} no es el de un corte (use un año entre {FIRST_YEAR} y "
            f"{LAST_YEAR})."
        )
    if not 1 <= month <= 12:
        raise click.BadParameter(f"«{text}»: el mes {month} no existe (los meses van de 1 a 12).")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise click.BadParameter(
            f"«{text}»: ese día no existe ({_MONTHS[month - 1]} de {year} tiene {last} días)."
        )
    return dt.date(year, month, day)


def date_option(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date | None:
    """click callback for a date option."""
    return None if value is None else parse_date(value)


def unofficial_cut_note(
    cut: dt.date | None, cuts: Sequence[tuple[int, int]] = OFFICIAL_CUTS
) -> str | None:
    """A note when the cut asked for is not one of the year's cuts (official or [cortes])."""
    if cut is None or (cut.month, cut.day) in cuts:
        return None
    official = ", ".join(f"{d:02d}/{m:02d}" for m, d in cuts)
    return (
        f"Nota: el {cut:%d/%m/%Y} no es un corte oficial del seguimiento (los cortes son "
        f"{official}); se usó igual."
    )


def address_option(
    _ctx: click.Context, param: click.Parameter, values: Sequence[str]
) -> tuple[str, ...]:
    """--para a@x --para b@y, or "a@x; b@y" as Outlook users type them: one plain address each.

    The raw text is checked before it is split, so a line break can never reach a header.
    """
    from pac_excel.routine.config import address_problem, has_control  # pandas: not at start-up

    found: list[str] = []
    for value in values:
        if has_control(value):
            raise click.BadParameter(
                f"«{' '.join(''.join(c if c.isprintable() else ' ' for c in value).split())}» "
                "tiene un salto de línea o un carácter de control: escriba solo direcciones de "
                "correo."
            )
        for part in value.replace(";", ",").split(","):
            address = part.strip()
            if not address:
                continue
            problem = address_problem(address)
            if problem:
                raise click.BadParameter(f"«{address}» {problem}.")
            found.append(address)
    return tuple(found)


def not_a_working_folder(folder: Path) -> str:
    """What to say when consolidar runs, without files, where there is nothing to read."""
    return (
        f"esta carpeta ({folder}) no es una carpeta de trabajo de pac-excel (no tiene "
        "pac-excel.toml). Para crear una aquí ejecute «pac-excel iniciar» y copie los "
        "seguimientos en entrada\\; o indique los archivos o la carpeta que quiere leer, por "
        "ejemplo: pac-excel consolidar C:\\Seguimientos\\2020-1"
    )
