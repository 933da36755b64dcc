"""What the reader knows about a document before it reads a sentence: plan years, region, time frames."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import regex

from planextract.extract.prose import vocab
from planextract.models import Block, Document, DocumentMeta

_LEVEL_SUFFIX = regex.compile(r"(?:自治县|自治州|自治区|新区|县|市|区|旗|省)$")
_OUTLINE_NUMBER = regex.compile(r"^[\p{Han}]{1,3}[、．.]\s*|^[（(][\p{Han}]{1,3}[）)]\s*")


@dataclass
class DocContext:
    doc: Document
    meta: DocumentMeta
    region_short: tuple[str, ...]  # the region's names to drop from an indicator (桐庐县, 桐庐)
    review_end: int  # in a work report, the first block about the plan year (0: none)
    past_blocks: set[int] = field(default_factory=set)

    @property
    def plan_start(self) -> int | None:
        return self.meta.plan_start

    @property
    def plan_end(self) -> int | None:
        return self.meta.plan_end

    def in_review(self, block: Block) -> bool:
        """The block reviews the past: a report's review part, or a section headed 成效/回顾 ..."""
        return block.index < self.review_end or past_path(tuple(block.section_path))


def document_context(doc: Document, meta: DocumentMeta) -> DocContext:
    return DocContext(doc, meta, region_names(meta), review_end(doc, meta))


def region_names(meta: DocumentMeta) -> tuple[str, ...]:
    names = []
    if meta.region:
        names.append(meta.region)
        short = _LEVEL_SUFFIX.sub("", meta.region)
        if len(short) >= 2:
            names.append(short)
    return tuple(names)


def review_end(doc: Document, meta: DocumentMeta) -> int:
    """In a work report, the index of the first block about the plan year.

    Reports review the past year before they set the new one's targets; the
    review has no heading of its own in many of them, so its end is found by
    the first heading (or, failing that, paragraph) that turns to the plan year.
    """
    if meta.doc_type != "报告" or not meta.plan_start:
        return 0
    openers = [w.format(year=meta.plan_start) for w in vocab.targets().get("plan_year_openers", [])]

    def opens(b: Block) -> bool:
        text = _OUTLINE_NUMBER.sub("", b.text.strip())
        return any(text.startswith(w) for w in openers)

    for b in doc.blocks:
        heading_like = b.kind == "heading" or (b.kind == "paragraph" and len(b.text) <= 30 and "。" not in b.text)
        if heading_like and "报告" not in b.text and opens(b):
            return b.index
    return 0


@lru_cache(maxsize=1024)
def past_path(section_path: tuple[str, ...]) -> bool:
    """A heading above says the section reviews the past (成效, 回顾, 发展基础 ...)."""
    return any(vocab.words("past_sections").in_text(h) for h in section_path)
