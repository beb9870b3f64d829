"""periods: the parts of a year that follow-ups name, and the fechas de corte they imply.

Offices name periods instead of dates in three places: period columns of a schedule
("ENERO-MARZO", "Bim 3", "T2"), labels of side-by-side follow-up blocks ("Seguimiento 2",
"II Cuatrimestre", "Corte a 31 de agosto") and the title, sheet or file name that says which
cut a follow-up is ("SEGUNDO CUATRIMESTRE 1 de mayo al 31 de agosto de 2020",
"3er Sgmto PAAC sept-dic2019"). This module turns each of them into months and dates; it never
guesses a year the text does not give and the caller does not know.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from pac_excel.parse.schedule import parse_schedule
from pac_excel.parse.words import MONTHS
from pac_excel.text import strip_accents

# The official follow-up calendar (Decreto 124 de 2016): three cuts a year.

# Period word -> months per period. "cuatrimestre" must come before "trimestre".
PERIOD_SIZES: dict[str, int] = {
    "cuatrimestre": 4,
    "cuatrimestral": 4,
    "cuat": 4,
    "trimestre": 3,
    "trimestral": 3,
    "trim": 3,
    "semestre": 6,
    "semestral": 6,
    "sem": 6,
    "bimestre": 2,
    "bimestral": 2,
    "bim": 2,
}
# Single letters only count glued to their number ("T1", "B 3", "S2", "Q4").
LETTER_SIZES: dict[str, int] = {"t": 3, "q": 3, "b": 2, "s": 6, "c": 4}

ORDINALS: dict[str, int] = {
    "primer": 1,
    "primero": 1,
    "primera": 1,
    "1er": 1,
    "1ro": 1,
    "1ra": 1,
    "1o": 1,
    "1a": 1,
    "segundo": 2,
    "segunda": 2,
    "2do": 2,
    "2da": 2,
    "2o": 2,
    "2a": 2,
    "tercer": 3,
    "tercero": 3,
    "tercera": 3,
    "3er": 3,
    "3ro": 3,
    "3ra": 3,
    "3o": 3,
    "3a": 3,
    "cuarto": 4,
    "cuarta": 4,
    "4to": 4,
    "4ta": 4,
    "4o": 4,
    "quinto": 5,
    "5to": 5,
    "sexto": 6,
    "6to": 6,
    "i": 1,
    "ii": 2,
    "iii": 3,
    "iv": 4,
    "v": 5,
    "vi": 6,
}
for _n in range(1, 13):
    ORDINALS.setdefault(str(_n), _n)

_ORD = "|".join(sorted((re.escape(k) for k in ORDINALS), key=len, reverse=True))
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_PERIOD = "|".join(sorted(PERIOD_SIZES, key=len, reverse=True))
_FOLLOWUP = r"seguimiento|seguimientos|sgmto|sgto|segto|seg|corte|informe|evaluacion|monitoreo"

# "II Cuatrimestre", "primer semestre", "Cuatrimestre 2", "Trimestre No. 3", "T1", "Bim 4".
_PERIOD_ORDINAL = re.compile(
    rf"\b(?P<ord>{_ORD})\s*(?P<kind>{_PERIOD})\b"
    rf"|\b(?P<kind2>{_PERIOD})\.?\s*(?:no\.?\s*|n\s*)?(?P<ord2>{_ORD})\b"
    r"|\b(?P<letter>[tqbsc])\s?(?P<num>[1-6])\b"
)
# "3er Sgmto", "Segundo seguimiento", "Seguimiento 2", "Seguimiento No. 3", "Corte II".
_FOLLOWUP_ORDINAL = re.compile(
    rf"\b(?P<ord>{_ORD})\s*(?:{_FOLLOWUP})\b"
    rf"|\b(?:{_FOLLOWUP})\.?\s*(?:oci\s*|no\.?\s*|n\s*|#\s*)?(?P<ord2>{_ORD})\b(?!\s*(?:de|/|-)\s*\d)"
)
# "a 30 de abril de 2020", "a diciembre 2019", "corte 31 de agosto", "a marzo 31 de 2020".
_TO_MONTH = re.compile(
    rf"\b(?:a|al|hasta|corte|{_FOLLOWUP})\s+(?:el\s+|la\s+|de\s+|del\s+|a\s+)?(?:(?P<day>\d{{1,2}})\s+(?:de\s+)?)?"
    rf"(?P<month>{_MONTH})\b\.?(?:\s*(?P<day2>\d{{1,2}})\b)?"
    r"(?:\s*(?:de|del)?\s*(?P<year>(?:19|20)\d{2}))?"
)
# "corte 30/04/2020", "a 31-08-2020"
_TO_DATE = re.compile(
    r"\b(?:a|al|hasta|corte)\s+(?P<date>\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{2,4})"
)
# "sept-dic2019", "Enero a Abril de 2020", "mayo - agosto 2020"
_MONTH_RANGE = re.compile(
    rf"\b(?P<first>{_MONTH})\.?\s*(?:-|–|—|a|al|hasta)\s*(?P<last>{_MONTH})\.?"
    r"\s*(?:de\s+|del\s+)?(?P<year>(?:19|20)\d{2})?"
)
# A month and year on their own: only trusted in names ("Seguimiento PAAC abril 2020.xlsx").
_MONTH_YEAR = re.compile(
    rf"\b(?P<month>{_MONTH})\.?\s*(?:de\s+|del\s+)?(?P<year>(?:19|20)\d{{2}})\b"
)
_BARE_DATE = re.compile(r"(?<![\d/.-])\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{2,4}(?![\d/.-])")
_BARE_MONTH = re.compile(
    rf"\b(?P<month>{_MONTH})\b\.?(?:\s*(?:de|del)?\s*(?P<year>(?:19|20)\d{{2}}))?\s*$"
)
_LONE_MONTH = re.compile(rf"^(?P<month>{_MONTH})\.?$")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
# A text that names a cut: without one of these words a date in a title is not a cut-off.
_CUE = re.compile(
    rf"\b(?:{_FOLLOWUP}|cuatrimestre|cuatrimestral|trimestre|semestre|bimestre|periodo|avance)\b"
)
_LABEL_CUE = re.compile(r"\b(?:corte|periodo)\b")
_SPACES = re.compile(r"\s+")


def norm(text: str) -> str:
    """Lowercase, accents removed, punctuation kept, one space between words."""
    plain = strip_accents(text.lower()).replace("°", "o ").replace("_", " ")
    return _SPACES.sub(" ", plain).strip()


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True)
class CutTag:
    """Which follow-up a label, sheet or file name refers to.

    ``ordinal`` counts cuts of the year ("Seguimiento 2" -> 2), ``size`` is the months per cut
    when the text says it (4 for "cuatrimestre"), ``month``/``day``/``year`` an explicit end.
    ``span`` is where the tag sits in the normalized text, so a caller can cut it out.
    """

    ordinal: int | None = None
    size: int | None = None
    month: int | None = None
    day: int | None = None
    year: int | None = None
    span: tuple[int, int] = (0, 0)

    def date(self, year: int | None, count: int = 3) -> dt.date | None:
        """The cut's last day; ``count`` is how many cuts the file has, when the text is silent."""
        year = self.year or year
        if year is None:
            return None
        month = self.month
        if month is None and self.ordinal is not None:
            size = self.size or (3 if count == 4 else 4)
            month = self.ordinal * size
        if month is None or not 1 <= month <= 12:
            return None
        if self.day is not None:
            try:
                return dt.date(year, month, self.day)
            except ValueError:
                return None
        return month_end(year, month)

    @property
    def key(self) -> tuple[int, int]:
        """Sort key: explicit months sort by month, ordinals by their cuatrimestral month."""
        if self.month is not None:
            return (self.month, self.day or 31)
        return ((self.ordinal or 0) * (self.size or 4), 31)


@lru_cache(maxsize=4096)
def parse_period_label(label: str) -> tuple[int, int] | None:
    """First and last month of a period column label, or None when it is not one.

    "ENERO-MARZO" -> (1, 3), "JULIO-SEPT." -> (7, 9), "Bim 3" -> (5, 6), "T4" -> (10, 12),
    "II Semestre" -> (7, 12), "Febrero" -> (2, 2). A trailing year ("T1 2020") is allowed.
    """
    text = _YEAR.sub(" ", norm(label)).strip(" .-")
    if not text or len(text) > 40:
        return None
    m = _MONTH_RANGE.fullmatch(text)
    if m and not m["year"]:
        first, last = MONTHS[m["first"]], MONTHS[m["last"]]
        return (first, last) if first <= last else None
    m = _LONE_MONTH.fullmatch(text)
    if m:
        month = MONTHS[m["month"]]
        return (month, month)
    m = _PERIOD_ORDINAL.fullmatch(text)
    if m:
        size, number = _period_parts(m)
        if size and number and number * size <= 12:
            return (number * size - size + 1, number * size)
    return None


def _period_parts(m: re.Match[str]) -> tuple[int | None, int | None]:
    if m["letter"]:
        return LETTER_SIZES[m["letter"]], int(m["num"])
    kind = m["kind"] or m["kind2"]
    ordinal = m["ord"] or m["ord2"]
    return PERIOD_SIZES.get(kind or ""), ORDINALS.get(ordinal or "")


@lru_cache(maxsize=4096)
def parse_cut_tag(label: str) -> CutTag | None:
    """The cut a block label names ("Seguimiento 2 OCI", "% avance II cuatrimestre",
    "Observaciones a 31 de agosto"), or None.

    Single letters ("T1") count only when the label is little more than the tag, so that an
    observation column called "Observaciones S1" is still found but "Plan B 2" is not a cut.
    """
    text = norm(label)
    return _tag_to_date(text) or _ordinal_tag(text) or _month_tag(text)


def _tag_to_date(text: str) -> CutTag | None:
    """ "Seguimiento a 31 de agosto de 2020", "Observaciones a abril"."""
    m = _TO_DATE.search(text)
    if m:
        found = parse_schedule(m["date"])
        if len(found.dates) == 1:
            end = found.dates[0]
            return CutTag(month=end.month, day=end.day, year=end.year, span=m.span())
    m = _TO_MONTH.search(text)
    if m:
        day = m["day"] or m["day2"]
        return CutTag(
            month=MONTHS[m["month"]],
            day=int(day) if day else None,
            year=int(m["year"]) if m["year"] else None,
            span=m.span(),
        )
    return None


def _ordinal_tag(text: str) -> CutTag | None:
    """ "II cuatrimestre", "T1", "Seguimiento 2"."""
    for m in _PERIOD_ORDINAL.finditer(text):
        if m["letter"] and len(text) - (m.end() - m.start()) > 24:
            continue
        size, number = _period_parts(m)
        if size and number and number * size <= 12:
            return CutTag(ordinal=number, size=size, span=m.span(), year=_year_in(text))
    followup = _FOLLOWUP_ORDINAL.search(text)
    if followup:
        number = ORDINALS.get(followup["ord"] or followup["ord2"] or "")
        if number and number <= 6:
            return CutTag(ordinal=number, span=followup.span(), year=_year_in(text))
    return None


def _month_tag(text: str) -> CutTag | None:
    """ "mayo a agosto 2020"; "% avance 30/04/2020", "Observaciones agosto 2020": a date or
    month after the words."""
    m = _MONTH_RANGE.search(text)
    if m:
        return CutTag(
            month=MONTHS[m["last"]],
            year=int(m["year"]) if m["year"] else None,
            span=m.span(),
        )
    m = _BARE_DATE.search(text)
    if m:
        found = parse_schedule(m[0])
        if len(found.dates) == 1:
            end = found.dates[0]
            return CutTag(month=end.month, day=end.day, year=end.year, span=m.span())
    m = _BARE_MONTH.search(text)
    if m and m.start() > 0:
        return CutTag(
            month=MONTHS[m["month"]], year=int(m["year"]) if m["year"] else None, span=m.span()
        )
    return None


def has_cut_word(label: str) -> bool:
    """Whether a label uses a follow-up or period word ("Seguimiento", "cuatrimestre")."""
    return bool(_CUE.search(norm(label)))


def _year_in(text: str) -> int | None:
    m = _YEAR.search(text)
    return int(m.group(1)) if m else None


def strip_tag(label: str, tag: CutTag) -> str:
    """The label without its cut tag: "% avance II cuatrimestre" -> "% avance"."""
    text = norm(label)
    start, end = tag.span
    return _SPACES.sub(" ", text[:start] + " " + text[end:]).strip(" -:/.,")


@lru_cache(maxsize=4096)
def cut_from_text(text: str, year: int | None = None) -> dt.date | None:
    """The cut-off a title or heading states in words, or None.

    Reads "I Cuatrimestre 2021", "SEGUNDO CUATRIMESTRE 1 de mayo al 31 de agosto de 2020",
    "CORTE: ENERO, FEBRERO, MARZO Y ABRIL DE 2020", "SEGUIMIENTO POR LA OCI A DICIEMBRE 2019",
    "Periodo del 01 de enero al 30 de abril de 2021". A text without a follow-up word
    ("corte", "seguimiento", "cuatrimestre", …) is never read as a cut.
    """
    plain = norm(text)
    if not _CUE.search(plain):
        return None
    year = _year_in(plain) or year
    label = _LABEL_CUE.search(plain)
    if label:
        tail = plain[label.end() :].lstrip(" :.-")
        tail = tail.split(":", 1)[0]
        found = parse_schedule(tail, year)
        if found.dates and not found.problems:
            return max(found.dates)
    tag = _tag_for_text(plain)
    return tag.date(year) if tag else None


def _tag_for_text(plain: str) -> CutTag | None:
    for pattern in (_TO_DATE, _TO_MONTH):
        if pattern.search(plain):
            return parse_cut_tag(plain)
    for m in _PERIOD_ORDINAL.finditer(plain):
        size, number = _period_parts(m)
        if not m["letter"] and size and number and number * size <= 12:
            return CutTag(ordinal=number, size=size)
    found = _MONTH_RANGE.search(plain)
    if found:
        return CutTag(
            month=MONTHS[found["last"]], year=int(found["year"]) if found["year"] else None
        )
    ordinal = _FOLLOWUP_ORDINAL.search(plain)
    if ordinal:
        number = ORDINALS.get(ordinal["ord"] or ordinal["ord2"] or "")
        if number and number <= 3:
            return CutTag(ordinal=number)
    return None


_BOOK_SUFFIX = re.compile(r"\.(xlsx|xlsm|xls|ods|csv)$", re.IGNORECASE)
_COMPONENT_NAME = re.compile(r"\b(?:sub)?componente|\bcomp\b")


@lru_cache(maxsize=1024)
def cut_from_name(name: str, year: int | None = None) -> dt.date | None:
    """The cut-off a sheet or file name states ("3er Sgmto PAAC sept-dic2019" -> 31/12/2019).

    Names are terse, so a month and a year next to a follow-up word also count
    ("Seguimiento PAAC abril 2020").
    """
    stem = _BOOK_SUFFIX.sub("", name)
    found = cut_from_text(stem, year)
    if found is not None:
        return found
    plain = norm(stem)
    if not _CUE.search(plain):
        return None
    m = _MONTH_YEAR.search(plain)
    if m:
        return month_end(int(m["year"]), MONTHS[m["month"]])
    return None


@lru_cache(maxsize=1024)
def sheet_cut_tag(name: str) -> CutTag | None:
    """The cut a sheet name stands for when a workbook keeps one sheet per cut.

    "Seguimiento 1", "II Cuatrimestre", "Corte abril", "Abril 2020", "Sgto 3". A name that only
    numbers components ("Componente 1") or says nothing about a cut gives None.
    """
    plain = norm(name)
    if _COMPONENT_NAME.search(plain):
        return None
    tag = parse_cut_tag(plain)
    if tag is not None and (tag.month is not None or tag.size or _CUE.search(plain)):
        return tag
    m = _MONTH_YEAR.search(plain) or re.fullmatch(rf"(?P<month>{_MONTH})\.?(?P<year>)", plain)
    if m:
        return CutTag(month=MONTHS[m["month"]], year=int(m["year"]) if m["year"] else None)
    return None


@dataclass(frozen=True)
class SchedulePeriod:
    """A Fecha programada cell that names a part of the year instead of a date.

    ``end`` is the period's last day, the delivery's due date. ``start`` is set only for a
    range of months ("Marzo a diciembre"): the activity runs through it, so what is expected
    at a cut inside it is the share elapsed. A named period ("Primer semestre", "Q2") is one
    delivery due at its end, as a period column is.
    """

    end: dt.date
    start: dt.date | None = None


_TRAILING_DE = re.compile(r"\s+(?:de|del)$")
_LEADING_DE = re.compile(r"^(?:de|del|desde)\s+")


@lru_cache(maxsize=4096)
def schedule_period(text: str, year: int | None) -> SchedulePeriod | None:
    """The period a schedule cell names ("I semestre 2025", "Bimestre 3", "Enero a junio de
    2025"), in the year the cell writes or else ``year`` (the plan's vigencia); None when the
    cell is not a period or no year is known."""
    plain = norm(text)
    if len(plain) > 40:
        return None
    year = _year_in(plain) or year
    bare = _LEADING_DE.sub("", _TRAILING_DE.sub("", _YEAR.sub(" ", plain).strip(" .-")))
    months = parse_period_label(bare) if bare else None
    if months is None or year is None:
        return None
    first, last = months
    if first == last:
        return None  # a lone month is a date parse_schedule reads
    end = month_end(year, last)
    ranged = _MONTH_RANGE.fullmatch(bare) is not None
    return SchedulePeriod(end, dt.date(year, first, 1) if ranged else None)
