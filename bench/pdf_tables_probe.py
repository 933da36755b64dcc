"""Probe: ruled tables without pdfminer, measured against pdfplumber's table finder.

    python -m bench.pdf_tables_probe [--pdfs 60]

On a page with ruling lines, planextract's PDF reader runs pdfplumber's
find_tables, which first makes pdfminer parse the whole page (every
character): ~100 ms a page, most of a PDF build. This probe finds the same
tables from PDFium alone: the ruling lines are the straight segments of the
page's path objects, pdfplumber's own geometry functions (merge_edges,
edges_to_intersections, intersections_to_cells, cells_to_tables) turn them
into cells, and each cell's text is PDFium's text inside the cell box. It
prints the time per page of both ways and whether they find the same tables
(count and cell texts) on the same pages of the bench corpus.

A measurement to guide a change in src/planextract/ingest/pdf.py, not part
of the benchmark run.
"""

from __future__ import annotations

import argparse
import ctypes
import io
import time
from pathlib import Path
from typing import Any

from bench import corpus as gen
from bench import runner

Edge = dict[str, Any]
Grid = list[list[str]]
MIN_PATHS = 4  # as PdfOptions.min_paths_for_tables: pages drawing fewer paths are not searched


def path_edges(page: Any) -> list[Edge]:
    """Horizontal and vertical segments of the page's paths, as pdfplumber edges (top-left origin)."""
    import pypdfium2.raw as pdfium_c

    height, edges = page.get_height(), []
    x, y = ctypes.c_float(), ctypes.c_float()
    for obj in page.get_objects(max_depth=1):
        if obj.type != pdfium_c.FPDF_PAGEOBJ_PATH:
            continue
        matrix, start, prev = obj.get_matrix(), None, None
        for i in range(pdfium_c.FPDFPath_CountSegments(obj.raw)):
            seg = pdfium_c.FPDFPath_GetPathSegment(obj.raw, i)
            pdfium_c.FPDFPathSegment_GetPoint(seg, x, y)
            point = matrix.on_point(x.value, y.value)
            if pdfium_c.FPDFPathSegment_GetType(seg) == pdfium_c.FPDF_SEGMENT_MOVETO:
                start = prev = point
                continue
            if prev is not None:
                edges += _edge(prev, point, height)
            prev = point
            if pdfium_c.FPDFPathSegment_GetClose(seg) and start is not None:
                edges += _edge(prev, start, height)
                prev = start
    return edges


def _edge(a: tuple[float, float], b: tuple[float, float], height: float) -> list[Edge]:
    (x0, y0), (x1, y1) = a, b
    if abs(y0 - y1) < 0.5 and abs(x1 - x0) >= 1:
        left, right = sorted((x0, x1))
        top = height - y0
        return [{"x0": left, "x1": right, "top": top, "bottom": top, "width": right - left, "height": 0.0,
                 "orientation": "h", "object_type": "line"}]
    if abs(x0 - x1) < 0.5 and abs(y1 - y0) >= 1:
        top, bottom = sorted((height - y0, height - y1))
        return [{"x0": x0, "x1": x0, "top": top, "bottom": bottom, "width": 0.0, "height": bottom - top,
                 "orientation": "v", "object_type": "line"}]
    return []  # a diagonal or a dot: no ruling line


def pdfium_tables(page: Any, textpage: Any) -> list[Grid]:
    """Tables of at least 2x2 cells, merged cells' text repeated into every cell they cover."""
    from pdfplumber import table as ptable
    from pdfplumber import utils

    edges = ptable.merge_edges(path_edges(page), 3, 3, 3, 3)  # pdfplumber's default tolerances
    edges = utils.filter_edges(edges, min_length=3)
    cells = ptable.intersections_to_cells(ptable.edges_to_intersections(edges, 3, 3))
    height, out = page.get_height(), []
    for table in ptable.cells_to_tables(cells):
        xs = sorted({round(c[0], 1) for c in table})
        ys = sorted({round(c[1], 1) for c in table})
        grid = [[""] * len(xs) for _ in ys]
        for x0, top, x1, bottom in table:
            text = textpage.get_text_bounded(x0, height - bottom, x1, height - top)
            for r, yy in enumerate(ys):
                for c, xx in enumerate(xs):
                    if top - 0.5 <= yy < bottom - 0.5 and x0 - 0.5 <= xx < x1 - 0.5:
                        grid[r][c] = text
        grid = [row for row in grid if any(row)]
        if len(grid) >= 2 and len(grid[0]) >= 2:
            out.append(grid)
    return out


def _cells(grids: list[Any]) -> set[str]:
    return {k for g in grids for row in g for cell in row if (k := "".join((cell or "").split()))}


def probe(files: list[Path]) -> dict[str, Any]:
    import pdfplumber
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    pages = same = tables_ours = tables_plumber = 0
    t_ours = t_plumber = 0.0
    for path in files:
        data = path.read_bytes()
        pdf = pdfium.PdfDocument(data)
        ruled = [i for i in range(len(pdf)) if sum(
            o.type == pdfium_c.FPDF_PAGEOBJ_PATH for o in pdf[i].get_objects(max_depth=3)) >= MIN_PATHS]
        started, ours = time.process_time(), {}
        for i in ruled:
            page = pdf[i]
            textpage = page.get_textpage()
            ours[i] = pdfium_tables(page, textpage)
            textpage.close()
            page.close()
        t_ours += time.process_time() - started
        pdf.close()
        started = time.process_time()
        with pdfplumber.open(io.BytesIO(data)) as plumber:
            theirs = {i: [t.extract() for t in plumber.pages[i].find_tables() if len(t.rows) >= 2] for i in ruled}
        t_plumber += time.process_time() - started
        for i in ruled:
            pages += 1
            tables_ours, tables_plumber = tables_ours + len(ours[i]), tables_plumber + len(theirs[i])
            same += len(ours[i]) == len(theirs[i]) and _cells(ours[i]) == _cells(theirs[i])
    return {"pdfs": len(files), "ruled_pages": pages, "pages_same_tables": same,
            "tables_pdfium": tables_ours, "tables_pdfplumber": tables_plumber,
            "pdfium_ms_per_page": round(1000 * t_ours / max(pages, 1), 2),
            "pdfplumber_ms_per_page": round(1000 * t_plumber / max(pages, 1), 2)}


def main() -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.pdf_tables_probe")
    ap.add_argument("--n", type=int, default=2000, help="the bench corpus to use (generated if missing)")
    ap.add_argument("--pdfs", type=int, default=60)
    args = ap.parse_args()
    folder, manifest = runner.prepare(runner.Config(n=args.n), print)
    print(probe(manifest.paths(folder, "pdf")[: args.pdfs]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
