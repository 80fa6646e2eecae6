"""A BLIND Woo test set: document kinds, layouts, phrasings and person names that nobody tuned on.

Written independently of the development set (bench_data.py) and of the held-out test set
(woo_testset.py, whose templates and names the author did not read), from the shape of real
municipal Woo documents: chat exports, subsidy decisions with an objection clause, B&W advisory
notes with a paraaf table, complaint e-mails with signature and disclaimer, permit registers,
minutes with an attendee table, telephone/handover notes, letters from citizens, inspection
reports and calendar exports.

Every person name is invented; `check_pools()` asserts that no token of any generated person
name is in the model's training text, in deduce's or the project's name lists, in the
development/sample/training pools, or in shared/data/nl-person-names-faker.

Documents are built in Python: `_Doc.s(entity, value)` records personal data that must disappear,
`_Doc.k(value)` public text that must stay readable; both return the value so templates read
like the document. Interface as bench_data: `make_docs(variant, seed, per_kind)` and
`write_pdf(doc, path)`.
"""

from __future__ import annotations

import random
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pymupdf
from stdnum import iban as std_iban
from stdnum.nl import bsn as std_bsn

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_data import Doc  # noqa: E402

FAKER = Path(__file__).resolve().parents[2] / "shared" / "data" / "nl-person-names-faker" / \
    "dutch_person_names_faker.tsv"

# ---------------------------------------------------------------- invented names

FEMALE = ["Wiebrichje", "Sjoukelien", "Hylkedina", "Tjitskje", "Gerbrichje", "Trientsje", "Marijnke",
          "Wilmke", "Lotteke", "Şeyma", "Nurşen", "Sevgül", "Ümmühan", "Chandrika", "Djoeweti",
          "Wiendy", "Dorota", "Wiesława", "Bożena", "Efua", "Esi", "Abenaa", "Adjoa", "Oedske", "Büşra"]
MALE = ["Oeble", "Gökhan", "Hüseyin", "Oğuzhan", "Raviesh", "Przemek", "Wojtek", "Kacper", "Jarek",
        "Mirosław", "Radosław", "Kobina", "Ekow", "Sjabbe"]
LAST = [("", "Terpsma"), ("", "Kuipema"), ("ter", "Rypkema"), ("van", "Kalverdijk"), ("van der", "Mosterdijk"),
        ("de", "Haakmeester"), ("van 't", "Spruijtenburg"), ("", "Kreijkamp"), ("", "Vanhoutteghem"),
        ("", "Claeyssens"), ("", "Goossenaerts"), ("", "Opdebeeck"), ("", "Yıldırımtaş"), ("", "Sarıkaya"),
        ("", "Öztürkmen"), ("", "Kocabaş"), ("", "Tekinalp"), ("", "Çelikkol"), ("", "Gündoğdu"),
        ("", "Bozkurtlu"), ("", "Bouchtaoui"), ("", "Lamkadmi"), ("el", "Ouazzani"), ("", "Chakiri"),
        ("", "Lahlali"), ("", "Zeroual"), ("", "Ramdjan"), ("", "Sewnarain"), ("", "Sitaldin"),
        ("", "Ramlakhan"), ("", "Lachmon"), ("", "Aboikoni"), ("", "Wróblewski"), ("", "Szczepańska"),
        ("", "Grabowska"), ("", "Pawlak"), ("", "Dąbrowski"), ("", "Jabłońska"), ("", "Kaczmarek"),
        ("", "Sobczak"), ("", "Appiah"), ("", "Agyemang"), ("", "Ofori"), ("", "Amoako"), ("", "Ansah"),
        ("", "Frimpong"), ("", "Nkansah"), ("", "Adjei"), ("ter", "Roskamp"), ("", "Dewnarain")]
# Public officials acting in office (kept): their names must never be a person's.
OFFICIALS = [("burgemeester", "L. Stoopendaal"), ("wethouder", "Y. Hollebrand"),
             ("wethouder", "G.J. Wolterbeek"), ("wethouder", "Overdulve"),
             ("gemeentesecretaris", "B.R. Brinkgreve"), ("raadslid", "Bleekemolen"),
             ("woordvoerder", "Uitterhoeve"), ("raadslid", "A. Duifhuizen")]
FRISIAN = {"Oeble", "Sjabbe", "Oedske", "Tjitskje", "Hylkedina", "Sjoukelien", "Wiebrichje", "Gerbrichje",
           "Trientsje"}

STREETS = ["Kievitsbloemstraat", "Harddraverslaan", "Wijnruitstraat", "Touwslagersbaan", "Turfschippersdijk",
           "Lijnbaanshof", "Boterbloemweg", "Tuinfluiterpad", "Hooiberglaan", "Zeevaartschoolkade",
           "Graaf Floris V-straat", "Bongerdweg", "Rietgorsplantsoen", "Koekoeksbloemhof", "Oude Trambaan",
           "Schapendrift", "Gerstakker", "Mr. P.J. Troelstraweg"]
PROJECT_STREETS = ["Stationsweg-Oost", "Nieuwe Havenweg", "Industrieweg", "Marktplein", "Kanaaldijk-Zuid",
                   "Sportparklaan", "Provinciale weg N381"]
PLACES = ["Gorredijk", "Beetsterzwaag", "Oud-Beijerland", "Numansdorp", "Eibergen", "Zaltbommel",
          "Kerkrade", "Venray", "Tolbert", "Leek"]
MAILHOSTS = ["gmail.com", "hotmail.com", "outlook.com", "ziggo.nl", "kpnmail.nl", "planet.nl", "xs4all.nl",
             "live.nl", "icloud.com", "telenet.be"]


@dataclass(frozen=True)
class Org:
    name: str
    short: str
    visit: str
    postbus: str
    postcode_place: str
    phone: str
    mail: str
    web: str
    domain: str


ORGS = [Org("Gemeente Opsterland", "Opsterland", "Hoofdstraat 86, Gorredijk", "Postbus 10000",
            "9244 ZP Beetsterzwaag", "14 0513", "gemeente@opsterland.nl", "www.opsterland.nl", "opsterland.nl"),
        Org("Gemeente Hoeksche Waard", "Hoeksche Waard", "Oranjeplein 1, Oud-Beijerland", "Postbus 4100",
            "3260 BC Oud-Beijerland", "088 - 647 36 47", "info@gemeentehw.nl", "www.gemeentehw.nl",
            "gemeentehw.nl"),
        Org("Gemeente Berkelland", "Berkelland", "Marktplein 14, Borculo", "Postbus 200", "7270 HA Borculo",
            "(0545) 25 02 50", "info@gemeenteberkelland.nl", "www.gemeenteberkelland.nl",
            "gemeenteberkelland.nl"),
        Org("Gemeente Westerkwartier", "Westerkwartier", "Hooiweg 3, Zuidhorn", "Postbus 100", "9800 AC Zuidhorn",
            "0594 - 50 88 88", "post@westerkwartier.nl", "www.westerkwartier.nl", "westerkwartier.nl")]


def _ascii(text: str) -> str:
    text = text.replace("ı", "i").replace("ł", "l").replace("'", "").replace(" ", "")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if ord(c) < 128).lower()


@dataclass(frozen=True)
class Person:
    first: str
    ix: str
    last: str
    female: bool
    initials: str

    @property
    def sur(self) -> str:
        return f"{self.ix} {self.last}".strip()

    @property
    def Sur(self) -> str:  # noqa: N802  (a surname without first name starts with a capital)
        return self.sur[0].upper() + self.sur[1:]


# ---------------------------------------------------------------- personal values


class Values:
    """Invented personal data in varied real-world formats (checksums valid)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def person(self) -> Person:
        rng = self.rng
        while True:
            female = rng.random() < 0.55
            first = rng.choice(FEMALE if female else MALE)
            ix, last = rng.choice(LAST)
            if rng.random() < 0.15:  # double surname, e.g. after marriage
                last = f"{last}-{rng.choice([n for i, n in LAST if not i])}"
            if last not in self.used and first not in self.used:
                break
        self.used |= {first, last}
        extra = rng.choice(["", "", "", "A", "M", "W", "J", "H", "C"])
        return Person(first, ix, last, female, f"{first[0]}.{extra + '.' if extra else ''}")

    def form(self, p: Person, form: str = "") -> str:
        form = form or self.rng.choice(["full", "full", "init", "sur"])
        patronym = ""
        if p.first in FRISIAN and form == "patronym":
            patronym = f" {self.rng.choice(sorted(FRISIAN - {p.first}))}s"
        return {"full": f"{p.first} {p.sur}", "init": f"{p.initials} {p.sur}", "sur": p.Sur,
                "first": p.first, "rev": f"{p.last}, {p.first}{' ' + p.ix if p.ix else ''}",
                "revinit": f"{p.last}, {p.initials}{' ' + p.ix if p.ix else ''}",
                "caps": f"{p.first} {p.sur}".upper(), "capsur": p.last.upper(),
                "patronym": f"{p.first}{patronym} {p.sur}"}[form]

    def title(self, p: Person) -> str:
        return "mevrouw" if p.female else "de heer"

    def email(self, p: Person, domain: str = "") -> str:
        first, last = _ascii(p.first), _ascii(p.ix + p.last)
        if domain:
            return self.rng.choice([f"{first[0]}.{last}@{domain}", f"{first}.{last}@{domain}"])
        return self.rng.choice([f"{first}.{last}@", f"{first}{last}{self.rng.randint(60, 99)}@",
                                f"{first[0]}{last}@", f"{last}.{first[0]}@"]) + self.rng.choice(MAILHOSTS)

    def mobile(self) -> str:
        r = self.rng
        d = f"6{r.randint(1, 5)}{r.randint(0, 9999999):07d}"
        return r.choice([f"0{d[:1]}-{d[1:]}", f"0{d[:1]} {d[1:5]} {d[5:]}", f"+31 {d[0]} {d[1:5]} {d[5:]}",
                         f"+31(0){d[0]}-{d[1:]}", f"0031 {d[0]} {d[1:]}", f"0{d[0]} - {d[1:3]} {d[3:5]} {d[5:7]} {d[7:]}",
                         f"(0{d[0]}) {d[1:4]} {d[4:7]} {d[7:]}"])

    def landline(self) -> str:
        r = self.rng
        area = r.choice(["10", "20", "30", "50", "58", "70", "72", "73", "76", "79", "512", "513", "515",
                         "543", "544", "545", "546", "594", "595", "186", "478", "45"])
        sub = f"{r.randint(2, 9)}{r.randint(0, 10 ** (8 - len(area)) - 1):0{8 - len(area)}d}"
        if len(area) == 2:
            return r.choice([f"0{area}-{sub}", f"0{area} {sub[:3]} {sub[3:5]} {sub[5:]}",
                             f"+31 (0){area} {sub[:3]} {sub[3:]}"])
        return r.choice([f"0{area}-{sub}", f"(0{area}) {sub[:2]} {sub[2:4]} {sub[4:]}",
                         f"0{area} - {sub[:3]} {sub[3:]}", f"+31 {area} {sub}"])

    def phone(self) -> str:
        return self.mobile() if self.rng.random() < 0.6 else self.landline()

    def bsn(self) -> str:
        while True:
            n = f"{self.rng.randint(100000000, 399999999)}"
            if std_bsn.is_valid(n):
                break
        return self.rng.choice([n, f"{n[:3]}.{n[3:6]}.{n[6:]}", f"{n[:3]} {n[3:6]} {n[6:]}",
                                f"{n[:4]}.{n[4:6]}.{n[6:]}"])

    def iban(self) -> str:
        r = self.rng
        if r.random() < 0.15:
            account = int(r.choice(["001", "063", "068", "097", "103", "363", "630", "734", "751"])
                          + f"{r.randint(0, 10 ** 7 - 1):07d}")  # a real Belgian bank code
            body = f"BE00{account:010d}{account % 97 or 97:02d}"  # Belgian national check digits
        else:
            body = f"NL00{r.choice(['ABNA', 'RABO', 'INGB', 'SNSB', 'TRIO', 'ASNB', 'KNAB', 'BUNQ', 'RBRB'])}" \
                   f"{r.randint(0, 10 ** 10 - 1):010d}"
        value = body[:2] + std_iban.calc_check_digits(body) + body[4:]
        assert std_iban.is_valid(value)
        return value if r.random() < 0.4 else " ".join(value[i:i + 4] for i in range(0, len(value), 4))

    def postcode(self) -> str:
        r = self.rng
        while True:
            letters = "".join(r.choice("ABCEGHJKLMNPRTVWXZ") for _ in range(2))
            if letters not in ("SA", "SD", "SS"):
                break
        return f"{r.randint(1000, 9999)}{r.choice([' ', ' ', ''])}{letters}"

    def street(self) -> str:
        r = self.rng
        number = f"{r.randint(1, 180)}{r.choice(['', '', '', 'a', '-II', ' bis', ' hs', '-B', ' rd'])}"
        return f"{r.choice(STREETS)} {number}"

    def plate(self) -> str:
        r = self.rng
        pick = lambda n: "".join(r.choice("BDFGHJKLNPRSTVXZ") for _ in range(n))  # noqa: E731
        return r.choice([f"{pick(2)}-{r.randint(10, 99)}-{r.randint(10, 99)}", f"{r.randint(10, 99)}-{pick(2)}-{pick(2)}",
                         f"{r.randint(1, 9)}-{pick(3)}-{r.randint(10, 99)}", f"{pick(3)}-{r.randint(10, 99)}-{pick(1)}",
                         f"{r.randint(10, 99)}-{pick(3)}-{r.randint(1, 9)}", f"{pick(2)}-{r.randint(100, 999)}-{pick(1)}"])

    def dob(self) -> str:
        r = self.rng
        d, m, y = r.randint(1, 28), r.randint(1, 12), r.randint(1938, 2006)
        month = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
                 "oktober", "november", "december"][m - 1]
        return r.choice([f"{d:02d}-{m:02d}-{y}", f"{d} {month} {y}", f"{d:02d}/{m:02d}/{y}", f"{d}-{m}-{y}"])

    def zaak(self, olo: bool = False) -> str:
        r = self.rng
        if olo and r.random() < 0.5:  # the national permit portal's number
            return f"OLO {r.randint(7000000, 9999999)}"
        return r.choice([f"Z-{r.randint(2023, 2025)}-{r.randint(1000, 99999):06d}", f"ZK{r.randint(23, 25)}.{r.randint(10000, 99999)}",
                         f"{r.randint(2023, 2025)}/{r.randint(100000, 999999)}"])

    def amount(self) -> str:
        r = self.rng
        return r.choice([f"€ {r.randint(1, 48)}.{r.randint(0, 999):03d},{r.randint(0, 99):02d}",
                         f"€ {r.randint(100, 999)},-", f"EUR {r.randint(1000, 9999)},00"])

    def date(self) -> str:
        r = self.rng
        month = r.choice(["januari", "februari", "maart", "april", "mei", "juni", "september", "oktober"])
        return f"{r.randint(1, 28)} {month} {r.choice([2024, 2025])}"


# ---------------------------------------------------------------- document builder


class _Doc:
    """Collects the labelled values while a document's text is written."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.v = Values(rng)
        self.secrets: list[tuple[str, str]] = []
        self.keeps: list[str] = []

    def s(self, entity: str, value: str) -> str:
        self.secrets.append((entity, value))
        return value

    def k(self, value: str) -> str:
        self.keeps.append(value)
        return value

    def name(self, p: Person, form: str = "") -> str:
        return self.s("PERSON", self.v.form(p, form))

    def official(self, role: str = "") -> str:
        pool = [o for o in OFFICIALS if not role or o[0] == role]
        r, n = self.rng.choice(pool)
        return self.k(f"{r} {n}" if self.rng.random() < 0.5 else f"{r.capitalize()} {n}")



# ---------------------------------------------------------------- document kinds
# Marker lines read by write_pdf: "#H" heading, "#S" sender column, "#F" footer, "#T" table row
# (cells split on " | ", the first #T of a block is the header), "#B" boxed form field
# ("label: value"), "#M" chat message ("sender | time | text"), "#R" rule; others are body text.


def chat_export(d: _Doc, org: Org) -> str:
    v, r = d.v, d.rng
    a, b, c = v.person(), v.person(), v.person()
    day = r.randint(2, 27)
    zaak = d.k(v.zaak())
    resident, plate = v.person(), v.plate()
    lines = [f"#H {d.k('Chatexport Microsoft Teams')} - {d.k('Kanaal Team Handhaving Openbare Ruimte')}",
             f"Geëxporteerd op {d.k(f'{day + 1} maart 2025')} ten behoeve van Woo-verzoek {d.k(f'WOO-{r.randint(2024, 2025)}-{r.randint(10, 999):03d}')}", ""]
    fa, fb = v.form(a, "full"), v.form(b, "rev")
    d.s("PERSON", fa), d.s("PERSON", fb)
    msgs = [(fa, f"Goedemorgen! Heeft iemand de melding over de Nieuwe Havenweg al opgepakt? Zaak {zaak}"),
            (fb, f"Ja, ik ben er gisteren langs geweest. Die bestelbus ({d.s('NL_LICENCE_PLATE', plate)}) "
                 f"staat er nog steeds."),
            (fa, f"Oké. {d.name(b, 'first')}, kun jij de eigenaar bellen? Volgens de RDW is dat "
                 f"{v.title(resident)} {d.name(resident, 'init')}."),
            (fb, f"Nummer uit het dossier is {d.s('PHONE_NUMBER', v.mobile())}, ik probeer het vanmiddag."),
            (fa, f"Top. {d.official('wethouder')} wil donderdag een update, dus graag voor woensdag."),
            (fb, f"Ik heb {d.name(c, 'full')} van team Vergunningen in de cc gezet, die kent de situatie."),
            (fa, f"Prima. Boete is {d.k(v.amount())} op grond van {d.k('artikel 5:32 Awb')}."),
            (fb, f"Mail van {d.name(resident, 'sur')} staat in de zaak, verstuurd vanaf "
                 f"{d.s('EMAIL_ADDRESS', v.email(resident))}.")]
    for i, (who, text) in enumerate(msgs):
        lines.append(f"#M {who} | {day}-03-2025 {9 + i // 3:02d}:{r.randint(0, 59):02d} | {text}")
    lines += ["", f"{d.k(org.name)} - {d.k('Team Informatiebeheer')}"]
    return "\n".join(lines)


def subsidy_decision(d: _Doc, org: Org) -> str:
    v, r = d.v, d.rng
    p, clerk, boss = v.person(), v.person(), v.person()
    place = r.choice(PLACES)
    sal = "Geachte mevrouw" if p.female else "Geachte heer"
    return "\n".join([
        f"#H {d.k(org.name)}",
        f"#S {r.choice(['Behandeld door', 'Contactpersoon', 'Inlichtingen bij'])}: {d.name(clerk, r.choice(['init', 'full']))}",
        f"#S {r.choice(['Telefoon', 'Doorkiesnummer', 'Telefoonnummer'])}: {d.s('PHONE_NUMBER', v.landline())}",
        f"#S E-mail: {d.s('EMAIL_ADDRESS', v.email(clerk, org.domain))}",
        f"#S Ons kenmerk: {d.k(v.zaak())}",
        f"#S Datum: {d.k(v.date())}",
        f"#F {d.k(org.postbus)} | {d.k(org.postcode_place)} | T {d.k(org.phone)} | {d.k(org.mail)} | {d.k(org.web)}",
        "Aangetekend en per gewone post",
        f"{v.title(p).capitalize()} {d.name(p, 'init')}",
        d.s("NL_ADDRESS", v.street()),
        f"{d.s('NL_POSTCODE', v.postcode())}  {place.upper()}",
        "",
        f"Onderwerp: {d.k('beschikking subsidie Duurzaam Wonen 2025')}",
        "",
        f"{sal} {d.name(p, 'sur')},",
        "",
        r.choice([  # one phrasing; the lambdas record only the values of the phrasing chosen
            lambda: f"Op {d.k(v.date())} ontvingen wij uw aanvraag voor een subsidie voor het isoleren van uw "
                    f"woning aan de {d.s('NL_ADDRESS', v.street())}. ",
            lambda: f"U heeft op {d.k(v.date())} subsidie aangevraagd voor zonnepanelen en een warmtepomp op het "
                    f"adres {d.s('NL_ADDRESS', v.street())}. ",
            lambda: f"Hartelijk dank voor uw aanvraag van {d.k(v.date())}. U vraagt subsidie voor het verduurzamen "
                    f"van de woning {d.s('NL_ADDRESS', v.street())}, die u samen met {d.name(v.person(), 'full')} "
                    f"bewoont. "])()
        + f"Wij hebben uw aanvraag beoordeeld op grond van de "
        f"{d.k('Subsidieregeling Duurzaam Wonen ' + org.short + ' 2025')} en {d.k('artikel 4:33 Awb')}.",
        "",
        f"Besluit: wij verlenen u een subsidie van {d.k(v.amount())}. Het bedrag wordt binnen zes weken "
        f"overgemaakt op rekeningnummer {d.s('IBAN_CODE', v.iban())} ten name van {d.name(p, 'init')}.",
        "",
        "Bezwaar",
        f"Bent u het niet eens met dit besluit? Dan kunt u binnen zes weken na de datum van deze brief "
        f"bezwaar maken bij het college van burgemeester en wethouders, {d.k(org.postbus)}, "
        f"{d.k(org.postcode_place)}. Dat kan ook digitaal via {d.k(org.web + '/bezwaar')}. Vermeld in uw "
        f"bezwaarschrift uw naam en adres, de datum, het kenmerk van dit besluit en waarom u het er niet mee eens bent.",
        "",
        "Met vriendelijke groet,",
        "namens het college van burgemeester en wethouders,",
        "",
        d.name(boss, "full"),
        d.k("afdelingshoofd Wonen en Leefomgeving")])


def bw_note(d: _Doc, org: Org) -> str:
    v, r = d.v, d.rng
    author, lead, jurist, resident = v.person(), v.person(), v.person(), v.person()
    return "\n".join([
        f"#H {d.k('Advies aan burgemeester en wethouders')}",
        f"#B Registratienummer: {d.k(v.zaak())}",
        f"#B Onderwerp: {d.k('Handhavingsverzoek bouwwerk zonder vergunning')}",
        f"#B Portefeuillehouder: {d.official('wethouder')}",
        f"#B Steller: {d.name(author, 'full')}, {d.s('PHONE_NUMBER', v.landline())}",
        f"#B Datum collegevergadering: {d.k(v.date())}",
        "#T Paraaf | Naam | Datum | Akkoord",
        f"#T Teamleider | {d.name(lead, 'init')} | {d.k(v.date())} | ja",
        f"#T Juridische zaken | {d.name(jurist, 'revinit')} | {d.k(v.date())} | ja, met opmerking",
        f"#T Gemeentesecretaris | {d.k('B.R. Brinkgreve')} | {d.k(v.date())} | ja",
        "",
        "Beslispunten",
        f"1. Het verzoek om handhaving van {v.title(resident)} {d.name(resident, 'full')}, wonende "
        f"{d.s('NL_ADDRESS', v.street())} te {r.choice(PLACES)}, toe te wijzen.",
        f"2. De eigenaar een last onder dwangsom op te leggen van {d.k(v.amount())} per week "
        f"({d.k('artikel 5:32 Awb')} jo. {d.k('artikel 5.4 Omgevingswet')}).",
        "",
        "Inleiding",
        f"Verzoeker ({d.name(resident, 'sur')}) heeft ons op {d.k(v.date())} gevraagd op te treden tegen een "
        f"schuur op het perceel naast {'haar' if resident.female else 'zijn'} woning. Bij controle door {d.name(author, 'first')} "
        f"is geconstateerd dat voor de schuur geen omgevingsvergunning is verleend. Zienswijzen zijn "
        f"ingediend via {d.k(org.mail)}; de reactie van verzoeker kwam vanaf {d.s('EMAIL_ADDRESS', v.email(resident))}.",
        "",
        f"Communicatie: {d.official('woordvoerder')} stemt een eventuele reactie aan de pers af.",
        f"Bijlagen: {d.k('Bijlage 1 - controlerapport')}, {d.k('Bijlage 2 - foto')}"])


def complaint_email(d: _Doc, org: Org) -> str:
    v, r = d.v, d.rng
    citizen, officer, neighbour = v.person(), v.person(), v.person()
    mail_c, mail_o = v.email(citizen), v.email(officer, org.domain)
    d.s("EMAIL_ADDRESS", mail_c), d.s("EMAIL_ADDRESS", mail_o)
    sig_first = r.random() < 0.5
    when = v.date()
    return "\n".join([
        f"Van: {d.name(officer, 'rev')} <{mail_o}>",
        f"Verzonden: {d.k(when)} 11:42",
        f"Aan: {d.k('Klachtencoördinator')} <{d.k('klachten@' + org.domain)}>",
        f"Onderwerp: {d.k('FW: Klacht over behandeling melding')} {d.k(v.zaak())}",
        "",
        f"Ter info, deze klacht kwam vanochtend binnen. Kun jij hem registreren? Groet, {d.name(officer, 'first')}",
        "",
        "#R",
        f"Van: {d.name(citizen, 'full')} <{mail_c}>",
        f"Verzonden: {d.k(when)} 08:17",
        f"Aan: {d.k(org.mail)}",
        "Onderwerp: klacht!!",
        "",
        "Geachte heer/mevrouw,",
        "",
        f"Hierbij dien ik een klacht in over de manier waarop mijn melding is behandeld. Al sinds "
        f"{d.k('januari')} heeft mijn buurman {d.name(neighbour, 'init')} zijn aanhanger en camper "
        f"({d.s('NL_LICENCE_PLATE', v.plate())}) op de stoep staan. Ik heb drie keer gebeld met het "
        f"algemene nummer {d.k(org.phone)} en ben steeds doorverbonden met {d.name(officer, 'sur')}, die "
        f"beloofde terug te bellen. Dat is nooit gebeurd. Ook {d.official('raadslid')} heb ik al gemaild.",
        "",
        "Ik wil graag een schriftelijke reactie.",
        "",
        r.choice(["Met vriendelijke groet,", "Mvg,", "Groeten,"]),
        "",
        d.name(citizen, "first" if sig_first else "full"),
        d.s("NL_ADDRESS", v.street()),
        f"{d.s('NL_POSTCODE', v.postcode())} {r.choice(PLACES)}",
        f"{r.choice(['Tel.: ', 'M: ', 'Mobiel ', ''])}{d.s('PHONE_NUMBER', v.mobile())}",
        "",
        "#R",
        f"{d.k('Dit bericht is uitsluitend bestemd voor de geadresseerde.')} Aan dit bericht kunnen geen "
        f"rechten worden ontleend. {d.k(org.name)}, {d.k(org.visit)}."])


def permit_register(d: _Doc, org: Org) -> str:
    v, r = d.v, d.rng
    rows = ["#H " + d.k(f"Overzicht ingediende aanvragen omgevingsvergunning - {org.short}"),
            f"Periode: {d.k('week 11 t/m 14 2025')}; publicatie op grond van {d.k('artikel 16.25 Omgevingswet')}", "",
            "#T Zaaknummer | Ontvangen | Aanvrager | Adres aanvrager | Locatie activiteit | Activiteit | Status"]
    acts = ["kappen van 2 eiken", "bouwen van een aanbouw", "wijzigen gebruik naar kamerverhuur",
            "plaatsen zonnepanelen op monument", "uitbreiden melkveestal", "aanleggen uitrit"]
    for _ in range(r.randint(4, 5)):
        p = v.person()
        company = r.random() < 0.25
        who = d.k(r.choice(["Agrarisch Bedrijf De Vlasakker V.O.F.", "Bouwbedrijf Gebr. Stellingwerf B.V.",
                            "Woonstichting Het Oosterdiep"])) if company else \
            d.name(p, r.choice(["revinit", "init", "caps", "rev"]))
        addr = d.k(r.choice(["Nijverheidsweg 4a", "Ambachtsstraat 17", "Zuivelweg 2"])) if company else \
            f"{d.s('NL_ADDRESS', v.street())}, {d.s('NL_POSTCODE', v.postcode())}"
        loc = d.k(r.choice(PROJECT_STREETS + ["nabij " + r.choice(PROJECT_STREETS), "kadastraal sectie K nr. 1482"]))
        rows.append(f"#T {d.k(v.zaak(olo=True))} | {d.k(f'{r.randint(10, 31)}-03-2025')} | {who} | {addr} | {loc} | "
                    f"{d.k(r.choice(acts))} | {r.choice(['in behandeling', 'verleend', 'buiten behandeling'])}")
    rows += ["", f"Contact: {d.k('Omgevingsloket')} {d.k(org.phone)}, {d.k(org.mail)}",
             f"Vastgesteld door {d.official('wethouder')}."]
    return "\n".join(rows)


def minutes(d: _Doc, org: Org) -> str:
    v, r = d.v, d.rng
    chair, secr, ext, civ, absent = v.person(), v.person(), v.person(), v.person(), v.person()
    wh, bm = d.k("Y. Hollebrand"), d.k("L. Stoopendaal")
    return "\n".join([
        f"#H {d.k('Verslag overleg Dorpsvisie')} {d.k(r.choice(PLACES))}",
        f"Datum: {d.k(v.date())}, 19.30 uur, {d.k('dorpshuis De Kompenije')}",
        "#T Naam | Functie / organisatie | Aanwezig",
        f"#T {wh} | {d.k('wethouder')} | ja",
        f"#T {bm} | {d.k('burgemeester')} | vanaf punt 3",
        f"#T {d.name(chair, 'full')} | voorzitter dorpsbelang | ja",
        f"#T {d.name(secr, 'init')} | notulist, {d.k(org.name)} | ja",
        f"#T {d.name(civ, 'full')} | beleidsadviseur ruimtelijke ordening | ja",
        f"#T {d.name(ext, 'patronym' if ext.first in FRISIAN else 'full')} | {d.k('adviesbureau Ruimtewerk B.V.')} | ja",
        f"#T {d.name(absent, 'init')} | bewoner | afgemeld",
        "",
        "1. Opening",
        f"{d.name(chair, 'first')} opent de vergadering en heet {d.k('wethouder Hollebrand')} welkom.",
        "",
        "2. Verslag vorige keer",
        f"Naar aanleiding van: {d.name(ext, 'sur')} heeft de schetsen voor het {d.k('Marktplein')} aangepast. "
        f"De notulen worden vastgesteld.",
        "",
        "3. Verkeer",
        f"Een bewoner van de {d.s('NL_ADDRESS', v.street())} vraagt naar de snelheid op de "
        f"{d.k('Provinciale weg N381')}. {d.name(civ, 'sur')} zegt toe dit met de provincie op te nemen. "
        f"Burgemeester {d.k('Stoopendaal')} meldt dat het budget {d.k(v.amount())} bedraagt.",
        "",
        "4. Rondvraag en sluiting",
        f"Vragen kunnen worden gemaild naar {d.k('dorpsvisie@' + org.domain)} of naar de secretaris "
        f"({d.s('EMAIL_ADDRESS', v.email(secr, org.domain))}, {d.s('PHONE_NUMBER', v.mobile())}).",
        f"Actie: {d.name(secr, 'sur')} verstuurt het verslag voor {d.k(v.date())}."])


def phone_note(d: _Doc, org: Org) -> str:
    v, r = d.v, d.rng
    caller, taker, colleague = v.person(), v.person(), v.person()
    return "\n".join([
        f"#H {d.k('Telefoonnotitie / overdracht')} - {d.k('Klantcontactcentrum')} {d.k(org.short)}",
        f"#B Datum en tijd: {d.k(v.date())}, 14:05",
        f"#B Naam beller: {d.name(caller, r.choice(['caps', 'revinit']))}",
        f"#B Geboortedatum: {d.s('DATE_OF_BIRTH', v.dob())}",
        f"#B BSN: {d.s('NL_BSN', v.bsn())}",
        f"#B Terugbelnummer: {d.s('PHONE_NUMBER', v.phone())}",
        f"#B Adres: {d.s('NL_ADDRESS', v.street())}",
        f"#B Postcode / woonplaats: {d.s('NL_POSTCODE', v.postcode())} {r.choice(PLACES)}",
        f"#B Zaak: {d.k(v.zaak())}",
        f"#B Aangenomen door: {d.name(taker, 'full')}",
        f"#B Doorgezet naar: {d.name(colleague, 'init')} ({d.k('Team Schuldhulpverlening')})",
        "",
        "Samenvatting gesprek:",
        f"Beller geeft aan dat de bijzondere bijstand van {d.k(v.amount())} nog niet is ontvangen. Zij/hij "
        f"heeft inmiddels een nieuw rekeningnummer: {d.s('IBAN_CODE', v.iban())}. Verzoek aan "
        f"{d.name(colleague, 'first')} om voor {d.k(v.date())} terug te bellen. Beller is boos en wil anders een "
        f"klacht indienen bij de {d.k('Nationale ombudsman')}. Verwezen naar {d.k(org.web)}.",
        f"Overdracht: {d.name(taker, 'first')} is vanaf morgen met verlof; {d.k('zaak staat op de werkvoorraad')}."])


def citizen_letter(d: _Doc, org: Org) -> str:
    v, r = d.v, d.rng
    p, partner = v.person(), v.person()
    place = r.choice(PLACES)
    return "\n".join([
        d.name(p, "full"),
        d.s("NL_ADDRESS", v.street()),
        f"{d.s('NL_POSTCODE', v.postcode())} {place}",
        d.s("PHONE_NUMBER", v.phone()),
        d.s("EMAIL_ADDRESS", v.email(p)),
        "",
        d.k("Aan het college van burgemeester en wethouders"),
        d.k(org.name),
        d.k(org.postbus),
        d.k(org.postcode_place),
        "",
        f"{place}, {d.k(v.date())}",
        "",
        f"Betreft: {d.k('verzoek om kwijtschelding gemeentelijke belastingen')}, aanslagnummer {d.k(str(r.randint(10 ** 9, 10 ** 10 - 1)))}",
        "",
        "Geacht college,",
        "",
        f"Hierbij verzoek ik, mede namens mijn partner {d.name(partner, 'full')} (geboren "
        f"{d.s('DATE_OF_BIRTH', v.dob())}), om kwijtschelding van de aanslag van {d.k(v.amount())}. "
        f"Sinds ik mijn baan bij {d.k('Kringloopcentrum De Rommelmarkt')} kwijt ben, leven wij van een uitkering. "
        f"Mijn burgerservicenummer is {d.s('NL_BSN', v.bsn())}. Mijn geboortedatum is {d.s('DATE_OF_BIRTH', v.dob())}.",
        "",
        f"Eventueel terug te betalen bedragen kunt u storten op {d.s('IBAN_CODE', v.iban())}. Ik heb hierover ook "
        f"gesproken met {d.official('raadslid')} tijdens het spreekuur.",
        "",
        "Hoogachtend,",
        "",
        "",
        d.name(p, r.choice(["init", "full"])),
        "",
        f"Bijlage: {d.k('bankafschriften januari t/m maart')}"])


def inspection_report(d: _Doc, org: Org) -> str:
    v, r = d.v, d.rng
    insp, owner, witness = v.person(), v.person(), v.person()
    return "\n".join([
        f"#H {d.k('Rapport van bevindingen')} - {d.k('toezicht Drank- en Horecawet / APV')}",
        f"#B Rapportnummer: {d.k(v.zaak())}",
        f"#B Toezichthouder: {d.name(insp, r.choice(['full', 'init']))} ({d.k('BOA, domein I')})",
        f"#B Datum controle: {d.k(v.date())}, 23:40 uur",
        f"#B Inrichting: {d.k(r.choice(['Café De Witte Gans', 'Snackbar Het Hoekje', 'Partycentrum Zuiderlicht']))}",
        f"#B Locatie: {d.k(r.choice(PROJECT_STREETS))}",
        f"#B Leidinggevende: {d.name(owner, 'caps')}",
        f"#B Geboren: {d.s('DATE_OF_BIRTH', v.dob())}",
        f"#B Woonadres: {d.s('NL_ADDRESS', v.street())}, {d.s('NL_POSTCODE', v.postcode())}",
        f"#B Kenteken voertuig: {d.s('NL_LICENCE_PLATE', v.plate())}",
        "",
        "Bevindingen:",
        f"Op genoemde datum en tijd zag ik, verbalisant, dat de inrichting na sluitingstijd nog geopend was, in "
        f"strijd met {d.k('artikel 2:30 APV')}. Ik sprak de leidinggevende, {v.title(owner)} {d.name(owner, 'sur')}, "
        f"hierop aan. Getuige {d.name(witness, 'init')} (tel. {d.s('PHONE_NUMBER', v.phone())}) verklaarde dat "
        f"de muziek tot ongeveer 01:00 uur te horen was.",
        f"Eerdere waarschuwing: {d.k(v.zaak())}. Voorstel: bestuurlijke boete van {d.k(v.amount())}.",
        "",
        f"Aldus naar waarheid opgemaakt te {d.k(org.short)}.",
        d.name(insp, "sur")])


def agenda_export(d: _Doc, org: Org) -> str:
    v, r = d.v, d.rng
    organiser, guest, ext = v.person(), v.person(), v.person()
    mail_org = d.s("EMAIL_ADDRESS", v.email(organiser, org.domain))
    mail_g = d.s("EMAIL_ADDRESS", v.email(guest, org.domain))
    items = [f"Onderwerp: {d.k('Voorbereiding raadsinformatieavond zwembad')}",
             f"Begint: {d.k('do ' + v.date())} 10:00",
             "Eindigt: 11:30",
             f"Locatie: {d.k('Kamer 2.14, ' + org.visit)} / Microsoft Teams",
             f"Organisator: {d.name(organiser, 'rev')} <{mail_org}>",
             f"Verplicht: {d.official('wethouder')}; {d.name(guest, 'revinit')} <{mail_g}>",
             f"Optioneel: {d.name(ext, 'full')} ({d.k('Sportfondsen Nederland')}); {d.official('woordvoerder')}",
             "",
             f"Hoi allen, graag bespreken we de presentatie voor {d.k(v.date())}. {d.name(ext, 'first')} "
             f"sluit het tweede half uur aan, bereikbaar op {d.s('PHONE_NUMBER', v.mobile())}.",
             f"Kosten renovatie volgens raming: {d.k(v.amount())}. Zie {d.k(v.zaak())}.",
             "",
             f"Deelnemen via Teams - Vergadering-id: {d.k(f'{r.randint(100, 999)} {r.randint(100, 999)} {r.randint(100, 999)} {r.randint(100, 999)}')}"]
    return "\n".join(["#H " + d.k("Agenda-item (export Outlook)")] + items)


KINDS = {"chat-export": (chat_export, ["chat", "whatsapp"]),
         "subsidy-decision": (subsidy_decision, ["letterhead"]),
         "bw-advisory-note": (bw_note, ["form", "letterhead"]),
         "complaint-email": (complaint_email, ["email"]),
         "permit-register": (permit_register, ["register"]),
         "meeting-minutes": (minutes, ["minutes"]),
         "phone-note": (phone_note, ["form"]),
         "citizen-letter": (citizen_letter, ["handwritten", "plain"]),
         "inspection-report": (inspection_report, ["form", "letterhead"]),
         "calendar-export": (agenda_export, ["agenda"])}


def make_docs(variant: str = "unlisted", seed: int = 11, per_kind: int = 4) -> list[Doc]:
    """per_kind documents of each kind, deterministic per seed. Only the `unlisted` variant exists:
    every person name is invented and in no list (see check_pools)."""
    if variant != "unlisted":
        raise ValueError(f"woo_blindset has only the 'unlisted' variant, not {variant!r}")
    rng = random.Random(f"blind-{seed}")
    docs = []
    for kind, (build, layouts) in KINDS.items():
        for i in range(per_kind):
            d = _Doc(rng)
            text = build(d, ORGS[(i + len(kind)) % len(ORGS)])
            if not unicode_fonts():
                text, d.secrets = _latin1(text), [(e, _latin1(x)) for e, x in d.secrets]
                d.keeps = [_latin1(x) for x in d.keeps]
            docs.append(Doc(f"blind_{kind}_{i:02d}.pdf", kind, layouts[i % len(layouts)], text,
                            list(dict.fromkeys(d.secrets)), list(dict.fromkeys(d.keeps))))
    return docs


# ---------------------------------------------------------------- rendering

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONTS = {"sans": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf", "serif": "DejaVuSerif.ttf",
         "mono": "DejaVuSansMono.ttf", "cond": "DejaVuSansCondensed.ttf"}
BASE14 = {"sans": "helv", "bold": "hebo", "serif": "tiro", "mono": "cour", "cond": "helv"}


def unicode_fonts() -> bool:
    """DejaVu (Debian fonts-dejavu-core) renders ş, ł, ı; the PDF base-14 fonts cannot."""
    return all((FONT_DIR / f).exists() for f in FONTS.values())


def _latin1(text: str) -> str:
    """Without DejaVu the documents are written in Latin-1 (values and text alike)."""
    text = text.replace("€", "EUR").replace("ı", "i").replace("ł", "l").replace("Ł", "L")
    return "".join(c if ord(c) < 256 else unicodedata.normalize("NFKD", c)[0] for c in text)


class _Writer:
    """Flows lines over pages: word wrap with real glyph widths, new page when full."""

    def __init__(self, pdf, layout: str, width: float, height: float, margin: float = 56) -> None:
        self.pdf, self.layout, self.w, self.h, self.m = pdf, layout, width, height, margin
        self.fonts = {k: pymupdf.Font(fontfile=str(FONT_DIR / f)) if unicode_fonts() else pymupdf.Font(BASE14[k])
                      for k, f in FONTS.items()}
        self.footer: list[str] = []
        self.page = None
        self.new_page()

    def new_page(self) -> None:
        self.page = self.pdf.new_page(width=self.w, height=self.h)
        self.y = self.m
        if self.footer:
            self.page.draw_line((self.m, self.h - 48), (self.w - self.m, self.h - 48), color=(0.5, 0.5, 0.5), width=0.5)
            self.text(self.m, self.h - 36, "   ".join(self.footer), "sans", 7, (0.3, 0.3, 0.3))

    def text(self, x: float, y: float, s: str, font: str = "sans", size: float = 10, color=(0, 0, 0)) -> None:
        kw = {"fontname": "b" + font, "fontfile": str(FONT_DIR / FONTS[font])} if unicode_fonts() \
            else {"fontname": BASE14[font]}
        self.page.insert_text((x, y), s, fontsize=size, color=color, **kw)

    def wrap(self, s: str, width: float, font: str, size: float) -> list[str]:
        lines, line = [], ""
        for word in s.split(" "):
            trial = f"{line} {word}" if line else word
            if line and self.fonts[font].text_length(trial, fontsize=size) > width:
                lines.append(line)
                line = word
            else:
                line = trial
        return lines + [line]

    def room(self, need: float) -> None:
        if self.y + need > self.h - (60 if self.footer else self.m):
            self.new_page()

    def para(self, s: str, font: str = "sans", size: float = 10, x: float | None = None,
             width: float | None = None, lead: float = 1.35, color=(0, 0, 0)) -> None:
        x = self.m if x is None else x
        width = width or self.w - x - self.m
        if not s.strip():
            self.y += size * 0.8
            return
        for line in self.wrap(s, width, font, size):
            self.room(size * lead)
            self.y += size * lead
            self.text(x, self.y, line, font, size, color)

    def table(self, rows: list[list[str]], size: float = 8.5) -> None:
        ncol = max(len(r) for r in rows)
        total = self.w - 2 * self.m
        weights = [max(self.fonts["sans"].text_length(r[c] if c < len(r) else "", fontsize=size) for r in rows) + 20
                   for c in range(ncol)]
        widths = [total * w / sum(weights) for w in weights]
        self.y += 5  # clear of the descenders of the line above
        for i, row in enumerate(rows):
            font = "bold" if i == 0 else "sans"
            cells = [self.wrap(row[c] if c < len(row) else "", widths[c] - 6, font, size) for c in range(ncol)]
            height = max(len(c) for c in cells) * size * 1.3 + 6
            self.room(height)
            x = self.m
            for c, lines in enumerate(cells):
                rect = pymupdf.Rect(x, self.y, x + widths[c], self.y + height)
                self.page.draw_rect(rect, color=(0.55, 0.55, 0.55), fill=(0.9, 0.92, 0.96) if i == 0 else None,
                                    width=0.5)
                for j, line in enumerate(lines):
                    self.text(x + 3, self.y + 3 + (j + 1) * size * 1.3 - 2, line, font, size)
                x += widths[c]
            self.y += height
        self.y += 6


def _blocks(text: str):
    """Consecutive lines grouped by marker ("#T" rows form one table)."""
    group: list[str] = []
    for line in text.split("\n"):
        if line.startswith("#T "):
            group.append(line[3:])
            continue
        if group:
            yield "T", group
            group = []
        if line[:3] in ("#H ", "#S ", "#F ", "#B ", "#M "):
            yield line[1], line[3:]
        elif line == "#R":
            yield "R", ""
        else:
            yield "", line
    if group:
        yield "T", group


def write_pdf(doc: Doc, path: Path) -> Path:
    """Render a document in its layout; all text is real, extractable text."""
    landscape = doc.layout == "register"
    pdf = pymupdf.open()
    w = _Writer(pdf, doc.layout, 842 if landscape else 595, 595 if landscape else 842)
    body_font = {"handwritten": "serif", "agenda": "mono", "email": "sans"}.get(doc.layout, "sans")
    blocks = list(_blocks(doc.text))
    side = [v for k, v in blocks if k == "S"]
    w.footer = [v for k, v in blocks if k == "F"]
    if w.footer:  # the first page was opened before the footer was known
        pdf.delete_page(0)
        w.new_page()
    if side:  # letterhead: sender column right, top
        y = w.m
        for item in side:
            label, _, value = item.partition(": ")
            w.text(w.w - 215, y + 10, label, "bold", 7.5, (0.35, 0.35, 0.35))
            size = 8.5  # a long e-mail address gets a smaller font, never runs off the page
            while w.fonts["sans"].text_length(value, fontsize=size) > 215 - w.m + 20 and size > 5:
                size -= 0.25
            w.text(w.w - 215, y + 20, value, "sans", size)
            y += 24
    speakers: list[str] = []
    for kind, value in blocks:
        if kind == "H":
            w.para(value, "bold", 14 if doc.layout in ("letterhead", "register") else 12,
                   width=w.w - 2 * w.m - (230 if side else 0), color=(0.1, 0.2, 0.45))
            w.y += 6
            if side:
                w.y = max(w.y, w.m + 24 * len(side) + 10)
        elif kind == "T":
            w.table([r.split(" | ") for r in value], 8 if doc.layout == "register" else 8.5)
        elif kind == "B":
            label, _, field_value = value.partition(": ")
            lines = w.wrap(field_value, w.w - 2 * w.m - 150, "sans", 9.5)
            height = 12 * len(lines) + 8
            w.room(height + 4)
            w.text(w.m, w.y + 13, label, "bold", 8.5)
            w.page.draw_rect(pymupdf.Rect(w.m + 140, w.y + 2, w.w - w.m, w.y + 2 + height), color=(0.3, 0.3, 0.3), width=0.6)
            for j, line in enumerate(lines):
                w.text(w.m + 145, w.y + 14 + 12 * j, line, "sans", 9.5)
            w.y += height + 5
        elif kind == "M" and doc.layout == "whatsapp":  # a plain-text chat export
            who, when, message = value.split(" | ", 2)
            w.para(f"[{when}] {who}: {message}", "sans", 9.5)
        elif kind == "M":
            who, when, message = value.split(" | ", 2)
            if who not in speakers:
                speakers.append(who)
            right = speakers.index(who) % 2 == 1
            x = w.m + (150 if right else 0)
            lines = w.wrap(message, w.w - 2 * w.m - 160, "sans", 9.5)
            height = 13 * len(lines) + 22
            w.room(height + 8)
            w.page.draw_rect(pymupdf.Rect(x, w.y + 2, x + w.w - 2 * w.m - 150, w.y + 2 + height), radius=0.08,
                             color=None, fill=(0.86, 0.93, 0.99) if right else (0.93, 0.93, 0.93))
            w.text(x + 6, w.y + 13, f"{who}   {when}", "bold", 7.5, (0.3, 0.3, 0.3))
            for j, line in enumerate(lines):
                w.text(x + 6, w.y + 27 + 13 * j, line, "sans", 9.5)
            w.y += height + 8
        elif kind == "R":
            w.room(14)
            w.y += 8
            w.page.draw_line((w.m, w.y), (w.w - w.m, w.y), color=(0.4, 0.4, 0.4), width=0.6)
        elif kind == "":
            if doc.layout == "email" and value.split(":")[0] in ("Van", "Verzonden", "Aan", "CC", "Onderwerp"):
                label, _, rest = value.partition(": ")
                w.room(13)
                w.y += 13
                w.text(w.m, w.y, label + ":", "bold", 9.5)
                w.text(w.m + 70, w.y, rest, "sans", 9.5)
            else:
                w.para(value, body_font, 10.5 if doc.layout == "handwritten" else 9.5)
    pdf.set_metadata({"title": doc.kind, "producer": "woo_blindset"})
    pdf.save(path)
    pdf.close()
    return Path(path)


# ---------------------------------------------------------------- blindness check


def _faker_tokens() -> set[str]:
    from woo_testset import _tokens

    tokens: set[str] = set()
    with open(FAKER, encoding="utf-8") as handle:
        for line in handle:
            tokens |= _tokens(line.split("\t")[0])
    return tokens


def person_tokens(docs: list[Doc] | None = None) -> set[str]:
    """Name tokens of the pools and of every generated PERSON value (initials and particles apart)."""
    from woo_testset import _tokens

    particles = {"van", "de", "der", "den", "ter", "t", "el"}
    tokens = {t for n in FEMALE + MALE for t in _tokens(n)} | {t for _, n in LAST for t in _tokens(n)}
    for doc in docs if docs is not None else make_docs():
        tokens |= {t for e, v in doc.secrets if e == "PERSON" for t in _tokens(v) if len(t) > 1}
    return tokens - particles


def check_pools(deduce_lookup=None) -> None:
    """Assert that no person-name token is in the training text, deduce's or the project's lists,
    the other pools, the faker name list, or (when given) deduce's lookup; and that no official's
    name is also a person's (raises AssertionError)."""
    from woo_testset import _in_deduce, _tokens, list_vocabulary, other_pools, training_vocabulary

    seen = training_vocabulary() | list_vocabulary() | other_pools() | _faker_tokens()
    people = person_tokens()
    for token in sorted(people):
        assert token not in seen, f"blind person-name token is seen elsewhere: {token}"
        assert not _in_deduce(token, deduce_lookup), f"blind person-name token is in deduce: {token}"
    officials = {t for _, n in OFFICIALS for t in _tokens(n) if len(t) > 1}
    assert not officials & people, f"an official is also a person: {officials & people}"
