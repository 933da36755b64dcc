"""Plain text and Apache Tika text (Word files run through Tika) -> Document.

Tika prints a Word table as one line per cell, each starting with a tab,
with a blank line between rows; a cell's further lines follow without the
tab. Some converters flatten a table into one paragraph per cell instead
(序号 / 类别 / 指标名称 / ... then the cells one per line); that form is
rebuilt by `tables.rebuild_flattened`, and tables printed with '|' between
cells by `pipe_tables.rebuild_pipe_tables`.
"""

from __future__ import annotations

from planextract.ingest import clean
from planextract.ingest.pipe_tables import rebuild_pipe_tables
from planextract.ingest.sniff import decode_text, mixed_warning
from planextract.ingest.tables import grid_from_groups, rebuild_flattened
from planextract.models import Block, Document, Table


def read_text(data: bytes, doc: Document) -> Document:
    text, encoding = decode_text(data)
    doc.encoding = encoding
    if (warning := mixed_warning(encoding)) is not None:
        doc.warnings.append(warning)
    lines = clean.strip_inline(text.replace("\r\n", "\n").replace("\r", "\n")).split("\n")
    tika = sum(1 for ln in lines if ln.startswith("\t")) >= 4
    doc.format = "tika" if tika else "text"
    doc.blocks = rebuild_pipe_tables(rebuild_flattened(blocks_from_lines(lines, doc.meta)))
    return doc


def blocks_from_lines(lines: list[str], meta: dict[str, str]) -> list[Block]:
    """Paragraphs (one per non-blank line) and Tika tables, in order."""
    blocks: list[Block] = []
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        if line.startswith("\t") and line.strip("\t ").strip() != "" or _starts_table(lines, i):
            i, groups = _read_tika_groups(lines, i)
            rows = grid_from_groups(groups)
            if len(rows) >= 2 and len(rows[0]) >= 2:
                table = Table(rows=rows)
                blocks.append(Block(kind="table", text=table.render(), table=table))
            else:  # indented prose, not a table: keep every line as a paragraph
                blocks += [Block(kind="paragraph", text=clean.squeeze(c)) for g in groups for c in g if c]
            continue
        i += 1
        s = line.strip()
        if not s or clean.is_noise_line(s):
            continue
        fields = clean.parse_meta_line(s)
        if fields is not None:
            for k, v in fields.items():
                meta.setdefault(k, v)
            continue
        blocks.append(Block(kind="paragraph", text=clean.squeeze(s) if "\t" not in s else s.strip()))
    return blocks


def _starts_table(lines: list[str], i: int) -> bool:
    """An empty tab cell ("\\t" alone) opens a table only if more cells follow."""
    return lines[i].startswith("\t") and i + 1 < len(lines) and lines[i + 1].startswith("\t")


def _read_tika_groups(lines: list[str], i: int) -> tuple[int, list[list[str]]]:
    """Read Tika's cell-per-line rows starting at line i; return (next line, rows of cells)."""
    groups: list[list[str]] = []  # a group: the cells between two blank lines
    current: list[str] = []
    n = len(lines)
    while i < n:
        line = lines[i]
        if line.startswith("\t"):
            current.append(line[1:].strip())
            i += 1
        elif not line.strip():
            if current:
                groups.append(current)
                current = []
            j = i
            # A line of a lone tab is an empty cell (a vertically merged one), not a blank line.
            while j < n and not lines[j].strip() and not lines[j].startswith("\t"):
                j += 1
            if j >= n or not lines[j].startswith("\t"):
                i = j
                break
            i = j
        elif current:
            # A cell's continuation line (a cell that spans several lines).
            current[-1] = f"{current[-1]}\n{line.strip()}" if current[-1] else line.strip()
            i += 1
        else:
            break
    if current:
        groups.append(current)
    return i, [[clean.squeeze_cell(c) for c in g] for g in groups]
