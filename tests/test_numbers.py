"""Numbers, units and years: examples and properties (any string in, never an exception)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planextract.extract.numbers import find_quantities, find_years, parse_cell, parse_number, unit_info


@pytest.mark.parametrize(
    ("text", "value", "high", "unit", "base_unit", "base_value"),
    [
        ("突破200亿元", 200, None, "亿元", "元", 2e10),
        ("新增5-8家", 5, 8, "家", "家", 5),
        ("十亿元", 10, None, "亿元", "元", 1e9),
        ("1万亩", 1, None, "万亩", "亩", 1e4),
        ("5.5万千瓦以上", 5.5, None, "万千瓦", "千瓦", 5.5e4),
        ("18亿千瓦时", 18, None, "亿千瓦时", "千瓦时", 1.8e9),
        ("15万吨标准煤", 15, None, "万吨标准煤", "吨标准煤", 1.5e5),
        ("140兆瓦", 140, None, "兆瓦", "千瓦", 1.4e5),
        ("１２３家", 123, None, "家", "家", 123),
        ("1,234.5万元", 1234.5, None, "万元", "元", 1.2345e7),
        ("下降1分", 1, None, "分", "元", 0.01),
        ("提高0.5个百分点", 0.5, None, "个百分点", "百分点", 0.5),
        ("三十家", 30, None, "家", "家", 30),
    ],
)
def test_quantities(text, value, high, unit, base_unit, base_value) -> None:
    (q,) = find_quantities(text)
    assert (q.value, q.value_high, q.unit, q.base_unit) == (value, high, unit, base_unit)
    assert q.base_value == pytest.approx(base_value)


def test_bare_magnitude_keeps_its_factor() -> None:
    (q,) = find_quantities("突破千亿大关")
    assert (q.value, q.unit, q.magnitude) == (1000, "", "亿")
    (q,) = find_quantities("超6.7万")
    assert (q.value, q.magnitude) == (6.7, "万")


@pytest.mark.parametrize("text", ["一批项目", "两次专题听取", "三大产业", "零部件", "每千瓦时", "一二三次产业", "第三十三次", "到2025年", "“十四五”期间"])
def test_words_that_are_not_quantities(text: str) -> None:
    assert find_quantities(text) == []


def test_compound_unit() -> None:
    info = unit_info("万元/亩")
    assert info.base_unit == "元/亩" and info.factor == 1e4


def test_years() -> None:
    assert [y for y, _, _ in find_years("到2025年，2022－2025年间")] == [2025, 2025]
    assert find_years("2.5年") == []


def test_numbers() -> None:
    assert parse_number("十") == 10 and parse_number("两千") == 2000 and parse_number("１２.５") == 12.5
    assert parse_number("abc") is None and parse_number("") is None
    assert parse_cell("20%") == (20.0, "%", None)
    assert parse_cell("—") is None and parse_cell("完成省市下达目标") is None


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_never_raises(text: str) -> None:
    for q in find_quantities(text):
        assert q.start < q.end <= len(text)
        assert isinstance(q.value, float)
    find_years(text)
    parse_number(text)
    parse_cell(text)
    unit_info(text)


_num = st.one_of(st.integers(0, 10**7).map(str), st.floats(0, 1e6, allow_nan=False).map(lambda f: f"{f:.2f}"))


@settings(max_examples=200, deadline=None)
@given(_num, st.sampled_from(["亿元", "万元", "家", "%", "万亩", "亩", "个", "万千瓦", "吨"]))
def test_number_and_unit_roundtrip(num: str, unit: str) -> None:
    qs = find_quantities(f"达到{num}{unit}以上")
    assert len(qs) == 1
    q = qs[0]
    assert q.value == pytest.approx(float(num)) and q.unit == unit
    assert q.base_value == pytest.approx(float(num) * unit_info(unit).factor)


@settings(max_examples=200, deadline=None)
@given(st.integers(1900, 2099), st.text(alphabet="，。到至年底的", max_size=5))
def test_year_found(year: int, noise: str) -> None:
    assert year in [y for y, _, _ in find_years(f"{noise}到{year}年{noise}")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("深化“百千工程”", []),  # a numeral is not cut short to find a magnitude in it
        ("实施“四千行动”", []),
        ("新增企业三十家", [(30.0, "家")]),
        ("投资5至10亿元", [(5.0, "亿元")]),
        ("完成2023—2025年目标", []),  # years are no quantities
    ],
)
def test_only_numbers_with_a_unit_or_magnitude_are_quantities(text: str, expected: list[tuple[float, str]]) -> None:
    assert [(q.value, q.unit) for q in find_quantities(text)] == expected
