"""words: the Spanish words a schedule is written with, as data the schedule reader uses.

Month names and their abbreviations, frequency words, open-ended phrases and the small words
that join date parts, all accent-folded and lower case. Add a spelling here when a real file
writes a date in a way pac-excel does not read.
"""

from __future__ import annotations

# Spanish month names and the abbreviations seen in real files, already accent-folded.
MONTHS: dict[str, int] = {
    "enero": 1,
    "ene": 1,
    "febrero": 2,
    "feb": 2,
    "marzo": 3,
    "mar": 3,
    "abril": 4,
    "abr": 4,
    "mayo": 5,
    "may": 5,
    "junio": 6,
    "jun": 6,
    "julio": 7,
    "jul": 7,
    "agosto": 8,
    "ago": 8,
    "septiembre": 9,
    "setiembre": 9,
    "sept": 9,
    "sep": 9,
    "set": 9,
    "octubre": 10,
    "oct": 10,
    "noviembre": 11,
    "nov": 11,
    "diciembre": 12,
    "dic": 12,
}

# Frequency words: (label shown to users, accent-folded regex, months whose last day is due).
FREQUENCIES: tuple[tuple[str, str, tuple[int, ...]], ...] = (
    ("Mensual", r"mensual(?:es|mente)?|cada mes|mes a mes", tuple(range(1, 13))),
    ("Bimestral", r"bimestral(?:es|mente)?|cada dos meses|cada bimestre", (2, 4, 6, 8, 10, 12)),
    ("Trimestral", r"trimestral(?:es|mente)?|cada tres meses|cada trimestre", (3, 6, 9, 12)),
    (
        "Cuatrimestral",
        r"cuatrimestral(?:es|mente)?|cada cuatro meses|cada cuatrimestre",
        (4, 8, 12),
    ),
    ("Semestral", r"semestral(?:es|mente)?|cada seis meses|cada semestre", (6, 12)),
    ("Anual", r"anual(?:es|mente)?|cada ano|una vez al ano", (12,)),
)

# Open-ended schedules (accent-folded, lower case): there is no single due date to miss.
PERMANENT_PHRASES: tuple[str, ...] = (
    "permanente",
    "permanentes",
    "permanentemente",
    "continuo",
    "continua",
    "continuos",
    "continuas",
    "continuamente",
    "cada vez que se requiera",
    "cada vez que se requieran",
    "cada vez que se presente",
    "cada vez que se presenten",
    "cada vez que sea necesario",
    "cuando se requiera",
    "cuando se presente",
    "a demanda",
    "por demanda",
    "segun demanda",
    "segun necesidad",
    "durante la vigencia",
    "durante toda la vigencia",
    "todo el ano",
    "a lo largo del ano",
)

# Words that join date parts without changing their meaning ("30 de abril del año 2020").
FILLER_WORDS: frozenset[str] = frozenset(
    {"de", "del", "el", "la", "los", "las", "desde", "dia", "dias", "ano", "mes", "fecha"}
)
RANGE_WORDS: frozenset[str] = frozenset({"al", "a", "hasta"})
LIST_WORDS: frozenset[str] = frozenset({"y", "e"})
