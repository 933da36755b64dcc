"""load/release.py: the release folder, its datapackage.json, data card and checksums."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
import yaml  # frictionless depends on PyYAML
from frictionless import Package

from _load_helpers import ingest_only, write_doc
from _shared import RAW
from planextract import api
from planextract.load.release import ReleaseError, make_release, quality
from planextract.load.tables import SPECS, TABLE_NAMES

# Table Schema types of the Arrow types; a list is `any` (frictionless reads it through pandas as a numpy array).
_ARROW_TO_TABLE_SCHEMA = {"string": "string", "int64": "integer", "double": "number", "bool": "boolean"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("release")
    for i, title in enumerate(["甲县发展规划", "乙市工作要点", "丙县行动计划"]):
        write_doc(base / "in" / f"{i}.txt", title)
    (base / "in" / "empty.txt").write_bytes(b"")
    api.build(base / "in", base / "out", workers=1, processor=ingest_only)
    return base / "out"


@pytest.fixture(scope="module")
def released(built: Path) -> Path:
    return make_release(built, built.parent / "dist", "1.2.3")


def test_release_folder_holds_data_metadata_and_checksums(released: Path) -> None:
    assert released.name == "planextract-1.2.3"
    names = {p.name for p in released.iterdir()}
    assert names == {f"{t}.parquet" for t in TABLE_NAMES} | {
        "planextract.duckdb", "datapackage.json", "README.md", "CITATION.cff", "SHA256SUMS"}
    sums = dict(line.split("  ")[::-1] for line in (released / "SHA256SUMS").read_text().splitlines())
    assert set(sums) == names - {"SHA256SUMS"}
    for name, digest in sums.items():
        assert hashlib.sha256((released / name).read_bytes()).hexdigest() == digest
    assert not [p for p in released.parent.iterdir() if p.name.startswith(".")]  # no staging left


def test_datapackage_is_valid_and_describes_the_files(released: Path) -> None:
    report = Package.validate_descriptor(str(released / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])
    package = json.loads((released / "datapackage.json").read_text())
    assert package["version"] == "1.2.3" and package["licenses"] and package["sources"]
    assert package["planextract"]["duckdb"]["python_package"] == duckdb.__version__
    assert package["planextract"]["duckdb"]["library_version"]
    resources = {r["name"]: r for r in package["resources"]}
    for r in resources.values():
        data = (released / r["path"]).read_bytes()
        assert r["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
        assert r.get("bytes", len(data)) == len(data)  # Parquet resources carry none (see _parquet_resource)
    for name in TABLE_NAMES:
        schema = resources[name]["schema"]
        arrow = pq.read_schema(released / f"{name}.parquet")
        assert [f["name"] for f in schema["fields"]] == arrow.names
        for field in schema["fields"]:
            t = arrow.field(field["name"]).type
            expected = "any" if str(t).startswith("list") else _ARROW_TO_TABLE_SCHEMA[str(t)]
            assert field["type"] == expected, (name, field["name"])
        assert schema["primaryKey"] == list(SPECS[name].primary_key)


def test_release_data_honours_its_declared_keys_and_constraints(released: Path) -> None:
    package = json.loads((released / "datapackage.json").read_text())
    con = duckdb.connect(str(released / "planextract.duckdb"), read_only=True)
    for r in package["resources"]:
        if "schema" not in r:
            continue
        name, schema = r["name"], r["schema"]
        assert con.execute(f"SELECT count(*) FROM {name}").fetchone()[0] == r["rows"]
        keys = ", ".join(f'"{k}"' for k in schema["primaryKey"])
        assert con.execute(f"SELECT count(*) - count(DISTINCT ({keys})) FROM {name}").fetchone()[0] == 0
        for f in schema["fields"]:
            c = f.get("constraints", {})
            if c.get("required"):
                assert con.execute(f'SELECT count(*) FROM {name} WHERE "{f["name"]}" IS NULL').fetchone()[0] == 0
            if "enum" in c:
                values = {v for (v,) in con.execute(f'SELECT DISTINCT "{f["name"]}" FROM {name}').fetchall()}
                assert values <= set(c["enum"]) | {None}
        for fk in schema.get("foreignKeys", []):
            (col,), (ref,) = fk["fields"], fk["reference"]["fields"]
            orphans = con.execute(
                f'SELECT count(*) FROM {name} WHERE "{col}" IS NOT NULL AND "{col}" NOT IN '
                f'(SELECT "{ref}" FROM {fk["reference"]["resource"]})'
            ).fetchone()[0]
            assert orphans == 0


def test_data_card_has_counts_versions_and_dictionary(released: Path) -> None:
    card = (released / "README.md").read_text(encoding="utf-8")
    assert "Version 1.2.3, created 20" in card and f"Python package {duckdb.__version__}" in card
    assert "| `documents` | 3 |" in card and "| `errors` | 1 |" in card
    assert "| (unknown) | 3 |" in card  # the stand-in processor sets no region
    assert all(f"### `{t}`" in card for t in TABLE_NAMES)


def test_release_refuses_bad_versions_and_existing_releases(built: Path, released: Path) -> None:
    with pytest.raises(ReleaseError, match="X.Y.Z"):
        make_release(built, released.parent, "1.2")
    with pytest.raises(ReleaseError, match="exists"):
        make_release(built, released.parent, "1.2.3")
    again = make_release(built, released.parent, "1.2.3", force=True)
    assert (again / "SHA256SUMS").is_file()
    with pytest.raises(ReleaseError, match="build"):
        make_release(built.parent / "nothing", released.parent, "2.0.0")


@pytest.fixture(scope="module")
def real_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A release of a real build (the samples: every format, every record table filled)."""
    base = tmp_path_factory.mktemp("real-release")
    api.build(RAW, base / "out")
    return make_release(base / "out", base / "dist", "0.9.0")


def test_frictionless_validates_every_resource_of_a_release(real_release: Path) -> None:
    """What `frictionless validate datapackage.json` does: every table read and checked against its schema."""
    report = Package(str(real_release / "datapackage.json")).validate()
    problems = [(t.name, e.type, e.note) for t in report.tasks for e in t.errors][:10]
    assert report.valid, problems
    rows = {t.name: t.stats.get("rows") for t in report.tasks}
    package = json.loads((real_release / "datapackage.json").read_text())
    assert all((rows[r["name"]] or 0) == r["rows"] for r in package["resources"] if "rows" in r), rows  # empty: None
    assert package["planextract"]["rows"]["targets"] > 0 and package["planextract"]["rows"]["projects"] > 0


def test_data_card_states_quality_sources_date_and_citation(real_release: Path) -> None:
    card = (real_release / "README.md").read_text(encoding="utf-8")
    scores = quality()
    assert "## Quality" in card and scores["evaluations"] and scores["limits"]
    for ev in scores["evaluations"]:
        assert f"**{ev['name']}**" in card
        t = ev["targets"]
        assert f"| targets | {t['gold']} | {t['predicted']} | {t['hits']} | {t['precision']:.3f} |" in card
    assert all(limit in card for limit in scores["limits"])
    con = duckdb.connect(str(real_release / "planextract.duckdb"), read_only=True)
    for path, sha, title, region in con.execute("SELECT path, sha256, title, region FROM documents").fetchall():
        assert f"| `{path}` | `{sha}` | {title or ''} | {region or ''} |" in card
    package = json.loads((real_release / "datapackage.json").read_text())
    assert package["created"][:10] in card and "## How to cite" in card and "(Version 0.9.0) [Data set]" in card


def test_release_carries_a_citation_file(real_release: Path) -> None:
    cff = yaml.safe_load((real_release / "CITATION.cff").read_text(encoding="utf-8"))
    package = json.loads((real_release / "datapackage.json").read_text())
    assert cff["cff-version"] == "1.2.0" and cff["type"] == "dataset" and cff["message"]
    assert (cff["title"], cff["version"], cff["license"]) == (package["title"], "0.9.0", "CC-BY-4.0")
    assert str(cff["date-released"]) == package["created"][:10] and cff["authors"][0]["name"]


def test_release_date_follows_source_date_epoch(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    folder = make_release(built, built.parent / "dated", "3.0.0")
    assert json.loads((folder / "datapackage.json").read_text())["created"] == "2023-11-14T22:13:20+00:00"


def test_an_eval_report_is_recorded_as_the_quality_statement() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("record_quality", RAW.parents[1] / "scripts" / "record_quality.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    score = {"gold": 10, "predicted": 8, "hits": 6, "precision": 0.75, "recall": 0.6, "f1": 0.66667, "fields": {}}
    unannotated = [{"targets": score}]  # no gold file of the set annotates actuals
    report = {"found": 2, "targets": score, "actuals": score, "tasks": score, "projects": score, "per_document": unannotated}
    scores = {"evaluations": [{"name": "dev", "description": "d", "gold": "g"}], "limits": ["x"]}
    entry = module.record(report, "dev", scores)["evaluations"][0]
    assert entry["documents"] == 2 and entry["targets"]["f1"] == 0.667 and "fields" not in entry["targets"]
    assert "actuals" not in entry  # not scored: no F1 of 1.0 for 0 gold actuals on the data card
    report["per_document"] = [{"targets": score, "actuals": score}]
    assert module.record(report, "dev", scores)["evaluations"][0]["actuals"]["f1"] == 0.667
    with pytest.raises(SystemExit, match="no evaluation named 'other'"):
        module.record(report, "other", scores)
