"""The year a mention is for: stated in its clause, else its section's, else the document's."""

from __future__ import annotations

import regex

from planextract.extract import periods
from planextract.extract.numbers import find_years
from planextract.models import Block

_RANGE_YEARS = regex.compile(r"((?:19|20)\d{2})\s*[-－—–~～至到]\s*((?:19|20)\d{2})\s*年")
_COMPARED = regex.compile(r"(?:比|较|与|相比|对比)\s*$")
_TO_YEAR = regex.compile(r"[到至]\s*20\d\d")


def target_year(before: str, block: Block, plan_end: int | None, doc_year: int | None = None) -> tuple[int | None, int | None]:
    """(year, year_start) for a goal whose sentence reads `before` up to its number.

    Stated years first, then a period relative to the document's year ("未来五年" -> +5, "今年" -> +0),
    a five-year plan named, the section's headings, and last the frame's or document's plan end.
    """
    m = None
    for m in _RANGE_YEARS.finditer(before):
        pass
    if m is not None:
        return int(m.group(2)), int(m.group(1))
    years = stated_years(before)
    if years:
        return years[-1], None
    if (ahead := periods.relative_end(before, doc_year)) is not None:
        return ahead, None
    if doc_year is not None and periods.names_this_year(before):
        return doc_year, None  # "今年…" under a heading about the coming plan period is still this year
    if (plan := five_year_end(before)) is not None:
        return plan, None
    for heading in reversed(block.section_path):
        ys = [y for y, _, _ in find_years(heading)]
        if ys:
            return ys[-1], None
        if (plan := five_year_end(heading)) is not None:
            return plan, None
    return plan_end, None


def stated_years(text: str) -> list[int]:
    """The years a text is about, in order (a year after 比/较, the baseline's, left out)."""
    return [y for y, a, _ in find_years(text) if not compared_year(text, a)]


def compared_year(text: str, start: int) -> bool:
    """A year after 比/较/与 ("比2020年增长50%") is the baseline, not the target year."""
    return bool(_COMPARED.search(text[max(0, start - 4) : start]))


def baseline_year(before: str) -> int | None:
    years = [y for y, a, _ in find_years(before) if compared_year(before, a)]
    return years[-1] if years else None


def five_year_end(text: str) -> int | None:
    """The last year of the five-year plan named last in text (十四五 -> 2025; plans in rules/periods.toml).

    A section or sentence about a plan is about its last year.
    """
    return periods.latest_end(text)


def looks_ahead(text: str) -> bool:
    """"到2025", "至2030": the text sets a date to reach."""
    return _TO_YEAR.search(text) is not None
