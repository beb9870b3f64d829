"""ttf: the embedded TrueType font, with ReportLab's per-character string split made cheap.

ReportLab draws every string of a TrueType font through ``TTFont.splitString``, a Python loop
over the characters that maps each to its code in a font subset (assigning a code the first
time a character is used). With 1,000 offices that loop was 16 s of the PDF's 98 s under the
profiler. Once every character of a string already has a code in the first subset, which is
nearly always the case for Spanish text, the answer is one ``str.translate``: the same bytes
ReportLab would compute, because a code once assigned never changes.
"""

from __future__ import annotations

from typing import Any

from reportlab.pdfbase.ttfonts import TTFont

FIRST_SUBSET = 256  # codes below this are subset 0


class FastTTFont(TTFont):
    """A ``TTFont`` whose ``splitString`` skips the loop for strings of known characters."""

    def splitString(self, text: Any, doc: Any, encoding: str = "utf-8") -> Any:
        state: Any = self.state.get(doc)  # ReportLab's State: attributes set at run time
        if state is not None and isinstance(text, str):
            known: tuple[int, frozenset[str], dict[int, str]] | None = getattr(
                state, "_pac_subset0", None
            )
            if known is not None and known[0] == len(state.assignments):
                if not text:
                    return []
                if known[1].issuperset(text):
                    return [(0, text.translate(known[2]).encode("latin-1"))]
        result = super().splitString(text, doc, encoding)
        state = self.state[doc]
        if getattr(state, "_pac_subset0", (None,))[0] != len(state.assignments):
            table = {c: chr(n) for c, n in state.assignments.items() if n < FIRST_SUBSET}
            # No-break space is drawn as a space by ReportLab: it stays on the slow path.
            chars = frozenset(chr(c) for c in table if c != 0xA0)
            state._pac_subset0 = (len(state.assignments), chars, table)
        return result
