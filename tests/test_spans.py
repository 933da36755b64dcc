"""A record's span is its evidence: clean_text[char_start:char_end] == evidence, for every record.

Checked end to end on builds of the shared corpora and of the samples,
through what a user has: the document_text view of the built database.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import duckdb
import pytest

from _shared import CORPUS, CORPUS_DEV, RAW, need
from planextract import api

pytestmark = pytest.mark.slow

CORPORA = {"corpus": CORPUS, "corpus-dev": CORPUS_DEV, "samples": RAW}
RECORDS = {"targets": "target_id", "actuals": "actual_id", "projects": "project_id", "tasks": "task_id"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("spans")
    dbs = {}
    for name, folder in CORPORA.items():
        summary = api.build(need(folder), base / name)
        dbs[name] = Path(summary.db_path)
    return dbs


def _records(db: Path, table: str) -> list[tuple[str, str, str, int, int, str, str]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            f"SELECT r.{RECORDS[table]}, coalesce(r.rule, r.source), r.evidence, r.char_start, r.char_end, t.clean_text, t.path "
            f"FROM {table} AS r JOIN document_text AS t USING (doc_id)"
        ).fetchall()
    finally:
        con.close()


@pytest.mark.parametrize("table", RECORDS)
@pytest.mark.parametrize("corpus", CORPORA)
def test_every_span_is_its_evidence(built: dict[str, Path], corpus: str, table: str) -> None:
    rows = _records(built[corpus], table)
    wrong = [r for r in rows if r[5][r[3] : r[4]] != r[2]]
    by_rule = Counter(rule for _, rule, *_ in wrong)
    examples = [f"{path} {rid} [{rule}]: span {text[s:e]!r} != evidence {ev!r}"
                for rid, rule, ev, s, e, text, path in wrong[:5]]
    assert len(wrong) == 0, f"{len(wrong)} of {len(rows)} {table} by rule {dict(by_rule)}:\n" + "\n".join(examples)


def test_every_record_table_is_checked_on_something(built: dict[str, Path]) -> None:
    """The check above is not vacuous: the builds hold targets, projects and tasks."""
    counts = {t: sum(len(_records(db, t)) for db in built.values()) for t in RECORDS}
    assert counts["targets"] > 500 and counts["projects"] > 20 and counts["tasks"] > 50, counts


@pytest.mark.parametrize("corpus", CORPORA)
def test_document_text_is_the_clean_text_spans_index_into(built: dict[str, Path], corpus: str) -> None:
    """The view gives, for every document, the text `inspect --text` prints (Document.text)."""
    con = duckdb.connect(str(built[corpus]), read_only=True)
    try:
        texts = dict(con.execute("SELECT path, clean_text FROM document_text").fetchall())
        (n_docs,) = con.execute("SELECT count(*) FROM documents").fetchone()
    finally:
        con.close()
    assert len(texts) == n_docs > 0
    for path, text in sorted(texts.items()):
        assert text == api.ingest_path(CORPORA[corpus] / path).text, path


@pytest.mark.parametrize("corpus", CORPORA)
def test_sql_users_cut_the_same_evidence(built: dict[str, Path], corpus: str) -> None:
    """substr(clean_text, char_start + 1, char_end - char_start), as the data dictionary says, is Python's slice."""
    python = sum(text[s:e] == ev for _, _, ev, s, e, text, _ in _records(built[corpus], "targets"))
    con = duckdb.connect(str(built[corpus]), read_only=True)
    try:
        (sql,) = con.execute(
            "SELECT count(*) FROM targets AS r JOIN document_text AS t USING (doc_id) "
            "WHERE substr(t.clean_text, r.char_start + 1, r.char_end - r.char_start) = r.evidence"
        ).fetchone()
    finally:
        con.close()
    assert sql == python > 0
