"""Content painted over: text and image pixels hidden under an opaque box drawn later.

A black (or white, or any colour) rectangle drawn over text or a scan hides nothing in the file:
the glyphs and pixels under it are still there. This is how earlier "redactions" made with a
drawing tool, and white-out, fail. What such a box covers is removed; the box stays.

Painting order comes from MuPDF's sequence numbers (`seqno`): text traces, drawings and the
bbox log count the same display-list operations, so "drawn later" is a plain comparison.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pymupdf

MIN_COVER_AREA = 4.0  # pt²: hairlines and dots are not covers
_CHUNK = 1 << 20  # character × cover comparisons per array step (bounded memory)


@dataclass(frozen=True)
class Cover:
    rect: pymupdf.Rect
    seqno: int


def _is_box(drawing: dict) -> bool:
    items = drawing.get("items") or []
    if not items or drawing.get("fill") is None or drawing.get("type") not in ("f", "fs"):
        return False
    if (drawing.get("fill_opacity") or 1.0) < 0.99:
        return False
    if all(item[0] in ("re", "qu") for item in items):
        return True
    rect = pymupdf.Rect(drawing["rect"])  # a rectangle drawn as four lines
    return len(items) <= 5 and all(item[0] == "l" and all(
        abs(p.x - rect.x0) < 0.5 or abs(p.x - rect.x1) < 0.5 for p in item[1:3]) and all(
        abs(p.y - rect.y0) < 0.5 or abs(p.y - rect.y1) < 0.5 for p in item[1:3]) for item in items)


def covers(page: pymupdf.Page) -> list[Cover]:
    """Opaque filled rectangles on the page, with their painting order."""
    try:
        drawings = page.get_drawings()
    except Exception:  # a damaged content stream: nothing we can trace
        return []
    return [Cover(pymupdf.Rect(d["rect"]), d["seqno"]) for d in drawings
            if _is_box(d) and abs(pymupdf.Rect(d["rect"])) >= MIN_COVER_AREA]


def box_centres(boxes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Centres of (N×4) boxes in single precision, as MuPDF holds a point."""
    return (((boxes[:, 0] + boxes[:, 2]) / 2).astype(np.float32),
            ((boxes[:, 1] + boxes[:, 3]) / 2).astype(np.float32))


def points_inside(cx: np.ndarray, cy: np.ndarray, rects: np.ndarray) -> np.ndarray:
    """(N×M) MuPDF's point-in-rectangle test of N points against M (single-precision)
    rectangles: x0 <= x < x1 and y0 <= y < y1, exactly what `Rect.contains(point)` computes."""
    return ((cx[:, None] >= rects[:, 0]) & (cx[:, None] < rects[:, 2])
            & (cy[:, None] >= rects[:, 1]) & (cy[:, None] < rects[:, 3]))


def inside_any(cx: np.ndarray, cy: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """(N) Which of N points lie in at least one of M boxes, closed on every side
    (x0 <= x <= x1 and y0 <= y <= y1) and in double precision: the comparison Python makes on
    the same floats, as one array test (in bounded steps) instead of a loop per point."""
    hit = np.zeros(len(cx), dtype=bool)
    if not len(boxes):
        return hit
    step = max(1, _CHUNK // len(boxes))
    for at in range(0, len(cx), step):
        x, y = cx[at:at + step, None], cy[at:at + step, None]
        hit[at:at + step] = ((boxes[:, 0] <= x) & (x <= boxes[:, 2])
                             & (boxes[:, 1] <= y) & (y <= boxes[:, 3])).any(axis=1)
    return hit


def _hidden(boxes: np.ndarray, seqnos: np.ndarray, found: list[Cover]) -> np.ndarray:
    """Which character boxes are non-empty and have their centre under a cover painted later."""
    rects = np.array([tuple(c.rect) for c in found], dtype=np.float32)
    later = np.array([c.seqno for c in found])
    cx, cy = box_centres(boxes)
    hidden = np.zeros(len(boxes), dtype=bool)
    step = max(1, _CHUNK // len(found))
    for at in range(0, len(boxes), step):
        part = slice(at, at + step)
        hidden[part] = (points_inside(cx[part], cy[part], rects)
                        & (later > seqnos[part, None])).any(axis=1)
    empty = (boxes[:, 0] >= boxes[:, 2]) | (boxes[:, 1] >= boxes[:, 3])
    return hidden & ~empty


def covered_chars(page: pymupdf.Page, trace: list[dict],
                  found: list[Cover] | None = None) -> list[pymupdf.Rect]:
    """Boxes of characters painted over by a later opaque rectangle (one array test per page:
    a redacted page has thousands of characters and tens of boxes)."""
    found = covers(page) if found is None else found
    if not found:
        return []
    chars = [(char[3], span["seqno"]) for span in trace for char in span.get("chars", ())]
    if not chars:
        return []
    with np.errstate(all="ignore"):
        boxes = np.array([box for box, _ in chars], dtype=np.float64).reshape(-1, 4)
        hidden = _hidden(boxes, np.array([seqno for _, seqno in chars]), found)
    return [pymupdf.Rect(chars[i][0]) for i in np.flatnonzero(hidden)]


def covered_images(page: pymupdf.Page, found: list[Cover] | None = None) -> list[pymupdf.Rect]:
    """Areas of images painted over by a later opaque rectangle (the hidden pixels)."""
    found = covers(page) if found is None else found
    if not found:
        return []
    try:
        log = page.get_bboxlog()
    except Exception:
        return []
    out = []
    for seqno, (kind, bbox) in enumerate(log):
        if kind not in ("fill-image", "fill-imgmask"):
            continue
        image = pymupdf.Rect(bbox)
        out += [image & c.rect for c in found if c.seqno > seqno and image.intersects(c.rect)]
    return [r for r in out if not r.is_empty]


def remove_covered(page: pymupdf.Page, trace: list[dict]) -> bool:
    """Remove text and image pixels hidden under later opaque rectangles. The rectangles
    themselves, and text painted on top of them, stay. True if anything was removed."""
    found = covers(page)
    chars, images = covered_chars(page, trace, found), covered_images(page, found)
    for box in chars:
        page.add_redact_annot(box, fill=False, cross_out=False)
    if chars:
        page.apply_redactions(images=pymupdf.PDF_REDACT_IMAGE_NONE,
                              graphics=pymupdf.PDF_REDACT_LINE_ART_NONE)
    for box in images:
        page.add_redact_annot(box, fill=False, cross_out=False)
    if images:
        page.apply_redactions(images=pymupdf.PDF_REDACT_IMAGE_PIXELS,
                              graphics=pymupdf.PDF_REDACT_LINE_ART_NONE,
                              text=pymupdf.PDF_REDACT_TEXT_NONE)
        blank_soft_masks(page, images)
    return bool(chars or images)


def blank_soft_masks(page: pymupdf.Page, rects: list[pymupdf.Rect]) -> int:
    """MuPDF's pixel redaction blanks an image but not its soft mask (/SMask), and a soft mask
    can carry the text itself. Make the mask transparent under `rects` (page coordinates).
    Returns how many masks changed."""
    doc = page.parent
    changed = 0
    try:
        infos = page.get_image_info(xrefs=True)
    except Exception:
        return 0
    for info in infos:
        xref = info.get("xref") or 0
        kind, value = doc.xref_get_key(xref, "SMask") if xref else ("null", "")
        hits = [r & pymupdf.Rect(info["bbox"]) for r in rects]
        hits = [h for h in hits if not h.is_empty]
        if kind != "xref" or not hits:
            continue
        changed += _blank_mask(doc, int(value.split()[0]), pymupdf.Matrix(info["transform"]), hits)
    return changed


def _blank_mask(doc: pymupdf.Document, mask: int, transform: pymupdf.Matrix,
                hits: list[pymupdf.Rect]) -> int:
    try:
        pix = pymupdf.Pixmap(doc, mask)
    except Exception:
        return 0
    if pix.n != 1 or pix.alpha:
        return 0
    to_unit = ~transform
    for hit in hits:
        unit = hit * to_unit  # image space: the unit square, row 0 at the top
        box = pymupdf.IRect(int(unit.x0 * pix.width) - 1, int(unit.y0 * pix.height) - 1,
                            int(unit.x1 * pix.width) + 2, int(unit.y1 * pix.height) + 2)
        box &= pix.irect
        if not box.is_empty:
            pix.set_rect(box, (0,))
    doc.update_stream(mask, bytes(pix.samples), compress=True)
    for key, value in (("Filter", "/FlateDecode"), ("DecodeParms", "null"),
                       ("BitsPerComponent", "8"), ("ColorSpace", "/DeviceGray"),
                       ("Width", str(pix.width)), ("Height", str(pix.height)), ("Decode", "null")):
        doc.xref_set_key(mask, key, value)
    return 1
