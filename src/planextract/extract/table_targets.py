"""Targets from indicator tables (指标体系表, 目标值表, 分行业/分乡镇目标表, progress tables).

Tables are read by extract/table_reader.py (title rows, header rows, labels,
column roles from rules/table_columns.toml); this module reads their cells:

1. layout: each column's role (name, unit, baseline, target, growth,
   attribute, agency, actual …), and the kind of table: an *indicator list*
   (the name column names the indicator: 指标名称) or a *breakdown* (the name
   column names a sub-unit, an industry or a town: 行业名称 / 单位名称 / 隶属;
   the indicator then comes from the caption or the value column's header);
2. rows: each value cell of a target column is one target; the baseline
   column on the same row gives baseline_value, a growth column a second,
   growth_rate target. A criterion cell written as clauses ("较上一年增加。
   2023年达到80%") gives a target per clause with a value;
3. a document pass that gives a breakdown table whose indicator comes from
   an abbreviated caption the full name of the same indicator in the
   document's own indicator table (same total, same year).

A table of past figures (its caption says 完成情况) sets targets only in its
plan columns (年投资计划: the report year's plan); its completed amounts and
rates are actuals (extract/table_actuals.py). Cells written as prose in other
tables, and tables without a header row, are read with the prose reader
(`prose_cells` names them; extract/targets.py reads them). Every target's
span and evidence are its table row.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

import regex

from planextract import rules
from planextract.extract import cues, projects, table_reader
from planextract.extract.numbers import find_years, is_count, parse_number, unit_info
from planextract.extract.prose.indicator import is_platform
from planextract.extract.table_reader import Grid, column_words, read_grid, role_of
from planextract.models import Block, Document, DocumentMeta, Target

# Patterns compiled once (the regex module re-checks its cache on every call).
_THOUSANDS_SEP = regex.compile(r"(?<=\d)[,，](?=\d{3}(?!\d))")
_YEAR_LABEL = regex.compile(r"(?:19|20)\d{2}(?:年(?:度)?)?")
_TO_YEAR = regex.compile(r"[到至](?=\s*(?:19|20)\d{2})")  # "到2025年累计建成…": the date to reach goes with its year
_YEAR_SPAN = regex.compile(r"(?:19|20)\d{2}\s*(?:[-－—–~～至到]\s*(?:19|20)?\d{2})?\s*年?(?:度|底|末)?")
_HAN = regex.compile(r"\p{Han}")
_FOUR_DIGITS = regex.compile(r"\d{4}")

_YEAR_IN_LABEL = regex.compile(r"(?<![0-9])((?:19|20)\d{2})(?![0-9])")
_PARENS = regex.compile(r"[（(]([^（）()]*)[）)]")
_TRAILING_PARENS = regex.compile(r"[（(]([^（）()]*)[）)]?$")
_NUM = r"\d+(?:\.\d+)?"
_CELL = regex.compile(
    rf"^(?P<pre>[^\d]{{0,8}}?)(?P<num>{_NUM})(?:(?:-|~|至|到)(?P<num2>{_NUM}))?"
    r"(?P<unit>[^\d]{0,8}?)(?P<post>及以上|及以下|以上|以下|以内|之内|左右|上下|余|多)?$"
)
_CLAUSE_YEAR = regex.compile(r"^(?:到|至|在|于)?\s*((?:19|20)\d{2})\s*年(?:底|末)?(?:前)?[,，:：]?")
_CLAUSES = regex.compile(r"[。；;，,]")
_UNIT_NOTE = regex.compile(r"单位\s*[:：]\s*([^\s）)]+)")
_NAME_END = regex.compile(r"[。，,；;（(\n]")
_ROW_NUMBER = regex.compile(r"[★☆*＊]?\d+")
_SENTENCE_PUNCT = regex.compile(r"[，。；]")
_SYMBOLS = {"≥": ">=", ">=": ">=", "≧": ">=", ">": ">", "≤": "<=", "<=": "<=", "≦": "<=", "<": "<"}
_RATE_BASES = {"%", "百分点"}


# --------------------------------------------------------------------------
# vocabulary
# --------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _vocab() -> dict[str, Any]:
    return rules.load("indicator_tables")


@lru_cache(maxsize=None)
def _words(section: str, key: str) -> list[str]:
    """A vocabulary list, normalised, longest first (callers must not mutate it)."""
    words = [_norm(w) for w in _vocab().get(section, {}).get(key, [])]
    return sorted(words, key=len, reverse=True)


def _norm(text: str) -> str:
    """NFKC and no white space: how labels and names are compared."""
    return _squash(unicodedata.normalize("NFKC", text or ""))


def _squash(text: str) -> str:
    """No white space, characters as printed: how names are output."""
    return "".join((text or "").split())


# --------------------------------------------------------------------------
# cells
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class CellValue:
    value: float
    value_high: float | None
    unit: str | None  # the cell's own unit ("100%"), None when bare
    comparator: str
    ambition: str | None
    rate_word: str | None = None  # 降低 in "累计降低8%": the kind's cue


@lru_cache(maxsize=8192)  # a cell is read by several checks; a CellValue is frozen
def parse_value_cell(cell: str) -> CellValue | None:
    """A value cell ("450", "20%", "≥5", "6.5左右", "5-8家") -> CellValue; None for text."""
    text = _THOUSANDS_SEP.sub("", _norm(cell))
    if not text or text in _empty_cells():
        return None
    m = _CELL.match(text)
    if not m:
        return None
    prefix = _prefix_cues(m.group("pre"))
    if prefix is None:
        return None
    unit = m.group("unit") or None
    if unit is not None and unit_info(unit).base_unit is None:
        return None
    value = parse_number(m.group("num"))
    if value is None:
        return None
    high = parse_number(m.group("num2")) if m.group("num2") else None
    if high is not None and not unit and _is_year_like(m.group("num")) and _is_year_like(m.group("num2")):
        return None  # a period (2020-2024), not an amount
    comparator, ambition, rate_word = prefix
    after = cues.comparator_after(m.group("post") or "")
    if after:
        comparator = after[0]
    return CellValue(value, high, unit, comparator, ambition, rate_word)


def _prefix_cues(pre: str) -> tuple[str, str | None, str | None] | None:
    """(comparator, ambition, rate word) from the words before a cell's number; None if it is text.

    What may stand there: [力争][累计|年均][增长|降低][不低于|≥][达到] — anything
    else makes the cell text.
    """
    if not pre:
        return "=", None, None
    if pre in _SYMBOLS:
        return _SYMBOLS[pre], None, None
    ambition = cues.ambition_in(pre)
    rest = pre
    while (found := cues.ambition_at(rest)) is not None:
        _, pos, word = found
        rest = rest[:pos] + rest[pos + len(word) :]
    rest = rest.removesuffix(next((v for v in cues.reach_verbs() if rest.endswith(v)), ""))
    comparator = "="
    before = cues.comparator_before(rest)
    if before:
        comparator, word = before
        rest = rest[: -len(word)]
    elif rest[-1:] in _SYMBOLS:
        comparator, rest = _SYMBOLS[rest[-1]], rest[:-1]
    cells = _vocab().get("cells", {})
    rate_words = cues.words("reduction") + cues.words("growth_rate") + tuple(_words("cells", "increase_prefix"))
    rate_word = next((w for w in rate_words if rest.endswith(w)), None)
    if rate_word:
        rest = rest[: -len(rate_word)]
    elif (neutral := next((w for w in cells.get("neutral_prefix", []) if rest.endswith(w)), None)) is not None:
        rest = rest[: -len(neutral)]
    for w in cells.get("period_prefix", []):
        rest = rest.removeprefix(w)
    return (comparator, ambition, rate_word) if not rest else None


def is_prose_cell(cell: str) -> bool:
    """A long cell written as sentences: the prose extractor's, not ours."""
    text = _norm(cell)
    cells = _vocab().get("cells", {})
    return len(text) >= int(cells.get("prose_min_chars", 24)) and any(
        p in text for p in cells.get("prose_punctuation", [])
    )


def valid_unit(text: str) -> str | None:
    """text when it is a unit unit_info knows (亿元, %, 家, 万元/亩), else None."""
    t = _norm(text).removeprefix("单位").lstrip(":：")
    return t if t and unit_info(t).base_unit else None


def label_unit(label: str) -> str | None:
    """A unit printed in parentheses in a header label or caption: （亿元）, （单位：万元）."""
    for inner in reversed(_PARENS.findall(_norm(label))):
        unit = valid_unit(inner)
        if unit:
            return unit
    return "%" if "%" in label else None


# --------------------------------------------------------------------------
# layout
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    index: int
    label: str
    role: str  # a role of table_columns.toml [indicator], or year, past, other
    year: int | None = None
    unit: str | None = None  # unit in the label's parentheses
    measure: str | None = None  # the indicator a value column's label names (wide tables)


@dataclass
class Layout:
    header_rows: int
    columns: list[Column]
    name_col: int | None
    breakdown: bool  # the name column names sub-units (scope), not indicators
    targets: list[Column] = field(default_factory=list)  # target-year columns, left to right
    baseline: Column | None = None
    growth: Column | None = None
    actuals: list[Column] = field(default_factory=list)  # completed amounts and rates
    deadline: Column | None = None


_VALUE_ROLES = {"baseline", "target", "growth", "actual", "count"}


@lru_cache(maxsize=1)
def _empty_cells() -> frozenset[str]:
    return frozenset(_words("cells", "empty"))


def _is_year_like(cell: str) -> bool:
    return bool(_YEAR_LABEL.fullmatch(_norm(cell)))


@lru_cache(maxsize=4096)  # tables of a kind repeat their headers; a Column is frozen
def classify_label(index: int, label: str) -> Column:
    """A header label -> its column role, year, unit and the measure it names."""
    years = _YEAR_IN_LABEL.findall(label)
    year = int(years[-1]) if years else None  # 2021-2025年累计: the period's end
    unit = label_unit(label)
    role = role_of(label, "indicator")
    if role == "unit":
        return Column(index, label, "unit")
    if role in _VALUE_ROLES:
        return Column(index, label, role, year, unit, _measure(label, role))
    if role is not None:
        return Column(index, label, role, year, unit)
    if year is not None:
        return Column(index, label, "year", year, unit, _measure(label, "year"))
    return Column(index, label, "other", None, unit, _measure(label, "other") if label else None)


def _measure(label: str, role: str) -> str | None:
    """What a value column's label says it measures, once years, units and role words are cut.

    A plan word stays (年投资计划 measures 年投资计划); a label that is only
    role words (2025年目标值) measures nothing of its own.
    """
    text = _PARENS.sub("", label)
    text = _YEAR_SPAN.sub("", _TO_YEAR.sub("", text)).strip("（）()：:%")
    if role in ("actual", "count"):
        return text if len(_HAN.findall(text)) >= 2 else None
    rest = text
    for key in ("baseline", "target", "growth"):
        for w in column_words("indicator", key):
            rest = rest.replace(w, "")
    if len(_HAN.findall(rest)) < 2:
        return None
    kept = tuple(_words("names", "plan_words"))
    for key in ("baseline", "target", "growth"):
        for w in column_words("indicator", key):
            if not any(k in w for k in kept):
                text = text.replace(w, "")
    text = text.strip("（）()：:%")
    return text if len(_HAN.findall(text)) >= 2 else None


def _resolve_years(columns: list[Column], ref_year: int | None) -> list[Column]:
    """Year-only columns -> baseline / target / past, by the plan's first year.

    ref_year: the first plan year; a column before it is past (the latest
    such is the baseline), from it on a target. Unknown: the earliest year
    column is the baseline and later ones are targets.
    """
    years = [c for c in columns if c.role == "year"]
    if not years:
        return columns
    if ref_year is None:
        if len(years) == 1:
            past: list[Column] = []
        else:
            past = [min(years, key=lambda c: c.year or 0)]
    else:
        past = [c for c in years if (c.year or 0) < ref_year]
    base = max(past, key=lambda c: c.year or 0) if past else None
    out = []
    for c in columns:
        if c.role == "year":
            role = "baseline" if c is base else ("past" if c in past else "target")
            c = replace(c, role=role)
        out.append(c)
    return out


def _name_column(columns: list[Column], grid: Grid) -> int | None:
    """The column naming each row: the rightmost of adjacent indicator-name columns, else a text column."""
    for role in ("indicator_name", "scope_name"):
        found = [c.index for c in columns if c.role == role]
        if found:
            first = found[0]
            last = first
            while last + 1 in found:
                last += 1
            return last
    first_value = min((c.index for c in columns if c.role in _VALUE_ROLES), default=grid.table.n_cols)
    for c in reversed(columns[:first_value]):
        if c.role in {"other", "category"} and _mostly_text(grid, c.index):
            return c.index
    return None


def _mostly_text(grid: Grid, col: int) -> bool:
    """Names, not values, and not years (a table with years down its rows is not read)."""
    cells = [grid.row(r)[col] for r in grid.body if _norm(grid.row(r)[col])]
    texts = [c for c in cells if parse_value_cell(c) is None and not _is_year_like(c)]
    return bool(cells) and len(texts) >= 0.8 * len(cells)


def read_layout(grid: Grid, ref_year: int | None) -> Layout | None:
    """The table's layout, or None when it is no indicator (or progress) table."""
    if not any(grid.labels) or projects.is_project_list(grid):
        return None
    columns = _resolve_years([classify_label(i, lab) for i, lab in enumerate(grid.labels)], ref_year)
    columns = [replace(c, role="other") if c.role == "unit" and not _holds_units(grid, c.index) else c for c in columns]
    name_col = _name_column(columns, grid)
    if name_col is None:
        return None
    # Adjacent columns sharing the name label (指标名称 over 类别 + 名称) are categories.
    columns = [
        replace(c, role="category") if c.role == columns[name_col].role and c.index < name_col else c for c in columns
    ]
    name = columns[name_col]
    breakdown = name.role == "scope_name" or (name.role in {"other", "category"} and not _names_indicators(grid, name_col))
    layout = Layout(grid.header_rows, columns, name_col, breakdown)
    layout.targets = [c for c in columns if c.role == "target" and c.index != name_col]
    if breakdown and _says_target(grid):
        # A wide table (乡镇 | 规上工业产值（亿元） | 工业投资（亿元）): each measure column is a target,
        # but only where the table says it sets targets, not in a list of facts (用地面积).
        layout.targets += [c for c in columns if c.role == "other" and c.measure and c.index > name_col]
    baselines = [c for c in columns if c.role == "baseline"]
    layout.baseline = max(baselines, key=lambda c: c.year or 0) if baselines else None
    growths = [c for c in columns if c.role == "growth"]
    layout.growth = growths[-1] if growths else None
    layout.actuals = [c for c in columns if c.role == "actual"]
    layout.deadline = next((c for c in columns if c.role == "deadline"), None)
    if is_past_caption(grid.title):
        # A table of results sets targets only in its plan columns (年投资计划).
        plan = tuple(_words("names", "plan_words"))
        layout.targets = [c for c in layout.targets if any(w in c.label for w in plan)]
        layout.growth = None
    # A growth column beside past years only (2016 … 2020, 年均增长) reports the past.
    past = any(c.role in {"past", "baseline"} and c.year for c in columns)
    return layout if layout.targets or layout.actuals or (layout.growth and not past) else None


def _holds_units(grid: Grid, col: int) -> bool:
    """A 单位 column of units (万元, %), not one of organisations or places (全区, 东山镇) that name the rows."""
    cells = [_norm(grid.row(r)[col]) for r in grid.body if _norm(grid.row(r)[col])]
    return not cells or sum(valid_unit(c.strip("（）()")) is not None for c in cells) >= 0.5 * len(cells)


def _says_target(grid: Grid) -> bool:
    words = column_words("indicator", "target")
    title = _norm(grid.title or "") + "".join(_norm(c) for c in grid.row(0))
    return any(w in title for w in words)


def _names_indicators(grid: Grid, col: int) -> bool:
    """An unlabelled name column names indicators when most names carry a unit: 增加值（亿元）."""
    names = [grid.row(r)[col] for r in grid.body if _norm(grid.row(r)[col])]
    return bool(names) and sum(split_name(n)[1] is not None for n in names) >= 0.5 * len(names)


# --------------------------------------------------------------------------
# names and captions
# --------------------------------------------------------------------------


def split_name(name: str) -> tuple[str, str | None]:
    """An indicator name as printed -> (indicator, unit in trailing parentheses)."""
    text = _squash(name)
    for pattern in _vocab().get("names", {}).get("leading", []):
        text = rules.compiled(pattern).sub("", text)
    m = _TRAILING_PARENS.search(text)
    if m and valid_unit(m.group(1)):
        return text[: m.start()], valid_unit(m.group(1))
    return text, None


def rate_split(indicator: str, base_unit: str | None) -> tuple[str, str | None]:
    """Cut a trailing rate word (增速, 下降幅度) off a % indicator -> (indicator, rate word)."""
    if base_unit not in _RATE_BASES:
        return indicator, None
    for key in ("growth_suffix", "reduction_suffix"):
        for w in _words("names", key):
            if indicator.endswith(w) and len(indicator) > len(w) + 1:
                return indicator[: -len(w)], w
    return indicator, None


def count_unit_of(indicator: str) -> str | None:
    """The count unit a unit-less indicator implies by its last word (…项目 -> 项)."""
    for suffix, unit in _vocab().get("names", {}).get("implied_unit", {}).items():
        if indicator.endswith(suffix):
            return str(unit)
    return None


@dataclass(frozen=True)
class Caption:
    qualifier: str | None  # 新兴产业: the scope of a total row
    indicator: str | None  # 规上工业总产值
    unit: str | None  # 亿元
    units: tuple[str, ...] = ()  # a unit note's units, "单位：个、亿元" -> (个, 亿元)
    months: str | None = None  # "1-9" for a table of 1-9月份 figures


def read_caption(caption: str | None, meta: DocumentMeta) -> Caption:
    """A table's caption -> the qualifier, indicator and unit it names."""
    cap = _vocab().get("captions", {})
    # The label goes before white space does: "附件 2 2024年…" must not read as 附件22024.
    text = _squash(rules.compiled(cap.get("label", r"^$")).sub("", (caption or "").strip()))
    units = caption_units(text)
    months = months_of(text)
    unit = label_unit(text) or (units[0] if len(units) == 1 else None)
    text = _PARENS.sub(lambda m: "" if valid_unit(m.group(1)) else m.group(0), text)
    text = _UNIT_NOTE.sub("", text)
    for name in (meta.region, meta.city, meta.province):
        if name and text.startswith(name):
            text = text[len(name) :]
    text = rules.compiled(cap.get("region", r"^$")).sub("", text)
    for pattern in cap.get("period", []):
        text = rules.compiled(pattern).sub("", text)
    text = rules.compiled(cap.get("breakdown", r"^$")).sub("", text)
    for pattern in cap.get("leading", []):
        text = rules.compiled(pattern).sub("", text)
    text = _strip_trailing(text, _words("captions", "trailing"))
    qualifier, indicator = _split_qualifier(text, cap)
    if len(_HAN.findall(indicator)) < 2:
        return Caption(None, None, unit, units, months)
    return Caption(qualifier, indicator, unit, units, months)


def caption_units(text: str) -> tuple[str, ...]:
    """The units of a note "单位：个、亿元" (one per kind of column), as written."""
    m = _UNIT_NOTE.search(_norm(text))
    if not m:
        return ()
    return tuple(u for u in (valid_unit(x) for x in regex.split(r"[、,，/]", m.group(1))) if u)


def months_of(text: str) -> str | None:
    """The months a caption's figures cover: "1-9月份" -> "1-9", "前8月" -> "1-8"."""
    for pattern, template in _vocab().get("captions", {}).get("months", {}).items():
        m = rules.compiled(pattern).search(_norm(text))
        if m:
            return str(template).format(*m.groups())
    return None


def _strip_trailing(text: str, words: list[str]) -> str:
    changed = True
    while changed and text:
        changed = False
        for w in words:
            if text.endswith(w):
                text, changed = text[: -len(w)], True
                break
    return text


def _split_qualifier(text: str, cap: dict[str, Any]) -> tuple[str | None, str]:
    min_rest = int(cap.get("qualifier_min_rest", 4))
    for w in cap.get("qualifier_suffix", []):
        i = text.find(w)
        if i > 0 and len(text) - (i + len(w)) >= min_rest:
            return text[: i + len(w)], text[i + len(w) :]
    return None, text


def is_past_caption(caption: str | None) -> bool:
    return any(w in _norm(caption or "") for w in _words("captions", "past"))


def total_row(name: str) -> tuple[bool, bool]:
    """(is a total row, is the whole region's total) for a row's name cell."""
    text = _norm(name)
    if text not in _words("rows", "total"):
        return False, False
    return True, any(text.startswith(p) for p in _words("rows", "whole_region_prefix"))


# --------------------------------------------------------------------------
# deadlines
# --------------------------------------------------------------------------


def deadline_year(cell: str) -> int | None:
    """The year of a deadline cell ("2024年底前"), or None."""
    years = [y for y, _, _ in find_years(cell)]
    return years[-1] if years else None


# --------------------------------------------------------------------------
# rows -> targets
# --------------------------------------------------------------------------


@dataclass
class TableRead:
    """A table as this module reads it: its grid, layout and caption, for the row readers."""

    doc: Document
    meta: DocumentMeta
    grid: Grid
    layout: Layout
    caption: Caption
    default_year: int | None

    @property
    def block(self) -> Block:
        return self.grid.block

    def roles(self) -> list[str | None]:
        return [c.role for c in self.layout.columns]

    def year(self, r: int, col_year: int | None) -> int | None:
        """A value column's year, else the row's deadline, else the document's."""
        if col_year:
            return col_year
        if self.layout.deadline is not None:
            y = deadline_year(self.grid.row(r)[self.layout.deadline.index])
            if y:
                return y
        return self.default_year


def _bounds(comparator: str, base: float | None, base_high: float | None) -> tuple[float | None, float | None]:
    if base is None:
        return None, None
    if comparator in {">=", ">"}:
        return base, None
    if comparator in {"<=", "<"}:
        return None, base_high if base_high is not None else base
    if comparator == "=":
        return base, base_high if base_high is not None else base
    return None, None


def _round(x: float) -> float:
    return float(f"{x:.12g}")


def row_provenance(grid: Grid, doc: Document, r: int, col: int | None, rule: str) -> dict[str, Any]:
    """The provenance of a record read from row r: span and evidence are the row."""
    start, end = grid.row_span(r)
    block = grid.block
    return {
        "doc_id": doc.doc_id, "block_id": block.id, "section_path": list(block.section_path),
        "char_start": start, "char_end": end, "page": block.page, "evidence": grid.row_text(doc, r),
        "source": "table", "table_id": block.id, "table_row": r, "table_col": col, "rule": rule,
    }


def _make_target(
    read: TableRead, r: int, col: Column, cell: CellValue, *, indicator: str, scope: str | None, unit: str,
    kind: str, year: int | None, baseline: float | None, baseline_year: int | None, attribute: str | None,
    agencies: list[str], rule: str,
) -> Target:
    info = unit_info(unit)
    base = _round(cell.value * info.factor) if info.factor is not None else None
    base_high = _round(cell.value_high * info.factor) if info.factor is not None and cell.value_high is not None else None
    lower, upper = _bounds(cell.comparator, base, base_high)
    return Target(
        **row_provenance(read.grid, read.doc, r, col.index, rule),
        indicator=indicator, scope=scope, value=cell.value, value_high=cell.value_high, unit=info.unit,
        base_value=base, base_value_high=base_high, base_unit=info.base_unit,
        comparator=cell.comparator, ambition=cell.ambition, kind=kind, year=year,
        baseline_value=baseline, baseline_year=baseline_year, lower=lower, upper=upper,
        attribute=attribute, agencies=agencies,
    )


def row_unit(read: TableRead, row: list[str], name_unit: str | None, col: Column, indicator: str) -> str | None:
    """The row's unit: unit column, the name's parentheses, the column label, the caption, implied."""
    for c in read.layout.columns:
        if c.role == "unit":
            unit = valid_unit(_PARENS.sub(r"\1", _norm(row[c.index])))
            if unit:
                return unit
    return name_unit or col.unit or _caption_unit(read.caption, col) or count_unit_of(indicator)


def _caption_unit(caption: Caption, col: Column) -> str | None:
    """The caption's unit; of a note naming several (单位：个、亿元), the one of the column's kind."""
    if caption.unit or len(caption.units) < 2:
        return caption.unit
    counting = col.role == "count"
    return next((u for u in caption.units if is_count(unit_info(u).base_unit or "") == counting), None)


def _row_targets(read: TableRead, r: int) -> list[Target]:
    layout, row = read.layout, read.grid.row(r)
    assert layout.name_col is not None
    name = row[layout.name_col]
    if not _norm(name) or read.grid.is_category_row(r) or is_prose_cell(name):
        return []
    attribute = next((_squash(row[c.index]) or None for c in layout.columns if c.role == "attribute"), None)
    agencies = table_reader.row_note(row, read.roles()).agencies
    scope, name_indicator, name_unit = row_scope(read, name)
    if name_indicator is None and not layout.breakdown:
        return []
    out: list[Target] = []
    indicator_for_growth: str | None = None
    for col in layout.targets:
        indicator = (col.measure if layout.breakdown and col.measure else None) or name_indicator
        if not indicator:
            continue
        cell = parse_value_cell(row[col.index])
        if cell is None:
            if not is_prose_cell(row[col.index]):  # long prose is the prose reader's
                out += _criterion_targets(read, r, col, indicator, scope, name_unit, attribute, agencies)
            continue
        unit = cell.unit or row_unit(read, row, name_unit, col, indicator)
        if not unit:
            continue
        base_unit = unit_info(unit).base_unit
        indicator, rate_word = rate_split(indicator, base_unit)
        kind = _kind(indicator, base_unit, rate_word or cell.rate_word)
        baseline, baseline_year = _baseline(read, row, unit)
        rule = "table.breakdown_row" if layout.breakdown else "table.indicator_row"
        out.append(
            _make_target(
                read, r, col, cell, indicator=indicator, scope=scope, unit=unit, kind=kind,
                year=read.year(r, col.year), baseline=baseline, baseline_year=baseline_year,
                attribute=attribute, agencies=agencies, rule=rule,
            )
        )
        indicator_for_growth = indicator
    growth = _growth_target(read, r, indicator_for_growth or name_indicator, scope, attribute, agencies)
    return out + ([growth] if growth else [])


def _criterion_targets(
    read: TableRead, r: int, col: Column, indicator: str, scope: str | None, name_unit: str | None,
    attribute: str | None, agencies: list[str],
) -> list[Target]:
    """A target cell written as clauses ("较上一年增加。2023年达到80%"): a target per clause with a value
    ("2023年达到80%" -> 80 % for 2023, the row's indicator); a cell with no such clause goes to the prose reader."""
    out: list[Target] = []
    for clause in _CLAUSES.split(_norm(read.grid.row(r)[col.index])):
        m = _CLAUSE_YEAR.match(clause)
        cell = parse_value_cell(clause[m.end() :] if m else clause)
        if cell is None:
            continue
        unit = cell.unit or row_unit(read, read.grid.row(r), name_unit, col, indicator)
        if not unit:
            continue
        base_unit = unit_info(unit).base_unit
        name, rate_word = rate_split(indicator, base_unit)
        year = int(m.group(1)) if m else read.year(r, col.year)
        out.append(
            _make_target(
                read, r, col, cell, indicator=name, scope=scope, unit=unit,
                kind=_kind(name, base_unit, rate_word or cell.rate_word), year=year, baseline=None,
                baseline_year=None, attribute=attribute, agencies=agencies, rule="table.criterion_cell",
            )
        )
    if not out and any(ch.isdigit() for ch in read.grid.row(r)[col.index]):
        # no clause is a value ("比2020年翻一番，达到全省前列"): the prose reader may still read it
        out = table_reader.prose_targets(read.doc, read.meta, read.grid, r, col.index, agencies)
    return out


def _kind(indicator: str, base_unit: str | None, rate_word: str | None) -> str:
    """cues.kind_of, plus a cell's own 新增 (新增15家) making a count of new things."""
    if rate_word and rate_word in _words("cells", "increase_prefix") and base_unit not in _RATE_BASES:
        return "increase"
    return cues.kind_of(indicator, base_unit, rate_word)


def row_scope(read: TableRead, name: str) -> tuple[str | None, str | None, str | None]:
    """(scope, indicator, unit) a row's name gives: an indicator list names the
    indicator; a breakdown names the scope and takes the indicator from the caption."""
    is_total, whole = total_row(name)
    if not read.layout.breakdown:
        if is_total:  # a sum over indicators names no indicator
            return None, None, None
        indicator, unit = split_name(name)
        return None, indicator, unit
    if is_total:
        scope = None if whole else read.caption.qualifier
    else:
        scope = _squash(name)
    return scope, read.caption.indicator, None


def _baseline(read: TableRead, row: list[str], unit: str) -> tuple[float | None, int | None]:
    col = read.layout.baseline
    if col is None:
        return None, None
    cell = parse_value_cell(row[col.index])
    if cell is None or (cell.unit and unit_info(cell.unit).base_unit != unit_info(unit).base_unit):
        return None, None
    return cell.value, col.year


def _growth_target(
    read: TableRead, r: int, indicator: str | None, scope: str | None, attribute: str | None, agencies: list[str],
) -> Target | None:
    """The 年均增长 column: a growth_rate target for the row's last target year."""
    col = read.layout.growth
    if col is None or not indicator:
        return None
    cell = parse_value_cell(read.grid.row(r)[col.index])
    if cell is None:
        return None
    year = max((c.year for c in read.layout.targets if c.year), default=read.default_year)
    unit = cell.unit or (col.unit if col.unit in _RATE_BASES else "%")
    indicator, _ = rate_split(indicator, "%")
    return _make_target(
        read, r, col, cell, indicator=indicator, scope=scope, unit=unit, kind="growth_rate", year=year,
        baseline=None, baseline_year=None, attribute=attribute, agencies=agencies, rule="table.growth_column",
    )


# --------------------------------------------------------------------------
# prose cells and tables without a header
# --------------------------------------------------------------------------


def _row_place(row: list[str]) -> str | None:
    """The platform a list row is about: its name cell up to the first full stop."""
    for cell in row:
        name = _NAME_END.split(cell.strip(), maxsplit=1)[0].strip()
        if name and not _ROW_NUMBER.fullmatch(name):
            return name if is_platform(name) and len(name) <= 20 else None
    return None


def _prose_columns(grid: Grid) -> list[int]:
    """The columns whose prose cells the prose reader reads: not places, reasons, names."""
    skip = tuple(_words("cells", "prose_skip_columns"))
    return [c for c, label in enumerate(grid.labels) if not any(k in label for k in skip)]


def _is_criterion(layout: Layout | None, c: int, cell: str) -> bool:
    """A short cell of a layout's value column: read as criterion clauses, not as prose."""
    return layout is not None and any(col.index == c for col in layout.targets) and not is_prose_cell(cell)


@dataclass(frozen=True)
class ProseCell:
    """A table cell written as prose, for the prose reader, with what its row adds to what it reads."""

    block: Block
    row: int
    col: int
    text: str  # the cell as the table is rendered in the document's text
    offset: int  # of text[0] in the document's clean text
    agencies: list[str]  # the row's agencies, when the cell is the row's own item
    place: str | None  # the row's platform: the scope when the text names none
    deadline: int | None  # the row's deadline year: the year when the text states none

    def finish(self, targets: list[Target]) -> list[Target]:
        """The row's scope and deadline year on the targets read from the cell."""
        stated_year = bool(find_years(self.text))
        for t in targets:
            t.scope = t.scope or self.place
            if self.deadline and not stated_year:
                t.year = self.deadline
            t.rule = t.rule or "table.prose_cell"
        return targets


def prose_cells(doc: Document, meta: DocumentMeta, block: Block) -> list[ProseCell]:
    """The cells of a table the prose reader reads ("计划到2025年全市通过省级认定小微企业园15个，…").

    Not project lists, names, places or reasons, nor the short criterion cells
    of an indicator table (read here clause by clause). In a table without a
    header row the prose column is the row's own item: the row's agencies are
    its targets' agencies and its deadline their year.
    """
    grid = read_grid(block)
    if grid is None or projects.is_project_list(grid):
        return []
    headerless = not any(grid.labels)
    layout = None if headerless else read_layout(grid, _ref_year(meta, meta.plan_end))
    roles = table_reader.column_roles(grid, "task") if headerless else [None] * grid.table.n_cols
    columns = [c for c, role in enumerate(roles) if role == "content"] if headerless else _prose_columns(grid)
    out: list[ProseCell] = []
    for r in grid.body:
        row = grid.row(r)
        if grid.is_category_row(r):
            continue
        agencies = table_reader.row_note(row, roles).agencies if headerless else []
        deadline = next((deadline_year(row[c]) for c, role in enumerate(roles) if role == "deadline"), None)
        for c in columns:
            cell = row[c]
            if len(cell) < 12 or not _SENTENCE_PUNCT.search(cell) or (c > 0 and row[c - 1] == cell):
                continue  # short, no sentence, or a merged cell read once already
            if _is_criterion(layout, c, cell):
                continue
            start, _ = grid.cell_span(r, c)
            text = cell.replace("\n", " ").replace("\t", " ")
            out.append(ProseCell(block, r, c, text, start, agencies, None if headerless else _row_place(row), deadline))
    return out


# --------------------------------------------------------------------------
# tables and documents
# --------------------------------------------------------------------------


def _ref_year(meta: DocumentMeta, default_year: int | None) -> int | None:
    """The first plan year: a year column before it holds past figures.

    Unknown plan start: the publication year, else a five-year plan ending
    in default_year (the longest period a plan's table usually spans).
    """
    if meta.plan_start:
        return meta.plan_start
    if meta.publish_date and _FOUR_DIGITS.match(meta.publish_date):
        return int(meta.publish_date[:4])
    return default_year - 4 if default_year else None


def read_table(doc: Document, block: Block, meta: DocumentMeta, default_year: int | None) -> TableRead | None:
    """The table read as an indicator or progress table; None for other tables."""
    grid = read_grid(block)
    if grid is None:
        return None
    layout = read_layout(grid, _ref_year(meta, default_year))
    if layout is None:
        return None
    return TableRead(doc, meta, grid, layout, read_caption(grid.title, meta), default_year)


def table_targets(doc: Document, block: Block, meta: DocumentMeta, default_year: int | None) -> list[Target]:
    """The targets of one table block's value and criterion cells (its prose cells: `prose_cells`)."""
    read = read_table(doc, block, meta, default_year)
    if read is None:
        return []
    return [t for r in read.grid.body for t in _row_targets(read, r)]


def extract_table_targets(doc: Document, meta: DocumentMeta, default_year: int | None) -> list[Target]:
    """Every target in the document's tables, in reading order."""
    per_table = [table_targets(doc, b, meta, default_year) for b in doc.blocks if b.kind == "table" and b.table]
    return align_caption_indicators(per_table)


def align_caption_indicators(per_table: list[list[Target]]) -> list[Target]:
    """Give a breakdown table the full indicator name the document's indicator list uses.

    Captions abbreviate (规模以上总产值 for 规模以上工业总产值); when a total
    row of a breakdown table equals, in year and amount, a target of the
    document's own indicator list with a like name, that name is the one meant.
    """
    listed = {
        (t.year, t.base_unit, t.base_value, t.kind): t.indicator
        for ts in per_table
        for t in ts
        if t.scope is None and t.rule in ("table.indicator_row", "table.growth_column") and not _is_breakdown(ts)
    }
    out: list[Target] = []
    for ts in per_table:
        if _is_breakdown(ts):
            renames = _matching_indicators(ts, listed)
            ts = [
                t.model_copy(update={"indicator": renames[t.indicator]})
                if t.indicator in renames and t.rule == "table.breakdown_row" else t
                for t in ts
            ]
        out += ts
    return out


def _is_breakdown(ts: list[Target]) -> bool:
    return any(t.scope is not None and t.rule == "table.breakdown_row" for t in ts)


def _matching_indicators(ts: list[Target], listed: dict[tuple[Any, ...], str]) -> dict[str, str]:
    """{caption's indicator: the indicator list's name} for the table's whole-region totals."""
    renames: dict[str, str] = {}
    for t in ts:
        if t.scope is None and t.indicator not in renames:
            name = listed.get((t.year, t.base_unit, t.base_value, t.kind))
            if name and name != t.indicator and dice(name, t.indicator) >= 0.6:
                renames[t.indicator] = name
    return renames


def dice(a: str, b: str) -> float:
    """Dice coefficient of character bigrams (the scorer's likeness)."""
    ba = [a[i : i + 2] for i in range(len(a) - 1)]
    bb = [b[i : i + 2] for i in range(len(b) - 1)]
    if not ba or not bb:
        return float(a == b)
    rest = list(bb)
    common = 0
    for g in ba:
        if g in rest:
            rest.remove(g)
            common += 1
    return 2 * common / (len(ba) + len(bb))
