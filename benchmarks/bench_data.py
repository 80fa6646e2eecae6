"""A labelled Dutch Woo benchmark: municipal document types with personal data in its real forms
and plenty of non-personal look-alikes, rendered to PDF in several layouts.

Markup in the templates: [[ENTITY|value]] is personal data that must disappear; {{value}} is
public text that must stay readable.

This is the DEVELOPMENT set: the rules were tuned on these templates, and most of its names are in
deduce's lists, from which the model's training sentences were also filled. Its scores therefore
do not measure generalisation; the held-out TEST set is woo_testset.py.
"""

from __future__ import annotations

import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pymupdf

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
import synth  # noqa: E402  (the test-data generator, tests/synth.py)

# Development names: 27 of 29 first names and 19 of 25 surnames are in deduce's lists, which the
# rules look up and from which the model's training sentences were filled.
FIRST = ["Maarten", "Ilse", "Ruben", "Yvonne", "Dirk", "Esra", "Hamza", "Shanti", "Marek", "Ioana",
         "Tess", "Gijs", "Lieke", "Rutger", "Nadia", "Orhan", "Lindsey", "Stijn", "Aukje", "Chidi",
         "Femi", "Xander", "Wendelien", "Joris", "Ilona", "Rashid", "Meryem", "Boudewijn", "Quinty"]
LAST = [("", "Brouwer"), ("van", "Rossum"), ("", "Zwart"), ("de", "Wit"), ("", "Kuijpers"),
        ("", "Aksoy"), ("", "Ouahabi"), ("", "Baldewsingh"), ("", "Wiśniewska"), ("", "Popescu"),
        ("van", "Oosterhout"), ("", "Tjoe-Awie"), ("", "Veenstra"), ("", "Haverkamp"), ("ten", "Cate"),
        ("", "Schuurmans"), ("", "Okonkwo"), ("", "Elzinga"), ("van 't", "Hek"), ("", "Lubbers"),
        ("", "Gülsoy"), ("", "Rijnders"), ("de", "Jong-Halsema"), ("", "Kraaijeveld"), ("", "Zeeman")]
OFFICIALS = ["Bakhuizen", "Dorrestein", "Van Lingen"]


@dataclass
class Doc:
    name: str
    kind: str
    layout: str
    text: str
    secrets: list[tuple[str, str]] = field(default_factory=list)  # (entity, value)
    keeps: list[str] = field(default_factory=list)


class Filler:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def person(self) -> tuple[str, str, str]:
        ix, last = self.rng.choice(LAST)
        return self.rng.choice(FIRST), ix, last

    def name(self, form: str = "") -> str:
        first, ix, last = self.person()
        sur = f"{ix} {last}".strip()
        form = form or self.rng.choice(["full", "init", "init2", "sur"])
        return {"full": f"{first} {sur}", "init": f"{first[0]}. {sur}",
                "init2": f"{first[0]}.{self.rng.choice('ABHJMPW')}. {sur}",
                "sur": sur[0].upper() + sur[1:], "rev": f"{sur[0].upper() + sur[1:]}, {first}"}[form]


def _render(template: str, rng: random.Random) -> tuple[str, list, list]:
    f = Filler(rng)
    values = {
        "NAME": lambda: f.name(), "FULL": lambda: f.name("full"), "SUR": lambda: f.name("sur"),
        "INIT": lambda: f.name("init2"), "REV": lambda: f.name("rev"),
        "BSN": lambda: rng.choice([lambda b: b, lambda b: f"{b[:3]}.{b[3:6]}.{b[6:]}",
                                   lambda b: f"{b[:4]}.{b[4:6]}.{b[6:]}"])(synth.bsn(rng)),
        "IBAN": lambda: rng.choice([synth.iban(rng), synth.iban_spaced(synth.iban(rng))]),
        "PHONE": lambda: rng.choice([synth.mobile(rng), synth.landline(rng),
                                     f"+31 6 {rng.randint(10000000, 49999999)}",
                                     f"06 {rng.randint(10, 49)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}"]),
        "EMAIL": lambda: f"{f.name('full').split()[0].lower()}.{rng.choice(['brouwer', 'zwart', 'aksoy', 'veenstra'])}@{rng.choice(['gmail.com', 'ziggo.nl', 'hotmail.com', 'kpnmail.nl'])}",
        "STREET": lambda: synth.address(rng)[0], "POSTCODE": lambda: synth.address(rng)[1],
        "PLATE": lambda: synth.plate(rng),
        "DOB": lambda: rng.choice([f"{rng.randint(1, 28):02d}-{rng.randint(1, 12):02d}-{rng.randint(1940, 2004)}",
                                   f"{rng.randint(1, 28)} {rng.choice(['maart', 'juni', 'oktober'])} {rng.randint(1940, 2004)}"]),
    }
    secrets, keeps = [], []

    def personal(m):
        entity, kind = m.group(1), m.group(2)
        value = values[kind]()
        secrets.append((entity, value))
        return value

    def public(m):
        value = m.group(1)
        value = value.replace("@ZAAK", f"Z/{rng.randint(20, 25)}/{rng.randint(100000, 999999)}")
        value = value.replace("@FACT", f"{synth.bsn(rng)}")  # an invoice number passing 11-proef
        value = value.replace("@AMOUNT", f"{rng.randint(1, 99)}.{rng.randint(100, 999)},{rng.randint(10, 99)}")
        value = value.replace("@OFF", rng.choice(OFFICIALS))
        keeps.append(value)
        return value

    text = re.sub(r"\[\[(\w+)\|(\w+)\]\]", personal, template)
    text = re.sub(r"\{\{(.+?)\}\}", public, text)
    return text, secrets, keeps


TEMPLATES = {
"letter": """{{Gemeente Zaanstad}}
{{Postbus 2000}}
{{1500 GA Zaandam}}

[[PERSON|INIT]]
[[NL_ADDRESS|STREET]]
[[NL_POSTCODE|POSTCODE]]

{{Zaandam}}, {{12 september 2024}}
Ons kenmerk: {{@ZAAK}}
Onderwerp: {{beschikking Wmo-maatwerkvoorziening}}

Geachte heer [[PERSON|SUR]],

Op {{3 juli 2024}} heeft u een aanvraag gedaan voor een scootmobiel. Uw burgerservicenummer is
[[NL_BSN|BSN]]. U bent geboren op [[DATE_OF_BIRTH|DOB]]. De eigen bijdrage van {{EUR @AMOUNT}}
wordt afgeschreven van rekening [[IBAN_CODE|IBAN]]. Factuurnummer {{@FACT}} is voldaan.

Heeft u vragen? Neem dan contact op met uw consulent [[PERSON|FULL]] via [[PHONE_NUMBER|PHONE]]
of [[EMAIL_ADDRESS|EMAIL]]. Voor algemene vragen belt u {{14 075}} of mailt u naar {{info@zaanstad.nl}}.

Met vriendelijke groet,
namens het college van burgemeester en wethouders,

[[PERSON|FULL]]
{{teamleider Wmo}}
""",
"email": """Van: [[PERSON|REV]] <[[EMAIL_ADDRESS|EMAIL]]>
Verzonden: {{woensdag 9 oktober 2024 16:02}}
Aan: {{Klantcontactcentrum}} <{{kcc@almere.nl}}>
CC: [[PERSON|FULL]]
Onderwerp: {{Melding overlast}} {{@ZAAK}}

Goedemiddag,

Mijn buurman [[PERSON|FULL]] zet al weken zijn bestelbus met kenteken [[NL_LICENCE_PLATE|PLATE]]
voor mijn uitrit aan de [[NL_ADDRESS|STREET]]. Ik heb wethouder {{@OFF}} al eerder gemaild.
U kunt mij bellen op [[PHONE_NUMBER|PHONE]].

Met vriendelijke groeten,
[[PERSON|FULL]]
""",
"minutes": """{{Verslag stuurgroep Energietransitie}}
Datum: {{21 november 2024}}, {{raadszaal}}

Aanwezig: [[PERSON|FULL]] ({{voorzitter}}), [[PERSON|INIT]], [[PERSON|FULL]] ({{Stedin}})
Afwezig: [[PERSON|FULL]]

1. {{Opening en mededelingen}}
De voorzitter heet iedereen welkom. Wethouder {{@OFF}} licht het raadsbesluit toe.

2. {{Warmtenet Noord}}
[[PERSON|SUR]] meldt dat de aanbesteding in {{december}} start; het budget is {{EUR @AMOUNT}}.
Bewoner [[PERSON|FULL]] ([[NL_ADDRESS|STREET]]) heeft bezwaar gemaakt. Actie: [[PERSON|SUR]].

3. {{Rondvraag}}
Geen. {{Versie 10.2.3.4}} van het uitvoeringsplan wordt vastgesteld.
""",
"phone": """{{Telefoonnotitie}}
Datum: {{4 maart 2025}}
Beller: [[PERSON|INIT]], tel. [[PHONE_NUMBER|PHONE]]
Onderwerp: {{bezwaar tegen parkeerboete}} {{@ZAAK}}

Mevrouw [[PERSON|SUR]] belt over de boete voor de auto met kenteken [[NL_LICENCE_PLATE|PLATE]].
Zij woont sinds {{januari}} op [[NL_ADDRESS|STREET]], [[NL_POSTCODE|POSTCODE]]. Haar BSN is
[[NL_BSN|BSN]]. Zij wil dat het bedrag van {{EUR @AMOUNT}} wordt teruggestort op [[IBAN_CODE|IBAN]].
Teruggebeld door [[PERSON|FULL]] ({{team Parkeren}}).
""",
"permit": """{{Aanvraag omgevingsvergunning}} {{@ZAAK}}

Gegevens aanvrager
Naam: [[PERSON|FULL]]
Geboortedatum: [[DATE_OF_BIRTH|DOB]]
Adres: [[NL_ADDRESS|STREET]]
Postcode en plaats: [[NL_POSTCODE|POSTCODE]]
Telefoon: [[PHONE_NUMBER|PHONE]]
E-mail: [[EMAIL_ADDRESS|EMAIL]]

Omschrijving: {{plaatsen van een dakkapel aan de achterzijde}}. Leges: {{EUR @AMOUNT}}.
Gemachtigde: [[PERSON|INIT]] van {{Bouwadvies Noord B.V.}}
""",
}


def make_docs(seed: int = 1, per_kind: int = 8) -> list[Doc]:
    rng = random.Random(seed)
    layouts = ["plain", "plain", "two-column", "rotated", "table"]
    docs = []
    for kind, template in TEMPLATES.items():
        for i in range(per_kind):
            text, secrets, keeps = _render(template, rng)
            docs.append(Doc(f"{kind}_{i:02d}.pdf", kind, layouts[i % len(layouts)], text, secrets, keeps))
    return docs


def write_pdf(doc: Doc, path: Path) -> Path:
    pdf = pymupdf.open()
    page = pdf.new_page(width=595, height=842)
    if doc.layout == "two-column":
        lines = doc.text.split("\n")
        half = len(lines) // 2
        page.insert_textbox(pymupdf.Rect(40, 50, 290, 800), "\n".join(lines[:half]), fontsize=8.5)
        page.insert_textbox(pymupdf.Rect(305, 50, 560, 800), "\n".join(lines[half:]), fontsize=8.5)
    elif doc.layout == "table":
        y = 50
        for line in doc.text.split("\n"):
            label, _, value = line.partition(": ") if ": " in line else ("", "", line)
            page.draw_rect(pymupdf.Rect(40, y, 555, y + 16), color=(0.6, 0.6, 0.6), width=0.4)
            page.insert_text((44, y + 11.5), label, fontsize=8.5)
            page.insert_text((170 if label else 44, y + 11.5), value, fontsize=8.5)
            y += 16
    else:
        page.insert_textbox(pymupdf.Rect(60, 60, 535, 800), doc.text, fontsize=10)
        if doc.layout == "rotated":
            page.set_rotation(90)
    pdf.save(path)
    pdf.close()
    return path


def write_scanned(doc: Doc, path: Path, dpi: int = 200) -> Path:
    """Render the plain layout to a grey-background image and wrap it as an image-only PDF."""
    tmp = pymupdf.open()
    page = tmp.new_page(width=595, height=842)
    page.draw_rect(page.rect, color=None, fill=(0.93, 0.93, 0.93))
    page.insert_textbox(pymupdf.Rect(60, 60, 535, 800), doc.text, fontsize=10.5)
    pix = page.get_pixmap(dpi=dpi)
    out = pymupdf.open()
    scan = out.new_page(width=595, height=842)
    scan.insert_image(scan.rect, pixmap=pix)
    out.save(path)
    return path
