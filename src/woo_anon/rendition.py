"""Text renditions of the published content (plain text and JSON with page numbers), made with
presidio-anonymizer from the same plan as the redacted PDF.

Which characters are published is decided by position, as in the PDF: a character whose centre
lies in a planned box is replaced; a character the redacted PDF no longer contains at its place
(hidden, white or off-page text the redaction scrubbed) is left out. Each run of replaced
characters becomes one presidio `RecognizerResult`, anonymised by one of three operators:

- ``ground``: ``[5.1.2e]``
- ``pseudonym``: ``[Persoon 1]``, consistent across the documents of a dossier (the output folder)
- ``hash``: ``[5.1.2e 3fa9c1d2e4b5a6f7]``, an HMAC keyed by a per-dossier secret (never unsalted)

The rendition is verified like the PDF: no planned value may be readable in it.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass
from pathlib import Path

import pymupdf
from presidio_anonymizer import AnonymizerEngine
from presidio_anonymizer.entities import OperatorConfig, RecognizerResult

from woo_anon import __version__
from woo_anon.errors import VerificationError
from woo_anon.extract import TEXT_FLAGS, sha256_file
from woo_anon.fsutil import write_text_atomic
from woo_anon.model import Document, Page, Redaction, RedactionPlan
from woo_anon.pseudonyms import Dossier

logging.getLogger("presidio-anonymizer").setLevel(logging.WARNING)  # it logs every span at DEBUG

OPERATORS = ("ground", "pseudonym", "hash")
TOLERANCE = 1.0  # points: the same glyph in input and output sits at the same place


@dataclass(frozen=True)
class Replacement:
    """Where the rendition replaced planned text (offsets into the rendition page text)."""

    start: int
    end: int
    ground: str
    entity: str
    redaction: str  # the plan entry's id


@dataclass(frozen=True)
class PageText:
    page: int
    text: str
    replacements: tuple[Replacement, ...]


@dataclass(frozen=True)
class Rendition:
    document: str
    pdf_sha256: str  # of the published PDF; never the input's hash (it would let anyone
    # confirm a guessed original)
    operator: str
    pages: tuple[PageText, ...]

    def plain(self) -> str:
        """All pages, separated by form feeds (as pdftotext does)."""
        return "\f".join(p.text for p in self.pages)

    def to_json(self) -> str:
        data = dict(asdict(self), tool_version=__version__)
        return json.dumps(data, ensure_ascii=False, indent=2)


def published_chars(output: pymupdf.Document) -> dict[int, dict[tuple[str, int], list]]:
    """Per page number, the characters the redacted PDF still contains: (char, x centre) ->
    vertical extents. Extraction may tighten boxes vertically, never move them sideways."""
    out: dict[int, dict[tuple[str, int], list]] = {}
    for page in output:
        found = out.setdefault(page.number + 1, {})
        for block in page.get_text("rawdict", flags=TEXT_FLAGS)["blocks"]:
            for line in block.get("lines", []):
                for span in line["spans"]:
                    for ch in span["chars"]:
                        x0, y0, x1, y1 = ch["bbox"]
                        found.setdefault((ch["c"], round((x0 + x1) / 2)), []).append((y0, y1))
    return out


def _still_there(char: str, box, published: dict[tuple[str, int], list]) -> bool:
    x, y = round((box[0] + box[2]) / 2), (box[1] + box[3]) / 2
    return any(y0 - TOLERANCE <= y <= y1 + TOLERANCE
               for dx in (-1, 0, 1) for y0, y1 in published.get((char, x + dx), ()))


class BoxIndex:
    """The planned boxes of one page, bucketed by height, so that finding the box over a
    character does not scan every box of a large table."""

    STEP = 8.0

    def __init__(self, redactions: list[Redaction]) -> None:
        self.buckets: dict[int, list[tuple[tuple, Redaction]]] = {}
        for r in redactions:
            for b in r.boxes:
                for k in range(int(b[1] // self.STEP), int(b[3] // self.STEP) + 1):
                    self.buckets.setdefault(k, []).append((b, r))

    def owner(self, box) -> Redaction | None:
        """The first planned entry whose box holds the character's centre (as verify checks)."""
        x, y = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
        for b, r in self.buckets.get(int(y // self.STEP), ()):
            if b[0] <= x <= b[2] and b[1] <= y <= b[3]:
                return r
        return None


def page_spans(page: Page, redactions: list[Redaction],
               published: set | None) -> tuple[str, list[tuple[int, int, Redaction]]]:
    """The page's published text and the runs in it that planned boxes cover.

    `published` None means: keep every character outside the boxes (an OCR page, whose text
    the output PDF has only as pixels)."""
    text, spans = [], []
    run: list = []  # [start, end, redaction] of the open run
    index = BoxIndex(redactions)
    for char, box in zip(page.text, page.boxes):
        owner = index.owner(box) if box is not None else None
        if owner is None and box is not None and not char.isspace() and published is not None \
                and not _still_there(char, box, published):
            continue  # scrubbed from the PDF (hidden text): not published
        if owner is not None and run and run[2] is owner:
            run[1] = len(text) + 1
        elif owner is not None:
            run = [len(text), len(text) + 1, owner]
            spans.append(run)
        elif not char.isspace():
            run = []  # visible text ends a run; whitespace between two boxes of one entry does not
        text.append(char)
    return "".join(text), [(s, e, r) for s, e, r in spans]


_engine: AnonymizerEngine | None = None


def _anonymizer() -> AnonymizerEngine:
    global _engine
    if _engine is None:
        _engine = AnonymizerEngine()
    return _engine


def _operator(kind: str, r: Redaction, dossier: Dossier, pseudonyms: dict[str, str]) -> OperatorConfig:
    if kind == "ground":
        return OperatorConfig("replace", {"new_value": f"[{r.ground}]"})
    if kind == "pseudonym":
        return OperatorConfig("custom", {"lambda": lambda value: f"[{pseudonyms[dossier.norm(value)]}]"})
    return OperatorConfig("custom", {"lambda": lambda value: f"[{r.ground} {dossier.digest(value)}]"})


def render_page(page: Page, redactions: list[Redaction], published: set | None, kind: str,
                dossier: Dossier) -> PageText:
    """One page through presidio-anonymizer. Every run gets its own entity type, so presidio
    never merges two neighbouring redactions into one marker."""
    text, spans = page_spans(page, redactions, published)
    pseudonyms = dossier.pseudonyms([(r.entity, text[s:e]) for s, e, r in spans]) \
        if kind == "pseudonym" else {}
    results = [RecognizerResult(f"R{i}", s, e, 1.0) for i, (s, e, _) in enumerate(spans)]
    operators = {f"R{i}": _operator(kind, r, dossier, pseudonyms) for i, (_, _, r) in enumerate(spans)}
    result = _anonymizer().anonymize(text=text, analyzer_results=results, operators=operators)
    by_type = {f"R{i}": r for i, (_, _, r) in enumerate(spans)}
    items = sorted(result.items, key=lambda item: item.start)
    return PageText(page.number, result.text, tuple(
        Replacement(i.start, i.end, by_type[i.entity_type].ground, by_type[i.entity_type].entity,
                    by_type[i.entity_type].id) for i in items))


def render(document: Document, plan: RedactionPlan, output_pdf: str | Path, kind: str,
           dossier: Dossier) -> Rendition:
    """The text rendition of a redacted document, from its extracted input and its plan."""
    if kind not in OPERATORS:
        raise ValueError(f"text operator must be one of {', '.join(OPERATORS)}")
    with pymupdf.open(output_pdf) as output:
        published = published_chars(output)
    by_page: dict[int, list[Redaction]] = {}
    for r in plan.to_apply():
        by_page.setdefault(r.page, []).append(r)
    pages = tuple(render_page(p, by_page.get(p.number, []), None if p.ocr else published.get(p.number, {}),
                              kind, dossier) for p in document.pages)
    return Rendition(document.name, sha256_file(output_pdf), kind, pages)


def check(rendition: Rendition, plan: RedactionPlan) -> list[str]:
    """Problems (no plaintext) when a planned value is readable in the rendition."""
    from woo_anon.verify import _check_leaks

    return _check_leaks([p.text for p in rendition.pages], plan, "text rendition")


def write(document: Document, plan: RedactionPlan, output_pdf: str | Path, outdir: str | Path,
          kind: str = "ground") -> tuple[Path, Path]:
    """Render, verify and atomically write <output>.txt and <output>.text.json beside the
    redacted PDF. `outdir` is the batch's output folder: the dossier whose key and pseudonym
    table the document shares with the others.

    Raises:
        VerificationError: a planned value is readable in the rendition (nothing is written).
    """
    output_pdf = Path(output_pdf)
    rendition = render(document, plan, output_pdf, kind, Dossier(outdir))
    problems = check(rendition, plan)
    if problems:
        raise VerificationError(f"{document.name}: text rendition: {problems[0]}")
    txt = write_text_atomic(output_pdf.with_name(output_pdf.name + ".txt"), rendition.plain())
    js = write_text_atomic(output_pdf.with_name(output_pdf.name + ".text.json"), rendition.to_json())
    return txt, js


def publish_text(document: Document, plan: RedactionPlan, output_pdf: str | Path,
                 outdir: str | Path, kind: str) -> tuple[Path, Path]:
    """The runner's step after a verified PDF: write the rendition, or withdraw the PDF too
    when the rendition fails, so a failed document leaves no output and a rerun can redo it."""
    try:
        return write(document, plan, output_pdf, outdir, kind)
    except Exception:
        Path(output_pdf).unlink(missing_ok=True)
        raise
