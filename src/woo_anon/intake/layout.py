"""HTML → tagged A4 PDF (Chromium, see browser.py; nothing fetched from the network), and PDF
hygiene. Where Chromium is not installed, PyMuPDF's Story lays the HTML out and each page is
tagged as one paragraph (tag_pages.tag_untagged): coarser for a screen reader, still tagged."""

from __future__ import annotations

import hashlib
import html
import io
from pathlib import Path

import pymupdf

from woo_anon.errors import BadInputError
from woo_anon.intake import browser
from woo_anon.tag_pages import LANG, tag_added_pages, tag_untagged

A4 = pymupdf.paper_rect("a4")
A4_LANDSCAPE = pymupdf.Rect(0, 0, A4.height, A4.width)
MARGIN = 50
MAX_PAGES = 2000  # a runaway layout (an element that never fits) must not loop forever
# unused objects dropped and the rest renumbered, but no search for duplicate objects (level 3):
# that search is quadratic in the objects, and a tagged table has one per cell (a 2000-row CSV
# took 66 s to save at level 3, under 1 s at 2, to the same size)
GARBAGE = 2
CSS = """
body { font-family: sans-serif; font-size: 10pt; line-height: 1.3; }
h1 { font-size: 14pt; margin: 0 0 6pt 0; }
h2 { font-size: 12pt; margin: 12pt 0 4pt 0; }
p.header { margin: 0 0 2pt 0; }
hr { margin: 6pt 0; }
p.plain { margin: 0 0 4pt 0; }
pre { font-family: monospace; font-size: 8.5pt; }
"""


def escape(text: str) -> str:
    """HTML-escape text and keep its line breaks."""
    return html.escape(text or "").replace("\r\n", "\n").replace("\n", "<br/>")


def plain_html(text: str) -> str:
    """Plain text as paragraphs (blank lines separate them, single breaks kept)."""
    blocks = (text or "").replace("\r\n", "\n").split("\n\n")
    return "".join(f'<p class="plain">{escape(b)}</p>' for b in blocks if b.strip())


def html_to_pdf(body: str, target: Path, images: tuple[tuple[str, bytes], ...] = (),
                landscape: bool = False, title: str = "") -> Path:
    """Lay out an HTML fragment on A4 pages as a tagged PDF at `target`.

    Args:
        body: the HTML fragment (already sanitised: no scripts, no remote resources).
        target: the PDF to write.
        images: (name, bytes) pairs the fragment's <img src="name"> refer to.
        landscape: A4 landscape (tables).
        title: the document title (`finalise` falls back to the first line of text).
    """
    if browser.executable() is not None:
        page = browser.page_html(body, CSS, title, landscape)
        return browser.print_pdf(page, target, images)
    return story_pdf(body, target, images, landscape, tag=True)


def story_pdf(body: str, target: Path, images: tuple[tuple[str, bytes], ...] = (),
              landscape: bool = False, tag: bool = False) -> Path:
    """PyMuPDF's Story layout (the fallback without Chromium, and pages appended to a tagged
    export, which `append_pdf` tags): with `tag`, one /P element per page."""
    page = A4_LANDSCAPE if landscape else A4
    where = page + (MARGIN, MARGIN, -MARGIN, -MARGIN)
    archive = pymupdf.Archive()
    for name, data in images:
        archive.add((data, name))
    story = pymupdf.Story(html=body, user_css=CSS, archive=archive)
    buffer = io.BytesIO()
    writer = pymupdf.DocumentWriter(buffer)
    more, count = 1, 0
    while more:
        count += 1
        if count > MAX_PAGES:
            writer.close()
            raise BadInputError(f"{target.name}: layout runs past {MAX_PAGES} pages")
        device = writer.begin_page(page)
        more, _ = story.place(where)
        story.draw(device)
        writer.end_page()
    writer.close()
    with pymupdf.open("pdf", buffer.getvalue()) as doc:
        if tag:
            tag_untagged(doc, "P")
        doc.save(target, garbage=GARBAGE, deflate=True)
    return target


def append_pdf(base: Path, extra: Path) -> None:
    """Append the pages of `extra` to `base` (rewritten in place; both are our own temp files)."""
    doc = pymupdf.open(base)
    try:
        first = doc.page_count
        with pymupdf.open(extra) as more:
            doc.insert_pdf(more)
        tag_added_pages(doc, first)  # a tagged export stays tagged (PDF/UA)
        tmp = base.with_suffix(".tmp.pdf")
        doc.save(tmp, garbage=GARBAGE, deflate=True)
    finally:
        doc.close()
    tmp.replace(base)


def finalise(path: Path, title: str = "") -> Path:
    """Rewrite a rendition compactly without document metadata except its title and language.

    Author, creator, producer, dates and XMP are removed (the converter's title too: Chromium
    writes its file name there). The title (PDF/UA needs one) is `title`, else the first line of
    text; the redaction later drops it if it names anything not published on the pages.
    """
    doc = pymupdf.open(path)
    try:
        if doc.page_count == 0:
            raise BadInputError(f"{path.name}: conversion produced no pages")
        title = " ".join((title or _first_line(doc)).split())
        doc.set_metadata({})  # everything, then the title alone
        if title:
            doc.set_metadata({"title": title[:200]})
        doc.del_xml_metadata()
        catalog = doc.pdf_catalog()
        if doc.xref_get_key(catalog, "StructTreeRoot")[0] == "xref":
            if doc.xref_get_key(catalog, "Lang")[0] == "null":
                doc.xref_set_key(catalog, "Lang", pymupdf.get_pdf_str(LANG))
            if title:
                doc.xref_set_key(catalog, "ViewerPreferences/DisplayDocTitle", "true")
        # the file ID from the content, not chance: the same source gives the same bytes
        doc.xref_set_key(-1, "ID", "[<00><00>]")
        digest = hashlib.md5(doc.tobytes(garbage=GARBAGE, deflate=True, no_new_id=True)).hexdigest()
        doc.xref_set_key(-1, "ID", f"[<{digest}><{digest}>]")
        tmp = path.with_suffix(".clean.pdf")
        doc.save(tmp, garbage=GARBAGE, deflate=True, no_new_id=True)
    finally:
        doc.close()
    tmp.replace(path)
    return path


def _first_line(doc: pymupdf.Document, limit: int = 100) -> str:
    """The first non-empty line of the first page with text, cut at a word (for the title)."""
    for page in doc.pages(0, min(doc.page_count, 3)):
        for line in page.get_text().splitlines():
            if line.strip():
                line = line.strip()
                return line if len(line) <= limit else line[:limit].rsplit(" ", 1)[0]
    return ""
