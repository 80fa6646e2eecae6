"""Build the licence-clean training data for the shipped Dutch NER pipeline (PER only).

Sources (see models/README.md):
  1. Generated Woo-style sentences: letters, e-mail headers, signatures, attendee lists, phone
     notes, news-like sentences, with names of many origins in every Dutch written form, and
     hard negatives (places, organisations, streets, months, capitalised sentence starts).
     Names come from deduce's lookup lists (LGPL-3, used as data) and the project's own lists.
  2. Tweede Kamer Handelingen 2017-2018 (../shared/data/tk-handelingen-2018-nl, Dutch State
     publication, reusable under Auteurswet art. 15b), silver-labelled: every speaker surname
     from the structured metadata is marked PER where it occurs in the text.
CoNLL-2002 is NOT used here (research-only licence); it is only used to evaluate.

Usage: python training/make_data.py OUTDIR  (writes train.spacy and dev.spacy)
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

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
import synth  # noqa: E402  (test-data generator, tests/synth.py)

ROOT = Path(__file__).resolve().parents[1]
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


class Namer:
    """Draws names and renders them in the forms Dutch documents use."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        common = lists.common_words()
        self.first = [n for n in lists.first_names() if len(n) > 2 and n.lower() not in common]
        self.last = [n for n in lists.surnames() if len(n) > 2 and n.lower() not in common]
        self.ix = ["van", "de", "van der", "van den", "van de", "ter", "ten", "den", "te", "in 't", "op de"]

    def person(self) -> tuple[str, str, str]:
        r = self.rng
        if r.random() < 0.3:
            return r.choice(FOREIGN_FIRST), "", r.choice(FOREIGN_LAST)
        interfix = r.choice(self.ix) if r.random() < 0.3 else ""
        last = r.choice(self.last)
        if r.random() < 0.08:
            last = f"{last}-{r.choice(['', 'de ', 'van '])}{r.choice(self.last)}"
        return r.choice(self.first), interfix, last

    def render(self, form: str) -> str:
        first, ix, last = self.person()
        initials = "".join(f"{c}." for c in first[0] + "".join(self.rng.choice("ABCDEGHJKMPRSTW") for _ in range(self.rng.randint(0, 2))))
        sur_lower = f"{ix} {last}".strip()
        sur_cap = sur_lower[0].upper() + sur_lower[1:]
        return {"full": f"{first} {sur_lower}", "init": f"{initials} {sur_lower}",
                "sur": sur_cap, "rev": f"{sur_cap}, {first}", "first": first,
                "revinit": f"{last}, {initials}" + (f" {ix}" if ix else "")}[form]


def _fill(template: str, namer: Namer, rng: random.Random) -> tuple[str, list[tuple[int, int]]]:
    """Replace {P:form} with names (labelled) and {L}, {O}, {D}, {S}, {R} with negatives."""
    text, spans, pos = "", [], 0
    for match in re.finditer(r"\{(P:\w+|L|O|D|S|R|N|T)\}", template):
        text += template[pos:match.start()]
        key = match.group(1)
        if key.startswith("P:"):
            value = namer.render(key[2:])
            spans.append((len(text), len(text) + len(value)))
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


TEMPLATES = [l for l in (ROOT / "training" / "templates.txt").read_text(encoding="utf-8").split("\n---\n") if l.strip()]


def synthetic_docs(nlp, n: int, rng: random.Random) -> list[Doc]:
    namer = Namer(rng)
    docs = []
    for _ in range(n):
        template = rng.choice(TEMPLATES).strip("\n").replace("\\n", "\n")
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
    docs = synthetic_docs(nlp, 30000, rng) + tk_docs(nlp)
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
