"""Canonical indicator codes: every target and actual gets the code of the one catalogue entry it fits, or null.

An indicator fits an entry when one of its forms equals a name or synonym of
the entry or matches one of its patterns (rules/indicators.toml; forms: the
normalised indicator, and for a rate with its rate word dropped or added:
地区生产总值 / 地区生产总值增长 / 经济 + 增长), the record's kind is one of
the entry's kinds, and its base unit is of a family that kind allows. Forms
that reach two entries, or an entry whose kind or unit disagrees, give null:
a code is never a guess.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from planextract import rules
from planextract.extract import cues
from planextract.models import Actual, DocumentMeta, Target
from planextract.rules.indicators import COUNT, ENTRY, ENTRY_DELTA, Entry, Indicators, catalogue

# The word that makes a bare noun a rate ("经济" + 增长); the rate words it may end with are the kind's
# cue words of comparators.toml.
_RATE_WORD = {"growth_rate": "增长", "reduction": "下降"}
_LEVEL_SUFFIX = ("自治区", "自治州", "自治县", "省", "市", "县", "区", "旗", "盟")


def assign_codes(records: Iterable[Target | Actual], meta: DocumentMeta | None) -> None:
    """Set indicator_code on each record (in place): its entry's code, or None."""
    places = _places(meta)
    for rec in records:
        rec.indicator_code = code_for(rec.indicator, rec.kind, rec.base_unit, places)


def _places(meta: DocumentMeta | None) -> tuple[str, ...]:
    """The document's region as an indicator may open with it: 浙江省, 浙江."""
    if meta is None or not meta.region:
        return ()
    short = meta.region
    for suffix in _LEVEL_SUFFIX:
        if short.endswith(suffix) and len(short) - len(suffix) >= 2:
            short = short[: -len(suffix)]
            break
    return tuple(dict.fromkeys((meta.region, short)))


@lru_cache(maxsize=65536)
def code_for(indicator: str, kind: str, base_unit: str | None, places: tuple[str, ...] = ()) -> str | None:
    """The code of the one entry the indicator fits with this kind and base unit, else None."""
    index = _index()
    codes = {code for form in _forms(index.catalogue, indicator, kind, places) for code in index.codes(form)}
    if len(codes) != 1:
        return None
    entry = index.entries[codes.pop()]
    return entry.code if _agrees(index, entry, kind, base_unit) else None


def _forms(cat: Indicators, indicator: str, kind: str, places: tuple[str, ...]) -> set[str]:
    key = cat.normalise.key(indicator, places)
    forms = {key}
    if kind in _RATE_WORD:
        forms.add(_strip_endings(key, cues.words(kind)))
        forms.add(key + _RATE_WORD[kind])
    if kind == "increase":
        verb = cues.affixes("increase").prefix(key)
        if verb and len(key) > len(verb):
            forms.add(key[len(verb):])
    return {f for f in forms if f}


def _strip_endings(text: str, words: tuple[str, ...]) -> str:
    changed = True
    while changed:
        changed = False
        for w in words:  # longest first
            if text.endswith(w) and len(text) > len(w):
                text, changed = text[: -len(w)], True
                break
    return text


def _agrees(index: _Index, entry: Entry, kind: str, base_unit: str | None) -> bool:
    """The kind is one the entry takes and the unit is of a family that kind allows for it."""
    if kind not in entry.kinds or base_unit is None:
        return False
    family = index.family_of(base_unit)
    allowed = set()
    for f in index.catalogue.kind_families.get(kind, []):  # type: ignore[call-overload]  # kind: str, keys: Kind
        if f == ENTRY:
            allowed.add(entry.unit_family)
        elif f == ENTRY_DELTA:
            allowed.add(index.catalogue.family_deltas.get(entry.unit_family, ""))
        else:
            allowed.add(f)
    if family not in allowed:
        return False
    # An entry's own unit list narrows its family (城镇新增就业 counts 人, not 家).
    return not (family == entry.unit_family and entry.units and base_unit not in entry.units)


class _Index:
    """The catalogue as look-ups: normalised name -> codes, patterns, base unit -> family."""

    def __init__(self, cat: Indicators) -> None:
        self.catalogue = cat
        self.entries = {e.code: e for e in cat.indicator}
        self.names: dict[str, set[str]] = {}
        for e in cat.indicator:
            for name in e.names:
                self.names.setdefault(cat.normalise.key(name), set()).add(e.code)
        self.with_patterns = [e for e in cat.indicator if e.patterns]
        self.families = {u: f for f, units in cat.unit_families.items() for u in units}
        self.counts = set(rules.load("units").get("counts", {}).get("words", []))

    def codes(self, form: str) -> set[str]:
        found = set(self.names.get(form, ()))
        found.update(e.code for e in self.with_patterns if e.pattern_matches(form))
        return found

    def family_of(self, base_unit: str) -> str | None:
        if base_unit in self.families:
            return self.families[base_unit]
        return COUNT if base_unit in self.counts else None


@lru_cache(maxsize=1)
def _index() -> _Index:
    return _Index(catalogue())

