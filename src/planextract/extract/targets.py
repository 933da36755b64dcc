"""Targets and actuals of a document: the prose reader over its paragraphs and prose cells, then its indicator tables.

Prose is read by planextract.extract.prose (a sentence at a time, one
quantity mention at a time); indicator grids by table_targets. This module
walks the blocks and hands each paragraph its responsibility note
("（责任单位：…）", or a line of its own under the item).
"""

from __future__ import annotations

import regex

from planextract.extract import prose, table_targets
from planextract.extract.agencies import split_agencies
from planextract.extract.prose.indicator import is_platform
from planextract.models import Block, Document, DocumentMeta, Target

_SENTENCE_PUNCT = regex.compile(r"[，。；]")
_RESP_LABEL = r"(?:主要)?(?:责任单位|牵头单位|责任部门|牵头部门|责任主体)"
# A trailing note "（责任单位：A、B）" (names may hold brackets: 开发区（航空小镇）).
_RESP = regex.compile(rf"[（(]\s*{_RESP_LABEL}\s*[:：](?P<body>.*?)[）)]?\s*[。.]?\s*$")
# The same note printed as a line of its own under the item.
_RESP_LINE = regex.compile(rf"^(?P<open>[（(])?\s*{_RESP_LABEL}\s*[:：](?P<body>.*?)(?(open)[）)])\s*[。.]?\s*$")
_SUPPORT_PART = regex.compile(r"^\s*(?:配合|协助|参与|协同)(?:单位|部门)\s*[:：]|(?:配合|参与|协助)\s*$")
_RESP_PREFIX = regex.compile(rf"^\s*{_RESP_LABEL}\s*[:：]")
_CLAUSE_SEP = regex.compile(r"[，,；;]")
_NAME_END = regex.compile(r"[。，,；;（(\n]")
_ROW_NUMBER = regex.compile(r"[★☆*＊]?\d+")


def extract_targets(doc: Document, meta: DocumentMeta) -> list[Target]:
    """Every target of the document, from prose and from tables."""
    return read_document(doc, meta).targets


def read_document(doc: Document, meta: DocumentMeta) -> prose.ProseResult:
    """Targets, actuals and every quantity mention of the document (prose, prose cells, indicator tables)."""
    ctx = prose.document_context(doc, meta)
    out = prose.ProseResult()
    item: list[Target] = []  # the targets of the last paragraph, for a note on the next line
    for block in doc.blocks:
        if block.kind in ("paragraph", "heading"):  # a numbered item is a heading and may state a goal
            line = _RESP_LINE.match(block.text.strip())
            if line:
                for t in item:
                    t.agencies = t.agencies or _responsible(line.group("body"))
                item = []
                continue
            found = prose.read_text(ctx, block, block.text, block.start, agencies=_agencies_of(block.text))
            item = found.targets
            out.extend(found)
        elif block.kind == "table" and block.table is not None:
            out.extend(_from_table_prose(ctx, block))
    out.targets += table_targets.extract_table_targets(doc, meta, meta.plan_end)
    for i, t in enumerate(out.targets):
        t.target_id = f"{doc.doc_id}-t{i:04d}"
    for i, a in enumerate(out.actuals):
        a.actual_id = f"{doc.doc_id}-a{i:04d}"
    return out


def _agencies_of(text: str) -> list[str]:
    """Agencies named for a numbered item: its trailing （责任单位：…）, lead first."""
    m = _RESP.search(text)
    return _responsible(m.group("body")) if m else []


def _responsible(body: str) -> list[str]:
    """Names in a responsibility note, lead first, without the supporting ones."""
    body = body.split("。")[0]
    names: list[str] = []
    for part in _CLAUSE_SEP.split(body):
        if _SUPPORT_PART.search(part) and names:
            continue  # "各成员单位配合", "配合单位：…": support, not responsible for the target
        part = _RESP_PREFIX.sub("", part)
        names += split_agencies(part)
    return names


# --------------------------------------------------------------------------
# prose inside table cells
# --------------------------------------------------------------------------

_PROJECT_HEADERS = ("项目名称", "总投资", "建设内容")
_SKIP_COLUMNS = ("位置", "范围", "理由", "依据", "基础", "现状", "名称", "单位", "序号")


def _row_place(row: list[str]) -> str | None:
    """The platform a list row is about: its name cell up to the first full stop."""
    for cell in row:
        name = _NAME_END.split(cell.strip(), maxsplit=1)[0].strip()
        if name and not _ROW_NUMBER.fullmatch(name):
            return name if is_platform(name) and len(name) <= 20 else None
    return None


def _from_table_prose(ctx: prose.DocContext, block: Block) -> prose.ProseResult:
    table = block.table
    assert table is not None
    header = table.header
    out = prose.ProseResult()
    if any(h for h in header if any(p in h for p in _PROJECT_HEADERS)):
        return out
    for r, row in enumerate(table.rows):
        if r < table.header_rows:
            continue
        for c, cell in enumerate(row):
            if len(cell) < 12 or not _SENTENCE_PUNCT.search(cell):
                continue
            if c < len(header) and any(k in header[c] for k in _SKIP_COLUMNS):
                continue
            if c > 0 and row[c - 1] == cell:
                continue  # a merged cell repeated: read it once
            s, _ = table.cell_span(r, c)
            flat = cell.replace("\n", " ").replace("\t", " ")
            found = prose.read_text(ctx, block, flat, block.start + s, source="table", cell=(r, c))
            place = _row_place(row)
            for t in found.targets:
                t.scope = t.scope or place
            out.extend(found)
    return out
