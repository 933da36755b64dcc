"""Read a sentence: its mentions, each given a role, and the goal or result each target/actual states.

The stages, in order, for every mention of a sentence:

1. structural role: a number inside a title, the "from" of a change, a
   threshold inside a name, a rule clause or a rank is no goal (roles.py);
2. phrase: the indicator and scope from the words before it (indicator.py),
   with what a list hands on ("A、B分别…", a verb or indicator shared with
   the previous item of the sentence: `Carry`);
3. unit: as written, or implied by a bare magnitude (超6.7万 of income);
4. qualifiers: comparator, kind, ambition (cues.py);
5. year: the clause's, else the section's, else the document's (timing.py).

Whether a readable mention is a target or an actual is the sentence's time
role (roles.time_role), decided before its mentions are read.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property

import regex

from planextract.extract import cues
from planextract.extract.numbers import Quantity, implied_unit, is_count, unit_info
from planextract.extract.prose import indicator as ind
from planextract.extract.prose import roles, timing, vocab
from planextract.extract.prose.context import DocContext
from planextract.extract.prose.mentions import Mention, Role, find_mentions, has_numeral
from planextract.extract.prose.sentences import clause_start
from planextract.extract.segment import has_verb
from planextract.models import Block

_LETTER = regex.compile(r"\p{L}")
_DATE_OR_PUNCT = regex.compile(r"[到至在]?\s*(?:19|20)\d{2}\s*年(?:底|末)?|[，,：:\s]")
_NO_UNIT: frozenset[str] = frozenset()  # base units never read as a goal or result
# An action verb does not make these a count of new things (amounts, shares, durations, ages).
_LEVEL_UNITS = frozenset({"元", "%", "百分点", "小时", "天", "分钟", "岁", "倍", "个工作日"})
_GROUP_OPENERS = regex.compile(r"^(?:其中|全省|全市|全区|全县|共有|共)+")
_BENEFICIARY_MARKS = frozenset({"为", "在", "对", "向", "帮助", ""})
_STOCK_REACH = regex.compile(r"(?:累计|总数|总量|总计|共)\s*(?:达到|达|增至|超过|超)|增至|保有")
_EACH = regex.compile(r"(?<![年平人])均\s*(?:\p{Han}{0,4})$")  # "均增长", "均达": each item of the list


@dataclass
class Sentence:
    """A sentence and where it sits: its block, its offset in the clean text, its time role."""

    ctx: DocContext
    block: Block
    text: str
    offset: int  # of text[0] in the document's clean text
    agencies: list[str]
    source: str  # text | table
    cell: tuple[int, int] | None
    role: Role  # target or actual: what its readable mentions are
    role_rule: str

    @cached_property
    def times(self) -> timing.SentenceTimes:
        return timing.SentenceTimes.of(self.text)


@dataclass
class Reading:
    """What a target or actual mention says: every field a record needs."""

    mention: Mention
    indicator: str
    scope: str | None
    unit: str
    base_unit: str
    base_value: float | None
    base_value_high: float | None
    comparator: str
    kind: str
    ambition: str | None
    year: int | None
    year_start: int | None
    baseline_value: float | None
    baseline_year: int | None
    evidence: str
    start: int  # span of the evidence in the document's clean text
    end: int
    clause: str  # the sentence up to the number, from the clause start (for actuals' period words)
    baseline: Quantity | None = None  # the "from" of a change, when the sentence gives one

    @property
    def value(self) -> float:
        return self.mention.quantity.value

    @property
    def value_high(self) -> float | None:
        return self.mention.quantity.value_high


@dataclass
class Carry:
    """What one readable mention of a sentence hands to the next."""

    left: int = 0  # where the next clause may start: after the previous reading
    prev: Reading | None = None
    prev_verb: str = ""  # "新增A 5家、B 3家": B takes 新增
    prev_end: int = 0
    prev_action: str = ""
    sentence_ambition: str | None = None
    subjects: list[ind.Subject] = field(default_factory=list)  # "A、B…分别达到x、y": still to hand out
    last_subjects: list[ind.Subject] = field(default_factory=list)
    baselines: list[Quantity] = field(default_factory=list)  # "由5元提高至10元": 5 is where it starts


@dataclass
class _Phrase:
    indicator: str
    scope: str | None
    comparator: str
    rate_word: str | None
    raw: str  # the words before the number, comparator and rate words cut
    verb: str
    inherited: bool  # indicator and scope taken from the previous reading
    took_verb: bool = False  # the previous reading's verb was put before the indicator
    shared: list[str] = field(default_factory=list)  # "A、B均增长5%": every item the one figure is for


def read_sentence(s: Sentence) -> tuple[list[Mention], list[Reading]]:
    """Every mention of the sentence with its role, and the readings of its targets or actuals."""
    mentions = find_mentions(s.text)
    carry = Carry()
    starts = _from_values(s.text, mentions)
    readings = []
    for i, m in enumerate(mentions):
        readings += _read_mention(s, m, carry, i in starts, mentions[i + 1 :])
    return mentions, readings


def _from_values(text: str, mentions: list[Mention]) -> set[int]:
    """The mentions a change starts from: "由5元提高至10元", "从209元、280元提高到…", "从15个县扩大到…"."""
    found: set[int] = set()
    for i in range(len(mentions) - 1, -1, -1):
        m = mentions[i]
        listed_before_one = i + 1 in found and text[m.tail : mentions[i + 1].start].strip() in ("、", "和")
        if listed_before_one or roles.is_from_value(text[m.tail :], text[: m.start]):
            found.add(i)
    return found


def _names_a_group(text: str, m: Mention, before: str, follow: str, mentions_after: list[Mention]) -> bool:
    """"8支产业基金带动社会投资超千亿元": a count opening a clause that only names whom the next figure is about.

    A count of projects carried out is kept ("304个省列重大项目完成投资2929亿元").
    """
    if not ind.counts(m.quantity) or not follow or "项目" in follow or _GROUP_OPENERS.sub("", before.strip()):
        return False
    after = m.tail + len(follow)
    if text[after : after + 1] in ("和", "、", "及"):
        return False  # "5个地级市和5个县级城市新获评…": a list of counts
    clause_end = next((i for i, ch in enumerate(text[m.tail :], m.tail) if ch in "，,；;。"), len(text))
    return any(n.start < clause_end and not roles.is_threshold(n.quantity, text, text[n.tail :]) for n in mentions_after)


def _read_mention(s: Sentence, m: Mention, carry: Carry, starts_change: bool = False,
                  mentions_after: list[Mention] | None = None) -> list[Reading]:
    rest = s.text[m.tail :]
    if starts_change:
        carry.baselines.append(m.quantity)
        m.decide(Role.BASELINE, "baseline.from_to")
        return []
    if _structural_role(s, m, carry, rest):
        return []
    start = clause_start(s.text, carry.left, m.start)
    before = s.text[start : m.start]
    follow = ind.following_noun(m.quantity, rest)
    role, rule, left = _clause_role(s, m, carry, before, follow, mentions_after or [])
    if role not in (Role.TARGET, Role.ACTUAL):
        carry.left = carry.left if left is None else left
        m.decide(role, rule)
        return []
    phrase = _phrase(s, m, carry, before, follow + _shared_predicate(s.text, m, follow, mentions_after or []))
    if phrase is None:
        carry.left = m.tail + len(follow)
        return []
    unit = _unit(m.quantity, phrase.indicator)
    if unit is None:
        carry.left = m.tail
        m.decide(Role.OTHER, "other.unit")
        return []
    action_before = carry.prev_action
    reading = _reading(s, m, carry, phrase, unit, start, before, follow)
    if rule == "target.plan_figure":
        reading = _with_project_group(s, reading)
    if role is Role.TARGET and _lists_projects(s, reading, before, follow):
        m.decide(Role.STRUCTURE, "structure.project_count")
        carry.left, carry.prev_action = m.tail + len(follow), action_before  # no verb to hand on
        return []
    m.decide(role, rule)
    carry.prev, carry.prev_end, carry.left = reading, m.tail, m.tail + len(follow)
    # A shared verb carries along a chain of items that took it, never past one that did not.
    carry.prev_verb = phrase.verb or (carry.prev_verb if phrase.took_verb or phrase.inherited else "")
    if phrase.shared:
        return [replace(reading, indicator=_rate_stripped(item, reading.kind)) for item in phrase.shared]
    return [reading]


def _with_project_group(s: Sentence, r: Reading) -> Reading:
    """"省重点项目2个，年度计划投资9亿元": a bare plan figure is the named group's (省重点项目年度计划投资)."""
    cue = vocab.affixes("plan_figure_cues").suffix(r.indicator)
    if cue is None or len(r.indicator) - len(cue) > 2:  # 年度计划完成投资, 当年计划投资: no group named yet
        return r
    group = ind.project_group(s.text[: r.mention.start], s.block.section_path)
    return replace(r, indicator=group + r.indicator) if group else r


def _lists_projects(s: Sentence, r: Reading, before: str, follow: str) -> bool:
    """A progress report's plain count of projects, in a sentence that sets no goal: the list's size."""
    if not s.ctx.reports_progress or r.comparator != "=" or r.ambition or roles.sets_a_goal(s.text):
        return False
    return roles.counts_listed_projects(r.mention.quantity, r.indicator, follow, before, r.kind)


def _clause_role(
    s: Sentence, m: Mention, carry: Carry, before: str, follow: str, mentions_after: list[Mention],
) -> tuple[Role, str, int | None]:
    """Stage 1b: (role, rule, where the next clause may start, None: where it was) from the words around the number.

    A number that is no target or actual stops here; else its role is the sentence's time role unless
    the words around it decide otherwise (roles.mention_role: a plan figure, a share of a plan ...).
    """
    if s.role is Role.TARGET and roles.is_rule_clause(before) and not carry.baselines:
        return Role.RULE, "rule.clause", m.tail  # 按…的70%, 给予最高…奖励; a reported 资助金 is an amount
    comma_clause = s.text[clause_start(s.text, 0, m.start) : m.start]
    if roles.is_ordinal(s.text, m.quantity) or roles.is_rank(comma_clause, m.quantity):
        return Role.STRUCTURE, "structure.rank", m.tail
    if roles.is_streak(before):
        return Role.STRUCTURE, "structure.streak", None  # what the streak holds keeps its subject
    if roles.counts_items_under(s.text, m.quantity):
        return Role.STRUCTURE, "structure.items_under", m.tail
    if roles.counts_own_list(follow):
        return Role.STRUCTURE, "structure.own_list", m.tail + len(follow)
    if _names_a_group(s.text, m, before, follow, mentions_after):
        return Role.STRUCTURE, "structure.group_head", m.tail  # the group's noun is the next figure's indicator
    role, rule = roles.mention_role(before, follow, m.quantity, m.comparator_after) or (s.role, s.role_rule)
    return role, rule, m.tail + len(follow)


def _rate_stripped(indicator: str, kind: str) -> str:
    return (ind.strip_rate_words(indicator) or indicator) if kind in {"growth_rate", "reduction"} else indicator


def _structural_role(s: Sentence, m: Mention, carry: Carry, rest: str) -> bool:
    """Stage 1: numbers that are part of the sentence's structure, not amounts it sets or reports."""
    if roles.in_title(s.text, m.start):
        m.decide(Role.STRUCTURE, "structure.in_title")
    elif roles.in_definition(s.text, m.start):
        m.decide(Role.STRUCTURE, "structure.definition")
    elif roles.is_threshold(m.quantity, s.text, rest):
        m.decide(Role.THRESHOLD, "threshold.in_name")
    else:
        return False
    return True


def _phrase(s: Sentence, m: Mention, carry: Carry, before: str, follow: str) -> _Phrase | None:
    """Stage 2: the indicator and scope, or None (and the mention's role) when there is none."""
    split, raw, respectively = _words_before(before, follow, carry)
    indicator, scope = ind.clean(raw, follow, s.ctx.region_short, bool(carry.baselines)) if raw or follow else ("", None)
    if respectively and not indicator and carry.subjects and not carry.subjects[0][0]:
        indicator = carry.subjects[0][1]
    verb = ind.leading_verb(indicator)
    took_verb = _takes_shared_verb(carry, m, before, indicator, verb)
    if took_verb:
        indicator = carry.prev_verb + indicator
    indicator, scope, inherited = _from_context(s, m, carry, before, raw, follow, indicator, scope, respectively)
    if not indicator or not _LETTER.search(indicator):
        m.decide(Role.STRUCTURE, "structure.no_indicator")
        return None
    if roles.counts_parts(indicator, m.quantity.word + follow):
        m.decide(Role.STRUCTURE, "structure.counts_parts")
        return None
    if scope is None and not inherited and _carries_scope(s, m, carry, indicator):
        scope = carry.prev.scope if carry.prev else None  # "园区容积率达1.0以上，投资强度达260万元/亩以上": the same 园区
    if carry.subjects and (respectively or inherited):
        is_scope, item = carry.subjects.pop(0)
        if is_scope:
            scope = item
        else:
            indicator, scope = item, None
    shared = [] if respectively or inherited else _shared_items(before, indicator, m, s.text)
    return _Phrase(indicator, scope, split.comparator, split.rate_word, raw, verb, inherited, shared=shared,
                   took_verb=took_verb)


def _words_before(before: str, follow: str, carry: Carry) -> tuple[ind.Before, str, bool]:
    """(comparator and rate word, the raw indicator words, whether 分别 hands out a list) of the words before."""
    split = ind.split_before(before)
    raw = split.text
    if not raw.strip() and follow and before.lstrip().startswith("为"):
        raw = "为"  # "为超8000名孤独症儿童免费提供…服务": whom a service is for opens the indicator
    if carry.baselines:  # "保费由每生每年5元提高至10元": the indicator stops before 由
        cut = max(raw.rfind("由"), raw.rfind("从"))
        raw = raw[:cut] if cut > 0 else raw
    respectively = "分别" in before
    raw = raw.replace("分别", "")
    if respectively:
        carry.subjects, raw = ind.respective_subjects(ind.strip_hedges(raw), carry.last_subjects)
        carry.last_subjects = list(carry.subjects)
    return split, raw, respectively


def _takes_shared_verb(carry: Carry, m: Mention, before: str, indicator: str, verb: str) -> bool:
    """"新增平台30个、企业100户": an item with no verb of its own takes the list's."""
    prev = carry.prev
    return bool(
        indicator and not verb and carry.prev_verb and prev is not None and _alike_units(prev.base_unit, m.quantity)
        and not ind.has_reach_verb(before) and not has_verb(indicator)
        and not vocab.words("reach_people_verbs").in_text(indicator)
    )


def _from_context(
    s: Sentence, m: Mention, carry: Carry, before: str, raw: str, follow: str,
    indicator: str, scope: str | None, respectively: bool,
) -> tuple[str, str | None, bool]:
    """(indicator, scope, inherited) completed from the previous item and the clause before this one."""
    prev, inherited = carry.prev, False
    topic = _clause_topic(s.text, start_of(before, s.text, m))
    if topic and indicator.removesuffix(follow) in vocab.longest_first("task_heads"):
        return ind.strip_hedges(topic) or topic, scope, False  # "美丽村庄建设，全年任务为282个村": the task is the topic's
    if raw.endswith("的") and not follow and (prev is not None or topic):
        # "办电时间，无电力外线工程的不超过5个工作日": a condition is the scope of the clause's topic
        scope, indicator = indicator.removesuffix("的"), (prev.indicator if prev is not None else topic)
    elif not indicator and prev is not None:
        indicator, scope, inherited = prev.indicator, prev.scope, True
    elif prev is not None and not respectively:
        indicator = _completed(indicator, prev)
    if scope is None and topic and indicator in vocab.longest_first("bare_measures") + vocab.longest_first("core_indicators"):
        if industry := ind.industry_named(topic):  # "发展预制菜产业，产值突破100亿元": the industry is the scope
            scope = industry
    return indicator, scope, inherited


def _carries_scope(s: Sentence, m: Mention, carry: Carry, indicator: str) -> bool:
    """A platform's scope goes on to the next measure of its clause chain (not past a ；, nor to a verb's item)."""
    prev = carry.prev
    return bool(prev is not None and prev.scope and ind.is_platform(prev.scope)
                and not _new_clause(s.text[carry.prev_end : m.start]) and not ind.leading_verb(indicator))


def _shared_items(before: str, indicator: str, m: Mention, text: str) -> list[str]:
    """The items one figure is for: "A、B均增长5%", or a list of rates ("A率、B率达到90%").

    Not when more numbers follow in a list ("A、B 5%、6%": those pair one to one).
    """
    if text[m.tail : m.tail + 1] in ("、", "和"):
        return []
    items, core = ind.subjects(indicator, [], ind.LISTED)
    if len(items) < 2 or core or any(is_scope for is_scope, _ in items):
        return []
    if _EACH.search(before) or all(ind.is_indicator_like(p) for p in ind.LISTED.split(indicator)):
        return [name for _, name in items]
    return []


def _shared_predicate(text: str, m: Mention, follow: str, mentions_after: list[Mention]) -> str:
    """"320家食堂、40家配送单位实现全覆盖": the predicate after the list's last count is every count's."""
    at = m.tail + len(follow)
    if not follow or text[at : at + 1] not in ("、", "和") or not mentions_after:
        return ""
    nxt = mentions_after[0]
    if nxt.start != at + 1 or not ind.counts(nxt.quantity):
        return ""
    return ind.predicate_of(ind.following_noun(nxt.quantity, text[nxt.tail :]))


def start_of(before: str, text: str, m: Mention) -> int:
    return m.start - len(before)


def _clause_topic(text: str, clause_at: int) -> str:
    """The comma-clause right before the one a number is in, when it holds no number: its topic."""
    if clause_at <= 0 or text[clause_at - 1] not in "，,":
        return ""
    prev_start = clause_start(text, 0, clause_at - 1)
    topic = text[prev_start : clause_at - 1].strip()
    return "" if has_numeral(topic) or len(topic) > 30 else topic


def _completed(indicator: str, prev: Reading) -> str:
    """A bare measure word takes the previous item's subject: "上市公司达288家、总市值超8600亿元" -> 上市公司总市值;
    "无人机产量增长39%、占全国9成" -> 无人机产量占全国比重."""
    subject = ind.without_action(prev.indicator)
    share = indicator.lstrip("约近超")  # "约占全国": the hedge is the comparator's
    if share.startswith("占") and len(share) <= 6:
        return subject + share + ("" if ind.is_rate(share) else "比重")
    if indicator in vocab.longest_first("bare_measures"):
        return subject + indicator
    return indicator


def _alike_units(prev_base: str, q: Quantity) -> bool:
    """The same unit, or both counts (新增平台30个、企业100户): items a shared verb runs over."""
    return prev_base == q.base_unit or (is_count(prev_base) and ind.counts(q))


def _new_clause(between: str) -> bool:
    return "；" in between or ";" in between


def _unit(q: Quantity, indicator: str) -> tuple[str, str, float] | None:
    """Stage 3: (unit, base unit, factor); a bare magnitude takes the unit its indicator implies."""
    unit, base_unit, factor = q.unit, q.base_unit, q.factor
    if not q.word and q.base_unit != "":  # a bare magnitude: 超6.7万, 千亿大关
        unit = implied_unit(q.magnitude, indicator) or ""
        info = unit_info(unit)
        base_unit, factor = info.base_unit, info.factor
    if base_unit is None or base_unit in _NO_UNIT or factor is None:
        return None
    return unit, base_unit, factor


def _kind(phrase: _Phrase, carry: Carry, before: str, base_unit: str) -> tuple[str, str]:
    """Stage 4a: (kind, the action verb the phrase opens with or inherits)."""
    kind = cues.kind_of(phrase.indicator, base_unit, phrase.rate_word)
    prev = carry.prev
    if phrase.inherited and prev is not None and not phrase.rate_word and prev.base_unit == base_unit:
        kind = prev.kind  # "增长5%…, 三产增加值 6%": the list keeps its kind
    action = ind.leading_verb(phrase.raw) or ind.leading_verb(phrase.indicator) or _verb_after_beneficiary(phrase) or (
        carry.prev_action if phrase.inherited or not (ind.has_reach_verb(before) or _names_a_measure(phrase)) else "")
    if phrase.inherited and _STOCK_REACH.search(before):
        return ("level" if kind == "increase" else kind), ""  # "新增A 50个，累计达8000个": a stock
    if kind == "level" and action and base_unit not in _LEVEL_UNITS and "保有" not in phrase.indicator:
        kind = "increase"  # 完成…2800亩, 争创…1个: a count of things newly done
    if base_unit not in {"%"} and vocab.affixes("point_change_words").suffix(phrase.raw.rstrip()):
        kind = "increase"  # 城镇化率提升1个百分点, 津贴标准提高510元: a change by an amount
    return kind, action


def _names_a_measure(phrase: _Phrase) -> bool:
    """"粮食产量1270万吨" after "新增就业110万人": an item naming its own measure takes no verb from the one before."""
    return phrase.indicator.endswith(vocab.longest_first("indicator_endings"))


def _verb_after_beneficiary(phrase: _Phrase) -> str:
    """"为800个老旧小区引入物业服务": the verb follows whom it serves."""
    if phrase.raw.strip() in _BENEFICIARY_MARKS or phrase.raw.lstrip().startswith("为"):
        found = cues.word_set("increase").first(phrase.indicator)
        return found[1] if found else ""
    return ""


def _ambition(s: Sentence, carry: Carry, phrase: _Phrase, before: str, clause_at: int, q_at: int) -> str | None:
    """Stage 4b: the clause's own hedge, else the list's, else the sentence's."""
    if carry.prev is None:
        carry.sentence_ambition = sentence_ambition(s.text, clause_at, q_at)
    inherited = carry.prev.ambition if phrase.inherited and carry.prev else None
    # A hedge governs the items its comma-clause lists: "确保A稳定在x以上、B稳定在y左右".
    comma_clause = s.text[clause_start(s.text, 0, q_at) : q_at]
    return cues.ambition_in(before) or cues.ambition_in(comma_clause) or inherited or carry.sentence_ambition


def sentence_ambition(sentence: str, clause_start_at: int, qstart: int) -> str | None:
    """The hedge that governs a whole sentence: one in the first target's clause,
    or one that opens the sentence with nothing but a date after it
    ("力争到2025年，A…，B…"), not one inside an earlier clause of its own."""
    found = cues.ambition_at(sentence[:qstart])
    if found is None:
        return None
    kind, pos, word = found
    if pos >= clause_start_at:
        return kind
    between = _DATE_OR_PUNCT.sub("", sentence[pos + len(word) : clause_start_at])
    return kind if not between else None


def _reading(
    s: Sentence, m: Mention, carry: Carry, phrase: _Phrase, unit: tuple[str, str, float],
    clause_at: int, before: str, follow: str,
) -> Reading:
    q = m.quantity
    unit_as_written, base_unit, factor = unit
    comparator = m.comparator_after[0] if m.comparator_after else phrase.comparator
    if comparator == "=" and m.comparator:
        comparator = m.comparator  # 两位数增长: >= 10%
    kind, carry.prev_action = _kind(phrase, carry, before, base_unit)
    kind = m.kind or kind  # 翻一番: a growth rate whatever the words before say
    indicator = phrase.indicator
    if kind in {"growth_rate", "reduction"}:
        indicator = ind.strip_rate_words(indicator) or indicator
    if base_unit in {"元", "百分点"} and (w := vocab.affixes("point_change_words").suffix(indicator)):  # 林分优化提升 stays
        indicator = indicator[: -len(w)] or indicator
    ambition = _ambition(s, carry, phrase, before, clause_at, q.start)
    year, year_start = s.times.target_year(q.start, clause_at, s.block, s.ctx.frame(s.block).year or s.ctx.plan_end,
                                           s.ctx.year)
    evidence = s.text[clause_at : m.tail + len(follow)].strip("，,；; ")
    start = s.offset + max(s.text.find(evidence, clause_at), 0) if evidence else s.offset + q.start
    base_from = carry.baselines.pop(0) if carry.baselines else None
    if base_from is not None and base_from.unit != q.unit:
        base_from = None
    return Reading(
        mention=m, indicator=indicator, scope=phrase.scope, unit=unit_as_written, base_unit=base_unit,
        base_value=_round(q.value * factor),
        base_value_high=_round(q.value_high * factor) if q.value_high is not None else None,
        comparator=comparator, kind=kind, ambition=ambition, year=year, year_start=year_start,
        baseline_value=base_from.value if base_from else None,
        baseline_year=timing.baseline_year(s.text[clause_at : q.start]),
        evidence=evidence, start=start, end=start + len(evidence), clause=before, baseline=base_from,
    )


def _round(x: float) -> float:
    return float(f"{x:.12g}")
