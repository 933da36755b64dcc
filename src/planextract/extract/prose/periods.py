"""The period a reported result is for: a year, a plan period, or months of a year."""

from __future__ import annotations

from dataclasses import dataclass

import regex

from planextract.extract.prose import timing
from planextract.extract.prose.context import DocContext
from planextract.models import Block

_MONTHS = regex.compile(r"(?<!\d)(1)\s*[-－—–~～至到]\s*(1[0-2]|[2-9])\s*月")


@dataclass(frozen=True)
class Frame:
    """What the text around a block reviews: one year, or a plan period."""

    year: int | None
    plan: tuple[int, int] | None  # (first, last year) of a reviewed plan period


def frame_of(ctx: DocContext, block: Block) -> Frame:
    last = (ctx.plan_start - 1) if ctx.plan_start else None
    return Frame(last, None)


def actual_period(ctx: DocContext, frame: Frame, s, r) -> tuple[int | None, int | None, str, str | None]:
    """(year, year_start, period, months) of an actual read from sentence s."""
    months = _MONTHS.search(s.text[: r.mention.start])
    years = timing.stated_years(s.text[: r.mention.start])
    year = years[-1] if years else frame.year
    if months:
        return year, None, "months", f"{months.group(1)}-{months.group(2)}"
    return year, None, "year", None
