"""The year as one story: three cuts of one entity consolidated one after the other, read back
from the workbook the December run writes (Evolución, Plan, Historial de cortes)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import readback
from history_cuts import ADDED, CUTS, DROPPED, REWORDED, SPLIT_A, SPLIT_B, build_cuts

from pac_excel import consolidate
from pac_excel.frames import EVOLUTION_DTYPES
from pac_excel.history import STORE_NAME, Store
from pac_excel.history.match import PINS_NAME
from pac_excel.result import Consolidation
from pac_excel.write.sheets.evolution import _rows

TODAY = dt.date(2021, 1, 5)
CUT_HEADERS = ("Seguimiento 1 (30/04/2020)", "Seguimiento 2 (31/08/2020)",
               "Seguimiento 3 (31/12/2020)")  # fmt: skip


def run_year(tmp_path: Path, **extra: Any) -> Consolidation:
    out = tmp_path / "salida"
    result = None
    for path, cut in zip(build_cuts(tmp_path), CUTS, strict=True):
        result = consolidate([path], cutoff=cut, output_dir=out, today=TODAY, **extra)
    assert result is not None
    return result


def written(result: Consolidation) -> Path:
    """The workbook a run wrote (a run into an output folder always writes one)."""
    assert result.output is not None
    return result.output


def evolution_rows(path: Path) -> dict[str, dict[str, Any]]:
    """Evolución as {activity text: {header: value}}."""
    rows = readback.sheet_rows(path, "Evolución")
    header = rows[0][: rows[0].index(None)]  # the component table starts after a gap
    found = {}
    for row in rows[1:]:
        if row[2] is None:
            continue
        found[row[2]] = dict(zip(header, row[: len(header)], strict=True))
    return found


@pytest.fixture(scope="module")
def year(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Consolidation, dict[str, dict[str, Any]]]:
    tmp = tmp_path_factory.mktemp("year")
    result = run_year(tmp)
    assert result.output is not None
    return result, evolution_rows(written(result))


def test_each_cut_column_holds_the_progress_of_that_cut(year: Any) -> None:
    _, rows = year
    row = next(v for k, v in rows.items() if k.startswith("Implementar el pago"))
    assert [row[h] for h in CUT_HEADERS] == [0.25, 0.25, 1]
    assert row["Cambio desde el corte anterior"] == pytest.approx(0.75)
    assert row["Cambios en el texto"] == "Igual"


def test_a_reworded_activity_keeps_its_story(year: Any) -> None:
    _, rows = year
    row = rows[REWORDED]
    assert [row[h] for h in CUT_HEADERS] == [1, 1, 1]
    assert row["Cambios en el texto"] == "Texto cambiado el 31/08/2020"
    assert row["Texto anterior"].startswith("Publicar el Mapa de Riesgos de Corrupción 2020 en la")


def test_a_split_activity_continues_as_two(year: Any) -> None:
    _, rows = year
    for text in (SPLIT_A, SPLIT_B):
        row = rows[text]
        assert row[CUT_HEADERS[0]] == 0.5
        assert row["Cambios en el texto"] == "Dividida el 31/08/2020"
        assert row["Texto anterior"].startswith("Realizar seguimiento al Mapa de Riesgos")
    # A part is compared with the whole it came from: never Sin movimiento on that step.
    assert rows[SPLIT_B][CUT_HEADERS[1]] == 0.5


def test_dropped_and_added_activities(year: Any) -> None:
    _, rows = year
    dropped = rows[DROPPED]
    assert [dropped[h] for h in CUT_HEADERS] == [0, "Retirada", None]
    assert dropped["Cambios en el texto"] == "Retirada el 31/08/2020"
    added = rows[ADDED]
    assert [added[h] for h in CUT_HEADERS] == [None, 0, 0]
    assert added["Cambios en el texto"] == "Nueva el 31/08/2020"


def test_sin_movimiento_when_a_delivery_fell_due_between_cuts(year: Any) -> None:
    result, rows = year
    flagged = {k for k, v in rows.items() if v["Alerta"] == "Sin movimiento"}
    registro = next(k for k in rows if k.startswith("Actualizar el Registro de Activos"))
    # 50 % at 31/08 and at 31/12 while 30/09/2020 fell due; the carta: 0 % across 30/11.
    assert flagged == {registro, ADDED}
    assert rows[registro]["Detalle"] == (
        "El avance sigue en 50 % desde el corte del 31/08/2020 aunque vencía una entrega el "
        "30/09/2020."
    )
    # Unchanged but with nothing due in between (Permanente): no alert.
    informar = next(k for k in rows if k.startswith("Informar a la ciudadanía"))
    assert rows[informar]["Alerta"] is None
    frame = result.evolution
    assert frame is not None
    earlier = frame[frame["cut_date"].eq("2020-08-31") & frame["alert"].eq("Sin movimiento")]
    assert earlier["activity"].str.startswith("Implementar el pago").tolist() == [True]


def test_line_chart_of_compliance_per_component(year: Any) -> None:
    result, _ = year
    lines = [c for c in readback.charts(result.output) if c["kinds"] == ["lineChart"]]
    trend = [c for c in lines if c["title"] == "Cumplimiento por componente en cada corte"]
    assert len(trend) == 1
    assert len(trend[0]["refs"]) == 5 * 3  # five components: name, categories, values each
    assert all("Evolución" in ref for ref in trend[0]["refs"])


def test_the_trend_chart_caches_the_table_and_sits_under_it(year: Any) -> None:
    # Evolución is streamed: its rows are gone from memory when the chart is placed and its
    # cache made at close, so both come from what the sheet kept (stream.insert_chart).
    result, _ = year
    path = written(result)
    ws = readback.load(path)["Evolución"]
    title_at = next(c for c in ws[1] if c.value == "Cumplimiento promedio por componente")
    first_col = title_at.column  # 1-based
    table = []
    for row in ws.iter_rows(min_row=2, min_col=first_col, max_col=first_col + len(CUTS)):
        if row[0].value is None:
            break
        table.append([c.value for c in row])
    caches = readback.chart_caches(path, "Cumplimiento por componente en cada corte")
    assert [c["name"] for c in caches] == [[label] for label, *_ in table]
    assert all(c["categories"] == list(CUT_HEADERS) for c in caches)
    assert [[None if v is None else float(v) for v in c["values"]] for c in caches] == [
        values for _, *values in table
    ]
    [(col, top, _, bottom)] = readback.chart_anchors(path, "Evolución")
    assert (col, top) == (first_col - 1, len(table) + 2)

    def pixels(row: int) -> int:  # 0-based row, as xlsxwriter sizes it
        height = ws.row_dimensions[row + 1].height
        return 20 if height is None else int(height * 4 / 3 + 0.5)

    covered, last = 0, top
    while covered + pixels(last) <= 340:  # the chart is 340 px high
        covered += pixels(last)
        last += 1
    assert bottom == last
    assert any(pixels(r) != 20 for r in range(top, bottom + 1)), "rows of the default height"


def test_the_library_returns_the_history_as_a_frame(year: Any) -> None:
    result, _ = year
    frame = result.evolution
    assert sorted(frame["cut_date"].dt.date.unique()) == list(CUTS)
    assert set(frame["program"]) == {"PAAC"}


def test_the_store_lists_three_cuts(year: Any) -> None:
    result, _ = year
    cuts = Store(result.history_store).cuts()
    assert [c.cut_date for c in cuts] == list(CUTS)
    assert [c.activities for c in cuts] == [14, 15, 15]
    assert cuts[1].files == ("seguimiento_sibundoy_corte2.xlsx",)


def test_one_cut_alone_adds_no_sheet(tmp_path: Path) -> None:
    first = build_cuts(tmp_path)[0]
    result = consolidate([first], cutoff=CUTS[0], output_dir=tmp_path / "out", today=TODAY)
    assert "Evolución" not in readback.load(written(result)).sheetnames
    assert (tmp_path / "out" / STORE_NAME).is_file()


def test_plan_against_follow_up(tmp_path: Path) -> None:
    plan = tmp_path / "plan"
    paths = build_cuts(tmp_path)
    plan.mkdir()
    shutil.copy(paths[0], plan / "plan_2020.xlsx")
    result = consolidate([paths[2]], cutoff=CUTS[2], output_dir=None, plan=[plan],
                         history_store=False, today=TODAY)  # fmt: skip
    out = tmp_path / "libro.xlsx"
    from pac_excel import write_workbook

    write_workbook(result, out)
    rows = readback.sheet_rows(out, "Plan")
    assert rows[0][:3] == ["Hallazgo", "Componente", "Actividad en el plan"]
    found = {(r[0], r[2], r[5]): (r[3], r[4], r[6], r[7]) for r in rows[1:]}
    assert found[("No está en el seguimiento", DROPPED, None)] == (
        "plan_2020.xlsx", 19, None, None)  # fmt: skip
    added = found[("No estaba en el plan", None, ADDED)]
    assert added == (None, None, "seguimiento_sibundoy_corte3.xlsx", 31)
    reworded = [k for k in found if k[0] == "Redactada distinto"]
    assert [k[2] for k in reworded] == [REWORDED]
    split = sorted(k[2] for k in found if k[0] == "Dividida en el seguimiento")
    assert split == sorted([SPLIT_A, SPLIT_B])


def test_a_pinned_match_links_what_similarity_would_not(tmp_path: Path) -> None:
    out = tmp_path / "salida"
    out.mkdir()
    (out / PINS_NAME).write_text(
        f"actividad anterior;actividad actual\n{DROPPED};{ADDED}\n", encoding="utf-8"
    )
    result = run_year(tmp_path)
    rows = evolution_rows(written(result))
    assert DROPPED not in rows
    assert rows[ADDED]["Cambios en el texto"] == "Fijada el 31/08/2020"
    assert rows[ADDED][CUT_HEADERS[0]] == 0


def test_the_form_shows_the_earlier_follow_ups_side_by_side(year: Any) -> None:
    result, _ = year
    rows = readback.sheet_rows(written(result), "Seguimiento OCI")
    # Right of the form's own columns (… Observaciones, Estado al corte).
    heads = [r for r in rows if r[6] == "% de avance en los seguimientos anteriores"]
    assert heads, "no block carries the earlier cuts"
    cut_heads = rows[rows.index(heads[0]) + 1]
    assert cut_heads[3:5] == ["% de avance", "Observaciones"]
    assert tuple(cut_heads[6:8]) == CUT_HEADERS[:2]
    by_activity = {r[1]: r for r in rows if isinstance(r[1], str)}
    pago = next(v for k, v in by_activity.items() if k.startswith("Implementar el pago"))
    assert pago[3] == 1 and pago[6:8] == [0.25, 0.25]
    assert by_activity[ADDED][6:8] == ["No estaba", 0]
    assert by_activity[REWORDED][6:8] == [1, 1]


def test_a_weak_resemblance_between_cuts_is_reported_not_linked(tmp_path: Path) -> None:
    import openpyxl

    first, second, _ = build_cuts(tmp_path)
    wb = openpyxl.load_workbook(second)
    ws = wb.active
    assert ws is not None
    original = ws["B29"].value
    ws["B29"] = "Habilitar el chat institucional de PQRSD en la sede electrónica"
    wb.save(second)
    out = tmp_path / "salida"
    consolidate([first], cutoff=CUTS[0], output_dir=out, today=TODAY)
    result = consolidate([second], cutoff=CUTS[1], output_dir=out, today=TODAY)
    problems = [r for r in readback.sheet_rows(written(result), "Problemas")[1:]
                if r[5] == "coincidencia-dudosa"]  # fmt: skip
    assert len(problems) == 1
    file, _, row, _, severity, _, message = problems[0][:7]
    assert (file, row, severity) == (second.name, 29, "Advertencia")
    assert original[:30] in message and PINS_NAME in message
    rows = evolution_rows(written(result))
    assert rows[original]["Cambios en el texto"] == "Retirada el 31/08/2020"


def test_the_list_groups_each_track_in_cut_order_whatever_the_frame_order() -> None:
    # Evolución's rows are read per track from plain columns (no dict per stored row: 150 MiB
    # at a second cut of 3,000 files); the frame may come in any order.
    apr, aug = dt.date(2020, 4, 30), dt.date(2020, 8, 31)
    rows = [  # track, cut, activity, progress, not applicable, change, event, row
        (1, aug, "B revisada", 0.5, False, 0.25, "Texto cambiado", 6),
        (0, apr, "A", 0.0, False, None, "Primer corte", 4),
        (2, aug, "C", None, True, None, "Nueva", 9),
        (1, apr, "B", 0.25, False, None, "Primer corte", 5),
        (0, aug, "A", None, None, None, "Retirada", 4),
    ]
    frame = pd.DataFrame(
        [
            {"track": t, "entity": "Alcaldía", "program": "PAAC", "cut_date": pd.Timestamp(c),
             "component": 1, "component_label": "1. Riesgos", "activity": a, "file": "a.xlsx",
             "sheet": "PAAC", "row": r, "progress": p, "not_applicable": na, "compliance": p,
             "change": ch, "event": e, "alert": None, "detail": None}
            for t, c, a, p, na, ch, e, r in rows
        ]
    ).astype(EVOLUTION_DTYPES)  # fmt: skip
    listed = list(zip(*_rows(frame, [apr, aug]), strict=True))
    common = ("Alcaldía", "1. Riesgos")
    assert listed == [
        (*common, "A", 0.0, "Retirada", None, None, None, "Retirada el 31/08/2020", None,
         "a.xlsx", 4),
        (*common, "B revisada", 0.25, 0.5, 0.25, None, None, "Texto cambiado el 31/08/2020",
         "B", "a.xlsx", 6),
        (*common, "C", None, "N/A", None, None, None, "Nueva el 31/08/2020", None, "a.xlsx", 9),
    ]  # fmt: skip
