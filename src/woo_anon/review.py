"""The review PDF: the original with each proposed redaction as a standard Redact annotation,
and reading an officer's edits back (deleted, moved, added annotations, ground typed in)."""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

import pymupdf

from woo_anon.errors import BadInputError
from woo_anon.extract import open_pdf
from woo_anon.model import Redaction, RedactionPlan
from woo_anon.policy import GROUND_FORMS, normalise_ground

log = logging.getLogger(__name__)
TAG = "woo-anon"
COLOURS = {"5.1.1e": (0.85, 0, 0), "5.1.1d": (0.9, 0.5, 0), "5.1.2e": (0, 0.3, 0.9)}
DEFAULT_GROUND = "5.1.2e"


def write_review_pdf(source: str | Path, plan: RedactionPlan, target: str | Path) -> None:
    """Write the original with one Redact annotation per box of every proposed redaction."""
    from woo_anon.redact import save_plain  # local import: redact imports verify

    doc = open_pdf(source)
    try:
        for r in plan.to_apply():
            page = doc[r.page - 1]
            for box in r.boxes:
                annot = page.add_redact_annot(pymupdf.Rect(box), cross_out=False)
                annot.set_colors(stroke=COLOURS.get(r.ground, (0.4, 0.4, 0.4)))
                annot.set_info(title=TAG, subject=f"{TAG} {r.id} {r.ground}",
                               content=f"{r.ground} | {r.entity} | {r.reason} | score {r.score}")
                annot.update()
        for r in plan.to_review():
            _review_note(doc[r.page - 1], r)
        save_plain(doc, target)
    finally:
        doc.close()


def _review_note(page: pymupdf.Page, r: Redaction) -> None:
    """An entry waiting for a decision (special categories): a yellow highlight, not a Redact
    annotation, so applying annotations in a PDF editor never removes it by accident. To
    redact it, the officer draws a redaction over it."""
    for box in r.boxes:
        annot = page.add_highlight_annot(pymupdf.Rect(box))
        annot.set_colors(stroke=(1, 0.85, 0))
        annot.set_info(title=TAG, subject=f"{TAG}-review {r.id} {r.ground}",
                       content=f"TE BEOORDELEN {r.ground} | {r.reason} | score {r.score}")
        annot.update()


def _ground_in(text: str) -> str | None:
    first = (text or "").split("|")[0].strip()
    return normalise_ground(first) if first and GROUND_FORMS.match(first) else None


def apply_review_pdf(plan: RedactionPlan, review: str | Path) -> RedactionPlan:
    """Fold the officer's edits in the review PDF into the plan."""
    try:
        doc = pymupdf.open(review)
    except Exception:
        raise BadInputError(f"{review}: cannot read review PDF") from None
    seen: dict[str, list] = {}
    added: list[Redaction] = []
    with doc:
        for page in doc:
            for annot in page.annots(types=[pymupdf.PDF_ANNOT_REDACT]):
                info = annot.info
                subject = info.get("subject", "").split()
                rect = tuple(round(v, 2) for v in annot.rect)
                if len(subject) >= 3 and subject[0] == TAG:
                    seen.setdefault(subject[1], []).append((rect, subject[2], info.get("content", "")))
                else:
                    added.append(_manual(page.number + 1, rect, info.get("content", ""), len(added)))
    return replace(plan, redactions=tuple(_reconcile(r, seen.get(r.id)) for r in plan.redactions)
                   + tuple(added))


def _reconcile(r: Redaction, annots: list | None) -> Redaction:
    if r.status != "redact":
        return r
    if not annots:
        return replace(r, status="keep", reason="removed in review", origin="reviewed")
    boxes = tuple(a[0] for a in annots)
    ground = r.ground
    for _, original, content in annots:
        typed = _ground_in(content)
        if typed and typed != original:
            ground = typed
    moved = sorted(boxes) != sorted(tuple(round(v, 2) for v in b) for b in r.boxes)
    if moved or ground != r.ground:
        return replace(r, boxes=boxes, ground=ground, origin="reviewed")
    return r


def _manual(page: int, rect, content: str, index: int) -> Redaction:
    ground = _ground_in(content)
    if ground is None:
        log.warning("page %d: hand-drawn redaction without a ground; using %s", page, DEFAULT_GROUND)
        ground = DEFAULT_GROUND
    return Redaction(id=f"manual-{page}-{index}", page=page, boxes=(rect,), entity="MANUAL",
                     ground=ground, score=1.0, recognizer="reviewer", status="redact",
                     reason="added in review", text="", origin="manual")
