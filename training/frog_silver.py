"""Silver PER labels from Frog (Debian `frog`, GPL-3, NER trained on SoNaR) on licence-clean
modern Dutch text, for distillation into the shipped spaCy model.

Text: Tweede Kamer Handelingen 2017-2018, UD Dutch LassySmall + Alpino sentences (CC BY-SA 4.0),
and a sample of BWB circulars/policy rules (public domain), all from ../shared/data.
Frog's labels are used, not its code or model; the labelled text is not shipped.

Usage: python training/frog_silver.py OUTDIR   (writes frog.spacy; needs `frog` on PATH)
"""

from __future__ import annotations

import gzip
import json
import random
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import spacy
from spacy.tokens import DocBin

from woo_anon import lists

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def sentences(max_bwb_tokens: int = 250_000, seed: int = 0) -> list[str]:
    out = []
    for line in (DATA / "tk-handelingen-2018-nl" / "handelingen-tk-20172018.jsonl").read_text("utf-8").splitlines():
        for paragraph in json.loads(line)["paragraphs"]:
            out += [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", paragraph) if len(s.split()) > 3]
    for conllu in sorted((DATA / "ud-dutch-lassysmall-alpino").glob("*.conllu")):
        out += [l[len("# text = "):] for l in conllu.read_text("utf-8").splitlines() if l.startswith("# text = ")]
    rng = random.Random(seed)
    bwb = []
    with gzip.open(DATA / "bwb-circulaires-beleidsregels-nl" / "bwb_circulaires_beleidsregels_kb.jsonl.gz", "rt") as f:
        for line in f:
            text = json.loads(line)["text"]
            bwb += [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", text) if 4 < len(s.split()) < 60]
    rng.shuffle(bwb)
    # prefer sentences with capitalised words inside them (where names can be)
    bwb.sort(key=lambda s: -len(re.findall(r"(?<=\s)[A-Z][a-z]+", s)))
    total = 0
    for s in bwb:
        if total > max_bwb_tokens:
            break
        out.append(s)
        total += len(s.split())
    return list(dict.fromkeys(s.replace("\n", " ") for s in out))


def run_frog(lines: list[str], workdir: Path, index: int) -> list[list[tuple[str, str]]]:
    src, dst = workdir / f"in{index}.txt", workdir / f"out{index}.tsv"
    content = "\n".join(lines) + "\n"
    if not src.exists() or src.read_text(encoding="utf-8") != content:
        src.write_text(content, encoding="utf-8")
    if not dst.exists() or dst.stat().st_mtime < src.stat().st_mtime:
        subprocess.run(["frog", "--skip=mpcla", "-n", "--threads=1", "-t", str(src), "-o", str(dst)],
                       check=True, capture_output=True)
    sents, cur = [], []
    for line in dst.read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if len(cols) < 8:
            if cur:
                sents.append(cur)
            cur = []
            continue
        cur.append((cols[1], cols[7]))  # word, NER tag (8th column)
    if cur:
        sents.append(cur)
    return sents


def to_doc(nlp, tokens: list[tuple[str, str]]):
    words = [w for w, _ in tokens]
    tags = [t if t.endswith("PER") else "O" for _, t in tokens]
    ix = lists.interfixes()
    # Frog sometimes starts a person with a preposition ("met Fatima"): drop lower-case starts
    for i, (w, t) in enumerate(zip(words, tags)):
        if t == "B-PER" and w[:1].islower() and w.lower() not in ix:
            tags[i] = "O"
            if i + 1 < len(tags) and tags[i + 1] == "I-PER":
                tags[i + 1] = "B-PER"
    ents, start = [], None
    for i, t in enumerate(tags + ["O"]):
        if start is not None and t != "I-PER":
            ents.append((start, i))
            start = None
        if t == "B-PER" or (t == "I-PER" and start is None):
            start = i
    doc = spacy.tokens.Doc(nlp.vocab, words=words)
    doc.ents = [spacy.tokens.Span(doc, s, e, label="PER") for s, e in ents]
    return doc


def main(outdir: str) -> None:
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    lines = sentences()
    print(f"{len(lines)} sentences, {sum(len(l.split()) for l in lines)} tokens", flush=True)
    half = len(lines) // 2
    with ThreadPoolExecutor(2) as pool:
        parts = list(pool.map(lambda a: run_frog(*a), [(lines[:half], out, 0), (lines[half:], out, 1)]))
    nlp = spacy.blank("nl")
    docs = [to_doc(nlp, s) for part in parts for s in part]
    DocBin(docs=docs).to_disk(out / "frog.spacy")
    print(f"{len(docs)} docs, {sum(len(d.ents) for d in docs)} PER spans -> {out / 'frog.spacy'}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "build/frog")
