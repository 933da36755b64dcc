"""The matching view: the text extractors read, without what hides the text a reader sees.

A number may be split by an invisible character (1\u200d00亿元 is 100亿元 on
screen) or written in full-width forms (２０２５年, ５０％). Extractors read a
copy of the document in which invisible format characters are dropped and
full-width ASCII forms are ASCII (rules/normalise.toml says which); every
record's span is then mapped back to the original clean text, and its
evidence is the original text of that span. A document with nothing to
change is read as it is (no copy).

Only deletions move offsets (the full-width mapping is one character for
one), so the map from view to original is the sorted list of view offsets
at which characters were dropped.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from functools import lru_cache

import regex

from planextract import rules
from planextract.models import Document, FileResult, Table

_FULLWIDTH = range(0xFF01, 0xFF5F)
_TO_ASCII = 0xFEE0  # U+FF01 - '!'


@lru_cache(maxsize=1)
def _rules() -> tuple[dict[int, str | None], regex.Pattern[str], regex.Pattern[str]]:
    """(str.translate table, pattern of every character to change, pattern of those dropped)."""
    keep = set(rules.load("normalise").get("keep_fullwidth", ""))
    mapped = [chr(c) for c in _FULLWIDTH if chr(c) not in keep]
    table: dict[int, str | None] = {ord(c): chr(ord(c) - _TO_ASCII) for c in mapped}
    drop = regex.compile(r"\p{Cf}")
    change = regex.compile(r"\p{Cf}|[" + regex.escape("".join(mapped)) + "]")
    return table, change, drop


def _translate(text: str) -> str:
    table, _, drop = _rules()
    return drop.sub("", text.translate(table))


def needs_view(text: str) -> bool:
    return _rules()[1].search(text) is not None


@dataclass
class OffsetMap:
    """View offsets -> original offsets of one text: drops[i] is the view offset before which the i-th dropped character stood."""

    drops: list[int] = field(default_factory=list)

    def start(self, v: int) -> int:
        """The original offset of the view character at v (characters dropped just before it are left out)."""
        return v + bisect.bisect_right(self.drops, v)

    def end(self, v: int) -> int:
        """The original offset just after the view character at v - 1 (for an exclusive end)."""
        return self.start(v - 1) + 1 if v > 0 else self.start(0)


def normalise(text: str) -> tuple[str, OffsetMap]:
    """The matching text of one string and its offset map."""
    _, _, drop = _rules()
    drops = [m.start() - i for i, m in enumerate(drop.finditer(text))]
    return _translate(text), OffsetMap(drops)


@dataclass
class View:
    """The document extractors read, and how to bring their records back to the original."""

    doc: Document
    original: Document
    offsets: OffsetMap | None = None  # None: the view is the original
    dropped: int = 0

    def restore(self, result: FileResult) -> FileResult:
        """Map every record's span back to the original clean text; evidence and section path from the original."""
        if self.offsets is None:
            return result
        original = {b.id: b.section_path for b in self.original.blocks}
        seen = {b.id: b.section_path for b in self.doc.blocks}
        text = self.original.text
        for table in ("targets", "actuals", "projects", "tasks"):
            for rec in getattr(result, table):
                rec.char_start = self.offsets.start(rec.char_start)
                rec.char_end = max(rec.char_start, self.offsets.end(rec.char_end))
                rec.evidence = text[rec.char_start : rec.char_end]
                if rec.block_id in original and rec.section_path == seen[rec.block_id]:
                    rec.section_path = list(original[rec.block_id])  # the headings as printed
        return result


def matching_view(doc: Document) -> View:
    """The view of doc extractors read: doc itself when no block needs a change."""
    if not any(needs_view(b.text) for b in doc.blocks):
        return View(doc, doc)
    view_text, offsets = normalise(doc.text)
    blocks, pos = [], 0
    for b in doc.blocks:
        text = _translate(b.text)
        update: dict[str, object] = {"text": text, "start": pos, "end": pos + len(text),
                                     "section_path": [_translate(s) for s in b.section_path]}
        if b.table is not None:  # a new Table: its cached row offsets are for the original cells
            update["table"] = Table(rows=[[_translate(c) for c in row] for row in b.table.rows],
                                    caption=_translate(b.table.caption) if b.table.caption else None,
                                    header_rows=b.table.header_rows)
        blocks.append(b.model_copy(update=update))
        pos += len(text) + 1
    dropped = len(offsets.drops)
    warnings = list(doc.warnings)
    if dropped:
        warnings.append(f"{dropped} invisible characters (zero-width, bidi controls) ignored when reading the text")
    # view_text is the view's blocks joined by newlines, as structure joins the original's: the
    # translation works character by character and never drops a newline or a tab.
    view = doc.model_copy(update={"text": view_text, "blocks": blocks, "warnings": warnings,
                                  "meta": {k: _translate(v) for k, v in doc.meta.items()}})
    return View(view, doc, offsets, dropped)
