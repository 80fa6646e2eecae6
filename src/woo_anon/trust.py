"""Is a page's text layer what the page shows? Glyph statistics that flag untrustworthy text.

A Type3 font without a ToUnicode map, glyphs that extract to U+FFFD or private-use code points,
or a ToUnicode map that was scrambled (text that no language looks like) all mean that what
extraction reads is not what a reader sees. Such pages are treated as scans: OCR reads what is
shown, detection and verification work on that.
"""

from __future__ import annotations

import pymupdf

VOWELS = set("aeiouyáéíóúàèìòùäëïöüâêîôû")
MIN_LETTERS = 40  # below this, letter statistics say nothing
VOWEL_RANGE = (0.22, 0.65)  # Dutch, English, German, French prose: about 0.35-0.45
MAX_ODD = 0.05  # share of characters that cannot be what was drawn


def _odd(ch: str) -> bool:
    code = ord(ch)
    return ch == "\ufffd" or 0xE000 <= code <= 0xF8FF or (code < 32 and ch not in "\n\r\t")


def _type3_without_unicode(page: pymupdf.Page) -> bool:
    doc = page.parent
    try:
        fonts = page.get_fonts(full=True)
    except Exception:
        return False
    return any(f[2] == "Type3" and doc.xref_get_key(f[0], "ToUnicode")[0] == "null"
               for f in fonts if f[0] > 0)


def text_statistics_odd(text: str) -> bool:
    """Text that extracts to replacement characters, or whose letters no language has."""
    chars = [c for c in text if not c.isspace()]
    if chars and sum(map(_odd, chars)) / len(chars) > MAX_ODD:
        return True
    letters = [c.lower() for c in chars if c.isalpha()]
    if len(letters) < MIN_LETTERS:
        return False
    share = sum(c in VOWELS for c in letters) / len(letters)
    return not VOWEL_RANGE[0] <= share <= VOWEL_RANGE[1]


def untrustworthy(page: pymupdf.Page, text: str) -> bool:
    """True if the page's extracted `text` cannot be trusted to be what the page shows."""
    if not text.strip():
        return False
    return _type3_without_unicode(page) or text_statistics_odd(text)
