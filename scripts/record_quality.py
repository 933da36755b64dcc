"""Record an eval's scores in src/planextract/quality.json, the quality statement of every release's data card.

    planextract eval ../shared/corpus --gold ../shared/gold --json /tmp/ev1.json
    python scripts/record_quality.py /tmp/ev1.json studied
    planextract eval ../shared/corpus-dev --gold ../shared/gold-dev --json /tmp/ev2.json
    python scripts/record_quality.py /tmp/ev2.json dev

Each gold set has an entry in quality.json (its name, what it is); this
replaces the entry's date and scores. The known limits are edited by hand.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

from planextract.evaluate import scored_entities

QUALITY = Path(__file__).resolve().parents[1] / "src" / "planextract" / "quality.json"
SCORES = ("gold", "predicted", "hits", "precision", "recall", "f1")


def record(report: dict, name: str, quality: dict) -> dict:
    """quality with the entry `name` given report's scores and today's date."""
    entry = next((e for e in quality["evaluations"] if e["name"] == name), None)
    if entry is None:
        raise SystemExit(f"{QUALITY} has no evaluation named {name!r}: add it (name, description, gold) first")
    entry["date"] = dt.date.today().isoformat()
    entry["documents"] = report["found"]
    scored = scored_entities(report)  # actuals only where the gold annotates them
    for entity in ("targets", "actuals", "tasks", "projects"):
        if entity in scored:
            entry[entity] = {k: round(report[entity][k], 3) for k in SCORES}
        else:
            entry.pop(entity, None)
    return quality


def main(argv: list[str]) -> None:
    if len(argv) != 3:
        raise SystemExit(__doc__)
    report = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
    quality = record(report, argv[2], json.loads(QUALITY.read_text(encoding="utf-8")))
    QUALITY.write_text(json.dumps(quality, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"{QUALITY}: {argv[2]} recorded")


if __name__ == "__main__":
    main(sys.argv)
