"""Agency lists, responsibility notes, canonical names and link rows."""

from __future__ import annotations

import tomllib

from hypothesis import given
from hypothesis import strategies as st

from planextract import rules
from planextract.extract.agencies import (
    agency_id,
    canonical_name,
    find_responsibility,
    first_listed_leads,
    link_agencies,
    responsibility,
    split_agencies,
)
from planextract.models import Document, DocumentMeta, Target, Task

# ---------------------------------------------------------------- splitting


def test_split_separators_and_role_words() -> None:
    assert split_agencies("县经信局、县发改局，各产业集群工作组成员单位配合") == [
        "县经信局",
        "县发改局",
        "各产业集群工作组成员单位",
    ]
    assert split_agencies("县财政局;县商务局；县统计局,县科协") == ["县财政局", "县商务局", "县统计局", "县科协"]


def test_split_run_together_names() -> None:
    assert split_agencies("市场监管局生态环境局") == ["市场监管局", "生态环境局"]
    assert split_agencies("发改局、规划和自然资源局、市场监管局生态环境局、科技局") == [
        "发改局",
        "规划和自然资源局",
        "市场监管局",
        "生态环境局",
        "科技局",
    ]


def test_split_keeps_names_that_only_look_run_together() -> None:
    # a place inside a name, and a name with 和 inside, are one name each
    assert split_agencies("生态环境局建德分局、县规划和自然资源局、县委改革办") == [
        "生态环境局建德分局",
        "县规划和自然资源局",
        "县委改革办",
    ]


def test_split_trailing_deng_and_brackets() -> None:
    assert split_agencies("发改局、科技局、改革办等") == ["发改局", "科技局", "改革办"]
    assert split_agencies("市委办（考评办）、开发区（航空小镇、高新园）等有关部门") == [
        "市委办（考评办）",
        "开发区（航空小镇、高新园）",
    ]


def test_split_stops_at_the_full_stop() -> None:
    text = "县经信局、县发改局，各产业集群工作组成员单位配合。以下列第一位的为牵头单位，不再列出。"
    assert split_agencies(text) == ["县经信局", "县发改局", "各产业集群工作组成员单位"]


_KEYS = sorted(k for k in tomllib.loads((rules.path("agencies.toml")).read_text())["full_names"])


@given(st.lists(st.sampled_from(_KEYS), min_size=1, max_size=6), st.sampled_from(["、", "，", ";"]), st.booleans())
def test_split_round_trips_a_printed_list(names: list[str], sep: str, prefixed: bool) -> None:
    written = [("县" + n if prefixed and not n.startswith("委") else n) for n in names]
    assert split_agencies(sep.join(written)) == written


@given(st.text(alphabet="县市局办委、，等配合和（）发改经信财政 ", max_size=40))
def test_split_never_invents_text(text: str) -> None:
    squeezed = "".join(text.split())
    for name in split_agencies(text):
        assert name
        assert "".join(name.split()) in squeezed


# ---------------------------------------------------------------- notes


def test_responsibility_first_listed_leads() -> None:
    item = "1.全面落实。…（责任单位：县经信局、县发改局，各产业集群工作组成员单位配合。以下列第一位的为牵头单位，不再列出。）"
    assert first_listed_leads(item)
    assert responsibility(item, first_leads=True) == (["县经信局"], ["县发改局", "各产业集群工作组成员单位"])
    # without the convention every listed agency leads; 配合 still supports
    assert responsibility(item, first_leads=False) == (["县经信局", "县发改局"], ["各产业集群工作组成员单位"])


def test_responsibility_labelled_roles_and_ascii_brackets() -> None:
    assert responsibility("做好。(牵头单位:县经信局;配合单位:县发改局、县财政局)。") == (
        ["县经信局"],
        ["县发改局", "县财政局"],
    )
    assert responsibility("做好（县经信局牵头，县发改局配合）") == (["县经信局"], ["县发改局"])
    assert responsibility("做好。责任单位：县发改局。") == (["县发改局"], [])


def test_responsibility_nested_brackets() -> None:
    assert responsibility("做好。（责任单位：市委办（考评办）、市府办）", first_leads=True) == (
        ["市委办（考评办）"],
        ["市府办"],
    )


def test_no_note_means_no_responsibility() -> None:
    assert responsibility("加快培育新兴产业（到2025年达到10家）。") is None
    assert responsibility("（责任单位：县经信局）之后还有正文。") is None
    assert find_responsibility("没有括号") is None
    assert not first_listed_leads("各单位按职责分工负责。")


# ---------------------------------------------------------------- canonical names


def test_canonical_with_region() -> None:
    assert canonical_name("县经信局", "桐庐县", "杭州市") == ("桐庐县经济和信息化局", "桐庐县")
    assert canonical_name("经信局", "桐庐县", "杭州市")[0] == "桐庐县经济和信息化局"
    assert canonical_name("县委改革办", "桐庐县")[0] == "中共桐庐县委全面深化改革委员会办公室"
    assert canonical_name("发改局", "建德市", "杭州市")[0] == "建德市发展和改革局"
    assert canonical_name("县公安局", "桐庐县")[0] == "桐庐县公安局"  # unknown word, known level


def test_canonical_other_region_and_places_in_names() -> None:
    assert canonical_name("市生态环境局桐庐分局", "桐庐县", "杭州市")[0] == "杭州市生态环境局桐庐分局"
    assert canonical_name("生态环境局建德分局", "建德市", "杭州市")[0] == "杭州市生态环境局建德分局"
    assert canonical_name("杭州市生态环境局建德分局", "建德市", "杭州市")[0] == "杭州市生态环境局建德分局"
    assert canonical_name("人行桐庐县支行", "桐庐县")[0] == "中国人民银行桐庐县支行"
    # 市场监管局 is not 市 + 场监管局
    assert canonical_name("市场监管局", "桐庐县")[0] == "桐庐县市场监督管理局"


def test_canonical_unknown_or_without_region_stays_as_written() -> None:
    assert canonical_name("各产业集群工作组成员单位", "桐庐县") == ("各产业集群工作组成员单位", None)
    assert canonical_name("县经信局") == ("县经信局", None)
    assert canonical_name("市生态环境局桐庐分局", "桐庐县") == ("市生态环境局桐庐分局", None)


def test_link_agencies_rows_and_ids() -> None:
    doc = Document(doc_id="d1", path="x.txt", format="text")
    meta = DocumentMeta(doc_id="d1", path="x.txt", format="text", region="桐庐县", city="杭州市")
    prov = {"doc_id": "d1", "block_id": "d1:b0", "char_start": 0, "char_end": 1, "evidence": "x"}
    targets = [Target(indicator="a", value=1, unit="家", agencies=["县经信局", "县发改局"], **prov)]
    tasks = [
        Task(title="t1", lead=["经信局"], support=["县科协", "县发改局"], **prov),
        Task(title="t2", task_id="keep", lead=[], support=["各有关单位"], **prov),
    ]
    agencies, target_links, task_links = link_agencies(doc, meta, targets, tasks)
    assert targets[0].target_id == "d1-t0000"
    assert tasks[0].task_id == "d1-k0000" and tasks[1].task_id == "keep"
    names = [a.name for a in agencies]
    assert names == ["桐庐县经济和信息化局", "桐庐县发展和改革局", "桐庐县科学技术协会", "各有关单位"]
    assert agencies[0].names == ["县经信局", "经信局"]  # first-seen order, one agency
    assert agencies[0].agency_id == agency_id("桐庐县经济和信息化局")
    assert [(x.position, x.name) for x in target_links] == [(0, "县经信局"), (1, "县发改局")]
    assert [(x.role, x.position, x.name) for x in task_links] == [
        ("lead", 0, "经信局"),
        ("support", 0, "县科协"),
        ("support", 1, "县发改局"),
        ("support", 0, "各有关单位"),
    ]
    assert task_links[0].agency_id == target_links[0].agency_id
