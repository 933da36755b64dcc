"""Time frames: what period the text around a block is about, and the period of a reported result.

A work report reviews the past year and the past plan period, then sets the
plan year's and the next plan's goals; a plan reviews its 发展基础 before it
sets goals. Headings, heading-like lines and paragraph openings that name a
period ("一、2025年工作回顾", "这五年，我们…", "“十五五”时期，要…", "今年是…")
switch the frame: a period before the document's year is reviewed, the
document's year or later is planned. A heading's frame holds for its section;
a paragraph's until the next marker.
"""

from __future__ import annotations

from dataclasses import dataclass
import regex

from planextract.extract.numbers import find_quantities, is_count
from planextract.extract.prose import timing, vocab
from planextract.models import Block, Document, DocumentMeta

_MONTHS = regex.compile(r"(?<![\d.])(1)\s*[-－—–~～至到]\s*(1[0-2]|[2-9])\s*月")
# An opening that reports the year so far: "1-10月", "今年1—8月份", "前三季度", "上半年", "元至九月", "截至8月底".
_SO_FAR_OPENING = regex.compile(
    r"^(?:今年|本年)?(?:截至|截止)?\s*(?:(?:1\s*[-－—–~～至到]\s*(?:1[0-2]|[2-9])\s*月份?|前[一二三1-3]季度"
    r"|元至[二三四五六七八九十]{1,2}月|(?:1[0-2]|[1-9])月(?:底|末))|(?:[一1]季度|上半年)$)"
)
_BULLETS = "●■◆▲★☆•▪◇□○◎►"
_OPENING_END = regex.compile(r"[，,：:。；;！!]")
_FIVE_YEAR_PLAN = regex.compile(r"十[一二三四五六七八九]五")
_HEADING_LIKE_MAX = 30
_CAPTION = regex.compile(r"^(?:表|图|附表|附图|附件)\s*[0-9０-９一二三四五六七八九十]")
# Words in a reviewed plan period's figure that make it one over the whole period (GUIDELINES, actuals).
_PLAN_PERIOD_WORDS = ("年均", "五年", "十四五")  # words that make a figure one of the plan period in any frame
_OVER_PERIOD = ("累计", "五年", "年均", "每年", "连续", "稳定在", "保持", "较“十", "比“十", "较十", "比十")


@dataclass(frozen=True)
class Frame:
    """What a block's text is about: reviewed (past) or planned, and which period."""

    past: bool
    year: int | None = None  # the year reviewed or planned (a plan period: its last year)
    plan: tuple[int, int] | None = None  # first and last year of a plan period, when the frame is one
    so_far: bool = False  # the year so far ("1-10月，…", "前三季度，…"): a statistics or progress report

    @property
    def five_year(self) -> bool:
        return self.plan is not None


NO_FRAME = Frame(past=False)
MIXED = Frame(past=False, year=None, plan=(0, 0))  # names a past and a future period: its paragraphs decide


def document_year(meta: DocumentMeta) -> int | None:
    """The year a document speaks from: its plan's first year, else its publication year."""
    if meta.plan_start:
        return meta.plan_start
    if meta.publish_date and meta.publish_date[:4].isdigit():
        return int(meta.publish_date[:4])
    return None


def block_frames(doc: Document, meta: DocumentMeta) -> dict[int, Frame]:
    """The frame of every block, by block index.

    A heading's frame holds for its section. A heading-like line (a short
    paragraph with no full stop: "“十五五”时期的主要目标任务") is a heading one
    step inside the current section; a paragraph's opening sets the frame of
    the paragraphs after it until the next marker or section.
    """
    year = document_year(meta)
    frames: dict[int, Frame] = {}
    open_sections: list[tuple[float, Frame | None]] = []  # (level, frame set there), outermost first
    paragraph: Frame | None = None
    for b in doc.blocks:
        text = b.text.strip()
        if b.kind == "heading" or _heading_like(b, text):
            level = float(b.level or 1) if b.kind == "heading" else _inner_level(open_sections)
            open_sections = [(lv, f) for lv, f in open_sections if lv < level]
            found = marker_frame(text, year, headings=True)
            open_sections.append((level, NO_FRAME if found is MIXED else found))
            paragraph = None
        elif b.kind == "paragraph" and (found := _opening_frame(text, year)) is not None:
            paragraph = _within_review(found, _innermost(open_sections))
        frames[b.index] = paragraph or _innermost(open_sections)
    return frames


def _within_review(opening_frame: Frame, section: Frame) -> Frame:
    """"2019年，…" under "2019年工作回顾": an opening naming the year its section reviews is still the review."""
    if section.past and section.year is not None and not opening_frame.past and opening_frame.year == section.year:
        return section
    return opening_frame


def _heading_like(b: Block, text: str) -> bool:
    """A short line with no full stop; one that states a figure ("●粮食总产达到557亿斤") is a list item instead."""
    return (b.kind == "paragraph" and len(text) <= _HEADING_LIKE_MAX and "。" not in text and not _CAPTION.match(text)
            and not _states_a_figure(text) and (text[:1] not in _BULLETS or _names_a_period(text)))


def _names_a_period(text: str) -> bool:
    """"■ 2024年成绩单": a bulleted line heads a section only when it names a period or a review."""
    words = ("past_year_words", "past_plan_words", "future_year_words", "future_plan_words", "past_sections")
    return bool(timing.stated_years(text) or _FIVE_YEAR_PLAN.search(text) or any(vocab.words(w).in_text(text) for w in words))


def _states_a_figure(text: str) -> bool:
    """An amount or rate (557亿斤, 6%, 70万人), or any figure after a bullet; not "10个方面" of a heading."""
    bullet = text[:1] in _BULLETS
    return any(bullet or q.magnitude or (q.word and not is_count(q.base_unit or "")) for q in find_quantities(text))


def _inner_level(open_sections: list[tuple[float, Frame | None]]) -> float:
    """A heading-like line sits just inside the innermost open heading."""
    headings = [lv for lv, _ in open_sections if lv == int(lv)]
    return (headings[-1] if headings else 0) + 0.5


def _innermost(open_sections: list[tuple[float, Frame | None]]) -> Frame:
    for _, frame in reversed(open_sections):
        if frame is not None:
            return frame
    return NO_FRAME


def _opening_frame(text: str, doc_year: int | None) -> Frame | None:
    """The frame a paragraph's opening sets; a date to reach ("到2025年，…") is its first clause's, not a frame.

    "1-10月，…", "前三季度，…" report the year so far; "下半年，…" turns to the rest of it.
    """
    words = opening(text)
    if timing.looks_ahead(words):
        return None
    if _SO_FAR_OPENING.match(words):
        return Frame(past=True, year=doc_year, so_far=True)
    if vocab.affixes("rest_of_year_openings").prefix(words):
        return Frame(past=False, year=doc_year)
    found = marker_frame(words, doc_year)
    return None if found is MIXED else found


def opening(text: str) -> str:
    """A paragraph's opening words: up to its first clause mark, past a salutation."""
    for s in vocab.targets().get("opening_salutations", []):
        text = text.removeprefix(s)
    m = _OPENING_END.search(text)
    return text[: m.start()] if m else text[:_HEADING_LIKE_MAX]


def marker_frame(text: str, doc_year: int | None, headings: bool = False) -> Frame | None:
    """The frame a marker text sets: None when it names no period, MIXED when a past and a future one.

    A heading that names no period but reviews (发展基础, 主要成效, 回顾) is past too.
    """
    if headings and (reviewed := reviewed_year(text)) is not None:
        return Frame(past=True, year=reviewed)
    past: list[Frame] = []
    future: list[Frame] = []
    for y in timing.stated_years(text):  # "比2020年增长": a baseline's year names no period
        if doc_year is not None:
            (past if y < doc_year else future).append(Frame(past=y < doc_year, year=y))
    for m in _FIVE_YEAR_PLAN.finditer(text):
        end = timing.five_year_end(m.group(0))
        if end is not None and doc_year is not None:
            frame = Frame(past=end < doc_year, year=end, plan=(end - 4, end))
            (past if frame.past else future).append(frame)
    if doc_year is not None:
        if vocab.words("past_year_words").in_text(text):
            past.append(Frame(past=True, year=doc_year - 1))
        if vocab.words("past_plan_words").in_text(text):
            past.append(Frame(past=True, year=doc_year - 1, plan=(doc_year - 5, doc_year - 1)))
        if vocab.words("future_year_words").in_text(text):
            future.append(Frame(past=False, year=doc_year))
        if vocab.words("future_plan_words").in_text(text):
            future.append(Frame(past=False, year=doc_year + 4, plan=(doc_year, doc_year + 4)))
    if headings and not past and vocab.words("past_sections").in_text(text):
        past.append(Frame(past=True))
    if past and future:
        return MIXED  # "“十四五”时期发展成就和“十五五”时期主要目标任务": its paragraphs decide
    found = past or future
    if not found:
        return None
    # A year named beside a plan ("2025年是“十四五”收官之年") is the one meant.
    return next((f for f in found if not f.five_year and f.year is not None), found[0])


def reviewed_year(heading: str) -> int | None:
    """The one year a review heading names ("2019年工作回顾"), else None (two years or a plan: a mixed heading)."""
    years = set(timing.stated_years(heading))
    if len(years) != 1 or _FIVE_YEAR_PLAN.search(heading) or not vocab.words("review_headings").in_text(heading):
        return None
    return years.pop()


def actual_period(frame: Frame, clause: str, kind: str, sentence_before: str) -> tuple[int | None, int | None, str, str | None]:
    """(year, year_start, period, months) of a result read in a past frame or a past sentence.

    `clause` is the text of the result's clause up to its number; `sentence_before` the whole
    sentence up to it.
    """
    months = _MONTHS.search(sentence_before)
    years = timing.stated_years(clause)
    if months:
        return (years[-1] if years else frame.year), None, "months", f"{months.group(1)}-{months.group(2)}"
    if years:
        return years[-1], None, "year", None
    if frame.plan is not None and (kind in {"increase", "growth_rate", "reduction"} or any(w in clause for w in _OVER_PERIOD)):
        return frame.plan[1], frame.plan[0], "five_year", None
    if frame.past and frame.year is not None and any(w in clause for w in _PLAN_PERIOD_WORDS):
        return frame.year, frame.year - 4, "five_year", None  # "年均增长7.8%" under "2025年和“十四五”时期…"
    return frame.year, None, "year", None


def baseline_year(frame: Frame) -> int | None:
    """The year of a "from" value in a reviewed period: the year before it starts."""
    if frame.plan is not None:
        return frame.plan[0] - 1
    return frame.year - 1 if frame.year is not None else None
