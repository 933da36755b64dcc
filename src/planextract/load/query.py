"""Reading the built database: read-only queries and table listings (files are written by load/export.py).

A query is a sandbox. The database is opened read-only, with DuckDB's access
to files and the network switched off, no extension installed or loaded,
and the configuration locked (so no SET can switch any of it back on); and
only reading statements are run at all (SELECT and WITH, DESCRIBE, SHOW,
SUMMARIZE, EXPLAIN), as DuckDB's own parser classifies them. Files are
written by planextract itself (`query --output`), never by SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

# Set when the connection opens; lock_configuration is applied last by DuckDB's own ordering of the options.
SANDBOX = {
    "enable_external_access": False,  # no files but the database, no network: COPY, read_csv, ATTACH, glob fail
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
    "lock_configuration": True,  # SET and PRAGMA cannot change any of the above
}

if TYPE_CHECKING:
    import duckdb


class QueryError(ValueError):
    """SQL that `query` does not run: more than one statement, or none."""


class QueryRefused(QueryError):
    """SQL that is not a read-only query: refused before anything runs."""


def connect(db: Path) -> duckdb.DuckDBPyConnection:
    """A sandboxed read-only connection: queries can never change a built dataset, nor reach anything else."""
    import duckdb

    from planextract.load.store import resolve_db

    path = resolve_db(db)
    if not path.is_file():
        raise FileNotFoundError(f"no database at {db}: run `planextract build` first")
    return duckdb.connect(str(path), read_only=True, config=dict(SANDBOX))


def _reading_types() -> frozenset[Any]:
    import duckdb

    # DESCRIBE, SHOW and SUMMARIZE parse as SELECT statements.
    return frozenset({duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN})


def read_only_statements(sql: str) -> list[duckdb.Statement]:
    """The statements of sql, each checked by DuckDB's parser to be a read; QueryRefused otherwise."""
    import duckdb

    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryRefused(f"cannot parse the SQL: {exc}") from None
    if not statements:
        raise QueryRefused("no SQL statement given")
    allowed = _reading_types()
    for st in statements:
        if st.type not in allowed:
            kind = str(st.type).rsplit(".", 1)[-1]
            raise QueryRefused(
                f"refused: {kind} statement ({st.query.strip()[:80]!r}); only read-only queries run here "
                "(SELECT, WITH, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN); write results with --output"
            )
    return statements


def to_arrow(rel: duckdb.DuckDBPyRelation) -> pa.Table:
    # to_arrow_table() is the DuckDB >= 1.4 name; fetch_arrow_table() the older one.
    fetch = getattr(rel, "to_arrow_table", None) or rel.fetch_arrow_table
    return fetch()


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
    """The result of one reading statement, run in the sandbox (QueryError for anything else)."""
    one_statement(sql)
    (statement,) = read_only_statements(sql)
    con = connect(db)
    try:
        rel = con.sql(statement.query)
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
