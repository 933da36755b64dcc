"""Issue 12, point 5: workers die within a second of their build's death, even by kill -9."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil

from _load_helpers import write_doc

TESTS = Path(__file__).resolve().parent
_PARENT = """
import sys
sys.path.insert(0, sys.argv[3])
from _load_helpers import misbehaving
from planextract import api
api.build(sys.argv[1], sys.argv[2], workers=2, timeout=None, processor=misbehaving)
"""


def _workers(parent: psutil.Process, n: int, seconds: float = 60) -> list[psutil.Process]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        kids = [k for k in parent.children() if k.is_running()]
        if len(kids) >= n:
            return kids
        time.sleep(0.05)
    raise AssertionError(f"the build started {len(parent.children())} workers, not {n}")


def _running(procs: list[psutil.Process], until: float) -> list[psutil.Process]:
    """The processes still running at `until` (a zombie has exited: only its parent has not reaped it)."""
    while True:
        alive = []
        for p in procs:
            try:
                if p.status() != psutil.STATUS_ZOMBIE:
                    alive.append(p)
            except psutil.NoSuchProcess:
                pass
        if not alive or time.monotonic() >= until:
            return alive
        time.sleep(0.02)


def test_workers_exit_within_a_second_of_a_kill_9_of_the_build(tmp_path: Path) -> None:
    for i in range(4):
        write_doc(tmp_path / "in" / f"slow{i}.txt", f"第{i}县规划")  # each holds a worker for 30 s
    for round_ in range(3):
        out = tmp_path / f"out{round_}"
        proc = subprocess.Popen([sys.executable, "-c", _PARENT, str(tmp_path / "in"), str(out), str(TESTS)])
        try:
            workers = _workers(psutil.Process(proc.pid), 2)
            time.sleep(0.3 * round_)  # at different moments of the workers' sleep
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
            killed = time.monotonic()
            alive = _running(workers, until=killed + 1.0)
            assert not alive, f"round {round_}: {len(alive)} workers still running 1 s after the build died"
        finally:
            proc.kill()
            for w in psutil.Process().children(recursive=True):
                if w.pid != proc.pid:
                    w.kill()
