"""Prose targets: the genre's patterns, one sentence at a time."""

from __future__ import annotations

from planextract.extract.targets import extract_targets
from planextract.ingest import ingest_bytes
from planextract.models import DocumentMeta, Target


def _targets(text: str, plan: tuple[int, int] | None = (2021, 2025), region: str | None = "桐庐县", doc_type: str = "规划") -> list[Target]:
    doc = ingest_bytes(text.encode(), "t.txt", ".txt")
    meta = DocumentMeta(doc_id=doc.doc_id, path="t.txt", format="text", region=region, doc_type=doc_type)
    if plan:
        meta.plan_start, meta.plan_end = plan
    return [t for t in extract_targets(doc, meta) if t.source == "text"]


def _brief(ts: list[Target]) -> list[tuple]:
    return [(t.indicator, t.value, t.unit, t.comparator, t.kind) for t in ts]


def test_level_and_growth_rate_share_the_indicator() -> None:
    ts = _targets("到2025年，规上工业增加值突破200亿元，年均增速6%左右。")
    assert _brief(ts) == [("规上工业增加值", 200, "亿元", ">", "level"), ("规上工业增加值", 6, "%", "~", "growth_rate")]
    assert ts[0].base_value == 2e10 and ts[0].year == 2025 and ts[0].lower == 2e10 and ts[0].upper is None
    assert ts[1].lower is None and ts[1].upper is None


def test_shared_verb_is_carried_into_each_indicator() -> None:
    ts = _targets("到2025年新增国家高新技术企业186家、省科技型中小企业250家。")
    assert [t.indicator for t in ts] == ["新增国家高新技术企业", "新增省科技型中小企业"]
    assert all(t.kind == "increase" for t in ts)


def test_shared_verb_stops_at_an_item_that_did_not_take_it() -> None:
    ts = _targets("今年，新增就业岗位8万个以上，登记失业率4%以内，物价涨幅3%左右。", plan=(2026, 2026))
    assert [t.indicator for t in ts] == ["新增就业岗位", "登记失业率", "物价"]  # 涨幅: the rate word


def test_this_year_in_a_one_year_report_beats_a_five_year_heading() -> None:
    text = "三、奋力推动“十五五”开好局\n今年主要预期目标是：地区生产总值增长5%左右，城镇新增就业30万人。\n"
    ts = _targets(text, plan=(2026, 2026), region="某省", doc_type="报告")
    assert [(t.indicator, t.year) for t in ts] == [("地区生产总值", 2026), ("城镇新增就业", 2026)]
    ts = _targets("三、“十五五”目标\n地区生产总值年均增长5%左右。\n", plan=(2026, 2026), region="某省", doc_type="报告")
    assert [t.year for t in ts] == [2030]


def test_firm_and_aspirational() -> None:
    ts = _targets("全市规上工业总产值确保实现800亿元、力争1000亿元。")
    assert [(t.value, t.ambition, t.indicator) for t in ts] == [
        (800, "firm", "规上工业总产值"), (1000, "aspirational", "规上工业总产值")
    ]


def test_hedge_at_the_head_governs_the_sentence_only_there() -> None:
    ts = _targets("力争到2025年，工业总产值突破1000亿元，规模以上工业企业总数超过500家。")
    assert [t.ambition for t in ts] == ["aspirational", "aspirational"]
    ts = _targets("打造互联网平台，力争将其列入省级名单，规上工业企业数字化水平达到100%。")
    assert [t.ambition for t in ts] == [None]


def test_ranges_magnitudes_and_implied_units() -> None:
    (t,) = _targets("到2025年，新增5-8家公共创新平台。")
    assert (t.value, t.value_high, t.unit, t.indicator) == (5, 8, "家", "新增公共创新平台")
    assert (t.lower, t.upper) == (5, 8)
    (t,) = _targets("至2025年，桃江工业总产值突破千亿大关。", region="桃江县")
    assert (t.indicator, t.value, t.unit, t.base_value, t.comparator) == ("工业总产值", 1000, "亿元", 1e11, ">")
    (t,) = _targets("到2025年，居民人均可支配收入超6.7万。")
    assert (t.value, t.unit, t.base_value) == (6.7, "万元", 67000)
    (t,) = _targets("桃江工业税收突破十亿元。", region="桃江县")
    assert (t.indicator, t.value, t.unit) == ("工业税收", 10, "亿元")


def test_period_start_year() -> None:
    ts = _targets("2022－2025年，力争每年培育制造业国家级品牌1个以上、省级品牌5个以上。")
    assert [(t.year_start, t.year, t.comparator) for t in ts] == [(2022, 2025, ">="), (2022, 2025, ">=")]


def test_reported_figures_and_thresholds_are_not_targets() -> None:
    assert _targets("2020年，全市实现规上工业总产值491.2亿元，同比增长5%。") == []
    assert _targets("“十三五”期间，全市累计引进项目120个。") == []
    ts = _targets("到2025年，新增落地亿元以上产业项目200个以上，亩均低于8万元的低效用地基本出清。")
    assert _brief(ts) == [("新增落地亿元以上产业项目", 200, "个", ">=", "increase")]
    ts = _targets("对总投资5000万以上的制造业项目，按照标准的70%给予补助。")
    assert ts == []
    assert _targets("初步设置“3大领域共35项指标”，安排11项具体指标。") == []


def test_count_followed_by_the_thing_counted() -> None:
    (t,) = _targets("到2025年，新增30家杭州市级以上企业研发机构。")
    assert t.indicator == "新增杭州市级以上企业研发机构" and t.value == 30


def test_respectively_hands_out_scopes() -> None:
    ts = _targets("到2025年，开发区、高铁新区工业用地总面积分别达到1万亩和1.2万亩。")
    assert [(t.scope, t.indicator, t.value) for t in ts] == [("开发区", "工业用地总面积", 1), ("高铁新区", "工业用地总面积", 1.2)]


def test_responsibility_line_gives_agencies_lead_first() -> None:
    text = (
        "二、重点任务\n(一)培育集群\n"
        "1.强化创新。新增市级企业技术中心2家以上。(责任单位:县经信局、县科技局、县科协)\n"
    )
    (t,) = _targets(text, plan=(2024, 2024))
    assert t.agencies == ["县经信局", "县科技局", "县科协"]
    assert t.year == 2024 and t.section_path == ["二、重点任务", "(一)培育集群"]


def test_provenance_points_at_the_evidence() -> None:
    text = "一、目标\n到2025年，规上工业增加值突破200亿元。"
    doc = ingest_bytes(text.encode(), "t.txt", ".txt")
    meta = DocumentMeta(doc_id=doc.doc_id, path="t.txt", format="text", plan_start=2021, plan_end=2025)
    (t,) = extract_targets(doc, meta)
    assert doc.text[t.char_start : t.char_end] == t.evidence and "200亿元" in t.evidence
    assert t.block_id.startswith(doc.doc_id) and t.target_id == f"{doc.doc_id}-t0000"


def test_work_report_review_is_skipped() -> None:
    text = (
        "2026年政府工作报告\n一、2025年工作回顾\n全年地区生产总值增长5.2%，新增企业300家。\n"
        "二、2026年主要目标\n地区生产总值增长5%左右，城镇新增就业30万人以上。\n"
    )
    ts = _targets(text, plan=(2026, 2026), doc_type="报告")
    assert [(t.indicator, t.value) for t in ts] == [("地区生产总值", 5), ("城镇新增就业", 30)]


def test_a_verb_is_carried_only_along_a_list_of_like_things() -> None:
    ts = _targets("到2025年，新增“专精特新”中小企业10户，工业投资年均增长10%以上。")
    assert [(t.indicator, t.kind) for t in ts] == [("新增“专精特新”中小企业", "increase"), ("工业投资", "growth_rate")]


def test_compound_count_words() -> None:
    (t,) = _targets("到2027年，每年开展数字技能培训活动不少于50场次。")
    assert (t.indicator, t.value, t.unit, t.comparator) == ("数字技能培训活动", 50, "场次", ">=")  # 开展 is a light verb (gold-dev convention)


def test_from_x_to_y_gives_a_baseline() -> None:
    (t,) = _targets("到2026年，学生平安保险保费由每生每年5元提高至10元。", plan=(2026, 2026))
    assert (t.indicator, t.value, t.baseline_value) == ("学生平安保险保费", 10, 5)


def test_responsibility_variants() -> None:
    text = "二、任务\n1.扩大投资。新增项目5个。（牵头单位：县发改局；配合单位：县财政局）\n"
    (t,) = _targets(text)
    assert t.agencies == ["县发改局"]
    text = "二、任务\n1.扩大投资。新增项目5个。\n责任单位：县发改局、经济开发区（航空小镇）\n"
    (t,) = _targets(text)
    assert t.agencies == ["县发改局", "经济开发区（航空小镇）"]


def test_a_compared_year_is_the_baseline_not_the_target_year() -> None:
    (t,) = _targets("规上工业增加值比2020年增长50%以上。")
    assert (t.indicator, t.value, t.year, t.baseline_year, t.kind) == ("规上工业增加值", 50, 2025, 2020, "growth_rate")


def test_falling_to_a_level_is_a_level() -> None:
    (t,) = _targets("到2025年，城镇调查失业率下降到5%以内。")
    assert (t.indicator, t.value, t.comparator, t.kind) == ("城镇调查失业率", 5, "<=", "ratio")
