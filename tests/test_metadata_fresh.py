"""Document fields of page genres met on fresh documents (GUIDELINES.md 'document').

Each example is an invented sentence typical of its genre: a notice copied
without its title, a news item on a plan, a red-header title over several
lines, joint issuers signing one under another, a page's header fields.
"""

from __future__ import annotations

from pathlib import Path

from planextract.extract import metadata
from planextract.extract.metadata import extract_metadata
from planextract.ingest import ingest_bytes
from planextract.models import DocumentMeta


def meta_of(text: str, name: str = "doc.txt") -> DocumentMeta:
    return extract_metadata(ingest_bytes(text.encode("utf-8"), name, Path(name).suffix))


def test_annex_label_is_no_printed_title_but_names_the_list() -> None:
    m = meta_of(
        "各乡镇人民政府，县直各单位：\n"
        "现将县政府今年的各项目标任务分解下达，请认真抓好落实。\n"
        "附件：2025年县政府重点工作任务分解表\n"
    )
    assert (m.title, m.doc_type) == ("2025年县政府重点工作任务分解表", "方案")


def test_a_list_of_annexes_gives_no_title() -> None:
    m = meta_of("各乡镇：\n现将有关事项通知如下。\n附件：1.2025年重点工作责任分解\n2.2025年民生实事责任分解\n")
    assert m.title is None or not m.title.startswith("1.")


def test_notice_without_title_names_the_plan_it_issues() -> None:
    m = meta_of(
        "各镇人民政府、区直各单位：\n"
        "《2025年区政府重点工作任务分解》已经区人民政府同意，现印发给你们，请认真贯彻落实。\n"
        "一、强化责任落实。各牵头单位要牵头抓总。\n"
    )
    assert (m.title, m.doc_type) == ("2025年区政府重点工作任务分解", "方案")


def test_notice_without_title_quoting_inside_the_plan_name() -> None:
    m = meta_of("各街道：\n现将《<政府工作报告>重点任务分解表》印发给你们，请认真落实。\n")
    assert (m.title, m.doc_type) == ("政府工作报告重点任务分解表", "方案")


def test_news_item_on_a_plan_names_plan_and_issuers() -> None:
    m = meta_of(
        "近日，中共某市委办公厅、某市人民政府办公厅印发了《某市推进城乡融合发展实施方案》，"
        "要求各地各部门结合实际认真贯彻落实。\n为深入贯彻落实有关部署，制定本实施方案。\n"
    )
    assert m.title == "某市推进城乡融合发展实施方案"
    assert m.doc_type == "方案"
    assert m.issuer == "中共某市委办公厅、某市人民政府办公厅"


def test_title_set_over_several_short_lines() -> None:
    m = meta_of(
        "县人民政府办公室关于\n对县《政府工作报告》确定的2025年\n重点工作进行责任分解的通知\n"
        "各镇人民政府，县政府各部门：\n经县人民政府同意，现将有关重点工作责任分解给你们。\n"
    )
    assert m.title == "县人民政府办公室关于对县政府工作报告确定的2025年重点工作进行责任分解的通知"
    assert m.doc_type == "通知"


def test_joint_issuers_printed_together_in_the_title_sign_apart() -> None:
    m = meta_of(
        "中共某市委办公室某市人民政府办公室印发《关于深化某项改革的实施意见》的通知\n"
        "各区县委、人民政府：\n"
        "《关于深化某项改革的实施意见》已经市委、市人民政府同意，现印发给你们，请结合实际认真贯彻执行。\n"
        "中共某市委办公室\n某市人民政府办公室\n2025年1月10日\n"
        "关于深化某项改革的实施意见\n"
        "一、总体要求\n坚持问题导向。\n"
    )
    assert (m.title, m.doc_type) == ("关于深化某项改革的实施意见", "意见")
    assert m.issuer == "中共某市委办公室、某市人民政府办公室"


def test_inner_angle_quotes_dropped_from_title_and_issuer() -> None:
    m = meta_of(
        "《某市人民政府办公厅关于印发〈某市2025年政务公开工作要点〉的通知》\n"
        "各区人民政府：\n《某市2025年政务公开工作要点》已经市政府同意，现印发给你们。\n"
    )
    assert m.title == "某市2025年政务公开工作要点"
    assert m.issuer == "某市人民政府办公厅"


def test_two_header_fields_on_one_line_with_spaced_labels() -> None:
    m = meta_of(
        "县人民政府关于分解落实2025年县政府重点工作任务的通知\n"
        "名       称: 县人民政府关于分解落实2025年县政府重点工作任务的通知 发布日期: 2025年03月09日\n"
        "各乡镇人民政府，县政府各部门：\n现将重点任务分解落实有关事项通知如下。\n"
    )
    assert m.publish_date == "2025-03-09"


def test_pipe_separators_are_no_header_value() -> None:
    assert metadata._field_value("| 2022-12-02 08:54:33 | |") == "2022-12-02 08:54:33"
    assert metadata._field_value("|") == ""
    assert metadata._label("[ 发布日期 ]") == "发布日期"


def test_header_table_above_the_title_is_read_and_skipped() -> None:
    m = meta_of(
        "[ 索引号 ] | 11500000/2025-00009 | [ 发文字号 ] | 某发改委发〔2025〕4号 |\n"
        "[ 发布机构 ] | 某县发展和改革委员会 | [ 体裁分类 ] | 规划计划 |\n"
        "[ 成文日期 ] | 2025-02-17 | [ 发布日期 ] | 2025-02-21 |\n"
        "某县发展和改革委员会关于印发《某县2025年国民经济和社会发展计划草案报告》的通知\n"
        "各乡镇人民政府：\n现将《某县2025年国民经济和社会发展计划草案报告》印发给你们。\n"
    )
    assert m.title == "某县2025年国民经济和社会发展计划草案报告"
    assert m.doc_type == "报告"
    assert m.issuer == "某县发展和改革委员会"
    assert m.publish_date == "2025-02-21"


def test_plan_heading_with_its_period_on_a_line_of_its_own() -> None:
    m = meta_of(
        "某区委办公室 某区人民政府办公室印发《某区加快建设现代化城区三年行动计划(2025—2027年)》的通知\n"
        "某区加快建设\n现代化城区三年行动计划\n(2025—2027年)\n"
        "为贯彻落实有关部署，特制定本行动计划。\n"
    )
    assert m.title == "某区加快建设现代化城区三年行动计划(2025—2027年)"
    assert (m.plan_start, m.plan_end) == (2025, 2027)


def test_date_above_the_publication_scope_without_a_signature() -> None:
    m = meta_of(
        "县人民政府办公室关于对2025年重点工作进行责任分解的通知\n"
        "各镇人民政府：\n经县人民政府同意，现将2025年重点工作责任分解给你们。\n"
        "附件：1.县政府重点工作责任分解\n2.市政府涉及本县的重点事项责任分解\n"
        "2025年5月12日\n（此件公开发布）\n附件1\n县政府重点工作责任分解\n一、主要目标\n"
    )
    assert m.publish_date == "2025-05-12"


def test_header_field_running_on_into_the_next_one() -> None:
    m = meta_of(
        "某市委办公室印发《关于全面推进政务公开工作的实施意见》的通知\n"
        "来源：某市政府门户网 日期：2025-01-12 17:08 字号：【\n"
        "各区县：\n《关于全面推进政务公开工作的实施意见》已经市委同意，现印发给你们。\n"
    )
    assert m.publish_date == "2025-01-12"


def test_two_character_county_named_with_its_government() -> None:
    m = meta_of(
        "泾县人民政府关于分解落实政府工作报告目标任务的通知\n"
        "各乡镇人民政府，县政府各部门：\n现将2025年工作任务予以分解印发。\n"
    )
    assert (m.region, m.city, m.province) == ("泾县", "宣城市", "安徽省")
    assert m.doc_type == "通知"


def test_a_policy_explainer_without_a_title_is_a_note() -> None:
    m = meta_of(
        "2025年3月28日，县人民政府印发了有关通知，现将主要内容解读如下：\n"
        "一、出台背景\n为确保各项重点工作任务贯彻落实到位，形成了通知。\n"
    )
    assert m.doc_type == "说明"


def test_task_division_is_a_plan() -> None:
    m = meta_of(
        "某区人民政府办公室关于印发《政府工作报告》重点工作任务分工的通知\n"
        "各街道办事处：\n2025年《政府工作报告》重点工作责任分工已经区政府同意，现印发给你们。\n"
    )
    assert (m.title, m.doc_type) == ("政府工作报告重点工作任务分工", "方案")


def test_header_values_printed_without_labels() -> None:
    m = meta_of(
        "政府信息公开\n某区人民政府办公室关于印发《政府工作报告》重点工作任务分工的通知\n"
        "综合政务\n某政办字〔2025〕3号\n2025-04-01\n"
        "各街道办事处：\n2025年重点工作责任分工已经区政府同意，现印发给你们。\n"
    )
    assert m.publish_date == "2025-04-01"


def test_site_column_tag_before_a_page_title() -> None:
    m = meta_of(
        "政务服务丨某市人民政府关于持续深化某项改革的实施意见\n- 发布日期:2025-07-19\n"
        "各县（市、区）人民政府：\n为持续深入推进改革，结合我市实际，制定本意见。\n"
    )
    assert m.title == "某市人民政府关于持续深化某项改革的实施意见"
    assert m.issuer == "某市人民政府"
    assert m.publish_date == "2025-07-19"


def test_county_name_inside_a_longer_word_is_no_place() -> None:
    m = meta_of(
        "三门峡市人民政府办公室关于印发三门峡市推进示范县(市)赋权工作实施方案的通知\n"
        "各县（市、区）人民政府：\n现将方案印发给你们，请认真贯彻落实。依据河南省有关文件精神。\n"
    )
    assert m.region == "三门峡市"


def test_bracketed_column_tag_before_a_page_title() -> None:
    m = meta_of(
        "【市政府重点工作】某市人民政府关于2025年市政府重点工作及责任分解的通知\n"
        "发布时间:2025-02-03 17:29\n各县、市、区人民政府：\n现将2025年市政府重点工作及责任分解通知如下。\n"
    )
    assert m.title == "某市人民政府关于2025年市政府重点工作及责任分解的通知"
    assert m.issuer == "某市人民政府"


def test_header_line_holding_a_title_field_is_no_title() -> None:
    m = meta_of(
        "发文日期: 2025-01-23 生效时间: 2025-01-23\n"
        "废止时间: 2026-01-23 名称: 某县人民政府关于印发《某县人民政府工作规则》的通知\n"
        "某县人民政府关于印发《某县人民政府工作规则》的通知\n"
        "各乡、镇人民政府：\n《某县人民政府工作规则》已经县政府全体会议通过，现予印发。\n"
        "某县人民政府工作规则\n第一章 总则\n"
    )
    assert (m.title, m.doc_type) == ("某县人民政府工作规则", "办法")
    assert m.publish_date == "2025-01-23"


def test_header_label_with_its_value_on_the_next_line() -> None:
    m = meta_of("某县人民政府工作规则\n• 发布机构:\n某县人民政府办公室\n• 成文日期:\n2025-04-06\n第一章 总则\n一、根据有关规定，制定本规则。\n")
    assert m.issuer == "某县人民政府办公室"
    assert m.publish_date == "2025-04-06"


def test_header_value_a_date_with_its_time_of_day() -> None:
    m = meta_of("某县人民政府工作规则\n某政发〔2025〕7号\n2025年04月06日 16:40\n第一章 总则\n一、根据有关规定，制定本规则。\n")
    assert m.publish_date == "2025-04-06"


def test_a_text_of_our_district_naming_a_county_in_passing_has_no_region() -> None:
    m = meta_of(
        "2025年度民生实事涉我区工作任务一季度进展情况\n"
        "1.新建学校1所。进展情况：我区学校与平阳县某中学开展交流。\n2.完成结对帮扶。我区已完成。\n"
    )
    assert m.region is None


def test_notice_forwarding_a_plan_stands_for_the_plan() -> None:
    m = meta_of(
        "某区人民政府办公室关于转发《某区系统化推进海绵城市建设的实施方案》的通知\n"
        "各镇人民政府：\n区建设管理委拟定的《某区系统化推进海绵城市建设的实施方案》已经区政府同意，现转发给你们。\n"
        "某区人民政府办公室\n2025年10月10日\n某区系统化推进海绵城市建设的实施方案\n一、工作目标\n"
    )
    assert (m.title, m.doc_type) == ("某区系统化推进海绵城市建设的实施方案", "方案")


def test_party_committee_proposal_for_a_five_year_plan_is_no_plan() -> None:
    m = meta_of(
        "中共某区委关于制定某区国民经济和社会发展第十四个五年规划和二〇三五年远景目标的建议\n"
        "中共某区委全体会议就制定规划提出如下建议：\n一、开启新征程\n"
    )
    assert m.doc_type == "其他"
    assert (m.plan_start, m.plan_end) == (2021, 2025)


def test_work_report_dateline_broken_over_two_lines_beats_the_page_date() -> None:
    m = meta_of(
        "文件名称 | 某区2025年政府工作报告 | ||\n有效性 | 有效 | 公开日期: | 2025-04-15 14:43 |\n"
        "2025年3月21日在某区第十九届\n人民代表大会第四次会议上\n某区人民政府区长 某某\n各位代表:\n"
        "现在,我代表区人民政府向大会报告工作,请予审议。\n一、过去一年工作回顾\n"
    )
    assert m.publish_date == "2025-03-21"


def test_column_tag_before_a_title_starting_with_digits_after_a_name() -> None:
    m = meta_of("【文字解读】某街道2025年度国民经济和社会发展计划解读\n一、制定背景和依据\n为贯彻有关要求，制定本计划。\n")
    assert m.title == "某街道2025年度国民经济和社会发展计划解读"
    assert m.doc_type == "说明"


def test_annual_report_printed_without_a_title_names_itself() -> None:
    m = meta_of(
        "根据《中华人民共和国政府信息公开条例》规定，现公布某区人民政府办公室（以下简称区政府办公室）"
        "2025年政府信息公开工作年度报告。本报告由总体情况等六部分组成。\n一、总体情况\n全年主动公开政府信息643条。\n"
    )
    assert (m.title, m.doc_type) == ("某区人民政府办公室2025年政府信息公开工作年度报告", "报告")
    assert (m.plan_start, m.plan_end) == (2025, 2025)


def test_legal_database_fields_in_brackets() -> None:
    m = meta_of(
        "某市人民政府办公室关于印发《进一步加强某项工作的意见》的通知文章属性•【制定机关】某市人民政府办公室"
        "•【公布日期】2011.05.30•【字号】某府办〔2011〕65号•【施行日期】2011.05.30\n"
        "某市人民政府办公室关于印发《进一步加强某项工作的意见》的通知\n各镇人民政府：\n现将《进一步加强某项工作的意见》印发给你们。\n"
    )
    assert m.publish_date == "2011-05-30"
    assert m.issuer == "某市人民政府办公室"
