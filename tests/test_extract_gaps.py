"""Word breaks from glyph gaps (extract.word_breaks): a word set apart by a kerning gap instead of
a space glyph, squeezed by horizontal scaling (Tz) or not, reads as a separate word; letter-spaced
(Tc) text, ordinary kerning and ordinary text read exactly as PyMuPDF gives them."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

from woo_anon.extract import build_page, extract_document, word_breaks


def _pdf(path: Path, operators: bytes) -> Path:
    """One page: an ordinary line written by PyMuPDF, then the given text operators."""
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 200), "Notitie over de aanvraag.", fontsize=11)
    stream = page.get_contents()[0]
    doc.update_stream(stream, doc.xref_stream(stream) + b"\n" + operators + b"\n")
    doc.save(path)
    return path


def _text(path: Path) -> str:
    page = extract_document(path, path.name, ocr="never").pages[0]
    assert len(page.text) == len(page.boxes) == len(page.lines)
    return page.text


SQUEEZED = (b"[(Gesprek)-120(met)-120(de)-120(heer)-120(Pieter)-120(Zwartjes)-120(BSN)-120"
            b"(111222333)] TJ")
WORDS = "Gesprek met de heer Pieter Zwartjes BSN 111222333"


@pytest.mark.parametrize("state", [b"30 Tz", b"100 Tz", b"55 Tz 0.3 Tc", b"30 Tz -0.2 Tc"])
def test_kerning_gap_becomes_a_word_break(tmp_path, state):
    """Tz narrows glyphs and gaps alike and Tc widens every gap alike: the break is found in
    each case, as a space without a box, so text, boxes and lines stay aligned."""
    src = _pdf(tmp_path / "squeezed.pdf", b"BT /helv 11 Tf " + state + b" 72 300 Td "
               + SQUEEZED + b" ET")
    doc = extract_document(src, src.name, ocr="never")
    page = doc.pages[0]
    assert page.text.endswith(WORDS)
    start = page.text.index(WORDS)
    inserted = [i for i in range(start, len(page.text)) if page.text[i] == " "]
    assert len(inserted) == WORDS.count(" ")
    assert all(page.boxes[i] is None for i in inserted)
    assert all(page.boxes[i] is not None for i in range(start, len(page.text))
               if i not in inserted)


def test_vertical_line_gets_its_breaks(tmp_path):
    """Text rotated a quarter turn: the gaps are measured along the line."""
    src = _pdf(tmp_path / "vertical.pdf", b"BT /helv 11 Tf 0 1 -1 0 300 300 Tm 30 Tz "
               + SQUEEZED + b" ET")
    assert _text(src).endswith(WORDS)


@pytest.mark.parametrize("operators, expected", [
    # letter-spaced: every gap is wide, none is a word gap of its own
    (b"BT /helv 11 Tf 40 Tz 2 Tc 72 300 Td (Gemeente Utrecht afdeling Burgerzaken) Tj ET",
     "Gemeente Utrecht afdeling Burgerzaken"),
    (b"BT /helv 11 Tf 30 Tz 2.5 Tc 72 300 Td (Zwartjesweg) Tj ET", "Zwartjesweg"),
    # ordinary pair kerning (tighter and looser) never splits a word
    (b"BT /helv 11 Tf 72 300 Td [(W)60(a)-20(gner)-10(s)-40(traat)] TJ ET", "Wagnerstraat"),
    (b"BT /helv 11 Tf 30 Tz 72 300 Td [(V)80(oorbeeld)-30(s)-50(tr)40(aat)] TJ ET",
     "Voorbeeldstraat"),
    # ordinary text with space glyphs, squeezed or not
    (b"BT /helv 11 Tf 30 Tz 72 300 Td (Gesprek met de heer Pieter Zwartjes) Tj ET",
     "Gesprek met de heer Pieter Zwartjes"),
])
def test_no_break_where_there_is_no_word_gap(tmp_path, operators, expected):
    src = _pdf(tmp_path / "plain.pdf", operators)
    assert _text(src) == "Notitie over de aanvraag.\n\n" + expected


def test_ordinary_text_is_unchanged(tmp_path):
    """Text written the ordinary way reads exactly as PyMuPDF's own words, no break added."""
    src = tmp_path / "ordinary.pdf"
    doc = pymupdf.open()
    page = doc.new_page()
    lines = ["Geachte heer Zwartjes,", "Op 3 januari 2024 ontvingen wij uw verzoek (kenmerk",
             "2024-0012) om informatie over de WAVO-regeling; wij beslissen binnen vier weken."]
    for n, line in enumerate(lines):
        page.insert_text((72, 100 + 14 * n), line, fontsize=10, fontname="tiro")
    doc.save(src)
    assert _text(src) == "\n".join(lines)


# --- the rule on PyMuPDF-shaped input ---------------------------------------------------------

def _span(pieces: list[tuple[str, float]], width: float, size: float = 10.0) -> dict:
    """A span of glyphs each `width` wide; each piece is followed by a gap of its given size."""
    chars, x = [], 10.0
    for word, gap in pieces:
        for c in word:
            chars.append({"c": c, "bbox": (x, 90, x + width, 102), "origin": (x, 100)})
            x += width
        x += gap
    return {"size": size, "chars": chars}


@pytest.mark.parametrize("scale", [1.0, 0.3, 2.5])
def test_rule_is_relative_to_the_glyphs(scale):
    """The same line at any horizontal scale: a gap of 0.25 glyph width beyond the typical
    one breaks, a gap of 0.1 does not."""
    w = 5.0 * scale
    span = _span([("abcd", 0.25 * w), ("efgh", 0.1 * w), ("ijkl", 0)], w)
    assert word_breaks(span) == {4}
    raw = {"blocks": [{"type": 0, "lines": [{"dir": (1, 0), "spans": [span]}]}]}
    page = build_page(1, raw)
    assert page.text == "abcd efghijkl"
    assert page.boxes[4] is None and page.lines[4] == -1
    assert len(page.boxes) == len(page.lines) == len(page.text)


def test_rule_leaves_even_spacing_and_ocr_words_alone():
    w = 5.0
    letter_spaced = _span([(c, 0.6 * w) for c in "Burgerzaken"], w)
    assert word_breaks(letter_spaced) == frozenset()
    ocr = dict(_span([("abcd", 2 * w), ("efgh", 0)], w), size=0)  # OCR words: size 0
    assert word_breaks(ocr) == frozenset()
    spaced = _span([("abcd", 0), (" ", 0), ("efgh", 0)], w)  # a real space glyph: nothing to add
    assert word_breaks(spaced) == frozenset()
