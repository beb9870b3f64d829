"""Programs: PTEP follow-ups as entities write them, next to PAAC ones, each by its own name.

Every test consolidates files into a workbook and reads it back: the components, the program
each file was read as and the words that name the program are what a user sees.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from layout_fixtures import build
from pypdf import PdfReader
from readback import load

from pac_excel import consolidate
from pac_excel.errors import UsageError
from pac_excel.normalize.programs import load_program, program_from_text
from pac_excel.result import Consolidation
from pac_excel.routine.config import ConfigError, load_config
from pac_excel.routine.mail import result_figures, subject

HEADER: list[object] = [
    "No",
    "Actividad",
    "Responsable",
    "Fecha programada",
    "% de avance",
    "Seguimiento OCI",
]
CUT = dt.date(2025, 4, 30)
PTEP = "Programa de Transparencia y Ética Pública"


def _title(title: str, entity: str, year: int = 2025) -> list[list[object]]:
    return [
        [title],
        [f"Entidad: {entity}"],
        [f"Vigencia: {year}"],
        ["Fecha de corte: 30/04/2025"],
        [],
        HEADER,
    ]


def _sectioned(sections: list[tuple[str, list[str]]]) -> list[list[object]]:
    """Heading rows, each followed by its activities (one row each)."""
    rows: list[list[object]] = []
    n = 0
    for heading, activities in sections:
        rows.append([heading])
        for text in activities:
            n += 1
            rows.append([n, text, "Planeación", "30/03/2025", 1, "Cumplida, con evidencia"])
    return rows


def _consolidate(folder: Path, tmp_path: Path, **kwargs: Any) -> Consolidation:
    return consolidate(
        [folder], output_dir=tmp_path / "salida", history_store=False, today=CUT, **kwargs
    )


def _activities(result: Consolidation) -> list[tuple[str, str, str]]:
    """(Archivo, Componente, Actividad) as the Actividades sheet shows them."""
    assert result.output is not None
    ws = load(result.output)["Actividades"]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    head = next(i for i, r in enumerate(rows) if "Componente" in r)
    cols = [rows[head].index(name) for name in ("Archivo", "Componente", "Actividad")]
    return [
        (str(r[cols[0]]), str(r[cols[1]]), str(r[cols[2]])) for r in rows[head + 1 :] if r[cols[2]]
    ]


def _components(result: Consolidation) -> list[str]:
    return [component for _, component, _ in _activities(result)]


def _codes(result: Consolidation) -> list[str]:
    return [p.code for p in result.problems]


def _cell(result: Consolidation, sheet: str, ref: str) -> Any:
    assert result.output is not None
    return load(result.output)[sheet][ref].value


# Numbered PTEP sections, numbered differently by each entity ----------------------------------


def test_numbered_ptep_sections_go_by_name_not_number(tmp_path: Path) -> None:
    folder = tmp_path / "entrada"
    folder.mkdir()
    first = _title("SEGUIMIENTO PTEP 2025", "Alcaldía de Mocoa") + _sectioned(
        [
            ("COMPONENTE 1: GESTIÓN DE RIESGOS PARA LA INTEGRIDAD PÚBLICA", ["Mapa integral"]),
            ("COMPONENTE 2: REDES Y ARTICULACIÓN", ["Mesa con la Procuraduría"]),
            ("3: LEGALIDAD E INTEGRIDAD", ["Curso de integridad"]),
            ("4: ESTADO ABIERTO", ["Publicar datos abiertos"]),
            ("5: CANALES DE DENUNCIA", ["Línea ética activa"]),
        ]
    )
    build(folder / "mocoa.xlsx", {"PTEP": first})
    result = _consolidate(folder, tmp_path)
    assert _components(result) == [
        "PTEP – Gestión de riesgos para la integridad pública",
        "PTEP – Redes y articulación interinstitucional",
        "PTEP – Legalidad e integridad",
        "PTEP – Transparencia, acceso a la información y Estado abierto",
        "PTEP – Canales de denuncia",
    ]
    assert result.program == "PTEP"
    assert result.output is not None and result.output.name == "seguimiento_ptep_2025-04-30.xlsx"
    assert _cell(result, "Resumen", "A1") == f"Seguimiento al {PTEP}"
    assert _cell(result, "Seguimiento OCI", "A1") == f"FORMATO SEGUIMIENTO AL {PTEP.upper()}"
    files = str(_cell(result, "Resumen", "C9"))
    assert "mocoa.xlsx: PTEP (Decreto 1122 de 2024)" in files and "SEGUIMIENTO PTEP" in files
    assert all(p.name.count("ptep") for p in result.publications)
    pdf = next(p for p in result.publications if p.suffix == ".pdf")
    text = " ".join(" ".join((pg.extract_text() or "").split()) for pg in PdfReader(pdf).pages)
    assert "Total del plan: el PTEP presenta un avance del" in text
    assert "PAAC" not in text
    assert subject(result_figures(result)).startswith("Seguimiento PTEP")
    assert "numero-y-nombre-de-componente" not in _codes(result)  # PTEP numbers mean nothing


def test_another_entity_numbers_the_same_sections_otherwise(tmp_path: Path) -> None:
    folder = tmp_path / "entrada"
    folder.mkdir()
    rows = _title("Programa de Transparencia y Ética Pública", "Hospital San Rafael") + _sectioned(
        [
            ("COMPONENTE 1: CANALES DE DENUNCIA Y PROTECCIÓN AL DENUNCIANTE", ["Buzón"]),
            ("COMPONENTE 2: DEBIDA DILIGENCIA", ["Consulta de listas restrictivas"]),
            ("COMPONENTE 3: TRANSPARENCIA Y ACCESO A LA INFORMACIÓN", ["Botón de transparencia"]),
            ("COMPONENTE 6: GESTIÓN AMBIENTAL SOSTENIBLE", ["Compras verdes"]),
        ]
    )
    build(folder / "hospital.xlsx", {"Seguimiento": rows})
    result = _consolidate(folder, tmp_path)
    assert _components(result) == [
        "PTEP – Canales de denuncia",
        "PTEP – Debida diligencia y prevención del lavado de activos",
        "PTEP – Transparencia, acceso a la información y Estado abierto",
        "PTEP – GESTIÓN AMBIENTAL SOSTENIBLE",  # its own section, under the file's own words
    ]
    unmatched = [p for p in result.problems if p.code == "seccion-no-reconocida"]
    assert len(unmatched) == 1 and (unmatched[0].sheet, unmatched[0].row) == ("Seguimiento", 13)
    assert unmatched[0].column == "A"


# Sections as a column, a sheet per section -------------------------------------------------


def test_sections_as_a_column(tmp_path: Path) -> None:
    folder = tmp_path / "entrada"
    folder.mkdir()
    rows: list[list[object]] = [
        ["PTEP 2025 – Seguimiento de la Oficina de Control Interno"],
        ["Entidad: Gobernación del Putumayo"],
        ["Fecha de corte: 30/04/2025"],
        ["Componente", "Actividad", "Responsable", "Fecha programada", "% avance", "Seguimiento"],
        ["Gestión de riesgos para la integridad pública", "Actualizar el mapa", "P", "31/03/2025",
         1, "Hecho"],
        ["Redes y articulación", "Convenio con la Contraloría", "P", "31/03/2025", 0.5, "En curso"],
        ["Canales de denuncia", "Publicar el canal", "P", "31/03/2025", 1, "Hecho"],
        ["Cultura de la legalidad", "Campaña", "P", "31/03/2025", 1, "Hecho"],
    ]  # fmt: skip
    build(folder / "putumayo.xlsx", {"PTEP": rows})
    result = _consolidate(folder, tmp_path)
    assert _components(result) == [
        "PTEP – Gestión de riesgos para la integridad pública",
        "PTEP – Redes y articulación interinstitucional",
        "PTEP – Canales de denuncia",
        "PTEP – Legalidad e integridad",
    ]


def test_a_sheet_per_section(tmp_path: Path) -> None:
    folder = tmp_path / "entrada"
    folder.mkdir()
    sheets: dict[str, list[list[object]]] = {}
    for name, activity in (
        ("Riesgos", "Mapa integral de riesgos"),
        ("Denuncias", "Canal de denuncias"),
        ("Integridad", "Código de integridad"),
    ):
        sheets[name] = _title(PTEP, "Alcaldía de Sibundoy") + [
            [1, activity, "Planeación", "31/03/2025", 1, "Cumplida"]
        ]
    build(folder / "sibundoy.xlsx", sheets)
    result = _consolidate(folder, tmp_path)
    assert _components(result) == [
        "PTEP – Gestión de riesgos para la integridad pública",
        "PTEP – Canales de denuncia",
        "PTEP – Legalidad e integridad",
    ]


# Plan de Acción sections, a PTEP file still titled "Plan Anticorrupción" ----------------------


def test_plan_de_accion_sections_are_labelled_as_such(tmp_path: Path) -> None:
    folder = tmp_path / "entrada"
    folder.mkdir()
    rows = _title("PROGRAMA DE TRANSPARENCIA Y ÉTICA PÚBLICA", "Alcaldía de Orito") + _sectioned(
        [
            ("COMPONENTE 1: GESTIÓN DE RIESGOS PARA LA INTEGRIDAD PÚBLICA", ["Mapa"]),
            ("COMPONENTE 2: RACIONALIZACIÓN DE TRÁMITES", ["Simplificar licencia"]),
            ("COMPONENTE 3: SERVICIO AL CIUDADANO", ["Ventanilla única"]),
            ("COMPONENTE 4: PARTICIPACIÓN CIUDADANA", ["Cabildo abierto"]),
        ]
    )
    build(folder / "orito.xlsx", {"PTEP": rows})
    result = _consolidate(folder, tmp_path)
    assert _components(result) == [
        "PTEP – Gestión de riesgos para la integridad pública",
        "Plan de Acción – Racionalización de trámites",
        "Plan de Acción – Servicio al ciudadano",
        "Plan de Acción – Participación ciudadana",
    ]
    notice = [p for p in result.problems if p.code == "seccion-plan-de-accion"]
    assert len(notice) == 1 and "Plan de Acción institucional" in notice[0].message
    assert "Concepto DAFP 654781" in notice[0].message


def test_ptep_file_whose_title_still_says_plan_anticorrupcion(tmp_path: Path) -> None:
    folder = tmp_path / "entrada"
    folder.mkdir()
    rows = _title("PLAN ANTICORRUPCIÓN Y DE ATENCIÓN AL CIUDADANO 2025", "Alcaldía de Colón")
    rows += _sectioned(
        [
            ("COMPONENTE 1: GESTIÓN DE RIESGOS PARA LA INTEGRIDAD PÚBLICA", ["Mapa"]),
            ("COMPONENTE 2: REDES Y ARTICULACIÓN", ["Red de control"]),
            ("COMPONENTE 3: ESTADO ABIERTO", ["Datos abiertos"]),
        ]
    )
    build(folder / "colon.xlsx", {"Seguimiento": rows})
    result = _consolidate(folder, tmp_path)
    assert [f.short for f in result.file_programs] == ["PTEP"]
    assert "secciones son del PTEP" in result.file_programs[0].reason
    assert _components(result)[1] == "PTEP – Redes y articulación interinstitucional"


# A folder mixing a PAAC 2024 follow-up with PTEP 2025 ones ---------------------------------


def test_folder_mixing_paac_2024_and_ptep_2025(tmp_path: Path) -> None:
    folder = tmp_path / "entrada"
    folder.mkdir()
    paac = _title("PLAN ANTICORRUPCIÓN Y DE ATENCIÓN AL CIUDADANO 2024", "Empresa de Aguas", 2024)
    paac += _sectioned(
        [
            ("COMPONENTE 1: GESTIÓN DEL RIESGO DE CORRUPCIÓN", ["Mapa de riesgos"]),
            ("COMPONENTE 3: RENDICIÓN DE CUENTAS", ["Audiencia pública"]),
        ]
    )
    build(folder / "aguas_paac_2024.xlsx", {"PAAC": paac})
    ptep = _title("PTEP 2025", "Alcaldía de Mocoa") + _sectioned(
        [("COMPONENTE 2: REDES Y ARTICULACIÓN", ["Mesa interinstitucional"])]
    )
    build(folder / "mocoa_ptep_2025.xlsx", {"PTEP": ptep})
    result = _consolidate(folder, tmp_path, cutoff=CUT)
    assert sorted(_activities(result)) == [
        (
            "aguas_paac_2024.xlsx",
            "1. Gestión del Riesgo de Corrupción – Mapa de Riesgos de Corrupción",
            "Mapa de riesgos",
        ),
        ("aguas_paac_2024.xlsx", "3. Rendición de Cuentas", "Audiencia pública"),
        (
            "mocoa_ptep_2025.xlsx",
            "PTEP – Redes y articulación interinstitucional",
            "Mesa interinstitucional",
        ),
    ]
    by_file = {f.file: f.short for f in result.file_programs}
    assert by_file == {"aguas_paac_2024.xlsx": "PAAC", "mocoa_ptep_2025.xlsx": "PTEP"}
    assert result.output is not None and result.output.name.startswith("seguimiento_ptep_")
    both = f"{PTEP} y al Plan Anticorrupción y de Atención al Ciudadano"
    assert _cell(result, "Resumen", "A1") == f"Seguimiento al {both}"
    assert _cell(result, "Seguimiento OCI", "A1") == f"FORMATO SEGUIMIENTO AL {both.upper()}"


# Name before number in a PAAC file; the program forced -----------------------------------


def test_paac_heading_whose_number_and_name_disagree(tmp_path: Path) -> None:
    folder = tmp_path / "entrada"
    folder.mkdir()
    rows = _title("PLAN ANTICORRUPCIÓN 2020", "Alcaldía de Villagarzón", 2020) + _sectioned(
        [("COMPONENTE 2: RENDICIÓN DE CUENTAS", ["Audiencia pública"])]
    )
    build(folder / "villagarzon.xlsx", {"PAAC": rows})
    result = _consolidate(folder, tmp_path, cutoff=dt.date(2020, 4, 30))
    assert _components(result) == ["3. Rendición de Cuentas"]
    warned = [p for p in result.problems if p.code == "numero-y-nombre-de-componente"]
    assert [(w.sheet, w.row, w.column) for w in warned] == [("PAAC", 7, "A")]
    assert result.output is not None and result.output.name == "seguimiento_paac_2020-04-30.xlsx"
    assert _cell(result, "Seguimiento OCI", "A1") == (
        "FORMATO SEGUIMIENTO AL PLAN ANTICORRUPCIÓN Y DE ATENCIÓN AL CIUDADANO"
    )


def test_programa_forces_the_program(tmp_path: Path) -> None:
    folder = tmp_path / "entrada"
    folder.mkdir()
    rows = _title("Seguimiento 2025", "Alcaldía de Puerto Asís") + _sectioned(
        [("COMPONENTE 1: GESTIÓN DEL RIESGO DE CORRUPCIÓN", ["Mapa de riesgos"])]
    )
    build(folder / "asis.xlsx", {"Hoja1": rows})
    assert _consolidate(folder, tmp_path).program == "PAAC"
    forced = _consolidate(folder, tmp_path, program="PTEP")
    assert forced.program == "PTEP"
    assert _components(forced) == ["PTEP – Gestión de riesgos para la integridad pública"]
    assert "indicado por el usuario" in forced.file_programs[0].reason


def test_program_names_a_user_may_write() -> None:
    assert program_from_text("ptep").short == "PTEP"
    assert program_from_text("Programa de Transparencia y Ética Pública").key == "ptep"
    assert program_from_text("PAAC").key == "paac"
    assert program_from_text("paac 2012").key == "paac2012"
    with pytest.raises(ValueError, match="Programa desconocido"):
        program_from_text("POA")
    assert len(load_program("paac2012").catalog.components) == 4
    assert load_program("ptep").cuts == ((4, 30), (8, 31), (12, 31))


def test_config_programa_and_cortes(tmp_path: Path) -> None:
    path = tmp_path / "pac-excel.toml"
    path.write_text(
        'programa = "PTEP"\n[cortes]\nfechas = ["30/06", "31/12"]\ndias_habiles = 15\n',
        encoding="utf-8",
    )
    config = load_config(path)
    assert config.program == "PTEP"
    assert config.cuts is not None
    assert config.cuts.dates == ((6, 30), (12, 31)) and config.cuts.business_days == 15
    path.write_text('programa = "POA"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="línea 1"):
        load_config(path)
    path.write_text('[cortes]\nfechas = ["31/02"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="31/02"):
        load_config(path)


def test_unknown_programa_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        consolidate([tmp_path], output_dir=None, program="POA")


def test_componentes_by_name_and_a_new_seventh(tmp_path: Path) -> None:
    folder = tmp_path / "entrada"
    folder.mkdir()
    rows = _title("PTEP 2025", "Alcaldía de Mocoa") + _sectioned(
        [
            ("COMPONENTE 1: LÍNEA DE TRANSPARENCIA LOCAL", ["Boletín mensual"]),
            ("COMPONENTE 2: CANALES DE DENUNCIA", ["Buzón"]),
        ]
    )
    build(folder / "mocoa.xlsx", {"PTEP": rows})
    (tmp_path / "pac-excel.toml").write_text(
        '[componentes]\n"Línea de transparencia local" = "Estado abierto"\n', encoding="utf-8"
    )
    config = load_config(tmp_path / "pac-excel.toml")
    result = _consolidate(folder, tmp_path, config=config)
    assert _components(result) == [
        "PTEP – Transparencia, acceso a la información y Estado abierto",
        "PTEP – Canales de denuncia",
    ]
    paac = _title("PLAN ANTICORRUPCIÓN 2020", "Alcaldía de Mocoa", 2020) + _sectioned(
        [("COMPONENTE 7: GESTIÓN AMBIENTAL", ["Compras verdes"])]
    )
    build(folder / "mocoa.xlsx", {"PAAC": paac})
    (tmp_path / "pac-excel.toml").write_text(
        '[componentes]\n"Gestión ambiental" = 7\n', encoding="utf-8"
    )
    config = load_config(tmp_path / "pac-excel.toml")
    result = _consolidate(folder, tmp_path, config=config, cutoff=dt.date(2020, 4, 30))
    assert _components(result) == ["7. Gestión ambiental"]
    assert "seccion-no-reconocida" not in _codes(result)


def test_a_new_component_number_under_the_ptep_is_its_own_component(tmp_path: Path) -> None:
    folder = tmp_path / "entrada"
    folder.mkdir()
    rows = _title("PTEP 2025", "Alcaldía de Mocoa") + _sectioned(
        [("COMPONENTE 7: GESTIÓN AMBIENTAL", ["Compras verdes"])]
    )
    build(folder / "mocoa.xlsx", {"PTEP": rows})
    (tmp_path / "pac-excel.toml").write_text(
        '[componentes]\n"Gestión ambiental" = 7\n', encoding="utf-8"
    )
    config = load_config(tmp_path / "pac-excel.toml")
    result = _consolidate(folder, tmp_path, config=config)
    assert _components(result) == ["PTEP – Gestión ambiental"]
    assert "seccion-no-reconocida" not in _codes(result)  # the config named it: no warning


def test_terminal_says_each_files_program_and_why(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from pac_excel.cli import cli

    folder = tmp_path / "entrada"
    folder.mkdir()
    rows = _title("PTEP 2025", "Alcaldía de Mocoa") + _sectioned(
        [("COMPONENTE 2: REDES Y ARTICULACIÓN", ["Mesa interinstitucional"])]
    )
    build(folder / "mocoa.xlsx", {"PTEP": rows})
    out = tmp_path / "salida"
    args = ["consolidar", str(folder), "--salida", str(out), "--hoy", "2025-05-02"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert f"Programa: {PTEP} (PTEP)" in result.stdout
    assert "  mocoa.xlsx: PTEP (Decreto 1122 de 2024), porque el título dice" in result.stdout
    assert (out / "seguimiento_ptep_2025-04-30.xlsx").is_file()
    forced = CliRunner().invoke(cli, [*args, "--programa", "PAAC"])
    assert forced.exit_code == 0, forced.output
    assert "mocoa.xlsx: PAAC" in forced.stdout and "indicado por el usuario" in forced.stdout
    assert (out / "seguimiento_paac_2025-04-30.xlsx").is_file()
    wrong = CliRunner().invoke(cli, [*args, "--programa", "POA"])
    assert wrong.exit_code == 2 and "Programa desconocido" in wrong.output


def test_historial_removes_a_ptep_cut(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from pac_excel.cli import cli
    from pac_excel.history import STORE_NAME, Store

    folder = tmp_path / "entrada"
    folder.mkdir()
    rows = _title("SEGUIMIENTO PTEP 2025", "Alcaldía de Mocoa") + _sectioned(
        [("COMPONENTE 1: CANALES DE DENUNCIA", ["Línea ética activa"])]
    )
    build(folder / "mocoa.xlsx", {"PTEP": rows})
    out = tmp_path / "salida"
    consolidate([folder], output_dir=out, today=CUT)
    store = Store(out / STORE_NAME)
    assert [(c.program, c.cut_date) for c in store.cuts()] == [("PTEP", CUT)]
    runner = CliRunner()
    kept = runner.invoke(
        cli, ["historial", "--salida", str(out), "--quitar", "2025-04-30", "--programa", "PAAC"]
    )
    assert kept.exit_code == 2 and "no tiene el corte 30/04/2025" in kept.stderr
    gone = runner.invoke(cli, ["historial", "--salida", str(out), "--quitar", "2025-04-30"])
    assert gone.exit_code == 0, gone.output
    assert store.cuts() == []


def test_cortes_window_reaches_the_mail_the_report_and_resumen(tmp_path: Path) -> None:
    import docx
    from conftest import SAMPLES

    from pac_excel.deadline import publication_deadline
    from pac_excel.routine.mail import read_figures

    (tmp_path / "pac-excel.toml").write_text("[cortes]\ndias_habiles = 15\n", encoding="utf-8")
    config = load_config(tmp_path / "pac-excel.toml")
    result = consolidate(
        [SAMPLES], output_dir=tmp_path / "salida", config=config, today=dt.date(2020, 5, 5)
    )
    fifteen = publication_deadline(dt.date(2020, 4, 30), 15)
    assert fifteen != publication_deadline(dt.date(2020, 4, 30), 10)
    assert result_figures(result).deadline == fifteen
    assert result.output is not None
    assert read_figures(result.output).deadline == fifteen
    report = next(p for p in result.publications if p.suffix == ".docx")
    text = " ".join(p.text for p in docx.Document(str(report)).paragraphs)
    assert f"{fifteen:%d/%m/%Y} (quince días hábiles después del corte)" in text
    resumen = " ".join(
        str(c.value) for row in load(result.output)["Resumen"].iter_rows() for c in row if c.value
    )
    assert "dentro de los quince días hábiles siguientes al corte" in resumen


def test_resumen_says_each_files_program_even_for_a_plain_paac_folder(tmp_path: Path) -> None:
    from conftest import SAMPLES

    result = consolidate([SAMPLES], output_dir=tmp_path / "salida", today=dt.date(2020, 5, 5))
    assert result.output is not None
    cells = [str(c.value) for row in load(result.output)["Resumen"].iter_rows() for c in row]
    said = [c for c in cells if "porque vigencia 2020, anterior al PTEP" in c]
    assert said and "seguimiento_paac_gobernacion_putumayo_2020.xlsx: PAAC (" in said[0]


def test_a_configured_cut_is_not_noted_as_unofficial(tmp_path: Path) -> None:
    from click.testing import CliRunner
    from conftest import SAMPLES

    from pac_excel.cli import cli

    (tmp_path / "entrada").mkdir()
    (tmp_path / "salida").mkdir()
    for sample in SAMPLES.glob("*.xlsx"):
        (tmp_path / "entrada" / sample.name).write_bytes(sample.read_bytes())
    toml = tmp_path / "pac-excel.toml"
    runner = CliRunner()
    args = ["consolidar", "--carpeta", str(tmp_path), "--corte", "30/06/2020"]
    toml.write_text("", encoding="utf-8")
    assert "no es un corte oficial" in runner.invoke(cli, args).stderr
    toml.write_text('[cortes]\nfechas = ["30/06", "31/12"]\n', encoding="utf-8")
    assert "no es un corte oficial" not in runner.invoke(cli, args).stderr
