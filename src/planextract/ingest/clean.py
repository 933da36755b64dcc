"""Noise removal shared by every ingester (patterns live in rules/noise.toml)."""

from __future__ import annotations

from functools import lru_cache

import regex

from planextract import rules

_SPACES = regex.compile(r"[ \u00a0\u3000]+")
_HAN = regex.compile(r"\p{Han}")
# A character a reader sees: not white space, not a format character (zero-width, bidi controls, BOM).
_VISIBLE = regex.compile(r"[^\s\p{Cf}]")
_BULLETS = "•·●▪◦"


@lru_cache(maxsize=1)
def _patterns() -> tuple[regex.Pattern[str], regex.Pattern[str], regex.Pattern[str] | None]:
    noise = rules.load("noise")
    inline = regex.compile("|".join(f"(?:{p})" for p in noise.get("inline", [])) or r"(?!)")
    # One alternation: a line is noise when it fully matches any pattern.
    lines = regex.compile("|".join(f"(?:{p})" for p in noise.get("lines", [])) or r"(?!)")
    keys = sorted(noise.get("meta_keys", []), key=len, reverse=True)
    stops = sorted(noise.get("meta_stops", []), key=len, reverse=True)
    meta = None
    if keys:
        # Pages space labels out to line them up ("索 引 号", "来　　源").
        key_alt = "|".join(r"[ \u00a0\u3000]*".join(map(regex.escape, k)) for k in keys)
        stop_alt = "|".join(regex.escape(k) for k in stops) or r"(?!)"
        meta = regex.compile(rf"(?P<key>{key_alt})|(?P<stop>{stop_alt})")
    return inline, lines, meta


@lru_cache(maxsize=1)
def _labels() -> frozenset[str]:
    noise = rules.load("noise")
    return frozenset(noise.get("meta_keys", [])) | frozenset(noise.get("label_keys", []))


def strip_inline(text: str) -> str:
    """Remove converter markers such as [bookmark: _Toc123] and [image: ]."""
    return _patterns()[0].sub("", text)


def is_noise_line(line: str) -> bool:
    """True for a whole line of site chrome (footer, counters, share buttons)."""
    s = line.strip()
    return bool(s) and _patterns()[1].fullmatch(s) is not None


def parse_meta_line(line: str) -> dict[str, str] | None:
    """Parse a header line such as '索引号M059/2024-1 发布机构县经信局 发布日期2024-05-31'.

    Returns the fields, or None when the line is not made of such fields.
    A label that only ends a value (浏览次数, 字号, see meta_stops) yields no field.
    """
    meta_re = _patterns()[2]
    s = line.strip().lstrip(_BULLETS).strip()  # "• 发布时间:2024-07-01": a page's list of fields
    first = meta_re.match(s) if meta_re is not None and s and len(s) <= 160 else None
    if first is None or first.group("key") is None:  # a field line starts with its label
        return None
    hits = [first, *meta_re.finditer(s, first.end())]
    keys = [m for m in hits if m.group("key") is not None]
    if len(keys) == 1 and _HAN.match(s, keys[0].end()):
        return None  # "来源于…": a sentence, not "来源：…" or "来源 …"
    fields: dict[str, str] = {}
    for i, m in enumerate(hits):
        if m.group("key") is None:
            continue
        end = hits[i + 1].start() if i + 1 < len(hits) else len(s)
        value = s[m.end() : end].strip().lstrip(":：").strip()
        fields.setdefault(_SPACES.sub("", m.group("key")), value)
    # A sentence that merely starts with such a word is not a header line.
    if any(len(v) > 60 for v in fields.values()):
        return None
    return fields


def meta_label(cell: str) -> str | None:
    """The header-field name when a cell holds only a label ('索 引 号：'), else None."""
    key = _SPACES.sub("", cell).strip().rstrip(":：").strip()
    return key if key in _labels() else None


def parse_meta_cells(cells: list[str]) -> dict[str, str]:
    """Header fields in a row of cells: label cells followed by value cells,
    or cells that each hold 'label：value'."""
    fields: dict[str, str] = {}
    i = 0
    while i < len(cells):
        key = meta_label(cells[i])
        if key is not None:
            value = cells[i + 1] if i + 1 < len(cells) and meta_label(cells[i + 1]) is None else ""
            if len(value) <= 200:
                fields.setdefault(key, squeeze(value))
            i += 2 if value else 1
            continue
        parsed = parse_meta_line(cells[i])
        if parsed:
            for k, v in parsed.items():
                fields.setdefault(k, v)
        i += 1
    return fields


def squeeze(text: str) -> str:
    """Collapse runs of spaces (ASCII, no-break, ideographic) into one."""
    return _SPACES.sub(" ", text).strip()


def squeeze_cell(text: str) -> str:
    """Squeeze spaces on each line of a table cell, keeping its line breaks."""
    if "\n" not in text:  # most cells: one line
        return _SPACES.sub(" ", text).strip()
    return "\n".join(filter(None, (squeeze(ln) for ln in text.split("\n"))))


def visible(text: str) -> bool:
    """True when text holds a character a reader would see."""
    return _VISIBLE.search(text) is not None
