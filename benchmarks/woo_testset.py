"""The held-out Woo TEST set: templates, layouts and name pools that development never saw.

The development set (bench_data.py) is what rules were tuned on. This test set was written
separately: other document kinds and sentence structures (decision on objection, e-mail reply
chain, action list, home-visit report, objection register, report form, council news item),
other layouts (letterhead with a sender column, serif text in a narrow column that wraps names,
real table cells, boxed form fields, monospaced print-out) and other value formats.

Two name variants, reported separately:
- `unlisted`: names in NO list the tool or its model could have seen (deduce's lists as deduce
  and woo-anon read them, the project's data/*.txt, the training pools, the words of every
  training text, the development pools). This measures the model and the context rules.
- `listed`: names that ARE in deduce's name lists (which the rules use and from which the model's
  generated training sentences were filled), but not in the development or sample pools.
`check_pools()` asserts this at build time; the quality benchmark calls it before scoring.

Markup as in bench_data: [[ENTITY|KIND]] is personal data, {{text}} is public text that must stay.
"""

from __future__ import annotations

import ast
import gzip
import json
import random
import re
from pathlib import Path

import pymupdf
from stdnum import iban as std_iban
from stdnum.nl import bsn as std_bsn

from bench_data import Doc

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
CACHE = ROOT / "build" / "bench-cache"

# Not in any list (checked by check_pools): Flemish (Statbel via Faker's nl_BE lists, which the
# project does not use), Eritrean, Syrian, Ukrainian, Nigerian, Ghanaian, Polish, Frisian.
UNLISTED_FIRST = ["Féline", "Cédric", "Renaat", "Thibo", "Warre", "Cécile", "Godelieva", "Josiane",
                  "Katleen", "Lutgart", "Tinne", "Véronique", "Yonas", "Semhar", "Tesfalem",
                  "Mehari", "Ghaith", "Raghad", "Bohdana", "Yaroslav", "Oleksandr", "Mykola",
                  "Sybrichje", "Tayeb", "Gaurav", "Adjoa", "Nnamdi", "Chiamaka", "Grzegorz",
                  "Radosław", "Dorota"]
UNLISTED_LAST = [("", "Tesfamariam"), ("", "Gebremedhin"), ("", "Haddouchi"), ("", "Boukhriss"),
                 ("", "Lamrabet"), ("", "Rahmouni"), ("", "Akyildiz"), ("", "Kılıçarslan"),
                 ("", "Yeşilyurt"), ("", "Ramsaroep"), ("", "Mangroelal"), ("", "Kishoendajal"),
                 ("", "Wojciechowska"), ("", "Szymańska"), ("", "Kaczmarek"), ("", "Oyelaran"),
                 ("", "Nwachukwu"), ("", "Wijnveldt"), ("", "Tammeling"), ("", "Sjollema"),
                 ("", "Wybenga"), ("van", "Butselaar"), ("", "Bierstraten"), ("", "Bolkesteijn"),
                 ("", "Boogaerts"), ("van", "Demmendaal"), ("", "Elsemulder"), ("", "Hanegraaff"),
                 ("", "Helmerhorst"), ("", "Kirpenstein"), ("", "Lelijveld"), ("van", "Lutterveld"),
                 ("", "Nedermeijer"), ("", "Roodesteijn"), ("", "Scharroo"), ("", "Uittenbosch"),
                 ("", "Vastenhouw"), ("", "Weeldenburg"), ("", "Wipstrik"), ("", "Passchiers")]
# In deduce's lists; not in the development, sample or model-specific (foreign) pools.
LISTED_FIRST = ["Henk", "Wilma", "Gerard", "Ria", "Kees", "Annemarie", "Wim", "Marloes",
                "Ton", "Corrie", "Bert", "Jolanda", "Arjen", "Miranda", "Frits", "Ineke",
                "Rob", "Tineke", "Johan", "Monique", "Erik", "Karin", "Ferdinand", "Gerda"]
LISTED_LAST = [("", "Verhoeven"), ("van", "Wijk"), ("", "Timmermans"), ("de", "Graaf"),
               ("", "Kramer"), ("van der", "Linden"), ("", "Schouten"), ("", "Bosman"),
               ("", "Peters"), ("van", "Beek"), ("", "Kok"), ("", "Sanders"), ("de", "Haan"),
               ("", "Jacobs"), ("van den", "Heuvel"), ("", "Willems"), ("", "Dekker"),
               ("", "Vos"), ("", "Hermans"), ("ter", "Beek")]
# Officials acting in office (public), disjoint from both person pools.
OFFICIALS = ["Kerstholt", "Van Rijswijck-Oomen", "Dalmolen"]
STREETS = ["Sluisweg", "Koningin Wilhelminalaan", "Pastoor van Arsstraat", "Dotterbloemstraat",
           "Hoofdkade", "Zuidwolderweg", "Ooievaarshof", "Nieuwe Boteringestraat", "Esdoornlaan",
           "Vaartweg"]
PLACES = ["Veendam", "Hoogeveen", "Meppel", "Winschoten", "Tiel", "Roosendaal", "Sittard",
          "Harderwijk", "Steenwijk", "Goes"]


def person_pools(variant: str) -> tuple[list[str], list[tuple[str, str]]]:
    return (UNLISTED_FIRST, UNLISTED_LAST) if variant == "unlisted" else (LISTED_FIRST, LISTED_LAST)


# ---------------------------------------------------------------- build-time checks of the pools

def _literals(path: Path, names: tuple[str, ...]) -> list:
    """List literals assigned to `names` in a Python file, read without importing it."""
    if not path.exists():
        return []
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") in names for t in node.targets):
            try:
                out += ast.literal_eval(node.value)
            except ValueError:
                pass
    return out


def _tokens(value) -> set[str]:
    text = " ".join(value) if isinstance(value, (tuple, list)) else str(value)
    return {t.lower() for t in re.findall(r"\w+", text)}


def training_vocabulary() -> set[str]:
    """Every word of every text the model was trained on (TK Handelingen, UD Dutch, all BWB
    text, every training/*.txt: templates and generated name pools), lower case; cached by the source files' sizes."""
    sources = [SHARED / "tk-handelingen-2018-nl" / "handelingen-tk-20172018.jsonl",
               *sorted((SHARED / "ud-dutch-lassysmall-alpino").glob("*.conllu")),
               SHARED / "bwb-circulaires-beleidsregels-nl" / "bwb_circulaires_beleidsregels_kb.jsonl.gz",
               *sorted((ROOT / "training").glob("*.txt"))]  # templates and any generated name pool
    key = "-".join(str(p.stat().st_size) for p in sources if p.exists())
    cache = CACHE / f"training-vocab-{key}.txt"
    if cache.exists():
        return set(cache.read_text(encoding="utf-8").split("\n"))
    vocab: set[str] = set()
    for path in sources:
        if not path.exists():
            continue
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                vocab |= _tokens(line)
    CACHE.mkdir(parents=True, exist_ok=True)
    cache.write_text("\n".join(sorted(vocab)), encoding="utf-8")
    return vocab


def list_vocabulary(deduce_lookup=None) -> set[str]:
    """Every name token in deduce's name lists (items and exceptions) and the project's own
    lists and data files, lower case; plus deduce's compiled lookup tries when given."""
    from woo_anon import lists

    vocab = {w.lower() for n in lists.first_names() | lists.surnames() for w in n.split()}
    names = lists._deduce_src() / "names"
    for path in names.rglob("*.txt"):
        vocab |= _tokens(path.read_text(encoding="utf-8"))
    for path in (ROOT / "src" / "woo_anon" / "data").glob("*.txt"):
        if path.name != "nl_lexicon.txt":  # ordinary words, checked against the training text
            vocab |= _tokens(path.read_text(encoding="utf-8"))
    return vocab


def _in_deduce(token: str, deduce_lookup) -> bool:
    if deduce_lookup is None:
        return False
    return any([form] in deduce_lookup[key] for key in ("first_name", "surname")
               for form in (token, token.capitalize(), token.lower()))


def other_pools() -> set[str]:
    """Names of the development set, the samples/test generator and the training script."""
    import bench_data

    synth = next((p for p in (ROOT / "tests" / "synth.py", ROOT / "src" / "woo_anon" / "synth.py")
                  if p.exists()), ROOT / "tests" / "synth.py")
    values = (bench_data.FIRST + bench_data.LAST + bench_data.OFFICIALS
              + _literals(synth, ("FIRST", "LAST"))
              + _literals(ROOT / "training" / "make_data.py", ("FOREIGN_FIRST", "FOREIGN_LAST")))
    particles = {"van", "de", "der", "den", "ten", "ter", "t", "in", "op", "el"}
    return {t for v in values for t in _tokens(v)} - particles


def check_pools(deduce_lookup=None) -> None:
    """Assert the test pools are what the module docstring says (raises AssertionError)."""
    listed = list_vocabulary()
    unseen = training_vocabulary() | listed | other_pools()
    for first in UNLISTED_FIRST:
        for t in _tokens(first):
            assert t not in unseen and not _in_deduce(t, deduce_lookup), f"unlisted first name seen: {first}"
    for ix, last in UNLISTED_LAST:
        for t in _tokens(last):
            assert t not in unseen and not _in_deduce(t, deduce_lookup), f"unlisted surname seen: {last}"
    dev = other_pools()
    for name in LISTED_FIRST + [last for _, last in LISTED_LAST]:
        assert not _tokens(name) & dev, f"listed test name is in a development pool: {name}"
        assert _tokens(name) <= listed, f"listed test name not in the lists: {name}"
    people = {t for n in UNLISTED_FIRST + LISTED_FIRST for t in _tokens(n)}
    people |= {t for _, n in UNLISTED_LAST + LISTED_LAST for t in _tokens(n)}
    assert not {t for o in OFFICIALS for t in _tokens(o)} & people, "an official is also a person"
    synth = next((p for p in (ROOT / "tests" / "synth.py", ROOT / "src" / "woo_anon" / "synth.py")
                  if p.exists()), ROOT / "tests" / "synth.py")
    assert not set(map(str.lower, STREETS)) & {s.lower() for s in _literals(synth, ("STREETS",))}, \
        "a test street is a development street"


# ---------------------------------------------------------------- values

class Values:
    """Personal values in the test set's own formats (all checksums valid, all persons invented)."""

    def __init__(self, rng: random.Random, variant: str) -> None:
        self.rng = rng
        self.first, self.last = person_pools(variant)

    def _person(self) -> tuple[str, str, str]:
        ix, last = self.rng.choice(self.last)
        return self.rng.choice(self.first), ix, last

    def name(self, form: str) -> str:
        first, ix, last = self._person()
        r = self.rng
        sur = f"{ix} {last}".strip()
        cap = sur[0].upper() + sur[1:]
        initials = first[0] + "." + "".join(f"{c}." for c in r.sample("ACDEHJKLMNPRSTW", r.randint(0, 2)))
        return {"full": f"{first} {sur}", "init": f"{initials} {sur}", "cap": cap, "first": first,
                "revinit": f"{last}, {initials}" + (f" {ix}" if ix else ""),
                "mr": f"mr. {initials} {sur}", "upper": f"{first} {sur}".upper()}[form]

    def bsn(self) -> str:
        while True:
            number = f"{self.rng.randint(100000000, 999999999)}"
            if std_bsn.is_valid(number):
                return self.rng.choice([number, f"{number[:4]} {number[4:6]} {number[6:]}"])

    def iban(self) -> str:
        bank = self.rng.choice(["BUNQ", "KNAB", "REVO", "FVLB", "RBRB", "INGB"])
        account = f"{self.rng.randint(0, 9999999999):010d}"
        value = f"NL{std_iban.calc_check_digits('NL00' + bank + account)}{bank}{account}"
        return self.rng.choice([value, " ".join(value[i:i + 4] for i in range(0, 18, 4))])

    def phone(self) -> str:
        r = self.rng
        return r.choice([f"06 - {r.randint(10000000, 69999999)}",
                         f"+31 (0)6 {r.randint(1000, 6999)} {r.randint(1000, 9999)}",
                         f"0{r.choice(['521', '598', '522', '344', '46'])}-{r.randint(100000, 999999)}",
                         f"(0{r.choice(['50', '70', '24'])}) {r.randint(100, 999)} {r.randint(10, 99)} {r.randint(10, 99)}",
                         f"0031{r.randint(600000000, 699999999)}"])

    def email(self) -> str:
        r = self.rng
        first, ix, last = self._person()
        ascii_ = lambda s: s.encode("ascii", "ignore").decode().lower()  # noqa: E731
        local = r.choice([f"{ascii_(first)}_{ascii_(last)}", f"{ascii_(first[0])}{ascii_(last)}{r.randint(1, 99)}",
                          f"{ascii_(last)}.{ascii_(first)}"])
        return f"{local}@{r.choice(['planet.nl', 'outlook.com', 'xs4all.nl', 'live.nl', 'icloud.com', 'telfort.nl'])}"

    def street(self) -> str:
        r = self.rng
        return f"{r.choice(STREETS)} {r.randint(2, 180)}{r.choice(['', '', 'b', '-1', ' A'])}"

    def postcode(self) -> str:
        r = self.rng
        return f"{r.randint(1011, 9999)}{r.choice(['', ' '])}{r.choice('BCDEGHKLNPRSTVXZ')}{r.choice('BCDEGHKLNPRSTVXZ')}"

    def plate(self) -> str:
        r = self.rng
        pick = lambda n: "".join(r.choice("BDFGHJKLNPRSTVXZ") for _ in range(n))  # noqa: E731
        return r.choice([f"{r.randint(1, 9)}-{pick(3)}-{r.randint(10, 99)}", f"{pick(3)}-{r.randint(10, 99)}-{pick(1)}",
                         f"{r.randint(10, 99)}-{pick(2)}-{pick(2)}"])

    def dob(self) -> str:
        r = self.rng
        d, m, y = r.randint(1, 28), r.randint(1, 12), r.randint(1938, 2006)
        months = ["januari", "februari", "april", "mei", "juli", "augustus", "november", "december"]
        return r.choice([f"{d:02d}/{m:02d}/{y}", f"{d:02d}.{m:02d}.{y}", f"{d} {r.choice(months)} {y}"])


# ---------------------------------------------------------------- templates (written for the test set)

TEMPLATES = {
"objection-decision": """{{Gemeente Veendam}} | {{Afdeling Juridische Zaken}}
{{Raadhuisplein 1, Veendam}} | {{T 14 0598}} | {{bezwaarschriften@veendam.nl}}

Aangetekend
[[PERSON|init]]
p/a [[NL_ADDRESS|STREET]]
[[NL_POSTCODE|POSTCODE]] {{Veendam}}

Datum {{17 februari 2025}}
Zaaknummer {{BZ-2025-00417}}
Betreft {{uw bezwaarschrift tegen de weigering van een parkeervergunning}}

Geachte heer of mevrouw [[PERSON|cap]],

Bij brief van {{6 januari 2025}}, ontvangen op {{8 januari 2025}}, maakt u bezwaar tegen ons besluit
van {{2 december 2024}}. U liet zich bijstaan door [[PERSON|mr]] van {{Noorderlicht Advocaten}}.
De hoorzitting vond plaats op {{29 januari 2025}}; namens het college was [[PERSON|full]] aanwezig.
Wij hebben het advies van de {{Commissie bezwaarschriften}} (voorzitter {{mr. Dalmolen}}) gevolgd.

Uw voertuig met het registratienummer [[NL_LICENCE_PLATE|PLATE]] staat niet op uw naam maar op
die van uw zoon [[PERSON|first]]. Artikel {{2.4.1}} van de {{Parkeerverordening 2024}} laat dat niet toe.
De leges van {{€ 48,50}} worden gestort op het door u opgegeven rekeningnummer [[IBAN_CODE|IBAN]].

Beslissing: wij verklaren het bezwaar {{ongegrond}} (artikel {{7:11}} {{Awb}}).

Het college van burgemeester en wethouders van {{Veendam}},
namens dezen,

[[PERSON|full]]
{{senior juridisch medewerker}}
""",
"mail-chain": """Op ma 3 feb. 2025 om 14:07 schreef [[PERSON|full]] <[[EMAIL_ADDRESS|EMAIL]]>:
> Dank voor uw snelle reactie. Mijn dochter [[PERSON|first]] kan de afspraak op
> donderdag niet bijwonen. Zij is bereikbaar op [[PHONE_NUMBER|PHONE]].

-----Oorspronkelijk bericht-----
From: [[PERSON|revinit]] <[[EMAIL_ADDRESS|EMAIL]]>
Sent: vrijdag 31 januari 2025 09:12
To: {{Leerplicht}} <{{leerplicht@hoogeveen.nl}}>
Subject: RE: {{verzuimmelding}} {{2025-LP-0093}}

Beste leerplichtambtenaar,
Ik schrijf u namens [[PERSON|full]], woonachtig aan de [[NL_ADDRESS|STREET]] te {{Hoogeveen}}.
{{Het Dalton College}} heeft ons doorverwezen naar {{Stichting Jeugdhulp Drenthe}}.
Wethouder {{Kerstholt}} is op de hoogte.

Met hartelijke groet,
[[PERSON|full]]
M: [[PHONE_NUMBER|PHONE]]
""",
"action-list": """{{Actielijst}} {{projectgroep Herinrichting Stationsgebied}} – {{12 maart 2025}}
Nr: Actie | Wie | Gereed
{{A-17}}: {{Planning aanbesteding bijwerken}} | [[PERSON|first]] | {{april 2025}}
{{A-18}}: {{Bewonersavond voorbereiden}} | [[PERSON|init]] | {{1 mei 2025}}
{{A-19}}: {{Contact met ProRail over perron 3}} | [[PERSON|cap]] | {{doorlopend}}
{{A-20}}: {{Reactie op zienswijze van}} [[PERSON|full]] | [[PERSON|first]] | {{15 april 2025}}
Opmerking: {{burgemeester Van Rijswijck-Oomen opent de bewonersavond}}
Volgend overleg: {{9 april 2025}}, {{kamer 2.14}}
""",
"visit-report": """{{Verslag huisbezoek}} – {{Team Schuldhulpverlening Meppel}}
Datum bezoek {{10-03-2025}} | dossier {{SHV/2025/0311}}

Op het adres [[NL_ADDRESS|STREET]], [[NL_POSTCODE|POSTCODE]] {{Meppel}} sprak ik met [[PERSON|full]] en
haar partner [[PERSON|full]]. Meneer werkt als chauffeur; zijn auto ([[NL_LICENCE_PLATE|PLATE]]) is
geleased. Mevrouw [[PERSON|cap]] heeft een achterstand bij {{Woonconcept}} van {{€ 2.310}}.
Haar BSN [[NL_BSN|BSN]] is geverifieerd bij de {{BRP}}. [[PERSON|first]] belt zelf met de
{{Kredietbank Nederland}}. Vervolgafspraak: bellen naar [[PHONE_NUMBER|PHONE]].

Opgesteld door [[PERSON|init]], {{schuldhulpverlener}}
""",
"objection-register": """{{Register bezwaarschriften}} {{eerste kwartaal 2025}}
Nr: Indiener | Adres | Postcode | Geboren | Telefoon
{{2025-001}}: [[PERSON|revinit]] | [[NL_ADDRESS|STREET]] | [[NL_POSTCODE|POSTCODE]] | [[DATE_OF_BIRTH|DOB]] | [[PHONE_NUMBER|PHONE]]
{{2025-002}}: [[PERSON|full]] | [[NL_ADDRESS|STREET]] | [[NL_POSTCODE|POSTCODE]] | [[DATE_OF_BIRTH|DOB]] | [[PHONE_NUMBER|PHONE]]
{{2025-003}}: {{Vereniging Dorpsbelang}} | {{Postbus 31}} | {{7940 AA}} | – | {{0522-240 500}}
{{2025-004}}: [[PERSON|upper]] | [[NL_ADDRESS|STREET]] | [[NL_POSTCODE|POSTCODE]] | [[DATE_OF_BIRTH|DOB]] | [[PHONE_NUMBER|PHONE]]
""",
"report-form": """{{Meldingsformulier openbare ruimte}} {{MOR-88213}}
Voorletters: <<INITIALS>>
Voornaam: [[PERSON|first]]
Achternaam: [[PERSON|cap]]
Burgerservicenummer: [[NL_BSN|BSN]]
Straat en huisnummer: [[NL_ADDRESS|STREET]]
Postcode: [[NL_POSTCODE|POSTCODE]]
Telefoonnummer (overdag): [[PHONE_NUMBER|PHONE]]
E-mailadres: [[EMAIL_ADDRESS|EMAIL]]
Soort melding: {{losliggende stoeptegels}}
Locatie: {{kruising Vaartweg / Stationsstraat}}
Toelichting: {{mijn buurvrouw is hier gisteren gevallen}}
""",
"council-news": """{{Raadsinformatiebrief}} {{2025-14}}: {{overlast hangjongeren park De Wielewaal}}

{{Wethouder Dalmolen}} sprak op {{4 april}} met omwonenden. Volgens [[PERSON|full]] (62), die al dertig
jaar aan de [[NL_ADDRESS|STREET]] woont, is het sinds de zomer onrustig. Ook [[PERSON|cap]] van de
{{bewonerscommissie}} maakt zich zorgen. Jongerenwerker [[PERSON|full]] van {{Stichting Welzijn Tiel}}
gaat in gesprek met de groep. {{Het Rivierenland Ziekenhuis}} en {{Museum Flipje & Streekmuseum}}
liggen aan de rand van het park. De kosten ({{€ 18.000}}) komen uit {{programma 3.2}}.
""",
}
LAYOUTS = {"objection-decision": ["letterhead", "serif-narrow"], "mail-chain": ["mono", "serif-narrow"],
           "action-list": ["cells", "mono"], "visit-report": ["serif-narrow", "letterhead"],
           "objection-register": ["cells", "cells"], "report-form": ["boxed", "boxed"],
           "council-news": ["serif-narrow", "two-column"]}


def _render(template: str, values: Values, rng: random.Random) -> tuple[str, list, list]:
    makers = {"STREET": values.street, "POSTCODE": values.postcode, "BSN": values.bsn,
              "IBAN": values.iban, "PHONE": values.phone, "EMAIL": values.email,
              "PLATE": values.plate, "DOB": values.dob}
    secrets, keeps = [], []

    def personal(m):
        entity, kind = m.group(1), m.group(2)
        value = makers[kind]() if kind in makers else values.name(kind)
        secrets.append((entity, value))
        return value

    def public(m):
        keeps.append(m.group(1))
        return m.group(1)

    text = re.sub(r"\[\[(\w+)\|(\w+)\]\]", personal, template)
    text = re.sub(r"\{\{(.+?)\}\}", public, text)
    # initials alone: personal in context, but neither scored as a miss nor as over-redaction
    text = text.replace("<<INITIALS>>", ".".join(rng.sample("ABDEGHJKLMNPRSTW", rng.randint(1, 3))) + ".")
    return text, secrets, keeps


def make_docs(variant: str = "unlisted", seed: int = 7, per_kind: int = 6) -> list[Doc]:
    """The test documents: per_kind of each template, layouts alternating."""
    rng = random.Random(f"{seed}-{variant}")
    values = Values(rng, variant)
    docs = []
    for kind, template in TEMPLATES.items():
        for i in range(per_kind):
            text, secrets, keeps = _render(template, values, rng)
            if not unicode_fonts():
                text, keeps = _latin1(text), [_latin1(k) for k in keeps]
                secrets = [(e, _latin1(v)) for e, v in secrets]
            layout = LAYOUTS[kind][i % len(LAYOUTS[kind])]
            docs.append(Doc(f"test_{variant}_{kind}_{i:02d}.pdf", kind, layout, text, secrets, keeps))
    return docs


# ---------------------------------------------------------------- layouts

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONTS = {"helv": "DejaVuSans.ttf", "tiro": "DejaVuSerif.ttf", "cour": "DejaVuSansMono.ttf",
         "hebo": "DejaVuSans-Bold.ttf"}


def unicode_fonts() -> bool:
    """DejaVu (Debian fonts-dejavu-core) renders every name; PDF base-14 fonts cannot (ł, ş, ı)."""
    return all((FONT_DIR / f).exists() for f in FONTS.values())


def _latin1(text: str) -> str:
    """Fallback without DejaVu: letters outside Latin-1 lose their accents, € becomes EUR."""
    import unicodedata

    text = text.replace("€", "EUR").replace("–", "-").replace("ı", "i").replace("ł", "l")
    return "".join(c if ord(c) < 256 else unicodedata.normalize("NFKD", c)[0] for c in text)


def _font(font: str) -> dict:
    if unicode_fonts():
        return {"fontname": "dv" + font, "fontfile": str(FONT_DIR / FONTS[font])}
    return {"fontname": font}


def _box(page, rect, text, font="helv", size=9.5, align=0) -> None:
    """insert_textbox, shrinking the font until everything fits (never silently drop text)."""
    while page.insert_textbox(rect, text, fontsize=size, align=align, **_font(font)) < 0:
        size -= 0.5
        if size < 5:
            raise ValueError("test document text does not fit its layout")


def _cells(page, lines: list[str]) -> None:
    """Rows split on ':' (first cell) and '|' into real table cells with ruled borders."""
    y = 50
    for line in lines:
        head, _, rest = line.partition(": ") if ": " in line else ("", "", line)
        cells = ([head] if head else []) + [c.strip() for c in rest.split("|")]
        if len(cells) == 1:
            _box(page, pymupdf.Rect(40, y, 800, y + 30), cells[0], size=9)
            y += 30
            continue
        width = 760 / len(cells)
        for i, cell in enumerate(cells):
            rect = pymupdf.Rect(40 + i * width, y, 40 + (i + 1) * width, y + 30)
            page.draw_rect(rect, color=(0.3, 0.3, 0.3), width=0.5)
            _box(page, rect + (3, 3, -3, -3), cell, size=8.5)
        y += 30


def _boxed(page, lines: list[str]) -> None:
    """A form: label above an outlined input box per field."""
    y = 50
    for line in lines:
        label, _, value = line.partition(": ")
        if not value:
            _box(page, pymupdf.Rect(50, y, 545, y + 20), line, font="hebo", size=11)
            y += 26
            continue
        page.insert_text((50, y + 9), label, fontsize=7.5, **_font("helv"))
        field = pymupdf.Rect(50, y + 12, 545, y + 30)
        page.draw_rect(field, color=(0.4, 0.4, 0.6), width=0.6)
        page.insert_text((54, y + 25), value, fontsize=10, **_font("cour"))
        y += 38


def write_pdf(doc: Doc, path: Path) -> Path:
    pdf = pymupdf.open()
    landscape = doc.layout == "cells"
    page = pdf.new_page(width=842 if landscape else 595, height=595 if landscape else 842)
    lines = doc.text.split("\n")
    if doc.layout == "letterhead":
        _box(page, pymupdf.Rect(390, 40, 560, 130), "\n".join(lines[:2]).replace(" | ", "\n"), size=8)
        _box(page, pymupdf.Rect(70, 150, 540, 800), "\n".join(lines[3:]), font="helv", size=10)
    elif doc.layout == "serif-narrow":
        _box(page, pymupdf.Rect(120, 60, 400, 800), doc.text, font="tiro", size=10)
    elif doc.layout == "mono":
        _box(page, pymupdf.Rect(40, 50, 560, 800), doc.text, font="cour", size=8.5)
    elif doc.layout == "two-column":
        half = len(doc.text) // 2
        cut = doc.text.rfind(" ", 0, half)
        _box(page, pymupdf.Rect(40, 60, 290, 800), doc.text[:cut], font="tiro", size=10)
        _box(page, pymupdf.Rect(310, 60, 560, 800), doc.text[cut + 1:], font="tiro", size=10)
    elif doc.layout == "cells":
        _cells(page, lines)
    elif doc.layout == "boxed":
        _boxed(page, lines)
    else:
        raise ValueError(doc.layout)
    pdf.save(path)
    pdf.close()
    return path
