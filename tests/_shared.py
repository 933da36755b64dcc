"""Where the shared corpora and gold live (../shared, beside the repo): defined here once.

A test that needs them fails when they are missing, it never skips: CI always
has them, so a skip would only hide a broken set-up.
"""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CORPUS, GOLD = SHARED / "corpus", SHARED / "gold"  # the 5 studied documents
CORPUS_DEV, GOLD_DEV = SHARED / "corpus-dev", SHARED / "gold-dev"  # 12 documents nobody tuned for
GWR = SHARED / "corpus-extra" / "gwr-2026"  # 25 provincial work reports
RAW = REPO / "data" / "raw"  # the samples committed with the repo


def need(path: Path) -> Path:
    """path itself, or a failed test saying the shared data is missing (an empty folder counts as missing)."""
    if not path.exists() or (path.is_dir() and not any(path.iterdir())):
        pytest.fail(f"{path} is missing: these tests need the shared corpora and gold in {SHARED}", pytrace=False)
    return path


def files(folder: Path, pattern: str) -> list[Path]:
    """The files of a shared folder, to parametrize over; a missing folder gives one path that fails in need()."""
    return sorted(folder.glob(pattern)) or [folder / pattern]
