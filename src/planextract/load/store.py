"""Write the dataset: one Parquet file per table plus a DuckDB database.

(First cut: writes everything afresh. Incremental and atomic writes follow.)
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from planextract.models import FileResult

TABLES = [
    "documents", "blocks", "targets", "projects", "tasks", "agencies",
    "target_agencies", "task_agencies", "errors",
]


def _rows(results: list[FileResult], name: str) -> list[dict]:
    rows: list[dict] = []
    for r in results:
        if name == "documents":
            if r.document is not None:
                rows.append(r.document.model_dump())
        elif name == "errors":
            if r.error is not None:
                rows.append(r.error.model_dump())
        else:
            rows += [x.model_dump() for x in getattr(r, name)]
    return rows


def write_outputs(results: list[FileResult], out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    db_path = out_dir / "planextract.duckdb"
    if db_path.exists():
        db_path.unlink()
    con = duckdb.connect(str(db_path))
    for name in TABLES:
        rows = _rows(results, name)
        if not rows:
            continue
        table = pa.Table.from_pylist(rows)
        pq.write_table(table, out_dir / f"{name}.parquet", compression="zstd")
        con.register("_t", table)
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM _t")
        con.unregister("_t")
    con.close()
