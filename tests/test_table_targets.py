"""Targets from indicator tables: layouts, cells, captions, and the shared corpus."""

from __future__ import annotations

import functools
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from _shared import CORPUS, CORPUS_DEV, GOLD, GOLD_DEV, need
from planextract.extract.table_targets import (
    dice,
    extract_table_targets,
    parse_value_cell,
    prose_cells,
    read_caption,
    split_name,
)
from planextract.extract.targets import extract_targets
from planextract.models import Block, Document, DocumentMeta, Table, Target



def _meta(plan_start: int | None = None, plan_end: int | None = None, region: str | None = None) -> DocumentMeta:
    return DocumentMeta(doc_id="d", path="d.txt", format="text", plan_start=plan_start, plan_end=plan_end, region=region)


def _doc(*tables: Table) -> Document:
    """A document of a heading line and the given tables, with real spans."""
    text, blocks = "附件\n", []
    for i, t in enumerate(tables):
        body = t.render()
        blocks.append(Block(id=f"d:b{i:04d}", index=i, kind="table", text=body, start=len(text), end=len(text) + len(body), table=t))
        text += body + "\n"
    return Document(doc_id="d", path="d.txt", format="text", text=text, blocks=blocks)


def _by_year(ts: list[Target]) -> dict[int | None, Target]:
    return {t.year: t for t in ts}


# ---------------------------------------------------------------- cells


@pytest.mark.parametrize(
    ("cell", "value", "high", "unit", "cmp", "ambition"),
    [
        ("450", 450, None, None, "=", None),
        ("20%", 20, None, "%", "=", None),
        ("6.5左右", 6.5, None, None, "~", None),
        ("≥95%", 95, None, "%", ">=", None),
        ("95%以上", 95, None, "%", ">=", None),
        ("不低于3", 3, None, None, ">=", None),
        ("5-8家", 5, 8, "家", "=", None),
        ("1,200", 1200, None, None, "=", None),
        ("力争10", 10, None, None, "=", "aspirational"),
        (" 12.5 ", 12.5, None, None, "=", None),
    ],
)
def test_value_cells(cell: str, value: float, high: float | None, unit: str | None, cmp: str, ambition: str | None) -> None:
    got = parse_value_cell(cell)
    assert got is not None
    assert (got.value, got.value_high, got.unit, got.comparator, got.ambition) == (value, high, unit, cmp, ambition)


@pytest.mark.parametrize("cell", ["—", "-", "/", "", "完成省市下达目标", "预期性", "县经信局", "2020-2024", "-3.4", "开展工业用地绩效提升专项行动，腾出工业用地空间1万亩"])
def test_non_value_cells(cell: str) -> None:
    assert parse_value_cell(cell) is None


@given(st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False), st.sampled_from(["", "%", "亿元", "家", "万千瓦"]))
def test_value_cell_round_trip(number: object, unit: str) -> None:
    got = parse_value_cell(f"{number}{unit}")
    assert got is not None
    assert got.value == pytest.approx(float(str(number)))
    assert got.unit == (unit or None)


@given(st.text(max_size=40))
def test_value_cell_never_raises(text: str) -> None:
    parse_value_cell(text)


def test_split_name_and_captions() -> None:
    assert split_name("规上工业增加值增速(%)") == ("规上工业增加值增速", "%")
    assert split_name("培育智能工厂(数字化车间)(家)") == ("培育智能工厂(数字化车间)", "家")
    assert split_name("新增市级以上首台(套)项目") == ("新增市级以上首台(套)项目", None)
    cap = read_caption("表五 新兴产业规上工业总产值分行业目标计划（亿元）", _meta())
    assert (cap.qualifier, cap.indicator, cap.unit) == ("新兴产业", "规上工业总产值", "亿元")
    cap = read_caption("附表1 桐庐县2023-2025年分乡镇工业投资目标（单位：亿元）", _meta())
    assert (cap.qualifier, cap.indicator, cap.unit) == (None, "工业投资", "亿元")
    assert read_caption("附件 2 2024年目标体系表", _meta()).indicator is None
    assert dice("规模以上总产值", "规模以上工业总产值") > 0.7


# ---------------------------------------------------------------- synthetic layouts


def test_unit_column_and_multi_row_header() -> None:
    table = Table(
        caption="表2 主要指标",
        rows=[
            ["序号", "类别", "指标", "单位", "基期", "目标值", "目标值", "年均增长", "属性", "牵头单位"],
            ["序号", "类别", "指标", "单位", "2022年", "2024年", "2026年", "年均增长", "属性", "牵头单位"],
            ["1", "经济", "地区生产总值", "亿元", "500", "580", "650以上", "7%左右", "预期性", "市发改局、市统计局"],
            ["2", "经济", "R&D经费支出占GDP比重", "%", "2.1", "—", "2.5", "", "预期性", "市科技局"],
            ["3", "绿色", "单位GDP能耗下降", "%", "—", "—", "—", "完成上级下达任务", "约束性", "市发改局"],
        ],
    )
    ts = extract_table_targets(_doc(table), _meta(2023, 2026), 2026)
    gdp = [t for t in ts if t.indicator == "地区生产总值"]
    level = _by_year([t for t in gdp if t.kind == "level"])
    assert sorted(level) == [2024, 2026]
    assert (level[2024].value, level[2024].unit, level[2024].base_value) == (580, "亿元", 5.8e10)
    assert (level[2024].baseline_value, level[2024].baseline_year) == (500, 2022)
    assert (level[2026].comparator, level[2026].lower, level[2026].upper) == (">=", 6.5e10, None)
    growth = [t for t in gdp if t.kind == "growth_rate"]
    assert [(g.value, g.unit, g.comparator, g.year, g.lower) for g in growth] == [(7, "%", "~", 2026, None)]
    assert level[2024].agencies == ["市发改局", "市统计局"] and level[2024].attribute == "预期性"
    rd = [t for t in ts if t.indicator.startswith("R&D")]
    assert [(t.value, t.kind, t.year, t.agencies) for t in rd] == [(2.5, "ratio", 2026, ["市科技局"])]
    assert not [t for t in ts if "能耗" in t.indicator]
    assert len(ts) == 4


def test_spans_and_evidence_point_into_the_text() -> None:
    table = Table(rows=[["指标名称", "2025年目标"], ["新增高新技术企业（家）", "40"]], caption="表1 目标")
    doc = _doc(table)
    (t,) = extract_table_targets(doc, _meta(2021, 2025), 2025)
    # span and evidence are the row; table_col says which cell held the value
    assert doc.text[t.char_start : t.char_end] == t.evidence == "新增高新技术企业（家）\t40"
    assert (t.indicator, t.unit, t.kind, t.source, t.table_id, t.table_row, t.table_col, t.rule) == (
        "新增高新技术企业", "家", "increase", "table", "d:b0000", 1, 1, "table.indicator_row",
    )


def test_breakdown_table_with_total_and_wide_columns() -> None:
    table = Table(
        caption="表3 各乡镇“十四五”主要经济指标目标",
        rows=[
            ["乡镇", "规上工业产值（亿元）", "工业投资（亿元）"],
            ["全县合计", "300", "60"],
            ["城关镇", "120", "20.5"],
        ],
    )
    ts = extract_table_targets(_doc(table), _meta(2021, 2025), 2025)
    got = {(t.scope, t.indicator, t.value, t.unit, t.year) for t in ts}
    assert got == {
        (None, "规上工业产值", 300, "亿元", 2025),
        (None, "工业投资", 60, "亿元", 2025),
        ("城关镇", "规上工业产值", 120, "亿元", 2025),
        ("城关镇", "工业投资", 20.5, "亿元", 2025),
    }


def test_project_list_and_prose_tables_give_nothing() -> None:
    projects = Table(rows=[["序号", "项目名称", "总投资（万元）", "2025年计划投资"], ["1", "某某产业园", "350000", "100000"]])
    prose = Table(
        rows=[
            ["序号", "平台", "“十四五”目标和发展思路"],
            ["1", "小微企业园", "计划到2025年全市通过省级认定小微企业园15个，规模以上企业数达到30家。"],
        ]
    )
    assert extract_table_targets(_doc(projects, prose), _meta(2021, 2025), 2025) == []
    # nothing from the project list; the prose cell is read by the prose reader (targets.py)
    ts = extract_targets(_doc(projects, prose), _meta(2021, 2025))
    assert {t.table_id for t in ts} == {"d:b0001"}
    assert {(t.value, t.source, t.table_row, t.table_col) for t in ts} == {(15, "table", 1, 2), (30, "table", 1, 2)}
    assert all(t.rule for t in ts)


def test_past_figures_give_nothing() -> None:
    past = Table(
        caption="表1 主要经济指标",
        rows=[["指标", "2018年", "2019年", "2020年", "年均增长（%）"], ["规上工业增加值（亿元）", "90", "96", "116", "6.4"]],
    )
    assert extract_table_targets(_doc(past), _meta(2021, 2025), 2025) == []


def test_target_column_without_year_takes_default_year() -> None:
    table = Table(rows=[["序号", "指标名称", "目标值", "责任单位"], ["1", "制造业投资增速(%)", "20", "县经信局"]])
    (t,) = extract_table_targets(_doc(table), _meta(2024, 2024), 2024)
    assert (t.indicator, t.kind, t.year, t.value, t.unit, t.agencies) == ("制造业投资", "growth_rate", 2024, 20, "%", ["县经信局"])


# ---------------------------------------------------------------- the shared corpus


def _corpus_targets(stem: str) -> tuple[list[Target], dict]:
    need(CORPUS / f"{stem}.txt")
    return _read_corpus(stem)


@functools.cache
def _read_corpus(stem: str) -> tuple[list[Target], dict]:
    from planextract.api import ingest_path

    path = CORPUS / f"{stem}.txt"
    gold = json.loads((GOLD / f"{stem}.gold.json").read_text(encoding="utf-8"))
    doc = ingest_path(path)
    g = gold["document"]
    meta = _meta(g["plan_start"], g["plan_end"], g["region"])
    return extract_table_targets(doc, meta, g["plan_end"]), gold


def test_001_work_plan_table() -> None:
    ts, _ = _corpus_targets("001_63027711b8e1e1d4")
    assert len(ts) == 41
    assert {t.year for t in ts} == {2024}
    by = {t.indicator: t for t in ts}
    assert (by["规上工业增加值"].kind, by["规上工业增加值"].value, by["规上工业增加值"].unit) == ("growth_rate", 6.5, "%")
    assert by["特色小镇年度总产出"].agencies == ["县发改局", "开发区"]
    assert by["新增市级以上首台(套)项目"].unit == "项"
    assert by["专利快速预审提速率"].value == 20 and by["专利快速预审提速率"].kind == "ratio"
    assert by["保障新上重大制造业项目用能"].base_unit == "吨标准煤"


def test_002_indicator_breakdown_and_town_tables() -> None:
    ts, _ = _corpus_targets("002_c16897b7a005ce68")
    table3 = [t for t in ts if t.scope is None and t.indicator == "规模以上工业总产值" and t.baseline_value == 491.2 and t.year == 2025]
    assert len(table3) == 2  # 表三 level, 附件1 全市合计
    gr = [t for t in ts if t.indicator == "规模以上工业总产值" and t.kind == "growth_rate"]
    assert [(t.value, t.year, t.attribute) for t in gr] == [(9, 2025, "预期性")]
    assert not [t for t in ts if "下降" in t.indicator or "能耗" in t.indicator]
    digital = [t for t in ts if t.indicator == "规上工业企业数字化水平"]
    assert [(t.value, t.unit, t.kind, t.baseline_value) for t in digital] == [(100, "%", "ratio", None)]
    totals = {t.scope for t in ts if t.indicator == "规上工业总产值" and t.table_row == 5}
    assert totals == {"新兴产业", "传统产业"}
    town = [t for t in ts if t.scope == "梅城镇"]
    assert sorted((t.year, t.value, t.baseline_value) for t in town) == [(2021, 74, 59.1), (2022, 81, 59.1), (2025, 107, 59.1)]
    assert {t.indicator for t in town} == {"规模以上工业总产值"}
    # nothing from 表一 (past figures), 表二, project and reform lists
    assert {t.table_id for t in ts} and all(t.year and t.year >= 2021 for t in ts)


def _pair(pred: list[Target], gold: list[dict]) -> list[tuple[Target, dict]]:
    """The scorer's pairing: equal base unit and value, then bigram likeness >= 0.5."""
    cands = []
    for i, p in enumerate(pred):
        for j, g in enumerate(gold):
            if p.base_unit == g["base_unit"] and p.base_value == pytest.approx(g["base_value"], rel=1e-6):
                d = dice((p.scope or "") + p.indicator, (g["scope"] or "") + g["indicator"])
                cands.append((-d, p.year != g["year"], i, j, d))
    used_p, used_g, out = set(), set(), []
    for _, _, i, j, d in sorted(cands):
        if d >= 0.5 and i not in used_p and j not in used_g:
            used_p.add(i), used_g.add(j), out.append((pred[i], gold[j]))
    return out


@pytest.mark.parametrize("stem", ["001_63027711b8e1e1d4", "002_c16897b7a005ce68"])
def test_against_gold(stem: str) -> None:
    ts, gold = _corpus_targets(stem)
    # grid gold: table targets whose evidence spans cells (prose in a cell is the prose extractor's)
    grid = [g for g in gold["targets"] if g.get("source") == "table" and ("\t" in g["evidence"] or "\n" in g["evidence"])]
    pairs = _pair(ts, grid)
    assert len(pairs) >= 0.95 * len(grid) and len(pairs) >= 0.95 * len(ts)
    for field in ("value", "unit", "year", "comparator", "kind", "indicator", "scope", "baseline_value", "agencies"):
        agree = sum(getattr(p, field) == g[field] for p, g in pairs)
        assert agree >= 0.9 * len(pairs), field


def test_title_row_inside_the_table_is_the_caption() -> None:
    table = Table(
        rows=[
            ["各园区2025年工业总产值目标（亿元）"] * 3,
            ["园区名称", "2022年", "2025年"],
            ["经济开发区", "80", "120"],
        ]
    )
    (t,) = extract_table_targets(_doc(table), _meta(2023, 2025), 2025)
    assert (t.scope, t.indicator, t.value, t.unit, t.year, t.baseline_value, t.baseline_year) == (
        "经济开发区", "工业总产值", 120, "亿元", 2025, 80, 2022,
    )


def test_years_down_the_rows_are_not_read_as_scopes() -> None:
    table = Table(rows=[["年份", "规上工业增加值（亿元）"], ["2023年", "180"], ["2025年", "200"]])
    assert extract_table_targets(_doc(table), _meta(2023, 2025), 2025) == []


def test_cell_words_set_kind() -> None:
    table = Table(
        rows=[
            ["指标名称", "单位", "2022年", "2025年"],
            ["单位工业增加值能耗降低", "%", "—", "累计降低8%"],
            ["高新技术企业", "家", "30", "新增15家"],
        ]
    )
    ts = extract_table_targets(_doc(table), _meta(2023, 2025), 2025)
    assert [(t.indicator, t.kind, t.value, t.unit) for t in ts] == [
        ("单位工业增加值能耗", "reduction", 8, "%"),
        ("高新技术企业", "increase", 15, "家"),
    ]


def test_wide_list_of_facts_gives_nothing() -> None:
    table = Table(caption="表4 重点企业名单", rows=[["序号", "企业名称", "用地面积（亩）"], ["1", "某某新材料有限公司", "120"]])
    assert extract_table_targets(_doc(table), _meta(2023, 2025), 2025) == []


_CELL_TEXT = st.text(alphabet=st.sampled_from(list("指标1%\t\n 万亿")), max_size=6)


@given(st.lists(st.lists(_CELL_TEXT, min_size=1, max_size=5), min_size=1, max_size=6))
def test_cell_span_points_at_the_cell_in_the_rendered_table(rows: list[list[str]]) -> None:
    table = Table(rows=rows)
    text = table.render()
    for r, cells in enumerate(rows):
        for c, cell in enumerate(cells):
            start, end = table.cell_span(r, c)
            assert text[start:end] == cell.replace("\t", " ").replace("\n", " ")
    for r, c in [(-1, 0), (0, -1), (len(rows), 0), (0, len(rows[0]))]:
        with pytest.raises(IndexError):
            table.cell_span(r, c)


# ---------------------------------------------------------------- progress tables, criterion cells, headerless tables


def test_progress_table_plan_column_targets_and_completed_actuals() -> None:
    from planextract.extract.table_actuals import extract_table_actuals

    table = Table(
        caption="1-6月份各县市区重点项目投资完成情况表 单位:个、亿元",
        rows=[
            ["县市区", "项目个数", "年度投资计划", "完成投资额", "年度计划完成率"],
            ["甲县", "30", "40.5", "21.2", "52.3%"],
            ["乙 区", "12", "18", "10.1", "56.1%"],
        ],
    )
    doc = _doc(table)
    ts = extract_table_targets(doc, _meta(2024, 2024), 2024)
    assert sorted((t.scope, t.indicator, t.value, t.unit, t.year, t.kind) for t in ts) == [
        ("乙区", "年度投资计划", 18, "亿元", 2024, "level"),
        ("甲县", "年度投资计划", 40.5, "亿元", 2024, "level"),
    ]
    assert all(doc.text[t.char_start : t.char_end] == t.evidence for t in ts)
    acts = extract_table_actuals(doc, _meta(2024, 2024), 2024)
    got = sorted((a.scope, a.indicator, a.value, a.unit, a.kind, a.period, a.months, a.year) for a in acts)
    assert got == [
        ("乙区", "完成投资额", 10.1, "亿元", "level", "months", "1-6", 2024),
        ("乙区", "年度计划完成率", 56.1, "%", "ratio", "months", "1-6", 2024),
        ("甲县", "完成投资额", 21.2, "亿元", "level", "months", "1-6", 2024),
        ("甲县", "年度计划完成率", 52.3, "%", "ratio", "months", "1-6", 2024),
    ]
    assert all(a.rule == "table.progress_actual" and doc.text[a.char_start : a.char_end] == a.evidence for a in acts)


def test_criterion_cells_read_clause_by_clause() -> None:
    table = Table(
        caption="表2 评价指标",
        rows=[
            ["序号", "指标名称", "单位", "2022年现状值", "目标值"],
            ["1", "绿色建筑占新建建筑比例", "%", "60", "较上一年增加。2025年达到80%"],
            ["2", "公共交通出行分担率", "%", "45", "每年增加1-3个百分点。2030年达到60%"],
        ],
    )
    ts = extract_table_targets(_doc(table), _meta(2023, 2030), 2030)
    got = sorted((t.indicator, t.value, t.value_high, t.unit, t.year, t.rule) for t in ts)
    assert got == [
        ("公共交通出行分担率", 1, 3, "个百分点", 2030, "table.criterion_cell"),
        ("公共交通出行分担率", 60, None, "%", 2030, "table.criterion_cell"),
        ("绿色建筑占新建建筑比例", 80, None, "%", 2025, "table.criterion_cell"),
    ]


def test_headerless_task_table_prose_cells_with_row_agencies_and_deadline() -> None:
    table = Table(
        header_rows=0,
        rows=[
            ["1", "一、主要目标", "全县城镇新增就业8000人以上。", "县人社局\n县就业中心", "王某", "2024年底前"],
            ["2", "一、主要目标", "完成职业技能培训1万人次。", "县人社局", "李某某", "2024年底前"],
            ["3", "二、重点工作", "新建标准化零工市场2个，服务灵活就业人员。", "县人社局", "赵某", "2024年9月底前"],
        ],
    )
    doc = _doc(table)
    assert prose_cells(doc, _meta(), doc.blocks[0])[0].agencies == ["县人社局", "县就业中心"]
    ts = extract_targets(doc, _meta(None, None))
    by_value = {t.value: t for t in ts}
    assert set(by_value) >= {8000, 2}
    jobs = by_value[8000]
    assert (jobs.source, jobs.table_row, jobs.table_col, jobs.year, jobs.agencies) == ("table", 0, 2, 2024, ["县人社局", "县就业中心"])
    assert by_value[2].agencies == ["县人社局"] and by_value[2].year == 2024
    assert all(doc.text[t.char_start : t.char_end] == t.evidence for t in ts)


# ---------------------------------------------------------------- the development gold


DEV, DEV_GOLD = CORPUS_DEV, GOLD_DEV


def test_per_county_progress_table_of_the_dev_gold() -> None:
    from planextract.api import ingest_path

    need(DEV / "N05.txt")
    gold = json.loads((DEV_GOLD / "N05.gold.json").read_text(encoding="utf-8"))
    doc = ingest_path(DEV / "N05.txt")
    ts = extract_table_targets(doc, _meta(2021, 2021), 2021)
    want = {(g["scope"], g["indicator"], g["value"], g["unit"], g["year"]) for g in gold["targets"] if g["source"] == "table"}
    assert {(t.scope, t.indicator, t.value, t.unit, t.year) for t in ts} == want


def test_a_unit_column_of_places_names_the_rows() -> None:
    # "单位" over 全区 / 某镇 is the organisation each row is for, not a column of units.
    table = Table(rows=[["单位", "到2025年累计建成高标准农田面积（万亩）", "到2030年累计建成高标准农田面积（万亩）"],
                        ["全区", "4.5", "6"], ["某甲镇", "2", "3"]], caption=None)
    ts = extract_table_targets(_doc(table), _meta(2021, 2030), 2030)
    assert [(t.indicator, t.scope, t.value, t.year) for t in ts] == [
        ("累计建成高标准农田面积", None, 4.5, 2025), ("累计建成高标准农田面积", None, 6.0, 2030),
        ("累计建成高标准农田面积", "某甲镇", 2.0, 2025), ("累计建成高标准农田面积", "某甲镇", 3.0, 2030)]
