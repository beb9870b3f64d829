"""The PDF font's fast string split gives ReportLab's own answer, string for string."""

from __future__ import annotations

from typing import Any

from reportlab.pdfbase.ttfonts import TTFont

from pac_excel.publish.ttf import FastTTFont

TEXTS = [
    "Subcomponente",
    "",
    "Gestión del Riesgo de Corrupción – Mapa de Riesgos",
    "Subcomponente",  # now every character is known: the fast path
    "año 2020: 43,8 % ñÑáéíóú ¿?¡!",
    "con\u00a0espacio duro",  # no-break space: drawn as a space
    "carácter fuera de la fuente: 漢字 y ☃",
    "Gestión del Riesgo de Corrupción – Mapa de Riesgos",
    "ΑΒΓ ЖЗИ ŁŒŠ",  # enough new characters to keep assigning codes
    "año 2020: 43,8 % ñÑáéíóú ¿?¡!",
]


class _Doc:
    """A stand-in for ReportLab's document: the font keeps one subset state per document."""


def test_fast_split_matches_reportlab_call_by_call() -> None:
    fast, slow = FastTTFont("FastVera", "Vera.ttf"), TTFont("SlowVera", "Vera.ttf")
    doc_fast, doc_slow = _Doc(), _Doc()
    for _ in range(3):
        for text in TEXTS:
            assert fast.splitString(text, doc_fast) == slow.splitString(text, doc_slow), text
    state_fast: Any = fast.state[doc_fast]  # ReportLab's State: attributes set at run time
    state_slow: Any = slow.state[doc_slow]
    assert state_fast.assignments == state_slow.assignments


def test_many_new_characters_spill_into_a_second_subset_as_reportlab_does() -> None:
    fast, slow = FastTTFont("FastVera2", "Vera.ttf"), TTFont("SlowVera2", "Vera.ttf")
    doc_fast, doc_slow = _Doc(), _Doc()
    glyphs = "".join(chr(c) for c in sorted(slow.face.charToGlyph) if c >= 0x20)
    for start in range(0, len(glyphs), 37):
        chunk = glyphs[start : start + 60]
        assert fast.splitString(chunk, doc_fast) == slow.splitString(chunk, doc_slow)
    again = fast.splitString(glyphs, doc_fast)  # every glyph of the font, all known now
    assert again == slow.splitString(glyphs, doc_slow)
    assert len({subset for subset, _ in again}) > 1
