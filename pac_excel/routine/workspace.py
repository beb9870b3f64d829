"""workspace: the office's working folder (entrada/, salida/, pac-excel.toml) and finding it.

A folder is a working folder when it holds ``pac-excel.toml``. Only the folder the command runs
in (or the one given with ``--carpeta``) counts, never a parent: a config found somewhere up the
tree would change where files are read and written without the user seeing why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pac_excel.errors import UsageError
from pac_excel.routine.config import CONFIG_NAME, render_template

INBOX_NAME = "entrada"
OUTBOX_NAME = "salida"


class WorkspaceError(UsageError):
    """The working folder cannot be created (exit 2); ``str()`` is the Spanish message."""


@dataclass(frozen=True)
class Workspace:
    """A working folder; paths stay relative when ``root`` is, so messages stay short."""

    root: Path

    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_NAME

    @property
    def inbox(self) -> Path:
        return self.root / INBOX_NAME

    @property
    def outbox(self) -> Path:
        return self.root / OUTBOX_NAME


@dataclass
class InitReport:
    """What ``init_workspace`` did, for the message the user reads."""

    workspace: Workspace
    created: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)


def find_workspace(folder: Path) -> Workspace | None:
    """The working folder at ``folder``, or None when it has no pac-excel.toml."""
    return Workspace(folder) if (folder / CONFIG_NAME).is_file() else None


def enclosing_workspace(folder: Path) -> Path | None:
    """A parent of ``folder`` that is a working folder: to tell a user who ran in entrada/."""
    for parent in folder.resolve().parents:
        if (parent / CONFIG_NAME).is_file():
            return parent
    return None


def init_workspace(folder: Path, entity: str | None = None) -> InitReport:
    """Create entrada/, salida/ and a commented pac-excel.toml; never overwrite anything."""
    workspace = Workspace(folder)
    report = InitReport(workspace)
    try:
        for path in (folder, workspace.inbox, workspace.outbox):
            if path.is_dir():
                if path != folder:
                    report.kept.append(path)
                continue
            path.mkdir(parents=True)
            if path != folder:
                report.created.append(path)
        try:
            # "x": fails if the file appeared meanwhile, so an existing config is never replaced.
            with workspace.config_path.open("x", encoding="utf-8") as handle:
                handle.write(render_template(entity))
            report.created.append(workspace.config_path)
        except FileExistsError:
            report.kept.append(workspace.config_path)
    except OSError as exc:
        target = exc.filename or folder
        reason = exc.strerror or str(exc)
        if isinstance(exc, FileExistsError):
            reason = "ya existe un archivo con ese nombre"
        raise WorkspaceError(f"No se pudo crear {target}: {reason}.") from exc
    return report
