"""Three cuts of the Sibundoy sample with the drift of a real year, for the history tests.

Cut 1 (30/04/2020) is the sample as it is. Cut 2 (31/08/2020): progress moves; row 12 is
reworded (a word changed, accents dropped, a year added); row 14 is split in two (rows 14 and
15); row 19 is dropped; row 31 is a new activity; row 18 stays at 25 % although its delivery of
30/06/2020 fell due (Sin movimiento). Cut 3 (31/12/2020): row 36 stays at 50 % across its
delivery of 30/09/2020 (Sin movimiento), row 18 reaches 100 %.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
from conftest import SAMPLES
from openpyxl.worksheet.worksheet import Worksheet

SIBUNDOY = SAMPLES / "seguimiento_paac_alcaldia_sibundoy_2020.xlsx"
REWORDED = (
    "Publicar el Mapa de Riesgos de Corrupcion 2020 en el sitio web de la Alcaldia para consulta "
    "de la ciudadania"
)
SPLIT_A = "Realizar el primer seguimiento al Mapa de Riesgos de Corrupción y publicar el informe."
SPLIT_B = (
    "Realizar el segundo seguimiento al Mapa de Riesgos de Corrupción y publicar el informe (se "
    "publica en enero de 2021)."
)
ADDED = "Publicar la carta de trato digno a la ciudadanía en las sedes y en la página web."
DROPPED = "Reducir el tiempo de expedición del certificado de uso del suelo de 15 a 8 días hábiles."
CUTS = (dt.date(2020, 4, 30), dt.date(2020, 8, 31), dt.date(2020, 12, 31))


def _cut(ws: Worksheet, number: int) -> None:
    ws["A6"] = f"Seguimiento {number} OCI"
    ws["B7"] = dt.datetime.combine(CUTS[number - 1], dt.time())


def build_cuts(folder: Path) -> list[Path]:
    """The three follow-ups, one per subfolder (corte1/, corte2/, corte3/)."""
    paths = []
    wb = openpyxl.load_workbook(SIBUNDOY)
    ws = wb.active
    assert ws is not None
    for number in (1, 2, 3):
        if number == 2:
            _second(ws)
        if number == 3:
            ws["G18"] = 1
            ws["G34"] = 1
            ws["G14"] = 1
            ws["G15"] = 1
        _cut(ws, number)
        target = folder / f"corte{number}" / f"seguimiento_sibundoy_corte{number}.xlsx"
        target.parent.mkdir(parents=True, exist_ok=True)
        wb.save(target)
        paths.append(target)
    return paths


def _second(ws: Worksheet) -> None:
    ws["B12"] = REWORDED
    ws["G13"] = 1
    ws["B14"] = SPLIT_A
    ws["E14"] = dt.datetime(2020, 4, 30)
    ws["G14"] = 1
    for col, value in zip(
        "BCDEFGH",
        (SPLIT_B, "Un (1) informe publicado.", "Oficina de Control Interno",
         dt.datetime(2020, 8, 31), "Segundo seguimiento realizado.", 0.5, "En curso."),
        strict=True,
    ):  # fmt: skip
        ws[f"{col}15"] = value  # type: ignore[assignment]  # openpyxl takes any cell value
    for col in "ABCDEFGH":
        ws[f"{col}19"] = None
    ws["G25"] = 0.66
    ws["G30"] = 1
    ws["G36"] = 0.5
    for col, value in zip(
        "ABCDEFGH",
        ("Relacionamiento con el ciudadano", ADDED, "Carta publicada.", "Secretaría General",
         dt.datetime(2020, 11, 30), None, 0, "Sin iniciar."),
        strict=True,
    ):  # fmt: skip
        ws[f"{col}31"] = value
