"""Word segmentation (jieba) with the domain dictionary in rules/jieba_userdict.txt.

Used where a word boundary decides something: whether a bare noun phrase
already has a verb of its own ("动态保有重点上市后备企业") or takes the verb
of the list it continues ("新增A 5家、B 3家" -> 新增B).
"""

from __future__ import annotations

import logging
from functools import lru_cache

import jieba
import jieba.posseg as pseg

from planextract import rules

jieba.setLogLevel(logging.WARNING)


@lru_cache(maxsize=1)
def _tokenizer() -> pseg.POSTokenizer:
    tok = jieba.Tokenizer()
    userdict = rules.rules_dir() / "jieba_userdict.txt"
    if userdict.exists():
        tok.load_userdict(str(userdict))
    return pseg.POSTokenizer(tok)


@lru_cache(maxsize=4096)
def has_verb(text: str) -> bool:
    """True when the phrase contains a verb of its own."""
    return any(flag == "v" for _, flag in _tokenizer().cut(text))
