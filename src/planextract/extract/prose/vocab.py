"""The prose reader's word lists, read once from rules/targets.toml."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from planextract import rules
from planextract.extract import cues


@lru_cache(maxsize=1)
def targets() -> dict[str, Any]:
    return rules.load("targets")


@lru_cache(maxsize=None)
def longest_first(name: str) -> tuple[str, ...]:
    """A word list of rules/targets.toml, longest first."""
    return tuple(sorted(targets().get(name, []), key=len, reverse=True))


@lru_cache(maxsize=64)
def initials(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(w[:1] for w in words)


@lru_cache(maxsize=None)
def affixes(name: str) -> cues.Affixes:
    return cues.Affixes(longest_first(name))


@lru_cache(maxsize=None)
def words(name: str) -> cues.Words:
    """A word list of rules/targets.toml, to search for inside a text."""
    return cues.Words(targets().get(name, []))
