"""Targets: forward-looking quantitative goals, from prose and from tables.

Prose is read one sentence at a time (ambition and year carry over a whole
sentence: "力争到2025年，A达到x，B超过y；C达z"), and one quantity at a time
inside it. For each quantity the indicator is the text between the previous
clause boundary (or the previous target) and the number, cut of time words,
hedges and reach verbs; a count followed by a noun ("新增30家企业研发机构")
takes the noun. Table grids are read by table_targets.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import lru_cache

import regex

from planextract import rules
from planextract.extract import cues, table_targets
from planextract.extract.agencies import split_agencies
from planextract.extract.numbers import CN_DIGITS, Quantity, find_quantities, find_years, implied_unit, is_count, unit_info
from planextract.extract.segment import has_verb
from planextract.models import Block, Document, DocumentMeta, Target

_CJK = regex.compile(r"\p{Han}")
_NUMERAL = regex.compile(rf"[\d{CN_DIGITS}]")  # a text without one holds no quantity
_RANGE_YEARS = regex.compile(r"((?:19|20)\d{2})\s*[-－—–~～至到]\s*((?:19|20)\d{2})\s*年")
_TO_YEAR = regex.compile(r"[到至]\s*20\d\d")
_LETTER = regex.compile(r"\p{L}")
_AT_LEAST_END = regex.compile(r"(?:至少|不少于|不低于)$")
_BREAK = regex.compile(r"(?:大关|左右|上下|以上|以下|以内|[，。；、（(]|[和及与或至到]\s*[0-9０-９])")
_NOUN = regex.compile(r"[\p{Han}A-Za-z“”\"·\-]+")
_YEAR_PHRASE = regex.compile(r"(?:[到至比较与]|相比)?\s*(?:19|20)\d{2}\s*年(?:底|末|前)?(?:相比)?")
_EDGE_PUNCT = regex.compile(r"^[\s、，,]+|[\s、，,]+$")
_CLOSE = regex.compile(r"[）)]")
_SENTENCE_PUNCT = regex.compile(r"[，。；]")
_AND = regex.compile(r"[、和与及]")
_COMPARED = regex.compile(r"(?:比|较|与|相比|对比)\s*$")
_CHANGE_TO = regex.compile(r"^(?:提高|提升|增加|增长|扩大|降低|下降|减少|压减|缩短|压缩)(?:到|至)")
# Five-year plans: a section or sentence about one is about its last year.
_FIVE_YEAR = {"十一五": 2010, "十二五": 2015, "十三五": 2020, "十四五": 2025, "十五五": 2030, "十六五": 2035}
_RESP_LABEL = r"(?:主要)?(?:责任单位|牵头单位|责任部门|牵头部门|责任主体)"
# A trailing note "（责任单位：A、B）" (names may hold brackets: 开发区（航空小镇）).
_RESP = regex.compile(rf"[（(]\s*{_RESP_LABEL}\s*[:：](?P<body>.*?)[）)]?\s*[。.]?\s*$")
# The same note printed as a line of its own under the item.
_RESP_LINE = regex.compile(rf"^(?P<open>[（(])?\s*{_RESP_LABEL}\s*[:：](?P<body>.*?)(?(open)[）)])\s*[。.]?\s*$")
_SUPPORT_PART = regex.compile(r"^\s*(?:配合|协助|参与|协同)(?:单位|部门)\s*[:：]|(?:配合|参与|协助)\s*$")
_RESP_PREFIX = regex.compile(rf"^\s*{_RESP_LABEL}\s*[:：]")
_CLAUSE_SEP = regex.compile(r"[，,；;]")
_LEVEL_SUFFIX = regex.compile(r"(?:自治县|自治州|自治区|新区|县|市|区|旗|省)$")
_OUTLINE_NUMBER = regex.compile(r"^[\p{Han}]{1,3}[、．.]\s*|^[（(][\p{Han}]{1,3}[）)]\s*")
_DATE_OR_PUNCT = regex.compile(r"[到至在]?\s*(?:19|20)\d{2}\s*年(?:底|末)?|[，,：:\s]")
_NAME_END = regex.compile(r"[。，,；;（(\n]")
_ROW_NUMBER = regex.compile(r"[★☆*＊]?\d+")


@dataclass
class _Context:
    doc: Document
    meta: DocumentMeta
    plan_start: int | None
    plan_end: int | None
    region_short: list[str]


@lru_cache(maxsize=1)
def _cfg() -> dict:
    return rules.load("targets")


@lru_cache(maxsize=None)
def _list(name: str) -> tuple[str, ...]:
    """A word list of rules/targets.toml, longest first."""
    return tuple(sorted(_cfg().get(name, []), key=len, reverse=True))


@lru_cache(maxsize=64)
def _initials(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(w[:1] for w in words)


@lru_cache(maxsize=None)
def _affixes(name: str) -> cues.Affixes:
    return cues.Affixes(_list(name))


def extract_targets(doc: Document, meta: DocumentMeta) -> list[Target]:
    ctx = _Context(doc, meta, meta.plan_start, meta.plan_end, _region_names(meta))
    out: list[Target] = []
    review_end = _review_end(doc, meta)
    item: list[Target] = []  # the targets of the last paragraph, for a note on the next line
    for block in doc.blocks:
        if block.index < review_end or _past_section(block):
            continue
        if block.kind == "paragraph":
            line = _RESP_LINE.match(block.text.strip())
            if line:
                for t in item:
                    t.agencies = t.agencies or _responsible(line.group("body"))
                item = []
                continue
            item = _from_text(ctx, block, block.text, block.start, _agencies_of(block.text))
            out += item
        elif block.kind == "table" and block.table is not None:
            out += _from_table_prose(ctx, block)
    out += table_targets.extract_table_targets(doc, meta, meta.plan_end)
    for i, t in enumerate(out):
        t.target_id = f"{doc.doc_id}-t{i:04d}"
    return out


def read_prose(
    doc: Document, meta: DocumentMeta, block: Block, text: str, offset: int, *,
    source: str = "text", cell: tuple[int, int] | None = None, agencies: list[str] | None = None,
) -> list[Target]:
    """Targets in one piece of text (see planextract.extract.prose.read_targets)."""
    ctx = _Context(doc, meta, meta.plan_start, meta.plan_end, _region_names(meta))
    return _from_text(ctx, block, text, offset, agencies or [], source=source, cell=cell)


# --------------------------------------------------------------------------
# context
# --------------------------------------------------------------------------


def _region_names(meta: DocumentMeta) -> list[str]:
    names = []
    if meta.region:
        names.append(meta.region)
        short = _LEVEL_SUFFIX.sub("", meta.region)
        if len(short) >= 2:
            names.append(short)
    return names


def _review_end(doc: Document, meta: DocumentMeta) -> int:
    """In a work report, the index of the first block about the plan year.

    Reports review the past year before they set the new one's targets; the
    review has no heading of its own in many of them, so its end is found by
    the first heading (or, failing that, paragraph) that turns to the plan year.
    """
    if meta.doc_type != "报告" or not meta.plan_start:
        return 0
    openers = [w.format(year=meta.plan_start) for w in _cfg().get("plan_year_openers", [])]

    def opens(b: Block) -> bool:
        text = _OUTLINE_NUMBER.sub("", b.text.strip())
        return any(text.startswith(w) for w in openers)

    for b in doc.blocks:
        heading_like = b.kind == "heading" or (b.kind == "paragraph" and len(b.text) <= 30 and "。" not in b.text)
        if heading_like and "报告" not in b.text and opens(b):
            return b.index
    return 0


def _past_section(block: Block) -> bool:
    return _past_path(tuple(block.section_path))


@lru_cache(maxsize=1024)
def _past_path(section_path: tuple[str, ...]) -> bool:
    return any(_words("past_sections").in_text(h) for h in section_path)


@lru_cache(maxsize=None)
def _words(name: str) -> cues.Words:
    """A word list of rules/targets.toml, to search for inside a text."""
    return cues.Words(_cfg().get(name, []))


def _agencies_of(text: str) -> list[str]:
    """Agencies named for a numbered item: its trailing （责任单位：…）, lead first."""
    m = _RESP.search(text)
    return _responsible(m.group("body")) if m else []


def _responsible(body: str) -> list[str]:
    """Names in a responsibility note, lead first, without the supporting ones."""
    body = body.split("。")[0]
    names: list[str] = []
    for part in _CLAUSE_SEP.split(body):
        if _SUPPORT_PART.search(part) and names:
            continue  # "各成员单位配合", "配合单位：…": support, not responsible for the target
        part = _RESP_PREFIX.sub("", part)
        names += split_agencies(part)
    return names


# --------------------------------------------------------------------------
# prose
# --------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _sentence_re() -> regex.Pattern[str]:
    ends = regex.escape(_cfg().get("sentence_end", "。！？!?\n"))
    return regex.compile(rf"[^{ends}]+[{ends}]?|[{ends}]")


# A "sentence" longer than this (a text with no full stops: a pasted list, a hostile file)
# is read in pieces cut after a clause separator: the work per target grows with the
# length of its sentence, so an unbounded one makes a block's cost quadratic.
MAX_SENTENCE = 4000


def _sentences(text: str) -> list[tuple[int, int]]:
    """Spans of the sentences in text, each with its closing mark (over-long ones in pieces)."""
    spans = []
    for m in _sentence_re().finditer(text):
        s0, s1 = m.span()
        while s1 - s0 > MAX_SENTENCE:
            cut = _last_clause_end(text, s0, s0 + MAX_SENTENCE)
            spans.append((s0, cut))
            s0 = cut
        spans.append((s0, s1))
    return spans


def _last_clause_end(text: str, start: int, limit: int) -> int:
    """Just after the last clause separator in text[start:limit] (at limit when there is none)."""
    cut = max(text.rfind(sep, start, limit) for sep in _cfg().get("clause_sep", "，,；;：:"))
    return cut + 1 if cut > start else limit


def _from_text(
    ctx: _Context, block: Block, text: str, offset: int, agencies: list[str],
    source: str = "text", cell: tuple[int, int] | None = None,
) -> list[Target]:
    out: list[Target] = []
    if not _NUMERAL.search(text):
        return out
    for s0, s1 in _sentences(text):
        sentence = text[s0:s1]
        quantities = _quantities(sentence)
        if quantities:
            out += _from_sentence(ctx, block, sentence, offset + s0, agencies, source, cell, quantities)
    return out


def _is_past(ctx: _Context, sentence: str) -> bool:
    future = _words("future_cues").in_text(sentence)
    years = [y for y, a, _ in find_years(sentence) if not _compared_year(sentence, a)]
    if ctx.plan_start and years and max(years) < ctx.plan_start and not _TO_YEAR.search(sentence):
        return True
    if not future and _words("past_cues").in_text(sentence):
        return True
    return False


def _from_sentence(
    ctx: _Context, block: Block, sentence: str, offset: int, agencies: list[str],
    source: str, cell: tuple[int, int] | None, quantities: list[Quantity],
) -> list[Target]:
    if _is_past(ctx, sentence):
        return []
    out: list[Target] = []
    left = 0  # where the current clause may start: after the previous target
    prev: Target | None = None
    prev_verb = ""
    prev_end = 0
    prev_action = ""
    sentence_ambition: str | None = None
    subjects: list[tuple[bool, str]] = []  # "A、B…分别达到x、y": (is scope, name) still to hand out
    last_subjects: list[tuple[bool, str]] = []
    baseline: Quantity | None = None  # "由5元提高至10元": 5 is where it starts
    sentence_years = _SentenceYears(sentence)
    for q in quantities:
        if _inside_title(sentence, q.start):
            continue
        after = sentence[q.end :]
        cmp_after = cues.comparator_after(after)
        tail = q.end + (len(cmp_after[1]) if cmp_after else 0)
        rest = sentence[tail:]
        if _CHANGE_TO.match(rest):
            baseline = q
            continue
        if _is_modifier(q, sentence, rest):
            continue
        clause_start = _clause_start(sentence, left, q.start)
        before = sentence[clause_start : q.start]
        if _is_rule_clause(before) or _ordinal(sentence, q):
            left = tail
            continue
        follow = _following_noun(q, rest)
        comparator, rate_word, before_clean = _split_before(before)
        if baseline is not None:  # "保费由每生每年5元提高至10元": the indicator stops before 由
            cut = max(before_clean.rfind("由"), before_clean.rfind("从"))
            before_clean = before_clean[:cut] if cut > 0 else before_clean
        respectively = "分别" in before
        before_clean = before_clean.replace("分别", "")
        if respectively:
            subjects, before_clean = _subjects(before_clean, last_subjects)
            last_subjects = list(subjects)
        indicator, scope = _clean_indicator(ctx, before_clean, follow) if before_clean or follow else ("", None)
        if respectively and not indicator and subjects and not subjects[0][0]:
            indicator = subjects[0][1]
        verb = _leading_verb(indicator)
        inherited = False
        if (indicator and not verb and prev_verb and prev is not None and prev.base_unit == q.base_unit
                and not _has_reach_verb(before) and not has_verb(indicator)):
            indicator = prev_verb + indicator
        if not indicator and prev is not None:
            indicator, scope, inherited = prev.indicator, prev.scope, True
        if not indicator or not _LETTER.search(indicator) or _words("not_indicators").in_text(indicator):
            left = tail + len(follow)
            continue
        if scope is None and prev is not None and prev.scope and not inherited and _platform(prev.scope) \
                and "；" not in sentence[prev_end:q.start] and ";" not in sentence[prev_end:q.start]:
            scope = prev.scope  # "园区容积率达1.0以上，投资强度达260万元/亩以上": the same 园区
        if subjects and (respectively or inherited):
            is_scope, item = subjects.pop(0)
            if is_scope:
                scope = item
            else:
                indicator, scope = item, None
        unit, base_unit, factor = q.unit, q.base_unit, q.factor
        if not q.word and q.base_unit != "":  # a bare magnitude: 超6.7万, 千亿大关
            unit = implied_unit(q.magnitude, indicator) or ""
            info = unit_info(unit)
            base_unit, factor = info.base_unit, info.factor
        if base_unit is None or base_unit in {"倍", "岁"}:
            left = tail
            continue
        if cmp_after:
            comparator = cmp_after[0]
        kind = cues.kind_of(indicator, base_unit, rate_word)
        if inherited and prev is not None and not rate_word and prev.base_unit == base_unit:
            kind = prev.kind  # "增长5%…, 三产增加值 6%": the list keeps its kind
        action = _leading_verb(before_clean) or (prev_action if inherited or not _has_reach_verb(before) else "")
        if kind == "level" and action and base_unit not in {"元", "%", "百分点"} and "保有" not in indicator:
            kind = "increase"  # 完成…2800亩, 争创…1个: a count of things newly done
        if kind in {"growth_rate", "reduction"}:
            indicator = _strip_rate_words(indicator) or indicator
        if prev is None:
            sentence_ambition = _sentence_ambition(sentence, clause_start, q.start)
        ambition = cues.ambition_in(before) or (prev.ambition if inherited and prev else None) or sentence_ambition
        year, year_start = _year_for(ctx, block, sentence[: q.start], sentence_years)
        base = _round(q.value * factor) if factor is not None else None
        base_high = _round(q.value_high * factor) if factor is not None and q.value_high is not None else None
        evidence = sentence[clause_start : tail + len(follow)].strip("，,；; ")
        start = offset + max(sentence.find(evidence, clause_start), 0) if evidence else offset + q.start
        lower, upper = _bounds(comparator, base, base_high)
        base_from = baseline if baseline is not None and baseline.unit == q.unit else None
        baseline = None
        t = Target(
            doc_id=ctx.doc.doc_id, block_id=block.id, section_path=block.section_path,
            char_start=start, char_end=start + len(evidence), page=block.page, evidence=evidence,
            source=source, table_id=block.id if source == "table" else None,
            table_row=cell[0] if cell else None, table_col=cell[1] if cell else None,
            indicator=indicator, scope=scope, value=q.value, value_high=q.value_high, unit=unit,
            base_value=base, base_value_high=base_high, base_unit=base_unit,
            comparator=comparator, ambition=ambition, kind=kind,
            year=year, year_start=year_start, lower=lower, upper=upper, agencies=list(agencies),
            baseline_value=base_from.value if base_from else None,
            baseline_year=_baseline_year(sentence[clause_start : q.start]),
        )
        out.append(t)
        prev = t
        prev_end = tail
        prev_verb = verb or prev_verb
        prev_action = action
        left = tail + len(follow)
    return out


def _sentence_ambition(sentence: str, clause_start: int, qstart: int) -> str | None:
    """The hedge that governs a whole sentence: one in the first target's clause,
    or one that opens the sentence with nothing but a date after it
    ("力争到2025年，A…，B…"), not one inside an earlier clause of its own."""
    found = cues.ambition_at(sentence[:qstart])
    if found is None:
        return None
    kind, pos, word = found
    if pos >= clause_start:
        return kind
    between = sentence[pos + len(word) : clause_start]
    between = _DATE_OR_PUNCT.sub("", between)
    return kind if not between else None


_UNITLESS = regex.compile(
    r"(?<=(?:容积率|系数|指数|强度比|倍数)(?:达到|达|提高到|提高至|保持在|不低于|超过|为)?)"
    r"(?P<num>\d+(?:\.\d+)?)(?![\d.%％万亿千百])(?!\s*[\p{Han}&&[^以左上]])"
)


def _quantities(sentence: str) -> list[Quantity]:
    """Quantities with units, plus unitless ratios ("容积率达1.0以上"), in order."""
    if not _NUMERAL.search(sentence):
        return []
    found = find_quantities(sentence)
    taken = [(q.start, q.end) for q in found]
    for m in _UNITLESS.finditer(sentence):
        if not any(a <= m.start() < b for a, b in taken):
            v = float(m.group("num"))
            found.append(Quantity(m.start(), m.end(), v, None, "", "", "", False, "", 1.0))
    return sorted(found, key=lambda q: q.start)


def _inside_title(sentence: str, pos: int) -> bool:
    """A number inside 《…》 or a short “…” belongs to a name ("省民营经济32条")."""
    if sentence.rfind("《", 0, pos) > sentence.rfind("》", 0, pos):
        return True
    open_q = sentence.rfind("“", 0, pos)
    if open_q > sentence.rfind("”", 0, pos):
        close = sentence.find("”", pos)
        return 0 <= close - open_q <= 16
    return False


def _subjects(text: str, previous: list[tuple[bool, str]]) -> tuple[list[tuple[bool, str]], str]:
    """'开发区、高铁新区工业用地总面积' -> ([scope 开发区, scope 高铁新区], '工业用地总面积').

    Items that are no places ("水果、蔬菜、茶叶产量") come back as whole
    indicators with an empty core: [水果产量, 蔬菜产量, 茶叶产量], ''. With
    no list of its own, a clause reuses the sentence's previous list.
    """
    parts = [p for p in _AND.split(text) if p]
    if len(parts) < 2:
        return list(previous), text
    scope, core = _split_scope_prefix(parts[-1])
    if scope is not None:
        return [(True, p) for p in parts[:-1] + [scope]], core
    n = len(parts[0])
    if len(parts[-1]) > n + 1:
        tail = parts[-1][n:]
        return [(False, p + tail) for p in parts[:-1]] + [(False, parts[-1])], ""
    return list(previous), text


def _split_scope_prefix(text: str) -> tuple[str | None, str]:
    """The longest leading place/platform name in text, and what follows it."""
    best = None
    for suffix in _cfg().get("scope_suffixes", []):
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


def _round(x: float) -> float:
    return float(f"{x:.12g}")


def _clause_start(sentence: str, left: int, qstart: int) -> int:
    seps = _cfg().get("clause_sep", "，,；;：:")
    i = qstart - 1
    while i >= left:
        if sentence[i] in seps:
            return i + 1
        i -= 1
    start = max(left, 0)
    # After the previous target, skip a note in brackets and the "、" or "和"
    # that joins the next one: "1家（中策橡胶）、50亿企业2家".
    if start < qstart and sentence[start] in "（(":
        close = _CLOSE.search(sentence[start:qstart])
        if close:
            start += close.end()
    while start < qstart and sentence[start] in "、和及与或）)":
        start += 1
    return start


def _has_reach_verb(text: str) -> bool:
    return _reach_verbs_2().in_text(text)


@lru_cache(maxsize=1)
def _reach_verbs_2() -> cues.Words:
    """Reach verbs of two characters or more (达, 超 alone are too common to mean one)."""
    return cues.Words(v for v in cues.reach_verbs() if len(v) >= 2)


def _is_modifier(q: Quantity, sentence: str, rest: str) -> bool:
    """A threshold inside a name (10亿元以上企业, 5000万以上的项目), not a goal."""
    before = sentence[: q.start]
    if rest.startswith("的"):
        return not _AT_LEAST_END.search(before)
    if rest.startswith(("级", "强")):
        return True
    if q.base_unit in {"%", "百分点"}:
        return False
    if rest[:1] and _CJK.match(rest[:1]) and not _starts_with_break(rest):
        if not _counts(q):
            return True
    return False


def _starts_with_break(rest: str) -> bool:
    """Words after a quantity that end it rather than name something after it."""
    return bool(_BREAK.match(rest))


def _counts(q: Quantity) -> bool:
    """True for a count of things (30家, 5个), which may be followed by what it counts."""
    return bool(q.word) and is_count(q.base_unit or "")


def _ordinal(sentence: str, q: Quantity) -> bool:
    """第3, 前10: a rank, not an amount."""
    return sentence[max(0, q.start - 2) : q.start].endswith(("第", "前"))


def _is_rule_clause(before: str) -> bool:
    return _words("rule_cues").in_text(before)


def _following_noun(q: Quantity, rest: str) -> str:
    """For a count, the noun phrase right after it: '30家[杭州市级以上企业研发机构]'."""
    if rest.startswith("的"):  # 整理出至少3000亩的土地空间
        rest = rest[1:]
    elif not _counts(q):
        return ""
    m = _NOUN.match(rest)
    if not m or _starts_with_break(rest):
        return ""
    noun = m.group(0)
    if rest[len(noun) : len(noun) + 1].isdigit() and noun[-1:] in "和及与":
        noun = noun[:-1]  # "40个绿美点和6条绿美带": stop before the next count
    return noun


def _split_before(before: str) -> tuple[str, str | None, str]:
    """Cut the comparator and rate words printed right before the number.

    Returns (comparator, rate word or None, the rest).
    """
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
        w = cues.affixes("reach").suffix(text) or _affixes("drop_suffixes").suffix(text)
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
    return comparator, rate_word, text


def _clean_indicator(ctx: _Context, text: str, follow: str) -> tuple[str, str | None]:
    text = _YEAR_PHRASE.sub("", text)
    text = _RANGE_YEARS.sub("", text)
    text = _EDGE_PUNCT.sub("", text)
    if text.startswith("“") and "”" not in text[1:] or text.startswith("”"):
        text = text[1:]
    prefixes = _list("drop_prefixes") + tuple(ctx.region_short)
    initials = _initials(prefixes)
    changed = True
    while changed and text:
        changed = False
        if text[0] in initials:  # most texts start with none of the prefixes: skip the scan
            for p in prefixes:
                if text.startswith(p) and len(text) > len(p):
                    text = text[len(p) :]
                    changed = True
        for amb in ("力争", "确保", "争取", "努力", "争创"):
            if amb in text:
                text = text.replace(amb, "")
                changed = True
    # A reach verb in the middle separates a scope from the indicator:
    # 迎春商务区实现营业收入 -> scope 迎春商务区, indicator 营业收入.
    scope: str | None = None
    for v in ("实现", "达到"):
        i = text.find(v)
        if 0 < i and i + len(v) < len(text):
            head, tail = text[:i], text[i + len(v) :]
            if _looks_like_scope(head):
                scope, text = head, tail
            break
    if v_start := next((v for v in ("实现", "完成") if text.startswith(v) and len(text) > len(v) + 1), None):
        if not follow:
            text = text[len(v_start) :]
    if follow:
        verb = _leading_verb(text)
        lead = text.removesuffix("等")
        # "整理出" + "土地空间", "打造" + "百亿产业"; a long lead-in keeps only its verb.
        text = (lead if len(lead) <= 5 or not verb else verb) + follow
    text = _drop_long_modifier(text)
    if scope is None:
        scope, text = _split_scope(text)
    text = text.strip("，,、；; ")
    return text, scope


def _looks_like_scope(text: str) -> bool:
    return len(text) <= 12 and text.endswith(_list("scope_suffixes"))


def _platform(scope: str) -> bool:
    """A platform or place (园区, 开发区, 镇), not an industry."""
    return scope.endswith(_platform_suffixes())


@lru_cache(maxsize=1)
def _platform_suffixes() -> tuple[str, ...]:
    return tuple(s for s in _list("scope_suffixes") if s != "产业")


def _split_scope(text: str) -> tuple[str | None, str]:
    cores, anywhere = _long_cores()
    if not anywhere.in_text(text[1:]):  # no core after the start: nothing to split
        return None, text
    for core in cores:
        i = text.find(core)
        if i > 0:
            head = text[:i]
            if _looks_like_scope(head):
                if head.endswith("产业") and head not in _cfg().get("generic_industries", []) and len(head) >= 4:
                    head = head[:-2]
                return head, text[i:]
            break
    return None, text


@lru_cache(maxsize=1)
def _long_cores() -> tuple[tuple[str, ...], cues.Words]:
    """The core indicators that split a scope off (four characters or more), longest first, and as one search."""
    cores = tuple(c for c in _list("core_indicators") if len(c) >= 4)
    return cores, cues.Words(cores)


def _drop_long_modifier(text: str) -> str:
    """'招引研究领域与…高度吻合的海内外高层次人才' -> '招引海内外高层次人才'."""
    i = text.rfind("的")
    if i <= 0:
        return text
    head, tail = text[:i], text[i + 1 :]
    if len(tail) >= 4 and len(head) >= 8:
        verb = _leading_verb(head)
        return (verb or "") + tail
    return text


def _leading_verb(text: str) -> str:
    """The action verb an indicator opens with (or has within its first words)."""
    found = cues.word_set("increase").first(text, within=6)
    return found[1] if found else ""


def _strip_rate_words(indicator: str) -> str:
    changed = True
    while changed:
        changed = False
        for w in cues.words("growth_rate") + cues.words("reduction") + ("年均", "平均", "幅度"):
            if indicator.endswith(w) and len(indicator) > len(w):
                indicator = indicator[: -len(w)]
                changed = True
    return indicator


class _SentenceYears:
    """The years of one sentence, found once: each target asks for the last one before it.

    A year or range found in the whole sentence that ends before a target is
    one the target's prefix holds (the patterns look back only at the
    characters before them), so one pass serves every target of the sentence
    instead of a pass over each prefix (quadratic in a long sentence).
    """

    def __init__(self, sentence: str) -> None:
        self.ranges = [(m.end(), int(m.group(2)), int(m.group(1))) for m in _RANGE_YEARS.finditer(sentence)]
        self.years = [(end, y) for y, a, end in find_years(sentence) if not _compared_year(sentence, a)]
        self._range_ends = [e for e, _, _ in self.ranges]
        self._year_ends = [e for e, _ in self.years]

    def last_range(self, end: int) -> tuple[int, int] | None:
        i = bisect.bisect_right(self._range_ends, end)
        return self.ranges[i - 1][1:] if i else None

    def last_year(self, end: int) -> int | None:
        i = bisect.bisect_right(self._year_ends, end)
        return self.years[i - 1][1] if i else None


def _year_for(ctx: _Context, block: Block, before: str, years: _SentenceYears | None = None) -> tuple[int | None, int | None]:
    """The target year for a target whose sentence runs `before` up to it (years: that sentence's, found once)."""
    years = years or _SentenceYears(before)
    span = years.last_range(len(before))
    if span is not None:
        return span
    year = years.last_year(len(before))
    if year is not None:
        return year, None
    if (plan := _five_year_end(before)) is not None:
        return plan, None
    for heading in reversed(block.section_path):
        ys = [y for y, _, _ in find_years(heading)]
        if ys:
            return ys[-1], None
        if (plan := _five_year_end(heading)) is not None:
            return plan, None
    return ctx.plan_end, None


def _compared_year(text: str, start: int) -> bool:
    """A year after 比/较/与 ("比2020年增长50%") is the baseline, not the target year."""
    return bool(_COMPARED.search(text[max(0, start - 4) : start]))


def _baseline_year(before: str) -> int | None:
    years = [y for y, a, _ in find_years(before) if _compared_year(before, a)]
    return years[-1] if years else None


def _five_year_end(text: str) -> int | None:
    hits = [(text.rfind(k), y) for k, y in _FIVE_YEAR.items() if k in text]
    return max(hits)[1] if hits else None


def _bounds(comparator: str, base: float | None, high: float | None) -> tuple[float | None, float | None]:
    if base is None:
        return None, None
    if high is not None:
        return base, high
    return {
        ">=": (base, None), ">": (base, None), "<=": (None, base), "<": (None, base),
        "=": (base, base), "~": (None, None),
    }.get(comparator, (None, None))


# --------------------------------------------------------------------------
# prose inside table cells
# --------------------------------------------------------------------------

_PROJECT_HEADERS = ("项目名称", "总投资", "建设内容")
_SKIP_COLUMNS = ("位置", "范围", "理由", "依据", "基础", "现状", "名称", "单位", "序号")


def _row_place(row: list[str]) -> str | None:
    """The platform a list row is about: its name cell up to the first full stop."""
    for cell in row:
        name = _NAME_END.split(cell.strip(), maxsplit=1)[0].strip()
        if name and not _ROW_NUMBER.fullmatch(name):
            return name if _platform(name) and len(name) <= 20 else None
    return None


def _from_table_prose(ctx: _Context, block: Block) -> list[Target]:
    table = block.table
    assert table is not None
    header = table.header
    if any(h for h in header if any(p in h for p in _PROJECT_HEADERS)):
        return []
    out: list[Target] = []
    for r, row in enumerate(table.rows):
        if r < table.header_rows:
            continue
        for c, cell in enumerate(row):
            if len(cell) < 12 or not _SENTENCE_PUNCT.search(cell):
                continue
            if c < len(header) and any(k in header[c] for k in _SKIP_COLUMNS):
                continue
            if c > 0 and row[c - 1] == cell:
                continue  # a merged cell repeated: read it once
            s, _ = table.cell_span(r, c)
            flat = cell.replace("\n", " ").replace("\t", " ")
            found = _from_text(ctx, block, flat, block.start + s, [], source="table", cell=(r, c))
            place = _row_place(row)
            for t in found:
                t.scope = t.scope or place
            out += found
    return out
