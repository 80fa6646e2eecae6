"""What the officer sees of a document: rendered pages, the words under them, search hits.

Pages are rendered here with PyMuPDF (no pdf.js needed); the words come from the same
extraction the pipeline plans on, so a selected word or a search hit gets exactly the boxes a
detected span would get (`plan.span_boxes`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pymupdf

from woo_anon.extract import extract_document, is_scan, normalise, open_pdf
from woo_anon.model import Box, Document, Page
from woo_anon.plan import span_boxes
from woo_anon.review_app.store import PDF_LOCK



@dataclass(frozen=True)
class Hit:
    """One occurrence of a search term on a page."""

    page: int
    start: int
    end: int
    text: str
    boxes: tuple[Box, ...]


class PageSource:
    """One document's pages, read from its review PDF without the review's Redact annotations
    (they are the proposals, drawn by the page itself): the same content `plan` read."""

    def __init__(self, review: Path, name: str, workdir: Path) -> None:
        self.review = review
        self.name = name
        self.path = workdir / f"{abs(hash(str(review)))}.pdf"
        self._pdf: pymupdf.Document | None = None
        self._document: Document | None = None

    def _clean(self) -> Path:
        if not self.path.exists():
            doc = open_pdf(self.review)
            try:
                for page in doc:
                    for xref in [a.xref for a in page.annots(types=[pymupdf.PDF_ANNOT_REDACT])]:
                        page.delete_annot(page.load_annot(xref))
                doc.save(self.path, garbage=1, deflate=True)
            finally:
                doc.close()
        return self.path

    def pdf(self) -> pymupdf.Document:
        """The file as it will be published: forms flattened, annotations removed."""
        with PDF_LOCK:
            if self._pdf is None:
                doc = open_pdf(self._clean())
                normalise(doc)
                self._pdf = doc
            return self._pdf

    def sizes(self) -> list[tuple[float, float]]:
        """Each page's size as shown (after its /Rotate)."""
        with PDF_LOCK:
            return [(round(p.rect.width, 2), round(p.rect.height, 2)) for p in self.pdf()]

    def matrices(self) -> list[list[float]]:
        """Per page: plan coordinates (unrotated, as text extraction gives them) → as shown."""
        with PDF_LOCK:
            return [[round(v, 4) for v in p.rotation_matrix] for p in self.pdf()]

    def to_plan(self, number: int, box) -> list[float]:
        """A box drawn on the shown page → plan coordinates."""
        with PDF_LOCK:
            rect = pymupdf.Rect(box) * self.pdf()[number - 1].derotation_matrix
        return [rect.x0, rect.y0, rect.x1, rect.y1]

    def _shown(self, number: int, box) -> list[float]:
        with PDF_LOCK:
            rect = pymupdf.Rect(box) * self.pdf()[number - 1].rotation_matrix
        return [round(v, 2) for v in (rect.x0, rect.y0, rect.x1, rect.y1)]

    def scan_pages(self) -> list[int]:
        """Pages that are mostly image: their text comes from OCR."""
        with PDF_LOCK:
            return [page.number + 1 for page in self.pdf() if is_scan(page)]

    def render(self, number: int, zoom: float) -> bytes:
        """PNG of page `number` (1-based) at `zoom` (1 = 72 dpi)."""
        with PDF_LOCK:
            page = self.pdf()[number - 1]
            return page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), annots=False).tobytes("png")

    def document(self) -> Document:
        """Text with character boxes, as the pipeline extracted it (OCR for scans)."""
        with PDF_LOCK:
            if self._document is None:
                self._document = extract_document(self._clean(), self.name, "auto")
            return self._document

    def page(self, number: int) -> Page:
        return self.document().pages[number - 1]

    def words(self, number: int) -> list[dict]:
        """The page's words with their character range and box, for the selectable text layer."""
        page = self.page(number)
        out, i, n = [], 0, len(page.text)
        while i < n:
            if not _ink(page, i):
                i += 1
                continue
            j = i
            while j < n and _ink(page, j) and page.lines[j] == page.lines[i]:
                j += 1
            boxes = [page.boxes[k] for k in range(i, j)]
            out.append({"s": i, "e": j, "t": page.text[i:j], "b": self._shown(number, [
                min(b[0] for b in boxes), min(b[1] for b in boxes),
                max(b[2] for b in boxes), max(b[3] for b in boxes)])})
            i = j
        return out

    def selection(self, number: int, start: int, end: int) -> Hit:
        """A selected character range → its text and one box per line."""
        page = self.page(number)
        start, end = max(0, start), min(len(page.text), end)
        if start >= end:
            raise ValueError("lege selectie")
        return Hit(number, start, end, page.text[start:end], span_boxes(page, start, end))

    def find(self, term: str) -> list[Hit]:
        """Every whole-word, case-insensitive occurrence; line breaks count as spaces."""
        pattern = search_pattern(term)
        hits = []
        for page in self.document().pages:
            for m in pattern.finditer(page.text):
                boxes = span_boxes(page, m.start(), m.end())
                if boxes:
                    hits.append(Hit(page.number, m.start(), m.end(), m.group(), boxes))
        return hits

    def close(self) -> None:
        """Let go of the open file and the extracted text (both come back when needed)."""
        with PDF_LOCK:
            if self._pdf is not None:
                self._pdf.close()
                self._pdf = None
            self._document = None


def _ink(page: Page, i: int) -> bool:
    return page.boxes[i] is not None and not page.text[i].isspace()


def search_pattern(term: str) -> re.Pattern:
    tokens = term.split()
    if not tokens:
        raise ValueError("lege zoekterm")
    return re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, tokens)) + r"(?!\w)", re.I)


def same_place(a: tuple[Box, ...], b: list) -> bool:
    """Two sets of boxes mark the same text: each box of one is mostly covered by the other."""
    return _covered(a, b) and _covered(b, a)


def covered(inner, outer, share: float = 0.5) -> bool:
    """At least `share` of each box of `inner` lies under the boxes of `outer`."""
    return _covered(inner, outer, share)


def _covered(inner, outer, share: float = 0.5) -> bool:
    for box in inner:
        area = max((box[2] - box[0]) * (box[3] - box[1]), 1e-6)
        if sum(_overlap(box, o) for o in outer) < share * area:
            return False
    return bool(inner)


def _overlap(a, b) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0
