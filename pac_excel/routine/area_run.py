"""area_run: ``pac-excel correo --por-area`` from the working folder to drafts (and sends).

The command's steps, kept out of cli.py: consolidate the inbox again without writing
anything, at the cut of the newest workbook when there is one (so the memos say what the
published workbook says), write the drafts, list the areas without an address, and with
``--enviar`` send them all and say, area by area, what happened.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

from pac_excel.errors import UsageError
from pac_excel.pipeline import consolidate
from pac_excel.routine.area_mail import (
    MISSING_LIST,
    AreaDraft,
    AreaOutcome,
    area_drafts,
    send_all,
)
from pac_excel.routine.config import Config
from pac_excel.routine.mail import (
    MailSetupError,
    SendError,
    newest_workbook,
    password_for,
    read_figures,
)
from pac_excel.routine.workspace import Workspace

Echo = Callable[..., None]


def run_area_mail(
    workspace: Workspace | None,
    config: Config,
    workbook: Path | None,
    *,
    send: bool,
    quiet: bool,
    echo: Echo,
    **send_options: object,
) -> list[AreaOutcome]:
    """Drafts for every area, then (``send``) every message; raises SendError (exit 3) after
    trying them all when one could not be sent."""
    if workspace is None:
        raise UsageError(
            "--por-area necesita una carpeta de trabajo (con pac-excel.toml y su sección "
            "[areas]): ejecútelo en ella o indíquela con --carpeta."
        )
    workbook = workbook or newest_workbook(workspace.outbox)
    cutoff = read_figures(workbook).cutoff if workbook is not None else None
    result = consolidate(
        [workspace.inbox], cutoff=cutoff, output_dir=None, config=config, history_store=False
    )
    if result.activities.empty:
        raise UsageError(f"no se encontró ninguna actividad en {workspace.inbox}.")
    settings = config.mail
    drafts, folder = area_drafts(result, config.areas, workspace.outbox, sender=settings.sender)
    _say_drafts(drafts, folder, echo, listed=not quiet or not send)
    if not send:
        return []
    if not settings.server or not settings.sender:
        raise MailSetupError(
            "Para enviar faltan «servidor» o «remitente» en la sección [correo] de "
            f"pac-excel.toml. Los borradores quedaron en {folder}."
        )
    password = password_for(settings, os.environ)
    outcomes = send_all(drafts, settings, password, **send_options)
    _say_outcomes(outcomes, echo)
    failed = [o for o in outcomes if not o.sent and o.recipients]
    if failed:
        raise SendError(
            f"No se pudo enviar el correo de {len(failed)} de {len(outcomes)} áreas (vea cada "
            f"una arriba); los borradores quedaron en {folder}."
        )
    return outcomes


def _say_drafts(drafts: Sequence[AreaDraft], folder: Path, echo: Echo, *, listed: bool) -> None:
    """Where the drafts are, each area's address, and the areas still without one."""
    if listed:
        echo(f"Borradores por área ({len(drafts)}): {folder}")
        for draft in drafts:
            to = ", ".join(draft.brief.addresses) or "sin correo"
            echo(f"  {draft.brief.area}: {to} → {draft.path.name}")
    missing = [d.brief.area for d in drafts if not d.brief.addresses]
    if missing:
        echo(
            f"Áreas sin correo en [areas] de pac-excel.toml ({len(missing)}; la lista queda en "
            f"{folder.name}{os.sep}{MISSING_LIST}): " + "; ".join(missing),
            err=True,
        )


def _say_outcomes(outcomes: Sequence[AreaOutcome], echo: Echo) -> None:
    for outcome in outcomes:
        if outcome.sent:
            note = f" ({outcome.reason})" if outcome.reason else ""
            echo(f"  Enviado: {outcome.area} → {', '.join(outcome.recipients)}{note}")
        else:
            echo(f"  No enviado: {outcome.area}: {outcome.reason}", err=True)
