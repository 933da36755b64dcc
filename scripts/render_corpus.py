"""Render real texts the way governments publish them, and measure what the reader keeps.

    python scripts/render_corpus.py --out /tmp/render                 # every text, every variant
    python scripts/render_corpus.py --out /tmp/render --only 北京市 --variants pdf,scan

Each text of ../shared/corpus-extra and ../shared/corpus-dev (read by
planextract's own text reader: paragraphs, headings, tables) is rendered as

* ``docx``: one Word paragraph per block, a real table per table;
* ``pdf``: an A4 page as Word prints it (GB/T 9704-like margins, a running
  header, "— 3 —" page numbers, a first-line indent of two characters typed
  as an x offset or as two full-width spaces, lines broken anywhere, numbers
  included, with the punctuation rules of Chinese typesetting; justified or
  ragged right), ruled tables that run over pages;
* ``scan``: the same PDF as page images (grey JPEG, a slight skew), no text layer;
* ``doc``: the .docx converted to Word 97 by LibreOffice (``soffice`` on PATH), through .odt.

Then the text and every variant are read by planextract and their targets
compared: a variant's hit is a target whose fields (everything but where it
sits) equal one of the text's. The report gives per document and variant the
text's count, the variant's count and the share of the text's targets kept.

Font: Noto Sans CJK from the PyPI package ``cvttf-notosanscjk-regular`` (in
the dev extra), so rendering needs no system font. Deterministic: a
document's layout choices come from a hash of its name.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import io
import json
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SOURCES = (SHARED / "corpus-extra", SHARED / "corpus-dev")
VARIANTS = ("docx", "pdf", "scan", "doc")
SUFFIX = {"docx": ".docx", "pdf": ".pdf", "scan": ".pdf", "doc": ".doc"}
FIXED_TIME = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)  # reproducible files
MM = 72 / 25.4  # points per millimetre
# Fields of a target that say where it sits, not what it is: left out of the comparison.
_WHERE = {"target_id", "doc_id", "block_id", "section_path", "char_start", "char_end", "page", "evidence",
          "source", "table_id", "table_row", "table_col", "rule", "ocr", "ocr_confidence"}
# Chinese line-breaking rules: these never start a line, these never end one.
_NO_START = set("，。、；：！？）》」』】〕”’%‰·…—,.;:!?)]")
_NO_END = set("（《「『【〔“‘([")


def sources(roots: Iterable[Path] = SOURCES) -> list[Path]:
    """Every .txt below the roots, sorted by path; a text found twice (same bytes) only once."""
    seen: set[str] = set()
    out = []
    for p in sorted((p for root in roots for p in root.rglob("*.txt")), key=lambda p: p.as_posix()):
        digest = hashlib.sha256(p.read_bytes()).hexdigest()
        if digest not in seen:
            seen.add(digest)
            out.append(p)
    return out


# --------------------------------------------------------------------------
# Reading the text
# --------------------------------------------------------------------------


@dataclass
class Item:
    kind: str  # title | heading | paragraph | table
    text: str = ""
    rows: list[list[str]] = field(default_factory=list)
    header_rows: int = 1  # a table's, marked as header rows (Word: repeat as header row)


def items_of(data: bytes, max_chars: int | None = None, from_share: float = 0.0) -> list[Item]:
    """The text as planextract reads it: blocks in order, cut after max_chars at a block's end.

    from_share: start that far into the text (0.5: half way), the title and header fields kept,
    to render a part of a long text that holds its targets.
    """
    from planextract.ingest import ingest_bytes

    doc = ingest_bytes(data, "source.txt", ".txt")
    skip = from_share * sum(len(b.text) for b in doc.blocks)
    out: list[Item] = []
    size = seen = 0
    for i, b in enumerate(doc.blocks):
        seen += len(b.text)
        if i > 0 and seen <= skip:
            continue
        if b.kind == "table" and b.table is not None:
            out.append(Item("table", rows=b.table.rows, header_rows=b.table.header_rows))
        else:
            out.append(Item("title" if not out else "heading" if b.kind == "heading" else "paragraph", b.text))
        if len(out) == 1:  # the header fields (来源, 时间) the reader took out of the text, under the title
            out += [Item("paragraph", f"{k}：{v}") for k, v in doc.meta.items()]
        size += len(b.text)
        if max_chars is not None and size >= max_chars:
            break
    return out


def text_of(items: list[Item]) -> bytes:
    """Items back to plain text (one line per block, Tika cells for a table): the baseline a variant is held to."""
    lines: list[str] = []
    for it in items:
        if it.kind == "table":
            for row in it.rows:
                lines += ["\t" + c for c in row] + [""]
            lines.append("")
        else:
            lines.append(it.text)
    return ("\n".join(lines) + "\n").encode()


@dataclass(frozen=True)
class Style:
    """A document's layout choices, from a hash of its name (so the corpus varies, reproducibly)."""

    size: float  # body font size, points
    indent_spaces: bool  # first-line indent typed as two full-width spaces (else an x offset)
    justify: bool
    skew: float  # degrees, the scan only
    flow: bool = False  # fpdf2's own line breaking (multi_cell), as a simple PDF generator does it

    @staticmethod
    def of(name: str) -> Style:
        h = hashlib.sha256(name.encode()).digest()
        return Style(size=(14, 15, 16)[h[0] % 3], indent_spaces=h[1] % 2 == 0, justify=h[2] % 3 != 0,
                     skew=(-0.4, 0.0, 0.3)[h[3] % 3], flow=h[4] % 3 == 0)


# --------------------------------------------------------------------------
# .docx
# --------------------------------------------------------------------------


def render_docx(items: list[Item]) -> bytes:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.shared import Pt

    d = docx.Document()
    if items and items[0].kind == "table":
        d.add_paragraph("")  # LibreOffice drops a table that opens a document when it writes .doc
    for it in items:
        if it.kind == "table":
            table = d.add_table(rows=len(it.rows), cols=len(it.rows[0]))
            table.style = "Table Grid"
            for r, row in enumerate(it.rows):
                for c, text in enumerate(row):
                    cell = table.cell(r, c)
                    first, *more = text.split("\n")  # a cell's lines as its paragraphs, as Word users type them
                    cell.text = first
                    for line in more:
                        cell.add_paragraph(line)
                if r < it.header_rows:
                    table.rows[r]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
            continue
        p = d.add_paragraph(it.text)
        if it.kind == "title":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        else:
            p.paragraph_format.first_line_indent = Pt(24)
    d.core_properties.created = d.core_properties.modified = FIXED_TIME
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


# --------------------------------------------------------------------------
# .pdf (wrapped A4)
# --------------------------------------------------------------------------


def find_font() -> str:
    try:
        import cvttf_NotoSansCJK_Regular as noto  # type: ignore[import-not-found]
    except ImportError:
        raise SystemExit("no CJK font: pip install cvttf-notosanscjk-regular (in planextract's dev extra)") from None
    return str(noto.get_TTF_path())


def break_lines(text: str, width: float, measure: Any, first_indent: float) -> list[str]:
    """Greedy character-level line breaking with the kinsoku rules (a number may be split)."""
    lines: list[str] = []
    line, used, limit = "", 0.0, width - first_indent
    for ch in text:
        w = measure(ch)
        if line and used + w > limit + 0.01:
            if ch in _NO_START or line[-1] in _NO_END:  # move the last character down with it
                carry, line = line[-1], line[:-1]
                lines.append(line)
                line, used = carry, measure(carry)
            else:
                lines.append(line)
                line, used = "", 0.0
            limit = width
        line += ch
        used += w
    if line:
        lines.append(line)
    return lines


def render_pdf(items: list[Item], style: Style, header: str) -> bytes:
    from fpdf import FPDF

    class Pdf(FPDF):
        def header(self) -> None:
            if self.page_no() == 1:
                return
            self.set_font("cjk", size=10.5)
            self.set_char_spacing(0)
            self.set_xy(self.l_margin, 20 * MM)
            self.cell(self.epw, 6 * MM, header, align="C")
            self.line(self.l_margin, 27 * MM, self.w - self.r_margin, 27 * MM)
            self.set_y(self.t_margin)

        def footer(self) -> None:
            self.set_font("cjk", size=14)
            self.set_char_spacing(0)
            self.set_xy(self.l_margin, self.h - 25 * MM)
            self.cell(self.epw, 8 * MM, f"— {self.page_no()} —", align="R" if self.page_no() % 2 else "L")

    pdf = Pdf(format="A4", unit="pt")
    pdf.set_margins(28 * MM, 37 * MM, 26 * MM)
    pdf.set_auto_page_break(False)
    pdf.set_creation_date(FIXED_TIME)
    pdf.add_font("cjk", fname=find_font())
    pdf.add_page()
    bottom = pdf.h - 35 * MM
    for it in items:
        if it.kind == "table":
            _pdf_table(pdf, it, style)
            continue
        size = style.size + 6 if it.kind == "title" else style.size
        pdf.set_font("cjk", size=size)
        pitch = size * 1.75
        indent_chars = 0 if it.kind == "title" else 2
        text = ("\u3000" * indent_chars + it.text) if style.indent_spaces else it.text
        offset = 0.0 if style.indent_spaces else indent_chars * size
        if style.flow and it.kind != "title":
            _flow(pdf, text, pitch, bottom)
            continue
        lines = break_lines(text, pdf.epw, pdf.get_string_width, offset)
        for k, line in enumerate(lines):
            if pdf.get_y() + pitch > bottom:
                pdf.add_page()
            x = pdf.l_margin + (offset if k == 0 else 0.0)
            room = pdf.epw - (offset if k == 0 else 0.0)
            natural = pdf.get_string_width(line)
            last = k == len(lines) - 1
            spacing = (room - natural) / max(len(line) - 1, 1) if style.justify and not last else 0.0
            pdf.set_char_spacing(max(spacing, 0.0))
            if it.kind == "title":
                x = pdf.l_margin + (pdf.epw - natural) / 2
            pdf.text(x, pdf.get_y() + size, line)
            pdf.set_y(pdf.get_y() + pitch)
        pdf.set_char_spacing(0)
        if it.kind == "title":
            pdf.set_y(pdf.get_y() + pitch / 2)
    return bytes(pdf.output())


def _flow(pdf: Any, text: str, pitch: float, bottom: float) -> None:
    """A paragraph set by fpdf2's multi_cell: character wrapping, its own page breaks."""
    from fpdf.enums import WrapMode

    pdf.set_auto_page_break(True, margin=pdf.h - bottom)
    pdf.set_x(pdf.l_margin)
    pdf.multi_cell(0, pitch, "\u3000\u3000" + text, wrapmode=WrapMode.CHAR, new_x="LMARGIN", new_y="NEXT")
    pdf.set_auto_page_break(False)


def _column_widths(rows: list[list[str]], page_chars: int) -> tuple[int, ...]:
    """Widths in characters: a short column as wide as its longest line and three characters to
    spare (a cell's padding takes up to one; with a character or less to spare, lines that fill
    a cell could as well be one wrapped line), the long (prose) columns sharing the rest of the page."""
    longest = [max(len(line) for r in rows for line in r[c].split("\n")) + 3 for c in range(len(rows[0]))]
    short = [n if n <= 12 else 0 for n in longest]
    rest = max(page_chars - sum(short), 6)
    long_total = sum(n for n in longest if n > 12) or 1
    return tuple(n if n <= 12 else max(6, rest * n // long_total) for n in longest)


def _running_header(items: list[Item]) -> str:
    """The document's title as a running header: its first line of some length (not page chrome)."""
    return next((it.text[:30] for it in items if it.kind != "table" and len(it.text) >= 8), "")


def _pdf_table(pdf: Any, item: Item, style: Style) -> None:
    from fpdf.enums import WrapMode
    from fpdf.fonts import FontFace

    rows = item.rows
    pdf.set_char_spacing(0)
    size = style.size - 4.0
    widths = _column_widths(rows, int(pdf.epw / size))
    size = max(9.0, min(size, pdf.epw / sum(widths)))  # a wide table is set smaller (not under 小五, 9 pt)
    pdf.set_font("cjk", size=size)
    if pdf.get_y() + 60 > pdf.h - 35 * MM:
        pdf.add_page()
    pdf.set_x(pdf.l_margin)
    pdf.set_auto_page_break(True, margin=35 * MM)  # the table breaks its rows over pages itself
    with pdf.table(col_widths=widths, text_align="CENTER", line_height=size * 1.4,
                   wrapmode=WrapMode.CHAR, headings_style=FontFace(emphasis=""), repeat_headings=1,
                   num_heading_rows=item.header_rows, first_row_as_headings=item.header_rows > 0) as table:
        for row in rows:
            out = table.row()
            for text in row:
                out.cell(text)
    pdf.set_auto_page_break(False)
    pdf.set_y(pdf.get_y() + style.size)


# --------------------------------------------------------------------------
# scan, .doc
# --------------------------------------------------------------------------


def render_scan(pdf_bytes: bytes, style: Style, dpi: int = 150) -> bytes:
    """Every page as a grey JPEG, slightly skewed, on an A4 page: no text layer."""
    import pypdfium2 as pdfium
    from fpdf import FPDF
    from PIL import Image

    src = pdfium.PdfDocument(pdf_bytes)
    out = FPDF(format="A4", unit="pt")
    out.set_creation_date(FIXED_TIME)
    try:
        for i in range(len(src)):
            page = src[i]
            image = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
            page.close()
            if style.skew:
                image = image.rotate(style.skew, resample=Image.Resampling.BILINEAR, fillcolor=255, expand=False)
            buf = io.BytesIO()
            image.save(buf, format="JPEG", quality=70)
            out.add_page()
            out.image(buf, x=0, y=0, w=out.w, h=out.h)
    finally:
        src.close()
    return bytes(out.output())


def render_docs(docx_files: list[Path], out_dir: Path, timeout: float = 600) -> None:
    """.docx -> .doc, through .odt: LibreOffice 7.4 drops the tables of a .docx it writes
    straight to .doc, not those of an .odt. One LibreOffice run per step for all files."""
    soffice = shutil.which("soffice")
    if soffice is None:
        raise SystemExit("the doc variant needs LibreOffice: apt-get install libreoffice-writer-nogui")
    with tempfile.TemporaryDirectory() as tmp:
        odt = Path(tmp) / "odt"
        for target, files, folder in (("odt", docx_files, odt), ("doc:MS Word 97", None, out_dir)):
            sources = files if files is not None else sorted(odt.glob("*.odt"))
            subprocess.run(
                [soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--convert-to", target,
                 "--outdir", str(folder), *map(str, sources)],
                check=True, capture_output=True, timeout=timeout,
            )


# --------------------------------------------------------------------------
# Measuring
# --------------------------------------------------------------------------


def target_keys(data: bytes, name: str, suffix: str, *, fold: bool = False) -> list[tuple]:
    """The targets planextract reads from a file, each as its fields minus where it sits.

    fold: compare text fields as OCR can see them: in NFKC form (a page image does not tell a
    half-width '(' from a full-width '（') and without spaces (a space is a gap OCR may or may not report).
    """
    from planextract.extract import extract_document
    from planextract.ingest import ingest_bytes

    def value(v: object) -> str:
        return "".join(unicodedata.normalize("NFKC", repr(v)).split()) if fold else repr(v)

    result = extract_document(ingest_bytes(data, name, suffix))
    return sorted(tuple((k, value(v)) for k, v in sorted(t.model_dump().items()) if k not in _WHERE)
                  for t in result.targets)


def kept(base: list[tuple], variant: list[tuple]) -> float:
    """Share of the text's targets the variant gives with the same fields."""
    if not base:
        return 1.0
    return sum((Counter(base) & Counter(variant)).values()) / len(base)


@dataclass
class Row:
    doc: str
    variant: str
    text_targets: int
    variant_targets: int
    kept: float
    error: str | None = None


def render_all(paths: list[Path], out: Path, variants: Iterable[str], max_chars: int | None = None,
               from_share: float = 0.0) -> dict[str, dict[str, bytes]]:
    """Render every source in every variant; returns {stem: {variant: bytes}}, 'text' included."""
    variants = list(variants)
    rendered: dict[str, dict[str, bytes]] = {}
    whole = max_chars is None and not from_share
    for path in paths:
        items = items_of(path.read_bytes(), max_chars, from_share)
        style = Style.of(path.name)
        # The baseline: the text itself, or what is left of it when cut.
        files = rendered.setdefault(f"{path.parent.name}-{path.stem}", {"text": path.read_bytes() if whole else text_of(items)})
        if {"docx", "doc"} & set(variants):
            files["docx"] = render_docx(items)
        if {"pdf", "scan"} & set(variants):
            files["pdf"] = render_pdf(items, style, header=_running_header(items))
        if "scan" in variants:
            files["scan"] = render_scan(files["pdf"], style)
    for variant in ("text", *VARIANTS):
        folder = out / variant
        folder.mkdir(parents=True, exist_ok=True)
        for stem, files in rendered.items():
            if variant in files:
                (folder / (stem + (".txt" if variant == "text" else SUFFIX[variant]))).write_bytes(files[variant])
    if "doc" in variants:
        render_docs([out / "docx" / f"{stem}.docx" for stem in rendered], out / "doc")
        for stem, files in rendered.items():
            files["doc"] = (out / "doc" / f"{stem}.doc").read_bytes()
    for stem, files in rendered.items():
        for v in list(files):
            if v not in variants and v != "text":
                del files[v]
    return rendered


def load_rendered(out: Path, variants: Iterable[str], only: set[str]) -> dict[str, dict[str, bytes]]:
    """Files a previous run rendered into out, to measure them again without rendering."""
    rendered: dict[str, dict[str, bytes]] = {}
    for text in sorted((out / "text").glob("*.txt")):
        if only and not any(text.stem.endswith("-" + o) for o in only):
            continue
        files = rendered.setdefault(text.stem, {"text": text.read_bytes()})
        for v in variants:
            f = out / v / (text.stem + SUFFIX[v])
            if f.exists():
                files[v] = f.read_bytes()
    return rendered


def measure(rendered: dict[str, dict[str, bytes]]) -> list[Row]:
    rows = []
    for stem, files in rendered.items():
        base = target_keys(files["text"], f"{stem}.txt", ".txt")
        folded = target_keys(files["text"], f"{stem}.txt", ".txt", fold=True) if "scan" in files else []
        for variant in VARIANTS:
            if variant not in files:
                continue
            try:
                got = target_keys(files[variant], stem + SUFFIX[variant], SUFFIX[variant], fold=variant == "scan")
                rows.append(Row(stem, variant, len(base), len(got), kept(folded if variant == "scan" else base, got)))
            except Exception as exc:  # noqa: BLE001 - reported per file, the run goes on
                rows.append(Row(stem, variant, len(base), 0, 0.0, f"{type(exc).__name__}: {exc}"[:200]))
            print(f"{stem}\t{variant}\t{rows[-1].text_targets}\t{rows[-1].variant_targets}\t{rows[-1].kept:.3f}"
                  f"\t{rows[-1].error or ''}", file=sys.stderr, flush=True)
    return rows


def summary(rows: list[Row]) -> dict[str, dict[str, float]]:
    """Per variant: targets of the texts, of the variant, hits kept (pooled over documents)."""
    out: dict[str, dict[str, float]] = {}
    for variant in VARIANTS:
        mine = [r for r in rows if r.variant == variant]
        if not mine:
            continue
        base = sum(r.text_targets for r in mine)
        hits = sum(round(r.kept * r.text_targets) for r in mine)
        out[variant] = {"documents": len(mine), "text_targets": base,
                        "variant_targets": sum(r.variant_targets for r in mine),
                        "kept": round(hits / base, 4) if base else 1.0,
                        "errors": sum(1 for r in mine if r.error)}
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--variants", default=",".join(VARIANTS))
    ap.add_argument("--only", default="", help="comma-separated name stems to render (default: all)")
    ap.add_argument("--max-chars", type=int, default=None, help="cut each text after this many characters")
    ap.add_argument("--from-share", type=float, default=0.0, help="start this far into each text (0.5: half way)")
    ap.add_argument("--measure-only", action="store_true", help="measure the files a previous run left in --out")
    args = ap.parse_args(argv)
    variants = [v for v in args.variants.split(",") if v]
    unknown = set(variants) - set(VARIANTS)
    if unknown:
        ap.error(f"unknown variants: {', '.join(sorted(unknown))}")
    wanted = set(filter(None, args.only.split(",")))
    if args.measure_only:
        rows = measure(load_rendered(args.out, variants, wanted))
    else:
        paths = [p for p in sources() if not wanted or p.stem in wanted]
        if not paths:
            raise SystemExit(f"no texts found below {', '.join(map(str, SOURCES))}")
        rows = measure(render_all(paths, args.out, variants, args.max_chars, args.from_share))
    report = {"summary": summary(rows), "rows": [r.__dict__ for r in rows]}
    (args.out / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    print(json.dumps(report["summary"], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
