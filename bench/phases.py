"""The measured work of each benchmark phase, run in its own process.

    python -m bench.phases PHASE '{"corpus": "...", ...}'

prints one JSON object on stdout: the phase's own figures plus the peak RSS
of this process and of its reaped children (the build's worker processes).
Running each phase in a fresh interpreter keeps one phase's memory and warm
caches out of the next one's figures. The functions are importable too, so
a test can run them in-process on a tiny corpus.
"""

from __future__ import annotations

import io
import json
import resource
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from bench.corpus import Manifest

MB = 1_000_000


def corpus_files(corpus: Path, fmt: str | None = None, limit: int | None = None) -> list[Path]:
    paths = Manifest.read(corpus).paths(corpus, fmt)
    return paths[:limit] if limit is not None else paths


def _rate(amount: float, seconds: float) -> float:
    return round(amount / seconds, 3) if seconds > 0 else 0.0


# --------------------------------------------------------------------------
# the floor: reading the bytes
# --------------------------------------------------------------------------


def read_floor(files: Iterable[Path]) -> dict[str, Any]:
    """Read every file and nothing else: the least any pipeline must spend."""
    started = time.perf_counter()
    count = size = 0
    for path in files:
        size += len(path.read_bytes())
        count += 1
    seconds = time.perf_counter() - started
    return {"files": count, "bytes": size, "seconds": round(seconds, 4),
            "files_per_s": _rate(count, seconds), "mb_per_s": _rate(size / MB, seconds)}


# --------------------------------------------------------------------------
# PDF: the pdfplumber-only baseline against our reader
# --------------------------------------------------------------------------


def _cell_key(text: str | None) -> str:
    return "".join((text or "").split())


def _table_signature(tables: Iterable[list[list[str | None]]]) -> tuple[int, set[str]]:
    """(tables of at least 2x2, their non-empty cell texts without whitespace)."""
    count, cells = 0, set()
    for rows in tables:
        if len(rows) >= 2 and max((len(r) for r in rows), default=0) >= 2:
            count += 1
            cells.update(k for row in rows for c in row if (k := _cell_key(c)))
    return count, cells


def pdfplumber_baseline(files: Iterable[Path]) -> dict[str, Any]:
    """pdfplumber alone, the slow path: extract_text and extract_tables on every page."""
    import pdfplumber

    pages, per_file, started = 0, {}, time.perf_counter()
    for path in files:
        tables: list[list[list[str | None]]] = []
        with pdfplumber.open(io.BytesIO(path.read_bytes())) as pdf:
            for page in pdf.pages:
                page.extract_text()
                tables += page.extract_tables()
                page.close()  # pdfplumber keeps parsed pages otherwise
                pages += 1
        per_file[path.name] = _table_signature(tables)
    return _pdf_result(pages, time.perf_counter() - started, per_file)


def our_pdf_ingest(files: Iterable[Path]) -> dict[str, Any]:
    """planextract's PDF ingest (PDFium text and ruling lines, pdfplumber table geometry, layout, structure)."""
    from planextract.ingest import ingest_bytes

    pages, per_file, started = 0, {}, time.perf_counter()
    for path in files:
        doc = ingest_bytes(path.read_bytes(), path.name, path.suffix)
        pages += doc.pages or 0
        per_file[path.name] = _table_signature(b.table.rows for b in doc.blocks if b.table is not None)
    return _pdf_result(pages, time.perf_counter() - started, per_file)


def ocr_pages(files: Iterable[Path], max_pages: int) -> dict[str, Any]:
    """OCR throughput: PDF pages read with --ocr force (every page rendered and recognised), one process."""
    import pypdfium2 as pdfium
    from pypdf import PdfReader, PdfWriter

    from planextract.ingest import ingest_bytes, ocr

    if not ocr.available():
        return {"available": False, "pages": 0, "seconds": 0.0, "pages_per_s": None}
    ocr._engine()  # loaded once before the clock starts: a worker loads it once too
    pages, started = 0, time.perf_counter()
    for path in files:
        if pages >= max_pages:
            break
        data = path.read_bytes()
        n = len(pdfium.PdfDocument(data))
        if pages + n > max_pages:  # the first pages only, so the phase stays short
            writer = PdfWriter()
            writer.append(PdfReader(io.BytesIO(data)), pages=(0, max_pages - pages))
            buf = io.BytesIO()
            writer.write(buf)
            data, n = buf.getvalue(), max_pages - pages
        ingest_bytes(data, path.name, ".pdf", ocr="force")
        pages += n
    seconds = time.perf_counter() - started
    return {"available": True, "engine": ocr.version(), "pages": pages, "seconds": round(seconds, 3),
            "pages_per_s": round(pages / seconds, 3) if seconds else None}


def _pdf_result(pages: int, seconds: float, per_file: dict[str, tuple[int, set[str]]]) -> dict[str, Any]:
    return {
        "files": len(per_file), "pages": pages, "seconds": round(seconds, 3),
        "pages_per_s": _rate(pages, seconds), "ms_per_page": round(1000 * seconds / pages, 2) if pages else None,
        "tables": sum(n for n, _ in per_file.values()),
        # Per file: table count and cell texts, for the parent to compare the two readers.
        "per_file": {name: [n, sorted(cells)] for name, (n, cells) in per_file.items()},
    }


# --------------------------------------------------------------------------
# builds
# --------------------------------------------------------------------------

# Per-format time spent in process_file (ingest + extract), filled by timed_process_file.
_TIMINGS: dict[str, list[float]] = defaultdict(lambda: [0, 0, 0.0, 0.0, 0])  # files, bytes, wall, cpu, pages


def timed_process_file(path: Path, root: Path) -> Any:
    """api.process_file, timed per format (used with one worker, where it runs in this process)."""
    from planextract.api import process_file

    started, cpu = time.perf_counter(), time.process_time()
    result = process_file(path, root)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    doc = result.document
    fmt = "error" if doc is None else f"{doc.format}-gbk" if (doc.encoding or "").startswith("gb") else doc.format
    t = _TIMINGS[fmt]
    t[0] += 1
    t[1] += path.stat().st_size
    t[2] += seconds
    t[3] += cpu
    t[4] += (doc.pages or 0) if doc is not None else 0
    return result


def build(corpus: Path, out: Path, workers: int, timed: bool = False, timeout: float | None = None,
          force: bool = False) -> dict[str, Any]:
    """One planextract build through the public API; its summary and, if timed, per-format figures.

    timeout: seconds per file (None: the default; 0: no limit).
    """
    from planextract import api

    _TIMINGS.clear()
    kwargs: dict[str, Any] = {"processor": timed_process_file} if timed else {}
    if timeout is not None:
        kwargs["timeout"] = timeout or None
    if force:
        kwargs["force"] = True
    started = time.perf_counter()
    summary = api.build(corpus, out, workers=workers, **kwargs)
    seconds = time.perf_counter() - started
    result: dict[str, Any] = {"workers": workers, "seconds": round(seconds, 3), "summary": _summary(summary),
                              "code": str(Path(api.__file__).parent)}
    if timed:
        # mb_per_s is per CPU second: on a busy machine wall time also counts other programs.
        result["by_format"] = {
            fmt: {"files": n, "bytes": size, "seconds": round(s, 3), "cpu_seconds": round(c, 3), "pages": pages,
                  "mb_per_s": _rate(size / MB, c), "wall_mb_per_s": _rate(size / MB, s), "files_per_s": _rate(n, c)}
            for fmt, (n, size, s, c, pages) in sorted(_TIMINGS.items())
        }
        result["process_seconds"] = round(sum(t[2] for t in _TIMINGS.values()), 3)
        result["process_cpu_seconds"] = round(sum(t[3] for t in _TIMINGS.values()), 3)
    return result


def profiled_build(corpus: Path, out: Path, prof_file: Path) -> dict[str, Any]:
    """A 1-worker build under cProfile (one process, so every call is seen); stats go to prof_file."""
    import cProfile

    profiler = cProfile.Profile(time.process_time)  # CPU time: the machine may be busy with other work
    profiler.enable()
    result = build(corpus, out, workers=1, timed=True)
    profiler.disable()
    prof_file.parent.mkdir(parents=True, exist_ok=True)
    profiler.dump_stats(prof_file)
    return result | {"prof_file": str(prof_file)}


def _summary(summary: Any) -> dict[str, Any]:
    d = summary.to_dict()
    return {k: d[k] for k in ("files", "documents", "errors", "skipped", "parsed", "reused", "by_format",
                              "errors_by_type", "rows", "problems", "seconds") if k in d}


# --------------------------------------------------------------------------
# child process entry
# --------------------------------------------------------------------------


def cpu_seconds() -> float:
    """CPU time of this process and its reaped children (worker processes), user + system."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _peak_rss_mb() -> dict[str, float]:
    # ru_maxrss is in KiB on Linux; RUSAGE_CHILDREN covers reaped workers (the largest one).
    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"self_peak_rss_mb": round(self_kb / 1024, 1), "children_peak_rss_mb": round(child_kb / 1024, 1)}


PHASES: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "read": lambda a: read_floor(corpus_files(Path(a["corpus"]))),
    "pdfplumber": lambda a: pdfplumber_baseline(corpus_files(Path(a["corpus"]), "pdf", a.get("limit"))),
    "ours_pdf": lambda a: our_pdf_ingest(corpus_files(Path(a["corpus"]), "pdf", a.get("limit"))),
    "ocr": lambda a: ocr_pages(corpus_files(Path(a["corpus"]), "pdf"), int(a.get("pages", 10))),
    "build": lambda a: build(Path(a["corpus"]), Path(a["out"]), int(a["workers"]), bool(a.get("timed")),
                             a.get("timeout"), bool(a.get("force"))),
    "profile": lambda a: profiled_build(Path(a["corpus"]), Path(a["out"]), Path(a["prof_file"])),
}


def main(argv: list[str]) -> int:
    phase, args = argv[0], json.loads(argv[1])
    cpu = cpu_seconds()
    result = PHASES[phase](args)
    result["cpu_seconds"] = round(cpu_seconds() - cpu, 3)
    result.update(_peak_rss_mb())
    sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
