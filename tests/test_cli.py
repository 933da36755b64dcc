"""The CLI: exit codes, summaries, read-only queries in every format, tables, schemas, release."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from _load_helpers import fixed_code_fingerprint  # noqa: F401 (autouse: pins the cache key)
from _load_helpers import write_doc
from planextract.cli import app, readme_section
from planextract.load.schema import VIEWS, schema_files
from planextract.load.tables import TABLE_NAMES

runner = CliRunner()


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("cli")
    write_doc(base / "in" / "a.txt", "甲县发展规划")
    write_doc(base / "in" / "b.txt", "乙县工作要点")
    result = runner.invoke(app, ["build", str(base / "in"), "--out", str(base / "out"), "--workers", "1", "--quiet"])
    assert result.exit_code == 0, result.output
    return base / "out"


def _db(out: Path) -> str:
    return str(out / "planextract.duckdb")


def test_build_json_summary_adds_up(out: Path) -> None:
    result = runner.invoke(app, ["build", str(out.parent / "in"), "--out", str(out), "--json", "--workers", "1"])
    assert result.exit_code == 0, result.output
    s = json.loads(result.stdout)
    assert s["files"] == s["documents"] + s["errors"] + s["skipped"] == 2
    assert (s["parsed"], s["reused"]) == (0, 2)
    assert set(s["rows"]) == set(TABLE_NAMES)


def test_build_summary_points_at_the_errors_table(tmp_path: Path) -> None:
    write_doc(tmp_path / "in" / "a.txt", "甲县发展规划")
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    args = ["build", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--workers", "1"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output  # per-file errors do not fail a build
    assert "1 errors" in result.stdout and "from errors" in result.stdout
    assert runner.invoke(app, [*args, "--strict", "--quiet"]).exit_code == 1


def test_build_itself_failing_exits_2(tmp_path: Path) -> None:
    write_doc(tmp_path / "in" / "a.txt", "甲县发展规划")
    (tmp_path / "out").write_text("a file where the output folder should be")
    result = runner.invoke(app, ["build", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--quiet"])
    assert result.exit_code == 2
    assert runner.invoke(app, ["build", str(tmp_path / "missing")]).exit_code != 0


def test_query_formats(out: Path, tmp_path: Path) -> None:
    sql = "SELECT path, format, warnings FROM documents ORDER BY path"
    csv_out = runner.invoke(app, ["query", sql, "--db", _db(out), "--format", "csv"])
    assert csv_out.exit_code == 0 and csv_out.stdout.splitlines() == ["path,format,warnings", "a.txt,text,[]", "b.txt,text,[]"]
    rows = json.loads(runner.invoke(app, ["query", sql, "--db", _db(out), "-f", "json"]).stdout)
    assert [r["path"] for r in rows] == ["a.txt", "b.txt"] and rows[0]["warnings"] == []
    table = runner.invoke(app, ["query", sql, "--db", _db(out)])
    assert table.exit_code == 0 and "a.txt" in table.stdout
    target = tmp_path / "docs.parquet"
    assert runner.invoke(app, ["query", sql, "--db", _db(out), "-f", "parquet", "-o", str(target)]).exit_code == 0
    assert pq.read_table(target).column("path").to_pylist() == ["a.txt", "b.txt"]
    assert runner.invoke(app, ["query", sql, "--db", _db(out), "-f", "parquet"]).exit_code != 0  # needs --output


def test_query_is_read_only(out: Path) -> None:
    before = (out / "planextract.duckdb").read_bytes()
    for sql in ("CREATE TABLE x (a INT)", "DELETE FROM documents", "SELECT * FROM no_such_table"):
        result = runner.invoke(app, ["query", sql, "--db", _db(out)])
        assert result.exit_code == 1, sql
    assert (out / "planextract.duckdb").read_bytes() == before
    assert runner.invoke(app, ["query", "SELECT 1", "--db", str(out / "nope.duckdb")]).exit_code == 1


def test_tables_lists_tables_and_views_with_counts(out: Path) -> None:
    result = runner.invoke(app, ["tables", "--db", _db(out)])
    assert result.exit_code == 0
    for name in [*TABLE_NAMES, *VIEWS]:
        assert name in result.stdout
    assert re.search(r"\bdocuments\W+table\W+2\b", result.stdout), result.stdout


def test_schemas_writes_the_generated_files(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# Title\n\nHand-written intro.\n")
    result = runner.invoke(app, ["schemas", "--out", str(tmp_path / "schemas"), "--readme", str(readme)])
    assert result.exit_code == 0, result.output
    for name, text in schema_files().items():
        assert (tmp_path / "schemas" / name).read_text(encoding="utf-8") == text
    text = readme.read_text(encoding="utf-8")
    assert text.startswith("# Title\n\nHand-written intro.\n")
    assert readme_section("data-dictionary", text) and readme_section("cli-reference", text)
    runner.invoke(app, ["schemas", "--out", str(tmp_path / "schemas"), "--readme", str(readme)])
    assert readme.read_text(encoding="utf-8") == text  # idempotent


def test_release_command(out: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["release", "--version", "0.1.0", "--out", str(out), "--dest", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "planextract-0.1.0" / "datapackage.json").is_file()
    again = runner.invoke(app, ["release", "--version", "0.1.0", "--out", str(out), "--dest", str(tmp_path)])
    assert again.exit_code == 1 and "exists" in again.output
