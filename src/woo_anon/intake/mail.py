"""E-mail (.eml, .msg, TNEF winmail.dat) → one A4 PDF per message, attachments recursively."""

from __future__ import annotations

import email
import email.policy
import email.utils
from dataclasses import dataclass, field
from pathlib import Path

from woo_anon.errors import BadInputError
from woo_anon.intake import Rendition, output_name
from woo_anon.intake.dispatch import Context, render_bytes, safe_name
from woo_anon.intake.htmlbody import sanitise
from woo_anon.intake.layout import escape, finalise, html_to_pdf, plain_html

HEADER_LABELS = (("from", "Van"), ("to", "Aan"), ("cc", "CC"), ("bcc", "BCC"), ("date", "Datum"),
                 ("subject", "Onderwerp"))
ITEM_LABELS = (("location", "Locatie"), ("start", "Begin"), ("end", "Einde"),
               ("organizer", "Organisator"), ("attendees", "Deelnemers"),
               ("optional", "Optionele deelnemers"))
THREAD_KEYS = ("message_id", "in_reply_to", "references", "thread_index", "thread_topic")


@dataclass(frozen=True)
class Attachment:
    """One attachment: its bytes, or a parsed message (a mail attached to a mail)."""

    filename: str
    data: bytes = b""
    mail: "Mail | None" = None


@dataclass(frozen=True)
class Mail:
    """A parsed message, independent of its container format."""

    headers: tuple[tuple[str, str], ...]  # key (from, to, …) → display value
    text: str = ""  # plain-text body blocks, used when there is no HTML
    html: str = ""
    inline: tuple[tuple[str, bytes], ...] = ()  # Content-ID → image bytes
    attachments: tuple[Attachment, ...] = ()
    extra: tuple[tuple[str, str], ...] = ()  # threading ids etc.
    findings: tuple[str, ...] = field(default_factory=tuple)

    def header(self, key: str) -> str:
        return dict(self.headers).get(key, "")


def render(ctx: Context, path: Path, source: str, family_id: str, depth: int) -> list[Rendition]:
    """Render a .eml or .msg file and its attachments."""
    if path.suffix.lower() == ".msg" or source.lower().endswith(".msg"):
        from woo_anon.intake.msgfile import parse_msg

        mail = parse_msg(path, source)
    else:
        mail = parse_eml(path.read_bytes(), source)
    return render_mail(ctx, mail, source, family_id, depth)


def render_tnef(ctx: Context, path: Path, source: str, family_id: str,
                depth: int) -> list[Rendition]:
    """A winmail.dat (TNEF) attachment: its body and its attachments."""
    from woo_anon.intake.msgfile import parse_tnef

    return render_mail(ctx, parse_tnef(path, source), source, family_id, depth)


def render_mail(ctx: Context, mail: Mail, source: str, family_id: str,
                depth: int) -> list[Rendition]:
    """Write the message PDF, then render each attachment as a child document."""
    children = _children(mail, source)
    target = ctx.target(source)
    body = _body_html(mail)
    header = _header_html(mail, [c for c, _ in children])
    try:
        html_to_pdf(header + body.html, target, body.archive())
    except Exception:  # markup the layout engine cannot place: fall back to its text
        html_to_pdf(header + plain_html(html_text(body.html) + "\n\n" + mail.text), target)
    finalise(target)
    findings = mail.findings + ((f"{body.remote_images} externe afbeelding(en) niet opgehaald",)
                                if body.remote_images else ())
    own = Rendition(name=output_name(source), source=source, kind="mail", pdf=target,
                    family_id=family_id, metadata=_metadata(mail, children), findings=findings)
    out = [own]
    date = dict(own.metadata).get("datum", "")
    for child_source, attachment in children:
        for rendition in _render_attachment(ctx, attachment, child_source, source, depth):
            out.append(_with_date(rendition, date))
    return out


def html_text(markup: str) -> str:
    """The visible text of an HTML fragment (for the plain-text fallback)."""
    import lxml.html

    try:
        return lxml.html.fromstring(f"<div>{markup}</div>").text_content()
    except Exception:
        return ""


def _children(mail: Mail, source: str) -> list[tuple[str, Attachment]]:
    out = []
    for index, attachment in enumerate(mail.attachments, start=1):
        name = safe_name(attachment.filename or f"bijlage-{index}")
        if attachment.mail is not None and not name.lower().endswith((".eml", ".msg")):
            name += ".eml"
        out.append((f"{source}.bijlage-{index}-{name}", attachment))
    return out


def _render_attachment(ctx: Context, attachment: Attachment, child: str, parent: str,
                       depth: int) -> list[Rendition]:
    if attachment.mail is not None:
        return render_mail(ctx, attachment.mail, child, parent, depth + 1)
    return render_bytes(ctx, attachment.data, child, parent, depth + 1)


def _with_date(rendition: Rendition, date: str) -> Rendition:
    """Attachments carry the mail's date unless they have their own (a mail in a mail)."""
    from dataclasses import replace

    meta = dict(rendition.metadata)
    if meta.get("datum") or not date:
        return rendition
    return replace(rendition, metadata=rendition.metadata + (("datum", date),))


def _metadata(mail: Mail, children) -> tuple[tuple[str, str], ...]:
    pairs = [(key, mail.header(key)) for key in ("from", "to", "cc", "bcc", "subject", "date")]
    pairs.append(("datum", iso_date(mail.header("date"))))
    pairs += list(mail.extra)
    pairs.append(("attachments", "; ".join(a.filename for _, a in children)))
    return tuple((k, v) for k, v in pairs if v)


def iso_date(value: str) -> str:
    """A Date header as YYYY-MM-DD (empty when it cannot be read)."""
    if not value:
        return ""
    try:
        return email.utils.parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return value[:10] if value[:4].isdigit() else ""


def _header_html(mail: Mail, children: list[str]) -> str:
    rows = [(label, mail.header(key)) for key, label in HEADER_LABELS + ITEM_LABELS]
    names = [a.filename or Path(c).name for c, a in zip(children, mail.attachments)]
    rows.append(("Bijlagen", "; ".join(names)))
    # paragraphs, not a table: a header with a thousand recipients must be able to break pages
    lines = "".join(f'<p class="header"><b>{label}:</b> {escape(value)}</p>'
                    for label, value in rows if value)
    return f"{lines}<hr/>"


def _body_html(mail: Mail):
    from woo_anon.intake.htmlbody import Body

    if mail.html.strip():
        body = sanitise(mail.html, dict(mail.inline))
        if body.html.strip():  # plain blocks outside the alternative (a list footer) stay too
            return Body(body.html + plain_html(mail.text), body.images, body.remote_images)
    return Body(plain_html(mail.text) or "<p>(geen tekst)</p>")


# ---- .eml --------------------------------------------------------------------------------


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
