"""The pipeline with a timer per stage, for the speed benchmarks: the same calls as
woo_anon.runner's redact path (one open of the normalised PDF, extraction, detection, decisions
and plan, redaction, save, independent verification).

Run on its own it prints the seconds per stage on dense pages (benchmarks/speed_dense.py's
pages), wall clock and CPU (this process and its children, e.g. pdftotext: less disturbed by
other load on the machine), best of --repeat runs after one warm-up run:

    python benchmarks/stages.py --pages 20,50 --repeat 3

To compare two versions of the code back to back, run it with PYTHONPATH pointing at each
version's src/ in turn (benchmarks/RESULTS.md, section speed-stages).

Is a stage linear in the document's length? The dense generator's later pages are heavier
(more characters a page), which looks like superlinear cost. `--same-content` builds every size
from the first `--base` pages repeated, so the seconds per page of two sizes compare alike:

    python benchmarks/stages.py --pages 50,200 --same-content --repeat 2
"""

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


def _cpu() -> float:
    import os

    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def measure(stages: Stages, src: Path, out: Path, repeat: int) -> dict[str, dict[str, float]]:
    """Best wall and CPU seconds per stage over `repeat` runs (one warm-up run first)."""
    stages.run(src, out)
    best: dict[str, dict[str, float]] = {"wall": {}, "cpu": {}}
    for clock, timer in (("wall", time.perf_counter), ("cpu", _cpu)):
        for _ in range(repeat):
            times = _timed(stages, src, out, timer)
            for name, seconds in times.items():
                best[clock][name] = min(best[clock].get(name, float("inf")), seconds)
    return best


def _timed(stages: Stages, src: Path, out: Path, timer) -> dict[str, float]:
    saved = time.perf_counter
    time.perf_counter = timer  # Stages.run times with time.perf_counter
    try:
        return stages.run(src, out)
    finally:
        time.perf_counter = saved


def repeated(dst: Path, base: int, pages: int, tmp: Path) -> None:
    """A PDF of `pages` pages: the first `base` dense pages over and over."""
    import pymupdf

    from speed_dense import write_dense

    write_dense(tmp / "base.pdf", base)
    with pymupdf.open(tmp / "base.pdf") as src, pymupdf.open() as doc:
        while doc.page_count < pages:
            doc.insert_pdf(src, to_page=min(base, pages - doc.page_count) - 1)
        doc.save(dst, garbage=3, deflate=True)


def main() -> None:
    import argparse
    import tempfile

    import woo_anon
    from speed_dense import write_dense

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", default="20,50")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--same-content", action="store_true",
                        help="every size made of the first --base pages repeated")
    parser.add_argument("--base", type=int, default=50)
    args = parser.parse_args()
    stages = Stages()
    print(f"woo_anon from {Path(woo_anon.__file__).parent}")
    print(f"{'pages':>5} {'clock':>5} " + " ".join(f"{n:>8}" for n in Stages.NAMES)
          + f" {'total':>8} {'pages/s':>8} {'ms/page':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for pages in (int(p) for p in args.pages.split(",")):
            src, out = Path(tmp) / f"dense{pages}.pdf", Path(tmp) / "out.pdf"
            if args.same_content:
                repeated(src, min(pages, args.base), pages, Path(tmp))
            else:
                write_dense(src, pages)
            best = measure(stages, src, out, args.repeat)
            for clock in ("wall", "cpu"):
                total = sum(best[clock].values())
                print(f"{pages:>5} {clock:>5} " + " ".join(f"{best[clock][n]:>8.3f}"
                                                          for n in Stages.NAMES)
                      + f" {total:>8.3f} {pages / total:>8.1f} {1000 * total / pages:>8.1f}")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    main()
