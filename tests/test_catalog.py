"""Tests for catalog: component inference from subcomponent texts and component headings."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from pac_excel.normalize.catalog import (
    Catalog,
    component_from_sheet_name,
    component_label,
    fold,
    infer_component,
    load_catalog,
    parse_component_heading,
    policy_component,
)

OFFICIAL_NAMES = {
    1: "Gestión del Riesgo de Corrupción – Mapa de Riesgos de Corrupción",
    2: "Racionalización de Trámites",
    3: "Rendición de Cuentas",
    4: "Mecanismos para Mejorar la Atención al Ciudadano",
    5: "Mecanismos para la Transparencia y Acceso a la Información",
    6: "Iniciativas Adicionales",
}


def _raw_json() -> dict[str, object]:
    text = (resources.files("pac_excel.normalize") / "catalogs" / "components.json").read_text(
        "utf-8"
    )
    data: dict[str, object] = json.loads(text)
    return data


def test_json_has_six_components_with_official_names() -> None:
    data = _raw_json()
    components = data["components"]
    assert isinstance(components, list)
    assert {c["number"]: c["name"] for c in components} == OFFICIAL_NAMES
    assert "\u2013" in OFFICIAL_NAMES[1]  # en dash, as the DAFP guide prints it


def test_default_catalog_is_cached_and_matches_json() -> None:
    assert load_catalog() is load_catalog()
    assert load_catalog() == Catalog.from_dict(_raw_json())
    assert load_catalog().numbers == (1, 2, 3, 4, 5, 6)


@pytest.mark.parametrize(("number", "name"), sorted(OFFICIAL_NAMES.items()))
def test_component_label(number: int, name: str) -> None:
    assert component_label(number) == f"{number}. {name}"


def test_component_label_unknown_number() -> None:
    with pytest.raises(ValueError, match="7"):
        component_label(7)


def test_fold() -> None:
    assert fold("  Gestión del RIESGO,  de Corrupción. ") == "gestion riesgo corrupcion"
    assert fold("Diálogo de doble vía con la ciudadanía y sus organizaciones") == (
        "dialogo doble via ciudadania organizaciones"
    )


SUBCOMPONENT_CASES = [
    # component 1
    ("Consolidación Mapa de Riesgos de Corrupción Vigencia 2021", 1),
    ("Construcción Mapa de Riesgos de Corrupción Vigencia 2021", 1),
    ("Seguimiento", 1),
    ("Política de Administración de Riesgos", 1),
    ("Subcomponente 1 Política de Administración del Riesgos.", 1),
    ("Subcomponente/proceso 2 Construcción del Mapa de Riesgos de Corrupción", 1),
    ("Consulta y divulgación", 1),
    ("Monitoreo y revisión", 1),
    ("Gestión del Riesgo de Corrupción – Mapa de Riesgos de Corrupción", 1),
    ("Identificación de riesgos de corrupción y acciones para su manejo", 1),
    ("Identificación de riesgos anticorrupción y acciones para su manejo", 1),
    ("Gestión de Riesgo de Corrupción y las medidas para mitigarlo", 1),
    ("Gestión de riesgos para la integridad pública", 1),
    ("Gestion del riesgo de corrupcion", 1),
    # component 2
    ("Priorización y Racionalización", 2),
    ("Estrategia antitrámites", 2),
    ("Estrategia Anti Trámites", 2),
    ("Racionalización del trámite", 2),
    ("Racionalizacion de Tramites", 2),
    ("Identificación de trámites", 2),
    ("Interoperabilidad", 2),
    ("Estrategia de racionalización", 2),
    ("Seguimiento a trámites", 2),
    # component 3
    ("Información de calidad y lenguaje comprensible", 3),
    ("Diálogo de doble vía con la ciudadanía y sus organizaciones", 3),
    ("Dialogo de doble via con la ciudadania", 3),
    ("Incentivos para motivar la cultura de la rendición y petición de cuentas", 3),
    ("Evaluación y retroalimentación a la gestión institucional", 3),
    ("Evaluación y retroalimentación", 3),
    ("Estrategia de rendición de cuentas", 3),
    ("Rendicion de cuentas", 3),
    ("Rendisión de cuentas", 3),
    # component 4
    ("Estructura administrativa y direccionamiento estratégico.", 4),
    ("Fortalecimiento de los canales de atención.", 4),
    ("Relacionamiento con el ciudadano.", 4),
    ("Talento humano", 4),
    ("Normativo y procedimental", 4),
    ("Servicio y Atención al ciudadano", 4),
    ("Mecanismos para mejorar la atención al ciudadano", 4),
    ("Seguimiento a la atención al ciudadano", 4),
    ("Gestión de PQRSD", 4),
    # component 5
    ("Lineamientos de Transparencia Activa", 5),
    ("Lineamientos de Transparencia Pasiva", 5),
    ("Instrumentos de Gestión de la Información", 5),
    ("Criterio diferencial de accesibilidad", 5),
    ("Monitoreo del acceso a la información pública", 5),
    ("Mecanismos para la Transparencia y Acceso a la Información", 5),
    ("Mecanismos de Transparencia y el Acceso a la Información Pública", 5),
    ("MECANISMOS PARA LA TRASPARENCIA Y ACCESO A LA INFORMACION", 5),
    ("Estado Abierto", 5),
    # component 6
    ("Iniciativas adicionales", 6),
    ("Participación Ciudadana", 6),
    ("Código de integridad", 6),
    ("Redes y articulación", 6),
    # numbers
    ("1", 1),
    ("6", 6),
    ("3.", 3),
    ("Componente 3", 3),
    ("COMPONENTE 2: Rendición de cuentas", 3),  # the name wins over a disagreeing number
    ("Componente IV", 4),
    ("5. Otros", 5),
    # nothing
    ("", None),
    ("   ", None),
    (None, None),
    ("Varios", None),
    ("Otros", None),
    ("7", None),
    ("Subcomponente 3", None),  # numbers a subcomponent, not a component
    ("1.1", None),
    ("Atención", None),  # half of a two-word name is not enough
]


@pytest.mark.parametrize(("text", "expected"), SUBCOMPONENT_CASES)
def test_infer_component(text: str | None, expected: int | None) -> None:
    assert infer_component(text) == expected


HEADING_CASES = [
    ("COMPONENTE 1: GESTIÓN DEL RIESGO DE CORRUPCIÓN", 1),
    ("COMPONENTE 1: GESTIÓN DEL RIESGO DE CORRUPCIÓN SEGUIMIENTO POR LA OCI A DICIEMBRE 2019", 1),
    ("Componente 3 Rendición de cuentas", 3),
    ("Componente: 2. Racionalización de Trámites", 2),
    ("COMPONENTE No. 4 - Mecanismos para mejorar la atención al ciudadano", 4),
    ("Componente Nº 5 Transparencia", 5),
    ("Componente N° 6", 6),
    ("Componente: Rendición de cuentas", 3),
    ("Componente V", 5),
    ("4. Mecanismos para mejorar la atención al ciudadano", 4),
    ("6. Participación Ciudadana", 6),
    ("4. Servicio y Atención al ciudadano", 4),
    ("Mecanismos para la Transparencia y Acceso a la Información", 5),
    ("RENDICIÓN DE CUENTAS", 3),
    ("Estrategia Antitrámites", 2),
    # not headings
    ("Subcomponente 1 Política de Administración de Riesgos", None),
    ("1.1 Actualizar la política de administración de riesgos", None),
    ("1. Actualizar el mapa de riesgos de corrupción", None),
    ("2. Construcción del Mapa de Riesgos", None),  # a subcomponent, not a component
    ("Talento humano", None),
    ("Componentes del plan", None),
    ("Componente", None),
    ("PLAN ANTICORRUPCIÓN Y DE ATENCIÓN AL CIUDADANO", None),
    ("Varios", None),
    ("", None),
    (None, None),
]


@pytest.mark.parametrize(("text", "expected"), HEADING_CASES)
def test_parse_component_heading(text: str | None, expected: int | None) -> None:
    assert parse_component_heading(text) == expected


def test_extra_names() -> None:
    catalog = load_catalog({"Gobierno Digital": 5, "Participación Ciudadana": 3})
    assert infer_component("Gobierno digital", catalog) == 5
    assert infer_component("Gobierno Digitall 2024", catalog) == 5
    # the user's name beats the shipped alias ("Participación Ciudadana" -> 6)
    assert infer_component("Participación ciudadana", catalog) == 3
    assert parse_component_heading("GOBIERNO DIGITAL", catalog) == 5
    # the shipped names still work, and the default catalog is untouched
    assert infer_component("Talento humano", catalog) == 4
    assert infer_component("Gobierno digital") is None
    assert infer_component("Participación ciudadana") == 6
    # equal extras give equal (hashable) catalogs, so caches are shared
    assert catalog == load_catalog({"Participación Ciudadana": 3, "Gobierno Digital": 5})
    assert hash(catalog) == hash(
        load_catalog({"Gobierno Digital": 5, "Participación Ciudadana": 3})
    )


def test_extra_names_must_point_to_a_component() -> None:
    with pytest.raises(ValueError, match="Gobierno Digital"):
        load_catalog({"Gobierno Digital": 9})


def test_from_dict_custom_catalog() -> None:
    catalog = Catalog.from_dict(
        {
            "components": [
                {"number": 1, "name": "Gestión de riesgos para la integridad pública"},
                {"number": 2, "name": "Redes y articulación", "keywords": ["redes"]},
            ],
            "extra": {"Estado abierto": 2},
        }
    )
    assert infer_component("Redes", catalog) == 2
    assert infer_component("Estado Abierto", catalog) == 2
    assert infer_component("Integridad pública y gestión de riesgos", catalog) == 1
    assert component_label(2, catalog) == "2. Redes y articulación"
    with pytest.raises(ValueError):
        Catalog.from_dict({"components": [{"number": 1, "name": "A"}, {"number": 1, "name": "B"}]})


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Componente 1", 1),
        ("Riesgos", 1),
        ("Trámites", 2),
        ("RdC", 3),
        ("Rendición de cuentas 2020", 3),
        ("Atención al ciudadano", 4),
        ("Transparencia", 5),
        ("Iniciativas adicionales", 6),
        ("Comp 2", 2),
        ("C3", 3),
        ("Seguimiento", None),
        ("PAAC 2020", None),
        ("Hoja1", None),
        ("Resumen", None),
    ],
)
def test_component_from_sheet_name(name: str, expected: int | None) -> None:
    assert component_from_sheet_name(name) == expected


def test_sheet_names_can_come_from_the_user() -> None:
    catalog = load_catalog({"GD": 5})
    assert component_from_sheet_name("GD", catalog) == 5


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        ("Transparencia, acceso a la información pública y lucha contra la corrupción", 5),
        ("Servicio al ciudadano", 4),
        ("Racionalización de trámites", 2),
        ("Participación ciudadana en la gestión pública", 3),
        ("Integridad", 6),
        ("Rendición de cuentas", 3),  # a component name in a policy column
        ("Gestión documental", None),
        ("Talento humano", None),  # a subcomponent name, but as a policy not the PAAC's
        ("Planeación institucional", None),
        (None, None),
    ],
)
def test_policy_component(policy: str | None, expected: int | None) -> None:
    assert policy_component(policy) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # PTEP (Ley 2195 de 2022, Decreto 1122 de 2024) sections
        ("Gestión de los riesgos para la integridad pública", 1),
        ("Debida diligencia y prevención del lavado de activos", 1),
        ("Redes y articulación", 6),
        ("Desarrollo del modelo de Estado Abierto", 5),
        ("Iniciativas adicionales", 6),
        ("Cultura de la legalidad", 6),
        ("Canales de denuncia", 6),
        # v1 and variants
        ("Estrategia anti trámites", 2),
        ("Simplificación y racionalización de trámites", 2),
        ("Mecanismos para mejorar la atención y servicio al ciudadano", 4),
        ("Transparencia y acceso a la información pública", 5),
    ],
)
def test_ptep_and_variant_headings(text: str, expected: int) -> None:
    assert parse_component_heading(text) == expected
    assert infer_component(text) == expected
