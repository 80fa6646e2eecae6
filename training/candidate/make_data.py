"""Build the licence-clean training data for the shipped Dutch NER pipeline (PER only).

Sources (see models/README.md):
  1. Generated Woo-style sentences: letters, e-mail headers, signatures, attendee lists, phone
     notes, minutes, forms, table rows, legal and news-like prose, with names of many origins in
     every Dutch written form (initials, particles, "Surname, First name", all caps, lower case),
     and hard negatives (places, organisations, streets, months, capitalised sentence starts, and
     streets, hospitals, museums, firms and laws named after people; brands; e-mail addresses).
     Templates: training/templates.txt and training/templates_more.txt. Half of the names are
     made up (training/names_generated.txt, training/make_names.py: in no name list), the rest
     come from deduce's lookup lists (LGPL-3, used as data) and a short list of foreign names.
  2. Tweede Kamer Handelingen 2017-2018 (../shared/data/tk-handelingen-2018-nl, Dutch State
     publication, reusable under Auteurswet art. 15b), silver-labelled: every speaker surname
     from the structured metadata is marked PER where it occurs in the text.
CoNLL-2002 is NOT used here (research-only licence); it is only used to evaluate.

Usage: python training/candidate/make_data.py OUTDIR  (writes train.spacy and dev.spacy)
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

import spacy
from spacy.tokens import Doc, DocBin

from woo_anon import lists

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests"))
import synth  # noqa: E402  (test-data generator, tests/synth.py)

ROOT = Path(__file__).resolve().parents[2]
TK = ROOT.parent / "shared" / "data" / "tk-handelingen-2018-nl" / "handelingen-tk-20172018.jsonl"

FOREIGN_FIRST = ["Mohammed", "Fatima", "Youssef", "Khadija", "Mehmet", "Ayşe", "Emre", "Zeynep",
                 "Rajesh", "Sunita", "Kishan", "Priya", "Wojciech", "Agnieszka", "Piotr", "Olga",
                 "Kofi", "Ama", "Carlos", "María", "João", "Luca", "Giulia", "Pierre", "Amélie",
                 "Hans", "Jürgen", "Dmitri", "Oksana", "Wei", "Mei", "Thanh", "Ahmed", "Soufiane",
                 "Naima", "Bilal", "Hatice", "Murat", "Ibrahim", "Samira", "Ravi", "Anand", "Tomasz",
                 "Katarzyna", "Jelena", "Milan", "Ivan", "Kevin", "Jennifer", "Michael", "Sarah"]
FOREIGN_LAST = ["Yılmaz", "Kaya", "Demir", "Şahin", "Öztürk", "Çelik", "El Amrani", "Bouzid",
                "Benali", "El Idrissi", "Ait Taleb", "Ramdin", "Jagessar", "Sewdien", "Mahabier",
                "Kowalski", "Nowak", "Wiśniewski", "Lewandowski", "Nguyen", "Tran", "Rossi",
                "García", "Fernandes", "Dubois", "Müller", "Schmidt", "Ivanov", "Petrović",
                "Mensah", "Asante", "Okafor", "Smith", "Johnson", "O'Brien", "D'Souza", "Chen"]
ROLES = ["beleidsmedewerker", "adviseur ruimtelijke ordening", "teamleider Vergunningen",
         "juridisch adviseur", "projectleider", "medewerker Publiekszaken", "senior adviseur",
         "casemanager Wmo", "coördinator", "handhaver", "wijkagent", "secretaris"]
ORGS = ["gemeente {L}", "GGD {L}", "Rijkswaterstaat", "het ministerie van VWS", "Provincie Utrecht",
        "Politie Eenheid Amsterdam", "Stichting Welzijn {L}", "Woningcorporatie Eigen Haard",
        "de Omgevingsdienst", "Veiligheidsregio {L}", "het college van B en W", "DUO",
        "de Belastingdienst", "het UWV", "Bouwbedrijf Van Wijk B.V.", "Vitens", "de Raad van State",
        "Ajax", "PSV", "Feyenoord", "de Tweede Kamer", "de VNG", "Sociale Dienst {L}"]
MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december"]
TITLES_M = ["de heer", "dhr.", "De heer", "meneer"]
TITLES_F = ["mevrouw", "mevr.", "Mevrouw", "mw."]


GENERATED = ROOT / "training" / "names_generated.txt"
# hard negatives: places, institutions, laws and firms that carry a person's name, and brands
STREET_FORMS = ["Burgemeester {L}laan", "{F} {L}straat", "{L}plein", "Prof. {L}weg", "Dr. {F} {L}laan",
                "{L}singel", "Pastoor {L}straat", "{F}hof", "{L}kade", "Koningin {F}laan"]
HOUSE_FORMS = ["{F} {L} Ziekenhuis", "{L} Museum", "Museum {L}", "{F} {L}huis", "{F} {L} College",
               "{L}kazerne", "{F} {L} Academie", "{L} Gasthuis", "{F} {L}school", "{F} {L} Stichting",
               "{L}-instituut"]
HOUSES = ["Jeroen Bosch Ziekenhuis", "Antoni van Leeuwenhoek", "Van Gogh Museum", "Anne Frank Huis",
          "Rembrandthuis", "Erasmus MC", "Máxima Medisch Centrum", "Juliana Kinderziekenhuis",
          "Spaarne Gasthuis", "Sint Maartenskliniek", "Prinses Máxima Centrum", "Boerhaave Museum",
          "Willem-Alexanderkazerne", "Johan Cruijff ArenA", "Abe Lenstra Stadion", "Frans Hals Museum"]
LAWS = ["Wet Mulder", "Wet open overheid", "Algemene verordening gegevensbescherming", "Omgevingswet",
        "Wet maatschappelijke ondersteuning 2015", "Wet Bibob", "Opiumwet", "Gemeentewet",
        "Wet tijdelijk huisverbod", "Participatiewet", "Huisvestingswet 2014", "Wet Kinderopvang"]
BRANDS = ["Albert Heijn", "Hema", "Philips", "Heineken", "Jumbo", "Blokker", "Van der Valk", "Kruidvat",
          "Dirk van den Broek", "Douwe Egberts", "KPN", "Vattenfall", "Ziggo", "Gamma", "Action", "Lidl"]
FIRM_FORMS = ["{L} Bouw B.V.", "Installatiebedrijf {L} B.V.", "{L} & Zonen B.V.", "{L} Transport B.V.",
              "Autobedrijf {L} B.V.", "{L} Advocaten", "Adviesbureau {L} & {L2}"]
MAIL_DOMAINS = ["gemeente.nl", "provincie.nl", "minvws.nl", "ggd.nl", "hotmail.com", "gmail.com", "ziggo.nl"]


def generated_names() -> tuple[list[str], list[str]]:
    """The made-up first names and surnames of training/make_names.py (in no name list)."""
    rows = [line.split("\t") for line in GENERATED.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")]
    return [n for k, n in rows if k == "F"], [n for k, n in rows if k == "L"]


class Namer:
    """Draws names and renders them in the forms Dutch documents use.

    Half of the first names and surnames are made up (training/names_generated.txt), so the model
    has to learn names from shape and context instead of from list membership.
    """

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        common = lists.common_words()
        self.first = [n for n in lists.first_names() if len(n) > 2 and n.lower() not in common]
        self.last = [n for n in lists.surnames() if len(n) > 2 and n.lower() not in common]
        self.gen_first, self.gen_last = generated_names()
        self.ix = ["van", "de", "van der", "van den", "van de", "ter", "ten", "den", "te", "in 't", "op de",
                   "de la", "da", "dos", "el", "al", "bin", "von", "le", "di"]

    def first_name(self) -> str:
        r = self.rng.random()
        pool = self.gen_first if r < 0.5 else self.first if r < 0.9 else FOREIGN_FIRST
        return self.rng.choice(pool)

    def surname(self) -> str:
        r = self.rng.random()
        pool = self.gen_last if r < 0.5 else self.last if r < 0.9 else FOREIGN_LAST
        return self.rng.choice(pool)

    def person(self) -> tuple[str, str, str]:
        r = self.rng
        interfix = r.choice(self.ix[:11] if r.random() < 0.85 else self.ix[11:]) if r.random() < 0.3 else ""
        last = self.surname()
        if r.random() < 0.08:
            last = f"{last}-{r.choice(['', 'de ', 'van '])}{self.surname()}"
        return self.first_name(), interfix, last

    def _initials(self, first: str, dots: bool = True) -> str:
        letters = first[0] + "".join(self.rng.choice("ABCDEGHJKLMNPRSTWY") for _ in range(self.rng.randint(0, 2)))
        if not dots:
            return letters
        return ("" if self.rng.random() < 0.85 else " ").join(f"{c}." for c in letters)

    def render(self, form: str) -> str:
        first, ix, last = self.person()
        initials = self._initials(first)
        sur_lower = f"{ix} {last}".strip()
        sur_cap = sur_lower[0].upper() + sur_lower[1:]
        forms = {"full": lambda: f"{first} {sur_lower}", "init": lambda: f"{initials} {sur_lower}",
                 "sur": lambda: sur_cap, "rev": lambda: f"{sur_cap}, {first}", "first": lambda: first,
                 "revinit": lambda: f"{last}, {initials}" + (f" {ix}" if ix else ""),
                 "caps": lambda: f"{first} {sur_lower}".upper(), "capsur": lambda: sur_lower.upper(),
                 "lower": lambda: f"{first} {sur_lower}".lower(),
                 "initnd": lambda: f"{self._initials(first, dots=False)} {sur_lower}",
                 "finit": lambda: f"{first} {self.rng.choice('ABCDEHJKMPRSTW')}. {sur_lower}"}
        return forms[form]()

    def fill_form(self, form: str) -> str:
        """A street, house, firm name made with a person's name ({F}, {L}, {L2} slots)."""
        return (form.replace("{F}", self.first_name()).replace("{L2}", self.surname())
                .replace("{L}", self.surname()))


def _negative(key: str, namer: Namer, rng: random.Random) -> str:
    if key == "M":
        return namer.fill_form(rng.choice(STREET_FORMS)) + f" {rng.randint(1, 200)}" * (rng.random() < 0.5)
    if key == "H":
        return rng.choice(HOUSES) if rng.random() < 0.4 else namer.fill_form(rng.choice(HOUSE_FORMS))
    if key == "W":
        return rng.choice(LAWS)
    if key == "B":
        return rng.choice(BRANDS) if rng.random() < 0.5 else namer.fill_form(rng.choice(FIRM_FORMS))
    # E: an e-mail address (one token, never a PER span: e-mail is found by its own recogniser)
    first, _, last = namer.person()
    local = rng.choice([f"{first}.{last}", f"{first[0]}.{last}", f"{last}{rng.randint(1, 99)}", "info"])
    return f"{local.lower().replace(' ', '')}@{rng.choice(MAIL_DOMAINS)}"


def _fill(template: str, namer: Namer, rng: random.Random) -> tuple[str, list[tuple[int, int]]]:
    """Replace {P:form} with names (labelled) and the other slots with negatives."""
    text, spans, pos = "", [], 0
    for match in re.finditer(r"\{(P:\w+|L|O|D|S|R|N|T|M|H|W|B|E)\}", template):
        text += template[pos:match.start()]
        key = match.group(1)
        if key.startswith("P:"):
            value = namer.render(key[2:])
            if spans and text[spans[-1][1]:] == " ":  # "{P:first} {P:sur}" is one name
                spans[-1] = (spans[-1][0], len(text) + len(value))
            else:
                spans.append((len(text), len(text) + len(value)))
        elif key in "MHWBE":
            value = _negative(key, namer, rng)
        elif key == "L":
            value = rng.choice(synth.PLACES + ["Zaandam", "Hoorn", "Emmen", "Venlo", "Assen", "Gouda", "Diemen", "Purmerend"])
        elif key == "O":
            value = rng.choice(ORGS).replace("{L}", rng.choice(synth.PLACES))
        elif key == "D":
            value = f"{rng.randint(1, 28)} {rng.choice(MONTHS)} {rng.randint(2015, 2025)}"
        elif key == "S":
            value = f"{rng.choice(synth.STREETS)} {rng.randint(1, 200)}"
        elif key == "R":
            value = rng.choice(ROLES)
        elif key == "T":
            value = rng.choice(TITLES_M + TITLES_F)
        else:
            value = str(rng.randint(2, 95))
        text += value
        pos = match.end()
    return text + template[pos:], spans


TEMPLATES = [t for name in ("templates.txt", "templates_more.txt")
             for t in (ROOT / "training" / name).read_text(encoding="utf-8").split("\n---\n") if t.strip()]


def synthetic_docs(nlp, n: int, rng: random.Random) -> list[Doc]:
    namer = Namer(rng)
    docs = []
    for _ in range(n):
        template = rng.choice(TEMPLATES).strip("\n").replace("\\n", "\n").replace("\\t", "\t")
        text, spans = _fill(template, namer, rng)
        doc = _doc(nlp, text, spans)
        if doc is not None:
            docs.append(doc)
    return docs


def tk_docs(nlp) -> list[Doc]:
    turns = [json.loads(line) for line in TK.read_text(encoding="utf-8").splitlines()]
    surnames = {t["speaker_surname"] for t in turns
                if t["speaker_surname"] and t["speaker_surname"][0].isupper()}
    pattern = re.compile(r"(?<![\w])(" + "|".join(sorted(map(re.escape, surnames), key=len, reverse=True)) + r")(?![\w])")
    docs = []
    for turn in turns:
        for paragraph in turn["paragraphs"]:
            spans = [(m.start(), m.end()) for m in pattern.finditer(paragraph)]
            doc = _doc(nlp, paragraph, spans)
            if doc is not None:
                docs.append(doc)
    return docs


def _doc(nlp, text: str, spans: list[tuple[int, int]]) -> Doc | None:
    doc = nlp.make_doc(text)
    ents = []
    for start, end in spans:
        span = doc.char_span(start, end, label="PER", alignment_mode="strict")
        if span is None:
            return None  # cannot align: better no example than a wrong one
        ents.append(span)
    try:
        doc.ents = ents
    except ValueError:
        return None
    return doc


def main(outdir: str) -> None:
    rng = random.Random(0)
    nlp = spacy.blank("nl")
    docs = synthetic_docs(nlp, 40000, rng) + tk_docs(nlp)
    rng.shuffle(docs)
    cut = len(docs) // 10
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    DocBin(docs=docs[cut:]).to_disk(out / "train.spacy")
    DocBin(docs=docs[:cut]).to_disk(out / "dev.spacy")
    ents = sum(len(d.ents) for d in docs)
    print(f"{len(docs)} docs, {sum(len(d) for d in docs)} tokens, {ents} PER spans -> {out}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "build/ner-data")
