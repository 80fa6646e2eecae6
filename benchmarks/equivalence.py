"""Before/after check for performance work: a change that only makes woo-anon faster must not
change what it detects, decides or removes.

`build DIR` writes a fixed set of PDFs (the samples, dense BWB pages with planted data, documents
from the development and test benchmark generators, a page with text painted over by boxes, and a
page full of special-category terms). `snapshot DIR OUT.json` runs `woo-anon plan` on them and
`woo-anon redact samples/`, and stores every plan (entity, ground, status, boxes, text, reasons)
and the sha256 of every redacted PDF. Compare two snapshots with `diff`.

Run: python benchmarks/equivalence.py build /tmp/eq && \
     python benchmarks/equivalence.py snapshot /tmp/eq before.json
"""

from __future__ import annotations

import hashlib
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(ROOT / "tests"))


def build(out: Path) -> None:
    import shutil

    import pymupdf

    import bench_data
    import speed_dense
    import woo_testset

    out.mkdir(parents=True, exist_ok=True)
    for pdf in sorted((ROOT / "samples").glob("*.pdf")):
        shutil.copy(pdf, out / pdf.name)
    speed_dense.write_dense(out / "dense12.pdf", 12)
    for doc in bench_data.make_docs(seed=3, per_kind=1):
        bench_data.write_pdf(doc, out / f"dev_{doc.name}")
    for doc in woo_testset.make_docs("unlisted", seed=5, per_kind=1):
        woo_testset.write_pdf(doc, out / doc.name)
    _covered(out / "covered.pdf", pymupdf)
    _special(out / "special.pdf", pymupdf)


def _covered(path: Path, pymupdf) -> None:
    """Text under later black and white boxes, text on top of a box, a box under text."""
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.draw_rect(pymupdf.Rect(50, 95, 300, 115), color=None, fill=(0.9, 0.9, 0.9))
    for i, line in enumerate(["Aanvrager Jan de Vries woont aan de Kerkstraat 12 in Utrecht.",
                              "Zijn BSN is 123456782 en zijn IBAN NL91ABNA0417164300.",
                              "Telefoon 06-12345678, e-mail jan.devries@example.nl.",
                              "De gemeente heeft het verzoek op 3 maart ontvangen."]):
        page.insert_text((60, 110 + 30 * i), line, fontsize=10)
    page.draw_rect(pymupdf.Rect(100, 130, 260, 145), color=None, fill=(0, 0, 0))
    page.draw_rect(pymupdf.Rect(55, 160, 200, 175), color=None, fill=(1, 1, 1))
    page.draw_rect(pymupdf.Rect(300, 185, 420, 200), color=(0, 0, 0), fill=(0, 0, 0))
    page.insert_text((305, 197), "5.1.2e", fontsize=8, color=(1, 1, 1))
    doc.save(path)


def _special(path: Path, pymupdf) -> None:
    """Sentences with every lexicon term in several inflected forms, some with a person."""
    from woo_anon.special import lexicon

    rng = random.Random(5)
    lines = []
    for words, _ in lexicon().terms:
        term = " ".join(w.rstrip("*") for w in words)
        form = rng.choice([term, term + "en", term + "e", term + "s", term.capitalize()])
        who = rng.choice(["Mevrouw Jansen", "Hij", "Iemand", "Pieter Bakker"])
        lines.append(f"{who} noemde {form} in het gesprek.")
    text = " ".join(lines)
    doc = pymupdf.open()
    while text:
        page = doc.new_page(width=595, height=842)
        left = page.insert_textbox(pymupdf.Rect(50, 50, 545, 800), text, fontsize=9)
        if left >= 0:
            break
        text = text[len(text) // 2:]  # overflow: put the second half on a new page
    doc.save(path)


def snapshot(corpus: Path, out: Path) -> None:
    woo = [sys.executable, "-m", "woo_anon"]
    result: dict = {"plans": {}, "redacted_sha256": {}}
    with tempfile.TemporaryDirectory() as tmp:
        plans, redacted = Path(tmp) / "plans", Path(tmp) / "redacted"
        for args in ([*woo, "plan", str(corpus), "-o", str(plans)],
                     [*woo, "redact", str(ROOT / "samples"), "-o", str(redacted)]):
            proc = subprocess.run([*args, "-j", "1", "--force"], capture_output=True, text=True)
            print(f"exit {proc.returncode}: {' '.join(args[3:5])}", file=sys.stderr)
        for plan in sorted(plans.glob("*.plan.json")):
            result["plans"][plan.name] = json.loads(plan.read_text("utf-8"))
        for pdf in sorted(redacted.rglob("*.pdf")):
            rel = str(pdf.relative_to(redacted))
            result["redacted_sha256"][rel] = hashlib.sha256(pdf.read_bytes()).hexdigest()
    out.write_text(json.dumps(result, indent=1, sort_keys=True, ensure_ascii=False), "utf-8")
    count = sum(len(p["redactions"]) for p in result["plans"].values())
    print(f"{len(result['plans'])} plans, {count} redactions, "
          f"{len(result['redacted_sha256'])} redacted PDFs -> {out}", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "build":
        build(Path(sys.argv[2]))
    elif len(sys.argv) == 4 and sys.argv[1] == "snapshot":
        snapshot(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        sys.exit(__doc__)
