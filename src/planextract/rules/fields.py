"""Field types every rule file's schema is written in: word lists without repeats, patterns that compile."""

from __future__ import annotations

from typing import Annotated, Any

import regex
from pydantic import AfterValidator, BaseModel


def _unique(items: list[Any]) -> list[Any]:
    seen: set[Any] = set()
    for item in items:
        key = item.model_dump_json() if isinstance(item, BaseModel) else item
        if key in seen:
            raise ValueError(f"duplicate entry {item!r}")
        seen.add(key)
    return items


def _compiles(pattern: str) -> str:
    try:
        regex.compile(pattern)
    except regex.error as exc:
        raise ValueError(f"not a valid regular expression {pattern!r}: {exc}") from None
    return pattern


def _all_compile(patterns: list[str]) -> list[str]:
    for p in patterns:
        _compiles(p)
    return patterns


Words = Annotated[list[str], AfterValidator(_unique)]
Pattern = Annotated[str, AfterValidator(_compiles)]
Patterns = Annotated[list[str], AfterValidator(_unique), AfterValidator(_all_compile)]
Factor = float  # strict mode still takes an integer for a float
