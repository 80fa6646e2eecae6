"""Make the intake samples: an e-mail with attachments and a Word file, all with FAKE personal
data in every place a rendition could hide it (headers, body, attachment, tracked changes,
comment, hidden sheet, speaker notes).

    .venv/bin/python scripts/make_intake_samples.py samples/

The builders are also used by tests/test_intake.py, so tests and samples share one recipe.
"""

from __future__ import annotations

import sys
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from datetime import datetime, timezone
from pathlib import Path

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def make_docx(path: Path, paragraphs: list[str], deleted: str = "", inserted: str = "",
              comment: tuple[str, str] | None = None, hidden: str = "") -> Path:
    """A .docx with body text, a tracked deletion and insertion, a comment and hidden text.

    Args:
        comment: (author, text) of a comment anchored to the first paragraph.
    """
    from docx import Document
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    doc = Document()
    doc.core_properties.author = "Auteur Metadata"
    first = doc.add_paragraph(paragraphs[0])
    for text in paragraphs[1:]:
        doc.add_paragraph(text)
    if comment:
        doc.add_comment(first.runs, text=comment[1], author=comment[0], initials="X")
    para = doc.add_paragraph("Wijziging: ")
    for tag, text in (("w:del", deleted), ("w:ins", inserted)):
        if not text:
            continue
        change = OxmlElement(tag)
        change.set(qn("w:id"), str(len(para._p)))
        change.set(qn("w:author"), "Redacteur")
        change.set(qn("w:date"), "2024-03-01T10:00:00Z")
        run = OxmlElement("w:r")
        t = OxmlElement("w:delText" if tag == "w:del" else "w:t")
        t.text = text + " "
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        run.append(t)
        change.append(run)
        para._p.append(change)
    if hidden:
        run = doc.add_paragraph().add_run(hidden)
        run.font.hidden = True
    doc.save(path)
    return path


def make_xlsx(path: Path, rows: list[list[str]], hidden_rows: list[list[str]]) -> Path:
    """A workbook with a visible sheet and a hidden sheet ('Verborgen')."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Overzicht"
    for row in rows:
        sheet.append(row)
    secret = book.create_sheet("Verborgen")
    for row in hidden_rows:
        secret.append(row)
    secret.sheet_state = "hidden"
    book.save(path)
    return path


def make_pptx(path: Path, title: str, body: str, notes: str) -> Path:
    """A one-slide presentation with speaker notes."""
    from pptx import Presentation

    deck = Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[1])
    slide.shapes.title.text = title
    slide.placeholders[1].text = body
    slide.notes_slide.notes_text_frame.text = notes
    deck.save(path)
    return path


def make_eml(path: Path, sender: str, to: str, cc: str, subject: str, body: str,
             attachments: list[tuple[str, bytes, str]], html: str = "") -> Path:
    """An RFC 822 message with a plain (and optional HTML) body and attachments."""
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Cc"], msg["Subject"] = sender, to, cc, subject
    msg["Date"] = format_datetime(datetime(2024, 3, 4, 9, 30, tzinfo=timezone.utc))
    msg["Message-ID"] = make_msgid(domain="gemeente.example")
    msg["In-Reply-To"] = "<verzoek-1@gemeente.example>"
    msg["References"] = "<verzoek-1@gemeente.example>"
    msg.set_content(body)
    if html:
        msg.add_alternative(html, subtype="html")
    for name, data, mime in attachments:
        maintype, subtype = mime.split("/", 1)
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    path.write_bytes(bytes(msg))
    return path


def make_pdf(path: Path, lines: list[str]) -> Path:
    """A one-page text PDF."""
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 90), "\n".join(lines), fontsize=11)
    doc.save(path)
    doc.close()
    return path


def make_tagged_pdf(path: Path, lines: list[str], title: str) -> Path:
    """A one-page tagged PDF (structure tree, /Lang nl-NL, title), printed by Chromium through
    the intake's own HTML layout: what a municipality's own letter should look like."""
    import html

    from woo_anon.intake.layout import finalise, html_to_pdf

    html_to_pdf("".join(f"<p>{html.escape(line)}</p>" for line in lines), path, title=title)
    return finalise(path, title)


def make_samples(folder: Path) -> list[Path]:
    """The README samples: a Woo-request e-mail with a Word and a PDF attachment, and a memo."""
    folder.mkdir(parents=True, exist_ok=True)
    work = folder / ".intake-build"
    work.mkdir(exist_ok=True)
    notulen = make_docx(work / "notulen.docx", [
        "Notulen overleg bouwvergunning Lindelaan 12",
        "Aanwezig: mevrouw Sanne Verbeek (aanvrager), de heer Ruud Mulder (omwonende).",
        "De heer Mulder is bereikbaar op 06-18273645 of r.mulder@voorbeeldmail.nl."],
        deleted="Burgerservicenummer aanvrager 111222333", inserted="Besluit volgt in april.",
        comment=("Karin de Groot", "Bel mevrouw Verbeek terug op 06-23456789."))
    bijlage = make_tagged_pdf(work / "bezwaar.pdf", [
        "Bezwaarschrift van Thomas Jansen, Dorpsstraat 5, 1234 AB Voorbeeld.",
        "IBAN NL91ABNA0417164300, telefoon 06-34567812."], "Bezwaarschrift")
    eml = make_eml(folder / "mail_woo_verzoek.eml",
                   "Sanne Verbeek <s.verbeek@voorbeeldmail.nl>",
                   "Afdeling Vergunningen <vergunningen@gemeente.example>",
                   "Ruud Mulder <ruud.mulder@voorbeeldmail.nl>",
                   "Vraag over bouwvergunning Lindelaan 12",
                   "Geachte heer, mevrouw,\n\nIn de bijlage de notulen en het bezwaar van de heer "
                   "Thomas Jansen. U kunt mij bellen op 06-45678123.\n\nMet vriendelijke groet,\n"
                   "Sanne Verbeek",
                   [("notulen.docx", notulen.read_bytes(),
                     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
                    ("bezwaar.pdf", bijlage.read_bytes(), "application/pdf")])
    memo = make_docx(folder / "memo_vergunning.docx", [
        "Memo aan het college over de vergunning Lindelaan 12.",
        "Contactpersoon aanvrager: Sanne Verbeek, telefoon 06-23456789, BSN 123456782."],
        deleted="Eerdere behandelaar: Peter van Dam",
        comment=("Karin de Groot", "Graag nog afstemmen met Peter van Dam."))
    for leftover in work.iterdir():
        leftover.unlink()
    work.rmdir()
    return [eml, memo]


if __name__ == "__main__":
    for made in make_samples(Path(sys.argv[1] if len(sys.argv) > 1 else "samples")):
        print(made)
