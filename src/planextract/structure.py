"""Structure: heading levels and numbers, section paths, table captions, spans.

Chinese official documents number their outline in a fixed order of styles:
第一章 > 一、 > （一） > 1. > （1） > ①. A numbered line is a heading when it
is short and has no sentence in it; a numbered line that goes on into a
paragraph ("1.全面落实…。健全…") is a numbered item: a paragraph that keeps
its number and level but does not open a section.
"""

from __future__ import annotations

import regex

from planextract.models import Block, Document

_CN = "一二三四五六七八九十百零〇两"
# (rank, pattern) in outline order; the rank orders the styles, a document's
# levels are the ranks it actually uses, renumbered from 1.
NUMBERING: list[tuple[int, regex.Pattern[str]]] = [
    (0, regex.compile(rf"^第[{_CN}\d]+[编篇部章](?:分)?\s*")),
    (1, regex.compile(rf"^第[{_CN}\d]+节\s*")),
    (2, regex.compile(rf"^[{_CN}]+\s*[、．.]\s*")),
    (3, regex.compile(rf"^[（(]\s*[{_CN}]+\s*[）)]\s*[、．.]?\s*")),
    (4, regex.compile(r"^\d{1,2}\s*(?:[、．]|\.(?!\d))\s*")),
    (5, regex.compile(r"^[（(]\s*\d{1,2}\s*[）)]\s*[、．.]?\s*")),
    (6, regex.compile(r"^[①-⑳]\s*")),
]
_ANNEX = regex.compile(r"^附\s*件\s*[\d一二三四五六七八九十]*\s*[:：]?$")
_TABLE_TITLE = regex.compile(r"^表\s*[\d一二三四五六七八九十]")
_SENTENCE_END = regex.compile(r"[。；;！!？?]")
MAX_HEADING_CHARS = 40


# Every pattern above starts with one of these or a digit: other lines need no matching.
_NUMBER_STARTS = frozenset("第" + _CN + "（(" + "".join(chr(c) for c in range(ord("①"), ord("⑳") + 1)))


def numbering(text: str) -> tuple[int, str] | None:
    """(rank, printed number) of a numbered line, or None."""
    first = text[:1]
    if first not in _NUMBER_STARTS and not first.isdecimal():
        return None
    for rank, pat in NUMBERING:
        m = pat.match(text)
        if m and m.end() < len(text):
            return rank, m.group(0).strip()
    return None


def opens_section(text: str) -> bool:
    """True for a line that starts an annex, a table title or an outline heading."""
    t = text.strip()
    return bool(_ANNEX.match(t) or _TABLE_TITLE.match(t) or numbering(t))


def looks_like_heading(text: str) -> bool:
    body = text.strip()
    if len(body) > MAX_HEADING_CHARS:
        return False
    # A heading may end in a full stop ("（一）强化组织领导。") only if nothing follows.
    inner = body[:-1] if body.endswith(("。", "．")) else body
    return not _SENTENCE_END.search(inner) and not body.endswith(("，", ",", "：", ":"))


def structure(doc: Document) -> Document:
    """Assign heading levels, section paths, captions, spans and ids in place."""
    _classify(doc.blocks)
    _section_paths(doc.blocks)
    _captions(doc.blocks)
    _spans(doc)
    return doc


def _classify(blocks: list[Block]) -> None:
    ranks: set[int] = set()
    found: list[tuple[Block, int]] = []
    for b in blocks:
        if b.kind == "table":
            continue
        if _ANNEX.match(b.text.strip()):
            b.kind, b.level, b.number = "heading", 1, None
            continue
        hit = numbering(b.text)
        if hit is None:
            continue
        rank, number = hit
        b.number = number
        if b.kind == "paragraph" and looks_like_heading(b.text):
            b.kind = "heading"
        found.append((b, rank))
        ranks.add(rank)
    order = {r: i + 1 for i, r in enumerate(sorted(ranks))}
    for b, rank in found:
        if b.level is None or b.kind != "heading":
            b.level = order[rank]


def _section_paths(blocks: list[Block]) -> None:
    stack: list[tuple[int, str]] = []
    for b in blocks:
        if b.level is not None:
            while stack and stack[-1][0] >= b.level:
                stack.pop()
        b.section_path = [t for _, t in stack]
        if b.kind == "heading" and b.level is not None:
            stack.append((b.level, b.text.strip()))


def _captions(blocks: list[Block]) -> None:
    """A table's caption: the short title lines printed right above it."""
    for i, b in enumerate(blocks):
        if b.kind != "table" or b.table is None or b.table.caption:
            continue
        parts: list[str] = []
        j = i - 1
        while j >= 0 and len(parts) < 3:
            prev = blocks[j]
            t = prev.text.strip()
            if prev.kind == "table" or len(t) > 60 or t.endswith(("。", "；", "：", ":")):
                break
            if prev.number and not _ANNEX.match(t) and parts:
                break
            parts.insert(0, t)
            if _ANNEX.match(t) or _TABLE_TITLE.match(t):
                break
            j -= 1
        # A numbered outline line right above is a section heading, not a caption.
        while parts and numbering(parts[0]) and not parts[0].startswith("表") and len(parts) > 1:
            parts.pop(0)
        if parts and not (len(parts) == 1 and numbering(parts[0]) and blocks[i - 1].kind == "heading"):
            b.table.caption = " ".join(parts)


def _spans(doc: Document) -> None:
    pos = 0
    pieces = []
    for i, b in enumerate(doc.blocks):
        b.index = i
        b.id = f"{doc.doc_id}:b{i:04d}"
        if b.table is not None:
            b.text = b.table.render()
        b.start, b.end = pos, pos + len(b.text)
        pieces.append(b.text)
        pos = b.end + 1
    doc.text = "\n".join(pieces)
