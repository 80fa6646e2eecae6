"""#18: a redacted document stays close to its input's size (fonts and images not duplicated,
streams compressed, redacted JPEG scans kept JPEG), and what was removed stays removed."""

from __future__ import annotations

import pymupdf

from woo_anon.model import Redaction, RedactionPlan
from woo_anon.redact import redact_document, save_verified

NAME = "Zwartjes"
PAGES = 12


def _scan_jpeg(number: int) -> bytes:
    """A page-sized 'scan': a rendered letter page as a JPEG, as a scanner would write it."""
    with pymupdf.open() as doc:
        page = doc.new_page(width=595, height=842)
        page.draw_rect(pymupdf.Rect(40, 40, 555, 120), color=(0.2, 0.3, 0.6), fill=(0.85, 0.9, 1))
        body = f"Besluit op uw verzoek, bladzijde {number}. " * 40
        page.insert_textbox(pymupdf.Rect(60, 160, 535, 800), body, fontsize=11)
        return page.get_pixmap(dpi=120).tobytes("jpg", jpg_quality=80)


def _make(path) -> RedactionPlan:
    """A scanned letter of PAGES pages with an OCR-like text line (a name) on each page, and a
    plan with one labelled box over that name on every page."""
    redactions = []
    with pymupdf.open() as doc:
        for n in range(PAGES):
            page = doc.new_page(width=595, height=842)
            page.insert_image(page.rect, stream=_scan_jpeg(n))
            page.insert_text((72, 140), f"Aan de heer {NAME}", fontsize=11)
            box = page.search_for(NAME)[0]
            redactions.append(Redaction(f"r{n}", n + 1, (tuple(box + (-1, -1, 1, 1)),),
                                        "PERSON", "5.1.2e", 1.0, "test", "redact", "name", NAME))
        doc.save(path, garbage=4, deflate=True)
    return RedactionPlan(str(path), "", "test", tuple(redactions))


def test_labelled_scan_stays_close_to_input_size(tmp_path):
    src, out = tmp_path / "scan.pdf", tmp_path / "out.pdf"
    plan = _make(src)
    with pymupdf.open(src) as doc:
        redact_document(doc, plan)
        save_verified(doc, out, plan)  # raises when the output does not verify
    size_in, size_out = src.stat().st_size, out.stat().st_size
    assert size_out <= 1.5 * size_in + 60_000, (size_in, size_out)
    with pymupdf.open(out) as doc:
        assert doc.page_count == PAGES
        for page in doc:
            assert NAME not in page.get_text()
            assert "5.1.2e" in page.get_text()  # the label is printed on every page
            images = page.get_images(full=True)
            assert images and all("DCT" in i[8] for i in images)  # still a JPEG scan
            # the image's own pixels under the box were blanked before re-encoding
            assert _spread(pymupdf.Pixmap(doc, images[0][0]),
                           pymupdf.Rect(plan.redactions[page.number].boxes[0])) < 60


def _spread(pix: pymupdf.Pixmap, box: pymupdf.Rect) -> int:
    """Darkest-to-lightest spread of the image pixels inside `box` (page points; the image
    fills the page), a little inside its edges (JPEG blurs an edge by a pixel or two)."""
    scale = pix.width / 595
    x0, y0, x1, y1 = (int(v * scale) for v in box)
    values = [pix.pixel(x, y)[0] for x in range(x0 + 3, x1 - 3) for y in range(y0 + 3, y1 - 3)]
    return max(values) - min(values)


def test_text_document_with_labels_on_every_page_stays_small(tmp_path):
    src, out = tmp_path / "brief.pdf", tmp_path / "out.pdf"
    redactions = []
    with pymupdf.open() as doc:
        for n in range(30):
            page = doc.new_page(width=595, height=842)
            page.insert_textbox(pymupdf.Rect(60, 60, 535, 800),
                                f"Geachte heer {NAME}, " + "dit is de tekst van het besluit. " * 60)
            box = page.search_for(NAME)[0]
            redactions.append(Redaction(f"r{n}", n + 1, (tuple(box),), "PERSON", "5.1.2e", 1.0,
                                        "test", "redact", "name", NAME))
        doc.save(src, garbage=4, deflate=True)
    plan = RedactionPlan(str(src), "", "test", tuple(redactions))
    with pymupdf.open(src) as doc:
        redact_document(doc, plan)
        save_verified(doc, out, plan)
    # the label font is embedded once, not once per page
    assert out.stat().st_size <= 1.5 * src.stat().st_size + 60_000
    with pymupdf.open(out) as doc:
        fonts = {f[0] for page in doc for f in page.get_fonts(full=True)
                 if f[3] != "Helvetica"}  # the input's base-14 font has no file
        assert len({doc.xref_stream_raw(x) and len(doc.xref_stream_raw(x)) for x in fonts}) <= 2
        assert all(NAME not in page.get_text() for page in doc)
