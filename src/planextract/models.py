"""The data model every stage shares.

ingest  -> Document (blocks: headings, paragraphs, tables; clean text; spans)
extract -> Target, Project, Task, Agency, DocumentMeta (each with provenance)
load    -> one Arrow table per record model (see load/tables.py)

Field names of the record models are the public column names of the output
tables; GUIDELINES.md (the gold format) names most of them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

BlockKind = Literal["heading", "paragraph", "table"]
Source = Literal["text", "table"]
Comparator = Literal[">=", ">", "<=", "<", "~", "="]
Ambition = Literal["firm", "aspirational"]
TargetKind = Literal["level", "increase", "growth_rate", "ratio", "reduction"]
Period = Literal["year", "five_year", "months"]


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
    # Where each row starts in render(), computed on first use (extractors ask for many cells of one table).
    _row_starts: list[int] | None = PrivateAttr(default=None)

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
        return "\n".join(["\t".join([c.replace("\t", " ").replace("\n", " ") for c in row]) for row in self.rows])

    def cell_span(self, row: int, col: int) -> tuple[int, int]:
        """Character span of a cell inside `render()`."""
        # Read through __pydantic_private__: pydantic's attribute hook for
        # private attributes costs more than the look-up itself.
        starts = self.__pydantic_private__["_row_starts"]
        if starts is None:  # rows are final once structure has run; extraction only reads
            starts, pos = [], 0
            for cells in self.rows:
                starts.append(pos)
                # render() swaps tabs and newlines one for one (lengths stay); a tab
                # or a newline follows every cell.
                pos += sum(map(len, cells)) + len(cells)
            self._row_starts = starts
        if not (0 <= row < len(self.rows) and 0 <= col < len(self.rows[row])):
            raise IndexError((row, col))
        cells = self.rows[row]
        start = starts[row] + sum(map(len, cells[:col])) + col
        return start, start + len(cells[col])


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
    ocr: bool = False  # read from a page image by OCR
    ocr_confidence: float | None = None  # the OCR engine's mean confidence over the block's lines, 0..1


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

    doc_id: str = Field(description="The document the record comes from (documents.doc_id).")
    block_id: str = Field(description="The block holding the evidence (blocks.block_id).")
    section_path: list[str] = Field(
        default_factory=list,
        description="Headings above the evidence, outermost first.",
    )
    char_start: int = Field(
        description="Start of the evidence: character offset in the document's clean text (document_text.clean_text).",
    )
    char_end: int = Field(
        description="End of the evidence (exclusive): clean_text[char_start:char_end] == evidence.",
    )
    page: int | None = Field(None, description="1-based page of the evidence (PDF only).")
    evidence: str = Field(description="The exact text the record was read from.")
    source: Source = Field(
        "text",
        description="Where the record was read: 'text' (prose) or 'table' (a table row or cell).",
    )
    table_id: str | None = Field(None, description="Block id of the table, for table sources.")
    table_row: int | None = Field(
        None,
        description="Row of the table the record was read from (index into the table's rows), for table sources.",
    )
    table_col: int | None = Field(
        None,
        description="Column of the table the value was read from, for table sources.",
    )
    rule: str | None = Field(
        None,
        description="The extraction rule that produced the record (e.g. 'prose.target', 'table.indicator_row'), so a wrong row can be traced to its rule.",
    )
    ocr: bool = Field(False, description="True where the evidence was read by OCR from a page image.")
    ocr_confidence: float | None = Field(
        None,
        description="The OCR engine's confidence (0..1) for the evidence's block; null unless ocr.",
    )


class Target(Provenance):
    """A forward-looking quantitative goal: a number and unit set for an indicator and a year."""

    target_id: str = Field(
        "",
        description="Unique, stable id of the target ('<doc_id>-t<n>' when the extractor sets none).",
    )
    indicator: str = Field(
        description="The indicator: a short noun phrase from the text, values, years and qualifiers removed (for a growth_rate target the rate word is left out).",
    )
    indicator_code: str | None = Field(
        None,
        description="Code of the canonical indicator (the indicators table) the indicator maps to; null where none fits.",
    )
    scope: str | None = Field(
        None,
        description="The sub-unit the target is for when narrower than the whole region: an industry, a town, a platform.",
    )
    value: float = Field(description="The number as the text gives it, Chinese numerals converted.")
    value_high: float | None = Field(
        None,
        description="Upper end of a range ('5-8家' -> value 5, value_high 8).",
    )
    unit: str = Field(
        description="The unit as written next to the number, magnitude included (亿元, %, 家, 万亩), or the implied one.",
    )
    base_value: float | None = Field(None, description="value converted to base_unit.")
    base_value_high: float | None = Field(None, description="value_high converted to base_unit.")
    base_unit: str | None = Field(
        None,
        description="The base unit: 元, %, 百分点, 亩, 平方米, 千瓦, 千瓦时, 吨, 吨标准煤, 立方米, or the count word itself (家, 个, 项, ...).",
    )
    comparator: Comparator = Field(
        "=",
        description="'>=' 以上/不低于/至少; '>' 超过/突破; '<=' 以下/以内/不超过; '<' 低于; '~' 左右/约; '=' otherwise.",
    )
    ambition: Ambition | None = Field(
        None,
        description="'firm' for 确保/必须, 'aspirational' for 力争/争取/努力; null otherwise.",
    )
    kind: TargetKind = Field(
        "level",
        description="level (an amount or stock), increase (new things: 新增, 引进), growth_rate (增速, 年均增长), ratio (比重, 覆盖率), reduction (下降, 减少).",
    )
    year: int | None = Field(
        None,
        description="The year the target is for: stated, else the section's, else the document's plan_end.",
    )
    year_start: int | None = Field(
        None,
        description="First year of a stated period ('2022－2025年，每年…' -> 2022).",
    )
    baseline_value: float | None = Field(
        None,
        description="The starting value the same sentence or table row gives.",
    )
    baseline_year: int | None = Field(None, description="The year of baseline_value.")
    lower: float | None = Field(
        None,
        description="Lower bound in base units, from comparator and range; null when unbounded.",
    )
    upper: float | None = Field(
        None,
        description="Upper bound in base units, from comparator and range; null when unbounded.",
    )
    attribute: str | None = Field(None, description="预期性 / 约束性, from indicator tables.")
    agencies: list[str] = Field(
        default_factory=list,
        description="Responsible agencies for this target as written, lead first.",
    )


class Actual(Provenance):
    """A reported realised figure: a number the document gives as already reached for a past period."""

    actual_id: str = Field(
        "",
        description="Unique, stable id of the actual ('<doc_id>-a<n>' when the extractor sets none).",
    )
    indicator: str = Field(description="The indicator, a short noun phrase from the text (as for targets).")
    indicator_code: str | None = Field(
        None,
        description="Code of the canonical indicator (the indicators table); null where none fits.",
    )
    scope: str | None = Field(None, description="The sub-area or sub-entity the figure belongs to.")
    value: float = Field(description="The number as the text gives it, Chinese numerals converted.")
    value_high: float | None = Field(None, description="Upper end of a range.")
    unit: str = Field(description="The unit as written next to the number, magnitude included.")
    base_value: float | None = Field(None, description="value converted to base_unit.")
    base_unit: str | None = Field(None, description="The base unit (元, %, 百分点, 吨, the count word ...).")
    comparator: Comparator = Field(
        "=",
        description="'>' 超/突破/多/余; '>=' 以上; '~' 左右/约/近; '=' otherwise.",
    )
    kind: TargetKind = Field("level", description="level, increase, growth_rate, ratio or reduction, as for targets.")
    year: int | None = Field(None, description="The (last) year the figure is for.")
    year_start: int | None = Field(None, description="First year of a plan-period figure (十四五时期累计… -> 2021).")
    period: Period = Field(
        "year",
        description="'year' (a figure for one year), 'five_year' (over a plan period) or 'months' (part of a year).",
    )
    months: str | None = Field(None, description="The months of a partial-year figure ('1-4'); null unless period is months.")


class Indicator(_Model):
    """One canonical indicator of the catalogue (rules/indicators.toml): a row of the `indicators` table."""

    code: str = Field(
        pattern=r"^[a-z][a-z0-9_]*$",
        description="Stable code of the indicator (targets.indicator_code, actuals.indicator_code refer to it).",
    )
    name: str = Field(description="The Chinese name (地区生产总值, 城镇调查失业率).")
    topic: str = Field(description="A coarse grouping: macro, industry, innovation, fiscal, employment, environment, ...")
    unit_family: str = Field(
        description="Family of the indicator's own value: currency, percent, count, mass, energy, power, area, ...",
    )
    units: list[str] = Field(
        default_factory=list,
        description="Base units the indicator accepts; empty: any base unit of its family.",
    )
    kinds: list[str] = Field(
        description="The kinds of target or actual it takes: level, increase, growth_rate, ratio, reduction.",
    )
    direction: str | None = Field(
        None,
        description="'higher' or 'lower': which way of the indicator's value is better (for a reduction, the fall "
                    "itself is better higher); null where neither.",
    )
    synonyms: list[str] = Field(default_factory=list, description="Other names that map to it, as documents print them.")
    patterns: list[str] = Field(
        default_factory=list,
        description="Regular expressions that map an indicator to it when they match the whole normalised name.",
    )


class Project(Provenance):
    """One row of a project list (重大项目清单 and the like)."""

    project_id: str = Field(
        "",
        description="Unique, stable id of the project ('<doc_id>-p<n>' when the extractor sets none).",
    )
    seq: int | None = Field(None, description="The row's number as printed.")
    key: bool = Field(False, description="True where the row is marked (★) as a key project.")
    name: str = Field(description="The project's name.")
    project_type: str | None = Field(None, description="实施类, 前期类, 储备类, ... as printed.")
    start_year: int | None = Field(
        None,
        description="First year of the construction period; null for 待定.",
    )
    end_year: int | None = Field(
        None,
        description="Last year of the construction period; null for 待定.",
    )
    location: str | None = Field(None, description="建设地点 as written.")
    content: str | None = Field(None, description="建设内容和规模, whitespace collapsed.")
    total_investment: float | None = Field(
        None,
        description="Total investment in the table's own unit (investment_unit).",
    )
    planned_investment: float | None = Field(
        None,
        description="Investment within the plan period, in investment_unit; null for 待定.",
    )
    investment_unit: str | None = Field(
        None,
        description="Unit of the investment columns as the table gives it (万元, 亿元).",
    )
    total_investment_yuan: float | None = Field(
        None,
        description="total_investment converted to 元.",
    )
    planned_investment_yuan: float | None = Field(
        None,
        description="planned_investment converted to 元.",
    )
    builder: str | None = Field(None, description="建设单位 (the builder or owner) as written.")
    origin: str | None = Field(None, description="项目来源 as written.")
    list_title: str | None = Field(
        None,
        description="Title of the project list the row comes from.",
    )
    repaired: bool = Field(
        False,
        description="True where the row had to be repaired (cells rejoined or realigned) before it could be read.",
    )


class Task(Provenance):
    """A work item naming responsible agencies (责任单位, or 牵头/配合单位 list rows)."""

    task_id: str = Field(
        "",
        description="Unique, stable id of the task ('<doc_id>-k<n>' when the extractor sets none).",
    )
    number: str | None = Field(
        None,
        description="The item's number as printed ('1', '(一)'), or the row's 序号.",
    )
    title: str = Field(description="The item's heading sentence or the row's name.")
    section: str | None = Field(
        None,
        description="The heading the item sits under, as printed, or the list's title.",
    )
    lead: list[str] = Field(default_factory=list, description="Lead agencies as written (牵头单位).")
    support: list[str] = Field(
        default_factory=list,
        description="The other responsible agencies as written, in order (配合单位).",
    )


class Agency(_Model):
    """A government body, under its canonical name, with the names it is written as."""

    agency_id: str = Field(description="Hash of the canonical name.")
    name: str = Field(description="Canonical full name (县经信局 -> 桐庐县经济和信息化局).")
    region: str | None = Field(
        None,
        description="The region whose government the agency belongs to.",
    )
    names: list[str] = Field(
        default_factory=list,
        description="The names as written, in first-seen order.",
    )


class TargetAgency(_Model):
    """Links a target to the agencies responsible for it, in the order written."""

    target_id: str = Field(description="The target (targets.target_id).")
    agency_id: str = Field(description="The agency (agencies.agency_id).")
    position: int = Field(description="Place in the target's agency list; 0 = lead.")
    name: str = Field(description="The agency's name as written.")


class TaskAgency(_Model):
    """Links a task to its lead and supporting agencies, in the order written."""

    task_id: str = Field(description="The task (tasks.task_id).")
    agency_id: str = Field(description="The agency (agencies.agency_id).")
    role: Literal["lead", "support"] = Field(description="'lead' (牵头) or 'support' (配合).")
    position: int = Field(description="Place in the task's list for this role; 0 = first.")
    name: str = Field(description="The agency's name as written.")


class DocumentMeta(_Model):
    """One row of the `documents` table."""

    doc_id: str = Field(
        description="The document's id: the first 16 hex digits of the SHA-256 of the file content.",
    )
    path: str = Field(description="Path of the file relative to the input folder, forward slashes.")
    format: str = Field(
        description="The format the content really is: docx, pdf, text, tika or html.",
    )
    encoding: str | None = Field(None, description="Text encoding detected (text and html files).")
    size: int = Field(0, description="File size in bytes.")
    sha256: str = Field("", description="SHA-256 of the file content (hex).")
    pages: int | None = Field(None, description="Number of pages (PDF only).")
    n_blocks: int = Field(0, description="Number of blocks (headings, paragraphs, tables) read.")
    title: str | None = Field(None, description="The document's own title, without 《》 or quotes.")
    region: str | None = Field(
        None,
        description=(
            "The administrative area the document governs, as a full name (桐庐县); 全国 for a national"
            " document; null when the text does not tell."
        ),
    )
    region_code: str | None = Field(None, description="Six-digit GB/T 2260 code of region (null for 全国).")
    province: str | None = Field(
        None,
        description="The province above region; a province-level region is its own province (北京市).",
    )
    city: str | None = Field(
        None,
        description="The prefecture-level city above region (null for a city itself).",
    )
    issuer: str | None = Field(
        None,
        description="The body that issued or drafted the document, as written.",
    )
    doc_type: str | None = Field(
        None,
        description="One of 规划, 行动计划, 工作要点, 意见, 通知, 办法, 方案, 说明, 报告, 其他.",
    )
    publish_date: str | None = Field(
        None,
        description="Publication date as stated: YYYY-MM-DD or YYYY-MM.",
    )
    doc_number: str | None = Field(None, description="文号, the document number as printed.")
    index_number: str | None = Field(
        None,
        description="索引号, the index number of the publishing site.",
    )
    plan_start: int | None = Field(
        None,
        description="First year the document plans for (十四五 -> 2021).",
    )
    plan_end: int | None = Field(
        None,
        description="Last year the document plans for (十四五 -> 2025).",
    )
    warnings: list[str] = Field(
        default_factory=list,
        description="Problems noticed while reading the file that did not stop it.",
    )


class BlockRecord(_Model):
    """One row of the `blocks` table: the normalised text, for reading and search."""

    block_id: str = Field(description="The block's id: '<doc_id>:b<index>'.")
    doc_id: str = Field(description="The document (documents.doc_id).")
    index: int = Field(description="Position in reading order, from 0.")
    kind: BlockKind = Field(description="heading, paragraph or table.")
    level: int | None = Field(
        None,
        description="Heading level 1.. (一、=1, （一）=2, 1.=3, （1）=4, ①=5); null for other blocks.",
    )
    number: str | None = Field(None, description="The printed number of a heading: 一、, （一）, 1., ①.")
    section_path: list[str] = Field(
        default_factory=list,
        description="Headings above the block, outermost first.",
    )
    text: str = Field(
        description="Clean text of the block (a table: cells joined by tab, rows by newline).",
    )
    char_start: int = Field(
        description="Start of the block: character offset in the document's clean text.",
    )
    char_end: int = Field(description="End of the block (exclusive) in the document's clean text.")
    page: int | None = Field(None, description="1-based page (PDF only).")
    ocr: bool = Field(False, description="True where the block was read by OCR from a page image.")
    ocr_confidence: float | None = Field(None, description="The OCR engine's mean confidence (0..1); null unless ocr.")
    caption: str | None = Field(None, description="The table's caption (tables only).")
    n_rows: int | None = Field(
        None,
        description="Number of table rows, header rows included (tables only).",
    )
    n_cols: int | None = Field(None, description="Number of table columns (tables only).")


class ErrorRecord(_Model):
    """A file that could not be processed, or was skipped, and why."""

    path: str = Field(description="Path of the file relative to the input folder.")
    stage: str = Field(
        description="Where it stopped: discover, read, ingest, structure, extract, process (timeouts, crashed workers) or load.",
    )
    error_type: str = Field(
        description="A short stable code: encrypted_pdf, scanned_pdf, legacy_doc, empty_file, timeout, duplicate_content, hidden_file, ...",
    )
    message: str = Field(description="What went wrong, in a sentence a person understands.")
    sha256: str | None = Field(
        None,
        description="SHA-256 of the file content, when it could be read.",
    )
    size: int | None = Field(None, description="File size in bytes, when known.")
    skipped: bool = Field(
        False,
        description="True: deliberately not processed (hidden, unsupported, duplicate, too large); false: processing failed.",
    )


class FileResult(_Model):
    """Everything one input file yields: the unit a worker returns."""

    path: str
    sha256: str | None = None
    document: DocumentMeta | None = None
    blocks: list[BlockRecord] = Field(default_factory=list)
    targets: list[Target] = Field(default_factory=list)
    actuals: list[Actual] = Field(default_factory=list)
    projects: list[Project] = Field(default_factory=list)
    tasks: list[Task] = Field(default_factory=list)
    agencies: list[Agency] = Field(default_factory=list)
    target_agencies: list[TargetAgency] = Field(default_factory=list)
    task_agencies: list[TaskAgency] = Field(default_factory=list)
    error: ErrorRecord | None = None
