"""The README stays true: set-up commands, CI command and problem codes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT

from pac_excel.problems import CODES, Problem, Severity

README = (ROOT / "README.md").read_text(encoding="utf-8")


def first_code_block() -> list[str]:
    match = re.search(r"```bash\n(.*?)```", README, re.DOTALL)
    assert match, "README must start with a bash code block"
    return [line for line in match.group(1).splitlines() if line.strip()]


def test_readme_starts_with_two_commands() -> None:
    install, tests = first_code_block()
    assert install.endswith("pac-excel consolidar")
    assert "[test]" in tests and tests.endswith("pytest -q")
    assert README.index("```bash") < README.index("## ")


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert first_code_block()[1] in ci.splitlines()


def test_readme_table_is_the_code_registry() -> None:
    """The README's table lists exactly the registry's codes, with their texts."""
    rows = re.findall(
        r"^\| `([a-z0-9-]+)` \| ([^|]+) \| ([^|]+) \| ([^|]+) \|$", README, re.MULTILINE
    )
    documented = {code: (meaning.strip(), todo.strip()) for code, _sev, meaning, todo in rows}
    registry = {code: (info.meaning, info.what_to_do) for code, info in CODES.items()}
    assert documented == registry
    for code, severity, _meaning, _todo in rows:
        assert CODES[code].severity.value in severity, code


def test_unknown_codes_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown problem code"):
        Problem(file="a.xlsx", severity=Severity.INFO, code="no-existe", message="x")


def test_readme_toml_example_loads(tmp_path: Path) -> None:
    """The README's complete pac-excel.toml example is a valid configuration."""
    from pac_excel.routine.config import load_config

    section = README[README.index("## El archivo pac-excel.toml") :]
    match = re.search(r"```toml\n(.*?)```", section, re.DOTALL)
    assert match
    path = tmp_path / "pac-excel.toml"
    path.write_text(match.group(1), encoding="utf-8")
    config = load_config(path)
    assert config.entity == "Gobernación del Putumayo"
    assert config.signatures["Aprobó"].startswith("Luis Gómez")
