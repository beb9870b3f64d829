"""Resumen on paper: long tables repeat their header on every printed page; nothing due is said.

A run of many entities is built from the samples' own activities, copied under other entity
and area names, so the entity and area tables span several printed pages.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from conftest import SAMPLES
from openpyxl.utils import get_column_letter

from pac_excel import consolidate
from pac_excel.check.figures import no_compliance_label
from pac_excel.check.labels import NO_DATA, NOTHING_DUE
from pac_excel.result import Consolidation
from pac_excel.write.cells import LINE_POINTS
from pac_excel.write.sheets.summary_areas import AREA_HEADERS
from pac_excel.write.sheets.summary_entities import ENTITY_HEADERS
from pac_excel.write.workbook import write_workbook

COPIES = 30  # 60 entities, about 390 area lines


def _many_entities(result: Consolidation) -> Consolidation:
    acts, deliveries, alerts = [], [], []
    n = int(result.activities["activity_id"].max()) + 1
    for k in range(COPIES):
        a = result.activities.copy()
        a["activity_id"] += k * n
        a["entity"] = a["entity"].astype("string") + f" {k:02d}"
        acts.append(a)
        d = result.deliveries.copy()
        d["activity_id"] += k * n
        deliveries.append(d)
        al = result.alerts.copy()
        al["activity_id"] = al["activity_id"] + k * n
        alerts.append(al)
    return dataclasses.replace(
        result,
        activities=pd.concat(acts, ignore_index=True),
        deliveries=pd.concat(deliveries, ignore_index=True),
        alerts=pd.concat(alerts, ignore_index=True),
        entities=[f"{e} {k:02d}" for k in range(COPIES) for e in result.entities],
        problems=list(result.problems),
    )


@pytest.fixture(scope="module")
def resumen(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[list[object]], list[int]]:
    base = consolidate([SAMPLES], output_dir=None, history_store=False)
    path = tmp_path_factory.mktemp("paging") / "libro.xlsx"
    write_workbook(_many_entities(base), path)
    wb = openpyxl.load_workbook(path)
    ws = wb["Resumen"]
    rows: list[list[object]] = [[c.value for c in row] for row in ws.iter_rows()]
    breaks = [b.id for b in ws.row_breaks.brk]  # the row after which each page ends (1-based)
    wb.close()
    return rows, breaks


def _pages(rows: list[list[object]], breaks: list[int]) -> list[list[list[object]]]:
    edges = [0, *breaks, len(rows)]
    return [rows[a:b] for a, b in itertools.pairwise(edges)]


def _starts(pages: list[list[list[object]]], first: str) -> list[int]:
    """Pages (0-based) holding a row whose first cell is ``first``."""
    return [i for i, page in enumerate(pages) if any(r and r[0] == first for r in page)]


def _entity_line(row: list[object]) -> bool:
    """A line of the entity table: a copied entity's name ("… 07") and its activity count."""
    return (
        isinstance(row[0], str)
        and re.search(r" \d\d$", row[0]) is not None
        and (isinstance(row[1], int))
    )


def test_the_entity_table_repeats_its_header_on_each_page_it_spans(
    resumen: tuple[list[list[object]], list[int]],
) -> None:
    rows, breaks = resumen
    pages = _pages(rows, breaks)
    spanned = sorted({i for i, page in enumerate(pages) for r in page if _entity_line(r)})
    assert len(spanned) >= 2, "60 entities should not fit one printed page"
    headed = _starts(pages, ENTITY_HEADERS[0])
    for page in spanned:
        assert page in headed, f"page {page + 1} continues the entity table without its header"
    # The header is a header: the very row after each break that continues the table.
    for page in spanned[1:]:
        assert [v for v in pages[page][0][: len(ENTITY_HEADERS)]] == list(ENTITY_HEADERS)


def test_the_area_table_repeats_its_header_and_keeps_every_area(
    resumen: tuple[list[list[object]], list[int]],
) -> None:
    rows, breaks = resumen
    header_rows = [i for i, r in enumerate(rows) if r[0] == AREA_HEADERS[0]]
    assert len(header_rows) >= 3, "hundreds of areas span several pages"
    # Every repeated header opens a printed page.
    for i in header_rows[1:]:
        assert i in breaks, f"a repeated area header at row {i + 1} does not start a page"
    # Each page after the first continues the table under its header.
    for page in _pages(rows, breaks):
        if any(r[0] == AREA_HEADERS[0] for r in page):
            assert page[0][0] == AREA_HEADERS[0] or page[0][0] == "Avance por área responsable"
    # No area is lost to the repeats: one line per (entity, area) between the headers.
    first, last = header_rows[0] + 1, header_rows[-1]
    while last + 1 < len(rows) and isinstance(rows[last + 1][1], int):
        last += 1
    lines = [r for r in rows[first : last + 1] if r[0] != AREA_HEADERS[0]]
    assert all(isinstance(r[1], int) for r in lines)
    assert len(lines) == len({str(r[0]) for r in lines})


def test_the_area_chart_reads_a_range_without_a_repeated_header(
    resumen: tuple[list[list[object]], list[int]], tmp_path: Path
) -> None:
    rows, _ = resumen
    header = next(i for i, r in enumerate(rows) if r[0] == AREA_HEADERS[0])
    # The chart draws the 12 largest areas: the rows right under the first header.
    assert all(isinstance(rows[header + 1 + k][1], int) for k in range(12))


def test_a_component_with_nothing_due_says_so_in_its_semaforo(tmp_path: Path) -> None:
    consolidate([SAMPLES], output_dir=tmp_path, history_store=False, publish=False)
    wb = openpyxl.load_workbook(next(tmp_path.glob("seguimiento_*.xlsx")), read_only=True)
    rows = list(wb["Resumen"].iter_rows(values_only=True))
    wb.close()
    header = next(r for r in rows if r and r[0] == "Componente")
    light, compliance = header.index("Semáforo"), header.index("Cumplimiento promedio")
    component = next(r for r in rows if r and str(r[0]).startswith("2. Racionalización"))
    assert component[compliance] is None  # the figure the chart reads stays blank
    assert component[light] == NOTHING_DUE


def test_cronograma_shows_a_long_activity_whole(tmp_path: Path) -> None:
    """A long activity's delivery rows are as tall as its text needs (they were capped at four
    lines, which clipped it on screen and on paper)."""
    base = consolidate([SAMPLES], output_dir=None, history_store=False)
    long_text = "Formular y publicar el plan de participación ciudadana " * 16  # ~880 characters
    first = int(base.deliveries["activity_id"].iloc[0])
    acts = base.activities.copy()
    acts.loc[acts["activity_id"] == first, "activity"] = long_text
    path = write_workbook(dataclasses.replace(base, activities=acts), tmp_path / "libro.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["Cronograma"]
    header, col = next(
        (r, c) for r in range(1, 10) for c in range(1, 10) if ws.cell(r, c).value == "Actividad"
    )
    rows = [r for r in range(header + 1, ws.max_row + 1) if ws.cell(r, col).value == long_text]
    width = ws.column_dimensions[get_column_letter(col)].width
    wb.close()
    assert rows
    chars_per_line = width * 1.2  # generous: Calibri 10 fits about one character per unit
    lines_needed = len(long_text) / chars_per_line
    for r in rows:
        assert ws.row_dimensions[r].height >= lines_needed * LINE_POINTS * 0.9
        assert ws.row_dimensions[r].height > 4 * LINE_POINTS + 2  # the old cap


def test_no_cumplimiento_says_why() -> None:
    """Nothing due reads «Sin programación»; progress that could not be read reads «Sin dato»,
    never «Sin programación» (what cannot be read is said)."""
    nothing_due = pd.Series({"activities": 3, "no_aplica": 0, "sin_dato": 1})
    unreadable = pd.Series({"activities": 2, "no_aplica": 0, "sin_dato": 2})
    na_and_unreadable = pd.Series({"activities": 3, "no_aplica": 1, "sin_dato": 2})
    all_na = pd.Series({"activities": 2, "no_aplica": 2, "sin_dato": 0})
    assert no_compliance_label(nothing_due) == NOTHING_DUE
    assert no_compliance_label(unreadable) == NO_DATA
    assert no_compliance_label(na_and_unreadable) == NO_DATA
    assert no_compliance_label(all_na) == NOTHING_DUE
