"""check: the rules at the cut-off (expected progress, overdue, semáforo) and the figures."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pac_excel.check.rules import Checked, check

__all__ = ["Checked", "check"]


def __getattr__(name: str) -> Any:
    """``check`` and ``Checked`` on first use: importing a check module (the semáforo
    limits, for pac-excel.toml) must not load the rules and pandas with them."""
    if name in __all__:
        from pac_excel.check import rules

        return getattr(rules, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
