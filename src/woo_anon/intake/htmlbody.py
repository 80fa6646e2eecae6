"""Make an e-mail's HTML body safe to lay out: nothing remote, nothing hidden, inline images kept."""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass

import lxml.html
import pymupdf

from woo_anon.intake.layout import escape

DROP = ("script", "style", "link", "meta", "base", "iframe", "frame", "frameset", "object",
        "embed", "applet", "audio", "video", "svg", "noscript", "title", "head")
HIDING = re.compile(r"(display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0[a-z%]*"
                    r"|max-height\s*:\s*0[a-z%]*|mso-hide\s*:\s*all)\s*;?", re.I)
MAX_IMAGE_WIDTH = 480.0  # points: fits the A4 text width


@dataclass(frozen=True)
class Body:
    """An HTML fragment plus the images it refers to (archive name → bytes)."""

    html: str
    images: tuple[tuple[str, bytes], ...] = ()
    remote_images: int = 0


def sanitise(markup: str, inline: dict[str, bytes]) -> Body:
    """Remove scripts, remote resources and hiding styles; resolve cid: and data: images.

    Args:
        markup: the HTML body as received.
        inline: Content-ID (without <>) → image bytes, from the mail's related parts.
    """
    if not markup.strip():
        return Body("")
    try:
        root = lxml.html.document_fromstring(markup)
    except Exception:  # lxml refuses some broken markup: keep its text
        return Body(f"<p>{escape(re.sub(r'<[^>]+>', ' ', markup))}</p>")
    for element in [e for e in root.iter() if not isinstance(e.tag, str) or e.tag.lower() in DROP]:
        if element.getparent() is not None:
            element.drop_tree()  # comments (Outlook's conditional blocks) and active content
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for attr in ("background", "onload", "onclick", "srcset"):
            element.attrib.pop(attr, None)
        if element.tag.lower() == "a":  # the text stays; no live link (a mailto: target would
            element.attrib.pop("href", None)  # survive redaction in the link annotation)
        if "style" in element.attrib:
            element.attrib["style"] = _unhide(element.attrib["style"])
        if element.attrib.get("hidden") is not None:
            del element.attrib["hidden"]
    images, remote = _images(root, inline)
    body = root.find("body")
    parts = [lxml.html.tostring(child, encoding="unicode") for child in (body if body is not None else [root])]
    text = (body.text or "") if body is not None else ""
    return Body(escape(text) + "".join(parts), tuple(images), remote)


def _unhide(style: str) -> str:
    style = HIDING.sub("", style)
    return re.sub(r"url\([^)]*\)", "none", style, flags=re.I)  # no remote backgrounds


def _images(root, inline: dict[str, bytes]) -> tuple[list[tuple[str, bytes]], int]:
    images: list[tuple[str, bytes]] = []
    remote = 0
    for img in list(root.iter("img")):
        data = _image_data(img.get("src") or "", inline)
        if data is None:
            remote += 1
            _replace_with_text(img, f"[afbeelding niet opgehaald: {img.get('alt') or 'extern'}]")
            continue
        size = _size(data)
        if size is None:
            _replace_with_text(img, f"[afbeelding onleesbaar: {img.get('alt') or ''}]")
            continue
        name = f"img{len(images)}"
        images.append((name, data))
        for attr in list(img.attrib):
            del img.attrib[attr]
        img.set("src", name)
        width, height = size
        scale = min(1.0, MAX_IMAGE_WIDTH / width) if width else 1.0
        img.set("width", str(max(1, int(width * scale))))
        img.set("height", str(max(1, int(height * scale))))
    return images, remote


def _image_data(src: str, inline: dict[str, bytes]) -> bytes | None:
    if src.lower().startswith("cid:"):
        return inline.get(src[4:].strip("<>"))
    if src.lower().startswith("data:") and ";base64," in src[:100]:
        try:
            return base64.b64decode(src.split(",", 1)[1])
        except ValueError:
            return None
    return None  # http(s), file, relative: never fetched


def _size(data: bytes) -> tuple[float, float] | None:
    try:
        pix = pymupdf.Pixmap(data)
        return float(pix.width) * 0.75, float(pix.height) * 0.75
    except Exception:
        return None


def _replace_with_text(element, text: str) -> None:
    span = lxml.html.Element("span")
    span.text = text
    span.tail = element.tail
    element.getparent().replace(element, span)
