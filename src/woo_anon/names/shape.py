"""Is a piece of text shaped like a person's name? Shared by the name rules and the model filter."""

from __future__ import annotations

import regex

from woo_anon import lists
from woo_anon.names.patterns import ORG_HINTS, STREETISH


# Names of laws and regulations: never a person, though capitalised inside a sentence.
LAW_WORD = regex.compile(r"(?i)(?:wet|besluit|regeling|verordening|richtlijn|verdrag|reglement|code)$")


def tokens(text: str) -> list[str]:
    """White-space separated tokens of a span."""
    return [t for t in regex.split(r"[ \n\t]+", text) if t]


def only_non_person_words(tokens: list[str]) -> bool:
    """Every content word is a country, language, party, public body, department word,
    hospital or medical term: "Griekenland, India", "E. Coli"."""
    content = [t.strip(",") for t in tokens
               if t.lower() not in lists.interfixes() and not t.endswith(".")]
    return bool(content) and all(lists.is_never_a_person(t) for t in content)


def is_nameish(tokens: list[str], strong: bool) -> bool:
    """Reject spans made only of ordinary words, months, places or organisation words.

    Strong rules (a title, initials, a header or list position) only reject words that are never
    names; weak ones (a known first name before a capitalised word) also reject ordinary words.
    """
    content = [t.strip(",") for t in tokens
               if t.lower() not in lists.interfixes() and not t.endswith(".")]
    parts = [p.lower() for t in tokens for p in regex.split(r"[-/]", t.strip(",")) if p]
    if not content or any(p in ORG_HINTS for p in parts):
        return False
    if STREETISH.search(content[-1]) and content[-1] not in lists.surnames():
        return False  # "de Withstraat" is a street
    if all(t.lower() in lists.not_names() for t in content):
        return False
    if len(content) == 1 and len(tokens) == 1 and (len(content[0]) < 2 or (
            content[0].lower() in lists.common_words() and content[0] not in lists.surnames())):
        return False  # "In", "De", "Het": a lone ordinary word is never a name
    if strong:
        return True
    if LAW_WORD.search(content[-1]):
        return False  # "de Successiewet stelt", "het Vuurwerkbesluit"
    if all(lists.is_never_a_person(t) for t in content):
        return False  # "Griekenland", "VVD", "Coli"
    places = lists.places()
    return not all(lists.is_ordinary_word(t) or t.lower() in places for t in content)


