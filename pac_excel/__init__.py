"""pac-excel: consolidate PAAC follow-up spreadsheets into one workbook with alerts and charts.

The stages can be called one by one (read -> normalize -> check -> write) or all at once with
``consolidate``, which is what ``pac-excel consolidar`` does.
"""

from __future__ import annotations

__version__ = "0.1.0"

from pac_excel.check.rules import Checked, check
from pac_excel.errors import PacExcelError
from pac_excel.normalize.cutoff import CutoffError, resolve_cutoff
from pac_excel.normalize.run import Normalized, normalize
from pac_excel.pipeline import NothingReadError, consolidate, read_inputs
from pac_excel.problems import Problem, Severity, problems_frame
from pac_excel.read.sheets import RawSheet, read_file
from pac_excel.result import Consolidation
from pac_excel.write.workbook import OutputError, write_workbook

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
