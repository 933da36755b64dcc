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


# A "sentence" longer than this (a text with no full stops: a pasted list, a hostile file)
# is read in pieces cut after a clause separator: the work for a number grows with the
# length of its sentence before it, so an unbounded one makes a block's cost quadratic.
MAX_SENTENCE = 4000


def sentences(text: str) -> list[tuple[int, int]]:
    """Spans of the sentences in text, each with its closing mark (an over-long one in pieces)."""
    spans = []
    for m in _sentence_re().finditer(text):
        s0, s1 = m.span()
        while s1 - s0 > MAX_SENTENCE:
            cut = _after_last_clause_sep(text, s0, s0 + MAX_SENTENCE)
            spans.append((s0, cut))
            s0 = cut
        spans.append((s0, s1))
    return spans


@lru_cache(maxsize=1)
def _clause_sep_back() -> regex.Pattern[str]:
    """The last clause separator before a position (a reverse search)."""
    return regex.compile(f"(?r)[{regex.escape(vocab.targets().get('clause_sep', '，,；;：:'))}]")


def _after_last_clause_sep(text: str, start: int, limit: int) -> int:
    """Just after the last clause separator in text[start:limit] (limit when there is none)."""
    cut = max(text.rfind(sep, start, limit) for sep in vocab.targets().get("clause_sep", "，,；;：:"))
    return cut + 1 if cut > start else limit


def clause_start(sentence: str, left: int, qstart: int) -> int:
    """Where the clause holding the number at `qstart` begins (never before `left`).

    A clause starts after the last clause separator before the number; with
    none, at `left` (after the previous target), past a bracketed note and
    the "、"/"和" that joins the next item: "1家（中策橡胶）、50亿企业2家".
    """
    end = qstart
    while (m := _clause_sep_back().search(sentence, max(left, 0), end)) is not None:
        if not _in_ratio(sentence, m.start()):
            return m.end()
        end = m.start()
    start = max(left, 0)
    if start < qstart and sentence[start] in "（(":
        close = _CLOSE.search(sentence[start:qstart])
        if close:
            start += close.end()
    while start < qstart and sentence[start] in "、和及与或）)":
        start += 1
    return start


def _in_ratio(sentence: str, i: int) -> bool:
    """The colon of "2.50:1" joins two numbers; it ends no clause."""
    return sentence[i] in ":：∶" and 0 < i < len(sentence) - 1 and sentence[i - 1].isdigit() and sentence[i + 1].isdigit()
