"""User-extendable vocabularies, read once from the TOML files under rules/.

The rules folder is, in order: the `PLANEXTRACT_RULES` environment variable,
or the `rules/` folder of the source checkout.
"""

from __future__ import annotations

import hashlib
import os
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

import regex

_REPO_RULES = Path(__file__).resolve().parents[2] / "rules"


def rules_dir() -> Path:
    env = os.environ.get("PLANEXTRACT_RULES")
    return Path(env) if env else _REPO_RULES


@lru_cache(maxsize=None)
def load(name: str) -> dict[str, Any]:
    """The parsed contents of rules/<name>.toml ({} when the file is absent)."""
    path = rules_dir() / f"{name}.toml"
    if not path.exists():
        return {}
    with path.open("rb") as fh:
        return tomllib.load(fh)


def fingerprint() -> str:
    """A hash of every rules file, so a rules change forces a re-extract."""
    h = hashlib.sha256()
    base = rules_dir()
    if base.exists():
        for p in sorted(base.rglob("*")):
            if p.is_file():
                h.update(p.relative_to(base).as_posix().encode())
                h.update(p.read_bytes())
    return h.hexdigest()[:16]


@lru_cache(maxsize=None)
def compiled(pattern: str) -> regex.Pattern[str]:
    """A pattern from a rules file, compiled once per process.

    regex.sub(pattern, ...) with a string looks the pattern up in the
    module's cache on every call, which costs more than the match itself
    on the short texts extractors work on. (Patterns written in the code
    are module-level constants.)
    """
    return regex.compile(pattern)
