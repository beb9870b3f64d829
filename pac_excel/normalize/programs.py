"""programs: the plans an OCI follows up (PAAC 2012, PAAC 2015, PTEP), each one a data file.

Since 2025 the plan is the Programa de Transparencia y Ética Pública (Ley 2195 de 2022, art.
31; Decreto 1122 de 2024), whose sections are not the PAAC's six components and whose numbers
differ from entity to entity. Each program is a JSON catalog under ``catalogs/`` with its
components, names, cuts and publication rule, so a new program or a local act is data.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, SupportsIndex

from pac_excel.normalize.catalog import Catalog, fold

__all__ = [
    "DEFAULT_PROGRAM",
    "PROGRAM_FILES",
    "Program",
    "load_program",
    "program_from_text",
    "program_keys",
]

# Key -> the catalog file. "paac" is the DAFP 2015 guide (version 2), which every follow-up
# from 2016 to 2024 uses; "paac2012" the four components of Decreto 2641 de 2012.
PROGRAM_FILES: dict[str, str] = {
    "paac": "components.json",
    "paac2012": "paac_2012.json",
    "ptep": "ptep_2024.json",
}
DEFAULT_PROGRAM = "paac"
DEFAULT_CUTS: tuple[tuple[int, int], ...] = ((4, 30), (8, 31), (12, 31))
DEFAULT_BUSINESS_DAYS = 10


@dataclass(frozen=True)
class Program:
    """One program: its names, its catalog of components, its cuts and publication rule."""

    key: str  # "paac", "paac2012", "ptep"
    short: str  # "PAAC", "PTEP": file names, titles
    name: str  # "Programa de Transparencia y Ética Pública"
    version: str  # the act or guide it follows ("Decreto 1122 de 2024")
    catalog: Catalog
    titles: tuple[str, ...] = ()  # how file titles name it
    cuts: tuple[tuple[int, int], ...] = DEFAULT_CUTS  # (month, day) of each follow-up cut
    business_days: int = DEFAULT_BUSINESS_DAYS  # publication window after each cut
    rule: str = ""  # the publication rule, in Spanish
    numbered: bool = True  # False: section numbers vary by entity and only the name counts

    def __reduce_ex__(self, protocol: SupportsIndex) -> str | tuple[Any, ...]:
        """A shipped program is pickled as its key: every file's ``SourceInfo`` names one, and
        a pool's worker sent a whole copy of the catalog with each file (the parent kept
        thousands, 17 KB each). The receiver takes its own ``load_program`` one."""
        if self.key in PROGRAM_FILES and self is load_program(self.key):
            return (load_program, (self.key,))
        return super().__reduce_ex__(protocol)


def _cut(text: str) -> tuple[int, int]:
    day, month = (int(part) for part in str(text).split("/"))
    return (month, day)


def program_from_dict(key: str, data: Mapping[str, Any]) -> Program:
    """A program from the JSON shape of ``catalogs/*.json``."""
    publication = dict(data.get("publication", {}))
    return Program(
        key=key,
        short=str(data.get("short", key.upper())),
        name=str(data.get("name", key)),
        version=str(data.get("version", "")),
        catalog=Catalog.from_dict(data),
        titles=tuple(str(t) for t in data.get("titles", ())),
        cuts=tuple(_cut(c) for c in data.get("cuts", ())) or DEFAULT_CUTS,
        business_days=int(publication.get("business_days", DEFAULT_BUSINESS_DAYS)),
        rule=str(publication.get("rule", "")),
        numbered=bool(data.get("numbered", True)),
    )


@lru_cache(maxsize=8)
def load_program(key: str = DEFAULT_PROGRAM) -> Program:
    """The shipped program ``key`` (see ``PROGRAM_FILES``); ValueError in Spanish if unknown."""
    if key not in PROGRAM_FILES:
        raise ValueError(f"Programa desconocido: {key!r}. Use uno de: {', '.join(program_keys())}.")
    folder = resources.files("pac_excel.normalize") / "catalogs"
    raw = (folder / PROGRAM_FILES[key]).read_text("utf-8")
    return program_from_dict(key, json.loads(raw))


def program_keys() -> tuple[str, ...]:
    return tuple(PROGRAM_FILES)


# What a user may write for each program in --programa or pac-excel.toml, folded.
_CHOICES: dict[str, str] = {
    "paac": "paac",
    "paac 2015": "paac",
    "paac v2": "paac",
    "paac2015": "paac",
    "plan anticorrupcion": "paac",
    "plan anticorrupcion atencion ciudadano": "paac",
    "paac2012": "paac2012",
    "paac 2012": "paac2012",
    "paac v1": "paac2012",
    "decreto 2641": "paac2012",
    "ptep": "ptep",
    "ptep 2024": "ptep",
    "programa transparencia etica publica": "ptep",
    "decreto 1122": "ptep",
}


def program_from_text(text: str) -> Program:
    """The program a user named ("PTEP", "paac", "Programa de Transparencia y Ética Pública").

    ValueError with a Spanish message listing the accepted names otherwise.
    """
    key = _CHOICES.get(fold(text).strip())
    if key is None:
        raise ValueError(
            f"Programa desconocido: «{text}». Use PTEP (Programa de Transparencia y Ética "
            "Pública, Decreto 1122 de 2024), PAAC (guía DAFP 2015) o PAAC2012 (Decreto 2641 "
            "de 2012)."
        )
    return load_program(key)
