"""The benchmark on a tiny corpus: the generator is deterministic and every phase reports its figures.

The real benchmark (N=2000) is `make bench`; this only proves the machinery
works, in a few seconds.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench/ lives at the repo root, beside src/

from bench import corpus as gen  # noqa: E402
from bench import runner  # noqa: E402


def test_variants_are_deterministic_and_differ_from_each_other() -> None:
    plans = [gen.Plan(index=i, format=fmt, pick=0, seed=f"7:{i}") for i, fmt in enumerate(["html", "txt", "gbk"])]
    for p in plans:
        first, again = gen.render_doc(p, {}), gen.render_doc(p, {})
        assert first == again
        other = gen.render_doc(gen.Plan(p.index, p.format, p.pick, seed="8:0"), {})
        assert other[1] != first[1]  # another seed, other numbers or names or order
    html = gen.render_doc(plans[0], {})[1].decode("utf-8")
    assert "<table" in html and "</html>" in html
    assert gen.render_doc(plans[2], {})[1].decode("gbk")  # the GBK variant is valid GBK


def test_variation_keeps_outline_numbers_and_dates() -> None:
    v = gen.Variation(random.Random(1), year_shift=2, places={}, shuffle=False)
    text = v.text("一、总体要求\n1.到2025年，产值达到350亿元，增长12.5%。2024-03-15发布。")
    assert text.startswith("一、总体要求\n1.到2027年，产值达到")
    assert "2024-03-15" in text  # dates stay valid
    assert "350亿元" not in text and "12.5%" not in text


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> dict:
    work = tmp_path_factory.mktemp("bench")
    cfg = runner.Config(n=6, seed=3, workers=[1, 2], scaling_n=None, speedup_n=None, pdf_sample=None,
                        max_pdf_bases=1, max_docx_bases=1, render_pdf=False, work=work, isolate=False, repeat=2,
                        ocr_pages=1)
    return {"cfg": cfg, "result": runner.run(cfg, log=lambda s: None)}


def test_tiny_bench_reports_every_figure(tiny: dict) -> None:
    r = tiny["result"]
    assert set(r) >= {"meta", "corpus", "floor", "pdf", "builds", "figures", "targets"}
    assert r["corpus"]["files"] == 6 and r["floor"]["files"] == 6
    assert set(r["builds"]) >= {"all_workers", "noop_rebuild", "speedup_w1", "speedup_w2"}
    assert r["builds"]["all_workers"]["summary"]["parsed"] == 6
    assert r["builds"]["noop_rebuild"]["summary"]["parsed"] == 0  # nothing changed: nothing re-read
    f = r["figures"]
    assert {"files_per_s", "mb_per_s", "noop_rebuild_seconds", "speedup_all_workers", "max_process_rss_mb"} <= set(f)
    assert f["by_format_per_core"]  # the 1-worker build is timed per format
    assert len(r["speedup_pairs"]) == len(f["speedup_runs"]) == 2  # --repeat 2: two pairs, median
    ratios = [one / many for one, many in r["speedup_pairs"]]
    assert f["speedup_all_workers"] == round(sum(ratios) / 2, 2)  # the median of two
    assert {t["target"] for t in r["targets"]} >= {"peak RSS of the build (process tree)"}
    assert "targets:" in runner.render(r)
    out = runner.write(r, tiny["cfg"].work / "result.json")
    assert json.loads(out.read_text(encoding="utf-8"))["corpus"]["files"] == 6


def test_ocr_throughput_is_reported(tiny: dict) -> None:
    o = tiny["result"]["ocr"]
    assert tiny["result"]["pdf"]["files"]  # the tiny corpus holds PDFs: one page of them is read by OCR
    assert o["available"] and o["pages"] == 1 and o["pages_per_s"] > 0
    assert "pages/s" in runner.render(tiny["result"])


def test_pdf_comparison_counts_pages_and_tables(tiny: dict) -> None:
    pdf = tiny["result"]["pdf"]
    assert pdf["pdfplumber"]["pages"] == pdf["ours"]["pages"]
    if pdf["files"]:
        assert pdf["pdfplumber"]["pages"] > 0 and pdf["speedup_per_page"] is not None


def test_a_phase_runs_in_its_own_process(tiny: dict) -> None:
    folder = next(p for p in tiny["cfg"].work.iterdir() if p.name.startswith("corpus-"))
    r = runner.run_phase("read", {"corpus": str(folder)}, isolate=True)
    assert r["files"] == 6 and r["wall_seconds"] > 0
    assert r["self_peak_rss_mb"] > 0


def test_subset_links_the_first_documents(tiny: dict, tmp_path: Path) -> None:
    folder = next(p for p in tiny["cfg"].work.iterdir() if p.name.startswith("corpus-"))
    manifest = gen.Manifest.read(folder)
    sub = gen.subset(manifest, folder, 3, tmp_path / "first3")
    assert [d.name for d in sub.docs] == [d.name for d in manifest.docs[:3]]
    assert sorted(p.name for p in gen.docs_dir(tmp_path / "first3").iterdir()) == sorted(d.name for d in sub.docs)
