"""Issue 12, point 4: one atomic commit for the whole output set.

A fault is injected at every os.replace / os.rename a build makes (the k-th
call raises, or the process ends there with os._exit), for every k: the
outputs a reader opens (OUT/planextract.duckdb and OUT/<table>.parquet) are
then all those of the previous build or all those of the new one, never a
mix, and the next build succeeds.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from _load_helpers import fixed_code_fingerprint  # noqa: F401 (autouse: pins the cache key)
from _load_helpers import ingest_only, write_doc
from planextract import api
from planextract.load import store
from planextract.load.tables import TABLE_NAMES

TESTS = Path(__file__).resolve().parent


class Injected(OSError):
    pass


def _signature(out: Path) -> dict[str, list[str]] | None:
    """Every output's rows as a reader sees them through OUT; None when there are no outputs at all."""
    if not any(os.path.exists(p) for p in store.output_files(out)):
        return None
    sig: dict[str, list[str]] = {}
    for name in TABLE_NAMES:
        rows = pq.read_table(out / f"{name}.parquet").to_pylist()
        sig[f"{name}.parquet"] = sorted(json.dumps(r, sort_keys=True, default=str) for r in rows)
    con = duckdb.connect(str(out / store.DB_NAME), read_only=True)
    try:
        for name in TABLE_NAMES:
            cur = con.execute(f"SELECT * FROM {name}")
            cols = [c[0] for c in cur.description]
            sig[f"db.{name}"] = sorted(json.dumps(dict(zip(cols, r)), sort_keys=True, default=str)
                                       for r in cur.fetchall())
    finally:
        con.close()
    # The parquet files and the database agree: they are one build's.
    for name in TABLE_NAMES:
        assert sig[f"{name}.parquet"] == sig[f"db.{name}"], f"{name}: Parquet and DuckDB from different builds"
    return sig


def _inputs(src: Path, generation: int) -> None:
    """The input of the old build (0) and of the new one (1): a file added, one changed, one removed."""
    if generation == 0:
        for i in range(3):
            write_doc(src / f"d{i}.txt", f"第{i}县发展规划")
    else:
        write_doc(src / "d3.txt", "第3县发展规划")
        write_doc(src / "d0.txt", "第0县发展规划（修订）", n=5)
        (src / "d1.txt").unlink()


@contextmanager
def _fault_at(k: int, action: Callable[[], None]) -> Iterator[list[str]]:
    """Patch os.replace and os.rename: the k-th call (from 1) runs action instead; the calls are counted."""
    calls: list[str] = []
    real = {"replace": os.replace, "rename": os.rename}

    def wrap(name: str) -> Callable[..., None]:
        def call(src: object, dst: object, *args: object, **kwargs: object) -> None:
            calls.append(f"{name} {os.path.basename(os.fspath(dst))}")
            if len(calls) == k:
                action()
            real[name](src, dst, *args, **kwargs)
        return call

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(os, "replace", wrap("replace"))
        mp.setattr(os, "rename", wrap("rename"))
        yield calls


def _raise() -> None:
    raise Injected("fault injected")


@pytest.fixture(scope="module")
def states(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Inputs and outputs before and after; the calls a build makes, counted on a clean run."""
    base = tmp_path_factory.mktemp("commit")
    src_old, src_new = base / "in-old", base / "in-new"
    _inputs(src_old, 0)
    shutil.copytree(src_old, src_new)
    _inputs(src_new, 1)
    first, second = base / "first", base / "second"
    with _fault_at(0, _raise) as first_calls:
        api.build(src_old, first, workers=1, processor=ingest_only)
    old_sig = _signature(first)
    snapshot = base / "old-out"
    shutil.copytree(first, snapshot, symlinks=True)
    shutil.copytree(snapshot, second, symlinks=True)
    with _fault_at(0, _raise) as second_calls:
        api.build(src_new, second, workers=1, processor=ingest_only)
    return {"base": base, "src_old": src_old, "src_new": src_new, "snapshot": snapshot, "old": old_sig,
            "new": _signature(second), "calls": {"first": first_calls, "rebuild": second_calls}}


def _setup(states: dict[str, object], scenario: str, out: Path) -> tuple[Path, object, object]:
    """(input, signature before, signature after) with out laid as before the build."""
    if scenario == "first":
        return states["src_old"], None, states["old"]  # type: ignore[return-value]
    shutil.copytree(states["snapshot"], out, symlinks=True)  # type: ignore[arg-type]
    return states["src_new"], states["old"], states["new"]  # type: ignore[return-value]


def test_every_build_commits_with_one_replace_at_the_end(states: dict[str, object]) -> None:
    calls = states["calls"]
    assert states["old"] != states["new"]
    for scenario in ("first", "rebuild"):
        made = calls[scenario]  # type: ignore[index]
        assert made and made[-1] == f"replace {store.CURRENT}", made  # the switch comes last
        assert sum(c == f"replace {store.CURRENT}" for c in made) == 1


@pytest.mark.parametrize("scenario", ["first", "rebuild"])
def test_a_raise_at_any_replace_leaves_all_old_and_the_next_build_succeeds(
    states: dict[str, object], scenario: str, tmp_path: Path
) -> None:
    n = len(states["calls"][scenario])  # type: ignore[index]
    for k in range(1, n + 1):
        out = tmp_path / f"out-{k}"
        src, before, after = _setup(states, scenario, out)
        with pytest.raises(Injected), _fault_at(k, _raise):
            api.build(src, out, workers=1, processor=ingest_only)
        assert _signature(out) == before, f"fault at call {k}"
        api.build(src, out, workers=1, processor=ingest_only)
        assert _signature(out) == after, f"after a fault at call {k}"
        assert list(store.state_dir(out).glob(store.GENERATION_PREFIX + "*")) == [store.current_generation(out)]


_CHILD = """
import os, sys
sys.path.insert(0, sys.argv[4])
from _load_helpers import ingest_only
from planextract import api, pool
from planextract.load import store
store.code_fingerprint = lambda: "tests"
pool._warm_up = lambda: None  # the stand-in processor needs no extractors
k, calls = int(sys.argv[3]), []
real = {"replace": os.replace, "rename": os.rename}
def wrap(name):
    def call(src, dst, *a, **kw):
        calls.append(name)
        if len(calls) == k:
            os._exit(17)
        real[name](src, dst, *a, **kw)
    return call
os.replace, os.rename = wrap("replace"), wrap("rename")
api.build(sys.argv[1], sys.argv[2], workers=1, processor=ingest_only)
"""


@pytest.mark.parametrize("scenario", ["first", "rebuild"])
def test_a_process_dying_at_any_replace_leaves_all_old_and_the_next_build_succeeds(
    states: dict[str, object], scenario: str, tmp_path: Path
) -> None:
    n = len(states["calls"][scenario])  # type: ignore[index]
    for k in range(1, n + 1):
        out = tmp_path / f"out-{k}"
        src, before, after = _setup(states, scenario, out)
        done = subprocess.run([sys.executable, "-c", _CHILD, str(src), str(out), str(k), str(TESTS)],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 17, done.stderr
        assert _signature(out) == before, f"died at call {k}"
        api.build(src, out, workers=1, processor=ingest_only)
        assert _signature(out) == after, f"after dying at call {k}"
