"""Write the dataset: one Parquet file per table plus a DuckDB database.

Incremental: each file's result is cached under OUT/.cache/<key>/, where the
key is the pipeline version, the rules fingerprint, a hash of the extraction
code and the cached column layout, so a rebuild re-reads only files whose
path or content changed, and a new version, a rules edit or a code edit
re-reads everything.
Atomic: all outputs are written into a staging folder inside OUT and moved
into place with os.replace, so a build killed at any moment leaves the
previous outputs whole (each file is old or new, never torn).
Deterministic: rows go out in path order and Parquet carries no timestamps,
so two identical builds write byte-identical Parquet files.
Cheap: a cached result is stored in the output's column layout (Arrow), so
a rebuild concatenates cached rows instead of re-validating models; and the
manifest records each output's size and hash, so a build that would write
the same bytes again can keep the outputs as they are.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import importlib.metadata
import json
import os
import shutil
import struct
import sys
import tempfile
import time
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

import planextract
from planextract import rules
from planextract.load.schema import ddl
from planextract.load.tables import (
    CACHE_SCHEMA,
    SPECS,
    TABLE_NAMES,
    AgencyMerger,
    TableSpec,
    cache_layout,
    indicator_rows,
    split_cached,
    to_arrow,
    to_cache_batch,
)
from planextract.models import ErrorRecord, FileResult

DB_NAME = "planextract.duckdb"
CACHE_DIR = ".cache"
MANIFEST = "manifest.json"
_STAGING_PREFIX = ".staging-"
_BATCH_ROWS = 20_000  # rows buffered per table before a row group is written
_GROUP_FILES = 64  # cached results turned into tables together: amortizes Arrow's per-call cost
# DuckDB's own limits while it loads the Parquet files: without them it takes
# most of the machine's memory and every core, and the writer's peak grows with N.
# One thread loads as fast as two here (the insert and the compression of a
# table run on one), and with 80 MB the writer's peak is 222 MB at N=2,000
# against 209 MB at N=500 (96 MB and two threads: 236 against 210).
DUCKDB_MEMORY_LIMIT = "80MB"
DUCKDB_THREADS = 1
# Tests set this to hold a build between staging and commit, to kill it there.
PAUSE_ENV = "PLANEXTRACT_TEST_PAUSE_BEFORE_COMMIT"

if TYPE_CHECKING:
    import duckdb


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


# A cached result: header (magic, length of the Arrow message, CRC-32 of the
# payload), then the LZ4-compressed Arrow IPC message of the one-row batch of
# tables.CACHE_SCHEMA. The schema itself is not stored: the cache key names
# the layout, so every file in a cache folder has the same one.
_MAGIC = b"PXA1"
_HEADER = struct.Struct("<4sQI")
_CODEC = pa.Codec("lz4")


def encode_cached(batch: pa.RecordBatch) -> bytes:
    message = batch.serialize()
    payload = _CODEC.compress(message, asbytes=True)
    return _HEADER.pack(_MAGIC, message.size, zlib.crc32(payload)) + payload


def decode_cached(data: bytes) -> pa.RecordBatch:
    if len(data) < _HEADER.size:
        raise ValueError("cached result truncated")
    magic, size, crc = _HEADER.unpack_from(data)
    payload = memoryview(data)[_HEADER.size:]
    if magic != _MAGIC or zlib.crc32(payload) != crc:
        raise ValueError("cached result damaged (bad header or checksum)")
    batch = pa.ipc.read_record_batch(_CODEC.decompress(payload, decompressed_size=size), CACHE_SCHEMA)
    if batch.num_rows != 1:
        raise ValueError(f"cached result holds {batch.num_rows} rows, not 1")
    return batch


def write_cached(path: Path, result: FileResult) -> None:
    try:
        batch = to_cache_batch(result)
    except (pa.ArrowException, OverflowError, TypeError, ValueError) as exc:  # e.g. an integer over 64 bits
        # One file's odd value must not stop the build: the file becomes an error row.
        message = f"its records cannot be stored in the output columns ({type(exc).__name__}: {exc})"
        error = ErrorRecord(path=result.path, stage="load", error_type="unstorable_result", message=message,
                            sha256=result.sha256)
        batch = to_cache_batch(FileResult(path=result.path, sha256=result.sha256, error=error))
    _atomic_write(path, encode_cached(batch))


def read_cached(path: Path) -> pa.RecordBatch:
    """One file's rows, every table, as written by write_cached (see tables.CACHE_SCHEMA)."""
    return decode_cached(path.read_bytes())


class CacheUnreadable(Exception):
    pass


def read_cached_or_drop(path: Path) -> pa.RecordBatch:
    """A cached result; a damaged one is deleted (so the next build re-reads the file) and reported."""
    try:
        return read_cached(path)
    except (OSError, ValueError) as exc:  # pyarrow's ArrowInvalid is a ValueError
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


def writer_fingerprint() -> str:
    """A hash of what turns cached rows into output files: the loader's code and the libraries writing the files.

    Outputs written under another fingerprint are rewritten even when no input changed.
    """
    h = hashlib.sha256(f"{planextract.__version__}\0{pa.__version__}\0{importlib.metadata.version('duckdb')}".encode())
    for path in sorted((_PACKAGE / "load").glob("*.py")):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:12]


def _layout_fingerprint() -> str:
    return hashlib.sha256(f"{_MAGIC!r}\0{cache_layout()}".encode()).hexdigest()[:8]


class Cache:
    """OUT/.cache: per-file results of the current pipeline (version, rules, code), plus the manifest."""

    def __init__(self, out_dir: Path) -> None:
        self.root = out_dir / CACHE_DIR
        # The layout too: a cached result is stored in the output's columns.
        self.key = f"v{planextract.PIPELINE_VERSION}-{rules.fingerprint()}-{code_fingerprint()}-{_layout_fingerprint()}"
        self.dir = self.root / self.key
        self.dir.mkdir(parents=True, exist_ok=True)

    def file_for(self, rel: str, sha256: str) -> Path:
        # Keyed by path too: extractors may read the file name (e.g. a region in it).
        return self.dir / (hashlib.sha256(f"{rel}\0{sha256}".encode()).hexdigest()[:32] + ".arrow.lz4")

    def read_manifest(self) -> dict[str, Any]:
        return read_manifest(self.root.parent)

    def known_files(self, manifest: dict[str, Any] | None = None) -> dict[str, tuple[int, int, str]]:
        files = (self.read_manifest() if manifest is None else manifest).get("files", {})
        return {rel: (f["size"], f["mtime_ns"], f["sha256"]) for rel, f in files.items()}

    def write_manifest(self, info: dict[str, Any]) -> None:
        manifest = {
            **info,  # first: the stamps below are always this build's
            "planextract_version": planextract.__version__,
            "pipeline_version": planextract.PIPELINE_VERSION,
            "rules_fingerprint": rules.fingerprint(),
            "code_fingerprint": code_fingerprint(),
            "cache_key": self.key,
            "writer_fingerprint": writer_fingerprint(),
        }
        text = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True)
        _atomic_write(self.root / MANIFEST, text.encode())

    def outputs_current(self, manifest: dict[str, Any]) -> bool:
        """The last build used this cache key and writer, and its outputs are in place, byte for byte."""
        return (
            manifest.get("cache_key") == self.key
            and manifest.get("writer_fingerprint") == writer_fingerprint()
            and outputs_intact(self.root.parent, manifest.get("outputs") or {})
        )

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
    """Streams the rows of one table into a Parquet file, a row group per batch of at least _BATCH_ROWS rows."""

    def __init__(self, path: Path, spec: TableSpec) -> None:
        self.spec = spec
        self.rows = 0
        self._buf: list[pa.Table] = []
        self._buffered = 0
        import pyarrow.parquet as pq

        self._writer = pq.ParquetWriter(str(path), spec.arrow_schema, compression="zstd")

    def add(self, table: pa.Table) -> None:
        if table.num_rows:
            self._buf.append(table)
            self._buffered += table.num_rows
            self.rows += table.num_rows
        if self._buffered >= _BATCH_ROWS:
            self._flush()

    def _flush(self) -> None:
        if self._buf:
            table = pa.concat_tables(self._buf)
            self._writer.write_table(table, row_group_size=table.num_rows)  # one row group, whatever the default
            self._buf, self._buffered = [], 0

    def close(self) -> None:
        self._flush()
        self._writer.close()


def _batched(items: Iterable[pa.RecordBatch], n: int) -> Iterator[list[pa.RecordBatch]]:
    # itertools.batched arrives with Python 3.12.
    group: list[pa.RecordBatch] = []
    for item in items:
        group.append(item)
        if len(group) == n:
            yield group
            group = []
    if group:
        yield group


def _write_parquet(staging: Path, results: Iterable[pa.RecordBatch]) -> dict[str, int]:
    writers = {name: _TableWriter(parquet_path(staging, name), spec) for name, spec in SPECS.items()}
    agencies = AgencyMerger()  # agencies repeat across documents: merged, written last
    try:
        for group in _batched(results, _GROUP_FILES):
            for name, table in split_cached(group).items():
                if name == "agencies":
                    agencies.add(table.to_pylist())
                else:
                    writers[name].add(table)
            _release_arrow_memory()
        writers["agencies"].add(to_arrow("agencies", list(agencies.rows())))
        writers["indicators"].add(to_arrow("indicators", indicator_rows()))
    finally:
        for w in writers.values():
            w.close()
    return {name: w.rows for name, w in writers.items()}


def _release_arrow_memory() -> None:
    # Arrow's allocator (mimalloc) keeps freed pages for reuse; without this
    # the writer's RSS creeps up with every group of files it converts.
    pa.default_memory_pool().release_unused()


def _write_duckdb(staging: Path) -> list[str]:
    config = {"memory_limit": DUCKDB_MEMORY_LIMIT, "threads": DUCKDB_THREADS,
              "temp_directory": str(staging / ".duckdb-tmp")}  # spills, if any, vanish with the staging folder
    import duckdb

    con = duckdb.connect(str(staging / DB_NAME), config=config)
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


def file_digest(path: Path) -> dict[str, Any]:
    with path.open("rb") as fh:
        return {"size": os.fstat(fh.fileno()).st_size, "sha256": hashlib.file_digest(fh, "sha256").hexdigest()}


def outputs_intact(out_dir: Path, recorded: dict[str, dict[str, Any]]) -> bool:
    """Every output file is there with the size and hash recorded when it was written."""
    if not recorded or set(recorded) != {p.name for p in output_files(out_dir)}:
        return False
    for path in output_files(out_dir):
        want = recorded[path.name]
        try:
            # The size first: a changed file is usually found without reading it.
            if not isinstance(want, dict) or path.stat().st_size != want.get("size") or file_digest(path) != want:
                return False
        except OSError:
            return False
    return True


@dataclass
class WriteReport:
    rows: dict[str, int]
    problems: list[str]
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)  # file name -> size and sha256


def write_dataset(out_dir: Path, results: Iterable[pa.RecordBatch]) -> WriteReport:
    """Write every table from cached-layout results (one per file, in the order given) and swap them into out_dir."""
    out_dir.mkdir(parents=True, exist_ok=True)
    remove_stale_staging(out_dir)
    staging = Path(tempfile.mkdtemp(prefix=_STAGING_PREFIX, dir=out_dir))
    try:
        rows = _write_parquet(staging, results)
        _release_arrow_memory()  # DuckDB comes next: hand back what the Parquet writers held
        problems = _write_duckdb(staging)
        outputs = {path.name: file_digest(path) for path in output_files(staging)}
        _pause_for_tests(staging)
        _commit(staging, out_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return WriteReport(rows=rows, problems=problems, outputs=outputs)
