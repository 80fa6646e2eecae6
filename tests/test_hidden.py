"""Hidden content carrying a fake name never survives: checked with PyMuPDF, pdfminer.six,
poppler's pdftotext where installed, and a raw scan of the qpdf-decompressed file."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pymupdf
import pytest

from woo_anon.api import Engine, Settings, redact_file
from woo_anon.audit import AuditLog

NAME = "Zwartjes"
FULL = f"Pieter {NAME}"


def _base(doc: pymupdf.Document) -> pymupdf.Page:
    page = doc.new_page()
    page.insert_text((72, 80), "Notitie over de herinrichting van het plein.", fontsize=11)
    return page


def make_metadata(path: Path) -> None:
    doc = pymupdf.open(); _base(doc)
    doc.set_metadata({"author": FULL, "title": f"Notitie {FULL}", "subject": NAME, "keywords": NAME})
    doc.set_xml_metadata(f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>{FULL}</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>')
    doc.save(path)


def make_annotation(path: Path) -> None:
    doc = pymupdf.open(); page = _base(doc)
    annot = page.add_text_annot((300, 300), f"Bellen met {FULL}")
    annot.set_info(title=FULL)
    page.add_freetext_annot(pymupdf.Rect(72, 400, 300, 430), f"Opmerking {FULL}")
    doc.save(path)


def make_attachment(path: Path) -> None:
    doc = pymupdf.open(); _base(doc)
    doc.embfile_add("origineel.txt", f"Origineel van {FULL}".encode(), filename="origineel.txt")
    doc.save(path)


def make_javascript(path: Path) -> None:
    doc = pymupdf.open(); _base(doc)
    xref = doc.get_new_xref()
    doc.update_object(xref, f"<< /S /JavaScript /JS (app.alert('{FULL}');) >>")
    doc.xref_set_key(doc.pdf_catalog(), "OpenAction", f"{xref} 0 R")
    doc.save(path)


def make_form(path: Path) -> None:
    doc = pymupdf.open(); page = _base(doc)
    widget = pymupdf.Widget()
    widget.field_name = "aanvrager"
    widget.field_type = pymupdf.PDF_WIDGET_TYPE_TEXT
    widget.rect = pymupdf.Rect(72, 120, 400, 140)
    widget.field_value = f"de heer {FULL}"
    page.add_widget(widget)
    doc.save(path)


def make_invisible(path: Path) -> None:
    doc = pymupdf.open(); page = _base(doc)
    page.insert_text((72, 200), f"verborgen {FULL}", fontsize=11, render_mode=3)
    doc.save(path)


def make_under_image(path: Path) -> None:
    doc = pymupdf.open(); page = _base(doc)
    page.insert_text((72, 200), f"Aanvrager: de heer {FULL}", fontsize=11)
    pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 50, 50), False)
    pix.set_rect(pix.irect, (40, 90, 200))
    page.insert_image(pymupdf.Rect(60, 180, 400, 220), pixmap=pix, keep_proportion=False)
    doc.save(path)


def make_incremental(path: Path) -> None:
    doc = pymupdf.open(); page = _base(doc)
    page.insert_text((72, 200), f"Concept: {FULL}", fontsize=11)
    doc.save(path)
    doc.close()
    doc = pymupdf.open(path)
    page = doc[0]
    page.add_redact_annot(page.search_for("Concept")[0].include_rect(page.search_for(NAME)[0]))
    page.apply_redactions()
    doc.saveIncr()  # the old revision with the name is still in the file


def make_off_page(path: Path) -> None:
    doc = pymupdf.open(); page = _base(doc)
    page.insert_text((650, 100), f"buiten de pagina {FULL}", fontsize=11)
    page.insert_text((72, 900), f"onder de pagina {FULL}", fontsize=11)
    doc.save(path)


def make_white_text(path: Path) -> None:
    doc = pymupdf.open(); page = _base(doc)
    page.insert_text((72, 300), f"Aanvrager: de heer {FULL}", fontsize=11, color=(1, 1, 1))
    doc.save(path)


def make_hidden_layer(path: Path) -> None:
    doc = pymupdf.open(); page = _base(doc)
    layer = doc.add_ocg("Verborgen", on=False)
    page.insert_text((72, 200), f"Aanvrager: de heer {FULL}", fontsize=11, oc=layer)
    doc.set_page_labels([{"startpage": 0, "prefix": f"{NAME}-", "style": "D", "firstpagenum": 1}])
    doc.save(path)


CASES = {"hidden_layer": make_hidden_layer, "off_page": make_off_page, "white_text": make_white_text, "metadata": make_metadata, "annotation": make_annotation, "attachment": make_attachment,
         "javascript": make_javascript, "form": make_form, "invisible": make_invisible,
         "under_image": make_under_image, "incremental": make_incremental}


def raw_scan(path: Path, tmp: Path) -> bytes:
    if shutil.which("qpdf"):
        qdf = tmp / "qdf.pdf"
        subprocess.run(["qpdf", "--qdf", "--object-streams=disable", str(path), str(qdf)], check=False)
        return qdf.read_bytes()
    with pymupdf.open(path) as doc:  # fallback: decompress every stream ourselves
        return b"".join((doc.xref_stream(x) or b"") + doc.xref_object(x).encode()
                        for x in range(1, doc.xref_length()))


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(Settings(model="blank"))


@pytest.mark.parametrize("case", sorted(CASES))
def test_hidden_content_removed(engine, tmp_path, case):
    src = tmp_path / f"{case}.pdf"
    CASES[case](src)
    if case == "incremental":  # the first revision of the input still shows the name
        data = src.read_bytes()
        with pymupdf.open(stream=data[: data.index(b"%%EOF") + 5], filetype="pdf") as first:
            assert NAME in first[0].get_text()
    out = tmp_path / "out"
    result = redact_file(engine, src, src.name, out, AuditLog(out))
    assert result.status == "verified", result.error
    target = out / src.name
    with pymupdf.open(target) as doc:
        text = "".join(page.get_text() for page in doc)
        assert NAME not in text
        assert NAME not in str(doc.metadata) and NAME not in (doc.get_xml_metadata() or "")
        assert doc.embfile_count() == 0
        assert not any(page.first_annot or page.first_widget for page in doc)
        assert "Notitie over de herinrichting" in text  # the visible content stays
    from pdfminer.high_level import extract_text

    assert NAME not in extract_text(str(target))
    if shutil.which("pdftotext"):
        assert NAME not in subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True).stdout
    raw = raw_scan(target, tmp_path)
    assert NAME.encode() not in raw and NAME.encode("utf-16-be") not in raw
    assert b"JavaScript" not in raw and b"/JS" not in raw
