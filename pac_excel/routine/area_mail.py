"""area_mail: one memo per responsible area (``pac-excel correo --por-area``), as drafts or sent.

Each area gets an .eml draft in ``salida/correos_por_area_AAAA-MM-DD/``: what it had to
deliver by the cut, what is missing, the evidence it must send (Sin soporte and the
contradictions), the evidence already on record and its next deliveries, in the wording of
an OCI memo. Areas with no address in ``[areas]`` get their draft too (without recipient) and
are listed in ``areas_sin_correo.txt`` beside the drafts, so the user can add them. Sending
reuses routine.mail (headers, server, errors): every area is tried, one failure never stops
the others, and the drafts stay whatever happens.

``correo`` runs in a process of its own, after consolidar. It consolidates the working
folder's inbox again, without writing anything, at the cut of the newest workbook: the
workbook holds neither the deliveries nor the areas' split nor the evidence addresses in a
form that can be read back safely, and the inputs are the record the workbook was made from.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

from pac_excel.result import Consolidation
from pac_excel.routine.areas import AreaBrief, AreaItem, area_briefs
from pac_excel.routine.config import MailSettings
from pac_excel.routine.mail import SendError, deliver, draft_message, header_text
from pac_excel.text import strip_accents

FOLDER_PREFIX = "correos_por_area_"
MISSING_LIST = "areas_sin_correo.txt"
OFFICE = "Oficina de Control Interno"
_UNSAFE = re.compile(r"[^A-Za-z0-9]+")
MAX_NAME = 60  # characters of an area's file name


@dataclass(frozen=True)
class AreaDraft:
    """One area's message and where its draft was written."""

    brief: AreaBrief
    message: EmailMessage
    path: Path


@dataclass(frozen=True)
class AreaOutcome:
    """What happened when sending one area's message."""

    area: str
    sent: bool
    recipients: tuple[str, ...] = ()
    reason: str = ""  # Spanish: why it was not sent


def subject(result: Consolidation, brief: AreaBrief) -> str:
    cut = f"corte {result.cutoff:%d/%m/%Y}"
    return header_text(
        f"Seguimiento {result.program} {cut} – {brief.area}: entregas y evidencias pendientes"
    )


def body(result: Consolidation, brief: AreaBrief) -> str:
    """The memo in Spanish: the facts first, then what is asked and by when."""
    entity = brief.entity or ", ".join(result.entities) or "la entidad"
    cut = f"{result.cutoff:%d/%m/%Y}"
    lines = [
        "MEMORANDO",
        "",
        f"Para: {brief.area}",
        f"De: {OFFICE}",
        f"Asunto: Seguimiento al {result.program_name}, corte al {cut}",
        "",
        f"Respetado(a) responsable de {brief.area}:",
        "",
        (
            f"En desarrollo del seguimiento que la {OFFICE} realiza al {result.program_name} "
            f"de {entity}, con corte al {cut}, le informo el estado de las actividades a cargo "
            "de su dependencia según el reporte consolidado."
        ),
    ]
    items = brief.items
    sections: list[tuple[str, list[str]]] = [
        (
            "Entregas programadas hasta el corte",
            [f"{i.label}: {i.delivered}" for i in items if i.delivered],
        ),
        (
            "Lo que falta",
            [f"{i.label}: {'; '.join(i.missing)}" for i in items if i.missing],
        ),
        (
            "Evidencias que debe enviar",
            [f"{i.label}. {' '.join(i.evidence_asked)}" for i in items if i.evidence_asked],
        ),
        (
            "Evidencias registradas (enlaces)",
            [f"{i.label}: {', '.join(i.links)}" for i in items if i.links],
        ),
        ("Próximas entregas", _next(items)),
    ]
    for number, (title, entries) in enumerate(sections, 1):
        lines += ["", f"{number}. {title}"]
        lines += [f"- {entry}" for entry in entries] or ["- Ninguna."]
    lines += [
        "",
        (
            "Le solicito remitir a esta Oficina los soportes de lo pendiente (documentos o "
            "enlaces a la carpeta compartida) y reportar el avance de lo que falta, para "
            "verificarlo en el seguimiento. Si alguna actividad no corresponde a su "
            "dependencia, por favor infórmelo."
        ),
        "",
        "Cordialmente,",
        "",
        OFFICE,
    ]
    return "\n".join(lines) + "\n"


def _next(items: Sequence[AreaItem]) -> list[str]:
    dated = sorted((i.next_date, i.label) for i in items if i.next_date is not None)
    return [f"{day:%d/%m/%Y}: {label}" for day, label in dated]


def build_area_message(
    result: Consolidation,
    brief: AreaBrief,
    *,
    sender: str | None = None,
    now: dt.datetime | None = None,
) -> EmailMessage:
    """The memo as an e-mail draft (X-Unsent: 1) to the area's addresses, if any."""
    return draft_message(
        subject(result, brief), body(result, brief), to=brief.addresses, sender=sender, now=now
    )


def drafts_folder(outbox: Path, cutoff: dt.date) -> Path:
    return outbox / f"{FOLDER_PREFIX}{cutoff:%Y-%m-%d}"


def file_stem(brief: AreaBrief, several_entities: bool) -> str:
    """A file name every system accepts: ASCII letters and digits joined by "_"."""
    name = f"{brief.entity} {brief.area}" if several_entities and brief.entity else brief.area
    stem = _UNSAFE.sub("_", strip_accents(name)).strip("_")[:MAX_NAME].rstrip("_")
    return stem or "area"


def write_area_drafts(
    result: Consolidation,
    briefs: Sequence[AreaBrief],
    folder: Path,
    *,
    sender: str | None = None,
) -> list[AreaDraft]:
    """Write one draft per area (each file replaced whole, never left half-written), and the
    list of areas without an address; returns the drafts in area order."""
    folder.mkdir(parents=True, exist_ok=True)
    several = len({b.entity for b in briefs}) > 1
    drafts: list[AreaDraft] = []
    used: set[str] = set()
    for brief in briefs:
        stem = file_stem(brief, several)
        name, n = stem, 1
        while name.casefold() in used:
            n += 1
            name = f"{stem}_{n}"
        used.add(name.casefold())
        message = build_area_message(result, brief, sender=sender)
        path = folder / f"{name}.eml"
        _replace(path, message.as_bytes(policy=SMTP))
        drafts.append(AreaDraft(brief, message, path))
    missing = [b for b in briefs if not b.addresses]
    listing = folder / MISSING_LIST
    if missing:
        text = (
            "Áreas sin correo en [areas] de pac-excel.toml. Agregue una línea por área, por "
            'ejemplo: "Secretaría de Planeación" = "planeacion@entidad.gov.co"\r\n\r\n'
            + "".join(f'"{b.area}" = ""\r\n' for b in missing)
        )
        _replace(listing, text.encode("utf-8-sig"))  # Notepad reads UTF-8 with its BOM
    elif listing.exists():
        listing.unlink()  # every area has an address now: an old list would mislead
    return drafts


def _replace(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def send_all(
    drafts: Sequence[AreaDraft],
    settings: MailSettings,
    password: str | None,
    **options: object,
) -> list[AreaOutcome]:
    """Send every draft that has recipients; each failure is recorded and the next is tried.
    ``options`` go to routine.mail.deliver (tests pass their TLS context and timeout)."""
    outcomes: list[AreaOutcome] = []
    for draft in drafts:
        area = draft.brief.area
        if not draft.brief.addresses:
            outcomes.append(AreaOutcome(area, False, reason="no tiene correo en [areas]"))
            continue
        try:
            delivery = deliver(draft.message, settings, password, **options)  # type: ignore[arg-type]
        except SendError as exc:
            outcomes.append(AreaOutcome(area, False, draft.brief.addresses, str(exc)))
            continue
        refused = ", ".join(delivery.refused)
        outcomes.append(
            AreaOutcome(
                area,
                True,
                tuple(delivery.accepted),
                f"el servidor rechazó a {refused}" if refused else "",
            )
        )
    return outcomes


def area_drafts(
    result: Consolidation,
    configured: Mapping[str, tuple[str, ...]],
    outbox: Path,
    *,
    sender: str | None = None,
) -> tuple[list[AreaDraft], Path]:
    """Briefs, drafts and their folder for one consolidation."""
    briefs = area_briefs(result, configured)
    folder = drafts_folder(outbox, result.cutoff)
    return write_area_drafts(result, briefs, folder, sender=sender), folder
