"""Project lists: header detection, value parsing, column repair, the 002 list."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from _shared import CORPUS, GOLD, need
from planextract.api import ingest_path
from planextract.extract.projects import cell_text, extract_projects, parse_number, parse_period, repair_row
from planextract.models import Block, Document, Table

DOC_002 = CORPUS / "002_c16897b7a005ce68.txt"
GOLD_002 = GOLD / "002_c16897b7a005ce68.gold.json"

HEADER = ["序号", "项目名称", "项目类型", "建设\n期限", "建设地点", "主要建设内容", "总投资（亿元）", "年度计划投资（亿元）", "业主单位"]


def _doc(rows: list[list[str]], caption: str | None = "附件1 某县重大项目清单") -> Document:
    table = Table(rows=rows, caption=caption)
    text = table.render()
    block = Block(id="d:b0000", index=0, kind="table", text=text, table=table, start=0, end=len(text), section_path=["附件1"])
    return Document(doc_id="d", path="x.txt", format="text", text=text, blocks=[block])


# ---------------------------------------------------------------- values


@pytest.mark.parametrize(
    ("value", "years"),
    [
        ("2020-2024", (2020, 2024)),
        (cell_text("2020-\n2024"), (2020, 2024)),
        ("2021—2025年", (2021, 2025)),
        ("2019-2022", (2019, 2022)),
        ("2021年-2023年", (2021, 2023)),
        ("2022至2025", (2022, 2025)),
        ("2021-25", (2021, 2025)),
        ("2023年", (2023, 2023)),
        ("待定", None),
        ("", None),
    ],
)
def test_parse_period(value: str, years: tuple[int, int] | None) -> None:
    assert parse_period(value) == years


@given(st.integers(1990, 2090), st.integers(0, 9), st.sampled_from(["-", "—", "－", "~", "至", "-\n"]))
def test_parse_period_any_separator(start: int, length: int, sep: str) -> None:
    assert parse_period(cell_text(f"{start}{sep}{start + length}年")) == (start, start + length)


def test_cell_text_joins_chinese_without_space() -> None:
    assert cell_text("建设\n单位") == "建设单位"
    assert cell_text("年产 200 吨\n生产线") == "年产 200 吨生产线"
    assert cell_text("3D\nprinting") == "3D printing"


def test_parse_number() -> None:
    assert parse_number("350,000") == 350000
    assert parse_number("1.5") == 1.5
    assert parse_number("待定") is None


def test_repair_row_swaps_only_when_both_cells_misplaced() -> None:
    values = {"project_type": "2021-2023", "period": "储备类"}
    assert repair_row(values) and values == {"project_type": "储备类", "period": "2021-2023"}
    values = {"project_type": "实施类", "period": "待定"}
    assert not repair_row(values) and values["period"] == "待定"


# ---------------------------------------------------------------- tables


def test_project_table_by_header_with_swapped_columns() -> None:
    rows = [
        HEADER,
        ["一、工业项目"] * 9,
        ["", "（一）续建项目", "", "", "", "", "", "", ""],
        ["★1", "甲项目", "实施类", "2021-\n2023", "A镇", "建设\n厂房", "2.5", "1", "甲公司"],
        ["2", "乙项目", "2022-2025", "前期类", "B镇", "新建\n产线", "10", "待定", "乙公司"],
        ["合计", "合计", "", "", "", "", "12.5", "1", ""],
    ]
    projects = extract_projects(_doc(rows))
    assert [p.seq for p in projects] == [1, 2]
    first, second = projects
    assert first.key and not second.key
    assert (first.start_year, first.end_year, first.content) == (2021, 2023, "建设厂房")
    assert first.investment_unit == "亿元" and first.total_investment_yuan == 2.5e8
    assert first.list_title == "某县重大项目清单" and first.builder == "甲公司"
    assert not first.repaired
    assert second.repaired
    assert (second.project_type, second.start_year, second.end_year) == ("前期类", 2022, 2025)
    assert second.planned_investment is None and second.planned_investment_yuan is None
    assert second.project_id == "d-p0001" and second.table_row == 4 and second.source == "table"


def test_unit_from_caption_when_header_has_none() -> None:
    header = ["序号", "项目名称", "建设内容", "总投资", "建设单位"]
    projects = extract_projects(_doc([header, ["1", "甲项目", "厂房", "800", "甲公司"]], "重点项目表（单位：万元）"))
    assert projects[0].investment_unit == "万元" and projects[0].total_investment_yuan == 8e6


def test_dollars_keep_their_currency() -> None:
    header = ["序号", "项目名称", "建设内容", "总投资（万美元）", "建设单位"]
    (p,) = extract_projects(_doc([header, ["1", "外资项目", "厂房", "500", "乙公司"]]))
    assert (p.investment_unit, p.total_investment, p.total_investment_yuan) == ("万美元", 500, None)
    header = ["序号", "项目名称", "建设内容", "总投资", "建设单位"]
    (p,) = extract_projects(_doc([header, ["1", "甲项目", "厂房", "2.5", "甲公司"]], "附表 重大项目（单位：亿元）"))
    assert (p.investment_unit, p.total_investment_yuan) == ("亿元", 2.5e8)


def test_title_row_above_the_header_and_row_provenance() -> None:
    rows = [
        ["某县2024年重大项目清单"] * 5,
        ["序号", "项目名称", "建设内容", "总投资（万元）", "建设单位"],
        ["1", "甲项目", "厂房", "800", "甲公司"],
    ]
    doc = _doc(rows, caption=None)
    (p,) = extract_projects(doc)
    assert (p.seq, p.name, p.total_investment, p.list_title, p.rule) == (1, "甲项目", 800, "某县2024年重大项目清单", "project.table_row")
    assert doc.text[p.char_start : p.char_end] == p.evidence == "1\t甲项目\t厂房\t800\t甲公司"


def test_indicator_table_is_not_a_project_list() -> None:
    rows = [["序号", "类别", "指标名称", "2024年目标值", "责任单位"], ["1", "牵引性指标", "规上工业增加值增速(%)", "6.5", "县经信局"]]
    assert extract_projects(_doc(rows)) == []


def test_project_list_of_002_matches_gold() -> None:
    doc = ingest_path(need(DOC_002))
    projects = extract_projects(doc)
    gold = {g["seq"]: g for g in json.loads(GOLD_002.read_text())["projects"]}
    assert [p.seq for p in projects] == list(range(1, 26))
    assert [p.seq for p in projects if p.key] == [s for s, g in gold.items() if g["key"]]
    assert [p.seq for p in projects if p.repaired] == [21, 22, 23, 24, 25]
    fields = [k for k in next(iter(gold.values())) if k != "seq"]
    agree = total = 0
    for p in projects:
        g = gold[p.seq]
        assert (p.name, p.total_investment, p.planned_investment) == (g["name"], g["total_investment"], g["planned_investment"])
        for k in fields:
            mine, theirs = getattr(p, k), g[k]
            if isinstance(mine, str) and isinstance(theirs, str):
                mine, theirs = "".join(mine.split()), "".join(theirs.split())
            agree += mine == theirs
            total += 1
        assert doc.text[p.char_start : p.char_end] == p.evidence and p.name in p.evidence  # provenance: the row
        assert p.total_investment_yuan == p.total_investment * 1e4
    assert agree / total >= 0.98
