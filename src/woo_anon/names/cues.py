"""Names found by their context or by the name lists when no title or initials are there: a known
name alone in a sentence, a lower-case name after a salutation, a patronymic, a particle surname
opening a sentence, and the cells of a table column headed "Naam" or "Contactpersoon".

Each function returns presidio results with the rule's name as reason; the name rules filter
them like their own (no ordinary words, places, organisations or institutions).
"""

from __future__ import annotations

import regex
from presidio_analyzer import RecognizerResult

from woo_anon import lists
from woo_anon.model import Entity
from woo_anon.names.patterns import (ACTION_VERBS, FOREIGN_PARTICLES, INFORMAL_SIGN_OFF, JOB_TITLES, ORG_SUFFIXES, PERSON_NOUNS, REPORTING_VERBS,
                                     SIGN_OFF, WORD, interfix_pattern, patterns)

# A capitalised word inside a sentence: after a lower-case word or a comma, not before another
# capitalised word (that is a longer name or an organisation, found by other rules).
_INSIDE = regex.compile(r"(?:(?<=(?<![\w-])\p{Ll}+[ ])|(?<=[,;][ ]))(?P<name>" + WORD
                        + r")(?![\w'’-])(?![ ]\p{Lu})")
# Finite verbs after a surname opening a sentence: "Ter Rozendaal heeft bezwaar gemaakt."
_FINITE = regex.compile(r"[ ](?:heeft|had|is|was|wil|wilde|kan|kon|zal|zou|gaat|ging|komt|kwam|"
                        r"moet|moest|mag|wordt|werd|vindt|vond|woont|woonde|" + REPORTING_VERBS + r"|"
                        + ACTION_VERBS + r")(?![\w])")
# A capitalised word opening a sentence, followed by a lower-case word.
_OPENING = regex.compile(r"(?:^|(?<=[.!?][ ]))(?P<name>" + WORD + r")(?=[ ]\p{Ll})", regex.M)
# "Surname, First name" alone on a line, as in lists and e-mail address books.
_REVERSED_LINE = regex.compile(r"^[ \t]*(?:[-•*][ \t]+)?(?P<name>" + WORD + r"(?:-" + WORD + r")?,[ ]" + WORD
                               + r"(?:-" + WORD + r")?)[ \t]*$", regex.M)
# Headers of a table column of person names.
# Also the person columns of action lists ("Wie", "Actiehouder", "Trekker") and registers
# ("Bezwaarmaker", "Indiener"), a participle with "door" ("Gemeld door", "Afgehandeld door"),
# with a note in brackets ("Ingevuld door (medewerker)").
_NAME_HEADER = regex.compile(r"(?i)^(?:(?:naam|namen)(?:[ ](?:melder|aanvrager|medewerker|deelnemer|bewoner|betrokkene|bezwaarmaker|"
                             r"indiener|klager|contactpersoon|behandelaar|verzoeker|gemachtigde|beller|inspreker))?|achternaam|contactpersoon|contactpersonen|"
                             r"behandelaar|behandelaars|medewerker|aanvrager|melder|bewoner|deelnemer|"
                             r"voor- en achternaam|voornaam en achternaam|naam en voorletters|voornaam|voornamen|roepnaam|"
                             r"wie|door|actiehouder|actiehouders|actienemer|trekker|eigenaar|"
                             r"verantwoordelijke|uitvoerder|bezwaarmaker|bezwaarmakers|indiener|"
                             r"indieners|klager|klaagster|verzoeker|verzoekster|appellant|"
                             r"belanghebbende|inspreker|insprekers|gemachtigde|beller|"
                             r"\p{Ll}+[dt][ ]door)(?:[ ]\([^)\n]{1,30}\))?[ ]?[:?]?$")
_CELL_PARTICLE = (r"(?:(?i:van|de|der|den|ter|ten|van der|van den|van de|in 't|op de)[ ]|"
                  + FOREIGN_PARTICLES + r")")
_CELL = regex.compile(r"^(?:(?:\p{Lu}\.){1,5}[ ]?)?(?:" + WORD + r"[ ])?" + _CELL_PARTICLE + r"?" + WORD
                      + r"(?:-" + _CELL_PARTICLE + r"?" + WORD + r")?$")




def _apposition() -> regex.Pattern:
    """A name followed by a role or an age in brackets or after a comma: "Smeenkema
    (buurtbewoner)", "K. Okkerse, medewerker van ...", "Wolthuizer (47)"."""
    ix = "(?i:" + interfix_pattern() + ")"
    name = (r"(?:(?:\p{Lu}\.){1,5}[ ]?)?(?:" + WORD + r"[ ])?(?:" + ix + r"[ ])?" + WORD
            + r"(?:-(?:" + ix + r"[ ])?" + WORD + r")?")
    role = r"\p{Ll}*(?:" + PERSON_NOUNS + r"|" + JOB_TITLES + r")"
    return regex.compile(r"(?<![\w.-])(?P<name>" + name + r")(?:[ ]\((?:" + role + r"|\d{1,2}(?:[ ]jaar)?)\)"
                         r"|,[ ](?:" + role + r")[ ](?:van|bij|namens|uit)[ ])")


_APPOSITION = _apposition()


def _res(start: int, end: int, score: float, rule: str) -> RecognizerResult:
    return RecognizerResult(Entity.PERSON, start, end, score,
                            recognition_metadata={"recognizer_name": "NameRules", "reason": rule})


def _plain_word(word: str) -> bool:
    """A word that is also an ordinary word, a place or something never a person."""
    low = word.lower()
    return (low in lists.common_words() or low in lists.lexicon() or low in lists.places()
            or lists.is_never_a_person(word) or len(word) < 3)


def only_ordinary_words(value: str) -> bool:
    """Only ordinary words after a job title: "coördinator Wonen", "arts Infectieziekten"."""
    words = [w for w in value.split() if w.lower() not in lists.interfixes()]
    return bool(words) and all(lists.is_ordinary_word(w) for w in words)


def known_names_alone(text: str) -> list[RecognizerResult]:
    """A word from the name lists used alone: a first name or surname inside a sentence ("is
    Rutger weer aanwezig", "het gesprek met Lammertink"), or a surname opening a sentence
    before a lower-case word ("Kuipers heeft ..."). Words that are also ordinary words or
    places never count (deduce's lists hold "Bakker", "Roos", "Mark")."""
    firsts, surnames = lists.first_names(), lists.surnames()
    out = []
    interfixes = lists.interfixes()
    for m in _INSIDE.finditer(text):
        word = m.group("name")
        before = text[max(0, m.start() - 12):m.start()].split()
        after = text[m.end():m.end() + 12].split()
        if before and before[-1] in interfixes:
            continue  # "J. de Ruiter", "de Lek": a particle surname or a thing with an article
        if after and (after[0] in interfixes or after[0][:1].isdigit()):
            continue  # "Anna van Saksenlaan", "Box 1": a street, a name found whole elsewhere
        if (word in firsts or word in surnames) and not _plain_word(word):
            out.append(_res(m.start("name"), m.end("name"), 0.6, "known name alone"))
    for m in _OPENING.finditer(text):
        word = m.group("name")
        if word in surnames and word not in firsts and not _plain_word(word):
            out.append(_res(m.start("name"), m.end("name"), 0.6, "known name alone"))
    return out


def verb_first(text: str) -> list[RecognizerResult]:
    """A name right after a verb of persons ("Gisteren belde Okkerse nog", "zei Wolthuis")."""
    return [_res(m.start("name"), m.end("name"), 0.65, "surname + reporting verb")
            for m in patterns()["reporting_inverted"].finditer(text)]


def appositions(text: str) -> list[RecognizerResult]:
    """A name with its role or age beside it: "Smeenkema (buurtbewoner)", "Okkerse (47)"."""
    out = []
    for m in _APPOSITION.finditer(text):
        words = m.group("name").split()
        if words[0] in ("Het", "Een", "Deze", "Die", "Dit", "Dat") or all(
                _plain_word(w) for w in words if not w.endswith(".")):
            continue  # "Het Rijk (verweerder)", "Gemeente (aanvrager)"
        start = m.start("name")
        if len(words) > 1 and words[0].lower() in lists.lexicon() and words[0] not in lists.first_names():
            start += len(words[0]) + 1  # "Volgens Smeenkema (buurtbewoner)"
        out.append(_res(start, m.end("name"), 0.7, "name + role or age"))
    return out


def reversed_lines(text: str) -> list[RecognizerResult]:
    """"Wolthuizer, Tjitske" alone on a line: both words unknown to the lexicon, no place."""
    out = []
    for m in _REVERSED_LINE.finditer(text):
        words = [w.strip(",") for w in m.group("name").split()]
        if not any(_plain_word(part) for w in words for part in w.split("-")):
            out.append(_res(m.start("name"), m.end("name"), 0.7, "Achternaam, Voornaam"))
    return out


def lower_case_salutation(text: str) -> list[RecognizerResult]:
    """A known first name in lower case after a salutation: "hoi femke,"."""
    out = []
    for m in patterns()["salutation_lower"].finditer(text):
        word = m.group("name")
        if word.capitalize() in lists.first_names() and not _plain_word(word):
            out.append(_res(m.start("name"), m.end("name"), 0.7, "salutation + lower-case name"))
    return out


def lower_case_signature(text: str) -> list[RecognizerResult]:
    """A signature written in lower case under a sign-off: "mvg,\nfemke wiggers"."""
    out = []
    for sign_off in SIGN_OFF.finditer(text):
        line = regex.match(r"\s*\n[ \t]*(?P<name>\p{Ll}[\p{Ll}'’-]+(?:[ ]\p{Ll}[\p{Ll}'’-]+){0,3})[ \t]*(?:\n|$)",
                           text[sign_off.end():])
        if line and line.group("name").split()[0].capitalize() in lists.first_names() \
                and not _plain_word(line.group("name").split()[0]):
            start = sign_off.end() + line.start("name")
            out.append(_res(start, start + len(line.group("name")), 0.7, "salutation + lower-case name"))
    return out


def signature_lines(text: str) -> list[RecognizerResult]:
    """The name on the first line under a closing, also an informal one ("Alvast bedankt!\n\n
    Kwabena"), in capitals ("K. TJEERDSMA"), or followed by a team or role on the same line
    ("Sevo Zwart | Team Handhaving")."""
    pats = patterns()
    out = []
    for closing in list(SIGN_OFF.finditer(text)) + list(INFORMAL_SIGN_OFF.finditer(text)):
        if "namens" in closing.group().lower():
            continue  # "namens deze,": the signature under a role line (names/officials.py)
        line = regex.match(r"(?:[ \t]*\n){1,3}(?P<line>[^\n]+)", text[closing.end():])
        if not line:
            continue
        value = regex.split(r"[ \t]+[|–-][ \t]+|,[ \t]+(?=\p{Lu}\p{Ll})", line.group("line"))[0]
        hit = pats["line_name"].match(value) or pats["line_caps"].match(value)
        if hit and not only_ordinary_words(hit.group("name")):
            start = closing.end() + line.start("line") + hit.start("name")
            out.append(_res(start, start + len(hit.group("name")), 0.75, "signature block"))
    return out


def patronymics(text: str) -> list[RecognizerResult]:
    """A patronymic ("Jacobsz.", "Claeszn.") with the words of the name around it."""
    return [_res(m.start("name"), m.end("name"), 0.75, "patronymic")
            for m in patterns()["patronym"].finditer(text)]


def particle_openings(text: str) -> list[RecognizerResult]:
    """A particle surname opening a sentence ("Ter Rozendaal heeft ..."). After a one-word
    particle that is also an article ("De", "Van"), only a known surname counts; after a longer
    one ("Van der", "Ter"), an unknown word counts when a verb follows."""
    out = []
    for m in patterns()["particle_start"].finditer(text):
        value = m.group("name")
        words = value.split(" ")
        last = words[-1]
        if lists.fold(value) in lists.places() or lists.is_never_a_person(value):
            continue
        if words[0] in ("In", "Op"):
            continue  # "In het Vuurwerkbesluit", "Op de Veluwe": a preposition opening a sentence
        known = last in lists.surnames() and not _plain_word(last)
        if not known and (len(words) == 2 and words[0] in ("De", "Den", "Der", "Van")
                          or not _FINITE.match(text, m.end())):
            continue  # "Van de Belgische autoriteiten": no verb of a person follows
        if last.lower() in lists.lexicon() and last not in lists.interfix_surnames():
            continue
        out.append(_res(m.start("name"), m.end("name"), 0.7, "particle + surname"))
    return out


def name_column(text: str) -> list[RecognizerResult]:
    """Cells under a table column headed "Naam", "Contactpersoon", "Behandelaar" ...

    Table rows come out of the PDF as blocks of lines (one line per cell) separated by blank
    lines: the header block names the column, and the cell at the same position in each
    following block with as many lines is a name when it is shaped like one (a first column
    also in rows with an empty cell further on)."""
    blocks = _blocks(text)
    out = []
    for i, (start, lines) in enumerate(blocks):
        columns = [k for k, (_, line) in enumerate(lines) if _NAME_HEADER.match(line.strip())]
        if not columns:
            continue
        # a label cell with its value on the next line: "Naam\nLammertink"
        out += [r for k in columns if k + 1 < len(lines) for r in _cell(*lines[k + 1])]
        for row_start, row in blocks[i + 1:i + 60]:
            if len(row) != len(lines) and len(lines) > 1:
                if len(row) < 2:
                    break  # the table has ended
                if 0 in columns:
                    out += _cell(*row[0])  # a row with an empty cell further on: its first cell
                continue
            for k in columns if len(lines) > 1 else [0]:
                out += _cell(*row[k])
            if len(lines) == 1:
                break  # "Naam" alone: a label cell, the next block is its value
    return out


# Several names in one cell: "Okonkwo / Reinders", "Tjalling en Sietske", "A. Bos, K. Smit".
_CELL_SPLIT = regex.compile(r"[ ]?/[ ]?|[ ]?&[ ]|,[ ]|;[ ]?|[ ]en[ ]|[ ]\+[ ]")
_CELL_TITLE = regex.compile(r"^(?i:dhr\.?|mw\.?|mevr\.?|mevrouw|de heer|heer|mr\.|dr\.|drs\.|ir\.|ing\.)[ ]+")


def _cell(offset: int, cell: str) -> list[RecognizerResult]:
    """A table cell that holds a name (or a few names): shaped like one, not only ordinary
    words or places; a title before it ("Mw.") is no part of the name."""
    value = cell.strip()
    begin = offset + cell.index(value) if value else offset
    if not _cell_name(value) and _CELL_SPLIT.search(value):
        out, at = [], 0
        for sep in list(_CELL_SPLIT.finditer(value)) + [None]:
            stop = sep.start() if sep else len(value)
            if value[at:stop].strip():
                out += _cell(begin + at, value[at:stop])
            at = sep.end() if sep else at
        return out
    title = _CELL_TITLE.match(value)
    if title:
        begin, value = begin + title.end(), value[title.end():]
    if not _cell_name(value):
        return []
    return [_res(begin, begin + len(value), 0.8, "name column")]


def _cell_name(value: str) -> bool:
    """Shaped like a name and not only ordinary words; after a particle a place name is a
    surname ("Van der Heukelom", "Van Amersfoort")."""
    value = _CELL_TITLE.sub("", value)
    if not _CELL.match(value) or lists.fold(value) in lists.places():
        return False
    words = [w for w in value.split() if not w.endswith(".")]
    content = [w for w in words if w.lower() not in lists.interfixes()]
    if content and any(w.lower() in ("van", "ter", "ten", "von", "da", "dos") for w in words):
        last = content[-1]  # not after "De" alone: "De Bilt" is the place
        if last.lower() in lists.places() and not lists.is_ordinary_word(last):
            return True
    if len(content) > 1 and any(lists.is_ordinary_word(w) or w.lower().endswith(ORG_SUFFIXES)
                                for w in content):
        return False  # an organisation: "Vereniging Dorpsbelang", "Achmea Rechtsbijstand"
    return not all(_plain_word(w) for w in content)


def _blocks(text: str) -> list[tuple[int, list[tuple[int, str]]]]:
    """Blocks of non-empty lines separated by blank lines: (start, [(offset, line), ...])."""
    blocks, current, block_start, offset = [], [], 0, 0
    for line in text.split("\n"):
        if line.strip():
            if not current:
                block_start = offset
            current.append((offset, line))
        elif current:
            blocks.append((block_start, current))
            current = []
        offset += len(line) + 1
    if current:
        blocks.append((block_start, current))
    return blocks


# Labels of who does something, with one or more names after them on the same line: "Actie:
# Reinders, Tjalling en Sietske", "Actiehouder: Haverkort/Lindeboom", "(wie: Okonkwo)".
_WHO_LABEL = regex.compile(r"(?i)(?<![\w])(?:actie|acties|actiehouder|actiehouders|actienemer|trekker|"
                           r"trekkers|wie|eigenaar|verantwoordelijk|verantwoordelijke|uitvoering|"
                           r"uitvoerder|door)[ \t]*:[ \t]*(?P<value>[^\n.;()]{2,120})")


def who_lists(text: str) -> list[RecognizerResult]:
    """The names after an action label, each judged as a table cell would be."""
    out = []
    for m in _WHO_LABEL.finditer(text):
        value = m.group("value").rstrip()
        out += [replace_reason(r, "labelled name (actie, behandeld door)")
                for r in _cell(m.start("value"), value)]
    return out


# A form line: a label, then its value after a colon or a wide gap, up to the end of the line
# or the next wide gap ("Achternaam         Brinkgreve", "Naam: Wubbolt    Geboortedatum: ...").
_FORM_LINE = regex.compile(r"(?m)(?:^|(?<=[ \t]{2}))[ \t]*(?P<label>[^\n:]{2,40}?)(?:[ \t]*:[ \t]*|[ \t]{2,})"
                           r"(?P<value>[^\n:]+?)(?=[ \t]{2,}|[ \t]*$)")


def form_lines(text: str) -> list[RecognizerResult]:
    """The value of a form field whose label names a person's column ("Naam", "Achternaam",
    "Naam melder", "Gemeld door"), judged as a table cell."""
    out = []
    for m in _FORM_LINE.finditer(text):
        if _NAME_HEADER.match(m.group("label").strip()):
            out += [replace_reason(r, "name column") for r in _cell(m.start("value"), m.group("value"))]
    return out


def replace_reason(result: RecognizerResult, rule: str) -> RecognizerResult:
    return _res(result.start, result.end, result.score, rule)


def context_names(text: str) -> list[RecognizerResult]:
    """All results of this module."""
    return (known_names_alone(text) + verb_first(text) + appositions(text) + reversed_lines(text) + lower_case_salutation(text) + lower_case_signature(text)
            + signature_lines(text) + patronymics(text)
            + particle_openings(text) + name_column(text) + who_lists(text) + form_lines(text))
