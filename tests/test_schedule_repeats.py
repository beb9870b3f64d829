"""Cronograma: an activity's later deliveries repeat its texts in grey on one line, to filter
by, and not its progress; its first delivery's row shows it whole. Read back with openpyxl."""

from __future__ import annotations

import pytest
from openpyxl.worksheet.worksheet import Worksheet
from readback import consolidation, load
from test_write import CREATED, PROBLEMS, sample_acts

from pac_excel.write.styles import GREY_TEXT
from pac_excel.write.workbook import write_workbook

FIRST = 4  # the first data row (1-based), under the title, the legend and the header


@pytest.fixture(scope="module")
def schedule(tmp_path_factory: pytest.TempPathFactory) -> Worksheet:
    out = tmp_path_factory.mktemp("repeats") / "informe.xlsx"
    ws: Worksheet = load(write_workbook(consolidation(sample_acts(), PROBLEMS), out,
                                        created=CREATED))["Cronograma"]  # fmt: skip
    return ws


def _row(ws: Worksheet, row: int) -> dict[str, object]:
    headers = [c.value for c in ws[FIRST - 1]]
    return {str(h): ws.cell(row, col).value for col, h in enumerate(headers, 1) if h}


def _grey(ws: Worksheet, row: int, col: int) -> bool:
    color = ws.cell(row, col).font.color
    return color is not None and str(color.rgb).upper().endswith(GREY_TEXT.lstrip("#").upper())


def test_a_later_delivery_repeats_the_activity_to_filter_by(schedule: Worksheet) -> None:
    first, later = _row(schedule, FIRST), _row(schedule, FIRST + 1)
    assert (first["Entrega"], later["Entrega"]) == ("1 de 2", "2 de 2")
    for header in ("Componente", "Actividad", "Responsable"):
        assert later[header] == first[header] and later[header]
    assert first["Avance reportado"] == 1 and later["Avance reportado"] is None
    assert later["Fecha programada"] and later["Estado de la entrega"] == "Cumplida"


def test_the_repeated_texts_are_grey_on_one_line(schedule: Worksheet) -> None:
    for col in (1, 2, 3):  # Componente, Actividad, Responsable
        first, later = schedule.cell(FIRST, col), schedule.cell(FIRST + 1, col)
        assert first.alignment.wrap_text and not _grey(schedule, FIRST, col)
        assert not later.alignment.wrap_text and _grey(schedule, FIRST + 1, col)
    height = schedule.row_dimensions[FIRST + 1].height
    assert height is None or height <= 15


def test_the_filter_and_the_legend_cover_the_change(schedule: Worksheet) -> None:
    assert schedule.auto_filter.ref is not None
    assert schedule.auto_filter.ref.startswith(f"A{FIRST - 1}:")
    assert int(schedule.auto_filter.ref.split(":")[1].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")) == (
        schedule.max_row
    )
    legend = str(schedule["A2"].value)
    assert "en la fila de su primera entrega" in legend
    assert "la repiten en gris en una sola línea, para filtrar" in legend
