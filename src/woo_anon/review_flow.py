"""The review side of plan → human review → apply: review decisions become allow/deny lists.
(`plan_paths` / `apply_paths` are kept for callers of the old names; use `woo_anon.api`.)"""

from __future__ import annotations

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
    """Turn review decisions into lists for future runs: texts a reviewer set to `keep` become
    "always keep" terms, texts a reviewer set to `redact` become "always redact" terms."""
    keep, redact = set(), set()
    for plan_file in sorted(Path(plan_dir).rglob("*.plan.json")):
        plan = read_plan(plan_file)
        review = plan_file.with_name(plan_file.name.replace(".plan.json", ".review.pdf"))
        if review.exists():
            plan = apply_review_pdf(plan, review)
        for r in plan.redactions:
            if r.origin in ("reviewed", "manual") and r.text.strip():
                (keep if r.status == "keep" else redact).add(" ".join(r.text.split()))
    return sorted(keep), sorted(redact - keep)
