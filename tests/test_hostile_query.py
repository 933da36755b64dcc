"""Issue 12, point 2: `planextract query` and api.run_query are a sandbox.

Every escape the audit found is tried, through the API and the CLI: none
may write a file, read one outside the database, change a setting, load an
extension, or change the database.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from _load_helpers import fixed_code_fingerprint  # noqa: F401 (autouse: pins the cache key)
from _load_helpers import ingest_only, write_doc
from planextract import api
from planextract.cli import app
from planextract.load import query, store

runner = CliRunner()


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("sandbox")
    write_doc(base / "in" / "a.txt", "甲县发展规划")
    api.build(base / "in", base / "out", workers=1, processor=ingest_only)
    return base / "out"


def _escapes(scratch: Path) -> list[str]:
    return [
        f"COPY documents TO '{scratch}/copy.csv'",
        f"COPY (SELECT * FROM documents) TO '{scratch}/copy2.parquet' (FORMAT parquet)",
        f"EXPORT DATABASE '{scratch}/export'",
        "SELECT * FROM read_text('/etc/passwd')",
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM read_blob('/proc/self/environ')",
        "SELECT * FROM glob('/root/*')",
        "SELECT * FROM '/etc/passwd'",
        f"ATTACH '{scratch}/other.db' AS other (READ_WRITE)",
        f"PRAGMA profile_output='{scratch}/profile.json'",
        f"SET log_query_path='{scratch}/log.txt'",
        "SET enable_external_access = true",
        "RESET lock_configuration",
        "INSTALL httpfs",
        "LOAD httpfs",
        "DROP TABLE documents",
        "DELETE FROM documents",
        "CREATE TABLE t AS SELECT 1",
        "CREATE TEMP TABLE t AS SELECT 1",
        "CREATE MACRO m() AS 1",
        "WITH x AS (SELECT 1) INSERT INTO documents SELECT * FROM documents",
        "UPDATE documents SET path = 'x'",
        "DETACH planextract",
        "USE memory",
        "CHECKPOINT",
        "BEGIN TRANSACTION",
        "CALL pragma_version()",
        "VACUUM",
        # Escapes hidden behind a harmless first statement.
        f"SELECT 1; COPY documents TO '{scratch}/after.csv'",
        f"SELECT 1; ATTACH '{scratch}/s.db' AS s; USE s; DETACH planextract",
        # Inside an allowed statement: the connection's sandbox catches what the classifier lets through.
        f"EXPLAIN ANALYZE COPY documents TO '{scratch}/explained.csv'",
        "SELECT * FROM query('SELECT * FROM read_text(''/etc/passwd'')')",
    ]


def _db_digest(out: Path) -> str:
    return hashlib.sha256(store.resolve_db(out / store.DB_NAME).read_bytes()).hexdigest()


def test_no_escape_works_through_the_api(out: Path, tmp_path: Path) -> None:
    before = _db_digest(out)
    for sql in _escapes(tmp_path):
        # Refused by the classifier, or (inside an allowed statement) by the connection's sandbox.
        with pytest.raises((query.QueryError, duckdb.Error)):  # QueryRefused is a QueryError
            query.run_query(out / store.DB_NAME, sql)
    assert list(tmp_path.iterdir()) == []  # nothing written
    assert _db_digest(out) == before
    assert query.run_query(out / store.DB_NAME, "SELECT count(*) AS n FROM documents").to_pylist() == [{"n": 1}]


def test_refusals_say_what_was_refused(out: Path) -> None:
    with pytest.raises(query.QueryRefused, match=r"COPY statement.*read-only"):
        query.run_query(out / store.DB_NAME, "COPY documents TO 'x.csv'")
    with pytest.raises(query.QueryRefused, match="ATTACH"):
        query.read_only_statements("SELECT 1; ATTACH 'x.db'")
    with pytest.raises(query.QueryError, match="one SQL statement"):
        query.run_query(out / store.DB_NAME, "SELECT 1; SELECT 2")


@pytest.mark.parametrize("sql", [
    "SELECT path FROM documents", "WITH d AS (SELECT * FROM documents) SELECT count(*) FROM d",
    "DESCRIBE documents", "SHOW TABLES", "SUMMARIZE documents", "EXPLAIN SELECT * FROM documents",
    "FROM documents SELECT path",
])
def test_reading_statements_run(out: Path, sql: str) -> None:
    assert query.run_query(out / store.DB_NAME, sql).num_rows >= 1


def test_no_escape_works_through_the_cli(out: Path, tmp_path: Path) -> None:
    before = _db_digest(out)
    for sql in _escapes(tmp_path):
        result = runner.invoke(app, ["query", sql, "--db", str(out / store.DB_NAME)])
        assert result.exit_code == 1, (sql, result.output)
        assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []
    assert _db_digest(out) == before


def test_the_db_path_users_know_and_the_folder_both_resolve_to_the_current_build(out: Path) -> None:
    for db in (out / store.DB_NAME, out):
        assert query.run_query(db, "SELECT count(*) AS n FROM documents").to_pylist() == [{"n": 1}]
    assert store.resolve_db(out / store.DB_NAME).parent == store.current_generation(out)
