"""Generate the sample PDFs in this folder: realistic Dutch municipal documents with invented
personal data (every identifier has a valid checksum; every person is made up).

The PDFs are tagged (PDF/UA-style: structure tree, /Lang nl-NL, title, /MarkInfo), as a
municipality's own documents should be: each is written as HTML and printed by headless Chromium
through the same function the intake uses for e-mail (woo_anon.intake.layout.html_to_pdf).
Each carries a creation date (the date a document of this kind would have).

Run: .venv/bin/python scripts/make_samples.py
"""

from __future__ import annotations

import html
import random
import sys
from pathlib import Path

import pymupdf

from woo_anon.intake.layout import finalise, html_to_pdf

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
import synth  # noqa: E402  (test-data generator, tests/synth.py)

HERE = Path(__file__).resolve().parents[1] / "samples"  # documents only: a folder to redact
PAGE_CSS = """<style>
body { font-family: sans-serif; font-size: 10.5pt; line-height: 1.25; }
p.text { white-space: pre-wrap; margin: 0 0 1.25em 0; }
section.page { break-after: page; }
section.page:last-child { break-after: auto; }
h1 { font-size: 13pt; }
table { border-collapse: collapse; }
th, td { border: 0.5pt solid #000; padding: 2pt 3pt; font-size: 8.5pt; text-align: left; }
</style>"""


def write_tagged_pdf(path: Path, pages: list[str], title: str, created: str,
                     rotate: dict[int, int] | None = None) -> Path:
    """Plain text pages as a tagged PDF: blank lines separate paragraphs, line breaks kept."""
    sections = []
    for text in pages:
        blocks = [b.strip("\n") for b in text.split("\n\n") if b.strip()]
        sections.append('<section class="page">' + "".join(
            f'<p class="text">{html.escape(b)}</p>' for b in blocks) + "</section>")
    return _publish(path, PAGE_CSS + "".join(sections), title, created, rotate=rotate)


def write_tagged_table(path: Path, title: str, header: list[str], rows: list[list[str]],
                       created: str) -> Path:
    """A table with header cells (TH, scope col) under a heading, landscape A4."""
    head = "".join(f'<th scope="col">{html.escape(c)}</th>' for c in header)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
                   for row in rows)
    markup = (f"{PAGE_CSS}<h1>{html.escape(title)}</h1><table><thead><tr>{head}</tr></thead>"
              f"<tbody>{body}</tbody></table>")
    return _publish(path, markup, title, created, landscape=True)


def _publish(path: Path, markup: str, title: str, created: str, landscape: bool = False,
             rotate: dict[int, int] | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    html_to_pdf(markup, path, landscape=landscape, title=title)
    finalise(path, title)
    with pymupdf.open(path) as doc:
        for index, degrees in (rotate or {}).items():
            doc[index].set_rotation(degrees)
        doc.set_metadata({"title": title, "creationDate": f"D:{created}000000+01'00'"})
        doc.save(path, incremental=True, encryption=pymupdf.PDF_ENCRYPT_KEEP)
    return path


def letter(rng: random.Random) -> None:
    citizen, officer = synth.person(rng), synth.person(rng)
    street, place = synth.address(rng)
    text = f"""Gemeente Diemen
Postbus 191
1110 AD Diemen

De heer {citizen.initials}
{street}
{place}

Datum: 14 maart 2024
Kenmerk: Z/24/183744
Onderwerp: besluit op uw bezwaar

Geachte heer {citizen.surname},

Op 2 februari 2024 ontvingen wij uw bezwaarschrift tegen de beschikking van 12 december 2023.
Uw burgerservicenummer is {synth.bsn(rng)}. U bent geboren op 17-06-1978.
Het bedrag van EUR 1.250,00 wordt overgemaakt op rekening {synth.iban_spaced(synth.iban(rng))} ten
name van {citizen.initials}. Factuurnummer 2024-0113 en zaaknummer Z/24/183744 blijven staan.

Voor vragen kunt u contact opnemen met {officer.full}, bereikbaar op {synth.landline(rng)} of
{officer.email('diemen.nl')}. Algemene vragen: 14 020 of info@diemen.nl.

Met vriendelijke groet,

{officer.full}
Team Vergunningen, gemeente Diemen
"""
    write_tagged_pdf(HERE / "brief_besluit_bezwaar.pdf", [text], "Besluit op uw bezwaar",
                     "20240314")


def email(rng: random.Random) -> None:
    sender, receiver, cc = synth.person(rng), synth.person(rng), synth.person(rng)
    text = f"""Van: {sender.last}, {sender.first} <{sender.email('gmail.com')}>
Verzonden: dinsdag 5 maart 2024 10:14
Aan: Woo-loket Gemeente Diemen <woo@diemen.nl>
CC: {cc.full} <{cc.email('diemen.nl')}>
Onderwerp: RE: Woo-verzoek parkeervergunningen

Beste {receiver.first},

Dank voor je snelle reactie. Zoals besproken stuur ik de gegevens van mijn buurvrouw
mevrouw {receiver.surname} mee: zij is bereikbaar op {synth.mobile(rng)} en haar auto heeft
kenteken {synth.plate(rng)}. Haar IBAN is {synth.iban(rng)}.

Wethouder Van Dijk heeft toegezegd dat het verzoek in mei 2024 wordt behandeld.

Met vriendelijke groet,

{sender.full}
Tel: +31 6 {rng.randint(10000000, 49999999)}
"""
    write_tagged_pdf(HERE / "email_woo_verzoek.pdf", [text],
                     "RE: Woo-verzoek parkeervergunningen", "20240305")


def minutes(rng: random.Random) -> None:
    people = [synth.person(rng) for _ in range(4)]
    page1 = f"""Verslag overleg wijkaanpak Centrum
Datum: 11 april 2024, stadhuis Diemen

Aanwezig: {people[0].full} (voorzitter), {people[1].initials}, mevrouw {people[2].full}
Afwezig: {people[3].full}

1. Opening
De voorzitter opent de vergadering. Burgemeester Mijnans is later aanwezig.

2. Meldingen
{people[1].initials} meldt overlast bij de {synth.address(rng)[0]}. Bewoner {people[3].full}
heeft hierover gebeld vanaf {synth.mobile(rng)}. Actie: {people[2].surname} neemt contact op.
"""
    page2 = f"""3. Rondvraag
{people[0].surname} vraagt naar de planning. Versie 10.2.3.4 van het protocol wordt gebruikt.
Het RSIN van de stichting is 002445311. De stichting staat in het handelsregister.

Volgende vergadering: 16 mei 2024.
"""
    write_tagged_pdf(HERE / "notulen_wijkoverleg.pdf", [page1, page2],
                     "Verslag overleg wijkaanpak Centrum", "20240411", rotate={1: 90})


def table(rng: random.Random) -> None:
    header = ["Naam", "Geboortedatum", "Adres", "IBAN", "Bedrag", "Dossier"]
    rows = []
    for i in range(8):
        p = synth.person(rng)
        street, place = synth.address(rng)
        rows.append([p.initials, f"geb. {rng.randint(1, 28):02d}-{rng.randint(1, 12):02d}-{rng.randint(1940, 2005)}",
                     f"{street}, {place}", synth.iban(rng), f"EUR {rng.randint(100, 5000)},00",
                     f"Z/24/{rng.randint(100000, 999999)}"])
    write_tagged_table(HERE / "tabel_subsidies.pdf", "Verleende subsidies 2024", header, rows,
                       "20240620")


def main() -> None:
    rng = random.Random(2024)
    letter(rng)
    email(rng)
    minutes(rng)
    table(rng)


if __name__ == "__main__":
    main()
