"""Photos and scans (.jpg/.png/.tif, multi-page TIFF) → one PDF page per image; the pipeline's
OCR then reads them like any scanned page."""

from __future__ import annotations

from pathlib import Path

import pymupdf

from woo_anon.errors import BadInputError
from woo_anon.intake import Rendition, output_name
from woo_anon.intake.dispatch import Context
from woo_anon.intake.layout import finalise
from woo_anon.tag_pages import tag_untagged

MAX_PAGES = 2000


def render(ctx: Context, path: Path, source: str, family_id: str, depth: int) -> list[Rendition]:
    """Every frame of the image becomes a page at its own size (72 dpi → points via its dpi)."""
    try:
        images = pymupdf.open(path)
    except Exception:
        raise BadInputError(f"{source}: damaged or unreadable image") from None
    target = ctx.target(source)
    total = images.page_count
    out = pymupdf.open()
    try:
        if images.page_count == 0:
            raise BadInputError(f"{source}: image has no pages")
        for index in range(min(images.page_count, MAX_PAGES)):
            out.insert_pdf(pymupdf.open("pdf", images.convert_to_pdf(index, index)))
        tag_untagged(out, "Figure", alt=f"Afbeelding {{page}} uit {Path(source).suffix.lstrip('.')}-bestand")
        out.save(target, garbage=3, deflate=True)
    except (RuntimeError, ValueError) as exc:
        raise BadInputError(f"{source}: damaged or unreadable image ({type(exc).__name__})") from None
    finally:
        out.close()
        images.close()
    finalise(target)
    findings = (f"afbeelding met meer dan {MAX_PAGES} pagina's ingekort",) if total > MAX_PAGES else ()
    return [Rendition(name=output_name(source), source=source, kind="image", pdf=target,
                      family_id=family_id, findings=findings)]
