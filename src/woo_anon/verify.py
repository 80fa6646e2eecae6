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
from functools import lru_cache
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pymupdf

from woo_anon.jpeg import jpeg_problems
from woo_anon.layers import hidden_layer_problems
from woo_anon.model import Redaction, RedactionPlan, Status
from woo_anon.occlusion import box_centres, covered_chars, inside_any, points_inside
from woo_anon.structures import structure_problems

_SPACE = re.compile(r"\s+")
NOTE_MARKS = frozenset(str(i) for i in range(1, 100))


def _compact(text: str) -> str:
    return _SPACE.sub("", text).lower()


@lru_cache(maxsize=256)
def _compact_page(page_text: str) -> str:
    """`_compact` of a page text, computed once per text (every value is looked for in it)."""
    return _compact(page_text)


_HYPHEN_BREAK = re.compile(r"(?<=\w)[-\u00ad\u2010]\s*\n\s*(?=\w)")
_LINE_BREAK = re.compile(r"\s*\n\s*")


@lru_cache(maxsize=256)
def readings(page_text: str) -> tuple[str, ...]:
    """The page text as extracted, de-hyphenated, and with its lines joined without a space
    (a value broken after "@" or a dot at the end of a line). Computed once per page text."""
    dehyphenated = _HYPHEN_BREAK.sub("", page_text)
    return page_text, dehyphenated, _LINE_BREAK.sub("", dehyphenated)


def leaked(text: str, page_text: str) -> bool:
    """Is `text` readable in `page_text`? Numbers are compared without spaces; words as words
    (and a multi-word value also without its spaces: glyphs merged by scaling or tiny type)."""
    if not text.strip():
        return False
    number, pattern = _value_test(text)
    if number is not None:
        return number in _compact_page(page_text)
    return pattern.search(page_text) is not None


@lru_cache(maxsize=8192)
def _value_test(text: str) -> tuple[str | None, re.Pattern | None]:
    """What `leaked` looks for, worked out once per value: a number (4 digits or more) as
    its compact form, anything else as a compiled pattern."""
    if sum(c.isdigit() for c in text) >= 4:
        return _compact(text), None
    # Words keep their case: the name "Jan" is not the month abbreviation "jan.".
    words = _SPACE.sub(" ", text).strip()
    if " " in words and len(words) >= 8:  # long enough to be found even without boundaries
        return None, re.compile(re.escape(words).replace(r"\ ", r"\s*"))
    return None, re.compile(r"(?<!\w)" + re.escape(words).replace(r"\ ", r"\s+") + r"(?!\w)")


_SEP = "\x00"  # joins kept texts: neither a word nor a space character, so no match crosses it


def kept_test(kept: list[str]):
    """A test `text -> bool`, the same as `any(leaked(text, k) for k in kept)`, made as one
    search over the kept texts joined by a separator (a value without the separator cannot
    match across it, and at either side of it the word-boundary tests see what they see at
    the start and end of a text): one search per value instead of one per value and kept
    text, which grows with the square of a document's length."""
    kept = list(kept)
    joined = _SEP.join(kept)

    def test(text: str) -> bool:
        if not kept:
            return False
        if _SEP in text:  # cannot happen with extracted text; the plain loop stays exact
            return any(leaked(text, k) for k in kept)
        return leaked(text, joined)
    return test


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


def char_table(page: pymupdf.Page,
               labels: frozenset[str] = frozenset()) -> tuple[list[str], np.ndarray]:
    """Every character and its extraction box (an N×4 array), leaving out the ground labels
    we print (a label may reach into a neighbouring box)."""
    raw = page.get_text("rawdict", flags=pymupdf.TEXT_PRESERVE_WHITESPACE)
    chars: list[str] = []
    boxes: list[tuple] = []
    for block in raw["blocks"]:
        for line in block.get("lines", []):
            for span in line["spans"]:
                glyphs = span["chars"]
                text = [ch["c"] for ch in glyphs]
                if "".join(text).strip() in labels:
                    continue
                chars += text
                boxes += [ch["bbox"] for ch in glyphs]
    return chars, np.array(boxes, dtype=np.float64).reshape(-1, 4)


def mid_points(boxes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Centres of (N×4) boxes in double precision: (x0 + x1) / 2, (y0 + y1) / 2."""
    return (boxes[:, 0] + boxes[:, 2]) / 2, (boxes[:, 1] + boxes[:, 3]) / 2


def _char_centres(page: pymupdf.Page, labels: frozenset[str]) -> tuple[list[str], np.ndarray]:
    """The characters and their centres (an N×2 array, for one array test per box)."""
    chars, boxes = char_table(page, labels)
    return chars, np.stack(mid_points(boxes), axis=1).reshape(-1, 2)


def _chars_inside(centres: tuple[list[str], np.ndarray], redaction: Redaction) -> str:
    chars, xy = centres
    boxes = np.array(redaction.boxes, dtype=np.float64).reshape(-1, 4)
    return "".join(chars[i] for i in np.flatnonzero(inside_any(xy[:, 0], xy[:, 1], boxes)))


def verify_output(output: str | Path, plan: RedactionPlan, jobs: int = 1) -> list[str]:
    """Return a list of problems (empty when the output is clean). No plaintext in messages.

    `jobs` > 1: the page checks of the first half of the pages run in a forked process while
    this one checks the rest and the whole-file checks; the list is the same, in the same
    order, as with `jobs=1` (a child that fails is made good by checking its pages here)."""
    output = Path(output)
    with pymupdf.open(output) as doc:
        count = doc.page_count
    pages = [r.page for r in plan.to_apply()]
    if jobs > 1 and count >= 2 * MIN_SPLIT_PAGES and all(1 <= n <= count for n in pages):
        middle = count // 2
        child = _fork(output, plan, 0, middle)
    else:  # one process (and any plan naming a page the file lacks: checked as always)
        middle, child = 0, None
    problems: list[str] = []
    with pymupdf.open(output) as doc, ThreadPoolExecutor(max_workers=1) as pool:
        # the second extractor (its own process) reads the file while MuPDF's checks run
        second = pool.submit(_second_extractor, output, doc.page_count)
        mine = _page_checks(doc, plan, middle, doc.page_count)
        checks = _merged(_joined(child, output, plan, 0, middle), mine)
        problems += checks["inside"] + checks["pymupdf"]
        problems += _hidden(doc)
        problems += checks["unlabelled"]
        problems += hidden_layer_problems(doc)
        problems += jpeg_problems(doc)
        problems += checks["covered"]
    other = second.result()
    if other is not None:
        problems += _check_leaks(other, plan, "second extractor")
    problems += structure_problems(output, leak_test(plan))
    problems += checks["ocr"]
    return problems


MIN_SPLIT_PAGES = 16  # a half of fewer pages is not worth a process
CHILD_LIMIT = 3600  # seconds; a child killed by it is made good by the parent
CHECKS = ("inside", "pymupdf", "unlabelled", "covered", "ocr")
Found = dict[str, list[tuple[tuple, str]]]  # check -> (order key, problem), in serial order


def _page_checks(doc: pymupdf.Document, plan: RedactionPlan, first: int, last: int) -> Found:
    """The checks that look at one page at a time, for pages [first, last) (0-based): each
    problem with the key that orders it as the one-process loop over the whole file would."""
    texts = {n: doc[n].get_text("text") for n in range(first, last)}
    inside: dict[int, tuple] = {}
    # our labels, and the footnote numbers of boxes too small for one
    labels = frozenset(r.ground for r in plan.to_apply()) | NOTE_MARKS
    found: Found = {name: [] for name in CHECKS}
    whole = first == 0 and last == doc.page_count
    for index, r in enumerate(plan.to_apply()):
        if not whole and not first < r.page <= last:
            continue
        if r.page not in inside:
            inside[r.page] = _char_centres(doc[r.page - 1], labels)
        left = _compact(_chars_inside(inside[r.page], r).replace(r.ground, ""))
        if any(c.isalnum() for c in left):
            found["inside"].append(((index,), f"page {r.page}: text left inside box of "
                                               f"{r.entity} ({r.id})"))
    found["pymupdf"] = _check_leaks(texts, plan, "PyMuPDF", keyed=True, count=doc.page_count)
    found["unlabelled"] = unlabelled(doc, plan, texts, keyed=True, pages=range(first, last))
    found["covered"] = _covered_or_offpage(doc, range(first, last))
    found["ocr"] = _ocr_problems(doc, plan, texts, range(first, last))
    return found


def _fork(output: Path, plan: RedactionPlan, first: int, last: int) -> tuple[int, int] | None:
    """Run `_page_checks` for [first, last) in a forked child; (pid, pipe) to read it from.
    os.fork, not multiprocessing: a batch worker is a daemon process, which may not start
    multiprocessing children. Forked before any thread of ours starts."""
    import os
    import pickle
    import signal

    try:
        read, write = os.pipe()
        pid = os.fork()
    except OSError:
        return None
    if pid == 0:  # the child: check, send, leave without running the parent's exit handlers
        code = 1
        try:
            for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGALRM):
                signal.signal(signum, signal.SIG_DFL)  # not the held signals of the writer
            signal.alarm(CHILD_LIMIT)  # a child stuck in native code does not outlive its use
            os.close(read)
            with pymupdf.open(output) as doc:
                data = pickle.dumps(_page_checks(doc, plan, first, last))
            with os.fdopen(write, "wb") as pipe:
                pipe.write(data)
            code = 0
        finally:
            os._exit(code)
    os.close(write)
    return pid, read


def _joined(child: tuple[int, int] | None, output: Path, plan: RedactionPlan, first: int,
            last: int) -> Found | None:
    """The child's findings; a child that died or sent nothing is made good here."""
    import os
    import pickle

    if child is None:
        if last <= first:
            return None
        with pymupdf.open(output) as doc:
            return _page_checks(doc, plan, first, last)
    pid, read = child
    with os.fdopen(read, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    if status == 0 and data:
        return pickle.loads(data)
    return _joined(None, output, plan, first, last)


def _merged(*parts: Found | None) -> dict[str, list[str]]:
    """The problems of page ranges, per check, in the order one loop over all pages gives."""
    out = {}
    for name in CHECKS:
        keyed = [item for part in parts if part for item in part[name]]
        out[name] = [problem for _, problem in sorted(keyed, key=lambda item: item[0])]
    return out


def _ocr_problems(doc: pymupdf.Document, plan: RedactionPlan, texts: dict[int, str],
                  pages: range) -> list[tuple[tuple, str]]:
    """What only OCR can read: images under planned boxes (screenshots, signatures) and pages
    whose text layer is not what they show. Their OCR text must not hold a planned value.
    `pages`: the 0-based page indexes to check; `texts`: their text by index."""
    from woo_anon import ocr

    if not ocr.available():
        return []
    problems = []
    for order, (number, items) in enumerate(_by_page(plan).items()):
        if number - 1 not in pages and not (len(pages) == doc.page_count):
            continue
        page = doc[number - 1]
        values = ocr_values(plan, number)
        if not values:
            continue
        regions = ocr_regions(page, [pymupdf.Rect(b) for r in items for b in r.boxes],
                              texts.get(number - 1) if number - 1 in texts else page.get_text())
        if not regions:  # nothing to read: no value can be found in no text
            continue
        text = " ".join(w.text for r in regions for w in ocr.ocr_region(page, r, dpi=200))
        if any(leaked_anywhere(v, text) for v in values):
            problems.append(((order,), f"page {number}: a planned value is readable by OCR"))
    return problems


def ocr_regions(page: pymupdf.Page, boxes: list[pymupdf.Rect],
                text: str | None = None) -> list[pymupdf.Rect]:
    """Where OCR must not read a planned value: the whole page when its text layer is not
    what it shows, else the images under the boxes (the whole page when they are many or big).
    `text`: the page's text (`page.get_text()`), when already read."""
    from woo_anon.trust import untrustworthy

    images = [pymupdf.Rect(i["bbox"]) & page.rect for i in page.get_image_info()]
    regions = [page.rect] if untrustworthy(page, page.get_text() if text is None else text) else \
        [i for i in images if not i.is_empty and any(i.intersects(b) for b in boxes)]
    if len(regions) > 4 or any(abs(r) > 0.5 * abs(page.rect) for r in regions):
        regions = [page.rect]
    return regions


def ocr_values(plan: RedactionPlan, number: int) -> list[str]:
    """The values planned for redaction on page `number` that the plan keeps nowhere there."""
    kept, applied = _page_index(plan).get(number, ((), ()))
    is_kept = kept_test([k for k in kept if k])
    return list(dict.fromkeys(r.text for r in applied if r.text and not is_kept(r.text)))


_last_index: tuple = (None, {})


def _page_index(plan: RedactionPlan) -> dict[int, tuple[list[str], list[Redaction]]]:
    """Per page: the texts the plan keeps and the redactions it applies there (built once per
    plan: asked for page after page)."""
    last, index = _last_index
    if last is plan:
        return index
    index = {}
    for r in plan.redactions:
        kept, applied = index.setdefault(r.page, ([], []))
        if r.status == "keep":
            kept.append(r.text)
        elif r.status == Status.REDACT:
            applied.append(r)
    globals()["_last_index"] = (plan, index)
    return index


def _by_page(plan: RedactionPlan) -> dict[int, list[Redaction]]:
    pages: dict[int, list[Redaction]] = {}
    for r in plan.to_apply():
        pages.setdefault(r.page, []).append(r)
    return pages


def unlabelled(doc: pymupdf.Document, plan: RedactionPlan,
               texts: list[str] | dict[int, str] | None = None, keyed: bool = False,
               pages: range | None = None) -> list:
    """Every visible box shows its ground: a legible label inside one of its boxes, or a
    number inside it that the page footnote resolves, or (too small even for a number) the
    footnote lists the ground. `texts`: the pages' text (`page.get_text()`), when already read,
    as a list or by page index. `pages`: only these page indexes (0-based; all by default).
    `keyed`: each problem as (order key, problem), for merging page ranges (verify_output)."""
    from woo_anon.labels import MIN_LEGIBLE

    problems = []
    for order, (number, items) in enumerate(_by_page(plan).items()):
        if number > doc.page_count or (pages is not None and len(pages) < doc.page_count
                                       and number - 1 not in pages):
            continue
        page = doc[number - 1]
        visible = pymupdf.Rect(0, 0, page.cropbox.width, page.cropbox.height)
        # "dict": the same spans as "rawdict" (text, box, size), without a dict per glyph
        spans = [(s["text"].strip(), pymupdf.Rect(s["bbox"]), s["size"])
                 for b in page.get_text("dict")["blocks"] for line in b.get("lines", [])
                 for s in line["spans"]]
        text = page.get_text() if texts is None else _text_of(texts, number - 1, doc.page_count)
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
            problem = f"page {number}: box of {r.entity} ({r.id}) shows no legible ground"
            problems.append(((order, len(problems)), problem) if keyed else problem)
    return problems


def _text_of(texts: list[str] | dict[int, str], index: int, count: int) -> str:
    """texts[index] with a list's negative indexes also for texts by page index."""
    if isinstance(texts, list) or index >= 0:
        return texts[index]
    if index < -count:
        raise IndexError("page index out of range")
    return texts[index % count]


def leak_test(plan: RedactionPlan):
    """A test `text -> bool`: does a string read anywhere in the file contain a value the plan
    redacts (and keeps nowhere)?"""
    is_kept = kept_test([k.text for k in plan.redactions if k.status == "keep" and k.text])
    values = {r.text for r in plan.to_apply() if r.text and len(r.text.strip()) >= 3
              and not is_kept(r.text)}
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


def _covered_or_offpage(doc: pymupdf.Document, pages: range) -> list[tuple[tuple, str]]:
    """Text outside the visible page or painted over by a box, on the pages of `pages`
    (0-based indexes), each problem keyed by its page."""
    problems = []
    for index in pages:
        page = doc[index]
        try:
            trace = page.get_texttrace()
        except Exception:
            continue
        # text traces are in unrotated page space, like the crop box
        visible = pymupdf.Rect(0, 0, page.cropbox.width, page.cropbox.height) + (-1, -1, 1, 1)
        boxes = np.array([c[3] for t in trace for c in t.get("chars", ())],
                         dtype=np.float64).reshape(-1, 4)
        if not points_inside(*box_centres(boxes), np.array([tuple(visible)], np.float32)).all():
            problems.append(((index, 0), f"page {page.number + 1}: text outside the visible page"))
        if covered_chars(page, trace):
            problems.append(((index, 1), f"page {page.number + 1}: text painted over by a box"))
    return problems


def _check_leaks(texts: list[str] | dict[int, str], plan: RedactionPlan, extractor: str,
                 keyed: bool = False, count: int | None = None) -> list:
    """Planned values readable in the pages' texts (a list of every page's text, or some pages'
    texts by 0-based index with the file's page `count`). `keyed`: (order key, problem) pairs."""
    if isinstance(texts, list):
        texts, count = dict(enumerate(texts)), len(texts)
    problems = []
    keeps: dict[int, list[str]] = {}
    for k in plan.redactions:
        if k.status == "keep":
            keeps.setdefault(k.page, []).append(k.text)
    tests = {page: kept_test(texts) for page, texts in keeps.items()}
    for index, r in enumerate(plan.to_apply()):
        if 0 < r.page <= count and r.page - 1 not in texts:  # a page of another range
            continue
        kept = r.page in tests and tests[r.page](r.text)
        if not kept and r.page <= count and leaked_anywhere(r.text,
                                                            _text_of(texts, r.page - 1, count)):
            problem = f"page {r.page}: {r.entity} ({r.id}) still readable ({extractor})"
            problems.append(((index,), problem) if keyed else problem)
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
