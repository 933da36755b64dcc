"""Placeholder: the html reader is being written."""

from __future__ import annotations

from planextract.ingest.errors import IngestError
from planextract.models import Document


def read_html(data: bytes, doc: Document) -> Document:
    raise IngestError("unsupported_format", "html files are not supported yet")
