"""One verdict per person string in a document: a string redacted at one place is redacted
wherever it is readable, or (a lone model guess that the document contradicts) nowhere.

Without this step a plan can redact "Vienna" in one line and leave it two lines further down:
the redaction hides nothing, and the verifier rightly refuses the output as a leak. The strings
are looked for the way the verifier reads a page (`verify.leaked`): whole words with any white
space between them, numbers without their spaces, and a multi-word value also without spaces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from woo_anon.model import Entity, Span
from woo_anon.processors import SEED_SCORE, non_person_context

# a review flag neither redacts nor keeps its text; every other span settles its characters
# (redacted, or kept as an official or an organisation's detail, which the verifier accepts)
_UNSETTLED = frozenset({Entity.PERSON_NER, Entity.SPECIAL_CATEGORY})
MODEL = "ner-model"


def occurrences(text: str, value: str) -> list[tuple[int, int]]:
    """Where `value` is readable in `text`, as `verify.leaked` would find it."""
    words = " ".join(value.split())
    if not words:
        return []
    digits = sum(c.isdigit() for c in words) >= 4
    if not digits and words.split(" ")[0] not in text:
        return []  # cheap test first: a batch document may have thousands of pages and names
    if digits:
        chars = [re.escape(c) for c in words if not c.isspace()]
        pattern, flags = r"\s*".join(chars), re.I
    elif " " in words and len(words) >= 8:
        pattern, flags = re.escape(words).replace(r"\ ", r"\s*"), 0
    else:
        pattern, flags = r"(?<!\w)" + re.escape(words).replace(r"\ ", r"\s+") + r"(?!\w)", 0
    return [(m.start(), m.end()) for m in re.finditer(pattern, text, flags)]


def _index(spans: list[Span]) -> dict[int, list[tuple[int, int]]]:
    pages: dict[int, list[tuple[int, int]]] = {}
    for s in spans:
        pages.setdefault(s.page, []).append((s.start, s.end))
    return pages


def _overlaps(index: dict[int, list[tuple[int, int]]], page: int, start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in index.get(page, ()))


def _model_only(span: Span, spans: list[Span]) -> bool:
    """Found by the model alone: no other detector marked any of these characters a person."""
    return span.recognizer == MODEL and not any(
        s.recognizer != MODEL and s.entity == Entity.PERSON and s.page == span.page
        and s.start < span.end and span.start < s.end for s in spans)


def _weak(span: Span, spans: list[Span]) -> bool:
    """Not enough on its own to call every mention of the string a person."""
    return _model_only(span, spans) or span.score < SEED_SCORE


def consistent_persons(pages: dict[int, str], spans: list[Span]) -> list[Span]:
    """Make every PERSON string's verdict the same across the document (`pages`: number → text).

    For each PERSON span whose exact text is also readable where nothing is redacted:
    - a guess of the model alone, made at no more places than it was not made, is dropped (the
      same string, read elsewhere in the document, was not a person to the model nor to any
      rule: the guess is contradicted);
    - weak guesses only (the model alone, or a rule below propagation strength such as a known
      first name opening a sentence) are dropped when the document also uses the string for a
      place or an organisation ("we met in Vienna"): a word with non-person uses is never
      blanket-redacted;
    - any other detection (rules, propagation, or the model at most places) is extended to
      those places.
    """
    persons = [s for s in spans if s.entity == Entity.PERSON]
    dropped: set[int] = set()
    for _ in range(3):  # a dropped guess may uncover another string: settle again
        added, newly = _settle(pages, spans, persons, dropped)
        if not newly:
            break
        dropped |= newly
    return [s for s in spans if id(s) not in dropped] + added


def _settle(pages: dict[int, str], spans: list[Span], persons: list[Span],
            dropped: set[int]) -> tuple[list[Span], set[int]]:
    index = _index([s for s in spans if s.entity not in _UNSETTLED and id(s) not in dropped])
    added: list[Span] = []
    newly: set[int] = set()
    groups: dict[str, list[Span]] = {}
    for span in persons:
        if id(span) not in dropped:
            groups.setdefault(span.text, []).append(span)
    for text, group in groups.items():
        open_places = [(number, start, end) for number, page_text in pages.items()
                       for start, end in occurrences(page_text, text)
                       if not _overlaps(index, number, start, end)]
        if not open_places:
            continue
        if all(_model_only(s, spans) for s in group) and len(group) <= len(open_places):
            newly.update(id(s) for s in group)
            continue
        if all(_weak(s, spans) for s in group) and any(
                non_person_context(pages[number], start, end) for number, start, end in open_places):
            newly.update(id(s) for s in group)
            continue
        extra = [Span(number, start, end, pages[number][start:end], Entity.PERSON, 0.75,
                      "consistency", "same text as a redacted person elsewhere in the document")
                 for number, start, end in open_places]
        added += extra
        for span in extra:
            index.setdefault(span.page, []).append((span.start, span.end))
    return added, newly


@dataclass(frozen=True)
class Consistency:
    """Runs after propagation and officials, before special categories and the deny list."""

    name: str = "consistency"

    def __call__(self, context, spans: list[Span]) -> list[Span]:
        pages = {p.number: p.text for p in context.document.pages if p.text.strip()}
        return consistent_persons(pages, spans)
