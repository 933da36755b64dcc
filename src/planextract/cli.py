"""The command line: a thin skin over planextract.api."""

from __future__ import annotations

from pathlib import Path

import typer

from planextract import api

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Chinese policy documents -> a traceable dataset.")


@app.command()
def build(
    input_dir: Path = typer.Argument(..., exists=True, file_okay=False, help="Folder of documents."),
    out: Path = typer.Option(Path("data/out"), "--out", help="Output folder."),
) -> None:
    """Ingest, extract and load every document below INPUT_DIR."""
    s = api.build(input_dir, out)
    typer.echo(f"{s.files} files: {s.documents} documents, {s.errors} errors; {s.counts}")


@app.command()
def inspect(path: Path = typer.Argument(..., exists=True, dir_okay=False)) -> None:
    """Print what the ingester saw: the outline and every table as a grid."""
    doc = api.ingest_path(path)
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


if __name__ == "__main__":
    app()
