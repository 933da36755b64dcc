"""Scoring against the gold (../shared/gold/GUIDELINES.md, 'How extractions are scored').

The scorer reads a built DuckDB database (tables documents, targets, projects,
tasks, joined on doc_id; documents.path ends with the gold `file`) and
compares it per document with the gold files:

- targets (and actuals, scored only where a gold file has an "actuals" key)
  pair only when base_unit is equal and base_value agrees to 1e-6
  relative; among those, one-to-one, best first, by the Dice coefficient of
  character bigrams of scope + indicator, then equal year, then equal source;
  a pair is a hit when the Dice is at least 0.5;
- projects pair on seq; tasks pair one-to-one by title Dice >= 0.5;
- documents: each field of the gold's "document" object.

Over the pairs every other field is scored as the share that agrees (numbers
to 1e-6 relative, null equals null, white space inside strings ignored, lists
in order). A missing table or column scores as empty, so a partial pipeline
can be evaluated. The report also lists what engineers need to improve the
extractors: misses, extras, field disagreements, and predicted targets whose
evidence hits a `not_targets` string.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REL_TOL = 1e-6
MIN_DICE = 0.5
DB_NAME = "planextract.duckdb"

TARGET_FIELDS = (
    "indicator", "scope", "value", "value_high", "unit", "comparator", "ambition", "kind",
    "year", "year_start", "baseline_value", "baseline_year", "agencies", "source",
)
ACTUAL_FIELDS = (
    "indicator", "scope", "value", "value_high", "unit", "comparator", "kind",
    "year", "year_start", "period", "months", "source",
)
PROJECT_FIELDS = (
    "key", "name", "project_type", "start_year", "end_year", "location", "content",
    "total_investment", "planned_investment", "investment_unit", "builder", "origin",
)
TASK_FIELDS = ("lead", "support", "number", "section")
DOC_FIELDS = (
    "title", "region", "region_code", "province", "city", "issuer", "doc_type",
    "publish_date", "plan_start", "plan_end",
)
LIST_FIELDS = {"agencies", "lead", "support"}
ENTITIES = ("targets", "actuals", "projects", "tasks")

Row = dict[str, Any]


# --------------------------------------------------------------------------
# comparison primitives
# --------------------------------------------------------------------------


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def bigrams(s: str) -> Counter[str]:
    """Character bigrams of s, white space removed (a 1-character string is its own bigram)."""
    s = _squash(s)
    if len(s) < 2:
        return Counter([s] if s else [])
    return Counter(s[i : i + 2] for i in range(len(s) - 1))


def dice(a: str | None, b: str | None) -> float:
    """Dice coefficient of the character-bigram multisets of a and b."""
    x, y = bigrams(a or ""), bigrams(b or "")
    total = sum(x.values()) + sum(y.values())
    if total == 0:
        return 1.0
    return 2 * sum((x & y).values()) / total


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _as_number(v: Any) -> float | None:
    if _is_number(v):
        return float(v)
    if isinstance(v, str):
        try:
            return float(_squash(v))
        except ValueError:
            return None
    try:  # Decimal and numpy scalars
        return float(v)
    except (TypeError, ValueError):
        return None


def numbers_close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=REL_TOL, abs_tol=0.0) or a == b


def _as_list(v: Any) -> list[Any] | None:
    if v is None:
        return []
    if isinstance(v, (list, tuple)):
        return list(v)
    if hasattr(v, "tolist"):
        return list(v.tolist())
    return None


def agree(gold: Any, pred: Any, as_list: bool = False) -> bool:
    """GUIDELINES equality: null equals null, numbers to 1e-6 relative, white space ignored, lists in order."""
    if as_list or isinstance(gold, (list, tuple)) or isinstance(pred, (list, tuple)):
        g, p = _as_list(gold), _as_list(pred)
        if g is None or p is None or len(g) != len(p):
            return False
        return all(agree(x, y) for x, y in zip(g, p))
    if gold is None or pred is None:
        return gold is None and pred is None
    if isinstance(gold, bool) or isinstance(pred, bool):
        return bool(gold) == bool(pred) and type(gold) is type(pred)
    if _is_number(gold) or _is_number(pred):
        g, p = _as_number(gold), _as_number(pred)
        return g is not None and p is not None and numbers_close(g, p)
    if isinstance(gold, str) and isinstance(pred, str):
        return _squash(gold) == _squash(pred)
    return bool(gold == pred)


# --------------------------------------------------------------------------
# pairing
# --------------------------------------------------------------------------


def _greedy(candidates: list[tuple[tuple[Any, ...], int, int]]) -> list[tuple[int, int]]:
    """One-to-one pairs, best key first (ties broken by gold, then predicted order)."""
    candidates.sort(key=lambda c: (tuple(-k for k in c[0]), c[1], c[2]))
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _, gi, pi in candidates:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            pairs.append((gi, pi))
    return pairs


def target_label(t: Row) -> str:
    return (t.get("scope") or "") + (t.get("indicator") or "")


def _same_quantity(g: Row, p: Row) -> bool:
    if not agree(g.get("base_unit"), p.get("base_unit")):
        return False
    gv, pv = _as_number(g.get("base_value")), _as_number(p.get("base_value"))
    if gv is None or pv is None:
        return gv is None and pv is None
    return numbers_close(gv, pv)


def pair_targets(gold: Sequence[Row], pred: Sequence[Row]) -> list[tuple[int, int]]:
    """Hits: (gold index, predicted index) pairs of equal quantity and indicator Dice >= 0.5."""
    candidates = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            if not _same_quantity(g, p):
                continue
            d = dice(target_label(g), target_label(p))
            if d >= MIN_DICE:
                key = (d, int(agree(g.get("year"), p.get("year"))), int(agree(g.get("source"), p.get("source"))))
                candidates.append((key, gi, pi))
    return _greedy(candidates)


def pair_tasks(gold: Sequence[Row], pred: Sequence[Row]) -> list[tuple[int, int]]:
    candidates = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            d = dice(g.get("title"), p.get("title"))
            if d >= MIN_DICE:
                candidates.append(((d,), gi, pi))
    return _greedy(candidates)


def pair_projects(gold: Sequence[Row], pred: Sequence[Row]) -> list[tuple[int, int]]:
    """Projects pair on their printed seq (the first predicted row of each seq)."""
    by_seq: dict[int, int] = {}
    for pi, p in enumerate(pred):
        s = _as_number(p.get("seq"))
        if s is not None:
            by_seq.setdefault(int(s), pi)
    pairs = []
    for gi, g in enumerate(gold):
        s = _as_number(g.get("seq"))
        if s is not None and int(s) in by_seq:
            pairs.append((gi, by_seq.pop(int(s))))
    return pairs


# --------------------------------------------------------------------------
# scoring
# --------------------------------------------------------------------------


@dataclass
class Tally:
    """Counts for one entity, summed over documents (micro averages)."""

    gold: int = 0
    predicted: int = 0
    hits: int = 0

    def add(self, other: Tally) -> None:
        self.gold += other.gold
        self.predicted += other.predicted
        self.hits += other.hits

    def as_dict(self) -> dict[str, Any]:
        p, r, f = prf(self.hits, self.predicted, self.gold)
        return {"gold": self.gold, "predicted": self.predicted, "hits": self.hits, "precision": p, "recall": r, "f1": f}


def prf(hits: int, predicted: int, gold: int) -> tuple[float, float, float]:
    """Precision, recall, F1; an empty prediction of an empty gold is perfect."""
    p = hits / predicted if predicted else float(gold == 0)
    r = hits / gold if gold else float(predicted == 0)
    f = 2 * p * r / (p + r) if p + r else 0.0
    return round(p, 4), round(r, 4), round(f, 4)


class FieldTally:
    """Per field: how many pairs agree out of how many were compared."""

    def __init__(self, fields: Iterable[str]) -> None:
        self.agree: Counter[str] = Counter({f: 0 for f in fields})
        self.total: Counter[str] = Counter({f: 0 for f in fields})

    def score(self, field: str, ok: bool) -> None:
        self.total[field] += 1
        self.agree[field] += int(ok)

    def add(self, other: FieldTally) -> None:
        self.agree.update(other.agree)
        self.total.update(other.total)

    def as_dict(self) -> dict[str, Any]:
        return {
            f: {"agree": self.agree[f], "total": n, "accuracy": round(self.agree[f] / n, 4) if n else None}
            for f, n in self.total.items()
        }


def _brief(row: Row, keys: Sequence[str]) -> Row:
    return {k: row.get(k) for k in keys if k in row}


TARGET_BRIEF = ("indicator", "scope", "value", "unit", "year", "source", "evidence")
PROJECT_BRIEF = ("seq", "name", "evidence")
TASK_BRIEF = ("number", "title", "evidence")


def _score_pairs(
    gold: Sequence[Row], pred: Sequence[Row], pairs: list[tuple[int, int]], fields: Sequence[str], brief: Sequence[str]
) -> tuple[Tally, FieldTally, Row]:
    """Counts, field agreement and the lists to read (misses, extras, disagreements)."""
    tally = Tally(gold=len(gold), predicted=len(pred), hits=len(pairs))
    fields_tally = FieldTally(fields)
    disagreements = []
    for gi, pi in pairs:
        g, p = gold[gi], pred[pi]
        for f in fields:
            if f not in g:
                continue  # the gold does not annotate this field
            ok = agree(g.get(f), p.get(f), as_list=f in LIST_FIELDS)
            fields_tally.score(f, ok)
            if not ok:
                label = g.get("indicator") or g.get("title") or g.get("name")
                disagreements.append(
                    {"field": f, "gold": g.get(f), "predicted": p.get(f), "item": label, "evidence": p.get("evidence")}
                )
    hit_g = {gi for gi, _ in pairs}
    hit_p = {pi for _, pi in pairs}
    detail = {
        **tally.as_dict(),
        "misses": [_brief(g, brief) for i, g in enumerate(gold) if i not in hit_g],
        "extras": [_brief(p, brief) for i, p in enumerate(pred) if i not in hit_p],
        "disagreements": disagreements,
    }
    return tally, fields_tally, detail


def _number_text(v: Any) -> str | None:
    x = _as_number(v)
    if x is None:
        return None
    return str(int(x)) if x.is_integer() else repr(x)


def not_target_hits(pred: Sequence[Row], not_targets: Sequence[str]) -> list[Row]:
    """Predicted targets whose evidence contains a not_target string (or lies inside one).

    A table row's evidence can hold a not_target phrase next to the row's real
    target ("总投资10亿元以上…项目(个) 3"): where the not_target prints digits,
    the predicted value must be among them to count.
    """
    out = []
    for p in pred:
        ev = _squash(p.get("evidence") or "")
        if not ev:
            continue
        value = _number_text(p.get("value"))
        for nt in not_targets:
            s = _squash(nt)
            if not s or not (s in ev or (len(ev) >= 6 and ev in s)):
                continue
            digits = re.findall(r"\d+(?:\.\d+)?", s)
            if digits and value is not None and value not in digits:
                continue
            out.append({"not_target": nt, **_brief(p, ("indicator", "value", "unit", "evidence"))})
            break
    return out


def score_document(gold_doc: Row, pred: dict[str, list[Row]], doc_row: Row | None) -> Row:
    """Score one gold file against the predicted rows of its document."""
    result: Row = {"file": gold_doc.get("file"), "doc_id": doc_row.get("doc_id") if doc_row else None, "found": doc_row is not None}
    g_t, p_t = gold_doc.get("targets") or [], pred.get("targets", [])
    g_a, p_a = gold_doc.get("actuals") or [], pred.get("actuals", [])
    g_p, p_p = gold_doc.get("projects") or [], pred.get("projects", [])
    g_k, p_k = gold_doc.get("tasks") or [], pred.get("tasks", [])
    parts = {
        "targets": _score_pairs(g_t, p_t, pair_targets(g_t, p_t), TARGET_FIELDS, TARGET_BRIEF),
        "projects": _score_pairs(g_p, p_p, pair_projects(g_p, p_p), PROJECT_FIELDS, PROJECT_BRIEF),
        "tasks": _score_pairs(g_k, p_k, pair_tasks(g_k, p_k), TASK_FIELDS, TASK_BRIEF),
    }
    if "actuals" in gold_doc:  # only the files annotated for actuals score them
        parts["actuals"] = _score_pairs(g_a, p_a, pair_targets(g_a, p_a), ACTUAL_FIELDS, TARGET_BRIEF)
    for name, (_, _, detail) in parts.items():
        result[name] = detail
    result["_tallies"] = {name: (t, f) for name, (t, f, _) in parts.items()}
    doc_fields = FieldTally(f for f in DOC_FIELDS if f in (gold_doc.get("document") or {}))
    doc_dis = []
    for f, g in (gold_doc.get("document") or {}).items():
        if f not in DOC_FIELDS:
            continue
        p = (doc_row or {}).get(f)
        ok = agree(g, p)
        doc_fields.score(f, ok)
        if not ok:
            doc_dis.append({"field": f, "gold": g, "predicted": p})
    result["document"] = {"disagreements": doc_dis, "fields": doc_fields.as_dict()}
    result["_tallies"]["documents"] = (None, doc_fields)
    result["not_target_hits"] = not_target_hits(p_t, gold_doc.get("not_targets") or [])
    return result


def score(gold_docs: Sequence[Row], tables: dict[str, list[Row]]) -> Row:
    """The full report for gold documents against predicted tables (rows as dicts)."""
    docs = tables.get("documents", [])
    by_doc: dict[str, dict[str, list[Row]]] = {}
    for name in ENTITIES:
        for row in tables.get(name, []):
            by_doc.setdefault(str(row.get("doc_id")), {}).setdefault(name, []).append(row)
    totals = {name: Tally() for name in ENTITIES}
    fields = {
        "targets": FieldTally(TARGET_FIELDS),
        "actuals": FieldTally(ACTUAL_FIELDS),
        "projects": FieldTally(PROJECT_FIELDS),
        "tasks": FieldTally(TASK_FIELDS),
        "documents": FieldTally(DOC_FIELDS),
    }
    per_doc = []
    for gd in gold_docs:
        row = find_document(docs, gd.get("file") or "")
        pred = by_doc.get(str(row.get("doc_id")), {}) if row else {}
        res = score_document(gd, pred, row)
        for name, (tally, ft) in res.pop("_tallies").items():
            if tally is not None:
                totals[name].add(tally)
            fields[name].add(ft)
        per_doc.append(res)
    report: Row = {
        "documents": len(gold_docs),
        "found": sum(1 for d in per_doc if d["found"]),
        "not_target_hits": sum(len(d["not_target_hits"]) for d in per_doc),
    }
    for name, tally in totals.items():
        report[name] = {**tally.as_dict(), "fields": fields[name].as_dict()}
    report["document_fields"] = fields["documents"].as_dict()
    report["per_document"] = per_doc
    return report


def find_document(docs: Sequence[Row], file: str) -> Row | None:
    """The documents row whose path is the gold file or ends with /file."""
    for d in docs:
        path = str(d.get("path") or "").replace("\\", "/")
        if path == file or path.endswith("/" + file):
            return d
    return None


# --------------------------------------------------------------------------
# input / output
# --------------------------------------------------------------------------


def load_gold(gold_dir: Path) -> list[Row]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(Path(gold_dir).glob("*.gold.json"))]


def read_tables(db_path: Path, names: Iterable[str] = ("documents", "targets", "actuals", "projects", "tasks")) -> dict[str, list[Row]]:
    """Rows of each table as dicts; a missing table reads as empty."""
    import duckdb

    con = duckdb.connect(str(db_path), read_only=True)
    try:
        present = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        out: dict[str, list[Row]] = {}
        for name in names:
            if name not in present:
                out[name] = []
                continue
            cur = con.execute(f'SELECT * FROM "{name}"')
            cols = [c[0] for c in cur.description]
            out[name] = [dict(zip(cols, r)) for r in cur.fetchall()]
        return out
    finally:
        con.close()


def find_db(out_dir: Path) -> Path:
    from planextract.load.store import resolve_db

    direct = resolve_db(Path(out_dir))  # the current generation's database
    if direct.exists():
        return direct
    found = sorted(Path(out_dir).glob("*.duckdb"))
    if not found:
        raise FileNotFoundError(f"no DuckDB database in {out_dir}")
    return found[0]


class EvalError(RuntimeError):
    """An evaluation that cannot run: no corpus, no gold, no database."""


def _check_inputs(corpus: Path, gold_dir: Path, db_path: Path | None) -> None:
    """Refuse to score nothing: a missing folder or an empty gold set would read as a perfect score."""
    if db_path is not None and not Path(db_path).is_file():
        raise EvalError(f"no database at {db_path}")
    if db_path is None and not Path(corpus).is_dir():
        raise EvalError(f"corpus folder not found: {corpus}")
    if not Path(gold_dir).is_dir():
        raise EvalError(f"gold folder not found: {gold_dir}")
    if not any(Path(gold_dir).glob("*.gold.json")):
        raise EvalError(f"no gold files (*.gold.json) in {gold_dir}")


def run(corpus: Path, gold_dir: Path, out_dir: Path, db_path: Path | None = None) -> Row:
    """Build the corpus (unless a database is given) and score it against the gold."""
    _check_inputs(corpus, gold_dir, db_path)
    if db_path is None:
        from planextract import api

        api.build(Path(corpus), Path(out_dir))
        db_path = find_db(Path(out_dir))
    elif Path(db_path).is_dir():  # an output folder: its current build's database
        db_path = find_db(Path(db_path))
    report = score(load_gold(Path(gold_dir)), read_tables(Path(db_path)))
    report["db"] = str(db_path)
    report["gold_dir"] = str(gold_dir)
    return report


def write_json(report: Row, path: Path) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, ensure_ascii=False, indent=2, default=str), encoding="utf-8")


# --------------------------------------------------------------------------
# the human-readable report
# --------------------------------------------------------------------------


def _fmt(v: Any) -> str:
    if v is None:
        return "∅"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, (list, tuple)):
        return "[" + ",".join(_fmt(x) for x in v) + "]"
    s = str(v)
    return s if len(s) <= 40 else s[:39] + "…"


def _fields_line(fields: Row) -> str:
    parts = [f"{f} {d['accuracy']:.2f}" for f, d in fields.items() if d["total"]]
    return "  ".join(parts) if parts else "(nothing paired)"


def _target_str(t: Row) -> str:
    label = (t.get("scope") + "·" if t.get("scope") else "") + str(t.get("indicator"))
    year = f" [{t['year']}]" if t.get("year") else ""
    src = " (table)" if t.get("source") == "table" else ""
    ev = f"  «{_fmt(t.get('evidence'))}»" if t.get("evidence") else ""
    return f"{label} = {_fmt(t.get('value'))}{t.get('unit') or ''}{year}{src}{ev}"


def _item_str(name: str, row: Row) -> str:
    if name in ("targets", "actuals"):
        return _target_str(row)
    if name == "projects":
        return f"#{row.get('seq')} {_fmt(row.get('name'))}"
    return f"{row.get('number') or ''} {_fmt(row.get('title'))}".strip()


def _listing(title: str, items: list[Any], show: Callable[[Any], str], limit: int) -> list[str]:
    if not items:
        return []
    lines = [f"    {title} ({len(items)}):"]
    lines += [f"      - {show(x)}" for x in items[:limit]]
    if len(items) > limit:
        lines.append(f"      … {len(items) - limit} more (--json for all)")
    return lines


def _disagreement_str(d: Row) -> str:
    ev = f"  «{_fmt(d.get('evidence'))}»" if d.get("evidence") else ""
    item = f"{_fmt(d.get('item'))}: " if d.get("item") else ""
    return f"{item}{d['field']} gold={_fmt(d['gold'])} pred={_fmt(d['predicted'])}{ev}"


def scored_entities(report: Row) -> list[str]:
    """The entities a report scores: actuals only when some gold file annotates them."""
    names = ["targets", "tasks", "projects"]
    if any("actuals" in d for d in report["per_document"]):
        names.insert(1, "actuals")
    return names


def format_report(report: Row, limit: int = 6) -> str:
    """Totals first, then field accuracies per entity, then per document what went wrong."""
    out = [f"Scored {report['documents']} gold documents ({report['found']} found in the build)"]
    out.append(f"{'':10}{'gold':>6}{'pred':>6}{'hits':>6}{'P':>8}{'R':>8}{'F1':>8}")
    for name in scored_entities(report):
        t = report[name]
        out.append(
            f"{name:10}{t['gold']:>6}{t['predicted']:>6}{t['hits']:>6}{t['precision']:>8.3f}{t['recall']:>8.3f}{t['f1']:>8.3f}"
        )
    out.append("")
    out.append("Field accuracy (share of paired items that agree):")
    out.append(f"  documents: {_fields_line(report['document_fields'])}")
    for name in scored_entities(report):
        out.append(f"  {name} ({report[name]['hits']} pairs): {_fields_line(report[name]['fields'])}")
    out.append(f"  predicted targets inside a not_target: {report['not_target_hits']}")
    out.append("")
    out.append("Per document:")
    for d in report["per_document"]:
        counts = "  ".join(
            f"{n} {d[n]['hits']}/{d[n]['gold']} (pred {d[n]['predicted']}, F1 {d[n]['f1']:.2f})"
            for n in scored_entities(report)
            if n in d and (d[n]["gold"] or d[n]["predicted"])
        )
        out.append(f"  {d['file']}{'' if d['found'] else '  [NOT IN BUILD]'}  {counts}")
        out += _listing("document fields wrong", d["document"]["disagreements"], _disagreement_str, 20)
        out += _listing("not_target hits", d["not_target_hits"], lambda x: f"{x['not_target']}  «{_fmt(x.get('evidence'))}»", limit)
        for n in (n for n in scored_entities(report) if n in d):
            out += _listing(f"{n} missed", d[n]["misses"], lambda x, n=n: _item_str(n, x), limit)
            out += _listing(f"{n} extra", d[n]["extras"], lambda x, n=n: _item_str(n, x), limit)
            out += _listing(f"{n} field disagreements", d[n]["disagreements"], _disagreement_str, limit)
    return "\n".join(out)
