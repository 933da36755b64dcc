"""The gazetteer: GB/T 2260 divisions looked up by full or short name."""

from __future__ import annotations

import csv

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planextract import gazetteer


def test_county_by_full_and_short_name() -> None:
    for name in ("桐庐县", "桐庐"):
        p = gazetteer.lookup(name)
        assert p is not None
        assert (p.name, p.code, p.city, p.province, p.level) == ("桐庐县", "330122", "杭州市", "浙江省", "county")


def test_county_level_city_sits_under_its_prefecture() -> None:
    p = gazetteer.lookup("建德市")
    assert p is not None
    assert (p.code, p.city, p.province, p.level) == ("330182", "杭州市", "浙江省", "county")


def test_county_in_hunan() -> None:
    p = gazetteer.lookup("桃江县")
    assert p is not None
    assert (p.code, p.city, p.province) == ("430922", "益阳市", "湖南省")


def test_prefecture_city_has_no_city_above_it() -> None:
    p = gazetteer.lookup("杭州市")
    assert p is not None
    assert (p.code, p.level, p.city, p.province) == ("330100", "prefecture", None, "浙江省")


def test_province_and_municipality() -> None:
    zj = gazetteer.lookup("浙江")
    assert zj is not None and (zj.name, zj.code, zj.province) == ("浙江省", "330000", None)
    bj = gazetteer.lookup("北京市")
    assert bj is not None and bj.code == "110000"  # not a 110100 duplicate one level down


def test_short_names_strip_ethnic_autonomy() -> None:
    assert gazetteer.lookup("广西").name == "广西壮族自治区"  # type: ignore[union-attr]
    assert gazetteer.lookup("黔东南").name == "黔东南苗族侗族自治州"  # type: ignore[union-attr]


def test_ambiguous_county_name_resolved_by_context() -> None:
    # 朝阳区 exists in 北京市 and in 长春市 (吉林省).
    assert {p.code for p in gazetteer.candidates("朝阳区")} >= {"110105", "220104"}
    assert gazetteer.lookup("朝阳区", context="吉林省长春市").code == "220104"  # type: ignore[union-attr]
    assert gazetteer.lookup("朝阳区", context=["北京"]).code == "110105"  # type: ignore[union-attr]


def test_unknown_name() -> None:
    assert gazetteer.lookup("不存在县") is None
    assert gazetteer.candidates("") == []


def test_scan_prefers_the_longest_name() -> None:
    found = gazetteer.scan("浙江省杭州市桐庐县和建德")
    assert [(m.surface, m.short) for m in found] == [("浙江省", False), ("杭州市", False), ("桐庐县", False), ("建德", True)]
    assert found[2].places[0].code == "330122"


def test_csv_is_consistent() -> None:
    rows = list(csv.DictReader(gazetteer.data_path().open(encoding="utf-8")))
    codes = {r["code"] for r in rows}
    assert len(codes) == len(rows) > 3000
    for r in rows:
        assert len(r["code"]) == 6 and r["code"].isdigit()
        assert r["level"] in gazetteer.LEVELS
        if r["level"] != "province":
            assert r["province_code"] in codes and r["province_code"] == r["code"][:2] + "0000"
        if r["city_code"]:
            assert r["city_code"] in codes and r["level"] == "county"


@given(st.sampled_from(gazetteer.places()))
def test_every_division_is_found_by_its_own_name(p: gazetteer.Place) -> None:
    assert p in gazetteer.candidates(p.name)
    # with its province and prefecture as context, the lookup finds exactly it
    assert gazetteer.lookup(p.name, context=f"{p.province or ''}{p.city or ''}") == p


@pytest.mark.parametrize("text", ["", "没有地名的一句话。", "全县全市"])
def test_scan_without_places(text: str) -> None:
    assert gazetteer.scan(text) == []


def _names() -> dict[str, bool]:
    """Every name scan() looks for (two characters or more) -> whether it is only a short name."""
    full, short, _ = gazetteer._index()
    names = {k: True for k in short if len(k) >= 2}
    names.update({k: False for k in full if len(k) >= 2})
    return names


def _scan_by_hand(text: str) -> list[tuple[int, int, str, bool]]:
    """Left to right, at each position the longest name starting there, no overlaps."""
    names = _names()
    longest = max(map(len, names))
    out, i = [], 0
    while i < len(text):
        for size in range(min(longest, len(text) - i), 1, -1):
            if text[i : i + size] in names:
                out.append((i, i + size, text[i : i + size], names[text[i : i + size]]))
                i += size
                break
        else:
            i += 1
    return out


_SOME_NAMES = sorted(_names())[::40]  # a spread of full and short names, some overlapping others


@given(st.lists(st.one_of(st.sampled_from(_SOME_NAMES), st.text(alphabet="县市区省的和在一", max_size=3)), max_size=8))
def test_scan_matches_a_longest_first_scan_by_hand(parts: list[str]) -> None:
    text = "".join(parts)
    assert [(m.start, m.end, m.surface, m.short) for m in gazetteer.scan(text)] == _scan_by_hand(text)
