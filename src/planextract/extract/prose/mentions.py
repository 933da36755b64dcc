"""Quantity mentions: every number with a unit in a sentence, and the role it plays there.

Every number of a sentence becomes a Mention. The reader gives each one a
role and the name of the rule that decided it, so a person can see why a
number was or was not taken (`planextract inspect --mentions`):

- target     a forward-looking goal (goes to `targets`)
- actual     a reported result of a past period (goes to `actuals`)
- baseline   the "from" value of a from -> to change (由5元提高至10元)
- threshold  a bound inside a name or definition (亿元以上企业)
- rule       a clause's rule, not a goal (按…的70%, 给予最高…奖励)
- structure  counts of sections, lists, named items, ranks (十件实事, 第3位)
- other      none of these: a unit we cannot read, a project's own size (总投资)
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import regex

from planextract.extract import cues
from planextract.extract.numbers import CN_DIGITS, Quantity, find_quantities, find_worded, unit_info

_NUMERAL = regex.compile(rf"[\d{CN_DIGITS}]")  # a text without one holds no quantity
_UNITLESS = regex.compile(
    r"(?<=(?:容积率|系数|指数|强度比|倍数)(?:达到|达|提高到|提高至|保持在|不低于|超过|为)?)"
    r"(?P<num>\d+(?:\.\d+)?)(?![\d.%％万亿千百])(?!\s*[\p{Han}&&[^以左上]])"
)


class Role(StrEnum):
    TARGET = "target"
    ACTUAL = "actual"
    BASELINE = "baseline"
    THRESHOLD = "threshold"
    RULE = "rule"
    STRUCTURE = "structure"
    OTHER = "other"


@dataclass
class Mention:
    """One number with its unit, in the coordinates of its sentence."""

    quantity: Quantity
    comparator_after: tuple[str, str] | None  # (operator, word) printed after the unit: 以上, 左右
    tail: int  # end of the mention, the comparator after it included
    role: Role | None = None
    rule: str = ""  # the rule that decided the role
    kind: str = ""  # the kind a figure written in words says (翻一番: growth_rate), else ""
    comparator: str = ""  # the comparator it says (两位数: >=), else ""

    @property
    def start(self) -> int:
        return self.quantity.start

    @property
    def end(self) -> int:
        return self.quantity.end

    def decide(self, role: Role, rule: str) -> None:
        self.role, self.rule = role, rule


def has_numeral(text: str) -> bool:
    return _NUMERAL.search(text) is not None


def find_mentions(sentence: str) -> list[Mention]:
    """Quantities with units, plus unitless ratios ("容积率达1.0以上"), in order."""
    if not has_numeral(sentence):
        return []
    found = find_quantities(sentence)
    taken = [(q.start, q.end) for q in found]
    for m in _UNITLESS.finditer(sentence):
        if not any(a <= m.start() < b for a, b in taken):
            found.append(Quantity(m.start(), m.end(), float(m.group("num")), None, "", "", "", False, "", 1.0))
    found.sort(key=lambda q: q.start)
    mentions = [_mention(sentence, q) for q in found]
    for w in find_worded(sentence):
        if not any(m.start <= w.quantity.start < m.end or w.quantity.start <= m.start < w.quantity.end for m in mentions):
            m = _mention(sentence, w.quantity)
            m.kind, m.comparator = w.kind, w.comparator
            mentions.append(m)
    mentions.sort(key=lambda m: m.start)
    return _units_across_lists(sentence, mentions)


def _units_across_lists(sentence: str, mentions: list[Mention]) -> list[Mention]:
    """"分别达1409万、1305万人次": a bare magnitude in a list takes the unit of the item after it."""
    for i in range(len(mentions) - 2, -1, -1):
        m, nxt = mentions[i], mentions[i + 1]
        q, n = m.quantity, nxt.quantity
        if not q.word and q.magnitude and n.word and sentence[m.tail : nxt.start].strip() in ("、", "和"):
            info = unit_info(q.magnitude + n.word)
            m.quantity = q._replace(unit=info.unit, word=n.word, base_unit=info.base_unit, factor=info.factor)
    return mentions


_PER_HEAD = regex.compile(r"每(?P<per>(?:千|万|百|十万)?(?:人口|人|户|亩|平方公里))$")


def _mention(sentence: str, q: Quantity) -> Mention:
    if q.word and (per := _PER_HEAD.search(sentence, 0, q.start)):
        # "食品抽检量超每千人6.6批次": a rate per head written before the number
        info = unit_info(f"{q.unit}/{per.group('per')}")
        if info.base_unit:
            q = q._replace(start=per.start(), unit=info.unit, base_unit=info.base_unit, factor=info.factor)
    after = cues.comparator_after(sentence[q.end :])
    m = Mention(q, after, q.end + (len(after[1]) if after else 0))
    if q.more_than:
        m.comparator = ">"  # "5000余户", "1000多个"
    return m
