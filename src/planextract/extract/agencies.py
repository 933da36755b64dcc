"""Agencies: names as written -> canonical names; link rows for targets and tasks.

Three jobs, each usable on its own:

* `split_agencies` turns a printed list ("县经信局、县发改局，各…单位配合",
  "市场监管局生态环境局", "发改局、科技局等") into the names as written;
* `responsibility` finds the trailing "（责任单位：…）" of a work item and
  tells lead from support;
* `link_agencies` maps every name to a canonical full name (rules/agencies.toml)
  and writes the link rows.
"""

from __future__ import annotations

import hashlib
import string
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import regex

from planextract import rules
from planextract.models import Agency, Document, DocumentMeta, Target, TargetAgency, Task, TaskAgency

# Patterns compiled once (the regex module re-checks its cache on every call).
_SPACES = regex.compile(r"\s+")
_BRACKETED = regex.compile(r"[（(].*?[)）]")
_TRAILING_BRACKET = regex.compile(r"[（(][^）)]*[)）]$")

Role = Literal["lead", "support"]

_OPEN = "（(【[《“"
_CLOSE = "）)】]》”"

# Labels that open a responsibility note, by the role they give.
_LEAD_LABELS = ("牵头单位", "牵头部门", "主要责任单位", "主责单位", "主办单位")
_SUPPORT_LABELS = ("配合单位", "配合部门", "协办单位", "参与单位", "协同单位", "协助单位")
_NEUTRAL_LABELS = ("责任单位", "责任部门", "责任主体", "实施单位", "主体单位")
_LABEL_RE = regex.compile(
    "(" + "|".join(sorted(_LEAD_LABELS + _SUPPORT_LABELS + _NEUTRAL_LABELS, key=len, reverse=True)) + r")\s*[:：]"
)
# "以下列第一位的为牵头单位" and its variants: the first listed leads.
_FIRST_LEADS_RE = regex.compile(
    r"(?:第一位|第一个|第一家|首位|首个|排名第一|列第一|排第一)[^。；;，,、]{0,6}?(?:为|是|作为)牵头(?:单位|部门)"
)
_SENTENCE_END = "。！？"
# How agency names end: the test for an unlabelled "（A牵头，B配合）" note.
_AGENCY_END = regex.compile(r"(?:局|办|委|部|厅|院|会|中心|公司|行|组|所|站|队|处|室|区|镇|乡|街道|单位|部门|园)(?:[（(][^）)]*[)）])?$")


# --------------------------------------------------------------------------
# Vocabulary (rules/agencies.toml)
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Vocab:
    full_names: dict[str, str]
    patterns: tuple[tuple[regex.Pattern[str], str], ...]
    separators: str
    lead_words: tuple[str, ...]
    support_words: tuple[str, ...]
    trailing: tuple[str, ...]
    level_prefixes: tuple[str, ...]
    not_prefixes: tuple[str, ...]


@lru_cache(maxsize=1)
def _vocab() -> _Vocab:
    data = rules.load("agencies")
    split = data.get("splitting", {})
    return _Vocab(
        full_names=dict(data.get("full_names", {})),
        patterns=tuple((regex.compile(p["match"]), p["name"]) for p in data.get("patterns", [])),
        separators=split.get("separators", "、，,；;"),
        lead_words=tuple(split.get("lead_words", ["牵头"])),
        support_words=tuple(split.get("support_words", ["配合"])),
        trailing=tuple(sorted(split.get("trailing", ["等"]), key=len, reverse=True)),
        level_prefixes=tuple(sorted(split.get("level_prefixes", ["县", "市", "区"]), key=len, reverse=True)),
        not_prefixes=tuple(split.get("not_prefixes", ["市场"])),
    )


@lru_cache(maxsize=8192)
def _strip_level(name: str) -> tuple[str | None, str]:
    """("县", "经信局") for "县经信局"; (None, name) when no level word leads."""
    v = _vocab()
    if name in v.full_names or any(name.startswith(w) for w in v.not_prefixes):
        return None, name
    for p in v.level_prefixes:
        if name.startswith(p) and len(name) > len(p) + 1:
            return p, name[len(p) :]
    return None, name


@lru_cache(maxsize=8192)
def _is_known(name: str) -> bool:
    """Whether the vocabulary knows this name (with or without a level word)."""
    v = _vocab()
    _, rest = _strip_level(name)
    for cand in (name, rest):
        if cand in v.full_names or any(p.search(cand) for p, _ in v.patterns):
            return True
    return False


# --------------------------------------------------------------------------
# Splitting lists of names
# --------------------------------------------------------------------------


def _split_top(text: str, seps: str) -> list[str]:
    """Split at separators that are not inside brackets or quotes."""
    parts, depth, cur = [], 0, []
    for ch in text:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        if depth == 0 and ch in seps:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return parts


def _run_together(name: str) -> list[str]:
    """Split "市场监管局生态环境局" into known names; a name not fully covered stays whole."""
    if _is_known(name) or len(name) < 4:
        return [name]

    memo: dict[int, tuple[str, ...] | None] = {}

    def cover(i: int) -> tuple[str, ...] | None:
        if i == len(name):
            return ()
        if i not in memo:
            memo[i] = None
            for j in range(len(name), i + 1, -1):  # longest piece first
                piece = name[i:j]
                if _is_known(piece):
                    rest = cover(j)
                    if rest is not None:
                        memo[i] = (piece, *rest)
                        break
        return memo[i]

    pieces = cover(0)
    return list(pieces) if pieces and len(pieces) > 1 else [name]


def _clean_item(item: str) -> str:
    item = _SPACES.sub(" ", item).strip(" \u3000。．.：:")
    for t in _vocab().trailing:
        if item.endswith(t) and len(item) > len(t):
            item = item[: -len(t)].rstrip()
            break
    return item


def _role_of(item: str) -> tuple[str, Role | None]:
    """Drop a role word after a name: ("县发改局", "support") for "县发改局配合"."""
    v = _vocab()
    for words, role in ((v.support_words, "support"), (v.lead_words, "lead")):
        for w in words:
            if item.endswith(w) and len(item) > len(w):
                return item[: -len(w)].rstrip(), role  # type: ignore[return-value]
    return item, None


def _split_space(item: str) -> list[str]:
    """Names separated only by spaces ("市委办 市府办"), when each piece looks like a name."""
    pieces = item.split(" ")
    if len(pieces) > 1 and all(len(_BRACKETED.sub("", p)) >= 2 and _is_known(p) for p in pieces):
        return pieces
    return [item]


@lru_cache(maxsize=4096)  # the same notes recur down a task table
def split_roles(text: str) -> tuple[tuple[str, Role | None], ...]:
    """Names as written with the role a 牵头/配合 word gives them (None: not said).

    A role word closes a clause and covers all of its names: in
    "县经信局、县发改局，各成员单位配合" only the last clause supports.
    """
    text = _cut_sentence(text)
    v = _vocab()
    out: list[tuple[str, Role | None]] = []
    for clause in _split_top(text, "，,；;"):
        items = [i for i in (_clean_item(x) for x in _split_top(clause, v.separators)) if i]
        if not items:
            continue
        last, clause_role = _role_of(items[-1])
        items[-1] = last
        for item in items:
            name, role = _role_of(item)
            name = _clean_item(name)
            for piece in (p for s in _split_space(name) for p in _run_together(s)):
                if piece:
                    out.append((piece, role or clause_role))
    return tuple(out)


def split_agencies(text: str) -> list[str]:
    """The agency names of a printed list, as written, in order."""
    return [name for name, _ in split_roles(text)]


def _cut_sentence(text: str) -> str:
    """A list ends at the first full stop outside brackets ("…配合。以下列第一位…")."""
    depth = 0
    for i, ch in enumerate(text):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 and ch in _SENTENCE_END:
            return text[:i]
    return text


# --------------------------------------------------------------------------
# Responsibility notes: "（责任单位：…）"
# --------------------------------------------------------------------------


def first_listed_leads(text: str) -> bool:
    """Whether the text says the first listed agency leads ("以下列第一位的为牵头单位")."""
    return bool(_FIRST_LEADS_RE.search(text))


def find_responsibility(text: str) -> tuple[int, str] | None:
    """(start, note) of a responsibility note closing the text, or None.

    The note is either a bracket at the very end ("…。（责任单位：县经信局）")
    or a last sentence that starts with a label ("…。责任单位：县发改局。").
    """
    body = text.rstrip(" \u3000\t\n。；;．.")
    if body and body[-1] in "）)":
        depth = 0
        for i in range(len(body) - 1, -1, -1):
            ch = body[i]
            if ch in "）)":
                depth += 1
            elif ch in "（(":
                depth -= 1
                if depth == 0:
                    inner = body[i + 1 : -1].strip()
                    if _LABEL_RE.match(inner) or _is_role_list(inner):
                        return i, inner
                    break
    # a closing sentence "责任单位：…" (no bracket): the label starts the text or follows a stop,
    # and nothing but the first-leads convention comes after it
    for m in _LABEL_RE.finditer(body):
        if m.start() == 0 or body[m.start() - 1] in "。；;\n ":
            note = body[m.start() :]
            head = _cut_sentence(note)
            tail = note[len(head) :].strip("。 ")
            if len(head) < 300 and (not tail or _FIRST_LEADS_RE.search(tail)):
                return m.start(), note
    return None


def _is_role_list(inner: str) -> bool:
    """An unlabelled note that is only agencies with role words: "（县经信局牵头，县发改局配合）"."""
    if not any(w in inner for w in _vocab().lead_words) or any(ch in _SENTENCE_END for ch in inner):
        return False
    roles = split_roles(inner)
    return bool(roles) and any(r == "lead" for _, r in roles) and all(_AGENCY_END.search(n) for n, _ in roles)


def _labelled_segments(note: str) -> list[tuple[str, str]]:
    """[("牵头单位", "A"), ("配合单位", "B")] for "牵头单位：A；配合单位：B"; ("", note) without labels."""
    marks = list(_LABEL_RE.finditer(note))
    if not marks:
        return [("", note)]
    ends = [m.start() for m in marks[1:]] + [len(note)]
    return [(m.group(1), note[m.end() : end]) for m, end in zip(marks, ends, strict=True)]


def parse_responsibility(note: str, first_leads: bool = False) -> tuple[list[str], list[str]]:
    """(lead, support) from the inside of a note: "牵头单位：A；配合单位：B", "责任单位：A、B，C配合"."""
    lead: list[str] = []
    support: list[str] = []
    neutral: list[str] = []
    for label, seg in _labelled_segments(note):
        for name, role in split_roles(seg.strip(" ；;，,")):
            if label in _LEAD_LABELS or (role == "lead" and label not in _SUPPORT_LABELS):
                lead.append(name)
            elif label in _SUPPORT_LABELS or role == "support":
                support.append(name)
            else:
                neutral.append(name)
    if lead:  # neutral names next to named leads support them
        return lead, neutral + support
    if first_leads and neutral:
        return neutral[:1], neutral[1:] + support
    return neutral, support


def responsibility(text: str, first_leads: bool = False) -> tuple[list[str], list[str]] | None:
    """(lead, support) from a trailing "（责任单位：…）" of a paragraph, or None.

    first_leads: the document says the first listed agency leads
    (`first_listed_leads(doc.text)`); otherwise, without 牵头/配合 words, every
    listed agency is a lead.
    """
    found = find_responsibility(text)
    if found is None:
        return None
    lead, support = parse_responsibility(found[1], first_leads)
    return (lead, support) if lead or support else None


# --------------------------------------------------------------------------
# Canonical names and link rows
# --------------------------------------------------------------------------


def agency_id(canonical: str) -> str:
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def _short(place: str) -> str:
    """桐庐县 -> 桐庐; names of two characters keep their level word (X县 stays)."""
    for suffix in ("自治区", "自治州", "自治县", "省", "市", "县", "区", "旗", "州"):
        if place.endswith(suffix) and len(place) - len(suffix) >= 2:
            return place[: -len(suffix)]
    return place


def _place_of_prefix(prefix: str, region: str | None, city: str | None, province: str | None) -> str | None:
    """The area a level word refers to in a document about `region`."""
    if region and region.endswith(prefix):
        return region
    if prefix == "市" and city:
        return city
    if prefix in ("省", "自治区") and province:
        return province
    return None


def _fill(
    template: str, place: str | None, city: str | None, groups: dict[str, str]
) -> tuple[str, str | None] | None:
    """(filled template, the area it names), or None when it needs a value the document lacks."""
    values = {"region": place, "region_short": _short(place) if place else None, "city": city, **groups}
    fields = [f for _, f, _, _ in string.Formatter().parse(template) if f]
    if any(values.get(f) is None for f in fields):
        return None
    area = next((values[f] for f in fields if f in ("region", "city")), None)
    return template.format_map(values), area


@lru_cache(maxsize=8192)  # a document names the same few agencies again and again
def canonical_name(
    name: str, region: str | None = None, city: str | None = None, province: str | None = None
) -> tuple[str, str | None]:
    """(canonical full name, the area it belongs to) for a name as written.

    "县经信局" in a 桐庐县 document -> ("桐庐县经济和信息化局", "桐庐县");
    unknown names, and names whose area the document does not give, stay as written.
    """
    written = _SPACES.sub("", name)
    place: str | None
    rest = written
    explicit = next(
        (p for p in (region, city, province) if p and written.startswith(p) and len(written) > len(p) + 1), None
    )
    if explicit:
        place, rest = explicit, written[len(explicit) :]
    else:
        prefix, rest = _strip_level(written)
        place = _place_of_prefix(prefix, region, city, province) if prefix else region
        if prefix and place is None:
            return written, None
    core = _TRAILING_BRACKET.sub("", rest) or rest
    v = _vocab()
    if core in v.full_names:
        return _fill(v.full_names[core], place, city, {}) or (written, None)
    for pattern, template in v.patterns:
        m = pattern.search(core)
        if m:
            return _fill(template, place, city, {k: s for k, s in m.groupdict().items() if s}) or (written, None)
    if place and rest != written:  # a level word on an unknown name: the region's own body
        return place + rest, place
    return written, None


class _Registry:
    """Agencies of one document, in first-seen order."""

    def __init__(self, meta: DocumentMeta) -> None:
        self.meta = meta
        self.by_id: dict[str, Agency] = {}

    def add(self, written: str) -> str:
        canonical, place = canonical_name(written, self.meta.region, self.meta.city, self.meta.province)
        aid = agency_id(canonical)
        agency = self.by_id.get(aid)
        if agency is None:
            agency = self.by_id[aid] = Agency(agency_id=aid, name=canonical, region=place, names=[])
        if written not in agency.names:
            agency.names.append(written)
        return aid


def link_agencies(
    doc: Document, meta: DocumentMeta, targets: list[Target], tasks: list[Task]
) -> tuple[list[Agency], list[TargetAgency], list[TaskAgency]]:
    """Agency rows and the target/task link rows; fills empty target/task ids."""
    registry = _Registry(meta)
    target_links: list[TargetAgency] = []
    task_links: list[TaskAgency] = []
    for i, target in enumerate(targets):
        if not target.target_id:
            target.target_id = f"{doc.doc_id}-t{i:04d}"
        for pos, name in enumerate(target.agencies):
            target_links.append(
                TargetAgency(target_id=target.target_id, agency_id=registry.add(name), position=pos, name=name)
            )
    for i, task in enumerate(tasks):
        if not task.task_id:
            task.task_id = f"{doc.doc_id}-k{i:04d}"
        for role, names in (("lead", task.lead), ("support", task.support)):
            for pos, name in enumerate(names):
                task_links.append(
                    TaskAgency(
                        task_id=task.task_id, agency_id=registry.add(name), role=role, position=pos, name=name  # type: ignore[arg-type]
                    )
                )
    return list(registry.by_id.values()), target_links, task_links
