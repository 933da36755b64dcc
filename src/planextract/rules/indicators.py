"""The indicator catalogue (indicators.toml): its schema, checked on load, and its normalisation.

`catalogue()` returns the validated catalogue; a file that breaks a rule
(two entries with one code, a synonym of two entries, a pattern that does not
compile or that matches another entry's synonym, an unknown unit family or
kind) is a RulesError naming the file and the entry, never a catalogue that
silently maps an indicator to the wrong code.

The models follow the style of the other rule-file schemas (strict, no
unknown keys, frozen), so `Indicators` can join them as the schema of
indicators.toml.
"""

from __future__ import annotations

import unicodedata
from functools import cached_property, lru_cache
from typing import Annotated, Literal

import regex
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator

from planextract import rules
from planextract.rules.fields import Pattern, Patterns, Words, _unique

FILE = "indicators"
Kind = Literal["level", "increase", "growth_rate", "ratio", "reduction"]
# Markers in [kind_families] that stand for the entry's own family and for the family its change is measured in.
ENTRY, ENTRY_DELTA = "entry", "entry_delta"
COUNT = "count"  # the family of every count word of units.toml


Code = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Normalise(_Rule):
    """How an indicator is written down before it is looked up (the same for synonyms)."""

    equivalents: dict[str, str]  # spellings that mean the same: 规模以上 -> 规上
    drop_chars: str  # quotes, brackets, spaces
    strip_prefixes: Words  # place, time and hedge words at the start
    outline_number: Pattern  # "2.", "（三）" at the start

    @cached_property
    def _outline(self) -> regex.Pattern[str]:
        return regex.compile(self.outline_number)

    @cached_property
    def _drop(self) -> dict[int, None]:
        return {ord(c): None for c in self.drop_chars}

    @cached_property
    def _equivalents(self) -> tuple[tuple[str, str], ...]:
        # Longest first, one after another: a replacement may make a shorter one apply.
        return tuple(sorted(self.equivalents.items(), key=lambda kv: -len(kv[0])))

    def key(self, text: str, places: tuple[str, ...] = ()) -> str:
        """The form an indicator is matched in: NFKC, Latin upper case, no outline number,
        quotes or brackets, equivalents replaced, leading place, time and hedge words dropped."""
        text = unicodedata.normalize("NFKC", text).upper().strip()
        text = self._outline.sub("", text, count=1).translate(self._drop)
        for old, new in self._equivalents:
            text = text.replace(old, new)
        prefixes = sorted((*places, *self.strip_prefixes), key=len, reverse=True)
        changed = True
        while changed:
            changed = False
            for p in prefixes:
                if p and text.startswith(p) and len(text) > len(p):
                    text, changed = text[len(p):], True
                    break
        return text


class Entry(_Rule):
    """One canonical indicator."""

    code: Code
    name: str = Field(min_length=1)
    topic: str = Field(min_length=1)
    unit_family: str
    units: Words = []
    kinds: Annotated[list[Kind], AfterValidator(_unique)] = Field(min_length=1)
    direction: Literal["higher", "lower"] | None = None
    synonyms: Words = []
    patterns: Patterns = []

    @property
    def names(self) -> list[str]:
        return [self.name, *self.synonyms]

    @cached_property
    def compiled(self) -> tuple[regex.Pattern[str], ...]:
        return tuple(regex.compile(p) for p in self.patterns)

    def pattern_matches(self, key: str) -> bool:
        return any(p.fullmatch(key) for p in self.compiled)


class Indicators(_Rule):
    """The whole of indicators.toml."""

    unit_families: dict[str, Words]
    kind_families: dict[Kind, Words]
    family_deltas: dict[str, str]
    normalise: Normalise
    indicator: list[Entry] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Indicators:
        families = {*self.unit_families, COUNT}
        for kind, allowed in self.kind_families.items():
            for f in allowed:
                if f not in families | {ENTRY, ENTRY_DELTA}:
                    raise ValueError(f"kind_families.{kind}: unknown family {f!r}")
        for f, delta in self.family_deltas.items():
            if f not in families or delta not in families:
                raise ValueError(f"family_deltas: {f!r} = {delta!r} names an unknown family")
        codes: set[str] = set()
        owner: dict[str, str] = {}  # normalised synonym -> code
        for e in self.indicator:
            if e.code in codes:
                raise ValueError(f"code {e.code!r} is used by two entries")
            codes.add(e.code)
            self._check_units(e, families)
            for name in e.names:
                key = self.normalise.key(name)
                if owner.get(key, e.code) != e.code:
                    raise ValueError(f"{e.code}: synonym {name!r} (as {key!r}) belongs to {owner[key]!r} already")
                owner[key] = e.code
        for e in self.indicator:
            for key, code in owner.items():
                if code != e.code and e.pattern_matches(key):
                    raise ValueError(f"{e.code}: a pattern matches {key!r}, a synonym of {code!r}")
        return self

    def _check_units(self, e: Entry, families: set[str]) -> None:
        if e.unit_family not in families:
            raise ValueError(f"{e.code}: unknown unit_family {e.unit_family!r}")
        if e.unit_family == COUNT and not e.units:
            raise ValueError(f"{e.code}: a count entry lists its units (人 and 家 are both counts)")
        stray = [u for u in e.units if e.unit_family != COUNT and u not in self.unit_families[e.unit_family]]
        if stray:
            raise ValueError(f"{e.code}: units {stray} are not of the family {e.unit_family!r}")
        for kind in e.kinds:
            if kind not in self.kind_families:
                raise ValueError(f"{e.code}: kind {kind!r} has no entry in kind_families")


def _location(error: dict) -> str:
    loc = list(error.get("loc", ()))
    return ".".join(str(p) for p in loc) or "(file)"


@lru_cache(maxsize=1)
def catalogue() -> Indicators:
    """The validated catalogue in use (the shipped indicators.toml or the overlay's)."""
    data = rules.load(FILE)
    try:
        cat = Indicators.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{_location(e)}: {e['msg']}" for e in exc.errors())
        raise rules.RulesError(f"{rules.path(FILE + '.toml')}: {problems}") from None
    counts = set(rules.load("units").get("counts", {}).get("words", []))
    for e in cat.indicator:
        if e.unit_family == COUNT and not set(e.units) <= counts:
            stray = sorted(set(e.units) - counts)
            raise rules.RulesError(f"{rules.path(FILE + '.toml')}: {e.code}: units {stray} are not count words "
                                   "of units.toml [counts]")
    return cat
