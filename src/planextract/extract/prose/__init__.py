"""The prose reader: targets and reported actuals in sentences, one quantity mention at a time.

`read_document` reads every paragraph of a document; `read_targets` reads one
piece of text (a paragraph or a table cell) and is the entry table readers
call for criterion cells written as prose ("较上一年增加。2023年达到80%").
Stages and roles are described in reader.py and mentions.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from planextract.extract.prose import frames, records
from planextract.extract.prose.context import DocContext, document_context
from planextract.extract.prose.mentions import Mention, Role, has_numeral
from planextract.extract.numbers import unit_info
from planextract.extract.prose import timing
from planextract.extract.prose.reader import Reading, Sentence, read_sentence
from planextract.extract.prose.roles import time_role
from planextract.extract.prose.sentences import sentences
from planextract.models import Actual, Block, Document, DocumentMeta, Target

__all__ = ["DocContext", "Mention", "ProseResult", "Role", "document_context", "read_targets", "read_text"]


@dataclass
class ProseResult:
    targets: list[Target] = field(default_factory=list)
    actuals: list[Actual] = field(default_factory=list)
    mentions: list[tuple[Block, int, Mention]] = field(default_factory=list)  # (block, sentence offset, mention)
    truncated: bool = False  # reading stopped at the records limit

    @property
    def records(self) -> int:
        return len(self.targets) + len(self.actuals)

    def extend(self, other: ProseResult) -> None:
        self.targets += other.targets
        self.actuals += other.actuals
        self.mentions += other.mentions
        self.truncated = self.truncated or other.truncated


def read_text(
    ctx: DocContext, block: Block, text: str, offset: int, *,
    source: str = "text", cell: tuple[int, int] | None = None, agencies: Sequence[str] = (),
    limit: int | None = None,
) -> ProseResult:
    """Targets, actuals and every mention in `text`, which starts at `offset` of the clean text.

    With `limit`, reading stops once that many targets and actuals are read (`truncated` says so).
    """
    out = ProseResult()
    if not has_numeral(text):
        return out
    frame = ctx.frame(block)
    seen: dict[str, tuple[int, ProseResult]] = {}  # a sentence repeated in the text reads the same
    for s0, s1 in sentences(text):
        sentence_text = text[s0:s1]
        if not has_numeral(sentence_text):
            continue
        if limit is not None and out.records >= limit:
            out.truncated = True
            break
        if sentence_text in seen:
            first_at, found = seen[sentence_text]
            out.extend(_moved(found, offset + s0 - first_at))
            continue
        found = _read_sentence(ctx, block, frame, sentence_text, offset + s0, source, cell, agencies)
        seen[sentence_text] = (offset + s0, found)
        out.extend(found)
    return out


def _read_sentence(
    ctx: DocContext, block: Block, frame: frames.Frame, text: str, offset: int,
    source: str, cell: tuple[int, int] | None, agencies: Sequence[str],
) -> ProseResult:
    out = ProseResult()
    role, rule = time_role(ctx, text, frame)
    s = Sentence(ctx, block, text, offset, list(agencies), source, cell, role, rule)
    mentions, readings = read_sentence(s)
    out.mentions += [(block, offset, m) for m in mentions]
    for r in readings:
        if r.mention.role is Role.TARGET:
            out.targets.append(records.to_target(s, r))
        else:
            if r.baseline is not None:  # "从874.6亿元增加到1112.4亿元": the from value is a result too
                out.actuals.append(_baseline_actual(s, r, frame))
            period = frames.actual_period(frame, r.clause, r.kind, text[: r.mention.start])
            out.actuals.append(records.to_actual(s, r, *period))
    return out


def _moved(found: ProseResult, delta: int) -> ProseResult:
    """The records of a sentence read before, at the place the same sentence recurs."""
    def move(rec):
        return rec.model_copy(update={"char_start": rec.char_start + delta, "char_end": rec.char_end + delta})

    return ProseResult([move(t) for t in found.targets], [move(a) for a in found.actuals],
                       [(b, at + delta, m) for b, at, m in found.mentions])


def _baseline_actual(s: Sentence, r: Reading, frame: frames.Frame) -> Actual:
    """The "from" value of a reported change: the same indicator, a level, for the year the change starts."""
    assert r.baseline is not None
    q = r.baseline
    stated = timing.stated_years(s.text[max(0, q.start - 12) : q.start])
    factor = unit_info(q.unit).factor or 1.0
    base = replace(r, mention=replace(r.mention, quantity=q), comparator="=",
                   base_value=float(f"{q.value * factor:.12g}"), base_value_high=None,
                   kind="level" if r.kind in {"increase", "growth_rate", "reduction"} else r.kind)
    year = stated[-1] if stated else frames.baseline_year(frame)
    return records.to_actual(s, base, year, None, "year", None)


_last_context: list[DocContext] = []  # table readers ask for many cells of one document in a row


def _context_for(doc: Document, meta: DocumentMeta) -> DocContext:
    if not (_last_context and _last_context[0].doc is doc and _last_context[0].meta is meta):
        _last_context[:] = [document_context(doc, meta)]
    return _last_context[0]


def read_targets(
    doc: Document, meta: DocumentMeta, block: Block, text: str, offset: int, *,
    source: str = "text", cell: tuple[int, int] | None = None, agencies: Sequence[str] = (),
) -> list[Target]:
    """Targets stated in `text`, which starts at `offset` of the document's clean text.

    `cell` is the (row, column) of a table cell the text comes from; `agencies` are the responsible
    agencies already known for the text (a row's 牵头单位).
    """
    ctx = _context_for(doc, meta)
    return read_text(ctx, block, text, offset, source=source, cell=cell, agencies=agencies).targets
