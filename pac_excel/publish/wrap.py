"""wrap: line breaking for the PDF's activity tables, measured once per word.

ReportLab's ``Paragraph`` re-breaks its text every time a table is measured, split across a
page or drawn; with 4,000 activities that was most of the publication time (about 100,000
wraps, 1.5 million width look-ups). Table cells given as plain text with line breaks are
measured by counting lines, so each cell is broken here once, with the width of each word
kept in a dictionary (the same words repeat through a plan).
"""

from __future__ import annotations

from reportlab.pdfbase.pdfmetrics import stringWidth


class Wrapper:
    """Greedy word wrap for one font and size, remembering each word's width."""

    def __init__(self, font: str, size: float) -> None:
        self.font = font
        self.size = size
        self._widths: dict[str, float] = {}
        self.space = stringWidth(" ", font, size)

    def width(self, word: str) -> float:
        found = self._widths.get(word)
        if found is None:
            found = self._widths[word] = stringWidth(word, self.font, self.size)
        return found

    def lines(self, text: str, width: float) -> list[str]:
        """``text`` broken into lines no wider than ``width`` points (its own line breaks
        kept; a word longer than a line is cut where it reaches the edge)."""
        out: list[str] = []
        for paragraph in text.splitlines() or [""]:
            line: list[str] = []
            used = 0.0
            for word in paragraph.split():
                w = self.width(word)
                if w > width:
                    if line:
                        out.append(" ".join(line))
                        line, used = [], 0.0
                    pieces = self._cut(word, width)
                    out.extend(pieces[:-1])
                    word, w = pieces[-1], self.width(pieces[-1])
                elif line and used + self.space + w > width:
                    out.append(" ".join(line))
                    line, used = [], 0.0
                used += (self.space if line else 0.0) + w
                line.append(word)
            out.append(" ".join(line))
        return out

    def text(self, text: str, width: float) -> str:
        return "\n".join(self.lines(text, width))

    def _cut(self, word: str, width: float) -> list[str]:
        pieces: list[str] = []
        current = ""
        for char in word:
            if current and stringWidth(current + char, self.font, self.size) > width:
                pieces.append(current)
                current = ""
            current += char
        pieces.append(current)
        return pieces
