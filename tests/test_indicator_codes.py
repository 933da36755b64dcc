"""The indicator catalogue (rules/indicators.toml) and the codes it gives targets and actuals."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from planextract import rules
from planextract.extract import extract_document, indicator_codes
from planextract.extract.indicator_codes import code_for
from planextract.ingest import ingest_bytes
from planextract.rules.indicators import COUNT, Indicators, catalogue


def _clear_caches() -> None:
    rules.load.cache_clear()
    catalogue.cache_clear()
    indicator_codes._index.cache_clear()
    code_for.cache_clear()


@pytest.fixture
def overlay(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A PLANEXTRACT_RULES folder; the caches are cleared before and after."""
    monkeypatch.setenv(rules.ENV_VAR, str(tmp_path))
    _clear_caches()
    yield tmp_path
    monkeypatch.delenv(rules.ENV_VAR)
    _clear_caches()


def _raw() -> dict[str, Any]:
    return copy.deepcopy(rules.load("indicators"))


def _codes(text: str) -> list[tuple[str, str | None]]:
    result = extract_document(ingest_bytes(text.encode(), "t.txt", ".txt"))
    return [(t.indicator, t.indicator_code) for t in result.targets]


# --------------------------------------------------------------------------
# the catalogue
# --------------------------------------------------------------------------

REQUIRED = [
    "gdp", "urban_new_jobs", "urban_surveyed_unemployment", "cpi", "disposable_income", "grain_output",
    "energy_intensity", "fiscal_revenue", "fixed_asset_investment", "retail_sales", "trade",
    "industrial_va_above_scale", "digital_core_share_of_gdp", "rd_intensity", "high_tech_enterprises", "pm25",
    "good_air_days", "urbanisation_rate", "elderly_care_beds", "preschool_gross_enrolment",
    "higher_education_gross_enrolment",
]


def test_catalogue_has_80_entries_and_the_standard_indicators() -> None:
    cat = catalogue()
    codes = [e.code for e in cat.indicator]
    assert len(codes) >= 80
    assert set(REQUIRED) <= set(codes)


def test_every_name_and_synonym_maps_to_its_own_entry_for_each_of_its_kinds() -> None:
    """Across the whole catalogue: no synonym is shadowed by another entry's name, synonym or pattern."""
    cat = catalogue()
    for e in cat.indicator:
        for kind in e.kinds:
            unit = _unit_for(cat, e, kind)
            for name in e.names:
                assert code_for(name, kind, unit) == e.code, (name, kind, unit)


def _unit_for(cat: Indicators, e: Any, kind: str) -> str:
    if kind == "growth_rate":
        return "%"
    if kind in ("increase", "reduction") and e.unit_family in cat.family_deltas:
        return cat.unit_families[cat.family_deltas[e.unit_family]][0]
    if e.units:
        return e.units[0]
    return cat.unit_families[e.unit_family][0]


@pytest.mark.parametrize("indicator", ["经济", "经济增长", "地区生产总值", "地区生产总值增长", "GDP", "GDP增长",
                                       "生产总值", "国内生产总值", "全省地区生产总值", "“十五五”时期地区生产总值"])
def test_economic_growth_has_one_code(indicator: str) -> None:
    assert code_for(indicator, "growth_rate", "%") == "gdp"


def test_gui_shang_is_gui_mo_yi_shang() -> None:
    assert code_for("规上工业增加值", "growth_rate", "%") == code_for("规模以上工业增加值", "growth_rate", "%") \
        == "industrial_va_above_scale"
    assert code_for("新增规上工业企业", "increase", "家") == code_for("规模以上工业企业", "level", "家") \
        == "above_scale_industrial_firms"


def test_kind_and_unit_must_agree_with_the_entry() -> None:
    assert code_for("城镇新增就业", "increase", "人") == "urban_new_jobs"
    assert code_for("城镇新增就业", "increase", "家") is None  # jobs are counted in people
    assert code_for("地区生产总值", "ratio", "%") is None  # GDP is no share
    assert code_for("地区生产总值", "level", "元") == "gdp"
    assert code_for("地区生产总值", "level", "吨") is None
    assert code_for("经济", "level", "元") is None  # "经济" is GDP only as a growth rate
    assert code_for("常住人口城镇化率", "increase", "百分点") == "urbanisation_rate"  # 提高1个百分点
    assert code_for("常住人口城镇化率", "growth_rate", "百分点") is None
    assert code_for("单位地区生产总值能耗", "reduction", "%") == "energy_intensity"
    assert code_for("单位地区生产总值能耗", "level", "吨标准煤") is None
    assert code_for("地区生产总值", "growth_rate", None) is None


def test_nothing_that_fits_gives_null() -> None:
    for indicator, kind, unit in [("新建充电桩", "increase", "个"), ("打造美丽乡村路", "level", "公里"),
                                  ("产值", "level", "元"), ("新增目标", "increase", "人")]:
        assert code_for(indicator, kind, unit) is None


def test_the_documents_own_region_is_dropped_before_matching() -> None:
    assert code_for("桐庐地区生产总值", "growth_rate", "%", ("桐庐县", "桐庐")) == "gdp"
    assert code_for("桐庐地区生产总值", "growth_rate", "%") is None


def test_patterns_catch_wordings_the_synonyms_do_not_list() -> None:
    assert code_for("居民消费价格总水平上涨幅度", "ratio", "%") == "cpi"
    assert code_for("全社会研发经费支出相当于全市生产总值的比例", "ratio", "%") == "rd_intensity"
    assert code_for("设区市细颗粒物（PM2.5）年均浓度", "level", "微克/立方米") == "pm25"
    assert code_for("新建和改造提升高标准农田", "increase", "亩") == "high_standard_farmland"
    assert code_for("地级及以上城市空气质量优良天数比率", "ratio", "%") == "good_air_days"


def test_work_report_targets_get_codes_from_the_pipeline() -> None:
    text = ("某省2026年政府工作报告\n一、2026年工作安排\n今年主要预期目标是：全省地区生产总值增长5%左右，"
            "城镇新增就业45万人以上，城镇调查失业率5.5%左右，居民消费价格涨幅2%左右，居民人均可支配收入增长5%，"
            "粮食产量稳定在1100万吨以上，单位地区生产总值能耗下降2.5%左右。\n二、重点任务\n全年新建充电桩2000个。\n")
    assert _codes(text) == [
        ("地区生产总值", "gdp"), ("城镇新增就业", "urban_new_jobs"),
        ("城镇调查失业率", "urban_surveyed_unemployment"), ("居民消费价格", "cpi"),
        ("居民人均可支配收入", "disposable_income"), ("粮食产量", "grain_output"),
        ("单位地区生产总值能耗", "energy_intensity"), ("新建充电桩", None),
    ]


def test_plan_targets_get_codes_from_the_pipeline() -> None:
    text = ("某市国民经济和社会发展第十五个五年规划纲要\n一、发展目标\n到2030年，研发经费投入强度达到3.2%，"
            "数字经济核心产业增加值占地区生产总值比重达到15%，新增国家高新技术企业500家，"
            "细颗粒物（PM2.5）平均浓度控制在28微克/立方米以下，空气质量优良天数比例达到92%，"
            "常住人口城镇化率达到75%，每千人口拥有3岁以下婴幼儿托位数4.5个。\n")
    assert [c for _, c in _codes(text)] == [
        "rd_intensity", "digital_core_share_of_gdp", "high_tech_enterprises", "pm25", "good_air_days",
        "urbanisation_rate", "childcare_places_per_1000",
    ]


_PREFIXES = st.sampled_from(["", "全省", "全市", "其中", "1.", "（二）", "力争", "今年"])
_NOISE = st.sampled_from(["", " ", "“", "”"])


@settings(max_examples=200, deadline=None)
@given(entry=st.integers(0, 10_000), prefix=_PREFIXES, noise=_NOISE, data=st.data())
def test_leading_place_time_and_outline_words_never_change_the_code(entry: int, prefix: str, noise: str,
                                                                    data: st.DataObject) -> None:
    cat = catalogue()
    e = cat.indicator[entry % len(cat.indicator)]
    name = data.draw(st.sampled_from(e.names))
    kind = data.draw(st.sampled_from(e.kinds))
    unit = _unit_for(cat, e, kind)
    assert code_for(prefix + noise + name, kind, unit) == code_for(name, kind, unit) == e.code


@settings(max_examples=200, deadline=None)
@given(indicator=st.text(max_size=20), kind=st.sampled_from(["level", "increase", "growth_rate", "ratio",
                                                             "reduction"]),
       unit=st.sampled_from(["%", "元", "人", "家", "吨", "百分点", "微克/立方米", "X"]))
def test_any_text_gets_a_code_of_its_kind_or_none(indicator: str, kind: str, unit: str) -> None:
    code = code_for(indicator, kind, unit)
    if code is not None:
        entry = next(e for e in catalogue().indicator if e.code == code)
        assert kind in entry.kinds


# --------------------------------------------------------------------------
# validation on load
# --------------------------------------------------------------------------


def _invalid(data: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Indicators.model_validate(data)


def test_duplicate_code_is_refused() -> None:
    data = _raw()
    data["indicator"].append({**data["indicator"][0], "name": "另一个", "synonyms": []})
    _invalid(data, "code 'gdp' is used by two entries")


def test_a_synonym_of_two_entries_is_refused_even_when_spelled_differently() -> None:
    data = _raw()
    other = next(e for e in data["indicator"] if e["code"] == "fiscal_revenue")
    other["synonyms"] = [*other["synonyms"], "规模以上工业增加值"]  # as 规上工业增加值, another entry's name
    _invalid(data, "belongs to 'industrial_va_above_scale' already")


def test_a_pattern_matching_another_entrys_synonym_is_refused() -> None:
    data = _raw()
    cpi = next(e for e in data["indicator"] if e["code"] == "cpi")
    cpi["patterns"] = [*cpi["patterns"], "城镇.*"]
    _invalid(data, "a pattern matches")


def test_broken_entries_are_refused() -> None:
    cases = [
        ({"patterns": ["(unclosed"]}, "not a valid regular expression"),
        ({"unit_family": "weight"}, "unknown unit_family"),
        ({"kinds": ["level", "stock"]}, "kinds"),
        ({"kinds": []}, "kinds"),
        ({"code": "GDP-1"}, "code"),
        ({"synonyms": ["经济总量", "经济总量"]}, "duplicate entry"),
        ({"colour": "red"}, "colour"),
        ({"unit_family": COUNT, "units": []}, "a count entry lists its units"),
    ]
    for change, message in cases:
        data = _raw()
        data["indicator"][0].update(change)
        _invalid(data, message)


def test_a_broken_catalogue_file_is_a_rules_error_naming_the_file(overlay: Path) -> None:
    text = rules.path("indicators.toml").read_text(encoding="utf-8")
    (overlay / "indicators.toml").write_text(text.replace('units = ["人", "名"]', 'units = ["人", "只猫"]', 1),
                                             encoding="utf-8")
    with pytest.raises(rules.RulesError, match=r"indicators\.toml: urban_new_jobs: units \['只猫'\]"):
        catalogue()
    (overlay / "indicators.toml").write_text(text.replace('code = "cpi"', 'code = "gdp"'), encoding="utf-8")
    _clear_caches()
    with pytest.raises(rules.RulesError, match=r"indicators\.toml: .*code 'gdp' is used by two entries"):
        catalogue()


def test_an_indicator_two_entries_match_gets_no_code(overlay: Path) -> None:
    text = rules.path("indicators.toml").read_text(encoding="utf-8")
    extra = ('\n[[indicator]]\ncode = "a"\nname = "甲指数"\ntopic = "t"\nunit_family = "percent"\nkinds = ["ratio"]\n'
             "patterns = ['.*乙.*']\n"
             '\n[[indicator]]\ncode = "b"\nname = "丙指数"\ntopic = "t"\nunit_family = "percent"\nkinds = ["ratio"]\n'
             "patterns = ['乙.*']\n")
    (overlay / "indicators.toml").write_text(text + extra, encoding="utf-8")
    assert code_for("甲乙", "ratio", "%") == "a"
    assert code_for("乙丁", "ratio", "%") is None  # both patterns match: no guess
