"""pac-excel: consolidate PAAC follow-up spreadsheets into one workbook with alerts and charts.

The stages can be called one by one (read -> normalize -> check -> write) or all at once with
``consolidate``, which is what ``pac-excel consolidar`` does.

The public names are imported on first use (PEP 562 ``__getattr__``): ``pac-excel --help``
and ``import pac_excel.cli`` must not pay for pandas, xlsxwriter and the readers.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from pac_excel.check.rules import Checked, check
    from pac_excel.errors import PacExcelError
    from pac_excel.normalize.cutoff import CutoffError, resolve_cutoff
    from pac_excel.normalize.run import Normalized, normalize
    from pac_excel.pipeline import NothingReadError, consolidate, read_inputs
    from pac_excel.problems import Problem, Severity, problems_frame
    from pac_excel.read.sheets import RawSheet, read_file
    from pac_excel.result import Consolidation
    from pac_excel.write.workbook import OutputError, write_workbook

_EXPORTS = {
    "Checked": "pac_excel.check.rules",
    "check": "pac_excel.check.rules",
    "PacExcelError": "pac_excel.errors",
    "CutoffError": "pac_excel.normalize.cutoff",
    "resolve_cutoff": "pac_excel.normalize.cutoff",
    "Normalized": "pac_excel.normalize.run",
    "normalize": "pac_excel.normalize.run",
    "NothingReadError": "pac_excel.pipeline",
    "consolidate": "pac_excel.pipeline",
    "read_inputs": "pac_excel.pipeline",
    "Problem": "pac_excel.problems",
    "Severity": "pac_excel.problems",
    "problems_frame": "pac_excel.problems",
    "RawSheet": "pac_excel.read.sheets",
    "read_file": "pac_excel.read.sheets",
    "Consolidation": "pac_excel.result",
    "OutputError": "pac_excel.write.workbook",
    "write_workbook": "pac_excel.write.workbook",
}

__all__ = [
    "Checked",
    "Consolidation",
    "CutoffError",
    "Normalized",
    "NothingReadError",
    "OutputError",
    "PacExcelError",
    "Problem",
    "RawSheet",
    "Severity",
    "__version__",
    "check",
    "consolidate",
    "normalize",
    "problems_frame",
    "read_file",
    "read_inputs",
    "resolve_cutoff",
    "write_workbook",
]


def __getattr__(name: str) -> Any:
    """Import a public name's module the first time the name is asked for."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'pac_excel' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


_FUNCTIONS: dict[str, Any] = {}  # check, normalize: the functions once imported


class _Package(types.ModuleType):
    """``pac_excel.check`` and ``pac_excel.normalize`` stay the functions, not the subpackages.

    Importing a subpackage binds its name on the parent package; with eager imports the
    function bound afterwards won, so it must win here too, whatever is imported later.
    """

    @staticmethod
    def _shadowing(name: str) -> property:
        def get(self: types.ModuleType) -> Any:
            if name not in _FUNCTIONS:
                module = importlib.import_module(_EXPORTS[name])
                _FUNCTIONS[name] = getattr(module, name)
            return _FUNCTIONS[name]

        def put(self: types.ModuleType, value: Any) -> None:
            if not isinstance(value, types.ModuleType):  # the subpackage's binding is dropped
                _FUNCTIONS[name] = value

        return property(get, put)


for _name in ("check", "normalize"):
    setattr(_Package, _name, _Package._shadowing(_name))
sys.modules[__name__].__class__ = _Package


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
