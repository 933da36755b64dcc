"""Noise removal shared by every ingester (patterns live in rules/noise.toml)."""

from __future__ import annotations

from functools import lru_cache

import regex

from planextract import rules

_SPACES = regex.compile(r"[ \u00a0\u3000]+")


@lru_cache(maxsize=1)
def _patterns() -> tuple[regex.Pattern[str], list[regex.Pattern[str]], regex.Pattern[str] | None]:
    noise = rules.load("noise")
    inline = regex.compile("|".join(f"(?:{p})" for p in noise.get("inline", [])) or r"(?!)")
    lines = [regex.compile(p) for p in noise.get("lines", [])]
    keys = sorted(noise.get("meta_keys", []), key=len, reverse=True)
    meta = regex.compile("|".join(regex.escape(k) for k in keys)) if keys else None
    return inline, lines, meta


def strip_inline(text: str) -> str:
    """Remove converter markers such as [bookmark: _Toc123] and [image: ]."""
    return _patterns()[0].sub("", text)


def is_noise_line(line: str) -> bool:
    """True for a whole line of site chrome (footer, counters, share buttons)."""
    s = line.strip()
    return bool(s) and any(p.fullmatch(s) for p in _patterns()[1])


def parse_meta_line(line: str) -> dict[str, str] | None:
    """Parse a header line such as '索引号M059/2024-1 发布机构县经信局 发布日期2024-05-31'.

    Returns the fields, or None when the line is not made of such fields.
    """
    meta_re = _patterns()[2]
    s = line.strip()
    if meta_re is None or not s or len(s) > 160:
        return None
    hits = list(meta_re.finditer(s))
    if not hits or hits[0].start() != 0:
        return None
    fields: dict[str, str] = {}
    for i, m in enumerate(hits):
        end = hits[i + 1].start() if i + 1 < len(hits) else len(s)
        value = s[m.end() : end].strip().lstrip(":：").strip()
        fields.setdefault(m.group(0), value)
    # A sentence that merely starts with such a word is not a header line.
    if any(len(v) > 60 for v in fields.values()):
        return None
    return fields


def squeeze(text: str) -> str:
    """Collapse runs of spaces (ASCII, no-break, ideographic) into one."""
    return _SPACES.sub(" ", text).strip()


def squeeze_cell(text: str) -> str:
    """Squeeze spaces on each line of a table cell, keeping its line breaks."""
    return "\n".join(filter(None, (squeeze(ln) for ln in text.split("\n"))))
