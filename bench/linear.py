"""python -m bench.linear: what one huge block costs, per MB, at 1, 10 and 50 MB (issue 12, point 11).

Each input is one file made of a single enormous block, the shape that made
a build's cost quadratic: a text on one line, text in lines of 10 MB, a
.docx paragraph split into runs. Each size is built with one worker in a
fresh interpreter (bench.phases `build`, no per-file time limit); the table
gives the build's time (start-up and warm-up excluded), the seconds per MB
and the peak RSS of the process, so a cost that is not linear shows as a
seconds-per-MB figure that grows with the size.

    python -m bench.linear                      # every kind at 1, 10 and 50 MB
    python -m bench.linear --sizes 1,10 --kinds target_line
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from bench import runner

sys.path.insert(0, str(runner.REPO / "tests"))  # the hostile inputs are made by the tests' generator
import hostile  # noqa: E402

MB = 1 << 20
# kind -> (what it is, file suffix, maker of `mb` MB)
KINDS: dict[str, tuple[str, str, Callable[[float], bytes]]] = {
    "prose_line": ("one line of prose (no number in it)", ".txt",
                   lambda mb: hostile.one_line(mb, hostile.PROSE_SENTENCE)),
    "target_line": ("one line of one target clause repeated, no full stop (a target every 63 bytes)", ".txt",
                    lambda mb: hostile.one_line(mb)),
    "lines_10mb": ("prose in lines of 10 MB", ".txt", lambda mb: hostile.long_lines(mb)),
    "docx_runs": (".docx: one paragraph in runs of one clause each (size of word/document.xml)", ".docx",
                  lambda mb: hostile.runs_docx(mb)),
}
DEFAULT_SIZES = (1, 10, 50)
# A target-dense text holds ~16,000 targets a MB: past 10 MB the result alone outgrows a worker's memory budget.
MAX_MB = {"target_line": 10}


def run(sizes: list[float], kinds: list[str], work: Path, log: Callable[[str], None]) -> dict:
    code, code_hash = runner.snapshot_code(work)  # an edit made during the run cannot reach a later build
    rows = []
    for kind in kinds:
        what, suffix, make = KINDS[kind]
        for mb in sizes:
            if mb > MAX_MB.get(kind, mb):
                continue
            folder = work / "linear" / f"{kind}-{mb:g}"
            src, out = folder / "in", folder / "out"
            src.mkdir(parents=True, exist_ok=True)
            data = make(mb)
            (src / f"{kind}{suffix}").write_bytes(data)
            log(f"{kind} {mb:g} MB: building")
            result = runner.run_phase("build", {"corpus": str(src), "out": str(out), "workers": 1, "timeout": 0,
                                                "force": True}, code=code)
            summary = result["summary"]
            seconds = summary["seconds"]  # the build itself: no interpreter start-up
            rows.append({
                "kind": kind, "what": what, "mb": mb, "file_mb": round(len(data) / MB, 2),
                "seconds": seconds, "seconds_per_mb": round(seconds / mb, 2), "wall_seconds": result["wall_seconds"],
                "cpu_seconds": result.get("cpu_seconds"),
                "peak_rss_mb": result.get("peak_tree_rss_mb", result.get("self_peak_rss_mb")),
                "targets": summary["rows"].get("targets", 0), "errors": summary["errors_by_type"],
            })
    return {"code": code_hash, "rows": rows}


def render(result: dict) -> str:
    lines = ["| input | MB | s | s per MB | peak RSS MB | targets | errors |", "|---|---|---|---|---|---|---|"]
    for r in result["rows"]:
        lines.append(f"| {r['kind']} | {r['mb']:g} | {r['seconds']:.1f} | {r['seconds_per_mb']:.2f} | "
                     f"{r['peak_rss_mb']} | {r['targets']} | {r['errors'] or ''} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.linear", description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)), help="sizes in MB, e.g. 1,10,50")
    ap.add_argument("--kinds", default=",".join(KINDS), help=f"of {', '.join(KINDS)}")
    ap.add_argument("--work", type=Path, default=runner.WORK)
    ap.add_argument("--out", type=Path, default=runner.RESULTS / "linear.json")
    a = ap.parse_args(sys.argv[1:] if argv is None else argv)
    sizes = [float(x) for x in a.sizes.split(",") if x.strip()]
    kinds = [k for k in a.kinds.split(",") if k.strip()]
    unknown = set(kinds) - set(KINDS)
    if unknown:
        ap.error(f"unknown kinds: {', '.join(sorted(unknown))}")
    result = run(sizes, kinds, a.work, lambda m: print(m, file=sys.stderr, flush=True))
    print(render(result))
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"\nresult: {a.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
