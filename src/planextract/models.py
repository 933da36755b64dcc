"""The data model every stage shares.

ingest  -> Document (blocks: headings, paragraphs, tables; clean text; spans)
extract -> Target, Project, Task, Agency, DocumentMeta (each with provenance)
load    -> one Arrow table per record model (see load/tables.py)

Field names of the record models are the public column names of the output
tables; GUIDELINES.md (the gold format) names most of them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

BlockKind = Literal["heading", "paragraph", "table"]
Source = Literal["text", "table"]
Comparator = Literal[">=", ">", "<=", "<", "~", "="]
Ambition = Literal["firm", "aspirational"]
TargetKind = Literal["level", "increase", "growth_rate", "ratio", "reduction"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --------------------------------------------------------------------------
# Document model (ingest + structure)
# --------------------------------------------------------------------------


class Table(_Model):
    """A rectangular table: every row has the same number of cells.

    Merged cells are resolved by repeating the merged value into every cell
    it covers, so `rows[r][c]` is always the value a reader sees there.
    """

    rows: list[list[str]]
    caption: str | None = None
    header_rows: int = 1

    @property
    def n_rows(self) -> int:
        return len(self.rows)

    @property
    def n_cols(self) -> int:
        return len(self.rows[0]) if self.rows else 0

    @property
    def header(self) -> list[str]:
        """One label per column: the header rows joined top to bottom."""
        if not self.rows or self.header_rows == 0:
            return [""] * self.n_cols
        labels = []
        for c in range(self.n_cols):
            parts: list[str] = []
            for r in range(min(self.header_rows, self.n_rows)):
                v = self.rows[r][c]
                if v and (not parts or parts[-1] != v):
                    parts.append(v)
            labels.append("".join(parts))
        return labels

    @property
    def body(self) -> list[list[str]]:
        return self.rows[self.header_rows :]

    def render(self) -> str:
        """The table as clean text: cells joined by tab, rows by newline."""
        return "\n".join("\t".join(_flat(c) for c in row) for row in self.rows)

    def cell_span(self, row: int, col: int) -> tuple[int, int]:
        """Character span of a cell inside `render()`."""
        pos = 0
        for r, cells in enumerate(self.rows):
            for c, cell in enumerate(cells):
                n = len(_flat(cell))
                if (r, c) == (row, col):
                    return pos, pos + n
                pos += n + 1  # the tab or newline after the cell
        raise IndexError((row, col))


def _flat(cell: str) -> str:
    return cell.replace("\t", " ").replace("\n", " ")


class Block(_Model):
    """One unit of a document in reading order."""

    id: str = ""  # "<doc_id>:b<index>", set by structure
    index: int = 0
    kind: BlockKind
    text: str  # clean text of the block (a table: Table.render())
    level: int | None = None  # heading level 1.. (一、=1, （一）=2, 1.=3, （1）=4, ①=5)
    number: str | None = None  # the printed number: "一、", "（一）", "1.", "①"
    section_path: list[str] = Field(default_factory=list)  # headings above, outermost first
    start: int = 0  # span in Document.text
    end: int = 0
    page: int | None = None  # 1-based, PDF only
    table: Table | None = None
    style: str | None = None  # source style name (docx), a hint for heading detection


class Document(_Model):
    doc_id: str  # sha256 of the file content, first 16 hex digits
    path: str  # relative to the input folder, forward slashes
    format: str  # docx | pdf | text | tika | html
    encoding: str | None = None
    size: int = 0
    sha256: str = ""
    pages: int | None = None
    text: str = ""  # the clean text: blocks joined by "\n"
    blocks: list[Block] = Field(default_factory=list)
    meta: dict[str, str] = Field(default_factory=dict)  # header fields: 索引号, 发布机构, ...
    warnings: list[str] = Field(default_factory=list)


class Span(_Model):
    block_id: str
    start: int
    end: int
    page: int | None = None


# --------------------------------------------------------------------------
# Extracted records
# --------------------------------------------------------------------------


class Provenance(_Model):
    """Where an extracted row came from; every record carries these fields."""

    doc_id: str
    block_id: str
    section_path: list[str] = Field(default_factory=list)
    start: int  # character span of the evidence in Document.text
    end: int
    page: int | None = None
    evidence: str
    source: Source = "text"
    table_id: str | None = None  # block id of the table, for table sources
    table_row: int | None = None
    table_col: int | None = None


class Target(Provenance):
    target_id: str = ""
    indicator: str
    scope: str | None = None
    value: float
    value_high: float | None = None
    unit: str
    base_value: float | None = None
    base_value_high: float | None = None
    base_unit: str | None = None
    comparator: Comparator = "="
    ambition: Ambition | None = None
    kind: TargetKind = "level"
    year: int | None = None
    year_start: int | None = None
    baseline_value: float | None = None
    baseline_year: int | None = None
    lower: float | None = None  # bounds in base units, from comparator and range
    upper: float | None = None
    attribute: str | None = None  # 预期性 / 约束性 from indicator tables
    agencies: list[str] = Field(default_factory=list)


class Project(Provenance):
    project_id: str = ""
    seq: int | None = None
    key: bool = False
    name: str
    project_type: str | None = None
    start_year: int | None = None
    end_year: int | None = None
    location: str | None = None
    content: str | None = None
    total_investment: float | None = None
    planned_investment: float | None = None
    investment_unit: str | None = None
    total_investment_yuan: float | None = None
    planned_investment_yuan: float | None = None
    builder: str | None = None
    origin: str | None = None
    list_title: str | None = None
    repaired: bool = False


class Task(Provenance):
    task_id: str = ""
    number: str | None = None
    title: str
    section: str | None = None
    lead: list[str] = Field(default_factory=list)
    support: list[str] = Field(default_factory=list)


class Agency(_Model):
    agency_id: str  # hash of the canonical name
    name: str  # canonical full name (县经信局 -> 桐庐县经济和信息化局)
    region: str | None = None
    names: list[str] = Field(default_factory=list)  # as written, in first-seen order


class TargetAgency(_Model):
    target_id: str
    agency_id: str
    position: int  # 0 = lead
    name: str  # as written


class TaskAgency(_Model):
    task_id: str
    agency_id: str
    role: Literal["lead", "support"]
    position: int
    name: str


class DocumentMeta(_Model):
    """One row of the `documents` table."""

    doc_id: str
    path: str
    format: str
    encoding: str | None = None
    size: int = 0
    sha256: str = ""
    pages: int | None = None
    n_blocks: int = 0
    title: str | None = None
    region: str | None = None
    region_code: str | None = None
    province: str | None = None
    city: str | None = None
    issuer: str | None = None
    doc_type: str | None = None
    publish_date: str | None = None
    doc_number: str | None = None  # 文号
    index_number: str | None = None  # 索引号
    plan_start: int | None = None
    plan_end: int | None = None
    warnings: list[str] = Field(default_factory=list)


class BlockRecord(_Model):
    """One row of the `blocks` table: the normalised text, for reading and search."""

    block_id: str
    doc_id: str
    index: int
    kind: BlockKind
    level: int | None = None
    number: str | None = None
    section_path: list[str] = Field(default_factory=list)
    text: str
    start: int
    end: int
    page: int | None = None
    caption: str | None = None
    n_rows: int | None = None
    n_cols: int | None = None


class ErrorRecord(_Model):
    """A file that could not be processed, or was skipped, and why."""

    path: str
    stage: str  # discover | sniff | ingest | structure | extract | skip
    error_type: str  # e.g. encrypted_pdf, scanned_pdf, legacy_doc, empty_file, timeout
    message: str  # a sentence a person understands
    sha256: str | None = None
    size: int | None = None
    skipped: bool = False  # True: deliberately not processed (unsupported, hidden, duplicate)


class FileResult(_Model):
    """Everything one input file yields: the unit a worker returns."""

    path: str
    sha256: str | None = None
    document: DocumentMeta | None = None
    blocks: list[BlockRecord] = Field(default_factory=list)
    targets: list[Target] = Field(default_factory=list)
    projects: list[Project] = Field(default_factory=list)
    tasks: list[Task] = Field(default_factory=list)
    agencies: list[Agency] = Field(default_factory=list)
    target_agencies: list[TargetAgency] = Field(default_factory=list)
    task_agencies: list[TaskAgency] = Field(default_factory=list)
    error: ErrorRecord | None = None
