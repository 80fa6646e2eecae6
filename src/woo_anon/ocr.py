"""OCR with Tesseract (Dutch) through its command line: words with boxes and confidences,
mapped back to page coordinates, so scanned pages are detected on and redacted in pixels."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from dataclasses import dataclass

import pymupdf

from woo_anon.errors import OcrUnavailableError

DPI = 300
LOW_CONFIDENCE = 70.0


@dataclass(frozen=True)
class OcrWord:
    text: str
    rect: tuple[float, float, float, float]  # unrotated page coordinates
    line: tuple[int, int, int]  # (block, paragraph, line) from Tesseract
    confidence: float


def available() -> bool:
    return shutil.which("tesseract") is not None


def ocr_region(page: pymupdf.Page, clip: pymupdf.Rect | None = None, dpi: int = DPI,
               language: str = "nld") -> list[OcrWord]:
    """OCR the page (or a region of it) and return its words in page coordinates."""
    if not available():
        raise OcrUnavailableError(
            f"page {page.number + 1} needs OCR and Tesseract is not installed "
            "(apt-get install tesseract-ocr tesseract-ocr-nld)")
    clip = clip or page.rect
    pix = page.get_pixmap(dpi=dpi, clip=clip, colorspace=pymupdf.csGRAY)
    proc = subprocess.run(["tesseract", "stdin", "stdout", "-l", language, "--psm", "3", "tsv"],
                          input=pix.tobytes("png"), capture_output=True, timeout=300)
    if proc.returncode != 0:
        raise OcrUnavailableError(f"page {page.number + 1}: tesseract failed "
                                  f"({proc.stderr.decode(errors='replace').strip()[:100]})")
    scale = 72.0 / dpi
    # pixmap pixels -> rotated page space (offset by the clip) -> unrotated page coordinates
    derotate = page.derotation_matrix
    words = []
    for row in csv.DictReader(io.StringIO(proc.stdout.decode("utf-8", "replace")), delimiter="\t",
                              quoting=csv.QUOTE_NONE):
        text = (row.get("text") or "").strip()
        if row.get("level") != "5" or not text:
            continue
        x, y, w, h = (float(row[k]) * scale for k in ("left", "top", "width", "height"))
        rect = pymupdf.Rect(clip.x0 + x, clip.y0 + y, clip.x0 + x + w, clip.y0 + y + h) * derotate
        words.append(OcrWord(text, tuple(rect), (int(row["block_num"]), int(row["par_num"]),
                                                 int(row["line_num"])), float(row["conf"])))
    return words


def words_to_rawdict(words: list[OcrWord]) -> dict:
    """Shape OCR words like PyMuPDF's rawdict (Tesseract paragraphs as blocks, its lines as
    lines) for build_page, with an estimated box per character."""
    blocks: list[dict] = []
    block_key = line_key = None
    for word in words:
        if word.line[:2] != block_key:
            block_key, line_key = word.line[:2], None
            blocks.append({"type": 0, "lines": []})
        if word.line != line_key:
            line_key = word.line
            blocks[-1]["lines"].append({"dir": (1, 0), "spans": []})
        spans = blocks[-1]["lines"][-1]["spans"]
        spans.append({"size": 0, "chars": _chars(word, leading_space=bool(spans))})
    return {"blocks": blocks}


def _chars(word: OcrWord, leading_space: bool) -> list[dict]:
    x0, y0, x1, y1 = word.rect
    width = (x1 - x0) / max(len(word.text), 1)
    chars = [{"c": " ", "bbox": (x0 - width, y0, x0, y1), "origin": (x0 - width, y1)}] if leading_space else []
    for i, ch in enumerate(word.text):
        cx = x0 + i * width
        chars.append({"c": ch, "bbox": (cx, y0, cx + width, y1), "origin": (cx, y1)})
    return chars


def mean_confidence(words: list[OcrWord]) -> float | None:
    scores = [w.confidence for w in words if w.confidence >= 0]
    return round(sum(scores) / len(scores), 1) if scores else None
