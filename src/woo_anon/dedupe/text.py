"""Text normalisation for duplicate detection: header lines apart from the body, tokens that
survive re-wrapping, hyphenation, case and quoting, and compact fingerprints per document.

The same e-mail rendered by our intake, printed to PDF by Outlook, or quoted in a reply differs
in its header block (labels in Dutch or English, date formats, recipient lists) and in how its
lines wrap. The body is what an officer reviews, so the body is what we compare.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from dataclasses import dataclass

import numpy as np

# Header labels an e-mail rendition or a quoted reply shows, mapped to one canonical name.
HEADER_LABELS = {
    "van": "from", "from": "from", "afzender": "from", "sender": "from",
    "aan": "to", "to": "to", "cc": "cc", "bcc": "bcc",
    "datum": "date", "date": "date", "verzonden": "sent", "sent": "sent",
    "onderwerp": "subject", "subject": "subject",
    "bijlagen": "attachments", "bijlage": "attachments", "attachments": "attachments",
    "urgentie": "importance", "prioriteit": "importance", "importance": "importance",
    "antwoord aan": "reply-to", "reply-to": "reply-to",
}
RECIPIENT_FIELDS = {"to", "cc", "bcc", "from", "reply-to"}
_LABEL = "|".join(sorted((re.escape(k) for k in HEADER_LABELS), key=len, reverse=True))
HEADER_LINE = re.compile(rf"^\W{{0,3}}({_LABEL})\W{{0,2}}\s*:\s*(.*)$", re.I)
# Lines that mail clients add around quoted or forwarded text, and page furniture of prints.
CHROME_LINE = re.compile(
    r"^(?:-{2,}.*-{2,}|_{5,}|(?:begin\s+)?doorgestuurd\s+bericht:?|forwarded\s+message"
    r"|(?:op|on)\s.{4,200}\s(?:schreef|wrote)\b.*|(?:pagina|page)\s+\d+\s+(?:van|of)\s+\d+)$",
    re.I)
CONTINUATION = re.compile(r"^[^:]*(?:@|;\s*$|,\s*$)")
TOKEN = re.compile(r"\w+")
# A hyphen inside a word or at a line end: "Noord-Holland" = "NoordHolland" = "Noord-\nHolland".
HYPHEN = re.compile(r"(?<=\w)[-\u2010\u2011][ \t]*(?:\n[ \t]*)?(?=\w)")
_MASK = np.uint64(0xFFFFFFFFFFFFFFFF)
MIN_TOKENS = 3  # shorter bodies ("Zie bijlage.") are matched by their bytes only


@dataclass(frozen=True)
class SplitText:
    """A document's text split into header fields and body lines."""

    headers: tuple[tuple[str, str], ...]  # (canonical field, value) in order
    body: str


def split_headers(text: str) -> SplitText:
    """Separate header lines (own and quoted header blocks) and client chrome from the body."""
    headers, body, previous = [], [], ""
    for raw in text.splitlines():
        line = raw.strip().lstrip(">").strip()
        match = HEADER_LINE.match(line) if ":" in line[:40] else None
        if match:
            previous = HEADER_LABELS[match.group(1).lower()]
            headers.append((previous, match.group(2).strip()))
            continue
        if previous in RECIPIENT_FIELDS and line and CONTINUATION.match(line):
            headers.append((previous, line))  # a wrapped recipient list
            continue
        previous = ""
        if not CHROME_LINE.match(line):
            body.append(line)
    return SplitText(tuple(headers), "\n".join(body))


def normalise(text: str) -> str:
    """Case, Unicode forms, hyphenation and line wrapping folded away."""
    text = unicodedata.normalize("NFKC", text).replace("\u00ad", "")
    return HYPHEN.sub("", text).casefold()


def tokens(text: str) -> list[str]:
    """Word tokens of normalised text; punctuation and whitespace are not compared."""
    return TOKEN.findall(normalise(text))


def first_header(split: SplitText, field: str) -> str:
    return next((value for name, value in split.headers if name == field), "")


def addresses(split: SplitText, fields: tuple[str, ...] = ("to", "cc", "bcc")) -> frozenset[str]:
    """E-mail addresses in the document's header lines (recipients by default)."""
    found = set()
    for name, value in split.headers:
        if name in fields:
            found.update(a.casefold() for a in re.findall(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", value))
    return frozenset(found)


def looks_like_mail(split: SplitText) -> bool:
    """A mail rendition or print: addresses in its header lines, or a mail client's "Sent"."""
    return bool(addresses(split, ("from", "to", "cc", "bcc"))) or any(name == "sent" for name, _ in split.headers)


def token_hashes(words: list[str]) -> np.ndarray:
    """A stable 32-bit hash per token (crc32: the same in every process and run)."""
    return np.fromiter(map(zlib.crc32, map(str.encode, words)), dtype=np.uint64, count=len(words))


def trigram_hashes(hashes: np.ndarray) -> np.ndarray:
    """One 64-bit hash per run of three tokens, in text order."""
    if len(hashes) < 3:
        return np.zeros(0, dtype=np.uint64)
    with np.errstate(over="ignore"):
        mixed = (hashes[:-2] * np.uint64(0x9E3779B97F4A7C15)
                 ^ hashes[1:-1] * np.uint64(0xC2B2AE3D27D4EB4F) ^ hashes[2:]) & _MASK
    return mixed


def novel_tokens(trigrams: np.ndarray, other: np.ndarray) -> int:
    """How many tokens of a text are in no trigram that also occurs in `other` (a sorted set):
    words of new text. A text with no novel tokens is wholly contained in the other."""
    if len(trigrams) == 0:
        return 0
    found = np.isin(trigrams, other, assume_unique=False)
    covered = np.zeros(len(trigrams) + 2, dtype=bool)
    for shift in range(3):
        covered[shift:shift + len(found)] |= found
    return int((~covered).sum())
