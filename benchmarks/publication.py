"""Publication benchmark: accessibility (pdfua's PDF/UA-1 subset) and text renditions.

Side by side, in one run, on the samples and on the tagged public documents in
../shared/corpus/real-pdfs:
- input: the document as received (the anchor: what redaction should not make worse);
- plain PyMuPDF: the same plan's boxes applied with add_redact_annot + apply_redactions + save;
- woo-anon: the real pipeline output (redact, scrub, verify).
For each: how many files have no pdfua error, how many keep a structure tree, and per rule how
many files fail it. Then how many text renditions were written and verified, and how many of
all outputs of `woo-anon redact samples` (the PDFs, the e-mail with its attachments, the Word
memo: every input type the intake renders) pass every pdfua rule.

Run: python benchmarks/publication.py [--results]   (--results: update RESULTS.md)
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import pdfua
import pymupdf

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "real-pdfs"


def tagged(path: Path) -> bool:
    with pymupdf.open(path) as doc:
        return doc.xref_get_key(doc.pdf_catalog(), "StructTreeRoot")[0] == "xref"


def inputs() -> list[Path]:
    files = sorted((ROOT / "samples").glob("*.pdf"))
    if CORPUS.is_dir():
        files += [p for p in sorted(CORPUS.glob("*.pdf")) if tagged(p)]
    return files


def errors(path: Path) -> set[str]:
    return {f.rule_id for f in pdfua.validate(str(path)).findings if f.severity.name == "ERROR"}


def plain_pymupdf(src: Path, plan, dst: Path) -> None:
    """The anchor: the plan's boxes through PyMuPDF's own redaction, nothing else."""
    with pymupdf.open(src) as doc:
        for r in plan.to_apply():
            page = doc[r.page - 1]
            for box in r.boxes:
                page.add_redact_annot(pymupdf.Rect(box), fill=(0, 0, 0))
        for page in doc:
            page.apply_redactions()
        doc.save(dst, garbage=3, deflate=True)


def run(workdir: Path) -> tuple[dict[str, list[set[str]]], dict[str, int], list[str]]:
    from woo_anon import rendition
    from woo_anon.api import Engine, Settings, redact_file
    from woo_anon.audit import AuditLog

    engine = Engine(Settings())
    found: dict[str, list[set[str]]] = {"input": [], "plain PyMuPDF": [], "woo-anon": []}
    trees = {name: 0 for name in found}
    failures, outdir = [], workdir / "out"
    for src in inputs():
        document, plan = engine.plan(src, src.name)
        plain = workdir / f"plain-{src.name}"
        plain_pymupdf(src, plan, plain)
        result = redact_file(engine, src, src.name, outdir, AuditLog(outdir))
        if result.status != "verified":
            failures.append(f"not redacted: {result.error}")
            continue
        out = outdir / src.name
        for name, path in (("input", src), ("plain PyMuPDF", plain), ("woo-anon", out)):
            found[name].append(errors(path))
            trees[name] += tagged(path)
        try:
            rendition.write(document, plan, out, outdir)
        except Exception as exc:  # a benchmark reports, it does not stop
            failures.append(f"{src.name}: text rendition: {exc}")
    return found, trees, failures


def table(found: dict[str, list[set[str]]], trees: dict[str, int], failures: list[str]) -> str:
    names = list(found)
    n = len(found["input"])
    rules = sorted(set().union(*[s for sets in found.values() for s in sets]))
    lines = ["| | " + " | ".join(names) + " |", "|---" * (len(names) + 1) + "|",
             "| files without pdfua errors | " + " | ".join(
                 f"{sum(not s for s in found[k])}/{n}" for k in names) + " |",
             "| files with a structure tree | " + " | ".join(f"{trees[k]}/{n}" for k in names) + " |"]
    for rule in rules:
        lines.append(f"| fails {rule} | " + " | ".join(
            str(sum(rule in s for s in found[k])) for k in names) + " |")
    renditions = n - sum("text rendition" in f for f in failures)
    lines.append(f"\nText renditions written and verified: {renditions} of {n} redacted outputs.")
    lines += [f"- failed: {f}" for f in failures]
    return "\n".join(lines)


def whole_samples(workdir: Path) -> str:
    """Every output of `woo-anon redact samples` (the request API, as the CLI runs it)."""
    import woo_anon

    out = workdir / "samples-out"
    request = woo_anon.redact_request([ROOT / "samples"], out, woo_anon.Settings())
    outputs = sorted(out.glob("*.pdf"))
    clean = [p for p in outputs if not errors(p)]
    lines = [f"\nAll outputs of `woo-anon redact samples` (exit code {request.exit_code}): "
             f"{len(clean)}/{len(outputs)} without pdfua errors, "
             f"{sum(tagged(p) for p in outputs)}/{len(outputs)} tagged."]
    lines += [f"- {p.name}: {', '.join(sorted(errors(p)))}" for p in outputs if p not in clean]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", action="store_true", help="update benchmarks/RESULTS.md")
    args = parser.parse_args()
    pymupdf.TOOLS.mupdf_display_errors(False)  # damaged xrefs in real documents: noise here
    with tempfile.TemporaryDirectory() as tmp:
        body = table(*run(Path(tmp))) + "\n" + whole_samples(Path(tmp))
    print(body)
    if args.results:
        sys.path.insert(0, str(Path(__file__).parent))
        from common import write_results

        write_results("publication", "### pdfua (PDF/UA-1 subset) errors and text renditions\n\n" + body)


if __name__ == "__main__":
    main()
