"""Plan periods: the five-year plans and relative periods of rules/periods.toml, and a document's plan years.

Five-year plans ("十四五" = 2021..2025) and periods stated relative to a
document's own year ("未来五年" in a 2023 document ends in 2028) are read
here for the metadata (plan_start, plan_end, by `plan_period`) and for the
target reader (a target's year).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import regex

from planextract import rules

# Years as plans state them: a range (2023—2025年), a horizon (到2025年), a stated span (规划期为…).
_YEAR = r"(?<!\d)((?:19|20)\d{2})"
_RANGE = regex.compile(_YEAR + r"\s*(?:年\s*)?[-—－–~～至到]\s*" + _YEAR + r"\s*年?")
_HORIZON = regex.compile(r"(?:到|至)\s*" + _YEAR + r"\s*年")
_OUTLOOK = regex.compile(r"展望|远景")  # "远景目标展望到2035年" looks past the plan
_PLAN_SPAN = regex.compile(r"(?:规划|计划|实施)(?:期限|期|时段)\s*(?:为|是|：|:)?\s*" + _RANGE.pattern)
_YEAR_MARK = regex.compile(_YEAR + r"\s*年")
_CN = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


@dataclass(frozen=True)
class Plan:
    """One five-year plan: its name (十四五) and its years."""

    name: str
    start: int
    end: int


@dataclass(frozen=True)
class PlanMention:
    plan: Plan
    start: int  # where the text names it
    end: int


def _cfg() -> dict[str, Any]:
    return rules.load("periods")


@lru_cache(maxsize=1)
def plans() -> tuple[Plan, ...]:
    """Every five-year plan of the rules, oldest first."""
    cfg = _cfg()["five_year"]
    span = int(cfg["span"])
    return tuple(sorted((Plan(name, int(y), int(y) + span - 1) for name, y in cfg["plans"].items()), key=lambda p: p.start))


def plan_ends() -> dict[str, int]:
    """{"十四五": 2025, ...}: the last year of each plan, by name."""
    return {p.name: p.end for p in plans()}


def by_name(name: str) -> Plan | None:
    """The plan called `name` ("十四五", with or without quotes), else None."""
    name = name.strip("“”\"")
    return next((p for p in plans() if p.name == name), None)


@lru_cache(maxsize=2)
def _name_patterns(kind: str) -> tuple[tuple[Plan, regex.Pattern[str]], ...]:
    templates = _cfg()["five_year"]["names"][kind]
    out = []
    for p in plans():
        alts = [t.replace("{plan}", regex.escape(p.name)).replace("{ordinal}", regex.escape(p.name[:-1])) for t in templates]
        out.append((p, regex.compile("|".join(f"(?:{a})" for a in alts))))
    return tuple(out)


def _mentions(text: str, kind: str) -> list[PlanMention]:
    found = [
        PlanMention(p, m.start(), m.end()) for p, rx in _name_patterns(kind) for m in rx.finditer(text)
    ]
    return sorted(found, key=lambda m: (m.start, -m.end))


def named_plans(text: str) -> list[PlanMention]:
    """Plans the text names as a plan or its time (“十四五”, 十四五规划, 第十四个五年规划), left to right."""
    return _mentions(text, "named")


def period_mentions(text: str) -> list[PlanMention]:
    """Plans whose years the text speaks of as a time (“十四五”时期, 十五五期间), left to right."""
    return _mentions(text, "period")


def latest_end(text: str) -> int | None:
    """The end year of the plan named last in `text` (its bare name counts: 十四五末)."""
    hits = [(text.rfind(p.name), p.end) for p in plans() if p.name in text]
    return max(hits)[1] if hits else None


@lru_cache(maxsize=1)
def _relative() -> tuple[regex.Pattern[str], ...]:
    return tuple(rules.compiled(p) for p in _cfg().get("relative", {}).get("patterns", []))


@dataclass(frozen=True)
class Relative:
    years: int  # how many years ahead the period reaches
    start: int
    end: int


def relative_periods(text: str) -> list[Relative]:
    """Periods stated relative to the document's year ("未来五年", "3年内"), left to right."""
    found: dict[int, Relative] = {}
    for rx in _relative():
        for m in rx.finditer(text):
            n = m.group("n")
            years = int(n) if n.isdigit() else _CN[n]
            found.setdefault(m.start(), Relative(years, m.start(), m.end()))
    return [found[k] for k in sorted(found)]


def this_year_words() -> list[str]:
    """Words for the document's own year ("今年", "本年度")."""
    return list(_cfg().get("relative", {}).get("this_year", []))


def names_this_year(text: str) -> bool:
    """The text speaks of the document's own year ("今年…")."""
    return any(w in text for w in this_year_words())


def relative_end(text: str, year: int | None) -> int | None:
    """The year the first relative period of `text` ends in, for a document of `year`."""
    if year is None:
        return None
    found = relative_periods(text)
    return year + found[0].years if found else None


# --------------------------------------------------------------------------
# a document's plan period (GUIDELINES "document": plan_start, plan_end)
# --------------------------------------------------------------------------


def period_in_title(title: str) -> tuple[int | None, int | None] | None:
    """The years a title states: a plan's name, a range, a horizon or one year; None if it states none."""
    named = named_plans(title)
    if named:
        return named[0].plan.start, named[0].plan.end
    m = _RANGE.search(title)
    if m:
        return int(m.group(1)), int(m.group(2))
    m = _HORIZON.search(title)
    if m:
        return None, int(m.group(1))
    years = {int(y) for y in _YEAR_MARK.findall(title)}
    if len(years) == 1:
        y = years.pop()
        return y, y
    return None


def plan_period(
    title: str | None, text: str, doc_type: str | None, publish_date: str | None, cfg: dict[str, Any]
) -> tuple[int | None, int | None]:
    """The years the document plans for, from the most explicit statement to the least.

    `cfg` is rules/doc_types.toml, whose [period] lists the documents that
    plan for the year they are written in (工作要点, a year's 责任分解).
    """
    if title:
        found = period_in_title(title)
        if found:
            return found
    m = _PLAN_SPAN.search(text)
    if m:
        return int(m.group(1)), int(m.group(2))
    published = int(publish_date[:4]) if publish_date else None
    if _plans_one_year(title, doc_type, cfg) and (year := published or only_year(text)):
        return year, year
    spans = Counter(m.plan for m in period_mentions(text))
    if spans:
        plan = max(spans, key=lambda p: (spans[p], p.start))  # the period the text dwells on
        return plan.start, plan.end
    start, end = _horizon(text, published)
    if end is None and (end := relative_end(text, published)) is not None:
        start = published  # "未来五年" in a document of year Y: Y..Y+5
    if end is None and (year := only_year(text)):
        return year, year
    return start, end


def _plans_one_year(title: str | None, doc_type: str | None, cfg: dict[str, Any]) -> bool:
    """A type, or a title word, of documents that plan for the year they are written in (工作要点, 责任分解)."""
    period = cfg.get("period", {})
    return doc_type in period.get("single_year", []) or bool(
        title and any(w in title for w in period.get("single_year_titles", []))
    )


def only_year(text: str) -> int | None:
    """The year a text names, when it names just one (a progress news item about 2018)."""
    years = {int(y) for y in _YEAR_MARK.findall(text)}
    return years.pop() if len(years) == 1 else None


def _horizon(text: str, published: int | None) -> tuple[int | None, int | None]:
    """'到2025年' stated most often (a 展望/远景 year aside) ends the plan; it starts when published."""
    years: Counter[int] = Counter()
    for m in _HORIZON.finditer(text):
        y = int(m.group(1))
        if _OUTLOOK.search(text, max(0, m.start() - 8), m.start()) is None and (published is None or y >= published):
            years[y] += 1
    if not years:
        return None, None
    end = max(years, key=lambda y: (years[y], y))
    return (published if published and published <= end else None), end
