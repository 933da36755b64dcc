"""PDF layout: paragraphs from wrapped lines, columns, turned text, furniture, continued tables.

Pages are drawn line by line at chosen positions (fpdf2, the Noto Sans CJK
font of the dev extra), so each test sets exactly the geometry it is about.
"""

from __future__ import annotations

import importlib.util
import io
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planextract.ingest import ingest_bytes, pdf
from planextract.ingest.layout import unbreakable
from planextract.models import Document

REPO = Path(__file__).resolve().parents[1]
SIZE = 12.0  # points: one character is 12 pt wide
LEFT = 72.0
WIDTH = 30 * SIZE  # a column of 30 characters
PITCH = 20.0


@lru_cache(maxsize=1)
def render_corpus() -> Any:
    spec = importlib.util.spec_from_file_location("render_corpus", REPO / "scripts" / "render_corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["render_corpus"] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


Placed = tuple[float, float, str]  # x, baseline y from the top, text


def draw(pages: list[list[Placed]], turn: int = 0) -> bytes:
    from fpdf import FPDF

    doc = FPDF(format="A4", unit="pt")
    doc.add_font("cjk", fname=render_corpus().find_font())
    doc.set_font("cjk", size=SIZE)
    for placed in pages:
        doc.add_page()
        if turn:
            with doc.rotation(turn, x=doc.w / 2, y=doc.h / 2):
                for x, y, text in placed:
                    doc.text(x, y, text)
        else:
            for x, y, text in placed:
                doc.text(x, y, text)
    return bytes(doc.output())


def flow(lines: list[str], top: float = 120.0, x: float = LEFT) -> list[Placed]:
    """Lines one under the other; a line starting with two spaces of indent is moved right two characters."""
    out = []
    for i, line in enumerate(lines):
        indent = 2 * SIZE if line.startswith("  ") else 0.0
        out.append((x + indent, top + i * PITCH, line.strip()))
    return out


def read(data: bytes, **options: Any) -> Document:
    return pdf.read_pdf(data, Document(doc_id="t", path="t.pdf", format="pdf"), pdf.PdfOptions(**options))


def texts(data: bytes) -> list[str]:
    return [b.text for b in read(data).blocks]


FULL = "全市上下坚持稳中求进工作总基调，推动经济运行持续向好发展态，"  # 30 characters: a line full to the edge
assert len(FULL) == 30


# --------------------------------------------------------------------------
# 1. paragraphs from wrapped lines
# --------------------------------------------------------------------------


def test_a_full_line_goes_on_and_a_short_line_ends_its_paragraph() -> None:
    data = draw([flow(["  " + FULL[:28], FULL, "完成年度目标任务。", "  新的一段从缩进开始。"])])
    assert texts(data) == [FULL[:28] + FULL + "完成年度目标任务。", "新的一段从缩进开始。"]


def test_an_indented_line_starts_a_paragraph_even_after_a_full_line() -> None:
    data = draw([flow([FULL, "  第二段缩进两个字符开始。"])])
    assert texts(data) == [FULL, "第二段缩进两个字符开始。"]


def test_a_blank_line_ends_a_paragraph() -> None:
    lines = flow([FULL, FULL])
    gap = [(LEFT, lines[-1][1] + 2.5 * PITCH, "间隔一行之后的另一段文字。")]
    assert texts(draw([lines + gap])) == [FULL + FULL, "间隔一行之后的另一段文字。"]


def test_a_heading_or_numbered_item_starts_a_block() -> None:
    data = draw([flow([FULL, "（二）推进产业转型升级", FULL, "1.实施技术改造项目。"])])
    assert texts(data) == [FULL, "（二）推进产业转型升级", FULL, "1.实施技术改造项目。"]


@pytest.mark.parametrize(("first", "second"), [
    ("年内安排市级财政资金1053", ".8亿元用于基础设施建设。"),
    ("新增高标准农田30", "万亩，粮食产量稳定。"),
    ("认真贯彻《关于推动制造业", "高质量发展的实施意见》精神。"),
])
def test_a_number_its_unit_or_a_title_is_never_split(first: str, second: str) -> None:
    # The first line stops short of the edge (as if the layout had pushed the rest down):
    # the paragraph still goes on, because a number or a 《title》 cannot end there.
    data = draw([flow(["  " + first, second])])
    assert texts(data) == [first + second]


@given(st.from_regex(r"[1-9]\d{0,4}(\.\d{1,2})?", fullmatch=True), st.sampled_from(["亿元", "万亩", "%", "个"]))
@settings(max_examples=60, deadline=None)
def test_unbreakable_joins_every_digit_break(number: str, unit: str) -> None:
    for cut in range(1, len(number)):
        assert unbreakable("达到" + number[:cut], number[cut:] + unit)
    assert unbreakable("达到" + number, unit + "以上")


def test_unbreakable_leaves_sentences_alone() -> None:
    assert not unbreakable("目标任务全面完成。", "2025年是收官之年")
    assert not unbreakable("增长6%。", "一、主要目标")
    assert not unbreakable("《规划》已印发。", "各地要抓好落实")


# --------------------------------------------------------------------------
# 2. two columns, turned text
# --------------------------------------------------------------------------


def test_two_columns_are_read_left_column_first() -> None:
    col = 13 * SIZE
    left = [f"左栏第{n}行文字内容较长" for n in "一二三四五"]
    right = [f"右栏第{n}行文字内容较长" for n in "一二三四五"]
    placed: list[Placed] = [(LEFT, 100.0, "通栏标题居中排列在两栏之上")]
    for i in range(5):  # drawn row by row across both columns: content order is not reading order
        placed += [(LEFT, 130 + i * PITCH, left[i]), (LEFT + col + 2 * SIZE, 130 + i * PITCH, right[i])]
    got = "".join(texts(draw([placed])))
    assert got == "通栏标题居中排列在两栏之上" + "".join(left) + "".join(right)


@pytest.mark.parametrize("turn", [90, 180, 270])
def test_turned_text_is_read_in_its_own_direction(turn: int) -> None:
    data = draw([flow(["一、发展目标", "  " + FULL[:28], FULL, "完成年度目标任务。", "二、重点任务"], top=300)], turn=turn)
    assert texts(data) == ["一、发展目标", FULL[:28] + FULL + "完成年度目标任务。", "二、重点任务"]


def test_a_page_rotated_for_display_reads_as_drawn() -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(draw([flow(["一、发展目标", FULL, "完成年度目标任务。"])]))))
    writer.pages[0].rotate(90)
    buf = io.BytesIO()
    writer.write(buf)
    assert texts(buf.getvalue()) == ["一、发展目标", FULL + "完成年度目标任务。"]


# --------------------------------------------------------------------------
# furniture (issue 12, point 12)
# --------------------------------------------------------------------------


def test_one_body_line_per_page_at_the_same_place_is_body_not_a_header() -> None:
    line = [(LEFT, 60.0, "本页只有这一行正文内容。")]  # in the top margin, on every page
    doc = ingest_bytes(draw([line, line, line]), "t.pdf", ".pdf")
    assert doc.text.count("本页只有这一行正文内容。") == 3


def test_a_running_header_over_body_text_is_still_removed() -> None:
    pages = [[(LEFT, 60.0, "某市人民政府公报"), *flow([FULL, f"第{n}页的正文。"])] for n in "一二三"]
    assert "某市人民政府公报" not in "".join(texts(draw(pages)))


# --------------------------------------------------------------------------
# 3. tables across pages
# --------------------------------------------------------------------------


def _table_pages(second_x: float, second: list[list[str]] | None = None) -> bytes:
    """A ruled table at the bottom of page 1, and a table with the same columns on page 2 at second_x."""
    from fpdf import FPDF

    doc = FPDF(format="A4", unit="pt")
    doc.set_font("Helvetica", size=10)
    for y, x, rows in ((600, LEFT, [["Item", "Unit", "Target"], ["GDP", "bn", "120"], ["R&D", "%", "3"]]),
                       (100, second_x, second or [["Item", "Unit", "Target"], ["Jobs", "k", "40"]])):
        doc.add_page()
        doc.set_y(y)
        for row in rows:
            doc.set_x(x)
            for cell in row:
                doc.cell(80, 18, cell, border=1)
            doc.ln(18)
    return bytes(doc.output())


def test_a_table_going_on_with_the_same_edges_is_one_table() -> None:
    doc = read(_table_pages(LEFT))
    tables = [b.table for b in doc.blocks if b.table is not None]
    assert len(tables) == 1
    assert tables[0].rows[-1] == ["Jobs", "k", "40"] and tables[0].rows.count(["Item", "Unit", "Target"]) == 1


def test_a_table_with_other_edges_on_the_next_page_is_another_table() -> None:
    doc = read(_table_pages(LEFT + 120))
    assert len([b for b in doc.blocks if b.table is not None]) == 2


def test_one_row_carried_over_to_the_next_page_stays_in_its_table() -> None:
    doc = read(_table_pages(LEFT, [["Jobs", "k", "40"]]))
    tables = [b.table for b in doc.blocks if b.table is not None]
    assert len(tables) == 1 and tables[0].rows[-1] == ["Jobs", "k", "40"]
    assert "Jobs" not in "".join(b.text for b in doc.blocks if b.table is None)


def test_a_lone_ruled_row_is_text() -> None:
    from fpdf import FPDF

    doc = FPDF(format="A4", unit="pt")
    doc.set_font("Helvetica", size=10)
    doc.add_page()
    doc.set_y(100)
    for cell in ("Note", "A framed line of text"):
        doc.cell(150, 18, cell, border=1)
    assert [b.kind for b in read(bytes(doc.output())).blocks] == ["paragraph"]
