"""The prose reader on the genres it must hold for: work reports, progress reports, plans.

The texts are written for these tests (made-up places and numbers), each in the
shape of a genre, not copied from a gold file.
"""

from __future__ import annotations

from planextract.extract import metadata
from planextract.extract.prose import Role
from planextract.extract.prose.frames import Frame, marker_frame
from planextract.extract.targets import read_document
from planextract.ingest import ingest_bytes
from planextract.models import DocumentMeta


def _read(text: str, **meta_fields: object):
    doc = ingest_bytes(text.encode(), "t.txt", ".txt")
    meta = metadata.extract_metadata(doc)
    for k, v in meta_fields.items():
        setattr(meta, k, v)
    return doc, read_document(doc, meta)


def _roles(result) -> dict[str, tuple[str, str]]:
    """The number as printed -> (role, rule) for every mention."""
    out = {}
    for block, offset, m in result.mentions:
        printed = block.text[offset - block.start + m.start : offset - block.start + m.end]
        out[printed] = (str(m.role), m.rule)
    return out


PROGRESS = """某市重点项目建设进展情况
今年，全市安排重点项目120个，总投资900亿元，年度计划投资150亿元。1-6月累计完成投资80亿元，占年度投资计划的53.3%。其中，40个新建项目已开工36个，开工率90%。
"""


def test_progress_report_completed_amounts_are_actuals_and_the_annual_plan_a_target() -> None:
    _, r = _read(PROGRESS, plan_start=2022, plan_end=2022)
    roles = _roles(r)
    assert roles["150亿元"] == ("target", "target.plan_figure")
    assert roles["80亿元"][0] == "actual"
    assert roles["53.3%"] == ("actual", "actual.plan_share")
    assert roles["90%"][0] == "actual"
    assert roles["900亿元"] == ("other", "other.project_description")
    assert roles["120个"] == ("structure", "structure.list_size")
    assert [t.value for t in r.targets] == [150.0]
    assert {a.value for a in r.actuals} >= {80.0, 53.3, 90.0}


def test_a_partial_year_result_has_the_months_period() -> None:
    _, r = _read(PROGRESS, plan_start=2022, plan_end=2022)
    done = next(a for a in r.actuals if a.value == 80.0)
    assert (done.period, done.months) == ("months", "1-6")


def test_a_total_investment_with_a_bound_is_a_goal() -> None:
    _, r = _read("某县2024年工作要点\n面向社会资本推介项目总投资不低于300亿元。\n", plan_start=2024, plan_end=2024)
    assert [(t.value, t.comparator) for t in r.targets] == [(300.0, ">=")]


REPORT = """2026年某省政府工作报告
一、2025年工作回顾
过去一年，全省地区生产总值增长5.2%，粮食产量达到600万吨。
二、“十四五”时期发展成就和“十五五”时期主要目标
“十四五”时期是极不平凡的五年，地区生产总值年均增长6%，新增城镇就业累计50万人。
“十五五”时期，主要目标是：地区生产总值年均增长5%以上，研发投入强度达到3%。
三、2026年重点工作
今年主要预期目标是：地区生产总值增长5%左右，城镇调查失业率控制在5.5%以内。
"""


def test_work_report_review_gives_actuals_and_the_plan_parts_targets() -> None:
    _, r = _read(REPORT, plan_start=2026, plan_end=2026, doc_type="报告")
    targets = {(t.value, t.year) for t in r.targets}
    assert targets == {(5.0, 2030), (3.0, 2030), (5.0, 2026), (5.5, 2026)}
    actuals = {(a.value, a.year, a.year_start, a.period) for a in r.actuals}
    assert {(5.2, 2025, None, "year"), (600.0, 2025, None, "year")} <= actuals
    assert {(6.0, 2025, 2021, "five_year"), (50.0, 2025, 2021, "five_year")} <= actuals  # 年均, 累计: over the period


def test_a_heading_like_line_sets_the_frame_of_the_sections_under_it() -> None:
    text = """2026年某省政府工作报告
“十五五”时期的主要目标任务
一是经济保持合理增长。地区生产总值年均增长5%以上。
2026年重点工作
（一）扩大有效投资
全年实施重点项目300个以上。
"""
    _, r = _read(text, plan_start=2026, plan_end=2026, doc_type="报告")
    assert {(t.value, t.year) for t in r.targets} == {(5.0, 2030), (300.0, 2026)}


def test_a_table_caption_is_no_time_marker() -> None:
    assert marker_frame("表一 2016-2020年某县规上工业发展情况", 2021) is not None  # it names past years
    text = """某县“十四五”工业发展规划
一、发展基础
表一 2016-2020年某县工业发展情况
规上工业增加值年均增长8%。
二、发展目标
到2025年，规上工业增加值达到200亿元。
"""
    _, r = _read(text, plan_start=2021, plan_end=2025)
    assert [(t.value, t.year) for t in r.targets] == [(200.0, 2025)]


def test_marker_frames() -> None:
    assert marker_frame("一、2025年工作回顾", 2026) == Frame(past=True, year=2025)
    assert marker_frame("这五年，我们", 2026) == Frame(past=True, year=2025, plan=(2021, 2025))
    assert marker_frame("今年是“十五五”开局之年", 2026) == Frame(past=False, year=2026)
    assert marker_frame("“十五五”时期", 2026) == Frame(past=False, year=2030, plan=(2026, 2030))
    assert marker_frame("二、重点任务", 2026) is None


def test_list_markers_are_not_part_of_the_indicator() -> None:
    text = "某市2023年重点工作责任分解\n1.生产总值增长6%以上。\n十是推动城乡居民收入增长6%。\n"
    _, r = _read(text, plan_start=2023, plan_end=2023)
    assert [t.indicator for t in r.targets] == ["生产总值", "城乡居民收入"]


def test_every_mention_has_a_role_and_a_rule() -> None:
    _, r = _read(REPORT, plan_start=2026, plan_end=2026, doc_type="报告")
    assert r.mentions and all(m.role in set(Role) and m.rule for _, _, m in r.mentions)
    assert all(t.rule for t in r.targets + r.actuals)


def test_counts_of_the_documents_own_parts_are_structure() -> None:
    text = "某市规划纲要说明\n纲要从创新、协调、绿色6个维度设置了20项主要指标，部署了13项任务举措。\n"
    _, r = _read(text, plan_start=2026, plan_end=2030)
    assert r.targets == []
    assert all(m.role is Role.STRUCTURE for _, _, m in r.mentions)


def _meta() -> DocumentMeta:  # keeps the import used by type checkers
    return DocumentMeta(doc_id="d", path="d", format="text")


def _targets_of(sentence: str, plan: tuple[int, int] = (2026, 2026)) -> list[tuple[str, float]]:
    _, r = _read("某县2026年工作要点\n" + sentence + "\n", plan_start=plan[0], plan_end=plan[1])
    return [(t.indicator, t.value) for t in r.targets]


def test_a_respectively_list_shares_its_last_word() -> None:
    assert _targets_of("小麦、玉米、马铃薯产量分别达到30万吨、50万吨、20万吨。") == [
        ("小麦产量", 30), ("玉米产量", 50), ("马铃薯产量", 20)]


def test_a_respectively_list_of_whole_indicators() -> None:
    assert _targets_of("城区绿化覆盖率和公园服务半径覆盖率分别达到45%和90%。") == [
        ("城区绿化覆盖率", 45), ("公园服务半径覆盖率", 90)]


def test_one_figure_shared_by_a_list_of_measures() -> None:
    assert _targets_of("规上工业增加值、固定资产投资均增长8%。") == [("规上工业增加值", 8), ("固定资产投资", 8)]
    assert _targets_of("义务教育巩固率、高中阶段毛入学率达到96%以上。") == [("义务教育巩固率", 96), ("高中阶段毛入学率", 96)]
    # "均" with a longer verb after it ("均稳定在", "均保持在") still shares the figure
    assert _targets_of("小麦、玉米产量均稳定在百万吨以上。") == [("小麦产量", 100), ("玉米产量", 100)]


def test_a_share_written_with_a_bare_zhan_is_a_ratio() -> None:
    assert _targets_of("出口企业对周边国家投资占30%以上。") == [("出口企业对周边国家投资占比", 30)]


def test_named_places_in_a_list_stay_one_target() -> None:
    assert _targets_of("城东新区和城西新区工业用地总面积达到5000亩。") != []


def test_examples_before_deng_are_not_the_indicator() -> None:
    assert _targets_of("实施老城区、滨江片区等12个城市更新项目。") == [("实施城市更新项目", 12)]


def test_figures_written_in_words() -> None:
    _, r = _read("某市“十五五”规划纲要\n到2030年，全市经济总量实现翻一番，城镇化率提高到七成。\n", plan_start=2026, plan_end=2030)
    assert [(t.value, t.unit, t.kind) for t in r.targets] == [(100, "%", "growth_rate"), (7, "成", "ratio")]
    assert r.targets[1].base_value == 70


def test_a_relative_period_counts_from_the_documents_year() -> None:
    _, r = _read("某市2023年重点工作\n未来五年带动制造业投资500亿元以上。\n", plan_start=2023, plan_end=2023)
    assert [(t.value, t.year) for t in r.targets] == [(500, 2028)]


def test_scopes_split_from_the_indicator() -> None:
    _, r = _read("某市2026年工作安排\n全年实现有机茶叶产业产值30亿元，高新园区新增入驻企业50家，城镇新增就业2万人。\n",
                 plan_start=2026, plan_end=2026)
    assert [(t.scope, t.indicator) for t in r.targets] == [
        ("有机茶叶产业", "产值"), ("高新园区", "新增入驻企业"), (None, "城镇新增就业")]


def _actuals_of(review: str) -> list[tuple[str, float, str]]:
    text = "2026年某省政府工作报告\n一、2025年工作回顾\n" + review + "\n二、2026年重点工作\n"
    _, r = _read(text, plan_start=2026, plan_end=2026, doc_type="报告")
    return [(a.indicator, a.value, a.period) for a in r.actuals]


def test_streaks_and_ranks_are_no_results_but_what_a_streak_holds_is() -> None:
    found = _actuals_of("规上工业增加值增速连续12个季度居全国前列，排名由第15位上升到第9位，粮食产量连续8年稳定在600万吨以上。")
    assert found == [("粮食产量", 600, "year")]


def test_a_count_naming_the_group_of_the_next_figure_is_structure() -> None:
    found = _actuals_of("12家对口帮扶单位投入资金3.5亿元。全年实施民生实事项目10大类30项。")
    assert [(i, v) for i, v, _ in found] == [("对口帮扶单位投入资金", 3.5)]


def test_counts_of_entities_reached_are_results() -> None:
    found = _actuals_of("5个县和3个乡镇新获评省级卫生城镇，120家企业入选省级专精特新名单。")
    assert [v for _, v, _ in found] == [5, 3, 120]


def test_the_from_value_of_a_reported_change_is_a_result_of_the_year_before() -> None:
    text = "2026年某省政府工作报告\n一、2025年和“十四五”时期工作回顾\n这五年，常住人口城镇化率从60.5%提高到65.2%。\n二、2026年重点工作\n"
    _, r = _read(text, plan_start=2026, plan_end=2026, doc_type="报告")
    assert [(a.value, a.year, a.period) for a in r.actuals] == [(60.5, 2020, "year"), (65.2, 2025, "year")]


def test_a_bare_measure_takes_the_previous_items_subject() -> None:
    found = _actuals_of("新增高新技术企业500家、总数达到3000家，新能源汽车产量增长20%、占全国1成。")
    assert [i for i, _, _ in found] == ["新增高新技术企业", "高新技术企业总数", "新能源汽车产量", "新能源汽车产量占全国比重"]


def test_milestones_fractions_and_ratios_to_one() -> None:
    found = _actuals_of("全省经济总量迈上3万亿元台阶，城乡居民收入比从2.4:1缩小至2.2:1，粮食产量约占全国1/20。")
    assert [(i, v) for i, v, _ in found] == [("经济总量", 3), ("城乡居民收入比", 2.4), ("城乡居民收入比", 2.2), ("粮食产量占全国比重", 5.0)]


def test_a_clause_topic_gives_the_next_figure_its_scope_or_indicator() -> None:
    assert [(t.scope, t.indicator) for t in _read("某县2026年工作要点\n壮大有机茶叶产业，产值突破20亿元。\n", plan_start=2026, plan_end=2026)[1].targets] == [
        ("有机茶叶产业", "产值")]
    _, r = _read("某市2026年工作要点\n企业开办时间，个体工商户的不超过1个工作日，其他企业的不超过3个工作日。\n",
                 plan_start=2026, plan_end=2026)
    assert [(t.scope, t.indicator, t.value, t.unit) for t in r.targets] == [
        ("个体工商户", "企业开办时间", 1, "个工作日"), ("其他企业", "企业开办时间", 3, "个工作日")]


def test_points_of_a_rate_city_and_countryside_and_lists_joined_by_dunhao() -> None:
    _, r = _read("某省2026年工作安排\n常住人口城镇化率提升1个百分点以上，城乡居民人均可支配收入分别增长5%、6%，"
                 "文化及相关产业、体育及相关产业增加值分别增长8%、9%。\n", plan_start=2026, plan_end=2026)
    assert [(t.indicator, t.kind) for t in r.targets] == [
        ("常住人口城镇化率", "increase"), ("城镇居民人均可支配收入", "growth_rate"), ("农村居民人均可支配收入", "growth_rate"),
        ("文化及相关产业增加值", "growth_rate"), ("体育及相关产业增加值", "growth_rate")]


def test_listed_examples_rates_per_head_and_a_shared_predicate() -> None:
    _, r = _read("某省2026年工作安排\n为超500名听力、视力等残疾儿童免费提供康复服务，食品抽检量超每千人5批次，"
                 "全省200家养老机构、50家社区食堂实现食品安全检查全覆盖。\n", plan_start=2026, plan_end=2026)
    got = [(t.indicator, t.value, t.unit) for t in r.targets]
    assert got[0][0].startswith("为残疾儿童免费提供") and got[0][1:] == (500, "名")
    assert got[1] == ("食品抽检量", 5, "批次/千人") and r.targets[1].comparator == ">"
    assert got[2][0].endswith("实现食品安全检查全覆盖") and got[3][0].endswith("实现食品安全检查全覆盖")


def test_a_verb_runs_over_a_list_of_counts_and_periods_leave_the_indicator() -> None:
    _, r = _read("某省2026年工作安排\n新增省级创新平台30个、专精特新企业100户，带动未来五年制造业投资500亿元。\n",
                 plan_start=2026, plan_end=2026)
    assert [(t.indicator, t.year) for t in r.targets] == [
        ("新增省级创新平台", 2026), ("新增专精特新企业", 2026), ("制造业投资", 2031)]


def test_a_repeated_sentence_is_read_once_and_placed_where_it_recurs() -> None:
    clause = "到2025年，规上工业增加值达到300亿元。"
    doc, r = _read("某县工业发展规划\n" + clause * 3 + "\n", plan_start=2021, plan_end=2025)
    assert [t.value for t in r.targets] == [300, 300, 300]
    assert all(doc.text[t.char_start : t.char_end] == t.evidence for t in r.targets)
    assert len({t.char_start for t in r.targets}) == 3


def test_a_yearly_average_in_a_mixed_review_is_a_plan_period_figure() -> None:
    text = "2026年某省政府工作报告\n一、2025年和“十四五”时期工作回顾\n全省地区生产总值增长5.1%，一般公共预算收入年均增长6.5%。\n二、2026年重点工作\n"
    _, r = _read(text, plan_start=2026, plan_end=2026, doc_type="报告")
    assert [(a.value, a.year, a.year_start, a.period) for a in r.actuals] == [
        (5.1, 2025, None, "year"), (6.5, 2025, 2021, "five_year")]


def test_reading_stops_at_the_records_limit_with_a_warning(monkeypatch) -> None:
    from planextract.extract import extract_document, targets

    monkeypatch.setattr(targets, "MAX_PROSE_RECORDS", 5)
    text = "某县规划\n" + "".join(f"到2025年，第{i}类产业产值达到{i + 10}亿元。" for i in range(20)) + "\n"
    result = extract_document(ingest_bytes(text.encode(), "t.txt", ".txt"))
    assert 5 <= len(result.targets) < 20
    assert any("only the first 5" in w for w in result.document.warnings)


def test_a_review_heading_with_a_year_is_past_even_when_the_document_seems_to_speak_from_it() -> None:
    # An undated county report: the only year it names is the one its review heading reviews.
    text = ("各位代表:\n2023年工作回顾\n2023年,全县预计实现地区生产总值120亿元,增长6.5%。\n"
            "回顾这一年,新增规上工业企业12家。\n")
    _, r = _read(text, plan_start=2023, plan_end=2023)
    assert r.targets == []
    assert [(a.value, a.year) for a in r.actuals] == [(120.0, 2023), (6.5, 2023), (12.0, 2023)]


def test_an_undated_review_heading_gives_its_year_to_the_results() -> None:
    _, r = _read("一、2024年工作回顾\n全市生产总值达到800亿元、增长5%。\n")
    assert [(a.value, a.year) for a in r.actuals] == [(800.0, 2024), (5.0, 2024)]


def test_a_progress_reports_project_counts_are_the_lists_size_not_goals() -> None:
    text = ("某县重点项目进展情况\n2022年，全县重点项目共40项，其中：建设项目36项（省级5项、县级31项），前期项目4项。"
            "总投资300亿元，当年计划投资60亿元。\n省级5项，概算投资90亿元，当年计划投资20亿元。1-9月份完成投资15亿元，投资完成率75%。\n"
            "18宗未开工项目中，市重点项目有6宗。\n")
    _, r = _read(text, plan_start=2022, plan_end=2022)
    assert [t.value for t in r.targets] == [60.0, 20.0]
    assert _roles(r)["90亿元"] == ("other", "other.project_description")


def test_projects_to_build_stay_goals_in_a_report_that_also_gives_progress() -> None:
    text = ("某省政府工作报告\n一、2025年工作回顾\n截至年底，重点项目累计完成投资800亿元。\n二、2026年工作安排\n"
            "建设“两新”产业项目300个，计划新开工项目50个。\n")
    _, r = _read(text, plan_start=2026, plan_end=2026, doc_type="报告")
    assert [(t.value, t.unit) for t in r.targets] == [(300.0, "个"), (50.0, "个")]


def test_a_progress_reports_plan_figure_names_the_group_of_projects_it_is_for() -> None:
    text = ("某县重点项目推进情况\n2021年全县实施重点项目60个，年度计划投资40亿元，1-6月累计完成投资22亿元。"
            "其中省重点项目3个，总投资30亿元，年度计划完成投资8亿元。\n二、市级重点项目进展情况\n"
            "全县安排重点项目20个，年度计划投资12亿元。1-6月完成投资7亿元。\n")
    _, r = _read(text, plan_start=2021, plan_end=2021)
    assert [(t.indicator, t.value) for t in r.targets] == [
        ("重点项目年度计划投资", 40.0), ("省重点项目年度计划完成投资", 8.0), ("市级重点项目年度计划投资", 12.0)]


def test_a_reach_verb_after_a_measure_leaves_the_indicator_but_an_opening_one_is_the_action() -> None:
    text = "某县政府工作报告\n一、2023年工作回顾\n全县地区生产总值完成86亿元,同比增长5.2%;完成120户农村危房改造。\n"
    _, r = _read(text, plan_start=2024, plan_end=2024, doc_type="报告")
    got = [(a.indicator, a.value, a.kind) for a in r.actuals]
    assert got[:2] == [("地区生产总值", 86.0, "level"), ("地区生产总值", 5.2, "growth_rate")]
    assert got[2][1:] == (120.0, "increase") and got[2][0].endswith("农村危房改造")


def test_a_one_character_prefix_that_opens_a_word_stays_in_the_indicator() -> None:
    got = _targets_of("2026年全县使用外资增长10%左右，在建项目达到80个，可再生能源装机占比达到50%。")
    assert [name for name, _ in got] == ["使用外资", "在建项目", "可再生能源装机占比"]


def test_a_statistics_report_of_the_year_so_far_gives_no_targets() -> None:
    text = ("某县1-9月经济运行情况\n1-9月,全县规模以上工业增加值同比增长7.1%。全县技改投资增长12.5%。\n"
            "按经营单位所在地分,城镇消费品零售额10.2亿元,增长6.0%。\n前三季度全县固定资产投资同比增长4.4%。\n"
            "下半年,力争全年固定资产投资增长8%以上。\n")
    _, r = _read(text, plan_start=2024, plan_end=2024)
    assert [(t.value, t.comparator) for t in r.targets] == [(8.0, ">=")]
    assert {a.value for a in r.actuals} >= {7.1, 12.5, 10.2, 6.0, 4.4}


def test_a_year_end_deadline_leaves_the_indicator() -> None:
    got = _targets_of("2025年年底前农村卫生厕所普及率达到90%，集中力量打造30个和美乡村示范村。", plan=(2023, 2025))
    assert [name for name, _ in got] == ["农村卫生厕所普及率", "和美乡村示范村"]


def test_a_task_progress_note_gives_the_years_task_as_target_and_what_is_done_as_result() -> None:
    text = ("某市乡村振兴指标完成情况\n农村道路硬化,全年任务为120公里,实际完成130公里,超额完成8%;"
            "本年度计划改造农村户厕2万座,截至9月底,全市已改造户厕2.3万座。\n")
    _, r = _read(text, plan_start=2022, plan_end=2022)
    assert [(t.indicator, t.value) for t in r.targets] == [("农村道路硬化", 120.0), ("本年度计划改造农村户厕", 2.0)]
    assert {a.value for a in r.actuals} == {130.0, 8.0, 2.3}


def test_counts_of_the_years_target_tasks_are_no_goals() -> None:
    _, r = _read("某县2024年工作要点\n全年明确80项目标任务，细化为120个具体工作内容，实际利用外资1亿美元以上。\n",
                 plan_start=2024, plan_end=2024)
    assert [(t.indicator, t.value) for t in r.targets] == [("实际利用外资", 1.0)]


def test_a_bracketed_count_of_the_items_under_a_heading_is_structure() -> None:
    _, r = _read("某县2025年政府工作报告任务清单\n一、县发改局牵头工作（6项）\n1.建设2个标准化厂房园区。\n",
                 plan_start=2025, plan_end=2025)
    assert [(t.value, t.unit) for t in r.targets] == [(2.0, "个")]
    assert _roles(r)["6项"] == ("structure", "structure.items_under")


def test_bulleted_figures_are_items_of_the_section_their_heading_opens() -> None:
    text = ("某省政府工作报告摘要\n■ 2024年成绩单\n●全省地区生产总值增长5%左右\n●增速保持中部领先\n"
            "●粮食总产达到500亿斤\n■ 2025年主要预期目标\n●城镇新增就业60万人以上\n")
    _, r = _read(text)
    assert [(a.indicator, a.value) for a in r.actuals] == [("地区生产总值", 5.0), ("粮食总产", 500.0)]
    assert [(t.indicator, t.value) for t in r.targets] == [("城镇新增就业", 60.0)]


def test_an_item_naming_its_own_measure_takes_no_verb_from_the_item_before() -> None:
    _, r = _read("某省2026年主要预期目标\n城镇新增就业50万人以上；粮食产量600万吨以上。\n", plan_start=2026, plan_end=2026)
    assert [(t.indicator, t.kind) for t in r.targets] == [("城镇新增就业", "increase"), ("粮食产量", "level")]


def test_rebuild_verbs_count_new_things_and_keep_their_own_verb() -> None:
    _, r = _read("某市2026年工作要点\n新增城市道路20公里，新改扩建城乡地下管网80公里，改扩建学校5所。\n",
                 plan_start=2026, plan_end=2026)
    assert [(t.indicator, t.kind) for t in r.targets] == [
        ("新增城市道路", "increase"), ("新改扩建城乡地下管网", "increase"), ("改扩建学校", "increase")]


def test_a_bracketed_breakdown_names_its_own_items() -> None:
    got = _targets_of("全县整治村庄80个（包括30个省级补助村、50个县级补助村）。")
    assert [name for name, _ in got][1:] == ["省级补助村", "县级补助村"]


def test_numbers_inside_a_bracketed_definition_are_structure() -> None:
    got = _targets_of("全年4项指标未达到序时进度（进度占比低于75%或增幅低于目标，下同），新增规上企业20家。")
    assert got == [("新增规上企业", 20.0)]


def test_a_precise_change_against_last_year_reports_the_year() -> None:
    text = ("某县2023年国民经济和社会发展统计公报\n初步测算,2023年全县地区生产总值120亿元,比上年增长5.1%。"
            "全年粮食总产量8万吨,同比增长0.9%。\n2024年,力争全县地区生产总值比上年增长6%以上。\n")
    _, r = _read(text, plan_start=2023, plan_end=2023)
    assert {a.value for a in r.actuals} == {120.0, 5.1, 8.0, 0.9}
    assert [(t.value, t.comparator) for t in r.targets] == [(6.0, ">=")]


def test_a_review_cue_outweighs_a_bound_and_a_change_to_a_year_is_no_deadline() -> None:
    text = "某市“十四五”发展成就发布会\n五年来,全市生产总值年均增长6%以上,占全省比重由2020年的10.2%提升至2024年的11%。\n"
    _, r = _read(text)
    assert r.targets == []
    assert [a.value for a in r.actuals] == [6.0, 10.2, 11.0]
    assert [a.year for a in r.actuals][1:] == [2020, 2024]
