"""Write the dataset: one Parquet file per table plus a DuckDB database.

Layout: everything a build writes lives in OUT/.planextract/ (its marker,
lock, cache and generations); OUT itself holds only symbolic links named
like the outputs (OUT/planextract.duckdb, OUT/targets.parquet, ...) that
point through OUT/.planextract/current, so the paths users know keep working.
A folder planextract did not create is never written to (see claim_output).
Incremental: each file's result is cached under OUT/.planextract/cache/<key>/,
where the key is the pipeline version, the rules fingerprint, a hash of the
extraction code and the cached column layout, so a rebuild re-reads only
files whose path or content changed, and a new version, a rules edit or a
code edit re-reads everything.
Atomic: a build writes its whole output set (Parquet, DuckDB, manifest) into
a new generation folder OUT/.planextract/gen-*, then makes it current with
one os.replace of the `current` link; the old generation is removed after.
A build killed at any moment leaves the outputs all old or all new.
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
import functools
import hashlib
import importlib.metadata
import json
import math
import os
import shutil
import struct
import sys
import tempfile
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
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
STATE_DIR = ".planextract"  # inside OUT: everything a build writes, under a name that says whose it is
MARKER = "output-folder.json"  # in STATE_DIR: this folder was made by planextract
CACHE_DIR = "cache"  # in STATE_DIR
CURRENT = "current"  # in STATE_DIR: a symbolic link to the current generation
GENERATION_PREFIX = "gen-"
LOCK = "lock"
MANIFEST = "manifest.json"  # in each generation
TOOL = "planextract"
_BATCH_ROWS = 20_000  # rows buffered per table before a row group is written
_GROUP_FILES = 64  # cached results turned into tables together: amortizes Arrow's per-call cost
# DuckDB's own limits while it loads the Parquet files: without them it takes
# most of the machine's memory and every core, and the writer's peak grows with N.
# One thread loads as fast as two here (the insert and the compression of a
# table run on one), and with 80 MB the writer's peak is 222 MB at N=2,000
# against 209 MB at N=500 (96 MB and two threads: 236 against 210).
DUCKDB_MEMORY_LIMIT = "80MB"
DUCKDB_THREADS = 1
# DuckDB must hold the longest single value whole (a 50 MB paragraph is one blocks.text):
# the limit grows to this many times the widest value when that needs more than the default.
_WIDE_VALUE_ROOM = 4
# Tests set this to hold a build between writing its generation and the switch, to kill it there.
PAUSE_ENV = "PLANEXTRACT_TEST_PAUSE_BEFORE_COMMIT"

if TYPE_CHECKING:
    import duckdb


class BuildLocked(RuntimeError):
    """Another build is writing to the same output folder."""


class OutputRefused(RuntimeError):
    """The output folder holds things planextract did not write: it is not ours to write into."""


def state_dir(out_dir: Path) -> Path:
    return Path(out_dir) / STATE_DIR


@contextlib.contextmanager
def build_lock(out_dir: Path) -> Iterator[None]:
    """One build per output folder at a time (an advisory flock, released if the process dies)."""
    state_dir(out_dir).mkdir(parents=True, exist_ok=True)
    with (state_dir(out_dir) / LOCK).open("w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildLocked(f"another build is writing to {out_dir}") from None
        yield


def parquet_path(folder: Path, table: str) -> Path:
    return Path(folder) / f"{table}.parquet"


def output_names() -> list[str]:
    return [f"{t}.parquet" for t in TABLE_NAMES] + [DB_NAME]


def output_files(folder: Path) -> list[Path]:
    """The output files in a folder: OUT (the links users open) or a generation folder."""
    return [Path(folder) / name for name in output_names()]


# --------------------------------------------------------------------------
# the output folder: marker, links, generations
# --------------------------------------------------------------------------


def marker(out_dir: Path) -> dict[str, Any] | None:
    """What the marker of an output folder says, or None when there is none (or it is not planextract's)."""
    try:
        found = json.loads((state_dir(out_dir) / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) and found.get("tool") == TOOL else None


def claim_output(out_dir: Path, *, force: bool = False) -> None:
    """Make out_dir a planextract output folder, or refuse (OutputRefused).

    A new or empty folder is marked; a marked folder is ours already; any
    other folder is refused unless force, since a build replaces files named
    like its outputs (and a folder such as ~ is not a build's to fill).
    """
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputRefused(f"{out_dir} is not a folder")
    out_dir.mkdir(parents=True, exist_ok=True)
    if marker(out_dir) is not None:
        return
    others = sorted(n for n in os.listdir(out_dir) if n != STATE_DIR and not _placeholder(out_dir / n))
    if others and not force:
        shown = ", ".join(others[:5]) + (", ..." if len(others) > 5 else "")
        older = (" It holds the outputs of an older planextract, from before output folders were marked:"
                 " delete them first.") if (out_dir / ".cache" / MANIFEST).is_file() else ""
        raise OutputRefused(
            f"{out_dir} is not empty ({shown}) and was not made by planextract (no {STATE_DIR}/{MARKER}): "
            "choose a new or empty folder, or pass --force to write the outputs into it "
            f"(files named like the outputs are then replaced; nothing else is touched).{older}"
        )
    state_dir(out_dir).mkdir(exist_ok=True)
    info = {"tool": TOOL, "version": planextract.__version__,
            "note": "made by planextract; a build writes only inside this folder and the links beside it"}
    _atomic_write(state_dir(out_dir) / MARKER, (json.dumps(info, indent=1) + "\n").encode())


def _placeholder(path: Path) -> bool:
    """An empty hidden file (.gitkeep): it keeps a folder in version control, and a folder holding only such is empty."""
    try:
        return path.name.startswith(".") and path.is_file() and not path.is_symlink() and path.stat().st_size == 0
    except OSError:
        return False


def current_generation(out_dir: Path) -> Path | None:
    """The generation folder the `current` link points to, or None before the first build."""
    state = state_dir(out_dir)
    try:
        name = os.readlink(state / CURRENT)
    except OSError:
        return None
    gen = state / name
    return gen if name.startswith(GENERATION_PREFIX) and "/" not in name and gen.is_dir() else None


def build_folder(out_dir: Path) -> Path:
    """Where a reader finds one consistent set of outputs: the current generation.

    Resolved once, so a reader that opens several files (a release) sees
    one build even if another build switches generations meanwhile.
    A folder of plain output files (a release, a copy) is read as it is.
    """
    return current_generation(out_dir) or Path(out_dir)


def resolve_db(db: Path) -> Path:
    """The database file a path names: OUT/planextract.duckdb (a link), OUT itself, or any .duckdb file.

    Links are resolved to the generation's file, so the reader keeps one
    build open even if the next build switches generations meanwhile.
    """
    db = Path(db)
    if db.is_dir():
        db = build_folder(db) / DB_NAME
    return Path(os.path.realpath(db))


def _link_target(name: str) -> str:
    return f"{STATE_DIR}/{CURRENT}/{name}"


def ensure_links(out_dir: Path) -> None:
    """OUT/<output> -> .planextract/current/<output>, for each output (relative: OUT can move)."""
    for name in output_names():
        link = Path(out_dir) / name
        try:
            if os.readlink(link) == _link_target(name):
                continue
        except OSError:
            pass
        _make_link(link, _link_target(name))


def _make_link(path: Path, target: str) -> None:
    try:
        os.symlink(target, path)  # nothing there yet: creating the link is atomic by itself
    except FileExistsError:
        _replace_with_link(path, target)


def _replace_with_link(path: Path, target: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.link")
    tmp.unlink(missing_ok=True)
    os.symlink(target, tmp)
    try:
        os.replace(tmp, path)  # atomic: a reader sees the old or the new link
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def links_current(out_dir: Path) -> bool:
    try:
        return all(os.readlink(Path(out_dir) / n) == _link_target(n) for n in output_names())
    except OSError:
        return False


def _switch(out_dir: Path, gen: Path) -> None:
    """The commit: one atomic replace of the `current` link makes every output of gen current at once."""
    _replace_with_link(state_dir(out_dir) / CURRENT, gen.name)
    _fsync_dir(state_dir(out_dir))


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_stale_generations(out_dir: Path) -> None:
    """Generation folders no link points to: left by a killed or failed build (only a locked build calls this)."""
    current = current_generation(out_dir)
    for child in state_dir(out_dir).glob(GENERATION_PREFIX + "*"):
        if child != current and child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)


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


def non_finite(result: FileResult) -> str | None:
    """'table.field' of the first NaN or infinite number in a result, or None: such a value is never stored."""
    for table in ("document", "targets", "actuals", "projects", "tasks"):
        found = getattr(result, table)
        records = found if isinstance(found, list) else [found] if found is not None else []
        if not records:
            continue
        for name in _float_fields(type(records[0])):
            if any(not math.isfinite(v) for r in records if (v := getattr(r, name)) is not None):
                return f"{table}.{name}"
    return None


@functools.lru_cache(maxsize=None)
def _float_fields(model: type) -> tuple[str, ...]:
    return tuple(name for name, f in model.model_fields.items() if "float" in str(f.annotation))


def write_cached(path: Path, result: FileResult) -> None:
    try:
        if (where := non_finite(result)) is not None:
            raise ValueError(f"{where} is not a finite number")
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
    """OUT/.planextract/cache: per-file results of the current pipeline (version, rules, code).

    The manifest of the current build (what it read, what it wrote) lives
    in the current generation, beside the outputs it describes.
    """

    def __init__(self, out_dir: Path, setup: str = "") -> None:
        self.out_dir = Path(out_dir)
        self.root = state_dir(out_dir) / CACHE_DIR
        # The layout too: a cached result is stored in the output's columns. setup: how files
        # are read beyond code and rules (OCR mode and engine, LibreOffice there or not).
        self.key = f"v{planextract.PIPELINE_VERSION}-{rules.fingerprint()}-{code_fingerprint()}-{_layout_fingerprint()}"
        if setup:
            self.key += "-" + hashlib.sha256(setup.encode()).hexdigest()[:8]
        self.dir = self.root / self.key
        self.dir.mkdir(parents=True, exist_ok=True)

    def file_for(self, rel: str, sha256: str) -> Path:
        # Keyed by path too: extractors may read the file name (e.g. a region in it).
        return self.dir / (hashlib.sha256(f"{rel}\0{sha256}".encode()).hexdigest()[:32] + _CACHED_SUFFIX)

    def read_manifest(self) -> dict[str, Any]:
        return read_manifest(self.out_dir)

    def known_files(self, manifest: dict[str, Any] | None = None) -> dict[str, tuple[int, int, str]]:
        files = (self.read_manifest() if manifest is None else manifest).get("files", {})
        return {rel: (f["size"], f["mtime_ns"], f["sha256"]) for rel, f in files.items()}

    def manifest(self, info: dict[str, Any]) -> bytes:
        manifest = {
            **info,  # first: the stamps below are always this build's
            "planextract_version": planextract.__version__,
            "pipeline_version": planextract.PIPELINE_VERSION,
            "rules_fingerprint": rules.fingerprint(),
            "code_fingerprint": code_fingerprint(),
            "cache_key": self.key,
            "writer_fingerprint": writer_fingerprint(),
        }
        return json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()

    def rewrite_manifest(self, info: dict[str, Any]) -> None:
        """Replace the current generation's manifest (outputs kept, file stamps refreshed)."""
        gen = current_generation(self.out_dir)
        if gen is not None:
            _atomic_write(gen / MANIFEST, self.manifest(info))

    def outputs_current(self, manifest: dict[str, Any]) -> bool:
        """The last build used this cache key and writer, and its outputs are in place, byte for byte."""
        gen = current_generation(self.out_dir)
        return (
            gen is not None
            and manifest.get("cache_key") == self.key
            and manifest.get("writer_fingerprint") == writer_fingerprint()
            and outputs_intact(gen, manifest.get("outputs") or {})
        )

    def prune(self, keep: set[Path]) -> None:
        """Drop results of removed or changed files and of older versions or rules (all inside OUT/.planextract)."""
        for child in self.root.iterdir():
            if child.is_dir() and not child.is_symlink() and child != self.dir:
                shutil.rmtree(child, ignore_errors=True)
        for f in self.dir.iterdir():
            if f not in keep and f.name.endswith((_CACHED_SUFFIX, ".tmp")):
                f.unlink(missing_ok=True)


_CACHED_SUFFIX = ".arrow.lz4"


def read_manifest(out_dir: Path) -> dict[str, Any]:
    """What the build of the current generation recorded: versions, input folder, file hashes ({} if none)."""
    folder = build_folder(out_dir)
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
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
        self.widest = 0  # bytes of the longest string value written
        self._buf: list[pa.Table] = []
        self._buffered = 0
        import pyarrow.parquet as pq

        self._writer = pq.ParquetWriter(str(path), spec.arrow_schema, compression="zstd")

    def add(self, table: pa.Table) -> None:
        if table.num_rows:
            self._buf.append(table)
            self._buffered += table.num_rows
            self.rows += table.num_rows
            self.widest = max(self.widest, _widest_string(table))
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


def _widest_string(table: pa.Table) -> int:
    import pyarrow.compute as pc

    widths = [pc.max(pc.binary_length(col)).as_py() or 0 for col in table.columns
              if pa.types.is_string(col.type) or pa.types.is_large_string(col.type)]
    return max(widths, default=0)


def _write_parquet(gen: Path, results: Iterable[pa.RecordBatch]) -> tuple[dict[str, int], int]:
    """Rows written per table, and the bytes of the longest string value."""
    writers = {name: _TableWriter(parquet_path(gen, name), spec) for name, spec in SPECS.items()}
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
    return {name: w.rows for name, w in writers.items()}, max(w.widest for w in writers.values())


def _release_arrow_memory() -> None:
    # Arrow's allocator (mimalloc) keeps freed pages for reuse; without this
    # the writer's RSS creeps up with every group of files it converts.
    pa.default_memory_pool().release_unused()


def _memory_limit(widest: int) -> str:
    default = int(DUCKDB_MEMORY_LIMIT.removesuffix("MB"))
    return f"{max(default, _WIDE_VALUE_ROOM * widest // 2**20 + default)}MB"


def _write_duckdb(gen: Path, widest: int = 0) -> list[str]:
    config = {"memory_limit": _memory_limit(widest), "threads": DUCKDB_THREADS,
              "temp_directory": str(gen / ".duckdb-tmp")}  # spills, if any, are removed below
    import duckdb

    con = duckdb.connect(str(gen / DB_NAME), config=config)
    try:
        con.execute("BEGIN TRANSACTION")  # one commit: per-statement commits make the DDL slow
        con.execute(ddl())
        for name in TABLE_NAMES:
            con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM read_parquet(?)", [str(parquet_path(gen, name))])
        con.execute("COMMIT")
        problems = integrity_problems(con)
        con.execute("CHECKPOINT")
    finally:
        con.close()
        shutil.rmtree(gen / ".duckdb-tmp", ignore_errors=True)
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


def _pause_for_tests(gen: Path) -> None:
    seconds = float(os.environ.get(PAUSE_ENV, "0") or 0)
    if seconds > 0:
        print(f"planextract: staged {gen}", file=sys.stderr, flush=True)
        time.sleep(seconds)


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


# The manifest of a build, made once the rows are written (it records the outputs' hashes and the summary).
ManifestFor = Callable[[WriteReport], bytes]


def write_dataset(out_dir: Path, results: Iterable[pa.RecordBatch], manifest_for: ManifestFor | None = None) -> WriteReport:
    """Write every table from cached-layout results (one per file, in the order given) as a new generation and make it current.

    The caller holds the build lock. out_dir is claimed here if it was not
    (a direct call on a new folder works; a foreign folder is refused).
    """
    out_dir = Path(out_dir)
    claim_output(out_dir)
    remove_stale_generations(out_dir)
    old = current_generation(out_dir)
    gen = Path(tempfile.mkdtemp(prefix=GENERATION_PREFIX, dir=state_dir(out_dir)))
    try:
        gen.chmod(0o777 & ~_umask())  # mkdtemp makes it private; outputs are as readable as any file made here
        rows, widest = _write_parquet(gen, results)
        _release_arrow_memory()  # DuckDB comes next: hand back what the Parquet writers held
        problems = _write_duckdb(gen, widest)
        outputs = {path.name: file_digest(path) for path in output_files(gen)}
        report = WriteReport(rows=rows, problems=problems, outputs=outputs)
        if manifest_for is not None:
            _atomic_write(gen / MANIFEST, manifest_for(report))
        _pause_for_tests(gen)
        ensure_links(out_dir)  # dangling until the first switch: no outputs yet, as before this build
        _switch(out_dir, gen)
    except BaseException:
        if current_generation(out_dir) != gen:
            shutil.rmtree(gen, ignore_errors=True)
        raise
    if old is not None and old != gen:
        shutil.rmtree(old, ignore_errors=True)
    return report


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def written_paths(out_dir: Path) -> list[Path]:
    """What a build writes in out_dir (the folder, its state and the links): never an input."""
    return [Path(out_dir), state_dir(out_dir), *output_files(out_dir)]
