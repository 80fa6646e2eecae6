"""One verdict per person string in a document (consistency.py): a plan never redacts a string
at one place and leaves it readable at another, which would hide nothing and make the verifier
refuse the output."""

from __future__ import annotations

import pymupdf
import pytest

from woo_anon.consistency import consistent_persons, occurrences
from woo_anon.model import Entity, Span
from woo_anon.verify import leaked


def _span(text: str, page_text: str, recognizer: str, nth: int = 0, entity: str = Entity.PERSON,
          page: int = 1) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = page_text.index(text, start + 1)
    return Span(page, start, start + len(text), text, entity, 0.85, recognizer)


TEXT = ("1. Decides that Iraq shall comply.\n2. Decides, while acknowledging this, to act.\n"
        "During our meeting in Vienna we agreed.\nGesprek met Pietersen over de zaak; "
        "Pietersen belt terug.\nVerslag van Jansen.\nJansen stuurt de stukken.")


def test_a_lone_model_guess_the_document_contradicts_is_dropped():
    guess = _span("Decides", TEXT, "ner-model", nth=1)
    out = consistent_persons({1: TEXT}, [guess])
    assert out == []


def test_a_rule_detection_is_extended_to_every_readable_place():
    found = _span("Jansen", TEXT, "NameRules")
    out = consistent_persons({1: TEXT}, [found])
    starts = sorted(s.start for s in out if s.text == "Jansen")
    assert starts == [m.start() for m in __import__("re").finditer("Jansen", TEXT)]
    assert {s.recognizer for s in out} == {"NameRules", "consistency"}


def test_a_model_guess_made_at_most_places_is_extended():
    text = TEXT + "\nPietersen komt morgen."
    first, second = _span("Pietersen", text, "ner-model"), _span("Pietersen", text, "ner-model", 2)
    out = consistent_persons({1: text}, [first, second])
    assert len([s for s in out if s.text == "Pietersen"]) == 3


def test_a_model_guess_backed_by_a_rule_is_kept_and_extended():
    guess = _span("Pietersen", TEXT, "ner-model")
    rule = _span("Pietersen", TEXT, "NameRules")
    out = consistent_persons({1: TEXT}, [guess, rule])
    assert guess in out and len([s for s in out if s.recognizer == "consistency"]) == 1


def test_an_official_mention_is_not_redacted_and_a_covered_mention_not_added():
    text = "wethouder Jansen opende.\nBrief van Jan Jansen.\nJansen tekende."
    official = _span("Jansen", text, "NameRules", entity=Entity.PERSON_OFFICIAL)
    full = _span("Jan Jansen", text, "NameRules")
    part = _span("Jansen", text, "propagation", nth=1)
    out = consistent_persons({1: text}, [official, full, part])
    added = [s for s in out if s.recognizer == "consistency"]
    assert [text[s.start:s.end] for s in added] == ["Jansen"] and added[0].start == text.rindex("Jansen")


def test_other_pages_count_too():
    pages = {1: "Gesprek met Vermeulen.", 2: "Vermeulen belde."}
    out = consistent_persons(pages, [_span("Vermeulen", pages[1], "NameRules")])
    assert [(s.page, s.text) for s in out if s.recognizer == "consistency"] == [(2, "Vermeulen")]


@pytest.mark.parametrize("value, text", [
    ("2:21:36 PM", "Sent: Tue 9/29/2020 2:21:36 PM"),
    ("MiFID II", "de herziene MiFID II en MiFIR"),
    ("Vienna", "meeting in\nVienna we agreed"),
])
def test_occurrences_find_what_the_verifier_finds(value, text):
    assert leaked(value, text) and occurrences(text, value)


def test_occurrences_respect_word_boundaries_like_the_verifier():
    assert not occurrences("Jansenius schreef", "Jansen") and not leaked("Jansen", "Jansenius schreef")


def test_a_redacted_pdf_with_a_repeated_model_guess_verifies(tmp_path):
    """End to end on a generated PDF: the same ordinary capitalised word at several places of a
    page must not be redacted at one of them only (the output would be refused)."""
    from woo_anon.api import Engine, Settings, redact_file
    from woo_anon.audit import AuditLog

    src = tmp_path / "in.pdf"
    doc = pymupdf.open()
    page = doc.new_page()
    lines = ["Security Council resolution", "1. Decides that the parties comply.",
             "2. Decides, while acknowledging paragraph 1, to act.", "3. Decides further to meet.",
             "Geachte heer Pietersen,", "Met vriendelijke groet, Pietersen"]
    for i, line in enumerate(lines):
        page.insert_text((72, 80 + 20 * i), line, fontsize=11)
    doc.save(src)
    (tmp_path / "audit").mkdir()
    result = redact_file(Engine(Settings()), src, "out.pdf", tmp_path / "out",
                         AuditLog(tmp_path / "audit"), force=True)
    assert result.status == "verified", result.error
    text = pymupdf.open(result.output)[0].get_text()
    assert "Pietersen" not in text
    assert text.count("Decides") in (0, 3)  # one verdict for the word, whatever it is


def test_an_ocr_glyph_whose_full_box_is_under_a_box_is_removed(tmp_path):
    """An OCR layer may squeeze a 20-pt glyph into a 3-pt line: its text-extraction box lies
    below a redaction box, its font-size box (what the verifier's painted-over check measures)
    under it. Redaction removes it, so the output is not refused as text painted over."""
    from woo_anon.model import Redaction, RedactionPlan
    from woo_anon.redact import redact_document
    from woo_anon.verify import verify_output

    doc = pymupdf.open()
    page = doc.new_page()
    scan = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 200, 280), False)
    scan.clear_with(235)
    page.insert_image(page.rect, pixmap=scan)
    origin = pymupdf.Point(100, 340)
    page.insert_text(origin, "EN", fontsize=20, render_mode=3,
                     morph=(origin, pymupdf.Matrix(1, 0, 0, 0.17, 0, 0)))
    page.insert_text((100, 334), "Jansen", fontsize=4, render_mode=3)
    page.insert_text((72, 500), "Een gewone regel tekst die openbaar blijft.", fontsize=4,
                     render_mode=3)
    box = (99.5, 330.9, 113.5, 335.5)
    plan = RedactionPlan("in.pdf", "", "test", (Redaction(
        "a1", 1, (box,), Entity.PERSON, "5.1.2e", 0.9, "test", "redact", "test", "Jansen"),))
    redact_document(doc, plan, scans=frozenset({1}))
    out = tmp_path / "out.pdf"
    doc.save(out, garbage=4, deflate=True)
    problems = verify_output(out, plan)
    assert not [p for p in problems if "painted over" in p], problems
    text = pymupdf.open(out)[0].get_text()
    assert "Jansen" not in text and "openbaar" in text


@pytest.mark.skipif(not __import__("woo_anon.ocr", fromlist=["available"]).available(),
                    reason="tesseract not installed")
def test_a_planned_value_the_scan_shows_where_its_text_layer_reads_otherwise_is_removed(tmp_path):
    """A scan's OCR layer misread a name at one place ("Jamsen"): the plan redacts it where the
    layer reads it, but the pixels still show it at the other. Redaction boxes what OCR of the
    published page reads, so the output verifies and OCR finds the name nowhere."""
    from woo_anon import ocr
    from woo_anon.model import Redaction, RedactionPlan
    from woo_anon.redact import redact_document
    from woo_anon.verify import verify_output

    source = pymupdf.open()
    drawn = source.new_page()
    drawn.insert_text((72, 120), "Gesprek met Jansen op dinsdag.", fontsize=20)
    drawn.insert_text((72, 220), "Daarna belde Jansen terug.", fontsize=20)
    pixels = drawn.get_pixmap(dpi=200)
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_image(page.rect, pixmap=pixels)
    page.insert_text((72, 120), "Gesprek met Jansen op dinsdag.", fontsize=20, render_mode=3)
    page.insert_text((72, 220), "Daarna belde Jamsen terug.", fontsize=20, render_mode=3)
    box = tuple(page.search_for("Jansen")[0])
    plan = RedactionPlan("in.pdf", "", "test", (Redaction(
        "a1", 1, (box,), Entity.PERSON, "5.1.2e", 0.9, "test", "redact", "test", "Jansen"),))
    redact_document(doc, plan, scans=frozenset({1}))
    out = tmp_path / "out.pdf"
    doc.save(out, garbage=4, deflate=True)
    assert verify_output(out, plan) == []
    with pymupdf.open(out) as published:
        read = " ".join(w.text for w in ocr.ocr_region(published[0], dpi=200))
    assert "Jansen" not in read and "terug" in read and "dinsdag" in read
