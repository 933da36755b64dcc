"""The gold scorer: pairing, likeness, field agreement, and the end-to-end report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from _shared import CORPUS, GOLD, need
from planextract import evaluate as ev



def tgt(indicator: str, value: float, unit: str = "亿元", base: float | None = None, base_unit: str = "元", **kw: Any) -> dict[str, Any]:
    row = {
        "indicator": indicator, "scope": None, "value": value, "value_high": None, "unit": unit,
        "base_value": value * 1e8 if base is None else base, "base_unit": base_unit, "comparator": "=",
        "ambition": None, "kind": "level", "year": 2025, "year_start": None, "baseline_value": None,
        "baseline_year": None, "agencies": [], "source": "text", "evidence": f"{indicator}{value}{unit}",
    }
    row.update(kw)
    return row


# -- primitives ---------------------------------------------------------------


def test_dice_of_character_bigrams() -> None:
    assert ev.dice("规上工业增加值", "规上工业增加值") == 1.0
    assert ev.dice("规上工业增加值", "研发经费") == 0.0
    # 规上工业增加值 (6 bigrams) vs 规上工业总产值 (6): shared 规上 上工 工业 -> 2*3/12
    assert ev.dice("规上工业增加值", "规上工业总产值") == pytest.approx(0.5)
    assert ev.dice("规上 工业", "规上工业") == 1.0  # white space ignored
    assert ev.dice("", "") == 1.0 and ev.dice("A", "") == 0.0


@given(st.text(max_size=12), st.text(max_size=12))
def test_dice_is_symmetric_and_bounded(a: str, b: str) -> None:
    d = ev.dice(a, b)
    assert 0.0 <= d <= 1.0
    assert d == ev.dice(b, a)


def test_agree_rules() -> None:
    assert ev.agree(None, None)
    assert not ev.agree(None, 0) and not ev.agree("", None)
    assert ev.agree(500, 500.0000001)  # 1e-6 relative
    assert not ev.agree(500, 500.01)
    assert ev.agree("县 经信局", "县经信局")
    assert ev.agree(["县经信局", "县发改局"], ["县经信局", "县发改局"])
    assert not ev.agree(["县经信局", "县发改局"], ["县发改局", "县经信局"])  # order counts
    assert ev.agree([], None, as_list=True)
    assert ev.agree(True, True) and not ev.agree(True, 1)
    assert ev.agree("1", 1)  # a printed number against a parsed one


# -- pairing ------------------------------------------------------------------


def test_targets_pair_only_on_equal_quantity() -> None:
    gold = [tgt("规上工业总产值", 800)]
    assert ev.pair_targets(gold, [tgt("规上工业总产值", 800)]) == [(0, 0)]
    assert ev.pair_targets(gold, [tgt("规上工业总产值", 801)]) == []
    assert ev.pair_targets(gold, [tgt("规上工业总产值", 800, base_unit="吨")]) == []
    assert ev.pair_targets(gold, [tgt("研发投入强度", 800)]) == []  # Dice < 0.5


def test_targets_pair_one_to_one_best_first() -> None:
    gold = [tgt("规上工业增加值", 100), tgt("规上工业总产值", 100)]
    pred = [tgt("规上工业总产值", 100), tgt("规上工业增加值", 100)]
    assert sorted(ev.pair_targets(gold, pred)) == [(0, 1), (1, 0)]


def test_target_ties_broken_by_year_then_source() -> None:
    gold = [tgt("工业投资", 10, year=2023), tgt("工业投资", 10, year=2025, source="table")]
    pred = [tgt("工业投资", 10, year=2025, source="table"), tgt("工业投资", 10, year=2023)]
    assert sorted(ev.pair_targets(gold, pred)) == [(0, 1), (1, 0)]
    gold = [tgt("工业投资", 10, source="text"), tgt("工业投资", 10, source="table")]
    pred = [tgt("工业投资", 10, source="table"), tgt("工业投资", 10, source="text")]
    assert sorted(ev.pair_targets(gold, pred)) == [(0, 1), (1, 0)]


def test_scope_counts_in_the_likeness() -> None:
    gold = [tgt("规上工业总产值", 100, scope="开发区")]
    pred = [tgt("规上工业总产值", 100, scope=None), tgt("规上工业总产值", 100, scope="开发区")]
    assert ev.pair_targets(gold, pred) == [(0, 1)]


def test_tasks_and_projects_pairing() -> None:
    gold = [{"title": "全面落实产业链“链长+链主”制"}, {"title": "加快数字化改造"}]
    pred = [{"title": "加快推进数字化改造"}, {"title": "招商引资"}, {"title": "全面落实产业链链长制"}]
    assert sorted(ev.pair_tasks(gold, pred)) == [(0, 2), (1, 0)]
    projects_g = [{"seq": 1}, {"seq": 2}, {"seq": 3}]
    projects_p = [{"seq": 3}, {"seq": 1.0}, {"seq": None}]
    assert sorted(ev.pair_projects(projects_g, projects_p)) == [(0, 1), (2, 0)]


def test_not_target_hits() -> None:
    pred = [
        tgt("低效用地", 8, unit="万元", evidence="到2025年亩均低于8万元的低效用地基本出清"),
        tgt("重大项目", 3, unit="个", evidence="总投资10亿元以上(或1亿美元以上)制造业重大项目(个)\t3"),
        tgt("工业总产值", 1000, evidence="工业总产值突破1000亿元"),
    ]
    hits = ev.not_target_hits(pred, ["亩均低于8万元的低效用地", "总投资10亿元以上(或1亿美元以上)"])
    assert [h["indicator"] for h in hits] == ["低效用地"]


# -- scoring ------------------------------------------------------------------


def gold_file(name: str = "a.txt") -> dict[str, Any]:
    return {
        "file": name,
        "document": {"title": "某县工作要点", "region": "桐庐县", "issuer": None, "plan_end": 2024},
        "targets": [tgt("规上工业增加值", 100), tgt("研发经费支出", 5, year=2024), tgt("工业投资", 20)],
        "projects": [{"seq": 1, "key": True, "name": "甲项目", "content": "建设 厂房", "total_investment": 1000}],
        "tasks": [{"number": "1", "title": "推进数字化改造", "section": "(一)", "lead": ["县经信局"], "support": []}],
        "not_targets": ["2021年9月"],
    }


def test_score_counts_misses_extras_and_fields() -> None:
    pred = {
        "documents": [{"doc_id": "d1", "path": "sub/a.txt", "title": "某县工作要点", "region": "桐庐县", "issuer": "县经信局", "plan_end": 2024}],
        "targets": [
            {**tgt("规上工业增加值", 100), "doc_id": "d1"},
            {**tgt("研发经费支出", 5, year=2025), "doc_id": "d1"},  # hit, wrong year
            {**tgt("亩均税收", 30, unit="万元", base=3e5), "doc_id": "d1"},  # extra
        ],
        "tasks": [{"doc_id": "d1", "number": "1", "title": "推进数字化改造", "section": "(一)", "lead": ["县经信局"], "support": None}],
        # no projects table at all
    }
    r = ev.score([gold_file()], pred)
    assert (r["targets"]["gold"], r["targets"]["predicted"], r["targets"]["hits"]) == (3, 3, 2)
    assert r["targets"]["precision"] == pytest.approx(2 / 3, abs=1e-4)
    assert r["targets"]["f1"] == pytest.approx(2 / 3, abs=1e-4)
    assert r["targets"]["fields"]["year"] == {"agree": 1, "total": 2, "accuracy": 0.5}
    assert r["targets"]["fields"]["indicator"]["accuracy"] == 1.0
    assert r["tasks"]["f1"] == 1.0 and r["tasks"]["fields"]["support"]["accuracy"] == 1.0
    assert (r["projects"]["gold"], r["projects"]["predicted"], r["projects"]["hits"]) == (1, 0, 0)
    assert r["document_fields"]["issuer"]["accuracy"] == 0.0
    assert r["document_fields"]["title"]["accuracy"] == 1.0
    doc = r["per_document"][0]
    assert [m["indicator"] for m in doc["targets"]["misses"]] == ["工业投资"]
    assert [m["indicator"] for m in doc["targets"]["extras"]] == ["亩均税收"]
    assert doc["targets"]["disagreements"] == [
        {"field": "year", "gold": 2024, "predicted": 2025, "item": "研发经费支出", "evidence": "研发经费支出5亿元"}
    ]
    assert doc["document"]["disagreements"] == [{"field": "issuer", "gold": None, "predicted": "县经信局"}]
    text = ev.format_report(r)
    assert "targets" in text.splitlines()[2] and "亩均税收" in text and "工业投资" in text


def test_document_missing_from_the_build() -> None:
    r = ev.score([gold_file()], {})
    assert r["found"] == 0 and r["targets"]["recall"] == 0.0
    assert r["document_fields"]["region"]["accuracy"] == 0.0
    assert r["document_fields"]["issuer"]["accuracy"] == 1.0  # null equals null
    assert "NOT IN BUILD" in ev.format_report(r)


def test_prf_of_empty_sets() -> None:
    assert ev.prf(0, 0, 0) == (1.0, 1.0, 1.0)
    assert ev.prf(0, 0, 5) == (0.0, 0.0, 0.0)
    assert ev.prf(0, 3, 0) == (0.0, 0.0, 0.0)  # predictions where the gold has none


# -- the gold scored against itself through DuckDB ----------------------------


def write_gold_db(gold_docs: list[dict[str, Any]], db: Path) -> None:
    """A database with the pipeline's table layout holding exactly the gold rows."""
    tables: dict[str, list[dict[str, Any]]] = {"documents": [], "targets": [], "projects": [], "tasks": []}
    for i, g in enumerate(gold_docs):
        doc_id = f"doc{i}"
        tables["documents"].append({"doc_id": doc_id, "path": f"corpus/{g['file']}", **g["document"]})
        for name in ("targets", "projects", "tasks"):
            tables[name] += [{"doc_id": doc_id, **row} for row in g.get(name) or []]
    con = duckdb.connect(str(db))
    for name, rows in tables.items():
        if not rows:
            continue
        for key in {k for r in rows for k in r}:  # JSON mixes ints and floats in one column
            if any(isinstance(r.get(key), float) for r in rows):
                for r in rows:
                    if isinstance(r.get(key), int) and not isinstance(r.get(key), bool):
                        r[key] = float(r[key])
        keys = list(dict.fromkeys(k for r in rows for k in r))
        con.register("_t", pa.Table.from_pylist([{k: r.get(k) for k in keys} for r in rows]))
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM _t")
        con.unregister("_t")
    con.close()


def assert_perfect(report: dict[str, Any]) -> None:
    for name in ("targets", "tasks", "projects"):
        assert report[name]["f1"] == 1.0, name
        for field, d in report[name]["fields"].items():
            assert d["accuracy"] in (1.0, None), (name, field)
    for field, d in report["document_fields"].items():
        assert d["accuracy"] in (1.0, None), field
    assert report["found"] == report["documents"]


def test_synthetic_gold_scores_perfect_against_itself(tmp_path: Path) -> None:
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    (gold_dir / "a.gold.json").write_text(json.dumps(gold_file(), ensure_ascii=False), encoding="utf-8")
    write_gold_db([gold_file()], tmp_path / "x.duckdb")
    report = ev.run(corpus=tmp_path, gold_dir=gold_dir, out_dir=tmp_path / "out", db_path=tmp_path / "x.duckdb")
    assert_perfect(report)
    assert report["targets"]["hits"] == 3


def test_shared_gold_scores_perfect_against_itself(tmp_path: Path) -> None:
    gold = ev.load_gold(need(GOLD))
    write_gold_db(gold, tmp_path / "gold.duckdb")
    report = ev.run(corpus=CORPUS, gold_dir=GOLD, out_dir=tmp_path, db_path=tmp_path / "gold.duckdb")
    assert_perfect(report)
    assert report["targets"]["hits"] == sum(len(g["targets"]) for g in gold)
    out = tmp_path / "report.json"
    ev.write_json(report, out)
    assert json.loads(out.read_text(encoding="utf-8"))["targets"]["f1"] == 1.0


def test_missing_tables_read_as_empty(tmp_path: Path) -> None:
    db = tmp_path / "partial.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE documents AS SELECT 'd1' AS doc_id, 'a.txt' AS path")
    con.close()
    tables = ev.read_tables(db)
    assert tables["documents"] == [{"doc_id": "d1", "path": "a.txt"}]
    assert tables["targets"] == tables["projects"] == tables["tasks"] == []
    report = ev.score([gold_file()], tables)
    assert report["found"] == 1 and report["targets"]["hits"] == 0
    assert report["document_fields"]["title"]["accuracy"] == 0.0  # the column is missing: null
