"""The division a document governs: region, region_code, province, city (GUIDELINES "document").

Tried from the most to the least explicit evidence: a division named in the
title or the issuer; a national body or an address to every province (全国);
the divisions the text names, where several subordinate units of one parent
and nothing else (a city's list of its counties) give the parent; else the
division named most, fitted to how the text calls itself (我市, 市…局).
None when the text does not let a reader tell (a page that only says 我市).

Vocabularies live in rules/doc_types.toml ([region], [issuer]); divisions
come from the gazetteer.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

import regex

from planextract import gazetteer
from planextract.gazetteer import Place

_LEVEL_DEPTH = {"province": 0, "prefecture": 1, "county": 2}
_LEVEL_CHARS = "省市州盟区县共"  # may stand right before a county's name: 徐州市沛县, 中共泾县县委
_SELF_SAYS = regex.compile(r"[我本]([县市区省州旗盟])")
_SELF_REF = regex.compile(r"[我全本]([县市区省州旗盟])")
MIN_SIBLINGS = 3  # subordinate units listed before their parent is taken for the document's
DOMINANT = 2  # a unit named this many times more than the next is the subject, not one of a list


@dataclass(frozen=True)
class Region:
    """The region fields of a documents row."""

    name: str | None
    code: str | None
    province: str | None
    city: str | None


NO_REGION = Region(None, None, None, None)


def _of_place(place: Place) -> Region:
    return Region(place.name, place.code, place.province_name, place.city)


def find_region(text: str, title: str | None, issuer: str | None, lead: list[str], cfg: dict[str, Any]) -> Region:
    """The region of a document from its text, title, issuer and lead lines (title, addressees)."""
    context = gazetteer.Context(text)  # asked for the same parent names again and again
    suffix = self_suffix(text, cfg)
    organs = tuple(cfg.get("region", {}).get("organ_words", []))
    for source in (title, issuer):
        if source:
            found = _places_in(source, context, suffix, organs)
            if found:
                return _of_place(max(found, key=lambda p: _LEVEL_DEPTH[p.level]))
    if is_national(issuer, lead, cfg):
        return Region(cfg.get("region", {}).get("national", "全国"), None, None, None)
    place = _named_most(text, context, suffix)
    return _of_place(place) if place else NO_REGION


def is_national(issuer: str | None, lead: list[str], cfg: dict[str, Any]) -> bool:
    """Issued by national bodies only (国务院, 国家…局, a ministry), or addressed to every province."""
    rules = cfg.get("region", {})
    if issuer and all(_national_body(part, rules) for part in issuer.split("、")):
        return True
    addressees = rules.get("national_addressees", [])
    return any(line.startswith(a) for line in lead for a in addressees)


def _national_body(name: str, rules: dict[str, Any]) -> bool:
    if any(name.startswith(p) for p in rules.get("national_issuers", [])):
        return True
    return (
        any(name.endswith(s) for s in rules.get("national_suffixes", []))
        and not any(name.startswith(w) for w in rules.get("level_words", []))
        and not gazetteer.scan(name)
    )


def self_suffix(text: str, cfg: dict[str, Any]) -> str | None:
    """The level word the text calls its own division by: 市 for 我市, 全市 or 市农业农村局 listed as a unit."""
    found = Counter(m.group(1) for m in _SELF_REF.finditer(text))
    found.update(m.group(1) for m in _unit_prefix(cfg).finditer(text))
    return found.most_common(1)[0][0] if found else None


_UNIT_PREFIX: dict[str, regex.Pattern[str]] = {}


def _unit_prefix(cfg: dict[str, Any]) -> regex.Pattern[str]:
    """A unit named by its level alone, at the start of a line or list item: 市农技中心, 县发改局."""
    suffixes = tuple(sorted(cfg.get("issuer", {}).get("org_suffixes", []), key=len, reverse=True))
    key = "|".join(suffixes)
    if key not in _UNIT_PREFIX:
        alt = "|".join(re.escape(s) for s in suffixes) or "(?!)"
        _UNIT_PREFIX[key] = regex.compile(
            r"(?:^|(?<=[\s、，,：:；;（(]))([县市区州旗盟])[\p{Han}]{1,10}?(?:" + alt + r")(?=$|[\s、，,；;）)])", regex.M
        )
    return _UNIT_PREFIX[key]


def _supported(
    place: Place, mention: gazetteer.Mention, text: gazetteer.Context, suffix: str | None, organ: bool = False
) -> bool:
    """A short name (桐庐, 新城) counts only where the text also names the division or its parents.

    Or where it is the only division of that name above county level and its
    level word is the one the text calls itself by (亳州 in a text of 市 units):
    county short names are too often plain words (新建, 振兴, 资源) for that.
    """
    if not mention.short and (len(mention.surface) > 2 or organ):
        return True  # a two-character full name (泾县) counts where its organs are named: 泾县人民政府
    if mention.short and place.name in text:
        return True
    if gazetteer.context_score(place, text) > 0:  # 2-character full names (城区) need it too
        return True
    return (
        mention.short
        and len(mention.places) == 1
        and place.level != "county"
        and suffix is not None
        and place.name.endswith(suffix)
    )


def _resolve(
    mention: gazetteer.Mention, text: gazetteer.Context, suffix: str | None, organ: bool = False
) -> Place | None:
    ok = [p for p in mention.places if _supported(p, mention, text, suffix, organ)]
    if not ok:
        return None
    return max(ok, key=lambda p: (gazetteer.context_score(p, text), -_LEVEL_DEPTH[p.level]))


def _places_in(s: str, text: gazetteer.Context, suffix: str | None, organs: tuple[str, ...] = ()) -> list[Place]:
    """Divisions named in a short string (title, issuer), outside any 《》 it quotes."""
    s = re.sub(r"《[^《》]*》", "", s)
    # A name followed by an organ of its government (泾县人民政府) is the division, whatever its length.
    return [
        p
        for m in gazetteer.scan(s)
        if _bounded(s, m) and (p := _resolve(m, text, suffix, bool(organs) and s.startswith(organs, m.end))) is not None
    ]


def _bounded(s: str, mention: gazetteer.Mention) -> bool:
    """A two-character full name is a word of its own, not the tail of one (示范县 holds no 范县)."""
    if mention.short or len(mention.surface) > 2 or mention.start == 0:
        return True
    before = s[mention.start - 1]
    return not regex.match(r"\p{Han}", before) or before in _LEVEL_CHARS


def _named_most(text: str, context: gazetteer.Context, suffix: str | None) -> Place | None:
    counts: Counter[str] = Counter()
    resolved: dict[str, Place | None] = {}  # one decision per name: the context is the same text
    for m in gazetteer.scan(text):
        if not _bounded(text, m):
            continue
        if m.surface not in resolved:
            resolved[m.surface] = _resolve(m, context, suffix)
        p = resolved[m.surface]
        if p is not None:
            counts[p.code] += 1
    if not counts:
        return None
    parent = common_parent(counts)
    if parent is not None:
        return parent
    ranked = sorted(counts, key=lambda c: (counts[c], _LEVEL_DEPTH[_place(c).level]), reverse=True)
    if suffix:
        fitting = [c for c in ranked if _place(c).name.endswith(suffix)]
        if fitting:
            return _place(fitting[0])
        if _SELF_SAYS.search(text):
            return None  # the text calls its own area 我区; a 县 it names in passing is another place
    return _place(ranked[0])


def common_parent(counts: Counter[str]) -> Place | None:
    """Several units of one parent and nothing outside it, none named far more than the rest: the parent.

    A progress table listing a prefecture's counties (吉首市, 泸溪县, …) is the
    prefecture's, though the prefecture itself may never be named.
    """
    places = [_place(c) for c in counts]
    parents = Counter(p.parent_code for p in places if p.parent_code)
    for code, n in parents.most_common():
        if n < MIN_SIBLINGS:
            break
        parent = _place(code)
        if not all(p.code == code or p.parent_code == code or parent.is_within(p) for p in places):
            continue
        kids = sorted((counts[p.code] for p in places if p.parent_code == code), reverse=True)
        if kids[0] >= DOMINANT * kids[1] and kids[0] > kids[1] + 1:
            return None  # one unit is the subject; the others are its neighbours
        return parent
    return None


def _place(code: str) -> Place:
    p = gazetteer.by_code(code)
    assert p is not None
    return p
