"""closest: fuzzy word matching that tries only the words whose length lets them match.

A ``SequenceMatcher`` ratio is at most ``2 * min(len) / (len + len)`` (difflib's
``real_quick_ratio``), so a word much longer or shorter than another can never reach a cutoff
against it. Header labels that are not spelled like any alias ("REPOSABLES") and the words of
a catalog's component names are compared with many words this way; ``ByLength`` keeps them
grouped by length and yields only those that may match, and the ratios computed, and so the
answers, stay difflib's.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from difflib import SequenceMatcher


class ByLength:
    """Words grouped by length, for those that may reach ``cutoff`` against a given length."""

    def __init__(self, words: Iterable[str], cutoff: float) -> None:
        groups: dict[int, list[str]] = {}
        for word in words:
            groups.setdefault(len(word), []).append(word)
        self.cutoff = cutoff
        self.groups = tuple((n, tuple(ws)) for n, ws in sorted(groups.items()))

    def candidates(self, size: int) -> Iterator[str]:
        """The words whose length lets a ratio against a word of ``size`` reach the cutoff."""
        for length, words in self.groups:
            total = size + length
            # difflib's real_quick_ratio, the same arithmetic: an upper bound of the ratio.
            if (2.0 * min(size, length) / total if total else 1.0) >= self.cutoff:
                yield from words


class Closest:
    """The word of ``words`` closest to a given one, as ``difflib.get_close_matches(word,
    words, n=1, cutoff)`` for a list fixed at import."""

    def __init__(self, words: Iterable[str], cutoff: float) -> None:
        self.words = ByLength(words, cutoff)
        self.cutoff = cutoff

    def __call__(self, word: str) -> str | None:
        matcher = SequenceMatcher()
        matcher.set_seq2(word)
        best: tuple[float, str] | None = None
        for other in self.words.candidates(len(word)):
            matcher.set_seq1(other)
            if matcher.quick_ratio() >= self.cutoff and matcher.ratio() >= self.cutoff:
                found = (matcher.ratio(), other)
                if best is None or found > best:
                    best = found  # the largest (ratio, word), as get_close_matches keeps
        return best[1] if best is not None else None
