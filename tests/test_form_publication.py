"""Seguimiento OCI as the OCI signs it: the office's and the OCI's texts apart, the input's
publication date and signature lines, page breaks that repeat the component's headers.

Everything is read back from the files written: openpyxl for the workbook, pypdf for the PDF.
"""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path
from typing import Any

import openpyxl
import pypdf
import pytest
from conftest import SAMPLES
from readback import row_breaks

from pac_excel import consolidate
from pac_excel.result import Consolidation
from pac_excel.routine.config import Config

SIBUNDOY = "Alcaldía Municipal de Sibundoy"
OFFICE_TEXT = "El 27/03/2020 se socializó la política"  # column F of the Sibundoy sample
OCI_TEXT = "Se verificó el acta y el listado"  # column H (Observaciones OCI)


def _run(out: Path, config: Config | None = None) -> Consolidation:
    return consolidate([SAMPLES], output_dir=out, today=dt.date(2020, 5, 5), config=config)


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> Consolidation:
    return _run(tmp_path_factory.mktemp("plain"))


def _form(result: Consolidation) -> Any:
    assert result.output is not None
    return openpyxl.load_workbook(result.output)["Seguimiento OCI"]


def _pdf_text(result: Consolidation) -> str:
    pdf = next(p for p in result.publications if p.suffix == ".pdf")
    pages = pypdf.PdfReader(pdf).pages
    return " ".join(" ".join((page.extract_text() or "").split()) for page in pages)


def _row_of(ws: Any, text: str, column: int | None = None) -> int:
    for row in ws.iter_rows():
        for cell in row:
            hit = isinstance(cell.value, str) and cell.value.startswith(text)
            if hit and (column is None or cell.column == column):
                return int(cell.row)
    raise AssertionError(f"{text!r} not in the sheet")


def _entity_rows(ws: Any) -> dict[str, int]:
    return {
        str(ws.cell(r, 2).value): r
        for r in range(1, ws.max_row + 1)
        if ws.cell(r, 1).value == "Entidad:"
    }


def test_office_text_and_oci_observation_stay_in_their_columns(plain: Consolidation) -> None:
    ws = _form(plain)
    row = _row_of(ws, OFFICE_TEXT)
    assert ws.cell(row, 3).value.startswith(OFFICE_TEXT)  # Actividades cumplidas
    assert ws.cell(row, 5).value.startswith(OCI_TEXT)  # Observaciones: the OCI's own words
    assert ws.cell(row, 6).value == "Cumplida."  # the verdict at the cut, its own column
    head = _row_of(ws, "Estado al corte")
    assert ws.cell(head + 1, 5).value == "Observaciones"
    # Actividades keeps both texts joined in Seguimiento, as before.
    acts = plain.activities.set_index("row")
    joined = plain.activities["followup"].astype(str)
    assert joined.str.contains(OFFICE_TEXT, regex=False).any()
    assert joined.str.contains(OCI_TEXT, regex=False).any()
    assert not acts.empty
    text = _pdf_text(plain)
    assert "Observaciones" in text and "Estado al corte" in text
    assert OCI_TEXT in text


def test_semaforo_colours_the_progress_cell(plain: Consolidation) -> None:
    ws = _form(plain)
    row = _row_of(ws, OFFICE_TEXT)
    assert ws.cell(row, 6).value == "Cumplida."
    fill = ws.cell(row, 4).fill.fgColor.rgb
    assert str(fill).upper().endswith("C6EFCE")  # Verde, the DAFP green of the workbook


def test_publication_date_comes_from_the_input_else_blank(plain: Consolidation) -> None:
    ws = _form(plain)
    rows = _entity_rows(ws)
    assert ws.cell(rows[SIBUNDOY] + 2, 1).value == "Fecha publicación:"
    assert ws.cell(rows[SIBUNDOY] + 2, 2).value == dt.datetime(2020, 5, 12)
    other = next(r for name, r in rows.items() if name != SIBUNDOY)
    assert ws.cell(other + 2, 2).value is None  # the OCI fills it; never the run's date
    assert "Fecha de publicación: 12/05/2020" in _pdf_text(plain)


def _signature_block(ws: Any, start: int) -> list[str]:
    first = next(r for r in range(start, ws.max_row + 1) if ws.cell(r, 2).value == "Elaboró:")
    return [
        str(ws.cell(r, c).value or "")
        for r in range(first, first + 5)
        for c in (2, 3, 5)
        if ws.cell(r, c).value
    ]


def test_input_signature_lines_sign_when_firmas_is_absent(plain: Consolidation) -> None:
    ws = _form(plain)
    rows = _entity_rows(ws)
    putumayo = next(r for name, r in rows.items() if name != SIBUNDOY)
    block = _signature_block(ws, putumayo)
    assert "ELIAN ALEJANDRA GRANDA ORTEGA" in block  # name line above the position
    assert "Jefe Oficina Control Interno de Gestión" in block
    assert "Martha Cecilia Leiton Ramos" in block  # "Preparo: … – …" signs as Elaboró
    assert "Profesional Universitario OCI" in block
    # Sibundoy says "Original firmado" above the position: no name, the position kept.
    sibundoy = _signature_block(ws, rows[SIBUNDOY])
    assert "Jefe Oficina de Control Interno" in sibundoy
    assert "Original firmado" not in sibundoy
    text = _pdf_text(plain)
    assert "ELIAN ALEJANDRA GRANDA ORTEGA" in text


def test_firmas_in_the_config_wins_over_the_input(tmp_path: Path) -> None:
    config = Config(signatures={"Aprobó": "Luis Gómez – Jefe de Control Interno"})
    result = _run(tmp_path, config)
    ws = _form(result)
    block = _signature_block(ws, 1)
    assert "Luis Gómez" in block
    values = {str(c.value) for row in ws.iter_rows() for c in row if c.value}
    assert "ELIAN ALEJANDRA GRANDA ORTEGA" not in values
    assert "ELIAN ALEJANDRA GRANDA ORTEGA" not in _pdf_text(result)


def test_signature_rows_are_still_accounted_as_skipped_rows(plain: Consolidation) -> None:
    footer = [
        p
        for p in plain.problems
        if p.code == "fila-omitida"
        and "putumayo" in p.file
        and "firmas y pie del documento" in p.message
    ]
    assert footer, "the signature rows must stay reported as skipped rows"
    names = plain.activities["activity"].astype(str)
    assert not names.str.contains("GRANDA ORTEGA").any()


def _long_component(tmp_path: Path, n: int) -> Path:
    """One office file whose first component has ``n`` activities with long texts."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Entidad:", "Alcaldía de Prueba"])
    ws.append(["Fecha de corte:", "30/04/2020"])
    ws.append([])
    ws.append(["Subcomponente", "Actividades", "Responsable", "Fecha programada",
               "Actividades cumplidas", "% de avance", "Observaciones"])  # fmt: skip
    for i in range(n):
        ws.append(
            ["Política de Administración de Riesgos", f"Actividad {i} " + "revisar " * 25,
             "Planeación", "31/03/2020", "Se hizo lo reportado " * 8, 0.5,
             "La OCI verificó los soportes " * 6]
        )  # fmt: skip
    ws.append(["Rendición de cuentas", "Audiencia pública", "Planeación", "31/12/2020", "", 0, ""])
    path = tmp_path / "entrada" / "largo.xlsx"
    path.parent.mkdir()
    wb.save(path)
    return path


def test_long_component_breaks_between_activities_and_repeats_its_headers(
    tmp_path: Path,
) -> None:
    _long_component(tmp_path, 40)
    result = consolidate(
        [tmp_path / "entrada"], output_dir=tmp_path / "salida", today=dt.date(2020, 5, 5)
    )
    assert result.output is not None
    ws = _form(result)
    breaks = row_breaks(result.output, "Seguimiento OCI")
    assert len(breaks) >= 2
    closing = ("Entidad:", "Total del plan", "Conclusiones", "Recomendaciones", None)
    for top in breaks:  # the first row of each new page
        if ws.cell(top, 1).value in closing:  # a new entity or the closing part of the form
            continue
        assert ws.cell(top, 1).value == "Componente:"
        assert ws.cell(top + 1, 1).value == "Subcomponente"
        assert ws.cell(top + 2, 3).value == "Actividades cumplidas"
    continued = [r for r in breaks if str(ws.cell(r, 2).value).endswith("(continúa)")]
    assert continued, "the long component continues on a page that repeats its line"
    starts = [1, *breaks, ws.max_row + 1]
    activity_rows = {
        r for r in range(1, ws.max_row + 1) if str(ws.cell(r, 2).value).startswith("Actividad ")
    }
    for begin, end in itertools.pairwise(starts):
        if end in continued:  # a page the long component fills: more than three rows on it
            assert len(activity_rows & set(range(begin, end))) > 3


def test_earlier_cut_blocks_of_the_input_sit_beside_the_form(tmp_path: Path) -> None:
    """Seguimiento 1 and 2 side by side in the input: without a history store, the form still
    shows the first cut's % de avance beside the second (the one consolidated)."""
    from layout_fixtures import build
    from test_layouts import _side_by_side

    folder = tmp_path / "entrada"
    folder.mkdir()
    build(folder / "f.xlsx", {"PAAC": _side_by_side()})
    result = consolidate(
        [folder], output_dir=tmp_path / "salida", history_store=False, today=dt.date(2020, 9, 5)
    )
    ws = _form(result)
    head = _row_of(ws, "% de avance en los seguimientos anteriores")
    assert ws.cell(head + 1, 7).value == "Seguimiento 1 (30/04/2020)"
    row = _row_of(ws, "Audiencia pública", column=2)
    assert ws.cell(row, 4).value == 0.5  # Seguimiento 2, consolidated
    assert ws.cell(row, 7).value == 0  # Seguimiento 1, from the input's own block
    first = _row_of(ws, "Publicar el mapa", column=2)
    assert ws.cell(first, 7).value == 1
