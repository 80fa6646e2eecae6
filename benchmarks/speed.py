"""Speed benchmark: woo-anon beside the deduce and presidio anchors, in one run.

Prints pages/s and words/s on a long municipal document and on a batch of short ones, time per
stage (extract, detect, plan, redact, verify), how time grows from 10 to 100 to 1000 pages,
--jobs 1 vs --jobs 2, and peak memory for batches of 50 and 500 documents.

Run: python benchmarks/speed.py [--max-pages 1000]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import pymupdf  # noqa: E402

import bench_data  # noqa: E402
from common import DeduceAnchor, PresidioAnchor  # noqa: E402
from quality import write_results  # noqa: E402

from woo_anon.api import Engine, Settings, write_redacted  # noqa: E402
from woo_anon.extract import extract_document  # noqa: E402
from woo_anon.plan import build_plan  # noqa: E402
from woo_anon.redact import redact_document, save_verified  # noqa: E402
from woo_anon.verify import verify_output  # noqa: E402


def long_document(path: Path, pages: int) -> int:
    """Concatenate benchmark documents into one PDF of `pages` pages; returns the word count."""
    docs = bench_data.make_docs(seed=pages, per_kind=max(1, pages // 5 + 1))
    out, words = pymupdf.open(), 0
    for doc in docs[:pages]:
        page = out.new_page(width=595, height=842)
        page.insert_textbox(pymupdf.Rect(60, 60, 535, 800), doc.text, fontsize=10)
        words += len(doc.text.split())
    out.save(path)
    return words


def staged(engine: Engine, src: Path, out: Path) -> dict[str, float]:
    """The pipeline with a timer per stage."""
    times = {}
    t = time.perf_counter()
    document = extract_document(src, src.name)
    times["extract"] = time.perf_counter() - t
    t = time.perf_counter()
    spans = engine.detector.detect_document(document)  # deny list is a detection step
    times["detect"] = time.perf_counter() - t
    t = time.perf_counter()
    plan = build_plan(document, [engine.policy.decide(s) for s in spans])
    times["plan"] = time.perf_counter() - t
    t = time.perf_counter()
    with pymupdf.open(src) as doc:
        redact_document(doc, plan)
        doc.save(out, garbage=4, deflate=True, clean=True)
    times["redact"] = time.perf_counter() - t
    t = time.perf_counter()
    verify_output(out, plan)
    times["verify"] = time.perf_counter() - t
    return times


def anchor_time(anchor, src: Path, dst: Path) -> float:
    t = time.perf_counter()
    anchor.redact(src, dst)
    return time.perf_counter() - t


def batch_run(folder: Path, out: Path, jobs: int) -> tuple[float, float]:
    """Wall time and peak RSS (MB) of `woo-anon redact` in a child process."""
    # A small wrapper process measures its children, so this (large) process's pages are not
    # counted in the fork.
    wrapper = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
               "subprocess.run(sys.argv[1:], capture_output=True); "
               "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out_text = subprocess.run([sys.executable, "-c", wrapper, sys.executable, "-m", "woo_anon",
                               "redact", str(folder), "-o", str(out), "-j", str(jobs), "--force"],
                              capture_output=True, text=True, check=False).stdout.split()
    return float(out_text[0]), int(out_text[1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--max-pages", type=int, default=1000)
    args = parser.parse_args()
    engine = Engine(Settings())
    deduce, presidio = DeduceAnchor(), PresidioAnchor()
    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        lines += ["### Long document: pages/s and words/s (one process)", "",
                  "| pages | words | woo-anon p/s | woo-anon words/s | extract s | detect s | plan s | redact s | verify s | deduce p/s | presidio p/s | woo-anon vs deduce |",
                  "|---|---|---|---|---|---|---|---|---|---|---|---|"]
        for pages in [p for p in (10, 100, 1000) if p <= args.max_pages]:
            src = work / f"long{pages}.pdf"
            words = long_document(src, pages)
            stages = staged(engine, src, work / f"out{pages}.pdf")
            total = sum(stages.values())
            d = anchor_time(deduce, src, work / f"d{pages}.pdf")
            p = anchor_time(presidio, src, work / f"p{pages}.pdf")
            lines.append(f"| {pages} | {words} | {pages / total:.1f} | {words / total:.0f} | "
                         + " | ".join(f"{stages[k]:.2f}" for k in ("extract", "detect", "plan", "redact", "verify"))
                         + f" | {pages / d:.1f} | {pages / p:.1f} | {d / total:.2f}× |")
            print(lines[-1], file=sys.stderr)
        lines += ["", "### Scanned pages (image only, OCR with Tesseract nld at 300 dpi)", "",
                  "| pages | seconds per page | extract+OCR s | detect s | redact s | verify s |",
                  "|---|---|---|---|---|---|"]
        scans = bench_data.make_docs(seed=7, per_kind=1)
        totals = {"extract": 0.0, "detect": 0.0, "plan": 0.0, "redact": 0.0, "verify": 0.0}
        for doc in scans:
            src = bench_data.write_scanned(doc, work / f"scan_{doc.name}")
            for key, value in staged(engine, src, work / f"scan_out_{doc.name}").items():
                totals[key] += value
        n = len(scans)
        lines.append(f"| {n} | {sum(totals.values()) / n:.2f} | {totals['extract']:.1f} | "
                     f"{totals['detect']:.1f} | {totals['redact']:.1f} | {totals['verify']:.1f} |")
        print(lines[-1], file=sys.stderr)
        lines += ["", "### Batch of short documents (`woo-anon redact`, whole CLI incl. start-up)", "",
                  "| documents | jobs | wall s | docs/s | peak RSS MB (largest process) |", "|---|---|---|---|---|"]
        for count, jobs in ((50, 1), (50, 2), (500, 1), (500, 2)):
            folder = work / f"batch{count}"
            folder.mkdir(exist_ok=True)
            for doc in bench_data.make_docs(seed=count, per_kind=count // 5)[:count]:
                if not (folder / doc.name).exists():
                    bench_data.write_pdf(doc, folder / doc.name)
            wall, peak = batch_run(folder, work / f"bout{count}_{jobs}", jobs)
            lines.append(f"| {count} | {jobs} | {wall:.1f} | {count / wall:.1f} | {peak:.0f} |")
            print(lines[-1], file=sys.stderr)
    import duplicates  # issue #13: grouping time for 1,000 and 10,000 documents

    lines += ["", "### Duplicate grouping", "", duplicates.speed_table()]
    report = "\n".join(lines)
    print(report)
    write_results("speed", report)


if __name__ == "__main__":
    main()
