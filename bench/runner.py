"""The benchmark run: phases in their own processes, figures, ratios, targets, JSON.

One run measures, on one generated corpus:

* the floor (a bare read of every file);
* PDF: pdfplumber's extract_text + extract_tables on every page (the slow
  path) against our PDF ingest, on the same files, and whether both find the
  same tables;
* the build with all workers (files/s, MB/s, peak RSS of the whole process
  tree), then a no-op rebuild of the same folder;
* the build with one worker, timed per format (MB/s per core) and compared
  with all workers (the speed-up);
* the peak RSS at a smaller N (500), to show memory does not grow with N.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bench import corpus as gen
from bench import phases

REPO = gen.REPO
RESULTS = REPO / "bench" / "results"
WORK = REPO / "bench" / "work"
MB = phases.MB
Log = Callable[[str], None]


class BenchError(RuntimeError):
    """A phase failed; the message holds the end of its stderr."""


@dataclass
class Config:
    n: int = 2000
    seed: int = 0
    workers: list[int] = field(default_factory=lambda: sorted({1, os.cpu_count() or 1}))
    scaling_n: int | None = 500  # a second, smaller corpus for the RSS comparison; None: skip
    speedup_n: int | None = None  # files the 1-worker build reads (None: all N)
    pdf_sample: int | None = 60  # PDFs in the pdfplumber comparison (None: all)
    ocr_pages: int = 10  # PDF pages read by OCR (--ocr force) for the OCR throughput; 0: skip
    # Times the 1-worker and all-worker builds run, in turn: the speed-up is the
    # median of the pairs' ratios (a shared machine's noise moves one run by 5%).
    repeat: int = 1
    max_pdf_bases: int = 16
    max_docx_bases: int = 24
    render_pdf: bool = True  # False: copy the sample PDFs instead of rendering (tests)
    work: Path = WORK
    isolate: bool = True  # each phase in a fresh interpreter (False: in this process, for tests)
    # Run the phases on a copy of src/planextract (rules included) taken at the start, so an edit made
    # during the run cannot change the code between phases (or void the no-op rebuild's cache).
    snapshot: bool = True

    code: Path | None = None  # set by run(): the snapshot's src folder

    @property
    def top_workers(self) -> int:
        return max(self.workers)


# --------------------------------------------------------------------------
# running one phase
# --------------------------------------------------------------------------


def run_phase(phase: str, args: dict[str, Any], isolate: bool = True, code: Path | None = None) -> dict[str, Any]:
    """Run a phase (in a child process when isolate) and add its wall time and peak tree RSS.

    code: a folder holding the planextract package to import instead of the installed one.
    """
    if not isolate:
        started, cpu = time.perf_counter(), phases.cpu_seconds()
        result = phases.PHASES[phase](args)
        result["wall_seconds"] = round(time.perf_counter() - started, 3)
        result["cpu_seconds"] = round(phases.cpu_seconds() - cpu, 3)
        result.update(phases._peak_rss_mb())
        return result
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        paths = [str(code) if code else None, str(REPO), os.environ.get("PYTHONPATH")]
        env = os.environ | {"PYTHONPATH": os.pathsep.join(filter(None, paths))}
        started = time.perf_counter()
        # Output goes to files, not pipes: a full pipe would stall the child while we sample memory.
        proc = subprocess.Popen([sys.executable, "-m", "bench.phases", phase, json.dumps(args)],
                                cwd=REPO, stdout=out, stderr=err, env=env)
        peak = _watch_memory(proc)
        wall = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        if proc.returncode != 0:
            tail = err.read().decode("utf-8", "replace")[-2000:]
            raise BenchError(f"phase {phase} failed (exit {proc.returncode}):\n{tail}")
        result = json.loads(out.read().decode("utf-8").strip().splitlines()[-1])
    result["wall_seconds"] = round(wall, 3)
    result.update(peak)
    return result


def _watch_memory(proc: subprocess.Popen[bytes], interval: float = 0.1, pss_every: int = 10) -> dict[str, float]:
    """Wait for proc; meanwhile sample the memory of its whole process tree.

    RSS counts pages the forked workers share with their parent once per
    process (an upper bound); PSS splits shared pages between their users
    (what the tree really costs the machine).
    RSS is sampled every `interval`. PSS makes the kernel walk a process's
    page tables (about 3 ms of CPU per 300 MB process): sampled ten times a
    second across a build and its workers, that took about a tenth of a core
    from a build that needs every core, while the 1-worker build it is
    compared with had a core to spare. So while the tree has several
    processes PSS is sampled every `pss_every` samples only; a lone process
    (a 1-worker build, or the final write) leaves a core free, and its PSS is
    sampled every time, so its short peaks are not missed.
    """
    try:
        import psutil
    except ImportError:  # the dev extra is not installed: only ru_maxrss, from the child itself
        proc.wait()
        return {}
    peak_rss = peak_pss = 0
    at_peak: list[float] = []  # PSS of each process (the phase's own first) when the tree's PSS peaked
    root = psutil.Process(proc.pid)
    tick = 0
    while proc.poll() is None:
        rss, pss = 0, []
        try:
            procs = [root, *root.children(recursive=True)]
            with_pss = len(procs) == 1 or tick % pss_every == 0
            tick += 1
            for p in procs:
                try:
                    rss += p.memory_info().rss
                    if with_pss:
                        pss.append(getattr(p.memory_full_info(), "pss", 0))
                except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                    continue
        except (psutil.NoSuchProcess, psutil.ZombieProcess):
            break
        peak_rss = max(peak_rss, rss)
        if sum(pss) > peak_pss:
            peak_pss, at_peak = sum(pss), [round(x / 2**20, 1) for x in pss]
        time.sleep(interval)
    proc.wait()
    return {"peak_tree_rss_mb": round(peak_rss / 2**20, 1), "peak_tree_pss_mb": round(peak_pss / 2**20, 1),
            "pss_by_process_at_peak_mb": at_peak}


# --------------------------------------------------------------------------
# the run
# --------------------------------------------------------------------------


def prepare(cfg: Config, log: Log) -> tuple[Path, gen.Manifest]:
    spec = gen.CorpusSpec(n=cfg.n, seed=cfg.seed, max_pdf_bases=cfg.max_pdf_bases, max_docx_bases=cfg.max_docx_bases,
                          render_pdf=cfg.render_pdf)
    folder = cfg.work / f"corpus-{spec.key()}"
    _ignore_in_git(cfg.work)
    log(f"corpus: {cfg.n} documents in {folder}")
    return folder, gen.generate(spec, folder, log=log)


def snapshot_code(work: Path) -> tuple[Path, str]:
    """Copy src/planextract (its rules included); and a hash of it."""
    import hashlib

    root = work / "snapshot"
    if root.exists():
        shutil.rmtree(root)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(REPO / "src" / "planextract", root / "src" / "planextract", ignore=ignore)
    h = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return root / "src", h.hexdigest()[:12]


def _ignore_in_git(folder: Path) -> None:
    """The work folder holds generated data only: keep it out of git (it creates its own .gitignore)."""
    folder.mkdir(parents=True, exist_ok=True)
    marker = folder / ".gitignore"
    if not marker.exists():
        marker.write_text("# generated corpora and build outputs of python -m bench\n*\n", encoding="utf-8")


def subset_corpus(folder: Path, manifest: gen.Manifest, n: int) -> Path:
    """The first n documents of a corpus, in a sibling folder."""
    dest = folder.with_name(f"{folder.name}-first{n}")
    gen.subset(manifest, folder, n, dest)
    return dest


def _build(cfg: Config, corpus: Path, name: str, workers: int, *, fresh: bool = True, timed: bool = False,
           log: Log) -> dict[str, Any]:
    out = cfg.work / "out" / name
    if fresh and out.exists():
        shutil.rmtree(out)
    log(f"build {name}: {workers} worker(s) ...")
    result = run_phase("build", {"corpus": str(gen.docs_dir(corpus)), "out": str(out), "workers": workers,
                                 "timed": timed}, cfg.isolate, cfg.code)
    result["input_bytes"] = sum(d.bytes for d in gen.Manifest.read(corpus).docs)
    log(f"  {result['seconds']:.1f} s, read {result['summary']['parsed']}, reused {result['summary']['reused']}")
    return result


def run(cfg: Config, log: Log = print) -> dict[str, Any]:
    started = time.monotonic()
    folder, manifest = prepare(cfg, log)
    info = gen.summary(manifest)
    result: dict[str, Any] = {"meta": _meta(cfg), "corpus": info}
    if cfg.isolate and cfg.snapshot:
        cfg.code, result["meta"]["code_sha"] = snapshot_code(cfg.work)
    docs = str(folder)

    log("floor: reading every file ...")
    result["floor"] = run_phase("read", {"corpus": docs}, cfg.isolate)

    log(f"PDF: pdfplumber on every page vs our ingest ({cfg.pdf_sample or 'all'} PDFs) ...")
    plumber = run_phase("pdfplumber", {"corpus": docs, "limit": cfg.pdf_sample}, cfg.isolate, cfg.code)
    ours = run_phase("ours_pdf", {"corpus": docs, "limit": cfg.pdf_sample}, cfg.isolate, cfg.code)
    result["pdf"] = compare_pdf(plumber, ours)
    if cfg.ocr_pages:
        log(f"OCR: {cfg.ocr_pages} PDF pages read with --ocr force ...")
        result["ocr"] = run_phase("ocr", {"corpus": docs, "pages": cfg.ocr_pages}, cfg.isolate, cfg.code)

    top = cfg.top_workers
    builds: dict[str, Any] = {}
    speed_corpus = folder
    if cfg.speedup_n and cfg.speedup_n < cfg.n:
        speed_corpus = subset_corpus(folder, manifest, cfg.speedup_n)
    n_speed = min(cfg.speedup_n or cfg.n, cfg.n)
    # The builds over fewer workers first: the 1-worker build is also the per-format timing.
    for w in sorted(cfg.workers):
        if not (speed_corpus == folder and w == top):
            builds[f"speedup_w{w}"] = _build(cfg, speed_corpus, f"n{n_speed}-w{w}", w, timed=w == 1, log=log)
    builds["all_workers"] = _build(cfg, folder, f"n{cfg.n}-w{top}", top, log=log)
    builds["noop_rebuild"] = _build(cfg, folder, f"n{cfg.n}-w{top}", top, fresh=False, log=log)
    builds.setdefault(f"speedup_w{top}", builds["all_workers"])
    pairs = [(builds.get("speedup_w1"), builds[f"speedup_w{top}"])]
    for i in range(2, cfg.repeat + 1):
        if "speedup_w1" not in builds:
            break
        log(f"speed-up pair {i} of {cfg.repeat}:")
        pairs.append((_build(cfg, speed_corpus, f"n{n_speed}-w1", 1, log=log),
                      _build(cfg, speed_corpus, f"n{n_speed}-w{top}", top, log=log)))
    result["speedup_pairs"] = [[one["seconds"], many["seconds"]] for one, many in pairs if one is not None]
    if cfg.scaling_n and cfg.scaling_n < cfg.n:
        key = f"speedup_w{top}"
        if speed_corpus != folder and n_speed == cfg.scaling_n and key in builds:
            builds["scaling"] = builds[key]  # the same build: N=scaling_n, all workers
        else:
            small = subset_corpus(folder, manifest, cfg.scaling_n)
            builds["scaling"] = _build(cfg, small, f"n{cfg.scaling_n}-w{top}", top, log=log)
    result["builds"] = builds
    result["figures"] = figures(cfg, info, builds, n_speed, result["speedup_pairs"])
    result["targets"] = targets(cfg, result)
    result["meta"]["seconds"] = round(time.monotonic() - started, 1)
    return result


def _meta(cfg: Config) -> dict[str, Any]:
    try:
        from importlib.metadata import version

        pe_version = version("planextract")
    except Exception:  # not installed: running from a checkout
        pe_version = "unknown"
    return {
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "host": platform.node(), "cpu_count": os.cpu_count(), "python": platform.python_version(),
        "planextract": pe_version, "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
        "config": {k: str(v) if isinstance(v, Path) else v for k, v in asdict(cfg).items()},
    }


# --------------------------------------------------------------------------
# figures and targets
# --------------------------------------------------------------------------


def compare_pdf(plumber: dict[str, Any], ours: dict[str, Any]) -> dict[str, Any]:
    """Speed per page, and whether our reader finds the tables pdfplumber finds.

    Compared per file by cell texts (recall: pdfplumber's cells we have;
    precision: our cells pdfplumber has) and by count. Our reader joins a
    table continued on the next page into one, so fewer tables with every
    cell found is a join, not a miss.
    """
    pf, of = plumber.pop("per_file"), ours.pop("per_file")
    same_count = joined = 0
    found = total = kept = ours_total = 0
    differing = []
    for name, (n, cells) in pf.items():
        our_n, our_cells = of.get(name, [0, []])
        theirs, mine = set(cells), set(our_cells)
        hits = len(theirs & mine)
        found, total, kept, ours_total = found + hits, total + len(theirs), kept + hits, ours_total + len(mine)
        same_count += n == our_n
        joined += our_n < n and hits == len(theirs)
        if n != our_n or hits < len(theirs) or hits < len(mine):
            differing.append({"file": name, "pdfplumber_tables": n, "our_tables": our_n,
                              "missing_cells": sorted(theirs - mine)[:5], "extra_cells": sorted(mine - theirs)[:5]})
    for p in (plumber, ours):  # CPU time per page: wall time on a busy machine also counts other programs
        p["cpu_ms_per_page"] = round(1000 * p["cpu_seconds"] / p["pages"], 2) if p["pages"] else None
    ratio = plumber["cpu_ms_per_page"] / ours["cpu_ms_per_page"] if ours.get("cpu_ms_per_page") else None
    return {
        "pdfplumber": plumber, "ours": ours,
        "speedup_per_page": round(ratio, 2) if ratio else None,
        "files_same_table_count": same_count, "files_tables_joined_across_pages": joined, "files": len(pf),
        "cell_recall": round(found / total, 4) if total else 1.0,
        "cell_precision": round(kept / ours_total, 4) if ours_total else 1.0,
        "differing_files": differing[:10],
    }


def figures(cfg: Config, info: dict[str, Any], builds: dict[str, Any], n_speed: int,
            pairs: list[list[float]] | None = None) -> dict[str, Any]:
    """The headline figures; pairs: (1-worker, all-worker) build seconds, one pair per --repeat."""
    main = builds["all_workers"]
    secs = main["seconds"]
    f: dict[str, Any] = {
        "files_per_s": round(info["files"] / secs, 2),
        "mb_per_s": round(info["bytes"] / MB / secs, 3),
        "pdf_pages_per_s_in_build": round(info["pdf_pages"] / secs, 2),
        "peak_tree_rss_mb": main.get("peak_tree_rss_mb"),
        "peak_tree_pss_mb": main.get("peak_tree_pss_mb"),
        "max_process_rss_mb": max(main["self_peak_rss_mb"], main["children_peak_rss_mb"]),
        "noop_rebuild_seconds": builds["noop_rebuild"]["seconds"],
        "noop_rebuild_wall_seconds": builds["noop_rebuild"]["wall_seconds"],
        "noop_rebuild_parsed": builds["noop_rebuild"]["summary"]["parsed"],
        "speedup_files": n_speed,
    }
    one, top = builds.get("speedup_w1"), builds.get(f"speedup_w{cfg.top_workers}")
    if one and top and one is not top:
        ratios = sorted(a / b for a, b in pairs or [[one["seconds"], top["seconds"]]])
        f["speedup_all_workers"] = round(statistics.median(ratios), 2)
        f["speedup_runs"] = [round(r, 2) for r in ratios]
        f["w1_process_share"] = round(one.get("process_seconds", 0) / one["seconds"], 3)
        f["by_format_per_core"] = one.get("by_format", {})
        f["whole_pipeline_non_pdf_mb_per_s_per_core"] = _non_pdf_rate(one)
    if "scaling" in builds:
        small = builds["scaling"]
        f["scaling"] = {
            "n_small": cfg.scaling_n, "n_large": cfg.n,
            "peak_tree_rss_mb": [small.get("peak_tree_rss_mb"), main.get("peak_tree_rss_mb")],
            "peak_tree_pss_mb": [small.get("peak_tree_pss_mb"), main.get("peak_tree_pss_mb")],
            "max_process_rss_mb": [max(small["self_peak_rss_mb"], small["children_peak_rss_mb"]),
                                   f["max_process_rss_mb"]],
        }
    return f


def _non_pdf_rate(one: dict[str, Any]) -> float | None:
    """Input MB/s of the non-PDF files over the whole 1-worker build, all loading time charged to them."""
    by = one.get("by_format", {})
    pdf_s = by.get("pdf", {}).get("cpu_seconds", 0.0)
    size = sum(v["bytes"] for k, v in by.items() if k not in ("pdf", "error"))
    rest = one["cpu_seconds"] - pdf_s
    return round(size / MB / rest, 3) if rest > 0 else None


def targets(cfg: Config, r: dict[str, Any]) -> list[dict[str, Any]]:
    """The goals of issue #7 against this run's figures."""
    f, pdf = r["figures"], r["pdf"]
    out = []

    def check(name: str, value: Any, goal: str, met: bool | None) -> None:
        out.append({"target": name, "value": value, "goal": goal, "met": met})

    check("PDF ingest vs pdfplumber, per page", pdf["speedup_per_page"], ">= 5x",
          pdf["speedup_per_page"] is not None and pdf["speedup_per_page"] >= 5)
    check("same tables as pdfplumber (cell texts)", f"recall {pdf['cell_recall']}, precision {pdf['cell_precision']}; "
          f"same count in {pdf['files_same_table_count']}/{pdf['files']} files, "
          f"{pdf['files_tables_joined_across_pages']} with a table joined across pages",
          "recall and precision >= 0.99", pdf["cell_recall"] >= 0.99 and pdf["cell_precision"] >= 0.99)
    for fmt, v in sorted(f.get("by_format_per_core", {}).items()):
        if fmt not in ("pdf", "error"):
            check(f"{fmt}: ingest+extract MB/s per core", v["mb_per_s"], ">= 1", v["mb_per_s"] >= 1)
    if f.get("whole_pipeline_non_pdf_mb_per_s_per_core") is not None:
        v = f["whole_pipeline_non_pdf_mb_per_s_per_core"]
        check("non-PDF whole build MB/s per core", v, ">= 1", v >= 1)
    if "speedup_all_workers" in f:
        check(f"{cfg.top_workers} workers vs 1", f["speedup_all_workers"], ">= 1.7x" if cfg.top_workers == 2 else
              f">= {0.85 * cfg.top_workers:.1f}x", f["speedup_all_workers"] >= 0.85 * cfg.top_workers)
    check("no-op rebuild (wall, incl. start-up)", f["noop_rebuild_wall_seconds"], "< 5 s, reads 0 files",
          f["noop_rebuild_wall_seconds"] < 5 and f["noop_rebuild_parsed"] == 0)
    rss = f.get("peak_tree_rss_mb") or f["max_process_rss_mb"]
    check("peak RSS of the build (process tree)", rss, "< 500 MB", rss < 500)
    if "scaling" in f:
        # Flat: neither the whole tree (PSS) nor its largest process grows by more than a fifth.
        ratios = [round(large / small, 2) for small, large in (f["scaling"]["peak_tree_pss_mb"],
                                                                f["scaling"]["max_process_rss_mb"]) if small and large]
        check(f"RSS flat from N={cfg.scaling_n} to N={cfg.n} (tree PSS, largest process)", ratios, "<= 1.2x each",
              bool(ratios) and max(ratios) <= 1.2)
    return out


# --------------------------------------------------------------------------
# report
# --------------------------------------------------------------------------


def render(r: dict[str, Any]) -> str:
    """A compact text report."""
    c, f, pdf, fl = r["corpus"], r["figures"], r["pdf"], r["floor"]
    formats = ", ".join(f"{k} {v['files']}" for k, v in c["by_format"].items())
    lines = [
        f"corpus: {c['files']} files, {c['bytes'] / MB:.1f} MB, {c['pdf_pages']} PDF pages "
        f"({formats}); "
        f"{r['meta']['cpu_count']} CPUs, load {_load(r)}",
        "",
        f"{'phase':<34}{'seconds':>9}{'files/s':>10}{'MB/s':>9}{'pages/s':>9}{'RSS MB':>9}",
        _row("floor: bare read", fl["seconds"], fl["files"], fl["bytes"], None, fl.get("self_peak_rss_mb")),
    ]
    for label, p in (("pdfplumber text+tables, every page", pdf["pdfplumber"]), ("our PDF ingest", pdf["ours"])):
        lines.append(_row(label, p["seconds"], p["files"], None, p["pages"], p.get("self_peak_rss_mb")))
    for key, b in r["builds"].items():
        s = b["summary"]
        size = b["input_bytes"] if s["parsed"] else None
        lines.append(_row(f"build {key} ({b['workers']}w, {s['parsed']} read)", b["seconds"], s["parsed"] or None,
                          size, None, b.get("peak_tree_rss_mb") or b["self_peak_rss_mb"]))
    lines += ["", f"PDF CPU per page: pdfplumber {pdf['pdfplumber']['cpu_ms_per_page']} ms, "
              f"ours {pdf['ours']['cpu_ms_per_page']} ms"
              f" -> {pdf['speedup_per_page']}x; table cells: recall {pdf['cell_recall']}, precision "
              f"{pdf['cell_precision']}; same table count in {pdf['files_same_table_count']}/{pdf['files']} files "
              f"({pdf['files_tables_joined_across_pages']} joined across pages)"]
    if r.get("ocr", {}).get("pages"):
        o = r["ocr"]
        lines.append(f"OCR ({o['engine']}, 1 process): {o['pages']} pages in {o['seconds']} s -> {o['pages_per_s']} pages/s")
    if f.get("by_format_per_core"):
        parts = [f"{k} {v['mb_per_s']:.2f}" for k, v in f["by_format_per_core"].items()]
        lines.append("MB per CPU second (ingest+extract, 1 worker): " + ", ".join(parts))
    lines.append(f"all workers: {f['files_per_s']} files/s, {f['mb_per_s']} MB/s, peak tree RSS "
                 f"{f.get('peak_tree_rss_mb')} MB (PSS {f.get('peak_tree_pss_mb')} MB); no-op rebuild "
                 f"{f['noop_rebuild_seconds']} s ({f['noop_rebuild_wall_seconds']} s wall)")
    if "speedup_all_workers" in f:
        runs = f.get("speedup_runs") or []
        spread = f" (median of {len(runs)} pairs: {', '.join(map(str, runs))})" if len(runs) > 1 else ""
        lines.append(f"speed-up 1 -> {r['meta']['cpu_count']} workers on {f['speedup_files']} files: "
                     f"{f['speedup_all_workers']}x{spread}")
    if "scaling" in f:
        s = f["scaling"]
        lines.append(f"peak tree PSS N={s['n_small']} vs N={s['n_large']}: {s['peak_tree_pss_mb'][0]} vs "
                     f"{s['peak_tree_pss_mb'][1]} MB (largest process {s['max_process_rss_mb'][0]} vs "
                     f"{s['max_process_rss_mb'][1]} MB)")
    lines += ["", "targets:"]
    for t in r["targets"]:
        mark = "ok " if t["met"] else "NO "
        lines.append(f"  {mark} {t['target']}: {t['value']} (goal {t['goal']})")
    return "\n".join(lines)


def _load(r: dict[str, Any]) -> str:
    la = r["meta"].get("load_average")
    return f"{la[0]:.1f}" if la else "?"


def _row(label: str, seconds: float, files: int | None, size: int | None, pages: int | None,
         rss: float | None) -> str:
    def rate(x: float | None) -> str:
        return f"{x / seconds:.2f}" if x is not None and seconds > 0 else "-"

    return (f"{label[:33]:<34}{seconds:>9.2f}{rate(files):>10}{rate(size / MB if size else None):>9}"
            f"{rate(pages):>9}{(rss or 0):>9.0f}")


def write(r: dict[str, Any], path: Path | None) -> Path:
    if path is None:
        RESULTS.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        path = RESULTS / f"bench-n{r['corpus']['files']}-{stamp}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(r, ensure_ascii=False, indent=1), encoding="utf-8")
    return path
