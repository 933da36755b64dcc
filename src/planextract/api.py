"""The library behind the CLI: build(), process_file(), inspect().

`process_file` is the per-file pure function (path -> FileResult): it never
raises, so one bad file cannot stop a build, and it depends on nothing but
the file's bytes and the rules, so any worker or cluster engine can map it.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from pathlib import Path

from planextract.extract import extract_document
from planextract.ingest import ingest_bytes
from planextract.ingest.errors import IngestError
from planextract.models import Document, ErrorRecord, FileResult

SUPPORTED_SUFFIXES = {".txt", ".text", ".docx", ".pdf", ".html", ".htm", ".doc"}


def discover(root: Path) -> list[Path]:
    """Every regular file below root, in a stable order."""
    return sorted((p for p in root.rglob("*") if p.is_file()), key=lambda p: p.as_posix())


def relative(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else path.name


def ingest_path(path: Path, root: Path | None = None) -> Document:
    rel = relative(path, root) if root else path.name
    return ingest_bytes(path.read_bytes(), rel, path.suffix)


def process_file(path: Path, root: Path) -> FileResult:
    """One file -> its records, or an error row. Never raises."""
    rel = relative(path, root)
    stage = "ingest"
    try:
        data = path.read_bytes()
        doc = ingest_bytes(data, rel, path.suffix)
        stage = "extract"
        return extract_document(doc)
    except IngestError as exc:
        return FileResult(path=rel, error=ErrorRecord(path=rel, stage=exc.stage, error_type=exc.error_type, message=exc.message))
    except Exception as exc:  # a bug or a pathological file: record it, go on
        last = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
        where = f" at {Path(last.filename).name}:{last.lineno}" if last else ""
        return FileResult(
            path=rel,
            error=ErrorRecord(path=rel, stage=stage, error_type=type(exc).__name__, message=f"{exc}{where}"),
        )


@dataclass
class BuildSummary:
    files: int = 0
    documents: int = 0
    errors: int = 0
    skipped: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    by_format: dict[str, int] = field(default_factory=dict)
    out_dir: str = ""


def build(input_dir: Path, out_dir: Path) -> BuildSummary:
    """Ingest and extract every file below input_dir, write the dataset to out_dir."""
    from planextract.load.store import write_outputs

    input_dir, out_dir = Path(input_dir), Path(out_dir)
    results = [process_file(p, input_dir) for p in discover(input_dir)]
    write_outputs(results, out_dir)
    s = BuildSummary(files=len(results), out_dir=str(out_dir))
    for r in results:
        if r.error is not None:
            s.errors += 1
        elif r.document is not None:
            s.documents += 1
            s.by_format[r.document.format] = s.by_format.get(r.document.format, 0) + 1
    for name in ("targets", "projects", "tasks", "agencies"):
        s.counts[name] = sum(len(getattr(r, name)) for r in results)
    return s
