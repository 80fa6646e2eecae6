"""Outlook .msg (extract-msg) and TNEF winmail.dat (tnefparse, in a memory-capped child process)."""

from __future__ import annotations

import base64
import email.utils
import json
import subprocess
import sys
from pathlib import Path

from woo_anon.errors import BadInputError
from woo_anon.intake.mail import Attachment, Mail

TNEF_MEMORY = 1024**3  # a fuzzed TNEF can make the parser ask for many GB
TNEF_SECONDS = 60


def parse_msg(path: Path, source: str) -> Mail:
    """Parse an Outlook item (mail, signed mail, appointment, contact …) into a Mail."""
    import extract_msg

    try:
        msg = extract_msg.openMsg(str(path))
    except Exception as exc:
        raise BadInputError(f"{source}: damaged or unreadable .msg ({type(exc).__name__})") from None
    try:
        return _from_msg(msg, source)
    finally:
        msg.close()


def _from_msg(msg, source: str) -> Mail:
    headers = [("from", _s(getattr(msg, "sender", ""))), ("to", _s(getattr(msg, "to", ""))),
               ("cc", _s(getattr(msg, "cc", ""))), ("bcc", _s(getattr(msg, "bcc", ""))),
               ("date", _date(getattr(msg, "date", None))), ("subject", _s(getattr(msg, "subject", "")))]
    headers += _appointment(msg)
    findings = []
    kind = type(msg).__name__
    if kind not in ("Message", "MessageSigned"):
        findings.append(f"Outlook-item van type {kind}")
    if kind == "MessageSigned":
        findings.append("S/MIME-ondertekend bericht (handtekening niet gecontroleerd)")
    html, text = _bodies(msg, source)
    inline, attachments = _attachments(msg, source, html)
    return Mail(headers=tuple(headers), text=text, html=html, inline=tuple(inline.items()),
                attachments=tuple(attachments), extra=_threading(msg), findings=tuple(findings))


def _s(value) -> str:
    return " ".join(str(value or "").split())


def _date(value) -> str:
    if value is None or value == "":
        return ""
    try:
        return email.utils.format_datetime(value)
    except (TypeError, ValueError, AttributeError):
        return _s(value)


def _appointment(msg) -> list[tuple[str, str]]:
    fields = (("location", "location"), ("start", "startDate"), ("end", "endDate"),
              ("organizer", "organizer"), ("attendees", "toAttendeesString"),
              ("optional", "ccAttendeesString"))
    out = []
    for key, attr in fields:
        try:
            value = getattr(msg, attr, None)
        except Exception:
            value = None
        if value:
            out.append((key, _date(value) if hasattr(value, "tzinfo") else _s(value)))
    return out


def _threading(msg) -> tuple[tuple[str, str], ...]:
    header = getattr(msg, "header", None)

    def get(name: str) -> str:
        try:
            return _s(header.get(name)) if header is not None else ""
        except Exception:
            return ""

    pairs = (("message_id", _s(getattr(msg, "messageId", "")) or get("Message-ID")),
             ("in_reply_to", _s(getattr(msg, "inReplyTo", "")) or get("In-Reply-To")),
             ("references", get("References")), ("thread_index", get("Thread-Index")),
             ("thread_topic", get("Thread-Topic")))
    return tuple((k, v) for k, v in pairs if v)


def _bodies(msg, source: str) -> tuple[str, str]:
    html = _safe(lambda: msg.htmlBody)
    text = _safe(lambda: msg.body) or ""
    if isinstance(html, bytes):
        html = _decode(html)
    if not html and not str(text).strip():
        rtf = _safe(lambda: msg.rtfBody)
        if rtf:
            from woo_anon.intake.office import rtf_to_text

            text = rtf_to_text(rtf, source)
    return html or "", str(text)


def _safe(getter):
    try:
        return getter()
    except Exception:  # a body that cannot be decoded: fall back to the next one
        return None


def _decode(data: bytes) -> str:
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _attachments(msg, source: str, html: str) -> tuple[dict[str, bytes], list[Attachment]]:
    inline: dict[str, bytes] = {}
    out: list[Attachment] = []
    for index, att in enumerate(_safe(lambda: msg.attachments) or [], start=1):
        kind = getattr(getattr(att, "type", None), "name", "DATA")
        name = _s(getattr(att, "longFilename", "") or getattr(att, "shortFilename", "")
                  or getattr(att, "displayName", "")) or f"bijlage-{index}"
        if kind == "SIGNED":
            continue  # the S/MIME signature itself
        if kind == "MSG":
            inner = att.data
            out.append(Attachment(name if name.lower().endswith(".msg") else name + ".msg",
                                  mail=_from_msg(inner, f"{source}/{name}")))
            continue
        data = _safe(lambda: att.data)
        if not isinstance(data, (bytes, bytearray)):
            out.append(Attachment(name + ".onbekend", b""))  # web/OLE links: reported as unsupported
            continue
        cid = _s(getattr(att, "contentId", "")).strip("<>")
        if cid and f"cid:{cid}" in html:
            inline[cid] = bytes(data)
            continue
        out.append(Attachment(name, bytes(data)))
    return inline, out


# ---- TNEF ------------------------------------------------------------------------------------

_TNEF_CHILD = r"""
import base64, json, resource, sys
limit = int(sys.argv[2])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
from tnefparse import TNEF
t = TNEF(open(sys.argv[1], 'rb').read())
enc = lambda b: base64.b64encode(b if isinstance(b, bytes) else str(b).encode()).decode() if b else ''
props = {str(getattr(p, 'name_str', p.name)): str(p.data)[:500] for p in t.msgprops}
print(json.dumps({'body': enc(t.body), 'html': enc(t.htmlbody), 'rtf': enc(t.rtfbody),
                  'props': props,
                  'attachments': [[a.long_filename() or a.name or '', enc(a.data)] for a in t.attachments]}))
"""


def parse_tnef(path: Path, source: str) -> Mail:
    """Parse a winmail.dat in a child process with a memory and time cap."""
    try:
        proc = subprocess.run([sys.executable, "-c", _TNEF_CHILD, str(path), str(TNEF_MEMORY)],
                              capture_output=True, timeout=TNEF_SECONDS)
    except subprocess.TimeoutExpired:
        raise BadInputError(f"{source}: TNEF (winmail.dat) parsing took too long") from None
    if proc.returncode != 0:
        raise BadInputError(f"{source}: damaged TNEF (winmail.dat) attachment")
    data = json.loads(proc.stdout)
    raw = {k: base64.b64decode(v) if v else b"" for k, v in data.items() if k in ("body", "html", "rtf")}
    text = raw["body"].decode("utf-8", "replace")
    if not text.strip() and not raw["html"] and raw["rtf"]:
        from woo_anon.intake.office import rtf_to_text

        text = rtf_to_text(raw["rtf"], source)
    props = data.get("props", {})
    attachments = tuple(Attachment(name or f"bijlage-{i}", base64.b64decode(b64))
                        for i, (name, b64) in enumerate(data["attachments"], start=1))
    headers = (("subject", _s(props.get("Subject", ""))), ("date", _s(props.get("Date Sent", ""))))
    return Mail(headers=headers, text=text, html=_decode(raw["html"]) if raw["html"] else "",
                attachments=attachments, findings=("TNEF-bijlage (winmail.dat) uitgepakt",))
