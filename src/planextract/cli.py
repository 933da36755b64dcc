"""The command line: a thin skin over planextract.api and planextract.load."""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import typer
import typer.main
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from planextract.discover import DEFAULT_MAX_SIZE
from planextract.load import query as q
from planextract.load.release import DEFAULT_LICENSE, ReleaseError, make_release
from planextract.load.schema import data_dictionary, md_cell, write_schemas
from planextract.models import ErrorRecord
from planextract.pool import DEFAULT_TIMEOUT

if TYPE_CHECKING:
    from planextract import api

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Chinese policy documents -> a traceable dataset.")
err = Console(stderr=True)
DEFAULT_DB = Path("data/out/planextract.duckdb")


def _db_error() -> type[Exception]:
    """duckdb.Error, imported only when an error is being handled: a build's
    parent process forks its workers without DuckDB loaded (25 MB each)."""
    import duckdb

    return duckdb.Error


# --------------------------------------------------------------------------
# build
# --------------------------------------------------------------------------


@app.command()
def build(
    input_dir: Path = typer.Argument(..., exists=True, file_okay=False, help="Folder of documents."),
    out: Path = typer.Option(Path("data/out"), "--out", help="Output folder."),
    workers: int | None = typer.Option(None, "--workers", min=1, help="Worker processes (default: CPU count); 1 runs in-process."),
    timeout: float = typer.Option(DEFAULT_TIMEOUT, "--timeout", min=0, help="Seconds allowed per file; 0 = no limit."),
    max_size: float = typer.Option(DEFAULT_MAX_SIZE / 2**20, "--max-size", min=0, help="Largest file read, in MB."),
    strict: bool = typer.Option(False, "--strict", help="Exit 1 if any file failed (outputs are still written)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON on stdout."),
    force: bool = typer.Option(False, "--force", help="Write into a non-empty folder planextract did not make."),
) -> None:
    """Ingest, extract and load every document below INPUT_DIR (incremental: unchanged files are reused)."""
    from planextract import api  # imported here: the extractors' vocabularies are slow to load

    try:
        with _progress(disabled=quiet) as on_progress:
            s = api.build(input_dir, out, workers=workers, timeout=timeout or None,
                          max_size=int(max_size * 2**20), on_progress=on_progress, force=force)
    except (api.BuildError, OSError, _db_error()) as exc:
        err.print(f"[red]build failed:[/red] {exc}")
        raise typer.Exit(2) from None
    if as_json:
        typer.echo(json.dumps(s.to_dict(), ensure_ascii=False, indent=1))
    elif not quiet or s.errors:
        _print_summary(s)
    if strict and s.errors:
        raise typer.Exit(1)


@contextlib.contextmanager
def _progress(disabled: bool) -> Iterator[api.Progress]:
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=err, disable=disabled or not err.is_terminal, transient=True) as bar:
        task = bar.add_task("files", total=None)

        def update(done: int, total: int, rel: str, status: str) -> None:
            bar.update(task, completed=done, total=total, description=f"{status:>7} {rel[-40:]}")

        yield update


def _print_summary(s: api.BuildSummary) -> None:
    formats = ", ".join(f"{k} {v}" for k, v in s.by_format.items()) or "none"
    typer.echo(
        f"{s.files} files found: {s.documents} documents ({formats}), {s.errors} errors, {s.skipped} skipped"
        f"  [read {s.parsed}, reused {s.reused}; {s.seconds:.1f} s]"
    )
    rows = s.rows
    typer.echo(
        f"rows: {rows.get('targets', 0)} targets, {rows.get('projects', 0)} projects, {rows.get('tasks', 0)} tasks, "
        f"{rows.get('agencies', 0)} agencies, {rows.get('blocks', 0)} blocks"
    )
    if s.errors_by_type:
        kinds = ", ".join(f"{k} {v}" for k, v in s.errors_by_type.items())
        typer.echo(f"errors and skips: {kinds}; see them with:")
        typer.echo(f"  planextract query \"select path, error_type, message from errors\" --db {s.db_path}")
    for problem in s.problems:
        typer.echo(f"integrity: {problem}")
    typer.echo(f"output: {s.db_path} and one Parquet file per table in {s.out_dir}")


# --------------------------------------------------------------------------
# reading the dataset
# --------------------------------------------------------------------------


@app.command()
def query(
    sql: str = typer.Argument(..., help="SQL to run (read-only)."),
    db: Path = typer.Option(DEFAULT_DB, "--db", help="The DuckDB database."),
    fmt: str = typer.Option("table", "--format", "-f", help="table, csv, json or parquet (parquet needs --output)."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write the result to this file."),
) -> None:
    """Run SQL against the built database, read-only."""
    if fmt not in q.FORMATS:
        raise typer.BadParameter(f"one of {', '.join(q.FORMATS)}", param_hint="--format")
    if fmt == "parquet" and output is None:
        raise typer.BadParameter("parquet output needs --output FILE", param_hint="--format")
    try:
        result = q.run_query(db, sql)
    except (_db_error(), FileNotFoundError, q.QueryRefused) as exc:
        err.print(f"[red]query failed:[/red] {exc}")
        raise typer.Exit(1) from None
    if output is not None:
        q.write_output(result, fmt, output)
    elif fmt == "csv":
        typer.echo(q.to_csv(result), nl=False)
    elif fmt == "json":
        typer.echo(q.to_json(result), nl=False)
    else:
        _print_table(result.column_names, q.rows_as_text(result))


@app.command()
def tables(db: Path = typer.Option(DEFAULT_DB, "--db", help="The DuckDB database.")) -> None:
    """List the tables and views of the built database with their row counts."""
    try:
        found = q.list_tables(db)
    except (_db_error(), FileNotFoundError) as exc:
        err.print(f"[red]cannot read {db}:[/red] {exc}")
        raise typer.Exit(1) from None
    _print_table(["name", "kind", "rows", "description"], [[t.name, t.kind, str(t.rows), t.description] for t in found])


def _print_table(columns: list[str], rows: list[list[str]]) -> None:
    table = Table(*columns, show_lines=False)
    for row in rows:
        table.add_row(*row)
    Console().print(table)


# --------------------------------------------------------------------------
# release, schemas, inspect, eval
# --------------------------------------------------------------------------


@app.command()
def release(
    version: str = typer.Option(..., "--version", help="Release version, X.Y.Z."),
    out: Path = typer.Option(Path("data/out"), "--out", help="The build to release."),
    dest: Path = typer.Option(Path("data/release"), "--dest", help="Where release folders go."),
    license_id: str = typer.Option(DEFAULT_LICENSE, "--license", help="License id of the data (SPDX)."),
    force: bool = typer.Option(False, "--force", help="Replace an existing release of this version."),
) -> None:
    """Package a build as DEST/planextract-VERSION: Parquet, DuckDB, datapackage.json, data card, SHA256SUMS."""
    try:
        folder = make_release(out, dest, version, license_id=license_id, force=force)
    except (ReleaseError, OSError, _db_error()) as exc:
        err.print(f"[red]release failed:[/red] {exc}")
        raise typer.Exit(1) from None
    typer.echo(str(folder))


@app.command()
def schemas(
    out: Path = typer.Option(Path("schemas"), "--out", help="Folder for the JSON Schemas and the DuckDB DDL."),
    readme: Path | None = typer.Option(None, "--readme", help="Also refresh the generated sections of this README."),
) -> None:
    """Write the JSON Schema of every table and the DuckDB DDL (generated from models.py)."""
    for path in write_schemas(out):
        typer.echo(str(path))
    if readme is not None:
        update_readme(readme)
        typer.echo(str(readme))


@app.command()
def inspect(path: Path = typer.Argument(..., exists=True, dir_okay=False, help="A document file.")) -> None:
    """Print what the ingester saw: the outline and every table as a grid."""
    from planextract import api

    doc = api.inspect_path(path)
    if isinstance(doc, ErrorRecord):  # the one-line reason a build records for this file
        err.print(f"{doc.path}: {doc.error_type}: {doc.message}", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(1)
    typer.echo(f"{doc.path}  format={doc.format} encoding={doc.encoding} blocks={len(doc.blocks)}")
    for k, v in doc.meta.items():
        typer.echo(f"  meta {k}: {v}")
    for b in doc.blocks:
        if b.kind == "heading":
            typer.echo(f"{'  ' * (b.level or 1)}H{b.level} {b.text}")
        elif b.kind == "table" and b.table is not None:
            t = b.table
            typer.echo(f"  TABLE {t.n_rows}x{t.n_cols}  {t.caption or ''}")
            for row in t.rows:
                typer.echo("    | " + " | ".join(c.replace("\n", " ")[:18] for c in row))


@app.command("eval")
def eval_(
    corpus: Path = typer.Argument(Path("../shared/corpus"), help="Folder of documents the gold describes."),
    gold: Path = typer.Option(Path("../shared/gold"), "--gold", help="Folder of <stem>.gold.json files."),
    out: Path = typer.Option(Path("data/out/eval"), "--out", help="Where the evaluated build is written."),
    json_path: Path | None = typer.Option(None, "--json", help="Write the full report as JSON here."),
    db: Path | None = typer.Option(None, "--db", help="Score this built database instead of building."),
) -> None:
    """Build CORPUS (or read --db) and score it against the gold (GUIDELINES.md rules)."""
    from planextract import evaluate

    report = evaluate.run(corpus=corpus, gold_dir=gold, out_dir=out, db_path=db)
    typer.echo(evaluate.format_report(report))
    if json_path:
        evaluate.write_json(report, json_path)


# --------------------------------------------------------------------------
# generated documentation
# --------------------------------------------------------------------------


def cli_reference() -> str:
    """Markdown for every command: usage, what it does, its arguments and options."""
    group = typer.main.get_command(app)
    parts = []
    for name, cmd in sorted(group.commands.items()):  # type: ignore[attr-defined]
        args = " ".join(p.name.upper() for p in cmd.params if p.param_type_name == "argument")
        usage = f"planextract {name} [OPTIONS] {args}".rstrip()
        lines = [f"### `planextract {name}`", "", (cmd.help or "").strip(), "", "```", usage, "```", ""]
        lines += ["| argument / option | default | meaning |", "|---|---|---|"]
        for p in cmd.params:
            label = p.name.upper() if p.param_type_name == "argument" else " / ".join(p.opts)
            default = "" if p.default is None or p.required else f"`{p.default}`"
            meaning = md_cell(getattr(p, "help", None) or "")
            lines.append(f"| `{label}` | {default} | {meaning} |")
        parts.append("\n".join(lines) + "\n")
    return "\n".join(parts)


_SECTIONS = {"cli-reference": ("CLI reference", cli_reference), "data-dictionary": ("Data dictionary", data_dictionary)}


def readme_section(key: str, text: str) -> str | None:
    """The generated text between the markers of one README section, or None."""
    m = re.search(rf"<!-- BEGIN {key} [^>]*-->\n(.*?)<!-- END {key} -->", text, re.S)
    return m.group(1) if m else None


def update_readme(path: Path) -> None:
    """Refresh the generated sections of a README (appended when absent)."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# planextract\n"
    for key, (title, render) in _SECTIONS.items():
        block = f"<!-- BEGIN {key} (generated by `planextract schemas --readme README.md`; do not edit) -->\n"
        block += f"{render()}<!-- END {key} -->"
        if readme_section(key, text) is None:
            text = text.rstrip("\n") + f"\n\n## {title}\n\n{block}\n"
        else:
            text = re.sub(rf"<!-- BEGIN {key} [^>]*-->\n.*?<!-- END {key} -->", lambda _: block, text, flags=re.S)
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    app()
