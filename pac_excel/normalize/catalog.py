"""catalog: which PAAC component (1-6) a subcomponent text or a component heading belongs to.

The names live in ``catalogs/components.json`` (data, not code) because entities rename
components freely (v1 names, local variants, PTEP sections from 2025 on) and users must be able
to add their own names without touching the matcher.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from importlib import resources
from typing import Any

from pac_excel.normalize.closest import ByLength
from pac_excel.text import fold as _fold_basic
from pac_excel.text import strip_accents

__all__ = [
    "Catalog",
    "Component",
    "component_from_sheet_name",
    "component_label",
    "fold",
    "infer_component",
    "load_catalog",
    "parse_component_heading",
    "policy_component",
]

# Words that carry no meaning for telling components apart. "componente", "subcomponente" and
# "proceso" are the labels files put in front of names ("Subcomponente/proceso 2 ...").
_STOPWORD_TEXT = (
    "a al con de del e el en la las lo los o para por se su sus u un una y "
    "componente subcomponente proceso no nro"
)
STOPWORDS = frozenset(_STOPWORD_TEXT.split())
FUZZY_RATIO = 0.85  # difflib ratio for two words to count as the same word (typos, plurals)
FUZZY_MIN_LEN = 4  # shorter words must match exactly: one typo in 3 letters is another word
NAME_COVERAGE = 0.6  # share of a name's words the text must contain for the name to match
HEADING_COVERAGE = 0.8  # share of a bare heading's words the name must explain

# Priorities break ties between names with as many matched words and the same coverage.
_PRIORITY_EXTRA = 4  # the user's own names beat the shipped ones
_PRIORITY_NAME = 3  # official names and aliases
_PRIORITY_SUBCOMPONENT = 2
_PRIORITY_KEYWORD = 1
_PRIORITY_GENERIC = 0  # "Seguimiento": decides alone, never against anything else

_RESOURCE = "components.json"

_SPACES = re.compile(r"\s+")
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9}
# "COMPONENTE 1:", "Componente: 2.", "COMPONENTE No. 4 -", "Componente N° 5", "Componente IV".
_COMPONENT_HEAD = re.compile(
    r"^[\W_]*componente\b[\s:.\-\u2013\u2014]*"
    r"(?:(?:numero|num|nro|no|n)\b\.?\s*[°o]?\.?\s*|#\s*)?"
    r"(?P<number>\d{1,2}|[ivx]{1,4}\b)?(?![.,]?\d)"
    r"(?P<rest>.*)$",
    re.DOTALL,
)
# "4. Mecanismos ...", "3 - Rendición", "1" but not "1.1 Política ..." (a subcomponent number).
_LEADING_NUMBER = re.compile(
    r"^[\W_]*(?P<number>\d{1,2})(?![.,]?\d)[\s:.)\-\u2013\u2014]*(?P<rest>.*)$", re.DOTALL
)
# In "Subcomponente 3 ..." the number counts subcomponents, never components.
_SUBCOMPONENT_HEAD = re.compile(r"^[\W_]*sub\s*-?\s*componente\b")


def _plain(text: str) -> str:
    """Lowercase without accents but with punctuation kept, for the numbering patterns."""
    return _SPACES.sub(" ", strip_accents(text.lower())).strip()


def _stem(word: str) -> str:
    """Drop a Spanish plural ending so "canales" meets "canal" and "riesgos" meets "riesgo"."""
    if len(word) > 4 and word.endswith("es") and word[-3] in "lnrd":
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def fold(text: str) -> str:
    """Comparison form: lowercase, no accents, punctuation as spaces, no stopwords."""
    words = _fold_basic(text).replace("%", " ").replace("#", " ").split()
    return " ".join(w for w in words if w not in STOPWORDS)


@lru_cache(maxsize=16384)
def _tokens(text: str) -> tuple[str, ...]:
    """Distinct stemmed words of ``fold(text)``, in order."""
    return tuple(dict.fromkeys(_stem(w) for w in fold(text).split()))


@lru_cache(maxsize=65536)
def _similar(a: str, b: str) -> bool:
    """Same word up to a typo or an accent-less plural."""
    if a == b:
        return True
    if len(a) < FUZZY_MIN_LEN or len(b) < FUZZY_MIN_LEN:
        return False
    if 2 * min(len(a), len(b)) / (len(a) + len(b)) < FUZZY_RATIO:
        return False  # the ratio cannot reach the bar: skip the expensive part
    matcher = SequenceMatcher(None, a, b)
    # quick_ratio bounds ratio from above (shared letters, in any order): cheaper, same answer.
    return matcher.quick_ratio() >= FUZZY_RATIO and matcher.ratio() >= FUZZY_RATIO


def _found(word: str, words: Iterable[str]) -> bool:
    return any(_similar(word, other) for other in words)


@dataclass(frozen=True)
class _Vocabulary:
    """The distinct words of a catalog's names, for ``present``."""

    words: frozenset[str]
    fuzzy: ByLength  # the words long enough to match fuzzily (``_similar``)

    @classmethod
    def of(cls, words: Iterable[str]) -> _Vocabulary:
        distinct = frozenset(words)
        long_enough = (w for w in sorted(distinct) if len(w) >= FUZZY_MIN_LEN)
        return cls(distinct, ByLength(long_enough, FUZZY_RATIO))

    def present(self, text_words: Iterable[str]) -> set[str]:
        """The words that ``_found`` finds among ``text_words``, trying only the ones whose
        length lets ``_similar`` say yes (the same bar, not a looser one)."""
        found: set[str] = set()
        for other in text_words:
            if other in self.words:
                found.add(other)
            if len(other) < FUZZY_MIN_LEN:
                continue
            candidates = self.fuzzy.candidates(len(other))
            found.update(w for w in candidates if w not in found and _similar(w, other))
        return found


@dataclass(frozen=True)
class Component:
    """One PAAC component with every name it goes by."""

    number: int
    name: str
    subcomponents: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    sheet_names: tuple[str, ...] = ()  # short names offices give a per-component sheet
    # The PTEP has no official numbering, so its catalog spells each label out.
    display: str = ""
    plan: str = ""  # "Plan de Acción": a section that belongs to another plan than the program

    @property
    def label(self) -> str:
        """What users read: ``"3. Rendición de Cuentas"``."""
        return self.display or f"{self.number}. {self.name}"


@dataclass(frozen=True)
class _Entry:
    """One folded name ready for matching."""

    component: int
    words: tuple[str, ...]
    priority: int
    heading: bool  # names a whole component, so it can stand alone as a heading


@dataclass(frozen=True)
class _Match:
    component: int
    matched: int  # words of the name found in the text
    coverage: float  # matched / words of the name
    text_coverage: float  # share of the text's words the name explains
    priority: int

    @property
    def key(self) -> tuple[int, float, int]:
        return (self.matched, self.coverage, self.priority)


@dataclass(frozen=True)
class Catalog:
    """Component names as data; ``extra`` holds the user's names (name -> component number).

    Build it with :func:`load_catalog`, :meth:`from_dict` or :meth:`extend`. It is immutable
    and hashable, so per-text inference results can be cached per catalog.
    """

    components: tuple[Component, ...]
    extra: tuple[tuple[str, int], ...] = ()
    generic: tuple[str, ...] = ()  # names that lose every tie ("Seguimiento")
    source: str = ""
    # MIPG policy name -> component, for Plan de Acción files that tag rows by policy.
    policies: tuple[tuple[str, int], ...] = ()
    _entries: tuple[_Entry, ...] = field(init=False, repr=False, compare=False)
    _vocabulary: _Vocabulary = field(init=False, repr=False, compare=False)
    _heading_vocabulary: _Vocabulary = field(init=False, repr=False, compare=False)
    _hash: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        numbers = [c.number for c in self.components]
        if len(set(numbers)) != len(numbers):
            raise ValueError(f"Catálogo de componentes con números repetidos: {numbers}")
        for name, number in self.extra:
            if number not in numbers:
                raise ValueError(
                    f"El nombre {name!r} apunta al componente {number}, que no existe "
                    f"(componentes: {', '.join(map(str, sorted(numbers)))})."
                )
        object.__setattr__(self, "_entries", self._build_entries())
        vocabulary = _Vocabulary.of(w for entry in self._entries for w in entry.words)
        headings = _Vocabulary.of(w for e in self._entries if e.heading for w in e.words)
        object.__setattr__(self, "_vocabulary", vocabulary)
        object.__setattr__(self, "_heading_vocabulary", headings)
        object.__setattr__(
            self, "_hash", hash((self.components, self.extra, self.generic, self.policies))
        )

    def __hash__(self) -> int:
        return self._hash

    def _build_entries(self) -> tuple[_Entry, ...]:
        """Fold every name once, so matching a row only folds the row."""
        generic = {_tokens(name) for name in self.generic}
        entries: list[_Entry] = []

        def add(number: int, names: Iterable[str], priority: int, heading: bool) -> None:
            for name in names:
                words = _tokens(name)
                if not words:
                    continue
                rank = _PRIORITY_GENERIC if words in generic else priority
                entries.append(_Entry(number, words, rank, heading))

        for name, number in self.extra:
            add(number, [name], _PRIORITY_EXTRA, True)
        for comp in sorted(self.components, key=lambda c: c.number):
            add(comp.number, [comp.name, *comp.aliases], _PRIORITY_NAME, True)
            add(comp.number, comp.subcomponents, _PRIORITY_SUBCOMPONENT, False)
            add(comp.number, comp.keywords, _PRIORITY_KEYWORD, False)
        return tuple(entries)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Catalog:
        """Build from the JSON shape of ``catalogs/components.json``."""
        components = tuple(
            Component(
                number=int(item["number"]),
                name=str(item["name"]),
                subcomponents=tuple(item.get("subcomponents", ())),
                aliases=tuple(item.get("aliases", ())),
                keywords=tuple(item.get("keywords", ())),
                sheet_names=tuple(item.get("sheet_names", ())),
                display=str(item.get("label", "")),
                plan=str(item.get("plan", "")),
            )
            for item in data["components"]
        )
        extra = tuple((str(k), int(v)) for k, v in dict(data.get("extra", {})).items())
        policies = tuple((str(k), int(v)) for k, v in dict(data.get("policies", {})).items())
        return cls(
            components=components,
            extra=extra,
            generic=tuple(data.get("generic", ())),
            source=str(data.get("source", "")),
            policies=policies,
        )

    def extend(self, extra: Mapping[str, int]) -> Catalog:
        """A copy that also knows the user's names; later names win over earlier ones."""
        merged = dict(self.extra)
        merged.update({str(k): int(v) for k, v in extra.items()})
        ordered = tuple(sorted(merged.items()))  # same names -> equal catalogs -> shared caches
        return Catalog(self.components, ordered, self.generic, self.source, self.policies)

    def with_sections(self, sections: Iterable[Component]) -> Catalog:
        """A copy that also knows a file's own sections, which match none of the catalog's."""
        added = tuple(sections)
        if not added:
            return self
        return Catalog(
            self.components + added, self.extra, self.generic, self.source, self.policies
        )

    @property
    def numbers(self) -> tuple[int, ...]:
        return tuple(sorted(c.number for c in self.components))

    def component(self, number: int) -> Component:
        """The component with that number; ValueError if the catalog has none."""
        for comp in self.components:
            if comp.number == number:
                return comp
        raise ValueError(f"No existe el componente {number} en el catálogo.")

    def _best_match(self, text: str, *, heading_only: bool = False) -> _Match | None:
        """The best-scoring name for ``text``, or None when no name is mostly present."""
        words = _tokens(text)
        meaningful = [w for w in words if not w.isdigit()]
        if not meaningful:
            return None
        # Each distinct word of the names is looked for in the text once, not once per name.
        vocabulary = self._heading_vocabulary if heading_only else self._vocabulary
        present = vocabulary.present(meaningful)
        best: _Match | None = None
        for entry in self._entries:
            if heading_only and not entry.heading:
                continue
            matched = sum(1 for w in entry.words if w in present)
            coverage = matched / len(entry.words)
            if not matched or coverage < NAME_COVERAGE:
                continue
            explained = sum(1 for w in meaningful if _found(w, entry.words))
            match = _Match(
                entry.component, matched, coverage, explained / len(meaningful), entry.priority
            )
            if best is None or match.key > best.key:
                best = match
        return best


@lru_cache(maxsize=1)
def _default_catalog() -> Catalog:
    raw = (resources.files("pac_excel.normalize") / "catalogs" / _RESOURCE).read_text("utf-8")
    return Catalog.from_dict(json.loads(raw))


def load_catalog(extra: Mapping[str, int] | None = None) -> Catalog:
    """The shipped DAFP v2 catalog, plus the user's own names (name -> component number).

    ``extra`` is what a user writes in pac-excel.toml, e.g. ``{"Gobierno digital": 5}``; the
    user's names win over the shipped ones. A number that is not a component raises
    ValueError with a Spanish message naming the entry.
    """
    base = _default_catalog()
    return base.extend(extra) if extra else base


def _number(token: str | None) -> int | None:
    if not token:
        return None
    return int(token) if token.isdigit() else _ROMAN.get(token)


def _named_heading(rest: str, catalog: Catalog) -> int | None:
    """The component a heading's words name on their own, when they are a whole name."""
    match = catalog._best_match(rest, heading_only=True)
    if match is None or match.coverage < HEADING_COVERAGE:
        return None
    return match.component if match.text_coverage >= HEADING_COVERAGE else None


def _numbered(number: int | None, rest: str, catalog: Catalog) -> int | None:
    """A numbered heading's component: its name wins over its number when they disagree."""
    named = _named_heading(rest, catalog)
    if named is not None:
        return named
    return number if number in catalog.numbers else None


@lru_cache(maxsize=16384)
def _infer_cached(text: str, catalog: Catalog) -> int | None:
    plain = _plain(text)
    if not plain:
        return None
    head = _COMPONENT_HEAD.match(plain)
    if head:
        number = _number(head["number"])
        found = _numbered(number, head["rest"], catalog)
        if found is not None:
            return found
        match = catalog._best_match(head["rest"])
        return match.component if match else None
    match = catalog._best_match(plain)
    if match:
        return match.component
    if _SUBCOMPONENT_HEAD.match(plain):
        return None
    lead = _LEADING_NUMBER.match(plain)
    number = _number(lead["number"]) if lead else None
    return number if number in catalog.numbers else None


def infer_component(text: str | None, catalog: Catalog | None = None) -> int | None:
    """The component (1-6) a subcomponent or component text names, or None when unsure.

    Order: "Componente N: name" goes by its name when that is a whole component name, else
    by its number; then the best name match (tolerant of typos,
    accents, plurals and extra words); then a bare leading number ("3", "3. Otros").
    "Subcomponente 2 ..." numbers are never read as components.
    """
    if text is None or not text.strip():
        return None
    return _infer_cached(text, catalog or load_catalog())


@lru_cache(maxsize=16384)
def _heading_cached(text: str, catalog: Catalog) -> int | None:
    plain = _plain(text)
    head = _COMPONENT_HEAD.match(plain)
    if head:
        number = _number(head["number"])
        found = _numbered(number, head["rest"], catalog)
        if found is not None:
            return found
        match = catalog._best_match(head["rest"])
        return match.component if match else None
    if _SUBCOMPONENT_HEAD.match(plain):
        return None
    lead = _LEADING_NUMBER.match(plain)
    rest = lead["rest"] if lead else plain
    match = catalog._best_match(rest, heading_only=True)
    if match is None or match.text_coverage < HEADING_COVERAGE:
        return None  # an activity that mentions a component, not a heading
    return match.component  # "3. Legalidad e integridad": the name, never the number


def heading_number(text: str) -> int | None:
    """The component number a heading writes ("COMPONENTE 2: …", "3. …"), if any."""
    plain = _plain(text)
    if _SUBCOMPONENT_HEAD.match(plain):
        return None
    head = _COMPONENT_HEAD.match(plain) or _LEADING_NUMBER.match(plain)
    return _number(head["number"]) if head else None


def heading_words(text: str) -> str:
    """A heading without its "Componente N:" label: the file's own name for the section."""
    stripped = text.strip()
    plain = _plain(stripped)
    head = _COMPONENT_HEAD.match(plain) or _LEADING_NUMBER.match(plain)
    if head is None:
        return stripped
    rest = head["rest"].strip(" :.-\u2013\u2014")
    at = plain.rfind(rest) if rest else -1
    return stripped[at:].strip() if at >= 0 and len(plain) == len(stripped) else rest


def parse_component_heading(text: str | None, catalog: Catalog | None = None) -> int | None:
    """The component a heading row announces, or None when the text is not such a heading.

    A heading starts with "Componente" (its number wins, else its name decides) or is a
    whole component name, optionally numbered ("4. Mecanismos para mejorar ..."). Text that
    merely mentions a component ("1. Actualizar el mapa de riesgos") is not a heading.
    """
    if text is None or not text.strip():
        return None
    return _heading_cached(text, catalog or load_catalog())


def component_label(number: int, catalog: Catalog | None = None) -> str:
    """``"1. Gestión del Riesgo de Corrupción – Mapa de Riesgos de Corrupción"``."""
    return (catalog or load_catalog()).component(number).label


_SHEET_NUMBER = re.compile(r"^(?:comp|c|componente)\s*(?P<number>\d)$")
_YEARS = re.compile(r"\b(?:19|20)\d{2}\b")


@lru_cache(maxsize=4096)
def _sheet_cached(name: str, catalog: Catalog) -> int | None:
    found = _heading_cached(name, catalog)
    if found is not None:
        return found
    key = _YEARS.sub(" ", fold(name)).strip()
    m = _SHEET_NUMBER.match(key)
    if m and int(m["number"]) in catalog.numbers:
        return int(m["number"])
    key = re.sub(r"^(?:\d\s+)", "", key)  # "2 Tramites"
    for comp in catalog.components:
        for short in comp.sheet_names:
            if fold(short) == key:
                return comp.number
    for short, number in catalog.extra:
        if fold(short) == key:
            return number
    return None


def component_from_sheet_name(name: str | None, catalog: Catalog | None = None) -> int | None:
    """The component a per-component sheet's name says ("Componente 1", "Riesgos", "RdC").

    Only whole names count: a sheet called "Seguimiento" or "PAAC 2020" names no component.
    """
    if name is None or not name.strip():
        return None
    return _sheet_cached(name, catalog or load_catalog())


@lru_cache(maxsize=4096)
def _policy_cached(text: str, catalog: Catalog) -> int | None:
    words = _tokens(text)
    if not words:
        return None
    best: tuple[float, int] | None = None
    for name, number in catalog.policies:
        target = _tokens(name)
        if not target:
            continue
        matched = sum(1 for w in target if _found(w, words))
        explained = sum(1 for w in words if _found(w, target))
        if matched / len(target) >= HEADING_COVERAGE and explained / len(words) >= NAME_COVERAGE:
            score = matched / len(target) + explained / len(words)
            if best is None or score > best[0]:
                best = (score, number)
    if best is not None:
        return best[1]
    return _heading_cached(text, catalog)


def policy_component(text: str | None, catalog: Catalog | None = None) -> int | None:
    """The component a MIPG policy (or a component written in a policy column) stands for.

    None means the policy is not part of the PAAC ("Gestión documental", "Talento humano").
    """
    if text is None or not text.strip():
        return None
    return _policy_cached(text, catalog or load_catalog())
