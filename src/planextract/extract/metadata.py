"""Document metadata: title, region (+ code, city, province), issuer, type, dates, plan period."""

from __future__ import annotations

from planextract.models import Document, DocumentMeta


def extract_metadata(doc: Document) -> DocumentMeta:
    return DocumentMeta(
        doc_id=doc.doc_id,
        path=doc.path,
        format=doc.format,
        encoding=doc.encoding,
        size=doc.size,
        sha256=doc.sha256,
        pages=doc.pages,
        n_blocks=len(doc.blocks),
        warnings=list(doc.warnings),
    )
