"""header: find the table's header row by its words and say which column holds which field.

Offices put titles, letterheads and a cut-off line above the header and spell it their own
way ("REPOSABLES", "% de avance", "Subcomponente / Proceso"), so the header is recognised
by folded words with a fuzzy match, never by its position.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from .text import cell_text, fold

# Canonical field -> header spellings seen in real follow-ups (domain.md §2.2), folded.
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "number": ("no", "n", "nº", "no.", "#", "item", "numero", "n°"),
    "component": ("componente", "componentes", "politica"),
    "subcomponent": (
        "subcomponente",
        "subcomponentes",
        "subcomponente proceso",
        "subcomponente/proceso",
        "proceso",
        "estrategia",
    ),
    "activity": (
        "actividades",
        "actividad",
        "actividades programadas",
        "actividad programada",
        "accion",
        "acciones",
        "descripcion de la actividad",
        "metas o productos",
    ),
    "done": (
        "actividades cumplidas",
        "actividades realizadas",
        "accion realizada",
        "acciones realizadas",
        "actividad realizada",
        "actividad cumplida",
    ),
    "goal": (
        "meta o producto",
        "meta producto",
        "metas productos",
        "meta",
        "metas",
        "producto",
        "productos",
        "indicador",
        "indicadores",
        "entregable",
    ),
    "owner": (
        "responsable",
        "responsables",
        "lider del proceso",
        "dependencia",
        "dependencia responsable",
        "area responsable",
        "responsable de la actividad",
    ),
    "dates": (
        "fecha programada",
        "fechas programadas",
        "fecha",
        "periodo de ejecucion",
        "fecha de ejecucion",
        "fecha limite",
        "fecha de cumplimiento",
        "plazo",
        "cronograma",
        "fecha programada de cumplimiento",
    ),
    "progress": (
        "% avance",
        "% de avance",
        "avance",
        "% cumplimiento",
        "cumplimiento",
        "porcentaje de avance",
        "% de cumplimiento",
        "nivel de cumplimiento %",
        "nivel de cumplimiento",
        "porcentaje",
        "calificacion",
        "avance %",
    ),
    "followup": (
        "seguimiento",
        "seguimiento oci",
        "observaciones",
        "observacion",
        "observaciones oci",
        "observaciones del auditor",
        "comentarios",
        "comentarios de la oficina de control interno",
        "seguimiento oficina de control interno",
        "analisis oci",
        "evidencia",
        "evidencias",
    ),
}

# Folded alias -> field, for exact lookups before the fuzzy match.
_EXACT = {fold(alias): name for name, aliases in FIELD_ALIASES.items() for alias in aliases}
_FUZZY_ALIASES = [a for a in _EXACT if len(a) >= 6]
FUZZY_CUTOFF = 0.82  # "reposables" ~ "responsables" = 0.91; "proceso" ~ "progreso" stays out
MIN_FIELDS = 3  # a header names at least the activity and two other fields


@dataclass(frozen=True)
class Header:
    """Where the header is (0-based row index) and which 0-based column holds each field."""

    row: int
    columns: dict[str, int]
    labels: dict[int, str]  # column -> header text as written


@lru_cache(maxsize=4096)
def match_field(label: str) -> str | None:
    """The canonical field a header cell names, tolerant of case, accents and misspellings."""
    key = fold(label)
    if not key:
        return None
    if key in _EXACT:
        return _EXACT[key]
    if len(key) < 5:
        return None
    close = difflib.get_close_matches(key, _FUZZY_ALIASES, n=1, cutoff=FUZZY_CUTOFF)
    return _EXACT[close[0]] if close else None


def header_columns(row: Sequence[object]) -> tuple[dict[str, int], dict[int, str]]:
    """Map the fields a candidate header row names; first column wins for each field."""
    columns: dict[str, int] = {}
    labels: dict[int, str] = {}
    for index, value in enumerate(row):
        if not isinstance(value, str):
            continue
        label = cell_text(value)
        if not label or len(label) > 80:
            continue
        name = match_field(label)
        if name and name not in columns:
            columns[name] = index
            labels[index] = label
    # An office that only has "Metas o productos" uses it as the activity column (Sarare).
    return columns, labels


def find_header(rows: Sequence[Sequence[object]], start: int = 0, limit: int = 80) -> Header | None:
    """The first row from ``start`` that names an activity column and at least two more fields."""
    for index in range(start, min(len(rows), start + limit)):
        row = rows[index]
        text_cells = sum(1 for v in row if isinstance(v, str) and v.strip())
        if text_cells < MIN_FIELDS:
            continue
        columns, labels = header_columns(row)
        if "activity" not in columns and "goal" in columns and "done" in columns:
            columns["activity"] = columns.pop("goal")
        if "activity" in columns and len(columns) >= MIN_FIELDS:
            return Header(index, columns, labels)
    return None


def is_repeated_header(row: Sequence[object], header: Header) -> bool:
    """A page break that repeats the header row: the same words in the same columns.

    Compared by folded text against the header's own labels: a fuzzy match per data cell
    measured as 85 % of normalize's time on a 2,000-activity folder.
    """
    hits = 0
    for column, label in header.labels.items():
        value = row[column] if column < len(row) else None
        if isinstance(value, str) and len(value) < 90:
            hits += fold(cell_text(value)) == fold(label)
    return hits >= max(MIN_FIELDS, len(header.labels) - 1)
