"""One reader of table grids for every table extractor: indicator tables, task lists, project lists.

`read_grid(block)` finds, once for all of them:

* title rows: the caption repeated across every cell of the first row(s);
* header rows: the first row after them, and the rows below it that carry on
  its labels (a merged label repeated above sub-labels, years, known words);
  none for a table the ingester read without one;
* one label per column: header cells top to bottom, white space and
  full-width forms removed;
* category rows (a row spanning the table, or one lone cell: "一、体制机制改革")
  carried down to the rows below, and sequence numbers shared by the rows
  below a merged 序号 cell.

`column_roles(grid, kind)` gives each column its role for one kind of table
(rules/table_columns.toml; agency columns from rules/responsibility.toml): the
role of a word the label equals, else of the longest word it contains. A table
without a header row gets roles from the shape of its cells ([shapes]: numbers,
outline headings, agency names, deadlines, phone numbers, prose).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

import regex

from planextract import rules
from planextract.extract import agencies, responsibility
from planextract.models import Block, Document, DocumentMeta, Table, Target

_SPACES = regex.compile(r"\s+")
_CJK_OR_PUNCT = r"[\p{Han}\p{P}－—–~～]"
_BREAK_TIGHT = regex.compile(rf"(?<={_CJK_OR_PUNCT})\s*\n\s*|\s*\n\s*(?={_CJK_OR_PUNCT})")
_NUMBER = regex.compile(r"^[≥≤<>＞＜]?[-+]?\d[\d,，]*(?:\.\d+)?\s*%?$")
_YEAR = regex.compile(r"^(?:19|20)\d{2}\s*年?(?:度|底|末)?$")
_KEY_MARKS = "★☆*＊※"
_MAX_TITLE_ROWS = 2
_MAX_HEADER_ROWS = 3
_MAJORITY = 0.8  # share of a column's cells that must have a shape for the column to take it


def norm(text: str) -> str:
    """NFKC and no white space: how labels are compared."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", text or ""))


def cell_text(cell: str) -> str:
    """A cell as one line: breaks inside Chinese text vanish, others become a space."""
    text = cell.strip()
    if "\n" in text:
        text = _BREAK_TIGHT.sub("", text)
    return _SPACES.sub(" ", text).strip()


# --------------------------------------------------------------------------
# The grid
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Grid:
    """A table block as read: where its body starts, its labels, its spans."""

    block: Block
    title: str | None  # the caption, else a title row's text
    title_rows: int
    header_rows: int  # rows above the body, title rows included
    labels: tuple[str, ...]  # one per column, normalised ("" for a table without header)

    @property
    def table(self) -> Table:
        assert self.block.table is not None
        return self.block.table

    @property
    def body(self) -> range:
        return range(self.header_rows, self.table.n_rows)

    def row(self, r: int) -> list[str]:
        return self.table.rows[r]

    def cell_span(self, r: int, c: int) -> tuple[int, int]:
        """A cell's span in the document's text."""
        s, e = self.table.cell_span(r, c)
        return self.block.start + s, self.block.start + e

    def row_span(self, r: int) -> tuple[int, int]:
        """A row's span in the document's text (first cell to last)."""
        return self.cell_span(r, 0)[0], self.cell_span(r, self.table.n_cols - 1)[1]

    def row_text(self, doc: Document, r: int) -> str:
        s, e = self.row_span(r)
        return doc.text[s:e] if doc.text else "\t".join(self.row(r))

    def is_category_row(self, r: int) -> bool:
        """A row that only names a group of the rows below: one text across it, or one lone cell."""
        cells = [c.strip() for c in self.row(r)]
        filled = [c for c in cells if c]
        if not filled:
            return False
        if len(set(filled)) == 1 and (len(filled) == len(cells) or len(filled) == 1):
            return not _NUMBER.match(filled[0])
        return False

    def is_cut_row(self, r: int) -> bool:
        """A row less than half filled that is not a category row: the text was cut off inside it."""
        filled = sum(bool(x.strip()) for x in self.row(r))
        return 2 * filled < self.table.n_cols and not self.is_category_row(r)

    @cached_property
    def categories(self) -> dict[int, str]:
        """Body row -> the text of the nearest category row above it."""
        out: dict[int, str] = {}
        current: str | None = None
        for r in self.body:
            if self.is_category_row(r):
                current = cell_text(next(c for c in self.row(r) if c.strip()))
            elif current is not None:
                out[r] = current
        return out

    def numbers(self, seq_col: int | None) -> dict[int, str]:
        """Body row -> its printed number; rows below a merged 序号 left empty share the one above."""
        out: dict[int, str] = {}
        if seq_col is None:
            return out
        last: str | None = None
        for r in self.body:
            if self.is_category_row(r):
                last = None
                continue
            number = cell_text(self.row(r)[seq_col]).strip(_KEY_MARKS).strip()
            last = number or last
            if last:
                out[r] = last
        return out


def read_grid(block: Block) -> Grid | None:
    """The grid of a table block; None for a block without a table of two rows or more."""
    table = block.table
    if block.kind != "table" or table is None or table.n_rows < 2 or table.n_cols < 2:
        return None
    titles = _title_rows(table)
    if table.header_rows == 0 or _starts_with_body(table, titles):
        # no header: a cell-per-line '|' table, or a page's table whose first row is row 1
        title = table.caption or (cell_text(table.rows[0][0]) if titles else None)
        return Grid(block, title, titles, titles, ("",) * table.n_cols)
    n = titles + 1
    while n < min(titles + _MAX_HEADER_ROWS, table.n_rows - 1) and _continues_header(table.rows[n - 1], table.rows[n]):
        n += 1
    n = min(n, table.n_rows - 1)
    title = table.caption or (cell_text(table.rows[0][0]) if titles else None)
    return Grid(block, title, titles, n, tuple(_labels(table, titles, n)))


def _starts_with_body(table: Table, first: int) -> bool:
    """The first rows are numbered 1, 2 … and hold no known label: the table has no header row."""
    if table.n_rows < first + 2:
        return False
    a, b = (cell_text(table.rows[first + k][0]).strip(_KEY_MARKS) for k in (0, 1))
    if not (a.isdigit() and b.isdigit() and int(b) == int(a) + 1):
        return False
    return not any(_known_label(norm(c)) for c in table.rows[first])


def _all_same(row: Sequence[str]) -> bool:
    first = norm(row[0])
    return bool(first) and all(norm(c) == first for c in row[1:])


def _title_rows(table: Table) -> int:
    n = 0
    while n < min(_MAX_TITLE_ROWS, table.n_rows - 2) and _all_same(table.rows[n]):
        n += 1
    return n


def _continues_header(above: list[str], row: list[str]) -> bool:
    """A second header row: no values, not a title, and labels under a merged label or known words."""
    cells = [norm(c) for c in row]
    if _all_same(row) or any(_NUMBER.match(c) and not _YEAR.match(c) for c in cells if c):
        return False
    merged = any(c and c == norm(a) for c, a in zip(cells, above, strict=False))
    known = all(_YEAR.match(c) or _known_label(c) for c in cells if c)
    return merged or (known and any(cells))


def _labels(table: Table, first: int, end: int) -> list[str]:
    labels = []
    for c in range(table.n_cols):
        parts: list[str] = []
        for r in range(first, end):
            v = norm(table.rows[r][c])
            if v and (not parts or parts[-1] != v):
                parts.append(v)
        labels.append("".join(parts))
    return labels


# --------------------------------------------------------------------------
# Column roles
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Roles:
    exact: dict[str, str]  # word -> role
    words: tuple[tuple[str, str, int], ...]  # (word, role, role order), longest first
    exact_only: frozenset[str]


@lru_cache(maxsize=8)
def _roles(kind: str) -> _Roles:
    section: dict[str, Any] = dict(rules.load("table_columns").get(kind, {}))
    if kind in ("indicator", "task"):
        labels = rules.load("responsibility").get("labels", {})
        for role in ("lead", "support", "neutral"):
            section[f"agency_{role}"] = labels.get(role, [])
    exact_only = frozenset(section.pop("exact_only", ["unit"]))  # a copy: the loaded rules stay as they are
    exact: dict[str, str] = {}
    words: list[tuple[str, str, int]] = []
    for order, (role, items) in enumerate(section.items()):
        if not isinstance(items, list):
            continue
        for w in (norm(x) for x in items):
            exact.setdefault(w, role)
            if role not in exact_only:
                words.append((w, role, order))
    words.sort(key=lambda x: (-len(x[0]), x[2]))
    return _Roles(exact, tuple(words), exact_only)


def column_words(kind: str, role: str) -> list[str]:
    """The normalised label words of one role, longest first."""
    return [w for w, r, _ in _roles(kind).words if r == role] or [w for w, r in _roles(kind).exact.items() if r == role]


def role_of(label: str, kind: str) -> str | None:
    """The role a normalised label has in a table of `kind`: an equal word's, else the longest contained word's."""
    if not label:
        return None
    vocab = _roles(kind)
    if label in vocab.exact:
        return vocab.exact[label]
    return next((role for w, role, _ in vocab.words if w in label), None)


@lru_cache(maxsize=4096)
def _known_label(label: str) -> bool:
    return any(role_of(label, kind) is not None for kind in ("indicator", "project", "task"))


def column_roles(grid: Grid, kind: str) -> list[str | None]:
    """One role per column for a table of `kind`; by cell shapes when the table has no header."""
    if any(grid.labels):
        return [role_of(label, kind) for label in grid.labels]
    return shape_roles(grid)


# --------------------------------------------------------------------------
# Tables without a header: roles from the cells
# --------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _shapes() -> tuple[int, tuple[tuple[str, regex.Pattern[str]], ...]]:
    data = rules.load("table_columns").get("shapes", {})
    min_cells = int(data.get("min_cells", 2))
    patterns = tuple((k, regex.compile(v)) for k, v in data.items() if isinstance(v, str))
    return min_cells, patterns


def _fits(shape: str, pattern: regex.Pattern[str] | None, cell: str) -> bool:
    text = cell.strip()
    if shape == "agency":
        return all(agencies.looks_like_agency(x.strip()) for x in text.split("\n") if x.strip())
    return pattern is not None and pattern.search(text) is not None


# The order shapes are tried in: an agency list is tried before a person's name (both are short Han text).
_SHAPE_ORDER = ("seq", "category", "deadline", "phone", "agency", "person", "prose")
_SHAPE_ROLE = {"seq": "seq", "category": "category", "deadline": "deadline", "phone": "skip",
               "person": "skip", "agency": "agency_neutral", "prose": "content"}


def shape_roles(grid: Grid) -> list[str | None]:
    """Roles of a headerless table's columns from what most of their cells look like."""
    min_cells, patterns = _shapes()
    by_name = dict(patterns)
    out: list[str | None] = []
    # Rows cut off and category rows do not vote.
    rows = [r for r in grid.body if not grid.is_cut_row(r) and not grid.is_category_row(r)]
    for c in range(grid.table.n_cols):
        cells = [grid.row(r)[c] for r in rows if grid.row(r)[c].strip()]
        role = None
        if len(cells) >= min_cells:
            for shape in _SHAPE_ORDER:
                pattern = by_name.get(shape)
                if pattern is None and shape != "agency":
                    continue
                if sum(_fits(shape, pattern, x) for x in cells) >= _MAJORITY * len(cells):
                    role = _SHAPE_ROLE[shape]
                    break
        out.append(role)
    return out


# --------------------------------------------------------------------------
# Agency cells
# --------------------------------------------------------------------------


def row_note(row: Sequence[str], roles: Sequence[str | None]) -> responsibility.Note:
    """The responsibility note a row's agency columns make (agency_lead / agency_neutral / agency_support)."""

    def cells(role: str) -> str:
        return "\n".join(row[c] for c, r in enumerate(roles) if r == role)

    return responsibility.cell_note(cells("agency_lead"), cells("agency_neutral"), cells("agency_support"))


# --------------------------------------------------------------------------
# Prose cells
# --------------------------------------------------------------------------


def prose_targets(
    doc: Document, meta: DocumentMeta, grid: Grid, r: int, c: int, agencies_: Sequence[str] = (),
) -> list[Target]:
    """Targets stated in a cell written as prose, read by the prose reader (spans point into the cell)."""
    from planextract.extract import prose  # the prose reader imports the table modules

    cell = grid.row(r)[c]
    start, _ = grid.cell_span(r, c)
    flat = cell.replace("\n", " ").replace("\t", " ")  # as the table is rendered in the text
    found = prose.read_targets(doc, meta, grid.block, flat, start, source="table", cell=(r, c), agencies=agencies_)
    for t in found:
        t.rule = t.rule or "table.prose_cell"
    return found
