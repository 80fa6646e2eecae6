"""The plan files behind the review screen: every edit is written to <name>.plan.json at once.

The JSON on disk stays the single source of truth and keeps its schema. Edits change `status`,
`ground` (or add manual entries without `proposed`) and stamp `reviewer` and `reviewed_at`;
`proposed` is never touched, so `plan_from_json` tells reviewed and manual entries apart. The
review PDF beside the plan is rewritten to match, because `apply` folds its annotations into the
plan: a stale review PDF would undo the officer's edits.
"""

from __future__ import annotations

import copy
import json
import os
import secrets
import tempfile
import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path


from woo_anon.errors import WooAnonError
from woo_anon.model import Redaction, RedactionPlan
from woo_anon.plan import plan_from_json
from woo_anon.review import apply_review_pdf
from woo_anon.review_app.review_pdf import sync_review_pdf, update_review_pdf

PLAN_SUFFIX = ".plan.json"
# MuPDF is not thread-safe and the server answers requests on a thread pool: every PyMuPDF
# call of the review screen holds this lock.
PDF_LOCK = threading.RLock()
REVIEW_SUFFIX = ".review.pdf"


class EditError(ValueError):
    """An edit the server refuses (unknown id, ground not in the table, bad box)."""


@dataclass
class PlanDoc:
    """One document's plan as it is on disk (`raw`), plus where its files are."""

    index: int
    name: str
    plan_file: Path
    review_file: Path
    raw: dict = field(default_factory=dict)
    error: str | None = None
    pages: int = 0

    def plan(self) -> RedactionPlan:
        return plan_from_json(json.dumps(self.raw))

    def item(self, rid: str) -> dict:
        for item in self.raw.get("redactions", []):
            if item.get("id") == rid:
                return item
        raise EditError(f"onbekend voorstel: {rid}")


def write_atomic(target: Path, text: str) -> None:
    """Write a text file so a reader sees either the old or the new content, never half."""
    fd, tmp = tempfile.mkstemp(prefix=".woo-anon-", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def changes(before: dict, after: dict) -> dict[str, set[int]]:
    """Proposals that differ between two versions of a plan, with the pages they are on."""
    old = {i.get("id"): i for i in before.get("redactions", [])}
    new = {i.get("id"): i for i in after.get("redactions", [])}
    return {rid: {int(x["page"]) for x in (old.get(rid), new.get(rid)) if x}
            for rid in old.keys() | new.keys() if old.get(rid) != new.get(rid)}


class PlanStore:
    """All plans of one request, with undo and a lock: one writer at a time."""

    def __init__(self, plan_dir: str | Path, reviewer: str, grounds: dict[str, str],
                 default_ground: str = "5.1.2e") -> None:
        self.plan_dir = Path(plan_dir)
        self.reviewer = reviewer
        self.grounds = grounds
        self.default_ground = default_ground
        self.lock = threading.RLock()
        self.undo_stack: list[dict[int, dict]] = []
        self.frozen = False  # True while Toepassen runs: the files must not change under it
        self.docs = [self._load(i, f) for i, f in enumerate(sorted(self.plan_dir.rglob("*" + PLAN_SUFFIX)))]

    def _load(self, index: int, plan_file: Path) -> PlanDoc:
        name = str(plan_file.relative_to(self.plan_dir))[: -len(PLAN_SUFFIX)]
        doc = PlanDoc(index, name, plan_file, plan_file.with_name(plan_file.name[: -len(PLAN_SUFFIX)] + REVIEW_SUFFIX))
        try:
            doc.raw = json.loads(plan_file.read_text(encoding="utf-8"))
            for i, item in enumerate(doc.raw.get("redactions", [])):
                item.setdefault("id", f"manual-{i}")  # the id plan_from_json would give it
            self._fold_review_pdf(doc, doc.plan())
        except (OSError, ValueError, WooAnonError) as exc:
            doc.error = f"plan onleesbaar: {str(exc)[:160]}"
        return doc

    def _fold_review_pdf(self, doc: PlanDoc, plan: RedactionPlan) -> None:
        """Edits made in the review PDF (Acrobat) count: take them into the JSON once."""
        if not doc.review_file.exists():
            return
        folded = apply_review_pdf(plan, doc.review_file)
        if folded.redactions == plan.redactions:
            return
        by_id = {item["id"]: item for item in doc.raw["redactions"]}
        for r in folded.redactions:
            item = by_id.get(r.id)
            if item is None:
                doc.raw["redactions"].append(_manual_item(r))
            else:
                item.update(status=r.status, ground=r.ground, reason=r.reason,
                            boxes=[list(b) for b in r.boxes])
        self._write(doc)

    # --- edits -----------------------------------------------------------------------------

    def update(self, index: int, rid: str, status: str | None = None, ground: str | None = None) -> dict:
        """Set status and/or ground of one proposal; returns the entry as stored."""
        return self._edit([index], lambda docs: self._change(docs[index].item(rid), status, ground))

    def add(self, index: int, page: int, boxes: list, text: str, ground: str, reason: str) -> dict:
        """Add a manual redaction (drawn box or selected text)."""
        def mutate(docs: dict[int, PlanDoc]) -> dict:
            doc = docs[index]
            if doc.pages and not 1 <= int(page) <= doc.pages:
                raise EditError("onbekende pagina")
            item = {"id": f"manual-{secrets.token_hex(5)}", "page": int(page),
                    "boxes": [_check_box(b) for b in boxes], "entity": "MANUAL",
                    "ground": self.check_ground(ground), "score": 1.0, "recognizer": "reviewer",
                    "status": "redact", "reason": reason, "text": text}
            if not item["boxes"]:
                raise EditError("geen vak opgegeven")
            doc.raw["redactions"].append(item)
            self._stamp(item)
            return item
        return self._edit([index], mutate)

    def bulk(self, changes: dict[int, tuple[list[str], list[dict]]], status: str) -> int:
        """Search results: set `status` on existing proposals and add new entries, as one undo step."""
        def mutate(docs: dict[int, PlanDoc]) -> int:
            count = 0
            for i, (ids, new_items) in changes.items():
                for rid in ids:
                    self._change(docs[i].item(rid), status, None)
                for item in new_items:
                    item = dict(item, id=f"manual-{secrets.token_hex(5)}")
                    docs[i].raw["redactions"].append(item)
                    self._stamp(item)
                count += len(ids) + len(new_items)
            return count
        return self._edit(list(changes), mutate)

    def _edit(self, indices: list[int], mutate):
        """Run one edit: validate every changed plan, write them all, or change nothing."""
        with self.lock:
            docs = {i: self._editable(i) for i in indices}
            before = {i: copy.deepcopy(d.raw) for i, d in docs.items()}
            try:
                result = mutate(docs)
                plans = [d.plan() for d in docs.values()]
            except (EditError, WooAnonError, KeyError, TypeError, ValueError) as exc:
                for i, d in docs.items():
                    d.raw = before[i]
                raise EditError(str(exc)) from None
            self.undo_stack.append(before)
            del self.undo_stack[:-200]
            for (i, doc), plan in zip(docs.items(), plans):
                self._write(doc, plan, changes(before[i], doc.raw))
            return result

    def undo(self) -> list[int]:
        """Undo the last edit (one click or one search action); returns the documents changed."""
        with self.lock:
            if self.frozen:
                raise EditError("toepassen is bezig; wacht tot het klaar is")
            if not self.undo_stack:
                raise EditError("er is niets om ongedaan te maken")
            snapshot = self.undo_stack.pop()
            for index, raw in snapshot.items():
                changed = changes(self.docs[index].raw, raw)
                self.docs[index].raw = raw
                self._write(self.docs[index], changed=changed)
            return sorted(snapshot)

    def check_ground(self, ground: str | None) -> str:
        """Only codes from the grounds table are accepted."""
        if ground not in self.grounds:
            raise EditError(f"onbekende weigeringsgrond: {ground!r}")
        return ground

    def _change(self, item: dict, status: str | None, ground: str | None) -> dict:
        if status is not None:
            if status not in ("redact", "keep"):
                raise EditError("status moet 'redact' of 'keep' zijn")
            item["status"] = status
            if status == "redact" and item.get("ground") not in self.grounds:
                item["ground"] = self.default_ground
        if ground is not None:
            item["ground"] = self.check_ground(ground)
        self._stamp(item)
        return item

    def _stamp(self, item: dict) -> None:
        item["reviewer"] = self.reviewer
        item["reviewed_at"] = datetime.now(timezone.utc).isoformat(timespec="seconds")

    def _editable(self, index: int) -> PlanDoc:
        if self.frozen:
            raise EditError("toepassen is bezig; wacht tot het klaar is")
        if not 0 <= index < len(self.docs) or self.docs[index].error:
            raise EditError("onbekend of onleesbaar document")
        return self.docs[index]

    def _write(self, doc: PlanDoc, plan: RedactionPlan | None = None,
               changed: dict[str, set[int]] | None = None) -> None:
        """Plan JSON first, then the review PDF (only the changed proposals, or all of it)."""
        plan = plan or doc.plan()
        origins = {r.id: r.origin for r in plan.redactions}
        for item in doc.raw["redactions"]:
            if "reviewer" in item or "proposed" not in item:  # only what a person touched
                item["origin"] = str(origins[item["id"]])
        write_atomic(doc.plan_file, json.dumps(doc.raw, ensure_ascii=False, indent=2))
        if not doc.review_file.exists() or changed == {}:
            return
        with PDF_LOCK:
            if changed is None:
                sync_review_pdf(doc.review_file, plan)
            else:
                update_review_pdf(doc.review_file, plan, changed)


def _manual_item(r: Redaction) -> dict:
    return {"id": r.id, "page": r.page, "boxes": [list(b) for b in r.boxes], "entity": r.entity,
            "ground": r.ground, "score": r.score, "recognizer": r.recognizer, "status": r.status,
            "reason": r.reason, "text": r.text}


def _check_box(box) -> list[float]:
    try:
        x0, y0, x1, y1 = (round(float(v), 2) for v in box)
    except (TypeError, ValueError):
        raise EditError("vak moet vier getallen zijn") from None
    if not (x1 - x0 >= 1 and y1 - y0 >= 1):
        raise EditError("vak is te klein")
    return [x0, y0, x1, y1]
