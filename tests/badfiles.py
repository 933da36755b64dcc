"""A generator of good and bad input files, for the robustness tests.

`cases()` returns every file as a Case: its bytes (or the symlink it is),
and what should become of it, both when its bytes are fed to
`ingest_bytes` and when `build` meets it in a folder. `write_cases` lays
them out in a folder. Every byte is made here (PDFs and zips are written by
hand), deterministically, so two calls give identical files and a build of
the good files alone can be compared with a build of everything.
"""

from __future__ import annotations

import io
import os
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

from docx import Document as DocxDocument

# --------------------------------------------------------------------------
# What a file is and what should happen to it
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One file of the robustness corpus.

    good: a document build must read, with the same rows as in a build
    without the bad files. ingest_error: the IngestError.error_type that
    ingest_bytes raises for these bytes (None: it reads them, as `fmt`).
    build_error: the errors-table error_type for this path in a build
    (None: a row of documents); skipped: that row is a deliberate skip.
    """

    name: str
    data: bytes | None = None
    good: bool = False
    fmt: str | None = None
    ingest_error: str | None = None
    build_error: str | None = None
    skipped: bool = False
    link_to: str | None = None  # a symlink, pointing here (relative)
    mode: int | None = None  # chmod after writing

    @property
    def suffix(self) -> str:
        return Path(self.name).suffix


PLAN_TEXT = """浦江县推进制造业高质量发展实施方案
一、总体要求
到2025年，全县规模以上工业增加值达到300亿元，年均增长8%以上。
二、主要任务
（一）培育先进制造业集群。实施产业链提升工程，力争新增规上企业100家。（责任单位：县经信局）
（二）强化创新驱动。研发经费支出占地区生产总值比重达到3%。
三、保障措施
加强组织领导，落实工作责任。
"""

TRAD_TEXT = """臺北市推動數位轉型實施計畫
一、計畫目標
本計畫旨在推動數位轉型，提升產業競爭力。預計至二零三零年，整體產值成長百分之十五，就業人數增加兩萬人。
二、執行策略
政府將持續投入資源，協助中小企業導入智慧製造，並強化人才培育與國際合作。各機關應依權責分工，落實執行各項措施，定期檢討成效。
"""

HTML_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>关于加快数字经济发展的实施意见_某县人民政府</title></head><body>
<div class="header"><ul class="nav"><li><a href="/">首页</a></li><li><a href="/zw">政务公开</a></li></ul></div>
<table class="xxgk"><tr><td>索引号：</td><td>001/2023-00042</td><td>发布日期：</td><td>2023-03-15</td></tr>
<tr><td>发布机构：</td><td>某县人民政府办公室</td><td>文号：</td><td>某政办发〔2023〕5号</td></tr></table>
<h1>关于加快数字经济发展的实施意见</h1>
<div id="zoom"><p>为加快数字经济发展，现提出如下意见。</p>
<p>一、发展目标</p><p>到2025年，数字经济核心产业增加值达到120亿元，年均增长12%。</p>
<table border="1"><tr><th>指标</th><th>2022年</th><th>2025年</th></tr>
<tr><td>数字经济核心产业增加值（亿元）</td><td>80</td><td>120</td></tr>
<tr><td>5G基站数（个）</td><td>1500</td><td>4000</td></tr></table></div>
<div class="footer"><p>版权所有：某县人民政府 浙ICP备12345678号</p><p>网站标识码：3300000001</p></div>
</body></html>
"""


def cases(corpus: Path | None = None) -> list[Case]:
    """The whole corpus: good files first, then the bad ones."""
    return good_cases(corpus) + bad_cases()


def good_cases(corpus: Path | None = None) -> list[Case]:
    found = []
    if corpus is not None and corpus.is_dir():
        for src in sorted(corpus.glob("*.txt"))[:2]:
            found.append(Case(f"corpus/{src.name}", src.read_bytes(), good=True, fmt="text"))
    return found + [
        Case("plan-utf8.txt", PLAN_TEXT.encode("utf-8"), good=True, fmt="text"),
        Case("plan-utf8-bom.txt", b"\xef\xbb\xbf" + (PLAN_TEXT + "附：\n").encode("utf-8"), good=True, fmt="text"),
        Case("gbk/plan-gbk.txt", (PLAN_TEXT + "（GBK）\n").encode("gbk"), good=True, fmt="text"),
        Case("plan-gb18030.txt", (PLAN_TEXT + "㐀䶵\n").encode("gb18030"), good=True, fmt="text"),
        Case("plan-big5.txt", TRAD_TEXT.encode("big5"), good=True, fmt="text"),
        Case("plan-utf16le-bom.txt", (PLAN_TEXT + "UTF-16\n").encode("utf-16"), good=True, fmt="text"),
        Case("plan-utf16be-nobom.txt", (PLAN_TEXT + "BE\n").encode("utf-16-be"), good=True, fmt="text"),
        Case("page.html", HTML_PAGE.encode("utf-8"), good=True, fmt="html"),
        Case("page-gbk.htm", HTML_PAGE.replace("utf-8", "gb2312").replace("5G", "五G").encode("gbk"), good=True, fmt="html"),
        Case("plan.docx", docx_bytes(), good=True, fmt="docx"),
        Case("plan.pdf", text_pdf(), good=True, fmt="pdf"),
        Case("名字 with spaces　全角（2025）.txt", (PLAN_TEXT + "全角\n").encode("utf-8"), good=True, fmt="text"),
        Case("emoji 📄 plan.txt", (PLAN_TEXT + "emoji\n").encode("utf-8"), good=True, fmt="text"),
        # A web page and a PDF saved with a .txt name are read as what they are.
        Case("page-saved-as.txt", HTML_PAGE.replace("5G", "六G").encode("utf-8"), good=True, fmt="html"),
        Case("pdf-saved-as.txt", text_pdf("（另存为）"), good=True, fmt="pdf"),
        # NUL bytes in a text (a bad copy) are dropped, the text is kept.
        Case("with-nuls.txt", (PLAN_TEXT + "NUL").encode("utf-8").replace("。".encode(), "。\x00".encode()), good=True, fmt="text"),
        # 5,000 nested <div>s: no recursion limit on the way to the text.
        Case("deep.html", deep_html(5000), good=True, fmt="html"),
    ]


def bad_cases() -> list[Case]:
    good_docx = docx_bytes()
    return [
        Case("empty.txt", b"", ingest_error="empty_file", build_error="empty_file"),
        Case("blank.txt", b"  \r\n\t\n", ingest_error="empty_file", build_error="empty_file"),
        Case("junk.txt", junk(20_000), ingest_error="binary_file", build_error="binary_file"),
        Case("garbled.txt", high_junk(20_000), ingest_error="undecodable_text", build_error="undecodable_text"),
        Case("old-word.docx", ole_bytes(), ingest_error="legacy_doc", build_error="legacy_doc"),
        Case("old-word.doc", ole_bytes() + b"\x01", ingest_error="legacy_doc", build_error="legacy_doc"),
        Case("truncated.docx", good_docx[: len(good_docx) // 2], ingest_error="truncated_zip", build_error="truncated_zip"),
        Case("bomb.docx", zip_bomb(), ingest_error="zip_bomb", build_error="zip_bomb"),
        Case("entities.docx", entity_docx(), ingest_error="unsafe_xml", build_error="unsafe_xml"),
        Case("spreadsheet-named.docx", xlsx_bytes(), ingest_error="not_docx", build_error="not_docx"),
        Case("encrypted.pdf", encrypted_pdf(), ingest_error="encrypted_pdf", build_error="encrypted_pdf"),
        Case("scanned.pdf", scanned_pdf(), ingest_error="scanned_pdf", build_error="scanned_pdf"),
        Case("cyclic.pdf", cyclic_pdf(), ingest_error="corrupt_pdf", build_error="corrupt_pdf"),
        Case("truncated.pdf", text_pdf()[:300], ingest_error="corrupt_pdf", build_error="corrupt_pdf"),
        Case("script-only.html", "<html><body><script>var a=1;</script><nav><a>首页</a></nav></body></html>".encode(),
             ingest_error="no_text", build_error="no_text"),
        # One 2 MB line: read in linear time (build may still time it out in extraction).
        Case("long-line.txt", long_line(2 * 1024 * 1024), fmt="text"),
        Case(".DS_Store", ds_store(), ingest_error="binary_file", build_error="hidden_file", skipped=True),
        Case("sub/.~lock.plan.docx#", b"lock", build_error="hidden_file", skipped=True),
        Case("table.xlsx", xlsx_bytes(), ingest_error="not_docx", build_error="unsupported_extension", skipped=True),
        Case("picture.png", png_bytes(), ingest_error="binary_file", build_error="unsupported_extension", skipped=True),
        Case("zz-duplicate-of-plan.txt", PLAN_TEXT.encode("utf-8"), fmt="text", build_error="duplicate_content", skipped=True),
        Case("sub/loop", link_to="..", build_error="symlink_directory", skipped=True),
        Case("sub/self-loop.txt", link_to="self-loop.txt", build_error="broken_symlink"),
        Case("sub/locked.txt", PLAN_TEXT.encode("utf-8") + b"locked", fmt="text", build_error="unreadable_file", mode=0),
    ]


def write_cases(folder: Path, items: list[Case]) -> None:
    """Lay the cases out below folder (symlinks made, modes set last)."""
    for c in items:
        path = folder / c.name
        path.parent.mkdir(parents=True, exist_ok=True)
        if c.link_to is not None:
            os.symlink(c.link_to, path)
        else:
            path.write_bytes(c.data or b"")
    for c in items:
        if c.mode is not None:
            os.chmod(folder / c.name, c.mode)


# --------------------------------------------------------------------------
# Bytes
# --------------------------------------------------------------------------


def junk(n: int, seed: int = 7) -> bytes:
    """Random bytes, every value alike (a .txt that is binary)."""
    import random

    return random.Random(seed).randbytes(n)


def high_junk(n: int, seed: int = 11) -> bytes:
    """Random bytes above 0x80 and no control bytes: GB18030 decodes some of
    it, but nothing reads it as text."""
    import random

    rng = random.Random(seed)
    return bytes(rng.choice(range(0x80, 0x100)) if i % 7 else 0x20 for i in range(n))


def long_line(n: int) -> bytes:
    sentence = "推进产业链协同发展，强化要素保障，优化营商环境，提升企业竞争力；".encode()
    return (PLAN_TEXT.encode() + sentence * (n // len(sentence) + 1))[:n].rsplit("；".encode(), 1)[0] + "。".encode()


def ole_bytes() -> bytes:
    """The start of a legacy Word (OLE compound file) document."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + b"\x3e\x00\x03\x00\xfe\xff" + b"\x00" * 482


def ds_store() -> bytes:
    return b"\x00\x00\x00\x01Bud1" + b"\x00" * 2048 + b"\x00\x00\x10\x00" + junk(512, seed=3)


def png_bytes() -> bytes:
    raw = b"".join(b"\x00" + bytes([x % 256 for x in range(16)]) for _ in range(16))
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 16, 16, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def deep_html(depth: int) -> bytes:
    body = "<div>" * depth + "<p>一、总体目标</p><p>到2025年，全县生产总值达到500亿元。</p>" + "</div>" * depth
    return f"<html><head><title>深层嵌套页面</title></head><body>{body}</body></html>".encode()


# Zip files ------------------------------------------------------------------

_CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/word/document.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    b"</Types>"
)
_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" '
    b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    b'Target="word/document.xml"/></Relationships>'
)
_W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def zip_members(members: list[tuple[str, bytes | tuple[bytes, int, int]]]) -> bytes:
    """A zip written by hand, so a member can be given as raw deflate data
    (data, crc, size) that was never inflated here. Fixed timestamps."""
    out = bytearray()
    central = bytearray()
    for name, body in members:
        if isinstance(body, bytes):
            comp = zlib.compressobj(9, zlib.DEFLATED, -15)
            raw, crc, size = comp.compress(body) + comp.flush(), zlib.crc32(body), len(body)
        else:
            raw, crc, size = body
        fname = name.encode()
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(raw), size, len(fname), 0)
        out += fname + raw
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, len(raw), size, len(fname), 0, 0, 0, 0, 0, offset
        ) + fname
    start = len(out)
    out += central
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), start, 0)
    return bytes(out)


def docx_bytes() -> bytes:
    """A small real .docx (python-docx), with fixed metadata and zip times."""
    d = DocxDocument()
    d.core_properties.author = "planextract tests"
    import datetime as dt

    fixed = dt.datetime(2023, 3, 15, 9, 0, 0)
    d.core_properties.created = d.core_properties.modified = fixed
    for line in PLAN_TEXT.strip().split("\n"):
        d.add_paragraph(line)
    table = d.add_table(rows=3, cols=3)
    for r, row in enumerate([["指标", "2022年", "2025年"], ["工业增加值（亿元）", "200", "300"], ["规上企业（家）", "400", "500"]]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    buf = io.BytesIO()
    d.save(buf)
    return _refix_zip_times(buf.getvalue())


def _refix_zip_times(data: bytes) -> bytes:
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2023, 3, 15, 9, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def zip_bomb(mib: int = 600) -> bytes:
    """A .docx whose document.xml inflates to `mib` MiB of spaces from ~0.6 MB.

    One MiB is deflated once with a full flush (byte-aligned, no references
    back), and that chunk is repeated: writing it costs only the CRC."""
    block = b" " * (1 << 20)
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = comp.compress(block) + comp.flush(zlib.Z_FULL_FLUSH)
    head = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document ' + _W + b"><w:body>"
    tail = b"</w:body></w:document>"
    head_c = zlib.compressobj(9, zlib.DEFLATED, -15)
    raw = head_c.compress(head) + head_c.flush(zlib.Z_FULL_FLUSH)
    tail_c = zlib.compressobj(9, zlib.DEFLATED, -15)
    raw_tail = tail_c.compress(tail) + tail_c.flush()
    crc = zlib.crc32(head)
    for _ in range(mib):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + mib * len(block) + len(tail)
    data = raw + chunk * mib + raw_tail
    return zip_members([("[Content_Types].xml", _CONTENT_TYPES), ("_rels/.rels", _RELS),
                        ("word/document.xml", (data, crc, size))])


def entity_docx() -> bytes:
    """A .docx whose document.xml is a 'billion laughs' entity expansion."""
    ents = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{("&lol%d;" % (i - 1)) * 10}">' for i in range(1, 10)]
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<!DOCTYPE w:document [{"".join(ents)}]>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
    ).encode()
    return zip_members([("[Content_Types].xml", _CONTENT_TYPES), ("_rels/.rels", _RELS), ("word/document.xml", xml)])


def xlsx_bytes() -> bytes:
    types = _CONTENT_TYPES.replace(b"/word/document.xml", b"/xl/workbook.xml").replace(
        b"wordprocessingml.document.main", b"spreadsheetml.sheet.main"
    )
    book = b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>'
    rels = _RELS.replace(b"word/document.xml", b"xl/workbook.xml")
    return zip_members([("[Content_Types].xml", types), ("_rels/.rels", rels), ("xl/workbook.xml", book)])


# PDF files ------------------------------------------------------------------


def pdf_objects(objs: list[bytes]) -> bytes:
    """A PDF from its objects (1 is the catalog), with a correct xref."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


_PAGE_TREE = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"]


def text_pdf(extra: str = "") -> bytes:
    """A one-page PDF with Chinese text in a standard CJK font (STSong-Light
    with the UniGB-UCS2-H CMap, which PDF readers carry: nothing embedded)."""
    lines = ["关于推进制造业高质量发展的实施意见" + extra, "一、总体要求",
             "到2025年，工业总产值达到1000亿元，年均增长8%。", "二、保障措施", "加强组织领导，落实工作责任。"]
    ops = b" ".join(b"<" + ln.encode("utf-16-be").hex().encode() + b"> Tj T*" for ln in lines)
    content = b"BT /F1 12 Tf 72 760 Td 20 TL " + ops + b" ET"
    return pdf_objects(_PAGE_TREE + [
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        _stream(content),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [6 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo "
        b"<< /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /FontDescriptor 7 0 R /DW 1000 >>",
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [0 -200 1000 900] "
        b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>",
    ])


def scanned_pdf() -> bytes:
    """A page that only draws an image: a scan without a text layer."""
    w = h = 64
    pixels = bytes((x * 4 + y) % 256 for y in range(h) for x in range(w))
    image = _stream(zlib.compress(pixels),
                    b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
                    b"/BitsPerComponent 8 /Filter /FlateDecode " % (w, h))
    return pdf_objects(_PAGE_TREE + [
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        _stream(b"q 500 0 0 700 50 70 cm /Im1 Do Q"),
        image,
    ])


def cyclic_pdf() -> bytes:
    """A page tree that contains itself, and a page whose parent is itself."""
    return pdf_objects([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
        b"<< /Type /Page /Parent 3 0 R /MediaBox [0 0 595 842] /Contents 3 0 R >>",
    ])


def encrypted_pdf() -> bytes:
    """text_pdf() encrypted with a user password (pypdf, RC4: no crypto library needed)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf())))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()
