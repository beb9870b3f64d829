"""The working folder: created once, never overwritten, found only where the command runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from pac_excel.routine.config import CONFIG_NAME, load_config
from pac_excel.routine.workspace import (
    Workspace,
    WorkspaceError,
    enclosing_workspace,
    find_workspace,
    init_workspace,
)


def test_init_creates_folders_and_commented_config(tmp_path: Path) -> None:
    root = tmp_path / "PAAC 2020"
    report = init_workspace(root, "Gobernación del Putumayo")
    ws = Workspace(root)
    assert report.created == [ws.inbox, ws.outbox, ws.config_path]
    assert report.kept == []
    assert ws.inbox.is_dir() and ws.outbox.is_dir()
    text = ws.config_path.read_text(encoding="utf-8")
    assert text.startswith("# pac-excel.toml")
    assert load_config(ws.config_path).entity == "Gobernación del Putumayo"


def test_init_never_overwrites(tmp_path: Path) -> None:
    (tmp_path / "entrada").mkdir()
    (tmp_path / CONFIG_NAME).write_text('entidad = "Mía"\n', encoding="utf-8")
    report = init_workspace(tmp_path, "Otra")
    assert report.created == [tmp_path / "salida"]
    assert report.kept == [tmp_path / "entrada", tmp_path / CONFIG_NAME]
    assert (tmp_path / CONFIG_NAME).read_text(encoding="utf-8") == 'entidad = "Mía"\n'


def test_init_on_a_file_is_a_spanish_error(tmp_path: Path) -> None:
    blocker = tmp_path / "archivo"
    blocker.write_text("x")
    with pytest.raises(WorkspaceError, match="ya existe un archivo con ese nombre"):
        init_workspace(blocker)


def test_find_only_the_folder_itself(tmp_path: Path) -> None:
    assert find_workspace(tmp_path) is None
    init_workspace(tmp_path)
    assert find_workspace(tmp_path) == Workspace(tmp_path)
    inbox = tmp_path / "entrada"
    assert find_workspace(inbox) is None
    assert enclosing_workspace(inbox) == tmp_path.resolve()


def test_relative_root_keeps_paths_short() -> None:
    ws = Workspace(Path("."))
    assert (ws.inbox, ws.outbox, ws.config_path) == (
        Path("entrada"),
        Path("salida"),
        Path("pac-excel.toml"),
    )
