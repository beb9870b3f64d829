"""Owner cells split into the areas an OCI writes to: co-owners apart, sub-units kept inside."""

from __future__ import annotations

import pytest
from readback import activities

from pac_excel.check.owners import NO_OWNER, Owner, area_key, owner_areas, split_owner
from pac_excel.frames import AREA_DTYPES

CASES: list[tuple[str | None, list[Owner]]] = [
    ("Planeación / TIC", [Owner("Planeación"), Owner("TIC")]),
    ("Planeación/TIC", [Owner("Planeación"), Owner("TIC")]),
    ("Planeación y/o Sistemas", [Owner("Planeación"), Owner("Sistemas")]),
    ("- Planeación\n- TIC\n", [Owner("Planeación"), Owner("TIC")]),
    ("1. Planeación\n2. Jurídica", [Owner("Planeación"), Owner("Jurídica")]),
    ("Secretaría de Hacienda; Tesorería", [Owner("Secretaría de Hacienda"), Owner("Tesorería")]),
    # " y " never splits: these are one office each.
    ("Secretaría General y Jurídica", [Owner("Secretaría General y Jurídica")]),
    ("Oficina de Prensa y Comunicaciones", [Owner("Oficina de Prensa y Comunicaciones")]),
    # A dash before a unit word: two areas.
    (
        "Despacho del Alcalde - Secretaría de Planeación",
        [Owner("Despacho del Alcalde"), Owner("Secretaría de Planeación")],
    ),
    (
        "Secretaría de Hacienda - Oficina de Sistemas",
        [Owner("Secretaría de Hacienda"), Owner("Oficina de Sistemas")],
    ),
    # A dash before anything else: a sub-unit of the area before it.
    (
        "Secretaría de Servicios Administrativos – Gestión Atención al Usuario.",
        [Owner("Secretaría de Servicios Administrativos", ("Gestión Atención al Usuario",))],
    ),
    (
        "Secretaría de Servicios Administrativos –Gestión Atención al Usuario.",
        [Owner("Secretaría de Servicios Administrativos", ("Gestión Atención al Usuario",))],
    ),
    (
        (
            "Secretaría de Servicios Administrativos – Gestión de Tecnología e Información – "
            "Gestión Atención al Usuario."
        ),
        [
            Owner(
                "Secretaría de Servicios Administrativos",
                ("Gestión de Tecnología e Información", "Gestión Atención al Usuario"),
            )
        ],
    ),
    ("Secretaría General - Archivo", [Owner("Secretaría General", ("Archivo",))]),
    # A hyphen inside a word is no separator.
    ("Oficina Socio-económica", [Owner("Oficina Socio-económica")]),
    # The same area twice in one cell is listed once.
    ("Planeación; PLANEACION", [Owner("Planeación")]),
    ("", [Owner(NO_OWNER)]),
    ("  \n ", [Owner(NO_OWNER)]),
    (None, [Owner(NO_OWNER)]),
]


@pytest.mark.parametrize(("text", "owners"), CASES)
def test_split_owner(text: str | None, owners: list[Owner]) -> None:
    assert list(split_owner(text)) == owners


def test_area_key_ignores_accents_case_and_short_words() -> None:
    assert area_key("Oficina Control Interno de Gestión") == area_key(
        "OFICINA DE CONTROL INTERNO DE GESTION."
    )
    assert area_key("Secretaría de Planeación") != area_key("Secretaría de Hacienda")


def test_owner_areas_one_row_per_activity_and_area() -> None:
    acts = activities(
        {"owner": "Planeación / TIC"},
        {"owner": "PLANEACION"},
        {"owner": "Planeación"},
        {"owner": "Secretaría General - Archivo"},
    )
    areas = owner_areas(acts)
    assert areas.dtypes.astype(str).to_dict() == AREA_DTYPES
    assert areas["activity_id"].tolist() == [0, 0, 1, 2, 3]
    # The most frequent spelling names the area everywhere.
    assert areas["area"].tolist() == [
        "Planeación", "TIC", "Planeación", "Planeación", "Secretaría General",
    ]  # fmt: skip
    assert areas["subunits"].tolist()[-1] == "Archivo"
    assert areas["subunits"].isna().tolist()[:4] == [True] * 4


def test_owner_areas_of_nothing() -> None:
    areas = owner_areas(activities())
    assert areas.empty and list(areas.columns) == list(AREA_DTYPES)
