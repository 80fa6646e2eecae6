"""Copies never disagree: the redaction decisions of a group of duplicates, merged.

Every document of a group (exact and near copies, a mail and the later message quoting it)
keeps its own automatic detection, and on top of it gets the union of what was redacted in
any member, plus what an officer kept in any member. Decisions travel as text, so they apply
wherever that text is on a copy's pages: also where a copy wraps or paginates differently.

Conflicts are settled the safe way: an officer's `keep` beats an automatic `redact`
(the officer looked), an officer's `redact` beats an officer's `keep` elsewhere in the group.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Callable, Iterable

from woo_anon.model import Decision, Document, Redaction, RedactionPlan, Span

OFFICER = ("reviewed", "manual")
_SEVERITY = {"5.1.1e": 3, "5.1.1d": 2}


def norm(text: str) -> str:
    """The form decisions are compared in: case and whitespace folded."""
    return " ".join(text.casefold().split())


@dataclass(frozen=True)
class GroupTerms:
    """The merged decisions of one group, by normalised text."""

    redact: dict[str, tuple[str, str]]  # text -> (ground, entity)
    keep: frozenset[str]
    conflicts: frozenset[str] = frozenset()  # kept by one officer, redacted by another

    @property
    def empty(self) -> bool:
        return not self.redact and not self.keep


def _stricter(a: str, b: str) -> str:
    return a if _SEVERITY.get(a, 1) >= _SEVERITY.get(b, 1) else b


def group_terms(plans: Iterable[RedactionPlan]) -> GroupTerms:
    """Merge the decisions of a group's plans (automatic ones and the officer's edits)."""
    auto: dict[str, tuple[str, str]] = {}
    officer: dict[str, tuple[str, str]] = {}
    kept: set[str] = set()
    for plan in plans:
        for r in plan.redactions:
            key = norm(r.text)
            if not key:
                continue  # a box drawn without text (an image) is not a text decision
            if r.status == "keep" and r.origin in OFFICER:
                kept.add(key)
            elif r.status == "redact":
                table = officer if r.origin in OFFICER else auto
                ground, entity = table.get(key, (r.ground, r.entity))
                table[key] = (_stricter(ground, r.ground) if table is auto else r.ground, entity)
    redact = {k: v for k, v in auto.items() if k not in kept}
    redact.update(officer)  # an officer's ground choice wins; an officer's redact beats a keep
    conflicts = frozenset(kept & set(officer))
    return GroupTerms(dict(sorted(redact.items())), frozenset(kept - set(officer)), conflicts)


def harmonise(plan: RedactionPlan, document: Document | Callable[[], Document] | None,
              terms: GroupTerms, source: str = "") -> RedactionPlan:
    """Apply a group's merged decisions to one member's plan.

    Existing redactions switch to the group's status and ground; group texts the plan does not
    cover yet are found on the member's pages and added. `document` may be a function that
    extracts it (at `apply`, where nothing is extracted otherwise).
    """
    if terms.empty:
        return plan
    why = f"same decision as its duplicate {source}".strip()
    items = [_align(r, terms, why) for r in plan.redactions]
    if document is not None and terms.redact:
        items += _missing(document() if callable(document) else document, items, terms, why)
    return replace(plan, redactions=tuple(items))


def _align(r: Redaction, terms: GroupTerms, why: str) -> Redaction:
    key = norm(r.text)
    if key in terms.keep and r.status != "keep" and r.origin not in OFFICER:
        return replace(r, status="keep", ground="", reason=f"kept by reviewer; {why}", origin="reviewed")
    if key in terms.redact:
        ground = terms.redact[key][0]
        if r.status != "redact" or r.ground != ground:
            return replace(r, status="redact", ground=ground, reason=f"{r.reason}; {why}".strip("; "),
                           origin="reviewed" if r.status != "redact" else r.origin)
    return r


def _missing(document: Document, items: list[Redaction], terms: GroupTerms, why: str) -> list[Redaction]:
    from woo_anon.plan import build_plan

    decisions = []
    for page in document.pages:
        for key, (ground, entity) in terms.redact.items():
            for start, end in mentions(page.text, key):
                span = Span(page.number, start, end, page.text[start:end], entity, 1.0,
                            "duplicate-group", why)
                decisions.append(Decision(span, "redact", ground, why))
    if not decisions:
        return []
    added = build_plan(document, decisions).redactions
    return [replace(r, origin="reviewed") for r in added if not _overlaps(r, items)]


def _overlaps(new: Redaction, items: list[Redaction]) -> bool:
    """Already redacted: every box of `new` lies inside a box the plan redacts on that page."""
    boxes = [b for r in items if r.page == new.page and r.status == "redact" for b in r.boxes]
    return all(any(_inside(box, other) for other in boxes) for box in new.boxes)


def _inside(box, other, slack: float = 1.0) -> bool:
    return (box[0] >= other[0] - slack and box[1] >= other[1] - slack
            and box[2] <= other[2] + slack and box[3] <= other[3] + slack)


def mentions(text: str, key: str) -> list[tuple[int, int]]:
    """Where a normalised term occurs in page text, as whole words, across line breaks."""
    words = key.split()
    if not words:
        return []
    pattern = r"(?<!\w)" + r"\s+".join(map(re.escape, words)) + r"(?!\w)"
    return [(m.start(), m.end()) for m in re.finditer(pattern, text, re.I)]
