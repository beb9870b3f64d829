"""match: which activity of one list is which of another (an earlier cut, or the plan).

The same activity is rarely written the same way twice. In order: a pin from the user's
mapping file; the stable key (component and folded text: accents, case and punctuation do not
count); then text similarity within the same component (rapidfuzz's token-set ratio, which
forgives a word added or a number inserted). One earlier activity that two later ones resemble
strongly, each of them most like it, was split. A weak resemblance, or one equally strong
towards two activities, is never linked: it is returned as a doubt for the user to pin.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from rapidfuzz import fuzz, process

from pac_excel.text import fold

PINS_NAME = "coincidencias_pac_excel.csv"
PIN_HEADERS = ("actividad anterior", "actividad actual")
STRONG = 85.0  # token-set ratio from which two texts are the same activity reworded
WEAK = 60.0  # below this two texts are unrelated; between the two: a doubt
MARGIN = 5.0  # two candidates this close are a tie: a doubt, not a guess

SAME = "Igual"
REWORDED = "Texto cambiado"
SPLIT = "Dividida"
PINNED = "Fijada"


@dataclass(frozen=True)
class Link:
    """Position ``old`` of the earlier list is position ``new`` of the later one."""

    old: int
    new: int
    kind: str  # SAME / REWORDED / SPLIT / PINNED
    score: float  # 0..100


@dataclass(frozen=True)
class Doubt:
    """A resemblance not linked: too weak, or a tie between two candidates."""

    old: int
    new: int
    score: float
    tie: int | None = None  # the other candidate (a later position) when it is a tie
    rival: int | None = None  # another earlier text (position) just as like ``new``


@dataclass
class Matching:
    links: list[Link] = field(default_factory=list)
    doubts: list[Doubt] = field(default_factory=list)


LinkFn = Callable[[int, int, str, float], None]
Pins = dict[str, str | None]  # folded earlier text -> folded later text, None: no match


def key(text: object) -> str:
    """The text as matching compares it."""
    return fold(text) if isinstance(text, str) else ""


def load_pins(path: Path | None) -> Pins:
    """The user's mapping file (CSV, «;» or «,»): earlier text, later text (blank: none)."""
    if path is None or not path.is_file():
        return {}
    text = path.read_text(encoding="utf-8-sig")
    delimiter = ";" if text.count(";") >= text.count(",") else ","
    pins: Pins = {}
    for row in csv.reader(text.splitlines(), delimiter=delimiter):
        if not row or not row[0].strip() or key(row[0]) == key(PIN_HEADERS[0]):
            continue
        later = row[1].strip() if len(row) > 1 else ""
        pins[key(row[0])] = key(later) or None
    return pins


def match(old: pd.DataFrame, new: pd.DataFrame, pins: Pins | None = None) -> Matching:
    """Link the rows of ``old`` to those of ``new`` (columns component and activity; links
    and doubts name positions, 0-based)."""
    return match_rows(
        list(zip(old["component"].tolist(), old["activity"].tolist(), strict=True)),
        list(zip(new["component"].tolist(), new["activity"].tolist(), strict=True)),
        pins,
    )


def match_rows(
    old: Sequence[tuple[object, object]],
    new: Sequence[tuple[object, object]],
    pins: Pins | None = None,
) -> Matching:
    """``match`` on plain (component, activity) pairs."""
    state = _State(
        [key(t) for _, t in old],
        [key(t) for _, t in new],
        [_component(c) for c, _ in old],
        [_component(c) for c, _ in new],
    )
    state.pinned(pins or {})
    state.exact()
    free_comps = {state.old_comp[i] for i in state.free_old}
    for component in sorted(free_comps, key=lambda c: (c is None, c or 0)):
        olds = [i for i in sorted(state.free_old) if state.old_comp[i] == component]
        news = [j for j in sorted(state.free_new) if state.new_comp[j] == component]
        if olds and news:
            _similar(state.result, olds, news, state.old_keys, state.new_keys, state.link)
    state.result.links.sort(key=lambda x: (x.new, x.old))
    return state.result


def _component(value: object) -> int | None:
    """The component number, None when it is missing."""
    if isinstance(value, int) or (isinstance(value, float) and not math.isnan(value)):
        return int(value)
    return None


@dataclass
class _State:
    """The two lists being matched and what is still unlinked."""

    old_keys: list[str]
    new_keys: list[str]
    old_comp: list[int | None]
    new_comp: list[int | None]
    result: Matching = field(default_factory=Matching)
    free_old: set[int] = field(default_factory=set)
    free_new: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.free_old = set(range(len(self.old_keys)))
        self.free_new = set(range(len(self.new_keys)))

    def link(self, i: int, j: int, kind: str, score: float) -> None:
        self.result.links.append(Link(i, j, kind, score))
        self.free_old.discard(i)
        self.free_new.discard(j)

    def pinned(self, pins: Pins) -> None:
        """The user's pins first; a pin to nothing keeps the earlier text unlinked."""
        for i, k in enumerate(self.old_keys):
            if k not in pins:
                continue
            self.free_old.discard(i)
            target = pins[k]
            j = next((j for j in sorted(self.free_new) if self.new_keys[j] == target), None)
            if target is not None and j is not None:
                self.link(i, j, PINNED, 100.0)

    def exact(self) -> None:
        """Same component and same folded text, in reading order."""
        by_key: dict[tuple[int | None, str], list[int]] = {}
        for j in sorted(self.free_new):
            by_key.setdefault((self.new_comp[j], self.new_keys[j]), []).append(j)
        for i in sorted(self.free_old):
            waiting = by_key.get((self.old_comp[i], self.old_keys[i]))
            if waiting:
                self.link(i, waiting.pop(0), SAME, 100.0)


def _similar(
    result: Matching,
    olds: Sequence[int],
    news: Sequence[int],
    old_keys: Sequence[str],
    new_keys: Sequence[str],
    link: LinkFn,
) -> None:
    """Fuzzy step within one component, best resemblances first."""
    scores = process.cdist(
        [old_keys[i] for i in olds], [new_keys[j] for j in news], scorer=fuzz.token_set_ratio
    )
    score = {(i, j): float(scores[a][b]) for a, i in enumerate(olds) for b, j in enumerate(news)}
    taken: set[int] = set()
    settled: set[int] = set()
    order = sorted(olds, key=lambda i: -max(score[i, j] for j in news))
    for i in order:
        candidates = sorted(
            ((score[i, j], j) for j in news if j not in taken and score[i, j] >= WEAK),
            reverse=True,
        )
        if not candidates:
            continue
        # Later texts most like this earlier one, among the earlier ones still unlinked.
        own = [c for s, c in candidates if s >= STRONG and _best_old(olds, score, c) == i]
        best, j = candidates[0]
        floor = max(STRONG, best - MARGIN)
        rival = next(
            (o for o in olds if o != i and o not in settled and score[o, j] >= floor), None
        )
        took = _decide(result, i, candidates, own, score, link, rival)
        taken.update(took)
        if took and rival is None:
            settled.add(i)


def _best_old(olds: Sequence[int], score: dict[tuple[int, int], float], j: int) -> int:
    return max(olds, key=lambda o: score[o, j])


def _decide(
    result: Matching,
    i: int,
    candidates: list[tuple[float, int]],
    own: list[int],
    score: dict[tuple[int, int], float],
    link: LinkFn,
    rival: int | None,
) -> list[int]:
    """Link earlier text ``i`` (split, reworded) or record a doubt; returns the later texts
    it took out of the pool (a tie's candidate too: it is never guessed for the rival)."""
    best, j = candidates[0]
    if len(own) >= 2:
        for c in own:
            link(i, c, SPLIT, score[i, c])
        return own
    if rival is not None:
        result.doubts.append(Doubt(i, j, best, rival=rival))
        return [j]
    if best >= STRONG and (len(candidates) == 1 or candidates[1][0] < best - MARGIN):
        link(i, j, REWORDED, best)
        return [j]
    tie = candidates[1][1] if best >= STRONG else None
    result.doubts.append(Doubt(i, j, best, tie=tie))
    return []
