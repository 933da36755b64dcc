"""Shared fixtures: the shared corpus and gold (see _shared.py; missing data fails the test)."""

from __future__ import annotations

from pathlib import Path

import pytest

from _shared import CORPUS, GOLD, need


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return need(CORPUS)


@pytest.fixture(scope="session")
def gold_dir() -> Path:
    return need(GOLD)
