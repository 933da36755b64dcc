"""The schema of every rule file: one pydantic model per file, checked on load.

A rule file must hold exactly the keys its model declares, each of the
declared type: an unknown key (a typo), a missing key, a wrong type, a word
listed twice or a regular expression that does not compile is an error that
names the file and the entry (`rules.RulesError`), never a vocabulary that
silently does nothing.

To add a key to a rule file, add a field to its model below (with a comment
saying what it holds); to add a rule file, add a model and an entry in
`SCHEMAS`. The field types:

    Words     a list of strings, each listed once
    Patterns  a list of regular expressions (Python `regex` syntax), each once
    Pattern   one regular expression
    Factor    a number (an integer is fine)
    str, int  a string, an integer (strict: "24" is not 24)

Files that depend on each other are checked together in `CROSS_CHECKS`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, StringConstraints

from planextract.rules.fields import Factor, Pattern, Patterns, Words, _unique
from planextract.rules.indicators import Indicators  # imports planextract.rules, but uses it only when called

# --------------------------------------------------------------------------
# field types
# --------------------------------------------------------------------------


def _as_tuple(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value  # TOML has arrays, not tuples


DocType = Literal["规划", "行动计划", "工作要点", "意见", "通知", "办法", "方案", "说明", "报告", "其他"]
ComparatorSign = Literal[">=", ">", "<=", "<", "~"]
TargetKind = Literal["level", "increase", "growth_rate", "ratio", "reduction"]


class RuleModel(BaseModel):
    """A table of a rule file: only the declared keys, each of its declared type."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


# --------------------------------------------------------------------------
# comparators.toml
# --------------------------------------------------------------------------


class _ComparatorWords(RuleModel):
    before: dict[ComparatorSign, Words]  # words printed before the number
    after: dict[ComparatorSign, Words]  # words printed after the number and unit


class _KindWords(RuleModel):
    growth_rate: Words
    reduction: Words
    reduction_verbs: Words  # opening an indicator of an amount cut
    ratio: Words
    increase: Words
    reach: Words


class Comparators(RuleModel):
    comparator: _ComparatorWords
    ambition: dict[Literal["firm", "aspirational"], Words]
    kind: _KindWords


# --------------------------------------------------------------------------
# targets.toml
# --------------------------------------------------------------------------


class Targets(RuleModel):
    sentence_end: str  # characters, not words
    clause_sep: str
    past_cues: Words
    weak_past_cues: Words  # past only in a document with no year of its own
    future_cues: Words
    past_sections: Words
    strong_past_cues: Words  # words that make a sentence a review over any future-looking word (五年来)
    rest_of_year_openings: Words  # openings that turn from the year so far to its rest (下半年)
    review_headings: Words  # a heading with one of these and one year reviews that year (2019年工作回顾)
    rule_cues: Words
    drop_prefixes: Words
    bare_measures: Words
    light_words: Words
    indicator_endings: Words
    drop_endings: Words
    drop_suffixes: Words
    prefix_words: Words  # words a one-character drop prefix opens, kept whole (使用外资)
    measure_reach_verbs: Words  # cut after a measure (地区生产总值完成46.1亿元), kept opening a phrase
    generic_industries: Words
    scope_suffixes: Words
    platform_suffixes: Words  # scopes that carry to the next clause
    core_indicators: Words
    not_indicators: Words
    not_counted: Words
    streak_words: Words
    rank_words: Words
    rank_units: Words
    progress_cues: Words
    plan_figure_cues: Words
    description_cues: Words
    definition_marks: Words  # words in a bracket that define a term (下同): its numbers are no goals
    listed_item_heads: Words  # words before a bracketed count of the items under a heading (工作（8项）)
    task_heads: Words  # indicators that only name the task (全年任务为…): the clause's topic is meant
    done_marks: Words  # words just before a number that say it is done already (实际完成, 已达)
    so_far_words: Words  # words that date a progress report's amounts (截至)
    project_nouns: Words  # in a progress report, a plain count of these is the project list's size
    project_count_units: Words  # the units such a count is in (项, 宗, 个)
    list_verbs: Words
    industry_verbs: Words
    point_change_words: Words
    list_predicates: Words
    reach_people_verbs: Words
    past_year_words: Words
    past_plan_words: Words
    future_year_words: Words
    future_plan_words: Words
    opening_salutations: Words


# --------------------------------------------------------------------------
# doc_types.toml
# --------------------------------------------------------------------------


class _Captions(RuleModel):
    suffixes: Patterns


class _Title(RuleModel):
    self_reference: Patterns
    issued_in_body: Patterns
    issuing_verbs: Words
    captions: _Captions


class _Period(RuleModel):
    single_year: Annotated[list[DocType], AfterValidator(_unique)]
    single_year_titles: Words


class _Report(RuleModel):
    titles: Words
    issuer: str  # {region}
    title: str  # {year}, {region}, {title}


class _NationalRegion(RuleModel):
    national: str
    national_issuers: Words
    national_suffixes: Words
    level_words: Words
    national_addressees: Words
    organ_words: Words


class _GenreRule(RuleModel):
    type: DocType
    where: Literal["headings", "blocks"]
    pattern: Pattern
    min: int


class _Header(RuleModel):
    """Header fields (doc.meta keys) per metadata field, in order of preference."""

    title: Words
    issuer: Words
    date: Words
    source: Words
    doc_number: Words
    index_number: Words


class _Issuer(RuleModel):
    org_suffixes: Words
    first_person: Words
    scope_lines: Patterns


class DocTypes(RuleModel):
    cues: dict[str, DocType]
    title: _Title
    period: _Period
    report: _Report
    region: _NationalRegion
    genre: Annotated[list[_GenreRule], AfterValidator(_unique)]
    header: _Header
    header_aliases: dict[str, str]
    issuer: _Issuer


# --------------------------------------------------------------------------
# indicator_tables.toml
# --------------------------------------------------------------------------


class _Rows(RuleModel):
    total: Words
    whole_region_prefix: Words


class _Cells(RuleModel):
    empty: Words
    prose_punctuation: Words
    prose_min_chars: int
    prose_skip_columns: Words
    period_prefix: Words
    increase_prefix: Words
    neutral_prefix: Words


class _Names(RuleModel):
    growth_suffix: Words
    reduction_suffix: Words
    leading: Patterns
    plan_words: Words
    implied_unit: dict[str, str]


class _TableCaptions(RuleModel):
    label: Pattern
    period: Patterns
    region: Pattern
    breakdown: Pattern
    leading: Patterns
    trailing: Words
    qualifier_suffix: Words
    qualifier_min_rest: int
    past: Words
    months: dict[Pattern, str]  # pattern -> months template ({0}, {1}: its groups)


class IndicatorTables(RuleModel):
    rows: _Rows
    cells: _Cells
    names: _Names
    captions: _TableCaptions


# --------------------------------------------------------------------------
# noise.toml
# --------------------------------------------------------------------------


class _Html(RuleModel):
    drop_tags: Words
    chrome_tags: Words
    chrome_words: Words
    generic_words: Words
    content_words: Words
    title_words: Words


class Noise(RuleModel):
    inline: Patterns
    lines: Patterns
    meta_keys: Words
    meta_stops: Words
    label_keys: Words
    html: _Html


# --------------------------------------------------------------------------
# project_headers.toml
# --------------------------------------------------------------------------


class _ProjectTypes(RuleModel):
    words: Words
    suffixes: Words


class ProjectHeaders(RuleModel):
    min_other_fields: int
    unknown: Words
    key_marks: Words
    investment_units: Words  # converted with units.toml
    types: _ProjectTypes


# --------------------------------------------------------------------------
# units.toml
# --------------------------------------------------------------------------


class _Counts(RuleModel):
    words: Words


class Units(RuleModel):
    magnitudes: dict[str, Factor]
    words: dict[str, Annotated[tuple[str, Factor], BeforeValidator(_as_tuple)]]  # word -> [base unit, factor]
    aliases: dict[str, str]
    alias_not_before: dict[str, Words]  # an alias is no unit before these characters (80项目标任务: 项 + 目标)
    counts: _Counts
    implied: dict[str, Words]  # implied unit -> indicator cue words
    # A figure said in words (翻一番): [value, unit, kind, comparator or ""].
    worded: dict[str, Annotated[tuple[Factor, str, TargetKind, ComparatorSign | Literal[""]], BeforeValidator(_as_tuple)]]


# --------------------------------------------------------------------------
# agencies.toml
# --------------------------------------------------------------------------


class _AgencyPattern(RuleModel):
    match: Pattern
    name: str


class _Splitting(RuleModel):
    separators: str  # characters, not words
    joint_levels: Pattern
    trailing: Words
    trailing_pattern: Pattern
    leading: Words
    level_prefixes: Words
    not_prefixes: Words
    name_endings: Words


class Agencies(RuleModel):
    full_names: dict[str, str]
    patterns: Annotated[list[_AgencyPattern], AfterValidator(_unique)]
    splitting: _Splitting


# --------------------------------------------------------------------------
# periods.toml
# --------------------------------------------------------------------------


class _PlanNames(RuleModel):
    named: Patterns  # {plan}: a plan (十四五), {ordinal}: the same without its 五
    period: Patterns


class _FiveYear(RuleModel):
    span: int
    plans: dict[str, int]  # plan -> its first year
    names: _PlanNames


class _Relative(RuleModel):
    patterns: Patterns  # each captures the number of years as n
    this_year: Words  # the document's own year (今年)


class Periods(RuleModel):
    five_year: _FiveYear
    relative: _Relative


# --------------------------------------------------------------------------
# responsibility.toml
# --------------------------------------------------------------------------


class _Labels(RuleModel):
    lead: Words
    support: Words
    neutral: Words
    other: Words
    max_prefix: int


class _Roles(RuleModel):
    lead: Words
    support: Words
    neutral: Words


class _Conventions(RuleModel):
    first_leads: Patterns
    remarks: Words


class Responsibility(RuleModel):
    labels: _Labels
    roles: _Roles
    conventions: _Conventions


# --------------------------------------------------------------------------
# table_columns.toml
# --------------------------------------------------------------------------


class _IndicatorColumns(RuleModel):
    seq: Words
    attribute: Words
    unit: Words
    growth: Words
    baseline: Words
    target: Words
    actual: Words
    count: Words
    indicator_name: Words
    scope_name: Words
    category: Words
    deadline: Words
    skip: Words


class _ProjectColumns(RuleModel):
    """Header words per Project field (period fills start_year and end_year)."""

    seq: Words
    name: Words
    total_investment: Words
    planned_investment: Words
    project_type: Words
    period: Words
    location: Words
    content: Words
    builder: Words
    origin: Words


class _TaskColumns(RuleModel):
    seq: Words
    name: Words
    content: Words
    category: Words
    not_task: Words


class _Shapes(RuleModel):
    """Cell shapes that give a headerless table its column roles."""

    min_cells: int
    seq: Pattern
    category: Pattern
    deadline: Pattern
    phone: Pattern
    person: Pattern
    prose: Pattern


class TableColumns(RuleModel):
    indicator: _IndicatorColumns
    project: _ProjectColumns
    task: _TaskColumns
    shapes: _Shapes


def _fullwidth_only(chars: str) -> str:
    odd = [c for c in chars if not 0xFF01 <= ord(c) <= 0xFF5E]
    if odd:
        raise ValueError(f"not full-width ASCII forms (U+FF01-U+FF5E): {''.join(odd)!r}")
    if len(set(chars)) != len(chars):
        raise ValueError("a character listed twice")
    return chars


class Normalise(RuleModel):
    """The matching view (extract/normalise.py)."""

    # Full-width forms kept as they are (the punctuation the rules are written for); the others read as ASCII.
    keep_fullwidth: Annotated[str, AfterValidator(_fullwidth_only)]


# --------------------------------------------------------------------------
# the files, and the checks across them
# --------------------------------------------------------------------------

# The model of each TOML rule file, by stem. indicators.toml's lives with its reader
# (rules/indicators.py), which checks it against units.toml too.
SCHEMAS: dict[str, type[BaseModel]] = {
    "agencies": Agencies,
    "indicators": Indicators,
    "comparators": Comparators,
    "doc_types": DocTypes,
    "indicator_tables": IndicatorTables,
    "noise": Noise,
    "normalise": Normalise,
    "periods": Periods,
    "project_headers": ProjectHeaders,
    "responsibility": Responsibility,
    "table_columns": TableColumns,
    "targets": Targets,
    "units": Units,
}



# --------------------------------------------------------------------------
# gazetteer.csv and jieba_userdict.txt: one model per row
# --------------------------------------------------------------------------

# Checked by pydantic's own pattern matching: a Python validator per cell costs 0.1 s on 3,000 rows.
_Code = Annotated[str, StringConstraints(pattern=r"^[0-9]{6}$")]  # GB/T 2260
_OptionalCode = Annotated[str, StringConstraints(pattern=r"^(?:[0-9]{6})?$")]


class GazetteerRow(RuleModel):
    """One administrative division (written by scripts/make_gazetteer.py); empty cells for 'none'."""

    code: _Code
    name: str
    short_name: str
    level: Literal["province", "prefecture", "county"]
    province_code: _OptionalCode
    province: str
    city_code: _OptionalCode
    city: str


class UserWord(RuleModel):
    """One line of jieba's user dictionary: word, then optional frequency and part-of-speech tag."""

    word: str
    freq: int | None = None
    tag: str | None = None


# Rule files that are not TOML: name -> the model of one row (see rules.rows).
ROW_SCHEMAS: dict[str, type[RuleModel]] = {"gazetteer.csv": GazetteerRow, "jieba_userdict.txt": UserWord}
# The column whose values must be unique in such a file.
ROW_KEYS = {"gazetteer.csv": "code", "jieba_userdict.txt": "word"}

Loader = Callable[[str], Mapping[str, Any]]


def _header_keys_are_read(load: Loader) -> list[str]:
    """Every doc_types.toml [header] key is a field the ingesters put in doc.meta."""
    noise = load("noise")
    captured = set(noise["meta_keys"]) | set(noise["label_keys"])
    return [
        f"doc_types.toml: header.{field}: {key!r} is never read into a document's header fields "
        "(add it to noise.toml meta_keys or label_keys)"
        for field, keys in load("doc_types")["header"].items()
        for key in keys
        if key not in captured
    ]


# Each takes the loader (stem -> parsed file) and returns the problems found.
CROSS_CHECKS: list[Callable[[Loader], list[str]]] = [_header_keys_are_read]
