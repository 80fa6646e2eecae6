"""Metadata inside JPEG image streams: EXIF (APP1, with camera owner, GPS, a thumbnail), XMP,
Photoshop IRB, comment (COM) segments and bytes after the image's end. Removed segment by
segment; the compressed image data is copied unchanged, so pixels do not change.
"""

from __future__ import annotations

import pymupdf

SOI, EOI, SOS, COM = b"\xff\xd8", b"\xff\xd9", 0xDA, 0xFE


def _keep(marker: int, body: bytes) -> bool:
    """Segments needed to decode the image are kept; metadata segments are not."""
    if marker == COM or 0xE1 <= marker <= 0xEF:
        return (marker == 0xE2 and body.startswith(b"ICC_PROFILE\0")) or \
               (marker == 0xEE and body.startswith(b"Adobe"))  # colour transform (CMYK)
    if marker == 0xE0:  # JFIF header without a thumbnail
        return body.startswith(b"JFIF\0") and body[12:14] == b"\0\0"
    return True


def segments(data: bytes) -> tuple[list[tuple[int, bytes]], int] | None:
    """(marker, body) of each header segment, and where the scan data starts; None if this is
    not a JPEG that can be read safely."""
    if not data.startswith(SOI):
        return None
    out, pos = [], 2
    while pos + 4 <= len(data) and data[pos] == 0xFF:
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker == SOS:
            return out, pos
        length = int.from_bytes(data[pos + 2:pos + 4], "big")
        out.append((marker, data[pos + 4:pos + 2 + length]))
        pos += 2 + length
    return None


def clean(data: bytes) -> bytes | None:
    """The JPEG without metadata segments and trailing bytes, or None if nothing to remove."""
    parsed = segments(data)
    if parsed is None:
        return None
    parts, start = parsed
    kept = [SOI] + [bytes([0xFF, m]) + (len(b) + 2).to_bytes(2, "big") + b
                    for m, b in parts if _keep(m, b)]
    changed = len(kept) - 1 < len(parts)
    scan = data[start:]
    end = scan.rfind(EOI)
    if end >= 0 and end + 2 < len(scan):
        scan, changed = scan[:end + 2], True
    return b"".join(kept) + scan if changed else None


def dct_xrefs(doc: pymupdf.Document) -> list[int]:
    out = []
    for xref in range(1, doc.xref_length()):
        try:
            if doc.xref_is_stream(xref) and "DCTDecode" in doc.xref_get_key(xref, "Filter")[1]:
                out.append(xref)
        except Exception:
            continue
    return out


def _only_dct(doc: pymupdf.Document, xref: int) -> bool:
    """The stream's only filter is DCTDecode (written as a name or a one-element array)."""
    return doc.xref_get_key(xref, "Filter")[1].strip("[] ") == "/DCTDecode"


def strip_jpeg_metadata(doc: pymupdf.Document) -> int:
    """Clean every single-filter JPEG stream in the document; returns how many changed."""
    changed = 0
    for xref in dct_xrefs(doc):
        if not _only_dct(doc, xref):
            continue  # chained filters: the verifier reports what is left
        new = clean(doc.xref_stream_raw(xref) or b"")
        if new is not None:
            doc.update_stream(xref, new, compress=False)
            doc.xref_set_key(xref, "Filter", "/DCTDecode")
            changed += 1
    return changed


def jpeg_problems(doc: pymupdf.Document) -> list[str]:
    """JPEG streams of a written file that still carry metadata segments."""
    for xref in dct_xrefs(doc):
        try:
            raw = doc.xref_stream_raw(xref) or b""
        except Exception:
            continue
        if _only_dct(doc, xref) and clean(raw) is not None:
            return ["metadata left in a JPEG image (EXIF, XMP or comment)"]
    return []
