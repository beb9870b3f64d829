"""evidence_folder: the support files the OCI keeps in ``entrada/evidencias/``, listed by name.

The folder is optional. Inside it, one subfolder per responsible area ("Secretaría de
Planeación") or per activity code ("1.2", "Actividad 1.2"), as the OCI organises them; a file
directly in ``evidencias/`` whose name starts with a code ("1.2 acta.pdf") counts for that
code. Only names are read, never contents, and the walk stops at MAX_FILES files.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pac_excel.read.inputs import EVIDENCE_FOLDER

MAX_FILES = 50_000


@dataclass(frozen=True)
class EvidenceFolder:
    """Folder name (as written) -> the support files anywhere under it; ``loose`` the files
    directly in ``evidencias/`` (their own names may carry an activity code)."""

    root: Path
    folders: dict[str, tuple[str, ...]] = field(default_factory=dict)
    loose: tuple[str, ...] = ()


def find_evidence(inputs: Sequence[Path]) -> EvidenceFolder | None:
    """The ``evidencias`` folder of the first input folder that has one, listed; None when no
    input folder has one (then nobody organised support files and nothing is alerted)."""
    for given in inputs:
        if not given.is_dir():
            continue
        try:
            entries = sorted(os.scandir(given), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            if entry.name.casefold() == EVIDENCE_FOLDER and entry.is_dir():
                return _listed(Path(entry.path))
    return None


def _listed(root: Path) -> EvidenceFolder:
    folders: dict[str, list[str]] = {}
    loose: list[str] = []
    count = 0
    for here, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        files = [n for n in sorted(names) if not n.startswith((".", "~$"))]
        count += len(files)
        if count > MAX_FILES:
            break
        path = Path(here)
        if path == root:
            loose += files
            continue
        # A file counts for every folder on its path: evidencias/Planeación/1.2/acta.pdf
        # supports the area Planeación and the activity 1.2.
        for part in path.relative_to(root).parts:
            folders.setdefault(part, []).extend(files)
    return EvidenceFolder(root, {k: tuple(v) for k, v in folders.items()}, tuple(loose))
