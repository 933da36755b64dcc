"""Rule files: shipped with the package, overlaid by the user's folder, checked against their schemas."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planextract import rules
from planextract.rules import schema


@pytest.fixture
def overlay(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty overlay folder in use; the load cache is cleared around the test."""
    folder = tmp_path / "my-rules"
    folder.mkdir()
    monkeypatch.setenv(rules.ENV_VAR, str(folder))
    rules.load.cache_clear()
    yield folder
    rules.load.cache_clear()


def _copy(overlay: Path, name: str, edit: tuple[str, str] | None = None, append: str = "") -> Path:
    """A user's copy of a shipped rule file, with one text replaced and/or lines appended."""
    text = (rules.shipped_dir() / name).read_text(encoding="utf-8")
    if edit is not None:
        assert edit[0] in text, edit
        text = text.replace(edit[0], edit[1], 1)
    path = overlay / name
    path.write_text(text + append, encoding="utf-8")
    return path


def _fails(match: str) -> pytest.RaisesContext[rules.RulesError]:
    return pytest.raises(rules.RulesError, match=match)


def test_the_shipped_rules_pass_every_check() -> None:
    rules.check()
    names = rules.rule_names()
    assert {f"{stem}.toml" for stem in schema.SCHEMAS} | set(schema.ROW_SCHEMAS) == set(names)
    for stem, model in schema.SCHEMAS.items():
        model.model_validate(rules.load(stem))


def test_an_overlay_file_replaces_the_shipped_one(overlay: Path) -> None:
    _copy(overlay, "targets.toml", ('future_cues = ["到20",', 'future_cues = ["自即日起", "到20",'))
    assert rules.path("targets.toml") == overlay / "targets.toml"
    assert rules.path("units.toml") == rules.shipped_dir() / "units.toml"
    assert "自即日起" in rules.load("targets")["future_cues"]
    rules.check()


def test_a_missing_overlay_folder_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(rules.ENV_VAR, str(tmp_path / "typo"))
    with _fails("no such folder"):
        rules.check()


def test_an_overlay_file_that_replaces_nothing_is_an_error(overlay: Path) -> None:
    (overlay / "target.toml").write_text("past_cues = []\n")  # a typo of targets.toml
    with _fails(r"target\.toml replaces no rule file"):
        rules.check()


def test_an_unknown_key_names_the_file_and_the_key(overlay: Path) -> None:
    _copy(overlay, "targets.toml", ("past_cues =", "past_cue ="))
    with _fails(r"my-rules/targets\.toml: past_cues: missing.*; past_cue: unknown key"):
        rules.load("targets")


def test_an_unknown_key_in_a_table_is_named_with_its_table(overlay: Path) -> None:
    _copy(overlay, "indicator_tables.toml", ("[rows]\n", "[rows]\ntotals = [\"合计\"]\n"))
    with _fails(r"indicator_tables\.toml: rows\.totals: unknown key"):
        rules.check()


def test_a_wrong_type_is_an_error(overlay: Path) -> None:
    _copy(overlay, "indicator_tables.toml", ("prose_min_chars = 24", 'prose_min_chars = "24"'))
    with _fails(r"cells\.prose_min_chars: Input should be a valid integer \(got '24'\)"):
        rules.check()


def test_a_word_listed_twice_is_an_error(overlay: Path) -> None:
    _copy(overlay, "comparators.toml", ('firm = ["确保",', 'firm = ["确保", "确保",'))
    with _fails(r"comparators\.toml: ambition\.firm: duplicate entry '确保'"):
        rules.check()


def test_a_broken_regular_expression_is_an_error(overlay: Path) -> None:
    _copy(overlay, "noise.toml", ("inline = [\n", "inline = [\n  '[unclosed',\n"))
    with _fails(r"noise\.toml: inline: not a valid regular expression '\[unclosed'"):
        rules.check()


def test_a_value_outside_its_vocabulary_is_an_error(overlay: Path) -> None:
    _copy(overlay, "doc_types.toml", ('"纲要" = "规划"', '"纲要" = "计划书"'))
    with _fails(r"doc_types\.toml: cues\.纲要: Input should be '规划'"):
        rules.check()


def test_broken_toml_is_an_error(overlay: Path) -> None:
    (overlay / "units.toml").write_text("[magnitudes\n")
    with _fails(r"units\.toml: not valid TOML"):
        rules.check()


def test_a_missing_required_file_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = tmp_path / "installed"
    shutil.copytree(rules.shipped_dir(), broken, ignore=shutil.ignore_patterns("*.py", "__pycache__", "units.toml"))
    monkeypatch.setattr(rules, "shipped_dir", lambda: broken)
    with _fails(r"rule file units\.toml not found"):
        rules.check()


def test_header_keys_that_no_ingester_reads_are_an_error(overlay: Path) -> None:
    """doc_types.toml's header fields must be ones noise.toml makes the ingesters read."""
    _copy(overlay, "doc_types.toml", ('index_number = ["索引号"]', 'index_number = ["索引号", "信息索引"]'))
    with _fails(r"header\.index_number: '信息索引' is never read"):
        rules.check()
    _copy(overlay, "noise.toml", ('label_keys = ["名称",', 'label_keys = ["信息索引", "名称",'))
    rules.check()


def test_every_header_key_is_read_into_the_document_header() -> None:
    """The check above holds for the shipped files: a web copy's header field lands in doc.meta."""
    from planextract.ingest import ingest_bytes

    noise, doc_types = rules.load("noise"), rules.load("doc_types")
    for key in doc_types["header"]["issuer"] + doc_types["header"]["date"]:
        if key in noise["meta_keys"]:
            page = f"<html><body><p>{key}：示例值</p><div class=content><p>正文第一段。</p></div></body></html>"
            doc = ingest_bytes(page.encode(), "x.html", ".html")
            assert doc.meta.get(key) == "示例值", key


def test_a_gazetteer_row_is_checked(overlay: Path) -> None:
    path = _copy(overlay, "gazetteer.csv")
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*lines, "12345,某县,某,county,,,,"]) + "\n", encoding="utf-8")
    with _fails(rf"gazetteer\.csv: line {len(lines) + 1}: code: String should match pattern .*\(got '12345'\)"):
        rules.check()
    path.write_text("\n".join([*lines, lines[1]]) + "\n", encoding="utf-8")
    with _fails(rf"gazetteer\.csv: line {len(lines) + 1}: duplicate entry '{lines[1].split(',')[0]}'"):
        rules.check()
    path.write_text("code,name\n110000,北京市\n", encoding="utf-8")
    with _fails("the columns must be code,name,short_name"):
        rules.check()


def test_a_user_dictionary_line_is_checked(overlay: Path) -> None:
    path = _copy(overlay, "jieba_userdict.txt", append="专精特新 20 n\n")
    with _fails(r"jieba_userdict\.txt: line \d+: duplicate entry '专精特新'"):
        rules.check()
    path.write_text("甲乙 5 n x\n", encoding="utf-8")
    with _fails(r"line 1: extra: unknown key"):
        rules.check()


@given(
    st.text(alphabet="专精特新小升规上品字标", min_size=1, max_size=6),
    st.one_of(st.none(), st.integers(0, 10**6)),
    st.one_of(st.none(), st.sampled_from(["n", "v", "nz", "vn"])),
)
def test_user_dictionary_lines_are_read_as_jieba_reads_them(word: str, freq: int | None, tag: str | None) -> None:
    line = " ".join(p for p in (word, None if freq is None else str(freq), tag) if p is not None)
    row = rules._word_line(line)
    assert row == {k: v for k, v in {"word": word, "freq": freq, "tag": tag}.items() if v is not None}
    schema.UserWord.model_validate(row)


def test_every_rule_file_has_a_schema() -> None:
    """A new rule file needs a model in rules/schema.py before it can be read."""
    with _fails("no schema for this rule file"):
        rules.load("no_such_rules")
    assert set(schema.SCHEMAS).isdisjoint(schema.ROW_SCHEMAS)
