"""api.build: discovery accounting, worker isolation, incremental and atomic outputs."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

import planextract
from _load_helpers import fixed_code_fingerprint  # noqa: F401 (autouse: pins the cache key)
from _load_helpers import copy_corpus, ingest_only, misbehaving, write_doc
from _shared import CORPUS, need
from planextract import api, rules
from planextract.load import store
from planextract.load.store import DB_NAME, PAUSE_ENV, build_lock, output_files, read_manifest
from planextract.load.tables import SPECS, TABLE_NAMES




def _digests(out: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in output_files(out)}


def _errors(out: Path) -> dict[str, tuple[str, bool]]:
    con = duckdb.connect(str(out / DB_NAME), read_only=True)
    rows = con.execute("SELECT path, error_type, skipped FROM errors").fetchall()
    con.close()
    return {path: (kind, skipped) for path, kind, skipped in rows}


def _paths(out: Path) -> list[str]:
    return pq.read_table(out / "documents.parquet", columns=["path"]).column("path").to_pylist()


def test_build_real_corpus_then_query_every_table(tmp_path: Path) -> None:
    corpus = need(CORPUS)
    s = api.build(corpus, tmp_path / "out", workers=1)
    n_files = sum(1 for p in corpus.rglob("*") if p.is_file())
    assert s.files == n_files == s.documents + s.errors + s.skipped
    assert s.documents > 0 and s.rows["blocks"] > 0 and s.parsed == n_files and s.reused == 0
    con = duckdb.connect(str(tmp_path / "out" / DB_NAME), read_only=True)
    for name in TABLE_NAMES:
        (n,) = con.execute(f"SELECT count(*) FROM {name}").fetchone()
        table = pq.read_table(tmp_path / "out" / f"{name}.parquet")
        assert table.schema.equals(SPECS[name].arrow_schema), name
        assert n == table.num_rows == s.rows[name], name
    paths = [r[0] for r in con.execute("SELECT path FROM documents").fetchall()]
    assert paths == sorted(paths)
    (orphans,) = con.execute("SELECT count(*) FROM blocks WHERE doc_id NOT IN (SELECT doc_id FROM documents)").fetchone()
    assert orphans == 0


def test_discovery_accounts_for_every_entry(tmp_path: Path) -> None:
    src = tmp_path / "in"
    a = write_doc(src / "a.txt", "甲县发展规划")
    write_doc(src / "sub" / "b.txt", "乙县工作要点")
    (src / "dup.txt").write_bytes(a.read_bytes())
    (src / ".hidden.txt").write_text("x")
    (src / ".git").mkdir()
    (src / ".git" / "config").write_text("x")
    (src / "~$a.docx").write_bytes(b"lock")
    (src / "sheet.xlsx").write_bytes(b"PK")
    (src / "empty.txt").write_bytes(b"")
    (src / "big.txt").write_bytes(b"x" * 3 * 2**20)
    (src / "loop").symlink_to(src, target_is_directory=True)
    (src / "zlink.txt").symlink_to(a)
    (src / "broken.txt").symlink_to(src / "nowhere.txt")
    os.mkfifo(src / "pipe.txt")  # reading it would block forever

    s = api.build(src, tmp_path / "out", workers=1, max_size=2 * 2**20, processor=ingest_only)

    errors = _errors(tmp_path / "out")
    assert errors == {
        ".git": ("hidden_directory", True),
        ".hidden.txt": ("hidden_file", True),
        "~$a.docx": ("hidden_file", True),
        "sheet.xlsx": ("unsupported_extension", True),
        "dup.txt": ("duplicate_content", True),
        "zlink.txt": ("duplicate_content", True),
        "big.txt": ("too_large", True),
        "loop": ("symlink_directory", True),
        "broken.txt": ("broken_symlink", False),
        "pipe.txt": ("not_regular_file", True),
        "empty.txt": ("empty_file", False),
    }
    assert _paths(tmp_path / "out") == ["a.txt", "sub/b.txt"]
    assert (s.files, s.documents, s.errors, s.skipped) == (13, 2, 2, 9)
    assert s.files == s.documents + s.errors + s.skipped


def test_rebuild_reuses_results_and_writes_identical_parquet(tmp_path: Path) -> None:
    src, out = copy_corpus(tmp_path / "in"), tmp_path / "out"
    first = api.build(src, out, workers=2, processor=ingest_only)
    before = _digests(out)
    second = api.build(src, out, workers=2, processor=ingest_only)
    assert (first.parsed, first.reused) == (first.documents, 0)
    assert (second.parsed, second.reused) == (0, first.documents)
    after = _digests(out)
    assert {k: v for k, v in after.items() if k.endswith(".parquet")} == {
        k: v for k, v in before.items() if k.endswith(".parquet")
    }


def test_only_changed_files_are_reparsed_and_removed_files_vanish(tmp_path: Path) -> None:
    src, out = copy_corpus(tmp_path / "in"), tmp_path / "out"
    api.build(src, out, workers=1, processor=ingest_only)
    files = sorted(p for p in src.iterdir())
    changed, removed = files[0], files[1]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n到2030年，新增企业10家。\n", encoding="utf-8")
    removed.unlink()

    s = api.build(src, out, workers=1, processor=ingest_only)
    assert (s.parsed, s.reused) == (1, len(files) - 2)
    assert removed.name not in _paths(out) and changed.name in _paths(out)
    con = duckdb.connect(str(out / DB_NAME), read_only=True)
    (n,) = con.execute("SELECT count(*) FROM blocks WHERE text LIKE '%新增企业10家%'").fetchone()
    assert n == 1
    cache = next((store.state_dir(out) / store.CACHE_DIR).glob("v*"))
    assert len(list(cache.iterdir())) == len(files) - 1  # the removed file's result is gone too


def test_new_pipeline_version_or_rules_reextract_everything(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src, out = copy_corpus(tmp_path / "in"), tmp_path / "out"
    n = api.build(src, out, workers=1, processor=ingest_only).parsed
    monkeypatch.setattr(planextract, "PIPELINE_VERSION", planextract.PIPELINE_VERSION + "-test")
    assert api.build(src, out, workers=1, processor=ingest_only).parsed == n
    assert api.build(src, out, workers=1, processor=ingest_only).parsed == 0

    overlay = tmp_path / "rules"
    overlay.mkdir()
    shipped = rules.path("targets.toml").read_text(encoding="utf-8")
    (overlay / "targets.toml").write_text(shipped + "\n# a user's copy, edited\n", encoding="utf-8")
    monkeypatch.setenv("PLANEXTRACT_RULES", str(overlay))
    assert api.build(src, out, workers=1, processor=ingest_only).parsed == n
    assert len(list((store.state_dir(out) / store.CACHE_DIR).glob("v*"))) == 1  # older caches are dropped


@pytest.mark.parametrize("workers", [1, 2])
def test_a_hanging_file_times_out_and_the_build_goes_on(tmp_path: Path, workers: int) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    write_doc(src / "a.txt", "甲县规划")
    write_doc(src / "slow.txt", "乙县规划")
    started = time.monotonic()
    s = api.build(src, out, workers=workers, timeout=1, processor=misbehaving)
    assert time.monotonic() - started < 15
    assert _errors(out) == {"slow.txt": ("timeout", False)}
    assert _paths(out) == ["a.txt"] and (s.documents, s.errors) == (1, 1)
    # A timeout is not cached: the next build tries the file again.
    assert api.build(src, out, workers=workers, processor=ingest_only).parsed == 1
    assert _paths(out) == ["a.txt", "slow.txt"]


def test_a_crashing_worker_becomes_an_error_row(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    for name in ("a.txt", "crash.txt", "z.txt"):
        write_doc(src / name, f"{name} 规划")
    s = api.build(src, out, workers=2, processor=misbehaving)
    assert _errors(out) == {"crash.txt": ("worker_crashed", False)}
    assert _paths(out) == ["a.txt", "z.txt"] and s.files == s.documents + s.errors


def test_process_file_never_raises(tmp_path: Path) -> None:
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02" * 100)
    (tmp_path / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    (tmp_path / "folder.txt").mkdir()
    for name, kind in (("bin.txt", "binary_file"), ("old.doc", "legacy_doc"), ("folder.txt", "not_regular_file")):
        r = api.process_file(tmp_path / name, tmp_path)
        assert r.document is None and r.error is not None and r.error.error_type == kind, r.error


def test_output_folder_inside_the_input_is_not_read(tmp_path: Path) -> None:
    write_doc(tmp_path / "a.txt", "甲县规划")
    api.build(tmp_path, tmp_path / "out", workers=1, processor=ingest_only)
    s = api.build(tmp_path, tmp_path / "out", workers=1, processor=ingest_only)
    assert (s.files, s.documents, s.reused) == (1, 1, 1)


def test_kill_during_write_leaves_previous_outputs_whole(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    for i in range(20):
        write_doc(src / f"d{i:02d}.txt", f"第{i}县发展规划", n=10)
    api.build(src, out, workers=1, processor=ingest_only)
    before = _digests(out)
    for i in range(20, 23):  # new files, so the killed build has something new to write
        write_doc(src / f"d{i:02d}.txt", f"第{i}县发展规划", n=10)

    cli = Path(sys.executable).with_name("planextract")
    proc = subprocess.Popen(
        [str(cli), "build", str(src), "--out", str(out), "--workers", "1", "--quiet"],
        env={**os.environ, PAUSE_ENV: "60"}, stderr=subprocess.PIPE, text=True,
    )
    try:
        line = proc.stderr.readline()  # printed once everything is staged, just before the swap
        assert line.startswith("planextract: staged"), line
        assert any(store.state_dir(out).glob(store.GENERATION_PREFIX + "*/" + DB_NAME))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        proc.kill()

    assert _digests(out) == before
    con = duckdb.connect(str(out / DB_NAME), read_only=True)
    assert con.execute("SELECT count(*) FROM documents").fetchone() == (20,)
    con.close()
    for name in TABLE_NAMES:
        pq.read_table(out / f"{name}.parquet")
    # The next build clears the leftover staging folder and writes the new files.
    s = api.build(src, out, workers=1, processor=ingest_only)
    assert s.documents == 23 and list(store.state_dir(out).glob(store.GENERATION_PREFIX + "*")) == [store.current_generation(out)]


def test_a_damaged_cache_entry_is_reported_then_reparsed(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    write_doc(src / "a.txt", "甲县规划")
    api.build(src, out, workers=1, processor=ingest_only)
    (entry,) = next((store.state_dir(out) / store.CACHE_DIR).glob("v*")).iterdir()
    entry.write_bytes(b"not gzip")
    api.build(src, out, workers=1, processor=ingest_only)
    assert _errors(out) == {"a.txt": ("cache_unreadable", False)}
    assert api.build(src, out, workers=1, processor=ingest_only).parsed == 1
    assert _paths(out) == ["a.txt"]


def test_two_builds_cannot_write_the_same_folder(tmp_path: Path) -> None:
    write_doc(tmp_path / "in" / "a.txt", "甲县规划")
    (tmp_path / "out").mkdir()
    with build_lock(tmp_path / "out"), pytest.raises(api.BuildError, match="another build"):
        api.build(tmp_path / "in", tmp_path / "out", workers=1, processor=ingest_only)


# --------------------------------------------------------------------------
# no-op and partial rebuilds
# --------------------------------------------------------------------------


def _stamps(out: Path) -> dict[str, tuple[int, int]]:
    """(inode, mtime) of every output: unchanged only if no build replaced the file."""
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in output_files(out)}


def _count_writes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = store.write_dataset

    def spy(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(store, "write_dataset", spy)
    return calls


_SUMMARY_FIELDS = ("files", "documents", "errors", "skipped", "by_format", "errors_by_type", "rows", "problems")


def test_a_noop_rebuild_writes_nothing_and_reports_the_last_summary(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    src, out = copy_corpus(tmp_path / "in"), tmp_path / "out"
    (src / "sheet.xlsx").write_bytes(b"PK")  # skipped entries count too
    (src / "empty.txt").write_bytes(b"")  # and errors
    first = api.build(src, out, workers=1, processor=ingest_only)
    before, writes = _stamps(out), _count_writes(monkeypatch)

    again = api.build(src, out, workers=2, processor=ingest_only)
    assert writes == [] and _stamps(out) == before
    assert (again.parsed, again.reused) == (0, first.documents + first.errors)  # a failed read is cached too
    assert {k: getattr(again, k) for k in _SUMMARY_FIELDS} == {k: getattr(first, k) for k in _SUMMARY_FIELDS}
    assert first.skipped == 1 and first.errors == 1


Change = Callable[[Path, Path, pytest.MonkeyPatch], None]  # (input folder, output folder, monkeypatch)


def _damage_parquet(src: Path, out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with (out / "blocks.parquet").open("ab") as fh:
        fh.write(b"\0")


def _same_size_other_bytes(src: Path, out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = out / DB_NAME
    data = bytearray(db.read_bytes())
    data[-1] ^= 0xFF
    db.write_bytes(bytes(data))


def _remove_db(src: Path, out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (store.build_folder(out) / DB_NAME).unlink()  # the file itself, not the link to it


def _new_writer(src: Path, out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store, "writer_fingerprint", lambda: "another-writer")


def _new_skipped_file(src: Path, out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (src / "notes.xlsx").write_bytes(b"PK")


def _damaged_cache_entry(src: Path, out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    entry = sorted(next((store.state_dir(out) / store.CACHE_DIR).glob("v*")).iterdir())[0]
    entry.write_bytes(entry.read_bytes()[:-1])


@pytest.mark.parametrize(
    "change",
    [_damage_parquet, _same_size_other_bytes, _remove_db, _new_writer, _new_skipped_file, _damaged_cache_entry],
)
def test_anything_changed_since_the_last_build_means_a_rewrite(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               change: Change) -> None:
    src, out = copy_corpus(tmp_path / "in"), tmp_path / "out"
    api.build(src, out, workers=1, processor=ingest_only)
    before = _digests(out)
    change(src, out, monkeypatch)
    writes = _count_writes(monkeypatch)
    s = api.build(src, out, workers=1, processor=ingest_only)
    assert writes == [1] and s.parsed == 0
    assert store.outputs_intact(out, read_manifest(out)["outputs"])
    if change in (_damage_parquet, _remove_db, _new_writer):  # the same rows again: the same Parquet bytes
        assert {k: v for k, v in _digests(out).items() if k.endswith(".parquet")} == {
            k: v for k, v in before.items() if k.endswith(".parquet")
        }


def test_a_touched_file_keeps_the_outputs_and_is_not_hashed_again(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    src, out = copy_corpus(tmp_path / "in"), tmp_path / "out"
    api.build(src, out, workers=1, processor=ingest_only)
    touched = sorted(src.iterdir())[0]
    later = touched.stat().st_mtime_ns + 10**9
    os.utime(touched, ns=(later, later))
    writes = _count_writes(monkeypatch)
    assert api.build(src, out, workers=1, processor=ingest_only).parsed == 0
    assert writes == []
    assert read_manifest(out)["files"][touched.name]["mtime_ns"] == later


def _db_rows(out: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(out / DB_NAME), read_only=True)
    try:
        return {name: con.execute(f"SELECT * FROM {name}").fetchall() for name in TABLE_NAMES}
    finally:
        con.close()


def test_a_partial_rebuild_writes_what_a_fresh_build_writes(tmp_path: Path) -> None:
    src, out = copy_corpus(tmp_path / "in"), tmp_path / "out"
    for i in range(3):
        write_doc(src / "extra" / f"d{i}.txt", f"第{i}县发展规划", n=5)
    api.build(src, out, workers=2, processor=ingest_only)
    files = sorted(p for p in src.iterdir() if p.is_file())
    files[0].write_text(files[0].read_text(encoding="utf-8") + "\n到2030年，新增企业10家。\n", encoding="utf-8")
    files[1].unlink()
    write_doc(src / "extra" / "new.txt", "新县发展规划")
    (src / "extra" / "d1.txt").unlink()

    partial = api.build(src, out, workers=2, processor=ingest_only)
    fresh = api.build(src, tmp_path / "fresh", workers=1, processor=ingest_only)
    assert (partial.parsed, fresh.parsed) == (2, fresh.files)
    assert {k: getattr(partial, k) for k in _SUMMARY_FIELDS} == {k: getattr(fresh, k) for k in _SUMMARY_FIELDS}
    digests, fresh_digests = _digests(out), _digests(tmp_path / "fresh")
    assert {k: v for k, v in digests.items() if k.endswith(".parquet")} == {
        k: v for k, v in fresh_digests.items() if k.endswith(".parquet")
    }
    assert _db_rows(out) == _db_rows(tmp_path / "fresh")



def test_file_names_that_are_not_utf8_are_read(tmp_path: Path) -> None:
    """A GBK-named file (bytes that are no UTF-8) is read and its name stored as text."""
    src = tmp_path / "in"
    src.mkdir()
    gbk_name = "规划.txt".encode("gbk")
    bad_name = b"\xff\xfe-plan.txt"
    for raw in (gbk_name, bad_name):
        with open(os.path.join(os.fsencode(src), raw), "wb") as fh:
            fh.write("到2025年，规上工业增加值突破200亿元。".encode())
    summary = api.build(src, tmp_path / "out", workers=1)
    assert summary.documents == 1 and summary.skipped == 1  # the second is a duplicate of the first
    con = duckdb.connect(str(tmp_path / "out" / "planextract.duckdb"), read_only=True)
    paths = {r[0] for r in con.execute("select path from documents union all select path from errors").fetchall()}
    assert paths == {"规划.txt", "\\xff\\xfe-plan.txt"}  # bad bytes escaped: two such names stay distinct


def test_workers_fork_from_a_parent_without_the_database_libraries() -> None:
    """DuckDB and Parquet are the writer's: importing the CLI, the API and the pool must not load them,
    or every forked worker would carry them (RSS counts them once per process)."""
    code = (
        "import sys, planextract.cli, planextract.api, planextract.pool;"
        "print(sorted(m for m in ('duckdb', 'pyarrow.parquet') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_workers_fork_from_a_frozen_heap_and_the_build_unfreezes_it(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """gc.freeze() before the workers fork (their collector then leaves the parent's pages alone);
    the caller's process gets its collector back as it was."""
    import gc

    from planextract import pool

    seen: list[int] = []
    real = pool.ProcessPool

    def spy(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        seen.append(gc.get_freeze_count())
        return real(*args, **kwargs)

    monkeypatch.setattr(pool, "ProcessPool", spy)
    src, out = tmp_path / "in", tmp_path / "out"
    for i in range(3):
        write_doc(src / f"d{i}.txt", f"第{i}县发展规划")
    api.build(src, out, workers=2, processor=ingest_only)
    assert seen and seen[0] > 0
    assert gc.get_freeze_count() == 0


def test_warm_up_reaches_every_extractor() -> None:
    """The warm-up plan runs end to end, so forked workers find every lazy table already built."""
    from planextract.extract import _WARM_UP_TEXT, extract_document
    from planextract.ingest import ingest_bytes

    result = extract_document(ingest_bytes(_WARM_UP_TEXT.encode("gb18030"), "warm-up.txt", ".txt"))
    assert result.document is not None and result.document.region == "桐庐县"
    assert result.targets and result.tasks and result.projects and result.agencies
    assert any(t.source == "text" for t in result.targets)


def test_a_database_error_fails_the_write_and_keeps_the_previous_outputs(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    for i in range(5):
        write_doc(src / f"d{i}.txt", f"第{i}县发展规划")
    api.build(src, out, workers=1, processor=ingest_only)
    before = _digests(out)
    write_doc(src / "d9.txt", "第9县发展规划")
    monkeypatch.setattr(store, "ddl", lambda: "CREATE TABLE broken (")
    with pytest.raises(Exception, match="(?i)syntax|parser"):
        api.build(src, out, workers=1, processor=ingest_only)
    assert _digests(out) == before
    assert list(store.state_dir(out).glob(store.GENERATION_PREFIX + "*")) == [store.current_generation(out)]


def test_block_text_is_stored_with_zstd(tmp_path: Path) -> None:
    """Long prose: zstd, not DuckDB's default string compression (slower to write, twice the size)."""
    src, out = tmp_path / "in", tmp_path / "out"
    for i in range(3):
        write_doc(src / f"d{i}.txt", f"第{i}县发展规划\n" + "到2025年，全县规模以上工业增加值年均增长8%以上。\n" * 50)
    api.build(src, out, workers=1, processor=ingest_only)
    with duckdb.connect(str(out / DB_NAME), read_only=True) as con:
        methods = {r[0] for r in con.execute(
            "SELECT DISTINCT compression FROM pragma_storage_info('blocks') "
            "WHERE column_name = 'text' AND segment_type = 'VARCHAR'").fetchall()}
        assert methods == {"ZSTD"}
        assert con.execute("SELECT count(*) FROM blocks WHERE text LIKE '%年均增长8%'").fetchone()[0] == 150
