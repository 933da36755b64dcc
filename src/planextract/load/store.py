"""Write the dataset: one Parquet file per table plus a DuckDB database.

Incremental: each file's result is cached under OUT/.cache/<key>/, where the
key is the pipeline version, the rules fingerprint and a hash of the
extraction code, so a rebuild re-reads only files whose path or content
changed, and a new version, a rules edit or a code edit re-reads everything.
Atomic: all outputs are written into a staging folder inside OUT and moved
into place with os.replace, so a build killed at any moment leaves the
previous outputs whole (each file is old or new, never torn). Deterministic: rows go out in path order and Parquet carries no
timestamps, so two identical builds write byte-identical Parquet files.
"""

from __future__ import annotations

import contextlib
import fcntl
import gzip
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq

import planextract
from planextract import rules
from planextract.load.schema import ddl
from planextract.load.tables import SPECS, TABLE_NAMES, AgencyMerger, TableSpec, file_rows, to_arrow
from planextract.models import FileResult

DB_NAME = "planextract.duckdb"
CACHE_DIR = ".cache"
MANIFEST = "manifest.json"
_STAGING_PREFIX = ".staging-"
_BATCH_ROWS = 20_000  # rows buffered per table before a row group is written
# Tests set this to hold a build between staging and commit, to kill it there.
PAUSE_ENV = "PLANEXTRACT_TEST_PAUSE_BEFORE_COMMIT"


class BuildLocked(RuntimeError):
    """Another build is writing to the same output folder."""


@contextlib.contextmanager
def build_lock(out_dir: Path) -> Iterator[None]:
    """One build per output folder at a time (an advisory flock, released if the process dies)."""
    with (out_dir / ".lock").open("w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildLocked(f"another build is writing to {out_dir}") from None
        yield


def parquet_path(out_dir: Path, table: str) -> Path:
    return out_dir / f"{table}.parquet"


def output_files(out_dir: Path) -> list[Path]:
    return [parquet_path(out_dir, t) for t in TABLE_NAMES] + [out_dir / DB_NAME]


# --------------------------------------------------------------------------
# per-file cache and manifest
# --------------------------------------------------------------------------


def _atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)


def write_cached(path: Path, result: FileResult) -> None:
    # mtime=0: the gzip header would otherwise carry the time of writing.
    _atomic_write(path, gzip.compress(result.model_dump_json().encode(), compresslevel=1, mtime=0))


def read_cached(path: Path) -> FileResult:
    return FileResult.model_validate_json(gzip.decompress(path.read_bytes()))


class CacheUnreadable(Exception):
    pass


def read_cached_or_drop(path: Path) -> FileResult:
    """A cached result; a damaged one is deleted (so the next build re-reads the file) and reported."""
    try:
        return read_cached(path)
    except (OSError, EOFError, ValueError) as exc:  # pydantic's ValidationError is a ValueError
        path.unlink(missing_ok=True)
        msg = f"cached result unreadable ({type(exc).__name__}); the next build re-reads the file"
        raise CacheUnreadable(msg) from exc


_PACKAGE = Path(planextract.__file__).parent
# Code that cannot change what process_file returns: editing it keeps the cache.
_NOT_EXTRACTION = ("load/", "cli.py", "evaluate.py", "pool.py", "discover.py")


def code_fingerprint() -> str:
    """A hash of the source that turns a file into records.

    PIPELINE_VERSION marks releases; this catches the edits in between, so a
    developer changing an extractor never reads stale cached results.
    """
    h = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*.py")):
        rel = path.relative_to(_PACKAGE).as_posix()
        if not rel.startswith(_NOT_EXTRACTION):
            h.update(rel.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:12]


class Cache:
    """OUT/.cache: per-file results of the current pipeline (version, rules, code), plus the manifest."""

    def __init__(self, out_dir: Path) -> None:
        self.root = out_dir / CACHE_DIR
        self.key = f"v{planextract.PIPELINE_VERSION}-{rules.fingerprint()}-{code_fingerprint()}"
        self.dir = self.root / self.key
        self.dir.mkdir(parents=True, exist_ok=True)

    def file_for(self, rel: str, sha256: str) -> Path:
        # Keyed by path too: extractors may read the file name (e.g. a region in it).
        return self.dir / (hashlib.sha256(f"{rel}\0{sha256}".encode()).hexdigest()[:32] + ".json.gz")

    def known_files(self) -> dict[str, tuple[int, int, str]]:
        files = read_manifest(self.root.parent).get("files", {})
        return {rel: (f["size"], f["mtime_ns"], f["sha256"]) for rel, f in files.items()}

    def write_manifest(self, info: dict[str, Any]) -> None:
        manifest = {
            "planextract_version": planextract.__version__,
            "pipeline_version": planextract.PIPELINE_VERSION,
            "rules_fingerprint": rules.fingerprint(),
            "code_fingerprint": code_fingerprint(),
            **info,
        }
        text = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True)
        _atomic_write(self.root / MANIFEST, text.encode())

    def prune(self, keep: set[Path]) -> None:
        """Drop results of removed or changed files and of older versions or rules."""
        for child in self.root.iterdir():
            if child.is_dir() and child != self.dir:
                shutil.rmtree(child, ignore_errors=True)
        for f in self.dir.iterdir():
            if f not in keep:
                f.unlink(missing_ok=True)


def read_manifest(out_dir: Path) -> dict[str, Any]:
    """What the last build in out_dir recorded: versions, input folder, file hashes ({} if none)."""
    try:
        return json.loads((out_dir / CACHE_DIR / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


# --------------------------------------------------------------------------
# writing the dataset
# --------------------------------------------------------------------------


class _TableWriter:
    """Streams rows of one table into a Parquet file, a row group per batch."""

    def __init__(self, path: Path, spec: TableSpec) -> None:
        self.spec = spec
        self.rows = 0
        self._buf: list[dict[str, Any]] = []
        self._writer = pq.ParquetWriter(str(path), spec.arrow_schema, compression="zstd")

    def add(self, rows: Iterable[dict[str, Any]]) -> None:
        for row in rows:
            self._buf.append(row)
            self.rows += 1
        if len(self._buf) >= _BATCH_ROWS:
            self._flush()

    def _flush(self) -> None:
        if self._buf:
            self._writer.write_table(to_arrow(self.spec.name, self._buf))
            self._buf = []

    def close(self) -> None:
        self._flush()
        self._writer.close()


def _write_parquet(staging: Path, results: Iterable[FileResult]) -> dict[str, int]:
    writers = {name: _TableWriter(parquet_path(staging, name), spec) for name, spec in SPECS.items()}
    agencies = AgencyMerger()  # agencies repeat across documents: merged, written last
    try:
        for result in results:
            for name, rows in file_rows(result).items():
                if name == "agencies":
                    agencies.add(rows)
                else:
                    writers[name].add(rows)
        writers["agencies"].add(agencies.rows())
    finally:
        for w in writers.values():
            w.close()
    return {name: w.rows for name, w in writers.items()}


def _write_duckdb(staging: Path) -> list[str]:
    con = duckdb.connect(str(staging / DB_NAME))
    try:
        con.execute("BEGIN TRANSACTION")  # one commit: per-statement commits make the DDL slow
        con.execute(ddl())
        for name in TABLE_NAMES:
            con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM read_parquet(?)", [str(parquet_path(staging, name))])
        con.execute("COMMIT")
        problems = integrity_problems(con)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return problems


def integrity_problems(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Duplicate primary keys and dangling foreign keys: reported, not fatal."""
    problems = []
    for spec in SPECS.values():
        keys = ", ".join(f'"{k}"' for k in spec.primary_key)
        (dups,) = con.execute(
            f"SELECT count(*) FROM (SELECT {keys} FROM {spec.name} GROUP BY ALL HAVING count(*) > 1)"
        ).fetchone()
        if dups:
            problems.append(f"{spec.name}: {dups} duplicate values of the primary key ({keys})")
        for fk in spec.foreign_keys:
            on = " AND ".join(f'r."{r}" = t."{f}"' for f, r in zip(fk.fields, fk.ref_fields))
            notnull = " AND ".join(f't."{f}" IS NOT NULL' for f in fk.fields)
            (orphans,) = con.execute(
                f"SELECT count(*) FROM {spec.name} AS t WHERE {notnull} "
                f"AND NOT EXISTS (SELECT 1 FROM {fk.table} AS r WHERE {on})"
            ).fetchone()
            if orphans:
                problems.append(f"{spec.name}: {orphans} rows whose {', '.join(fk.fields)} is not in {fk.table}")
    return problems


def _pause_for_tests(staging: Path) -> None:
    seconds = float(os.environ.get(PAUSE_ENV, "0") or 0)
    if seconds > 0:
        print(f"planextract: staged {staging}", file=sys.stderr, flush=True)
        time.sleep(seconds)


def _commit(staging: Path, out_dir: Path) -> None:
    # Parquet first, the database last: each replace is atomic on one filesystem.
    for path in output_files(staging):
        os.replace(path, out_dir / path.name)


def remove_stale_staging(out_dir: Path) -> None:
    """Staging folders left by a killed build."""
    for child in out_dir.glob(_STAGING_PREFIX + "*"):
        shutil.rmtree(child, ignore_errors=True)


@dataclass
class WriteReport:
    rows: dict[str, int]
    problems: list[str]


def write_dataset(out_dir: Path, results: Iterable[FileResult]) -> WriteReport:
    """Write every table from results (in the order given) and swap the outputs into out_dir."""
    out_dir.mkdir(parents=True, exist_ok=True)
    remove_stale_staging(out_dir)
    staging = Path(tempfile.mkdtemp(prefix=_STAGING_PREFIX, dir=out_dir))
    try:
        rows = _write_parquet(staging, results)
        problems = _write_duckdb(staging)
        _pause_for_tests(staging)
        _commit(staging, out_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return WriteReport(rows=rows, problems=problems)
