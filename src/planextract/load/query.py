"""Reading the built database: read-only queries and table listings (files are written by load/export.py)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa

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


class QueryError(ValueError):
    """SQL that `query` does not run: more than one statement, or none."""


def one_statement(sql: str) -> None:
    """Refuse SQL of several statements: only the last one's result would be shown."""
    import duckdb

    try:
        n = len(duckdb.extract_statements(sql))
    except duckdb.Error:
        return  # a syntax error: DuckDB says what it is when the query runs
    if n != 1:
        raise QueryError(f"one SQL statement at a time, not {n}" if n else "no SQL statement to run")


def run_query(db: Path, sql: str) -> pa.Table:
    one_statement(sql)
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
