"""The organisation's own contact details stay public: the letterhead, the footer and the
colophon of a letter ("Ministerie van ..., Parnassusplein 5, 2511 VX Den Haag, Postbus 20350,
T 070 340 79 11"), and an agency's address under a civil servant's signature.

An address or postcode is the organisation's when its block (the lines around it: a text block
up to the next blank line; on an OCR page, where every line stands alone, the two lines above
and below) names an organisation or a post-office box, and nothing in the block says a private
person lives there. A fixed-line phone number is the organisation's under the same test and
when no person's name stands in the block (a civil servant's direct line under their name stays
redacted); mobile numbers are never organisational. One value gets one verdict per document:
the same organisational postcode or number elsewhere in the document is kept too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import phonenumbers
import regex

from woo_anon.model import Entity, Page, Span

ORG_MARKERS = regex.compile(
    r"(?i)\bpostbus[ ]?\d|\bp\.?[ ]?o\.?[ ]?box\b|\bantwoordnummer\b|\bministerie[ ]van\b|"
    r"\bministry[ ]of\b|\brijksinstituut\b|\bdirectie[ ]\p{Lu}|\bdirectoraat|\bbezoekadres\b|"
    r"\bpostadres\b|\bretouradres\b|\bvisiting[ ]address\b|\bwww\.|\bgemeente[ ]\p{Lu}|"
    r"\brijksoverheid\b|\bcentre[ ]for\b|\bcentrum[ ]voor\b|\binstituut\b|\bgemeentehuis\b|"
    r"\bstadhuis\b|\bprovinciehuis\b|\b(?:info|post|postbus|woo|secretariaat|contact)@|"
    # a line that opens with an organisation noun: "Centrum Infectieziektebestrijding"
    r"(?m)^[ \t|]*(?:centrum|center|centre|rijksinstituut|ministerie|gemeente|directie|afdeling|"
    r"dienst|bureau|instituut|institute|stichting|universiteit|university|provincie|waterschap|"
    r"landelijke|nationaal|nationale|ziekenhuis|hospital|inspectie|agentschap|autoriteit)\b")
# an e-mail domain of an organisation (not a free mailbox provider): an office address block
_WORK_MAIL = regex.compile(r"@[ ]?(?!(?:gmail|hotmail|outlook|live|icloud|me|yahoo|ziggo|kpnmail|"
                           r"kpnplanet|planet|xs4all|home|hetnet|casema|chello|upcmail|online|"
                           r"telfort|tele2|msn|protonmail|proton)\.)[\w-]+[ ]?\.[ ]?(?:nl|eu|org|com|int)\b")
PRIVATE_MARKERS = regex.compile(r"(?i)\bwoont\b|\bwonende\b|\bwoonachtig\b|\bwoonadres\b|"
                                r"\bhuisadres\b|\bprivé|\bprive\b|\bthuisadres\b|\bgeboren\b|"
                                r"\bafzender\b|\bverzoeker\b|\baanvrager\b|\bbewoner\b")
# For a phone number the organisation must be named right beside it (its own line or the next
# one), in the words of a letterhead or colophon, and nobody speaks of their own number.
LETTERHEAD = regex.compile(r"(?i)\bpostbus[ ]?\d|\bp\.?[ ]?o\.?[ ]?box\b|\bministerie[ ]van\b|"
                           r"\bbezoekadres\b|\bpostadres\b|\bwww\.|\bministry[ ]of\b|"
                           r"\b(?:info|post|postbus|gemeente|woo|secretariaat|contact)@|"
                           r"(?m)^[ \t|\\]*gemeente[ ]\p{Lu}")
FIRST_PERSON = regex.compile(r"(?i)\b(?:ik|mij|me|mijn|bereikbaar|mobiel|privé|prive|direct|"
                             r"doorkies\w*)\b")
ADDRESS_ENTITIES = {"NL_ADDRESS", "NL_POSTCODE"}
PHONE = "PHONE_NUMBER"
FUNCTIONAL_MAIL = "EMAIL_FUNCTIONAL"
PERSONS = {Entity.PERSON, Entity.PERSON_OFFICIAL}


def block_around(page: Page, start: int, end: int) -> tuple[int, int]:
    """The character range of the block holding text[start:end] (see the module doc)."""
    text = page.text
    if page.ocr:
        left = start
        for _ in range(3):  # the line itself and two non-blank lines above
            left = _line_start(text, _skip_blank_back(text, left))
        right = end
        for _ in range(3):
            right = _line_end(text, _skip_blank_forward(text, right))
        return left, right
    left = text.rfind("\n\n", 0, start)
    right = text.find("\n\n", end)
    return (0 if left < 0 else left + 2), (len(text) if right < 0 else right)


def _near(text: str, start: int, end: int) -> tuple[int, int]:
    """The line of text[start:end] and the non-blank line above and below it."""
    return (_line_start(text, _skip_blank_back(text, start)),
            _line_end(text, _skip_blank_forward(text, end)))


def _line_start(text: str, at: int) -> int:
    return text.rfind("\n", 0, max(at, 0)) + 1


def _line_end(text: str, at: int) -> int:
    found = text.find("\n", at)
    return len(text) if found < 0 else found


def _skip_blank_back(text: str, at: int) -> int:
    at = _line_start(text, at) - 1
    while at > 0 and not text[_line_start(text, at):at].strip():
        at = _line_start(text, at) - 1
    return max(at, 0)


def _skip_blank_forward(text: str, at: int) -> int:
    at = _line_end(text, at) + 1
    while at < len(text) and not text[at:_line_end(text, at)].strip():
        at = _line_end(text, at) + 1
    return min(at, len(text))


def _fixed_line(value: str) -> bool:
    try:
        number = phonenumbers.parse(value, "NL")
    except phonenumbers.NumberParseException:
        return not re.sub(r"\D", "", value).startswith(("06", "316"))
    kind = phonenumbers.number_type(number)
    return kind not in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.PAGER)


# Words before a fixed-line number in its sentence that name a desk of the organisation: "bel
# de gemeente via", "de griffie is bereikbaar op", "het Klant Contact Centrum:".
DESK_WORDS = regex.compile(r"(?i)\b(?:gemeente|griffie|secretariaat|afdeling|bureau|klant[ ]?contact[ ]?"
                           r"centrum|kcc|loket|servicepunt|balie|receptie|bezwaarschriftencommissie|"
                           r"bezwarencommissie|commissie|provincie|waterschap|ministerie|ombudsman|"
                           r"omgevingsdienst|veiligheidsregio|ggd|politie|organisatie|kantoor|"
                           r"helpdesk|servicedesk|informatielijn|publieksbalie|stadswinkel)\b")
# Words that make a number in the sentence a person's: "mijn", "zijn", "direct", "de behandelend
# ambtenaar", "uw contactpersoon".
PERSONAL_WORDS = regex.compile(r"(?i)\b(?:ik|mij|me|mijn|hij|zij|ze|hem|haar|zijn|direct|directe|"
                               r"doorkies\w*|mobiel\w*|privé|prive|thuis|eigen|ambtenaar|behandelaar|"
                               r"contactpersoon|medewerker|medewerkster|consulent|casemanager|"
                               r"mevrouw|heer|dhr|mw|aanvrager|melder|bewoner|verzoeker|bezwaarmaker|uw|gebeld|belde|"
                               r"teruggebeld|nummer[ ]van)\b")


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around text[start:end] (to a sentence end or a blank line; 160 characters
    at most on each side)."""
    left = max(text.rfind(stop, max(0, start - 160), start) for stop in (". ", "? ", "! ", "\n\n"))
    left = max(0, start - 160) if left < 0 else left + 2
    rights = [i for i in (text.find(stop, end, end + 160) for stop in (". ", "? ", "! ", "\n\n")) if i >= 0]
    return left, min(rights) if rights else min(len(text), end + 160)


def desk_number(page: Page, span: Span, spans: list[Span]) -> bool:
    """A fixed-line number whose sentence names a desk of the organisation before it and no
    person ("Vragen? Bel de gemeente: 0343 561 200", "De griffie is bereikbaar op ...")."""
    if span.entity != PHONE or not _fixed_line(span.text):
        return False
    left, right = _sentence(page.text, span.start, span.end)
    before, whole = page.text[left:span.start], page.text[left:right]
    if not DESK_WORDS.search(before) or PERSONAL_WORDS.search(whole):
        return False
    return not any(s.page == span.page and s.entity in PERSONS and left <= s.start < right
                   for s in spans)


def organisational(page: Page, span: Span, spans: list[Span]) -> bool:
    """Is this address, postcode or fixed-line number the organisation's own?"""
    if desk_number(page, span, spans):
        return True
    left, right = block_around(page, span.start, span.end)
    block = page.text[left:right]
    if PRIVATE_MARKERS.search(block):
        return False
    if span.entity != PHONE:
        return bool(ORG_MARKERS.search(block) or _WORK_MAIL.search(block))
    near_left, near_right = _near(page.text, span.start, span.end)
    near = page.text[near_left:near_right]
    if FIRST_PERSON.search(near) or not _fixed_line(span.text):
        return False
    if LETTERHEAD.search(near):
        return not any(s.page == span.page and s.entity in PERSONS and near_left <= s.start < near_right
                       for s in spans)  # a civil servant's direct line under their name stays personal
    return _desk_block(span, spans, left, right)


def _desk_block(span: Span, spans: list[Span], left: int, right: int) -> bool:
    """A footer or contact block of a desk: the number stands beside the organisation's
    functional mailbox ("T 0318 680 400 | E vergunningen@ede.nl") in a block that names no
    person and holds no personal e-mail address."""
    inside = [s for s in spans if s.page == span.page and left <= s.start < right]
    return (any(s.entity == FUNCTIONAL_MAIL for s in inside)
            and not any(s.entity in PERSONS or s.entity == "EMAIL_ADDRESS" for s in inside))


def _key(span: Span) -> tuple[str, str]:
    family = "phone" if span.entity == PHONE else "address"
    return family, re.sub(r"\W", "", span.text).lower()


@dataclass(frozen=True)
class OrganisationDetails:
    """Addresses, postcodes and fixed-line numbers in an organisation's own block are kept
    (ORG_ADDRESS, PHONE_ORGANISATION: public by default in the grounds table)."""

    name: str = "organisation-details"

    def __call__(self, context, spans: list[Span]) -> list[Span]:
        pages = {p.number: p for p in context.document.pages}
        org_keys = {_key(s) for s in spans if (s.entity in ADDRESS_ENTITIES or s.entity == PHONE)
                    and s.page in pages and organisational(pages[s.page], s, spans)}
        org_keys |= {("address", re.sub(r"\W", "", s.text).lower()) for s in spans
                     if s.entity == "ORG_ADDRESS"}
        return [_as_organisation(s) if (s.entity in ADDRESS_ENTITIES or s.entity == PHONE)
                and _key(s) in org_keys else s for s in spans]


def _as_organisation(span: Span) -> Span:
    if span.entity == PHONE:
        return replace(span, entity="PHONE_ORGANISATION",
                       reason="the organisation's own number (letterhead, colophon)")
    return replace(span, entity="ORG_ADDRESS",
                   reason="the organisation's own address (letterhead, colophon)")
