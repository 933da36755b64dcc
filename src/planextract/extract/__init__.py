"""Extract: a structured Document -> records (targets, projects, tasks, agencies, metadata).

`extract_document` is the one entry point; each extractor is a module with one job.
"""

from __future__ import annotations

from planextract import rules
from planextract.extract import agencies, metadata, projects, targets, tasks
from planextract.models import BlockRecord, Document, FileResult


def block_records(doc: Document) -> list[BlockRecord]:
    return [
        BlockRecord(
            block_id=b.id,
            doc_id=doc.doc_id,
            index=b.index,
            kind=b.kind,
            level=b.level,
            number=b.number,
            section_path=b.section_path,
            text=b.text,
            start=b.start,
            end=b.end,
            page=b.page,
            caption=b.table.caption if b.table else None,
            n_rows=b.table.n_rows if b.table else None,
            n_cols=b.table.n_cols if b.table else None,
        )
        for b in doc.blocks
    ]


def warm_up() -> None:
    """Load what every extraction needs once (rules, gazetteer, jieba, patterns).

    Called in the parent before worker processes fork, so each worker starts
    with these in (shared, copy-on-write) memory instead of paying ~2 s each.
    """
    from planextract import gazetteer
    from planextract.extract import numbers, segment

    numbers.find_quantities("到2025年达到1万亩")
    segment.has_verb("新增企业")
    gazetteer.scan("浙江省杭州市桐庐县")
    for path in sorted(rules.rules_dir().glob("*.toml")):
        rules.load(path.stem)


def extract_document(doc: Document) -> FileResult:
    meta = metadata.extract_metadata(doc)
    found_tasks = tasks.extract_tasks(doc)
    found_targets = targets.extract_targets(doc, meta)
    found_projects = projects.extract_projects(doc)
    agency_rows, target_links, task_links = agencies.link_agencies(doc, meta, found_targets, found_tasks)
    return FileResult(
        path=doc.path,
        sha256=doc.sha256,
        document=meta,
        blocks=block_records(doc),
        targets=found_targets,
        projects=found_projects,
        tasks=found_tasks,
        agencies=agency_rows,
        target_agencies=target_links,
        task_agencies=task_links,
    )
