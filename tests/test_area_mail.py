"""``pac-excel correo --por-area``: one memo per area, read back with ``email``, and sent
through an aiosmtpd server on 127.0.0.1 that refuses one area's recipient."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope
from click.testing import CliRunner
from evidence_fixtures import AREAS, DRIVE, PUBLISHED, REFUSED, build_folder
from test_mail import free_port

from pac_excel.cli import cli
from pac_excel.routine.config import ConfigError, MailSettings, load_config, render_template
from pac_excel.routine.mail import deliver

DRAFTS = Path("salida") / "correos_por_area_2020-04-30"
SENDER = "control.interno@entidad.gov.co"


@dataclass
class RefusingInbox:
    """Keeps what it receives; refuses RCPT for the addresses in ``refuse`` with 550."""

    refuse: set[str]
    envelopes: list[Envelope] = field(default_factory=list)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Envelope, address: str, options: Any
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 Buzón inexistente"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Envelope) -> str:
        self.envelopes.append(envelope)
        return "250 Recibido"

    def messages(self) -> dict[str, EmailMessage]:
        """Delivered messages by recipient."""
        found: dict[str, EmailMessage] = {}
        for envelope in self.envelopes:
            assert isinstance(envelope.content, bytes)
            parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
            assert isinstance(parsed, EmailMessage)
            for rcpt in envelope.rcpt_tos:
                found[rcpt] = parsed
        return found


@contextmanager
def refusing_server(refuse: set[str]) -> Iterator[tuple[RefusingInbox, int]]:
    inbox = RefusingInbox(refuse)
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def run(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args), env={"PAC_EXCEL_CLAVE_SMTP": None})


def read(path: Path) -> EmailMessage:
    parsed = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def section(body: str, title: str) -> list[str]:
    """The "- " lines under the numbered heading ``title``."""
    lines = body.splitlines()
    start = next(i for i, line in enumerate(lines) if line.endswith(f". {title}"))
    found: list[str] = []
    for line in lines[start + 1 :]:
        if not line.startswith("- "):
            break
        found.append(line[2:])
    return found


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = build_folder(tmp_path)
    monkeypatch.chdir(root)
    done = run("consolidar", "-q")
    assert done.exit_code == 0, done.output
    return root


def test_one_draft_per_area_with_what_it_owes(folder: Path) -> None:
    result = run("correo", "--por-area")
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in DRAFTS.glob("*.eml"))
    assert names == [
        "Oficina_de_Prensa_y_Comunicaciones.eml",
        "Oficina_de_Sistemas.eml",
        "Secretaria_General.eml",
        "Secretaria_de_Planeacion.eml",
    ]
    planning = read(DRAFTS / "Secretaria_de_Planeacion.eml")
    assert planning["To"] == AREAS["Secretaria de Planeacion"]  # found without the accents
    assert planning["From"] == SENDER
    assert planning["X-Unsent"] == "1"
    assert planning["Subject"] == (
        "Seguimiento PAAC corte 30/04/2020 – Secretaría de Planeación: entregas y evidencias "
        "pendientes"
    )
    assert not planning.is_multipart()  # a memo: the workbook goes with the director's mail
    text = planning.get_content().replace("\r\n", "\n")  # the draft has CRLF line ends
    assert text.startswith("MEMORANDO\n\nPara: Secretaría de Planeación\nDe: Oficina de Control")
    due = section(text, "Entregas programadas hasta el corte")
    assert [line.split(" (fila")[0] for line in due] == [
        "[1.1] Socializar la política de riesgos",
        "[1.2] Publicar el mapa de riesgos de corrupción",
    ]
    links = section(text, "Evidencias registradas (enlaces)")
    assert links[0].endswith(f": {DRIVE}") and links[1].endswith(f": {PUBLISHED}")
    asked = section(text, "Evidencias que debe enviar")
    assert len(asked) == 1 and "Fecha posterior al corte: La fecha de seguimiento" in asked[0]


def test_the_evidence_asked_for_and_the_next_deliveries(folder: Path) -> None:
    assert run("correo", "--por-area").exit_code == 0
    systems = read(DRAFTS / "Oficina_de_Sistemas.eml").get_content().replace("\r\n", "\n")
    (asked_systems,) = section(systems, "Evidencias que debe enviar")
    assert asked_systems.startswith("[2.1] Racionalizar el trámite de paz y salvo")
    assert "Sin soporte: Reporta avance sin enlace" in asked_systems
    assert "Cumplida sin evidencia: El avance reportado es 100 %" in asked_systems
    assert section(systems, "Próximas entregas") == [
        "30/06/2020: [2.2] Habilitar el pago en línea (fila 11, hoja Seguimiento PAAC, "
        + "seguimiento_alcaldia_2020.xlsx)"
    ]
    general = read(DRAFTS / "Secretaria_General.eml").get_content().replace("\r\n", "\n")
    missing = section(general, "Lo que falta")
    assert missing[0].startswith("[3.1] Realizar la audiencia de rendición")
    assert "Enviar evidencia de la entrega del 31/03/2020" in missing[0]


def test_areas_without_an_address_are_listed(folder: Path) -> None:
    result = run("correo", "--por-area")
    assert result.exit_code == 0, result.output
    press = read(DRAFTS / "Oficina_de_Prensa_y_Comunicaciones.eml")
    assert press["To"] is None  # no address in [areas]: the draft is there to complete
    listing = (DRAFTS / "areas_sin_correo.txt").read_text(encoding="utf-8-sig")
    assert '"Oficina de Prensa y Comunicaciones" = ""' in listing
    assert "Áreas sin correo en [areas] de pac-excel.toml (1" in result.stderr
    assert "Oficina de Prensa y Comunicaciones" in result.stderr


def test_send_goes_on_after_a_refused_area_and_reports_it(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with refusing_server({REFUSED}) as (inbox, port):
        text = (folder / "pac-excel.toml").read_text(encoding="utf-8")
        (folder / "pac-excel.toml").write_text(
            text.replace("puerto = 25", f"puerto = {port}"), encoding="utf-8"
        )
        result = run("correo", "--por-area", "--enviar")
    assert result.exit_code == 3, result.output
    delivered = inbox.messages()
    assert sorted(delivered) == ["general@entidad.gov.co", "planeacion@entidad.gov.co"]
    assert delivered["general@entidad.gov.co"]["Subject"].endswith(
        "Secretaría General: entregas y evidencias pendientes"
    )
    assert delivered["general@entidad.gov.co"]["X-Unsent"] is None  # the mark is for drafts
    assert "Enviado: Secretaría de Planeación → planeacion@entidad.gov.co" in result.stdout
    assert "Enviado: Secretaría General → general@entidad.gov.co" in result.stdout
    assert f"No enviado: Oficina de Sistemas: El servidor 127.0.0.1:{port} rechazó los " in (
        result.stderr
    )
    assert REFUSED in result.stderr
    assert "No enviado: Oficina de Prensa y Comunicaciones: no tiene correo en [areas]" in (
        result.stderr
    )
    assert "No se pudo enviar el correo de 1 de 4 áreas" in result.stderr
    assert len(list(DRAFTS.glob("*.eml"))) == 4  # the drafts stay


def test_partial_refusal_is_reported_not_hidden() -> None:
    message = EmailMessage()
    message["From"] = SENDER
    message["To"] = f"planeacion@entidad.gov.co, {REFUSED}"
    message["Subject"] = "Prueba"
    message.set_content("Hola")
    with refusing_server({REFUSED}) as (inbox, port):
        settings = MailSettings(sender=SENDER, server="127.0.0.1", port=port, security="ninguna")
        delivery = deliver(message, settings, None, timeout=10)
    assert delivery.accepted == ["planeacion@entidad.gov.co"]
    assert delivery.refused == [REFUSED]
    assert list(inbox.messages()) == ["planeacion@entidad.gov.co"]


def test_para_with_por_area_is_a_usage_error(folder: Path) -> None:
    result = run("correo", "--por-area", "--para", "x@entidad.gov.co")
    assert result.exit_code == 2
    assert "--para y --cc no se usan con --por-area" in result.output


def test_areas_section_is_checked_and_templated(tmp_path: Path) -> None:
    path = tmp_path / "pac-excel.toml"
    path.write_text(render_template("Alcaldía"), encoding="utf-8")
    assert "[areas]" in path.read_text(encoding="utf-8")
    assert load_config(path).areas == {}
    path.write_text(
        '[areas]\n"Planeación" = ["a@entidad.gov.co", "b@entidad.gov.co"]\n'
        '"Sistemas" = "Jefe <s@entidad.gov.co>"\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert str(error.value).startswith("pac-excel.toml, línea 3: «Jefe <s@entidad.gov.co>»")
    path.write_text('[areas]\n"Planeación" = ["a@entidad.gov.co", "b@entidad.gov.co"]\n')
    assert load_config(path).areas == {"Planeación": ("a@entidad.gov.co", "b@entidad.gov.co")}
