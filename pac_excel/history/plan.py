"""plan: the plan as published in January against the follow-up being consolidated.

The plan is read with the same reader and normalizer as any follow-up, then matched to the
follow-up's activities (``match``: pins, stable key, similarity within the component). Three
findings, each with its file and row: a plan activity missing from the follow-up, a follow-up
activity the plan did not have, and a reworded (or split) one. Doubtful resemblances are listed
as reworded with their similarity, so the user judges them in one place.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from pac_excel.frames import PLAN_CHECK_DTYPES, empty
from pac_excel.history.match import REWORDED, SPLIT, Pins, match
from pac_excel.normalize.catalog import Catalog
from pac_excel.normalize.run import normalize
from pac_excel.problems import Problem, Severity
from pac_excel.read.sheets import collect_inputs, read_file
from pac_excel.result import Consolidation

MISSING = "No está en el seguimiento"
ADDED = "No estaba en el plan"
CHANGED = "Redactada distinto"
DIVIDED = "Dividida en el seguimiento"
DOUBTFUL = "Parecida (revisar)"


def read_plan(
    paths: Sequence[Path], problems: list[Problem], catalog: Catalog | None
) -> pd.DataFrame:
    """The plan's activities (normalize's frame); reading errors join ``problems``."""
    found: list[Problem] = []
    sheets = [s for item in collect_inputs(paths, found) for s in read_file(item, found)]
    plan = normalize(sheets, found, catalog).activities
    for problem in found:
        if problem.severity is Severity.ERROR:
            problems.append(problem)
    return plan


def compare_plan(
    result: Consolidation, paths: Sequence[Path], pins: Pins, catalog: Catalog | None
) -> pd.DataFrame:
    """PLAN_CHECK_DTYPES rows: what differs between the plan in ``paths`` and ``result``."""
    plan = read_plan(paths, result.problems, catalog).reset_index(drop=True)
    acts = result.activities.reset_index(drop=True)
    found = match(plan, acts, pins)
    records: list[dict[str, object]] = []
    linked_plan = {link.old for link in found.links}
    linked_acts = {link.new for link in found.links}
    for link in found.links:
        if link.kind in (REWORDED, SPLIT):
            finding = CHANGED if link.kind == REWORDED else DIVIDED
            records.append(_row(finding, plan.iloc[link.old], acts.iloc[link.new], link.score))
    for doubt in found.doubts:
        records.append(_row(DOUBTFUL, plan.iloc[doubt.old], acts.iloc[doubt.new], doubt.score))
        linked_plan.add(doubt.old)
        linked_acts.add(doubt.new)
    for i in range(len(plan)):
        if i not in linked_plan:
            records.append(_row(MISSING, plan.iloc[i], None, None))
    for j in range(len(acts)):
        if j not in linked_acts:
            records.append(_row(ADDED, None, acts.iloc[j], None))
    if not records:
        return empty(PLAN_CHECK_DTYPES)
    frame = pd.DataFrame.from_records(records, columns=list(PLAN_CHECK_DTYPES))
    typed: pd.DataFrame = frame.astype(PLAN_CHECK_DTYPES)
    return typed


def _row(
    finding: str, planned: pd.Series | None, followed: pd.Series | None, score: float | None
) -> dict[str, object]:
    either = followed if followed is not None else planned
    assert either is not None

    def get(row: pd.Series | None, name: str) -> object:
        if row is None or pd.isna(row[name]):
            return None
        return row[name]

    return {
        "finding": finding,
        "component_label": get(either, "component_label") or get(planned, "component_label"),
        "plan_activity": get(planned, "activity"),
        "plan_file": get(planned, "file"),
        "plan_sheet": get(planned, "sheet"),
        "plan_row": get(planned, "row"),
        "activity": get(followed, "activity"),
        "file": get(followed, "file"),
        "sheet": get(followed, "sheet"),
        "row": get(followed, "row"),
        "similarity": None if score is None else round(score / 100, 4),
    }
