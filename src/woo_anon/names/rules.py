"""Person names by rules and lists: titles and salutations, initials, e-mail headers, signature
blocks, attendee lists, known first names, officials named with their role.

The spaCy model finds names in running text; these rules cover the places where Dutch documents
put names in fixed forms, which models miss most.
"""

from __future__ import annotations

import regex
from presidio_analyzer import EntityRecognizer, RecognizerResult

from woo_anon import lists
from woo_anon.evidence import only_weak_words
from woo_anon.model import Entity
from woo_anon.names import officials
from woo_anon.names.patterns import (ATTENDEES, HEADER, LEADING_TITLE, ORG_HINTS, ORG_SUFFIXES,
                                     SIGN_OFF, STREETISH, TITLES, patterns)
from woo_anon.names.cues import context_names, only_ordinary_words
from woo_anon.names.shape import is_nameish, only_non_person_words, tokens
from woo_anon.recognizers.contact import is_functional_mailbox

STRONG_RULES = {"title/salutation", "person noun + name", "labelled name (actie, behandeld door)", "initials + surname", "Achternaam, Voornaam", "e-mail header",
                "signature block", "attendee list", "public official (role named)",
                "job title + name", "particle + surname", "signature under a role line",
                "voting list", "name column", "salutation + lower-case name", "patronymic",
                "official named with role"}


# Rules where the text itself says a person is meant ("mevrouw X", "mijn buurman X", "Van: X").
EXPLICIT_RULES = {"title/salutation", "person noun + name", "labelled name (actie, behandeld door)",
                  "e-mail header", "job title + name", "voting list", "official named with role"}
# Words after a name that make it an institution's name: "Van Gogh Museum", "het Antoni van
# Leeuwenhoek ziekenhuis", "Erasmus Universiteit".
INSTITUTION_WORDS = regex.compile(r"(?i)^[ ]?(?:museum|ziekenhuis|school|college|lyceum|gymnasium|"
                                  r"universiteit|hogeschool|academie|instituut|kliniek|stichting|"
                                  r"fonds|prijs|huis|zaal|gebouw|centrum|plein|straat|laan|weg|"
                                  r"brug|park|kazerne|kerk|polder|tunnel|ziekte|syndroom|bank|"
                                  r"vereniging|bond|partij|krant|courant|omroep|orkest|theater)\b")


def _non_person(value: str, rule: str) -> bool:
    """Countries, parties, medical terms ("Griekenland, India", "E. Coli"), and an initial before
    an ordinary word that is no surname (a heading: "A. Openbaarheid")."""
    words = tokens(value.replace(",", " "))
    if only_non_person_words(words):
        return True
    if rule == "Achternaam, Voornaam" and any(lists.is_never_a_person(w) for w in words):
        return True
    last = words[-1] if words else ""
    return rule == "initials + surname" and len(words) == 2 and lists.is_ordinary_word(last)


def _res(start: int, end: int, score: float, rule: str, entity: str = Entity.PERSON) -> RecognizerResult:
    return RecognizerResult(entity, start, end, score,
                            recognition_metadata={"recognizer_name": "NameRules", "reason": rule})


class NameRuleRecognizer(EntityRecognizer):
    """Rule- and list-based person names; officials in office are reported as PERSON_OFFICIAL."""

    def __init__(self, supported_language: str = "nl") -> None:
        super().__init__(supported_entities=[Entity.PERSON, Entity.PERSON_OFFICIAL], name="NameRules",
                         supported_language=supported_language)

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        found = (self._titled(text) + self._headers(text) + self._signatures(text)
                 + self._attendees(text) + self._first_last(text) + self._roles(text)
                 + self._particles(text) + self._first_alone(text) + self._role_blocks(text)
                 + self._votes(text) + self._with_role(text) + context_names(text))
        kept = []
        for result in found:
            result = _clean_edges(text, result)
            rule = result.recognition_metadata["reason"]
            if rule not in EXPLICIT_RULES and (_non_person(text[result.start:result.end], rule)
                                               or in_institution_name(text, result.start, result.end)):
                continue
            if _street_before_number(text, result.start, result.end):
                continue  # "Adres melder\nHoefslag 22": a street with its house number
            strong = rule in STRONG_RULES
            if result.end > result.start and is_nameish(tokens(text[result.start:result.end]), strong):
                kept.append(result)
        return kept

    def _titled(self, text: str) -> list[RecognizerResult]:
        pats = patterns()
        out = [_trimmed(text, m.start("name"), m.end("name"), 0.85, "title/salutation")
               for key in ("title", "salutation") for m in pats[key].finditer(text)]
        out += [_res(m.start("name"), m.end("name"), 0.8, "title/salutation")
                for m in pats["title_caps"].finditer(text) if _caps_name_ok(m.group("name"))]
        out += [_trimmed(text, m.start("name"), m.end("name"), 0.75, "person noun + name")
                for m in pats["noun"].finditer(text) if not only_ordinary_words(m.group("name"))]
        out += [_res(m.start("name"), m.end("name"), 0.7, "surname + reporting verb")
                for m in pats["reporting"].finditer(text) if not only_weak_words(m.group("name"))]
        out += [_res(m.start("name"), m.end("name"), 0.8, "labelled name (actie, behandeld door)")
                for m in pats["label"].finditer(text)]
        out += [_trimmed(text, m.start("name"), m.end("name"), 0.8, "job title + name")
                for m in pats["job"].finditer(text) if not only_ordinary_words(m.group("name"))]
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
        if mailbox and is_functional_mailbox(mailbox.group(1)):
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
                hit = patterns()["line_name"].match(line.group())
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
        for m in patterns()["first_last"].finditer(text, overlapped=True):
            first = m.group("first")
            if first not in firsts or first.lower() in common:
                continue
            rest = tokens(m.group("rest"))
            last, end = rest[-1], m.end()
            if len(rest) > 1 and lists.is_ordinary_word(last) and last[0].isupper():
                end = m.start("rest") + m.group("rest").rindex(last) - 1  # "Jan Smit Geboortedatum"
                last = rest[-2]
            if last.lower() in common and last not in lists.surnames():
                continue
            out.append(_res(m.start(), end, 0.7, "known first name + surname"))
        return out

    def _roles(self, text: str) -> list[RecognizerResult]:
        return [_res(m.start("name"), m.end("name"), 0.9, "public official (role named)",
                     entity=Entity.PERSON_OFFICIAL)
                for m in patterns()["role"].finditer(text)]

    def _particles(self, text: str) -> list[RecognizerResult]:
        """A surname with a capitalised particle inside a sentence ("met Van der Graeff"), not a
        place ("in Den Haag") and not a particle before an ordinary word ("De Telegraaf")."""
        out = []
        for m in patterns()["particle"].finditer(text):
            value = m.group("name")
            last = tokens(value)[-1]
            if lists.fold(value) in lists.places() or lists.is_never_a_person(value) or (
                    lists.is_ordinary_word(last) and last not in lists.interfix_surnames()):
                continue
            out.append(_res(m.start("name"), m.end("name"), 0.75, "particle + surname"))
        return out

    def _first_alone(self, text: str) -> list[RecognizerResult]:
        """A known first name alone opening a sentence ("Marloes neemt haar taken waar"), when
        the word is no ordinary word, place, country or organisation."""
        firsts, common, lexicon = lists.first_names(), lists.common_words(), lists.lexicon()
        out = []
        for m in patterns()["first_alone"].finditer(text):
            word = m.group("name")
            low = word.lower()
            following = text[m.end():m.end() + 12].split()
            if following and following[0].lower() in lists.interfixes():
                continue  # "Anna de Vries": the whole name is found by other rules
            if word in firsts and low not in common and low not in lexicon \
                    and low not in lists.places() and not lists.is_never_a_person(word):
                out.append(_res(m.start("name"), m.end("name"), 0.6, "first name alone"))
        return out

    def _role_blocks(self, text: str) -> list[RecognizerResult]:
        """The signature under a role line (names/officials.py)."""
        return [_res(start, end, 0.9, rule, Entity.PERSON_OFFICIAL)
                for start, end, rule in officials.role_blocks(text)]

    def _with_role(self, text: str) -> list[RecognizerResult]:
        """"de heer X als wethouder": an official acting in office (names/officials.py)."""
        return [_res(start, end, 0.9, rule, Entity.PERSON_OFFICIAL)
                for start, end, rule in officials.named_with_role(text)]

    def _votes(self, text: str) -> list[RecognizerResult]:
        """Members named in a vote are officials acting in office (names/officials.py)."""
        return [_res(start, end, 0.85, rule, Entity.PERSON_OFFICIAL)
                for start, end, rule in officials.votes(text)]


_HOUSE_NUMBER = regex.compile(r"[ ]\d{1,4}(?:[ ]?[a-zA-Z](?![\w-]))?(?:[ ]?(?:bis|hs|huis|[-/][ ]?\d{1,3}))?(?=[\s,.;)]|$)")


def _street_before_number(text: str, start: int, end: int) -> bool:
    """One capitalised word followed by a house number ("Hoefslag 22", "Lindelaan 7a") is a
    street; a street name on its own line is read as a name by the cues around it."""
    value = text[start:end]
    return " " not in value.strip() and "." not in value and bool(_HOUSE_NUMBER.match(text, end))


def _caps_name_ok(value: str) -> bool:
    """An all-caps name, not an acronym of an organisation ("heer GGD") or an ordinary word."""
    words = [w for w in value.split() if not w.endswith(".")]
    last = words[-1].title() if words else ""
    return bool(words) and len(last) >= 3 and not lists.is_never_a_person(last) \
        and not (last.lower() in lists.common_words() and last not in lists.surnames())


def in_institution_name(text: str, start: int, end: int) -> bool:
    """A name that is part of an institution's name: an institution word follows, or the
    neuter article "het" comes before it (persons take "de")."""
    before = text[max(0, start - 4):start].lower()
    return bool(INSTITUTION_WORDS.match(text[end:end + 16])) or before.endswith("het ")


def _clean_edges(text: str, result: RecognizerResult) -> RecognizerResult:
    """Strip quotes, commas and a leading title from a name span."""
    start, end = result.start, result.end
    while end > start and text[end - 1] in "'\"’,;: ":
        end -= 1
    while start < end and text[start] in "'\"‘ ":
        start += 1
    title = LEADING_TITLE.match(text[start:end])
    if title and title.end() < end - start:
        start += title.end()
    wrap = text.find("\n", start, end)
    if wrap >= 0:
        continuation = text[wrap + 1:end]
        if STREETISH.search(continuation) or regex.match(r"[ ]?\d", text[end:end + 3]) or (
                _label_line(continuation, text[end:end + 3])):
            end = wrap  # "F. Hendriks\nKerkstraat 12": the next line is an address, not the name
    return _res(start, end, result.score, result.recognition_metadata["reason"], result.entity_type)


def _label_line(continuation: str, after: str) -> bool:
    """The next line is a form label or an ordinary word, not the rest of the name: "T. Bos\n
    Melder (naam)", "T. Bos\nAdres:"."""
    words = continuation.split()
    return bool(words) and (regex.match(r"[ \t]*[:(]", after) is not None
                            or all(lists.is_ordinary_word(w) for w in words))


def _trimmed(text: str, start: int, end: int, score: float, rule: str) -> RecognizerResult | None:
    """Drop trailing ordinary words a greedy match took along ("Jansen Gemeente")."""
    words = list(regex.finditer(r"\S+", text[start:end]))
    stop = lists.not_names() | set(ORG_HINTS)
    while len(words) > 1 and (words[-1].group().lower().strip(",") in stop
                              or words[-1].group().lower().endswith(ORG_SUFFIXES)
                              or (lists.is_ordinary_word(words[-1].group().strip(","))
                                  and not words[-2].group().endswith(".")
                                  and words[-2].group().lower() not in lists.interfixes())):
        words.pop()
        if len(words) > 1 and words[-1].group().lower() in lists.interfixes():
            words.pop()  # "Brouwer van [Bouwadvies]"
    if not words:
        return None
    return _res(start, start + words[-1].end(), score, rule)


