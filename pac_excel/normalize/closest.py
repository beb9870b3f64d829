"""closest: ``difflib.get_close_matches(word, words, n=1, cutoff)`` for a list fixed at import.

Header labels that are not spelled like any alias ("REPOSABLES") are matched fuzzily against
every alias; most aliases differ so much in length that difflib's first bound already rules
them out. Grouping the aliases by length tries only those whose length lets the ratio reach
the cutoff; the ratios computed, and so the answer, are difflib's.
"""

from __future__ import annotations

from collections.abc import Iterable
from difflib import SequenceMatcher


class Closest:
    """The word of ``words`` closest to a given one, as ``get_close_matches(..., n=1)``."""

    def __init__(self, words: Iterable[str], cutoff: float) -> None:
        by_length: dict[int, list[str]] = {}
        for word in words:
            by_length.setdefault(len(word), []).append(word)
        self.cutoff = cutoff
        self.by_length = tuple((n, tuple(ws)) for n, ws in sorted(by_length.items()))

    def __call__(self, word: str) -> str | None:
        size = len(word)
        matcher = SequenceMatcher()
        matcher.set_seq2(word)
        best: tuple[float, str] | None = None
        for length, words in self.by_length:
            total = size + length
            # difflib's real_quick_ratio, the same arithmetic: an upper bound of the ratio.
            if (2.0 * min(size, length) / total if total else 1.0) < self.cutoff:
                continue
            for other in words:
                matcher.set_seq1(other)
                if matcher.quick_ratio() >= self.cutoff and matcher.ratio() >= self.cutoff:
                    found = (matcher.ratio(), other)
                    if best is None or found > best:
                        best = found  # the largest (ratio, word), as get_close_matches keeps
        return best[1] if best is not None else None
