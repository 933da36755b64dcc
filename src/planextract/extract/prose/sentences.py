"""Sentences and clauses: the spans every later stage reads inside."""

from __future__ import annotations

from functools import lru_cache

import regex

from planextract.extract.prose import vocab

_CLOSE = regex.compile(r"[）)]")


@lru_cache(maxsize=1)
def _sentence_re() -> regex.Pattern[str]:
    ends = regex.escape(vocab.targets().get("sentence_end", "。！？!?\n"))
    return regex.compile(rf"[^{ends}]+[{ends}]?|[{ends}]")


def sentences(text: str) -> list[tuple[int, int]]:
    """Spans of the sentences in text, each with its closing mark."""
    return [m.span() for m in _sentence_re().finditer(text)]


def clause_start(sentence: str, left: int, qstart: int) -> int:
    """Where the clause holding the number at `qstart` begins (never before `left`).

    A clause starts after the last clause separator before the number; with
    none, at `left` (after the previous target), past a bracketed note and
    the "、"/"和" that joins the next item: "1家（中策橡胶）、50亿企业2家".
    """
    seps = vocab.targets().get("clause_sep", "，,；;：:")
    i = qstart - 1
    while i >= left:
        if sentence[i] in seps:
            return i + 1
        i -= 1
    start = max(left, 0)
    if start < qstart and sentence[start] in "（(":
        close = _CLOSE.search(sentence[start:qstart])
        if close:
            start += close.end()
    while start < qstart and sentence[start] in "、和及与或）)":
        start += 1
    return start
