"""Issue 12, point 8: numbers are read from what a reader sees; no NaN or infinity reaches the data."""

from __future__ import annotations

import math
from pathlib import Path

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from _load_helpers import fixed_code_fingerprint  # noqa: F401 (autouse: pins the cache key)
from planextract import api
from planextract.extract import extract_document
from planextract.extract.normalise import matching_view, normalise
from planextract.extract.numbers import find_quantities, parse_number
from planextract.ingest import ingest_bytes
from planextract.load.store import write_cached, read_cached
from planextract.load.tables import file_facts
from planextract.models import FileResult, Target

HEAD = "某县推进产业发展实施方案\n一、发展目标\n"
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u200e", "\u202a", "\u202c", "\u2066", "\u2069"]


def _targets(sentence: str) -> list[Target]:
    doc = ingest_bytes((HEAD + sentence + "\n").encode("utf-8"), "plan.txt", ".txt")
    result = extract_document(doc)
    for t in result.targets:  # every span points at the original text, invisible characters and all
        assert doc.text[t.char_start : t.char_end] == t.evidence
    return result.targets


@pytest.mark.parametrize(("sentence", "value", "unit", "year"), [
    ("到2025年，工业增加值达到1\u200d00亿元。", 100.0, "亿元", 2025),
    ("到2025年，常住人口达到1\u200c2万人。", 12.0, "万人", 2025),
    ("到2\u200b025年，工业增加值达到100亿元。", 100.0, "亿元", 2025),
    ("到\u202e2025\u202c年，工业增加值达到3\u2066.5\u2069亿元。", 3.5, "亿元", 2025),
    ("到２０２５年，研发投入占比达到５０％。", 50.0, "%", 2025),
    ("到２０２５年，研发投入占比达到３．５％。", 3.5, "%", 2025),
])
def test_numbers_hidden_by_invisible_or_full_width_characters_are_read(
    sentence: str, value: float, unit: str, year: int
) -> None:
    (t,) = _targets(sentence)
    assert (t.value, t.unit, t.year) == (value, unit, year)
    assert t.evidence in sentence  # the original characters, not the matching view's


def test_a_document_with_nothing_to_normalise_is_read_as_it_is() -> None:
    doc = ingest_bytes((HEAD + "到2025年，工业增加值达到100亿元。\n").encode(), "plan.txt", ".txt")
    view = matching_view(doc)
    assert view.doc is doc and view.offsets is None


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.sampled_from(INVISIBLE)), max_size=8))
def test_invisible_characters_anywhere_change_no_value_and_spans_stay_on_the_original(
    inserts: list[tuple[int, str]]
) -> None:
    clean = "到2025年，全县工业增加值达到300亿元，新增企业12家。"
    text = clean
    for pos, ch in sorted(inserts, reverse=True):
        text = text[: min(pos, len(text))] + ch + text[min(pos, len(text)) :]
    assert [(t.value, t.unit, t.year) for t in _targets(text)] == [(t.value, t.unit, t.year) for t in _targets(clean)]


@given(st.text(alphabet="ab１２\u200b\u200d\ufeff", max_size=30))
def test_the_offset_map_points_every_view_character_at_its_original(text: str) -> None:
    view, offsets = normalise(text)
    for v, ch in enumerate(view):
        original = text[offsets.start(v)]
        assert original == ch or (ord(original) - 0xFEE0) == ord(ch)
    assert offsets.end(len(view)) <= len(text)


@pytest.mark.parametrize("numeral", ["1" * 400, "9" * 20, "1e400", "inf", "nan", "九千九百九十九万亿亿亿"])
def test_absurd_or_non_finite_numerals_are_not_numbers(numeral: str) -> None:
    value = parse_number(numeral)
    assert value is None or (math.isfinite(value) and value <= 1e15)
    assert all(math.isfinite(q.value) for q in find_quantities(f"达到{numeral}亿元"))


@pytest.mark.parametrize("sentence", [f"到2025年，工业增加值达到{'1' * 400}亿元。", "到2025年，工业增加值达到九千九百九十九万亿亿亿元。"])
def test_absurd_amounts_give_no_target_and_no_error(sentence: str) -> None:
    assert _targets(sentence) == []


def test_the_loader_refuses_a_non_finite_number_as_an_error_row(tmp_path: Path) -> None:
    t = Target(doc_id="d", block_id="d:b0000", char_start=0, char_end=1, evidence="x", indicator="x",
               value=float("inf"), unit="元", target_id="d-t0001")
    write_cached(tmp_path / "r.arrow.lz4", FileResult(path="x.txt", sha256="0" * 64, targets=[t]))
    facts = file_facts(read_cached(tmp_path / "r.arrow.lz4"))
    assert facts.error_type == "unstorable_result"


def test_no_nan_or_infinity_reaches_a_built_database(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(HEAD + f"到2025年，工业增加值达到{'9' * 400}亿元，新增企业1\u200d2家。\n")
    api.build(tmp_path / "in", tmp_path / "out", workers=1)
    con = duckdb.connect(str(tmp_path / "out" / "planextract.duckdb"), read_only=True)
    cols = con.execute("SELECT table_name, column_name FROM information_schema.columns WHERE data_type = 'DOUBLE'")
    for table, column in cols.fetchall():
        (bad,) = con.execute(f'SELECT count(*) FROM "{table}" WHERE isnan("{column}") OR isinf("{column}")').fetchone()
        assert bad == 0, f"{table}.{column}"
    assert con.execute("SELECT value, unit FROM targets").fetchall() == [(12.0, "家")]
