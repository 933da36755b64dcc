"""User-extendable vocabularies: the rule files shipped in this package, overlaid by the user's.

The files live beside this module and are installed with the package
(read through `importlib.resources`, so a wheel works from any folder).
`PLANEXTRACT_RULES=/path/to/folder` overlays a folder of the user's: a file
there replaces the shipped file of the same name, the others stay. A folder
that does not exist, or a required file that is missing, is an error, never
an empty vocabulary.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import tomllib
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import regex
from pydantic import BaseModel, TypeAdapter, ValidationError

from planextract.rules import schema

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
    """The contents of the rule file <name>.toml, checked against its schema (rules/schema.py).

    A missing file, broken TOML or a file that does not fit its schema is a
    RulesError naming the file and the entry.
    """
    return _read_toml(name)


def _read_toml(name: str) -> dict[str, Any]:
    model = schema.SCHEMAS.get(name)
    if model is None:
        raise RulesError(f"{name}.toml: no schema for this rule file (add a model to planextract/rules/schema.py)")
    file = path(f"{name}.toml")
    try:
        with file.open("rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(f"{file}: not valid TOML: {exc}") from None
    _validate(file, model, data)
    return data  # the parsed file itself: extractors read it as plain data


def rows(name: str) -> list[dict[str, Any]]:
    """The rows of a rule file that is not TOML (gazetteer.csv, jieba_userdict.txt), each checked."""
    model = schema.ROW_SCHEMAS.get(name)
    if model is None:
        raise RulesError(f"{name}: no schema for this rule file (add a model to planextract/rules/schema.py)")
    file = path(name)
    text = file.read_text(encoding="utf-8")
    if name.endswith(".csv"):
        reader = csv.DictReader(io.StringIO(text))
        expected = list(model.model_fields)
        if reader.fieldnames != expected:
            raise RulesError(f"{file}: the columns must be {','.join(expected)}, not {','.join(reader.fieldnames or [])}")
        found = [(reader.line_num, dict(r)) for r in reader]
    else:  # jieba's format: word [frequency] [tag], one a line
        found = [(n, _word_line(line)) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    _validate_rows(file, model, found)
    key, seen = schema.ROW_KEYS[name], set()
    for line, row in found:
        if row[key] in seen:
            raise RulesError(f"{file}: line {line}: duplicate entry {row[key]!r}")
        seen.add(row[key])
    return [row for _, row in found]


def _validate_rows(file: Path, model: type[BaseModel], found: list[tuple[int, dict[str, Any]]]) -> None:
    """All rows at once (a row at a time costs ten times more on the gazetteer's 3,000)."""
    try:
        TypeAdapter(list[model]).validate_python([row for _, row in found])  # type: ignore[valid-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        index, *loc = first["loc"]
        raise RulesError(f"{file}: line {found[int(index)][0]}: {_problem({**first, 'loc': tuple(loc)})}") from None


def _word_line(line: str) -> dict[str, Any]:
    parts = line.split()
    row: dict[str, Any] = {"word": parts[0]}
    for part in parts[1:3]:  # a frequency is an integer, a tag is not
        row["freq" if part.isdigit() and "freq" not in row else "tag"] = int(part) if part.isdigit() else part
    if len(parts) > 3:
        row["extra"] = parts[3:]  # refused by the schema: jieba reads three fields
    return row


def _validate(file: Path, model: type[BaseModel], data: dict[str, Any], where: str = "") -> None:
    try:
        model.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(_problem(e) for e in exc.errors())
        raise RulesError(f"{file}: {where + ': ' if where else ''}{problems}") from None


def _problem(error: Any) -> str:
    """One pydantic error as 'key.path: what is wrong'."""
    where = ".".join(str(p) for p in error["loc"] if p != "[key]") or "(top level)"
    kind = error["type"]
    if kind == "extra_forbidden":
        return f"{where}: unknown key (not in the file's schema, planextract/rules/schema.py)"
    if kind == "missing":
        return f"{where}: missing (the schema requires it)"
    message = error["msg"].removeprefix("Value error, ")
    if kind != "value_error":
        got = repr(error.get("input"))
        message += f" (got {got[:40] + '…' if len(got) > 40 else got})"
    return f"{where}: {message}"


def check() -> None:
    """Check every rule file in use, and the files that depend on each other, at once.

    Called before a build reads anything, so a broken rule file stops the
    build with its name instead of failing inside every worker.
    """
    overlay = overlay_dir()
    known = {f"{stem}.toml" for stem in schema.SCHEMAS} | set(schema.ROW_SCHEMAS)
    if overlay is not None:
        unknown = sorted(p.name for p in overlay.iterdir() if _is_rule_file(p) and p.name not in known)
        if unknown:
            raise RulesError(f"{ENV_VAR}={overlay}: {', '.join(unknown)} replaces no rule file "
                             f"(the rule files are {', '.join(sorted(known))})")
    parsed = {stem: _read_toml(stem) for stem in schema.SCHEMAS}
    for name in schema.ROW_SCHEMAS:
        rows(name)
    problems = [p for check_files in schema.CROSS_CHECKS for p in check_files(parsed.__getitem__)]
    if problems:
        raise RulesError("; ".join(problems))


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
