"""Score a candidate model on the selection data: the own dev split (build/ner-dev) and the
hand-written Woo-style dev set (training/woo_dev.txt), plus speed in words/s on one core.

CoNLL-2002 and the benchmark's test set are not used here: candidates are chosen on these numbers
only, then the chosen one is run once through benchmarks/quality.py.

Usage: OMP_NUM_THREADS=1 python training/eval_dev.py MODEL_DIR [MODEL_DIR ...]
"""

from __future__ import annotations

import gzip
import json
import re
import sys
import time
from pathlib import Path

import spacy
from spacy.tokens import DocBin
from spacy.training import Example

from woo_anon import lists

ROOT = Path(__file__).resolve().parents[1]
WOO_DEV = ROOT / "training" / "woo_dev.txt"
BWB = ROOT.parent / "shared" / "data" / "bwb-circulaires-beleidsregels-nl" / "bwb_circulaires_beleidsregels_kb.jsonl.gz"


def woo_dev() -> list[tuple[str, list[tuple[int, int]]]]:
    """(text, [(start, end)]) from the [[name]] markup."""
    out = []
    for line in WOO_DEV.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        line = line.replace("\\n", "\n").replace("\\t", "\t")
        text, spans, pos = "", [], 0
        for m in re.finditer(r"\[\[(.*?)\]\]", line):
            text += line[pos:m.start()]
            spans.append((len(text), len(text) + len(m.group(1))))
            text += m.group(1)
            pos = m.end()
        out.append((text + line[pos:], spans))
    return out


def _unlisted(name: str) -> bool:
    known = {n.lower() for n in lists.first_names()} | {n.lower() for n in lists.surnames()}
    words = [w for w in re.findall(r"\w{2,}", name) if w.lower() not in lists.interfixes()]
    return any(w.lower() not in known for w in words)


def score_woo_dev(nlp) -> dict[str, float]:
    tp = fp = fn = 0
    tok_gold = tok_hit = 0
    un_gold = un_hit = 0
    for doc, (text, spans) in zip(nlp.pipe([t for t, _ in woo_dev()]), woo_dev()):
        pred = {(e.start_char, e.end_char) for e in doc.ents if e.label_ in ("PER", "PERSON")}
        gold = set(spans)
        tp += len(pred & gold)
        fp += len(pred - gold)
        fn += len(gold - pred)
        covered = {i for s, e in pred for i in range(s, e)}
        for s, e in gold:
            hit = all(any(i in covered for i in range(m.start() + s, m.end() + s))
                      for m in re.finditer(r"\w+", text[s:e]))
            tok_gold += 1
            tok_hit += hit
            if _unlisted(text[s:e]):
                un_gold += 1
                un_hit += hit
    p = tp / max(tp + fp, 1)
    r = tp / max(tp + fn, 1)
    return {"woo_P": p, "woo_R": r, "woo_F": 2 * p * r / max(p + r, 1e-9),
            "woo_name_R": tok_hit / max(tok_gold, 1), "woo_unlisted_R": un_hit / max(un_gold, 1),
            "woo_unlisted_n": un_gold}


def score_split(nlp, folder: Path) -> dict[str, float]:
    out = {}
    for path in sorted(folder.glob("*.spacy")):
        docs = list(DocBin().from_disk(path).get_docs(nlp.vocab))
        examples = [Example(nlp.make_doc(d.text), d) for d in docs]
        scores = nlp.evaluate(examples)
        out[f"{path.stem}_F"] = scores["ents_f"]
        out[f"{path.stem}_P"] = scores["ents_p"]
        out[f"{path.stem}_R"] = scores["ents_r"]
    return out


def speed(nlp, words: int = 60_000) -> float:
    texts, n = [], 0
    with gzip.open(BWB, "rt", encoding="utf-8") as handle:
        for line in handle:
            for para in json.loads(line)["text"].split("\n"):
                texts.append(para)
                n += len(para.split())
            if n > words:
                break
    list(nlp.pipe(texts[:50]))
    best = float("inf")
    for _ in range(2):
        start = time.process_time()
        list(nlp.pipe(texts))
        best = min(best, time.process_time() - start)
    return n / best


def main(paths: list[str]) -> None:
    for path in paths:
        nlp = spacy.load(path)
        row = {"model": path, **score_split(nlp, ROOT / "build" / "ner-dev"), **score_woo_dev(nlp),
               "words_per_cpu_s": speed(nlp),
               "MB": sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file()) / 1e6}
        print(json.dumps({k: round(v, 3) if isinstance(v, float) else v for k, v in row.items()}), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
