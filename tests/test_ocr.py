"""Scanned pages: OCR with Tesseract (Dutch), detection on OCR text, pixels removed."""

from __future__ import annotations

import json
import random
import shutil

import pymupdf
import pytest

from woo_anon import synth
from woo_anon.api import Engine, Settings, redact_file
from woo_anon.audit import AuditLog
from woo_anon.ocr import ocr_region

pytestmark = pytest.mark.skipif(shutil.which("tesseract") is None,
                                reason="Tesseract not installed (scripts/setup.sh installs it)")

BODY = ("Gemeente Utrecht\n\nOnderwerp: aanvraag parkeervergunning\n\n"
        "Geachte heer {name},\n\nUw aanvraag is ontvangen. Het burgerservicenummer {bsn} is\n"
        "gecontroleerd. Wij storten het bedrag op rekening {iban}.\nU kunt bellen met {phone}.\n\n"
        "Met vriendelijke groet,\n\nafdeling Vergunningen")
KEEP_WORDS = ["Gemeente", "Utrecht", "Onderwerp", "aanvraag", "parkeervergunning", "ontvangen",
              "gecontroleerd", "storten", "bedrag", "rekening", "bellen", "vriendelijke", "groet",
              "afdeling", "Vergunningen"]


def scanned_pdf(path, text: str, dpi: int, skew: float, grey: float):
    """Render a text page to an image (optionally skewed, on grey) and wrap it image-only."""
    src = pymupdf.open()
    page = src.new_page(width=595, height=842)
    page.draw_rect(page.rect, color=None, fill=(grey, grey, grey))
    morph = (pymupdf.Point(60, 60), pymupdf.Matrix(skew)) if skew else None
    page.insert_textbox(pymupdf.Rect(60, 60, 535, 800), text, fontsize=11, morph=morph)
    pix = page.get_pixmap(dpi=dpi)
    out = pymupdf.open()
    scan = out.new_page(width=595, height=842)
    scan.insert_image(scan.rect, pixmap=pix)
    out.save(path)


def ocr_text(path) -> str:
    with pymupdf.open(path) as doc:
        return " ".join(w.text for page in doc for w in ocr_region(page))


@pytest.fixture(scope="module")
def engine():
    return Engine(Settings(model="blank"))


@pytest.mark.parametrize("dpi, skew, grey", [(150, 0, 1.0), (200, 1.0, 0.9), (300, -0.7, 0.85)])
def test_scanned_page_redacted_in_pixels(engine, tmp_path, dpi, skew, grey):
    rng = random.Random(dpi)
    values = {"name": "Brouwer", "bsn": synth.bsn(rng), "iban": synth.iban(rng),
              "phone": "06-34567890"}
    src = tmp_path / "scan.pdf"
    scanned_pdf(src, BODY.format(**values), dpi, skew, grey)
    result = redact_file(engine, src, "scan.pdf", tmp_path / "out", AuditLog(tmp_path / "out"))
    assert result.status == "verified", result.error
    assert result.ocr_pages == (1,)
    after = ocr_text(tmp_path / "out" / "scan.pdf")
    flat = after.replace(" ", "")
    for value in values.values():
        assert value.replace("-", "") not in flat.replace("-", "")
    readable = [w for w in KEEP_WORDS if w.lower() in after.lower()]
    assert len(readable) >= 0.8 * len(KEEP_WORDS), readable
    audit = [json.loads(l) for l in (tmp_path / "out" / "audit.jsonl").read_text().splitlines()]
    summary = [r for r in audit if r["type"] == "document"][0]
    assert summary["ocr_pages"] == [1] and summary["ocr_confidence"]["1"] is not None


def test_image_with_invisible_ocr_layer(engine, tmp_path):
    """A scan with a hidden text layer (as scanners and review systems make): the personal data
    goes from the image and from the layer."""
    rng = random.Random(9)
    bsn = synth.bsn(rng)
    text = BODY.format(name="Zeeman", bsn=bsn, iban=synth.iban(rng), phone="06-45678901")
    src = tmp_path / "layer.pdf"
    scanned_pdf(src, text, 200, 0, 1.0)
    with pymupdf.open(src) as doc:
        doc[0].insert_textbox(pymupdf.Rect(60, 60, 535, 800), text, fontsize=11, render_mode=3)
        doc.save(tmp_path / "layer2.pdf")
    result = redact_file(engine, tmp_path / "layer2.pdf", "layer2.pdf", tmp_path / "out",
                         AuditLog(tmp_path / "out"))
    assert result.status == "verified", result.error
    with pymupdf.open(tmp_path / "out" / "layer2.pdf") as doc:
        layer = doc[0].get_text()
    assert bsn not in layer and "Zeeman" not in layer and "parkeervergunning" in layer
    image_text = ocr_text(tmp_path / "out" / "layer2.pdf")
    assert bsn not in image_text.replace(" ", "") and "Zeeman" not in image_text
