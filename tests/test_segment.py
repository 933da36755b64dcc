"""The verb check: jieba segmentation plus the words its dictionary tags as verbs."""

from __future__ import annotations

import marshal
from pathlib import Path

import jieba
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


def test_the_prefix_dictionary_cache_is_read_in_one_piece(tmp_path: Path) -> None:
    (tmp_path / "jieba.cache").write_bytes(marshal.dumps(({"新增": 3, "企业": 5, "新": 0, "企": 0}, 8)))
    tok = segment._Tokenizer()
    tok.tmp_dir = str(tmp_path)
    tok.initialize()
    assert tok.initialized and tok.FREQ == {"新增": 3, "企业": 5, "新": 0, "企": 0} and tok.total == 8
    assert list(tok.cut("新增企业", HMM=False)) == ["新增", "企业"]


@pytest.mark.parametrize("cache", [b"not marshal", marshal.dumps(["a list", 1]), None])
def test_an_unusable_cache_is_left_to_jieba(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cache: bytes | None) -> None:
    if cache is not None:
        (tmp_path / "jieba.cache").write_bytes(cache)
    calls = []
    monkeypatch.setattr(jieba.Tokenizer, "initialize", lambda self, dictionary=None: calls.append(dictionary))
    tok = segment._Tokenizer()
    tok.tmp_dir = str(tmp_path)
    tok.initialize()
    assert calls == [None] and not tok.initialized  # jieba itself builds (and rewrites) the cache
