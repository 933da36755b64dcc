"""Targets and actuals of a document: the prose reader over its paragraphs and prose cells, then its indicator tables.

Prose is read by planextract.extract.prose (a sentence at a time, one
quantity mention at a time); indicator grids and which table cells are prose
by table_targets. This module walks the blocks and hands each paragraph the
agencies its responsibility note names (extract/responsibility.py: a
"（责任单位：…）" closing the item, lines of their own under it, a heading
"X牵头" above it).
"""

from __future__ import annotations

from planextract.extract import prose, responsibility, table_targets
from planextract.models import Document, DocumentMeta, Target


def extract_targets(doc: Document, meta: DocumentMeta) -> list[Target]:
    """Every target of the document, from prose and from tables."""
    return read_document(doc, meta).targets


# No real plan states this many goals and results: a document past it is a broken or hostile text, read up to
# here (a warning says so) so that one file cannot take a worker's memory.
MAX_PROSE_RECORDS = 20_000


def read_document(doc: Document, meta: DocumentMeta) -> prose.ProseResult:
    """Targets, actuals and every quantity mention of the document (prose, prose cells, indicator tables)."""
    ctx = prose.document_context(doc, meta)
    out = prose.ProseResult()
    agencies = responsibility.block_agencies(doc)  # block index -> its item's responsible agencies
    for block in doc.blocks:
        if out.truncated:
            break
        if block.kind in ("paragraph", "heading"):  # a numbered item is a heading and may state a goal
            if responsibility.note_line(block.text) is not None:
                continue  # a line of its own naming agencies ("责任单位：…") sets no target
            out.extend(prose.read_text(ctx, block, block.text, block.start, agencies=agencies.get(block.index, []),
                                       limit=MAX_PROSE_RECORDS - out.records))
        elif block.kind == "table" and block.table is not None:
            for cell in table_targets.prose_cells(doc, meta, block):
                found = prose.read_text(
                    ctx, block, cell.text, cell.offset, source="table", cell=(cell.row, cell.col), agencies=cell.agencies,
                    limit=MAX_PROSE_RECORDS - out.records,
                )
                cell.finish(found.targets)
                out.extend(found)
    out.targets += table_targets.extract_table_targets(doc, meta, meta.plan_end)
    for i, t in enumerate(out.targets):
        t.target_id = f"{doc.doc_id}-t{i:04d}"
    for i, a in enumerate(out.actuals):
        a.actual_id = f"{doc.doc_id}-a{i:04d}"
    return out
