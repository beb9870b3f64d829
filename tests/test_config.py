"""pac-excel.toml: the template loads, every mistake names its key and line in Spanish."""

from __future__ import annotations

from pathlib import Path

import pytest

from pac_excel.check.figures import DAFP_THRESHOLDS, Thresholds
from pac_excel.routine.config import (
    DEFAULT_CONFIG,
    ConfigError,
    MailSettings,
    load_config,
    render_template,
)

FULL = """\
entidad = "Gobernación del Putumayo"
[correo]
para = ["director@entidad.gov.co"]
cc = []
remitente = "control.interno@entidad.gov.co"
servidor = "smtp.entidad.gov.co"
puerto = 587
seguridad = "starttls"          # "starttls", "ssl" o "ninguna" (solo para pruebas locales)
usuario = "control.interno@entidad.gov.co"
variable_clave = "PAC_EXCEL_CLAVE_SMTP"   # nombre de la variable de entorno con la clave

[semaforo]
rojo_bajo = 0.5
amarillo_bajo = 0.75

[componentes]
"Participación Ciudadana" = 3
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "pac-excel.toml"
    path.write_text(text, encoding="utf-8")
    return path


def error_of(tmp_path: Path, text: str) -> str:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text))
    return str(caught.value)


def test_the_issue_example_loads(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, FULL))
    assert config.entity == "Gobernación del Putumayo"
    assert config.mail == MailSettings(
        to=("director@entidad.gov.co",),
        cc=(),
        sender="control.interno@entidad.gov.co",
        server="smtp.entidad.gov.co",
        port=587,
        security="starttls",
        user="control.interno@entidad.gov.co",
        password_variable="PAC_EXCEL_CLAVE_SMTP",
    )
    assert config.thresholds == Thresholds(red_below=0.5, yellow_below=0.75)
    assert config.components == {"Participación Ciudadana": 3}
    assert config.where("correo.usuario") == "pac-excel.toml, línea 9"


def test_template_loads_as_the_defaults(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, render_template()))
    assert config.entity is None
    assert config.mail == MailSettings(port=587)
    assert config.thresholds == DAFP_THRESHOLDS
    assert config.components == {}
    assert config.mail.effective_port == 587


def test_template_with_an_entity_that_needs_escaping(tmp_path: Path) -> None:
    name = 'Alcaldía de "San Juan" \\ Norte'
    assert load_config(write(tmp_path, render_template(name))).entity == name


def test_empty_file_is_the_default(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, ""))
    assert (config.entity, config.mail, config.thresholds) == (
        DEFAULT_CONFIG.entity,
        DEFAULT_CONFIG.mail,
        DEFAULT_CONFIG.thresholds,
    )


def test_default_port_follows_security(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, '[correo]\nseguridad = "SSL"\n'))
    assert (config.mail.security, config.mail.effective_port) == ("ssl", 465)


def test_notepad_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "pac-excel.toml"
    path.write_bytes(b"\xef\xbb\xbfentidad = 'X'\n")
    assert load_config(path).entity == "X"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'entidad = "X"\n[correo]\nservidr = "smtp"\n',
            (
                "pac-excel.toml, línea 3: la clave «servidr» en [correo] no existe. ¿Quiso "
                "decir «servidor»?"
            ),
        ),
        ('entidad = "X"\nentidades = "Y"\n', "línea 2: la clave «entidades» no existe."),
        (
            '[correo]\n\npuerto = "587"\n',
            (
                "pac-excel.toml, línea 3: «puerto» en [correo] debe ser un número entero sin "
                "comillas (587 o 465), no un texto."
            ),
        ),
        ("[correo]\npuerto = 70000\n", "línea 2: el puerto 70000 no existe"),
        ("[correo]\npuerto = true\n", "línea 2: «puerto» en [correo] debe ser un número entero"),
        (
            '[correo]\npara = "director"\n',
            "línea 2: «director» en «para» no es una dirección de correo válida.",
        ),
        ("[correo]\ncc = [1, 2]\n", "línea 2: «cc» en [correo] debe ser una lista de correos"),
        ('[correo]\nseguridad = "tls"\n', 'línea 2: «seguridad» debe ser "starttls", "ssl"'),
        (
            '[correo]\nclave = "secreta"\n',
            (
                "línea 2: la clave «clave» en [correo] no existe. La clave nunca se escribe en "
                "este archivo"
            ),
        ),
        (
            '[correo]\nvariable_clave = "mi clave 123"\n',
            "línea 2: «mi clave 123» no es un nombre de variable de entorno",
        ),
        (
            "entidad = 5\n",
            (
                "pac-excel.toml, línea 1: «entidad» debe ser un texto entre comillas "
                '("Gobernación del Putumayo"), no un número entero.'
            ),
        ),
        (
            '[semaforo]\nrojo_bajo = "60%"\n',
            "línea 2: «rojo_bajo» en [semaforo] debe ser un número",
        ),
        ("[semaforo]\nrojo_bajo = 60\n", "línea 2: «rojo_bajo» debe estar entre 0 y 1"),
        (
            "[semaforo]\nrojo_bajo = 0.9\namarillo_bajo = 0.8\n",
            "línea 2: «rojo_bajo» no puede ser mayor que «amarillo_bajo».",
        ),
        ("[semaforo]\nverde = 0.9\n", "línea 2: la clave «verde» en [semaforo] no existe."),
        (
            '[componentes]\n"Participación" = 12\n',
            "línea 2: «Participación» apunta al componente 12, que no existe (use 1 a 9).",
        ),
        (
            '[componentes]\nOtros = "3"\n',
            "línea 2: «Otros» en [componentes] debe ser el número del componente sin comillas",
        ),
        ('correo = "smtp"\n', "línea 1: «correo» debe ser una sección que empieza con la línea"),
        (
            'entidad = "X"\npuerto 587\n',
            "pac-excel.toml, línea 2: falta el signo = entre la clave y el valor.",
        ),
        ("entidad = Gobernación\n", "línea 1: el valor no es válido (¿faltan comillas"),
        ('entidad = "X"\nentidad = "Y"\n', "línea 2: la clave está repetida."),
        ('[correo]\npara = ["a@b.co"\n', "pac-excel.toml, línea 2: falta cerrar la lista con ]"),
    ],
)
def test_mistakes_name_key_and_line(tmp_path: Path, text: str, expected: str) -> None:
    assert expected in error_of(tmp_path, text)


def test_not_utf8_says_how_to_save(tmp_path: Path) -> None:
    path = tmp_path / "pac-excel.toml"
    path.write_bytes('entidad = "X"\n# Gobernación\n'.encode("cp1252"))
    with pytest.raises(ConfigError, match="línea 2: el archivo no está guardado como UTF-8"):
        load_config(path)


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="No se pudo leer"):
        load_config(tmp_path / "no-existe.toml")
