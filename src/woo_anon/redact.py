"""RedactionPlan -> redacted PDF: true removal of text and image pixels under each box, the
ground code printed in the box, hidden information scrubbed, written atomically."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pymupdf

from woo_anon import __version__
from woo_anon.announce import announce, find_targets, is_tagged
from woo_anon.errors import VerificationError
from woo_anon.extract import is_scan, normalise
from woo_anon.fsutil import atomic_path
from woo_anon.model import Redaction, RedactionPlan
from woo_anon.jpeg import strip_jpeg_metadata
from woo_anon.labels import draw_boxes
from woo_anon.layers import remove_offpage_content
from woo_anon.occlusion import blank_soft_masks, inside_any, remove_covered
from woo_anon.recompress import jpeg_images, restore_jpeg
from woo_anon.structures import drop_null_entries, scrub_structures
from woo_anon.verify import leak_test, verify_output

@dataclass(frozen=True)
class Style:
    fill: tuple[float, float, float] = (0, 0, 0)
    text: tuple[float, float, float] = (1, 1, 1)


def _texttrace(page: pymupdf.Page) -> list[dict]:
    return _traced(page) or []


def _traced(page: pymupdf.Page) -> list[dict] | None:
    """The page's text trace, None for a damaged content stream."""
    try:
        return page.get_texttrace()
    except Exception:  # a damaged content stream: nothing we can trace
        return None


def hidden_text_boxes(page: pymupdf.Page, trace: list[dict],
                      scan: bool | None = None) -> list[pymupdf.Rect]:
    """Invisible text (render mode 3) on a page that is not a scan: hidden content, removed.

    On scanned pages the invisible text is the OCR layer that makes the scan searchable; it is
    kept, and what is personal in it is redacted like visible text.
    """
    hidden = [pymupdf.Rect(t["bbox"]) for t in trace if t.get("type") == 3]
    return [] if not hidden or (is_scan(page) if scan is None else scan) else hidden


def redact_document(doc: pymupdf.Document, plan: RedactionPlan, style: Style = Style(),
                    scans: frozenset[int] | None = None) -> None:
    """Apply the plan's `redact` entries to an open document, in place. `scans`: the page
    numbers extraction found to be scans (None: decide here)."""
    normalise(doc)
    tagged = is_tagged(doc)  # redactions announced in its structure tree
    todo: dict[int, list[Redaction]] = {}
    for redaction in plan.to_apply():
        todo.setdefault(redaction.page, []).append(redaction)
    for page in doc:
        trace = _traced(page) if not page.rotation else None
        if remove_offpage_content(page, trace) or trace is None:  # the page changed
            trace = _texttrace(page)
        if remove_covered(page, trace):  # earlier fake redactions, white-out
            trace = _texttrace(page)
        hidden = hidden_text_boxes(page, trace,
                                   None if scans is None else page.number + 1 in scans)
        if hidden:  # text only: never touch the pixels of an image under hidden text
            for rect in hidden:
                page.add_redact_annot(rect, fill=False, cross_out=False)
            page.apply_redactions(images=pymupdf.PDF_REDACT_IMAGE_NONE,
                                  graphics=pymupdf.PDF_REDACT_LINE_ART_NONE)
        items = todo.get(page.number + 1)
        if not items:
            continue
        # boxes outside the visible page: their content went with everything off the page
        visible = _visible(page)
        items = [r for r in items if any(visible.intersects(b) for b in r.boxes)]
        targets = find_targets(page, items) if tagged else []
        jpegs = jpeg_images(page)  # pixel redaction rewrites them losslessly: made JPEG again
        for rect in (pymupdf.Rect(b) & visible for r in items for b in r.boxes):
            if not rect.is_empty:
                page.add_redact_annot(rect, fill=False, cross_out=False)
        page.apply_redactions(images=pymupdf.PDF_REDACT_IMAGE_PIXELS,
                              graphics=pymupdf.PDF_REDACT_LINE_ART_NONE,
                              text=pymupdf.PDF_REDACT_TEXT_REMOVE)
        _remove_leftovers(page, items)
        blank_soft_masks(page, [pymupdf.Rect(b) for r in items for b in r.boxes])
        restore_jpeg(page, jpegs)
        draw_boxes(page, items, style.fill, style.text)
        for _ in range(3):  # OCR of the page as published reads no planned value
            extra = _ocr_readable(page, items, plan)
            if not extra:
                break
            blank_soft_masks(page, [pymupdf.Rect(b) for r in extra for b in r.boxes])
            draw_boxes(page, extra, style.fill, style.text)
            items += extra
        announce(page, targets)
    strip_jpeg_metadata(doc)
    scrub(doc, plan)


def _ocr_readable(page: pymupdf.Page, items: list[Redaction], plan: RedactionPlan) -> list[Redaction]:
    """Planned values that OCR still reads where the verifier will look (a scan whose text
    layer read the same pixels differently, an image beside the box): removed there as well,
    each place boxed with the value's ground. Returns those extra boxes as redactions.
    Run on the page as it will be published (boxes drawn): Tesseract reads the same pixels
    the same way, so what it no longer finds here the verifier does not find either."""
    from woo_anon import ocr
    from woo_anon.verify import leaked_anywhere, ocr_regions, ocr_values

    values = ocr_values(plan, page.number + 1) if ocr.available() else []
    regions = ocr_regions(page, [pymupdf.Rect(b) for r in items for b in r.boxes]) if values else []
    words = [w for region in regions for w in ocr.ocr_region(page, region, dpi=200)]
    found = [v for v in values if leaked_anywhere(v, " ".join(w.text for w in words))]
    extra = []
    for value in found:
        source = next(r for r in items if r.text == value) if any(r.text == value for r in items) \
            else next(r for r in plan.to_apply() if r.text == value)
        rects = _ocr_places(value, words)
        if rects:
            extra.append(replace(source, boxes=tuple(tuple(r) for r in rects)))
    for rect in (pymupdf.Rect(b) for r in extra for b in r.boxes):
        page.add_redact_annot(rect, fill=False, cross_out=False)
    if extra:
        page.apply_redactions(images=pymupdf.PDF_REDACT_IMAGE_PIXELS,
                              graphics=pymupdf.PDF_REDACT_LINE_ART_NONE,
                              text=pymupdf.PDF_REDACT_TEXT_REMOVE)
    return extra


def _ocr_places(value: str, words: list) -> list[pymupdf.Rect]:
    """The OCR words (runs of consecutive words for a multi-word value) that read `value`."""
    from woo_anon.verify import leaked_anywhere

    out: list[pymupdf.Rect] = []
    used: set[int] = set()
    for size in range(1, len(value.split()) + 2):
        for i in range(len(words) - size + 1):
            run = range(i, i + size)
            if used.intersection(run) or not leaked_anywhere(value, " ".join(words[j].text for j in run)):
                continue
            rect = pymupdf.Rect(words[i].rect)
            for j in run:
                rect |= pymupdf.Rect(words[j].rect)
            out.append(rect)
            used.update(run)
    return out


def _visible(page: pymupdf.Page) -> pymupdf.Rect:
    """The visible area in unrotated page coordinates (those of the plan's boxes)."""
    return pymupdf.Rect(0, 0, page.cropbox.width, page.cropbox.height)


def _remove_leftovers(page: pymupdf.Page, items: list[Redaction]) -> None:
    """Glyphs with odd metrics (invisible OCR fonts) can survive a box they sit in: MuPDF
    removes a glyph by its own box overlap. Remove such leftovers by their full glyph boxes,
    measured both ways a reader measures a glyph: the text extraction's box and the font-size
    box of the text trace (an OCR layer's 20-pt glyph squeezed into a 3-pt line has its tight
    box below a box and its full box under it: the verifier sees it painted over by the box)."""
    from woo_anon.verify import char_table, mid_points

    boxes = np.array([b for r in items for b in r.boxes], dtype=np.float64).reshape(-1, 4)
    labels = frozenset(r.ground for r in items)
    chars, extracted = char_table(page, labels)
    ink = np.array([not c.isspace() for c in chars], dtype=bool)
    left = [tuple(extracted[i]) for i in
            np.flatnonzero(ink & inside_any(*mid_points(extracted), boxes))]
    glyphs = [char for span in _texttrace(page) for char in span.get("chars", ())]
    traced = np.array([char[3] for char in glyphs], dtype=np.float64).reshape(-1, 4)
    codes = [char[0] for char in glyphs]
    visible = {code: bool(chr(code).strip()) for code in set(codes)}  # once per character
    ink = np.array([visible[code] for code in codes], dtype=bool)
    left += [glyphs[i][3] for i in np.flatnonzero(ink & inside_any(*mid_points(traced), boxes))]
    if not left:
        return
    for bbox in left:
        page.add_redact_annot(pymupdf.Rect(bbox), fill=False, cross_out=False)
    page.apply_redactions(images=pymupdf.PDF_REDACT_IMAGE_NONE,
                          graphics=pymupdf.PDF_REDACT_LINE_ART_NONE)


def scrub(doc: pymupdf.Document, plan: RedactionPlan) -> None:
    """Remove hidden information like Acrobat's "Remove Hidden Information". The document
    title stays unless it names a redacted value (then it is cleared)."""
    title = (doc.metadata or {}).get("title") or ""
    try:
        doc.scrub(attached_files=True, clean_pages=False, embedded_files=True, hidden_text=False,
                  javascript=False, metadata=True, redactions=False, remove_links=True,
                  reset_fields=True, reset_responses=True, thumbnails=True, xml_metadata=True)
    except Exception:  # damaged object tables: do the essential steps one by one
        _scrub_fallback(doc)
    remove_actions(doc)
    hides = leak_test(plan)
    scrub_structures(doc, hides)
    doc.set_metadata({"producer": f"woo-anon {__version__}", "creator": "woo-anon",
                      "title": title if _title_is_public(doc, title, hides) else ""})
    doc.set_language("nl-NL")
    catalog = doc.pdf_catalog()
    doc.xref_set_key(catalog, "Lang", "(nl-NL)")  # set_language writes only "nl"
    redacted = [r.text.lower() for r in plan.to_apply() if r.text]
    labels = [doc[i].get_label().lower() for i in range(doc.page_count)] \
        if doc.xref_get_key(catalog, "PageLabels")[0] != "null" else []
    words = {w for t in redacted for w in t.replace(",", " ").split() if len(w) >= 3}
    if any(w in label for label in labels for w in words):
        doc.xref_set_key(catalog, "PageLabels", "null")  # labels that name a redacted person
    toc = doc.get_toc(simple=True)
    if toc and redacted:
        doc.set_toc([e for e in toc if not any(t in e[1].lower() for t in redacted)])
    drop_null_entries(doc, catalog)


def _title_is_public(doc: pymupdf.Document, title: str, hides) -> bool:
    """The title is kept (accessibility) only if it reveals nothing beyond the published pages:
    no redacted value, and every word of it is readable in the redacted text."""
    if not title.strip() or hides(title):
        return False
    published = set(re.findall(r"\w+", " ".join(page.get_text() for page in doc).lower()))
    return all(w in published for w in re.findall(r"\w+", title.lower()))


def _scrub_fallback(doc: pymupdf.Document) -> None:
    for step in (lambda: doc.set_metadata({}), doc.del_xml_metadata,
                 lambda: [doc.embfile_del(n) for n in doc.embfile_names()]):
        try:
            step()
        except Exception:
            continue
    if doc.embfile_count():
        raise VerificationError("embedded files could not be removed")


def remove_actions(doc: pymupdf.Document) -> None:
    """JavaScript and automatic actions (open, page and document actions) go entirely."""
    catalog = doc.pdf_catalog()
    for key in ("OpenAction", "AA", "Names/JavaScript", "AcroForm"):
        if doc.xref_get_key(catalog, key)[0] != "null":
            doc.xref_set_key(catalog, key, "null")
    for page in doc:
        if doc.xref_get_key(page.xref, "AA")[0] != "null":
            doc.xref_set_key(page.xref, "AA", "null")
    for xref in range(1, doc.xref_length()):
        try:
            has_js = doc.xref_get_key(xref, "JS")[0] != "null"
            if has_js or (not doc.xref_is_stream(xref)
                          and doc.xref_get_key(xref, "S") == ("name", "/JavaScript")):
                doc.update_object(xref, "<<>>")
        except Exception:  # damaged or stream-less objects: nothing to clean there
            continue


def save_plain(doc: pymupdf.Document, target: str | Path) -> None:
    """Atomic save of a non-published file (the review PDF)."""
    with atomic_path(target) as tmp:
        doc.save(tmp, garbage=1, deflate=True, encryption=pymupdf.PDF_ENCRYPT_NONE)


def save_verified(doc: pymupdf.Document, target: str | Path, plan: RedactionPlan,
                  jobs: int = 1) -> None:
    """Full rewrite (no incremental history), garbage-collected, to a temp file; verify the temp
    file independently; only then move it into place. A failed check leaves no output.
    Every stream compressed and small objects packed in object streams, so the output stays
    close to the input's size (benchmarks/size.py). `jobs`: processes for the verification's
    page checks (verify_output)."""
    with atomic_path(target) as tmp:
        doc.save(tmp, garbage=4, deflate=True, deflate_images=True, deflate_fonts=True,
                 use_objstms=1, clean=True, incremental=False,
                 encryption=pymupdf.PDF_ENCRYPT_NONE, no_new_id=True)
        problems = verify_output(tmp, plan, jobs)
        if problems:
            raise VerificationError(f"{plan.source}: verification failed: {'; '.join(problems[:3])}")
