"""Toepassen from the review screen: the same library call as `woo-anon apply`, on a thread,
with progress the page can poll."""

from __future__ import annotations

import time
from dataclasses import asdict
from pathlib import Path

from woo_anon.model import DocumentResult


def run_apply(inputs: list[str], plan_dir: Path, outdir: Path, force: bool, job: "ApplyJob",
              reviewer: str | None = None) -> list[DocumentResult]:
    """Exactly what `woo-anon apply INPUTS --plan PLAN_DIR -o OUTDIR --reviewer NAME` runs (same
    library call, same defaults), so the output is byte for byte the same; the callbacks only
    report progress, and the reviewer only reaches the audit trail."""
    import woo_anon

    request = woo_anon.apply_request(inputs, plan_dir, outdir, force=force, reviewer=reviewer,
                                     progress=job.on_result, on_total=job.on_total)
    return list(request.results)


class ApplyJob:
    """Toepassen runs on a thread; the page polls `state()`."""

    def __init__(self) -> None:
        self.running = False
        self.total = 0
        self.done = 0
        self.results: list[dict] = []
        self.error: str | None = None
        self.started = self.finished = 0.0

    def on_total(self, total: int) -> None:
        self.total = total

    def on_result(self, result: DocumentResult) -> None:
        self.done += 1

    def state(self) -> dict:
        return {"running": self.running, "total": self.total, "done": self.done,
                "results": self.results, "error": self.error,
                "seconds": round((self.finished or time.monotonic()) - self.started, 1) if self.started else 0}


def result_row(result: DocumentResult) -> dict:
    """What the page shows of one document's result."""
    row = asdict(result)
    return {k: row.get(k) for k in ("name", "status", "pages", "by_ground", "output", "error")}
