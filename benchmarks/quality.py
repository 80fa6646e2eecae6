"""Quality benchmark: woo-anon beside the deduce and presidio anchors, in one run.

Scores by reading the redacted output back with an independent extractor (pdftotext):
recall per entity type (personal data no longer readable) and keep-rate (public look-alikes
still readable). Also PER precision/recall/F1 on CoNLL-2002 ned.testb.

Run: python benchmarks/quality.py [--scanned N] [--per-kind N]
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import bench_data  # noqa: E402
import conll  # noqa: E402
from common import DeduceAnchor, PresidioAnchor, read_back, read_back_ocr  # noqa: E402

from woo_anon.api import Engine, Settings, redact_file  # noqa: E402
from woo_anon.audit import AuditLog  # noqa: E402

RESULTS = Path(__file__).parent / "RESULTS.md"


def readable(value: str, entity: str, text: str) -> bool:
    compact_text = re.sub(r"\s+", "", text)
    if entity == "PERSON":
        parts = [p for p in value.replace(",", " ").split() if len(p) >= 3 and not p.endswith(".")
                 and p.lower() not in ("van", "der", "den", "ten", "ter")]
        return any(re.search(r"(?<!\w)" + re.escape(p) + r"(?!\w)", text) for p in parts)
    return re.sub(r"\s+", "", value) in compact_text


def score(docs, outputs: dict[str, Path], reader=read_back) -> tuple[dict, float]:
    found, total, kept, keeps = defaultdict(int), defaultdict(int), 0, 0
    for doc in docs:
        text = reader(outputs[doc.name]) if doc.name in outputs else None
        for entity, value in doc.secrets:
            total[entity] += 1
            if text is not None and not readable(value, entity, text):
                found[entity] += 1
        for value in doc.keeps:
            keeps += 1
            kept += text is not None and re.sub(r"\s+", "", value) in re.sub(r"\s+", "", text)
    recall = {e: found[e] / total[e] for e in sorted(total)}
    recall["ALL"] = sum(found.values()) / sum(total.values())
    return recall, kept / keeps if keeps else 0.0


def run_system(name, redact, docs, pdfs, work: Path) -> dict[str, Path]:
    out = work / re.sub(r"\W+", "_", name)
    out.mkdir()
    outputs = {}
    start = time.perf_counter()
    for doc in docs:
        target = out / doc.name
        try:
            redact(pdfs[doc.name], target)
            outputs[doc.name] = target
        except Exception as exc:  # an anchor failing on a file counts as nothing redacted
            print(f"  {name}: {doc.name}: {exc}", file=sys.stderr)
    print(f"  {name}: {len(docs)} documents in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    return outputs


def woo_redactor(engine: Engine, work: Path):
    audit_dir = work / "woo-audit"

    def redact(src: Path, dst: Path) -> None:
        result = redact_file(engine, src, dst.name, dst.parent, AuditLog(audit_dir), force=True)
        if result.status != "verified":
            raise RuntimeError(result.error)
    return redact


def table(rows: dict[str, tuple[dict, float]], title: str) -> str:
    entities = sorted({e for recall, _ in rows.values() for e in recall if e != "ALL"}) + ["ALL"]
    lines = [f"### {title}", "", "| system | " + " | ".join(entities) + " | keep-rate |",
             "|---" * (len(entities) + 2) + "|"]
    for system, (recall, keep) in rows.items():
        cells = [f"{recall[e]:.3f}" if e in recall else "–" for e in entities]
        lines.append(f"| {system} | " + " | ".join(cells) + f" | {keep:.3f} |")
    return "\n".join(lines)


def text_level_table(engine: Engine, docs) -> str:
    """Precision and recall per entity type of woo-anon's decisions on the documents' text."""
    from woo_anon.model import Document, Page

    tp, fp, hit, total = defaultdict(int), defaultdict(int), defaultdict(int), defaultdict(int)
    for doc in docs:
        text = doc.text
        document = Document(doc.name, doc.name, "", (Page(1, text, (), ()),))
        spans = engine.detector.detect_document(document)
        redact = [d.span for d in map(engine.policy.decide, spans) if d.action == "redact"]
        gold = []
        for entity, value in doc.secrets:
            start = text.find(value)
            while start >= 0:
                gold.append((entity, start, start + len(value)))
                start = text.find(value, start + 1)
        for span in redact:
            ok = any(s < span.end and span.start < e for _, s, e in gold)
            tp[span.entity] += ok
            fp[span.entity] += not ok
        for entity, s, e in set(gold):
            total[entity] += 1
            hit[entity] += any(sp.start < e and s < sp.end for sp in redact)
    lines = ["### woo-anon decisions on the document text: precision and recall per entity type", "",
             "| entity | precision | recall | detected | labelled |", "|---|---|---|---|---|"]
    for entity in sorted(set(tp) | set(fp) | set(total)):
        found = tp[entity] + fp[entity]
        p = f"{tp[entity] / found:.3f}" if found else "–"
        r = f"{hit[entity] / total[entity]:.3f}" if total[entity] else "–"
        lines.append(f"| {entity} | {p} | {r} | {found} | {total[entity]} |")
    return "\n".join(lines)


def conll_table(engine: Engine, deduce: DeduceAnchor) -> str:
    groups = conll.read_conll()
    nlp = engine.detector.analyzer.nlp_engine.nlp["nl"]
    rows = {"woo-anon NER model alone": conll.score(groups, conll.model_predictor(nlp)),
            "woo-anon (model + rules + propagation)": conll.score(groups, conll.woo_predictor(engine.detector)),
            "deduce": conll.score(groups, conll.deduce_predictor(deduce))}
    lines = ["### PER on CoNLL-2002 ned.testb (strict spans; token recall)", "",
             "| system | P | R | F1 | token R |", "|---|---|---|---|---|"]
    for name, s in rows.items():
        lines.append(f"| {name} | {s['P']:.3f} | {s['R']:.3f} | {s['F1']:.3f} | {s['token_R']:.3f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-kind", type=int, default=10)
    parser.add_argument("--scanned", type=int, default=5)
    parser.add_argument("--no-conll", action="store_true")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    # seeds not used while developing the rules, so the numbers measure unseen documents
    docs = bench_data.make_docs(seed=args.seed, per_kind=args.per_kind)
    scanned = bench_data.make_docs(seed=args.seed + 1, per_kind=1)[: args.scanned]
    for d in scanned:
        d.name = "scan_" + d.name
    engine = Engine(Settings())
    deduce, presidio = DeduceAnchor(), PresidioAnchor()
    systems = {"woo-anon": woo_redactor, "deduce": lambda *_: lambda s, d: deduce.redact(s, d),
               "presidio (built-in)": lambda *_: lambda s, d: presidio.redact(s, d)}
    sections = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "in").mkdir()
        pdfs = {d.name: bench_data.write_pdf(d, work / "in" / d.name) for d in docs}
        pdfs.update({d.name: bench_data.write_scanned(d, work / "in" / d.name) for d in scanned})
        for label, subset in (("text PDFs", docs), ("scanned PDFs (OCR)", scanned)):
            if not subset:
                continue
            rows = {}
            for name, make in systems.items():
                redact = make(engine, work / label[:4]) if name == "woo-anon" else make()
                outputs = run_system(f"{name} {label[:4]}", redact, subset, pdfs, work)
                rows[name] = score(subset, outputs, read_back_ocr if subset is scanned else read_back)
            sections.append(table(rows, f"Recall per entity type and keep-rate, {label} "
                                         f"({len(subset)} documents)"))
    if docs:
        sections.append(text_level_table(engine, docs))
    if not args.no_conll and conll.TESTB.exists():
        sections.append(conll_table(engine, deduce))
    report = "\n\n".join(sections)
    print(report)
    write_results("quality", report)


def write_results(section: str, body: str) -> None:
    """Keep RESULTS.md with one section per benchmark script."""
    old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    marker = f"<!-- {section} -->"
    parts = old.split(marker)
    new_block = f"{marker}\n## {section} ({time.strftime('%Y-%m-%d')})\n\n{body}\n{marker}"
    text = parts[0] + new_block + parts[2] if len(parts) == 3 else old.rstrip() + "\n\n" + new_block + "\n"
    RESULTS.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
