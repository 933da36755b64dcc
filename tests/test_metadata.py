"""Document metadata: title, region, issuer, type, dates and plan period (GUIDELINES.md 'document')."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from _shared import CORPUS, CORPUS_DEV, GOLD, GOLD_DEV, GWR, need
from planextract.extract import dates, metadata, periods, region
from planextract.extract.metadata import extract_metadata
from planextract.ingest import ingest_bytes
from planextract.models import DocumentMeta

GOLD_SETS = ((CORPUS, GOLD), (CORPUS_DEV, GOLD_DEV))
FIELDS = ("title", "region", "region_code", "province", "city", "issuer", "doc_type", "publish_date", "plan_start", "plan_end")


def meta_of(text: str, name: str = "doc.txt") -> DocumentMeta:
    return extract_metadata(ingest_bytes(text.encode("utf-8"), name, Path(name).suffix))


def _squeezed(v: object) -> object:
    """As the scorer compares strings: white space inside them ignored."""
    return "".join(v.split()) if isinstance(v, str) else v


def test_both_gold_sets_match() -> None:
    golds = [(corpus, p) for corpus, gold_dir in GOLD_SETS for p in sorted(need(gold_dir).glob("*.gold.json"))]
    assert len(golds) >= 17
    wrong = {}
    for corpus, gold_path in golds:
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        path = corpus / gold["file"]
        got = extract_metadata(ingest_bytes(path.read_bytes(), gold["file"], path.suffix)).model_dump()
        for f in FIELDS:
            if _squeezed(gold["document"][f]) != _squeezed(got[f]):
                wrong[f"{gold['file']}:{f}"] = (gold["document"][f], got[f])
    assert wrong == {}


def test_provincial_work_reports() -> None:
    reports = sorted(need(GWR).glob("*.txt"))
    assert len(reports) == 25
    for path in reports:
        m = extract_metadata(ingest_bytes(path.read_bytes(), path.name, path.suffix))
        region = path.stem  # the files are named after the province
        assert (m.region, m.province, m.city) == (region, region, None), path.name
        assert m.region_code and m.region_code.endswith("0000")
        assert m.issuer == f"{region}人民政府", path.name
        assert m.title and region in m.title and "2026" in m.title and m.title.endswith("政府工作报告"), path.name
        assert m.doc_type == "报告"
        assert (m.plan_start, m.plan_end) == (2026, 2026), path.name
        assert m.publish_date and m.publish_date.startswith("2026-0"), path.name


def test_issuing_bodies_above_the_title_and_closing_date() -> None:
    m = meta_of(
        "中共某某县委  益阳市桃江县人民政府\n关于加快建设制造强县的实施意见\n"
        "为推进我县制造业发展，现提出如下意见。\n一、总体目标\n到2027年，全县规上工业产值达到500亿元。\n"
        "桃江县人民政府办公室\n2023年5月  日\n"
    )
    assert m.title == "关于加快建设制造强县的实施意见"
    assert m.issuer == "中共某某县委、益阳市桃江县人民政府"
    assert (m.region, m.region_code, m.city, m.province) == ("桃江县", "430922", "益阳市", "湖南省")
    assert m.doc_type == "意见"
    assert m.publish_date == "2023-05"
    assert (m.plan_start, m.plan_end) == (2023, 2027)  # from publication to the stated horizon


def test_header_fields_of_a_web_copy() -> None:
    m = meta_of(
        "索引号 002/2023-0042 发布机构 建德市经信局 发布日期 2023-03-08 10:00:00 文件编号 建经信〔2023〕7号\n"
        "建德市工业领域碳达峰行动方案（2023-2030年）\n为贯彻落实全市碳达峰工作部署，特制定本方案。\n"
    )
    assert m.title == "建德市工业领域碳达峰行动方案（2023-2030年）"
    assert m.index_number == "002/2023-0042"
    assert m.issuer == "建德市经信局"
    assert m.publish_date == "2023-03-08"
    assert m.doc_number == "建经信〔2023〕7号"
    assert m.doc_type == "方案"
    assert (m.plan_start, m.plan_end) == (2023, 2030)
    assert (m.region, m.city) == ("建德市", "杭州市")


def test_source_line_of_a_reprint_is_not_the_issuer() -> None:
    m = meta_of("为加快浦江工业发展，助推我县经济，现提出如下意见。\n一、目标\n到2025年，浦江工业产值突破千亿元。\n来源：浦江县经济商务局办公室\n")
    assert m.issuer is None
    assert m.title is None
    assert m.doc_type == "意见"  # the text names itself
    assert m.region == "浦江县"


def test_drafting_note_names_the_plan_and_its_drafter() -> None:
    m = meta_of(
        "为推动产业发展，我局起草了《桐庐县数字经济发展行动计划（2023-2025年）》。\n一、起草过程\n"
        "今年3月以来，县经信局牵头起草《行动计划》，并征求了意见。\n"
    )
    assert m.title == "桐庐县数字经济发展行动计划（2023-2025年）起草说明"
    assert m.doc_type == "说明"
    assert m.issuer == "县经信局"
    assert (m.plan_start, m.plan_end) == (2023, 2025)


def test_title_broken_over_two_lines_and_issuer_in_title() -> None:
    m = meta_of("桐庐县人民政府关于印发桐庐县工业稳增长若干政策的\n通知\n各乡镇人民政府，县政府各部门：\n现将政策印发给你们。\n")
    assert m.title == "桐庐县人民政府关于印发桐庐县工业稳增长若干政策的通知"
    assert m.doc_type == "通知"
    assert m.issuer == "桐庐县人民政府"


@pytest.mark.parametrize(
    ("title", "period"),
    [
        ("建德市“十四五”制造业高质量发展规划", (2021, 2025)),
        ("某县“十五五”规划纲要", (2026, 2030)),
        ("桐庐县2024年工作要点", (2024, 2024)),
        ("某市数字经济行动计划（2022－2025年）", (2022, 2025)),
        ("到2030年某县碳达峰实施方案", (None, 2030)),
        ("关于推进制造业发展的意见", None),
    ],
)
def test_period_in_title(title: str, period: tuple[int | None, int | None] | None) -> None:
    assert periods.period_in_title(title) == period


def test_five_year_period_in_the_text_but_not_a_named_plan() -> None:
    cfg = metadata._cfg()
    assert periods.plan_period(None, "“十四五”时期，要深入实施战略。到2025年产值1000亿元。", "意见", None, cfg) == (2021, 2025)
    # naming another plan (“十四五”规划) is no period of this one: the horizon decides
    assert periods.plan_period(None, "结合“十四五”规划要求。到2023年，A；到2025年，B；到2025年，C。", "说明", None, cfg) == (None, 2025)
    # a 远景 year is no plan end
    assert periods.plan_period(None, "到2025年，A。远景目标展望到2035年。", None, None, cfg) == (None, 2025)
    assert periods.plan_period(None, "到2030年，A；展望到2035年，B。", None, None, cfg) == (None, 2030)
    # a report looking back on one period and ahead to the next: the one it dwells on
    text = "“十四五”时期成就显著。“十五五”时期目标：A。“十五五”期间：B。"
    assert periods.plan_period(None, text, "意见", None, cfg) == (2026, 2030)


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("桐庐县产业高质量发展行动计划起草说明", "说明"),
        ("关于印发《某县制造业发展规划》的通知", "通知"),  # the notice's own head noun
        ("某区2023年重点工作责任分解", "方案"),
        ("2022年1-6月全县重点项目进展情况", "报告"),
        ("上半年重点建设项目简讯", "报告"),
        ("2023年上半年全市重点项目建设情况", "报告"),
        ("关于2023年1-4月全市重点项目推进情况的通报", "报告"),
        ("某县2024年工作要点", "工作要点"),
        ("某市招商引资奖励办法（试行）", "办法"),
        ("2026年政府工作报告", "报告"),
        ("某县加快发展的若干措施", "其他"),
    ],
)
def test_doc_type_is_the_title_head_noun(title: str, kind: str) -> None:
    assert metadata.classify(title, "", metadata._cfg()) == kind


@given(
    st.integers(1990, 2035),
    st.integers(1, 12),
    st.one_of(st.none(), st.integers(1, 28)),
)
def test_closing_date_in_arabic_or_chinese_numerals(year: int, month: int, day: int | None) -> None:
    digits = "〇一二三四五六七八九"
    cn_year = "".join(digits[int(c)] for c in str(year))
    cn = lambda n: ("" if n < 20 else digits[n // 10]) + ("十" if n >= 10 else "") + (digits[n % 10] if n % 10 or n < 10 else "")  # noqa: E731
    expected = f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day else "")
    for text in (f"{year}年{month}月{day or ' '}日", f"{cn_year}年{cn(month)}月{cn(day) if day else ''}日"):
        m = dates.CLOSING_DATE.match(text)
        assert m is not None, text
        assert dates.match_date(m) == expected, text


def test_byline_under_the_title() -> None:
    m = meta_of("青川县数字经济发展规划（2023—2027年）\n青川县发展和改革局 2023年3月\n一、发展现状\n近年来，全县数字经济加快发展。\n")
    assert m.title == "青川县数字经济发展规划（2023—2027年）"
    assert (m.issuer, m.publish_date) == ("青川县发展和改革局", "2023-03")
    assert (m.region, m.city, m.province) == ("青川县", "广元市", "四川省")
    assert (m.plan_start, m.plan_end) == (2023, 2027)


def test_addressees_are_not_an_issuer() -> None:
    m = meta_of("关于加快新能源产业发展的实施意见\n各乡镇人民政府，县级各部门：\n现就加快新能源产业发展提出如下意见。\n")
    assert m.issuer is None


# --------------------------------------------------------------------------
# genres met on real pages: notices that issue a plan, web headers, reports
# --------------------------------------------------------------------------


def test_notice_that_issues_a_plan_takes_the_plans_title_and_type() -> None:
    m = meta_of(
        "某某市某某区人民政府文件\n某政发〔2024〕5号\n"
        "某某区人民政府关于印发 《某某区2024年重点工作任务分解 和责任分工方案》的通知\n"
        "各街道办事处，区直各部门：\n现将《某某区2024年重点工作任务分解和责任分工方案》印发给你们，请认真贯彻落实。\n"
        "某某区人民政府\n2024年3月20日\n"
        "某某区2024年重点工作\n任务分解和责任分工方案\n为做好今年政府工作，制定本方案。\n"
        "一、主要预期目标\n1.地区生产总值增长6%左右。\n牵头单位：区发改局\n"
    )
    assert m.title == "某某区2024年重点工作任务分解和责任分工方案"  # the plan's own heading, two lines joined
    assert m.doc_type == "方案"
    assert m.issuer == "某某区人民政府"  # the notice's issuer still issued it
    assert m.publish_date == "2024-03-20"  # signed above the plan, not at the end
    assert (m.plan_start, m.plan_end) == (2024, 2024)


def test_the_plans_own_heading_wins_over_the_name_the_notice_gives_it() -> None:
    m = meta_of(
        "桐庐县人民政府办公室关于印发2024年桐庐县政务公开工作要点的通知\n"
        "各乡镇人民政府，县政府各部门：\n《2024年桐庐县政务公开工作要点》已经县政府同意，现印发给你们。\n"
        "2024年4月2日\n2024年杭州市桐庐县政务公开工作要点\n2024年，全县政务公开工作的总体要求是深化公开。\n"
    )
    assert m.title == "2024年杭州市桐庐县政务公开工作要点"
    assert (m.doc_type, m.issuer) == ("工作要点", "桐庐县人民政府办公室")


def test_a_notice_that_is_itself_the_list_stays_a_notice() -> None:
    cfg = metadata._cfg()
    doc = ingest_bytes("正文。".encode(), "x.txt", ".txt")
    for title in ("某县人民政府关于下达2024年重点项目投资计划的通知", "某县发改局关于印发2024年重点项目清单的通知"):
        assert metadata.issued_plan(title, doc, cfg) == title
        assert metadata.classify(title, "", cfg) == "通知"
    plan = metadata.issued_plan("某县人民政府关于印发某县数字经济发展规划的通知", doc, cfg)
    assert plan == "某县数字经济发展规划"  # no heading of its own below: the name the notice gives it


HEADER_PAGE = """<html><head><meta charset="utf-8"><title>某市人民政府</title></head><body>
<table class="xxgk"><tr><td>名　　称：</td><td>某某市人民政府办公室关于印发某某市促进消费若干措施的通知</td></tr>
<tr><td>发布机构：</td><td>某某市人民政府办公室</td><td>成文日期：</td><td>2024-02-26</td></tr>
<tr><td>发布日期：</td><td>2024-03-01</td><td>文　　号：</td><td>某政办发〔2024〕3号</td></tr></table>
<div class="article"><p>各县（市、区）人民政府，市政府各部门：</p>
<p>《某某市促进消费若干措施》已经市政府同意，现印发给你们，请认真贯彻执行。</p></div></body></html>"""


def test_header_fields_of_a_government_page() -> None:
    m = extract_metadata(ingest_bytes(HEADER_PAGE.encode(), "page.html", ".html"))
    assert m.title == "某某市促进消费若干措施"  # 名称 names the notice; the notice issues the measures
    assert m.doc_type == "其他"
    assert m.issuer == "某某市人民政府办公室"  # 发布机构
    assert m.publish_date == "2024-03-01"  # a web page's 发布日期, not its 成文日期
    assert m.doc_number == "某政办发〔2024〕3号"


def test_page_header_lines_with_bullets_and_a_bare_time_label() -> None:
    m = meta_of(
        "某某区人民政府办公室关于印发2024年某某区政务公开工作要点的通知\n• 发布时间:2024-07-01 09:25\n• 来源: 某某区人民政府\n"
        "《2024年某某区政务公开工作要点》已经区政府同意，现印发给你们。\n2024年6月30日\n"
    )
    assert m.publish_date == "2024-07-01"  # the page's date, not the notice's signature
    m = meta_of("市政府重点工作责任分解(2024年)\n时间:2024-05-11 17:01 浏览次数: 信息来源: 衢州市政府\n一、主要目标\n1.生产总值增长6%。\n")
    assert m.title == "市政府重点工作责任分解(2024年)"
    assert (m.doc_type, m.publish_date) == ("方案", "2024-05-11")
    assert m.issuer == "衢州市政府"  # 信息来源, nothing else naming one
    assert (m.plan_start, m.plan_end) == (2024, 2024)


def test_a_newspapers_name_is_no_issuer() -> None:
    m = meta_of("2025年某某县政府工作报告\n信息来源：某某日报\n各位代表：\n现在，我代表县人民政府向大会报告工作。\n")
    assert m.issuer is None  # no region either: the template needs one


def test_title_line_with_its_document_number_and_issuers_over_the_wrapped_title() -> None:
    m = meta_of(
        "关于加快推进新型储能发展的指导意见(国能发科技〔2024〕12号)\n国家能源局 国家发展改革委关于加快推进\n"
        "新型储能发展的指导意见\n国能发科技〔2024〕12号\n各省、自治区、直辖市能源局，有关中央企业：\n"
        "到2027年，新型储能装机规模达到1亿千瓦以上。\n"
    )
    assert m.title == "关于加快推进新型储能发展的指导意见"
    assert m.issuer == "国家能源局、国家发展改革委"
    assert (m.region, m.region_code, m.province, m.city) == ("全国", None, None, None)
    assert m.doc_number == "国能发科技〔2024〕12号"


def test_work_report_issuer_and_a_bare_title() -> None:
    m = meta_of(
        "政府工作报告\n——2025年1月15日在浙江省第十四届人民代表大会第三次会议上\n浙江省省长 某某\n各位代表：\n"
        "现在，我代表省人民政府，向大会报告工作。\n一、2024年工作回顾\n全省生产总值增长5.5%。\n"
    )
    assert m.title == "2025年浙江省政府工作报告"
    assert (m.issuer, m.doc_type, m.publish_date) == ("浙江省人民政府", "报告", "2025-01-15")
    assert (m.region, m.province, m.city) == ("浙江省", "浙江省", None)  # a province is its own province
    assert (m.plan_start, m.plan_end) == (2025, 2025)


def test_report_dateline_beats_the_pages_date() -> None:
    m = meta_of("2025年重庆市政府工作报告\n——2025年1月20日在重庆市第六届人民代表大会第三次会议上\n时间：2025-02-02\n各位代表：\n")
    assert m.publish_date == "2025-01-20"
    assert (m.region, m.province) == ("重庆市", "重庆市")


def test_headline_of_a_news_item_and_a_region_the_text_does_not_tell() -> None:
    m = meta_of(
        "我市上半年重点项目建设稳步推进\n今年以来，我市坚持项目为王，重点项目建设取得明显成效。\n"
        "一、市级重点项目进展情况\n2022年，全市安排重点项目300个，年度计划投资500亿元。1-6月完成投资260亿元。\n"
    )
    assert m.title == "我市上半年重点项目建设稳步推进"
    assert m.doc_type == "报告"  # a progress report's sections
    assert (m.region, m.region_code, m.province) == (None, None, None)  # only 我市
    assert (m.plan_start, m.plan_end) == (2022, 2022)  # the one year it names


def test_region_from_the_units_a_progress_table_lists() -> None:
    m = meta_of(
        "2022年1-6月重点项目简讯\n1-6月，州重点项目累计完成投资200亿元。\n"
        "隶属 | 项目个数 | 年投资计划 |\n吉首市 | 50 | 80 |\n泸溪县 | 20 | 40 |\n凤凰县 | 30 | 70 |\n花垣县 | 20 | 45 |\n"
    )
    assert (m.region, m.region_code, m.province, m.city) == ("湘西土家族苗族自治州", "433100", "湖南省", None)
    assert (m.doc_type, m.plan_start, m.plan_end) == ("报告", 2022, 2022)


def test_units_of_different_parents_do_not_make_a_region_up() -> None:
    # three counties of one prefecture and one of another: they do not agree
    m = meta_of("吉首市、泸溪县、凤凰县、桐庐县四地开展交流。\n")
    assert m.region != "湘西土家族苗族自治州"


def test_short_city_name_with_units_of_its_level() -> None:
    m = meta_of(
        "1\n|\n粮食产量稳定在100亿斤以上。\n|\n市农技中心\n|\n2024年底前\n|\n2\n|\n发展衢州椪柑等特色产业。\n|\n"
        "市农业农村局\n市畜牧中心\n|\n2024年底前\n|\n3\n|\n建设高标准农田10万亩。\n|\n市农发中心\n|\n2024年底前\n"
    )
    assert (m.region, m.province, m.city) == ("衢州市", "浙江省", None)
    assert m.title is None
    assert m.doc_type == "方案"  # a deadline on every row: a task breakdown
    assert (m.plan_start, m.plan_end) == (2024, 2024)


def test_responsibility_lines_make_a_breakdown() -> None:
    cfg = metadata._cfg()
    text = "1.生产总值增长6%。\n责任单位：市发改委\n2.研发投入强度达到2.5%。\n责任单位：市科技局\n3.外贸增长5%。\n责任单位：市商务局\n"
    doc = ingest_bytes(text.encode(), "x.txt", ".txt")
    assert metadata.genre(doc, cfg) == "方案"
    assert metadata.genre(ingest_bytes("1.生产总值增长6%。\n责任单位：市发改委\n".encode(), "y.txt", ".txt"), cfg) is None


@pytest.mark.parametrize(
    ("title", "period"),
    [
        ("某市国民经济和社会发展第十四个五年规划和2035年远景目标纲要任务分工方案", (2021, 2025)),
        ("某县“十五五”时期教育发展规划", (2026, 2030)),
        ("某市重点工作责任分解(2024年)", (2024, 2024)),
    ],
)
def test_plan_names_in_titles(title: str, period: tuple[int, int]) -> None:
    assert periods.period_in_title(title) == period


def test_relative_period_in_a_dated_document() -> None:
    cfg = metadata._cfg()
    assert periods.plan_period(None, "未来五年，全县将新增就业岗位1万个。", "意见", "2023-06-01", cfg) == (2023, 2028)
    assert periods.plan_period(None, "力争3年内建成产业园。", "方案", "2024-01-10", cfg) == (2024, 2027)
    # looking back is no period ahead
    assert periods.plan_period(None, "五年来，全县新增就业岗位1万个。", "意见", "2023-06-01", cfg) == (None, None)


@pytest.mark.parametrize(
    ("issuer", "national"),
    [
        ("国务院办公厅", True),
        ("财政部、税务总局", True),  # a ministry and a 总局
        ("工业和信息化部、国家发展改革委", True),
        ("县委宣传部", False),
        ("中共桐庐县委组织部", False),
        ("国家税务总局浙江省税务局", True),  # its prefix is national, but its title or text names the province first
    ],
)
def test_national_bodies(issuer: str, national: bool) -> None:
    assert region.is_national(issuer, [], metadata._cfg()) == national


def test_a_provincial_branch_of_a_national_body_is_the_provinces() -> None:
    m = meta_of("国家税务总局浙江省税务局关于做好2024年纳税服务工作的通知\n各市税务局：\n现就有关事项通知如下。\n")
    assert (m.region, m.province) == ("浙江省", "浙江省")


def test_ministry_notice_is_national() -> None:
    m = meta_of("财政部关于印发《政府采购需求管理办法》的通知\n各中央预算单位，各省、自治区、直辖市财政厅（局）：\n现予印发。\n")
    assert (m.title, m.doc_type, m.issuer) == ("政府采购需求管理办法", "办法", "财政部")
    assert (m.region, m.region_code, m.province) == ("全国", None, None)


def test_a_breadcrumb_is_no_title() -> None:
    m = meta_of(">> 政务公开 >> 重点项目建设情况\n2024年1-3月全县重点项目推进情况\n1-3月，全县重点项目完成投资20亿元。\n")
    assert m.title == "2024年1-3月全县重点项目推进情况"
    assert (m.doc_type, m.plan_start, m.plan_end) == ("报告", 2024, 2024)


def test_every_header_key_is_one_the_ingesters_capture() -> None:
    from planextract import rules

    noise = rules.load("noise")
    captured = set(noise["meta_keys"]) | set(noise["label_keys"])
    listed = {k for keys in metadata._cfg()["header"].values() for k in keys}
    assert listed - captured == set()
