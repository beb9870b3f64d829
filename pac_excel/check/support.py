"""support: which activities report progress with nothing behind it (the alert Sin soporte).

Only when the working folder has ``entrada/evidencias/`` (read.evidence_folder): without it
nobody organised support files and every activity would be flagged for nothing. An activity
with reported progress above 0 % has support when it carries an evidence address (a cell
hyperlink or an address in its text), or when a folder of ``evidencias/`` names one of its
areas (the same tolerance as Por responsable: accents, case, punctuation and short words do
not matter, check.owners.area_key) or its code ("1.2", "Actividad 1.2"), or a file directly
in ``evidencias/`` starts with its code ("1.2 acta.pdf"). A folder of an area supports every
activity of that area; a code folder, only its activity.
"""

from __future__ import annotations

import re

import pandas as pd

from pac_excel.check.owners import area_key, owner_areas
from pac_excel.read.evidence_folder import EvidenceFolder
from pac_excel.text import strip_accents

_CODE_NAME = re.compile(r"^\s*(?:actividad|act\.?|no\.?|n[°º]|item)?\s*(\d{1,2}(?:\.\d{1,3})+)\b")


def name_code(name: str) -> str | None:
    """The activity code a folder or file name starts with: "Actividad 1.2" -> "1.2"."""
    match = _CODE_NAME.match(strip_accents(name).casefold())
    return match.group(1) if match else None


def unsupported(acts: pd.DataFrame, folder: EvidenceFolder | None) -> pd.Series:
    """True where an activity reports progress and has no support (see the module doc)."""
    if folder is None:
        none: pd.Series = pd.Series(False, index=acts.index, dtype=bool)
        return none
    progress = acts["progress"].astype("Float64")
    reported = progress.gt(0).fillna(False) & ~acts["not_applicable"].fillna(False).astype(bool)
    linked = acts["evidence"].notna()
    filled = {name: files for name, files in folder.folders.items() if files}
    codes = {c for c in map(name_code, [*filled, *folder.loose]) if c}
    by_code = acts["code"].astype("string").str.strip().isin(codes).fillna(False)
    keys = {area_key(name) for name in filled} - {""}
    areas = owner_areas(acts)
    covered = set(areas.loc[areas["area_key"].isin(keys), "activity_id"])
    by_area = acts["activity_id"].isin(covered)
    flag: pd.Series = (reported & ~linked & ~by_code & ~by_area).astype(bool)
    return flag
