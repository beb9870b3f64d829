"""layout: what kind of sheet and what kind of row a follow-up holds, beyond its header.

A workbook carries more than the plan: instructions, a summary per component, charts, the
mapa de riesgos de corrupción and the trámites strategy in their own formats. Inside the plan
table there are rows that are not activities either: subtotals, averages, a colour legend,
component and subcomponent headings, and, in a Plan de Acción that mixes plans, rows of other
plans. These rules are general (words and shapes seen across entities), never tied to one
file's positions; all of them look at folded text the caller already has, so they stay cheap.
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Sequence

from pac_excel.normalize.catalog import Catalog, policy_component
from pac_excel.normalize.header import Header
from pac_excel.parse.periods import norm
from pac_excel.text import fold, is_blank

# Why a whole sheet is skipped; users read these in Problemas.
INSTRUCTIONS = "instrucciones para diligenciar el formato"
CHARTS = "gráficos o tablero de control"
SUMMARY = "resumen por componente (totales, no actividades)"
COVER = "portada, índice o control de cambios"
LISTS = "listas o parámetros del formato"
RISK_MAP = (
    "mapa de riesgos de corrupción (causas, riesgos, controles): tiene su propio formato de "
    "seguimiento"
)
TRAMITES = (
    "estrategia de racionalización de trámites en su propio formato (trámite, tipo de "
    "racionalización, acción específica)"
)

# Why a row is not an activity.
TOTAL = "fila de total, subtotal o promedio"
LEGEND = "leyenda de colores o escala de calificación"
OTHER_PLAN = "fila de otro plan (no es del PAAC)"
OTHER_POLICY = "fila de otra política (no es del PAAC)"

_NAME_REASONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"\b(instrucciones|instructivo|instruccion|guia|como diligenciar)\b"),
        INSTRUCTIONS,
    ),
    (re.compile(r"\b(graficos?|graficas?|tablero|dashboard|grafico)\b"), CHARTS),
    (re.compile(r"\b(resumen|totales|estadisticas|consolidado por componente)\b"), SUMMARY),
    (re.compile(r"^(portada|presentacion|indice|contenido|control de cambios|caratula)\b"), COVER),
    (re.compile(r"^(listas?|parametros|desplegables|validacion|datos|config\w*)\b"), LISTS),
)

# Column labels of the mapa de riesgos de corrupción, by kind: three kinds make one.
_RISK_TERMS: dict[str, re.Pattern[str]] = {
    "causa": re.compile(r"^causas?( del riesgo| raiz)?$"),
    "riesgo": re.compile(
        r"^(riesgos?|descripcion del riesgo|nombre del riesgo|identificacion del riesgo|"
        r"riesgos? de corrupcion|clasificacion del riesgo|tipo de riesgo|evento de riesgo)$"
    ),
    "probabilidad": re.compile(r"^probabilidad\b"),
    "impacto": re.compile(r"^impacto\b"),
    "control": re.compile(
        r"^(controles?|tipo de control|descripcion del control|controles existentes|"
        r"valoracion del control|valoracion de (los )?controles?)$"
    ),
    "zona": re.compile(
        r"^(zona de riesgo|riesgo inherente|riesgo residual|nivel de riesgo|"
        r"evaluacion del riesgo|valoracion del riesgo|calificacion del riesgo|"
        r"zona de riesgo (inherente|residual))\b"
    ),
    "consecuencia": re.compile(r"^consecuencias?$"),
}
_TRAMITE_TERMS: dict[str, re.Pattern[str]] = {
    "tramite": re.compile(
        r"^(nombre del )?(tramite|tramites|tramite u opa|opa|tramite proceso o procedimiento|"
        r"tramite o procedimiento administrativo)$"
    ),
    "tipo": re.compile(r"^tipo (de )?(racionalizacion|accion de racionalizacion|mejora)$"),
    "accion": re.compile(r"^accion(es)? especificas?( de racionalizacion)?$"),
    "situacion": re.compile(r"^situacion actual$"),
    "mejora": re.compile(r"^(descripcion de la )?mejora (a|por) implementar$"),
    "beneficio": re.compile(
        r"^beneficio (al|del|para el) (ciudadano|usuario)( o entidad| y o entidad)?"
    ),
}

_TOTAL = re.compile(
    r"^(sub ?totale?s?|totale?s?|gran total|promedios?|porcentaje (total|promedio|general)|"
    r"avance (total|promedio|general|consolidado)|cumplimiento (total|promedio|general)|"
    r"resultado (total|general|final)|% (total|promedio)|calificacion (total|final|promedio))\b"
)
_LEGEND_HEAD = re.compile(
    r"^(convenciones|convencion|leyenda|escala de (valoracion|calificacion|medicion|colores?)|"
    r"rangos? de (calificacion|cumplimiento|avance|valoracion|evaluacion)|semaforo|"
    r"criterios? de (calificacion|evaluacion))\b"
)
_COLOUR = re.compile(r"\b(rojo|roja|amarillo|amarilla|verde|naranja)\b")
_LEGEND_DETAIL = re.compile(
    r"\d+\s*%?\s*(-|–|a|al|hasta|y)\s*\d+|\bzona (baja|media|alta)\b|[<>≤≥]|"
    r"\b(menor|mayor|entre|igual|superior|inferior)\b|\d+\s*%|"
    r"\b(cumplid|avance|proceso|iniciad|ejecut|bajo|medio|alto|critico|satisfactori)"
)
_SUBCOMPONENT = re.compile(r"^sub\s*-?\s*componente\b")
_PAAC_PLAN = re.compile(
    r"anticorrupcion|\bpaac\b|\bptep\b|transparencia y etica|atencion al ciudadano|"
    r"lucha contra la corrupcion|plan anti|etica publica"
)


def sheet_skip_reason(name: str) -> str | None:
    """Why a sheet's name says it holds no plan ("Instrucciones", "Gráficos", "Resumen")."""
    key = fold(name)
    for pattern, reason in _NAME_REASONS:
        if pattern.search(key):
            return reason
    return None


def content_skip_reason(rows: Sequence[Sequence[object]], last: int) -> str | None:
    """Why a sheet's column labels say it is another format (risk map, trámites strategy).

    Looks at short text cells of the rows up to ``last`` (the header, or the first rows).
    """
    risk: set[str] = set()
    tramite: set[str] = set()
    for row in rows[: last + 1]:
        for value in row:
            if not isinstance(value, str) or not value.strip() or len(value) > 60:
                continue
            key = fold(value)
            for kind, pattern in _RISK_TERMS.items():
                if pattern.match(key):
                    risk.add(kind)
            for kind, pattern in _TRAMITE_TERMS.items():
                if pattern.match(key):
                    tramite.add(kind)
    if len(risk) >= 3:
        return RISK_MAP
    if len(tramite) >= 2 and ("tramite" in tramite or "accion" in tramite):
        return TRAMITES
    return None


def summary_table(rows: Sequence[Sequence[object]], header: Header) -> bool:
    """A table whose "activity" column holds counts: a summary per component, not a plan."""
    column = header.columns["activity"]
    numbers_seen = texts = 0
    for row in rows[header.row + 1 : header.row + 60]:
        value = row[column] if column < len(row) else None
        if is_blank(value):
            continue
        if isinstance(value, numbers.Real) and not isinstance(value, bool):
            numbers_seen += 1
        elif isinstance(value, str) and not value.strip().replace(".", "").isdigit():
            texts += 1
        else:
            numbers_seen += 1
    return numbers_seen >= 2 and numbers_seen > 2 * texts


def is_total_row(first_text: str) -> bool:
    """ "TOTAL COMPONENTE 1", "Subtotal", "PROMEDIO", "% Total" at the start of a row."""
    return bool(_TOTAL.match(fold(first_text)))


def is_legend_row(texts: Sequence[str]) -> bool:
    """A colour-scale line ("0 - 59 % | Rojo | Zona baja") or its title ("CONVENCIONES").

    Only short rows: an activity that mentions a colour is long and has an owner or a date.
    """
    if not texts or len(texts) > 5 or any(len(t) > 50 for t in texts):
        return False
    if _LEGEND_HEAD.match(fold(texts[0])):
        return True
    if not any(_COLOUR.search(fold(t)) for t in texts):
        return False
    return bool(_LEGEND_DETAIL.search(norm(" ".join(texts))))


def subcomponent_heading(texts: Sequence[str]) -> bool:
    """A row that only says "Subcomponente 2 Construcción del Mapa…" (once or merged)."""
    distinct = set(texts)
    return len(distinct) == 1 and bool(_SUBCOMPONENT.match(fold(texts[0])))


def is_paac_plan(value: str) -> bool:
    """Whether a Plan column value names the PAAC / PTEP ("Plan Anticorrupción y de…")."""
    return bool(_PAAC_PLAN.search(fold(value)))


def paac_policy(value: str, catalog: Catalog) -> tuple[bool, int | None]:
    """Whether a Política column value belongs to the PAAC, and the component it implies."""
    component = policy_component(value, catalog)
    return (component is not None or is_paac_plan(value)), component
