"""xml_guard: XML that comes from input files is parsed without DTDs, entities or network access.

Office packages may not contain DTDs at all (ECMA-376 Part 2, M1.18), so refusing any
``<!DOCTYPE``/``<!ENTITY`` has no false positives and removes billion-laughs, quadratic
blow-up and XXE at once, whichever parser comes next.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from typing import Any
from xml.parsers import expat

from pac_excel.errors import UsageError
from pac_excel.read.facts import Refused

_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_ROOT = re.compile(rb"<[A-Za-z_:]")
_XML_DECL = re.compile(rb"^\s*<\?xml[^>]*\?>")

SUSPICIOUS = "archivo-sospechoso"


class UnsafeXmlSetup(UsageError):
    """openpyxl would parse input XML without defusedxml: no command may run (exit 2)."""


def ensure_safe_xml() -> None:
    """Fail at start-up when openpyxl would parse XML without defusedxml.

    openpyxl turns defusedxml off when it is missing or when ``OPENPYXL_DEFUSEDXML=False``.
    """
    try:
        import defusedxml  # noqa: F401

        decided = _openpyxl_xml()
    except ImportError as exc:  # pragma: no cover - defusedxml is a dependency
        raise UnsafeXmlSetup(
            "Falta el paquete defusedxml, que protege la lectura de archivos XML maliciosos: "
            "reinstale pac-excel (pip install .)."
        ) from exc
    if not getattr(decided, "DEFUSEDXML", False):
        raise UnsafeXmlSetup(
            "La protección contra archivos XML maliciosos (defusedxml) está desactivada "
            "(¿variable de entorno OPENPYXL_DEFUSEDXML=False?): quítela y vuelva a ejecutar."
        )


def _openpyxl_xml() -> Any:
    """``openpyxl.xml``, where openpyxl decides DEFUSEDXML, without importing all of openpyxl.

    Importing openpyxl costs a quarter of a second, and this check runs before every command
    (even ``--help``); the module itself only reads the environment and tries defusedxml.
    """
    if "openpyxl" in sys.modules:
        import openpyxl.xml

        return openpyxl.xml
    spec = importlib.util.find_spec("openpyxl")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("openpyxl")
    path = Path(next(iter(spec.submodule_search_locations))) / "xml" / "__init__.py"
    alone = importlib.util.spec_from_file_location("_pac_excel_openpyxl_xml", path)
    if alone is None or alone.loader is None:
        raise ImportError("openpyxl.xml")
    module = importlib.util.module_from_spec(alone)
    alone.loader.exec_module(module)
    return module


def refuse_dtd(where: str) -> Refused:
    return Refused(
        SUSPICIOUS,
        f"El archivo trae una declaración XML (DTD o entidades) en «{where}», que un libro de "
        "Excel nunca contiene y que se usa para ataques; no se leyó por seguridad. Pida al "
        "remitente que lo abra en Excel, lo guarde de nuevo como .xlsx y lo reenvíe.",
    )


def decode_utf16(data: bytes) -> bytes:
    """UTF-16 XML as UTF-8 without its declaration, so byte scans and expat see plain text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(data) > 1 and b"\0" in data[:2]):
        encoding = (
            "utf-16"
            if data.startswith((b"\xff\xfe", b"\xfe\xff"))
            else ("utf-16-le" if data[1:2] == b"\0" else "utf-16-be")
        )
        text = data.decode(encoding, "replace").encode("utf-8")
        return _XML_DECL.sub(b"", text, count=1)
    return data


def check_prolog(head: bytes, where: str, complete: bool, max_prolog: int) -> None:
    """Refuse a DTD or entity declaration before the root element (the only place one can be)."""
    head = decode_utf16(head)
    if b"<!" in head and _DTD.search(head):
        raise refuse_dtd(where)
    if complete or len(head) < max_prolog:
        return
    if _ROOT.search(head) is None:
        raise Refused(
            SUSPICIOUS,
            f"La parte «{where}» del archivo empieza con más de {max_prolog // 1024} KiB antes de "
            "sus datos, algo que Excel nunca escribe; no se leyó por seguridad. Pida al "
            "remitente que lo guarde de nuevo como .xlsx.",
        )


def make_parser(where: str) -> Any:
    """An expat parser that refuses DTDs, entity declarations and external references."""
    parser: Any = expat.ParserCreate()

    def forbid(*_args: object) -> None:
        raise refuse_dtd(where)

    parser.StartDoctypeDeclHandler = forbid
    parser.EntityDeclHandler = forbid
    parser.UnparsedEntityDeclHandler = forbid
    parser.ExternalEntityRefHandler = forbid
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.buffer_text = True
    return parser


def local(name: str) -> str:
    """``x:row`` -> ``row``: files from some tools prefix every element."""
    return name.rpartition(":")[2]
