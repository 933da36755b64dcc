"""Reading the built database: read-only queries, table listings, output formats."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

FORMATS = ("table", "csv", "json", "parquet")

if TYPE_CHECKING:
    import duckdb


def connect(db: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection: queries can never change a built dataset."""
    import duckdb

    if not Path(db).is_file():
        raise FileNotFoundError(f"no database at {db}: run `planextract build` first")
    return duckdb.connect(str(db), read_only=True)


def to_arrow(rel: duckdb.DuckDBPyRelation) -> pa.Table:
    # to_arrow_table() is the DuckDB >= 1.4 name; fetch_arrow_table() the older one.
    fetch = getattr(rel, "to_arrow_table", None) or rel.fetch_arrow_table
    return fetch()


def run_query(db: Path, sql: str) -> pa.Table:
    con = connect(db)
    try:
        rel = con.sql(sql)
        return to_arrow(rel) if rel is not None else pa.table({})
    finally:
        con.close()


@dataclass(frozen=True)
class TableInfo:
    name: str
    kind: str  # table | view
    rows: int
    description: str


def list_tables(db: Path) -> list[TableInfo]:
    con = connect(db)
    try:
        found = con.execute(
            "SELECT table_name, 'table', comment FROM duckdb_tables() WHERE NOT internal "
            "UNION ALL SELECT view_name, 'view', comment FROM duckdb_views() WHERE NOT internal "
            "ORDER BY 2, 1"
        ).fetchall()
        return [
            TableInfo(name, kind, con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0], comment or "")
            for name, kind, comment in found
        ]
    finally:
        con.close()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def to_csv(table: pa.Table) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(table.column_names)
    for row in table.to_pylist():
        writer.writerow([_cell(v) for v in row.values()])
    return buf.getvalue()


def to_json(table: pa.Table) -> str:
    return json.dumps(table.to_pylist(), ensure_ascii=False, indent=1, default=str) + "\n"


def rows_as_text(table: pa.Table) -> list[list[str]]:
    return [[_cell(v) for v in row.values()] for row in table.to_pylist()]


def write_output(table: pa.Table, fmt: str, output: Path) -> None:
    if fmt == "parquet":
        import pyarrow.parquet as pq

        pq.write_table(table, output, compression="zstd")
    elif fmt == "csv":
        output.write_text(to_csv(table), encoding="utf-8")
    elif fmt == "json":
        output.write_text(to_json(table), encoding="utf-8")
    else:
        output.write_text("\t".join(table.column_names) + "\n" + "".join(
            "\t".join(r) + "\n" for r in rows_as_text(table)), encoding="utf-8")
