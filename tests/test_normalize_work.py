"""How much work reading and normalizing a file does: the caches and early exits that make it
cheap give the answers of the plain rules, and bound the work they save.

No test measures time: each counts calls of the costly step, or compares the short cut with
the rule written out plainly on many inputs.
"""

from __future__ import annotations

import difflib
import random
import re
import unicodedata
from collections.abc import Callable, Iterator
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

import pytest
from layout_fixtures import build, run

from pac_excel import text
from pac_excel.normalize import catalog as catalog_module
from pac_excel.normalize import closest as closest_module
from pac_excel.normalize import header as header_module
from pac_excel.normalize import run as run_module
from pac_excel.normalize import sheets as sheets_module
from pac_excel.normalize.catalog import (
    FUZZY_MIN_LEN,
    FUZZY_RATIO,
    _found,
    _similar,
    _tokens,
    load_catalog,
    parse_component_heading,
)
from pac_excel.normalize.cells import _ascii_word_chars
from pac_excel.normalize.choice import MAX_HEADING_CHARS, _lone_text
from pac_excel.normalize.evidence import _URL, urls_in
from pac_excel.normalize.header import (
    _CLOSEST_ALIAS,
    _FUZZY_ALIASES,
    FUZZY_CUTOFF,
    MIN_FIELDS,
    find_header,
    is_repeated_header,
    match_field,
)
from pac_excel.normalize.model import match_key
from pac_excel.normalize.programs import load_program
from pac_excel.text import cell_text, fold, is_blank, is_blank_row, nonblank_cells, strip_accents

HEADER: list[object] = [
    "No",
    "Subcomponente",
    "Actividades",
    "Meta o producto",
    "Responsable",
    "Fecha programada",
    "% avance",
    "Observaciones",
]


def plan_rows(count: int) -> list[list[object]]:
    """A plan sheet with a title block and ``count`` activities, texts repeated down the rows."""
    rows: list[list[object]] = [
        ["PLAN ANTICORRUPCIÓN Y DE ATENCIÓN AL CIUDADANO"],
        ["Entidad:", "Alcaldía de Sibundoy"],
        ["Vigencia:", 2020],
        ["Componente 1: Gestión del Riesgo de Corrupción"],
        HEADER,
    ]
    for n in range(1, count + 1):
        rows.append(
            [
                f"1.{n}",
                "Política de Administración de Riesgos",
                f"Actualizar el mapa de riesgos, versión {n}",
                "Mapa publicado",
                "Oficina de Planeación",
                "30/06/2020",
                0.5,
                "Se verificó el acta  de reunión.",  # two spaces: the tidying path
            ]
        )
    return rows


class Counter:
    """Wraps a function and counts its calls (the argument values are kept)."""

    def __init__(self, function: Callable[..., Any]) -> None:
        self.function = function
        self.calls: list[tuple[Any, ...]] = []

    def __call__(self, *args: Any) -> Any:
        self.calls.append(args)
        return self.function(*args)


# The text helpers ------------------------------------------------------------------------


def _code_point_blocks() -> Iterator[str]:
    points = [chr(i) for i in range(0x110000) if not 0xD800 <= i < 0xE000]
    for start in range(0, len(points), 4096):
        yield "".join(points[start : start + 4096])


def test_strip_accents_is_the_per_character_rule_on_every_code_point() -> None:
    def plain(value: str) -> str:
        decomposed = unicodedata.normalize("NFKD", value)
        return "".join(c for c in decomposed if not unicodedata.combining(c))

    for block in _code_point_blocks():
        assert strip_accents(block) == plain(block)
    assert strip_accents("Gestión ÑANDÚ ﬁ ½") == "Gestion NANDU fi 1⁄2"


def test_a_string_cell_is_tidied_once_per_distinct_text(tmp_path: Path) -> None:
    path = build(tmp_path / "plan.xlsx", {"PAAC": plan_rows(30)})
    cleaning = text._known_text
    cleaning.cache_clear()
    got = run(path)
    assert len(got.acts) == 30
    distinct = {v for sheet in got.sheets for row in sheet.rows for v in row if isinstance(v, str)}
    worked = cleaning.cache_info()
    # Every pass (header, metadata, sections, rows) reads the cells again; each text is
    # worked out once, far fewer times than it is asked for.
    assert worked.misses <= len(distinct)
    assert worked.hits > 3 * worked.misses
    assert got.acts[0]["observations"] == "Se verificó el acta de reunión."


def test_the_text_cache_keeps_neither_long_texts_nor_more_than_its_bound() -> None:
    cache = text._known_text
    cache.cache_clear()
    long = "Informe  de avance " * 1000  # 19,000 characters, tidied every time it is read
    assert cell_text(long) == cell_text(long) == long.replace("  ", " ").strip()
    assert cache.cache_info().currsize == 0
    bound = cache.cache_info().maxsize
    assert bound is not None and bound <= 10_000
    for n in range(bound + 100):
        cell_text(f"Actividad {n}")
    assert cache.cache_info().currsize == bound


@pytest.mark.parametrize(
    "value",
    [None, "", "  ", "\u00a0", "x", " x ", 0.0, float("nan"), 0, False, 3, "\n", "nan"],
)
def test_inline_blank_tests_agree_with_is_blank(value: object) -> None:
    row = [None, value, "", value]
    assert is_blank_row(row) == all(is_blank(v) for v in row)
    assert nonblank_cells(row) == [(c, v) for c, v in enumerate(row) if not is_blank(v)]


def test_cell_text_of_strings_and_other_values_is_unchanged() -> None:
    assert cell_text("  Ver\r\n\r\nacta\u00a0 1 \x07") == "Ver\nacta 1"
    assert cell_text(2020.0) == "2020" and cell_text(True) == "VERDADERO"
    assert cell_text(float("nan")) == "" and cell_text(None) == ""


# Rows: letterhead keys, section lines, addresses --------------------------------------------


def test_ascii_letter_count_is_the_regex_count() -> None:
    pattern = re.compile(r"[^0-9A-Za-z%#]+")
    rng = random.Random(7)
    alphabet = [chr(i) for i in range(400)] + ["é", "ñ", "€", "\u0301", "🙂", "Ｗ", "K"]
    for _ in range(5000):
        value = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        assert _ascii_word_chars(value) == len(pattern.sub("", value))


def _lone_text_plain(row: list[object]) -> tuple[int, str] | None:
    texts = [(c, v) for c, v in enumerate(row) if not is_blank(v)]
    if texts and len({cell_text(v) for _, v in texts}) == 1:
        c, value = texts[0]
        if isinstance(value, str) and len(value) <= MAX_HEADING_CHARS:
            return c, value
    return None


def test_lone_text_is_the_one_distinct_text_rule() -> None:
    rng = random.Random(3)
    values: list[object] = [None, "", " ", "Componente 2", "Componente 2 ", 2.0, "2", "x" * 151]
    for _ in range(3000):
        row = [rng.choice(values) for _ in range(rng.randint(0, 6))]
        assert _lone_text(row) == _lone_text_plain(row), row


def test_a_data_row_is_left_after_its_second_distinct_text() -> None:
    looked_at: list[object] = []

    class Row(list[object]):
        def __iter__(self) -> Iterator[object]:
            for value in super().__iter__():
                looked_at.append(value)
                yield value

    row = Row(["Política", "Actualizar el mapa", "Planeación", "30/06/2020", 0.5, "Ok"])
    assert _lone_text(row) is None
    assert looked_at == ["Política", "Actualizar el mapa"]


@pytest.mark.parametrize(
    "value",
    [
        "Ver https://drive.google.com/acta.pdf.",
        "Publicado en WWW.ENTIDAD.GOV.CO/transparencia/informe.pdf",
        "Soporte: Www.Sibundoy.gov.co/x",
        "publicado en www.entidad.gov.co",
        "sin dirección",
        "ftp://servidor/archivo",
        "",
    ],
)
def test_urls_in_finds_what_the_pattern_finds(value: str) -> None:
    assert urls_in(value) == [m.group(0).rstrip(".,;:)]}") for m in _URL.finditer(value)]


# The repeated header ------------------------------------------------------------------------


def _repeated_plain(row: list[object], labels: dict[int, str]) -> bool:
    hits = 0
    for column, label in labels.items():
        value = row[column] if column < len(row) else None
        if isinstance(value, str) and len(value) < 90:
            hits += fold(cell_text(value)) == fold(label)
    return hits >= max(MIN_FIELDS, len(labels) - 1)


def test_repeated_header_stops_once_the_bar_is_out_of_reach(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    header = find_header([HEADER])
    assert header is not None
    assert is_repeated_header(list(HEADER), header)
    folds = Counter(fold)
    monkeypatch.setattr(header_module, "fold", folds)
    data: list[object] = ["1.1", "Política", "Actualizar", "Mapa", "Planeación", "x", "0", "y"]
    assert not is_repeated_header(data, header)
    # Two cells that differ from their labels already miss the bar (all but one must match):
    # the other six cells and their labels are never folded.
    assert folds.calls == [("1.1",), ("No",), ("Política",), ("Subcomponente",)]
    rng = random.Random(5)
    for _ in range(500):
        row = [rng.choice([*HEADER, "x", None, 0.5]) for _ in range(len(HEADER))]
        assert is_repeated_header(row, header) == _repeated_plain(row, header.labels)


def _misspelled(word: str, rng: random.Random) -> str:
    letters = list(word)
    for _ in range(rng.randint(0, 3)):
        at = rng.randrange(len(letters)) if letters else 0
        change = rng.random()
        if change < 0.4 and letters:
            letters[at] = rng.choice("aeiorsnt %")
        elif change < 0.7 and letters:
            del letters[at]
        else:
            letters.insert(at, rng.choice("aeiorsnt %"))
    return "".join(letters)


def test_closest_alias_is_get_close_matches() -> None:
    rng = random.Random(13)
    labels = [_misspelled(alias, rng) for alias in _FUZZY_ALIASES for _ in range(4)]
    labels += ["", "x", "reposables", "observaciones de la oci", "seguimiento" * 5]
    for label in labels:
        close = difflib.get_close_matches(label, _FUZZY_ALIASES, n=1, cutoff=FUZZY_CUTOFF)
        assert _CLOSEST_ALIAS(label) == (close[0] if close else None), label
    assert match_field("REPOSABLES") == "owner"


def test_closest_alias_tries_only_aliases_of_a_possible_length(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tried: list[str] = []

    class Counting(SequenceMatcher):  # type: ignore[type-arg]
        def set_seq1(self, a: Any) -> None:
            if a:  # not the empty sequence the constructor sets
                tried.append(a)
            super().set_seq1(a)

    monkeypatch.setattr(closest_module, "SequenceMatcher", Counting)
    assert _CLOSEST_ALIAS("reposables") == "responsables"
    assert tried and all(2 * min(len(a), 10) / (len(a) + 10) >= FUZZY_CUTOFF for a in tried)
    assert len(tried) < len(_FUZZY_ALIASES) // 2


# Component names ----------------------------------------------------------------------------


def _present_plain(vocabulary: frozenset[str], words: list[str]) -> set[str]:
    return {w for w in vocabulary if _found(w, words)}


TEXTS = [
    "Componente 3: Rendicion de cuentas",
    "4. Mecanismos para mejorar la atención al ciudadano",
    "Racionalizacion de tramites",
    "Gestion del riesgo de corrupcion - mapa de riesgos",
    "Mecanismos para la transparencia y acceso a la informacion",
    "Iniciativas adicionales",
    "Rendisión de cuentas",  # typo
    "Transparensia y aceso a la informasion publica",  # typos
    "REPUBLICA DE COLOMBIA",
    "Alcaldía municipal de Valle del Guamuez",
    "Integridad pública y gestión de conflictos de interés",
    "Canales de denuncia",
]


@pytest.mark.parametrize("program", ["paac", "ptep"])
def test_name_words_found_by_length_are_the_words_found_one_by_one(program: str) -> None:
    catalog = load_program(program).catalog
    for vocabulary in (catalog._vocabulary, catalog._heading_vocabulary):
        for value in TEXTS:
            words = [w for w in _tokens(value) if not w.isdigit()]
            assert vocabulary.present(words) == _present_plain(vocabulary.words, words), value


def test_name_words_are_compared_only_when_their_lengths_allow(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    catalog = load_catalog()
    similar = Counter(_similar)
    monkeypatch.setattr(catalog_module, "_similar", similar)
    vocabulary = catalog._vocabulary
    words = [w for w in _tokens("Transparensia y aceso a la informasion publica") if w]
    vocabulary.present(words)
    for name_word, text_word in similar.calls:
        size, other = len(name_word), len(text_word)
        assert min(size, other) >= FUZZY_MIN_LEN
        assert 2 * min(size, other) / (size + other) >= FUZZY_RATIO
    # Without the lengths every word of the names would be tried against every text word.
    assert 0 < len(similar.calls) < len(vocabulary.words) * len(words) // 2


def test_similar_keeps_difflibs_ratio() -> None:
    rng = random.Random(11)
    letters = "aeiourstnlcdmp"
    for _ in range(3000):
        a = "".join(rng.choice(letters) for _ in range(rng.randint(1, 12)))
        b = list(a)
        for _ in range(rng.randint(0, 3)):
            b[rng.randrange(len(b))] = rng.choice(letters)
        other = "".join(b) + rng.choice(["", "s", "es"])
        plain = a == other or (
            min(len(a), len(other)) >= FUZZY_MIN_LEN
            and SequenceMatcher(None, a, other).ratio() >= FUZZY_RATIO
        )
        assert _similar(a, other) == plain, (a, other)


def test_headings_still_name_their_components() -> None:
    assert parse_component_heading("COMPONENTE 3: RENDICIÓN DE CUENTAS") == 3
    assert parse_component_heading("4. Mecanismos para mejorar la atención al ciudadano") == 4
    assert parse_component_heading("1. Actualizar el mapa de riesgos") is None


# Work skipped when there is nothing to compare ---------------------------------------------


def test_activity_keys_are_built_only_for_a_file_with_other_cuts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    keys_in_run = Counter(match_key)
    keys_in_sheets = Counter(match_key)
    monkeypatch.setattr(run_module, "match_key", keys_in_run)
    monkeypatch.setattr(sheets_module, "match_key", keys_in_sheets)
    single = run(build(tmp_path / "one.xlsx", {"PAAC": plan_rows(5)}))
    assert len(single.acts) == 5
    assert keys_in_run.calls == [] and keys_in_sheets.calls == []

    first, second = plan_rows(5), plan_rows(5)
    for row in second[5:]:
        row[6] = 1.0
    cuts = run(build(tmp_path / "two.xlsx", {"PAAC": first, "PAAC (2)": second}))
    assert {a["sheet"] for a in cuts.acts} == {"PAAC (2)"}
    assert len(cuts.result.history) == 5
    assert keys_in_sheets.calls and keys_in_run.calls
