"""choice: which program one file follows, and the sections of that file the catalog lacks.

Decided per file, because a folder may hold a 2024 PAAC follow-up next to 2025 PTEP ones.
Evidence, strongest first: the user's choice (--programa, pac-excel.toml); a title naming the
PTEP; section names that only the PTEP has (a 2025 file whose title still says "Plan
Anticorrupción" is a PTEP file when its sections are); a title naming the PAAC; the default.
A heading is read by its name, not its number: entities number PTEP sections in their own
order, so "Componente 2" means nothing across entities.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from pac_excel.normalize.catalog import (
    Catalog,
    Component,
    fold,
    heading_number,
    heading_words,
    infer_component,
    parse_component_heading,
)
from pac_excel.normalize.model import Prepared
from pac_excel.normalize.programs import DEFAULT_PROGRAM, Program, load_program
from pac_excel.problems import Problem, column_letter
from pac_excel.text import cell_text, is_blank
from pac_excel.text import fold as fold_words  # keeps "componente", which catalog.fold drops

__all__ = [
    "ProgramChoice",
    "choose_program",
    "file_catalog",
    "plan_sections_notice",
    "with_names",
]

TITLE_ROWS = 15  # titles and letterheads sit above the table
MAX_TITLE_CHARS = 200
MAX_HEADING_CHARS = 150
FIRST_PTEP_YEAR = 2024  # Decreto 1122 de 2024: earlier vigencias are PAAC whatever they say
SECTIONS_ALONE = 2  # PTEP-only sections that decide without a PTEP title or a 2025 vigencia

# Folded words that only PTEP sections use (the PAAC had none of them as a component).
PTEP_MARKERS: tuple[str, ...] = (
    "integridad publica",
    "etica publica",
    "redes articulacion",
    "articulacion interinstitucional",
    "legalidad",
    "estado abierto",
    "canales denuncia",
    "debida diligencia",
    "lavado activos",
    "mapa integral",
    "soborno",
    "fpadm",
)
_PTEP_MARKER_WORDS = tuple((m, re.compile(rf"\b{m}\b")) for m in PTEP_MARKERS)
_PTEP_TITLE = re.compile(r"\b(ptep|programa transparencia etica publica)\b")
_PAAC_TITLE = re.compile(r"\b(paac|plan anticorrupcion|estrategia anticorrupcion)\b")
_COMPONENT_WORD = re.compile(r"^componente\b")

FORCED = "indicado por el usuario (--programa o programa en pac-excel.toml)"


@dataclass(frozen=True)
class ProgramChoice:
    """The program a file was read as, and in Spanish why."""

    program: Program
    reason: str


@dataclass(frozen=True)
class _Seen:
    """A text cell that may be a title or a section name, with where it is."""

    text: str
    where: str  # "Hoja!A3" or "nombre de hoja «…»"


def _where(item: Prepared, row: int, column: int) -> str:
    return f"{item.sheet.sheet}!{column_letter(column)}{row + 1}"


def _titles(items: Sequence[Prepared]) -> Iterator[_Seen]:
    for item in items:
        rows = item.sheet.rows
        last = item.header.row if item.header is not None else TITLE_ROWS
        for r, row in enumerate(rows[: min(last, TITLE_ROWS)]):
            for c, value in enumerate(row):
                if isinstance(value, str) and 0 < len(value) <= MAX_TITLE_CHARS:
                    yield _Seen(value, _where(item, r, c))
        yield _Seen(item.sheet.sheet, f"nombre de hoja «{item.sheet.sheet}»")
    if items:
        yield _Seen(items[0].sheet.file, f"nombre de archivo «{items[0].sheet.file}»")


def _section_cells(item: Prepared) -> Iterator[tuple[int, int, str]]:
    """Heading rows (one text on the row) and the Componente column, below the header."""
    if item.header is None:
        return
    column = item.header.columns.get("component")
    for r in range(item.header.row + 1, len(item.rows)):
        row = item.rows[r]
        own = row[column] if column is not None and column < len(row) else None
        if column is not None and isinstance(own, str):
            yield r, column, own
            continue
        lone = _lone_text(row)
        if lone is not None:
            yield r, lone[0], lone[1]


def _lone_text(row: Sequence[object]) -> tuple[int, str] | None:
    """The row's first non-blank cell when it is a short text and every other non-blank
    cell reads the same (a heading filled across merged cells); else None.

    Stops at the first cell that says something else: most rows are table data.
    """
    first: tuple[int, str] | None = None
    text = ""
    for c, value in enumerate(row):
        if is_blank(value):
            continue
        if first is None:
            if not isinstance(value, str) or len(value) > MAX_HEADING_CHARS:
                return None
            first, text = (c, value), cell_text(value)
        elif value is not first[1] and cell_text(value) != text:
            return None
    return first


def _sections(items: Sequence[Prepared]) -> Iterator[_Seen]:
    for item in items:
        if item.header is None:
            continue
        yield _Seen(item.sheet.sheet, f"nombre de hoja «{item.sheet.sheet}»")
        for r, c, text in _section_cells(item):
            yield _Seen(text, _where(item, r, c))


def _ptep_sections(items: Sequence[Prepared]) -> list[str]:
    """The distinct PTEP-only section names the file's headings use, as written."""
    found: dict[str, str] = {}
    for seen in _sections(items):
        key = fold(seen.text)
        marker = next((m for m, word in _PTEP_MARKER_WORDS if word.search(key)), None)
        if marker is not None and marker not in found:
            found[marker] = seen.text.strip()
    return list(found.values())


def choose_program(items: Sequence[Prepared], forced: Program | None = None) -> ProgramChoice:
    """The program one file follows (its prepared sheets), and why, in Spanish."""
    if forced is not None:
        return ProgramChoice(forced, FORCED)
    ptep = load_program("ptep")
    year = next((p.meta.year for p in items if p.meta.year), None)
    if year is not None and year < FIRST_PTEP_YEAR:
        return ProgramChoice(
            load_program(DEFAULT_PROGRAM), f"vigencia {year}, anterior al PTEP (Decreto 1122)"
        )
    titles = list(_titles(items))
    for seen in titles:
        if _PTEP_TITLE.search(fold(seen.text)):
            return ProgramChoice(ptep, f"el título dice «{_short(seen.text)}» ({seen.where})")
    sections = _ptep_sections(items)
    # Without a vigencia, sections alone never decide: PAAC files used some PTEP names too.
    if year is not None and (len(sections) >= SECTIONS_ALONE or (sections and year > 2024)):
        named = ", ".join(f"«{_short(s)}»" for s in sections[:3])
        return ProgramChoice(ptep, f"sus secciones son del PTEP: {named}")
    for seen in titles:
        if _PAAC_TITLE.search(fold(seen.text)):
            return ProgramChoice(
                load_program(DEFAULT_PROGRAM),
                f"el título dice «{_short(seen.text)}» ({seen.where})",
            )
    return ProgramChoice(
        load_program(DEFAULT_PROGRAM), "ni el título ni las secciones nombran el PTEP"
    )


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _next_number(catalog: Catalog, wanted: int | None) -> int:
    taken = set(catalog.numbers)
    if wanted is not None and wanted not in taken and wanted < 10:
        return wanted
    own = [c.number for c in catalog.components if not c.plan]
    number = max(own, default=0) + 1
    while number in taken:
        number += 1
    return number


def _section(catalog: Catalog, program: Program, text: str) -> Component:
    words = heading_words(text) or text.strip()
    number = _next_number(catalog, heading_number(text) if program.numbered else None)
    label = f"{number}. {words}" if program.numbered else f"{program.short} – {words}"
    return Component(number=number, name=words, display=label)


def with_names(
    catalog: Catalog, program: Program, names: Sequence[tuple[str, int | str]]
) -> Catalog:
    """The program's catalog plus [componentes]: a name given a component's number or
    name joins it; a number the program lacks, or a name it does not know, is a new one."""
    extra: dict[str, int] = {}
    for name, target in names:
        if isinstance(target, str):
            found = parse_component_heading(target, catalog) or infer_component(target, catalog)
            if found is None:
                section = _section(catalog, program, target)
                catalog = catalog.with_sections([section])
                found = section.number
            extra[name] = found
        elif target in catalog.numbers:
            extra[name] = target
        elif program.numbered:
            new = Component(number=target, name=name, display=f"{target}. {name}")
            catalog = catalog.with_sections([new])
        else:  # the PTEP numbers nothing: a new number is a new component under its name
            catalog = catalog.with_sections([_section(catalog, program, name)])
    return catalog.extend(extra) if extra else catalog


def file_catalog(
    items: Sequence[Prepared], program: Program, catalog: Catalog, problems: list[Problem]
) -> Catalog:
    """``catalog`` plus the file's sections that match none of its components, each with a
    warning; and a warning for each heading whose number and name disagree."""
    for item in items:
        for r, c, text in _section_cells(item):
            heading = _COMPONENT_WORD.match(fold_words(text)) is not None
            in_column = item.header is not None and item.header.columns.get("component") == c
            found = parse_component_heading(text, catalog)
            if found is None and (heading or in_column) and heading_words(text):
                section = _section(catalog, program, text)
                catalog = catalog.with_sections([section])
                problems.append(_unmatched(item, r, c, text, section, program))
            elif found is not None and heading and program.numbered:
                written = heading_number(text)
                if written is not None and written != found and written in catalog.numbers:
                    problems.append(_disagree(item, r, c, text, catalog.component(found)))
    return catalog


def _at(item: Prepared, row: int, column: int, code: str, message: str) -> Problem:
    """A problem at a 0-based cell of the sheet, at the code's usual severity."""
    return Problem.in_file(
        item.sheet.file, code, message, sheet=item.sheet.sheet, row=row + 1,
        column=column_letter(column),
    )  # fmt: skip


def _unmatched(
    item: Prepared, row: int, column: int, text: str, section: Component, program: Program
) -> Problem:
    return _at(
        item,
        row,
        column,
        "seccion-no-reconocida",
        f"La sección «{_short(text)}» no corresponde a ningún componente del "
        f"{program.short}; se consolida como un componente propio, «{section.label}», con el "
        "nombre que trae el archivo. Si es uno del programa, agréguelo en [componentes] de "
        "pac-excel.toml.",
    )


def _disagree(item: Prepared, row: int, column: int, text: str, named: Component) -> Problem:
    return _at(
        item,
        row,
        column,
        "numero-y-nombre-de-componente",
        f"El encabezado «{_short(text)}» trae un número que no corresponde a su "
        f"nombre; se usó el nombre: «{named.label}».",
    )


def plan_sections_notice(file: str, labels: Sequence[str], program: Program) -> Problem | None:
    """One Advertencia when a PTEP-era file carries Plan de Acción sections."""
    if not labels:
        return None
    names = ", ".join(f"«{label}»" for label in labels)
    return Problem.in_file(
        file,
        "seccion-plan-de-accion",
        f"Las secciones {names} son del Plan de Acción institucional, no del {program.short} "
        "(Concepto DAFP 654781 de 2024: servicio al ciudadano, racionalización de trámites, "
        "participación ciudadana y gobierno digital se formulan y siguen en el Plan de "
        "Acción). Se consolidan con ese rótulo, aparte de los componentes del programa.",
    )
