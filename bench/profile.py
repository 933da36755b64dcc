"""Where a build spends its time: cProfile over a 1-worker build, summed by module.

A 1-worker build runs every file in one process, so one profile sees all the
work (ingest, extract, load). The report lists the time spent inside each
module (planextract's own files, and each third-party package as a whole)
and the functions with the most own time and the most cumulative time.
"""

from __future__ import annotations

import pstats
import shutil
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from bench import runner

Log = runner.Log


def run(cfg: runner.Config, n: int, *, top: int = 30, log: Log = print) -> dict[str, Any]:
    """Profile a 1-worker build of the first n documents of the corpus cfg describes."""
    folder, manifest = runner.prepare(cfg, log)
    n = min(n, cfg.n)
    if n < cfg.n:
        folder = runner.subset_corpus(folder, manifest, n)
    out = cfg.work / "out" / f"profile-n{n}"
    if out.exists():
        shutil.rmtree(out)
    prof = runner.RESULTS / f"profile-n{n}.prof"
    code = runner.snapshot_code(cfg.work)[0] if cfg.isolate and cfg.snapshot else None
    log(f"profiling a 1-worker build of {n} documents ...")
    result = runner.run_phase("profile", {"corpus": str(runner.gen.docs_dir(folder)), "out": str(out),
                                          "prof_file": str(prof)}, cfg.isolate, code)
    stats = pstats.Stats(str(prof))
    result["by_module"] = by_module(stats)[:top]
    result["top_own"] = top_functions(stats, "tottime", top)
    result["top_cumulative"] = top_functions(stats, "cumtime", top, own_code=True)
    return {"result": result, "text": render(result)}


def area(filename: str) -> str:
    """planextract/ingest/pdf.py for our files, the top-level package for libraries, else the file."""
    parts = Path(filename).parts
    if "planextract" in parts:
        return "/".join(parts[parts.index("planextract"):])
    if "site-packages" in parts:
        i = parts.index("site-packages")
        return parts[i + 1].removesuffix(".py") if i + 1 < len(parts) else filename
    if filename.startswith("~") or filename.startswith("<"):
        return "builtins"
    if "lib" in parts and parts[-1].endswith(".py"):
        return "stdlib:" + Path(filename).stem
    return filename


def by_module(stats: pstats.Stats) -> list[dict[str, Any]]:
    total = sum(row[2] for row in stats.stats.values())  # type: ignore[attr-defined]
    own: dict[str, float] = defaultdict(float)
    for (filename, _, _), (_, _, tottime, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        own[area(filename)] += tottime
    rows = sorted(own.items(), key=lambda kv: -kv[1])
    return [{"module": k, "own_seconds": round(v, 3), "share": round(v / total, 3)} for k, v in rows]


def top_functions(stats: pstats.Stats, key: str, n: int, own_code: bool = False) -> list[dict[str, Any]]:
    rows = []
    for (filename, line, name), (cc, nc, tottime, cumtime, _) in stats.stats.items():  # type: ignore[attr-defined]
        if own_code and "planextract" not in filename:
            continue
        rows.append({"function": f"{area(filename)}:{line}({name})", "calls": nc,
                     "own_seconds": round(tottime, 3), "cumulative_seconds": round(cumtime, 3)})
    field = "own_seconds" if key == "tottime" else "cumulative_seconds"
    return sorted(rows, key=lambda r: -r[field])[:n]


def render(r: dict[str, Any]) -> str:
    s = r["summary"]
    lines = [f"profiled build: {s['parsed']} files in {r['seconds']} s (under cProfile, so slower than real)", "",
             "own time by module:"]
    lines += [f"  {m['share'] * 100:5.1f}%  {m['own_seconds']:8.2f} s  {m['module']}" for m in r["by_module"]]
    lines += ["", "functions by own time:"]
    lines += [f"  {f['own_seconds']:8.2f} s  {f['calls']:>9}  {f['function']}" for f in r["top_own"]]
    lines += ["", "planextract functions by cumulative time:"]
    lines += [f"  {f['cumulative_seconds']:8.2f} s  {f['calls']:>9}  {f['function']}" for f in r["top_cumulative"]]
    if r.get("by_format"):
        lines += ["", "per format (ingest+extract, profiled): " + ", ".join(
            f"{k} {v['mb_per_s']:.3f} MB/s" for k, v in r["by_format"].items())]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit("use: python -m bench --profile")
