"""model: the working types every normalize module shares, below all of them.

A file's sheets are prepared (``Prepared``), each plan sheet's rows are assembled into
``Activity`` objects inside a ``SheetContext``, and everything a run collects goes into
``Run``. The reasons a row is not an activity live here because rows, records and history
all write them; users read them in Problemas.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from pac_excel.normalize.catalog import Catalog
from pac_excel.normalize.header import Header, PeriodColumn
from pac_excel.normalize.programs import Program
from pac_excel.parse.progress import Progress
from pac_excel.problems import Problem, Severity, column_letter
from pac_excel.read.sheets import RawSheet
from pac_excel.text import fold, is_blank, is_blank_row

# Activity numbers like "1.1 …" (not sub-items "1. …").
ACTIVITY_NUMBER = re.compile(r"^\d{1,2}(?:\.\d{1,2})+\.?\s+")
ENTITY_WORDS = re.compile(
    r"^(gobernacion|alcaldia|municipio|departamento|contraloria|personeria|concejo|asamblea|"
    r"e s e|ese|hospital|instituto|universidad|corporacion|empresa|superintendencia|ministerio|"
    r"agencia|unidad|fondo|caja|lot[ae]ria|terminal|institucion|colegio|policia|fiscalia)\b"
)
COMPONENT_IN_TITLE = re.compile(r"(?<!sub)(?<!sub )\bcomponente\b")

# Why a row is not an activity; users read these in Problemas.
TITLE_BLOCK = "encabezado del documento (título, entidad, corte)"
LETTERHEAD = "membrete de página (se repite en la hoja)"
REPEATED_HEADER = "encabezado de tabla repetido (salto de página)"
OUTSIDE_TABLE = "membrete, firma o texto fuera de la tabla"
FOOTER = "firmas y pie del documento"
NO_ACTIVITY = "fila sin actividad"
ORPHAN_DATA = "datos sin actividad (no hay actividad arriba)"
NO_TABLE = "hoja sin tabla de seguimiento"


@dataclass(frozen=True)
class SourceInfo:
    """What one file says about itself: entity, vigencia and cut-off, with where it said it.

    ``cutoff_origin`` says how strong the cut-off is: "celda" (a "Fecha de corte:" cell),
    "texto" (a title such as "II Cuatrimestre 2020"), "seguimiento" (the side-by-side block
    used), "hoja" or "archivo" (the sheet or file name). It lives in this bottom module
    because both metadata (which fills it) and cutoff (which ranks it) need it.
    """

    file: str
    entity: str | None
    year: int | None
    cutoff: dt.date | None
    cutoff_where: str | None  # "[libro.xlsx]Hoja!C7"
    cutoff_origin: str | None = None
    program: Program | None = None  # the program the file was read as (normalize.choice)
    program_reason: str = ""  # why, in Spanish
    published: dt.date | None = None  # the publication date the file states
    signatures: dict[str, str] = field(default_factory=dict)  # its signature lines, by role


@dataclass
class Cell:
    """A source cell kept for its value and its place, so problems can point at it."""

    row: int  # 1-based
    column: int  # 0-based
    value: object


@dataclass
class Activity:
    """An activity being assembled from its first row and the rows that continue it."""

    row: int
    component: int | None
    subcomponent: str
    texts: dict[str, str]
    schedule_cells: list[Cell] = field(default_factory=list)
    progress_cells: list[Cell] = field(default_factory=list)
    start_cells: list[Cell] = field(default_factory=list)
    period_marks: list[tuple[PeriodColumn, Cell]] = field(default_factory=list)
    subitems: int = 0
    parts: list[tuple[int, str]] = field(default_factory=list)  # (row, role) it was built from
    columns: dict[str, int] = field(default_factory=dict)  # of the table it was read from


@dataclass
class Meta:
    """What one sheet says about itself; ``rank`` is the strength of its cut-off (cutoff.py)."""

    entity: str | None = None
    year: int | None = None
    cutoff: dt.date | None = None
    where: str | None = None
    rank: int = -1
    published: dt.date | None = None  # a "Fecha publicación:" cell
    signatures: dict[str, str] = field(default_factory=dict)  # role -> "Nombre – Cargo"


@dataclass(eq=False)
class Prepared:
    """One sheet after the header search: a plan table, or why it is not one."""

    sheet: RawSheet
    header: Header | None = None
    rows: list[list[object]] = field(default_factory=list)
    meta: Meta = field(default_factory=Meta)
    skip: str | None = None
    has_data: bool = False


@dataclass
class SheetContext:
    """One plan table being read: its rows, what was skipped or taken as a heading."""

    sheet: RawSheet
    header: Header
    problems: list[Problem]
    year: int | None
    rows: Sequence[Sequence[object]] = ()
    skipped: list[tuple[int, str]] = field(default_factory=list)
    headings: list[tuple[int, str]] = field(default_factory=list)
    whole_numbers: dict[int, bool] = field(default_factory=dict)  # per progress column
    # The workbook has one sheet per component ("Riesgos", "Trámites", …): the sheet name
    # then decides the component before the subcomponent does.
    per_component_sheets: bool = False

    def problem(
        self,
        *,
        row: int | None,
        column: int | None = None,
        severity: Severity,
        code: str,
        message: str,
    ) -> None:
        """A Problem located in this sheet; ``column`` is 0-based and shown as its letter."""
        letter = column_letter(column) if column is not None else None
        self.problems.append(
            Problem(
                file=self.sheet.file,
                sheet=self.sheet.sheet,
                row=row,
                column=letter,
                severity=severity,
                code=code,
                message=message,
            )
        )


Fate = tuple[int, str, int | None, str | None]  # (row, role, index of activity, reason)
History = tuple[int | None, str, str, int, str, dt.date | None, Progress, str]


@dataclass
class Run:
    """Everything normalize collects across files."""

    catalog: Catalog
    problems: list[Problem]
    cutoff: dt.date | None
    activities: list[dict[str, object]] = field(default_factory=list)
    deliveries: list[tuple[int, int, dt.date]] = field(default_factory=list)
    fates: list[tuple[str, str, int, str, int | None, str | None]] = field(default_factory=list)
    history: list[History] = field(default_factory=list)
    per_component_sheets: bool = False  # of the file being read
    # The program every file is read as (--programa), else None: decided per file.
    program: Program | None = None
    given: Catalog | None = None  # a catalog given by the caller is used for every file
    names: tuple[tuple[str, int | str], ...] = ()  # [componentes]: name -> number or name


def has_followup(rows: Sequence[Sequence[object]], header: Header) -> bool:
    """Whether any data row has a progress or follow-up value in the header's columns."""
    columns = [header.columns[f] for f in ("progress", "followup", "done") if f in header.columns]
    return any(
        c < len(row) and not is_blank(row[c]) for row in rows[header.row + 1 :] for c in columns
    )


def match_key(text: str) -> str:
    """Activity text for matching across cuts: folded, without a leading number."""
    return ACTIVITY_NUMBER.sub("", fold(text)).strip()[:120]


def is_nonblank(row: Sequence[object]) -> bool:
    """A row with something in it: every such row must be accounted for."""
    return not is_blank_row(row)
