"""config_messages: TOML syntax errors said the way a user can act on them, and where.

tomllib's messages are English and point at a character; these helpers give the Spanish
reason, the line of a key or a section, and stop lists nested so deep that tomllib would
recurse without end.
"""

from __future__ import annotations

import re
from pathlib import Path

_KEY_AT_START = re.compile(r"""^\s*(?:"([^"]*)"|'([^']*)'|([^\s=."'\[]+))\s*[=.]""")
MAX_NESTING = 32
_STRINGS_AND_COMMENT = re.compile(r""""(?:[^"\\]|\\.)*"|'[^']*'|#.*""")
_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")
_TABLE_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
# tomllib's messages are English; the common ones, said the way a user can act on them.
_TOML_MESSAGES = (
    ("Expected '=' after a key", "falta el signo = entre la clave y el valor"),
    ("Invalid value", "el valor no es válido (¿faltan comillas alrededor del texto?)"),
    ("Unclosed array", "falta cerrar la lista con ]"),
    ("Unclosed", "falta cerrar comillas, corchetes o llaves"),
    ("Unterminated string", "falta cerrar las comillas"),
    ("Cannot overwrite a value", "la clave está repetida"),
    ("Cannot declare", "la sección está repetida"),
    ("Invalid statement", "la línea no es «clave = valor» ni «[sección]»"),
    ("Illegal character", "hay un carácter no permitido"),
    ("Unescaped '\\'", "una barra invertida \\ debe escribirse doble (\\\\) dentro de comillas"),
    ("Invalid hex value", "hay una barra invertida \\ suelta dentro de comillas (escriba \\\\)"),
)


def syntax_message(path: Path, detail: str, text: str) -> str:
    position = _TOML_POSITION.search(detail)
    if position:
        where = f"{path.name}, línea {position.group(1)}"
    elif "(at end of document)" in detail:
        where = f"{path.name}, línea {max(len(text.splitlines()), 1)}"
    else:
        where = path.name
    reason = next(
        (spanish for english, spanish in _TOML_MESSAGES if detail.startswith(english)),
        "el texto no sigue el formato TOML",
    )
    return (
        f"{where}: {reason}. Compare la línea con el ejemplo de pac-excel.toml que crea "
        "«pac-excel iniciar»."
    )


def type_name(value: object) -> str:
    """How a TOML value is called in a message."""
    if isinstance(value, bool):
        return "un valor verdadero/falso"
    if isinstance(value, int):
        return "un número entero"
    if isinstance(value, float):
        return "un número decimal"
    if isinstance(value, str):
        return "un texto"
    if isinstance(value, list):
        return "una lista"
    if isinstance(value, dict):
        return "una sección"
    return "una fecha u hora"


def line_index(lines: list[str]) -> dict[tuple[str | None, str | None], int]:
    """(table, key) -> first line, and (table, None) -> its header line, in one pass, so a
    [componentes] table of thousands of lines loads in linear time."""
    index: dict[tuple[str | None, str | None], int] = {}
    current: str | None = None
    for number, line in enumerate(lines, 1):
        header = _TABLE_HEADER.match(line)
        if header:
            current = header.group(1).strip().strip("\"'")
            index.setdefault((current, None), number)
            continue
        key = _KEY_AT_START.match(line)
        if key:
            name = next(g for g in key.groups() if g is not None)
            index.setdefault((current, name), number)
    return index


def nesting_problem(text: str) -> int | None:
    """The line where lists or inline tables nest deeper than any config needs, or None.

    tomllib recurses once per level, so a file of thousands of ``[`` would end in a
    RecursionError instead of a message. Brackets inside quotes and comments do not count.
    """
    depth = 0
    for number, line in enumerate(text.splitlines(), 1):
        for char in _STRINGS_AND_COMMENT.sub("", line):
            if char in "[{":
                depth += 1
                if depth > MAX_NESTING:
                    return number
            elif char in "]}":
                depth = max(depth - 1, 0)
    return None
