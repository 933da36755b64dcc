"""Cue words for comparator, ambition and kind (rules/comparators.toml)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import regex

from planextract import rules


@lru_cache(maxsize=1)
def _cues() -> dict:
    return rules.load("comparators")


class Affixes:
    """A word list matched at the end (or start) of a text, longest word first.

    Extractors ask "does this text end with one of these words, and which?"
    thousands of times per document; a set per word length answers it with
    a few dictionary look-ups instead of one endswith() per word.
    """

    def __init__(self, words: dict[str, str] | list[str] | tuple[str, ...]) -> None:
        labelled = words if isinstance(words, dict) else {w: w for w in words}
        self.labels: dict[str, str] = {w: lab for w, lab in labelled.items() if w}
        self.lengths = sorted({len(w) for w in self.labels}, reverse=True)

    def suffix(self, text: str) -> str | None:
        """The longest word text ends with."""
        for n in self.lengths:
            if n <= len(text) and text[-n:] in self.labels:
                return text[-n:]
        return None

    def prefix(self, text: str) -> str | None:
        """The longest word text starts with."""
        for n in self.lengths:
            if n <= len(text) and text[:n] in self.labels:
                return text[:n]
        return None


class Words:
    """A word list searched for inside a text, as one compiled alternation (longest word first)."""

    def __init__(self, words: Iterable[str]) -> None:
        ordered = sorted({w for w in words if w}, key=len, reverse=True)
        self.longest = len(ordered[0]) if ordered else 0
        self._re = regex.compile("|".join(regex.escape(w) for w in ordered)) if ordered else None

    def in_text(self, text: str) -> bool:
        return self._re is not None and self._re.search(text) is not None

    def first(self, text: str, within: int | None = None) -> tuple[int, str] | None:
        """(position, word) of the leftmost word in text, the longest one there;
        with `within`, only a word starting at or before that position."""
        if self._re is None:
            return None
        m = self._re.search(text if within is None else text[: within + self.longest])
        if m is None or (within is not None and m.start() > within):
            return None
        return m.start(), m.group(0)


@lru_cache(maxsize=None)
def _comparators(side: str) -> Affixes:
    labelled: dict[str, str] = {}
    for op, words in _cues().get("comparator", {}).get(side, {}).items():
        for w in words:
            labelled.setdefault(w, op)  # the first operator listing a word keeps it
    return Affixes(labelled)


def comparator_before(text: str) -> tuple[str, str] | None:
    """(comparator, word) when text ends with a comparator word (超过, 不低于 ...)."""
    table = _comparators("before")
    w = table.suffix(text)
    return (table.labels[w], w) if w else None


def comparator_after(text: str) -> tuple[str, str] | None:
    """(comparator, word) when text starts with a comparator word (以上, 左右 ...)."""
    table = _comparators("after")
    w = table.prefix(text)
    return (table.labels[w], w) if w else None


def ambition_at(text: str) -> tuple[str, int, str] | None:
    """(firm / aspirational, position, word) of the last ambition word in text."""
    pattern, kinds = _ambition_search()
    m = pattern.search(text) if pattern is not None else None
    return (kinds[m.group(0)], m.start(), m.group(0)) if m else None


@lru_cache(maxsize=1)
def _ambition_search() -> tuple[regex.Pattern[str] | None, dict[str, str]]:
    """One reverse search for the last ambition word (the first kind listing a word keeps it)."""
    kinds: dict[str, str] = {}
    for kind, words in _cues().get("ambition", {}).items():
        for w in words:
            kinds.setdefault(w, kind)
    if not kinds:
        return None, kinds
    alternation = "|".join(regex.escape(w) for w in sorted(kinds, key=len, reverse=True))
    return regex.compile(f"(?r){alternation}"), kinds


@lru_cache(maxsize=1)
def ambition_words() -> tuple[str, ...]:
    """Every ambition word (确保, 力争 ...), longest first: hedges, never part of an indicator."""
    found = {w for ws in _cues().get("ambition", {}).values() for w in ws}
    return tuple(sorted(found, key=lambda w: (-len(w), w)))


def ambition_in(text: str) -> str | None:
    """firm / aspirational from the last ambition word in text."""
    found = ambition_at(text)
    return found[0] if found else None


@lru_cache(maxsize=None)
def words(kind: str) -> tuple[str, ...]:
    """The cue words of a kind (reach, increase, growth_rate, reduction ...), longest first."""
    return tuple(sorted(_cues().get("kind", {}).get(kind, []), key=len, reverse=True))


@lru_cache(maxsize=None)
def affixes(*kinds: str) -> Affixes:
    """The cue words of these kinds, for suffix and prefix look-ups."""
    return Affixes([w for k in kinds for w in words(k)])


@lru_cache(maxsize=None)
def word_set(*kinds: str) -> Words:
    """The cue words of these kinds, to search for anywhere in a text."""
    return Words(w for k in kinds for w in words(k))


@lru_cache(maxsize=1)
def _reduction_verbs() -> tuple[str, ...]:
    return tuple(_cues().get("kind", {}).get("reduction_verbs", []))


def reach_verbs() -> tuple[str, ...]:
    return words("reach")


def kind_of(indicator: str, base_unit: str | None, rate_word: str | None = None) -> str:
    """The target kind from the indicator, the unit and a rate word printed near the number.

    rate_word: the word right before the number when it names the change
    (增长, 增速, 下降 ...), which the indicator itself no longer carries.
    """
    rate = rate_word or ""
    if rate and word_set("reduction").in_text(rate):
        return "reduction"
    if base_unit in {"%", "百分点"}:
        if word_set("reduction").in_text(indicator):
            return "reduction"
        if (rate and word_set("growth_rate").in_text(rate)) or indicator.endswith(words("growth_rate")):
            return "growth_rate"
        return "ratio"
    if indicator.startswith(_reduction_verbs()) and base_unit not in {"%", "百分点"}:
        return "reduction"  # 压减一般性支出18亿元: an amount cut
    if base_unit and base_unit != "元" and indicator.startswith(words("increase")):
        return "increase"
    if "新增" in indicator[:8] or indicator.startswith(("新培育", "新引进")):
        return "increase"
    return "level"
