"""E-mail threads: one thread ID per conversation, from Message-ID / In-Reply-To / References,
Outlook's Thread-Index, and the subject with its reply/forward prefixes stripped as a fallback."""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Iterable, Mapping

from woo_anon.dedupe.unionfind import UnionFind

# Re:, Fw:, Fwd:, Antw:, Doorst:, WG:, AW:, TR:, SV:, RV: and numbered forms like "Re[2]:",
# plus tags a mail gateway puts in front ("[EXTERN]").
PREFIX = re.compile(r"^\s*(?:(?:re|fw|fwd|antw|antwoord|doorst|wg|aw|tr|sv|vs|rv|ref)\s*(?:\[\d+\])?\s*:"
                    r"|\[[^\]]{1,20}\])\s*", re.I)
MSGID = re.compile(r"<[^<>\s]+>")


@dataclass(frozen=True)
class MailHeaders:
    """The threading headers intake keeps in a mail's metadata."""

    message_id: str = ""
    in_reply_to: str = ""
    references: tuple[str, ...] = ()
    thread_index: str = ""
    subject: str = ""
    date: str = ""  # ISO 8601 when known, for ordering
    recipients: frozenset[str] = frozenset()

    @classmethod
    def from_metadata(cls, meta: Mapping[str, object] | None) -> "MailHeaders | None":
        """Read the headers from a metadata mapping, whatever the key spelling
        (`Message-ID`, `message_id`, `messageId`); None when it holds none of them."""
        if not meta:
            return None
        get = _getter(meta)
        refs = tuple(MSGID.findall(str(get("references")))) or tuple(str(get("references")).split())
        found = cls(message_id=_msgid(get("message_id")), in_reply_to=_msgid(get("in_reply_to")),
                    references=tuple(_msgid(r) for r in refs if r),
                    thread_index=str(get("thread_index")).strip(), subject=str(get("subject")),
                    date=iso_date(get("date")), recipients=_recipients(get))
        return found if (found.message_id or found.in_reply_to or found.references
                         or found.thread_index) else None


def _getter(meta: Mapping[str, object]):
    table = {re.sub(r"[^a-z]", "", str(k).lower()): v for k, v in meta.items()}

    def get(key: str) -> object:
        value = table.get(key.replace("_", ""), "")
        return "" if value is None else value
    return get


def _msgid(value: object) -> str:
    text = str(value).strip()
    found = MSGID.search(text)
    return (found.group(0) if found else text).lower()


def iso_date(value: object) -> str:
    """A date as UTC ISO 8601 (so dates from different time zones sort right); '' if unknown."""
    text = str(value).strip()
    if not text:
        return ""
    try:
        when = (datetime.fromisoformat(text) if re.match(r"^\d{4}-\d{2}-\d{2}", text)
                else parsedate_to_datetime(text))
    except (TypeError, ValueError, IndexError):
        return ""
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone(timezone.utc).isoformat()


def _recipients(get) -> frozenset[str]:
    found = set()
    for key in ("to", "cc", "bcc"):
        value = get(key)
        items = value if isinstance(value, (list, tuple)) else [value]
        for item in items:
            found.update(a.lower() for a in re.findall(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", str(item)))
    return frozenset(found)


def thread_subject(subject: str) -> str:
    """The subject a whole thread shares: prefixes stripped, case and spaces folded."""
    previous = None
    subject = subject or ""
    while previous != subject:
        previous, subject = subject, PREFIX.sub("", subject)
    return " ".join(subject.casefold().split())


def conversation_index(thread_index: str) -> str:
    """Outlook's Thread-Index: its first 22 bytes identify the conversation."""
    try:
        raw = base64.b64decode(thread_index + "=" * (-len(thread_index) % 4), validate=False)
    except (binascii.Error, ValueError):
        return ""
    return raw[:22].hex() if len(raw) >= 22 else ""


@dataclass(frozen=True)
class ThreadInput:
    name: str
    headers: MailHeaders | None
    subject: str  # from the metadata, or from the text's own Onderwerp/Subject line
    is_mail: bool


def _keys(h: MailHeaders) -> list[str]:
    keys = [f"id:{i}" for i in (h.message_id, h.in_reply_to, *h.references) if i]
    conversation = conversation_index(h.thread_index) if h.thread_index else ""
    return keys + ([f"ti:{conversation}"] if conversation else [])


def assign_threads(items: Iterable[ThreadInput]) -> dict[str, str]:
    """Thread ID per e-mail (documents that are not mail get none).

    Messages linked by their ids or Thread-Index form one thread. A message that links to no
    other (a PDF print has no headers; some clients drop References) joins the linked thread
    with the same stripped subject, or a thread of its own subject when there is none, or
    when several linked threads share that subject (we do not guess between them).
    """
    items = [i for i in items if i.is_mail]
    links, linked = UnionFind[str](), {}
    for item in items:
        keys = _keys(item.headers) if item.headers else []
        for key in keys:
            links.union(keys[0], key)
        linked[item.name] = keys
    roots = {n: links.find(k[0]) for n, k in linked.items() if k}
    sizes: dict[str, int] = {}
    for root in roots.values():
        sizes[root] = sizes.get(root, 0) + 1
    by_subject: dict[str, set[str]] = {}
    for item in items:
        root = roots.get(item.name)
        if root and (sizes[root] > 1 or len(linked[item.name]) > 1):
            by_subject.setdefault(thread_subject(item.subject), set()).add(root)
    out = {}
    for item in items:
        root = roots.get(item.name)
        if not root or (sizes[root] == 1 and len(linked[item.name]) == 1):
            subject = thread_subject(item.subject)
            candidates = by_subject.get(subject, set()) if subject else set()
            root = next(iter(candidates)) if len(candidates) == 1 else f"subject:{subject or item.name}"
        out[item.name] = "T" + hashlib.sha1(root.encode()).hexdigest()[:10]
    return out
