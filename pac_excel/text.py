"""text: the small text helpers every stage shares (folding for comparison, cleaning for display)."""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any, TypeVar

_T = TypeVar("_T")

MAX_CELL_CHARS = 32_767  # Excel's limit of characters in one cell

_NON_WORD = re.compile(r"[^0-9a-z%#]+")
_SPACES = re.compile(r"[ \t\u00a0\u2007\u202f]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Most cells need nothing but a strip; only these characters send them down the slow path.
_NEEDS_CLEANING = re.compile(r"[\x00-\x1f\x7f\u00a0\u2007\u202f]| {2}")


class _Marks(dict[int, int | None]):
    """``str.translate`` table that drops combining marks, filled one code point at a time."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        self[code] = kept
        return kept


_MARKS = _Marks()


def strip_accents(text: str) -> str:
    """ "Gestión" -> "Gestion": the letters without their combining marks, case kept."""
    if text.isascii():
        return text  # NFKD leaves ASCII as it is, and it has no combining marks
    return unicodedata.normalize("NFKD", text).translate(_MARKS)


def fold(text: str) -> str:
    """Lowercase, accents removed, punctuation to single spaces: for comparing, never showing.

    Headings, names and labels repeat from file to file and are folded once (``_fold_short``);
    a long text (an activity, a follow-up) is folded each time, so the cache stays small.
    """
    return _fold_short(text) if len(text) <= _KNOWN_CHARS else _fold(text)


def _fold(text: str) -> str:
    return _NON_WORD.sub(" ", strip_accents(text.lower())).strip()


_fold_short = lru_cache(maxsize=16384)(_fold)


def cell_text(value: object) -> str:
    """A cell as the text a user reads: dates day-first, whole floats without '.0', spaces tidied.

    Line breaks inside a cell are kept (offices use them for lists); runs of spaces, non-breaking
    spaces and control characters are not.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return _known_text(value) if len(value) <= _KNOWN_CHARS else _str_text(value)
    if isinstance(value, bool):
        return "VERDADERO" if value else "FALSO"
    elif isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.strftime("%d/%m/%Y")
        return value.strftime("%d/%m/%Y %H:%M")
    elif isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    elif isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    return _tidy(str(value))


def _str_text(value: str) -> str:
    if not _NEEDS_CLEANING.search(value):
        return value.strip()
    return _tidy(value)


# A sheet's passes (header, metadata, sections, rows) read the same cells again, so the text
# of a string cell is worked out once. Bounded in entries and in length, so what a long run
# keeps stays small (a few MiB) however many files it reads and whatever they hold.
_KNOWN_CHARS = 500
_known_text = lru_cache(maxsize=8192)(_str_text)


def _tidy(text: str) -> str:
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def is_blank(value: object) -> bool:
    """Empty, whitespace-only or NaN."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return isinstance(value, float) and math.isnan(value)


def is_blank_row(row: Iterable[object]) -> bool:
    """Every cell blank (``is_blank``), tested inline: called on every row of every sheet."""
    for value in row:
        if value is None:
            continue
        if isinstance(value, str):
            if value.strip():
                return False
        elif not (isinstance(value, float) and math.isnan(value)):
            return False
    return True


def nonblank_cells(row: Iterable[object]) -> list[tuple[int, object]]:
    """(column, value) of every cell that is not blank (``is_blank``), tested inline."""
    found: list[tuple[int, object]] = []
    for column, value in enumerate(row):
        if value is None:
            continue
        if isinstance(value, str):
            if not value.strip():
                continue
        elif isinstance(value, float) and math.isnan(value):
            continue
        found.append((column, value))
    return found


def join_text(first: str, second: str, sep: str = " ") -> str:
    """Join two fragments of one cell that a page break split."""
    if not first:
        return second
    if not second:
        return first
    return f"{first}{sep}{second}"


def strip_controls(text: str) -> tuple[str, int]:
    """``text`` without C0 control characters (tab and line breaks kept), and how many went.

    Excel cannot store them and openpyxl refuses to write them.
    """
    cleaned, count = _CONTROL.subn("", text)
    return cleaned, count


def has_controls(text: str) -> bool:
    """Cheap test before ``strip_controls``."""
    return _CONTROL.search(text) is not None


def quote_for_message(text: str, limit: int = 60) -> str:
    """One line, short enough for a message: cells can hold whole paragraphs."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def safe_str(value: object) -> str:
    """``str(value)``, or its type name when a broken ``__str__`` raises: messages never fail."""
    try:
        return str(value)
    except Exception:  # noqa: BLE001
        return f"<{type(value).__name__}>"


class Shared:
    """One object per distinct text: ``shared(value)`` gives the first equal text seen."""

    def __init__(self) -> None:
        self._seen: dict[str, str] = {}

    def __call__(self, value: _T) -> _T:
        if isinstance(value, str) and type(value) is str:
            found: _T = self._seen.setdefault(value, value)  # type: ignore[assignment]
            return found
        return value

    def each(self, texts: Sequence[object]) -> list[object]:
        """``self(text)`` for each value of a text column, without a Python call per value
        (what comes back from a worker process is plain texts and None)."""
        seen: dict[Any, Any] = self._seen
        try:
            return list(map(seen.setdefault, texts, texts))
        except TypeError:  # an unhashable value among them: one by one, as ``self`` does
            return [self(value) for value in texts]
