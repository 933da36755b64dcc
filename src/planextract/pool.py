"""Running the per-file function over many files: isolated, time-limited, streaming.

Each file is one task. With several workers the tasks run in pebble worker
processes: a task over its time limit has its worker killed, a task whose
worker dies (a crash in a C parser, the OOM killer) is recorded, and the
build goes on with a fresh worker. With one worker tasks run in-process (easy
to debug); the time limit is then a SIGALRM, which interrupts Python code but
not a long call inside a C extension, and a hard crash ends the build.

A task's result goes to the cache file named in the job, written by the
worker itself, so only a small outcome travels back and memory stays flat.
"""

from __future__ import annotations

import ctypes
import gc
import itertools
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, wait
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pebble import ProcessExpired, ProcessPool

from planextract.load.store import write_cached
from planextract.load.tables import assign_ids
from planextract.models import ErrorRecord, FileResult

Processor = Callable[[Path, Path], FileResult]
DEFAULT_TIMEOUT = 120.0  # seconds per file
# Recycle workers now and then: parsers may leak memory. Not too often: a new
# worker costs a fork, page faults and a pause of up to pebble's 0.1 s poll
# (every 200 files this was 0.5 s of a 2,000-file build's 38 s).
MAX_TASKS_PER_WORKER = 1000


@dataclass(frozen=True)
class Job:
    path: Path
    root: Path
    rel: str
    cache_file: Path
    sha256: str | None = None
    size: int | None = None


@dataclass(frozen=True)
class Outcome:
    """What comes back from a task: the file's error row, if any, and whether the cache holds its result."""

    error: ErrorRecord | None
    cached: bool


def run_one(processor: Processor, job: Job) -> Outcome:
    """Process one file and store its result in the cache (runs inside the worker)."""
    result = assign_ids(_named(processor(job.path, job.root), job.rel))
    write_cached(job.cache_file, result)
    return Outcome(error=result.error, cached=True)


def _named(result: FileResult, rel: str) -> FileResult:
    """The result under the name discovery gave the entry (a link's own name, a name kept distinct)."""
    if result.path != rel:
        result.path = rel
        for record in (result.document, result.error):
            if record is not None:
                record.path = rel
    return result


def run(jobs: Iterable[Job], processor: Processor, *, workers: int, timeout: float | None) -> Iterator[tuple[Job, Outcome]]:
    """(job, outcome) for every job, in completion order."""
    if workers <= 1:
        return _run_inline(jobs, processor, timeout)
    return _run_pool(jobs, processor, workers, timeout)


# --------------------------------------------------------------------------
# in-process
# --------------------------------------------------------------------------


class _TimeLimit(BaseException):
    """Raised by SIGALRM; a BaseException so process_file's `except Exception` cannot swallow it."""


@contextmanager
def _time_limit(seconds: float | None) -> Iterator[None]:
    usable = seconds and hasattr(signal, "SIGALRM") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise _TimeLimit

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _run_inline(jobs: Iterable[Job], processor: Processor, timeout: float | None) -> Iterator[tuple[Job, Outcome]]:
    warm = False
    for job in jobs:
        if not warm:  # before the first file, so its time limit covers the file alone
            _warm_up()
            warm = True
        try:
            with _time_limit(timeout):
                outcome = run_one(processor, job)
        except _TimeLimit:
            outcome = _failed(job, "timeout", _timeout_message(timeout))
        yield job, outcome


# --------------------------------------------------------------------------
# worker processes
# --------------------------------------------------------------------------


def _run_pool(
    jobs: Iterable[Job], processor: Processor, workers: int, timeout: float | None
) -> Iterator[tuple[Job, Outcome]]:
    queue = iter(jobs)
    first = next(queue, None)
    if first is None:
        return  # nothing to parse: no workers, no warm-up
    queue = itertools.chain([first], queue)
    _warm_up()
    with _frozen_heap():
        pool = ProcessPool(max_workers=workers, max_tasks=MAX_TASKS_PER_WORKER, context=_fork_context(),
                           initializer=die_with_parent, initargs=(os.getpid(),))
        pending: dict = {}

        def submit() -> None:
            job = next(queue, None)
            if job is not None:
                pending[pool.schedule(run_one, args=(processor, job), timeout=timeout)] = job

        try:
            for _ in range(2 * workers):  # a small window: enough to keep workers busy, memory bounded
                submit()
            while pending:
                done, _ = wait(list(pending), return_when=FIRST_COMPLETED)
                for future in sorted(done, key=lambda f: pending[f].rel):
                    job = pending.pop(future)
                    yield job, _collect(future, job, timeout)
                    submit()
            pool.close()
        finally:
            pool.stop()  # no-op after close(); on an error or interrupt, kills the workers
            pool.join()


@contextmanager
def _frozen_heap() -> Iterator[None]:
    """Workers fork inside (and again when one is recycled). Frozen, the parent's
    objects are never walked by a worker's garbage collector, which would
    otherwise write to, and so copy, every page holding them."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _collect(future, job: Job, timeout: float | None) -> Outcome:  # noqa: ANN001 (pebble ProcessFuture)
    try:
        return future.result()
    except FutureTimeout:
        return _failed(job, "timeout", _timeout_message(timeout))
    except ProcessExpired as exc:
        how = f"signal {-exc.exitcode}" if exc.exitcode and exc.exitcode < 0 else f"exit code {exc.exitcode}"
        return _failed(job, "worker_crashed", f"the worker process died while reading this file ({how})")
    except Exception as exc:  # the result could not travel back (e.g. not picklable)
        return _failed(job, "worker_error", f"{type(exc).__name__}: {exc}")


def _timeout_message(timeout: float | None) -> str:
    return f"reading the file took longer than {timeout:g} s and was stopped (raise it with --timeout)"


def _failed(job: Job, error_type: str, message: str) -> Outcome:
    # Not cached: a timeout or crash may not recur, so the next build tries again.
    error = ErrorRecord(
        path=job.rel, stage="process", error_type=error_type, message=message,
        sha256=job.sha256, size=job.size, skipped=False,
    )
    return Outcome(error=error, cached=False)


_PR_SET_PDEATHSIG = 1  # linux/prctl.h
_WATCHDOG_SECONDS = 0.25


def die_with_parent(parent: int) -> None:
    """Worker start-up: end this worker when the build process dies, even by kill -9.

    On Linux the kernel sends SIGKILL at once (prctl PR_SET_PDEATHSIG);
    elsewhere a thread polls the parent's pid. Either way no orphan keeps
    reading files after its build is gone.
    """
    if not _set_death_signal():
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True, name="planextract-watchdog").start()
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)


def _set_death_signal() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(_WATCHDOG_SECONDS)
    os._exit(1)


def _warm_up() -> None:
    from planextract.extract import warm_up

    warm_up()


def _fork_context() -> multiprocessing.context.BaseContext:
    """Fork where the platform has it: workers then inherit the warmed-up parent."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else methods[0])


def default_workers() -> int:
    return os.cpu_count() or 1
