"""The review side of plan → human review → apply: review decisions become allow/deny lists.
(`plan_paths` / `apply_paths` are kept for callers of the old names; use `woo_anon.api`.)"""

from __future__ import annotations

import json
from pathlib import Path

from woo_anon.engine import Settings
from woo_anon.model import DocumentResult
from woo_anon.plan import read_plan
from woo_anon.review import apply_review_pdf


def plan_paths(inputs: list[str], outdir: str | Path, settings: Settings,
               force: bool = False) -> list[DocumentResult]:
    """Write <name>.plan.json and <name>.review.pdf per document (see api.plan_request)."""
    from woo_anon import api

    return list(api.plan_request(inputs, outdir, settings, force=force).results)


def apply_paths(inputs: list[str], plan_dir: str | Path, outdir: str | Path,
                force: bool = False) -> list[DocumentResult]:
    """Apply each document's reviewed plan (see api.apply_request)."""
    from woo_anon import api

    return list(api.apply_request(inputs, plan_dir, outdir, force=force).results)


def learn_lists(plan_dir: str | Path) -> tuple[list[str], list[str]]:
    """Turn an officer's decisions into lists for future runs: a proposal a person set to `keep`
    becomes an "always keep" term, one set to `redact` (or given another ground) an "always
    redact" term, written `term<TAB>ground` so the deny list applies the ground the officer chose.
    Untouched proposals, moved boxes and hand-drawn boxes (no text) are left out."""
    keep, redact = set(), {}
    for plan_file in sorted(Path(plan_dir).rglob("*.plan.json")):
        plan = read_plan(plan_file)
        proposed = _proposals(plan_file)
        review = plan_file.with_name(plan_file.name.replace(".plan.json", ".review.pdf"))
        if review.exists():
            plan = apply_review_pdf(plan, review)
        for r in plan.redactions:
            first = proposed.get(r.id)
            if not first or not r.text.strip():
                continue
            if (str(r.status), r.ground) == (first.get("status"), first.get("ground")):
                continue  # the tool's own decision, untouched (or only its box moved)
            term = " ".join(r.text.split())
            if r.status == "keep":
                keep.add(term)
            elif r.status == "redact":
                redact[term] = r.ground
    return sorted(keep), sorted(f"{t}\t{g}" if g else t for t, g in redact.items() if t not in keep)


def _proposals(plan_file: Path) -> dict[str, dict]:
    """What the tool proposed for each entry (the plan JSON's `proposed`), by id."""
    data = json.loads(plan_file.read_text(encoding="utf-8"))
    return {str(item.get("id")): item["proposed"] for item in data.get("redactions", [])
            if isinstance(item.get("proposed"), dict)}
