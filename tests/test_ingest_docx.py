"""The .docx reader: body order, headings, merged and nested tables, hostile zips."""

from __future__ import annotations

import io
import re
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planextract.ingest import ingest_bytes
from planextract.ingest.docx import ZipLimits, format_number, read_docx
from planextract.ingest.errors import IngestError
from planextract.models import Document

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "raw" / "qingchuan_industry_plan.docx"


def build(fill: Callable[[docx.document.Document], None]) -> bytes:
    d = docx.Document()
    fill(d)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def ingest(data: bytes) -> Document:
    return ingest_bytes(data, "t.docx", ".docx")


def read(data: bytes, **kw: object) -> Document:
    return read_docx(data, Document(doc_id="t", path="t.docx", format="docx"), **kw)  # type: ignore[arg-type]


def tables(doc: Document) -> list[list[list[str]]]:
    return [b.table.rows for b in doc.blocks if b.table is not None]


# --------------------------------------------------------------------------
# Body order, headings, text
# --------------------------------------------------------------------------


def test_body_order_and_heading_levels() -> None:
    def fill(d: docx.document.Document) -> None:
        d.add_paragraph("前言", style="Heading 1")  # no number: the style gives the level
        d.add_paragraph("说明文字。")
        d.add_paragraph("一、总体要求", style="Heading 1")
        d.add_paragraph("（一）指导思想", style="Heading 2")
        t = d.add_table(rows=2, cols=2)
        t.cell(0, 0).text, t.cell(0, 1).text = "指标", "目标"
        t.cell(1, 0).text, t.cell(1, 1).text = "产值", "100"
        d.add_paragraph("（二）主要目标")  # numbered but unstyled: structure makes it a heading
        d.add_paragraph("到2025年，产值达到100亿元。")

    doc = ingest(build(fill))
    kinds = [(b.kind, b.level, b.text) for b in doc.blocks]
    assert kinds == [
        ("heading", 1, "前言"),
        ("paragraph", None, "说明文字。"),
        ("heading", 1, "一、总体要求"),
        ("heading", 2, "（一）指导思想"),
        ("table", None, "指标\t目标\n产值\t100"),
        ("heading", 2, "（二）主要目标"),
        ("paragraph", None, "到2025年，产值达到100亿元。"),
    ]
    assert doc.blocks[0].style == "Heading 1"
    assert doc.blocks[-1].section_path == ["一、总体要求", "（二）主要目标"]


def test_long_styled_paragraph_is_not_a_heading() -> None:
    text = "1.全面落实责任。各部门要加强协调，形成合力，确保各项任务按期完成，取得实效。"
    doc = ingest(build(lambda d: d.add_paragraph(text, style="Heading 3")))
    assert doc.blocks[0].kind == "paragraph"
    assert doc.blocks[0].text == text


def test_bookmarks_images_hidden_and_deleted_text_do_not_leak() -> None:
    def fill(d: docx.document.Document) -> None:
        p = d.add_paragraph()
        p._p.append(parse_xml(f'<w:bookmarkStart {nsdecls("w")} w:id="0" w:name="_Toc123"/>'))
        p.add_run("一、总体")
        hidden = p.add_run("隐藏文字")
        hidden.font.hidden = True
        deleted = '<w:r><w:delText>删除</w:delText></w:r>'
        p._p.append(parse_xml(f'<w:del {nsdecls("w")} w:id="1" w:author="x">{deleted}</w:del>'))
        p._p.append(parse_xml(f'<w:ins {nsdecls("w")} w:id="2" w:author="x"><w:r><w:t>要求</w:t></w:r></w:ins>'))
        p._p.append(parse_xml(f'<w:bookmarkEnd {nsdecls("w")} w:id="0"/>'))
        pic = d.add_paragraph()
        pic.add_run().add_picture(io.BytesIO(_png()))

    doc = ingest(build(fill))
    assert [b.text for b in doc.blocks] == ["一、总体要求"]
    assert "bookmark" not in doc.text and "image" not in doc.text


def test_table_of_contents_is_skipped() -> None:
    toc = (
        f'<w:sdt {nsdecls("w")}><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/>'
        "</w:docPartObj></w:sdtPr><w:sdtContent><w:p><w:r><w:t>一、总体要求 3</w:t></w:r></w:p>"
        "</w:sdtContent></w:sdt>"
    )

    def fill(d: docx.document.Document) -> None:
        d.element.body.insert(0, parse_xml(toc))
        d.add_paragraph("一、总体要求", style="Heading 1")

    doc = ingest(build(fill))
    assert [b.text for b in doc.blocks] == ["一、总体要求"]


def test_manual_line_breaks() -> None:
    def fill(d: docx.document.Document) -> None:
        p = d.add_paragraph("一、总体要求")
        p.add_run().add_break()
        p.add_run("到2025年，规上工业增加值突破200亿")
        p.add_run().add_break()
        p.add_run("元，年均增长6%左右。")

    doc = ingest(build(fill))
    assert [b.text for b in doc.blocks] == ["一、总体要求", "到2025年，规上工业增加值突破200亿元，年均增长6%左右。"]


NUMBERING = (
    f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/>'
    '<w:suff w:val="nothing"/></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/>'
    '<w:suff w:val="nothing"/></w:lvl>'
    '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>'
    "</w:abstractNum>"
)


def test_automatic_list_numbers_are_rendered() -> None:
    def fill(d: docx.document.Document) -> None:
        numbering = d.part.numbering_part.element
        numbering.insert(0, parse_xml(NUMBERING))
        numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
        for level, text in [(0, "总体要求"), (1, "指导思想"), (1, "主要目标"), (2, "产业规模"), (0, "重点任务"),
                            (1, "壮大产业")]:
            p = d.add_paragraph(text)
            num_pr = p._p.get_or_add_pPr().get_or_add_numPr()
            num_pr.get_or_add_ilvl().val = level
            num_pr.get_or_add_numId().val = 90

    doc = ingest(build(fill))
    assert [(b.level, b.text) for b in doc.blocks] == [
        (1, "一、总体要求"), (2, "（一）指导思想"), (2, "（二）主要目标"), (3, "1.产业规模"),
        (1, "二、重点任务"), (2, "（一）壮大产业"),
    ]


WPS_NUMBERING = (
    f'<w:abstractNum {nsdecls("w")} w:abstractNumId="91">'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/>'
    '<w:suff w:val="nothing"/></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/><w:isLgl/></w:lvl>'
    '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>'
    "</w:abstractNum>"
)


def test_wps_outline_numbers_written_as_text_too_are_not_doubled() -> None:
    """WPS Office keeps the list numbering and also types the number into the text."""
    def fill(d: docx.document.Document) -> None:
        numbering = d.part.numbering_part.element
        numbering.insert(0, parse_xml(WPS_NUMBERING))
        numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="91"><w:abstractNumId w:val="91"/></w:num>'))
        for level, text in [(0, "一、发展目标"), (1, "1.1\t产业规模"), (1, "　1.2 创新能力"),
                            (2, "1.5亿元专项资金全部到位。"), (0, "二、 保障措施")]:
            p = d.add_paragraph(text)
            num_pr = p._p.get_or_add_pPr().get_or_add_numPr()
            num_pr.get_or_add_ilvl().val = level
            num_pr.get_or_add_numId().val = 91

    doc = ingest(build(fill))
    assert [b.text for b in doc.blocks] == [
        "一、发展目标", "1.1 产业规模", "1.2 创新能力",
        "1.1.5亿元专项资金全部到位。",  # a number in the text that only starts like the label: the label stays
        "二、 保障措施",
    ]


@pytest.mark.parametrize(
    ("n", "fmt", "out"),
    [(3, "chineseCounting", "三"), (12, "chineseCounting", "十二"), (2, "decimalEnclosedCircle", "②"),
     (4, "upperRoman", "IV"), (27, "lowerLetter", "aa"), (3, "ideographTraditional", "丙"), (7, "decimal", "7")],
)
def test_format_number(n: int, fmt: str, out: str) -> None:
    assert format_number(n, fmt) == out


# --------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------


def test_merged_cells_are_resolved() -> None:
    def fill(d: docx.document.Document) -> None:
        t = d.add_table(rows=5, cols=5)
        header = t.cell(0, 3).merge(t.cell(0, 4))  # gridSpan
        for c, text in enumerate(["类别", "指标", "单位"]):
            t.cell(0, c).merge(t.cell(1, c)).text = text  # vMerge over two header rows
        header.text = "目标值"
        t.cell(1, 3).text, t.cell(1, 4).text = "2024年", "2025年"
        t.cell(2, 0).merge(t.cell(3, 0)).text = "经济"  # a category spanning two body rows
        for r, row in [(2, ["产值", "亿元", "180", "200"]), (3, ["企业", "户", "105", "120"])]:
            for c, text in enumerate(row, start=1):
                t.cell(r, c).text = text
        t.cell(4, 0).text, t.cell(4, 1).text = "绿色", "能耗"
        t.cell(4, 3).merge(t.cell(4, 4)).text = "累计降低8%"

    doc = ingest(build(fill))
    (table,) = [b.table for b in doc.blocks if b.table]
    assert table.rows == [
        ["类别", "指标", "单位", "目标值", "目标值"],
        ["类别", "指标", "单位", "2024年", "2025年"],
        ["经济", "产值", "亿元", "180", "200"],
        ["经济", "企业", "户", "105", "120"],
        ["绿色", "能耗", "", "累计降低8%", "累计降低8%"],
    ]
    assert table.header_rows == 2
    assert table.header[3:] == ["目标值2024年", "目标值2025年"]


def test_grid_before_and_repeated_header_rows() -> None:
    def fill(d: docx.document.Document) -> None:
        t = d.add_table(rows=3, cols=3)
        for r in range(3):
            for c in range(3):
                t.cell(r, c).text = f"{r}{c}"
        t.rows[0]._tr.get_or_add_trPr().append(parse_xml(f'<w:tblHeader {nsdecls("w")}/>'))
        tr = t.rows[2]._tr  # the last row starts one grid column in and has two cells
        tr.remove(tr.tc_lst[0])
        tr.get_or_add_trPr().append(parse_xml(f'<w:gridBefore {nsdecls("w")} w:val="1"/>'))

    (rows,) = tables(ingest(build(fill)))
    assert rows == [["00", "01", "02"], ["10", "11", "12"], ["", "21", "22"]]


def test_nested_table_is_flattened_into_its_cell() -> None:
    def fill(d: docx.document.Document) -> None:
        t = d.add_table(rows=2, cols=2)
        t.cell(0, 0).text, t.cell(0, 1).text = "项目", "内容"
        t.cell(1, 0).text = "园区"
        cell = t.cell(1, 1)
        cell.text = "分期建设："
        inner = cell.add_table(rows=2, cols=2)
        for r, row in enumerate([["一期", "厂房"], ["二期", "仓储"]]):
            for c, text in enumerate(row):
                inner.cell(r, c).text = text

    doc = ingest(build(fill))
    assert tables(doc) == [[["项目", "内容"], ["园区", "分期建设：\n一期 厂房\n二期 仓储"]]]


def test_single_column_layout_table_is_unwrapped() -> None:
    def fill(d: docx.document.Document) -> None:
        frame = d.add_table(rows=1, cols=1)
        cell = frame.cell(0, 0)
        cell.paragraphs[0].text = "一、总体要求"
        cell.add_paragraph("到2025年，产值达到100亿元。")
        inner = cell.add_table(rows=2, cols=2)
        for r, row in enumerate([["指标", "目标"], ["产值", "100"]]):
            for c, text in enumerate(row):
                inner.cell(r, c).text = text

    doc = ingest(build(fill))
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("heading", "一、总体要求"),
        ("paragraph", "到2025年，产值达到100亿元。"),
        ("table", "指标\t目标\n产值\t100"),
    ]


# --------------------------------------------------------------------------
# Hostile input
# --------------------------------------------------------------------------


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _docx_members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def test_zip_bomb_ratio_is_refused_before_expanding() -> None:
    members = _docx_members(SAMPLE.read_bytes())
    members["word/media/bomb.bin"] = b"\0" * (8 * 1024 * 1024)  # ~1000:1
    with pytest.raises(IngestError) as e:
        ingest(_zip(members))
    assert e.value.error_type == "zip_bomb"
    assert "expands" in e.value.message


def test_zip_total_size_cap_is_configurable() -> None:
    data = SAMPLE.read_bytes()
    assert read(data).blocks  # fine with the defaults
    with pytest.raises(IngestError) as e:
        read(data, limits=ZipLimits(max_total_bytes=10_000))
    assert e.value.error_type == "zip_bomb"


def test_zip_total_size_cap_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANEXTRACT_DOCX_MAX_MB", "0.01")
    with pytest.raises(IngestError) as e:
        ingest(SAMPLE.read_bytes())
    assert e.value.error_type == "zip_bomb" and "limit 10,485" in e.value.message


def test_declared_sizes_are_checked_not_trusted_to_be_small() -> None:
    """A central directory that declares a huge member is refused without inflating anything."""
    data = bytearray(_zip({"word/document.xml": b"<x/>", "[Content_Types].xml": b"<x/>"}))
    cd = data.rfind(b"PK\x01\x02", 0)  # the last central directory entry
    struct.pack_into("<I", data, cd + 24, 3 * 1024**3)  # uncompressed size: 3 GiB
    with pytest.raises(IngestError) as e:
        ingest(bytes(data))
    assert e.value.error_type == "zip_bomb"


def test_truncated_zip() -> None:
    data = SAMPLE.read_bytes()
    with pytest.raises(IngestError) as e:
        ingest(data[: len(data) // 2])
    assert e.value.error_type == "truncated_zip"
    assert e.value.message.startswith("truncated zip archive")


@pytest.mark.parametrize(
    ("members", "hint"),
    [({"hello.txt": b"hi"}, "ordinary zip"), ({"xl/workbook.xml": b"<x/>"}, "Excel")],
)
def test_zip_without_word_document(members: dict[str, bytes], hint: str) -> None:
    with pytest.raises(IngestError) as e:
        ingest(_zip(members))
    assert e.value.error_type == "not_docx"
    assert "word/document.xml" in e.value.message and hint in e.value.message


def test_entity_declarations_are_refused() -> None:
    members = _docx_members(SAMPLE.read_bytes())
    lol = (
        b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    )
    members["word/document.xml"] = lol + members["word/document.xml"].split(b"?>", 1)[1]
    with pytest.raises(IngestError) as e:
        ingest(_zip(members))
    assert e.value.error_type == "unsafe_xml"


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504


def test_ole_file_named_docx_says_what_it_is() -> None:
    with pytest.raises(IngestError) as e:
        ingest(OLE + b"WordDocument".decode().encode("utf-16-le"))
    assert e.value.error_type == "legacy_doc"
    assert "named .docx" in e.value.message and "save it as .docx" in e.value.message


def test_encrypted_docx_in_ole_container() -> None:
    with pytest.raises(IngestError) as e:
        ingest(OLE + "EncryptionInfo".encode("utf-16-le") + "EncryptedPackage".encode("utf-16-le"))
    assert e.value.error_type == "encrypted_docx"
    assert "password" in e.value.message


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000))
def test_random_bytes_never_crash(junk: bytes) -> None:
    for data in (junk, b"PK\x03\x04" + junk):
        try:
            read(data)
        except IngestError:
            pass


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), min_size=1, max_size=8))
def test_damaged_docx_never_crashes(flips: list[tuple[int, int]]) -> None:
    data = bytearray(SAMPLE.read_bytes())
    for pos, value in flips:
        data[pos % len(data)] = value
    try:
        read(bytes(data))
    except IngestError:
        pass


PARTS = ["word/document.xml", "word/styles.xml", "word/numbering.xml", "[Content_Types].xml",
         "word/_rels/document.xml.rels"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(PARTS), st.integers(min_value=0), st.integers(0, 60), st.binary(max_size=40))
def test_damaged_xml_parts_never_crash(part: str, pos: int, cut: int, insert: bytes) -> None:
    """Broken XML inside an intact zip (missing parts, bad markup) -> IngestError or a Document."""
    members = _docx_members(SAMPLE.read_bytes())
    xml = members[part]
    at = pos % len(xml)
    members[part] = xml[:at] + insert + xml[at + cut :]
    try:
        read(_zip(members))
    except IngestError:
        pass


def _png() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 0, 0)).save(buf, format="PNG")
    return buf.getvalue()


# --------------------------------------------------------------------------
# The package: only the parts the reader uses are parsed
# --------------------------------------------------------------------------


def test_macro_enabled_word_file_is_refused_with_its_content_type() -> None:
    members = _docx_members(SAMPLE.read_bytes())
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        b"application/vnd.ms-word.document.macroEnabled.main+xml",
    )
    with pytest.raises(IngestError) as e:
        ingest(_zip(members))
    assert e.value.error_type == "not_docx" and "macro-enabled" in e.value.message


def test_a_docx_without_styles_or_numbering_parts_is_read() -> None:
    members = _docx_members(SAMPLE.read_bytes())
    for name in ("word/styles.xml", "word/numbering.xml"):
        members.pop(name, None)
    rels = members["word/_rels/document.xml.rels"].decode()
    rels = re.sub(r'<Relationship [^>]*Target="(?:styles|numbering)\.xml"[^>]*/>', "", rels)
    members["word/_rels/document.xml.rels"] = rels.encode()
    doc = ingest(_zip(members))
    assert any(b.kind == "paragraph" for b in doc.blocks)


def test_a_broken_styles_part_is_ignored_like_word_does() -> None:
    members = _docx_members(SAMPLE.read_bytes())
    members["word/styles.xml"] = b"<w:styles"  # not XML
    assert ingest(_zip(members)).blocks


def test_documents_sharing_a_template_share_one_parsed_styles_part() -> None:
    from planextract.ingest import docx as reader

    reader._STYLES_SEEN.clear()
    ingest(SAMPLE.read_bytes())
    ingest(SAMPLE.read_bytes())
    assert len(reader._STYLES_SEEN) == 1
