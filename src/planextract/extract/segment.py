"""Word segmentation (jieba) with the domain dictionary in rules/jieba_userdict.txt.

Used where a word boundary decides something: whether a bare noun phrase
already has a verb of its own ("动态保有重点上市后备企业") or takes the verb
of the list it continues ("新增A 5家、B 3家" -> 新增B).

Only one part-of-speech question is ever asked (is there a verb?), so
instead of jieba.posseg, which holds a tag for each of jieba's 350,000
words (and loads that table twice: once for its own default tokenizer), we
keep the set of words tagged `v` (about 35,000) and segment with a plain
tokenizer. That saves about 110 MB and a second of start-up per process.
"""

from __future__ import annotations

import logging
import marshal
import tempfile
from functools import lru_cache
from pathlib import Path

import jieba

from planextract import rules

jieba.setLogLevel(logging.WARNING)

VERB_TAG = "v"


def _verbs_in(dictionary: Path, verbs: set[str]) -> None:
    """Add the words a jieba dictionary file tags as verbs; drop the ones it tags otherwise."""
    with dictionary.open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) < 3:
                continue
            if parts[2] == VERB_TAG:
                verbs.add(parts[0])
            else:
                verbs.discard(parts[0])


class _Tokenizer(jieba.Tokenizer):
    """jieba's tokenizer, reading its prefix-dictionary cache in one piece.

    jieba loads that cache (about 9 MB) with marshal.load on an open file,
    which reads it in many small pieces: 1.5 s, against 0.35 s for
    marshal.loads on the whole file. Without a usable cache, jieba builds
    (and writes) it as usual.
    """

    def initialize(self, dictionary: str | None = None) -> None:
        if not self.initialized and dictionary is None and self.dictionary == jieba.DEFAULT_DICT:
            cache = Path(self.tmp_dir or tempfile.gettempdir()) / (self.cache_file or "jieba.cache")
            try:
                freq, total = marshal.loads(cache.read_bytes())
            except (OSError, ValueError, EOFError, TypeError):
                pass
            else:
                if isinstance(freq, dict) and isinstance(total, int):
                    self.FREQ, self.total, self.initialized = freq, total, True
                    return
        super().initialize(dictionary)


@lru_cache(maxsize=1)
def _tokenizer() -> tuple[jieba.Tokenizer, frozenset[str]]:
    tok = _Tokenizer()
    verbs: set[str] = set()
    _verbs_in(Path(jieba.__file__).with_name("dict.txt"), verbs)
    userdict = rules.rules_dir() / "jieba_userdict.txt"
    if userdict.exists():
        tok.load_userdict(str(userdict))
        _verbs_in(userdict, verbs)  # the domain dictionary's tags win
    tok.initialize()
    return tok, frozenset(verbs)


@lru_cache(maxsize=4096)
def has_verb(text: str) -> bool:
    """True when the phrase contains a verb of its own."""
    tok, verbs = _tokenizer()
    return any(word in verbs for word in tok.cut(text))
