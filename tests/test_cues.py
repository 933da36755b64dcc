"""Cue-word look-ups: Affixes (longest word a text starts or ends with) and Words (search inside a text)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from planextract.extract import cues

VOCAB = ["增长", "年均增长", "增速", "达到", "达", "超过", "不超过", "以上", "力争", "新增"]
texts = st.text(alphabet="增长年均速达到超过不以上力争新企业家个", max_size=14)
word_lists = st.lists(st.sampled_from(VOCAB), min_size=0, max_size=6)


def _longest_suffix(text: str, words: list[str]) -> str | None:
    hits = [w for w in words if text.endswith(w)]
    return max(hits, key=len) if hits else None


def _longest_prefix(text: str, words: list[str]) -> str | None:
    hits = [w for w in words if text.startswith(w)]
    return max(hits, key=len) if hits else None


@given(texts, word_lists)
def test_affixes_agree_with_a_plain_scan(text: str, words: list[str]) -> None:
    table = cues.Affixes(words)
    assert table.suffix(text) == _longest_suffix(text, words)
    assert table.prefix(text) == _longest_prefix(text, words)


@given(texts, word_lists, st.integers(min_value=0, max_value=8))
def test_words_find_the_leftmost_then_longest(text: str, words: list[str], within: int) -> None:
    found = cues.Words(words)
    assert found.in_text(text) == any(w in text for w in words)
    hits = [(text.find(w), -len(w), w) for w in set(words) if w in text]
    expected = min(hits) if hits else None
    assert found.first(text) == ((expected[0], expected[2]) if expected else None)
    near = [h for h in hits if h[0] <= within]
    assert found.first(text, within=within) == ((min(near)[0], min(near)[2]) if near else None)


def test_labelled_affixes_keep_the_first_label_of_a_word() -> None:
    table = cues.Affixes({"以上": ">=", "左右": "~"})
    assert table.prefix("以上的企业") == "以上"
    assert table.labels["以上"] == ">="
    assert cues.comparator_before("力争超过") == (">", "超过")
    assert cues.comparator_before("不超过") == ("<=", "不超过")  # the longer word wins
    assert cues.comparator_after("左右。") == ("~", "左右")
    assert cues.comparator_after("家。") is None


def test_empty_lists_find_nothing() -> None:
    assert cues.Affixes([]).suffix("增长") is None
    assert not cues.Words([]).in_text("增长")
    assert cues.Words([]).first("增长") is None
