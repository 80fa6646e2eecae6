"""Keeping the review PDF in step with the plan JSON after every edit in the review screen.

`apply` folds the review PDF's Redact annotations into the plan, so they must say exactly what
the JSON says: the annotations are the ones `woo_anon.review.write_review_pdf` makes.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pymupdf

from woo_anon.model import Redaction, RedactionPlan
from woo_anon.review import COLOURS, TAG, write_review_pdf


def sync_review_pdf(review: Path, plan: RedactionPlan) -> None:
    """Rewrite all of the review PDF's Redact annotations from the plan (as `plan` writes them)."""
    fd, tmp = tempfile.mkstemp(prefix=".woo-anon-", suffix=".part", dir=review.parent)
    os.close(fd)
    try:
        with pymupdf.open(review) as doc:
            for page in doc:
                for xref in [a.xref for a in page.annots(types=[pymupdf.PDF_ANNOT_REDACT])]:
                    page.delete_annot(page.load_annot(xref))
            doc.save(tmp, garbage=1, deflate=True)
        write_review_pdf(tmp, plan, review)
    finally:
        os.unlink(tmp)


def update_review_pdf(review: Path, plan: RedactionPlan, changed: dict[str, set[int]]) -> None:
    """Redo only the annotations of the changed proposals (id → pages they were or are on).

    An incremental save on a copy, then an atomic replace: a click on a 500-page document
    costs milliseconds, not a rewrite of the whole file.
    """
    fd, tmp = tempfile.mkstemp(prefix=".woo-anon-", suffix=".part", dir=review.parent)
    os.close(fd)
    try:
        shutil.copyfile(review, tmp)
        wanted = {r.id: r for r in plan.to_apply() if r.id in changed}
        with pymupdf.open(tmp) as doc:
            for number in sorted({p for pages in changed.values() for p in pages}):
                if 1 <= number <= doc.page_count:
                    _redo_page(doc[number - 1], set(changed), wanted)
            if doc.can_save_incrementally():
                doc.saveIncr()
            else:
                doc.save(tmp + ".full", garbage=1, deflate=True)
                os.replace(tmp + ".full", tmp)
        os.replace(tmp, review)
    finally:
        for leftover in (tmp, tmp + ".full"):
            if os.path.exists(leftover):
                os.unlink(leftover)


def _redo_page(page: pymupdf.Page, ids: set[str], wanted: dict[str, Redaction]) -> None:
    for annot in list(page.annots(types=[pymupdf.PDF_ANNOT_REDACT])):
        subject = (annot.info.get("subject") or "").split()
        if len(subject) >= 2 and subject[0] == TAG and subject[1] in ids:
            page.delete_annot(annot)
    for r in wanted.values():
        if r.page == page.number + 1:
            for box in r.boxes:  # the same annotation write_review_pdf makes
                annot = page.add_redact_annot(pymupdf.Rect(box), cross_out=False)
                annot.set_colors(stroke=COLOURS.get(r.ground, (0.4, 0.4, 0.4)))
                annot.set_info(title=TAG, subject=f"{TAG} {r.id} {r.ground}",
                               content=f"{r.ground} | {r.entity} | {r.reason} | score {r.score}")
                annot.update()
