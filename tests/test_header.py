"""Finding the header row by its words."""

from __future__ import annotations

import datetime as dt

import pytest

from pac_excel.normalize.header import find_header, is_repeated_header, match_field


@pytest.mark.parametrize(
    ("label", "field"),
    [
        ("SUBCOMPONENTE", "subcomponent"),
        ("Subcomponente / Proceso", "subcomponent"),
        ("ACTIVIDADES", "activity"),
        ("Actividades programadas", "activity"),
        ("Actividades cumplidas", "done"),
        ("META O PRODUCTO", "goal"),
        ("Indicadores", "goal"),
        ("REPOSABLES", "owner"),
        ("Responsable", "owner"),
        ("Líder del proceso", "owner"),
        ("FECHA PROGRAMADA", "dates"),
        ("% AVANCE", "progress"),
        ("% de avance", "progress"),
        ("Nivel de cumplimiento %", "progress"),
        ("SEGUIMIENTO", "followup"),
        ("Observaciones", "followup"),
        ("  observaciones\u00a0OCI ", "followup"),
        ("Entidad:", None),
        ("Progreso", None),
        ("", None),
    ],
)
def test_match_field(label: str, field: str | None) -> None:
    assert match_field(label) == field


def test_header_after_title_rows() -> None:
    rows: list[list[object]] = [
        ["", "", ""],
        ["SEGUIMIENTO A LAS ACTIVIDADES DEL PLAN ANTICORRUPCIÓN 2020", "", ""],
        ["FECHA CORTE:", "", "30/04/2020"],
        ["SUBCOMPONENTE", "ACTIVIDADES", "REPOSABLES", "FECHA PROGRAMADA", "% AVANCE"],
        ["Seguimiento", "Revisar", "OCI", "31/12/2020", 0.5],
    ]
    header = find_header(rows)
    assert header is not None
    assert header.row == 3
    assert header.columns == {
        "subcomponent": 0,
        "activity": 1,
        "owner": 2,
        "dates": 3,
        "progress": 4,
    }
    assert is_repeated_header(rows[3], header)
    assert not is_repeated_header(rows[4], header)


def test_no_header() -> None:
    assert find_header([["Instrucciones"], ["Diligencie la hoja PAAC"], []]) is None


def test_goal_as_activity_when_only_metas() -> None:
    header = find_header(
        [["No", "METAS O PRODUCTOS", "RESPONSABLE", "ACTIVIDADES CUMPLIDAS", "% AVANCE"]]
    )
    assert header is not None
    assert header.columns["activity"] == 1


def test_new_aliases_and_look_alikes() -> None:
    assert match_field("Vigencia") is None  # ~ "evidencia", but never a column of the plan
    assert match_field("Fecha inicio") == "start"
    assert match_field("Fecha de finalización") == "end"
    assert match_field("Actividad / Acción") == "activity"
    assert match_field("% de avance a la fecha") == "progress"
    assert match_field("FECHA DE SEGUIMIENTO") == "followup_date"
    assert match_field("Plan") == "plan"
    assert match_field("Política") == "policy"


def test_stacked_header_without_merge_information() -> None:
    rows: list[list[object]] = [
        ["No", "Actividad", "Responsable", "Fecha", "", "Seguimiento OCI", ""],
        ["", "", "", "Inicio", "Fin", "% avance", "Observaciones"],
        ["1", "Revisar", "OCI", "01/01/2020", "30/06/2020", "50%", "En curso"],
    ]
    header = find_header(rows)
    assert header is not None and (header.top, header.row) == (0, 1)
    assert header.columns == {
        "number": 0,
        "activity": 1,
        "owner": 2,
        "start": 3,
        "end": 4,
        "progress": 5,
        "followup": 6,
    }
    assert is_repeated_header(rows[0], header) and is_repeated_header(rows[1], header)
    assert not is_repeated_header(rows[2], header)


def test_metadata_rows_are_not_a_header_band() -> None:
    rows: list[list[object]] = [
        ["FECHA CORTE:", "", "30/04/2020"],
        ["SUBCOMPONENTE", "ACTIVIDADES", "RESPONSABLES", "FECHA PROGRAMADA", "% AVANCE"],
    ]
    header = find_header(rows)
    assert header is not None and (header.top, header.row) == (None, 1)


def test_period_columns_and_cut_blocks() -> None:
    rows: list[list[object]] = [
        [
            "Actividad",
            "Responsable",
            "T1",
            "T2",
            "T3",
            "T4",
            "% avance I cuatrimestre",
            "% avance II cuatrimestre",
            "Observaciones II cuatrimestre",
        ],
    ]
    header = find_header(rows)
    assert header is not None
    assert [(p.column, p.months) for p in header.periods] == [
        (2, (1, 3)),
        (3, (4, 6)),
        (4, (7, 9)),
        (5, (10, 12)),
    ]
    assert [b.columns for b in header.blocks] == [
        {"progress": 6},
        {"progress": 7, "followup": 8},
    ]
    assert header.block == 1 and header.columns["progress"] == 7
    first = header.with_block(0)
    assert first.columns["progress"] == 6 and "followup" not in first.columns


def test_dates_as_month_headers() -> None:
    months = [dt.datetime(2020, m, 1) for m in range(1, 13)]
    header = find_header([["Actividad", "Responsable", "Meta", *months]])
    assert header is not None
    assert [p.months for p in header.periods][:2] == [(1, 1), (2, 2)]


def test_cut_blocks_named_by_dates() -> None:
    header = find_header(
        [["Actividad", "Responsable", "Fecha", "% avance 30/04/2020", "% avance 31/08/2020"]]
    )
    assert header is not None
    assert [b.tag.month for b in header.blocks] == [4, 8]
    assert header.columns["progress"] == 4


def test_cut_blocks_named_as_whole_labels() -> None:
    header = find_header(
        [
            [
                "Actividad",
                "Responsable",
                "Fecha",
                "Seguimiento a 30 de abril de 2020",
                "Seguimiento a 31 de agosto de 2020",
            ]
        ]
    )
    assert header is not None
    assert [(b.columns, b.tag.month) for b in header.blocks] == [
        ({"followup": 3}, 4),
        ({"followup": 4}, 8),
    ]


def test_odd_header_rows_are_still_found() -> None:
    colon = find_header([["No", "Actividad:", "Responsable:", "Fecha:", "Avance:"]])
    assert colon is not None and colon.columns["owner"] == 2
    # a stray number and a note in the header row: the plain one-row rule still applies
    stray = find_header([[2020, "Actividad", "Responsable", "Fecha", "Nota: diligenciar en rojo"]])
    assert stray is not None and stray.columns == {"activity": 1, "owner": 2, "dates": 3}
