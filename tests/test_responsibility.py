"""Responsibility notes: agency lists with roles, every note form, conventions, a document's items."""

from __future__ import annotations

import tomllib

from hypothesis import given
from hypothesis import strategies as st

from planextract import rules
from planextract.extract.responsibility import (
    block_agencies,
    cell_note,
    find_note,
    first_leads,
    heading_note,
    item_notes,
    note_line,
    parse_note,
    read_note,
    split_agencies,
    split_roles,
)
from planextract.ingest import ingest_bytes

# ---------------------------------------------------------------- splitting lists


def test_split_separators_and_role_words() -> None:
    assert split_agencies("县经信局、县发改局，各产业集群工作组成员单位配合") == [
        "县经信局",
        "县发改局",
        "各产业集群工作组成员单位",
    ]
    assert split_agencies("县财政局;县商务局；县统计局,县科协") == ["县财政局", "县商务局", "县统计局", "县科协"]
    assert split_roles("县经信局、县发改局，各成员单位配合") == (
        ("县经信局", "neutral"), ("县发改局", "neutral"), ("各成员单位", "support"),
    )


def test_split_run_together_names() -> None:
    assert split_agencies("市场监管局生态环境局") == ["市场监管局", "生态环境局"]
    assert split_agencies("发改局、规划和自然资源局、市场监管局生态环境局、科技局") == [
        "发改局", "规划和自然资源局", "市场监管局", "生态环境局", "科技局",
    ]


def test_split_keeps_names_that_only_look_run_together() -> None:
    # a place inside a name, and a name with 和 inside, are one name each
    assert split_agencies("生态环境局建德分局、县规划和自然资源局、县委改革办") == [
        "生态环境局建德分局", "县规划和自然资源局", "县委改革办",
    ]


def test_split_trailing_deng_and_brackets() -> None:
    assert split_agencies("发改局、科技局、改革办等") == ["发改局", "科技局", "改革办"]
    assert split_agencies("市委办（考评办）、开发区（航空小镇、高新园）等有关部门") == [
        "市委办（考评办）", "开发区（航空小镇、高新园）",
    ]


def test_split_stops_at_the_full_stop_and_at_remarks() -> None:
    text = "县经信局、县发改局，各产业集群工作组成员单位配合。以下列第一位的为牵头单位，不再列出。"
    assert split_agencies(text) == ["县经信局", "县发改局", "各产业集群工作组成员单位"]
    # a remark inside the list ends it; a bracketed remark on the last name is dropped
    assert split_agencies("县政府有关部门，各乡镇，以下均由各乡镇负责落实，不再逐一列出") == ["县政府有关部门", "各乡镇"]
    assert split_agencies("县发改局、县卫健局（除注明外，排第一位的为牵头单位，下同）") == ["县发改局", "县卫健局"]


def test_split_line_breaks_in_a_cell() -> None:
    assert split_agencies("规划科\n县农技站\n县水利局", "\n") == ["规划科", "县农技站", "县水利局"]


_KEYS = sorted(k for k in tomllib.loads((rules.path("agencies.toml")).read_text())["full_names"])


@given(st.lists(st.sampled_from(_KEYS), min_size=1, max_size=6), st.sampled_from(["、", "，", ";"]), st.booleans())
def test_split_round_trips_a_printed_list(names: list[str], sep: str, prefixed: bool) -> None:
    written = [("县" + n if prefixed and not n.startswith("委") else n) for n in names]
    assert split_agencies(sep.join(written)) == written


@given(st.text(alphabet="县市局办委、，等配合和（）发改经信财政牵头负责 \n", max_size=40))
def test_split_never_invents_text(text: str) -> None:
    squeezed = "".join(text.split())
    for name, role in split_roles(text, "\n"):
        assert name and role in ("lead", "support", "neutral")
        assert "".join(name.split()) in squeezed


# ---------------------------------------------------------------- note forms


def _roles(text: str, first: bool = False) -> tuple[list[str], list[str]] | None:
    note = read_note(text)
    return note.roles(first) if note else None


def test_first_listed_leads_convention() -> None:
    item = "1.全面落实。…（责任单位：县经信局、县发改局，各产业集群工作组成员单位配合。以下列第一位的为牵头单位，不再列出。）"
    assert first_leads(item)
    assert _roles(item, True) == (["县经信局"], ["县发改局", "各产业集群工作组成员单位"])
    # without the convention every listed agency leads; 配合 still supports
    assert _roles(item) == (["县经信局", "县发改局"], ["各产业集群工作组成员单位"])
    assert first_leads("（除标注“分别牵头”外，列第一位为牵头或汇总单位，下同）")
    assert not first_leads("各单位按职责分工负责。")


def test_labelled_notes() -> None:
    assert _roles("做好。(牵头单位:县经信局;配合单位:县发改局、县财政局)。") == (["县经信局"], ["县发改局", "县财政局"])
    assert _roles("做好。（牵头单位：县商务局，配合单位：县财政局、县税务局）") == (["县商务局"], ["县财政局", "县税务局"])
    assert _roles("做好。责任单位：县发改局。") == (["县发改局"], [])
    assert _roles("推进园区建设。主责单位：县经开区管委会") == (["县经开区管委会"], [])
    assert _roles("完成改造提升。（实施单位：县住建局、各乡镇）") == (["县住建局", "各乡镇"], [])
    # a short prefix before the label inside the bracket
    assert _roles("到2025年达到50家。（约束性指标，牵头单位：县发改局；责任单位：县统计局）") == (["县发改局"], ["县统计局"])


def test_unlabelled_role_lists() -> None:
    assert _roles("做好（县经信局牵头，县发改局配合）") == (["县经信局"], ["县发改局"])
    assert _roles("做好。（县商务局牵头，县财政局、县市场监管局按职责分工负责）") == (["县商务局"], ["县财政局", "县市场监管局"])
    assert _roles("加强公开。（县发改委、县政数局、县金融中心按职责分工负责）") == (["县发改委", "县政数局", "县金融中心"], [])
    # words of an ordinary sentence are no agencies
    assert read_note("推进改革（由企业自行负责）。") is None


def test_respectively_lead_and_bare_level_word() -> None:
    assert parse_note("县人社局、县农业农村局分别牵头").roles(True) == (["县人社局", "县农业农村局"], [])
    assert not parse_note("市")  # cut off after the level word: nobody named


def test_note_cut_off_inside_its_bracket() -> None:
    text = "1.地区生产总值年均增长6%以上。（预期性指标，牵头单位：县发改局；责任单位：县直有关部门，各乡镇，以下均需各乡镇落实，不再逐"
    start, inner = find_note(text) or (None, "")
    assert text[start:].startswith("（预期性指标")
    note = parse_note(inner)
    assert note.roles() == (["县发改局"], ["县直有关部门", "各乡镇"])
    assert note.agencies == ["县发改局", "县直有关部门", "各乡镇"]


def test_no_note_means_nothing() -> None:
    assert read_note("加快培育新兴产业（到2025年达到10家）。") is None
    assert read_note("（责任单位：县经信局）之后还有正文。") is None
    assert find_note("没有括号") is None


def test_note_lines_and_headings() -> None:
    assert note_line("责任单位:县发改局、县统计局") == "责任单位:县发改局、县统计局"
    assert note_line("（牵头单位：县商务局）") == "牵头单位：县商务局"
    assert note_line("1.推进改革。责任单位：县发改局") is None
    assert heading_note("（一）县示范区管委会牵头", "（一）") is not None
    assert heading_note("（二）县发改局牵头，县财政局配合：", "（二）").roles() == (["县发改局"], ["县财政局"])  # type: ignore[union-attr]
    assert heading_note("（三）推进产业发展", "（三）") is None


def test_target_agencies_leave_out_marked_support() -> None:
    note = parse_note("牵头单位：县经信局；责任单位：县发改局，各乡镇配合")
    assert note.roles() == (["县经信局"], ["县发改局", "各乡镇"])
    assert note.agencies == ["县经信局", "县发改局"]


def test_cell_notes() -> None:
    assert cell_note(lead="县经信局、县发改局", support="县财政局").roles() == (["县经信局", "县发改局"], ["县财政局"])
    assert cell_note(responsible="县经信局\n县科技局").roles(True) == (["县经信局"], ["县科技局"])
    assert cell_note(responsible="县经信局\n县科技局").roles() == (["县经信局", "县科技局"], [])


# ---------------------------------------------------------------- a document's items

_PLAN = """某县2023年重点工作责任分解
（除标注“分别牵头”外，列第一位为牵头单位，下同）
一、主要预期目标
1.地区生产总值增长6%左右。
牵头单位：县发改局
责任单位：县统计局，各乡镇
2.城镇新增就业和农民增收完成省定任务。
责任单位：县人社局、县农业农村局分别牵头
3.招大引强再上新台阶。
责任单位：县
二、重点任务
（一）县示范区管委会牵头
1.推进园区扩容提质。加快标准厂房建设，新增用地500亩。
2.完善园区配套。
（二）强化要素保障
3.保障用地用能。（县自然资源局、县发改局按职责分工负责）
"""


def _doc(text: str):  # type: ignore[no-untyped-def]
    return ingest_bytes(text.encode("utf-8"), "plan.txt", ".txt")


def test_item_notes_of_a_document() -> None:
    doc = _doc(_PLAN)
    first = first_leads(doc.text)
    got = [(doc.blocks[n.owner].number, n.form, *n.note.roles(first)) for n in item_notes(doc)]
    assert got == [
        ("1.", "line", ["县发改局"], ["县统计局", "各乡镇"]),
        ("2.", "line", ["县人社局", "县农业农村局"], []),
        ("1.", "heading", ["县示范区管委会"], []),
        ("2.", "heading", ["县示范区管委会"], []),
        ("3.", "bracket", ["县自然资源局"], ["县发改局"]),
    ]


def test_block_agencies_for_targets() -> None:
    doc = _doc(_PLAN)
    by_block = block_agencies(doc)
    text_of = {b.text.split("。")[0]: by_block.get(b.index) for b in doc.blocks}
    assert text_of["1.地区生产总值增长6%左右"] == ["县发改局", "县统计局", "各乡镇"]
    assert text_of["1.推进园区扩容提质"] == ["县示范区管委会"]
    assert text_of["3.招大引强再上新台阶"] is None


def test_note_in_square_brackets_around_names_with_round_ones() -> None:
    text = "（一）地区生产总值增长7%。[牵头单位：县发改局（粮食局）；责任单位：各镇人民政府，县经济开发区]"
    start, inner = find_note(text) or (None, "")
    assert text[start:].startswith("[牵头单位")
    assert parse_note(inner).roles() == (["县发改局（粮食局）"], ["各镇人民政府", "县经济开发区"])


def test_note_cut_off_inside_a_name_keeps_the_whole_names() -> None:
    text = "2.城乡居民收入与经济增长同步。（牵头单位：县发改局、县农业农"
    _, inner = find_note(text) or (None, "")
    assert parse_note(inner).roles() == (["县发改局"], [])
    _, inner = find_note("1.推动绿色低碳发展取得突破。（牵头单位：市发") or (None, "")
    assert not parse_note(inner)


def test_note_lines_naming_a_leader_a_lead_unit_and_cooperating_units() -> None:
    note = parse_note("牵头责任单位：市发展改革委；协同责任单位：市经信局、市商务局、市经开区管委会等，各县、市、区政府。")
    assert note.roles() == (["市发展改革委"], ["市经信局", "市商务局", "市经开区管委会", "各县、市、区政府"])


def test_governments_of_several_levels_named_at_once_are_one_name() -> None:
    assert split_agencies("县财政局、各乡、镇人民政府，县直有关部门") == ["县财政局", "各乡、镇人民政府", "县直有关部门"]
    assert split_agencies("市商务局，各县、市、区") == ["市商务局", "各县、市、区"]


def test_role_words_of_carrying_out_and_a_leading_by() -> None:
    assert parse_note("市发展改革委、市工信局按职责分工负责；各县（市、区）政府负责落实").roles() == (
        ["市发展改革委", "市工信局", "各县（市、区）政府"],
        [],
    )
    assert parse_note("由县发改局牵头，县财政局配合").roles() == (["县发改局"], ["县财政局"])
    assert parse_note("区教育局牵头，区财政局、各镇街参与").roles() == (["区教育局"], ["区财政局", "各镇街"])


def test_deng_summing_up_bodies_of_a_level_is_dropped() -> None:
    assert split_agencies("市发改委、市商务局等市直有关部门，各区县政府") == ["市发改委", "市商务局", "各区县政府"]
