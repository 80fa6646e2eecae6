"""Speed on dense pages: real public-domain Dutch prose (BWB circulars and policy rules, about 450
words a page) with personal data planted at a realistic density, beside the deduce and presidio
anchors in the same run.

Tables:
- one process, 50 / 400 / 1000 pages: pages/s per stage (extract, detect, decide, redact, verify),
  marginal pages/s (the 1000-page time minus the 50-page time, so start-up costs drop out) and the
  ratio to the deduce anchor;
- the whole CLI (`woo-anon redact`) on one long document and on a batch, with --jobs 1 and 2,
  each run's exit code checked;
- start-up: `--help` and the first page of a one-page document, from launch.

Run: python benchmarks/speed_dense.py [--pages 50,400,1000] [--no-cli]
Needs ../shared/data/bwb-circulaires-beleidsregels-nl (skipped with a message if absent).
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(ROOT / "tests"))

import pymupdf  # noqa: E402

import synth  # noqa: E402
from common import DeduceAnchor, PresidioAnchor, write_results  # noqa: E402

BWB = ROOT.parent / "shared" / "data" / "bwb-circulaires-beleidsregels-nl" / \
    "bwb_circulaires_beleidsregels_kb.jsonl.gz"
WORDS_PER_PAGE = 450
PLANT_EVERY = 90  # words between two planted values: about five per page, as in case files


def prose_words(limit: int) -> list[str]:
    """The first `limit` words of the BWB corpus, documents in file order."""
    words: list[str] = []
    with gzip.open(BWB, "rt", encoding="utf-8") as handle:
        for line in handle:
            words += json.loads(line)["text"].split()
            if len(words) >= limit:
                break
    return words[:limit]


def planted(rng: random.Random) -> str:
    """One sentence with personal data, in a form Woo documents use."""
    p = synth.person(rng)
    street, postcode = synth.address(rng)
    return rng.choice([
        f"Contactpersoon is {p.full}, telefoon {synth.mobile(rng)}.",
        f"Aanvrager {p.full} (BSN {synth.bsn(rng)}) woont aan de {street}, {postcode}.",
        f"Het bedrag wordt overgemaakt op {synth.iban_spaced(synth.iban(rng))} t.n.v. {p.full}.",
        f"Volgens mevrouw {p.surname} is het kenteken {synth.plate(rng)} gezien.",
        f"Reacties kunt u mailen naar {p.email('example.nl')} of bellen met {synth.landline(rng)}.",
    ])


def dense_pages(pages: int, seed: int = 11) -> list[str]:
    rng = random.Random(seed)
    words = prose_words(pages * WORDS_PER_PAGE)
    out = []
    for n in range(pages):
        chunk = words[n * WORDS_PER_PAGE:(n + 1) * WORDS_PER_PAGE]
        for at in range(PLANT_EVERY, len(chunk), PLANT_EVERY):
            chunk.insert(at, planted(rng))
        out.append(" ".join(chunk))
    return out


def write_dense(path: Path, pages: int) -> int:
    """A PDF of `pages` dense A4 pages; returns its word count."""
    doc, words = pymupdf.open(), 0
    for text in dense_pages(pages):
        page = doc.new_page(width=595, height=842)
        page.insert_textbox(pymupdf.Rect(50, 50, 545, 800), text, fontsize=8.2, lineheight=1.15)
        words += len(text.split())
    doc.save(path, garbage=3, deflate=True)
    return words


def timed(func, *args):
    start = time.perf_counter()
    value = func(*args)
    return value, time.perf_counter() - start


def anchor_seconds(anchor, src: Path, dst: Path) -> float:
    return timed(anchor.redact, src, dst)[1]


def cli(*args: str) -> tuple[float, int, float]:
    """Wall seconds, exit code and peak child RSS (MB) of one `woo-anon` run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "woo_anon", *args], capture_output=True, text=True)
    wall = time.perf_counter() - start
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    if proc.returncode != 0:
        print(f"  exit {proc.returncode}: {proc.stderr.strip().splitlines()[-1:]} ", file=sys.stderr)
    return wall, proc.returncode, peak


def stage_table(sizes: list[int], work: Path) -> list[str]:
    from stages import Stages

    stages = Stages()
    deduce, presidio = DeduceAnchor(), PresidioAnchor()
    lines = ["### Dense pages, one process: seconds per stage and pages/s", "",
             "| pages | words | extract | detect | decide | redact | verify | woo-anon p/s | deduce p/s | presidio p/s | vs deduce |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    totals = {}
    for pages in sizes:
        src = work / f"dense{pages}.pdf"
        words = write_dense(src, pages)
        times = stages.run(src, work / f"out{pages}.pdf")
        total = sum(times.values())
        d = anchor_seconds(deduce, src, work / f"d{pages}.pdf")
        p = anchor_seconds(presidio, src, work / f"p{pages}.pdf")
        totals[pages] = (total, d, p)
        lines.append(f"| {pages} | {words} | " + " | ".join(f"{times[k]:.2f}" for k in Stages.NAMES)
                     + f" | {pages / total:.1f} | {pages / d:.1f} | {pages / p:.1f} | {d / total:.2f}× |")
        print(lines[-1], file=sys.stderr)
    if len(sizes) >= 2:
        lo, hi = sizes[0], sizes[-1]
        (t0, d0, p0), (t1, d1, p1) = totals[lo], totals[hi]
        n = hi - lo
        lines += ["", f"Marginal pages/s ({lo} → {hi} pages): woo-anon {n / (t1 - t0):.1f}, "
                      f"deduce {n / (d1 - d0):.1f}, presidio {n / (p1 - p0):.1f}; "
                      f"woo-anon vs deduce {(d1 - d0) / (t1 - t0):.2f}×"]
    return lines


def cli_table(pages: int, work: Path) -> list[str]:
    lines = ["", "### Whole CLI (`woo-anon redact`), dense pages", "",
             "| input | jobs | wall s | pages/s | exit | peak RSS MB |", "|---|---|---|---|---|---|"]
    src = work / f"cli{pages}.pdf"
    write_dense(src, pages)
    batch = work / "batch"
    batch.mkdir(exist_ok=True)
    per_doc = 10
    for i in range(pages // per_doc):
        write_dense_slice(src, batch / f"doc{i:03d}.pdf", i * per_doc, per_doc)
    for label, target in ((f"one document, {pages} pages", src),
                          (f"{pages // per_doc} documents of {per_doc} pages", batch)):
        for jobs in (1, 2):
            wall, code, peak = cli("redact", str(target), "-o", str(work / f"o_{target.stem}_{jobs}"),
                                   "-j", str(jobs), "--force")
            lines.append(f"| {label} | {jobs} | {wall:.1f} | {pages / wall:.1f} | {code} | {peak:.0f} |")
            print(lines[-1], file=sys.stderr)
    return lines


def write_dense_slice(src: Path, dst: Path, start: int, count: int) -> None:
    with pymupdf.open(src) as doc:
        part = pymupdf.open()
        part.insert_pdf(doc, from_page=start, to_page=start + count - 1)
        part.save(dst, garbage=3, deflate=True)


def startup_table(work: Path) -> list[str]:
    one = work / "one.pdf"
    write_dense(one, 1)
    help_s, _, _ = cli("--help")
    first_s, code, _ = cli("redact", str(one), "-o", str(work / "o_one"), "-j", "1", "--force")
    return ["", "### Start-up", "", "| measure | seconds |", "|---|---|",
            f"| `woo-anon --help` | {help_s:.2f} |",
            f"| one dense page, launch to exit (exit {code}) | {first_s:.2f} |"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", default="50,400,1000")
    parser.add_argument("--no-cli", action="store_true")
    args = parser.parse_args()
    if not BWB.is_file():
        print(f"skipped: {BWB} not found", file=sys.stderr)
        return
    sizes = [int(p) for p in args.pages.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        lines = stage_table(sizes, work)
        if not args.no_cli:
            lines += cli_table(min(400, max(sizes)), work) + startup_table(work)
    report = "\n".join(lines)
    print(report)
    write_results("speed-dense", report)


if __name__ == "__main__":
    main()
