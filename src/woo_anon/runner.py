"""The one place that turns a document into a result.

`process(item, mode, outdir, ...)` runs one item through the pipeline and never raises for a
document problem: the DocumentResult says what happened. Every entry point (CLI, Python API,
batch workers, review screen) calls it.

    plan:   extract → detect → decide → plan  → <name>.plan.json + <name>.review.pdf
    redact: extract → detect → decide → plan → redact → scrub → verify → output + audit
    apply:  reviewed plan → redact → scrub → verify → output + audit

Each PDF is opened once: extraction and redaction work on the same normalised document.
"""

from __future__ import annotations

import json
import os
import signal
import threading
from contextlib import contextmanager
from dataclasses import replace
from enum import Enum
from pathlib import Path
from typing import Callable, Iterator

import pymupdf

from woo_anon import mupdf_messages
from woo_anon.audit import AuditLog
from woo_anon.engine import Engine, Settings, valid_grounds
from woo_anon.errors import (BadInputError, DocumentTimeoutError, InternalError, OutputExistsError,
                             PlanMismatchError, WooAnonError, short)
from woo_anon.extract import open_normalised, open_pdf, read_document, sha256_file
from woo_anon.fsutil import write_text_atomic
from woo_anon.model import Document, DocumentResult, RedactionPlan
from woo_anon.plan import plan_to_json, read_plan
from woo_anon.redact import Style, redact_document, save_verified
from woo_anon.review import apply_review_pdf, write_review_pdf
from woo_anon.sources import Item, render
from woo_anon.split import Analysis, document_of


class Mode(str, Enum):
    PLAN = "plan"
    REDACT = "redact"
    APPLY = "apply"


def process(item: Item, mode: Mode, outdir: str | Path, *, engine: Engine | None = None,
            audit: AuditLog | None = None, force: bool = False, plan_dir: str | Path | None = None,
            known_names: tuple[str, ...] = (), settings: Settings | None = None,
            timeout: int = 0, commit: Callable[[DocumentResult], None] | None = None,
            analysis: Analysis | None = None) -> DocumentResult:
    """Run one item in `mode`; write its outputs into `outdir` and its records into `audit`.

    Args:
        item: the document (see sources.resolve).
        mode: plan, redact or apply.
        outdir: output folder; the item's `name` is its path inside it.
        engine: detection + policy (plan and redact).
        audit: the audit log (redact and apply; plan writes none).
        force: overwrite existing outputs.
        plan_dir: folder with reviewed plans (apply).
        known_names: person names found elsewhere in the batch (--propagate-batch).
        settings: styling for apply (the engine's settings otherwise).
        timeout: seconds before the document is stopped (0: no limit).
        commit: called with the result once the output and its audit records are written
            (the batch records its resume state there), inside the same uninterruptible step.
        analysis: the document's pages and analyzer spans, read in page ranges by the batch's
            workers (woo_anon.split); plan and redact then skip extraction and the analyzer.
    """
    with library_messages() as messages:
        try:
            with time_limit(timeout, item):
                if item.problem:
                    raise BadInputError(item.problem)
                source = render(item)
                if mode is Mode.PLAN:
                    result = _plan(item, source, Path(outdir), engine, force, known_names,
                                   analysis)
                elif mode is Mode.REDACT:
                    result = _redact(item, source, Path(outdir), engine, audit, force,
                                     known_names, commit, analysis)
                else:
                    result = _apply(item, source, Path(outdir), Path(plan_dir), audit, force,
                                    settings or Settings(), commit)
        except WooAnonError as exc:
            result = failed(audit, item, exc)
        except Exception as exc:  # a PDF that breaks the library must not stop the batch
            result = failed(audit, item, InternalError(f"{item.source}: cannot process ({short(exc)})"))
    if analysis is not None:  # MuPDF's messages while the ranges were read come first
        messages[:0] = [m for m in analysis.messages if m not in messages]
    return replace(result, messages=tuple(messages)) if messages else result


@contextmanager
def library_messages(limit: int = 3) -> Iterator[list[str]]:
    """MuPDF prints `MuPDF error: ...` lines on stdout, in the middle of the progress bar and
    without a file name. Collect them instead (the distinct ones, at most `limit`, each once
    with its count and without the document text it may quote: mupdf_messages), so that the
    caller reports them with the document they belong to."""
    tools = pymupdf.TOOLS
    shown = tools.mupdf_display_errors()
    tools.mupdf_display_errors(False)
    tools.reset_mupdf_warnings()
    found: list[str] = []
    try:
        yield found
    finally:
        found += mupdf_messages.summary(tools.mupdf_warnings(reset=True), limit)
        tools.mupdf_display_errors(shown)


def _plan(item: Item, source: Path, outdir: Path, engine: Engine, force: bool,
          known_names: tuple[str, ...], analysis: Analysis | None = None) -> DocumentResult:
    plan_json = output_path(outdir, item.name, ".plan.json")
    check_target(plan_json, force)
    if analysis is None:
        document, plan = engine.plan(source, item.name, known_names)
    else:
        document = document_of(analysis, source, item.name, sha256_file(source))
        plan = engine.plan_document(document, known_names, analysis.spans)
    write_text_atomic(plan_json, with_context(plan_to_json(plan), document))
    write_review_pdf(source, plan, output_path(outdir, item.name, ".review.pdf"))
    return summarise(item.name, len(document.pages), plan, str(plan_json), document, "planned")


def _redact(item: Item, source: Path, outdir: Path, engine: Engine, audit: AuditLog | None,
            force: bool, known_names: tuple[str, ...], commit=None,
            analysis: Analysis | None = None) -> DocumentResult:
    target = output_path(outdir, item.name)
    check_target(target, force)
    doc = open_normalised(source)
    try:
        if analysis is None:
            document = read_document(doc, source, item.name, engine.settings.ocr)
            plan = engine.plan_document(document, known_names)
        else:
            document = document_of(analysis, source, item.name, sha256_file(source))
            plan = engine.plan_document(document, known_names, analysis.spans)
        scans = frozenset(p.number for p in document.pages if p.scan)
        redact_document(doc, plan, style_of(engine.settings), scans)
        with uninterrupted():  # output, audit and resume state agree at every instant
            # a document split over the workers (analysis given) is verified in two processes:
            # its own ranges are done, so a core is free while it is finished here
            save_verified(doc, target, plan, jobs=1 if analysis is None else 2)
            if engine.settings.text:
                _text_rendition(document, plan, target, outdir, engine.settings.text)
            result = summarise(item.name, len(document.pages), plan, str(target), document)
            _record(audit, plan, result, document.sha256, target, "redact", commit)
    finally:
        doc.close()
    return result


def _apply(item: Item, source: Path, outdir: Path, plan_dir: Path, audit: AuditLog | None,
           force: bool, settings: Settings, commit=None) -> DocumentResult:
    target = output_path(outdir, item.name)
    check_target(target, force)
    plan = load_reviewed_plan(source, item.name, plan_dir)
    check_grounds(plan, valid_grounds(settings.grounds_file), item)
    doc = open_pdf(source)
    try:
        redact_document(doc, plan, style_of(settings))
        with uninterrupted():
            save_verified(doc, target, plan)
            if settings.text:
                from woo_anon.extract import extract_document

                _text_rendition(extract_document(source, item.name, settings.ocr), plan, target,
                                outdir, settings.text)
            result = summarise(item.name, doc.page_count, plan, str(target))
            _record(audit, plan, result, plan.source_sha256, target, "apply", commit)
    finally:
        doc.close()
    return result


def _text_rendition(document: Document, plan: RedactionPlan, target: Path, outdir: Path,
                    operator: str) -> None:
    """--text: <name>.txt and <name>.text.json from the same plan, verified; a failed
    rendition fails the document and withdraws its PDF (rendition.publish_text)."""
    from woo_anon.rendition import publish_text

    publish_text(document, plan, target, outdir, operator)


def _record(audit: AuditLog | None, plan: RedactionPlan, result: DocumentResult, input_sha: str,
            target: Path, mode: str, commit) -> None:
    if audit is not None:
        audit.document(plan, result, input_sha, sha256_file(target), mode=mode)
    if commit is not None:
        commit(result)


@contextmanager
def uninterrupted() -> Iterator[None]:
    """Hold Ctrl-C (SIGINT), a stop request (SIGTERM) and the time-limit alarm while a finished
    document is written and recorded; deliver a held Ctrl-C/stop right after."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held: list[int] = []
    signals = (signal.SIGINT, signal.SIGTERM, signal.SIGALRM)
    previous = {s: signal.signal(s, lambda signum, frame: held.append(signum)) for s in signals}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        if signal.SIGINT in held and previous[signal.SIGINT] is not signal.SIG_IGN:
            raise KeyboardInterrupt
        if signal.SIGTERM in held:
            os.kill(os.getpid(), signal.SIGTERM)


def plan_files(plan_dir: str | Path, name: str) -> tuple[Path, Path]:
    """Where `plan` writes a document's plan JSON and review PDF."""
    base = Path(plan_dir) / name
    return base.with_name(base.name + ".plan.json"), base.with_name(base.name + ".review.pdf")


def load_reviewed_plan(path: Path, name: str, plan_dir: str | Path) -> RedactionPlan:
    """The plan for `path` with the officer's edits; PlanMismatchError if it was made for
    another file or is missing."""
    plan_file, review = plan_files(plan_dir, name)
    if not plan_file.exists():
        raise PlanMismatchError(f"{path}: no plan found at {plan_file}")
    original = read_plan(plan_file)
    if original.source_sha256 != sha256_file(path):
        raise PlanMismatchError(f"{path}: the plan {plan_file.name} was made for another file "
                                "(sha256 differs); make a new plan")
    return apply_review_pdf(original, review) if review.exists() else original


def check_grounds(plan: RedactionPlan, valid: frozenset[str], item: Item) -> None:
    """Refuse a plan whose redactions carry a ground the Woo does not have (a typing error
    would otherwise be printed on the published page)."""
    wrong = sorted({r.ground for r in plan.to_apply() if r.ground not in valid})
    if wrong:
        raise PlanMismatchError(f"{item.source}: unknown ground {', '.join(wrong)} in the plan; "
                                f"valid grounds: {', '.join(sorted(valid))}")


def with_context(plan_json: str, document: Document, words: int = 5) -> str:
    """Add a few words either side of each proposal to the plan JSON, for the reviewer. Only
    the plan (a working file) gets them; the audit trail never does."""
    data = json.loads(plan_json)
    pages = {p.number: p.text for p in document.pages}
    for entry in data.get("redactions", []):
        entry["context"] = context_of(pages.get(entry.get("page"), ""), entry.get("text", ""), words)
    return json.dumps(data, ensure_ascii=False, indent=2)


def context_of(page_text: str, value: str, words: int = 5) -> str:
    """`… before [value] after …` around the first place `value` occurs on the page."""
    at = page_text.find(value) if value.strip() else -1
    if at < 0:
        return ""
    before = " ".join(page_text[:at].split()[-words:])
    after = " ".join(page_text[at + len(value):].split()[:words])
    return f"{before} [{' '.join(value.split())}] {after}".strip()


def write_redacted(path: str | Path, plan: RedactionPlan, target: Path, settings: Settings) -> int:
    """Apply a plan to the input file and write the verified output atomically; returns the
    page count."""
    doc = open_pdf(path)
    try:
        redact_document(doc, plan, style_of(settings))
        save_verified(doc, target, plan)
        return doc.page_count
    finally:
        doc.close()


def style_of(settings: Settings) -> Style:
    return Style(settings.fill, settings.text_colour)


def output_path(outdir: str | Path, name: str, suffix: str = "") -> Path:
    target = Path(outdir) / name
    return target.with_name(target.name + suffix) if suffix else target


def check_target(target: Path, force: bool) -> None:
    if target.exists() and not force:
        raise OutputExistsError(f"{target}: output exists (use --force to overwrite)")


def summarise(name: str, pages: int, plan: RedactionPlan, output: str,
              document: Document | None = None, status: str = "verified") -> DocumentResult:
    """The result of a document that went through: redactions per ground, OCR pages."""
    from woo_anon.ocr import LOW_CONFIDENCE

    by_ground: dict[str, int] = {}
    for r in plan.to_apply():
        by_ground[r.ground] = by_ground.get(r.ground, 0) + 1
    ocr = {p.number: p.ocr_confidence for p in (document.pages if document else ()) if p.ocr}
    review = tuple(n for n, c in ocr.items() if c is None or c < LOW_CONFIDENCE)
    return DocumentResult(name, status, pages, dict(sorted(by_ground.items())), output,
                          ocr_pages=tuple(ocr), ocr_confidence=ocr, review_pages=review,
                          input_sha256=document.sha256 if document else plan.source_sha256)


def failed(audit: AuditLog | None, item: Item, exc: WooAnonError) -> DocumentResult:
    """The result (and audit record) of a document that could not be processed."""
    result = DocumentResult(item.name, "failed", error=str(exc), exit_code=int(exc.exit_code))
    if audit is not None:
        sha = sha256_file(item.source) if item.source.is_file() else None
        audit.document(None, result, sha, None)
    return result


def _on_alarm(signum, frame):
    raise DocumentTimeoutError("document took longer than the time limit")


@contextmanager
def time_limit(seconds: int, item: Item) -> Iterator[None]:
    """Stop a document after `seconds` (Python-level; the batch watchdog handles native hangs).
    Only in the main thread, where signals can be delivered."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.alarm(seconds)
    try:
        yield
    except DocumentTimeoutError:
        raise DocumentTimeoutError(f"{item.source}: document took longer than the time limit "
                                   f"({seconds} s)") from None
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
