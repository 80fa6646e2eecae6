"""Redaction boxes and their ground labels, drawn as artifacts in an embedded font.

Every box shows its ground: inside the box at the largest size that fits; a redaction whose
boxes are too small for a legible label is numbered, if even that does not fit it is listed in
order, in a footnote at the bottom of the page. Boxes, labels and footnote are `/Artifact`
marked content (screen readers skip them; the structure tree of a tagged input is untouched);
the label font (MuPDF's Nimbus Sans, metric-compatible with Helvetica) is embedded.
"""

from __future__ import annotations

from functools import lru_cache

import pymupdf

from woo_anon.model import Redaction

FONT_NAME = "WooLabel"
MIN_LEGIBLE = 4.5  # pt: smallest label size we print inside a box
FOOTNOTE_SIZE = 6.0
MAX_SIZE = 12.0


@lru_cache(maxsize=1)
def label_font() -> pymupdf.Font:
    return pymupdf.Font("helv")


@lru_cache(maxsize=4096)
def advance(text: str) -> float:
    """The width of `text` at font size 1 in the label font. PyMuPDF adds up the glyph
    advances and multiplies by the size, so `advance(text) * size` is exactly
    `text_length(text, fontsize=size)`; measured once per text (the same few grounds)."""
    return label_font().text_length(text, fontsize=1)


def label_size(box: pymupdf.Rect, label: str) -> float:
    """Largest font size at which the label fits the box."""
    width = advance(label) or 1
    return min(box.height * 0.8, (box.width - 1) / width, MAX_SIZE)


def _centred(shape: pymupdf.Shape, rect: pymupdf.Rect, text: str, size: float,
             colour: tuple) -> None:
    width = advance(text) * size
    point = pymupdf.Point(rect.x0 + (rect.width - width) / 2,
                          rect.y0 + (rect.height + 0.7 * size) / 2)
    shape.insert_text(point, text, fontname=FONT_NAME, fontsize=size, color=colour)


def draw_boxes(page: pymupdf.Page, items: list[Redaction], fill: tuple, colour: tuple) -> None:
    """Draw every box of `items` with its ground label (or footnote reference)."""
    if not items:
        return
    before = set(page.get_contents())
    page.insert_font(fontname=FONT_NAME, fontbuffer=label_font().buffer)
    shape = page.new_shape()
    notes: list[str] = []
    visible = pymupdf.Rect(0, 0, page.cropbox.width, page.cropbox.height)
    for redaction in sorted(items, key=lambda r: (r.boxes[0][1], r.boxes[0][0])):
        rects = [pymupdf.Rect(b) & visible for b in redaction.boxes]
        rects = [r for r in rects if not r.is_empty]
        if not rects:  # wholly off the page: removed with everything there, nothing to show
            continue
        for rect in rects:
            shape.draw_rect(rect)
            shape.finish(fill=fill, color=None, width=0)
        widest = max(rects, key=lambda r: r.width)
        size = label_size(widest, redaction.ground)
        if size >= MIN_LEGIBLE:
            _centred(shape, widest, redaction.ground, size, colour)
            continue
        mark = str(len(notes) + 1)
        notes.append(f"{mark} = {redaction.ground}")
        if label_size(widest, mark) >= MIN_LEGIBLE:
            _centred(shape, widest, mark, label_size(widest, mark), colour)
    if notes:
        _footnote(shape, page, notes)
    shape.commit(overlay=True)
    _as_artifact(page, before)


def _footnote(shape: pymupdf.Shape, page: pymupdf.Page, notes: list[str]) -> None:
    """Grounds of the boxes too small for a label, numbered from the top of the page."""
    text = "Gelakt, kleine vakken (van boven naar beneden): " + "; ".join(notes)
    area = pymupdf.Rect(0, 0, page.cropbox.width, page.cropbox.height)
    width = area.width - 72
    size = min(FOOTNOTE_SIZE, width / (label_font().text_length(text, fontsize=1) or 1))
    size = max(size, MIN_LEGIBLE)
    lines, line = [], ""
    for part in text.split(" "):
        trial = f"{line} {part}".strip()
        if label_font().text_length(trial, fontsize=size) > width and line:
            lines.append(line)
            line = part
        else:
            line = trial
    lines.append(line)
    y = area.y1 - 4 - (len(lines) - 1) * size * 1.2
    for index, line in enumerate(lines):
        shape.insert_text((area.x0 + 36, y + index * size * 1.2), line, fontname=FONT_NAME,
                          fontsize=size, color=(0, 0, 0))


def _as_artifact(page: pymupdf.Page, before: set[int]) -> None:
    doc = page.parent
    for xref in page.get_contents():
        if xref not in before:
            data = doc.xref_stream(xref) or b""
            doc.update_stream(xref, b"/Artifact BMC\n" + data + b"\nEMC\n")
