"""classify_row: what each kind of source row is, one table row per kind.

Each case is a header, the rows above the one classified, and what the assembly left in the
state (the activity being built, a skipped row above); the verdict is checked, not acted on.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from pac_excel.normalize.catalog import load_catalog
from pac_excel.normalize.cells import bind_columns, repeated_texts
from pac_excel.normalize.header import find_header
from pac_excel.normalize.layout import LEGEND, OTHER_PLAN, TOTAL
from pac_excel.normalize.model import Activity
from pac_excel.normalize.rows import RowKind, RowState, RowVerdict, classify_row

HEADER: list[object] = [
    "Subcomponente",
    "Actividades",
    "Responsable",
    "Fecha programada",
    "% avance",
]
OPEN = Activity(row=2, component=1, subcomponent="", texts={"activity": "Evaluar el mapa"})
LIST = Activity(row=2, component=1, subcomponent="", texts={"activity": "Publicar:"})
CUT = Activity(row=2, component=1, subcomponent="", texts={"activity": "Actualizar el mapa de"})


def row_state(rows: list[list[object]], current: Activity | None = None) -> RowState:
    """The reading state of a sheet made of ``rows`` (the first is the header)."""
    catalog = load_catalog()
    header = find_header(rows)
    assert header is not None
    return RowState(
        rows=rows,
        written=rows,
        merged=(),
        catalog=catalog,
        header=header,
        bind=bind_columns(header, rows, catalog),
        repeated=repeated_texts(rows, header.row + 1, header.columns["activity"], 0),
        current=current,
    )


def verdict(
    rows: list[list[object]], *, current: Activity | None = None, **state: object
) -> RowVerdict:
    """The verdict on the last of ``rows`` (the first is the header)."""
    base = row_state(rows, current)
    return classify_row(len(rows) - 1, replace(base, **state))  # type: ignore[arg-type]


CASES: list[tuple[str, list[object], dict[str, object], RowKind, str | None]] = [
    ("blank", [None, "", None], {}, RowKind.BLANK, None),
    ("header again", HEADER, {}, RowKind.REPEATED_HEADER, "encabezado de tabla repetido"),
    ("total", ["TOTAL COMPONENTE 1", "", "", "", 0.5], {}, RowKind.TOTAL, TOTAL),
    ("legend", ["0 - 59 %", "Rojo", "Zona baja"], {}, RowKind.LEGEND, LEGEND),
    (
        "component heading",
        ["Componente 2: Racionalización de Trámites"],
        {},
        RowKind.COMPONENT_HEADING,
        None,
    ),
    (
        "unknown component",
        ["Componente: Otros asuntos"],
        {},
        RowKind.UNKNOWN_COMPONENT,
        "encabezado de componente no reconocido",
    ),
    (
        "subcomponent heading",
        ["Subcomponente 1 Política de Administración de Riesgos"],
        {},
        RowKind.SUBCOMPONENT_HEADING,
        None,
    ),
    (
        "new activity",
        ["Seguimiento", "Evaluar el mapa", "OCI", "30/04/2020", 1],
        {},
        RowKind.ACTIVITY,
        None,
    ),
    ("continuation", ["", "", "Planeación", "", ""], {"current": OPEN}, RowKind.CONTINUATION, None),
    (
        "data without an activity",
        ["", "", "Planeación", "", ""],
        {},
        RowKind.ORPHAN_DATA,
        "datos sin actividad (no hay actividad arriba)",
    ),
    (
        "data under a total",
        ["", "", "Planeación", "", ""],
        {"current": OPEN, "skipping": TOTAL},
        RowKind.SKIPPED_CONTINUATION,
        TOTAL,
    ),
    ("sub-item", ["", "1. El boletín", "", "", ""], {"current": LIST}, RowKind.SUBITEM, None),
    (
        "fragment",
        ["", "riesgos de corrupción", "", "", ""],
        {"current": CUT},
        RowKind.FRAGMENT,
        None,
    ),
    (
        "signature",
        ["", "Elaboró: Oficina de Control Interno", "", "", ""],
        {"current": OPEN},
        RowKind.ACTIVITY,
        None,
    ),
    (
        "signature outside",
        ["Elaboró: Oficina de Control Interno"],
        {},
        RowKind.OUTSIDE_TABLE,
        "membrete, firma o texto fuera de la tabla",
    ),
    (
        "text alone",
        ["", "", "", "", "", "nota: ver anexo"],
        {},
        RowKind.NO_ACTIVITY,
        "fila sin actividad",
    ),
    ("subcomponent alone", ["Divulgación"], {}, RowKind.SUBCOMPONENT_LINE, None),
    (
        "component alone",
        ["", "", "", "", "", "3. RENDICIÓN DE CUENTAS"],
        {},
        RowKind.COMPONENT_LINE,
        None,
    ),
    (
        "letterhead",
        ["", "Evaluar el mapa", "", "", ""],
        {"repeated": [True, True]},
        RowKind.LETTERHEAD,
        "membrete de página (se repite en la hoja)",
    ),
    (
        "another table",
        ["Actividad", "Meta o producto", "Responsable", "Fecha", "Seguimiento"],
        {},
        RowKind.NEW_TABLE,
        None,
    ),
    (
        "a risk map",
        ["Causa", "Riesgo", "Controles", "Probabilidad", "Impacto"],
        {},
        RowKind.FOREIGN_TABLE,
        "tabla en otro formato",
    ),
    (
        "inside a risk map",
        ["Falta de control", "Pérdida", "Revisión"],
        {"foreign": "tabla en otro formato: mapa"},
        RowKind.FOREIGN_ROW,
        "tabla en otro formato",
    ),
    (
        "a risk map ends",
        ["Componente 2: Racionalización de Trámites"],
        {"foreign": "tabla en otro formato: mapa"},
        RowKind.COMPONENT_HEADING,
        None,
    ),
]


@pytest.mark.parametrize(
    ("row", "state", "kind", "reason"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_classify_row(
    row: list[object], state: dict[str, object], kind: RowKind, reason: str | None
) -> None:
    got = verdict([HEADER, row], **state)  # type: ignore[arg-type]  # the case's state keywords
    assert got.kind is kind
    if reason is None:
        assert got.reason is None
    else:
        assert got.reason is not None and got.reason.startswith(reason)


def test_headings_carry_what_they_name() -> None:
    component = verdict([HEADER, ["Componente 2: Racionalización de Trámites"]])
    assert component.component == 2
    sub = verdict([HEADER, ["Subcomponente 1 Política de Administración de Riesgos"]])
    assert sub.subcomponent == "Política de Administración de Riesgos"
    activity = verdict([HEADER, ["Subcomponente 2 Mapa", "Evaluar", "OCI", "30/04/2020", 1]])
    assert activity.subcomponent == "Mapa"


def test_other_plan_and_the_plan_carried_down() -> None:
    header: list[object] = ["Plan", "Actividad", "Responsable", "Fecha programada", "% avance"]
    paac = ["Plan Anticorrupción y de Atención al Ciudadano", "Publicar", "OCI", "30/04/2020", 1]
    other = ["Plan de Bienestar", "Vacaciones recreativas", "Talento", "30/04/2020", 1]
    got = verdict([header, paac, other])
    assert got.kind is RowKind.OTHER_PLAN
    assert got.reason == f"{OTHER_PLAN}: «Plan de Bienestar»"
    assert got.carried is not None and got.carried.plan == "Plan de Bienestar"
    # A blank Plan cell is "same as above": the next row is of the other plan too.
    below = ["", "Torneo", "Talento", "30/05/2020", 1]
    assert verdict([header, paac, other, below], carried=got.carried).kind is RowKind.OTHER_PLAN


def test_classify_row_changes_nothing() -> None:
    rows: list[list[object]] = [HEADER, ["TOTAL", "", "", "", 0.5]]
    state = replace(row_state(rows), repeated=[False, False], current=OPEN)
    before = replace(state)
    classify_row(1, state)
    assert state == before
