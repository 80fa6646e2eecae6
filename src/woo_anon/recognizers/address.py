"""Postcodes and street addresses (street + house number + toevoeging, postcode, place)."""

from __future__ import annotations

import regex
from presidio_analyzer import EntityRecognizer, RecognizerResult

from woo_anon import lists
from woo_anon.recognizers.base import evolve

SUFFIXES = (
    "straat|laan|weg|plein|gracht|kade|singel|dijk|hof|pad|dreef|steeg|markt|park|plantsoen|"
    "dam|baan|ring|kanaal|wal|haven|burcht|veld|erf|zijde|boulevard|allee|weide|akker|hoek|"
    "tuin|berg|dal|straatweg|kwartier|poort|dijkje|pleintje|laantje|straatje|vaart|hoeve|"
    "lei|oord|rade|kamp|horst|brink|donk|stede|gaarde|driessen|wetering|zoom|boord|kant"
)
_NUMBER = r"\d{1,5}(?:[ ]?[a-zA-Z](?![\w])|[ ]?-[ ]?(?:I{1,3}V?|IV|\d{1,3}|[a-zA-Z]{1,3})(?![\w])|[ ](?:hs|bis|huis|boven|bg|I{1,3}|IV)(?![\w]))?"
_LOWER_IN_NAME = r"(?:de|van|der|den|het|'t|ter|ten|te|op|aan|in|bij|over|v\.d\.)"
_STREET_SUFFIX = regex.compile(
    r"(?<![\w-])((?:(?:[A-Z][\w'’.-]*|" + _LOWER_IN_NAME + r")[ ]){0,4}[A-Z][\w'’-]*?(?:" + SUFFIXES
    + r"))(?:[ ]+|[ ]*\n[ ]*(?=\d{1,5}[a-zA-Z]?(?:[ ]*[,\n]|[ ]*$)))(" + _NUMBER + r")(?![\w,.]\d)")
# (the house number may wrap onto the next line when it ends that line or precedes a comma)
_STREET_ANY = regex.compile(r"(?<![\w-])((?:[A-Z][\w'’.-]*[ ]){0,3}[A-Z][\w'’-]+)[ ]+(" + _NUMBER + r")(?![\w,.]\d)")
_POSTCODE = regex.compile(
    r"(?<![\w-])[1-9]\d{3}(?P<sep>[ ]?|[ ]*\n[ ]*)(?!SA|SD|SS)(?P<letters>[A-Z]{2})(?![\w-])"
    r"(?P<place>[ \t]{1,3}(?:'s[ -])?[A-Z][\w'’-]+(?:[ -][A-Z][\w'’-]+)?)?")
# Street names that open with a preposition and an article: "Op de Berg 7", "Achter 't Zand 8",
# "Aan de Oude Gracht 12", "Tussen de Bruggen 3".
_PREP_STREET = regex.compile(
    r"(?<![\w-])((?:Op|Aan|Achter|In|Bij|Over|Onder|Voor|Binnen|Buiten|Tussen|Langs|Naast|Boven|"
    r"Beneden|Om|Uit|Tegenover|Achterom)[ ](?:de|den|der|het|'t|’t)[ ](?:[A-Z][\w'’-]+[ ]){0,2}"
    r"[A-Z][\w'’-]+)[ ]+(" + _NUMBER + r")(?!\d)(?![\w,.]\d)(?![ ](?:\p{Ll}+en|\p{Ll}+s|procent|jaar|keer|uur)\b)")
# A street under or after its label in a form or table, with or without its number (the number
# may stand in its own cell): "Straat\nKlaverweide", "Straatnaam: Zonnedauw   Huisnummer: 17b".
_LABELLED_STREET = regex.compile(
    r"(?im)^[ \t]*(?:straat|straatnaam|adres|woonadres|huisadres|thuisadres|verblijfadres|"
    r"adres[ ](?:melder|aanvrager|betrokkene|bewoner|klager|verzoeker))[ \t]*(?::[ \t]*\n?[ \t]*|[ \t]{2,}|"
    r"\n+[ \t]*)(?P<street>(?-i:[A-Z][\w'’.-]+(?:[ ](?:[a-z'’]{1,4}[ ])?[A-Z][\w'’.-]+){0,3}))"
    r"(?:[ ]+(?P<number>" + _NUMBER + r"))?(?=[ \t]{2,}|[ \t]*[,\n]|[ \t]*$)")
# A postcode in lower case or split from its label by a table cell: "Postcode: 1234 ab".
_LABELLED_POSTCODE = regex.compile(r"(?i)postcode(?:[ ]en[ ](?:woon)?plaats)?[ \t]*:?[ \t]*\n?[ \t]*"
                                   r"(?P<code>[1-9]\d{3}[ ]?(?!sa|sd|ss)[a-z]{2})(?![\w-])")
# A street line of any name right before a postcode: "Achter de Kerk 5\n3512 EN", "Heuvelrug 8, 3941".
_STREET_BEFORE_POSTCODE = regex.compile(
    r"(?:^|(?<=,[ ]))[ \t]*((?:(?:[A-Z'][\w'’.-]*|" + _LOWER_IN_NAME + r")[ ]){0,4}[A-Z][\w'’-]+)[ ]+("
    + _NUMBER + r")(?=[ ]*(?:,[ ]*|\n[ \t]*)[1-9]\d{3}[ ]?[A-Z]{2}(?![\w-]))", regex.M)
# The first part of a street name broken over a line: "Burgemeester van\n", "aan de Oude\n".
_BROKEN_STREET_HEAD = regex.compile(r"((?:(?:[A-Z][\w'’.-]*|" + _LOWER_IN_NAME + r")[ ]){0,3}"
                                    r"(?:[A-Z][\w'’.-]*|" + _LOWER_IN_NAME + r"))[ ]*\n[ ]*$")
# Two capital letters after a year are often a word, not a postcode ("2025 IN", "1990 EN").
_POSTCODE_STOP = {"IN", "EN", "OP", "TE", "DE", "AN", "ON", "OF", "TO", "BY", "AT", "IS", "IT", "OR",
                  "NO", "BV", "NV", "EU", "VS", "NL", "UK", "US", "HR", "ID", "PM", "AM", "JR", "VAN",
                  "HET", "ME", "MY", "WE", "HE", "BE", "DO", "GO", "SO", "UP", "ZO", "AL", "NU", "JA"}
ORG_WORDS = ["postbus", "antwoordnummer", "gemeente", "stadhuis", "raadhuis", "ministerie",
             "provincie", "waterschap", "b.v.", "n.v.", "stichting", "bezoekadres", "postadres",
             "afdeling", "www.", "rijksoverheid", "ggd", "politie"]
PERSON_WORDS = ["de heer", "mevrouw", "dhr", "mevr", "familie", "fam.", "t.a.v.", "aan:"]
ADDRESS_CONTEXT = ["woont", "wonende", "woonachtig", "adres", "woonadres", "verhuisd",
                   "ingeschreven", "perceel", "locatie"]


def _near_lines(text: str, start: int, end: int) -> str:
    """Where to look for organisation words: in running text the sentence of the match, in an
    address block its own line with the two lines above and the one below (same block)."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    if line_end - line_start > 100:  # running text
        left = max(text.rfind(". ", line_start, start) + 1, line_start)
        right = text.find(". ", end, line_end)
        return text[left: right if right >= 0 else line_end].lower()
    block_start = text.rfind("\n\n", 0, start)
    block_start = 0 if block_start < 0 else block_start + 2
    if block_start == line_start and block_start > 0:
        # a one-line block (a table row): the rows above belong to the same address
        previous = text.rfind("\n\n", 0, block_start - 2)
        block_start = 0 if previous < 0 else previous + 2
    lines_before = text[block_start:line_start].split("\n")[-3:]
    block_end = text.find("\n\n", line_end)
    after = text[line_end:block_end if block_end >= 0 else len(text)].split("\n")[:2]
    return "\n".join(lines_before + [text[line_start:line_end]] + after).lower()


def is_organisation_address(text: str, start: int, end: int) -> bool:
    block = _near_lines(text, start, end)
    if any(word in block for word in PERSON_WORDS):
        return False
    return any(word in block for word in ORG_WORDS)


STREET_STARTERS = {
    "burgemeester", "van", "de", "den", "der", "het", "prins", "prinses", "koning", "koningin",
    "sint", "st.", "dokter", "dr.", "pastoor", "generaal", "graaf", "gravin", "hertog", "jonkheer",
    "professor", "prof.", "president", "admiraal", "kapitein", "wethouder", "lange", "korte",
    "oude", "nieuwe", "hoge", "lage", "grote", "kleine", "noord", "zuid", "oost", "west",
    "eerste", "tweede", "derde", "mr.", "ds.", "dominee", "kardinaal", "paus", "keizer"}


def _trim_leading(text: str, start: int, number_start: int) -> int:
    """Drop leading lower-case or ordinary words ("bij de", "Ook aan de") from a street match."""
    words = list(regex.finditer(r"\S+", text[start:number_start]))
    common = lists.common_words()
    i = 0
    while i < len(words) - 1:
        word = words[i].group()
        if word[0].isupper() and (word.lower() in STREET_STARTERS or word.lower() not in common):
            break
        i += 1
    return start + words[i].start()


def _broken_start(text: str, start: int) -> int:
    """Where a street name starts that may have begun on the line above ("Burgemeester van\n
    Stamplein 4"): there when the line above ends in a particle or a street-name starter."""
    head = _BROKEN_STREET_HEAD.search(text[max(0, start - 60):start])
    if not head:
        return start
    last = head.group(1).split(" ")[-1]
    if last.lower() in STREET_STARTERS or regex.fullmatch(_LOWER_IN_NAME, last):
        return start - len(head.group()) + head.start(1) - head.start()
    return start


def _only_ordinary_words(name: str) -> bool:
    """A street-shaped name made of ordinary words only ("Artikel", "Bijlage") that is no
    known street name."""
    words = [w for w in name.split() if w[:1].isupper()]
    return lists.fold(name) not in lists.streets() and all(
        lists.fold(w) not in lists.streets() and lists.is_ordinary_word(w) for w in words)


def _postcode_context(text: str, start: int, end: int) -> bool:
    """A postcode shape whose letters are also a word ("3512 EN") is a postcode when a label or
    a street with a house number comes right before it, or a known place right after it."""
    before = text[max(0, start - 40):start]
    after = text[end:end + 40].strip().split("\n")[0].strip(" ,").lower()
    return bool(regex.search(r"(?i)postcode[^\n\d]{0,20}$|\d[a-zA-Z]?[ ]*(?:,|\n)[ \t]*$", before)) \
        or after in lists.places()


def _address_context(text: str, start: int, end: int) -> bool:
    """Words of living or moving before, or a postcode or ", Place" after: "woont Op de Berg 7",
    "Op de Berg 7, Zeist"."""
    before = text[max(0, start - 40):start].lower()
    after = text[end:end + 30]
    return any(word in before for word in ADDRESS_CONTEXT + ["naar", "aan de", "verhuis"]) or bool(
        regex.match(r"[ ]*(?:,[ ]*|\n[ \t]*)(?:[1-9]\d{3}[ ]?[A-Z]{2}\b|[A-Z][\p{Ll}'’-]+(?:[ ,.;\n]|$))", after))


def _code_after_year(value: str, place: str) -> bool:
    """A year ("2025") followed by two capitals and an acronym that is no known place ("GR WSP",
    "2024 BW RUD"): a heading or document code, not a postcode with its place."""
    word = place.split()[0]
    return bool(regex.match(r"(?:19|20)\d\d", value)) and word.isupper() \
        and lists.fold(word) not in lists.places() and lists.fold(place.strip()) not in lists.places()


def _result(entity: str, start: int, end: int, score: float, reason: str) -> RecognizerResult:
    return RecognizerResult(entity, start, end, score,
                            recognition_metadata={"recognizer_name": "AddressRecognizer",
                                                  "reason": reason})


class AddressRecognizer(EntityRecognizer):
    """Street + number (+ toevoeging), and postcode + place; organisation addresses kept apart."""

    def __init__(self, supported_language: str = "nl") -> None:
        super().__init__(supported_entities=["NL_ADDRESS", "NL_POSTCODE", "ORG_ADDRESS"],
                         name="AddressRecognizer", supported_language=supported_language)

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        found = [evolve(r, entity_type="ORG_ADDRESS")
                 if is_organisation_address(text, r.start, r.end) else r
                 for r in self._streets(text) + self._postcodes(text)]
        org_ends = [r.end for r in found if r.entity_type == "ORG_ADDRESS"]
        # the postcode line right under an organisation's street
        return [evolve(r, entity_type="ORG_ADDRESS") if r.entity_type == "NL_POSTCODE" and any(
                    0 <= r.start - end <= 4 and not text[end:r.start].strip(" ,\n")
                    for end in org_ends) else r
                for r in found]

    def _streets(self, text: str) -> list[RecognizerResult]:
        results, seen, known = [], set(), {}
        for match in _PREP_STREET.finditer(text):
            tail = match.group(1).split(" ", 2)[2]
            if _only_ordinary_words(tail) and not _address_context(text, match.start(), match.end()):
                continue  # "In de Bijlage 2", "Op de Kaart 3": a reference, not a street
            seen.add(match.start(2))
            results.append(_result("NL_ADDRESS", match.start(1), match.end(), 0.75,
                                   "street name + house number"))
        for match in _LABELLED_STREET.finditer(text):
            street = match.group("street")
            if lists.fold(street) in lists.places() or street.lower().startswith(
                    ("postbus", "antwoordnummer")) or _only_ordinary_words(street):
                continue  # "Adres: Ede", "Adres: Postbus 12", "Adres: Zie bijlage"
            if match.group("number"):
                seen.add(match.start("number"))
            results.append(_result("NL_ADDRESS", match.start("street"), match.end(), 0.75,
                                   "labelled street"))
        for match in _STREET_SUFFIX.finditer(text, overlapped=False):
            if match.start(2) in seen:
                continue
            seen.add(match.start(2))
            start = _trim_leading(text, _broken_start(text, match.start()), match.start(2))
            results.append(_result("NL_ADDRESS", start, match.end(), 0.75,
                                   "street name + house number"))
        for match in _STREET_ANY.finditer(text, overlapped=False):
            if match.start(2) in seen:
                continue
            start = self._known_street_start(match)
            if start is not None:
                start = _trim_leading(text, _broken_start(text, start), match.start(2))
            if start is not None and self._plausible(text, start, match.end()):
                known[match.start(2)] = len(results)
                results.append(_result("NL_ADDRESS", start, match.end(), 0.7,
                                       "known street name + house number"))
        for match in _STREET_BEFORE_POSTCODE.finditer(text):
            if match.start(2) in seen or lists.fold(match.group(1)) in lists.places() \
                    or match.group(1).lower().startswith(("postbus", "antwoordnummer")):
                continue  # a place ("Utrecht 12"?) or an organisation's postbox
            if _only_ordinary_words(match.group(1)):
                continue  # "Artikel 12, 3500 AB": a reference, not a street
            whole = _result("NL_ADDRESS", match.start(1), match.end(), 0.7,
                            "street + house number before a postcode")
            if match.start(2) not in known:
                results.append(whole)
            elif results[known[match.start(2)]].start > whole.start:
                results[known[match.start(2)]] = whole  # "Achter de Hoven 9", not "Hoven 9"
        return results

    @staticmethod
    def _known_street_start(match) -> int | None:
        words = match.group(1).split(" ")
        known = lists.streets()
        for i in range(len(words)):  # longest known tail: "Lange Voorhout", then "Voorhout"
            if " ".join(words[i:]).lower() in known:
                return match.start(1) + len(" ".join(words[:i])) + (1 if i else 0)
        return None

    @staticmethod
    def _plausible(text: str, start: int, end: int) -> bool:
        """A bare list match ("Markt 3", "Punt 4") needs an address-like neighbourhood."""
        after = text[end:end + 12]
        before = text[max(0, start - 40):start].lower()
        return bool(regex.match(r"[,\s]*[1-9]\d{3} ?[A-Z]{2}\b", after)) or \
            any(word in before for word in ADDRESS_CONTEXT) or text[start:end].count(" ") >= 2

    @staticmethod
    def _postcodes(text: str) -> list[RecognizerResult]:
        results = [_result("NL_POSTCODE", m.start("code"), m.end("code"), 0.8, "labelled postcode")
                   for m in _LABELLED_POSTCODE.finditer(text) if not m.group("code").isupper()]
        for match in _POSTCODE.finditer(text):
            place = match.group("place")
            if match.group("sep") and match.group("letters") in _POSTCODE_STOP and not place \
                    and not _postcode_context(text, match.start(), match.end()):
                continue
            if "\n" in match.group("sep") and not (place or _postcode_context(text, match.start(),
                                                                              match.end())):
                continue  # "in 2024\nEN ...": a year ending a line
            if place and _code_after_year(match.group(), place):
                continue  # "Begrotingswijziging 2025 GR WSP": a year and acronyms, no address
            end = match.end()
            if place and " " in place.strip() and place.strip().lower() not in lists.places():
                end = match.start("place") + len(place) - len(place.strip().split(" ", 1)[1]) - 1
            results.append(_result("NL_POSTCODE", match.start(), end, 0.8,
                                   "postcode" + (" + place" if place else "")))
        return results
