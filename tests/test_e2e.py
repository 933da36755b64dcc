"""End to end: build the shared corpus and the sample documents, query DuckDB, score the gold."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from planextract import api, evaluate

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def corpus_report(corpus_dir: Path, gold_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("eval")
    return evaluate.run(corpus=corpus_dir, gold_dir=gold_dir, out_dir=out)


def _acc(fields: dict) -> dict[str, float]:
    return {k: v["accuracy"] for k, v in fields.items()}


def test_targets_meet_the_bar(corpus_report: dict) -> None:
    t = corpus_report["targets"]
    assert t["f1"] >= 0.95, t
    fields = _acc(t["fields"])
    for name in ("value", "unit", "year", "comparator"):
        assert fields[name] >= 0.95, (name, fields[name])
    for name in ("indicator", "kind", "agencies"):
        assert fields[name] >= 0.85, (name, fields[name])
    assert corpus_report["not_target_hits"] == 0


def test_projects_tasks_documents_meet_the_bar(corpus_report: dict) -> None:
    assert corpus_report["projects"]["hits"] == 25
    assert all(v >= 0.98 for v in _acc(corpus_report["projects"]["fields"]).values())
    tasks = corpus_report["tasks"]
    assert tasks["f1"] >= 0.95
    assert _acc(tasks["fields"])["lead"] >= 0.95 and _acc(tasks["fields"])["support"] >= 0.95
    assert all(v >= 0.9 for v in _acc(corpus_report["document_fields"]).values())


def test_sample_documents_build_and_query(tmp_path: Path) -> None:
    raw = REPO / "data" / "raw"
    summary = api.build(raw, tmp_path / "out")
    files = sorted(p for p in raw.iterdir() if p.is_file() and not p.name.startswith("."))
    assert summary.documents == len(files) and summary.errors == 0
    con = duckdb.connect(str(tmp_path / "out" / "planextract.duckdb"), read_only=True)
    formats = {r[0] for r in con.execute("select format from documents").fetchall()}
    assert {"docx", "pdf", "html"} <= formats and formats & {"text", "tika"}
    # Every format yields targets, and every target can be traced to its evidence.
    per_doc = dict(con.execute(
        "select d.format, count(t.target_id) from documents d left join targets t using (doc_id) group by 1"
    ).fetchall())
    assert all(n > 0 for n in per_doc.values()), per_doc
    rows = con.execute(
        "select t.evidence, b.text, t.char_start - b.char_start, t.char_end - b.char_start from targets t join blocks b on b.block_id = t.block_id where t.source = 'text'"
    ).fetchall()
    assert rows and all(text[s:e] == ev for ev, text, s, e in rows)
    assert con.execute("select count(*) from projects").fetchone()[0] > 0
    assert con.execute("select count(*) from tasks").fetchone()[0] > 0
    pages = con.execute(
        "select count(*) from targets t join documents d using (doc_id) where d.format = 'pdf' and t.page is null"
    ).fetchone()[0]
    assert pages == 0
