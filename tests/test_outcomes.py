"""Views across documents: target_flags, target_outcomes and target_cascade.

Two ways in: hand-built records written through the store (every case of the
definitions, checked against values computed by hand), and a small fixture
corpus of invented documents (tests/fixtures/outcomes: a county's and its
city's plans for 2025 and the county's report of 2025 results) built by the
real pipeline.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import duckdb
import pytest

from planextract import api
from planextract.load.store import DB_NAME, write_dataset
from planextract.load.tables import to_cache_batch
from planextract.models import Actual, DocumentMeta, FileResult, Target

FIXTURES = Path(__file__).parent / "fixtures" / "outcomes"
PROVINCE, CITY, COUNTY = "330000", "330500", "330523"


def _doc(doc_id: str, region_code: str, region: str, publish_date: str, year: int) -> DocumentMeta:
    return DocumentMeta(doc_id=doc_id, path=f"{doc_id}.txt", format="text", region=region, region_code=region_code,
                        publish_date=publish_date, plan_start=year, plan_end=year)


def _target(doc_id: str, n: int, code: str, value: float, *, kind: str = "growth_rate", unit: str = "%",
            base: float | None = None, lower: float | None = None, upper: float | None = None,
            comparator: str = "=", ambition: str | None = None, year: int = 2025, scope: str | None = None) -> Target:
    base = value if base is None else base
    return Target(doc_id=doc_id, block_id=f"{doc_id}:b1", char_start=n, char_end=n + 1, evidence=f"{code} {value}",
                  target_id=f"{doc_id}-t{n}", indicator=code, indicator_code=code, value=value, unit=unit,
                  base_value=base, base_unit="人" if unit == "万人" else unit, kind=kind, comparator=comparator,
                  ambition=ambition, year=year, lower=lower, upper=upper, scope=scope)


def _actual(doc_id: str, n: int, code: str, value: float, *, kind: str = "growth_rate", unit: str = "%",
            base: float | None = None, period: str = "year", months: str | None = None,
            scope: str | None = None) -> Actual:
    base = value if base is None else base
    return Actual(doc_id=doc_id, block_id=f"{doc_id}:b2", char_start=n, char_end=n + 1, evidence=f"{code} {value}",
                  actual_id=f"{doc_id}-a{n}", indicator=code, indicator_code=code, value=value, unit=unit,
                  base_value=base, base_unit="人" if unit == "万人" else unit, kind=kind, year=2025,
                  period=period, months=months, scope=scope)


def _hand_built() -> list[FileResult]:
    province = _doc("prov25", PROVINCE, "浙江省", "2025-01-20", 2025)
    city = _doc("city25", CITY, "湖州市", "2025-02-10", 2025)
    county = _doc("cnty25", COUNTY, "安吉县", "2025-02-20", 2025)
    county_mid = _doc("cnty25b", COUNTY, "安吉县", "2025-07-01", 2025)  # a later document of the same year
    report = _doc("cnty26", COUNTY, "安吉县", "2026-01-15", 2026)
    return [
        FileResult(path="prov25.txt", document=province, targets=[
            _target("prov25", 1, "gdp", 5.5, comparator="~"),
        ]),
        FileResult(path="city25.txt", document=city, targets=[
            _target("city25", 1, "gdp", 6, lower=6, comparator=">=", ambition="firm"),
            _target("city25", 2, "urban_surveyed_unemployment", 5.5, kind="ratio", upper=5.5, comparator="<="),
        ]),
        FileResult(path="cnty25.txt", document=county, targets=[
            _target("cnty25", 1, "gdp", 7, lower=7, comparator=">=", ambition="aspirational"),
            _target("cnty25", 2, "urban_surveyed_unemployment", 5, kind="ratio", upper=5, comparator="<="),
            _target("cnty25", 3, "urban_new_jobs", 1.2, kind="increase", unit="万人", base=12000, lower=12000,
                    upper=12000),
            _target("cnty25", 4, "energy_intensity", 3, kind="reduction", lower=3, upper=3),
            _target("cnty25", 5, "cpi", 3, kind="ratio", comparator="~"),
        ]),
        FileResult(path="cnty25b.txt", document=county_mid, targets=[
            _target("cnty25b", 1, "gdp", 6.5, lower=6.5, comparator=">="),
        ]),
        FileResult(path="cnty26.txt", document=report, targets=[
            _target("cnty26", 1, "urban_surveyed_unemployment", 5, kind="ratio", upper=5, comparator="<=", year=2026),
        ], actuals=[
            _actual("cnty26", 1, "gdp", 6.8),
            _actual("cnty26", 2, "urban_surveyed_unemployment", 4.6, kind="ratio"),
            _actual("cnty26", 3, "urban_new_jobs", 1.35, kind="increase", unit="万人", base=13500),
            _actual("cnty26", 4, "energy_intensity", 3.2, kind="reduction"),
            _actual("cnty26", 5, "cpi", 0.4),  # 上涨0.4%: growth_rate against a ratio target, one measure
            _actual("cnty26", 6, "gdp", 7.1, period="months", months="1-6"),
            _actual("cnty26", 7, "gdp", 9.0, scope="开发区"),  # a sub-area: never the county's outcome
        ]),
    ]


@pytest.fixture(scope="module")
def hand_db(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    out = tmp_path_factory.mktemp("hand")
    write_dataset(out, [to_cache_batch(r) for r in _hand_built()])
    con = duckdb.connect(str(out / DB_NAME), read_only=True)
    yield con
    con.close()


def _rows(con: duckdb.DuckDBPyConnection, sql: str, *params: Any) -> list[dict[str, Any]]:
    cur = con.execute(sql, list(params))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def _outcome(con: duckdb.DuckDBPyConnection, target_id: str) -> list[dict[str, Any]]:
    return _rows(con, "SELECT * FROM target_outcomes WHERE target_id = ? ORDER BY actual_id", target_id)


def test_met_gap_and_reached_by_hand(hand_db: duckdb.DuckDBPyConnection) -> None:
    # GDP >= 7 (力争), actual 6.8: below the bound.
    year_rows = [r for r in _outcome(hand_db, "cnty25-t1") if r["actual_period"] == "year"]
    (gdp,) = year_rows
    assert (gdp["met"], gdp["reached"], gdp["gap"]) == (False, False, pytest.approx(-0.2))
    assert gdp["target_doc_id"] == "cnty25" and gdp["actual_doc_id"] == "cnty26"
    assert gdp["target_evidence"] == "gdp 7" and gdp["actual_evidence"] == "gdp 6.8"
    # Revised to >= 6.5 later that year: 6.8 meets it.
    (gdp_b, _months) = _outcome(hand_db, "cnty25b-t1")
    assert (gdp_b["met"], gdp_b["reached"], gdp_b["gap"]) == (True, True, pytest.approx(0.3))
    # Unemployment <= 5%, actual 4.6%.
    (u,) = _outcome(hand_db, "cnty25-t2")
    assert (u["met"], u["reached"], u["gap"]) == (True, True, pytest.approx(-0.4))
    # New jobs 1.2万 (= : bounds 12000..12000), 1.35万 reported: outside the bounds, on the better side.
    (jobs,) = _outcome(hand_db, "cnty25-t3")
    assert (jobs["met"], jobs["reached"], jobs["gap"]) == (False, True, pytest.approx(1500))
    # Energy intensity to fall 3% (= bounds), fell 3.2%: a larger fall is better.
    (energy,) = _outcome(hand_db, "cnty25-t4")
    assert (energy["met"], energy["reached"], energy["gap"]) == (False, True, pytest.approx(0.2))
    # CPI 3% 左右 (no bounds): met unknown; 0.4% is under the ceiling.
    (cpi,) = _outcome(hand_db, "cnty25-t5")
    assert (cpi["met"], cpi["reached"], cpi["gap"]) == (None, True, pytest.approx(-2.6))


def test_partial_year_and_sub_area_actuals(hand_db: duckdb.DuckDBPyConnection) -> None:
    rows = _outcome(hand_db, "cnty25-t1")
    assert [r["actual_id"] for r in rows] == ["cnty26-a1", "cnty26-a6"]  # not the 开发区 figure (a7)
    months = rows[1]
    assert (months["actual_period"], months["actual_months"]) == ("months", "1-6")
    assert (months["met"], months["reached"], months["gap"]) == (None, None, None)


def test_only_same_region_code_and_year_join(hand_db: duckdb.DuckDBPyConnection) -> None:
    assert _outcome(hand_db, "city25-t1") == []  # the city reported nothing
    assert _outcome(hand_db, "cnty26-t1") == []  # 2026: no actual yet
    (n,) = hand_db.execute("SELECT count(*) FROM target_outcomes").fetchone()
    assert n == 8  # the two GDP targets with the year and the months figure each, and four more county targets


def test_cascade_markups_by_hand(hand_db: duckdb.DuckDBPyConnection) -> None:
    rows = _rows(hand_db, "SELECT target_id, above_target_id, above_level, nearest, above_value, markup "
                          "FROM target_cascade ORDER BY target_id, above_target_id")
    got = {(r["target_id"], r["above_target_id"]): r for r in rows}
    assert set(got) == {
        ("city25-t1", "prov25-t1"), ("cnty25-t1", "city25-t1"), ("cnty25-t1", "prov25-t1"),
        ("cnty25-t2", "city25-t2"), ("cnty25b-t1", "city25-t1"), ("cnty25b-t1", "prov25-t1"),
    }
    county_city = got[("cnty25-t1", "city25-t1")]
    assert (county_city["above_level"], county_city["nearest"], county_city["above_value"]) == ("prefecture", True, 6)
    assert county_city["markup"] == pytest.approx(1.0)
    county_prov = got[("cnty25-t1", "prov25-t1")]
    assert (county_prov["above_level"], county_prov["nearest"]) == ("province", False)
    assert county_prov["markup"] == pytest.approx(1.5)
    assert got[("city25-t1", "prov25-t1")]["markup"] == pytest.approx(0.5)
    assert got[("city25-t1", "prov25-t1")]["nearest"] is True
    assert got[("cnty25-t2", "city25-t2")]["markup"] == pytest.approx(-0.5)  # a lower unemployment ceiling


def test_flags_by_hand(hand_db: duckdb.DuckDBPyConnection) -> None:
    flags = {r["target_id"]: r for r in _rows(hand_db, "SELECT * FROM target_flags")}
    assert flags["prov25-t1"]["hard_soft"] == "soft"  # 左右
    assert flags["city25-t1"]["hard_soft"] == "hard"  # 确保…以上
    assert flags["cnty25-t1"]["hard_soft"] == "soft"  # 力争…以上: the ambition word decides
    assert flags["cnty25-t2"]["hard_soft"] == "hard"  # 控制在…以内
    assert flags["cnty25-t3"]["hard_soft"] is None  # a bare number
    # 5% set in the 2025 and the 2026 document: repeated, both ways; the city's 5.5% is another region.
    assert flags["cnty25-t2"]["repeated"] and flags["cnty26-t1"]["repeated"]
    assert not flags["city25-t2"]["repeated"]
    # The county's 2025 GDP target, restated as 6.5% in July: the February one is revised, the July one not.
    assert flags["cnty25-t1"]["revised"] and not flags["cnty25b-t1"]["revised"]
    assert not flags["cnty25-t2"]["revised"]
    assert flags["cnty26-t1"]["doc_year"] == 2026 and flags["cnty25-t1"]["period"] == "year"


# --------------------------------------------------------------------------
# the fixture corpus, built by the pipeline
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fixture_db(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    root = tmp_path_factory.mktemp("fixture")
    shutil.copytree(FIXTURES, root / "in")
    api.build(root / "in", root / "out", workers=1)
    con = duckdb.connect(str(root / "out" / DB_NAME), read_only=True)
    yield con
    con.close()


def test_fixture_documents_are_placed_in_the_hierarchy(fixture_db: duckdb.DuckDBPyConnection) -> None:
    docs = dict(fixture_db.execute("SELECT path, region_code FROM documents").fetchall())
    assert docs == {"湖州市2025年经济社会发展工作要点.txt": CITY, "安吉县2025年经济社会发展工作要点.txt": COUNTY,
                    "安吉县2026年政府工作报告.txt": COUNTY}


def test_fixture_targets_carry_codes(fixture_db: duckdb.DuckDBPyConnection) -> None:
    county = dict(fixture_db.execute(
        "SELECT indicator_code, value FROM target_flags WHERE region_code = ? AND year = 2025", [COUNTY]).fetchall())
    assert county == {"gdp": 7, "industrial_va_above_scale": 9, "fiscal_revenue": 6, "urban_new_jobs": 1.2,
                      "urban_surveyed_unemployment": 5, "energy_intensity": 3, "high_tech_enterprises": 40}


def test_fixture_cascade_markups_by_hand(fixture_db: duckdb.DuckDBPyConnection) -> None:
    got = {code: (above, markup) for code, above, markup in fixture_db.execute(
        "SELECT indicator_code, above_value, markup FROM target_cascade WHERE region_code = ? AND kind <> 'increase'",
        [COUNTY]).fetchall()}
    assert got == {
        "gdp": (5.5, pytest.approx(1.5)),  # 7%以上 against the city's 5.5%左右
        "industrial_va_above_scale": (7, pytest.approx(2.0)),
        "fiscal_revenue": (5, pytest.approx(1.0)),
        "urban_surveyed_unemployment": (5, pytest.approx(0.0)),
        "energy_intensity": (2.5, pytest.approx(0.5)),
    }
    (jobs,) = fixture_db.execute(
        "SELECT markup FROM target_cascade WHERE region_code = ? AND indicator_code = 'urban_new_jobs'",
        [COUNTY]).fetchone()
    assert jobs == pytest.approx(12_000 - 60_000)


def test_fixture_flags(fixture_db: duckdb.DuckDBPyConnection) -> None:
    rows = fixture_db.execute(
        "SELECT year, hard_soft, repeated, revised FROM target_flags "
        "WHERE region_code = ? AND indicator_code = 'urban_surveyed_unemployment' ORDER BY year", [COUNTY]).fetchall()
    assert rows == [(2025, "hard", True, False), (2026, "hard", True, False)]
    (gdp_2026,) = fixture_db.execute(
        "SELECT hard_soft FROM target_flags WHERE region_code = ? AND indicator_code = 'gdp' AND year = 2026",
        [COUNTY]).fetchone()
    assert gdp_2026 == "soft"


def test_fixture_outcomes_by_hand(fixture_db: duckdb.DuckDBPyConnection) -> None:
    got = {code: (met, reached, gap) for code, met, reached, gap in fixture_db.execute(
        "SELECT indicator_code, met, reached, gap FROM target_outcomes WHERE region_code = ? AND year = 2025",
        [COUNTY]).fetchall()}
    assert got == {
        "gdp": (False, False, pytest.approx(-0.2)),  # 7%以上, 6.8% reached
        "industrial_va_above_scale": (False, True, pytest.approx(0.4)),  # 确保 9% (bounds 9..9), 9.4%
        "fiscal_revenue": (False, True, pytest.approx(0.3)),  # 6%, 6.3%
        "urban_new_jobs": (False, True, pytest.approx(1500)),  # 1.2万, 1.35万
        "urban_surveyed_unemployment": (True, True, pytest.approx(-0.4)),  # 5%以内, 4.6%
        "energy_intensity": (False, True, pytest.approx(0.2)),  # fall 3%, fell 3.2%
        "high_tech_enterprises": (False, True, pytest.approx(12)),  # 40, 52
    }
