"""Speed on dense pages: real public-domain Dutch prose (BWB circulars and policy rules, about 450
words a page) with personal data planted at a realistic density, beside the deduce and presidio
anchors in the same run.

Tables:
- one process, 50 / 400 / 1000 pages: pages/s per stage (extract, detect, decide, redact, verify),
  marginal pages/s (the 1000-page time minus the 50-page time, so start-up costs drop out) and the
  ratio to the deduce anchor;
- the whole CLI (`woo-anon redact`) on one long document (split into page ranges over the
  workers, woo_anon.split) and on a batch, with --jobs 1 and 2, each run's exit code checked and
  the outputs of --jobs 1 and 2 compared byte for byte;
- memory: peak RSS of the largest process for the smallest and largest size;
- start-up: `--help` and the first page of a one-page document, from launch.

Run: python benchmarks/speed_dense.py [--pages 50,400,1000] [--cli-pages N] [--no-cli] [--write]
     quick variant: --pages 50,200 (the full run is for a quiet machine); --write puts the tables
     into RESULTS.md (section speed-dense). Exits 1 when any woo-anon run did not exit 0 or
     --jobs 1 and 2 gave different outputs.
Needs ../shared/data/bwb-circulaires-beleidsregels-nl (skipped with a message if absent).
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
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


# Runs one command and reports, on its last stderr line, the peak RSS of the largest process it
# started (the CLI or one of its workers) and the CPU seconds of all of them: a fresh wrapper per
# run, so each row has its own peak.
_MEASURE = ("import resource, subprocess, sys\n"
            "p = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
            "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
            "sys.stderr.write(p.stderr)\n"
            "print(f'@measure {u.ru_maxrss} {u.ru_utime + u.ru_stime}', file=sys.stderr)\n"
            "sys.exit(p.returncode)\n")
FAILED: list[str] = []  # every run whose exit code was not 0


def cli(*args: str) -> tuple[float, int, float, float]:
    """Wall seconds, exit code, peak RSS (MB, largest single process) and CPU seconds of one
    `woo-anon` run."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", _MEASURE, sys.executable, "-m", "woo_anon", *args],
                          capture_output=True, text=True)
    wall = time.perf_counter() - start
    lines = proc.stderr.strip().splitlines()
    _, peak, cpu = lines[-1].split() if lines and lines[-1].startswith("@measure") else ("", 0, 0)
    if proc.returncode != 0:
        FAILED.append(f"woo-anon {' '.join(args[:2])}: exit {proc.returncode}")
        print(f"  exit {proc.returncode}: {lines[-2:-1]}", file=sys.stderr)
    return wall, proc.returncode, int(peak) / 1024, float(cpu)


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
    """The whole CLI on one long document and on a batch of the same pages, --jobs 1 and 2, run
    side by side (1, 2, 1, 2) so that load from other work hits both alike."""
    lines = ["", f"### Whole CLI (`woo-anon redact`), {pages} dense pages", "",
             "| input | jobs | wall s | pages/s | speed-up | CPU s | exit | peak RSS MB |",
             "|---|---|---|---|---|---|---|---|"]
    src = work / f"cli{pages}.pdf"
    write_dense(src, pages)
    batch = work / "batch"
    batch.mkdir(exist_ok=True)
    per_doc = 10
    for i in range(pages // per_doc):
        write_dense_slice(src, batch / f"doc{i:03d}.pdf", i * per_doc, per_doc)
    for label, target in ((f"one document, {pages} pages", src),
                          (f"{pages // per_doc} documents of {per_doc} pages", batch)):
        walls = {}
        for jobs in (1, 2):
            wall, code, peak, cpu = cli("redact", str(target), "-o", str(work / f"o_{target.stem}_{jobs}"),
                                        "-j", str(jobs), "--force")
            walls[jobs] = wall
            ratio = f"{walls[1] / wall:.2f}×" if jobs == 2 else "1.00×"
            lines.append(f"| {label} | {jobs} | {wall:.1f} | {pages / wall:.1f} | {ratio} | {cpu:.1f} "
                         f"| {code} | {peak:.0f} |")
            print(lines[-1], file=sys.stderr)
        same = _same_outputs(work / f"o_{target.stem}_1", work / f"o_{target.stem}_2")
        lines.append(f"| {label}: outputs of --jobs 1 and 2 | | {'identical' if same else 'DIFFER'} "
                     "| | | | | |")
        if not same:
            FAILED.append(f"{label}: --jobs 1 and --jobs 2 outputs differ")
    return lines


def _same_outputs(a: Path, b: Path) -> bool:
    import hashlib

    def digests(folder: Path) -> dict[str, str]:
        return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(folder.rglob("*.pdf"))}
    one = digests(a)
    return bool(one) and one == digests(b)


def memory_table(sizes: list[int], work: Path) -> list[str]:
    """Peak RSS of the largest process for one document of each size, one and two workers."""
    lines = ["", "### Memory: peak RSS of the largest process (MB)", "",
             "| pages | --jobs 1 | --jobs 2 |", "|---|---|---|"]
    for pages in sizes:
        src = work / f"dense{pages}.pdf"
        if not src.exists():
            write_dense(src, pages)
        peaks = [cli("redact", str(src), "-o", str(work / f"m{pages}_{j}"), "-j", str(j),
                     "--force")[2] for j in (1, 2)]
        lines.append(f"| {pages} | {peaks[0]:.0f} | {peaks[1]:.0f} |")
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
    help_s, help_code, _, help_cpu = cli("--help")
    first_s, code, _, first_cpu = cli("redact", str(one), "-o", str(work / "o_one"), "-j", "1", "--force")
    return ["", "### Start-up", "", "| measure | wall s | CPU s | exit |", "|---|---|---|---|",
            f"| `woo-anon --help` | {help_s:.2f} | {help_cpu:.2f} | {help_code} |",
            f"| one dense page, launch to exit | {first_s:.2f} | {first_cpu:.2f} | {code} |"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", default="50,400,1000",
                        help="document sizes for the stage table (quick: 50,200)")
    parser.add_argument("--cli-pages", type=int, default=0,
                        help="pages for the CLI --jobs table (default: the largest size, at most 400)")
    parser.add_argument("--no-cli", action="store_true", help="stage table only")
    parser.add_argument("--write", action="store_true",
                        help="write the tables into RESULTS.md, section speed-dense")
    args = parser.parse_args()
    if not BWB.is_file():
        print(f"skipped: {BWB} not found", file=sys.stderr)
        return 0
    sizes = [int(p) for p in args.pages.split(",")]
    from common import tree_state

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        lines = [tree_state(), ""] + stage_table(sizes, work)
        if not args.no_cli:
            lines += cli_table(args.cli_pages or min(400, max(sizes)), work)
            lines += memory_table([sizes[0], sizes[-1]] if len(sizes) > 1 else sizes, work)
            lines += startup_table(work)
    lines += ["", "Every run exited 0." if not FAILED else "FAILED: " + "; ".join(FAILED)]
    report = "\n".join(lines)
    print(report)
    if args.write:
        write_results("speed-dense", report)
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
