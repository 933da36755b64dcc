"""What the reader knows about a document before it reads a sentence: plan years, region, time frames."""

from __future__ import annotations

from dataclasses import dataclass

import regex

from planextract.extract.prose import timing, vocab
from planextract.extract.prose.frames import Frame, block_frames, document_year
from planextract.models import Block, Document, DocumentMeta

_LEVEL_SUFFIX = regex.compile(r"(?:自治县|自治州|自治区|新区|县|市|区|旗|省)$")


@dataclass
class DocContext:
    doc: Document
    meta: DocumentMeta
    region_short: tuple[str, ...]  # the region's names to drop from an indicator (桐庐县, 桐庐)
    frames: dict[int, Frame]  # by block index: what each block's text is about (frames.py)
    year: int | None  # the year the document speaks from
    reports_progress: bool = False  # a progress report: amounts done so far against the year's plan

    @property
    def plan_start(self) -> int | None:
        return self.meta.plan_start

    @property
    def plan_end(self) -> int | None:
        return self.meta.plan_end

    def frame(self, block: Block) -> Frame:
        return self.frames.get(block.index) or Frame(past=False)


def document_context(doc: Document, meta: DocumentMeta) -> DocContext:
    return DocContext(doc, meta, region_names(meta), block_frames(doc, meta), document_year(meta),
                      reports_progress(doc.text))


def reports_progress(text: str) -> bool:
    """"1-6月累计完成投资…": amounts done (完成投资, 开工率) over part of the year or up to a date (截至)."""
    done = vocab.words("progress_cues").in_text(text)
    so_far = timing.MONTHS_SO_FAR.search(text) is not None or vocab.words("so_far_words").in_text(text)
    return done and so_far


def region_names(meta: DocumentMeta) -> tuple[str, ...]:
    names = []
    if meta.region:
        names.append(meta.region)
        short = _LEVEL_SUFFIX.sub("", meta.region)
        if len(short) >= 2:
            names.append(short)
    return tuple(names)
