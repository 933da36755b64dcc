"""Readings -> Target and Actual records, with their provenance."""

from __future__ import annotations

from planextract.extract.prose.reader import Reading, Sentence
from planextract.models import Actual, Target


def _bounds(comparator: str, base: float | None, high: float | None) -> tuple[float | None, float | None]:
    """Lower and upper bound in base units, from the comparator and a range."""
    if base is None:
        return None, None
    if high is not None:
        return base, high
    return {
        ">=": (base, None), ">": (base, None), "<=": (None, base), "<": (None, base),
        "=": (base, base), "~": (None, None),
    }.get(comparator, (None, None))


def _provenance(s: Sentence, r: Reading) -> dict:
    b = s.block
    return {
        "doc_id": s.ctx.doc.doc_id, "block_id": b.id, "section_path": b.section_path,
        "char_start": r.start, "char_end": r.end, "page": b.page, "evidence": r.evidence,
        "source": s.source, "table_id": b.id if s.source == "table" else None,
        "table_row": s.cell[0] if s.cell else None, "table_col": s.cell[1] if s.cell else None,
        "rule": r.mention.rule, "ocr": b.ocr, "ocr_confidence": b.ocr_confidence,
    }


def to_target(s: Sentence, r: Reading) -> Target:
    lower, upper = _bounds(r.comparator, r.base_value, r.base_value_high)
    return Target(
        **_provenance(s, r),
        indicator=r.indicator, scope=r.scope, value=r.value, value_high=r.value_high, unit=r.unit,
        base_value=r.base_value, base_value_high=r.base_value_high, base_unit=r.base_unit,
        comparator=r.comparator, ambition=r.ambition, kind=r.kind, year=r.year, year_start=r.year_start,
        lower=lower, upper=upper, agencies=list(s.agencies),
        baseline_value=r.baseline_value, baseline_year=r.baseline_year,
    )


def to_actual(s: Sentence, r: Reading, year: int | None, year_start: int | None, period: str,
              months: str | None) -> Actual:
    return Actual(
        **_provenance(s, r),
        indicator=r.indicator, scope=r.scope, value=r.value, value_high=r.value_high, unit=r.unit,
        base_value=r.base_value, base_unit=r.base_unit, comparator=r.comparator, kind=r.kind,
        year=year, year_start=year_start, period=period, months=months,
    )
