"""Ingest: one reader per format, each turning file bytes into a Document.

`ingest_bytes` is the single entry point; it sniffs what the bytes really
are (not what the name says) and hands them to that format's reader. A file
that cannot be read raises IngestError with a reason for the errors table.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from planextract.ingest.clean import visible
from planextract.ingest.errors import IngestError
from planextract.ingest.sniff import sniff_format
from planextract.models import Document
from planextract.structure import structure

Reader = Callable[[bytes, Document], Document]


def _readers() -> dict[str, Reader]:
    # Imported lazily so that a missing optional parser only affects its format.
    from planextract.ingest.docx import read_docx
    from planextract.ingest.html import read_html
    from planextract.ingest.pdf import read_pdf
    from planextract.ingest.text import read_text

    return {"text": read_text, "html": read_html, "pdf": read_pdf, "docx": read_docx}


def doc_id_for(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def ingest_bytes(data: bytes, rel_path: str, suffix: str) -> Document:
    """Bytes of one file -> a structured Document (or IngestError)."""
    if not data:
        raise IngestError("empty_file", "empty file: it has 0 bytes")
    fmt = sniff_format(data, suffix)
    if fmt == "doc":
        from planextract.ingest.docx import ole_error

        raise ole_error(data, suffix)
    if fmt == "rtf":
        raise IngestError("unsupported_format", "RTF file: not supported, save it as .docx")
    sha = hashlib.sha256(data).hexdigest()
    doc = Document(doc_id=sha[:16], path=rel_path, format=fmt, size=len(data), sha256=sha)
    readers = _readers()
    doc = readers[fmt](data, doc)
    expected = {".pdf": "pdf", ".docx": "docx", ".html": "html", ".htm": "html"}.get(suffix.lower())
    if expected and expected != fmt and not (expected == "html" and fmt == "text"):
        doc.warnings.append(f"content is {fmt}, not {expected} as the file name says")
    elif suffix.lower() in {".txt", ""} and fmt in {"pdf", "docx", "html"}:
        doc.warnings.append(f"content is {fmt}, though the file name says {suffix or 'nothing'}")
    structure(doc)
    if not any(visible(b.text) for b in doc.blocks):  # blank lines, or only zero-width and other invisible marks
        raise IngestError("no_text", "no text found in the file (nothing a reader would see)", stage="structure")
    return doc
