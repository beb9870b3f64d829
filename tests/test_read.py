"""read: files are recognised by content, folders expanded, bad files become one Problem each."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from conftest import SEED_SAMPLE, make_workbook
from hostile_files import (
    BiffSheet,
    compound_file,
    inline,
    ods_file,
    ods_rows,
    package,
    sheet_xml,
    sst_xml,
    xls_file,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from pac_excel.problems import Problem, Severity
from pac_excel.read import preflight
from pac_excel.read.facts import LIMITS, Limits, Refused
from pac_excel.read.formats.cfb import CfbError, CompoundFile
from pac_excel.read.formats.text import decode, read_delimited, read_html
from pac_excel.read.formats.xls import scan_workbook_stream
from pac_excel.read.formats.xlsx import _exact_scan, _fast_scan, shared_string_lengths
from pac_excel.read.sheets import (
    OLE_MAGIC,
    InputFile,
    RawSheet,
    Settle,
    collect_inputs,
    ensure_safe_xml,
    read_file,
    sniff,
)


def read(path: Path) -> tuple[list[str], list[Problem]]:
    problems: list[Problem] = []
    sheets = read_file(InputFile(path, path.name), problems, settle=NO_WAIT)
    return [s.sheet for s in sheets], problems


def test_reads_every_sheet(tmp_path: Path) -> None:
    path = make_workbook(tmp_path / "a.xlsx", {"Uno": [["x"]], "Dos": [["y"]]})
    assert read(path) == (["Uno", "Dos"], [])


def test_xlsx_named_xls_is_read_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "misnamed.xls"
    shutil.copy(SEED_SAMPLE, path)
    sheets, problems = read(path)
    assert sheets == ["Seguimiento"]
    assert [(p.code, p.severity) for p in problems] == [("extension-no-coincide", Severity.WARNING)]


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "archivo-vacio"),
        (b"<html><body><table></table></body></html>", "no-es-hoja-de-calculo"),
        (b"PK\x03\x04" + b"\x00" * 40, "archivo-incompleto"),
        (
            OLE_MAGIC + b"\x00" * 600 + "EncryptedPackage".encode("utf-16-le"),
            "protegido-con-contrasena",
        ),
    ],
)
def test_bad_files_are_one_error_each(tmp_path: Path, content: bytes, code: str) -> None:
    path = tmp_path / "malo.xlsx"
    path.write_bytes(content)
    sheets, problems = read(path)
    assert sheets == []
    assert [(p.file, p.code, p.severity) for p in problems] == [("malo.xlsx", code, Severity.ERROR)]
    assert "corrupto" not in problems[0].message.lower()


def test_truncated_xlsx(tmp_path: Path) -> None:
    data = SEED_SAMPLE.read_bytes()
    path = tmp_path / "cortado.xlsx"
    path.write_bytes(data[: len(data) // 2])
    _, problems = read(path)
    assert [p.code for p in problems] == ["archivo-incompleto"]


def test_collect_inputs_folder(tmp_path: Path) -> None:
    make_workbook(tmp_path / "b.xlsx", {"S": [["x"]]})
    (tmp_path / "oficina").mkdir()
    make_workbook(tmp_path / "oficina" / "a.xlsx", {"S": [["x"]]})
    (tmp_path / "~$b.xlsx").write_bytes(b"lock")
    (tmp_path / "notas.txt").write_text("hola")
    problems: list[Problem] = []
    found = collect_inputs([tmp_path, tmp_path / "nada.xlsx"], problems)
    assert [f.name for f in found] == ["b.xlsx", "oficina/a.xlsx"]
    assert sorted((p.file, p.code) for p in problems) == [
        (str(tmp_path / "nada.xlsx"), "entrada-no-existe"),
        ("notas.txt", "archivo-ignorado"),
        ("~$b.xlsx", "archivo-ignorado"),
    ]


def test_sniff_kinds() -> None:
    assert sniff(SEED_SAMPLE) == "xlsx"


def test_inputs_are_not_modified(tmp_path: Path) -> None:
    path = tmp_path / "s.xlsx"
    shutil.copy2(SEED_SAMPLE, path)
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    read(path)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


# Reader layer: pre-flight scans, text formats, notes -------------------------------------

NO_WAIT = Settle(seconds=0.0, sleep=lambda _s: None)


def test_raw_sheet_keeps_its_old_shape() -> None:
    sheet = RawSheet("f.xlsx", Path("f.xlsx"), "S", [["a"]])
    assert (sheet.hidden, sheet.hidden_rows, tuple(sheet.merged)) == (False, frozenset(), ())


def test_ensure_safe_xml_passes_here() -> None:
    ensure_safe_xml()


def test_sniff_by_content(tmp_path: Path) -> None:
    assert sniff(xls_file(tmp_path / "a.xlsx", [BiffSheet("S", [["x"]])])) == "xls"
    (tmp_path / "t.xls").write_text("<html><table><tr><td>a</td></tr></table></html>")
    assert sniff(tmp_path / "t.xls") == "html"
    (tmp_path / "c.xls").write_text("a;b\n1;2\n")
    assert sniff(tmp_path / "c.xls") == "delimited"


def test_collect_inputs_excludes_and_stamps(tmp_path: Path) -> None:
    make_workbook(tmp_path / "a.xlsx", {"S": [["x"]]})
    (tmp_path / "out").mkdir()
    make_workbook(tmp_path / "out" / "old.xlsx", {"S": [["x"]]})
    (tmp_path / "nested" / ".hidden").mkdir(parents=True)
    make_workbook(tmp_path / "nested" / ".hidden" / "b.xlsx", {"S": [["x"]]})
    problems: list[Problem] = []
    (item,) = collect_inputs([tmp_path], problems, exclude=[tmp_path / "out"])
    assert item.name == "a.xlsx" and item.size == (tmp_path / "a.xlsx").stat().st_size
    assert sorted(p.file for p in problems) == ["nested/.hidden/", "out/old.xlsx"]
    # An explicitly named excluded file is skipped too.
    problems = []
    assert (
        collect_inputs([tmp_path / "out" / "old.xlsx"], problems, exclude=[tmp_path / "out"]) == []
    )
    assert [p.code for p in problems] == ["archivo-ignorado"]


def test_good_files_never_wait(tmp_path: Path) -> None:
    path = make_workbook(tmp_path / "nuevo.xlsx", {"S": [["x"]]})
    waits: list[float] = []
    problems: list[Problem] = []
    sheets = read_file(InputFile(path, path.name), problems, settle=Settle(sleep=waits.append))
    assert [s.sheet for s in sheets] == ["S"] and waits == [] and problems == []


def _regular_sheet(cells: list[tuple[int, int, str]], hidden: set[int]) -> bytes:
    by_row: dict[int, list[tuple[int, str]]] = {}
    for r, c, kind in cells:
        by_row.setdefault(r, []).append((c, kind))
    out = []
    for r in sorted(by_row):
        attrs = ' hidden="1"' if r in hidden else ""
        row = []
        for c, kind in sorted(dict(by_row[r]).items()):
            ref = f"{_col(c)}{r}"
            if kind == "s":
                row.append(f'<c r="{ref}" t="s"><v>{c % 3}</v></c>')
            elif kind == "f":
                row.append(f'<c r="{ref}"><f>1+1</f></c>')
            elif kind == "fv":
                row.append(f'<c r="{ref}"><f>1+1</f><v>2</v></c>')
            else:
                row.append(f'<c r="{ref}"><v>{r}</v></c>')
        out.append(f'<row r="{r}"{attrs}>{"".join(row)}</row>')
    return sheet_xml("".join(out)).encode()


def _col(c: int) -> str:
    letters = ""
    while c:
        c, rem = divmod(c - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(1, 300), st.integers(1, 800), st.sampled_from(["n", "s", "f", "fv"])),
        max_size=40,
    ),
    st.sets(st.integers(1, 300), max_size=5),
)
def test_fast_and_exact_sheet_scans_agree(
    cells: list[tuple[int, int, str]], hidden: set[int]
) -> None:
    data = _regular_sheet(cells, hidden)
    shared = [10, 200, 3000]
    fast = _fast_scan(data, shared)
    exact = _exact_scan(data, shared, "s.xml", LIMITS, LIMITS.file_chars)
    assert fast is not None
    # The fast scan also counts formula cells without a value: an upper bound.
    assert fast.rows >= exact.rows and fast.columns >= exact.columns and fast.cells >= exact.cells
    if all(kind != "f" for _, _, kind in cells):
        assert (fast.rows, fast.columns, fast.cells) == (exact.rows, exact.columns, exact.cells)
    assert fast.chars >= exact.chars
    assert sorted(fast.hidden_rows) == sorted(exact.hidden_rows)
    assert (fast.formulas, fast.formulas_without_value) == (
        exact.formulas,
        exact.formulas_without_value,
    )
    assert fast.first_without_value == exact.first_without_value


def test_prefixed_and_referenceless_cells_take_the_exact_path() -> None:
    prefixed = (
        b'<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<x:sheetData><x:row r="3" hidden="1"><x:c r="C3" t="s"><x:v>0</x:v></x:c></x:row>'
        b"<x:row><x:c><x:v>1</x:v></x:c><x:c><x:v>2</x:v></x:c></x:row></x:sheetData></x:worksheet>"
    )
    assert _fast_scan(prefixed, [5]) is None
    facts = _exact_scan(prefixed, [5], "s.xml", LIMITS, LIMITS.file_chars)
    assert (facts.rows, facts.columns, facts.cells, facts.chars) == (4, 3, 3, 5)
    assert facts.hidden_rows == [3]
    single_quotes = b"<worksheet><sheetData><row r='1'><c r='B1' t='s'><v>0</v></c></row></sheetData></worksheet>"
    assert _fast_scan(single_quotes, [5]) is None
    spaced = b'<worksheet><sheetData><row r="1"><c r="B1" t = "s"><v>0</v></c></row></sheetData></worksheet>'
    fast = _fast_scan(spaced, [5])
    assert fast is None or fast.chars >= 5  # never under the exact count
    assert _exact_scan(spaced, [5], "s.xml", LIMITS, LIMITS.file_chars).chars == 5


def test_shared_string_lengths_fast_and_exact() -> None:
    plain = sst_xml(["uno", "dos tres", ""]).encode()
    fast = shared_string_lengths(plain, "sst")
    assert len(fast) == 3 and fast[0] >= 3 and fast[1] >= 8
    rich = (
        b'<sst xmlns="x"><si><r><t>ab</t></r><r><t>cd</t></r></si><si/><x:si xmlns:x="x">'
        b"<x:t>hola</x:t></x:si></sst>"
    )
    assert shared_string_lengths(rich, "sst") == [4, 0, 4]


def test_cfb_rejects_loops_and_short_files() -> None:
    data = bytearray(compound_file({"Workbook": b"\x09\x08" + b"\0" * 5000}))
    assert CompoundFile(bytes(data)).find("workbook") is not None
    with pytest.raises(CfbError):
        CompoundFile(bytes(data[:600]))
    # Make the directory chain point at itself.
    first_dir = int.from_bytes(data[0x30:0x34], "little")
    fat_offset = 512
    data[fat_offset + 4 * first_dir : fat_offset + 4 * first_dir + 4] = first_dir.to_bytes(
        4, "little"
    )
    with pytest.raises(CfbError):
        CompoundFile(bytes(data))


def test_biff_scan_counts_copies_and_hidden_rows(tmp_path: Path) -> None:
    path = xls_file(
        tmp_path / "a.xls",
        [
            BiffSheet("Uno", [["abc", 1.5], ["abc", "de"]], hidden_rows=[2]),
            BiffSheet("Dos", [["x"]], hidden=True),
        ],
    )
    stream = CompoundFile(path.read_bytes())
    entry = stream.find("Workbook")
    assert entry is not None
    found = scan_workbook_stream(stream.read(entry, 1 << 24), LIMITS)
    uno = found.book.sheets["Uno"]
    assert (uno.rows, uno.columns, uno.cells, uno.chars, uno.hidden_rows) == (2, 2, 4, 8, [2])
    assert found.book.hidden_sheets == {"Dos"} and not found.encrypted


def test_biff_sst_with_continue_records(tmp_path: Path) -> None:
    long = "ñ" * 9000  # UTF-16: split over CONTINUE records
    path = xls_file(tmp_path / "c.xls", [BiffSheet("S", [["corto", long, "fin"]])])
    (sheet,), problems = read_file(InputFile(path, path.name), []), None
    assert sheet.rows == [["corto", long, "fin"]]
    cfb = CompoundFile(path.read_bytes())
    entry = cfb.find("Workbook")
    assert entry is not None
    facts = scan_workbook_stream(cfb.read(entry, 1 << 24), LIMITS).book.sheets["S"]
    assert facts.chars == 5 + 9000 + 3 and problems is None


def test_xlsx_notes_hidden_sheet_rows_and_controls(tmp_path: Path) -> None:
    rows = (
        '<row r="1">'
        + inline("A1", "uno\x07")
        + '</row><row r="2" hidden="1">'
        + inline("A2", "dos")
        + "</row>"
    )
    path = package(
        tmp_path / "n.xlsx",
        [sheet_xml(rows), sheet_xml('<row r="1">' + inline("A1", "x") + "</row>")],
        names=[("Visible", "visible"), ("Oculta", "hidden")],
    )
    problems: list[Problem] = []
    sheets = read_file(InputFile(path, path.name), problems)
    assert [(s.sheet, s.hidden, s.hidden_rows) for s in sheets] == [
        ("Visible", False, frozenset({2})),
        ("Oculta", True, frozenset()),
    ]
    assert sheets[0].rows == [["uno"], ["dos"]]
    assert sorted((p.code, p.sheet, p.row) for p in problems) == [
        ("caracteres-de-control", "Visible", 1),
        ("filas-ocultas", "Visible", 2),
        ("hoja-oculta", "Oculta", None),
    ]


def test_merged_ranges_are_clipped_to_the_data(tmp_path: Path) -> None:
    rows = '<row r="1">' + inline("A1", "a") + inline("B1", "b") + "</row>"
    merges = '<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>'
    path = package(tmp_path / "m.xlsx", [sheet_xml(rows, after=merges)])
    (sheet,) = read_file(InputFile(path, path.name), [])
    assert tuple(sheet.merged) == (((0, 0), (0, 1)),)


def test_ods_reads_with_libreoffice_style_repeats(tmp_path: Path) -> None:
    path = ods_file(tmp_path / "a.ods", ods_rows([["ACTIVIDADES", "AVANCE"], ["Hacer", "50%"]]))
    problems: list[Problem] = []
    (sheet,) = read_file(InputFile(path, path.name), problems)
    assert sheet.rows == [["ACTIVIDADES", "AVANCE"], ["Hacer", "50%"]] and problems == []


def test_text_decoding_order() -> None:
    assert decode("Año".encode("utf-8-sig")).encoding == "UTF-8"
    assert decode("Año".encode("utf-16")).text == "Año"
    fallback = decode("Año".encode("cp1252"))
    assert (fallback.text, fallback.fallback) == ("Año", True)
    declared = decode("Año".encode("cp1252"), "windows-1252")
    assert (declared.text, declared.fallback) == ("Año", False)


def test_html_spans_hidden_rows_and_nested_tables() -> None:
    html = (
        b"<html><body><table><tr><td rowspan=2>A</td><td colspan=2>B<br>C</td></tr>"
        b"<tr style='display: none'><td>d</td><td>e &amp; f</td></tr>"
        b"<tr><td>g</td><td><table><tr><td>interna</td></tr></table></td><td>h</td></tr>"
        b"</table></body></html>"
    )
    sheets, _ = read_html(html, LIMITS)
    outer = next(s for s in sheets if s.rows[0][0] == "A")
    assert outer.rows == [["A", "B\nC", None], [None, "d", "e & f"], ["g", "", "h"]]
    assert outer.merged == [((0, 0), (1, 0)), ((0, 1), (0, 2))]
    assert outer.hidden_rows == [2]
    assert any(s.rows == [["interna"]] for s in sheets)


def test_html_span_bomb_is_bounded() -> None:
    html = (
        b"<table><tr><td rowspan=65534 colspan=1000>x</td></tr>"
        + b"<tr><td>y</td></tr>" * 5
        + b"</table>"
    )
    with pytest.raises(Refused) as caught:
        read_html(html, Limits(sheet_cells=1_000_000))
    assert caught.value.code == "hoja-demasiado-grande"


def test_delimiter_is_detected() -> None:
    sheet, _ = read_delimited(b'a;b;c\n1;"2;3";4\n', LIMITS, lenient=False)
    assert sheet.rows == [["a", "b", "c"], ["1", "2;3", "4"]]
    tsv, _ = read_delimited("x\ty\n1\t2\n".encode("utf-16"), LIMITS, lenient=False)
    assert tsv.rows == [["x", "y"], ["1", "2"]]
    with pytest.raises(Refused):
        read_delimited(b"solo texto\nsin columnas\n", LIMITS, lenient=False)
    one, _ = read_delimited(b"lista\nde cosas\n", LIMITS, lenient=True)
    assert one.rows == [["lista"], ["de cosas"]]


def test_zip_directory_checks(tmp_path: Path) -> None:
    path = tmp_path / "dup.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with pytest.warns(UserWarning):
            archive.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(Refused, match="dos veces"):
        preflight.inspect(path)
    many = tmp_path / "many.xlsx"
    with zipfile.ZipFile(many, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        for i in range(30):
            archive.writestr(f"xl/media/{i}.bin", b"")
    with pytest.raises(Refused, match="partes"):
        preflight.inspect(many, Limits(zip_members=10))


def test_word_and_zip_archives_are_named(tmp_path: Path) -> None:
    word = tmp_path / "informe.xls"
    word.write_bytes(compound_file({"WordDocument": b"\0" * 4096}))
    _, problems = read(word)
    assert "Word" in problems[0].message and problems[0].code == "no-es-hoja-de-calculo"
    archive = tmp_path / "fotos.xlsx"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("foto.jpg", b"\xff\xd8")
    assert "comprimido" in read(archive)[1][0].message


def test_a_sheet_too_large_leaves_the_others(tmp_path: Path) -> None:
    far = (
        '<row r="1">'
        + inline("A1", "a")
        + '</row><row r="900000">'
        + inline("A900000", "z")
        + "</row>"
    )
    path = package(
        tmp_path / "dos.xlsx",
        [sheet_xml(far), sheet_xml('<row r="1">' + inline("A1", "ok") + "</row>")],
        names=[("Datos", "visible"), ("Plan", "visible")],
    )
    problems: list[Problem] = []
    sheets = read_file(InputFile(path, path.name), problems)
    assert [s.sheet for s in sheets] == ["Plan"]
    assert [(p.code, p.sheet) for p in problems] == [("hoja-demasiado-grande", "Datos")]
    assert "fila 900.000" in problems[0].message


def test_xls_with_one_sheet_too_large_is_refused_whole(tmp_path: Path) -> None:
    # calamine parses every .xls sheet when it opens the file: one too large and none is read.
    path = xls_file(
        tmp_path / "big.xls",
        [BiffSheet("Grande", [["x"]], repeat_cells=2_000), BiffSheet("Plan", [["ok"]])],
    )
    problems: list[Problem] = []
    sheets = read_file(
        InputFile(path, path.name), problems, limits=Limits(sheet_cells=1_000), settle=NO_WAIT
    )
    assert sheets == [] and [p.code for p in problems] == ["hoja-demasiado-grande"]
    assert "«Grande»" in problems[0].message


def test_a_refusal_needs_a_registered_code() -> None:
    assert Refused("archivo-danado", "x").code == "archivo-danado"
    with pytest.raises(ValueError, match="problems.CODES"):
        Refused("archivo-raro", "x")


def test_problems_take_their_usual_severity_from_the_registry() -> None:
    usual = Problem.in_file("a.xlsx", "hoja-oculta", "m", sheet="Hoja1")
    assert (usual.severity, usual.sheet, usual.row) == (Severity.WARNING, "Hoja1", None)
    raised = Problem.in_file("a.xlsx", "hoja-oculta", "m", severity=Severity.ERROR)
    assert raised.severity is Severity.ERROR
    with pytest.raises(ValueError, match="problems.CODES"):
        Problem.in_file("a.xlsx", "codigo-inventado", "m")
