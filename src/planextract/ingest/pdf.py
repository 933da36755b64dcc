"""Placeholder: the pdf reader is being written."""

from __future__ import annotations

from planextract.ingest.errors import IngestError
from planextract.models import Document


def read_pdf(data: bytes, doc: Document) -> Document:
    raise IngestError("unsupported_format", "pdf files are not supported yet")
