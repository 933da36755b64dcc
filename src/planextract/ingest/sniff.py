"""Format and encoding detection: what a file is, whatever its name says."""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from planextract.ingest.errors import IngestError

_BOMS = [
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
# Tried in order before asking charset-normalizer: Chinese government text is
# almost always one of these, and a strict decode that succeeds is reliable.
_CANDIDATES = ["utf-8", "gb18030"]


def sniff_format(data: bytes, suffix: str) -> str:
    """The format a file really is: pdf, docx, doc, html, text, or the suffix's guess."""
    head = data[:2048]
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"  # a zip; the docx reader checks it holds word/document.xml
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    low = head.lower().lstrip()
    for bom, _ in _BOMS:
        if low.startswith(bom):
            low = low[len(bom) :]
            break
    if low.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<html" in low[:512]:
        return "html"
    return {".pdf": "pdf", ".docx": "docx", ".doc": "doc", ".html": "html", ".htm": "html"}.get(
        suffix.lower(), "text"
    )


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode text bytes; returns (text, encoding) or raises IngestError."""
    if not data.strip():
        raise IngestError("empty_file", "empty file: no text in it")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data.decode(enc), enc.replace("-sig", "")
    if b"\x00" in data[:4096]:
        # UTF-16 without a BOM shows NULs every other byte.
        even, odd = data[0:4096:2].count(0), data[1:4096:2].count(0)
        if max(even, odd) > len(data[:4096]) // 4:
            enc = "utf-16-be" if even > odd else "utf-16-le"
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError:
                pass
        raise IngestError("binary_file", "not text: the file holds binary data (NUL bytes)")
    for enc in _CANDIDATES:
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue
    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise IngestError("undecodable_text", "cannot decode text: no known encoding fits")
    return str(best), best.encoding
