"""Special categories of personal data (5.1.1d): health, religion, ethnicity, political opinion,
trade-union membership, sexual life, biometric and criminal data, found with a versioned Dutch
lexicon (data/special_categories.toml) matched on lemmas.

These are flagged for review, never redacted automatically: whether a sentence says something
about an identifiable person is a judgement for an officer. A match scores higher when a person
is named (or referred to) in the same sentence; general text about the categories (law text,
boilerplate) and aggregates ("ziekteverzuim 4%") are not flagged.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache

import regex

from woo_anon.lists import DATA
from woo_anon.model import Entity, Span

_WORD = regex.compile(r"[\p{L}\p{N}][\p{L}\p{N}'’-]*")
# A sentence ends at . ! ? followed by white space, or at a blank line; a single line break
# inside a sentence (a wrapped line) does not end it.
_SENTENCE_END = regex.compile(r"(?<=[.!?])\s+|\n\s*\n")
# Sentences about the categories in general: the law, a privacy statement, a policy text.
_BOILERPLATE = regex.compile(r"(?i)persoonsgegevens|\bavg\b|\bwoo\b|artikel\s+\d|5\.1\.1|"
                             r"\bwet\b|privacy|verwerking|beleid|regeling")
# Aggregates say nothing about one person.
_AGGREGATE = regex.compile(r"(?i)\d\s?%|procent|percentage|aantal|gemiddeld|statistiek|cijfers")
_PRONOUNS = frozenset("hij zij ze haar zijn hem mijn mij ik u uw cliënt client betrokkene "
                      "meneer mevrouw".split())
BASE_SCORE, PERSON_SCORE, PRONOUN_SCORE = 0.4, 0.85, 0.6


@dataclass(frozen=True)
class Lexicon:
    version: str
    terms: tuple[tuple[tuple[str, ...], str], ...]  # (words of the term, category)


@lru_cache(maxsize=None)
def lexicon() -> Lexicon:
    """The special-category lexicon (read once)."""
    data = tomllib.loads((DATA / "special_categories.toml").read_text("utf-8"))
    terms = [(tuple(term.split()), category)
             for category, entry in data.get("categories", {}).items() for term in entry["terms"]]
    return Lexicon(str(data.get("version", "")), tuple(sorted(terms, key=lambda t: -len(t[0]))))


def lemmas(word: str) -> set[str]:
    """The word and the forms it may be an inflection of ("katholieke" -> "katholiek",
    "vingerafdrukken" -> "vingerafdruk", "ziektes" -> "ziekte")."""
    low = word.lower().strip("'’-")
    out = {low}
    if low.endswith("en") and len(low) > 4:
        stem = low[:-2]
        out |= {stem, stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else stem}
    if low.endswith(("s", "e")) and len(low) > 3:
        out.add(low[:-1])
    if low.endswith("'s"):
        out.add(low[:-2])
    return out


@lru_cache(maxsize=1 << 16)
def _forms(word: str) -> frozenset[str]:
    return frozenset(lemmas(word))


def _word_matches(forms: frozenset[str], term_word: str) -> bool:
    if term_word.endswith("*"):
        return any(f.startswith(term_word[:-1]) for f in forms)
    return term_word in forms


def _starts(term_word: str, forms: list[frozenset[str]], by_form: dict[str, list[int]]):
    """Positions of the words a term can start at (ascending)."""
    if term_word.endswith("*"):
        return [i for i, word_forms in enumerate(forms) if _word_matches(word_forms, term_word)]
    return by_form.get(term_word, ())


def find_terms(text: str) -> list[tuple[int, int, str]]:
    """(start, end, category) of every lexicon term in `text`, longest terms first, no overlaps.
    Each word's forms are computed once and indexed, so a term is tried only where its first
    word occurs."""
    words = list(_WORD.finditer(text))
    forms = [_forms(w.group()) for w in words]
    by_form: dict[str, list[int]] = {}
    for i, word_forms in enumerate(forms):
        for form in word_forms:
            by_form.setdefault(form, []).append(i)
    taken: set[int] = set()
    found = []
    for term, category in lexicon().terms:
        n = len(term)
        for i in _starts(term[0], forms, by_form):
            if i + n > len(words) or any(i + k in taken for k in range(n)):
                continue
            if all(_word_matches(forms[i + k], term[k]) for k in range(1, n)):
                taken.update(range(i, i + n))
                found.append((words[i].start(), words[i + n - 1].end(), category))
    return sorted(found)


def _score(sentence: tuple[int, int], text: str, persons: list[Span]) -> float:
    start, end = sentence
    if any(start <= s.start and s.end <= end for s in persons):
        return PERSON_SCORE
    words = {w.group().lower() for w in _WORD.finditer(text[start:end])}
    return PRONOUN_SCORE if words & _PRONOUNS else BASE_SCORE


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of a page's text."""
    out, start = [], 0
    for end in _SENTENCE_END.finditer(text):
        if text[start:end.start()].strip():
            out.append((start, end.start()))
        start = end.end()
    if text[start:].strip():
        out.append((start, len(text)))
    return out


def special_category_spans(page_number: int, text: str, spans: list[Span]) -> list[Span]:
    """SPECIAL_CATEGORY spans on one page, with the sentence's person evidence in the score."""
    persons = [s for s in spans if s.page == page_number
               and s.entity in (Entity.PERSON, Entity.PERSON_OFFICIAL)]
    out = []
    for first, last in sentences(text):
        body = text[first:last]
        if _BOILERPLATE.search(body) or _AGGREGATE.search(body):
            continue
        for start, end, category in find_terms(body):
            s, e = first + start, first + end
            score = _score((first, last), text, persons)
            out.append(Span(page_number, s, e, text[s:e], Entity.SPECIAL_CATEGORY, score,
                            "special-categories",
                            f"special category: {category} (lexicon {lexicon().version})"))
    return out


@dataclass(frozen=True)
class SpecialCategories:
    """Detection processor: flags special-category terms (runs after names are known, so a
    person named in the same sentence raises the score)."""

    name: str = "special-categories"

    def __call__(self, context, spans: list[Span]) -> list[Span]:
        found = [span for page in context.document.pages if page.text.strip()
                 for span in special_category_spans(page.number, page.text, spans)]
        return spans + found
