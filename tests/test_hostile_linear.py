"""Issue 12, point 11: the cost of a block is linear in its length.

Each input is one enormous block; each must build within a generous bound
(a quadratic step makes these take hours: a 0.5 MB line of target clauses
without a full stop took 440 s before). The per-MB figures at 1, 10 and
50 MB are measured by `python -m bench.linear`, not here.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

import hostile
from _load_helpers import fixed_code_fingerprint  # noqa: F401 (autouse: pins the cache key)
from planextract import api

BOUND_SECONDS = 120


@pytest.mark.parametrize(("name", "make"), [
    ("target-line.txt", lambda: hostile.one_line(1.5)),  # a target clause every 63 bytes, no full stop
    ("prose-line.txt", lambda: hostile.one_line(8, hostile.PROSE_SENTENCE)),
    ("lines.txt", lambda: hostile.long_lines(12, line_mb=6)),
    ("runs.docx", lambda: hostile.runs_docx(8)),
])
def test_one_huge_block_builds_within_a_generous_bound(tmp_path: Path, name: str, make) -> None:  # noqa: ANN001
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / name).write_bytes(make())
    started = time.monotonic()
    s = api.build(tmp_path / "in", tmp_path / "out", workers=1, timeout=BOUND_SECONDS)
    assert s.documents == 1 and s.errors == 0, s.errors_by_type
    assert time.monotonic() - started < BOUND_SECONDS
