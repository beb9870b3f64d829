"""metadata: what a file says about itself outside its table: entity, vigencia and cut-off.

Each fact has one finder over the same reading-order list of text cells (titles above the
table, labelled cells, heading rows inside it); an "Entidad:" cell beats a letterhead line,
and a cut-off in a labelled cell ("Fecha de corte: 30/04/2020") beats one in words in a title
or heading ("II Cuatrimestre"), which beats the sheet name (the ranks are cutoff.py's).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath

from pac_excel.normalize.cutoff import CUTOFF_CELL, CUTOFF_SHEET, CUTOFF_TEXT
from pac_excel.normalize.header import Header
from pac_excel.normalize.model import COMPONENT_IN_TITLE, ENTITY_WORDS, Meta, SourceInfo
from pac_excel.parse.periods import cut_from_name, cut_from_text
from pac_excel.parse.schedule import parse_schedule
from pac_excel.problems import Problem, column_letter
from pac_excel.read.sheets import RawSheet
from pac_excel.text import cell_text, fold, is_blank, nonblank_cells

__all__ = ["SourceInfo", "sheet_metadata"]

CUTOFF_LABEL = re.compile(r"\b(fecha (de )?corte|corte|fecha (de )?seguimiento|periodo)\b")
ENTITY_LABEL = re.compile(r"^entidad\b")
YEAR_LABEL = re.compile(r"^(vigencia|ano|año)\b")
YEAR = re.compile(r"(?<!\d)(20\d{2})(?!\d)")
# Where a title line stops naming the entity: a document word, after a dash, bar, colon or
# space ("– SEGUIMIENTO …", " - PLAN ANTICORRUPCIÓN …", " PROGRAMA DE TRANSPARENCIA …").
TITLE_AFTER_ENTITY = re.compile(
    r"\s*(?:[-–—|:]\s*|\s)(?=(?:seguimiento|plan|paac|ptep|programa|informe|formato|"
    r"estrategia|matriz|monitoreo|mapa)\b)",
    re.IGNORECASE,
)
TITLE_WORDS = re.compile(r"\b(plan|paac|ptep|seguimiento|anticorrupcion|estrategia|vigencia)\b")


@dataclass(frozen=True)
class _Text:
    """One text cell that may carry metadata, with the cell after it on its row."""

    row: int  # 0-based
    column: int
    text: str
    key: str  # folded text
    label_key: str  # folded text before the first ":"
    rest: str  # text after the first ":"
    following: object  # the next non-blank cell on the row, or None
    following_column: int | None
    in_band: bool  # inside the header rows
    above_table: bool
    heading_like: bool  # a title or heading row, which may state the cut in words
    in_table_data: bool

    @property
    def value(self) -> str:
        """What a "Label: value" cell says, or the next cell when the label stands alone."""
        return self.rest.strip() or (cell_text(self.following) if self.following else "")


def sheet_metadata(sheet: RawSheet, rows: Sequence[Sequence[object]], header: Header) -> Meta:
    """Entity, vigencia and cut-off of one plan sheet, from the rows that are not table data."""
    texts = _texts(rows, header)
    known = _years_so_far(texts)
    meta = Meta(entity=_entity(texts))
    cell_cut = _cell_cutoff(sheet, texts, known)
    text_cut = _text_cutoff(sheet, texts, known, bool(header.blocks))
    if cell_cut is not None:
        meta.cutoff, meta.where, meta.rank = *cell_cut, CUTOFF_CELL
    elif text_cut is not None:
        meta.cutoff, meta.where, meta.rank = *text_cut, CUTOFF_TEXT
    name_year = YEAR.search(sheet.sheet) or YEAR.search(PurePath(sheet.file).name)
    meta.year = (
        _labelled_year(texts)
        or _title_year(texts)
        or (meta.cutoff.year if meta.cutoff else None)
        or (int(name_year.group(1)) if name_year else None)
    )
    meta.published = _published(texts, known)
    if meta.cutoff is None:
        found_name = cut_from_name(sheet.sheet, meta.year)
        if found_name is not None:
            meta.cutoff = found_name
            meta.where = f"[{sheet.file}]{sheet.sheet} (nombre de la hoja)"
            meta.rank = CUTOFF_SHEET
    return meta


def _texts(rows: Sequence[Sequence[object]], header: Header) -> list[_Text]:
    """The text cells of every row outside table data, in reading order.

    Inside the table only rows with no activity text can carry metadata.
    """
    found: list[_Text] = []
    table_columns = set(header.columns.values())
    activity_col = header.columns["activity"]
    band = range(header.first_row, header.row + 1)
    for r, row in enumerate(rows):
        if r > header.row and activity_col < len(row) and not is_blank(row[activity_col]):
            continue
        cells = nonblank_cells(row)
        if not cells:
            continue
        heading_like = r <= header.row or _heading_row(cells)
        for position, (c, value) in enumerate(cells):
            if not isinstance(value, str):
                continue
            text = cell_text(value)
            label, _, rest = text.partition(":")
            following = cells[position + 1] if position + 1 < len(cells) else None
            found.append(
                _Text(
                    row=r,
                    column=c,
                    text=text,
                    key=fold(text),
                    label_key=fold(label),
                    rest=rest,
                    following=following[1] if following else None,
                    following_column=following[0] if following else None,
                    in_band=r in band,
                    above_table=r < header.first_row,
                    heading_like=heading_like,
                    in_table_data=c in table_columns and r > header.row and len(cells) > 1,
                )
            )
    return found


def _heading_row(cells: Sequence[tuple[int, object]]) -> bool:
    """A heading row inside the table ("COMPONENTE 1: … SEGUIMIENTO POR LA OCI A DICIEMBRE
    2019") may state the cut in words; an observation may not."""
    first = cells[0][1]
    return (
        len({cell_text(v) for _, v in cells}) == 1
        and isinstance(first, str)
        and (COMPONENT_IN_TITLE.search(fold(first)) is not None or first.isupper())
    )


def _entity(texts: Sequence[_Text]) -> str | None:
    """An "Entidad:" cell, else a letterhead line that starts like an entity's name."""
    for t in texts:
        if ENTITY_LABEL.match(t.label_key) and t.value:
            return t.value
    for t in texts:
        if t.in_band or t.in_table_data or not ENTITY_WORDS.match(t.key):
            continue
        name = entity_of_title(t.text)
        if len(name) < 90:
            return name
    return None


def entity_of_title(text: str) -> str:
    """The entity's name of a title line that goes on to name the document ("ALCALDÍA
    MUNICIPAL DE X – SEGUIMIENTO PLAN …" -> "ALCALDÍA MUNICIPAL DE X"); the line itself when
    it names nothing else."""
    m = TITLE_AFTER_ENTITY.search(text)
    return text[: m.start()].strip(" -–—|:,.") if m and m.start() > 0 else text


def _labelled_year(texts: Sequence[_Text]) -> int | None:
    """A "Vigencia: 2020" cell."""
    for t in texts:
        year = _label_year(t)
        if year is not None:
            return year
    return None


def _label_year(t: _Text) -> int | None:
    if not YEAR_LABEL.match(t.label_key):
        return None
    m = YEAR.search(t.rest) or YEAR.search(cell_text(t.following) if t.following else "")
    return int(m.group(1)) if m else None


def _title_year(texts: Sequence[_Text]) -> int | None:
    """The year of a title above the table ("PLAN ANTICORRUPCIÓN … 2020")."""
    for t in texts:
        year = _title_year_of(t)
        if year is not None:
            return year
    return None


def _title_year_of(t: _Text) -> int | None:
    if not (t.above_table and TITLE_WORDS.search(t.key)):
        return None
    m = YEAR.search(t.text)
    return int(m.group(1)) if m else None


def _years_so_far(texts: Sequence[_Text]) -> list[int | None]:
    """For each text, the vigencia known from the texts before it (a label, else a title):
    a cut-off without its year ("30 de abril") takes it."""
    known: list[int | None] = []
    labelled: int | None = None
    title: int | None = None
    for t in texts:
        known.append(labelled or title)
        labelled = labelled or _label_year(t)
        title = title or _title_year_of(t)
    return known


def _cell_cutoff(
    sheet: RawSheet, texts: Sequence[_Text], known: Sequence[int | None]
) -> tuple[dt.date, str] | None:
    """A labelled cell ("Fecha de corte: 30/04/2020", or the date in the next cell)."""
    for t, year in zip(texts, known, strict=True):
        if t.in_band or not CUTOFF_LABEL.search(t.label_key) or "publicacion" in t.key:
            continue
        found = parse_schedule(t.rest.strip() or t.following, year)
        if found.dates:
            column = t.column if t.rest.strip() else t.following_column
            assert column is not None
            return max(
                found.dates
            ), f"[{sheet.file}]{sheet.sheet}!{column_letter(column)}{t.row + 1}"
    return None


def _text_cutoff(
    sheet: RawSheet, texts: Sequence[_Text], known: Sequence[int | None], blocks: bool
) -> tuple[dt.date, str] | None:
    """A cut in words in a title or heading ("II Cuatrimestre 2020"); in the header rows of a
    sheet with side-by-side blocks those words name a block, not the file's cut."""
    for t, year in zip(texts, known, strict=True):
        if not t.heading_like or (t.in_band and blocks) or len(t.text) > 200:
            continue
        found = cut_from_text(t.text, year)
        if found is not None:
            return found, f"[{sheet.file}]{sheet.sheet}!{column_letter(t.column)}{t.row + 1}"
    return None


PUBLISHED_LABEL = re.compile(r"^fecha (de )?publicacion\b")


def _published(texts: Sequence[_Text], known: Sequence[int | None]) -> dt.date | None:
    """A "Fecha publicación: 12/05/2020" cell (or the date in the next cell): the day the OCI
    published this follow-up, which the form shows instead of leaving it blank."""
    for t, year in zip(texts, known, strict=True):
        if not PUBLISHED_LABEL.match(t.label_key):
            continue
        found = parse_schedule(t.rest.strip() or t.following, year)
        if found.dates:
            return min(found.dates)
    return None


# Signature lines under the table: "Elaboró: Ana Pérez – Profesional", or a name line with the
# position under it ("ELIAN GRANDA ORTEGA" / "Jefe Oficina Control Interno").
SIGN_ROLES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^(elaboro|elaborado por|preparo|preparado por|proyecto|proyectado por)\b"),
     "Elaboró"),
    (re.compile(r"^(reviso|revisado por|vo bo|visto bueno)\b"), "Revisó"),
    (re.compile(r"^(aprobo|aprobado por)\b"), "Aprobó"),
)  # fmt: skip
POSITION = re.compile(r"^(jefe|asesor|asesora|profesional|tecnico|director|directora|secretari|"
                      r"coordinador|coordinadora|contralor|auditor)")  # fmt: skip
NOT_A_NAME = re.compile(r"^(original firmado|firmado|firma)\b")


def signature_lines(rows: Sequence[Sequence[object]], footer: Sequence[int]) -> dict[str, str]:
    """Who signs, by role (Elaboró, Revisó, Aprobó), from the signature rows (1-based) under
    the table. A position with the name above it and no label is the OCI head's: Aprobó.
    The rows stay skipped rows ("firmas y pie del documento"); only their text is read."""
    lines = [
        cell_text(v)
        for r in sorted(footer)
        if 0 < r <= len(rows)
        for v in rows[r - 1]
        if isinstance(v, str) and not is_blank(v)
    ]
    found: dict[str, str] = {}
    for i, line in enumerate(lines):
        key = fold(line)
        role = next((name for pattern, name in SIGN_ROLES if pattern.match(key)), None)
        if role is not None:
            _, _, rest = line.partition(":")
            if rest.strip():
                found.setdefault(role, rest.strip())
            continue
        if POSITION.match(key) and i > 0 and "Aprobó" not in found:
            above = lines[i - 1]
            above_key = fold(above)
            named = not (NOT_A_NAME.match(above_key) or POSITION.match(above_key) or ":" in above)
            found["Aprobó"] = f"{above} – {line}" if named and len(above) < 80 else f" – {line}"
    return found


def unread_cutoff(
    sheet: RawSheet, rows: Sequence[Sequence[object]], header: Header
) -> Problem | None:
    """A labelled cut cell that holds a date that could not be taken as the cut (a month/day
    date such as 04/30/2020), said instead of silently looking elsewhere for the cut."""
    texts = _texts(rows, header)
    if _cell_cutoff(sheet, texts, _years_so_far(texts)) is not None:
        return None
    for t, year in zip(texts, _years_so_far(texts), strict=True):
        if t.in_band or not CUTOFF_LABEL.search(t.label_key) or "publicacion" in t.key:
            continue
        found = parse_schedule(t.rest.strip() or t.following, year)
        if found.problems and not found.dates:
            column = t.column if t.rest.strip() else t.following_column
            return Problem.in_file(
                sheet.file,
                "fecha-no-valida",
                f"La fecha de corte no se tomó: {found.problems[0]}. Corrija la celda o indique "
                "el corte con --corte.",
                sheet=sheet.sheet,
                row=t.row + 1,
                column=column_letter(column if column is not None else t.column),
            )
    return None
