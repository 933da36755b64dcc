"""Records -> Arrow tables: the one schema source of every output.

Each output table is a pydantic model from models.py plus its keys. The Arrow
schema, the DuckDB DDL, the JSON Schema, the Data Package's Table Schema and
the data dictionary are all derived from these specs, so adding a table is a
model and one entry in TABLES.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal, Union

import pyarrow as pa
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from planextract.models import (
    Actual,
    Agency,
    BlockRecord,
    DocumentMeta,
    ErrorRecord,
    FileResult,
    Indicator,
    Project,
    Target,
    TargetAgency,
    Task,
    TaskAgency,
)
from planextract.rules.indicators import catalogue


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    table: str
    ref_fields: tuple[str, ...]


@dataclass(frozen=True)
class Column:
    name: str
    annotation: Any  # the python type, Optional stripped
    nullable: bool
    description: str
    enum: tuple[Any, ...] | None  # the allowed values of a Literal field

    @property
    def arrow_type(self) -> pa.DataType:
        return _arrow_type(self.annotation)

    @property
    def is_list(self) -> bool:
        return typing.get_origin(self.annotation) is list


@dataclass(frozen=True)
class TableSpec:
    name: str
    model: type[BaseModel]
    description: str
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()
    per_file: bool = True  # rows come from each file's result; False: written once per build (the catalogue)

    @cached_property
    def columns(self) -> list[Column]:
        return [_column(name, info) for name, info in self.model.model_fields.items()]

    @cached_property
    def arrow_schema(self) -> pa.Schema:
        return pa.schema(
            [
                pa.field(c.name, c.arrow_type, nullable=c.nullable, metadata={"description": c.description})
                for c in self.columns
            ],
            metadata={"table": self.name, "description": self.description},
        )


def _fk(fields: str, table: str, ref: str | None = None) -> ForeignKey:
    return ForeignKey(tuple(fields.split(",")), table, tuple((ref or fields).split(",")))


_PROVENANCE_FKS = (_fk("doc_id", "documents"), _fk("block_id", "blocks"))
_CODED_FKS = (*_PROVENANCE_FKS, _fk("indicator_code", "indicators", "code"))

TABLES: tuple[TableSpec, ...] = (
    TableSpec("documents", DocumentMeta, "One row per document read: file facts and document metadata.", ("doc_id",)),
    TableSpec(
        "blocks", BlockRecord, "Every heading, paragraph and table of every document, in reading order.",
        ("block_id",), (_fk("doc_id", "documents"),),
    ),
    TableSpec("targets", Target, "Quantitative targets, each with the evidence it was read from.", ("target_id",),
              _CODED_FKS),
    TableSpec("actuals", Actual, "Reported realised figures (results of a past year or plan period), each with its evidence.",
              ("actual_id",), _CODED_FKS),
    TableSpec("projects", Project, "Rows of project lists (重大项目清单 and the like).", ("project_id",),
              _PROVENANCE_FKS),
    TableSpec("tasks", Task, "Work items naming responsible agencies.", ("task_id",), _PROVENANCE_FKS),
    TableSpec("agencies", Agency, "Government bodies under their canonical names, one row per agency.",
              ("agency_id",)),
    TableSpec(
        "target_agencies", TargetAgency, "Which agencies are responsible for which target, in the order written.",
        ("target_id", "position"), (_fk("target_id", "targets"), _fk("agency_id", "agencies")),
    ),
    TableSpec(
        "task_agencies", TaskAgency, "Lead and supporting agencies of each task, in the order written.",
        ("task_id", "role", "position"), (_fk("task_id", "tasks"), _fk("agency_id", "agencies")),
    ),
    TableSpec("errors", ErrorRecord, "Every file found that did not become a document, and why.", ("path",)),
    TableSpec("indicators", Indicator,
              "The catalogue of canonical indicators (rules/indicators.toml) that indicator_code refers to.",
              ("code",), per_file=False),
)
SPECS: dict[str, TableSpec] = {t.name: t for t in TABLES}
TABLE_NAMES: tuple[str, ...] = tuple(SPECS)
# The tables filled from each file's result (and cached per file); the others are written once per build.
FILE_TABLES: tuple[str, ...] = tuple(t.name for t in TABLES if t.per_file)

# The id prefix per record table when an extractor leaves ids empty: doc_id-t0001, ...
_ID_PREFIX = {"targets": ("target_id", "t"), "actuals": ("actual_id", "a"), "projects": ("project_id", "p"), "tasks": ("task_id", "k")}


# --------------------------------------------------------------------------
# python annotation -> column type
# --------------------------------------------------------------------------


def _column(name: str, info: FieldInfo) -> Column:
    annotation, nullable = _strip_optional(info.annotation)
    enum = None
    if typing.get_origin(annotation) is Literal:
        enum = typing.get_args(annotation)
        annotation = type(enum[0])
    return Column(name, annotation, nullable, info.description or "", enum)


def _strip_optional(annotation: Any) -> tuple[Any, bool]:
    if typing.get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) != 1:
            raise TypeError(f"unsupported union {annotation!r}")
        return args[0], True
    return annotation, False


_SCALARS: dict[Any, pa.DataType] = {str: pa.string(), int: pa.int64(), float: pa.float64(), bool: pa.bool_()}


def _arrow_type(annotation: Any) -> pa.DataType:
    if typing.get_origin(annotation) is list:
        (item,) = typing.get_args(annotation)
        return pa.list_(_arrow_type(item))
    if annotation in _SCALARS:
        return _SCALARS[annotation]
    raise TypeError(f"no Arrow type for {annotation!r}: add it to load/tables.py")


# --------------------------------------------------------------------------
# FileResult -> rows
# --------------------------------------------------------------------------


def assign_ids(result: FileResult) -> FileResult:
    """Fill empty target/project/task ids with '<doc_id>-<prefix><n>' (n from 1, record order)."""
    for table, (id_field, prefix) in _ID_PREFIX.items():
        for n, rec in enumerate(getattr(result, table), start=1):
            if not getattr(rec, id_field):
                setattr(rec, id_field, f"{rec.doc_id}-{prefix}{n:04d}")
    return result


def file_rows(result: FileResult) -> dict[str, list[dict[str, Any]]]:
    """The rows one file contributes to each table (agencies not yet merged across files).

    A row is a copy of the record's field dict (pydantic keeps field values
    in __dict__): every table model is flat (scalars and lists of strings,
    see _arrow_type), so there is nothing for model_dump() to convert, and
    skipping it halves the cost of caching a file's rows.
    """
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in FILE_TABLES}
    if result.document is not None:
        rows["documents"].append(dict(vars(result.document)))
    if result.error is not None:
        rows["errors"].append(dict(vars(result.error)))
    for name in FILE_TABLES:
        if name not in ("documents", "errors"):
            rows[name] = [dict(vars(rec)) for rec in getattr(result, name)]
    return rows


class AgencyMerger:
    """Agencies are shared across documents: one row per agency_id, names unioned in first-seen order."""

    def __init__(self) -> None:
        self._rows: dict[str, dict[str, Any]] = {}

    def add(self, rows: Iterable[dict[str, Any]]) -> None:
        for row in rows:
            seen = self._rows.get(row["agency_id"])
            if seen is None:
                self._rows[row["agency_id"]] = {**row, "names": list(row["names"])}
                continue
            seen["names"] += [n for n in row["names"] if n not in seen["names"]]
            if seen["region"] is None:
                seen["region"] = row["region"]

    def rows(self) -> Iterator[dict[str, Any]]:
        return iter(self._rows.values())


def indicator_rows() -> list[dict[str, Any]]:
    """The rows of the `indicators` table: the catalogue in use, in file order."""
    fields = Indicator.model_fields
    return [{name: getattr(e, name) for name in fields} for e in catalogue().indicator]


def to_arrow(name: str, rows: list[dict[str, Any]]) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=SPECS[name].arrow_schema)


# --------------------------------------------------------------------------
# one file's rows as one Arrow record batch (the per-file cache)
# --------------------------------------------------------------------------
# A file's result is cached in the final column layout: one row, one
# list<struct> column per table. A rebuild then slices the cached lists into
# tables instead of validating and dumping pydantic models row by row.

FileTables = dict[str, pa.Table]  # table name -> rows


def _plain(field: pa.Field) -> pa.Field:
    # Descriptions stay out of the cache: the output schema puts them back.
    return pa.field(field.name, field.type, nullable=field.nullable)


CACHE_SCHEMA: pa.Schema = pa.schema(
    [pa.field(s.name, pa.list_(pa.struct([_plain(f) for f in s.arrow_schema])), nullable=False)
     for s in TABLES if s.per_file]
)
_CACHE_ROW = pa.struct(list(CACHE_SCHEMA))


def cache_layout() -> str:
    """The cached column layout: part of the cache key, so a changed column type never reads a stale cache."""
    return str(CACHE_SCHEMA)


def to_cache_batch(result: FileResult) -> pa.RecordBatch:
    """One file's rows, every table, as a one-row record batch of CACHE_SCHEMA."""
    # One conversion of the whole row (a struct of every table's list) costs
    # less than one per table: pyarrow's per-call set-up dominates small files.
    return pa.RecordBatch.from_struct_array(pa.array([file_rows(result)], type=_CACHE_ROW))


def split_cached(batches: Sequence[pa.RecordBatch]) -> FileTables:
    """The rows of several files' cached batches (in the order given) as one table per output table."""
    lists = pa.Table.from_batches(batches, schema=CACHE_SCHEMA)
    tables = {}
    for name in FILE_TABLES:
        # One call per table for the whole group: list<struct> -> struct -> the struct's columns.
        structs = lists.column(name).combine_chunks().flatten()
        tables[name] = pa.Table.from_arrays(structs.flatten(), schema=SPECS[name].arrow_schema)
    return tables


@dataclass(frozen=True)
class FileFacts:
    """What a build summary counts of one file's cached batch."""

    format: str | None  # the document's format; None: no document
    error_type: str | None  # the error row's type; None: no error row
    skipped: bool = False  # the error row marks a file deliberately not read
    warnings: tuple[str, ...] = ()  # the document's warnings (read, but something was off)


def file_facts(batch: pa.RecordBatch) -> FileFacts:
    docs = batch.column("documents")[0].values  # the one row's list: 0 or 1 structs
    errors = batch.column("errors")[0].values
    error = errors[0].as_py() if len(errors) else None
    return FileFacts(
        format=docs.field("format")[0].as_py() if len(docs) else None,
        error_type=error["error_type"] if error else None,
        skipped=bool(error and error["skipped"]),
        warnings=tuple(docs.field("warnings")[0].as_py() or ()) if len(docs) else (),
    )
