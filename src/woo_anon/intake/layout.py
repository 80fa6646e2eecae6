"""HTML → A4 PDF with PyMuPDF's Story (nothing fetched from the network), and PDF hygiene."""

from __future__ import annotations

import hashlib
import html
from pathlib import Path

import pymupdf

from woo_anon.errors import BadInputError
from woo_anon.tag_pages import tag_added_pages

A4 = pymupdf.paper_rect("a4")
A4_LANDSCAPE = pymupdf.Rect(0, 0, A4.height, A4.width)
MARGIN = 50
MAX_PAGES = 2000  # a runaway layout (an element that never fits) must not loop forever
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


def html_to_pdf(body: str, target: Path, archive: pymupdf.Archive | None = None,
                landscape: bool = False) -> Path:
    """Lay out an HTML fragment on A4 pages and write it to `target`."""
    page = A4_LANDSCAPE if landscape else A4
    where = page + (MARGIN, MARGIN, -MARGIN, -MARGIN)
    story = pymupdf.Story(html=body, user_css=CSS, archive=archive)
    writer = pymupdf.DocumentWriter(str(target))
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
        doc.save(tmp, garbage=3, deflate=True)
    finally:
        doc.close()
    tmp.replace(base)


def finalise(path: Path) -> Path:
    """Rewrite a rendition compactly without any document metadata."""
    doc = pymupdf.open(path)
    try:
        if doc.page_count == 0:
            raise BadInputError(f"{path.name}: conversion produced no pages")
        doc.set_metadata({})
        doc.del_xml_metadata()
        # the file ID from the content, not chance: the same source gives the same bytes
        doc.xref_set_key(-1, "ID", "[<00><00>]")
        digest = hashlib.md5(doc.tobytes(garbage=3, deflate=True, no_new_id=True)).hexdigest()
        doc.xref_set_key(-1, "ID", f"[<{digest}><{digest}>]")
        tmp = path.with_suffix(".clean.pdf")
        doc.save(tmp, garbage=3, deflate=True, no_new_id=True)
    finally:
        doc.close()
    tmp.replace(path)
    return path
