"""Output size benchmark: how much bigger a redacted PDF is than its input.

Runs the whole pipeline (`woo_anon.redact_request`, as `woo-anon redact` does) on the samples
and the largest real PDFs of ../shared/corpus/real-pdfs, and prints per document the input MB,
output MB and the ratio. The anchor is the input itself (ratio 1.00); a scanned 2.5 MB decision
letter used to come out at 7 MB (pixel redaction wrote its JPEG pages losslessly).

Run: python benchmarks/size.py [--largest 4] [PDF ...]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

import woo_anon
from woo_anon.engine import Settings

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "real-pdfs"


def default_inputs(largest: int) -> list[Path]:
    """The sample PDFs and the `largest` real PDFs of the corpus (when it is there)."""
    real = sorted(CORPUS.glob("*.pdf"), key=lambda p: p.stat().st_size, reverse=True)
    return sorted((ROOT / "samples").glob("*.pdf")) + real[:largest]


def measure(inputs: list[Path], timeout: int) -> list[tuple[str, float, float | None, str]]:
    """(name, input MB, output MB or None, status) per document, one run of the pipeline."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in"
        src.mkdir()
        for path in inputs:
            shutil.copy(path, src / path.name)
        out = Path(tmp) / "out"
        result = woo_anon.redact_request([src], out, Settings(), timeout=timeout)
        rows = []
        for doc in result.results:
            size_in = (src / doc.name).stat().st_size / 1e6
            target = Path(doc.output) if doc.output else None
            size_out = target.stat().st_size / 1e6 if target and target.exists() else None
            rows.append((doc.name, size_in, size_out, doc.status))
        return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdfs", nargs="*", type=Path)
    parser.add_argument("--largest", type=int, default=4)
    parser.add_argument("--timeout", type=int, default=600)
    args = parser.parse_args()
    rows = measure(args.pdfs or default_inputs(args.largest), args.timeout)
    print(f"{'document':60} {'in MB':>7} {'out MB':>7} {'ratio':>6}  (anchor: input = 1.00)")
    for name, size_in, size_out, status in rows:
        if size_out is None:
            print(f"{name[:60]:60} {size_in:7.2f} {'-':>7} {'-':>6}  {status}")
        else:
            print(f"{name[:60]:60} {size_in:7.2f} {size_out:7.2f} {size_out / size_in:6.2f}")


if __name__ == "__main__":
    main()
