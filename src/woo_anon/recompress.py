"""Keep redacted photos and scans JPEG-sized.

Pixel redaction (MuPDF's PDF_REDACT_IMAGE_PIXELS) blanks the pixels under a box and writes the
image back losslessly (Flate). For a scanned page that turns a 250 KB JPEG into a 2-6 MB stream,
so a 2.5 MB scanned decision letter came out at 7 MB. An image that was a JPEG before
redaction is written as a JPEG again, from its already-blanked pixels: what was removed stays
removed (the box's pixels are blank before encoding), the rest looks as it did.
"""

from __future__ import annotations

import pymupdf

QUALITY = 85
_PLAIN = {"DeviceRGB": 3, "DeviceGray": 1}


def jpeg_images(page: pymupdf.Page) -> tuple[frozenset[int], frozenset[tuple[int, int]]]:
    """The page's image xrefs and the sizes (width, height) of its JPEG images: call before
    redacting, pass to `restore_jpeg` after."""
    images = _images(page)
    return (frozenset(i[0] for i in images),
            frozenset((i[2], i[3]) for i in images if i[8] == "DCTDecode"))


def restore_jpeg(page: pymupdf.Page, before: tuple[frozenset[int], frozenset[tuple[int, int]]],
                 quality: int = QUALITY) -> int:
    """Re-encode as JPEG each image that redaction rewrote from a JPEG (a new object of the
    same size as a JPEG drawn on the page before, no longer DCT-encoded). Returns how many."""
    xrefs, sizes = before
    if not sizes:
        return 0
    done = 0
    for image in _images(page):
        xref, width, height, filters = image[0], image[2], image[3], image[8]
        if xref in xrefs or (width, height) not in sizes or "DCT" in filters:
            continue
        done += _to_jpeg(page.parent, xref, quality)
    return done


def _images(page: pymupdf.Page) -> list[tuple]:
    try:
        return page.get_images(full=True)
    except Exception:  # a damaged resource dictionary: nothing to recompress
        return []


def _to_jpeg(doc: pymupdf.Document, xref: int, quality: int) -> int:
    """Write image `xref` as JPEG when it is plain 8-bit grey or RGB and the JPEG is smaller
    (a soft mask is a separate object and stays as it is)."""
    if doc.xref_get_key(xref, "BitsPerComponent")[1] != "8":
        return 0
    try:
        pix = pymupdf.Pixmap(doc, xref)
    except Exception:
        return 0
    if pix.alpha or pix.n not in (1, 3):
        return 0
    kind, space = doc.xref_get_key(xref, "ColorSpace")
    if not (space.strip("/") in _PLAIN and _PLAIN[space.strip("/")] == pix.n) \
            and not (kind == "xref" and _is_icc(doc, space, pix.n)):
        return 0
    data = pix.tobytes("jpg", jpg_quality=quality)
    if len(data) >= len(doc.xref_stream_raw(xref) or b""):
        return 0
    doc.update_stream(xref, data, compress=0)
    doc.xref_set_key(xref, "Filter", "/DCTDecode")
    doc.xref_set_key(xref, "DecodeParms", "null")
    doc.xref_set_key(xref, "Decode", "null")
    return 1


def _is_icc(doc: pymupdf.Document, ref: str, n: int) -> bool:
    """An ICCBased colour space with n components (`[/ICCBased 12 0 R]` behind `ref`)."""
    try:
        cs = doc.xref_object(int(ref.split()[0]), compressed=True)
    except Exception:
        return False
    if "/ICCBased" not in cs:
        return False
    stream = cs.split("/ICCBased", 1)[1].split()[0]
    try:
        return doc.xref_get_key(int(stream), "N")[1] == str(n)
    except ValueError:
        return False
