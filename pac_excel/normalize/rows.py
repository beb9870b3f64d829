"""rows: a plan table's rows into activities, every row accounted for.

``classify_row`` says what one row is (a heading, a total, a letterhead repeated after a
page break, a new activity, the rest of the one above, …) without changing anything; the
assembly loop in ``activities`` acts on that kind: it closes the activity being built, starts
a new one, extends it, or records the row as a heading or a skipped row with its reason.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from pac_excel.normalize.catalog import (
    Catalog,
    component_from_sheet_name,
    infer_component,
    parse_component_heading,
)
from pac_excel.normalize.cells import (
    Binding,
    RowCells,
    bind_columns,
    maybe_header,
    read_cells,
    repeated_texts,
    whole_number_columns,
)
from pac_excel.normalize.header import Header, find_header, is_repeated_header
from pac_excel.normalize.layout import (
    LEGEND,
    OTHER_PLAN,
    OTHER_POLICY,
    TOTAL,
    content_skip_reason,
    is_legend_row,
    is_paac_plan,
    is_total_row,
    paac_policy,
    subcomponent_heading,
)
from pac_excel.normalize.model import (
    ACTIVITY_NUMBER,
    COMPONENT_IN_TITLE,
    ENTITY_WORDS,
    FOOTER,
    LETTERHEAD,
    NO_ACTIVITY,
    ORPHAN_DATA,
    OUTSIDE_TABLE,
    REPEATED_HEADER,
    Activity,
    Cell,
    SheetContext,
)
from pac_excel.text import cell_text, fold, is_blank, is_blank_row, join_text, nonblank_cells

# Sub-items "1. …", "2) …" but not activity numbers like "1.1 …".
SUBITEM = re.compile(r"^(\d{1,2})[.)]\s+(?!\d)\S")
ENDS_SENTENCE = re.compile(r"[.;:!?)\]»”\"]$")
SIGNATURE = re.compile(
    r"^(elaboro|preparo|reviso|aprobo|proyecto|firma|firmado|original firmado|jefe|asesor|"
    r"profesional|vo bo|visto bueno)\b"
)
COMPONENT_HEADING = re.compile(r"^componente\b")
_DIGIT_WORD = re.compile(r"^\d\s")
_SUBCOMPONENT_WORD = re.compile(
    r"^\s*sub\s*-?\s*componente\s*(?:/\s*proceso)?\s*\d*[.:\-–]*\s*", re.IGNORECASE
)
UNKNOWN_COMPONENT = "encabezado de componente no reconocido"


class RowKind(enum.Enum):
    """What one source row of a plan table is."""

    BLANK = enum.auto()
    REPEATED_HEADER = enum.auto()  # the table header again after a page break
    NEW_TABLE = enum.auto()  # the header of another table in the same sheet
    FOREIGN_TABLE = enum.auto()  # the header of a table in another format (risk map, …)
    FOREIGN_ROW = enum.auto()  # a row of that table
    LETTERHEAD = enum.auto()  # the page letterhead repeated
    TOTAL = enum.auto()
    LEGEND = enum.auto()
    COMPONENT_HEADING = enum.auto()  # "Componente: 2. …": closes the activity above
    UNKNOWN_COMPONENT = enum.auto()  # a component heading no catalog entry matches
    SUBCOMPONENT_HEADING = enum.auto()  # "Subcomponente 1 …": closes the activity above
    OTHER_PLAN = enum.auto()  # an activity of another plan or policy (Plan de Acción)
    SKIPPED_CONTINUATION = enum.auto()  # data under a skipped row shares its fate
    CONTINUATION = enum.auto()  # data with no activity text: more of the activity above
    COMPONENT_LINE = enum.auto()  # a component named in a line without activity text
    SUBCOMPONENT_LINE = enum.auto()  # the subcomponent column alone on its row
    ORPHAN_DATA = enum.auto()  # data with no activity above it
    OUTSIDE_TABLE = enum.auto()  # a letterhead, signature or title line
    NO_ACTIVITY = enum.auto()  # any other text without an activity
    SUBITEM = enum.auto()  # "1. …" under an activity that announces a list
    FRAGMENT = enum.auto()  # the rest of a sentence a page break cut
    ACTIVITY = enum.auto()  # a new activity


# Kinds that end the activity being assembled, and those after which data rows with no
# activity text share the row's fate. Tuples, not sets: every row asks, and a member of a
# tuple is found by identity, while a set would call Enum's hash (Python code) each time.
CLOSING = (
    RowKind.NEW_TABLE,
    RowKind.FOREIGN_TABLE,
    RowKind.TOTAL,
    RowKind.LEGEND,
    RowKind.COMPONENT_HEADING,
    RowKind.UNKNOWN_COMPONENT,
    RowKind.SUBCOMPONENT_HEADING,
    RowKind.OTHER_PLAN,
)
SKIPPING = (RowKind.TOTAL, RowKind.LEGEND, RowKind.OTHER_PLAN)
# Kinds decided before a foreign table's rows are told apart: they do not end one.
BEFORE_FOREIGN = (RowKind.BLANK, RowKind.REPEATED_HEADER, RowKind.FOREIGN_ROW)
OF_ACTIVITY = (RowKind.SUBITEM, RowKind.FRAGMENT, RowKind.ACTIVITY)


@dataclass(frozen=True)
class Carried:
    """The last Plan and Política values seen: a blank cell means "same as above"."""

    plan: str = ""
    policy: str = ""
    policy_component: int | None = None


@dataclass(frozen=True)
class RowVerdict:
    """What ``classify_row`` found: the kind and what acting on it needs."""

    kind: RowKind
    reason: str | None = None  # why a skipped row is skipped
    component: int | None = None  # a heading's component, or the Componente column's
    subcomponent: str | None = None  # a heading's subcomponent, or the column's; None: keep
    header: Header | None = None  # of a NEW_TABLE
    cells: RowCells | None = None
    carried: Carried | None = None  # the Plan / Política values after this row; None: keep


@dataclass
class RowState:
    """What the rows read so far leave for the next one; ``classify_row`` only reads it."""

    rows: Sequence[Sequence[object]]  # merged context cells filled
    written: Sequence[Sequence[object]]  # as written, for repeats
    merged: Sequence[tuple[tuple[int, int], tuple[int, int]]]
    catalog: Catalog
    header: Header
    bind: Binding
    repeated: list[bool]  # per row: a letterhead line
    foreign: str | None = None  # inside a table of another format, until the next plan table
    skipping: str | None = None  # continuation rows of a skipped row share its fate
    current: Activity | None = None
    carried: Carried = field(default_factory=Carried)
    heading_component: int | None = None
    sheet_component: int | None = None
    subcomponent: str = ""


def classify_row(index: int, state: RowState) -> RowVerdict:
    """What row ``index`` (0-based) is, given the rows above; changes nothing."""
    row = state.rows[index]
    if is_blank_row(row):
        return RowVerdict(RowKind.BLANK)
    if is_repeated_header(state.written[index], state.header):  # as written, not filled
        return RowVerdict(RowKind.REPEATED_HEADER, REPEATED_HEADER)
    table = _table_start(index, state)
    if table is not None:
        return table
    if state.foreign is not None:
        line = " ".join(cell_text(v) for _, v in nonblank_cells(row))
        if not COMPONENT_HEADING.match(fold(line)):
            return RowVerdict(RowKind.FOREIGN_ROW, state.foreign)
    cells = read_cells(row, index + 1, state.header, state.bind)
    repeated = state.repeated[index]
    early = _line_kind(cells, repeated, state.catalog)
    if early is not None:
        return _completed(early, cells, early.carried)
    carried, reason = _carry_plan(row, cells, state)
    if reason is not None:
        verdict = RowVerdict(RowKind.OTHER_PLAN, reason)
    elif not cells.activity_text:
        verdict = _without_activity(cells, repeated, state)
    else:
        verdict = _with_activity(cells, state)
    return _completed(verdict, cells, carried)


def _completed(verdict: RowVerdict, cells: RowCells, carried: Carried | None) -> RowVerdict:
    """``verdict`` with the row's cells and carried values (``dataclasses.replace``, inline)."""
    v = verdict
    return RowVerdict(v.kind, v.reason, v.component, v.subcomponent, v.header, cells, carried)


def _table_start(index: int, state: RowState) -> RowVerdict | None:
    """A header row inside the table: another plan table, or one in another format."""
    row = state.rows[index]
    if not maybe_header(row):
        return None
    other = content_skip_reason([row], 0)
    found = None if other else find_header(state.rows, index, 1, state.merged)
    if found is not None:
        # One sheet, several tables: each component block with its own columns.
        return RowVerdict(RowKind.NEW_TABLE, header=found)
    if other is not None:
        return RowVerdict(RowKind.FOREIGN_TABLE, f"tabla en otro formato: {other}")
    return None


def _line_kind(cells: RowCells, repeated: bool, catalog: Catalog) -> RowVerdict | None:
    """Letterheads, totals, legends and headings, told by the row's text alone."""
    line, line_cells = cells.line, cells.line_cells
    if cells.activity_text and repeated:
        # The letterhead's title repeated after a page break, over the activity column;
        # the activity above may go on below it.
        return RowVerdict(RowKind.LETTERHEAD, LETTERHEAD)
    if cells.plain_row and any(is_total_row(t) for t in line_cells[:3] if len(t) <= 60):
        return RowVerdict(RowKind.TOTAL, TOTAL)
    if not cells.schedule_cells and len(line) <= 150 and line_cells and is_legend_row(line_cells):
        return RowVerdict(RowKind.LEGEND, LEGEND)
    if cells.table_data:
        return None
    if COMPONENT_HEADING.match(fold(line)):
        # "Componente: 2. Racionalización de Trámites" over a block of the official form.
        component = parse_component_heading(line, catalog)
        if component is None:
            return RowVerdict(RowKind.UNKNOWN_COMPONENT, UNKNOWN_COMPONENT)
        return RowVerdict(RowKind.COMPONENT_HEADING, component=component)
    if subcomponent_heading(line_cells):
        return RowVerdict(
            RowKind.SUBCOMPONENT_HEADING, subcomponent=_strip_heading_word(line_cells[0])
        )
    if cells.activity_text and len(set(line_cells)) == 1 and _looks_like_heading(line):
        component = parse_component_heading(line, catalog)
        if component is not None:
            return RowVerdict(RowKind.COMPONENT_HEADING, component=component)
    return None


def _carry_plan(
    row: Sequence[object], cells: RowCells, state: RowState
) -> tuple[Carried, str | None]:
    """The Plan / Política values after this row, and why its activity is of another plan."""
    plan_col, policy_col = state.bind.plan_col, state.bind.policy_col
    carried = state.carried
    if plan_col is None and policy_col is None:
        return carried, None
    plan, policy, component = carried.plan, carried.policy, carried.policy_component
    if plan_col is not None and plan_col < len(row) and not is_blank(row[plan_col]):
        plan = cell_text(row[plan_col])
    if policy_col is not None and policy_col < len(row) and not is_blank(row[policy_col]):
        policy = cell_text(row[policy_col])
    reason = None
    if cells.activity_text:
        if plan_col is not None and plan and not is_paac_plan(plan):
            reason = f"{OTHER_PLAN}: «{plan}»"
        elif policy_col is not None and policy:
            paac, component = paac_policy(policy, state.catalog)
            if not paac:
                reason = f"{OTHER_POLICY}: «{policy}»"
    return Carried(plan, policy, component), reason


def _without_activity(cells: RowCells, repeated: bool, state: RowState) -> RowVerdict:
    """A row with no activity text: more of the one above, a heading, or skipped."""
    if state.skipping is not None and cells.table_data:
        return RowVerdict(RowKind.SKIPPED_CONTINUATION, state.skipping)
    if cells.table_data and state.current is not None:
        return RowVerdict(RowKind.CONTINUATION)
    if repeated:
        return RowVerdict(RowKind.LETTERHEAD, LETTERHEAD)
    line = cells.line
    component = parse_component_heading(line, state.catalog)
    if component is not None and not cells.table_data and _looks_like_heading(line):
        return RowVerdict(RowKind.COMPONENT_LINE, component=component)
    if cells.table_data:
        return RowVerdict(RowKind.ORPHAN_DATA, ORPHAN_DATA)
    key = fold(line)
    if ENTITY_WORDS.match(key) or SIGNATURE.match(key) or line.isupper():
        return RowVerdict(RowKind.OUTSIDE_TABLE, OUTSIDE_TABLE)
    subcomponent = cells.texts.get("subcomponent")
    if subcomponent and line == subcomponent:
        return RowVerdict(RowKind.SUBCOMPONENT_LINE, subcomponent=_strip_heading_word(subcomponent))
    return RowVerdict(RowKind.NO_ACTIVITY, NO_ACTIVITY)


def _with_activity(cells: RowCells, state: RowState) -> RowVerdict:
    """A row with activity text: a sub-item or fragment of the one above, or a new one."""
    texts = cells.texts
    named = None
    if texts.get("component"):
        named = parse_component_heading(texts["component"], state.catalog) or infer_component(
            texts["component"], state.catalog
        )
    current = state.current
    if current is not None and _is_subitem(current, cells.activity_text):
        return RowVerdict(RowKind.SUBITEM, component=named)
    if current is not None and _is_fragment(current, texts, cells.progress_cell):
        return RowVerdict(RowKind.FRAGMENT, component=named)
    subcomponent = texts.get("subcomponent")
    return RowVerdict(
        RowKind.ACTIVITY,
        component=named,
        subcomponent=_strip_heading_word(subcomponent) if subcomponent else None,
    )


# Assembly ------------------------------------------------------------------------------------


def activities(
    context: SheetContext, rows: Sequence[Sequence[object]], catalog: Catalog
) -> list[Activity]:
    """The activities of one plan table, each row's fate recorded in ``context``."""
    state = _start(context, rows, catalog)
    finished: list[Activity] = []
    index = state.header.row + 1
    while index < len(rows):
        verdict = classify_row(index, state)
        index = _act(context, state, verdict, index, finished)
    _close(state, finished)
    return _drop_footer(context, finished)


def _start(context: SheetContext, rows: Sequence[Sequence[object]], catalog: Catalog) -> RowState:
    header = context.header
    written = context.sheet.rows
    repeated = repeated_texts(written, header.row + 1, header.columns["activity"], header.first_row)
    context.whole_numbers = whole_number_columns(rows, header)
    # The official form puts "Componente: 1. …" just above the first header row; a sheet per
    # component names it in the sheet name.
    above = (heading_above(r, catalog) for r in rows[: header.first_row])
    heading_component: int | None = next((c for c in reversed(list(above)) if c), None)
    sheet_component = component_from_sheet_name(context.sheet.sheet, catalog)
    if heading_component is None and context.per_component_sheets:
        heading_component = sheet_component
    return RowState(
        rows=rows,
        written=written,
        merged=context.sheet.merged,
        catalog=catalog,
        header=header,
        bind=bind_columns(header, rows, catalog),
        repeated=repeated,
        heading_component=heading_component,
        sheet_component=sheet_component,
    )


def _act(
    context: SheetContext,
    state: RowState,
    verdict: RowVerdict,
    index: int,
    finished: list[Activity],
) -> int:
    """Do what the row's kind asks; returns the index of the next row to classify."""
    kind = verdict.kind
    number = index + 1
    if kind not in BEFORE_FOREIGN:
        state.foreign = None
    if verdict.carried is not None:
        state.carried = verdict.carried
    if kind in CLOSING:
        _close(state, finished)
        state.skipping = verdict.reason if kind in SKIPPING else None
    if kind in OF_ACTIVITY:
        state.skipping = None
        if verdict.component is not None:
            state.heading_component = verdict.component
    if kind is RowKind.NEW_TABLE:
        assert verdict.header is not None
        return _new_table(context, state, verdict.header, index)
    if kind is RowKind.FOREIGN_TABLE:
        state.foreign = verdict.reason
    elif kind is RowKind.UNKNOWN_COMPONENT:
        state.heading_component = None
    if kind in (RowKind.COMPONENT_HEADING, RowKind.COMPONENT_LINE):
        state.heading_component = verdict.component
        context.headings.append((number, "componente"))
    elif kind in (RowKind.SUBCOMPONENT_HEADING, RowKind.SUBCOMPONENT_LINE):
        assert verdict.subcomponent is not None
        state.subcomponent = verdict.subcomponent
        context.headings.append((number, "subcomponente"))
    elif verdict.reason is not None:
        context.skipped.append((number, verdict.reason))
    elif kind in (RowKind.CONTINUATION, RowKind.FRAGMENT, RowKind.SUBITEM):
        _extend(state, verdict, number)
    elif kind is RowKind.ACTIVITY:
        _begin(state, verdict, finished)
    return index + 1


def _new_table(context: SheetContext, state: RowState, found: Header, index: int) -> int:
    """Read on with the new table's columns; its header rows are accounted as headings."""
    state.header = found
    state.bind = bind_columns(found, state.rows, state.catalog)
    context.whole_numbers.update(whole_number_columns(state.rows, found))
    context.headings.extend((r + 1, "encabezado") for r in range(index, found.row + 1))
    return max(index + 1, found.row + 1)


def _extend(state: RowState, verdict: RowVerdict, number: int) -> None:
    current, cells = state.current, verdict.cells
    assert current is not None and cells is not None
    if verdict.kind is RowKind.SUBITEM:
        current.subitems += 1
        _continue(current, cells, "\n")
        current.parts.append((number, "subítem"))
    else:
        _continue(current, cells, " ")
        current.parts.append((number, "continuación"))


def _begin(state: RowState, verdict: RowVerdict, finished: list[Activity]) -> None:
    """A new activity; its component is the heading's, else its subcomponent's, else the
    sheet's or its Política's."""
    cells = verdict.cells
    assert cells is not None
    if verdict.subcomponent is not None:
        state.subcomponent = verdict.subcomponent
    component = state.heading_component
    if component is None and state.subcomponent:
        component = infer_component(state.subcomponent, state.catalog)
    if component is None:
        component = state.sheet_component or state.carried.policy_component
    _close(state, finished)
    current = Activity(
        parts=[(cells.number, "actividad")],
        row=cells.number,
        component=component,
        subcomponent=state.subcomponent,
        texts={k: v for k, v in cells.texts.items() if k not in ("subcomponent", "component")},
        columns=state.bind.columns,
    )
    _absorb(current, cells)
    state.current = current


def _close(state: RowState, finished: list[Activity]) -> None:
    """End the activity being assembled (a heading, total or skipped row closes it)."""
    if state.current is not None:
        finished.append(state.current)
    state.current = None


def heading_above(row: Sequence[object], catalog: Catalog) -> int | None:
    """The component a "Componente: …" line above the table names, or None for other lines.

    The word may come after a title ("PLAN ANTICORRUPCIÓN 2020 – COMPONENTE 3: RENDICIÓN…"),
    and a sheet per component may be titled with the bare name ("RENDICIÓN DE CUENTAS").
    """
    cells = [cell_text(v) for _, v in nonblank_cells(row)]
    line = " ".join(cells)
    key = fold(line)
    m = COMPONENT_IN_TITLE.search(key)
    if m is not None:
        return parse_component_heading(key[m.start() :], catalog)
    if len(set(cells)) == 1 and len(line) <= 90:
        return parse_component_heading(line, catalog)
    return None


def _looks_like_heading(line: str) -> bool:
    key = fold(line)
    return key.startswith("componente") or bool(_DIGIT_WORD.match(key)) or line.isupper()


def _strip_heading_word(text: str) -> str:
    """'Subcomponente 1 Política de …' -> 'Política de …'; plain names are kept."""
    m = _SUBCOMPONENT_WORD.match(text)
    return text[m.end() :].strip() if m and m.end() < len(text) else text


def _is_subitem(current: Activity, text: str) -> bool:
    """'1. El número de …' right under an activity that announces a list (ends with ':')."""
    m = SUBITEM.match(text)
    if not m or ACTIVITY_NUMBER.match(text):
        return False
    announces = current.texts.get("activity", "").rstrip().endswith(":") or current.subitems > 0
    return announces and int(m.group(1)) == current.subitems + 1


def _is_fragment(current: Activity, texts: dict[str, str], progress: Cell | None) -> bool:
    """The rest of a sentence a page break cut: lowercase start, no progress of its own."""
    text = texts.get("activity", "")
    if texts.get("subcomponent") or progress is not None or not text[:1].islower():
        return False
    return not ENDS_SENTENCE.search(current.texts.get("activity", "").rstrip())


def _continue(current: Activity, cells: RowCells, sep: str) -> None:
    """Join a row's texts and cells to the activity it continues."""
    for name, value in cells.texts.items():
        if name in ("subcomponent", "component") or not value:
            continue
        joiner = sep if name == "activity" else " "
        before = current.texts.get(name, "")
        if name != "activity" and before.endswith(value):
            continue  # a merged cell filled down repeats itself
        current.texts[name] = join_text(before, value, joiner)
    _absorb(current, cells)


def _has_data(activity: Activity) -> bool:
    """More than a bare line of text: a goal, owner, date, progress or follow-up."""
    return bool(
        activity.schedule_cells
        or activity.progress_cells
        or activity.period_marks
        or activity.start_cells
    ) or any(activity.texts.get(f) for f in ("goal", "owner", "followup", "done"))


def _drop_footer(context: SheetContext, finished: list[Activity]) -> list[Activity]:
    """Text-only lines after the last real activity, or that read like a signature, are the
    signature block ("Original firmado", "Jefe Oficina…"), not activities; the other skipped
    rows after the last activity are relabelled the same way."""
    with_data = [a.row for a in finished if _has_data(a)]
    last = with_data[-1] if with_data else 0
    kept: list[Activity] = []
    for activity in finished:
        text = fold(activity.texts.get("activity", ""))
        if not _has_data(activity) and (activity.row > last or SIGNATURE.match(text)):
            context.skipped.extend((row, FOOTER) for row, _ in activity.parts)
        else:
            kept.append(activity)
    if not kept:
        return kept
    context.skipped = [
        (row, FOOTER if row > last and why in (OUTSIDE_TABLE, NO_ACTIVITY) else why)
        for row, why in context.skipped
    ]
    return kept


def _absorb(current: Activity, cells: RowCells) -> None:
    """A row's schedule, period marks, start and progress cells join the activity it belongs to."""
    current.schedule_cells.extend(cells.schedule_cells)
    current.period_marks.extend(cells.marks)
    if cells.start_cell is not None:
        current.start_cells.append(cells.start_cell)
    if cells.progress_cell is not None:
        current.progress_cells.append(cells.progress_cell)
