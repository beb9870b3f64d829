"""advice: the recommendations of a report, one per kind of alert and responsible area.

Worded as an auditor addresses an area (``a la Secretaría de Planeación``); the consolidated
report words them for the entities that carry each alert instead (``consolidated_advice``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pac_excel.publish.content import EntityReport

__all__ = ["Tally", "addressee", "consolidated_advice", "number", "recommendations"]

# (alert code, owner or None, activities): one entity's alerts counted once per run.
Tally = list[tuple[str, str | None, int]]

# One recommendation per kind of alert and responsible area, as an auditor words them.
_ADVICE: dict[str, tuple[str, str]] = {
    "vencida": (
        "culminar {what} vencida{s} al corte",
        "y aportar a la Oficina de Control Interno las evidencias de su ejecución",
    ),
    "sin-avance": (
        "iniciar la ejecución de {what} sin avance reportado",
        "o justificar por escrito las razones del retraso",
    ),
    "sin-seguimiento": (
        "registrar el seguimiento de {what}",
        "con la descripción de lo ejecutado y la ubicación de los soportes",
    ),
    "na-con-fecha-pasada": (
        "justificar la no aplicación de {what} con entregas programadas",
        "o solicitar el ajuste del plan ante la instancia competente",
    ),
    "proxima-a-vencer": (
        "priorizar {what} con entregas antes del siguiente corte",
        "para evitar su vencimiento",
    ),
}


_FEMININE = {"secretaría", "secretaria", "oficina", "dirección", "direccion", "subdirección",
             "gerencia", "alta", "coordinación", "unidad", "jefatura", "tesorería", "división",
             "sección", "personería", "alcaldía", "gobernación", "inspección", "comisaría",
             "subgerencia", "vicerrectoría", "rectoría", "administración"}  # fmt: skip
_MASCULINE = {"despacho", "grupo", "comité", "almacén", "departamento", "equipo", "área",
              "proceso", "consejo", "sistema"}  # fmt: skip


def addressee(owner: str) -> str:
    """``a la Secretaría de Planeación``, ``al Grupo de Talento Humano``: as a memo says it."""
    first = owner.split(" ", 1)[0].lower()
    if first in _FEMININE:
        return f"a la {owner}"
    if first in _MASCULINE:
        return f"al {owner}"
    return f"a {owner}"


def recommendations(r: EntityReport, tally: Tally) -> list[str]:
    """One recommendation per alert code and area, then one for the plan as a whole."""
    out: list[str] = []
    for code, (first, second) in _ADVICE.items():
        mine = sorted((owner or "el área responsable", n) for c, owner, n in tally if c == code)
        for owner, n in mine:
            what = "la actividad" if n == 1 else f"las {n} actividades"
            verb = first.format(what=what, s="" if n == 1 else "s")
            out.append(f"Se recomienda {addressee(owner)} {verb} {second}.")
    if r.compliance is not None and r.light != "Verde":
        out.append(
            "Se recomienda a la alta dirección hacer seguimiento en el Comité Institucional de "
            "Coordinación de Control Interno a los componentes con semáforo rojo y amarillo, y "
            "definir acciones con responsables y fechas antes del siguiente corte."
        )
    if not out:
        out.append(
            "Se recomienda mantener la ejecución y el registro oportuno de evidencias de las "
            "actividades programadas para el siguiente corte."
        )
    return out


def number(n: int) -> str:
    """``1.000``: a count as a Spanish report prints it, with a dot between thousands."""
    return f"{n:,}".replace(",", ".")


def consolidated_advice(per_code: Mapping[str, tuple[int, int]], lagging: int) -> list[str]:
    """The consolidated report's recommendations: one per kind of alert, addressed to the
    entities that carry it, then one for the entities whose plan is not in green.

    ``per_code``: alert code -> (entities, activities); ``lagging``: entities in red or
    yellow. Each entity's own areas are named in its own form, not here.
    """
    from pac_excel.check.labels import ALERTS

    out: list[str] = []
    for code, (first, second) in _ADVICE.items():
        entities, n = per_code.get(code, (0, 0))
        if not n:
            continue
        what = "la actividad" if n == 1 else "las actividades"
        verb = first.format(what=what, s="" if n == 1 else "s")
        count = f"{number(n)} {'actividad' if n == 1 else 'actividades'}"
        where = "1 entidad" if entities == 1 else f"{number(entities)} entidades"
        who = "a esa entidad" if entities == 1 else "a esas entidades"
        out.append(
            f"{ALERTS.get(code, code)} ({count} en {where}): se recomienda {who} {verb} {second}."
        )
    if lagging:
        who = "a la entidad" if lagging == 1 else f"a las {number(lagging)} entidades"
        out.append(
            f"Se recomienda {who} con el plan en semáforo rojo o amarillo hacer seguimiento en "
            "su Comité Institucional de Coordinación de Control Interno a los componentes con "
            "semáforo rojo y amarillo, y definir acciones con responsables y fechas antes del "
            "siguiente corte."
        )
    if not out:
        out.append(
            "Se recomienda a las entidades mantener la ejecución y el registro oportuno de "
            "evidencias de las actividades programadas para el siguiente corte."
        )
    return out
