"""A release: the built dataset as a versioned, self-describing folder.

dest/planextract-X.Y.Z/ holds the Parquet files, the DuckDB database, a
Frictionless datapackage.json (Table Schemas with keys, hashes, license,
sources; `frictionless validate` passes on it), a README.md data card (with
the quality statement of planextract/quality.json and the source documents),
CITATION.cff and SHA256SUMS. It is assembled in a temporary folder and
renamed into place, so a release is whole or absent.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import duckdb


import planextract
from planextract.load.query import connect
from planextract.load.schema import data_dictionary, md_cell, table_schema
from planextract.load.store import DB_NAME, MANIFEST, build_folder, output_files
from planextract.load.tables import SPECS, TABLE_NAMES

_SEMVER = re.compile(r"^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$")
LICENSES = {  # id -> (title, url); the data is derived from public government documents
    "CC-BY-4.0": ("Creative Commons Attribution 4.0", "https://creativecommons.org/licenses/by/4.0/"),
    "CC0-1.0": ("Creative Commons Zero v1.0 Universal", "https://creativecommons.org/publicdomain/zero/1.0/"),
    "ODC-BY-1.0": ("Open Data Commons Attribution License 1.0", "https://opendatacommons.org/licenses/by/1-0/"),
    "PDDL-1.0": ("Open Data Commons Public Domain Dedication and License", "https://opendatacommons.org/licenses/pddl/1-0/"),
}
DEFAULT_LICENSE = "CC-BY-4.0"
TITLE = "planextract: targets, projects and tasks from Chinese local-government policy documents"
AUTHOR = "planextract contributors"


class ReleaseError(RuntimeError):
    pass


@dataclass
class DbStats:
    rows: dict[str, int]
    regions: list[tuple[str, int, int, int, int]]  # region, documents, targets, projects, tasks
    duckdb: dict[str, str | None]
    sources: list[tuple[str, str, str | None, str | None]]  # path, sha256, title, region of each document


def make_release(
    out_dir: Path, dest_dir: Path, version: str, *, license_id: str = DEFAULT_LICENSE, force: bool = False
) -> Path:
    """Package the build in out_dir as dest_dir/planextract-<version>; returns that folder."""
    if not _SEMVER.match(version):
        raise ReleaseError(f"version must look like X.Y.Z, not {version!r}")
    if license_id not in LICENSES:
        raise ReleaseError(f"unknown license {license_id!r}; one of {', '.join(LICENSES)}")
    build = build_folder(out_dir)  # one generation, whatever a build running meanwhile switches
    missing = [p.name for p in output_files(build) if not p.is_file()]
    if missing:
        raise ReleaseError(f"{out_dir} lacks {', '.join(missing)}: run `planextract build` first")
    target = dest_dir / f"planextract-{version}"
    if target.exists() and not force:
        raise ReleaseError(f"{target} exists already (use --force to replace it)")
    dest_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".planextract-{version}-", dir=dest_dir))
    staging.chmod(0o755)  # mkdtemp makes it private; a release is for sharing
    try:
        _assemble(build, staging, version, license_id)
        if target.exists():
            shutil.rmtree(target)
        os.replace(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def _assemble(build_dir: Path, staging: Path, version: str, license_id: str) -> None:
    for src in output_files(build_dir):
        shutil.copyfile(src, staging / src.name)
    stats = db_stats(staging / DB_NAME)
    build = _manifest(build_dir)
    package = datapackage(staging, version, license_id, stats, build)
    (staging / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False, indent=2) + "\n", "utf-8")
    sizes = {p.name: p.stat().st_size for p in staging.iterdir()}
    (staging / "README.md").write_text(data_card(package, stats, quality(), sizes), "utf-8")
    (staging / "CITATION.cff").write_text(citation_cff(package), "utf-8")
    files = sorted(p for p in staging.iterdir() if p.is_file())
    (staging / "SHA256SUMS").write_text("".join(f"{sha256_file(p)}  {p.name}\n" for p in files))


def _manifest(build_dir: Path) -> dict[str, Any]:
    try:
        found = json.loads((build_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def sha256_file(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def duckdb_info(con: duckdb.DuckDBPyConnection) -> dict[str, str | None]:
    """The DuckDB library that wrote the file and the file's storage version."""
    import duckdb

    library, source_id = con.execute("SELECT library_version, source_id FROM pragma_version()").fetchone()
    storage = None
    try:  # DuckDB >= 1.2 tags each attached database with its storage version
        (tags,) = con.execute("SELECT tags FROM duckdb_databases() WHERE database_name = current_database()").fetchone()
        storage = dict(tags or {}).get("storage_version")
    except duckdb.Error:
        pass
    return {"python_package": duckdb.__version__, "library_version": library, "source_id": source_id,
            "storage_version": storage}


def db_stats(db: Path) -> DbStats:
    con = connect(db)
    try:
        rows = {name: con.execute(f"SELECT count(*) FROM {name}").fetchone()[0] for name in TABLE_NAMES}
        regions = con.execute(
            "SELECT coalesce(region, '(unknown)'), count(*), sum(n_targets), sum(n_projects), sum(n_tasks) "
            "FROM document_overview GROUP BY 1 ORDER BY 1"
        ).fetchall()
        sources = con.execute("SELECT path, sha256, title, region FROM documents ORDER BY path").fetchall()
        return DbStats(rows, [tuple(int(v) if i else v for i, v in enumerate(r)) for r in regions], duckdb_info(con),
                       sources)
    finally:
        con.close()


def datapackage(folder: Path, version: str, license_id: str, stats: DbStats, build: dict[str, Any]) -> dict[str, Any]:
    """The Frictionless Data Package descriptor of a release folder."""
    title, url = LICENSES[license_id]
    resources = [_parquet_resource(folder, name, stats.rows[name]) for name in TABLE_NAMES]
    resources.append(_file_resource(folder / DB_NAME, "planextract-duckdb", "duckdb", "application/vnd.duckdb",
                                    "All tables and views in one DuckDB database."))
    n_files = len(build.get("files", {}))
    return {
        "name": "planextract",
        "title": TITLE,
        "version": version,
        "description": "Quantitative targets, projects, tasks and responsible agencies extracted from Chinese "
                       "local-government policy documents; every row carries the span of text it was read from.",
        "created": created().isoformat(timespec="seconds"),
        "licenses": [{"name": license_id, "title": title, "path": url}],
        "contributors": [{"title": AUTHOR, "role": "author"}],
        "sources": [{"title": f"Chinese local-government policy documents ({stats.rows['documents']} documents "
                              f"from {n_files} files)"}],
        "keywords": ["policy", "China", "local government", "targets", "planning"],
        "resources": resources,
        "planextract": {
            "version": planextract.__version__,
            "pipeline_version": build.get("pipeline_version", planextract.PIPELINE_VERSION),
            "rules_fingerprint": build.get("rules_fingerprint"),
            "code_fingerprint": build.get("code_fingerprint"),
            "duckdb": stats.duckdb,
            "rows": stats.rows,
        },
    }


def _file_resource(path: Path, name: str, fmt: str, mediatype: str, description: str) -> dict[str, Any]:
    return {
        "name": name, "path": path.name, "format": fmt, "mediatype": mediatype, "description": description,
        "bytes": path.stat().st_size, "hash": f"sha256:{sha256_file(path)}",
    }


def _parquet_resource(folder: Path, table: str, rows: int) -> dict[str, Any]:
    spec = SPECS[table]
    res = _file_resource(folder / f"{table}.parquet", table, "parquet", "application/vnd.apache.parquet",
                         spec.description)
    # No byte count: frictionless counts the bytes it streams, and it reads Parquet through pyarrow
    # instead, so any count fails `frictionless validate`. The hash, SHA256SUMS and the data card keep
    # the files checkable.
    del res["bytes"]
    res["profile"] = "tabular-data-resource"
    res["schema"] = table_schema(spec)
    res["rows"] = rows
    return res


def created() -> dt.datetime:
    """When the release is made: now, or SOURCE_DATE_EPOCH (the reproducible-builds convention) when set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    now = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else dt.datetime.now(dt.UTC)
    return now.replace(microsecond=0)


def quality() -> dict[str, Any]:
    """The last eval scores and the known limits, as committed in planextract/quality.json."""
    return json.loads(resources.files("planextract").joinpath("quality.json").read_text(encoding="utf-8"))


def citation(package: dict[str, Any]) -> str:
    """The suggested citation (APA style)."""
    year = package["created"][:4]
    return (f"{AUTHOR} ({year}). *{package['title']}* (Version {package['version']}) [Data set]. "
            f"Made with planextract {package['planextract']['version']}.")


def citation_cff(package: dict[str, Any]) -> str:
    """CITATION.cff (Citation File Format 1.2.0) of the release."""
    lines = [
        "cff-version: 1.2.0",
        'message: "If you use this dataset, please cite it as below."',
        "type: dataset",
        f"title: {json.dumps(package['title'], ensure_ascii=False)}",
        f"version: {json.dumps(package['version'])}",
        f"date-released: {package['created'][:10]}",
        f"license: {package['licenses'][0]['name']}",
        "authors:",
        f"  - name: {json.dumps(AUTHOR)}",
        f"abstract: {json.dumps(package['description'], ensure_ascii=False)}",
        "keywords:",
        *(f"  - {json.dumps(k)}" for k in package["keywords"]),
    ]
    return "\n".join(lines) + "\n"


def data_card(package: dict[str, Any], stats: DbStats, scores: dict[str, Any], sizes: dict[str, int]) -> str:
    """README.md of a release: what it is, how good, how made, from what, counts, the data dictionary."""
    parts = [
        [f"# {package['title']}", "", f"Version {package['version']}, created {package['created'][:10]}.", "",
         package["description"]],
        _files_section(package, sizes),
        _quality_section(scores),
        _made_section(package, stats),
        _sources_section(stats),
        _counts_section(stats),
        ["## How to cite", "", citation(package), "", "The same in Citation File Format: `CITATION.cff`."],
        ["## Data dictionary", "", data_dictionary()],
    ]
    return "\n\n".join("\n".join(p) for p in parts)


def _files_section(package: dict[str, Any], sizes: dict[str, int]) -> list[str]:
    lines = ["## Files", "", "| file | rows | bytes | sha256 |", "|---|---|---|---|"]
    for res in package["resources"]:
        lines.append(f"| `{res['path']}` | {res.get('rows', '')} | {sizes[res['path']]} | `{res['hash'][7:]}` |")
    lines += ["", "Check the files with `sha256sum -c SHA256SUMS`; `datapackage.json` describes them (a Frictionless "
              "Data Package: `frictionless validate datapackage.json` checks every table against its schema)."]
    return lines


def _score(entity: dict[str, Any]) -> str:
    return (f"| {entity['gold']} | {entity['predicted']} | {entity['hits']} | {entity['precision']:.3f} "
            f"| {entity['recall']:.3f} | {entity['f1']:.3f} |")


def _quality_section(scores: dict[str, Any]) -> list[str]:
    lines = ["## Quality", "", "Scores of the extraction against hand-made gold (precision, recall and F1 of the "
             "records a gold file lists; `planextract eval`):", ""]
    for ev in scores.get("evaluations", []):
        scored = [e for e in ("targets", "actuals", "tasks", "projects") if ev.get(e, {}).get("gold")]
        absent = [e for e in ("targets", "actuals", "tasks", "projects") if e not in scored]
        lines += [f"**{ev['name']}** ({ev.get('documents', '?')} documents, {ev.get('date', 'not yet scored')}): "
                  f"{md_cell(ev['description'])}", "",
                  "| records | gold | predicted | hits | P | R | F1 |", "|---|---|---|---|---|---|---|"]
        lines += [f"| {entity} " + _score(ev[entity]) for entity in scored]
        lines += ["", f"(None in this gold set: {', '.join(absent)}.)" if absent else "", ""]
    lines += ["Known limits:", ""] + [f"- {md_cell(limit)}" for limit in scores.get("limits", [])]
    return lines


def _made_section(package: dict[str, Any], stats: DbStats) -> list[str]:
    meta, db = package["planextract"], stats.duckdb
    return [
        "## How it was made", "",
        f"- planextract {meta['version']}, pipeline version {meta['pipeline_version']}, "
        f"rules fingerprint `{meta['rules_fingerprint']}`, code fingerprint `{meta['code_fingerprint']}`",
        f"- DuckDB {db['library_version']} ({db['source_id']}), Python package {db['python_package']}; "
        f"database storage version {db['storage_version'] or 'not reported'}. Open `{DB_NAME}` with that DuckDB "
        "version or newer, or read the Parquet files with any Parquet reader.",
        f"- License: {package['licenses'][0]['title']} ({package['licenses'][0]['name']}).",
    ]


def _sources_section(stats: DbStats) -> list[str]:
    lines = ["## Source documents", "", f"{len(stats.sources)} documents (the `documents` table has all their "
             "metadata; `errors` the files not read):", "",
             "| path | sha256 | title | region |", "|---|---|---|---|"]
    lines += [f"| `{md_cell(path)}` | `{sha}` | {md_cell(title or '')} | {md_cell(region or '')} |"
              for path, sha, title, region in stats.sources]
    return lines


def _counts_section(stats: DbStats) -> list[str]:
    lines = ["## Rows per table", "", "| table | rows |", "|---|---|"]
    lines += [f"| `{name}` | {n} |" for name, n in stats.rows.items()]
    lines += ["", "## Per region", "", "| region | documents | targets | projects | tasks |", "|---|---|---|---|---|"]
    lines += [f"| {r} | {d} | {t} | {p} | {k} |" for r, d, t, p, k in stats.regions]
    return lines
