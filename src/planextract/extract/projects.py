"""Projects from project-list tables (重大项目清单 and the like)."""

from __future__ import annotations

from planextract.models import Document, Project


def extract_projects(doc: Document) -> list[Project]:
    return []
