"""Tables printed with '|' between cells, as web pages and converters leave them in plain text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from planextract.ingest import ingest_bytes
from planextract.ingest.pipe_tables import rebuild_pipe_tables
from planextract.models import Block


def _tables(text: str) -> list[list[list[str]]]:
    doc = ingest_bytes(text.encode("utf-8"), "page.txt", ".txt")
    return [b.table.rows for b in doc.blocks if b.table is not None]


def test_a_row_per_line() -> None:
    text = """各县市区重点项目投资完成情况表
单位:个、亿元
县市区 | 项目个数 | 年投资计划 | 完成投资 |
甲县 | 12 | 30.5 | 21.0 |
乙 区 | 9 | 18.0 | 15.2 |
以上数据来自统计部门。
"""
    (rows,) = _tables(text)
    assert rows == [["县市区", "项目个数", "年投资计划", "完成投资"], ["甲县", "12", "30.5", "21.0"], ["乙 区", "9", "18.0", "15.2"]]


def test_markdown_rule_lines_and_leading_pipes() -> None:
    text = "| 指标 | 2025年目标 |\n|---|---|\n| 新增企业（家） | 30 |\n"
    assert _tables(text) == [[["指标", "2025年目标"], ["新增企业（家）", "30"]]]


def test_a_cell_per_line_rows_by_sequence_number() -> None:
    lines = [
        "1", "一、主要目标", "城镇新增就业1万人。", "就业科", "张某", "2024年底前",
        "2", "城镇调查失业率控制在5.5%以内。", "就业科\n社保科", "李某", "2024年底前",
        "3", "二、重点工作", "新建零工市场2个。", "就业科", "", "2024年6月底前",
        "4", "开展技能培训", 
    ]
    text = "\n|\n".join(lines) + "\n"
    (rows,) = _tables(text)
    assert rows[0] == ["1", "一、主要目标", "城镇新增就业1万人。", "就业科", "张某", "2024年底前"]
    # one cell short: the category after the number is carried down from the row above
    assert rows[1] == ["2", "一、主要目标", "城镇调查失业率控制在5.5%以内。", "就业科\n社保科", "李某", "2024年底前"]
    assert rows[2] == ["3", "二、重点工作", "新建零工市场2个。", "就业科", "", "2024年6月底前"]
    assert rows[3] == ["4", "开展技能培训", "", "", "", ""]  # cut off: padded


def test_prose_with_a_pipe_is_no_table() -> None:
    text = "推进“产业|城市”融合发展。\n加快建设。\n"
    assert _tables(text) == []


_CELL = st.text(alphabet=st.sampled_from(list("县市指标目标值亿元12.5%")), min_size=1, max_size=6)


@given(st.integers(min_value=2, max_value=5).flatmap(lambda n: st.lists(st.lists(_CELL, min_size=n, max_size=n), min_size=2, max_size=6)))
def test_row_lines_round_trip(rows: list[list[str]]) -> None:
    blocks = [Block(kind="paragraph", text=" | ".join(r) + " |") for r in rows]
    (table,) = [b.table for b in rebuild_pipe_tables(blocks)]
    assert table is not None and table.rows == rows


@given(st.lists(st.text(alphabet=st.sampled_from(list("|12 一、科局\n甲")), max_size=8), max_size=30))
def test_never_raises_and_loses_no_paragraph(texts: list[str]) -> None:
    blocks = [Block(kind="paragraph", text=t) for t in texts if t.strip()]
    out = rebuild_pipe_tables(blocks)
    # every paragraph is kept or went into a table
    kept = sum(1 for b in out if b.kind == "paragraph")
    assert kept <= len(blocks)
    assert all(b.table is None or (b.table.n_rows >= 2 and len({len(r) for r in b.table.rows}) == 1) for b in out)


def test_a_task_table_read_as_a_table_still_types_the_document() -> None:
    from planextract.extract.metadata import extract_metadata

    rows = []
    for i, task in enumerate(["新增就业1万人。", "新建零工市场2个。", "完成技能培训5000人次。", "新增创业担保贷款1亿元。"], 1):
        rows += [str(i), task, "就业科", "2024年底前"]
    doc = ingest_bytes(("\n|\n".join(rows) + "\n").encode("utf-8"), "page.txt", ".txt")
    assert [b.kind for b in doc.blocks] == ["table"]
    assert extract_metadata(doc).doc_type == "方案"  # a deadline on every row
