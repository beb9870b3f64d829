"""Matching activities across cuts: key first, then similarity; doubts are never guessed."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pac_excel.history.match import (
    PINNED,
    REWORDED,
    SAME,
    SPLIT,
    load_pins,
    match,
)


def frame(*rows: tuple[int, str]) -> pd.DataFrame:
    typed: pd.DataFrame = pd.DataFrame(
        {"component": [c for c, _ in rows], "activity": [t for _, t in rows]}
    ).astype({"component": "Int64", "activity": "string"})
    return typed


def links(old: pd.DataFrame, new: pd.DataFrame, **kw: object) -> list[tuple[int, int, str]]:
    return [(x.old, x.new, x.kind) for x in match(old, new, **kw).links]  # type: ignore[arg-type]


def test_accents_case_and_punctuation_do_not_count() -> None:
    old = frame((1, "Publicar el Mapa de Riesgos."))
    new = frame((1, "PUBLICAR EL MAPA DE RIESGOS"))
    assert links(old, new) == [(0, 0, SAME)]


def test_the_same_text_in_another_component_is_not_the_same_activity() -> None:
    old = frame((1, "Publicar el informe de gestión"))
    new = frame((3, "Publicar el informe de gestión"))
    found = match(old, new)
    assert found.links == [] and found.doubts == []


def test_a_word_changed_or_a_number_added_is_reworded() -> None:
    old = frame((2, "Implementar el pago en línea del impuesto predial"))
    new = frame((2, "Implementar el pago en línea del impuesto predial unificado 2020"))
    assert links(old, new) == [(0, 0, REWORDED)]


def test_a_sentence_split_in_two() -> None:
    old = frame((5, "Actualizar el registro de activos de información y el índice de información"))
    new = frame(
        (5, "Actualizar el registro de activos de información"),
        (5, "Actualizar el índice de información clasificada"),
    )
    found = links(old, new)
    assert sorted(found) == [(0, 0, SPLIT), (0, 1, SPLIT)]


def test_a_weak_resemblance_is_a_doubt_not_a_link() -> None:
    old = frame((4, "Elaborar el informe trimestral de PQRSD"))
    new = frame((4, "Elaborar la encuesta de satisfacción de PQRSD del año"))
    found = match(old, new)
    assert found.links == []
    assert [(d.old, d.new, d.tie) for d in found.doubts] == [(0, 0, None)]
    assert 60 <= found.doubts[0].score < 85


def test_one_later_text_as_like_two_earlier_ones_is_a_doubt() -> None:
    old = frame(
        (3, "Publicar el informe de gestión en la web"),
        (3, "Publicar el informe de gestión en la sede"),
    )
    new = frame((3, "Publicar el informe de gestión"))
    found = match(old, new)
    assert found.links == []
    assert [(d.new, d.rival) for d in found.doubts] == [(0, 1)]


def test_two_later_texts_both_most_like_one_earlier_text_are_a_split() -> None:
    old = frame((3, "Publicar el informe de gestión"))
    new = frame(
        (3, "Publicar el informe de gestión 2020 en la web"),
        (3, "Publicar el informe de gestión 2020 en la sede"),
    )
    assert sorted(links(old, new)) == [(0, 0, SPLIT), (0, 1, SPLIT)]


def test_pins_link_and_unlink(tmp_path: Path) -> None:
    pins = tmp_path / "coincidencias.csv"
    pins.write_text(
        "actividad anterior;actividad actual\n"
        "Reducir el tiempo del trámite;Racionalizar el certificado de uso del suelo\n"
        "Publicar el Mapa;\n",
        encoding="utf-8",
    )
    loaded = load_pins(pins)
    old = frame((2, "Reducir el tiempo del trámite"), (1, "Publicar el mapa"))
    new = frame((2, "Racionalizar el certificado de uso del suelo"), (1, "Publicar el mapa"))
    assert links(old, new, pins=loaded) == [(0, 0, PINNED)]
