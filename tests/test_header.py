"""Finding the header row by its words."""

from __future__ import annotations

import pytest

from pac_excel.header import find_header, is_repeated_header, match_field


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
    rows = [
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
