"""Phone numbers, e-mail addresses and IP addresses."""

from __future__ import annotations

import re

import phonenumbers
from presidio_analyzer import EntityRecognizer, Pattern, RecognizerResult
from presidio_analyzer.predefined_recognizers import EmailRecognizer as PresidioEmailRecognizer
from presidio_analyzer.predefined_recognizers import IpRecognizer as PresidioIpRecognizer

from woo_anon.recognizers.base import evolve, has_any, words_near

# Numbers an organisation publishes for everyone: free, paid, shared-cost and the 14 0xx
# municipal numbers (phonenumbers calls the last ones UAN).
ORGANISATION_TYPES = {
    phonenumbers.PhoneNumberType.TOLL_FREE,
    phonenumbers.PhoneNumberType.PREMIUM_RATE,
    phonenumbers.PhoneNumberType.SHARED_COST,
    phonenumbers.PhoneNumberType.UAN,
}


# Words just before a landline number, in the same sentence, that make it an organisation's
# published number (switchboard, information line), never a person's own. Mobile numbers are
# never classed so, and a word like "bezwaar" is no cue: citizens write about objections too.
ORGANISATION_CUES = ["switchboard", "receptie", "klantcontactcentrum", "servicedesk",
                     "informatienummer", "algemeen nummer", "algemene nummer",
                     "algemeen telefoonnummer", "algemene telefoonnummer", "telefonisch spreekuur",
                     "centrale", "publieksvoorlichting", "kcc", "klantenservice", "klantcontact",
                     "publiekscontact", "servicepunt", "informatielijn", "meldpunt", "storingsnummer",
                     "storingslijn", "hoofdnummer", "ons nummer", "ons telefoonnummer",
                     "onze telefoonnummer", "ons algemene", "ons centrale", "frontoffice",
                     "helpdesk", "openingstijden", "op werkdagen", "alarmnummer", "noodnummer",
                     "algemeen:", "algemeen nr", "centraal nummer", "centrale nummer",
                     "centraal telefoonnummer", "servicenummer"]
# A desk word in brackets right after the number: "0343 561 200 (algemeen)", "(receptie)".
_DESK_AFTER = re.compile(r"(?i)^[ ]?\((?:algemeen|centraal|centrale|receptie|kcc|klantcontact\w*|"
                         r"servicedesk|helpdesk|balie|secretariaat|griffie)\b")
# Opening hours right after a number make it a desk's or switchboard's, never a person's own:
# "070 123 45 67 (op werkdagen van 8.30 tot 17.00 uur)", "(ma t/m vr 9-17 uur)".
_OPENING_HOURS = re.compile(r"(?i)^[\s,:;–-]{0,3}\(?(?:bereikbaar[ ])?(?:op[ ])?(?:werkdagen|elke[ ]werkdag|"
                            r"maandag[ ]tot[ ]en[ ]met|ma(?:andag)?[ ]?(?:t/m|-|–|tot)|"
                            r"(?:van[ ])?\d{1,2}(?:[.:]\d{2})?[ ]?(?:-|–|tot)[ ]?\d{1,2}(?:[.:]\d{2})?[ ]uur|"
                            r"tijdens[ ]kantooruren|(?:gratis|lokaal[ ]tarief))")
# A Dutch-looking number for the contact fallback: a digit too few or too many (a typo), a
# letter stuck to its end ("020-5551234x"); separators: one space, dash or dot, or " - ".
_DUTCH_FORM = re.compile(r"(?<![\w+-])(?:\+31[ -]?(?:\(0\))?|0031[ -]?|\(?0)(?:\d\)?(?:[ .\u2013-]|"
                         r"[ ][-\u2013][ ])?){7,9}\d(?![\d-])")
# Words that say the next number is someone's phone number, with at most a few words (a label
# like "aanvrager", "(privé)") between them and the number, on the same line.
_CONTACT_WORD = re.compile(r"(?<![a-z])(?:tel|telefoon\w*|telefonisch|mobiel\w*|mob|gsm|bel|belt|"
                           r"bellen|gebeld|bereikbaar|doorkies\w*|whatsapp|sms|t|m)"
                           r"\b[^\n\d]{0,40}$")
_SEP = r"(?:[ .\u2013-]|[ ][-\u2013][ ])?"  # one space, dot, dash or en dash, or " - "
# 06 mobile numbers in any written form, also after +31 / 0031 (with or without "(0)").
_MOBILE = re.compile(r"(?<![\w+-])(?:06|(?:\+31|0031)[ -]?(?:\(0\))?[ -]?6)" + _SEP
                     + r"(?:\d" + _SEP + r"){7}\d(?![\w-])")
# Foreign numbers (+32 9 123 45 67): only in a contact context.
_FOREIGN_FORM = re.compile(r"(?<![\w+])\+(?!31)\d{2,3}[ -]?(?:\(0\))?[ -]?(?:\d[ .-]?){6,11}\d(?![\w-])")
# A label on the line above a number ("Telefoonnummer" in a table header or form).
_LABEL_LINE = re.compile(r"(?<![a-z])(?:tel|telefoon\w*|mobiel\w*|gsm|mob)\b[^\n\d]{0,30}$")


def _in_contact_context(text: str, start: int) -> bool:
    """A contact word just before the number on its line ("tel.", "bereikbaar op"), or a
    contact label alone on the line above it (a form or a table: "Telefoonnummer\n06 - ...")."""
    lines = text[max(0, start - 120):start].lower().split("\n")
    if _CONTACT_WORD.search(lines[-1]):
        return True
    return (not lines[-1].strip(" |:\t") and len(lines) > 1
            and bool(_LABEL_LINE.search(lines[-2].strip(" |:\t"))))


class NlPhoneRecognizer(EntityRecognizer):
    """Dutch phone numbers in every written form, validated against the numbering plan."""

    def __init__(self, supported_language: str = "nl", keep_organisational: bool = True) -> None:
        self.keep_organisational = keep_organisational
        super().__init__(supported_entities=["PHONE_NUMBER", "PHONE_ORGANISATION"],
                         name="PhoneRecognizer", supported_language=supported_language)

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        results = self._find(text, text)
        if "\n" in text:  # a number the layout broke over two lines: "op 06 -\n12345678"
            flat = text.replace("\n", " ")
            found = [(r.start, r.end) for r in results]
            results += [r for r in self._find(flat, text) if "\n" in text[r.start:r.end]
                        and not any(r.start < e and s < r.end for s, e in found)]
        return self._alternatives(text, results) if self.keep_organisational else results

    @staticmethod
    def _alternatives(text: str, results: list[RecognizerResult]) -> list[RecognizerResult]:
        """A landline given as the alternative of an organisation's number is the same desk's:
        "bel 14 079 of 079 - 346 93 00", "0800-1234 / 070 123 45 67"."""
        ordered = sorted(results, key=lambda r: r.start)
        out = []
        for previous, result in zip([None] + ordered[:-1], ordered):
            if (previous is not None and previous.entity_type == "PHONE_ORGANISATION"
                    and result.entity_type == "PHONE_NUMBER" and not _MOBILE.match(text, result.start)
                    and re.fullmatch(r"[ ]*(?:of|/|en|,)[ ]*(?:via[ ])?", text[previous.end:result.start])):
                result = evolve(result, entity_type="PHONE_ORGANISATION")
            out.append(result)
        return out

    def _find(self, search: str, text: str) -> list[RecognizerResult]:
        """Numbers found in `search` (the text, or the text with line breaks made spaces); the
        context around them is read in `text`."""
        results = self._mobile_fallback(search)
        matcher = phonenumbers.PhoneNumberMatcher(search, "NL", leniency=phonenumbers.Leniency.VALID)
        for match in matcher:
            raw = match.raw_string
            entity = self._entity(match.number, text, match.start, match.end)
            municipal = phonenumbers.number_type(match.number) == phonenumbers.PhoneNumberType.UAN
            if not raw.lstrip("(").startswith(("0", "+")) and not municipal:
                continue  # bare digit runs are BSNs, amounts or ids, not phone numbers
            results.append(RecognizerResult(
                entity, match.start, match.end, 0.9,
                recognition_metadata={"recognizer_name": self.name,
                                      "reason": "valid number (numbering plan)"}))
        valid = [(r.start, r.end) for r in results]
        results += [r for r in self._contact_fallback(search, text)
                    if not any(r.start < e and s < r.end for s, e in valid)]
        return results

    @staticmethod
    def _mobile_fallback(text: str) -> list[RecognizerResult]:
        """06 numbers outside the allocated ranges are still someone's number (or a typo of it)."""
        return [RecognizerResult("PHONE_NUMBER", m.start(), m.end(), 0.7,
                                 recognition_metadata={"recognizer_name": "PhoneRecognizer",
                                                       "reason": "06 mobile number form"})
                for m in _MOBILE.finditer(text)]

    @staticmethod
    def _contact_fallback(search: str, text: str) -> list[RecognizerResult]:
        """A Dutch-looking number that fails strict validation (a typo, an unallocated range)
        is still someone's number when the text says it is one ("tel. 020-5551234x")."""
        out = []
        forms = list(_DUTCH_FORM.finditer(search)) + list(_FOREIGN_FORM.finditer(search))
        for m in forms:
            if _in_contact_context(text, m.start()):
                out.append(RecognizerResult("PHONE_NUMBER", m.start(), m.end(), 0.7,
                                            recognition_metadata={
                                                "recognizer_name": "PhoneRecognizer",
                                                "reason": "number form in a contact context"}))
        return out

    def _entity(self, number, text: str = "", start: int = 0, end: int = 0) -> str:
        kind = phonenumbers.number_type(number)
        if self.keep_organisational and (kind in ORGANISATION_TYPES or (
                kind == phonenumbers.PhoneNumberType.FIXED_LINE
                and (has_any(words_near(text, start, end, before=80).split("\u2016")[0],
                             ORGANISATION_CUES)
                     or _OPENING_HOURS.match(text[end:end + 60])
                     or _DESK_AFTER.match(text[end:end + 20])
                     or "fax" in text[max(0, start - 12):start].lower()))):
            return "PHONE_ORGANISATION"
        return "PHONE_NUMBER"


# Mailboxes of an organisation rather than a person (kept by default).
FUNCTIONAL_MAILBOXES = {
    "info", "woo", "wob", "postbus", "post", "gemeente", "secretariaat", "contact",
    "klantcontact", "servicedesk", "helpdesk", "support", "noreply", "no-reply", "pers",
    "persvoorlichting", "communicatie", "redactie", "receptie", "administratie", "facturen",
    "debiteuren", "crediteuren", "inkoop", "privacy", "fg", "avg", "webmaster", "bestuurssecretariaat",
    "griffie", "klachten", "vergunningen", "omgevingsloket", "burgerzaken", "publiekszaken",
    "bezwaar", "bezwaarschriften", "integriteit", "juridischezaken", "hr", "personeelszaken",
    "team", "office", "mail", "vragen", "aanvragen", "meldingen", "planning", "raad",
    "kcc", "klantenservice", "wmo", "jeugd", "jeugdzorg", "belastingen", "afval", "afvalbeheer",
    "parkeren", "handhaving", "subsidies", "subsidie", "financien", "financiën", "ict",
    "bouwen", "wonen", "zorg", "sociaaldomein", "wijkteam", "loket", "publiek", "balie",
    "informatie", "nieuws", "events", "evenementen", "sales", "service", "admin", "secretary",
    "reception", "invoice", "invoices", "accounts", "billing", "press", "media", "jobs",
    "vacatures", "werkenbij", "recruitment", "bestuur", "directie", "postmaster", "abuse",
    "security", "dpo", "fg-", "datalek", "meldpunt", "ombudsman", "archief", "dms", "post-in",
}


class NlEmailRecognizer(PresidioEmailRecognizer):
    """presidio's e-mail recogniser plus `[at]` obfuscation; functional mailboxes reported apart."""

    PATTERNS = PresidioEmailRecognizer.PATTERNS + [
        Pattern("email obfuscated",
                r"\b[\w.%+-]+ ?(?:\[at\]|\(at\)|\[@\]|\{at\}) ?[\w-]+(?:(?:\.|\[dot\]|\(dot\))[\w-]+)*"
                r"(?:\.|\[dot\]|\(dot\))[a-zA-Z]{2,}\b", 0.5)]

    def __init__(self, supported_language: str = "nl") -> None:
        super().__init__(supported_language=supported_language, patterns=self.PATTERNS,
                         context=["e-mail", "email", "mail", "mailadres", "e-mailadres"])
        self.name = "EmailRecognizer"

    def validate_result(self, pattern_text: str):
        normal = re.sub(r" ?(\[at\]|\(at\)|\[@\]|\{at\}) ?", "@", pattern_text)
        normal = re.sub(r"\[dot\]|\(dot\)", ".", normal)
        return super().validate_result(normal)

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        return [evolve(result, entity_type="EMAIL_FUNCTIONAL") if self._functional(text, result)
                else result for result in results]

    @staticmethod
    def _functional(text: str, result) -> bool:
        local = re.split(r" ?(?:@|\[at\]|\(at\)|\[@\]|\{at\})", text[result.start:result.end])[0]
        return is_functional_mailbox(local)


_FUNCTIONAL_STEMS = ("bezwaar", "postbus", "dienstpostbus", "secretariaat", "klacht", "juridisch",
                     "communicatie", "helpdesk", "servicedesk", "loket", "informatie", "woo",
                     "wob", "info", "griffie", "team", "afdeling", "directie", "programma")


def is_functional_mailbox(local: str) -> bool:
    """An organisation's mailbox: a known functional name ("woo", "info"), or a local part
    made of organisational words with no person's name in it ("WJZ.bezwaarenberoep",
    "dienstpostbusWoo-corona"). "jan.woo" is a person's."""
    from woo_anon import lists

    low = local.lower().strip(".")
    if low in FUNCTIONAL_MAILBOXES:
        return True
    if _ordinary_words_only(local):
        return True  # "vergunningen", "openbare.ruimte", "toezicht-bouwen": a desk, no person
    parts = [t for t in re.split(r"[._\-+]+", local) if t]
    if any(t.capitalize() in lists.first_names() or t.capitalize() in lists.surnames()
           for t in parts if len(t) > 2 and t.lower() not in _FUNCTIONAL_STEMS
           and t.lower() not in FUNCTIONAL_MAILBOXES):
        return False
    return any(t.lower().startswith(_FUNCTIONAL_STEMS) or t.lower() in FUNCTIONAL_MAILBOXES
               for t in parts)


def _ordinary_words_only(local: str) -> bool:
    """A local part made only of ordinary Dutch words of 4+ letters (compounds too) that are no
    known first name or surname: an organisation's desk ("vergunningen", "openbareruimte")."""
    from woo_anon import lists

    parts = [t for t in re.split(r"[._\-+]+", local) if t]
    return bool(parts) and all(
        len(t) >= 4 and t.isalpha() and lists.is_ordinary_word(t.lower())
        and t.capitalize() not in lists.first_names() and t.capitalize() not in lists.surnames()
        for t in parts)


class NlIpRecognizer(PresidioIpRecognizer):
    """IPv4/IPv6, but not version or section numbers that look like addresses."""

    NEGATIVE = ["versie", "version", "release", "build", "v.", "v ", "artikel", "paragraaf",
                "hoofdstuk", "bijlage", "§", "art.", "lid", "onderdeel", "update", "firmware"]

    def __init__(self, supported_language: str = "nl") -> None:
        super().__init__(supported_language=supported_language,
                         context=["ip", "ip-adres", "ipadres", "ip adres", "adres"])
        self.name = "IpRecognizer"

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        kept = []
        for result in results:
            before = words_near(text, result.start, result.end, before=20).split("\u2016")[0]
            if has_any(before, self.NEGATIVE) or re.search(r"[vV]$", text[:result.start]):
                continue
            if self._section_number(text, result.start, result.end):
                continue
            kept.append(result)
        return kept

    @staticmethod
    def _section_number(text: str, start: int, end: int) -> bool:
        """"2.3.4.6": small parts (all below 10), or a number opening a line before a heading
        word, is a section number unless the text says it is an IP address."""
        value = text[start:end]
        if ":" in value or has_any(words_near(text, start, end, before=30), ["ip"]):
            return False
        parts = value.split(".")
        heading = (start == 0 or text[start - 1] == "\n") and re.match(r"[ \t]+[A-ZÀ-Þ]",
                                                                       text[end:end + 3])
        return all(p.isdigit() and int(p) < 10 for p in parts) or bool(heading)
