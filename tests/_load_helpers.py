"""Shared by the load/build/release/CLI tests: fast stand-in processors and small corpora.

The stand-ins are module-level functions so worker processes can unpickle
them. `ingest_only` runs the real ingesters but no extractors, so build
tests do not depend on extraction work in progress and stay fast.
"""

from __future__ import annotations

import os
import shutil
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from _shared import CORPUS, need
from planextract.api import relative
from planextract.extract import block_records
from planextract.ingest import ingest_bytes
from planextract.ingest.errors import IngestError
from planextract.models import DocumentMeta, ErrorRecord, FileResult



def copy_corpus(dest: Path) -> Path:
    shutil.copytree(need(CORPUS), dest)
    for p in dest.rglob("*"):
        p.chmod(0o644 if p.is_file() else 0o755)  # the shared copy is read-only
    dest.chmod(0o755)
    return dest


@pytest.fixture(scope="module", autouse=True)
def fixed_code_fingerprint() -> Iterator[None]:
    """Pins the cache key's code hash: an extractor edited while tests run must not invalidate a test's cache."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("planextract.load.store.code_fingerprint", lambda: "tests")
        yield


def ingest_only(path: Path, root: Path) -> FileResult:
    rel = relative(path, root)
    try:
        doc = ingest_bytes(path.read_bytes(), rel, path.suffix)
    except IngestError as exc:
        return FileResult(path=rel, error=ErrorRecord(path=rel, stage=exc.stage, error_type=exc.error_type,
                                                      message=exc.message))
    meta = DocumentMeta(doc_id=doc.doc_id, path=rel, format=doc.format, encoding=doc.encoding, size=doc.size,
                        sha256=doc.sha256, n_blocks=len(doc.blocks))
    return FileResult(path=rel, sha256=doc.sha256, document=meta, blocks=block_records(doc))


def misbehaving(path: Path, root: Path) -> FileResult:
    """Hangs on files named slow*, kills its own process on crash*, else ingest_only."""
    if path.name.startswith("slow"):
        time.sleep(30)
    if path.name.startswith("crash"):
        os.kill(os.getpid(), signal.SIGKILL)
    return ingest_only(path, root)


def write_doc(path: Path, title: str, n: int = 3) -> Path:
    """A small policy-like text document."""
    body = [title, "一、总体要求"]
    body += [f"（{'一二三四五六七八九十'[i % 10]}）第{i + 1}项任务。到2025年，完成投资{10 + i}亿元。" for i in range(n)]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(body) + "\n", encoding="utf-8")
    return path
