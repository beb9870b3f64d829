"""owners: the Responsable cell split into the areas an OCI writes to when chasing evidence.

Owner cells mix co-owners and sub-units in one text. The rule, tuned on the samples and on
the owner layouts seen in entities' published plans:

1. **Hard separators always split co-owners**: line breaks, ``;``, ``/``, ``|``, ``y/o``
   ("Planeación / TIC" -> Planeación, TIC). Leading bullets and numbers ("- ", "1.") go.
2. **Dashes and commas split only before an organisational unit**: a part after "–", "—",
   " - " or "," that starts with a unit word (Secretaría, Oficina, Despacho, Dirección,
   Gerencia, Alcaldía, Planeación, Control Interno…) is a co-owner ("Despacho del Alcalde -
   Secretaría de Planeación" -> two areas); any other part is a **sub-unit** of the area before
   it ("Secretaría de Servicios Administrativos – Gestión Atención al Usuario" -> one area,
   Secretaría de Servicios Administrativos, sub-unit Gestión Atención al Usuario). The memo
   goes to the area; the sub-unit stays visible next to each activity.
3. **" y " never splits**: "Secretaría General y Jurídica", "Oficina de Prensa y
   Comunicaciones" are one office each; guessing otherwise would invent offices.
4. Spellings are merged by a key without accents, case, punctuation and short words ("de",
   "la"…): "Oficina Control Interno de Gestión" and "OFICINA DE CONTROL INTERNO DE GESTIÓN"
   are one area, shown with its most frequent spelling. Areas are per entity: two entities'
   "Secretaría de Planeación" are two offices.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from pac_excel.frames import AREA_DTYPES
from pac_excel.text import strip_accents

NO_OWNER = "Sin responsable"


_HARD_SPLIT = re.compile(r"\s+y\s*/\s*o\s+|[\n\r;/|•]+", re.IGNORECASE)
_SOFT_SPLIT = re.compile(r"\s*[–—]\s*|\s+-\s*|\s*-\s+|\s*,\s*")
_BULLET = re.compile(r"^\s*(?:[-–—*·•]+|\(?\d{1,2}[.)])\s*")
_TRAILING = re.compile(r"[\s.,;:]+$")
_SPACES = re.compile(r"\s+")
_STOP_WORDS = frozenset({"de", "del", "la", "las", "los", "el", "y", "e", "al", "para", "en"})
# Words that start an organisational unit; a dash- or comma-part starting otherwise is a
# sub-unit (a process, a group, a desk) of the area before it.
_UNIT_WORDS = (
    "secretaria",
    "subsecretaria",
    "oficina",
    "despacho",
    "direccion",
    "subdireccion",
    "gerencia",
    "subgerencia",
    "jefatura",
    "departamento",
    "alcaldia",
    "alcalde",
    "gobernacion",
    "gobernador",
    "alta direccion",
    "comite",
    "personeria",
    "contraloria",
    "planeacion",
    "control interno",
    "lider",
    "lideres",
    "todas las",
    "todos los",
)


@dataclass(frozen=True)
class Owner:
    """One area named in an owner cell, with the sub-units the cell gave it."""

    area: str
    subunits: tuple[str, ...] = ()


def _plain(text: str) -> str:
    return strip_accents(text).casefold()


@lru_cache(maxsize=8192)
def area_key(name: str) -> str:
    """Grouping key: no accents, case, punctuation or short words.

    Cached: a run asks it once per activity for a few dozen area names (53,000 calls were
    40 % of Resumen at 1,000 files)."""
    words = re.findall(r"[a-z0-9ñ]+", _plain(name))
    return " ".join(w for w in words if w not in _STOP_WORDS)


def _clean(part: str) -> str:
    part = _BULLET.sub("", part.replace("\u00a0", " "))
    return _TRAILING.sub("", _SPACES.sub(" ", part).strip())


def _is_unit(part: str) -> bool:
    plain = _plain(part)
    return any(plain == w or plain.startswith(w + " ") for w in _UNIT_WORDS)


@lru_cache(maxsize=4096)
def split_owner(text: str | None) -> tuple[Owner, ...]:
    """The areas of one owner cell, in order, each once; (Sin responsable,) when empty."""
    owners: dict[str, Owner] = {}
    for piece in _HARD_SPLIT.split(text or ""):
        piece = _clean(piece)
        if not piece:
            continue
        area: str | None = None
        subunits: list[str] = []
        for part in (_clean(p) for p in _SOFT_SPLIT.split(piece)):
            if not part:
                continue
            if area is None or _is_unit(part):
                if area is not None:
                    _add(owners, area, subunits)
                area, subunits = part, []
            else:
                subunits.append(part)
        if area is not None:
            _add(owners, area, subunits)
    return tuple(owners.values()) or (Owner(NO_OWNER),)


def _add(owners: dict[str, Owner], area: str, subunits: list[str]) -> None:
    key = area_key(area) or area
    known = owners.get(key)
    merged = tuple(dict.fromkeys([*(known.subunits if known else ()), *subunits]))
    owners[key] = Owner(known.area if known else area, merged)


def owner_areas(activities: pd.DataFrame) -> pd.DataFrame:
    """One row per (activity, area), in activity order; see AREA_DTYPES.

    Each distinct owner text is split once, so 20,000 activities with a few dozen owner
    spellings cost a few dozen splits.
    """
    ids = activities["activity_id"].tolist()
    entities = activities["entity"].astype("string").to_numpy(dtype=object, na_value="")
    texts = activities["owner"].astype("string")
    owners = texts.astype(object).where(texts.notna(), None).tolist()
    # Column lists, not a tuple per row: at thousands of files the tuples were most of what
    # Resumen's figures held while they were worked out. Each distinct owner text is split once.
    columns: tuple[list[object], ...] = ([], [], [], [], [])
    activity_column, entity_column, area_column, key_column, subunit_column = columns
    split: dict[str | None, list[tuple[str, str, str | None]]] = {}
    for activity_id, entity, owner in zip(ids, entities, owners, strict=True):
        areas = split.get(owner)
        if areas is None:
            areas = split[owner] = [
                (found.area, area_key(found.area), _subunits(found.subunits))
                for found in split_owner(owner)
            ]
        for area, key, subunits in areas:
            activity_column.append(activity_id)
            entity_column.append(entity)
            area_column.append(area)
            key_column.append(key)
            subunit_column.append(subunits)
    if not activity_column:
        return _typed(pd.DataFrame(dict(zip(AREA_DTYPES, columns, strict=True))))
    # The most frequent spelling names the area (first seen on a tie).
    spellings: dict[tuple[object, object], dict[object, int]] = {}
    groups = list(zip(entity_column, key_column, strict=True))
    for group, spelling in zip(groups, area_column, strict=True):
        counts = spellings.get(group)
        if counts is None:
            counts = spellings[group] = {}
        counts[spelling] = counts.get(spelling, 0) + 1
    names = {group: max(counts, key=counts.__getitem__) for group, counts in spellings.items()}
    area_column[:] = [names[group] for group in groups]
    frame = pd.DataFrame(dict(zip(AREA_DTYPES, columns, strict=True)))
    frame["entity"] = frame["entity"].replace("", pd.NA)
    return _typed(frame)


@lru_cache(maxsize=4096)
def _subunits(found: tuple[str, ...]) -> str | None:
    """The sub-units "; "-joined, once per distinct list (one text, not one per activity)."""
    return "; ".join(found) or None


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    typed: pd.DataFrame = frame.astype(AREA_DTYPES)
    return typed
