"""The history store: one copy per cut, atomic writes (a really killed process), refusals of
damaged or foreign files, forward migration, and ``pac-excel historial``."""

from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
import sys
import textwrap
from contextlib import closing
from pathlib import Path

import pytest
from click.testing import CliRunner
from history_cuts import CUTS, build_cuts

from pac_excel import consolidate
from pac_excel.cli import cli
from pac_excel.history import STORE_NAME, HistoryError, Store
from pac_excel.history.store import MIGRATIONS, SCHEMA_VERSION

TODAY = dt.date(2021, 1, 5)


def two_cuts(tmp_path: Path) -> Path:
    out = tmp_path / "salida"
    for path, cut in list(zip(build_cuts(tmp_path), CUTS, strict=True))[:2]:
        consolidate([path], cutoff=cut, output_dir=out, today=TODAY)
    return out / STORE_NAME


def content(store: Path) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(store)) as connection, connection:
        cuts = connection.execute("SELECT * FROM cuts ORDER BY id").fetchall()
        rows = connection.execute("SELECT * FROM activities ORDER BY cut_id, position").fetchall()
    return cuts + rows


def test_rerunning_a_cut_leaves_one_copy(tmp_path: Path) -> None:
    store = two_cuts(tmp_path)
    again = build_cuts(tmp_path / "again")[1]
    consolidate([again], cutoff=CUTS[1], output_dir=store.parent, today=TODAY)
    cuts = Store(store).cuts()
    assert [c.cut_date for c in cuts] == list(CUTS[:2])
    assert [c.activities for c in cuts] == [14, 15]


CHILD = textwrap.dedent(
    """
    import datetime as dt, sys
    import pandas as pd
    from pac_excel.history.store import NewCut, Store
    store = Store(sys.argv[1])
    frame = store.activities("PAAC", [2020])
    frame = frame[frame["cut_date"] == frame["cut_date"].min()]
    half = len(frame) // 2

    def pause(done):
        if done == half:
            print("half", flush=True)
            sys.stdin.readline()  # never answered: the parent kills this process here

    cut = NewCut(sys.argv[2], "PAAC", dt.date(2020, 4, 30), 2020, ("x.xlsx",),
                 dt.datetime(2021, 1, 6))
    store.record([(cut, frame.assign(progress=0.99))], on_row=pause)
    """
)


def test_a_run_killed_while_writing_leaves_the_previous_content(tmp_path: Path) -> None:
    store = two_cuts(tmp_path)
    before = content(store)
    entity = Store(store).cuts()[0].entity
    with subprocess.Popen(
        [sys.executable, "-c", CHILD, str(store), entity],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as child:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "half"  # half the rows in, uncommitted
        child.kill()  # SIGKILL: no clean-up of any kind in the child
        child.wait()
    assert child.returncode == -9
    assert content(store) == before
    assert [c.activities for c in Store(store).cuts()] == [14, 15]


def test_a_foreign_file_is_refused_untouched(tmp_path: Path) -> None:
    out = tmp_path / "salida"
    out.mkdir()
    store = out / STORE_NAME
    store.write_bytes(b"esto no es una base de datos " * 100)
    before = store.read_bytes()
    path = build_cuts(tmp_path)[0]
    result = consolidate([path], cutoff=CUTS[0], output_dir=out, today=TODAY)
    problems = [p for p in result.problems if p.code == "historial-no-disponible"]
    assert len(problems) == 1
    assert "no es un historial de pac-excel" in problems[0].message
    assert "no se modificó" in problems[0].message.lower()
    assert store.read_bytes() == before
    assert result.output is not None and result.output.is_file()


def test_another_programs_database_is_refused(tmp_path: Path) -> None:
    store = tmp_path / STORE_NAME
    with closing(sqlite3.connect(store)) as connection, connection:
        connection.execute("CREATE TABLE clientes (nombre TEXT)")
    before = store.read_bytes()
    with pytest.raises(HistoryError, match="no tiene la tabla de control"):
        Store(store).cuts()
    assert store.read_bytes() == before


def test_an_older_schema_is_migrated_forward(tmp_path: Path) -> None:
    store = tmp_path / STORE_NAME
    with closing(sqlite3.connect(store)) as connection, connection:
        for statement in MIGRATIONS[0]:
            connection.execute(statement)
        connection.execute("INSERT INTO meta VALUES ('app', 'pac-excel')")
        connection.execute("INSERT INTO meta VALUES ('schema_version', '1')")
        connection.execute(
            "INSERT INTO cuts (entity, program, cut_date, year, files, run_at) "
            "VALUES ('Alcaldía', 'PAAC', '2020-04-30', 2020, '[]', '2020-05-01T00:00:00')"
        )
    cuts = Store(store).cuts()
    assert [(c.entity, c.origin) for c in cuts] == [("Alcaldía", "consolidado")]
    with closing(sqlite3.connect(store)) as connection, connection:
        meta = dict(connection.execute("SELECT key, value FROM meta").fetchall())
    assert meta["schema_version"] == str(SCHEMA_VERSION)


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    store = tmp_path / STORE_NAME
    Store(store).cuts()  # nothing yet
    with closing(sqlite3.connect(store)) as connection, connection:
        connection.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
        connection.execute("INSERT INTO meta VALUES ('app', 'pac-excel')")
        connection.execute("INSERT INTO meta VALUES ('schema_version', '99')")
    with pytest.raises(HistoryError, match="versión más reciente"):
        Store(store).cuts()


def test_historial_lists_and_removes_a_cut(tmp_path: Path) -> None:
    store = two_cuts(tmp_path)
    runner = CliRunner()
    listed = runner.invoke(cli, ["historial", "--salida", str(store.parent)])
    assert listed.exit_code == 0, listed.output
    lines = [line.strip() for line in listed.output.splitlines()[1:]]
    assert lines[0] == (
        "Alcaldía Municipal de Sibundoy · PAAC · corte 30/04/2020 · 14 actividades · "
        f"seguimiento_sibundoy_corte1.xlsx · registrado el {TODAY:%Y-%m-%d}"
    )
    assert "corte 31/08/2020 · 15 actividades" in lines[1]
    removed = runner.invoke(
        cli, ["historial", "--salida", str(store.parent), "--quitar", "2020-04-30"]
    )
    assert removed.exit_code == 0, removed.output
    assert [c.cut_date for c in Store(store).cuts()] == [CUTS[1]]
    missing = runner.invoke(
        cli, ["historial", "--salida", str(store.parent), "--quitar", "2020-04-30"]
    )
    assert missing.exit_code == 2
    assert "no tiene el corte 30/04/2020" in missing.output


def test_consolidar_records_into_the_output_folder(tmp_path: Path) -> None:
    paths = build_cuts(tmp_path)
    out = tmp_path / "informes"
    runner = CliRunner()
    for path, cut in list(zip(paths, CUTS, strict=True))[:2]:
        done = runner.invoke(
            cli, ["consolidar", str(path), "--corte", f"{cut:%Y-%m-%d}", "--salida", str(out)]
        )
        assert done.exit_code == 0, done.output
    assert [c.cut_date for c in Store(out / STORE_NAME).cuts()] == list(CUTS[:2])
    import openpyxl

    assert (
        "Evolución" in openpyxl.load_workbook(out / "seguimiento_paac_2020-08-31.xlsx").sheetnames
    )


def test_a_plan_folder_in_the_working_folder_is_compared(tmp_path: Path) -> None:
    import shutil

    import openpyxl

    paths = build_cuts(tmp_path / "cortes")
    work = tmp_path / "oci"
    runner = CliRunner()
    assert runner.invoke(cli, ["iniciar", str(work)]).exit_code == 0
    shutil.copy(paths[2], work / "entrada" / paths[2].name)
    (work / "plan").mkdir()
    shutil.copy(paths[0], work / "plan" / "plan_publicado.xlsx")
    done = runner.invoke(cli, ["consolidar", "--carpeta", str(work), "--corte", "2020-12-31"])
    assert done.exit_code == 0, done.output
    book = openpyxl.load_workbook(work / "salida" / "seguimiento_paac_2020-12-31.xlsx")
    findings = [row[0] for row in book["Plan"].iter_rows(min_row=2, values_only=True)]
    assert "No está en el seguimiento" in findings and "No estaba en el plan" in findings
    assert (work / "salida" / STORE_NAME).is_file()


def test_the_store_and_its_mapping_file_are_never_read_as_follow_ups(tmp_path: Path) -> None:
    path = build_cuts(tmp_path)[0]
    out = path.parent / "informes"  # written inside the folder being read
    out.mkdir()
    (out / "coincidencias_pac_excel.csv").write_text("actividad anterior;actividad actual\n")
    for _ in range(2):
        result = consolidate([path.parent], cutoff=CUTS[0], output_dir=out, today=TODAY)
    assert result.files_read == [path.name]
    assert not [p for p in result.problems if p.file in (STORE_NAME, "coincidencias_pac_excel.csv")]


def test_cuts_a_file_carries_side_by_side_fill_the_store(tmp_path: Path) -> None:
    from layout_fixtures import Sheet, build

    rows: list[list[object]] = [
        ["Vigencia:", 2020],
        ["Actividad", "Responsable", "Fecha programada", "Seguimiento 1 OCI", "",
         "Seguimiento 2 OCI", ""],
        ["", "", "", "% avance", "Observaciones", "% avance", "Observaciones"],
        ["Publicar el mapa", "Planeación", "30/06/2020", 0.5, "En curso", 0.5, "Igual"],
        ["Audiencia pública", "Despacho", "30/11/2020", 0, "Programada", 0.5, "Convocada"],
    ]  # fmt: skip
    merges = ["A2:A3", "B2:B3", "C2:C3", "D2:E2", "F2:G2"]
    path = build(tmp_path / "lado_a_lado.xlsx", {"PAAC": Sheet(rows, merges=merges)})
    out = tmp_path / "salida"
    result = consolidate([path], output_dir=out, today=TODAY)
    cuts = Store(out / STORE_NAME).cuts()
    assert [(c.cut_date, c.origin) for c in cuts] == [
        (dt.date(2020, 4, 30), "otro corte del archivo"),
        (dt.date(2020, 8, 31), "consolidado"),
    ]
    frame = result.evolution
    assert frame is not None
    moved = frame[frame["cut_date"].eq("2020-08-31")].set_index("activity")
    assert moved.loc["Publicar el mapa", "alert"] == "Sin movimiento"
    assert moved.loc["Audiencia pública", "change"] == 0.5
    # Consolidated on its own later, the April cut replaces the one the file carried.
    consolidate([path], cutoff=dt.date(2020, 4, 30), output_dir=out, today=TODAY)
    origins = {c.cut_date: c.origin for c in Store(out / STORE_NAME).cuts()}
    assert origins[dt.date(2020, 4, 30)] == "consolidado"
    # … and a later run carrying it again never puts the carried copy back over it.
    consolidate([path], output_dir=out, today=TODAY)
    origins = {c.cut_date: c.origin for c in Store(out / STORE_NAME).cuts()}
    assert origins[dt.date(2020, 4, 30)] == "consolidado"
