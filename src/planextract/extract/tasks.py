"""Tasks: numbered work items naming responsible agencies, and 牵头/配合 list rows.

Two sources:

* text: an item with a responsibility note (extract/responsibility.py): a
  numbered item ending in "（责任单位：县经信局…）", followed by lines
  "牵头单位：…" / "责任单位：…", or under a heading "X牵头"; the title is
  the item's first sentence, span and evidence the item with its note;
* tables (read by extract/table_reader.py): every row of a list with 牵头单位 /
  配合单位 (or, without a 牵头 column, 责任单位) columns that is not an
  indicator table or a project list; rows sharing a 序号 are separate tasks,
  the section is the row's category (else the list's title), span and
  evidence the row. A row cut off before its agencies is no task.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import regex

from planextract import rules
from planextract.extract import projects, responsibility, table_reader
from planextract.extract.projects import list_title
from planextract.models import Block, Document, Task

# Patterns compiled once (the regex module re-checks its cache on every call).
_SPACES = regex.compile(r"\s+")
_LEADING_YEAR = regex.compile(r"^(?:19|20)\d{2}年")

_STOPS = "。；;！？!?"
_TOTAL_ROW = regex.compile(r"^(?:合计|小计|总计|共计)")


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
class _TaskColumns:
    roles: tuple[str | None, ...]
    seq: int | None
    name: int | None  # the row's name: its title
    content: int | None  # what the row is to do: the title when there is no name, or rows share it
    category: int | None


@lru_cache(maxsize=1)
def _not_task_words() -> tuple[str, ...]:
    return tuple(table_reader.norm(w) for w in rules.load("table_columns").get("task", {}).get("not_task", []))


def _task_columns(grid: table_reader.Grid) -> _TaskColumns | None:
    """The columns of a task list: a 牵头 or 责任 column and a name or content column; None for other tables."""
    if any(grid.labels):
        if any(any(w in x for w in _not_task_words()) or _LEADING_YEAR.match(x) for x in grid.labels):
            return None
        if projects.is_project_list(grid):
            return None
    roles = table_reader.column_roles(grid, "task")
    if not {"agency_lead", "agency_neutral"} & set(roles):
        return None
    if "agency_lead" in roles:  # only 牵头 and 配合 columns give lead and support
        roles = [None if r == "agency_neutral" else r for r in roles]

    def first(role: str) -> int | None:
        return next((c for c, r in enumerate(roles) if r == role), None)

    name, content = first("name"), first("content")
    if name is None and content is None:
        name = next((c for c, r in enumerate(roles) if r is None and grid.labels[c]), None)
        if name is None:
            return None
    return _TaskColumns(tuple(roles), first("seq"), name, content, first("category"))


def _row_title(grid: table_reader.Grid, r: int, cols: _TaskColumns) -> str:
    """A row's name (its first sentence); the content cell when there is no name or rows share it."""
    row = grid.row(r)
    name = table_reader.cell_text(row[cols.name]) if cols.name is not None else ""
    shared = r > grid.header_rows and cols.name is not None and row[cols.name] == grid.row(r - 1)[cols.name]
    if cols.content is not None and (not name or shared):
        content = table_reader.cell_text(row[cols.content])
        return _undouble(_SPACES.sub("", content).rstrip("。．.；;，,"))
    return title_of(name)


def _table_tasks(doc: Document, grid: table_reader.Grid, cols: _TaskColumns, first_leads: bool) -> list[Task]:
    header = grid.row(grid.header_rows - 1) if grid.header_rows else []
    title_of_list = list_title(grid.block, grid.title)
    numbers = grid.numbers(cols.seq)
    out: list[Task] = []
    for r in grid.body:
        row = grid.row(r)
        title = _row_title(grid, r, cols)
        if not title or _TOTAL_ROW.match(title) or grid.is_category_row(r) or row == header:
            continue
        lead, support = table_reader.row_note(row, cols.roles).roles(first_leads)
        if not (lead or support) and grid.is_cut_row(r):
            continue  # a row cut off before its agencies: no task
        category = table_reader.cell_text(row[cols.category]) if cols.category is not None else ""
        start, end = grid.row_span(r)
        block = grid.block
        out.append(
            Task(
                number=numbers.get(r) or None,
                title=title,
                section=category or grid.categories.get(r) or title_of_list,
                lead=lead,
                support=support,
                doc_id=doc.doc_id, block_id=block.id, section_path=list(block.section_path),
                char_start=start, char_end=end, page=block.page, evidence=grid.row_text(doc, r),
                source="table", table_id=block.id, table_row=r, rule="task.table_row",
            )
        )
    return out


def table_tasks(doc: Document) -> list[Task]:
    first_leads = responsibility.first_leads(doc.text)
    tasks: list[Task] = []
    for block in doc.blocks:
        grid = table_reader.read_grid(block)
        if grid is None:
            continue
        cols = _task_columns(grid)
        if cols is not None:
            tasks += _table_tasks(doc, grid, cols, first_leads)
    return tasks


def extract_tasks(doc: Document) -> list[Task]:
    tasks = sorted(text_tasks(doc) + table_tasks(doc), key=lambda t: (t.char_start, t.char_end))
    for i, task in enumerate(tasks):
        task.task_id = f"{doc.doc_id}-k{i:04d}"
    return tasks
