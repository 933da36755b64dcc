"""Issue 12, points 1, 3 and 6: a build reads only its input, never clobbers a folder, and discovery never crashes."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

import hostile
from _load_helpers import fixed_code_fingerprint  # noqa: F401 (autouse: pins the cache key)
from _load_helpers import ingest_only, write_doc
from planextract import api
from planextract.cli import app
from planextract.load import store


def _rows(out: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(out / store.DB_NAME), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _errors(out: Path) -> dict[str, str]:
    return dict(_rows(out, "SELECT path, error_type FROM errors"))


def _documents(out: Path) -> list[str]:
    return [p for (p,) in _rows(out, "SELECT path FROM documents ORDER BY path")]


# --------------------------------------------------------------------------
# 1. only the input folder is read
# --------------------------------------------------------------------------


def test_links_out_of_the_input_folder_are_refused_and_links_inside_are_read(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    write_doc(src / "plan.txt", "甲县发展规划")
    outside = write_doc(tmp_path / "secret.txt", "外部文件 SECRET-TOKEN")
    os.symlink(outside, src / "secret-link.txt")
    os.symlink("/proc/self/environ", src / "environ.txt")
    os.symlink("/etc/hostname", src / "hostname.txt")
    os.symlink("../secret.txt", src / "relative-out.txt")
    (src / "sub").mkdir()
    os.symlink("../plan.txt", src / "sub" / "inside.txt")  # a link inside the input folder is read

    s = api.build(src, out, workers=1)
    errors = _errors(out)
    for name in ("secret-link.txt", "environ.txt", "hostname.txt", "relative-out.txt"):
        assert errors[name] == "symlink_outside_input", name
    assert errors["sub/inside.txt"] == "duplicate_content"  # read, and found to be plan.txt again
    assert _documents(out) == ["plan.txt"]
    (leaks,) = _rows(out, "SELECT count(*) FROM blocks WHERE text LIKE '%SECRET-TOKEN%' OR text LIKE '%PATH=%'")[0]
    assert leaks == 0 and s.files == 6


def test_a_link_inside_the_input_to_another_name_is_a_document_under_its_own_name(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    write_doc(src / "real" / "plan.txt", "甲县发展规划")
    (src / "real" / "plan.txt").rename(src / "real" / ".plan.txt")  # hidden: read only through the link
    os.symlink("real/.plan.txt", src / "visible.txt")
    api.build(src, out, workers=1, processor=ingest_only)
    assert _documents(out) == ["visible.txt"]


def test_special_files_are_never_opened(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    write_doc(src / "plan.txt", "甲县发展规划")
    os.mkfifo(src / "pipe.txt")
    with hostile.unix_socket(src / "sock.txt"):
        api.build(src, out, workers=1, processor=ingest_only)  # a FIFO opened for reading would hang here
    errors = _errors(out)
    assert errors["pipe.txt"] == errors["sock.txt"] == "not_regular_file"


def test_a_file_swapped_for_a_link_after_discovery_is_not_followed(tmp_path: Path) -> None:
    write_doc(tmp_path / "plan.txt", "甲县发展规划")
    os.symlink("/etc/hostname", tmp_path / "swapped.txt")
    result = api.process_file(tmp_path / "swapped.txt", tmp_path)  # as if discovery had seen a plain file
    assert result.document is None and result.error is not None
    assert result.error.error_type == "unreadable_file"


@pytest.mark.parametrize("folder", ["/proc/self", "/sys/kernel"])
def test_a_system_folder_is_no_input(tmp_path: Path, folder: str) -> None:
    with pytest.raises(api.BuildError, match="system folder"):
        api.build(Path(folder), tmp_path / "out", workers=1)
    assert not (tmp_path / "out").exists()


# --------------------------------------------------------------------------
# 3. output folders are never clobbered
# --------------------------------------------------------------------------


def test_a_foreign_folder_is_refused_with_exit_2_and_left_alone(tmp_path: Path) -> None:
    write_doc(tmp_path / "in" / "a.txt", "甲县发展规划")
    home = tmp_path / "home"
    (home / ".cache" / "pip").mkdir(parents=True)
    (home / ".cache" / "pip" / "wheel").write_bytes(b"keep me")
    (home / ".staging-mine").mkdir()
    (home / "targets.parquet").write_bytes(b"my own file")
    before = sorted(p.relative_to(home) for p in home.rglob("*"))

    result = CliRunner().invoke(app, ["build", str(tmp_path / "in"), "--out", str(home), "--workers", "1", "-q"])
    said = " ".join(result.output.split())  # the console wraps long lines
    assert result.exit_code == 2
    assert "not made by planextract" in said and "--force" in said
    assert sorted(p.relative_to(home) for p in home.rglob("*")) == before
    assert (home / "targets.parquet").read_bytes() == b"my own file"


def test_force_writes_into_a_foreign_folder_and_deletes_nothing_of_its_own(tmp_path: Path) -> None:
    write_doc(tmp_path / "in" / "a.txt", "甲县发展规划")
    home = tmp_path / "home"
    (home / ".cache" / "pip").mkdir(parents=True)
    (home / ".cache" / "pip" / "wheel").write_bytes(b"keep me")
    (home / ".staging-mine").mkdir()
    (home / "notes.txt").write_text("mine")
    for _ in range(2):  # the second build prunes its own cache: nothing else
        api.build(tmp_path / "in", home, workers=1, processor=ingest_only, force=True)
    assert (home / ".cache" / "pip" / "wheel").read_bytes() == b"keep me"
    assert (home / ".staging-mine").is_dir() and (home / "notes.txt").read_text() == "mine"
    assert _documents(home) == ["a.txt"]
    assert store.marker(home)["tool"] == "planextract"


def test_a_new_or_empty_folder_is_marked_and_then_reused(tmp_path: Path) -> None:
    write_doc(tmp_path / "in" / "a.txt", "甲县发展规划")
    (tmp_path / "empty").mkdir()
    (tmp_path / "kept").mkdir()
    (tmp_path / "kept" / ".gitkeep").write_bytes(b"")  # a placeholder: the folder counts as empty
    for out in (tmp_path / "new", tmp_path / "empty", tmp_path / "kept"):
        api.build(tmp_path / "in", out, workers=1, processor=ingest_only)
        marker = store.marker(out)
        assert marker is not None and marker["version"]
        write_doc(tmp_path / "in" / "b.txt", "乙县发展规划")
        assert api.build(tmp_path / "in", out, workers=1, processor=ingest_only).documents == 2
        (tmp_path / "in" / "b.txt").unlink()


def test_a_link_into_the_output_folder_is_not_followed(tmp_path: Path) -> None:
    write_doc(tmp_path / "a.txt", "甲县规划")
    api.build(tmp_path, tmp_path / "out", workers=1, processor=ingest_only)
    os.symlink("out/.planextract/current/manifest.json", tmp_path / "manifest.txt")
    api.build(tmp_path, tmp_path / "out", workers=1, processor=ingest_only)
    assert _errors(tmp_path / "out") == {"manifest.txt": "symlink_outside_input"}


@pytest.mark.parametrize("where", ["out", "nested/out", "."])
def test_an_output_folder_inside_the_input_or_equal_to_it_is_never_read(tmp_path: Path, where: str) -> None:
    write_doc(tmp_path / "a.txt", "甲县规划")
    for _ in range(2):
        s = api.build(tmp_path, tmp_path / where, workers=1, processor=ingest_only, force=True)
        assert (s.files, s.documents, s.skipped, s.errors) == (1, 1, 0, 0)


# --------------------------------------------------------------------------
# 6. discovery never crashes
# --------------------------------------------------------------------------


def test_a_tree_1200_levels_deep_is_read(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    write_doc(src / "top.txt", "甲县规划")
    try:
        hostile.deep_tree(src, 1200, hostile.PLAN.encode())
        s = api.build(src, tmp_path / "out", workers=1, processor=ingest_only)
        deep = "d/" * 1200 + "leaf.txt"
        assert s.documents == 2 and s.errors == 0
        assert _documents(tmp_path / "out") == sorted([deep, "top.txt"])
    finally:
        hostile.remove_tree(src / "d")


def test_a_path_longer_than_path_max_is_an_error_row_and_the_build_goes_on(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    write_doc(src / "top.txt", "甲县规划")
    try:
        hostile.long_path_tree(src, 4200, hostile.PLAN.encode())
        s = api.build(src, out, workers=1, processor=ingest_only)
        assert s.documents == 1 and s.errors == 1
        ((path, kind, message),) = _rows(out, "SELECT path, error_type, message FROM errors")
        assert kind == "path_too_long" and "longer than the system allows" in message
        assert len(os.fsencode(os.path.join(src, path))) >= 4096
    finally:
        hostile.remove_tree(src / ("长" * 66 + "x"))


def test_names_that_are_no_utf8_stay_distinct(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    hostile.bad_utf8_names(src, hostile.PLAN.encode())
    api.build(src, out, workers=1, processor=ingest_only)
    assert _documents(out) == ["\\xfe-x.txt", "\\xff-x.txt"]


def test_a_gbk_name_beside_the_same_name_in_utf8_stays_distinct(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    for raw, n in (("规划.txt".encode("gbk"), 1), ("规划.txt".encode(), 2)):
        with open(os.path.join(os.fsencode(src), raw), "wb") as fh:
            fh.write(f"{hostile.PLAN}第{n}份\n".encode())
    api.build(src, out, workers=1, processor=ingest_only)
    # The GBK name, which decodes to the same text, is shown escaped: UTF-8 where its bytes are UTF-8, \\xNN elsewhere.
    assert sorted(_documents(out)) == sorted(["规划.txt", "规划.txt".encode("gbk").decode("utf-8", "backslashreplace")])
