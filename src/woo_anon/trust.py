"""Is a page's text layer what the page shows? Glyph statistics that flag untrustworthy text.

A Type3 font without a ToUnicode map, glyphs that extract to U+FFFD or private-use code points,
or a ToUnicode map that was scrambled (text that no language looks like) all mean that what
extraction reads is not what a reader sees. Such pages are treated as scans: OCR reads what is
shown, detection and verification work on that.
"""

from __future__ import annotations

from collections import Counter

import pymupdf

VOWELS = set("aeiouyáéíóúàèìòùäëïöüâêîôû")
MIN_LETTERS = 60  # below this, letter statistics say nothing
MIN_LINE_LETTERS = 30  # a line this long is judged on its own
VOWEL_RANGE = (0.22, 0.65)  # Dutch, English, German, French prose: about 0.35-0.45
MAX_ODD = 0.05  # share of characters that cannot be what was drawn
MIN_SPACE_SHARE = 0.04  # prose has a space every 5-8 characters


def _odd(ch: str) -> bool:
    code = ord(ch)
    return ch == "\ufffd" or 0xE000 <= code <= 0xF8FF or (code < 32 and ch not in "\n\r\t")


# Latin-script letters (below U+0250) and those of them whose lower case is a vowel.
_LATIN = frozenset(c for c in map(chr, range(0x250)) if c.isalpha())
_LATIN_VOWELS = frozenset(c for c in _LATIN if c.lower() in VOWELS)


def _type3_without_unicode(page: pymupdf.Page) -> bool:
    doc = page.parent
    try:
        fonts = page.get_fonts(full=True)
    except Exception:
        return False
    return any(f[2] == "Type3" and doc.xref_get_key(f[0], "ToUnicode")[0] == "null"
               for f in fonts if f[0] > 0)


def _chunks(text: str) -> list[str]:
    """Lines on their own when long enough to judge, short ones grouped."""
    chunks, current, letters = [], "", 0
    for line in text.splitlines():
        count = sum(map(str.isalpha, line))
        if count >= MIN_LINE_LETTERS:
            chunks.append(line)
        else:
            current, letters = f"{current} {line}", letters + count
            if letters >= MIN_LETTERS:
                chunks.append(current)
                current, letters = "", 0
    return chunks + [current]


def _chunk_odd(chunk: str) -> bool:
    spaces = odd = letters = vowels = 0
    for c, n in Counter(chunk).items():  # the tests below count characters: each kind once
        if c.isspace():
            spaces += n
        elif c in _LATIN:  # a Latin-script letter
            letters += n
            vowels += n if c in _LATIN_VOWELS else 0
        elif _odd(c):
            odd += n
    if odd >= 3 and odd / (len(chunk) - spaces) > MAX_ODD:  # a check-box glyph or two is no sign
        return True
    if letters >= MIN_LINE_LETTERS and spaces / len(chunk) < MIN_SPACE_SHARE \
            and not any(c in chunk for c in "/@\\_-."):
        return True  # no word breaks: the space glyph maps to something else (not a URL)
    if letters < MIN_LETTERS:
        return False
    return not VOWEL_RANGE[0] <= vowels / letters <= VOWEL_RANGE[1]


def text_statistics_odd(text: str) -> bool:
    """Text that extracts to replacement characters, has no word breaks, or whose letters no
    language has, in any part of the page."""
    return any(_chunk_odd(chunk) for chunk in _chunks(text))


def untrustworthy(page: pymupdf.Page, text: str) -> bool:
    """True if the page's extracted `text` cannot be trusted to be what the page shows."""
    if not text.strip():
        return False
    return _type3_without_unicode(page) or text_statistics_odd(text)
