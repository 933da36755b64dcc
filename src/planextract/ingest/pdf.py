"""PDF -> Document: text page by page, ruled tables, no page furniture.

Two engines produce the same intermediate form (lines with positions and
tables per page), and one layout step turns it into blocks:

* ``pdfium`` (default, fast): text lines from pypdfium2's text rectangles;
  pdfplumber's table finder runs only on pages that draw enough path objects
  to hold a ruled table (a cheap count of pypdfium2 page objects).
* ``pdfplumber`` (slow): pdfplumber's text lines and table finder on every
  page. Kept as a cross-check (tests assert both engines find the same
  tables) and as a fallback for a file PDFium's text layer gets wrong.

Layout: text inside a table's box is dropped (the table block holds it);
running headers/footers (the same line in the top or bottom margin of most
pages) and page numbers ("- 3 -", "第 3 页", "3/14") are removed; wrapped
lines are joined into paragraphs, across a page break too, a paragraph
keeping the page it starts on. A line opening an outline item (一、, （一）,
1. ...) always starts a new block, so headings stay on their own. A table
that opens a page with the width of the table that closed the page before
is the same table going on: its rows are appended, a repeated header dropped.
"""

from __future__ import annotations

import io
import logging
import statistics
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

import regex

from planextract.ingest import clean
from planextract.ingest.errors import IngestError
from planextract.ingest.layout import guess_header_rows, join_cell_lines, join_wrapped
from planextract.models import Block, Document, Table
from planextract.structure import opens_section

Engine = Literal["pdfium", "pdfplumber"]

# pdfminer logs a warning for every oddity of a damaged file; the errors table is where those belong.
logging.getLogger("pdfminer").setLevel(logging.ERROR)


@dataclass(frozen=True)
class PdfOptions:
    """How the PDF reader works; the defaults suit A4 government documents."""

    engine: Engine = "pdfium"
    # A page is searched for tables only if it draws at least this many paths
    # (a ruled table is many lines or rectangles; a header rule is one).
    min_paths_for_tables: int = 4
    # Top and bottom share of the page height where headers, footers and page numbers live.
    margin_fraction: float = 0.12
    # A line repeated in the margins of at least this share of pages is furniture.
    repeat_fraction: float = 0.5


DEFAULT_OPTIONS = PdfOptions()

# Page numbers as printed alone on a line; a format concern, not a vocabulary.
_PAGE_NUMBER = regex.compile(
    r"^(?:[-—–－_·•\s]*\d{1,4}[-—–－_·•\s]*"
    r"|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}"
    r"|(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?)$",
    regex.IGNORECASE,
)
# A table-of-contents entry: text, a dot leader, a page number.
_TOC_ENTRY = regex.compile(r"^.{2,60}?[.…·．。\s]{4,}\s*\d{1,4}$")
_DIGITS = regex.compile(r"\d+")


@dataclass
class Line:
    """One text line of a page; coordinates from the page's top left, in points."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    indented: bool = False  # starts with spaces (首行缩进 typed as spaces)

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass
class PageTable:
    bbox: tuple[float, float, float, float]  # x0, top, x1, bottom
    rows: list[list[str]]


@dataclass
class Page:
    number: int  # 1-based
    height: float
    lines: list[Line] = field(default_factory=list)
    tables: list[PageTable] = field(default_factory=list)
    has_image: bool = False


def read_pdf(data: bytes, doc: Document, options: PdfOptions = DEFAULT_OPTIONS) -> Document:
    pages = _read_pages(data, options, doc.warnings)
    doc.pages = len(pages)
    _check_text_layer(pages, doc)
    _remove_furniture(pages, options)
    doc.blocks = _blocks(pages, doc.meta)
    return doc


def _read_pages(data: bytes, options: PdfOptions, warnings: list[str]) -> list[Page]:
    try:
        if options.engine == "pdfplumber":
            return _plumber_pages(data)
        return _pdfium_pages(data, options, warnings)
    except IngestError:
        raise
    except RecursionError as exc:  # a cyclic or absurdly deep object tree
        raise IngestError("corrupt_pdf", "corrupt PDF: its object tree is cyclic or too deep") from exc
    except Exception as exc:  # whatever a broken file makes a parser throw
        raise IngestError("corrupt_pdf", f"corrupt PDF: {type(exc).__name__}: {exc}"[:300]) from exc


# --------------------------------------------------------------------------
# Engines
# --------------------------------------------------------------------------


def _pdfium_pages(data: bytes, options: PdfOptions, warnings: list[str]) -> list[Page]:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise _open_error(getattr(exc, "err_code", None), str(exc)) from exc
    pages: list[Page] = []
    ruled: list[int] = []
    try:
        if len(pdf) == 0:
            raise IngestError("corrupt_pdf", "corrupt PDF: no pages found (a broken or cyclic page tree)")
        for i in range(len(pdf)):
            page = pdf[i]
            try:
                p, paths = _pdfium_page(page, i + 1)
            finally:
                page.close()
            pages.append(p)
            if paths >= options.min_paths_for_tables:
                ruled.append(i)
    finally:
        pdf.close()
    if ruled:
        warnings += _add_tables(data, pages, ruled)
    return pages


def _open_error(code: int | None, message: str) -> IngestError:
    import pypdfium2.raw as pdfium_c

    if code == pdfium_c.FPDF_ERR_PASSWORD:
        return IngestError("encrypted_pdf", "encrypted PDF: a password is needed")
    if code == pdfium_c.FPDF_ERR_SECURITY:
        return IngestError("encrypted_pdf", "encrypted PDF: unsupported security handler")
    return IngestError("corrupt_pdf", f"corrupt PDF: cannot open it ({message})")


def _pdfium_page(page: Any, number: int) -> tuple[Page, int]:
    """A page's text lines, and how many path objects it draws."""
    import pypdfium2.raw as pdfium_c

    left, bottom, _, top = page.get_bbox()  # the visible box; get_cropbox ignores inherited boxes
    height = top - bottom
    paths, has_image = 0, False
    for obj in page.get_objects(max_depth=3):
        if obj.type == pdfium_c.FPDF_PAGEOBJ_PATH:
            paths += 1
        elif obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            has_image = True
    textpage = page.get_textpage()
    try:
        runs = []
        for k in range(textpage.count_rects()):
            x0, y0, x1, y1 = textpage.get_rect(k)
            text = textpage.get_text_bounded(x0, y0, x1, y1)
            if text.strip():
                runs.append(Line(text, x0 - left, x1 - left, top - y1, top - y0))
    finally:
        textpage.close()
    return Page(number=number, height=height, lines=_merge_runs(runs), has_image=has_image), paths


def _merge_runs(runs: list[Line]) -> list[Line]:
    """PDFium's text rectangles -> lines: runs side by side on one baseline are one line."""
    lines: list[Line] = []
    for run in runs:
        last = lines[-1] if lines else None
        if last is not None and _same_line(last, run) and run.x0 >= last.x1 - 1:
            gap = run.x0 - last.x1
            last.text = last.text + (" " if gap > 0.8 * run.height else "") + run.text
            last.x1 = run.x1
            last.top, last.bottom = min(last.top, run.top), max(last.bottom, run.bottom)
        else:
            lines.append(run)
    for line in lines:
        line.indented = line.text[:1].isspace()
        line.text = line.text.strip()
    return lines


def _same_line(a: Line, b: Line) -> bool:
    overlap = min(a.bottom, b.bottom) - max(a.top, b.top)
    return overlap >= 0.5 * min(a.height, b.height)


def _add_tables(data: bytes, pages: list[Page], indexes: list[int]) -> list[str]:
    """Run pdfplumber's table finder on the given pages and drop the text inside each table.

    PDFium reads (and repairs) more damaged files than pdfminer: where
    pdfplumber fails, the page keeps its text as paragraphs and a warning says so.
    """
    import pdfplumber

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        plumber_pages = pdf.pages
    except Exception as exc:  # pdfminer cannot parse what PDFium could
        return [f"tables not searched: pdfplumber cannot parse the file ({type(exc).__name__})"]
    failed: list[int] = []
    with pdf:
        for i in indexes:
            page = pages[i]
            try:
                page.tables = _find_tables(plumber_pages[i])
            except Exception:  # noqa: BLE001 - a damaged page: keep its text, say so below
                failed.append(page.number)
                continue
            page.lines = [ln for ln in page.lines if not _inside_any(ln, page.tables)]
    return [f"table detection failed on page(s) {', '.join(map(str, failed))}"] if failed else []


def _plumber_pages(data: bytes) -> list[Page]:
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # pdfplumber wraps pdfminer's errors in PdfminerException
        if isinstance(exc, PDFPasswordIncorrect) or any(isinstance(a, PDFPasswordIncorrect) for a in exc.args):
            raise IngestError("encrypted_pdf", "encrypted PDF: a password is needed") from exc
        raise
    pages: list[Page] = []
    with pdf:
        if not pdf.pages:
            raise IngestError("corrupt_pdf", "corrupt PDF: no pages found (a broken or cyclic page tree)")
        for i, pl in enumerate(pdf.pages):
            ox, oy = pl.bbox[0], pl.bbox[1]
            lines = [
                Line(d["text"].strip(), d["x0"] - ox, d["x1"] - ox, d["top"] - oy, d["bottom"] - oy,
                     indented=d["text"][:1].isspace())
                for d in pl.extract_text_lines()
                if d["text"].strip()
            ]
            tables = _find_tables(pl)
            lines = [ln for ln in lines if not _inside_any(ln, tables)]
            pages.append(Page(i + 1, float(pl.height), lines, tables, has_image=bool(pl.images)))
            pl.close()
    return pages


def _find_tables(page: Any) -> list[PageTable]:
    """pdfplumber's ruled tables on a page, merged cells resolved; 1-row or 1-column boxes skipped."""
    ox, oy = page.bbox[0], page.bbox[1]
    out = []
    for table in page.find_tables():
        rows = _grid(table)
        if len(rows) >= 2 and len(rows[0]) >= 2:
            x0, top, x1, bottom = table.bbox
            out.append(PageTable((x0 - ox, top - oy, x1 - ox, bottom - oy), rows))
    return out


def _grid(table: Any) -> list[list[str]]:
    """A pdfplumber table -> a rectangular grid, a merged cell's text in every cell it covers."""
    texts = table.extract()
    cells = [(bbox, texts[r][c]) for r, row in enumerate(table.rows)
             for c, bbox in enumerate(row.cells) if bbox is not None]
    if not cells:
        return []
    xs = sorted({round(b[0], 1) for b, _ in cells})
    ys = sorted({round(b[1], 1) for b, _ in cells})
    grid = [[""] * len(xs) for _ in ys]
    for (x0, top, x1, bottom), text in cells:
        value = clean.squeeze(join_cell_lines(text or ""))
        for r, y in enumerate(ys):
            if top - 0.5 <= y < bottom - 0.5:
                for c, x in enumerate(xs):
                    if x0 - 0.5 <= x < x1 - 0.5:
                        grid[r][c] = value
    return [row for row in grid if any(row)]


def _inside_any(line: Line, tables: list[PageTable]) -> bool:
    cx, cy = (line.x0 + line.x1) / 2, (line.top + line.bottom) / 2
    return any(x0 <= cx <= x1 and top <= cy <= bottom for (x0, top, x1, bottom) in (t.bbox for t in tables))


# --------------------------------------------------------------------------
# Checks and page furniture
# --------------------------------------------------------------------------


def _check_text_layer(pages: list[Page], doc: Document) -> None:
    """Refuse a scanned PDF; warn about scanned pages inside a text PDF."""
    empty = [p for p in pages if not p.lines and not p.tables]
    if pages and len(empty) == len(pages):
        n = len(pages)
        raise IngestError("scanned_pdf", f"scanned PDF: no text layer on {n} of {n} pages, needs OCR")
    scanned = [p.number for p in empty if p.has_image]
    if scanned:
        doc.warnings.append(
            f"no text layer on page(s) {', '.join(map(str, scanned))} of {len(pages)} "
            "(scanned images, their text needs OCR)"
        )


def _remove_furniture(pages: list[Page], options: PdfOptions) -> None:
    """Drop page numbers and headers/footers repeated in the margins of most pages."""
    def in_margin(line: Line, page: Page) -> bool:
        zone = options.margin_fraction * page.height
        return line.bottom <= zone or line.top >= page.height - zone

    seen: Counter[tuple[str, int]] = Counter()
    for page in pages:
        seen.update({_furniture_key(ln) for ln in page.lines if in_margin(ln, page)})
    needed = max(2, options.repeat_fraction * len(pages))
    repeated = {k for k, n in seen.items() if n >= needed}
    for page in pages:
        page.lines = [
            ln for ln in page.lines
            if not (in_margin(ln, page) and (_PAGE_NUMBER.match(ln.text) or _furniture_key(ln) in repeated))
            and not _TOC_ENTRY.match(ln.text)
        ]


def _furniture_key(line: Line) -> tuple[str, int]:
    """A running header/footer: its text with page numbers masked, and its height on the page.

    The height tells a running header from the same words printed once as
    the document's title a little lower on the first page.
    """
    return _DIGITS.sub("#", regex.sub(r"\s+", "", line.text)), round(line.top / 6)


# --------------------------------------------------------------------------
# Lines -> blocks
# --------------------------------------------------------------------------


@dataclass
class _Metrics:
    left: float
    right: float
    size: float  # body line height, about one character wide


def _metrics(lines: list[Line], fallback: _Metrics | None) -> _Metrics:
    if len(lines) < 3 and fallback is not None:
        return fallback
    if not lines:
        return _Metrics(0.0, 0.0, 10.0)
    lefts = Counter(round(ln.x0) for ln in lines if not ln.indented)
    left = min(lefts, key=lambda x: (-lefts[x], x)) if lefts else min(ln.x0 for ln in lines)
    return _Metrics(left=left, right=max(ln.x1 for ln in lines), size=statistics.median(ln.height for ln in lines))


def _blocks(pages: list[Page], meta: dict[str, str]) -> list[Block]:
    blocks: list[Block] = []
    prev: Line | None = None  # the last text line, while its paragraph is open
    prev_page = 0
    metrics: _Metrics | None = None
    for page in pages:
        metrics = _metrics(page.lines, metrics)
        text_seen = False  # any text on this page yet
        for item in _in_reading_order(page):
            if isinstance(item, PageTable):
                last = blocks[-1].table if blocks and not text_seen else None
                if last is None or not _continue_table(last, item.rows):
                    table = Table(rows=item.rows, header_rows=guess_header_rows(item.rows))
                    blocks.append(Block(kind="table", text=table.render(), table=table, page=page.number))
                blocks[-1].text = blocks[-1].table.render()  # type: ignore[union-attr]
                prev = None
                continue
            text_seen = True
            line = item
            if clean.is_noise_line(line.text):
                continue
            fields = clean.parse_meta_line(line.text)
            if fields is not None:
                for k, v in fields.items():
                    meta.setdefault(k, v)
                prev = None
                continue
            if prev is not None and _continues(prev, line, metrics, same_page=prev_page == page.number):
                blocks[-1].text = join_wrapped(blocks[-1].text, clean.squeeze(line.text))
            else:
                blocks.append(Block(kind="paragraph", text=clean.squeeze(line.text), page=page.number))
            prev, prev_page = line, page.number
    return blocks


def _continue_table(table: Table, rows: list[list[str]]) -> bool:
    """Append a table that goes on from the previous page (same width); its repeated header is dropped."""
    if not rows or len(rows[0]) != table.n_cols:
        return False
    header = table.rows[: table.header_rows]
    body = rows[len(header) :] if rows[: len(header)] == header else rows
    table.rows.extend(body)
    return True


def _in_reading_order(page: Page) -> Iterator[Line | PageTable]:
    """The page's lines with each table placed where its top edge is."""
    tables = sorted(page.tables, key=lambda t: t.bbox[1])
    for line in page.lines:
        while tables and tables[0].bbox[1] <= line.top:
            yield tables.pop(0)
        yield line
    yield from tables


def _continues(prev: Line, line: Line, m: _Metrics, same_page: bool) -> bool:
    """True when `line` goes on with the paragraph `prev` ended."""
    if opens_section(line.text):
        return False
    if line.indented or line.x0 > m.left + 0.9 * m.size:
        return False  # first-line indent: a new paragraph
    if _short(prev, m):
        return False  # the previous line stopped early: its paragraph ended there
    if same_page and line.top - prev.bottom > 1.2 * max(m.size, prev.height):
        return False  # a blank line between them
    return True


def _short(line: Line, m: _Metrics) -> bool:
    return line.x1 < m.right - 2 * m.size
