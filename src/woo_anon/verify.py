"""Independent re-read of the output: nothing that was planned for redaction is readable.

Checks, per redacted item: no character is left inside its boxes (PyMuPDF), and its text cannot
be found on its page by PyMuPDF nor by a second extractor (poppler's pdftotext when installed,
pdfminer.six otherwise) unless the plan deliberately keeps the same text elsewhere on that page.
Each page text is also read de-hyphenated and with its lines joined, so a value broken across
a line ("Ver-" / "meulen", an e-mail address broken after "@") is still found.
Also checks metadata, attachments, annotations, layers a reader could switch on, text outside
the visible page or painted over by a box, and every string of every object (read with pikepdf,
independently of MuPDF): named destinations, associated files, structure-tree texts.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pymupdf

from woo_anon.jpeg import jpeg_problems
from woo_anon.layers import hidden_layer_problems
from woo_anon.model import Redaction, RedactionPlan
from woo_anon.occlusion import box_centres, covered_chars, points_inside
from woo_anon.structures import structure_problems

_SPACE = re.compile(r"\s+")
NOTE_MARKS = frozenset(str(i) for i in range(1, 100))


def _compact(text: str) -> str:
    return _SPACE.sub("", text).lower()


_HYPHEN_BREAK = re.compile(r"(?<=\w)[-\u00ad\u2010]\s*\n\s*(?=\w)")
_LINE_BREAK = re.compile(r"\s*\n\s*")


def readings(page_text: str) -> list[str]:
    """The page text as extracted, de-hyphenated, and with its lines joined without a space
    (a value broken after "@" or a dot at the end of a line)."""
    dehyphenated = _HYPHEN_BREAK.sub("", page_text)
    return [page_text, dehyphenated, _LINE_BREAK.sub("", dehyphenated)]


def leaked(text: str, page_text: str) -> bool:
    """Is `text` readable in `page_text`? Numbers are compared without spaces; words as words
    (and a multi-word value also without its spaces: glyphs merged by scaling or tiny type)."""
    if not text.strip():
        return False
    if sum(c.isdigit() for c in text) >= 4:
        return _compact(text) in _compact(page_text)
    # Words keep their case: the name "Jan" is not the month abbreviation "jan.".
    words = _SPACE.sub(" ", text).strip()
    if " " in words and len(words) >= 8:  # long enough to be found even without boundaries
        return re.search(re.escape(words).replace(r"\ ", r"\s*"), page_text) is not None
    pattern = r"(?<!\w)" + re.escape(words).replace(r"\ ", r"\s+") + r"(?!\w)"
    return re.search(pattern, page_text) is not None


def leaked_anywhere(text: str, page_text: str) -> bool:
    """`leaked` on every reading of the page text, for the value as planned and de-hyphenated
    ("Ver-" / "meulen" is also looked for as "Vermeulen")."""
    values = {text, _HYPHEN_BREAK.sub("", text)}
    return any(leaked(v, reading) for v in values for reading in readings(page_text))


def _second_extractor(path: Path, pages: int) -> list[str] | None:
    if shutil.which("pdftotext"):
        out = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"],
                             capture_output=True, timeout=300)
        if out.returncode == 0:
            texts = out.stdout.decode("utf-8", "replace").split("\f")
            return (texts + [""] * pages)[:pages]
    try:
        from pdfminer.high_level import extract_text

        return [extract_text(str(path), page_numbers=[i]) for i in range(pages)]
    except Exception:  # pdfminer fails on some files MuPDF reads; PyMuPDF still checked them
        return None


def _char_boxes(page: pymupdf.Page, labels: frozenset[str] = frozenset()) -> list[tuple[str, float, float, tuple]]:
    """Every character with its centre and box, leaving out the ground labels we print
    (a label may reach into a neighbouring box)."""
    raw = page.get_text("rawdict", flags=pymupdf.TEXT_PRESERVE_WHITESPACE)
    out = []
    for block in raw["blocks"]:
        for line in block.get("lines", []):
            for span in line["spans"]:
                if "".join(ch["c"] for ch in span["chars"]).strip() in labels:
                    continue
                for ch in span["chars"]:
                    x0, y0, x1, y1 = ch["bbox"]
                    out.append((ch["c"], (x0 + x1) / 2, (y0 + y1) / 2, ch["bbox"]))
    return out


def _char_centres(page: pymupdf.Page, labels: frozenset[str]) -> tuple[list[str], np.ndarray]:
    """The characters and their centres (an N×2 array, for one array test per box)."""
    boxes = _char_boxes(page, labels)
    return [c for c, *_ in boxes], np.array([(x, y) for _, x, y, _ in boxes],
                                            dtype=np.float64).reshape(-1, 2)


def _chars_inside(centres: tuple[list[str], np.ndarray], redaction: Redaction) -> str:
    chars, xy = centres
    x, y = xy[:, 0], xy[:, 1]
    hit = np.zeros(len(chars), dtype=bool)
    for b in redaction.boxes:
        hit |= (b[0] <= x) & (x <= b[2]) & (b[1] <= y) & (y <= b[3])
    return "".join(chars[i] for i in np.flatnonzero(hit))


def verify_output(output: str | Path, plan: RedactionPlan) -> list[str]:
    """Return a list of problems (empty when the output is clean). No plaintext in messages."""
    output = Path(output)
    problems: list[str] = []
    with pymupdf.open(output) as doc:
        texts = [page.get_text("text") for page in doc]
        centres: dict[int, list] = {}
        # our labels, and the footnote numbers of boxes too small for one
        labels = frozenset(r.ground for r in plan.to_apply()) | NOTE_MARKS
        for r in plan.to_apply():
            if r.page not in centres:
                centres[r.page] = _char_centres(doc[r.page - 1], labels)
            left = _compact(_chars_inside(centres[r.page], r).replace(r.ground, ""))
            if any(c.isalnum() for c in left):
                problems.append(f"page {r.page}: text left inside box of {r.entity} ({r.id})")
        problems += _check_leaks(texts, plan, "PyMuPDF")
        problems += _hidden(doc)
        problems += unlabelled(doc, plan)
        problems += hidden_layer_problems(doc)
        problems += jpeg_problems(doc)
        problems += _covered_or_offpage(doc)
    other = _second_extractor(output, len(texts))
    if other is not None:
        problems += _check_leaks(other, plan, "second extractor")
    problems += structure_problems(output, leak_test(plan))
    problems += _ocr_problems(output, plan)
    return problems


def _ocr_problems(output: Path, plan: RedactionPlan) -> list[str]:
    """What only OCR can read: images under planned boxes (screenshots, signatures) and pages
    whose text layer is not what they show. Their OCR text must not hold a planned value."""
    from woo_anon import ocr

    if not ocr.available():
        return []
    problems = []
    with pymupdf.open(output) as doc:
        for number, items in _by_page(plan).items():
            page = doc[number - 1]
            values = ocr_values(plan, number)
            if not values:
                continue
            regions = ocr_regions(page, [pymupdf.Rect(b) for r in items for b in r.boxes])
            text = " ".join(w.text for r in regions for w in ocr.ocr_region(page, r, dpi=200))
            if any(leaked_anywhere(v, text) for v in values):
                problems.append(f"page {number}: a planned value is readable by OCR")
    return problems


def ocr_regions(page: pymupdf.Page, boxes: list[pymupdf.Rect]) -> list[pymupdf.Rect]:
    """Where OCR must not read a planned value: the whole page when its text layer is not
    what it shows, else the images under the boxes (the whole page when they are many or big)."""
    from woo_anon.trust import untrustworthy

    images = [pymupdf.Rect(i["bbox"]) & page.rect for i in page.get_image_info()]
    regions = [page.rect] if untrustworthy(page, page.get_text()) else \
        [i for i in images if not i.is_empty and any(i.intersects(b) for b in boxes)]
    if len(regions) > 4 or any(abs(r) > 0.5 * abs(page.rect) for r in regions):
        regions = [page.rect]
    return regions


def ocr_values(plan: RedactionPlan, number: int) -> list[str]:
    """The values planned for redaction on page `number` that the plan keeps nowhere there."""
    kept = [k.text for k in plan.redactions if k.page == number and k.status == "keep"]
    return list(dict.fromkeys(r.text for r in plan.to_apply() if r.page == number and r.text
                              and not any(leaked(r.text, k) for k in kept if k)))


def _by_page(plan: RedactionPlan) -> dict[int, list[Redaction]]:
    pages: dict[int, list[Redaction]] = {}
    for r in plan.to_apply():
        pages.setdefault(r.page, []).append(r)
    return pages


def unlabelled(doc: pymupdf.Document, plan: RedactionPlan) -> list[str]:
    """Every visible box shows its ground: a legible label inside one of its boxes, or a
    number inside it that the page footnote resolves, or (too small even for a number) the
    footnote lists the ground."""
    from woo_anon.labels import MIN_LEGIBLE

    problems = []
    for number, items in _by_page(plan).items():
        if number > doc.page_count:
            continue
        page = doc[number - 1]
        visible = pymupdf.Rect(0, 0, page.cropbox.width, page.cropbox.height)
        spans = [(("".join(c["c"] for c in s["chars"])).strip(), pymupdf.Rect(s["bbox"]), s["size"])
                 for b in page.get_text("rawdict")["blocks"] for line in b.get("lines", [])
                 for s in line["spans"]]
        text = page.get_text()
        cx, cy = box_centres(np.array([tuple(rect) for _, rect, _ in spans],
                                      dtype=np.float64).reshape(-1, 4))
        for r in items:
            boxes = [pymupdf.Rect(b) & visible for b in r.boxes]
            boxes = [b for b in boxes if not b.is_empty]
            rects = np.array([tuple(b) for b in boxes], dtype=np.float32).reshape(-1, 4)
            inside = [(spans[i][0], spans[i][2])
                      for i in np.flatnonzero(points_inside(cx, cy, rects).any(axis=1))]
            if not boxes or any(t == r.ground and size >= MIN_LEGIBLE - 0.01 for t, size in inside) \
                    or any(t.isdigit() and f"{t} = {r.ground}" in text for t, _ in inside) \
                    or (not inside and f"= {r.ground}" in text):
                continue
            problems.append(f"page {number}: box of {r.entity} ({r.id}) shows no legible ground")
    return problems


def leak_test(plan: RedactionPlan):
    """A test `text -> bool`: does a string read anywhere in the file contain a value the plan
    redacts (and keeps nowhere)?"""
    kept = [k.text for k in plan.redactions if k.status == "keep" and k.text]
    values = {r.text for r in plan.to_apply() if r.text and len(r.text.strip()) >= 3
              and not any(leaked(r.text, k) for k in kept)}
    if not values:
        return lambda text: False
    # one cheap search per string first (thousands of strings in a tagged file), then the
    # exact test on the few strings that might hold a value
    quick = re.compile("|".join(sorted((re.escape(_squash(v)) for v in values), key=len,
                                       reverse=True)))

    def test(text: str) -> bool:
        if not text or not quick.search(_squash(text)):
            return False
        return any(leaked_anywhere(v, text) for v in values)
    return test


def _squash(text: str) -> str:
    return re.sub(r"[\s\-\u00ad\u2010]+", "", text).lower()


def _covered_or_offpage(doc: pymupdf.Document) -> list[str]:
    problems = []
    for page in doc:
        try:
            trace = page.get_texttrace()
        except Exception:
            continue
        # text traces are in unrotated page space, like the crop box
        visible = pymupdf.Rect(0, 0, page.cropbox.width, page.cropbox.height) + (-1, -1, 1, 1)
        boxes = np.array([c[3] for t in trace for c in t.get("chars", ())],
                         dtype=np.float64).reshape(-1, 4)
        if not points_inside(*box_centres(boxes), np.array([tuple(visible)], np.float32)).all():
            problems.append(f"page {page.number + 1}: text outside the visible page")
        if covered_chars(page, trace):
            problems.append(f"page {page.number + 1}: text painted over by a box")
    return problems


def _check_leaks(texts: list[str], plan: RedactionPlan, extractor: str) -> list[str]:
    problems = []
    keeps: dict[int, list[Redaction]] = {}
    for k in plan.redactions:
        if k.status == "keep":
            keeps.setdefault(k.page, []).append(k)
    for r in plan.to_apply():
        kept = any(leaked(r.text, k.text) for k in keeps.get(r.page, ()))
        if not kept and r.page <= len(texts) and leaked_anywhere(r.text, texts[r.page - 1]):
            problems.append(f"page {r.page}: {r.entity} ({r.id}) still readable ({extractor})")
    return problems


def _hidden(doc: pymupdf.Document) -> list[str]:
    problems = []
    meta = {k: v for k, v in (doc.metadata or {}).items()
            if v and k in ("author", "subject", "keywords")}
    if meta:
        problems.append(f"metadata left: {', '.join(sorted(meta))}")
    if doc.embfile_count():
        problems.append("embedded files left")
    if any(page.first_annot for page in doc):
        problems.append("annotations left")
    return problems
