"""Placeholder: the docx reader is being written."""

from __future__ import annotations

from planextract.ingest.errors import IngestError
from planextract.models import Document


def read_docx(data: bytes, doc: Document) -> Document:
    raise IngestError("unsupported_format", "docx files are not supported yet")
