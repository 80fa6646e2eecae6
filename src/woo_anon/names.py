"""Person names by rules and lists: titles and salutations, initials, e-mail headers, signature
blocks, attendee lists, known first names, plus document-wide propagation.

The spaCy model (detect.py) finds names in running text; these rules cover the places where
Dutch documents put names in fixed forms, which models miss most.
"""

from __future__ import annotations

from functools import lru_cache

import regex
from presidio_analyzer import EntityRecognizer, RecognizerResult

from woo_anon import lists
from woo_anon.recognizers.contact import FUNCTIONAL_MAILBOXES

# Endings of company names: "Bouwadvies", "Van Wijk Installaties".
ORG_SUFFIXES = ("advies", "bouw", "beheer", "groep", "holding", "consult", "services", "diensten",
                "partners", "techniek", "makelaardij", "bureau", "centrum", "fonds", "vastgoed",
                "installaties", "media", "solutions", "management", "adviseurs", "zorg", "wonen")
UP, LOW = r"\p{Lu}", r"[\p{Ll}'’]"
WORD = UP + LOW + r"+(?:" + UP + r"\p{Ll}+)?"  # Jansen, D'Souza, McDonald
TITLES = (r"de heer|heer|mevrouw|mevr\.?|mw\.?|dhr\.?|mr\.|dr\.|drs\.|ir\.|ing\.|prof\.|"
          r"familie|fam\.|Mr\.?|Mrs\.?|Ms\.?|meneer|mijnheer|juffrouw")
SALUTATIONS = r"Geachte|Beste|Hoi|Hallo|Hai|Hi|Dag|Lieve|Dear|Goedemorgen|Goedemiddag|Beste collega"
# Verbs that follow a surname in minutes and notes: "Kraaijeveld meldt dat ..."
REPORTING_VERBS = (r"meldt|vraagt|zegt|geeft aan|stelt voor|stelt|antwoordt|merkt op|licht toe|"
                   r"deelt mee|deelt mede|benadrukt|reageert|belt|mailt|bevestigt|zegt toe|"
                   r"informeert|vertelt|legt uit|vindt|pleit|concludeert|vat samen|heet|opent|sluit")

# Nouns after which a capitalised name is a person: "mijn buurman Ioana Zeeman".
PERSON_NOUNS = (r"buurman|buurvrouw|buren|bewoner|bewoonster|melder|klager|aanvrager|aanvraagster|"
                r"cliënt|client|collega|zoon|dochter|vader|moeder|echtgenoot|echtgenote|partner|"
                r"broer|zus|zuster|oom|tante|neef|nicht|opa|oma|medewerker|medewerkster|consulent|"
                r"getuige|verdachte|betrokkene|huurder|huurster|verhuurder|eigenaar|eigenaresse|"
                r"bezoeker|patiënt|advocaat|gemachtigde|contactpersoon|behandelaar|casemanager|"
                r"mijn man|mijn vrouw|vriend|vriendin|leerling|student|werknemer|werkgever|"
                r"beller|indiener|bezwaarmaker|appellant|eiser|verweerder|slachtoffer")
OFFICIAL_ROLES = (r"burgemeester|wethouder|loco-burgemeester|gemeentesecretaris|raadslid|"
                  r"raadsleden|fractievoorzitter|woordvoerder|minister|staatssecretaris|griffier|"
                  r"commissaris van de koning|gedeputeerde|dijkgraaf|kamerlid|ombudsman|"
                  r"directeur-generaal|secretaris-generaal|voorzitter van de raad")


@lru_cache(maxsize=1)
def _interfix() -> str:
    items = sorted(lists.interfixes(), key=len, reverse=True)
    return "(?:" + "|".join(regex.escape(i).replace(r"\ ", " ") for i in items) + ")"


@lru_cache(maxsize=1)
def _patterns() -> dict[str, regex.Pattern]:
    ix = "(?i:" + _interfix() + ")"
    initials = r"(?:(?!(?:Mr|Dr|Ir|Mw|St|Nr|Drs|Ing|Prof|Fa|Tel|Fax|Dhr|Mevr|Dhr)\.)" + UP + r"\p{Ll}{0,2}\.[ ]?){1,5}"
    surname = r"(?:" + ix + r"[ ])?" + WORD + r"(?:-(?:" + ix + r"[ ])?" + WORD + r")?"
    gap = r"(?:[ ]|\n(?=\p{Lu}))"  # a name may wrap onto the next line
    name = r"(?:" + initials + r"[ ]?)?(?:" + WORD + gap + r")?(?:" + WORD + gap + r")?" + surname
    return {
        "title": regex.compile(r"(?<![\w])(?<!-\n)(?i:" + TITLES + r")[ ]+(?:\n)?(?P<name>" + name + r")"),
        "noun": regex.compile(r"(?<![\w])(?i:" + PERSON_NOUNS + r")[ ]?\n?[ ]?(?P<name>" + name + r")"),
        "reporting": regex.compile(r"(?:^|(?<=[.:;!?][ ]))(?P<name>(?:" + ix + r"[ ])?" + WORD
                                   + r"(?:-" + WORD + r")?)[ ](?:" + REPORTING_VERBS + r")(?![\w])", regex.M),
        "label": regex.compile(r"(?i)(?<![\w])(?:actie|actiehouder|trekker|eigenaar|behandeld door|"
                               r"behandelaar|contactpersoon|opgesteld door|auteur|steller|paraaf|"
                               r"namens|ondertekend door|getekend)[ \t]*:[ \t]*(?P<name>" + name + r")(?=[ \t]*(?:[.,;)\n]|$))"),
        "salutation": regex.compile(r"(?<![\w])(?:" + SALUTATIONS + r")[ ]+(?!(?i:" + TITLES + r")\b)(?P<name>" + name + r")"),
        "initials": regex.compile(r"(?<![\w.])(?P<name>" + initials + r"[ ]?" + surname + r")"),
        "first_last": regex.compile(r"(?<![\w.-])(?P<first>" + WORD + r")[ ](?P<rest>(?:" + WORD + r"[ ])?" + surname + r")"),
        "line_name": regex.compile(r"^[ \t]*(?:(?i:" + TITLES + r")[ ]+)?(?P<name>" + name + r")[ \t]*,?[ \t]*$", regex.M),
        "reversed": regex.compile(r"(?P<name>" + surname + r",[ ](?:" + initials + r"|" + WORD + r")(?:[ ]\(" + WORD + r"\))?)"),
        "role": regex.compile(r"(?i:" + OFFICIAL_ROLES + r")[ ,]+(?:\n)?(?:(?i:" + TITLES + r")[ ]+)?(?P<name>" + name + r")"),
    }


HEADER = regex.compile(r"^[ \t]*(?:Van|Aan|CC|Cc|Bcc|BCC|From|To|Afzender|Geadresseerde)[ \t]*:[ \t]*(?P<value>.+)$", regex.M)
SIGN_OFF = regex.compile(r"(?i)^[ \t]*(?:met )?(?:vriendelijke|hartelijke|collegiale|beste) groet(?:en)?,?[ \t]*$|^[ \t]*(?:hoogachtend|groet(?:en)?|mvg|m\.v\.g\.|kind regards|regards|namens deze)[ \t,]*$", regex.M)
ATTENDEES = regex.compile(r"(?im)^[ \t]*(?:aanwezig(?:en)?|afwezig|afgemeld|afmeldingen|deelnemers|genodigden|notulist|notulen|voorzitter|verslag|verslaglegging|met kennisgeving afwezig)[ \t]*:[ \t]*(?P<value>.*(?:\n(?![ \t]*\n)(?![^\n]*:).*){0,12})")
ORG_HINTS = ["gemeente", "team", "loket", "afdeling", "ministerie", "info", "secretariaat", "raad",
             "college", "provincie", "stichting", "b.v.", "bv", "directie", "dienst", "bureau",
             "ggd", "politie", "servicedesk", "woo", "postbus", "griffie", "redactie", "unit",
             "sector", "cluster", "rijkswaterstaat", "rijksoverheid", "kantoor", "groep", "alle"]


@lru_cache(maxsize=1)
def _not_names() -> frozenset[str]:
    return frozenset(lists._read(lists.DATA / "not_names.txt"))


def _is_nameish(tokens: list[str], strong: bool) -> bool:
    """Reject spans made only of ordinary words, months, places or organisation words.

    Strong rules (a title, initials, a header or list position) only reject words that are never
    names; weak ones (a known first name before a capitalised word) also reject ordinary words.
    """
    content = [t.strip(",") for t in tokens
               if t.lower() not in lists.interfixes() and not t.endswith(".")]
    parts = [p.lower() for t in tokens for p in regex.split(r"[-/]", t.strip(",")) if p]
    if not content or any(p in ORG_HINTS for p in parts):
        return False
    if _STREETISH.search(content[-1]) and content[-1] not in lists.surnames():
        return False  # "de Withstraat" is a street
    if all(t.lower() in _not_names() for t in content):
        return False
    if len(content) == 1 and len(tokens) == 1 and (len(content[0]) < 2 or (
            content[0].lower() in lists.common_words() and content[0] not in lists.surnames())):
        return False  # "In", "De", "Het": a lone ordinary word is never a name
    if strong:
        return True
    places = lists.places()
    return not all(lists.is_ordinary_word(t) or t.lower() in places for t in content)


STRONG_RULES = {"title/salutation", "person noun + name", "labelled name (actie, behandeld door)", "initials + surname", "Achternaam, Voornaam", "e-mail header",
                "signature block", "attendee list", "public official (role named)"}


def _tokens(text: str) -> list[str]:
    return [t for t in regex.split(r"[ \n\t]+", text) if t]


def _res(start: int, end: int, score: float, rule: str, entity: str = "PERSON") -> RecognizerResult:
    return RecognizerResult(entity, start, end, score,
                            recognition_metadata={"recognizer_name": "NameRules", "reason": rule})


class NameRuleRecognizer(EntityRecognizer):
    """Rule- and list-based person names; officials in office are reported as PERSON_OFFICIAL."""

    def __init__(self, supported_language: str = "nl") -> None:
        super().__init__(supported_entities=["PERSON", "PERSON_OFFICIAL"], name="NameRules",
                         supported_language=supported_language)

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        found = (self._titled(text) + self._headers(text) + self._signatures(text)
                 + self._attendees(text) + self._first_last(text) + self._roles(text))
        kept = []
        for result in found:
            result = _clean_edges(text, result)
            strong = result.recognition_metadata["reason"] in STRONG_RULES
            if result.end > result.start and _is_nameish(_tokens(text[result.start:result.end]), strong):
                kept.append(result)
        return kept

    def _titled(self, text: str) -> list[RecognizerResult]:
        pats = _patterns()
        out = [_trimmed(text, m.start("name"), m.end("name"), 0.85, "title/salutation")
               for key in ("title", "salutation") for m in pats[key].finditer(text)]
        out += [_trimmed(text, m.start("name"), m.end("name"), 0.75, "person noun + name")
                for m in pats["noun"].finditer(text)]
        out += [_res(m.start("name"), m.end("name"), 0.7, "surname + reporting verb")
                for m in pats["reporting"].finditer(text)]
        out += [_res(m.start("name"), m.end("name"), 0.8, "labelled name (actie, behandeld door)")
                for m in pats["label"].finditer(text)]
        out += [_trimmed(text, m.start("name"), m.end("name"), 0.8, "initials + surname")
                for m in pats["initials"].finditer(text)]
        out += [_res(m.start("name"), m.end("name"), 0.8, "Achternaam, Voornaam")
                for m in pats["reversed"].finditer(text) if self._reversed_ok(m.group("name"))]
        return [r for r in out if r is not None]

    @staticmethod
    def _reversed_ok(value: str) -> bool:
        first = value.split(",")[1].strip().split(" ")[0]
        return first.endswith(".") or first in lists.first_names()

    def _headers(self, text: str) -> list[RecognizerResult]:
        out = []
        for match in HEADER.finditer(text):
            value, base = match.group("value"), match.start("value")
            for part in regex.finditer(r"[^;]+", value):
                out += self._header_part(text, base + part.start(), part.group())
        return out

    def _header_part(self, text: str, base: int, part: str) -> list[RecognizerResult]:
        """`Terpstra, Jan <j.terpstra@x.nl>`, `'Jan Terpstra'`, `Jan Terpstra [mailto:…]`."""
        cut = regex.search(r"[<\[(]|\S+@\S+", part)
        name = part[: cut.start()] if cut else part
        mailbox = regex.search(r"([\w.+-]+)@", part)
        if mailbox and mailbox.group(1).lower() in FUNCTIONAL_MAILBOXES:
            return []  # "Woo-loket <woo@…>": an organisation's mailbox, not a person
        stripped = name.strip(" \t'\"")
        if not stripped or any(ch.isdigit() for ch in stripped) or len(stripped.split()) > 6:
            return []
        if " " not in stripped and "," not in stripped and stripped not in lists.surnames() \
                and stripped not in lists.first_names():
            return []  # one unknown word ("Klantcontactcentrum") is a department, not a person
        start = base + name.index(stripped)
        return [_res(start, start + len(stripped), 0.85, "e-mail header")]

    def _signatures(self, text: str) -> list[RecognizerResult]:
        out = []
        for match in SIGN_OFF.finditer(text):
            following = text[match.end(): match.end() + 200]
            for line in regex.finditer(r"[^\n]+", following):
                if not line.group().strip():
                    continue
                hit = _patterns()["line_name"].match(line.group())
                if hit:
                    start = match.end() + line.start() + hit.start("name")
                    out.append(_res(start, start + len(hit.group("name")), 0.8, "signature block"))
                    break
                if line.start() > 120:
                    break
        return out

    def _attendees(self, text: str) -> list[RecognizerResult]:
        out = []
        for match in ATTENDEES.finditer(text):
            base = match.start("value")
            for item in regex.finditer(r"[^,;\n]+", match.group("value")):
                if "(" in item.group() or ")" in item.group():
                    value = regex.split(r"\s*[(\-–]", item.group())[0]
                    if not value.strip() or ")" in value:
                        continue
                else:
                    value = item.group()
                value = regex.sub(r"\s+(?:en|and)\s+.*$", "", value).rstrip(" .")
                stripped = value.strip()
                if not stripped or any(ch.isdigit() for ch in stripped) or len(stripped.split()) > 6:
                    continue
                if not regex.match(r"^(?:(?i:" + TITLES + r")[ ]+)?[\p{Lu}]", stripped):
                    continue
                start = base + item.start() + item.group().index(stripped)
                out.append(_res(start, start + len(stripped), 0.8, "attendee list"))
                # "Jan Jansen en Piet de Vries": also the part after "en"
                for extra in regex.finditer(r"\s(?:en|and)\s+(?P<n>[\p{Lu}][^,;()]*)", item.group()):
                    s2 = base + item.start() + extra.start("n")
                    out.append(_res(s2, s2 + len(extra.group("n").rstrip(" .")), 0.75, "attendee list"))
        return out

    def _first_last(self, text: str) -> list[RecognizerResult]:
        firsts, common = lists.first_names(), lists.common_words()
        out = []
        for m in _patterns()["first_last"].finditer(text, overlapped=True):
            first = m.group("first")
            if first not in firsts or first.lower() in common:
                continue
            last = _tokens(m.group("rest"))[-1]
            if last.lower() in common and last not in lists.surnames():
                continue
            out.append(_res(m.start(), m.end(), 0.7, "known first name + surname"))
        return out

    def _roles(self, text: str) -> list[RecognizerResult]:
        return [_res(m.start("name"), m.end("name"), 0.9, "public official (role named)",
                     entity="PERSON_OFFICIAL")
                for m in _patterns()["role"].finditer(text)]


_STREETISH = regex.compile(r"(?i)(?:straat|laan|weg|plein|gracht|kade|singel|dreef|steeg|plantsoen)\b")
_LEADING_TITLE = regex.compile(r"^(?i:" + TITLES + r")[ ]+")


def _clean_edges(text: str, result: RecognizerResult) -> RecognizerResult:
    """Strip quotes, commas and a leading title from a name span."""
    start, end = result.start, result.end
    while end > start and text[end - 1] in "'\"’,;: ":
        end -= 1
    while start < end and text[start] in "'\"‘ ":
        start += 1
    title = _LEADING_TITLE.match(text[start:end])
    if title and title.end() < end - start:
        start += title.end()
    wrap = text.find("\n", start, end)
    if wrap >= 0:
        continuation = text[wrap + 1:end]
        if _STREETISH.search(continuation) or regex.match(r"[ ]?\d", text[end:end + 3]):
            end = wrap  # "F. Hendriks\nKerkstraat 12": the next line is an address, not the name
    result.start, result.end = start, end
    return result


def _trimmed(text: str, start: int, end: int, score: float, rule: str) -> RecognizerResult | None:
    """Drop trailing ordinary words a greedy match took along ("Jansen Gemeente")."""
    tokens = list(regex.finditer(r"\S+", text[start:end]))
    stop = _not_names() | set(ORG_HINTS)
    while len(tokens) > 1 and (tokens[-1].group().lower().strip(",") in stop
                               or tokens[-1].group().lower().endswith(ORG_SUFFIXES)):
        tokens.pop()
        if len(tokens) > 1 and tokens[-1].group().lower() in lists.interfixes():
            tokens.pop()  # "Brouwer van [Bouwadvies]"
    if not tokens:
        return None
    return _res(start, start + tokens[-1].end(), score, rule)


# --- propagation --------------------------------------------------------------------------

def name_parts(name: str) -> list[str]:
    """Strings worth searching for elsewhere once `name` is known to be a person.

    "J.P. van der Berg" -> ["J.P. van der Berg", "van der Berg"]; "Jan Jansen" -> ["Jan Jansen",
    "Jansen", "Jan"]. Bare surnames that are also place names are only searched with their
    tussenvoegsel; ordinary words are never searched alone.
    """
    name = " ".join(name.split()).strip(" ,")
    parts = [name] if name else []  # the detected text itself, whatever its length
    tokens = name.split(" ")
    ix = lists.interfixes()
    common, places = lists.common_words(), lists.places()
    surname_start = len(tokens) - 1
    while surname_start > 0 and " ".join(tokens[surname_start - 1: surname_start]).lower() in ix | {
            t.split()[0] for t in ix}:
        surname_start -= 1
    surname = " ".join(tokens[surname_start:])
    last = tokens[-1]
    if surname != last:
        parts.append(surname)
    elif len(last) >= 3 and last.lower() not in common and last.lower() not in places:
        parts.append(last)
    for token in tokens[:surname_start]:
        if (len(token) >= 3 and not token.endswith(".") and token in lists.first_names()
                and token.lower() not in common and token.lower() not in places):
            parts.append(token)
    return list(dict.fromkeys(p for p in parts if p))


def _mention_body(part: str) -> str:
    body = regex.escape(part).replace(r"\ ", r"\s+")
    if part[:1].islower():  # a leading tussenvoegsel may be capitalised: "van der Berg"
        body = "(?i:" + body[0] + ")" + body[1:]
    return body


def find_mentions(text: str, part: str) -> list[tuple[int, int]]:
    """Whole-word occurrences of a name part."""
    pattern = r"(?<![\w])" + _mention_body(part) + r"(?![\w])"
    return [(m.start(), m.end()) for m in regex.finditer(pattern, text)]


def mentions_matcher(parts: list[str]) -> regex.Pattern | None:
    """One pattern for many name parts (longest first), overlapping matches allowed."""
    if not parts:
        return None
    bodies = [_mention_body(p) for p in sorted(set(parts), key=len, reverse=True)]
    return regex.compile(r"(?<![\w])(?:" + "|".join(bodies) + r")(?![\w])")


def names_from_email(address: str) -> list[str]:
    """`j.terpstra@x.nl` -> ["Terpstra"]; `jan.de.vries@` -> ["Jan", "de Vries"]."""
    local = address.split("@")[0].lower()
    tokens = [t for t in regex.split(r"[._\-]+", local) if t]
    out = []
    for token in tokens:
        cap = token.capitalize()
        if len(token) >= 3 and (cap in lists.surnames() or cap in lists.first_names()) \
                and token not in lists.common_words():
            out.append(cap)
    return out
