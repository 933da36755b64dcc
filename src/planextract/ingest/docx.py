"""Word .docx -> Document: paragraphs and tables in body order.

Safety first: the zip is checked before anything is expanded (declared
sizes, compression ratio, member count; see ZipLimits). Only the parts the
reader needs are inflated, each as a stream that stops at its declared
size (read_part), so a part that lies about its size costs no more than
it claims. Every XML part is parsed with entities unexpanded and no DTD
loaded, and one that declares a DTD is refused (parse_part: OOXML never
needs one).

Reading:
* Body children in order: w:p, w:tbl, and the content of w:sdt content
  controls (a table of contents control is skipped: it repeats the outline).
* Paragraph text comes from the runs (also inside hyperlinks, fields,
  tracked insertions); deleted text, hidden runs, drawings, text boxes and
  VML shapes give none, so images, bookmarks and alt texts leak nothing.
  Word's automatic list numbers (numbering.xml) are rendered in front of
  the text ("一、", "（一）", "1."), as a reader sees them.
* A paragraph whose style (or direct outline level) makes it a heading
  becomes a heading block when it reads like one; its level comes from the
  style when the text has no outline number, otherwise structure.py derives
  it from the number.
* Tables: horizontally (gridSpan) and vertically (vMerge) merged cells are
  resolved on the table grid, so every row has the same width and a merged
  value repeats into each cell it covers; gridBefore/gridAfter pad rows.
  A table nested inside a cell is flattened into that cell's text (rows on
  lines, cells separated by spaces), keeping each value in its outer row.
  A one-column table is layout (a frame around text, or a whole document
  pasted in a cell): its content is read as ordinary blocks.
"""

from __future__ import annotations

import hashlib
import io
import os
import posixpath
import zipfile
import zlib
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import cn2an
import regex
from docx.styles import BabelFish
from lxml import etree

from planextract.ingest import clean
from planextract.ingest.errors import IngestError
from planextract.ingest.layout import SENTENCE_END, guess_header_rows, join_wrapped
from planextract.models import Block, Document, Table
from planextract.structure import looks_like_heading, numbering, opens_section

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"


@lru_cache(maxsize=None)
def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


def _val(el: Any, attr: str = "val") -> str | None:
    return None if el is None else el.get(_w(attr))


MAX_MB_ENV = "PLANEXTRACT_DOCX_MAX_MB"


@dataclass(frozen=True)
class ZipLimits:
    """Caps checked on the zip's directory before anything is inflated.

    The total cap can also be set in megabytes with the environment variable
    PLANEXTRACT_DOCX_MAX_MB (read at each call, so a build's workers see it).
    """

    max_total_bytes: int = 512 * 1024 * 1024  # sum of the declared uncompressed sizes
    max_ratio: float = 200.0  # uncompressed / compressed, for members above ratio_min_bytes
    ratio_min_bytes: int = 1024 * 1024
    max_members: int = 10_000

    @classmethod
    def from_env(cls) -> ZipLimits:
        mb = os.environ.get(MAX_MB_ENV, "").strip()
        return cls(max_total_bytes=int(float(mb) * 1024 * 1024)) if mb else cls()


def read_docx(data: bytes, doc: Document, limits: ZipLimits | None = None) -> Document:
    limits = limits or ZipLimits.from_env()
    with _open_zip(data) as zf:
        _check_zip(zf, limits)
        package = _load(zf)
    body = package.document.find(_w("body"))
    if body is None:
        raise IngestError("corrupt_docx", "corrupt docx: word/document.xml has no w:body")
    reader = _Reader(package.styles, _Numbering(package.numbering))
    blocks = list(reader.blocks(body))
    doc.blocks = _clean(blocks, doc.meta)
    return doc


# --------------------------------------------------------------------------
# Hostile input: OLE files, zip checks, package checks
# --------------------------------------------------------------------------

# The stream an encrypted OOXML file keeps inside its OLE container (names are UTF-16LE).
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")


def ole_error(data: bytes, suffix: str) -> IngestError:
    """Why an OLE compound file (sniffed as 'doc') cannot be read, in words a person acts on."""
    if _ENCRYPTED_PACKAGE in data:
        return IngestError(
            "encrypted_docx",
            "password-protected Word file (Office keeps an encrypted .docx in an OLE container): "
            "remove the password and save it again as .docx",
        )
    if suffix.lower() == ".docx":
        return IngestError(
            "legacy_doc",
            "named .docx but it is a legacy Word .doc (OLE) file: open it in Word or LibreOffice "
            "and save it as .docx",
        )
    return IngestError("legacy_doc", "legacy Word .doc (OLE) file: convert it to .docx (e.g. with LibreOffice)")


_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError)


def _open_zip(data: bytes) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except _ZIP_ERRORS as exc:
        raise zip_error(exc) from exc


def zip_error(exc: BaseException, name: str | None = None) -> IngestError:
    """A cut-off zip (no end record, a short read) is 'truncated'; bad CRCs or streams are 'damaged'."""
    where = f"{name}: " if name else ""
    text = str(exc)
    if isinstance(exc, EOFError) or "not a zip file" in text or "runcated" in text:
        return IngestError("truncated_zip", f"truncated zip archive: {where}{text or type(exc).__name__}")
    return IngestError("corrupt_docx", f"damaged zip archive: {where}{type(exc).__name__}: {text}"[:300])


def _check_zip(zf: zipfile.ZipFile, limits: ZipLimits) -> None:
    infos = zf.infolist()
    if len(infos) > limits.max_members:
        raise IngestError("zip_bomb", f"zip bomb refused: {len(infos)} members (limit {limits.max_members})")
    total = sum(i.file_size for i in infos)
    if total > limits.max_total_bytes:
        raise IngestError(
            "zip_bomb",
            f"zip bomb refused: it would expand to {total:,} bytes (limit {limits.max_total_bytes:,})",
        )
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > limits.ratio_min_bytes and ratio > limits.max_ratio:
            raise IngestError(
                "zip_bomb",
                f"zip bomb refused: {info.filename} expands {ratio:.0f} times (limit {limits.max_ratio:.0f})",
            )


def _zip_kind(names: set[str]) -> str:
    if any(n.startswith("xl/") for n in names):
        return "it looks like an Excel .xlsx workbook"
    if any(n.startswith("ppt/") for n in names):
        return "it looks like a PowerPoint .pptx file"
    if "mimetype" in names or "content.xml" in names:
        return "it looks like an OpenDocument file (.odt/.ods): save it as .docx"
    return "an ordinary zip archive, not a Word document"


# Entities are never expanded nor DTDs loaded; a part that declares either is refused (see parse_part).
_SAFE_PARSER = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False,
                               remove_blank_text=True)
_CHUNK = 1 << 16


def read_part(zf: zipfile.ZipFile, name: str) -> bytes:
    """A member's bytes, inflated as a stream: never more than the size its zip entry declares.

    zipfile.read() inflates a member's compressed data in one call, so a
    part that claims 3 KB but inflates to 1 GB costs 1 GB; read a chunk at a
    time, zipfile stops at the declared size and its CRC check then fails.
    """
    info = zf.getinfo(name)
    out = bytearray()
    try:
        with zf.open(info) as fh:
            while chunk := fh.read(_CHUNK):
                out += chunk
                if len(out) > info.file_size:  # zipfile stops there itself; this makes the bound explicit
                    raise IngestError("zip_bomb", f"zip bomb refused: {name} inflates past its declared "
                                                  f"{info.file_size:,} bytes")
    except RuntimeError as exc:  # an encrypted member
        raise IngestError("corrupt_docx", f"cannot read {name} in the docx: {exc}") from exc
    except _ZIP_ERRORS as exc:
        raise zip_error(exc, name) from exc
    return bytes(out)


def parse_part(xml: bytes, name: str) -> Any:
    """The root element of an XML part; a part declaring a DTD or entities is refused (IngestError unsafe_xml).

    The check is on what the parser read, not on the raw bytes, so a
    DOCTYPE after padding or in UTF-16 is found like any other.
    """
    _refuse_dtd(xml, name)
    root = etree.fromstring(xml, _SAFE_PARSER)
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise _unsafe(name)  # cannot happen after _refuse_dtd; kept as the last word
    return root


class _DoctypeSeen(Exception):
    pass


class _RootSeen(Exception):
    pass


class _PrologTarget:
    """A parser target that stops at the DOCTYPE (before its entities are read) or at the root element."""

    def doctype(self, name: str, pubid: str | None, system: str | None) -> None:
        raise _DoctypeSeen(name)

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        raise _RootSeen(tag)

    def close(self) -> None:
        return None


def _refuse_dtd(xml: bytes, name: str) -> None:
    """Parse the part's prolog only (the parser decodes it, UTF-16 included) and refuse a DOCTYPE in it."""
    parser = etree.XMLParser(target=_PrologTarget(), resolve_entities=False, load_dtd=False, no_network=True)
    try:
        etree.fromstring(xml, parser)
    except _DoctypeSeen:
        raise _unsafe(name) from None
    except _RootSeen:
        return


def _unsafe(name: str) -> IngestError:
    return IngestError("unsafe_xml", f"refused: {name} declares a DTD (<!DOCTYPE>, entities); "
                                     "OOXML never does, and entities can expand without end or read local files")


@dataclass(frozen=True)
class _Package:
    document: Any  # the root element of the main document part
    styles: _Styles
    numbering: Any  # the root element of the numbering part, or None


_MAIN_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_STYLES_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
_NUMBERING_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering"
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"


def _load(zf: zipfile.ZipFile) -> _Package:
    """The three parts the reader uses, found through the package's content types and relationships.

    Only these parts (and the two relationship parts and the content types
    that lead to them) are inflated and parsed, each as a bounded stream
    with DTDs refused; images and other parts are never read.
    """
    names = set(zf.namelist())
    try:
        main = _main_part(zf, names)
        content_type = _content_type(zf, names, main)
        if content_type != _MAIN_CONTENT_TYPE:
            kind = "a macro-enabled (.docm) or template (.dotx) Word file" if "word" in content_type else "not a .docx"
            raise IngestError("not_docx", f"{kind}: save it as a plain .docx (content type {content_type})"[:300])
        related = _relationships(zf, names, main)

        def part(reltype: str) -> bytes | None:
            name = related.get(reltype)
            return read_part(zf, name) if name in names else None

        document = parse_part(read_part(zf, main), main)
        styles = _styles(part(_STYLES_REL))
        numbering = _parse_optional(part(_NUMBERING_REL), "word/numbering.xml")
    except IngestError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise zip_error(exc) from exc
    except (KeyError, etree.XMLSyntaxError, AttributeError, TypeError, ValueError) as exc:
        raise IngestError("corrupt_docx", f"corrupt docx: {type(exc).__name__}: {exc}"[:300]) from exc
    return _Package(document, styles, numbering)


def _main_part(zf: zipfile.ZipFile, names: set[str]) -> str:
    """The main document part named by _rels/.rels (almost always word/document.xml)."""
    main = "word/document.xml"
    if "_rels/.rels" in names:
        for reltype, target in _rels(zf, "_rels/.rels", ""):
            if reltype == OFFICE_DOC_REL:
                main = target
                break
    if main not in names:
        raise IngestError("not_docx", f"not a Word .docx: the zip has no {main} ({_zip_kind(names)})")
    return main


def _content_type(zf: zipfile.ZipFile, names: set[str], part: str) -> str:
    if "[Content_Types].xml" not in names:
        raise IngestError("corrupt_docx", "corrupt docx: the package has no [Content_Types].xml")
    root = parse_part(read_part(zf, "[Content_Types].xml"), "[Content_Types].xml")
    for el in root.iterchildren(f"{{{_CT_NS}}}Override"):
        if (el.get("PartName") or "").lstrip("/").lower() == part.lower():
            return el.get("ContentType") or ""
    ext = part.rsplit(".", 1)[-1].lower()
    for el in root.iterchildren(f"{{{_CT_NS}}}Default"):
        if (el.get("Extension") or "").lower() == ext:
            return el.get("ContentType") or ""
    return ""


def _relationships(zf: zipfile.ZipFile, names: set[str], part: str) -> dict[str, str]:
    """Relationship type -> target part name, for the internal relationships of a part (first of each type)."""
    folder, _, base = part.rpartition("/")
    rels_name = f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"
    found: dict[str, str] = {}
    if rels_name in names:
        for reltype, target in _rels(zf, rels_name, folder):
            found.setdefault(reltype, target)
    return found


def _rels(zf: zipfile.ZipFile, rels_name: str, folder: str) -> Iterator[tuple[str, str]]:
    """(type, target part name) of each internal relationship in a .rels part; targets resolved from folder."""
    root = parse_part(read_part(zf, rels_name), rels_name)
    for rel in root.iter(f"{{{REL_NS}}}Relationship"):
        target = rel.get("Target") or ""
        if rel.get("TargetMode") == "External" or not target:
            continue
        resolved = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        yield rel.get("Type") or "", posixpath.normpath(resolved).lstrip("/")


def _parse_optional(xml: bytes | None, name: str) -> Any:
    """An optional part's root element; None when it is missing or not XML (Word ignores it then too)."""
    if xml is None:
        return None
    try:
        return parse_part(xml, name)
    except etree.XMLSyntaxError:
        return None


_STYLES_SEEN: OrderedDict[bytes, _Styles] = OrderedDict()
_STYLES_SEEN_MAX = 32


def _styles(xml: bytes | None) -> _Styles:
    """The paragraph styles of a styles part.

    Documents made from one template share their styles part (often 300 KB
    of XML), so each distinct part is parsed once per process.
    """
    key = hashlib.blake2b(xml or b"", digest_size=16).digest()
    styles = _STYLES_SEEN.get(key)
    if styles is None:
        styles = _STYLES_SEEN[key] = _Styles(_parse_optional(xml, "word/styles.xml"))
        if len(_STYLES_SEEN) > _STYLES_SEEN_MAX:
            _STYLES_SEEN.popitem(last=False)
    else:
        _STYLES_SEEN.move_to_end(key)
    return styles


# --------------------------------------------------------------------------
# Styles and list numbering
# --------------------------------------------------------------------------

_HEADING_NAME = regex.compile(r"^(?:heading|标题)\s*(\d)$", regex.IGNORECASE)
_TOC_STYLE = regex.compile(r"^(?:toc|目录)\s*\d*$|^toc heading$", regex.IGNORECASE)


@dataclass
class _Style:
    name: str
    based_on: str | None
    outline: int | None  # w:outlineLvl, 0-based; 9 means body text
    num: tuple[str, int] | None  # (numId, ilvl) a list style numbers its paragraphs with


class _Styles:
    """Paragraph styles by id, with the properties that matter here resolved up the basedOn chain."""

    def __init__(self, styles_el: Any) -> None:
        self._by_id: dict[str, _Style] = {}
        self.default: str | None = None
        children = styles_el.iterchildren(_w("style")) if styles_el is not None else ()
        for st in children:
            if st.get(_w("type")) != "paragraph":
                continue
            sid = st.get(_w("styleId")) or ""
            ppr = st.find(_w("pPr"))
            self._by_id[sid] = _Style(
                name=BabelFish.internal2ui(_val(st.find(_w("name"))) or sid),  # "heading 1" -> "Heading 1"
                based_on=_val(st.find(_w("basedOn"))),
                outline=_int(_val(ppr.find(_w("outlineLvl")))) if ppr is not None else None,
                num=_num_pr(ppr.find(_w("numPr"))) if ppr is not None else None,
            )
            if st.get(_w("default")) in ("1", "true", "on"):
                self.default = sid

    def name(self, style_id: str | None) -> str | None:
        st = self._by_id.get(style_id or self.default or "")
        return st.name if st else None

    def outline(self, style_id: str | None) -> int | None:
        """0-based outline level of a style: its own, its ancestors', or its name's (Heading 2 -> 1)."""
        for st in self._chain(style_id):
            if st.outline is not None:
                return st.outline
            m = _HEADING_NAME.match(st.name)
            if m:
                return int(m.group(1)) - 1
        return None

    def num(self, style_id: str | None) -> tuple[str, int] | None:
        for st in self._chain(style_id):
            if st.num is not None:
                return st.num
        return None

    def _chain(self, style_id: str | None) -> Iterator[_Style]:
        sid, seen = style_id or self.default, set()
        while sid and sid in self._by_id and sid not in seen:  # seen: a cyclic basedOn
            seen.add(sid)
            yield self._by_id[sid]
            sid = self._by_id[sid].based_on


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


def _num_pr(num_pr: Any) -> tuple[str, int] | None:
    if num_pr is None:
        return None
    num_id = _val(num_pr.find(_w("numId")))
    if num_id is None:
        return None
    return num_id, _int(_val(num_pr.find(_w("ilvl")))) or 0


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = ""
    legal: bool = False  # isLgl: every number in the label as a decimal
    suffix: str = "tab"


_STEMS = "甲乙丙丁戊己庚辛壬癸"
_ROMAN = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
          (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]


def format_number(n: int, fmt: str) -> str:
    """A list counter as Word prints it in the given w:numFmt."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting",
               "taiwaneseCountingThousand", "koreanCounting"):
        return str(cn2an.an2cn(n)) if n > 0 else "〇"
    if fmt == "chineseLegalSimplified":
        return str(cn2an.an2cn(n, "up")) if n > 0 else "零"
    if fmt in ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand"):
        return "".join("〇一二三四五六七八九"[int(d)] for d in str(n))
    if fmt in ("ideographTraditional",) and 1 <= n <= 10:
        return _STEMS[n - 1]
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese", "ideographEnclosedCircle") and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "decimalEnclosedParen" and 1 <= n <= 20:
        return chr(0x2474 + n - 1)
    if fmt == "decimalEnclosedFullstop" and 1 <= n <= 20:
        return chr(0x2488 + n - 1)
    if fmt in ("lowerLetter", "upperLetter") and n > 0:
        s = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return s.upper() if fmt == "upperLetter" else s
    if fmt in ("lowerRoman", "upperRoman") and n > 0:
        s, rest = "", n
        for value, letters in _ROMAN:
            while rest >= value:
                s, rest = s + letters, rest - value
        return s.upper() if fmt == "upperRoman" else s
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "none":
        return ""
    return str(n)


class _Numbering:
    """Renders Word's automatic list numbers, counting in document order.

    Lists that share an abstract definition share counters (as Word does);
    a w:num with a startOverride restarts its levels the first time it is used.
    """

    def __init__(self, numbering_el: Any) -> None:
        self._abstract: dict[str, dict[int, _Level]] = {}
        self._nums: dict[str, tuple[str, dict[int, int], dict[int, _Level]]] = {}
        self._counters: dict[str, list[int | None]] = {}
        self._used: set[str] = set()
        if numbering_el is None:
            return
        for an in numbering_el.iterchildren(_w("abstractNum")):
            self._abstract[an.get(_w("abstractNumId")) or ""] = {
                _int(lvl.get(_w("ilvl"))) or 0: _level(lvl) for lvl in an.iterchildren(_w("lvl"))
            }
        for num in numbering_el.iterchildren(_w("num")):
            starts: dict[int, int] = {}
            custom: dict[int, _Level] = {}
            for ov in num.iterchildren(_w("lvlOverride")):
                ilvl = _int(ov.get(_w("ilvl"))) or 0
                start = _int(_val(ov.find(_w("startOverride"))))
                if start is not None:
                    starts[ilvl] = start
                if ov.find(_w("lvl")) is not None:
                    custom[ilvl] = _level(ov.find(_w("lvl")))
            self._nums[num.get(_w("numId")) or ""] = (_val(num.find(_w("abstractNumId"))) or "", starts, custom)

    def label(self, num_id: str, ilvl: int) -> str | None:
        """The printed number of the next paragraph in list num_id at level ilvl; None for bullets."""
        if num_id not in self._nums or not 0 <= ilvl < 9:
            return None
        abstract_id, starts, custom = self._nums[num_id]
        levels = {**self._abstract.get(abstract_id, {}), **custom}
        level = levels.get(ilvl)
        if level is None or level.fmt == "bullet":
            return None
        counters = self._counters.setdefault(abstract_id, [None] * 9)
        if num_id not in self._used:
            self._used.add(num_id)
            for lv in starts:
                if 0 <= lv < 9:
                    counters[lv] = None
        start = starts.get(ilvl, level.start)
        current = counters[ilvl]
        counters[ilvl] = start if current is None else current + 1
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = None

        def value(m: regex.Match[str]) -> str:
            lv = int(m.group(1)) - 1
            lvl = levels.get(lv, _Level())
            n = counters[lv] if 0 <= lv < 9 and counters[lv] is not None else starts.get(lv, lvl.start)
            fmt = "decimal" if level.legal and lv != ilvl else lvl.fmt
            return format_number(int(n or 0), fmt)

        text = regex.sub(r"%([1-9])", value, level.text)
        if text and level.suffix != "nothing" and regex.search(r"[\p{L}\p{N}]$", text):
            text += " "  # "第一章 总则": a word-like label needs its separator
        return text


_SPACES = " \t\u3000\u00a0"


def _numbered_as_text(text: str, label: str) -> bool:
    """The paragraph already prints its number: WPS Office writes outline numbering both as list
    numbering and as text, so the label would show twice ("一、一、总体要求", "1.1 1.1 目标").

    Either the text opens with an outline number of its own, or with the label itself (a form
    the outline patterns do not know: "1.1", "第一条", "Ⅰ、"), spaces aside.
    """
    body = text.lstrip(_SPACES)
    if numbering(body) is not None:
        return True
    number = regex.sub(f"[{_SPACES}]", "", label)
    squashed = regex.sub(f"[{_SPACES}]", "", body)
    # ... and not a number that merely starts the same way ("1." before "1.5亿元").
    return bool(number) and squashed.startswith(number) and not squashed[len(number) : len(number) + 1].isdigit()


def _level(lvl: Any) -> _Level:
    start = _int(_val(lvl.find(_w("start"))))
    return _Level(
        start=1 if start is None else start,
        fmt=_val(lvl.find(_w("numFmt"))) or "decimal",
        text=_val(lvl.find(_w("lvlText"))) or "",
        legal=lvl.find(_w("isLgl")) is not None and _val(lvl.find(_w("isLgl"))) not in ("0", "false", "off"),
        suffix=_val(lvl.find(_w("suff"))) or "tab",
    )


# --------------------------------------------------------------------------
# Body -> blocks
# --------------------------------------------------------------------------

# Subtrees whose text a reader does not see in the flow of the page.
_SKIP = {
    _w("del"), _w("moveFrom"), _w("drawing"), _w("pict"), _w("object"), _w("rPr"), _w("pPr"),
    _w("rt"), _w("txbxContent"), _w("footnoteReference"), _w("endnoteReference"), f"{{{MC_NS}}}Fallback",
    f"{{{MC_NS}}}AlternateContent",
}
_BREAKS = {_w("br"), _w("cr")}


@dataclass
class _Reader:
    styles: _Styles
    numbering: _Numbering

    def blocks(self, container: Any) -> Iterator[Block]:
        """Blocks of a body, a table cell or a content control, in order."""
        for child in container.iterchildren():
            tag = child.tag
            if tag == _w("p"):
                yield from self.paragraph(child)
            elif tag == _w("tbl"):
                yield from self.table(child)
            elif tag == _w("sdt"):
                if not _is_toc(child):
                    content = child.find(_w("sdtContent"))
                    if content is not None:
                        yield from self.blocks(content)
            elif tag in (_w("customXml"), _w("sdtContent"), _w("ins"), _w("moveTo")):
                yield from self.blocks(child)

    # paragraphs -----------------------------------------------------------

    def paragraph(self, p: Any) -> Iterator[Block]:
        ppr = p.find(_w("pPr"))
        style_id = _val(ppr.find(_w("pStyle"))) if ppr is not None else None
        style = self.styles.name(style_id)
        if style and _TOC_STYLE.match(style):
            return  # a table-of-contents line repeats a heading
        text = self.paragraph_text(p, ppr, style_id)
        if not text.strip():
            return
        outline = _int(_val(ppr.find(_w("outlineLvl")))) if ppr is not None else None
        if outline is None:
            outline = self.styles.outline(style_id)
        for part in _split_breaks(text):
            block = Block(kind="paragraph", text=part, style=style)
            if outline is not None and 0 <= outline < 9 and looks_like_heading(part):
                block.kind = "heading"
                if numbering(part) is None:  # a numbered heading's level comes from its number
                    block.level = outline + 1
            yield block

    def paragraph_text(self, p: Any, ppr: Any, style_id: str | None) -> str:
        text = "".join(_run_text(p))
        label = self._list_label(ppr, style_id)
        if label and not _numbered_as_text(text, label):
            text = label + text.lstrip()
        return text

    def _list_label(self, ppr: Any, style_id: str | None) -> str | None:
        num_pr = ppr.find(_w("numPr")) if ppr is not None else None
        num = _num_pr(num_pr)
        style_num = self.styles.num(style_id)
        if num is None:
            num = style_num
        elif num_pr is not None and num_pr.find(_w("ilvl")) is None and style_num is not None:
            num = (num[0], style_num[1])  # the level comes from the style
        if num is None or num[0] == "0":  # numId 0: numbering switched off
            return None
        return self.numbering.label(*num)

    # tables ---------------------------------------------------------------

    def table(self, tbl: Any) -> Iterator[Block]:
        if _grid_width(tbl) < 2:  # a layout frame: read what it holds as ordinary blocks
            for tc in _cells(tbl):
                yield from self.blocks(tc)
            return
        rows = [r for r in self.grid(tbl) if any(c.strip() for c in r)]
        if not rows:
            return
        marked = sum(1 for _ in _leading_header_rows(tbl))
        table = Table(rows=rows, header_rows=min(marked, len(rows)) or guess_header_rows(rows))
        yield Block(kind="table", text=table.render(), table=table)

    def grid(self, tbl: Any) -> list[list[str]]:
        """The table's cell values on its grid, merged cells repeated."""
        rows: list[list[str]] = []
        for tr in _rows(tbl):
            trpr = tr.find(_w("trPr"))
            before = _grid_pad(trpr, "gridBefore")
            after = _grid_pad(trpr, "gridAfter")
            row = [""] * before
            above = rows[-1] if rows else []
            for tc in _row_cells(tr):
                tcpr = tc.find(_w("tcPr"))
                span = _span(tcpr)
                vmerge = tcpr.find(_w("vMerge")) if tcpr is not None else None
                if vmerge is not None and _val(vmerge) in (None, "continue"):
                    col = len(row)
                    value = above[col] if col < len(above) else ""
                else:
                    value = self.cell_text(tc)
                row += [value] * span
            rows.append(row + [""] * after)
        width = max((len(r) for r in rows), default=0)
        return [r + [""] * (width - len(r)) for r in rows]

    def cell_text(self, tc: Any) -> str:
        """A cell's paragraphs on separate lines; a nested table flattened into them."""
        lines: list[str] = []
        for block in self.blocks(tc):
            if block.table is not None:
                lines += [" ".join(c for c in row if c) for row in block.table.rows]
            else:
                lines.append(block.text)
        return clean.squeeze_cell("\n".join(lines))


def _grid_width(tbl: Any) -> int:
    """Grid columns of the widest row, counted from the markup (no cell text read)."""
    widths = [0]
    for tr in _rows(tbl):
        trpr = tr.find(_w("trPr"))
        cells = sum(_span(tc.find(_w("tcPr"))) for tc in _row_cells(tr))
        widths.append(_grid_pad(trpr, "gridBefore") + cells + _grid_pad(trpr, "gridAfter"))
    return max(widths)


def _span(tcpr: Any) -> int:
    """Grid columns a cell covers (w:gridSpan), capped against absurd values."""
    n = _int(_val(tcpr.find(_w("gridSpan")))) if tcpr is not None else None
    return max(1, min(n or 1, 64))


def _grid_pad(trpr: Any, tag: str) -> int:
    """Empty grid columns before or after a row's cells (w:gridBefore / w:gridAfter)."""
    n = _int(_val(trpr.find(_w(tag)))) if trpr is not None else None
    return max(0, min(n or 0, 64))


def _run_text(el: Any) -> Iterator[str]:
    """The visible text under a paragraph element, in order."""
    for child in el.iterchildren():
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        if tag == _w("r") and _hidden(child):
            continue
        if tag == _w("t"):
            yield child.text or ""
        elif tag == _w("tab") or tag == _w("ptab"):
            yield " "
        elif tag in _BREAKS:
            if child.get(_w("type")) not in ("page", "column"):
                yield "\n"
        elif tag == _w("noBreakHyphen"):
            yield "-"
        else:
            yield from _run_text(child)


def _hidden(run: Any) -> bool:
    rpr = run.find(_w("rPr"))
    vanish = rpr.find(_w("vanish")) if rpr is not None else None
    return vanish is not None and _val(vanish) not in ("0", "false", "off")


def _split_breaks(text: str) -> list[str]:
    """Manual line breaks: a new paragraph after a sentence or before an outline number, else a wrap."""
    parts: list[str] = []
    for line in (clean.squeeze(x) for x in text.split("\n")):
        if not line:
            continue
        if parts and not parts[-1].endswith(SENTENCE_END) and not opens_section(line) and not (
            numbering(parts[-1]) and looks_like_heading(parts[-1])
        ):
            parts[-1] = join_wrapped(parts[-1], line)
        else:
            parts.append(line)
    return parts


def _is_toc(sdt: Any) -> bool:
    gallery = sdt.find(f"{_w('sdtPr')}/{_w('docPartObj')}/{_w('docPartGallery')}")
    return gallery is not None and "Contents" in (_val(gallery) or "")


def _rows(tbl: Any) -> Iterator[Any]:
    """The table's rows, also those wrapped in content controls; deleted rows skipped."""
    for child in tbl.iterchildren():
        if child.tag == _w("tr"):
            trpr = child.find(_w("trPr"))
            if trpr is None or trpr.find(_w("del")) is None:
                yield child
        elif child.tag in (_w("sdt"), _w("customXml")):
            content = child.find(_w("sdtContent")) if child.tag == _w("sdt") else child
            if content is not None:
                yield from _rows(content)


def _row_cells(tr: Any) -> Iterator[Any]:
    for child in tr.iterchildren():
        if child.tag == _w("tc"):
            yield child
        elif child.tag in (_w("sdt"), _w("customXml")):
            content = child.find(_w("sdtContent")) if child.tag == _w("sdt") else child
            if content is not None:
                yield from _row_cells(content)


def _cells(tbl: Any) -> Iterator[Any]:
    for tr in _rows(tbl):
        yield from _row_cells(tr)


def _leading_header_rows(tbl: Any) -> Iterator[Any]:
    """Rows marked 'repeat as header row' (w:tblHeader) at the top of the table."""
    for tr in _rows(tbl):
        trpr = tr.find(_w("trPr"))
        mark = trpr.find(_w("tblHeader")) if trpr is not None else None
        if mark is None or _val(mark) in ("0", "false", "off"):
            return
        yield tr


def _clean(blocks: list[Block], meta: dict[str, str]) -> list[Block]:
    """Drop site-chrome lines, move header fields (索引号 ...) into meta, strip converter markers."""
    out: list[Block] = []
    for b in blocks:
        if b.kind == "table":
            out.append(b)
            continue
        text = clean.squeeze(clean.strip_inline(b.text))
        if not text or clean.is_noise_line(text):
            continue
        fields = clean.parse_meta_line(text)
        if fields is not None and b.kind == "paragraph":
            for k, v in fields.items():
                meta.setdefault(k, v)
            continue
        b.text = text
        out.append(b)
    return out
