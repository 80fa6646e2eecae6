"""The pipeline with a timer per stage, for the speed benchmarks."""

from __future__ import annotations

import time
from pathlib import Path


class Stages:
    """Runs extract → detect → decide (+plan) → redact → verify on one PDF, timing each."""

    NAMES = ("extract", "detect", "decide", "redact", "verify")

    def __init__(self) -> None:
        from woo_anon.api import Engine, Settings

        self.engine = Engine(Settings())

    def run(self, src: Path, out: Path) -> dict[str, float]:
        import pymupdf

        from woo_anon.extract import extract_document
        from woo_anon.plan import build_plan
        from woo_anon.redact import redact_document
        from woo_anon.verify import verify_output

        times = {}
        t = time.perf_counter()
        document = extract_document(src, src.name)
        times["extract"] = _lap(t)
        t = time.perf_counter()
        spans = self.engine.detector.detect_document(document)
        times["detect"] = _lap(t)
        t = time.perf_counter()
        plan = build_plan(document, [self.engine.policy.decide(s) for s in spans])
        times["decide"] = _lap(t)
        t = time.perf_counter()
        with pymupdf.open(src) as doc:
            redact_document(doc, plan)
            doc.save(out, garbage=4, deflate=True, clean=True)
        times["redact"] = _lap(t)
        t = time.perf_counter()
        problems = verify_output(out, plan)
        times["verify"] = _lap(t)
        if problems:
            raise SystemExit(f"{src.name}: verification failed: {problems[:2]}")
        return times


def _lap(start: float) -> float:
    return time.perf_counter() - start
