"""Turning loosely shaped cell lists into rectangular tables.

Shared by the text (Tika) ingester and any other ingester that gets rows of
uneven width: every row ends up with the same number of cells, horizontally
merged cells are repeated, vertically merged category cells carried down.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import regex

from planextract.models import Block, Table

_NUMBER = regex.compile(r"^[★☆*＊]?\s*[-+−]?\d[\d,，]*(?:\.\d+)?\s*%?$")
_SEQ_HEADER = regex.compile(r"^(?:序号|编号|序\s*号)$")


def is_number(cell: str) -> bool:
    return bool(_NUMBER.match(cell.strip()))


def grid_from_groups(groups: list[list[str]]) -> list[list[str]]:
    """Rows of uneven width -> a rectangular grid.

    A row split in two by a stray blank line is joined back when the two parts
    add up to the table's usual width; a short row left over is a row whose
    first cell spans several columns (e.g. 合计, or a header's 指标名称 above
    both the category and the name column), so that cell is repeated.
    """
    groups = [g for g in groups if g]
    if not groups:
        return []
    widths = Counter(len(g) for g in groups if len(g) >= 2)
    if not widths:
        return [list(g) for g in groups]
    width = max(widths.items(), key=lambda kv: (kv[1], kv[0]))[0]
    rows: list[list[str]] = []
    i = 0
    while i < len(groups):
        row = list(groups[i])
        i += 1
        while len(row) < width and i < len(groups) and len(row) + len(groups[i]) <= width:
            row += groups[i]
            i += 1
        rows.append(row)
    width = max(len(r) for r in rows)
    out = []
    for row in rows:
        missing = width - len(row)
        if missing and row and row[0] and not is_number(row[0]):
            row = [row[0]] * (missing + 1) + row[1:]
        elif missing:
            row = row + [""] * missing
        out.append(row)
    fill_down_categories(out)
    return out


def sequence_column(rows: list[list[str]]) -> bool:
    """True when column 0 numbers the rows (序号), so it is no data column."""
    if not rows:
        return False
    if _SEQ_HEADER.match(rows[0][0].replace(" ", "")):
        return True
    body = [r[0] for r in rows[1:] if r and r[0]]
    return bool(body) and sum(is_number(c) for c in body) >= 0.6 * len(body)


def fill_down_categories(rows: list[list[str]], header_rows: int = 1) -> None:
    """Carry a vertically merged category cell into the empty cells below it.

    Only label columns left of the first numeric column qualify, and only
    when they look merged (many empties under a few values), so an empty
    value cell is never invented.
    """
    body = rows[header_rows:]
    if len(body) < 2:
        return
    ncols = len(rows[0])
    first = 1 if sequence_column(rows) else 0
    numeric_from = ncols
    for c in range(first, ncols):
        cells = [r[c] for r in body if r[c]]
        if cells and sum(is_number(x) or x in {"—", "-", "/"} for x in cells) >= 0.5 * len(cells):
            numeric_from = c
            break
    for c in range(first, numeric_from):
        empties = sum(1 for r in body if not r[c])
        if empties == 0 or empties < 0.3 * len(body) or not body[0][c]:
            continue
        above = ""
        for r in body:
            if r[c]:
                above = r[c]
            else:
                r[c] = above


def rebuild_flattened(blocks: list[Block]) -> list[Block]:
    """Rebuild tables flattened to one paragraph per cell.

    Recognised by a header run that starts with 序号 followed by short
    labels and then the row number 1; each row starts with the next number.
    Rows with fewer cells than the header lack their merged category cells,
    which sit right after 序号 and are carried down from the row above.
    """
    texts = [b.text.strip() if b.kind == "paragraph" else None for b in blocks]
    return replace_table_runs(blocks, lambda i: _flattened_at(texts, i))


def replace_table_runs(blocks: list[Block], table_at: Callable[[int], tuple[Table | None, int]]) -> list[Block]:
    """blocks with every run that table_at(i) reads as a table (and how many blocks it used) replaced by it."""
    out: list[Block] = []
    i = 0
    while i < len(blocks):
        table, used = table_at(i)
        if table is None:
            out.append(blocks[i])
            i += 1
            continue
        out.append(Block(kind="table", text=table.render(), table=table))
        i += used
    return out


def _opens_section(text: str) -> bool:
    from planextract.structure import opens_section

    return opens_section(text)


def _flattened_at(texts: list[str | None], i: int) -> tuple[Table | None, int]:
    if texts[i] is None or not _SEQ_HEADER.match(texts[i].replace(" ", "")):
        return None, 0
    header = [texts[i]]
    j = i + 1
    while j < len(texts) and texts[j] is not None and texts[j] != "1" and len(texts[j]) <= 24:
        header.append(texts[j])
        j += 1
    ncols = len(header)
    if ncols < 3 or j >= len(texts) or texts[j] != "1":
        return None, 0
    rows = [header]
    seq = 1
    while j < len(texts) and texts[j] == str(seq):
        cells = [texts[j]]
        j += 1
        while j < len(texts) and texts[j] is not None and len(cells) < ncols:
            t = texts[j]
            if t == str(seq + 1) and len(cells) >= ncols - 2 and len(cells) >= 3:
                break
            if len(t) > 80 or _opens_section(t):  # prose or a new section: the table is over
                break
            cells.append(t)
            j += 1
        if len(cells) < 3:
            break
        missing = ncols - len(cells)
        above = rows[-1] if len(rows) > 1 else [""] * ncols
        rows.append([cells[0]] + above[1 : 1 + missing] + cells[1:])
        seq += 1
    if len(rows) < 3:
        return None, 0
    return Table(rows=rows), j - i
