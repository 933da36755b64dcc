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
from rich.cells import cell_len
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

import planextract
from planextract import rules
from planextract.discover import DEFAULT_MAX_SIZE
from planextract.load import export
from planextract.load import query as q
from planextract.load.release import DEFAULT_LICENSE, ReleaseError, make_release
from planextract.load.schema import data_dictionary, md_cell, write_schemas
from planextract.models import ErrorRecord
from planextract.pool import DEFAULT_TIMEOUT

if TYPE_CHECKING:
    from planextract import api

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Chinese policy documents -> a traceable dataset.")
err = Console(stderr=True, soft_wrap=True)  # an error stays one line, whatever the terminal's width
DEFAULT_DB = Path("data/out/planextract.duckdb")
MAX_CELL = 40  # characters of a cell shown in a terminal table (the rest is cut, with an ellipsis)
MAX_WARNINGS = 20  # document warnings listed in a build summary


def _db_error() -> type[Exception]:
    """duckdb.Error, imported only when an error is being handled: a build's
    parent process forks its workers without DuckDB loaded (25 MB each)."""
    import duckdb

    return duckdb.Error


@contextlib.contextmanager
def _fails(what: str, code: int, *errors: type[BaseException]) -> Iterator[None]:
    """Turn the expected errors of a command into one line on stderr and an exit code."""
    try:
        yield
    except errors as exc:
        err.print(f"[red]{what}:[/red] {escape(str(exc))}")
        raise typer.Exit(code) from None


def _version(value: bool) -> None:
    if value:
        typer.echo(f"planextract {planextract.__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version and exit."),
) -> None:
    """Chinese policy documents -> a traceable dataset."""


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
    ocr: str = typer.Option("auto", "--ocr", help="OCR of PDF pages: auto (pages with no or a garbled text layer), force (every page) or off. Needs the ocr extra."),
) -> None:
    """Ingest, extract and load every document below INPUT_DIR (incremental: unchanged files are reused)."""
    from planextract import api  # imported here: the extractors' vocabularies are slow to load

    if ocr not in api.OCR_MODES:
        raise typer.BadParameter(f"one of {', '.join(api.OCR_MODES)}", param_hint="--ocr")
    with _fails("build failed", 2, api.BuildError, OSError, _db_error()), _progress(disabled=quiet) as on_progress:
        s = api.build(input_dir, out, workers=workers, timeout=timeout or None,
                      max_size=int(max_size * 2**20), on_progress=on_progress, force=force,
                      ocr=ocr)  # type: ignore[arg-type]
    if s.files == 0:
        err.print(f"[yellow]warning:[/yellow] no files found below {escape(str(input_dir))}: the dataset is empty")
    if as_json:
        typer.echo(json.dumps(s.to_dict(), ensure_ascii=False, indent=1))
    elif not quiet or s.errors or s.warnings:
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
    if s.warnings:
        typer.echo(f"warnings: {len(s.warnings)} documents were read with a warning:")
        for path, warnings in list(s.warnings.items())[:MAX_WARNINGS]:
            typer.echo(f"  {path}: {'; '.join(warnings)}")
        if len(s.warnings) > MAX_WARNINGS:
            typer.echo(f"  … {len(s.warnings) - MAX_WARNINGS} more: planextract query "
                       f"\"select path, warnings from documents where len(warnings) > 0\" --db {s.db_path}")
    for problem in s.problems:
        typer.echo(f"integrity: {problem}")
    typer.echo(f"output: {s.db_path} and one Parquet file per table in {s.out_dir}")


# --------------------------------------------------------------------------
# reading the dataset
# --------------------------------------------------------------------------


@app.command()
def query(
    sql: str = typer.Argument(..., help="One SQL statement to run (read-only)."),
    db: Path = typer.Option(DEFAULT_DB, "--db", help="The DuckDB database."),
    fmt: str | None = typer.Option(None, "--format", "-f", help="table, csv, json, tsv or parquet (default: from --output's extension, else table)."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write the result to this file (.csv, .json, .parquet or .tsv)."),
    vertical: bool = typer.Option(False, "--vertical", "-x", help="One record at a time, a line per column (the default when the table is too wide)."),
) -> None:
    """Run SQL against the built database, read-only."""
    if fmt is not None and fmt not in ("table", *export.FORMATS):
        raise typer.BadParameter(f"one of table, {', '.join(export.FORMATS)}", param_hint="--format")
    if output is None and fmt == "parquet":
        raise typer.BadParameter("parquet output needs --output FILE", param_hint="--format")
    with _fails("query failed", 1, _db_error(), FileNotFoundError, q.QueryError):
        result = q.run_query(db, sql)
    if output is not None:
        with _fails("cannot write the result", 1, export.ExportError, OSError):
            written = export.write_result(result, output, None if fmt in (None, "table") else fmt)
        rows = "1 row" if result.num_rows == 1 else f"{result.num_rows} rows"
        err.print(f"{rows} written to {escape(str(output))} ({written})")
    elif fmt == "csv":
        typer.echo(export.to_csv(result), nl=False)
    elif fmt == "tsv":
        typer.echo(export.to_csv(result, "\t"), nl=False)
    elif fmt == "json":
        typer.echo(export.to_json(result), nl=False)
    else:
        _print_result(result.column_names, export.rows_as_text(result), vertical)


@app.command()
def tables(db: Path = typer.Option(DEFAULT_DB, "--db", help="The DuckDB database.")) -> None:
    """List the tables and views of the built database with their row counts."""
    with _fails(f"cannot read {db}", 1, _db_error(), FileNotFoundError):
        found = q.list_tables(db)
    rows = [[t.name, t.kind, str(t.rows), t.description] for t in found]
    _print_table(Console(), ["name", "kind", "rows", "description"], rows, no_wrap=False)  # descriptions wrap


def clip(text: str, width: int) -> str:
    """text on one line, cut to width terminal cells (a Chinese character takes two) with an ellipsis."""
    line = text.replace("\n", " ").replace("\t", " ")
    if cell_len(line) <= width:
        return line
    used, cut = 1, []  # the ellipsis takes a cell
    for ch in line:
        used += cell_len(ch)
        if used > width:
            break
        cut.append(ch)
    return "".join(cut) + "…"


def _print_result(columns: list[str], rows: list[list[str]], vertical: bool) -> None:
    """A table when it fits the terminal, else (or when asked) one record at a time."""
    console = Console()
    cells = [[clip(v, MAX_CELL) for v in row] for row in rows]
    widths = [max([cell_len(name), *(cell_len(r[c]) for r in cells)]) for c, name in enumerate(columns)]
    if vertical or sum(widths) + 3 * len(widths) + 1 > console.width:  # a table's borders and padding
        _print_records(console, columns, rows)
        return
    _print_table(console, columns, cells)
    if cells != rows:
        err.print(f"(long cells cut at {MAX_CELL} characters: --vertical, --format csv or -o FILE show them whole)")


def _print_table(console: Console, columns: list[str], rows: list[list[str]], no_wrap: bool = True) -> None:
    table = Table(show_lines=False)
    for name in columns:
        table.add_column(name, no_wrap=no_wrap)
    for row in rows:
        table.add_row(*map(escape, row))
    console.print(table)


def _print_records(console: Console, columns: list[str], rows: list[list[str]]) -> None:
    """psql's expanded display: a header line per record, then 'column | value' lines."""
    width = max(map(len, columns), default=0)
    for n, row in enumerate(rows, 1):
        console.print(escape(f"-[ record {n} ]" + "-" * max(0, width - 8)), soft_wrap=True)
        for name, value in zip(columns, row, strict=True):
            lines = value.split("\n") or [""]
            console.print(escape(f"{name.ljust(width)} | {lines[0]}"), soft_wrap=True)
            for more in lines[1:]:
                console.print(escape(f"{' ' * width} | {more}"), soft_wrap=True)
    if not rows:
        console.print("(no rows)")


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
    with _fails("release failed", 1, ReleaseError, OSError, _db_error()):
        folder = make_release(out, dest, version, license_id=license_id, force=force)
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
def inspect(
    path: Path = typer.Argument(..., exists=True, dir_okay=False, help="A document file."),
    text: bool = typer.Option(False, "--text", help="Print the clean text instead: what char_start/char_end index into."),
    mentions: bool = typer.Option(False, "--mentions", help="Print every number of the prose with its role and the rule that decided it."),
) -> None:
    """Print what the ingester saw: the outline and every table as a grid (or the clean text, or the prose's numbers)."""
    from planextract import api

    with _fails("cannot read the rules", 2, rules.RulesError):
        rules.check()
    if mentions:
        _print_mentions(api.inspect_mentions(path))
        return
    doc = api.inspect_path(path)
    if isinstance(doc, ErrorRecord):  # the one-line reason a build records for this file
        err.print(f"{doc.path}: {doc.error_type}: {doc.message}", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(1)
    if text:
        typer.echo(doc.text)
        return
    typer.echo(f"{doc.path}  format={doc.format} encoding={doc.encoding} blocks={len(doc.blocks)}")
    for k, v in doc.meta.items():
        typer.echo(f"  meta {k}: {v}")
    for warning in doc.warnings:
        typer.echo(f"  warning: {warning}")
    for b in doc.blocks:
        if b.kind == "heading":
            typer.echo(f"{'  ' * (b.level or 1)}H{b.level} {b.text}")
        elif b.kind == "table" and b.table is not None:
            t = b.table
            typer.echo(f"  TABLE {t.n_rows}x{t.n_cols}  {t.caption or ''}")
            for row in t.rows:
                typer.echo("    | " + " | ".join(clip(c, 18) for c in row))


def _print_mentions(found: list[api.MentionRow] | ErrorRecord) -> None:
    if isinstance(found, ErrorRecord):
        err.print(f"{found.path}: {found.error_type}: {found.message}", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(1)
    for m in found:
        typer.echo(f"{m.char_start:>7}  {m.role:<9} {m.rule:<28} {m.text:<12} {clip(m.context, 50)}")


@app.command("eval")
def eval_(
    corpus: Path = typer.Argument(Path("../shared/corpus"), help="Folder of documents the gold describes."),
    gold: Path = typer.Option(Path("../shared/gold"), "--gold", help="Folder of <stem>.gold.json files."),
    out: Path = typer.Option(Path("data/out/eval"), "--out", help="Where the evaluated build is written."),
    json_path: Path | None = typer.Option(None, "--json", help="Write the full report as JSON here."),
    db: Path | None = typer.Option(None, "--db", help="Score this built database instead of building."),
) -> None:
    """Build CORPUS (or read --db) and score it against the gold (GUIDELINES.md rules)."""
    from planextract import api, evaluate

    with _fails("eval failed", 2, evaluate.EvalError, api.BuildError, rules.RulesError, OSError, _db_error()):
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
