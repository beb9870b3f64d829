"""A stage watched across the fork: which process ran it, and a child made to fail there."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest


def watch(
    monkeypatch: pytest.MonkeyPatch,
    module: ModuleType,
    name: str,
    log: Path,
    child: str = "",
    line: Callable[[], str] = lambda: str(os.getpid()),
) -> None:
    """Replace ``module.name`` by a wrapper that appends ``line()`` to ``log`` each time it
    runs; in a child process ``child`` "raises" makes it raise, "dies" ends the child."""
    real = getattr(module, name)
    parent = os.getpid()

    def watched(*args: Any, **kwargs: Any) -> Any:
        with log.open("a") as handle:
            handle.write(f"{line()}\n")
        if os.getpid() != parent and child == "raises":
            raise RuntimeError("falla en el hijo")
        if os.getpid() != parent and child == "dies":
            os._exit(9)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, watched)
