"""Read a PDF back the way a determined reader would, for the leak tests.

Five independent readings: PyMuPDF (all text, also outside the page), poppler's pdftotext,
pdfminer.six, Tesseract OCR of every rendered page (Dutch), and a walk of the whole object
graph (qpdf --qdf with object streams disabled: every stream decompressed, plus every xref's
object and stream through PyMuPDF). A secret is "recoverable" when any reading contains it,
compared without spaces, case and hyphenated line breaks.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pymupdf


def _squash(text: str) -> str:
    text = re.sub(r"[-\u00ad]\s*\n\s*", "", text)
    return re.sub(r"\s+", "", text).lower()


def read_pymupdf(path: Path) -> str:
    with pymupdf.open(path) as doc:
        # flags=0: not even clipped to the media box
        return "\n".join(page.get_text("text", flags=0, clip=pymupdf.INFINITE_RECT())
                         for page in doc)


def read_pdftotext(path: Path) -> str:
    if not shutil.which("pdftotext"):
        return ""
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                          timeout=120).stdout.decode("utf-8", "replace")


def read_pdfminer(path: Path) -> str:
    from pdfminer.high_level import extract_text

    return extract_text(str(path))


def read_ocr(path: Path, dpi: int = 300) -> str:
    if not shutil.which("tesseract"):
        return ""
    out = []
    with pymupdf.open(path) as doc:
        for page in doc:
            png = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY).tobytes("png")
            proc = subprocess.run(["tesseract", "stdin", "stdout", "-l", "nld", "--psm", "3"],
                                  input=png, capture_output=True, timeout=120)
            out.append(proc.stdout.decode("utf-8", "replace"))
    return "\n".join(out)


def read_objects(path: Path, tmp: Path) -> bytes:
    """Every byte a reader gets by walking the object graph: qpdf's decompressed QDF file and
    PyMuPDF's decompressed stream and object of every xref."""
    data = b""
    if shutil.which("qpdf"):
        qdf = tmp / f"{path.stem}.qdf.pdf"
        subprocess.run(["qpdf", "--qdf", "--object-streams=disable", str(path), str(qdf)],
                       capture_output=True, timeout=120)
        data += qdf.read_bytes() if qdf.exists() else b""
    with pymupdf.open(path) as doc:
        for xref in range(1, doc.xref_length()):
            try:
                data += doc.xref_object(xref).encode("latin-1", "replace")
                if doc.xref_is_stream(xref):
                    data += (doc.xref_stream(xref) or b"") + (doc.xref_stream_raw(xref) or b"")
            except Exception:
                continue
    return data


def _in_bytes(secret: str, data: bytes) -> bool:
    forms = {secret.encode("latin-1", "ignore"), secret.encode("utf-16-be"),
             secret.encode("latin-1", "ignore").hex().encode(),
             secret.encode("latin-1", "ignore").hex().upper().encode()}
    return any(f and f in data for f in forms)


def readings(path: Path, tmp: Path, ocr: bool = True) -> dict[str, str]:
    texts = {"pymupdf": read_pymupdf(path), "pdftotext": read_pdftotext(path),
             "pdfminer": read_pdfminer(path)}
    if ocr:
        texts["ocr"] = read_ocr(path)
    return texts


def recoverable(path: Path, secrets: list[str], tmp: Path, ocr: bool = True) -> list[str]:
    """Which reading recovers which secret ("reader: secret"); empty when none does."""
    found = []
    for reader, text in readings(path, tmp, ocr).items():
        squashed = _squash(text)
        found += [f"{reader}: {s}" for s in secrets if _squash(s) in squashed]
    raw = read_objects(path, tmp)
    found += [f"objects: {s}" for s in secrets if _in_bytes(s, raw)]
    return found


def assert_unrecoverable(path: Path, secrets: list[str], tmp: Path, ocr: bool = True) -> None:
    found = recoverable(path, secrets, tmp, ocr)
    assert not found, f"{path.name}: recoverable: {found}"


def assert_visible(path: Path, text: str) -> None:
    """The public content stayed: PyMuPDF and pdftotext both read `text`."""
    assert _squash(text) in _squash(read_pymupdf(path))
    if shutil.which("pdftotext"):
        assert _squash(text) in _squash(read_pdftotext(path))


def ocr_images(path: Path) -> str:
    """OCR of every image stream on its own, and of its soft mask (what pdfimages gives)."""
    if not shutil.which("tesseract"):
        return ""
    out = []
    with pymupdf.open(path) as doc:
        for xref in range(1, doc.xref_length()):
            if doc.xref_get_key(xref, "Subtype") != ("name", "/Image"):
                continue
            try:
                pix = pymupdf.Pixmap(doc, xref)
            except Exception:
                continue
            if pix.alpha:
                pix = pymupdf.Pixmap(pix, 0)
            if pix.n > 3 or pix.colorspace is None:
                pix = pymupdf.Pixmap(pymupdf.csRGB, pix) if pix.colorspace else pix
            if pix.width < 16 or pix.height < 8:
                continue
            big = pymupdf.Pixmap(pix, pix.width * 2, pix.height * 2, None) if pix.height < 40 else pix
            variants = [big]
            if big.n == 1:  # a soft mask: text may be light on dark
                variants.append(pymupdf.Pixmap(big))
                variants[-1].invert_irect()
            for variant in variants:
                proc = subprocess.run(["tesseract", "stdin", "stdout", "-l", "nld", "--psm", "6"],
                                      input=variant.tobytes("png"), capture_output=True,
                                      timeout=120)
                out.append(proc.stdout.decode("utf-8", "replace"))
    return "\n".join(out)
