"""result: what one consolidation returns, to the CLI, to the writer and to a notebook user."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pac_excel.check.labels import ALERTS, alert_column
from pac_excel.check.semaforo import DAFP_THRESHOLDS, Thresholds
from pac_excel.problems import Problem, Severity

PAAC_SHORT = "PAAC"
PAAC_NAME = "Plan Anticorrupción y de Atención al Ciudadano"


@dataclass(frozen=True)
class FileProgram:
    """The program one file was read as, and in Spanish why (normalize.choice decides)."""

    file: str
    short: str  # "PTEP"
    name: str  # "Programa de Transparencia y Ética Pública"
    version: str  # "Decreto 1122 de 2024"
    reason: str

    @property
    def text(self) -> str:
        """``"f.xlsx: PTEP (Decreto 1122 de 2024), porque el título dice …"``."""
        return f"{self.file}: {self.short} ({self.version}), porque {self.reason}"


@dataclass
class Consolidation:
    """The frames the workbook shows, plus what the run found out about its inputs.

    ``activities`` follows ``frames.CHECKED_ACTIVITY_DTYPES`` (one boolean column per alert),
    ``deliveries`` ``frames.CHECKED_DELIVERY_DTYPES`` (with each delivery's state) and
    ``alerts`` ``frames.ALERT_DTYPES``.
    """

    activities: pd.DataFrame
    deliveries: pd.DataFrame
    alerts: pd.DataFrame
    problems: list[Problem]
    cutoff: dt.date
    cutoff_source: str  # Spanish: how the cut-off was chosen ("--corte", "FECHA CORTE en …")
    files_read: list[str] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    output: Path | None = None  # the workbook written, when one was
    publications: list[Path] = field(default_factory=list)  # the PDF and the .docx beside it
    # Who signs the form and the publication files (pac-excel.toml [firmas]): role -> "Nombre –
    # Cargo"; empty: lines to sign by hand.
    signatures: dict[str, str] = field(default_factory=dict)
    # What each entity's input states for the publication: its "Fecha publicación" and its
    # signature lines (role -> "Nombre – Cargo"), used where [firmas] names nobody.
    stated_publication: dict[str, dt.date] = field(default_factory=dict)
    stated_signatures: dict[str, dict[str, str]] = field(default_factory=dict)
    thresholds: Thresholds = DAFP_THRESHOLDS  # semáforo limits used by check
    run_at: dt.datetime | None = None  # when the run happened: the workbook's dates use it
    # Other cuts found in the same files (normalize.HISTORY_DTYPES); empty when there were none.
    history: pd.DataFrame | None = None
    # The year from the history store (pac_excel.history): frames.EVOLUTION_DTYPES, one row
    # per activity and stored cut; empty when the store has no earlier cut of the year, None
    # when no store was used.
    evolution: pd.DataFrame | None = None
    plan_check: pd.DataFrame | None = None  # frames.PLAN_CHECK_DTYPES, when a plan was given
    history_store: Path | None = None  # the store this run recorded into
    # The program the cut follows up (the PTEP when any file follows it) and each file's.
    program: str = PAAC_SHORT
    program_name: str = PAAC_NAME
    file_programs: list[FileProgram] = field(default_factory=list)
    program_forced: bool = False  # --programa or pac-excel.toml chose it
    publication_days: int = 10  # business days to publish after the cut ([cortes])

    @property
    def program_names(self) -> list[str]:
        """Full names of the programs the files follow, the cut's first (for titles)."""
        names = [self.program_name] + [f.name for f in self.file_programs]
        return list(dict.fromkeys(names))

    @property
    def mentions_programs(self) -> bool:
        """Whether Resumen and the terminal list each file's program and why: always when the
        files were read, since the PAAC and the PTEP are both in use (issue: say it, always)."""
        return bool(self.file_programs)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    def alert_counts(self) -> dict[str, int]:
        """Activities carrying each alert, by code (check.labels.ALERTS order, zeros kept)."""
        acts = self.activities
        return {code: int(acts[alert_column(code)].astype(bool).sum()) for code in ALERTS}

    @property
    def overdue_count(self) -> int:
        """Activities with the alert Vencida: what ``--estricto`` and the e-mail count."""
        return self.alert_counts()["vencida"]

    @property
    def no_progress_count(self) -> int:
        """Activities with the alert Sin avance (0 % reported)."""
        return self.alert_counts()["sin-avance"]
