"""Code consistency on real work reports (../shared/corpus-extra/gwr-2026, 25 provincial reports of 2026).

Each report sets its plan year's targets for economic growth, CPI, urban new
jobs and the surveyed unemployment rate. Whatever wording a report uses
(地区生产总值增长 / 生产总值增长 / 经济增长, 居民消费价格涨幅 / 居民消费价格
指数上涨 …), the target must carry the one code the other reports' carry. A
report's target for an indicator is recognised here by its own words (the
evidence and the indicator name what is measured), independently of the
catalogue. The share counts the reports whose targets for it all carry the
expected code, over the reports where the extractor found one.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from planextract import api
from planextract.load.store import DB_NAME

REPORTS = Path(__file__).resolve().parents[2] / "shared" / "corpus-extra" / "gwr-2026"

# code -> (evidence words, indicator words) of the genre's plan-year sentences.
STANDARD = {
    "gdp": (r"(?:生产总值|经济|GDP)(?:年均)?(?:增长|增速)", r"生产总值|经济|GDP"),
    "cpi": (r"居民消费价格|CPI", r"消费价格|CPI"),
    "urban_new_jobs": (r"城镇新增就业|新增城镇就业", r"就业"),
    "urban_surveyed_unemployment": (r"调查失业率", r"失业率"),
}
NOT_THE_INDICATOR = re.compile(r"人均|单位|占|比重|比例")  # 人均地区生产总值, 单位地区生产总值能耗 ...


@pytest.fixture(scope="module")
def reports_db(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    assert REPORTS.is_dir() and len(list(REPORTS.glob("*.txt"))) == 25, f"{REPORTS} is missing (../shared)"
    out = tmp_path_factory.mktemp("gwr")
    api.build(REPORTS, out, workers=1)
    con = duckdb.connect(str(out / DB_NAME), read_only=True)
    yield con
    con.close()


def _codes_per_report(con: duckdb.DuckDBPyConnection, code: str) -> dict[str, set[str | None]]:
    evidence_words, indicator_words = STANDARD[code]
    rows = con.execute(
        "SELECT d.path, t.evidence, t.indicator, t.indicator_code FROM targets AS t "
        "JOIN documents AS d ON d.doc_id = t.doc_id WHERE t.year = d.plan_start"
    ).fetchall()
    per: dict[str, set[str | None]] = {}
    for path, evidence, indicator, found in rows:
        if re.search(evidence_words, evidence) and re.search(indicator_words, indicator) \
                and not NOT_THE_INDICATOR.search(indicator):
            per.setdefault(path, set()).add(found)
    return per


@pytest.mark.parametrize("code", list(STANDARD))
def test_standard_targets_share_one_code(reports_db: duckdb.DuckDBPyConnection, code: str) -> None:
    per = _codes_per_report(reports_db, code)
    carrying = [p for p, codes in per.items() if codes == {code}]
    share = len(carrying) / len(per)
    assert share >= 0.95, (code, share, {p: c for p, c in per.items() if c != {code}})


def test_the_standard_targets_are_found_in_most_reports(reports_db: duckdb.DuckDBPyConnection) -> None:
    # GDP growth, new jobs and unemployment are in every report but the few that set no number for them
    # (measured: 25, 24, 23 of 25); CPI has a number in 20 of them.
    found = {code: len(_codes_per_report(reports_db, code)) for code in STANDARD}
    assert found["gdp"] == 25
    assert found["urban_new_jobs"] >= 24 and found["urban_surveyed_unemployment"] >= 23 and found["cpi"] >= 20
