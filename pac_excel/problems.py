"""problems: the one record of everything wrong with the input, shown on the terminal and in the workbook."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pac_excel.frames import PROBLEM_COLUMNS

if TYPE_CHECKING:  # imported by problems_frame: the CLI reports problems before any pandas
    import pandas as pd


class Severity(enum.Enum):
    """How bad a problem is; the value is what a user reads."""

    ERROR = "Error"  # a file, sheet or value could not be used
    WARNING = "Advertencia"  # used, but a person should look at it
    INFO = "Información"  # something was skipped or fixed up on the way in


def column_letter(index: int) -> str:
    """0-based column index to Excel's letters: 0 -> A, 27 -> AB."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass(frozen=True)
class CodeInfo:
    """What a problem code means to a user: its usual severity and what to do about it."""

    severity: Severity  # the usual one; a few codes are raised at another level by context
    meaning: str
    what_to_do: str


# Every problem code pac-excel emits, with its README row ("Problemas que se informan").
# tests/test_docs.py keeps this registry, the README table and the codes in use equal.
CODES: dict[str, CodeInfo] = {
    "entrada-no-existe": CodeInfo(
        Severity.ERROR,
        "El archivo o carpeta indicado no existe.",
        "Revise la ruta.",
    ),
    "archivo-ilegible": CodeInfo(
        Severity.ERROR,
        "El sistema no dejó abrir el archivo (permisos, bloqueo).",
        "Cierre el archivo o revise los permisos.",
    ),
    "entrada-no-leida": CodeInfo(
        Severity.WARNING,
        "En la carpeta hay algo que no es un archivo normal (tubería, enlace roto o en bucle, "
        "dispositivo) o una subcarpeta sin permiso de lectura; no se leyó.",
        "Quítelo de la carpeta o revise los permisos.",
    ),
    "nombre-no-valido": CodeInfo(
        Severity.INFO,
        "El nombre del archivo no es texto válido (UTF-8); se leyó y se muestra con �.",
        "Renómbrelo si quiere verlo bien.",
    ),
    "archivo-vacio": CodeInfo(
        Severity.ERROR,
        "El archivo tiene 0 bytes.",
        "Vuelva a copiarlo.",
    ),
    "archivo-incompleto": CodeInfo(
        Severity.ERROR,
        "El archivo está cortado o dañado.",
        "Pida que lo envíen de nuevo.",
    ),
    "archivo-danado": CodeInfo(
        Severity.ERROR,
        "El libro no se pudo leer.",
        "Ábralo en Excel y guárdelo de nuevo como .xlsx.",
    ),
    "protegido-con-contrasena": CodeInfo(
        Severity.ERROR,
        "El libro tiene contraseña.",
        "Guárdelo sin contraseña.",
    ),
    "no-es-hoja-de-calculo": CodeInfo(
        Severity.ERROR,
        "No es un libro de Excel ni de LibreOffice.",
        "Guárdelo como .xlsx.",
    ),
    "sin-tabla-de-seguimiento": CodeInfo(
        Severity.ERROR,
        "Ninguna hoja tiene una tabla de seguimiento.",
        "Revise que tenga encabezados como ACTIVIDADES, % AVANCE.",
    ),
    "archivo-sospechoso": CodeInfo(
        Severity.ERROR,
        "Trae algo que un libro de Excel no contiene y que se usa para bloquear programas (DTD/entidades, «bomba» de compresión, partes repetidas, un texto largo repetido en miles de celdas).",
        "Pida que lo abran en Excel, lo guarden como .xlsx y lo reenvíen.",
    ),
    "archivo-demasiado-grande": CodeInfo(
        Severity.ERROR,
        "Pasa de 256 MiB (o de 50 millones de caracteres en XML de Excel 2003).",
        "Revise que sea el archivo correcto; quítele imágenes y hojas ajenas al plan.",
    ),
    "hoja-demasiado-grande": CodeInfo(
        Severity.ERROR,
        "Una hoja pasa de 100.000 filas o 2.000.000 de celdas (el archivo, de 4.000.000); en .xls/.ods no se lee el archivo.",
        "Divida la hoja o borre celdas sueltas lejos de la tabla.",
    ),
    "hoja-repetida": CodeInfo(
        Severity.WARNING,
        "El libro declara la misma hoja más de una vez (xl/workbook.xml dañado); se leyó una vez.",
        "Ábralo en Excel, guárdelo de nuevo como .xlsx y reenvíelo.",
    ),
    "formato-no-soportado": CodeInfo(
        Severity.ERROR,
        "Libro binario .xlsb (u otro formato que no se lee).",
        "Guárdelo como .xlsx.",
    ),
    "formulas-sin-resultado": CodeInfo(
        Severity.WARNING,
        "Fórmulas sin resultado guardado (se leerían vacías) o guardadas por un programa que no calcula (0).",
        "Ábralo en Excel, guárdelo y reenvíelo.",
    ),
    "vinculo-externo": CodeInfo(
        Severity.WARNING,
        "Toma valores de otros archivos; se usó el último valor guardado.",
        "Actualice los vínculos en Excel si importa.",
    ),
    "hoja-oculta": CodeInfo(
        Severity.WARNING,
        "Una hoja oculta con datos se leyó igual.",
        "Revise si debe consolidarse.",
    ),
    "filas-ocultas": CodeInfo(
        Severity.WARNING,
        "Filas ocultas con datos se leyeron igual.",
        "Revise si deben consolidarse.",
    ),
    "html-como-xls": CodeInfo(
        Severity.WARNING,
        "Es una página web (HTML) exportada por un sistema con extensión .xls; se leyó su tabla.",
        "Guárdelo como .xlsx.",
    ),
    "csv-como-xls": CodeInfo(
        Severity.WARNING,
        "Es texto separado por comas o tabulaciones; se leyó como tabla.",
        "Guárdelo como .xlsx.",
    ),
    "excel-2003-xml": CodeInfo(
        Severity.WARNING,
        "Es «XML de Excel 2003»; se leyó.",
        "Guárdelo como .xlsx.",
    ),
    "macros-ignoradas": CodeInfo(
        Severity.INFO,
        "Trae macros; no se ejecutan ni pasan al consolidado.",
        "Nada.",
    ),
    "caracteres-de-control": CodeInfo(
        Severity.INFO,
        "Se quitaron caracteres invisibles que Excel no admite (se dice cuántos).",
        "Nada.",
    ),
    "codificacion-windows-1252": CodeInfo(
        Severity.INFO,
        "El texto no está en UTF-8; se leyó como Windows-1252 (ANSI).",
        "Revise tildes y eñes.",
    ),
    "extension-no-coincide": CodeInfo(
        Severity.WARNING,
        "El contenido no corresponde a la extensión.",
        "Se leyó según el contenido; renómbrelo.",
    ),
    "fecha-no-valida": CodeInfo(
        Severity.WARNING,
        "Una fecha programada o de corte no se pudo leer (31/02, mes 13, formato mes/día).",
        "Corrija la celda; la actividad se conserva.",
    ),
    "sin-fecha-programada": CodeInfo(
        Severity.WARNING,
        "La actividad no tiene fecha programada.",
        "Sin fecha no se puede saber si está vencida.",
    ),
    "avance-no-valido": CodeInfo(
        Severity.WARNING,
        "El % de avance no se pudo leer o está fuera de 0–100 %.",
        "Corrija la celda.",
    ),
    "sin-columna-de-avance": CodeInfo(
        Severity.WARNING,
        "La tabla no tiene columna de % de avance: sus actividades quedan «Sin dato».",
        "Nombre la columna de avance (por ejemplo «% de avance»).",
    ),
    "corte-fuera-de-vigencia": CodeInfo(
        Severity.WARNING,
        "El corte se tomó de la fecha de hoy y no es del año de la vigencia del plan.",
        "Indique el corte con --corte (por ejemplo el 31/12 de la vigencia).",
    ),
    "avance-repetido": CodeInfo(
        Severity.WARNING,
        "Una actividad partida en varias filas tiene más de un % de avance.",
        "Se usó el primero.",
    ),
    "texto-demasiado-largo": CodeInfo(
        Severity.WARNING,
        "Un texto pasa de 32.767 caracteres, el máximo de una celda de Excel (lo informa la lectura o, si recorta algo, la escritura del libro).",
        "Se recortó en el consolidado; el original queda intacto.",
    ),
    "componente-desconocido": CodeInfo(
        Severity.WARNING,
        "No se pudo deducir el componente.",
        "Revise el subcomponente.",
    ),
    "corte-distinto": CodeInfo(
        Severity.WARNING,
        "El archivo indica otro corte que el pedido con `--corte`, o el nombre de la hoja o del archivo sugiere otro corte que el escrito en una celda.",
        "Confirme el corte.",
    ),
    "libro-abierto": CodeInfo(
        Severity.WARNING,
        "El libro consolidado estaba abierto en Excel y no se pudo reemplazar; se escribió `… (2).xlsx` al lado.",
        "Cierre el libro y vuelva a ejecutar para actualizarlo.",
    ),
    "columna-no-usada": CodeInfo(
        Severity.INFO,
        "Columnas con encabezado y datos que pac-excel no reconoce (por ejemplo «Nota interna»); no pasan al consolidado.",
        "Si deben contar, renombre el encabezado con un nombre habitual (Seguimiento, Observaciones, % de avance…).",
    ),
    "hoja-omitida": CodeInfo(
        Severity.INFO,
        "La hoja no es del plan (instrucciones, resumen, gráficos, mapa de riesgos, estrategia de trámites en su propio formato); la línea dice por qué.",
        "Nada, salvo que la hoja sí tenga actividades del PAAC.",
    ),
    "varios-cortes": CodeInfo(
        Severity.INFO,
        "El archivo trae varios seguimientos (lado a lado o una hoja por corte); se consolidó uno y los demás quedan en la hoja Historial.",
        "Confirme el corte; use `--corte` para elegir otro.",
    ),
    "fila-omitida": CodeInfo(
        Severity.INFO,
        "Filas que no son actividades (membrete, firmas, encabezado repetido, totales, leyenda de colores, filas de otro plan o política, tabla en otro formato).",
        "Nada, salvo que sea una actividad.",
    ),
    "hoja-sin-tabla": CodeInfo(
        Severity.INFO,
        "Una hoja sin tabla de seguimiento (instrucciones, gráficos…).",
        "Nada.",
    ),
    "archivo-ignorado": CodeInfo(
        Severity.INFO,
        "Archivo que no es una hoja de cálculo o es temporal de Excel.",
        "Nada.",
    ),
    "entidad-no-encontrada": CodeInfo(
        Severity.INFO,
        "No se encontró el nombre de la entidad.",
        "Agregue una celda «Entidad:».",
    ),
    "historial-no-disponible": CodeInfo(
        Severity.ERROR,
        "El historial de cortes (historial_pac_excel.sqlite) está dañado o no es de pac-excel: "
        "no se modificó ni se registró el corte.",
        "Mueva el archivo a otra carpeta y vuelva a ejecutar para empezar un historial nuevo.",
    ),
    "seccion-no-reconocida": CodeInfo(
        Severity.WARNING,
        "Una sección no corresponde a ningún componente del programa del archivo; se consolida "
        "como un componente propio con el nombre que trae el archivo.",
        "Si es un componente del programa, agregue su nombre en [componentes] de pac-excel.toml.",
    ),
    "numero-y-nombre-de-componente": CodeInfo(
        Severity.WARNING,
        "El número de un encabezado de componente no corresponde a su nombre; se usó el nombre.",
        "Corrija el número o el nombre en el archivo.",
    ),
    "seccion-plan-de-accion": CodeInfo(
        Severity.WARNING,
        "Un seguimiento del PTEP trae secciones del Plan de Acción institucional (servicio al "
        "ciudadano, trámites, participación ciudadana, gobierno digital); se consolidan con el "
        "rótulo Plan de Acción.",
        "Nada; si la entidad las sigue en el Plan de Acción, sáquelas del seguimiento del PTEP.",
    ),
    "coincidencia-dudosa": CodeInfo(
        Severity.WARNING,
        "Una actividad se parece a otra de un corte anterior (o del plan), pero no lo bastante "
        "para enlazarlas.",
        "Si son la misma, escríbalas en coincidencias_pac_excel.csv (ver «Historial del año»).",
    ),
}


@dataclass(frozen=True, kw_only=True, slots=True)  # slots: thousands of them per run
class Problem:
    """One thing wrong with one place in one input file.

    ``row`` is the 1-based row as Excel numbers it and ``column`` Excel's letter, so a user
    can type ``E12`` into the Name Box and land on the cell.
    """

    file: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    severity: Severity
    code: str  # stable kebab-case slug from CODES: tests and users filter on it
    message: str  # Spanish, says what was found and what to do

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise ValueError(f"unknown problem code {self.code!r}: add it to problems.CODES")

    @classmethod
    def in_file(
        cls,
        file: str,
        code: str,
        message: str,
        *,
        severity: Severity | None = None,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> Problem:
        """A problem at the code's usual severity (from CODES) unless the caller knows better.

        The one way the stages build problems, so a code's severity is stated once.
        """
        if code not in CODES:
            raise ValueError(f"unknown problem code {code!r}: add it to problems.CODES")
        return cls(
            file=file,
            sheet=sheet,
            row=row,
            column=column,
            severity=severity or CODES[code].severity,
            code=code,
            message=message,
        )

    @property
    def where(self) -> str:
        """Excel's external-reference style: ``[libro.xlsx]Hoja!E12``."""
        ref = f"[{self.file}]"
        if self.sheet:
            ref += self.sheet
            if self.row is not None:
                ref += f"!{self.column}{self.row}" if self.column else f"!{self.row}:{self.row}"
        return ref

    def line(self) -> str:
        """The terminal form: ``where: severidad: mensaje [código]``."""
        return f"{self.where}: {self.severity.value}: {self.message} [{self.code}]"


def sort_key(p: Problem) -> tuple[str, str, int, int, str, str]:
    """File, sheet, reading order; file- and sheet-level problems first."""
    col = p.column or ""
    return (p.file, p.sheet or "", p.row or 0, len(col), col, p.code)


def problems_frame(problems: Iterable[Problem]) -> pd.DataFrame:
    """Problems as a frame with declared dtypes, in reading order."""
    import pandas as pd

    ordered = sorted(problems, key=sort_key)
    records = [
        (p.file, p.sheet, p.row, p.column, p.severity.value, p.code, p.message) for p in ordered
    ]
    frame: pd.DataFrame = pd.DataFrame.from_records(records, columns=list(PROBLEM_COLUMNS))
    typed: pd.DataFrame = frame.astype(PROBLEM_COLUMNS)
    return typed
