"""pac-excel: consolidate PAAC follow-up spreadsheets into one workbook with alerts and charts.

The stages can be called one by one (read -> normalize -> check -> write) or all at once with
``consolidate``, which is what ``pac-excel consolidar`` does.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .check import Checked, check  # noqa: E402
from .cutoff import CutoffError, resolve_cutoff  # noqa: E402
from .normalize import Normalized, normalize  # noqa: E402
from .pipeline import consolidate, read_inputs  # noqa: E402
from .problems import Problem, Severity, problems_frame  # noqa: E402
from .read import RawSheet, read_file  # noqa: E402
from .result import Consolidation  # noqa: E402
from .write import OutputError, write_workbook  # noqa: E402

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
