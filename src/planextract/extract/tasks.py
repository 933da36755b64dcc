"""Tasks: numbered work items naming responsible agencies, and 牵头/配合 list rows.

Two sources:

* text: a numbered item ("1.全面落实…。…（责任单位：县经信局…）"), or a
  numbered heading whose body ends in such a note;
* tables: every row of a list with 牵头单位 / 配合单位 (or 责任单位) columns
  that is not an indicator table.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import regex

from planextract import rules
from planextract.extract import responsibility
from planextract.extract.projects import cell_text, list_title, project_columns, row_provenance
from planextract.models import Block, Document, Table, Task

# Patterns compiled once (the regex module re-checks its cache on every call).
_SPACES = regex.compile(r"\s+")
_LEADING_YEAR = regex.compile(r"^(?:19|20)\d{2}年")

_STOPS = "。；;！？!?"
_OWNER_LOOKBACK = 12  # blocks an unnumbered note may sit below its numbered item
_TOTAL_ROW = regex.compile(r"^(?:合计|小计|总计|共计)")
_KEY_MARKS = "★☆*＊※"


# --------------------------------------------------------------------------
# Shared text helpers
# --------------------------------------------------------------------------


def printed_number(number: str | None) -> str | None:
    """The number as printed without its trailing punctuation: "1." -> "1", "一、" -> "一"."""
    if not number:
        return None
    return number.strip().rstrip("、.．,，:：　 ") or None


def _first_sentence(text: str) -> str:
    """Text up to the first full stop outside brackets and quotes."""
    depth = 0
    for i, ch in enumerate(text):
        if ch in "（(【[《“":
            depth += 1
        elif ch in "）)】]》”":
            depth = max(0, depth - 1)
        elif depth == 0 and ch in _STOPS:
            return text[:i]
    return text


def _undouble(title: str) -> str:
    """"推动企业做大做强推动企业做大做强" -> "推动企业做大做强" (a pasted-twice heading)."""
    half = len(title) // 2
    if len(title) % 2 == 0 and half >= 2 and title[:half] == title[half:]:
        return title[:half]
    return title


def title_of(text: str, number: str | None = None) -> str:
    """An item's heading sentence: the text after its number, up to the first full stop."""
    text = text.strip()
    if number and text.startswith(number.strip()):
        text = text[len(number.strip()) :]
    sentence = _first_sentence(text.lstrip(" 　、.．"))
    return _undouble(_SPACES.sub("", sentence).rstrip("：:，,、"))


# --------------------------------------------------------------------------
# Tasks from text
# --------------------------------------------------------------------------


_ANNEX = regex.compile(r"^附件\s*[0-9一二三四五六七八九十]*[:：]?$")


def section_of(doc: Document, block: Block) -> str | None:
    """The heading a block sits under, as printed (without a closing 。); under a bare "附件N"
    the list title that follows it."""
    if not block.section_path:
        return None
    heading = block.section_path[-1]
    if not _ANNEX.match(heading.strip()):
        return heading.rstrip("。．. ")
    for k in range(block.index - 1, -1, -1):
        b = doc.blocks[k]
        if b.kind == "heading" and b.text.strip() == heading.strip():
            nxt = doc.blocks[k + 1] if k + 1 < len(doc.blocks) else None
            if nxt and nxt.kind == "paragraph" and not nxt.number and len(nxt.text) <= 60 and "。" not in nxt.text:
                return nxt.text.strip()
            break
    return heading


def _text_task(doc: Document, item: responsibility.ItemNote, first_leads: bool) -> Task | None:
    """The task of a numbered item and its note; span and evidence are the item, note included."""
    owner, last = doc.blocks[item.owner], doc.blocks[item.last]
    title = title_of(owner.text[: item.note_start], owner.number)
    lead, support = item.note.roles(first_leads)
    if not title or not (lead or support):
        return None
    return Task(
        number=printed_number(owner.number),
        title=title,
        section=section_of(doc, owner),
        lead=lead,
        support=support,
        doc_id=doc.doc_id,
        block_id=owner.id,
        section_path=list(owner.section_path),
        char_start=owner.start,
        char_end=last.end,
        page=owner.page,
        evidence=doc.text[owner.start : last.end],
        source="text",
        rule=f"task.{item.form}",
    )


def text_tasks(doc: Document) -> list[Task]:
    first_leads = responsibility.first_leads(doc.text)
    tasks = [_text_task(doc, item, first_leads) for item in responsibility.item_notes(doc)]
    return [t for t in tasks if t is not None]


# --------------------------------------------------------------------------
# Tasks from list tables
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Headers:
    lead: tuple[str, ...]
    responsible: tuple[str, ...]
    support: tuple[str, ...]
    name: tuple[str, ...]
    indicator: tuple[str, ...]


@lru_cache(maxsize=1)
def _headers() -> _Headers:
    t = rules.load("project_headers").get("task_lists", {})
    return _Headers(
        lead=tuple(t.get("lead", ["牵头单位"])),
        responsible=tuple(t.get("responsible", ["责任单位"])),
        support=tuple(t.get("support", ["配合单位"])),
        name=tuple(t.get("name", ["名称"])),
        indicator=tuple(t.get("indicator", ["指标"])),
    )


@dataclass
class _TaskColumns:
    name: int
    seq: int | None
    lead: int | None  # a 牵头 column: everyone listed leads
    responsible: int | None  # a 责任单位 column: the convention decides
    support: int | None


def _task_columns(table: Table) -> _TaskColumns | None:
    h = _headers()
    labels = [_SPACES.sub("", x) for x in table.header]
    if any(any(w in x for w in h.indicator) or _LEADING_YEAR.match(x) for x in labels):
        return None
    if project_columns(table) is not None:
        return None

    def find(words: tuple[str, ...], taken: set[int]) -> int | None:
        return next((c for c, x in enumerate(labels) if c not in taken and any(w in x for w in words)), None)

    lead = find(h.lead, set())
    support = find(h.support, {lead} if lead is not None else set())
    taken = {c for c in (lead, support) if c is not None}
    responsible = find(h.responsible, taken) if lead is None else None
    if lead is None and responsible is None:
        return None
    taken |= {responsible} if responsible is not None else set()
    seq = next((c for c, x in enumerate(labels) if x in ("序号", "编号")), None)
    taken |= {seq} if seq is not None else set()
    name = find(h.name, taken)
    if name is None:
        name = next((c for c in range(len(labels)) if c not in taken), None)
    if name is None:
        return None
    return _TaskColumns(name=name, seq=seq, lead=lead, responsible=responsible, support=support)


def _row_agencies(row: list[str], cols: _TaskColumns, first_leads: bool) -> tuple[list[str], list[str]]:
    def cell(c: int | None) -> str:
        return row[c] if c is not None else ""

    note = responsibility.cell_note(cell(cols.lead), cell(cols.responsible), cell(cols.support))
    return note.roles(first_leads)


def _table_tasks(doc: Document, block: Block, cols: _TaskColumns, first_leads: bool) -> list[Task]:
    assert block.table is not None
    table = block.table
    header = table.rows[table.header_rows - 1] if table.header_rows else []
    section = list_title(block)
    out: list[Task] = []
    for r in range(table.header_rows, table.n_rows):
        row = table.rows[r]
        title = title_of(cell_text(row[cols.name]))
        seq = cell_text(row[cols.seq]).strip(_KEY_MARKS) if cols.seq is not None else None
        if not title or _TOTAL_ROW.match(title) or len(set(row)) == 1 or row == header:
            continue
        if not seq and not any(cell.strip() for c, cell in enumerate(row) if c != cols.name):
            continue  # a category row ("一、体制机制改革") in the name column only
        lead, support = _row_agencies(row, cols, first_leads)
        out.append(
            Task(
                number=seq or None,
                title=title,
                section=section,
                lead=lead,
                support=support,
                **row_provenance(doc.doc_id, block, r, title),
            )
        )
    return out


def table_tasks(doc: Document) -> list[Task]:
    first_leads = responsibility.first_leads(doc.text)
    tasks: list[Task] = []
    for block in doc.blocks:
        if block.kind != "table" or block.table is None or block.table.n_rows <= block.table.header_rows:
            continue
        cols = _task_columns(block.table)
        if cols is not None:
            tasks += _table_tasks(doc, block, cols, first_leads)
    return tasks


def extract_tasks(doc: Document) -> list[Task]:
    tasks = sorted(text_tasks(doc) + table_tasks(doc), key=lambda t: (t.char_start, t.char_end))
    for i, task in enumerate(tasks):
        task.task_id = f"{doc.doc_id}-k{i:04d}"
    return tasks
