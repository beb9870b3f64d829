"""check: the rules at the cut-off (expected progress, overdue, semáforo) and the figures."""

from pac_excel.check.rules import Checked, check

__all__ = ["Checked", "check"]
