"""Layout helpers shared by the PDF and docx readers.

Joining lines that a layout wrapped back into the text they were (lines of
a PDF page or table cell, manual line breaks in a Word paragraph), and
telling a table's header rows from its body.
"""

from __future__ import annotations

from functools import lru_cache

import regex

from planextract import rules

_WORDY_END = regex.compile(r"[A-Za-z0-9]$")
_WORDY_START = regex.compile(r"^[A-Za-z0-9]")
_DIGIT_END = regex.compile(r"[\d.]$")
_DIGIT_START = regex.compile(r"^[\d.]")
_NUMBER_CELL = regex.compile(r"[-+]?\d[\d,.]*%?")
# Sentence ends after which a wrapped line may well start a new paragraph.
SENTENCE_END = ("。", "！", "？", "；", "!", "?", ";", "：", ":")


def join_wrapped(left: str, right: str) -> str:
    """Join a line to its continuation: Chinese needs no space, Latin words do."""
    left, right = left.rstrip(), right.lstrip()
    if not left or not right:
        return left + right
    if _WORDY_END.search(left) and _WORDY_START.match(right) and not _digits_split(left, right) \
            and not _in_chinese(left, right):
        return f"{left} {right}"
    return left + right


_HAN_THEN_LATIN_END = regex.compile(r"\p{Han}[A-Za-z0-9]+$")
_LATIN_THEN_HAN_START = regex.compile(r"^[A-Za-z0-9]+\p{Han}")


def _in_chinese(left: str, right: str) -> bool:
    """A Latin word set inside Chinese text ('单位GD' + 'P排放'): Chinese layout breaks a line
    anywhere, so the break is no word boundary. English text breaks at a space it drops."""
    return bool(_HAN_THEN_LATIN_END.search(left) or _LATIN_THEN_HAN_START.match(right))


def _digits_split(left: str, right: str) -> bool:
    """A number wrapped mid-way ('6.' + '7亿元', '2' + '025年') is joined without a space."""
    return bool(_DIGIT_END.search(left) and _DIGIT_START.match(right))


_NUMBER_PART_END = regex.compile(r"[\d.,，]$")
_NUMBER_PART_START = regex.compile(r"^[\d.%‰％]")
_TITLE_OPEN = regex.compile(r"《[^》]{0,40}$")  # a title runs a line or two, not a page


@lru_cache(maxsize=1)
def _unit_starts() -> tuple[str, ...]:
    """Unit words and magnitudes (rules/units.toml): what may follow a number on the next line."""
    units = rules.load("units")
    words = {*units.get("magnitudes", {}), *units.get("words", {}), *units.get("counts", {}).get("words", [])}
    return tuple(sorted(words, key=len, reverse=True))


def unbreakable(left: str, right: str) -> bool:
    """True where a line break fell inside a number ('1053' | '.8亿元'), between a number and its
    unit ('30' | '万亩') or inside a 《title》: the two lines are one paragraph, whatever the layout says."""
    left, right = left.rstrip(), right.lstrip()
    if not left or not right:
        return False
    if _TITLE_OPEN.search(left):
        return True
    if left[-1].isdigit() and right.startswith(_unit_starts()):
        return True
    return bool(_NUMBER_PART_END.search(left) and _NUMBER_PART_START.match(right)
                and (left[-1].isdigit() or right[0].isdigit()))


def join_cell_lines(text: str) -> str:
    """A table cell's wrapped lines -> one line each paragraph; a blank line (where the PDF
    reader saw a line end short of the cell's width) is kept as a line break."""
    paragraphs = []
    for part in regex.split(r"\r?\n[ \t]*\r?\n", text):
        out = ""
        for line in part.splitlines():
            out = join_wrapped(out, line.strip()) if out else line.strip()
        if out:
            paragraphs.append(out)
    return "\n".join(paragraphs)


def guess_header_rows(rows: list[list[str]]) -> int:
    """2 when the first row's labels span sub-columns labelled in the second (目标值 over 2024年 | 2025年);
    0 when the table starts with its body (rows numbered 1, 2 …: a table without a header row, or
    the part of a table a page or a file begins with)."""
    if _numbered_from_the_top(rows):
        return 0
    if len(rows) < 3:
        return 1
    first, second = rows[0], rows[1]
    spans = any(
        first[c] and first[c] == first[c + 1] and second[c] != second[c + 1] for c in range(len(first) - 1)
    )
    numeric = any(_NUMBER_CELL.fullmatch(c.strip()) for c in second)
    return 2 if spans and not numeric else 1


def _numbered_from_the_top(rows: list[list[str]]) -> bool:
    if len(rows) < 2 or not rows[0] or not rows[1]:
        return False
    a, b = rows[0][0].strip(), rows[1][0].strip()
    return a.isdigit() and b.isdigit() and int(b) == int(a) + 1
