"""Generate the sample PDFs in this folder: realistic Dutch municipal documents with invented
personal data (every identifier has a valid checksum; every person is made up).

Run: python scripts/make_samples.py
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
import synth  # noqa: E402  (test-data generator, tests/synth.py)

HERE = Path(__file__).resolve().parents[1] / "samples"  # documents only: a folder to redact


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
    synth.write_pdf(HERE / "brief_besluit_bezwaar.pdf", [text])


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
    synth.write_pdf(HERE / "email_woo_verzoek.pdf", [text])


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
    synth.write_pdf(HERE / "notulen_wijkoverleg.pdf", [page1, page2], rotate={1: 90})


def table(rng: random.Random) -> None:
    header = ["Naam", "Geboortedatum", "Adres", "IBAN", "Bedrag", "Dossier"]
    rows = []
    for i in range(8):
        p = synth.person(rng)
        street, place = synth.address(rng)
        rows.append([p.initials, f"geb. {rng.randint(1, 28):02d}-{rng.randint(1, 12):02d}-{rng.randint(1940, 2005)}",
                     f"{street}, {place}", synth.iban(rng), f"EUR {rng.randint(100, 5000)},00",
                     f"Z/24/{rng.randint(100000, 999999)}"])
    synth.write_table_pdf(HERE / "tabel_subsidies.pdf", "Verleende subsidies 2024", header, rows,
                          [110, 100, 220, 150, 70, 90])


def main() -> None:
    rng = random.Random(2024)
    letter(rng)
    email(rng)
    minutes(rng)
    table(rng)


if __name__ == "__main__":
    main()
