"""Roles of mentions: the checks that tell a goal or a result from every other number.

Each check returns the rule's name when it applies, so the mention can say
why it was left out. The words come from rules/targets.toml.
"""

from __future__ import annotations

import regex

from planextract.extract import cues
from planextract.extract.numbers import Quantity
from planextract.extract.prose import timing, vocab
from planextract.extract.prose.context import DocContext
from planextract.extract.prose.frames import Frame
from planextract.extract.prose.indicator import counts, leading_verb, starts_with_break
from planextract.extract.prose.mentions import Role

_CJK = regex.compile(r"\p{Han}")
_AT_LEAST_END = regex.compile(r"(?:至少|不少于|不低于)$")
_CHANGE_TO = regex.compile(r"^(?:提高|提升|增加|增长|扩大|降低|下降|减少|压减|缩短|压缩|缩小)(?:到|至)")
_MILESTONE = regex.compile(r"^(?:[两二三四五六七八九十]个)?(?:大)?台阶")
_CHANGE_VERB = r"(?:提高|提升|增加|增长|扩大|降低|下降|减少|压减|缩短|压缩|缩小)"
# "从15个县（市）扩大到": a counted noun between the number and the change.
_NOUN_THEN_CHANGE_TO = regex.compile(rf"^[^，,；;。、0-9]{{1,8}}?{_CHANGE_VERB}(?:到|至)")
_FROM = regex.compile(r"[从由][^，,；;。从由]{0,10}$")
# "占年度投资计划的73%", "为年投资计划的80%": the share of a plan already done.
_PLAN_SHARE = regex.compile(r"[占为][^，,；;。]{0,8}计划的?$")
_MONTHS_SO_FAR = timing.MONTHS_SO_FAR
# "比上年增长13.1%", "同比下降4.3%": a precise change against last year, with no bound, reports the year.
_VS_LAST_YEAR = regex.compile(
    r"(?:同比|比上年同期|较上年同期|比上年|较上年|比去年|较去年)(?:增长|下降|增加|减少|提高|回落|上涨)\s*[0-9０-９]+(?:\.[0-9]+)?\s*(?:%|％|个百分点|倍)"
    r"(?!\s*(?:以上|左右|以内|以下|上下))"
)
_DONE_REACH = 6  # characters before a number a done-mark may stand in ("已改造户厕" + 31万座)


def in_title(sentence: str, pos: int) -> bool:
    """A number inside 《…》 or a short “…” belongs to a name ("省民营经济32条")."""
    if sentence.rfind("《", 0, pos) > sentence.rfind("》", 0, pos):
        return True
    open_q = sentence.rfind("“", 0, pos)
    if open_q > sentence.rfind("”", 0, pos):
        close = sentence.find("”", pos)
        return 0 <= close - open_q <= 16
    return False


def in_definition(sentence: str, pos: int) -> bool:
    """"（进展占比低于91.7%或增幅低于目标，下同）": a bracket that defines a term for the text after it."""
    open_at = max(sentence.rfind("（", 0, pos), sentence.rfind("(", 0, pos))
    if open_at < 0 or max(sentence.rfind("）", 0, pos), sentence.rfind(")", 0, pos)) > open_at:
        return False
    closes = [i for i in (sentence.find("）", pos), sentence.find(")", pos)) if i >= 0]
    return bool(closes) and vocab.words("definition_marks").in_text(sentence[open_at : min(closes)])


def is_from_value(rest: str, before: str = "") -> bool:
    """"由5元[提高至]10元", "从15个县（市）[扩大到]57个": the number is where a change starts."""
    if _CHANGE_TO.match(rest):
        return True
    return _FROM.search(before) is not None and _NOUN_THEN_CHANGE_TO.match(rest) is not None


def is_threshold(q: Quantity, sentence: str, rest: str) -> bool:
    """A threshold inside a name (10亿元以上企业, 5000万以上的项目), not a goal."""
    before = sentence[: q.start]
    if _MILESTONE.match(rest):
        return False  # "迈上6万亿元台阶": a threshold reached is a level (GUIDELINES milestones)
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


def is_streak(before: str) -> bool:
    """连续16个季度: a streak, not an amount reached."""
    return before.rstrip().endswith(vocab.longest_first("streak_words"))


def is_rank(comma_clause: str, q: Quantity) -> bool:
    """排名由369位上升到235位: places in a ranking."""
    return q.word in vocab.longest_first("rank_units") and vocab.words("rank_words").in_text(comma_clause)


def counts_items_under(sentence: str, q: Quantity) -> bool:
    """"牵头工作（8项）", "重点任务(12项)": a bracketed count of the items a heading lists."""
    open_at = q.start - 1
    if open_at < 0 or sentence[open_at] not in "（(" or sentence[q.end : q.end + 1] not in "）)":
        return False
    return vocab.affixes("listed_item_heads").suffix(sentence[:open_at].rstrip()) is not None


def counts_own_list(noun: str) -> bool:
    """"30条防汛硬措施", "55项民生实事项目": a count of the document's own list items.

    The word ends the counted noun (or comes right before 项目): "11家企业入选重点产业链链主企业" counts firms.
    """
    for w in vocab.longest_first("not_counted"):
        i = noun.find(w)
        if i >= 0 and noun[i + len(w) :] in ("", "项目"):
            return True
    return False


def counts_parts(indicator: str, counted: str = "") -> bool:
    """指标, 方面, 项任务 ...: the number counts parts of the document.

    `counted` is the unit word and the noun after it ("项任务举措"), where the word may sit.
    """
    words = vocab.words("not_indicators")
    return words.in_text(indicator) or words.in_text(counted)


def counts_listed_projects(q: Quantity, indicator: str, follow: str, before: str, kind: str) -> bool:
    """"重点工程项目共30项", "省级6项", "31宗未开工项目": in a progress report, the size of the project list.

    Called for a plain count of a sentence that sets no goal; a count the year's plan sets
    ("计划新开工项目20个") is still a goal.
    """
    if not counts(q) or q.word not in vocab.longest_first("project_count_units") or "计划" in before:
        return False
    if vocab.words("project_nouns").in_text(indicator + follow):
        verb = leading_verb(indicator)  # "建设产业项目3800个" is work to do; "建设项目27项", "新开工项目" are kinds
        return not verb or vocab.affixes("project_nouns").prefix(indicator[indicator.find(verb) + len(verb):]) is not None
    return kind == "level" and q.word != "个"  # "（省级6项、市级5项）": the parts of the list just counted


def says_done(before: str) -> bool:
    """"实际完成25万亩", "已改造户厕31万座", "超额完成20%": a done-mark within the few words before the number."""
    tail = before.rstrip()[-_DONE_REACH:]
    return vocab.words("done_marks").in_text(tail) and cues.ambition_in(before) is None


def time_role(ctx: DocContext, sentence: str, frame: Frame) -> tuple[Role, str]:
    """Whether the sentence's goals-or-results are goals (target) or results (actual), and why."""
    if frame.past and not (frame.so_far and sets_a_goal(sentence)):  # "1-6月…。力争全年…": the hedge looks ahead
        return Role.ACTUAL, "time.past_frame"
    if not sets_a_goal(sentence):
        if vocab.words("progress_cues").in_text(sentence):
            return Role.ACTUAL, "time.progress"
        if _MONTHS_SO_FAR.search(sentence):
            return Role.ACTUAL, "time.months_so_far"
    if not sets_a_goal(sentence) and _VS_LAST_YEAR.search(sentence):
        return Role.ACTUAL, "time.vs_last_year"
    if not sets_a_goal(sentence) and vocab.words("strong_past_cues").in_text(sentence):
        return Role.ACTUAL, "time.review_cue"  # "五年来，…年均增长6%以上": 以上 is no future here
    future = vocab.words("future_cues").in_text(sentence)
    years = timing.stated_years(sentence)
    if ctx.plan_start and years and max(years) < ctx.plan_start and not timing.looks_ahead(sentence):
        return Role.ACTUAL, "time.past_year"
    if not future and vocab.words("past_cues").in_text(sentence):
        return Role.ACTUAL, "time.past_cue"
    if not future and frame.year is None and ctx.year is None and vocab.words("weak_past_cues").in_text(sentence):
        return Role.ACTUAL, "time.past_cue"
    return Role.TARGET, "time.future"


def sets_a_goal(sentence: str) -> bool:
    """A hedge (力争, 确保) or a date to reach (到2025年): the sentence looks ahead, whatever else it says."""
    return cues.ambition_in(sentence) is not None or timing.looks_ahead(sentence)


def _bounded(before: str, after: tuple[str, str] | None) -> bool:
    return after is not None or cues.comparator_before(before.rstrip()) is not None


def mention_role(before: str, follow: str, q: Quantity, after: tuple[str, str] | None = None) -> tuple[Role, str] | None:
    """A role the words around one mention decide, whatever the sentence's time role is."""
    if vocab.words("description_cues").in_text(before) and not _bounded(before, after):
        return Role.OTHER, "other.project_description"  # 总投资7206.7亿元; but 总投资不低于2000亿元 is a goal
    if _PLAN_SHARE.search(before):
        return Role.ACTUAL, "actual.plan_share"
    if says_done(before):
        return Role.ACTUAL, "actual.done"
    if vocab.affixes("plan_figure_cues").suffix(before.rstrip("：:为达共约")):
        return Role.TARGET, "target.plan_figure"
    if counts(q) and vocab.words("list_verbs").in_text(before) and "项目" in before + follow:
        return Role.STRUCTURE, "structure.list_size"
    return None
