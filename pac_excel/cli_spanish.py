"""cli_spanish: click speaking Spanish, its own strings included ("Usage:", "Options:").

Importing this module routes click's gettext calls through ``CLICK_SPANISH``; it must happen
before any click decorator runs, so ``cli`` imports it first.
"""

from __future__ import annotations

from typing import Any

import click
import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.termui
import click.types

# click translates through gettext; these are its English strings (8.1-8.x) in Spanish.
CLICK_SPANISH: dict[str, str] = {
    "Usage:": "Uso:",
    "Options": "Opciones",
    "Commands": "Comandos",
    "Positional arguments": "Argumentos",
    "Show this message and exit.": "Muestra esta ayuda y termina.",
    "Show the version and exit.": "Muestra la versión y termina.",
    "%(prog)s, version %(version)s": "%(prog)s, versión %(version)s",
    "Error: {message}": "Error: {message}",
    "Try '{command} {option}' for help.": "Use «{command} {option}» para ver la ayuda.",
    "Missing command.": "Falta el comando (iniciar, consolidar, historial o correo).",
    "No such command {name!r}.": "No existe el comando {name!r}.",
    "No such option: {name}": "No existe la opción {name}.",
    "No such option {name!r}.": "No existe la opción {name!r}.",
    "Did you mean {possibility}?": "¿Quiso decir {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(¿Quiso decir una de estas: {possibilities}?)",
    "Got unexpected extra argument ({args})": "Sobra el argumento ({args})",
    "Got unexpected extra arguments ({args})": "Sobran los argumentos ({args})",
    "Option {name!r} requires an argument.": "La opción {name!r} necesita un valor.",
    "Option {name!r} requires {nargs} arguments.": "La opción {name!r} necesita {nargs} valores.",
    "{name} option requires an argument": "La opción {name} necesita un valor",
    "Option {name!r} does not take a value.": "La opción {name!r} no lleva valor.",
    "Invalid value for {param_hint}: {message}": "Valor no válido para {param_hint}: {message}",
    "Invalid value: {message}": "Valor no válido: {message}",
    "Missing argument": "Falta el argumento",
    "Missing option": "Falta la opción",
    "Missing parameter": "Falta el parámetro",
    "Missing parameter: {param_name}": "Falta el parámetro: {param_name}",
    "Aborted!": "Cancelado.",
    "default: {default}": "por defecto: {default}",
    "required": "obligatorio",
    "env var: {var}": "variable de entorno: {var}",
    "file": "archivo",
    "directory": "carpeta",
    "path": "ruta",
    "{name} {filename!r} does not exist.": "{name} {filename!r} no existe.",
    "{name} {filename!r} is a file.": "{name} {filename!r} es un archivo, no una carpeta.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} es una carpeta, no un archivo.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} no se puede leer.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} no se puede escribir.",
    "Value must be an iterable.": "El valor debe ser una lista.",
}


def _spanish(message: str) -> str:
    return CLICK_SPANISH.get(message, message)


def _spanish_plural(singular: str, plural: str, n: int) -> str:
    return _spanish(singular if n == 1 else plural)


def _install_spanish() -> None:
    """Route click's gettext calls through CLICK_SPANISH; must run before any decorator."""
    modules = (
        click.core,
        click.decorators,
        click.exceptions,
        click.formatting,
        click.parser,
        click.termui,
        click.types,
    )
    for module in modules:
        names = vars(module)
        if "_" in names:
            names["_"] = _spanish
        if "ngettext" in names:
            names["ngettext"] = _spanish_plural


_install_spanish()


class SpanishCommand(click.Command):
    """A command whose usage line says [OPCIONES]."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[OPCIONES]")
        super().__init__(*args, **kwargs)


class SpanishGroup(click.Group):
    """The top command: Spanish usage line, commands in the order of the routine."""

    command_class = SpanishCommand

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[OPCIONES]")
        kwargs.setdefault("subcommand_metavar", "COMANDO [ARGUMENTOS]...")
        super().__init__(*args, **kwargs)

    def list_commands(self, ctx: click.Context) -> list[str]:
        """In the order of the routine (iniciar, consolidar, correo), not alphabetical."""
        return list(self.commands)
