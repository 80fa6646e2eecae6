"""Name parts worth searching for once a person is known, and finding their mentions."""

from __future__ import annotations

import regex

from woo_anon import lists


def name_parts(name: str) -> list[str]:
    """Strings worth searching for elsewhere once `name` is known to be a person.

    "J.P. van der Berg" -> ["J.P. van der Berg", "van der Berg"]; "Jan Jansen" -> ["Jan Jansen",
    "Jansen", "Jan"]. Bare surnames that are also place names are only searched with their
    tussenvoegsel; ordinary words are never searched alone.
    """
    name = " ".join(name.split()).strip(" ,")
    parts = [name] if name else []  # the detected text itself, whatever its length
    tokens = name.split(" ")
    ix = lists.interfixes()
    common, places = lists.common_words(), lists.places()
    surname_start = len(tokens) - 1
    while surname_start > 0 and " ".join(tokens[surname_start - 1: surname_start]).lower() in ix | {
            t.split()[0] for t in ix}:
        surname_start -= 1
    surname = " ".join(tokens[surname_start:])
    last = tokens[-1]
    if surname != last:
        parts.append(surname)
    elif len(last) >= 3 and last.lower() not in common and last.lower() not in places:
        parts.append(last)
    for token in tokens[:surname_start]:
        if (len(token) >= 3 and not token.endswith(".") and token in lists.first_names()
                and token.lower() not in common and token.lower() not in places):
            parts.append(token)
    return list(dict.fromkeys(p for p in parts if p))


def _mention_body(part: str) -> str:
    body = regex.escape(part).replace(r"\ ", r"\s+")
    if part[:1].islower():  # a leading tussenvoegsel may be capitalised: "van der Berg"
        body = "(?i:" + body[0] + ")" + body[1:]
    return body


def find_mentions(text: str, part: str) -> list[tuple[int, int]]:
    """Whole-word occurrences of a name part."""
    pattern = r"(?<![\w])" + _mention_body(part) + r"(?![\w])"
    return [(m.start(), m.end()) for m in regex.finditer(pattern, text)]


def mentions_matcher(parts: list[str]) -> regex.Pattern | None:
    """One pattern for many name parts (longest first), overlapping matches allowed."""
    if not parts:
        return None
    bodies = [_mention_body(p) for p in sorted(set(parts), key=len, reverse=True)]
    return regex.compile(r"(?<![\w])(?:" + "|".join(bodies) + r")(?![\w])")


def names_from_email(address: str) -> list[str]:
    """`j.terpstra@x.nl` -> ["Terpstra"]; `jan.de.vries@` -> ["Jan", "de Vries"]."""
    local = address.split("@")[0].lower()
    tokens = [t for t in regex.split(r"[._\-]+", local) if t]
    out = []
    for token in tokens:
        cap = token.capitalize()
        if len(token) >= 3 and (cap in lists.surnames() or cap in lists.first_names()) \
                and token not in lists.common_words():
            out.append(cap)
    return out
