"""Agencies: names as written -> canonical names; link rows for targets and tasks.

Two jobs, each usable on its own:

* the names of one printed list item (`names_in`): a trailing 等 dropped,
  names printed without a separator ("市场监管局生态环境局") split into the
  names the vocabulary knows, a bare level word ("市", a list cut off) no name;
  who leads and who supports is extract/responsibility.py's;
* `link_agencies` maps every name to a canonical full name (rules/agencies.toml)
  and writes the link rows.
"""

from __future__ import annotations

import hashlib
import string
from dataclasses import dataclass
from functools import lru_cache

import regex

from planextract import rules
from planextract.models import Agency, Document, DocumentMeta, Target, TargetAgency, Task, TaskAgency

# Patterns compiled once (the regex module re-checks its cache on every call).
_SPACES = regex.compile(r"\s+")
_BRACKETED = regex.compile(r"[（(].*?[)）]")
_TRAILING_BRACKET = regex.compile(r"[（(][^）)]*[)）]$")

OPEN = "（(【[《“"
CLOSE = "）)】]》”"


# --------------------------------------------------------------------------
# Vocabulary (rules/agencies.toml)
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Vocab:
    full_names: dict[str, str]
    patterns: tuple[tuple[regex.Pattern[str], str], ...]
    separators: str
    trailing: tuple[str, ...]
    endings: tuple[str, ...]
    level_prefixes: tuple[str, ...]
    not_prefixes: tuple[str, ...]
    joint_levels: regex.Pattern[str]
    trailing_pattern: regex.Pattern[str]
    leading: tuple[str, ...]


@lru_cache(maxsize=1)
def _vocab() -> _Vocab:
    data = rules.load("agencies")
    split = data.get("splitting", {})
    return _Vocab(
        full_names=dict(data.get("full_names", {})),
        patterns=tuple((regex.compile(p["match"]), p["name"]) for p in data.get("patterns", [])),
        separators=split.get("separators", "、，,；;"),
        trailing=tuple(sorted(split.get("trailing", ["等"]), key=len, reverse=True)),
        endings=tuple(split.get("name_endings", [])),
        level_prefixes=tuple(sorted(split.get("level_prefixes", ["县", "市", "区"]), key=len, reverse=True)),
        not_prefixes=tuple(split.get("not_prefixes", ["市场"])),
        joint_levels=regex.compile(split.get("joint_levels") or r"(?!)"),
        trailing_pattern=regex.compile(split.get("trailing_pattern") or r"(?!)"),
        leading=tuple(split.get("leading", [])),
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


def separators() -> str:
    """The characters that separate names in a printed list."""
    return _vocab().separators


def split_top(text: str, seps: str) -> list[str]:
    """Split at separators that are not inside brackets or quotes, nor inside one name (各县、市、区政府)."""
    joint = {i for m in _vocab().joint_levels.finditer(text) for i in range(m.start(), m.end())}
    parts, depth, cur = [], 0, []
    for i, ch in enumerate(text):
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE:
            depth = max(0, depth - 1)
        if depth == 0 and ch in seps and i not in joint:
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


def clean_item(item: str) -> str:
    """One list item without edge punctuation and a trailing 等 (等有关部门 …)."""
    v = _vocab()
    item = _SPACES.sub(" ", item).strip(" \u3000。．.：:")
    for t in v.trailing:
        if item.endswith(t) and len(item) > len(t):
            item = item[: -len(t)].rstrip()
            break
    else:
        m = v.trailing_pattern.search(item)
        if m and m.start() >= 2:
            item = item[: m.start()].rstrip()
    for w in v.leading:
        if item.startswith(w) and len(item) > len(w) + 2:
            item = item[len(w) :]
            break
    return item


def _split_space(item: str) -> list[str]:
    """Names separated only by spaces ("市委办 市府办"), when each piece looks like a name."""
    pieces = item.split(" ")
    if len(pieces) > 1 and all(len(_BRACKETED.sub("", p)) >= 2 and _is_known(p) for p in pieces):
        return pieces
    return [item]


def names_in(item: str) -> list[str]:
    """The names one list item holds, as written (role words already cut off)."""
    item = clean_item(item)
    out = [p for s in _split_space(item) for p in _run_together(s)]
    return [p for p in out if p and not _bare_level(p)]


def _bare_level(name: str) -> bool:
    """A level word alone ("市"): a list cut off before the name, not a name."""
    return name in _vocab().level_prefixes


def looks_like_agency(name: str) -> bool:
    """A name ending like a body's name (局, 办, 委, 中心, 街道 …, a bracket after it allowed)."""
    core = _TRAILING_BRACKET.sub("", name) or name
    return core.endswith(_vocab().endings)


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
