"""The library behind the CLI: build(), process_file(), ingest_path(), discover(), run_query(),
list_tables(), write_result(), make_release() and write_schemas().

`process_file` is the per-file pure function (path -> FileResult): it never
raises, so one bad file cannot stop a build, and it depends on nothing but
the file's bytes and the rules, so any worker or cluster engine can map it.
`build` runs it over a folder: discovery accounts for every entry, workers
isolate files from each other (time limit, crashes), and the loader writes
Parquet + DuckDB incrementally and atomically.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from planextract import pool, rules
from planextract.discover import DEFAULT_MAX_SIZE, SUPPORTED_SUFFIXES, Entry, NotRegularFile, discover, display_name, read_regular
from planextract.ingest import OCR_MODES, OcrMode, ingest_bytes, reading_setup
from planextract.ingest.errors import IngestError
from planextract.load import store
from planextract.load.export import write_result  # noqa: F401  (the Python twins of the CLI)
from planextract.load.query import list_tables, run_query  # noqa: F401
from planextract.load.release import make_release  # noqa: F401
from planextract.load.schema import write_schemas  # noqa: F401
from planextract.load.tables import file_facts, to_cache_batch
from planextract.models import Document, ErrorRecord, FileResult
from planextract.rules.indicators import catalogue

__all__ = [
    "DEFAULT_MAX_SIZE", "DEFAULT_TIMEOUT", "OCR_MODES", "SUPPORTED_SUFFIXES", "BuildError", "BuildSummary",
    "MentionRow", "build", "discover", "error_record", "ingest_path", "inspect_mentions", "inspect_path", "list_tables", "make_release", "process_file",
    "run_query", "write_result", "write_schemas",
]

DEFAULT_TIMEOUT = pool.DEFAULT_TIMEOUT


class BuildError(RuntimeError):
    """The build itself could not run (as opposed to one file failing)."""


_SYSTEM_FOLDERS = ("/proc", "/sys", "/dev")


def is_system_folder(folder: Path) -> bool:
    """A folder of the kernel's special files: reading them leaks the machine's state, or blocks."""
    real = os.path.realpath(folder)
    return any(real == top or real.startswith(top + "/") for top in _SYSTEM_FOLDERS)


def relative(path: Path, root: Path) -> str:
    return display_name(path.relative_to(root).as_posix() if path.is_relative_to(root) else path.name)


def ingest_path(path: Path, root: Path | None = None, *, ocr: OcrMode = "auto") -> Document:
    rel = relative(path, root) if root else display_name(path.name)
    return ingest_bytes(read_regular(path), rel, path.suffix, ocr=ocr)


def process_file(path: Path, root: Path, *, ocr: OcrMode = "auto") -> FileResult:
    """One file -> its records, or an error row. Never raises. ocr: which PDF pages are read by OCR."""
    # Imported here: the extractors' vocabularies take a second to load, and a
    # build with nothing to read (the no-op rebuild) never needs them.
    from planextract.extract import extract_document

    rel = relative(path, root)
    stage, sha, size = "read", None, None
    try:
        data = read_regular(path)
        sha, size = hashlib.sha256(data).hexdigest(), len(data)
        stage = "ingest"
        doc = ingest_bytes(data, rel, path.suffix, ocr=ocr)
        stage = "extract"
        return extract_document(doc)
    except Exception as exc:  # a bad file, a bug or a pathological file: record it, go on
        error = error_record(exc, rel, stage)
    error.sha256, error.size = sha, size
    return FileResult(path=rel, sha256=sha, error=error)


def error_record(exc: Exception, rel: str, stage: str) -> ErrorRecord:
    """The errors-table row for a file that raised exc at stage: what `build` records and `inspect` prints."""
    if isinstance(exc, IngestError):
        return ErrorRecord(path=rel, stage=exc.stage, error_type=exc.error_type, message=exc.message)
    if isinstance(exc, NotRegularFile):
        return ErrorRecord(path=rel, stage=stage, error_type="not_regular_file",
                           message="not a regular file (a folder, device, socket or pipe): not read")
    if isinstance(exc, OSError) and stage == "read":
        return ErrorRecord(path=rel, stage=stage, error_type="unreadable_file",
                           message=f"cannot read the file: {exc.strerror or exc}")
    last = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    where = f" at {Path(last.filename).name}:{last.lineno}" if last else ""
    return ErrorRecord(path=rel, stage=stage, error_type=type(exc).__name__, message=f"{exc}{where}")


def inspect_path(path: Path) -> Document | ErrorRecord:
    """What the ingester makes of one file: its Document, or the error row a build would record for it."""
    path = Path(path)
    rel, stage = display_name(path.name), "read"
    try:
        data = read_regular(path)
        stage = "ingest"
        return ingest_bytes(data, rel, path.suffix)
    except Exception as exc:
        return error_record(exc, rel, stage)


@dataclass(frozen=True)
class MentionRow:
    """One number of a document's prose and the role the reader gave it (see extract/prose/mentions.py)."""

    block_id: str
    char_start: int  # span of the number and its unit in the clean text
    char_end: int
    text: str  # the number and unit as printed
    role: str  # target, actual, baseline, threshold, rule, structure, other
    rule: str  # the rule that decided the role
    context: str  # the sentence around it


def inspect_mentions(path: Path) -> list[MentionRow] | ErrorRecord:
    """Every quantity mention of a file's prose with its role and rule: why a number was or was not taken."""
    from planextract.extract import metadata, targets

    doc = inspect_path(path)
    if isinstance(doc, ErrorRecord):
        return doc
    found = targets.read_document(doc, metadata.extract_metadata(doc))
    rows = []
    for block, at, m in found.mentions:
        start, end = at + m.start, at + m.end
        context = doc.text[max(block.start, start - 30) : min(block.end, end + 10)]
        rows.append(MentionRow(block.id, start, end, doc.text[start:end], str(m.role), m.rule, context))
    return rows


# --------------------------------------------------------------------------
# build
# --------------------------------------------------------------------------


@dataclass
class BuildSummary:
    """What a build did. files = documents + errors + skipped."""

    files: int = 0  # entries found below the input folder
    documents: int = 0
    errors: int = 0  # files that failed
    skipped: int = 0  # files deliberately not read (hidden, unsupported, duplicate, too large)
    parsed: int = 0  # files read this time
    reused: int = 0  # files whose cached result was reused
    by_format: dict[str, int] = field(default_factory=dict)
    errors_by_type: dict[str, int] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)  # rows written per table
    problems: list[str] = field(default_factory=list)  # integrity findings (duplicate ids, ...)
    warnings: dict[str, list[str]] = field(default_factory=dict)  # path -> what was off in a document read
    out_dir: str = ""
    db_path: str = ""
    seconds: float = 0.0

    @property
    def counts(self) -> dict[str, int]:
        return {k: self.rows.get(k, 0) for k in ("targets", "actuals", "projects", "tasks", "agencies")}

    def to_dict(self) -> dict:
        return asdict(self)


# on_progress(done, total, rel_path, status): status is parsed | reused | skipped | error | writing
Progress = Callable[[int, int, str, str], None]


def build(
    input_dir: Path,
    out_dir: Path,
    *,
    workers: int | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    max_size: int = DEFAULT_MAX_SIZE,
    processor: pool.Processor = process_file,
    on_progress: Progress | None = None,
    force: bool = False,
    ocr: OcrMode = "auto",
) -> BuildSummary:
    """Ingest and extract every file below input_dir; write the dataset to out_dir.

    out_dir must be new, empty or made by planextract, unless force.
    ocr: auto (OCR the PDF pages with no or a garbled text layer), force (every page) or off.

    Per-file failures become rows of the errors table; BuildError (or an
    OSError) means the build itself failed and the previous outputs stand.
    """
    input_dir, out_dir = Path(input_dir), Path(out_dir)
    if not input_dir.is_dir():
        raise BuildError(f"input folder not found: {input_dir}")
    if is_system_folder(input_dir):
        raise BuildError(f"refused: {input_dir} is a system folder of special files (/proc, /sys, /dev), not documents")
    if ocr not in OCR_MODES:
        raise BuildError(f"unknown OCR mode {ocr!r}: one of {', '.join(OCR_MODES)}")
    if processor is process_file and ocr != "auto":
        processor = functools.partial(process_file, ocr=ocr)
    try:
        rules.check()  # a missing overlay or a broken rule file stops the build before anything is written
        catalogue()  # so does an indicator catalogue that breaks its rules (it is written with every build)
    except rules.RulesError as exc:
        raise BuildError(str(exc)) from None
    started = time.monotonic()
    try:
        store.claim_output(out_dir, force=force)
        with store.build_lock(out_dir):
            summary = _build(input_dir, out_dir, workers or pool.default_workers(), timeout, max_size, processor,
                             on_progress or (lambda *a: None), reading_setup(ocr))
    except (store.BuildLocked, store.OutputRefused) as exc:
        raise BuildError(str(exc)) from None
    summary.seconds = round(time.monotonic() - started, 3)
    return summary


def _build(
    input_dir: Path, out_dir: Path, workers: int, timeout: float | None, max_size: int,
    processor: pool.Processor, on_progress: Progress, setup: str = "",
) -> BuildSummary:
    cache = store.Cache(out_dir, setup)
    manifest = cache.read_manifest()
    # The output folder may sit inside the input folder, or be it: what a build writes is never read.
    entries = discover(input_dir, max_size=max_size, exclude=store.written_paths(out_dir),
                       known=cache.known_files(manifest))
    summary = BuildSummary(files=len(entries), out_dir=str(out_dir), db_path=str(out_dir / store.DB_NAME))
    tick = _ticker(len(entries), on_progress)

    jobs = []
    for e in entries:
        if e.skip is not None:
            tick(e.rel, "skipped")
        elif cache.file_for(e.rel, e.sha256 or "").exists():
            summary.reused += 1
            tick(e.rel, "reused")
        else:
            jobs.append(pool.Job(e.path, input_dir, e.rel, cache.file_for(e.rel, e.sha256 or ""), e.sha256, e.size))

    if not jobs and _keep_outputs(cache, manifest, entries, summary):
        _refresh_manifest(cache, manifest, input_dir, entries)
        return summary

    failures: dict[str, ErrorRecord] = {}  # timeouts and crashes: not in the cache
    for job, outcome in pool.run(jobs, processor, workers=min(workers, max(len(jobs), 1)), timeout=timeout):
        summary.parsed += 1
        if not outcome.cached and outcome.error is not None:
            failures[job.rel] = outcome.error
        tick(job.rel, "error" if outcome.error else "parsed")

    on_progress(len(entries), len(entries), "Parquet + DuckDB", "writing")

    def manifest_for(report: store.WriteReport) -> bytes:
        # Called once every row is written: the summary's counts are complete.
        summary.rows, summary.problems = report.rows, report.problems
        return cache.manifest({
            "input": str(input_dir), "files": _manifest_files(entries), "state": _state(entries, cache),
            "outputs": report.outputs, "summary": {k: getattr(summary, k) for k in _RECORDED},
        })

    store.write_dataset(out_dir, _tally(_results(entries, cache, failures), summary), manifest_for)
    cache.prune({cache.file_for(e.rel, e.sha256 or "") for e in entries if e.skip is None})
    return summary


# What a build records of its summary, so a build that keeps the outputs can report them.
_RECORDED = ("documents", "errors", "skipped", "by_format", "errors_by_type", "rows", "problems", "warnings")


def _state(entries: list[Entry], cache: store.Cache) -> str:
    """A hash of everything the outputs are made of: each entry found, its skip reason and its cached result.

    The cached result is known by its file's size and mtime (like an input
    file in discovery), so a damaged or rewritten entry is noticed.
    """
    h = hashlib.sha256()
    for e in entries:
        cached = None
        if e.skip is None:
            try:
                st = cache.file_for(e.rel, e.sha256 or "").stat()
                cached = [st.st_size, st.st_mtime_ns]
            except OSError:
                pass
        skip = e.skip.model_dump(mode="json") if e.skip else None
        h.update(json.dumps([e.rel, e.sha256, e.size, skip, cached]).encode() + b"\n")  # ASCII: any file name
    return h.hexdigest()


def _keep_outputs(cache: store.Cache, manifest: dict[str, Any], entries: list[Entry], summary: BuildSummary) -> bool:
    """Nothing to read and nothing changed since the last build: keep its outputs and report its summary."""
    recorded = manifest.get("summary")
    if not isinstance(recorded, dict) or not set(_RECORDED) <= set(recorded):
        return False
    counts = [recorded[k] for k in ("documents", "errors", "skipped")]
    if not all(isinstance(n, int) for n in counts) or sum(counts) != len(entries):
        return False
    if manifest.get("state") != _state(entries, cache) or not cache.outputs_current(manifest):
        return False
    store.ensure_links(cache.out_dir)  # a link the user removed comes back; the outputs stand
    for key in _RECORDED:
        setattr(summary, key, recorded[key])
    return True


def _refresh_manifest(cache: store.Cache, manifest: dict[str, Any], input_dir: Path, entries: list[Entry]) -> None:
    """Outputs kept: record new mtimes (a touched file) or folder name, so the next build need not re-hash."""
    current = {"input": str(input_dir), "files": _manifest_files(entries)}
    if any(manifest.get(k) != v for k, v in current.items()):
        cache.rewrite_manifest({**manifest, **current})


def _ticker(total: int, on_progress: Progress) -> Callable[[str, str], None]:
    done = 0

    def tick(rel: str, status: str) -> None:
        nonlocal done
        done += 1
        on_progress(done, total, rel, status)

    return tick


def _results(
    entries: list[Entry], cache: store.Cache, failures: dict[str, ErrorRecord]
) -> Iterator[tuple[str, pa.RecordBatch]]:
    """(path, its rows as one cached-layout batch) per entry, in path order, read from the cache one at a time."""
    for e in entries:
        if e.skip is not None:
            yield e.rel, _error_batch(e.skip)
        elif e.rel in failures:
            yield e.rel, _error_batch(failures[e.rel])
        else:
            yield e.rel, _cached_result(e, cache)


def _error_batch(error: ErrorRecord) -> pa.RecordBatch:
    return to_cache_batch(FileResult(path=error.path, sha256=error.sha256, error=error))


def _cached_result(e: Entry, cache: store.Cache) -> pa.RecordBatch:
    try:
        return store.read_cached_or_drop(cache.file_for(e.rel, e.sha256 or ""))
    except store.CacheUnreadable as exc:
        return _error_batch(ErrorRecord(path=e.rel, stage="load", error_type="cache_unreadable", message=str(exc),
                                        sha256=e.sha256, size=e.size))


def _tally(results: Iterable[tuple[str, pa.RecordBatch]], summary: BuildSummary) -> Iterator[pa.RecordBatch]:
    """Count documents, errors and skips as the results stream to the writer."""
    by_format: Counter[str] = Counter()
    by_type: Counter[str] = Counter()
    for rel, batch in results:
        facts = file_facts(batch)
        if facts.format is None and facts.error_type is None:  # an extractor returned nothing: still accounted for
            batch = _error_batch(ErrorRecord(path=rel, stage="extract", error_type="no_result",
                                             message="no document and no error"))
            facts = file_facts(batch)
        if facts.format is not None:
            summary.documents += 1
            by_format[facts.format] += 1
            if facts.warnings:
                summary.warnings[rel] = list(facts.warnings)
        elif facts.skipped:
            summary.skipped += 1
            by_type[facts.error_type] += 1
        else:
            summary.errors += 1
            by_type[facts.error_type] += 1
        yield batch
    summary.by_format, summary.errors_by_type = dict(sorted(by_format.items())), dict(sorted(by_type.items()))


def _manifest_files(entries: list[Entry]) -> dict[str, dict[str, object]]:
    return {
        e.rel: {"sha256": e.sha256, "size": e.size, "mtime_ns": e.mtime_ns}
        for e in entries
        if e.sha256 and e.size is not None and e.mtime_ns is not None
    }
