"""Is a page's text layer what the page shows? Glyph statistics that flag untrustworthy text.

A Type3 font without a ToUnicode map, glyphs that extract to U+FFFD or private-use code points,
or a ToUnicode map that was scrambled (text that no language looks like) all mean that what
extraction reads is not what a reader sees. Such pages are treated as scans: OCR reads what is
shown, detection and verification work on that.
"""

from __future__ import annotations

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
    chunks, current = [], ""
    for line in text.splitlines():
        if sum(c.isalpha() for c in line) >= MIN_LINE_LETTERS:
            chunks.append(line)
        else:
            current = f"{current} {line}"
            if sum(c.isalpha() for c in current) >= MIN_LETTERS:
                chunks.append(current)
                current = ""
    return chunks + [current]


def _chunk_odd(chunk: str) -> bool:
    chars = [c for c in chunk if not c.isspace()]
    odd = sum(map(_odd, chars))
    if odd >= 3 and odd / len(chars) > MAX_ODD:  # a check-box glyph or two is no sign
        return True
    letters = [c.lower() for c in chars if c.isalpha() and ord(c) < 0x250]  # Latin script
    if len(letters) >= MIN_LINE_LETTERS and sum(c.isspace() for c in chunk) / len(chunk) < \
            MIN_SPACE_SHARE and not any(c in chunk for c in "/@\\_-."):
        return True  # no word breaks: the space glyph maps to something else (not a URL)
    if len(letters) < MIN_LETTERS:
        return False
    share = sum(c in VOWELS for c in letters) / len(letters)
    return not VOWEL_RANGE[0] <= share <= VOWEL_RANGE[1]


def text_statistics_odd(text: str) -> bool:
    """Text that extracts to replacement characters, has no word breaks, or whose letters no
    language has, in any part of the page."""
    return any(_chunk_odd(chunk) for chunk in _chunks(text))


def untrustworthy(page: pymupdf.Page, text: str) -> bool:
    """True if the page's extracted `text` cannot be trusted to be what the page shows."""
    if not text.strip():
        return False
    return _type3_without_unicode(page) or text_statistics_odd(text)
