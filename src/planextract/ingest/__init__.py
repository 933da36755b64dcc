"""Ingest: one reader per format, each turning file bytes into a Document.

`ingest_bytes` is the single entry point; it sniffs what the bytes really
are (not what the name says) and hands them to that format's reader. A file
that cannot be read raises IngestError with a reason for the errors table.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Literal

from planextract.ingest.clean import visible
from planextract.ingest.errors import IngestError
from planextract.ingest.sniff import sniff_format
from planextract.models import Document
from planextract.structure import structure

Reader = Callable[[bytes, Document], Document]
# auto: OCR the pages of a PDF that have no text layer (or a garbled one); force: every page; off: none.
OcrMode = Literal["auto", "off", "force"]
OCR_MODES: tuple[OcrMode, ...] = ("auto", "off", "force")


def _readers() -> dict[str, Reader]:
    # Imported lazily so that a missing optional parser only affects its format.
    from planextract.ingest.docx import read_docx
    from planextract.ingest.html import read_html
    from planextract.ingest.pdf import read_pdf
    from planextract.ingest.text import read_text

    return {"text": read_text, "html": read_html, "pdf": read_pdf, "docx": read_docx}


def reading_setup(ocr: OcrMode = "auto") -> str:
    """What, besides the code and the rules, decides what a file yields: the OCR mode and engine,
    and whether LibreOffice can convert .doc files. Part of the cache key, so installing the OCR
    extra or LibreOffice re-reads the files that needed them."""
    from planextract.ingest import legacy, ocr as ocr_engine

    return f"ocr={ocr}:{ocr_engine.version() or 'none'};soffice={'yes' if legacy.soffice() else 'no'}"


def doc_id_for(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def ingest_bytes(data: bytes, rel_path: str, suffix: str, *, ocr: OcrMode = "auto") -> Document:
    """Bytes of one file -> a structured Document (or IngestError)."""
    if not data:
        raise IngestError("empty_file", "empty file: it has 0 bytes")
    fmt = sniff_format(data, suffix)
    if fmt == "rtf":
        raise IngestError("unsupported_format", "RTF file: not supported, save it as .docx")
    sha = hashlib.sha256(data).hexdigest()
    doc = Document(doc_id=sha[:16], path=rel_path, format=fmt, size=len(data), sha256=sha)
    if fmt == "doc":
        doc = _read_legacy_word(data, doc, suffix)
    elif fmt == "pdf":
        from planextract.ingest.pdf import PdfOptions, read_pdf

        doc = read_pdf(data, doc, PdfOptions(ocr=ocr))
    else:
        doc = _readers()[fmt](data, doc)
    doc.warnings += _name_mismatch(fmt, suffix)
    structure(doc)
    if not any(visible(b.text) for b in doc.blocks):  # blank lines, or only zero-width and other invisible marks
        raise IngestError("no_text", "no text found in the file (nothing a reader would see)", stage="structure")
    return doc


def _read_legacy_word(data: bytes, doc: Document, suffix: str) -> Document:
    """An OLE Word file, converted to .docx by LibreOffice and read as one (format stays 'doc')."""
    from planextract.ingest import legacy
    from planextract.ingest.docx import ole_error, read_docx

    if legacy.is_encrypted(data):
        raise ole_error(data, suffix)
    if not legacy.is_word(data):
        raise IngestError("legacy_doc", "OLE compound file with no Word document in it (damaged, or an old "
                          "Excel or PowerPoint file): not read")
    doc = read_docx(legacy.to_docx(data, suffix), doc)
    doc.format = "doc"
    doc.warnings.append("legacy Word file: read from its conversion to .docx by LibreOffice")
    return doc


def _name_mismatch(fmt: str, suffix: str) -> list[str]:
    expected = {".pdf": "pdf", ".docx": "docx", ".html": "html", ".htm": "html"}.get(suffix.lower())
    if expected and expected != fmt and not (expected == "html" and fmt == "text"):
        return [f"content is {fmt}, not {expected} as the file name says"]
    if suffix.lower() in {".txt", ""} and fmt in {"pdf", "docx", "html"}:
        return [f"content is {fmt}, though the file name says {suffix or 'nothing'}"]
    return []
