"""python -m bench: generate the corpus, run every phase, print the table, write the JSON.

    python -m bench                      # N=2000, 1 and all workers, N=500 for the RSS comparison
    python -m bench --n 300 --no-scaling # a quick run
    python -m bench --profile            # cProfile a 1-worker build of the first 300 documents instead
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from bench import profile, runner


def _workers(text: str) -> list[int]:
    values = sorted({int(x) for x in text.split(",") if x.strip()})
    if not values or values[0] < 1:
        raise argparse.ArgumentTypeError("worker counts are integers >= 1, e.g. 1,2")
    return values


def parse(argv: list[str]) -> argparse.Namespace:
    cpus = os.cpu_count() or 1
    ap = argparse.ArgumentParser(prog="python -m bench", description="planextract throughput and memory benchmark")
    ap.add_argument("--n", type=int, default=2000, help="documents in the corpus (default 2000)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--workers", type=_workers, default=sorted({1, cpus}),
                    help=f"worker counts to compare, e.g. 1,{cpus} (default: 1 and the CPU count)")
    ap.add_argument("--scaling", action=argparse.BooleanOptionalAction, default=None,
                    help="also build the first --scaling-n documents to compare peak RSS (default: on when N >= 2000)")
    ap.add_argument("--scaling-n", type=int, default=500)
    ap.add_argument("--speedup-n", type=int, default=0,
                    help="documents the 1-worker build reads for the speed-up (default 0: all N, as issue #7 asks)")
    ap.add_argument("--pdf-sample", type=int, default=60, help="PDFs in the pdfplumber comparison (0: all)")
    ap.add_argument("--ocr-pages", type=int, default=10, help="PDF pages read by OCR for its pages/s (0: skip)")
    ap.add_argument("--repeat", type=int, default=1,
                    help="run the 1-worker and all-worker builds this many times; the speed-up is the median")
    ap.add_argument("--work", type=Path, default=runner.WORK, help="where the corpus and build outputs go")
    ap.add_argument("--out", type=Path, default=None, help="the JSON result (default bench/results/bench-*.json)")
    ap.add_argument("--profile", action="store_true", help="profile a 1-worker build instead (CPU time, cProfile)")
    ap.add_argument("--profile-n", type=int, default=300, help="documents of the corpus the profiled build reads")
    ap.add_argument("--top", type=int, default=30, help="functions listed by --profile")
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    a = parse(sys.argv[1:] if argv is None else argv)
    scaling = a.scaling if a.scaling is not None else a.n >= 2000
    cfg = runner.Config(
        n=a.n, seed=a.seed, workers=a.workers, scaling_n=a.scaling_n if scaling else None,
        speedup_n=a.speedup_n or None, pdf_sample=a.pdf_sample or None, work=a.work, repeat=max(1, a.repeat),
        ocr_pages=max(0, a.ocr_pages),
    )
    if a.profile:
        report = profile.run(cfg, a.profile_n, top=a.top, log=_log)
        print(report["text"])
        path = runner.write(report["result"], a.out or runner.RESULTS / "profile.json")
        print(f"\nprofile: {report['result']['prof_file']}\nresult: {path}")
        return 0
    result = runner.run(cfg, log=_log)
    print(runner.render(result))
    print(f"\nresult: {runner.write(result, a.out)}")
    return 0


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
