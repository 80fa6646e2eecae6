"""Scanned pages: OCR with Tesseract (Dutch), detection on OCR text, pixels removed."""

from __future__ import annotations

import json
import random
import shutil

import pymupdf
import pytest

import synth
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


def test_embedded_image_with_text_is_ocrd_and_optionally_redacted_whole(tmp_path):
    """A scanned signature block pasted into a digital letter: its text is OCR'd and detected;
    with --redact-images the whole image goes."""
    rng = random.Random(4)
    bsn = synth.bsn(rng)
    snippet = pymupdf.open()
    spage = snippet.new_page(width=400, height=120)
    spage.insert_text((10, 40), f"BSN {bsn}", fontsize=20)
    spage.insert_text((10, 80), "handtekening aanvrager", fontsize=14)
    pix = spage.get_pixmap(dpi=200)
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 80), "Brief over de aanvraag. Zie het bijgevoegde document.", fontsize=11)
    page.insert_image(pymupdf.Rect(72, 120, 472, 240), pixmap=pix)
    src = tmp_path / "embedded.pdf"
    doc.save(src)
    plain = Engine(Settings(model="blank"))
    result = redact_file(plain, src, "embedded.pdf", tmp_path / "a", AuditLog(tmp_path / "a"))
    assert result.status == "verified" and result.ocr_pages == (1,)
    image_text = ocr_text(tmp_path / "a" / "embedded.pdf")
    assert bsn not in image_text.replace(" ", "") and "handtekening" in image_text
    whole = Engine(Settings(model="blank", redact_images=True))
    result = redact_file(whole, src, "embedded.pdf", tmp_path / "b", AuditLog(tmp_path / "b"))
    assert result.status == "verified"
    image_text = ocr_text(tmp_path / "b" / "embedded.pdf")
    assert "handtekening" not in image_text and "Brief over de aanvraag" in all_page_text(tmp_path / "b" / "embedded.pdf")


def all_page_text(path) -> str:
    with pymupdf.open(path) as doc:
        return "".join(page.get_text() for page in doc)


def test_scan_without_tesseract_is_refused(tmp_path):
    """No Tesseract on PATH: an image-only page is never reported as redacted (exit 9)."""
    import subprocess
    import sys

    src = tmp_path / "scan.pdf"
    scanned_pdf(src, BODY.format(name="Brouwer", bsn="111222333", iban="NL91ABNA0417164300",
                                 phone="06-12345678"), 150, 0, 1.0)
    proc = subprocess.run([sys.executable, "-m", "woo_anon", "redact", str(src), "-o",
                           str(tmp_path / "o"), "--model", "blank", "-j", "1"],
                          capture_output=True, text=True, env={"PATH": "/nonexistent"})
    assert proc.returncode == 9, proc.stderr
    assert "Tesseract is not installed" in proc.stderr and not (tmp_path / "o" / "scan.pdf").exists()
