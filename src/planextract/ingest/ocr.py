"""OCR of page images: rapidocr (PP-OCR models in its wheel, onnxruntime on the CPU).

Optional: ``pip install 'planextract[ocr]'``. Without it `available()` is
False and the PDF reader reports a scanned page instead of reading it.

A page is rendered by pypdfium2 at `SCALE` (144 dpi: Chinese body text is
then about 30 px high, which the recogniser reads as well as at higher
resolutions); the detector looks at it shrunk to 960 px. Each detected text line
comes back with its box in page points (top-left origin, the page as
displayed) and the recogniser's confidence. The angle classifier is off: it
sometimes turns an upright line of Chinese upside down, and a page's
rotation is PDFium's to apply (the render honours /Rotate).
"""

from __future__ import annotations

import importlib.util
import logging
import os
import sys
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import regex

SCALE = 2.0  # render scale: 72 dpi x 2
INSTALL_HINT = "install OCR with: pip install 'planextract[ocr]'"
# One inference thread per process: a build runs one worker per core.
_THREADS = int(os.environ.get("PLANEXTRACT_OCR_THREADS", "1"))
# A progress line goes to stderr every this many seconds of one document's OCR.
PROGRESS_EVERY = 15.0

# Half-width punctuation the recogniser returns beside Chinese text, and its full-width form.
_FULL_WIDTH = str.maketrans({",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "!": "！", "?": "？"})
_HALF_NEXT_TO_HAN = regex.compile(r"(?<=[\p{Han}，。、；：（）《》“”]\s*)[,;:()!?]|[,;:()!?](?=\s*[\p{Han}（《“])")
_SPACE_NEXT_TO_HAN = regex.compile(r"(?<=\p{Han}|[，。、；：（）《》“”])\s+|\s+(?=\p{Han}|[，。、；：（）《》“”])")


@dataclass(frozen=True)
class OcrLine:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    confidence: float


def available() -> bool:
    """True when the OCR extra (rapidocr and onnxruntime) is installed."""
    return all(importlib.util.find_spec(m) is not None for m in ("rapidocr", "onnxruntime"))


def version() -> str:
    """The engine's version, or '' without it (a cache key: results change with the engine)."""
    if not available():
        return ""
    from importlib.metadata import version as dist_version

    return f"rapidocr-{dist_version('rapidocr')}"


@lru_cache(maxsize=1)
def _engine() -> Any:
    from rapidocr import RapidOCR

    logging.getLogger("RapidOCR").setLevel(logging.ERROR)
    return RapidOCR(params={
        "Global.log_level": "error",
        "Global.use_cls": False,
        # The detector finds lines as well on the page shrunk to 960 px as at full size, at a third of the cost.
        "Det.limit_type": "max",
        "Det.limit_side_len": 960,
        "EngineConfig.onnxruntime.intra_op_num_threads": _THREADS,
        "EngineConfig.onnxruntime.inter_op_num_threads": 1,
    })


@dataclass(frozen=True)
class OcrPage:
    lines: list[OcrLine]
    height: float  # of the page as read, points
    tables: list[list[tuple[float, float, float, float]]]  # cell boxes of each ruled table, points


def read_page(page: Any) -> OcrPage:
    """The text lines and ruled tables of a pypdfium2 page read by OCR."""
    image = page.render(scale=SCALE).to_numpy()
    result = _engine()(image)
    from planextract.ingest.scan_tables import table_cells

    height = image.shape[0] / SCALE
    if result.txts is None:
        return OcrPage([], height, [])
    lines = []
    for box, text, score in zip(result.boxes, result.txts, result.scores, strict=True):
        text = normalise(text)
        if not text:
            continue
        xs, ys = [float(p[0]) / SCALE for p in box], [float(p[1]) / SCALE for p in box]
        lines.append(OcrLine(text, min(xs), max(xs), min(ys), max(ys), round(float(score), 4)))
    lines.sort(key=lambda ln: (round(ln.top / 4), ln.x0))  # the detector's order is not always reading order
    return OcrPage(lines, height, table_cells(image, SCALE))


def normalise(text: str) -> str:
    """Chinese punctuation back to full width, and no spaces beside Chinese characters."""
    text = _HALF_NEXT_TO_HAN.sub(lambda m: m.group(0).translate(_FULL_WIDTH), text.strip())
    return _SPACE_NEXT_TO_HAN.sub("", text)


class Progress:
    """A line on stderr now and then while one document's OCR runs long."""

    def __init__(self, name: str, pages: int) -> None:
        self.name, self.pages = name, pages
        self.started = self.last = time.monotonic()
        self.done = 0

    def page_done(self) -> None:
        self.done += 1
        now = time.monotonic()
        if now - self.last >= PROGRESS_EVERY and self.done < self.pages:
            rate = self.done / (now - self.started)
            print(f"OCR {self.name}: page {self.done} of {self.pages} ({rate:.2f} pages/s)", file=sys.stderr, flush=True)
            self.last = now
