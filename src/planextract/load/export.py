"""Writing a query's result to a file: CSV, JSON, Parquet or TSV, chosen by the file's extension.

planextract writes the file itself (SQL run by `query` cannot write files),
atomically: a failed write leaves no half-written file behind.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import pyarrow as pa

# File extension -> format.
EXTENSIONS = {".csv": "csv", ".json": "json", ".parquet": "parquet", ".tsv": "tsv"}
FORMATS = tuple(dict.fromkeys(EXTENSIONS.values()))


class ExportError(ValueError):
    """A result that cannot be written as asked (unknown format or extension)."""


def format_for(path: Path, fmt: str | None = None) -> str:
    """The format to write path in: fmt when given, else the one its extension names."""
    if fmt is not None:
        if fmt not in FORMATS:
            raise ExportError(f"unknown output format {fmt!r}: one of {', '.join(FORMATS)}")
        return fmt
    found = EXTENSIONS.get(path.suffix.lower())
    if found is None:
        names = ", ".join(EXTENSIONS)
        raise ExportError(f"cannot tell the format of {path.name!r} from its extension: "
                          f"end it in one of {names}, or give --format")
    return found


def cell(value: Any) -> str:
    """One value as text: null is empty, lists and structs are JSON."""
    if value is None:
        return ""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def to_csv(table: pa.Table, delimiter: str = ",") -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    writer.writerow(table.column_names)
    for row in table.to_pylist():
        writer.writerow([cell(v) for v in row.values()])
    return buf.getvalue()


def to_json(table: pa.Table) -> str:
    """The rows as a JSON array of objects (dates and decimals as strings)."""
    return json.dumps(table.to_pylist(), ensure_ascii=False, indent=1, default=str) + "\n"


def rows_as_text(table: pa.Table) -> list[list[str]]:
    return [[cell(v) for v in row.values()] for row in table.to_pylist()]


def write_result(table: pa.Table, path: Path, fmt: str | None = None) -> str:
    """Write table to path in fmt (default: by extension); returns the format written."""
    fmt = format_for(path, fmt)
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        if fmt == "parquet":
            import pyarrow.parquet as pq

            pq.write_table(table, tmp, compression="zstd")
        else:
            text = {"csv": to_csv, "json": to_json}.get(fmt, lambda t: to_csv(t, "\t"))(table)
            Path(tmp).write_text(text, encoding="utf-8")
        os.chmod(tmp, 0o644)  # mkstemp makes it private; a result is for sharing
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return fmt
