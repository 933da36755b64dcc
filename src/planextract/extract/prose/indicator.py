"""The indicator phrase of a mention: the words before the number, cut to a short noun phrase.

"到2025年，全县规上工业增加值年均增长7%以上" -> comparator ">=", rate word
"年均增长", indicator "规上工业增加值". A count may take the noun after it
("新增30家企业研发机构" -> 新增企业研发机构); a place or platform before a
core indicator becomes the scope ("装备制造产业规上工业总产值").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import regex

from planextract.extract import cues, periods
from planextract.extract.numbers import Quantity, is_count
from planextract.extract.prose import vocab
from planextract.extract.segment import words

_BREAK = regex.compile(r"(?:大关|左右|上下|以上|以下|以内|[，。；、（(]|[和及与或至到]\s*[0-9０-９])")
_NOUN = regex.compile(r"[\p{Han}A-Za-z“”\"·\-]+(?:[（(][\p{Han}、]{1,6}[）)])?")  # 57个县（市）
_YEAR_PHRASE = regex.compile(r"(?:[到至比较与]|相比)?\s*(?:19|20)\d{2}\s*年(?:年?(?:底|末))?前?(?:相比)?")  # 2025年年底前
_EMPTY_HEADS = ("活动", "工作")
_EXAMPLE_CHAIN = regex.compile(r"(?P<rest>(?:、[^、，,；;。等]{1,8})+)等(?=\p{Han})")
_MORE_EXAMPLES = regex.compile(r"、[\p{Han}“”、]{1,24}?等[\p{Han}]{1,8}")
_ABBREVIATION = regex.compile(r"[（(][A-Za-z0-9.]{2,8}[）)]")  # 地区生产总值(GDP)
_SHARE_OF = regex.compile(r"(?:约|近|超)?占(?P<whole>全国|全省|全市|全区|全县|全球)$")
# "连续9年", "连续16个季度", "2022年以来": a streak's span is not part of what it holds.
_STREAK = regex.compile(r"(?:连续|连年)[0-9０-９一二两三四五六七八九十]+个?(?:年|月|季度|次|届)|(?:19|20)\d{2}\s*年以来")
_RANGE_YEARS = regex.compile(r"((?:19|20)\d{2})\s*[-－—–~～至到]\s*((?:19|20)\d{2})\s*年")
_BREAKDOWN_OPENERS = ("包括", "其中")  # open a breakdown of the figure before: "（包括63个…、62个…）"
_HAN_BEFORE = regex.compile(r"\p{Han}$")
_EDGE_PUNCT = regex.compile(r"^[\s、，,]+|[\s、，,]+$")
_AND = regex.compile(r"[、和与及]")
LISTED = regex.compile(r"、")  # items of a list one figure is shared by: only 、 (和, 与, 及 join names too)
# List markers that open an item: "1.", "（三）", "二、", "十是", "其一，".
_LIST_MARKER = regex.compile(
    r"^(?:[●■◆▲★☆•▪◇□○◎►]+|[0-9０-９]{1,3}\s*[.、．)）]|[（(][0-9０-９一二三四五六七八九十]{1,3}[）)]|[一二三四五六七八九十]{1,3}[、是]|其[一二三四五六七八九十])\s*"
)


# A group of projects named before its count ("省重点项目2个", "在建项目185项") or after it ("300个市级重点项目").
_GROUP_THEN_COUNT = regex.compile(r"(?<![0-9０-９])(?P<noun>[\p{Han}、“”]{1,16}?项目)(?:共|有)?\s*[0-9０-９]+\s*[个项宗]")
_COUNT_THEN_GROUP = regex.compile(r"[0-9０-９]+\s*[个项宗](?P<noun>[\p{Han}、“”]{1,16}?项目)")
# A section about one group: "一、市级重点项目进展情况".
_GROUP_HEADING = regex.compile(r"(?<![0-9０-９])(?P<noun>[\p{Han}、“”]{1,16}?项目)(?:建设)?(?:进展|推进|完成|实施|建设)情况")
_GROUP_OPENING = regex.compile(r"^(?:(?:19|20)\d{2}\s*年|今年|其中|全市|全县|全区|全省|我市|我县|我区|我省|共|计划|安排|列入|纳入|实施)+")


@dataclass(frozen=True)
class Before:
    """The words before a number, split into what they say about it."""

    comparator: str  # from a word right before the number (超过, 不低于), else "="
    rate_word: str | None  # 增长, 年均增长, 下降 ... printed right before the number
    text: str  # the rest: the raw indicator phrase


@lru_cache(maxsize=8192)
def split_before(before: str) -> Before:
    """Cut the comparator, reach verbs and rate words printed right before the number."""
    text = before.rstrip()
    comparator = "="
    rate_word: str | None = None
    changed = True
    while changed and text:
        changed = False
        hit = cues.comparator_before(text)
        if hit:
            comparator = comparator if comparator != "=" else hit[0]
            text = text[: -len(hit[1])]
            changed = True
            continue
        w = cues.affixes("reach").suffix(text) or vocab.affixes("drop_suffixes").suffix(text)
        if not w and (v := vocab.affixes("measure_reach_verbs").suffix(text)) and _HAN_BEFORE.search(text[: -len(v)]):
            w = v  # "地区生产总值完成46.1亿元": the measure stays, its verb goes
        if w:
            text = text[: -len(w)]
            changed = True
            continue
        w = cues.affixes("growth_rate", "reduction").suffix(text)
        if w:
            rate_word = w + (rate_word or "")
            text = text[: -len(w)]
            changed = True
        if not changed and text.endswith("同比"):
            text = text[:-2]
            changed = True
    return Before(comparator, rate_word, text)


def starts_with_break(rest: str) -> bool:
    """Words after a quantity that end it rather than name something after it."""
    return bool(_BREAK.match(rest))


def counts(q: Quantity) -> bool:
    """True for a count of things (30家, 5个), which may be followed by what it counts."""
    return bool(q.word) and is_count(q.base_unit or "")


def following_noun(q: Quantity, rest: str) -> str:
    """For a count, the noun phrase right after it: '30家[杭州市级以上企业研发机构]'."""
    if rest.startswith("的"):  # 整理出至少3000亩的土地空间
        rest = rest[1:]
    elif not counts(q):
        return ""
    m = _NOUN.match(rest)
    if not m or starts_with_break(rest):
        return ""
    noun = m.group(0)
    if rest[len(noun) : len(noun) + 1].isdigit() and noun[-1:] in "和及与":
        noun = noun[:-1]  # "40个绿美点和6条绿美带": stop before the next count
    if examples := _MORE_EXAMPLES.match(rest, len(noun)):
        noun += examples.group(0)  # "5000场次专题教育、家长课堂等活动": the list is the noun
    return noun


def predicate_of(noun: str) -> str:
    """What a listed count's noun says of it: "学生集体用餐配送单位实现全覆盖" -> "实现全覆盖"."""
    found = [(noun.find(w), w) for w in vocab.longest_first("list_predicates") if noun.find(w) >= 2]
    return noun[min(found)[0] :] if found else ""


@lru_cache(maxsize=8192)  # pure: the same words before a number read the same (clauses repeat in lists)
def clean(text: str, follow: str, region_short: tuple[str, ...], keep_lead: bool = False) -> tuple[str, str | None]:
    """(indicator, scope) from the raw phrase before a number and the noun after it.

    `keep_lead`: the words before the number are the indicator's head even when long (a change
    "县中托管帮扶从15个县扩大到57个县" counts the same noun on both sides).
    """
    text = _LIST_MARKER.sub("", text.lstrip())
    text = _ABBREVIATION.sub("", _STREAK.sub("", text))
    for rel in reversed(periods.relative_periods(text)):  # "未来五年制造业投资": a period, not the indicator
        text = text[: rel.start] + text[rel.end :]
    text = _YEAR_PHRASE.sub("", text)
    text = _RANGE_YEARS.sub("", text)
    text = _EDGE_PUNCT.sub("", text)
    if text.startswith("“") and "”" not in text[1:] or text.startswith("”"):
        text = text[1:]
    if text[:1] in "（(" and not any(c in text for c in "）)"):
        text = text[1:]  # "（包括63个省级补助村": a breakdown opened in brackets
    text = _drop_prefixes(text, vocab.longest_first("drop_prefixes") + region_short)
    if follow and text in _BREAKDOWN_OPENERS:
        text = ""  # "包括63个省级补助村": the counted noun is the indicator
    scope, text = _scope_before_reach_verb(text)
    if v_start := next((v for v in ("实现", "完成") if text.startswith(v) and len(text) > len(v) + 1), None):
        if not follow:
            text = text[len(v_start) :]
    text = _drop_examples(text)
    if follow:
        verb = leading_verb(text)
        if text.endswith("等"):  # "实施杜家坎等30项市级疏堵工程": the named examples are not the indicator
            text = verb + follow
        else:  # "整理出" + "土地空间", "打造" + "百亿产业"; a long lead-in keeps only its verb.
            text = (text if len(text) <= 5 or not verb or keep_lead else verb) + follow
    text = _drop_long_modifier(drop_listed_examples(text))
    if scope is None:
        scope, text = split_scope(text)
    return _as_share(_drop_endings(_drop_light_words(text.strip("，,、；; ")))), scope


def _as_share(text: str) -> str:
    """"粮食产量约占全国" -> "粮食产量占全国比重": a share of a larger whole is a ratio."""
    if text.endswith("占") and len(text) > 3:
        return text + "比"  # "对共建国家投资占50%以上": the share of what comes before
    m = _SHARE_OF.search(text)
    if m is None or m.start() == 0:
        return text
    return text[: m.start()] + "占" + m.group("whole") + "比重"


def _drop_endings(text: str) -> str:
    """"危旧简易楼排险工作" -> "危旧简易楼排险": a trailing word that names no measure;
    "地区生产总值总量" -> "地区生产总值": 总量 after a measure adds nothing."""
    if text.endswith("总量") and text[:-2].endswith(vocab.longest_first("core_indicators")):
        return text[:-2]
    for w in vocab.longest_first("drop_endings"):
        if text.endswith(w) and len(text) - len(w) >= 2:
            return text[: -len(w)]
    return text


def _drop_light_words(text: str) -> str:
    """推进, 开展, 持续 ... at the start say how, not what: 推进重点区域环境整治 -> 重点区域环境整治."""
    words = vocab.longest_first("light_words")
    changed = True
    while changed:
        changed = False
        for w in words:
            if text.startswith(w) and len(text) - len(w) >= 2:
                text = text[len(w) :]
                changed = True
    return text


def _opens_a_word(prefix: str, text: str) -> bool:
    """A one-character prefix that starts a longer word: 使用外资, 在建项目, 可再生能源 keep it."""
    return len(prefix) == 1 and vocab.affixes("prefix_words").prefix(text) is not None


def _drop_prefixes(text: str, prefixes: tuple[str, ...]) -> str:
    """Leading time, place and hedge words (全年, 全县, 力争 ...), and hedges anywhere."""
    initials = vocab.initials(prefixes)
    changed = True
    while changed and text:
        changed = False
        if text[0] in initials:  # most texts start with none of the prefixes: skip the scan
            for p in prefixes:
                if text.startswith(p) and len(text) > len(p) and not _opens_a_word(p, text):
                    text = text[len(p) :]
                    changed = True
        for word in cues.ambition_words():
            if word in text:
                text = text.replace(word, "")
                changed = True
    return text


def _drop_examples(text: str) -> str:
    """"生物医药等重点产业链" -> "重点产业链": examples named before 等 are not the indicator (its verb stays)."""
    if "等" not in text[1:-1]:
        return text
    ws = words(text)
    if "等" not in ws[1:-1]:
        return text  # 高等教育, 中等收入: 等 inside a word
    i = len(ws) - 1 - ws[::-1].index("等")
    return leading_verb(text) + "".join(ws[i + 1 :])


def drop_listed_examples(text: str) -> str:
    """"免费提供个体康复、社会融入等针对性服务" -> "免费提供针对性服务": a 、-list of examples before 等.

    The first example is taken as long as the longest one after it (the list's items are alike).
    """
    m = _EXAMPLE_CHAIN.search(text)
    if m is None or text[m.end() :].startswith(_EMPTY_HEADS):
        return text  # "专题教育、家长课堂等活动": with an empty head word the examples are what is counted
    later = [x for x in m.group("rest").split("、") if x]
    first_len = max(map(len, later))
    start = max(0, m.start() - first_len)
    return text[:start] + text[m.end() :]


def _scope_before_reach_verb(text: str) -> tuple[str | None, str]:
    """A reach verb in the middle separates a scope from the indicator:
    迎春商务区实现营业收入 -> scope 迎春商务区, indicator 营业收入."""
    for v in ("实现", "达到", "新增", "新引入", "新引进"):
        i = text.find(v)
        if 0 < i and i + len(v) < len(text):
            head, tail = text[:i], text[i + len(v) :]
            if looks_like_scope(head) and (len(head) >= 3 or not v.startswith("新")):  # 城镇新增就业: no scope
                return head, (v + tail if v.startswith("新") else tail)  # 新增 stays: 园区 | 新增入驻企业
            break
    return None, text


def looks_like_scope(text: str) -> bool:
    return len(text) <= 12 and text.endswith(vocab.longest_first("scope_suffixes"))


def is_platform(scope: str) -> bool:
    """A platform or place (园区, 开发区, 镇), not an industry."""
    return scope.endswith(_platform_suffixes())


def _platform_suffixes() -> tuple[str, ...]:
    return vocab.longest_first("platform_suffixes")


def split_scope(text: str) -> tuple[str | None, str]:
    """A scope printed before a core indicator.

    '装备制造产业规上工业总产值' -> ('装备制造', '规上工业总产值'); before a short core (产值,
    增加值) only an industry splits off, and keeps its 产业: '光伏光电产业产值' -> ('光伏光电产业', '产值').
    """
    cores, anywhere = _long_cores()
    if anywhere.in_text(text[1:]):
        for core in cores:
            i = text.find(core)
            if i > 0:
                head = text[:i]
                if looks_like_scope(head):
                    if head.endswith("产业") and head not in vocab.targets().get("generic_industries", []) and len(head) >= 4:
                        head = head[:-2]
                    return head, text[i:]
                break
    for core in _short_cores():
        head = text[: -len(core)]
        if text.endswith(core) and len(head) > 2 and head.endswith("产业") and head not in vocab.targets().get("generic_industries", []):
            return head, core
    return None, text


@lru_cache(maxsize=1)
def _short_cores() -> tuple[str, ...]:
    return tuple(c for c in vocab.longest_first("core_indicators") if len(c) < 4)


@lru_cache(maxsize=1)
def _long_cores() -> tuple[tuple[str, ...], cues.Words]:
    """The core indicators that split a scope off (four characters or more), longest first, and as one search."""
    cores = tuple(c for c in vocab.longest_first("core_indicators") if len(c) >= 4)
    return cores, cues.Words(cores)


def _drop_long_modifier(text: str) -> str:
    """'招引研究领域与…高度吻合的海内外高层次人才' -> '招引海内外高层次人才'."""
    i = text.rfind("的")
    if i <= 0:
        return text
    head, tail = text[:i], text[i + 1 :]
    if is_rate(tail) or "占" in head:
        return text  # "农村低保标准占城镇低保标准的最低比例": the ratio needs both sides
    if len(tail) >= 4 and len(head) >= 8:
        return leading_verb(head) + tail
    return text


def industry_named(clause: str) -> str | None:
    """The industry or cluster a clause is about ("发展养生滋补预制菜产业" -> 养生滋补预制菜产业), else None."""
    text = _drop_examples(_drop_light_words(clause.strip()))
    changed = True
    while changed:  # 发展, 做强做优: the verbs before the industry
        changed = False
        for v in vocab.longest_first("industry_verbs"):
            if text.startswith(v):
                text, changed = text[len(v) :], True
    if not text.endswith(("产业", "产业集群", "集群")) or text in vocab.targets().get("generic_industries", []):
        return None
    return text if len(text) >= 4 else None


def without_action(indicator: str) -> str:
    """"新增境内外上市公司" -> "境内外上市公司": the thing, without the verb that adds to it."""
    verb = cues.affixes("increase").prefix(indicator)
    return indicator[len(verb) :] if verb and len(indicator) > len(verb) + 1 else indicator


def leading_verb(text: str) -> str:
    """The action verb an indicator opens with (or has within its first words)."""
    found = cues.word_set("increase").first(text, within=6)
    return found[1] if found else ""


def strip_rate_words(indicator: str) -> str:
    """'规上工业增加值增速' -> '规上工业增加值': kind says it is a rate."""
    changed = True
    while changed:
        changed = False
        for w in cues.words("growth_rate") + cues.words("reduction") + ("年均", "平均", "幅度"):
            if indicator.endswith(w) and len(indicator) > len(w):
                indicator = indicator[: -len(w)]
                changed = True
    return indicator


def has_reach_verb(text: str) -> bool:
    return _reach_verbs_2().in_text(text)


@lru_cache(maxsize=1)
def _reach_verbs_2() -> cues.Words:
    """Reach verbs of two characters or more (达, 超 alone are too common to mean one)."""
    return cues.Words(v for v in cues.reach_verbs() if len(v) >= 2)


# --------------------------------------------------------------------------
# lists: "A、B…分别达到x、y"
# --------------------------------------------------------------------------

Subject = tuple[bool, str]  # (is a scope, the name)


def subjects(text: str, previous: list[Subject], joined: regex.Pattern[str] = _AND) -> tuple[list[Subject], str]:
    """The items of a list that several numbers ("分别达到x、y") or one shared figure ("均增长x") go to.

    '开发区、高铁新区工业用地总面积' -> ([scope 开发区, scope 高铁新区], '工业用地总面积');
    '水果、蔬菜、茶叶产量' -> whole indicators sharing the last word: [水果产量, 蔬菜产量, 茶叶产量], '';
    '市民服务热线诉求解决率、满意率' -> sharing the head: [.., 市民服务热线诉求满意率], '';
    '适龄儿童入园率和普惠率' -> each item whole. With no list of its own, a clause reuses the
    sentence's previous list.
    """
    if "、" in text:
        joined = LISTED  # "文化及相关产业、旅游及相关产业…": 及 joins inside the items
    parts = [p for p in joined.split(text) if p]
    if len(parts) < 2:
        return list(previous), text
    scope, core = _split_scope_prefix(parts[-1])
    if scope is not None:
        return [(True, p) for p in parts[:-1] + [scope]], core
    if tail := _shared_tail(parts):
        return [(False, p + tail) for p in parts[:-1]] + [(False, parts[-1])], ""
    if head := _shared_head(parts):
        return [(False, parts[0])] + [(False, head + p) for p in parts[1:]], ""
    return [(False, p) for p in parts], ""


def respective_subjects(text: str, previous: list[Subject]) -> tuple[list[Subject], str]:
    """The items "分别" hands its numbers to: a list, or 城乡 read as 城镇 and 农村
    ("城乡居民人均可支配收入分别增长5%、6.5%")."""
    if text.startswith("城乡") and len(text) > 4 and "、" not in text:
        return [(False, "城镇" + text[2:]), (False, "农村" + text[2:])], ""
    return subjects(text, previous)


def _shared_tail(parts: list[str]) -> str:
    """What the items share at the end: the last item past the first item's length, cut at a word.

    "原煤、原油、天然气产量" -> 产量; "美丽河湖、美丽海湾建成率" -> 建成率;
    "困难残疾人生活补贴、重度残疾人护理补贴标准" -> 标准; "A率、B率": none (each is whole).
    """
    first, last = parts[0], parts[-1]
    n = len(first)
    if len(last) <= n or first[-1] == last[-1]:
        return ""
    bounds, pos = [], 0
    for w in words(last):
        bounds.append(pos)
        pos += len(w)
    near = [b for b in bounds if abs(b - n) <= 1 and b > 0]
    cut = n if n in bounds or not near else max(near)
    return last[cut:]


def strip_hedges(text: str) -> str:
    """A list's text before it is split into items: no list marker, hedge or light word at its start.

    (A region's name stays: in a list it names a place, "建德经济开发区、…园区".)
    """
    text = _LIST_MARKER.sub("", text.lstrip())
    return _drop_light_words(_drop_prefixes(text, vocab.longest_first("drop_prefixes")))


def is_indicator_like(item: str) -> bool:
    """An item that names a measure of its own (研发经费投入, 高技术制造业增加值, 覆盖率)."""
    return len(item) >= 3 and (is_rate(item) or item.endswith(vocab.longest_first("indicator_endings")))


def _shared_head(parts: list[str]) -> str:
    """The first item's head, when the later items are single short words ("诉求解决率、满意率")."""
    first = words(parts[0])
    if len(parts[0]) < 6 or len(first) < 3 or any(len(p) > 4 for p in parts[1:]):
        return ""
    return "".join(first[:-1])


def is_rate(indicator: str) -> bool:
    """A share or rate (率, 比重, 占比): a figure that cannot be summed over a list's items."""
    return indicator.endswith(_RATE_ENDINGS)


_RATE_ENDINGS = ("率", "比重", "占比", "比例")


def _split_scope_prefix(text: str) -> tuple[str | None, str]:
    """The longest leading place/platform name in text, and what follows it."""
    best = None
    for suffix in vocab.targets().get("scope_suffixes", []):
        if suffix == "产业":
            continue
        i = text.rfind(suffix)
        if i > 0 and i + len(suffix) < len(text):
            end = i + len(suffix)
            if best is None or end > best:
                best = end
    if best is None:
        return None, text
    return text[:best], text[best:]


def project_group(before: str, headings: list[str]) -> str:
    """The group of projects a progress report's plan figure is for ("省重点项目2个，…年度计划投资9亿元" -> 省重点项目).

    The last group counted in the sentence before the figure; a section heading about a narrower group of
    the same kind ("一、市级重点项目进展情况" over "全市安排重点项目458个") names it better. "" when none.
    """
    clause_groups = [m for r in (_GROUP_THEN_COUNT, _COUNT_THEN_GROUP) for m in r.finditer(before)]
    group = ""
    if clause_groups:
        last = max(clause_groups, key=lambda m: m.end())
        noun = last.group("noun")
        noun = noun[max(noun.rfind(c) for c in "，,；;：:（(") + 1:] if any(c in noun for c in "，,；;：:（(") else noun
        group = _GROUP_OPENING.sub("", noun)
    for heading in reversed(headings):
        if (h := _GROUP_HEADING.search(_LIST_MARKER.sub("", heading.strip()))) is not None:
            named = _GROUP_OPENING.sub("", h.group("noun"))
            if not group or (named.endswith(group) and named != group):
                return named
            break
    return group
