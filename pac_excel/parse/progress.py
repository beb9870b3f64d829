"""progress: a % AVANCE cell as a fraction, N/A kept apart from 0 and words from numbers.

The cell holds a %-formatted number (0.33), a whole number (33), text ("33,3 %", "1/3",
"Avance= 1/3= 33.3%"), N/A in its many spellings, or a status word ("Cumplida", "EN AVANCE").
:func:`parse_progress` never raises: what it cannot read it reports in Spanish in
``Progress.problem`` and leaves ``value`` as None, so an unreadable cell is never counted as 0.
"""

from __future__ import annotations

import functools
import math
import numbers
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import SupportsFloat

import pandas as pd

from pac_excel.text import quote_for_message, safe_str

# Status phrases (accent-folded, lower case). Only the start of a cell counts: the same word
# deeper in an observation ("será cumplida en diciembre") says nothing about the progress.
DONE_PHRASES: tuple[str, ...] = (
    "cumplida",
    "cumplido",
    "cumplidas",
    "cumplidos",
    "ejecutada",
    "ejecutado",
    "terminada",
    "terminado",
    "finalizada",
    "finalizado",
    "completada",
    "completado",
    "realizada",
    "realizado",
)
NOT_STARTED_PHRASES: tuple[str, ...] = (
    "sin iniciar",
    "no iniciada",
    "no iniciado",
    "no ha iniciado",
    "no se ha iniciado",
    "sin inicio",
    "sin avance",
    "sin avances",
)
# Words that say "some progress" but not how much: reported, never guessed.
NO_PERCENT_PHRASES: tuple[str, ...] = (
    "en avance",
    "en proceso",
    "en ejecucion",
    "en curso",
    "en tramite",
    "en desarrollo",
    "parcial",
    "parcialmente",
    "avance parcial",
)
# Negations that turn a done word into "not done" ("No cumplida", "no fue ejecutada").
NEGATIONS: tuple[str, ...] = ("no", "sin", "ni", "aun no", "todavia no")
STATUS_MAX_WORDS_BEFORE = 2  # "Actividad cumplida…", "Se encuentra cumplida…"

# Tolerance for formula results like 1.0000000000000002.
_EPSILON = 1e-9

_FOLD = str.maketrans(
    {
        **{c: "a" for c in "áàäâÁÀÄÂ"},
        **{c: "e" for c in "éèëêÉÈËÊ"},
        **{c: "i" for c in "íìïîÍÌÏÎ"},
        **{c: "o" for c in "óòöôÓÒÖÔ"},
        **{c: "u" for c in "úùüûÚÙÜÛ"},
        "ñ": "n",
        "Ñ": "n",
        "\u00a0": " ",
        "\u202f": " ",
        "\u2212": "-",
    }
)
_NOT_APPLICABLE_RE = re.compile(r"n\s*[./]?\s*a\b\.?|no\s+aplica\b")
# "33%", "33 %", "33,3 %", "-10%"; a minus counts only when it is not a separator ("1/3-33%").
_PERCENT_RE = re.compile(r"(?<![\w.,])(?P<sign>-)?(?P<num>[0-9]+(?:[.,][0-9]+)?)\s*%")
_FRACTION_RE = re.compile(r"(?<![\w./,])([0-9]+)\s*/\s*([0-9]+)(?![\w/,]|\.[0-9])")
# "2 de 3 monitoreos", "1 de 2": deliveries done of those due; a year is never the total.
_COUNT_RE = re.compile(r"(?<![\w./,])([0-9]{1,3})\s+de\s+([0-9]{1,3})(?![\w/,]|\.[0-9])")
_NUMBER_RE = re.compile(r"[-+]?[0-9]+(?:[.,][0-9]+)?|[-+]?[.,][0-9]+")


def _phrase_re(phrases: Iterable[str]) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(p.replace(" ", r"\s+") for p in phrases) + r")\b")


_DONE_RE = _phrase_re(DONE_PHRASES)
_NOT_STARTED_RE = _phrase_re(NOT_STARTED_PHRASES)
_NO_PERCENT_RE = _phrase_re(NO_PERCENT_PHRASES)
_NEGATED_DONE_RE = re.compile(
    r"\b(?:" + "|".join(n.replace(" ", r"\s+") for n in NEGATIONS) + r")\s+"
    r"(?:(?:se|ha|han|fue|fueron|esta|estan|sido)\s+){0,2}"
    r"(?:" + "|".join(DONE_PHRASES) + r")\b"
)


@dataclass(frozen=True)
class Progress:
    """One % AVANCE cell: ``value`` is a fraction (0.33 for 33 %), None when there is none.

    Out-of-range values are kept as written (1.5) with ``problem`` set, so a user sees what the
    file said. ``not_applicable`` is separate from ``value`` because N/A must never become 0.
    """

    value: float | None = None
    not_applicable: bool = False
    text: str = ""  # the cell as written, stripped; numbers as "33%"
    problem: str | None = None

    @property
    def blank(self) -> bool:
        """Nothing written at all."""
        return (
            self.value is None
            and not self.not_applicable
            and self.problem is None
            and not self.text
        )


_BLANK = Progress()


def parse_progress(value: object, whole_numbers: bool = False) -> Progress:
    """Read one % AVANCE cell; ``whole_numbers`` says the column writes 33 for 33 %.

    Decide ``whole_numbers`` once per column with :func:`column_uses_whole_numbers`: a single
    cell cannot tell 1 (= 100 %) from 1 (= 1 %). Never raises, so one odd cell cannot stop a run.
    """
    try:
        return _parse_value(value, whole_numbers)
    except Exception:  # noqa: BLE001 - last line of defence, see docstring
        shown = quote_for_message(safe_str(value))
        return Progress(text=shown, problem=f"no se reconoce '{shown}' como porcentaje")


def column_uses_whole_numbers(values: Iterable[object]) -> bool:
    """Whether a column's numbers are 0–100 rather than Excel's 0–1 fractions.

    True when more numbers sit in 1–100 than outside 0–100: a column of 0, 0.5 and 1 is
    fractions, a column of 0, 50 and 100 whole numbers, and so is 0, 50, 100, 150 (the 150 is
    then 150 %, flagged). A lone value outside 0–100 next to fractions keeps the column as
    fractions ([0.5, 150]). Bare numbers written as text ("50") vote only in a column with no
    real numbers: an HTML or CSV export writes every number as text, while in a workbook a
    typed "50" must not turn the column's fractions into whole numbers.
    """
    numeric = [0, 0, 0]  # real numbers: [seen, in 1–100, outside 0–100]
    textual = [0, 0, 0]  # bare numbers written as text
    number: object
    for value in values:
        if isinstance(value, bool):
            continue
        if isinstance(value, numbers.Real):
            counts, number = numeric, value
        elif isinstance(value, str) and _NUMBER_RE.fullmatch(text := value.strip()):
            counts, number = textual, text.replace(",", ".")
        else:
            continue
        try:
            x = float(number)
        except (OverflowError, ValueError, TypeError):
            return False  # too big for a float: certainly not 0–100
        if math.isnan(x):
            continue
        counts[0] += 1
        if 1 < x <= 100:
            counts[1] += 1
        elif not 0 <= x <= 100:
            counts[2] += 1
    _, whole, outside = numeric if numeric[0] else textual
    return whole > outside


def _parse_value(value: object, whole_numbers: bool) -> Progress:
    if value is None or value is pd.NA or value is pd.NaT:
        return _BLANK
    if isinstance(value, str):
        return _parse_text(value, whole_numbers)
    if isinstance(value, bool):
        shown = "VERDADERO" if value else "FALSO"
        return Progress(text=shown, problem=f"no se reconoce '{shown}' como porcentaje")
    if isinstance(value, numbers.Real):
        return _parse_number(value, whole_numbers)
    return _parse_text(safe_str(value), whole_numbers)


def _parse_number(value: SupportsFloat, whole_numbers: bool) -> Progress:
    try:
        x = float(value)
    except (OverflowError, ValueError, TypeError):
        x = math.inf
    if not math.isfinite(x):
        # NaN is not a value a worksheet cell can hold: it means a reader lost the cell.
        shown = quote_for_message(safe_str(value))
        return Progress(text=shown, problem=f"no se reconoce '{shown}' como porcentaje")
    fraction = x / 100 if whole_numbers else x
    return _result(fraction, None)


@functools.lru_cache(maxsize=4096)
def _parse_text(raw: str, whole_numbers: bool) -> Progress:
    """Text cells repeat a lot ("100%", "N/A", "Cumplida"), hence the cache."""
    text = raw.strip()
    if not text:
        return _BLANK
    norm = " ".join(text.translate(_FOLD).lower().split())
    if _NOT_APPLICABLE_RE.match(norm):
        return Progress(not_applicable=True, text=text)
    percent = _PERCENT_RE.search(norm)
    if percent:
        number = float(percent["num"].replace(",", "."))
        return _result(-number / 100 if percent["sign"] else number / 100, text)
    fraction = _FRACTION_RE.search(norm) or _COUNT_RE.search(norm)
    if fraction:
        top, bottom = int(fraction[1]), int(fraction[2])
        if bottom == 0:
            return Progress(text=text, problem=f"'{quote_for_message(text)}' divide por cero")
        try:
            return _result(top / bottom, text)
        except OverflowError:
            return _unreadable(text)
    if _NUMBER_RE.fullmatch(norm):
        number = float(norm.replace(",", "."))
        if whole_numbers or abs(number) > 1:
            number /= 100
        return _result(number, text)
    if _starts_with(_NOT_STARTED_RE, norm):
        return Progress(value=0.0, text=text)
    if _starts_with(_NEGATED_DONE_RE, norm) or _starts_with(_NO_PERCENT_RE, norm):
        return Progress(text=text, problem=f"'{quote_for_message(text)}' no indica un porcentaje")
    if _starts_with(_DONE_RE, norm):
        return Progress(value=1.0, text=text)
    return _unreadable(text)


def _unreadable(text: str) -> Progress:
    return Progress(
        text=text, problem=f"no se reconoce '{quote_for_message(text)}' como porcentaje"
    )


def _starts_with(pattern: re.Pattern[str], norm: str) -> bool:
    """A status phrase within the first few words of the cell."""
    match = pattern.search(norm)
    return match is not None and norm.count(" ", 0, match.start()) <= STATUS_MAX_WORDS_BEFORE


def _result(fraction: float, text: str | None) -> Progress:
    """Snap float noise at the bounds, round, and flag values outside 0–100 %."""
    if not math.isfinite(fraction):  # "999…9 %" with hundreds of digits
        return _unreadable(text if text is not None else safe_str(fraction))
    if 1 < fraction <= 1 + _EPSILON:
        fraction = 1.0
    elif -_EPSILON <= fraction < 0:
        fraction = 0.0
    fraction = round(fraction, 12)
    shown = _percent(fraction)
    problem = None
    if not 0 <= fraction <= 1:
        problem = f"{shown} % está fuera del rango 0–100 %"
    return Progress(value=fraction, text=text if text is not None else f"{shown}%", problem=problem)


def _percent(fraction: float) -> str:
    """0.333 -> "33,3": Spanish decimal comma, at most two decimals."""
    shown = f"{fraction * 100:.2f}".rstrip("0").rstrip(".")
    return "0" if shown in ("-0", "") else shown.replace(".", ",")
