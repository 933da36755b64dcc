"""Targets: forward-looking quantitative goals, from prose and from tables."""

from __future__ import annotations

from planextract.models import Document, DocumentMeta, Target


def extract_targets(doc: Document, meta: DocumentMeta) -> list[Target]:
    return []
