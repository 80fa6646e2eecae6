"""PDF -> Document: page text with a box per character, OCR for pages without a text layer."""

from __future__ import annotations

import hashlib
import statistics
from dataclasses import replace
from pathlib import Path

import pymupdf

from woo_anon import ocr as ocr_mod
from woo_anon.errors import BadInputError, OcrUnavailableError, short
from woo_anon.layers import show_all_layers
from woo_anon.model import Box, Document, Page
from woo_anon.trust import untrustworthy

# Keep ligatures/whitespace as written, and do NOT clip to the media box: text placed off the
# page is still in the file and must be seen by detection.
TEXT_FLAGS = pymupdf.TEXT_PRESERVE_WHITESPACE | pymupdf.TEXT_PRESERVE_LIGATURES
MIN_TEXT_CHARS = 20
MIN_IMAGE_PIXELS = (24, 8)  # an image smaller than this holds no legible word
MIN_IMAGE_BOX = (18.0, 5.0)  # pt on the page
MAX_IMAGE_REGIONS = 12  # more images than this: one OCR of the whole page


def sha256_file(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def open_pdf(path: str | Path) -> pymupdf.Document:
    """Open a PDF for reading or raise BadInputError with a one-line reason."""
    path = Path(path)
    if not path.is_file():
        raise BadInputError(f"{path}: no such file")
    with open(path, "rb") as handle:
        head = handle.read(1024)
    if b"%PDF" not in head:
        raise BadInputError(f"{path}: not a PDF file")
    try:
        doc = pymupdf.open(path, filetype="pdf")
    except Exception as exc:  # PyMuPDF raises several types for damaged files
        raise BadInputError(f"{path}: damaged PDF ({_short(exc)})") from None
    if doc.needs_pass:
        doc.close()
        raise BadInputError(f"{path}: encrypted PDF (a password is needed to open it)")
    if doc.page_count == 0:
        doc.close()
        raise BadInputError(f"{path}: PDF has no pages (damaged or empty)")
    return doc


_short = short  # one description of an unexpected exception (errors.short)


def normalise(doc: pymupdf.Document) -> None:
    """Make a document look like what we publish: form fields flattened to their visible
    appearance, every annotation (comments, links, attachments, popups) removed.

    Run on the input both before extraction and before redaction, so that the text we detect
    on is exactly the text we redact in.
    """
    try:  # every layer visible (before any page is loaded: MuPDF reads the state then)
        show_all_layers(doc)
    except Exception:  # damaged optional-content objects: the verifier checks the output
        pass
    if not any(page.first_annot or page.first_widget for page in doc):
        return
    if any(page.first_widget for page in doc):
        doc.bake(annots=False, widgets=True)
    for page in doc:
        covers = [annot_cover(annot) for annot in page.annots()]
        for xref in [annot.xref for annot in page.annots()]:
            page.delete_annot(page.load_annot(xref))
        content = _content_boxes(page) if any(covers) else []
        for rect, colour in filter(None, covers):  # an earlier "redaction" by annotation
            if any(rect.intersects(box) for box in content):  # a box over nothing stays out
                page.draw_rect(rect, color=None, fill=colour, overlay=True)


def _content_boxes(page: pymupdf.Page) -> list[pymupdf.Rect]:
    try:
        return [pymupdf.Rect(b) for kind, b in page.get_bboxlog()
                if kind in ("fill-text", "stroke-text", "ignore-text", "fill-image")]
    except Exception:
        return [page.rect]


def annot_cover(annot: pymupdf.Annot) -> tuple[pymupdf.Rect, tuple] | None:
    """An opaque filled box annotation (a square, or an unapplied redaction) hides what is
    under it only in a viewer. Kept as a drawn box, so that the occlusion check removes what
    it covers and detection still sees the text."""
    kind = annot.type[1]
    colours = annot.colors or {}
    fill = colours.get("stroke") if kind == "FreeText" else colours.get("fill")  # /C: background
    if kind == "Redact":
        fill = fill or (0, 0, 0)
    if kind not in ("Square", "Redact", "Polygon", "FreeText") or not fill \
            or annot.opacity not in (-1, 1):
        return None
    return pymupdf.Rect(annot.rect), tuple(fill)


def extract_document(path: str | Path, name: str, ocr: str = "auto") -> Document:
    """Read every page's text with character boxes.

    Args:
        path: the PDF to read.
        name: the name to use for it in outputs (relative path).
        ocr: "auto" (OCR pages without a text layer), "never", or "always".
    """
    doc = open_normalised(path)
    try:
        return read_document(doc, path, name, ocr)
    finally:
        doc.close()


def open_normalised(path: str | Path) -> pymupdf.Document:
    """`open_pdf` + `normalise`: the document as it will be published, before any page is read.
    A document that cannot be normalised is bad input."""
    doc = open_pdf(path)
    try:
        normalise(doc)
    except Exception as exc:
        doc.close()
        raise BadInputError(f"{path}: cannot read page text ({_short(exc)})") from None
    return doc


def read_document(doc: pymupdf.Document, path: str | Path, name: str, ocr: str = "auto",
                  sha256: str | None = None, pages: range | None = None) -> Document:
    """Like `extract_document`, on a document that is already open and normalised (the runner
    opens each PDF once and redacts in the same object). `pages`: only these page indexes
    (0-based; a page range of a long document read in a worker, woo_anon.split)."""
    try:
        read = doc if pages is None else (doc[i] for i in pages)
        pages = tuple(extract_page(page, ocr) for page in read)
    except (OcrUnavailableError, BadInputError):
        raise
    except Exception as exc:
        raise BadInputError(f"{path}: cannot read page text ({_short(exc)})") from None
    return Document(path=str(path), name=name, sha256=sha256 or sha256_file(path), pages=pages)


def extract_page(page: pymupdf.Page, ocr: str = "auto") -> Page:
    """One page → Page. Scans and images with text also get OCR (Tesseract, Dutch)."""
    raw = page.get_text("rawdict", flags=TEXT_FLAGS, clip=pymupdf.INFINITE_RECT())
    infos = page.get_image_info()
    images = tuple(tuple(pymupdf.Rect(i["bbox"]) & page.rect) for i in infos)
    native = replace(build_page(page.number + 1, raw), images=images, scan=is_scan(page, infos))
    regions = [] if ocr == "never" else ocr_regions(page, native, force=ocr == "always",
                                                     infos=infos)
    if not regions:
        return native
    words = [w for region in regions for w in ocr_mod.ocr_region(page, region)]
    ocr_raw = ocr_mod.words_to_rawdict(words)
    built = build_page(page.number + 1, {"blocks": raw.get("blocks", []) + ocr_raw["blocks"]})
    return replace(native, text=built.text, boxes=built.boxes, lines=built.lines, ocr=True,
                   ocr_confidence=ocr_mod.mean_confidence(words))


def image_coverage(page: pymupdf.Page, infos: list[dict] | None = None) -> float:
    """Share of the page covered by images (scans are often stored as tiles or strips)."""
    area = abs(page.rect) or 1
    infos = page.get_image_info() if infos is None else infos
    boxes = [pymupdf.Rect(i["bbox"]) & page.rect for i in infos]
    return min(1.0, sum(abs(b) for b in boxes if not b.is_empty) / area)


def is_scan(page: pymupdf.Page, infos: list[dict] | None = None) -> bool:
    return image_coverage(page, infos) > 0.5


def ocr_regions(page: pymupdf.Page, extracted: Page, force: bool = False,
                infos: list[dict] | None = None) -> list[pymupdf.Rect]:
    """What to OCR: the whole page for a scan (an image over most of it, with or without an
    invisible text layer) or a page with images and no text; otherwise each larger embedded
    image (a scanned signature, a photo of an ID card)."""
    area = abs(page.rect) or 1
    infos = page.get_image_info() if infos is None else infos
    boxes = [pymupdf.Rect(i["bbox"]) & page.rect for i in infos
             if i["width"] >= MIN_IMAGE_PIXELS[0] and i["height"] >= MIN_IMAGE_PIXELS[1]]
    boxes = [b for b in boxes if not b.is_empty]
    covered = sum(abs(b) for b in boxes) / area
    visible = sum(1 for ch in extracted.text if not ch.isspace())
    if force or extracted.scan or (boxes and visible < MIN_TEXT_CHARS and covered > 0.3) \
            or untrustworthy(page, extracted.text):  # text layer not what is shown: a scan
        return [page.rect]
    # every image that can hold a word: screenshots, pasted signatures, small ID photos
    small = [b for b in boxes if b.width >= MIN_IMAGE_BOX[0] and b.height >= MIN_IMAGE_BOX[1]]
    return [page.rect] if len(small) > MAX_IMAGE_REGIONS else small


def build_page(number: int, raw: dict) -> Page:
    """Flatten PyMuPDF's rawdict into text + one box per character.

    Lines are separated by "\n" and blocks by "\n\n" so that patterns can match across a line
    wrap while the box list still knows which line each character sits on.
    """
    text: list[str] = []
    boxes: list[Box | None] = []
    lines: list[int] = []
    line_id = 0
    for block in raw.get("blocks", []):
        if block.get("type", 0) != 0:
            continue
        if text:
            _separator(text, boxes, lines, "\n\n")
        for index, line in enumerate(block.get("lines", [])):
            if index:
                _separator(text, boxes, lines, "\n")
            line_id += 1
            direction = line.get("dir", (1, 0))
            horizontal = abs(direction[1]) < 0.01
            for span in line.get("spans", []):
                _add_span(span, line_id, horizontal, text, boxes, lines,
                          breaks=word_breaks(span, direction))
    return Page(number=number, text="".join(text), boxes=tuple(boxes), lines=tuple(lines))


def _separator(text: list, boxes: list, lines: list, sep: str) -> None:
    for ch in sep:
        text.append(ch)
        boxes.append(None)
        lines.append(-1)


def _add_span(span: dict, line_id: int, horizontal: bool, text: list, boxes: list,
              lines: list, breaks: frozenset[int] = frozenset()) -> None:
    size = span.get("size") or 0  # 0 for OCR words: their boxes are already tight
    tight = horizontal and size
    above, below = 0.72 * size, 0.18 * size
    for index, char in enumerate(span.get("chars", [])):
        if index in breaks:  # a word gap without a space glyph: a space with no box
            _separator(text, boxes, lines, " ")
        ch = char["c"] or " "
        x0, y0, x1, y1 = char["bbox"]
        oy = char["origin"][1]
        # The glyph box from the font's ascender/descender overlaps the next line when line
        # spacing is tight; redaction removes every glyph its box touches, so use a box that
        # hugs the glyph body instead.
        if tight:
            box = (x0, max(y0, oy - above), x1, min(y1, oy + below))
        else:
            box = (x0, y0, x1, y1)
        if len(ch) == 1:
            text.append(ch)
            boxes.append(box)
            lines.append(line_id)
            continue
        for piece in ch:  # a ligature may expand into several characters
            text.append(piece)
            boxes.append(box)
            lines.append(line_id)


# A gap between two glyphs of a span is a word break when it exceeds the span's typical
# inter-glyph gap by this share of its median glyph width. Both are measured on the span's own
# glyphs, so horizontal scaling (Tz), which narrows glyphs and gaps alike, and even letter
# spacing (Tc), which widens every gap alike, change nothing; ordinary kerning stays far below
# it (at most ~0.1 in real documents), a word set with a kerning gap instead of a space
# (``[(met)-120(de)] TJ``: 0.2 and up) above it.
WORD_GAP = 0.15


def word_breaks(span: dict, direction: tuple[float, float] = (1, 0)) -> frozenset[int]:
    """Indexes of the span's characters that follow a word gap PyMuPDF did not turn into a
    space (a squeezed or kerned-apart line): the text gets a space before each of them.

    Only gaps between two visible glyphs count; a span of OCR words (size 0) is left alone.
    Gaps are measured along the line's direction, on the glyph boxes.
    """
    chars = span.get("chars", [])
    if not span.get("size") or len(chars) < 3:
        return frozenset()
    extents = _extents([char["bbox"] for char in chars], direction)
    ink = [bool((char["c"] or " ").strip()) for char in chars]
    widths = [hi - lo for (lo, hi), visible in zip(extents, ink) if visible]
    gaps = {i: extents[i][0] - extents[i - 1][1] for i in range(1, len(chars))
            if ink[i] and ink[i - 1]}
    if len(gaps) < 2 or not widths:
        return frozenset()
    width, typical = statistics.median(widths), statistics.median(gaps.values())
    if width <= 0:
        return frozenset()
    return frozenset(i for i, gap in gaps.items() if gap - typical > WORD_GAP * width)


def _extents(bboxes: list[tuple], direction: tuple[float, float]) -> list[tuple[float, float]]:
    """Each box's start and end along the line direction (exact for horizontal and vertical
    lines; for slanted ones the box is wider than the glyph, so gaps only shrink)."""
    dx, dy = direction
    return [(min(x0 * dx, x1 * dx) + min(y0 * dy, y1 * dy),
             max(x0 * dx, x1 * dx) + max(y0 * dy, y1 * dy)) for x0, y0, x1, y1 in bboxes]
