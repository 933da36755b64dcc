"""Responsibility notes: who leads a work item or a target, and who supports it.

One parser for every form documents use, for tasks and targets alike:

* a bracket closing the item: （责任单位：A、B）, （牵头单位：A；配合单位：B）,
  （A牵头，B配合）, （A牵头，B按职责分工负责）, （A、B按职责分工负责）, and one
  cut off before it closes ("（预期性指标，牵头单位：A；责任单位：B…");
* a closing sentence: "…。责任单位：A。" (主责单位：, 实施单位： …);
* lines of their own under the item: "牵头单位：A" then "责任单位：B" (one note);
* a heading that names the lead of every item under it ("（一）县示范区管委会牵头");
* the agency cells of a table row (牵头单位 / 责任单位 / 配合单位 columns).

Conventions: a document saying "以下列第一位的为牵头单位" (or "列第一位为牵头或
汇总单位") makes the first listed unit of a neutral list its lead; without it
every listed unit leads. "分别牵头" makes each named unit a lead. Remarks inside
a list ("（除标注…外，…，下同）", "以下均需各县市区落实") are no names. The label
and role words are in rules/responsibility.toml; splitting names is agencies.py's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import regex

from planextract import rules
from planextract.extract import agencies
from planextract.models import Block, Document

Role = Literal["lead", "support", "neutral"]

_SENTENCE_END = "。！？"
_CLAUSE_SEPS = "，,；;"
# A note's brackets: round ones, and the square ones some lists use for a note
# whose names hold round ones ("[牵头单位：县发改局（粮食局）；责任单位：…]").
_NOTE_OPEN, _NOTE_CLOSE = "（([【", "）)]】"
_OWNER_LOOKBACK = 12  # blocks a note line may sit below its numbered item


# --------------------------------------------------------------------------
# Vocabulary (rules/responsibility.toml)
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Vocab:
    label_role: dict[str, Role | None]  # label word -> role (None: a field naming no agency)
    label_re: regex.Pattern[str]  # a label and its colon
    max_prefix: int
    role_words: tuple[tuple[str, Role], ...]  # longest first
    first_leads: regex.Pattern[str]
    remarks: tuple[str, ...]


@lru_cache(maxsize=1)
def _vocab() -> _Vocab:
    data = rules.load("responsibility")
    labels, roles, conv = data.get("labels", {}), data.get("roles", {}), data.get("conventions", {})
    label_role: dict[str, Role | None] = {}
    for role in ("lead", "support", "neutral"):
        for w in labels.get(role, []):
            label_role.setdefault(w, role)  # type: ignore[arg-type]
    for w in labels.get("other", []):
        label_role.setdefault(w, None)  # a field of the note that names nobody: 完成时限：…
    words = sorted(label_role, key=len, reverse=True)
    role_words = sorted(((w, r) for r in ("lead", "support", "neutral") for w in roles.get(r, [])), key=lambda x: -len(x[0]))
    return _Vocab(
        label_role=label_role,
        label_re=regex.compile("(" + "|".join(regex.escape(w) for w in words) + r")\s*[:：]"),
        max_prefix=int(labels.get("max_prefix", 12)),
        role_words=tuple(role_words),  # type: ignore[arg-type]
        first_leads=regex.compile("|".join(f"(?:{p})" for p in conv.get("first_leads", [])) or r"(?!)"),
        remarks=tuple(conv.get("remarks", [])),
    )


def first_leads(text: str) -> bool:
    """Whether the text says the first listed agency leads ("以下列第一位的为牵头单位")."""
    return bool(_vocab().first_leads.search(text))


# --------------------------------------------------------------------------
# Names with roles
# --------------------------------------------------------------------------


def _role_word(item: str) -> tuple[str, Role | None]:
    """A role word after a name cut off: ("县发改局", "support") for "县发改局配合"."""
    for word, role in _vocab().role_words:
        if item.endswith(word) and len(item) > len(word):
            return item[: -len(word)].rstrip(), role
    return item, None


def _is_remark(clause: str) -> bool:
    text = clause.strip(" \u3000（(")
    return text.startswith(_vocab().remarks) or bool(_vocab().first_leads.search(text))


def _strip_remarks(text: str) -> str:
    """Brackets holding a remark about the list ("（除标注…外，…，下同）") dropped."""
    drop: list[tuple[int, int]] = []
    depth, start = 0, 0
    for i, ch in enumerate(text):
        if ch in "（(":
            start = i if depth == 0 else start
            depth += 1
        elif ch in "）)" and depth:
            depth -= 1
            if depth == 0 and _is_remark(text[start + 1 : i]):
                drop.append((start, i + 1))
    for s, e in reversed(drop):
        text = text[:s] + text[e:]
    return text


def _cut_sentence(text: str) -> str:
    """A list ends at the first full stop outside brackets ("…配合。以下列第一位…")."""
    depth = 0
    for i, ch in enumerate(text):
        if ch in agencies.OPEN:
            depth += 1
        elif ch in agencies.CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 and ch in _SENTENCE_END:
            return text[:i]
    return text


@lru_cache(maxsize=4096)  # the same notes recur down a task table
def split_roles(text: str, extra_separators: str = "") -> tuple[tuple[str, Role], ...]:
    """Names as written, each with the role a 牵头/配合 word gives it ("neutral": not said).

    A role word closes a clause and covers all of its names: in
    "县经信局、县发改局，各成员单位配合" only the last clause supports. A
    remark clause ("以下均需…", "不再逐一列出") ends the list.
    """
    text = _strip_remarks(_cut_sentence(text))
    seps = agencies.separators() + extra_separators
    out: list[tuple[str, Role]] = []
    for clause in agencies.split_top(text, _CLAUSE_SEPS + extra_separators):
        if _is_remark(clause):
            break
        items = [i for i in (agencies.clean_item(x) for x in agencies.split_top(clause, seps)) if i]
        if not items:
            continue
        items[-1], clause_role = _role_word(items[-1])
        for item in items:
            name, role = _role_word(item)
            for piece in agencies.names_in(name):
                out.append((piece, role or clause_role or "neutral"))
    return tuple(out)


def split_agencies(text: str, extra_separators: str = "") -> list[str]:
    """The agency names of a printed list, as written, in order (role words cut off)."""
    return [name for name, _ in split_roles(text, extra_separators)]


# --------------------------------------------------------------------------
# Notes
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Note:
    """The names a responsibility note gives, in printed order, with their roles."""

    names: tuple[tuple[str, Role], ...]

    def __bool__(self) -> bool:
        return bool(self.names)

    def roles(self, first_leads: bool = False) -> tuple[list[str], list[str]]:
        """(lead, support): named leads; else the first neutral name under the
        first-leads convention; else every neutral name. The rest support, in order."""
        leads = [n for n, r in self.names if r == "lead"]
        if not leads:
            neutral = [n for n, r in self.names if r == "neutral"]
            leads = neutral[:1] if first_leads else neutral
        lead_set = set(leads)
        lead = list(dict.fromkeys(leads))
        support = [n for n, _ in self.names if n not in lead_set]
        return lead, list(dict.fromkeys(support))

    @property
    def agencies(self) -> list[str]:
        """Who is responsible for a target: every name but those marked as supporting, in order."""
        return list(dict.fromkeys(n for n, r in self.names if r != "support"))


def _segments(body: str) -> list[tuple[Role | Literal["other"] | None, str]]:
    """[("lead", "A"), ("support", "B")] for "牵头单位：A；配合单位：B"; [(None, body)] without labels."""
    v = _vocab()
    marks = list(v.label_re.finditer(body))
    if not marks:
        return [(None, body)]
    ends = [m.start() for m in marks[1:]] + [len(body)]
    return [
        (v.label_role[m.group(1)] or "other", body[m.end() : end]) for m, end in zip(marks, ends, strict=True)
    ]


def parse_note(body: str, extra_separators: str = "") -> Note:
    """The names of a note's inside: "牵头单位：A；配合单位：B", "责任单位：A、B，C配合", "A牵头，B配合".

    A lead or support label decides its names' role; under a neutral label (or
    none) a role word does.
    """
    names: list[tuple[str, Role]] = []
    for label, seg in _segments(_cut_sentence(body)):
        if label == "other":
            continue  # 完成时限：2024年底, 责任领导：…
        for name, role in split_roles(seg.strip(" ；;，,"), extra_separators):
            names.append((name, label if label in ("lead", "support") else role))
        if _is_remark_ended(seg):
            break
    return Note(tuple(names))


def _is_remark_ended(seg: str) -> bool:
    """A segment whose list ended in a remark: nothing after it is a name."""
    return any(_is_remark(c) for c in agencies.split_top(seg, _CLAUSE_SEPS))


def role_list(text: str) -> Note | None:
    """An unlabelled note of agencies and role words: "县经信局牵头，县发改局配合", "A、B按职责分工负责"."""
    if any(ch in _SENTENCE_END for ch in text) or not any(w in text for w, _ in _vocab().role_words):
        return None
    roles = split_roles(text)
    if not roles or not any(r in ("lead", "neutral") for r in _clause_roles(text)):
        return None
    return Note(roles) if all(agencies.looks_like_agency(n) for n, _ in roles) else None


def _clause_roles(text: str) -> Iterable[Role]:
    """The roles the role words of a text's clauses give (a clause without one gives none)."""
    for clause in agencies.split_top(text, _CLAUSE_SEPS):
        _, role = _role_word(agencies.clean_item(clause))
        if role:
            yield role


def _labelled(inner: str) -> bool:
    """A note's inside that opens with a label, perhaps after a short prefix ("预期性指标，牵头单位：")."""
    m = _vocab().label_re.search(inner)
    if m is None:
        return False
    prefix = inner[: m.start()]
    return m.start() == 0 or (len(prefix) <= _vocab().max_prefix and prefix.rstrip()[-1:] in "，,；;、 "
                                and not any(ch in _SENTENCE_END for ch in prefix))


def find_note(text: str) -> tuple[int, str] | None:
    """(start, inside) of a responsibility note closing the text, or None.

    The note is a bracket at the very end ("…。（责任单位：县经信局）"), a bracket
    left open at the end (the text was cut off inside it), or a last sentence
    that starts with a label ("…。责任单位：县发改局。").
    """
    body = text.rstrip(" \u3000\t\n。；;．.")
    found = _closing_bracket(body) or _open_bracket(body)
    if found is not None:
        return found
    v = _vocab()
    for m in v.label_re.finditer(body):
        if m.start() == 0 or body[m.start() - 1] in "。；;\n ":
            note = body[m.start() :]
            head = _cut_sentence(note)
            tail = note[len(head) :].strip("。 ")
            if len(head) < 300 and (not tail or first_leads(tail)):
                return m.start(), note
    return None


def _closing_bracket(body: str) -> tuple[int, str] | None:
    if not body or body[-1] not in _NOTE_CLOSE:
        return None
    depth = 0
    for i in range(len(body) - 1, -1, -1):
        ch = body[i]
        if ch in _NOTE_CLOSE:
            depth += 1
        elif ch in _NOTE_OPEN:
            depth -= 1
            if depth == 0:
                inner = body[i + 1 : -1].strip()
                return (i, inner) if _labelled(inner) or role_list(inner) else None
    return None


def _open_bracket(body: str) -> tuple[int, str] | None:
    """The last bracket, never closed, when a label opens its inside (a note cut off)."""
    if _vocab().label_re.search(body) is None:
        return None  # no label anywhere: no note can open inside (most paragraphs; the scan below is per character)
    depth = 0
    for i in range(len(body) - 1, -1, -1):
        ch = body[i]
        if ch in _NOTE_CLOSE:
            depth += 1
        elif ch in _NOTE_OPEN:
            if depth == 0:
                inner = body[i + 1 :].strip()
                return (i, _drop_cut_name(inner)) if _labelled(inner) else None
            depth -= 1
    return None


def _drop_cut_name(inner: str) -> str:
    """A note cut off inside a name ("牵头单位：市发") keeps only the names printed whole."""
    last = regex.split(r"[、，,；;：:]", inner)[-1]
    name = agencies.clean_item(last)
    if name and not agencies.looks_like_agency(name) and not _is_remark(last):
        return inner[: len(inner) - len(last)]
    return inner


def note_line(text: str) -> str | None:
    """The inside of a line that is only a note ("责任单位：市发改委", "（牵头单位：区发改局）")."""
    t = text.strip().rstrip("。.；;")
    bracketed = t[:1] in "（(" and t[-1:] in "）)"
    inner = t[1:-1].strip() if bracketed else t
    m = _vocab().label_re.match(inner)
    return inner if m else None


def heading_note(text: str, number: str | None) -> Note | None:
    """A heading that only names the lead of the items under it: "（一）县示范区管委会牵头"."""
    body = text.strip()
    if number and body.startswith(number):
        body = body[len(number) :]
    body = body.strip(" 　：:。")
    note = role_list(body) if body else None
    return note if note and any(r == "lead" for _, r in note.names) else None


def read_note(text: str) -> Note | None:
    """The note closing a paragraph, parsed; None when it has none or it names nobody."""
    found = find_note(text)
    if found is None:
        return None
    note = parse_note(found[1])
    return note or None


def cell_note(lead: str = "", responsible: str = "", support: str = "") -> Note:
    """A table row's note from its agency cells: a 牵头 column leads (a 配合 word
    inside it aside), a 责任单位 column is a neutral list, a 配合 column supports.
    A line break inside a cell separates names."""
    names: list[tuple[str, Role]] = []
    for name, role in split_roles(lead, "\n"):
        names.append((name, "support" if role == "support" else "lead"))
    names += parse_note(responsible, "\n").names
    names += [(name, "support") for name, _ in split_roles(support, "\n")]
    return Note(tuple(names))


# --------------------------------------------------------------------------
# Notes of a document's items
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemNote:
    """A note and the item it belongs to.

    owner: the block index of the item (a numbered paragraph or heading);
    last: the last block the note covers (the owner, or the note lines below it);
    note_start: where the note starts in the owner's text (its length when the
    note is on lines of its own); form: bracket, line or heading.
    """

    owner: int
    last: int
    note_start: int
    note: Note
    form: str


def _owner(blocks: list[Block], i: int, claimed: set[int]) -> int | None:
    """The numbered item a note below belongs to (the paragraph right above when none is numbered)."""
    for j in range(i - 1, max(-1, i - 1 - _OWNER_LOOKBACK), -1):
        b = blocks[j]
        if j in claimed or b.kind == "table":
            break
        if b.number:
            return j
        if b.kind == "heading":
            break
    prev = i - 1
    if prev >= 0 and prev not in claimed and blocks[prev].kind == "paragraph":
        return prev
    return None


def item_notes(doc: Document) -> list[ItemNote]:
    """Every item of the document with the note that names its agencies, in order."""
    blocks = doc.blocks
    out: list[ItemNote] = []
    claimed: set[int] = set()
    governed: list[tuple[int, Note]] = []  # numbered items under a "X牵头" heading
    stack: list[tuple[int, Note | None]] = []  # (heading level, its lead note)
    i = 0
    while i < len(blocks):
        b = blocks[i]
        if b.kind == "table":
            i += 1
            continue
        if b.kind == "heading" and b.level is not None:
            while stack and stack[-1][0] >= b.level:
                stack.pop()
            heading = heading_note(b.text, b.number)
            stack.append((b.level, heading or _heading_lead(b.text)))
            if heading is not None:
                i += 1
                continue
        if note_line(b.text) is not None:
            j = i
            bodies = []
            while j < len(blocks) and blocks[j].kind != "table" and (body := note_line(blocks[j].text)) is not None:
                bodies.append(body)
                j += 1
            owner = _owner(blocks, i, claimed)
            note = Note(tuple(n for body in bodies for n in parse_note(body).names))
            if owner is not None and note:
                out.append(ItemNote(owner, j - 1, len(blocks[owner].text), note, "line"))
                claimed.update(range(owner, j))
            i = j
            continue
        found = find_note(b.text)
        note = parse_note(found[1]) if found else None
        lead = next((n for _, n in reversed(stack) if n is not None), None)
        if not (found and note) and lead is not None and (helpers := _support_bracket(b.text)) is not None:
            found, note = (helpers[0], ""), Note(lead.names + helpers[1].names)  # "（B、C配合）" under "…（A牵头）"
        if found and note:
            owner = i if b.number else _owner(blocks, i, claimed)
            if owner is None or owner == i:
                out.append(ItemNote(i, i, found[0], note, "bracket"))
            else:
                out.append(ItemNote(owner, i, len(blocks[owner].text), note, "bracket"))
            claimed.update(range(owner if owner is not None else i, i + 1))
        elif b.number and lead is not None:
            governed.append((i, lead))
        i += 1
    out += _governed_items(blocks, governed, claimed)
    return sorted(out, key=lambda n: n.owner)


def _heading_lead(text: str) -> Note | None:
    """The leads a heading's own closing note names ("一、深化改革（县发改局牵头）"): they lead the items below."""
    note = read_note(text)
    leads = [n for n, r in note.names if r == "lead"] if note else []
    return Note(tuple((n, "lead") for n in leads)) if leads else None


def _support_bracket(text: str) -> tuple[int, Note] | None:
    """(start, note) of a closing bracket that only names supporters: "（县财政局、县自然资源局配合）"."""
    body = text.rstrip(" \u3000\t\n。；;．.")
    if not body or body[-1] not in _NOTE_CLOSE:
        return None
    depth = 0
    for i in range(len(body) - 1, -1, -1):
        if body[i] in _NOTE_CLOSE:
            depth += 1
        elif body[i] in _NOTE_OPEN:
            depth -= 1
            if depth == 0:
                inner = body[i + 1 : -1].strip()
                if any(ch in _SENTENCE_END for ch in inner):
                    return None
                names = split_roles(inner)
                roles = list(_clause_roles(inner))
                if names and roles and all(r == "support" for r in roles) and all(
                    agencies.looks_like_agency(n) for n, _ in names
                ):
                    return i, Note(tuple((n, "support") for n, _ in names))
                return None
    return None


def _governed_items(blocks: list[Block], governed: list[tuple[int, Note]], claimed: set[int]) -> list[ItemNote]:
    """Items under a lead heading without a note of their own, at the deepest level there."""
    free = [(i, n) for i, n in governed if i not in claimed]
    if not free:
        return []
    deepest = max(blocks[i].level or 0 for i, _ in free)
    return [ItemNote(i, i, len(blocks[i].text), n, "heading") for i, n in free if (blocks[i].level or 0) == deepest]


def block_agencies(doc: Document) -> dict[int, list[str]]:
    """The agencies responsible for the targets of each block (block index -> names, lead first)."""
    out: dict[int, list[str]] = {}
    for item in item_notes(doc):
        names = item.note.agencies
        for k in range(item.owner, item.last + 1):
            out.setdefault(k, names)
    return out
