"""The prose target reader's public entry: targets in a piece of text (a paragraph or a table cell).

Table readers call this for criterion cells written as prose ("较上一年增加。2023年达到80%"),
so every sentence is read by one reader whatever block it sits in.
"""

from __future__ import annotations

from collections.abc import Sequence

from planextract.models import Block, Document, DocumentMeta, Target


def read_targets(
    doc: Document, meta: DocumentMeta, block: Block, text: str, offset: int, *,
    source: str = "text", cell: tuple[int, int] | None = None, agencies: Sequence[str] = (),
) -> list[Target]:
    """Targets stated in `text`, which starts at `offset` of the document's clean text.

    `cell` is the (row, column) of a table cell the text comes from; `agencies` are the responsible
    agencies already known for the text (a row's 牵头单位).
    """
    from planextract.extract import targets  # the reader still lives there; it moves here next

    return targets.read_prose(doc, meta, block, text, offset, source=source, cell=cell, agencies=list(agencies))
