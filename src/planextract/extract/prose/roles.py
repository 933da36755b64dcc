"""Roles of mentions: the checks that tell a goal or a result from every other number.

Each check returns the rule's name when it applies, so the mention can say
why it was left out. The words come from rules/targets.toml.
"""

from __future__ import annotations

import regex

from planextract.extract.numbers import Quantity
from planextract.extract.prose import timing, vocab
from planextract.extract.prose.context import DocContext
from planextract.extract.prose.indicator import counts, starts_with_break
from planextract.extract.prose.mentions import Role

_CJK = regex.compile(r"\p{Han}")
_AT_LEAST_END = regex.compile(r"(?:至少|不少于|不低于)$")
_CHANGE_TO = regex.compile(r"^(?:提高|提升|增加|增长|扩大|降低|下降|减少|压减|缩短|压缩)(?:到|至)")


def in_title(sentence: str, pos: int) -> bool:
    """A number inside 《…》 or a short “…” belongs to a name ("省民营经济32条")."""
    if sentence.rfind("《", 0, pos) > sentence.rfind("》", 0, pos):
        return True
    open_q = sentence.rfind("“", 0, pos)
    if open_q > sentence.rfind("”", 0, pos):
        close = sentence.find("”", pos)
        return 0 <= close - open_q <= 16
    return False


def is_from_value(rest: str) -> bool:
    """"由5元[提高至]10元": the number is where a change starts."""
    return _CHANGE_TO.match(rest) is not None


def is_threshold(q: Quantity, sentence: str, rest: str) -> bool:
    """A threshold inside a name (10亿元以上企业, 5000万以上的项目), not a goal."""
    before = sentence[: q.start]
    if rest.startswith("的"):
        return not _AT_LEAST_END.search(before)
    if rest.startswith(("级", "强")):
        return True
    if q.base_unit in {"%", "百分点"}:
        return False
    if rest[:1] and _CJK.match(rest[:1]) and not starts_with_break(rest):
        if not counts(q):
            return True
    return False


def is_rule_clause(before: str) -> bool:
    """按…的70%, 给予最高…奖励: a clause that sets a rule."""
    return vocab.words("rule_cues").in_text(before)


def is_ordinal(sentence: str, q: Quantity) -> bool:
    """第3, 前10: a rank, not an amount."""
    return sentence[max(0, q.start - 2) : q.start].endswith(("第", "前"))


def counts_parts(indicator: str) -> bool:
    """指标, 方面, 项任务 ...: the number counts parts of the document."""
    return vocab.words("not_indicators").in_text(indicator)


def time_role(ctx: DocContext, sentence: str, in_review: bool) -> tuple[Role, str]:
    """Whether the sentence's goals-or-results are goals (target) or results (actual), and why."""
    if in_review:
        return Role.ACTUAL, "time.review_section"
    future = vocab.words("future_cues").in_text(sentence)
    years = timing.stated_years(sentence)
    if ctx.plan_start and years and max(years) < ctx.plan_start and not timing.looks_ahead(sentence):
        return Role.ACTUAL, "time.past_year"
    if not future and vocab.words("past_cues").in_text(sentence):
        return Role.ACTUAL, "time.past_cue"
    return Role.TARGET, "time.future"
