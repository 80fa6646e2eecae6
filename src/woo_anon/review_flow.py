"""plan → human review → apply."""

from __future__ import annotations

import logging
from pathlib import Path

from woo_anon.api import _short, Engine, Settings, check_item, check_target, discover, failed, output_path, summarise, write_redacted
from woo_anon.audit import AuditLog
from woo_anon.errors import InternalError, PlanMismatchError, WooAnonError
from woo_anon.extract import sha256_file
from woo_anon.model import DocumentResult
from woo_anon.plan import plan_to_json, read_plan
from woo_anon.redact import _temp_for
from woo_anon.review import apply_review_pdf, write_review_pdf

log = logging.getLogger(__name__)


def _write_text(target: Path, text: str) -> None:
    import os

    tmp = _temp_for(target)
    Path(tmp).write_text(text, encoding="utf-8")
    os.replace(tmp, target)


def plan_paths(inputs: list[str], outdir: str | Path, settings: Settings, force: bool = False) -> list[DocumentResult]:
    """Write <name>.plan.json and <name>.review.pdf per document."""
    from woo_anon.nlp import check_model

    check_model(settings.model)
    engine = Engine(settings)
    results = []
    for path, name in discover(inputs, exclude=Path(outdir)):
        try:
            check_item(path)
            plan_json = output_path(outdir, name, ".plan.json")
            check_target(plan_json, force)
            document, plan = engine.plan(path, name)
            _write_text(plan_json, plan_to_json(plan))
            write_review_pdf(path, plan, output_path(outdir, name, ".review.pdf"))
            results.append(summarise(name, len(document.pages), plan, str(plan_json), document))
        except WooAnonError as exc:
            results.append(failed(None, name, path, exc))
        except Exception as exc:
            results.append(failed(None, name, path, InternalError(f"{path}: cannot process ({_short(exc)})")))
    return results


def apply_paths(inputs: list[str], plan_dir: str | Path, outdir: str | Path, force: bool = False) -> list[DocumentResult]:
    """Apply each document's reviewed plan (JSON edits, then review-PDF edits)."""
    audit = AuditLog(outdir)
    results = []
    for path, name in discover(inputs, exclude=Path(outdir)):
        try:
            check_item(path)
            target = output_path(outdir, name)
            check_target(target, force)
            plan = load_reviewed_plan(path, name, plan_dir)
            write_redacted(path, plan, target, Settings())
            result = summarise(name, _pages(path), plan, str(target))
            audit.document(plan, result, plan.source_sha256, sha256_file(target), mode="apply")
            results.append(result)
        except WooAnonError as exc:
            results.append(failed(audit, name, path, exc))
        except Exception as exc:
            results.append(failed(audit, name, path, InternalError(f"{path}: cannot process ({_short(exc)})")))
    return results


def load_reviewed_plan(path: Path, name: str, plan_dir: str | Path):
    plan_file = output_path(plan_dir, name, ".plan.json")
    if not plan_file.exists():
        raise PlanMismatchError(f"{path}: no plan found at {plan_file}")
    original = read_plan(plan_file)
    if original.source_sha256 != sha256_file(path):
        raise PlanMismatchError(f"{path}: the plan {plan_file.name} was made for another file "
                                "(sha256 differs); make a new plan")
    review = output_path(plan_dir, name, ".review.pdf")
    return apply_review_pdf(original, review) if review.exists() else original


def _pages(path: Path) -> int:
    import pymupdf

    with pymupdf.open(path) as doc:
        return doc.page_count


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
