"""E-mail (.eml, .msg, TNEF winmail.dat) → one A4 PDF per message, attachments recursively."""

from __future__ import annotations

import email
import email.policy
import email.utils
from dataclasses import dataclass, field
from pathlib import Path

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
        from woo_anon.intake.eml import parse_eml

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
    title = mail.header("subject")  # printed on the page (Onderwerp), so it can stay public
    try:
        html_to_pdf(header + body.html, target, body.images, title=title)
    except Exception:  # markup the layout engine cannot place: fall back to its text
        html_to_pdf(header + plain_html(html_text(body.html) + "\n\n" + mail.text), target,
                    title=title)
    finalise(target, title)
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
    return replace(rendition, metadata=rendition.metadata + (
        ("datum", date), ("datum_bron", "e-mail: Date-kop van het bericht met deze bijlage")))


def _metadata(mail: Mail, children) -> tuple[tuple[str, str], ...]:
    pairs = [(key, mail.header(key)) for key in ("from", "to", "cc", "bcc", "subject", "date")]
    pairs.append(("datum", iso_date(mail.header("date"))))
    pairs.append(("datum_bron", "e-mail: Date-kop" if pairs[-1][1] else ""))
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
