"""Redactions announced to a screen reader: "Gelakt: 5.1.2e" in the structure tree.

For a tagged input, every applied redaction gets a structure element
`<</S /Span /ActualText (Gelakt: <ground>)>>` in the element that held the redacted text (the
deepest structure element whose marked content had a glyph under the box), so assistive
technology that reads the structure tree announces the redaction inside that paragraph, cell,
heading or span. The new element has no marked content of its own (the drawn box and label stay
`/Artifact`). It is placed in the holding element's `/K` at the reading position: next to the
marked-content sequence (MCID) that held the redacted text — before it when the redaction began
that sequence, else after it (after earlier announcements there, so several redactions keep
their order). Where the MCID cannot be found among the element's kids, the announcement goes
after the element's own content. A sequence is not split: a redaction in the middle of one
long marked-content sequence is announced right after that sequence.

Which MCID held a glyph is read with pdfminer (its marked-content callbacks) on a one-page copy
of the page, independently of MuPDF's text extraction.

Where the text sat is read before redaction with MuPDF's structure-aware text extraction
(`TEXT_COLLECT_STRUCTURE`): each structure block carries its index in its parent's `/K`, the path
of indices is resolved in the structure tree and checked against each element's `/S`. Untagged
pages, or a path that does not resolve, get no announcement (nothing is guessed).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import pymupdf
from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LAParams
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage

from woo_anon.model import Redaction

PREFIX = "Gelakt: "
_KID = re.compile(rb"<<.*?>>|\d+\s+\d+\s+R|-?\d+", re.S)


@dataclass(frozen=True)
class Target:
    """One announcement: the holding element's path in the structure tree, the ground, and the
    marked-content sequence that held the redacted text (None: unknown)."""
    path: tuple[tuple[int, str], ...]  # (index in parent's /K, the element's raw /S) per level
    ground: str
    mcid: int | None = None
    before: bool = False  # the redaction began its sequence: announce before it


def is_tagged(doc: pymupdf.Document) -> bool:
    return doc.xref_get_key(doc.pdf_catalog(), "StructTreeRoot")[0] == "xref"


def find_targets(page: pymupdf.Page, items: list[Redaction]) -> list[Target]:
    """Before redaction: for each redaction, in reading order, the structure element that
    holds a glyph under one of its boxes."""
    try:
        blocks = page.get_text("rawdict", flags=pymupdf.TEXT_COLLECT_STRUCTURE)["blocks"]
    except Exception:  # a damaged content stream: no announcement rather than a guess
        return []
    glyphs = list(_glyphs(blocks, ()))
    if not any(path for path, _ in glyphs):
        return []
    marked = marked_glyphs(page)
    firsts = {}
    for index, (mcid, _) in enumerate(marked):
        firsts.setdefault(mcid, index)
    targets = []
    for item in sorted(items, key=lambda r: (r.boxes[0][1], r.boxes[0][0])):
        boxes = [pymupdf.Rect(b) for b in item.boxes]
        path = next((p for p, centre in glyphs if p and any(centre in b for b in boxes)), None)
        if not path:
            continue
        hit = next((i for i, (m, centre) in enumerate(marked)
                    if m is not None and any(centre in b for b in boxes)), None)
        mcid = marked[hit][0] if hit is not None else None
        targets.append(Target(path, item.ground, mcid, hit is not None and firsts[mcid] == hit))
    return targets


def marked_glyphs(page: pymupdf.Page) -> list[tuple[int | None, pymupdf.Point]]:
    """(MCID of the innermost marked-content sequence with one, glyph centre in MuPDF page
    coordinates) for every glyph of the page, in content-stream order; [] when unreadable."""
    one = pymupdf.open()
    try:
        one.insert_pdf(page.parent, from_page=page.number, to_page=page.number)
        one[0].set_rotation(0)  # pdfminer's coordinates: unrotated PDF space from the media box
        origin = one[0].mediabox.tl
        data = one.tobytes()
    finally:
        one.close()
    device = MarkedContent(PDFResourceManager(), laparams=LAParams())
    try:
        pdf_page = next(PDFPage.get_pages(io.BytesIO(data)))
        PDFPageInterpreter(device.rsrcmgr, device).process_page(pdf_page)
    except Exception:  # pdfminer cannot read it: the element's end, as before
        return []
    matrix = page.transformation_matrix
    out = []
    for mcid, (x0, y0, x1, y1) in device.glyphs:
        centre = pymupdf.Point((x0 + x1) / 2 + origin.x, (y0 + y1) / 2 + origin.y)
        out.append((mcid, centre * matrix))
    return out


def _glyphs(blocks: list[dict], path: tuple):
    """(structure path, glyph centre) for every visible glyph below `blocks`."""
    for block in blocks:
        if block.get("type") == 2:
            yield from _glyphs(block.get("blocks", []),
                               path + ((block.get("index", -1), block.get("raw", "")),))
        elif block.get("type") == 0:
            for line in block.get("lines", ()):
                for span in line.get("spans", ()):
                    for char in span.get("chars", ()):
                        if char["c"].strip():
                            x0, y0, x1, y1 = char["bbox"]
                            yield path, pymupdf.Point((x0 + x1) / 2, (y0 + y1) / 2)


class MarkedContent(PDFPageAggregator):
    """A pdfminer device that records the MCID in force for each glyph it lays out."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.stack: list[int | None] = []
        self.glyphs: list[tuple[int | None, tuple[float, float, float, float]]] = []

    def begin_tag(self, tag, props=None) -> None:
        mcid = props.get("MCID") if isinstance(props, dict) else None
        self.stack.append(mcid if isinstance(mcid, int) else None)

    def end_tag(self) -> None:
        if self.stack:
            self.stack.pop()

    def render_char(self, matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate):
        advance = super().render_char(matrix, font, fontsize, scaling, rise, cid, ncs,
                                      graphicstate)
        char = self.cur_item._objs[-1]
        if char.get_text().strip():
            mcid = next((m for m in reversed(self.stack) if m is not None), None)
            self.glyphs.append((mcid, char.bbox))
        return advance


def announce(page: pymupdf.Page, targets: list[Target]) -> int:
    """After redaction: add one announcing /Span per target. Returns how many were added."""
    doc = page.parent
    root = _ref(doc.xref_get_key(doc.pdf_catalog(), "StructTreeRoot"))
    added, spans = 0, set()
    for target in targets:
        holder = _resolve(doc, root, target.path) if root else None
        if holder is None:
            continue
        span = doc.get_new_xref()
        # the title numbers the box on its page: two announcements in one element stay two
        # objects (a garbage-collecting save merges identical objects)
        title = pymupdf.get_pdf_str(f"Lakvak {page.number + 1}.{added + 1}")
        doc.update_object(span, f"<</Type/StructElem/S/Span/P {holder} 0 R/Pg {page.xref} 0 R"
                                f"/T {title}"
                                f"/ActualText {pymupdf.get_pdf_str(PREFIX + target.ground)}>>")
        _insert_kid(doc, holder, span, target, page.xref, spans)
        spans.add(span)
        added += 1
    return added


def _ref(value: tuple[str, str]) -> int | None:
    return int(value[1].split()[0]) if value[0] == "xref" else None


def _kids(doc: pymupdf.Document, xref: int) -> list[bytes]:
    kind, value = doc.xref_get_key(xref, "K")
    if kind == "null":
        return []
    if kind == "array":
        return _KID.findall(value.strip()[1:-1].encode())
    return [value.encode()]


def _resolve(doc: pymupdf.Document, root: int, path: tuple) -> int | None:
    """The element at `path` below the structure tree root, each level's /S checked."""
    xref = root
    for index, raw in path:
        kids = _kids(doc, xref)
        if not 0 <= index < len(kids) or not kids[index].endswith(b"R"):
            return None
        xref = int(kids[index].split()[0])
        if doc.xref_get_key(xref, "S") != ("name", f"/{raw}"):
            return None
    return xref if xref != root else None


def _insert_kid(doc: pymupdf.Document, holder: int, kid: int, target: Target, page: int,
                spans: set[int]) -> None:
    """Put `kid` in the holder's /K next to the target's MCID (see the module text)."""
    kids = [k.decode() for k in _kids(doc, holder)]
    where = next((i for i, k in enumerate(kids) if _is_mcid(k, target.mcid, page)), None)
    if where is None:
        where = len(kids)
    elif not target.before:
        where += 1
        while where < len(kids) and _ref_of(kids[where]) in spans:
            where += 1  # after the announcements already made for this sequence
    kids.insert(where, f"{kid} 0 R")
    doc.xref_set_key(holder, "K", "[" + " ".join(kids) + "]")


def _is_mcid(kid: str, mcid: int | None, page: int) -> bool:
    if mcid is None:
        return False
    if re.fullmatch(r"-?\d+", kid):
        return int(kid) == mcid
    if kid.startswith("<<"):
        found = re.search(r"/MCID\s+(\d+)", kid)
        on = re.search(r"/Pg\s+(\d+)\s+\d+\s+R", kid)
        return bool(found) and int(found.group(1)) == mcid and (not on or int(on.group(1)) == page)
    return False


def _ref_of(kid: str) -> int | None:
    found = re.fullmatch(r"(\d+)\s+\d+\s+R", kid)
    return int(found.group(1)) if found else None
