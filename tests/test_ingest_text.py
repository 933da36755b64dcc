"""The Tika/plain-text ingester and the structure stage on the shared corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from planextract.api import ingest_path
from planextract.ingest import ingest_bytes
from planextract.models import Document


def _doc(corpus: Path, stem: str) -> Document:
    path = next(corpus.glob(f"{stem}*.txt"))
    return ingest_path(path, corpus)


def _tables(doc: Document) -> dict[str, list[list[str]]]:
    return {b.table.caption or "": b.table.rows for b in doc.blocks if b.table is not None}


def test_002_project_list_is_25_rows_by_10_columns(corpus_dir: Path) -> None:
    tables = _tables(_doc(corpus_dir, "002"))
    rows = next(r for c, r in tables.items() if "重大项目清单" in c)
    assert len(rows) == 26  # header + 25 projects
    assert {len(r) for r in rows} == {10}
    assert rows[0][:3] == ["序号", "项目名称", "项目类型"]
    assert rows[1][0] == "★1" and rows[25][0] == "25"
    # Row 3's stray blank line inside a cell did not split the row.
    assert rows[3][6] == "100000" and rows[3][8] == "经信局"


def test_002_indicator_table_carries_category_down(corpus_dir: Path) -> None:
    tables = _tables(_doc(corpus_dir, "002"))
    caption, rows = next((c, r) for c, r in tables.items() if c.startswith("表三"))
    assert "指标体系表" in caption
    assert {len(r) for r in rows} == {7}
    body = rows[1:]
    assert body[0][:3] == ["产业规模", "规模以上工业总产值", "亿元"]
    assert body[1][0] == "产业规模" and body[2][0] == "产业规模"  # carried down
    assert body[3][0].replace("\n", "") == "结构优化"


def test_001_flattened_target_table_is_rebuilt(corpus_dir: Path) -> None:
    doc = _doc(corpus_dir, "001")
    caption, rows = next((c, r) for c, r in _tables(doc).items() if "目标体系表" in c)
    assert caption.startswith("附件")
    assert rows[0] == ["序号", "类别", "指标名称", "2024年目标值", "责任单位"]
    assert len(rows) == 42 and {len(r) for r in rows} == {5}  # 41 rows x 5 columns
    assert rows[2] == ["2", "牵 引 性 指 标", "规上工业增加值增速(%)", "6.5", "县经信局"]
    assert rows[41][1] == "强化要素保障" and rows[41][2] == "新增数字高技能人才(人)"


def test_001_task_headings_have_levels(corpus_dir: Path) -> None:
    doc = _doc(corpus_dir, "001")
    headings = [b for b in doc.blocks if b.kind == "heading" and b.section_path[:1] == ["二、重点任务"]]
    assert len(headings) == 8
    assert all(h.level == 2 and h.number and h.number.startswith("(") for h in headings)
    items = [b for b in doc.blocks if b.kind == "paragraph" and b.number and b.level == 3]
    assert len(items) == 29
    assert items[0].section_path == ["二、重点任务", "(一)深化“415X”先进制造业集群培育体系"]


def test_header_fields_become_metadata(corpus_dir: Path) -> None:
    doc = _doc(corpus_dir, "001")
    assert doc.meta["索引号"] == "M059/2024-123007"
    assert doc.meta["发布机构"] == "县经信局"
    assert "索引号" not in doc.text


def test_no_converter_markers_or_site_footer_left(corpus_dir: Path) -> None:
    for path in sorted(corpus_dir.glob("*.txt")):
        doc = ingest_path(path, corpus_dir)
        assert "[bookmark:" not in doc.text and "[image:" not in doc.text, path.name
    footer = _doc(corpus_dir, "003").text
    assert "Copyright" not in footer and "ICP备" not in footer and "在线咨询" not in footer


def test_spans_point_into_clean_text(corpus_dir: Path) -> None:
    doc = _doc(corpus_dir, "002")
    for b in doc.blocks:
        assert doc.text[b.start : b.end] == b.text
        assert b.id == f"{doc.doc_id}:b{b.index:04d}"


def test_doc_id_depends_on_content_only() -> None:
    a = ingest_bytes("一、目标\n到2025年，产值达到10亿元。".encode(), "a.txt", ".txt")
    b = ingest_bytes("一、目标\n到2025年，产值达到10亿元。".encode(), "elsewhere/b.txt", ".txt")
    assert a.doc_id == b.doc_id and a.text == b.text


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_text_encodings(encoding: str) -> None:
    text = "关于推进制造业高质量发展的意见\n一、发展目标\n到2025年，规上工业增加值突破200亿元。"
    doc = ingest_bytes(text.encode(encoding), "x.txt", ".txt")
    assert "规上工业增加值突破200亿元" in doc.text
    assert [b.level for b in doc.blocks if b.kind == "heading"] == [1]


def test_indented_prose_is_not_a_table() -> None:
    text = "\t第一段，到2025年产值达到10亿元。\n\t第二段，新增企业5家。\n\t第三段。\n"
    doc = ingest_bytes(text.encode(), "x.txt", ".txt")
    assert not any(b.kind == "table" for b in doc.blocks)
    assert len([b for b in doc.blocks if b.kind == "paragraph"]) == 3
