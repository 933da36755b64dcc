"""Tables that web pages and converters print with '|' between cells, rebuilt as tables.

Two shapes reach us as plain text:

* a row per line: "吉首市 | 57 | 82.5 | 65.1 |" (a trailing '|' or a Markdown
  rule line "---|---" allowed); the first line is the header;
* a cell per line, a line holding only '|' between cells, and no row breaks:
  "1", "|", "一、…目标", "|", "…。", "|", "法规科", …; rows start at the next
  sequence number (1, 2, 3 …), a cell of several lines keeps its line breaks,
  and a row one cell short lacks the merged category cell after its number,
  carried down from the row above. Such a table has no header row.
"""

from __future__ import annotations

import regex

from planextract.ingest.tables import replace_table_runs
from planextract.models import Block, Table

_RULE_LINE = regex.compile(r"^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?$")
_SEQ = regex.compile(r"^\d{1,3}$")
_MIN_ROW_CELLS = 3  # a row of a cell-per-line table holds at least this many cells
_MAX_CELL_LINES = 8  # lines of one cell: more and the '|' run is over
_MIN_SEPARATORS = 6


def rebuild_pipe_tables(blocks: list[Block]) -> list[Block]:
    """Paragraph runs that are '|' tables -> table blocks; everything else unchanged."""
    return replace_table_runs(blocks, lambda i: _table_at(blocks, i))


def _table_at(blocks: list[Block], i: int) -> tuple[Table | None, int]:
    table, used = _row_lines_at(blocks, i)
    return (table, used) if table is not None else _cell_lines_at(blocks, i)


def _text(blocks: list[Block], i: int) -> str | None:
    b = blocks[i] if i < len(blocks) else None
    return b.text.strip() if b is not None and b.kind == "paragraph" else None


# --------------------------------------------------------------------------
# a row per line
# --------------------------------------------------------------------------


def _cells_of_line(text: str) -> list[str] | None:
    """The cells of "a | b | c |", or None for a line with fewer than two '|'-separated cells."""
    if "|" not in text:
        return None
    cells = [c.strip() for c in text.split("|")]
    if cells and not cells[-1]:
        cells = cells[:-1]
    if cells and not cells[0] and text.lstrip().startswith("|"):
        cells = cells[1:]
    return cells if len(cells) >= 2 else None


def _row_lines_at(blocks: list[Block], i: int) -> tuple[Table | None, int]:
    rows: list[list[str]] = []
    j = i
    while (text := _text(blocks, j)) is not None:
        if _RULE_LINE.match(text) and rows:
            j += 1
            continue
        cells = _cells_of_line(text)
        if cells is None or (rows and len(cells) != len(rows[0])):
            break
        rows.append(cells)
        j += 1
    if len(rows) < 2:
        return None, 0
    return Table(rows=rows, header_rows=1), j - i


# --------------------------------------------------------------------------
# a cell per line
# --------------------------------------------------------------------------


def _cell_stream(blocks: list[Block], i: int) -> tuple[list[str], int]:
    """Cells of a '|'-separated run starting at block i (one line before the first '|'), and blocks used."""
    if _text(blocks, i) in (None, "|") or _text(blocks, i + 1) != "|":
        return [], 0
    cells: list[str] = [_text(blocks, i) or ""]
    j = i + 1
    while _text(blocks, j) == "|":
        j += 1
        lines: list[str] = []
        while (t := _text(blocks, j)) is not None and t != "|" and len(lines) < _MAX_CELL_LINES:
            lines.append(t)
            j += 1
        if _text(blocks, j) != "|" and len(lines) > 1:
            # after the last '|' only the next line belongs to the table
            j -= len(lines) - 1
            lines = lines[:1]
        cells.append("\n".join(lines))
    return cells, j - i


def _rows_by_sequence(cells: list[str]) -> list[list[str]]:
    """Cells -> rows, each starting at the next sequence number."""
    if not _SEQ.match(cells[0]):
        return []
    rows: list[list[str]] = [[cells[0]]]
    expected = int(cells[0]) + 1
    for cell in cells[1:]:
        row = rows[-1]
        wide_enough = len(row) >= max(_MIN_ROW_CELLS, len(rows[-2]) - 1 if len(rows) > 1 else 0)
        if cell == str(expected) and wide_enough:
            rows.append([cell])
            expected += 1
        else:
            row.append(cell)
    return rows


def _square(rows: list[list[str]]) -> list[list[str]]:
    """Rows one cell short get the category cell after the number from above; others are padded."""
    width = max(len(r) for r in rows)
    out: list[list[str]] = []
    for row in rows:
        if len(row) == width - 1 and len(row) >= _MIN_ROW_CELLS and out:
            row = [row[0], out[-1][1], *row[1:]]
        out.append(row + [""] * (width - len(row)))
    return out


def _cell_lines_at(blocks: list[Block], i: int) -> tuple[Table | None, int]:
    cells, used = _cell_stream(blocks, i)
    if len(cells) <= _MIN_SEPARATORS:
        return None, 0
    rows = _rows_by_sequence(cells)
    if len(rows) < 2:
        return None, 0
    return Table(rows=_square(rows), header_rows=0), used
