"""read: a file in the input folder -> RawSheet values, after the pre-flight safety scans.

``inputs`` picks the files up, ``preflight`` decides what each really is and whether it is
safe to parse, ``sheets`` reads it; ``formats/`` holds one bounded scanner or reader per
file family (xlsx, xls, ods, text).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pac_excel.read.inputs import InputFile, collect_inputs
    from pac_excel.read.sheets import RawSheet, read_file

__all__ = ["InputFile", "RawSheet", "collect_inputs", "read_file"]
_EXPORTS = {
    "InputFile": "pac_excel.read.inputs",
    "collect_inputs": "pac_excel.read.inputs",
    "RawSheet": "pac_excel.read.sheets",
    "read_file": "pac_excel.read.sheets",
}


def __getattr__(name: str) -> Any:
    """Imported on first use: the XML guard in this package must not load the readers."""
    if name not in _EXPORTS:
        raise AttributeError(f"module 'pac_excel.read' has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value
