"""Ruled tables on a page image (a scan): the ruling lines found with OpenCV, cells as in a PDF.

Long thin runs of ink are the rules: a morphological opening with a line
longer than any character keeps only them. Each kept segment becomes a
pdfplumber edge (page points), and pdfplumber's own geometry turns edges
into cells and tables, exactly as for the rules a PDF draws
(`pdf._pdfium_tables`). OpenCV comes with the ocr extra (rapidocr needs it).
"""

from __future__ import annotations

from typing import Any

CellBox = tuple[float, float, float, float]  # x0, top, x1, bottom in page points
# A rule is at least this share of the page's width (or height) long: longer than a character.
_MIN_RULE_SHARE = 0.03
_INK = 160  # grey levels below this are ink


def table_cells(image: Any, scale: float) -> list[list[CellBox]]:
    """The cells of each ruled table on a page image (an RGB or grey array), in page points."""
    import cv2
    import numpy as np

    grey = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY) if image.ndim == 3 else image
    ink = (grey < _INK).astype(np.uint8)
    h, w = ink.shape
    edges = []
    for orientation, kernel in (("h", (max(8, int(w * _MIN_RULE_SHARE)), 1)),
                                ("v", (1, max(8, int(h * _MIN_RULE_SHARE))))):
        rules = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, kernel))
        count, _, stats, _ = cv2.connectedComponentsWithStats(rules, connectivity=8)
        for x, y, bw, bh, _ in stats[1:count]:
            edges.append(_edge(orientation, x / scale, y / scale, (x + bw) / scale, (y + bh) / scale))
    return _cells(edges)


def _edge(orientation: str, x0: float, top: float, x1: float, bottom: float) -> dict[str, Any]:
    """A pdfplumber edge along the middle of a rule's bounding box."""
    if orientation == "h":
        y = (top + bottom) / 2
        return {"x0": x0, "x1": x1, "top": y, "bottom": y, "width": x1 - x0, "height": 0.0,
                "orientation": "h", "object_type": "line"}
    x = (x0 + x1) / 2
    return {"x0": x, "x1": x, "top": top, "bottom": bottom, "width": 0.0, "height": bottom - top,
            "orientation": "v", "object_type": "line"}


def _cells(edges: list[dict[str, Any]]) -> list[list[CellBox]]:
    from pdfplumber import table as ptable
    from pdfplumber import utils

    s = ptable.TableSettings()
    edges = ptable.merge_edges(edges, s.snap_x_tolerance, s.snap_y_tolerance, s.join_x_tolerance, s.join_y_tolerance)
    edges = utils.filter_edges(edges, min_length=s.edge_min_length)
    points = ptable.edges_to_intersections(edges, s.intersection_x_tolerance, s.intersection_y_tolerance)
    return [list(boxes) for boxes in ptable.cells_to_tables(ptable.intersections_to_cells(points))]
