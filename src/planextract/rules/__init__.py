"""User-extendable vocabularies: the rule files shipped in this package, overlaid by the user's.

The files live beside this module and are installed with the package
(read through `importlib.resources`, so a wheel works from any folder).
`PLANEXTRACT_RULES=/path/to/folder` overlays a folder of the user's: a file
there replaces the shipped file of the same name, the others stay. A folder
that does not exist, or a required file that is missing, is an error, never
an empty vocabulary.
"""

from __future__ import annotations

import hashlib
import os
import tomllib
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import regex

ENV_VAR = "PLANEXTRACT_RULES"


class RulesError(RuntimeError):
    """A rules folder or rule file that cannot be used; the message names the file."""


def shipped_dir() -> Path:
    """The folder of the rule files installed with the package."""
    # The package is installed as plain files (setuptools), so the traversable is a real folder.
    return Path(str(resources.files(__name__)))


def overlay_dir() -> Path | None:
    """The user's folder named by PLANEXTRACT_RULES, or None when unset."""
    env = os.environ.get(ENV_VAR)
    if not env:
        return None
    path = Path(env).expanduser()
    if not path.is_dir():
        raise RulesError(f"{ENV_VAR}={env}: no such folder (it overlays the shipped rules, so it must exist)")
    return path


def rule_names() -> list[str]:
    """The names of every rule file in use: the shipped ones and the overlay's, sorted."""
    names = {p.name for p in shipped_dir().iterdir() if _is_rule_file(p)}
    extra = overlay_dir()
    if extra is not None:
        names |= {p.name for p in extra.iterdir() if _is_rule_file(p)}
    return sorted(names)


def _is_rule_file(path: Path) -> bool:
    return path.is_file() and path.suffix in {".toml", ".csv", ".txt"}


def path(name: str) -> Path:
    """The file in use for a rule file name: the overlay's if it has one, else the shipped one."""
    extra = overlay_dir()
    if extra is not None and (extra / name).is_file():
        return extra / name
    shipped = shipped_dir() / name
    if not shipped.is_file():
        raise RulesError(f"rule file {name} not found (looked in {extra or ''} {shipped_dir()})".replace("  ", " "))
    return shipped


@lru_cache(maxsize=None)
def load(name: str) -> dict[str, Any]:
    """The parsed contents of the rule file <name>.toml; a missing or broken file is a RulesError."""
    file = path(f"{name}.toml")
    try:
        with file.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(f"{file}: not valid TOML: {exc}") from None


def fingerprint() -> str:
    """A hash of every rule file in use, so a rules change forces a re-extract."""
    h = hashlib.sha256()
    for name in rule_names():
        h.update(name.encode())
        h.update(path(name).read_bytes())
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
