"""A run's per-entity reports are computed once per run and never keep the run alive.

Seguimiento OCI (or Resumen) and the publication files need the same reports; they are kept
for the last run while its result lives, so a notebook or a script that consolidates several
folders one after another does not hold the previous consolidation in memory.
"""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

import pytest

from pac_excel import consolidate
from pac_excel.publish import content

ROOT = Path(__file__).resolve().parent.parent


def test_a_finished_run_is_not_kept_alive_by_its_reports(tmp_path: Path) -> None:
    result = consolidate([ROOT / "samples"], output_dir=tmp_path, history_store=False)
    assert (tmp_path / "seguimiento_paac_2020-04-30.xlsx").exists()  # reports were made
    assert content._LAST  # and kept while the result lives
    gone = weakref.ref(result)
    del result
    gc.collect()
    assert gone() is None
    assert not content._LAST


def test_the_reports_of_one_run_are_computed_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = consolidate([ROOT / "samples"], output_dir=None, history_store=False)
    made: list[int] = []
    entity = content._entity

    def counted(*args: object, **kwargs: object) -> content.EntityReport:
        made.append(1)
        return entity(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(content, "_entity", counted)
    first = content.entity_reports(result)
    again = content.entity_reports(result)
    assert [r.entity for r in first] == [r.entity for r in again]
    assert len(made) == len(first)  # the second call reused the first's reports
