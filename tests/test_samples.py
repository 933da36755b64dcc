"""The sample documents in data/raw/: each ingests to the outline and tables it was written with.

The expectations come from scripts/make_samples.py (the documents' source),
so a sample and its generator cannot drift apart; a few facts are also
spelled out literally.
"""

from __future__ import annotations

import copy
import functools
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from planextract import api
from planextract.models import Document

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"


def _load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_samples", ROOT / "scripts" / "make_samples.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_samples"] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


ms = _load_generator()
NAMES = sorted(ms.SAMPLES)


@functools.cache
def ingest(name: str) -> Document:
    """Each sample is read once per session; tests only look at the Document."""
    return api.ingest_path(RAW / name)


def expected_outline(sample: object) -> list[tuple[int, str]]:
    """(level, text) of every heading: 一、 -> 1, （一） -> 2; an annex title line -> 1."""
    out = []
    for item in sample.items:  # type: ignore[attr-defined]
        if isinstance(item, ms.Tbl):
            out += [(1, line) for line in item.caption if line == "附件"]
        elif item[0] in ("h1", "h2"):
            out.append((1 if item[0] == "h1" else 2, item[1]))
    return out


def expected_tables(sample: object) -> list[tuple[str, list[list[str]]]]:
    return [(" ".join(t.caption), ms.resolve(t.rows)) for t in sample.items if isinstance(t, ms.Tbl)]  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", NAMES)
def test_outline(name: str) -> None:
    doc = ingest(name)
    sample = ms.SAMPLES[name][1]
    assert [(b.level, b.text) for b in doc.blocks if b.kind == "heading"] == expected_outline(sample)


@pytest.mark.parametrize("name", NAMES)
def test_tables_with_captions_and_merged_cells(name: str) -> None:
    doc = ingest(name)
    got = [(b.table.caption, b.table.rows) for b in doc.blocks if b.table is not None]
    assert got == expected_tables(ms.SAMPLES[name][1])


@pytest.mark.parametrize("name", NAMES)
def test_content_a_dataset_needs(name: str) -> None:
    """A forward target, a responsibility line and a project list table in every sample."""
    doc = ingest(name)
    assert "到20" in doc.text or "2024年，" in doc.text
    assert "（责任单位：县经信局、县发改局）" in doc.text
    headers = [b.table.rows[0] for b in doc.blocks if b.table is not None]
    assert ms.PROJECT_HEADER in headers
    assert not any(marker in doc.text for marker in ("[bookmark", "[image", "_Toc"))


def test_docx_sample() -> None:
    doc = ingest("qingchuan_industry_plan.docx")
    assert doc.format == "docx"
    (targets,) = [b.table for b in doc.blocks if b.table is not None and b.table.caption.startswith("表1")]
    assert targets.header_rows == 2
    assert targets.rows[3][0] == "经济规模"  # vertically merged category repeated
    assert targets.rows[6][4:6] == ["累计降低8%", "累计降低8%"]  # horizontally merged value repeated
    assert len({len(r) for r in targets.rows}) == 1
    task = next(b for b in doc.blocks if b.text.startswith("1.壮大食品饮料产业"))
    assert task.kind == "paragraph" and task.level == 3
    assert task.section_path == ["二、重点任务", "（一）做强主导产业"]


def test_pdf_sample() -> None:
    doc = ingest("qingchuan_digital_economy.pdf")
    assert doc.format == "pdf" and doc.pages == 3
    assert all(b.page for b in doc.blocks)
    assert doc.blocks[0].text == ms.PDF_SAMPLE.title
    assert sum(b.text == ms.PDF_SAMPLE.header for b in doc.blocks) == 1


def test_tika_sample() -> None:
    doc = ingest("qingchuan_rural_tika.txt")
    assert doc.format == "tika" and doc.encoding == "utf-8"
    assert (RAW / "qingchuan_rural_tika.txt").read_text().count("[bookmark: _Toc") >= 3


def test_gbk_sample() -> None:
    raw = (RAW / "qingchuan_tourism_gbk.txt").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    doc = ingest("qingchuan_tourism_gbk.txt")
    assert doc.encoding in {"gbk", "gb18030", "gb2312"}
    assert doc.blocks[0].text == ms.GBK_SAMPLE.title


def test_html_sample() -> None:
    doc = ingest("qingchuan_new_energy.html")
    assert doc.meta.get("发布机构") == "青川县人民政府"
    assert doc.meta.get("文件编号") == "青府发〔2023〕8号"
    for chrome in ("版权所有", "ICP备", "举报电话", "访问次数", "在线咨询", "首页", "_hmt"):
        assert chrome not in doc.text


@pytest.mark.parametrize("name", [n for n in NAMES if not n.endswith(".pdf")])
def test_samples_are_reproducible(name: str) -> None:
    """Regenerating gives the committed bytes (the PDF: the same content, see the next test)."""
    make, sample = ms.SAMPLES[name]
    assert make(copy.deepcopy(sample)) == (RAW / name).read_bytes()


def _content(doc: Document) -> list[tuple[object, ...]]:
    return [(b.kind, b.level, b.text, b.page, b.table.rows if b.table else None) for b in doc.blocks]


def test_pdf_sample_is_reproducible(tmp_path: Path) -> None:
    """The regenerated PDF reads exactly as the committed one, on any machine.

    It is set in a font from a package (not whatever CJK font the system has),
    and the content is compared rather than the bytes, which also depend on
    the fpdf2 release that wrote them.
    """
    name = "qingchuan_digital_economy.pdf"
    fresh = tmp_path / name
    fresh.write_bytes(ms.make_pdf(copy.deepcopy(ms.PDF_SAMPLE)))
    again, committed = api.ingest_path(fresh), ingest(name)
    assert again.pages == committed.pages == 3
    assert _content(again) == _content(committed)
    assert again.text == committed.text
