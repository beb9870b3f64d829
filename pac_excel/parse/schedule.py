"""schedule: read a FECHA PROGRAMADA cell into the due dates the follow-up is checked against.

Entities write the schedule every way a person can: date cells, Excel serials, ``dd/mm/yyyy``,
Spanish text ("30 de abril de 2020", "Marzo a dic 2019"), lists, ranges, frequency words
("Trimestral") and open-ended words ("Permanente"). :func:`parse_schedule` reads them all into
one :class:`Schedule` and never raises, so one odd cell cannot stop a run; what it cannot read
it reports in Spanish in ``Schedule.problems``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import math
import numbers
import re
from dataclasses import dataclass
from typing import SupportsFloat

import numpy as np
import pandas as pd

from pac_excel.parse.words import (
    FILLER_WORDS,
    FREQUENCIES,
    LIST_WORDS,
    MONTHS,
    PERMANENT_PHRASES,
    RANGE_WORDS,
)
from pac_excel.text import quote_for_message, safe_str

# Excel's 1900 date system counts from 1899-12-30 once past its fictitious 29 Feb 1900.
EXCEL_EPOCH = dt.date(1899, 12, 30)
# A number is only taken for a date when it lands in these years: 2020 or 45 are not dates.
PLAUSIBLE_YEARS = (1990, 2100)
_SERIAL_MIN = (dt.date(PLAUSIBLE_YEARS[0], 1, 1) - EXCEL_EPOCH).days
_SERIAL_MAX = (dt.date(PLAUSIBLE_YEARS[1], 12, 31) - EXCEL_EPOCH).days
# A bare four-digit number counts as a year only in this span; "1000 capacitaciones" does not.
_YEAR_TOKEN_RANGE = (1900, 2199)

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
        "\u2007": " ",
        "\u202f": " ",
        "\t": " ",
        "\r": "\n",
        "\v": "\n",
        "\f": "\n",
        "\u2028": "\n",
        "\u2010": "-",
        "\u2011": "-",
        "\u2212": "-",
    }
)

_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))
_TIME = r"(?:[ t]+[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)?"
_TOKEN_RE = re.compile(
    # 2020-03-31, 2019 / 01 /22, 2020-03-31 00:00:00
    r"(?P<ymd>(?<![0-9])(?P<ymd_y>[0-9]{4}) *(?P<ysep>[-/.]) *(?P<ymd_m>[0-9]{1,2})"
    r" *(?P=ysep) *(?P<ymd_d>[0-9]{1,2})(?![0-9])" + _TIME + ")"
    # 31/03/2020, 3/01/22, 31-03-2020, 31.03.2020 (spaces allowed around "/" only)
    r"|(?P<dmy>(?<![0-9])(?P<dmy_d>[0-9]{1,2})(?: */ *|(?P<dsep>[-.]))(?P<dmy_m>[0-9]{1,2})"
    r"(?(dsep)(?P=dsep)| */ *)(?P<dmy_y>[0-9]{2,4})(?![0-9])" + _TIME + ")"
    # 31/12 (year taken from elsewhere)
    r"|(?P<dm>(?<![0-9/])(?P<dm_d>[0-9]{1,2}) */ *(?P<dm_m>[0-9]{1,2})(?![0-9/]))"
    r"|(?P<num>[0-9]+)"
    rf"|(?P<month>(?:{_MONTH_ALT})(?![^\W\d_]))\.?"
    r"|(?P<word>[^\W\d_]+)"
    r"|(?P<strong>[\n;])"
    r"|(?P<comma>,)"
    r"|(?P<dash>[-–—])"
)
_MONTH_AHEAD_RE = re.compile(rf"(?:{_MONTH_ALT})(?![^\W\d_])")
_FAST_DMY_RE = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")
_BLANK_LIKE_RE = re.compile(r"n *[./]? *a\.?|no +aplica\b.*|[-–—_. ]+", re.DOTALL)
_SERIAL_TEXT_RE = re.compile(r"[0-9]{5}(?:[.,][0-9]+)?")
_NUMERICISH_RE = re.compile(r"[0-9 /.\-–—]*[0-9][0-9 /.\-–—]*")
_LONE_YEAR_RE = re.compile(r"[0-9]{4}")
_PIECE_SPLIT_RE = re.compile(r"[\n;]")
_SRC_PIECE_SPLIT_RE = re.compile("[\n;\r\v\f\u2028]")
_PERMANENT_RE = re.compile(
    r"\b(?:" + "|".join(p.replace(" ", r"\s+") for p in PERMANENT_PHRASES) + r")\b"
)
_FREQUENCY_RES: tuple[tuple[str, re.Pattern[str], tuple[int, ...]], ...] = tuple(
    (label, re.compile(r"\b(?:" + pattern.replace(" ", r"\s+") + r")\b"), months)
    for label, pattern, months in FREQUENCIES
)


@dataclass(frozen=True)
class Schedule:
    """What one FECHA PROGRAMADA cell promises.

    ``dates`` are the due dates (sorted, unique); a range contributes only its end, because
    that is when the work is due. ``permanent`` marks open-ended schedules ("Permanente",
    "Enero a diciembre") that have no date to miss. ``recurring`` names the frequency word
    found ("Trimestral"); its dates are implied only when the cell gives no explicit date.
    ``not_applicable`` marks an explicit "N/A", which is otherwise treated like a blank.
    """

    dates: tuple[dt.date, ...] = ()
    permanent: bool = False
    recurring: str | None = None
    problems: tuple[str, ...] = ()
    not_applicable: bool = False

    @property
    def blank(self) -> bool:
        """Nothing usable written: empty, or a blank-like "N/A" / "-"."""
        return not (self.dates or self.permanent or self.recurring or self.problems)


_BLANK = Schedule()
_NOT_APPLICABLE = Schedule(not_applicable=True)


def parse_schedule(value: object, year: int | None = None) -> Schedule:
    """Read one schedule cell; ``year`` (the plan's vigencia) fills dates written without one.

    Never raises: a parser bug on one odd cell must not cost the user the whole run.
    """
    try:
        return _parse_value(value, _usable_year(year))
    except Exception:  # noqa: BLE001 - last line of defence, see docstring
        return Schedule(
            problems=(f"no se pudo leer '{quote_for_message(safe_str(value))}' como fecha",)
        )


def _usable_year(year: object) -> int | None:
    if isinstance(year, bool) or not isinstance(year, numbers.Integral):
        return None
    y = int(year)
    return y if 1 <= y <= 9999 else None


def _parse_value(value: object, year: int | None) -> Schedule:
    if value is None or value is pd.NA or value is pd.NaT:
        return _BLANK
    if isinstance(value, str):
        return _parse_text(value, year)
    if isinstance(value, dt.datetime):  # also pandas.Timestamp
        return Schedule(dates=(value.date(),))
    if isinstance(value, dt.date):
        return Schedule(dates=(value,))
    if isinstance(value, bool):
        return Schedule(
            problems=(f"no se reconoce '{'VERDADERO' if value else 'FALSO'}' como fecha",)
        )
    if isinstance(value, numbers.Real):
        return _parse_number(value)
    if isinstance(value, np.datetime64):
        if np.isnat(value):
            return _BLANK
        day = value.astype("datetime64[D]").astype(object)
        if isinstance(day, dt.date):
            return Schedule(dates=(day,))
        return Schedule(problems=(f"'{quote_for_message(str(value))}' no es una fecha válida",))
    return _parse_text(str(value), year)


def _parse_number(value: SupportsFloat) -> Schedule:
    """An Excel serial: only trusted when it lands in a plausible year."""
    try:
        x = float(value)
    except (OverflowError, ValueError, TypeError):
        x = math.inf
    if not math.isfinite(x):
        return Schedule(
            problems=(f"no se reconoce '{quote_for_message(safe_str(value))}' como fecha",)
        )
    days = math.floor(x)
    if not _SERIAL_MIN <= days <= _SERIAL_MAX:
        shown = str(days) if x == days else f"{x:g}"
        low, high = PLAUSIBLE_YEARS
        message = (
            f"el número {shown} no parece una fecha de Excel "
            f"(se esperan fechas entre {low} y {high})"
        )
        return Schedule(problems=(message,))
    return Schedule(dates=(EXCEL_EPOCH + dt.timedelta(days=days),))


@functools.lru_cache(maxsize=8192)
def _parse_text(raw: str, year: int | None) -> Schedule:
    """Text cells repeat a lot ("Permanente", "31/12/2020"), hence the cache."""
    text = raw.strip()
    if not text:
        return _BLANK
    fast = _FAST_DMY_RE.fullmatch(text)
    if fast:
        day = _safe_date(int(fast[3]), int(fast[2]), int(fast[1]))
        if day is not None:
            return Schedule(dates=(day,))
    norm = text.translate(_FOLD).lower()
    if _BLANK_LIKE_RE.fullmatch(norm):
        return _NOT_APPLICABLE
    if _SERIAL_TEXT_RE.fullmatch(norm):
        return _parse_number(float(norm.replace(",", ".")))
    # Slices of ``norm`` quote the user's own text when folding kept every character in place.
    src = text if len(norm) == len(text) else norm
    return _TextReader(src, norm, year).read()


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _month_end(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


@dataclass
class _Item:
    """One date being assembled from tokens; parts can arrive in any order ("Mayo 14 de 2021")."""

    start: int
    end: int
    piece: int
    day: int | None = None
    month: int | None = None
    year: int | None = None
    numeric: bool = False  # written all in numbers: complete as written, nothing attaches
    error: bool = False  # already reported as a problem
    donor_end: int | None = None  # end of the item it borrowed month/year from
    range_start: bool = False
    whole_year: bool = False


class _TextReader:
    """Tokenize folded text, group tokens into dates, then resolve lists, ranges and years."""

    def __init__(self, src: str, norm: str, year: int | None) -> None:
        self.src = src
        self.norm = norm
        self.year = year
        self.items: list[_Item] = []
        self.links: list[str | None] = []  # links[i] joins items[i-1] and items[i]; None: new chain
        self.years: list[tuple[int, int]] = []  # (position, year) written in the cell
        self.problems: list[str] = []
        self.cur: _Item | None = None  # item that may still take a day, month or year
        self.pending: str | None = None  # connector seen since the last item
        self.chained = False  # whether the next item continues the last one's chain
        self.piece = 0  # index of the newline/";"-separated piece being read

    # -- tokens -------------------------------------------------------------------------------

    def read(self) -> Schedule:
        for m in _TOKEN_RE.finditer(self.norm):
            kind = m.lastgroup
            if kind == "ymd":
                self._numeric(m, int(m["ymd_y"]), int(m["ymd_m"]), int(m["ymd_d"]))
            elif kind == "dmy":
                y = m["dmy_y"]
                full = int(y) + 2000 if len(y) == 2 else int(y)
                self._numeric(m, full, int(m["dmy_m"]), int(m["dmy_d"]), len(y) == 3)
            elif kind == "dm":
                self._day_month(m)
            elif kind == "num":
                self._number(m)
            elif kind == "month":
                self._month(m)
            elif kind == "word":
                self._word(m[0])
            elif kind == "strong":
                self._connect("list")
                self.piece += 1
            elif kind == "comma":
                self._connect("list")
            else:
                self._dash(m)
        return self._finish()

    def _add(self, item: _Item) -> None:
        self.links.append((self.pending or "list") if self.chained and self.items else None)
        self.items.append(item)
        self.pending = None
        self.chained = True
        self.cur = item

    def _numeric(
        self, m: re.Match[str], year: int, month: int, day: int, bad_year: bool = False
    ) -> None:
        item = _Item(m.start(), m.end(), self.piece, day, month, year, numeric=True)
        if month > 12 and 1 <= day <= 12 and not bad_year and _safe_date(year, day, month):
            self._us_style(item, f"{month:02d}/{day:02d}/{m['dmy_y'] or year}")
        elif bad_year or _safe_date(year, month, day) is None:
            item.error = True
            self.problems.append(f"'{self._frag(item.start, item.end)}' no es una fecha válida")
        self._add(item)
        self.cur = None  # complete as written: nothing attaches to it

    def _day_month(self, m: re.Match[str]) -> None:
        day, month = int(m["dm_d"]), int(m["dm_m"])
        item = _Item(m.start(), m.end(), self.piece, day, month, numeric=True)
        if month > 12 and 1 <= day <= 12 and month <= 31:
            self._us_style(item, f"{month:02d}/{day:02d}")
        elif not (1 <= month <= 12 and 1 <= day <= 31):
            item.error = True
            self.problems.append(f"'{self._frag(item.start, item.end)}' no es una fecha válida")
        self._add(item)

    def _us_style(self, item: _Item, swapped: str) -> None:
        """03/31/2020: reported, never silently swapped, since the swap is a guess."""
        item.error = True
        self.problems.append(
            f"'{self._frag(item.start, item.end)}' parece una fecha en formato mes/día; "
            f"se espera día/mes/año ({swapped})"
        )

    def _number(self, m: re.Match[str]) -> None:
        digits = m[0]
        n = int(digits)
        cur = self.cur
        if len(digits) == 4 and _YEAR_TOKEN_RANGE[0] <= n <= _YEAR_TOKEN_RANGE[1]:
            target = None
            if cur is not None and cur.month is not None and cur.year is None:
                target = cur
            elif self.pending == "dash" and self.chained and self.items:
                last = self.items[-1]  # "Dic-2020", "Enero - 2021"
                if last.month is not None and last.year is None:
                    target = last
                    self.pending = None
            if target is not None:
                target.year = n
                target.end = m.end()
                self.cur = None
            else:
                self.years.append((m.start(), n))
            return
        if len(digits) > 2:
            self._break()
            return
        if (
            cur is not None
            and cur.month is not None
            and cur.day is None
            and cur.year is None
            and not cur.numeric
        ):
            cur.day = n  # "Mayo 14"
            cur.end = m.end()
            return
        self._add(_Item(m.start(), m.end(), self.piece, day=n))

    def _month(self, m: re.Match[str]) -> None:
        month = MONTHS[m["month"]]
        cur = self.cur
        if cur is not None and cur.day is not None and cur.month is None and cur.year is None:
            cur.month = month  # "30 de abril", "15 abril"
            cur.end = m.end()
            return
        self._add(_Item(m.start(), m.end(), self.piece, month=month))

    def _word(self, word: str) -> None:
        if word in FILLER_WORDS:
            return
        if word in RANGE_WORDS:
            self._connect("range")
        elif word in LIST_WORDS:
            self._connect("list")
        else:
            self._break()  # prose: "Se realizará el 30/06/2020"

    def _dash(self, m: re.Match[str]) -> None:
        pos = m.start()
        cur = self.cur
        tight = 0 < pos < len(self.norm) - 1 and " " not in self.norm[pos - 1 : pos + 2]
        if (
            tight
            and cur is not None
            and cur.month is None
            and not cur.numeric
            and _MONTH_AHEAD_RE.match(self.norm, pos + 1)
        ):
            return  # "15-mar-2020": the dash only joins the parts of one date
        self._connect("dash")

    def _connect(self, kind: str) -> None:
        self.cur = None
        self.pending = kind

    def _break(self) -> None:
        self.cur = None
        self.pending = None
        self.chained = False

    # -- resolution ---------------------------------------------------------------------------

    def _finish(self) -> Schedule:
        self._resolve_dashes()
        self._borrow_months()
        used = [it for it in self.items if it.month is not None]
        self._resolve_years(used)
        permanent = self._resolve_ranges()
        dates = self._dates()
        permanent = permanent or bool(_PERMANENT_RE.search(self.norm))
        recurring = self._recurring(dates)
        self._check_pieces({it.piece for it in used})
        if not (dates or permanent or recurring or self.problems):
            self.problems.append(f"no se reconoce '{quote_for_message(self.src)}' como fecha")
        return Schedule(
            dates=tuple(sorted(set(dates))),
            permanent=permanent,
            recurring=recurring,
            problems=tuple(dict.fromkeys(self.problems)),
        )

    def _borrow_months(self) -> None:
        """A bare day takes month (and year) from the next date of its chain: "19 y 20 de abril"."""
        items, links = self.items, self.links
        for i in range(len(items) - 2, -1, -1):
            item, nxt = items[i], items[i + 1]
            if item.month is None and links[i + 1] is not None and nxt.month is not None:
                item.month = nxt.month
                if item.year is None:
                    item.year = nxt.year
                item.donor_end = nxt.donor_end or nxt.end

    def _dates(self) -> list[dt.date]:
        """The dates the resolved items make; a missing year or impossible day is a problem."""
        items, links = self.items, self.links
        dates: list[dt.date] = []
        for i, item in enumerate(items):
            if item.month is None or item.error or item.whole_year or item.range_start:
                continue
            first = items[i - 1].start if i and links[i] == "range" else item.start
            frag = self._frag(first, max(item.end, item.donor_end or 0))
            if item.year is None:
                self.problems.append(f"falta el año en '{frag}'")
                continue
            day = item.day if item.day is not None else _month_end(item.year, item.month)
            found = _safe_date(item.year, item.month, day)
            if found is None:
                self.problems.append(f"'{frag}' no es una fecha válida")
            else:
                dates.append(found)
        return dates

    def _resolve_dashes(self) -> None:
        """A single dash joins a range ("Febrero – Noviembre"); a chain of them is a list."""
        links = self.links
        i = 1
        while i < len(links):
            if links[i] != "dash":
                i += 1
                continue
            j = i
            while j < len(links) and links[j] == "dash":
                j += 1
            kind = "range" if j - i == 1 else "list"
            for k in range(i, j):
                links[k] = kind
            i = j

    def _resolve_years(self, used: list[_Item]) -> None:
        """Missing years come from the next year written, else the previous, else ``year``."""
        sources = sorted(
            [(it.end, it.year) for it in used if it.year is not None and not it.error] + self.years
        )
        for item in used:
            if item.year is not None:
                continue
            anchor = item.donor_end or item.end
            after = [y for pos, y in sources if pos >= anchor]
            before = [y for pos, y in sources if pos < item.start]
            if after:
                item.year = after[0]
            elif before:
                item.year = before[-1]
            else:
                item.year = self.year

    def _resolve_ranges(self) -> bool:
        """Keep a range's end only; a January-to-December range is the whole year: permanent."""
        items, links = self.items, self.links
        permanent = False
        for i in range(1, len(items)):
            start, end = items[i - 1], items[i]
            if links[i] != "range" or start.month is None or end.month is None:
                continue
            start.range_start = True
            if (
                start.month == 1
                and start.day in (None, 1)
                and end.month == 12
                and end.day in (None, 31)
                and (start.year is None or end.year is None or start.year == end.year)
            ):
                start.whole_year = end.whole_year = True
                permanent = True
        return permanent

    def _recurring(self, dates: list[dt.date]) -> str | None:
        found = [(label, months) for label, rx, months in _FREQUENCY_RES if rx.search(self.norm)]
        if not found:
            return None
        label = " / ".join(lab for lab, _ in found)
        if dates:
            return label  # explicit dates win over the ones a frequency word implies
        written = {y for _, y in self.years} | {
            it.year for it in self.items if it.numeric and not it.error and it.year is not None
        }
        year = next(iter(written)) if len(written) == 1 else self.year
        if year is None:
            self.problems.append(f"falta el año para calcular las fechas de '{label}'")
            return label
        for _, months in found:
            dates.extend(dt.date(year, m, _month_end(year, m)) for m in months)
        return label

    def _check_pieces(self, pieces_with_dates: set[int]) -> None:
        """A line of only digits that gave no date ("31-12", "15/2020") was meant as one."""
        pieces = _PIECE_SPLIT_RE.split(self.norm)
        shown = _SRC_PIECE_SPLIT_RE.split(self.src)
        if len(shown) != len(pieces):
            shown = pieces
        for index, piece in enumerate(pieces):
            stripped = piece.strip()
            if (
                index not in pieces_with_dates
                and _NUMERICISH_RE.fullmatch(stripped)
                and not _LONE_YEAR_RE.fullmatch(stripped)
            ):
                self.problems.append(
                    f"no se reconoce '{quote_for_message(shown[index])}' como fecha"
                )

    def _frag(self, start: int, end: int) -> str:
        return quote_for_message(self.src[start:end])
