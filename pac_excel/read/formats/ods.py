"""ods_scan: count what an .ods ``content.xml`` will cost python-calamine, before it is parsed.

LibreOffice writes empty rows and cells as huge repeat counts (a sheet ends with a row
repeated a million times), which is harmless; a *filled* cell repeated that way is not
(a 1.5 KB file can ask for 17 billion cells). Only cells with a value count
toward the grid, with their repeats multiplied out. The scan also keeps the merged ranges
(``number-rows-spanned`` / ``number-columns-spanned``), which calamine does not report for .ods.
"""

from __future__ import annotations

import contextlib

from pac_excel.read.facts import Limits, SheetFacts
from pac_excel.read.xml_guard import local, make_parser

MAX_REPEAT = 1 << 31


class _Stop(Exception):
    """A limit was passed: no need to read further."""


def _repeat(attrs: dict[str, str], name: str) -> int:
    for key, value in attrs.items():
        if local(key) == name:
            try:
                return min(max(int(value), 1), MAX_REPEAT)
            except ValueError:
                return 1
    return 1


def _attr(attrs: dict[str, str], name: str) -> str | None:
    for key, value in attrs.items():
        if local(key) == name:
            return value
    return None


def _span(facts: SheetFacts, attrs: dict[str, str], row: int, col: int, limits: Limits) -> None:
    """Record a merged range anchored at (row, col), 0-based; counted against the limit."""
    rows = _repeat(attrs, "number-rows-spanned")
    cols = _repeat(attrs, "number-columns-spanned")
    if rows == 1 and cols == 1:
        return
    facts.merged += 1
    if facts.merged <= limits.merged_ranges:
        facts.spans.append(((row, col), (row + rows - 1, col + cols - 1)))


def scan_content(data: bytes, where: str, limits: Limits) -> dict[str, SheetFacts]:
    """Facts per table (sheet) name. Stops counting a table once it passes a limit."""
    sheets: dict[str, SheetFacts] = {}
    state: dict[str, int] = {"depth": 0, "row": 0, "rows_rep": 1, "col": 0, "cols_rep": 1}
    cell: dict[str, int] = {"open": 0, "value": 0, "chars": 0}
    row_state = {"hidden": False, "valued": False}
    current: list[SheetFacts] = []
    total = {"chars": 0}

    def start(name: str, attrs: dict[str, str]) -> None:
        tag = local(name)
        if tag == "table":
            state["depth"] += 1
            if state["depth"] == 1:
                facts = SheetFacts()
                sheets[_attr(attrs, "name") or f"Hoja{len(sheets) + 1}"] = facts
                current[:] = [facts]
                state["row"] = 0
        elif not current:
            return
        elif tag == "table-row" and state["depth"] == 1:
            state["rows_rep"] = _repeat(attrs, "number-rows-repeated")
            state["col"] = 0
            row_state["hidden"] = _attr(attrs, "visibility") in ("collapse", "collapsed", "filter")
            row_state["valued"] = False
        elif tag in ("table-cell", "covered-table-cell") and state["depth"] == 1:
            state["cols_rep"] = _repeat(attrs, "number-columns-repeated")
            cell["open"] = 1
            cell["value"] = 1 if _attr(attrs, "value-type") else 0
            cell["chars"] = len(_attr(attrs, "string-value") or "")
            if tag == "table-cell":
                _span(current[0], attrs, state["row"], state["col"], limits)
        elif cell["open"]:
            cell["value"] = 1
            if tag == "s":
                cell["chars"] += _repeat(attrs, "c")
            elif tag in ("tab", "line-break"):
                cell["chars"] += 1

    def end(name: str) -> None:
        tag = local(name)
        if tag == "table":
            state["depth"] -= 1
            if state["depth"] == 0:
                current.clear()
        elif not current or state["depth"] != 1:
            return
        elif tag in ("table-cell", "covered-table-cell"):
            facts = current[0]
            first_col = state["col"] + 1
            state["col"] += state["cols_rep"]
            cell["open"] = 0
            if cell["value"]:
                copies = state["cols_rep"] * state["rows_rep"]
                row_state["valued"] = True
                was_large = facts.too_large(limits)
                facts.cells += copies
                facts.rows = max(facts.rows, state["row"] + state["rows_rep"])
                facts.columns = max(facts.columns, first_col + state["cols_rep"] - 1)
                if facts.too_large(limits):
                    # Refused anyway: stop adding its text, which could overflow the budget.
                    if not was_large:
                        total["chars"] -= facts.chars
                        facts.stopped = True
                    return
                facts.chars += cell["chars"] * copies
                total["chars"] += cell["chars"] * copies
                if total["chars"] > limits.file_chars:
                    raise _Stop
        elif tag == "table-row":
            first = state["row"] + 1
            state["row"] += state["rows_rep"]
            if row_state["hidden"] and row_state["valued"]:
                current[0].hidden_rows.extend(range(first, min(state["row"], first + 1000) + 1))

    def text(chunk: str) -> None:
        if cell["open"]:
            cell["chars"] += len(chunk)
            cell["value"] = 1

    parser = make_parser(where)
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    with contextlib.suppress(_Stop):  # facts hold a count past the limit; the caller says which
        parser.Parse(data, True)
    return sheets
