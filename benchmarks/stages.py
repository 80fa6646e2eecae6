"""The pipeline with a timer per stage, for the speed benchmarks: the same calls as
woo_anon.runner's redact path (one open of the normalised PDF, extraction, detection, decisions
and plan, redaction, save, independent verification)."""

from __future__ import annotations

import sys
import time
from pathlib import Path


class Stages:
    """Runs extract → detect → decide (+plan) → redact → verify on one PDF, timing each."""

    NAMES = ("extract", "detect", "decide", "redact", "verify")

    def __init__(self, model: str | None = None) -> None:
        from woo_anon.engine import Engine, Settings

        self.engine = Engine(Settings(model=model))

    def run(self, src: Path, out: Path) -> dict[str, float]:
        import pymupdf

        from woo_anon.extract import open_normalised, read_document
        from woo_anon.plan import build_plan
        from woo_anon.redact import redact_document
        from woo_anon.runner import style_of
        from woo_anon.verify import verify_output

        engine, times = self.engine, {}
        t = time.perf_counter()
        doc = open_normalised(src)
        document = read_document(doc, src, src.name, engine.settings.ocr)
        times["extract"] = _lap(t)
        t = time.perf_counter()
        spans = engine.detector.detect_document(document)
        times["detect"] = _lap(t)
        t = time.perf_counter()
        plan = build_plan(document, [engine.policy.decide(s) for s in spans])
        times["decide"] = _lap(t)
        t = time.perf_counter()
        redact_document(doc, plan, style_of(engine.settings),
                        frozenset(p.number for p in document.pages if p.scan))
        doc.save(out, garbage=4, deflate=True, clean=True, incremental=False,
                 encryption=pymupdf.PDF_ENCRYPT_NONE, no_new_id=True)
        doc.close()
        times["redact"] = _lap(t)
        t = time.perf_counter()
        problems = verify_output(out, plan)
        times["verify"] = _lap(t)
        if problems:
            print(f"{src.name}: verification failed: {problems[:2]}", file=sys.stderr)
        return times


def _lap(start: float) -> float:
    return time.perf_counter() - start
