"""The CLI: exit codes, summaries, read-only queries in every format, tables, schemas, release."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

import planextract
from _load_helpers import fixed_code_fingerprint  # noqa: F401 (autouse: pins the cache key)
from _load_helpers import ingest_only, write_doc
from planextract import api
from planextract.cli import MAX_CELL, app, clip, readme_section
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


def _one_line_error(result, pattern: str) -> None:  # type: ignore[no-untyped-def]
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and re.search(pattern, lines[0]), result.stderr


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.strip() == f"planextract {planextract.__version__}"


@pytest.mark.parametrize("suffix", [".csv", ".json", ".parquet", ".tsv"])
def test_query_output_format_follows_the_file_extension(out: Path, tmp_path: Path, suffix: str) -> None:
    target = tmp_path / f"result{suffix}"
    sql = "SELECT path, warnings FROM documents ORDER BY path"
    result = runner.invoke(app, ["query", sql, "--db", _db(out), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert "2 rows written" in result.stderr and result.stdout == ""
    if suffix == ".parquet":
        paths = pq.read_table(target).column("path").to_pylist()
    elif suffix == ".json":
        paths = [r["path"] for r in json.loads(target.read_text(encoding="utf-8"))]
    else:
        rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8")), delimiter="," if suffix == ".csv" else "\t"))
        assert rows[0] == ["path", "warnings"] and rows[1][1] == "[]"
        paths = [r[0] for r in rows[1:]]
    assert paths == ["a.txt", "b.txt"]
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # written atomically: no temporary left


def test_query_output_with_an_unknown_extension_is_an_error(out: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["query", "SELECT 1", "--db", _db(out), "-o", str(tmp_path / "r.xlsx")])
    assert result.exit_code == 1
    _one_line_error(result, r"cannot tell the format of 'r\.xlsx'.*\.csv, \.json, \.parquet, \.tsv")
    assert not list(tmp_path.iterdir())
    forced = runner.invoke(app, ["query", "SELECT 1 AS a", "--db", _db(out), "-o", str(tmp_path / "r.xlsx"), "-f", "csv"])
    assert forced.exit_code == 0 and (tmp_path / "r.xlsx").read_text() == "a\n1\n"


def test_several_statements_are_an_error(out: Path) -> None:
    for sql in ("SELECT 1; SELECT 2", "SELECT 1;;SELECT 2;"):
        result = runner.invoke(app, ["query", sql, "--db", _db(out)])
        assert result.exit_code == 1
        _one_line_error(result, "one SQL statement at a time, not 2")
    assert runner.invoke(app, ["query", "SELECT 1;", "--db", _db(out)]).exit_code == 0


def test_long_cells_are_cut_with_an_ellipsis(out: Path) -> None:
    long = "很长的指标名称" * 10
    result = runner.invoke(app, ["query", f"SELECT '{long}' AS name, 1 AS n", "--db", _db(out)])
    assert result.exit_code == 0
    assert clip(long, MAX_CELL) in result.stdout and long not in result.stdout
    assert clip(long, MAX_CELL) == long[: MAX_CELL // 2 - 1] + "…"  # a Chinese character is two cells wide
    assert clip("a\tb\nc", 10) == "a b c" and clip("abcdef", 4) == "abc…"
    assert "cells cut" in result.stderr


def test_wide_results_are_shown_one_record_at_a_time(out: Path) -> None:
    wide = runner.invoke(app, ["query", "SELECT * FROM blocks ORDER BY block_id LIMIT 2", "--db", _db(out)])
    assert wide.exit_code == 0
    assert wide.stdout.count("-[ record ") == 2
    assert re.search(r"^section_path +\| \[", wide.stdout, re.M)  # every column on a line of its own
    narrow = runner.invoke(app, ["query", "SELECT path FROM documents ORDER BY path", "--db", _db(out), "-x"])
    assert narrow.stdout.splitlines()[:4] == ["-[ record 1 ]", "path | a.txt", "-[ record 2 ]", "path | b.txt"]


def test_build_of_an_empty_folder_warns(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    result = runner.invoke(app, ["build", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--workers", "1"])
    assert result.exit_code == 0
    assert "warning: no files found below" in result.stderr


def test_build_summary_lists_document_warnings(tmp_path: Path) -> None:
    page = "<html><head><title>甲县规划</title></head><body><p>到2025年，完成投资10亿元。</p></body></html>"
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "page.txt").write_text(page, encoding="utf-8")
    write_doc(tmp_path / "in" / "plain.txt", "乙县规划")
    args = ["build", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--workers", "1"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "warnings: 1 documents were read with a warning:" in result.stdout
    assert "  page.txt: content is html, though the file name says .txt" in result.stdout
    again = runner.invoke(app, [*args, "--quiet"])  # nothing re-read: the kept build still reports them
    assert "page.txt: content is html" in again.stdout


def test_size_limit_messages_round_sensibly(tmp_path: Path) -> None:
    write_doc(tmp_path / "in" / "a.txt", "甲县规划")
    s = api.build(tmp_path / "in", tmp_path / "out", workers=1, max_size=10, processor=ingest_only)
    assert s.errors_by_type == {"too_large": 1}
    result = runner.invoke(app, ["query", "SELECT message FROM errors", "--db", str(tmp_path / "out" / "planextract.duckdb"), "-f", "csv"])
    size = (tmp_path / "in" / "a.txt").stat().st_size
    assert f"file of {size} bytes is over the size limit of 10 bytes (--max-size)" in result.stdout


def test_a_missing_rules_folder_fails_every_command_that_reads_rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = write_doc(tmp_path / "in" / "a.txt", "甲县规划")
    monkeypatch.setenv("PLANEXTRACT_RULES", str(tmp_path / "no-such-rules"))
    build = runner.invoke(app, ["build", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--quiet"])
    assert build.exit_code == 2 and not (tmp_path / "out" / "planextract.duckdb").exists()
    _one_line_error(build, r"build failed: PLANEXTRACT_RULES=.*no-such-rules: no such folder")
    inspect = runner.invoke(app, ["inspect", str(doc)])
    assert inspect.exit_code == 2
    _one_line_error(inspect, "cannot read the rules: PLANEXTRACT_RULES=")
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "a.gold.json").write_text("{}")
    ev = runner.invoke(app, ["eval", str(tmp_path / "in"), "--gold", str(gold), "--out", str(tmp_path / "ev")])
    assert ev.exit_code == 2
    _one_line_error(ev, "eval failed: PLANEXTRACT_RULES=")


def test_a_broken_rule_file_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = write_doc(tmp_path / "in" / "a.txt", "甲县规划")
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "units.toml").write_text("[magnitudes]\n\"万\" = \"ten thousand\"\n", encoding="utf-8")
    monkeypatch.setenv("PLANEXTRACT_RULES", str(tmp_path / "rules"))
    result = runner.invoke(app, ["inspect", str(doc)])
    assert result.exit_code == 2
    _one_line_error(result, r"units\.toml: magnitudes\.万: Input should be a valid number")


@pytest.mark.parametrize("case", ["no corpus", "no gold folder", "empty gold folder", "no database"])
def test_eval_without_its_inputs_is_a_one_line_error(tmp_path: Path, case: str) -> None:
    corpus = tmp_path / "corpus"
    write_doc(corpus / "a.txt", "甲县规划")
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "a.gold.json").write_text("{}")
    args = ["eval", str(corpus), "--gold", str(gold), "--out", str(tmp_path / "out")]
    if case == "no corpus":
        args[1] = str(tmp_path / "nothing")
    elif case == "no gold folder":
        args[3] = str(tmp_path / "nothing")
    elif case == "empty gold folder":
        (gold / "a.gold.json").unlink()
    else:
        args += ["--db", str(tmp_path / "none.duckdb")]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    _one_line_error(result, r"^eval failed: (corpus folder not found|gold folder not found|no gold files|no database)")
    assert not (tmp_path / "out").exists()


def test_inspect_cuts_cells_with_an_ellipsis_and_prints_the_clean_text(tmp_path: Path) -> None:
    long = "数字经济核心产业增加值占地区生产总值比重"
    path = tmp_path / "t.txt"
    path.write_text(f"甲县规划\n一、主要指标\n表1 主要指标\n\t指标\n\t目标值\n\n\t{long}\n\t10%\n\n正文。\n", encoding="utf-8")
    result = runner.invoke(app, ["inspect", str(path)])
    assert result.exit_code == 0, result.output
    assert "TABLE 2x2" in result.stdout
    assert f"| {clip(long, 18)} | 10%" in result.stdout and long not in result.stdout
    text = runner.invoke(app, ["inspect", str(path), "--text"])
    assert text.exit_code == 0 and text.stdout == api.ingest_path(path).text + "\n"


def test_inspect_mentions_shows_each_numbers_role_and_rule(tmp_path) -> None:
    from typer.testing import CliRunner

    from planextract.cli import app

    f = tmp_path / "progress.txt"
    f.write_text("某县重点项目进展\n今年全县安排重点项目50个，年度计划投资80亿元。1-6月完成投资40亿元，占年度投资计划的50%。\n",
                 encoding="utf-8")
    out = CliRunner().invoke(app, ["inspect", "--mentions", str(f)]).output
    lines = {line.split()[3]: line.split()[1:3] for line in out.splitlines() if line.strip()}
    assert lines["50个"] == ["structure", "structure.list_size"]
    assert lines["80亿元"] == ["target", "target.plan_figure"]
    assert lines["40亿元"][0] == "actual" and lines["50%"] == ["actual", "actual.plan_share"]
