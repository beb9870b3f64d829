"""Acceptance: the 19 Putumayo activities at 30/04/2020, read back from the written workbook."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from conftest import SAMPLES, SEED_SAMPLE

from pac_excel import consolidate

C1 = "1. Gestión del Riesgo de Corrupción – Mapa de Riesgos de Corrupción"
C2 = "2. Racionalización de Trámites"
C3 = "3. Rendición de Cuentas"
C4 = "4. Mecanismos para Mejorar la Atención al Ciudadano"
C5 = "5. Mecanismos para la Transparencia y Acceso a la Información"
Q = "31/03/2020; 30/06/2020; 30/09/2020; 31/12/2020"
P = "Permanente"

# (start of the activity, Fila, Componente, Fechas programadas, Avance reportado, Estado, Vencida)
SEED_TABLE = [
    ("Revisar la Política de Administración", 9, C1, "30/06/2020", 0.0, "Sin iniciar", False),
    ("Revisar, hacer seguimiento y Evaluar", 10, C1, "31/12/2020", 0.5, "En curso", False),
    ("Validación o Actualización del Mapa", 11, C1, "18/12/2020", 0.0, "Sin iniciar", False),
    ("Consolidación Mapa de Riesgos", 12, C1, "31/12/2020", 0.0, "Sin iniciar", False),
    ("Revisión de trámites para su", 23, C2, "30/06/2020", 0.0, "Sin iniciar", False),
    ("Definir una Estrategia de Rendición de Cuentas", 24, C3, "03/02/2020", 0.0, "Vencida", True),
    ("Realización de Ruedas de Prensa", 25, C3, P, 0.33, "En curso", False),
    ("Publicación de Boletines", 26, C3, P, 0.33, "En curso", False),
    ("Publicación y difusión en redes", 27, C3, P, 0.33, "En curso", False),
    ("Realización y difusión de Piezas", 28, C3, P, 0.33, "En curso", False),
    (
        "Consolidar trimestralmente la información estadística de las PQRSD",
        29,
        C4,
        Q,
        0.0,
        "Vencida",
        True,
    ),
    ("Mantener los canales de atención", 41, C4, "31/12/2020", 0.33, "En curso", False),
    ("Medir trimestralmente la satisfacción", 42, C4, Q, 0.25, "En curso", False),
    ("Recibir, procesar y responder", 43, C4, P, 0.33, "En curso", False),
    ("Actualizar el Portal Institucional", 55, C5, "31/12/2020", 0.0, "Sin iniciar", False),
    ("Verificar periódicamente la información", 56, C5, "31/12/2020", "N/A", "No aplica", False),
    ("Capacitar a los funcionarios", 57, C5, "31/12/2020", "N/A", "No aplica", False),
    ("Inventario de información publicada", 58, C5, "31/12/2020", 0.5, "En curso", False),
    (
        "Actualizar el informe de solicitudes de acceso a información",
        69,
        C5,
        Q,
        0.0,
        "Vencida",
        True,
    ),
]


def read_sheet(path: Path, name: str) -> list[dict[str, object]]:
    ws = openpyxl.load_workbook(path)[name]
    rows = list(ws.iter_rows(values_only=True))
    header = [str(h) for h in rows[0]]
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]


@pytest.fixture(scope="module")
def seed_workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    result = consolidate([SEED_SAMPLE], output_dir=out)
    assert result.output == out / "seguimiento_paac_2020-04-30.xlsx"
    return result.output


def test_seed_table_read_back(seed_workbook: Path) -> None:
    rows = read_sheet(seed_workbook, "Actividades")
    assert len(rows) == len(SEED_TABLE) == 19
    for row, (start, fila, component, dates, reported, status, overdue) in zip(
        rows, SEED_TABLE, strict=True
    ):
        assert str(row["Actividad"]).startswith(start), row["Actividad"]
        assert row["Archivo"] == SEED_SAMPLE.name
        assert row["Hoja"] == "Seguimiento"
        assert row["Fila"] == fila
        assert row["Entidad"] == "GOBERNACIÓN DEL PUTUMAYO"
        assert row["Componente"] == component
        assert row["Fechas programadas"] == dates
        assert row["Avance reportado"] == reported
        assert row["Estado"] == status
        assert ("Vencida" in str(row["Alertas"] or "")) is overdue, start


def test_seed_component_counts(seed_workbook: Path) -> None:
    rows = read_sheet(seed_workbook, "Actividades")
    counts: dict[str, int] = {}
    for row in rows:
        key = str(row["Componente"])[:1]
        counts[key] = counts.get(key, 0) + 1
    assert counts == {"1": 4, "2": 1, "3": 5, "4": 4, "5": 5}


def test_seed_expected_and_compliance(seed_workbook: Path) -> None:
    all_rows = read_sheet(seed_workbook, "Actividades")

    def row(start: str) -> dict[str, object]:
        (found,) = [r for r in all_rows if str(r["Actividad"]).startswith(start)]
        return found

    satisfaction = row("Medir trimestralmente la satisf")
    assert satisfaction["Avance esperado"] == pytest.approx(0.25)
    assert satisfaction["Cumplimiento"] == pytest.approx(1.0)
    assert "Vencida" not in str(satisfaction["Alertas"] or "")
    press = row("Realización de Ruedas de Prensa")
    assert press["Avance esperado"] == pytest.approx(4 / 12)
    assert press["Semáforo"] == "Verde"
    report = row("Actualizar el informe de solici")
    assert report["Avance esperado"] == pytest.approx(0.25)
    assert report["Cumplimiento"] == 0
    assert report["Semáforo"] == "Rojo"
    # The four numbered lines are sub-items of this activity, not activities of their own.
    assert "\n4. El número de solicitudes en las que se negó" in str(report["Actividad"])
    assert str(report["Responsable"]).startswith("Secretaría de Servicios Administrativos")
    for name in ("Verificar periódicamente la inf", "Capacitar a los funcionarios de"):
        assert row(name)["Cumplimiento"] in (None, "Sin programación a la fecha")
        assert row(name)["Estado"] == "No aplica"


def test_page_break_fragments_are_joined(seed_workbook: Path) -> None:
    rows = {r["Fila"]: r for r in read_sheet(seed_workbook, "Actividades")}
    pqrsd = rows[29]
    assert pqrsd["Meta o producto"] == (
        "Disponer de informes estadísticos de la recepción y atención de PQRSD para la toma de "
        "decisiones"
    )
    assert pqrsd["Responsable"] == (
        "Secretaría de Servicios Administrativos – Gestión Atención al Usuario."
    )
    assert str(pqrsd["Seguimiento"]).endswith(
        "de las PQRSD, correspondiente al 1er trimestre de 2020"
    )
    channels = rows[43]
    assert str(channels["Responsable"]).endswith("–Gestión Atención al Usuario.")
    assert str(channels["Seguimiento"]).endswith("a través del programa de PQRSD y por correos")


def test_seed_alerts_and_problems_sheets(seed_workbook: Path) -> None:
    alerts = read_sheet(seed_workbook, "Alertas")
    overdue = sorted(int(str(r["Fila"])) for r in alerts if r["Alerta"] == "Vencida")
    assert overdue == [24, 29, 69]
    problems = read_sheet(seed_workbook, "Problemas")
    skipped = [r for r in problems if r["Código"] == "fila-omitida"]
    # The four letterheads, the title block and the signature block are listed, nothing else.
    assert [r["Fila"] for r in skipped] == [5, 16, 33, 47, 62, 76]
    assert not [r for r in problems if r["Severidad"] == "Error"]
    # One cut in the file: no Historial sheet.
    assert "Historial" not in openpyxl.load_workbook(seed_workbook).sheetnames


def test_default_run_consolidates_both_samples(tmp_path: Path) -> None:
    result = consolidate([SAMPLES], output_dir=tmp_path)
    assert result.cutoff == dt.date(2020, 4, 30)
    assert set(result.entities) == {"GOBERNACIÓN DEL PUTUMAYO", "Alcaldía Municipal de Sibundoy"}
    sibundoy = result.activities[result.activities["entity"] == "Alcaldía Municipal de Sibundoy"]
    assert len(sibundoy) == 14
    assert sibundoy["status"].value_counts().to_dict() == {
        "En curso": 5,
        "Cumplida": 4,
        "Vencida": 3,
        "Sin iniciar": 1,
        "No aplica": 1,
    }
    assert list(sibundoy["component"]) == [1, 1, 1, 1, 2, 2, 3, 3, 3, 4, 4, 5, 5, 5]
