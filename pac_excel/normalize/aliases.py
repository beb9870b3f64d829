"""aliases: how offices spell the header of a follow-up table, as data the header rules read.

A Python module rather than a JSON file beside catalogs/components.json: each group of
spellings keeps the comment that says why it is there, the regexes stay compiled once at
import, and mypy sees the types; nothing is loaded or parsed at run time. Add a spelling
here when a real file names a column in a way pac-excel does not recognise.
"""

from __future__ import annotations

import re
from typing import TypeVar

from pac_excel.text import fold

_T = TypeVar("_T")

# Canonical field -> header spellings seen in real follow-ups, folded (no case, no accents).
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "number": (
        "no",
        "n",
        "nº",
        "no.",
        "#",
        "item",
        "numero",
        "n°",
        "nro",
        "num",
        "consecutivo",
        "id",
        "no actividad",
        "numero de actividad",
    ),
    "component": ("componente", "componentes", "componente del paac", "componente ptep"),
    # A MIPG policy column: it names the component or marks a row of another plan.
    "policy": (
        "politica",
        "politicas",
        "politica mipg",
        "politica de gestion y desempeno",
        "politica de gestion y desempeno institucional",
        "politica institucional",
    ),
    # The plan a row belongs to, in a Plan de Acción that mixes several plans.
    "plan": (
        "plan",
        "planes",
        "plan institucional",
        "plan asociado",
        "nombre del plan",
        "plan al que pertenece",
        "plan al que aporta",
        "plan decreto 612",
        "plan decreto 612 de 2018",
        "plan relacionado",
    ),
    "subcomponent": (
        "subcomponente",
        "subcomponentes",
        "subcomponente proceso",
        "subcomponente/proceso",
        "proceso",
        "estrategia",
        "subcomponente o proceso",
        "accion estrategica",
        "eje",
        "linea de accion",
    ),
    "activity": (
        "actividades",
        "actividad",
        "actividades programadas",
        "actividad programada",
        "accion",
        "acciones",
        "descripcion de la actividad",
        "descripcion actividad",
        "nombre de la actividad",
        "acciones programadas",
        "actividades a desarrollar",
        "acciones a desarrollar",
        "actividad especifica",
    ),
    "done": (
        "actividades cumplidas",
        "actividades realizadas",
        "accion realizada",
        "acciones realizadas",
        "actividad realizada",
        "actividad cumplida",
        "actividades ejecutadas",
        "acciones cumplidas",
        "descripcion del avance",
        "avance cualitativo",
        "logros",
    ),
    "goal": (
        "meta o producto",
        "meta producto",
        "metas productos",
        "metas o productos",
        "meta",
        "metas",
        "producto",
        "productos",
        "indicador",
        "indicadores",
        "entregable",
        "entregables",
        "meta o producto esperado",
        "producto esperado",
        "indicador de cumplimiento",
        "meta anual",
    ),
    "owner": (
        "responsable",
        "responsables",
        "lider del proceso",
        "dependencia",
        "dependencia responsable",
        "area responsable",
        "responsable de la actividad",
        "lider",
        "area",
        "oficina responsable",
        "proceso responsable",
        "dependencias responsables",
    ),
    "dates": (
        "fecha programada",
        "fechas programadas",
        "fecha",
        "fechas",
        "periodo de ejecucion",
        "fecha de ejecucion",
        "fecha limite",
        "fecha de cumplimiento",
        "plazo",
        "cronograma",
        "fecha programada de cumplimiento",
        "fecha de entrega",
        "fecha programada de ejecucion",
        "tiempo de ejecucion",
    ),
    "start": (
        "fecha inicio",
        "fecha de inicio",
        "fecha inicial",
        "inicio",
        "fecha de iniciacion",
        "desde",
    ),
    "end": (
        "fecha final",
        "fecha fin",
        "fecha de finalizacion",
        "fecha de terminacion",
        "fecha terminacion",
        "fecha finalizacion",
        "fecha de fin",
        "fecha de cierre",
        "fin",
        "final",
        "terminacion",
        "finalizacion",
        "hasta",
    ),
    "progress": (
        "% avance",
        "% de avance",
        "avance",
        "% cumplimiento",
        "cumplimiento",
        "porcentaje de avance",
        "% de cumplimiento",
        "nivel de cumplimiento %",
        "nivel de cumplimiento",
        "porcentaje",
        "calificacion",
        "avance %",
        "porcentaje de cumplimiento",
        "% avance oci",
        "% de avance oci",
        "avance cuantitativo",
        "%",
    ),
    "followup": (
        "seguimiento",
        "seguimiento oci",
        "observaciones",
        "observacion",
        "observaciones oci",
        "observaciones del auditor",
        "comentarios",
        "comentarios de la oficina de control interno",
        "seguimiento oficina de control interno",
        "seguimiento de la oficina de control interno",
        "seguimiento control interno",
        "analisis oci",
        "evidencia",
        "evidencias",
        "registro",
        "soportes",
        "observaciones control interno",
        "observaciones de control interno",
        "verificacion oci",
        "analisis",
        "analisis del avance",
        "descripcion del seguimiento",
        "resultado del seguimiento",
    ),
    # The office's own state of the activity, kept beside pac-excel's estado.
    "reported_status": (
        "estado",
        "estado de la actividad",
        "estado actividad",
        "estado de avance",
        "estado de la accion",
        "estado actual",
    ),
    # When each cut of a side-by-side file records when it was done ("FECHA DE SEGUIMIENTO").
    "followup_date": (
        "fecha de seguimiento",
        "fecha seguimiento",
        "fecha del seguimiento",
        "fecha de revision",
        "fecha de verificacion",
    ),
}

# Labels that look like a field to the fuzzy match but are not one ("vigencia" ~ "evidencia").
IGNORED_LABELS = frozenset(
    fold(label)
    for label in (
        "vigencia",
        "entidad",
        "fecha de publicacion",
        "fecha publicacion",
        "fecha de aprobacion",
        "fecha de corte",
        "fecha corte",
        "version",
        "codigo",
        "pagina",
        "total",
        "totales",
    )
)

# Words that qualify a column name without changing its field ("% de avance a la fecha",
# "% avance verificado OCI": the OCI's figure is the follow-up's own).
QUALIFIERS = re.compile(
    r"\b(a la fecha|al corte|del periodo|en el periodo|de la oci|oci|del seguimiento|"
    r"de la oficina de control interno|control interno|de control interno|"
    r"verificad[oa] por la|verificad[oa] por|verificad[oa]|segun|validad[oa])\b"
)

# Words that make a progress column the area's own report rather than the OCI's ("% de
# avance reportado por el área", "Avance (%) dependencia", "Autoevaluación del proceso").
# "Reportado" alone does not: pac-excel's own "Avance reportado" is the OCI's figure.
AREA_QUALIFIERS = re.compile(
    r"\b(reportad[oa] por (el |la )?|reportad[oa] |segun (el |la )?|del |de la |por (el |la )?)?"
    r"(area|areas|dependencia|dependencias|responsable|responsables|proceso|lider)\b"
    r"|\b(autoevaluacion|autoreporte|auto reporte)\b"
)

# Group cells that say nothing about a field but do belong to a header band.
GROUP_WORDS = re.compile(
    r"^(seguimiento|seguimientos|monitoreo|cronograma|programacion|ejecucion|periodo|"
    r"plan de accion|plan|formulacion|avance|oci|control interno|evaluacion|verificacion|"
    r"identificacion|planeacion|fechas?|meta|metas|resultado|resultados)\b"
)

# The "metas o productos" column is the goal next to an activity column, the activity alone.
GOAL_AS_ACTIVITY = {fold("metas o productos"), fold("meta o producto"), fold("metas")}


def settle_progress(fields: dict[str, _T]) -> None:
    """The area's progress is the progress when the table has no other: it is all there is."""
    if "progress" not in fields and "area_progress" in fields:
        fields["progress"] = fields.pop("area_progress")
