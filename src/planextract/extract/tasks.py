"""Tasks: numbered work items naming responsible agencies, and 牵头/配合 list rows."""

from __future__ import annotations

from planextract.models import Document, Task


def extract_tasks(doc: Document) -> list[Task]:
    return []
