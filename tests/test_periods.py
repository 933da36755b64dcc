"""Plan periods from rules/periods.toml: five-year plans and periods relative to a document's year."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from planextract.extract import periods

_CN = "零一二三四五六七八九十"


def test_five_year_plans_run_five_years() -> None:
    plans = periods.plans()
    assert [p.name for p in plans][:4] == ["十一五", "十二五", "十三五", "十四五"]
    assert all(p.end - p.start == 4 for p in plans)
    assert all(b.start == a.end + 1 for a, b in zip(plans, plans[1:]))  # one follows the other
    assert periods.plan_ends()["十四五"] == 2025
    assert periods.by_name("“十五五”") == periods.Plan("十五五", 2026, 2030)


def test_ways_a_text_names_a_plan() -> None:
    named = periods.named_plans("落实《某市国民经济和社会发展第十四个五年规划纲要》，谋划“十五五”重大项目。")
    assert [m.plan.name for m in named] == ["十四五", "十五五"]
    # a plan's time, not a plan of its own
    assert [m.plan.name for m in periods.period_mentions("“十四五”时期成效显著，十五五期间将更快发展。")] == ["十四五", "十五五"]
    assert periods.period_mentions("结合“十四五”规划要求。") == []


def test_latest_plan_named_gives_a_year() -> None:
    assert periods.latest_end("“十三五”末，A；到“十四五”末，B") == 2025
    assert periods.latest_end("到2025年") is None


@given(st.integers(2, 10), st.integers(2000, 2040), st.sampled_from(["未来{n}年", "今后{n}年", "{n}年内", "用{n}年时间"]))
def test_relative_periods_end_n_years_on(n: int, year: int, form: str) -> None:
    for written in (str(n), "两" if n == 2 else _CN[n]):
        text = "力争" + form.format(n=written) + "，实现产值翻番。"
        assert periods.relative_end(text, year) == year + n, text


@given(st.integers(1990, 2040))
def test_a_year_is_not_a_relative_period(year: int) -> None:
    assert periods.relative_periods(f"{year}年内完成改造，五年来成效显著，近五年增长较快。") == []
    assert periods.relative_end("一年内停电不超过5次。", year) is None  # a standard's window
    assert periods.relative_end("未来五年", None) is None  # no year to count from
