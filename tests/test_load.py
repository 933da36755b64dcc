"""load/tables.py and load/schema.py: the model -> Arrow/DuckDB/JSON Schema mapping and its generated files."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import given, settings
from hypothesis import strategies as st

import pytest

from planextract.cli import _SECTIONS, readme_section
from planextract.load import schema
from planextract.load.store import decode_cached, encode_cached, read_cached, write_cached
from planextract.load.tables import (
    FILE_TABLES,
    SPECS,
    TABLES,
    AgencyMerger,
    assign_ids,
    file_facts,
    file_rows,
    split_cached,
    to_arrow,
    to_cache_batch,
)
from planextract.models import (
    Agency,
    BlockRecord,
    DocumentMeta,
    ErrorRecord,
    FileResult,
    Project,
    Target,
    Task,
)

REPO = Path(__file__).resolve().parents[1]


def test_every_model_field_is_a_column_with_a_type_and_a_meaning() -> None:
    for spec in TABLES:
        assert [c.name for c in spec.columns] == list(spec.model.model_fields)
        assert spec.arrow_schema.names == list(spec.model.model_fields)
        for col in spec.columns:
            assert col.description, f"{spec.name}.{col.name} has no description= in models.py"
        assert set(spec.primary_key) <= set(spec.model.model_fields)
        for fk in spec.foreign_keys:
            assert set(fk.fields) <= set(spec.model.model_fields)
            assert set(fk.ref_fields) <= set(SPECS[fk.table].model.model_fields)


def test_arrow_types_follow_the_annotations() -> None:
    docs = SPECS["documents"].arrow_schema
    assert docs.field("warnings").type == pa.list_(pa.string())
    assert docs.field("size").type == pa.int64() and not docs.field("size").nullable
    assert docs.field("pages").type == pa.int64() and docs.field("pages").nullable
    targets = SPECS["targets"].arrow_schema
    assert targets.field("value").type == pa.float64() and not targets.field("value").nullable
    assert targets.field("comparator").type == pa.string()  # a Literal
    assert SPECS["projects"].arrow_schema.field("key").type == pa.bool_()


def _target(doc_id: str, target_id: str = "") -> Target:
    return Target(doc_id=doc_id, block_id=f"{doc_id}:b0001", char_start=0, char_end=4, evidence="x", indicator="GDP",
                  value=1.0, unit="亿元", target_id=target_id)


def test_assign_ids_fills_only_empty_ids_in_record_order() -> None:
    result = FileResult(
        path="a.txt",
        targets=[_target("d1"), _target("d1", "given"), _target("d1")],
        projects=[Project(doc_id="d1", block_id="d1:b0002", char_start=0, char_end=1, evidence="x", name="P")],
        tasks=[Task(doc_id="d1", block_id="d1:b0003", char_start=0, char_end=1, evidence="x", title="T")],
    )
    assign_ids(result)
    assert [t.target_id for t in result.targets] == ["d1-t0001", "given", "d1-t0003"]
    assert result.projects[0].project_id == "d1-p0001"
    assert result.tasks[0].task_id == "d1-k0001"
    assert assign_ids(result.model_copy(deep=True)) == result  # idempotent


def test_agencies_are_merged_across_documents_in_first_seen_order() -> None:
    merger = AgencyMerger()
    merger.add([Agency(agency_id="a1", name="桐庐县经济和信息化局", names=["县经信局"]).model_dump()])
    merger.add([Agency(agency_id="a1", name="桐庐县经济和信息化局", region="桐庐县", names=["经信局", "县经信局"]).model_dump(),
                Agency(agency_id="a2", name="县发改局", names=[]).model_dump()])
    rows = list(merger.rows())
    assert [r["agency_id"] for r in rows] == ["a1", "a2"]
    assert rows[0]["names"] == ["县经信局", "经信局"] and rows[0]["region"] == "桐庐县"


def test_file_rows_cover_every_table_filled_per_file() -> None:
    result = FileResult(
        path="a.txt",
        document=DocumentMeta(doc_id="d1", path="a.txt", format="text"),
        blocks=[BlockRecord(block_id="d1:b0000", doc_id="d1", index=0, kind="paragraph", text="t", char_start=0, char_end=1)],
        targets=[_target("d1", "d1-t0001")],
    )
    rows = file_rows(result)
    assert set(rows) == set(FILE_TABLES) == set(SPECS) - {"indicators"}  # the catalogue is written once per build
    assert len(rows["documents"]) == len(rows["blocks"]) == len(rows["targets"]) == 1
    for name, table_rows in rows.items():
        assert to_arrow(name, table_rows).schema == SPECS[name].arrow_schema


_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20)


@settings(max_examples=40, deadline=None)
@given(
    path=_text, message=_text, size=st.none() | st.integers(0, 2**62), skipped=st.booleans(),
    warnings=st.lists(_text, max_size=4),
)
def test_rows_survive_a_parquet_round_trip(path: str, message: str, size: int | None, skipped: bool,
                                           warnings: list[str]) -> None:
    error = ErrorRecord(path=path, stage="ingest", error_type="x", message=message, size=size, skipped=skipped)
    doc = DocumentMeta(doc_id="d", path=path, format="text", warnings=warnings)
    for name, record in (("errors", error), ("documents", doc)):
        sink = pa.BufferOutputStream()
        pq.write_table(to_arrow(name, [record.model_dump()]), sink)
        back = pq.read_table(pa.BufferReader(sink.getvalue())).to_pylist()
        assert back == [record.model_dump()]


def _result(path: str, message: str = "m", warnings: list[str] | None = None, n_targets: int = 2) -> FileResult:
    doc = DocumentMeta(doc_id=f"id-{path}", path=path, format="text", warnings=warnings or [])
    return FileResult(
        path=path,
        document=doc,
        blocks=[BlockRecord(block_id=f"{doc.doc_id}:b0000", doc_id=doc.doc_id, index=0, kind="paragraph",
                            text=message, char_start=0, char_end=len(message), section_path=warnings or [])],
        targets=[_target(doc.doc_id, f"{doc.doc_id}-t{i}") for i in range(n_targets)],
    )


@settings(max_examples=40, deadline=None)
@given(
    path=_text, message=_text, warnings=st.lists(_text, max_size=4), n_targets=st.integers(0, 3),
    error_size=st.none() | st.integers(0, 2**62), with_error=st.booleans(),
)
def test_a_cached_result_reads_back_as_the_rows_of_every_table(path: str, message: str, warnings: list[str],
                                                               n_targets: int, error_size: int | None,
                                                               with_error: bool) -> None:
    result = _result(path, message, warnings, n_targets)
    if with_error:
        result = FileResult(path=path, error=ErrorRecord(path=path, stage="ingest", error_type="x", message=message,
                                                         size=error_size))
    tables = split_cached([decode_cached(encode_cached(to_cache_batch(result)))])
    for name, rows in file_rows(result).items():
        assert tables[name].schema.equals(SPECS[name].arrow_schema, check_metadata=True), name
        assert tables[name].to_pylist() == rows, name


def test_cached_results_of_several_files_join_in_order(tmp_path: Path) -> None:
    results = [_result("a.txt", n_targets=1), _result("b.txt", n_targets=0), _result("c.txt", n_targets=3)]
    for i, r in enumerate(results):
        write_cached(tmp_path / f"{i}.bin", r)
    tables = split_cached([read_cached(tmp_path / f"{i}.bin") for i in range(3)])
    assert tables["documents"].column("path").to_pylist() == ["a.txt", "b.txt", "c.txt"]
    assert tables["targets"].column("doc_id").to_pylist() == ["id-a.txt"] + ["id-c.txt"] * 3
    assert tables["errors"].num_rows == 0


def test_file_facts_name_the_format_or_the_error() -> None:
    assert file_facts(to_cache_batch(_result("a.txt"))).format == "text"
    skipped = ErrorRecord(path="x.xlsx", stage="discover", error_type="unsupported_extension", message="m",
                          skipped=True)
    facts = file_facts(to_cache_batch(FileResult(path="x.xlsx", error=skipped)))
    assert (facts.format, facts.error_type, facts.skipped) == (None, "unsupported_extension", True)
    empty = file_facts(to_cache_batch(FileResult(path="e.txt")))
    assert (empty.format, empty.error_type) == (None, None)


def test_a_damaged_cached_result_is_refused() -> None:
    data = encode_cached(to_cache_batch(_result("a.txt")))
    flipped = bytearray(data)
    flipped[len(data) // 2] ^= 0x01
    for bad in (b"", data[:10], data[:-1], bytes(flipped), b"XXXX" + data[4:]):
        with pytest.raises(ValueError):
            decode_cached(bad)


def test_a_value_arrow_cannot_hold_becomes_an_error_row(tmp_path: Path) -> None:
    result = FileResult(path="a.txt", document=DocumentMeta(doc_id="d", path="a.txt", format="text", size=2**70))
    write_cached(tmp_path / "a.bin", result)
    errors = split_cached([read_cached(tmp_path / "a.bin")])["errors"].to_pylist()
    assert [(e["path"], e["error_type"]) for e in errors] == [("a.txt", "unstorable_result")]


def test_ddl_creates_every_table_and_view_with_comments() -> None:
    con = duckdb.connect()
    con.execute(schema.ddl())
    tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    views = {r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
    assert tables == set(SPECS) and views == set(schema.VIEWS)
    (comment,) = con.execute(
        "SELECT comment FROM duckdb_columns() WHERE table_name = 'targets' AND column_name = 'indicator'"
    ).fetchone()
    assert comment == Target.model_fields["indicator"].description
    for name in schema.VIEWS:  # every view runs on empty tables
        con.execute(f"SELECT * FROM {name}").fetchall()


def test_table_schema_maps_types_keys_and_constraints() -> None:
    ts = schema.table_schema(SPECS["targets"])
    fields = {f["name"]: f for f in ts["fields"]}
    assert fields["value"]["type"] == "number" and fields["value"]["constraints"]["required"] is True
    assert fields["year"]["type"] == "integer" and "constraints" not in fields["year"]
    assert fields["agencies"]["type"] == "any"  # a list: frictionless reads it as a numpy array
    assert fields["kind"]["constraints"]["enum"][0] == "level"
    assert ts["primaryKey"] == ["target_id"]
    assert {"fields": ["doc_id"], "reference": {"resource": "documents", "fields": ["doc_id"]}} in ts["foreignKeys"]


def test_committed_schema_files_match_the_models() -> None:
    fix = "run `planextract schemas --out schemas --readme README.md` (make schemas) and commit the result"
    expected = schema.schema_files()
    committed = {p.name for p in (REPO / "schemas").glob("*") if p.suffix in {".sql", ".json"}}
    assert committed == set(expected), fix
    for name, text in expected.items():
        assert (REPO / "schemas" / name).read_text(encoding="utf-8") == text, f"schemas/{name} is stale: {fix}"
        if name.endswith(".json"):
            assert json.loads(text)["title"] == name.split(".")[0]


def test_readme_generated_sections_are_current() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for key, (title, render) in _SECTIONS.items():
        assert f"## {title}" in readme
        assert readme_section(key, readme) == render(), (
            f"README section {key!r} is stale: run `planextract schemas --out schemas --readme README.md`"
        )
    for spec in TABLES:  # the dictionary names every column
        assert all(f"| `{c.name}` |" in readme for c in spec.columns)
