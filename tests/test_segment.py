"""The verb check: jieba segmentation plus the words its dictionary tags as verbs."""

from __future__ import annotations

from pathlib import Path

import marisa_trie
import pytest

from planextract.extract import segment


def test_phrases_with_and_without_a_verb() -> None:
    assert segment.has_verb("新增企业")
    assert segment.has_verb("引进高层次人才")
    assert not segment.has_verb("培育")  # jieba tags it vn: a verbal noun, not a verb
    assert not segment.has_verb("规上工业企业")
    assert not segment.has_verb("雏鹰瞪羚独角兽企业")  # 瞪羚 is one word, not the verb 瞪


def test_the_domain_dictionary_decides_tags(tmp_path: Path) -> None:
    verbs: set[str] = {"提档", "规上"}
    (tmp_path / "user.txt").write_text("规上 20 n\n新词 5 v\n无标签 3\n", encoding="utf-8")
    segment._verbs_in(tmp_path / "user.txt", verbs)
    assert verbs == {"提档", "新词"}  # 规上 is a noun here; a line without a tag changes nothing


def _small_trie() -> marisa_trie.RecordTrie:
    words = {"新增": (3, 1), "新": (0, 0), "企业": (5, 0), "企": (0, 0), segment._TOTAL: (8, 0)}
    return marisa_trie.RecordTrie(segment._RECORD, list(words.items()))


def test_the_trie_answers_like_jiebas_dictionary() -> None:
    freq = segment._TrieFreq(_small_trie())
    assert "新增" in freq and "新" in freq and "增" not in freq
    assert freq["新增"] == 3 and freq["新"] == 0 and freq.get("增") is None and freq.get("增", 1) == 1
    with pytest.raises(KeyError):
        freq["增"]
    freq["专精特新"] = 20  # a user dictionary word
    assert freq.get("专精特新") == 20 and "专精特新" in freq
    assert freq.is_verb("新增") and not freq.is_verb("企业") and not freq.is_verb("增")
    tok = segment._Tokenizer(freq, 8)
    assert list(tok.cut("新增企业", HMM=False)) == ["新增", "企业"]


def test_the_real_trie_holds_jiebas_frequencies_and_verb_tags() -> None:
    tok, _ = segment._tokenizer()
    freq = tok.FREQ
    lines = segment._dictionary().read_text(encoding="utf-8").splitlines()[::5000]
    for line in lines:
        word, count, tag = line.split()
        assert freq.get(word) == int(count)
        if tag == "v":
            assert freq.is_verb(word)


def test_the_trie_is_built_once_then_loaded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    built = []
    monkeypatch.setattr(segment, "_trie_path", lambda: tmp_path / "t.marisa")
    monkeypatch.setattr(segment, "build_trie", lambda: built.append(1) or _small_trie())
    assert segment._load_trie().get("新增") == [(3, 1)]
    assert segment._load_trie().get("新增") == [(3, 1)]
    assert built == [1] and (tmp_path / "t.marisa").exists()
    (tmp_path / "t.marisa").write_bytes(b"damaged")
    assert segment._load_trie().get("企业") == [(5, 0)]  # rebuilt
    assert built == [1, 1]


def test_an_unwritable_cache_folder_still_gives_a_trie(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(segment, "_trie_path", lambda: tmp_path / "missing-folder" / "t.marisa")
    monkeypatch.setattr(segment, "build_trie", _small_trie)
    assert segment._load_trie().get("新增") == [(3, 1)]
