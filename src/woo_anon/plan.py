"""Decisions -> RedactionPlan (boxes per page, one entry per merged span) and its JSON form."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from pathlib import Path

from woo_anon import __version__
from woo_anon.errors import PlanMismatchError
from woo_anon.model import (Action, Box, Decision, Document, Entity, Origin, Page, Redaction,
                            RedactionPlan, Status)
from woo_anon.policy import stricter


def build_plan(document: Document, decisions: list[Decision]) -> RedactionPlan:
    """Merge overlapping decisions (redact wins over keep) and turn spans into page boxes."""
    pages = {p.number: p for p in document.pages}
    by_page: dict[int, list[Decision]] = {}
    for decision in decisions:
        by_page.setdefault(decision.span.page, []).append(decision)
    redactions = []
    for page_no in sorted(pages):
        on_page = by_page.get(page_no, [])
        # review entries stand apart: they never hide or are hidden by a redaction
        regular = [d for d in on_page if d.action != Action.REVIEW]
        review = [d for d in on_page if d.action == Action.REVIEW]
        for group in _merge(regular) + _merge(review):
            redactions.append(_redaction(pages[page_no], group))
    return RedactionPlan(document.name, document.sha256, __version__,
                         tuple(r for r in redactions if r.boxes))


def _merge(decisions: list[Decision]) -> list[list[Decision]]:
    """Group overlapping spans; a group is redacted if any member is, except that a protecting
    keep (allow list, official) shields the person-name spans it covers."""
    groups: list[list[Decision]] = []
    for decision in sorted(decisions, key=lambda d: (d.span.start, -d.span.end)):
        if groups and decision.span.start < max(d.span.end for d in groups[-1]):
            groups[-1].append(decision)
        else:
            groups.append([decision])
    merged = []
    for group in groups:
        protect = [d.span for d in group if d.action == Action.KEEP and d.protects]
        redact = [d for d in group if d.action == Action.REDACT and not (
            d.span.entity == Entity.PERSON and any(_covers(p, d.span) for p in protect))]
        merged.append(redact if redact else [max(group, key=lambda d: (d.span.score, d.span.end - d.span.start))])
    return merged


def _covers(outer, inner) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end


def _redaction(page: Page, group: list[Decision]) -> Redaction:
    start = min(d.span.start for d in group)
    end = max(d.span.end for d in group)
    lead = max(group, key=lambda d: (d.span.score, d.span.end - d.span.start))
    ground = lead.ground
    for d in group:
        ground = stricter(ground, d.ground) if d.ground else ground
    recognizers = "+".join(dict.fromkeys(d.span.recognizer for d in group))
    key = f"{page.number}:{start}:{end}:{lead.span.entity}"
    return Redaction(
        id=hashlib.sha1(key.encode()).hexdigest()[:12], page=page.number,
        boxes=span_boxes(page, start, end), entity=lead.span.entity, ground=ground,
        score=max(d.span.score for d in group), recognizer=recognizers, status=Status(lead.action),
        reason=lead.reason, text=page.text[start:end])


def span_boxes(page: Page, start: int, end: int) -> tuple[Box, ...]:
    """One box per text line the span touches (a wrapped IBAN gets two)."""
    by_line: dict[int, list[float]] = {}
    for i in range(start, min(end, len(page.boxes))):
        box = page.boxes[i]
        if box is None or page.text[i].isspace():
            continue
        cur = by_line.get(page.lines[i])
        by_line[page.lines[i]] = list(box) if cur is None else [
            min(cur[0], box[0]), min(cur[1], box[1]), max(cur[2], box[2]), max(cur[3], box[3])]
    return tuple(tuple(round(v, 2) for v in b) for b in by_line.values())


# --- JSON ---------------------------------------------------------------------------------

def plan_to_json(plan: RedactionPlan) -> str:
    data = asdict(plan)
    # "proposed" records what the tool decided, so edits made by a reviewer can be told apart.
    data["redactions"] = [dict(_without_empty_review(r), boxes=[list(b) for b in r["boxes"]],
                               proposed={"status": r["status"], "ground": r["ground"]})
                          for r in data["redactions"]]
    return json.dumps(data, ensure_ascii=False, indent=2)


def _without_empty_review(entry: dict) -> dict:
    """Reviewer fields appear in the JSON only once somebody reviewed the entry."""
    return {k: v for k, v in entry.items() if v or k not in ("reviewer", "reviewed_at")}


def plan_from_json(text: str, origin: str = "reviewed") -> RedactionPlan:
    """Read a (possibly hand-edited) plan. Entries without an id get one; all are validated."""
    try:
        data = json.loads(text)
        items = []
        for i, item in enumerate(data.get("redactions", [])):
            status = _status(i, item.get("status", "redact"))
            items.append(Redaction(
                id=str(item.get("id") or f"manual-{i}"), page=int(item["page"]),
                boxes=tuple(tuple(float(v) for v in b) for b in item["boxes"]),
                entity=item.get("entity", Entity.MANUAL), ground=item.get("ground") or "5.1.2e",
                score=float(item.get("score", 1.0)), recognizer=item.get("recognizer", "manual"),
                status=status, reason=item.get("reason", ""), text=item.get("text", ""),
                origin=_origin(item, status), reviewer=str(item.get("reviewer") or ""),
                reviewed_at=str(item.get("reviewed_at") or "")))
        return RedactionPlan(data["source"], data["source_sha256"], data.get("tool_version", ""),
                             tuple(items))
    except (KeyError, ValueError, TypeError, json.JSONDecodeError) as exc:
        raise PlanMismatchError(f"plan is not valid: {exc}") from None


def _status(index: int, value: str) -> Status:
    try:
        return Status(value)
    except ValueError:
        allowed = ", ".join(repr(s.value) for s in Status)
        raise ValueError(f"redaction {index}: status must be one of {allowed}") from None


def _origin(item: dict, status: Status) -> Origin:
    proposed = item.get("proposed")
    if not isinstance(proposed, dict):
        return Origin.MANUAL
    # an untouched keep has no ground on either side: compare both the same way
    if proposed.get("status") != status or \
            (proposed.get("ground") or "5.1.2e") != (item.get("ground") or "5.1.2e"):
        return Origin.REVIEWED
    try:
        return Origin(item.get("origin", "automatic"))
    except ValueError:
        raise ValueError(f"unknown origin {item.get('origin')!r}") from None


def read_plan(path: str | Path) -> RedactionPlan:
    try:
        return plan_from_json(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise PlanMismatchError(f"{path}: cannot read plan ({exc.strerror})") from None
