"""Agencies: names as written -> canonical names; link rows for targets and tasks."""

from __future__ import annotations

from planextract.models import Agency, Document, DocumentMeta, Target, TargetAgency, Task, TaskAgency


def link_agencies(
    doc: Document, meta: DocumentMeta, targets: list[Target], tasks: list[Task]
) -> tuple[list[Agency], list[TargetAgency], list[TaskAgency]]:
    return [], [], []
