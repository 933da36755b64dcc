"""Views that link records across documents: targets with their flags, outcomes and the targets above them.

They need several documents (a target and next year's report of results, a
county and its city), so they are SQL over the built tables, not per-file
results: a file's cached result never depends on the other files.

Definitions (README "Targets and outcomes" repeats them):

- doc_year: the year of a document, from its publish_date, else its plan_start.
- hard_soft: 'soft' where the ambition is aspirational (力争/争取/努力);
  else 'hard' where it is firm (确保/必须); else 'soft' for comparator '~'
  (左右/约); else 'hard' for a bound ('>=' 以上/不低于, '>' 超过/突破,
  '<=' 以内/不超过/控制在, '<' 低于); null for '=' with no ambition word.
  The ambition word decides first because it says how binding the whole
  clause is (力争…以上 is a hope, 确保…左右 a commitment).
- period: 'five_year' for a target of a document planning several years that
  is set for the plan's last year (到2025年… in a 十四五 plan), else 'year'.
- Two records are about the same thing when they share indicator_code, base_unit,
  scope (null equals null) and year, and their kinds agree: the same kind,
  or ratio and growth_rate for an indicator measured in percent (居民消费价格
  涨幅 2% and 居民消费价格上涨 0.2% are one measure).
"""

from __future__ import annotations

# The comparable kinds of two records of one indicator (see above); t and a are the two sides, i the indicator.
_SAME_KIND = """(t.kind = a.kind OR (t.kind IN ('ratio', 'growth_rate') AND a.kind IN ('ratio', 'growth_rate')
        AND i.unit_family = 'percent'))"""

# Targets with their document's region and year, and the flags.
_TARGET_FLAGS = """WITH f AS (
    SELECT t.*, d.region, d.region_code, d.path, d.doc_type, d.publish_date,
           coalesce(TRY_CAST(substr(d.publish_date, 1, 4) AS BIGINT), d.plan_start) AS doc_year,
           CASE WHEN d.plan_start < d.plan_end AND t.year = d.plan_end THEN 'five_year' ELSE 'year' END AS period,
           CASE WHEN t.ambition = 'aspirational' THEN 'soft'
                WHEN t.ambition = 'firm' THEN 'hard'
                WHEN t.comparator = '~' THEN 'soft'
                WHEN t.comparator IN ('>=', '>', '<=', '<') THEN 'hard' END AS hard_soft
    FROM targets AS t JOIN documents AS d ON d.doc_id = t.doc_id
)
SELECT f.*,
       CASE WHEN f.indicator_code IS NOT NULL AND f.region_code IS NOT NULL AND f.doc_year IS NOT NULL THEN EXISTS (
           SELECT 1 FROM f AS o
           WHERE o.region_code = f.region_code AND o.indicator_code = f.indicator_code AND o.kind = f.kind
             AND o.base_unit = f.base_unit AND o.scope IS NOT DISTINCT FROM f.scope
             AND o.base_value = f.base_value AND o.base_value_high IS NOT DISTINCT FROM f.base_value_high
             AND o.doc_year <> f.doc_year) END AS repeated,
       CASE WHEN f.indicator_code IS NOT NULL AND f.region_code IS NOT NULL AND f.doc_year IS NOT NULL THEN EXISTS (
           SELECT 1 FROM f AS o
           WHERE o.region_code = f.region_code AND o.indicator_code = f.indicator_code AND o.kind = f.kind
             AND o.base_unit = f.base_unit AND o.scope IS NOT DISTINCT FROM f.scope AND o.year = f.year
             AND (o.base_value <> f.base_value OR o.base_value_high IS DISTINCT FROM f.base_value_high)
             AND (o.doc_year > f.doc_year
                  OR (o.doc_year = f.doc_year AND o.publish_date > f.publish_date))) END AS revised
FROM f"""

# Each target with the actuals reported for it.
_TARGET_OUTCOMES = f"""WITH a AS (
    SELECT a.*, d.region_code, d.path
    FROM actuals AS a JOIN documents AS d ON d.doc_id = a.doc_id
    WHERE a.indicator_code IS NOT NULL
), pairs AS (
    SELECT t.*, i.name AS indicator_name, i.direction AS indicator_direction,
           a.actual_id, a.doc_id AS actual_doc_id, a.path AS actual_path, a.indicator AS actual_indicator,
           a.kind AS actual_kind, a.value AS actual_value, a.unit AS actual_unit, a.base_value AS actual_base_value,
           a.comparator AS actual_comparator, a.period AS actual_period, a.months AS actual_months,
           a.evidence AS actual_evidence, a.char_start AS actual_char_start, a.char_end AS actual_char_end,
           -- The better way for this record: a reduction is better the larger it is.
           CASE WHEN t.kind = 'reduction' AND i.direction = 'lower' THEN 'higher'
                WHEN t.kind = 'reduction' AND i.direction = 'higher' THEN 'lower'
                ELSE i.direction END AS better
    FROM target_flags AS t
    JOIN indicators AS i ON i.code = t.indicator_code
    JOIN a ON a.region_code = t.region_code AND a.indicator_code = t.indicator_code AND a.year = t.year
          AND a.base_unit = t.base_unit AND a.scope IS NOT DISTINCT FROM t.scope AND {_SAME_KIND}
          -- A flow over a year is compared with one over a year, a five-year one with a five-year one;
          -- a level or a share is a state, whatever the period that reports it.
          AND (t.kind IN ('level', 'ratio') OR a.period = t.period OR (a.period = 'months' AND t.period = 'year'))
)
SELECT region, region_code, indicator_code, indicator_name, year, period,
       target_id, doc_id AS target_doc_id, path AS target_path, indicator AS target_indicator, scope, kind,
       value AS target_value, value_high AS target_value_high, unit AS target_unit,
       base_value AS target_base_value, base_unit, lower, upper, comparator, ambition, hard_soft, repeated, revised,
       actual_id, actual_doc_id, actual_path, actual_indicator, actual_kind, actual_value, actual_unit,
       actual_base_value, actual_comparator, actual_period, actual_months,
       CASE WHEN actual_period = 'months' OR (lower IS NULL AND upper IS NULL) THEN NULL
            ELSE (lower IS NULL OR actual_base_value >= lower - 1e-9 * abs(lower))
             AND (upper IS NULL OR actual_base_value <= upper + 1e-9 * abs(upper)) END AS met,
       CASE WHEN actual_period = 'months' THEN NULL
            WHEN better = 'higher' THEN actual_base_value >= coalesce(lower, base_value) - 1e-9 * abs(base_value)
            WHEN better = 'lower' THEN actual_base_value <= coalesce(upper, base_value_high, base_value)
                                                           + 1e-9 * abs(base_value) END AS reached,
       CASE WHEN actual_period <> 'months' THEN actual_base_value - base_value END AS gap,
       evidence AS target_evidence, char_start AS target_char_start, char_end AS target_char_end,
       actual_evidence, actual_char_start, actual_char_end
FROM pairs"""

# Each target with the same target set by the regions above it (GB/T 2260 prefixes).
_TARGET_CASCADE = """WITH t AS (
    SELECT *,
           CASE WHEN substr(region_code, 3, 4) = '0000' THEN 'province'
                WHEN substr(region_code, 5, 2) = '00' THEN 'prefecture' ELSE 'county' END AS region_level
    FROM target_flags
    WHERE indicator_code IS NOT NULL AND regexp_full_match(coalesce(region_code, ''), '[0-9]{6}')
), up AS (
    SELECT *, substr(region_code, 1, 4) || '00' AS above_code, 'prefecture' AS above_level, 1 AS above_rank
    FROM t WHERE region_level = 'county'
    UNION ALL
    SELECT *, substr(region_code, 1, 2) || '0000', 'province', 2
    FROM t WHERE region_level IN ('county', 'prefecture')
), pairs AS (
    SELECT up.*, u.region AS above_region, u.region_code AS above_region_code, u.target_id AS above_target_id,
           u.doc_id AS above_doc_id, u.path AS above_path, u.indicator AS above_indicator, u.value AS above_value,
           u.value_high AS above_value_high, u.unit AS above_unit, u.base_value AS above_base_value,
           u.comparator AS above_comparator, u.ambition AS above_ambition, u.hard_soft AS above_hard_soft,
           u.evidence AS above_evidence
    FROM up JOIN t AS u
      ON u.region_code = up.above_code AND u.indicator_code = up.indicator_code AND u.year = up.year
     AND u.kind = up.kind AND u.base_unit = up.base_unit AND u.scope IS NOT DISTINCT FROM up.scope
)
SELECT region, region_code, region_level, indicator_code, year, kind, scope,
       target_id, doc_id, path, indicator, value, value_high, unit, base_value, base_unit,
       comparator, ambition, hard_soft, evidence,
       above_level, above_level = first_value(above_level) OVER (
           PARTITION BY target_id ORDER BY above_rank) AS nearest,
       above_region, above_region_code, above_target_id, above_doc_id, above_path, above_indicator,
       above_value, above_value_high, above_unit, above_base_value, above_comparator, above_ambition,
       above_hard_soft, above_evidence,
       base_value - above_base_value AS markup
FROM pairs"""

OUTCOME_VIEWS: dict[str, tuple[str, str]] = {
    "target_flags": (
        "Every target with its document's region and year and derived flags: hard_soft (from ambition, then "
        "comparator), period (five_year for a several-year plan's end year), repeated (the same region, "
        "indicator_code and value in a document of another year) and revised (a later document states another "
        "value for the same region, indicator_code and year); flags are null where indicator_code or region_code "
        "is missing.",
        _TARGET_FLAGS,
    ),
    "target_outcomes": (
        "One row per target and actual of the same region_code, indicator_code, year, base unit and scope, from "
        "any documents of the build: both values and evidences; met (the actual within the target's bounds "
        "lower/upper; null where both are missing or the actual covers only months), reached (the actual on the "
        "better side of the target, by the indicator's direction) and gap (actual minus target, base units).",
        _TARGET_OUTCOMES,
    ),
    "target_cascade": (
        "One row per target and the same target (indicator_code, year, kind, base unit, scope) set by a region "
        "above it: county -> prefecture and province, prefecture -> province (GB/T 2260 code prefixes); "
        "above_value and markup (this target's base value minus the one above, the 层层加码 measure); nearest "
        "marks the closest level above that set one.",
        _TARGET_CASCADE,
    ),
}

# How the data dictionary documents each view's columns (load/schema.py View): the tables the
# other columns come from, the meaning of the columns the SQL computes, a table shown whole (t.*),
# and column prefixes naming another record's column (actual_value: the actual's value).
_FLAGS = {
    "hard_soft": "'soft' where the ambition is aspirational (力争), 'hard' where it is firm (确保); else 'soft' for "
                 "comparator '~' (左右), 'hard' for a bound (>=, >, <=, <); null for '=' without an ambition word.",
    "period": "'five_year' for a target set for the last year of a document planning several years (到2025年 in a "
              "十四五 plan), else 'year'.",
    "repeated": "True where a document of another year of the same region sets the same value for the same "
                "indicator_code, kind, base unit and scope; null where indicator_code, region_code or doc_year is missing.",
    "revised": "True where a later document of the same region states another value for the same indicator_code, "
               "kind, base unit, scope and year; null as for repeated.",
}
OUTCOME_COLUMNS: dict[str, dict] = {
    "target_flags": {
        "sources": ("targets", "documents"),
        "computed": {"doc_year": "The year of the target's document: that of its publish_date, else its plan_start.",
                     **_FLAGS},
        "all_of": "targets",
    },
    "target_outcomes": {
        "sources": ("documents", "targets"),
        "computed": {
            "indicator_name": "The canonical indicator's name (indicators.name).",
            **{k: f"As in target_flags: {v}" for k, v in _FLAGS.items()},
            "met": "True where the actual lies within the target's bounds (lower, upper); null where both are "
                   "missing or the actual covers only some months of the year.",
            "reached": "True where the actual is on the better side of the target, by the indicator's direction "
                       "(indicators.direction).",
            "gap": "The actual's base value minus the target's, in base units; null for an actual of some months.",
        },
        "prefixed": {"target_": ("targets", "the target"), "actual_": ("actuals", "the actual")},
    },
    "target_cascade": {
        "sources": ("documents", "targets"),
        "computed": {
            "region_level": "The level of the target's region from its GB/T 2260 code: county, prefecture or province.",
            "hard_soft": f"As in target_flags: {_FLAGS['hard_soft']}",
            "above_level": "The level of the region above that sets the same target: prefecture or province.",
            "nearest": "True for the closest level above that sets one.",
            "above_hard_soft": "hard_soft (as in target_flags) of the target above.",
            "markup": "This target's base value minus the one above, in base units (the 层层加码 measure).",
        },
        "prefixed": {"above_": ("targets", "the target above")},
    },
}
