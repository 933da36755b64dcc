"""Extract: a structured Document -> records (targets, projects, tasks, agencies, metadata).

`extract_document` is the one entry point; each extractor is a module with one job.
"""

from __future__ import annotations

from typing import Any

from planextract import rules
from planextract.extract import agencies, indicator_codes, metadata, normalise, projects, table_actuals, targets, tasks
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
            char_start=b.start,
            char_end=b.end,
            page=b.page,
            ocr=b.ocr,
            ocr_confidence=b.ocr_confidence,
            caption=b.table.caption if b.table else None,
            n_rows=b.table.n_rows if b.table else None,
            n_cols=b.table.n_cols if b.table else None,
        )
        for b in doc.blocks
    ]


# A small plan, read end to end by warm_up: it reaches the lazily built parts
# of every extractor (patterns, vocabularies, Chinese numerals, the verb check).
_WARM_UP_TEXT = """浙江省杭州市桐庐县产业发展三年行动计划（2023—2025年）
一、发展目标
到2025年，全县地区生产总值力争达到六百亿元，年均增长7%以上；新增规上工业企业三十家、高新技术企业20家。
二、重点任务
（一）推进产业升级。实施技术改造项目50个。（责任单位：县经信局、县发改局）
附件：重点项目
\t序号
\t项目名称
\t建设内容
\t总投资（亿元）
\t建设年限

\t1
\t智能制造产业园
\t建设标准厂房10万平方米
\t12
\t2023—2025

\t2
\t城乡供水一体化工程
\t新建水厂一座
\t3.5
\t2024—2025
"""


def warm_up() -> None:
    """Load what every extraction needs once (rules, gazetteer, jieba, patterns).

    Called before files are read (in the parent, before worker processes
    fork), so each worker starts with these in shared, copy-on-write memory
    instead of paying a few seconds on its first file.
    """
    from planextract.ingest import ingest_bytes

    for name in rules.rule_names():
        if name.endswith(".toml"):
            rules.load(name.removesuffix(".toml"))
    for encoding in ("utf-8", "gb18030"):  # the second also warms up the encoding checks
        extract_document(ingest_bytes(_WARM_UP_TEXT.encode(encoding), "warm-up.txt", ".txt"))


def _inherit_ocr(doc: Document, groups: list[list[Any]]) -> None:
    """A record read from an OCR'd block says so, with the block's confidence (the extractors need not know)."""
    read = {b.id: b for b in doc.blocks if b.ocr}
    if not read:
        return
    for records in groups:
        for r in records:
            block = read.get(r.block_id)
            if block is not None:
                r.ocr, r.ocr_confidence = True, block.ocr_confidence


def extract_document(doc: Document) -> FileResult:
    """Every record of one document, read from its matching view (see normalise.py), spans in doc's own text."""
    view = normalise.matching_view(doc)
    result = _extract(view.doc)
    result.blocks = block_records(doc)  # the blocks as they are, not as matched
    return view.restore(result)


def _extract(doc: Document) -> FileResult:
    meta = metadata.extract_metadata(doc)
    found_tasks = tasks.extract_tasks(doc)
    prose_found = targets.read_document(doc, meta)
    if prose_found.truncated:
        meta.warnings.append(f"more than {targets.MAX_PROSE_RECORDS:,} targets and actuals in the text: "
                             f"only the first {targets.MAX_PROSE_RECORDS:,} were read")
    found_targets = prose_found.targets
    found_projects = projects.extract_projects(doc)
    found_actuals = prose_found.actuals + table_actuals.extract_table_actuals(doc, meta, meta.plan_end)
    for i, actual in enumerate(found_actuals):  # ids once every extractor's actuals are in
        actual.actual_id = f"{doc.doc_id}-a{i:04d}"
    agency_rows, target_links, task_links = agencies.link_agencies(doc, meta, found_targets, found_tasks)
    _inherit_ocr(doc, [found_targets, found_actuals, found_projects, found_tasks])
    result = FileResult(
        path=doc.path,
        sha256=doc.sha256,
        document=meta,
        targets=found_targets,
        actuals=found_actuals,
        projects=found_projects,
        tasks=found_tasks,
        agencies=agency_rows,
        target_agencies=target_links,
        task_agencies=task_links,
    )
    # A post-pass over every record with an indicator, whichever extractor found it.
    indicator_codes.assign_codes([*result.targets, *result.actuals], meta)
    return result
