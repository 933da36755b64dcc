"""The year a mention is for: stated in its clause, else its section's, else the document's."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import lru_cache

import regex

from planextract.extract import periods
from planextract.extract.numbers import find_years
from planextract.models import Block

_RANGE_YEARS = regex.compile(r"((?:19|20)\d{2})\s*[-－—–~～至到]\s*((?:19|20)\d{2})\s*年")
_COMPARED = regex.compile(r"(?:比|较|与|相比|对比)\s*$")
# "到2025年", "至2030年": a date to reach; not the end of a change ("由2020年的50.5%提高到2024年的55.2%").
_TO_YEAR = regex.compile(r"(?<!提高|提升|增加|增长|扩大|上升|下降|降低|减少|缩小|缩短)[到至]\s*20\d\d(?!\s*年的)")
# "1-8月", "1—9月份": a part of the year, so far.
MONTHS_SO_FAR = regex.compile(r"(?<![\d.])1\s*[-－—–~～至到]\s*(?:1[0-2]|[2-9])\s*月|前[2-9一二三四五六七八九十]{1,2}个?月|前[一二三1-3]季度")


@dataclass(frozen=True)
class SentenceTimes:
    """Every time expression of one sentence, found once: a mention's year is then a look-up.

    (Scanning the sentence up to each number again made a long sentence of many targets quadratic.)
    Positions are ends in the sentence, except plans' starts; an expression counts for a number
    when it ends before it.
    """

    ranges: tuple[tuple[int, int, int], ...]  # (end, first year, last year): "2022－2025年"
    years: tuple[tuple[int, int], ...]  # (end, year): stated years, a baseline's (比2020年) left out
    relatives: tuple[tuple[int, int], ...]  # (end, years ahead): "未来五年"
    this_year: tuple[int, ...]  # ends of 今年-words
    plans: tuple[tuple[int, int, bool], ...]  # (start, last year, a date to reach: 到“十四五”末)

    @classmethod
    def of(cls, text: str) -> SentenceTimes:
        ranges = tuple((m.end(), int(m.group(1)), int(m.group(2))) for m in _RANGE_YEARS.finditer(text))
        years = tuple((b, y) for y, a, b in find_years(text) if not compared_year(text, a))
        relatives = tuple((r.end, r.years) for r in periods.relative_periods(text))
        this_year = tuple(m.end() for m in _this_year_re().finditer(text)) if _this_year_re() else ()
        plans = tuple(
            (start, plan.end, text[max(0, start - 2) : start].rstrip("“").endswith(("到", "至")))
            for plan in periods.plans() for start in _all_starts(text, plan.name)
        )
        return cls(ranges, years, relatives, this_year, plans)

    def target_year(self, at: int, clause_at: int, block: Block, fallback: int | None,
                    doc_year: int | None) -> tuple[int | None, int | None]:
        """(year, year_start) of a goal whose number starts at `at` in a clause starting at `clause_at`.

        Stated years first, then a period relative to the document's year ("未来五年" -> +5, "今年" -> +0),
        a five-year plan named (in the number's own clause, or as a date to reach: 到“十四五”末), the
        section's headings, and last the frame's or document's plan end.
        """
        if (i := _count_ending_by(self.ranges, at)) > 0:
            _, first, last = self.ranges[i - 1]
            return last, first
        if (i := _count_ending_by(self.years, at)) > 0:
            return self.years[i - 1][1], None
        if self.relatives and self.relatives[0][0] <= at and doc_year is not None:
            return doc_year + self.relatives[0][1], None
        if doc_year is not None and self.this_year and self.this_year[0] <= at:
            return doc_year, None  # "今年…" under a heading about the coming plan period is still this year
        plans = [(start, last) for start, last, reach in self.plans if start < at and (reach or start >= clause_at)]
        if plans:
            return max(plans)[1], None
        for heading in reversed(block.section_path):
            ys = [y for y, _, _ in find_years(heading)]
            if ys:
                return ys[-1], None
            if (plan := five_year_end(heading)) is not None:
                return plan, None
        return fallback, None


def _count_ending_by(found: tuple[tuple[int, ...], ...], at: int) -> int:
    """How many of the expressions (sorted by their end, the first item) end by `at`."""
    return bisect.bisect_right(found, (at, float("inf"), float("inf")))


def _all_starts(text: str, word: str) -> list[int]:
    out, i = [], text.find(word)
    while i >= 0:
        out.append(i)
        i = text.find(word, i + 1)
    return out


@lru_cache(maxsize=1)
def _this_year_re() -> regex.Pattern[str] | None:
    words = periods.this_year_words()
    return regex.compile("|".join(regex.escape(w) for w in words)) if words else None


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
