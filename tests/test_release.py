"""load/release.py: the release folder, its datapackage.json, data card and checksums."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from frictionless import Package

from _load_helpers import ingest_only, write_doc
from planextract import api
from planextract.load.release import ReleaseError, make_release
from planextract.load.tables import SPECS, TABLE_NAMES

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
        "planextract.duckdb", "datapackage.json", "README.md", "SHA256SUMS"}
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
        assert r["bytes"] == len(data) and r["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
    for name in TABLE_NAMES:
        schema = resources[name]["schema"]
        arrow = pq.read_schema(released / f"{name}.parquet")
        assert [f["name"] for f in schema["fields"]] == arrow.names
        for field in schema["fields"]:
            t = arrow.field(field["name"]).type
            expected = "array" if str(t).startswith("list") else _ARROW_TO_TABLE_SCHEMA[str(t)]
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
    assert "Version 1.2.3." in card and f"Python package {duckdb.__version__}" in card
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
