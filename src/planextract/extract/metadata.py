"""Document metadata: title, region (+ code, city, province), issuer, type, dates, plan period.

Every field follows ../shared/gold/GUIDELINES.md ("document"). The rules are
those of the genre, tried in order from the most to the least explicit
evidence: the header fields of a web copy (doc.meta), the lines above the
body (issuing bodies, title, dateline), the body's own words (我局起草了《X》,
现提出如下意见, “十四五”时期, 到2025年), and the signature at the end.

A notice that issues a plan stands for the plan (its title and type); a
title without a type word is a news item's headline; a document whose
title and text name no type is typed by its form (rules [[genre]]). The
region is region.py's, the plan period periods.py's, dates are dates.py's.

Vocabularies (type cue words, issuing verbs, header keys, organisation
endings, work reports) live in rules/doc_types.toml.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import regex

from planextract import gazetteer, rules
from planextract.extract import dates, periods, region
from planextract.models import Block, Document, DocumentMeta

LEAD_BLOCKS = 25  # the title and its header lines sit among the first blocks
TAIL_BLOCKS = 6  # the signature and date sit among the last ones
MIN_TITLE, MAX_TITLE = 6, 80  # shorter lines are site sections (通知公告), not titles

TITLE_LINES = 5  # a title is set over at most this many lines
SIGNATURE_LINES = 4  # joint issuers sign one under another
BYLINE_LINES = 2  # a byline (drafting body, date) follows the title within this many lines
HEADLINE_LINES = 3  # a title without a type word is only looked for among the first lines
MAX_HEADLINE = 40  # longer lines are prose, not a headline
SAME_PLAN = 0.6  # bigram likeness of a notice's plan name and the plan's own heading
_NOT_TITLE = "|｜>»›＞"  # breadcrumbs (首页 > 政务公开 > …) and table rows
_DOC_NUMBER = regex.compile(
    r"[\p{Han}]{1,12}\s*[〔\[［【(（]\s*(?:19|20)\d{2}\s*[〕\]］】)）]\s*(?:第\s*)?\d{1,5}\s*号"
)
# "…的意见(发改能源规〔2025〕624号)": a page's title line repeats the 文号 after the title.
_TAIL_DOC_NUMBER = regex.compile(r"\s*[（(]\s*" + _DOC_NUMBER.pattern + r"\s*[)）]\s*$")
_DRAFTED = regex.compile(r"(起草|编制|草拟|制定)了?《([^《》]{4,80})》")
_TERMINAL = "。；;，,：:！？!?"
_TABLE_LABEL = regex.compile(r"^(?:表|附件)\s*[\d一二三四五六七八九十]*[\s.、：:]*")
_ANNEX_LABEL = regex.compile(r"^附件\s*[\d一二三四五六七八九十]*\s*[：:]")
_INNER_QUOTES = regex.compile(r"[《》〈〉]|<(?=[^<>]{2,40}>)|(?<=<[^<>]{2,40})>")
# A site column's tag before a page title: '政务服务丨X', '通知公告｜X', '【重点工作】X'.
_COLUMN_TAG = regex.compile(r"^(?:[\p{Han}]{2,8}\s*[丨｜|]|【[^【】]{2,20}】)\s*(?=[\p{Han}《“\d]{6})")
_BULLET = regex.compile(r"^\s*[-•·*]\s*$")  # '- 发布日期：…', a header field as a list item
_BARE_LABEL = regex.compile(r"^\s*[-•·*]?\s*([\p{Han}][\p{Han}\s]{1,8})\s*[:：]\s*$")
# 'X时间: 2020-01-23 名称: …': any short label and its colon, known or not (a header line, not a title).
_ANY_LABEL = regex.compile(r"(?:^|(?<=\s))[\p{Han}]{2,6}\s*[:：]")
# A header value standing alone: '2021-04-01', or a date with its time of day ('2024年04月06日 16:34').
_ALIAS = regex.compile(r"[（(]以下简称[^（()）]{1,20}[)）]")  # X(以下简称区政府办公室)2022年…报告
_ISO_LINE = regex.compile(
    r"^(?:19|20)\d{2}(?:-\d{1,2}-\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?"
    r"|年\d{1,2}月\d{1,2}日\s+\d{1,2}:\d{2}(?::\d{2})?)$"
)
_PERIOD_LINE = regex.compile(r"^[（(]\s*(?:19|20)\d{2}\s*[—–\-－~～至]+\s*(?:19|20)\d{2}\s*年?\s*[)）]$")
_LIST_ITEM = regex.compile(r"^\d{1,2}\s*[.．、]")  # 附件：1.X 2.Y lists several annexes
_DIGIT_OR_STOP = regex.compile(r"[\d，。：:]")
_LEADING_YEAR = regex.compile(r"^(?:19|20)\d{2}\s*年(?:度)?")


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
    doc = doc.model_copy(update={"meta": page_fields(doc, cfg)})
    lead = _lead(doc.blocks)
    printed, title_at = find_title(doc, lead, cfg)
    issuer = find_issuer(doc, lead, printed, title_at, cfg)
    byline_date = _byline(lead, title_at, cfg)[1]
    title = issued_plan(printed, doc, cfg) if printed else None
    if title is None:
        named, issued_by = body_title(doc, cfg)
        issuer = issuer or issued_by
        title = (
            drafted_title(doc) or named or caption_title(doc, cfg) or annex_title(lead, cfg) or headline(lead, cfg)
        )
    doc_type = classify(title, doc.text, cfg) or genre(doc, cfg)
    publish_date = find_publish_date(doc, lead, cfg, byline_date)
    # Header fields (来源: 浦江县经济商务局办公室) are no issuer but still tell the place.
    place = region.find_region("\n".join([doc.text, *doc.meta.values()]), title, issuer, lead.lines, cfg)
    plan_start, plan_end = periods.plan_period(title, doc.text, doc_type, publish_date, cfg)
    if title and place.name and is_work_report(title, cfg):
        issuer, title = _work_report(title, place.name, plan_end, cfg)
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
        region=place.name,
        region_code=place.code,
        province=place.province,
        city=place.city,
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
        if b.kind == "table" and not lines:
            continue  # a page's header-field table (索引号 | 发布日期) above the title
        if b.kind == "table" or b.level is not None:
            break
        lines.append(b.text.strip())
    return _Lead(lines)


def page_fields(doc: Document, cfg: dict[str, Any]) -> dict[str, str]:
    """The page's header fields: doc.meta, cleaned, completed from the header lines and header table.

    Sites pad labels (名  称, 索 引 号), wrap them in brackets ([ 发布日期 ]), put
    two fields on one line (名称: … 发布日期: …) or in one table row; the
    ingester keeps a pipe-table's separators in a value ('| 2022-12-02 |').
    """
    aliases: dict[str, str] = dict(cfg.get("header_aliases", {}))
    keys = {k for field in cfg.get("header", {}).values() for k in field} | set(aliases)
    fields: dict[str, str] = {}
    for key, raw in doc.meta.items():
        # '来源：X网 日期：2017-01-12': a field the ingester read may run on into the next one.
        found = list(_inline_labels(keys).finditer(raw))
        for (m, k), end in zip(
            [(None, key), *((m, _label(m.group("key") or m.group("key2"))) for m in found)],
            [m.start() for m in found] + [len(raw)],
        ):
            if v := _field_value(raw[m.end() if m else 0 : end]):
                fields.setdefault(k, v)
    blocks = doc.blocks[:LEAD_BLOCKS]
    for b, nxt in zip(blocks, [*blocks[1:], None]):
        if b.level is not None:
            break
        if nxt is not None and (key := _bare_label(b.text, keys)) and not _bare_label(nxt.text, keys):
            if v := _field_value(nxt.text):
                fields.setdefault(key, v)  # '• 发布日期：' with its value on the next line
            continue
        if b.table is not None:
            for row in b.table.rows:
                for label, value in zip(row, row[1:]):
                    key = _label(label)
                    if key in keys and (v := _field_value(value)) and _label(value) not in keys:
                        fields.setdefault(key, v)
            continue
        found = [(m, _label(m.group("key") or m.group("key2"))) for m in _inline_labels(keys).finditer(b.text)]
        labels = max(len(found), len(_ANY_LABEL.findall(b.text)))
        if labels < 2 and not (found and _BULLET.match(b.text[: found[0][0].start()])):
            continue  # one "label:" at a line's start is as often body text (名称：…), unless bulleted
        for (m, key), nxt in zip(found, [f[0].start() for f in found[1:]] + [len(b.text)]):
            if v := _field_value(b.text[m.end() : nxt]):
                fields.setdefault(key, v)
    for alias, key in aliases.items():
        if alias in fields:
            fields.setdefault(key, fields.pop(alias))
    return fields


def _bare_label(text: str, keys: set[str]) -> str | None:
    """'• 发布日期：' alone on its line: the key."""
    m = _BARE_LABEL.match(text)
    return key if m and (key := _label(m.group(1))) in keys else None


def _label(cell: str) -> str:
    return regex.sub(r"[\s\[\]【】:：]", "", cell)


def _field_value(value: str) -> str:
    """'| 2022-12-02 08:54:33 | |' -> '2022-12-02 08:54:33'; a value made only of separators is empty."""
    parts = [p.strip() for p in regex.split(r"[|｜•]", value)]
    return next((p for p in parts if p and p not in {"-", "—", "无", "/"}), "")


_INLINE: dict[frozenset[str], regex.Pattern[str]] = {}


def _inline_labels(keys: set[str]) -> regex.Pattern[str]:
    """'名  称:' or '发布日期：' anywhere in a line: a label whose characters may be spaced out."""
    frozen = frozenset(keys)
    if frozen not in _INLINE:
        alt = "|".join(r"\s*".join(map(regex.escape, k)) for k in sorted(keys, key=len, reverse=True))
        # 'key：' or a legal database's '•【key】value'
        _INLINE[frozen] = regex.compile(
            r"(?:(?:^|(?<=[\s|｜]))(?P<key>" + alt + r")\s*[:：]|【\s*(?P<key2>" + alt + r")\s*】)\s*"
        )
    return _INLINE[frozen]


def _header(doc: Document, cfg: dict[str, Any], field: str) -> str | None:
    """The first non-empty header field (doc.meta) listed for `field` in the rules."""
    for key in cfg.get("header", {}).get(field, []):
        value = _field_value(doc.meta.get(key) or "")
        if value:
            return value
    return None


# --------------------------------------------------------------------------
# title and type
# --------------------------------------------------------------------------


def _cues(cfg: dict[str, Any]) -> dict[str, str]:
    return dict(cfg.get("cues", {}))


def clean_title(s: str) -> str:
    """Drop 《》 (and the 〈〉 < > quoting inside them), wrapping quotes, a closing 文号 and layout spaces."""
    s = _INNER_QUOTES.sub("", s).strip()
    s = _COLUMN_TAG.sub("", s)
    s = _TABLE_LABEL.sub("", s) if _ANNEX_LABEL.match(s) else s
    s = _TAIL_DOC_NUMBER.sub("", s)
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
    return (
        MIN_TITLE <= len(s) <= MAX_TITLE
        and s[-1] not in _TERMINAL
        and "。" not in s
        and not any(c in s for c in _NOT_TITLE)
        and not _ANNEX_LABEL.match(s)
        and len(_ANY_LABEL.findall(s)) < 2
        and ends_with_cue(s, cfg)
    )


def find_title(doc: Document, lead: _Lead, cfg: dict[str, Any]) -> tuple[str | None, int]:
    """The title printed above the body (or given by a header field), and its lead-line position."""
    given = _header(doc, cfg, "title")
    if given and ends_with_cue(given, cfg):
        return clean_title(given), -1
    for i in range(len(lead.lines)):
        found = _title_at(lead.lines, i, cfg)
        if found:
            return found, i
    return None, -1


def _title_at(lines: list[str], i: int, cfg: dict[str, Any]) -> str | None:
    """The title starting at line i: the line itself, or a title broken over lines ("关于印发…的" + "通知").

    A red-header notice sets a long title over up to TITLE_LINES short lines
    (关于 / 对县《X》确定的2021年 / 重点工作…的 / …的通知).
    """
    s = lines[i]
    if _title_like(s, cfg):
        return clean_title(s)
    if not s or s[-1:] in _TERMINAL or _org_line(s, cfg) or dates.CLOSING_DATE.match(s) or _ANNEX_LABEL.match(s):
        return None
    if _DOC_NUMBER.fullmatch(s):
        return None  # the 文号 line above a red-header title
    joined = s
    for nxt in lines[i + 1 : i + TITLE_LINES]:
        if not nxt or len(nxt) > 20 or dates.DATELINE.match(nxt) or dates.CLOSING_DATE.match(nxt):
            return None
        if _title_like(nxt, cfg) and "关于" not in joined:
            return None  # the next line is a title of its own, not the end of one opened by 关于
        joined += nxt
        if _title_like(joined, cfg):
            return clean_title(joined)
        if nxt[-1:] in _TERMINAL:
            return None
    return None


def issued_plan(title: str, doc: Document, cfg: dict[str, Any]) -> str:
    """A notice that issues a named plan stands for the plan: its title is the plan's (GUIDELINES).

    "XX人民政府关于印发《YY方案》的通知" -> YY方案, as the plan's own heading
    prints it where the plan follows the notice. A notice that is itself the
    list (关于下达…的通知, 关于印发…清单的通知) keeps its own title.
    """
    verbs = "|".join(map(regex.escape, cfg.get("title", {}).get("issuing_verbs", []))) or "(?!)"
    m = regex.search(r"关于(?:" + verbs + r")(.+?)的通知$", title) or regex.search(
        r"(?<!关于)(?:" + verbs + r")((?:关于)?.+?)的通知$", title
    )
    if m is None:
        return title
    plan = clean_title(m.group(1))
    kind = classify(plan, "", cfg)
    if kind is None or kind == "通知":
        return title
    return _embedded_heading(plan, kind, doc, cfg) or plan


def _embedded_heading(plan: str, kind: str, doc: Document, cfg: dict[str, Any]) -> str | None:
    """The plan's own heading printed below the notice, when it names the same plan."""
    lines = [b.text.strip() for b in doc.blocks[: 2 * LEAD_BLOCKS] if b.kind != "table"]
    lines = [line for line in lines if not _ANNEX_LABEL.match(line)]  # an annex list names plans, heads none
    want = _bigrams(plan)
    # A heading may be broken over two lines, each a title-like line itself: the likeness decides;
    # its period may stand on a third line of its own: (2018—2020年).
    candidates = [
        c
        for i, line in enumerate(lines)
        for c in (line, line + "".join(lines[i + 1 : i + 2]), *_with_period(lines[i : i + 3]))
    ]
    scored = [
        (_dice(_bigrams(c), want), -i, c)
        for i, c in enumerate(candidates)
        if "关于" not in c and _title_like(c, cfg) and classify(c, "", cfg) == kind
    ]
    best = max(scored, default=None)
    return clean_title(best[2]) if best and best[0] >= SAME_PLAN else None


def _with_period(lines: list[str]) -> list[str]:
    """Two heading lines and a third holding only a bracketed period: the whole heading."""
    if len(lines) == 3 and _PERIOD_LINE.match(lines[2]):
        return ["".join(lines)]
    return []


def _dice(a: set[str], b: set[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a or b else 0.0


def headline(lead: _Lead, cfg: dict[str, Any]) -> str | None:
    """A title without a type word (a news item's headline): the first short line, with prose below it."""
    lines = lead.lines
    for i, s in enumerate(lines[:HEADLINE_LINES]):
        if not _headline_like(s, cfg):
            continue
        below = next((t for t in lines[i + 1 : i + 1 + BYLINE_LINES] if not dates.DATELINE.match(t)), "")
        if below[-1:] in "。；;" or len(below) > MAX_HEADLINE:
            return clean_title(s)
    return None


def _headline_like(s: str, cfg: dict[str, Any]) -> bool:
    return (
        MIN_TITLE <= len(s) <= MAX_HEADLINE
        and not any(c in s for c in _TERMINAL + _NOT_TITLE)
        and not _org_line(s, cfg)
        and not dates.CLOSING_DATE.match(s)
    )


def drafted_title(doc: Document) -> str | None:
    """A 起草说明 names the plan it explains: '我局起草了《X》' -> 'X起草说明'."""
    for b in doc.blocks[:3]:
        m = _DRAFTED.search(b.text)
        if m:
            suffix = "编制说明" if m.group(1) == "编制" else "起草说明"
            return clean_title(m.group(2)) + suffix
    return None


def body_title(doc: Document, cfg: dict[str, Any]) -> tuple[str | None, str | None]:
    """(title, issuer) where no title is printed, from the opening that issues the plan.

    A notice copied without its title still says what it issues (现将《X》印发
    给你们, 《X》已经县政府同意，现印发给你们); a news item, who issued what
    (A、B印发了《X》). X is the title when it names a type other than 通知.
    """
    for b in doc.blocks[:LEAD_BLOCKS]:
        for pat in cfg.get("title", {}).get("issued_in_body", []):
            m = rules.compiled(pat).search(b.text)
            if m is None:
                continue
            plan = clean_title(_ALIAS.sub("", m.group("plan")))
            if MIN_TITLE <= len(plan) <= MAX_TITLE and classify(plan, "", cfg) not in {None, "通知"}:
                by = m.groupdict().get("by")
                return plan, (_org_line(by, cfg) if by else None)
    return None, None


def annex_title(lead: _Lead, cfg: dict[str, Any]) -> str | None:
    """A notice whose list is its annex, printed without a title: '附件：2016年县政府重点工作任务分解表'."""
    for line in lead.lines:
        if _ANNEX_LABEL.match(line):
            name = clean_title(line)
            if MIN_TITLE <= len(name) <= MAX_TITLE and ends_with_cue(name, cfg) and not _LIST_ITEM.match(name):
                return name
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


def genre(doc: Document, cfg: dict[str, Any]) -> str | None:
    """The type a document's form gives where neither a title nor the text names one.

    Each rule of doc_types.toml [[genre]] counts a pattern on the headings or
    on every line (a progress report's 进展情况 sections, the deadline of each
    row of a task breakdown); the first rule met often enough decides.
    """
    for rule in cfg.get("genre", []):
        rx = rules.compiled(rule["pattern"])
        if sum(1 for t in _genre_texts(doc, rule.get("where") == "headings") if rx.search(t)) >= rule.get("min", 1):
            return str(rule["type"])
    return None


def _genre_texts(doc: Document, headings: bool) -> Iterator[str]:
    """The headings, or every line: a table's lines are its cells (a task table's deadline column)."""
    for b in doc.blocks:
        if headings:
            if b.level is not None:
                yield b.text.strip()
        elif b.table is not None:
            yield from (cell.strip() for row in b.table.rows for cell in row)
        else:
            yield b.text.strip()


def is_work_report(title: str, cfg: dict[str, Any]) -> bool:
    return any(title.endswith(w) for w in cfg.get("report", {}).get("titles", []))


def _work_report(title: str, place: str, year: int | None, cfg: dict[str, Any]) -> tuple[str, str]:
    """(issuer, title) of a work report: "<region>人民政府"; a bare title is given its year and region."""
    report = cfg.get("report", {})
    issuer = report.get("issuer", "{region}人民政府").format(region=place)
    bare = _LEADING_YEAR.sub("", title)
    if year is not None and bare in report.get("titles", []):
        title = report.get("title", "{year}年{region}{title}").format(year=year, region=place, title=bare)
    return issuer, title


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
    m = dates.TRAILING_DATE.search(line)
    date = dates.match_date(m) if m else None
    org = _org_line(line[: m.start()] if m else line, cfg)
    return (org, date) if org else (None, None)


def find_issuer(doc: Document, lead: _Lead, title: str | None, title_at: int, cfg: dict[str, Any]) -> str | None:
    """The body that issued or drafted the document, as written.

    Not the 来源 of a web copy: that names where the page was copied from (a
    newspaper, the office that posted it), not who issued the document. A
    page's 信息来源 that is an organisation is the last resort.
    """
    in_title = _issuer_in_title(title, cfg)
    signed = signed_orgs(lead.lines, cfg)
    if in_title and signed and "、" in signed and signed.replace("、", "") == in_title.replace("、", ""):
        in_title = signed  # 'A办公室B办公室印发…' printed without a separator; the signature splits it
    return (
        _header(doc, cfg, "issuer")
        or _issuer_above_title(lead, title_at, cfg)
        or _byline(lead, title_at, cfg)[0]
        or in_title
        or _issuer_before_about(lead, cfg)
        or _drafting_agency(doc, cfg)
        or _signature(doc, cfg)
        or _source(doc, cfg)
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
    """'桐庐县人民政府关于印发…的通知' -> '桐庐县人民政府'; 'A B印发《X》的通知' -> 'A、B'."""
    if not title:
        return None
    verbs = cfg.get("title", {}).get("issuing_verbs", [])
    # The bodies end where 关于 or an issuing verb begins the subject, whichever comes first.
    # Not a verb of prose: 'A印发的《X》', 'A印发了《X》' tell of a document, they do not head one.
    found = [title.find("关于"), *(m.start() for v in verbs for m in regex.finditer(regex.escape(v) + "(?![的了])", title))]
    cut = min((i for i in found if i > 0), default=-1)
    if cut < 0:
        return None
    return _org_line(_INNER_QUOTES.sub("", title[:cut]), cfg)


def _issuer_before_about(lead: _Lead, cfg: dict[str, Any]) -> str | None:
    """A title printed again over several lines, its first one naming the bodies: 'A局 B局关于深化…'."""
    for line in lead.lines:
        if "关于" in line and (org := _issuer_in_title(line, cfg)):
            return org
    return None


def _source(doc: Document, cfg: dict[str, Any]) -> str | None:
    value = _header(doc, cfg, "source")
    return value if value and _is_org(value, cfg) else None


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
    return signed_orgs([b.text for b in doc.blocks[-TAIL_BLOCKS:]], cfg)


def signed_orgs(lines: list[str], cfg: dict[str, Any]) -> str | None:
    """The organisation lines right above a date line, each body on a line of its own, joined with 、."""
    for i, cur in enumerate(lines):
        if i and dates.CLOSING_DATE.match(cur.strip()):
            orgs: list[str] = []
            for prev in reversed(lines[max(0, i - SIGNATURE_LINES) : i]):
                org = _org_line(prev, cfg)
                if org is None:
                    break
                orgs.insert(0, org)
            if orgs:
                return "、".join(orgs)
    return None


def find_publish_date(doc: Document, lead: _Lead, cfg: dict[str, Any], byline_date: str | None = None) -> str | None:
    """The date the document states for itself, from the most to the least specific statement.

    A report's dateline (the day it was delivered), a web page's header date
    (发布日期), a byline under the title, the date under a signature in the
    lines above the body (a notice that issues the plan below it), the closing date.
    """
    # The dateline may be broken over two lines: '2025年3月21日在某区第十九届' / '人民代表大会第四次会议上'.
    for line, nxt in zip(lead.lines, [*lead.lines[1:], ""]):
        m = dates.DATELINE.match(line) or dates.DATELINE.match(line + nxt)
        if m:
            return dates.match_date(m)
    header = _header(doc, cfg, "date")
    if header and (date := dates.iso_date(header)):
        return date
    if byline_date:
        return byline_date
    return _signed_date(lead.lines, cfg) or _scoped_date(doc, cfg) or _closing_date(doc) or _bare_iso_date(lead)


def _signed_date(lines: list[str], cfg: dict[str, Any]) -> str | None:
    """The date line right under an organisation's line: '立山区人民政府' / '2023年3月28日'."""
    for prev, cur in zip(lines, lines[1:]):
        m = dates.CLOSING_DATE.match(cur.strip())
        if m and _org_line(prev, cfg):
            return dates.match_date(m)
    return None


def _scoped_date(doc: Document, cfg: dict[str, Any]) -> str | None:
    """The date line right above a notice's publication scope ((此件公开发布)), its signature left off."""
    scopes = [rules.compiled(p) for p in cfg.get("issuer", {}).get("scope_lines", [])]
    texts = [b.text.strip() for b in doc.blocks[: 2 * LEAD_BLOCKS]]
    for prev, cur in zip(texts, texts[1:]):
        m = dates.CLOSING_DATE.match(prev)
        if m and any(rx.match(cur) for rx in scopes):
            return dates.match_date(m)
    return None


def _bare_iso_date(lead: _Lead) -> str | None:
    """A header printed as values without labels: a line holding only '2021-04-01' above the body."""
    for line in lead.lines:
        if _ISO_LINE.match(line.strip()):
            return dates.iso_date(line)
    return None


def _closing_date(doc: Document) -> str | None:
    for b in reversed(doc.blocks[-TAIL_BLOCKS:]):
        m = dates.CLOSING_DATE.match(b.text.strip())
        if m:
            return dates.match_date(m)
    return None


def find_doc_number(doc: Document, lead: _Lead, cfg: dict[str, Any]) -> str | None:
    """The 文号 (建政发〔2021〕12号) from the header fields or the lines above the body."""
    header = _header(doc, cfg, "doc_number")
    for text in ([header] if header else []) + lead.lines:
        m = _DOC_NUMBER.search(text)
        if m:
            return re.sub(r"\s+", "", m.group(0))
    return None


