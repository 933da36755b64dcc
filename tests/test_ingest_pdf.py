"""The PDF reader: pages, furniture, paragraphs, tables on both engines, hostile files."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planextract.ingest import ingest_bytes, pdf
from planextract.ingest.errors import IngestError
from planextract.ingest.layout import guess_header_rows, join_cell_lines, join_wrapped
from planextract.models import Document

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "raw" / "qingchuan_digital_economy.pdf"
HEADER = "青川县数字经济发展规划（2023—2027年）"


def read(data: bytes, engine: pdf.Engine = "pdfium", finder: pdf.TableFinder = "pdfium") -> Document:
    options = pdf.PdfOptions(engine=engine, table_finder=finder)
    return pdf.read_pdf(data, Document(doc_id="t", path="t.pdf", format="pdf"), options)


def tables_of(doc: Document) -> list[tuple[int | None, list[list[str]]]]:
    return [(b.page, b.table.rows) for b in doc.blocks if b.table is not None]


def all_readers(data: bytes) -> dict[str, Document]:
    """The fast table finder, the old path (pdfplumber's finder on PDFium text) and pdfplumber alone."""
    return {"fast": read(data), "old": read(data, finder="pdfplumber"), "plumber": read(data, "pdfplumber")}


@pytest.fixture(scope="module")
def sample() -> Document:
    return ingest_bytes(SAMPLE.read_bytes(), SAMPLE.name, ".pdf")


def block(doc: Document, start: str) -> object:
    hits = [b for b in doc.blocks if b.text.startswith(start)]
    assert len(hits) == 1, (start, [b.text[:20] for b in hits])
    return hits[0]


# --------------------------------------------------------------------------
# The sample: pages, furniture, paragraphs
# --------------------------------------------------------------------------


def test_every_block_has_its_page(sample: Document) -> None:
    assert sample.pages == 3
    assert all(b.page in (1, 2, 3) for b in sample.blocks)
    assert block(sample, "一、发展现状").page == 1
    assert block(sample, "（三）培育数字产业集群").page == 2
    assert block(sample, "（六）实施数字经济重点项目").page == 3
    assert [b.page for b in sample.blocks] == sorted(b.page for b in sample.blocks)


def test_running_header_and_page_numbers_are_removed(sample: Document) -> None:
    texts = [b.text for b in sample.blocks]
    assert texts.count(HEADER) == 1  # the title stays, the header above it on each page goes
    assert texts[0] == HEADER
    assert not any(t.startswith("- ") and t.endswith(" -") for t in texts)
    assert "- 2 -" not in sample.text


def test_wrapped_lines_join_into_paragraphs_across_pages(sample: Document) -> None:
    para = block(sample, "实施中小企业数字化赋能行动")
    assert para.page == 1  # it starts at the foot of page 1 ...
    assert para.text.endswith("（责任单位：县经信局、县农业农村局、县商务局）")  # ... and ends on page 2
    assert "6.7亿元" in block(sample, "围绕数字基础设施").text  # a number wrapped mid-way is whole again
    assert block(sample, "近年来，全县深入实施").text.endswith("带动农户增收效果明显。")


def test_headings_stay_on_their_own(sample: Document) -> None:
    headings = [(b.level, b.text) for b in sample.blocks if b.kind == "heading"]
    assert headings[:4] == [
        (1, "一、发展现状"), (1, "二、发展目标"), (1, "三、主要任务"), (2, "（一）夯实数字基础设施"),
    ]
    assert len(headings) == 13  # 4 parts, 9 sections


def test_tables_resolve_merges_and_keep_text_out_of_paragraphs(sample: Document) -> None:
    tables = [b.table for b in sample.blocks if b.table is not None]
    assert [t.caption for t in tables] == ["表1 数字经济发展主要指标", "表2 数字经济重点项目"]
    targets, projects = tables
    assert targets.rows[0] == ["指标名称", "单位", "2022年", "目标值", "目标值", "属性"]
    assert targets.rows[1] == ["指标名称", "单位", "2022年", "2025年", "2027年", "属性"]
    assert targets.header_rows == 2
    assert (projects.n_rows, projects.n_cols) == (5, 7)
    assert projects.rows[0][4] == "总投资（万元）"  # a header cell wrapped over two lines
    assert projects.rows[1][1:4] == ["县城市大数据中心", "乔庄镇", "建设机房及配套设施，部署服务器机柜200个"]
    paragraphs = " ".join(b.text for b in sample.blocks if b.kind != "table")
    assert "县城市大数据中心" not in paragraphs and "预期性" not in paragraphs


def test_fast_and_slow_paths_find_the_same_tables() -> None:
    docs = all_readers(SAMPLE.read_bytes())
    fast = docs.pop("fast")
    assert len(tables_of(fast)) == 2
    for slow in docs.values():
        assert tables_of(fast) == tables_of(slow)
        assert [b.text for b in fast.blocks] == [b.text for b in slow.blocks]


def test_fast_finder_searches_only_ruled_pages_and_needs_no_pdfminer(monkeypatch: pytest.MonkeyPatch) -> None:
    searched: list[int] = []  # the number of paths on each page searched
    real = pdf._pdfium_tables

    def spy(paths: list[Any], textpage: Any, frame: Any, runs: Any = None) -> list[pdf.PageTable]:
        searched.append(len(paths))
        return real(paths, textpage, frame, runs)

    def no_plumber(page: object) -> list[pdf.PageTable]:
        raise AssertionError("pdfplumber's find_tables ran")

    monkeypatch.setattr(pdf, "_pdfium_tables", spy)
    monkeypatch.setattr(pdf, "_find_tables", no_plumber)
    doc = read(SAMPLE.read_bytes())
    assert len(searched) == 2  # pages 1 and 3; page 2 is prose only
    assert min(searched) >= pdf.DEFAULT_OPTIONS.min_paths_for_tables
    assert [p for p, _ in tables_of(doc)] == [1, 3]


def test_old_path_searches_only_ruled_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    searched: list[int] = []
    real = pdf._find_tables

    def spy(page: object) -> list[pdf.PageTable]:
        searched.append(page.page_number)  # type: ignore[attr-defined]
        return real(page)

    monkeypatch.setattr(pdf, "_find_tables", spy)
    read(SAMPLE.read_bytes(), finder="pdfplumber")
    assert searched == [1, 3]


def test_pdfplumber_finds_the_tables_when_pdfium_cannot_read_the_geometry(monkeypatch: pytest.MonkeyPatch) -> None:
    import pypdfium2 as pdfium

    expected = tables_of(read(SAMPLE.read_bytes()))

    def broken(*args: object) -> list[pdf.PageTable]:
        raise pdfium.PdfiumError("unreadable path")

    monkeypatch.setattr(pdf, "_pdfium_tables", broken)
    doc = read(SAMPLE.read_bytes())
    assert tables_of(doc) == expected
    assert not doc.warnings


def _long_table_pdf() -> bytes:
    """An ASCII document (core font, no CJK font needed) whose table runs over two pages."""
    from fpdf import FPDF

    class Doc(FPDF):
        def footer(self) -> None:
            self.set_y(-15)
            self.cell(0, 8, f"Page {self.page_no()} of {{nb}}", align="C")

    doc = Doc()
    doc.set_font("Helvetica", size=11)
    doc.add_page()
    doc.multi_cell(0, 8, "Annex 1 Project list", new_x="LMARGIN", new_y="NEXT")
    with doc.table(repeat_headings=1) as table:
        for row in [["No", "Project", "Investment"]] + [[str(i), f"Project {i}", str(100 * i)] for i in range(1, 61)]:
            table.row(row)
    doc.multi_cell(0, 8, "The end.", new_x="LMARGIN", new_y="NEXT")
    return bytes(doc.output())


@pytest.mark.parametrize(
    ("engine", "finder"), [("pdfium", "pdfium"), ("pdfium", "pdfplumber"), ("pdfplumber", "pdfium")]
)
def test_table_running_over_pages_is_one_table(engine: pdf.Engine, finder: pdf.TableFinder) -> None:
    doc = read(_long_table_pdf(), engine, finder)
    assert doc.pages == 2
    (table,) = [b for b in doc.blocks if b.table is not None]
    assert table.page == 1
    assert table.table.rows[0] == ["No", "Project", "Investment"]  # the header repeated on page 2 dropped
    assert [r[0] for r in table.table.rows[1:]] == [str(i) for i in range(1, 61)]
    assert [b.text for b in doc.blocks if b.table is None] == ["Annex 1 Project list", "The end."]


# --------------------------------------------------------------------------
# Generated tables: the fast finder against pdfplumber and the known cells
# --------------------------------------------------------------------------


def _fpdf() -> Any:
    from fpdf import FPDF

    doc = FPDF()
    doc.set_font("Helvetica", size=10)
    doc.add_page()
    return doc


def _merged_cells_pdf() -> bytes:
    doc = _fpdf()
    doc.multi_cell(0, 8, "Table 1 Targets", new_x="LMARGIN", new_y="NEXT")
    with doc.table(num_heading_rows=2) as table:
        head = table.row()
        head.cell("Indicator", rowspan=2)
        head.cell("Unit", rowspan=2)
        head.cell("Target", colspan=2)
        sub = table.row()
        sub.cell("2025")
        sub.cell("2027")
        for name, unit, a, b in [("GDP", "bn", "120", "150"), ("Output", "%", "8", "9")]:
            table.row([name, unit, a, b])
    doc.multi_cell(0, 8, "After the table.", new_x="LMARGIN", new_y="NEXT")
    return bytes(doc.output())


def _thin_rect_rules_pdf() -> bytes:
    """A grid ruled with thin filled rectangles (how many word processors draw borders)."""
    doc = _fpdf()
    xs, ys, w = [20, 60, 110, 150], [30, 40, 50, 60], 0.3
    for y in ys:
        doc.rect(xs[0], y, xs[-1] - xs[0], w, style="F")
    for x in xs:
        doc.rect(x, ys[0], w, ys[-1] - ys[0], style="F")
    for r, y in enumerate(ys[:-1]):
        for c, x in enumerate(xs[:-1]):
            doc.set_xy(x + 1, y + 1)
            doc.cell(xs[c + 1] - x - 2, 8, f"r{r}c{c}")
    return bytes(doc.output())


def _in_form_xobject(data: bytes) -> bytes:
    """The first page of `data` drawn as a Form XObject, scaled and moved, on a new page."""
    import pypdfium2 as pdfium

    src, dest = pdfium.PdfDocument(data), pdfium.PdfDocument.new()
    page = dest.new_page(595, 842)
    form = src.page_as_xobject(0, dest).as_pageobject()
    form.set_matrix(pdfium.PdfMatrix().scale(0.8, 0.8).translate(40, 60))
    page.insert_obj(form)
    page.gen_content()
    buf = io.BytesIO()
    dest.save(buf)
    return buf.getvalue()


def test_merged_cells_are_repeated_by_every_reader() -> None:
    for name, doc in all_readers(_merged_cells_pdf()).items():
        (table,) = [b.table for b in doc.blocks if b.table is not None]
        assert table.rows == [
            ["Indicator", "Unit", "Target", "Target"],
            ["Indicator", "Unit", "2025", "2027"],
            ["GDP", "bn", "120", "150"],
            ["Output", "%", "8", "9"],
        ], name
        assert [b.text for b in doc.blocks if b.table is None] == ["Table 1 Targets", "After the table."], name


def test_rules_drawn_as_thin_rectangles() -> None:
    docs = all_readers(_thin_rect_rules_pdf())
    expected = [[f"r{r}c{c}" for c in range(3)] for r in range(3)]
    for name, doc in docs.items():
        assert [rows for _, rows in tables_of(doc)] == [expected], name


def test_table_inside_a_form_xobject() -> None:
    """A path's matrix is relative to its form: the fast finder chains the matrices as pdfminer does."""
    data = _in_form_xobject(_merged_cells_pdf())
    docs = all_readers(data)
    assert tables_of(docs["fast"]) == tables_of(docs["plumber"]) == tables_of(docs["old"])
    assert tables_of(docs["fast"])[0][1][2] == ["GDP", "bn", "120", "150"]


_WORD = st.text(alphabet="abcdefghjkmnpqrstuvwxyz0123456789%.", min_size=1, max_size=7)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(2, 5).flatmap(lambda cols: st.lists(st.lists(_WORD, min_size=cols, max_size=cols),
                                                        min_size=2, max_size=6)))
def test_random_grids_read_back_the_same_by_both_finders(rows: list[list[str]]) -> None:
    doc = _fpdf()
    with doc.table(first_row_as_headings=False) as table:
        for row in rows:
            table.row(row)
    data = bytes(doc.output())
    fast, old = read(data), read(data, finder="pdfplumber")
    assert tables_of(fast) == tables_of(old) == [(1, rows)]


# --------------------------------------------------------------------------
# Hostile and unreadable files
# --------------------------------------------------------------------------


def _encrypted(user: str, owner: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(SAMPLE.read_bytes())))
    writer.encrypt(user_password=user, owner_password=owner)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


@pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])
def test_encrypted_pdf(engine: pdf.Engine) -> None:
    with pytest.raises(IngestError) as e:
        read(_encrypted("secret", "owner"), engine)
    assert e.value.error_type == "encrypted_pdf"
    assert e.value.message == "encrypted PDF: a password is needed"


def test_owner_password_only_pdf_is_read() -> None:
    """Permissions-only encryption (an empty user password) needs no password to read."""
    doc = read(_encrypted("", "owner"))
    assert any(b.text == "一、发展现状" for b in doc.blocks)


def _image_pdf(pages: int) -> bytes:
    from fpdf import FPDF
    from PIL import Image

    doc = FPDF()
    for _ in range(pages):
        doc.add_page()
        doc.image(Image.new("L", (60, 80), 200), x=10, y=10, w=150)
    return bytes(doc.output())


@pytest.fixture
def no_ocr(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if the OCR extra were not installed."""
    monkeypatch.setattr(pdf.ocr, "available", lambda: False)


def test_scanned_pdf_without_the_ocr_extra_says_how_to_install_it(no_ocr: None) -> None:
    with pytest.raises(IngestError) as e:
        ingest_bytes(_image_pdf(2), "scan.pdf", ".pdf")
    assert e.value.error_type == "scanned_pdf"
    assert e.value.message == (
        "scanned PDF: no text layer on 2 of 2 pages, needs OCR: install OCR with: pip install 'planextract[ocr]'"
    )


def test_scanned_pdf_with_ocr_off_says_so() -> None:
    with pytest.raises(IngestError) as e:
        ingest_bytes(_image_pdf(2), "scan.pdf", ".pdf", ocr="off")
    assert e.value.error_type == "scanned_pdf"
    assert "OCR is off" in e.value.message


def test_blank_scan_read_by_ocr_says_ocr_found_nothing() -> None:
    with pytest.raises(IngestError) as e:
        ingest_bytes(_image_pdf(1), "scan.pdf", ".pdf")
    assert e.value.error_type == "scanned_pdf"
    assert e.value.message == "scanned PDF: OCR read no text on 1 of 1 pages (blank or unreadable)"


def test_partly_scanned_pdf_warns_with_page_numbers(no_ocr: None) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for data in (SAMPLE.read_bytes(), _image_pdf(1)):
        writer.append(PdfReader(io.BytesIO(data)))
    buf = io.BytesIO()
    writer.write(buf)
    doc = ingest_bytes(buf.getvalue(), "mixed.pdf", ".pdf")
    assert doc.pages == 4
    assert any("page(s) 4 of 4" in w and "OCR" in w for w in doc.warnings)


GARBAGE = b"%PDF-1.7\n" + bytes(range(256)) * 8

CYCLIC = b"""%PDF-1.4
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >> endobj
3 0 obj << /Type /Pages /Kids [2 0 R] /Parent 2 0 R /Count 1 >> endobj
trailer << /Root 1 0 R >>
%%EOF
"""


@pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])
@pytest.mark.parametrize("data", [GARBAGE, CYCLIC, b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF"])
def test_broken_pdf_is_corrupt_pdf(data: bytes, engine: pdf.Engine) -> None:
    with pytest.raises(IngestError) as e:
        read(data, engine)
    assert e.value.error_type == "corrupt_pdf"


def test_truncated_pdf_is_an_error_or_a_partial_document() -> None:
    data = SAMPLE.read_bytes()
    try:
        doc = read(data[: len(data) * 2 // 3])
    except IngestError as e:
        assert e.error_type in {"corrupt_pdf", "scanned_pdf"}
    else:
        assert doc.pages is not None


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_random_bytes_never_crash(junk: bytes) -> None:
    for data in (junk, b"%PDF-1.4\n" + junk):
        try:
            read(data)
        except IngestError:
            pass


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), min_size=1, max_size=10))
def test_damaged_pdf_never_crashes(flips: list[tuple[int, int]]) -> None:
    data = bytearray(SAMPLE.read_bytes())
    for pos, value in flips:
        data[pos % len(data)] = value
    try:
        read(bytes(data))
    except IngestError:
        pass


# --------------------------------------------------------------------------
# Small parts
# --------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["- 3 -", "— 12 —", "3", "第 3 页", "第3页 共14页", "3/14", "Page 3 of 14"])
def test_page_number_lines(text: str) -> None:
    assert pdf._PAGE_NUMBER.match(text)


@pytest.mark.parametrize("text", ["2025年", "一、总体要求", "3.5亿元", "表3"])
def test_not_page_numbers(text: str) -> None:
    assert not pdf._PAGE_NUMBER.match(text)


def test_join_wrapped() -> None:
    assert join_wrapped("规上工业增加值突破200亿", "元，年均增长") == "规上工业增加值突破200亿元，年均增长"
    assert join_wrapped("the digital", "economy") == "the digital economy"
    assert join_wrapped("总投资约6.", "7亿元") == "总投资约6.7亿元"
    assert join_wrapped("单位地区生产总值GD", "P能耗下降") == "单位地区生产总值GDP能耗下降"  # a word in Chinese text
    assert join_wrapped("建设5", "G基站") == "建设5G基站"
    assert join_wrapped("发展 the digital", "economy 产业") == "发展 the digital economy 产业"
    assert join_cell_lines("总投资（万\n元）") == "总投资（万元）"


def test_guess_header_rows() -> None:
    two = [["指标", "目标值", "目标值"], ["指标", "2024年", "2025年"], ["产值", "1", "2"]]
    assert guess_header_rows(two) == 2
    assert guess_header_rows([["类别", "指标"], ["经济", "产值"], ["经济", "税收"]]) == 1
