"""Agency names: canonical names and link rows (lists and notes: test_responsibility.py)."""

from __future__ import annotations

from planextract.extract.agencies import agency_id, canonical_name, link_agencies, looks_like_agency, names_in
from planextract.models import Document, DocumentMeta, Target, Task

# ---------------------------------------------------------------- names of one item


def test_names_in_one_item() -> None:
    assert names_in("市场监管局生态环境局") == ["市场监管局", "生态环境局"]
    assert names_in("发改局、科技局等") == ["发改局、科技局"]  # one item: separators are the caller's
    assert names_in("县科技局等有关部门") == ["县科技局"]
    assert names_in("市") == [] and names_in("县") == []  # a list cut off after its level word
    assert looks_like_agency("开发区（航空小镇）") and looks_like_agency("市农技中心") and not looks_like_agency("做好服务")


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
