"""Dates as documents print them: 2022年4月8日, 二〇二二年四月八日, 2024-05-31, and a report's dateline.

Parsed to YYYY-MM-DD or YYYY-MM (GUIDELINES "document": publish_date); a
year alone is no date.
"""

from __future__ import annotations

import re

import regex

_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_DATE = (
    r"(?P<y>(?:19|20)\d{2}|[〇零○Ｏ一二三四五六七八九]{4})\s*年\s*"
    r"(?:(?P<m>\d{1,2}|十[一二]?|[一二三四五六七八九])\s*月\s*"
    r"(?:(?P<d>\d{1,2}|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])?\s*日)?)?"
)
ISO_DATE = re.compile(r"((?:19|20)\d{2})[-/.年](\d{1,2})(?:[-/.月](\d{1,2}))?")
# "——2026年1月26日在…人民代表大会…会议上" under a report's title (the dash, or the meeting, marks it).
DATELINE = regex.compile(
    r"^(?:[—―\-－]{1,2}\s*" + _DATE + r"\s*在|[（(]?\s*" + _DATE + r"\s*在.{2,60}?(?:会议|大会))"
)
CLOSING_DATE = regex.compile(r"^" + _DATE + r"\s*(?:印发|发布|制定)?\s*$")
TRAILING_DATE = regex.compile(r"\s*" + _DATE + r"\s*$")


def _cn_int(s: str) -> int:
    """Arabic or Chinese numerals of a date part: '2022', '二〇二二', '十二', '二十七'."""
    if s.isdigit():
        return int(s)
    if "十" in s:
        tens, _, ones = s.partition("十")
        return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)
    return int("".join(str(_CN_DIGITS[c]) for c in s))


def format_date(y: str, m: str | None, d: str | None) -> str | None:
    """'2022', '4', '8' -> '2022-04-08'; None for a year alone or a month out of range."""
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


def match_date(m: regex.Match[str]) -> str | None:
    """The date of a match of one of the patterns above (groups y, m, d)."""
    return format_date(m.group("y"), m.group("m"), m.group("d"))


def iso_date(value: str) -> str | None:
    """The date in a header field: '2024-05-31 17:09:35', '2025/06/03'."""
    m = ISO_DATE.search(value)
    return format_date(m.group(1), m.group(2), m.group(3)) if m else None
