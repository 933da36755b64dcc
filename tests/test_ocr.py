"""OCR of scanned PDF pages (the ocr extra: rapidocr + onnxruntime, which `make test` installs).

The scans are made here: a page of Chinese text drawn with the dev extra's
font, rendered to a grey image by PDFium and placed on an empty page.
"""

from __future__ import annotations

import io

import pytest

from planextract.extract import extract_document
from planextract.ingest import ingest_bytes, ocr, pdf
from planextract.ingest.errors import IngestError
from test_pdf_layout import FULL, draw, flow, render_corpus

LINES = ["一、发展目标", "  到2025年，全县地区生产总值达到600亿元，年均", "增长7%以上。", "二、重点任务",
         "  新建高标准农田5万亩。"]


def scan(data: bytes) -> bytes:
    rc = render_corpus()
    return rc.render_scan(data, rc.Style(size=12, indent_spaces=False, justify=False, skew=0.0))


@pytest.fixture(scope="module")
def scanned() -> bytes:
    return scan(draw([flow(LINES)]))


def test_the_ocr_extra_is_installed() -> None:
    assert ocr.available(), "make test installs the ocr extra: pip install -e '.[dev,ocr]'"


def test_a_scanned_page_is_read_by_ocr_with_its_confidence(scanned: bytes) -> None:
    doc = ingest_bytes(scanned, "scan.pdf", ".pdf")
    assert [b.text for b in doc.blocks] == [
        "一、发展目标", "到2025年，全县地区生产总值达到600亿元，年均增长7%以上。", "二、重点任务", "新建高标准农田5万亩。",
    ]
    assert all(b.ocr and b.ocr_confidence is not None and 0.5 < b.ocr_confidence <= 1 for b in doc.blocks)


def test_records_read_from_ocr_blocks_say_so(scanned: bytes) -> None:
    result = extract_document(ingest_bytes(scanned, "scan.pdf", ".pdf"))
    assert {(t.value, t.unit) for t in result.targets} >= {(600.0, "亿元"), (7.0, "%"), (5.0, "万亩")}
    assert all(t.ocr and t.ocr_confidence is not None for t in result.targets)
    assert all(b.ocr for b in result.blocks)


def test_a_text_layer_is_not_read_by_ocr_unless_forced(monkeypatch: pytest.MonkeyPatch) -> None:
    data = draw([flow([FULL, "完成年度目标任务。"])])
    monkeypatch.setattr(ocr, "read_page", lambda page: pytest.fail("OCR ran on a page with a text layer"))
    doc = ingest_bytes(data, "t.pdf", ".pdf")
    assert not any(b.ocr for b in doc.blocks)
    monkeypatch.undo()
    forced = ingest_bytes(data, "t.pdf", ".pdf", ocr="force")
    assert all(b.ocr for b in forced.blocks) and "完成年度目标任务" in forced.text


def test_a_garbled_text_layer_is_read_by_ocr() -> None:
    page = pdf.Page(number=1, height=842, lines=[pdf.Line("\ufffd\x03\ue001" * 10, 72, 400, 100, 112)])
    assert pdf._garbled(page)
    assert not pdf._garbled(pdf.Page(number=1, height=842, lines=[pdf.Line(FULL, 72, 400, 100, 112)]))


def test_a_long_ocr_prints_progress(scanned: bytes, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for _ in range(2):
        writer.append(PdfReader(io.BytesIO(scanned)))
    buf = io.BytesIO()
    writer.write(buf)
    monkeypatch.setattr(ocr, "PROGRESS_EVERY", 0.0)
    ingest_bytes(buf.getvalue(), "two-pages.pdf", ".pdf")
    assert "OCR two-pages.pdf: page 1 of 2" in capsys.readouterr().err


def test_without_the_extra_a_scan_is_an_error_that_says_how_to_install_it(
        scanned: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr, "available", lambda: False)
    with pytest.raises(IngestError) as e:
        ingest_bytes(scanned, "scan.pdf", ".pdf")
    assert e.value.error_type == "scanned_pdf"
    assert "pip install 'planextract[ocr]'" in e.value.message


@pytest.mark.parametrize(("raw", "clean"), [
    ("(一)加快 产业升级,推动转型", "（一）加快产业升级，推动转型"),
    ("增长 5.5% ,规模 12 亿元", "增长5.5%，规模12亿元"),
    ("GDP growth 5%", "GDP growth 5%"),
])
def test_ocr_text_gets_chinese_punctuation_back(raw: str, clean: str) -> None:
    assert ocr.normalise(raw) == clean


def test_a_ruled_table_on_a_scan_is_a_table() -> None:
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    doc = FPDF(format="A4", unit="pt")
    doc.add_font("cjk", fname=render_corpus().find_font())
    doc.set_font("cjk", size=12)
    doc.add_page()
    doc.text(72, 90, "表1 主要指标")
    doc.set_y(110)
    rows = [["指标", "单位", "目标值"], ["地区生产总值", "亿元", "600"], ["新增规上企业", "家", "30"]]
    with doc.table(headings_style=FontFace(emphasis=""), line_height=20) as table:
        for row in rows:
            cells = table.row()
            for text in row:
                cells.cell(text)
    read = ingest_bytes(scan(bytes(doc.output())), "scan.pdf", ".pdf")
    (block,) = [b for b in read.blocks if b.table is not None]
    assert block.table.rows == rows and block.ocr
