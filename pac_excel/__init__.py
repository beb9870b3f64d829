"""pac-excel: consolidate PAAC follow-up spreadsheets into one workbook with alerts and charts.

The stages can be called one by one (read -> normalize -> check -> write) or all at once with
``consolidate``, which is what ``pac-excel consolidar`` does.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .check import Checked, check
from .cutoff import CutoffError, resolve_cutoff
from .normalize import Normalized, normalize
from .pipeline import consolidate, read_inputs
from .problems import Problem, Severity, problems_frame
from .read import RawSheet, read_file
from .result import Consolidation
from .write import OutputError, write_workbook

__all__ = [
    "Checked",
    "Consolidation",
    "CutoffError",
    "Normalized",
    "OutputError",
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
