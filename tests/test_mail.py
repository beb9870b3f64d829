"""The e-mail: the .eml draft, and sending through a real SMTP server on 127.0.0.1.

The server is aiosmtpd, started inside each test on a free loopback port. Covered: plain
delivery ("ninguna"), AUTH accepted and refused (``auth_require_tls=False`` so AUTH works
without TLS), STARTTLS and implicit SSL with a certificate from a throwaway authority
(trustme), an untrusted certificate, a server without STARTTLS, an unreachable port and a
missing password; the CLI cases check exit codes 0/2/3 and that the draft is always written.
"""

from __future__ import annotations

import email
import email.policy
import shutil
import socket
import ssl
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword
from click.testing import CliRunner
from conftest import SEED_SAMPLE, make_workbook

from pac_excel.cli import cli
from pac_excel.pipeline import consolidate
from pac_excel.routine.config import MailSettings
from pac_excel.routine.mail import (
    XLSX_SUBTYPE,
    MailSetupError,
    NotAWorkbookError,
    SendError,
    build_message,
    check_ready,
    newest_workbook,
    password_for,
    read_figures,
    result_figures,
    send,
    write_draft,
)

# aiosmtpd itself touches its own deprecated Session.login_data after a successful AUTH.
pytestmark = pytest.mark.filterwarnings(
    "ignore:Session.login_data is deprecated:DeprecationWarning"
)

WORKBOOK_NAME = "seguimiento_paac_2020-04-30.xlsx"
USER, PASSWORD = "oci@entidad.gov.co", "clave-de-prueba"


# A real SMTP server on loopback ------------------------------------------------------------


@dataclass
class Inbox:
    """aiosmtpd handler that keeps what it receives."""

    envelopes: list[Envelope] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Envelope) -> str:
        self.envelopes.append(envelope)
        return "250 Recibido"

    def message(self) -> EmailMessage:
        assert len(self.envelopes) == 1
        content = self.envelopes[0].content
        assert isinstance(content, bytes)
        parsed = email.message_from_bytes(content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed


def check_login(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
        USER.encode(),
        PASSWORD.encode(),
    )
    return AuthResult(success=ok, handled=False)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def smtp_server(**options: Any) -> Iterator[tuple[Inbox, int]]:
    """An SMTP server on 127.0.0.1 for the duration of the block: (inbox, port)."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, **options)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture(scope="module")
def authority() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="module")
def server_tls(authority: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    return context


@pytest.fixture(scope="module")
def client_tls(authority: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context()
    authority.configure_trust(context)
    return context


# The workbook ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built_workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One real consolidated workbook (the Putumayo seed at 30/04/2020), built once."""
    out = tmp_path_factory.mktemp("libro")
    result = consolidate([SEED_SAMPLE], output_dir=out)
    assert result.output is not None
    return result.output


@pytest.fixture
def workbook(built_workbook: Path, tmp_path: Path) -> Path:
    target = tmp_path / WORKBOOK_NAME
    shutil.copy(built_workbook, target)
    return target


def settings(port: int, **changes: Any) -> MailSettings:
    values: dict[str, Any] = {
        "to": ("director@entidad.gov.co",),
        "cc": ("publicaciones@entidad.gov.co",),
        "sender": "control.interno@entidad.gov.co",
        "server": "127.0.0.1",
        "port": port,
        "security": "ninguna",
    }
    values.update(changes)
    return MailSettings(**values)


def message_for(workbook: Path, mail: MailSettings) -> EmailMessage:
    return build_message(
        workbook, read_figures(workbook), to=mail.to, cc=mail.cc, sender=mail.sender
    )


def attachment_of(message: EmailMessage) -> tuple[str | None, str, bytes]:
    parts = list(message.iter_attachments())
    assert len(parts) == 1
    part = parts[0]
    assert isinstance(part, EmailMessage)
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return part.get_filename(), part.get_content_type(), payload


# Figures and draft -------------------------------------------------------------------------


def test_figures_are_read_back_from_the_workbook(workbook: Path) -> None:
    figures = read_figures(workbook)
    assert figures.activities == 19
    assert figures.entities == ["GOBERNACIÓN DEL PUTUMAYO"]
    assert str(figures.cutoff) == "2020-04-30"
    assert str(figures.deadline) == "2020-05-15"
    assert figures.overdue == sum(c.overdue for c in figures.components)
    assert sum(c.activities for c in figures.components) == 19
    assert figures.compliance is not None and 0 < figures.compliance <= 1
    assert [c.label[:2] for c in figures.components] == sorted(
        c.label[:2] for c in figures.components
    )


def test_figures_from_the_run_equal_those_read_back(tmp_path: Path) -> None:
    """With the run at hand the body needs no reading back, and says the same."""
    result = consolidate([SEED_SAMPLE], output_dir=tmp_path)
    assert result.output is not None
    figures = result_figures(result)
    assert figures == read_figures(result.output)
    assert figures.overdue == result.overdue_count > 0


def test_draft_eml_has_the_workbook_and_the_summary(workbook: Path) -> None:
    mail = settings(25)
    draft = write_draft(message_for(workbook, mail), workbook)
    assert draft == workbook.with_suffix(".eml")
    raw = draft.read_bytes()
    assert b"\r\n" in raw  # .eml files are CRLF, as Outlook writes them
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    assert message["X-Unsent"] == "1"
    assert message["From"] == "control.interno@entidad.gov.co"
    assert message["To"] == "director@entidad.gov.co"
    assert message["Cc"] == "publicaciones@entidad.gov.co"
    assert message["Subject"] == "Seguimiento PAAC – GOBERNACIÓN DEL PUTUMAYO – corte 30/04/2020"
    assert message["Date"] and message["Message-ID"].endswith("@entidad.gov.co>")
    body = message.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    figures = read_figures(workbook)
    assert "con corte al 30/04/2020" in text
    assert "- Actividades: 19" in text
    assert f"- Actividades vencidas: {figures.overdue}" in text
    assert "- Fecha límite de publicación: 15/05/2020" in text
    assert "Cumplimiento promedio (por actividad): " in text
    first = figures.components[0]
    assert f"- {first.label}: {first.overdue} de {first.activities} actividades vencidas" in text
    name, kind, payload = attachment_of(message)
    assert (name, kind) == (WORKBOOK_NAME, f"application/{XLSX_SUBTYPE}")
    assert payload == workbook.read_bytes()


def test_draft_without_sender_or_recipients_still_opens(workbook: Path) -> None:
    message = build_message(workbook, read_figures(workbook), to=[])
    assert message["From"] is None and message["To"] is None
    assert message["Message-ID"].endswith("@pac-excel.local>")


def test_not_a_pac_excel_workbook(tmp_path: Path) -> None:
    other = make_workbook(tmp_path / "otro.xlsx", {"Hoja1": [["a", "b"]]})
    with pytest.raises(NotAWorkbookError, match="no es un libro consolidado de pac-excel"):
        read_figures(other)
    (tmp_path / "roto.xlsx").write_bytes(b"nada")
    with pytest.raises(NotAWorkbookError, match="No se pudo abrir"):
        read_figures(tmp_path / "roto.xlsx")


def test_newest_workbook(tmp_path: Path) -> None:
    import os

    assert newest_workbook(tmp_path / "no-existe") is None
    old = tmp_path / "seguimiento_paac_2020-04-30.xlsx"
    new = tmp_path / "seguimiento_paac_2020-04-30 (2).xlsx"
    for path in (old, new, tmp_path / "otro.xlsx"):
        path.write_bytes(b"x")
    os.utime(old, (1_000, 1_000))
    os.utime(new, (2_000, 2_000))
    assert newest_workbook(tmp_path) == new


def test_password_only_from_the_environment() -> None:
    assert password_for(MailSettings(), {}) is None
    with_user = MailSettings(user=USER, password_variable="CLAVE_X")
    assert password_for(with_user, {"CLAVE_X": "s"}) == "s"
    with pytest.raises(SendError, match="la variable de entorno CLAVE_X no está definida"):
        password_for(with_user, {})
    with pytest.raises(MailSetupError, match="falta «variable_clave»"):
        password_for(MailSettings(user=USER), {"CLAVE_X": "s"})


def test_check_ready_names_the_missing_keys(workbook: Path) -> None:
    message = build_message(workbook, read_figures(workbook), to=[])
    with pytest.raises(MailSetupError, match="faltan «servidor», «remitente» y «para»"):
        check_ready(MailSettings(), message)


# Sending -----------------------------------------------------------------------------------


def test_send_plain_and_check_what_arrives(workbook: Path) -> None:
    with smtp_server() as (inbox, port):
        mail = settings(port)
        sent = send(message_for(workbook, mail), mail, None)
    assert sent == ["director@entidad.gov.co", "publicaciones@entidad.gov.co"]
    envelope = inbox.envelopes[0]
    assert envelope.mail_from == "control.interno@entidad.gov.co"
    assert envelope.rcpt_tos == sent
    received = inbox.message()
    assert received["X-Unsent"] is None  # the draft mark stays in the .eml only
    assert received["Subject"] == "Seguimiento PAAC – GOBERNACIÓN DEL PUTUMAYO – corte 30/04/2020"
    assert received["To"] == "director@entidad.gov.co"
    assert received["Cc"] == "publicaciones@entidad.gov.co"
    name, kind, payload = attachment_of(received)
    assert (name, kind) == (WORKBOOK_NAME, f"application/{XLSX_SUBTYPE}")
    assert payload == workbook.read_bytes()


def test_send_with_login(workbook: Path) -> None:
    with smtp_server(authenticator=check_login, auth_require_tls=False) as (inbox, port):
        mail = settings(port, user=USER, password_variable="CLAVE")
        send(message_for(workbook, mail), mail, PASSWORD)
    assert len(inbox.envelopes) == 1


def test_refused_login(workbook: Path) -> None:
    with smtp_server(authenticator=check_login, auth_require_tls=False) as (inbox, port):
        mail = settings(port, user=USER, password_variable="CLAVE")
        with pytest.raises(SendError, match="rechazó el usuario o la clave \\(535"):
            send(message_for(workbook, mail), mail, "otra")
    assert inbox.envelopes == []


def test_unreachable_server(workbook: Path) -> None:
    mail = settings(free_port())
    with pytest.raises(SendError, match="rechazó la conexión"):
        send(message_for(workbook, mail), mail, None, timeout=5)


def test_starttls_with_login(
    workbook: Path, server_tls: ssl.SSLContext, client_tls: ssl.SSLContext
) -> None:
    options = {"tls_context": server_tls, "require_starttls": True, "authenticator": check_login}
    with smtp_server(**options) as (inbox, port):
        mail = settings(port, security="starttls", user=USER, password_variable="CLAVE")
        send(message_for(workbook, mail), mail, PASSWORD, context=client_tls)
    assert attachment_of(inbox.message())[2] == workbook.read_bytes()


def test_implicit_ssl(
    workbook: Path, server_tls: ssl.SSLContext, client_tls: ssl.SSLContext
) -> None:
    options = {"ssl_context": server_tls, "authenticator": check_login, "auth_require_tls": False}
    with smtp_server(**options) as (inbox, port):
        mail = settings(port, security="ssl", user=USER, password_variable="CLAVE")
        send(message_for(workbook, mail), mail, PASSWORD, context=client_tls)
    assert len(inbox.envelopes) == 1


def test_untrusted_certificate(workbook: Path, server_tls: ssl.SSLContext) -> None:
    with smtp_server(tls_context=server_tls, require_starttls=True) as (inbox, port):
        mail = settings(port, security="starttls")
        untrusted = ssl.create_default_context(cafile=None)
        untrusted.load_verify_locations(cadata=trustme.CA().cert_pem.bytes().decode())
        with pytest.raises(SendError, match="no es de confianza"):
            send(message_for(workbook, mail), mail, None, context=untrusted)
    assert inbox.envelopes == []


def test_server_without_starttls(workbook: Path) -> None:
    with smtp_server() as (_inbox, port):
        mail = settings(port, security="starttls")
        with pytest.raises(SendError, match="no ofrece conexión segura STARTTLS"):
            send(message_for(workbook, mail), mail, None)


# The command -------------------------------------------------------------------------------

CONFIG = """\
entidad = "Gobernación del Putumayo"
[correo]
para = ["director@entidad.gov.co"]
cc = ["publicaciones@entidad.gov.co"]
remitente = "control.interno@entidad.gov.co"
servidor = "127.0.0.1"
puerto = {port}
seguridad = "{security}"
{login}
"""
LOGIN = 'usuario = "oci@entidad.gov.co"\nvariable_clave = "PAC_EXCEL_CLAVE_SMTP"'


@pytest.fixture
def folder(built_workbook: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder (the current directory) with one workbook in salida/."""
    (tmp_path / "entrada").mkdir()
    (tmp_path / "salida").mkdir()
    shutil.copy(built_workbook, tmp_path / "salida" / WORKBOOK_NAME)
    monkeypatch.chdir(tmp_path)
    write_config(tmp_path, port=25)
    return tmp_path


def write_config(root: Path, port: int, security: str = "ninguna", login: str = "") -> None:
    text = CONFIG.format(port=port, security=security, login=login)
    (root / "pac-excel.toml").write_text(text, encoding="utf-8")


def run(*args: str, env: Mapping[str, str | None] | None = None) -> Any:
    base: dict[str, str | None] = {"PAC_EXCEL_CLAVE_SMTP": None}
    return CliRunner().invoke(cli, list(args), env={**base, **(env or {})})


DRAFT = Path("salida") / "seguimiento_paac_2020-04-30.eml"


def test_correo_writes_the_draft_of_the_newest_workbook(folder: Path) -> None:
    result = run("correo")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Borrador escrito: {DRAFT} (ábralo con doble clic")
    message = email.message_from_bytes(DRAFT.read_bytes(), policy=email.policy.default)
    assert message["X-Unsent"] == "1"
    assert message["To"] == "director@entidad.gov.co"


def test_correo_para_replaces_the_config(folder: Path) -> None:
    result = run("correo", "--para", "a@entidad.gov.co; b@entidad.gov.co", "--cc", "c@x.co")
    assert result.exit_code == 0, result.output
    message = email.message_from_bytes(DRAFT.read_bytes(), policy=email.policy.default)
    assert (message["To"], message["Cc"]) == ("a@entidad.gov.co, b@entidad.gov.co", "c@x.co")


def test_correo_bad_address_is_a_usage_error(folder: Path) -> None:
    result = run("correo", "--para", "director")
    assert result.exit_code == 2
    assert "«director» no es una dirección de correo válida" in result.stderr


def test_correo_without_workbook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("correo")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: no hay ningún libro consolidado en output: ejecute primero pac-excel consolidar.\n"
    )


def test_correo_explicit_workbook_outside_a_folder(
    workbook: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("correo", str(workbook))
    assert result.exit_code == 0, result.output
    assert workbook.with_suffix(".eml").exists()
    assert "el borrador no tiene destinatarios" in result.stderr


def test_correo_enviar(folder: Path) -> None:
    with smtp_server() as (inbox, port):
        write_config(folder, port)
        result = run("correo", "--enviar")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == (
        "Correo enviado a director@entidad.gov.co (con copia a publicaciones@entidad.gov.co)."
    )
    assert attachment_of(inbox.message())[2] == (folder / "salida" / WORKBOOK_NAME).read_bytes()
    assert DRAFT.exists()


def test_correo_enviar_starttls_with_login(
    folder: Path, server_tls: ssl.SSLContext, authority: trustme.CA, tmp_path: Path
) -> None:
    ca_file = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(ca_file))
    options = {"tls_context": server_tls, "require_starttls": True, "authenticator": check_login}
    with smtp_server(**options) as (inbox, port):
        write_config(folder, port, "starttls", LOGIN)
        # The system's certificate store, pointed at the test authority.
        env = {"PAC_EXCEL_CLAVE_SMTP": PASSWORD, "SSL_CERT_FILE": str(ca_file)}
        result = run("correo", "--enviar", env=env)
    assert result.exit_code == 0, result.output
    assert len(inbox.envelopes) == 1


def test_correo_enviar_refused_login_exits_3(folder: Path) -> None:
    with smtp_server(authenticator=check_login, auth_require_tls=False) as (inbox, port):
        write_config(folder, port, login=LOGIN)
        result = run("correo", "--enviar", env={"PAC_EXCEL_CLAVE_SMTP": "equivocada"})
    assert result.exit_code == 3
    assert result.stderr.startswith(
        f"Error: El servidor 127.0.0.1:{port} rechazó el usuario o la clave (535"
    )
    assert f"No se envió nada; el borrador quedó en {DRAFT}." in result.stderr
    assert DRAFT.exists() and inbox.envelopes == []


def test_correo_enviar_unreachable_exits_3(folder: Path) -> None:
    port = free_port()
    write_config(folder, port)
    result = run("correo", "--enviar")
    assert result.exit_code == 3
    assert f"El servidor de correo 127.0.0.1:{port} rechazó la conexión" in result.stderr
    assert DRAFT.exists()


def test_correo_enviar_missing_password_exits_3(folder: Path) -> None:
    with smtp_server(authenticator=check_login, auth_require_tls=False) as (inbox, port):
        write_config(folder, port, login=LOGIN)
        result = run("correo", "--enviar")
    assert result.exit_code == 3
    assert "la variable de entorno PAC_EXCEL_CLAVE_SMTP no está definida" in result.stderr
    assert DRAFT.exists() and inbox.envelopes == []


def test_correo_enviar_without_server_exits_2(folder: Path) -> None:
    (folder / "pac-excel.toml").write_text('[correo]\npara = ["d@x.co"]\n', encoding="utf-8")
    result = run("correo", "--enviar")
    assert result.exit_code == 2
    assert "Para enviar faltan «servidor» y «remitente»" in result.stderr
    assert DRAFT.exists()


def test_correo_bad_config_exits_2(folder: Path) -> None:
    (folder / "pac-excel.toml").write_text("[correo]\npuerto = '587'\n", encoding="utf-8")
    result = run("correo")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: pac-excel.toml, línea 2: «puerto» en [correo]")
    assert not DRAFT.exists()
