"""Redactions announced to a screen reader: "Gelakt: 5.1.2e" in the structure tree.

For a tagged input, every applied redaction gets a structure element
`<</S /Span /ActualText (Gelakt: <ground>)>>` in the element that held the redacted text (the
deepest structure element whose marked content had a glyph under the box), so assistive
technology that reads the structure tree announces the redaction inside that paragraph, cell,
heading or span. The new element has no marked content of its own (the drawn box and label stay
`/Artifact`): it is placed in the holding element's `/K` after that element's own content, in
reading order (top to bottom, left to right) when one element held several redactions.

Where the text sat is read before redaction with MuPDF's structure-aware text extraction
(`TEXT_COLLECT_STRUCTURE`): each structure block carries its index in its parent's `/K`, the path
of indices is resolved in the structure tree and checked against each element's `/S`. Untagged
pages, or a path that does not resolve, get no announcement (nothing is guessed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pymupdf

from woo_anon.model import Redaction

PREFIX = "Gelakt: "
_KID = re.compile(rb"<<.*?>>|\d+\s+\d+\s+R|-?\d+", re.S)


@dataclass(frozen=True)
class Target:
    """One announcement: the holding element's path in the structure tree, and the ground."""
    path: tuple[tuple[int, str], ...]  # (index in parent's /K, the element's raw /S) per level
    ground: str


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
    targets = []
    for item in sorted(items, key=lambda r: (r.boxes[0][1], r.boxes[0][0])):
        boxes = [pymupdf.Rect(b) for b in item.boxes]
        path = next((p for p, centre in glyphs if p and any(centre in b for b in boxes)), None)
        if path:
            targets.append(Target(path, item.ground))
    return targets


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


def announce(page: pymupdf.Page, targets: list[Target]) -> int:
    """After redaction: add one announcing /Span per target. Returns how many were added."""
    doc = page.parent
    root = _ref(doc.xref_get_key(doc.pdf_catalog(), "StructTreeRoot"))
    added = 0
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
        _append_kid(doc, holder, span)
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


def _append_kid(doc: pymupdf.Document, holder: int, kid: int) -> None:
    kids = [k.decode() for k in _kids(doc, holder)] + [f"{kid} 0 R"]
    doc.xref_set_key(holder, "K", "[" + " ".join(kids) + "]")
