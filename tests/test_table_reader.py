"""The table reader every table extractor shares: title and header rows, labels, roles, categories, numbers."""

from __future__ import annotations

from planextract.extract.table_reader import Grid, column_roles, read_grid, role_of, shape_roles
from planextract.models import Block, Table


def _grid(rows: list[list[str]], caption: str | None = None, header_rows: int = 1) -> Grid:
    table = Table(rows=rows, caption=caption, header_rows=header_rows)
    text = table.render()
    grid = read_grid(Block(id="d:b0000", kind="table", text=text, table=table, start=10, end=10 + len(text)))
    assert grid is not None
    return grid


def test_title_row_and_two_header_rows() -> None:
    grid = _grid([
        ["表1 某县“十四五”主要指标"] * 5,
        ["指 标 名 称", "单位", "目标值", "目标值", "属性"],
        ["指 标 名 称", "单位", "2023年", "2025年", "属性"],
        ["地区生产总值", "亿元", "500", "600", "预期性"],
    ])
    assert (grid.title, grid.title_rows, grid.header_rows) == ("表1 某县“十四五”主要指标", 1, 3)
    assert grid.labels == ("指标名称", "单位", "目标值2023年", "目标值2025年", "属性")
    assert list(grid.body) == [3]
    assert column_roles(grid, "indicator") == ["indicator_name", "unit", "target", "target", "attribute"]


def test_a_body_row_is_no_header_row() -> None:
    grid = _grid([["指标", "2025年"], ["新增企业（家）", "30"], ["新增项目（个）", "5"]])
    assert grid.header_rows == 1
    # the caption wins over no title row; a row's span is in document offsets
    assert grid.row_span(1) == (10 + len("指标\t2025年\n"), 10 + len("指标\t2025年\n新增企业（家）\t30"))


def test_roles_exact_word_then_longest_contained() -> None:
    assert role_of("目标名称", "indicator") == "indicator_name"  # an equal word beats 目标
    assert role_of("年计划投资完成率", "indicator") == "actual"  # 完成率 is longer than 计划
    assert role_of("2025年目标值(亿元)", "indicator") == "target"
    assert role_of("计量单位", "indicator") == "unit" and role_of("单位名称", "indicator") == "scope_name"
    assert role_of("责任单位(部门)", "indicator") == "agency_neutral"
    assert role_of("牵头单位", "task") == "agency_lead" and role_of("配合单位", "task") == "agency_support"
    assert role_of("计划总投资", "project") == "total_investment"  # the longer word wins
    assert role_of("建设单位", "project") == "builder"
    assert role_of("", "task") is None


def test_category_rows_carried_down_and_shared_numbers() -> None:
    grid = _grid([
        ["序号", "工作事项", "主要内容", "牵头单位"],
        ["一、深化改革", "一、深化改革", "一、深化改革", "一、深化改革"],
        ["1", "营商环境", "推进一网通办。", "县数据局"],
        ["", "营商环境", "推进一件事改革。", "县数据局"],
        ["", "（二）要素保障", "", ""],
        ["2", "用地保障", "盘活存量用地。", "县自然资源局"],
    ])
    assert grid.is_category_row(1) and grid.is_category_row(4) and not grid.is_category_row(2)
    assert grid.categories == {2: "一、深化改革", 3: "一、深化改革", 5: "（二）要素保障"}
    assert grid.numbers(0) == {2: "1", 3: "1", 5: "2"}


def test_headerless_roles_from_cell_shapes() -> None:
    grid = _grid(
        [
            ["1", "一、主要目标", "全县城镇新增就业8000人以上。", "县人社局\n县就业中心", "王某", "2024年底前", "5551234"],
            ["2", "一、主要目标", "完成职业技能培训1万人次。", "县人社局", "李某某", "2024年底前", "5551235"],
            ["3", "二、重点工作", "新建标准化零工市场一个，服务灵活就业人员。", "县人社局", "赵某", "2024年9月底前", "5551236"],
        ],
        header_rows=0,
    )
    assert grid.header_rows == 0 and grid.labels == ("",) * 7
    assert shape_roles(grid) == ["seq", "category", "content", "agency_neutral", "skip", "deadline", "skip"]
    assert column_roles(grid, "task") == shape_roles(grid)


def test_a_table_whose_first_row_is_row_1_has_no_header() -> None:
    grid = _grid([
        ["1", "推进企业上云。", "县经信局", "2024年底前"],
        ["2", "建设工业互联网平台2个。", "县经信局\n县科技局", "2024年底前"],
        ["3", "培育数字化车间10家。", "县经信局", "2024年6月底前"],
    ])
    assert grid.header_rows == 0 and list(grid.body) == [0, 1, 2]
    assert column_roles(grid, "task") == ["seq", "content", "agency_neutral", "deadline"]
    # a numbered header-less-looking table with a real header keeps it
    assert _grid([["序号", "指标"], ["1", "甲"], ["2", "乙"]]).header_rows == 1
