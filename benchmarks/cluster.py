"""Cluster benchmark (issue #20): the same batch with local worker processes (`--jobs 2`) and on a
Dask LocalCluster (`--cluster local -j 2`), whole CLI, side by side; per-worker throughput as the
cluster run reports it. Each run's exit code is checked.

Run: python benchmarks/cluster.py [--docs 80]
"""

from __future__ import annotations

import argparse
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(ROOT / "tests"))

import synth  # noqa: E402
from common import write_results  # noqa: E402


def make_batch(folder: Path, count: int) -> None:
    rng = random.Random(20)
    for i in range(count):
        p = synth.person(rng)
        street, postcode = synth.address(rng)
        synth.write_pdf(folder / f"doc{i:03d}.pdf", [
            f"Besluit op uw aanvraag {i}\n\nGeachte heer {p.surname},\n\nUw aanvraag van "
            f"{p.full}, {street}, {postcode} (BSN {synth.bsn(rng)}) is toegekend. Het bedrag "
            f"wordt overgemaakt op {synth.iban_spaced(synth.iban(rng))}. Voor vragen kunt u "
            f"bellen met {synth.mobile(rng)}.\n\nMet vriendelijke groet,\n\nde burgemeester"])


def run(args: list[str]) -> tuple[float, int, str]:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "woo_anon", *args], capture_output=True, text=True)
    return time.perf_counter() - start, proc.returncode, proc.stderr


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=80)
    args = parser.parse_args()
    lines = ["### Cluster: the same batch locally and on a Dask LocalCluster (2 workers)", "",
             f"{args.docs} one-page decision letters; wall time includes start-up (model load per "
             "worker, and the LocalCluster's start).", "",
             "| run | wall s | documents/s | exit |", "|---|---|---|---|"]
    workers: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in"
        make_batch(src, args.docs)
        for label, extra in (("--jobs 2 (local processes)", []),
                             ("--cluster local -j 2 (Dask)", ["--cluster", "local"])):
            wall, code, err = run(["redact", str(src), "-o", str(Path(tmp) / label.split()[0]),
                                   "-j", "2", *extra])
            lines.append(f"| {label} | {wall:.1f} | {args.docs / wall:.1f} | {code} |")
            workers += re.findall(r"cluster worker (\S+: \d+ documents, [\d.]+ documents/s busy)", err)
            print(lines[-1], file=sys.stderr)
    lines += ["", "Per Dask worker (busy time only, shipped NER model):", ""]
    lines += [f"- {w}" for w in workers]
    report = "\n".join(lines)
    print(report)
    write_results("cluster", report)


if __name__ == "__main__":
    main()
