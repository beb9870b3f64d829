"""evidence: what an activity's rows say about its support, kept as data for check and mail.

Three things travel with each activity: its **code** ("1.2", from a No./Ítem column or a
number opening its text), which can name its folder of support files; its **evidence**,
every web address its rows carry (a cell hyperlink such as "Ver soporte" -> a Drive or
SharePoint address, and any address written in its texts); and its **followup_date**, the
"Fecha de seguimiento" of the cut read.
Addresses are kept as text, one per line, first seen first; the workbook shows them as text,
never as live links. A written address counts when it starts with ``http://``, ``https://``
or is a ``www.`` address with a path (``www.entidad.gov.co/transparencia/acta.pdf``); a bare
site name ("publicado en www.entidad.gov.co") names where, not which document.
"""

from __future__ import annotations

import datetime as dt
import re

from pac_excel.normalize.model import Activity, SheetContext
from pac_excel.text import cell_text, is_blank

_URL = re.compile(r"(?:https?://|www\.[^\s/]+/)[^\s<>\"'«»]+", re.IGNORECASE)
_TRAILING = ".,;:)]}"
# An activity number: "1.2", "3.1.4" (a lone "1." is a list item, not a code).
CODE = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,3})+)\.?(?=\s|$)")
_DATE = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")


def urls_in(text: str) -> list[str]:
    """Web addresses written in ``text``, without the punctuation that ends a sentence."""
    if "://" not in text and "www." not in text.lower():
        return []  # every address _URL finds holds one of the two: most texts hold neither
    return [m.group(0).rstrip(_TRAILING) for m in _URL.finditer(text)]


def evidence_columns(context: SheetContext, activity: Activity) -> dict[str, object]:
    """The activity's ``evidence`` and ``followup_date`` (frames.ACTIVITY_DTYPES)."""
    found: list[str] = []
    links = context.sheet.links
    if links:
        rows = {row for row, _role in activity.parts} | {activity.row}
        found += [url for (row, _col), url in sorted(links.items()) if row in rows]
    for text in activity.texts.values():
        found += urls_in(text)
    unique = list(dict.fromkeys(found))
    return {
        "code": _code(context, activity),
        "evidence": "\n".join(unique) or None,
        "followup_date": _followup_date(context, activity),
    }


def _code(context: SheetContext, activity: Activity) -> str | None:
    """The activity's number ("1.2"): its No./Ítem cell, else a number opening its text."""
    column = context.header.columns.get("number")
    row = context.rows[activity.row - 1]
    if column is not None and column < len(row) and not is_blank(row[column]):
        text = cell_text(row[column]).strip()
        return text.removesuffix(".0") if text.endswith(".0") else text
    match = CODE.match(activity.texts.get("activity", ""))
    return match.group(1) if match else None


def _followup_date(context: SheetContext, activity: Activity) -> dt.datetime | None:
    """The cut's "Fecha de seguimiento" on the activity's row, when the table has one."""
    column = context.header.columns.get("followup_date")
    row = context.rows[activity.row - 1]
    if column is None or column >= len(row) or is_blank(row[column]):
        return None
    value = row[column]
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    match = _DATE.match(str(value))
    if match is None:
        return None
    day, month, year = (int(g) for g in match.groups())
    try:
        return dt.datetime(year, month, day)
    except ValueError:
        return None
