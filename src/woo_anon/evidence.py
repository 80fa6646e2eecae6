"""How much a piece of text says "this is a person": used to judge the model's guesses and to
decide which detections may be propagated to every other mention in a document.

A word is *weak* when, on its own, it is no evidence of a name: an ordinary Dutch word, a
common English word ("Council", "States", "October"), an acronym ("ESMA"), a Roman numeral,
a place, a country, a party or an institution word. A word is *name evidence* when it is a
known first name or surname and not weak. The model's guess made only of weak words is no
person; a model guess is propagated only when it holds name evidence.
"""

from __future__ import annotations

from functools import lru_cache

import regex

from woo_anon import lists

# Zipf frequency (log10 per billion words) from which an English word is common: "council"
# 5.1, "october" 5.1, "chairman" 4.8; names rarely reach it ("jansen" 3.0, "blix" 1.9).
ENGLISH_COMMON_ZIPF = 4.0
_ROMAN = regex.compile(r"^(?:I{1,3}|IV|VI{0,3}|IX|XI{0,3})$")
_ACRONYM = regex.compile(r"^[\p{Lu}\d&-]{2,6}$")


@lru_cache(maxsize=50_000)
def english_common(word: str) -> bool:
    """A common English word ("Council", "Member", "Further"), by wordfreq's frequency list."""
    from wordfreq import zipf_frequency

    low = word.lower().strip(".,;:'’")
    return len(low) > 1 and zipf_frequency(low, "en", wordlist="small") >= ENGLISH_COMMON_ZIPF


def content_words(text: str) -> list[str]:
    """The words of a span without tussenvoegsels and initials."""
    return [w.strip(",;:()'\"") for w in regex.split(r"[\s/]+", text)
            if w and w.lower() not in lists.interfixes() and not w.endswith(".")
            and w.strip(",;:()'\"")]


@lru_cache(maxsize=50_000)
def weak_word(word: str) -> bool:
    """On its own, no evidence of a person (see the module doc)."""
    if not word or not word[0].isupper():
        return True
    return bool(_ACRONYM.match(word) or _ROMAN.match(word) or lists.is_ordinary_word(word)
                or english_common(word) or word.lower() in lists.places()
                or lists.is_never_a_person(word) or word.lower() in lists.not_names())


@lru_cache(maxsize=50_000)
def name_word(word: str) -> bool:
    """A known first name or surname that is not also a weak word."""
    return (word in lists.first_names() or word in lists.surnames()) and not weak_word(word)


def only_weak_words(text: str) -> bool:
    """Every content word is weak: "Security Council", "Rapporten van ESMA", "Member States"."""
    words = content_words(text)
    return bool(words) and all(weak_word(w) for w in words)


def has_name_evidence(text: str) -> bool:
    """At least one content word is a known name: "Hans Blix", "Romke de Jong"."""
    return any(name_word(w) for w in content_words(text))
