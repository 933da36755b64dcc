"""Document metadata: title, region (+ code, city, province), issuer, type, dates, plan period.

Every field follows ../shared/gold/GUIDELINES.md ("document"). The rules are
those of the genre, tried in order from the most to the least explicit
evidence: the header fields of a web copy (doc.meta), the lines above the
body (issuing bodies, title, dateline), the body's own words (我局起草了《X》,
现提出如下意见, “十四五”时期, 到2025年), and the signature at the end.

Vocabularies (type cue words, header keys, organisation endings) live in
rules/doc_types.toml; divisions come from the gazetteer.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

import regex

from planextract import gazetteer, rules
from planextract.gazetteer import Place
from planextract.models import Block, Document, DocumentMeta

LEAD_BLOCKS = 25  # the title and its header lines sit among the first blocks
TAIL_BLOCKS = 6  # the signature and date sit among the last ones
MIN_TITLE, MAX_TITLE = 6, 80  # shorter lines are site sections (通知公告), not titles

_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_DATE = (
    r"(?P<y>(?:19|20)\d{2}|[〇零○Ｏ一二三四五六七八九]{4})\s*年\s*"
    r"(?:(?P<m>\d{1,2}|十[一二]?|[一二三四五六七八九])\s*月\s*"
    r"(?:(?P<d>\d{1,2}|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])?\s*日)?)?"
)
_ISO_DATE = re.compile(r"((?:19|20)\d{2})[-/.年](\d{1,2})(?:[-/.月](\d{1,2}))?")
# "——2026年1月26日在…人民代表大会…会议上" under a report's title (the dash, or the meeting, marks it).
_DATELINE = regex.compile(
    r"^(?:[—―\-－]{1,2}\s*" + _DATE + r"\s*在|[（(]?\s*" + _DATE + r"\s*在.{2,60}?(?:会议|大会))"
)
_CLOSING_DATE = regex.compile(r"^" + _DATE + r"\s*(?:印发|发布|制定)?\s*$")
_TRAILING_DATE = regex.compile(r"\s*" + _DATE + r"\s*$")
BYLINE_LINES = 2  # a byline (drafting body, date) follows the title within this many lines
_YEAR = r"(?<!\d)((?:19|20)\d{2})"
_RANGE = regex.compile(_YEAR + r"\s*(?:年\s*)?[-—－–~～至到]\s*" + _YEAR + r"\s*年?")
_FY = r"(十[一二三四五六七八九]?|[三四五六七八九])"
_FIVE_YEAR = regex.compile(r"“" + _FY + r"五”|" + _FY + r"五(?:规划|时期|期间)")
_FIVE_YEAR_SPAN = regex.compile(r"“?" + _FY + r"五”?(?:时期|期间)")
_HORIZON = regex.compile(r"(?:到|至)\s*" + _YEAR + r"\s*年")
_OUTLOOK = regex.compile(r"展望|远景")  # "远景目标展望到2035年" looks past the plan
_PLAN_SPAN = regex.compile(r"(?:规划|计划|实施)(?:期限|期|时段)\s*(?:为|是|：|:)?\s*" + _RANGE.pattern)
_DOC_NUMBER = regex.compile(
    r"[\p{Han}]{1,12}\s*[〔\[［【(（]\s*(?:19|20)\d{2}\s*[〕\]］】)）]\s*(?:第\s*)?\d{1,5}\s*号"
)
_DRAFTED = regex.compile(r"(起草|编制|草拟|制定)了?《([^《》]{4,80})》")
_TERMINAL = "。；;，,：:！？!?"
_TABLE_LABEL = regex.compile(r"^(?:表|附件)\s*[\d一二三四五六七八九十]*[\s.、：:]*")
_DIGIT_OR_STOP = regex.compile(r"[\d，。：:]")
_YEAR_MARK = regex.compile(_YEAR + r"\s*年")


@dataclass
class _Lead:
    """The lines above the body: texts of the first blocks, up to the first heading or table."""

    lines: list[str]


def _cfg() -> dict[str, Any]:
    return rules.load("doc_types")


# --------------------------------------------------------------------------
# entry point
# --------------------------------------------------------------------------


def extract_metadata(doc: Document) -> DocumentMeta:
    cfg = _cfg()
    lead = _lead(doc.blocks)
    title, title_at = find_title(doc, lead, cfg)
    issuer = find_issuer(doc, lead, title, title_at, cfg)
    byline_date = _byline(lead, title_at, cfg)[1]
    if title is None:
        title = drafted_title(doc) or caption_title(doc, cfg)
    doc_type = classify(title, doc.text, cfg)
    publish_date = find_publish_date(doc, lead, cfg, byline_date)
    # Header fields (来源: 浦江县经济商务局办公室) are no issuer but still tell the place.
    place = find_region("\n".join([doc.text, *doc.meta.values()]), title, issuer)
    plan_start, plan_end = plan_period(title, doc.text, doc_type, publish_date, cfg)
    return DocumentMeta(
        doc_id=doc.doc_id,
        path=doc.path,
        format=doc.format,
        encoding=doc.encoding,
        size=doc.size,
        sha256=doc.sha256,
        pages=doc.pages,
        n_blocks=len(doc.blocks),
        title=title,
        region=place.name if place else None,
        region_code=place.code if place else None,
        province=place.province if place else None,
        city=place.city if place else None,
        issuer=issuer,
        doc_type=doc_type,
        publish_date=publish_date,
        doc_number=find_doc_number(doc, lead, cfg),
        index_number=_header(doc, cfg, "index_number"),
        plan_start=plan_start,
        plan_end=plan_end,
        warnings=list(doc.warnings),
    )


def _lead(blocks: list[Block]) -> _Lead:
    lines: list[str] = []
    for b in blocks[:LEAD_BLOCKS]:
        if b.kind == "table" or b.level is not None:
            break
        lines.append(b.text.strip())
    return _Lead(lines)


def _header(doc: Document, cfg: dict[str, Any], field: str) -> str | None:
    """The first non-empty header field (doc.meta) listed for `field` in the rules."""
    for key in cfg.get("header", {}).get(field, []):
        value = (doc.meta.get(key) or "").strip()
        if value and value not in {"-", "—", "无", "/"}:
            return value
    return None


# --------------------------------------------------------------------------
# title and type
# --------------------------------------------------------------------------


def _cues(cfg: dict[str, Any]) -> dict[str, str]:
    return dict(cfg.get("cues", {}))


def clean_title(s: str) -> str:
    """Drop 《》, wrapping quotes and inner spaces a layout put between characters."""
    s = s.replace("《", "").replace("》", "").strip()
    if len(s) > 2 and s[0] in "“\"'「" and s[-1] in "”\"'」":
        s = s[1:-1]
    return re.sub(r"(?<=[\u4e00-\u9fff“”])\s+(?=[\u4e00-\u9fff“”])", "", s).strip()


def _strip_tail_brackets(s: str) -> str:
    """'XX行动计划（2022-2025年）' -> 'XX行动计划': a title's bracketed tail is not its head noun."""
    prev = None
    while prev != s:
        prev = s
        s = re.sub(r"\s*[（(【\[][^（()）【】\[\]]{1,30}[)）】\]]\s*$", "", s)
    return s


def ends_with_cue(s: str, cfg: dict[str, Any]) -> bool:
    head = _strip_tail_brackets(clean_title(s))
    return any(head.endswith(c) for c in _cues(cfg))


def _title_like(s: str, cfg: dict[str, Any]) -> bool:
    return MIN_TITLE <= len(s) <= MAX_TITLE and s[-1] not in _TERMINAL and "。" not in s and ends_with_cue(s, cfg)


def find_title(doc: Document, lead: _Lead, cfg: dict[str, Any]) -> tuple[str | None, int]:
    """The title printed above the body (or given by a header field), and its lead-line position."""
    given = _header(doc, cfg, "title")
    if given and ends_with_cue(given, cfg):
        return clean_title(given), -1
    lines = lead.lines
    for i, s in enumerate(lines):
        if _title_like(s, cfg):
            return clean_title(s), i
        # A title broken over two lines: "关于印发…的" + "通知".
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if nxt and len(nxt) <= 20 and s[-1:] not in _TERMINAL and not _title_like(nxt, cfg) and not _org_line(s, cfg):
            joined = s + nxt
            if _title_like(joined, cfg) and not _DATELINE.match(nxt):
                return clean_title(joined), i
    return None, -1


def drafted_title(doc: Document) -> str | None:
    """A 起草说明 names the plan it explains: '我局起草了《X》' -> 'X起草说明'."""
    for b in doc.blocks[:3]:
        m = _DRAFTED.search(b.text)
        if m:
            suffix = "编制说明" if m.group(1) == "编制" else "起草说明"
            return clean_title(m.group(2)) + suffix
    return None


def self_reference(text: str, cfg: dict[str, Any]) -> str | None:
    """The type word a document names itself by (现提出如下意见 -> 意见), most frequent first."""
    cues = _cues(cfg)
    found: Counter[str] = Counter()
    for pat in cfg.get("title", {}).get("self_reference", []):
        for m in rules.compiled(pat).finditer(text):
            word = m.group(1)
            if word in cues:
                found[word] += 1
    return found.most_common(1)[0][0] if found else None


def caption_title(doc: Document, cfg: dict[str, Any]) -> str | None:
    """Where no title is printed: the plan's name as its own tables and annexes carry it.

    "建德市“十四五”制造业高质量发展指标体系表" names the plan without its type
    word; the type word is the one the text calls itself by (制定本规划). Of
    several such stems, the one that best matches the opening text wins.
    """
    word = self_reference(doc.text, cfg)
    if word is None:
        return None
    suffixes = [rules.compiled(p) for p in cfg.get("title", {}).get("captions", {}).get("suffixes", [])]
    stems: list[str] = []
    for b in doc.blocks:
        line = (b.table.caption if b.table is not None else b.text) or ""
        line = _TABLE_LABEL.sub("", line.strip())
        if not line or len(line) > MAX_TITLE or line[-1] in _TERMINAL:
            continue
        first = gazetteer.scan(line[:12])
        if not first or first[0].start != 0 or first[0].short:
            continue  # a plan's own tables start with its region's full name
        for rx in suffixes:
            stem = rx.sub("", line)
            if stem != line and len(stem) > len(first[0].surface) + 2:
                stems.append(stem)
                break
    if not stems:
        return None
    opening = _bigrams("".join(b.text for b in doc.blocks[:3]))
    # First seen wins a tie (a set's order would change from run to run).
    best = max(dict.fromkeys(stems), key=lambda s: (_containment(s, opening), len(s)))
    if _containment(best, opening) < 0.5:
        return None
    return clean_title(best if best.endswith(word) else best + word)


def _bigrams(s: str) -> set[str]:
    s = re.sub(r"\s+", "", s)
    return {s[i : i + 2] for i in range(len(s) - 1)}


def _containment(stem: str, have: set[str]) -> float:
    """The share of the stem's bigrams found among a text's bigrams."""
    grams = _bigrams(stem)
    return len(grams & have) / len(grams) if grams else 0.0


def classify(title: str | None, text: str, cfg: dict[str, Any]) -> str | None:
    """The document type: the cue that ends last in the title, else the text's self-reference."""
    cues = _cues(cfg)
    if title:
        head = _strip_tail_brackets(title)
        best: tuple[int, int, str] | None = None
        for cue, kind in cues.items():
            at = head.rfind(cue)
            if at >= 0:
                key = (at + len(cue), len(cue), kind)
                best = max(best, key) if best else key
        if best:
            return best[2]
    word = self_reference(text, cfg)
    return cues.get(word) if word else None


# --------------------------------------------------------------------------
# issuer
# --------------------------------------------------------------------------


def _is_org(token: str, cfg: dict[str, Any]) -> bool:
    token = token.strip()
    suffixes = cfg.get("issuer", {}).get("org_suffixes", [])
    return 3 <= len(token) <= 30 and any(token.endswith(s) for s in suffixes) and not _DIGIT_OR_STOP.search(token)


def _org_line(line: str, cfg: dict[str, Any]) -> str | None:
    """'中共桃江县委 桃江县人民政府' -> '中共桃江县委、桃江县人民政府'; None unless every part is an organisation."""
    parts = [p for p in re.split(r"[\s、，,]+", line.strip()) if p]
    if parts and all(_is_org(p, cfg) for p in parts):
        return "、".join(parts)
    return None


def _org_date_line(line: str, cfg: dict[str, Any]) -> tuple[str | None, str | None]:
    """A byline under a title, '青川县发展和改革局 2023年3月' -> (organisation, date)."""
    m = _TRAILING_DATE.search(line)
    date = _format_date(m.group("y"), m.group("m"), m.group("d")) if m else None
    org = _org_line(line[: m.start()] if m else line, cfg)
    return (org, date) if org else (None, None)


def find_issuer(doc: Document, lead: _Lead, title: str | None, title_at: int, cfg: dict[str, Any]) -> str | None:
    """The body that issued or drafted the document, as written.

    Not the 来源 of a web copy: that names where the page was copied from (a
    newspaper, the office that posted it), not who issued the document.
    """
    return (
        _header(doc, cfg, "issuer")
        or _issuer_above_title(lead, title_at, cfg)
        or _byline(lead, title_at, cfg)[0]
        or _issuer_in_title(title, cfg)
        or _drafting_agency(doc, cfg)
        or _signature(doc, cfg)
    )


def _issuer_above_title(lead: _Lead, title_at: int, cfg: dict[str, Any]) -> str | None:
    for line in lead.lines[: max(title_at, 0)]:
        org = _org_line(line, cfg)
        if org:
            return org
    return None


def _byline(lead: _Lead, title_at: int, cfg: dict[str, Any]) -> tuple[str | None, str | None]:
    """The (organisation, date) printed just under the title, if any."""
    if title_at < 0:
        return None, None
    for line in lead.lines[title_at + 1 : title_at + 1 + BYLINE_LINES]:
        org, date = _org_date_line(line, cfg)
        if org:
            return org, date
    return None, None


def _issuer_in_title(title: str | None, cfg: dict[str, Any]) -> str | None:
    """'桐庐县人民政府关于印发…的通知' -> '桐庐县人民政府'."""
    if not title or "关于" not in title:
        return None
    return _org_line(title.split("关于", 1)[0], cfg)


def _drafting_agency(doc: Document, cfg: dict[str, Any]) -> str | None:
    """A 起草说明 speaks as 我局; the agency names itself where it tells who drafted: '县发改局积极谋划、起草《…》'."""
    opening = doc.text[:3000]
    first_person = cfg.get("issuer", {}).get("first_person", [])
    if not any(w in opening for w in first_person) or "起草" not in opening:
        return None
    suffixes = "|".join(re.escape(s) for s in cfg.get("issuer", {}).get("org_suffixes", []))
    pattern = regex.compile(
        r"(?:^|(?<=[，。；、：:\s]))(?:由|经)?([^，。；、：:\s“”《》]{2,15}?(?:" + suffixes + r"))[^，。；]{0,10}?起草"
    )
    for m in pattern.finditer(opening):
        org = m.group(1)
        if not any(org.startswith(w) for w in first_person):
            return org
    return None


def _signature(doc: Document, cfg: dict[str, Any]) -> str | None:
    """The bodies signed above the closing date: '桃江县人民政府' / '2022年4月8日'."""
    tail = doc.blocks[-TAIL_BLOCKS:]
    for prev, cur in zip(tail, tail[1:]):
        if _CLOSING_DATE.match(cur.text.strip()):
            org = _org_line(prev.text, cfg)
            if org:
                return org
    return None


# --------------------------------------------------------------------------
# dates and numbers
# --------------------------------------------------------------------------


def _cn_int(s: str) -> int:
    """Arabic or Chinese numerals of a date part: '2022', '二〇二二', '十二', '二十七'."""
    if s.isdigit():
        return int(s)
    if "十" in s:
        tens, _, ones = s.partition("十")
        return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)
    return int("".join(str(_CN_DIGITS[c]) for c in s))


def _format_date(y: str, m: str | None, d: str | None) -> str | None:
    year = _cn_int(y)
    if m is None:
        return None  # a year alone is not a date
    month = _cn_int(m)
    if not 1 <= month <= 12:
        return None
    if d is None:
        return f"{year:04d}-{month:02d}"
    day = _cn_int(d)
    return f"{year:04d}-{month:02d}-{day:02d}" if 1 <= day <= 31 else f"{year:04d}-{month:02d}"


def find_publish_date(doc: Document, lead: _Lead, cfg: dict[str, Any], byline_date: str | None = None) -> str | None:
    """The date the document states for itself: header field, dateline or byline under the title, closing date."""
    header = _header(doc, cfg, "date")
    if header:
        m = _ISO_DATE.search(header)
        if m:
            return _format_date(m.group(1), m.group(2), m.group(3))
    for line in lead.lines:
        m = _DATELINE.match(line)
        if m:
            return _format_date(m.group("y"), m.group("m"), m.group("d"))
    if byline_date:
        return byline_date
    for b in reversed(doc.blocks[-TAIL_BLOCKS:]):
        m = _CLOSING_DATE.match(b.text.strip())
        if m:
            return _format_date(m.group("y"), m.group("m"), m.group("d"))
    return None


def find_doc_number(doc: Document, lead: _Lead, cfg: dict[str, Any]) -> str | None:
    """The 文号 (建政发〔2021〕12号) from the header fields or the lines above the body."""
    header = _header(doc, cfg, "doc_number")
    for text in ([header] if header else []) + lead.lines:
        m = _DOC_NUMBER.search(text)
        if m:
            return re.sub(r"\s+", "", m.group(0))
    return None


# --------------------------------------------------------------------------
# region
# --------------------------------------------------------------------------

_LEVEL_DEPTH = {"province": 0, "prefecture": 1, "county": 2}
_SELF_REF = regex.compile(r"[我全本]([县市区省州旗盟])")


def _supported(place: Place, short: bool, surface: str, text: gazetteer.Context) -> bool:
    """A short name (桐庐, 新城) counts only where the text also names the division or its parents."""
    if not short and len(surface) > 2:
        return True
    if short and place.name in text:
        return True
    return gazetteer.context_score(place, text) > 0  # 2-character full names (城区) need it too


def _resolve(mention: gazetteer.Mention, text: gazetteer.Context) -> Place | None:
    ok = [p for p in mention.places if _supported(p, mention.short, mention.surface, text)]
    if not ok:
        return None
    return max(ok, key=lambda p: (gazetteer.context_score(p, text), -_LEVEL_DEPTH[p.level]))


def _places_in(s: str, text: gazetteer.Context) -> list[Place]:
    """Divisions named in a short string (title, issuer), outside any 《》 it quotes."""
    s = re.sub(r"《[^《》]*》", "", s)
    return [p for m in gazetteer.scan(s) if (p := _resolve(m, text)) is not None]


def find_region(text: str, title: str | None, issuer: str | None) -> Place | None:
    """The division the document governs: named in its title or issuer, else the most named in its text."""
    context = gazetteer.Context(text)  # asked for the same parent names again and again
    for source in (title, issuer):
        if source:
            found = _places_in(source, context)
            if found:
                return max(found, key=lambda p: _LEVEL_DEPTH[p.level])
    counts: Counter[str] = Counter()
    resolved: dict[str, Place | None] = {}  # one decision per name: the context is the same text
    for m in gazetteer.scan(text):
        if m.surface not in resolved:
            resolved[m.surface] = _resolve(m, context)
        p = resolved[m.surface]
        if p is not None:
            counts[p.code] += 1
    if not counts:
        return None
    hints = Counter(m.group(1) for m in _SELF_REF.finditer(text))
    ranked = sorted(counts, key=lambda c: (counts[c], _LEVEL_DEPTH[_place(c).level]), reverse=True)
    if hints:
        suffix = hints.most_common(1)[0][0]
        fitting = [c for c in ranked if _place(c).name.endswith(suffix)]
        if fitting:
            return _place(fitting[0])
    return _place(ranked[0])


def _place(code: str) -> Place:
    p = gazetteer.by_code(code)
    assert p is not None
    return p


# --------------------------------------------------------------------------
# plan period
# --------------------------------------------------------------------------


def _five_year_start(numeral: str) -> int:
    """'十四' -> 2021: the 3rd plan began in 1966, every later one five years on."""
    n = _cn_int(numeral) if numeral != "十" else 10
    return 1966 + 5 * (n - 3)


def period_in_title(title: str) -> tuple[int | None, int | None] | None:
    m = _FIVE_YEAR.search(title)
    if m:
        start = _five_year_start(m.group(1) or m.group(2))
        return start, start + 4
    m = _RANGE.search(title)
    if m:
        return int(m.group(1)), int(m.group(2))
    m = _HORIZON.search(title)
    if m:
        return None, int(m.group(1))
    years = {int(y) for y in _YEAR_MARK.findall(title)}
    if len(years) == 1:
        y = years.pop()
        return y, y
    return None


def plan_period(
    title: str | None, text: str, doc_type: str | None, publish_date: str | None, cfg: dict[str, Any]
) -> tuple[int | None, int | None]:
    """The years the document plans for, from the most explicit statement to the least."""
    if title:
        found = period_in_title(title)
        if found:
            return found
    m = _PLAN_SPAN.search(text)
    if m:
        return int(m.group(1)), int(m.group(2))
    published = int(publish_date[:4]) if publish_date else None
    if doc_type in cfg.get("period", {}).get("single_year", []) and published:
        return published, published
    spans = Counter(_five_year_start(m.group(1)) for m in _FIVE_YEAR_SPAN.finditer(text))
    if spans:
        start = max(spans, key=lambda y: (spans[y], y))  # the period the text dwells on
        return start, start + 4
    return _horizon(text, published)


def _horizon(text: str, published: int | None) -> tuple[int | None, int | None]:
    """'到2025年' stated most often (a 展望/远景 year aside) ends the plan; it starts when published."""
    years: Counter[int] = Counter()
    for m in _HORIZON.finditer(text):
        y = int(m.group(1))
        if _OUTLOOK.search(text, max(0, m.start() - 8), m.start()) is None and (published is None or y >= published):
            years[y] += 1
    if not years:
        return None, None
    end = max(years, key=lambda y: (years[y], y))
    return (published if published and published <= end else None), end
