"""Robustness: a folder of good and bad files (tests/badfiles.py).

Two levels: each file's bytes fed to ingest_bytes give a Document or the
expected IngestError; and `build` over the whole folder returns, accounts
for every entry (documents + errors + skipped), gives each bad file its
error row, and leaves the good files' rows exactly as a build of the good
files alone does.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import badfiles
from _shared import CORPUS, need
from badfiles import Case
from planextract.api import build
from planextract.ingest import ingest_bytes
from planextract.ingest.errors import IngestError
from planextract.models import Document

CASES = badfiles.cases(CORPUS)  # two real files first (a missing corpus fails the next test)
AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
# Seconds one file may take in ingest_bytes: everything here is small or refused early.
INGEST_SECONDS = 10


def _ids(c: Case) -> str:
    return c.name


def test_real_corpus_files_are_among_the_cases() -> None:
    need(CORPUS)
    assert sum(c.name.startswith("corpus/") for c in CASES) == 2


# --------------------------------------------------------------------------
# Per file: ingest_bytes
# --------------------------------------------------------------------------


@pytest.mark.parametrize("case", [c for c in CASES if c.data is not None and (c.ingest_error or c.fmt)], ids=_ids)
def test_ingest_bytes(case: Case) -> None:
    assert case.data is not None
    started = time.monotonic()
    if case.ingest_error:
        with pytest.raises(IngestError) as err:
            ingest_bytes(case.data, case.name, case.suffix)
        assert err.value.error_type == case.ingest_error, err.value.message
        assert err.value.message.strip()
    else:
        doc = ingest_bytes(case.data, case.name, case.suffix)
        assert doc.format == case.fmt or (case.fmt == "text" and doc.format == "tika")
        assert doc.text.strip()
    assert time.monotonic() - started < INGEST_SECONDS


def test_misnamed_files_are_read_as_what_they_are_with_a_warning() -> None:
    for name in ("page-saved-as.txt", "pdf-saved-as.txt"):
        case = next(c for c in CASES if c.name == name)
        assert case.data is not None
        doc = ingest_bytes(case.data, case.name, case.suffix)
        assert doc.format == case.fmt
        assert any(f"content is {case.fmt}" in w for w in doc.warnings)


def test_nested_too_deep_page_is_still_read() -> None:
    case = next(c for c in CASES if c.name == "deep.html")
    assert case.data is not None
    doc = ingest_bytes(case.data, case.name, case.suffix)
    assert "到2025年，全县生产总值达到500亿元。" in doc.text


# --------------------------------------------------------------------------
# Properties: never anything but a Document or an IngestError
# --------------------------------------------------------------------------


def _document_or_ingest_error(data: bytes, name: str) -> None:
    try:
        doc = ingest_bytes(data, name, Path(name).suffix)
    except IngestError as err:
        assert err.error_type and err.message
        return
    assert isinstance(doc, Document) and doc.text.strip()


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=4096))
def test_random_bytes_as_txt(data: bytes) -> None:
    _document_or_ingest_error(data, "random.txt")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=2000), st.sampled_from(["utf-8", "utf-16", "gb18030"]))
def test_random_text_as_txt(text: str, encoding: str) -> None:
    _document_or_ingest_error(text.encode(encoding, "ignore"), "random.txt")


@settings(max_examples=100, deadline=None)
@given(st.sampled_from([b"%PDF-1.4\n", b"PK\x03\x04", b"<html><body>", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"]),
       st.binary(max_size=2048))
def test_random_bytes_behind_a_format_signature(head: bytes, tail: bytes) -> None:
    _document_or_ingest_error(head + tail, "random.txt")


# --------------------------------------------------------------------------
# The whole folder: build
# --------------------------------------------------------------------------


def _rows(db: Path, table: str) -> list[dict[str, Any]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
        if table not in tables:
            return []
        cur = con.execute(f"select * from {table}")
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]
    finally:
        con.close()


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A build of every case, and one of the good cases alone."""
    base = tmp_path_factory.mktemp("robustness")
    everything, good_only = base / "in-all", base / "in-good"
    badfiles.write_cases(everything, CASES)
    badfiles.write_cases(good_only, [c for c in CASES if c.good])
    try:
        # In-process first: the forked workers of the second build inherit
        # the loaded rules and dictionaries instead of loading them again.
        good_summary = build(good_only, base / "out-good", workers=1)
        summary = build(everything, base / "out-all", workers=2)
    finally:
        for c in CASES:
            if c.mode is not None:
                os.chmod(everything / c.name, 0o644)
    return {
        "input": everything,
        "summary": summary,
        "good_summary": good_summary,
        "db": Path(summary.db_path),
        "good_db": Path(good_summary.db_path),
    }


@pytest.mark.slow
def test_build_returns_and_writes_outputs(builds: dict[str, Any]) -> None:
    summary = builds["summary"]
    assert builds["db"].is_file()
    out = Path(summary.out_dir)
    assert (out / "documents.parquet").is_file() or any(out.rglob("documents*.parquet"))
    assert summary.documents >= sum(c.good for c in CASES)
    assert summary.files == summary.documents + summary.errors + summary.skipped


def _expected_errors() -> list[Case]:
    found = []
    for c in CASES:
        if c.build_error is None:
            continue
        if c.build_error == "unreadable_file" and AS_ROOT:
            continue  # root reads a chmod 000 file
        found.append(c)
    return found


@pytest.mark.slow
@pytest.mark.parametrize("case", _expected_errors(), ids=_ids)
def test_bad_file_has_one_error_row(builds: dict[str, Any], case: Case) -> None:
    errors = [r for r in _rows(builds["db"], "errors") if r["path"] == case.name]
    assert len(errors) == 1, errors
    row = errors[0]
    assert row["error_type"] == case.build_error, row
    assert bool(row["skipped"]) == case.skipped, row
    assert row["message"].strip()
    assert not [r for r in _rows(builds["db"], "documents") if r["path"] == case.name]


@pytest.mark.slow
@pytest.mark.parametrize("case", [c for c in CASES if c.good], ids=_ids)
def test_good_file_is_a_document(builds: dict[str, Any], case: Case) -> None:
    docs = [r for r in _rows(builds["db"], "documents") if r["path"] == case.name]
    assert len(docs) == 1
    assert docs[0]["format"] == case.fmt or (case.fmt == "text" and docs[0]["format"] == "tika")


def _entries(root: Path) -> set[str]:
    """Every file, symlink and symlinked folder below root, as build should see them."""
    found = set()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(dirpath)
        for name in filenames + [d for d in dirnames if (here / d).is_symlink()]:
            found.add((here / name).relative_to(root).as_posix())
    return found


@pytest.mark.slow
def test_every_entry_is_accounted_for(builds: dict[str, Any]) -> None:
    docs = [r["path"] for r in _rows(builds["db"], "documents")]
    errors = [r["path"] for r in _rows(builds["db"], "errors")]
    assert len(docs) == len(set(docs)) and len(errors) == len(set(errors))
    assert not set(docs) & set(errors)
    assert _entries(builds["input"]) == set(docs) | set(errors)
    assert builds["summary"].files == len(docs) + len(errors)
    # The symlinked folder was not followed: nothing was read twice through it.
    assert not [p for p in docs if p.startswith("sub/loop/")]


@pytest.mark.slow
def test_long_line_file_is_accounted_for(builds: dict[str, Any]) -> None:
    docs = [r for r in _rows(builds["db"], "documents") if r["path"] == "long-line.txt"]
    errors = [r for r in _rows(builds["db"], "errors") if r["path"] == "long-line.txt"]
    assert len(docs) + len(errors) == 1
    if errors:  # a time limit in extraction is acceptable, a crash is not
        assert errors[0]["error_type"] == "timeout", errors[0]


def _canonical(rows: list[dict[str, Any]]) -> list[str]:
    return sorted(json.dumps(r, sort_keys=True, ensure_ascii=False, default=str) for r in rows)


def _good_rows(db: Path, table: str, good_paths: set[str]) -> list[dict[str, Any]]:
    """The rows of `table` that belong to the good files' documents."""
    docs = [r for r in _rows(db, "documents") if r["path"] in good_paths]
    if table == "documents":
        return docs
    ids = {r["doc_id"] for r in docs}
    if table in ("target_agencies", "task_agencies"):
        parent, key = ("targets", "target_id") if table == "target_agencies" else ("tasks", "task_id")
        keys = {r[key] for r in _rows(db, parent) if r["doc_id"] in ids}
        return [r for r in _rows(db, table) if r[key] in keys]
    return [r for r in _rows(db, table) if r["doc_id"] in ids]


@pytest.mark.slow
@pytest.mark.parametrize("table", ["documents", "blocks", "targets", "projects", "tasks",
                                   "target_agencies", "task_agencies"])
def test_good_rows_do_not_depend_on_bad_neighbours(builds: dict[str, Any], table: str) -> None:
    good_paths = {c.name for c in CASES if c.good}
    assert {r["path"] for r in _rows(builds["good_db"], "documents")} == good_paths
    with_bad = _good_rows(builds["db"], table, good_paths)
    alone = _good_rows(builds["good_db"], table, good_paths)
    assert _canonical(with_bad) == _canonical(alone)


@pytest.mark.slow
def test_good_files_agencies_survive_bad_neighbours(builds: dict[str, Any]) -> None:
    alone = {r["agency_id"] for r in _rows(builds["good_db"], "agencies")}
    assert alone <= {r["agency_id"] for r in _rows(builds["db"], "agencies")}
