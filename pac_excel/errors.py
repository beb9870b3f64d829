"""errors: the one base of pac-excel's own run-level errors, each with the CLI's exit code.

Bad data never raises (it becomes a Problem); these are the conditions that stop a command:
the cut-off cannot be decided, the workbook cannot be written, the configuration is wrong.
The CLI catches ``PacExcelError`` once and exits with ``exit_code``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pac_excel.problems import Problem


class PacExcelError(Exception):
    """A condition that stops a pac-excel command; the message is Spanish, for the user."""

    exit_code = 3  # the run could not be completed
    # What the run had found about its inputs when it stopped: the CLI lists it first, so a
    # user sees why nothing was read or what the unwritten workbook would have reported.
    problems: tuple[Problem, ...] = ()


class UsageError(PacExcelError):
    """The user asked for something that cannot be done as asked (config, options, folder)."""

    exit_code = 2
