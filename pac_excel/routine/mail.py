"""mail: the e-mail that carries the consolidated workbook, as a draft (.eml) or sent by SMTP.

The draft is the safe default: double-clicking an .eml with ``X-Unsent: 1`` opens it in Outlook
as a new message, so the user reads and sends it as usual. Sending goes through the entity's
own server; the password comes only from an environment variable, so it never sits in the
config file, the command history or a scheduled task's arguments.

The figures in the body come from the run when it is at hand (``result_figures``); ``pac-excel
correo`` runs in a process of its own, after consolidar, so it reads them back from the
workbook attached (``read_figures``), which also describes a file written by an earlier run.
Either way they are the same numbers: the sheet and column names come from the writer.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import smtplib
import socket
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate, make_msgid, parseaddr
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from pac_excel.check.labels import ALERT_SEPARATOR, ALERTS, NO_COMPONENT
from pac_excel.deadline import publication_deadline
from pac_excel.errors import PacExcelError, UsageError
from pac_excel.routine.config import MailSettings
from pac_excel.write.book import SHEET_ACTIVITIES, SHEET_SUMMARY
from pac_excel.write.sheets.summary import CUTOFF_LABEL, DEADLINE_LABEL
from pac_excel.write.sheets.tables import ACTIVITY_HEADERS

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook

    from pac_excel.result import Consolidation

XLSX_MAINTYPE = "application"
XLSX_SUBTYPE = "vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WORKBOOK_GLOB = "seguimiento_p[at][ae][cp]_*.xlsx"  # PAAC and PTEP workbooks
PTEP_SHORT = "PTEP"
PTEP_NAME = "Programa de Transparencia y Ética Pública"
SEND_TIMEOUT = 30.0  # seconds: an unreachable server must not hang a scheduled task

_DATE_IN_NAME = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
# The Actividades columns the figures need, by their frame field.
_FIGURE_FIELDS = ("entity", "component_label", "compliance", "alerts")
_OVERDUE = ALERTS["vencida"]
# C0/C1 controls (CR, LF, tab, ...) and the Unicode line/paragraph separators.
_NOT_IN_HEADER = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")

# One activity as the body counts it: entity, component label, compliance, overdue.
_Activity = tuple[str, str, float | None, bool]


class MailSetupError(UsageError):
    """Something needed to send is not configured (exit code 2); the message says what."""


class SendError(PacExcelError):
    """The message could not be sent (exit code 3); the message says why and what to do."""

    exit_code = 3


@dataclass(frozen=True)
class ComponentFigures:
    """One component's line in the body."""

    label: str
    activities: int
    overdue: int
    compliance: float | None


@dataclass(frozen=True)
class WorkbookFigures:
    """What the e-mail body says about one consolidated workbook."""

    entities: list[str]
    cutoff: dt.date | None
    activities: int
    overdue: int
    compliance: float | None  # mean over activities with a value
    components: list[ComponentFigures] = field(default_factory=list)
    program: str = "PAAC"  # short name: the subject says it
    program_name: str = "Plan Anticorrupción y de Atención al Ciudadano"
    stated_deadline: dt.date | None = None  # as Resumen or the run states it ([cortes])

    @property
    def deadline(self) -> dt.date | None:
        if self.stated_deadline is not None:
            return self.stated_deadline
        return publication_deadline(self.cutoff) if self.cutoff else None


class NotAWorkbookError(MailSetupError):
    """The file is not a workbook pac-excel wrote."""


def newest_workbook(folder: Path) -> Path | None:
    """The most recently written consolidated workbook in ``folder``."""
    if not folder.is_dir():
        return None
    found = [p for p in folder.glob(WORKBOOK_GLOB) if p.is_file() and not p.name.startswith(".")]
    return max(found, key=lambda p: (p.stat().st_mtime, p.name), default=None)


def result_figures(result: Consolidation) -> WorkbookFigures:
    """The body's figures straight from a run, without reading its workbook back."""
    acts = result.activities
    compliance = acts["compliance"].astype("Float64")
    activities: list[_Activity] = [
        (
            "" if pd.isna(entity) else str(entity),
            NO_COMPONENT if pd.isna(label) or not label else str(label),
            None if pd.isna(value) else float(value),
            bool(overdue),
        )
        for entity, label, value, overdue in zip(
            acts["entity"], acts["component_label"], compliance, acts["alert_vencida"], strict=True
        )
    ]
    figures = _figures(activities, result.cutoff)
    deadline = publication_deadline(result.cutoff, result.publication_days)
    return replace(
        figures,
        program=result.program,
        program_name=result.program_name,
        stated_deadline=deadline,
    )


def read_figures(path: Path) -> WorkbookFigures:
    """Count activities, vencidas and cumplimiento from the Actividades sheet of ``path``."""
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a file that is not a workbook
        raise NotAWorkbookError(
            f"No se pudo abrir {path} como libro de Excel: está dañado o no es un libro."
        ) from exc
    try:
        if SHEET_ACTIVITIES not in workbook.sheetnames:
            raise NotAWorkbookError(
                f"{path.name} no es un libro consolidado de pac-excel (no tiene la hoja "
                f"{SHEET_ACTIVITIES})."
            )
        rows = workbook[SHEET_ACTIVITIES].iter_rows(values_only=True)
        header = [str(c) if c is not None else "" for c in next(rows, ())]
        needed = [ACTIVITY_HEADERS[name] for name in _FIGURE_FIELDS]
        if not all(name in header for name in needed):
            raise NotAWorkbookError(
                f"{path.name} no es un libro consolidado de pac-excel (la hoja "
                f"{SHEET_ACTIVITIES} no tiene las columnas esperadas)."
            )
        entity, component, compliance, alerts = (header.index(name) for name in needed)
        cutoff = _cutoff_from_summary(workbook) or _cutoff_from_name(path)
        stated = _cutoff_from_summary(workbook, DEADLINE_LABEL)
        activities: list[_Activity] = []
        for row in rows:
            cells = list(row) + [None] * (len(header) - len(row))
            if all(cells[i] is None for i in (entity, component, compliance, alerts)):
                continue  # the placeholder row of an empty table
            value = cells[compliance]
            activities.append(
                (
                    str(cells[entity] or ""),
                    str(cells[component] or NO_COMPONENT),
                    float(value) if isinstance(value, (int, float)) else None,
                    _OVERDUE in str(cells[alerts] or "").split(ALERT_SEPARATOR),
                )
            )
    finally:
        workbook.close()
    figures = replace(_figures(activities, cutoff), stated_deadline=stated)
    if path.name.lower().startswith("seguimiento_ptep_"):
        return replace(figures, program=PTEP_SHORT, program_name=PTEP_NAME)
    return figures


def _figures(activities: Sequence[_Activity], cutoff: dt.date | None) -> WorkbookFigures:
    by_component: dict[str, list[tuple[float | None, bool]]] = {}
    for _entity, component, compliance, overdue in activities:
        by_component.setdefault(component, []).append((compliance, overdue))
    components = [
        ComponentFigures(
            label,
            len(items),
            sum(o for _, o in items),
            _mean([c for c, _ in items]),
        )
        for label, items in sorted(by_component.items(), key=lambda kv: _component_order(kv[0]))
    ]
    return WorkbookFigures(
        entities=list(dict.fromkeys(e for e, _, _, _ in activities if e)),
        cutoff=cutoff,
        activities=len(activities),
        overdue=sum(o for _, _, _, o in activities),
        compliance=_mean([c for _, _, c, _ in activities]),
        components=components,
    )


def _component_order(label: str) -> tuple[int, str]:
    match = re.match(r"\s*(\d+)", label)
    return (int(match.group(1)) if match else 99, label)


def _mean(values: Sequence[float | None]) -> float | None:
    numbers = [v for v in values if v is not None]
    return sum(numbers) / len(numbers) if numbers else None


def _cutoff_from_summary(workbook: Workbook, label: str = CUTOFF_LABEL) -> dt.date | None:
    """The date beside ``label`` («Fecha de corte») in Resumen, wherever that row is."""
    if SHEET_SUMMARY not in workbook.sheetnames:
        return None
    sheet = workbook[SHEET_SUMMARY]
    for row in sheet.iter_rows(max_row=60, max_col=4, values_only=True):
        for found, value in itertools.pairwise(row):
            if found == label:
                if isinstance(value, dt.datetime):
                    return value.date()
                if isinstance(value, dt.date):
                    return value
    return None


def _cutoff_from_name(path: Path) -> dt.date | None:
    match = _DATE_IN_NAME.search(path.stem)
    if not match:
        return None
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def _pct(value: float | None) -> str:
    return "sin dato" if value is None else f"{value:.0%}".replace("%", " %")


def header_text(value: str) -> str:
    """``value`` on one line: line breaks (Alt+Enter in a cell, U+2028) and control characters
    become spaces, so a header built from a file or the config can never break the message."""
    return " ".join(_NOT_IN_HEADER.sub(" ", value).split())


def subject(figures: WorkbookFigures) -> str:
    """Asunto: what and when, so the director finds it in the inbox."""
    parts = [f"Seguimiento {figures.program}"]
    if figures.entities:
        parts.append(", ".join(figures.entities))
    if figures.cutoff:
        parts.append(f"corte {figures.cutoff:%d/%m/%Y}")
    return header_text(" – ".join(parts))


def body(figures: WorkbookFigures, attachment: str) -> str:
    """The Spanish text of the e-mail: the cut in a few lines, the detail in the workbook."""
    entity = ", ".join(figures.entities) or "la entidad"
    cut = f" con corte al {figures.cutoff:%d/%m/%Y}" if figures.cutoff else ""
    lines = [
        "Buen día:",
        "",
        (
            f"Adjunto el seguimiento de la Oficina de Control Interno al {figures.program_name} "
            f"de {entity}{cut}."
        ),
        "",
        "Resumen del corte:",
        f"- Actividades: {figures.activities}",
        f"- Cumplimiento promedio (por actividad): {_pct(figures.compliance)}",
        f"- Actividades vencidas: {figures.overdue}",
    ]
    if figures.deadline:
        lines.append(
            f"- Fecha límite de publicación: {figures.deadline:%d/%m/%Y} (décimo día hábil "
            "después del corte)"
        )
    if figures.components:
        lines += ["", "Por componente:"]
        for comp in figures.components:
            lines.append(
                f"- {comp.label}: {comp.overdue} de {comp.activities} actividades vencidas, "
                f"cumplimiento promedio {_pct(comp.compliance)}"
            )
    lines += [
        "",
        (
            "El detalle por actividad, las alertas y los problemas encontrados en los archivos "
            f"están en el libro adjunto ({attachment})."
        ),
        "",
        "Cordialmente,",
        "",
        "Oficina de Control Interno",
    ]
    return "\n".join(lines) + "\n"


def draft_message(
    subject_line: str,
    text: str,
    *,
    to: Sequence[str] = (),
    cc: Sequence[str] = (),
    sender: str | None = None,
    now: dt.datetime | None = None,
) -> EmailMessage:
    """A plain-text e-mail marked as a draft (X-Unsent: 1), every header on one line."""
    message = EmailMessage()
    sender = header_text(sender or "") or None
    if sender:
        message["From"] = sender
    if to:
        message["To"] = ", ".join(header_text(a) for a in to)
    if cc:
        message["Cc"] = ", ".join(header_text(a) for a in cc)
    message["Subject"] = header_text(subject_line)
    when = now or dt.datetime.now().astimezone()
    message["Date"] = formatdate(when.timestamp(), localtime=True)
    domain = parseaddr(sender or "")[1].rpartition("@")[2] or "pac-excel.local"
    message["Message-ID"] = make_msgid(domain=domain)  # no DNS lookup of this machine's name
    message["X-Unsent"] = "1"  # Outlook opens the .eml as a new message ready to send
    message.set_content(text)
    return message


def build_message(
    workbook: Path,
    figures: WorkbookFigures,
    *,
    to: Sequence[str],
    cc: Sequence[str] = (),
    sender: str | None = None,
    now: dt.datetime | None = None,
) -> EmailMessage:
    """The e-mail with the workbook attached, marked as a draft (X-Unsent: 1)."""
    message = draft_message(
        subject(figures), body(figures, workbook.name), to=to, cc=cc, sender=sender, now=now
    )
    message.add_attachment(
        workbook.read_bytes(), maintype=XLSX_MAINTYPE, subtype=XLSX_SUBTYPE, filename=workbook.name
    )
    return message


def write_draft(message: EmailMessage, workbook: Path) -> Path:
    """Save ``message`` as ``<workbook>.eml`` beside the workbook, with CRLF line ends."""
    path = workbook.with_suffix(".eml")
    path.write_bytes(message.as_bytes(policy=SMTP))
    return path


def password_for(settings: MailSettings, environ: Mapping[str, str]) -> str | None:
    """The SMTP password from the environment variable the config names (None: no login)."""
    if not settings.user:
        return None
    if not settings.password_variable:
        raise MailSetupError(
            "En [correo] está «usuario» pero falta «variable_clave»: indique el nombre de la "
            "variable de entorno que guarda la clave, por ejemplo variable_clave = "
            '"PAC_EXCEL_CLAVE_SMTP".'
        )
    password = environ.get(settings.password_variable)
    if not password:
        name = settings.password_variable
        raise SendError(
            f"Falta la clave del correo: la variable de entorno {name} no está definida. "
            f'Defínala antes de enviar (en PowerShell: $env:{name} = "su clave"; en el '
            f"Símbolo del sistema: set {name}=su clave) y vuelva a ejecutar."
        )
    return password


def check_ready(settings: MailSettings, message: EmailMessage) -> None:
    """Everything sending needs is there, or MailSetupError saying which key to fill in."""
    missing = []
    if not settings.server:
        missing.append("servidor")
    if not settings.sender:
        missing.append("remitente")
    if not message["To"]:
        missing.append("para")
    if missing:
        names = [f"«{k}»" for k in missing]
        keys = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " y " + names[-1]
        verb = "falta" if len(names) == 1 else "faltan"
        raise MailSetupError(
            f"Para enviar {verb} {keys} en la sección [correo] de pac-excel.toml (los "
            "destinatarios también se pueden dar con --para)."
        )


@dataclass(frozen=True)
class Delivery:
    """Who the server took the message for, and who it refused (the others still got it)."""

    accepted: list[str]
    refused: list[str] = field(default_factory=list)


def send(
    message: EmailMessage,
    settings: MailSettings,
    password: str | None,
    *,
    context: ssl.SSLContext | None = None,
    timeout: float = SEND_TIMEOUT,
) -> list[str]:
    """Send ``message`` (see ``deliver``); returns the recipients the server accepted."""
    return deliver(message, settings, password, context=context, timeout=timeout).accepted


def deliver(
    message: EmailMessage,
    settings: MailSettings,
    password: str | None,
    *,
    context: ssl.SSLContext | None = None,
    timeout: float = SEND_TIMEOUT,
) -> Delivery:
    """Send ``message`` (without its draft mark) through the configured server.

    Returns who got it and who was refused when the server took it for some recipients
    only; raises SendError with a Spanish explanation when nobody got it. ``context``
    replaces the system's certificate store (tests use their own authority).
    """
    host, port = settings.server or "", settings.effective_port
    where = f"{host}:{port}"
    outgoing = _without_draft_mark(message)
    recipients = _addresses(outgoing)
    step = "conectar"
    try:
        tls = context or ssl.create_default_context()
        client: smtplib.SMTP
        if settings.security == "ssl":
            client = smtplib.SMTP_SSL(host, port, timeout=timeout, context=tls)
        else:
            client = smtplib.SMTP(host, port, timeout=timeout)
        with client:
            if settings.security == "starttls":
                step = "starttls"
                client.starttls(context=tls)
            if settings.user:
                step = "login"
                client.login(settings.user, password or "")
            step = "enviar"
            refused = client.send_message(outgoing, from_addr=settings.sender, to_addrs=recipients)
    except (smtplib.SMTPException, ssl.SSLError, OSError) as exc:
        raise _send_error(exc, where, host, step, settings, timeout) from exc
    return Delivery([r for r in recipients if r not in refused], sorted(refused))


def _send_error(
    exc: Exception, where: str, host: str, step: str, settings: MailSettings, timeout: float
) -> SendError:
    """What went wrong while sending, in Spanish and saying what to do."""
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return SendError(
            f"El servidor {where} rechazó el usuario o la clave ({_reply(exc)}). Revise "
            f"«usuario» en pac-excel.toml y la clave guardada en {settings.password_variable}."
        )
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        if step == "starttls":
            return SendError(
                f"El servidor {where} no ofrece conexión segura STARTTLS. Pregunte a sistemas "
                'si debe usar seguridad = "ssl" (normalmente con puerto = 465).'
            )
        return SendError(
            f"El servidor {where} no pide usuario ni clave: quite «usuario» y «variable_clave» "
            "de pac-excel.toml."
        )
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        names = ", ".join(exc.recipients)
        return SendError(f"El servidor {where} rechazó los destinatarios: {names}.")
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return SendError(
            f"El servidor {where} rechazó el remitente {settings.sender} ({_reply(exc)}). "
            "Revise «remitente» en pac-excel.toml."
        )
    if isinstance(exc, smtplib.SMTPResponseException):
        return SendError(f"El servidor {where} respondió con un error: {_reply(exc)}.")
    if isinstance(exc, smtplib.SMTPException):
        return SendError(
            f"Se perdió la conexión con el servidor {where} ({exc}). Vuelva a intentarlo."
        )
    if isinstance(exc, ssl.SSLCertVerificationError):
        return SendError(
            f"El certificado del servidor {where} no es de confianza ({exc.verify_message}). "
            "Revise el nombre del servidor o pida a sistemas que instale el certificado."
        )
    if isinstance(exc, ssl.SSLError):
        return SendError(
            f"No se pudo establecer la conexión segura con {where} ({exc.reason}). Use "
            'seguridad = "starttls" con el puerto 587, o seguridad = "ssl" con el 465.'
        )
    if isinstance(exc, socket.gaierror):
        return SendError(
            f"No se encontró el servidor de correo «{host}». Revise «servidor» en "
            "pac-excel.toml y la conexión a la red."
        )
    if isinstance(exc, TimeoutError):
        return SendError(
            f"El servidor de correo {where} no respondió en {timeout:.0f} segundos. Revise "
            "«servidor» y «puerto» en pac-excel.toml y la conexión a la red."
        )
    if isinstance(exc, ConnectionRefusedError):
        return SendError(
            f"El servidor de correo {where} rechazó la conexión (¿puerto equivocado o servidor "
            "apagado?). Revise «servidor» y «puerto» en pac-excel.toml."
        )
    if isinstance(exc, OSError):
        return SendError(
            f"No se pudo conectar con el servidor de correo {where}: "
            f"{exc.strerror or exc}. Revise la conexión a la red."
        )
    return SendError(f"No se pudo enviar el correo por {where}: {exc}.")


def _addresses(message: EmailMessage) -> list[str]:
    found: list[str] = []
    for header in ("To", "Cc"):
        value = message.get(header)
        if value:
            found += [a.addr_spec for a in value.addresses]
    return found


def _reply(exc: smtplib.SMTPResponseException) -> str:
    text = (
        exc.smtp_error.decode("utf-8", "replace")
        if isinstance(exc.smtp_error, bytes)
        else str(exc.smtp_error)
    )
    return f"{exc.smtp_code} {text}".strip()


def _without_draft_mark(message: EmailMessage) -> EmailMessage:
    """A copy to send: the X-Unsent mark only makes sense in the .eml file."""
    import copy

    outgoing = copy.deepcopy(message)
    del outgoing["X-Unsent"]
    return outgoing
