"""Detection processors: each takes the document and the spans found so far and returns the new
list of spans (like docdeid's processors). The Detector runs them in order; adding, removing or
reordering a step is a one-line change to `default_processors`.

A processor never changes a span in place: it returns new Span objects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Protocol

import regex

from woo_anon import lists, names
from woo_anon.evidence import english_common, has_name_evidence, only_weak_words, weak_word
from woo_anon.model import Document, Entity, Page, Span
from woo_anon.names.patterns import LEADING_ROLE
from woo_anon.names.rules import INSTITUTION_WORDS


@dataclass(frozen=True)
class Context:
    """What a processor may read besides the spans: the document and names known from other
    documents of the batch (--propagate-batch)."""

    document: Document
    known_names: tuple[str, ...] = ()


class Processor(Protocol):
    name: str

    def __call__(self, context: Context, spans: list[Span]) -> list[Span]: ...


# --- model-span filter --------------------------------------------------------------------

def _model_word_ok(text: str) -> bool:
    """A lone word from the model is no name when it is an acronym ("NVZ", "GGD") or a word
    with a lower-case part after a hyphen ("Web-ex", "E-mail")."""
    if " " in text:
        return True
    if text.isupper() and len(text) <= 6:
        return False
    return not regex.search(r"-\p{Ll}", text)


_LABEL = regex.compile(r"^(?P<label>\p{L}+(?:[ ]\p{L}+){0,2})(?:[ \t]*:[ \t]+|[ \t]{2,})(?=\S)")


# A word of a name as OCR reads it: initials, a capitalised word (hyphenated, with an apostrophe
# or a particle), or a particle; not capitals-only fragments or words with capitals inside.
_OCR_NAME_WORD = regex.compile(r"^(?:(?:\p{Lu}\.)+|\p{Lu}[\p{Ll}'’]+(?:-\p{Lu}?[\p{Ll}'’]+)*[,.]?|"
                               r"(?i:van|de|der|den|het|ter|ten|te|op|in|'t|v\.d\.|v/d)|\p{Lu}'\p{Lu}?\p{Ll}+)$")


def _function_word(word: str) -> bool:
    """A capitalised preposition, article or greeting opening a sentence, taken along by the
    model: "Met", "Voor", "Dag", "Beste" (never a name part: no known name, no particle)."""
    low = word.lower()
    return (low in lists.common_words() and low not in lists.interfixes()
            and word not in lists.first_names() and word not in lists.surnames()) or low in (
        "dag", "beste", "hoi", "hallo", "geachte", "goedemorgen", "goedemiddag")


def model_person_spans(page: Page, raw: Span) -> list[Span]:
    """A model PER span, cut at line breaks and before a trailing company name, kept only where
    it looks like a name (not only ordinary words, months, places or organisation words)."""
    spans = []
    for piece in regex.finditer(r"[^\n]+", page.text[raw.start:raw.end]):
        start, text = raw.start + piece.start(), piece.group().strip()
        start += piece.group().index(text) if text else 0
        words = text.split(" ")
        for i, word in enumerate(words):
            if i and word.lower().endswith(names.ORG_SUFFIXES):
                cut = i - 1 if i > 1 and words[i - 1].lower() in lists.interfixes() else i
                text = " ".join(words[:cut])
                break
        label = _LABEL.match(text)
        if label and all(lists.is_ordinary_word(w) for w in label.group("label").split()):
            start, text = start + label.end(), text[label.end():]  # "Trekker: Sietske"
        lead = text.split(" ", 1)
        if len(lead) == 2 and _function_word(lead[0]):
            start, text = start + len(lead[0]) + 1, lead[1]  # "Met Eider", "Dag Tamara"
        title = LEADING_ROLE.match(text)
        if title and title.end() < len(text):  # "Kapitein Hoekstra": the rank is no part of the name
            start, text = start + title.end(), text[title.end():]
        if names.in_institution_name(page.text, start, start + len(text)) or any(
                INSTITUTION_WORDS.match(" " + w) for w in text.split(" ")[1:]):
            continue  # "Van Gogh Museum", "het Antoni van Leeuwenhoek"
        if page.ocr and " " not in text.strip() and not has_name_evidence(text):
            continue
        if page.ocr and not all(_OCR_NAME_WORD.match(w) for w in text.split()):
            continue  # OCR noise in a scanned header: "JenVv PJ", "Xl I&w"  # a lone OCR fragment ("Openin"): no known name, too weak; a two-word
            # guess stays (an unlisted name on a scan is otherwise missed: recall first)
        if only_weak_words(text):
            continue  # "Security Council", "Rapporten van ESMA", "October": no name in it
        if text and _model_word_ok(text) and names.is_nameish(names.tokens(text), strong=False):
            spans.append(Span(page.number, start, start + len(text), text, Entity.PERSON,
                              raw.score, "ner-model", "NER model (PER)"))
    return spans


@dataclass(frozen=True)
class ModelSpanFilter:
    """The model's raw PER spans become PERSON spans where they look like names (in place, so
    the order of spans is kept)."""

    name: str = "model-span-filter"

    def __call__(self, context: Context, spans: list[Span]) -> list[Span]:
        pages = {p.number: p for p in context.document.pages}
        out: list[Span] = []
        for span in spans:
            if span.entity == Entity.PERSON_NER:
                out += model_person_spans(pages[span.page], span)
            else:
                out.append(span)
        return out


@dataclass(frozen=True)
class JoinedGuesses:
    """A model guess read across a line break (line-joins) joins two lines of a heading, table
    or address ("Security Council / Distr.", "Baghdad / Iraq") as often as it joins a name:
    kept only when it holds a known first name or surname."""

    name: str = "joined-guesses"

    def __call__(self, context: Context, spans: list[Span]) -> list[Span]:
        return [s for s in spans if not (s.recognizer == "ner-model" and "line break" in s.reason
                                         and not has_name_evidence(s.text))]


# Words that make a "name" an organisation's mailbox or desk: "_Dienstpostbus DCC-VWS",
# "Secretariaat Bestuur", "Servicedesk ICT".
_DESK = regex.compile(r"(?i)^(?:dienstpostbus|postbus|secretariaat|servicedesk|helpdesk|"
                      r"klantcontact\w*|bezwaarschriften|functionele)")
_CAPS = regex.compile(r"^[\p{Lu}]{2,}$")


_FRAGMENT = regex.compile(r"[@<>.©]|^\W*$")  # a mangled e-mail address, punctuation


def _ocr_box_reading(text: str) -> bool:
    """OCR of a redaction box already burned into a scan reads as capitals and address
    fragments ("EEEN MEM", "EREMREN rivm.nl>", "EEEN rv nj"): besides fragments and one- or
    two-letter noise, every word in capitals, and none a known name in any case."""
    words = [w.strip(",;:()[]{}|'\"+") for w in text.split()]
    words = [w for w in words if w and not _FRAGMENT.search(w) and len(w) > 2]
    return all(_CAPS.match(w) for w in words) and not any(
        w.title() in lists.surnames() or w.title() in lists.first_names() for w in words)


def _ocr_noise_word(span: Span) -> bool:
    """A lone word that a weak rule took for a name on an OCR page, where it is as likely a
    misread word ("Dez", "Tip"): very short, or an ordinary Dutch or common English word."""
    word = span.text.strip()
    return (span.score < SEED_SCORE and " " not in word
            and (len(word) <= 3 or lists.is_ordinary_word(word) or english_common(word)))


# Numbered headings that the street rule reads as "street + number": "Antwoord 2",
# "Thuisbemonstering 1273" at the start of a line, the word an ordinary word and no known street.
_HEADING_NUMBER = regex.compile(r"^(?P<word>\p{Lu}\p{Ll}+)\s+\d{1,4}$")


def _numbered_heading(page_text: str, span: Span) -> bool:
    hit = _HEADING_NUMBER.match(span.text)
    if not hit or (span.start and page_text[span.start - 1] != "\n"):
        return False
    word = hit.group("word")
    return lists.is_ordinary_word(word) and word.lower() not in lists.streets()


def inside_place_name(text: str, start: int, end: int) -> bool:
    """The span is part of a longer known place name around it: "Bosch en [Duin]", "[Sint]
    Maarten", "Alphen aan den [Rijn]" (words read across line breaks too)."""
    before = text[max(0, start - 40):start].split()[-3:]
    after = text[end:end + 40].split()[:3]
    middle = " ".join(text[start:end].split())
    places = lists.places()
    for i in range(len(before) + 1):
        for j in range(len(after) + 1):
            if i + j == 0 and " " not in middle:
                continue  # one word alone is judged by the name filters ("Kampen" vs "Van Kampen")
            words = before[len(before) - i:] + [middle] + after[:j]
            if lists.fold(" ".join(words).strip(",.;:()")) in places:
                return True
    return False


def _weak_person(span: Span) -> bool:
    return span.recognizer in ("ner-model", "propagation") or span.score < 0.8


@dataclass(frozen=True)
class NonPersonSpans:
    """Person spans that are an organisation's desk or mailbox name, and (on OCR pages) the
    reading of a box the publisher already burned in or a misread word, are no person; a
    numbered heading ("Antwoord 2") is no address."""

    name: str = "non-person-spans"

    def __call__(self, context: Context, spans: list[Span]) -> list[Span]:
        ocr = {p.number for p in context.document.pages if p.ocr or p.scan}
        texts = {p.number: p.text for p in context.document.pages}
        return [s for s in spans if not (s.entity == Entity.PERSON and (
            any(_DESK.match(w.strip("_-()[]")) for w in s.text.split())
            or (_weak_person(s) and inside_place_name(texts[s.page], s.start, s.end))
            or (s.page in ocr and (_ocr_box_reading(s.text) or _ocr_noise_word(s)))))
            and not (s.entity == "NL_ADDRESS" and _numbered_heading(texts[s.page], s))]


# --- birth dates in tables ----------------------------------------------------------------

_BIRTH_HEADER = regex.compile(r"(?i)geboortedatum|geb\.?\s?datum|geboren(?:\s+op)?|date of birth")
_DATE = regex.compile(r"(?<![\w.-])(?:\d{1,2}[-/.]\d{1,2}[-/.](?:\d{4}|\d{2})|(?:19|20)\d{2}-\d{2}-\d{2}|"
                      r"\d{1,2}\s(?:januari|februari|maart|april|mei|juni|juli|augustus|september|"
                      r"oktober|november|december)\s\d{4})(?![\w-])", regex.I)


def birth_date_column(page: Page) -> list[Span]:
    """Dates in a table column headed "Geboortedatum": below the header, under its x-range."""
    if not page.boxes:
        return []
    out = []
    for header in _BIRTH_HEADER.finditer(page.text):
        line_start = page.text.rfind("\n", 0, header.start()) + 1
        line_end = page.text.find("\n", header.end())
        line = page.text[line_start: line_end if line_end >= 0 else len(page.text)]
        if len(line.strip(" :")) > len(header.group()) + 3:
            continue  # a column header stands alone in its cell, not inside a sentence
        boxes = [b for b in page.boxes[header.start():header.end()] if b]
        if not boxes:
            continue
        x0, x1 = min(b[0] for b in boxes) - 15, max(b[2] for b in boxes) + 40
        top = max(b[3] for b in boxes)
        for date in _DATE.finditer(page.text):
            first = page.boxes[date.start()]
            if first and first[1] >= top and x0 <= (first[0] + first[2]) / 2 <= x1:
                out.append(Span(page.number, date.start(), date.end(), date.group(),
                                Entity.DATE_OF_BIRTH, 0.9, "DateOfBirthRecognizer",
                                "date in a birth-date column"))
    return out


@dataclass(frozen=True)
class BirthDateColumns:
    name: str = "table-birth-dates"

    def __call__(self, context: Context, spans: list[Span]) -> list[Span]:
        pages = [p for p in context.document.pages if p.text.strip()]
        return spans + [span for page in pages for span in birth_date_column(page)]


# --- propagation and officials ------------------------------------------------------------

def _name_words(text: str) -> set[str]:
    """The words that identify a name: without initials ("E.M.") and tussenvoegsels."""
    words = (w.strip(",;:()'\"") for w in text.split())
    return {w for w in words if w and not w.endswith(".") and w.lower() not in lists.interfixes()}


def _official_words(spans: list[Span]) -> set[str]:
    return {w for s in spans if s.entity == Entity.PERSON_OFFICIAL for w in _name_words(s.text)}


def propagate_names(document: Document, spans: list[Span], known_names: tuple[str, ...] = (),
                    official_spans: list[Span] | None = None) -> list[Span]:
    """Every later (or earlier) mention of a detected person's name parts, on every page.
    Officials' names (from `official_spans`, default `spans`) are never propagated."""
    parts: dict[str, None] = {}
    found = [s.text for s in spans if s.entity == Entity.PERSON and is_seed(s)]
    for name in list(known_names) + found:
        parts.update(dict.fromkeys(p for p in names.name_parts(name) if _searchable(p)))
    for span in spans:
        if span.entity == Entity.EMAIL_ADDRESS:
            parts.update(dict.fromkeys(names.names_from_email(span.text)))
    official = _official_words(spans if official_spans is None else official_spans)
    matcher = names.mentions_matcher([p for p in parts if not _name_words(p) <= official])
    matches = [(page, m) for page in (document.pages if matcher else ())
               for m in matcher.finditer(page.text, overlapped=True)]
    # a word the document also uses for a place, an organisation or a thing is not blanket-redacted
    mixed = {lists.fold(m.group()) for page, m in matches
             if non_person_context(page.text, m.start(), m.end())}
    return [Span(page.number, m.start(), m.end(), m.group(), Entity.PERSON, 0.75, "propagation",
                 "same name as a detected person")
            for page, m in matches if lists.fold(m.group()) not in mixed]


def _searchable(part: str) -> bool:
    """A name part worth searching for on its own: not a country, party or place, and a lone
    word only when it is a known name or no common word ("Council", "Post" are not)."""
    if lists.is_never_a_person(part) or lists.fold(part) in lists.places():
        return False
    if " " in part:
        return True
    known = part in lists.surnames() or part in lists.first_names()
    return known or not weak_word(part)


SEED_SCORE = 0.7
_PLACE_OR_ORG_BEFORE = regex.compile(
    r"(?i)(?:\b(?:het|in|te|naar|uit|gemeente|provincie|regio|stichting|firma|bedrijf|hotel|"
    r"restaurant|café|winkel|merk|project|programma|locatie|wijk|dorp|stad)|[\d])[ ]$")
_ORG_AFTER = regex.compile(r"(?i)^[ ]?(?:b\.?v\.?|n\.?v\.?|v\.?o\.?f\.?|holding|groep|group|"
                           r"international|nederland|benelux|ziekenhuis|museum|school|college|"
                           r"universiteit|instituut|kliniek|stichting)\b|^-?(?:straat|laan|weg|plein)")


def is_seed(span: Span) -> bool:
    """Confident and person-shaped enough to look for the name elsewhere: rules at their usual
    strength; from the model only a guess that holds a known first name or surname ("Hans
    Blix", not "Security Council" or "Parkstad Limburg")."""
    if span.score < SEED_SCORE and span.recognizer != "propagation":
        return False
    if "\n" in span.text.strip():
        return False  # read across a line break: the second line may be something else
    if span.recognizer == "ner-model":
        return has_name_evidence(span.text) and not only_weak_words(span.text)
    return True


def non_person_context(text: str, start: int, end: int) -> bool:
    """The word at text[start:end] is used here for a place, an organisation or a thing:
    "in Zwolle", "het Rijnstate", "Jansen B.V.", "Visser Groep"."""
    return bool(_PLACE_OR_ORG_BEFORE.search(text[max(0, start - 14):start])
                or _ORG_AFTER.match(text[end:end + 16]))


@dataclass(frozen=True)
class Propagation:
    """Mentions of detected names elsewhere. A name on the allow list seeds nothing: allowing
    "Jan Pietersen" must not make every "Pietersen" a detected person."""

    allowed: frozenset[str] = frozenset()  # allow-list terms as lists.term_key gives them
    name: str = "propagation"

    def __call__(self, context: Context, spans: list[Span]) -> list[Span]:
        seeds = [s for s in spans if lists.term_key(s.text) not in self.allowed]
        return spans + propagate_names(context.document, seeds, context.known_names,
                                       official_spans=spans)


def mark_officials(spans: list[Span]) -> list[Span]:
    """A name that the document also uses for an official in office ("wethouder Dorrestein") is
    that official wherever it appears without other name parts."""
    official = _official_words(spans)
    if not official:
        return spans
    surnames = {_surname(s.text) for s in spans if s.entity == Entity.PERSON_OFFICIAL} - {""}
    return [replace(span, entity=Entity.PERSON_OFFICIAL,
                    reason="same name as an official named in office")
            if span.entity == Entity.PERSON and _name_words(span.text)
            and (_name_words(span.text) <= official or _official_with_first_name(span.text, surnames))
            else span
            for span in spans]


def _surname(text: str) -> str:
    words = [w for w in text.replace(",", " ").split() if not w.endswith(".")]
    return words[-1] if words else ""


def _official_with_first_name(text: str, surnames: set[str]) -> bool:
    """"Annemiek Taselaar" where the document names "wethouder Taselaar": one first name before
    an official's surname is that official (initials and particles aside)."""
    words = [w for w in _name_words(text)]
    return len(words) == 2 and " " in text.strip() and "," not in text and _surname(text) in surnames


@dataclass(frozen=True)
class Officials:
    """Runs after propagation, so propagated mentions of an official's name are marked too."""

    name: str = "officials"

    def __call__(self, context: Context, spans: list[Span]) -> list[Span]:
        return mark_officials(spans)


# --- deny list ----------------------------------------------------------------------------

def deny_mentions(text: str, term: str) -> list[tuple[int, int]]:
    """Where a deny-list term occurs: as a name part (tussenvoegsel in any case) or as the
    term itself in any case, with any white space between its words."""
    pattern = r"(?<!\w)" + re.escape(term).replace(r"\ ", r"\s+") + r"(?!\w)"
    folded = [(m.start(), m.end()) for m in re.finditer(pattern, text, re.I)]
    return list(dict.fromkeys(names.find_mentions(text, term) + folded))


@dataclass(frozen=True)
class DenyList:
    """Every occurrence of the user's deny-list terms, redacted whatever the detectors said."""

    terms: tuple[str, ...] = ()
    name: str = "deny-list"

    def __call__(self, context: Context, spans: list[Span]) -> list[Span]:
        out = list(spans)
        for page in context.document.pages:
            for term in self.terms:
                for start, end in deny_mentions(page.text, term):
                    out.append(Span(page.number, start, end, page.text[start:end],
                                    Entity.DENY_LIST, 1.0, "deny-list", "deny-list"))
        return out
