"""Actuals from progress tables: the completed amounts and rates of a table of results.

A progress table ("1-9月份州重点项目投资完成情况汇总表": 隶属 | 项目个数 |
年投资计划 | 完成投资额 | 年计划投资完成率) sets the year's plan (targets, read by
table_targets) and reports what was done so far: every value cell of a column
whose label says it was completed (完成投资额, 完成率; rules/table_columns.toml
`actual`) is one Actual, with the row as scope. The period is `months` when the
caption names the months (1-9月份 -> "1-9"), else the year; span and evidence
are the row.
"""

from __future__ import annotations

from planextract.extract import cues
from planextract.extract.numbers import unit_info
from planextract.extract.table_targets import (
    Column,
    TableRead,
    parse_value_cell,
    rate_split,
    read_table,
    row_provenance,
    row_scope,
    row_unit,
)
from planextract.models import Actual, Document, DocumentMeta


def _round(x: float) -> float:
    return float(f"{x:.12g}")


def _row_actuals(read: TableRead, r: int) -> list[Actual]:
    layout, row = read.layout, read.grid.row(r)
    assert layout.name_col is not None
    name = row[layout.name_col]
    if not name.strip() or read.grid.is_category_row(r):
        return []
    scope, name_indicator, name_unit = row_scope(read, name)
    out: list[Actual] = []
    for col in layout.actuals:
        actual = _actual(read, r, col, scope, name_indicator if not layout.breakdown else None, name_unit)
        if actual is not None:
            out.append(actual)
    return out


def _actual(
    read: TableRead, r: int, col: Column, scope: str | None, name_indicator: str | None, name_unit: str | None,
) -> Actual | None:
    cell = parse_value_cell(read.grid.row(r)[col.index])
    indicator = name_indicator or col.measure or col.label
    if cell is None or not indicator:
        return None
    unit = cell.unit or row_unit(read, read.grid.row(r), name_unit, col, indicator)
    if not unit:
        return None
    info = unit_info(unit)
    indicator, rate_word = rate_split(indicator, info.base_unit)
    months = read.caption.months
    return Actual(
        **row_provenance(read.grid, read.doc, r, col.index, "table.progress_actual"),
        indicator=indicator, scope=scope, value=cell.value, value_high=cell.value_high, unit=info.unit,
        base_value=_round(cell.value * info.factor) if info.factor is not None else None, base_unit=info.base_unit,
        comparator=cell.comparator, kind=cues.kind_of(indicator, info.base_unit, rate_word or cell.rate_word),
        year=read.year(r, col.year), period="months" if months else "year", months=months,
    )


def extract_table_actuals(doc: Document, meta: DocumentMeta, default_year: int | None) -> list[Actual]:
    """Every reported figure of the document's progress tables, in reading order."""
    out: list[Actual] = []
    for block in doc.blocks:
        if block.kind != "table" or block.table is None:
            continue
        read = read_table(doc, block, meta, default_year)
        if read is None or not read.layout.actuals:
            continue
        for r in read.grid.body:
            out += _row_actuals(read, r)
    return out
