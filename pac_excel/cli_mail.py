"""cli_mail: what `pac-excel correo` does once its options are read (the draft, the sending).

Kept apart from cli so the command module stays a thin click layer; the mail modules are
imported by cli only when the command runs, never at start-up.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pac_excel.errors import UsageError
from pac_excel.pipeline import DEFAULT_OUTPUT
from pac_excel.routine.config import Config
from pac_excel.routine.mail import (
    MailSetupError,
    SendError,
    build_message,
    check_ready,
    newest_workbook,
    password_for,
    read_figures,
    send,
    write_draft,
)
from pac_excel.routine.workspace import Workspace
from pac_excel.write.faults import disk_reason


def run_correo(
    libro: Path | None,
    para: tuple[str, ...],
    cc: tuple[str, ...],
    workspace: Workspace | None,
    config: Config,
    *,
    send_now: bool,
    by_area: bool,
    quiet: bool,
    echo: Callable[..., Any],
) -> None:
    """Write the draft next to ``libro`` (default: the newest workbook of salida\\) and,
    with ``send_now``, send it; ``by_area`` writes one message per responsible area instead."""
    if by_area:
        if para or cc:
            raise UsageError(
                "--para y --cc no se usan con --por-area: cada área recibe su correo en las "
                "direcciones de [areas] de pac-excel.toml."
            )
        from pac_excel.routine.area_run import run_area_mail

        run_area_mail(workspace, config, libro, send=send_now, quiet=quiet, echo=echo)
        return
    folder = workspace.outbox if workspace else DEFAULT_OUTPUT
    if libro is None:
        libro = newest_workbook(folder)
        if libro is None:
            raise UsageError(
                f"no hay ningún libro consolidado en {folder}: ejecute primero "
                "pac-excel consolidar."
            )
    elif not libro.is_file():
        raise UsageError(f"no existe el libro {libro}.")
    settings = config.mail
    to = para or settings.to
    copy = cc or settings.cc
    figures = read_figures(libro)
    message = build_message(libro, figures, to=to, cc=copy, sender=settings.sender)
    try:
        draft = write_draft(message, libro)
    except OSError as exc:
        raise UsageError(
            f"no se pudo escribir el borrador junto a {libro}: {disk_reason(exc, libro.parent)}."
        ) from exc
    if not quiet or not send_now:
        echo(f"Borrador escrito: {draft} (ábralo con doble clic para revisarlo y enviarlo)")
    if not quiet and not to and not send_now:
        echo(
            "Nota: el borrador no tiene destinatarios: agréguelos al abrirlo, con --para o en "
            "«para» de pac-excel.toml.",
            err=True,
        )
    if not send_now:
        return
    try:
        check_ready(settings, message)
        password = password_for(settings, os.environ)
        send(message, settings, password)
    except (MailSetupError, SendError) as exc:  # the same kind of error, saying what is left
        raise type(exc)(f"{exc} No se envió nada; el borrador quedó en {draft}.") from exc
    copies = f" (con copia a {', '.join(copy)})" if copy else ""
    echo(f"Correo enviado a {', '.join(to)}{copies}.")
