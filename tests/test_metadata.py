"""Document metadata: title, region, issuer, type, dates and plan period (GUIDELINES.md 'document')."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planextract.extract import metadata
from _shared import CORPUS, GWR, GOLD, files, need
from planextract.extract.metadata import extract_metadata
from planextract.ingest import ingest_bytes
from planextract.models import DocumentMeta

FIELDS = ("title", "region", "region_code", "province", "city", "issuer", "doc_type", "publish_date", "plan_start", "plan_end")


def meta_of(text: str, name: str = "doc.txt") -> DocumentMeta:
    return extract_metadata(ingest_bytes(text.encode("utf-8"), name, ".txt"))


@pytest.mark.parametrize("gold_path", files(GOLD, "*.gold.json"), ids=lambda p: p.name[:3])
def test_shared_corpus_matches_gold(gold_path: Path) -> None:
    gold = json.loads(need(gold_path).read_text(encoding="utf-8"))
    path = CORPUS / gold["file"]
    got = extract_metadata(ingest_bytes(path.read_bytes(), gold["file"], path.suffix)).model_dump()
    wrong = {f: (gold["document"][f], got[f]) for f in FIELDS if f in gold["document"] and gold["document"][f] != got[f]}
    assert wrong == {}


def test_provincial_work_reports() -> None:
    for path in sorted(need(GWR).glob("*.txt")):
        m = extract_metadata(ingest_bytes(path.read_bytes(), path.name, path.suffix))
        assert m.region == path.stem, path.name  # the files are named after the province
        assert m.region_code and m.region_code.endswith("0000")
        assert (m.province, m.city) == (None, None)
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
    assert metadata.period_in_title(title) == period


def test_five_year_period_in_the_text_but_not_a_named_plan() -> None:
    cfg = metadata._cfg()
    assert metadata.plan_period(None, "“十四五”时期，要深入实施战略。到2025年产值1000亿元。", "意见", None, cfg) == (2021, 2025)
    # naming another plan (“十四五”规划) is no period of this one: the horizon decides
    assert metadata.plan_period(None, "结合“十四五”规划要求。到2023年，A；到2025年，B；到2025年，C。", "说明", None, cfg) == (None, 2025)
    # a 远景 year is no plan end
    assert metadata.plan_period(None, "到2025年，A。远景目标展望到2035年。", None, None, cfg) == (None, 2025)
    assert metadata.plan_period(None, "到2030年，A；展望到2035年，B。", None, None, cfg) == (None, 2030)
    # a report looking back on one period and ahead to the next: the one it dwells on
    text = "“十四五”时期成就显著。“十五五”时期目标：A。“十五五”期间：B。"
    assert metadata.plan_period(None, text, "意见", None, cfg) == (2026, 2030)


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("桐庐县产业高质量发展行动计划起草说明", "说明"),
        ("关于印发《某县制造业发展规划》的通知", "通知"),
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
        m = metadata._CLOSING_DATE.match(text)
        assert m is not None, text
        assert metadata._format_date(m.group("y"), m.group("m"), m.group("d")) == expected, text


def test_byline_under_the_title() -> None:
    m = meta_of("青川县数字经济发展规划（2023—2027年）\n青川县发展和改革局 2023年3月\n一、发展现状\n近年来，全县数字经济加快发展。\n")
    assert m.title == "青川县数字经济发展规划（2023—2027年）"
    assert (m.issuer, m.publish_date) == ("青川县发展和改革局", "2023-03")
    assert (m.region, m.city, m.province) == ("青川县", "广元市", "四川省")
    assert (m.plan_start, m.plan_end) == (2023, 2027)


def test_addressees_are_not_an_issuer() -> None:
    m = meta_of("关于加快新能源产业发展的实施意见\n各乡镇人民政府，县级各部门：\n现就加快新能源产业发展提出如下意见。\n")
    assert m.issuer is None
