"""RFC 822 (.eml) parsing with the stdlib (policy=default): body blocks, inline images,
attachments (a mail attached to a mail is parsed too), S/MIME signatures unwrapped."""

from __future__ import annotations

import email
import email.policy

from woo_anon.errors import BadInputError
from woo_anon.intake.mail import HEADER_LABELS, Attachment, Mail


def parse_eml(data: bytes, source: str) -> Mail:
    """Parse RFC 822 bytes with the stdlib (policy=default)."""
    if not data.strip():
        raise BadInputError(f"{source}: empty mail file")
    msg = email.message_from_bytes(data, policy=email.policy.default)
    if not any(msg.get(k) for k in ("From", "To", "Subject", "Date", "Message-ID")):
        raise BadInputError(f"{source}: not an e-mail message (no headers found)")
    collected = _Collector(source)
    collected.walk(msg)
    headers = tuple((key, _header(msg, key)) for key, _ in HEADER_LABELS)
    extra = (("message_id", _header(msg, "message-id")), ("in_reply_to", _header(msg, "in-reply-to")),
             ("references", " ".join(_header(msg, "references").split())),
             ("thread_index", _header(msg, "thread-index")), ("thread_topic", _header(msg, "thread-topic")))
    return Mail(headers=headers, text="\n\n".join(collected.texts),
                html="".join(collected.htmls), inline=tuple(collected.inline.items()),
                attachments=tuple(a for a in collected.attachments
                                  if not _used_inline(a, collected, "".join(collected.htmls))),
                extra=tuple((k, v) for k, v in extra if v), findings=tuple(collected.findings))


def _header(msg, key: str) -> str:
    try:
        value = msg.get(key)
    except Exception:  # a malformed header the parser cannot decode
        value = msg.get_all(key, [""])[0] if hasattr(msg, "get_all") else ""
    return " ".join(str(value or "").split())


def _used_inline(attachment: Attachment, collected: "_Collector", markup: str) -> bool:
    cid = collected.cid_of.get(id(attachment))
    return bool(cid) and f"cid:{cid}" in markup


class _Collector:
    """Walks the MIME tree: body blocks, inline images, attachments, findings."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.texts: list[str] = []
        self.htmls: list[str] = []
        self.inline: dict[str, bytes] = {}
        self.attachments: list[Attachment] = []
        self.cid_of: dict[int, str] = {}
        self.findings: list[str] = []

    def walk(self, part) -> None:
        ctype = part.get_content_type()
        if ctype == "multipart/alternative":
            return self._alternative(part)
        if ctype == "multipart/signed":
            self.findings.append("S/MIME- of PGP-ondertekend bericht (handtekening niet gecontroleerd)")
            subparts = part.get_payload()
            return self.walk(subparts[0]) if subparts else None
        if ctype == "message/rfc822":
            return self._embedded(part)
        if ctype.startswith("message/"):  # delivery reports: readable header blocks
            self.texts.append("\n".join(str(p) for p in part.get_payload() or []))
            return None
        if part.is_multipart():
            if not list(part.iter_parts()):
                payload = part.get_payload()
                self.texts.append(payload if isinstance(payload, str) else "")
            for sub in part.iter_parts():
                self.walk(sub)
            return None
        return self._leaf(part, ctype)

    def _alternative(self, part) -> None:
        subs = list(part.iter_parts())
        best = next((s for s in reversed(subs) if s.get_content_type() in ("text/html", "multipart/related")
                     or s.get_content_type().startswith("multipart/")), None)
        if not subs:  # a broken boundary: the parser kept the raw text
            payload = part.get_payload()
            self.texts.append(payload if isinstance(payload, str) else "")
            return
        self.walk(best or subs[0])

    def _embedded(self, part) -> None:
        inner = part.get_payload()
        inner = inner[0] if isinstance(inner, list) and inner else inner
        raw = inner.as_bytes() if hasattr(inner, "as_bytes") else b""
        if (part.get("content-transfer-encoding") or "").lower() in ("base64", "quoted-printable"):
            raw = _decoded_body(part)  # not allowed by RFC 2046, but sent by some clients
            inner = email.message_from_bytes(raw, policy=email.policy.default)
        name = part.get_filename() or f"{_header(inner, 'subject') or 'bericht'}.eml"
        try:
            self.attachments.append(Attachment(name, mail=parse_eml(raw, name)))
        except BadInputError:
            self.attachments.append(Attachment(name if name.endswith(".eml") else name + ".eml", raw))

    def _opaque_signed(self, part) -> None:
        """An opaque S/MIME signature wraps the content: unwrap it with openssl (not verified)."""
        import shutil
        import subprocess

        if not shutil.which("openssl"):
            raise BadInputError(f"{self.source}: opaque S/MIME-signed message and no openssl to unwrap it")
        proc = subprocess.run(["openssl", "smime", "-verify", "-noverify", "-inform", "DER"],
                              input=part.get_payload(decode=True) or b"", capture_output=True,
                              timeout=60)
        if proc.returncode != 0 or not proc.stdout:
            raise BadInputError(f"{self.source}: S/MIME-signed message could not be unwrapped")
        self.findings.append("S/MIME-ondertekend bericht (handtekening niet gecontroleerd)")
        self.walk(email.message_from_bytes(proc.stdout, policy=email.policy.default))

    def _leaf(self, part, ctype: str) -> None:
        disposition = part.get_content_disposition()
        filename = part.get_filename()
        if ctype in ("application/pkcs7-signature", "application/x-pkcs7-signature",
                     "application/pgp-signature"):
            return None  # the signature of a signed message; reported by walk()
        if ctype in ("application/pkcs7-mime", "application/x-pkcs7-mime") and \
                (part.get_param("smime-type") or "").lower() == "signed-data":
            return self._opaque_signed(part)
        if ctype in ("application/pkcs7-mime", "application/x-pkcs7-mime", "application/pgp-encrypted"):
            raise BadInputError(f"{self.source}: encrypted (S/MIME or PGP) message; cannot be read "
                                "without the private key")
        if ctype in ("text/plain", "text/html") and not filename and disposition != "attachment":
            text = _text(part)
            (self.htmls if ctype == "text/html" else self.texts).append(text)
            return None
        data = part.get_payload(decode=True) or b""
        cid = (part.get("content-id") or "").strip().strip("<>")
        if ctype.startswith("image/") and cid:
            self.inline[cid] = data
        attachment = Attachment(filename or _default_name(ctype, len(self.attachments) + 1), data)
        if cid:
            self.cid_of[id(attachment)] = cid
        self.attachments.append(attachment)
        return None


def _decoded_body(part) -> bytes:
    import base64
    import quopri

    body = part.as_bytes().replace(b"\r\n", b"\n").split(b"\n\n", 1)[-1]
    if (part.get("content-transfer-encoding") or "").lower() == "base64":
        return base64.b64decode(body, validate=False)
    return quopri.decodestring(body)


def _text(part) -> str:
    try:
        return part.get_content()
    except (LookupError, UnicodeError, AssertionError):  # unknown or lying charset
        return (part.get_payload(decode=True) or b"").decode("utf-8", "replace")


def _default_name(ctype: str, index: int) -> str:
    import mimetypes

    if ctype == "application/ms-tnef":
        return "winmail.dat"
    if ctype == "text/calendar":
        return "uitnodiging.ics"
    ext = mimetypes.guess_extension(ctype) or ".bin"
    return f"bijlage-{index}{ext}"
