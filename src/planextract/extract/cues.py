"""Cue words for comparator, ambition and kind (rules/comparators.toml)."""

from __future__ import annotations

from functools import lru_cache

from planextract import rules



@lru_cache(maxsize=1)
def _cues() -> dict:
    return rules.load("comparators")


def _longest_first(words: list[str]) -> list[str]:
    return sorted(words, key=len, reverse=True)


def comparator_before(text: str) -> tuple[str, str] | None:
    """(comparator, word) when text ends with a comparator word (超过, 不低于 ...)."""
    table = _cues().get("comparator", {}).get("before", {})
    best: tuple[str, str] | None = None
    for op, words in table.items():
        for w in words:
            if text.endswith(w) and (best is None or len(w) > len(best[1])):
                best = (op, w)
    return best


def comparator_after(text: str) -> tuple[str, str] | None:
    """(comparator, word) when text starts with a comparator word (以上, 左右 ...)."""
    table = _cues().get("comparator", {}).get("after", {})
    best: tuple[str, str] | None = None
    for op, words in table.items():
        for w in words:
            if text.startswith(w) and (best is None or len(w) > len(best[1])):
                best = (op, w)
    return best


def ambition_at(text: str) -> tuple[str, int, str] | None:
    """(firm / aspirational, position, word) of the last ambition word in text."""
    best: tuple[str, int, str] | None = None
    for kind, words in _cues().get("ambition", {}).items():
        for w in words:
            i = text.rfind(w)
            if i >= 0 and (best is None or i > best[1]):
                best = (kind, i, w)
    return best


def ambition_in(text: str) -> str | None:
    """firm / aspirational from the last ambition word in text."""
    found = ambition_at(text)
    return found[0] if found else None


def words(kind: str) -> list[str]:
    return _longest_first(list(_cues().get("kind", {}).get(kind, [])))


def reach_verbs() -> list[str]:
    return words("reach")


def kind_of(indicator: str, base_unit: str | None, rate_word: str | None = None) -> str:
    """The target kind from the indicator, the unit and a rate word printed near the number.

    rate_word: the word right before the number when it names the change
    (增长, 增速, 下降 ...), which the indicator itself no longer carries.
    """
    rate = rate_word or ""
    if any(w in rate for w in words("reduction")):
        return "reduction"
    if base_unit in {"%", "百分点"}:
        if any(w in indicator for w in words("reduction")):
            return "reduction"
        if any(w in rate for w in words("growth_rate")) or any(indicator.endswith(w) for w in words("growth_rate")):
            return "growth_rate"
        return "ratio"
    if base_unit and base_unit != "元" and any(indicator.startswith(w) for w in words("increase")):
        return "increase"
    if "新增" in indicator[:8] or indicator.startswith(("新培育", "新引进")):
        return "increase"
    return "level"
