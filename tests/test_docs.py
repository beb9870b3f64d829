"""The README stays true: set-up commands, CI command and problem codes."""

from __future__ import annotations

import re

from conftest import ROOT

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


def test_every_problem_code_is_documented() -> None:
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "pac_excel").rglob("*.py"))
    codes = set(re.findall(r'Severity\.[A-Z]+,\s*"([a-z0-9-]+)"', source))
    codes |= set(re.findall(r'ReadError\(\s*"([a-z0-9-]+)"', source))
    codes |= set(re.findall(r'(?:Refused|refuse)\(\s*"([a-z0-9-]+)"', source))
    codes |= {"html-como-xls", "csv-como-xls", "excel-2003-xml"}  # chosen through a variable
    assert len(codes) > 15
    documented = set(re.findall(r"^\| `([a-z0-9-]+)` \|", README, re.MULTILINE))
    assert codes <= documented, sorted(codes - documented)
