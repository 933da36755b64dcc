"""PDF -> Document: text page by page, ruled tables, no page furniture.

Two engines produce the same intermediate form (lines with positions and
tables per page), and one layout step turns it into blocks:

* ``pdfium`` (default, fast): text lines from pypdfium2's text rectangles.
  Only a page that draws enough path objects to hold a ruled table is
  searched for tables, and without pdfminer: the ruling lines are the
  straight segments of PDFium's path objects, turned into cells by
  pdfplumber's own geometry functions (the same edges -> intersections ->
  cells -> tables steps and default tolerances as its ``find_tables``), and
  each cell's text is PDFium's text inside the cell box. pdfplumber's
  ``find_tables`` (which makes pdfminer parse every character of the page,
  over 10x slower) runs only on a page whose geometry PDFium cannot read, or on
  every ruled page with ``table_finder="pdfplumber"`` (the old path, kept as
  a cross-check).
* ``pdfplumber`` (slow): pdfplumber's text lines and table finder on every
  page. Kept as a cross-check (tests assert both engines find the same
  tables) and as a fallback for a file PDFium's text layer gets wrong.

Layout: text inside a table's box is dropped (the table block holds it);
running headers/footers (the same line in the top or bottom margin of most
pages, where removing it leaves body text) and page numbers ("- 3 -",
"第 3 页", "3/14") are removed; lines are read top to bottom, two-column
text column by column, text drawn turned in a frame turned with it; wrapped
lines are joined into paragraphs, across a page break too, a paragraph
keeping the page it starts on (see `_continues`: right-edge shortfall,
indent, line pitch, outline numbers; a number, unit or 《title》 is never
split). A line opening an outline item (一、, （一）, 1. ...) always starts a
new block, so headings stay on their own. A table that opens a page with
the columns and edges of the table that closed the page before is the same
table going on: its rows are appended, a repeated header dropped.

OCR (`ocr.py`, optional): pages with an image and no text layer, or a
garbled one, are rendered and read by rapidocr (`PdfOptions.ocr`: auto,
force, off); their ruled tables come from the rules on the image
(`scan_tables.py`).
"""

from __future__ import annotations

import dataclasses
import io
import logging
import statistics
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

import regex

from planextract.ingest import clean, ocr
from planextract.ingest.errors import IngestError
from planextract.ingest.layout import guess_header_rows, join_cell_lines, join_wrapped, unbreakable
from planextract.ingest.sniff import plausibility
from planextract.models import Block, Document, Table
from planextract.structure import opens_section

Engine = Literal["pdfium", "pdfplumber"]
TableFinder = Literal["pdfium", "pdfplumber"]
# A pdfplumber edge: a horizontal or vertical ruling segment, page coordinates from the top left.
Edge = dict[str, Any]
CellBox = tuple[float, float, float, float]  # x0, top, x1, bottom

# pdfminer logs a warning for every oddity of a damaged file; the errors table is where those belong.
logging.getLogger("pdfminer").setLevel(logging.ERROR)


@dataclass(frozen=True)
class PdfOptions:
    """How the PDF reader works; the defaults suit A4 government documents."""

    engine: Engine = "pdfium"
    # How the pdfium engine finds ruled tables: from PDFium's path objects
    # (fast), or with pdfplumber's find_tables (slow; the reference it matches).
    table_finder: TableFinder = "pdfium"
    # A page is searched for tables only if it draws at least this many paths
    # (a ruled table is many lines or rectangles; a header rule is one).
    min_paths_for_tables: int = 3  # a one-row table of three framed cells, carried over to a page
    # Top and bottom share of the page height where headers, footers and page numbers live.
    margin_fraction: float = 0.12
    # A line repeated in the margins of at least this share of pages is furniture.
    repeat_fraction: float = 0.5
    # Which pages are read by OCR: auto (no or a garbled text layer), force (all), off (none).
    ocr: Literal["auto", "off", "force"] = "auto"


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
    confidence: float | None = None  # the OCR engine's, for a line read from a page image

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass
class PageTable:
    bbox: tuple[float, float, float, float]  # x0, top, x1, bottom
    rows: list[list[str]]
    # One ruled row: a table only where it goes on with the table the page before ended with
    # (a tall row carried over to the next page); else its lines are read as text.
    single: bool = False
    confidence: float | None = None  # mean OCR confidence of its cells' lines, for a table read by OCR


@dataclass
class Page:
    number: int  # 1-based
    height: float
    lines: list[Line] = field(default_factory=list)
    tables: list[PageTable] = field(default_factory=list)
    has_image: bool = False
    ocr: bool = False  # its lines were read by OCR
    needs_ocr: bool = False  # no usable text layer, and OCR was off or not installed


def read_pdf(data: bytes, doc: Document, options: PdfOptions = DEFAULT_OPTIONS) -> Document:
    pages = _read_pages(data, options, doc.warnings, doc.path)
    doc.pages = len(pages)
    _check_text_layer(pages, doc, options.ocr)
    _remove_furniture(pages, options)
    doc.blocks = _blocks(pages, doc.meta)
    return doc


def _read_pages(data: bytes, options: PdfOptions, warnings: list[str], name: str = "") -> list[Page]:
    try:
        if options.engine == "pdfplumber":
            return _plumber_pages(data)
        return _pdfium_pages(data, options, warnings, name)
    except IngestError:
        raise
    except RecursionError as exc:  # a cyclic or absurdly deep object tree
        raise IngestError("corrupt_pdf", "corrupt PDF: its object tree is cyclic or too deep") from exc
    except Exception as exc:  # whatever a broken file makes a parser throw
        raise IngestError("corrupt_pdf", f"corrupt PDF: {type(exc).__name__}: {exc}"[:300]) from exc


# --------------------------------------------------------------------------
# Engines
# --------------------------------------------------------------------------


def _pdfium_pages(data: bytes, options: PdfOptions, warnings: list[str], name: str = "") -> list[Page]:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise _open_error(getattr(exc, "err_code", None), str(exc)) from exc
    pages: list[Page] = []
    for_plumber: list[int] = []  # ruled pages whose tables pdfplumber must find
    try:
        if len(pdf) == 0:
            raise IngestError("corrupt_pdf", "corrupt PDF: no pages found (a broken or cyclic page tree)")
        progress = None
        for i in range(len(pdf)):
            page = pdf[i]
            try:
                p, needs_plumber = _pdfium_page(page, i + 1, options)
                if _wants_ocr(p, options):
                    progress = progress or ocr.Progress(name, len(pdf))
                    _ocr_page(page, p)
                    progress.page_done()
            finally:
                page.close()
            pages.append(p)
            if needs_plumber:
                for_plumber.append(i)
    finally:
        pdf.close()
    if for_plumber:
        warnings += _add_tables(data, pages, for_plumber)
    return pages


def _wants_ocr(page: Page, options: PdfOptions) -> bool:
    """Whether a page is read by OCR; marks it needs_ocr when it should be but cannot."""
    # A page without text but with an image is a scan; one without either is blank.
    wanted = options.ocr == "force" or (_no_text(page) and page.has_image) or _garbled(page)
    if options.ocr == "off":
        page.needs_ocr = wanted
        return False
    if wanted and not ocr.available():
        page.needs_ocr = True
        return False
    return wanted


def _no_text(page: Page) -> bool:
    return not page.lines and not page.tables


def _garbled(page: Page) -> bool:
    """A text layer that is not text: glyphs without a Unicode mapping (U+FFFD, controls,
    private use) or mojibake (rare characters where common ones belong)."""
    text = "".join(ln.text for ln in page.lines)
    if len(text) < 20:
        return False
    return len(_NOT_TEXT.findall(text)) > 0.3 * len(text) or plausibility(text) < 0.5


# Characters no text layer should give: replacement, controls, private use, unassigned.
_NOT_TEXT = regex.compile(r"[\ufffd\p{Cc}\p{Co}\p{Cn}]")


def _ocr_page(page: Any, p: Page) -> None:
    """Replace a page's lines and tables by what OCR reads on its image: ruled tables
    from the rules on the image, each cell's text from the OCR lines inside it."""
    read = ocr.read_page(page)
    lines = [Line(ln.text, ln.x0, ln.x1, ln.top, ln.bottom, confidence=ln.confidence) for ln in read.lines]
    tables = []
    for boxes in read.tables:
        inside = {box: _lines_inside(lines, box) for box in boxes}
        rows = _grid([(box, _cell_paragraphs(inside[box], box)) for box in boxes])
        scores = [ln.confidence for found in inside.values() for ln in found if ln.confidence is not None]
        if rows and len(rows[0]) >= 2:
            tables.append(PageTable(_union(boxes), rows, single=len(rows) == 1,
                                    confidence=round(statistics.fmean(scores), 4) if scores else None))
    p.lines = [ln for ln in lines if not _inside_any(ln, [t for t in tables if not t.single])]
    p.tables, p.height, p.ocr = tables, read.height, True


def _open_error(code: int | None, message: str) -> IngestError:
    import pypdfium2.raw as pdfium_c

    if code == pdfium_c.FPDF_ERR_PASSWORD:
        return IngestError("encrypted_pdf", "encrypted PDF: a password is needed")
    if code == pdfium_c.FPDF_ERR_SECURITY:
        return IngestError("encrypted_pdf", "encrypted PDF: unsupported security handler")
    return IngestError("corrupt_pdf", f"corrupt PDF: cannot open it ({message})")


@dataclass(frozen=True)
class _Frame:
    """Page coordinates as the text reads: x along the lines, y down the page, from the top left.

    turn is the text's own rotation (counter-clockwise degrees): text drawn
    turned on the page (a landscape table set on a portrait page) is read in
    a frame turned with it, so its lines run left to right like any other.
    """

    left: float
    bottom: float
    right: float
    top: float
    turn: int = 0

    def point(self, x: float, y: float) -> tuple[float, float]:
        """PDF space (bottom-left origin) -> the reading frame."""
        if self.turn == 90:
            return y - self.bottom, x - self.left
        if self.turn == 180:
            return self.right - x, y - self.bottom
        if self.turn == 270:
            return self.top - y, self.right - x
        return x - self.left, self.top - y

    def box(self, x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
        """A PDF-space rectangle -> (x0, top, x1, bottom) in the reading frame."""
        (ax, ay), (bx, by) = self.point(x0, y0), self.point(x1, y1)
        return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)

    def pdf_box(self, x0: float, top: float, x1: float, bottom: float) -> tuple[float, float, float, float]:
        """A reading-frame box -> a PDF-space rectangle (left, bottom, right, top)."""
        inverse = {0: lambda X, Y: (X + self.left, self.top - Y), 90: lambda X, Y: (Y + self.left, X + self.bottom),
                   180: lambda X, Y: (self.right - X, Y + self.bottom),
                   270: lambda X, Y: (self.right - Y, self.top - X)}[self.turn]
        (ax, ay), (bx, by) = inverse(x0, top), inverse(x1, bottom)
        return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)

    @property
    def height(self) -> float:
        return self.right - self.left if self.turn in (90, 270) else self.top - self.bottom


def _text_turn(textpage: Any) -> int:
    """How far the page's text is turned (0, 90, 180, 270 counter-clockwise), by most of its characters."""
    import math

    import pypdfium2.raw as pdfium_c

    n = textpage.count_chars()
    turns: Counter[int] = Counter()
    for i in range(0, n, max(1, n // 24)):  # a sample of about 24 characters
        angle = pdfium_c.FPDFText_GetCharAngle(textpage.raw, i)
        if angle >= 0:  # PDFium measures clockwise
            turns[(4 - round(angle / (math.pi / 2))) % 4 * 90] += 1
    return turns.most_common(1)[0][0] if turns else 0


def _pdfium_page(page: Any, number: int, options: PdfOptions) -> tuple[Page, bool]:
    """A page's text lines and ruled tables; True when its tables are left to pdfplumber."""
    left, bottom, right, top = page.get_bbox()  # the visible box; get_cropbox ignores inherited boxes
    paths, has_image = _page_paths(page)
    ruled = len(paths) >= options.min_paths_for_tables
    needs_plumber = ruled and options.table_finder == "pdfplumber"
    tables: list[PageTable] = []
    textpage = page.get_textpage()
    try:
        frame = _Frame(left, bottom, right, top, _text_turn(textpage))
        needs_plumber = needs_plumber and frame.turn == 0  # pdfplumber knows no turned frame
        runs = _text_runs(textpage, frame)
        cell_runs = [dataclasses.replace(r) for r in runs] if ruled else []  # merging below changes runs
        lines = _merge_runs(runs, _gutter(runs))
        if ruled and not needs_plumber:
            try:
                tables = _pdfium_tables(paths, textpage, frame, cell_runs)
            except Exception:  # noqa: BLE001 - geometry PDFium cannot read: pdfminer may still parse it
                needs_plumber = frame.turn == 0
    finally:
        textpage.close()
    lines = [ln for ln in lines if not _inside_any(ln, [t for t in tables if not t.single])]
    return Page(number=number, height=frame.height, lines=lines, tables=tables, has_image=has_image), needs_plumber


def _text_runs(textpage: Any, frame: _Frame) -> list[Line]:
    """PDFium's text rectangles (one per text object and line) with their text."""
    runs = []
    for k in range(textpage.count_rects()):
        x0, y0, x1, y1 = textpage.get_rect(k)
        text = textpage.get_text_bounded(x0, y0, x1, y1)
        if text.strip():
            bx0, btop, bx1, bbottom = frame.box(x0, y0, x1, y1)
            runs.append(Line(text, bx0, bx1, btop, bbottom))
    return runs


def _merge_runs(runs: list[Line], gutter: float | None = None) -> list[Line]:
    """PDFium's text rectangles -> lines: runs side by side on one baseline are one line
    (but not across the gutter of two-column text)."""
    lines: list[Line] = []
    for run in runs:
        last = lines[-1] if lines else None
        across = gutter is not None and last is not None and last.x1 <= gutter <= run.x0
        if last is not None and not across and _same_line(last, run) and run.x0 >= last.x1 - 1:
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


# --------------------------------------------------------------------------
# Ruled tables from PDFium's path objects
# --------------------------------------------------------------------------

# Form XObjects nested deeper than this are not searched for paths (as pypdfium2's max_depth=3).
_MAX_FORM_DEPTH = 3
# A segment this close to level (or plumb), in points, is a ruling line; pdfplumber wants exact
# equality, which float noise from a transform matrix can break.
_LEVEL_TOLERANCE = 0.5
# Cell text is PDFium's text whose glyph box meets the cell box shrunk by this much: PDFium takes
# any glyph touching the box, pdfplumber a glyph whose centre is inside, so a glyph overhanging a
# ruling line by a hair must not count in the neighbouring cell too.
_CELL_INSET = 1.0


def _page_paths(page: Any) -> tuple[list[tuple[Any, Any]], bool]:
    """The page's path objects (raw handles), each with its matrix to page space, and whether it draws an image.

    A path inside a Form XObject has a matrix relative to the form, so the
    forms' matrices are chained on the way down. Raw handles, not pypdfium2's
    object wrappers: a page holds thousands of text objects to skip.
    """
    import pypdfium2.raw as pdfium_c

    paths: list[tuple[Any, Any]] = []
    has_image = False
    stack: list[tuple[Any, Any, int]] = [(None, None, 0)]  # (form, form -> page matrix, level)
    while stack:
        form, to_page, level = stack.pop()
        for obj in _children(page, form):
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
                paths.append((obj, to_page))
            elif kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
                has_image = True
            elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and level + 1 < _MAX_FORM_DEPTH:
                matrix = _matrix(obj)
                stack.append((obj, matrix if to_page is None else matrix.multiply(to_page), level + 1))
    return paths, has_image


def _children(page: Any, form: Any) -> Iterator[Any]:
    """Raw handles of the objects on the page, or inside a form object."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    if form is None:
        count, get, parent = pdfium_c.FPDFPage_CountObjects, pdfium_c.FPDFPage_GetObject, page.raw
    else:
        count, get, parent = pdfium_c.FPDFFormObj_CountObjects, pdfium_c.FPDFFormObj_GetObject, form
    n = count(parent)
    if n < 0:
        raise pdfium.PdfiumError("cannot count the page objects")
    for i in range(n):
        obj = get(parent, i)
        if not obj:
            raise pdfium.PdfiumError("cannot get a page object")
        yield obj


def _matrix(obj: Any) -> Any:
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    raw = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, raw):
        raise pdfium.PdfiumError("cannot get an object's matrix")
    return pdfium.PdfMatrix.from_raw(raw)


def _path_edges(obj: Any, to_page: Any, frame: _Frame) -> list[Edge]:
    """The level and plumb segments of a path (lines, rectangle sides, curve hulls) as pdfplumber edges.

    Like pdfminer's, a curve's points include its control points, so its
    edges are the same ones pdfplumber would see.
    """
    import ctypes

    import pypdfium2.raw as pdfium_c

    matrix = _matrix(obj) if to_page is None else _matrix(obj).multiply(to_page)
    x, y = ctypes.c_float(), ctypes.c_float()
    edges: list[Edge] = []
    start = prev = None
    n = pdfium_c.FPDFPath_CountSegments(obj)
    if n < 0:
        raise ValueError("unreadable path")
    for i in range(n):
        seg = pdfium_c.FPDFPath_GetPathSegment(obj, i)
        if not seg or not pdfium_c.FPDFPathSegment_GetPoint(seg, x, y):
            raise ValueError("unreadable path segment")
        px, py = matrix.on_point(x.value, y.value)
        point = frame.point(px, py)  # top-left origin, as pdfplumber and our lines
        if pdfium_c.FPDFPathSegment_GetType(seg) == pdfium_c.FPDF_SEGMENT_MOVETO:
            start = prev = point
            continue
        if prev is not None:
            _add_edge(edges, prev, point)
        prev = point
        if pdfium_c.FPDFPathSegment_GetClose(seg) and start is not None:
            _add_edge(edges, prev, start)
            prev = start
    return edges


def _add_edge(edges: list[Edge], a: tuple[float, float], b: tuple[float, float]) -> None:
    """Append the segment a-b if it is level or plumb (a diagonal rules nothing)."""
    (xa, ya), (xb, yb) = a, b
    if abs(ya - yb) < _LEVEL_TOLERANCE:
        x0, x1 = sorted((xa, xb))
        edges.append({"x0": x0, "x1": x1, "top": ya, "bottom": ya, "width": x1 - x0, "height": 0.0,
                      "orientation": "h", "object_type": "line"})
    elif abs(xa - xb) < _LEVEL_TOLERANCE:
        y0, y1 = sorted((ya, yb))
        edges.append({"x0": xa, "x1": xa, "top": y0, "bottom": y1, "width": 0.0, "height": y1 - y0,
                      "orientation": "v", "object_type": "line"})


def _pdfium_tables(
    paths: list[tuple[Any, Any]], textpage: Any, frame: _Frame, runs: list[Line] | None = None
) -> list[PageTable]:
    """Ruled tables from the page's paths, with pdfplumber's geometry and default tolerances."""
    from pdfplumber import table as ptable
    from pdfplumber import utils

    s = ptable.TableSettings()  # find_tables' defaults, so both finders draw the same cells
    edges = [e for obj, to_page in paths for e in _path_edges(obj, to_page, frame)]
    edges = utils.filter_edges(edges, min_length=s.edge_min_length_prefilter)
    edges = ptable.merge_edges(edges, s.snap_x_tolerance, s.snap_y_tolerance, s.join_x_tolerance, s.join_y_tolerance)
    edges = utils.filter_edges(edges, min_length=s.edge_min_length)
    points = ptable.edges_to_intersections(edges, s.intersection_x_tolerance, s.intersection_y_tolerance)
    out = []
    for boxes in ptable.cells_to_tables(ptable.intersections_to_cells(points)):
        rows = _grid([(box, _cell_text(textpage, box, frame, runs or [])) for box in boxes])
        if rows and len(rows[0]) >= 2:
            out.append(PageTable(_union(boxes), rows, single=len(rows) == 1))
    return out


def _cell_text(textpage: Any, box: CellBox, frame: _Frame, runs: list[Line]) -> str:
    """A cell's text; with several lines, a line that stops short of the cell's width ends a
    paragraph (marked by a blank line: join_cell_lines keeps it as a line break)."""
    x0, top, x1, bottom = box  # the reading frame; PDFium wants PDF space (bottom-left origin)
    d = _CELL_INSET
    text = textpage.get_text_bounded(*frame.pdf_box(x0 + d, top + d, x1 - d, bottom - d))
    if not text.strip() or not any(ch in text.strip() for ch in "\r\n"):
        return text
    lines = _merge_runs(_lines_inside(runs, box))
    if "".join(ln.text for ln in lines).replace(" ", "") != "".join(text.split()):
        return text  # the runs do not tell this cell's lines apart: PDFium's text, lines joined
    return _cell_paragraphs(lines, box)


def _lines_inside(lines: list[Line], box: CellBox) -> list[Line]:
    """The lines whose centre is inside a cell, top to bottom."""
    x0, top, x1, bottom = box
    inside = [ln for ln in lines if x0 <= (ln.x0 + ln.x1) / 2 <= x1 and top <= (ln.top + ln.bottom) / 2 <= bottom]
    return sorted(inside, key=lambda ln: (round(ln.top), ln.x0))


def _cell_paragraphs(lines: list[Line], box: CellBox) -> str:
    """A cell's lines: wrapped ones joined by a newline, a paragraph's end marked by a blank line."""
    if not lines:
        return ""
    x0, _, x1, _ = box
    # The room for text: the cell less its padding, which the widest line shows (at most _CELL_PADDING).
    padding = min(_CELL_PADDING, *(min(ln.x0 - x0, x1 - ln.x1) for ln in lines))
    room = (x1 - x0) - 2 * max(padding, 0.0)
    parts = [lines[0].text]
    for prev, line in zip(lines, lines[1:]):
        short = (prev.x1 - prev.x0) + 0.9 * prev.height < room  # its next character would have fitted
        parts.append(("\n\n" if short or opens_section(line.text) else "\n") + line.text)
    return "".join(parts)


# Room a cell leaves between its rules and its text, at most, on each side (points): Word's
# default cell margins are 5.4 pt.
_CELL_PADDING = 6.0


def _union(boxes: list[CellBox]) -> CellBox:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


# --------------------------------------------------------------------------
# pdfplumber: the reference table finder and the slow engine
# --------------------------------------------------------------------------


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
        texts = table.extract()
        cells = [(box, texts[r][c]) for r, row in enumerate(table.rows)
                 for c, box in enumerate(row.cells) if box is not None]
        rows = _grid(cells)
        if len(rows) >= 2 and len(rows[0]) >= 2:
            x0, top, x1, bottom = table.bbox
            out.append(PageTable((x0 - ox, top - oy, x1 - ox, bottom - oy), rows))
    return out


# --------------------------------------------------------------------------
# Tables and text
# --------------------------------------------------------------------------


def _grid(cells: list[tuple[CellBox, str | None]]) -> list[list[str]]:
    """A table's cells -> a rectangular grid, a merged cell's text in every cell it covers."""
    if not cells:
        return []
    xs = sorted({round(b[0], 1) for b, _ in cells})
    ys = sorted({round(b[1], 1) for b, _ in cells})
    grid = [[""] * len(xs) for _ in ys]
    for (x0, top, x1, bottom), text in cells:
        value = clean.squeeze_cell(join_cell_lines(text or ""))
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


def _check_text_layer(pages: list[Page], doc: Document, mode: str = "auto") -> None:
    """Refuse a scanned PDF that OCR cannot read; warn about such pages inside a text PDF."""
    empty = [p for p in pages if _no_text(p)]
    hint = "OCR is off (--ocr auto reads it)" if mode == "off" else ocr.INSTALL_HINT
    needs = [p for p in pages if p.needs_ocr]
    if pages and len(empty) == len(pages):
        n = len(pages)
        if needs:
            raise IngestError("scanned_pdf", f"scanned PDF: no text layer on {n} of {n} pages, needs OCR: {hint}")
        if any(p.ocr for p in pages):
            raise IngestError("scanned_pdf", f"scanned PDF: OCR read no text on {n} of {n} pages (blank or unreadable)")
        raise IngestError("no_text", f"no text found on any of the {n} pages")
    scanned = [p.number for p in empty if p.has_image or p.needs_ocr]
    if scanned:
        why = f"their text needs OCR: {hint}" if needs else "OCR read no text on them"
        doc.warnings.append(
            f"no text layer on page(s) {', '.join(map(str, scanned))} of {len(pages)} (scanned images, {why})"
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
    repeated = _leaves_body({k for k, n in seen.items() if n >= needed}, pages, in_margin)
    for page in pages:
        page.lines = [
            ln for ln in page.lines
            if not (in_margin(ln, page) and (_PAGE_NUMBER.match(ln.text) or _furniture_key(ln) in repeated))
            and not _TOC_ENTRY.match(ln.text)
        ]


def _leaves_body(
    candidates: set[tuple[str, int]], pages: list[Page], in_margin: Callable[[Line, Page], bool]
) -> set[tuple[str, int]]:
    """The repeated lines that are furniture: those whose removal leaves body text (another line
    or a table) on most pages they are on. A document's one line per page is its body, not a header."""
    if not candidates:
        return candidates
    on: Counter[tuple[str, int]] = Counter()
    with_body: Counter[tuple[str, int]] = Counter()
    for page in pages:
        keys = [_furniture_key(ln) if in_margin(ln, page) else None for ln in page.lines]
        body = page.tables or any(k not in candidates and not (k is not None and _PAGE_NUMBER.match(ln.text))
                                  for ln, k in zip(page.lines, keys, strict=True))
        for key in candidates.intersection(keys):
            on[key] += 1
            with_body[key] += bool(body)
    return {k for k in candidates if with_body[k] >= 0.5 * on[k]}


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
    """A text column's geometry, measured from its lines."""

    left: float  # where a line starts that is not indented
    right: float  # where a full line ends
    size: float  # body line height, about one character wide
    pitch: float  # baseline to baseline


def _metrics(lines: list[Line], fallback: _Metrics | None) -> _Metrics:
    if len(lines) < 3 and fallback is not None:
        return fallback
    if not lines:
        return _Metrics(0.0, 0.0, 10.0, 15.0)
    lefts = Counter(round(ln.x0) for ln in lines if not ln.indented)
    left = min(lefts, key=lambda x: (-lefts[x], x)) if lefts else min(ln.x0 for ln in lines)
    size = statistics.median(ln.height for ln in lines)
    # Not the widest line alone (a line may overhang: hanging punctuation, a wide title): the
    # furthest right edge that another line reaches too, within a character.
    ends = sorted((ln.x1 for ln in lines), reverse=True)
    right = next((a for a, b in zip(ends, ends[1:]) if a - b <= size), ends[0])
    steps = [b.top - a.top for a, b in zip(lines, lines[1:]) if 0.5 * size < b.top - a.top < 4 * size]
    pitch = statistics.median(steps) if steps else 1.5 * size
    return _Metrics(left=left, right=right, size=size, pitch=pitch)


@dataclass
class _Open:
    """The paragraph being built: its last line, page and column, and the OCR scores of its lines."""

    line: Line
    page: int
    column: int
    metrics: _Metrics  # of its column
    scores: list[float]


def _blocks(pages: list[Page], meta: dict[str, str]) -> list[Block]:
    blocks: list[Block] = []
    open_: _Open | None = None  # the paragraph the next line may continue
    last_table: PageTable | None = None  # the table that ended the previous page, if nothing followed it
    fallback: _Metrics | None = None
    for page in pages:
        columns = _columns(page.lines)
        metrics = [_metrics([ln for ln, c in columns if c == k], fallback) for k in range(3)]
        fallback = metrics[0] if len(page.lines) >= 3 else fallback
        text_seen = False  # any text on this page yet
        absorbed: list[PageTable] = []  # one-row tables that went on with a table: their lines are in it
        for item, column in _in_reading_order(page, columns):
            if isinstance(item, PageTable):
                table = blocks[-1].table if blocks and not text_seen and last_table is not None else None
                if item.single:
                    if table is not None and _continue_table(table, last_table, item):  # type: ignore[arg-type]
                        blocks[-1].text = table.render()
                        absorbed.append(item)
                        last_table, open_ = item, None
                    continue  # otherwise its lines are read as text
                if table is None or not _continue_table(table, last_table, item):  # type: ignore[arg-type]
                    table = Table(rows=item.rows, header_rows=guess_header_rows(item.rows))
                    blocks.append(Block(kind="table", text=table.render(), table=table, page=page.number,
                                        ocr=page.ocr, ocr_confidence=item.confidence))
                blocks[-1].text = table.render()
                last_table, open_ = item, None
                continue
            if absorbed and _inside_any(item, absorbed):
                continue
            text_seen, last_table = True, None
            line = item
            if clean.is_noise_line(line.text):
                continue
            fields = clean.parse_meta_line(line.text)
            if fields is not None:
                for k, v in fields.items():
                    meta.setdefault(k, v)
                open_ = None
                continue
            text = clean.squeeze(line.text)
            if open_ is not None and _continues(open_, line, column, page.number, metrics[column]):
                blocks[-1].text = join_wrapped(blocks[-1].text, text)
            else:
                blocks.append(Block(kind="paragraph", text=text, page=page.number))
                open_ = _Open(line, page.number, column, metrics[column], [])
            open_.line, open_.page, open_.column, open_.metrics = line, page.number, column, metrics[column]
            if line.confidence is not None:
                open_.scores.append(line.confidence)
                blocks[-1].ocr = True
                blocks[-1].ocr_confidence = round(statistics.fmean(open_.scores), 4)
    return blocks


def _continue_table(table: Table, last: PageTable, item: PageTable) -> bool:
    """Append a table that goes on from the previous page: as many columns, the same left and
    right edges (a few points' play); a header row repeated at its top is dropped."""
    rows = item.rows
    if not rows or len(rows[0]) != table.n_cols:
        return False
    if abs(item.bbox[0] - last.bbox[0]) > _EDGE_PLAY or abs(item.bbox[2] - last.bbox[2]) > _EDGE_PLAY:
        return False
    header = table.rows[: table.header_rows]
    body = rows[len(header) :] if rows[: len(header)] == header else rows
    table.rows.extend(body)
    return True


# How far (points) a continued table's edges may stray from the previous page's.
_EDGE_PLAY = 6.0


def _columns(lines: list[Line]) -> list[tuple[Line, int]]:
    """Each line with its column: 0 full width, 1 left, 2 right (two-column text)."""
    gutter = _gutter(lines)
    if gutter is None:
        return [(ln, 0) for ln in lines]
    return [(ln, 0 if ln.x0 < gutter < ln.x1 else 1 if ln.x1 <= gutter else 2) for ln in lines]


def _gutter(lines: list[Line]) -> float | None:
    """The x of the gutter of two-column text, or None.

    Two columns are there when a vertical gutter near the middle of the text
    is crossed by few lines (titles spanning both) and has several lines of
    prose on each side that sit beside each other.
    """
    if len(lines) < 6:
        return None
    x0, x1 = min(ln.x0 for ln in lines), max(ln.x1 for ln in lines)
    if sum(1 for ln in lines if ln.x0 > x0 + 0.3 * (x1 - x0)) < 3:  # one column: hardly a line starts right
        return None
    best: tuple[int, float] | None = None
    for k in range(30, 71, 2):  # candidate gutters, 30% .. 70% of the text's width
        g = x0 + (x1 - x0) * k / 100
        crossing = sum(1 for ln in lines if ln.x0 < g < ln.x1)
        if best is None or crossing < best[0]:
            best = (crossing, g)
    assert best is not None
    crossing, gutter = best
    left = [ln for ln in lines if ln.x1 <= gutter]
    right = [ln for ln in lines if ln.x0 >= gutter]
    beside = sum(1 for a in left if any(min(a.bottom, b.bottom) > max(a.top, b.top) for b in right))
    if crossing > 0.2 * len(lines) or min(len(left), len(right)) < 3 or beside < 3:
        return None
    # Columns of prose: lines of some length on both sides (an unruled table's short cells are not).
    if min(statistics.median(len(ln.text) for ln in side) for side in (left, right)) < _COLUMN_LINE_CHARS:
        return None
    return gutter


_COLUMN_LINE_CHARS = 8


def _in_reading_order(page: Page, columns: list[tuple[Line, int]]) -> Iterator[tuple[Line | PageTable, int]]:
    """The page's lines in reading order, each table placed where its top edge is.

    In two-column text a full-width line (a title) closes a band: the band's
    left column is read, then its right column, then the full-width line.
    """
    tables = sorted(page.tables, key=lambda t: t.bbox[1])
    for line, column in _by_bands(columns):
        while tables and tables[0].bbox[1] <= line.top:
            yield tables.pop(0), 0
        yield line, column
    for table in tables:
        yield table, 0


def _by_bands(columns: list[tuple[Line, int]]) -> list[tuple[Line, int]]:
    if all(c == 0 for _, c in columns):  # top to bottom: PDFium's order is the content's, not always the page's
        return sorted(columns, key=lambda lc: (round(lc[0].top), lc[0].x0))
    out: list[tuple[Line, int]] = []
    band: list[tuple[Line, int]] = []
    for line, column in sorted(columns, key=lambda lc: (lc[0].top, lc[0].x0)):
        if column == 0:
            out += sorted(band, key=lambda lc: (lc[1], lc[0].top))
            out.append((line, 0))
            band = []
        else:
            band.append((line, column))
    return out + sorted(band, key=lambda lc: (lc[1], lc[0].top))


def _continues(open_: _Open, line: Line, column: int, page: int, m: _Metrics) -> bool:
    """True when `line` goes on with the paragraph whose last line is `open_.line`."""
    prev = open_.line
    if opens_section(line.text):
        return False
    if unbreakable(prev.text, line.text):
        return True  # a number, a number and its unit, or a 《title》 wrapped in two
    if line.indented or line.x0 > m.left + 0.9 * m.size:
        return False  # first-line indent: a new paragraph
    if _short(prev, open_.metrics):
        return False  # the previous line stopped early: its paragraph ended there
    if open_.page == page and open_.column == column and line.top - prev.bottom > max(m.pitch, 1.2 * prev.height):
        return False  # a blank line between them
    return True


def _short(line: Line, m: _Metrics) -> bool:
    return line.x1 < m.right - 2 * m.size
