"""Quality benchmark: woo-anon beside the deduce and presidio anchors, in one run.

Sets, each scored the same way:
- TEST set, unlisted names (the headline): templates, layouts and names development never saw;
  no name is in any list or training text (woo_testset.py asserts this before scoring).
- TEST set, listed names: same templates; names from deduce's lists (which the rules use).
- DEVELOPMENT set (bench_data.py): what the rules were tuned on; shown so changes stay honest.
- BLIND test set (woo_blindset.py): kinds, layouts and names written independently once the TEST
  set's per-kind aggregates had been used for diagnosis; no breakdown or explanation is ever
  printed for it, so nobody can tune on it.

Per set: (1) recall per entity type and keep-rate of public look-alikes, read back from the
redacted PDF with an independent extractor (pdftotext; OCR for scans); (2) entity-level precision
and recall on the page text: what each system removes, merged into spans, against the gold spans.
Systems: woo-anon (model + rules), woo-anon rules only (`--model blank`), the NER model alone,
deduce, presidio with its built-in recognisers. Independent prose: PER on CoNLL-2002 ned.testb
(evaluation only, research licence) and Europeana NL (CC0), see conll.py.

Run: python benchmarks/quality.py [--per-kind N] [--dev-per-kind N] [--scanned N] [--no-conll]
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
import woo_testset  # noqa: E402
from common import (DeduceAnchor, PresidioAnchor, read_back, read_back_ocr, redact_strings,  # noqa: E402
                    tree_state, write_results)

from woo_anon.api import Engine, Settings, write_redacted  # noqa: E402
from woo_anon.extract import extract_document  # noqa: E402

INTRO = """### Woo-style documents

The **TEST set** is the headline: 7 document kinds, layouts and phrasings written separately from
the development set, with person names that are in no list woo-anon or its model has seen
(`unlisted`: checked at build time against deduce's lists as deduce and woo-anon read them, the
project's data files, the training pools and every word of the training texts). The `listed`
variant uses names that are in deduce's lists (which the rules look up and from which the model's
generated training sentences were filled). The **development set** is what the rules were tuned
on; it is kept to show how far the two differ. Recall = the labelled value is no longer readable
in the redacted PDF (pdftotext; OCR for scans); a person counts as missed while any name part is
readable. Keep-rate = share of public look-alikes (officials in office, organisations, the
organisation's own contact details, case numbers, dates, amounts, section numbers) still readable.
Entity-level: what a system removes, merged into spans, against the gold spans on the page text;
precision = share of removed spans that overlap personal data. Rows: `woo-anon` (default settings),
`woo-anon rules only` (`--model blank`), `NER model alone` (the model's person spans after the
detector's model-span filter, nothing else), and the anchors deduce and presidio (built-in
recognisers), wired to PyMuPDF the plain way.
"""
EXPLAIN: set[str] = set()  # systems whose misses are printed (--explain)
BREAKDOWN: list[bool] = []  # --breakdown: aggregate diagnosis tables for woo-anon (counts only)
PARTICLES = {"van", "der", "den", "ten", "ter", "de", "het", "mr", "op", "in"}


# ---------------------------------------------------------------- PDF read-back scoring

def readable(value: str, entity: str, text: str) -> bool:
    """Is (part of) the value still readable? A person: any name part of 3+ letters as a word.
    Other data: the value itself (whitespace ignored), or its longest token of 5+ characters
    as a word (a table cell that wraps, a half-redacted address or phone number)."""
    if entity == "PERSON":
        parts = [p for p in re.split(r"[\s,]+", value) if len(p) >= 3 and not p.endswith(".")
                 and p.lower() not in PARTICLES]
        return any(re.search(r"(?<!\w)" + re.escape(p) + r"(?!\w)", text, re.I) for p in parts)
    if re.sub(r"\s+", "", value) in re.sub(r"\s+", "", text):
        return True
    longest = max(re.split(r"[\s,()]+", value), key=len)
    return len(longest) >= 5 and re.search(r"(?<![\w@.])" + re.escape(longest) + r"(?![\w@])", text) is not None


def kept(value: str, text: str) -> bool:
    return re.sub(r"\s+", "", value) in re.sub(r"\s+", "", text)


def score(docs, outputs: dict[str, Path], reader=read_back, skip=frozenset(),
          explain: str = "") -> tuple[dict, float]:
    found, total, keep_hits, keeps = defaultdict(int), defaultdict(int), 0, 0
    for doc in docs:
        text = reader(outputs[doc.name]) if doc.name in outputs else None
        for entity, value in doc.secrets:
            if (doc.name, value) in skip:
                continue
            total[entity] += 1
            hit = text is not None and not readable(value, entity, text)
            found[entity] += hit
            if explain and not hit:
                print(f"  {explain}: MISSED {entity} {value!r} in {doc.name}", file=sys.stderr)
        for value in doc.keeps:
            keeps += 1
            keep_hits += text is not None and kept(value, text)
            if explain and not (text is not None and kept(value, text)):
                print(f"  {explain}: REMOVED public {value!r} in {doc.name}", file=sys.stderr)
    recall = {e: found[e] / total[e] for e in sorted(total)}
    recall["ALL"] = sum(found.values()) / sum(total.values())
    return recall, keep_hits / keeps if keeps else 0.0


def unreadable_inputs(docs, pdfs: dict[str, Path], reader=read_back) -> set[tuple[str, str]]:
    """(document, value) of secrets and keeps NOT readable in the unredacted input: a rendering
    fault (a base-14 font without "ś") would otherwise count as a successful redaction."""
    missing = set()
    for doc in docs:
        text = reader(pdfs[doc.name])
        missing |= {(doc.name, v) for e, v in doc.secrets if not readable(v, e, text)}
        missing |= {(doc.name, v) for v in doc.keeps if not kept(v, text)}
    return missing


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
        except Exception as exc:  # a system failing on a file counts as nothing redacted
            print(f"  {name}: {doc.name}: {exc}", file=sys.stderr)
    print(f"  {name}: {len(docs)} documents in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    return outputs


class WooSystem:
    """woo-anon through its library API: plan (extract, detect, decide), then write the redacted,
    scrubbed and verified output. The plan is kept for the entity-level scores."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.plans: dict[Path, tuple] = {}

    def plan(self, path: Path) -> tuple:
        if path not in self.plans:
            self.plans[path] = self.engine.plan(path, path.name)
        return self.plans[path]

    def redact(self, src: Path, dst: Path) -> None:
        _, plan = self.plan(src)
        write_redacted(src, plan, dst, self.engine.settings)

    def spans(self, path: Path, document=None) -> list[list[tuple[int, int, str]]]:
        """Per page: the characters the plan removes (box centre inside a redaction box), as
        spans labelled with the redaction's entity."""
        document, plan = self.plan(path)
        out = []
        for page in document.pages:
            boxes = [(b, f"{r.entity}|{r.recognizer}") for r in plan.to_apply()
                     if r.page == page.number for b in r.boxes]
            spans = []
            for i, box in enumerate(page.boxes):
                if box is None or not page.text[i].strip():
                    continue
                cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
                hit = next((e for b, e in boxes if b[0] <= cx <= b[2] and b[1] <= cy <= b[3]), None)
                if hit:
                    spans.append((i, i + 1, hit))
            out.append(spans)
        return out


class ModelAnchor:
    """The shipped NER model alone, as woo-anon uses it: the model's person spans after the
    detector's model-span filter (no rules, lists or propagation), redacted the plain way."""

    name = "NER model alone"

    def __init__(self, engine: Engine) -> None:
        self.detector = engine.detector

    def find(self, text: str) -> list[tuple[int, int, str]]:
        from woo_anon.model import Page

        return [(s.start, s.end, "PERSON") for s in self.detector.detect_page(Page(1, text, (), ()))
                if s.recognizer == "ner-model"]

    def redact(self, src: Path, dst: Path) -> None:
        import pymupdf

        with pymupdf.open(src) as doc:
            texts = [page.get_text() for page in doc]
        redact_strings(src, dst, [[t[s:e] for s, e, _ in self.find(t)] for t in texts])


def recall_table(rows: dict[str, tuple[dict, float]], title: str) -> str:
    entities = sorted({e for recall, _ in rows.values() for e in recall if e != "ALL"}) + ["ALL"]
    lines = [f"#### {title}", "", "| system | " + " | ".join(entities) + " | keep-rate |",
             "|---" * (len(entities) + 2) + "|"]
    for system, (recall, keep) in rows.items():
        cells = [f"{recall[e]:.3f}" if e in recall else "–" for e in entities]
        lines.append(f"| {system} | " + " | ".join(cells) + f" | {keep:.3f} |")
    return "\n".join(lines)


# ---------------------------------------------------------------- entity-level scoring on text

def gold_spans(text: str, doc) -> tuple[list, list]:
    """Character spans of the secrets (entity, start, end) and of the keeps, found in a page's
    extracted text (whitespace between tokens may differ from the template)."""
    def find(value):
        pattern = r"\s*".join(re.escape(t) for t in value.split())
        return [(m.start(), m.end()) for m in re.finditer(r"(?<!\w)" + pattern + r"(?!\w)", text)]
    secrets = sorted({(e, s, t) for e, v in doc.secrets for s, t in find(v)})
    keeps = sorted({span for v in doc.keeps for span in find(v)})
    return secrets, keeps


def merge(spans: list[tuple[int, int, str]], text: str) -> list[tuple[int, int, str]]:
    """Overlapping spans, or spans separated only by spaces, become one unit."""
    units: list[list] = []
    for start, end, label in sorted(spans):
        if units and (start <= units[-1][1] or not text[units[-1][1]:start].strip(" ")):
            units[-1][1] = max(units[-1][1], end)
        else:
            units.append([start, end, label])
    return [tuple(u) for u in units]


def is_person(label: str) -> bool:
    return label.upper().startswith(("PERSON", "PER")) or label in ("persoon", "patient")


def entity_scores(docs, pdfs, finders: dict) -> dict[str, dict]:
    """Entity-level precision (merged predicted units overlapping a gold span) and recall (every
    word character of a gold span covered), overall and for persons."""
    result = {}
    documents = {doc.name: extract_document(pdfs[doc.name], doc.name) for doc in docs}
    for system, spans_of in finders.items():
        c = defaultdict(int)
        for doc in docs:
            document = documents[doc.name]
            for page, spans in zip(document.pages, spans_of(pdfs[doc.name], document)):
                # woo-anon's spans come from its own extraction of the same file (same text)
                gold, keeps = gold_spans(page.text, doc)
                units = merge(spans, page.text)
                covered = {i for s, e, _ in units for i in range(s, e)}
                for s, e, label in units:
                    ok = any(s < ge and gs < e for _, gs, ge in gold)
                    c["units"] += 1
                    c["tp"] += ok
                    if is_person(label):
                        c["p_units"] += 1
                        c["p_tp"] += ok
                    touches = any(s < ke and ks < e for ks, ke in keeps)
                    c["keep_hit"] += touches
                    if touches and not ok:
                        c["public|" + label] += 1
                for entity, gs, ge in gold:
                    hit = all(i in covered for i in range(gs, ge) if page.text[i].isalnum())
                    c["gold"] += 1
                    c["found"] += hit
                    if entity == "PERSON":
                        c["p_gold"] += 1
                        c["p_found"] += hit
        result[system] = c
    return result


def entity_table(scores: dict[str, dict], title: str) -> str:
    ratio = lambda a, b: f"{a / b:.3f}" if b else "–"  # noqa: E731
    lines = [f"#### {title}", "",
             "| system | precision, all | recall, all | PERSON precision | PERSON recall | "
             "removed spans | gold mentions | spans touching public text |",
             "|---|---|---|---|---|---|---|---|"]
    for system, c in scores.items():
        lines.append(f"| {system} | {ratio(c['tp'], c['units'])} | {ratio(c['found'], c['gold'])} | "
                     f"{ratio(c['p_tp'], c['p_units'])} | {ratio(c['p_found'], c['p_gold'])} | "
                     f"{c['units']} | {c['gold']} | {c['keep_hit']} |")
    return "\n".join(lines)


# ---------------------------------------------------------------- one set, all systems

def evaluate_set(label, docs, writer, systems, finders, work: Path, reader=read_back,
                 entity_level=True, strict=True) -> list[str]:
    folder = work / re.sub(r"\W+", "_", label)
    (folder / "in").mkdir(parents=True)
    pdfs = {d.name: writer(d, folder / "in" / d.name) for d in docs}
    skip = unreadable_inputs(docs, pdfs, reader)
    assert strict is False or not skip, f"{label}: not readable in the inputs: {sorted(skip)}"
    rows = {}
    blind = label.startswith("BLIND")
    for name, redact in systems.items():
        outputs = run_system(f"{name} [{label}]", redact(folder), docs, pdfs, folder)
        rows[name] = score(docs, outputs, reader, skip, name if name in EXPLAIN and not blind else "")
    kinds = len({d.kind for d in docs})
    sections = [recall_table(rows, f"{label}: recall per entity type and keep-rate, read back "
                                   f"from the redacted PDFs ({len(docs)} documents, {kinds} kinds)")]
    if skip:
        sections[-1] += (f"\n\n{len(skip)} labelled values were not readable in the generated input "
                         f"(font could not render them) and are left out of the scores: "
                         + ", ".join(sorted({v for _, v in skip})))
    if BREAKDOWN and "woo-anon" in systems and not blind:
        sections.append(kind_table(docs, folder, reader, skip, label))
    if entity_level:
        scores = entity_scores(docs, pdfs, finders)
        sections.append(entity_table(scores, f"{label}: entity-level precision and recall on the page text"))
        if BREAKDOWN and "woo-anon" in scores and not blind:
            sections.append(source_table(scores["woo-anon"], label))
    return sections


def kind_table(docs, folder: Path, reader, skip, label: str) -> str:
    """woo-anon's PERSON recall and keep-rate per document kind: counts only, no texts, so the
    test set can be diagnosed without reading its items."""
    out = folder / re.sub(r"\W+", "_", f"woo-anon [{label}]")
    lines = [f"#### {label}: woo-anon per document kind (aggregate diagnosis)", "",
             "| kind | documents | PERSON recall | other recall | keep-rate |", "|---|---|---|---|---|"]
    for kind in sorted({d.kind for d in docs}):
        group = [d for d in docs if d.kind == kind]
        c = defaultdict(int)
        for doc in group:
            text = reader(out / doc.name) if (out / doc.name).exists() else None
            for entity, value in doc.secrets:
                if (doc.name, value) in skip:
                    continue
                key = "p" if entity == "PERSON" else "o"
                c[key + "_total"] += 1
                c[key + "_found"] += text is not None and not readable(value, entity, text)
            for value in doc.keeps:
                c["k_total"] += 1
                c["k_hit"] += text is not None and kept(value, text)
        ratio = lambda a, b: f"{c[a] / c[b]:.3f} ({c[b]})" if c[b] else "–"  # noqa: E731
        lines.append(f"| {kind} | {len(group)} | {ratio('p_found', 'p_total')} | "
                     f"{ratio('o_found', 'o_total')} | {ratio('k_hit', 'k_total')} |")
    return "\n".join(lines)


def source_table(counts: dict, label: str) -> str:
    """Removed spans that touch public text and no personal data, by entity and recogniser."""
    rows = sorted(((n, k.split("|", 1)[1]) for k, n in counts.items() if k.startswith("public|")),
                  reverse=True)
    lines = [f"#### {label}: woo-anon spans that removed only public text, by detector", "",
             "| entity and recogniser | spans |", "|---|---|"]
    lines += [f"| {name} | {n} |" for n, name in rows] or ["| (none) | 0 |"]
    return "\n".join(lines)


def text_finder(anchor):
    return lambda path, document: [anchor.find(p.text) for p in document.pages]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-kind", type=int, default=6, help="test documents per template")
    parser.add_argument("--dev-per-kind", type=int, default=10)
    parser.add_argument("--scanned", type=int, default=5, help="scanned test documents (OCR)")
    parser.add_argument("--blind-per-kind", type=int, default=4,
                        help="documents per kind of the blind test set (woo_blindset.py); 0: skip")
    parser.add_argument("--no-conll", action="store_true")
    parser.add_argument("--seed", type=int, default=7, help="test set seed")
    parser.add_argument("--dev-seed", type=int, default=2026)
    parser.add_argument("--no-write", action="store_true", help="do not update RESULTS.md")
    parser.add_argument("--breakdown", action="store_true",
                        help="add aggregate diagnosis tables for woo-anon (per document kind; "
                             "public-text removals per detector); counts only")
    parser.add_argument("--explain", action="append", default=[],
                        help="print every miss and every removed public text of this system")
    args = parser.parse_args()
    start = time.perf_counter()
    EXPLAIN.update(args.explain)
    if args.breakdown:
        BREAKDOWN.append(True)

    both, rules = Engine(Settings()), Engine(Settings(model="blank"))
    deduce, presidio, model = DeduceAnchor(), PresidioAnchor(), ModelAnchor(both)
    woo_testset.check_pools(deduce.deduce.lookup_structs)
    blind = blind_docs(args.blind_per_kind, deduce)
    woo, woo_rules = WooSystem(both), WooSystem(rules)
    systems = {"woo-anon": lambda w: woo.redact, "woo-anon rules only": lambda w: woo_rules.redact,
               "NER model alone": lambda w: model.redact,
               "deduce": lambda w: deduce.redact, "presidio (built-in)": lambda w: presidio.redact}
    finders = {"woo-anon": woo.spans, "woo-anon rules only": woo_rules.spans,
               "NER model alone": text_finder(model), "deduce": text_finder(deduce),
               "presidio (built-in)": text_finder(presidio)}
    sets = [("TEST set, unlisted names", woo_testset.make_docs("unlisted", args.seed, args.per_kind)),
            ("TEST set, listed names", woo_testset.make_docs("listed", args.seed, args.per_kind))]
    sections = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if blind:
            import woo_blindset

            sections += evaluate_set("BLIND test set, unlisted names", blind, woo_blindset.write_pdf,
                                     systems, finders, work)
        for label, docs in sets:
            if docs:
                sections += evaluate_set(label, docs, woo_testset.write_pdf, systems, finders, work)
        if args.scanned:
            scans = woo_testset.make_docs("unlisted", args.seed + 1, 1)[: args.scanned]
            for d in scans:
                d.name = "scan_" + d.name
            sections += evaluate_set("TEST set, scanned (OCR)", scans, scan_writer, systems, finders,
                                     work, read_back_ocr, entity_level=False, strict=False)
        dev = bench_data.make_docs(seed=args.dev_seed, per_kind=args.dev_per_kind)
        if dev:
            sections += evaluate_set("development set (tuned on)", dev, bench_data.write_pdf, systems,
                                     finders, work, strict=False)
    if not args.no_conll:
        sections += conll.tables(both, rules, deduce)
    import duplicates  # issue #13: duplicate-detection precision/recall

    sections += ["### Duplicate detection", duplicates.quality_table()]
    report = "\n\n".join([f"Measured on {tree_state()}.", INTRO] + sections)
    print(report)
    print(f"({time.perf_counter() - start:.0f} s)", file=sys.stderr)
    if not args.no_write:
        write_results("quality", report)


def blind_docs(per_kind: int, deduce) -> list:
    """The blind test set (woo_blindset.py): written independently after the rules were last
    diagnosed on the test set's per-kind aggregates; nobody tunes on it (not even by aggregates)."""
    if not per_kind or not (Path(__file__).parent / "woo_blindset.py").exists():
        return []
    import woo_blindset

    woo_blindset.check_pools(deduce.deduce.lookup_structs)
    return woo_blindset.make_docs("unlisted", 11, per_kind)


def scan_writer(doc, path: Path) -> Path:
    """A test document rendered in its own layout, then rasterised to an image-only PDF."""
    import pymupdf

    woo_testset.write_pdf(doc, path.with_suffix(".vector.pdf"))
    with pymupdf.open(path.with_suffix(".vector.pdf")) as src:
        out = pymupdf.open()
        for page in src:
            pix = page.get_pixmap(dpi=200)
            scan = out.new_page(width=page.rect.width, height=page.rect.height)
            scan.insert_image(scan.rect, pixmap=pix)
        out.save(path)
    path.with_suffix(".vector.pdf").unlink()
    return path


if __name__ == "__main__":
    main()
