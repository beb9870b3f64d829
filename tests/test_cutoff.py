"""Choosing the cut-off: --corte wins; otherwise the files must agree."""

from __future__ import annotations

import datetime as dt

import pytest

from pac_excel.errors import PacExcelError
from pac_excel.normalize.cutoff import (
    TODAY_RULE,
    ConflictingCutoffError,
    CutoffError,
    decide_cutoff,
    resolve_cutoff,
)
from pac_excel.normalize.model import SourceInfo
from pac_excel.parse.periods import (
    CutTag,
    cut_from_name,
    cut_from_text,
    parse_period_label,
    sheet_cut_tag,
)
from pac_excel.problems import Problem

A = SourceInfo("a.xlsx", "A", 2020, dt.date(2020, 4, 30), "[a.xlsx]S!C7")
B = SourceInfo("b.xlsx", "B", 2020, dt.date(2020, 8, 31), "[b.xlsx]S!B3")
NONE = SourceInfo("c.xlsx", "C", 2020, None, None)


def test_from_files() -> None:
    problems: list[Problem] = []
    assert resolve_cutoff(None, [A, NONE], problems) == (
        dt.date(2020, 4, 30),
        "leído de [a.xlsx]S!C7",
    )
    assert problems == []


def test_given_wins_and_warns_on_disagreement() -> None:
    problems: list[Problem] = []
    chosen, source = resolve_cutoff(dt.date(2020, 8, 31), [A, B], problems)
    assert (chosen, source) == (dt.date(2020, 8, 31), "indicado con --corte")
    assert [(p.file, p.code) for p in problems] == [("a.xlsx", "corte-distinto")]


def test_missing() -> None:
    with pytest.raises(CutoffError, match="--corte AAAA-MM-DD"):
        resolve_cutoff(None, [NONE], [])


def test_disagreeing_files() -> None:
    with pytest.raises(CutoffError, match="a.xlsx: 30/04/2020; b.xlsx: 31/08/2020"):
        resolve_cutoff(None, [A, B], [])


def test_decide_falls_back_to_today_never_raising_missing() -> None:
    problems: list[Problem] = []
    chosen, source = decide_cutoff(None, [NONE], problems, dt.date(2020, 5, 2))
    assert chosen == dt.date(2020, 4, 30)  # the cut whose report is due in these days
    assert source.startswith(TODAY_RULE)
    assert problems == []


def test_decide_follows_files_and_corte() -> None:
    today = dt.date(2021, 1, 5)
    assert decide_cutoff(None, [A, NONE], [], today) == resolve_cutoff(None, [A, NONE], [])
    assert decide_cutoff(dt.date(2020, 4, 30), [A], [], today)[1] == "indicado con --corte"


def test_decide_still_stops_on_disagreeing_files() -> None:
    with pytest.raises(ConflictingCutoffError) as raised:
        decide_cutoff(None, [A, B], [], dt.date(2020, 9, 1))
    # The CLI catches PacExcelError once and exits 2: the user must choose with --corte.
    assert isinstance(raised.value, PacExcelError)
    assert raised.value.exit_code == 2


@pytest.mark.parametrize(
    ("text", "year", "expected"),
    [
        ("I Cuatrimestre 2021", None, dt.date(2021, 4, 30)),
        ("SEGUNDO CUATRIMESTRE 1 de mayo al 31 de agosto de 2020", None, dt.date(2020, 8, 31)),
        ("CORTE: ENERO, FEBRERO, MARZO Y ABRIL DE 2020", None, dt.date(2020, 4, 30)),
        ("SEGUIMIENTO POR LA OCI A DICIEMBRE 2019", None, dt.date(2019, 12, 31)),
        ("Periodo del 01 de enero al 30 de abril de 2021", None, dt.date(2021, 4, 30)),
        ("Seguimiento O.C.I I Cuatrimestre", 2021, dt.date(2021, 4, 30)),
        ("Tercer seguimiento", 2020, dt.date(2020, 12, 31)),
        ("Seguimiento con corte a 31 de agosto", 2020, dt.date(2020, 8, 31)),
        # no cut in these
        ("SEGUIMIENTO A LAS ACTIVIDADES DEL PLAN ANTICORRUPCIÓN 2020", None, None),
        ("Fecha publicación: 12/05/2020", None, None),
        ("I Cuatrimestre", None, None),  # no year anywhere
        ("Plan anticorrupción 2020 - abril", None, None),
    ],
)
def test_cut_from_text(text: str, year: int | None, expected: dt.date | None) -> None:
    assert cut_from_text(text, year) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("3er Sgmto PAAC sept-dic2019 OCI 10enr20.xlsx", dt.date(2019, 12, 31)),
        ("Seguimiento PAAC abril 2020.xlsx", dt.date(2020, 4, 30)),
        ("II cuatrimestre 2021.xls", dt.date(2021, 8, 31)),
        ("seguimiento_paac_gobernacion_putumayo_2020.xlsx", None),
        ("PAAC 2020.xlsx", None),
    ],
)
def test_cut_from_name(name: str, expected: dt.date | None) -> None:
    assert cut_from_name(name) == expected


@pytest.mark.parametrize(
    ("label", "months"),
    [
        ("ENERO-MARZO", (1, 3)),
        ("JULIO-SEPT.", (7, 9)),
        ("OCT.-DIC.", (10, 12)),
        ("Bim 3", (5, 6)),
        ("T4", (10, 12)),
        ("II Semestre", (7, 12)),
        ("Febrero", (2, 2)),
        ("Responsable", None),
        ("Total", None),
    ],
)
def test_period_labels(label: str, months: tuple[int, int] | None) -> None:
    assert parse_period_label(label) == months


def test_sheet_cut_tags() -> None:
    assert sheet_cut_tag("Seguimiento 2") == CutTag(ordinal=2, span=(0, 13))
    tag = sheet_cut_tag("II Cuatrimestre")
    assert tag is not None and tag.date(2020) == dt.date(2020, 8, 31)
    assert sheet_cut_tag("Componente 1") is None
    assert sheet_cut_tag("Riesgos") is None
    assert sheet_cut_tag("Seguimiento") is None


def test_origin_is_kept() -> None:
    weak = SourceInfo("d.xlsx", "D", 2020, dt.date(2020, 4, 30), "nombre", "archivo")
    assert resolve_cutoff(None, [weak], [])[0] == dt.date(2020, 4, 30)


def test_a_name_does_not_outvote_a_cell() -> None:
    named = SourceInfo("2do seguimiento.xlsx", "E", 2020, dt.date(2020, 8, 31), "nombre", "archivo")
    problems: list[Problem] = []
    assert resolve_cutoff(None, [A, named], problems) == (
        dt.date(2020, 4, 30),
        "leído de [a.xlsx]S!C7",
    )
    assert [(p.file, p.code) for p in problems] == [("2do seguimiento.xlsx", "corte-distinto")]
    weak = SourceInfo("f.xlsx", "F", 2020, dt.date(2020, 4, 30), "nombre", "hoja")
    with pytest.raises(ConflictingCutoffError):
        resolve_cutoff(None, [named, weak], [])
