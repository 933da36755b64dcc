"""Numbers, magnitudes, units and years in Chinese policy text.

A quantity as printed is: a number (Arabic, full-width or Chinese numerals),
an optional range ("5-8"), an optional magnitude (万, 亿 ...) and a unit word
(家, 亩, 千瓦时 ...). The magnitude belongs to the unit as written (6.7万元 is
value 6.7, unit 万元), as GUIDELINES.md wants; `base_value` multiplies it out.
Vocabularies come from rules/units.toml; nothing here raises on odd input.
"""

from __future__ import annotations

import math
import unicodedata
from functools import lru_cache
from typing import NamedTuple

import cn2an
import regex

from planextract import rules

CN_DIGITS = "零〇一二两三四五六七八九十百千"
_ARABIC = r"[0-9０-９]+(?:[,，][0-9０-９]{3}(?![0-9０-９]))*(?:[.．][0-9０-９]+)?"
_CN = rf"[{CN_DIGITS}]+"
_RANGE = r"[-－—–~～至到]"
_CN_RE = regex.compile(_CN)
_YEAR = regex.compile(r"(?<![0-9０-９.])((?:19|20)\d{2})\s*年")
# The largest numeral read as a number: no plan sets a quadrillion of any unit. A
# longer one (400 digits, 九千九百九十九万亿亿亿) is a broken or hostile text, not a value.
MAX_NUMBER = 1e15


_PER_TIME = frozenset({"日", "年", "月", "天"})


class UnitInfo(NamedTuple):
    unit: str  # as written, magnitude included: 亿元, 万亩, %
    base_unit: str | None
    factor: float | None  # base value = value * factor


class Quantity(NamedTuple):
    """A number and its unit as found in a text (a tuple: thousands are made per document)."""

    start: int  # span of number + unit in the searched text
    end: int
    value: float
    value_high: float | None
    unit: str  # as written ("" when the text gives a bare magnitude: see `implied`)
    magnitude: str
    word: str
    chinese: bool  # the number was written in Chinese numerals
    base_unit: str | None
    factor: float | None
    more_than: bool = False  # "5000余户", "1000多个": more than the number

    @property
    def base_value(self) -> float | None:
        return None if self.factor is None else _round(self.value * self.factor)

    @property
    def base_value_high(self) -> float | None:
        if self.factor is None or self.value_high is None:
            return None
        return _round(self.value_high * self.factor)


def _round(x: float) -> float:
    return float(f"{x:.12g}")


@lru_cache(maxsize=1)
def _vocab() -> tuple[dict[str, float], dict[str, tuple[str, float]], dict[str, list[str]]]:
    u = rules.load("units")
    mags = {k: float(v) for k, v in u.get("magnitudes", {}).items()}
    words = {k: (str(v[0]), float(v[1])) for k, v in u.get("words", {}).items()}
    words.update({alias: words[word] for alias, word in u.get("aliases", {}).items() if word in words})
    implied = {k: list(v) for k, v in u.get("implied", {}).items()}
    return mags, words, implied


def _alt(items: list[str]) -> str:
    return "|".join(regex.escape(x) for x in sorted(items, key=len, reverse=True))


def _word_alt(words: list[str]) -> str:
    """The unit words longest first, an alias held back where the next character starts another word."""
    guards = rules.load("units").get("alias_not_before", {})
    out = []
    for w in sorted(words, key=len, reverse=True):
        after = guards.get(w)
        out.append(regex.escape(w) + (f"(?![{''.join(map(regex.escape, after))}])" if after else ""))
    return "|".join(out)


@lru_cache(maxsize=1)
def _quantity_re() -> regex.Pattern[str]:
    mags, words, _ = _vocab()
    mag, word = _alt(list(mags)), _word_alt(list(words))
    num = rf"(?>{_ARABIC}|{_CN})"  # atomic: a numeral is never cut short to find a unit in it (百千工程)
    return regex.compile(
        rf"(?<![0-9０-９.A-Za-z第{CN_DIGITS}])(?P<num>{num})"
        rf"(?:\s*[%％]?\s*{_RANGE}\s*(?P<num2>{num}))?"  # "4.5-5%", "4.5%—5%"
        rf"(?P<more>余|多)?"  # "5000余户", "310多万户"
        rf"(?=\s*(?:{mag}|{word}))"  # a number with neither magnitude nor unit is no quantity
        rf"\s*(?P<mag>{mag})?(?P<more2>余|多)?(?P<word>{word})?"
        rf"(?:/(?P<per_mag>{mag})?(?P<per_word>{word}|日|年|月|天))?"
    )


@lru_cache(maxsize=1)
def _aliases() -> dict[str, str]:
    return dict(rules.load("units").get("aliases", {}))


def _sane(value: float | None) -> float | None:
    """value, or None when it is not finite or absurdly large (see MAX_NUMBER)."""
    return value if value is not None and math.isfinite(value) and abs(value) <= MAX_NUMBER else None


@lru_cache(maxsize=8192)
def parse_number(text: str) -> float | None:
    """An Arabic, full-width or Chinese numeral -> float; None if it is not one (or not a sane number)."""
    return _sane(_parse_number(text))


def _parse_number(text: str) -> float | None:
    s = unicodedata.normalize("NFKC", text or "").strip().replace(",", "")
    if not s:
        return None
    try:
        return float(s)
    except ValueError:
        pass
    if not _CN_RE.fullmatch(s):
        return None
    if s[0] in "十百千":
        s = "一" + s
    try:
        return float(cn2an.cn2an(s, "smart"))
    except (ValueError, KeyError, IndexError, TypeError):
        return None


@lru_cache(maxsize=4096)
def unit_info(unit: str) -> UnitInfo:
    """A unit as written (亿元, 万千瓦, %, 万元/亩) -> base unit and factor."""
    mags, words, _ = _vocab()
    unit = (unit or "").strip()
    if "/" in unit:
        top, bottom = unit.split("/", 1)
        a, b = unit_info(top), unit_info(bottom)
        if bottom in _PER_TIME and a.base_unit and a.factor:  # 万吨/日: a capacity per day or year
            return UnitInfo(unit, f"{a.base_unit}/{bottom}", a.factor)
        if not (a.base_unit and b.base_unit and a.factor and b.factor):
            return UnitInfo(unit, None, None)
        if b.factor != 1:  # "人/百亿元", "批次/千人": a rate per a round amount is kept as written
            return UnitInfo(unit, f"{a.base_unit}/{bottom}", a.factor)
        return UnitInfo(unit, f"{a.base_unit}/{b.base_unit}", a.factor)
    if unit in words:
        base, f = words[unit]
        return UnitInfo(unit, base, f)
    for m in sorted(mags, key=len, reverse=True):
        if unit.startswith(m):
            rest = unit[len(m) :]
            if rest in words:
                base, f = words[rest]
                return UnitInfo(unit, base, mags[m] * f)
    return UnitInfo(unit, None, None)


def is_count(unit_word: str) -> bool:
    """True for a count word (家, 个, 项 ...): what follows it may be the thing counted."""
    return unit_word in _count_words()


@lru_cache(maxsize=1)
def _count_words() -> frozenset[str]:
    return frozenset(rules.load("units").get("counts", {}).get("words", []))


def implied_unit(magnitude: str, indicator: str) -> str | None:
    """The unit a bare magnitude stands for, from what the indicator measures."""
    _, _, implied = _vocab()
    for word, cues in implied.items():
        if any(c in indicator for c in cues):
            return magnitude + word
    return None


def find_quantities(text: str) -> list[Quantity]:
    """Every number with a unit or magnitude in text, left to right."""
    out: list[Quantity] = []
    mags, _, _ = _vocab()
    for m in _quantity_re().finditer(text or ""):
        mag, word = m.group("mag") or "", m.group("word") or ""
        if not mag and not word:
            continue
        if mag and not word and _stacked_magnitude(text, m.end(), mags):
            continue  # 九千九百九十九万亿亿亿元: magnitudes stacked past any real amount
        num = m.group("num")
        chinese = not ("0" <= num[0] <= "9" or "０" <= num[0] <= "９")
        value = parse_number(num)
        if value is None:
            continue
        if chinese and (num[0] in "零〇" or (len(num) == 1 and not mag) or (len(num) > 1 and not any(c in num for c in "十百千"))):
            continue  # 一批, 两次, 零部件, 每千瓦时, 一二三次: words, not quantities
        high = parse_number(m.group("num2")) if m.group("num2") else None
        word = _aliases().get(word, word)
        unit = mag + word
        if m.group("per_word"):
            unit = f"{unit}/{m.group('per_mag') or ''}{m.group('per_word')}"
        info = unit_info(unit) if word else UnitInfo("", None, None)
        if not word and mag:
            info = UnitInfo("", None, mags[mag])  # a bare magnitude: unit implied later
        out.append(
            Quantity(
                start=m.start(), end=m.end(), value=value, value_high=high, unit=info.unit,
                magnitude=mag, word=word, chinese=chinese, base_unit=info.base_unit, factor=info.factor,
                more_than=bool(m.group("more") or m.group("more2")),
            )
        )
    return out


def _stacked_magnitude(text: str, end: int, mags: dict[str, float]) -> bool:
    """A further large magnitude (万, 亿 ...) right after a quantity's own one (1万千瓦 has a unit word, 1万亿亿 none)."""
    return any(f >= 1e4 and text.startswith(m, end) for m, f in mags.items())


class Worded(NamedTuple):
    """A figure written in words ("翻一番", "八成"), and what its word says of kind and comparator."""

    quantity: Quantity
    kind: str  # "" when the text decides
    comparator: str  # "" when the text decides


# "八成", "近九成", "超两成": tenths; not 一成不变, 成员, 成为 ...
_TENTHS = regex.compile(r"(?<![一二两三四五六七八九十百千万亿\d])(?P<n>[一二两三四五六七八九])成(?![员为果效功立本型熟长都绩交不])")
# "超万亿元": a magnitude standing for one of itself.
_BARE_MAGNITUDE = regex.compile(rf"(?<![0-9０-９.{CN_DIGITS}])(?P<mag>万亿)(?P<word>元|美元)")


@lru_cache(maxsize=1)
def _worded() -> tuple[regex.Pattern[str] | None, dict[str, tuple[float, str, str, str]]]:
    table = {w: (float(v[0]), str(v[1]), str(v[2]), str(v[3])) for w, v in rules.load("units").get("worded", {}).items()}
    pattern = regex.compile(_alt(list(table))) if table else None
    return pattern, table


# "约占全国1/10", "1/3以上": a fraction of a whole, as a percentage.
_FRACTION = regex.compile(r"(?<=占[^，,；;。\d]{0,6})(?<![\d./])(?P<a>[1-9])\s*/\s*(?P<b>[1-9]\d?)(?![\d./])")
# "2.27:1": a ratio to one, as a multiple (城乡居民收入比).
_TO_ONE = regex.compile(r"(?<![\d.])(?P<x>\d+(?:\.\d+)?)\s*[:：∶]\s*1(?![\d.:：∶])")


def find_worded(text: str) -> list[Worded]:
    """Figures written in words: 翻一番, 倍增, 两位数, 一半 (rules/units.toml [worded]), 八成, 超万亿元,
    fractions (占…1/10 -> 10 %) and ratios to one (2.27:1 -> 2.27 倍)."""
    out: list[Worded] = []
    pct, times = unit_info("%"), unit_info("倍")
    for m in _FRACTION.finditer(text):
        value = round(100 * int(m.group("a")) / int(m.group("b")), 2)
        out.append(Worded(Quantity(m.start(), m.end(), value, None, "%", "", "%", False, pct.base_unit, pct.factor), "ratio", ""))
    for m in _TO_ONE.finditer(text):
        q = Quantity(m.start(), m.end(), float(m.group("x")), None, "倍", "", "倍", False, times.base_unit, times.factor)
        out.append(Worded(q, "", ""))
    pattern, table = _worded()
    if pattern is not None:
        for m in pattern.finditer(text):
            value, unit, kind, comparator = table[m.group(0)]
            info = unit_info(unit)
            out.append(Worded(Quantity(m.start(), m.end(), value, None, unit, "", unit, True, info.base_unit, info.factor),
                              kind, comparator))
    for m in _TENTHS.finditer(text):
        value = parse_number(m.group("n"))
        info = unit_info("成")
        if value is not None:
            out.append(Worded(Quantity(m.start(), m.end(), value, None, "成", "", "成", True, info.base_unit, info.factor), "", ""))
    for m in _BARE_MAGNITUDE.finditer(text):
        unit = m.group("mag") + m.group("word")
        info = unit_info(unit)
        q = Quantity(m.start(), m.end(), 1.0, None, unit, m.group("mag"), m.group("word"), True, info.base_unit, info.factor)
        out.append(Worded(q, "", ""))
    return sorted(out, key=lambda w: w.quantity.start)


def find_years(text: str) -> list[tuple[int, int, int]]:
    """(year, start, end) for every "2025年"-style year in text."""
    return [(int(m.group(1)), m.start(), m.end()) for m in _YEAR.finditer(text or "")]


_CELL = regex.compile(rf"^\s*[约近超]?\s*(?P<num>{_ARABIC})\s*(?P<unit>%|％)?\s*(?P<cmp>以上|以下|左右|以内)?\s*$")


def parse_cell(cell: str) -> tuple[float, str | None, str | None] | None:
    """A table value cell ("450", "20%", "6.5左右") -> (value, unit, comparator word)."""
    m = _CELL.match(unicodedata.normalize("NFKC", cell or "").replace("\n", ""))
    if not m:
        return None
    value = parse_number(m.group("num"))
    if value is None:
        return None
    return value, ("%" if m.group("unit") else None), m.group("cmp")
