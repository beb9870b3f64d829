"""config: the working folder's ``pac-excel.toml``, read and checked before anything runs.

The people who edit this file are not programmers, so every mistake is reported in Spanish with
the key and the line to fix, and nothing half-read is ever used: a bad file stops the run
(exit code 2) instead of silently falling back to defaults.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pac_excel.deadline import OFFICIAL_CUTS, PUBLICATION_BUSINESS_DAYS
from pac_excel.errors import UsageError
from pac_excel.routine.config_messages import (
    MAX_NESTING,
    line_index,
    nesting_problem,
    syntax_message,
    type_name,
)
from pac_excel.routine.config_template import CONFIG_TEMPLATE, render_template, toml_string

__all__ = ["CONFIG_TEMPLATE", "render_template", "toml_string"]  # re-exported for callers

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

if TYPE_CHECKING:
    from pac_excel.check.semaforo import Thresholds


def _dafp_thresholds() -> Thresholds:
    """The DAFP semáforo limits; check brings pandas, so it is imported only when needed."""
    from pac_excel.check.semaforo import DAFP_THRESHOLDS

    return DAFP_THRESHOLDS


CONFIG_NAME = "pac-excel.toml"

SECURITY_CHOICES = ("starttls", "ssl", "ninguna")
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "ninguna": 25}

_TOP_KEYS = (
    "entidad",
    "programa",
    "correo",
    "areas",
    "semaforo",
    "componentes",
    "firmas",
    "cortes",
)
# [firmas]: who signs the publication files, each "Nombre – Cargo"; key -> role as printed.
SIGNATURE_ROLES = {"elaboro": "Elaboró", "reviso": "Revisó", "aprobo": "Aprobó"}
_MAIL_KEYS = (
    "para",
    "cc",
    "remitente",
    "servidor",
    "puerto",
    "seguridad",
    "usuario",
    "variable_clave",
)
_LIGHT_KEYS = ("rojo_bajo", "amarillo_bajo")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_ADDRESS_PART = r"[^\s@<>,;:\"()\[\]\\]"
_PLAIN_ADDRESS = re.compile(rf"{_ADDRESS_PART}+@{_ADDRESS_PART}+\.{_ADDRESS_PART}+")

MAX_COMPONENT = 9  # 1-6 the PAAC's, 7-9 an entity's own sections
_DAY_MONTH = re.compile(r"^(\d{1,2})/(\d{1,2})$")


@dataclass(frozen=True)
class Cuts:
    """The [cortes] section: follow-up cut dates (month, day) and the publication window."""

    dates: tuple[tuple[int, int], ...] = OFFICIAL_CUTS
    business_days: int = PUBLICATION_BUSINESS_DAYS


class ConfigError(UsageError):
    """The config file cannot be used (exit 2); ``str()`` is the Spanish message for the user."""


@dataclass(frozen=True)
class MailSettings:
    """The [correo] section: who gets the report and how it is sent."""

    to: tuple[str, ...] = ()
    cc: tuple[str, ...] = ()
    sender: str | None = None
    server: str | None = None
    port: int | None = None
    security: str = "starttls"
    user: str | None = None
    password_variable: str | None = None

    @property
    def effective_port(self) -> int:
        """The port given, or the usual one for the security chosen."""
        return self.port or DEFAULT_PORTS[self.security]


@dataclass(frozen=True)
class Config:
    """Everything a working folder configures; the defaults are what runs without a file."""

    entity: str | None = None
    mail: MailSettings = field(default_factory=MailSettings)
    thresholds: Thresholds = field(default_factory=_dafp_thresholds)
    components: Mapping[str, int | str] = field(default_factory=dict)
    path: Path | None = None
    lines: Mapping[str, int] = field(default_factory=dict)  # "correo.usuario" -> line number
    # [firmas]: role as printed ("Elaboró") -> "Nombre – Cargo", in the order of the form.
    signatures: Mapping[str, str] = field(default_factory=dict)
    program: str | None = None  # programa = "PTEP": every file is read as that program
    cuts: Cuts | None = None  # [cortes]: cut dates and publication window, when configured
    # [areas]: area name as the offices write it -> its addresses (routine.areas matches them).
    areas: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def where(self, key: str) -> str:
        """«pac-excel.toml, línea 12» for messages that point at a key."""
        name = self.path.name if self.path else CONFIG_NAME
        line = self.lines.get(key)
        return f"{name}, línea {line}" if line else name


DEFAULT_CONFIG: Config  # built on first use: `pac-excel iniciar` needs no pandas (check)
_DEFAULTS: list[Config] = []


def __getattr__(name: str) -> Config:
    if name != "DEFAULT_CONFIG":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    if not _DEFAULTS:
        _DEFAULTS.append(Config())
    return _DEFAULTS[0]


def load_config(path: Path) -> Config:
    """Read and validate ``path``; raise ConfigError with a message naming key and line."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"No se pudo leer {path}: {exc.strerror}.") from exc
    try:
        text = raw.decode("utf-8-sig")  # Notepad may add a BOM
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ConfigError(
            f"{path.name}, línea {line}: el archivo no está guardado como UTF-8. Ábralo en el "
            "Bloc de notas y use «Guardar como» con la codificación UTF-8."
        ) from exc
    deep = nesting_problem(text)
    if deep is not None:
        raise ConfigError(
            f"{path.name}, línea {deep}: hay listas o secciones dentro de otras más de "
            f"{MAX_NESTING} veces; pac-excel.toml solo usa listas simples como "
            '["director@entidad.gov.co"]. Compare la línea con el ejemplo que crea '
            "«pac-excel iniciar»."
        )
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(syntax_message(path, str(exc), text)) from exc
    except RecursionError as exc:  # nesting the count above could not see
        raise ConfigError(
            f"{path.name}: hay listas o secciones anidadas demasiado profundas."
        ) from exc
    return _Validator(path, text).config(data)


class _Validator:
    """Checks the parsed TOML against the known keys, pointing at lines in ``text``."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()
        self.found: dict[str, int] = {}
        self.index: dict[tuple[str | None, str | None], int] | None = None

    # Locating keys ------------------------------------------------------------------------

    def line_of(self, table: str | None, key: str | None = None) -> int | None:
        """1-based line of ``key`` in ``[table]`` (or of the table header), None if unsure."""
        if self.index is None:
            self.index = line_index(self.lines)
        return self.index.get((table, key))

    def fail(self, table: str | None, key: str | None, message: str) -> ConfigError:
        line = self.line_of(table, key)
        where = f"{self.path.name}, línea {line}" if line else self.path.name
        return ConfigError(f"{where}: {message}")

    def remember(self, table: str | None, key: str) -> None:
        line = self.line_of(table, key)
        if line:
            self.found[f"{table}.{key}" if table else key] = line

    # Checking values ----------------------------------------------------------------------

    def unknown(self, table: str | None, key: str, allowed: tuple[str, ...]) -> ConfigError:
        section = f" en [{table}]" if table else ""
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        hint = f" ¿Quiso decir «{close[0]}»?" if close else ""
        if key in ("clave", "contrasena", "contraseña", "password"):
            hint = (
                " La clave nunca se escribe en este archivo: guárdela en una variable de entorno "
                "y ponga su nombre en variable_clave."
            )
        return self.fail(
            table,
            key,
            f"la clave «{key}»{section} no existe.{hint} Claves válidas: {', '.join(allowed)}.",
        )

    def wrong_type(self, table: str | None, key: str, value: object, expected: str) -> ConfigError:
        section = f" en [{table}]" if table else ""
        return self.fail(
            table, key, f"«{key}»{section} debe ser {expected}, no {type_name(value)}."
        )

    def text(self, table: str | None, key: str, value: object, example: str) -> str | None:
        if not isinstance(value, str):
            raise self.wrong_type(table, key, value, f"un texto entre comillas ({example})")
        return value.strip() or None

    def addresses(self, table: str, key: str, value: object) -> tuple[str, ...]:
        example = 'una lista de correos, por ejemplo ["director@entidad.gov.co"]'
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise self.wrong_type(table, key, value, example)
        for item in items:
            self.single_line(table, key, item)
        result = tuple(i.strip() for i in items if i.strip())
        for address in result:
            self.address(table, key, address)
        return result

    def address(self, table: str, key: str, address: str) -> str:
        problem = address_problem(address)
        if problem:
            raise self.fail(table, key, f"«{address}» en «{key}» {problem}.")
        return address

    def single_line(self, table: str | None, key: str, value: object) -> None:
        """The raw value, before any trimming, holds no line break or control character."""
        if isinstance(value, str) and has_control(value):
            shown = " ".join(_CONTROL.sub(" ", value).split())
            raise self.fail(
                table,
                key,
                f"«{shown}» en «{key}» tiene un salto de línea o un carácter de control: debe "
                "ser una sola línea.",
            )

    def config(self, data: dict[str, Any]) -> Config:
        for key in data:
            if key not in _TOP_KEYS:
                raise self.unknown(None, key, _TOP_KEYS)
            self.remember(None, key)
        entity = None
        if "entidad" in data:
            entity = self.text(None, "entidad", data["entidad"], '"Gobernación del Putumayo"')
        mail = self.mail(self.table(data, "correo"))
        thresholds = self.thresholds(self.table(data, "semaforo"))
        components = self.components(self.table(data, "componentes"))
        signatures = self.signatures(self.table(data, "firmas"))
        program = None
        if "programa" in data:
            program = self.program(data["programa"])
        cuts = self.cuts(self.table(data, "cortes")) if "cortes" in data else None
        return Config(
            entity,
            mail,
            thresholds,
            components,
            self.path,
            dict(self.found),
            signatures=signatures,
            program=program,
            cuts=cuts,
            areas=self.areas(self.table(data, "areas")),
        )

    def areas(self, data: dict[str, Any]) -> dict[str, tuple[str, ...]]:
        result: dict[str, tuple[str, ...]] = {}
        for name, value in data.items():
            self.remember("areas", name)
            if not name.strip():
                raise self.fail("areas", name, "hay un nombre de dependencia vacío.")
            self.single_line("areas", name, name)
            addresses = self.addresses("areas", name, value)
            if addresses:
                result[name.strip()] = addresses
        return result

    def program(self, value: object) -> str:
        self.remember(None, "programa")
        text = self.text(None, "programa", value, '"PTEP"') or ""
        from pac_excel.normalize.programs import program_from_text  # normalize brings pandas

        try:
            program_from_text(text)
        except ValueError as exc:
            raise self.fail(None, "programa", str(exc)) from exc
        return text

    def cuts(self, data: dict[str, Any]) -> Cuts:
        allowed = ("fechas", "dias_habiles")
        for key in data:
            if key not in allowed:
                raise self.unknown("cortes", key, allowed)
            self.remember("cortes", key)
        dates: tuple[tuple[int, int], ...] = OFFICIAL_CUTS
        if "fechas" in data:
            dates = self.cut_dates(data["fechas"])
        days = PUBLICATION_BUSINESS_DAYS
        if "dias_habiles" in data:
            value = data["dias_habiles"]
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 60:
                raise self.wrong_type("cortes", "dias_habiles", value, "un número de 1 a 60")
            days = value
        return Cuts(dates, days)

    def cut_dates(self, value: object) -> tuple[tuple[int, int], ...]:
        example = '["30/04", "31/08", "31/12"]'
        if not isinstance(value, list) or not value:
            raise self.wrong_type("cortes", "fechas", value, f"una lista de días/mes: {example}")
        found: list[tuple[int, int]] = []
        for item in value:
            match = _DAY_MONTH.match(str(item).strip()) if isinstance(item, str) else None
            day, month = (int(match[1]), int(match[2])) if match else (0, 0)
            try:
                dt.date(2024, month, day)  # a leap year, so 29/02 is a valid cut
            except ValueError:
                raise self.fail(
                    "cortes", "fechas", f"«{item}» no es un día/mes válido; escriba {example}."
                ) from None
            found.append((month, day))
        return tuple(sorted(set(found)))

    def signatures(self, data: dict[str, Any]) -> dict[str, str]:
        allowed = tuple(SIGNATURE_ROLES)
        result: dict[str, str] = {}
        for key, value in data.items():
            if key not in SIGNATURE_ROLES:
                raise self.unknown("firmas", key, allowed)
            self.remember("firmas", key)
            text = self.text("firmas", key, value, '"Ana Pérez – Profesional de Control Interno"')
            if text and any(ch in text for ch in "\r\n\u2028\u2029"):
                raise self.fail("firmas", key, f"«{key}» debe ser una sola línea.")
            if text:
                result[SIGNATURE_ROLES[key]] = text
        return result

    def table(self, data: dict[str, Any], name: str) -> dict[str, Any]:
        value = data.get(name, {})
        if not isinstance(value, dict):
            raise self.fail(
                None,
                name,
                f"«{name}» debe ser una sección que empieza con la línea [{name}], no "
                f"{type_name(value)}.",
            )
        return value

    def mail(self, data: dict[str, Any]) -> MailSettings:
        for key in data:
            if key not in _MAIL_KEYS:
                raise self.unknown("correo", key, _MAIL_KEYS)
            self.remember("correo", key)
        t = "correo"
        to = self.addresses(t, "para", data.get("para", []))
        cc = self.addresses(t, "cc", data.get("cc", []))
        for key in ("remitente", "servidor", "usuario", "variable_clave"):
            self.single_line(t, key, data.get(key))
        sender = None
        if "remitente" in data:
            sender = self.text(
                t, "remitente", data["remitente"], '"control.interno@entidad.gov.co"'
            )
            if sender:
                self.address(t, "remitente", sender)
        server = None
        if "servidor" in data:
            server = self.text(t, "servidor", data["servidor"], '"smtp.entidad.gov.co"')
        port = data.get("puerto")
        if port is not None and (isinstance(port, bool) or not isinstance(port, int)):
            raise self.wrong_type(t, "puerto", port, "un número entero sin comillas (587 o 465)")
        if port is not None and not 0 < port < 65536:
            raise self.fail(
                t, "puerto", f"el puerto {port} no existe: use 587 (starttls) o 465 (ssl)."
            )
        security = data.get("seguridad", "starttls")
        if not isinstance(security, str):
            raise self.wrong_type(
                t, "seguridad", security, 'un texto: "starttls", "ssl" o "ninguna"'
            )
        security = security.strip().lower()
        if security not in SECURITY_CHOICES:
            raise self.fail(
                t,
                "seguridad",
                f'«seguridad» debe ser "starttls", "ssl" o "ninguna", no «{security}».',
            )
        user = None
        if "usuario" in data:
            user = self.text(t, "usuario", data["usuario"], '"control.interno@entidad.gov.co"')
        variable = None
        if "variable_clave" in data:
            variable = self.text(
                t, "variable_clave", data["variable_clave"], '"PAC_EXCEL_CLAVE_SMTP"'
            )
            if variable and not _ENV_NAME.match(variable):
                raise self.fail(
                    t,
                    "variable_clave",
                    f"«{variable}» no es un nombre de variable de entorno: use solo letras sin "
                    'tildes, números y _, por ejemplo "PAC_EXCEL_CLAVE_SMTP". La clave misma '
                    "nunca se escribe aquí.",
                )
        return MailSettings(to, cc, sender, server, port, security, user, variable)

    def thresholds(self, data: dict[str, Any]) -> Thresholds:
        for key in data:
            if key not in _LIGHT_KEYS:
                raise self.unknown("semaforo", key, _LIGHT_KEYS)
            self.remember("semaforo", key)
        values: dict[str, float] = {}
        dafp = _dafp_thresholds()
        defaults = {"rojo_bajo": dafp.red_below, "amarillo_bajo": dafp.yellow_below}
        for key, default in defaults.items():
            value = data.get(key, default)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise self.wrong_type(
                    "semaforo", key, value, "un número entre 0 y 1 sin comillas (0.60 es 60 %)"
                )
            if not 0 <= value <= 1:
                raise self.fail(
                    "semaforo",
                    key,
                    f"«{key}» debe estar entre 0 y 1 (0.60 es 60 %), no {value}.",
                )
            values[key] = float(value)
        if values["rojo_bajo"] > values["amarillo_bajo"]:
            raise self.fail(
                "semaforo",
                "rojo_bajo" if "rojo_bajo" in data else "amarillo_bajo",
                "«rojo_bajo» no puede ser mayor que «amarillo_bajo».",
            )
        from pac_excel.check.semaforo import Thresholds

        return Thresholds(red_below=values["rojo_bajo"], yellow_below=values["amarillo_bajo"])

    def components(self, data: dict[str, Any]) -> dict[str, int | str]:
        result: dict[str, int | str] = {}
        for name, number in data.items():
            self.remember("componentes", name)
            if isinstance(number, str) and number.strip() and not number.strip().isdigit():
                result[name.strip()] = number.strip()  # a component of the program, by name
                continue
            if isinstance(number, bool) or not isinstance(number, int):
                raise self.wrong_type(
                    "componentes",
                    name,
                    number,
                    "el número del componente sin comillas (1 a 6, o 7 en adelante para uno "
                    "nuevo) o el nombre de un componente del programa entre comillas",
                )
            if not 1 <= number <= MAX_COMPONENT:
                raise self.fail(
                    "componentes",
                    name,
                    f"«{name}» apunta al componente {number}, que no existe (use 1 a "
                    f"{MAX_COMPONENT}).",
                )
            if not name.strip():
                raise self.fail("componentes", name, "hay un nombre de componente vacío.")
            result[name.strip()] = number
        return result


def has_control(text: str) -> bool:
    """A line break (CR, LF, U+2028/U+2029) or another control character: never in a header."""
    return _CONTROL.search(text) is not None


def address_problem(text: str) -> str | None:
    """Why ``text`` is not one plain address (something@domain.tld), or None.

    The raw text is judged: a display name («Director <a@b.co>») could fake the sender shown,
    and two addresses or a line break in one entry would add recipients nobody listed.
    """
    if has_control(text):
        return "tiene un salto de línea o un carácter de control: escriba una sola dirección"
    if any(c in text for c in '<>"'):
        return (
            "tiene un nombre además de la dirección: escriba solo la dirección (por ejemplo "
            "director@entidad.gov.co)"
        )
    if text.count("@") > 1 or any(c in text for c in ",;"):
        return "tiene más de una dirección: escriba una dirección por entrada de la lista"
    if not _PLAIN_ADDRESS.fullmatch(text):
        return "no es una dirección de correo válida"
    return None


def is_address(text: str) -> bool:
    """A plausible single e-mail address: something@domain.tld, no spaces, names or lists."""
    return address_problem(text) is None
