"""Tasks from numbered items with responsibility notes and from 牵头/配合 list tables."""

from __future__ import annotations

import json

import pytest

from planextract.api import ingest_path
from _shared import CORPUS, CORPUS_DEV, GOLD, GOLD_DEV, need
from planextract.extract.tasks import extract_tasks, printed_number, title_of
from planextract.ingest import ingest_bytes
from planextract.models import Block, Document, Table


PLAN = """某县2024年工作要点
以下列第一位的为牵头单位。
一、重点任务
（一）推进产业发展
1.加快培育新兴产业。做好某事。（责任单位：县经信局、县发改局，各乡镇配合）
2.推进平台建设推进平台建设。做好另一件事。
继续做好。（牵头单位：县发改局；配合单位：县科技局）
3.没有责任单位的事项。只做不说。
二、保障措施
（一）强化组织领导
加强统筹。（责任单位：县委办、县府办）
"""


def _text_doc(text: str) -> Document:
    return ingest_bytes(text.encode("utf-8"), "plan.txt", ".txt")


def _table_doc(rows: list[list[str]], caption: str) -> Document:
    table = Table(rows=rows, caption=caption)
    text = table.render()
    block = Block(id="d:b0000", index=0, kind="table", text=text, table=table, start=0, end=len(text), section_path=["附件3"])
    return Document(doc_id="d", path="x.txt", format="text", text=text, blocks=[block])


def test_helpers() -> None:
    assert printed_number("1.") == "1" and printed_number("(一)") == "(一)" and printed_number("一、") == "一"
    assert title_of("1.全面落实产业链“链长+链主”制。健全…", "1.") == "全面落实产业链“链长+链主”制"
    assert title_of("22.推动企业做大做强推动企业做大做强。统筹…", "22.") == "推动企业做大做强"
    assert title_of("建德市航空小镇。3.57平方公里(东至…)") == "建德市航空小镇"


def test_tasks_from_numbered_items_and_headings() -> None:
    tasks = extract_tasks(_text_doc(PLAN))
    got = [(t.number, t.title, t.section, t.lead, t.support) for t in tasks]
    assert got == [
        ("1", "加快培育新兴产业", "（一）推进产业发展", ["县经信局"], ["县发改局", "各乡镇"]),
        ("2", "推进平台建设", "（一）推进产业发展", ["县发改局"], ["县科技局"]),
        ("（一）", "强化组织领导", "二、保障措施", ["县委办"], ["县府办"]),
    ]
    doc_id = tasks[0].doc_id
    assert [t.task_id for t in tasks] == [f"{doc_id}-k{i:04d}" for i in range(3)]
    assert all(t.source == "text" and t.char_start < t.char_end for t in tasks)


def test_tasks_from_lead_support_table_rows() -> None:
    rows = [
        ["序号", "改革领域及名称", "依据和理由", "牵头单位", "配合\n单位"],
        ["一、体制机制改革"] * 5,
        ["", "（一）重点领域", "", "", ""],
        ["1", "数字化改革", "依据", "经信局", "发改局、科技局，各乡镇（街道）等"],
        ["2", "亩均论英雄改革", "依据", "经信局、规划和自然资源局", "市场监管局生态环境局"],
        ["3", "大同工业园区。占地3平方公里", "依据", "", ""],
    ]
    doc = _table_doc(rows, "附件3 某市重大改革清单")
    tasks = extract_tasks(doc)
    # row 3 names no agency but is a whole row of the list: a task without agencies
    assert [(t.number, t.title, t.lead, t.support) for t in tasks] == [
        ("1", "数字化改革", ["经信局"], ["发改局", "科技局", "各乡镇（街道）"]),
        ("2", "亩均论英雄改革", ["经信局", "规划和自然资源局"], ["市场监管局", "生态环境局"]),
        ("3", "大同工业园区", [], []),
    ]
    assert {t.section for t in tasks} == {"（一）重点领域"}  # the category row above them
    assert tasks[0].table_row == 3 and tasks[0].source == "table" and tasks[0].rule == "task.table_row"
    assert all(doc.text[t.char_start : t.char_end] == t.evidence and t.title in t.evidence for t in tasks)


def test_task_table_rows_sharing_a_number_and_a_title_row() -> None:
    rows = [
        ["某县2024年重点改革任务分解表"] * 5,
        ["序号", "工作事项", "主要内容", "牵头单位", "配合单位"],
        ["1", "深化营商环境改革", "推进企业开办全程网办。", "县市场监管局", "县数据局"],
        ["", "深化营商环境改革", "推行工程建设项目审批“一件事”。", "县住建局", ""],
        ["2", "推进要素市场化配置", "开展低效用地再开发。", "县自然资源局", "各乡镇"],
    ]
    tasks = extract_tasks(_table_doc(rows, ""))
    assert [(t.number, t.title, t.lead, t.support, t.section) for t in tasks] == [
        ("1", "深化营商环境改革", ["县市场监管局"], ["县数据局"], "某县2024年重点改革任务分解表"),
        ("1", "推行工程建设项目审批“一件事”", ["县住建局"], [], "某县2024年重点改革任务分解表"),
        ("2", "推进要素市场化配置", ["县自然资源局"], ["各乡镇"], "某县2024年重点改革任务分解表"),
    ]


def test_headerless_task_table_by_cell_shapes() -> None:
    rows = [
        ["1", "一、主要目标", "全县粮食产量稳定在50万吨以上。", "农业科\n县农技站", "张某某", "2024年底前"],
        ["2", "一、主要目标", "新增规上工业企业20家。", "工业科", "李某", "2024年底前"],
        ["3", "二、重点工作", "完成高标准农田建设3万亩。", "县农技站", "王某", "2024年6月底前"],
        ["4", "推进乡村", "", "", "", ""],  # cut off before its agencies: no task
    ]
    table = Table(rows=rows, header_rows=0)
    text = table.render()
    block = Block(id="d:b0000", index=0, kind="table", text=text, table=table, start=0, end=len(text))
    doc = Document(doc_id="d", path="x.txt", format="text", text=text, blocks=[block])
    tasks = extract_tasks(doc)
    assert [(t.number, t.title, t.section, t.lead, t.support) for t in tasks] == [
        ("1", "全县粮食产量稳定在50万吨以上", "一、主要目标", ["农业科", "县农技站"], []),
        ("2", "新增规上工业企业20家", "一、主要目标", ["工业科"], []),
        ("3", "完成高标准农田建设3万亩", "二、重点工作", ["县农技站"], []),
    ]


def test_indicator_table_with_responsible_column_gives_no_tasks() -> None:
    rows = [["序号", "指标名称", "2024年目标值", "责任单位"], ["1", "规上工业增加值增速(%)", "6.5", "县经信局"]]
    assert extract_tasks(_table_doc(rows, "附件2 目标体系表")) == []


def test_plain_prose_gives_no_tasks() -> None:
    text = "一、工作回顾\n过去一年，我们做了很多工作（详见附件）。\n二、今年安排\n1.稳增长。全年增长5%左右。\n"
    assert extract_tasks(_text_doc(text)) == []


@pytest.mark.parametrize(("stem", "count"), [("001_63027711b8e1e1d4", 33), ("002_c16897b7a005ce68", 20)])
def test_tasks_match_gold(stem: str, count: int) -> None:
    path = need(CORPUS / f"{stem}.txt")
    gold = json.loads((GOLD / f"{stem}.gold.json").read_text())["tasks"]
    tasks = extract_tasks(ingest_path(path))
    assert len(tasks) == len(gold) == count

    def key(x: dict[str, object]) -> tuple[object, ...]:
        return tuple("".join(v.split()) if isinstance(v, str) else ["".join(s.split()) for s in v] for v in x.values())  # type: ignore[union-attr]

    fields = ["number", "title", "section", "lead", "support"]
    got = [key({f: getattr(t, f) for f in fields}) for t in tasks]
    assert got == [key({f: g[f] for f in fields}) for g in gold]


@pytest.mark.parametrize("stem", ["N01", "N02", "N08", "N10", "N12"])
def test_tasks_match_the_development_gold(stem: str) -> None:
    """Every responsibility form of the development set: note lines, cut-off notes, 分别牵头, role lists, '|' tables."""
    path = need(CORPUS_DEV / f"{stem}.txt")
    gold = json.loads((GOLD_DEV / f"{stem}.gold.json").read_text())["tasks"]
    doc = ingest_path(path)
    tasks = extract_tasks(doc)

    def squash(v: object) -> object:
        return "".join(v.split()) if isinstance(v, str) else [squash(x) for x in v] if isinstance(v, list) else v  # type: ignore[union-attr]

    fields = ["number", "title", "section", "lead", "support"]
    assert [[squash(getattr(t, f)) for f in fields] for t in tasks] == [[squash(g[f]) for f in fields] for g in gold]
    assert all(doc.text[t.char_start : t.char_end] == t.evidence and t.rule for t in tasks)


def test_note_fields_that_name_no_agency_are_dropped() -> None:
    text = (
        "一、重点任务\n"
        "1.推进数字政府建设。完善政务服务平台功能。（牵头单位：县政务服务中心；配合单位：县大数据局、各乡镇；完成时限：2025年12月底）\n"
        "2.加快项目建设。（责任单位：县发改局、县住建局；时间节点：2025年6月底前）\n"
    )
    tasks = extract_tasks(_text_doc(text))
    assert [(t.lead, t.support) for t in tasks] == [
        (["县政务服务中心"], ["县大数据局", "各乡镇"]),
        (["县发改局", "县住建局"], []),
    ]


def test_heading_note_leads_the_items_that_only_name_helpers() -> None:
    text = (
        "一、深化改革（县发改局牵头）\n"
        "1.推进要素市场化配置改革。（县自然资源局、县财政局配合）\n"
        "2.深化国资国企改革。（县国资办负责）\n"
    )
    tasks = {t.number: t for t in extract_tasks(_text_doc(text))}
    assert (tasks["1"].lead, tasks["1"].support) == (["县发改局"], ["县自然资源局", "县财政局"])
    assert tasks["1"].title == "推进要素市场化配置改革"
    assert (tasks["2"].lead, tasks["2"].support) == (["县国资办"], [])
