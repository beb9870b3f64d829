"""errors: the one base of pac-excel's own run-level errors, each with the CLI's exit code.

Bad data never raises (it becomes a Problem); these are the conditions that stop a command:
the cut-off cannot be decided, the workbook cannot be written, the configuration is wrong.
The CLI catches ``PacExcelError`` once and exits with ``exit_code``.
"""

from __future__ import annotations


class PacExcelError(Exception):
    """A condition that stops a pac-excel command; the message is Spanish, for the user."""

    exit_code = 3  # the run could not be completed


class UsageError(PacExcelError):
    """The user asked for something that cannot be done as asked (config, options, folder)."""

    exit_code = 2
