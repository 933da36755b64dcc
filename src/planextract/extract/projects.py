"""Projects from project-list tables (重大项目清单 and the like).

A table is a project list when its header names the columns of one
(rules/table_columns.toml [project], read by extract/table_reader.py),
wherever it sits in the document. Each body row is one Project; cells that
plainly belong to another column (a period in the type column and a type in
the period column) are put back and the row is marked `repaired`. Span and
evidence of a project are its row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import regex

from planextract import rules
from planextract.extract.numbers import unit_info
from planextract.extract.table_reader import Grid, cell_text, read_grid, role_of
from planextract.models import Block, Document, Project

# Patterns compiled once (the regex module re-checks its cache on every call).
_SPACES = regex.compile(r"\s+")
_BRACKET_INNER = regex.compile(r"[（(]([^）)]*)[)）]")
_UNIT_LABEL = regex.compile(r"^单位[:：]")
_BRACKETED = regex.compile(r"[（(][^）)]*[)）]")
_DIGIT = regex.compile(r"\d")
_SPACES_COMMAS = regex.compile(r"[\s,，]")
_DIGITS = regex.compile(r"\d+")
_SEQ_NUMBER = regex.compile(r"\D{0,2}\d+")
_CAPTION_PREFIX = regex.compile(
    r"^\s*(?:附件\s*[0-9一二三四五六七八九十]+|附表\s*[0-9一二三四五六七八九十]*|表\s*[0-9一二三四五六七八九十]+)[\s:：.、．-]*"
)


def list_title(block: Block, caption: str | None = None) -> str | None:
    """The list's own title: its caption (or title row) without "附件N"/"表N" and a unit note; else the section."""
    caption = caption or (block.table.caption if block.table else None)
    if caption:
        title = _unit_note().sub("", _CAPTION_PREFIX.sub("", caption)).strip()
        if title:
            return title
    return block.section_path[-1] if block.section_path else None


# --------------------------------------------------------------------------
# Vocabulary (rules/project_headers.toml)
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Vocab:
    min_other: int
    units: tuple[str, ...]  # investment units, longest first
    type_words: frozenset[str]
    type_suffixes: tuple[str, ...]
    unknown: frozenset[str]
    key_marks: tuple[str, ...]


@lru_cache(maxsize=1)
def _vocab() -> _Vocab:
    data = rules.load("project_headers")
    types = data.get("types", {})
    return _Vocab(
        min_other=int(data.get("min_other_fields", 2)),
        units=tuple(sorted(data.get("investment_units", ["万元"]), key=len, reverse=True)),
        type_words=frozenset(types.get("words", [])),
        type_suffixes=tuple(types.get("suffixes", ["类"])),
        unknown=frozenset(data.get("unknown", ["待定"])),
        key_marks=tuple(data.get("key_marks", ["★"])),
    )


@lru_cache(maxsize=1)
def _unit_alt() -> str:
    return "|".join(regex.escape(u) for u in _vocab().units)


@lru_cache(maxsize=1)
def _investment_unit() -> regex.Pattern[str]:
    """A unit note: "单位：万元" or "（万元）"."""
    return regex.compile(rf"(?:单位\s*[:：]\s*|[（(])({_unit_alt()})\s*[)）]?")


@lru_cache(maxsize=1)
def _unit_note() -> regex.Pattern[str]:
    """A unit note as it is cut from a caption."""
    u = _unit_alt()
    return regex.compile(rf"[（(]\s*(?:单位\s*[:：])?\s*(?:{u})\s*[)）]|单位\s*[:：]\s*(?:{u})")


def _norm_header(label: str) -> tuple[str, str | None]:
    """("总投资", "万元") for "总投资（万元）": the header word and the unit it names."""
    text = _SPACES.sub("", label)
    unit = None
    for m in _BRACKET_INNER.finditer(text):
        inner = _UNIT_LABEL.sub("", m.group(1))
        if inner in _vocab().units:
            unit = inner
    text = _BRACKETED.sub("", text)
    return text, unit


@dataclass
class _Columns:
    """Which column holds which field, and the investment unit."""

    index: dict[str, int]
    unit: str | None


def project_columns(grid: Grid) -> _Columns | None:
    """The column map of a project list, or None when the table is not one."""
    index: dict[str, int] = {}
    unit = None
    for c, label in enumerate(grid.labels):
        header, header_unit = _norm_header(label)
        field = role_of(header, "project") if header else None
        if field and field not in index:
            index[field] = c
            if header_unit and field in ("total_investment", "planned_investment"):
                unit = unit or header_unit
    others = [f for f in index if f not in ("seq", "name")]
    if "name" not in index or len(others) < _vocab().min_other:
        return None
    return _Columns(index=index, unit=unit)


def is_project_list(grid: Grid) -> bool:
    return project_columns(grid) is not None


def _unit_nearby(doc: Document, block: Block) -> str | None:
    """A "单位：万元" note in the caption or the short paragraph just before the table."""
    texts = [block.table.caption or ""] if block.table else []
    if block.index > 0:
        prev = doc.blocks[block.index - 1]
        if prev.kind != "table" and len(prev.text) < 60:
            texts.append(prev.text)
    for text in texts:
        m = _investment_unit().search(text)
        if m:
            return m.group(1)
    return None


# --------------------------------------------------------------------------
# Values
# --------------------------------------------------------------------------

_PERIOD = regex.compile(
    r"((?:19|20)\d{2})\s*(?:年\s*)?(?:\d{1,2}\s*月\s*)?(?:[-－—–~～]+|至|到)\s*((?:19|20)?\d{2})\s*(?:年)?(?:\s*\d{1,2}\s*月)?"
)
_YEAR = regex.compile(r"^((?:19|20)\d{2})\s*年?(?:开工|建成|完工|竣工|以后|起)?$")
_NUMBER = regex.compile(r"^[+-]?\d+(?:\.\d+)?$")


def is_unknown(value: str) -> bool:
    return not value or value in _vocab().unknown


def parse_period(value: str) -> tuple[int, int] | None:
    """(start, end) years of "2020-2024", "2021—2025年", "2022年"; None when there is none."""
    text = _SPACES.sub("", value)
    m = _PERIOD.search(text)
    if m:
        start, end = int(m.group(1)), m.group(2)
        end_year = int(end) if len(end) == 4 else start // 100 * 100 + int(end)
        return (start, end_year) if end_year >= start else None
    m = _YEAR.match(text)
    return (int(m.group(1)), int(m.group(1))) if m else None


def _is_period(value: str) -> bool:
    text = _SPACES.sub("", value)
    return bool(_PERIOD.fullmatch(text) or _YEAR.match(text))


def _is_type(value: str) -> bool:
    v = _vocab()
    if value in v.type_words:
        return True
    return len(value) <= 6 and not _DIGIT.search(value) and value.endswith(v.type_suffixes)


def parse_number(value: str) -> float | None:
    text = _SPACES_COMMAS.sub("", value)
    return float(text) if _NUMBER.match(text) else None


def _is_number(value: str) -> bool:
    return parse_number(value) is not None


# A checkable shape per field: the column repair swaps two cells when each
# fits the other's column and neither fits its own.
_SHAPES: dict[str, Callable[[str], bool]] = {
    "period": _is_period,
    "project_type": _is_type,
    "total_investment": _is_number,
    "planned_investment": _is_number,
}


def repair_row(values: dict[str, str]) -> bool:
    """Put cells back in their columns; True when something moved."""
    moved = False
    fields = [f for f in _SHAPES if f in values]
    for i, a in enumerate(fields):
        for b in fields[i + 1 :]:
            va, vb = values[a], values[b]
            if is_unknown(va) or is_unknown(vb):
                continue
            fits_a, fits_b = _SHAPES[a], _SHAPES[b]
            if not fits_a(va) and not fits_b(vb) and fits_a(vb) and fits_b(va):
                values[a], values[b] = vb, va
                moved = True
    return moved


# --------------------------------------------------------------------------
# Rows -> projects
# --------------------------------------------------------------------------

_TOTAL_ROW = regex.compile(r"^(?:合计|小计|总计|共计)")


def _strip_marks(value: str) -> tuple[str, bool]:
    marked = False
    for mark in _vocab().key_marks:
        if mark in value:
            value, marked = value.replace(mark, ""), True
    return value.strip(), marked


def _row_values(grid: Grid, row: int, cols: _Columns) -> dict[str, str]:
    return {f: cell_text(grid.row(row)[c]) for f, c in cols.index.items()}


def _is_body_row(values: dict[str, str], cells: list[str], header: list[str]) -> bool:
    name = values.get("name", "")
    if not name or _TOTAL_ROW.match(name) or _TOTAL_ROW.match(values.get("seq", "")):
        return False
    if len(set(cells)) == 1:  # a category row spanning the table ("一、工业项目")
        return False
    others = [v for f, v in values.items() if f not in ("seq", "name")]
    if not values.get("seq") and not any(others):  # a category row in the name column only
        return False
    return cells != header  # a header repeated on a new page


def _yuan_factor(unit: str | None) -> float | None:
    """The factor to 元 of an amount in `unit`; None for another currency (万美元 stays dollars)."""
    if not unit:
        return None
    info = unit_info(unit)
    return info.factor if info.base_unit == "元" else None


def _optional(value: str | None) -> str | None:
    return None if value is None or is_unknown(value) else value


def _project_fields(values: dict[str, str], unit: str | None) -> dict[str, Any] | None:
    """The project fields of one row (provenance is the caller's)."""
    repaired = repair_row(values)
    seq_text, key_seq = _strip_marks(values.get("seq", ""))
    name, key_name = _strip_marks(values["name"])
    if not name:
        return None
    period = parse_period(values.get("period", ""))
    total = parse_number(values.get("total_investment", ""))
    planned = parse_number(values.get("planned_investment", ""))
    factor = _yuan_factor(unit)
    seq_m = _DIGITS.fullmatch(seq_text)
    return dict(
        seq=int(seq_text) if seq_m else None,
        key=key_seq or key_name,
        name=name,
        project_type=_optional(values.get("project_type")),
        start_year=period[0] if period else None,
        end_year=period[1] if period else None,
        location=_optional(values.get("location")),
        content=_optional(values.get("content")),
        total_investment=total,
        planned_investment=planned,
        investment_unit=unit,
        total_investment_yuan=total * factor if total is not None and factor else None,
        planned_investment_yuan=planned * factor if planned is not None and factor else None,
        builder=_optional(values.get("builder")),
        origin=_optional(values.get("origin")),
        repaired=repaired,
    )


@dataclass
class _List:
    """A project list being read: its columns, header row, unit and title."""

    cols: _Columns
    header: list[str]
    unit: str | None
    title: str | None


def _table_projects(doc: Document, grid: Grid, plist: _List, first_row: int) -> list[Project]:
    block = grid.block
    out: list[Project] = []
    for r in range(first_row, grid.table.n_rows):
        values = _row_values(grid, r, plist.cols)
        if not _is_body_row(values, grid.row(r), plist.header):
            continue
        fields = _project_fields(values, plist.unit)
        if fields is None:
            continue
        start, end = grid.row_span(r)
        out.append(
            Project(
                **fields,
                list_title=plist.title,
                doc_id=doc.doc_id, block_id=block.id, section_path=list(block.section_path),
                char_start=start, char_end=end, page=block.page, evidence=grid.row_text(doc, r),
                source="table", table_id=block.id, table_row=r, rule="project.table_row",
            )
        )
    return out


def _continues(plist: _List, grid: Grid) -> bool:
    """A table carried over to the next page: same width, no header, a number first."""
    if grid.table.n_cols != len(plist.header) or is_project_list(grid):
        return False
    seq_col = plist.cols.index.get("seq")
    first = grid.row(0)
    return seq_col is not None and bool(_SEQ_NUMBER.fullmatch(first[seq_col].strip()))


def extract_projects(doc: Document) -> list[Project]:
    projects: list[Project] = []
    current: _List | None = None  # the list a following headerless table may continue
    for block in doc.blocks:
        grid = read_grid(block) if block.kind == "table" else None
        if grid is None:
            if block.kind == "heading":
                current = None
            continue
        cols = project_columns(grid)
        if cols is not None:
            header = grid.row(grid.header_rows - 1) if grid.header_rows else []
            current = _List(cols, header, cols.unit or _unit_nearby(doc, block), list_title(block, grid.title))
            projects += _table_projects(doc, grid, current, grid.header_rows)
        elif current is not None and _continues(current, grid):
            projects += _table_projects(doc, grid, current, 0)
        else:
            current = None
    for i, p in enumerate(projects):
        p.project_id = f"{doc.doc_id}-p{i:04d}"
    return projects
