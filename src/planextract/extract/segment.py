"""Word segmentation (jieba) with the domain dictionary in rules/jieba_userdict.txt.

Used where a word boundary decides something: whether a bare noun phrase
already has a verb of its own ("动态保有重点上市后备企业") or takes the verb
of the list it continues ("新增A 5家、B 3家" -> 新增B).

Only one part-of-speech question is ever asked (is there a verb?), so
jieba.posseg, which holds a tag for each of jieba's words, is not used.
jieba's word -> frequency dictionary (500,000 words and prefixes, 62 MB as
a Python dict) is kept in a marisa trie together with a "tagged as a verb"
flag: 2 MB, built once from jieba's dictionary and cached next to jieba's
own cache, then loaded in a millisecond by every process.
"""

from __future__ import annotations

import hashlib
import logging
import marshal
import os
import tempfile
from functools import lru_cache
from pathlib import Path

import jieba
import marisa_trie

from planextract import rules

jieba.setLogLevel(logging.WARNING)

VERB_TAG = "v"
_RECORD = "<IB"  # (frequency, 1 if jieba tags the word as a verb)
_TOTAL = "\uffff总频次"  # the sum of frequencies, under a key no text contains (U+FFFF is a noncharacter)


# --------------------------------------------------------------------------
# jieba's dictionary as a trie
# --------------------------------------------------------------------------


class _TrieFreq:
    """The mapping jieba's tokenizer reads as FREQ, backed by the trie.

    jieba only asks `word in FREQ`, `FREQ[word]` and `FREQ.get(word)`, and
    sets entries for the words of a user dictionary (kept in a small dict).
    """

    def __init__(self, trie: marisa_trie.RecordTrie) -> None:
        self._trie = trie
        self._added: dict[str, int] = {}

    def __contains__(self, word: str) -> bool:
        return word in self._added or word in self._trie

    def __getitem__(self, word: str) -> int:
        found = self.get(word)
        if found is None:
            raise KeyError(word)
        return found

    def get(self, word: str, default: int | None = None) -> int | None:
        if word in self._added:
            return self._added[word]
        found = self._trie.get(word)
        return found[0][0] if found else default

    def __setitem__(self, word: str, freq: int) -> None:
        self._added[word] = freq

    def is_verb(self, word: str) -> bool:
        found = self._trie.get(word)
        return bool(found and found[0][1])


def _dictionary() -> Path:
    return Path(jieba.__file__).with_name("dict.txt")


def _trie_path() -> Path:
    """Where the trie is cached: named by the jieba dictionary it was built from."""
    st = _dictionary().stat()
    key = f"{jieba.__version__}-{st.st_size}-{st.st_mtime_ns}-{_RECORD}"
    return Path(tempfile.gettempdir()) / f"planextract-jieba-{hashlib.sha256(key.encode()).hexdigest()[:16]}.marisa"


def _jieba_freq() -> tuple[dict[str, int], int]:
    """jieba's own prefix dictionary: from its cache, read in one piece, else built by jieba."""
    cache = Path(tempfile.gettempdir()) / "jieba.cache"
    try:
        freq, total = marshal.loads(cache.read_bytes())
        if isinstance(freq, dict) and isinstance(total, int):
            return freq, total
    except (OSError, ValueError, EOFError, TypeError):
        pass
    tok = jieba.Tokenizer()
    tok.initialize()  # builds (and caches) it from dict.txt
    return tok.FREQ, tok.total


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


def build_trie() -> marisa_trie.RecordTrie:
    freq, total = _jieba_freq()
    verbs: set[str] = set()
    _verbs_in(_dictionary(), verbs)
    records = [(w, (f, w in verbs)) for w, f in freq.items()]
    records.append((_TOTAL, (total, 0)))
    return marisa_trie.RecordTrie(_RECORD, records)


def _load_trie() -> marisa_trie.RecordTrie:
    """The cached trie; built and cached on first use (a few seconds, once per machine)."""
    path = _trie_path()
    try:
        return marisa_trie.RecordTrie(_RECORD).load(str(path))
    except (OSError, RuntimeError, ValueError):
        pass
    trie = build_trie()
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        os.close(fd)
        trie.save(tmp)
        os.replace(tmp, path)  # atomic: a concurrent build never sees half a file
    except OSError:
        pass  # an unwritable temp folder: use it uncached
    return trie


# --------------------------------------------------------------------------
# segmentation and the verb check
# --------------------------------------------------------------------------


class _Tokenizer(jieba.Tokenizer):
    """jieba's tokenizer over the trie (it never loads jieba's dictionary itself)."""

    def __init__(self, freq: _TrieFreq, total: int) -> None:
        super().__init__()
        self.FREQ, self.total, self.initialized = freq, total, True

    def initialize(self, dictionary: str | None = None) -> None:
        if dictionary is not None:
            raise ValueError("this tokenizer reads jieba's default dictionary only")


@lru_cache(maxsize=1)
def _tokenizer() -> tuple[_Tokenizer, dict[str, bool]]:
    """The tokenizer, and the domain dictionary's words with whether each is a verb."""
    trie = _load_trie()
    freq = _TrieFreq(trie)
    tok = _Tokenizer(freq, trie[_TOTAL][0][0])
    user: dict[str, bool] = {}
    userdict = rules.path("jieba_userdict.txt")
    if userdict.stat().st_size:
        tok.load_userdict(str(userdict))
        verbs: set[str] = set()
        _verbs_in(userdict, verbs)
        user = {w: w in verbs for w in tok.user_word_tag_tab}  # the domain dictionary's tags win
    return tok, user


@lru_cache(maxsize=4096)
def has_verb(text: str) -> bool:
    """True when the phrase contains a verb of its own."""
    tok, user = _tokenizer()
    freq: _TrieFreq = tok.FREQ
    return any(user[w] if w in user else freq.is_verb(w) for w in tok.cut(text))


@lru_cache(maxsize=4096)
def words(text: str) -> tuple[str, ...]:
    """The words of a phrase, as jieba cuts it with the domain dictionary."""
    tok, _ = _tokenizer()
    return tuple(tok.cut(text))
