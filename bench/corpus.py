"""A synthetic corpus for the benchmark: N documents in every supported format.

    python -m bench.corpus --n 2000 --seed 0 --out bench/work/corpus

Every document is a variant of a *source*: the sample documents of
scripts/make_samples.py and, when present, the real texts in
../shared/corpus and ../shared/corpus-extra. A variant changes numbers
(values scaled, years shifted), swaps place names for others from
rules/gazetteer.csv and shuffles paragraphs inside a section, so no two files
share bytes and no cache can skip work.

Rendering a .docx or a .pdf from scratch is slow (python-docx loads its
template, fpdf2 parses and subsets a CJK font: ~0.3 s and ~1-3 s a file), so
those two formats are made in two steps: a few dozen *base* files are
rendered from varied sources, and each document is then a cheap edit of one
base (a .docx gets its text varied inside word/document.xml; a .pdf is a
window of a base's pages, copied with PDFium). html, Tika text and GBK text
are rendered per document (string formatting, fast).

Deterministic: document i depends only on (seed, i), so the first 500
documents of N=2000 are the N=500 corpus. A finished corpus carries a
manifest.json and is reused by the next run with the same parameters.
"""

from __future__ import annotations

import argparse
import csv
import functools
import importlib.util
import io
import json
import logging
import multiprocessing
import os
import random
import re
import sys
import time
import zipfile
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SOURCE_DIRS = (SHARED / "corpus", SHARED / "corpus-extra")
GAZETTEER = REPO / "rules" / "gazetteer.csv"
SAMPLES_SCRIPT = REPO / "scripts" / "make_samples.py"
RAW_DIR = REPO / "data" / "raw"
GENERATOR_VERSION = 1  # bump when the output for a (n, seed) changes

FORMATS = ("pdf", "docx", "html", "txt", "gbk")
# Share of each format in the corpus: office files and web pages dominate real collections.
DEFAULT_MIX: dict[str, float] = {"pdf": 0.15, "docx": 0.25, "html": 0.20, "txt": 0.25, "gbk": 0.15}
SUFFIX = {"pdf": ".pdf", "docx": ".docx", "html": ".html", "txt": ".txt", "gbk": ".txt"}
PDF_BASE_CHARS = 24_000  # a base PDF holds at most this much text (~20 pages of 12 pt A4)


@dataclass(frozen=True)
class CorpusSpec:
    n: int = 2000
    seed: int = 0
    max_pdf_bases: int = 16
    max_docx_bases: int = 24
    mix: tuple[tuple[str, float], ...] = tuple(DEFAULT_MIX.items())
    render_pdf: bool = True  # False: the sample PDFs of data/raw are the bases (fast, for tests)

    def key(self) -> str:
        mix = "-".join(f"{k}{int(v * 100)}" for k, v in self.mix)
        pdf = "" if self.render_pdf else "-copypdf"
        return f"n{self.n}-s{self.seed}-p{self.max_pdf_bases}-d{self.max_docx_bases}-{mix}{pdf}-v{GENERATOR_VERSION}"


@dataclass
class DocInfo:
    """One generated file, as the manifest lists it."""

    name: str
    format: str
    source: str
    bytes: int
    pages: int | None = None  # PDF only


@dataclass
class Manifest:
    spec: dict[str, Any]
    docs: list[DocInfo]
    pdf_engine: str  # fpdf2 (rendered bases) or copy (data/raw PDFs as bases, no fpdf2 or font package here)
    seconds: float = 0.0

    def write(self, folder: Path) -> None:
        data = {"spec": self.spec, "pdf_engine": self.pdf_engine, "seconds": self.seconds,
                "docs": [asdict(d) for d in self.docs]}
        (folder / "manifest.json").write_text(json.dumps(data, ensure_ascii=False, indent=0), encoding="utf-8")

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        return cls(data["spec"], [DocInfo(**d) for d in data["docs"]], data["pdf_engine"], data["seconds"])

    def paths(self, folder: Path, fmt: str | None = None) -> list[Path]:
        return [docs_dir(folder) / d.name for d in self.docs if fmt is None or d.format == fmt]


def docs_dir(folder: Path) -> Path:
    """The documents of a corpus folder (its manifest sits beside them, outside the build's input)."""
    return Path(folder) / "docs"


# --------------------------------------------------------------------------
# sources
# --------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def samples_module() -> ModuleType:
    """scripts/make_samples.py: the Sample model and one renderer per format."""
    if not SAMPLES_SCRIPT.exists():
        raise SystemExit(f"the bench renders documents with {SAMPLES_SCRIPT}, which is missing")
    spec = importlib.util.spec_from_file_location("make_samples", SAMPLES_SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_samples"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


@dataclass(frozen=True)
class Source:
    name: str
    sample: Any  # make_samples.Sample
    text: str | None = None  # the raw text of a real document (written as-is to .txt)


@functools.lru_cache(maxsize=1)
def sources() -> tuple[Source, ...]:
    """The five samples, then the real texts (sorted, so the order is stable)."""
    ms = samples_module()
    out = [Source(Path(name).stem, sample) for name, (_, sample) in sorted(ms.SAMPLES.items())]
    tables = [item for s in out for item in s.sample.items if isinstance(item, ms.Tbl)]
    for folder in SOURCE_DIRS:
        for path in sorted(folder.rglob("*.txt")) if folder.is_dir() else []:
            text = path.read_text(encoding="utf-8", errors="replace")
            # Each real text borrows a sample table, so every format has tables to find.
            table = tables[len(out) % len(tables)]
            out.append(Source(f"{folder.name}-{path.stem}", text_to_sample(text, path.stem, table), text))
    return tuple(out)


_H1 = re.compile(r"^[一二三四五六七八九十]+、")
_H2 = re.compile(r"^[（(][一二三四五六七八九十]+[)）]")


def text_to_sample(text: str, fallback_title: str, table: Any) -> Any:
    """A plain text -> a Sample: outline lines become headings, the rest paragraphs."""
    ms = samples_module()
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("\t")]
    lines = [ln for ln in lines if not ln.startswith("[")]  # Tika markers ([image: ], [bookmark: ...])
    title = next((ln for ln in lines[:12] if 8 <= len(ln) <= 60 and not ln[:1].isdigit()), fallback_title)
    items: list[Any] = []
    for ln in lines:
        if ln == title:
            continue
        short = len(ln) <= 40
        kind = "h1" if short and _H1.match(ln) else "h2" if short and _H2.match(ln) else "p"
        items.append((kind, ln))
    heads = [i for i, it in enumerate(items) if it[0] == "h1"]
    at = heads[1] if len(heads) > 1 else len(items) // 2
    items.insert(at, table)
    return ms.Sample(title=title, items=items, header=title)


# --------------------------------------------------------------------------
# variation: numbers, years, place names, paragraph order
# --------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def place_names() -> tuple[dict[str, tuple[str, str]], dict[str, list[tuple[str, str]]]]:
    """name -> (level, short name), and level -> [(name, short name)], from the gazetteer."""
    by_name: dict[str, tuple[str, str]] = {}
    by_level: dict[str, list[tuple[str, str]]] = {}
    if GAZETTEER.exists():
        with GAZETTEER.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                name, short, level = row["name"], row.get("short_name") or "", row.get("level") or ""
                by_name[name] = (level, short)
                if _gbk_safe(name + short):
                    by_level.setdefault(level, []).append((name, short))
    return by_name, by_level


def _gbk_safe(text: str) -> bool:
    try:
        text.encode("gbk")
        return True
    except UnicodeEncodeError:
        return False


_NAME_ENDS = frozenset("省市县区州盟旗")


def find_places(text: str) -> list[str]:
    """Gazetteer names in a text: the longest name ending at each 省/市/县/区... character."""
    by_name, _ = place_names()
    found: dict[str, None] = {}
    for i, ch in enumerate(text):
        if ch in _NAME_ENDS:
            for length in range(min(10, i + 1), 1, -1):
                cand = text[i + 1 - length : i + 1]
                if cand in by_name:
                    found[cand] = None
                    break
    return list(found)


_NUMBER = re.compile(r"(?<![\d.])(\d+)(\.\d+)?(?![\d.])")
_DATE_PARTS = frozenset("-/:月日时号")


@dataclass
class Variation:
    """How one document differs from its source; all choices drawn from one seeded RNG."""

    rng: random.Random
    year_shift: int = 0
    places: dict[str, str] = field(default_factory=dict)
    shuffle: bool = True

    @classmethod
    def draw(cls, rng: random.Random, text: str) -> Variation:
        by_name, by_level = place_names()
        places: dict[str, str] = {}
        for name in find_places(text):
            level, short = by_name[name]
            pool = by_level.get(level) or []
            if pool:
                new, new_short = rng.choice(pool)
                places[name] = new
                if short and new_short and len(short) >= 2:
                    places.setdefault(short, new_short)
        return cls(rng, rng.choice([-3, -2, -1, 0, 1, 2]), places, rng.random() < 0.7)

    def text(self, text: str) -> str:
        text = _NUMBER.sub(self._number, text)
        for old in sorted(self.places, key=len, reverse=True):  # full names before their short forms
            text = text.replace(old, self.places[old])
        return text

    def _number(self, m: re.Match[str]) -> str:
        whole, frac = m.group(1), m.group(2) or ""
        before, after = m.string[m.start() - 1 : m.start()], m.string[m.end() : m.end() + 1]
        if before in _DATE_PARTS or after in _DATE_PARTS:
            return m.group(0)  # dates and times stay valid (2024-03-15, 9:30, 3月15日)
        if len(whole) == 4 and 1990 <= int(whole) <= 2049 and not frac:
            return str(int(whole) + self.year_shift)
        if (len(whole) == 1 and not frac) or after in ("、", ".", "．", "）", ")"):
            return m.group(0)  # list numbering (1、 2. （3）) keeps the outline intact
        value = float(whole + frac) * self.rng.uniform(0.6, 1.6)
        return f"{value:.{len(frac) - 1}f}" if frac else str(max(1, round(value)))

    def paragraphs(self, items: list[Any], is_plain: Callable[[Any], bool]) -> list[Any]:
        """Shuffle each run of plain paragraphs (headings and tables stay where they are)."""
        if not self.shuffle:
            return items
        out, run = [], []
        for item in [*items, None]:
            if item is not None and is_plain(item):
                run.append(item)
                continue
            self.rng.shuffle(run)
            out += run
            run = []
            if item is not None:
                out.append(item)
        return out


def vary_sample(sample: Any, v: Variation) -> Any:
    ms = samples_module()
    items = []
    for item in sample.items:
        if isinstance(item, ms.Tbl):
            items.append(ms.Tbl([v.text(c) for c in item.caption], [[v.text(c) for c in row] for row in item.rows],
                                item.header_rows))
        else:
            items.append((item[0], v.text(item[1])))
    items = v.paragraphs(items, lambda it: isinstance(it, tuple) and it[0] == "p")
    return ms.Sample(title=v.text(sample.title), items=items, header=v.text(sample.header),
                     meta={k: v.text(x) for k, x in sample.meta.items()})


def vary_raw_text(text: str, v: Variation) -> str:
    lines = v.text(text).split("\n")
    return "\n".join(v.paragraphs(lines, lambda ln: len(ln) > 40 and not ln.startswith("\t")
                                  and not _H1.match(ln) and not _H2.match(ln)))


def _variation(source: Source, rng: random.Random) -> Variation:
    return Variation.draw(rng, source.text or source.sample.title + "".join(
        it[1] for it in source.sample.items if isinstance(it, tuple)))


# --------------------------------------------------------------------------
# rendering: bases and documents
# --------------------------------------------------------------------------


def pdf_engine(render: bool = True) -> str:
    """fpdf2 when it and the CJK font package (dev extras) are installed, else copy (the sample PDFs are the bases)."""
    if not render:
        return "copy"
    try:
        import fpdf  # noqa: F401
        import fontTools  # noqa: F401
        import pylopdf_fonts_zh_cn  # noqa: F401  (make_samples.find_font)
    except ImportError:
        return "copy"
    return "fpdf2"


def _trim(sample: Any, max_chars: int) -> Any:
    """The first max_chars of a sample's text (its tables kept), to bound a base PDF's length."""
    ms = samples_module()
    items, used = [], 0
    for item in sample.items:
        if isinstance(item, ms.Tbl):
            items.append(item)
        elif used < max_chars:
            items.append(item)
            used += len(item[1])
    return ms.Sample(title=sample.title, items=items, header=sample.header, meta=sample.meta)


def render_base(fmt: str, k: int, seed: int, render_pdf: bool = True) -> bytes:
    """Base k of a format: a varied source rendered with make_samples (slow; done a few dozen times)."""
    logging.getLogger("fontTools").setLevel(logging.ERROR)  # "BDF NOT subset" noise
    ms = samples_module()
    srcs = sources()
    if fmt == "pdf" and pdf_engine(render_pdf) == "copy":
        raws = sorted(RAW_DIR.glob("*.pdf"))
        if not raws:
            raise SystemExit("no CJK font for fpdf2 and no sample PDF in data/raw: pip install -e '.[dev]'")
        return raws[k % len(raws)].read_bytes()
    src = srcs[k % len(srcs)]
    rng = random.Random(f"base:{fmt}:{seed}:{k}")
    sample = vary_sample(src.sample, _variation(src, rng))
    if fmt == "pdf":
        return ms.make_pdf(_trim(sample, PDF_BASE_CHARS))
    return ms.make_docx(sample)


@dataclass(frozen=True)
class Plan:
    """What document i will be: its format, source or base, and its RNG seed."""

    index: int
    format: str
    pick: int  # a source index (html, txt, gbk) or a base index (pdf, docx)
    seed: str

    def name(self, source: str) -> str:
        return f"{self.index:05d}_{self.format}_{source[:40]}{SUFFIX[self.format]}"


def plan(spec: CorpusSpec, n_sources: int) -> list[Plan]:
    formats, weights = zip(*spec.mix, strict=True)
    plans = []
    for i in range(spec.n):
        rng = random.Random(f"doc:{spec.seed}:{i}")
        fmt = rng.choices(formats, weights)[0]
        limit = {"pdf": spec.max_pdf_bases, "docx": spec.max_docx_bases}.get(fmt, n_sources)
        plans.append(Plan(i, fmt, rng.randrange(min(limit, n_sources)), f"{spec.seed}:{i}"))
    return plans


def render_doc(p: Plan, bases: dict[tuple[str, int], bytes]) -> tuple[str, bytes, int | None]:
    """(source name, bytes, pages) of one planned document."""
    ms = samples_module()
    rng = random.Random(f"vary:{p.seed}")
    src = sources()[p.pick % len(sources())]
    if p.format == "pdf":
        data, pages = pdf_window(bases[("pdf", p.pick)], rng, p.index)
        return f"base{p.pick}-{src.name}", data, pages
    if p.format == "docx":
        return f"base{p.pick}-{src.name}", vary_docx(bases[("docx", p.pick)], rng), None
    v = _variation(src, rng)
    if p.format == "html":
        return src.name, ms.make_html(vary_sample(src.sample, v)), None
    if p.format == "txt":
        text = vary_raw_text(src.text, v) if src.text else ms.make_tika(vary_sample(src.sample, v)).decode("utf-8")
        return src.name, text.encode("utf-8"), None
    if src.text:  # gbk: a web page copied into a text file, CRLF line ends
        text = vary_raw_text(src.text, v).replace("\r\n", "\n").replace("\n", "\r\n")
        return src.name, text.encode("gbk", errors="replace"), None
    return src.name, ms.make_gbk(vary_sample(src.sample, v)), None


def pdf_window(base: bytes, rng: random.Random, index: int) -> tuple[bytes, int]:
    """A run of a base PDF's pages (often all of them) saved as a new PDF."""
    import pypdfium2 as pdfium

    src = pdfium.PdfDocument(base)
    try:
        total = len(src)
        if total <= 2 or rng.random() < 0.4:
            start, length = 0, total
        else:
            length = rng.randint(2, total)
            start = rng.randint(0, total - length)
        dst = pdfium.PdfDocument.new()
        try:
            dst.import_pages(src, list(range(start, start + length)))
            buf = io.BytesIO()
            dst.save(buf)
        finally:
            dst.close()
    finally:
        src.close()
    # A comment after %%EOF makes every file's bytes unique (two windows may coincide).
    return buf.getvalue() + f"%bench-doc {index}\n".encode(), length


_W_T = re.compile(r"(<w:t(?:\s[^>]*)?>)([^<]*)(</w:t>)")
_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def vary_docx(base: bytes, rng: random.Random) -> bytes:
    """A base .docx with its text varied (inside <w:t> only) and its plain paragraphs shuffled."""
    zin = zipfile.ZipFile(io.BytesIO(base))
    xml = zin.read("word/document.xml").decode("utf-8")
    texts = "".join(m.group(2) for m in _W_T.finditer(xml))
    v = Variation.draw(rng, texts)
    xml = _W_T.sub(lambda m: m.group(1) + v.text(m.group(2)) + m.group(3), xml)
    xml = _shuffle_docx_paragraphs(xml, v)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = xml.encode("utf-8") if info.filename == "word/document.xml" else zin.read(info.filename)
            zout.writestr(info, data)
    return out.getvalue()


def _shuffle_docx_paragraphs(xml: str, v: Variation) -> str:
    from lxml import etree

    root = etree.fromstring(xml.encode("utf-8"))
    body = root.find(f"{{{_W_NS}}}body")
    if body is None:
        return xml

    def plain(el: Any) -> bool:  # a body paragraph without a style (no heading, title, caption)
        return el.tag == f"{{{_W_NS}}}p" and el.find(f".//{{{_W_NS}}}pStyle") is None and len(
            "".join(el.itertext())) > 30

    children = list(body)
    ordered = v.paragraphs(children, plain)
    for el in children:
        body.remove(el)
    body.extend(ordered)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True).decode("utf-8")


# --------------------------------------------------------------------------
# the whole corpus
# --------------------------------------------------------------------------


def _pool(workers: int) -> ProcessPoolExecutor:
    ctx = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None
    return ProcessPoolExecutor(max_workers=workers, mp_context=ctx)


def _render_chunk(plans: Sequence[Plan], bases: dict[tuple[str, int], bytes], folder: str) -> list[DocInfo]:
    infos = []
    for p in plans:
        source, data, pages = render_doc(p, bases)
        name = p.name(source)
        Path(folder, name).write_bytes(data)
        infos.append(DocInfo(name, p.format, source, len(data), pages))
    return infos


def _chunks(items: Sequence[Plan], size: int) -> Iterable[Sequence[Plan]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def generate(spec: CorpusSpec, folder: Path, *, workers: int | None = None,
             log: Callable[[str], None] = lambda s: None) -> Manifest:
    """Write the corpus into folder (reused when a finished one with this spec is there)."""
    folder = Path(folder)
    if (folder / "manifest.json").exists():
        found = Manifest.read(folder)
        if found.spec == asdict(spec) | {"mix": [list(m) for m in spec.mix]}:
            return found
    started = time.monotonic()
    _empty(docs_dir(folder))
    (folder / "manifest.json").unlink(missing_ok=True)
    workers = workers or os.cpu_count() or 1
    plans = plan(spec, len(sources()))
    needed = sorted({(p.format, p.pick) for p in plans if p.format in ("pdf", "docx")}, key=lambda b: (b[0] != "pdf", b))
    log(f"rendering {len(needed)} base files ({sum(f == 'pdf' for f, _ in needed)} PDF) ...")
    with _pool(workers) as pool:
        rendered = pool.map(render_base, [f for f, _ in needed], [k for _, k in needed], [spec.seed] * len(needed),
                            [spec.render_pdf] * len(needed))
        bases = dict(zip(needed, rendered, strict=True))
        log(f"writing {spec.n} documents ...")
        size = max(1, min(100, len(plans) // (4 * workers) or 1))
        futures = [pool.submit(_render_chunk, chunk, _bases_for(chunk, bases), str(docs_dir(folder)))
                   for chunk in _chunks(plans, size)]
        docs = [info for f in futures for info in f.result()]
    manifest = Manifest(asdict(spec) | {"mix": [list(m) for m in spec.mix]}, docs, pdf_engine(spec.render_pdf),
                        round(time.monotonic() - started, 2))
    manifest.write(folder)
    return manifest


def _bases_for(chunk: Sequence[Plan], bases: dict[tuple[str, int], bytes]) -> dict[tuple[str, int], bytes]:
    return {(p.format, p.pick): bases[(p.format, p.pick)] for p in chunk if (p.format, p.pick) in bases}


def subset(manifest: Manifest, folder: Path, n: int, dest: Path) -> Manifest:
    """The first n documents of a corpus in their own folder (hard links: no copies, same bytes)."""
    docs = manifest.docs[:n]
    if (dest / "manifest.json").exists() and [d.name for d in Manifest.read(dest).docs] == [d.name for d in docs]:
        return Manifest.read(dest)
    _empty(docs_dir(dest))
    for d in docs:
        src, dst = docs_dir(folder) / d.name, docs_dir(dest) / d.name
        try:
            os.link(src, dst)
        except OSError:
            dst.write_bytes(src.read_bytes())
    sub = Manifest(manifest.spec | {"n": n, "subset_of": str(folder)}, docs, manifest.pdf_engine, 0.0)
    sub.write(dest)
    return sub


def _empty(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        old.unlink()


def summary(manifest: Manifest) -> dict[str, Any]:
    by_format: dict[str, dict[str, int]] = {}
    for d in manifest.docs:
        f = by_format.setdefault(d.format, {"files": 0, "bytes": 0, "pages": 0})
        f["files"] += 1
        f["bytes"] += d.bytes
        f["pages"] += d.pages or 0
    return {
        "files": len(manifest.docs),
        "bytes": sum(d.bytes for d in manifest.docs),
        "pdf_pages": sum(d.pages or 0 for d in manifest.docs),
        "by_format": dict(sorted(by_format.items())),
        "pdf_engine": manifest.pdf_engine,
        "generate_seconds": manifest.seconds,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.corpus", description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, default=None, help="default: bench/work/corpus-<settings>, as python -m bench")
    args = ap.parse_args(argv)
    spec = CorpusSpec(n=args.n, seed=args.seed)
    m = generate(spec, args.out or REPO / "bench" / "work" / f"corpus-{spec.key()}", log=print)
    print(json.dumps(summary(m), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
