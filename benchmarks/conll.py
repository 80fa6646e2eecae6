"""PER scores on independent annotated Dutch prose: CoNLL-2002 Dutch ned.testb (Belgian news
2000; research-only licence, so evaluation only) and the Europeana Newspapers NL corpus (CC0;
19th-century OCR text, annotation incomplete, so its precision is a lower bound)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TESTB = ROOT.parent / "shared" / "data" / "conll2002-nl" / "ned.testb"
EUROPEANA = ROOT.parent / "shared" / "data" / "europeana-ner-nl" / "enp_NL.kb.bio"


def read_europeana(path: Path = EUROPEANA, chunk: int = 120, every: int = 3,
                   per_doc: int = 10) -> list[tuple[str, set, set]]:
    """A deterministic third of the corpus (every `every`-th chunk of `chunk` tokens), in the
    shape read_conll gives. Punctuation glued to a token is split off as its own O token."""
    tokens = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) < 2:
            continue
        word, tag = parts[0], parts[-1]
        m = re.fullmatch(r"([^\w]*)(.*?)([^\w]*)", word)
        lead, core, trail = m.groups() if m and m.group(2) else ("", word, "")
        tokens += [(lead, "O")] if lead else []
        tokens.append((core, tag))
        tokens += [(trail, "O")] if trail else []
    chunks = [tokens[i:i + chunk] for i in range(0, len(tokens), chunk)][::every]
    return _groups(chunks, per_doc)


def read_conll(path: Path = TESTB) -> list[tuple[str, set, set]]:
    """One group per article (-DOCSTART-), as (text, gold PER char spans, gold PER token char
    spans): an article is a document, so woo-anon's name propagation works as it would."""
    groups, sentences, tokens = [], [], []
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        parts = line.split()
        if parts and parts[0] == "-DOCSTART-":
            if sentences:
                groups += _groups(sentences, len(sentences))
            sentences = []
            continue
        if not parts:
            if tokens:
                sentences.append(tokens)
            tokens = []
            continue
        tokens.append((_accent(parts[0], len(parts) == 2), parts[-1]))
    if sentences:
        groups += _groups(sentences, len(sentences))
    return groups


def _accent(word: str, glued: bool) -> str:
    """The corpus lost accented letters as U+0081 + "E"; on 2-column lines that ate the space
    before the POS tag, the tag is glued on ("Belgi\u0081EN" = "België" + N)."""
    if glued:
        word = re.sub(r"(\u0081E)(N|Adj|Adv|V|Misc|Num|Prep|Pron|Conj|Art|Int|Punc)$", r"\1", word)
    return re.sub(r"(?<=([a-zA-Z]))\u0081E", lambda m: "ë" if m.group(1) in "ieIE" else "é", word)


def _groups(sentences: list[list[tuple[str, str]]], per_doc: int) -> list[tuple[str, set, set]]:
    groups = []
    for i in range(0, len(sentences), per_doc):
        text, spans, toks, current = "", set(), set(), None
        for sentence in sentences[i:i + per_doc]:
            for word, tag in sentence:
                start = len(text)
                text += word + " "
                if tag.endswith("PER"):
                    toks.add((start, start + len(word)))
                    if tag.startswith("B-") or current is None:
                        if current:
                            spans.add(current)
                        current = (start, start + len(word))
                    else:
                        current = (current[0], start + len(word))
                elif current:
                    spans.add(current)
                    current = None
            if current:
                spans.add(current)
                current = None
            text = text.rstrip() + "\n"
        groups.append((text, spans, toks))
    return groups


def score(groups, predict) -> dict[str, float]:
    """Strict span P/R/F1 and token recall; predict(text) -> list of (start, end)."""
    tp = fp = fn = tok_hit = tok_all = 0
    for text, gold, toks in groups:
        pred = {(s, e) for s, e in predict(text)}
        tp += len(gold & pred)
        fp += len(pred - gold)
        fn += len(gold - pred)
        tok_all += len(toks)
        tok_hit += sum(1 for s, e in toks if any(ps <= s and e <= pe for ps, pe in pred))
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"P": p, "R": r, "F1": f, "token_R": tok_hit / tok_all if tok_all else 0.0}


def model_predictor(nlp):
    def predict(text):
        return [(e.start_char, e.end_char) for e in nlp(text).ents if e.label_ in ("PER", "PERSON")]
    return predict


def woo_predictor(engine):
    """What woo-anon redacts as a person: detection (model, rules, propagation) and policy."""
    from woo_anon.model import Document, Page

    def predict(text):
        document = Document("conll", "conll", "", (Page(1, text, (), ()),))
        spans = engine.detector.detect_document(document)
        return [(d.span.start, d.span.end) for d in map(engine.policy.decide, spans)
                if d.action == "redact" and d.span.entity == "PERSON"]
    return predict


def deduce_predictor(anchor):
    def predict(text):
        out = []
        for s, e, tag in anchor.find(text):
            if tag in ("persoon", "patient", "person"):
                span = text[s:e]
                # deduce includes titles ("mevrouw P. Jansen"); strip them for strict scoring
                for title in ("de heer ", "mevrouw ", "dhr. ", "mevr. ", "meneer "):
                    if span.lower().startswith(title):
                        s += len(title)
                out.append((s, e))
        return out
    return predict


def tables(both, rules, deduce) -> list[str]:
    """PER tables for CoNLL-2002 ned.testb and Europeana NL: woo-anon, its rules alone, the
    shipped model alone, deduce."""
    nlp = both.detector.analyzer.nlp_engine.nlp["nl"]
    predictors = {"woo-anon (model + rules + propagation, policy applied)": woo_predictor(both),
                  "woo-anon rules only (`--model blank`)": woo_predictor(rules),
                  "NER model alone (raw nl_woo_ner PER)": model_predictor(nlp),
                  "deduce": deduce_predictor(deduce)}
    out = []
    for title, path, reader in (
            ("PER on CoNLL-2002 ned.testb (Belgian news, one document per article; 1,098 gold PER "
             "spans; research-only, evaluation only)", TESTB, read_conll),
            ("PER on Europeana Newspapers NL (CC0; 19th-century OCR; every 3rd 120-token chunk; "
             "annotation incomplete, so precision is a lower bound)", EUROPEANA, read_europeana)):
        if not path.exists():
            continue
        groups = reader(path)
        lines = [f"#### {title}", "", "| system | P (strict) | R (strict) | F1 (strict) | token R |",
                 "|---|---|---|---|---|"]
        for name, predict in predictors.items():
            s = score(groups, predict)
            lines.append(f"| {name} | {s['P']:.3f} | {s['R']:.3f} | {s['F1']:.3f} | {s['token_R']:.3f} |")
        out.append("\n".join(lines))
    return out
